"""Queries on events, their scheduled jobs, group announcements and option polls."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage import members
from storage.events import (
    POLL_EVERYONE,
    Event,
    EventAnnouncement,
    EventJob,
    EventPoll,
    EventPollVote,
)
from storage.models import Member, OutboxMessage
from storage.series import EventSeries
from storage.signups import OPEN

CANCELLED = "cancelled"
PENDING = "pending"
DONE = "done"
MISSED = "missed"


def as_utc(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back; everything stored is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def create_event(session: AsyncSession, **fields: object) -> Event:
    event = Event(status=OPEN, taken=0, arrivals=0, sequence=0, **fields)
    session.add(event)
    await session.flush()
    return event


async def get_event(session: AsyncSession, event_id: int) -> Event | None:
    return await session.get(Event, event_id)


async def update_event(session: AsyncSession, *, event_id: int, **fields: object) -> None:
    """Change an event; SEQUENCE goes up so calendars replace their copy."""
    await session.execute(
        update(Event)
        .where(Event.id == event_id)
        .values(sequence=Event.sequence + 1, updated_at=datetime.now(UTC), **fields)
    )


async def mark_announced(session: AsyncSession, *, event_id: int, at: datetime) -> None:
    """Note that the event was announced (the first time counts; calendars are not told)."""
    await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.announced_at.is_(None))
        .values(announced_at=at)
    )


async def cancel_event(session: AsyncSession, *, event_id: int, reason: str = "") -> bool:
    result = await session.execute(
        update(Event)
        .where(Event.id == event_id, Event.status == OPEN)
        .values(status=CANCELLED, sequence=Event.sequence + 1, cancel_reason=reason)
        .returning(Event.id)
    )
    return result.first() is not None


def _upcoming_query(after: datetime, kind: str | None, limit: int) -> Select[Event]:
    query = select(Event).where(Event.status == OPEN, Event.starts_at > after)
    if kind is not None:
        query = query.where(Event.kind == kind)
    return query.order_by(Event.starts_at).limit(limit)


async def upcoming(
    session: AsyncSession, *, after: datetime, kind: str | None = None, limit: int = 20
) -> Sequence[Event]:
    result = await session.execute(_upcoming_query(after, kind, limit))
    return result.scalars().all()


def upcoming_now(
    session: Session, *, after: datetime, kind: str | None = None, limit: int = 20
) -> Sequence[Event]:
    """`upcoming` for `Database.run_read` (the hot path of every event question)."""
    return session.execute(_upcoming_query(after, kind, limit)).scalars().all()


async def events_between(
    session: AsyncSession, *, start: datetime, end: datetime, limit: int = 500
) -> Sequence[Event]:
    """Events of any status starting in [start, end), earliest first (the office's list)."""
    query = (
        select(Event)
        .where(Event.starts_at >= start, Event.starts_at < end)
        .order_by(Event.starts_at, Event.id)
        .limit(limit)
    )
    return (await session.execute(query)).scalars().all()


async def audience_members(
    session: AsyncSession, *, young_professionals_only: bool
) -> list[Member]:
    """Members who chose the news, as broadcasts reach (`members.news_readers`); young
    professionals only, when so asked. A topic audience is read from their topics by the
    caller (handlers/events/notify.py)."""
    return await members.news_readers(session, young_professionals_only=young_professionals_only)


async def members_by_id(session: AsyncSession, ids: Sequence[int]) -> dict[int, Member]:
    if not ids:
        return {}
    result = await session.execute(select(Member).where(Member.id.in_(ids)))
    return {m.id: m for m in result.scalars()}


# --- the schedule -------------------------------------------------------------------------


async def put_job(
    session: AsyncSession,
    *,
    job_id: str,
    event_id: int,
    kind: str,
    run_at: datetime,
    member_id: int | None = None,
) -> None:
    """Create or re-arm a job (pending again at `run_at`)."""
    job = await session.get(EventJob, job_id)
    if job is None:
        session.add(
            EventJob(
                job_id=job_id,
                event_id=event_id,
                kind=kind,
                run_at=run_at,
                member_id=member_id,
                status=PENDING,
            )
        )
    else:
        job.run_at, job.status, job.done_at = run_at, PENDING, None
    await session.flush()


async def pending_jobs(session: AsyncSession, *, event_id: int | None = None) -> Sequence[EventJob]:
    query = select(EventJob).where(EventJob.status == PENDING)
    if event_id is not None:
        query = query.where(EventJob.event_id == event_id)
    return (await session.execute(query.order_by(EventJob.run_at))).scalars().all()


async def get_job(session: AsyncSession, job_id: str) -> EventJob | None:
    return await session.get(EventJob, job_id)


async def claim_job(
    session: AsyncSession, *, job_id: str, now: datetime, status: str = DONE
) -> bool:
    """Pending -> done (or missed) in one conditional UPDATE: only one caller wins."""
    result = await session.execute(
        update(EventJob)
        .where(EventJob.job_id == job_id, EventJob.status == PENDING)
        .values(status=status, done_at=now)
        .returning(EventJob.job_id)
    )
    return result.first() is not None


async def drop_jobs(
    session: AsyncSession, *, event_id: int, kinds: Sequence[str] | None = None
) -> list[str]:
    """Remove pending jobs of an event; returns their ids (to take off the scheduler)."""
    query = delete(EventJob).where(EventJob.event_id == event_id, EventJob.status == PENDING)
    if kinds is not None:
        query = query.where(EventJob.kind.in_(kinds))
    result = await session.execute(query.returning(EventJob.job_id))
    return list(result.scalars())


async def drop_job(session: AsyncSession, *, job_id: str) -> None:
    await session.execute(
        delete(EventJob).where(EventJob.job_id == job_id, EventJob.status == PENDING)
    )


# --- announcements in groups ---------------------------------------------------------------


async def add_announcement(
    session: AsyncSession, *, event_id: int, platform: str, chat_id: str, outbox_id: int | None
) -> None:
    session.add(
        EventAnnouncement(
            event_id=event_id, platform=platform, chat_id=chat_id, outbox_id=outbox_id
        )
    )
    await session.flush()


async def announcement_refs(
    session: AsyncSession, *, event_id: int
) -> list[tuple[str, str, str | None]]:
    """(platform, chat, message ref or None while not yet sent) of each group announcement."""
    result = await session.execute(
        select(
            EventAnnouncement.platform,
            EventAnnouncement.chat_id,
            EventAnnouncement.message_ref,
            OutboxMessage.message_ref,
        )
        .outerjoin(OutboxMessage, OutboxMessage.id == EventAnnouncement.outbox_id)
        .where(EventAnnouncement.event_id == event_id)
        .order_by(EventAnnouncement.id)
    )
    return [(p, c, own or sent) for p, c, own, sent in result.all()]


async def unsent_announcements(session: AsyncSession, *, event_id: int) -> Sequence[OutboxMessage]:
    """The outbox rows of group announcements whose message reference is not known yet
    (waiting, in flight, or given up)."""
    result = await session.execute(
        select(OutboxMessage)
        .join(EventAnnouncement, OutboxMessage.id == EventAnnouncement.outbox_id)
        .where(
            EventAnnouncement.event_id == event_id,
            EventAnnouncement.message_ref.is_(None),
            OutboxMessage.message_ref.is_(None),
        )
        .order_by(EventAnnouncement.id)
    )
    return result.scalars().all()


async def pending_edit(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    edit_ref: str,
    status: str = "pending",
) -> OutboxMessage | None:
    """An edit of the same message still waiting in the outbox (so counts coalesce), or with
    `status="sending"` one a worker holds (in flight)."""
    result = await session.execute(
        select(OutboxMessage).where(
            OutboxMessage.kind == "event_count",
            OutboxMessage.status == status,
            OutboxMessage.platform == platform,
            OutboxMessage.chat_id == chat_id,
        )
    )
    for message in result.scalars():
        if message.payload.get("edit_ref") == edit_ref:
            return message
    return None


# --- option polls -------------------------------------------------------------------------


async def create_poll(
    session: AsyncSession,
    *,
    event_id: int,
    name: str,
    question: str,
    options: list[str],
    multiple: bool = False,
    audience: str = POLL_EVERYONE,
    question_en: str = "",
    options_en: list[str] | None = None,
) -> EventPoll:
    existing = await get_poll(session, event_id=event_id, name=name)
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    poll = EventPoll(
        event_id=event_id,
        name=name,
        question=question,
        options=options,
        multiple=multiple,
        audience=audience,
        question_en=question_en,
        options_en=options_en,
    )
    session.add(poll)
    await session.flush()
    return poll


async def get_poll(session: AsyncSession, *, event_id: int, name: str) -> EventPoll | None:
    result = await session.execute(
        select(EventPoll).where(EventPoll.event_id == event_id, EventPoll.name == name)
    )
    return result.scalar_one_or_none()


async def polls_of(session: AsyncSession, *, event_id: int) -> Sequence[EventPoll]:
    result = await session.execute(
        select(EventPoll).where(EventPoll.event_id == event_id).order_by(EventPoll.id)
    )
    return result.scalars().all()


async def open_polls(
    session: AsyncSession, *, member_id: int, after: datetime
) -> list[tuple[EventPoll, Event, list[int]]]:
    """Polls on open events not started by `after`, each with the member's latest answer
    (empty when they have not voted or withdrew their vote)."""
    result = await session.execute(
        select(EventPoll, Event, EventPollVote.options)
        .join(Event, Event.id == EventPoll.event_id)
        .outerjoin(
            EventPollVote,
            (EventPollVote.poll_id == EventPoll.id) & (EventPollVote.member_id == member_id),
        )
        .where(Event.status == OPEN, Event.starts_at > after)
        .order_by(Event.starts_at, EventPoll.id)
    )
    return [(poll, event, list(chosen or [])) for poll, event, chosen in result.all()]


async def young_professional_ids(session: AsyncSession) -> set[int]:
    """The members who said they are young professionals."""
    query = select(Member.id).where(Member.young_professional.is_(True))
    return set((await session.scalars(query)).all())


# An event's or series' audience of young professionals only (`Event.audience`).
YOUNG_PROFESSIONALS = "yp"


async def has_young_professionals(session: AsyncSession, *, besides: int) -> bool:
    """Whether the network has anything for young professionals: a member (not `besides`)
    who is one, or an event or a series of events for them."""
    for query in (
        select(Member.id).where(Member.young_professional.is_(True), Member.id != besides),
        select(Event.id).where(Event.audience == YOUNG_PROFESSIONALS),
        select(EventSeries.id).where(EventSeries.audience == YOUNG_PROFESSIONALS),
    ):
        if await session.scalar(query.limit(1)) is not None:
            return True
    return False


async def record_vote(
    session: AsyncSession, *, poll_id: int, member_id: int, options: list[int]
) -> None:
    """Keep only the member's latest answer."""
    vote = await session.get(EventPollVote, (poll_id, member_id))
    if vote is None:
        session.add(EventPollVote(poll_id=poll_id, member_id=member_id, options=options))
    else:
        vote.options = options
    await session.flush()


async def poll_tally(
    session: AsyncSession, *, poll: EventPoll, counted: set[int] | None = None
) -> tuple[list[int], int]:
    """(votes per option, number of members who voted); `counted`: the members whose votes
    count (None: everyone's), so a vote kept from someone the poll never asked is left out."""
    result = await session.execute(
        select(EventPollVote.member_id, EventPollVote.options).where(
            EventPollVote.poll_id == poll.id
        )
    )
    tally = [0] * len(poll.options)
    voters = 0
    for member_id, chosen in result:
        if counted is not None and member_id not in counted:
            continue
        if chosen:
            voters += 1
        for index in chosen:
            if 0 <= index < len(tally):
                tally[index] += 1
    return tally, voters
