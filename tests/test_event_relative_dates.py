"""Days in words ("morgen 14 Uhr", "next friday 2pm") counted from the network's clock, and an
end typed as a length after the start ("3 Stunden", "+3h"), in both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from handlers.events.dates import parse_end, parse_when
from handlers.events.form import draft_from_form
from storage.event_store import as_utc
from storage.events import Event
from tests.confirming import confirmed
from tests.harness import Chat, Harness, fixed_clock
from tests.test_events import create

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday 16 November 2027, 10:15 in Berlin (winter time: UTC+1).
NOW = datetime(2027, 11, 16, 9, 15, tzinfo=UTC)


def _berlin(day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A local moment in November 2027, as the database holds it (UTC)."""
    return datetime(2027, 11, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("heute 18 Uhr", _berlin(16, 18)),
        ("today at 6pm", _berlin(16, 18)),
        ("morgen 14 Uhr", _berlin(17, 14)),
        ("Morgen, 14:30", _berlin(17, 14, 30)),
        ("tomorrow 2:30pm", _berlin(17, 14, 30)),
        ("übermorgen um 9", _berlin(18, 9)),
        ("uebermorgen 9.45", _berlin(18, 9, 45)),
        ("nächsten Freitag 14 Uhr", _berlin(19, 14)),
        ("naechsten Freitag um 14", _berlin(19, 14)),
        ("am Freitag, 14.30", _berlin(19, 14, 30)),
        ("Freitag 14h", _berlin(19, 14)),
        ("next friday 2pm", _berlin(19, 14)),
        ("Friday at 2 pm", _berlin(19, 14)),
        ("on friday 2:30 p.m.", _berlin(19, 14, 30)),
        ("2pm next friday", _berlin(19, 14)),
        ("14 Uhr am Freitag", _berlin(19, 14)),
        ("nächsten Freitag", _berlin(19)),
        ("Sonntag 10:00", _berlin(21, 10)),
        ("Montag 9:00", _berlin(22, 9)),
        ("tomorrow 12am", _berlin(17, 0)),
        ("tomorrow 12pm", _berlin(17, 12)),
    ],
)
def test_days_in_words_count_from_the_networks_now(typed: str, expected: datetime) -> None:
    assert parse_when(typed, tz=BERLIN, now=NOW) == expected


def test_a_weekday_is_the_next_such_day_after_today_never_today() -> None:
    # NOW is a Tuesday: "Dienstag", "this tuesday" and "next tuesday" are a week later
    week_later = ("Dienstag 10:00", "this tuesday 10am", "next tuesday 10am", "diesen Dienstag 10h")
    for typed in week_later:
        assert parse_when(typed, tz=BERLIN, now=NOW) == _berlin(23, 10), typed
    assert parse_when("heute 20:00", tz=BERLIN, now=NOW) == _berlin(16, 20)


def test_today_is_the_networks_day_not_utcs() -> None:
    # 23:30 UTC on Tuesday is already Wednesday in Berlin: "morgen" is Thursday
    late = datetime(2027, 11, 16, 23, 30, tzinfo=UTC)
    assert parse_when("morgen 9:00", tz=BERLIN, now=late) == _berlin(18, 9)


