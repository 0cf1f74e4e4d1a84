"""A young professionals' event is, for any other member, an event that does not exist: every
way a member names one by its number (commands, their buttons, /pending's list, the calendar
file, a series, the events page) answers as for an unknown number, in German and English, and
never names it. Young professionals and the office still reach it. Invented events and people."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, timedelta

import pytest

from bot.messages import Platform
from storage import signups
from storage.events import Event
from tests.dates import days_ahead, typed
from tests.harness import Chat, Harness, make_harness
from tests.test_miniapp import TG_MIA, as_telegram, mini_app, telegram_member
from tests.web_harness import Dashboard

TITLE = "Nachwuchsexkursion Kupferhütte Obertal"
TITLE_EN = "Early-Career Visit to the Obertal Copper Works"
NOWHERE = 987654  # no event has this number


@dataclass(frozen=True)
class Trip:
    """The young professionals' excursion, and an open event beside it."""

    hidden: Event
    shown: Event


async def add_trip(bot: Harness) -> Trip:
    at = {days: days_ahead(bot, days).astimezone(UTC) for days in (14, 40)}
    hidden = await bot.add_event(
        kind="excursion",
        title=TITLE,
        title_en=TITLE_EN,
        place="Kupferhütte Obertal",
        starts_at=at[14],
        capacity=12,
        audience="yp",
    )
    shown = await bot.add_event(
        kind="workshop",
        title="Werkstatt Laugungsrückstände",
        title_en="Workshop on Leaching Residues",
        place="Technikum Obertal",
        starts_at=at[40],
        capacity=30,
    )
    return Trip(hidden, shown)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    """The bot on SQLite; each test asks many things at once, more than the flood limit lets
    a member ask in a minute."""
    harness = await make_harness(
        sqlite_url, limits={"flood_messages_per_minute": 10_000, "flood_burst": 10_000}
    )
    yield harness
    await harness.app.stop()


@pytest.fixture
async def trip(bot: Harness) -> Trip:
    """ "rosa" (German) and "finn" (English) are no young professionals; "lea" (German) and
    "kai" (English) are; "admin" is the office and no young professional."""
    found = await add_trip(bot)
    for user, lang in (("rosa", "de"), ("finn", "en"), ("lea", "de"), ("kai", "en")):
        await bot.onboard(user, lang=lang)
    await bot.send("lea", "/youngpro ja")
    await bot.send("kai", "/youngpro yes")
    await bot.onboard("admin", lang="de")
    return found


def names_it(chat: Chat) -> bool:
    return TITLE in chat.text or TITLE_EN in chat.text


def as_if_unknown(hidden: Chat, unknown: Chat, number: int) -> None:
    """The answer about the hidden event is word for word the one about a number no event
    has, and sends no file."""
    assert hidden.text == unknown.text.replace(str(NOWHERE), str(number)), hidden.text
    assert not names_it(hidden)
    assert not [r for r in hidden.replies if r.attachment is not None]


COMMANDS = {
    "de": ("/anmelden {n}", "/abmelden {n}", "/kalenderdatei {n}", "/kalender {n}", "/termin {n}"),
    "en": ("/join {n}", "/leave {n}", "/calendarfile {n}", "/calendar {n}", "/event {n}"),
}


@pytest.mark.parametrize(("user", "lang"), [("rosa", "de"), ("finn", "en")])
async def test_commands_with_its_number_answer_as_for_no_such_event(
    trip: Trip, bot: Harness, user: str, lang: str
) -> None:
    n = trip.hidden.id
    for command in COMMANDS[lang]:
        hidden = await bot.send(user, command.format(n=n))
        unknown = await bot.send(user, command.format(n=NOWHERE))
        as_if_unknown(hidden, unknown, n)
    assert (
        "keine Veranstaltung zeigen" if lang == "de" else "cannot show you an event"
    ) in hidden.text
    async with bot.db.session() as session:
        assert await signups.counts(session, event_id=n) == (0, 0)


BUTTONS = (
    "ev:join:{n}",
    "ev:leave:{n}",
    "ev:accept:{n}",
    "ev:ics:{n}",
    "ev:show:{n}",
    "ev:accept:{n}:list",
    "ev:leave:{n}:list",
)


