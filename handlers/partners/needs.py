"""Splits a partner request that asks for several things into its needs.

"We need a supplier of black mass and a lab that can characterise it" asks for two
kinds of member; scored as one text, the lab covers only half of it and falls below the
cut-off. A new need starts at a coordinating conjunction followed by a new noun phrase
of its own (an article, a preposition, "someone"): "X and a Y", "für X sowie für Y"; or
by a new question ("Who builds X, and is there a Y", "…, und wer Y"); "then" / "dann"
join the steps of a plan ("erst ein Institut …, dann einen Ofenbauer").
An adverb of addition may come between ("und zusätzlich ein Hochschulinstitut").
A bare list ("lithium, nickel and cobalt", "Solventextraktion und Elektrolyse") is one
need: every item of it describes the same partner.
"""

from __future__ import annotations

import re

# Conjunctions that may join two needs, longest first ("as well as" before "as").
_CONJUNCTIONS = (
    "as well as",
    "and also",
    "and then",
    "and",
    "then",
    "or",
    "plus",
    "sowie auch",
    "sowie",
    "und auch",
    "und dann",
    "und",
    "dann",
    "oder",
)
# What opens a noun phrase or a question of its own after the conjunction: articles,
# quantifiers, prepositions, indefinite pronouns and question openers, matched
# case-insensitively as typed. Not German
# definite articles: after "und" they mostly go on a relative clause about the same
# partner ("der Festplatten abnimmt und die Magnete recycelt").
_OPENERS = (
    "a",
    "an",
    "the",
    "some",
    "another",
    "for",
    "with",
    "someone",
    "somebody",
    "ein",
    "eine",
    "einen",
    "einem",
    "einer",
    "für",
    "fuer",
    "fur",
    "mit",
    "zur",
    "zum",
    "bei",
    "jemand",
    "jemanden",
    "is there",
    "are there",
    "who",
    "gibt es",
    "wer",
)
# Adverbs of addition or sequence that may stand between the conjunction and the new
# phrase ("und zusätzlich ein Institut", "and additionally a lab"): general grammar, no
# field's words.
_ADVERBS = (
    "also",
    "additionally",
    "separately",
    "ideally",
    "preferably",
    "possibly",
    "perhaps",
    "maybe",
    "later",
    "afterwards",
    "zusätzlich",
    "zusaetzlich",
    "außerdem",
    "ausserdem",
    "zudem",
    "ebenfalls",
    "noch",
    "daneben",
    "danach",
    "anschließend",
    "anschliessend",
    "später",
    "spaeter",
    "idealerweise",
    "möglichst",
    "moeglichst",
    "gern",
    "gerne",
    "eventuell",
    "vielleicht",
)
_SPLIT = re.compile(
    r"\s+(?:" + "|".join(c.replace(" ", r"\s+") for c in _CONJUNCTIONS) + r")\s+"
    r"(?:(?:" + "|".join(_ADVERBS) + r"),?\s+)?"
    r"(?=(?:" + "|".join(o.replace(" ", r"\s+") for o in _OPENERS) + r")\b)",
    re.IGNORECASE,
)
# A request rarely asks for more than a few kinds of partner; more splits are lists.
MAX_NEEDS = 3


def split_needs(text: str) -> list[str]:
    """The needs of a request, in order; one element when it asks for one thing."""
    parts = [p.strip() for p in _SPLIT.split(text) if p.strip()]
    if len(parts) < 2 or len(parts) > MAX_NEEDS:
        return [text]
    return parts
