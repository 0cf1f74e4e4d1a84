"""Configured groups and rooms the bot cannot reach: recorded, and the admins told once.

An announcement that never arrives is worse than an error message: the cluster manager believes
the young professionals were invited. So when a delivery to a group or room ends as unreachable,
the admins hear which one and what to do, once per problem; a later delivery that works there
closes the problem (and a new one is told again).
"""

from __future__ import annotations

import logging

from bot.i18n import Markup, t
from bot.messages import Reply
from bot.office import tell_admins
from bot.services import Services
from storage import chat_routes

log = logging.getLogger(__name__)


def notice_key(platform: str, chat_id: str) -> str:
    """Which catalogue text explains the problem: an alias still unresolved at send time does
    not exist; any other room or group does, without the bot in it."""
    if platform != "matrix":
        return "chats.telegram_not_in_group"
    return "chats.matrix_unknown_alias" if chat_id.startswith("#") else "chats.matrix_not_in_room"


class ChatProblems:
    """The delivery worker's `GroupWatch`, built by the composition root."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def unreachable(self, platform: str, chat_id: str, detail: str) -> None:
        services = self.services
        async with services.db.session() as session:
            name = await chat_routes.report_problem(
                session, platform=platform, chat_id=chat_id, problem=detail, now=services.clock()
            )
            if name is None:
                return  # the admins know already
            log.warning("%s %s (%s) cannot be reached: %s", platform, name, chat_id, detail)

            def notice(lang: str) -> Reply:
                key, bot = notice_key(platform, chat_id), self._bot_name(platform)
                return Reply(
                    text=Markup(
                        t(lang, key, chat=name, bot=bot)
                        + "\n"
                        + t(lang, "chats.detail", detail=detail[:200])
                    )
                )

            await tell_admins(session, services.settings, notice, "chat_problem")
        services.outbox_wakeup()

    async def delivered(self, platform: str, chat_id: str) -> None:
        async with self.services.db.session() as session:
            await chat_routes.clear_problem(session, platform=platform, chat_id=chat_id)

    def _bot_name(self, platform: str) -> str:
        return (self.services.settings.matrix.user_id or "") if platform == "matrix" else ""
