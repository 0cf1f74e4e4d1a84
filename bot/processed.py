"""Storing the ids of handled updates: concurrent updates share one transaction (group commit).

`mark` returns only once the id is committed, exactly as if it had its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session

from storage import transport_state
from storage.db import Database
from storage.group_commit import GroupCommit

# Platforms redeliver for at most a day (Telegram: 24 h); older update ids are not needed.
KEEP_PROCESSED = timedelta(days=3)
PRUNE_EVERY = 1000

Key = tuple[str, str]  # (platform, update id)


class ProcessedMarks:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock
        self._stored = 0
        self._marks: GroupCommit[Key, None] = GroupCommit(
            db, _write, name="processed-marks", one_statement=True
        )

    async def mark(self, platform: str, update_id: str) -> None:
        """Store one update id; returns when it is committed, raises if that failed."""
        await self._marks.submit((platform, update_id))
        self._stored += 1
        if self._stored % PRUNE_EVERY == 0:
            before = self._clock() - KEEP_PROCESSED
            await self._db.run_write(partial(transport_state.prune_processed, before=before))


def _write(session: Session, keys: list[Key]) -> list[None]:
    transport_state.mark_processed_many(session, list(dict.fromkeys(keys)))
    return [None] * len(keys)
