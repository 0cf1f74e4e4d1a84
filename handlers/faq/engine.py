"""FAQ matching: scores entries by how much of a message they cover, then decides.

A question is answered directly only when one entry covers most of what was asked and
clearly beats the runner-up; a wrong direct answer costs more than a hand-off, so
uncertain cases become choices and unrelated ones go to the office.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Literal, NamedTuple

from bot.textmatch import Analyzer, Slot, is_concept
from bot.textmatch.links import is_link
from bot.textmatch.sentences import asking_part, introduces_only
from handlers.faq.index import (
    ANSWER_WEIGHT,
    MODIFIER_CREDIT,
    EntryReader,
    FaqIndex,
    Phrasing,
    slot_keys,
)
from handlers.faq.kb_format import FaqEntry
from handlers.faq.second_reading import SecondReading

# Credit for matching through a synonym or a corrected typo instead of the word itself.
CONCEPT_CREDIT = 0.85
# Credit for matching through a general resource (a synonym or translation of an entry's
# word): dictionaries list every sense of a word, so such a link is weaker evidence.
LINK_CREDIT = 0.7
FUZZY_CREDIT = 0.9
# Credit in the reverse direction for a phrasing slot met only by a compound part.
PART_CREDIT = 0.5
# Share of the score taken from how much of the best phrasing the question covers.
REVERSE_SHARE = 0.45
# A clause of a multi-clause message is scored on its own at this discount.
CLAUSE_DISCOUNT = 0.7
MIN_CLAUSE_SLOTS = 2
# The asking sentences of a message are read on their own (`focus`) when they hold this
# many slots and the entry they rank first is among this many the whole message ranks first.
FOCUS_MIN_SLOTS = 2
FOCUS_AMONG = 5
# An entry that covers less of the asking sentences than this answers the context, not the
# question: it is offered, not answered (neutral on every question set; the one case found,
# in a walkthrough, had 0.09: a weak date word).
UNASKED_MAX_COVERAGE = 0.25
# Decision thresholds on the final score (0..1), calibrated on each half of the development
# set and checked on the other half and on an independently written question set; values are
# taken from the middle of the range where no half gets more wrong answers, not at its edge.
ANSWER_MIN_SCORE = 0.42
ANSWER_MIN_MARGIN = 0.085
CHOICE_MIN_SCORE = 0.30
CHOICE_SPREAD = 0.25
MAX_CHOICES = 3
# Once choices are offered, a runner-up within the spread is offered beside the best down to
# this share of the choice threshold: the member picks or says "none of these", no answer is
# given either way. (An absolute floor had cut the right entry from the choices for one
# question in eight on the hydrogen network's set, whose scores run lower: helpful +0.10
# there, +0.03 food, +0.01 REWIMET's development set; no answer or hand-off changes.)
RUNNER_UP_SHARE = 0.6
# Entries an assessment ranks: the choices and two more, whose scores the decision reads.
RANKED = MAX_CHOICES + 2
# A smaller margin (any lead) suffices when the best entry matches every part of the message
# at least as well as the runner-up and one part clearly better (siblings: sign-up/cancel).
DOMINANT_MIN_SCORE = 0.6
DOMINANT_MARGIN = 0.0
DOMINANT_GAP = 0.15
# A weaker match still answers when nothing else comes close: the runner-up scores at most
# this share of the best (a lone topic, e.g. training courses, asked in unusual words).
LONE_MIN_SCORE = 0.36
LONE_RATIO = 0.55
# A weaker match still offers choices when the knowledge base uses nearly every word of the
# message (at most this share of its weight is in words no entry uses): the member asks
# about something the entries talk about, in other words. A message about something else
# ("What's the wifi password at the venue?") has words of its own and goes to the office.
LOW_CHOICE_MIN_SCORE = 0.2
LOW_CHOICE_MAX_UNKNOWN = 0.2
# An unknown noun this long right before a matched word names a foreign object. (Everyday
# nouns are foreign objects too: "dog" is as common as "pro", so frequency cannot tell; an
# adjective, verb or adverb is not: "thematic groups", "falsche Anschrift". A German noun
# before a verb is its object or a time, not a modifier: "am Freitag angemeldet".)
FOREIGN_MIN_LENGTH = 3
# An entry suggested to the office for a handed-off question matches a word no such foreign
# noun modifies at least this well (half of matching it outright): "Darf ich meinen Hund zur
# Exkursion mitbringen?" shares only "Exkursion" with the excursions entry, and that is the
# dog's excursion (`_supported`).
OTHER_WORD_SCORE = 0.5
# Only this many candidate entries get the full scoring.
SHORTLIST = 40
# A hand-off names the engine's first entries from this score on (below it the ranking is
# noise) that share a word with the question it is not using about something else
# (`_supported`): the office is offered them to answer with, and the member sees them
# beside the hand-off ("perhaps one of these answers it already"). Chosen for the office's
# suggestions and not changed for the members: across the four labelled question sets the
# right entry is among them for 28 of the 49 in-scope questions the bot hands off; the 60
# out-of-scope ones get 117 suggestions (30 and 140 while such words counted). A higher floor
# (0.12, 0.15) or leaving out entries matched only in passing lost right ones on every set
# and little of the rest (session 35).
SUGGESTED = 3
SUGGEST_MIN_SCORE = 0.1

Kind = Literal["answer", "choices", "handoff"]


@dataclass(frozen=True)
class Thresholds:
    """Where the decision between answer, choices and hand-off falls (see `decide`).

    The defaults are the product's; `faq eval --folds` chooses them on folds instead, to
    show how much of a figure is owed to thresholds fitted on the same questions.
    """

    answer_min_score: float = ANSWER_MIN_SCORE
    answer_min_margin: float = ANSWER_MIN_MARGIN
    choice_min_score: float = CHOICE_MIN_SCORE
    lone_min_score: float = LONE_MIN_SCORE


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class FaqDecision:
    """What to do with a message: answer one entry, offer choices, or hand off (naming the
    entries suggested beside the hand-off, if any)."""

    kind: Kind
    entry_ids: tuple[str, ...]
    scores: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Ranked:
    """An entry with its score and the features it came from (for evaluation and tuning)."""

    entry_id: str
    score: float
    coverage: float
    reverse: float
    slot_scores: tuple[float, ...] = ()


class Reading(NamedTuple):
    """The slots a message is matched by (`FaqEngine.read`)."""

    slots: Sequence[Slot]
    # The entry the whole message ranks first when the asking sentences alone rank another
    # first ("Ich muss die Besichtigung absagen. Wie hoch ist die Gebühr dafür?"); else None.
    disputed: Ranked | None


@dataclass(frozen=True, slots=True)
class _Probe:
    """A query slot ready for scoring: each key with the credit a match on it earns."""

    keys: tuple[tuple[str, float], ...]
    parts: tuple[_Probe, ...]
    head_weight: float
    # the slot's concepts (not links): what sense its word is meant in
    senses: tuple[str, ...] = ()


class FaqEngine:
    """Index a knowledge base once; `match` a member's message against it."""

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        analyzer: Analyzer | None = None,
        *,
        glossary: Path | None = None,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
    ) -> None:
        """`glossary`: the network's glossary file (default: the bundled example); only
        used when no `analyzer` is given. `thresholds`: where `match` decides (the product
        passes the knowledge base's own, `calibration.calibrated`)."""
        self._index = FaqIndex(entries, analyzer, glossary=glossary)
        self._second = SecondReading(entries)
        self.thresholds = thresholds

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer built from this knowledge base (shared vocabulary)."""
        return self._index.analyzer

    def match(self, text: str, lang: str | None = None) -> FaqDecision:
        """Decide between a direct answer, up to three choices and a hand-off."""
        return self.assess(text, lang).decide(self.thresholds)

    def match_slots(self, slots: Sequence[Slot], lang: str | None = None) -> FaqDecision:
        """`match` on a message already analysed (`analyzer.slots`)."""
        return self.assess_slots(slots, lang).decide(self.thresholds)

    def assess(self, text: str, lang: str | None = None) -> Assessment:
        """What the decision is taken on: the best entries and whether the message is
        about something foreign (evaluation decides it again under other thresholds)."""
        reading = self.read(self._index.analyzer.slots(text, lang), lang, text)
        return self.assess_slots(reading.slots, lang, text=text, disputed=reading.disputed)

    def assess_slots(
        self,
        slots: Sequence[Slot],
        lang: str | None = None,
        *,
        text: str = "",
        disputed: Ranked | None = None,
    ) -> Assessment:
        """`assess` on a message already analysed (and `read`); with the message's `text`,
        whether the best entry answers what its asking sentences ask."""
        ranked = self._rank(slots, RANKED)
        foreign = bool(ranked) and self._foreign_modifier(slots, ranked[0], lang)
        unasked = bool(ranked) and bool(text) and self._misses_question(ranked[0], lang, text)
        # read only for a hand-off (it costs a sixth of the assessment)
        suggest = partial(self._suggested, slots, tuple(ranked), lang)
        # read only for choices
        second = partial(self._second.leads, text) if text else None
        return Assessment(
            tuple(ranked), foreign, self.unknown_share(slots), unasked, disputed, suggest, second
        )

    def _suggested(
        self,
        slots: Sequence[Slot],
        ranked: Sequence[Ranked],
        lang: str | None,
        besides: Collection[str] = (),
    ) -> tuple[Ranked, ...]:
        """The entries a hand-off names (`SUGGESTED`), best first, leaving out `besides`."""
        found = [
            r
            for r in ranked
            if r.score >= SUGGEST_MIN_SCORE
            and r.entry_id not in besides
            and self._supported(slots, r, lang)
        ]
        return tuple(found[:SUGGESTED])

    def _misses_question(self, best: Ranked, lang: str | None, text: str) -> bool:
        """True when the sentences that ask hold words of their own and the best entry
        covers next to none of them: "Streikt die Bahn nächste Woche? Ich will zum
        Innovationsforum." asks about the train, not the forum the context names."""
        part = asking_part(text)
        if part is None:
            return False
        slots = self._index.analyzer.slots(part, lang)
        query = self._query(slots) if len(slots) >= FOCUS_MIN_SLOTS else None
        if query is None:
            return False
        index = self._index
        entry = index.position(best.entry_id)
        coverage, _ = query.cover(index.term_weights(entry), index.modifier_weights(entry))
        return coverage < UNASKED_MAX_COVERAGE

    def rank(self, text: str, lang: str | None = None, limit: int = 5) -> list[Ranked]:
        """Best entries for a message with their scores, best first."""
        return self._rank(self._slots(text, lang), limit)

    def rank_slots(self, slots: Sequence[Slot], limit: int = 5) -> list[Ranked]:
        """`rank` on a message already analysed."""
        return self._rank(slots, limit)

    def focus(self, slots: Sequence[Slot], lang: str | None, text: str) -> Sequence[Slot]:
        """The slots of the sentences of `text` that ask, when the others only give context
        and the asking ones alone rank an entry higher ("Kurz zu uns: wir sind eine Käserei
        mit 12 Leuten. Wie werden wir Mitglied?"); else `slots`, the whole message's (a
        question that only points back, "Was nun?", ranks nothing higher)."""
        return self.read(slots, lang, text).slots

    def read(self, slots: Sequence[Slot], lang: str | None, text: str) -> Reading:
        """`focus`, and whether the asking sentences alone rank another entry first than
        the whole message: the two readings disagree ("Ich muss die Besichtigung absagen. Wie
        hoch ist die Gebühr dafür?" may ask about the fee of cancelling, not the fee)."""
        part = asking_part(text) if text else None
        if part is None:
            return Reading(slots, disputed=None)
        focused = self._index.analyzer.slots(part, lang)
        if len(focused) < FOCUS_MIN_SLOTS and not (focused and introduces_only(text)):
            # "Was tun?" points to what came before; not after who the writer is ("I'm a PhD
            # student at TU Clausthal, what is this network about?")
            return Reading(slots, disputed=None)
        best = self._rank(focused, 1)
        whole = self._rank(slots, FOCUS_AMONG)
        # The entry the question alone ranks first must be one the whole message ranks near
        # the top too: "Any ideas?" alone matches whatever mentions ideas.
        near_top = {ranked.entry_id for ranked in whole}
        if best and whole and best[0].score > whole[0].score and best[0].entry_id in near_top:
            other = whole[0] if best[0].entry_id != whole[0].entry_id else None
            return Reading(focused, disputed=other)
        return Reading(slots, disputed=None)

    def unknown_share(self, slots: Sequence[Slot]) -> float:
        """The share of a message's weight in words no entry uses (0 for an empty one)."""
        index = self._index
        weights = [index.slot_weight(slot) for slot in slots]
        total = sum(weights)
        if total <= 0:
            return 0.0
        unknown = sum(w for slot, w in zip(slots, weights, strict=True) if not index.uses(slot))
        return unknown / total

    def _slots(self, text: str, lang: str | None) -> Sequence[Slot]:
        return self.focus(self._index.analyzer.slots(text, lang), lang, text)

    def suggested(
        self, text: str, lang: str | None = None, besides: Collection[str] = ()
    ) -> tuple[Ranked, ...]:
        """The entries a hand-off of `text` names (`SUGGESTED`), best first, leaving out
        `besides` (what the member was shown and did not take): the office's suggestions, the
        same the member sees beside it."""
        slots = self._slots(text, lang)
        ranked = self._rank(slots, max(RANKED, SUGGESTED + len(besides)))
        return self._suggested(slots, ranked, lang, besides)

    def _supported(self, slots: Sequence[Slot], ranked: Ranked, lang: str | None) -> bool:
        """The entry matches a word no unknown noun modifies at least `OTHER_WORD_SCORE`."""
        modified = self._foreign_modified(slots, ranked, lang)
        return not modified or any(
            score >= OTHER_WORD_SCORE
            for i, score in enumerate(ranked.slot_scores)
            if i not in modified
        )

    def _foreign_modifier(self, slots: Sequence[Slot], best: Ranked, lang: str | None) -> bool:
        """An unknown noun directly before a word the best entry matched (same clause)."""
        return bool(self._foreign_modified(slots, best, lang))

    def _foreign_modified(self, slots: Sequence[Slot], best: Ranked, lang: str | None) -> set[int]:
        """The positions of the words `best` matched that an unknown noun directly before
        them (same clause) makes about something else."""
        index = self._index
        analyzer = index.analyzer
        language = lang if lang in ("de", "en") else "de"
        # Only the clause that carries the match: a long message has context elsewhere.
        covered: dict[int, float] = defaultdict(float)
        for slot, score in zip(slots, best.slot_scores, strict=True):
            covered[slot.clause] += index.slot_weight(slot) * score
        main = max(covered, key=covered.__getitem__, default=0)
        modified: set[int] = set()
        for i in range(len(slots) - 1):
            slot, following = slots[i], slots[i + 1]
            if (
                best.slot_scores[i] == 0.0
                and best.slot_scores[i + 1] > 0.0
                and slot.clause == main
                and following.clause == slot.clause
                and len(slot.text) >= FOREIGN_MIN_LENGTH
                and slot.text.isalpha()
                and not slot.concepts
                and not slot.parts
                and not slot.fuzzy
                and not analyzer.knows(slot.text, language)
                and not analyzer.is_no_noun(slot.text)
                and not (language == "de" and analyzer.is_no_noun(following.text))
            ):
                modified.add(i + 1)
        return modified

    def _rank(self, slots: Sequence[Slot], limit: int) -> list[Ranked]:
        query = self._query(slots)
        if query is None:
            return []
        index = self._index
        covered = [
            (*query.cover(index.term_weights(entry), index.modifier_weights(entry)), entry)
            for entry in index.shortlist(query.keys, SHORTLIST)
        ]
        return self._best(query, covered, limit, index.phrasings)

    def _query(self, slots: Sequence[Slot]) -> _Query | None:
        """A message's slots ready for scoring; None when nothing in it weighs."""
        index = self._index
        weights = [index.slot_weight(s) for s in slots]
        total = sum(weights)
        if total <= 0:
            return None
        query_keys: set[str] = set()
        for slot in slots:
            query_keys |= slot_keys(slot)
        probes = [_probe(s) for s in slots]
        return _Query(weights, total, query_keys, probes, _clauses(slots, weights))

    def _best(
        self,
        query: _Query,
        covered: list[tuple[float, list[float], int]],
        limit: int,
        phrasings: Callable[[int], Sequence[Phrasing]],
    ) -> list[Ranked]:
        """The `limit` best of the covered entries (coverage, slot scores, entry), with the
        reverse share taken from `phrasings`."""
        # The score never exceeds the coverage (the reverse share is at most 1): once the
        # coverage falls below the `limit`-th best score, no later entry can make the list.
        covered.sort(key=lambda c: c[0], reverse=True)
        ranked: list[Ranked] = []
        floor: list[float] = []  # the best `limit` scores so far, ascending
        for coverage, scores, entry in covered:
            if len(floor) == limit and coverage * (1 + 1e-9) < floor[0]:
                break
            found = self._ranked(query, entry, coverage, scores, phrasings(entry))
            ranked.append(found)
            bisect.insort(floor, found.score)
            if len(floor) > limit:
                floor.pop(0)
        # Ties in the order of the entry ids: the same message always gets the same choices.
        ranked.sort(key=lambda r: (-r.score, r.entry_id))
        return ranked[:limit]

    def _ranked(
        self,
        query: _Query,
        entry: int,
        coverage: float,
        scores: list[float],
        phrasings: Sequence[Phrasing],
    ) -> Ranked:
        """An entry's score from its coverage and its best phrasing's reverse share."""
        reverse = max((_reverse(p, query.keys) for p in phrasings), default=0.0)
        score = (1 - REVERSE_SHARE) * coverage + REVERSE_SHARE * reverse * coverage
        return Ranked(self._index.ids[entry], score, coverage, reverse, tuple(scores))


