"""Partner search's view of the shared text primitives in ``bot.textmatch``.

Folding, tokenising, stemming, stop words and compound splitting are the shared
ones; what is partner-specific is the choice among them: stems are bilingual
(a member profile mixes German and English word by word, so no language is
detected), and request boilerplate ("suchen", "Partner", "Netzwerk") is a stop
word here but content in FAQ questions about partner search. Compound splitting
also takes the lexicon's inflected last part and a trailing linking element,
because the partner lexicon holds uninflected words from member profiles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, lru_cache

from bot.textmatch.compounds import MIN_PART
from bot.textmatch.compounds import split_compound as _split_compound
from bot.textmatch.normalize import fold, words
from bot.textmatch.stemming import (
    plain_vowels,
    read_word_list,
    stem_bilingual,
    stop_words,
    vowel_plural_singular,
)

__all__ = [
    "MIN_PART",
    "compound_parts",
    "fold",
    "is_stopword",
    "split_compound",
    "stem",
    "stopwords",
    "vowel_plural_singular",
    "words",
]

stem = stem_bilingual


@cache
def stopwords() -> frozenset[str]:
    """Folded function words of both languages plus request boilerplate."""
    found = set(stop_words("de") | stop_words("en"))
    for word in read_word_list(__package__, "data/request_words.txt"):
        found.update(words(word))
    return frozenset(found)


@cache
def compound_parts() -> frozenset[str]:
    """Short words allowed as compound parts (Alt-, Erz-, Bio-)."""
    found: set[str] = set()
    for word in read_word_list("bot.textmatch", "data/compound_parts.txt"):
        found.update(words(word))
    return frozenset(found)


@lru_cache(maxsize=100_000)
def is_stopword(word: str) -> bool:
    """Stop word check that also accepts umlauts typed as ae/oe/ue (fuer, moechten)."""
    known = stopwords()
    return word in known or plain_vowels(word) in known


def split_compound(
    word: str,
    known: Callable[[str], bool],
    known_final: Callable[[str], bool] | None = None,
    commonness: Callable[[str], float] | None = None,
) -> list[str]:
    """Parts of a folded German compound (Batterierecycling -> batterie, recycling), or
    ``[word]`` when it does not split; a trailing linking element counts as inflection."""
    parts = _split_compound(
        word, known, is_final=known_final, trailing_linker=True, commonness=commonness
    )
    if not parts or is_stopword(parts[0]):
        # a preposition in front makes a derived word, not a compound of two things:
        # "überhaupt" is no Haupt, "Unternehmen" no nehmen, "nacheinander" no einander
        return [word]
    return list(parts)
