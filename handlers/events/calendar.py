"""Calendar files (.ics): one event or a member's own events, in the network's time zone.

Each event has a stable UID and a SEQUENCE that goes up with every change, so a calendar that
imported it before replaces its copy; a cancelled event is sent with STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from bot.messages import Attachment
from storage.event_store import as_utc
from storage.events import Event

PRODID = "-//REWIMET e. V.//Mitglieder-Bot//DE"
UID_DOMAIN = "events.rewimet-bot"


def event_uid(event: Event) -> str:
    return f"event-{event.id}@{UID_DOMAIN}"


def _component(event: Event, tz: ZoneInfo, now: datetime) -> icalendar.Event:
    start = as_utc(event.starts_at).astimezone(tz)
    end = as_utc(event.ends_at).astimezone(tz) if event.ends_at else start + timedelta(hours=2)
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", now.astimezone(UTC))
    component.add("dtstart", start)
    component.add("dtend", end)
    component.add("summary", event.title)
    component.add("sequence", event.sequence)
    component.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    if event.place:
        component.add("location", event.place)
    if event.description:
        component.add("description", event.description)
    return component


def build_ics(events: Sequence[Event], *, tz: ZoneInfo, now: datetime) -> bytes:
    """A VCALENDAR with the events and the VTIMEZONE they refer to."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(_component(event, tz, now))
    if events:
        first = min(as_utc(e.starts_at) for e in events).year
        last = max(as_utc(e.starts_at) for e in events).year
        calendar.add_missing_timezones(
            first_date=date(first - 1, 1, 1), last_date=date(last + 2, 1, 1)
        )
    content: bytes = calendar.to_ical()
    return content


def ics_attachment(
    events: Sequence[Event], *, tz: ZoneInfo, now: datetime, filename: str
) -> Attachment:
    return Attachment(filename, build_ics(events, tz=tz, now=now), "text/calendar")
