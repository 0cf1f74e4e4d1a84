"""Snowball stemming and stop words for German and English."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import snowballstemmer

LANGUAGES: tuple[str, ...] = ("de", "en")
_ALGORITHMS = {"de": "german", "en": "english"}


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_ALGORITHMS[lang])


@lru_cache(maxsize=200_000)
def stem(token: str, lang: str) -> str:
    """Snowball stem of a folded token; unknown languages fall back to German."""
    return str(_stemmer(lang if lang in _ALGORITHMS else "de").stemWord(token))


_DIGRAPHS = ("ae", "oe", "ue")
_VOWELS = frozenset("aeiouy")


def umlauts(token: str) -> set[int]:
    """Where Snowball's German stemmer reads ae/oe/ue as ä/ö/ü: not in "qu", and not a "u"
    between vowels ("treue", "bauen"), which it takes for a consonant."""
    found: set[int] = set()
    i = 0
    while i < len(token) - 1:
        pair = token[i : i + 2]
        if pair == "qu":
            i += 2
        elif pair in _DIGRAPHS and not (pair == "ue" and i > 0 and token[i - 1] in _VOWELS):
            found.add(i)
            i += 2
        else:
            i += 1
    return found


@lru_cache(maxsize=200_000)
def stem_kept(token: str, lang: str) -> str:
    """The stem of a folded token with its umlauts kept (German only).

    Snowball's German stemmer turns ä/ö/ü (typed ae/oe/ue) into a/o/u, so "Förderung"
    (funding) and "Forderung" (claim) share the stem "forder", as do "zählen" and "zahlen":
    right for matching "Verträge" with "Vertrag", wrong for looking words up in a dictionary,
    which lists both. Here each vowel the stemmer made plain is written as typed again
    ("foerder", "zaehl"); a token without an umlaut keeps its plain stem.
    """
    plain = stem(token, lang)
    found = umlauts(token) if lang == "de" else set()
    if not found:
        return plain
    kept: list[str] = []
    i = 0
    for char in plain:
        if i >= len(token) or token[i] != char:
            return plain  # the stem is no beginning of the token: leave it
        step = 2 if i in found else 1
        kept.append(token[i : i + step])
        i += step
    return "".join(kept)


def plain_stem(kept: str) -> str:
    """A stem with umlauts kept (`stem_kept`) as Snowball writes it: "foerder" -> "forder"."""
    found = umlauts(kept)
    if not found:
        return kept
    return "".join(ch for i, ch in enumerate(kept) if i - 1 not in found)


def vowel_plural_singular(token: str, *, after_e: bool = False) -> str | None:
    """The singular of a folded token ending in a German plural -s after a vowel, which the
    Snowball stemmer keeps ("akkus" -> "akku", "unis" -> "uni"), or None; a word of up to
    three letters ("bus") is none. ``after_e`` also takes an -s after an "e" for one."""
    vowels = "aeiouy" if after_e else "aiouy"
    if len(token) > 3 and token.endswith("s") and token[-2] in vowels:
        return token[:-1]
    return None


# Words up to this length are mostly abbreviations (LIB vs LIBS, PGM, REE): kept as written.
_SHORT_WORD = 4


@lru_cache(maxsize=200_000)
def stem_bilingual(token: str) -> str:
    """Stem of a folded token whose language is unknown (English, then German suffixes).

    Member profiles mix both languages word by word; as long as both sides of a
    comparison use this function, an odd stem still matches itself.
    """
    if len(token) <= _SHORT_WORD or not token.isalpha() or token in _unstemmed():
        return token
    return str(_stemmer("de").stemWord(_stemmer("en").stemWord(token)))


@lru_cache(maxsize=1)
def _unstemmed() -> frozenset[str]:
    # German words the English stemmer would turn into another word's stem.
    return read_word_list("bot.textmatch", "data/nostem.txt")


def read_word_list(package: str, name: str) -> frozenset[str]:
    """Whitespace-separated words of a packaged data file; `#` starts a comment."""
    raw = resources.files(package).joinpath(name).read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        words.update(line.split("#", 1)[0].split())
    return frozenset(words)


_TYPED_UMLAUT = re.compile(r"(?<=[a-z])([aou])e|^([aou])e")


def plain_vowels(token: str) -> str:
    """ae/oe/ue as typed for ä/ö/ü turned into plain vowels ("fuer" -> "fur")."""
    return _TYPED_UMLAUT.sub(r"\1\2", token) if "e" in token else token


# Negation words: stop words in a general list, but they turn "receive" into "unsubscribe".
NEGATIONS = frozenset(
    {"not", "no", "nor", "never", "nicht", "kein", "keine", "keinen", "keiner", "keinem", "nie"}
)


# The German question words the general list spells out only in part, built from its
# prepositions by the grammar: "wo" and a preposition, with an "r" before a vowel ("worum",
# "wofür", "woran"). "Worum geht es bei der Exkursion?" asks about the excursion; "worum" is
# as much a function word as "was". (The "da" forms and "fürs", "aufs" were measured too: they
# moved answers and partner rankings either way by chance, so they stay content words.)
_QUESTION_PREPOSITIONS = (
    "an", "auf", "aus", "bei", "durch", "fuer", "gegen", "in", "mit", "nach", "neben",
    "ueber", "um", "unter", "von", "vor", "zu", "zwischen",
)  # fmt: skip


def _question_adverbs(listed: set[str]) -> set[str]:
    return {f"wo{'r' if p[0] in 'aeiou' else ''}{p}" for p in _QUESTION_PREPOSITIONS if p in listed}


def _contractions(listed: set[str]) -> set[str]:
    """A preposition joined with its article ("beim", "vom", "aufs", "übers"): German
    grammar, which the general list has only some of ("zum", "im", "ins"; not "beim")."""
    joined = {p + end for p in _QUESTION_PREPOSITIONS if p in listed for end in ("m", "s")}
    return joined | {"vom", "zur"}


@lru_cache(maxsize=2)
def stop_words(lang: str) -> frozenset[str]:
    """Folded stop words of one language (a general list, negations left out; German with its
    "wo"-question words, `_question_adverbs`, and its prepositions joined with an article,
    `_contractions`)."""
    words = set(read_word_list("bot.textmatch", f"data/stopwords_{lang}.txt")) - NEGATIONS
    if lang == "de":
        words |= _question_adverbs(words) | _contractions(words)
        # Members often type umlauts as plain vowels: "fur", "uber", "konnen".
        words.update(
            w.replace("ae", "a").replace("oe", "o").replace("ue", "u") for w in list(words)
        )
    return frozenset(words)


@lru_cache(maxsize=1)
def modal_particles() -> frozenset[str]:
    """German modal particles, folded (`data/modal_particles_de.txt`)."""
    return read_word_list("bot.textmatch", "data/modal_particles_de.txt")


def is_stop_word(token: str) -> bool:
    """True for a function word of either language (messages mix them freely)."""
    return token in stop_words("de") or token in stop_words("en")


def own_function_words(tokens: list[str]) -> dict[str, int]:
    """How many of `tokens` are function words of each language alone: "was", "an", "in",
    "will" are function words of both and tell neither."""
    de, en = stop_words("de"), stop_words("en")
    return {
        "de": sum(1 for t in tokens if t in de and t not in en),
        "en": sum(1 for t in tokens if t in en and t not in de),
    }


def detect_language(tokens: list[str], default: str = "de", margin: int = 1) -> str:
    """Guess de/en from function-word counts; the default stands unless the other language
    leads by at least `margin` words."""
    counts = {lang: sum(1 for t in tokens if t in stop_words(lang)) for lang in LANGUAGES}
    other = "en" if default == "de" else "de"
    return other if counts[other] - counts.get(default, 0) >= margin else default
