"""The rule of a recurring meeting, as typed and as dates (pure functions, no database).

Typed in German or English: `wöchentlich`, `alle 2 wochen`, `monatlich 2. dienstag`,
`monatlich letzter freitag` / `weekly`, `every 2 weeks`, `monthly 2nd tuesday`,
`monthly last friday`; in the guided form optionally followed by `bis 31.12.2027` or `10 mal`
(`until 2027-12-31`, `10 times`). Dates are local dates in the network's zone: each
occurrence keeps the local time of day across the changes to and from summer time.
"""

from __future__ import annotations

import calendar as gregorian
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.i18n import Markup, t
from storage.series import EventSeries

MAX_INTERVAL = 12
MAX_COUNT = 200
# However far a rule's dates are looked through (a monthly rule for 100 years).
_MAX_STEPS = 1200

_WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(("montag", "dienstag", "mittwoch", "donnerstag", "freitag"))},
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
    **{
        w: i
        for i, w in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_NTH_WORDS = {
    "1.": 1,
    "1": 1,
    "1st": 1,
    "first": 1,
    "erste": 1,
    "ersten": 1,
    "erster": 1,
    "2.": 2,
    "2": 2,
    "2nd": 2,
    "second": 2,
    "zweite": 2,
    "zweiten": 2,
    "zweiter": 2,
    "3.": 3,
    "3": 3,
    "3rd": 3,
    "third": 3,
    "dritte": 3,
    "dritten": 3,
    "dritter": 3,
    "4.": 4,
    "4": 4,
    "4th": 4,
    "fourth": 4,
    "vierte": 4,
    "vierten": 4,
    "vierter": 4,
    "letzte": -1,
    "letzten": -1,
    "letzter": -1,
    "last": -1,
}
_WEEKLY = re.compile(r"^(?:wöchentlich|woechentlich|weekly|jede woche|every week)$")
_EVERY_WEEKS = re.compile(r"^(?:alle|every)\s+(\d{1,2})\s+(?:wochen|weeks)$")
_MONTHLY = re.compile(
    r"^(?:monatlich|monthly|jeden monat|every month|(?:alle|every)\s+(\d{1,2})\s+(?:monate|months))"
    r"(?:\s+(?:am|on(?:\s+the)?|jeden|jede|jeder))?(?:\s+(\S+)\s+(\S+))?$"
)
_UNTIL = re.compile(r"^(?:bis|until)\s*[=:]?\s*(.+)$")
_COUNT = re.compile(
    r"^(?:(?:anzahl|count)\s*[=:]?\s*(\d{1,4})|(\d{1,4})\s*(?:mal|x|times|termine|occurrences))$"
)


@dataclass(frozen=True)
class Rule:
    """Weekly every `interval` weeks, or monthly every `interval` months on the `nth` (1..4,
    -1 for the last) `weekday` (0 = Monday)."""

    freq: str
    interval: int = 1
    nth: int | None = None
    weekday: int | None = None

    def to_text(self) -> str:
        """A compact form kept in the draft: `weekly:2`, `monthly:1:2:1`."""
        if self.freq == "weekly":
            return f"weekly:{self.interval}"
        weekday = -1 if self.weekday is None else self.weekday
        return f"monthly:{self.interval}:{self.nth or 0}:{weekday}"

    @classmethod
    def from_text(cls, text: str) -> Rule:
        parts = text.split(":")
        if parts[0] == "weekly":
            return cls("weekly", int(parts[1]))
        nth, weekday = int(parts[2]), int(parts[3])
        return cls("monthly", int(parts[1]), nth or None, None if weekday < 0 else weekday)

    def fitted(self, first: date) -> Rule:
        """A monthly rule without a weekday takes the first date's (`monatlich` alone)."""
        if self.freq != "monthly" or self.weekday is not None:
            return self
        nth = (first.day - 1) // 7 + 1
        if nth > 4:
            nth = -1
        return Rule("monthly", self.interval, nth, first.weekday())


@dataclass(frozen=True)
class Repeat:
    """What was typed: the rule and, optionally, an end date or a number of occurrences."""

    rule: Rule
    until: date | None = None
    count: int | None = None


def parse_until(text: str, *, tz: ZoneInfo, now: datetime | None = None) -> date:
    from handlers.events.dates import parse_when

    return parse_when(text, tz=tz, now=now, default_time=time(12, 0)).astimezone(tz).date()


def parse_count(text: str) -> int:
    value = text.strip()
    if not value.isdecimal() or not 1 <= int(value) <= MAX_COUNT:
        raise UserError("series.bad_count", given=text[:20], limit=MAX_COUNT)
    return int(value)


def _interval(text: str | None, given: str) -> int:
    value = int(text) if text else 1
    if not 1 <= value <= MAX_INTERVAL:
        raise UserError("series.bad_repeat", given=given[:60])
    return value


def parse_rule(text: str) -> Rule:
    """One rule as typed (German or English); `UserError` when it is none."""
    value = " ".join(text.strip().casefold().split())
    if _WEEKLY.match(value):
        return Rule("weekly", 1)
    match = _EVERY_WEEKS.match(value)
    if match:
        return Rule("weekly", _interval(match.group(1), text))
    match = _MONTHLY.match(value)
    if match:
        interval = _interval(match.group(1), text)
        if match.group(2) is None:
            return Rule("monthly", interval)
        nth = _NTH_WORDS.get(match.group(2))
        weekday = _WEEKDAY_WORDS.get(match.group(3))
        if nth is None or weekday is None:
            raise UserError("series.bad_repeat", given=text[:60])
        return Rule("monthly", interval, nth, weekday)
    raise UserError("series.bad_repeat", given=text[:60])


def parse_repeat(text: str, *, tz: ZoneInfo, now: datetime | None = None) -> Repeat:
    """The guided form's answer: a rule, then optionally `bis …` or `10 mal`, separated by a
    comma, a semicolon or just a space before `bis`/`until`."""
    value = " ".join(text.strip().split())
    parts = [p.strip() for p in re.split(r"[;,]|\s(?=(?:bis|until)\b)", value, flags=re.I)]
    parts = [p for p in parts if p]
    if not parts:
        raise UserError("series.bad_repeat", given=text[:60])
    head = parts[0]
    tail = parts[1:]
    count_in_head = re.search(r"\s(\d{1,4}\s*(?:mal|x|times|termine|occurrences))$", head, re.I)
    if count_in_head:
        head, tail = head[: count_in_head.start()], [*tail, count_in_head.group(1)]
    until: date | None = None
    count: int | None = None
    for part in tail:
        folded = part.casefold()
        if (found := _UNTIL.match(folded)) is not None:
            until = parse_until(part[len(part) - len(found.group(1)) :], tz=tz, now=now)
        elif (found := _COUNT.match(folded)) is not None:
            count = parse_count(found.group(1) or found.group(2))
        else:
            raise UserError("series.bad_repeat", given=part[:60])
    return Repeat(parse_rule(head), until, count)


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    days = gregorian.monthrange(year, month)[1]
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = date(year, month, days)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def days(rule: Rule, first: date) -> Iterator[date]:
    """Every date of the rule from `first` on (inclusive), without end."""
    rule = rule.fitted(first)
    if rule.freq == "weekly":
        for step in range(_MAX_STEPS * 5):
            yield first + timedelta(weeks=step * rule.interval)
        return
    assert rule.nth is not None and rule.weekday is not None
    base = first.year * 12 + first.month - 1
    for step in range(_MAX_STEPS):
        year, month = divmod(base + step * rule.interval, 12)
        day = _nth_weekday(year, month + 1, rule.nth, rule.weekday)
        if day >= first:
            yield day


def next_dates(
    rule: Rule,
    first: datetime,
    *,
    until: date | None = None,
    count: int | None = None,
    after: datetime | None = None,
    limit: int | None = 3,
) -> list[datetime]:
    """The series' starts after `after` (all when None), at most `limit`.

    `first` is the first start, aware, in the network's zone: every start has its local time of
    day on its own date, so 19:00 stays 19:00 in summer and winter. `count` counts from the
    first date of the series (a skipped one included); `until` is the last date allowed.
    """
    tz = first.tzinfo
    assert tz is not None
    found: list[datetime] = []
    for index, day in enumerate(days(rule, first.date())):
        if count is not None and index >= count:
            break
        if until is not None and day > until:
            break
        start = datetime.combine(day, first.timetz().replace(tzinfo=None), tzinfo=tz)
        if after is not None and start <= after:
            continue
        found.append(start)
        if limit is not None and len(found) >= limit:
            break
    return found


# --- in words ------------------------------------------------------------------------------


def rule_of(series: EventSeries) -> Rule:
    return Rule(series.freq, series.interval, series.nth, series.weekday)


def describe(lang: str, rule: Rule, *, until: date | None, count: int | None) -> Markup:
    """`monatlich am 2. Dienstag, bis 31.12.2027` / `monthly on the 2nd Tuesday, 10 dates`."""
    if rule.freq == "weekly":
        key = "series.rule_weekly" if rule.interval == 1 else "series.rule_weeks"
        text = t(lang, key, n=rule.interval)
    else:
        nth = t(lang, f"series.nth_{rule.nth}" if rule.nth != -1 else "series.nth_last")
        day = t(lang, f"series.day_{rule.weekday}")
        key = "series.rule_monthly" if rule.interval == 1 else "series.rule_months"
        text = t(lang, key, n=rule.interval, nth=nth, weekday=day)
    if until is not None:
        shown = f"{until:%Y-%m-%d}" if lang == "en" else f"{until:%d.%m.%Y}"
        text = Markup(text + t(lang, "series.rule_until", date=shown))
    if count is not None:
        text = Markup(text + t(lang, "series.rule_count", count=count))
    return text


def describe_series(lang: str, series: EventSeries) -> Markup:
    return describe(lang, rule_of(series), until=series.until, count=series.count)
