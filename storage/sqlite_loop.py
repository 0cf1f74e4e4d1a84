"""SQLite on the event loop's own thread: aiosqlite's interface, without its worker thread.

aiosqlite hands every call (cursor, execute, fetch, close, commit) to a thread and back: about
a dozen event-loop round trips for one ORM query, which cost far more than the query itself (an
indexed lookup in a local file takes tens of microseconds). Here the sqlite3 calls run inline.

What could block the loop is waiting for a lock: this process's writers queue on an asyncio lock
(see `Database.session`), and a writer of another process is waited for at BEGIN IMMEDIATE with
`asyncio.sleep` between attempts (`begin_immediate`), with SQLite's blocking busy handler off.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite

# The busy handler blocks the thread it runs on, here the event loop: keep its wait short and
# wait for other processes' writers in `begin_immediate` instead.
INLINE_BUSY_TIMEOUT_MS = 50
BEGIN_RETRY_SECONDS = 0.005
BEGIN_RETRY_MAX_SECONDS = 0.05


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its thread: runs each call as it is put."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting caller
            if future is not None:
                future.set_exception(error)
            return
        if future is not None:
            future.set_result(result)


class LoopConnection(aiosqlite.Connection):
    """An aiosqlite connection whose calls run at once, on the calling (event loop) thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        # SQLAlchemy's adapter also puts calls on the queue directly (isolation_level).
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    async def _connect(self) -> LoopConnection:
        if self._connection is None:
            self._connection = self._connector()
        return self

    def __await__(self) -> Generator[Any, None, LoopConnection]:
        return self._connect().__await__()

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    async def close(self) -> None:
        self.stop()


def connect(path: str) -> LoopConnection:
    """Like `aiosqlite.connect`; await it for the open connection."""

    def connector() -> sqlite3.Connection:
        # `check_same_thread` off: the pool may close a connection from the garbage
        # collector's thread; every other call comes from the loop.
        return sqlite3.connect(path, check_same_thread=False)

    return LoopConnection(connector)


async def begin_immediate(connection: aiosqlite.Connection, *, patience: float) -> None:
    """BEGIN IMMEDIATE, waiting (without blocking the loop) while another process writes.

    The busy handler is off for these attempts: it would block the loop for its whole timeout
    on each one; the wait happens here instead, in asyncio sleeps that grow to 50 ms.
    """
    deadline = time.monotonic() + patience
    pause = BEGIN_RETRY_SECONDS
    await connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                await connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, BEGIN_RETRY_MAX_SECONDS)
    finally:
        await connection.execute(f"PRAGMA busy_timeout={INLINE_BUSY_TIMEOUT_MS}")
