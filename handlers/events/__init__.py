"""Events and excursions: announcements, reminders, sign-ups with capacity and waitlist, polls,
calendar files, and live answers about them."""

from bot.router import Router
from bot.services import Services
from handlers.events import (
    admin_commands,
    create_flow,
    live,
    member_commands,
    pending,
    polls,
    schedule,
    stats,
)


def register(router: Router) -> None:
    for module in (member_commands, pending, admin_commands, create_flow, polls, live, stats):
        module.register(router)


async def on_start(services: Services) -> None:
    """Rebuild the scheduled jobs from the database (called by App.start)."""
    await schedule.rebuild(services)
