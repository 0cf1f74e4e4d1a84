"""Writing to the outbox; the delivery worker (bot/delivery.py) drains it."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, utcnow


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


async def enqueue_many(session: AsyncSession, rows: Sequence[Mapping[str, object]]) -> int:
    """Queue many messages in one statement (a broadcast); rows hold OutboxMessage fields.

    A row whose `dedupe_key` is already queued is skipped, so queueing twice sends once.
    """
    if not rows:
        return 0
    keys = [str(row["dedupe_key"]) for row in rows if row.get("dedupe_key")]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found = await session.execute(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(chunk))
        )
        known.update(key for key in found.scalars() if key is not None)
    now = utcnow()
    fresh = [
        {
            "member_id": None,
            "chat_id": None,
            "user_id": None,
            "broadcast_id": None,
            "dedupe_key": None,
            "not_before": now,
            **row,
            "status": "pending",
            "attempts": 0,
            "last_error": "",
            "created_at": now,
        }
        for row in rows
        if row.get("dedupe_key") not in known
    ]
    if fresh:
        await session.execute(insert(OutboxMessage), fresh)
    return len(fresh)


@dataclass(frozen=True)
class Claimed:
    """A message a worker holds the lease on."""

    id: int
    platform: str
    chat_id: str | None
    user_id: str | None
    member_id: int | None
    payload: dict[str, Any]
    attempts: int
    broadcast_id: int | None


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed message; `status` pending means: try again at `not_before`."""

    id: int
    status: str
    attempted: bool = True
    not_before: datetime | None = None
    chat_id: str | None = None
    message_ref: str | None = None
    error: str = ""


def _due(now: datetime, platforms: Collection[str]) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.platform.in_(list(platforms)),
        or_(
            and_(OutboxMessage.status == "pending", OutboxMessage.not_before <= now),
            # A lease that ran out: its worker died (or hung) mid-send; at most these repeat.
            and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
        ),
    )


async def lease_owners(session: AsyncSession) -> list[str]:
    """The workers that hold leases now."""
    result = await session.execute(
        select(OutboxMessage.lease_owner)
        .where(OutboxMessage.status == "sending", OutboxMessage.lease_owner.is_not(None))
        .distinct()
    )
    return [owner for owner in result.scalars() if owner]


async def take_over_leases(session: AsyncSession, *, owners: Collection[str]) -> int:
    """Make every message leased by these (gone) workers due again; how many."""
    if not owners:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "sending", OutboxMessage.lease_owner.in_(list(owners)))
        .values(status="pending", lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def claim(
    session: AsyncSession,
    *,
    owner: str,
    platforms: Collection[str],
    limit: int,
    now: datetime,
    lease_until: datetime,
) -> list[Claimed]:
    """Lease up to `limit` due messages to `owner`, oldest first.

    One statement: on PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED, so workers in
    other processes take other rows; on SQLite the write lock taken at BEGIN does the same.
    """
    if limit <= 0 or not platforms:
        return []
    picked = (
        select(OutboxMessage.id)
        .where(_due(now, platforms))
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(picked.scalar_subquery()))
        .values(status="sending", lease_owner=owner, lease_until=lease_until)
        .returning(
            OutboxMessage.id,
            OutboxMessage.platform,
            OutboxMessage.chat_id,
            OutboxMessage.user_id,
            OutboxMessage.member_id,
            OutboxMessage.payload,
            OutboxMessage.attempts,
            OutboxMessage.broadcast_id,
        )
        .execution_options(synchronize_session=False)
    )
    rows = (await session.execute(statement)).all()
    claimed = [
        Claimed(
            id=row.id,
            platform=row.platform,
            chat_id=row.chat_id,
            user_id=row.user_id,
            member_id=row.member_id,
            payload=dict(row.payload),
            attempts=row.attempts,
            broadcast_id=row.broadcast_id,
        )
        for row in rows
    ]
    claimed.sort(key=lambda message: message.id)
    return claimed


