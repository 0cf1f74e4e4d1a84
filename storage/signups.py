"""Sign-ups with capacity and waitlist, race-free on SQLite and PostgreSQL.

Every change of `events.taken` is one conditional UPDATE (`... WHERE taken < capacity`), and each
join first bumps `events.arrivals`, which locks the event row: joins on one event queue up there,
so the arrival number is the waitlist order. `UNIQUE(event_id, member_id)` catches doubles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.events import CONFIRMED, HOLDS_PLACE, OFFERED, WAITLISTED, Event, EventSignup
from storage.models import Member

OPEN = "open"


@dataclass(frozen=True)
class JoinResult:
    """`outcome`: confirmed, waitlisted, already (with `status`), or closed (no open event)."""

    outcome: str
    status: str = ""
    position: int = 0
    rank: int = 0


@dataclass(frozen=True)
class Promotion:
    member_id: int
    status: str  # confirmed, or offered until `offer_expires_at`
    offer_expires_at: datetime | None


@dataclass(frozen=True)
class LeaveResult:
    left: str  # the status the member had, "" if they were not signed up
    promoted: tuple[Promotion, ...] = ()


def _has_room() -> ColumnElement[bool]:
    return or_(Event.capacity.is_(None), Event.taken < Event.capacity)


async def _take_place(session: AsyncSession, event_id: int) -> bool:
    """The one place capacity is enforced: a conditional UPDATE."""
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, _has_room())
        .values(taken=Event.taken + 1)
        .returning(Event.taken)
    )
    return result.first() is not None


async def _give_back_place(session: AsyncSession, event_id: int) -> None:
    await session.execute(
        update(Event).where(Event.id == event_id, Event.taken > 0).values(taken=Event.taken - 1)
    )


async def find(session: AsyncSession, *, event_id: int, member_id: int) -> EventSignup | None:
    result = await session.execute(
        select(EventSignup).where(
            EventSignup.event_id == event_id, EventSignup.member_id == member_id
        )
    )
    return result.scalar_one_or_none()


async def waitlist_rank(session: AsyncSession, *, event_id: int, position: int) -> int:
    """1 for the first on the waitlist."""
    result = await session.execute(
        select(func.count())
        .select_from(EventSignup)
        .where(
            EventSignup.event_id == event_id,
            EventSignup.status == WAITLISTED,
            EventSignup.position <= position,
        )
    )
    return int(result.scalar_one())


async def join(session: AsyncSession, *, event_id: int, member_id: int) -> JoinResult:
    """Take a place if one is free, else a place on the waitlist in arrival order."""
    arrived = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.status == OPEN)
        .values(arrivals=Event.arrivals + 1)
        .returning(Event.arrivals)
    )
    position = arrived.scalar_one_or_none()
    if position is None:
        return JoinResult("closed")
    existing = await find(session, event_id=event_id, member_id=member_id)
    if existing is not None:
        return JoinResult("already", existing.status, existing.position)
    try:
        async with session.begin_nested():
            status = CONFIRMED if await _take_place(session, event_id) else WAITLISTED
            session.add(
                EventSignup(
                    event_id=event_id, member_id=member_id, status=status, position=position
                )
            )
            await session.flush()
    except IntegrityError:
        existing = await find(session, event_id=event_id, member_id=member_id)
        return JoinResult("already", existing.status if existing else "", position)
    rank = 0
    if status == WAITLISTED:
        rank = await waitlist_rank(session, event_id=event_id, position=position)
    return JoinResult(status, status, position, rank)


async def fill_places(session: AsyncSession, *, event_id: int, now: datetime) -> list[Promotion]:
    """Move the first on the waitlist into every free place (or offer it, with a window).

    Only before the start: a place given up during the event goes to nobody.
    """
    promoted: list[Promotion] = []
    while True:
        taken = await session.execute(
            update(Event)
            .where(Event.id == event_id, Event.status == OPEN, Event.starts_at > now, _has_room())
            .values(taken=Event.taken + 1)
            .returning(Event.offer_hours)
            # Loaded rows hold SQLite's zone-less times: no comparison in Python.
            .execution_options(synchronize_session=False)
        )
        row = taken.first()
        if row is None:
            return promoted
        offer_hours: int | None = row[0]
        first = await session.execute(
            select(EventSignup)
            .where(EventSignup.event_id == event_id, EventSignup.status == WAITLISTED)
            .order_by(EventSignup.position)
            .limit(1)
        )
        signup = first.scalar_one_or_none()
        if signup is None:
            await _give_back_place(session, event_id)
            return promoted
        expires = now + timedelta(hours=offer_hours) if offer_hours else None
        status = OFFERED if expires else CONFIRMED
        moved = await session.execute(
            update(EventSignup)
            .where(EventSignup.id == signup.id, EventSignup.status == WAITLISTED)
            .values(status=status, offer_expires_at=expires)
            .returning(EventSignup.id)
        )
        if moved.first() is None:
            await _give_back_place(session, event_id)
            continue
        promoted.append(Promotion(signup.member_id, status, expires))


async def leave(
    session: AsyncSession, *, event_id: int, member_id: int, now: datetime
) -> LeaveResult:
    """Give up a place or a waitlist spot; a freed place goes to the first who waits."""
    removed = await session.execute(
        delete(EventSignup)
        .where(EventSignup.event_id == event_id, EventSignup.member_id == member_id)
        .returning(EventSignup.status)
    )
    status = removed.scalar_one_or_none()
    if status is None:
        return LeaveResult("")
    if status not in HOLDS_PLACE:
        return LeaveResult(status)
    await _give_back_place(session, event_id)
    return LeaveResult(status, tuple(await fill_places(session, event_id=event_id, now=now)))


async def accept_offer(
    session: AsyncSession, *, event_id: int, member_id: int, now: datetime
) -> bool:
    """Confirm an offered place while the offer runs."""
    result = await session.execute(
        update(EventSignup)
        .where(
            EventSignup.event_id == event_id,
            EventSignup.member_id == member_id,
            EventSignup.status == OFFERED,
            EventSignup.offer_expires_at > now,
        )
        .values(status=CONFIRMED, offer_expires_at=None)
        .returning(EventSignup.id)
        .execution_options(synchronize_session="fetch")
    )
    return result.first() is not None


async def expire_offer(
    session: AsyncSession, *, event_id: int, member_id: int, now: datetime
) -> LeaveResult:
    """An offer that ran out: the member loses it and the place moves on."""
    removed = await session.execute(
        delete(EventSignup)
        .where(
            EventSignup.event_id == event_id,
            EventSignup.member_id == member_id,
            EventSignup.status == OFFERED,
            EventSignup.offer_expires_at <= now,
        )
        .returning(EventSignup.status)
        .execution_options(synchronize_session="fetch")
    )
    if removed.first() is None:
        return LeaveResult("")
    await _give_back_place(session, event_id)
    return LeaveResult(OFFERED, tuple(await fill_places(session, event_id=event_id, now=now)))


async def open_offers(
    session: AsyncSession, *, member_id: int, now: datetime
) -> list[tuple[EventSignup, Event]]:
    """The member's offered places that still run, the one running out first at the top."""
    result = await session.execute(
        select(EventSignup, Event)
        .join(Event, Event.id == EventSignup.event_id)
        .where(
            EventSignup.member_id == member_id,
            EventSignup.status == OFFERED,
            EventSignup.offer_expires_at > now,
            Event.status == OPEN,
        )
        .order_by(EventSignup.offer_expires_at)
    )
    return [(signup, event) for signup, event in result.all()]


