"""The outbox: every message that is not the direct answer to what someone just wrote.

Handlers call `enqueue_for_member` (or `enqueue_to_chat`) inside their own transaction; the
message is in the database before anything is sent, and the delivery worker sends it.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import ANSWERS_TYPED, Attachment, AttachmentKind, Button, Poll, Reply
from storage import chat_routes, outbox
from storage.models import Account, Member, OutboxMessage

# The payload key of an edit queued while the message it edits was being sent: that message's
# outbox row, whose platform reference the delivery worker reads when the edit is due.
EDIT_OF = "edit_of"


def reply_to_payload(reply: Reply) -> dict[str, object]:
    payload: dict[str, object] = {"text": reply.text}
    if reply.edit_ref is not None:
        payload["edit_ref"] = reply.edit_ref
    if reply.buttons:
        payload["buttons"] = [[[b.label, b.payload] for b in row] for row in reply.buttons]
    # what a typed yes or no answers to it (an introduction's "Ja, vorstellen"): delivered later
    answers = {key: reply.metadata[key] for key in ANSWERS_TYPED if reply.metadata.get(key)}
    if answers:
        payload["answers"] = answers
    if reply.poll is not None:
        payload["poll"] = {
            "key": reply.poll.poll_key,
            "question": reply.poll.question,
            "options": list(reply.poll.options),
            "multiple": reply.poll.multiple,
        }
    if reply.attachment is not None:
        attachment = reply.attachment
        raw: dict[str, object] = {
            "filename": attachment.filename,
            "mime": attachment.mime_type,
            "kind": attachment.kind.value,
        }
        if attachment.stored_id is not None:
            # A stored file (a broadcast's): thousands of rows name it, none copies it.
            raw["stored_id"] = attachment.stored_id
        else:
            raw["content"] = base64.b64encode(attachment.content).decode("ascii")
        payload["attachment"] = raw
    return payload


def reply_from_payload(payload: dict[str, Any]) -> Reply:
    """The reply a payload holds; a stored attachment comes without its bytes (the delivery
    worker loads them, see bot/delivery_files.py)."""
    buttons = tuple(
        tuple(Button(label, data) for label, data in row) for row in payload.get("buttons", [])
    )
    poll = None
    if "poll" in payload:
        raw = payload["poll"]
        poll = Poll(raw["key"], raw["question"], tuple(raw["options"]), bool(raw["multiple"]))
    attachment = None
    if "attachment" in payload:
        raw = payload["attachment"]
        attachment = Attachment(
            raw["filename"],
            base64.b64decode(raw.get("content", "")),
            raw["mime"],
            AttachmentKind(raw.get("kind", AttachmentKind.FILE)),
            stored_id=raw.get("stored_id"),
        )
    return Reply(
        text=str(payload.get("text", "")),
        buttons=buttons,
        poll=poll,
        attachment=attachment,
        edit_ref=payload.get("edit_ref"),
        metadata={str(key): str(value) for key, value in payload.get("answers", {}).items()},
    )


def delivery_account(member: Member) -> Account | None:
    """The account a member is reached on: the platform they chose, else any reachable one."""
    reachable = [a for a in member.accounts if not a.unreachable]
    reachable.sort(key=lambda a: (a.platform != member.preferred_platform, a.id))
    return reachable[0] if reachable else None


async def enqueue_for_member(
    session: AsyncSession,
    *,
    member: Member,
    reply: Reply,
    kind: str,
    broadcast_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Queue a message to a member on one platform; None if they cannot be reached at all."""
    account = delivery_account(member)
    if account is None:
        return None
    return await outbox.enqueue(
        session,
        kind=kind,
        platform=account.platform,
        payload=reply_to_payload(reply),
        member_id=member.id,
        chat_id=account.chat_id,
        user_id=account.user_id,
        broadcast_id=broadcast_id,
        dedupe_key=dedupe_key,
    )


async def enqueue_edit(
    session: AsyncSession, *, of: OutboxMessage, reply: Reply, kind: str
) -> OutboxMessage | None:
    """Make a message the outbox sends, or sent, say `reply` instead (its buttons replace the
    old ones; none: no buttons), in the same chat. One still waiting is rewritten in place;
    one sent, or being sent right now, gets an edit queued (None otherwise: nothing reached
    the chat). The caller holds `of`'s row lock, so no worker claims it meanwhile."""
    if of.status == "pending":
        of.payload = reply_to_payload(reply)
        return None
    if of.status == "sent" and of.message_ref is None:
        return None  # sent, but the platform gave no reference to edit it by
    if of.status not in ("sent", "sending"):
        return None
    payload = reply_to_payload(replace(reply, edit_ref=of.message_ref))
    if of.message_ref is None:
        payload[EDIT_OF] = of.id  # the worker waits for the reference
    return await outbox.enqueue(
        session,
        kind=kind,
        platform=of.platform,
        payload=payload,
        member_id=of.member_id,
        chat_id=of.chat_id,
        user_id=of.user_id,
    )


async def enqueue_to_chat(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    reply: Reply,
    kind: str,
    broadcast_id: int | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage:
    """Queue a message to a group chat or room (announcements), at the id it has now."""
    return await outbox.enqueue(
        session,
        kind=kind,
        platform=platform,
        payload=reply_to_payload(reply),
        chat_id=await chat_routes.current(session, platform=platform, chat_id=chat_id),
        broadcast_id=broadcast_id,
        dedupe_key=dedupe_key,
    )


async def enqueue_for_members(
    session: AsyncSession,
    *,
    recipients: Sequence[tuple[Member, Reply]],
    kind: str,
    broadcast_id: int | None = None,
    not_before: datetime | None = None,
    dedupe_prefix: str | None = None,
) -> int:
    """Queue one message to each member (a broadcast) in bulk; returns how many were queued.

    Each member gets it once, on the account `delivery_account` picks; members who cannot be
    reached anywhere are left out. With `dedupe_prefix`, queueing the same again queues nothing.
    """
    rows: list[dict[str, object]] = []
    for member, reply in recipients:
        account = delivery_account(member)
        if account is None:
            continue
        row: dict[str, object] = {
            "kind": kind,
            "platform": account.platform,
            "payload": reply_to_payload(reply),
            "member_id": member.id,
            "chat_id": account.chat_id,
            "user_id": account.user_id,
            "broadcast_id": broadcast_id,
        }
        if dedupe_prefix is not None:
            row["dedupe_key"] = f"{dedupe_prefix}:member:{member.id}"
        if not_before is not None:
            row["not_before"] = not_before
        rows.append(row)
    return await outbox.enqueue_many(session, rows)


async def enqueue_to_chats(
    session: AsyncSession,
    *,
    chats: Sequence[tuple[str, str]],
    reply: Reply,
    kind: str,
    broadcast_id: int | None = None,
    not_before: datetime | None = None,
    dedupe_prefix: str | None = None,
) -> int:
    """Queue the same message to group chats and rooms, given as (platform, configured name);
    each row names the chat's id as it is now (an alias resolved, a moved group followed)."""
    rows: list[dict[str, object]] = []
    for platform, chat_id in chats:
        row: dict[str, object] = {
            "kind": kind,
            "platform": platform,
            "payload": reply_to_payload(reply),
            "chat_id": await chat_routes.current(session, platform=platform, chat_id=chat_id),
            "broadcast_id": broadcast_id,
        }
        if dedupe_prefix is not None:
            row["dedupe_key"] = f"{dedupe_prefix}:chat:{platform}:{chat_id}"
        if not_before is not None:
            row["not_before"] = not_before
        rows.append(row)
    return await outbox.enqueue_many(session, rows)
