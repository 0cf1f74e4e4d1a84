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


def parse_thesaurus(lines: Iterable[str]) -> list[ConceptLine]:
    """Parse `concept: term | term` lines; raise ValueError naming the bad line."""
    concepts: list[ConceptLine] = []
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        concept, sep, rest = text.partition(":")
        if not sep or not concept.strip() or " " in concept.strip():
            raise ValueError(f"thesaurus line {number}: expected 'concept: term | term'")
        terms = tuple(t for t in (strip_punctuation(fold(expand_contractions(raw))) for raw in rest.split("|")) if t)
        if not terms:
            raise ValueError(f"thesaurus line {number}: concept {concept.strip()!r} has no terms")
        concepts.append(ConceptLine(concept.strip(), terms))
    return concepts


def load_thesaurus(path: Path | None = None) -> list[ConceptLine]:
    """The bundled thesaurus, or one from `path`."""
    if path is None:
        raw = resources.files("bot.textmatch").joinpath("data/thesaurus.txt").read_text("utf-8")
    else:
        raw = path.read_text("utf-8")
    return parse_thesaurus(raw.splitlines())
