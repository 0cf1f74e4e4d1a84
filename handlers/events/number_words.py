"""Numbers typed as words, German and English, 1 to 100: the one table the event steps and
questions read them from ("zwanzig Plätze", "twenty", "mit zwei Kolleginnen", "drei Stunden").

Lower-case; German ones with umlauts and ß and typed without them ("fünf", "fuenf";
"dreißig", "dreissig"); English tens with a hyphen, a space or neither ("twenty-one").
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.textmatch import fold

_GERMAN_UNITS = ("eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
_GERMAN_TEENS = (
    "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn",
    "achtzehn", "neunzehn",
)  # fmt: skip
_GERMAN_TENS = (
    "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig",
)  # fmt: skip
_ENGLISH_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_ENGLISH_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_ENGLISH_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_HUNDRED = ("hundert", "einhundert", "hundred", "one hundred", "a hundred")
_SEPARATORS = re.compile(r"[\s-]+")


@lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    """Every number word from 1 to 100 (with "ein" for 1, as in "einundzwanzig"), by its
    typed forms."""
    words: dict[str, int] = {}
    for units, teens, tens in (
        (_GERMAN_UNITS, _GERMAN_TEENS, _GERMAN_TENS),
        (_ENGLISH_UNITS, _ENGLISH_TEENS, _ENGLISH_TENS),
    ):
        german = units is _GERMAN_UNITS
        for number, word in enumerate(units, start=1):
            words[word] = number
        for number, word in enumerate(teens, start=10):
            words[word] = number
        for ten, tens_word in enumerate(tens, start=2):
            words[tens_word] = ten * 10
            for unit, unit_word in enumerate(units, start=1):
                if german:
                    first = "ein" if unit == 1 else unit_word
                    words[f"{first}und{tens_word}"] = ten * 10 + unit
                else:
                    for joint in ("-", " ", ""):
                        words[f"{tens_word}{joint}{unit_word}"] = ten * 10 + unit
    words["ein"] = 1
    words.update(dict.fromkeys(_HUNDRED, 100))
    for word, number in list(words.items()):
        words.setdefault(fold(word), number)
    return words


def number_of(text: str) -> int | None:
    """The number `text` is as a word alone ("zwanzig", "Twenty-one", "fuenfzig"); None when
    it is none."""
    typed = " ".join(_SEPARATORS.split(text.strip().casefold().strip(".!")))
    return number_words().get(typed)
