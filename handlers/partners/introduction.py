"""The greeting and self-introduction a partner request may open with ("Hi, I am a postdoc
at TU Clausthal. I am looking for …", "Hallo! Ich bin Doktorandin an der TU Clausthal. Wir
suchen …"): not the request the members asked read, but where the organisation may be named.

`split_introduction` gives the request without them and the organisation the introduction
names, if any: everyday words of introducing oneself only, the name as written (its words
begin with a capital letter or a digit, "TU Clausthal", "Harzer Gießerei GmbH")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.textmatch.sentences import sentences
from handlers.faq.small_talk import small_talk
from handlers.partners.intent import is_partner_search

# A greeting before the request, up to its comma or dash: "Hi,", "Hallo zusammen –".
_GREETING = re.compile(r"^\s*(?P<part>[^,;:!.\n–—-]{1,40})(?:[,;:!.\n]|\s[–—-])\s*")
# How a sentence introducing oneself begins.
_OPENING = re.compile(
    r"^(?:i\s+am|i'm|i\s+work|my\s+name\s+is|this\s+is|we\s+are|we're|here\s+is|"
    r"ich\s+bin|ich\s+arbeite|mein\s+name\s+ist|wir\s+sind|hier\s+(?:ist|schreibt|spricht))\b",
    re.IGNORECASE,
)
# Verbs of wanting or needing: a sentence opening as an introduction and holding one says
# what the writer wants too ("wir sind ein Betrieb mit 40 Leuten und möchten Schwarzmasse
# analysieren lassen"): kept, since dropping it would drop the need.
_WANTS = re.compile(
    r"\b(?:möchten|möchte|moechten|moechte|wollen|will|wollten|würden|wuerden|brauchen|"
    r"brauche|benötigen|benötige|benoetigen|planen|plane|want|wants|would|need|needs|plan|"
    r"planning|intend)\b",
    re.IGNORECASE,
)
# Where one works, after the introduction's preposition ("aus"/"from" name a town as often:
# not read): capitalised words (and "of", "für",
# "&" between them): "TU Clausthal", "Institute of Mineral Processing", "Harzer Gießerei".
_NAME_WORD = r"(?:[A-ZÄÖÜ0-9][\w&.'’\-]+)"
_JOINER = r"(?:\s+(?:of|for|für|de|der|des|und|and|&)\s+|\s+)"
_WORKPLACE = re.compile(
    r"\b(?:at|with|for|bei|an|von|vom)\s+(?:the\s+|der\s+|dem\s+|den\s+|einer\s+|"
    rf"einem\s+)?(?P<name>{_NAME_WORD}(?:{_JOINER}{_NAME_WORD}){{0,6}})"
)
# Capitalised words that are no organisation's name ("I am at Monday's meeting").
_NOT_NAMES = frozenset(
    {"i", "ich", "wir", "we", "the", "der", "die", "das"}
    | {"montag", "dienstag", "mittwoch", "donnerstag", "freitag"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday"}
)


@dataclass(frozen=True)
class Introduced:
    need: str  # the request without the greeting and introduction
    organisation: str | None  # the organisation the introduction names


def split_introduction(text: str) -> Introduced:
    """The request without a greeting and sentences only introducing the writer, and the
    organisation such a sentence names. Nothing left over: the text as it was."""
    rest = text.strip()
    greeting = _GREETING.match(rest)
    if greeting is not None and small_talk(greeting["part"]) == "greeting":
        rest = rest[greeting.end() :]
    kept: list[str] = []
    organisation: str | None = None
    for sentence in sentences(rest):
        if _introduces_only(sentence):
            organisation = organisation or _workplace(sentence)
            continue
        kept.append(sentence)
    need = " ".join(kept).strip()
    if (
        need == text.strip()
        or not need
        or (not is_partner_search(need) and is_partner_search(text))
    ):
        return Introduced(text.strip(), organisation)
    return Introduced(need[:1].upper() + need[1:], organisation)  # a sentence of its own now


def _introduces_only(sentence: str) -> bool:
    """ "I am a postdoc at TU Clausthal.", "Wir sind ein Start-up aus Goslar.": a sentence
    about the writer that asks nothing (no search, no question)."""
    stripped = sentence.strip()
    if not _OPENING.match(stripped) or stripped.endswith("?") or _WANTS.search(stripped):
        return False
    return not is_partner_search(stripped)


def _workplace(sentence: str) -> str | None:
    """The organisation named after "at"/"bei"/"an der" in an introduction, if any."""
    found = _WORKPLACE.search(sentence)
    if found is None:
        return None
    name = found["name"].rstrip(".,;:!'’")
    if name.casefold() in _NOT_NAMES or len(name) < 2:
        return None
    return name
