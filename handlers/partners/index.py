"""Inverted index of the member directory over concepts, stems and compound parts.

Each member's fields are analysed once (topics weigh most); a posting holds a
member's saturated, field-weighted credit for a term. A request is matched unit
by unit: every unit weighs as much as it is rare in the directory (BM25 idf),
and a member's coverage is the share of the request's weight it earns.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.textmatch import resources
from bot.textmatch.stemming import stem as stem_in
from handlers.partners import general
from handlers.partners.analysis import Unit, analyse, document_terms
from handlers.partners.concepts import Thesaurus
from handlers.partners.directory import Candidate
from handlers.partners.general import is_own_word, zipf
from handlers.partners.text import (
    MIN_PART,
    compound_parts,
    is_stopword,
    split_compound,
    stem,
    stopwords,
    words,
)

# How much a field of the directory says about what a member does.
FIELD_WEIGHTS = {"topics": 3.0, "organisation": 1.0, "bio": 0.8, "role": 0.5, "city": 0.5}
SATURATION = 0.75  # credit = x / (x + SATURATION); one topic hit ~ 0.8
# A request word the directory does not use: common words are phrasing ("losing", "anlegen"),
# rare ones a need the network may not serve (keeps weight, so such a request reaches nobody).
UNKNOWN_WORD_WEIGHT = 0.5
UNKNOWN_CONCEPT_WEIGHT = 0.5
# Everyday-language commonness (Zipf: log10 per billion words) at which a request word
# starts to count less, and where it counts least: "Mangan" 3.0 counts fully, "Eisen" 4.1
# about two thirds, "helfen" 5.2 and "water" 5.5 little.
ZIPF_RARE = 3.5
ZIPF_COMMON = 5.5
COMMON_FLOOR = 0.1
# Broad activities (thesaurus !generic: recycling, collection, trading ...) frame
# a request but do not say who fits; without this, "who recycles textiles?"
# would reach every recycler.
GENERIC_WEIGHT = 0.5
# What the request shares with the requester's own profile is mostly context
# ("for our Wälzoxid we need a CO2 footprint"), not the capability sought.
OWN_CONTEXT_WEIGHT = 0.5
MIN_TERM_FACTOR = 0.1  # skip terms too general to matter (and their long postings)
# A member naming every word of a request's glossary phrase, though not the phrase: its
# credit for the phrase, as for a dictionary translation (``analysis.TRANSLATION_WEIGHT``).
EVERY_WORD_FACTOR = 0.7
MIN_WORD_OF_PHRASE = 3  # "e" of "e-waste" is no word to be named on its own
# A word with more dictionary translations than this (stems: about six words, each also
# stemmed the other language's way) links nothing surely: "Spur" is a trace, a track, a lane
# and lead; "Neodym" is neodymium.
SURE_SENSES = 12
_NO_POSTINGS: tuple[array[int], array[float]] = (array("i"), array("d"))
FUZZY_CUTOFF = 86.0
FUZZY_MIN_LEN = 6  # shorter stems are too close to other words ("plant" ~ "plat")
SPLIT_CACHE_SIZE = 200_000
# Inflection endings tried when a profile word is looked up in the dictionary
# ("Leckagen" -> "Leckage", "drones" -> "drone").
_ENDINGS = ("", "s", "es", "n", "en", "e", "er", "ern", "ies")
# What compound splitting and stemming cut off a part's end.
_CUT_ENDINGS = ("", "e", "en", "n")


def commonness_factor(surface: Sequence[str]) -> float:
    """How much a unit's words say about a need: 1 for rare words, less for everyday ones.
    A phrase the glossary knows ("e-waste", "lithium-ion battery") is a term of its own,
    rarer than any of its words."""
    if len(surface) != 1:
        return 1.0
    z = min(_everyday_zipf(word) for word in surface)
    if z <= ZIPF_RARE:
        return 1.0
    if z >= ZIPF_COMMON:
        return COMMON_FLOOR
    return 1.0 - (1.0 - COMMON_FLOOR) * (z - ZIPF_RARE) / (ZIPF_COMMON - ZIPF_RARE)


def content_words(units: Sequence[Unit]) -> int:
    """How many of `units` are more than everyday words ("wer", "kann", "help")."""
    return sum(1 for unit in units if commonness_factor(unit.surface) > COMMON_FLOOR)


def _everyday_zipf(word: str) -> float:
    """How common a word is; a compound's part is looked up with the ending its splitting
    cut off as well ("onlin" of "Onlineshop" is "online")."""
    return max(zipf(word + ending) for ending in _CUT_ENDINGS)


def _base_forms(word: str) -> list[str]:
    forms: list[str] = []
    for ending in _ENDINGS:
        if ending and not word.endswith(ending):
            continue
        base = word[: len(word) - len(ending)] if ending else word
        if ending == "ies":
            base += "y"
        if len(base) >= 3:
            forms.append(base)
    return forms


@dataclass(frozen=True)
class Coverage:
    """Covered request weight per member position, the request's total weight,
    and the scale (idf of a term nobody uses) that makes weights comparable
    between a directory of 90 and one of 10,000 members."""

    total: dict[int, float]
    mass: float
    scale: float
    # the members credited for something the request asks for, not only for a place or
    # everyday words ("a dentist in Goslar" shares nothing but the city with a recycler there)
    content: frozenset[int] = frozenset()


class MemberIndex:
    """Built once per directory; answers "how much of this request does each member cover"."""

    def __init__(
        self,
        candidates: Sequence[Candidate],
        thesaurus: Thesaurus,
        *,
        translate: bool = True,
    ) -> None:
        members = list(candidates)  # read here, not kept: the matcher has them
        self._thesaurus = thesaurus
        self._splits: dict[str, list[str]] = {}
        self._build_lexicon(members)
        self._translate = general.translations if translate else None
        self._build_index(members)
        # only what this directory uses: the whole table is 20 MB
        self._phrases = (
            general.phrase_table(lambda s: f"w:{s}" in self._postings) if translate else {}
        )

    # -- index -----------------------------------------------------------------

    @staticmethod
    def _fields(member: Candidate) -> dict[str, list[str]]:
        # the kind is not content: a request naming a kind is handled by ``kinds``
        return {
            "topics": list(member.topics),
            "organisation": [member.organisation],
            "bio": [member.bio],
            "role": [member.role],
            "city": [member.city],
        }

    def _build_lexicon(self, members: Sequence[Candidate]) -> None:
        lexicon = set(self._thesaurus.lexicon)
        # Topics, roles and cities repeat across a directory: each distinct text is read once.
        texts = {
            text
            for member in members
            for values in self._fields(member).values()
            for text in values
        }
        for text in texts:
            lexicon.update(w for w in words(text) if len(w) >= 4 and not is_stopword(w))
        self._own_lexicon = frozenset(lexicon)
        # general German words split compounds nobody in the directory wrote ("Nitratsonden")
        self._general = general.german_words()
        self._short = compound_parts()
        self._lexicon_stems = frozenset(stem(w) for w in lexicon if len(w) >= 4)

    def _in_lexicon(self, part: str) -> bool:
        return part in self._own_lexicon or part in self._general

    def _known(self, part: str) -> bool:
        if len(part) == MIN_PART:
            return part in self._short
        # "öko" folds to four letters; "Hochschul-labor" drops the first word's final e
        return self._in_lexicon(part) or part in self._short or self._in_lexicon(part + "e")

    def _known_final(self, part: str) -> bool:
        # The head carries its own ending: no dropped "e" ("Wick-lung" is no Lunge) and an
        # inflected form only when it has an ending ("Schlack-en").
        if len(part) <= MIN_PART:
            return self._known(part)
        if self._in_lexicon(part) or part in self._short:
            return True
        stemmed = stem(part)
        return (stemmed != part and stemmed in self._lexicon_stems) or any(
            self._in_lexicon(form) for form in _base_forms(part)[1:]
        )

    def split(self, word: str) -> list[str]:
        """Parts of a folded compound against the directory's and the general lexicon."""
        return self._split(word)

    def _split(self, word: str) -> list[str]:
        parts = self._splits.get(word)
        if parts is None:
            parts = _own_word_last(word, split_compound(word, self._known, self._known_final, zipf))
            if len(self._splits) < SPLIT_CACHE_SIZE:  # requests bring ever new words
                self._splits[word] = parts
        return parts

    def _build_index(self, members: Sequence[Candidate]) -> None:
        # Postings are flat arrays: millions of small tuples would make every
        # garbage-collector pass over a 10,000-member index slow.
        postings: dict[str, tuple[array[int], array[float]]] = {}
        # A member's own terms as a tuple of the postings' keys: each text's analysis makes
        # its own copies of the term strings, and a set per member weighs five times more
        # (10,000 members: 4 MB instead of 33).
        own_terms: list[tuple[str, ...]] = []
        canonical: dict[str, str] = {}
        bags: dict[str, dict[str, float]] = {}  # generated and real directories repeat texts
        places: set[str] = set()
        for i, member in enumerate(members):
            mass: dict[str, float] = {}
            for name, texts in self._fields(member).items():
                weight = FIELD_WEIGHTS[name]
                for text in texts:
                    bag = bags.get(text)
                    if bag is None:
                        units = analyse(text, self._thesaurus, self._split, keep_words=True)
                        bag = bags[text] = document_terms(units)
                    if name == "city":
                        places.update(bag)
                    for term, tf in bag.items():
                        mass[term] = mass.get(term, 0.0) + weight * tf
            for term, x in mass.items():
                ids, credits = postings.setdefault(term, (array("i"), array("d")))
                ids.append(i)
                credits.append(x / (x + SATURATION))
            own_terms.append(tuple(canonical.setdefault(term, term) for term in mass))
        self._postings = postings
        self._own_terms = own_terms
        # where members are, not what they do: the terms of the directory's cities (also
        # when an organisation's name repeats its city, "Institut ... Clausthal")
        self._places = frozenset(places)
        n = len(members)
        self._idf = {t: self._idf_for(len(p[0]), n) for t, p in postings.items()}
        self._unknown_idf = self._idf_for(0, n)
        buckets: dict[str, list[str]] = {}
        stems = {t[2:] for t in postings if t.startswith("w:")}
        stems.update(k[0] for k in self._thesaurus.phrases if len(k) == 1)
        for s in stems:
            if len(s) >= FUZZY_MIN_LEN - 1:
                buckets.setdefault(s[0], []).append(s)
        self._fuzzy_buckets = buckets
        noise: dict[str, list[str]] = {}
        for word in stopwords():
            if len(word) > FUZZY_MIN_LEN:
                noise.setdefault(word[0], []).append(word)
        self._stopword_buckets = noise

    @staticmethod
    def _idf_for(df: int, n: int) -> float:
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _correct(self, word: str) -> str | None:
        """A known stem for a misspelt word, "" for a misspelt stop word, else None."""
        stemmed = stem(word)
        if len(stemmed) < FUZZY_MIN_LEN or f"w:{stemmed}" in self._postings:
            return None
        if zipf(word) > 0.0 or word in self._general:
            return None  # a real word of its own ("brauchen" is no typo of "Bruch")
        known = process.extractOne(
            stemmed,
            self._fuzzy_buckets.get(stemmed[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
        )
        noise = process.extractOne(
            word,
            self._stopword_buckets.get(word[0], ()),
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
        )
        if noise is not None and (known is None or noise[1] > known[1]):
            return ""
        return None if known is None else str(known[0])

    # -- query -----------------------------------------------------------------

    def units(self, text: str) -> list[Unit]:
        """The request's units, each once (a repeated word or synonym counts once)."""
        # Translations are looked up for the request, not stored with the profiles: a
        # dictionary's other senses ("Leck" -> "lick") then only matter when the directory
        # happens to use them.
        units = analyse(
            text,
            self._thesaurus,
            self._split,
            self._correct,
            translate=self._translate,
            translate_phrase=self._translate_phrase if self._phrases else None,
        )
        unique: dict[str, Unit] = {}
        for unit in units:
            unique.setdefault(unit.primary, unit)
        return list(unique.values())

    def _translate_phrase(self, phrase: tuple[str, ...]) -> tuple[str, ...]:
        return self._phrases.get(general.phrase_key(phrase), ())

    def asked(self, unit: Unit, most_senses: int) -> tuple[frozenset[str], frozenset[str]]:
        """What a request's unit names itself (its stem in either language, concepts, the
        whole compound; not broader concepts or dictionary senses), and the terms of its
        word's translations when the dictionary gives at most `most_senses` (a word with
        more, "Spur", links nothing surely). A word the dictionary does not know as written
        is looked up by its inflection bases ("kauft": "kauf", as in "kaufen")."""
        terms = {term for term, weight in unit.terms if weight >= 1.0}
        senses = set(unit.translated)
        if len(unit.surface) == 1 and self._translate is not None:
            word = unit.surface[0]
            bases = [word]
            if not senses:
                bases += [*resources.base_forms(word, "de"), *resources.base_forms(word, "en")]
            for base in dict.fromkeys(bases):
                terms.update(f"w:{stem_in(base, lang)}" for lang in ("de", "en"))
                if base != word:
                    senses.update(f"w:{s}" for s in self._translate(base))
        if len(senses) > most_senses:
            senses = set()
        return frozenset(terms), frozenset(senses - terms)

    def is_place(self, unit: Unit) -> bool:
        """A place a member is in (the directory's cities): it narrows a request, it is not
        what a partner should do or know."""
        return unit.primary in self._places

    def is_generic(self, unit: Unit) -> bool:
        """A broad activity of the glossary (recycling, collection): it frames a request."""
        return unit.primary.startswith("c:") and unit.primary[2:] in self._thesaurus.generic

    def unit_weight(self, unit: Unit, naming_every_word: int = 0) -> float:
        """Rarity in the directory (BM25 idf) times rarity in everyday language; a glossary
        phrase nobody names is as rare as the members naming each of its words make it."""
        concept = unit.primary.startswith("c:")
        idf = self._idf.get(unit.primary)
        factor = unit.weight * commonness_factor(unit.surface)
        if idf is None and naming_every_word:
            idf = self._idf_for(naming_every_word, len(self._own_terms))
        if idf is None:
            # nobody covers it: a rare word is a need the network may not serve, a common
            # one mostly phrasing; a glossary concept is no surer sign than a rare word
            unknown = UNKNOWN_CONCEPT_WEIGHT if concept else UNKNOWN_WORD_WEIGHT
            return factor * self._unknown_idf * unknown
        if self.is_generic(unit):
            return factor * GENERIC_WEIGHT * idf
        return factor * idf

    def _naming_every_word(self, unit: Unit) -> dict[int, float]:
        """For a glossary phrase or compound of a request that nobody names as such ("rare
        earth magnets", "Seltenerdmagnete"): the members naming each of its words or parts,
        as written or translated, with their least credit for one of them ("Seltene Erden"
        and "Magnetschrott")."""
        if not unit.primary.startswith("c:") or unit.primary in self._idf:
            return {}
        parts = list(unit.surface)
        if len(parts) == 1:
            parts = self._split(parts[0])
        if len(parts) < 2 or any(len(word) < MIN_WORD_OF_PHRASE for word in parts):
            return {}
        found: dict[int, float] | None = None
        for word in parts:
            terms = {f"w:{stem(word)}"}
            senses = self._translate(word) if self._translate is not None else ()
            if len(senses) <= SURE_SENSES:  # "board" is a Brett, Platte, Vorstand, Kost ...
                terms.update(f"w:{s}" for s in senses)
            credit: dict[int, float] = {}
            for term in terms:
                ids, credits = self._postings.get(term, _NO_POSTINGS)
                for i, value in zip(ids, credits, strict=True):
                    if (found is None or i in found) and value > credit.get(i, 0.0):
                        credit[i] = value
            if found is not None:
                credit = {i: min(value, found[i]) for i, value in credit.items()}
            found = credit
            if not found:
                return {}
        return found or {}

    def coverage(self, text: str, requester: int | None = None) -> dict[int, tuple[float, float]]:
        """Per member position: (covered share of the request, covered weight)."""
        covered = self.cover(self.units(text), requester)
        if covered.mass <= 0.0:
            return {}
        return {
            i: (value / covered.mass, value / covered.scale) for i, value in covered.total.items()
        }

    def cover(self, units: list[Unit], requester: int | None = None) -> Coverage:
        """How much of the request's weight (its ``units``) each member covers.

        ``requester`` (a position) marks what the request shares with the
        requester's own profile as context.
        """
        own = frozenset(self._own_terms[requester]) if requester is not None else frozenset()
        total: dict[int, float] = {}
        if all(self.is_generic(unit) for unit in units):
            # "Partner für Recycling gesucht" says nothing about who fits
            return Coverage(total, 0.0, self._unknown_idf)
        mass = 0.0
        content: set[int] = set()
        for unit in units:
            whole_words = self._naming_every_word(unit)
            weight = self.unit_weight(unit, len(whole_words))
            asks = not self.is_place(unit) and commonness_factor(unit.surface) > COMMON_FLOOR
            if unit.primary in own:
                weight *= OWN_CONTEXT_WEIGHT
            mass += weight
            specific = self._idf.get(unit.primary, self._unknown_idf)
            useful: list[tuple[str, float]] = []
            for term, qweight in unit.terms:
                idf = self._idf.get(term)
                if idf is None:
                    continue
                # a broader or commoner term says less than the unit itself
                factor = qweight * min(1.0, idf / specific)
                if term == unit.whole:
                    factor /= unit.weight  # the whole compound covers a modifier fully
                if factor >= MIN_TERM_FACTOR:
                    useful.append((term, factor))
            if len(useful) == 1 and not whole_words:  # the common case needs no maximum
                term, factor = useful[0]
                ids, credits = self._postings[term]
                scaled = weight * factor
                for i, credit in zip(ids, credits, strict=True):
                    total[i] = total.get(i, 0.0) + scaled * credit
                if asks:
                    content.update(ids)
                continue
            best: dict[int, float] = {}
            for term, factor in useful:
                ids, credits = self._postings[term]
                for i, credit in zip(ids, credits, strict=True):
                    value = factor * credit
                    if value > best.get(i, 0.0):
                        best[i] = value
            for i, credit in whole_words.items():
                best[i] = max(best.get(i, 0.0), EVERY_WORD_FACTOR * credit)
            for i, value in best.items():
                total[i] = total.get(i, 0.0) + weight * value
            if asks:
                content.update(best)
        # a member with a whole compound covers its modifier beyond the modifier's weight
        total = {i: min(value, mass) for i, value in total.items()}
        return Coverage(total, mass, self._unknown_idf, frozenset(content))


def _own_word_last(word: str, parts: list[str]) -> list[str]:
    """Compound parts whose end is a word of its own rather than a kind of the last part
    end with that word: "kohlenwasserstoff" is kohle, kohlenwasserstoff and
    "chlorkohlenwasserstoffe" chlor, kohlenwasserstoffe (no kind of Wasserstoff: a
    hydrocarbon, `general.is_own_word`); a whole word of its own keeps its first
    parts as modifiers ("handschuh": hand, handschuh)."""
    if len(parts) < 2:
        return parts
    starts: list[int] = []
    position = 0
    for part in parts:
        position = word.find(part, position)
        if position < 0:
            return parts
        starts.append(position)
        position += len(part)
    for k in range(len(parts) - 1):
        end = word[starts[k] :]
        if is_own_word(end, tuple(parts[k:])):
            return [*parts[:-1], word] if k == 0 else [*parts[:k], end]
    return parts
