"""Behaviour of the shared text matching: folding, compounds, synonyms, robustness."""

from __future__ import annotations

import time

import pytest

from bot.textmatch import (
    Analyzer,
    detect_language,
    fold,
    normalize,
    parse_thesaurus,
    reply_language,
    resources,
    split_compound,
    stem_bilingual,
    tokenize,
    words,
)
from bot.textmatch.german import join_particle
from bot.textmatch.stemming import stem, vowel_plural_singular
from bot.textmatch.thesaurus import ConceptLine, parse_generic, parse_opposites
from handlers.faq.rules import question_language

VOCABULARY = [
    "Wie hoch ist der Beitrag für Mitglieder?",
    "Die Besichtigung des Werks beginnt um neun Uhr.",
    "Unsere Anlage sortiert Schrott aus Elektroaltgeräten.",
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(VOCABULARY)


def test_fold_umlauts_and_sharp_s() -> None:
    assert fold("Größe Übergabe Änderung") == "groesse uebergabe aenderung"
    assert fold("Straße") == fold("STRASSE")
    assert fold("Café") == "cafe"


def test_normalize_strips_greetings_filler_and_punctuation() -> None:
    assert normalize("Hallo! Kannst du mir sagen, wann die Tagung ist? Danke :)") == (
        "wann die tagung ist"
    )
    assert normalize("Hi there... please, how much?!") == "there how much"


def test_normalize_removes_control_characters() -> None:
    assert normalize("Bei\x00trag\x07 \u200bfrage") == "bei trag frage"


def test_umlaut_spellings_give_the_same_terms(analyzer: Analyzer) -> None:
    with_umlaut = analyzer.terms("Mitgliedsbeiträge", "de")
    spelled_out = analyzer.terms("Mitgliedsbeitraege", "de")
    without = analyzer.terms("Mitgliedsbeitrage", "de")
    assert with_umlaut == spelled_out == without


def test_compound_is_split_into_known_parts(analyzer: Analyzer) -> None:
    assert analyzer.split("mitgliedsbeitrag") == ("mitglied", "beitrag")
    assert analyzer.split("werksbesichtigung") == ("werk", "besichtigung")
    # A compound the thesaurus and texts never saw still reaches its parts' terms.
    terms = analyzer.terms("Schrottanlage", "de")
    assert "schrott" in terms
    assert "anlag" in terms


def test_a_compound_whose_first_part_has_an_umlaut_splits() -> None:
    # Umlauts are typed "ue" in the folded text while stems fold them to "u": a first part
    # "uebung" must still be read as the texts' "Übungen" ("Übungsraum" is none of them).
    analyzer = Analyzer(["Wann beginnen die Übungen?", "Wo ist der Raum?"])
    assert len(analyzer.split(fold("Übungsraum"))) == 2
    terms = set(analyzer.terms("Übungsraum", "de"))
    assert set(analyzer.terms("Übungen", "de")) & terms
    assert set(analyzer.terms("Raum", "de")) & terms


def test_short_fragments_do_not_split_english_words(analyzer: Analyzer) -> None:
    assert analyzer.split("registration") == ()


def test_synonyms_share_a_concept_across_languages(analyzer: Analyzer) -> None:
    german = analyzer.concepts("Betriebsbesichtigung", "de")
    english = analyzer.concepts("plant tour", "en")
    assert german & english
    assert analyzer.concepts("Schwarzmasse", "de") & analyzer.concepts("black mass", "en")
    assert analyzer.concepts("Seltene Erden", "de") == analyzer.concepts("REE", "en")


def test_a_word_of_one_language_is_not_stemmed_as_the_other() -> None:
    """ "Termin" (an appointment) is German only: stemmed as English it became "termin",
    and an English "terminate" took on the event and date concepts."""
    thesaurus = [
        ConceptLine("appointment", ("termin", "appointment")),
        ConceptLine("leave", ("terminate", "austreten")),
    ]
    analyzer = Analyzer([], thesaurus=thesaurus, opposites={})
    assert analyzer.concepts("terminate", "en") == {"~leave"}
    assert analyzer.concepts("Termin", "de") == {"~appointment"}
    assert analyzer.concepts("appointment", "en") == {"~appointment"}


def test_a_word_is_read_by_the_term_it_is_a_form_of_where_terms_share_a_stem() -> None:
    """The stemmer makes "Mitarbeitern" (the staff) and "mitarbeiten" (to take part) one
    stem: "Firma mit 12 Mitarbeitern" had matched every entry on taking part in an event."""
    thesaurus = [
        ConceptLine("staff", ("mitarbeiter", "staff")),
        ConceptLine("take_part", ("mitarbeiten", "teilnehmen", "participate")),
        ConceptLine("attendee", ("participant",)),
    ]
    analyzer = Analyzer([], thesaurus=thesaurus, opposites={})

    def concepts(word: str, lang: str) -> set[str]:
        (slot,) = analyzer.slots(word, lang)
        return set(slot.concepts)

    assert concepts("Mitarbeitern", "de") == {"~staff"}
    assert concepts("Mitarbeiter", "de") == {"~staff"}
    assert concepts("mitarbeiten", "de") == {"~take_part"}
    assert concepts("participants", "en") == {"~attendee"}
    assert concepts("participate", "en") == {"~take_part"}
    # a form of neither term keeps what the stem has ("mitarbeitet")
    assert concepts("mitarbeitet", "de") == {"~staff", "~take_part"}


def test_split_german_verb_particle_is_joined(analyzer: Analyzer) -> None:
    assert analyzer.concepts("Wie melde ich mich von der Tagung ab?", "de") & analyzer.concepts(
        "abmelden", "de"
    )


def test_typo_is_corrected_against_vocabulary(analyzer: Analyzer) -> None:
    assert analyzer.correct("besichitgung") == "besichtigung"
    assert analyzer.correct("xyzzyq") is None


def test_a_message_plainly_in_the_other_language_is_answered_in_it() -> None:
    # "was", "will", "in" are function words of both languages and tell neither: what is left
    # speaks for one language only, and the FAQ reads the question in the language it answers.
    for text, member, answer in [
        ("Kostet die Exkursion was?", "en", "de"),
        ("Will the excursion cost money?", "de", "en"),
        ("How much is the fee per year?", "de", "en"),
        ("Welche Veranstaltungen gibt es im Mai?", "en", "de"),
        # short and without function words of either: the member's language
        ("Exkursion Goslar?", "en", "en"),
        ("Excursion in Goslar?", "de", "de"),
        # an English word or two in a German message
        ("Ist das Symposium for free?", "de", "de"),
        ("Wie hoch ist der Beitrag für ein Start-up?", "de", "de"),
        # typed on a phone: "is" for "ist" is English, "nächste", "Woche" are German words
        ("was is nächste woche los", "de", "de"),
        ("is da ne exkursion?", "de", "de"),
        ("was is im märz los", "de", "de"),
        # plain English from a German member, words of both languages in it ("Workshop")
        ("what is on next week", "de", "en"),
        ("is there a workshop", "de", "en"),
        ("what is on in march?", "de", "en"),
        # words of the other language alone, no function word: the member's (a place's
        # name is the same in either)
        ("Leipzig workshop?", "en", "en"),
        ("next week workshop?", "en", "en"),
        ("tomorrow?", "de", "de"),
    ]:
        assert reply_language(text, member) == answer, (text, member)
        assert question_language(text, member) == answer, (text, member)


def test_detect_language() -> None:
    assert detect_language(tokenize("Wie kann ich mich für die Tagung anmelden?")) == "de"
    assert detect_language(tokenize("How can I sign up for the conference?")) == "en"


@pytest.mark.timeout(10)
def test_huge_and_binary_input_is_fast(analyzer: Analyzer) -> None:
    huge = "Beitrag " * 15_000  # ~120 kB
    garbage = bytes(range(256)).decode("latin-1") * 400
    start = time.perf_counter()
    assert analyzer.terms(huge, None)
    analyzer.terms(garbage, None)
    analyzer.terms("", None)
    analyzer.terms("\x00\x01\x02", "de")
    assert time.perf_counter() - start < 1.0


def test_bad_thesaurus_line_is_reported() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_thesaurus(["ok: a | b", "no colon here"])
    concept = parse_thesaurus(["place@0.5: Goslar | Halle"])[0]
    assert concept.weight == 0.5
    assert concept.terms == ("goslar", "halle")


def test_thesaurus_line_carries_broader_concepts_and_engines() -> None:
    copper, member = parse_thesaurus(
        ["copper: Kupfer | copper > metal, nonferrous", "member@0.5 [faq]: Mitglied"]
    )
    assert copper.broader == ("metal", "nonferrous")
    assert copper.used_by("faq") and copper.used_by("partners")
    assert member.weight == 0.5
    assert member.used_by("faq") and not member.used_by("partners")
    assert parse_generic(["!generic recycling trading", "x: y"]) == {"recycling", "trading"}


def test_phrase_is_found_across_function_words(analyzer: Analyzer) -> None:
    # "end ... membership" is a thesaurus phrase; "our" between the words must not hide it.
    assert analyzer.concepts("we want to end our membership", "en") & analyzer.concepts(
        "Austritt", "de"
    )


def test_misspelt_function_word_is_dropped(analyzer: Analyzer) -> None:
    # "zwischen" is a word of the general stop word list; one typo does not make it a topic.
    assert analyzer.terms("zwsichen", "de") == []
    assert analyzer.terms("Beitrag zwsichen", "de") == analyzer.terms("Beitrag", "de")


def test_swapped_letters_count_as_one_edit(analyzer: Analyzer) -> None:
    slots = analyzer.slots("Mitgleidsbeitrag", "de")
    assert slots[0].fuzzy
    assert "mitgliedsbeitrag" in slots[0].keys


def test_recycling_vocabulary_crosses_languages(analyzer: Analyzer) -> None:
    pairs = [
        ("Hartmetall", "de", "cemented carbide", "en"),
        ("Platingruppenmetalle", "de", "PGM", "en"),
        ("Elektroschrott", "de", "WEEE", "en"),
        ("Li-Ionen-Batterie", "de", "lithium-ion battery", "en"),
        ("Schwarzmasse", "de", "black mass", "en"),
    ]
    for left, left_lang, right, right_lang in pairs:
        assert analyzer.concepts(left, left_lang) & analyzer.concepts(right, right_lang), left


def test_unknown_compound_reaches_concepts_of_its_parts(analyzer: Analyzer) -> None:
    concepts = analyzer.concepts("Hartmetallrecycling", "de")
    assert concepts >= analyzer.concepts("Hartmetall", "de") | analyzer.concepts("Recycling", "de")


def test_negated_word_means_its_opposite(analyzer: Analyzer) -> None:
    negated = analyzer.concepts("I don't want to receive the bulletin", "en")
    assert negated & analyzer.concepts("unsubscribe", "en")
    assert not negated & analyzer.concepts("subscribe", "en")
    assert analyzer.concepts("Ich kann nicht teilnehmen", "de") & analyzer.concepts("absagen", "de")


def test_what_a_member_cannot_do_is_not_its_opposite(analyzer: Analyzer) -> None:
    signing_up = analyzer.concepts("anmelden", "de")
    cancelling = analyzer.concepts("abmelden", "de")
    for text, lang in (("Ich kann mich nicht anmelden", "de"), ("I can't sign up", "en")):
        assert analyzer.concepts(text, lang) & signing_up, text
        assert not analyzer.concepts(text, lang) & cancelling, text
    assert analyzer.concepts("Ich will mich nicht anmelden", "de") & cancelling


def test_a_separable_verb_is_read_whole_in_each_main_clause(analyzer: Analyzer) -> None:
    # "findet … statt" is "stattfinden" (take place), not "finden" and "anstatt"
    when = analyzer.concepts("Termin", "de")
    assert analyzer.concepts("Wann findet die Tagung statt?", "de") & when
    both = analyzer.concepts("Wo findet die Tagung statt und wie melde ich mich an?", "de")
    assert both & when and both & analyzer.concepts("anmelden", "de")
    assert not both & analyzer.concepts("anstatt", "de")


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("gibts ne Anmeldung für die Tagung?", "gibt es eine Anmeldung für die Tagung?"),
        ("kannste mir sagen wann die Tagung ist?", "kannst du mir sagen wann die Tagung ist?"),
        ("wasn kostet sowas?", "was denn kostet so etwas?"),
        ("da war nix mit Schrott", "da war nichts mit Schrott"),
        ("wie werd ich Mitglied?", "wie werde ich Mitglied?"),
    ],
)
def test_spoken_german_reads_as_written_out(analyzer: Analyzer, spoken: str, written: str) -> None:
    assert analyzer.terms(spoken, "de") == analyzer.terms(written, "de")


