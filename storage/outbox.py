"""Writing to the outbox; the delivery worker (bot/delivery.py) drains it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    platform: str,
    payload: dict[str, object],
    member_id: int | None = None,
    chat_id: str | None = None,
    user_id: str | None = None,
    not_before: datetime | None = None,
    broadcast_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        kind=kind,
        platform=platform,
        payload=payload,
        member_id=member_id,
        chat_id=chat_id,
        user_id=user_id,
        broadcast_id=broadcast_id,
        dedupe_key=dedupe_key,
    )
    if not_before is not None:
        message.not_before = not_before
    session.add(message)
    await session.flush()
    return message
