"""Spelling correction against a known vocabulary by edit distance."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

# A misspelt word is mapped to a vocabulary word within this many edits (a swap of two
# letters is one edit, as typing errors go); longer words may have more.
MAX_EDITS_SHORT = 1
MAX_EDITS_LONG = 2
LONG_WORD = 8
MIN_LENGTH = 5
_CACHE_LIMIT = 100_000


class Speller:
    """Finds the vocabulary word a misspelt token most likely means."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        # Grouped by first letter: typos rarely hit the first letter, and it keeps each
        # lookup to a small list even with a large vocabulary.
        by_letter: dict[str, list[str]] = defaultdict(list)
        for word in sorted(set(vocabulary)):
            if len(word) >= MIN_LENGTH - 1:
                by_letter[word[0]].append(word)
        self._by_letter = dict(by_letter)
        self._cache: dict[str, str | None] = {}

    def correct(self, token: str) -> str | None:
        """The closest vocabulary word within the allowed edits, or None."""
        if token in self._cache:
            return self._cache[token]
        found: str | None = None
        candidates = self._by_letter.get(token[0], []) if token else []
        if len(token) >= MIN_LENGTH and candidates:
            edits = max_edits(token)
            near = [w for w in candidates if abs(len(w) - len(token)) <= edits]
            hit = process.extractOne(token, near, scorer=OSA.distance, score_cutoff=edits)
            if hit is not None:
                found = str(hit[0])
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[token] = found
        return found


def max_edits(token: str) -> int:
    """Edits allowed when correcting a token of this length."""
    return MAX_EDITS_LONG if len(token) >= LONG_WORD else MAX_EDITS_SHORT


def distance(left: str, right: str) -> int:
    """Edit distance with transpositions counted once."""
    return int(OSA.distance(left, right))
