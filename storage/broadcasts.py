"""News broadcasts: what was sent to whom (the audience), when, and how delivery went.

Each recipient's copy is an outbox row with `broadcast_id`; the delivery report counts those rows,
so it is exact while the broadcast runs and after.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage import event_store, files, members, outbox
from storage.files import FileInfo
from storage.models import Base, BigId, Member, OutboxMessage, utcnow


class Broadcast(Base):
    """One news broadcast by an admin (or an operator on the command line)."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # The sender's member number, without a foreign key: the history stays when they leave.
    created_by: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    # What members who read English get instead of `text`; empty: they get `text` too.
    text_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    audience: Mapped[str] = mapped_column(String(200))
    announcements: Mapped[bool] = mapped_column(Boolean, default=False)
    send_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    # Announcement chats and rooms that got it too: [[platform, chat_id], ...].
    chats: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    # The image or document sent with the text; each recipient's outbox message names it.
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", name="fk_broadcasts_attachment_id"), index=True
    )
    # The event whose sign-up buttons the copies carry: announced when a copy goes out (a
    # broadcast planned for later announces it then, not when it is planned).
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", name="fk_broadcasts_event_id", ondelete="SET NULL")
    )


REPORT_STATUSES = ("sent", "failed", "unreachable", "pending", "withdrawn")


def report_counts(by_status: dict[str, int]) -> dict[str, int]:
    """Outbox statuses folded into the report: leased messages count as pending."""
    return {
        "sent": by_status.get("sent", 0),
        "failed": by_status.get("failed", 0),
        "unreachable": by_status.get("unreachable", 0),
        "pending": by_status.get("pending", 0) + by_status.get("sending", 0),
        "withdrawn": by_status.get(outbox.WITHDRAWN, 0),
    }


async def audience_candidates(session: AsyncSession) -> Sequence[Member]:
    """Members who chose the news (`members.news_readers`); the handler narrows them by
    audience."""
    return await members.news_readers(session)


async def create(
    session: AsyncSession,
    *,
    created_by: int | None,
    text: str,
    audience: str,
    announcements: bool,
    send_at: datetime,
    recipients: int,
    chats: list[list[str]],
    attachment_id: int | None = None,
    text_en: str = "",
    event_id: int | None = None,
) -> Broadcast:
    broadcast = Broadcast(
        created_by=created_by,
        text=text,
        text_en=text_en,
        audience=audience,
        announcements=announcements,
        send_at=send_at,
        recipients=recipients,
        chats=chats,
        attachment_id=attachment_id,
        event_id=event_id,
    )
    session.add(broadcast)
    if attachment_id is not None:
        await files.publish(session, file_id=attachment_id)
    await session.flush()
    return broadcast


async def announce_delivered_events(session: AsyncSession, *, message_ids: Collection[int]) -> None:
    """Mark announced the events whose broadcasts had a copy among the delivered messages
    `message_ids`, as of the broadcast's time; an event announced before keeps its time."""
    if not message_ids:
        return
    found = await session.execute(
        select(Broadcast.event_id, func.min(Broadcast.send_at))
        .join(OutboxMessage, OutboxMessage.broadcast_id == Broadcast.id)
        .where(OutboxMessage.id.in_(list(message_ids)), Broadcast.event_id.is_not(None))
        .group_by(Broadcast.event_id)
    )
    for event_id, at in found.all():
        if event_id is not None:
            await event_store.mark_announced(session, event_id=event_id, at=at)


async def get(session: AsyncSession, broadcast_id: int) -> Broadcast | None:
    return await session.get(Broadcast, broadcast_id)


async def recent(session: AsyncSession, *, limit: int = 10) -> Sequence[Broadcast]:
    result = await session.execute(select(Broadcast).order_by(Broadcast.id.desc()).limit(limit))
    return result.scalars().all()


@dataclass(frozen=True)
class Received:
    """A broadcast as one member got it: when their copy was delivered, and its texts."""

    sent_at: datetime
    text: str
    text_en: str


