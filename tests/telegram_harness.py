"""The whole bot on Telegram against the local Bot API fake (tests and bench/ share this)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.app import App, build_app
from bot.config import parse_settings
from bot.transports.telegram import TelegramTransport
from tests.fakes.bot_api import FakeBotApi

ADMIN_ID = 9001


@dataclass
class TelegramBot:
    app: App
    transport: TelegramTransport
    fake: FakeBotApi

    async def stop(self) -> None:
        await self.app.stop()


async def build_telegram_bot(
    fake: FakeBotApi,
    db_url: str,
    *,
    telegram: dict[str, Any] | None = None,
    limits: dict[str, Any] | None = None,
    **transport_options: Any,
) -> TelegramBot:
    """The composition root's app with a Telegram transport pointed at the fake (not started)."""
    raw: dict[str, object] = {
        "database": {"url": db_url},
        "admins": {"telegram": [ADMIN_ID]},
        "telegram": {"token": fake.token, "base_url": fake.base_url, **(telegram or {})},
        "limits": limits or {},
    }
    settings = parse_settings(raw, source="test", env={})
    app = await build_app(settings)
    options: dict[str, Any] = {"rate_limit": False, "poll_timeout": 1, **transport_options}
    transport = TelegramTransport.from_settings(
        settings, db=app.services.db, router=app.services.router, **options
    )
    app.transports.append(transport)
    return TelegramBot(app, transport, fake)
