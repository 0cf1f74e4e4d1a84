"""The FAQ index of one bot process: built once from the database, rebuilt when the KB changes.

Every change to the knowledge base bumps a revision number in the database (in the same
transaction), so a second bot process on the same database notices the change too: the
revision is read again at most every `KB_RECHECK_SECONDS`, not for every question (that read
was about a tenth of a question's database time). A change made in this process is seen at
once: the handler that made it asks for a `fresh` snapshot.

The snapshot includes the learned phrasings (handlers/faq/learning.py), which bump the same
revision. While one caller rebuilds, others keep the previous snapshot instead of waiting
(a member's pick must not stall everybody's questions); a `fresh` caller waits.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot import memory
from bot.services import Services
from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import FaqEntry
from handlers.faq.learned import LearnedText, LearningMatcher
from handlers.faq.rules import fields_to_entry, row_to_fields
from storage import faq, faq_learned
from storage.db import Database
from storage.group_commit import GroupCommit

log = logging.getLogger(__name__)

SERVICE_NAME = "faq"
KB_RECHECK_SECONDS = 1.0


@dataclass(frozen=True)
class KbSnapshot:
    """The knowledge base at one revision with the matcher built over it and its learned
    phrasings (None when empty); `engine` is the matcher's engine of confirmed phrasings."""

    revision: int
    matcher: LearningMatcher | None
    entries: dict[str, FaqEntry] = field(default_factory=dict)
    learned: tuple[LearnedText, ...] = ()

    @property
    def engine(self) -> FaqEngine | None:
        return self.matcher.engine if self.matcher is not None else None


def _build(entries: list[FaqEntry], learned: list[LearnedText]) -> LearningMatcher | None:
    return LearningMatcher(entries, learned) if entries else None


class FaqService:
    """Hands out the current snapshot; the expensive rebuild runs once, off the event loop."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.monotonic) -> None:
        self._db = db
        self._clock = clock
        self._snapshot: KbSnapshot | None = None
        self._checked_at = -math.inf
        self._lock = asyncio.Lock()
        self._building = False
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
        if current is not None and not fresh and self._building:
            return current  # the caller rebuilding it will swap it in
        async with self._lock:
            current = self._snapshot
            if current is not None and current.revision >= revision:
                return current
            self._building = True
            try:
                return await self._rebuild()
            finally:
                self._building = False

    async def _rebuild(self) -> KbSnapshot:
        started = time.perf_counter()
        # Reading the entries and the index makes a million containers that live on: the
        # collections they set off only walked the growing heap (a restart with 10,000
        # entries: 0.5 s of them). What is garbage meanwhile is collected by `keep_built`.
        with memory.collections_paused():
            async with self._db.read() as session:
                revision = await faq.kb_revision(session)
                rows = await faq.list_entries(session)
                entries = [fields_to_entry(row_to_fields(row)) for row in rows]
                learned = [
                    LearnedText(
                        item.entry_id, item.lang, item.text, item.confirmed, item.times_seen
                    )
                    for item in await faq_learned.all_learned(session)
                ]
            del rows
            matcher = await asyncio.to_thread(_build, entries, learned)
        memory.keep_built()
        snapshot = KbSnapshot(
            revision, matcher, {entry.id: entry for entry in entries}, tuple(learned)
        )
        self._snapshot = snapshot
        log.info(
            "FAQ index built: %d entries, %d learned phrasings, revision %d, %.0f ms",
            len(entries),
            len(learned),
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
