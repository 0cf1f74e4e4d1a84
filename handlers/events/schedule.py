"""Event jobs: announcements at a chosen time, reminders, offer expiry, and the periodic sweep.

The rows in `event_jobs` are the schedule; APScheduler only wakes `run_job`, which claims the
row (pending -> done) in the same transaction that queues the messages, so a job runs once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.services import Services
from handlers.events import notify
from handlers.events.effects import Effects
from storage import event_store, signups
from storage.event_store import MISSED, PENDING, as_utc
from storage.events import Event, EventJob

log = logging.getLogger(__name__)

SWEEP_JOB = "events:sweep"


def hours_label(hours: int) -> str:
    return f"{hours // 24}d" if hours % 24 == 0 else f"{hours}h"


def reminder_job_id(event_id: int, hours: int) -> str:
    return f"reminder:event:{event_id}:{hours_label(hours)}"


def announce_job_id(event_id: int) -> str:
    return f"announce:event:{event_id}"


def count_job_id(event_id: int) -> str:
    return f"count:event:{event_id}"


def offer_job_id(event_id: int, member_id: int) -> str:
    return f"offer:event:{event_id}:m{member_id}"


def reminder_at(start: datetime, hours: int, *, tz: ZoneInfo) -> datetime:
    """When a reminder `hours` before `start` goes out (UTC).

    Whole days count on the network's clock: "7 days before" a Thursday 10:00 is the Thursday
    before at 10:00, also across a change to or from summer time. Other hours ("2h") are hours.
    """
    if hours % 24:
        return as_utc(start) - timedelta(hours=hours)
    local = as_utc(start).astimezone(tz)
    # Aware arithmetic in the zone keeps the wall-clock time; astimezone finds its offset.
    return (local - timedelta(days=hours // 24)).astimezone(UTC)


async def plan_reminders(
    session: AsyncSession, event: Event, *, now: datetime, tz: ZoneInfo, effects: Effects
) -> None:
    """(Re-)arm the reminders still ahead; a moved event moves its reminders."""
    for hours in event.reminder_hours:
        run_at = reminder_at(event.starts_at, hours, tz=tz)
        if run_at <= now:
            continue
        job_id = reminder_job_id(event.id, hours)
        await event_store.put_job(
            session, job_id=job_id, event_id=event.id, kind="reminder", run_at=run_at
        )
        effects.arm.append((job_id, run_at))


async def plan_announcement(
    session: AsyncSession, event: Event, *, at: datetime, effects: Effects
) -> None:
    job_id = announce_job_id(event.id)
    await event_store.put_job(session, job_id=job_id, event_id=event.id, kind="announce", run_at=at)
    effects.arm.append((job_id, at))


async def _perform(
    session: AsyncSession,
    services: Services,
    job: EventJob,
    event: Event,
    now: datetime,
    effects: Effects,
) -> None:
    if job.kind == "announce":
        await notify.announce(session, services, event, effects)
    elif job.kind == "reminder":
        await notify.remind(session, services, event, effects)
    elif job.kind == "count":
        await notify.refresh_counts(session, services, event, effects)
    elif job.kind == "offer" and job.member_id is not None:
        result = await signups.expire_offer(
            session, event_id=event.id, member_id=job.member_id, now=now
        )
        if result.left:
            await notify.offer_lapsed(session, event, job.member_id, effects)
            await notify.promotions(session, services, event, result.promoted, effects)
            await notify.refresh_counts(session, services, event, effects)


async def run_job(services: Services, job_id: str) -> bool:
    """Claim the job's row and do its work in one transaction; False if someone else did."""
    now = services.clock()
    effects = Effects()
    async with services.db.session() as session:
        job = await event_store.get_job(session, job_id)
        if job is None or job.status != PENDING:
            return False
        if not await event_store.claim_job(session, job_id=job_id, now=now):
            return False
        event = await event_store.get_event(session, job.event_id)
        if event is not None and event.status == signups.OPEN:
            await _perform(session, services, job, event, now, effects)
    effects.apply(services)
    log.info("ran event job %s", job_id)
    return True


