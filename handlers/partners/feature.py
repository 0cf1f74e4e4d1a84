"""The partner-search feature as the composition root registers it (see bot/app.py FEATURES).

The ranking index lives on one `PartnerMatcher` per router, built here, not at import time.
"""

from __future__ import annotations

from bot.router import Router
from handlers.partners import answers, chat, overview
from handlers.partners.matching import PartnerMatcher


def register(router: Router) -> None:
    matcher = PartnerMatcher()
    chat.register(router, matcher)
    answers.register(router)
    overview.register(router)
