"""The FAQ learning loop: members' questions become phrasings of the entry that answered them.

- A member picks an entry among the "did you mean" choices: the question is learned as an
  unconfirmed phrasing of that entry, in the question's language (`record_pick`). It brings
  its entry among the choices at once, but never alone a direct answer.
- A second, different member confirms it, and it answers directly from then on: by picking
  the same entry for the same or a near-identical question, or by picking the entry when
  only the unconfirmed phrasings brought it among their choices (`corroborated`).
- A member marks the bot's own direct answer 👍: the question is learned confirmed at once
  (`record_vote`): the engine chose the entry alone and the member agreed, so no member
  teaches alone, and a member cannot bring an entry the engine did not choose. Questions
  already answered carry the words members use, which the next member's question shares
  more often than the knowledge base's wording.
- The office answers a handed-off question with an entry (`/learn N ENTRY`, the dashboard's
  attach): the question is learned confirmed at once (`record_office`).
- A 👎 after a pick or a 👍 takes that back (`retract`); `/forget` takes back everything the
  member's questions taught (storage/faq_learned.py does it before the member is erased):
  a phrasing in her words goes even when the office taught or confirmed it, as /forget
  promises. The office sees every learned phrasing on the
  dashboard, confirms or removes it (`confirm`, `remove`).
- Questions too short or too long, or that look like data rather than a question (links,
  addresses, numbers, codes), teach nothing (`teachable`).

Rules as plain functions (no chat, no web); the storage functions they call keep the tables.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from rapidfuzz import fuzz
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.services import Services
from handlers.faq.engine import FaqEngine
from handlers.faq.learned import normalise
from handlers.faq.rules import MAX_PHRASING_CHARS, clean_text
from handlers.faq.service import faq_service
from handlers.faq.small_talk import small_talk
from storage import faq, faq_learned
from storage.faq_learned import OFFICE, PICK, VOTE

log = logging.getLogger(__name__)
Key = TypeVar("Key")

# A question teaches only with this many words (fewer say too little to stand for an entry:
# "Anmeldung?") and up to this many (longer messages carry context beside the question).
MIN_TEACH_WORDS = 3
MAX_TEACH_WORDS = 40
# Two questions are the same phrasing at this rapidfuzz ratio of their normalised texts
# (a typo, a missing word in a long question), not just when they are equal.
NEAR_IDENTICAL = 90.0
# A message with fewer letters than this share of its visible characters is data, not a
# question; a "word" longer than this is a code, a hash or a link.
MIN_LETTER_SHARE = 0.6
MAX_WORD_CHARS = 30
_WORD = re.compile(r"[^\W_]+")
# Links, e-mail addresses and long numbers (phone, account): personal or machine data.
_DATA = re.compile(r"https?://|www\.|\S+@\S+\.\w|\d[\d /().-]{5,}\d")


def teachable(text: str) -> bool:
    """Whether a member's question may become a phrasing (see the module doc)."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text):
        return False
    cleaned = clean_text(text, limit=MAX_PHRASING_CHARS + 1)
    if not cleaned or len(cleaned) > MAX_PHRASING_CHARS or small_talk(cleaned) is not None:
        return False
    words = _WORD.findall(cleaned)
    if not MIN_TEACH_WORDS <= len(words) <= MAX_TEACH_WORDS:
        return False
    if any(len(word) > MAX_WORD_CHARS for word in words) or _DATA.search(cleaned):
        return False
    visible = [ch for ch in cleaned if not ch.isspace()]
    letters = sum(1 for ch in visible if ch.isalpha())
    return letters >= MIN_LETTER_SHARE * len(visible)


def same_phrasing(norm: str, other: str) -> bool:
    """Normalised-equal or near-identical questions (`NEAR_IDENTICAL`)."""
    return norm == other or fuzz.ratio(norm, other) >= NEAR_IDENTICAL


def find_same(norm: str, candidates: Iterable[tuple[int, str]]) -> int | None:
    """The id of the candidate (id, norm) that is the same phrasing: an equal one first,
    else the most similar near-identical one."""
    best: tuple[float, int] | None = None
    for key, other in candidates:
        if other == norm:
            return key
        score = fuzz.ratio(norm, other)
        if score >= NEAR_IDENTICAL and (best is None or score > best[0]):
            best = (score, key)
    return best[1] if best is not None else None


def corroborated(
    engine: FaqEngine | None,
    entry_id: str,
    text: str,
    lang: str,
    candidates: Iterable[tuple[Key, str, str]],
) -> list[Key]:
    """The unconfirmed phrasings (key, text, language) of `entry_id` that a member's pick of
    it for `text` confirms: what was confirmed alone (`engine`) would not have offered the
    entry, so the phrasings other members taught brought it, and the pick agrees with those
    of them that share a term with the question."""
    if engine is None:
        return []
    decision = engine.match(text, lang)
    if decision.kind != "handoff" and entry_id in decision.entry_ids:
        return []
    analyzer = engine.analyzer
    asked = set(analyzer.terms(text, lang))
    return [
        key
        for key, other, other_lang in candidates
        if asked & set(analyzer.terms(other, other_lang))
    ]