async def expired_offers(session: AsyncSession, *, now: datetime) -> Sequence[EventSignup]:
    result = await session.execute(
        select(EventSignup).where(
            EventSignup.status == OFFERED, EventSignup.offer_expires_at <= now
        )
    )
    return result.scalars().all()


async def attendees(
    session: AsyncSession,
    *,
    event_id: int,
    statuses: Sequence[str] = (CONFIRMED, OFFERED, WAITLISTED),
) -> list[tuple[EventSignup, Member]]:
    """Sign-ups with their members: confirmed, then offered, then the waitlist in order."""
    result = await session.execute(
        select(EventSignup, Member)
        .join(Member, Member.id == EventSignup.member_id)
        .where(EventSignup.event_id == event_id, EventSignup.status.in_(statuses))
        .order_by(EventSignup.position)
    )
    rank = {CONFIRMED: 0, OFFERED: 1, WAITLISTED: 2}
    rows = [(signup, member) for signup, member in result.all()]
    return sorted(rows, key=lambda pair: (rank.get(pair[0].status, 3), pair[0].position))


async def counts(session: AsyncSession, *, event_id: int) -> tuple[int, int]:
    """(places taken, people waiting)."""
    taken = await session.execute(select(Event.taken).where(Event.id == event_id))
    waiting = await session.execute(
        select(func.count())
        .select_from(EventSignup)
        .where(EventSignup.event_id == event_id, EventSignup.status == WAITLISTED)
    )
    return int(taken.scalar_one_or_none() or 0), int(waiting.scalar_one())


async def events_to_fill(session: AsyncSession, *, after: datetime) -> list[int]:
    """Open upcoming events with a free place and someone waiting (places freed by /forget)."""
    waiting = (
        select(EventSignup.id)
        .where(EventSignup.event_id == Event.id, EventSignup.status == WAITLISTED)
        .exists()
    )
    result = await session.execute(
        select(Event.id).where(
            Event.status == OPEN,
            Event.starts_at > after,
            _has_room(),
            waiting,
        )
    )
    return list(result.scalars())


