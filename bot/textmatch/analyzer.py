"""Analysis of a text into matching slots: stems, compound parts and thesaurus concepts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.textmatch.compounds import MIN_COMPOUND, split_compound
from bot.textmatch.german import derived_forms, join_particle, lemma_variants
from bot.textmatch.index_cache import by_fields
from bot.textmatch.links import DEFAULT_SOURCES, GeneralLinks
from bot.textmatch.normalize import (
    clauses,
    expand_contractions,
    normalize,
    without_markup,
    words,
)
from bot.textmatch.resources import base_forms, non_nouns, word_frequencies
from bot.textmatch.sentences import asks_about_before, asks_more_than_before, refers_back
from bot.textmatch.spelling import MAX_EDITS_SHORT, MIN_LENGTH, Speller, distance
from bot.textmatch.stemming import (
    LANGUAGES,
    NEGATIONS,
    detect_language,
    is_stop_word,
    modal_particles,
    own_function_words,
    plain_vowels,
    stem,
    stop_words,
    vowel_plural_singular,
)
from bot.textmatch.thesaurus import (
    CONCEPT_PREFIX,
    FAQ_ENGINE,
    ConceptLine,
    load_opposites,
    load_thesaurus,
)

# Never analyse more tokens than this (a longer message: its first and its last half).
MAX_TOKENS = 120
# "und"/"and" between two requests starts a new clause.
CONJUNCTIONS = frozenset({"und", "aber", "oder", "sondern", "and", "but", "or"})
# Function words allowed inside a thesaurus phrase ("end our membership").
MAX_PHRASE_GAP = 2
HINT_OVERRIDE_MARGIN = 1
# How many following slots a negation word (stemming.NEGATIONS) reaches.
NEGATION_REACH = 2
# "nicht"/"not" before a preposition or an article denies what follows: "mit jemandem reden,
# nicht mit einem Bot", "I'm not a member", "noch nicht im Verein": those words (up to this
# many) say what the member does not ask about, and are left out. Before a verb or an adverb
# the negation is part of what is asked ("kann mich nicht einloggen") and stays, and so it does
# before a direction or a place ("schaffe es nicht zur Tagung", "nicht mehr an den Standort"):
# where one does not go is what the question is about.
DENIERS = frozenset({"nicht", "not"})
DENIAL_ADVERBS = frozenset({"mehr", "noch", "ganz", "more", "really", "just", "yet"})
DENIAL_OPENERS = frozenset(
    {"a", "the", "about", "for", "with", "in", "mit", "im", "von", "vom"}
    | {"ein", "eine", "einem", "einen", "einer"}
)
DENIAL_REACH = 3
# A negation after one of these in its clause says the member cannot do something, not that
# they want its opposite: "Ich kann mich nicht anmelden" is a sign-up that fails, not a
# cancellation ("ich will mich nicht anmelden" is one). "can't" is read as "ca" + "not".
ABILITY_MODALS = frozenset(
    {"kann", "kannst", "koennen", "können", "konnte", "konnten", "koennte", "könnte"}
    | {"koennten", "könnten", "can", "ca", "could", "couldn", "unable"}
)
# Numbers ("5 Leute", "she's 17") set context; they rarely say what a question is about.
DIGIT_WEIGHT = 0.25
# How specific a word is in general language (wordfreq's Zipf scale, 0-8): a word rarer
# than COMMON_ZIPF counts fully, one as common as VERY_COMMON_ZIPF (in either language)
# counts MIN_SPECIFICITY: "heute" or "Leute" say less about a question than "Fitnessstudio".
COMMON_ZIPF = 3.5
VERY_COMMON_ZIPF = 6.5
MIN_SPECIFICITY = 0.15
# A word the knowledge base uses counts less only when it is as common as a function word
# ("beim", "gibt", "heute", "need"); topic words ("Mitglied", "cost") stay below this.
FUNCTION_WORD_ZIPF = 5.5


@dataclass(frozen=True, slots=True)
class Slot:
    """One unit of meaning in a text (a word, a compound or a thesaurus phrase).

    `keys` stand for the whole slot (stems and concept ids, best first); `parts` are the
    pieces of a compound or phrase, matched separately when the whole is not found;
    `head_weight` is the share of the last part (German compounds carry meaning at the end);
    `clause` numbers the sentence or clause of the text the slot comes from.
    """

    text: str
    keys: tuple[str, ...]
    parts: tuple[Slot, ...] = ()
    head_weight: float = 0.5
    fuzzy: bool = False
    concepts: tuple[str, ...] = field(default=())
    clause: int = 0

    __reduce__ = by_fields


def is_concept(term: str) -> bool:
    """True for a concept id term (as opposed to a stem)."""
    return term.startswith(CONCEPT_PREFIX)


def tokenize(text: str) -> list[str]:
    """Normalised, folded word tokens (stop words kept), capped at MAX_TOKENS."""
    return normalize(expand_contractions(text)).split()[:MAX_TOKENS]


# A message is answered in the other language than the member's when that language leads by
# this many words of its own: a German message with an English word or two stays German. A
# message with some of the other's and none of the member's is plain as well ("Kostet das
# Symposium was?"); one with none of either ("Symposium?") keeps the member's.
REPLY_LANGUAGE_MARGIN = 2
# A word counts for one language when it is this common in it (wordfreq's Zipf scale) and not
# among the other's everyday words (below `resources.MIN_ZIPF`): a clear gap, not a word
# about as rare in both ("Lithium").
OWN_WORD_ZIPF = 4.0
# A one-word glossary term rarer than this in one language and at least FOREIGN_OTHER_ZIPF
# in the other is a word of the other language only: where its stem in the first is that of
# a word of another concept, it is not looked up there (`_colliding_foreign_terms`).
FOREIGN_MAX_ZIPF = 2.0
FOREIGN_OTHER_ZIPF = 3.0


def everyday_words_of(tokens: Sequence[str], lang: str) -> int:
    """How many of `tokens` are everyday words of `lang` alone: common in its general language
    (`OWN_WORD_ZIPF`) and not among the other's everyday words ("nächste", "Woche",
    "Termine"; "tomorrow", "lunch"). "Workshop", "Forum", "los" are common in both and tell
    neither; function words are `own_function_words`'; without wordfreq, none."""
    own = word_frequencies(lang)
    others = [word_frequencies(other) for other in LANGUAGES if other != lang]
    return sum(
        1
        for token in tokens
        if token.isalpha()
        and not is_stop_word(token)
        and own.get(token, 0.0) >= OWN_WORD_ZIPF
        and not any(token in table for table in others)
    )


