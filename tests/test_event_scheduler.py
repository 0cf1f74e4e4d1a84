"""The schedule lives in the database: jobs rebuilt at start, run once, missed ones reported."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.scheduler import Scheduler
from handlers.events import schedule
from storage import event_store
from storage.events import EventJob
from storage.models import OutboxMessage
from tests.harness import Harness, fixed_clock, make_harness

FORM = "art=exkursion; titel=Exkursion Freiberg; beginn=12.03.2027 9:30; plätze=10"
START = datetime(2027, 3, 12, 8, 30, tzinfo=UTC)


def event_jobs(scheduler: Scheduler) -> list[str]:
    """The events feature's jobs (other features schedule their own beside them)."""
    return [job for job in scheduler.job_ids() if not job.startswith("partners:")]


async def _prepare(url: str) -> None:
    """A first run of the bot: an event with a confirmed attendee, then the bot stops."""
    first = await make_harness(url)
    try:
        await first.send("admin", f"/newevent {FORM}")
        await first.onboard("tim")
        await first.send("tim", "/join 1")
    finally:
        await first.app.stop()


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
    await _prepare(url)
    second = await make_harness(url)
    second.app.services.clock = fixed_clock(datetime(2027, 1, 1, tzinfo=UTC))
    await second.app.start()
    try:
        scheduler = second.app.services.scheduler
        assert event_jobs(scheduler) == [
            "events:sweep",
            "reminder:event:1:1d",
            "reminder:event:1:7d",
        ]
        assert scheduler.next_run("reminder:event:1:1d") == START - timedelta(days=1)
        assert scheduler.next_run("reminder:event:1:7d") == START - timedelta(days=7)
    finally:
        await second.app.stop()


async def test_missed_job_is_reported_not_sent_late(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _prepare(url)
    late = await make_harness(url)
    # Down for a week: the 7-day reminder is long overdue, the 1-day one 30 minutes late.
    late.app.services.clock = fixed_clock(START - timedelta(days=1) + timedelta(minutes=30))
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
    await bot.send("admin", f"/newevent {FORM}")
    await bot.onboard("uwe")
    await bot.send("uwe", "/join 1")
    services = bot.app.services
    services.clock = fixed_clock(START - timedelta(days=1))
    results = await asyncio.gather(
        *(schedule.run_job(services, "reminder:event:1:1d") for _ in range(5))
    )
    assert sorted(results) == [False, False, False, False, True]
    reminders = [k for k in await _kinds(bot) if k[0] == "event_reminder"]
    assert len(reminders) == 1


async def test_moving_an_event_moves_its_reminders(bot: Harness) -> None:
    await bot.send("admin", f"/newevent {FORM}; erinnerungen=2d, 3h")
    scheduler = bot.app.services.scheduler
    assert scheduler.job_ids() == ["reminder:event:1:2d", "reminder:event:1:3h"]
    await bot.send("admin", "/editevent 1 beginn=19.03.2027 9:30")
    assert scheduler.next_run("reminder:event:1:2d") == START + timedelta(days=5)


async def test_announcement_at_a_chosen_time(bot: Harness) -> None:
    await bot.onboard("ria")
    await bot.send("admin", f"/newevent {FORM}; ankündigung=01.02.2027 10:00")
    assert not [k for k in await _kinds(bot) if k[0] == "event_announcement"]
    bot.app.services.clock = fixed_clock(datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    assert await schedule.run_job(bot.app.services, "announce:event:1")
    assert len([k for k in await _kinds(bot) if k[0] == "event_announcement"]) == 2


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
    await bot.send("admin", f"/newevent {FORM}; ankündigung=nein")
    scheduler = bot.app.services.scheduler
    assert "announce:event:1" not in scheduler.job_ids()
    await bot.send("admin", "/editevent 1 ankündigung=01.02.2027 10:00")
    assert scheduler.next_run("announce:event:1") == datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    await bot.send("admin", "/editevent 1 ankündigung=nein")
    assert "announce:event:1" not in scheduler.job_ids()
    assert await _statuses(bot) == {
        "reminder:event:1:1d": "pending",
        "reminder:event:1:7d": "pending",
    }


async def test_a_count_job_missed_while_down_still_runs(tmp_path: Path) -> None:
    """A live count left to recheck is always brought up to date, never reported as missed."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _prepare(url)
    second = await make_harness(url)
    async with second.db.session() as session:
        await event_store.put_job(
            session,
            job_id=schedule.count_job_id(1),
            event_id=1,
            kind="count",
            run_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
    second.app.services.clock = fixed_clock(datetime(2027, 1, 1, tzinfo=UTC))
    await second.app.start()
    try:
        assert (await _statuses(second))["count:event:1"] == "done"
    finally:
        await second.app.stop()