async def member_signups(
    session: AsyncSession, *, member_id: int, after: datetime
) -> list[tuple[EventSignup, Event]]:
    result = await session.execute(
        select(EventSignup, Event)
        .join(Event, Event.id == EventSignup.event_id)
        .where(
            EventSignup.member_id == member_id,
            Event.status == OPEN,
            Event.starts_at > after,
        )
        .order_by(Event.starts_at)
    )
    return [(signup, event) for signup, event in result.all()]


@dataclass(frozen=True)
class EventStats:
    upcoming: int
    confirmed: int
    offered: int
    waiting: int


async def stats(session: AsyncSession, *, after: datetime) -> EventStats:
    """Counts over the open upcoming events (for the admins' /stats)."""
    upcoming = await session.execute(
        select(func.count()).select_from(Event).where(Event.status == OPEN, Event.starts_at > after)
    )
    by_status = await session.execute(
        select(EventSignup.status, func.count())
        .join(Event, Event.id == EventSignup.event_id)
        .where(Event.status == OPEN, Event.starts_at > after)
        .group_by(EventSignup.status)
    )
    counts = {status: int(n) for status, n in by_status.all()}
    return EventStats(
        int(upcoming.scalar_one()),
        counts.get(CONFIRMED, 0),
        counts.get(OFFERED, 0),
        counts.get(WAITLISTED, 0),
    )


class NotWaiting(Exception):
    """The member is not (any more) on the event's waitlist: nothing was changed."""


async def move_up(
    session: AsyncSession, *, event_id: int, member_id: int, extra_place: bool
) -> bool:
    """Give a waiting member a confirmed place by hand, in the caller's transaction.

    Capacity stays the database's: without `extra_place` the place is taken by the same
    conditional UPDATE as a join, so a full event refuses (False, nothing changed). With
    `extra_place` the office adds one place for this member: capacity and taken go up
    together in one UPDATE, so `taken <= capacity` still holds. Raises `NotWaiting` (the
    caller's transaction then rolls back the place) when the member is not waiting.
    """
    if not await _take_place(session, event_id):
        if not extra_place:
            return False
        grown = await session.execute(
            update(Event)
            .where(Event.id == event_id, Event.capacity.is_not(None))
            .values(capacity=Event.taken + 1, taken=Event.taken + 1)
            .returning(Event.id)
            .execution_options(synchronize_session=False)
        )
        if grown.first() is None:
            return False
    moved = await session.execute(
        update(EventSignup)
        .where(
            EventSignup.event_id == event_id,
            EventSignup.member_id == member_id,
            EventSignup.status == WAITLISTED,
        )
        .values(status=CONFIRMED, offer_expires_at=None)
        .returning(EventSignup.id)
        .execution_options(synchronize_session=False)
    )
    if moved.first() is None:
        raise NotWaiting
    return True


async def set_attended(
    session: AsyncSession, *, event_id: int, member_id: int, at: datetime | None
) -> bool:
    """Check a member in (`at`) or take the check-in back (None); False if not signed up."""
    result = await session.execute(
        update(EventSignup)
        .where(EventSignup.event_id == event_id, EventSignup.member_id == member_id)
        .values(attended_at=at)
        .returning(EventSignup.id)
        .execution_options(synchronize_session=False)
    )
    return result.first() is not None


async def no_shows(
    session: AsyncSession, *, member_ids: Sequence[int], before: datetime
) -> dict[int, int]:
    """Per member: confirmed places at events that started before `before`, not cancelled,
    where attendance was taken (someone was checked in), at which the member was not seen.

    Events without any check-in count for nobody: no attendance taken is not "nobody came".
    """
    if not member_ids:
        return {}
    checked = select(EventSignup.event_id).where(EventSignup.attended_at.is_not(None)).distinct()
    result = await session.execute(
        select(EventSignup.member_id, func.count())
        .join(Event, Event.id == EventSignup.event_id)
        .where(
            EventSignup.member_id.in_(member_ids),
            EventSignup.status == CONFIRMED,
            EventSignup.attended_at.is_(None),
            Event.status == OPEN,
            Event.starts_at < before,
            Event.id.in_(checked),
        )
        .group_by(EventSignup.member_id)
    )
    return {member_id: int(n) for member_id, n in result.all()}


async def waiting_counts(session: AsyncSession, *, event_ids: Sequence[int]) -> dict[int, int]:
    """People waiting per event, for lists of many events (one query)."""
    if not event_ids:
        return {}
    result = await session.execute(
        select(EventSignup.event_id, func.count())
        .where(EventSignup.event_id.in_(event_ids), EventSignup.status == WAITLISTED)
        .group_by(EventSignup.event_id)
    )
    return {event_id: int(n) for event_id, n in result.all()}
