"""Inverted index of a FAQ knowledge base: weighted terms per entry, postings and IDF."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bot.textmatch import Analyzer, Slot, is_concept
from bot.textmatch.analyzer import FUNCTION_WORD_ZIPF
from bot.textmatch.index_cache import by_fields
from handlers.faq.kb_format import LANGS, FaqEntry

# Field weights: where a term occurs says how much it tells about the entry.
PHRASING_WEIGHT = 1.0
TAG_WEIGHT = 0.9
ANSWER_WEIGHT = 0.5
# A phrasing members taught (handlers/faq/learned.py) is a whole question, context and all:
# its words say about as much about the entry as the answer's do. At full weight, learning
# from one half of a question set lowered accuracy on the other (a taught "Ticket ... für
# Nichtmitglieder" on the conference fee pulled in other fee questions); at this weight it
# never did, and the same questions asked again were answered more often (REWIMET dev 0.79
# -> 0.81, FoodCircle 0.76 -> 0.79, wrong answers halved). The whole phrasing still counts
# fully where it is met again (the reverse share, an exact repeat).
LEARNED_WEIGHT = ANSWER_WEIGHT
# A word the entry uses only as the modifier of a compound or phrase ("company" of
# "company visit") earns this share when a question uses it alone. Accuracy was flat
# from 0.4 to 0.7 on both halves of the development set; 0.5 matches the engine's credit
# for a phrasing compound met only by a part.
MODIFIER_CREDIT = 0.5
# Answers use many words in passing; a synonym found only there is weak evidence.
ANSWER_CONCEPT_WEIGHT = 0.3
# A word the knowledge base and thesaurus have never seen weighs this much relative to
# the rarest known word: unknown words mostly mean the question is about something else.
UNKNOWN_WEIGHT = 1.2
# Specificity over entries counts each entry by (field weight) ** DF_POWER: a word in one
# entry's phrasings and only in passing in other entries' answers still singles it out.
DF_POWER = 2.0
# Candidate generation: terms found in more than this share of the entries are scored but
# not walked (their postings would dominate the query time and single nothing out).
SHORTLIST_DF_SHARE = 0.05
SHORTLIST_MIN_DF_CAP = 200


@dataclass(frozen=True, slots=True)
class PhrasingSlot:
    """A slot of an indexed phrasing: its weight, whole-slot stems and concepts, all keys."""

    # Tuples, not sets: they hold one to three keys, and sets would triple the index size.
    weight: float
    stems: tuple[str, ...]
    concepts: tuple[str, ...]
    keys: tuple[str, ...]

    __reduce__ = by_fields


@dataclass(frozen=True, slots=True)
class Phrasing:
    """An indexed question phrasing of an entry."""

    slots: tuple[PhrasingSlot, ...]
    total: float

    __reduce__ = by_fields


def weighted_keys(slot: Slot, credit: float = 1.0) -> dict[str, float]:
    """Every key of a slot with its credit: a modifier part (every part of a compound or
    phrase but the last, its head) stands for the whole only in part.

    "Where can I register for the next company visit?" is about a visit, not a company.
    """
    found = dict.fromkeys(slot.keys, credit)
    last = len(slot.parts) - 1
    for position, part in enumerate(slot.parts):
        factor = credit if position == last else credit * MODIFIER_CREDIT
        for key, value in weighted_keys(part, factor).items():
            if value > found.get(key, 0.0):
                found[key] = value
    return found


def slot_keys(slot: Slot) -> set[str]:
    """Every key of a slot, its parts' included."""
    keys = set(slot.keys)
    for part in slot.parts:
        keys |= slot_keys(part)
    return keys


class EntryTerms(NamedTuple):
    """What an entry is indexed by (`EntryReader.read`)."""

    # term -> field weight
    weights: dict[str, float]
    # term -> the lower weight of a term the entry uses only to modify a compound or phrase
    modifiers: dict[str, float]
    # the analysed question phrasings, taught ones last
    phrasing_slots: list[list[Slot]]
    # terms only the entry's taught phrasings (`FaqEntry.learned`) hold
    taught: frozenset[str]


