"""The schedule lives in the database: jobs rebuilt at start, run once, missed ones reported."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.scheduler import Scheduler
from handlers.events import schedule
from storage import event_store
from storage.events import EventJob
from storage.models import OutboxMessage
from tests.confirming import confirmed
from tests.dates import days_ahead, typed
from tests.harness import Harness, fixed_clock, make_harness


def excursion(bot: Harness) -> tuple[str, datetime]:
    """The one-line form of an excursion about three months ahead of the bot's clock, and its
    start (local, in the network's zone; `.astimezone(UTC)` is when the jobs count from)."""
    start = days_ahead(bot, 100)
    return f"art=exkursion; titel=Exkursion Freiberg; beginn={typed(start)}; plätze=10", start


def days_before(moment: datetime, days: int) -> datetime:
    """`days` before `moment` on the network's clock (Berlin): a reminder days ahead keeps the
    time of day when summer time begins or ends in between."""
    local = moment.astimezone(ZoneInfo("Europe/Berlin"))
    return (local - timedelta(days=days)).astimezone(UTC)


def event_jobs(scheduler: Scheduler) -> list[str]:
    """The events feature's jobs (other features schedule their own beside them)."""
    return [job for job in scheduler.job_ids() if not job.startswith("partners:")]


async def _prepare(url: str) -> datetime:
    """A first run of the bot: an event with a confirmed attendee, then the bot stops.

    Returns when the event starts, in UTC."""
    first = await make_harness(url)
    try:
        form, start = excursion(first)
        await confirmed(first, f"/newevent {form}")
        await first.onboard("tim")
        await first.send("tim", "/join 1")
    finally:
        await first.app.stop()
    return start.astimezone(UTC)


async def _kinds(bot: Harness) -> list[tuple[str, int | None]]:
    async with bot.db.session() as session:
        rows = await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return [(m.kind, m.member_id) for m in rows.scalars()]


async def _statuses(bot: Harness) -> dict[str, str]:
    async with bot.db.session() as session:
        rows = await session.execute(select(EventJob))
        return {j.job_id: j.status for j in rows.scalars()}


async def test_jobs_are_rebuilt_after_a_restart(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    start = await _prepare(url)
    second = await make_harness(url)
    second.app.services.clock = fixed_clock(start - timedelta(days=70))  # before any reminder
    await second.app.start()
    try:
        scheduler = second.app.services.scheduler
        assert event_jobs(scheduler) == [
            "events:sweep",
            "reminder:event:1:1d",
            "reminder:event:1:7d",
        ]
        assert scheduler.next_run("reminder:event:1:1d") == days_before(start, 1)
        assert scheduler.next_run("reminder:event:1:7d") == days_before(start, 7)
    finally:
        await second.app.stop()


async def test_missed_job_is_reported_not_sent_late(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    start = await _prepare(url)
    late = await make_harness(url)
    # Down for a week: the 7-day reminder is long overdue, the 1-day one 30 minutes late.
    late.app.services.clock = fixed_clock(days_before(start, 1) + timedelta(minutes=30))
    before = await _kinds(late)
    await late.app.start()
    try:
        sent = (await _kinds(late))[len(before) :]
        tim = await late.member("tim")
        admin = await late.member("admin")
        assert tim is not None and admin is not None
        assert sent.count(("event_reminder", tim.id)) == 1  # within the grace window
        assert ("event_admin", admin.id) in sent  # the missed one, told to the admin
        assert await _statuses(late) == {
            "reminder:event:1:7d": "missed",
            "reminder:event:1:1d": "done",
        }
        assert event_jobs(late.app.services.scheduler) == ["events:sweep"]
        # waking a done job again changes nothing
        assert not await schedule.run_job(late.app.services, "reminder:event:1:1d")
        assert (await _kinds(late))[len(before) :] == sent
    finally:
        await late.app.stop()


async def test_a_job_runs_once_even_when_woken_twice(bot: Harness) -> None:
    form, start = excursion(bot)
    await confirmed(bot, f"/newevent {form}")
    await bot.onboard("uwe")
    await bot.send("uwe", "/join 1")
    services = bot.app.services
    services.clock = fixed_clock(days_before(start, 1))
    results = await asyncio.gather(
        *(schedule.run_job(services, "reminder:event:1:1d") for _ in range(5))
    )
    assert sorted(results) == [False, False, False, False, True]
    reminders = [k for k in await _kinds(bot) if k[0] == "event_reminder"]
    assert len(reminders) == 1


async def test_moving_an_event_moves_its_reminders(bot: Harness) -> None:
    form, start = excursion(bot)
    await confirmed(bot, f"/newevent {form}; erinnerungen=2d, 3h")
    scheduler = bot.app.services.scheduler
    assert scheduler.job_ids() == ["reminder:event:1:2d", "reminder:event:1:3h"]
    moved = start + timedelta(days=7)  # a week later, at the same time of day
    await confirmed(bot, f"/editevent 1 beginn={typed(moved)}")
    assert scheduler.next_run("reminder:event:1:2d") == days_before(moved, 2)


async def test_announcement_at_a_chosen_time(bot: Harness) -> None:
    await bot.onboard("ria")
    await bot.send("gast", "Wann ist das nächste Symposium?")  # asked, never registered
    form, start = excursion(bot)
    announce = (start - timedelta(days=39)).replace(hour=10, minute=0)
    await confirmed(bot, f"/newevent {form}; ankündigung={typed(announce)}")
    assert not [k for k in await _kinds(bot) if k[0] == "event_announcement"]
    bot.app.services.clock = fixed_clock(announce)
    assert await schedule.run_job(bot.app.services, "announce:event:1")
    # to the registered member who wants news; not to someone who only asked a question
    # (and never chose news), as broadcasts do
    ria = await bot.member("ria")
    assert ria is not None
    announced = [k for k in await _kinds(bot) if k[0] == "event_announcement"]
    assert announced == [("event_announcement", ria.id)]


async def test_an_announcement_reaches_one_who_chose_the_news_before_registering(
    bot: Harness,
) -> None:
    """Session 48: "/news ja" (or the button a new young professional is offered) was
    confirmed, but the news went to registered members only."""
    await bot.send("gast", "Wann ist das nächste Symposium?")  # asked, never chose news
    chose = await bot.send("nina", "/news yes")
    assert "News: Yes" in chose.text, chose.text
    form, start = excursion(bot)
    announce = (start - timedelta(days=39)).replace(hour=10, minute=0)
    await confirmed(bot, f"/newevent {form}; ankündigung={typed(announce)}")
    bot.app.services.clock = fixed_clock(announce)
    assert await schedule.run_job(bot.app.services, "announce:event:1")
    nina = await bot.member("nina")
    assert nina is not None and not nina.onboarded
    announced = [k for k in await _kinds(bot) if k[0] == "event_announcement"]
    assert announced == [("event_announcement", nina.id)]


async def test_the_scheduler_wakes_a_job() -> None:
    scheduler = Scheduler()
    woke = asyncio.Event()

    async def job() -> None:
        woke.set()

    await scheduler.start()
    try:
        scheduler.at("test:job", datetime.now(UTC) + timedelta(milliseconds=100), job)
        scheduler.at("test:job", datetime.now(UTC) + timedelta(milliseconds=50), job)
        assert scheduler.job_ids() == ["test:job"]  # replaced, not doubled
        await asyncio.wait_for(woke.wait(), timeout=5)
    finally:
        await scheduler.stop()


async def test_an_edit_can_plan_or_call_off_the_announcement(bot: Harness) -> None:
    form, start = excursion(bot)
    await confirmed(bot, f"/newevent {form}; ankündigung=nein")
    scheduler = bot.app.services.scheduler
    assert "announce:event:1" not in scheduler.job_ids()
    announce = (start - timedelta(days=39)).replace(hour=10, minute=0)
    await confirmed(bot, f"/editevent 1 ankündigung={typed(announce)}")
    assert scheduler.next_run("announce:event:1") == announce.astimezone(UTC)
    await confirmed(bot, "/editevent 1 ankündigung=nein")
    assert "announce:event:1" not in scheduler.job_ids()
    assert await _statuses(bot) == {
        "reminder:event:1:1d": "pending",
        "reminder:event:1:7d": "pending",
    }


async def test_a_count_job_missed_while_down_still_runs(tmp_path: Path) -> None:
    """A live count left to recheck is always brought up to date, never reported as missed."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    start = await _prepare(url)
    second = await make_harness(url)
    restarted = start - timedelta(days=70)
    async with second.db.session() as session:
        await event_store.put_job(
            session,
            job_id=schedule.count_job_id(1),
            event_id=1,
            kind="count",
            run_at=restarted - timedelta(days=365),  # due while the bot was down
        )
    second.app.services.clock = fixed_clock(restarted)
    await second.app.start()
    try:
        assert (await _statuses(second))["count:event:1"] == "done"
    finally:
        await second.app.stop()
