"""Dates and times as people type them, in German and English forms; shown in the network's zone.

Accepted: "12.03.2027 9:30", "12.03.27, 9:30 Uhr", "2027-03-12 09:30", "2027-03-12T09:30",
"03/12/2027 9:30 am" is not (ambiguous). Words like "morgen 14 Uhr" are refused politely.
A time alone ("17:00", "17 Uhr") is read where a day is known (an end on the start's day).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.i18n.dates import WEEKDAYS, show_date, show_time, show_when

__all__ = ["WEEKDAYS", "parse_when", "show_date", "show_time", "show_when"]

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
