"""Ranks members for a free-text partner request.

Scoring: every unit of the request (concept, word, compound part) weighs as
much as it is rare in the directory (BM25 idf); a member earns a saturated,
field-weighted credit per unit (topics count most) and the score is the
share of the request's weight the member covers. Unknown words weigh fully,
so a request about something nobody in the network does scores low for all.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from handlers.partners.analysis import Unit, analyse, document_terms
from handlers.partners.concepts import Thesaurus, load_thesaurus
from handlers.partners.directory import Candidate
from handlers.partners.text import (
    MIN_PART,
    compound_parts,
    is_stopword,
    split_compound,
    stem,
    stopwords,
    words,
)

FIELD_WEIGHTS = {"topics": 3.0, "organisation": 1.0, "bio": 0.8, "role": 0.5, "kind": 1.5}
SATURATION = 0.75  # credit = x / (x + SATURATION); one topic hit ~ 0.8
MIN_SCORE = 0.22  # floor on the covered share of the request
# floor on the covered weight, in units of the idf of an unseen term, so that it
# means the same for a directory of 90 or 10,000 members
MIN_MASS = 0.4
MIN_RATIO = 0.5  # keep members scoring at least this share of the best one
# A word nobody in the directory uses and the thesaurus does not know is mostly
# phrasing ("real", "weeks"); a thesaurus concept nobody covers is a real need
# the network cannot serve, so it keeps its full weight.
UNKNOWN_WORD_WEIGHT = 0.35
# Thesaurus concepts are domain vocabulary; other words are partly phrasing.
WORD_WEIGHT = 0.6
GENERIC_WEIGHT = 0.5
# What the request shares with the requester's own profile is mostly context
# ("for our Wälzoxid we need a CO2 footprint"), not the capability sought.
OWN_CONTEXT_WEIGHT = 0.5
MIN_TERM_FACTOR = 0.1  # skip terms too general to matter (and their long postings)
FUZZY_CUTOFF = 86.0
FUZZY_MIN_LEN = 6  # shorter stems are too close to other words ("plant" ~ "plat")
SPLIT_CACHE_SIZE = 200_000
# The directory's organisation kinds, spelled so the thesaurus maps them to the
# words requests use ("university lab", "Forschungsinstitut", "Kommune" ...).
KIND_TEXT = {
    "university": "Universität Forschung Labor",
    "research": "Forschungsinstitut Forschung Labor",
    "company": "Unternehmen",
    "municipality": "Kommune",
    "association": "Verein",
}


@dataclass(frozen=True)
class PartnerMatch:
    member_id: str
    score: float


def _org_key(name: str) -> str:
    return " ".join(words(name))


class PartnerRanker:
    def __init__(
        self,
        candidates: Sequence[Candidate],
        *,
        max_recent_requests: int = 3,
        thesaurus: Thesaurus | None = None,
        min_score: float = MIN_SCORE,
        min_mass: float = MIN_MASS,
        min_ratio: float = MIN_RATIO,
    ) -> None:
        self._members = list(candidates)
        self._thesaurus = thesaurus or load_thesaurus()
        self._min_score = min_score
        self._min_ratio = min_ratio
        self._min_mass = min_mass
        self._by_id = {m.member_id: i for i, m in enumerate(self._members)}
        self._orgs: dict[str, list[int]] = {}
        for i, member in enumerate(self._members):
            self._orgs.setdefault(_org_key(member.organisation), []).append(i)
        self._unavailable = frozenset(
            i
            for i, m in enumerate(self._members)
            if not m.consent or m.recent_requests > max_recent_requests
        )
        self._splits: dict[str, list[str]] = {}
        self._build_lexicon()
        self._build_index()

    # -- index -----------------------------------------------------------------

    @staticmethod
    def _fields(member: Candidate) -> dict[str, list[str]]:
        return {
            "topics": list(member.topics),
            "organisation": [member.organisation],
            "bio": [member.bio],
            "role": [member.role],
            "kind": [KIND_TEXT.get(member.kind, member.kind)],
        }

    def _build_lexicon(self) -> None:
        lexicon = set(self._thesaurus.lexicon)
        for member in self._members:
            for texts in self._fields(member).values():
                for text in texts:
                    lexicon.update(w for w in words(text) if len(w) >= 4 and not is_stopword(w))
        self._lexicon = frozenset(lexicon)
        self._short = compound_parts()
        self._lexicon_stems = frozenset(stem(w) for w in lexicon if len(w) >= 4)

    def _known(self, part: str) -> bool:
        if len(part) == MIN_PART:
            return part in self._short
        return part in self._lexicon

    def _known_final(self, part: str) -> bool:
        return self._known(part) or (len(part) > MIN_PART and stem(part) in self._lexicon_stems)

    def _split(self, word: str) -> list[str]:
        parts = self._splits.get(word)
        if parts is None:
            parts = split_compound(word, self._known, self._known_final)
            if len(self._splits) < SPLIT_CACHE_SIZE:  # requests bring ever new words
                self._splits[word] = parts
        return parts

    def _build_index(self) -> None:
        postings: dict[str, list[tuple[int, float]]] = {}
        own_terms: list[frozenset[str]] = []
        bags: dict[str, dict[str, float]] = {}  # generated and real directories repeat texts
        for i, member in enumerate(self._members):
            mass: dict[str, float] = {}
            for name, texts in self._fields(member).items():
                weight = FIELD_WEIGHTS[name]
                for text in texts:
                    bag = bags.get(text)
                    if bag is None:
                        units = analyse(text, self._thesaurus, self._split, keep_words=True)
                        bag = bags[text] = document_terms(units)
                    for term, tf in bag.items():
                        mass[term] = mass.get(term, 0.0) + weight * tf
            for term, x in mass.items():
                postings.setdefault(term, []).append((i, x / (x + SATURATION)))
            own_terms.append(frozenset(mass))
        self._postings = postings
        self._own_terms = own_terms
        n = len(self._members)
        self._idf = {t: self._idf_for(len(p), n) for t, p in postings.items()}
        self._unknown_idf = self._idf_for(0, n)
        buckets: dict[str, list[str]] = {}
        stems = {t[2:] for t in postings if t.startswith("w:")}
        stems.update(k[0] for k in self._thesaurus.phrases if len(k) == 1)
        for s in stems:
            if len(s) >= FUZZY_MIN_LEN - 1:
                buckets.setdefault(s[0], []).append(s)
        self._fuzzy_buckets = buckets
        noise: dict[str, list[str]] = {}
        for word in stopwords():
            if len(word) > FUZZY_MIN_LEN:
                noise.setdefault(word[0], []).append(word)
        self._stopword_buckets = noise

    @staticmethod
    def _idf_for(df: int, n: int) -> float:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _correct(self, word: str) -> str | None:
        """A known stem for a misspelt word, "" for a misspelt stop word, else None."""
        stemmed = stem(word)
        if len(stemmed) < FUZZY_MIN_LEN or f"w:{stemmed}" in self._postings:
            return None
        known = process.extractOne(
            stemmed,
            self._fuzzy_buckets.get(stemmed[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
        )
        noise = process.extractOne(
            word,
            self._stopword_buckets.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
        )
        if noise is not None and (known is None or noise[1] > known[1]):
            return ""
        return None if known is None else str(known[0])

    # -- query -----------------------------------------------------------------

    def units(self, text: str) -> list[Unit]:
        units = analyse(text, self._thesaurus, self._split, self._correct)
        unique: dict[str, Unit] = {}
        for unit in units:
            unique.setdefault(unit.primary, unit)
        return list(unique.values())

    def _unit_weight(self, unit: Unit) -> float:
        concept = unit.primary.startswith("c:")
        idf = self._idf.get(unit.primary)
        if idf is None:
            return self._unknown_idf if concept else UNKNOWN_WORD_WEIGHT * self._unknown_idf
        if not concept:
            return WORD_WEIGHT * idf
        return GENERIC_WEIGHT * idf if unit.primary[2:] in self._thesaurus.generic else idf

    def scores(self, text: str, requester_id: str | None = None) -> dict[int, tuple[float, float]]:
        """Per member index (unfiltered): (covered share of the request, covered weight).

        The covered weight is measured in idf units of a term nobody uses.
        """
        own_index = self._by_id.get(requester_id) if requester_id is not None else None
        own = self._own_terms[own_index] if own_index is not None else frozenset()
        total: dict[int, float] = {}
        mass = 0.0
        for unit in self.units(text):
            weight = self._unit_weight(unit)
            if unit.primary in own:
                weight *= OWN_CONTEXT_WEIGHT
            mass += weight
            specific = self._idf.get(unit.primary, self._unknown_idf)
            best: dict[int, float] = {}
            for term, qweight in unit.terms:
                idf = self._idf.get(term)
                if idf is None:
                    continue
                # a broader or commoner term says less than the unit itself
                factor = qweight * min(1.0, idf / specific)
                if factor < MIN_TERM_FACTOR:
                    continue
                for i, credit in self._postings[term]:
                    value = factor * credit
                    if value > best.get(i, 0.0):
                        best[i] = value
            for i, value in best.items():
                total[i] = total.get(i, 0.0) + weight * value
        if mass <= 0.0:
            return {}
        scale = self._unknown_idf
        return {i: (value / mass, value / scale) for i, value in total.items()}

    def _excluded(self, requester_id: str) -> set[int]:
        """The requester and their organisation (the unavailable are checked apart)."""
        own = self._by_id.get(requester_id)
        if own is None:
            return set()
        return {own, *self._orgs.get(_org_key(self._members[own].organisation), ())}

    def rank(
        self, text: str, lang: str | None, *, requester_id: str, k: int = 5
    ) -> list[PartnerMatch]:
        """Best-first members to introduce; empty when nobody fits well enough.

        ``lang`` is accepted for callers that know it; matching is bilingual anyway.
        """
        del lang
        if k <= 0:
            return []
        excluded = self._excluded(requester_id)
        unavailable = self._unavailable
        members = self._members
        ranked = heapq.nsmallest(
            k,
            (
                (-share, members[i].member_id, covered)
                for i, (share, covered) in self.scores(text, requester_id).items()
                if i not in excluded and i not in unavailable
            ),
        )
        if not ranked or -ranked[0][0] < self._min_score:
            return []
        cut = max(self._min_score, self._min_ratio * -ranked[0][0])
        return [
            PartnerMatch(member_id, round(-negative, 4))
            for negative, member_id, covered in ranked
            if -negative >= cut and covered >= self._min_mass
        ]
