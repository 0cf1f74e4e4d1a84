"""Help that fits a phone: `/help` by purpose, `/help admin`, `/help join`, the menu order."""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pytest

from bot.app import build_router
from bot.router import ADMIN_GROUPS, MEMBER_GROUPS, Command, Router
from bot.transports.telegram_menu import menu
from tests.harness import Harness

ROUTER = build_router()
# The admins' commands by the name each language shows (German: /neuertermin for /newevent).
ADMIN_COMMANDS = {
    lang: sorted({c.name_in(lang) for c in ROUTER.unique_commands() if c.admin})
    for lang in ("de", "en")
}
PHONE_COLUMNS = 45
# One phone screen: group headings, the most used commands, the rest by name.
PHONE_LINES = 20
MEMBER_TITLES = {
    "de": ["Fragen", "Veranstaltungen", "Partnersuche", "Profil und Daten"],
    "en": ["Questions", "Events", "Partner search", "Profile and data"],
}
ADMIN_TITLES = {
    "de": ["Veranstaltungen", "Rundschreiben", "Fragen und Wissensbasis", "Mitglieder"],
    "en": ["Events", "Broadcasts", "Questions and knowledge base", "Members"],
}


def screen_lines(text: str) -> list[str]:
    """The lines a 45-column phone shows for `text`."""
    return [
        row for line in text.split("\n") for row in (textwrap.wrap(line, PHONE_COLUMNS) or [""])
    ]


def headings(text: str, titles: list[str]) -> list[str]:
    return [line for line in text.split("\n") if line in titles]


def admin_commands_in(text: str, lang: str) -> list[str]:
    return [name for name in ADMIN_COMMANDS[lang] if re.search(rf"/{name}\b", text)]


async def last_onboarding_answer(bot: Harness, user: str, lang: str) -> str:
    """Sign `user` up in the chat and return what the bot said at the end."""
    said: list[str] = []
    send = bot.send

    async def recording(*args: Any, **kwargs: Any) -> Any:
        chat = await send(*args, **kwargs)
        said.append(chat.text)
        return chat

    bot.send = recording  # type: ignore[method-assign]
    try:
        await bot.sign_up_in_chat(user, lang=lang)
    finally:
        del bot.send
    return said[-1]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_member_help_fits_one_phone_screen_grouped_by_purpose(
    bot: Harness, lang: str
) -> None:
    await bot.onboard("mia", lang=lang)
    text = (await bot.send("mia", "/help")).text
    assert len(screen_lines(text)) <= PHONE_LINES, "\n".join(screen_lines(text))
    assert headings(text, MEMBER_TITLES[lang]) == MEMBER_TITLES[lang]
    assert admin_commands_in(text, lang) == []
    assert "/help admin" not in text and "/hilfe admin" not in text
    join = "/anmelden – anmelden" if lang == "de" else "/join – sign up for an event"
    assert join in text
    # The rarer commands are still there, by name.
    rare = ("/meinedaten", "/vergessen", "/verbinden") if lang == "de" else ("/mydata", "/link")
    assert all(name in text for name in rare), text
    assert ("Mehr zu einem Befehl: /hilfe anmelden" if lang == "de" else "/help join") in text