def test_there_is_names_nothing_asked(analyzer: Analyzer) -> None:
    # "gibt es" is "is there": the question is about what follows it
    assert analyzer.terms("Gibt es Parkplätze an der Tagung?", "de") == analyzer.terms(
        "Parkplätze an der Tagung?", "de"
    )
    assert analyzer.terms("gibts ne Tagung?", "de") == analyzer.terms("eine Tagung?", "de")


def test_english_words_like_spoken_german_stay_english(analyzer: Analyzer) -> None:
    # "hats" and "haste" are English words, not "hat es" and "hast du"
    assert analyzer.terms("hats made in haste", "en") != analyzer.terms(
        "hat es made in hast du", "en"
    )


def test_english_word_is_no_german_verb_form(analyzer: Analyzer) -> None:
    # "want" is not a form of "wann" (when)
    assert not analyzer.concepts("I want to join", "en") & analyzer.concepts("wann", "de")


@pytest.mark.parametrize(
    ("text", "lang", "denied", "kept"),
    [
        ("Ich möchte mit einem Menschen reden, nicht mit einem Bot", "de", "Bot", "Menschen"),
        ("Add me to the newsletter, I'm not a member", "en", "member", "newsletter"),
        ("Wir sind noch nicht im Verein, was kostet die Tagung?", "de", "Verein", "Tagung"),
    ],
)
def test_what_a_message_denies_is_not_what_it_asks(
    analyzer: Analyzer, text: str, lang: str, denied: str, kept: str
) -> None:
    slots = {slot.text for slot in analyzer.slots(text, lang)}
    assert denied.lower() not in slots and kept.lower() in slots
    # before a verb or a direction the negation is part of the question
    assert "tagung" in {s.text for s in analyzer.slots("Ich schaffe es nicht zur Tagung", "de")}
    assert "newsletter" in {
        s.text for s in analyzer.slots("Ich bekomme den Newsletter nicht", "de")
    }


