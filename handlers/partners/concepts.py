"""The shared domain thesaurus (``bot/textmatch/data/thesaurus.txt``) indexed for
partner search.

Partner search stems bilingually and drops request boilerplate, so phrases are
keyed by its own stems; it also uses what the FAQ engine does not: the broader
concepts (``> metal``) and the ``!generic`` activities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.textmatch.thesaurus import PARTNER_ENGINE, ConceptLine, default_glossary
from bot.textmatch.thesaurus import load_generic as _load_generic
from bot.textmatch.thesaurus import load_thesaurus as _load_lines
from bot.textmatch.thesaurus import parse_generic as _parse_generic
from bot.textmatch.thesaurus import parse_thesaurus as _parse_lines
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
    # first stem of a phrase -> longest phrase starting with it (skips hopeless lookups)
    longest_from: dict[str, int] = field(default_factory=dict)

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
    """A thesaurus from lines in the shared format; ValueError names a bad line."""
    text = list(lines)
    concepts = [c for c in _parse_lines(text) if c.used_by(PARTNER_ENGINE)]
    return build_thesaurus(concepts, _parse_generic(text))


def build_thesaurus(concepts: Sequence[ConceptLine], generic: Iterable[str] = ()) -> Thesaurus:
    phrases: dict[tuple[str, ...], set[str]] = {}
    direct: dict[str, list[str]] = {}
    lexicon: set[str] = set()
    for line in concepts:
        direct.setdefault(line.concept, []).extend(line.broader)
        for variant in line.terms:
            key = phrase_key(variant)
            if not key:
                continue
            phrases.setdefault(key, set()).add(line.concept)
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
        longest_from=_longest_from(phrases),
    )


def _longest_from(phrases: dict[tuple[str, ...], set[str]]) -> dict[str, int]:
    longest: dict[str, int] = {}
    for key in phrases:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return longest


def load_thesaurus(path: Path | None = None) -> Thesaurus:
    """The shared domain thesaurus with the network's glossary (`use_glossary`), or one from
    ``path``; read once per glossary (a process that measures several networks switches)."""
    glossary = default_glossary() if path is None else None
    return _thesaurus(path, str(glossary) if glossary is not None else None)


@cache
def _thesaurus(path: Path | None, glossary: str | None) -> Thesaurus:
    own = Path(glossary) if glossary is not None and Path(glossary).is_file() else None
    lines = _load_lines(path, engine=PARTNER_ENGINE, glossary=own)
    return build_thesaurus(lines, _load_generic(path, own))