async def test_a_german_member_reads_the_german_command_names(bot: Harness) -> None:
    """/termine, /anmelden, /profil: the names a German member types, not /events, /join."""
    await bot.onboard("mia")
    text = (await bot.send("mia", "/help")).text
    featured = ["/fragen – ", "/termine – ", "/anmelden – ", "/meinetermine – ", "/partnersuche"]
    assert all(f"\n{line}" in text for line in featured), text
    assert "\n/profil – Ihr Profil anzeigen" in text
    assert "Außerdem: /meinefragen, /hilfe, /abbrechen" in text
    assert "Außerdem: /termin, /abmelden, /kalenderdatei, /kalender," in text
    # /org is no German name
    assert "/themen, /kontakt, /name, /organisation, /rolle, /sprache," in text
    assert "/neuigkeiten, /partneranfragen, /youngpro, /meinedaten, /vergessen, /verbinden" in text
    shown = set(re.findall(r"/([a-z_]+)", text))
    assert not shown & {"events", "join", "myevents", "profile", "help", "faq", "partner"}
    assert not shown & {"cancel", "role", "news", "partnerrequests", "link"}
    await bot.send("mia", "/language en")
    english = (await bot.send("mia", "/help")).text
    assert "\n/events – " in english and "\n/join – " in english
    assert "More: /myquestions, /help, /cancel" in english
    assert not set(re.findall(r"/([a-z_]+)", english)) & {"termine", "anmelden", "profil"}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_admins_get_a_pointer_to_their_block_and_the_block_by_group(
    bot: Harness, lang: str
) -> None:
    finished = await last_onboarding_answer(bot, "admin", lang)
    help_admin = "/hilfe admin" if lang == "de" else "/help admin"
    assert help_admin in finished
    short = (await bot.send("admin", "/help")).text
    assert len(screen_lines(short)) <= PHONE_LINES + 1
    assert admin_commands_in(short, lang) == []
    assert short.splitlines()[-1] == (
        "Die Befehle für Admins: /hilfe admin"
        if lang == "de"
        else "The admins' commands: /help admin"
    )
    block = (await bot.send("admin", help_admin)).text
    assert headings(block, ADMIN_TITLES[lang]) == ADMIN_TITLES[lang]
    assert admin_commands_in(block, lang) == ADMIN_COMMANDS[lang]
    assert "/myevents" not in block and "/meinetermine" not in block  # the members' part
    # one line per command (what it does; the usage is one /help away), four headings
    assert len(block.splitlines()) == len(ADMIN_COMMANDS[lang]) + len(ADMIN_TITLES[lang]) + 2
    promote = "/ernennen <Mitglied>" if lang == "de" else "/promote <member>"
    assert promote in (await bot.send("admin", "/help promote")).text
    # Grouped: the events' commands come before the broadcasts, the member rights last.
    new_event, broadcast, inbox, promote = (
        ("/neuertermin", "/rundschreiben –", "/posteingang", "/ernennen")
        if lang == "de"
        else ("/newevent", "/broadcast –", "/inbox", "/promote")
    )
    assert block.index(new_event) < block.index(broadcast) < block.index(inbox)
    assert block.index(inbox) < block.index(promote)
    # German admins read the German names; English ones the English names, in this order
    german = (
        "/neuertermin", "/terminaendern", "/absagen", "/teilnehmer",
        "/rundschreiben", "/zustellung", "/zustellbericht",
        "/posteingang", "/antwort", "/lernen", "/erledigt", "/neuereintrag", "/eintragaendern",
        "/eintragloeschen",
        "/statistik", "/ernennen", "/abberufen", "/partnereingang", "/weiterleiten", "/dashboard",
    )  # fmt: skip
    english = (
        "/newevent", "/editevent", "/cancelevent", "/attendees",
        "/broadcast", "/broadcasts", "/broadcast_report",
        "/inbox", "/answer", "/learn", "/close", "/faq_add", "/faq_edit", "/faq_remove",
        "/stats", "/promote", "/demote", "/partner_inbox", "/forward_request", "/dashboard",
    )  # fmt: skip
    shown = [line.split(" – ")[0] for line in block.splitlines() if line.startswith("/")]
    expected = german if lang == "de" else english
    assert [name for name in shown if name in expected] == list(expected), block
    assert block.splitlines()[-1].endswith(
        "/hilfe neuertermin" if lang == "de" else "/help newevent"
    )


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_member_asking_for_the_admin_block_gets_the_member_help(
    bot: Harness, lang: str
) -> None:
    finished = await last_onboarding_answer(bot, "nora", lang)
    assert "/help admin" not in finished and "/hilfe admin" not in finished
    text = (await bot.send("nora", "/help admin")).text
    assert admin_commands_in(text, lang) == []
    assert headings(text, MEMBER_TITLES[lang]) == MEMBER_TITLES[lang]
    assert text.splitlines()[-1] == (
        "Die Befehle für Admins zeigt /hilfe admin nur Admins."
        if lang == "de"
        else "/help admin shows the admins' commands to admins only."
    )


