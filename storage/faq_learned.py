"""Learned phrasings: members' questions that became phrasings of an FAQ entry.

A phrasing is learned from a member's pick among the "did you mean" choices, from a 👍 under
the bot's own direct answer, or from the office answering a handed-off question with an
entry. Each contribution is a row in
`faq_learned_teachers` naming the member whose question taught it, so `/forget` and a 👎 can
take back exactly that member's part (`/forget` removes a phrasing in the member's own words
whole). A phrasing counts fully (`confirmed`) once the office
taught or confirmed it, `CONFIRMING_MEMBERS` different members taught it, or a member's 👍
agreed with the entry the bot chose alone (the member adds no entry the engine did not
choose: bot and member are two judges); one that nobody
teaches any more (and the office never backed) is deleted. Every change that alters what the
matcher sees bumps the knowledge base revision, so every bot process rebuilds its index.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    case,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.faq import MAX_ENTRY_ID, bump_revision
from storage.models import Base, BigId, utcnow

# This many different members teaching the same phrasing confirm it (one cannot alone).
CONFIRMING_MEMBERS = 2
PICK = "pick"
OFFICE = "office"
VOTE = "vote"


async def _forget_teacher(session: AsyncSession, member_id: int) -> None:
    """Before a member is erased: take back what their questions taught (see `forget`)."""
    await forget(session, member_id=member_id)


class LearnedPhrasing(Base):
    """A member's question learned as a phrasing of an entry, in the question's language."""

    __tablename__ = "faq_learned"
    __table_args__ = (Index("ix_faq_learned_entry_lang", "entry_id", "lang"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(
        String(MAX_ENTRY_ID), ForeignKey("faq_entries.id", ondelete="CASCADE")
    )
    lang: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    # The text folded for comparison (see handlers/faq/learning.normalise).
    norm: Mapped[str] = mapped_column(Text)
    # How it was first learned: PICK, VOTE or OFFICE.
    source: Mapped[str] = mapped_column(String(8))
    # The office taught or confirmed it: it stays when other members take theirs back (not when
    # the member whose words it is is forgotten: `forget`).
    office: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    times_seen: Mapped[int] = mapped_column(Integer, default=1)
    first_learned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_learned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LearnedTeacher(Base):
    """One member's question teaching a learned phrasing (a pick, or a ticket the office
    answered with the entry)."""

    __tablename__ = "faq_learned_teachers"
    __table_args__ = (
        Index("ix_faq_learned_teachers_question", "question_id"),
        {"info": {"before_member_erase": _forget_teacher}},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    learned_id: Mapped[int] = mapped_column(
        ForeignKey("faq_learned.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # The logged question (a pick or 👍) whose 👎 takes this back; None for the office's teaching.
    question_id: Mapped[int | None] = mapped_column(BigId)
    source: Mapped[str] = mapped_column(String(8))
    learned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


@dataclass(frozen=True)
class Learned:
    """A learned phrasing as the matcher and the dashboard read it."""

    id: int
    entry_id: str
    lang: str
    text: str
    source: str
    office: bool
    confirmed: bool
    times_seen: int
    first_learned_at: datetime
    last_learned_at: datetime
    teachers: int  # different members whose questions taught it


async def all_learned(session: AsyncSession, *, limit: int | None = None) -> list[Learned]:
    """Learned phrasings with their number of teachers: every one by entry and then oldest
    first, or (`limit`) the `limit` to review first: unconfirmed, then most recently seen."""
    teachers = (
        select(
            LearnedTeacher.learned_id,
            func.count(func.distinct(LearnedTeacher.member_id)).label("n"),
        )
        .group_by(LearnedTeacher.learned_id)
        .subquery()
    )
    result = await session.execute(
        select(LearnedPhrasing, func.coalesce(teachers.c.n, 0))
        .outerjoin(teachers, teachers.c.learned_id == LearnedPhrasing.id)
        .order_by(
            *(
                (LearnedPhrasing.entry_id, LearnedPhrasing.id)
                if limit is None
                else (
                    LearnedPhrasing.confirmed,
                    LearnedPhrasing.last_learned_at.desc(),
                    LearnedPhrasing.id.desc(),
                )
            )
        )
        .limit(limit)
    )
    return [_learned(row, int(n)) for row, n in result.all()]


def _learned(row: LearnedPhrasing, teachers: int) -> Learned:
    return Learned(
        row.id,
        row.entry_id,
        row.lang,
        row.text,
        row.source,
        row.office,
        row.confirmed,
        row.times_seen,
        row.first_learned_at,
        row.last_learned_at,
        teachers,
    )


async def phrasings_of(session: AsyncSession, *, entry_id: str, lang: str) -> list[tuple[int, str]]:
    """(id, norm) of an entry's learned phrasings in one language, oldest first."""
    result = await session.execute(
        select(LearnedPhrasing.id, LearnedPhrasing.norm)
        .where(LearnedPhrasing.entry_id == entry_id, LearnedPhrasing.lang == lang)
        .order_by(LearnedPhrasing.id)
    )
    return [(int(i), str(n)) for i, n in result.all()]