@dataclass(frozen=True, slots=True)
class _Query:
    """A message ready for scoring: slot weights, all keys, probes and clauses."""

    weights: list[float]
    total: float
    keys: set[str]
    probes: list[_Probe]
    clauses: list[tuple[list[int], float]]

    def bound(self, hit: Sequence[int]) -> float:
        """The most an entry can cover of the message when it matches only the slots at
        the positions `hit` (a slot scores at most 1)."""
        weights = self.weights
        best = sum(weights[i] for i in hit) / self.total
        if self.clauses:
            within = set(hit)
            for members, clause_total in self.clauses:
                clause_cover = sum(weights[i] for i in members if i in within) / clause_total
                best = max(best, CLAUSE_DISCOUNT * clause_cover)
        return best

    def cover(
        self, term_weights: dict[str, float], modifiers: dict[str, float]
    ) -> tuple[float, list[float]]:
        """How much of the message an entry covers, and how well it covers each slot."""
        weights = self.weights
        scores = [_slot_score(p, term_weights, modifiers) for p in self.probes]
        coverage = sum(w * x for w, x in zip(weights, scores, strict=True)) / self.total
        for members, clause_total in self.clauses:
            # Long messages carry context ("we moved last month") around the actual
            # request; a clause that alone is well covered counts, discounted.
            clause_cover = sum(weights[i] * scores[i] for i in members) / clause_total
            coverage = max(coverage, CLAUSE_DISCOUNT * clause_cover)
        return coverage, scores


