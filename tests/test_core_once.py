"""The fast core keeps its promises: once per update, reads that never write, group commit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select, text

from bot import processed
from bot.messages import Incoming, Platform, Reply
from bot.processed import ProcessedMarks
from storage import transport_state
from storage.db import Database, ReadOnlyViolation
from storage.migrate import upgrade
from storage.models import Account, Member, ProcessedUpdate, TransportState
from tests.harness import Harness


class Crash(BaseException):
    """The process dying mid-handler (not an error the dispatcher would answer and mark)."""


def incoming(user: str, text: str, update_id: str) -> Incoming:
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=user,
        sender_id=user,
        sender_name=user,
        update_id=update_id,
        text=text,
        is_private=True,
    )


async def processed_rows(db: Database, update_id: str) -> int:
    async with db.read() as session:
        query = select(func.count()).where(ProcessedUpdate.update_id == update_id)
        return int(await session.scalar(query) or 0)


async def test_an_update_is_handled_once_on_each_backend(bot_any: Harness) -> None:
    first = await bot_any.send("ola", "/organisation Erste GmbH", update_id="u-7")
    again = await bot_any.send("ola", "/organisation Zweite GmbH", update_id="u-7")
    assert "Saved" in first.text or "gespeichert" in first.text.lower()
    assert again.replies == []
    member = await bot_any.member("ola")
    assert member is not None and member.organisation == "Erste GmbH"
    assert await processed_rows(bot_any.db, "u-7") == 1


async def test_an_update_is_redelivered_after_a_crash_in_the_handler(bot: Harness) -> None:
    handle = bot.app.dispatcher.handle
    answered: list[Reply] = []

    async def crash(_reply: Reply) -> str | None:
        raise Crash()

    async def keep(reply: Reply) -> str | None:
        answered.append(reply)
        return None

    await handle(incoming("900", "/help", "warm-up"), keep)
    answered.clear()
    with pytest.raises(Crash):
        await handle(incoming("900", "/help", "tg-1"), crash)
    assert await processed_rows(bot.db, "tg-1") == 0  # not stored: the platform sends it again
    await handle(incoming("900", "/help", "tg-1"), keep)
    assert len(answered) == 1
    assert await processed_rows(bot.db, "tg-1") == 1
    await handle(incoming("900", "/help", "tg-1"), keep)
    assert len(answered) == 1


async def test_concurrent_updates_are_each_handled_once(bot_any: Harness) -> None:
    handle = bot_any.app.dispatcher.handle
    answers: list[str] = []

    async def keep(reply: Reply) -> str | None:
        answers.append(reply.text)
        return None

    for user in range(1000, 1005):  # first contacts: one per sender, as the transports order them
        await handle(incoming(str(user), "/help", f"first-{user}"), keep)
    answers.clear()
    updates = [incoming(str(1000 + n % 5), "/help", f"c-{n}") for n in range(20)]
    await asyncio.gather(*(handle(update, keep) for update in updates[:10]))
    await asyncio.gather(*(handle(update, keep) for update in updates))  # ten of them again
    assert len(answers) == 20
    async with bot_any.db.read() as session:
        stored = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
        members = await session.scalar(select(func.count()).select_from(Member))
    assert stored == 25 and members == 5


async def test_group_commit_stores_every_id_once(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    marks = ProcessedMarks(db, clock=lambda: datetime.now(UTC))
    ids = [f"g-{n}" for n in range(30)]
    await asyncio.gather(*(marks.mark("telegram", update_id) for update_id in ids))
    await asyncio.gather(*(marks.mark("telegram", update_id) for update_id in ids[:10]))
    async with db.session() as session:
        await session.run_sync(transport_state.mark_processed_many, [("telegram", "g-1")])
        count = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert count == 30
    await db.close()


async def test_a_read_session_refuses_writes(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    with pytest.raises(ReadOnlyViolation):
        async with db.read() as session:
            await session.execute(insert(TransportState).values(key="k", value="v"))
    with pytest.raises(ReadOnlyViolation):
        async with db.read() as session:
            session.add(TransportState(key="k", value="v"))
    async with db.read() as session:
        assert await transport_state.get_state(session, "k") is None
    await db.close()


async def test_sqlite_reads_do_not_wait_for_a_writer(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    await upgrade(db)
    async with db.session() as writer:
        await transport_state.set_state(writer, "offset", "1")
        await writer.flush()  # this transaction now holds SQLite's write lock

        async def read() -> str | None:
            async with db.read() as session:
                return await transport_state.get_state(session, "offset")

        assert await asyncio.wait_for(read(), timeout=5) is None  # the last committed state
    async with db.read() as session:
        assert await transport_state.get_state(session, "offset") == "1"
    await db.close()


@pytest.mark.postgres
async def test_postgresql_connections_cut_while_idle_are_replaced(
    pg_url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection idle in the pool for a while is pinged before use and replaced if dead."""
    if pg_url is None:
        pytest.skip("PostgreSQL not reachable")
    monkeypatch.setattr("storage.db.PING_AFTER_IDLE_SECONDS", 0.05)
    db = Database(pg_url)
    for session_of in (db.session, db.read):
        async with session_of() as session:
            assert await session.scalar(select(1)) == 1
    outsider = Database(pg_url)  # its own pool: cuts every connection of `db`
    async with outsider.engine.connect() as admin:
        await admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await outsider.close()
    await asyncio.sleep(0.1)
    for session_of in (db.session, db.read):
        async with session_of() as session:
            assert await session.scalar(select(1)) == 1
    await db.close()


async def test_two_first_messages_at_once_make_one_member(bot_any: Harness) -> None:
    first, second = await asyncio.gather(
        bot_any.send("newcomer", "/help", update_id="n1"),
        bot_any.send("newcomer", "/profile", update_id="n2"),
    )
    assert first.replies and second.replies
    async with bot_any.db.session() as session:
        accounts = (
            (await session.execute(select(Account).where(Account.user_id == "newcomer")))
            .scalars()
            .all()
        )
    assert len(accounts) == 1


async def test_processed_ids_older_than_the_redelivery_window_are_pruned(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(db_url)
    await upgrade(db)
    monkeypatch.setattr(processed, "PRUNE_EVERY", 5)
    now = [datetime.now(UTC)]
    marks = ProcessedMarks(db, clock=lambda: now[0])
    await asyncio.gather(*(marks.mark("telegram", f"p-{n}") for n in range(5)))

    async def stored() -> int:
        async with db.read() as session:
            return int(await session.scalar(select(func.count()).select_from(ProcessedUpdate)))

    assert await stored() == 5  # pruned, but all within the window
    now[0] += processed.KEEP_PROCESSED + timedelta(hours=1)
    await asyncio.gather(*(marks.mark("telegram", f"q-{n}") for n in range(5)))
    assert await stored() == 0  # three days later every id is past the window
    await db.close()
