"""Dates and times as people type them, in German and English forms; shown in the network's zone.

Accepted: "12.03.2027 9:30", "12.03.27, 9:30 Uhr", "2027-03-12 09:30", "2027-03-12T09:30",
"12.03.2027 2pm", and a date as the bot shows it ("Fr 12.03.2027, 09:30 Uhr": a weekday that
is not the date's is refused). "03/12/2027 9:30 am" is not (ambiguous).
With the network's `now`: days in words, "morgen 14 Uhr", "nächsten Freitag 14:30",
"Di 14 Uhr", "tomorrow at 2pm", "next friday 2:30pm", "Fri 6pm" (`relative`: a weekday is the
next such day after today), and a day without its year, "15.12. 18 Uhr" (the next 15 December
at 18:00: this year's while still ahead, else next year's). Without it (no clock at hand) they
are refused politely.
A time alone ("17:00", "17 Uhr", "5pm", in words "halb 17", "viertel vor fünf": `relative`) is
read where a day is known (an end on the start's day, "bis" before it); an end may be a length
after the start instead ("3 Stunden", "2,5 h", "+3h": `parse_end`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from bot.errors import UserError
from bot.i18n.dates import WEEKDAYS, show_date, show_time, show_when
from bot.textmatch import fold
from handlers.events.relative import (
    BARE_HOURS,
    MENTIONS,
    clock_in_words,
    clock_of,
    length_of,
    relative_day,
    weekday_numbers,
)

__all__ = [
    "WEEKDAYS",
    "DayNamed",
    "day_named_in",
    "day_of_month_in",
    "parse_end",
    "parse_when",
    "show_date",
    "show_time",
    "show_when",
]

# The longest an end typed as a length may be after the start.
MAX_LENGTH = timedelta(days=14)
_SUFFIX = r"(?P<suf>uhr|h|[ap]\.?\s?m\.?)"
_TIME = r"(?:[,\s]+(?:um\s+|at\s+)?(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*" + _SUFFIX + "?)?"
_GERMAN = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2}|\d{4})" + _TIME + r"$", re.I)
# A day without its year ("15.12. 18 Uhr"): the next such day and time from `now`. The dot
# after the month is needed: "15.12 18 Uhr" may be a time.
_NO_YEAR = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\." + _TIME + r"$", re.I)
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T|\s+)?" + _TIME + r"$", re.I)
_ISO_T = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})T(?P<h>\d{1,2}):(?P<mi>\d{2})$")
# A time alone needs minutes or a sign it is one ("17 Uhr", "um 17", "5pm"): "17" is no time.
_TIME_ALONE = re.compile(
    r"^(?P<at>um\s+|at\s+)?(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*" + _SUFFIX + r"?$", re.I
)
# An end typed as the time it lasts until: "bis 17 Uhr", "bis halb fünf", "until 5pm".
_UNTIL = re.compile(r"^(?:bis|until|till)\s+(?=\S)", re.I)
# A weekday before a date, as the bot shows one: "Fr 12.03.2027, 09:30 Uhr".
_WEEKDAY_FIRST = re.compile(r"^(?P<wd>[^\W\d_]+)\.?,?\s+(?P<rest>\d.*)$")


def written_in_full(text: str) -> bool:
    """Whether a moment was typed with its day, month and year ("19.11.2027 14:00", "Fr
    19.11.2027, 14 Uhr", "2027-11-19 14:00"): nothing of it was chosen for the office."""
    raw = " ".join(text.strip().split())[:60]
    found = _WEEKDAY_FIRST.match(raw)
    rest = found["rest"] if found is not None else raw
    return any(pattern.match(rest) for pattern in (_GERMAN, _ISO, _ISO_T))


def only_a_date(text: str, *, tz: ZoneInfo, now: datetime) -> bool:
    """Whether `text` is a date or time and nothing else ("nächsten Donnerstag 14 Uhr",
    "tomorrow 9:30", "16 Uhr"), not words with a day in them ("Forum am Freitag")."""
    try:
        parse_when(text, tz=tz, now=now, day=now.astimezone(tz).date())
    except UserError:
        return False
    return True


def parse_when(
    text: str,
    *,
    tz: ZoneInfo,
    now: datetime | None = None,
    default_time: time = time(0, 0),
    day: date | None = None,
) -> datetime:
    """A typed local date and time -> an aware UTC datetime; `UserError` when unreadable.

    `now`: the network's clock, which days in words ("morgen", "next friday") count from;
    without it they are refused. `day`: the local day a time typed alone ("17:00", "17 Uhr",
    "at 5.30") is on; without it a time alone is no date."""
    raw = " ".join(text.strip().split())[:60]
    found = _written_out(raw, tz=tz, default_time=default_time, day=day, now=now)
    if found is None:
        found = _month_in_words(raw, tz=tz, default_time=default_time, now=now)
    if found is None and day is not None:
        clock = clock_in_words(raw)  # "halb fünf", "viertel nach vier", "quarter to five"
        if clock is not None:
            found = datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)
    if found is None:
        found = _weekday_and_date(raw, tz=tz, default_time=default_time, now=now)
    if found is None and now is not None:
        named = relative_day(raw, now.astimezone(tz).date())
        if named is not None:
            on, clock = named
            found = datetime.combine(on, clock or default_time, tzinfo=tz).astimezone(UTC)
    if found is not None:
        return found
    if MENTIONS.search(raw):
        raise UserError("events.date_relative", given=raw)
    raise UserError("events.bad_date", given=raw)


