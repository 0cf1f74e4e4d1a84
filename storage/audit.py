"""The audit log of admin actions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    session: AsyncSession, *, actor_member_id: int | None, action: str, allowed: bool, detail: str
) -> None:
    session.add(
        AuditEntry(
            actor_member_id=actor_member_id,
            action=action[:80],
            allowed=allowed,
            detail=detail[:2000],
        )
    )


async def recent(session: AsyncSession, *, limit: int = 50) -> Sequence[AuditEntry]:
    result = await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return result.scalars().all()
