"""Language-neutral text normalisation for German/English matching.

Plain functions so they can later move into the shared ``bot/textmatch`` package:
folding (case, umlauts, accents), tokenising, stemming, stop words and German
compound splitting. Only data loading is cached; nothing is built at import time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from importlib import resources

import snowballstemmer

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "æ": "ae", "ø": "o"})
_WORD = re.compile(r"[a-z0-9]+")
# German linking elements (Fugen) allowed between compound parts.
_LINKS = ("", "s", "es", "n", "en", "e", "er")
MIN_PART = 3
MIN_COMPOUND = 7


def fold(text: str) -> str:
    """Lower-case, fold umlauts and ß, strip other accents."""
    lowered = unicodedata.normalize("NFKC", text).lower().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded word tokens; hyphens, slashes and punctuation separate words."""
    return _WORD.findall(fold(text))


@cache
def _stemmers() -> tuple[snowballstemmer.stemmer, snowballstemmer.stemmer]:
    return snowballstemmer.stemmer("english"), snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Stem a folded word for both languages at once.

    Members write topics in a mix of German and English, so the language of a
    single word is unknown: English suffixes are stripped first, then German
    ones. Both sides of a comparison go through the same function, so the
    occasional odd stem still matches itself.
    """
    # short tokens are mostly abbreviations (LIB vs LIBS, PGM, REE): keep them as written
    if len(word) <= 4 or not word.isalpha():
        return word
    if word in _unstemmed():
        return word
    english, german = _stemmers()
    result: str = german.stemWord(english.stemWord(word))
    return result


@cache
def _unstemmed() -> frozenset[str]:
    return frozenset(_data_lines("nostem.txt"))


def _data_lines(name: str) -> Iterable[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield line


@cache
def stopwords() -> frozenset[str]:
    """Folded stop words of both languages plus request boilerplate."""
    found: set[str] = set()
    for line in _data_lines("stopwords.txt"):
        found.update(words(line))
    return frozenset(found)


@cache
def compound_parts() -> frozenset[str]:
    """Short words allowed as compound parts (Alt-, Erz-, Bio-)."""
    found: set[str] = set()
    for line in _data_lines("compound_parts.txt"):
        found.update(words(line))
    return frozenset(found)


_TRANSLITERATED = re.compile(r"(?<=[a-z])([aou])e|^([aou])e")


def is_stopword(word: str) -> bool:
    """Stop word check that also accepts umlauts typed as ae/oe/ue (fuer, moechten)."""
    words_ = stopwords()
    return word in words_ or ("e" in word and _TRANSLITERATED.sub(r"\1\2", word) in words_)


def split_compound(
    word: str,
    known: Callable[[str], bool],
    known_final: Callable[[str], bool] | None = None,
) -> list[str]:
    """Split a folded German compound into known parts (Batterierecycling -> batterie, recycling).

    ``known`` decides whether a surface string is a word; ``known_final`` (default
    ``known``) judges the last part, which alone carries the inflection. The
    split uses the fewest parts, allows linking elements (Fugen-s, -n, -en ...)
    between parts and returns ``[word]`` when no full split exists.
    """
    final = known_final or known
    n = len(word)
    if n < MIN_COMPOUND:
        return [word]
    # best[i] = fewest parts covering word[:i]; back[i] = (start of last part, its end)
    best: list[int | None] = [None] * (n + 1)
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    best[0] = 0
    for start in range(n):
        count = best[start]
        if count is None:
            continue
        for end in range(start + MIN_PART, n + 1):
            if end - start == n:
                continue  # the whole word is not a split
            if not (final(word[start:end]) if end == n else known(word[start:end])):
                continue
            for link in _LINKS:
                stop = end + len(link)
                if stop > n or word[end:stop] != link:
                    continue
                if stop < n and n - stop < MIN_PART:
                    continue
                current = best[stop]
                if current is None or count + 1 < current:
                    best[stop] = count + 1
                    back[stop] = (start, end)
    if best[n] is None:
        return [word]
    parts: list[str] = []
    pos = n
    while pos > 0:
        start, end = back[pos]
        parts.append(word[start:end])
        pos = start
    parts.reverse()
    return parts
