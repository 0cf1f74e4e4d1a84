"""The audit log of admin actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, Member


async def record(
    session: AsyncSession,
    *,
    actor_member_id: int | None,
    action: str,
    allowed: bool,
    detail: str | Mapping[str, object],
) -> None:
    """Log an action; `detail` is text as given (what was typed) or data a page shows in its
    reader's language (`{"key": ..., "values": ...}`, built by handlers/audit.py)."""
    text, data = (detail, None) if isinstance(detail, str) else ("", dict(detail))
    session.add(
        AuditEntry(
            actor_member_id=actor_member_id,
            action=action[:80],
            allowed=allowed,
            detail=text[:2000],
            detail_data=data,
        )
    )


async def recent(session: AsyncSession, *, limit: int = 50) -> Sequence[AuditEntry]:
    result = await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return result.scalars().all()


async def search(
    session: AsyncSession,
    *,
    actor_member_id: int | None = None,
    action_prefix: str = "",
    exact: bool = False,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[tuple[AuditEntry, Member | None]], int]:
    """One page of the log, newest first, with who did it; and how many entries match in all.

    `action_prefix` matches the start of the action (`web:members` finds `web:members:role`),
    with `exact` the whole action; `since` is inclusive, `until` exclusive."""
    conditions: list[ColumnElement[bool]] = [true()]
    if actor_member_id is not None:
        conditions.append(AuditEntry.actor_member_id == actor_member_id)
    if action_prefix and exact:
        conditions.append(AuditEntry.action == action_prefix)
    elif action_prefix:
        escaped = action_prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
        conditions.append(AuditEntry.action.like(f"{escaped}%", escape="!"))
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    where = and_(*conditions)
    total = int(
        (await session.execute(select(func.count(AuditEntry.id)).where(where))).scalar_one()
    )
    result = await session.execute(
        select(AuditEntry, Member)
        .outerjoin(Member, Member.id == AuditEntry.actor_member_id)
        .where(where)
        .order_by(AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [(entry, member) for entry, member in result.all()], total


async def actors(session: AsyncSession) -> list[Member]:
    """Members who appear in the log as the one who acted (for the filter), by id."""
    ids = select(AuditEntry.actor_member_id).where(AuditEntry.actor_member_id.is_not(None))
    result = await session.execute(select(Member).where(Member.id.in_(ids)).order_by(Member.id))
    return list(result.scalars())
