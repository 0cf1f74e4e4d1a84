"""The general-language resources partner search reads, none of them about any network's field.

All come from ``bot.textmatch.resources`` (shared with the FAQ engine, parsed once and cached):

- word frequencies (PyPI ``wordfreq``): a request word common in everyday language
  ("losing", "anlegen", "helfen") is phrasing, a rare one is a need, whether the directory
  knows it or not;
- a German word list (Debian ``hunspell-de-de``) and the frequency list's German words: the
  lexicon that splits a compound nobody in the directory wrote ("Nitratsonden");
- the German-English dictionary (Debian ``trans-de-en``): each profile word also answers to
  its translations, so "leaks" finds a "Leckortung" profile and "Drohne" a "drones" one;
  an English phrase the dictionary translates with one German word ("wind farm": "Windpark")
  finds that word.

Each is optional: without it the matching runs on the directory's own words and the glossary,
and ``rewimet-bot check`` names what is missing (``resources.missing_resources``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from bot.textmatch import resources
from bot.textmatch.stemming import plain_stem
from bot.textmatch.stemming import stem as stem_in
from handlers.partners.text import stem


def zipf(word: str) -> float:
    """How common a folded word is in everyday German or English (0: rarer than the lists)."""
    return max(
        resources.word_frequencies("de").get(word, 0.0),
        resources.word_frequencies("en").get(word, 0.0),
    )


@cache
def german_words() -> frozenset[str]:
    """Folded German words (hunspell list and frequency list): compound parts."""
    return resources.german_words() | frozenset(resources.word_frequencies("de"))


@lru_cache(maxsize=200_000)
def translations(word: str) -> tuple[str, ...]:
    """Stems (as partner search's ``stem`` makes them) of a folded word's translations.

    The word's language is not known (profiles mix them word by word), so it is looked up
    as German and as English; a dictionary lists senses the profile did not mean, which is
    why a translation counts less than the word itself (``analysis.TRANSLATION_WEIGHT``).
    """
    if len(word) < 3 or not word.isalpha():
        return ()
    own = stem(word)
    found: list[str] = []
    # ``stem`` runs the English stemmer, then the German one: an English stem may still
    # lose a German ending ("pipe" -> "pip"), a German one an English one. The tables'
    # German stems keep umlauts ("Förderung" is no "Forderung"); ``stem`` makes them plain.
    for target in resources.related_word(resources.german_to_english(), word, "de"):
        found.extend((target, stem_in(target, "de")))
    for target in resources.related(resources.english_to_german(), stem_in(word, "en")):
        found.extend((plain_stem(target), stem(plain_stem(target))))
    # heads of compounds: "grid" finds "Stromnetz", "Netzbetreiber" an "operator"
    heads_de_en, heads_en_de = resources.head_translations()
    for target in resources.related(heads_en_de, stem_in(word, "en")):
        found.extend((plain_stem(target), stem(plain_stem(target))))
    for target in resources.related_word(heads_de_en, word, "de"):
        found.extend((target, stem_in(target, "de")))
    return tuple(dict.fromkeys(s for s in found if s != own and len(s) > 2))


def phrase_key(phrase: Sequence[str]) -> str:
    """How `phrase_table` knows an English phrase of folded words."""
    return " ".join(stem_in(word, "en") for word in phrase)


def phrase_table(known: Callable[[str], bool]) -> dict[str, tuple[str, ...]]:
    """The English phrases the dictionary translates with one German word ("sewage works":
    "Kläranlage"), by `phrase_key`, with the stems (as ``stem`` makes them) of those words
    that are `known` (a directory's terms: another word cannot match anyway)."""
    found: dict[str, tuple[str, ...]] = {}
    for key, value in resources.english_phrases().items():
        stems = tuple(s for s in value.split("|") if known(s))
        if stems:
            found[key] = stems
    return found


@lru_cache(maxsize=200_000)
def is_own_word(compound: str, parts: tuple[str, ...]) -> bool:
    """Whether a German compound is a word of its own rather than a kind of its last part:
    the dictionary translates it with one word that translates none of its parts
    ("Kohlenwasserstoff" is a hydrocarbon, no hydrogen; "Handschuh" a glove, no shoe), while
    a kind of its last part has a two-word or no translation ("Altreifen": scrap tyre) or
    one of a part ("Rohrnetz": pipe). False without the dictionary."""
    table = resources.german_to_english()
    # "e-waste" is two words in one ("Elektroschrott" is scrap)
    whole = [t for t in resources.related_word(table, compound, "de") if t.isalpha()]
    if not whole:
        return False
    head = parts[-1]
    kinds = {
        *resources.related_word(table, head, "de"),
        *resources.related_word(resources.head_translations()[0], head, "de"),
    }
    named = {t for part in parts[:-1] for t in resources.related_word(table, part, "de")}
    # "wastewater" is still water; a part's own translation is the dictionary's shorthand
    return not any(t in named or any(t.endswith(k) for k in kinds) for t in whole)
