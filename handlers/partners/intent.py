"""Recognises free text that is clearly a partner search (German or English)."""

from __future__ import annotations

import re

from bot.textmatch.normalize import fold


def _alt(*options: str) -> str:
    return "(?:" + "|".join(options) + ")"


# Patterns run on folded text (lower case, umlauts folded to plain vowels). Each needs a
# searching verb together with a partner-like object, or a "who can help us"
# construction, so ordinary questions ("Wann ist ...?") do not trigger.
_SEEK_DE = _alt(r"such\w*", "gesucht", r"brauch\w*", r"benotig\w*")
_WHO_DE = _alt(
    r"\w*partner\w*",
    "unternehmen",
    r"firm\w*",
    r"\w*betrieb\w*",
    r"anbieter\w*",
    r"dienstleister\w*",
    r"lieferant\w*",
    r"abnehmer\w*",
    r"\w*labor\w*",
    r"institut\w*",
    r"hochschul\w*",
    r"universitat\w*",
    r"forschungs\w*",
    r"expert\w*",
    r"berater\w*",
    r"verwerter\w*",
    r"entsorger\w*",
    r"\w*buro\w*",
    r"\w*bauer\w*",
    r"jemand\w*",
    r"mitglied(?:er|ern)?",
    r"spezialist\w*",
    r"hersteller\w*",
    r"handler\w*",
    # a business named by the general suffix -erei: Scheiderei, Gießerei, Molkerei, Druckerei
    r"\w{3,}erei(?:en)?",
    r"\w*begleitung",
    r"\w*verwerter",
    r"\w*recycler",
    r"\w*analys\w*",
    r"raffinerie\w*",
    r"\w*hutte\w*",
)
_SEEK_EN = _alt(
    "looking for",
    "look for",
    "seeking",
    "searching for",
    "search for",
    "in search of",
    "need",
    "needs",
    "want to find",
    "like to find",
    "hoping to find",
    r"like to (?:interview|talk to|meet|contact|work with|benchmark)",
)
_WHO_EN = _alt(
    "partners?",
    r"compan(?:y|ies)",
    "firms?",
    "suppliers?",
    "providers?",
    "vendors?",
    "labs?",
    r"laborator(?:y|ies)",
    "institutes?",
    r"universit(?:y|ies)",
    r"research (?:group|partner|institute)s?",
    "experts?",
    r"consultan(?:t|ts|cy)",
    "recyclers?",
    "buyers?",
    "offtakers?",
    "carriers?",
    "smelters?",
    "refiners?",
    "someone",
    "somebody",
    "anyone",
    "members?",
    "contractors?",
    "manufacturers?",
    "collaborators?",
    "specialists?",
    "operators?",
    r"facilit(?:y|ies)",
    "remelters?",
    r"refiner(?:y|ies)",
    r"foundr(?:y|ies)",
    "processors?",
    "transporters?",
    "haulers?",
    "hauliers?",
    "traders?",
    "advice",
    "supply",
    "supplies",
    r"\w+(?:er|or)s? (?:who|that|which)",
)
_ABLE_EN = _alt("can", "could", "would", "might", "is able to", "has", "have")
_OFFER_EN = _alt(
    "help",
    "support",
    "supply",
    "provide",
    "recycle",
    "process",
    "take (?:back|over)",
    "transport",
    "dismantle",
    "shred",
    "sort",
    "measure",
    r"characteri[sz]e",
    "calculate",
    "certify",
    "teach",
    "train",
    "buy",
    "host",
    "analy[sz]e",
    "offer",
    "refine",
    "recover",
    "treat",
    "build",
    "design",
    "advise",
    "know-how",
    "experience",
    "expertise",
)
_DO_DE = _alt(
    "helfen",
    "unterstutzen",
    "liefern",
    "ubernehmen",
    "anbieten",
    r"recycel\w*",
    r"verwert\w*",
    r"aufbereit\w*",
    r"abnehm\w*",
    "kaufen",
    "kauft",
    "analysieren",
    "beraten",
    "berechnen",
    "hat erfahrung",
    "bietet",
)
_GAP = r"(?:\W+\w+)"
# "Wer kann ... <Verb>?" asks for a capability, unless it is about taking part
_TAKING_PART = _alt(
    "teilnehm",
    "anmeld",
    "abmeld",
    "mitmach",
    "mitkomm",
    "mitbring",
    "beitret",
    "mitglied",
    r"kommen\b",
    r"werden\b",
    r"sagen\b",
)
_NOT_TAKING_PART = rf"(?!\W+(?:\w+\W+){{0,8}}?{_TAKING_PART})"

_PATTERNS = [
    # "Wir suchen einen Partner ...", "Wir brauchen ein Labor ..."
    re.compile(rf"\b{_SEEK_DE}\b{_GAP}{{0,6}}?\W+{_WHO_DE}\b"),
    # "Labor für ... gesucht"
    re.compile(rf"\b{_WHO_DE}\b{_GAP}{{0,6}}?\W+gesucht\b"),
    # "Wer kann uns bei ... helfen", "Wer im Netzwerk verwertet ..."
    re.compile(rf"\bwer\b{_GAP}{{0,8}}?\W+{_DO_DE}\b"),
    re.compile(
        rf"\bwer (?:kann|konnte|konnen){_NOT_TAKING_PART}{_GAP}{{1,10}}?\W+\w+(?:en|ern)\s*\?"
    ),
    re.compile(r"\bkennt\s+(?:jemand|ihr|wer)\b"),
    re.compile(rf"\bgibt es (?:im netzwerk|unter den mitgliedern|jemand\w*|ein\w* {_WHO_DE})\b"),
    # "looking for a lab that can ...", "we need a company that ..."
    re.compile(rf"\b{_SEEK_EN}\b{_GAP}{{0,4}}?\W+{_WHO_EN}\b"),
    # "who can help us with ...", "who has the know-how"
    re.compile(rf"\bwho\b{_GAP}{{0,2}}?\W+{_ABLE_EN}\b{_GAP}{{0,3}}?\W+{_OFFER_EN}\b"),
    re.compile(r"\b(?:does|do) (?:anyone|anybody|someone|somebody) (?:know|recycle|offer|have)\b"),
    re.compile(
        rf"\b(?:is|are) there (?:a|an|any)\b{_GAP}{{0,4}}?\W+"
        r"(?:compan(?:y|ies)|firms?|partners?|labs?|suppliers?|recyclers?|facilit(?:y|ies))\b"
    ),
]


def is_partner_search(text: str) -> bool:
    """True only for text that clearly asks for a partner, supplier, lab or expert."""
    folded = fold(text, plain_umlauts=True)
    return any(pattern.search(folded) for pattern in _PATTERNS)
