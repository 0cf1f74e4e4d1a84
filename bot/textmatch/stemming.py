"""Snowball stemming and stop words for German and English."""

from __future__ import annotations

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


@lru_cache(maxsize=2)
def stop_words(lang: str) -> frozenset[str]:
    """Folded stop words of one language."""
    name = f"data/stopwords_{lang}.txt"
    raw = resources.files("bot.textmatch").joinpath(name).read_text("utf-8")
    words: set[str] = set()
    for line in raw.splitlines():
        if not line.lstrip().startswith("#"):
            words.update(line.split())
    if lang == "de":
        # Members often type umlauts as plain vowels: "fur", "uber", "konnen".
        words.update(
            w.replace("ae", "a").replace("oe", "o").replace("ue", "u") for w in list(words)
        )
    return frozenset(words)


def is_stop_word(token: str) -> bool:
    """True for a function word of either language (messages mix them freely)."""
    return token in stop_words("de") or token in stop_words("en")


def detect_language(tokens: list[str], default: str = "de", margin: int = 1) -> str:
    """Guess de/en from function-word counts; the default stands unless the other language
    leads by at least `margin` words."""
    counts = {lang: sum(1 for t in tokens if t in stop_words(lang)) for lang in LANGUAGES}
    other = "en" if default == "de" else "de"
    return other if counts[other] - counts.get(default, 0) >= margin else default
