"""The bot on Telegram: python-telegram-bot's `Application` for the Bot API, our own update loop.

PTB's Updater confirms updates to Telegram as soon as they are queued, before any handler ran,
and keeps the offset in memory only; a crash then loses what was in hand. Here each batch is
handed to the core first, the offset is stored in the database after it was handled, and only
the next getUpdates (with that offset) confirms it to Telegram. A crash at any point means the
batch comes again, and the dispatcher's processed-update ids make the repeat change nothing.
Webhook mode answers Telegram's POST only after the update was handled, for the same reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import secrets
import time
import weakref
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update
from telegram.error import (
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.config import Settings, TelegramSettings
from bot.messages import Incoming, IncomingAttachment, Platform, Poll, Reply, plain_text, shorten
from bot.router import Router
from bot.transports.base import Dispatch, RateLimits, SendResult, SendStatus
from bot.transports.telegram_edits import EditCoalescer
from bot.transports.telegram_files import fetch
from bot.transports.telegram_format import MAX_POPUP, parse_ref
from bot.transports.telegram_http import AiohttpRequest
from bot.transports.telegram_links import start_link
from bot.transports.telegram_menu import (
    install_admin_menu,
    install_menu_button,
    install_menus,
    mini_app_url,
    remove_admin_menu,
)
from bot.transports.telegram_send import Sender, retry_seconds, send_result
from bot.transports.telegram_updates import (
    BotIdentity,
    from_callback,
    from_message,
    from_poll_answer,
    sender_key,
)
from storage import chat_routes, transport_state
from storage.db import Database, is_connection_error

log = logging.getLogger(__name__)

OFFSET_KEY = "telegram:offset"
POLL_KEY_PREFIX = "telegram:poll:"
ALLOWED_UPDATES = ("message", "callback_query", "poll_answer")
UPDATE_ATTEMPTS = 3  # a failing update is tried this often, then logged and skipped
MAX_BACKOFF = 30.0
DB_MAX_BACKOFF = 2.0  # while the database is away, an update in hand is retried this often


def is_group(chat_id: str) -> bool:
    """Groups, supergroups and channels have negative ids (or an @name for channels)."""
    return chat_id.startswith(("-", "@"))


def popup_as_text(reply: Reply) -> Reply:
    """A popup answers a button press; anywhere else it is shown as the message itself."""
    if reply.popup and not (reply.text or reply.poll or reply.attachment):
        return replace(reply, text=reply.popup, popup=None)
    return reply


class TelegramTransport:
    platform = Platform.TELEGRAM

    def __init__(
        self,
        settings: TelegramSettings,
        *,
        db: Database,
        router: Router,
        admin_chats: Sequence[int] = (),
        default_language: str = "de",
        rate_limit: bool = True,
        poll_timeout: int = 30,
        concurrency: int = 16,
        read_timeout: float = 10.0,
        page_url: str | None = None,
    ) -> None:
        if settings.token is None:
            raise ValueError("Telegram needs a bot token (REWIMET_TELEGRAM_TOKEN)")
        # Opt in to PTB 23's timedelta retry_after now; otherwise every 429 warns.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        self.settings = settings
        self.db = db
        self.router = router
        self.admin_chats = tuple(admin_chats)
        self.default_language = default_language
        self.poll_timeout = poll_timeout
        self.concurrency = concurrency
        self.page_url = page_url  # the events page for the menu button (None: none)
        builder = (
            ApplicationBuilder()
            .token(settings.token.get_secret_value())
            .updater(None)  # we fetch updates ourselves, see the module docstring
            .request(
                AiohttpRequest(
                    connections=max(8, concurrency * 2),
                    read_timeout=read_timeout,
                    pool_timeout=read_timeout,
                )
            )
            .get_updates_request(AiohttpRequest(connections=1, read_timeout=read_timeout))
        )
        if settings.base_url:
            builder = builder.base_url(settings.base_url)
        file_url = settings.base_file_url
        if file_url is None and settings.base_url and settings.base_url.endswith("/bot"):
            # A Bot API server serves files under /file/bot<token>/ beside /bot<token>/.
            file_url = settings.base_url.removesuffix("/bot") + "/file/bot"
        if file_url:
            builder = builder.base_file_url(file_url)
        if rate_limit:
            # Telegram's limits: 30 messages/s overall, 20/min per group. No retries inside:
            # the outbox and the member's direct answer each retry in their own way.
            limiter: AIORateLimiter = AIORateLimiter(max_retries=0)
            builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self._bot: Bot = self.application.bot
        self.sender = Sender(self._bot, self._remember_poll)
        self.edits = EditCoalescer(self._edit_in_background)
        self._dispatch: Dispatch | None = None
        self._me: BotIdentity | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._fetch: asyncio.Task[tuple[Update, ...]] | None = None
        self._stopping = asyncio.Event()
        self._last_ok = 0.0
        self._webhook: web.AppRunner | None = None
        self._webhook_secret = ""
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    @classmethod
    def from_settings(
        cls, settings: Settings, *, db: Database, router: Router, **kwargs: object
    ) -> TelegramTransport:
        """The transport as the composition root builds it from `config.toml`."""
        return cls(
            settings.telegram,
            db=db,
            router=router,
            admin_chats=settings.admins.telegram,
            default_language=settings.network.default_language,
            page_url=mini_app_url(settings),
            **kwargs,  # type: ignore[arg-type]
        )

    def start_link(self, payload: str) -> str | None:
        """The link that opens a chat with this bot and sends `/start payload`: by the name
        getMe gave at start, else the configured `username`; None when neither is known."""
        username = self._me.username if self._me is not None else self.settings.username
        return start_link(username, payload) if username else None

    @property
    def bot(self) -> Bot:
        return self._bot

    # ---- lifecycle -----------------------------------------------------------------------

    async def start(self, dispatch: Dispatch) -> None:
        """getMe, command menus, then polling (or the webhook) in the background."""
        self._dispatch = dispatch
        self._stopping.clear()
        await self.application.initialize()
        self._me = BotIdentity(self.bot.id, self.bot.username)
        try:
            await install_menus(
                self.bot,
                self.router,
                default_language=self.default_language,
                admin_chats=self.admin_chats,
            )
        except TelegramError as error:
            log.warning("could not set the command menus: %s", error)
        if self.page_url is not None:
            try:
                await install_menu_button(
                    self.bot, self.page_url, default_language=self.default_language
                )
            except TelegramError as error:
                log.warning("could not set the menu button: %s", error)
        if self.settings.mode == "webhook":
            await self._start_webhook()
        else:
            # getUpdates refuses to work while a webhook is set (409).
            await self.bot.delete_webhook(drop_pending_updates=False)
            self._poll_task = asyncio.create_task(self._poll_forever(), name="telegram-polling")
        self._last_ok = time.monotonic()
        log.info("telegram: @%s is %s", self._me.username, self.settings.mode)

    async def stop(self) -> None:
        """Stop fetching, let the batch in hand finish, store the offset, disconnect."""
        self._stopping.set()
        if self._fetch is not None:
            self._fetch.cancel()
        if self._poll_task is not None:
            try:
                await asyncio.wait_for(self._poll_task, timeout=60)
            except TimeoutError:
                log.error("telegram: the update in hand did not finish within 60 s")
            self._poll_task = None
        if self._webhook is not None:
            await self._webhook.cleanup()
            self._webhook = None
        await self.edits.close()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()
        await self._bot.shutdown()  # its HTTP sessions, also after a start that failed half-way

    def is_alive(self) -> bool:
        if self._webhook is not None:
            return True
        if self._poll_task is None or self._poll_task.done():
            return False
        return time.monotonic() - self._last_ok < self.poll_timeout + 60

    def rate_limits(self) -> RateLimits:
        return RateLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20)

    async def direct_chat(self, user_id: str) -> str | None:
        """A user's private chat has the user's id (once they have started the bot)."""
        return user_id

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        """One delivery attempt for the outbox; errors become RETRY/UNREACHABLE/FAILED.

        A group that became a supergroup is followed to its new id (recorded, so what is queued
        later goes there directly)."""
        try:
            sent = await self.sender.deliver(chat_id, popup_as_text(reply), patient=False)
        except ChatMigrated as moved:
            new_id = str(moved.new_chat_id)
            await self._group_moved(chat_id, new_id)
            if new_id == chat_id:
                return send_result(moved)
            result = await self.send(new_id, reply)
            return replace(result, chat_id=result.chat_id or new_id)
        except TelegramError as error:
            result = send_result(error)
            log.info("telegram: send to %s: %s (%s)", chat_id, result.status, result.detail)
            return result
        except ValueError as error:  # a reply Telegram cannot show: a bug, not a retry
            log.error("telegram: cannot render reply for %s: %s", chat_id, error)
            return SendResult(SendStatus.FAILED, detail=str(error)[:300])
        return SendResult(SendStatus.SENT, message_ref=sent.ref, media_ref=sent.media_ref)

    async def fetch_file(self, attachment: IncomingAttachment, max_bytes: int) -> bytes:
        """The bytes of a photo or file a member sent (the core asks, see bot/context.py)."""
        return await fetch(self.bot, attachment, max_bytes)

    async def set_admin_menu(self, user_id: str, *, admin: bool) -> None:
        """Give (or take) the admin command menu in a user's private chat, e.g. on /promote."""
        if admin:
            await install_admin_menu(
                self.bot, self.router, int(user_id), default_language=self.default_language
            )
        else:
            await remove_admin_menu(self.bot, int(user_id))

    async def on_role_change(self, platform: str, user_id: str, is_admin: bool) -> None:
        """Called by the core when /promote or /demote changed someone's role."""
        if platform == Platform.TELEGRAM:
            await self.set_admin_menu(user_id, admin=is_admin)

    # ---- polling -------------------------------------------------------------------------

    async def _poll_forever(self) -> None:
        while True:
            try:
                offset = await self._load_offset()
                break
            except Exception:
                log.exception("telegram: cannot read the stored offset; retrying")
                await self._pause(5)
                if self._stopping.is_set():
                    return
        backoff = 1.0
        while not self._stopping.is_set():
            try:
                self._fetch = asyncio.create_task(
                    self.bot.get_updates(
                        offset=offset,
                        timeout=self.poll_timeout,
                        allowed_updates=list(ALLOWED_UPDATES),
                    )
                )
                updates = await self._fetch
            except asyncio.CancelledError:
                if self._stopping.is_set():
                    break
                raise
            except RetryAfter as error:
                await self._pause(retry_seconds(error))
                continue
            except (InvalidToken, Forbidden) as error:
                log.error("telegram: the token was refused (%s); retrying in 60 s", error)
                await self._pause(60)
                continue
            except Conflict as error:
                log.warning("telegram: another bot instance is polling (%s)", error)
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            except TelegramError as error:  # timeouts, 5xx, connection errors
                log.warning("telegram: getUpdates failed (%s); retry in %.0f s", error, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            finally:
                self._fetch = None
            backoff = 1.0
            self._last_ok = time.monotonic()
            if not updates:
                continue
            try:
                await self._handle_batch(updates)
            except Exception:
                # A bug above the single update: keep the offset, so the batch comes again and
                # what was handled is skipped as seen; the loop itself must not die.
                log.exception("telegram: a batch of updates failed")
                await self._pause(backoff)
                continue
            offset = updates[-1].update_id + 1
            await self._save_offset(offset)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the transport stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _handle_batch(self, updates: Sequence[Update]) -> None:
        """Each sender's updates in order; different senders side by side."""
        by_sender: dict[str, list[Update]] = {}
        for update in updates:
            by_sender.setdefault(sender_key(update), []).append(update)
        slots = asyncio.Semaphore(self.concurrency)

        async def run(batch: list[Update]) -> None:
            async with slots:
                for update in batch:
                    await self._handle_update(update)

        # Every sender's run ends before the batch fails: a batch fetched again must not meet
        # a run of the same update still in progress.
        results = await asyncio.gather(
            *(run(batch) for batch in by_sender.values()), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def _load_offset(self) -> int | None:
        async with self.db.session() as session:
            stored = await transport_state.get_state(session, OFFSET_KEY)
        return int(stored) if stored else None

    async def _save_offset(self, offset: int) -> None:
        try:
            async with self.db.session() as session:
                await transport_state.set_state(session, OFFSET_KEY, str(offset))
        except Exception:
            # Still safe: Telegram only learns the offset from our next getUpdates, and what
            # came before it was handled; a restart would fetch it again and skip it as seen.
            log.exception("telegram: could not store the offset %d", offset)

    # ---- one update ----------------------------------------------------------------------

    async def _handle_update(self, update: Update) -> None:
        """Hand one update to the core; a failure is retried, then logged and skipped.

        A database that cannot be reached is no reason to skip: the update is tried again
        (with backoff, attempts not counted) until the database is back, so the offset never
        moves past it. Only a stop gives up, raising, so that the offset is not stored."""
        attempt = 0
        outage = 0.0
        while True:
            try:
                await self._process(update)
                return
            except Exception as error:
                if is_connection_error(error):
                    if self._stopping.is_set():
                        raise
                    outage = min(max(outage * 2, 0.25), DB_MAX_BACKOFF)
                    log.warning(
                        "telegram: update %s waits for the database (%s); retry in %.1f s",
                        update.update_id, type(error).__name__, outage,
                    )  # fmt: skip
                    await self._pause(outage)
                    continue
                attempt += 1
                if attempt == UPDATE_ATTEMPTS:
                    log.exception("telegram: update %s failed; skipped", update.update_id)
                    return
                log.warning(
                    "telegram: update %s failed (attempt %d)", update.update_id, attempt,
                    exc_info=True,
                )  # fmt: skip
                await asyncio.sleep(0.5 * attempt)

    async def _group_moved(self, old_id: str, new_id: str) -> None:
        log.info("telegram: group %s moved to %s (now a supergroup)", old_id, new_id)
        async with self.db.session() as session:
            await chat_routes.record(session, platform=self.platform, name=old_id, chat_id=new_id)

    async def _process(self, update: Update) -> None:
        assert self._dispatch is not None and self._me is not None
        message = update.message
        if message is not None and message.migrate_to_chat_id is not None:
            await self._group_moved(str(message.chat.id), str(message.migrate_to_chat_id))
            return
        if update.callback_query is not None:
            await self._process_callback(update)
            return
        reply_to: int | None = None
        if update.poll_answer is not None:
            incoming = await self._poll_vote(update)
        else:
            incoming = from_message(update, self._me)
            if incoming is not None and not incoming.is_private and update.message is not None:
                reply_to = update.message.message_id  # threads the answer in a busy group
        if incoming is None:
            return
        chat_id = incoming.chat_id

        async def respond(reply: Reply) -> str | None:
            return await self._answer(chat_id, popup_as_text(reply), reply_to=reply_to)

        await self._dispatch(incoming, respond)

    async def _process_callback(self, update: Update) -> None:
        """Button presses: always answered, with the handler's popup as an alert."""
        assert self._dispatch is not None and update.callback_query is not None
        query = update.callback_query
        incoming = from_callback(update, query)
        answered = False

        async def respond(reply: Reply) -> str | None:
            nonlocal answered
            if reply.popup and not answered:
                answered = await self._answer_query(query.id, reply.popup)
            if not (reply.text or reply.poll or reply.attachment or reply.edit_ref):
                return None
            assert incoming is not None
            return await self._answer(incoming.chat_id, reply)

        try:
            if incoming is not None:
                await self._dispatch(incoming, respond)
        finally:
            if not answered:
                await self._answer_query(query.id, None)

    async def _answer_query(self, query_id: str, popup: str | None) -> bool:
        text = shorten(plain_text(popup), MAX_POPUP) if popup else None
        try:
            await self.bot.answer_callback_query(query_id, text=text, show_alert=bool(text))
        except TelegramError as error:
            # Too old (over 15 minutes) or already answered: nothing the member would see.
            log.info("telegram: callback %s not answered: %s", query_id, error)
        return True

    async def _answer(
        self, chat_id: str, reply: Reply, *, reply_to: int | None = None
    ) -> str | None:
        """A direct answer in a conversation: transient errors retried, a block tolerated."""
        if reply.edit_ref and is_group(chat_id) and reply.poll is None and reply.attachment is None:
            return self.edits.submit(reply)  # coalesced, see telegram_edits
        try:
            sent = await self.sender.deliver(chat_id, reply, patient=True, reply_to=reply_to)
            return sent.ref
        except Forbidden as error:
            log.info("telegram: chat %s cannot be reached: %s", chat_id, error)
            return None

    async def _edit_in_background(self, reply: Reply) -> None:
        target = parse_ref(reply.edit_ref or "")
        assert target is not None
        try:
            await self.sender.deliver(target[0], reply, patient=True)
        except Forbidden as error:
            log.info("telegram: cannot edit in chat %s: %s", target[0], error)

    # ---- polls ---------------------------------------------------------------------------

    async def _remember_poll(self, poll_id: str, poll: Poll, chat_id: str, private: bool) -> None:
        value = json.dumps({"key": poll.poll_key, "chat": chat_id, "private": private})
        async with self.db.session() as session:
            await transport_state.set_state(session, POLL_KEY_PREFIX + poll_id, value)

    async def _poll_vote(self, update: Update) -> Incoming | None:
        answer = update.poll_answer
        assert answer is not None
        async with self.db.session() as session:
            stored = await transport_state.get_state(session, POLL_KEY_PREFIX + answer.poll_id)
        if stored is None:
            log.info("telegram: vote on unknown poll %s ignored", answer.poll_id)
            return None
        known = json.loads(stored)
        return from_poll_answer(
            update, poll_key=known["key"], chat_id=known["chat"], private=known["private"]
        )

    # ---- webhook -------------------------------------------------------------------------

    async def _start_webhook(self) -> None:
        url = self.settings.webhook_url
        if not url:
            raise ValueError("telegram mode 'webhook' needs telegram.webhook_url")
        secret = self.settings.webhook_secret
        # Telegram echoes the secret in every POST; without a configured one, a fresh one
        # per start keeps strangers from posting forged updates.
        self._webhook_secret = secret.get_secret_value() if secret else secrets.token_urlsafe(32)
        app = web.Application()
        app.router.add_post(urlsplit(url).path or "/", self._on_webhook)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=30)
        await runner.setup()
        site = web.TCPSite(runner, self.settings.webhook_listen, self.settings.webhook_port)
        await site.start()
        self._webhook = runner
        await self.bot.set_webhook(
            url,
            secret_token=self._webhook_secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
        )

    async def _on_webhook(self, request: web.Request) -> web.Response:
        """Answer 200 only once the update was handled: Telegram redelivers otherwise."""
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), self._webhook_secret.encode()):
            return web.Response(status=403)
        try:
            update = Update.de_json(await request.json(), self.bot)
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400)
        key = sender_key(update)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            await self._handle_update(update)
        self._last_ok = time.monotonic()
        return web.Response(status=200)