@pytest.mark.parametrize("user", ["rosa", "finn"])
async def test_its_buttons_answer_as_for_no_such_event(trip: Trip, bot: Harness, user: str) -> None:
    """A button of an old or forwarded message, or one made up, names nothing either."""
    n = trip.hidden.id
    for payload in BUTTONS:
        hidden = await bot.press(user, payload.format(n=n))
        unknown = await bot.press(user, payload.format(n=NOWHERE))
        as_if_unknown(hidden, unknown, n)


@pytest.mark.parametrize(("user", "lang"), [("lea", "de"), ("kai", "en")])
async def test_a_young_professional_joins_gets_the_file_and_leaves(
    trip: Trip, bot: Harness, user: str, lang: str
) -> None:
    n = trip.hidden.id
    join, leave, calendar_file, _calendar, show = COMMANDS[lang]
    title = TITLE if lang == "de" else TITLE_EN
    shown = await bot.send(user, show.format(n=n))
    assert title in shown.text, shown.text
    joined = await bot.send(user, join.format(n=n))
    assert title in joined.text and ("angemeldet" if lang == "de" else "signed up") in joined.text
    (reply,) = (await bot.send(user, calendar_file.format(n=n))).replies
    assert reply.attachment is not None
    left = await bot.send(user, leave.format(n=n))
    assert title in left.text, left.text
    async with bot.db.session() as session:
        assert await signups.counts(session, event_id=n) == (0, 0)


async def test_the_office_sees_it_and_is_refused_it_by_name(trip: Trip, bot: Harness) -> None:
    n = trip.hidden.id
    (reply,) = (await bot.send("admin", f"/kalenderdatei {n}")).replies
    assert reply.attachment is not None
    refused = await bot.send("admin", f"/anmelden {n}")
    assert f"„{TITLE}“ ist nur für Young Professionals" in refused.text, refused.text


async def test_a_former_young_professional_can_still_cancel(trip: Trip, bot: Harness) -> None:
    """Signed up as a young professional, then no longer one: their own sign-up is theirs
    to see and cancel."""
    n = trip.hidden.id
    await bot.send("lea", f"/anmelden {n}")
    await bot.send("lea", "/youngpro nein")
    left = await bot.send("lea", f"/abmelden {n}")
    assert TITLE in left.text and "abgemeldet" in left.text, left.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("rosa", "Ich melde mich für die Exkursion zur Kupferhütte an"),
        ("rosa", "anmelden Kupferhütte Obertal"),
        ("rosa", "Sind bei der Kupferhütte noch Plätze frei?"),
        ("finn", "When is the early-career visit?"),
        ("finn", "Are there places left at the Obertal copper works?"),
    ],
)
async def test_its_title_words_typed_name_nothing(
    trip: Trip, bot: Harness, user: str, text: str
) -> None:
    """Free text with the words of its title: other members get no answer about it (what
    they see, or the FAQ's answer), a young professional gets it."""
    n = trip.hidden.id
    answer = await bot.send(user, text)
    assert not names_it(answer), answer.text
    assert not [b for b in answer.buttons if b.endswith(f":{n}")], answer.buttons
    theirs = await bot.send("lea", "Wann ist die Nachwuchsexkursion zur Kupferhütte?")
    assert TITLE in theirs.text and f"ev:join:{n}" in theirs.buttons, theirs.text


# --- a young professionals' series -----------------------------------------------------------


async def test_joining_their_series_answers_as_for_no_such_series(bot: Harness) -> None:
    start = days_ahead(bot, 9, hour=18, minute=0)
    form = (
        f"art=forum; titel=Nachwuchs-Stammtisch Obertal; beginn={typed(start)}; "
        f"ende={typed(start + timedelta(hours=2))}; ort=Obertal; plätze=8; zielgruppe=yp; "
        "wiederholung=wöchentlich; anzahl=4"
    )
    await bot.onboard("admin")
    preview = await bot.send("admin", f"/neuertermin {form}")
    saved = await bot.press("admin", preview.button("Speichern"))
    assert "S1" in saved.text, saved.text
    for user, lang in (("rosa", "de"), ("finn", "en"), ("lea", "de")):
        await bot.onboard(user, lang=lang)
    await bot.send("lea", "/youngpro ja")
    for user in ("rosa", "finn"):
        for typed_ref, unknown_ref in (("/joinseries S1", "/joinseries S9"),):
            hidden = await bot.send(user, typed_ref)
            unknown = await bot.send(user, unknown_ref)
            assert hidden.text == unknown.text.replace("9", "1"), hidden.text
            assert "Stammtisch" not in hidden.text
        pressed = await bot.press(user, "evj:1")
        assert pressed.text == (await bot.press(user, "evj:9")).text.replace("9", "1")
    joined = await bot.send("lea", "/serieanmelden S1")
    assert "Nachwuchs-Stammtisch Obertal" in joined.text and "angemeldet" in joined.text


