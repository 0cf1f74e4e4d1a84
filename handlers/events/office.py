"""What the office's dashboard reads about events: lists, the roster with attendance, counts.

Plain functions over storage/; the rules (capacity, waitlist, who is told) stay in service.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError
from bot.services import Services
from handlers.events.export import Attendee, roster
from storage import event_store, signups
from storage.event_store import as_utc
from storage.events import Event


@dataclass(frozen=True)
class Listed:
    event: Event
    taken: int
    waiting: int


async def events_between(services: Services, start: datetime, end: datetime) -> list[Listed]:
    """Events of any status starting in [start, end) with their counts, earliest first."""
    async with services.db.session() as session:
        found = await event_store.events_between(session, start=start, end=end)
        waiting = await signups.waiting_counts(session, event_ids=[e.id for e in found])
    return [Listed(e, e.taken, waiting.get(e.id, 0)) for e in found]


@dataclass(frozen=True)
class RosterRow:
    person: Attendee
    attended_at: datetime | None
    no_shows: int


@dataclass(frozen=True)
class Roster:
    event: Event
    taken: int
    waiting: int
    rows: Sequence[RosterRow]


async def roster_of(services: Services, event_id: int) -> Roster:
    """The event's sign-ups as `/attendees` lists them, with check-in and no-shows per member."""
    tz = services.settings.network.tz
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event_office", number=event_id)
        found = await signups.attendees(session, event_id=event_id)
        taken, waiting = await signups.counts(session, event_id=event_id)
        missed = await signups.no_shows(
            session, member_ids=[m.id for _s, m in found], before=services.clock()
        )
    people = roster(found, tz=tz)
    rows = [
        RosterRow(
            person,
            as_utc(signup.attended_at) if signup.attended_at else None,
            missed.get(person.member_id, 0),
        )
        for person, (signup, _member) in zip(people, found, strict=True)
    ]
    return Roster(event, taken, waiting, rows)
