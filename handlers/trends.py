"""The network over time, for the dashboard's charts: which weeks and days, which events and
broadcasts, and what "active" means are decided here; storage/trends.py only counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from storage import broadcasts, event_store, trends
from storage.faq import REFUSED
from storage.outbox import as_utc
from storage.trends import BEFORE, PlatformActivity

# Questions per ISO week over this many weeks (the current one included).
WEEKS = 12
# Sign-ups of the next few events, per day over this many days (today included).
SIGNUP_DAYS = 28
EVENTS_SHOWN = 5
# Upcoming events the chart chooses from (those with sign-ups first).
EVENTS_LOOKED_AT = 30
# A member is active on a platform when they did something the bot records within this.
ACTIVE_WITHIN = timedelta(days=30)
BROADCASTS_SHOWN = 8
DECISIONS = ("answer", "choices", "handoff", REFUSED)


@dataclass(frozen=True)
class QuestionWeeks:
    weeks: tuple[datetime, ...]  # each week's Monday, 00:00 in the network's time zone
    by_decision: dict[str, tuple[int, ...]]  # one of DECISIONS -> per week

    @property
    def total(self) -> int:
        return sum(sum(counts) for counts in self.by_decision.values())


@dataclass(frozen=True)
class EventSignups:
    event_id: int
    title: str
    starts_at: datetime
    running_total: tuple[int, ...]  # sign-ups on the list by the end of each day
    title_en: str = ""  # the English title where the office gave one


@dataclass(frozen=True)
class SignupDays:
    days: tuple[datetime, ...]  # midnight of each day in the network's time zone
    events: tuple[EventSignups, ...]

    @property
    def total(self) -> int:
        return sum(e.running_total[-1] for e in self.events if e.running_total)


@dataclass(frozen=True)
class Delivery:
    broadcast_id: int
    send_at: datetime
    sent: int
    pending: int
    unreachable: int
    failed: int

    @property
    def total(self) -> int:
        return self.sent + self.pending + self.unreachable + self.failed


@dataclass(frozen=True)
class Trends:
    questions: QuestionWeeks
    signups: SignupDays
    activity: tuple[PlatformActivity, ...]
    active_days: int
    deliveries: tuple[Delivery, ...]  # oldest first


def week_starts(now: datetime, tz: ZoneInfo, weeks: int) -> list[datetime]:
    """Mondays 00:00 (local) of the last `weeks` ISO weeks, then the next Monday: the edges."""
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    return [
        datetime.combine(first + timedelta(weeks=i), time(), tzinfo=tz) for i in range(weeks + 1)
    ]


def day_starts(now: datetime, tz: ZoneInfo, days: int) -> list[datetime]:
    """Midnights (local) of the last `days` days, then tomorrow's: the edges."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    return [datetime.combine(first + timedelta(days=i), time(), tzinfo=tz) for i in range(days + 1)]


def _utc(edges: list[datetime]) -> list[datetime]:
    return [edge.astimezone(UTC) for edge in edges]


async def network_trends(services: Services, session: AsyncSession | None = None) -> Trends:
    """Everything the overview's charts show, in one session of aggregate queries (the
    caller's, when it passes one)."""
    if session is None:
        async with services.db.session() as own:
            return await network_trends(services, own)
    now = services.clock()
    tz = services.settings.network.tz
    weeks = week_starts(now, tz, WEEKS)
    days = day_starts(now, tz, SIGNUP_DAYS)
    asked = await trends.questions_by_bucket(session, edges=_utc(weeks))
    # The next events people sign up to: a quiet recurring meeting in between must not push
    # the excursion with its waiting list out of the chart.
    candidates = list(await event_store.upcoming(session, after=now, limit=EVENTS_LOOKED_AT))
    signed = await trends.signups_by_bucket(
        session, event_ids=[e.id for e in candidates], edges=_utc(days)
    )
    with_signups = [e for e in candidates if signed.get(e.id)]
    events = (with_signups or candidates)[:EVENTS_SHOWN]
    activity = await trends.activity_per_platform(session, since=now - ACTIVE_WITHIN)
    recent = list(await broadcasts.recent(session, limit=BROADCASTS_SHOWN))
    reports = await broadcasts.reports(session, broadcast_ids=[b.id for b in recent])
    questions = QuestionWeeks(
        tuple(weeks[:-1]),
        {d: tuple(asked.get((i, d), 0) for i in range(WEEKS)) for d in DECISIONS},
    )
    per_event = []
    for event in events:
        counts = signed.get(event.id, {})
        running, total = [], counts.get(BEFORE, 0)
        for i in range(SIGNUP_DAYS):
            total += counts.get(i, 0)
            running.append(total)
        per_event.append(
            EventSignups(
                event.id,
                event.title,
                as_utc(event.starts_at),
                tuple(running),
                title_en=event.title_en or "",
            )
        )
    deliveries = tuple(
        Delivery(
            b.id,
            as_utc(b.send_at),
            reports[b.id]["sent"],
            reports[b.id]["pending"],
            reports[b.id]["unreachable"],
            reports[b.id]["failed"],
        )
        for b in reversed(recent)
    )
    return Trends(
        questions,
        SignupDays(tuple(days[:-1]), tuple(per_event)),
        tuple(activity),
        ACTIVE_WITHIN.days,
        deliveries,
    )
