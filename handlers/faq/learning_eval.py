"""`faq eval --learn-from A.jsonl`: the learning loop simulated on one question set, measured
on another.

Every question of A goes through the bot as a different member, in order, and what it
teaches is used for the questions after it (as in the bot):
- answered with the right entry: nothing to learn, or, for the share `helpful_votes` of
  them (none by default: the issue's simulation), the member presses 👍, which teaches the
  question confirmed (`learning.record_vote`);
- the right entry among the choices: the member picks it (an unconfirmed phrasing, confirmed
  when a second member picks the same entry for a near-identical question, or when the
  unconfirmed phrasings brought the entry among a second member's choices);
- handed off, and by default also the choices without the right entry ("none of these") and
  a wrong answer (👎, "ask the office"), which hand the question off in the bot too: the
  office answers with the right entry (a confirmed phrasing);
- a question no entry answers (`expect` null) teaches nothing, nor does one the rules of
  `learning.teachable` refuse (for picks).
Then B is measured with what was learned, and without, for comparison; and as it would be
if every in-scope question of A had been taught and confirmed (`all_taught`): the most
learning phrasings can give, whatever the loop's rules, so the gap between it and the loop's
figure is what the guards cost and the gap above it is what phrasings cannot reach.

The rules are the bot's (`learning`, `learned`, `storage.faq_learned.CONFIRMING_MEMBERS`);
only the tables are replaced by `LearningBook` in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from handlers.faq.engine import FaqEngine
from handlers.faq.evaluation import Question, evaluate
from handlers.faq.kb_format import LANGS, FaqEntry
from handlers.faq.learned import LearnedText, LearningMatcher, normalise
from handlers.faq.learning import corroborated, find_same, known_phrasing, teachable
from handlers.faq.rules import MAX_PHRASING_CHARS, clean_text, question_language
from storage.faq_learned import CONFIRMING_MEMBERS


@dataclass
class _Phrasing:
    entry_id: str
    lang: str
    text: str
    norm: str
    office: bool = False
    voted: bool = False  # a 👍 under the bot's own answer taught it
    teachers: set[int] = field(default_factory=set)
    times_seen: int = 0

    @property
    def confirmed(self) -> bool:
        return self.office or self.voted or len(self.teachers) >= CONFIRMING_MEMBERS


class LearningBook:
    """The learned phrasings in memory, under the bot's rules (storage/faq_learned.py)."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self._entries = {entry.id: entry for entry in entries}
        self._phrasings: list[_Phrasing] = []

    def pick(self, member: int, entry_id: str, text: str, lang: str) -> bool:
        """A member picked `entry_id` among the choices; returns whether the matcher's view
        changed (a new phrasing, or one confirmed)."""
        if not teachable(text):
            return False
        return self._teach(member, entry_id, clean_text(text, limit=MAX_PHRASING_CHARS), lang)

    def vote(self, member: int, entry_id: str, text: str, lang: str) -> bool:
        """A member marked the direct answer `entry_id` to `text` helpful (confirmed at once,
        as `storage.faq_learned.settle` counts a 👍)."""
        if not teachable(text):
            return False
        phrasing = clean_text(text, limit=MAX_PHRASING_CHARS)
        return self._teach(member, entry_id, phrasing, lang, voted=True)

    def office(self, member: int, entry_id: str, text: str, lang: str) -> bool:
        """The office answered a member's handed-off question with `entry_id`."""
        phrasing = clean_text(text, limit=MAX_PHRASING_CHARS)
        return bool(normalise(phrasing)) and self._teach(
            member, entry_id, phrasing, lang, office=True
        )

    def _teach(
        self,
        member: int,
        entry_id: str,
        text: str,
        lang: str,
        *,
        office: bool = False,
        voted: bool = False,
    ) -> bool:
        entry = self._entries.get(entry_id)
        norm = normalise(text)
        phrasings = [p for ps in entry.questions.values() for p in ps] if entry else []
        if entry is None or lang not in LANGS or known_phrasing(norm, phrasings):
            return False
        candidates = [
            (i, p.norm)
            for i, p in enumerate(self._phrasings)
            if p.entry_id == entry_id and p.lang == lang
        ]
        same = find_same(norm, candidates)
        if same is None:
            self._phrasings.append(_Phrasing(entry_id, lang, text, norm))
            same = len(self._phrasings) - 1
            changed = True
        else:
            changed = False
        found = self._phrasings[same]
        was = found.confirmed
        found.teachers.add(member)
        found.times_seen += 1
        found.office = found.office or office
        found.voted = found.voted or voted
        return changed or found.confirmed != was

    def corroborate(
        self, confirmed: FaqEngine, member: int, entry_id: str, text: str, lang: str
    ) -> bool:
        """A member's pick confirms the phrasings that brought the entry (`corroborated`;
        `confirmed` matches with the confirmed phrasings only)."""
        candidates = [
            (p, p.text, p.lang)
            for p in self._phrasings
            if p.entry_id == entry_id and not p.confirmed and member not in p.teachers
        ]
        agreeing = corroborated(confirmed, entry_id, text, lang, candidates)
        for phrasing in agreeing:
            phrasing.teachers.add(member)
        return bool(agreeing)

    def learned(self) -> list[LearnedText]:
        return [
            LearnedText(p.entry_id, p.lang, p.text, p.confirmed, p.times_seen)
            for p in self._phrasings
        ]

    def summary(self) -> dict[str, int]:
        return {
            "phrasings": len(self._phrasings),
            "confirmed": sum(1 for p in self._phrasings if p.confirmed),
            "by_office": sum(1 for p in self._phrasings if p.office),
            "by_votes": sum(1 for p in self._phrasings if p.voted and not p.office),
            "confirmed_by_members": sum(
                1 for p in self._phrasings if p.confirmed and not (p.office or p.voted)
            ),
        }


