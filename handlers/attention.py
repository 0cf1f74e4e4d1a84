"""What needs the office's attention now: one rule for the dashboard's overview (and any
other place that wants to say it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from storage import attention, chat_routes, faq, trends

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


async def needs_attention(services: Services, session: AsyncSession | None = None) -> Attention:
    """Counts only, in one session (the caller's, when it passes one: the overview runs these
    and the charts' queries together)."""
    if session is None:
        async with services.db.session() as own:
            return await needs_attention(services, own)
    now = services.clock()
    tickets, _oldest = await faq.open_tickets(session, limit=0)
    lapsing = await attention.offers_lapsing(session, now=now, before=now + LAPSING_WITHIN)
    failed = await attention.failed_deliveries(session, since=now - FAILURES_SINCE)
    problems = tuple(
        ChatProblem(row.platform, row.name, row.problem)
        for row in await chat_routes.problems(session)
    )
    # The partner inbox's "nobody fitted" group: active, not past its date (the inbox's rule).
    unfitted = await trends.partner_requests_waiting(session, now=now)
    return Attention(tickets, lapsing, failed, problems, unfitted)
