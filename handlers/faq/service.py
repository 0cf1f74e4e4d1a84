"""The FAQ index of one bot process: built once from the database, rebuilt when the KB changes.

Every change to the knowledge base bumps a revision number in the database (in the same
transaction), so a second bot process on the same database notices the change too: the
revision is read again at most every `KB_RECHECK_SECONDS`, not for every question (that read
was about a tenth of a question's database time). A change made in this process is seen at
once: the handler that made it asks for a `fresh` snapshot.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.services import Services
from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import FaqEntry
from handlers.faq.rules import fields_to_entry, row_to_fields
from storage import faq
from storage.db import Database
from storage.group_commit import GroupCommit

log = logging.getLogger(__name__)

SERVICE_NAME = "faq"
KB_RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class KbSnapshot:
    """The knowledge base at one revision, with the engine built over it (None when empty)."""

    revision: int
    engine: FaqEngine | None
    entries: dict[str, FaqEntry] = field(default_factory=dict)


def _build(entries: list[FaqEntry]) -> FaqEngine | None:
    return FaqEngine(entries) if entries else None


class FaqService:
    """Hands out the current snapshot; the expensive rebuild runs once, off the event loop."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        self._snapshot: KbSnapshot | None = None
        self._checked_at = -math.inf
        self._lock = asyncio.Lock()
        self._questions: GroupCommit[faq.QuestionLog, int] = GroupCommit(
            db, faq.log_questions, name="faq-questions", one_statement=True
        )

    async def log(self, question: faq.QuestionLog) -> int:
        """Log a question; returns its number. Questions handled side by side share one
        transaction (see storage/group_commit.py)."""
        return await self._questions.submit(question)

    async def snapshot(self, *, fresh: bool = False) -> KbSnapshot:
        """The snapshot for the knowledge base as it is in the database; checked against the
        database at most every `KB_RECHECK_SECONDS`, or now when `fresh`."""
        current = self._snapshot
        now = self._clock()
        if current is not None and not fresh and now - self._checked_at < KB_RECHECK_SECONDS:
            return current
        async with self._db.read() as session:
            revision = await faq.kb_revision(session)
        self._checked_at = now
        if current is not None and current.revision == revision:
            return current
        async with self._lock:
            current = self._snapshot
            if current is not None and current.revision >= revision:
                return current
            return await self._rebuild()

    async def _rebuild(self) -> KbSnapshot:
        started = time.perf_counter()
        async with self._db.read() as session:
            revision = await faq.kb_revision(session)
            rows = await faq.list_entries(session)
            entries = [fields_to_entry(row_to_fields(row)) for row in rows]
        engine = await asyncio.to_thread(_build, entries)
        snapshot = KbSnapshot(revision, engine, {entry.id: entry for entry in entries})
        self._snapshot = snapshot
        log.info(
            "FAQ index built: %d entries, revision %d, %.0f ms",
            len(entries),
            revision,
            (time.perf_counter() - started) * 1000,
        )
        return snapshot


def faq_service(services: Services) -> FaqService:
    """The FAQ service of this bot process (created on first use)."""
    service = services.features.get(SERVICE_NAME)
    if service is None:
        service = FaqService(services.db)
        services.features[SERVICE_NAME] = service
    if not isinstance(service, FaqService):
        raise TypeError(f"services.features[{SERVICE_NAME!r}] is not a FaqService")
    return service
