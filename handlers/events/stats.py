"""The events block of the admins' /stats."""

from __future__ import annotations

from collections.abc import Sequence

from bot.context import Context
from bot.router import Router
from storage import signups


async def event_stats(ctx: Context) -> Sequence[str]:
    async with ctx.db.session() as session:
        counts = await signups.stats(session, after=ctx.services.clock())
    return [
        ctx.t("events.stats_header"),
        ctx.t(
            "events.stats_line",
            upcoming=counts.upcoming,
            confirmed=counts.confirmed,
            offered=counts.offered,
            waiting=counts.waiting,
        ),
    ]


def register(router: Router) -> None:
    router.stats(event_stats)
