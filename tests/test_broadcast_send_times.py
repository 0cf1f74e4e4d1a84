"""The send time of a broadcast planned for later, typed as the event form reads a start:
"morgen 9 Uhr", "tomorrow 9am", "10.01. 09:00", "nächsten Freitag 14 Uhr", German and English."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UserError
from handlers.broadcast.rules import parse_send_time
from tests.harness import Harness, fixed_clock
from tests.test_broadcast import network
from tests.test_broadcast_languages import broadcast_preview

BERLIN = ZoneInfo("Europe/Berlin")
# Wednesday 9 June 2027, 16:30 in Berlin (summer time: UTC+2).
NOW = datetime(2027, 6, 9, 14, 30, tzinfo=UTC)


def _berlin(month: int, day: int, hour: int, minute: int = 0, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("morgen 9 Uhr", _berlin(6, 10, 9)),
        ("tomorrow 9am", _berlin(6, 10, 9)),
        ("Morgen, 8:30", _berlin(6, 10, 8, 30)),
        ("übermorgen um 7", _berlin(6, 11, 7)),
        ("nächsten Freitag 14 Uhr", _berlin(6, 11, 14)),
        ("next monday 2pm", _berlin(6, 14, 14)),
        ("20.07. 09:00", _berlin(7, 20, 9)),
        ("10.01. 09:00", _berlin(1, 10, 9, year=2028)),  # this year's is past: next year's
        ("Fr 11.06.2027, 09:30 Uhr", _berlin(6, 11, 9, 30)),
        ("2027-07-01T09:30", _berlin(7, 1, 9, 30)),
        # as before: a time alone is today's, or tomorrow's once it has passed
        ("18:00", _berlin(6, 9, 18)),
        ("6pm", _berlin(6, 9, 18)),
        ("09:00", _berlin(6, 10, 9)),
        ("halb zehn", _berlin(6, 10, 9, 30)),
        ("24.12.2027 09:00", _berlin(12, 24, 9)),
    ],
)
def test_a_send_time_is_read_as_the_event_form_reads_a_start(
    typed: str, expected: datetime
) -> None:
    assert parse_send_time(typed, now=NOW, zone=BERLIN) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("31.02. 10:00", "events.no_such_day"),
        ("31.02.2028 10:00", "events.no_such_day"),
        ("morgen 25 Uhr", "events.no_such_time"),
        ("Mo 11.06.2027 9:00", "events.weekday_mismatch"),
        ("morgen", "broadcast.time_needs_clock"),  # a day without its time: not midnight
        ("next friday", "broadcast.time_needs_clock"),
        ("morgen früh", "broadcast.bad_time"),
        ("bald", "broadcast.bad_time"),
        ("01.01.2027 10:00", "broadcast.time_passed"),
        ("01.01.2030 10:00", "broadcast.time_too_far"),
    ],
)
def test_a_send_time_that_is_none_is_refused_with_its_reason(typed: str, key: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_send_time(typed, now=NOW, zone=BERLIN)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("lang", "schedule", "typed", "shown", "no_day", "no_day_said"),
    [
        (
            "de",
            "Zeitpunkt wählen",
            "morgen 9 Uhr",
            "Do 10.06.2027, 09:00 Uhr",
            "31.02. 10:00",
            "Den Tag in „31.02. 10:00“ gibt es nicht",
        ),
        (
            "en",
            "Choose a time",
            "tomorrow 9am",
            "Thu 2027-06-10, 09:00",
            "31.02. 10:00",
            "The day in “31.02. 10:00” does not exist",
        ),
    ],
)
async def test_the_office_plans_a_broadcast_for_tomorrow_in_words(
    bot: Harness, lang: str, schedule: str, typed: str, shown: str, no_day: str, no_day_said: str
) -> None:
    """The walkthrough's office typed "morgen 9 uhr" and "10.01. 09:00" at the broadcast's
    time and was told they were no time, while the event form read both."""
    bot.app.services.clock = fixed_clock(NOW)
    await network(bot)
    preview = await broadcast_preview(bot, lang, "Der Recyclingtag zieht in den Frühling um.")
    await bot.press("admin", preview.button(schedule))
    refused = await bot.send("admin", no_day)
    assert no_day_said in refused.text, refused.text
    day_only = await bot.send("admin", typed.split()[0])  # "morgen": at what time?
    assert ("Um wie viel Uhr" if lang == "de" else "At what time") in day_only.text
    planned = await bot.send("admin", typed)
    assert shown in planned.text, planned.text