class FaqIndex:
    """Terms of every entry (phrasings, tags, answers) with field weights, and postings."""

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        analyzer: Analyzer | None = None,
        *,
        glossary: Path | None = None,
    ) -> None:
        # Only the ids are kept: the texts are read here, and the bot's snapshot holds the
        # entries (a stored index with the texts made a second copy of the knowledge base).
        self.ids = tuple(entry.id for entry in entries)
        self._positions: dict[str, int] | None = None
        self.analyzer = analyzer or Analyzer(entry_texts(entries), glossary=glossary)
        self._weights: list[dict[str, float]] = []
        self._modifiers: list[dict[str, float]] = []
        postings: dict[str, list[int]] = defaultdict(list)
        analyzed: list[list[list[Slot]]] = []
        reader = EntryReader(self.analyzer)
        # Terms only members' taught questions hold, per entry ("raus", "sparen"): see _slot_idf
        taught_only: dict[str, int] = defaultdict(int)
        for index, entry in enumerate(entries):
            weights, modifiers, phrasing_slots, taught = reader.read(entry)
            for term in weights:
                postings[term].append(index)
            for term in taught:
                taught_only[term] += 1
            self._weights.append(weights)
            self._modifiers.append(modifiers)
            analyzed.append(phrasing_slots)
        self._postings = {t: tuple(p) for t, p in postings.items()}
        n = len(self.ids)
        self._idf = {
            t: _idf(sum((self._weights[i][t] / PHRASING_WEIGHT) ** DF_POWER for i in p), n)
            for t, p in self._postings.items()
        }
        self._unknown = UNKNOWN_WEIGHT * _idf(1, n)
        self._taught_only = frozenset(
            t for t, count in taught_only.items() if count == len(self._postings[t])
        )
        # Phrasings share most of their words' slots: each distinct slot is weighed and kept
        # once (10,000 generated entries: 12,600 prepared slots instead of 184,000).
        prepared: dict[Slot, PhrasingSlot] = {}
        self._phrasings = [
            tuple(self.phrasing(slots, prepared) for slots in phrasing_slots)
            for phrasing_slots in analyzed
        ]

    def term_weights(self, index: int) -> dict[str, float]:
        """Term -> field weight of one entry."""
        return self._weights[index]

    def modifier_weights(self, index: int) -> dict[str, float]:
        """Term -> lower weight for terms an entry uses only to modify a compound or phrase
        ("company" of "company visit"): what a query word matching it alone earns."""
        return self._modifiers[index]

    def phrasings(self, index: int) -> tuple[Phrasing, ...]:
        """The indexed question phrasings of one entry."""
        return self._phrasings[index]

    def slot_weight(self, slot: Slot) -> float:
        """How much a query slot counts: its specificity in this KB times its own weight."""
        return self.analyzer.weight(slot) * self._slot_idf(slot)

    def position(self, entry_id: str) -> int:
        """The index of the entry with this id."""
        if self._positions is None:
            self._positions = {entry_id: i for i, entry_id in enumerate(self.ids)}
        return self._positions[entry_id]

    def uses(self, slot: Slot) -> bool:
        """True if some entry uses the slot's word, a part of it or a word it links to."""
        return any(key in self._idf for key in slot_keys(slot))

    def shortlist(self, keys: Iterable[str], size: int) -> list[int]:
        """Entries sharing the most specific query terms; full scoring only sees these."""
        # Equally rare terms in a fixed order: in the order of a set (string hashes, which
        # differ from process to process) the same message could get other entries.
        rarity = self._idf
        known = sorted((k for k in keys if k in rarity), key=lambda k: (-rarity[k], k))
        cap = max(SHORTLIST_MIN_DF_CAP, int(SHORTLIST_DF_SHARE * len(self.ids)))
        partial: dict[int, float] = defaultdict(float)
        for rank, key in enumerate(known):
            postings = self._postings[key]
            if rank >= 2 and len(postings) > cap:
                break  # the rarest two terms are always walked
            idf = self._idf[key]
            for index in postings:
                partial[index] += idf
        return heapq.nlargest(size, partial, key=partial.__getitem__)

    def phrasing(
        self, slots: Sequence[Slot], prepared: dict[Slot, PhrasingSlot] | None = None
    ) -> Phrasing:
        """An analysed question phrasing prepared for the reverse score; `prepared` keeps
        the prepared slots across calls, so that phrasings share them."""
        cache = {} if prepared is None else prepared
        found = []
        for s in slots:
            slot = cache.get(s)
            if slot is None:
                slot = cache[s] = PhrasingSlot(
                    self.slot_weight(s),
                    tuple(k for k in s.keys if not is_concept(k)),
                    tuple(k for k in s.keys if is_concept(k)),
                    tuple(sorted(slot_keys(s))),
                )
            found.append(slot)
        return Phrasing(tuple(found), sum(p.weight for p in found) or 1.0)

    def _slot_idf(self, slot: Slot) -> float:
        # A phrase or compound is as specific as its words: "membership fee" must not
        # weigh only as much as the broad concept "fee" it belongs to.
        parts = sum(self._slot_idf(p) for p in slot.parts) / len(slot.parts) if slot.parts else 0
        # A word no entry uses weighs by how specific it is in general language: a rare one
        # ("Fitnessstudio") says the question is about something else, a common one
        # ("heute") says little.
        unknown = self._unknown * self.analyzer.specificity(slot.text)
        # A word only members' taught questions use is no rarer than a word nobody uses: an
        # everyday word ("raus") of one taught question must not outweigh the knowledge base's.
        known = [
            min(self._idf[k], unknown) if k in self._taught_only else self._idf[k]
            for k in slot.keys
            if k in self._idf
        ]
        if not (known or parts):
            return unknown
        weight = max([*known, parts])
        if not slot.parts and " " not in slot.text:
            # As common as a function word ("beim", "need"): says little, known or not.
            weight *= self.analyzer.specificity(slot.text, FUNCTION_WORD_ZIPF)
        if slot.keys and not is_concept(slot.keys[0]) and slot.keys[0] not in self._idf:
            # A word no entry uses, linked only through a concept ("Auto" -> transport),
            # must not weigh less than a word nobody knows.
            weight = max(weight, unknown)
        return weight