class Extension:
    """More phrasings for a few entries of an engine, scored without building another one.

    What the engine would rank if those entries had the phrasings: the entries' terms and
    phrasings are read again (with the engine's analyzer and its term rarities). An entry
    scores differently only for a message using a term whose weight the phrasings changed or
    a term of a new phrasing; every other entry keeps the engine's score. The phrasings only
    add, so an entry scores at least what it did: the best with the extension are the best
    of the engine's ranking and of the entries the message's terms changed (`assess_slots`).
    """

    def __init__(self, engine: FaqEngine, entries: Sequence[FaqEntry]) -> None:
        self._engine: FaqEngine | None = engine
        index = engine._index
        position = {entry_id: i for i, entry_id in enumerate(index.ids)}
        reader = EntryReader(index.analyzer)
        self._weights: dict[int, dict[str, float]] = {}
        self._modifiers: dict[int, dict[str, float]] = {}
        self._phrasings: dict[int, tuple[Phrasing, ...]] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        changes: dict[str, list[int]] = defaultdict(list)
        for entry in entries:
            i = position.get(entry.id)
            if i is None or i in self._weights:
                continue
            weights, modifiers, phrasing_slots, _taught = reader.read(entry)
            phrasings = tuple(index.phrasing(slots) for slots in phrasing_slots)
            self._weights[i], self._modifiers[i], self._phrasings[i] = (
                weights,
                modifiers,
                phrasings,
            )
            for term in weights:
                postings[term].append(i)
            for term in _changed(index, i, weights, modifiers, phrasings):
                changes[term].append(i)
        self._postings = dict(postings)
        self._changes = dict(changes)

    def __getstate__(self) -> dict[str, object]:
        # Stored apart from its engine (`index_cache`), which is stored on its own.
        state = dict(self.__dict__)
        state["_engine"] = None
        return state

    def bind(self, engine: FaqEngine) -> None:
        """Extend `engine` (an extension read from disk is stored without its engine)."""
        self._engine = engine

    def assess_slots(self, slots: Sequence[Slot], lang: str | None, base: Assessment) -> Assessment:
        """The engine's `assess_slots` with the extension; `base` is the engine's own."""
        engine = self._engine
        if engine is None:
            raise RuntimeError("an extension read from disk is used before `bind`")
        query = engine._query(slots)
        if query is None:
            return base
        changed: set[int] = set()
        for key in query.keys:
            changed.update(self._changes.get(key, ()))
        if not changed:
            return base
        # The slots of the message each changed entry shares a key with: it covers none of
        # the others (and none better than fully), which bounds its score.
        hits: dict[int, list[int]] = {i: [] for i in changed}
        for position, slot in enumerate(slots):
            sharing: set[int] = set()
            for key in slot_keys(slot):
                sharing.update(self._postings.get(key, ()))
            for i in sharing & changed:
                hits[i].append(position)
        ids = engine._index.ids
        rescored = {ids[i] for i in changed}
        others = [r for r in base.ranked if r.entry_id not in rescored]
        # Scored while one could still enter the best (equal bounds in the entries' order).
        floor = sorted(r.score for r in others)[-RANKED:]
        extended: list[Ranked] = []
        for bound, i in sorted((-query.bound(members), i) for i, members in hits.items()):
            if len(floor) == RANKED and -bound * (1 + 1e-9) < floor[0]:
                break
            coverage, scores = query.cover(self._weights[i], self._modifiers[i])
            found = engine._ranked(query, i, coverage, scores, self._phrasings[i])
            extended.append(found)
            bisect.insort(floor, found.score)
            if len(floor) > RANKED:
                floor.pop(0)
        ranked = sorted([*others, *extended], key=lambda r: (-r.score, r.entry_id))[:RANKED]
        if not ranked:
            return base
        foreign = engine._foreign_modifier(slots, ranked[0], lang)
        # `unasked`, the suggestions and the second reading are the engine's: the extension's
        # phrasings are not confirmed and only ever bring an entry among the choices
        # (`learned.py`).
        return replace(base, ranked=tuple(ranked), foreign=foreign)


