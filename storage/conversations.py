"""The pending step of a member's guided conversation."""

from __future__ import annotations

from sqlalchemy import delete, update
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


async def take(
    session: AsyncSession,
    *,
    member_id: int,
    flow: str,
    step: str,
    then: tuple[str, str, dict[str, object]] | None = None,
) -> Conversation | None:
    """End a guided conversation at `step` once: a second (or concurrent) call gets None.
    `then` (flow, step, data) takes its place (a flow that waited under it), else none."""
    row = await session.get(Conversation, member_id)
    if row is None or row.flow != flow or row.step != step:
        return None
    data = dict(row.data)
    where = (
        Conversation.member_id == member_id,
        Conversation.flow == flow,
        Conversation.step == step,
    )
    if then is None:
        result = await session.execute(delete(Conversation).where(*where))
    else:
        back, back_step, back_data = then
        change = update(Conversation).where(*where)
        result = await session.execute(
            change.values(flow=back, step=back_step, data=back_data).execution_options(
                synchronize_session=False
            )
        )
    if not getattr(result, "rowcount", 0):
        return None
    return Conversation(member_id=member_id, flow=flow, step=step, data=data)
