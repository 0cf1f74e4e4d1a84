"""What the dispatcher needs to know about an incoming update, in one statement where it can."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.models import Account, Conversation, Member, ProcessedUpdate
from storage.transport_state import was_processed


@dataclass(frozen=True)
class Inbound:
    """Whether the update was handled before; the sender's member, account and pending step."""

    processed: bool
    member: Member | None = None
    account: Account | None = None
    pending: Conversation | None = None


async def look_up(session: AsyncSession, *, platform: str, user_id: str, update_id: str) -> Inbound:
    """The processed flag, the member (with all accounts) and the conversation: one SELECT.

    A sender without an account (a first contact) costs a second SELECT for the flag.
    """
    processed = exists().where(
        ProcessedUpdate.platform == platform, ProcessedUpdate.update_id == update_id
    )
    query = (
        select(Member, Conversation, processed.label("processed"))
        .join(
            Account,
            and_(
                Account.member_id == Member.id,
                Account.platform == platform,
                Account.user_id == user_id,
            ),
        )
        .outerjoin(Conversation, Conversation.member_id == Member.id)
        .options(joinedload(Member.accounts))
    )
    row = (await session.execute(query)).unique().one_or_none()
    if row is None:
        seen = await was_processed(session, platform=platform, update_id=update_id)
        return Inbound(processed=seen)
    member, pending, seen = row
    account = next(a for a in member.accounts if a.platform == platform and a.user_id == user_id)
    return Inbound(processed=bool(seen), member=member, account=account, pending=pending)