async def received_by(session: AsyncSession, *, member_id: int, limit: int) -> list[Received]:
    """The broadcasts delivered to the member, latest first (copies not yet sent, failed or
    withdrawn are no news they got)."""
    result = await session.execute(
        select(OutboxMessage.sent_at, Broadcast.text, Broadcast.text_en)
        .join(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
        .where(
            OutboxMessage.member_id == member_id,
            OutboxMessage.status == "sent",
            OutboxMessage.sent_at.is_not(None),
        )
        .order_by(OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        Received(outbox.as_utc(at), text, text_en)
        for at, text, text_en in result.all()
        if at is not None
    ]


async def scheduled(session: AsyncSession, *, now: datetime) -> Sequence[Broadcast]:
    """Broadcasts whose send time is still ahead (cancelled ones included), soonest first."""
    result = await session.execute(
        select(Broadcast).where(Broadcast.send_at > now).order_by(Broadcast.send_at, Broadcast.id)
    )
    return result.scalars().all()


async def cancel(session: AsyncSession, *, broadcast_id: int, now: datetime) -> str:
    """Withdraw a scheduled broadcast before it goes out, in this transaction.

    Returns "cancelled", "unknown", "already" (cancelled before) or "started" (its send time
    has come, or a copy is sent or being sent: then nothing changes).
    """
    found = await session.execute(
        select(Broadcast).where(Broadcast.id == broadcast_id).with_for_update()
    )
    broadcast = found.scalar_one_or_none()
    if broadcast is None:
        return "unknown"
    counts = (await outbox.status_counts(session, broadcast_ids=[broadcast_id]))[broadcast_id]
    if counts.get(outbox.WITHDRAWN):
        return "already"
    if outbox.as_utc(broadcast.send_at) <= now:
        return "started"
    if not counts:
        # Nobody to withdraw (an audience of no one): the broadcast itself goes, or it would
        # stay "scheduled" for ever.
        await session.delete(broadcast)
        return "cancelled"
    if await outbox.withdraw_broadcast(session, broadcast_id=broadcast_id) is None:
        return "started"
    return "cancelled"


async def reports(
    session: AsyncSession, *, broadcast_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    """The delivery report of each broadcast: sent, failed, unreachable, pending."""
    counts = await outbox.status_counts(session, broadcast_ids=broadcast_ids)
    return {bid: report_counts(by_status) for bid, by_status in counts.items()}


async def set_recipients(session: AsyncSession, *, broadcast_id: int, recipients: int) -> None:
    await session.execute(
        update(Broadcast).where(Broadcast.id == broadcast_id).values(recipients=recipients)
    )


async def attached_files(session: AsyncSession, items: Sequence[Broadcast]) -> dict[int, FileInfo]:
    """The attached file of each broadcast that has one, by broadcast number."""
    ids = {b.id: b.attachment_id for b in items if b.attachment_id is not None}
    found = await files.infos(session, file_ids=set(ids.values()))
    return {number: found[file_id] for number, file_id in ids.items() if file_id in found}


@dataclass(frozen=True)
class RecipientRow:
    """One recipient's copy of a broadcast: a member (or an announcement chat) and its state."""

    outbox_id: int
    member_id: int | None
    display_name: str
    organisation: str
    platform: str
    chat_id: str | None
    status: str
    attempts: int
    last_error: str
    sent_at: datetime | None


async def recipient_rows(
    session: AsyncSession, *, broadcast_id: int, offset: int, limit: int
) -> list[RecipientRow]:
    """A page of a broadcast's copies in the order they were queued, with the member's name."""
    rows = await session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.member_id,
            Member.display_name,
            Member.organisation,
            OutboxMessage.platform,
            OutboxMessage.chat_id,
            OutboxMessage.status,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
            OutboxMessage.sent_at,
        )
        .outerjoin(Member, Member.id == OutboxMessage.member_id)
        .where(OutboxMessage.broadcast_id == broadcast_id)
        .order_by(OutboxMessage.id)
        .offset(offset)
        .limit(limit)
    )
    return [
        RecipientRow(
            outbox_id=row[0],
            member_id=row[1],
            display_name=row[2] or "",
            organisation=row[3] or "",
            platform=row[4],
            chat_id=row[5],
            status=row[6],
            attempts=row[7],
            last_error=row[8] or "",
            sent_at=outbox.as_utc(row[9]) if row[9] is not None else None,
        )
        for row in rows.all()
    ]


async def recipient_total(session: AsyncSession, *, broadcast_id: int) -> int:
    found = await session.execute(
        select(func.count()).where(OutboxMessage.broadcast_id == broadcast_id)
    )
    return int(found.scalar_one())