def _written_out(
    raw: str, *, tz: ZoneInfo, default_time: time, day: date | None, now: datetime | None
) -> datetime | None:
    """A date written with numbers (or a time alone on `day`, or a day without its year
    counted from `now`); None when `raw` is none."""
    alone = _TIME_ALONE.match(raw) if day is not None else None
    if alone is not None and not (alone["at"] or alone["mi"] or alone["suf"]):
        alone = None
    no_year = _NO_YEAR.match(raw) if now is not None else None
    match = alone or _ISO_T.match(raw) or _GERMAN.match(raw) or _ISO.match(raw) or no_year
    if match is None:
        return None
    parts = match.groupdict()
    clock = default_time if parts.get("h") is None else clock_of(parts, raw)
    if no_year is not None and match is no_year and now is not None:
        return _next_such_day(parts, clock, raw, tz=tz, now=now)
    on = day if alone is not None and day is not None else _day(parts, raw)
    return datetime.combine(on, clock, tzinfo=tz).astimezone(UTC)


def _month_in_words(
    raw: str, *, tz: ZoneInfo, default_time: time, now: datetime | None
) -> datetime | None:
    """ "1 March 2027 14:00", "March 1, 2027 2pm", "1. März 2027, 14 Uhr" (a day without its
    year counted from `now`, as "15.12."); None when `raw` is something else."""
    named, rest = day_named_in(raw)
    if named is None or not any(ch.isalpha() for ch in named.typed):
        return None  # days in numbers are `_written_out`'s
    rest = rest.strip(" ,")
    clock = default_time
    if rest:
        at = _TIME_ALONE.match(rest)
        if at is None:
            return None
        clock = clock_of(at.groupdict(), raw)
    parts: dict[str, str | None] = {"d": str(named.day), "m": str(named.month), "y": None}
    if named.year is None:
        return None if now is None else _next_such_day(parts, clock, raw, tz=tz, now=now)
    on = _day({**parts, "y": str(named.year)}, raw)
    return datetime.combine(on, clock, tzinfo=tz).astimezone(UTC)


def _next_such_day(
    parts: dict[str, str | None], clock: time, raw: str, *, tz: ZoneInfo, now: datetime
) -> datetime:
    """ "15.12. 18 Uhr": 15 December at 18:00 this year while still ahead, else next year's
    (29 February: the next year that has one)."""
    year = now.astimezone(tz).year
    for candidate in range(year, year + 9):
        try:
            on = _day({**parts, "y": str(candidate)}, raw)
        except UserError:
            continue  # 29 February in a year without one
        moment = datetime.combine(on, clock, tzinfo=tz).astimezone(UTC)
        if moment > now:
            return moment
    raise UserError("events.no_such_day", given=raw)  # "31.02."


