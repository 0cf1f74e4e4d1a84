"""Text matching shared by the FAQ engine and partner search.

Public API: `normalize`, `fold`, `tokenize`, `Analyzer` (slots, terms, concepts, expand),
`Slot`, `is_concept`, `load_thesaurus`, `detect_language`, `stem`.
"""

from bot.textmatch.analyzer import Analyzer, Slot, is_concept, tokenize
from bot.textmatch.normalize import MAX_INPUT_CHARS, fold, normalize
from bot.textmatch.stemming import detect_language, stem
from bot.textmatch.thesaurus import ConceptLine, load_thesaurus, parse_thesaurus

__all__ = [
    "MAX_INPUT_CHARS",
    "Analyzer",
    "ConceptLine",
    "Slot",
    "detect_language",
    "fold",
    "is_concept",
    "load_thesaurus",
    "normalize",
    "parse_thesaurus",
    "stem",
    "tokenize",
]
