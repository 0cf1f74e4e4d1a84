"""Calendar files (.ics): one event or a member's own events, in the network's time zone.

Each event has a stable UID and a SEQUENCE that goes up with every change, so a calendar that
imported it before replaces its copy; a cancelled event is sent with STATUS:CANCELLED.

The VTIMEZONE is checked against the zone for every year from the one before the first start to
the last end in the file. Where the zone keeps one yearly rule over these years (as Europe/Berlin:
summer time from the last Sunday in March, 02:00), it is written as the two yearly RRULEs that
calendar programs expect (Outlook misreads the alternative, each change listed as an RDATE, by an
hour in summer); otherwise every change in those years is listed.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import icalendar

from bot.i18n import network_names
from bot.messages import Attachment
from handlers.events.render import description_read, place_in, title_in
from storage.event_store import as_utc
from storage.events import Event


def prodid() -> str:
    """Who made a calendar file: the network running the bot ("-//REWIMET e. V.//…" for
    REWIMET); a "/" of its name would end the field's part early."""
    name = network_names()[0].replace("/", "-")
    return f"-//{name}//Mitglieder-Bot//DE"


UID_DOMAIN = "events.rewimet-bot"


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{UID_DOMAIN}"


def _span(event: Event, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Start and end in the network's time zone; without an end, two hours."""
    start = as_utc(event.starts_at).astimezone(tz)
    end = as_utc(event.ends_at).astimezone(tz) if event.ends_at else start + timedelta(hours=2)
    return start, end


def _component(event: Event, tz: ZoneInfo, now: datetime, lang: str) -> icalendar.Event:
    start, end = _span(event, tz)
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", now.astimezone(UTC))
    component.add("dtstart", start)
    component.add("dtend", end)
    component.add("summary", title_in(lang, event))
    component.add("sequence", event.sequence)
    component.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    if place := place_in(lang, event):
        component.add("location", place)
    if description := description_read(lang, event):
        component.add("description", description)
    return component


def event_component(event: Event, *, tz: ZoneInfo, now: datetime, lang: str) -> icalendar.Event:
    """One VEVENT as the calendar files write it (the member's feed marks its own state on it),
    with the title and description a member reading `lang` reads."""
    return _component(event, tz, now, lang)


def build_ics(events: Sequence[Event], *, tz: ZoneInfo, now: datetime, lang: str) -> bytes:
    """A VCALENDAR with the events (titled in `lang`) and the VTIMEZONE they refer to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid())
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(_component(event, tz, now, lang))
    if tz.key in calendar.get_missing_tzids():  # none for UTC, written as "…Z"
        years = [moment.year for event in events for moment in _span(event, tz)]
        # Before the events, where every calendar program finds it.
        calendar.subcomponents.insert(0, vtimezone(tz, min(years), max(years)))
    content: bytes = calendar.to_ical()
    return content


def ics_attachment(
    events: Sequence[Event], *, tz: ZoneInfo, now: datetime, filename: str, lang: str
) -> Attachment:
    return Attachment(filename, build_ics(events, tz=tz, now=now, lang=lang), "text/calendar")


class _Observance(NamedTuple):
    """One kind of change in a zone: the offsets before and after, the name and whether it is
    daylight saving time."""

    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY = 86_400


def vtimezone(tz: ZoneInfo, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of `tz` that holds from New Year of `first_year` to the end of `last_year`.

    It is checked against the zone from a year earlier on, so the change before the first date
    is in it too. Each onset (DTSTART, RDATE) is a local time in the offset before the change,
    as RFC 5545 has it: 02:00 when summer time starts in Berlin, 03:00 when it ends.
    """
    years = range(first_year - 1, last_year + 1)
    start = datetime(years.start, 1, 1, tzinfo=tz)
    end = datetime(years.stop, 1, 1, tzinfo=tz)
    onsets: dict[_Observance, list[datetime]] = {}
    for onset, observance in _changes(tz, start, end):
        onsets.setdefault(observance, []).append(onset)
    rules = {observance: _yearly_rule(found, years) for observance, found in onsets.items()}
    yearly = sorted(observance.daylight for observance in rules) == [False, True] and all(
        rules.values()
    )
    if not yearly:
        # What holds at the start, then every change as it comes.
        offset, name, daylight = _state(tz, int(start.timestamp()))
        first = _Observance(offset, offset, name, daylight)
        onsets = {first: [_naive(start), *onsets.pop(first, [])], **onsets}
    component = icalendar.Timezone()
    component.add("TZID", tz.key)
    for observance, found in onsets.items():
        part = icalendar.TimezoneDaylight() if observance.daylight else icalendar.TimezoneStandard()
        part.add("DTSTART", found[0])
        if yearly:
            part.add("RRULE", rules[observance])
        elif len(found) > 1:
            part.add("RDATE", found[1:])
        if observance.name:
            part.add("TZNAME", observance.name)
        part.add("TZOFFSETFROM", observance.offset_from)
        part.add("TZOFFSETTO", observance.offset_to)
        component.add_component(part)
    return component


def _state(tz: ZoneInfo, second: int) -> tuple[timedelta, str, bool]:
    """Offset, name and daylight saving of the zone at a POSIX second."""
    moment = datetime.fromtimestamp(second, tz)
    return moment.utcoffset() or timedelta(0), moment.tzname() or "", bool(moment.dst())


def _naive(moment: datetime) -> datetime:
    """The local time as iCalendar writes it in a VTIMEZONE (no zone, no "Z")."""
    return moment.replace(tzinfo=None)


def _changes(tz: ZoneInfo, start: datetime, end: datetime) -> list[tuple[datetime, _Observance]]:
    """Every change of offset, name or daylight saving from `start` to `end`: its onset, the
    local time before it, and what it changes (looked for day by day, then to the second)."""
    found: list[tuple[datetime, _Observance]] = []
    second, stop = int(start.timestamp()), int(end.timestamp())
    state = _state(tz, second)
    while second < stop:
        later = min(second + _DAY, stop)
        if _state(tz, later) == state:
            second = later
            continue
        before, after = second, later
        while after - before > 1:
            middle = (before + after) // 2
            before, after = (middle, after) if _state(tz, middle) == state else (before, middle)
        new = _state(tz, after)
        onset = _naive(datetime.fromtimestamp(after, UTC)) + state[0]
        found.append((onset, _Observance(state[0], new[0], new[1], new[2])))
        state, second = new, after
    return found


def _yearly_rule(onsets: list[datetime], years: range) -> dict[str, object] | None:
    """An RRULE for onsets that fall once a year on one weekday rule at one time (the last
    Sunday in March at 02:00, the second Sunday in March...); None for any other pattern."""
    if [onset.year for onset in onsets] != list(years):
        return None
    first = onsets[0]
    same = (first.month, first.weekday(), first.time())
    if any((onset.month, onset.weekday(), onset.time()) != same for onset in onsets):
        return None
    day = _WEEKDAYS[first.weekday()]
    if all(onset.day + 7 > gregorian.monthrange(onset.year, onset.month)[1] for onset in onsets):
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"-1{day}"}
    weeks = {(onset.day - 1) // 7 + 1 for onset in onsets}
    if len(weeks) == 1:
        return {"FREQ": "YEARLY", "BYMONTH": first.month, "BYDAY": f"{weeks.pop()}{day}"}
    return None
