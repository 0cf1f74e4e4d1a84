"""Storing the ids of handled updates: concurrent updates share one transaction (group commit).

`mark` returns only once the id is committed, exactly as if it had its own transaction; while
one batch is being written, the ids of updates that finish meanwhile gather for the next one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta

from storage import transport_state
from storage.db import Database

# Platforms redeliver for at most a day (Telegram: 24 h); older update ids are not needed.
KEEP_PROCESSED = timedelta(days=3)
PRUNE_EVERY = 1000

Key = tuple[str, str]  # (platform, update id)


class ProcessedMarks:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock
        self._waiting: dict[Key, asyncio.Future[None]] = {}
        self._writer: asyncio.Task[None] | None = None
        self._stored = 0

    async def mark(self, platform: str, update_id: str) -> None:
        """Store one update id; returns when it is committed, raises if that failed."""
        key = (platform, update_id)
        future = self._waiting.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiting[key] = future
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name="processed-marks")
        # A cancelled caller does not cancel the batch the others wait for.
        await asyncio.shield(future)

    async def _write_all(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            try:
                await self._write(list(batch))
            except BaseException as error:
                for future in batch.values():
                    if not future.done():
                        future.set_exception(error)
                        future.exception()  # retrieved: a caller may have gone (cancelled)
                if not isinstance(error, Exception):
                    raise
            else:
                for future in batch.values():
                    if not future.done():
                        future.set_result(None)

    async def _write(self, keys: list[Key]) -> None:
        async with self._db.session() as session:
            await transport_state.mark_processed_many(session, keys)
            before, self._stored = self._stored, self._stored + len(keys)
            if before // PRUNE_EVERY != self._stored // PRUNE_EVERY:
                await transport_state.prune_processed(
                    session, before=self._clock() - KEEP_PROCESSED
                )
