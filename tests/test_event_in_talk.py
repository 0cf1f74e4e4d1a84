"""What a new member met typing on a phone while talking about one event: a button's words
with "bitte" around them and a bare "anmelden" sign up; when it starts and where it is, asked
in one breath; until when it goes; bringing a trainee, an intern or the boss along; and the
event staying what "das" means over a few questions about it, not only right after its
details. German and English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.demo import DEMO_DIR
from bot.messages import YES_PRESSES, typed_label
from storage.events import EventSignup
from tests.dates import days_ahead
from tests.harness import Chat, Harness, make_harness
from tests.test_console_demo import run_demo

EACH_DE = "Angemeldet wird jede Person einzeln"
EACH_EN = "Each person signs up on their own"


@pytest.fixture
async def talk(sqlite_url: str) -> AsyncIterator[Harness]:
    """The demo's knowledge base; a workshop day with a start and an end and a conference
    over two days; "de" and "en" are members in either language (no flood limit: these are
    conversations of many messages)."""
    bot = await make_harness(
        sqlite_url, limits={"flood_messages_per_minute": 1_000_000, "flood_burst": 1_000_000}
    )
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    start = days_ahead(bot, 30, hour=10, minute=0)
    await bot.add_event(
        kind="workshop",
        title="Werkstatttag Batteriedemontage",
        title_en="Battery Dismantling Workshop Day",
        place="Technikum Wernigerode",
        place_en="Technikum Wernigerode",
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(hours=6, minutes=30)).astimezone(UTC),
        description="Demontage von Traktionsbatterien an echten Modulen, mit Pausen.",
        description_en="Dismantling traction batteries on real modules, with breaks.",
    )
    conference = days_ahead(bot, 50, hour=9, minute=0)
    await bot.add_event(
        kind="symposium",
        title="Fachkonferenz Edelmetallkreislauf",
        title_en="Precious Metals Cycle Conference",
        place="Stadthalle Halberstadt",
        starts_at=conference.astimezone(UTC),
        ends_at=(conference + timedelta(days=1, hours=7)).astimezone(UTC),
    )
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    yield bot
    await bot.app.stop()


WORKSHOP, CONFERENCE = 1, 2


async def signed_up(bot: Harness, user: str, event_id: int) -> bool:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        found = await session.execute(
            select(EventSignup).where(
                EventSignup.event_id == event_id, EventSignup.member_id == member.id
            )
        )
        return found.scalar_one_or_none() is not None


def offers_sign_up(said: Chat, event_id: int) -> bool:
    """The sign-up of `event_id` offered, a typed "ja" taking it (the usual confirmation)."""
    yes = [r.metadata.get(YES_PRESSES) for r in said.replies]
    return f"ev:join:{event_id}" in said.buttons and f"ev:join:{event_id}" in yes


def no_topics(said: Chat) -> bool:
    return "Meinten Sie" not in said.text and "Did you mean" not in said.text


# --- 1. a button's words with "bitte" around them, and a bare "anmelden", sign up ---------


def test_a_buttons_words_with_polite_words_around_them_press_it() -> None:
    labels = ["Anmelden", "In den Kalender"]
    assert typed_label("anmelden bitte", labels) == 0
    assert typed_label("Bitte anmelden!", labels) == 0
    assert typed_label("in den kalender bitte", labels) == 1
    assert typed_label("please sign up", ["Sign up", "Add to calendar"]) == 0
    assert typed_label("sign up pls", ["Sign up", "Add to calendar"]) == 0
    # polite words alone press nothing
    assert typed_label("bitte", labels) is None
    assert typed_label("danke", ["Danke", "Nein"]) == 0  # a button that says them does


def test_typed_under_an_events_card_in_the_console_anmelden_bitte_signs_up(
    tmp_path: Path,
) -> None:
    out = run_demo("/termine\nb\nanmelden bitte\n", "--db", str(tmp_path / "d.db"))
    after = out.split("> anmelden bitte", 1)[1]
    assert "✅" in after and "angemeldet" in after, out
    english = run_demo(
        "/events\nb\nplease sign up\n", "--lang", "en", "--db", str(tmp_path / "e.db")
    )
    assert "✅ You are signed up" in english.split("> please sign up", 1)[1], english


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "mich bitte anmelden"),
        ("de", "ok dann anmelden"),
        ("de", "gleich eintragen bitte"),
        ("de", "na dann meld ich mich mal an"),
        ("en", "register me please"),
        ("en", "ok put me down for it"),
    ],
)
async def test_a_wish_to_sign_up_under_an_events_card_signs_up(
    talk: Harness, user: str, text: str
) -> None:
    await talk.press(user, f"ev:show:{WORKSHOP}")
    said = await talk.send(user, text)
    assert no_topics(said), said.text
    if not await signed_up(talk, user, WORKSHOP):  # "ok …" is the card's yes already
        assert offers_sign_up(said, WORKSHOP), said.text
        await talk.send(user, "ja" if user == "de" else "yes")
    assert await signed_up(talk, user, WORKSHOP)


# --- 2. when it starts and where it is, in one breath ---------------------------------------


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "wann gehts da nochmal los und wo genau?"),
        ("de", "um wie viel uhr beginnt das und wo ist das?"),
        ("de", "wann fängt das nochmal an und wo genau ist das?"),
        ("en", "what time does it start and where is it again?"),
        ("en", "when does it begin? and where exactly?"),
    ],
)
async def test_when_and_where_asked_together_of_the_event_just_shown(
    talk: Harness, user: str, text: str
) -> None:
    await talk.press(user, f"ev:show:{WORKSHOP}")
    said = await talk.send(user, text)
    assert "10:00" in said.text and "Technikum Wernigerode" in said.text, said.text
    assert no_topics(said), said.text


# --- 3. until when it goes, how long it lasts -----------------------------------------------


@pytest.mark.parametrize(
    ("user", "text", "end"),
    [
        ("de", "bis wann geht der werkstatttag?", "16:30"),
        ("de", "wie lange dauert die fachkonferenz", "16:00"),
        ("en", "when does the workshop finish?", "16:30"),
        ("en", "how long is the conference?", "16:00"),
        # "what time" asks when, not which events (walkthrough 2026-12-06, second round)
        ("en", "what time does the conference finish?", "16:00"),
        ("en", "what time is the workshop over?", "16:30"),
    ],
)
async def test_until_when_an_event_named_goes(
    talk: Harness, user: str, text: str, end: str
) -> None:
    said = await talk.send(user, text)
    assert end in said.text and no_topics(said), said.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "und wie lang geht das so?"),
        ("de", "bis wann gehts?"),
        ("de", "wann is schluss?"),
        ("de", "bis wieviel uhr geht das?"),
        ("en", "when does it end?"),
    ],
)
async def test_until_when_the_event_just_shown_goes(talk: Harness, user: str, text: str) -> None:
    await talk.press(user, f"ev:show:{WORKSHOP}")
    said = await talk.send(user, text)
    assert "16:30" in said.text and no_topics(said), said.text


_DAY_NAMES = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}


@pytest.mark.parametrize(
    ("user", "asked"),
    [("de", "und bis wann geht das am {day}?"), ("en", "until when does it go on {day}?")],
)
async def test_until_when_the_event_goes_on_its_second_day(
    talk: Harness, user: str, asked: str
) -> None:
    # "bis wann geht das am freitag" of a conference from Thursday to Friday had found no
    # event on Friday: an event is on every day it runs, not only the day it starts
    second_day = days_ahead(talk, 51).weekday()
    await talk.press(user, f"ev:show:{CONFERENCE}")
    said = await talk.send(user, asked.format(day=_DAY_NAMES[user][second_day]))
    number = f"(Nr. {CONFERENCE})" if user == "de" else f"(no. {CONFERENCE})"
    assert "16:00" in said.text and number in said.text, said.text


async def test_what_is_on_a_day_lists_an_event_running_since_the_day_before(
    talk: Harness,
) -> None:
    second_day = days_ahead(talk, 51)
    said = await talk.send("de", f"Was ist am {second_day:%d.%m.%Y} los?")
    assert "Fachkonferenz Edelmetallkreislauf" in said.text, said.text
    assert "Werkstatttag" not in said.text, said.text
    the_day_after = days_ahead(talk, 52)
    later = await talk.send("de", f"Was ist am {the_day_after:%d.%m.%Y} los?")
    assert "Fachkonferenz Edelmetallkreislauf (Nr." not in later.text, later.text


async def test_how_long_something_else_takes_is_no_events_end(talk: Harness) -> None:
    said = await talk.send("de", "Wie lange dauert die Kündigung der Mitgliedschaft?")
    assert "16:30" not in said.text and "Nr. " not in said.text, said.text


# --- 4. bringing someone along, whoever they are --------------------------------------------


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "kann ich ne werkstudentin zum workshop mitbringen?"),
        ("de", "darf ich meinen lehrling zum workshop mitbringen"),
        ("de", "kann ich meinen chef zum workshop mitbringen?"),
        ("de", "kann ich zum workshop meine praktikanten mitbringen? die sind noch ganz neu"),
        ("en", "can I bring my intern to the workshop?"),
        ("en", "may I bring my apprentice along to the workshop?"),
    ],
)
async def test_bringing_any_person_is_each_person_signs_up(
    talk: Harness, user: str, text: str
) -> None:
    said = await talk.send(user, text)
    each = EACH_DE if user == "de" else EACH_EN
    assert each in said.text and f"ev:join:{WORKSHOP}" in said.buttons, said.text


@pytest.mark.parametrize(
    "text",
    [
        "kann ich noch jmd anmelden, nen kollegen?",
        "kann ich eine auszubildende anmelden?",
        "darf ich jemanden aus meinem team anmelden",
    ],
)
async def test_signing_up_another_person_under_the_card_is_each_person_signs_up(
    talk: Harness, text: str
) -> None:
    await talk.press("de", f"ev:show:{WORKSHOP}")
    said = await talk.send("de", text)
    assert EACH_DE in said.text and f"ev:join:{WORKSHOP}" in said.buttons, said.text


@pytest.mark.parametrize(
    "text", ["Kann ich meinen Hund mitbringen?", "kann ich nen laptop mitbringen"]
)
async def test_bringing_a_thing_or_an_animal_is_no_sign_up_question(
    talk: Harness, text: str
) -> None:
    await talk.press("de", f"ev:show:{WORKSHOP}")
    said = await talk.send("de", text)
    assert EACH_DE not in said.text, said.text


# --- 5. the event stays what "das" means while the member talks about it --------------------


async def test_the_event_stays_the_context_over_questions_about_it(talk: Harness) -> None:
    await talk.send("de", f"/termin {WORKSHOP}")
    await talk.send("de", "gibts da einen aufzug?")  # the office's, about the workshop
    await talk.send("de", "kann man dort übernachten?")
    calendar = await talk.send("de", "pack das in meinen kalender")
    assert any(r.attachment is not None for r in calendar.replies), calendar.text
    await talk.send("de", "muss ich dort arbeitsschuhe tragen?")
    programme = await talk.send("de", "wie sieht denn das programm aus?")
    assert "Traktionsbatterien" in programme.text, programme.text
    await talk.send("de", "gibts da mittagessen?")
    bring = await talk.send("de", "kann ich ne praktikantin mitbringen?")
    assert EACH_DE in bring.text and f"ev:join:{WORKSHOP}" in bring.buttons, bring.text


async def test_the_event_stays_the_context_after_a_sign_up_and_questions(talk: Harness) -> None:
    await talk.press("en", f"ev:show:{WORKSHOP}")
    await talk.press("en", f"ev:join:{WORKSHOP}")
    await talk.send("en", "is there a lift there?")
    await talk.send("en", "can I park there?")
    calendar = await talk.send("en", "can you add it to my calendar?")
    assert any(r.attachment is not None for r in calendar.replies), calendar.text


async def test_a_question_about_something_else_ends_it(talk: Harness) -> None:
    await talk.send("de", f"/termin {WORKSHOP}")
    await talk.send("de", "gibts da einen aufzug?")
    await talk.send("de", "Was kostet die Mitgliedschaft im Jahr?")
    calendar = await talk.send("de", "trag das in meinen kalender ein")
    assert not any(r.attachment is not None for r in calendar.replies), calendar.text


async def test_another_event_named_in_between_is_the_one_meant_next(talk: Harness) -> None:
    await talk.send("de", f"/termin {WORKSHOP}")
    await talk.send("de", "gibts da einen aufzug?")
    await talk.send("de", "was kostet die fachkonferenz?")
    said = await talk.send("de", "wann fängt die nochmal an?")
    assert "Fachkonferenz" in said.text and "Werkstatttag" not in said.text, said.text


async def test_a_command_in_between_ends_it(talk: Harness) -> None:
    await talk.send("en", f"/event {WORKSHOP}")
    await talk.send("en", "is there a lift there?")
    await talk.send("en", "/help")
    calendar = await talk.send("en", "put it in my calendar please")
    assert not any(r.attachment is not None for r in calendar.replies), calendar.text


# --- 6. the programme of the event talked about, other questions between --------------------


@pytest.mark.parametrize(
    ("user", "steps", "question", "said"),
    [
        (
            "de",
            [f"/termin {WORKSHOP}", "Was kostet die Mitgliedschaft im Jahr?"],
            "was steht denn im programm?",
            "Traktionsbatterien",
        ),
        (
            "en",
            [f"/event {WORKSHOP}", "How much is the membership fee?", "/help"],
            "what's on the agenda?",
            "traction batteries",
        ),
        (
            "en",
            [f"/event {WORKSHOP}", "How much is the membership fee?"],
            "what's the agenda of the conference?",
            "has not published a programme for Precious Metals Cycle Conference",
        ),
    ],
)
async def test_the_programme_after_other_questions_is_the_events(
    talk: Harness, user: str, steps: list[str], question: str, said: str
) -> None:
    for step in steps:
        await talk.send(user, step)
    answer = await talk.send(user, question)
    assert said in answer.text and no_topics(answer), answer.text


async def test_the_programme_with_no_event_talked_about_is_not_guessed(talk: Harness) -> None:
    await talk.send("de", "Was kostet die Mitgliedschaft im Jahr?")
    answer = await talk.send("de", "was steht denn im programm?")
    assert "Traktionsbatterien" not in answer.text, answer.text