# --- the events page (Telegram Mini App, Matrix link) ----------------------------------------


@pytest.fixture
async def dash(sqlite_url: str) -> AsyncIterator[Dashboard]:
    async with mini_app(sqlite_url) as found:
        yield found


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_events_page_answers_as_for_no_such_event(dash: Dashboard, lang: str) -> None:
    member = await telegram_member(dash, lang=lang)
    found = await add_trip(dash.bot)
    n = found.hidden.id
    page = as_telegram(dash)
    _status, listed = await page.get()
    assert TITLE not in listed and TITLE_EN not in listed
    for action in ("join", "leave", "accept"):
        status, hidden = await page.post(f"/app/events/{n}/{action}")
        _status, unknown = await page.post(f"/app/events/{NOWHERE}/{action}")
        assert status == 200 and hidden == unknown.replace(str(NOWHERE), str(n)), action
        assert TITLE not in hidden and TITLE_EN not in hidden
    said = "keine Veranstaltung zeigen" if lang == "de" else "cannot show you an event"
    assert said in hidden
    async with dash.bot.db.session() as session:
        assert await signups.find(session, event_id=n, member_id=member.id) is None


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_young_professional_joins_it_on_the_events_page(dash: Dashboard, lang: str) -> None:
    member = await telegram_member(dash, lang=lang)
    said = "/youngpro ja" if lang == "de" else "/youngpro yes"
    await dash.bot.send(str(TG_MIA), said, platform=Platform.TELEGRAM)
    found = await add_trip(dash.bot)
    title = TITLE if lang == "de" else TITLE_EN
    page = as_telegram(dash)
    _status, listed = await page.get()
    assert title in listed
    _status, joined = await page.post(f"/app/events/{found.hidden.id}/join")
    assert title in joined and 'role="alert"' not in joined, joined
    async with dash.bot.db.session() as session:
        mine = await signups.find(session, event_id=found.hidden.id, member_id=member.id)
    assert mine is not None and mine.status == "confirmed"


async def test_asked_for_young_peoples_events_a_member_hears_how_to_see_them(
    bot: Harness,
) -> None:
    trip = await add_trip(bot)
    await bot.onboard("anna")
    await bot.onboard("eve", lang="en")
    asked = await bot.send(
        "anna", "Welche Veranstaltungen gibt es für junge Leute wie Doktoranden?"
    )
    assert "Werkstatt Laugungsrückstände" in asked.text and TITLE not in asked.text, asked.text
    assert "Für Young Professionals gibt es eigene Veranstaltungen" in asked.text, asked.text
    assert "/youngpro ja" in asked.text
    asked = await bot.send("eve", "what events do you have for young people like phd students?")
    assert "Workshop on Leaching Residues" in asked.text and TITLE_EN not in asked.text
    assert "There are events of their own for young professionals" in asked.text, asked.text
    assert "/youngpro yes" in asked.text
    # Listing events without asking for them: the young professionals' stay unmentioned.
    assert "Young Professionals" not in (await bot.send("anna", "/termine")).text
    # A young professional sees it listed, and no hint.
    await bot.send("eve", "/youngpro yes")
    asked = await bot.send("eve", "what events do you have for young people like phd students?")
    assert TITLE_EN in asked.text and "of their own" not in asked.text, asked.text
    assert trip.hidden.id


