"""What members answered to earlier requests, as evidence for the next ranking.

A member who pressed "Nicht für mich" on requests like this one ranks a little lower; one
who pressed "Interessiert" a little higher. "Like this one" is the cosine of the requests'
weighted units (the same weights the ranking uses). The effect is bounded: answers can
reorder members who fit about equally well, and push one who keeps declining a topic below
the floor, but never make a member fit a request their profile does not cover.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from handlers.partners.analysis import Unit

# One answer to a request that is the same as the new one moves the score by this share ...
STEP = 0.15
# ... and all answers together at most this much up or down.
MAX_UP = 0.15
MAX_DOWN = 0.3
# Requests less alike than this say nothing about each other.
MIN_SIMILARITY = 0.3
# The most recent answers kept (older ones are read from the database no more).
MAX_ANSWERS = 2000


@dataclass(frozen=True)
class Answer:
    """A recipient's answer to a request that was sent to them."""

    member_id: str
    interested: bool
    text: str


class _Index(Protocol):
    def units(self, text: str) -> list[Unit]: ...

    def unit_weight(self, unit: Unit) -> float: ...


class Evidence:
    """Earlier answers indexed by the units of their requests."""

    def __init__(self, index: _Index, positions: Mapping[str, int]) -> None:
        self._index = index
        self._positions = positions
        self._postings: dict[str, list[tuple[int, float]]] = {}
        self._answers: list[tuple[int, float]] = []  # (member position, +1 or -1)
        self.count = 0

    def _vector(self, units: Sequence[Unit]) -> dict[str, float]:
        vector: dict[str, float] = {}
        for unit in units:
            vector[unit.primary] = max(vector.get(unit.primary, 0.0), self._index.unit_weight(unit))
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {t: w / norm for t, w in vector.items()} if norm > 0.0 else {}

    def load(self, answers: Sequence[Answer]) -> None:
        """Replace the evidence with these answers (newest last; only the last ones kept)."""
        self._postings = {}
        self._answers = []
        for answer in answers[-MAX_ANSWERS:]:
            position = self._positions.get(answer.member_id)
            if position is None:
                continue  # the member left the directory
            vector = self._vector(self._index.units(answer.text))
            if not vector:
                continue
            number = len(self._answers)
            self._answers.append((position, 1.0 if answer.interested else -1.0))
            for term, weight in vector.items():
                self._postings.setdefault(term, []).append((number, weight))
        self.count = len(self._answers)

    def factors(self, units: Sequence[Unit]) -> dict[int, float]:
        """Per member position, the factor its score is multiplied by (absent: 1)."""
        if not self._answers:
            return {}
        similarity: dict[int, float] = {}
        for term, weight in self._vector(units).items():
            for number, other in self._postings.get(term, ()):
                similarity[number] = similarity.get(number, 0.0) + weight * other
        balance: dict[int, float] = {}
        for number, value in similarity.items():
            if value >= MIN_SIMILARITY:
                position, sign = self._answers[number]
                balance[position] = balance.get(position, 0.0) + sign * value
        return {
            position: 1.0 + max(-MAX_DOWN, min(MAX_UP, STEP * value))
            for position, value in balance.items()
        }
