"""What needs the office's attention now: one rule for the dashboard's overview (and any
other place that wants to say it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.services import Services
from handlers.partners.overview import inbox_groups
from storage import attention, chat_routes, faq

# An offer that runs out within this is "about to lapse".
LAPSING_WITHIN = timedelta(hours=24)
# Failed deliveries are counted over this window.
FAILURES_SINCE = timedelta(days=7)


@dataclass(frozen=True)
class ChatProblem:
    platform: str
    name: str
    problem: str


@dataclass(frozen=True)
class Attention:
    open_tickets: int
    offers_lapsing: int
    failed_deliveries: int
    chat_problems: tuple[ChatProblem, ...]
    # Partner requests nobody fitted: they wait in the office's partner inbox.
    partners_unfitted: int = 0

    @property
    def anything(self) -> bool:
        return bool(
            self.open_tickets
            or self.offers_lapsing
            or self.failed_deliveries
            or self.chat_problems
            or self.partners_unfitted
        )


async def needs_attention(services: Services) -> Attention:
    now = services.clock()
    async with services.db.session() as session:
        tickets, _oldest = await faq.open_tickets(session, limit=0)
        lapsing = await attention.offers_lapsing(session, now=now, before=now + LAPSING_WITHIN)
        failed = await attention.failed_deliveries(session, since=now - FAILURES_SINCE)
        problems = tuple(
            ChatProblem(row.platform, row.name, row.problem)
            for row in await chat_routes.problems(session)
        )
    # The partner inbox's own grouping (it also expires what is due), so both agree.
    unfitted = len((await inbox_groups(services)).office)
    return Attention(tickets, lapsing, failed, problems, unfitted)
