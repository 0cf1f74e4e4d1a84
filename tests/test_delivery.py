"""The delivery worker on SQLite and PostgreSQL: rate limits, retries, blocked users, crashes,
and two workers draining one outbox without sending anything twice."""

from __future__ import annotations

import asyncio
import itertools
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.delivery import EDIT_OF, enqueue_edit, enqueue_for_member, enqueue_to_chat
from bot.delivery_worker import DeliveryWorker, Pacer, WorkerSettings
from bot.messages import Reply
from bot.transports.base import RateLimits, SendResult, SendStatus
from storage import members
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Account, Member, OutboxMessage
from tests.recording_transport import RecordingTransport

FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
FAST = WorkerSettings(backoff_base=0.05, poll_seconds=0.2, flush_seconds=0.01)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    await upgrade(database)
    yield database
    await database.close()


async def add_members(db: Database, count: int, *, platform: str = "telegram") -> list[Member]:
    created = []
    async with db.session() as session:
        for number in range(count):
            member = await members.create_member_with_account(
                session,
                platform=platform,
                user_id=f"u{number}",
                chat_id=f"c{number}",
                display_name=f"Member {number}",
                language="de",
            )
            created.append(member)
    return created


async def queue_to_all(db: Database, people: list[Member], text: str = "Neuigkeiten") -> None:
    async with db.session() as session:
        for member in people:
            await enqueue_for_member(session, member=member, reply=Reply(text), kind="test")


async def statuses(db: Database) -> dict[str, int]:
    async with db.session() as session:
        rows = (await session.execute(select(OutboxMessage.status))).scalars().all()
    counts: dict[str, int] = {}
    for status in rows:
        counts[status] = counts.get(status, 0) + 1
    return counts


