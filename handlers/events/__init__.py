"""Events and excursions: announcements, reminders, sign-ups with capacity and waitlist, polls,
calendar files, and live answers about them."""

from bot.router import Router
from bot.services import Services
from handlers.events import (
    admin_commands,
    beside_faq,
    create_flow,
    described,
    feed_commands,
    languages,
    live,
    member_commands,
    pending,
    polls,
    roster_question,
    schedule,
    series,
    series_commands,
    stats,
)


def register(router: Router) -> None:
    for module in (
        member_commands,
        feed_commands,
        pending,
        admin_commands,
        create_flow,
        polls,
        roster_question,
        languages,
        live,
        beside_faq,
        described,
        stats,
        series_commands,
    ):
        module.register(router)


async def on_start(services: Services) -> None:
    """Rebuild the scheduled jobs from the database (called by App.start)."""
    await schedule.rebuild(services)
    await series.on_start(services)
