"""Turns a text into matching units: concepts, stems and compound parts.

A *unit* is one thing the text asks for (a word, a compound part, or a
thesaurus phrase such as "lithium-ion battery"). A member matches a unit if it
has any of the unit's terms; terms are ``w:<stem>`` or ``c:<concept>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from handlers.partners.concepts import Thesaurus
from handlers.partners.text import is_stopword, stem, words

BROADER_WEIGHT = 0.7
MAX_SPLIT_DEPTH = 3


@dataclass(frozen=True)
class Unit:
    terms: tuple[tuple[str, float], ...]
    # the term whose rarity decides how much this unit matters
    primary: str


@dataclass(frozen=True)
class _Piece:
    stem: str
    compound: str | None  # stem of the whole compound this piece came from


def concept_terms(concepts: frozenset[str], thesaurus: Thesaurus) -> list[tuple[str, float]]:
    terms: list[tuple[str, float]] = [(f"c:{c}", 1.0) for c in sorted(concepts)]
    for concept in sorted(concepts):
        weight = BROADER_WEIGHT
        for parent in thesaurus.broader.get(concept, ()):
            terms.append((f"c:{parent}", weight))
            weight *= BROADER_WEIGHT
    return terms


def _pieces(
    word: str,
    thesaurus: Thesaurus,
    split: Callable[[str], list[str]],
    correct: Callable[[str], str | None] | None,
    depth: int = 0,
) -> list[str]:
    """Stems a word stands for: itself, its compound parts, or a typo correction
    (none when ``correct`` says it is a misspelt stop word)."""
    stemmed = stem(word)
    if (stemmed,) in thesaurus.phrases or depth >= MAX_SPLIT_DEPTH:
        return [stemmed]
    parts = split(word)
    if len(parts) > 1:
        out: list[str] = []
        for part in parts:
            if not is_stopword(part):
                out.extend(_pieces(part, thesaurus, split, None, depth + 1))
        return out or [stemmed]
    if correct is not None:
        fixed = correct(word)
        if fixed is not None:
            return [fixed] if fixed else []
    return [stemmed]


def analyse(
    text: str,
    thesaurus: Thesaurus,
    split: Callable[[str], list[str]],
    correct: Callable[[str], str | None] | None = None,
    *,
    keep_words: bool = False,
) -> list[Unit]:
    """Units of a text. ``split`` splits a compound into parts; ``correct``
    optionally maps an unknown word to a known stem, or to "" for a misspelt
    stop word (typo tolerance).

    ``keep_words`` (for member profiles) also keeps the single words of a matched
    phrase, so a request using only one of them still finds the member.
    """
    pieces: list[_Piece] = []
    extra: list[_Piece] = []
    for word in words(text):
        if is_stopword(word) or (len(word) < 2 and not word.isdigit()):
            # single letters only matter inside phrases such as "e-waste"
            if len(word) == 1 and word.isalpha():
                pieces.append(_Piece(word, None))
            continue
        found = _pieces(word, thesaurus, split, correct)
        if not found:
            continue
        whole = stem(word) if len(found) > 1 else None
        pieces.extend(_Piece(s, whole) for s in found)
        if keep_words and len(found) == 1:
            # a profile's "Stahlwerksstäube" is about dust *and* steel mills
            parts = split(word)
            if len(parts) > 1:
                extra.extend(
                    _Piece(stem(part), found[0]) for part in parts if not is_stopword(part)
                )
    pieces.extend(extra)

    units: list[Unit] = []
    i = 0
    while i < len(pieces):
        matched = False
        for length in range(min(thesaurus.max_phrase, len(pieces) - i), 0, -1):
            key = tuple(p.stem for p in pieces[i : i + length])
            concepts = thesaurus.phrases.get(key)
            if not concepts:
                continue
            terms = concept_terms(concepts, thesaurus)
            if length == 1 or keep_words:
                terms.extend((f"w:{s}", 1.0) for s in key if len(s) > 1)
            compound = pieces[i].compound
            if compound is not None and all(p.compound == compound for p in pieces[i : i + length]):
                terms.append((f"w:{compound}", 1.0))
            units.append(Unit(tuple(terms), terms[0][0]))
            i += length
            matched = True
            break
        if matched:
            continue
        piece = pieces[i]
        i += 1
        if len(piece.stem) < 2:
            continue
        terms = [(f"w:{piece.stem}", 1.0)]
        if piece.compound is not None:
            terms.append((f"w:{piece.compound}", 1.0))
        units.append(Unit(tuple(terms), terms[0][0]))
    return units


def document_terms(units: list[Unit]) -> dict[str, float]:
    """Bag of terms of a member field: each term once, at its strongest weight, counted per unit."""
    bag: dict[str, float] = {}
    for unit in units:
        seen: dict[str, float] = {}
        for term, weight in unit.terms:
            seen[term] = max(seen.get(term, 0.0), weight)
        for term, weight in seen.items():
            bag[term] = bag.get(term, 0.0) + weight
    return bag
