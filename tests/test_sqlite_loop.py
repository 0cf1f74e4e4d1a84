"""SQLite on the event loop's thread: another process's long write neither fails ours nor
stalls the loop, and reads go on beside it (WAL)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from storage.db import Database
from storage.migrate import upgrade

INSERT = "INSERT INTO transport_state (key, value, updated_at) VALUES ('{key}', 'x', '2026-01-01')"


async def test_another_writer_is_waited_for_without_blocking_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db)
    other = sqlite3.connect(path, isolation_level=None)  # the CLI, say, importing members
    other.execute("BEGIN IMMEDIATE")
    other.execute(INSERT.format(key="cli"))
    stalled = 0.0  # the longest time the loop ran late at once

    async def ticker() -> None:
        nonlocal stalled
        while True:
            began = time.monotonic()
            await asyncio.sleep(0.01)
            stalled = max(stalled, time.monotonic() - began - 0.01)

    async def write() -> float:
        began = time.monotonic()
        async with db.session() as session:
            await session.execute(text(INSERT.format(key="bot")))
        return time.monotonic() - began

    ticking = asyncio.create_task(ticker())
    try:
        writing = asyncio.create_task(write())
        await asyncio.sleep(0.6)
        assert not writing.done()  # waits for the other process's lock
        async with db.read() as session:  # reads go on beside the writer
            assert await session.scalar(text("SELECT count(*) FROM transport_state")) == 0
        other.execute("COMMIT")
        waited = await asyncio.wait_for(writing, 5)
        assert waited >= 0.6
        # SQLite's own busy handler would hold the loop for the whole wait (0.6 s) at once; a
        # machine busy with other tests delays single ticks by tens of milliseconds, not by
        # that (summed over the wait's sixty ticks, such delays had passed 0.3 s).
        assert stalled < 0.3, f"the event loop stalled for {stalled:.3f} s at once"
    finally:
        ticking.cancel()
        other.close()
        await db.close()
    check = sqlite3.connect(path)
    assert sorted(check.execute("SELECT key FROM transport_state")) == [("bot",), ("cli",)]
    check.close()
