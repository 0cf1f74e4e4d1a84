"""The bot on Matrix: matrix-nio with end-to-end encryption, an own sync loop, polls and choices.

What survives a restart and where:
- the session (user id, device id, access token) next to the device's encryption store under
  `store_path` (see `matrix_session`);
- the sync token in the state store (the database), written only after every event of a sync
  batch was handed to `dispatch`; the dispatcher records handled event ids, so a crash between the
  two replays the batch and the dispatcher drops what it had already handled;
- pending numbered choices, the polls the bot sent, and encrypted events still waiting for their
  room key, also in the state store.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    ErrorResponse,
    Event,
    InviteMemberEvent,
    JoinError,
    LocalProtocolError,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RoomCreateResponse,
    RoomEncryptedMedia,
    RoomMemberEvent,
    RoomMessageMedia,
    RoomMessagesResponse,
    RoomMessageText,
    RoomPreset,
    RoomResolveAliasError,
    RoomResolveAliasResponse,
    RoomSendResponse,
    RoomUpgradeEvent,
    SyncError,
    SyncResponse,
    UnknownEvent,
)
from nio.exceptions import EncryptionError, OlmUnverifiedDeviceError, SendRetryError

from bot.messages import (
    KEEPS_CHOICES,
    STARTS_CHOICES,
    TYPED,
    Attachment,
    Button,
    Incoming,
    IncomingAttachment,
    Platform,
    Poll,
    PollVote,
    Reply,
    delivery_takes_choices,
    item_choice,
    typed_label,
)
from bot.transports.base import Dispatch, RateLimits, SendResult, SendStatus
from bot.transports.matrix_files import MediaUploads, UploadFailed, fetch, incoming_attachment
from bot.transports.matrix_format import (
    KEYCAPS,
    POLL_END_TYPES,
    POLL_RESPONSE_TYPES,
    as_command,
    choices_markup,
    edit_content,
    keycap_index,
    lettered_choices,
    mention_of,
    parse_choice,
    parse_poll_end,
    parse_poll_response,
    poll_start_content,
    strip_reply_fallback,
    text_content,
)
from bot.transports.matrix_memory import Choices, MatrixMemory, SentPoll, StateStore
from bot.transports.matrix_session import MatrixOptions, MatrixSession, TrustPolicy

log = logging.getLogger(__name__)

__all__ = ["KEY_SYNC_TOKEN", "MatrixOptions", "MatrixTransport", "StateStore", "TrustPolicy"]

KEY_SYNC_TOKEN = "matrix:next_batch"
KEY_FIRST_START = "matrix:first_start_ms"
KEY_UNDECRYPTED = "matrix:undecrypted"
_MAX_UNDECRYPTED = 500
_UNDECRYPTED_TTL_MS = 24 * 3600 * 1000
_ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@dataclass
class _RoomBatch:
    room_id: str
    events: list[Event] = field(default_factory=list)


@dataclass
class _Answer:
    """The replies to one message of a member so far: the choices they listed (numbered on
    from one reply to the next, as the console does), None before the first."""

    choices: Choices | None = None


class MatrixTransport:
    """The `Transport` for Matrix."""

    platform = Platform.MATRIX

    def __init__(
        self,
        options: MatrixOptions,
        state: StateStore,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.options = options
        self.state = state
        self._clock = clock
        self._client: AsyncClient | None = None
        self._dispatch: Dispatch | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._alive = False
        self._last_sync_ok = 0.0
        self._token: str | None = None
        self._first_start_ms = 0
        self._keys_lock = asyncio.Lock()
        self._memory = MatrixMemory(state)
        self._session = MatrixSession(options, self._keys_lock)
        self.uploads = MediaUploads()
        self._last_vote_ts: dict[tuple[str, str], int] = {}
        self._undecrypted: list[tuple[str, dict[str, Any]]] = []
        self._room_waiters: dict[str, asyncio.Event] = {}
        self._direct_rooms: dict[str, str] = {}  # room id -> the other member
        self._config_room_ids: set[str] = set()
        self._aliases: dict[str, str] = {}  # configured alias -> the room id it names now
        self._moved: dict[str, str] = {}  # upgraded room -> its replacement (m.room.tombstone)
        self._joining: set[str] = set()  # joined, not yet seen in a sync

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def client(self) -> AsyncClient:
        if self._client is None:
            raise RuntimeError("MatrixTransport is not started")
        return self._client

    @property
    def user_id(self) -> str:
        return self.options.user_id

    async def start(self, dispatch: Dispatch) -> None:
        """Log in (restoring the stored device), catch up, and start the sync loop."""
        self._dispatch = dispatch
        self._stopping.clear()
        try:
            await self._connect()
        except BaseException:
            # The app tries again later (homeserver down at start): with a fresh client.
            if self._client is not None:
                await self._client.close()
                self._client = None
            raise
        self._task = asyncio.create_task(self._sync_loop(), name="matrix-sync")

    async def _connect(self) -> None:
        await asyncio.to_thread(self.options.store_path.mkdir, parents=True, exist_ok=True)
        self._client = await self._session.login()
        if self.options.encryption and self.client.should_upload_keys:
            await self._checked(self.client.keys_upload(), "keys_upload")
        self._token = await self.state.get(KEY_SYNC_TOKEN)
        first = await self.state.get(KEY_FIRST_START)
        if first is None:
            self._first_start_ms = int(self._clock() * 1000)
            await self.state.set(KEY_FIRST_START, str(self._first_start_ms))
        else:
            self._first_start_ms = int(first)
        raw = await self.state.get(KEY_UNDECRYPTED)
        self._undecrypted = [(r, e) for r, e in json.loads(raw)] if raw else []
        # The first sync carries the full state (nio keeps rooms in memory only); without a stored
        # token it is the bot's very first start and its timelines are history: not dispatched.
        await self._resolve_configured_rooms()
        for other, room_ids in (await self._m_direct()).items():
            for room_id in room_ids:
                self._direct_rooms[room_id] = other
        await self._sync_once(full_state=True, catch_up=self._token is not None)
        await self._join_configured_rooms()

    async def stop(self) -> None:
        """Stop syncing after the batch in hand and close the connection."""
        self._stopping.set()
        if self._task is not None:
            task, self._task = self._task, None
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._client is not None:
            await self._client.close()
            self._client = None
        self._alive = False

    def is_alive(self) -> bool:
        if not self._alive:
            return False
        grace = self.options.sync_timeout_ms / 1000 * 2 + 30
        return time.monotonic() - self._last_sync_ok < grace

    def rate_limits(self) -> RateLimits:
        rate = self.options.messages_per_second
        return RateLimits(per_second=rate, per_chat_per_second=rate, per_group_per_minute=0)

    # --- login -----------------------------------------------------------------------------

    # --- sync ------------------------------------------------------------------------------

    def _sync_filter(self) -> dict[str, Any]:
        return {
            "room": {
                "timeline": {"limit": self.options.timeline_limit},
                "state": {"lazy_load_members": False},
            },
            "presence": {"not_types": ["*"]},
        }

    async def _sync_loop(self) -> None:
        backoff = 1.0
        while not self._stopping.is_set():
            try:
                await self._sync_once(full_state=False, catch_up=True)
                backoff = 1.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop must survive anything, and say so
                self._alive = False
                if isinstance(exc, _SyncFailed) and exc.retry_after:
                    delay = exc.retry_after
                else:
                    delay = backoff
                    backoff = min(backoff * 2, 60.0)
                log.warning("matrix sync failed (%s); retrying in %.1f s", exc, delay)
                if isinstance(exc, _SyncFailed) and exc.code == "M_UNKNOWN_TOKEN":
                    await self._session.relogin(self.client)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), delay)

    async def _sync_once(self, *, full_state: bool, catch_up: bool) -> None:
        client = self.client
        # nio ignores a response whose token it has seen; after a failed batch we sync again
        # from the last finished token, so make nio process it again.
        client.next_batch = self._token
        sync = asyncio.ensure_future(
            client.sync(
                timeout=0 if full_state else self.options.sync_timeout_ms,
                sync_filter=self._sync_filter(),
                since=self._token,
                full_state=full_state,
            )
        )
        stop = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({sync, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not sync.done():
            sync.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sync
            return
        resp = sync.result()
        if isinstance(resp, SyncError):
            retry = resp.retry_after_ms / 1000 if resp.retry_after_ms else None
            raise _SyncFailed(str(resp), retry, resp.status_code)
        if not isinstance(resp, SyncResponse):
            raise _SyncFailed(f"unexpected sync response {resp!r}", None)
        self._alive = True
        self._last_sync_ok = time.monotonic()
        await self._update_keys()
        await self._handle_invites(resp)
        await self._follow_upgrades(resp)
        await self._handle_leaves(resp)
        await self._retry_undecrypted()  # keys this sync brought may open older events first
        if catch_up:
            await self._handle_joined(resp)
        self._token = resp.next_batch
        await self.state.set(KEY_SYNC_TOKEN, resp.next_batch)
        for room_id in resp.rooms.join:
            self._joining.discard(room_id)
            waiter = self._room_waiters.get(room_id)
            if waiter is not None:
                waiter.set()

    async def _update_keys(self) -> None:
        client = self.client
        if client.olm is None:
            return
        async with self._keys_lock:
            if client.should_upload_keys:
                await self._checked(client.keys_upload(), "keys_upload")
            if client.should_query_keys:
                await self._checked(client.keys_query(), "keys_query")
            if client.should_claim_keys:
                users = client.get_users_for_key_claiming()
                await self._checked(client.keys_claim(users), "keys_claim")
            self._apply_trust_policy()

    def _apply_trust_policy(self) -> None:
        """Decide about devices seen for the first time.

        tofu: a new device is trusted (verified in the store) on first sight; nio refuses changed
        keys for a known device id and rejects messages whose keys do not match, so a trusted
        device cannot be impersonated later. verified_only: a device not verified by the operator
        (`trust_device`) is blacklisted: it gets no room keys and its messages are ignored.
        """
        client = self.client
        for device in client.device_store:
            if device.user_id == self.user_id and device.id == client.device_id:
                continue
            if device.verified or device.blacklisted or device.ignored or device.deleted:
                continue
            if self.options.trust == "tofu":
                client.verify_device(device)
            else:
                client.blacklist_device(device)

    def trust_device(self, user_id: str, device_id: str) -> bool:
        """Verify one device by hand (for `verified_only`); False when the device is unknown."""
        device = next(
            (d for d in self.client.device_store.active_user_devices(user_id) if d.id == device_id),
            None,
        )
        if device is None:
            return False
        if device.blacklisted:
            self.client.unblacklist_device(device)
        self.client.verify_device(device)
        return True

    async def _checked(self, call: Awaitable[Any], what: str) -> Any:
        try:
            resp = await call
        except (aiohttp.ClientError, TimeoutError, LocalProtocolError) as exc:
            log.warning("matrix %s failed: %s", what, exc)
            return None
        if isinstance(resp, ErrorResponse):
            log.warning("matrix %s failed: %s", what, resp)
        return resp

    # --- membership ------------------------------------------------------------------------

    async def _resolve_configured_rooms(self) -> None:
        """Configured aliases to room ids (at start, and again on every invite: an alias may be
        created after the bot started); each resolution is recorded for the outbox."""
        for room in self.options.rooms:
            if room.startswith("#"):
                await self._resolve(room)
            else:
                self._config_room_ids.add(room)

    async def _resolve(self, alias: str) -> str | None:
        """The room id `alias` names now (None: it does not exist, or the server is away)."""
        resolved = await self._checked(self.client.room_resolve_alias(alias), "resolve alias")
        if isinstance(resolved, RoomResolveAliasResponse):
            room_id = str(resolved.room_id)
            if self._aliases.get(alias) != room_id:
                log.info("matrix: %s is %s", alias, room_id)
                self._aliases[alias] = room_id
                await self.state.record_route(self.platform, alias, room_id)
            if alias in self.options.rooms:
                self._config_room_ids.add(room_id)
            return room_id
        if isinstance(resolved, RoomResolveAliasError) and resolved.status_code == "M_NOT_FOUND":
            self._aliases.pop(alias, None)
            await self.state.record_route(self.platform, alias, None)
        return None

    async def _join_configured_rooms(self) -> None:
        for room_id in self._config_room_ids - set(self.client.rooms):
            await self._join(room_id)

    async def _join(self, room_id: str) -> bool:
        # Marked before the request: a send to the room while its answer is on the way (the
        # member already sees the bot in it) waits for the room instead of finding it unknown.
        self._joining.add(room_id)
        joined = await self._checked(self.client.join(room_id), "join")
        if joined is None or isinstance(joined, JoinError):
            log.warning("matrix: cannot join %s: %s", room_id, joined)
            self._joining.discard(room_id)
            return False
        return True

    async def _follow_upgrades(self, resp: SyncResponse) -> None:
        """A room upgraded to a new id (m.room.tombstone): send there from now on, and join the
        replacement of a configured room."""
        for room_id, info in resp.rooms.join.items():
            for event in (*info.state, *info.timeline.events):
                if not isinstance(event, RoomUpgradeEvent) or not event.replacement_room:
                    continue
                new = event.replacement_room
                if self._moved.get(room_id) == new:
                    continue
                log.info("matrix: room %s was upgraded to %s", room_id, new)
                self._moved[room_id] = new
                await self.state.record_route(self.platform, room_id, new)
                if room_id in self._config_room_ids:
                    self._config_room_ids.add(new)
                    if new not in self.client.rooms:
                        await self._join(new)

    async def _room_for(self, chat_id: str) -> str | None:
        """The room an outbox row's chat names now: an alias resolved, upgrades followed."""
        room_id: str | None = chat_id
        if chat_id.startswith("#"):
            room_id = self._aliases.get(chat_id) or await self._resolve(chat_id)
        seen: set[str] = set()
        while room_id is not None and room_id in self._moved and room_id not in seen:
            seen.add(room_id)
            room_id = self._moved[room_id]
        return room_id

    async def _handle_invites(self, resp: SyncResponse) -> None:
        client = self.client
        for room_id, info in resp.rooms.invite.items():
            invite = next(
                (
                    e
                    for e in info.invite_state
                    if isinstance(e, InviteMemberEvent)
                    and e.state_key == self.user_id
                    and e.membership == "invite"
                ),
                None,
            )
            if invite is None:
                continue
            await self._resolve_configured_rooms()
            is_direct = bool(invite.content.get("is_direct"))
            configured = room_id in self._config_room_ids or any(
                isinstance(e, Event) and getattr(e, "canonical_alias", None) in self.options.rooms
                for e in info.invite_state
            )
            if not (is_direct or configured):
                log.info("matrix: declining invite to %s from %s", room_id, invite.sender)
                await self._checked(client.room_leave(room_id), "room_leave")
                continue
            if not await self._join(room_id):
                continue
            if is_direct:
                self._direct_rooms[room_id] = invite.sender
                await self._record_direct(invite.sender, room_id)
            log.info("matrix: joined %s (invited by %s)", room_id, invite.sender)

    async def _handle_leaves(self, resp: SyncResponse) -> None:
        client = self.client
        for room_id, info in resp.rooms.leave.items():
            by = next(
                (
                    e.sender
                    for e in info.timeline.events
                    if isinstance(e, RoomMemberEvent)
                    and e.state_key == self.user_id
                    and e.membership in ("leave", "ban")
                ),
                None,
            )
            if by and by != self.user_id:
                log.info("matrix: removed from %s by %s", room_id, by)
            client.rooms.pop(room_id, None)
            client.invited_rooms.pop(room_id, None)
            self._direct_rooms.pop(room_id, None)
            await self._memory.clear_choices(room_id)
            await self._checked(client.room_forget(room_id), "room_forget")

    async def _member_changed(self, room: MatrixRoom, event: RoomMemberEvent) -> None:
        """The member left a direct chat: leave too, so the next contact opens a fresh one."""
        if event.membership not in ("leave", "ban") or event.state_key == self.user_id:
            return
        if self._direct_rooms.get(room.room_id) != event.state_key:
            return
        log.info("matrix: %s left the direct chat %s", event.state_key, room.room_id)
        self._direct_rooms.pop(room.room_id, None)
        direct = await self._m_direct()
        rooms = direct.get(event.state_key, [])
        if room.room_id in rooms:
            rooms.remove(room.room_id)
            await self._put_m_direct(direct)
        await self._checked(self.client.room_leave(room.room_id), "room_leave")

    def _is_private(self, room: MatrixRoom) -> bool:
        """A direct chat: in m.direct (or invited as one), or a nameless room of two."""
        if room.room_id in self._direct_rooms:
            return True
        unnamed = room.name is None and room.canonical_alias is None
        return unnamed and len(room.users) <= 2

    # --- incoming events -------------------------------------------------------------------

    async def _handle_joined(self, resp: SyncResponse) -> None:
        batches: list[_RoomBatch] = []
        for room_id, info in resp.rooms.join.items():
            events = list(info.timeline.events)
            cutoff = self._join_cutoff(events)
            if info.timeline.limited and info.timeline.prev_batch and self._token and not cutoff:
                # Not a room joined just now (its history is no business of the bot's).
                events = await self._fill_gap(room_id, info.timeline.prev_batch) + events
                cutoff = self._join_cutoff(events)
            batches.append(_RoomBatch(room_id, events[cutoff:]))
        # Rooms in parallel, events of one room in order: one slow member stalls nobody else.
        results = await asyncio.gather(
            *(self._handle_room_events(b) for b in batches), return_exceptions=True
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    def _join_cutoff(self, events: Sequence[Event]) -> int:
        """Skip what came before the bot's invite (or join) when a room is new to it."""
        for i, event in enumerate(events):
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self.user_id
                and event.membership == "invite"
            ):
                return i + 1
        for i, event in enumerate(events):
            if (
                isinstance(event, RoomMemberEvent)
                and event.state_key == self.user_id
                and event.membership == "join"
                and (event.prev_membership or "leave") not in ("join",)
            ):
                return i + 1
        return 0

    async def _fill_gap(self, room_id: str, prev_batch: str) -> list[Event]:
        """Fetch the events a limited timeline left out, back to the last finished token."""
        gathered: list[Event] = []
        start: str | None = prev_batch
        for _ in range(10):
            resp = await self.client.room_messages(room_id, start=start, end=self._token, limit=100)
            if not isinstance(resp, RoomMessagesResponse) or not resp.chunk:
                break
            gathered.extend(resp.chunk)
            if not resp.end or resp.end == start:
                break
            start = resp.end
        gathered.reverse()
        return gathered

    async def _handle_room_events(self, batch: _RoomBatch) -> None:
        room = self.client.rooms.get(batch.room_id)
        if room is None:
            return
        for event in batch.events:
            await self._handle_event(room, event)

    async def _handle_event(self, room: MatrixRoom, event: Event) -> None:
        if event.sender == self.user_id:
            return
        if event.server_timestamp < self._first_start_ms:
            return
        if isinstance(event, MegolmEvent):
            await self._keep_undecrypted(room.room_id, event)
            return
        if isinstance(event, RoomMemberEvent):
            await self._member_changed(room, event)
            return
        if not self._trusted(room, event):
            return
        incoming = await self._safe_incoming(room, event)
        if incoming is not None:
            await self._deliver(room, incoming)

    async def _safe_incoming(self, room: MatrixRoom, event: Event) -> Incoming | None:
        try:
            return await self._to_incoming(room, event)
        except (KeyError, ValueError, TypeError, AttributeError, IndexError):
            # A malformed event must not block the sync forever; a database error still does
            # (and the batch is retried).
            log.exception("matrix: skipping malformed event %s", event.event_id)
            return None

    def _trusted(self, room: MatrixRoom, event: Event) -> bool:
        if self.options.trust != "verified_only" or not room.encrypted:
            return True
        if getattr(event, "decrypted", False) and getattr(event, "verified", False):
            return True
        log.info(
            "matrix: ignoring %s from an unverified device of %s", event.event_id, event.sender
        )
        return False

    async def _deliver(self, room: MatrixRoom, incoming: Incoming) -> None:
        assert self._dispatch is not None
        threaded = not incoming.is_private and incoming.payload is None
        in_reply_to = incoming.message_ref if threaded and incoming.poll_vote is None else None
        answer = _Answer()

        async def respond(reply: Reply) -> str | None:
            result = await self._send_with_retry(
                room.room_id, reply, in_reply_to=in_reply_to, answer=answer
            )
            if result.status is not SendStatus.SENT:
                log.warning("matrix: answer to %s not sent: %s", room.room_id, result)
            return result.message_ref

        await self._dispatch(incoming, respond)

    async def _to_incoming(self, room: MatrixRoom, event: Event) -> Incoming | None:
        base: dict[str, Any] = {
            "platform": Platform.MATRIX,
            "chat_id": room.room_id,
            "sender_id": event.sender,
            "update_id": event.event_id,
            "sender_name": room.user_name(event.sender) or event.sender,
            "is_private": self._is_private(room),
            "message_ref": event.event_id,
        }
        if isinstance(event, RoomMessageText):
            return await self._text_incoming(room, event, base)
        if isinstance(event, RoomMessageMedia | RoomEncryptedMedia):
            found = incoming_attachment(event.source.get("content", {}))
            if found is None or not base["is_private"]:
                return None  # files in a room are the members' business
            attachment, caption = found
            text = as_command(caption) or caption
            return Incoming(**base, text=text, attachment=attachment)
        if isinstance(event, ReactionEvent):
            # A reaction names its message, so it works on older choices too (like a button).
            payloads = await self._memory.choices_of_message(event.reacts_to)
            index = keycap_index(event.key)
            if payloads is None or index is None or index >= len(payloads):
                return None
            payload = payloads[index]  # None: the number of another message's choice
            return Incoming(**base, text=KEYCAPS[index], payload=payload) if payload else None
        if isinstance(event, UnknownEvent):
            content = event.source.get("content", {})
            if event.type in POLL_RESPONSE_TYPES:
                return await self._poll_incoming(event, content, base)
            if event.type in POLL_END_TYPES:
                poll_id = parse_poll_end(event.type, content)
                poll = await self._memory.poll(poll_id) if poll_id else None
                if poll is not None and poll_id is not None:
                    poll.closed = True
                    await self._memory.put_poll(poll_id, poll)
        return None

    async def _text_incoming(
        self, room: MatrixRoom, event: RoomMessageText, base: dict[str, Any]
    ) -> Incoming | None:
        content = event.source.get("content", {})
        if content.get("m.new_content") is not None:
            return None  # an edit: we answered the original
        body = strip_reply_fallback(event.body)
        private: bool = base["is_private"]
        names = [room.user_name(self.user_id) or "", self.user_id.split(":")[0].lstrip("@")]
        mentioned, stripped = mention_of(content, body, self.user_id, names)
        if private:
            stripped = body
        command = as_command(stripped)
        choices = await self._memory.choices(room.room_id)
        if choices is not None and command is None:
            replying_to = (content.get("m.relates_to") or {}).get("m.in_reply_to", {})
            # in a room: a reply to any message the numbers are listed under
            replied = replying_to.get("event_id")
            answers_choices = (
                private or mentioned or (replied is not None and choices.under(replied) is not None)
            )
            index = parse_choice(stripped, len(choices.payloads), lettered=choices.lettered)
            if index is None and choices.lettered:
                # "2" under a list numbering its items: the button of item 2
                index = item_choice(stripped, choices.items)
            if index is None and private:
                # a button's words typed out ("Nicht für mich"), in a room only the numbers
                index = typed_label(stripped, choices.labels)
            if answers_choices and index is not None:
                return Incoming(**base, text=stripped, payload=choices.payloads[index])
        if command is not None:
            return Incoming(**base, text=command, mentions_bot=mentioned)
        if private:
            return Incoming(**base, text=body, mentions_bot=mentioned)
        if mentioned:
            return Incoming(**base, text=stripped, mentions_bot=True)
        return None  # free text in a room is not for the bot

    async def _poll_incoming(
        self, event: UnknownEvent, content: dict[str, Any], base: dict[str, Any]
    ) -> Incoming | None:
        response = parse_poll_response(event.type, content)
        if response is None:
            return None
        poll = await self._memory.poll(response.poll_event_id)
        if poll is None or poll.closed:
            return None
        key = (response.poll_event_id, event.sender)
        if self._last_vote_ts.get(key, -1) > event.server_timestamp:
            return None  # an older vote arriving late: the latest one counts
        self._last_vote_ts[key] = event.server_timestamp
        indexes = tuple(
            sorted({poll.answer_ids.index(a) for a in response.answer_ids if a in poll.answer_ids})
        )
        vote = PollVote(poll.poll_key, indexes)
        return Incoming(**{**base, "message_ref": response.poll_event_id}, poll_vote=vote)

    # --- undecryptable events --------------------------------------------------------------

    async def _keep_undecrypted(self, room_id: str, event: MegolmEvent) -> None:
        """Keep an event whose room key has not arrived yet, and ask the sender's devices."""
        log.info("matrix: cannot decrypt %s in %s yet", event.event_id, room_id)
        if any(e.get("event_id") == event.event_id for _, e in self._undecrypted):
            return
        self._undecrypted.append((room_id, event.source))
        self._undecrypted = self._undecrypted[-_MAX_UNDECRYPTED:]
        await self.state.set(KEY_UNDECRYPTED, json.dumps(self._undecrypted))
        with contextlib.suppress(LocalProtocolError):
            await self._checked(self.client.request_room_key(event), "request_room_key")

    async def _retry_undecrypted(self) -> None:
        if not self._undecrypted or self.client.olm is None:
            return
        now = int(self._clock() * 1000)
        still: list[tuple[str, dict[str, Any]]] = []
        for room_id, source in self._undecrypted:
            room = self.client.rooms.get(room_id)
            if room is None or now - int(source.get("origin_server_ts", 0)) > _UNDECRYPTED_TTL_MS:
                continue
            megolm = MegolmEvent.from_dict(source)
            if not isinstance(megolm, MegolmEvent):
                continue
            megolm.room_id = room_id
            try:
                event = self.client.decrypt_event(megolm)
            except EncryptionError:
                still.append((room_id, source))
                continue
            if not self._trusted(room, event):
                continue
            incoming = await self._safe_incoming(room, event)
            if incoming is not None:
                await self._deliver(room, incoming)
        if still != self._undecrypted:
            self._undecrypted = still
            await self.state.set(KEY_UNDECRYPTED, json.dumps(still))

    # --- sending ---------------------------------------------------------------------------

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        """Deliver one message to a room (the outbox worker calls this)."""
        if self._client is None:
            return SendResult(SendStatus.RETRY, retry_after=5.0, detail="not connected")
        room_id = await self._room_for(chat_id)
        if room_id is None:
            detail = f"the room alias {chat_id} does not exist"
            return SendResult(SendStatus.UNREACHABLE, detail=detail, chat_id=chat_id)
        if room_id in self._config_room_ids and room_id not in self.client.rooms:
            await self._join(room_id)  # a public room, or its alias was created after the start
        result = await self._send_reply(room_id, reply)
        return result if room_id == chat_id else replace(result, chat_id=room_id)

    async def _send_with_retry(
        self, room_id: str, reply: Reply, *, in_reply_to: str | None, answer: _Answer
    ) -> SendResult:
        """A direct answer: wait out a short rate limit a few times instead of losing it."""
        result = SendResult(SendStatus.FAILED)
        for _ in range(4):
            result = await self._send_reply(room_id, reply, in_reply_to=in_reply_to, answer=answer)
            if result.status is not SendStatus.RETRY or (result.retry_after or 0) > 30:
                return result
            await asyncio.sleep(result.retry_after or 1.0)
        return result

    async def _send_reply(
        self,
        room_id: str,
        reply: Reply,
        *,
        in_reply_to: str | None = None,
        answer: _Answer | None = None,
    ) -> SendResult:
        """Send one reply; `answer` holds the choices the earlier replies to the same message
        listed (None: a delivery of the outbox, which stands alone)."""
        main: SendResult | None = None
        markup = reply.text or reply.popup or ""
        buttons = [b for row in reply.buttons for b in row]
        lettered = lettered_choices(reply.metadata.get(TYPED), len(buttons))
        # Numbered on from the choices listed before it in the same answer (/offen: one
        # message per item), so that a typed number presses any of them, not only the last
        # message's; lettered choices answer a step's question: one set, never continued.
        before = await self._listed_before(room_id, reply, answer)
        if before is not None and (
            before.lettered or lettered or reply.metadata.get(STARTS_CHOICES)
        ):
            before = None  # a step's question shown again numbers its choices from 1
        first = len(before.payloads) if before is not None else 0
        if buttons:
            listed = choices_markup(buttons, lettered=lettered, first=first + 1)
            markup = (markup + "\n\n" if markup else "") + listed
        if reply.edit_ref and reply.text:
            return await self._edit(room_id, reply.edit_ref, markup, buttons, lettered)
        if markup:
            content = text_content(markup)
            if in_reply_to:
                content["m.relates_to"] = {"m.in_reply_to": {"event_id": in_reply_to}}
            main = await self._send_event(room_id, "m.room.message", content)
            if main.status is not SendStatus.SENT:
                return main
            if buttons and main.message_ref:
                listed_here = _choices(main.message_ref, buttons, lettered)
                shown = before.followed_by(listed_here) if before else listed_here
                await self._memory.put_choices(room_id, shown)
                if answer is not None:
                    answer.choices = shown
                if not lettered:  # number keycaps beside lettered choices would mislead
                    await self._add_keycaps(room_id, main.message_ref, buttons, first=first)
            elif (
                reply.text
                and not reply.metadata.get(KEEPS_CHOICES)
                # not the same answer's; a delivery without buttons answers nothing, and the
                # numbers keep meaning the list the member answers (`delivery_takes_choices`)
                and (delivery_takes_choices(reply) if answer is None else answer.choices is None)
                and await self._memory.choices(room_id) is not None
            ):
                # A newer message: the old numbers mean nothing any more.
                await self._memory.clear_choices(room_id)
        if reply.poll is not None:
            sent = await self._send_poll(room_id, reply.poll)
            if sent.status is not SendStatus.SENT:
                return sent
            main = main or sent
        if reply.attachment is not None:
            sent = await self._send_file(room_id, reply.attachment)
            if sent.status is not SendStatus.SENT:
                return sent
            main = main or sent
        return main or SendResult(SendStatus.FAILED, detail="empty reply")

    async def _listed_before(
        self, room_id: str, reply: Reply, answer: _Answer | None
    ) -> Choices | None:
        """The choices a reply's own are numbered on from: the same answer's, or, for a reply
        that keeps the room's choices (one item of /offen answered, the others still open),
        those."""
        if answer is None:
            return None
        if answer.choices is None and reply.buttons and reply.metadata.get(KEEPS_CHOICES):
            return await self._memory.choices(room_id)
        return answer.choices

    async def _edit(
        self,
        room_id: str,
        event_id: str,
        markup: str,
        buttons: Sequence[Button],
        lettered: bool,
    ) -> SendResult:
        """Edit a message of the bot; its choices become the edit's: the list in its text,
        the numbers that answer it and the number reactions under it (an office alert edited
        when the member withdrew the question had kept reactions that pressed nothing)."""
        result = await self._send_event(room_id, "m.room.message", edit_content(markup, event_id))
        if result.status is not SendStatus.SENT:
            return result
        choices = _choices(event_id, buttons, lettered) if buttons else None
        listed_before = await self._memory.choices_of_message(event_id)
        # its numbers had gone on from an earlier message's: the edit's start from 1
        renumbered = listed_before is not None and listed_before[:1] == [None]
        await self._memory.replace_choices_of_message(room_id, event_id, choices)
        reactions = await self._memory.keycaps(event_id)
        wanted = 0 if lettered or not buttons else len(buttons)
        if len(reactions) != wanted or (bool(reactions) and renumbered):
            for reaction in reactions:
                # Best effort: a reaction left standing presses nothing (its message has
                # no such choice now).
                await self._checked(self.client.room_redact(room_id, reaction), "room_redact")
            await self._memory.put_keycaps(event_id, [])
            if wanted:
                await self._add_keycaps(room_id, event_id, buttons)
        return result

    async def _add_keycaps(
        self, room_id: str, event_id: str, buttons: Sequence[Button], *, first: int = 0
    ) -> None:
        """Number reactions under a message, its choices' numbers (from `first` + 1); none
        where the numbers go past the keycaps (typing them still works)."""
        if not self.options.reaction_buttons or first + len(buttons) > len(KEYCAPS):
            return
        reactions: list[str] = []
        for i in range(first, first + len(buttons)):
            content = {
                "m.relates_to": {
                    "rel_type": "m.annotation",
                    "event_id": event_id,
                    "key": KEYCAPS[i],
                }
            }
            result = await self._send_event(room_id, "m.reaction", content)
            if result.status is not SendStatus.SENT or result.message_ref is None:
                break  # the numbers in the text still work
            reactions.append(result.message_ref)
        await self._memory.put_keycaps(event_id, reactions)

    async def _send_poll(self, room_id: str, poll: Poll) -> SendResult:
        content = poll_start_content(poll)
        result = await self._send_event(room_id, "org.matrix.msc3381.poll.start", content)
        if result.status is SendStatus.SENT and result.message_ref:
            answers = [a["id"] for a in content["org.matrix.msc3381.poll.start"]["answers"]]
            sent = SentPoll(poll.poll_key, room_id, answers)
            await self._memory.put_poll(result.message_ref, sent)
        return result

    async def _send_file(self, room_id: str, attachment: Attachment) -> SendResult:
        room = self.client.rooms.get(room_id)
        encrypt = bool(room is not None and room.encrypted and self.client.olm is not None)
        try:
            content, media_ref = await self.uploads.content(
                self.client, attachment, encrypt=encrypt
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            return SendResult(SendStatus.RETRY, retry_after=5.0, detail=str(exc))
        except UploadFailed as failed:
            return _error_result(failed.response)
        result = await self._send_event(room_id, "m.room.message", content)
        return replace(result, media_ref=media_ref)

    async def fetch_file(self, attachment: IncomingAttachment, max_bytes: int) -> bytes:
        """The bytes of an image or file a member sent (the core asks, see bot/context.py)."""
        return await fetch(self.client, attachment, max_bytes)

    async def _send_event(
        self, room_id: str, event_type: str, content: dict[str, Any]
    ) -> SendResult:
        client = self.client
        if room_id in self._joining:
            await self._wait_for_room(room_id)
        if room_id not in client.rooms:
            return SendResult(SendStatus.UNREACHABLE, detail="the bot is not in this room")
        try:
            if client.rooms[room_id].encrypted and client.olm is not None:
                async with self._keys_lock:
                    if client.should_query_keys:
                        await self._checked(client.keys_query(), "keys_query")
                    self._apply_trust_policy()
            resp = await client.room_send(
                room_id, event_type, content, ignore_unverified_devices=True
            )
        except (aiohttp.ClientError, TimeoutError, SendRetryError) as exc:
            return SendResult(SendStatus.RETRY, retry_after=5.0, detail=str(exc))
        except OlmUnverifiedDeviceError as exc:
            return SendResult(SendStatus.RETRY, retry_after=1.0, detail=str(exc))
        except LocalProtocolError as exc:  # e.g. the room vanished meanwhile, or keys in flight
            if room_id not in client.rooms:
                return SendResult(SendStatus.UNREACHABLE, detail=str(exc))
            return SendResult(SendStatus.RETRY, retry_after=2.0, detail=str(exc))
        if isinstance(resp, RoomSendResponse):
            return SendResult(SendStatus.SENT, message_ref=resp.event_id)
        return _error_result(resp)

    # --- direct chats ----------------------------------------------------------------------

    async def direct_chat(self, user_id: str) -> str | None:
        """The direct chat with `user_id`, created (encrypted, recorded in m.direct) if need be."""
        client = self.client
        for room_id, other in self._direct_rooms.items():
            if other == user_id and room_id in client.rooms:
                return room_id
        existing = await self._m_direct()
        for room_id in existing.get(user_id, []):
            room = client.rooms.get(room_id)
            if room is not None and user_id in room.users:
                self._direct_rooms[room_id] = user_id
                return room_id
        initial_state = [_ENCRYPTION_STATE] if self.options.encryption else []
        created = await client.room_create(
            is_direct=True,
            invite=[user_id],
            preset=RoomPreset.trusted_private_chat,
            initial_state=initial_state,
        )
        if not isinstance(created, RoomCreateResponse):
            log.warning("matrix: cannot open a direct chat with %s: %s", user_id, created)
            return None
        room_id = str(created.room_id)
        self._direct_rooms[room_id] = user_id
        self._joining.add(room_id)
        await self._record_direct(user_id, room_id)
        await self._wait_for_room(room_id)
        return room_id

    async def _record_direct(self, user_id: str, room_id: str) -> None:
        """Add the room to the bot's `m.direct` account data, as Matrix clients do."""
        direct = await self._m_direct()
        rooms = direct.setdefault(user_id, [])
        if room_id not in rooms:
            rooms.append(room_id)
            await self._put_m_direct(direct)

    async def _wait_for_room(self, room_id: str, within: float = 15.0) -> None:
        if room_id in self.client.rooms:
            return
        waiter = self._room_waiters.setdefault(room_id, asyncio.Event())
        try:
            async with asyncio.timeout(within):
                while room_id not in self.client.rooms:
                    waiter.clear()
                    await waiter.wait()
        except TimeoutError:
            log.warning("matrix: room %s did not appear in sync", room_id)
        finally:
            self._room_waiters.pop(room_id, None)

    def _account_data_path(self, event_type: str) -> str:
        user = urllib.parse.quote(self.user_id, safe="")
        return f"/_matrix/client/v3/user/{user}/account_data/{event_type}"

    async def _m_direct(self) -> dict[str, list[str]]:
        resp = await self._raw("GET", self._account_data_path("m.direct"))
        if not isinstance(resp, dict):
            return {}
        return {
            k: [r for r in v if isinstance(r, str)] for k, v in resp.items() if isinstance(v, list)
        }

    async def _put_m_direct(self, data: dict[str, list[str]]) -> None:
        await self._raw("PUT", self._account_data_path("m.direct"), data)

    async def _raw(self, method: str, path: str, body: Any = None) -> Any:
        """A request nio has no method for (account data)."""
        client = self.client
        headers = {"Authorization": f"Bearer {client.access_token}"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body)
        try:
            resp = await client.send(method, path, data, headers)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("matrix %s %s failed: %s", method, path, exc)
            return None
        async with resp:
            if resp.status >= 400:
                if resp.status != 404:
                    log.warning("matrix %s %s: HTTP %s", method, path, resp.status)
                return None
            return await resp.json(content_type=None)

    # --- helpers for the composition root --------------------------------------------------

    def joined_rooms(self) -> Iterable[str]:
        return tuple(self.client.rooms) if self._client is not None else ()


class _SyncFailed(Exception):
    def __init__(self, detail: str, retry_after: float | None, code: str | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.code = code


def _choices(event_id: str, buttons: Sequence[Button], lettered: bool) -> Choices:
    return Choices(
        event_id,
        [b.payload for b in buttons],
        [b.label for b in buttons],
        lettered,
        [b.item for b in buttons],
    )


def _error_result(resp: Any) -> SendResult:
    """Map a nio error response to what the delivery worker does next."""
    code = getattr(resp, "status_code", None)
    transport = getattr(resp, "transport_response", None)
    http_status = getattr(transport, "status", 0) or 0
    detail = str(resp)
    if code == "M_LIMIT_EXCEEDED" or http_status == 429:
        retry_ms = getattr(resp, "retry_after_ms", None) or 5000
        return SendResult(SendStatus.RETRY, retry_after=retry_ms / 1000, detail=detail)
    if code == "M_UNKNOWN_TOKEN" or http_status == 401:  # the bot's own session, not the member
        return SendResult(SendStatus.RETRY, retry_after=60.0, detail=detail)
    if code in ("M_FORBIDDEN", "M_NOT_FOUND") or http_status in (403, 404):
        return SendResult(SendStatus.UNREACHABLE, detail=detail)
    if http_status >= 500 or (http_status == 0 and code is None):  # no answer we understood
        return SendResult(SendStatus.RETRY, retry_after=5.0, detail=detail)
    return SendResult(SendStatus.FAILED, detail=detail)
