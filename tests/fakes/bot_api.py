"""A local Telegram Bot API server for tests and benchmarks.

The real python-telegram-bot `Application` talks HTTP to it through
``ApplicationBuilder().base_url(fake.base_url)``. It keeps updates until they are confirmed by a
higher `getUpdates` offset (as Telegram does), records every call, and injects faults: 429 with
retry_after, 5xx, slow answers, and 403 for chats that blocked the bot.

    async with FakeBotApi() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
        fake.private_message(42, "/start")
        ...
        await fake.wait_for("sendMessage", chat_id=42)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from tests.fakes import tg_objects as tg
from tests.fakes.faults import Fault, FaultPlan, Limits, RateLimiter
from tests.fakes.tg_objects import JSON, ApiError, bad_request

# How long a test waits for the bot's call by default: it returns as soon as the call comes,
# so the bound only matters when it never does (5 s was short beside other test runs).
WAIT_SECONDS = 30.0

# Bot API limits for files: a bot downloads at most 20 MB, uploads photos up to 10 MB and
# other files up to 50 MB.
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
MAX_DOCUMENT_UPLOAD = 50 * 1024 * 1024

# PTB sends string values raw and everything else as JSON; these are the string-typed ones,
# which must not be JSON-decoded (a text "42" stays a text).
_STRING_PARAMS = frozenset(
    {
        "text", "caption", "parse_mode", "question", "callback_query_id", "inline_message_id",
        "url", "secret_token", "language_code", "explanation", "explanation_parse_mode",
        "question_parse_mode", "business_connection_id", "message_effect_id", "poll_id",
        "description", "description_parse_mode", "ip_address", "action", "photo", "document",
        "file_id",
    }
)  # fmt: skip


@dataclass(slots=True)
class Call:
    """One request the fake received; `status` and `result` are filled in when answered."""

    method: str
    params: JSON
    files: dict[str, tuple[str, bytes, str]]
    at: float
    status: int = 0
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200


Handler = Callable[[JSON, dict[str, tuple[str, bytes, str]]], Any]


@dataclass
class _Waiter:
    predicate: Callable[[Call], bool]
    count: int
    future: asyncio.Future[list[Call]]
    seen: list[Call] = field(default_factory=list)


class FakeBotApi:
    """The fake server and its state; all methods run on the event loop that started it."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "rewimet_test_bot",
        first_update_id: int = 1000,
    ) -> None:
        self.token = token
        self.bot_user = tg.user(
            int(token.split(":")[0]), "REWIMET", username=bot_username, is_bot=True,
            language_code=None,
        )  # fmt: skip
        self.calls: list[Call] = []
        self.faults = FaultPlan()
        self.blocked: set[str] = set()
        self.migrated: dict[str, int] = {}  # old group id -> its supergroup's id
        self.chats: dict[str, JSON] = {}
        self.messages: dict[tuple[str, int], JSON] = {}
        self.polls: dict[str, JSON] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.callback_queries: dict[str, JSON] = {}
        self.answered_callbacks: dict[str, JSON] = {}
        self.webhook: JSON = {}
        # Every file the fake knows by file_id (sent by users or uploaded by the bot):
        # (file name, bytes, mime type); `getFile` and the file URL serve them.
        self.files: dict[str, tuple[str, bytes, str]] = {}
        self._file_paths: dict[str, str] = {}
        self.confirmed_offset = 0
        self._limiter: RateLimiter | None = None
        self._updates: deque[JSON] = deque()
        self._update_ids = itertools.count(first_update_id)
        self._message_ids: dict[str, itertools.count[int]] = {}
        self._ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._closing = False
        self._poll_generation = 0
        self._waiters: list[_Waiter] = []
        self._drained: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self.port = 0
        self._handlers: dict[str, Handler] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "logOut": lambda p, f: True,
                "close": lambda p, f: True,
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "getFile": self._get_file,
                "sendPoll": self._send_poll,
                "stopPoll": self._stop_poll,
                "sendChatAction": lambda p, f: True,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getChat": self._get_chat,
            }.items()
        }

    # ---- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to pass to ``ApplicationBuilder().base_url``."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Where files are downloaded (``ApplicationBuilder().base_file_url``)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self, *, port: int = 0, control: bool = False) -> None:
        """Listen on 127.0.0.1 (`port` 0: a free one); `control` adds the /_fake/ HTTP API
        that a test in another process uses (see tests/fakes/bot_api_process.py)."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._serve)
        app.router.add_get("/file/bot{token}/{path:.+}", self._serve_file)
        if control:
            from tests.fakes.bot_api_process import add_control_routes

            add_control_routes(app, self)
        # access_log=None: logging every request costs more than the request at 1,000/s.
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port, backlog=1024)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            await asyncio.gather(self._webhook_task, return_exceptions=True)
            self._webhook_task = None
        self._closing = True
        self._new_update.set()  # release long polls so the server can close
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # ---- faults --------------------------------------------------------------------------

    def fail_next(self, count: int, *faults: Fault, methods: Collection[str] | None = None) -> None:
        """The next `count` calls (default: sending methods) get these faults, cycled."""
        self.faults.next(count, *faults, methods=methods)

    def fail_share(
        self,
        share: float,
        *faults: Fault,
        methods: Collection[str] | None = None,
        seed: int | None = None,
    ) -> None:
        """A random share (0..1) of calls (default: sending methods) gets one of the faults."""
        self.faults.share(share, *faults, methods=methods, seed=seed)

    def block(self, chat_id: int | str) -> None:
        """This user blocked the bot: every call aimed at the chat answers 403."""
        self.blocked.add(str(chat_id))

    def migrate(self, old_id: int, new_id: int, title: str = "Group") -> None:
        """The group became a supergroup: calls aimed at the old id answer 400 with its new id."""
        self.migrated[str(old_id)] = new_id
        self.chats[str(new_id)] = {"id": new_id, "type": "supergroup", "title": title}

    def set_limits(
        self, limits: Limits | None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Enforce flood control like Telegram's (429 with retry_after when exceeded); the
        buckets refill as `clock` goes on."""
        self._limiter = RateLimiter(limits, clock) if limits else None

    # ---- queueing updates ----------------------------------------------------------------

    def queue_update(self, body: JSON) -> JSON:
        """Queue any update body (without update_id); returns the full update."""
        update = {"update_id": next(self._update_ids), **body}
        self._updates.append(update)
        self._new_update.set()
        return update

    def private_message(
        self, user_id: int, text: str, *, first_name: str = "Test", language_code: str = "de",
        username: str | None = None,
    ) -> JSON:  # fmt: skip
        """A private message from a user; /commands and @mentions get entities."""
        sender = tg.user(user_id, first_name, username=username, language_code=language_code)
        return self._queue_message(tg.private_chat(sender), sender, text)

    def private_photo(
        self, user_id: int, content: bytes, *, caption: str = "", first_name: str = "Test",
        language_code: str = "de",
    ) -> JSON:  # fmt: skip
        """A photo from a user, as Telegram delivers it: sizes from a thumbnail up, a caption."""
        sender = tg.user(user_id, first_name, language_code=language_code)
        full = self._keep_file("photo.jpg", content, "image/jpeg")
        thumbnail = self._keep_file("thumb.jpg", content[:64], "image/jpeg")
        sizes = [
            tg.photo_size(thumbnail, 90, 60, 64 if len(content) > 64 else len(content)),
            tg.photo_size(full, 1280, 853, len(content)),
        ]
        return self._queue_message(tg.private_chat(sender), sender, caption, media={"photo": sizes})

    def private_document(
        self, user_id: int, content: bytes, file_name: str, mime_type: str, *, caption: str = "",
        first_name: str = "Test", language_code: str = "de", kind: str = "document",
    ) -> JSON:  # fmt: skip
        """A file from a user (`kind` "video", "audio", "voice"... for other media)."""
        sender = tg.user(user_id, first_name, language_code=language_code)
        file_id = self._keep_file(file_name, content, mime_type)
        media: JSON = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        if kind == "video":
            media.update(width=640, height=360, duration=3)
        elif kind in ("audio", "voice"):
            media.update(duration=3)
        return self._queue_message(tg.private_chat(sender), sender, caption, media={kind: media})

    def _keep_file(self, name: str, content: bytes, mime_type: str) -> str:
        file_id = f"F{next(self._ids)}x{len(self.files)}"
        self.files[file_id] = (name, content, mime_type)
        return file_id

    def uploads(self, method: str) -> list[Call]:
        """Successful sendPhoto/sendDocument calls that carried the bytes (not a file id)."""
        field = "photo" if method == "sendPhoto" else "document"
        return [c for c in self.calls_to(method, ok=True) if field in c.files]

    def group_message(
        self, chat_id: int, user_id: int, text: str, *, first_name: str = "Test",
        language_code: str = "de", title: str = "Group",
    ) -> JSON:  # fmt: skip
        sender = tg.user(user_id, first_name, language_code=language_code)
        chat = self.chats.setdefault(str(chat_id), tg.group_chat(chat_id, title))
        return self._queue_message(chat, sender, text)

    def callback_query(
        self, user_id: int, message: JSON, data: str, *, first_name: str = "Test",
        language_code: str = "de",
    ) -> JSON:  # fmt: skip
        """A press on an inline button of `message` (one the bot sent: see `last_message`)."""
        query_id = str(next(self._ids) + 9_000_000)
        chat_instance = str(abs(hash(str(message["chat"]["id"]))))
        query: JSON = {
            "id": query_id,
            "from": tg.user(user_id, first_name, language_code=language_code),
            "message": message,
            "chat_instance": chat_instance,
            "data": data,
        }
        self.callback_queries[query_id] = query
        return self.queue_update({"callback_query": query})

    def press(self, user_id: int, message: JSON, label: str, **kwargs: Any) -> JSON:
        """Press the inline button labelled `label` (exact or substring) on `message`."""
        return self.callback_query(user_id, message, button_data(message, label), **kwargs)

    def poll_answer(
        self, poll_id: str, user_id: int, option_ids: list[int], *, first_name: str = "Test"
    ) -> JSON:
        poll = self.polls.get(poll_id)
        persistent = [poll["options"][i]["persistent_id"] for i in option_ids] if poll else []
        return self.queue_update(
            {
                "poll_answer": {
                    "poll_id": poll_id,
                    "user": tg.user(user_id, first_name),
                    "option_ids": option_ids,
                    "option_persistent_ids": persistent,
                }
            }
        )

    def _queue_message(
        self, chat: JSON, sender: JSON, text: str, *, media: JSON | None = None
    ) -> JSON:
        chat_id = str(chat["id"])
        message: JSON = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
        }
        field = "caption" if media else "text"
        if text or not media:
            message[field] = text
        entities = tg.entities_for(text)
        if entities:
            message[f"{field}_entities" if media else "entities"] = entities
        message.update(media or {})
        return self.queue_update({"message": message})

    # ---- inspecting ----------------------------------------------------------------------

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates not yet confirmed by the bot."""
        return [u for u in self._updates if u["update_id"] >= self.confirmed_offset]

    def calls_to(self, method: str, *, ok: bool | None = None, **params: Any) -> list[Call]:
        """Recorded calls of `method` whose params match (chat_id compared as text)."""
        wanted = _matcher(method, ok, params)
        return [c for c in self.calls if wanted(c)]

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """Texts of successful sendMessage calls (to one chat, if given)."""
        params = {} if chat_id is None else {"chat_id": chat_id}
        return [c.params["text"] for c in self.calls_to("sendMessage", ok=True, **params)]

    def last_message(self, chat_id: int | str) -> JSON:
        """The newest message the bot sent (or edited) in a chat, as Telegram stores it."""
        key = str(chat_id)
        for (chat, _), message in reversed(self.messages.items()):
            if chat == key:
                return message
        raise KeyError(f"no message to chat {chat_id}")

    def unanswered_callbacks(self) -> list[str]:
        return [q for q in self.callback_queries if q not in self.answered_callbacks]

    async def wait_for(
        self,
        method: str,
        *,
        count: int = 1,
        within: float = WAIT_SECONDS,
        ok: bool | None = True,
        **params: Any,
    ) -> list[Call]:
        """The first `count` answered calls of `method` matching params (`ok`: succeeded),
        waiting up to `within` seconds for them; calls recorded earlier count too."""
        wanted = _matcher(method, ok, params)
        done = [c for c in self.calls if wanted(c) and c.status]
        if len(done) >= count:
            return done[:count]
        loop = asyncio.get_running_loop()
        waiter = _Waiter(wanted, count, loop.create_future(), done)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, within)
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    async def wait_confirmed(self, within: float = WAIT_SECONDS) -> None:
        """Wait until the bot confirmed every queued update (asked with a higher offset)."""
        if not self._updates:
            return
        drained = asyncio.get_running_loop().create_future()
        self._drained.append(drained)
        await asyncio.wait_for(drained, within)

    # ---- HTTP ----------------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _answer(ApiError(401, "Unauthorized").to_json(), 401)
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method, params, files, time.monotonic())
        self.calls.append(call)
        try:
            result = await self._dispatch(method.lower(), params, files)
        except ApiError as err:
            call.status = err.code
            self._notify(call)
            return _answer(err.to_json(), err.code)
        call.status = 200
        call.result = result
        self._notify(call)
        return _answer({"ok": True, "result": result}, 200)

    async def _dispatch(
        self, method: str, params: JSON, files: dict[str, tuple[str, bytes, str]]
    ) -> Any:
        if method == "getupdates":
            # Faults reach getUpdates only when a rule names it explicitly.
            fault = self.faults.pick(method)
            if fault is not None:
                await self._apply(fault)
            return await self._get_updates(params)
        handler = self._handlers.get(method)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        chat_id = params.get("chat_id")
        if chat_id is None and method == "answercallbackquery":
            query = self.callback_queries.get(str(params.get("callback_query_id")))
            chat_id = query["message"]["chat"]["id"] if query else None
        if chat_id is not None and str(chat_id) in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id is not None and str(chat_id) in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=self.migrated[str(chat_id)],
            )
        fault = self.faults.pick(method)
        if fault is not None:
            await self._apply(fault)
        if self._limiter is not None and method.startswith(("send", "edit", "copy", "forward")):
            key = None if chat_id is None else str(chat_id)
            self._limiter.check(key, key is not None and tg.chat_kind(key) != "private")
        return handler(params, files)

    @staticmethod
    async def _apply(fault: Fault) -> None:
        if fault.delay:
            await asyncio.sleep(fault.delay)
        error = fault.error()
        if error is not None:
            raise error

    def _notify(self, call: Call) -> None:
        if not self._waiters:
            return
        for waiter in list(self._waiters):
            if waiter.predicate(call):
                waiter.seen.append(call)
                if len(waiter.seen) >= waiter.count and not waiter.future.done():
                    waiter.future.set_result(waiter.seen[: waiter.count])
                    self._waiters.remove(waiter)

    # ---- methods -------------------------------------------------------------------------

    def _get_me(self, params: JSON, files: object) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        if offset > 0:
            self._confirm(offset)
        elif offset < 0:
            # Negative offsets count from the end and confirm everything before them.
            keep = list(self._updates)[offset:]
            if keep:
                self._confirm(keep[0]["update_id"])
        # A newer getUpdates ends an older one with 409, as on Telegram (two bot instances).
        self._poll_generation += 1
        generation = self._poll_generation
        self._new_update.set()  # wakes an older long poll, which then sees it was replaced
        deadline = time.monotonic() + timeout
        while not self._updates:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._closing:
                return []
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                return []
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
        return list(itertools.islice(self._updates, limit))

    def _confirm(self, offset: int) -> None:
        self.confirmed_offset = max(self.confirmed_offset, offset)
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()
        if not self._updates and self._drained:
            for drained in self._drained:
                if not drained.done():
                    drained.set_result(None)
            self._drained.clear()

    def _delete_webhook(self, params: JSON, files: object) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {}
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            self._webhook_task = None
        return True

    def _set_webhook(self, params: JSON, files: object) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return self._delete_webhook(params, files)
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        if self._webhook_task is None:
            self._webhook_task = asyncio.get_running_loop().create_task(self._push_webhook())
        return True

    def _get_webhook_info(self, params: JSON, files: object) -> JSON:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _push_webhook(self) -> None:
        """POST each queued update to the webhook; an update is confirmed by a 2xx answer."""
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while self.webhook.get("url"):
                if not self._updates:
                    self._new_update.clear()
                    await self._new_update.wait()
                    continue
                update = self._updates[0]
                headers = {}
                if self.webhook.get("secret_token"):
                    headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
                try:
                    async with session.post(
                        self.webhook["url"], json=update, headers=headers
                    ) as response:
                        delivered = 200 <= response.status < 300
                except (OSError, TimeoutError):
                    delivered = False
                if delivered:
                    self._confirm(update["update_id"] + 1)
                else:
                    await asyncio.sleep(0.2)

    def _send_message(self, params: JSON, files: object) -> JSON:
        text = tg.check_text(params.get("text"), params.get("parse_mode"))
        tg.check_reply_markup(params.get("reply_markup"))
        return self._store_message(params, {"text": text})

    def _send_document(self, params: JSON, files: dict[str, tuple[str, bytes, str]]) -> JSON:
        name, content, mime = self._media(params, files, "document", MAX_DOCUMENT_UPLOAD)
        self._check_caption(params)
        file_id = self._keep_file(name, content, mime)
        document = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_name": name,
            "mime_type": mime,
            "file_size": len(content),
        }
        extra: JSON = {"document": document}
        if params.get("caption"):
            extra["caption"] = params["caption"]
        return self._store_message(params, extra)

    def _send_photo(self, params: JSON, files: dict[str, tuple[str, bytes, str]]) -> JSON:
        name, content, mime = self._media(params, files, "photo", MAX_PHOTO_UPLOAD)
        if not mime.startswith("image/") and "photo" in files:
            raise bad_request("IMAGE_PROCESS_FAILED")
        self._check_caption(params)
        # Telegram re-encodes a photo and answers with the sizes it made, the largest last.
        full = self._keep_file(name, content, "image/jpeg")
        extra: JSON = {"photo": [tg.photo_size(full, 1280, 853, len(content))]}
        if params.get("caption"):
            extra["caption"] = params["caption"]
        return self._store_message(params, extra)

    def _media(
        self, params: JSON, files: dict[str, tuple[str, bytes, str]], field: str, limit: int
    ) -> tuple[str, bytes, str]:
        """An uploaded file (at most `limit` bytes), or one sent before, named by its file_id."""
        upload = files.get(field)
        if upload is not None:
            if len(upload[1]) > limit:
                raise ApiError(413, "Request Entity Too Large")
            if not upload[1]:
                raise bad_request("file must be non-empty")
            return upload
        file_id = params.get(field)
        if not isinstance(file_id, str) or not file_id:
            raise bad_request(f"there is no {field} in the request")
        known = self.files.get(file_id)
        if known is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return known

    def _check_caption(self, params: JSON) -> None:
        tg.check_reply_markup(params.get("reply_markup"))
        if params.get("caption"):
            tg.check_text(
                params["caption"], params.get("parse_mode"), tg.MAX_CAPTION, what="caption"
            )

    def _get_file(self, params: JSON, files: object) -> JSON:
        file_id = str(params.get("file_id") or "")
        known = self.files.get(file_id)
        if known is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        name, content, _mime = known
        if len(content) > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        path = self._file_paths.setdefault(file_id, f"files/{file_id}/{name}")
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": len(content),
            "file_path": path,
        }

    async def _serve_file(self, request: web.Request) -> web.Response:
        """A file download, as `getFile`'s file_path names it."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.calls.append(Call("downloadFile", {"path": path}, {}, time.monotonic(), 200))
        for file_id, known in self._file_paths.items():
            if known == path:
                return web.Response(body=self.files[file_id][1])
        return web.Response(status=404)

    def _send_poll(self, params: JSON, files: object) -> JSON:
        question = str(params.get("question") or "")
        if not question or len(question) > tg.MAX_POLL_QUESTION:
            raise bad_request("POLL_QUESTION_INVALID")
        texts = tg.poll_options(params.get("options"))
        poll_id = str(5_000_000_000 + next(self._ids))
        poll: JSON = {
            "id": poll_id,
            "question": question,
            "options": [
                {"text": t, "voter_count": 0, "persistent_id": f"{poll_id}-{i}"}
                for i, t in enumerate(texts)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": bool(params.get("is_anonymous", True)),
            "type": params.get("type") or "regular",
            "allows_multiple_answers": bool(params.get("allows_multiple_answers", False)),
            "allows_revoting": True,
            "members_only": False,
        }
        self.polls[poll_id] = poll
        return self._store_message(params, {"poll": poll})

    def _stop_poll(self, params: JSON, files: object) -> JSON:
        message = self._find_message(params)
        poll = message.get("poll")
        if poll is None:
            raise bad_request("message with poll to stop not found")
        if poll["is_closed"]:
            raise bad_request("poll has already been closed")
        poll["is_closed"] = True
        return dict(poll)

    def _store_message(self, params: JSON, content: JSON) -> JSON:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        key = str(chat_id)
        chat = self.chats.get(key)
        if chat is None:
            kind = tg.chat_kind(chat_id)
            chat = {"id": chat_id if kind == "channel" else int(chat_id), "type": kind}
        message: JSON = {
            "message_id": self._next_message_id(key),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.messages[(key, message["message_id"])] = message
        return message

    def _next_message_id(self, chat_id: str) -> int:
        counter = self._message_ids.get(chat_id)
        if counter is None:
            counter = self._message_ids[chat_id] = itertools.count(1)
        return next(counter)

    def _find_message(self, params: JSON) -> JSON:
        if params.get("inline_message_id"):
            raise bad_request("inline messages are not supported by the fake")
        key = (str(params.get("chat_id")), int(params.get("message_id") or 0))
        message = self.messages.get(key)
        if message is None:
            raise bad_request("message to edit not found")
        return message

    def _edit_message_text(self, params: JSON, files: object) -> JSON:
        message = self._find_message(params)
        text = tg.check_text(params.get("text"), params.get("parse_mode"))
        markup = params.get("reply_markup")
        tg.check_reply_markup(markup)
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        message["text"] = text
        message["edit_date"] = int(time.time())
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _edit_reply_markup(self, params: JSON, files: object) -> JSON:
        message = self._find_message(params)
        markup = params.get("reply_markup")
        tg.check_reply_markup(markup)
        if message.get("reply_markup") == markup:
            raise bad_request("message is not modified")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _delete_message(self, params: JSON, files: object) -> bool:
        key = (str(params.get("chat_id")), int(params.get("message_id") or 0))
        if self.messages.pop(key, None) is None:
            raise bad_request("message to delete not found")
        return True

    def _answer_callback_query(self, params: JSON, files: object) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.callback_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        if len(str(params.get("text") or "")) > tg.MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        if query_id in self.answered_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self.answered_callbacks[query_id] = params
        return True

    def _set_my_commands(self, params: JSON, files: object) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_scope_key(params)] = commands
        return True

    def _get_my_commands(self, params: JSON, files: object) -> list[JSON]:
        return self.commands.get(_scope_key(params), [])

    def _delete_my_commands(self, params: JSON, files: object) -> bool:
        self.commands.pop(_scope_key(params), None)
        return True

    def _get_chat(self, params: JSON, files: object) -> JSON:
        chat_id = params.get("chat_id")
        chat = self.chats.get(str(chat_id))
        if chat is None:
            kind = tg.chat_kind(str(chat_id))
            if kind != "private":
                raise bad_request("chat not found")
            chat = {"id": int(str(chat_id)), "type": "private", "first_name": "Test"}
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }


def button_data(message: JSON, label: str) -> str:
    """The callback_data of the inline button whose label equals or contains `label`."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    buttons = [b for row in rows for b in row]
    for button in buttons:
        if button["text"] == label:
            return str(button["callback_data"])
    for button in buttons:
        if label in button["text"]:
            return str(button["callback_data"])
    labels = [b["text"] for b in buttons]
    raise KeyError(f"no button {label!r} in {labels}")


def _scope_key(params: JSON) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")


def _matcher(method: str, ok: bool | None, params: JSON) -> Callable[[Call], bool]:
    lowered = method.lower()
    wanted = {k: str(v) for k, v in params.items()}

    def match(call: Call) -> bool:
        if call.method.lower() != lowered:
            return False
        if ok is not None and call.status and call.ok != ok:
            return False
        return all(str(call.params.get(k)) == v for k, v in wanted.items())

    return match


async def _read_params(
    request: web.Request,
) -> tuple[JSON, dict[str, tuple[str, bytes, str]]]:
    params: JSON = {}
    files: dict[str, tuple[str, bytes, str]] = {}
    if request.content_type == "application/json":
        body = await request.json()
        params.update(body if isinstance(body, dict) else {})
        return params, files
    form = await request.post() if request.can_read_body else request.query
    for name, value in form.items():
        if isinstance(value, web.FileField):
            files[name] = (value.filename, value.file.read(), value.content_type)
        elif isinstance(value, bytes | bytearray):
            files[name] = (name, bytes(value), "application/octet-stream")
        else:
            params[name] = _decode(name, value)
    for name, value in request.query.items():
        params.setdefault(name, _decode(name, value))
    return params, files


def _decode(name: str, value: str) -> Any:
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _answer(body: JSON, status: int) -> web.Response:
    return web.Response(body=json.dumps(body), status=status, content_type="application/json")
