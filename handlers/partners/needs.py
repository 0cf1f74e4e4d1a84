"""Splits a partner request that asks for several things into its needs.

"We need a supplier of black mass and a lab that can characterise it" asks for two
kinds of member; scored as one text, the lab covers only half of it and falls below the
cut-off. A new need starts at a coordinating conjunction followed by a new noun phrase
of its own (an article, a preposition, "someone"): "X and a Y", "für X sowie für Y"; or
by a new question ("Who builds X, and is there a Y", "…, und wer Y"); "then" / "dann"
join the steps of a plan ("erst ein Institut …, dann einen Ofenbauer").
An adverb of addition may come between ("und zusätzlich ein Hochschulinstitut"), or stand
for the conjunction after a comma ("…, außerdem eine Firma, die …").
A bare list ("lithium, nickel and cobalt", "Solventextraktion und Elektrolyse") is one
need: every item of it describes the same partner.
A sentence that opens with a conjunction or an adverb of addition ("Und wir suchen …",
"Außerdem …", "Also need …") adds a need to what the sentences before asked.
"""

from __future__ import annotations

import re

from bot.textmatch.sentences import sentences

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
# field's words. The ones that add or follow on also open a need of their own as a
# sentence's first word (`_ADDS`); the hedges do not ("Idealerweise ein KMU aus Sachsen."
# says more of the same partner), nor "noch" ("Noch ein Hinweis: …").
_ADDITIONS = (
    "also", "additionally", "separately", "later", "afterwards",
    "zusätzlich", "zusaetzlich", "außerdem", "ausserdem", "zudem", "ebenfalls",
    "daneben", "danach", "anschließend", "anschliessend", "später", "spaeter",
)  # fmt: skip
_HEDGES = (
    "ideally", "preferably", "possibly", "perhaps", "maybe", "noch",
    "idealerweise", "möglichst", "moeglichst", "gern", "gerne", "eventuell", "vielleicht",
)  # fmt: skip
_ADVERBS = _ADDITIONS + _HEDGES
_SPLIT = re.compile(
    r"\s+(?:" + "|".join(c.replace(" ", r"\s+") for c in _CONJUNCTIONS) + r")\s+"
    r"(?:(?:" + "|".join(_ADVERBS) + r"),?\s+)?"
    r"(?=(?:" + "|".join(o.replace(" ", r"\s+") for o in _OPENERS) + r")\b)",
    re.IGNORECASE,
)
# A sentence opening with a conjunction or an adverb of addition adds a need.
_ADDS = re.compile(
    r"^(?:" + "|".join(c.replace(" ", r"\s+") for c in (*_CONJUNCTIONS, *_ADDITIONS)) + r")\b",
    re.IGNORECASE,
)
# A dash before the conjunction breaks the sentence: what follows is a need of its own, with
# or without an article ("… Heizwärme machen – und gern Kontakt zu anderen …").
_BREAK = re.compile(
    r"\s+[–—-]\s+(?:" + "|".join(c.replace(" ", r"\s+") for c in _CONJUNCTIONS) + r")\s+"
    r"(?:(?:" + "|".join(_ADVERBS) + r"),?\s+)?",
    re.IGNORECASE,
)
# An adverb of addition after a comma opens a need as a conjunction does when a partner of
# its own follows ("… für Indium, außerdem eine Firma, die …", "…, additionally a lab that
# …"); not a preposition ("…, außerdem mit Erfahrung in Förderanträgen": the same partner).
_PREPOSITIONS = frozenset({"for", "with", "für", "fuer", "fur", "mit", "zur", "zum", "bei"})
_COMMA_ADDS = re.compile(
    r"\s*,\s+(?:" + "|".join(_ADDITIONS) + r"),?\s+"
    r"(?=(?:"
    + "|".join(o.replace(" ", r"\s+") for o in _OPENERS if o not in _PREPOSITIONS)
    + r")\b)",
    re.IGNORECASE,
)
# A request rarely asks for more than a few kinds of partner; more splits are lists.
MAX_NEEDS = 3


def split_needs(text: str) -> list[str]:
    """The needs of a request, in order; one element when it asks for one thing."""
    parts = [
        p.strip()
        for chunk in _sentence_needs(text)
        for broken in _BREAK.split(chunk)
        for added in _COMMA_ADDS.split(broken)
        for p in _SPLIT.split(added)
        if p.strip()
    ]
    if len(parts) < 2 or len(parts) > MAX_NEEDS:
        return [text]
    return parts


def _sentence_needs(text: str) -> list[str]:
    """The text cut before each sentence that adds a need ("… raus? Und wir suchen …")."""
    chunks: list[str] = []
    for sentence in sentences(text):
        if chunks and _ADDS.match(sentence):
            chunks.append(sentence)
        elif chunks:
            chunks[-1] += " " + sentence
        else:
            chunks.append(sentence)
    return chunks or [text]