def test_bad_opposite_line_is_reported() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_opposites(["!opposite onlyone"])
    assert parse_opposites(["!opposite a b"]) == {"~a": "~b", "~b": "~a"}


def test_negation_stays_in_its_clause(analyzer: Analyzer) -> None:
    concepts = analyzer.concepts("Ich schaffe es nicht zur Tagung, wie storniere ich?", "de")
    assert concepts & analyzer.concepts("stornieren", "de")
    assert not concepts & analyzer.concepts("anmelden", "de")


def test_german_word_is_not_stemmed_as_english(analyzer: Analyzer) -> None:
    # The English stemmer would turn "Messing" (brass) into "mess", as in "Messe" (fair).
    assert not analyzer.concepts("Messing", "de") & analyzer.concepts("Messe", "de")


def test_compound_split_can_judge_the_inflected_last_part() -> None:
    lexicon = {"batterie", "metall", "recycling"}
    assert split_compound("altmetalle", {"alt", *lexicon}.__contains__) == ()
    split = split_compound("altmetalle", {"alt", *lexicon}.__contains__, trailing_linker=True)
    assert split == ("alt", "metall")

    def final(part: str) -> bool:
        return part.startswith("recycl")

    assert split_compound("batterierecycler", lexicon.__contains__, is_final=final) == (
        "batterie",
        "recycler",
    )


