"""Dates and times as people type them, in German and English forms; shown in the network's zone.

Accepted: "12.03.2027 9:30", "12.03.27, 9:30 Uhr", "2027-03-12 09:30", "2027-03-12T09:30",
"03/12/2027 9:30 am" is not (ambiguous). Words like "morgen 14 Uhr" are refused politely.
A time alone ("17:00", "17 Uhr") is read where a day is known (an end on the start's day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from bot.errors import UserError
from bot.i18n.dates import WEEKDAYS, show_date, show_time, show_when
from bot.textmatch import fold

__all__ = [
    "WEEKDAYS",
    "DayNamed",
    "day_named_in",
    "parse_when",
    "show_date",
    "show_time",
    "show_when",
]

_TIME = r"(?:[,\s]+(?:um\s+|at\s+)?(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?:uhr|h)?)?"
_GERMAN = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2}|\d{4})" + _TIME + r"$", re.I)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T|\s+)?" + _TIME + r"$", re.I)
_ISO_T = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})T(?P<h>\d{1,2}):(?P<mi>\d{2})$")
_TIME_ALONE = re.compile(
    r"^(?:um\s+|at\s+)?(?P<h>\d{1,2})(?:(?:[:.](?P<mi>\d{2})\s*(?:uhr|h)?)|\s*(?:uhr|h))$", re.I
)
_RELATIVE = re.compile(
    r"\b(heute|morgen|übermorgen|uebermorgen|nächst\w*|naechst\w*|today|tomorrow|next|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)


def parse_when(
    text: str, *, tz: ZoneInfo, default_time: time = time(0, 0), day: date | None = None
) -> datetime:
    """A typed local date and time -> an aware UTC datetime; `UserError` when unreadable.

    `day`: the local day a time typed alone ("17:00", "17 Uhr", "at 5.30") is on; without
    it a time alone is no date."""
    raw = " ".join(text.strip().split())[:60]
    if _RELATIVE.search(raw):
        raise UserError("events.date_relative", given=raw)
    alone = _TIME_ALONE.match(raw) if day is not None else None
    match = alone or _ISO_T.match(raw) or _GERMAN.match(raw) or _ISO.match(raw)
    if match is None:
        raise UserError("events.bad_date", given=raw)
    parts = match.groupdict()
    on = day if alone is not None and day is not None else _day(parts, raw)
    try:
        clock = default_time
        if parts.get("h") is not None:
            clock = time(int(parts["h"]), int(parts.get("mi") or 0))
    except ValueError:
        raise UserError("events.no_such_time", given=raw) from None
    return datetime.combine(on, clock, tzinfo=tz).astimezone(UTC)


def _day(parts: dict[str, str | None], raw: str) -> date:
    year = int(parts["y"] or 0)
    if year < 100:
        year += 2000
    try:
        return date(year, int(parts["m"] or 0), int(parts["d"] or 0))
    except ValueError:
        # written as asked, but no such day ("31.02.2027")
        raise UserError("events.no_such_day", given=raw) from None


# --- a day named in a question ------------------------------------------------------------


@dataclass(frozen=True)
class DayNamed:
    """A calendar day a question names ("am 23.02.2027", "on 23 February", "2027-02-23"); the
    year may be left out. `typed` is how it was written, for an answer that quotes it."""

    day: int
    month: int
    year: int | None
    typed: str

    @property
    def exists(self) -> bool:
        """False for a day the month does not have ("31.02.2027"; 29 February without a
        year exists, in leap years)."""
        year = str(self.year) if self.year is not None else "2000"  # a leap year
        try:
            _day({"y": year, "m": str(self.month), "d": str(self.day)}, self.typed)
        except UserError:
            return False
        return True

    def is_on(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Whether `moment` (aware) falls on this day in the network's zone."""
        local = moment.astimezone(tz)
        same = (local.day, local.month) == (self.day, self.month)
        return same and self.year in (None, local.year)

    def label(self, lang: str) -> str:
        """The day as the language writes it: `23.02.2027`, `23.02.`; `2027-02-23`,
        `23 February`."""
        if self.year is not None and self.exists:
            noon = datetime(self.year, self.month, self.day, 12, tzinfo=UTC)
            return show_date(noon, lang=lang, tz=ZoneInfo("UTC"))
        if lang == "en":
            return f"{self.day} {get_month_names('wide', locale='en')[self.month]}"
        return f"{self.day:02d}.{self.month:02d}."


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Month names of both languages (Babel's locale data), lower-case, folded and typed
    without umlauts ("märz", "maerz", "marz"), with their numbers."""
    names: dict[str, int] = {}
    for locale in ("de", "en"):
        for number, name in get_month_names("wide", locale=locale).items():
            for variant in (name.lower(), fold(name), fold(name, plain_umlauts=True)):
                names[variant] = number
    return names


@lru_cache(maxsize=1)
def _day_patterns() -> tuple[re.Pattern[str], ...]:
    """The ways a day is written in a sentence, German and English ("23.02.2027", "23.02.",
    "2027-02-23", "23. Februar", "23rd of February 2027", "February 23, 2027")."""
    names = sorted(month_numbers(), key=len, reverse=True)
    month = "(?P<name>" + "|".join(names) + ")"
    year = r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
    return (
        re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{4}|\d{2}))?(?!\d)"),
        re.compile(
            r"(?<![\d.])(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?" + month + r"\b" + year,
            re.I,
        ),
        re.compile(r"\b" + month + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d.])" + year, re.I),
    )


def day_named_in(text: str) -> tuple[DayNamed | None, str]:
    """The first calendar day `text` names, and the text without it (so that its numbers
    and month are not read as words of a title); (None, text) when it names none."""
    for pattern in _day_patterns():
        found = pattern.search(text)
        if found is None:
            continue
        parts = found.groupdict()
        name = parts.get("name")
        month = month_numbers()[name.lower()] if name else int(parts["m"])
        year = int(parts["y"]) if parts.get("y") else None
        if year is not None and year < 100:
            year += 2000
        rest = text[: found.start()] + " " + text[found.end() :]
        return DayNamed(int(parts["d"]), month, year, found.group().strip()), rest
    return None, text
