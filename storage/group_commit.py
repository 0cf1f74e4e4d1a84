"""Group commit: concurrent writes of one kind share one transaction.

`submit` returns only once its item is committed (with what the write returned for it), exactly
as if it had a transaction of its own; while one batch is being written, the items submitted
meanwhile gather for the next. A transaction costs far more than the INSERT in it (a session,
BEGIN, COMMIT), so eight updates handled side by side pay for one instead of eight.

A batch that fails is written again item by item: one bad item fails only its own caller. A
lost database connection fails the whole batch at once (each caller waits and retries).
A write that is one statement (`one_statement`) needs no BEGIN and COMMIT on PostgreSQL; batches
stay under SQLAlchemy's 1,000 rows per multi-row INSERT, so that it stays one statement.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from storage.db import Database, is_connection_error

T = TypeVar("T")
R = TypeVar("R")

# Writes a batch in the session's transaction; returns one result per item, in order.
# Synchronous: the whole transaction runs in one greenlet (`Database.run_write`).
WriteBatch = Callable[[Session, list[T]], Sequence[R]]
MAX_BATCH = 500


class GroupCommit(Generic[T, R]):
    def __init__(
        self, db: Database, write: WriteBatch[T, R], *, name: str, one_statement: bool = False
    ) -> None:
        self._db = db
        self._write = write
        self._name = name
        self._one_statement = one_statement
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """Write `item` in the next batch; returns its result once committed, or raises."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all(), name=self._name)
        # The batch is written by the writer task: a cancelled caller cancels only its wait.
        return await future

    async def _write_all(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            await self._write_batch(batch)

    async def _write_batch(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            items = [item for item, _ in batch]
            results = await self._db.run_write(
                lambda session: self._write(session, items), one_statement=self._one_statement
            )
        except Exception as error:  # noqa: BLE001 - handed to the callers, each raises it
            if len(batch) > 1 and not is_connection_error(error):
                for one in batch:
                    await self._write_batch([one])
                return
            _fail(batch, error)
            return
        except BaseException as error:  # cancelled: the callers must not wait forever
            _fail(batch, error)
            raise
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)


def _fail(batch: list[tuple[T, asyncio.Future[R]]], error: BaseException) -> None:
    for _, future in batch:
        if not future.done():
            future.set_exception(error)
            future.exception()  # retrieved: a caller may have gone (cancelled)