class EntryReader:
    """Reads entries into field-weighted terms with one analyzer; a tag used by many
    entries is analysed once."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self._tags: dict[str, list[tuple[str, float]]] = {}

    def read(self, entry: FaqEntry) -> EntryTerms:
        """The entry's terms with their field weights (`EntryTerms`)."""
        analyzer = self.analyzer
        weights: dict[str, float] = {}
        # the same, with the parts that only modify a compound or phrase discounted
        alone: dict[str, float] = {}
        phrasing_slots: list[list[Slot]] = []
        for lang, phrasings in entry.questions.items():
            for text in phrasings:
                slots = analyzer.slots(text, lang)
                phrasing_slots.append(slots)
                _add_keyed(weights, alone, _keyed(slots), PHRASING_WEIGHT)
        for tag in entry.tags:
            keyed = self._tags.get(tag)
            if keyed is None:
                keyed = [pair for lang in LANGS for pair in _keyed(analyzer.slots(tag, lang))]
                self._tags[tag] = keyed
            _add_keyed(weights, alone, keyed, TAG_WEIGHT)
        for lang, answer in entry.answers.items():
            terms = analyzer.terms(answer, lang)
            words = [t for t in terms if not is_concept(t)]
            concepts = [t for t in terms if is_concept(t)]
            for table in (weights, alone):
                _add(table, words, ANSWER_WEIGHT)
                _add(table, concepts, ANSWER_CONCEPT_WEIGHT)
        own = set(weights)
        for lang, phrasings in entry.learned.items():
            for text in phrasings:
                slots = analyzer.slots(text, lang)
                phrasing_slots.append(slots)
                _add_keyed(weights, alone, _keyed(slots), LEARNED_WEIGHT)
        modifiers = {k: v for k, v in alone.items() if v < weights[k]}
        return EntryTerms(weights, modifiers, phrasing_slots, frozenset(weights.keys() - own))


def entry_texts(entries: Sequence[FaqEntry]) -> list[str]:
    """All texts of the entries: the analyzer's vocabulary for compounds and spelling."""
    texts: list[str] = []
    for entry in entries:
        texts.extend(entry.tags)
        for phrasings in (*entry.questions.values(), *entry.learned.values()):
            texts.extend(phrasings)
        texts.extend(entry.answers.values())
    return texts


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _keyed(slots: Iterable[Slot]) -> list[tuple[str, float]]:
    """Every key of the slots with its credit (`weighted_keys`), in order."""
    return [pair for slot in slots for pair in weighted_keys(slot).items()]


def _add_keyed(
    weights: dict[str, float], alone: dict[str, float], keyed: list[tuple[str, float]], field: float
) -> None:
    for key, credit in keyed:
        if weights.get(key, 0.0) < field:
            weights[key] = field
        value = field * credit
        if alone.get(key, 0.0) < value:
            alone[key] = value


def _add(weights: dict[str, float], terms: Iterable[str], weight: float) -> None:
    for term in terms:
        if weights.get(term, 0.0) < weight:
            weights[term] = weight
