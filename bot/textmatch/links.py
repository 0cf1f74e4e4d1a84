"""Links from any word to the words of a network's own vocabulary, through general resources.

A member writes "Gebühr" where the knowledge base says "Beitrag" (OpenThesaurus) or "fee"
(trans-de-en), "dues" where it says "fee" (WordNet). For every word of the vocabulary (the
texts an engine searches) the related words of each resource are looked up once; a word of a
message then finds, by its stem, the vocabulary words it relates to. Each vocabulary word is
a link id (`~=` + its stems) that the word itself carries too, so both sides of a match meet
on it. Only what relates to the vocabulary is kept: a few thousand entries, not the
dictionaries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from bot.textmatch import resources
from bot.textmatch.stemming import LANGUAGES, is_stop_word

LINK_PREFIX = "~="
# The resources a link may come from, by name (see `resources.RESOURCES`).
ALL_SOURCES = frozenset({"OpenThesaurus", "WordNet", "trans-de-en"})
# What the engines link through by default: measured one by one (leave-one-phrasing-out
# self-test and the development set), only the dictionary added accuracy and took wrong
# answers down; the two thesauri's extra senses cost as much as they found.
DEFAULT_SOURCES = frozenset({"trans-de-en"})
# A word that relates to more vocabulary words than this says nothing in particular.
MAX_LINKS = 6
MIN_WORD = 3
# True: a vocabulary word keeps only its own id instead of also linking to the other
# vocabulary words a resource relates it to. Measured: it cost the self-test 0.03-0.05
# accuracy for one more development question ranked first, so it stays off.
OWN_ID_ONLY = False


def is_link(term: str) -> bool:
    """True for a link id (as opposed to a stem or a glossary concept)."""
    return term.startswith(LINK_PREFIX)


@dataclass(frozen=True, slots=True)
class _Relation:
    name: str  # resource name
    source: str  # language of the table's keys
    target: str  # language of the related stems


_RELATIONS = (
    _Relation("OpenThesaurus", "de", "de"),
    _Relation("WordNet", "en", "en"),
    _Relation("trans-de-en", "de", "en"),
    _Relation("trans-de-en", "en", "de"),
)


def _table(relation: _Relation) -> resources.Table:
    if relation.name == "OpenThesaurus":
        return resources.synonyms_de()
    if relation.name == "WordNet":
        return resources.synonyms_en()
    if relation.source == "de":
        return resources.german_to_english()
    return resources.english_to_german()


class GeneralLinks:
    """Per language, stem of any word -> link ids of the vocabulary words it relates to."""

    def __init__(
        self, vocabulary: Iterable[str], sources: frozenset[str] = DEFAULT_SOURCES
    ) -> None:
        links: dict[str, dict[str, set[str]]] = {lang: defaultdict(set) for lang in LANGUAGES}
        relations = [r for r in _RELATIONS if r.name in sources]
        words = set(vocabulary)
        # Without a vocabulary nothing is picked and the tables are not read (the dictionary
        # alone is 17 MB): an analyzer of the glossary's concepts only needs none of them.
        tables = [(r, _table(r)) for r in relations] if words else []
        own_ids: dict[str, dict[str, set[str]]] = {lang: defaultdict(set) for lang in LANGUAGES}
        for word in words:
            if len(word) < MIN_WORD or not word.isalpha() or is_stop_word(word):
                continue
            own = {lang: resources.word_keys(word, lang) for lang in LANGUAGES}
            link = _link_id(own["de"][0], own["en"][0])
            for lang in LANGUAGES:
                for key in own[lang]:
                    own_ids[lang][key].add(link)
            languages = _languages(word)
            for relation, table in tables:
                if relation.source not in languages:
                    continue
                for other in resources.related_word(table, word, relation.source):
                    links[relation.target][other].add(link)
        for lang, own_table in own_ids.items():
            for key, ids in own_table.items():
                if OWN_ID_ONLY:
                    links[lang][key] = set(ids)
                else:
                    links[lang][key] |= ids
        self._links = {
            lang: {key: tuple(sorted(ids)) for key, ids in table.items() if len(ids) <= MAX_LINKS}
            for lang, table in links.items()
        }

    def __len__(self) -> int:
        return sum(len(t) for t in self._links.values())

    def of(self, token: str, lang: str) -> tuple[str, ...]:
        """Link ids of a folded token read in `lang` (by `resources.word_keys`)."""
        table = self._links[lang]
        keys = resources.word_keys(token, lang)
        if len(keys) == 1:
            return table.get(keys[0], ())
        return tuple(dict.fromkeys(i for key in keys for i in table.get(key, ())))

    def of_stem(self, key: str, lang: str) -> tuple[str, ...]:
        """Link ids of a stem in `lang`."""
        return self._links[lang].get(key, ())


def _link_id(german: str, english: str) -> str:
    """A vocabulary word's id from its German and English stems: German "offen" and English
    "offer" share the German stem "off" but are different words."""
    return LINK_PREFIX + (german if german == english else f"{german}/{english}")


def _languages(word: str) -> tuple[str, ...]:
    """The languages a vocabulary word is looked up in: the one a word list knows it in,
    else both. Read as German, English "offer" would be "offen" (open) by its stem."""
    german = word in resources.german_words() or word in resources.word_frequencies("de")
    english = word in resources.word_frequencies("en")
    if german != english:
        return ("de",) if german else ("en",)
    return LANGUAGES