def test_a_deadline_in_words_keeps_its_default_time() -> None:
    last = datetime(2027, 11, 19, 23, 59, tzinfo=BERLIN).astimezone(UTC)
    draft = draft_from_form("anmeldeschluss=Freitag", tz=BERLIN, now=NOW)
    assert draft.deadline == last


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Freitag 3", "events.date_relative"),  # 3 or 15 o'clock?
        ("nächste Woche", "events.date_relative"),
        ("next week friday", "events.date_relative"),
        ("morgen abend", "events.date_relative"),
        ("tomorrow 13pm", "events.no_such_time"),
        ("Freitag 25:00", "events.no_such_time"),
        ("Do 12.03.2027 9:30", "events.weekday_mismatch"),  # 12.03.2027 is a Friday
    ],
)
def test_what_stays_unclear_is_refused_with_an_example(typed: str, key: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_when(typed, tz=BERLIN, now=NOW)
    assert refused.value.key == key


def test_without_a_clock_words_are_still_refused() -> None:
    with pytest.raises(UserError) as refused:
        parse_when("morgen 14 Uhr", tz=BERLIN)
    assert refused.value.key == "events.date_relative"


def test_a_date_as_the_bot_shows_it_is_read_back() -> None:
    friday = datetime(2027, 3, 12, 8, 30, tzinfo=UTC)
    assert parse_when("Fr 12.03.2027, 09:30 Uhr", tz=BERLIN) == friday
    assert parse_when("Fri 2027-03-12, 09:30", tz=BERLIN) == friday
    assert parse_when("12.03.2027 9:30 am", tz=BERLIN) == friday


START = _berlin(19, 14)  # Friday 14:00


@pytest.mark.parametrize(
    ("typed", "after"),
    [
        ("3 Stunden", timedelta(hours=3)),
        ("3 hours", timedelta(hours=3)),
        ("3 Std.", timedelta(hours=3)),
        ("2,5 h", timedelta(hours=2, minutes=30)),
        ("2.5 hours", timedelta(hours=2, minutes=30)),
        ("90 min", timedelta(minutes=90)),
        ("90 Minuten", timedelta(minutes=90)),
        ("1 h 30 min", timedelta(minutes=90)),
        ("+3h", timedelta(hours=3)),
        ("eine Stunde", timedelta(hours=1)),
        ("2 Tage", timedelta(days=2)),
        ("14 days", timedelta(days=14)),
        ("3h", timedelta(hours=3)),  # 03:00 is before the start: a length
    ],
)
def test_an_end_typed_as_a_length_after_the_start(typed: str, after: timedelta) -> None:
    assert parse_end(typed, tz=BERLIN, start=START, now=NOW) == START + after


def test_an_end_still_reads_as_a_time_or_a_date() -> None:
    assert parse_end("17 Uhr", tz=BERLIN, start=START) == _berlin(19, 17)
    assert parse_end("5pm", tz=BERLIN, start=START) == _berlin(19, 17)
    assert parse_end("Samstag 12:00", tz=BERLIN, start=START, now=NOW) == _berlin(20, 12)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("0 h", "events.length_not_positive"),
        ("0 min", "events.length_not_positive"),
        ("-2h", "events.length_not_positive"),
        ("15 Tage", "events.length_too_long"),
        ("400 hours", "events.length_too_long"),
        ("17h", "events.end_ambiguous"),  # 17:00, or 17 hours after 14:00?
    ],
)
def test_an_impossible_or_unclear_length_is_refused(typed: str, key: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_end(typed, tz=BERLIN, start=START, now=NOW)
    assert refused.value.key == key


def test_a_length_needs_the_start() -> None:
    with pytest.raises(UserError) as refused:
        draft_from_form("ende=3 Stunden", tz=BERLIN, now=NOW)
    assert refused.value.key == "events.length_needs_start"


@given(st.text(max_size=60))
def test_any_text_is_a_moment_or_a_user_error(text: str) -> None:
    try:
        moment = parse_when(text, tz=BERLIN, now=NOW)
    except UserError:
        return
    assert moment.tzinfo is UTC


_WORDISH = st.lists(
    st.sampled_from(
        [
            "morgen",
            "next",
            "friday",
            "am",
            "um",
            "14",
            "2",
            "30",
            "pm",
            "h",
            "Uhr",
            ",",
            "+",
            "-",
            "Stunden",
            "min",
            "2,5",
            "Tage",
            "0",
            "99",
            ":",
            ".",
            "on",
            "this",
            "at",
            "d",
        ]
    ),
    max_size=6,
).map(" ".join)


@given(st.one_of(_WORDISH, st.text(max_size=40)))
def test_any_end_is_a_moment_after_the_start_or_a_user_error(text: str) -> None:
    try:
        end = parse_end(text, tz=BERLIN, start=START, now=NOW)
    except UserError:
        return
    assert end.tzinfo is not None


async def test_the_guided_form_shows_what_next_friday_became(bot: Harness) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:workshop")
    await bot.send("admin", "Stammtisch Recycling")
    await bot.press("admin", "evf:title_en:-")
    # what the words became is said at once, before the next question
    start = await bot.send("admin", "nächsten Freitag 14 Uhr")
    assert "Verstanden: Fr 19.11.2027, 14:00 Uhr." in start.text, start.text
    await bot.press("admin", "evf:repeat:-")
    end = await bot.send("admin", "3 Stunden")
    assert "Verstanden: Fr 19.11.2027, 17:00 Uhr." in end.text and "Wo findet" in end.text
    # a place typed in words is not a moment: nothing is said about it
    assert "Verstanden" not in (await bot.send("admin", "Clausthal")).text
    await bot.press("admin", "evf:place_en:-")
    await bot.send("admin", "20")
    await bot.send("admin", "Donnerstag")  # deadline: 23:59 the day before
    await bot.press("admin", "evf:audience:all")
    await bot.send("admin", "-")
    await bot.send("admin", "-")
    preview = await bot.press("admin", "evf:announce:no")
    assert "Fr 19.11.2027, 14:00 Uhr – 17:00 Uhr" in preview.text, preview.text
    assert "Do 18.11.2027, 23:59 Uhr" in preview.text, preview.text


async def test_the_one_line_form_in_english_takes_words_and_a_length(bot: Harness) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    await bot.send("admin", "/language en")
    preview = await bot.send(
        "admin", "/newevent kind=workshop; title=Sorting lab; start=next friday 2pm; end=+90 min"
    )
    assert "Fri 2027-11-19, 14:00 – 15:30" in preview.text, preview.text


async def test_an_edit_takes_a_new_end_as_a_length_after_the_kept_start(bot: Harness) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    number = await create(bot, "art=workshop; titel=Sortierlabor; beginn=Montag 9:00; ende=12 Uhr")
    await confirmed(bot, f"/editevent {number} ende=2,5 Stunden")
    async with bot.db.session() as session:
        event = await session.get(Event, number)
    assert event is not None and event.ends_at is not None
    assert as_utc(event.ends_at) == _berlin(22, 11, 30)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("bis 17 Uhr", _berlin(19, 17)),
        ("bis halb 17", _berlin(19, 16, 30)),
        ("halb siebzehn", _berlin(19, 16, 30)),
        ("bis viertel nach 17", _berlin(19, 17, 15)),
        ("Viertel vor 18 Uhr", _berlin(19, 17, 45)),
        ("until half past 17", _berlin(19, 17, 30)),
        ("until a quarter to 18", _berlin(19, 17, 45)),
        ("until 5pm", _berlin(19, 17)),
        # an hour in words is on the 24-hour clock, as "um 4" is; before this start its
        # afternoon hour is meant (`dates._after_start`): "bis halb fünf" is 16:30
        ("bis halb fünf", _berlin(19, 16, 30)),
        ("bis halb fuenf", _berlin(19, 16, 30)),
        ("viertel nach vier", _berlin(19, 16, 15)),
    ],
)
def test_an_end_typed_as_a_time_in_words(typed: str, expected: datetime) -> None:
    """The walkthrough's office typed "bis halb fünf" at the end: it was no date."""
    assert parse_end(typed, tz=BERLIN, start=START, now=NOW) == expected