async def test_one_commands_usage_in_german_by_any_of_its_names(bot: Harness) -> None:
    await bot.onboard("ole")
    for asked in ("/help join", "/help /join", "/hilfe anmelden", "/help !JOIN"):
        text = (await bot.send("ole", asked)).text
        assert text == "/anmelden [Nummer|Name] – anmelden\nAuch: /join, /signup, /register", asked
    hilfe = (await bot.send("ole", "/help hilfe")).text
    assert hilfe.startswith("/hilfe [Befehl] – ") and hilfe.endswith("\nAuch: /help")
    assert "/partnersuche [Beschreibung]" in (await bot.send("ole", "/help partner")).text
    termine = (await bot.send("ole", "/hilfe events")).text
    assert termine == "/termine – Veranstaltungen und Exkursionen\nAuch: /events, /veranstaltungen"
    # "org" is short for the English name, not a German one: the usage keeps /organisation
    org = (await bot.send("ole", "/hilfe org")).text
    assert org.startswith("/organisation [Text] – ") and org.endswith("\nAuch: /org")
    assert (await bot.send("ole", "/hilfe cancel")).text.startswith("/abbrechen – ")


async def test_one_commands_usage_in_english(bot: Harness) -> None:
    await bot.onboard("pia", lang="en")
    text = (await bot.send("pia", "/help anmelden")).text
    assert text == "/join [number|name] – sign up for an event\nAlso: /anmelden, /signup, /register"
    assert (await bot.send("pia", "/help help")).text.startswith("/help [command] – ")
    events = (await bot.send("pia", "/help termine")).text
    assert events == "/events – upcoming events and excursions\nAlso: /termine, /veranstaltungen"


@pytest.mark.parametrize(
    ("lang", "unknown"),
    [("de", "Einen Befehl „promote“ kenne ich nicht"), ("en", "I do not know a command “promote”")],
)
async def test_admin_usage_only_for_admins_and_unknown_names(
    bot: Harness, lang: str, unknown: str
) -> None:
    await bot.onboard("rita", lang=lang)
    refused = (await bot.send("rita", "/help promote")).text
    assert unknown in refused and "<" not in refused
    nonsense = (await bot.send("rita", "/help kaffee")).text
    assert ("kaffee" in nonsense) and (("/hilfe" if lang == "de" else "/help") in nonsense)
    admin = (await bot.send("admin", "/help promote")).text
    assert admin.startswith("/ernennen <Mitglied> – ")  # the admin has not chosen English


def test_every_command_is_declared_in_a_group() -> None:
    for command in ROUTER.unique_commands():
        allowed = ADMIN_GROUPS if command.admin else MEMBER_GROUPS
        assert command.group in allowed, f"/{command.name} needs a group from {allowed}"


def group_runs(commands: list[Command]) -> list[tuple[bool, str]]:
    """The sequence of (admin, group) blocks, each run once."""
    runs: list[tuple[bool, str]] = []
    for command in commands:
        if not runs or runs[-1] != (command.admin, command.group):
            runs.append((command.admin, command.group))
    return runs


@pytest.mark.parametrize("lang", ["de", "en"])
def test_telegram_menus_follow_the_help_grouping(lang: str) -> None:
    by_name = ROUTER.commands  # every name, the German ones too
    commands = ROUTER.unique_commands()
    member_menu = [by_name[e.command] for e in menu(commands, lang, admin=False, groups=False)]
    assert group_runs(member_menu) == [(False, group) for group in MEMBER_GROUPS]
    names = [c.name for c in member_menu]
    assert names[0] == "faq"
    assert len(set(names)) == len(names)  # each command once, by one of its names
    assert names.index("events") < names.index("join") < names.index("myevents")
    admin_menu = [by_name[e.command] for e in menu(commands, lang, admin=True, groups=False)]
    assert group_runs(admin_menu) == [
        *((False, group) for group in MEMBER_GROUPS),
        *((True, group) for group in ADMIN_GROUPS),
    ]
    group_menu = [by_name[e.command] for e in menu(commands, lang, admin=False, groups=True)]
    assert [c.name for c in group_menu] == [n for n in names if not by_name[n].private_only]


