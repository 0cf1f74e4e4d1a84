"""One typo: the tolerance by which an event's words are read as typed on a phone ("Symposiun"
for a kind, "nxt week" for a week). One edit, and a swap of two letters counts as one (OSA)."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA


def one_typo_from(word: str, names: Iterable[str]) -> str | None:
    """The first of `names` that `word` is at most one typo away from, else None."""
    return next((name for name in names if OSA.distance(word, name, score_cutoff=1) <= 1), None)