def _changed(
    index: FaqIndex,
    entry: int,
    weights: dict[str, float],
    modifiers: dict[str, float],
    phrasings: Sequence[Phrasing],
) -> set[str]:
    """The terms on which an extended entry differs from the indexed one: a weight or a
    modifier weight changed, or a new phrasing has the term (its reverse share may change)."""
    own, own_modifiers = index.term_weights(entry), index.modifier_weights(entry)
    changed = {term for term, weight in weights.items() if own.get(term) != weight}
    changed.update(
        term
        for term in modifiers.keys() | own_modifiers.keys()
        if modifiers.get(term) != own_modifiers.get(term)
    )
    known = set(index.phrasings(entry))
    for phrasing in phrasings:
        if phrasing not in known:
            changed.update(key for slot in phrasing.slots for key in slot.keys)
    return changed


@dataclass(frozen=True, slots=True)
class Assessment:
    """The ranked entries for a message and whether an unknown word modifies the match."""

    ranked: tuple[Ranked, ...]
    foreign: bool
    unknown_share: float = 1.0
    # The best entry covers next to nothing of the sentences that ask (`_misses_question`).
    unasked: bool = False
    # The entry the whole message ranks first, when the asking sentences alone rank another
    # first (`read`): the two readings disagree.
    disputed: Ranked | None = None
    # What a hand-off names (`FaqEngine._suggested`), read when one is decided.
    suggest: Callable[[], tuple[Ranked, ...]] | None = None
    # Whether the plain reading of the message ranks an entry clearly first
    # (`SecondReading.leads`), read when choices are decided.
    second_leads: Callable[[str], bool] | None = None

    def decide(self, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> FaqDecision:
        """Answer, choices or hand-off under `thresholds`; a hand-off names the entries
        suggested beside it (`SUGGESTED`), if any."""
        decision = self._decided(thresholds)
        suggested = self.suggest() if decision.kind == "handoff" and self.suggest else ()
        if not suggested:
            return decision
        return FaqDecision(
            "handoff",
            tuple(r.entry_id for r in suggested),
            tuple(round(r.score, 4) for r in suggested),
        )

    def _decided(self, thresholds: Thresholds) -> FaqDecision:
        decision = decide(self.ranked, thresholds)
        guarded = decision.kind != "handoff" and (
            self.foreign
            or self.unasked
            or self.disputed
            or _in_passing(self.ranked[0])
            or _by_links_only(self.ranked[0])
        )
        if decision.kind == "answer" and guarded:
            # "my gym membership", "the Amazon newsletter": the matched words are about
            # something the knowledge base never mentions; or they are only the context of
            # what is asked; or the question and the whole message point to different
            # entries: offer, do not answer.
            return self._offered(_as_choices(self.ranked, thresholds))
        if decision.kind == "choices" and not guarded and self._agreed(decision.entry_ids[0]):
            # Two readings that go wrong in different ways agree (`second_reading`).
            return FaqDecision("answer", decision.entry_ids[:1], decision.scores[:1])
        if (
            decision.kind == "handoff"
            and self.ranked
            and self.ranked[0].score >= LOW_CHOICE_MIN_SCORE
            and self.unknown_share <= LOW_CHOICE_MAX_UNKNOWN
        ):
            return self._offered(_as_choices(self.ranked, thresholds, LOW_CHOICE_MIN_SCORE))
        return self._offered(decision)

    def _agreed(self, entry_id: str) -> bool:
        """The plain reading ranks the engine's first choice clearly first too, and the
        message's words are nearly all the knowledge base's (as for `LOW_CHOICE_MIN_SCORE`:
        BM25 does not weigh the words no entry uses)."""
        return (
            self.second_leads is not None
            and self.unknown_share <= LOW_CHOICE_MAX_UNKNOWN
            and self.second_leads(entry_id)
        )

    def _offered(self, decision: FaqDecision) -> FaqDecision:
        """Choices of disputed readings offer what the whole message points to as well ("…
        can't make it to the Hydrogen Day. Will I still be charged?": the fee, and cancelling)."""
        other = self.disputed
        if decision.kind != "choices" or other is None or other.entry_id in decision.entry_ids:
            return decision
        kept = MAX_CHOICES - 1
        return FaqDecision(
            "choices",
            (*decision.entry_ids[:kept], other.entry_id),
            (*decision.scores[:kept], round(other.score, 4)),
        )

    def alternatives(
        self, rejected: Collection[str], thresholds: Thresholds = DEFAULT_THRESHOLDS
    ) -> FaqDecision:
        """The choices the message would be offered beside the entries `rejected` (answers
        the member found not helpful): the ranking's others within the choices' spread of
        its best and above the choice threshold, at most `MAX_CHOICES`; a hand-off when
        none is left."""
        if not self.ranked:
            return FaqDecision("handoff", (), ())
        floor = max(thresholds.choice_min_score, self.ranked[0].score - CHOICE_SPREAD)
        others = [r for r in self.ranked if r.entry_id not in rejected and r.score >= floor]
        return _choices(others[:MAX_CHOICES])


def _choice_floor(ranked: Sequence[Ranked], least: float) -> float:
    """The least score a runner-up is offered among the choices with (`ranked` best first,
    the best offered at `least`)."""
    return max(least * RUNNER_UP_SHARE, ranked[0].score - CHOICE_SPREAD)


def _choices(picked: Sequence[Ranked]) -> FaqDecision:
    if not picked:
        return FaqDecision("handoff", (), ())
    return FaqDecision(
        "choices", tuple(r.entry_id for r in picked), tuple(round(r.score, 4) for r in picked)
    )


def _as_choices(
    ranked: Sequence[Ranked],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    least: float | None = None,
) -> FaqDecision:
    floor = _choice_floor(ranked, thresholds.choice_min_score if least is None else least)
    return _choices([r for r in ranked[:MAX_CHOICES] if r.score >= floor] or [ranked[0]])


def decide(ranked: Sequence[Ranked], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> FaqDecision:
    """The decision on entries ranked best first: answer, choices or hand-off."""
    if not ranked:
        return FaqDecision("handoff", (), ())
    t = thresholds
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score >= t.answer_min_score and best.score - runner_up >= t.answer_min_margin:
        return FaqDecision("answer", (best.entry_id,), (round(best.score, 4),))
    if (
        len(ranked) > 1
        and best.score >= DOMINANT_MIN_SCORE
        and best.score - runner_up >= DOMINANT_MARGIN
        and _dominates(best.slot_scores, ranked[1].slot_scores)
    ):
        return FaqDecision("answer", (best.entry_id,), (round(best.score, 4),))
    if best.score >= t.lone_min_score and runner_up <= LONE_RATIO * best.score:
        return FaqDecision("answer", (best.entry_id,), (round(best.score, 4),))
    if best.score >= t.choice_min_score:
        floor = _choice_floor(ranked, t.choice_min_score)
        return _choices([r for r in ranked[:MAX_CHOICES] if r.score >= floor])
    return FaqDecision("handoff", (), ())


def _in_passing(best: Ranked) -> bool:
    """No word of the message is one the entry is about (its questions, its tags): each is
    at most mentioned in passing in its answer ("wer ist im Vorstand?" and an answer saying
    the board decides on admission)."""
    return bool(best.slot_scores) and max(best.slot_scores) <= ANSWER_WEIGHT


def _by_links_only(best: Ranked) -> bool:
    """A message of one word that the entry meets only through a dictionary's sense of it:
    "where exactly is it?" and a profile entry's "details" ("exactly" ~ "genau" ~ "details").
    (Neutral on every labelled set; for messages of several words such links are how
    translations meet, and answers were lost: food and hydrogen accuracy -0.013 each.)"""
    return len(best.slot_scores) == 1 and best.slot_scores[0] <= LINK_CREDIT


def _dominates(best: tuple[float, ...], other: tuple[float, ...]) -> bool:
    """The best entry matches every slot at least as well, and one clearly better."""
    return all(b >= o for b, o in zip(best, other, strict=True)) and any(
        b - o >= DOMINANT_GAP for b, o in zip(best, other, strict=True)
    )


def _probe(slot: Slot) -> _Probe:
    fuzzy = FUZZY_CREDIT if slot.fuzzy else 1.0
    keys = tuple((k, fuzzy * _credit(k)) for k in slot.keys)
    senses = tuple(k for k in slot.keys if is_concept(k) and not is_link(k))
    return _Probe(keys, tuple(_probe(p) for p in slot.parts), slot.head_weight, senses)


def _credit(key: str) -> float:
    if is_link(key):
        return LINK_CREDIT
    return CONCEPT_CREDIT if is_concept(key) else 1.0


def _slot_score(
    probe: _Probe, weights: dict[str, float], modifiers: dict[str, float] | None = None
) -> float:
    """How well an entry covers a query slot.

    `modifiers` lowers a word the entry uses only to modify a compound or phrase
    ("company" of "company visit"); it applies to the query's whole words and heads, not
    to the query's own modifiers, which meet the entry's at full weight ("working group").
    A word whose sense (its concepts) the entry has none of is the entry's in another sense,
    inside a phrase of its own ("the board" and a "job board"): its word counts as a
    modifier's does.
    """
    whole = 0.0
    other_sense = bool(probe.senses) and not any(key in weights for key in probe.senses)
    for key, credit in probe.keys:
        weight = modifiers.get(key) if modifiers is not None else None
        if weight is None:
            weight = weights.get(key, 0.0)
        if other_sense and not is_concept(key):
            credit *= MODIFIER_CREDIT
        whole = max(whole, weight * credit)
    if not probe.parts:
        return whole
    last = len(probe.parts) - 1
    scores = [
        _slot_score(p, weights, modifiers if i == last else None) for i, p in enumerate(probe.parts)
    ]
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


def _reverse(phrasing: Phrasing, query_keys: set[str]) -> float:
    """Share of a phrasing the query covers; a compound met only by a part counts less."""
    covered = 0.0
    disjoint = query_keys.isdisjoint
    for slot in phrasing.slots:
        if not disjoint(slot.stems):
            covered += slot.weight
        elif not disjoint(slot.concepts):
            covered += CONCEPT_CREDIT * slot.weight
        elif not disjoint(slot.keys):
            covered += PART_CREDIT * slot.weight
    return covered / phrasing.total