def test_pacer_spaces_tokens_after_the_burst() -> None:
    pacer = Pacer(rate=10, burst=3)
    waits = [pacer.reserve(100.0) for _ in range(5)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(0.1) and waits[4] == pytest.approx(0.2)
    pacer.pause_until(200.0)
    assert pacer.reserve(100.0) >= 99.0
    unlimited = Pacer(rate=0)
    assert unlimited.reserve(100.0) == 0.0
    unlimited.pause_until(101.5)
    assert unlimited.reserve(100.0) == pytest.approx(1.5)


async def test_everything_is_sent_once(db: Database) -> None:
    people = await add_members(db, 30)
    await queue_to_all(db, people)
    transport = RecordingTransport()
    worker = DeliveryWorker(db, {"telegram": transport}, settings=FAST)
    await worker.drain(10)
    assert transport.sent_per_chat() == {f"c{n}": 1 for n in range(30)}
    assert await statuses(db) == {"sent": 30}


async def test_overall_and_per_chat_rates_are_kept(db: Database) -> None:
    people = await add_members(db, 24)
    await queue_to_all(db, people)
    # Three messages to one member, one to a group chat twice.
    async with db.session() as session:
        for text in ("zwei", "drei"):
            await enqueue_for_member(session, member=people[0], reply=Reply(text), kind="test")
        for text in ("g1", "g2"):
            await enqueue_to_chat(
                session, platform="telegram", chat_id="-100", reply=Reply(text), kind="test"
            )
    limits = RateLimits(per_second=20, per_chat_per_second=1, per_group_per_minute=60)
    transport = RecordingTransport(limits=limits)
    worker = DeliveryWorker(db, {"telegram": transport}, settings=FAST)
    await worker.drain(20)
    times = sorted(a.at for a in transport.sent())
    assert len(times) == 28
    # No more than the limit in any one-second window (with a little slack for a busy machine).
    assert max(sum(1 for t in times if start <= t < start + 1.0) for start in times) <= 22
    assert times[-1] - times[0] >= 27 / 20 - 0.05
    one_chat = [a.at for a in transport.sent("c0")]
    assert [a.text for a in transport.sent("c0")] == ["Neuigkeiten", "zwei", "drei"]
    assert all(b - a >= 0.9 for a, b in itertools.pairwise(one_chat))
    group = [a.at for a in transport.sent("-100")]
    assert group[1] - group[0] >= 0.9


async def test_an_edit_queued_while_its_message_is_on_its_way_edits_it_once_arrived(
    db: Database,
) -> None:
    # An admin's alert is being sent when the member withdraws its question: the edit waits
    # for the alert's reference instead of being lost, and a message that never arrived is
    # not edited (nor sent anew).
    (admin, other) = await add_members(db, 2)
    async with db.session() as session:
        alert = await enqueue_for_member(session, member=admin, reply=Reply("Neu"), kind="test")
        lost = await enqueue_for_member(session, member=other, reply=Reply("Neu"), kind="test")
        assert alert is not None and lost is not None
        alert.status = lost.status = "sending"  # a worker holds them
        for message in (alert, lost):
            edit = await enqueue_edit(session, of=message, reply=Reply("Erledigt"), kind="edit")
            assert edit is not None and edit.payload[EDIT_OF] == message.id
        alert.status, lost.status = "pending", "failed"  # that worker let go of them
    transport = RecordingTransport()
    worker = DeliveryWorker(db, {"telegram": transport}, settings=FAST)
    await worker.drain(10)
    (sent, edited) = transport.sent("c0")
    assert (sent.text, sent.edit_ref) == ("Neu", None)
    assert (edited.text, edited.edit_ref) == ("Erledigt", "c0:0")
    assert transport.sent("c1") == []
    assert await statuses(db) == {"sent": 2, "failed": 2}


async def test_retry_after_is_honoured(db: Database) -> None:
    people = await add_members(db, 3)
    await queue_to_all(db, people)
    transport = RecordingTransport()
    transport.script["c1"] = [SendResult(SendStatus.RETRY, retry_after=1.0, detail="429")]
    worker = DeliveryWorker(db, {"telegram": transport}, settings=FAST)
    await worker.drain(10)
    tries = [a for a in transport.attempts if a.chat_id == "c1"]
    assert [a.status for a in tries] == [SendStatus.RETRY, SendStatus.SENT]
    assert tries[1].at - tries[0].at >= 1.0
    assert await statuses(db) == {"sent": 3}
    assert worker.stats.rate_limited == 1


async def test_server_errors_are_retried_with_backoff_then_given_up(db: Database) -> None:
    people = await add_members(db, 2)
    await queue_to_all(db, people)
    transport = RecordingTransport()
    bad_gateway = SendResult(SendStatus.RETRY, detail="502 Bad Gateway")
    transport.script["c0"] = [bad_gateway, bad_gateway]
    transport.script["c1"] = [bad_gateway] * 10
    settings = WorkerSettings(
        backoff_base=0.2, poll_seconds=0.2, flush_seconds=0.01, max_attempts=4
    )
    worker = DeliveryWorker(db, {"telegram": transport}, settings=settings)
    await worker.drain(10)
    first = [a for a in transport.attempts if a.chat_id == "c0"]
    assert [a.status for a in first][-1] is SendStatus.SENT and len(first) == 3, transport.attempts
    # The wait doubles (less up to a fifth of jitter).
    assert first[1].at - first[0].at >= 0.16 and first[2].at - first[1].at >= 0.32
    assert len([a for a in transport.attempts if a.chat_id == "c1"]) == 4, transport.attempts
    async with db.session() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        by_chat = {row.chat_id: row for row in rows}
    assert by_chat["c0"].status == "sent" and by_chat["c0"].attempts == 3
    assert by_chat["c1"].status == "failed" and "502" in by_chat["c1"].last_error


async def test_blocked_member_becomes_unreachable(db: Database) -> None:
    people = await add_members(db, 2)
    await queue_to_all(db, people)
    transport = RecordingTransport(blocked={"c1"})
    worker = DeliveryWorker(db, {"telegram": transport}, settings=FAST)
    await worker.drain(10)
    assert transport.sent_per_chat() == {"c0": 1}
    assert await statuses(db) == {"sent": 1, "unreachable": 1}
    async with db.session() as session:
        account = (
            await session.execute(select(Account).where(Account.chat_id == "c1"))
        ).scalar_one()
        assert account.unreachable and "blocked" in account.unreachable_reason
        member = await members.get_member(session, people[1].id)
        assert member is not None
        # Nothing more is queued for an account the member cannot be reached on.
        assert await enqueue_for_member(session, member=member, reply=Reply("x"), kind="t") is None


async def test_direct_chat_is_opened_when_the_chat_is_unknown(db: Database) -> None:
    async with db.session() as session:
        member = await members.create_member_with_account(
            session, platform="telegram", user_id="u9", chat_id=None, display_name="x",
            language="de",
        )  # fmt: skip
        await enqueue_for_member(session, member=member, reply=Reply("hallo"), kind="test")
    transport = RecordingTransport()
    await DeliveryWorker(db, {"telegram": transport}, settings=FAST).drain(10)
    assert transport.sent_per_chat() == {"dm-u9": 1}


async def test_a_crash_mid_way_loses_nothing(db: Database) -> None:
    people = await add_members(db, 60)
    await queue_to_all(db, people)
    answering = asyncio.Event()  # the platform stops answering after 15 sends
    transport = RecordingTransport(delay=0.02, gate=answering, gate_after=15)
    settings = WorkerSettings(
        lease_seconds=2.0, concurrency=4, max_in_flight=20, poll_seconds=0.2, flush_seconds=0.05
    )
    first = DeliveryWorker(db, {"telegram": transport}, settings=settings)
    first.start()
    for _ in range(2000):  # mid-way: 15 sent, and the next ones leased and waiting
        if len(transport.sent()) >= 15 and (await statuses(db)).get("sending", 0):
            break
        await asyncio.sleep(0.01)
    assert first._task is not None
    first._task.cancel()  # the process dies: no goodbye, leases stay behind
    with pytest.raises(asyncio.CancelledError):
        await first._task
    leased = (await statuses(db)).get("sending", 0)
    assert leased > 0
    answering.set()
    second = DeliveryWorker(db, {"telegram": transport}, settings=settings)
    await second.drain(20)
    per_chat = transport.sent_per_chat()
    assert set(per_chat) == {f"c{n}" for n in range(60)}  # nothing lost
    repeated = sum(count - 1 for count in per_chat.values())
    assert repeated <= first.stats.in_flight_max  # at most what was in flight repeats
    assert await statuses(db) == {"sent": 60}


async def test_stop_hands_back_what_was_not_sent(db: Database) -> None:
    people = await add_members(db, 40)
    await queue_to_all(db, people)
    transport = RecordingTransport(limits=RateLimits(10, 0, 0))
    worker = DeliveryWorker(db, {"telegram": transport}, settings=FAST)
    worker.start()
    await asyncio.sleep(0.5)
    await worker.stop()
    counts = await statuses(db)
    assert counts.get("sending", 0) == 0  # nothing waits for a lease to run out
    assert counts["sent"] == len(transport.sent()) and counts["pending"] == 40 - counts["sent"]


async def test_two_workers_never_send_a_message_twice(db_url: str, db: Database) -> None:
    people = await add_members(db, 400)
    await queue_to_all(db, people)
    transport = RecordingTransport(delay=0.001)
    other_db = Database(db_url)  # a second process has its own connections
    try:
        settings = WorkerSettings(max_in_flight=40, concurrency=8, poll_seconds=0.1)
        workers = [
            DeliveryWorker(db, {"telegram": transport}, settings=settings),
            DeliveryWorker(other_db, {"telegram": transport}, settings=settings),
        ]
        await asyncio.gather(*(worker.drain(30) for worker in workers))
    finally:
        await other_db.close()
    assert transport.sent_per_chat() == {f"c{n}": 1 for n in range(400)}
    assert all(worker.stats.sent > 50 for worker in workers)  # both really worked
    assert await statuses(db) == {"sent": 400}


def test_a_lease_owner_is_gone_only_when_its_process_is() -> None:
    import os
    import socket

    from bot.delivery_worker import default_owner, owner_alive

    host = socket.gethostname()[:30]
    assert owner_alive(default_owner())  # this very process
    assert not owner_alive(f"{host}:{2**22 + 12345}:dead")  # beyond pid_max: no such process
    assert owner_alive(f"another-host:{os.getpid() + 1}:x")  # elsewhere: only its lease tells
    assert owner_alive("not-an-owner-id")


async def test_a_dead_workers_leases_are_taken_over_at_once_a_live_ones_are_not(
    db_url: str, db: Database
) -> None:
    """The leases run for an hour: only knowing the owner is gone (SQLite: its process,
    PostgreSQL: its advisory lock, whichever machine it ran on) sends them again now."""
    people = await add_members(db, 30)
    await queue_to_all(db, people)
    hour = WorkerSettings(lease_seconds=3600, max_in_flight=10, concurrency=2, poll_seconds=0.1)
    stuck = RecordingTransport(delay=3600)  # sends that never finish: leases stay held
    alive_db = Database(db_url)  # the live worker is another process: its own connections
    alive = DeliveryWorker(alive_db, {"telegram": stuck}, settings=hour)  # this process
    # SQLite runs on one machine: a process that is gone; PostgreSQL: any machine.
    host = "far-host" if not db.is_sqlite else socket.gethostname()[:30]
    dead = f"{host}:{2**22 + 12345}:dead"  # beyond pid_max: no such process here
    try:
        alive.start()
        for _ in range(500):
            if (await statuses(db)).get("sending", 0) == 10:
                break
            await asyncio.sleep(0.01)
        # And one that died on another machine, leaving leases behind.
        async with db.session() as session:
            await session.execute(
                OutboxMessage.__table__.update()
                .where(OutboxMessage.status == "pending")
                .values(status="sending", lease_owner=dead, lease_until=FAR_FUTURE)
            )
        transport = RecordingTransport()
        survivor = DeliveryWorker(db, {"telegram": transport}, settings=hour)
        survivor.start()
        for _ in range(500):
            if len(transport.sent()) == 20:
                break
            await asyncio.sleep(0.01)
        await survivor.stop()
        assert len(transport.sent()) == 20  # the dead worker's twenty, at once
        assert (await statuses(db)) == {"sent": 20, "sending": 10}  # the live one's kept
    finally:
        await alive.stop(grace=0.1)
        await alive_db.close()