def test_the_german_menu_names_the_commands_as_german_members_type_them() -> None:
    """Telegram shows the menu of the app's language: /termine in German, /events in English;
    a command without a German name (/organisation, /start) keeps its English one."""
    commands = ROUTER.unique_commands()
    german = [entry.command for entry in menu(commands, "de", admin=True, groups=False)]
    english = [entry.command for entry in menu(commands, "en", admin=True, groups=False)]
    assert german[:7] == [
        "fragen",
        "meinefragen",
        "hilfe",
        "abbrechen",
        "termine",
        "anmelden",
        "meinetermine",
    ]
    assert english[:7] == ["faq", "myquestions", "help", "cancel", "events", "join", "myevents"]
    assert {"profil", "organisation", "neuertermin", "lernen", "ernennen"} <= set(german)
    assert not {"events", "join", "profile", "newevent", "learn"} & set(german)
    assert not {"termine", "anmelden", "profil"} & set(english)
    assert len(german) == len(english) == len(commands)  # no name was refused
    groups = [entry.command for entry in menu(commands, "de", admin=False, groups=True)]
    assert "termine" in groups and "start" not in groups


# Commands whose English name is German too (der Start, die Organisation, das Dashboard) or
# the network's own German term (Young Professionals): German members read them as they are.
SAME_IN_GERMAN = {"start", "organisation", "name", "youngpro", "dashboard"}


def test_every_command_has_a_german_name_unless_its_name_is_german_too() -> None:
    """German /hilfe lists /abbrechen, /rolle, /rundschreiben: no English name beside them."""
    english_only = {c.name for c in ROUTER.unique_commands() if not c.german}
    assert english_only == SAME_IN_GERMAN
    german = {c.german for c in ROUTER.unique_commands() if c.german}
    assert {"abbrechen", "rolle", "neuigkeiten", "partneranfragen", "verbinden"} <= german
    assert {"rundschreiben", "posteingang", "ernennen", "weiterleiten"} <= german


async def test_a_usage_line_names_the_words_the_command_takes_in_the_readers_language(
    bot: Harness,
) -> None:
    """/lernen takes "neu" for a new entry (and "new"): the German syntax says `neu`, as its
    example does."""
    german = (await bot.send("admin", "/hilfe lernen")).text
    assert german.startswith("/lernen <Ticket> <Eintrag|neu> [neue Kennung] – "), german
    assert "/lernen N neu NAME" in german and "new" not in german
    await bot.send("admin", "/language en")
    english = (await bot.send("admin", "/help learn")).text
    assert english.startswith("/learn <ticket> <entry|new> [new id] – "), english


def test_every_name_is_one_telegram_and_the_router_take() -> None:
    """A name Telegram's menu refuses or `/name` cannot reach is refused when declared."""
    for name, command in ROUTER.commands.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]{0,31}", name), f"/{command.name}: {name!r}"
    router = Router()
    for german in ("Termine", "termine-heute", "über", "t" * 33):

        async def handler(_ctx: object, _args: object) -> None:
            return None

        with pytest.raises(ValueError, match="no name a member can type"):
            router.command("events", help_key="help.help", german=german)(handler)
    with pytest.raises(ValueError, match="declared twice"):
        router.command("events", help_key="help.help", german="termine")(handler)
        router.command("event", help_key="help.help", german="termine")(handler)


async def test_a_mistyped_command_is_answered_with_the_one_meant(bot: Harness) -> None:
    await bot.onboard("mia")
    assert "meinten Sie /requests?" in (await bot.send("mia", "/request")).text
    assert "meinten Sie /termin?" in (await bot.send("mia", "/termin3")).text  # as typed
    unknown = await bot.send("mia", "/xyz")
    assert "Den Befehl /xyz kenne ich nicht" in unknown.text and "meinten" not in unknown.text
    # a member is not pointed to an admin's command
    assert "meinten" not in (await bot.send("mia", "/broadcst")).text
    await bot.send("mia", "/language en")
    assert "did you mean /partner?" in (await bot.send("mia", "/partnr")).text


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("termien", "termine"),  # two letters swapped: the list, not one event
        ("evnets", "events"),
        ("veranstaltugnen", "veranstaltungen"),
        ("meinetemrine", "meinetermine"),
        ("partenr", "partner"),
        ("termin3", "termin"),  # a letter too many still means the shorter one
        ("eventss", "events"),
    ],
)
def test_a_mistyped_command_with_swapped_letters_is_corrected_to_the_one_meant(
    typed: str, meant: str
) -> None:
    assert ROUTER.nearest(typed, admin=False) == meant


async def test_a_member_who_swaps_two_letters_of_termine_is_pointed_to_the_list(
    bot: Harness,
) -> None:
    await bot.onboard("mia")
    assert "meinten Sie /termine?" in (await bot.send("mia", "/termien")).text