def reply_language(text: str, member_lang: str) -> str:
    """The language to answer `text` in: the member's ("de" when unknown), unless the text
    is plainly written in the other one ("how much do we pay per year?" from a member who
    chose German). Everyday words of the member's language alone count for it beside its
    function words: "was is nächste woche los" stays German ("is" is English, "nächste" and
    "Woche" German). Those of the other language do not make a message plain: a place or
    a term of a field ("Leipzig workshop?" from an English member) is written the same in
    either."""
    default = member_lang if member_lang in ("de", "en") else "de"
    other = "en" if default == "de" else "de"
    # with the phrases that frame a question, which the matching leaves out ("gibt es",
    # "can you tell me"): they say the language plainly
    tokens = words(expand_contractions(without_markup(text)))[:MAX_TOKENS]
    counts = own_function_words(tokens)
    counts[default] += everyday_words_of(tokens, default)
    lead = counts[other] - counts[default]
    plain = lead >= REPLY_LANGUAGE_MARGIN or (lead > 0 and counts[default] == 0)
    return other if plain else default


def reads_english(text: str) -> bool:
    """Whether a text given as the German version (of a broadcast, an event's title or
    description) is plainly written in English, by the rule that picks a reply's language:
    the office is then told that German readers would get English."""
    return reply_language(text, "de") == "en"


def reads_german(text: str) -> bool:
    """Whether a text meant for English readers (the office's answer to a question asked in
    English) is plainly written in German, by the same rule as `reads_english`."""
    return reply_language(text, "en") == "de"


def tokenize_clauses(text: str) -> list[list[str]]:
    """Tokens per clause, a clause repeated word for word once, capped at MAX_TOKENS in total:
    of a longer message its beginning and its end, where members put what they ask."""
    found: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for clause in clauses(expand_contractions(text)):
        tokens = normalize(clause).split()
        if tokens and tuple(tokens) not in seen:
            seen.add(tuple(tokens))
            found.append(tokens)
    positions = [(c, i) for c, tokens in enumerate(found) for i in range(len(tokens))]
    if len(positions) <= MAX_TOKENS:
        return found
    half = MAX_TOKENS // 2
    # A clause cut in the middle becomes two: its words on either side of the cut never meet.
    kept: dict[tuple[int, bool], list[str]] = {}
    for c, i in positions[:half]:
        kept.setdefault((c, False), []).append(found[c][i])
    for c, i in positions[half - MAX_TOKENS :]:
        kept.setdefault((c, True), []).append(found[c][i])
    return list(kept.values())


def _denied(tokens: Sequence[str], clause_of: Sequence[int]) -> set[int]:
    """Positions of the words a "nicht"/"not" before a preposition or an article denies."""
    denied: set[int] = set()
    for i, token in enumerate(tokens):
        if token not in DENIERS:
            continue
        clause = clause_of[i]
        j = i + 1
        if j < len(tokens) and tokens[j] in DENIAL_ADVERBS:
            j += 1
        if j < len(tokens) and tokens[j] in DENIAL_OPENERS and clause_of[j] == clause:
            reach = range(j + 1, min(j + 1 + DENIAL_REACH, len(tokens)))
            denied.update(k for k in reach if clause_of[k] == clause)
    return denied


