"""Domain thesaurus: maps German/English terms, abbreviations and synonyms to concepts.

File format (``data/thesaurus.txt``), one concept a line::

    concept_id = variant; variant; ... > broader_id, broader_id
    @generic = concept_id; concept_id   (broad activities, weighted down)

Variants are matched after folding, stop-word removal and stemming, so
inflected forms and compounds split into the same words match too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from handlers.partners.text import is_stopword, stem, words


@dataclass(frozen=True)
class Thesaurus:
    # stemmed word sequence -> concept ids
    phrases: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)
    # concept -> broader concepts (transitively closed, nearest first)
    broader: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # folded surface words of all variants: a lexicon for compound splitting
    lexicon: frozenset[str] = frozenset()
    max_phrase: int = 1
    # broad activities ("recycling", "collection") that say little about who fits
    generic: frozenset[str] = frozenset()

    def concepts_of(self, stems: tuple[str, ...]) -> frozenset[str]:
        return self.phrases.get(stems, frozenset())


def phrase_key(variant: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(variant) if not is_stopword(w))


def _close(direct: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    closed: dict[str, tuple[str, ...]] = {}
    for concept in direct:
        order: list[str] = []
        frontier = list(direct[concept])
        while frontier:
            nxt: list[str] = []
            for parent in frontier:
                if parent != concept and parent not in order:
                    order.append(parent)
                    nxt.extend(direct.get(parent, []))
            frontier = nxt
        closed[concept] = tuple(order)
    return closed


def parse_thesaurus(lines: Iterable[str]) -> Thesaurus:
    phrases: dict[tuple[str, ...], set[str]] = {}
    direct: dict[str, list[str]] = {}
    lexicon: set[str] = set()
    generic: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"thesaurus line {number}: expected 'concept = variants'")
        concept, rest = (part.strip() for part in line.split("=", 1))
        if concept == "@generic":
            generic.update(c.strip() for c in rest.split(";") if c.strip())
            continue
        variants_text, _, broader_text = rest.partition(">")
        parents = [b.strip() for b in broader_text.split(",") if b.strip()]
        direct.setdefault(concept, []).extend(parents)
        for variant in variants_text.split(";"):
            key = phrase_key(variant)
            if not key:
                continue
            phrases.setdefault(key, set()).add(concept)
            lexicon.update(w for w in words(variant) if not is_stopword(w))
    for parents in list(direct.values()):
        for parent in parents:
            direct.setdefault(parent, [])
    return Thesaurus(
        phrases={key: frozenset(value) for key, value in phrases.items()},
        broader=_close(direct),
        lexicon=frozenset(lexicon),
        max_phrase=max((len(k) for k in phrases), default=1),
        generic=frozenset(generic),
    )


@cache
def load_thesaurus(path: Path | None = None) -> Thesaurus:
    """The packaged domain thesaurus, or one from ``path``."""
    if path is None:
        text = resources.files(__package__).joinpath("data", "thesaurus.txt").read_text("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return parse_thesaurus(text.splitlines())
