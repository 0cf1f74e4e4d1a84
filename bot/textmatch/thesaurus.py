"""Domain thesaurus: synonym sets across German and English, kept as a data file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.textmatch.normalize import expand_contractions, fold, strip_punctuation

CONCEPT_PREFIX = "~"


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
        if not text or text.startswith("#"):
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
    if path is None:
        raw = resources.files("bot.textmatch").joinpath("data/thesaurus.txt").read_text("utf-8")
    else:
        raw = path.read_text("utf-8")
    return parse_thesaurus(raw.splitlines())