def test_a_time_in_words_needs_a_day_and_an_hour_there_is() -> None:
    with pytest.raises(UserError) as refused:
        parse_when("halb fünf", tz=BERLIN, now=NOW)  # a start: no day known
    assert refused.value.key == "events.bad_date"
    with pytest.raises(UserError) as refused:
        parse_end("bis halb 30", tz=BERLIN, start=START)
    assert refused.value.key == "events.no_such_time"


@pytest.mark.parametrize(
    ("lang", "end", "shown"),
    [("de", "bis halb zwölf", "11:30 Uhr"), ("en", "until quarter to twelve", "11:45")],
)
async def test_the_guided_form_takes_an_end_in_words(
    bot: Harness, lang: str, end: str, shown: str
) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    await guided_form_until_start(bot, lang)
    await bot.send("admin", "19.11.2027 9:30")
    await bot.press("admin", "evf:repeat:-")
    place = await bot.send("admin", end)
    assert ("Wo findet" if lang == "de" else "Where does") in place.text, place.text
    # what the words became is said at once, as for "nächsten Freitag"
    said = "Verstanden: Fr 19.11.2027, " if lang == "de" else "Understood: Fri 2027-11-19, "
    assert said + shown in place.text, place.text
    await bot.send("admin", "Clausthal")
    preview = await skipped_to_preview(bot, "place_en", "capacity", "deadline")
    assert shown in preview.text, preview.text


