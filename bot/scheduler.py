"""Wakes code up at given times (APScheduler 3, in memory); the schedule lives in the database.

Features add jobs with stable ids derived from their rows (``reminder:event:42:1d``), so a
restart or an edit replaces a job instead of doubling it; at start each feature rebuilds its
jobs from the database (`on_start` in bot/app.py). A job must claim its row itself (a
conditional UPDATE) so that it runs once even when woken twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

JobFunc = Callable[..., Awaitable[object]]


class Scheduler:
    """Owns the APScheduler instance; started and stopped by the App."""

    def __init__(self) -> None:
        # No misfire limit here: whether a late job is still useful is the job's decision.
        self._scheduler = AsyncIOScheduler(
            timezone=UTC, job_defaults={"misfire_grace_time": None, "coalesce": True}
        )

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def at(self, job_id: str, run_at: datetime, func: JobFunc, *args: Any) -> None:
        """Run `func(*args)` once at `run_at`; an existing job with this id is replaced."""
        self._scheduler.add_job(
            _guarded,
            "date",
            run_date=run_at,
            id=job_id,
            replace_existing=True,
            args=(job_id, func, *args),
        )

    def every(self, job_id: str, seconds: float, func: JobFunc, *args: Any) -> None:
        self._scheduler.add_job(
            _guarded,
            "interval",
            seconds=seconds,
            id=job_id,
            replace_existing=True,
            args=(job_id, func, *args),
        )

    def remove(self, job_id: str) -> None:
        with contextlib.suppress(JobLookupError):
            self._scheduler.remove_job(job_id)

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self._scheduler.get_jobs())

    def next_run(self, job_id: str) -> datetime | None:
        job = self._scheduler.get_job(job_id)
        if job is None:
            return None
        moment: datetime | None = getattr(job, "next_run_time", None)
        if moment is None:  # not started yet: APScheduler keeps the trigger's date
            moment = getattr(job.trigger, "run_date", None)
        return moment

    async def start(self) -> None:
        if not self._scheduler.running:
            self._scheduler.start()

    async def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)


async def _guarded(job_id: str, func: JobFunc, *args: Any) -> None:
    """A failing job is logged once with its id; the scheduler keeps running."""
    try:
        await func(*args)
    except Exception:
        log.exception("scheduled job %s failed", job_id)
