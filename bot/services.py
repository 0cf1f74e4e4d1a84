"""What handlers may use, built once by the composition root (bot/app.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.config import Settings
from bot.i18n import use_network
from bot.messages import IncomingAttachment
from bot.router import Router
from bot.scheduler import Scheduler
from bot.textmatch.thesaurus import use_glossary
from storage.db import Database

FileFetcher = Callable[[IncomingAttachment, int], Awaitable[bytes]]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    settings: Settings
    db: Database
    router: Router
    clock: Callable[[], datetime] = utc_now
    # Wakes the delivery worker when something was put in the outbox (set by bot/app.py).
    outbox_wakeup: Callable[[], None] = field(default=lambda: None)
    # What features build for themselves on first use, by name (e.g. "faq": the FAQ index);
    # core never imports a feature, so it holds them untyped and the feature checks the type.
    features: dict[str, object] = field(default_factory=dict)
    # Wakes scheduled jobs (reminders, announcements); started and stopped by the App.
    scheduler: Scheduler = field(default_factory=Scheduler)
    # Told (platform, user id, is admin) when /promote or /demote changes a member's role, so a
    # platform can show or hide its admin command menu.
    role_listeners: list[Callable[[str, str, bool], Awaitable[None]]] = field(default_factory=list)
    # Per platform: fetch the bytes of a file a member sent, at most `max_bytes` (raises
    # bot.errors.FileTooLarge or FileUnavailable). Set by the App from its transports.
    file_fetchers: dict[str, FileFetcher] = field(default_factory=dict)
    # Per platform: the link that opens a chat with the bot and sends `/start PAYLOAD`
    # (Telegram's deep link; None while the bot's name is unknown); set by the App from its
    # transports, else from the configuration. Invitation links use it.
    start_links: dict[str, Callable[[str], str | None]] = field(default_factory=dict)
    # (platform, user id) of accounts erased by /forget in this process, until their next
    # message starts a fresh sign-up. In memory only, never stored: erased means erased.
    forgotten: set[tuple[str, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        network = self.settings.network
        use_network(network.name, network.short_name, network.taglines(), network.office_names())
        use_glossary(network.glossary)

    async def role_changed(self, accounts: list[tuple[str, str]], is_admin: bool) -> None:
        for listener in self.role_listeners:
            for platform, user_id in accounts:
                await listener(platform, user_id, is_admin)

    def is_configured_admin(self, platform: str, user_id: str) -> bool:
        admins = self.settings.admins
        if platform == "telegram":
            return user_id in {str(uid) for uid in admins.telegram}
        if platform == "matrix":
            return user_id in admins.matrix
        return user_id in admins.console
