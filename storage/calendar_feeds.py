"""Members' calendar feeds: the secret in a feed's URL, stored as its hash only.

A copy of the database opens no feed. A member may hold several links (we cannot show an earlier
one again, only its hash is here); renewing removes them all. `/forget` ends every feed (the
foreign key cascades). The queries for the feed's content live here too: a light one whose
values make the ETag, and the full events for building the calendar when that changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, String, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from storage.events import WAITLISTED, Event, EventSignup
from storage.models import Base, Member, utcnow

# A member who asks for links again and again keeps at most this many; the oldest go first.
MAX_FEEDS_PER_MEMBER = 10


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CalendarFeed(Base):
    """One subscription link of a member: the URL holds the token, this row its hash."""

    __tablename__ = "calendar_feeds"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # Besides the member's own sign-ups, every public event of the network.
    include_public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


async def include_public(session: AsyncSession, *, member_id: int) -> bool | None:
    """The member's choice (the newest link's), None when the member has no feed."""
    found = await session.scalar(
        select(CalendarFeed.include_public)
        .where(CalendarFeed.member_id == member_id)
        .order_by(CalendarFeed.created_at.desc())
        .limit(1)
    )
    return None if found is None else bool(found)


async def set_include_public(session: AsyncSession, *, member_id: int, public: bool) -> None:
    await session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.member_id == member_id)
        .values(include_public=public)
    )


async def add_feed(
    session: AsyncSession,
    *,
    token: str,
    member_id: int,
    public: bool,
    now: datetime,
    renew: bool,
) -> None:
    """Store a new link; `renew` removes the member's earlier ones. The choice of public
    events holds for all the member's links."""
    if renew:
        await session.execute(delete(CalendarFeed).where(CalendarFeed.member_id == member_id))
    else:
        await session.execute(
            update(CalendarFeed)
            .where(CalendarFeed.member_id == member_id)
            .values(include_public=public)
        )
        kept = (
            select(CalendarFeed.token_hash)
            .where(CalendarFeed.member_id == member_id)
            .order_by(CalendarFeed.created_at.desc())
            .limit(MAX_FEEDS_PER_MEMBER - 1)
        )
        await session.execute(
            delete(CalendarFeed).where(
                CalendarFeed.member_id == member_id,
                CalendarFeed.token_hash.not_in(kept.scalar_subquery()),
            )
        )
    session.add(
        CalendarFeed(
            token_hash=digest(token), member_id=member_id, include_public=public, created_at=now
        )
    )
    await session.flush()


async def feed_owner(session: AsyncSession, *, token: str) -> tuple[Any, ...] | None:
    """(member id, language, young professional, include public) for a live link, else None."""
    row = (
        await session.execute(
            select(
                Member.id, Member.language, Member.young_professional, CalendarFeed.include_public
            )
            .join(Member, Member.id == CalendarFeed.member_id)
            .where(CalendarFeed.token_hash == digest(token))
        )
    ).first()
    return None if row is None else tuple(row)


async def signup_states(
    session: AsyncSession, *, member_id: int, since: datetime
) -> Sequence[tuple[Any, ...]]:
    """The member's sign-ups on events starting after `since`, cancelled events included:
    (event id, event sequence, event status, event updated, sign-up id, status, offer
    deadline, waitlist rank), the rank counted in the same query."""
    other = aliased(EventSignup)
    rank = (
        select(func.count())
        .select_from(other)
        .where(
            other.event_id == EventSignup.event_id,
            other.status == WAITLISTED,
            other.position <= EventSignup.position,
        )
        .correlate(EventSignup)
        .scalar_subquery()
    )
    result = await session.execute(
        select(
            Event.id,
            Event.sequence,
            Event.status,
            Event.updated_at,
            EventSignup.id,
            EventSignup.status,
            EventSignup.offer_expires_at,
            rank,
        )
        .join(Event, Event.id == EventSignup.event_id)
        .where(EventSignup.member_id == member_id, Event.starts_at > since)
        .order_by(Event.starts_at, Event.id)
    )
    return [tuple(row) for row in result.all()]


async def public_states(
    session: AsyncSession,
    *,
    since: datetime,
    statuses: Sequence[str],
    hidden_audiences: Sequence[str] = (),
    limit: int = 500,
) -> Sequence[tuple[Any, ...]]:
    """The network's events starting after `since` in the given statuses, but those for an
    audience the caller hides (who may see what is the handler's rule): (id, sequence, status,
    updated)."""
    query = select(Event.id, Event.sequence, Event.status, Event.updated_at).where(
        Event.starts_at > since, Event.status.in_(statuses)
    )
    if hidden_audiences:
        query = query.where(Event.audience.not_in(hidden_audiences))
    result = await session.execute(query.order_by(Event.starts_at, Event.id).limit(limit))
    return [tuple(row) for row in result.all()]


async def events_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Event]:
    if not ids:
        return []
    result = await session.execute(
        select(Event).where(Event.id.in_(ids)).order_by(Event.starts_at, Event.id)
    )
    return list(result.scalars())