def simulate(
    entries: Sequence[FaqEntry],
    learn_questions: Sequence[Question],
    test_questions: Sequence[Question],
    *,
    misses_reach_office: bool = True,
    helpful_votes: float = 0.0,
) -> dict[str, Any]:
    """Learn from `learn_questions` as the bot would (module doc), then measure
    `test_questions`. Returns the metrics of `evaluation.evaluate` after learning, with
    `without_learning` (the same set before), `all_taught` (every in-scope question of A
    taught, confirmed) and `learning` (what happened in A).

    `misses_reach_office` False: only questions the bot itself hands off reach the office
    (not "none of these" under choices, nor 👎 and "ask the office" under a wrong answer).
    `helpful_votes`: the share of right answers whose member presses 👍 (spread evenly).
    """
    plain = LearningMatcher(entries)
    before, _ = evaluate(plain.match, test_questions)
    book = LearningBook(entries)
    matcher = plain
    known = {entry.id for entry in entries}
    events = {
        "answered": 0,
        "voted": 0,
        "picked": 0,
        "office": 0,
        "not_taught": 0,
        "out_of_scope": 0,
    }
    for member, question in enumerate(learn_questions, start=1):
        if question.expect is None or question.expect not in known:
            events["out_of_scope"] += 1
            continue
        lang = question.lang if question.lang in LANGS else question_language(question.text, "de")
        decision = matcher.match(question.text, lang)
        if decision.kind == "answer" and decision.entry_ids[0] == question.expect:
            events["answered"] += 1
            if int(events["answered"] * helpful_votes) == int(
                (events["answered"] - 1) * helpful_votes
            ):
                continue
            events["voted"] += 1
            changed = book.vote(member, question.expect, question.text, lang)
        elif decision.kind == "choices" and question.expect in decision.entry_ids:
            events["picked"] += 1
            changed = book.corroborate(matcher.engine, member, question.expect, question.text, lang)
            changed = book.pick(member, question.expect, question.text, lang) or changed
        elif decision.kind == "handoff" or misses_reach_office:
            events["office"] += 1
            changed = book.office(member, question.expect, question.text, lang)
        else:
            events["not_taught"] += 1
            continue
        if changed:
            matcher = LearningMatcher(entries, book.learned())  # used at once, as in the bot
    after, _ = evaluate(matcher.match, test_questions)
    return {
        **after,
        "without_learning": before,
        "all_taught": _all_taught(entries, learn_questions, test_questions),
        "learning": {
            "questions": len(learn_questions),
            **events,
            **book.summary(),
            "misses_reach_office": misses_reach_office,
            "helpful_votes": helpful_votes,
        },
    }


def _all_taught(
    entries: Sequence[FaqEntry],
    learn_questions: Sequence[Question],
    test_questions: Sequence[Question],
) -> dict[str, Any]:
    """The metrics on `test_questions` had every in-scope question of A become a confirmed
    phrasing of its entry."""
    known = {entry.id for entry in entries}
    taught = [
        LearnedText(
            q.expect, q.lang if q.lang in LANGS else question_language(q.text, "de"), q.text, True
        )
        for q in learn_questions
        if q.expect in known
    ]
    metrics, _ = evaluate(LearningMatcher(entries, taught).match, test_questions)
    return metrics
