"""The FAQ's block in `/stats`: questions, answers, choices, hand-offs, feedback."""

from __future__ import annotations

from collections.abc import Sequence

from bot.context import Context
from bot.router import Router
from bot.services import Services
from handlers.faq.learned import MAX_OFFERED
from storage import faq
from storage.faq import EntryCounts


async def faq_stats(ctx: Context) -> Sequence[str]:
    async with ctx.db.session() as session:
        counts = await faq.counts(session)
    return [
        ctx.t("faq.stats_title", count=counts.entries),
        ctx.t("faq.stats_questions", count=counts.questions),
        ctx.t("faq.stats_answered", count=counts.answered),
        ctx.t("faq.stats_choices", count=counts.choices_offered, taken=counts.choices_taken),
        ctx.t("faq.stats_handed_off", count=counts.tickets, open=counts.tickets_open),
        ctx.t("faq.stats_feedback", up=counts.helpful, down=counts.not_helpful),
    ]


async def entry_performance(services: Services) -> dict[str, EntryCounts]:
    """Per entry: asked (matched to a question), answered directly, picked from the choices,
    👍 and 👎 (the dashboard's FAQ page)."""
    async with services.db.read() as session:
        return await faq.entry_counts(session, positions=MAX_OFFERED)


def register(router: Router) -> None:
    router.stats(faq_stats)
