"""Counts of what needs the office's attention now (the dashboard's overview)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.events import OFFERED, EventSignup
from storage.models import OutboxMessage


async def offers_lapsing(session: AsyncSession, *, now: datetime, before: datetime) -> int:
    """Offered places whose offer runs out between now and `before`."""
    found = await session.scalar(
        select(func.count())
        .select_from(EventSignup)
        .where(
            EventSignup.status == OFFERED,
            EventSignup.offer_expires_at > now,
            EventSignup.offer_expires_at <= before,
        )
    )
    return int(found or 0)


async def failed_deliveries(session: AsyncSession, *, since: datetime) -> int:
    """Messages given up on (failed) or that reached nobody (unreachable) since `since`."""
    found = await session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.status.in_(("failed", "unreachable")),
            OutboxMessage.created_at >= since,
        )
    )
    return int(found or 0)
