"""The database connection: one async engine per process, SQLite or PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from asyncpg.exceptions import (
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    PostgresConnectionError,
)
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# The server is starting up or shutting down, or the connection is gone.
_ASYNCPG_CONNECTION_ERRORS = (
    CannotConnectNowError,
    ConnectionDoesNotExistError,
    PostgresConnectionError,
)

# Errors from these libraries are the platforms' network, never the database's.
_NOT_THE_DATABASE = ("telegram", "httpx", "httpcore", "aiohttp", "nio")

SQLITE_BUSY_TIMEOUT_MS = 30_000


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
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Owns the engine and hands out sessions; `write()` is the transaction for read-then-write."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs["pool_size"] = 10
            kwargs["max_overflow"] = 20
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
            # Every transaction takes the write lock at BEGIN: SQLite serialises writers anyway,
            # and a deferred read-then-write transaction cannot wait for the lock, it fails.
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
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