def test_a_linking_s_goes_with_the_split_of_more_common_words() -> None:
    # "Jahresende" is the end of the year: "Jahr-s-ende", not "Jahr-Sende" (broadcast).
    lexicon = {"jahr", "ende", "sende"}
    assert split_compound("jahresende", lexicon.__contains__) == ("jahr", "sende")
    zipf = {"jahr": 5.8, "ende": 5.7, "sende": 3.4}
    common = split_compound("jahresende", lexicon.__contains__, commonness=lambda w: zipf.get(w, 0))
    assert common == ("jahr", "ende")


def test_an_inflected_last_part_is_as_common_as_the_word_written() -> None:
    # "Zapfstelle": Zapf-Stelle; a linking s and an inflection e around a rare "tell" read
    # the same letters, but the word written is "stelle".
    lexicon = {"zapf", "stell", "tell"}
    zipf = {"stelle": 5.2, "tell": 2.5, "analyse": 4.0, "analysen": 3.5}

    def common(word: str) -> float:
        return zipf.get(word, 0.0)

    split = split_compound(
        "zapfstelle", lexicon.__contains__, trailing_linker=True, commonness=common
    )
    assert split == ("zapf", "stell")
    # Both readings of "Laboranalysen" write "analysen": the more common part decides.
    lexicon = {"labor", "analys", "analyse"}
    split = split_compound(
        "laboranalysen", lexicon.__contains__, trailing_linker=True, commonness=common
    )
    assert split == ("labor", "analyse")


