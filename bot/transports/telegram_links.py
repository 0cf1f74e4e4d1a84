"""Telegram's deep links: opening one starts a chat with the bot, which receives
`/start PAYLOAD` (an invitation's code)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bot.config import Settings
from bot.messages import Platform


def start_link(username: str, payload: str) -> str:
    """The link to the bot `username` (without @) that sends `/start payload`."""
    return f"https://t.me/{username}?start={payload}"


def configured_start_links(settings: Settings) -> dict[str, Callable[[str], str | None]]:
    """`Services.start_links` by the configured `[telegram] username`, for the command line
    and until a running Telegram transport gives its own; empty when none is configured."""
    username = settings.telegram.username
    return {Platform.TELEGRAM: partial(start_link, username)} if username else {}
