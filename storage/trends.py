"""Counts over time for the dashboard's charts: aggregates in SQL, never rows in Python.

Time buckets come in as `edges` (ascending UTC datetimes, n + 1 edges for n buckets); each
query sorts a row into its bucket with one CASE and groups by it, so it runs the same on
SQLite and PostgreSQL and in the network's time zone (the caller chose the edges).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, distinct, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.events import EventSignup
from storage.faq import FaqQuestion
from storage.models import Account
from storage.partners import OFFICE, PartnerRequest

# The bucket of rows before the first edge (a running total starts from it).
BEFORE = -1


def _bucket(
    column: InstrumentedAttribute[datetime], edges: Sequence[datetime]
) -> ColumnElement[int]:
    """The index of the bucket `column` falls in (BEFORE for earlier rows)."""
    whens = [(column >= edges[i], i) for i in reversed(range(len(edges) - 1))]
    return case(*whens, else_=BEFORE)


async def questions_by_bucket(
    session: AsyncSession, *, edges: Sequence[datetime]
) -> dict[tuple[int, str], int]:
    """Logged questions per (bucket, decision) between the first and the last edge."""
    bucket = _bucket(FaqQuestion.asked_at, edges).label("bucket")
    rows = await session.execute(
        select(bucket, FaqQuestion.decision, func.count())
        .where(FaqQuestion.asked_at >= edges[0], FaqQuestion.asked_at < edges[-1])
        .group_by(bucket, FaqQuestion.decision)
    )
    return {(int(b), str(decision)): int(n) for b, decision, n in rows.all()}


async def signups_by_bucket(
    session: AsyncSession, *, event_ids: Sequence[int], edges: Sequence[datetime]
) -> dict[int, dict[int, int]]:
    """Sign-ups still on each event's list, per bucket of when they signed up:
    {event_id: {bucket: count}}, with BEFORE for those older than the first edge."""
    found: dict[int, dict[int, int]] = {event_id: {} for event_id in event_ids}
    if not event_ids:
        return found
    bucket = _bucket(EventSignup.created_at, edges).label("bucket")
    rows = await session.execute(
        select(EventSignup.event_id, bucket, func.count())
        .where(EventSignup.event_id.in_(list(event_ids)), EventSignup.created_at < edges[-1])
        .group_by(EventSignup.event_id, bucket)
    )
    for event_id, b, n in rows.all():
        found.setdefault(int(event_id), {})[int(b)] = int(n)
    return found


@dataclass(frozen=True)
class PlatformActivity:
    platform: str
    members: int  # members with an account on the platform
    active: int  # of those, members who did something the bot records since `since`


async def activity_per_platform(
    session: AsyncSession, *, since: datetime
) -> list[PlatformActivity]:
    """Per platform: members with an account there, and how many of them asked a question,
    signed up for an event, sent a partner request or joined (linked the account) since
    `since`. A member with accounts on two platforms counts on both."""
    active_ids = union(
        select(FaqQuestion.member_id).where(FaqQuestion.asked_at >= since),
        select(EventSignup.member_id).where(EventSignup.created_at >= since),
        select(PartnerRequest.requester_id).where(PartnerRequest.created_at >= since),
        select(Account.member_id).where(Account.linked_at >= since),
    ).subquery()
    active = case((Account.member_id.in_(select(active_ids.c[0])), Account.member_id))
    rows = await session.execute(
        select(
            Account.platform,
            func.count(distinct(Account.member_id)),
            func.count(distinct(active)),
        )
        .group_by(Account.platform)
        .order_by(Account.platform)
    )
    return [PlatformActivity(str(p), int(m), int(a)) for p, m, a in rows.all()]


async def partner_requests_waiting(session: AsyncSession, *, now: datetime) -> int:
    """Partner requests waiting in the office's inbox (nobody fitted) and not past their date."""
    query = select(func.count()).where(
        PartnerRequest.status == OFFICE, PartnerRequest.expires_at > now
    )
    return int(await session.scalar(query) or 0)
