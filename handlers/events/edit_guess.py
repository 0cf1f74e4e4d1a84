"""What an admin meant by `/terminaendern` words that name no event as a whole: "Symposium
beginnt jetzt am 20.01. um 10 uhr" (the change written in words, no `beginn=`) had been "Keine
kommende Veranstaltung passt zu …" although the symposium exists.

The first words that name exactly one upcoming event are that event; the rest is its new start
only when it says so ("beginnt", "starts") and the form's own date parser reads what follows
(`dates.parse_when`): then the change is previewed, never saved before *Speichern*. Otherwise
the event is named with a line to copy. Said without the command ("verschieb das
Innovationsforum auf 10:30 und mach 25 Plätze draus", `change_in_words`), the start, end and
places the words give are read as fields (`fields_in_words`) for the command the office is
offered. Plain functions: no chat, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import UserError
from handlers.events.dates import parse_when
from handlers.events.form import field_name
from handlers.events.naming import events_named, named_about_events
from storage.events import Event

# A rest that asks a new start: its verb (either language), words that only stress it, then
# the date and time.
_NEW_START = re.compile(
    r"^(?:beginnt|beginnen|beginn|startet|starten|start|starts|begins|begin|will\s+start)"
    r"(?:\s+(?:jetzt|nun|neu|erst|schon|bereits|stattdessen|now|instead|newly))*"
    r"(?:\s+(?:am|ab|um|on|at|from))?\s+(?P<when>.+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Guess:
    """The event the first words name, and the rest read as its new start (as typed after
    `beginn=`), or None when the rest does not read safely as one."""

    event: Event
    start: str | None


def guess(words: str, events: Sequence[Event], *, tz: ZoneInfo, now: datetime) -> Guess | None:
    """The one event the shortest run of first words of `words` names (a run naming several
    grows by a word: "Workshop Seltene …"); None when none names exactly one."""
    tokens = words.split()
    for cut in range(1, len(tokens)):
        found = events_named(" ".join(tokens[:cut]), events, tz)
        if len(found) == 1:
            rest = " ".join(tokens[cut:])
            return Guess(found[0], new_start(rest, tz=tz, now=now))
    return None


def new_start(rest: str, *, tz: ZoneInfo, now: datetime) -> str | None:
    """ "beginnt jetzt am 20.01. um 10 uhr" -> "20.01. um 10 uhr": the moment, when the rest
    asks a new start and the form's parser reads it; else None."""
    asked = _NEW_START.match(rest.strip().rstrip("!").strip())
    if asked is None:
        return None
    when = asked.group("when").strip()
    try:
        parse_when(when, tz=tz, now=now)
    except UserError:
        return None
    return when


# A change of an event said in words, on the folded text: a verb of changing and what is
# changed ("verschieb das Innovationsforum auf 10:30", "move the workshop to Goslar") ...
_CHANGE = re.compile(
    r"\b(?:verschieb\w*|verleg\w*|ander\w*|aender\w*|setz\w*|mach\w*|stell\w*|erhoh\w*|"
    r"reduzier\w*|move|postpone|reschedule|change|set|increase|reduce|make)\b"
)
_EVENT_FIELD = re.compile(
    r"\b(?:platze?|beginn|anfang|ende|uhr|uhrzeit|datum|tag|ort|raum|titel|beschreibung|"
    r"kapazitat|start|time|date|place|venue|room|seats|places|capacity|title|description)\b|"
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\.\d{1,2}\.|\bauf\s+(?:montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|morgen)\b"
)
# ... or, asking nothing, when it starts or ends now or how many places it has ("das Forum
# soll erst um 13 Uhr anfangen", "endet um 16 Uhr", "the forum now has only 50 seats").
_STARTS = re.compile(r"\b(?:anfang\w*|fang\w*|beginn\w*|start\w*|los)\b")
_ENDS = re.compile(r"\b(?:end(?:et|en|s|e)?|ending|aufhor\w*|schluss)\b")
# A time of day ("auf 10:30", "um 13 Uhr", "bis 17 Uhr", "to 10:00") and places ("25 Plätze").
_TIME_SAID = re.compile(
    r"\b(?P<until>bis|until|ende|end)?\s*(?:(?:auf|um|ab|at|to|von|from)\s+)?"
    r"(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d)|\s*uhr\b)"
)
_PLACES_SAID = re.compile(
    r"\b(?P<count>\d{1,4})\s*(?:platze|plaetze|plätze|places|seats|teilnehmer\w*|personen|people)\b"
)


def change_in_words(text: str, folded: str) -> bool:
    """Whether `text` (`folded`: as the office's words are read) changes an event it names."""
    changes = bool(_CHANGE.search(folded) and _EVENT_FIELD.search(folded))
    says = "?" not in text and bool(
        ((_STARTS.search(folded) or _ENDS.search(folded)) and _TIME_SAID.search(folded))
        or _PLACES_SAID.search(folded)
    )
    return (changes or says) and named_about_events(text).names_event


def fields_in_words(text: str, lang: str) -> list[tuple[str, str]]:
    """The start, end and places the words give, as `lang`'s admins type the fields
    ("beginn", "10:30"); a time is the end after "bis"/"until" or where only ending is said."""
    folded = text.casefold()
    ends = bool(_ENDS.search(folded)) and not _STARTS.search(folded)
    found: list[tuple[str, str]] = []
    for said in _TIME_SAID.finditer(folded):
        name = field_name(lang, "end" if said["until"] or ends else "start")
        if all(other != name for other, _value in found):
            found.append((name, f"{int(said['hour']):02d}:{said['minute'] or '00'}"))
    places = _PLACES_SAID.search(folded)
    if places is not None:
        found.append((field_name(lang, "capacity"), places["count"]))
    return found