async def report_missed(services: Services, job_id: str) -> bool:
    """Mark a job missed (once) and tell the admins instead of sending it late."""
    now = services.clock()
    effects = Effects()
    async with services.db.session() as session:
        job = await event_store.get_job(session, job_id)
        if job is None:
            return False
        if not await event_store.claim_job(session, job_id=job_id, now=now, status=MISSED):
            return False
        event = await event_store.get_event(session, job.event_id)
        if event is not None:
            await notify.missed_job(session, services, job, event, now, effects)
    effects.apply(services)
    log.warning("event job %s was missed while the bot was down; admins told", job_id)
    return True


async def rebuild(services: Services) -> None:
    """At start: arm every pending job; run a missed one within the grace window, else report it."""
    now = services.clock()
    grace = timedelta(minutes=services.settings.events.missed_grace_minutes)
    async with services.db.session() as session:
        jobs = [
            (j.job_id, j.kind, as_utc(j.run_at)) for j in await event_store.pending_jobs(session)
        ]
    for job_id, kind, run_at in jobs:
        if run_at > now:
            services.scheduler.at(job_id, run_at, run_job, services, job_id)
        elif kind in ("offer", "count") or now - run_at <= grace:
            await run_job(services, job_id)  # an expired offer must always move on, a count too
        else:
            await report_missed(services, job_id)
    minutes = services.settings.events.sweep_minutes
    services.scheduler.every(SWEEP_JOB, minutes * 60, sweep, services)


async def sweep(services: Services) -> None:
    """Lapsed offers move on; places freed without a leave (/forget) go to the waitlist."""
    now = services.clock()
    async with services.db.session() as session:
        lapsed = [(s.event_id, s.member_id) for s in await signups.expired_offers(session, now=now)]
    for event_id, member_id in lapsed:
        await run_job(services, offer_job_id(event_id, member_id))
    effects = Effects()
    async with services.db.session() as session:
        for event_id in await signups.events_to_fill(session, after=now):
            event = await event_store.get_event(session, event_id)
            promoted = await signups.fill_places(session, event_id=event_id, now=now)
            if promoted and event is not None:
                await notify.promotions(session, services, event, promoted, effects)
                await notify.refresh_counts(session, services, event, effects)
    effects.apply(services)


async def reminders_of(services: Services, event_id: int) -> list[EventJob]:
    """The event's reminders still to be sent, earliest first (the office may move or drop them)."""
    async with services.db.session() as session:
        jobs = await event_store.pending_jobs(session, event_id=event_id)
    return [job for job in jobs if job.kind == "reminder"]


async def planned_announcement(services: Services, event_id: int) -> datetime | None:
    """When the event's planned announcement goes out; None when none is planned."""
    async with services.db.session() as session:
        jobs = await event_store.pending_jobs(session, event_id=event_id)
    return next((job.run_at for job in jobs if job.kind == "announce"), None)


async def _pending_reminder(session: AsyncSession, event_id: int, job_id: str) -> EventJob:
    job = await event_store.get_job(session, job_id)
    if job is None or job.event_id != event_id or job.kind != "reminder" or job.status != PENDING:
        raise UserError("web_events.reminder_gone")
    return job


async def move_reminder(services: Services, event_id: int, job_id: str, at: datetime) -> None:
    """Send a planned reminder at another time (after now, before the start); the scheduler
    follows. An edit that moves the event plans its reminders afresh from its hours."""
    effects = Effects()
    async with services.db.session() as session:
        await _pending_reminder(session, event_id, job_id)
        event = await event_store.get_event(session, event_id)
        assert event is not None
        if not services.clock() < at < as_utc(event.starts_at):
            raise UserError("web_events.reminder_bad_time")
        await event_store.put_job(
            session, job_id=job_id, event_id=event_id, kind="reminder", run_at=at
        )
        effects.disarm.append(job_id)  # the old time goes, started scheduler or not
        effects.arm.append((job_id, at))
    effects.apply(services)


async def remove_reminder(services: Services, event_id: int, job_id: str) -> None:
    """Call a planned reminder off; the scheduler forgets it."""
    effects = Effects()
    async with services.db.session() as session:
        await _pending_reminder(session, event_id, job_id)
        await event_store.drop_job(session, job_id=job_id)
        effects.disarm.append(job_id)
    effects.apply(services)
