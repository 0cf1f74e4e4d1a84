"""FAQ matching: an inverted index over stems and concepts, scored by query coverage.

A question is answered directly only when one entry covers most of what was asked and
clearly beats the runner-up; a wrong direct answer costs more than a hand-off, so
uncertain cases become choices and unrelated ones go to the office.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.textmatch import Analyzer, Slot, is_concept
from handlers.faq.kb_format import LANGS, FaqEntry

# Field weights: where a term occurs says how much it tells about the entry.
PHRASING_WEIGHT = 1.0
TAG_WEIGHT = 0.9
ANSWER_WEIGHT = 0.5
# Answers use many words in passing; a synonym found only there is weak evidence.
ANSWER_CONCEPT_WEIGHT = 0.3
# Credit for matching through a synonym or a corrected typo instead of the word itself.
CONCEPT_CREDIT = 0.85
FUZZY_CREDIT = 0.9
PART_CREDIT = 0.5
# A word the knowledge base and thesaurus have never seen weighs this share of the rarest
# known word: unknown words mostly mean the question is about something else.
UNKNOWN_WEIGHT = 1.2
# Share of the score taken from how much of the best phrasing the question covers.
REVERSE_SHARE = 0.45
# A clause of a multi-clause message is scored on its own at this discount.
CLAUSE_DISCOUNT = 0.7
MIN_CLAUSE_SLOTS = 2
# Decision thresholds on the final score (0..1), calibrated on the development set.
ANSWER_MIN_SCORE = 0.42
ANSWER_MIN_MARGIN = 0.12
CHOICE_MIN_SCORE = 0.25
CHOICE_SPREAD = 0.25
MAX_CHOICES = 3
# Candidate generation: only this many entries get the full scoring.
SHORTLIST = 40
SHORTLIST_DF_SHARE = 0.05
SHORTLIST_MIN_DF_CAP = 200

Kind = Literal["answer", "choices", "handoff"]


@dataclass(frozen=True)
class FaqDecision:
    """What to do with a message: answer one entry, offer choices, or hand off."""

    kind: Kind
    entry_ids: tuple[str, ...]
    scores: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class _Phrasing:
    # (weight, stems of the whole slot, concepts of the whole slot, keys of its parts)
    slots: tuple[tuple[float, frozenset[str], frozenset[str], frozenset[str]], ...]
    total: float


@dataclass(frozen=True, slots=True)
class Ranked:
    """An entry with its score and the features it came from (for evaluation and tuning)."""

    entry_id: str
    score: float
    coverage: float
    reverse: float


def _slot_keys(slot: Slot) -> set[str]:
    keys = set(slot.keys)
    for part in slot.parts:
        keys |= _slot_keys(part)
    return keys


class FaqEngine:
    """Index a knowledge base once; `match` a member's message against it."""

    def __init__(self, entries: Sequence[FaqEntry], analyzer: Analyzer | None = None) -> None:
        self._entries = tuple(entries)
        self._analyzer = analyzer or Analyzer(_texts(self._entries))
        self._weights: list[dict[str, float]] = []
        self._phrasings: list[tuple[_Phrasing, ...]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        analyzed: list[list[tuple[str, list[Slot]]]] = []
        for index, entry in enumerate(self._entries):
            weights: dict[str, float] = {}
            phrasing_slots: list[tuple[str, list[Slot]]] = []
            for lang, phrasings in entry.questions.items():
                for text in phrasings:
                    slots = self._analyzer.slots(text, lang)
                    phrasing_slots.append((lang, slots))
                    _add(weights, (k for s in slots for k in _slot_keys(s)), PHRASING_WEIGHT)
            for tag in entry.tags:
                for lang in LANGS:
                    _add(weights, self._analyzer.terms(tag, lang), TAG_WEIGHT)
            for lang, answer in entry.answers.items():
                terms = self._analyzer.terms(answer, lang)
                _add(weights, (t for t in terms if not is_concept(t)), ANSWER_WEIGHT)
                _add(weights, (t for t in terms if is_concept(t)), ANSWER_CONCEPT_WEIGHT)
            for term in weights:
                postings[term].append(index)
            self._weights.append(weights)
            analyzed.append(phrasing_slots)
        self._postings = {t: tuple(p) for t, p in postings.items()}
        n = len(self._entries)
        self._idf = {t: _idf(len(p), n) for t, p in self._postings.items()}
        self._unknown = UNKNOWN_WEIGHT * _idf(1, n)
        for phrasing_slots in analyzed:
            prepared = []
            for _lang, slots in phrasing_slots:
                weighted = tuple(
                    (
                        self._slot_weight(s),
                        frozenset(k for k in s.keys if not is_concept(k)),
                        frozenset(k for k in s.keys if is_concept(k)),
                        frozenset(_slot_keys(s)),
                    )
                    for s in slots
                )
                prepared.append(_Phrasing(weighted, sum(w[0] for w in weighted) or 1.0))
            self._phrasings.append(tuple(prepared))

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer built from this knowledge base (shared vocabulary)."""
        return self._analyzer

    def match(self, text: str, lang: str | None = None) -> FaqDecision:
        """Decide between a direct answer, up to three choices and a hand-off."""
        ranked = self.rank(text, lang)
        if not ranked:
            return FaqDecision("handoff", (), ())
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if best.score >= ANSWER_MIN_SCORE and best.score - runner_up >= ANSWER_MIN_MARGIN:
            return FaqDecision("answer", (best.entry_id,), (round(best.score, 4),))
        if best.score >= CHOICE_MIN_SCORE:
            floor = max(CHOICE_MIN_SCORE, best.score - CHOICE_SPREAD)
            picked = [r for r in ranked[:MAX_CHOICES] if r.score >= floor]
            return FaqDecision(
                "choices",
                tuple(r.entry_id for r in picked),
                tuple(round(r.score, 4) for r in picked),
            )
        return FaqDecision("handoff", (), ())

    def rank(self, text: str, lang: str | None = None, limit: int = 5) -> list[Ranked]:
        """Best entries for a message with their scores, best first."""
        slots = self._analyzer.slots(text, lang)
        if not slots:
            return []
        weights = [self._slot_weight(s) for s in slots]
        total = sum(weights)
        if total <= 0:
            return []
        query_keys: set[str] = set()
        for slot in slots:
            query_keys |= _slot_keys(slot)
        probes = [self._probe(s) for s in slots]
        clauses = _clauses(slots, weights)
        ranked: list[Ranked] = []
        for index in self._shortlist(query_keys):
            entry_weights = self._weights[index]
            scores = [_slot_score(p, entry_weights) for p in probes]
            coverage = sum(w * x for w, x in zip(weights, scores, strict=True)) / total
            for members, clause_total in clauses:
                # Long messages carry context ("we moved last month") around the actual
                # request; a clause that alone is well covered counts, discounted.
                clause_cover = sum(weights[i] * scores[i] for i in members) / clause_total
                coverage = max(coverage, CLAUSE_DISCOUNT * clause_cover)
            reverse = max((_reverse(p, query_keys) for p in self._phrasings[index]), default=0.0)
            score = (1 - REVERSE_SHARE) * coverage + REVERSE_SHARE * reverse * coverage
            ranked.append(Ranked(self._entries[index].id, score, coverage, reverse))
        ranked.sort(key=lambda r: r.score, reverse=True)
        return ranked[:limit]

    def _probe(self, slot: Slot) -> _Probe:
        fuzzy = FUZZY_CREDIT if slot.fuzzy else 1.0
        keys = tuple((k, fuzzy * (CONCEPT_CREDIT if is_concept(k) else 1.0)) for k in slot.keys)
        parts = tuple(self._probe(p) for p in slot.parts)
        return _Probe(keys, parts, slot.head_weight)

    def _shortlist(self, keys: Iterable[str]) -> list[int]:
        """Entries sharing the most specific query terms; full scoring only sees these."""
        known = sorted((k for k in keys if k in self._postings), key=lambda k: self._idf[k])
        known.reverse()
        # Terms in a large share of the KB cannot single anything out, and walking their
        # postings would dominate the query time; the rarest two are always used.
        cap = max(SHORTLIST_MIN_DF_CAP, int(SHORTLIST_DF_SHARE * len(self._entries)))
        partial: dict[int, float] = defaultdict(float)
        for rank, key in enumerate(known):
            postings = self._postings[key]
            if rank >= 2 and len(postings) > cap:
                break
            idf = self._idf[key]
            for index in postings:
                partial[index] += idf
        return heapq.nlargest(SHORTLIST, partial, key=partial.__getitem__)

    def _slot_weight(self, slot: Slot) -> float:
        return self._analyzer.weight(slot) * self._slot_idf(slot)

    def _slot_idf(self, slot: Slot) -> float:
        # A phrase or compound is as specific as its words: "membership fee" must not
        # weigh only as much as the broad concept "fee" it belongs to.
        known = [self._idf[k] for k in slot.keys if k in self._idf]
        parts = sum(self._slot_idf(p) for p in slot.parts) / len(slot.parts) if slot.parts else 0
        if not (known or parts):
            return self._unknown
        weight = max([*known, parts])
        if slot.keys and not is_concept(slot.keys[0]) and slot.keys[0] not in self._idf:
            # A word no entry uses, linked only through a broad concept ("Auto" ->
            # transport), must not weigh less than a word nobody knows.
            weight = max(weight, self._unknown)
        return weight


@dataclass(frozen=True, slots=True)
class _Probe:
    """A query slot ready for scoring: each key with the credit a match on it earns."""

    keys: tuple[tuple[str, float], ...]
    parts: tuple[_Probe, ...]
    head_weight: float


def _slot_score(probe: _Probe, weights: dict[str, float]) -> float:
    whole = 0.0
    for key, credit in probe.keys:
        whole = max(whole, weights.get(key, 0.0) * credit)
    if not probe.parts:
        return whole
    scores = [_slot_score(p, weights) for p in probe.parts]
    if len(scores) == 1:
        parts = scores[0] * probe.head_weight
    else:
        head = scores[-1]
        rest = sum(scores[:-1]) / (len(scores) - 1)
        parts = probe.head_weight * head + (1 - probe.head_weight) * rest
    return max(whole, parts)


def _clauses(slots: Sequence[Slot], weights: Sequence[float]) -> list[tuple[list[int], float]]:
    """Slot indices and total weight of each clause with enough content to stand alone."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, slot in enumerate(slots):
        groups[slot.clause].append(i)
    if len(groups) < 2:
        return []
    result = []
    for members in groups.values():
        total = sum(weights[i] for i in members)
        if len(members) >= MIN_CLAUSE_SLOTS and total > 0:
            result.append((members, total))
    return result


def _reverse(phrasing: _Phrasing, query_keys: set[str]) -> float:
    """Share of a phrasing the query covers; a compound met only by a part counts half."""
    covered = 0.0
    for weight, stems, concepts, every in phrasing.slots:
        if stems & query_keys:
            covered += weight
        elif concepts & query_keys:
            covered += CONCEPT_CREDIT * weight
        elif every & query_keys:
            covered += PART_CREDIT * weight
    return covered / phrasing.total


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _add(weights: dict[str, float], terms: Iterable[str], weight: float) -> None:
    for term in terms:
        if weights.get(term, 0.0) < weight:
            weights[term] = weight


def _texts(entries: Sequence[FaqEntry]) -> list[str]:
    texts: list[str] = []
    for entry in entries:
        texts.extend(entry.tags)
        for phrasings in entry.questions.values():
            texts.extend(phrasings)
        texts.extend(entry.answers.values())
    return texts
