"""Which delivery workers are alive, on PostgreSQL: each holds an advisory lock while it runs.

A worker killed mid-way leaves leases behind. On SQLite the bot runs on one machine and a
worker's process id tells whether it still runs; on PostgreSQL the workers may run on several
machines. There each worker holds a session-level advisory lock named after its owner id on a
connection of its own: PostgreSQL drops the lock the moment that connection dies with the
process, so another worker that can take the lock knows the owner is gone and takes over its
leases at once instead of waiting for them to run out. A connection cut off without a goodbye
(a machine gone dark) keeps its lock until TCP gives up; the lease running out covers that case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

# The lock space of this bot's workers (two-key form: no clash with other advisory locks).
LOCK_SPACE = 0x52574D  # "RWM"

_LOCK = text("SELECT pg_advisory_lock(:space, :key)")
_TRY_LOCK = text("SELECT pg_try_advisory_lock(:space, :key)")
_UNLOCK = text("SELECT pg_advisory_unlock(:space, :key)")


def lock_key(owner: str) -> int:
    """A stable signed 32-bit key for a worker's owner id."""
    return int.from_bytes(hashlib.blake2b(owner.encode(), digest_size=4).digest(), signed=True)


class Presence:
    """Holds the advisory lock of one worker for as long as it runs."""

    def __init__(self, engine: AsyncEngine, owner: str) -> None:
        self._engine = engine
        self._params = {"space": LOCK_SPACE, "key": lock_key(owner)}
        self._connection: AsyncConnection | None = None

    async def enter(self) -> None:
        connection = await self._engine.connect()
        try:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(_LOCK, self._params)
        except BaseException:
            await connection.close()
            raise
        self._connection = connection

    async def leave(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            # Closing ends the database session, and with it the lock.
            await connection.close()


async def gone(session: AsyncSession, owners: Collection[str]) -> list[str]:
    """The owners whose lock nobody holds: their worker stopped or died."""
    found = []
    for owner in owners:
        params = {"space": LOCK_SPACE, "key": lock_key(owner)}
        if await session.scalar(_TRY_LOCK, params):
            await session.execute(_UNLOCK, params)
            found.append(owner)
    return found
