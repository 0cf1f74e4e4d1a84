"""Event dates relative to the clock a test's bot uses, written as an admin types them.

Tests must not create events, deadlines or announcements at fixed calendar dates: those dates
become past, and then the bot refuses them. Take a day some way ahead of the bot's clock
(`services.clock`, the real time unless a test pins it) instead, and compute what the test
expects to read from it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.harness import Harness

# How the bot abbreviates weekdays in German ("Fr 12.03.2027, 09:30 Uhr").
WEEKDAYS_DE = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def days_ahead(bot: Harness, days: int, *, hour: int = 9, minute: int = 30) -> datetime:
    """`days` calendar days after today on the bot's clock, at `hour:minute` in the network's
    zone (aware, in that zone; `.astimezone(UTC)` gives what the database holds)."""
    zone = bot.app.services.settings.network.tz
    day = bot.app.services.clock().astimezone(zone).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def typed(moment: datetime) -> str:
    """A local moment as typed into the German event form: `12.03.2027 09:30`."""
    return f"{moment:%d.%m.%Y %H:%M}"


def typed_iso(moment: datetime) -> str:
    """A local moment as typed in the English form: `2027-03-12 09:30`."""
    return f"{moment:%Y-%m-%d %H:%M}"


def typed_day(moment: datetime) -> str:
    """The local day alone: `12.03.2027`."""
    return f"{moment:%d.%m.%Y}"


def shown_de(moment: datetime) -> str:
    """A local moment as the German answers show it: `Fr 12.03.2027, 09:30 Uhr`."""
    return f"{WEEKDAYS_DE[moment.weekday()]} {moment:%d.%m.%Y, %H:%M} Uhr"
