"""Recurring meetings: a series row (the template and the rule), skipped dates, subscribers.

Each occurrence is an ordinary row in `events` with `series_id` and `occurrence_date`; the
unique index on the two makes creating an occurrence idempotent (INSERT ... ON CONFLICT DO
NOTHING), so the scheduler's fill may run twice or after a crash without doubling one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId, utcnow


class EventSeries(Base):
    """A recurring meeting: the fields each occurrence copies and the rule of its dates.

    The first start is a local date and time in the network's zone, so every occurrence keeps
    that time of day across the changes to and from summer time.
    """

    __tablename__ = "event_series"
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads it

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The English ones each occurrence copies ("" when the office gave none).
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    # The place English-speaking members read ("" when the office gave none: the German one).
    place_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(120), default="all")
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    offer_hours: Mapped[int | None] = mapped_column(Integer)
    reminder_hours: Mapped[list[int]] = mapped_column(JSON, default=list)
    announce: Mapped[bool] = mapped_column(default=True)
    # The rule: weekly or monthly, every `interval`; monthly on the `nth` (1..4, -1 = last)
    # `weekday` (0 = Monday) of the month.
    freq: Mapped[str] = mapped_column(String(10))
    interval: Mapped[int] = mapped_column(Integer, default=1)
    nth: Mapped[int | None] = mapped_column(Integer)
    weekday: Mapped[int | None] = mapped_column(Integer)
    first_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5))  # "19:00", local
    until: Mapped[date | None] = mapped_column(Date)
    count: Mapped[int | None] = mapped_column(Integer)
    # Not a foreign key: an admin who uses /forget must not take the series with them.
    created_by: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SeriesSkip(Base):
    """A date of a series that was skipped: the fill never creates it again."""

    __tablename__ = "event_series_skips"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("event_series.id", ondelete="CASCADE"), primary_key=True
    )
    occurrence_date: Mapped[date] = mapped_column(Date, primary_key=True)


class SeriesMember(Base):
    """A member signed up for the whole series: joined to each occurrence as it is created."""

    __tablename__ = "event_series_members"

    series_id: Mapped[int] = mapped_column(
        ForeignKey("event_series.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


async def create_series(session: AsyncSession, **fields: Any) -> EventSeries:
    series = EventSeries(**fields)
    session.add(series)
    await session.flush()
    return series


async def get_series(session: AsyncSession, series_id: int | None) -> EventSeries | None:
    """The series of that id; None for none (an event of no series: `Event.series_id`)."""
    return await session.get(EventSeries, series_id) if series_id is not None else None


async def all_series(session: AsyncSession, *, active_only: bool = False) -> Sequence[EventSeries]:
    query = select(EventSeries).order_by(EventSeries.id)
    if active_only:
        query = query.where(EventSeries.ended_at.is_(None))
    return (await session.execute(query)).scalars().all()


async def end_series(session: AsyncSession, *, series_id: int, now: datetime) -> bool:
    """Mark the series ended (once): no new occurrences from now on."""
    result = await session.execute(
        update(EventSeries)
        .where(EventSeries.id == series_id, EventSeries.ended_at.is_(None))
        .values(ended_at=now)
        .returning(EventSeries.id)
    )
    return result.first() is not None


async def update_template(session: AsyncSession, *, series_id: int, **fields: object) -> None:
    await session.execute(update(EventSeries).where(EventSeries.id == series_id).values(**fields))


async def insert_occurrence(session: AsyncSession, **fields: object) -> int | None:
    """Insert one occurrence unless its (series, date) exists; its id, or None when it did."""
    from storage.events import Event

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Event)
        .values(**fields)
        .on_conflict_do_nothing(index_elements=["series_id", "occurrence_date"])
        .returning(Event.id)
    )
    row = (await session.execute(statement)).first()
    return None if row is None else int(row[0])


async def existing_dates(session: AsyncSession, *, series_id: int) -> set[date]:
    """Dates that have an occurrence (any status) or were skipped."""
    from storage.events import Event

    made = await session.execute(select(Event.occurrence_date).where(Event.series_id == series_id))
    skipped = await session.execute(
        select(SeriesSkip.occurrence_date).where(SeriesSkip.series_id == series_id)
    )
    return {d for d in made.scalars() if d is not None} | set(skipped.scalars())


async def add_skip(session: AsyncSession, *, series_id: int, day: date) -> None:
    if await session.get(SeriesSkip, (series_id, day)) is None:
        session.add(SeriesSkip(series_id=series_id, occurrence_date=day))
        await session.flush()


async def skipped(session: AsyncSession, *, series_id: int) -> list[date]:
    result = await session.execute(
        select(SeriesSkip.occurrence_date)
        .where(SeriesSkip.series_id == series_id)
        .order_by(SeriesSkip.occurrence_date)
    )
    return list(result.scalars())


async def occurrences(
    session: AsyncSession, *, series_id: int, after: datetime | None = None, open_only: bool = True
) -> Sequence[Any]:
    """The series' events (starting after `after`), earliest first."""
    from storage.events import Event

    query = select(Event).where(Event.series_id == series_id)
    if open_only:
        query = query.where(Event.status == "open")
    if after is not None:
        query = query.where(Event.starts_at > after)
    return (await session.execute(query.order_by(Event.starts_at))).scalars().all()


async def next_start(session: AsyncSession, *, after: datetime) -> datetime | None:
    """The earliest start after `after` of an occurrence (any status) of any series."""
    from storage.events import Event

    result = await session.execute(
        select(func.min(Event.starts_at)).where(
            Event.series_id.is_not(None), Event.starts_at > after
        )
    )
    return result.scalar_one_or_none()


async def subscribe(session: AsyncSession, *, series_id: int, member_id: int) -> bool:
    """True when the member was not subscribed before."""
    if await session.get(SeriesMember, (series_id, member_id)) is not None:
        return False
    session.add(SeriesMember(series_id=series_id, member_id=member_id))
    await session.flush()
    return True


async def subscribers(session: AsyncSession, *, series_id: int) -> list[int]:
    result = await session.execute(
        select(SeriesMember.member_id)
        .where(SeriesMember.series_id == series_id)
        .order_by(SeriesMember.created_at, SeriesMember.member_id)
    )
    return list(result.scalars())
