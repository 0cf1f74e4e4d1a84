"""The FAQ feature in chat: questions, the knowledge base, the office inbox, statistics."""

from bot.router import Router
from handlers.faq import asking, kb_admin, office, stats


def register(router: Router) -> None:
    for module in (asking, kb_admin, office, stats):
        module.register(router)