def _after_modal(tokens: Sequence[str], clause_of: Sequence[int], i: int) -> bool:
    """Whether the negation at `i` follows "kann"/"can" in its clause."""
    if tokens[i] not in NEGATIONS:
        return False
    before = (tokens[k] for k in range(i - 1, -1, -1) if clause_of[k] == clause_of[i])
    return any(token in ABILITY_MODALS for token in before)


class Analyzer:
    """Turns text into slots and terms; knows a vocabulary for compounds and typos.

    Build it once with the texts that will be indexed (their words become the compound and
    spelling vocabulary, and what general resources link other words to) and share it:
    analysis is then read-only and cached. `glossary` is the network's own glossary file
    (default: the bundled example); `sources` the general resources to link through.
    """

    def __init__(
        self,
        vocabulary: Iterable[str] = (),
        thesaurus: Sequence[ConceptLine] | None = None,
        opposites: Mapping[str, str] | None = None,
        *,
        engine: str = FAQ_ENGINE,
        sources: frozenset[str] = DEFAULT_SOURCES,
        glossary: Path | None = None,
    ) -> None:
        lines = load_thesaurus(engine=engine, glossary=glossary) if thesaurus is None else thesaurus
        self._opposites = dict(
            load_opposites(glossary=glossary) if opposites is None else opposites
        )
        words: set[str] = set()
        # Tags and stock sentences repeat across entries: each distinct text is read once.
        for text in dict.fromkeys(vocabulary):
            words.update(t for t in tokenize(text) if t.isalpha() and not is_stop_word(t))
        # Synonyms and translations of the vocabulary's own words, from general resources.
        self._links = GeneralLinks(words, sources)
        self._read_general_tables()
        # phrase (tuple of stems) -> concept ids, for each stemming language
        # Per stemming language: a term is found when the text, stemmed in the same
        # language, matches it. Mixing them made German "Messe" collide with "Messing",
        # which the English stemmer shortens to "mess".
        phrases: dict[str, dict[tuple[str, ...], set[str]]] = {
            lang: defaultdict(set) for lang in LANGUAGES
        }
        self._max_phrase = 1
        short: set[str] = set()
        single: set[str] = set()
        self._concept_weights: dict[str, float] = {}
        colliding = self._colliding_foreign_terms(lines)
        # one-word terms by their stem: where a stem is shared by terms of different
        # concepts, a word is read by the term it is a form of (`_own_concepts`)
        by_stem: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for line in lines:
            if line.weight != 1.0:
                self._concept_weights[CONCEPT_PREFIX + line.concept] = line.weight
            for term in line.terms:
                tokens = term.split()
                short.update(t for t in tokens if len(t) == 3 and t.isalpha())
                if len(tokens) == 1:
                    single.add(tokens[0])
                words.update(t for t in tokens if t.isalpha() and not is_stop_word(t))
                for lang in LANGUAGES:
                    if (lang, term) in colliding:
                        continue
                    key = tuple(stem(t, lang) for t in tokens)
                    phrases[lang][key].add(CONCEPT_PREFIX + line.concept)
                    if len(tokens) == 1:
                        by_stem[(lang, key[0])][tokens[0]].add(CONCEPT_PREFIX + line.concept)
                self._max_phrase = max(self._max_phrase, len(tokens))
        self._shared_stems: dict[tuple[str, str], tuple[tuple[str, frozenset[str]], ...]] = {
            key: tuple((term, frozenset(found)) for term, found in terms.items())
            for key, terms in by_stem.items()
            if len({frozenset(found) for found in terms.values()}) > 1
        }
        self._words = frozenset(w for w in words if len(w) >= 2)
        self._short_words = frozenset(short)
        self._single_terms = frozenset(single)
        self._stems = {lang: frozenset(stem(w, lang) for w in self._words) for lang in LANGUAGES}
        # The stems' beginnings and the words' as typed: the stemmer folds "oe" to "o", so a
        # part "foerder" (of "Foerdergeld") begins like no stem, only like "foerderung".
        self._stem_prefixes = frozenset(
            s[:4] for group in (self._stems["de"], self._words) for s in group if len(s) >= 4
        )
        self._phrase_stems = frozenset(
            s for table in phrases.values() for key in table for s in key
        )
        # Looked up dozens of times per message: sorted tuples per stemming language and,
        # under None, for either language.
        either: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for table in phrases.values():
            for key, concepts in table.items():
                either[key] |= concepts
        self._concepts: dict[str | None, dict[tuple[str, ...], tuple[str, ...]]] = {
            lang: {key: tuple(sorted(concepts)) for key, concepts in table.items()}
            for lang, table in (*phrases.items(), (None, either))
        }
        # First stem of a thesaurus term -> its longest term's length: most words start
        # none, and a phrase search from them is skipped without building a single key.
        self._phrase_starts: dict[str, int] = {}
        for key in either:
            if len(key) > self._phrase_starts.get(key[0], 0):
                self._phrase_starts[key[0]] = len(key)
        # Function words are spelling candidates too: "ueberhaaupt" is filler, not an
        # unknown topic. Stems too: "hoteels" is one edit from "hotel", two from "hotels".
        spelling = set(self._words | stop_words("de") | stop_words("en"))
        for lang in LANGUAGES:
            spelling |= {s for s in self._stems[lang] if len(s) >= MIN_LENGTH}
        self._speller = Speller(spelling)
        self._split_cache: dict[str, tuple[str, ...]] = {}
        self._known_cache: dict[tuple[str, str], bool] = {}
        self._resolved: dict[tuple[str, str], tuple[str, str]] = {}
        self._joinable_cache: dict[str, bool] = {}
        self._concept_lemmas: dict[str, str | None] = {}
        self._word_slots: dict[tuple[str, str, bool], Slot | None] = {}

    def _read_general_tables(self) -> None:
        # The process's one copy of each (read once, cached), not one per analyzer.
        self._frequencies = {lang: word_frequencies(lang) for lang in LANGUAGES}
        self._non_nouns = {lang: non_nouns(lang) for lang in LANGUAGES}

    def _colliding_foreign_terms(self, lines: Sequence[ConceptLine]) -> set[tuple[str, str]]:
        """(language, term) for one-word terms of the other language only whose stem in
        `language` is that of a word of it with other concepts: "Termin", stemmed as
        English, is "terminate" (leaving), so German "Termin" is not looked up in English."""
        concepts: dict[str, set[str]] = defaultdict(set)
        for line in lines:
            for term in line.terms:
                if " " not in term:
                    concepts[term].add(line.concept)
        by_stem: dict[tuple[str, str], list[str]] = defaultdict(list)
        for term in concepts:
            for lang in LANGUAGES:
                by_stem[(lang, stem(term, lang))].append(term)
        return {
            (lang, term)
            for (lang, _), terms in by_stem.items()
            for term in terms
            if self._foreign_word(term, lang)
            and any(
                concepts[other].isdisjoint(concepts[term]) and self._word_of(other, lang)
                for other in terms
            )
        }

    def _word_of(self, word: str, lang: str) -> bool:
        """A word more of `lang` than of the other language, and not rare in it."""
        own = self._frequencies[lang].get(word, 0.0)
        other = max(self._frequencies[o].get(word, 0.0) for o in LANGUAGES if o != lang)
        return own >= FOREIGN_MAX_ZIPF and own >= other

    def _foreign_word(self, word: str, lang: str) -> bool:
        """A word of the other language only ("Termin" in English)."""
        own = self._frequencies[lang].get(word, 0.0)
        other = max(self._frequencies[o].get(word, 0.0) for o in LANGUAGES if o != lang)
        return own < FOREIGN_MAX_ZIPF and other >= FOREIGN_OTHER_ZIPF

    def __getstate__(self) -> dict[str, object]:
        # A stored index (`index_cache`) leaves out the general tables: every analyzer
        # unpickled with them would hold a copy of its own.
        state = dict(self.__dict__)
        del state["_frequencies"], state["_non_nouns"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._read_general_tables()

    # ------------------------------------------------------------------ vocabulary

    def knows(self, token: str, lang: str) -> bool:
        """True if the folded token (or its stem) is in the vocabulary."""
        return token in self._words or stem(token, lang) in self._stems[lang]

    def is_no_noun(self, token: str) -> bool:
        """True for a folded word a dictionary lists only as a verb, adjective or adverb
        ("falschen", "thematic"): it names no object (False when unsure, or no dictionary).
        A German modal particle ("schon", "eigentlich") is none, whatever else it may be."""
        return token in modal_particles() or any(
            base in self._non_nouns[lang] for lang in LANGUAGES for base in base_forms(token, lang)
        )

    def weight(self, slot: Slot) -> float:
        """How much a slot counts: numbers and low-information concepts count less."""
        if slot.text.isdigit():
            return DIGIT_WEIGHT
        if slot.concepts:
            return max(self._concept_weights.get(c, 1.0) for c in slot.concepts)
        return 1.0

    def specificity(self, token: str, common: float = COMMON_ZIPF) -> float:
        """1 for a word rarer than `common` in general language, down to MIN_SPECIFICITY
        for a very common one (wordfreq; 1 for every word when wordfreq is missing)."""
        zipf = max(self._frequencies[lang].get(token, 0.0) for lang in LANGUAGES)
        if zipf <= common:
            return 1.0
        share = (zipf - common) / max(VERY_COMMON_ZIPF - common, 0.5)
        return max(MIN_SPECIFICITY, 1.0 - share)

    def concepts_of(self, stems: tuple[str, ...], lang: str | None = None) -> tuple[str, ...]:
        """Concept ids of a stem sequence (a word or a phrase) stemmed in `lang` (or any)."""
        return self._concepts[lang].get(stems, ())

    def split(self, token: str) -> tuple[str, ...]:
        """Compound parts of a German word, or () if it does not split."""
        cached = self._split_cache.get(token)
        if cached is None:
            cached = split_compound(token, self._is_part, commonness=self._german_zipf)
            if len(self._split_cache) < 100_000:
                self._split_cache[token] = cached
        return cached

    def _german_zipf(self, piece: str) -> float:
        return self._frequencies["de"].get(piece, 0.0)

    def _is_part(self, piece: str) -> bool:
        # Three-letter parts only from the curated thesaurus (Bus, Uni): otherwise
        # "registration" would split into regist-rat-ion.
        if is_stop_word(piece):
            return False
        if len(piece) < 4:
            return piece in self._short_words
        if piece in self._words:
            return True
        if piece[:4] not in self._stem_prefixes:
            return False  # cheap rejection: stemming every substring is the costly part
        # An inflected form of a known word, but not a fragment whose stem happens to be
        # known ("inter" of "Internet" stems to "int", as "intern" does).
        key = stem(piece, "de")
        return len(key) >= 4 and key in self._stems["de"]

    def correct(self, token: str) -> str | None:
        """The vocabulary word a misspelt token most likely means, if any is close enough."""
        return self._speller.correct(token)

    # ------------------------------------------------------------------ analysis

    def slots(self, text: str, lang: str | None = None) -> list[Slot]:
        """Slots of a text: thesaurus phrases first, then words, compounds and typos."""
        per_clause = tokenize_clauses(text)
        # The member's language setting is only a hint: people write in either language,
        # so a message that is clearly in the other one is analysed as such.
        words = [t for c in per_clause for t in c]
        if lang in LANGUAGES:
            language = detect_language(words, default=lang, margin=HINT_OVERRIDE_MARGIN)
        else:
            language = detect_language(words)
        tokens: list[str] = []
        clause_of: list[int] = []
        for clause in per_clause:
            if language == "de" or lang is None:
                clause = join_particle(clause, self._joinable)
            number = clause_of[-1] + 1 if clause_of else 0
            sentence = " ".join(clause)
            if clause_of and (
                refers_back(sentence)
                or (asks_about_before(sentence) and not asks_more_than_before(sentence))
            ):
                # "Was hat REWIMET damit zu tun?" is one with what it points to, and "how
                # does that work?" asks only how that goes: alone, it matched "How does a
                # visit work?".
                number -= 1
            for token in clause:
                # "und"/"and" between two requests starts a new clause as well.
                if token in CONJUNCTIONS and clause_of and clause_of[-1] == number:
                    number += 1
                tokens.append(token)
                clause_of.append(number)
        fuzzy: set[int] = set()
        for i, token in enumerate(tokens):
            corrected = self._correct_unknown(token, language)
            if corrected is not None:
                tokens[i] = corrected
                fuzzy.add(i)
        resolved = [self._resolve(t, language) for t in tokens]
        stems = [key for key, _ in resolved]
        langs = [stem_lang for _, stem_lang in resolved]
        phrases = self._find_phrases(tokens, stems, langs)
        consumed = {i for indices, _ in phrases.values() for i in indices}
        result: list[Slot] = []
        spans: list[tuple[int, ...]] = []  # the tokens each slot stands for
        for i, token in enumerate(tokens):
            if i in phrases:
                indices, concepts = phrases[i]
                # Phrase words are a fallback for partial matches only; their own
                # concepts would drag in unrelated senses ("site" of "site visit").
                parts = tuple(
                    Slot(tokens[k], (stems[k],)) for k in indices if not is_stop_word(tokens[k])
                )
                text_of = " ".join(tokens[k] for k in indices)
                result.append(
                    Slot(text_of, concepts, parts, concepts=concepts, clause=clause_of[i])
                )
                spans.append(tuple(indices))
                continue
            if i in consumed:
                continue
            if is_stop_word(token):
                # A function word only stands for a concept when the thesaurus lists it as
                # written ("wann"); its stem may collide with another word's ("and"/"ändern").
                # Two letters are too ambiguous: "IT" the field is "it" the pronoun.
                concepts = self.concepts_of((stems[i],), langs[i])
                if concepts and token in self._single_terms and len(token) > 2:
                    result.append(Slot(token, concepts, concepts=concepts, clause=clause_of[i]))
                    spans.append((i,))
                continue
            slot = self._cached_word_slot(token, language, i in fuzzy)
            if slot is not None:
                in_clause = clause_of[i]
                if in_clause != slot.clause:
                    # dataclasses.replace costs several times a plain construction
                    slot = Slot(
                        slot.text,
                        slot.keys,
                        slot.parts,
                        slot.head_weight,
                        slot.fuzzy,
                        slot.concepts,
                        in_clause,
                    )
                result.append(slot)
                spans.append((i,))
        denied = _denied(tokens, clause_of)
        if denied:
            kept = [
                (s, span) for s, span in zip(result, spans, strict=True) if denied.isdisjoint(span)
            ]
            if kept:  # a message that only denies still says something
                result, spans = [s for s, _ in kept], [span for _, span in kept]
        unable = {n for n, span in enumerate(spans) if _after_modal(tokens, clause_of, span[0])}
        return self._apply_negation(result, unable)

    def _apply_negation(self, slots: list[Slot], unable: set[int]) -> list[Slot]:
        """A negation turns the next concept that has an opposite into that opposite, unless
        it says what the member cannot do (`unable`: the positions of such negations)."""
        result: list[Slot] = []
        pending = 0
        clause = -1
        for n, slot in enumerate(slots):
            if slot.clause != clause:
                pending, clause = 0, slot.clause
            if slot.text in NEGATIONS:
                pending = 0 if n in unable else NEGATION_REACH
                result.append(slot)
                continue
            flipped = [c for c in slot.concepts if c in self._opposites]
            if pending and flipped:
                keep = tuple(k for k in slot.keys if k not in flipped)
                added = tuple(self._opposites[c] for c in flipped)
                concepts = tuple(c for c in slot.concepts if c not in flipped) + added
                # The negation is now part of this slot's meaning, not a word of its own.
                if result and result[-1].text in NEGATIONS:
                    result.pop()
                slot = replace(slot, keys=keep + added, concepts=concepts)
                pending = 0
            else:
                pending = max(0, pending - 1)
            result.append(slot)
        return result

    def _correct_unknown(self, token: str, lang: str) -> str | None:
        """The corrected spelling of a token nothing else explains, or None."""
        if (
            len(token) < MIN_LENGTH
            or not token.isalpha()
            or is_stop_word(token)
            or self._is_known(token, lang)
        ):
            return None
        # A near miss of a known word beats a split into unrelated pieces ("hoempage").
        corrected = self.correct(token)
        if corrected is not None and self._is_everyday_word(token):
            # spelt right: another form of the word at most ("ablaeuft" of "Ablauf"), never
            # another word ("brauchen" is no "buchen")
            plain, target = plain_vowels(token), plain_vowels(corrected)
            shared = _shared_prefix(plain, target)
            if shared < max(3, min(len(plain), len(target)) - 1):
                return None
        if corrected is not None and len(token) >= MIN_COMPOUND and self.split(token):
            near = distance(token, corrected) <= MAX_EDITS_SHORT
            return corrected if near else None
        return corrected

    def _is_everyday_word(self, token: str) -> bool:
        """A word of general language (wordfreq keeps those of Zipf 3.5 and more): spelt
        right, though the knowledge base does not use it ("brauchen" is no "buchen")."""
        return any(token in self._frequencies[lang] for lang in LANGUAGES)

    def _is_known(self, token: str, lang: str) -> bool:
        cached = self._known_cache.get((token, lang))
        if cached is None:
            cached = self._compute_known(token, lang)
            if len(self._known_cache) < 200_000:
                self._known_cache[(token, lang)] = cached
        return cached

    def _compute_known(self, token: str, lang: str) -> bool:
        key, stem_lang = self._resolve(token, lang)
        if key in self._stems[lang] or token in self._words or self.concepts_of((key,), stem_lang):
            return True
        if self._own_links(token, key, stem_lang):
            return True  # a synonym or translation of a known word is not a typo
        return any(stem(token, other) in self._stems[other] for other in LANGUAGES)

    def _find_phrases(
        self, tokens: list[str], stems: list[str], langs: list[str]
    ) -> dict[int, tuple[tuple[int, ...], tuple[str, ...]]]:
        """Multi-word thesaurus phrases: first as written, then across function words.

        The second pass finds "end ... membership" in "end our membership".
        """
        found: dict[int, tuple[tuple[int, ...], tuple[str, ...]]] = {}
        taken: set[int] = set()
        starts = self._phrase_starts
        for positions in (
            list(range(len(tokens))),
            [i for i in range(len(tokens)) if not is_stop_word(tokens[i])],
        ):
            j = 0
            while j < len(positions):
                # Only a term of two words or more is taken here.
                if positions[j] in taken or starts.get(stems[positions[j]], 0) < 2:
                    j += 1
                    continue
                window_of = positions[j : j + self._max_phrase]
                length, concepts = self._longest_phrase(
                    [stems[k] for k in window_of], langs[window_of[0]]
                )
                window = positions[j : j + length]
                if (
                    length > 1
                    and not taken.intersection(window)
                    and window[-1] - window[0] <= length + MAX_PHRASE_GAP
                ):
                    found[window[0]] = (tuple(window), concepts)
                    taken.update(window)
                    j += length
                else:
                    j += 1
        return found

    def terms(self, text: str, lang: str | None = None) -> list[str]:
        """All index terms of a text: stems, compound-part stems and concept ids."""
        out: list[str] = []
        for slot in self.slots(text, lang):
            _flatten(slot, out)
        return out

    def concepts(self, text: str, lang: str | None = None) -> set[str]:
        """Concept ids mentioned in a text."""
        return {t for t in self.terms(text, lang) if is_concept(t)}

    def expand(self, word: str, lang: str = "de") -> tuple[str, ...]:
        """Concept ids a single word belongs to (in either language); a word with none and a
        plural -s after a vowel, those of its singular ("Studis", "Unis": the German stemmer
        keeps that -s; not "cant" as "can")."""
        found: set[str] = set()
        for token in tokenize(word)[:1]:
            singular = vowel_plural_singular(token, after_e=True)
            for base in (token, singular) if singular else (token,):
                for language in (lang, *LANGUAGES):
                    found.update(self._own_concepts(base, stem(base, language), language))
                if found:
                    break
        return tuple(sorted(found))

    def _joinable(self, word: str) -> bool:
        # A misspelt verb ("bestele ... ab") should still find its particle.
        cached = self._joinable_cache.get(word)
        if cached is None:
            cached = self._lemma(word) is not None or self.correct(word) is not None
            if len(self._joinable_cache) < 100_000:
                self._joinable_cache[word] = cached
        return cached

    def _english_word(self, token: str) -> bool:
        """Far more common in English than in German: no German verb form ("want" is not
        a form of "wann")."""
        frequencies = self._frequencies
        return frequencies["en"].get(token, 0.0) >= frequencies["de"].get(token, 0.0) + 1.0

    def _lemma(self, token: str) -> str | None:
        """The known German stem of a token, trying verb forms the stemmer leaves alone."""
        key = stem(token, "de")
        if key in self._stems["de"] or key in self._phrase_stems:
            return key
        # A variant counts only when it, or its infinitive, is a known word: matching
        # variants by stem let "Internet" pass for "intern".
        for candidate in lemma_variants(token):
            for form in (candidate, candidate + "en", candidate + "n"):
                if form in self._words:
                    return stem(form, "de")
        for form in derived_forms(token):
            if form in self._words:
                return stem(form, "de")
        return None

    def _lemma_with_concept(self, token: str) -> str | None:
        """The stem of a known infinitive of a German verb form, if a concept has it."""
        if token in self._concept_lemmas:
            return self._concept_lemmas[token]
        found: str | None = None
        for candidate in lemma_variants(token):
            for form in (candidate + "en", candidate + "n"):
                if found is None and form in self._words:
                    key = stem(form, "de")
                    if self.concepts_of((key,), "de"):
                        found = key
        if len(self._concept_lemmas) < 100_000:
            self._concept_lemmas[token] = found
        return found

    def _stem_known(self, token: str, lang: str) -> str:
        return self._resolve(token, lang)[0]

    def _resolve(self, token: str, lang: str) -> tuple[str, str]:
        """The stem to match a token by, and the language whose stemmer made it."""
        cached = self._resolved.get((token, lang))
        if cached is None:
            cached = self._compute_resolve(token, lang)
            if len(self._resolved) < 200_000:
                self._resolved[(token, lang)] = cached
        return cached

    def _compute_resolve(self, token: str, lang: str) -> tuple[str, str]:
        # English words in German messages (and vice versa) are common: fall back to the
        # other stemmer when only its stem is known.
        primary = stem(token, lang)
        if primary in self._stems[lang] or primary in self._phrase_stems:
            if lang == "de" and not self.concepts_of((primary,), lang) and token.isalpha():
                # The stemmer keeps verb forms ("speichert") apart from the infinitive
                # the thesaurus lists ("speichern"); known as written, it would still
                # miss the concept.
                lemma = self._lemma_with_concept(token)
                if lemma is not None:
                    return lemma, "de"
            return primary, lang
        for other in LANGUAGES:
            alt = stem(token, other)
            if other != lang and alt in self._stems[other] and self._fallback_ok(token, alt):
                return alt, other
        if token.isalpha() and len(token) >= 4 and not self._english_word(token):
            lemma = self._lemma(token)
            if lemma is not None:
                return lemma, "de"
        return primary, lang

    def _fallback_ok(self, token: str, alt: str) -> bool:
        # The other language's stemmer may only strip a little, or it turns German words
        # into unrelated English stems ("Messing" -> "mess", as in "Messe").
        return token in self._words or len(token) - len(alt) <= 1

    def _longest_phrase(self, stems: list[str], lang: str) -> tuple[int, tuple[str, ...]]:
        # A single word is looked up in its own stemming language only; a phrase of
        # several words is specific enough to be looked up in both.
        if not stems:
            return 0, ()
        longest = self._phrase_starts.get(stems[0], 0)
        for length in range(min(longest, len(stems)), 0, -1):
            key = tuple(stems[:length])
            concepts = self.concepts_of(key, lang if length == 1 else None)
            if concepts:
                return length, concepts
        return 0, ()

    def _cached_word_slot(self, token: str, lang: str, fuzzy: bool) -> Slot | None:
        # A word's slot depends on nothing but the word, the language and the analyzer,
        # and the same words recur in every entry and message.
        key = (token, lang, fuzzy)
        try:
            return self._word_slots[key]
        except KeyError:
            pass
        slot = self._word_slot(token, lang, fuzzy)
        if len(self._word_slots) < 200_000:
            self._word_slots[key] = slot
        return slot

    def _word_slot(self, token: str, lang: str, fuzzy: bool = False) -> Slot | None:
        if is_stop_word(token) or len(token) < 2:
            return None
        key, stem_lang = self._resolve(token, lang)
        concepts = self._own_concepts(token, key, stem_lang) + self.links_of(token, key, stem_lang)
        known = self._is_known(token, lang)
        parts: tuple[Slot, ...] = ()
        if len(token) >= MIN_COMPOUND and (lang == "de" or not known):
            pieces = self.split(token)
            if pieces:
                parts = tuple(self._part_slot(p, lang) for p in pieces)
            # A word the thesaurus lists as a whole keeps its parts only when they share
            # its meaning: "Hochschule" is a university, not "hoch" + "Schule".
            if concepts and not any(set(concepts) & set(p.concepts) for p in parts):
                parts = ()
        if known or parts:
            return Slot(
                token, (key, *concepts), parts, head_weight=0.6, fuzzy=fuzzy, concepts=concepts
            )
        return Slot(token, (key,))

    def _part_slot(self, piece: str, lang: str) -> Slot:
        key = stem(piece, "de")
        concepts = self.concepts_of((key,), "de") + self.links_of(piece, key, "de")
        return Slot(piece, (key, *concepts), concepts=concepts)

    def _own_concepts(self, token: str, key: str, lang: str) -> tuple[str, ...]:
        """The concepts of a word's stem; where the stem is shared by terms of different
        concepts, those of the terms the word is a form of (the term, or the term and an
        ending): the stemmer makes "Mitarbeitern" (the staff) and "mitarbeiten" (to take
        part) one stem, and "Firma mit 12 Mitarbeitern" had matched every entry on taking
        part in an event. A word no term ends so keeps them all ("kostet")."""
        concepts = self.concepts_of((key,), lang)
        shared = self._shared_stems.get((lang, key))
        if not shared:
            return concepts
        own = [found for term, found in shared if _is_form_of(token, term, lang)]
        if not own:
            return concepts
        return tuple(sorted(frozenset().union(*own)))

    def links_of(self, token: str, key: str, lang: str) -> tuple[str, ...]:
        """Link ids of the vocabulary words a token relates to (its own included).

        Read in the token's language first; a word of the other language (common in
        mixed messages) is tried in that one when the first finds nothing.
        """
        if token in modal_particles():
            return ()
        found = self._own_links(token, key, lang)
        if found or not token.isalpha():
            return found
        other = "en" if lang == "de" else "de"
        return self._links.of(token, other)

    def _own_links(self, token: str, key: str, lang: str) -> tuple[str, ...]:
        # The token's own stem is looked up with its umlauts (`resources.word_key`); a lemma
        # found for a verb form ("speichert" -> "speich") as it is.
        if key == stem(token, lang):
            return self._links.of(token, lang)
        return self._links.of_stem(key, lang)


def _shared_prefix(left: str, right: str) -> int:
    """How many leading letters two words share."""
    for position, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return position
    return min(len(left), len(right))


def _flatten(slot: Slot, out: list[str]) -> None:
    out.extend(slot.keys)
    for part in slot.parts:
        _flatten(part, out)


def _is_form_of(word: str, term: str, lang: str) -> bool:
    """Whether `word` is `term` or `term` with an inflectional ending ("mitarbeitern" of
    "mitarbeiter", "participants" of "participant")."""
    if word == term:
        return True
    rest = word[len(term) :] if word.startswith(term) else None
    return rest is not None and rest in _INFLECTIONS.get(lang, ())


# Endings a word takes after the form a thesaurus lists ("Mitarbeiter-n", "participant-s").
_INFLECTIONS = {
    "de": frozenset({"e", "en", "em", "er", "es", "n", "s", "ern", "ens"}),
    "en": frozenset({"s", "es"}),
}
