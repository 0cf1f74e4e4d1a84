"""Help that fits a phone: `/help` by purpose, `/help admin`, `/help join`, the menu order."""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pytest

from bot.app import build_router
from bot.router import ADMIN_GROUPS, MEMBER_GROUPS, Command
from bot.transports.telegram_menu import menu
from tests.harness import Harness

ROUTER = build_router()
ADMIN_COMMANDS = sorted({c.name for c in ROUTER.unique_commands() if c.admin})
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


def admin_commands_in(text: str) -> list[str]:
    return [name for name in ADMIN_COMMANDS if re.search(rf"/{name}\b", text)]


async def last_onboarding_answer(bot: Harness, user: str, lang: str) -> str:
    """Onboard `user` and return what the bot said at the end."""
    said: list[str] = []
    send = bot.send

    async def recording(*args: Any, **kwargs: Any) -> Any:
        chat = await send(*args, **kwargs)
        said.append(chat.text)
        return chat

    bot.send = recording  # type: ignore[method-assign]
    try:
        await bot.onboard(user, lang=lang)
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
    assert admin_commands_in(text) == []
    assert "/help admin" not in text
    join = "/join <Nummer|Name> – anmelden" if lang == "de" else "/join <number|name>"
    assert join in text
    # The rarer commands are still there, by name.
    assert "/mydata" in text and "/forget" in text and "/link" in text
    assert ("Mehr zu einem Befehl: /help join" if lang == "de" else "/help join") in text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_admins_get_a_pointer_to_their_block_and_the_block_by_group(
    bot: Harness, lang: str
) -> None:
    finished = await last_onboarding_answer(bot, "admin", lang)
    assert "/help admin" in finished
    short = (await bot.send("admin", "/help")).text
    assert len(screen_lines(short)) <= PHONE_LINES + 1
    assert admin_commands_in(short) == []
    assert short.splitlines()[-1] == (
        "Die Befehle für Admins: /help admin"
        if lang == "de"
        else "The admins' commands: /help admin"
    )
    block = (await bot.send("admin", "/help admin")).text
    assert headings(block, ADMIN_TITLES[lang]) == ADMIN_TITLES[lang]
    assert admin_commands_in(block) == ADMIN_COMMANDS
    assert "/myevents" not in block  # the members' part is /help
    assert len(screen_lines(block)) <= 24  # one phone screen; the usage is one /help away
    promote = "/promote <Mitglied>" if lang == "de" else "/promote <member>"
    assert promote in (await bot.send("admin", "/help promote")).text
    # Grouped: the events' commands come before the broadcasts, the member rights last.
    assert block.index("/newevent") < block.index("/broadcast,") < block.index("/inbox")
    assert block.index("/inbox") < block.index("/promote")


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_member_asking_for_the_admin_block_gets_the_member_help(
    bot: Harness, lang: str
) -> None:
    finished = await last_onboarding_answer(bot, "nora", lang)
    assert "/help admin" not in finished
    text = (await bot.send("nora", "/help admin")).text
    assert admin_commands_in(text) == []
    assert headings(text, MEMBER_TITLES[lang]) == MEMBER_TITLES[lang]
    assert text.splitlines()[-1] == (
        "Die Befehle für Admins zeigt /help admin nur Admins."
        if lang == "de"
        else "/help admin shows the admins' commands to admins only."
    )


async def test_one_commands_usage_in_german_by_any_of_its_names(bot: Harness) -> None:
    await bot.onboard("ole")
    for asked in ("/help join", "/help /join", "/hilfe anmelden", "/help !JOIN"):
        text = (await bot.send("ole", asked)).text
        assert text == "/join <Nummer|Name> – anmelden\nAuch: /anmelden", asked
    hilfe = (await bot.send("ole", "/help hilfe")).text
    assert hilfe.startswith("/help [Befehl] – ")
    assert "/partner [Beschreibung]" in (await bot.send("ole", "/help partner")).text


async def test_one_commands_usage_in_english(bot: Harness) -> None:
    await bot.onboard("pia", lang="en")
    text = (await bot.send("pia", "/help anmelden")).text
    assert text == "/join <number|name> – sign up for an event\nAlso: /anmelden"
    assert (await bot.send("pia", "/help help")).text.startswith("/help [command] – ")


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
    assert ("kaffee" in nonsense) and ("/help" in nonsense)
    admin = (await bot.send("admin", "/help promote")).text
    assert admin.startswith("/promote <Mitglied> – ")  # the admin has not chosen English


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
    by_name = {c.name: c for c in ROUTER.unique_commands()}
    member_menu = [
        by_name[e.command] for e in menu(by_name.values(), lang, admin=False, groups=False)
    ]
    assert group_runs(member_menu) == [(False, group) for group in MEMBER_GROUPS]
    names = [c.name for c in member_menu]
    assert names[0] == "faq"
    assert names.index("events") < names.index("join") < names.index("myevents")
    admin_menu = [
        by_name[e.command] for e in menu(by_name.values(), lang, admin=True, groups=False)
    ]
    assert group_runs(admin_menu) == [
        *((False, group) for group in MEMBER_GROUPS),
        *((True, group) for group in ADMIN_GROUPS),
    ]
    group_menu = [
        by_name[e.command] for e in menu(by_name.values(), lang, admin=False, groups=True)
    ]
    assert [c.name for c in group_menu] == [n for n in names if not by_name[n].private_only]


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