@pytest.mark.parametrize(
    ("lang", "said", "back"),
    [
        ("de", "Verstanden: Fr 19.11.2027, 20:00 Uhr. („8:00“ liegt vor dem Beginn", "zurück"),
        ("en", "Understood: Fri 2027-11-19, 20:00. (“8:00” is before the start", "back"),
    ],
)
async def test_an_end_read_as_the_evening_says_so_and_back_asks_it_again(
    bot: Harness, lang: str, said: str, back: str
) -> None:
    # a walkthrough's office typed "8:00" for a 09:30 start: "Verstanden: …, 20:00 Uhr."
    # alone let the evening pass unnoticed ("08:00" is refused as before the start)
    bot.app.services.clock = fixed_clock(NOW)
    await guided_form_until_start(bot, lang)
    await bot.send("admin", "19.11.2027 9:30")
    await bot.press("admin", "evf:repeat:-")
    place = await bot.send("admin", "8:00")
    assert said in place.text, place.text
    again = await bot.send("admin", back)
    assert ("Wann endet sie?" if lang == "de" else "When does it end?") in again.text
    refused = await bot.send("admin", "08:00")
    assert ("vor dem Beginn 09:30" if lang == "de" else "before the start, 09:30") in refused.text
    # an end written as the evening's hour is said plainly
    plain = await bot.send("admin", "17:00")
    assert "(" not in plain.text.split("\n")[0], plain.text


async def guided_form_until_start(bot: Harness, lang: str) -> None:
    """The office's guided form in `lang` up to the start's question: a workshop, its title,
    no English title."""
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/neuertermin" if lang == "de" else "/newevent")
    await bot.press("admin", "evf:kind:workshop")
    await bot.send("admin", "Stammtisch Recycling")
    await bot.press("admin", "evf:title_en:-")


async def skipped_to_preview(bot: Harness, *steps: str) -> Chat:
    """The guided form's `steps` skipped, then everyone, no description, not announced: the
    preview."""
    for step in steps:
        await bot.press("admin", f"evf:{step}:-")
    await bot.press("admin", "evf:audience:all")
    await bot.press("admin", "evf:description:-")
    return await bot.press("admin", "evf:announce:no")


@pytest.mark.parametrize(
    ("typed", "hour", "minute"),
    [
        ("bis halb fünf", 16, 30),  # from 14:00: the afternoon's, as anyone reads it
        ("viertel vor sechs", 17, 45),
        ("bis 4:30", 16, 30),
        ("17 Uhr", 17, 0),
        ("bis 4:30 am", 4, 30),  # "am" typed: as given (refused later: before the start)
        ("08:00", 8, 0),  # the hour's leading zero typed: as given
    ],
)
def test_an_end_before_the_start_on_the_morning_clock_is_the_afternoons(
    typed: str, hour: int, minute: int
) -> None:
    start = datetime(2027, 3, 12, 14, 0, tzinfo=BERLIN).astimezone(UTC)
    end = parse_end(typed, tz=BERLIN, start=start).astimezone(BERLIN)
    assert (end.date(), end.hour, end.minute) == (start.astimezone(BERLIN).date(), hour, minute)


@pytest.mark.parametrize(
    ("typed", "hour", "minute"),
    [
        ("bis halb fünf", 16, 30),  # neither 4:30 nor 16:30 is after 18:00: the afternoon's
        ("until half past four", 16, 30),
        ("bis 4:30", 16, 30),
        ("bis 4:30 am", 4, 30),  # "am" typed: as given
    ],
)
def test_an_end_before_an_evening_start_is_read_as_the_afternoon_it_names(
    typed: str, hour: int, minute: int
) -> None:
    """Refused either way (`form.time_problems`), it is read as the hour the office means,
    so that the refusal names that hour ("Das Ende 16:30 Uhr liegt vor dem Beginn …")."""
    start = datetime(2027, 3, 12, 18, 0, tzinfo=BERLIN).astimezone(UTC)
    end = parse_end(typed, tz=BERLIN, start=start).astimezone(BERLIN)
    assert (end.date(), end.hour, end.minute) == (start.astimezone(BERLIN).date(), hour, minute)


