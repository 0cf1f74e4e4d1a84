"""Dates and times as each language shows them, in the network's time zone: one format per
language everywhere (German `Fr 12.03.2027, 09:30 Uhr`, English `Fri 2027-03-12, 09:30`)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

WEEKDAYS = {
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(tz)


def show_when(moment: datetime, *, lang: str, tz: ZoneInfo) -> str:
    """`Fr 12.03.2027, 09:30 Uhr` or `Fri 2027-03-12, 09:30`."""
    local = _local(moment, tz)
    day = WEEKDAYS["en" if lang == "en" else "de"][local.weekday()]
    if lang == "en":
        return f"{day} {local:%Y-%m-%d, %H:%M}"
    return f"{day} {local:%d.%m.%Y, %H:%M} Uhr"


def show_date(moment: datetime, *, lang: str, tz: ZoneInfo) -> str:
    """`12.03.2027` or `2027-03-12`."""
    local = _local(moment, tz)
    return f"{local:%Y-%m-%d}" if lang == "en" else f"{local:%d.%m.%Y}"


def show_time(moment: datetime, *, lang: str, tz: ZoneInfo) -> str:
    local = _local(moment, tz)
    return f"{local:%H:%M} Uhr" if lang != "en" else f"{local:%H:%M}"
