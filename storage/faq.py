"""FAQ tables and queries: the knowledge base, the questions asked, the office inbox.

The knowledge base carries a revision number that every change bumps in the same
transaction, so each bot process knows when to rebuild its matching index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    case,
    cast,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from storage.faq_dismissed import DismissedQuestion
from storage.models import Base, BigId, Member, OutboxMessage, utcnow

MAX_ENTRY_ID = 40
KB_STATE_ROW = 1


class FaqEntryRow(Base):
    """One knowledge base entry: phrasings and answers in German and English."""

    __tablename__ = "faq_entries"

    id: Mapped[str] = mapped_column(String(MAX_ENTRY_ID), primary_key=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    questions_de: Mapped[list[str]] = mapped_column(JSON, default=list)
    questions_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer_de: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class FaqKbState(Base):
    """A single row: the knowledge base revision, bumped by every change."""

    __tablename__ = "faq_kb_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)


# A ticket's status: waiting for the office, answered by it, withdrawn by the member, or
# turned by the member into what a hand-off offer started (a partner search, sent), or closed
# by the office without an answer (settled elsewhere: by phone, a sign-up). None of them
# deletes anything of it.
OPEN, ANSWERED, WITHDRAWN, OFFER_TAKEN = "open", "answered", "withdrawn", "offer_taken"
CLOSED = "closed"


class FaqTicket(Base):
    """A question handed to the cluster office; its id is the ticket number."""

    __tablename__ = "faq_inbox"
    # Ticket numbers are never reused, so an old number cannot reach a new question.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads it

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    # The sentences before the question in the member's message, when it points back to them
    # ("dort" is the symposium): for the office to read, not to learn (migration 0018).
    context: Mapped[str] = mapped_column(Text, default="", server_default="")
    lang: Mapped[str] = mapped_column(String(2))
    # The member asked the office for it (a button, a typed yes); False: the bot handed the
    # question on by itself, no entry answering it. The limit of open questions per member
    # counts the first kind (migration 0035).
    asked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # OPEN, ANSWERED (by the office), WITHDRAWN (by the member who asked), OFFER_TAKEN (the
    # member took an offer instead) or CLOSED (by the office, unanswered): never erased.
    status: Mapped[str] = mapped_column(String(16), default=OPEN, index=True)
    answer: Mapped[str] = mapped_column(Text, default="")
    # When the office answered or closed it, the member withdrew it or took an offer instead.
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    learned_entry_id: Mapped[str | None] = mapped_column(String(MAX_ENTRY_ID))
    # The entry whose answer the office sent without teaching the bot the question ("Nur
    # senden, nicht lernen", migration 0027): the office chose, it is not offered again.
    sent_entry_id: Mapped[str | None] = mapped_column(String(MAX_ENTRY_ID))
    # The hand-off offer the member took instead of waiting (`bot.router.HandoffOffer`'s name:
    # partner search), and the number of what carries the question now (the partner
    # request), migration 0021.
    offer: Mapped[str | None] = mapped_column(String(16))
    offer_number: Mapped[int | None] = mapped_column(BigId)


class FaqAlert(Base):
    """An admin's alert about a new ticket (its outbox message, one per admin), so that it can
    be edited once the member settles the ticket themselves (migration 0022)."""

    __tablename__ = "faq_alerts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("faq_inbox.id", ondelete="CASCADE"), index=True
    )
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)


# The decision logged for a hand-off the member's open tickets left no room for (it reached
# no one: no ticket, no hand-off in the dashboard's chart, no question in its new topics).
REFUSED = "refused"


class FaqQuestion(Base):
    """A question a member asked, what the bot decided, and the member's feedback."""

    __tablename__ = "faq_questions"
    # The overview counts questions per week and decision (migration 0010).
    __table_args__ = (Index("ix_faq_questions_asked_decision", "asked_at", "decision"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    # What the question points back to, which the office reads beside it when it is passed
    # on later ("Nichts davon"): the member's message before it (a follow-up, whose `text` is
    # read with it and so starts with it) or the sentences before it in its message
    # (migration 0022).
    context: Mapped[str] = mapped_column(Text, default="", server_default="")
    lang: Mapped[str] = mapped_column(String(2))
    # "answer", "choices", "handoff" (with its ticket), or "refused" (a hand-off the
    # member's open tickets left no room for).
    decision: Mapped[str] = mapped_column(String(16))
    entry_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    answered_entry_id: Mapped[str | None] = mapped_column(String(MAX_ENTRY_ID))
    feedback: Mapped[bool | None] = mapped_column(Boolean)
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The engine's direct answer the member turned down with 👎 (migration 0028): a topic
    # picked after it takes `answered_entry_id` and `feedback`, and the office's numbers
    # still count that 👎 against the entry turned down.
    rejected_entry_id: Mapped[str | None] = mapped_column(String(MAX_ENTRY_ID))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_inbox.id", ondelete="SET NULL"), index=True
    )

    @property
    def shown_choices(self) -> tuple[str, ...]:
        """The entries the member was offered and did not take before the question came to
        the office: the choices (or the answer), not the topics suggested beside a hand-off
        (the office is offered the same), unless the member took one and turned it down."""
        turned_down = self.answered_entry_id if self.feedback is False else None
        return shown_choices(self.decision, self.entry_ids, turned_down)


def shown_choices(
    decision: str, entry_ids: Sequence[str] | None, turned_down: str | None = None
) -> tuple[str, ...]:
    """`FaqQuestion.shown_choices` of a question decided so."""
    shown = tuple(entry_ids or ()) if decision not in ("handoff", REFUSED) else ()
    return shown if turned_down is None or turned_down in shown else (*shown, turned_down)


# ---------------------------------------------------------------- knowledge base

_KB_REVISION = select(FaqKbState.revision).where(FaqKbState.id == KB_STATE_ROW)


async def kb_revision(session: AsyncSession) -> int:
    """Asked before every question is answered: a prebuilt statement, run through Core."""
    connection = await session.connection()
    value = await connection.scalar(_KB_REVISION)
    return int(value or 0)


async def bump_revision(session: AsyncSession) -> None:
    """Mark the knowledge base as changed (in the caller's transaction)."""
    result = await session.execute(
        update(FaqKbState)
        .where(FaqKbState.id == KB_STATE_ROW)
        .values(revision=FaqKbState.revision + 1)
    )
    if getattr(result, "rowcount", 0) == 0:
        session.add(FaqKbState(id=KB_STATE_ROW, revision=1))
        await session.flush()


async def list_entries(session: AsyncSession) -> Sequence[FaqEntryRow]:
    result = await session.execute(select(FaqEntryRow).order_by(FaqEntryRow.id))
    return result.scalars().all()


async def learned_tickets(session: AsyncSession) -> list[tuple[str, str, str]]:
    """(entry id, question, language) of every question the office taught an entry."""
    result = await session.execute(
        select(FaqTicket.learned_entry_id, FaqTicket.text, FaqTicket.lang)
        .where(FaqTicket.learned_entry_id.is_not(None))
        .order_by(FaqTicket.id)
    )
    return [(str(entry), str(text), str(lang)) for entry, text, lang in result.all()]


async def get_entry(
    session: AsyncSession, entry_id: str, *, for_update: bool = False
) -> FaqEntryRow | None:
    query = select(FaqEntryRow).where(FaqEntryRow.id == entry_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


@dataclass(frozen=True)
class EntryFields:
    """The content of an entry, as the feature hands it to storage."""

    id: str
    tags: list[str]
    questions_de: list[str]
    questions_en: list[str]
    answer_de: str
    answer_en: str


def _fields_of(row: FaqEntryRow) -> EntryFields:
    return EntryFields(
        row.id,
        list(row.tags),
        list(row.questions_de),
        list(row.questions_en),
        row.answer_de,
        row.answer_en,
    )


async def upsert_entry(session: AsyncSession, fields: EntryFields) -> str:
    """Insert or update one entry; returns "added", "updated" or "unchanged"."""
    row = await get_entry(session, fields.id, for_update=True)
    if row is None:
        session.add(
            FaqEntryRow(
                id=fields.id,
                tags=fields.tags,
                questions_de=fields.questions_de,
                questions_en=fields.questions_en,
                answer_de=fields.answer_de,
                answer_en=fields.answer_en,
            )
        )
        await session.flush()
        return "added"
    if _fields_of(row) == fields:
        return "unchanged"
    row.tags = fields.tags
    row.questions_de = fields.questions_de
    row.questions_en = fields.questions_en
    row.answer_de = fields.answer_de
    row.answer_en = fields.answer_en
    await session.flush()
    return "updated"


async def delete_entry(session: AsyncSession, entry_id: str) -> bool:
    result = await session.execute(delete(FaqEntryRow).where(FaqEntryRow.id == entry_id))
    return bool(getattr(result, "rowcount", 0))


async def count_entries(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(FaqEntryRow)) or 0)


# ---------------------------------------------------------------- questions and feedback


@dataclass(frozen=True)
class QuestionLog:
    """A question as it is logged: what was asked and what the bot decided."""

    member_id: int
    text: str
    lang: str
    decision: str
    entry_ids: tuple[str, ...]
    score: float
    answered_entry_id: str | None
    ticket_id: int | None = None
    context: str = ""  # see FaqQuestion.context


# Built once, run through Core: one INSERT for a whole batch, the new ids in the rows' order.
_LOG_QUESTIONS = insert(FaqQuestion).returning(FaqQuestion.id, sort_by_parameter_order=True)


def log_questions(session: Session, questions: Sequence[QuestionLog]) -> list[int]:
    """Log questions (often several handled side by side); returns their numbers in order.
    Synchronous: see `Database.run_write`."""
    connection = session.connection()
    values = [
        {
            "member_id": q.member_id,
            "text": q.text,
            "context": q.context,
            "lang": q.lang,
            "decision": q.decision,
            "entry_ids": list(q.entry_ids),
            "score": q.score,
            "answered_entry_id": q.answered_entry_id,
            "ticket_id": q.ticket_id,
        }
        for q in questions
    ]
    return [int(i) for i in connection.execute(_LOG_QUESTIONS, values).scalars()]


async def get_question(session: AsyncSession, question_id: int) -> FaqQuestion | None:
    query = select(FaqQuestion).where(FaqQuestion.id == question_id).with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def recent_handoffs(
    session: AsyncSession, *, since: datetime, limit: int
) -> Sequence[FaqQuestion]:
    """Questions handed off without a ticket since `since`, newest first: what the office's
    suggestions also look at. (A question refused for too many open tickets is logged as
    "refused", not as a hand-off: it never reached the office.)"""
    result = await session.execute(
        select(FaqQuestion)
        .where(
            FaqQuestion.decision == "handoff",
            FaqQuestion.ticket_id.is_(None),
            FaqQuestion.asked_at >= since,
        )
        .order_by(FaqQuestion.id.desc())
        .limit(limit)
    )
    return result.scalars().all()


def _dealt_with() -> ColumnElement[bool]:
    """The logged question the office has dealt with outside the inbox (`faq_dismissed`,
    named "q" and its number)."""
    key = literal("q").concat(cast(FaqQuestion.id, String))
    return exists().where(DismissedQuestion.question_key == key)


async def unpicked_choices(
    session: AsyncSession, *, since: datetime, limit: int
) -> tuple[int, list[FaqQuestion]]:
    """Questions given choices since `since` of which the member took none and passed none
    to the office, leaving out those the office dealt with: (how many, the newest `limit`)."""
    where = (
        FaqQuestion.decision == "choices",
        FaqQuestion.answered_entry_id.is_(None),
        FaqQuestion.ticket_id.is_(None),
        FaqQuestion.asked_at >= since,
        ~_dealt_with(),
    )
    total = await session.scalar(select(func.count()).select_from(FaqQuestion).where(*where))
    result = await session.execute(
        select(FaqQuestion).where(*where).order_by(FaqQuestion.id.desc()).limit(limit)
    )
    return int(total or 0), list(result.scalars())


async def get_questions(session: AsyncSession, question_ids: Sequence[int]) -> list[FaqQuestion]:
    """Logged questions by number, in number order (missing ones left out)."""
    if not question_ids:
        return []
    query = select(FaqQuestion).where(FaqQuestion.id.in_(question_ids)).order_by(FaqQuestion.id)
    return list((await session.execute(query)).scalars())


# ---------------------------------------------------------------- office inbox


async def open_ticket(
    session: AsyncSession,
    *,
    member_id: int,
    text: str,
    lang: str,
    context: str = "",
    asked: bool = False,
) -> FaqTicket:
    """A ticket for the office; `asked`: the member asked for it (not the bot by itself)."""
    ticket = FaqTicket(member_id=member_id, text=text, lang=lang, context=context, asked=asked)
    session.add(ticket)
    await session.flush()
    return ticket


@dataclass(frozen=True)
class OpenTicket:
    """One of a member's tickets still waiting for the office: its number, question, context
    (what it points back to) and whether the member asked for it (`FaqTicket.asked`)."""

    id: int
    text: str
    context: str
    asked: bool


async def open_ticket_texts(session: AsyncSession, *, member_id: int) -> list[OpenTicket]:
    """Each of a member's tickets still waiting for the office, the oldest first (a member
    has a few: more are refused or asked about, `MAX_OPEN_TICKETS`)."""
    result = await session.execute(
        select(FaqTicket.id, FaqTicket.text, FaqTicket.context, FaqTicket.asked)
        .where(FaqTicket.member_id == member_id, FaqTicket.status == OPEN)
        .order_by(FaqTicket.id)
    )
    return [
        OpenTicket(int(number), str(text), str(context or ""), bool(asked))
        for number, text, context, asked in result.all()
    ]


async def open_tickets_of(session: AsyncSession, *, member_id: int, limit: int) -> list[FaqTicket]:
    """A member's tickets still waiting for the office, the oldest first."""
    result = await session.execute(
        select(FaqTicket)
        .where(FaqTicket.member_id == member_id, FaqTicket.status == OPEN)
        .order_by(FaqTicket.id)
        .limit(limit)
    )
    return list(result.scalars())


async def answered_tickets_of(
    session: AsyncSession, *, member_id: int, since: datetime, limit: int
) -> list[FaqTicket]:
    """A member's tickets the office answered since `since`, the latest answer first."""
    result = await session.execute(
        select(FaqTicket)
        .where(
            FaqTicket.member_id == member_id,
            FaqTicket.status == ANSWERED,
            FaqTicket.answered_at >= since,
        )
        .order_by(FaqTicket.answered_at.desc(), FaqTicket.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


async def mark_withdrawn(
    session: AsyncSession, *, ticket_id: int, member_id: int, at: datetime
) -> bool:
    """The member who asked withdraws an open ticket; False when it is not theirs or no longer
    open. The condition is in the UPDATE: an answer given at the same moment wins or loses
    whole (see `mark_answered`)."""
    result = await session.execute(
        update(FaqTicket)
        .where(
            FaqTicket.id == ticket_id,
            FaqTicket.member_id == member_id,
            FaqTicket.status == OPEN,
        )
        .values(status=WITHDRAWN, answered_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def mark_closed(session: AsyncSession, *, ticket_id: int, at: datetime) -> bool:
    """The office closes an open ticket without answering it; False when it is no longer open.
    The condition is in the UPDATE: a withdrawal or an answer at the same moment wins or
    loses whole (see `mark_withdrawn`)."""
    result = await session.execute(
        update(FaqTicket)
        .where(FaqTicket.id == ticket_id, FaqTicket.status == OPEN)
        .values(status=CLOSED, answered_at=at)
    )
    return bool(getattr(result, "rowcount", 0))


async def withdrawn_since(
    session: AsyncSession, *, since: datetime, limit: int
) -> tuple[int, list[FaqTicket]]:
    """How many tickets their members withdrew since `since`, and the latest `limit` of them."""
    return await settled_since(session, status=WITHDRAWN, since=since, limit=limit)


async def settled_since(
    session: AsyncSession, *, status: str, since: datetime, limit: int
) -> tuple[int, list[FaqTicket]]:
    """How many tickets went to `status` (WITHDRAWN, CLOSED) since `since`, and the latest
    `limit` of them."""
    recent = (FaqTicket.status == status, FaqTicket.answered_at >= since)
    total = await session.scalar(select(func.count()).select_from(FaqTicket).where(*recent))
    result = await session.execute(
        select(FaqTicket)
        .where(*recent)
        .order_by(FaqTicket.answered_at.desc(), FaqTicket.id.desc())
        .limit(limit)
    )
    return int(total or 0), list(result.scalars())


async def get_ticket(
    session: AsyncSession, ticket_id: int, *, for_update: bool = False
) -> FaqTicket | None:
    query = select(FaqTicket).where(FaqTicket.id == ticket_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_tickets(session: AsyncSession, ticket_ids: Sequence[int]) -> list[FaqTicket]:
    """Tickets by number, in number order (missing ones left out)."""
    if not ticket_ids:
        return []
    query = select(FaqTicket).where(FaqTicket.id.in_(ticket_ids)).order_by(FaqTicket.id)
    return list((await session.execute(query)).scalars())


@dataclass(frozen=True)
class InboxItem:
    """An open ticket, who asked, and the entry the bot had answered with (after a 👎)."""

    ticket: FaqTicket
    member: Member
    rejected_entry_id: str | None
    # What the member was shown before the question came to the office (the answer they
    # turned down, or the choices of which none fitted).
    shown: tuple[str, ...] = ()


async def open_tickets(
    session: AsyncSession, *, limit: int, only: int | None = None, offset: int = 0
) -> tuple[int, list[InboxItem]]:
    """The number of open tickets and the oldest `limit` of them after the first `offset`
    (`only`: that ticket, if open)."""
    total = await count_open(session)
    # A ticket's first question: the same question asked again joins its open ticket.
    first = (
        select(FaqQuestion.ticket_id, func.min(FaqQuestion.id).label("question_id"))
        .where(FaqQuestion.ticket_id.is_not(None))
        .group_by(FaqQuestion.ticket_id)
        .subquery()
    )
    result = await session.execute(
        select(
            FaqTicket,
            Member,
            case((FaqQuestion.feedback.is_(False), FaqQuestion.answered_entry_id), else_=None),
            FaqQuestion.entry_ids,
            FaqQuestion.decision,
        )
        .join(Member, Member.id == FaqTicket.member_id)
        .outerjoin(first, first.c.ticket_id == FaqTicket.id)
        .outerjoin(FaqQuestion, FaqQuestion.id == first.c.question_id)
        .where(FaqTicket.status == OPEN, *([FaqTicket.id == only] if only is not None else []))
        .order_by(FaqTicket.id)
        .offset(offset)
        .limit(limit)
    )
    items = [
        InboxItem(row[0], row[1], row[2], shown_choices(row[4] or "", row[3], row[2]))
        for row in result.all()
    ]
    return total, items


async def count_open(session: AsyncSession) -> int:
    """How many tickets wait for the office's answer (the dashboard's navigation shows it)."""
    query = select(func.count()).select_from(FaqTicket).where(FaqTicket.status == OPEN)
    return int(await session.scalar(query) or 0)


async def answered_unlearned(
    session: AsyncSession, *, since: datetime, limit: int
) -> list[FaqTicket]:
    """Tickets the office answered in its own words since `since` and did not teach the bot
    (no entry learned from them, none sent without teaching), the latest first."""
    result = await session.execute(
        select(FaqTicket)
        .where(
            FaqTicket.status == ANSWERED,
            FaqTicket.learned_entry_id.is_(None),
            FaqTicket.sent_entry_id.is_(None),
            FaqTicket.answered_at >= since,
        )
        .order_by(FaqTicket.answered_at.desc(), FaqTicket.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


async def mark_answered(
    session: AsyncSession,
    *,
    ticket_id: int,
    answer: str,
    at: datetime,
    sent_entry_id: str | None = None,
) -> bool:
    """Record the office's answer (`sent_entry_id`: an entry's, the question not to be
    learned); False when the member withdrew the ticket (it is not answered then: the caller
    rolls back what it sent)."""
    result = await session.execute(
        update(FaqTicket)
        .where(FaqTicket.id == ticket_id, FaqTicket.status != WITHDRAWN)
        .values(status=ANSWERED, answer=answer, answered_at=at, sent_entry_id=sent_entry_id)
    )
    return bool(getattr(result, "rowcount", 0))


async def close_for_offer(
    session: AsyncSession,
    *,
    question_id: int,
    member_id: int,
    offer: str,
    number: int,
    at: datetime,
) -> int | None:
    """Close the open ticket of the member's logged question `question_id` as taken over by
    the hand-off offer `offer` (carried by `number`); its number, or None when there was no
    open one (the office answered first, or the question got no ticket).

    The condition is in the UPDATE: an office answering at the same moment wins or loses
    whole, on SQLite too."""
    ticket_id = await session.scalar(
        select(FaqQuestion.ticket_id).where(
            FaqQuestion.id == question_id, FaqQuestion.member_id == member_id
        )
    )
    if ticket_id is None:
        return None
    result = await session.execute(
        update(FaqTicket)
        .where(FaqTicket.id == ticket_id, FaqTicket.status == OPEN)
        .values(status=OFFER_TAKEN, offer=offer, offer_number=number, answered_at=at)
    )
    return int(ticket_id) if getattr(result, "rowcount", 0) else None


async def taken_over(
    session: AsyncSession, *, since: datetime, limit: int
) -> list[tuple[FaqTicket, Member]]:
    """Tickets members turned into what a hand-off offer started since `since`, with who
    asked, the latest first (the office reads them apart from the open questions)."""
    result = await session.execute(
        select(FaqTicket, Member)
        .join(Member, Member.id == FaqTicket.member_id)
        .where(FaqTicket.status == OFFER_TAKEN, FaqTicket.answered_at >= since)
        .order_by(FaqTicket.answered_at.desc(), FaqTicket.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in result.all()]


async def add_alerts(session: AsyncSession, *, ticket_id: int, outbox_ids: Sequence[int]) -> None:
    """Remember the outbox messages that tell the admins of a new ticket."""
    session.add_all(FaqAlert(ticket_id=ticket_id, outbox_id=i) for i in outbox_ids)
    await session.flush()


async def alerts_of(session: AsyncSession, *, ticket_id: int) -> list[tuple[OutboxMessage, Member]]:
    """The alerts about a ticket (their outbox messages, locked) with the admin each is for."""
    result = await session.execute(
        select(OutboxMessage, Member)
        .join(FaqAlert, FaqAlert.outbox_id == OutboxMessage.id)
        .join(Member, Member.id == OutboxMessage.member_id)
        .where(FaqAlert.ticket_id == ticket_id)
        .order_by(OutboxMessage.id)
        .with_for_update(of=OutboxMessage)
    )
    return [(row[0], row[1]) for row in result.all()]


async def mark_learned(session: AsyncSession, *, ticket_id: int, entry_id: str) -> bool:
    """Record what a ticket was learned as; False when it already was (it is learned once).

    The condition is in the UPDATE, so two admins learning the same ticket at once (SQLite
    has no row locks) still learn it, and tell the member, only once.
    """
    result = await session.execute(
        update(FaqTicket)
        .where(FaqTicket.id == ticket_id, FaqTicket.learned_entry_id.is_(None))
        .values(learned_entry_id=entry_id)
    )
    return bool(getattr(result, "rowcount", 0))


# ---------------------------------------------------------------- statistics


def _total(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows meet `condition` (0 for no rows)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class FaqCounts:
    questions: int
    answered: int
    choices_offered: int
    choices_taken: int
    tickets: int
    tickets_open: int
    helpful: int
    not_helpful: int
    entries: int


async def counts(session: AsyncSession) -> FaqCounts:
    """Everything /stats shows about the FAQ, in three queries."""

    q = FaqQuestion
    row = (
        await session.execute(
            select(
                func.count(q.id),
                _total(q.decision == "answer"),
                _total(q.decision == "choices"),
                _total((q.decision == "choices") & q.answered_entry_id.is_not(None)),
                _total(q.feedback.is_(True)),
                _total(q.feedback.is_(False) | _turned_down_then_picked(q)),
            )
        )
    ).one()
    tickets = (
        await session.execute(select(func.count(FaqTicket.id), _total(FaqTicket.status == OPEN)))
    ).one()
    return FaqCounts(
        questions=int(row[0]),
        answered=int(row[1]),
        choices_offered=int(row[2]),
        choices_taken=int(row[3]),
        tickets=int(tickets[0]),
        tickets_open=int(tickets[1]),
        helpful=int(row[4]),
        not_helpful=int(row[5]),
        entries=await count_entries(session),
    )


@dataclass(frozen=True)
class EntryCounts:
    """How one entry performs: the questions it was matched to (answered or offered among the
    choices), answered directly, picked from the choices, and the 👍 and 👎 under it."""

    asked: int = 0
    answered: int = 0
    picked: int = 0
    helpful: int = 0
    not_helpful: int = 0


async def question_log_state(session: AsyncSession) -> tuple[object, ...]:
    """What changes whenever `entry_counts` may: rows added or erased, a choice picked, a 👍
    or 👎 given or taken back (one aggregate, no JSON read: a tenth of `entry_counts`)."""
    q = FaqQuestion
    row = (
        await session.execute(
            select(
                func.count(),
                func.max(q.id),
                func.count(q.answered_entry_id),
                func.count(q.feedback_at),
                func.max(q.feedback_at),
                _total(q.feedback.is_(True)),
                func.count(q.rejected_entry_id),
            )
        )
    ).one()
    return tuple(row)


async def entry_counts(session: AsyncSession, *, positions: int) -> dict[str, EntryCounts]:
    """`EntryCounts` per entry id (entries never asked about are missing); `positions` is the
    most entries one question is matched to (the engine's number of choices)."""
    q = FaqQuestion
    # The entries a question was matched to are a JSON list: one branch per position, portable
    # to SQLite (json_extract) and PostgreSQL (->>), added up per entry.
    offered = union_all(
        *(
            select(q.entry_ids[i].as_string().label("entry_id")).where(
                q.decision != "handoff", q.entry_ids[i].as_string().is_not(None)
            )
            for i in range(positions)
        )
    ).subquery()
    asked = await session.execute(
        select(offered.c.entry_id, func.count()).group_by(offered.c.entry_id)
    )
    found = {str(entry_id): EntryCounts(asked=int(count)) for entry_id, count in asked.all()}
    picked_since = _turned_down_then_picked(q)
    outcomes = await session.execute(
        select(
            q.answered_entry_id,
            _total((q.decision == "answer") & ~picked_since),
            _total((q.decision == "choices") | picked_since),
            _total(q.feedback.is_(True)),
            _total(q.feedback.is_(False)),
        )
        .where(q.answered_entry_id.is_not(None))
        .group_by(q.answered_entry_id)
    )
    for entry_id, answered, picked, up, down in outcomes.all():
        before = found.get(str(entry_id), EntryCounts())
        found[str(entry_id)] = EntryCounts(
            before.asked, int(answered), int(picked), int(up), int(down)
        )
    # the direct answers turned down before a pick: answered, and the 👎 theirs
    turned_down = await session.execute(
        select(q.rejected_entry_id, func.count()).where(picked_since).group_by(q.rejected_entry_id)
    )
    for entry_id, count in turned_down.all():
        before = found.get(str(entry_id), EntryCounts())
        found[str(entry_id)] = replace(
            before,
            answered=before.answered + int(count),
            not_helpful=before.not_helpful + int(count),
        )
    return found


def _turned_down_then_picked(q: type[FaqQuestion]) -> ColumnElement[bool]:
    """A question whose direct answer got 👎 and which has another topic picked since."""
    return q.rejected_entry_id.is_not(None) & (q.answered_entry_id != q.rejected_entry_id)