def test_a_word_more_common_than_its_parts_is_no_compound() -> None:
    from handlers.partners.general import zipf

    if zipf("erzeugen") == 0.0:
        pytest.fail("wordfreq is installed by the test set-up")
    lexicon = {"erz", "eugen", "stat", "ion", "tank", "stelle", "wasserstoff"}
    # "erzeugen" (to produce) is a verb, not ore + a first name; "Station" no Stat-ion
    assert split_compound("erzeugen", lexicon.__contains__) == ("erz", "eugen")
    assert split_compound("erzeugen", lexicon.__contains__, commonness=zipf) == ()
    assert split_compound("station", lexicon.__contains__, commonness=zipf) == ()
    # a real compound is rarer than its parts
    split = split_compound("wasserstofftankstelle", lexicon.__contains__, commonness=zipf)
    assert split == ("wasserstoff", "tank", "stelle")


def test_analyzer_splits_by_general_language_frequency(analyzer: Analyzer) -> None:
    (slot,) = analyzer.slots("Jahresende", "de")
    assert [part.text for part in slot.parts] == ["jahr", "ende"]


def test_bilingual_stem_keeps_abbreviations_and_joins_languages() -> None:
    assert stem_bilingual("libs") == "libs"
    assert stem_bilingual("batteries") == stem_bilingual("batterien")
    assert words("Li-Ionen-Batterie/LIB") == ["li", "ionen", "batterie", "lib"]


def test_two_letter_function_word_is_not_an_acronym_concept() -> None:
    # "IT" (information technology) is a thesaurus term; "it" the pronoun is not.
    analyzer = Analyzer(VOCABULARY, engine="faq")
    assert "~digital" not in analyzer.concepts("what's in it for us as members", "en")
    assert "~date-time" in analyzer.concepts("wann ist das", "de")


# An invented glossary: the mechanisms, not the shipped data, are what these tests check.
INVENTED = parse_thesaurus(
    [
        "gain: Nutzen | was springt dabei heraus",
        "enrol: einschreiben | put my name down",
        "drop: austragen | streichen lassen",
        "talk: Vortrag | einen Vortrag halten",
        "stand_in: Vertretung | in my stead",
        "scholar: Doktorand | doctoral researcher",
        "practice: Praxis | hands-on people",
        "openness: zugelassen | welcome to join",
        "guests@0.5: Besuchende | visitors",
    ]
)


def test_everyday_phrasings_reach_glossary_concepts() -> None:
    analyzer = Analyzer(VOCABULARY, INVENTED, {}, engine="faq")
    assert "~gain" in analyzer.concepts("und was springt dabei heraus", "de")
    assert "~enrol" in analyzer.concepts("please put my name down", "en")
    assert "~drop" in analyzer.concepts("bitte streichen lassen", "de")
    assert "~talk" in analyzer.concepts("ich will einen Vortrag halten", "de")
    assert "~stand_in" in analyzer.concepts("can a colleague go in my stead", "en")
    assert "~scholar" in analyzer.concepts("I am a doctoral researcher", "en")


