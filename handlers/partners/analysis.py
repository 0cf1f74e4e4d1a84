"""Turns a text into matching units: concepts, stems and compound parts.

A *unit* is one thing the text asks for (a word, a compound part, or a
thesaurus phrase such as "lithium-ion battery"). A member matches a unit if it
has any of the unit's terms; terms are ``w:<stem>`` or ``c:<concept>``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from handlers.partners.concepts import Thesaurus
from handlers.partners.kinds import load_kind_words
from handlers.partners.text import is_stopword, stem, vowel_plural_singular, words

BROADER_WEIGHT = 0.7
# A request word's dictionary translation: "leaks" also finds "Leckortung", a little less
# surely than the word itself (a dictionary lists senses the request did not mean).
TRANSLATION_WEIGHT = 0.7
# A phrase's translation into one word names what the phrase means, not one of its word's
# senses ("wind farm": "Windpark", while "farm" alone is also a "Hof").
PHRASE_TRANSLATION_WEIGHT = 1.0
MAX_SPLIT_DEPTH = 3
# A German compound names a kind of its last part: "Onlineshop" is a shop, "Stahlbeton-
# fertigteile" are prefabricated parts. A part before the last weighs this share of what
# it would weigh on its own (a member with the whole compound covers it fully).
MODIFIER_WEIGHT = 0.5

Translate = Callable[[str], tuple[str, ...]]
# An English phrase's translation into one German word ("wind farm": "Windpark"), which each
# of its words then also stands for: a member with "Windpark" covers all of "wind farm".
TranslatePhrase = Callable[[tuple[str, ...]], tuple[str, ...]]
PHRASE_LENGTHS = (3, 2)


@dataclass(frozen=True)
class Unit:
    terms: tuple[tuple[str, float], ...]
    # the term whose rarity decides how much this unit matters
    primary: str
    # the folded words the unit stands for: how common they are in everyday language says
    # how much of a need they express
    surface: tuple[str, ...] = ()
    # MODIFIER_WEIGHT for a compound's part before its last, else 1
    weight: float = 1.0
    # the whole compound's term, which covers the part fully
    whole: str = ""
    # the terms of its word's dictionary translations (also in `terms`, weighing less)
    translated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Asked:
    """One thing a request asks for, as the repeat check compares it: the terms it stands for
    itself (its stem, concepts, the whole compound) and those of its word's translations."""

    terms: frozenset[str]
    translated: frozenset[str] = frozenset()
    # how much of a need its words express (`index.commonness_factor`): "brauchen" in "Wir
    # brauchen ein Labor" little, "Schwarzmasse" fully
    weight: float = 1.0

    def same_as(self, other: Asked) -> bool:
        """Named alike, or the one's word translates the other's ("Neodym", "neodymium");
        not when only their translations meet: a dictionary lists senses neither meant."""
        return bool(
            self.terms & other.terms
            or self.terms & other.translated
            or self.translated & other.terms
        )


@dataclass(frozen=True)
class Content:
    """What a request asks for (`PartnerRanker.content_terms`): its units, and how many needs
    it holds ("a lab for X and a carrier for Y" holds two)."""

    units: tuple[Asked, ...] = ()
    needs: int = 1


@dataclass(frozen=True)
class _Piece:
    stem: str
    compound: str | None  # stem of the whole compound this piece came from
    word: str = ""  # the folded surface word (or compound part)
    modifier: bool = False  # a compound's part before its last


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
) -> list[tuple[str, str]]:
    """(stem, surface word) pairs a word stands for: itself, its compound parts, or a typo
    correction (none when ``correct`` says it is a misspelt stop word)."""
    stemmed = stem(word)
    plural_of = vowel_plural_singular(word)
    if (stemmed,) not in thesaurus.phrases and plural_of is not None:
        singular = stem(plural_of)
        if (singular,) in thesaurus.phrases:
            return [(singular, plural_of)]
    if (stemmed,) in thesaurus.phrases or depth >= MAX_SPLIT_DEPTH:
        return [(stemmed, word)]
    parts = split(word)
    if len(parts) > 1:
        out: list[tuple[str, str]] = []
        for part in parts:
            if part == word:  # a word of its own, its first parts modifiers (``split``)
                out.append((stemmed, word))
            elif not is_stopword(part):
                out.extend(_pieces(part, thesaurus, split, None, depth + 1))
        return out or [(stemmed, word)]
    if correct is not None:
        fixed = correct(word)
        if fixed is not None:
            return [(fixed, word)] if fixed else []
    return [(stemmed, word)]


