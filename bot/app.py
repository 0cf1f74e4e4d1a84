"""The composition root: settings, database, router, features and transports, built in one place."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import handlers.asked_in_words
import handlers.broadcast
import handlers.events
import handlers.faq.chat
import handlers.members
import handlers.partners.feature
import handlers.stats
from bot import memory
from bot.chat_problems import ChatProblems
from bot.config import WILDCARD_ADDRESSES, Settings, local_url
from bot.delivery_worker import DeliveryWorker
from bot.dispatcher import Dispatcher
from bot.health import HealthServer
from bot.router import Router
from bot.services import Services
from bot.transports.base import Transport
from bot.transports.telegram_links import configured_start_links
from storage.db import Database

if TYPE_CHECKING:
    from web.app import WebServer
from storage.migrate import upgrade

log = logging.getLogger(__name__)

# A transport that could not start is tried again after 5 s, then ever less often.
START_RETRY_FIRST = 5.0
START_RETRY_MAX = 300.0

FEATURES = (
    handlers.members,
    handlers.partners.feature,
    handlers.faq.chat,
    handlers.stats,
    handlers.events,
    handlers.asked_in_words,
    handlers.broadcast,
)


def build_router() -> Router:
    router = Router()
    for feature in FEATURES:
        feature.register(router)
    return router


@dataclass
class App:
    services: Services
    dispatcher: Dispatcher
    transports: list[Transport] = field(default_factory=list)
    health: HealthServer | None = None
    web: WebServer | None = None
    _stopped: asyncio.Event = field(default_factory=asyncio.Event)
    worker: DeliveryWorker | None = None
    # A socket already listening for the dashboard (the demo holds its port from choosing it
    # on); without one, the dashboard binds `[web] listen:port` at start.
    web_socket: socket.socket | None = None
    _starting: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        await self.services.scheduler.start()
        for feature in FEATURES:
            # A feature may rebuild its scheduled jobs from the database at start.
            on_start = getattr(feature, "on_start", None)
            if on_start is not None:
                await on_start(self.services)
        for hook in self.services.router.start_hooks:
            self._starting.append(hook(self.services))
        for transport in self.transports:
            # A platform with a role-dependent menu follows /promote and /demote.
            listener = getattr(transport, "on_role_change", None)
            if listener is not None:
                self.services.role_listeners.append(listener)
            # A platform members can send files on lets the core fetch them.
            fetch = getattr(transport, "fetch_file", None)
            if fetch is not None:
                self.services.file_fetchers[transport.platform] = fetch
            # A platform whose bot people open by a link that starts the chat (Telegram's).
            link = getattr(transport, "start_link", None)
            if link is not None:
                self.services.start_links[transport.platform] = link
            try:
                await transport.start(self.dispatcher.handle)
            except Exception:
                # One platform down (the homeserver restarting, Telegram unreachable) must not
                # keep the other from serving; this one is tried again in the background.
                log.exception("transport %s could not start; trying again", transport.platform)
                self._starting.append(
                    asyncio.create_task(self._start_later(transport), name="start-transport")
                )
            else:
                log.info("started transport %s", transport.platform)
        health, web = self.services.settings.health, self.services.settings.web
        if web.enabled:
            from web.app import WebServer  # the front door only where it is switched on

            self.web = WebServer(self.services, self.transports)
            await self.web.start(web.listen, web.port, sock=self.web_socket)
            if web.public_url == local_url(web.listen, web.port) and web.port != self.web.port:
                # `port = 0` and no public_url: links name the port the system picked.
                web = web.model_copy(update={"public_url": local_url(web.listen, self.web.port)})
                settings = self.services.settings
                self.services.settings = settings.model_copy(update={"web": web})
            log.info(
                "dashboard on http://%s:%s/ (public: %s)", web.listen, self.web.port, web.public_url
            )
            if web.listen in WILDCARD_ADDRESSES and web.public_url == local_url(
                web.listen, self.web.port
            ):
                log.warning(
                    "[web] listens on every address but has no public_url: the links the bot "
                    "makes name %s, which only this machine opens; set [web] public_url to "
                    "the address people open",
                    web.public_url,
                )
        if health.enabled and not (
            web.enabled and (web.listen, web.port) == (health.listen, health.port)
        ):
            self.health = HealthServer(self.services.db, self.transports)
            await self.health.start(health.listen, health.port)
            log.info("health endpoint on http://%s:%s/healthz", health.listen, self.health.port)
        self.start_delivery()
        memory.settle()  # what start built lives as long as the process

    async def _start_later(self, transport: Transport) -> None:
        delay = START_RETRY_FIRST
        while True:
            await asyncio.sleep(delay)
            try:
                await transport.start(self.dispatcher.handle)
            except Exception as error:  # noqa: BLE001 - reported, and tried again
                delay = min(delay * 2, START_RETRY_MAX)
                log.error(
                    "transport %s still cannot start (%s); next try in %.0f s",
                    transport.platform, error, delay,
                )  # fmt: skip
            else:
                log.info("started transport %s", transport.platform)
                if self.worker is not None:
                    self.worker.wakeup()  # what waited for this platform goes out now
                return

    def start_delivery(self) -> DeliveryWorker:
        """The outbox worker over this app's transports; woken whenever a handler queues."""
        if self.worker is None:
            self.worker = DeliveryWorker(
                self.services.db,
                {transport.platform: transport for transport in self.transports},
                clock=self.services.clock,
                groups=ChatProblems(self.services),
                choices=self.dispatcher.shown,
            )
            self.services.outbox_wakeup = self.worker.wakeup
        self.worker.start()
        return self.worker

    async def stop(self) -> None:
        for task in self._starting:
            task.cancel()
        if self.worker is not None:
            await self.worker.stop()
        if self.health is not None:
            await self.health.stop()
        if self.web is not None:
            await self.web.stop()
        for transport in reversed(self.transports):
            try:
                await transport.stop()
            except Exception:
                log.exception("transport %s failed to stop cleanly", transport.platform)
        await self.services.scheduler.stop()
        await self.services.db.close()
        self._stopped.set()
        log.info("stopped")

    async def wait_stopped(self) -> None:
        await self._stopped.wait()


def platform_transports(services: Services) -> list[Transport]:
    """A transport for every platform whose credentials are configured."""
    settings = services.settings
    found: list[Transport] = []
    if settings.telegram_enabled:
        from bot.transports.telegram import TelegramTransport

        found.append(
            TelegramTransport.from_settings(settings, db=services.db, router=services.router)
        )
    if settings.matrix_enabled:
        from bot.state_store import DbStateStore
        from bot.transports.matrix import MatrixTransport
        from bot.transports.matrix_session import MatrixOptions

        options = MatrixOptions.from_settings(settings.matrix, settings.network)
        found.append(MatrixTransport(options, DbStateStore(services.db)))
    return found


async def build_app(
    settings: Settings,
    *,
    transports: Sequence[Transport] | None = None,
    migrate: bool = True,
    web_socket: socket.socket | None = None,
) -> App:
    """The whole bot; without explicit transports, those the configuration enables. The
    dashboard serves on `web_socket` when one is given (already listening), else on its port."""
    db = Database(settings.database.url)
    if migrate:
        await upgrade(db)
    services = Services(settings=settings, db=db, router=build_router())
    services.start_links.update(configured_start_links(settings))  # a transport's replace it
    chosen = platform_transports(services) if transports is None else list(transports)
    return App(
        services=services, dispatcher=Dispatcher(services), transports=chosen, web_socket=web_socket
    )