def test_thesaurus_word_is_not_split_into_unrelated_parts() -> None:
    analyzer = Analyzer(["Schule", "hoch", "Hochschule"], engine="faq")
    (slot,) = analyzer.slots("Hochschule", "de")
    assert "~university" in slot.keys
    assert slot.parts == ()
    # Parts that share the meaning stay: a fee compound keeps "Beitrag".
    (fee,) = analyzer.slots("Mitgliedsbeitrag", "de")
    assert "~fee" in fee.keys


def test_separable_how_verb_is_not_corrected_into_another_word() -> None:
    analyzer = Analyzer([*VOCABULARY, "vergeben"], engine="faq")
    texts = [s.text for s in analyzer.slots("Wie gehen wir vor?", "de")]
    assert "vergeben" not in texts
    assert "~ask-how" in analyzer.concepts("Wie gehen wir vor?", "de")


def test_particle_is_not_joined_to_an_article() -> None:
    assert join_particle(["der", "fahrt", "mit"], lambda w: True) == ["der", "mitfahrt"]


def test_glossary_phrases_are_concepts() -> None:
    analyzer = Analyzer(VOCABULARY, INVENTED, {}, engine="faq")
    assert "~practice" in analyzer.concepts("which event is for hands-on people", "en")
    assert "~openness" in analyzer.concepts("are universities welcome to join", "en")


def test_low_weight_concept_words_are_known_words() -> None:
    # a low-weight concept: known (not a foreign object) without deciding the topic
    analyzer = Analyzer(VOCABULARY, INVENTED, {}, engine="faq")
    for text, lang in (("Besuchende", "de"), ("visitors", "en")):
        assert "~guests" in analyzer.concepts(text, lang)


def test_known_verb_form_reaches_the_concept_of_its_infinitive() -> None:
    # "speichert" is a word of the texts, but the thesaurus lists "speichern"
    analyzer = Analyzer(["Der Bot speichert Ihre Sprache."], engine="faq")
    assert "~privacy" in analyzer.concepts("Speichert ihr meine Nachrichten?", "de")
    assert analyzer.terms("speichert", "de")[0] == analyzer.terms("speichern", "de")[0]


def test_a_word_is_linked_through_the_dictionary_of_its_own_language() -> None:
    from bot.textmatch.links import GeneralLinks
    from bot.textmatch.resources import german_to_english

    if not german_to_english():
        pytest.fail("trans-de-en is installed by `make resources`")
    # German "offen" translates to "open"; English "offer" shares its German stem ("off")
    # but is no German word: "open" must find the first and not the second.
    offen = GeneralLinks(["offen"])
    offer = GeneralLinks(["offer"])
    assert set(offen.of("offen", "de")) <= set(offen.of("open", "en"))
    assert not set(offer.of("offer", "en")) & set(offer.of("open", "en"))
    # Both words in one vocabulary keep apart.
    both = GeneralLinks(["offen", "offer"])
    assert both.of("offer", "en") != both.of("offen", "de")


def test_a_dictionary_term_is_read_without_its_abbreviation() -> None:
    # The dictionary writes a chemical element's symbol between slashes; read as a second
    # word it made every element a phrase, and phrases are left out: "Kupfer" had no "copper".
    lines = [
        "# an invented excerpt in the dictionary's format\n",
        "Neodym {n} /Nd/ [chem.] :: neodymium\n",
        "Kupfer {n} [chem.] /Cu/ | Blisterkupfer {n} :: copper | blister copper\n",
        "Gefahrgut {n} [envir.] :: dangerous goods [Br.] / hazardous materials [Am.]; hazmat\n",
    ]
    pairs = sorted(resources.parse_translations(lines))
    assert pairs == [("gefahrgut", "hazmat"), ("kupfer", "copper"), ("neodym", "neodymium")]


def test_compound_heads_pair_with_the_last_word_of_two_word_translations() -> None:
    lines = [
        "# an invented excerpt in the dictionary's format\n",
        "Stromnetz {n} | Stromnetze {pl} :: power grid | power grids\n",
        "Wärmenetz {n}; Fernwärmenetz {n} :: heating grid; district heating network\n",
        "Netzbetreiber {m} :: network operator\n",
        "Netz {n} :: net\n",  # no compound
        "Gitterrost {m} :: grating\n",  # no two-word translation
    ]
    german = frozenset({"strom", "netz", "waerme", "fernwaerme", "betreiber", "rost"})
    pairs = sorted(resources.parse_compound_heads(lines, german))
    assert pairs == [("grid", "netz"), ("grid", "netz"), ("operator", "betreiber")]