def analyse(
    text: str,
    thesaurus: Thesaurus,
    split: Callable[[str], list[str]],
    correct: Callable[[str], str | None] | None = None,
    *,
    keep_words: bool = False,
    translate: Translate | None = None,
    translate_phrase: TranslatePhrase | None = None,
) -> list[Unit]:
    """Units of a text. ``split`` splits a compound into parts; ``correct``
    optionally maps an unknown word to a known stem, or to "" for a misspelt
    stop word (typo tolerance).

    ``keep_words`` (for member profiles) also keeps the single words of a matched
    phrase and the parts of a compound the thesaurus knows whole, so a request
    using only one of them still finds the member. ``translate`` (for requests) gives the
    stems of a folded word's dictionary translations, ``translate_phrase`` those of a
    phrase's.
    """
    pieces, parts = _text_pieces(text, thesaurus, split, correct, keep_words)
    phrases = _phrase_senses(pieces, translate_phrase)
    # compound parts are matched on their own so they never join the text's phrases
    units = _units(pieces, thesaurus, keep_words, translate, phrases) + _units(
        parts, thesaurus, keep_words, translate
    )
    return _generic_heads_name_by_modifier(units, thesaurus)


def _generic_heads_name_by_modifier(units: list[Unit], thesaurus: Thesaurus) -> list[Unit]:
    """A compound whose last part is a broad activity of the glossary ("Magnetrecycling",
    "Altholzsammlung") is named by its modifier: what is recycled is what sets a member
    apart, so the modifier weighs as it would as a word of its own ("recycling of magnets").
    Not a kind of partner ("Hüttenbetriebe" are companies: where a need arises, not who
    fits it; the table's own words: widening it by OpenThesaurus takes 1.5 s, which a
    restart reading its indexes from disk would pay here)."""
    kinds = load_kind_words(widen=False)
    generic = {
        unit.whole
        for unit in units
        if unit.whole
        and unit.weight == 1.0
        and unit.primary.startswith("c:")
        and unit.primary[2:] in thesaurus.generic
        and not kinds.kinds_of_words(tuple(stem(word) for word in unit.surface[-1:]))
    }
    if not generic:
        return units
    return [
        replace(unit, weight=1.0) if unit.weight < 1.0 and unit.whole in generic else unit
        for unit in units
    ]


def _text_pieces(
    text: str,
    thesaurus: Thesaurus,
    split: Callable[[str], list[str]],
    correct: Callable[[str], str | None] | None,
    keep_words: bool,
) -> tuple[list[_Piece], list[_Piece]]:
    pieces: list[_Piece] = []
    extra: list[_Piece] = []
    for word in words(text):
        if is_stopword(word) or (len(word) < 2 and not word.isdigit()):
            # single letters only matter inside phrases such as "e-waste"
            if len(word) == 1 and word.isalpha():
                pieces.append(_Piece(word, None, word))
            continue
        found = _pieces(word, thesaurus, split, correct)
        if not found:
            continue
        whole = stem(word) if len(found) > 1 else None
        last = len(found) - 1
        pieces.extend(_Piece(s, whole, w, n < last) for n, (s, w) in enumerate(found))
        if keep_words and len(found) == 1:
            # a profile's "Stahlwerksstäube" is about dust *and* steel mills
            parts = split(word)
            if len(parts) > 1:
                extra.extend(
                    _Piece(stem(part), found[0][0], part) for part in parts if not is_stopword(part)
                )
    return pieces, extra