@pytest.mark.parametrize(
    ("user", "text", "said", "command"),
    [
        # the walkthrough's "will mich für die exkursion anmelden" got the FAQ's "Sie melden
        # sich hier im Bot an", never that the excursion planned is for young professionals
        (
            "rosa",
            "ich möchte gern bei der exkursion mitfahren",
            "nur etwas für Young",
            "/youngpro ja",
        ),
        ("rosa", "Wann ist die nächste Exkursion?", "nur etwas für Young", "/youngpro ja"),
        (
            "finn",
            "please sign me up for the excursion",
            "only something for young",
            "/youngpro yes",
        ),
    ],
)
async def test_asked_by_its_kind_a_member_hears_it_is_for_young_professionals(
    trip: Trip, bot: Harness, user: str, text: str, said: str, command: str
) -> None:
    answer = await bot.send(user, text)
    assert said in answer.text and command in answer.text, answer.text
    assert not names_it(answer), answer.text
    theirs = await bot.send("lea", text.replace("finn", "lea"))
    assert "nur etwas für Young" not in theirs.text, theirs.text
    office = await bot.send("admin", "Wann ist die nächste Exkursion?")
    assert TITLE in office.text, office.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        # a person named after "I'm a", "ich bin" is the member: no "each person signs up on
        # their own", nor the FAQ's topics for "darf ich zur Exkursion mit?"
        ("finn", "I'm a PhD student, can I come along to the excursion?"),
        ("rosa", "Ich bin Doktorandin, darf ich zur Exkursion mit?"),
        ("rosa", "bin student, kann ich mit auf die exkursion?"),
    ],
)
async def test_saying_what_one_is_and_asking_to_come_is_told_who_may(
    trip: Trip, bot: Harness, user: str, text: str
) -> None:
    asked = await bot.send(user, text)
    assert "only something for young" in asked.text or "nur etwas für Young" in asked.text
    assert "signs up on their own" not in asked.text, asked.text
    assert any(b.startswith("yp:") for b in asked.buttons), asked.buttons


async def test_a_member_who_says_they_are_one_opens_the_event_with_a_press(
    trip: Trip, bot: Harness
) -> None:
    # "I'm a PhD student, can I join …?" was asked "Are you one? Then write /youngpro yes",
    # and after that was told it was saved, and nothing of the event it had asked about.
    asked = await bot.send("finn", "I'm a PhD student, can I join the excursion?")
    assert "only something for young" in asked.text, asked.text
    said = await bot.press("finn", asked.button("Yes, I'm one"))
    assert "Young professional: Yes" in said.text, said.text
    assert "you now also see" in said.text and TITLE_EN in said.text, said.text
    assert f"ev:show:{trip.hidden.id}" in said.buttons
    member = await bot.member("finn")
    assert member is not None and member.young_professional
    # Pressed again (an old message), nothing new opens: said once.
    again = await bot.press("finn", asked.button("Yes, I'm one"))
    assert "you now also see" not in again.text, again.text


async def test_a_typed_yes_says_so_where_nothing_else_is_coming(trip: Trip, bot: Harness) -> None:
    async with bot.db.session() as session:
        shown = await session.get(Event, trip.shown.id)
        assert shown is not None
        await session.delete(shown)
        await session.commit()
    asked = await bot.send(
        "rosa", "Kann ich bei der Exkursion mitfahren? Ich promoviere in Obertal."
    )
    assert "Zu „Exkursion“ ist zurzeit nur etwas für Young" in asked.text, asked.text
    said = await bot.send("rosa", "ja")
    assert "Young Professional: Ja" in said.text and TITLE in said.text, said.text


@pytest.mark.parametrize(("user", "yes"), [("finn", "yeah i am"), ("rosa", "ja, bin ich")])
async def test_a_typed_yes_under_the_list_of_others_says_one_is_one(
    trip: Trip, bot: Harness, user: str, yes: str
) -> None:
    """Walkthrough 2026-12-08: under "Are you one? … Otherwise coming up:" and its list, a
    typed "yeah i am" had been asked which event was meant: it answers the question asked."""
    asked = await bot.send(
        user, "r there any excursions?" if user == "finn" else "gibt es Exkursionen?"
    )
    assert f"ev:show:{trip.shown.id}" in asked.buttons, asked.text  # the others, listed
    said = await bot.send(user, yes)
    assert "Young professional: Yes" in said.text or "Young Professional: Ja" in said.text
    assert names_it(said), said.text