@pytest.mark.parametrize(
    ("text", "together"),
    [
        ("Die Besichtigung ist im Mai. Wie hoch ist der Beitrag dafür?", True),
        ("The visit is in May. How much does it cost?", True),
        ("Wir kommen zur Besichtigung, damit wir die Anlage sehen.", False),
        ("Die Besichtigung ist im Mai. Wie hoch ist der Beitrag für Mitglieder?", False),
    ],
)
def test_a_clause_pointing_back_is_one_with_the_clause_before(
    analyzer: Analyzer, text: str, together: bool
) -> None:
    slots = analyzer.slots(text)
    assert (len({slot.clause for slot in slots}) == 1) is together


def test_a_stem_with_umlauts_kept_tells_words_the_stemmer_joins() -> None:
    from bot.textmatch.stemming import plain_stem, stem_kept

    # Snowball writes ä/ö/ü (typed ae/oe/ue) as a/o/u: funding and claim, count and pay
    # share a stem; kept, they do not, and made plain again they are the stemmer's.
    assert stem("foerderung", "de") == stem("forderung", "de")
    assert stem_kept("foerderung", "de") != stem_kept("forderung", "de")
    assert stem_kept("zaehlen", "de") != stem_kept("zahlen", "de")
    for word in ("foerderung", "zaehlen", "gebuehren", "aktuell", "treue", "bauen", "quelle"):
        assert plain_stem(stem_kept(word, "de")) == stem(word, "de")
    # A "u" between vowels is no umlaut ("treue", "bauen"), nor is English read German.
    assert stem_kept("treue", "de") == stem("treue", "de")
    assert stem_kept("issue", "en") == stem("issue", "en")


def test_a_word_with_umlaut_is_not_linked_as_the_word_without() -> None:
    from bot.textmatch.links import GeneralLinks
    from bot.textmatch.resources import german_to_english

    if not german_to_english():
        pytest.fail("trans-de-en is installed by `make resources`")
    # "Förderung" is funding, "Forderung" a claim: a vocabulary with "claim" and "funding"
    # links each to its own German word, typed with umlaut or without.
    links = GeneralLinks(["claim", "funding"])
    funding, claim = set(links.of("funding", "en")), set(links.of("claim", "en"))
    assert set(links.of(fold("Förderung"), "de")) & funding
    assert not set(links.of(fold("Förderung"), "de")) & claim
    assert set(links.of("forderung", "de")) & claim
    assert not set(links.of("forderung", "de")) & funding
    # A form the dictionary does not list as written still finds its word.
    assert set(links.of(fold("Förderungen"), "de")) & funding


def test_links_without_a_vocabulary_read_no_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    # An analyzer of the glossary's concepts alone (the event questions') links nothing:
    # reading the 17 MB dictionary for it only made the first answer slower and the bot bigger.
    from bot.textmatch import links, resources

    def unread() -> resources.Table:
        raise AssertionError("a table was read")

    for name in ("german_to_english", "english_to_german", "synonyms_de", "synonyms_en"):
        monkeypatch.setattr(resources, name, unread)
    assert len(links.GeneralLinks((), links.ALL_SOURCES)) == 0


def test_a_word_without_concepts_takes_those_of_what_it_is_inflected_from() -> None:
    analyzer = Analyzer()
    # "Studis", "Unis": a plural -s the German stemmer keeps
    assert set(analyzer.expand("studis")) & set(analyzer.expand("studierende"))
    assert set(analyzer.expand("unis")) & set(analyzer.expand("universitaet"))


def test_a_plural_s_after_a_vowel_is_read_as_its_singular() -> None:
    # one rule for the FAQ analyser and partner search ("Akkus" is Akku, "Unis" Uni)
    assert vowel_plural_singular("akkus") == "akku"
    assert vowel_plural_singular("unis") == "uni"
    assert vowel_plural_singular("bus") is None  # three letters: no such plural
    assert vowel_plural_singular("prozess") is None
    # an -s after an "e" only where the caller asks for it (the FAQ analyser does)
    assert vowel_plural_singular("cases") is None
    assert vowel_plural_singular("cases", after_e=True) == "case"


