"""Whether a word names a person ("Praktikantin", "Azubi", "Chef", "intern", "boss"), from
general-language resources only: WordNet's nouns whose first sense is a person, and for a
German word the English words the dictionary (trans-de-en) translates it with, most of them
people. Without the resources nothing is a person here (the callers keep their own words).
"""

from __future__ import annotations

from functools import lru_cache

from bot.textmatch.resources import (
    german_to_english,
    german_words,
    people_en,
    related_word,
)
from bot.textmatch.stemming import stem

# Saying what the writer is, as pairs of folded words: "I am …", "I'm …", "we're …", "ich bin
# …", "wir sind …" (the person or kind named after it is the writer, no one else).
SAYS_SELF = frozenset(
    {("i", "am"), ("i", "m"), ("we", "are"), ("we", "re"), ("ich", "bin"), ("wir", "sind")}
)
# German endings of a woman's or several people's title ("Praktikantin", "Praktikantinnen"),
# read without when the dictionary lists the word without them.
_FEMININE = ("innen", "in")
# The shortest last part of a compound read as its head ("Werkstudentin": "Studentin").
MIN_HEAD = 4


@lru_cache(maxsize=4096)
def names_person(word: str, lang: str) -> bool:
    """Whether a folded word of a `lang` message names a person. English: a word for one in
    a form WordNet lists ("interns" as "intern"; by its listed words, not their stems:
    "Essen" is no "Essene"). German: a word most of whose translations are people
    (`_german_person`; "Fee" is a fairy in German, a charge in English), else, where the
    dictionary has none, an English word borrowed ("mein Mentor")."""
    people = people_en()
    if not people or len(word) < 3:
        return False
    english = any(form in people for form in _singular(word))
    if lang == "en":
        return english
    german = _german_person(word)
    return english if german is None else german


def _singular(word: str) -> tuple[str, ...]:
    """An English word and the singulars it may be the plural of ("interns", "bosses",
    "nannies", "women")."""
    forms = [word]
    if word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if word.endswith("es"):
        forms.append(word[:-2])
    if word.endswith("s"):
        forms.append(word[:-1])
    if word.endswith("men"):
        forms.append(word[:-3] + "man")
    return tuple(forms)


def _german_person(word: str) -> bool | None:
    """Whether most of the translations of a German word (or of its base, `_forms`) are
    people; None when the dictionary translates none of its forms."""
    for form in _forms(word):
        translated = related_word(german_to_english(), form, "de")
        if translated:
            # "Leiter" is a manager, a ladder and a wire: most of its senses must be people
            return 2 * sum(t in _people_stems() for t in translated) > len(translated)
    return None


@lru_cache(maxsize=1)
def _people_stems() -> frozenset[str]:
    """The English stems of the words for a person: the dictionary's translations are
    stems."""
    return frozenset(stem(word, "en") for word in people_en())


def _forms(word: str) -> list[str]:
    """The word, without a feminine or plural ending ("praktikantinnen", "azubis"), and the
    last part of either that is a German word of its own ("werkstudentin": "student")."""
    forms = [word]
    forms += [word[: -len(end)] for end in _FEMININE if word.endswith(end) and len(word) > 5]
    if word.endswith("s") and len(word) > 4:  # "Azubis", "Chefs"
        forms.append(word[:-1])
    german = german_words()
    for form in list(forms):
        head = next(
            (form[i:] for i in range(1, len(form) - MIN_HEAD + 1) if form[i:] in german), None
        )
        if head is not None and head not in forms:
            forms.append(head)
    return forms