def known_phrasing(norm: str, phrasings: Iterable[str]) -> bool:
    """The question is already one of the entry's own phrasings (nothing to learn)."""
    return any(normalise(p) == norm for p in phrasings)


# ---------------------------------------------------------------- in a transaction


async def _learn(
    session: AsyncSession,
    *,
    member_id: int,
    question_id: int | None,
    entry_id: str,
    text: str,
    lang: str,
    source: str,
    at: datetime,
) -> tuple[int, bool]:
    """Add a member's contribution to the same phrasing or a new one; (its id, new?)."""
    norm = normalise(text)
    same = find_same(norm, await faq_learned.phrasings_of(session, entry_id=entry_id, lang=lang))
    new = same is None
    if same is None:
        same = await faq_learned.add(
            session, entry_id=entry_id, lang=lang, text=text, norm=norm, source=source, at=at
        )
    await faq_learned.teach(
        session, learned_id=same, member_id=member_id, question_id=question_id, source=source, at=at
    )
    return same, new


async def record_pick(
    session: AsyncSession,
    *,
    member_id: int,
    question_id: int,
    entry_id: str,
    text: str,
    lang: str,
    entry_phrasings: Iterable[str],
    at: datetime,
    confirmed_engine: FaqEngine | None = None,
) -> bool:
    """A member picked `entry_id` among the choices offered for their question `text`.

    A pick made before on the same question (another button pressed since) is taken back
    first. The pick also confirms other members' phrasings that brought the entry among
    the choices (`corroborated`; `confirmed_engine` matches with the confirmed ones only).
    Returns whether the matcher's view changed (the revision was bumped).
    """
    touched = await faq_learned.take_back(session, member_id=member_id, question_ids=[question_id])
    if lang in ("de", "en"):
        others = await faq_learned.unconfirmed_of(
            session, entry_id=entry_id, not_taught_by=member_id
        )
        for learned_id in corroborated(confirmed_engine, entry_id, text, lang, others):
            await faq_learned.teach(
                session,
                learned_id=learned_id,
                member_id=member_id,
                question_id=question_id,
                source=PICK,
                at=at,
            )
            touched.add(learned_id)
    return await _member_teaches(
        session,
        touched,
        member_id=member_id,
        question_id=question_id,
        entry_id=entry_id,
        text=text,
        lang=lang,
        entry_phrasings=entry_phrasings,
        source=PICK,
        at=at,
    )


async def record_vote(
    session: AsyncSession,
    *,
    member_id: int,
    question_id: int,
    entry_id: str,
    text: str,
    lang: str,
    entry_phrasings: Iterable[str],
    at: datetime,
) -> bool:
    """A member marked the direct answer `entry_id` to their question `text` helpful: the
    question is a confirmed phrasing of it (a 👍 pressed again teaches once). Returns whether
    the matcher's view changed."""
    touched = await faq_learned.take_back(session, member_id=member_id, question_ids=[question_id])
    return await _member_teaches(
        session,
        touched,
        member_id=member_id,
        question_id=question_id,
        entry_id=entry_id,
        text=text,
        lang=lang,
        entry_phrasings=entry_phrasings,
        source=VOTE,
        at=at,
    )


async def _member_teaches(
    session: AsyncSession,
    touched: set[int],
    *,
    member_id: int,
    question_id: int,
    entry_id: str,
    text: str,
    lang: str,
    entry_phrasings: Iterable[str],
    source: str,
    at: datetime,
) -> bool:
    """A member's question `text` teaches `entry_id` (`source`: a pick or a 👍) unless the
    rules refuse it; the phrasings `touched` before are settled with it. Returns whether the
    matcher's view changed (the revision was bumped)."""
    changed = False
    norm = normalise(text)
    if teachable(text) and lang in ("de", "en") and not known_phrasing(norm, entry_phrasings):
        learned_id, changed = await _learn(
            session,
            member_id=member_id,
            question_id=question_id,
            entry_id=entry_id,
            text=clean_text(text, limit=MAX_PHRASING_CHARS),
            lang=lang,
            source=source,
            at=at,
        )
        touched.add(learned_id)
    return await _settle(session, touched, changed=changed)


