"""What the dispatcher needs to know about an incoming update, in one statement where it can."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, and_, bindparam, exists, select
from sqlalchemy.orm import Session, joinedload

from storage.models import Account, Conversation, Member, ProcessedUpdate


@dataclass(frozen=True)
class Inbound:
    """Whether the update was handled before; the sender's member, account and pending step."""

    processed: bool
    member: Member | None = None
    account: Account | None = None
    pending: Conversation | None = None


# Built once: constructing this statement and its cache key costs more than running it.
_PLATFORM = bindparam("platform", type_=String)
_USER_ID = bindparam("user_id", type_=String)
_UPDATE_ID = bindparam("update_id", type_=String)
_SEEN = exists().where(
    ProcessedUpdate.platform == _PLATFORM, ProcessedUpdate.update_id == _UPDATE_ID
)
_LOOK_UP = (
    select(Member, Conversation, _SEEN.label("processed"))
    .join(
        Account,
        and_(
            Account.member_id == Member.id,
            Account.platform == _PLATFORM,
            Account.user_id == _USER_ID,
        ),
    )
    .outerjoin(Conversation, Conversation.member_id == Member.id)
    .options(joinedload(Member.accounts))
)


_PROCESSED = select(_SEEN)


def look_up(session: Session, *, platform: str, user_id: str, update_id: str) -> Inbound:
    """The processed flag, the member (with all accounts) and the conversation: one SELECT.

    A sender without an account (a first contact) costs a second SELECT for the flag.
    Synchronous: the dispatcher runs it whole in one greenlet (`Database.run_read`).
    """
    params = {"platform": platform, "user_id": user_id, "update_id": update_id}
    row = session.execute(_LOOK_UP, params).unique().one_or_none()
    if row is None:
        return Inbound(processed=bool(session.scalar(_PROCESSED, params)))
    member, pending, seen = row
    account = next(a for a in member.accounts if a.platform == platform and a.user_id == user_id)
    return Inbound(processed=bool(seen), member=member, account=account, pending=pending)