def _weekday_and_date(
    raw: str, *, tz: ZoneInfo, default_time: time, now: datetime | None
) -> datetime | None:
    """ "Fr 12.03.2027, 09:30 Uhr" (or "Fr 12.03. 9:30"): the date, when the weekday is its
    own."""
    found = _WEEKDAY_FIRST.match(raw)
    if found is None:
        return None
    weekday = weekday_numbers(short=True).get(fold(found["wd"]))
    moment = _written_out(found["rest"], tz=tz, default_time=default_time, day=None, now=now)
    if weekday is None or moment is None:
        return None
    if moment.astimezone(tz).weekday() != weekday:
        raise UserError("events.weekday_mismatch", given=raw)
    return moment


def parse_end(
    text: str, *, tz: ZoneInfo, start: datetime | None, now: datetime | None = None
) -> datetime:
    """An event's end: a date and time, read as written ("12.03.2027 10:00" is 10:00 whatever
    the start), a time alone on the start's day (`_after_start`), or a length after the start
    ("3 Stunden", "2,5 h", "90 min", "+3h"), more than nothing and at most 14 days.

    "17h" alone is a time when the start is later that day and a length otherwise; when both
    make sense, it is asked which."""
    raw = _UNTIL.sub("", " ".join(text.strip().split())[:60])
    length = length_of(raw)
    day = start.astimezone(tz).date() if start is not None else None
    if length is None:
        try:  # with its day ("12.03.2027 10:00", "morgen 10 Uhr"): as written
            return parse_when(raw, tz=tz, now=now)
        except UserError:
            pass  # a time alone, on the start's day (or unreadable: said below)
        return _after_start(parse_when(raw, tz=tz, now=now, day=day), start, raw, tz)
    if start is None:
        raise UserError("events.length_needs_start", given=raw)
    if length.negative or length.delta <= timedelta(0):
        raise UserError("events.length_not_positive", given=raw)
    if length.delta > MAX_LENGTH:
        raise UserError("events.length_too_long", given=raw)
    bare = BARE_HOURS.match(raw)
    if bare is not None:
        try:
            as_time = parse_when(raw, tz=tz, day=day)
        except UserError:
            as_time = None  # "30h": no time of day
        if as_time is not None and as_time > start:
            raise UserError("events.end_ambiguous", given=raw, hours=int(bare["h"]))
    return start + length.delta


def end_read_later(text: str, *, tz: ZoneInfo, start: datetime | None) -> bool:
    """Whether `parse_end` read `text`, a time alone before the start, as that afternoon's
    or evening's hour (`_after_start`: "8:00" after a 09:30 start is 20:00): the guided
    form says so beside what it became."""
    raw = _UNTIL.sub("", " ".join(text.strip().split())[:60])
    if start is None or length_of(raw) is not None:
        return False
    try:
        parse_when(raw, tz=tz)
        return False  # with its day: read as written
    except UserError:
        pass
    try:
        typed = parse_when(raw, tz=tz, day=start.astimezone(tz).date())
    except UserError:
        return False
    return _after_start(typed, start, raw, tz) != typed


# "am"/"pm" typed, or an hour with its leading zero ("08:00"): the time is meant as given.
_AS_GIVEN = re.compile(r"\d\s*[ap]\.?\s*m\b|\b[ap]\.?m\.?$|(?<!\d)0\d\s*[:.h]", re.I)


def _after_start(end: datetime, start: datetime | None, raw: str, tz: ZoneInfo) -> datetime:
    """An end read as a morning hour at or before the start, whose afternoon hour is after
    it, is that afternoon's: an event from 14:00 "bis halb fünf" ends at 16:30, as anyone
    reads it (a time of day in words is on the 24-hour clock, "halb fünf" 4:30). Where that
    is before the start too (from 18:00), the afternoon's is still what the office meant:
    refused (`form.time_problems`) as "Das Ende 16:30 Uhr liegt vor dem Beginn 18:00 Uhr",
    not as 4:30 in the night. Midnight's hour ("bis 0:30") stays as typed."""
    if start is None or end > start or _AS_GIVEN.search(raw):
        return end
    local = end.astimezone(tz)
    later = end + timedelta(hours=12)
    same_day = later.astimezone(tz).date() == local.date()
    if local.hour < 12 and same_day and (later > start or local.hour >= 1):
        return later
    return end


