"""The partner-search feature as the composition root registers it (see bot/app.py FEATURES).

The ranking index lives on one `PartnerMatcher` per router, built here, not at import time;
its index is built in the background when the bot starts, and the dashboard uses it too.
"""

from __future__ import annotations

import asyncio

from bot.router import Router
from bot.services import Services
from handlers.partners import answers, chat, overview
from handlers.partners.matching import MATCHER, PartnerMatcher

SWEEP_SECONDS = 3600


def register(router: Router) -> None:
    matcher = PartnerMatcher()
    chat.register(router, matcher)

    def at_start(services: Services) -> asyncio.Task[None]:
        # the dashboard's suggestions use the chat's index (`matcher_of`)
        services.features[MATCHER] = matcher
        return matcher.start_building(services.db, services.clock())

    # Indexing the directory takes seconds (with the language resources, the first time tens
    # of seconds): in a thread from the start on, so neither the start nor the first search
    # waits for all of it.
    router.in_background_at_start(at_start)
    answers.register(router)
    overview.register(router)


async def on_start(services: Services) -> None:
    """Expire requests older than 30 days once an hour (reading a request checks it too)."""

    async def expire() -> None:
        await overview.sweep(services.db, now=services.clock())

    services.scheduler.every("partners:expire", SWEEP_SECONDS, expire)
