"""Transport state (Telegram offset, Matrix sync token) and the ids of handled updates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.models import ProcessedUpdate, TransportState


async def get_state(session: AsyncSession, key: str) -> str | None:
    row = await session.get(TransportState, key)
    return None if row is None else row.value


async def set_state(session: AsyncSession, key: str, value: str) -> None:
    row = await session.get(TransportState, key)
    if row is None:
        session.add(TransportState(key=key, value=value))
    else:
        row.value = value


# Built once per dialect: statement construction would cost more than the INSERT itself.
_MARK = {
    name: insert(ProcessedUpdate).on_conflict_do_nothing(index_elements=["platform", "update_id"])
    for name, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


def mark_processed_many(session: Session, keys: Sequence[tuple[str, str]]) -> None:
    """Store (platform, update id) pairs in one statement; ids stored before are left alone."""
    if not keys:
        return
    connection = session.connection()  # Core, not the ORM's bulk insert machinery
    connection.execute(
        _MARK[connection.dialect.name],
        [{"platform": platform, "update_id": update_id} for platform, update_id in keys],
    )


def prune_processed(session: Session, *, before: datetime) -> None:
    session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.handled_at < before))
