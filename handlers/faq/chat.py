"""The FAQ feature in chat: questions, the knowledge base, the office inbox, statistics."""

from bot.router import Router
from bot.services import Services
from handlers.faq import asking, kb_admin, mine, office, stats
from handlers.faq.service import faq_service


def register(router: Router) -> None:
    for module in (asking, kb_admin, mine, office, stats):
        module.register(router)


async def on_start(services: Services) -> None:
    """Build the index now: the first question need not wait for it (called by App.start)."""
    await faq_service(services).snapshot()
