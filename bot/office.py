"""Messages to the network's admins in their own chats: a new question for the office, a job
missed while the bot was down, a group the bot cannot reach."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery import enqueue_for_member
from bot.messages import Reply
from storage import members
from storage.models import Member, OutboxMessage


async def admins(session: AsyncSession, settings: Settings) -> list[Member]:
    """The admins (by the config or by /promote) who have written to the bot, in id order."""
    configured = settings.admins
    return await members.admin_members(
        session,
        telegram_ids=configured.telegram,
        matrix_ids=configured.matrix,
        console_ids=configured.console,
    )


async def tell_admins(
    session: AsyncSession,
    settings: Settings,
    reply_in: Callable[[str], Reply],
    kind: str,
    *,
    besides: int | None = None,
) -> list[OutboxMessage]:
    """Queue `reply_in(language)` for every admin but `besides` (the member whose action it
    is about); the messages queued (to edit them later). The caller wakes the outbox after
    its transaction."""
    queued: list[OutboxMessage] = []
    for admin in await admins(session, settings):
        if admin.id == besides:
            continue
        reply = reply_in(admin.language)
        message = await enqueue_for_member(session, member=admin, reply=reply, kind=kind)
        if message is not None:
            queued.append(message)
    return queued