def _day(parts: dict[str, str | None], raw: str) -> date:
    year = int(parts["y"] or 0)
    if year < 100:
        year += 2000
    if not 1 <= int(parts["m"] or 0) <= 12:
        raise UserError("events.no_such_month", given=raw, month=parts["m"])  # "2027-13-01"
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


# Short forms in use beside Babel's ("Mrz", "Sept" in English too).
_MORE_SHORT = {"mrz": 3, "sept": 9}


@lru_cache(maxsize=1)
def month_abbreviations() -> dict[str, int]:
    """The usual short forms of the month names of both languages (Babel's abbreviated names,
    "Feb", "Mär", "Sept", "Okt", "Dec"), folded, without their dot and with their numbers;
    not those that are names in full ("Mai", "May", "Juni")."""
    names: dict[str, int] = dict(_MORE_SHORT)
    for locale in ("de", "en"):
        for context in ("format", "stand-alone"):
            table = get_month_names("abbreviated", context=context, locale=locale)
            for number, name in table.items():
                for variant in (name.lower(), fold(name), fold(name, plain_umlauts=True)):
                    names[variant.rstrip(".")] = number
    full = month_numbers()
    return {name: number for name, number in names.items() if name not in full}


@lru_cache(maxsize=1)
def _day_patterns() -> tuple[re.Pattern[str], ...]:
    """The ways a day is written in a sentence, German and English ("23.02.2027", "23.02.",
    "2027-02-23", "23. Februar", "23rd of February 2027", "February 23, 2027")."""
    names = sorted([*month_numbers(), *month_abbreviations()], key=len, reverse=True)
    month = "(?P<name>" + "|".join(names) + r")\b\.?"
    year = r"(?:,?\s+(?P<y>\d{4})(?!\d))?"
    return (
        re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
        re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?:(?P<y>\d{4}|\d{2}))?(?!\d)"),
        re.compile(
            r"(?<![\d.])(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?" + month + year,
            re.I,
        ),
        re.compile(r"\b" + month + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d.])" + year, re.I),
    )


def _month_named(name: str) -> int:
    """The number of a month's name or short form as the day patterns found it."""
    lower = name.lower()
    return month_numbers().get(lower) or month_abbreviations()[fold(lower)]


def day_named_in(text: str) -> tuple[DayNamed | None, str]:
    """The first calendar day `text` names, and the text without it (so that its numbers
    and month are not read as words of a title); (None, text) when it names none."""
    for pattern in _day_patterns():
        found = pattern.search(text)
        if found is None:
            continue
        parts = found.groupdict()
        name = parts.get("name")
        month = _month_named(name) if name else int(parts["m"])
        year = int(parts["y"]) if parts.get("y") else None
        if year is not None and year < 100:
            year += 2000
        rest = text[: found.start()] + " " + text[found.end() :]
        return DayNamed(int(parts["d"]), month, year, found.group().strip()), rest
    return None, text


# A day of the month named alone, as one names the date of an event one knows ("am 23.",
# "den 23.", "vom 23", "on the 29th", "the 3rd", "29th"): after a German article of a date,
# or with an English ordinal ending; not a time ("am 23 um", "23 Uhr") nor a count.
_DAY_OF_MONTH = re.compile(
    r"(?<![\d.])\b(?:am|den|vom|zum|an\s+dem)\s+(?P<de>\d{1,2})(?:\.(?!\d)|(?![\d.:,]))"
    r"(?!\s*(?:uhr|h|std|stunden|min|minuten|mal|tage|tagen|wochen|personen|leute|plätze)\b)|"
    r"(?<![\d.])\b(?P<en>\d{1,2})(?:st|nd|rd|th)\b",
    re.I,
)


def day_of_month_in(text: str) -> tuple[int | None, str]:
    """The day of the month `text` names alone ("am 23.", "on the 29th"), and the text
    without it; (None, text) when it names none (or a day no month has)."""
    found = _DAY_OF_MONTH.search(text)
    if found is None:
        return None, text
    day = int(found["de"] or found["en"])
    if not 1 <= day <= 31:
        return None, text
    return day, text[: found.start()] + " " + text[found.end() :]