@pytest.mark.parametrize(
    ("lang", "typed", "refused"),
    [
        ("de", "bis halb fünf", "Das Ende 16:30 Uhr liegt vor dem Beginn 18:00 Uhr."),
        ("en", "until half past four", "The end, 16:30, is before the start, 18:00."),
        ("de", "18:00", "Das Ende 18:00 Uhr ist der Beginn selbst: Es muss danach liegen."),
        ("en", "18:00", "The end, 18:00, is the start itself: it must come after it."),
        (
            "de",
            "18.11.2027 20:00",
            "Das Ende Do 18.11.2027, 20:00 Uhr liegt vor dem Beginn Fr 19.11.2027, 18:00 Uhr.",
        ),
        (
            "en",
            "2027-11-18 20:00",
            "The end, Thu 2027-11-18, 20:00, is before the start, Fri 2027-11-19, 18:00.",
        ),
        (
            "de",
            "19.11.2027 9:00",
            "Das Ende 09:00 Uhr liegt vor dem Beginn 18:00 Uhr.",  # not 21:00
        ),
        (
            "en",
            "2027-11-19 9:00",
            "The end, 09:00, is before the start, 18:00.",
        ),
    ],
)
async def test_the_guided_form_says_which_end_it_read_before_the_start(
    bot: Harness, lang: str, typed: str, refused: str
) -> None:
    """The walkthrough's office typed "bis halb fünf" after a start at 18:00 and was told
    only that the end must be after the start, not that it was read as 16:30."""
    bot.app.services.clock = fixed_clock(NOW)
    await guided_form_until_start(bot, lang)
    await bot.send("admin", "19.11.2027 18:00")
    await bot.press("admin", "evf:repeat:-")
    again = await bot.send("admin", typed)
    assert again.text.startswith(refused + "\n\n"), again.text
    assert ("Wann endet sie?" if lang == "de" else "When does it end?") in again.text
    # from a start at 14:00 the same words are the afternoon's, as anyone reads them
    await bot.send("admin", "/abbrechen" if lang == "de" else "/cancel")
    await guided_form_until_start(bot, lang)
    await bot.send("admin", "19.11.2027 14:00")
    await bot.press("admin", "evf:repeat:-")
    if typed.startswith(("bis", "until")):
        place = await bot.send("admin", typed)
        said = (
            "Verstanden: Fr 19.11.2027, 16:30 Uhr"
            if lang == "de"
            else "Understood: Fri 2027-11-19, 16:30"
        )
        assert said in place.text, place.text


@pytest.mark.parametrize(
    ("typed", "day", "hour"),
    [
        ("2027-03-12 10:00", 12, 10),  # the start itself: refused later, not 22:00
        ("12.03.2027 10:00", 12, 10),
        ("12.03.2027, 9:30 Uhr", 12, 9),
        ("Fr 12.03.2027, 10:00 Uhr", 12, 10),
        ("2027-03-11 10:00", 11, 10),  # the day before: refused later as that day's 10:00
        ("11.03.2027 7:15", 11, 7),
        ("2027-03-13 10:00", 13, 10),
    ],
)
def test_an_end_typed_with_its_date_is_read_on_the_24_hour_clock(
    typed: str, day: int, hour: int
) -> None:
    """The walkthrough's office changed an end to "2027-03-12 10:00" and was shown 22:00: a
    time with its date is meant as written, whatever the start."""
    start = datetime(2027, 3, 12, 10, 0, tzinfo=BERLIN).astimezone(UTC)
    end = parse_end(typed, tz=BERLIN, start=start, now=NOW).astimezone(BERLIN)
    assert (end.day, end.hour) == (day, hour)


@pytest.mark.parametrize(
    ("lang", "command", "refused"),
    [
        (
            "de",
            "/terminaendern {n} ende=21.1.2028 10:00",
            "Das Ende Fr 21.01.2028, 10:00 Uhr liegt vor dem Beginn Sa 22.01.2028, 10:00 Uhr",
        ),
        (
            "en",
            "/editevent {n} end=2028-01-21 10:00",
            "The end, Fri 2028-01-21, 10:00, is before the start, Sat 2028-01-22, 10:00",
        ),
    ],
)
async def test_editing_an_end_with_its_date_keeps_the_hour_typed(
    bot: Harness, lang: str, command: str, refused: str
) -> None:
    bot.app.services.clock = fixed_clock(NOW)
    number = await create(bot, "art=workshop; titel=Sortierlabor; beginn=22.01.2028 10:00")
    await bot.send("admin", f"/language {lang}")
    before = await bot.send("admin", command.format(n=number))
    assert refused in before.text, before.text
    await bot.send("admin", "/abbrechen" if lang == "de" else "/cancel")
    later = command.format(n=number).replace("21.1.2028", "22.1.2028")
    later = later.replace("2028-01-21", "2028-01-22").replace("10:00", "11:00")
    preview = await bot.send("admin", later)
    shown = "10:00 Uhr – 11:00 Uhr" if lang == "de" else "10:00 – 11:00"
    assert shown in preview.text and "23:00" not in preview.text, preview.text
