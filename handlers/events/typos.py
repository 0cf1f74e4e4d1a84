"""One typo: the tolerance by which an event's words are read as typed on a phone ("Symposiun"
for a kind, "nxt week" for a week). One edit, and a swap of two letters counts as one (OSA)."""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA


def one_typo_from(word: str, names: Iterable[str]) -> str | None:
    """The first of `names` that `word` is at most one typo away from, else None."""
    return next((name for name in names if OSA.distance(word, name, score_cutoff=1) <= 1), None)


def nearest_by_typo(word: str, names: Iterable[str]) -> str | None:
    """Of `names` at most one typo from `word`, the one sharing the longest start with it
    ("wher": "where", not "when"), the first of those; None when none is."""
    near = [name for name in names if OSA.distance(word, name, score_cutoff=1) <= 1]
    return max(near, key=lambda name: _shared_start(word, name), default=None)


def _shared_start(one: str, other: str) -> int:
    return next(
        (i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
        min(len(one), len(other)),
    )
