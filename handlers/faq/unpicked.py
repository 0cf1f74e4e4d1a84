"""Questions that got only choices: the member took none of them and passed none to the office.

Nobody else sees these questions, yet each says how members put a topic. The office reads
them on the dashboard and says which entry one belongs to: the bot learns the question as a
confirmed phrasing of it (as the office's answer to a handed-off question teaches, see
`handlers.faq.learning`), and the member gets nothing (they had their choices long ago). Or
the office sets it aside: no entry fits. Either way it leaves the list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.services import Services
from handlers.faq import learning
from handlers.faq.inbox import named_entry, taught_text
from handlers.faq.kb_format import FaqEntry
from handlers.faq.service import faq_service
from storage import faq, faq_dismissed
from storage.faq import FaqQuestion

log = logging.getLogger(__name__)

# Questions this old are left out: their wording still counts, but a list that only grows
# would bury the week's questions.
RECENT = timedelta(days=30)
SHOWN = 20


@dataclass(frozen=True)
class Unpicked:
    """A question that got choices and no pick: what the member asked (as the bot read it,
    with what it points back to), and the entries they were offered that still exist."""

    id: int
    asked_at: datetime
    text: str
    context: str
    lang: str
    offered: tuple[FaqEntry, ...]


async def waiting(services: Services, *, limit: int = SHOWN) -> tuple[int, list[Unpicked]]:
    """The recent questions that got only choices, newest first: (how many, the first `limit`)."""
    since = services.clock() - RECENT
    snapshot = await faq_service(services).snapshot()
    async with services.db.read() as session:
        total, questions = await faq.unpicked_choices(session, since=since, limit=limit)
    found = [
        Unpicked(
            id=q.id,
            asked_at=q.asked_at,
            text=q.text,
            # what the text does not already carry: the sentences around it in its message
            context="" if q.context in q.text else q.context,
            lang=q.lang,
            offered=tuple(snapshot.entries[e] for e in q.entry_ids if e in snapshot.entries),
        )
        for q in questions
    ]
    return total, found


async def teach(services: Services, admin_id: int, question_id: int, target: str) -> str:
    """The office says question `question_id` belongs to the entry `target` names (its id or
    its question): it becomes a confirmed phrasing of it. Returns the entry's id."""
    if not target.strip():
        raise UserError("faq.unpicked_no_entry")
    async with services.db.session() as session:
        question = await _waiting_question(session, question_id)
        entry_id = await named_entry(services, session, target)
        row = await faq.get_entry(session, entry_id)
        if row is None:
            raise UserError("faq.unknown_entry", id=entry_id)
        await learning.record_office(
            session,
            member_id=question.member_id,
            entry_id=entry_id,
            text=_taught(question),
            lang=question.lang,
            entry_phrasings=[*row.questions_de, *row.questions_en],
            at=services.clock(),
        )
        await faq_dismissed.dismiss(session, [_key(question_id)], admin_id)
    await faq_service(services).snapshot(fresh=True)
    log.info("question %s taught to %s by member %s", question_id, entry_id, admin_id)
    return entry_id


async def set_aside(services: Services, admin_id: int, question_id: int) -> None:
    """The office says no entry fits question `question_id`: it leaves the list."""
    async with services.db.session() as session:
        await _waiting_question(session, question_id)
        await faq_dismissed.dismiss(session, [_key(question_id)], admin_id)


def _taught(question: FaqQuestion) -> str:
    """What the question teaches: as the bot read it (a follow-up with the message before
    it), and one of several that points back with what it points to ("was kostet das?"
    alone would answer every later "was kostet das?" with this entry)."""
    if not question.context or question.context in question.text:
        return question.text
    return taught_text(question.context, question.text)


def _key(question_id: int) -> str:
    return f"q{question_id}"


async def _waiting_question(session: AsyncSession, question_id: int) -> FaqQuestion:
    """The question, still one that got only choices and no word from the office."""
    question = await faq.get_question(session, question_id)
    if question is None or question.decision != "choices":
        raise UserError("faq.unpicked_gone")
    if question.answered_entry_id is not None or question.ticket_id is not None:
        raise UserError("faq.unpicked_taken")  # the member picked one, or asked the office
    if await faq_dismissed.is_dismissed(session, _key(question_id)):
        raise UserError("faq.unpicked_done")
    return question
