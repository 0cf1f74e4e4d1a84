"""Recurring meetings as plain functions: create, fill ahead, skip, change following, end, join.

Each occurrence is an ordinary event (sign-ups, capacity, waitlist, reminders, calendar,
announcements as for any other). The scheduler's job `series:fill` creates the next
occurrences from the database (the next three, and all within 60 days); the unique index on
(series_id, occurrence_date) makes that idempotent, so a restart or a second run neither loses
nor doubles one. Chat (handlers/events/series_commands.py) and a future dashboard page call
these functions alike.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import enqueue_for_member
from bot.errors import UserError
from bot.i18n import Markup, t
from bot.messages import Button, Reply
from bot.services import Services
from handlers.events import notify, render, schedule, service
from handlers.events.dates import show_date, show_when
from handlers.events.effects import Effects
from handlers.events.form import Draft, apply_field, check_draft, parse_form
from handlers.events.recurrence import (
    Repeat,
    Rule,
    describe,
    next_dates,
    parse_repeat,
    parse_rule,
    rule_of,
)
from storage import event_store, members, signups
from storage import series as series_store
from storage.event_store import as_utc
from storage.events import WAITLISTED, Event
from storage.models import Member
from storage.series import EventSeries

__all__ = [
    "FILL_JOB",
    "Repeat",
    "Rule",
    "change_following",
    "create_series",
    "end_series",
    "fill",
    "join_series",
    "next_dates",
    "parse_repeat",
    "parse_rule",
    "skip_occurrence",
]

log = logging.getLogger(__name__)

FILL_JOB = "series:fill"
AHEAD = 3  # occurrences kept created ahead ...
HORIZON = timedelta(days=60)  # ... and all within this time
RETRY = timedelta(days=1)  # the fill looks again at least this often while a series runs
PREVIEW_DATES = 5
# Fields that change_following may change, in the form's order; times and the rule stay as
# the series has them.
FOLLOWING_FIELDS = (
    "kind",
    "title",
    "title_en",
    "place",
    "place_en",
    "capacity",
    "audience",
    "description",
    "description_en",
    "offer",
    "reminders",
)


# --- the rule of a stored series ---------------------------------------------------------


def first_start(series: EventSeries, tz: ZoneInfo) -> datetime:
    """The series' first start, local and aware, in the network's zone."""
    clock = time.fromisoformat(series.start_time)
    return datetime.combine(series.first_date, clock, tzinfo=tz)


def series_dates(
    series: EventSeries, tz: ZoneInfo, *, after: datetime | None = None, limit: int | None = 3
) -> list[datetime]:
    return next_dates(
        rule_of(series),
        first_start(series, tz),
        until=series.until,
        count=series.count,
        after=after,
        limit=limit,
    )


# --- creating a series ---------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPlan:
    """A checked new series: its rule (fitted to the first date), the first start (local) and
    the first dates."""

    rule: Rule
    first: datetime
    until: date | None
    count: int | None
    dates: list[datetime]


def plan_series(draft: Draft, *, now: datetime, tz: ZoneInfo) -> SeriesPlan:
    """Check a draft with a repeat rule as `create_series` will; the first dates."""
    check_draft(draft, now=now, tz=tz)
    assert draft.start is not None and draft.repeat
    if draft.deadline is not None:
        raise UserError("series.no_deadline")
    if draft.announce not in ("now", "no"):
        raise UserError("series.no_announce_later")
    return check_rule(draft, tz=tz)


def check_rule(draft: Draft, *, tz: ZoneInfo) -> SeriesPlan:
    """The rule against the start: an end date before it, or no date at all, is refused."""
    assert draft.start is not None
    first = draft.start.astimezone(tz)
    rule = Rule.from_text(draft.repeat).fitted(first.date())
    until = date.fromisoformat(draft.until) if draft.until else None
    if until is not None and until < first.date():
        raise UserError("series.until_before_start")
    dates = next_dates(rule, first, until=until, count=draft.count, limit=PREVIEW_DATES)
    if not dates:
        raise UserError("series.no_dates")
    return SeriesPlan(rule, first, until, draft.count, dates)


@dataclass(frozen=True)
class SeriesCreated:
    series: EventSeries
    created: list[int]  # the occurrences created now (event numbers)


async def create_series(
    services: Services, draft: Draft, *, created_by: int | None
) -> SeriesCreated:
    """Store the series and create its first occurrences (each announced as any event when the
    draft says `now`)."""
    tz = services.settings.network.tz
    plan = plan_series(draft, now=services.clock(), tz=tz)
    assert draft.start is not None
    duration = None
    if draft.end is not None:
        duration = int((draft.end - draft.start).total_seconds() // 60)
    async with services.db.session() as session:
        stored = await series_store.create_series(
            session,
            kind=draft.kind,
            title=draft.title,
            description=draft.description,
            title_en=draft.title_en,
            description_en=draft.description_en,
            place=draft.place,
            place_en=draft.place_en,
            capacity=draft.capacity,
            audience=draft.audience,
            duration_minutes=duration,
            offer_hours=draft.offer_hours,
            reminder_hours=draft.reminder_hours or list(services.settings.events.reminder_hours),
            announce=draft.announce == "now",
            freq=plan.rule.freq,
            interval=plan.rule.interval,
            nth=plan.rule.nth,
            weekday=plan.rule.weekday,
            first_date=plan.first.date(),
            start_time=f"{plan.first:%H:%M}",
            until=plan.until,
            count=plan.count,
            created_by=created_by,
        )
    created = await fill(services, series_id=stored.id)
    return SeriesCreated(stored, created)


# --- the fill: occurrences created ahead ---------------------------------------------------


def wanted_dates(series: EventSeries, tz: ZoneInfo, now: datetime) -> list[datetime]:
    """The starts that should exist now: the next AHEAD, and all within HORIZON."""
    upcoming = series_dates(series, tz, after=now, limit=AHEAD + HORIZON.days // 7 + 2)
    return [s for i, s in enumerate(upcoming) if i < AHEAD or s <= now + HORIZON]


async def _occurrence(
    session: AsyncSession,
    services: Services,
    series: EventSeries,
    start: datetime,
    effects: Effects,
    *,
    announce: bool,
) -> int | None:
    """Insert one occurrence (unless it exists), plan its reminders, sign up the series'
    followers, announce it (when `announce`); its number, or None when it existed."""
    start_utc = as_utc(start)
    end = None
    if series.duration_minutes:
        end = start_utc + timedelta(minutes=series.duration_minutes)
    event_id = await series_store.insert_occurrence(
        session,
        kind=series.kind,
        title=series.title,
        description=series.description,
        title_en=series.title_en or "",
        description_en=series.description_en or "",
        place=series.place,
        place_en=series.place_en or "",
        starts_at=start_utc,
        ends_at=end,
        capacity=series.capacity,
        taken=0,
        arrivals=0,
        audience=series.audience,
        offer_hours=series.offer_hours,
        reminder_hours=list(series.reminder_hours),
        status=signups.OPEN,
        sequence=0,
        created_by=series.created_by,
        series_id=series.id,
        occurrence_date=start.date(),
    )
    if event_id is None:
        return None  # made already (another run, or before a restart)
    event = await event_store.get_event(session, event_id)
    assert event is not None
    now = services.clock()
    await schedule.plan_reminders(
        session, event, now=now, tz=services.settings.network.tz, effects=effects
    )
    joined = False
    for member_id in await series_store.subscribers(session, series_id=series.id):
        member = await members.get_member(session, member_id)
        if member is None or not service.open_to(event, member):
            continue
        result = await signups.join(session, event_id=event_id, member_id=member_id)
        joined = True
        await _tell_subscriber(session, services, event, member, result, effects)
    if announce:
        await notify.announce(session, services, event, effects)
    elif joined:
        await notify.refresh_counts(session, services, event, effects)
    return event_id


async def _tell_subscriber(
    session: AsyncSession,
    services: Services,
    event: Event,
    member: Member,
    result: signups.JoinResult,
    effects: Effects,
) -> None:
    lang, tz = member.language, services.settings.network.tz
    when = show_when(as_utc(event.starts_at), lang=lang, tz=tz)
    values = {"title": render.title_of(event), "number": event.id, "when": when}
    if result.outcome == WAITLISTED:
        text = t(lang, "series.auto_waitlisted", rank=result.rank, **values)
    else:
        text = t(lang, "series.auto_joined", **values)
    buttons = ((Button(t(lang, "events.btn_leave"), f"ev:leave:{event.id}"),),)
    reply = Reply(text=text, buttons=buttons)
    if await enqueue_for_member(session, member=member, reply=reply, kind="event_series"):
        effects.queued += 1


async def fill(services: Services, *, series_id: int | None = None) -> list[int]:
    """Create the occurrences that should exist and do not (every running series, or one);
    the numbers created. Safe to run twice at once or after a crash: a date is inserted once."""
    tz, now = services.settings.network.tz, services.clock()
    async with services.db.session() as session:
        found = await series_store.all_series(session, active_only=True)
        ids = [s.id for s in found if series_id is None or s.id == series_id]
    created: list[int] = []
    for each in ids:
        effects = Effects()
        async with services.db.session() as session:
            series = await series_store.get_series(session, each)
            if series is None or series.ended_at is not None:
                continue
            have = await series_store.existing_dates(session, series_id=each)
            # A new series is announced once, by its first date (which offers all of them);
            # a date made later is announced as it comes.
            announce = series.announce
            for start in wanted_dates(series, tz, now):
                if start.date() in have:
                    continue
                made = await _occurrence(
                    session, services, series, start, effects, announce=announce
                )
                if made is not None:
                    created.append(made)
                    announce = announce and bool(have)
        effects.apply(services)
    if created:
        log.info("series: created occurrences %s", created)
    await arm(services)
    return created


async def arm(services: Services) -> None:
    """Wake the fill again a minute after the next occurrence starts (at least once a day)
    while any series runs; no job when none does."""
    now = services.clock()
    async with services.db.session() as session:
        running = await series_store.all_series(session, active_only=True)
        following = await series_store.next_start(session, after=now)
    if not running:
        services.scheduler.remove(FILL_JOB)
        return
    wake = now + RETRY
    if following is not None:
        wake = min(wake, as_utc(following) + timedelta(minutes=1))
    services.scheduler.at(FILL_JOB, wake, fill_job, services)


async def fill_job(services: Services) -> None:
    await fill(services)


async def on_start(services: Services) -> None:
    """At start: create what is due (missed while the bot was down) and arm the fill."""
    await fill(services)


# --- occurrences: skip, change following ---------------------------------------------------


async def occurrence(services: Services, event_id: int) -> Event:
    """An event that belongs to a series; `UserError` otherwise."""
    event = await service.open_event(services, event_id)
    if event.series_id is None:
        raise UserError("series.not_occurrence", number=event_id)
    return event


async def plan_skip(services: Services, event_id: int) -> service.Plan:
    """Who would be told if this occurrence is skipped (it is cancelled, the series goes on)."""
    await occurrence(services, event_id)
    return await service.plan_cancel(services, event_id)


def skip_question(lang: str, plan: service.Plan, tz: ZoneInfo) -> Markup:
    """What the office confirms before an occurrence is skipped, in chat and on the dashboard:
    its date and how many people are told."""
    event = plan.event
    return t(
        lang,
        "series.ask_skip",
        number=event.id,
        title=render.title_of(event),
        when=show_when(as_utc(event.starts_at), lang=lang, tz=tz),
        series=event.series_id,
        told=plan.reach.attendees,
    )


async def skip_occurrence(services: Services, event_id: int, reason: str = "") -> tuple[Event, int]:
    """Cancel one occurrence and remember the date, so the fill never makes it again; its
    attendees are told that only this date is off and the series goes on, with the next
    date where there is one; (event, how many were told)."""
    found = await occurrence(services, event_id)
    tz = services.settings.network.tz
    async with services.db.session() as session:
        following = await next_after(session, found, tz)

    def goes_on(lang: str) -> str:
        if following is None:
            return t(lang, "series.skipped_no_next")
        start, number = following
        when = show_when(start, lang=lang, tz=tz)
        if number is None:
            return t(lang, "series.skipped_next_date", when=when)
        return t(lang, "series.skipped_next", when=when, number=number)

    event, told = await service.cancel_event(
        services, event_id, reason=reason, notice="series.skipped_notice", details=goes_on
    )
    async with services.db.session() as session:
        assert found.series_id is not None and found.occurrence_date is not None
        await series_store.add_skip(session, series_id=found.series_id, day=found.occurrence_date)
    return event, told


async def next_after(
    session: AsyncSession, event: Event, tz: ZoneInfo
) -> tuple[datetime, int | None] | None:
    """The series' next date after this occurrence: the next open occurrence (its start and
    number), else the next date its rule gives that is not skipped nor made already (its
    start; the bot makes it later), else None (the series ends or has ended)."""
    assert event.series_id is not None
    after = as_utc(event.starts_at)
    made = await series_store.occurrences(session, series_id=event.series_id, after=after)
    if made:
        return as_utc(made[0].starts_at), made[0].id
    series = await series_store.get_series(session, event.series_id)
    if series is None or series.ended_at is not None:
        return None
    gone = await series_store.existing_dates(session, series_id=series.id)  # skipped too
    gone.add(event.occurrence_date or after.astimezone(tz).date())
    coming = series_dates(series, tz, after=after.astimezone(tz), limit=len(gone) + 1)
    return next(((s.astimezone(UTC), None) for s in coming if s.date() not in gone), None)


def _following_fields(form: str | Mapping[str, str]) -> dict[str, str]:
    fields = parse_form(form) if isinstance(form, str) else dict(form)
    if not fields:
        raise UserError("events.bad_form", given=form[:60] if isinstance(form, str) else "")
    if not set(fields) <= set(FOLLOWING_FIELDS):
        raise UserError("series.change_fields")
    return fields


@dataclass(frozen=True)
class FollowingPlan:
    first: service.Plan  # the occurrence named, as it will be
    events: list[int]  # it and every later open occurrence
    told: int  # people signed up to them, counted once per occurrence


async def plan_change_following(
    services: Services, event_id: int, form: str | Mapping[str, str]
) -> FollowingPlan:
    """Check the change on this and every later occurrence, as `change_following` will."""
    event = await occurrence(services, event_id)
    fields = _following_fields(form)
    async with services.db.session() as session:
        later = await series_store.occurrences(
            session,
            series_id=event.series_id or 0,
            after=as_utc(event.starts_at) - timedelta(seconds=1),
        )
    ids = [e.id for e in later]
    if event_id not in ids:
        raise UserError("events.already_cancelled", title=render.title_of(event))
    told = 0
    first: service.Plan | None = None
    for each in ids:
        plan = await service.plan_edit(services, each, fields)
        first = first or plan
        told += plan.reach.attendees
    assert first is not None
    return FollowingPlan(first, ids, told)


def change_question(lang: str, plan: FollowingPlan, tz: ZoneInfo) -> Markup:
    """What the office confirms before a change of this and the later occurrences, in chat
    and on the dashboard: the first one as it will be, how many dates, how many are told."""
    first = plan.first
    heading = t(
        lang,
        "series.ask_change",
        number=first.event.id,
        series=first.event.series_id,
        dates=t(lang, "series.dates", count=len(plan.events)),
    )
    return render.preview(
        lang,
        heading,
        first.changed,
        tz=tz,
        taken=first.taken,
        waiting=first.waiting,
        reach=render.Reach(attendees=plan.told),
    )


async def change_following(
    services: Services, event_id: int, form: str | Mapping[str, str]
) -> tuple[list[int], int]:
    """Apply the change to this and every later occurrence (each with the normal edit notice)
    and to the series, so occurrences made later have it too; (events changed, told)."""
    plan = await plan_change_following(services, event_id, form)
    fields = _following_fields(form)
    told = 0
    for each in plan.events:
        _event, count = await service.edit_event(services, each, fields)
        told += count
    template = Draft(
        kind=plan.first.event.kind,
        title=plan.first.event.title,
        place=plan.first.event.place,
        place_en=plan.first.event.place_en or "",
        capacity=plan.first.event.capacity,
        audience=plan.first.event.audience,
        description=plan.first.event.description,
        title_en=plan.first.event.title_en or "",
        description_en=plan.first.event.description_en or "",
        offer_hours=plan.first.event.offer_hours,
        reminder_hours=list(plan.first.event.reminder_hours),
    )
    tz = services.settings.network.tz
    for key, value in fields.items():
        apply_field(template, key, value, tz=tz, now=services.clock())
    series_id = plan.first.event.series_id
    assert series_id is not None  # an occurrence (checked by the plan)
    async with services.db.session() as session:
        await series_store.update_template(
            session,
            series_id=series_id,
            kind=template.kind,
            title=template.title,
            place=template.place,
            place_en=template.place_en,
            capacity=template.capacity,
            audience=template.audience,
            description=template.description,
            title_en=template.title_en,
            description_en=template.description_en,
            offer_hours=template.offer_hours,
            reminder_hours=template.reminder_hours,
        )
    return plan.events, told


# --- the whole series: list, end, join -----------------------------------------------------


@dataclass(frozen=True)
class SeriesInfo:
    series: EventSeries
    upcoming: list[Event] = field(default_factory=list)
    subscribers: int = 0


async def get_series(services: Services, series_id: int) -> EventSeries:
    async with services.db.session() as session:
        found = await series_store.get_series(session, series_id)
    if found is None:
        raise UserError("series.unknown_series", series=series_id)
    return found


async def list_series(services: Services) -> list[SeriesInfo]:
    """Every series with its upcoming open occurrences and how many follow it whole."""
    now = services.clock()
    infos: list[SeriesInfo] = []
    async with services.db.session() as session:
        for each in await series_store.all_series(session):
            upcoming = list(await series_store.occurrences(session, series_id=each.id, after=now))
            people = len(await series_store.subscribers(session, series_id=each.id))
            infos.append(SeriesInfo(each, upcoming, people))
    return infos


@dataclass(frozen=True)
class EndPlan:
    series: EventSeries
    events: list[int]  # upcoming open occurrences, cancelled by the end
    told: int


async def plan_end(services: Services, series_id: int) -> EndPlan:
    series = await get_series(services, series_id)
    if series.ended_at is not None:
        raise UserError("series.already_ended", series=series_id, title=render.title_of(series))
    async with services.db.session() as session:
        upcoming = await series_store.occurrences(
            session, series_id=series_id, after=services.clock()
        )
        told = sum([await notify.signed_up_count(session, e) for e in upcoming])
    return EndPlan(series, [e.id for e in upcoming], told)


def end_question(lang: str, plan: EndPlan) -> Markup:
    """What the office confirms before a series ends, in chat and on the dashboard: how many
    occurrences are cancelled and how many people are told."""
    return t(
        lang,
        "series.ask_end",
        series=plan.series.id,
        title=render.title_of(plan.series),
        count=len(plan.events),
        told=plan.told,
    )


async def end_series(services: Services, series_id: int, reason: str = "") -> EndPlan:
    """No new occurrences; every upcoming one is cancelled with the normal notice."""
    plan = await plan_end(services, series_id)
    async with services.db.session() as session:
        if not await series_store.end_series(session, series_id=series_id, now=services.clock()):
            raise UserError(
                "series.already_ended", series=series_id, title=render.title_of(plan.series)
            )
    told = 0
    for each in plan.events:
        try:
            _event, count = await service.cancel_event(services, each, reason=reason)
        except UserError:
            continue  # cancelled meanwhile by hand
        told += count
    await arm(services)
    return EndPlan(plan.series, plan.events, told)


@dataclass(frozen=True)
class JoinedSeries:
    series: EventSeries
    confirmed: list[int]
    waiting: list[int]
    refused: int  # occurrences not open to joining any more (deadline, started)


async def join_series(
    services: Services, member: Member, series_id: int, *, office: bool = False
) -> JoinedSeries:
    """Sign the member up for every upcoming occurrence and for each one made later; capacity
    and waitlist per occurrence, as for any event.

    A young professionals' series is, for anyone else but the office, one that does not
    exist (as their events are: service.seen_event); the office is refused it by name."""
    series = await get_series(services, series_id)
    if series.audience == "yp" and not member.young_professional:
        if not office:
            raise UserError("series.unknown_series", series=series_id)
        raise UserError("events.yp_only", title=render.title_of(series))
    if series.ended_at is not None:
        raise UserError("series.already_ended", series=series_id, title=render.title_of(series))
    async with services.db.session() as session:
        await series_store.subscribe(session, series_id=series_id, member_id=member.id)
        upcoming = [
            e.id
            for e in await series_store.occurrences(
                session, series_id=series_id, after=services.clock()
            )
        ]
    confirmed: list[int] = []
    waiting: list[int] = []
    refused = 0
    for each in upcoming:
        try:
            _event, result = await service.join_event(services, member, each, office=office)
        except UserError:
            refused += 1
            continue
        status = result.status if result.outcome == "already" else result.outcome
        (waiting if status == WAITLISTED else confirmed).append(each)
    return JoinedSeries(series, confirmed, waiting, refused)


def preview_text(lang: str, draft: Draft, *, now: datetime, tz: ZoneInfo) -> Markup:
    """The rule and the first dates of a new series, under the first occurrence's preview (the
    chat's and the dashboard's)."""
    plan = plan_series(draft, now=now, tz=tz)
    rule = describe(lang, plan.rule, until=plan.until, count=plan.count)
    lines = [
        t(lang, "series.preview_rule", rule=rule),
        t(lang, "series.preview_dates"),
        dates_text(lang, plan.dates, tz),
    ]
    return Markup("\n".join(lines))


def dates_text(lang: str, dates: list[datetime], tz: ZoneInfo) -> str:
    """The first dates, one a line, for a preview."""
    return "\n".join(f"  • {show_when(d, lang=lang, tz=tz)}" for d in dates)


def day_text(lang: str, day: date, tz: ZoneInfo) -> str:
    return show_date(datetime.combine(day, time(12), tzinfo=tz), lang=lang, tz=tz)
