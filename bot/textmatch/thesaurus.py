"""Domain thesaurus: synonym sets across German and English, kept as a data file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.textmatch.normalize import expand_contractions, fold, strip_punctuation

CONCEPT_PREFIX = "~"
OPPOSITE_DIRECTIVE = "!opposite"


@dataclass(frozen=True, slots=True)
class ConceptLine:
    """One synonym set: a concept id and its surface terms (folded, punctuation-free)."""

    concept: str
    terms: tuple[str, ...]
    weight: float = 1.0


def parse_thesaurus(lines: Iterable[str]) -> list[ConceptLine]:
    """Parse `concept[@weight]: term | term` lines; raise ValueError naming the bad line."""
    concepts: list[ConceptLine] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith(("#", OPPOSITE_DIRECTIVE)):
            continue
        head, sep, rest = text.partition(":")
        concept, _, raw_weight = head.strip().partition("@")
        if not sep or not concept or " " in concept:
            raise ValueError(f"thesaurus line {number}: expected 'concept: term | term'")
        try:
            weight = float(raw_weight) if raw_weight else 1.0
        except ValueError:
            raise ValueError(f"thesaurus line {number}: bad weight {raw_weight!r}") from None
        cleaned = (strip_punctuation(fold(expand_contractions(r))) for r in rest.split("|"))
        terms = tuple(t for t in cleaned if t)
        if not terms:
            raise ValueError(f"thesaurus line {number}: concept {concept!r} has no terms")
        concepts.append(ConceptLine(concept, terms, weight))
    return concepts


def load_thesaurus(path: Path | None = None) -> list[ConceptLine]:
    """The bundled thesaurus, or one from `path`."""
    return parse_thesaurus(_read(path).splitlines())


def _read(path: Path | None) -> str:
    if path is None:
        return resources.files("bot.textmatch").joinpath("data/thesaurus.txt").read_text("utf-8")
    return path.read_text("utf-8")


def parse_opposites(lines: Iterable[str]) -> dict[str, str]:
    """Concept pairs from `!opposite a b` lines, both directions, as concept keys."""
    pairs: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text.startswith(OPPOSITE_DIRECTIVE):
            continue
        names = text[len(OPPOSITE_DIRECTIVE) :].split()
        if len(names) != 2:
            raise ValueError(f"thesaurus line {number}: expected '!opposite concept concept'")
        left, right = (CONCEPT_PREFIX + n for n in names)
        pairs[left] = right
        pairs[right] = left
    return pairs


def load_opposites(path: Path | None = None) -> dict[str, str]:
    """Opposite concept pairs of the bundled thesaurus, or of the one at `path`."""
    return parse_opposites(_read(path).splitlines())