async def record_office(
    session: AsyncSession,
    *,
    member_id: int,
    entry_id: str,
    text: str,
    lang: str,
    entry_phrasings: Iterable[str],
    at: datetime,
) -> bool:
    """The office answered member `member_id`'s handed-off question `text` with `entry_id`:
    the question is a confirmed phrasing at once (the office judged it; only its length is
    capped). Returns whether the matcher's view changed."""
    phrasing = clean_text(text, limit=MAX_PHRASING_CHARS)
    norm = normalise(phrasing)
    if not norm or lang not in ("de", "en") or known_phrasing(norm, entry_phrasings):
        return False
    learned_id, new = await _learn(
        session,
        member_id=member_id,
        question_id=None,
        entry_id=entry_id,
        text=phrasing,
        lang=lang,
        source=OFFICE,
        at=at,
    )
    return await _settle(session, {learned_id}, changed=new)


async def retract(session: AsyncSession, *, member_id: int, question_id: int) -> bool:
    """A 👎 under the answer a member picked or marked 👍 before: that question teaches
    nothing after all."""
    touched = await faq_learned.take_back(session, member_id=member_id, question_ids=[question_id])
    return await _settle(session, touched)


async def _settle(session: AsyncSession, touched: set[int], *, changed: bool = False) -> bool:
    """Settles the phrasings `touched` (`faq_learned.settle`) and bumps the FAQ revision when
    that, or what came before (`changed`), changed the matcher's view. Returns whether it did."""
    changed = await faq_learned.settle(session, touched) or changed
    if changed:
        await faq.bump_revision(session)
    return changed


# ---------------------------------------------------------------- the office's review

# The dashboard lists this many learned phrasings (unconfirmed first, then the newest).
REVIEW_LIMIT = 300


@dataclass(frozen=True)
class Review:
    """What the office reviews: learned phrasings grouped by entry (in entry id order), how
    many there are in all and how many wait for a confirmation."""

    by_entry: dict[str, list[faq_learned.Learned]]
    total: int
    unconfirmed: int
    # Members' questions the office made phrasings of an entry it wrote for them (a new
    # entry from tickets): part of the entry itself, no learned phrasing to confirm; by entry.
    in_entries: dict[str, int] = field(default_factory=dict)

    @property
    def from_questions(self) -> int:
        return sum(self.in_entries.values())

    @property
    def shown(self) -> int:
        return sum(len(items) for items in self.by_entry.values())


async def review(services: Services, *, limit: int = REVIEW_LIMIT) -> Review:
    """The learned phrasings for the office's review (the dashboard's FAQ page)."""
    async with services.db.read() as session:
        total, unconfirmed = await faq_learned.counts(session)
        items = await faq_learned.all_learned(session, limit=limit) if total else []
        in_entries = await _in_entries(session)
    grouped = faq_learned.by_entry(sorted(items, key=lambda i: (i.entry_id, i.id)))
    return Review(grouped, total, unconfirmed, in_entries)


async def _in_entries(session: AsyncSession) -> dict[str, int]:
    """How many members' questions stand as phrasings in each entry the office taught them
    to (a new entry from tickets); a question learned as a phrasing of its own is not one."""
    found: dict[str, int] = {}
    entries: dict[str, set[str] | None] = {}
    for entry_id, text, lang in await faq.learned_tickets(session):
        if entry_id not in entries:
            row = await faq.get_entry(session, entry_id)
            entries[entry_id] = (
                None if row is None else {_same(q) for q in (*row.questions_de, *row.questions_en)}
            )
        questions = entries[entry_id]
        try:
            phrasing = clean_text(text, limit=MAX_PHRASING_CHARS)
        except UserError:
            continue
        if questions is not None and lang in ("de", "en") and _same(phrasing) in questions:
            found[entry_id] = found.get(entry_id, 0) + 1
    return dict(sorted(found.items()))


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


async def confirm(services: Services, admin_id: int, learned_id: int) -> str:
    """The office confirms a learned phrasing: it answers directly from now on. Returns its
    entry id; `UserError` when it is gone (removed meanwhile, or its members forgotten)."""
    async with services.db.session() as session:
        row = await faq_learned.get(session, learned_id, for_update=True)
        if row is None:
            raise UserError("web_faq.learned_gone")
        entry_id, was_confirmed = row.entry_id, row.confirmed
        await faq_learned.back_by_office(session, learned_id=learned_id)
        if not was_confirmed:
            await faq.bump_revision(session)
    await faq_service(services).snapshot(fresh=True)
    log.info("learned phrasing %s of %s confirmed by member %s", learned_id, entry_id, admin_id)
    return entry_id


async def remove(services: Services, admin_id: int, learned_id: int) -> str:
    """The office removes a learned phrasing (with every member's contribution to it)."""
    async with services.db.session() as session:
        entry_id = await faq_learned.remove(session, learned_id=learned_id)
        if entry_id is None:
            raise UserError("web_faq.learned_gone")
        await faq.bump_revision(session)
    await faq_service(services).snapshot(fresh=True)
    log.info("learned phrasing %s of %s removed by member %s", learned_id, entry_id, admin_id)
    return entry_id
