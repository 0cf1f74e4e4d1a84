"""What a change leaves to do once its transaction is committed: arm or drop jobs, wake the outbox.

Jobs are armed only after the commit, so a job never wakes up before its row exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.services import Services


@dataclass
class Effects:
    arm: list[tuple[str, datetime]] = field(default_factory=list)
    disarm: list[str] = field(default_factory=list)
    queued: int = 0

    def apply(self, services: Services) -> None:
        # Imported here: the job runner itself applies Effects.
        from handlers.events.schedule import run_job

        changed(services)

        for job_id in self.disarm:
            services.scheduler.remove(job_id)
        for job_id, run_at in self.arm:
            services.scheduler.at(job_id, run_at, run_job, services, job_id)
        if self.queued:
            services.outbox_wakeup()


REVISION = "events_revision"


def changed(services: Services) -> None:
    """Something about events changed in this process: what was read from them is stale."""
    services.features[REVISION] = revision(services) + 1


def revision(services: Services) -> int:
    value = services.features.get(REVISION, 0)
    return value if isinstance(value, int) else 0
