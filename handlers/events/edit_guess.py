"""What an admin meant by `/terminaendern` words that name no event as a whole: "Symposium
beginnt jetzt am 20.01. um 10 uhr" (the change written in words, no `beginn=`) had been "Keine
kommende Veranstaltung passt zu …" although the symposium exists.

The first words that name exactly one upcoming event are that event; the rest is its new start
only when it says so ("beginnt", "starts") and the form's own date parser reads what follows
(`dates.parse_when`): then the change is previewed, never saved before *Speichern*. Otherwise
the event is named with a line to copy. Plain functions: no chat, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import UserError
from handlers.events.dates import parse_when
from handlers.events.naming import events_named
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