def _phrase_senses(
    pieces: list[_Piece], translate_phrase: TranslatePhrase | None
) -> dict[int, tuple[str, ...]]:
    """Per position of a piece that is part of a translated phrase: the phrase's translations.
    A phrase is of whole words next to each other once function words are left out (the
    dictionary's phrases are read so too)."""
    found: dict[int, tuple[str, ...]] = {}
    if translate_phrase is None:
        return found
    for start in range(len(pieces)):
        for length in PHRASE_LENGTHS:
            span = pieces[start : start + length]
            if len(span) < length or any(p.compound is not None for p in span):
                continue
            senses = translate_phrase(tuple(p.word for p in span))
            for n in range(start, start + length):
                found[n] = (*found.get(n, ()), *senses)
    return found


def _translated(
    pieces: list[_Piece],
    translate: Translate | None,
    phrase_senses: tuple[str, ...] = (),
) -> list[tuple[str, float]]:
    found = dict.fromkeys(phrase_senses, PHRASE_TRANSLATION_WEIGHT)
    if translate is not None and len(pieces) == 1:
        for sense in translate(pieces[0].word):
            found.setdefault(sense, TRANSLATION_WEIGHT)
    return [(f"w:{s}", weight) for s, weight in found.items()]


def _units(
    pieces: list[_Piece],
    thesaurus: Thesaurus,
    keep_words: bool,
    translate: Translate | None,
    phrases: dict[int, tuple[str, ...]] | None = None,
) -> list[Unit]:
    """Greedy longest thesaurus phrases first; other pieces become word units."""
    units: list[Unit] = []
    i = 0
    while i < len(pieces):
        length, concepts = _longest_phrase(pieces, i, thesaurus)
        span = pieces[i : i + length] if concepts else pieces[i : i + 1]
        surface = tuple(p.word for p in span)
        if concepts:
            key = tuple(p.stem for p in span)
            terms = concept_terms(concepts, thesaurus)
            if length == 1 or keep_words:
                terms.extend((f"w:{s}", 1.0) for s in key if len(s) > 1)
            compound = pieces[i].compound
            whole = ""
            if compound is not None and all(p.compound == compound for p in span):
                whole = f"w:{compound}"
                terms.append((whole, 1.0))
            translated = _translated(span, translate, _of_span(phrases, i, length))
            terms.extend(translated)
            weight = MODIFIER_WEIGHT if span[-1].modifier else 1.0
            senses = tuple(term for term, _ in translated)
            units.append(Unit(tuple(terms), terms[0][0], surface, weight, whole, senses))
            i += length
            continue
        piece = pieces[i]
        i += 1
        if len(piece.stem) < 2:
            continue
        terms = [(f"w:{piece.stem}", 1.0)]
        whole = f"w:{piece.compound}" if piece.compound is not None else ""
        if whole:
            terms.append((whole, 1.0))
        translated = _translated(span, translate, _of_span(phrases, i - 1, 1))
        terms.extend(translated)
        weight = MODIFIER_WEIGHT if piece.modifier else 1.0
        senses = tuple(term for term, _ in translated)
        units.append(Unit(tuple(terms), terms[0][0], surface, weight, whole, senses))
    return units


def _of_span(
    phrases: dict[int, tuple[str, ...]] | None, start: int, length: int
) -> tuple[str, ...]:
    if not phrases:
        return ()
    return tuple(s for n in range(start, start + length) for s in phrases.get(n, ()))


def _longest_phrase(
    pieces: list[_Piece], start: int, thesaurus: Thesaurus
) -> tuple[int, frozenset[str]]:
    longest = thesaurus.longest_from.get(pieces[start].stem, 0)
    for length in range(min(longest, len(pieces) - start), 0, -1):
        concepts = thesaurus.phrases.get(tuple(p.stem for p in pieces[start : start + length]))
        if concepts:
            return length, concepts
    return 0, frozenset()


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