@pytest.mark.parametrize(
    ("text", "lang", "field", "engine"),
    [
        # "falls" (if) stemmed like "fällen" (to precipitate a metal)
        (
            "Falls ich verhindert bin, wer kann für mich zur Exkursion?",
            "de",
            "~precipitation",
            "partners",
        ),
        # a "cooperation partner" stemmed like a "cooperative"
        (
            "We are looking for a cooperation partner for our project",
            "en",
            "~citizen_participation",
            "partners",
        ),
        # "federal" funding stemmed like a "federation" of associations
        (
            "Which state and federal funding programmes fit our project?",
            "en",
            "~org_association",
            "faq",
        ),
        # the knowledge base's "store my messages" is no warehouse
        ("Does the chatbot store my messages?", "en", "~logistics", "faq"),
        # a tour "led" by someone is no light-emitting diode (e-waste)
        ("Our plant tour was led by the site manager", "en", "~displays", "partners"),
        ("Who led the working group last year?", "en", "~displays", "faq"),
    ],
)
def test_an_everyday_word_is_not_read_as_the_fields_term(
    text: str, lang: str, field: str, engine: str
) -> None:
    # The glossary listed these words for the field, citing sentences of the network's own
    # texts that use them in the everyday sense: a member's everyday wording matched them.
    assert field not in Analyzer(engine=engine).concepts(text, lang)


def test_a_word_or_two_asked_after_a_question_belong_to_it() -> None:
    from bot.textmatch.sentences import parts

    assert parts("Was muss ich zur Exkursion mitbringen? Helm?") == [
        "Was muss ich zur Exkursion mitbringen? Helm?"
    ]
    assert parts("what should I bring for the plant visit? hard hat?") == [
        "what should I bring for the plant visit? hard hat?"
    ]
    assert parts("Wann ist das Symposium? Und wo?") == ["Wann ist das Symposium?", "Und wo?"]
    assert parts("Wann ist das Forum? Wo?") == ["Wann ist das Forum?", "Wo?"]
    assert parts("Danke. Helm?") == ["Danke.", "Helm?"]  # after no question: its own


def test_a_question_after_a_comma_opening_with_its_verb_is_a_question_of_its_own() -> None:
    from bot.textmatch.sentences import parts

    # several questions typed without "?" between them (a walkthrough's had been one ticket)
    assert parts(
        "wer darf zum Symposium, kann ich meinen Azubi mitbringen und was kostet das?"
    ) == [
        "wer darf zum Symposium",
        "kann ich meinen Azubi mitbringen",
        "was kostet das?",
    ]
    assert parts("when is the forum, can I bring a colleague?") == [
        "when is the forum",
        "can I bring a colleague?",
    ]
    # an English question word after a comma opens a question of its own
    assert parts("am i a member now, what are the benefits, who do i contact at the office") == [
        "am i a member now",
        "what are the benefits",
        "who do i contact at the office",
    ]
    # not a clause of the sentence, nor a greeting or "weißt du" before a question
    for one in (
        "Wo seh ich, welche Betriebsbesichtigungen demnächst geplant sind?",
        "Is membership open to a town council, or is it only for businesses?",
        "Hallo, kann ich mich noch anmelden?",
        "Weißt du, kann man da parken?",
        "was is mit den exkursionen, kann ich da als vertrieb auch mit?",  # "da": the first
    ):
        assert parts(one) == [one], one


def test_an_action_done_meets_the_same_action_named_as_a_thing() -> None:
    # German names an action with "-ung": "prüfen" is what a "Prüfung" does (a word whose
    # own stem the vocabulary knows keeps it)
    from bot.textmatch import Analyzer

    analyzer = Analyzer(["Prüfung der Druckbehälter", "Zertifizierung der Anlage"])

    def keys(word: str) -> set[str]:
        (slot,) = analyzer.slots(word, "de")
        return set(slot.keys)

    assert keys("prüfen") & keys("Prüfung")
    assert keys("zertifizieren") & keys("Zertifizierung")
