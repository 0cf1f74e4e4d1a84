"""Similar unanswered questions grouped into suggestions for new FAQ entries.

The open tickets and the recent handed-off questions without a ticket are analysed with the
FAQ engine's own analyzer (stems, compound parts, glossary concepts and dictionary links, so
"Hunde" and "Hund", or "vegan food" and "veganes Essen", meet), weighted by how rare each term
is among these questions and the knowledge base's entries, and compared by cosine
similarity. Each word counts once however many keys it carries (a word the glossary and the
dictionary know has five, an unknown one a single stem: otherwise "Tagung" would outweigh
"Kinderbetreuung"), and a word as common as a function word ("gibt", "beim") counts less, as
in the FAQ index. A group is the question most like the others (its proposed title) with
every question close enough to it; only groups of two or more are suggestions.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.services import Services
from bot.textmatch import Analyzer
from bot.textmatch.analyzer import FUNCTION_WORD_ZIPF
from handlers.faq.index import slot_keys
from handlers.faq.kb_format import FaqEntry
from handlers.faq.service import faq_service
from storage import faq, faq_dismissed

# Two questions belong together from this cosine similarity of their weighted terms on
# (0.4: two invented inboxes, 12 topics in 37 phrasings beside 52 unrelated questions, give
# groups for 10 of the topics and none mixing two; at 0.35 groups mix topics, at 0.5 three
# phrasings among ten questions no longer meet).
SIMILAR = 0.4
# What is looked at: the open tickets and the handed-off questions of this many days.
RECENT_DAYS = 30
MAX_TICKETS = 300
MAX_LOGGED = 300
MAX_GROUPS = 20
# Where the last grouping is kept (services.features: state a feature builds on first use).
CACHE = "faq_suggestions"


@dataclass(frozen=True)
class Question:
    """A question waiting for the office: an open ticket (`ticket`) or a logged hand-off."""

    text: str
    lang: str
    ticket: int | None = None
    logged: int | None = None

    @property
    def key(self) -> str:
        return f"t{self.ticket}" if self.ticket is not None else f"q{self.logged}"


@dataclass(frozen=True)
class Suggestion:
    """Questions that look like one new topic; `title` is the most typical of them."""

    title: str
    lang: str
    questions: tuple[Question, ...]

    @property
    def key(self) -> str:
        """Stable for the same questions: names the group in a dismissal."""
        joined = ",".join(sorted(q.key for q in self.questions))
        return hashlib.sha256(joined.encode()).hexdigest()[:16]

    @property
    def tickets(self) -> tuple[int, ...]:
        return tuple(q.ticket for q in self.questions if q.ticket is not None)

    @property
    def logged(self) -> tuple[int, ...]:
        return tuple(q.logged for q in self.questions if q.logged is not None)


def group_questions(
    questions: Sequence[Question],
    analyzer: Analyzer,
    background: Sequence[str] = (),
    *,
    threshold: float = SIMILAR,
) -> list[Suggestion]:
    """Groups of two or more similar questions, largest first.

    `background` (the knowledge base's texts) only makes common terms weigh less.
    """
    if len(questions) < 2:
        return []
    words = [_words(analyzer, q.text, q.lang) for q in questions]
    documents = [_keys(w) for w in words]
    documents += [_keys(_words(analyzer, text, None)) for text in background]
    df: dict[str, int] = defaultdict(int)
    for bag in documents:
        for term in bag:
            df[term] += 1
    n = len(documents)
    idf = {term: _idf(n, count) for term, count in df.items()}
    vectors = [_normalised(_weighted(w, idf)) for w in words]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for term in vector:
            postings[term].append(i)
    similar: list[dict[int, float]] = []
    for i, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in vector.items():
            for j in postings[term]:
                if j != i:
                    scores[j] += weight * vectors[j][term]
        similar.append({j: s for j, s in scores.items() if s >= threshold})
    # The most connected question is the centre of a group; its neighbours join it.
    order = sorted(
        range(len(questions)), key=lambda i: (-len(similar[i]), -sum(similar[i].values()), i)
    )
    taken: set[int] = set()
    groups: list[Suggestion] = []
    for centre in order:
        if centre in taken:
            continue
        members = [centre, *sorted(j for j in similar[centre] if j not in taken)]
        if len(members) < 2:
            continue
        taken.update(members)
        found = tuple(questions[i] for i in members)
        groups.append(Suggestion(questions[centre].text, questions[centre].lang, found))
    groups.sort(key=lambda g: -len(g.questions))
    return groups[:MAX_GROUPS]


def _words(analyzer: Analyzer, text: str, lang: str | None) -> list[tuple[set[str], float]]:
    """Each word (slot) of a text: its keys and how specific it is in general language."""
    return [
        (slot_keys(slot), analyzer.specificity(slot.text, FUNCTION_WORD_ZIPF))
        for slot in analyzer.slots(text, lang)
    ]


def _keys(words: Sequence[tuple[set[str], float]]) -> set[str]:
    return {key for keys, _specificity in words for key in keys}


def _weighted(words: Sequence[tuple[set[str], float]], idf: dict[str, float]) -> dict[str, float]:
    """Term weights of one question: a word's weight is shared among its keys, so that the
    word has the same length in the vector whether it carries one key or five."""
    vector: dict[str, float] = {}
    for keys, specificity in words:
        share = specificity / math.sqrt(len(keys))
        for key in keys:
            vector[key] = max(vector.get(key, 0.0), idf[key] * share)
    return vector


def _idf(n: int, df: int) -> float:
    """Smoothed as scikit-learn's TfidfVectorizer does: a term half of a small inbox shares
    (the topic of three tickets among ten) still counts against one a single ticket has."""
    return math.log((n + 1) / (df + 1)) + 1


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    length = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / length for t, w in vector.items()} if length else {}


async def waiting_questions(services: Services, known: Collection[str] = ()) -> list[Question]:
    """The open tickets and recent handed-off questions without one, oldest first; a
    question the knowledge base already has as a phrasing (`known`, casefolded) is left out,
    and so is one the office dismissed from a suggestion, and a ticket that points back to
    what its member wrote before (its `context`: "Was kostet das?"): that question means
    something else for each member, and would be a poor phrasing of a new entry."""
    since = services.clock() - timedelta(days=RECENT_DAYS)
    async with services.db.session() as session:
        _total, tickets = await faq.open_tickets(session, limit=MAX_TICKETS)
        logged = await faq.recent_handoffs(session, since=since, limit=MAX_LOGGED)
        dismissed = await faq_dismissed.dismissed_keys(session)
    found = [
        Question(i.ticket.text, i.ticket.lang, ticket=i.ticket.id)
        for i in tickets
        if not i.ticket.context
    ]
    found += [Question(q.text, q.lang, logged=q.id) for q in reversed(logged)]
    found = [question for question in found if question.key not in dismissed]
    seen: set[str] = set(known)
    unique: list[Question] = []
    for question in found:
        folded = question.text.strip().casefold()
        if question.ticket is None and folded in seen:
            continue  # a hand-off asked again, or already taught to the bot
        seen.add(folded)
        unique.append(question)
    return unique


@dataclass
class _Grouped:
    """The last grouping of this process and what it was computed from."""

    key: tuple[object, ...]
    groups: list[Suggestion]


async def suggestions(services: Services) -> list[Suggestion]:
    """Groups of similar questions waiting for the office.

    Grouping takes some 100 ms for 600 questions: the result is kept for as long as the data
    it depends on is the same (the knowledge base's revision and the waiting questions, by
    number and text), so opening the inbox again only reads the questions."""
    snapshot = await faq_service(services).snapshot()
    entries = list(snapshot.entries.values())
    known = {p.strip().casefold() for e in entries for ps in e.questions.values() for p in ps}
    questions = await waiting_questions(services, known)
    if len(questions) < 2:
        return []
    key = (snapshot.revision, tuple((q.key, q.text, q.lang) for q in questions))
    cached = services.features.get(CACHE)
    if isinstance(cached, _Grouped) and cached.key == key:
        groups = cached.groups
    else:
        analyzer = snapshot.engine.analyzer if snapshot.engine is not None else None
        groups = await asyncio.to_thread(_group, questions, analyzer, entries)
        services.features[CACHE] = _Grouped(key, groups)
    return groups


async def dismiss(services: Services, suggestion_key: str, admin_id: int | None) -> int:
    """The office says a suggestion is no new topic: its questions stay open in the inbox
    but leave the suggestions for good. Returns how many questions were dismissed (0 for a
    key no current suggestion has, e.g. a stale page)."""
    for group in await suggestions(services):
        if group.key == suggestion_key:
            async with services.db.session() as session:
                return await faq_dismissed.dismiss(
                    session, [q.key for q in group.questions], admin_id
                )
    return 0


def _group(
    questions: list[Question], analyzer: Analyzer | None, entries: list[FaqEntry]
) -> list[Suggestion]:
    background = [" ".join(p for ps in e.questions.values() for p in ps) for e in entries]
    if analyzer is None:
        analyzer = Analyzer([q.text for q in questions])
    return group_questions(questions, analyzer, background)
