"""Days and lengths typed in words, German and English, as an office types them.

Days: "heute", "morgen 14 Uhr", "übermorgen um 9", "nächsten Freitag 14:30", "am Freitag, 14.30",
"Di 14 Uhr"; "today", "tomorrow at 2pm", "next friday 2:30pm", "on friday 14h", "Fri 6pm" (a
weekday may be shortened as the bot shows one: "Di", "Fr.", "Fri"); the time may come first
("14 Uhr am Freitag", "2pm tomorrow"). They are read against the local day the caller passes (the
services' clock in the network's zone), so these stay pure functions.

The one rule for a weekday: its name, with or without "nächsten"/"diesen"/"next"/"this"/"am"/"on",
is the first such day *after* today, 1 to 7 days ahead. "Freitag" or "this friday" typed on a
Friday is the Friday a week later; today is "heute"/"today". The preview before saving shows the
weekday and date it became. A bare hour after a day ("Freitag 3") is refused: 3 or 15 o'clock?

Times in words: "halb fünf" (4:30), "viertel nach vier", "viertel vor fünf", "half past four",
"quarter to five", on the 24-hour clock as "um 4" is ("halb 17" is 16:30).

Lengths (an event's end): "3 Stunden", "3 hours", "2,5 h", "90 min", "1 h 30 min", "+3h", "2 Tage".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache

from babel.dates import get_day_names

from bot.errors import UserError
from bot.textmatch import fold
from handlers.events.number_words import number_of, number_words

# Days after today, folded (umlauts as "ue"); a member's question names them too
# (`spans`: "Was ist morgen los?").
DAYS_AHEAD = {
    "heute": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "uebermorgen": 2,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
}
# Words before a weekday that change nothing under the rule above.
_WHICH = r"naechste[nmrs]?|kommende[nmrs]?|diese[nmrs]?|next|this|coming"
# Hours need a sign they are a time: minutes, "Uhr"/"h"/"am"/"pm" or "um"/"at" before them.
_AT = (
    r"(?:(?P<at>um|at|gegen|ab|from)\s+)?(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?"
    r"\s*(?P<suf>uhr|h|[ap]\.?\s?m\.?)?"
)
# Words that show a relative day was meant, when the rest could not be read.
MENTIONS = re.compile(
    r"\b(heute|morgen|übermorgen|uebermorgen|nächst\w*|naechst\w*|today|tomorrow|tonight|next|"
    r"woche|week|abends?|evening|morning|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
    r"sonntag|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)


@lru_cache(maxsize=1)
def weekday_numbers(*, short: bool = False) -> dict[str, int]:
    """Weekday names of both languages (Babel's locale data), folded, with Monday as 0;
    `short` adds the abbreviations ("Fr", "Fri") a date shown by the bot starts with."""
    names: dict[str, int] = {}
    for locale in ("de", "en"):
        tables = [get_day_names("wide", locale=locale)]
        if short:
            tables.append(get_day_names("abbreviated", locale=locale))
        for table in tables:
            for number, name in table.items():
                names[fold(name).rstrip(".")] = number
    return names


def next_weekday(weekday: int, today: date) -> date:
    """The day a weekday (0 = Monday) names under the one rule: the first such day after
    `today`, 1 to 7 days ahead."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = sorted([*DAYS_AHEAD, *weekday_numbers(short=True)], key=len, reverse=True)
    day = rf"(?:(?:am|on)\s+)?(?:(?P<which>{_WHICH})\s+)?(?P<day>{'|'.join(words)})\.?"
    return (
        re.compile(rf"^{day}(?:[,\s]+{_AT})?$"),
        re.compile(rf"^{_AT}[,\s]+{day}$"),
    )


def clock_of(parts: dict[str, str | None], raw: str) -> time:
    """The time of day a match's `h`, `mi` and `suf` ("uhr", "h", "am", "pm") name;
    12am is midnight, 12pm noon. `UserError` when there is no such time."""
    hour, minute = int(parts["h"] or 0), int(parts.get("mi") or 0)
    suffix = (parts.get("suf") or "").casefold()
    if suffix[:1] in ("a", "p"):
        if not 1 <= hour <= 12:
            raise UserError("events.no_such_time", given=raw)
        hour = hour % 12 + (12 if suffix[0] == "p" else 0)
    try:
        return time(hour, minute)
    except ValueError:
        raise UserError("events.no_such_time", given=raw) from None


# A time in words, German and English: "halb fünf" (4:30: half an hour before five),
# "viertel nach vier" (4:15), "viertel vor fünf" (4:45), "half past four", "quarter to five";
# "um"/"at" may come first, "Uhr" after. The hour is read as "um 4" is, on the 24-hour clock
# ("halb fünf" is 4:30, "halb 17" 16:30): no rule here makes an hour the afternoon's.
_CLOCK_IN_WORDS = re.compile(
    r"^(?:(?:um|at|gegen|ab|from)\s+)?"
    r"(?P<part>halb|viertel\s+nach|viertel\s+vor|half\s+past|(?:a\s+)?quarter\s+(?:past|to))"
    r"\s+(?P<h>[a-z]+|\d{1,2})(?:\s+uhr)?$"
)
# Minutes after the hour named, by the words before it.
_CLOCK_PARTS = {"halb": -30, "viertel nach": 15, "viertel vor": -15, "half past": 30}


def clock_in_words(raw: str) -> time | None:
    """The time of day "halb fünf", "viertel nach vier" or "quarter to five" names; None when
    `raw` is no such phrase. `UserError` for an hour there is not ("halb 30")."""
    found = _CLOCK_IN_WORDS.match(" ".join(fold(raw).split()))
    if found is None:
        return None
    part = found["part"].removeprefix("a ")
    hour_word = found["h"]
    hour = int(hour_word) if hour_word.isdecimal() else number_of(hour_word)
    if hour is None:
        return None
    minutes = _CLOCK_PARTS.get(part, 15 if part == "quarter past" else -15)
    if not 0 <= hour <= 24 or (hour == 24 and minutes > 0) or (hour == 0 and minutes < 0):
        raise UserError("events.no_such_time", given=raw)
    at = hour * 60 + minutes
    return time(at // 60 % 24, at % 60)


def relative_day(raw: str, today: date) -> tuple[date, time | None] | None:
    """The day (and the time, when one is typed) "morgen 14 Uhr" names, counted from `today`;
    None when `raw` is no such phrase. `UserError` for a bare hour or no such time."""
    folded = fold(raw)
    for pattern in _patterns():
        found = pattern.match(folded)
        if found is not None:
            break
    else:
        return None
    parts = found.groupdict()
    word = parts["day"]
    if word in DAYS_AHEAD:
        if parts["which"]:
            return None  # "nächsten morgen": not a day
        on = today + timedelta(days=DAYS_AHEAD[word])
    else:
        on = next_weekday(weekday_numbers(short=True)[word], today)
    if parts["h"] is None:
        return on, None
    if not (parts["at"] or parts["mi"] or parts["suf"]):
        raise UserError("events.date_relative", given=raw)
    return on, clock_of(parts, raw)


# --- lengths ------------------------------------------------------------------------------

_MINUTES = {
    **dict.fromkeys(("min", "mins", "minute", "minuten", "minutes", "m"), 1),
    **dict.fromkeys(("h", "std", "stunde", "stunden", "hour", "hours", "hr", "hrs"), 60),
    **dict.fromkeys(("d", "tag", "tage", "tagen", "day", "days"), 24 * 60),
}
# A few hours or days as words ("drei Stunden", "an hour"), with the articles that say one.
_NUMBER_WORDS = {
    **{word: number for word, number in number_words().items() if number <= 4},
    **dict.fromkeys(("eine", "einen", "einer", "an"), 1),
}
_UNIT_WORDS = "|".join(sorted(_MINUTES, key=len, reverse=True))
_NUMBER = rf"\d{{1,5}}(?:[.,]\d{{1,2}})?|{'|'.join(_NUMBER_WORDS)}"
_PIECE = re.compile(rf"(?:\s*(?:,|und|and)?\s*)(?P<n>{_NUMBER})\s*(?P<u>{_UNIT_WORDS})\.?(?![a-z])")
_LEAD = re.compile(r"^(?P<sign>[+-])?\s*(?:(?:fuer|for|dauer:?|dauert)\s+)?")
# "17h" alone: 17 o'clock or 17 hours? (`dates.parse_end` asks when both make sense.)
BARE_HOURS = re.compile(r"^(?P<h>\d{1,2})\s*h$", re.I)


@dataclass(frozen=True)
class Length:
    """A typed length; `negative` when written with a minus ("-2h")."""

    minutes: float
    negative: bool

    @property
    def delta(self) -> timedelta:
        return timedelta(minutes=round(self.minutes))


def length_of(raw: str) -> Length | None:
    """The length "3 Stunden", "2,5 h", "90 min", "1 h 30 min", "+3h" names; None when
    `raw` is no length."""
    folded = fold(raw).strip()
    lead = _LEAD.match(folded)
    assert lead is not None  # everything optional
    position, minutes, pieces = lead.end(), 0.0, 0
    while position < len(folded):
        piece = _PIECE.match(folded, position)
        if piece is None or piece.end() == position:
            return None
        number = piece["n"]
        value = _NUMBER_WORDS.get(number) or float(number.replace(",", "."))
        minutes += value * _MINUTES[piece["u"]]
        position, pieces = piece.end(), pieces + 1
    if pieces == 0:
        return None
    return Length(minutes, negative=lead["sign"] == "-")
