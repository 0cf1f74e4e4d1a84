"""The database connection: one async engine per process, SQLite or PostgreSQL by URL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from asyncpg.exceptions import (
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    PostgresConnectionError,
)
from sqlalchemy import event, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import PoolResetState
from sqlalchemy.util import await_only, greenlet_spawn

from storage import sqlite_loop

# The server is starting up or shutting down, or the connection is gone.
_ASYNCPG_CONNECTION_ERRORS = (
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    PostgresConnectionError,
)

T = TypeVar("T")

# Errors from these libraries are the platforms' network, never the database's.
_NOT_THE_DATABASE = ("telegram", "httpx", "httpcore", "aiohttp", "nio")

SQLITE_BUSY_TIMEOUT_MS = 30_000
# PostgreSQL: a pooled connection idle for longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0
POOL_SIZE = 16
POOL_OVERFLOW = 20
READ_ONLY_POOL_SIZE = 4
LAST_USE = "rewimet_last_use"
# Set on the connections of `Database.read()`: no write lock at BEGIN, and no writes at all.
READ_ONLY = "rewimet_read_only"


class ReadOnlyViolation(RuntimeError):
    """A statement other than SELECT inside `Database.read()`: a bug, never a silent write."""


def is_connection_error(error: BaseException) -> bool:
    """Whether `error` (or what caused it) means the database could not be reached or the
    connection broke: worth waiting for, unlike a bug or a constraint violation."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if type(current).__module__.startswith(_NOT_THE_DATABASE):
            return False  # a platform's network error, however it was caused
        if isinstance(current, OSError):  # refused, reset, timed out (TimeoutError too)
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, _ASYNCPG_CONNECTION_ERRORS):
            return True
        current = current.__cause__ or current.__context__
    return False


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let our own BEGIN (IMMEDIATE where needed) decide; the driver's implicit BEGIN would
    # start deferred transactions that fail with SQLITE_BUSY instead of waiting.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # Short: the busy handler would block the event loop (see storage/sqlite_loop.py).
    cursor.execute(f"PRAGMA busy_timeout={sqlite_loop.INLINE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    driver = conn.connection.driver_connection
    if conn.get_execution_options().get(READ_ONLY):
        # A pure read takes no lock at BEGIN: in WAL mode it reads a snapshot beside the writer.
        await_only(driver.execute("BEGIN"))
    else:
        await_only(sqlite_loop.begin_immediate(driver, patience=SQLITE_BUSY_TIMEOUT_MS / 1000))


def _sqlite_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    # The pool's own reset is a ROLLBACK after every checkin, a round trip to aiosqlite's
    # thread even when the session has just committed; roll back only what is still open.
    if state.asyncio_safe and dbapi_connection.driver_connection.in_transaction:
        dbapi_connection.rollback()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    # A connection in use a moment ago is alive; one that sat in the pool may have been cut
    # meanwhile (the server restarted, a firewall dropped it): ping it first, and let the pool
    # replace it if the ping fails, so no caller ever sees the broken one.
    last_use = record.info.get(LAST_USE)
    if last_use is not None and time.monotonic() - last_use < PING_AFTER_IDLE_SECONDS:
        return
    try:
        dbapi_connection.ping()
    except Exception as error:
        raise DisconnectionError("a pooled connection did not answer its ping") from error


def _note_last_use(_dbapi_connection: Any, record: Any) -> None:
    record.info[LAST_USE] = time.monotonic()


def _refuse_writes(
    conn: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    if conn.get_execution_options().get(READ_ONLY) and statement.lstrip()[:6].upper() not in (
        "SELECT",
        "BEGIN",
    ):
        raise ReadOnlyViolation(f"write inside Database.read(): {statement[:80]!r}")


def _within(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    with sessions() as session, session.begin():
        return work(session)


def is_shared_file(url: str) -> bool:
    """Whether a second engine on `url` sees the same data: not so for in-memory SQLite."""
    return not url.startswith("sqlite") or (make_url(url).database or ":memory:") != ":memory:"


class Database:
    """Owns the engine and hands out sessions; `write()` is the transaction for read-then-write.

    `read_only`: every session is a `read()` session (a write raises `ReadOnlyViolation`),
    for a second engine that only reads (the dashboard's, see web/reader.py)."""

    def __init__(self, url: str, *, echo: bool = False, read_only: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.read_only = read_only
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            path = make_url(url).database or ":memory:"
            kwargs["async_creator"] = lambda: sqlite_loop.connect(path)
            kwargs["pool_reset_on_return"] = None  # see _sqlite_reset
        elif read_only:
            # A reader serves a few pages at a time: a small pool (pinged as below after idle).
            kwargs["pool_size"] = READ_ONLY_POOL_SIZE
            kwargs["max_overflow"] = READ_ONLY_POOL_SIZE
            kwargs["pool_use_lifo"] = True
            kwargs["pool_pre_ping"] = False
        else:
            # As many kept open as the Telegram transport handles senders side by side: with
            # 10, overflow connections were made and closed per use (a handshake and the JSON
            # codec set-up each time, a fifth of a question's CPU). 20 made the broadcast
            # bench's kill repeat about 25 sends instead of 1-2 (not understood yet, see
            # docs/benchmarks.md).
            kwargs["pool_size"] = POOL_SIZE
            kwargs["max_overflow"] = POOL_OVERFLOW
            # The connection used last goes out first: under a light load the few in use stay
            # warm and skip the idle ping (_ping_if_idle).
            kwargs["pool_use_lifo"] = True
            # Pinged only after a pause (see _ping_if_idle), not at every checkout: that round
            # trip per session cost about a fifth of a simple command's time.
            kwargs["pool_pre_ping"] = False
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if not self.is_sqlite:
            event.listen(self.engine.sync_engine.pool, "checkout", _ping_if_idle)
            event.listen(self.engine.sync_engine.pool, "checkin", _note_last_use)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            # Every transaction takes the write lock at BEGIN: SQLite serialises writers anyway,
            # and a deferred read-then-write transaction cannot wait for the lock, it fails.
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
            event.listen(self.engine.sync_engine.pool, "reset", _sqlite_reset)
        event.listen(self.engine.sync_engine, "before_cursor_execute", _refuse_writes)
        # A reader's sessions have a class of their own: its listeners (web/reader.py) reach
        # only them.
        self.session_class: type[Session] = (
            type("ReadOnlySession", (Session,), {}) if read_only else Session
        )
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=self.session_class
        )
        read_options: dict[str, Any] = {READ_ONLY: True}
        if not self.is_sqlite:
            # Under READ COMMITTED every statement reads its own snapshot anyway: autocommit
            # loses nothing for pure reads and saves the BEGIN and COMMIT round trips.
            read_options["isolation_level"] = "AUTOCOMMIT"
        read_engine = self.engine.execution_options(**read_options)
        self.read_sessions = async_sessionmaker(
            read_engine, expire_on_commit=False, sync_session_class=self.session_class
        )
        self._sync_sessions = sessionmaker(
            self.engine.sync_engine, expire_on_commit=False, class_=self.session_class
        )
        self._sync_read_sessions = sessionmaker(
            read_engine.sync_engine, expire_on_commit=False, class_=self.session_class
        )
        single = (
            self.engine
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )  # SQLite: BEGIN IMMEDIATE is how this process waits for another's writer
        self._sync_single_sessions = sessionmaker(
            single.sync_engine, expire_on_commit=False, class_=self.session_class
        )
        if read_only:
            self.sessions = self.read_sessions
            self._sync_sessions = self._sync_single_sessions = self._sync_read_sessions
        # SQLite has one writer at a time: the writers of this process queue here, on the event
        # loop, instead of in SQLite's busy handler (which sleeps in steps of 1-100 ms).
        self._writer = asyncio.Lock() if self.is_sqlite and not read_only else None
        self._writer_task: asyncio.Task[Any] | None = None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error."""
        async with self._writing(), self.sessions() as session, session.begin():
            yield session

    async def run_write(self, work: Callable[[Session], T], *, one_statement: bool = False) -> T:
        """`work(session)` in one transaction as `session()` gives it, run whole in one greenlet.

        For the statements of every update (processed ids, the question log, the inbound
        look-up in `run_read`): an AsyncSession runs each of its calls (begin, execute,
        commit, close) in a greenlet of its own, about a third of what a short transaction
        costs; here `work` is plain synchronous SQLAlchemy code on a `Session`.

        `one_statement`: `work` writes with a single statement, atomic by itself; PostgreSQL
        then runs it without BEGIN and COMMIT (one round trip instead of three).
        """
        sessions = self._sync_single_sessions if one_statement else self._sync_sessions
        async with self._writing():
            return await greenlet_spawn(_within, sessions, work)

    async def run_read(self, work: Callable[[Session], T]) -> T:
        """`work(session)` in a read transaction as `read()` gives it, in one greenlet."""
        return await greenlet_spawn(_within, self._sync_read_sessions, work)

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[None]:
        """On SQLite, this process's writers one at a time (a nested session goes ahead)."""
        task = asyncio.current_task()
        if self._writer is None or (task is not None and task is self._writer_task):
            # PostgreSQL locks rows itself; a nested session runs as it always did.
            yield
            return
        try:
            async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_MS / 1000):
                await self._writer.acquire()
        except TimeoutError as error:
            raise TimeoutError("database is locked (waited for this process's writer)") from error
        self._writer_task = task
        try:
            yield
        finally:
            self._writer_task = None
            self._writer.release()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for pure reads: on SQLite a deferred transaction that waits for no writer
        (one snapshot for all its statements); on PostgreSQL autocommit, each statement its own
        snapshot, as under the default READ COMMITTED.

        Anything but SELECT in it raises `ReadOnlyViolation`; use `session()` for read-then-write.
        """
        async with self.read_sessions() as session, session.begin():
            yield session

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("SELECT 1")
        except Exception:  # noqa: BLE001 - any failure means "not alive" for the health check
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()
