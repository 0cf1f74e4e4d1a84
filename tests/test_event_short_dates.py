"""What a busy office types for a date: a day without its year ("15.12. 18 Uhr"), a weekday
shortened ("Di 14 Uhr", "Fri 6pm"), a new start as a time alone when editing
("/terminaendern 4 beginn=15 Uhr"), and "überspringen"/"skip" at the announce question."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from handlers.events.dates import parse_when
from storage.event_store import as_utc
from storage.events import Event
from tests.confirming import confirmed
from tests.harness import Harness, fixed_clock
from tests.test_event_relative_dates import guided_form_until_start, skipped_to_preview
from tests.test_events import create, outbox

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 16 November 2027, 10:15 in Berlin (winter time: UTC+1).
NOW = datetime(2027, 11, 16, 9, 15, tzinfo=UTC)


def _berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15.12. 18 Uhr", _berlin(2027, 12, 15, 18)),
        ("15.12. 18:00", _berlin(2027, 12, 15, 18)),
        ("15.12., 18 Uhr", _berlin(2027, 12, 15, 18)),
        ("15.12. um 18.30", _berlin(2027, 12, 15, 18, 30)),
        ("15.12. 6pm", _berlin(2027, 12, 15, 18)),
        ("15.12.", _berlin(2027, 12, 15)),
        # already past this year: next year's
        ("10.01. 9 Uhr", _berlin(2028, 1, 10, 9)),
        ("16.11. 9 Uhr", _berlin(2028, 11, 16, 9)),  # today, but 9:00 is over
        ("16.11. 18 Uhr", _berlin(2027, 11, 16, 18)),  # today, still ahead
        ("29.02. 10 Uhr", _berlin(2028, 2, 29, 10)),  # the next 29 February there is
        # with its weekday, as the bot shows a day
        ("Di 23.11. 10 Uhr", _berlin(2027, 11, 23, 10)),
        ("Tue 23.11. 10am", _berlin(2027, 11, 23, 10)),
    ],
)
def test_a_day_without_its_year_is_the_next_such_day(typed: str, expected: datetime) -> None:
    assert parse_when(typed, tz=BERLIN, now=NOW) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Di 14 Uhr", _berlin(2027, 11, 23, 14)),  # today is a Tuesday: a week later
        ("Dienstag 14 Uhr", _berlin(2027, 11, 23, 14)),
        ("Mi 9:30", _berlin(2027, 11, 17, 9, 30)),
        ("Fr. 14:00", _berlin(2027, 11, 19, 14)),
        ("am Do um 18 Uhr", _berlin(2027, 11, 18, 18)),
        ("Fri 6pm", _berlin(2027, 11, 19, 18)),
        ("Friday 6pm", _berlin(2027, 11, 19, 18)),
        ("next Thu 9am", _berlin(2027, 11, 18, 9)),
        ("Sat 10:00", _berlin(2027, 11, 20, 10)),
    ],
)
def test_a_weekday_short_or_long_with_a_time(typed: str, expected: datetime) -> None:
    assert parse_when(typed, tz=BERLIN, now=NOW) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("31.02. 10 Uhr", "events.no_such_day"),
        ("Mi 23.11. 10 Uhr", "events.weekday_mismatch"),  # 23.11.2027 is a Tuesday
        ("15.12. 25 Uhr", "events.no_such_time"),
        ("Di 3", "events.date_relative"),  # 3 or 15 o'clock?
    ],
)
def test_what_cannot_be_is_still_refused(typed: str, key: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_when(typed, tz=BERLIN, now=NOW)
    assert refused.value.key == key


def test_without_a_clock_a_day_without_a_year_is_refused() -> None:
    with pytest.raises(UserError):
        parse_when("15.12. 18 Uhr", tz=BERLIN)


@pytest.mark.parametrize(
    ("lang", "start", "said"),
    [
        ("de", "15.12. 18 Uhr", "Mi 15.12.2027, 18:00 Uhr"),
        ("de", "Di 14 Uhr", "Di 23.11.2027, 14:00 Uhr"),
        ("en", "Fri 6pm", "Fri 2027-11-19, 18:00"),
        ("en", "15.12. 18:00", "Wed 2027-12-15, 18:00"),
    ],
)
async def test_the_guided_form_takes_the_short_forms(
    bot: Harness, lang: str, start: str, said: str
) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    await guided_form_until_start(bot, lang)
    answer = await bot.send("admin", start)
    # the day and year the bot chose are said at once, as for "nächsten Freitag"
    understood = "Verstanden: " if lang == "de" else "Understood: "
    assert understood + said in answer.text, answer.text
    preview = await skipped_to_preview(bot, "repeat", "end", "place", "capacity", "deadline")
    assert said in preview.text, preview.text


@pytest.mark.parametrize(
    ("lang", "command", "field", "value"),
    [
        ("de", "/terminaendern", "beginn", "15 Uhr"),
        ("de", "/terminaendern", "beginn", "15:00"),
        ("en", "/editevent", "start", "3pm"),
        ("en", "/editevent", "start", "at 15:00"),
    ],
)
async def test_an_edit_takes_a_new_start_as_a_time_on_the_events_day(
    bot: Harness, lang: str, command: str, field: str, value: str
) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    number = await create(bot, "art=workshop; titel=Sortierlabor; beginn=19.11.2027 9:00")
    await bot.send("admin", f"/language {lang}")
    button = "Speichern" if lang == "de" else "Save"
    done = await confirmed(bot, f"{command} {number} {field}={value}", button)
    assert "Datum" not in done.text and "as a date" not in done.text, done.text
    async with bot.db.session() as session:
        event = await session.get(Event, number)
    assert event is not None
    assert as_utc(event.starts_at) == _berlin(2027, 11, 19, 15)


async def test_an_edit_keeps_a_length_when_the_start_moves_by_a_time_alone(bot: Harness) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    form = "art=workshop; titel=Sortierlabor; beginn=19.11.2027 9:00; ende=12 Uhr"
    number = await create(bot, form)
    await confirmed(bot, f"/terminaendern {number} beginn=14 Uhr")
    async with bot.db.session() as session:
        event = await session.get(Event, number)
    assert event is not None and event.ends_at is not None
    assert as_utc(event.ends_at) == _berlin(2027, 11, 19, 17)


@pytest.mark.parametrize(
    ("lang", "typed", "created"),
    [
        ("de", "überspringen", "ohne Ankündigung"),
        ("de", "Überspringen", "ohne Ankündigung"),
        ("en", "skip", "without an announcement"),
        ("en", "Skip", "without an announcement"),
    ],
)
async def test_skip_at_the_announce_question_means_not_announced(
    bot: Harness, lang: str, typed: str, created: str
) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    await bot.onboard("anna")
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/neuertermin" if lang == "de" else "/newevent")
    await bot.press("admin", "evf:kind:workshop")
    await bot.send("admin", "Stammtisch Recycling")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", "19.11.2027 18:00")
    await bot.press("admin", "evf:repeat:-")
    await bot.press("admin", "evf:end:-")
    await bot.press("admin", "evf:place:-")
    await bot.press("admin", "evf:capacity:-")
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    await bot.press("admin", "evf:description:-")
    preview = await bot.send("admin", typed)
    assert "Datum" not in preview.text and "as a date" not in preview.text, preview.text
    done = await bot.press("admin", preview.button("Speichern" if lang == "de" else "Save"))
    assert created in done.text, done.text
    assert await outbox(bot, "event_announcement") == []
