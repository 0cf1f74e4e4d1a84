"""Text matching shared by the FAQ engine and partner search.

Build one `Analyzer` per corpus with the texts that will be searched (their words are the
vocabulary for compound splitting and spelling correction), then:

    analyzer = Analyzer(texts)
    analyzer.terms("Mitgliedsbeiträge?", "de")   # stems, compound parts, concept ids ("~fee")
    analyzer.slots(text, lang)                  # the same, grouped per word/phrase (Slot)
    analyzer.concepts("black mass", "en")       # {"~black_mass"}, as for "Schwarzmasse"
    analyzer.expand("REE")                      # concept ids of a single word

`lang` is "de", "en" or None (detected). Concepts come from two files in one format (see
`thesaurus`): the general layer `data/general.txt` and the network's glossary (default
`data/glossary/rewimet.txt`, replaceable), each term with its source (see `provenance`).
General-language resources (`resources`: the German-English dictionary, thesauri, word
frequencies) link a message's words to the vocabulary's (`links`); where one is missing
the analyzer runs without it and `resources.check_lines()` says so. Partner search builds
its own analysis on the primitives here (`fold`, `words`, `stem_bilingual`, stop words,
`split_compound`);
see `handlers.partners.text`.
"""

from bot.textmatch.analyzer import Analyzer, Slot, is_concept, reply_language, tokenize
from bot.textmatch.compounds import split_compound
from bot.textmatch.normalize import MAX_INPUT_CHARS, fold, normalize, words
from bot.textmatch.stemming import detect_language, stem, stem_bilingual
from bot.textmatch.thesaurus import (
    ConceptLine,
    load_generic,
    load_opposites,
    load_thesaurus,
    parse_opposites,
    parse_thesaurus,
)

__all__ = [
    "MAX_INPUT_CHARS",
    "Analyzer",
    "ConceptLine",
    "Slot",
    "detect_language",
    "fold",
    "is_concept",
    "load_generic",
    "load_opposites",
    "load_thesaurus",
    "normalize",
    "parse_opposites",
    "parse_thesaurus",
    "reply_language",
    "split_compound",
    "stem",
    "stem_bilingual",
    "tokenize",
    "words",
]
