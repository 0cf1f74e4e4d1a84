"""The pending step of a member's guided conversation."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation


async def get(session: AsyncSession, *, member_id: int) -> Conversation | None:
    return await session.get(Conversation, member_id)


async def put(
    session: AsyncSession, *, member_id: int, flow: str, step: str, data: dict[str, object]
) -> None:
    row = await session.get(Conversation, member_id)
    if row is None:
        session.add(Conversation(member_id=member_id, flow=flow, step=step, data=data))
    else:
        row.flow, row.step, row.data = flow, step, dict(data)


async def clear(session: AsyncSession, *, member_id: int) -> None:
    await session.execute(delete(Conversation).where(Conversation.member_id == member_id))


async def update_data(session: AsyncSession, *, member_id: int, **values: object) -> None:
    """Set keys in the pending step's data (nothing when no step is pending)."""
    row = await session.get(Conversation, member_id)
    if row is not None:
        row.data = {**row.data, **values}
