"""Text normalisation shared by every matcher: folding, cleaning, filler removal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

from bot.textmatch.german import spoken_forms_spelt_out

# Messages can be 100 kB; a question never needs more than this, and capping first keeps
# every later step (regexes, stemming, compound splitting) bounded.
MAX_INPUT_CHARS = 2000

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "oe"}
)
# Hand-written patterns (partner intent) are simpler with one spelling per umlaut.
_PLAIN_UMLAUTS = str.maketrans(
    {"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "o"}
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
# Keep letters, digits and a few in-word joiners; everything else separates tokens.
_NON_WORD = re.compile(r"[^\w]+|_")
_SPACES = re.compile(r"\s+")
_NEGATION = re.compile(r"n['’`´]t\b", re.IGNORECASE)
# Clause boundaries, used to find the particle of a split German verb ("melde ... ab").
# (Not the dot after a day's number: "Melden Sie mich für das Forum am 24. Februar an" is one
# clause, its "an" the verb's.)
_CLAUSE = re.compile(r"(?:(?<![\s.]\d)(?<![\s.]\d\d)\.|[!?;:,()\n\u2013\u2014])+|\s-\s")
# Markup typed into a message ("<b>Hallo</b>"), a need or a name: Telegram and the console
# pass it on as typed, and the members a need goes to would read the tags.
MARKUP_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def without_markup(text: str) -> str:
    """`text` with its markup tags read as the text between them: "<b>Hallo</b>" greets as
    "Hallo" does (the tags' "b" and "i" are no words: they had read as English "I")."""
    return MARKUP_TAG.sub(" ", text)


def bounded(text: str, limit: int = MAX_INPUT_CHARS) -> str:
    """`text`, or its beginning and its end when it is longer than `limit` (cut between
    words): a long story ends with the question ("… Was kostet die Mitgliedschaft?")."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    head, tail = text[:half], text[len(text) - half :]
    head = head.rsplit(None, 1)[0] if " " in head.strip() else head
    tail = tail.split(None, 1)[-1] if " " in tail.strip() else tail
    return f"{head} … {tail}"


def fold(text: str, *, plain_umlauts: bool = False) -> str:
    """Lowercase, NFKC, umlauts/ß to ae/oe/ue/ss and other accents stripped.

    `plain_umlauts` folds ä/ö/ü to a/o/u instead, for regexes written that way.
    """
    text = _CONTROL.sub(" ", bounded(text))
    table = _PLAIN_UMLAUTS if plain_umlauts else _UMLAUTS
    text = unicodedata.normalize("NFKC", text).lower().translate(table)
    if text.isascii():
        return text
    # Drop remaining combining accents (é -> e) so French/Scandinavian names match too.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _fillers() -> tuple[frozenset[tuple[str, ...]], int]:
    raw = resources.files("bot.textmatch").joinpath("data/fillers.txt").read_text("utf-8")
    phrases = {
        tuple(_NON_WORD.sub(" ", fold(line)).split())
        for line in raw.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    phrases.discard(())
    return frozenset(phrases), max((len(p) for p in phrases), default=0)


def is_filler(word: str) -> bool:
    """Whether a folded word is polite filler on its own ("pls", "bitte", "thanks")."""
    return (word,) in _fillers()[0]


def remove_fillers(tokens: list[str]) -> list[str]:
    """Drop greeting and filler phrases from a token list (longest phrase first)."""
    phrases, longest = _fillers()
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        for length in range(min(longest, len(tokens) - i), 0, -1):
            if tuple(tokens[i : i + length]) in phrases:
                i += length
                break
        else:
            kept.append(tokens[i])
            i += 1
    return kept


def expand_contractions(text: str) -> str:
    """English negations become a word of their own: "don't" -> "do not"."""
    return _NEGATION.sub(" not", text)


def clauses(text: str) -> list[str]:
    """Split capped text at sentence and clause punctuation."""
    return [c for c in _CLAUSE.split(bounded(text)) if c.strip()]


def strip_punctuation(text: str) -> str:
    """Turn punctuation and symbols into single spaces."""
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def words(text: str) -> list[str]:
    """Folded word tokens; hyphens, slashes and other punctuation separate words."""
    return strip_punctuation(fold(text)).split()


def normalize(text: str) -> str:
    """Folded, punctuation-free text without greetings and polite filler, German spoken
    contractions written out ("kannste mir sagen" is the filler "kannst du mir sagen")."""
    return " ".join(remove_fillers(spoken_forms_spelt_out(strip_punctuation(fold(text)).split())))
