"""Stretches of days a member's question names from today, German and English: a day in words
("heute", "morgen", "übermorgen"; "today", "tomorrow", "the day after tomorrow", as
`relative.DAYS_AHEAD` has them), a week ("diese", "nächste", "übernächste Woche"; "this week",
"next week", "the week after next"), a weekend ("am Wochenende", "nächstes Wochenende"; "this
weekend", "next weekend"), a weekday asked about ("Was ist am Dienstag los?", read in
`naming`), which is the next such day (`relative.next_weekday`, the rule the office's dates
follow), and a month asked about ("Was ist im März los?", "anything in march", read in
`naming` by Babel's month names), which is its next occurrence (this month counts: in December
"im Dezember" is this December, "im März" next year's March) or the year given ("im März
2028").

Weeks run Monday to Sunday. "Am Wochenende" is this week's (on a Saturday, today and
tomorrow); "nächstes Wochenende" the next one not yet begun (on a Wednesday the coming one,
as most mean it). The answer shows the days read, so a member sees which were meant.

Plain functions of the words and of the local day the caller passes (the services' clock in
the network's zone): no chat, no clock here.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from babel.dates import get_day_names, get_month_names

from bot.i18n import t
from bot.i18n.dates import WEEKDAYS
from bot.textmatch.stemming import is_stop_word
from handlers.events.relative import DAYS_AHEAD, next_weekday
from handlers.events.typos import one_typo_from

Unit = Literal["day", "weekday", "week", "weekend", "month"]

# Words before "Woche"/"week" (folded) and how many weeks after this one they name.
_WEEK_WORDS = {
    **dict.fromkeys(("diese", "dieser", "diesen", "this", "current", "laufende", "laufenden"), 0),
    **dict.fromkeys(("naechste", "naechsten", "naechster", "kommende", "kommenden"), 1),
    **dict.fromkeys(("kommender", "next", "coming"), 1),
    **dict.fromkeys(("uebernaechste", "uebernaechsten", "uebernaechster"), 2),
}
_WEEK = frozenset({"woche", "week"})
# A word before "Woche"/"week" this long may have a typo ("nxt"); "nt" is too little to read.
MIN_TYPED_LENGTH = 3
_WEEKEND = frozenset({"wochenende", "weekend"})
# Before "Wochenende"/"weekend" without "nächstes"/"next": this week's ("am Wochenende",
# "übers Wochenende", "at/on/over the weekend").
_THIS_WEEKEND = frozenset(
    {"am", "uebers", "ueber", "dieses", "diesem", "the", "this", "at", "on", "over"}
)
_NEXT_WEEKEND = frozenset({"naechstes", "naechsten", "kommendes", "kommenden", "next", "coming"})
# Words before "morgen" that make it the morning, not tomorrow ("Guten Morgen", "am Morgen").
_THE_MORNING = frozenset({"guten", "am", "jeden", "den", "einen", "der", "diesen", "gestern"})
# A part of the day after a day named ("heute Abend", "morgen früh", "tomorrow evening"):
# part of the day's name, no word of a title.
_DAY_PARTS = frozenset(
    {"morgen", "frueh", "vormittag", "mittag", "nachmittag", "abend", "nacht"}
    | {"morning", "afternoon", "evening", "night", "noon"}
)


@dataclass(frozen=True)
class Span:
    """Days named from today: `ahead` days ("day"), the weekday numbered `ahead` (0 = Monday,
    "weekday"), the week `ahead` weeks after this one ("week"), this week's weekend (0) or
    the next one not yet begun (1, "weekend"), or the month numbered `ahead` (1 = January,
    "month"): in `year` where one was given, else its next occurrence."""

    unit: Unit
    ahead: int
    year: int | None = None

    def days(self, today: date) -> tuple[date, date]:
        """The first and the last local day named, counted from `today`."""
        if self.unit == "month":
            year = self.year or today.year + (self.ahead < today.month)
            return date(year, self.ahead, 1), date(
                year, self.ahead, monthrange(year, self.ahead)[1]
            )
        monday = today - timedelta(days=today.weekday())
        if self.unit == "day":
            on = today + timedelta(days=self.ahead)
            return on, on
        if self.unit == "weekday":
            on = next_weekday(self.ahead, today)
            return on, on
        if self.unit == "week":
            first = monday + timedelta(weeks=self.ahead)
            return first, first + timedelta(days=6)
        begun = today.weekday() >= 5  # a Saturday or Sunday: "next weekend" is next week's
        saturday = monday + timedelta(days=5, weeks=1 if self.ahead and begun else 0)
        return saturday, saturday + timedelta(days=1)

    def label(self, lang: str, today: date) -> str:
        """The days named, as the answer says them: "nächste Woche, 07.12.2026 – 13.12.2026",
        "am Dienstag, 08.12.2026", "tomorrow, Thu 2026-12-10", "im März 2027"."""
        first, last = self.days(today)
        if self.unit == "month":
            month = get_month_names("wide", locale=lang)[first.month]
            return str(t(lang, "events.span_month", month=month, year=first.year))
        values = {
            "date": _shown(first, lang),
            "day": f"{WEEKDAYS['en' if lang == 'en' else 'de'][first.weekday()]} "
            + _shown(first, lang),
            "first": _shown(first, lang),
            "last": _shown(last, lang),
            "weekday": get_day_names("wide", locale=lang)[first.weekday()],
        }
        # a weekday's label names it; the others are told apart by how far ahead they are
        key = f"events.span_{self.unit}" + ("" if self.unit == "weekday" else f"_{self.ahead}")
        return str(t(lang, key, **values))


def _shown(day: date, lang: str) -> str:
    """A day as the language writes one (as `bot.i18n.dates.show_date`): `08.12.2026`,
    `2026-12-08`."""
    return f"{day:%Y-%m-%d}" if lang == "en" else f"{day:%d.%m.%Y}"


def span_in(words: Sequence[str]) -> tuple[Span | None, frozenset[int]]:
    """The first span the folded words of a question name, and the positions of its words
    (no words of a title); (None, {}) when they name none."""
    for index in range(len(words)):
        found = _span_at(words, index)
        if found is not None:
            span, used = found
            return span, frozenset(used)
    return None, frozenset()


def _span_at(words: Sequence[str], index: int) -> tuple[Span, range] | None:
    word = words[index]
    before = words[index - 1] if index else ""
    after = words[index + 1 : index + 3]
    typed = _as_typed(before, _WEEK_WORDS) if word in _WEEK else None
    if typed is not None:
        return Span("week", _WEEK_WORDS[typed]), range(index - 1, index + 1)
    if word in _WEEK and list(after) == ["after", "next"]:
        return Span("week", 2), range(index, index + 3)  # "the week after next"
    if word in _WEEKEND and before in _THIS_WEEKEND:
        return Span("weekend", 0), range(index - 1, index + 1)
    if word in _WEEKEND and _as_typed(before, _NEXT_WEEKEND) is not None:
        return Span("weekend", 1), range(index - 1, index + 1)
    days = _day_words(words, index)
    if days is None:
        return None
    ahead, end = days
    if end < len(words) and words[end] in _DAY_PARTS:
        end += 1  # "heute Abend", "heute Morgen", "morgen früh"
    return Span("day", ahead), range(index, end)


def _as_typed(word: str, words: Collection[str]) -> str | None:
    """Which of `words` (those before "Woche", "weekend") `word` is, or is with one typo
    ("nxt", "nächte", "nachste"): right before "week" nothing else is meant. Not a stop word
    one typo away ("his week" is no "this week")."""
    if word in words:
        return word
    if len(word) < MIN_TYPED_LENGTH or is_stop_word(word):
        return None
    return one_typo_from(word, words)


def _day_words(words: Sequence[str], index: int) -> tuple[int, int] | None:
    """The days ahead a day in words starting at `index` names, and the position after it:
    the longest of `DAYS_AHEAD` ("the day after tomorrow" before "tomorrow")."""
    for phrase, ahead in _day_phrases():
        if tuple(words[index : index + len(phrase)]) != phrase:
            continue
        if phrase == ("morgen",) and index and words[index - 1] in _THE_MORNING:
            return None  # "Guten Morgen", "am Morgen"
        return ahead, index + len(phrase)
    return None


@lru_cache(maxsize=1)
def _day_phrases() -> tuple[tuple[tuple[str, ...], int], ...]:
    """`DAYS_AHEAD` as word sequences, the longest first."""
    phrases = [(tuple(phrase.split()), ahead) for phrase, ahead in DAYS_AHEAD.items()]
    return tuple(sorted(phrases, key=lambda item: len(item[0]), reverse=True))