async def record(
    session: AsyncSession, *, owner: str, outcomes: Sequence[Outcome], now: datetime
) -> int:
    """Write what became of claimed messages; only rows still leased to `owner` change."""
    if not outcomes:
        return 0
    table = Table("outbox", OutboxMessage.metadata)
    statement = (
        table.update()
        .where(
            table.c.id == bindparam("o_id"),
            table.c.lease_owner == owner,
            table.c.status == "sending",
        )
        .values(
            status=bindparam("o_status"),
            attempts=table.c.attempts + bindparam("o_tried"),
            not_before=func.coalesce(
                bindparam("o_not_before", type_=DateTime(timezone=True)), table.c.not_before
            ),
            chat_id=func.coalesce(bindparam("o_chat", type_=String()), table.c.chat_id),
            message_ref=bindparam("o_ref", type_=String()),
            last_error=bindparam("o_error"),
            sent_at=bindparam("o_sent_at", type_=DateTime(True)),
            lease_owner=None,
            lease_until=None,
        )
    )
    params = [
        {
            "o_id": outcome.id,
            "o_status": outcome.status,
            "o_tried": 1 if outcome.attempted else 0,
            "o_not_before": outcome.not_before,
            "o_chat": outcome.chat_id,
            "o_ref": outcome.message_ref,
            "o_error": outcome.error[:500],
            "o_sent_at": now if outcome.status == "sent" else None,
        }
        for outcome in outcomes
    ]
    result = await session.execute(statement, params)
    return int(getattr(result, "rowcount", 0) or 0)


async def status_counts(
    session: AsyncSession, *, broadcast_ids: Collection[int]
) -> dict[int, dict[str, int]]:
    """Messages per status for each broadcast: {broadcast_id: {status: count}}."""
    counts: dict[int, dict[str, int]] = {bid: {} for bid in broadcast_ids}
    if not broadcast_ids:
        return counts
    rows = await session.execute(
        select(OutboxMessage.broadcast_id, OutboxMessage.status, func.count())
        .where(OutboxMessage.broadcast_id.in_(list(broadcast_ids)))
        .group_by(OutboxMessage.broadcast_id, OutboxMessage.status)
    )
    for broadcast_id, status, count in rows.all():
        if broadcast_id is not None:
            counts.setdefault(int(broadcast_id), {})[str(status)] = int(count)
    return counts


async def sent_ref(session: AsyncSession, message_id: int) -> tuple[str | None, str | None]:
    """(status, platform reference) of one outbox message; (None, None) when it is gone."""
    row = (
        await session.execute(
            select(OutboxMessage.status, OutboxMessage.message_ref).where(
                OutboxMessage.id == message_id
            )
        )
    ).one_or_none()
    return (None, None) if row is None else (row[0], row[1])


WITHDRAWN = "withdrawn"


async def withdraw_broadcast(session: AsyncSession, *, broadcast_id: int) -> int | None:
    """Withdraw every waiting copy of a broadcast; None (nothing changed) when any copy is
    sent, being sent or already withdrawn: a broadcast is withdrawn whole or not at all.

    The caller holds the broadcast's row lock (storage/broadcasts.cancel), so no other
    withdrawal runs at the same time. A worker may lease a row between the check and the
    update; the count after the update sees it, and the withdrawal is undone.
    """
    mine = OutboxMessage.broadcast_id == broadcast_id
    not_waiting = select(func.count()).where(mine, OutboxMessage.status != "pending")
    if (await session.execute(not_waiting)).scalar_one():
        return None
    result = await session.execute(
        update(OutboxMessage)
        .where(mine, OutboxMessage.status == "pending")
        .values(status=WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    others = await session.execute(
        select(func.count()).where(mine, OutboxMessage.status != WITHDRAWN)
    )
    if others.scalar_one():
        await session.execute(
            update(OutboxMessage)
            .where(mine, OutboxMessage.status == WITHDRAWN)
            .values(status="pending")
            .execution_options(synchronize_session=False)
        )
        return None
    return int(getattr(result, "rowcount", 0) or 0)


async def drop_waiting(session: AsyncSession, *, dedupe_keys: Collection[str]) -> int:
    """Delete the messages with these keys that still wait to be sent (one being sent right
    now goes out): what a member erased must not reach anyone after all. Returns how many."""
    if not dedupe_keys:
        return 0
    result = await session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.dedupe_key.in_(list(dedupe_keys)), OutboxMessage.status == "pending")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def next_due(session: AsyncSession, *, platforms: Collection[str]) -> datetime | None:
    """When the earliest waiting message becomes due (pending or leased), for the worker's nap."""
    if not platforms:
        return None
    pending = await session.execute(
        select(func.min(OutboxMessage.not_before)).where(
            OutboxMessage.platform.in_(list(platforms)), OutboxMessage.status == "pending"
        )
    )
    leased = await session.execute(
        select(func.min(OutboxMessage.lease_until)).where(
            OutboxMessage.platform.in_(list(platforms)), OutboxMessage.status == "sending"
        )
    )
    times = [value for value in (pending.scalar(), leased.scalar()) if value is not None]
    return min((as_utc(value) for value in times), default=None)


def as_utc(value: datetime) -> datetime:
    """SQLite gives naive datetimes back; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
