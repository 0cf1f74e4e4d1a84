"""Dates as people type them: German and English forms, polite refusals, never a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from handlers.events.dates import parse_when, show_when
from handlers.events.form import draft_from_form, parse_reminders

BERLIN = ZoneInfo("Europe/Berlin")
MORNING = datetime(2027, 3, 12, 8, 30, tzinfo=UTC)  # 9:30 in Berlin (winter time)


@pytest.mark.parametrize(
    "typed",
    [
        "12.03.2027 9:30",
        "12.03.2027, 9:30 Uhr",
        "12.3.27 9.30",
        "12.03.2027 um 9:30",
        "2027-03-12 09:30",
        "2027-03-12T09:30",
        "  2027-03-12   09:30 ",
    ],
)
def test_german_and_english_forms(typed: str) -> None:
    assert parse_when(typed, tz=BERLIN) == MORNING


def test_summer_time_and_date_only() -> None:
    assert parse_when("01.07.2027 10:00", tz=BERLIN) == datetime(2027, 7, 1, 8, 0, tzinfo=UTC)
    assert parse_when("01.07.2027", tz=BERLIN) == datetime(2027, 6, 30, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "typed",
    ["1 March 2027 14:00", "March 1, 2027 2pm", "1. März 2027, 14 Uhr", "1st of March 2027 at 2pm"],
)
def test_a_month_in_words_is_read_with_its_time(typed: str) -> None:
    # (walkthrough: the office's event wizard had refused these as no date)
    assert parse_when(typed, tz=BERLIN) == datetime(2027, 3, 1, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("morgen 14 Uhr", "events.date_relative"),
        ("tomorrow at 2pm", "events.date_relative"),
        ("nächsten Freitag", "events.date_relative"),
        ("31.02.2027 10:00", "events.no_such_day"),
        ("2027-02-29", "events.no_such_day"),
        ("2027-13-01 09:00", "events.no_such_month"),
        ("01.00.2027", "events.no_such_month"),
        ("12.03.2027 25:00", "events.no_such_time"),
        ("irgendwann", "events.bad_date"),
        ("", "events.bad_date"),
    ],
)
def test_refused_politely(typed: str, key: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_when(typed, tz=BERLIN)
    assert refused.value.key == key


@given(st.text(max_size=80))
def test_any_text_is_a_date_or_a_user_error(text: str) -> None:
    try:
        moment = parse_when(text, tz=BERLIN)
    except UserError:
        return
    assert moment.tzinfo is UTC


def test_shown_in_the_networks_zone() -> None:
    assert show_when(MORNING, lang="de", tz=BERLIN) == "Fr 12.03.2027, 09:30 Uhr"
    assert show_when(MORNING, lang="en", tz=BERLIN) == "Fri 2027-03-12, 09:30"


def test_one_line_form_in_both_languages() -> None:
    german = draft_from_form(
        "art=Exkursion; titel=Goslar; beginn=12.03.2027 9:30; plätze=30; zielgruppe=yp; "
        "erinnerungen=7d, 1d, 2h",
        tz=BERLIN,
    )
    english = draft_from_form(
        "kind=excursion; title=Goslar; start=2027-03-12 09:30; capacity=30; audience=yp; "
        "reminders=2h 1d 7d",
        tz=BERLIN,
    )
    assert german == english
    assert german.start == MORNING and german.reminder_hours == [168, 24, 2]
    assert parse_reminders("-") == []