async def unconfirmed_of(
    session: AsyncSession, *, entry_id: str, not_taught_by: int
) -> list[tuple[int, str, str]]:
    """(id, text, language) of an entry's unconfirmed phrasings that a member did not teach."""
    own = select(LearnedTeacher.learned_id).where(LearnedTeacher.member_id == not_taught_by)
    result = await session.execute(
        select(LearnedPhrasing.id, LearnedPhrasing.text, LearnedPhrasing.lang)
        .where(
            LearnedPhrasing.entry_id == entry_id,
            LearnedPhrasing.confirmed.is_(False),
            LearnedPhrasing.id.not_in(own),
        )
        .order_by(LearnedPhrasing.id)
    )
    return [(int(i), str(t), str(lang)) for i, t, lang in result.all()]


async def get(
    session: AsyncSession, learned_id: int, *, for_update: bool = False
) -> LearnedPhrasing | None:
    query = select(LearnedPhrasing).where(LearnedPhrasing.id == learned_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def add(
    session: AsyncSession,
    *,
    entry_id: str,
    lang: str,
    text: str,
    norm: str,
    source: str,
    at: datetime,
) -> int:
    """A new learned phrasing (not confirmed yet, no teacher yet); returns its id."""
    row = LearnedPhrasing(
        entry_id=entry_id,
        lang=lang,
        text=text,
        norm=norm,
        source=source,
        office=False,
        confirmed=False,
        times_seen=0,
        first_learned_at=at,
        last_learned_at=at,
    )
    session.add(row)
    await session.flush()
    return row.id


async def teach(
    session: AsyncSession,
    *,
    learned_id: int,
    member_id: int,
    question_id: int | None,
    source: str,
    at: datetime,
) -> None:
    """One more contribution to a phrasing: it was seen once more, now."""
    session.add(
        LearnedTeacher(
            learned_id=learned_id,
            member_id=member_id,
            question_id=question_id,
            source=source,
            learned_at=at,
        )
    )
    values: dict[str, object] = {
        "times_seen": LearnedPhrasing.times_seen + 1,
        "last_learned_at": at,
    }
    if source == OFFICE:
        values["office"] = True
    await session.execute(
        update(LearnedPhrasing).where(LearnedPhrasing.id == learned_id).values(values)
    )
    await session.flush()


async def back_by_office(session: AsyncSession, *, learned_id: int) -> bool:
    """The office confirms a phrasing; False when there is no such phrasing."""
    result = await session.execute(
        update(LearnedPhrasing)
        .where(LearnedPhrasing.id == learned_id)
        .values(office=True, confirmed=True)
    )
    return bool(getattr(result, "rowcount", 0))


async def remove(session: AsyncSession, *, learned_id: int) -> str | None:
    """Delete a phrasing with its teachers; returns its entry id (None: there was none)."""
    row = await get(session, learned_id, for_update=True)
    if row is None:
        return None
    await session.execute(delete(LearnedTeacher).where(LearnedTeacher.learned_id == learned_id))
    await session.execute(delete(LearnedPhrasing).where(LearnedPhrasing.id == learned_id))
    return row.entry_id


async def take_back(
    session: AsyncSession, *, member_id: int, question_ids: Collection[int] | None = None
) -> set[int]:
    """Remove a member's contributions (only those of `question_ids` when given); returns
    the phrasings they were part of."""
    where = [LearnedTeacher.member_id == member_id]
    if question_ids is not None:
        if not question_ids:
            return set()
        where.append(LearnedTeacher.question_id.in_(list(question_ids)))
    found = await session.execute(
        select(LearnedTeacher.learned_id, LearnedTeacher.id).where(*where)
    )
    rows = found.all()
    if not rows:
        return set()
    await session.execute(delete(LearnedTeacher).where(LearnedTeacher.id.in_([r[1] for r in rows])))
    # Each contribution was one sighting (`settle` keeps the count at least the teachers).
    for learned_id in {r[0] for r in rows}:
        taken = sum(1 for r in rows if r[0] == learned_id)
        await session.execute(
            update(LearnedPhrasing)
            .where(LearnedPhrasing.id == learned_id)
            .values(times_seen=LearnedPhrasing.times_seen - taken)
        )
    return {int(r[0]) for r in rows}


async def settle(session: AsyncSession, learned_ids: Collection[int]) -> bool:
    """After teachers came or went: a phrasing is confirmed when the office backs it, a 👍
    under a direct answer taught it or `CONFIRMING_MEMBERS` different members taught it; one
    nobody teaches any more and the office never backed is deleted. Returns whether the
    matcher's view changed."""
    changed = False
    for learned_id in sorted(learned_ids):
        row = await get(session, learned_id, for_update=True)
        if row is None:
            continue
        teachers = int(
            await session.scalar(
                select(func.count(func.distinct(LearnedTeacher.member_id))).where(
                    LearnedTeacher.learned_id == learned_id
                )
            )
            or 0
        )
        if teachers == 0 and not row.office:
            await session.execute(delete(LearnedPhrasing).where(LearnedPhrasing.id == learned_id))
            changed = True
            continue
        voted = await session.scalar(
            select(func.count())
            .select_from(LearnedTeacher)
            .where(LearnedTeacher.learned_id == learned_id, LearnedTeacher.source == VOTE)
        )
        confirmed = row.office or bool(voted) or teachers >= CONFIRMING_MEMBERS
        row.times_seen = max(row.times_seen, teachers, 1)
        if confirmed != row.confirmed:
            row.confirmed = confirmed
            changed = True
    await session.flush()
    return changed


async def forget(session: AsyncSession, *, member_id: int) -> bool:
    """Take back everything a member's questions taught: a phrasing in her words (she taught
    it first) goes whole, even when the office answered or confirmed it or others' questions
    joined it, so her text is nowhere after /forget; elsewhere only her part goes. Bumps the
    revision when the matcher's view changed. Returns whether it did."""
    authored = await _authored_by(session, member_id)
    touched = await take_back(session, member_id=member_id)
    for learned_id in sorted(authored):
        await remove(session, learned_id=learned_id)
    changed = await settle(session, touched - authored) or bool(authored)
    if changed:
        await bump_revision(session)
    return changed


async def _authored_by(session: AsyncSession, member_id: int) -> set[int]:
    """The phrasings whose text is the member's question: her contribution is their first
    (a phrasing is added with its first teacher, whose question's text it keeps)."""
    first = (
        select(func.min(LearnedTeacher.id).label("id"))
        .group_by(LearnedTeacher.learned_id)
        .subquery()
    )
    result = await session.execute(
        select(LearnedTeacher.learned_id)
        .join(first, first.c.id == LearnedTeacher.id)
        .where(LearnedTeacher.member_id == member_id)
    )
    return {int(i) for i in result.scalars().all()}


async def counts(session: AsyncSession) -> tuple[int, int]:
    """(learned phrasings, of them unconfirmed)."""
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(
                    func.sum(case((LearnedPhrasing.confirmed.is_(False), 1), else_=0)), 0
                ),
            ).select_from(LearnedPhrasing)
        )
    ).one()
    return int(row[0]), int(row[1])


def by_entry(learned: Sequence[Learned]) -> dict[str, list[Learned]]:
    """Learned phrasings grouped by entry id, in the given order."""
    grouped: dict[str, list[Learned]] = {}
    for item in learned:
        grouped.setdefault(item.entry_id, []).append(item)
    return grouped
