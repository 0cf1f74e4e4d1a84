"""The delivery worker: drains the outbox at each platform's allowed rate, nothing lost.

A worker leases due messages (`storage.outbox.claim`), sends each through the transport of its
platform, and writes the outcome back in small batches. A message is `sending` only while a
worker holds its lease; when a worker dies, another worker (or the same one after a restart)
sends those again: at once when it can tell the owner is gone (SQLite: its process; PostgreSQL:
its advisory lock, see storage/worker_presence.py), else once the leases run out. At most the
messages in flight repeat, none is lost. A
worker never sends a message whose lease is about to run out, so two live workers never send the
same message.

Outcomes:
- SENT: done;
- RETRY: again after the platform's `retry_after` or an exponential backoff, up to
  `max_attempts`; a 429 also pauses the whole platform for `retry_after` (Telegram's flood
  control counts all of the bot's requests);
- UNREACHABLE: the member blocked the bot or left: the message and the account are marked
  unreachable, and the account is not used again until the member writes;
- FAILED: this message cannot be sent (bad request); others may.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from bot.delivery import EDIT_OF, reply_from_payload
from bot.delivery_files import StoredFiles
from bot.messages import Reply
from bot.recent import Key
from bot.services import utc_now
from bot.transports.base import RateLimits, SendResult, SendStatus, Transport
from storage import broadcasts, members, outbox, worker_presence
from storage.db import Database
from storage.outbox import Claimed, Outcome

log = logging.getLogger(__name__)

# How often a running worker looks for leases of workers that died meanwhile.
TAKE_OVER_EVERY = 15.0


@dataclass(frozen=True)
class WorkerSettings:
    # A send must finish within half the lease (the transports' timeouts are well below).
    lease_seconds: float = 60.0
    poll_seconds: float = 2.0
    max_in_flight: int = 200
    concurrency: int = 32
    max_attempts: int = 8
    backoff_base: float = 1.0
    backoff_cap: float = 300.0
    flush_seconds: float = 0.05
    flush_size: int = 100


class Pacer:
    """A token bucket kept as a schedule (GCRA): `reserve` says how long to wait for a token."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.tolerance = max(0.0, burst - 1.0) * self.interval
        self._next = 0.0  # theoretical arrival time of the next token
        self.lock = asyncio.Lock()  # per-chat pacers: one message at a time, in order

    def reserve(self, now: float) -> float:
        if not self.interval:
            return max(0.0, self._next - now)  # no rate limit, but a pause still holds
        start = max(self._next, now)
        wait = max(0.0, start - self.tolerance - now)
        self._next = start + self.interval
        return wait

    def used_at(self, moment: float) -> None:
        """The token was used later than reserved (waiting for another limit): count from then."""
        self._next = max(self._next, moment + self.interval)

    def pause_until(self, moment: float) -> None:
        """Nothing goes out before `moment` (a 429 from the platform)."""
        self._next = max(self._next, moment + self.tolerance)


class PlatformPacer:
    """The rates of one platform: overall, per private chat, per group chat."""

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self.overall = Pacer(limits.per_second)
        self._chats: dict[str, Pacer] = {}

    def _chat(self, chat_id: str, is_group: bool) -> Pacer | None:
        pacer = self._chats.get(chat_id)
        if pacer is None:
            if is_group and self.limits.per_group_per_minute:
                pacer = Pacer(self.limits.per_group_per_minute / 60.0)
            elif not is_group and self.limits.per_chat_per_second:
                pacer = Pacer(self.limits.per_chat_per_second)
            else:
                return None
            if len(self._chats) > 100_000:
                self._chats.clear()  # old entries only ever allow more; memory stays bounded
            self._chats[chat_id] = pacer
        return pacer

    async def acquire(self, chat_id: str, *, is_group: bool) -> None:
        """Wait until one more message may go to `chat_id`; messages to one chat keep order."""
        chat = self._chat(chat_id, is_group)
        if chat is None:
            await self._overall()
            return
        async with chat.lock:
            wait = chat.reserve(time.monotonic())
            if wait:
                await asyncio.sleep(wait)
            await self._overall()
            chat.used_at(time.monotonic())

    async def _overall(self) -> None:
        wait = self.overall.reserve(time.monotonic())
        if wait:
            await asyncio.sleep(wait)

    def pause(self, chat_id: str, seconds: float, *, is_group: bool) -> None:
        until = time.monotonic() + seconds
        self.overall.pause_until(until)
        chat = self._chat(chat_id, is_group)
        if chat is not None:
            chat.pause_until(until)


@dataclass
class _Held:
    message: Claimed
    deadline: float  # monotonic time after which this worker must not start sending it


@dataclass
class WorkerStats:
    """What a worker did since it started (benchmarks and logs read it)."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    released: int = 0
    in_flight: int = 0
    in_flight_max: int = 0
    rate_limited: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


class GroupWatch(Protocol):
    """Told how deliveries to group chats and rooms end (bot/chat_problems.py)."""

    async def unreachable(self, platform: str, chat_id: str, detail: str) -> None: ...

    async def delivered(self, platform: str, chat_id: str) -> None: ...


class ChoicesWatch(Protocol):
    """Told of each message delivered to a member's own chat (bot/shown.py `ShownButtons`):
    where choices are typed, one with buttons takes the place of the choices before it."""

    def delivered(self, key: Key, reply: Reply, now: datetime) -> None: ...


def default_owner() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_alive(owner: str) -> bool:
    """Whether the process behind a lease owner (`host:pid:nonce`) still runs on this host.

    Another host, or an owner id of another shape, counts as alive: only its lease running out
    proves it gone.
    """
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:30] or not pid_text.isdecimal():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DeliveryWorker:
    """Drains the outbox through `transports` (one per platform); an owned asyncio task."""

    def __init__(
        self,
        db: Database,
        transports: Mapping[str, Transport],
        *,
        settings: WorkerSettings | None = None,
        clock: Callable[[], datetime] = utc_now,
        owner: str | None = None,
        rate_limits: Mapping[str, RateLimits] | None = None,
        groups: GroupWatch | None = None,
        choices: ChoicesWatch | None = None,
    ) -> None:
        self.db = db
        self.groups = groups
        self.choices = choices
        self.transports = dict(transports)
        self.settings = settings or WorkerSettings()
        self.clock = clock
        self.owner = owner or default_owner()
        limits = dict(rate_limits or {})
        self.pacers = {
            name: PlatformPacer(limits.get(name) or transport.rate_limits())
            for name, transport in self.transports.items()
        }
        self.stats = WorkerStats()
        self.files = StoredFiles(db)
        self._queue: asyncio.Queue[_Held] = asyncio.Queue()
        self._outcomes: list[Outcome] = []
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._flush_now = asyncio.Event()
        self._stopping = False
        self._recorder_done = False
        self._task: asyncio.Task[None] | None = None
        self._random = random.Random()
        self._last_take_over = 0.0
        self._claiming = False

    # ---- lifecycle --------------------------------------------------------------------------

    def wakeup(self) -> None:
        """Something was put in the outbox: look now instead of at the next poll."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self.running or not self.transports:
            return
        self._stopping = False
        self._recorder_done = False
        self._task = asyncio.create_task(self._run(), name=f"delivery-worker-{self.owner}")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming, finish the sends in hand (up to `grace` seconds), give back the rest."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        self._wake.set()
        self._room.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        except asyncio.CancelledError:
            task.cancel()
            raise

    async def drain(self, within: float = 30.0) -> None:
        """Run until nothing is left to send within `within` seconds (tests, CLI), then stop."""
        self.start()
        until = self.clock() + timedelta(seconds=within)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            # Idle before the query as well as after: a send recorded while the query ran
            # (its row still leased when read, not in flight any more after) is due again.
            idle = self._idle()
            async with self.db.session() as session:
                due = await outbox.next_due(session, platforms=self.transports)
            if (due is None or due > until) and idle and self._idle():
                break
            await asyncio.sleep(0.05)
        await self.stop()

    def _idle(self) -> bool:
        return self.stats.in_flight == 0 and not self._claiming

    # ---- the loop ---------------------------------------------------------------------------

    async def _run(self) -> None:
        senders = [
            asyncio.create_task(self._sender(), name=f"delivery-sender-{i}")
            for i in range(self.settings.concurrency)
        ]
        recorder = asyncio.create_task(self._recorder(), name="delivery-recorder")
        presence = await self._announce_presence()
        try:
            await self._take_over_leases()
            await self._claim_loop()
            # Stopping: what was claimed but not started goes back; sends in hand finish.
            await self._release_queued()
            await self._queue.join()
            self._flush_now.set()
            self._recorder_done = True
            await recorder
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivery worker %s stopped on an error", self.owner)
        finally:
            for task in senders:
                task.cancel()
            await asyncio.gather(*senders, return_exceptions=True)
            recorder.cancel()
            await asyncio.gather(recorder, return_exceptions=True)
            # Record what finished; whatever is left in flight keeps its lease and is retried.
            with contextlib.suppress(Exception):
                await asyncio.shield(self._flush())
            if presence is not None:
                with contextlib.suppress(Exception):
                    await presence.leave()

    async def _announce_presence(self) -> worker_presence.Presence | None:
        """PostgreSQL: hold this worker's advisory lock while it runs (see worker_presence)."""
        if self.db.is_sqlite:
            return None
        presence = worker_presence.Presence(self.db.engine, self.owner)
        try:
            await presence.enter()
        except Exception:
            log.exception("worker %s unannounced: a crash leaves its leases to run out", self.owner)
            return None
        return presence

    async def _take_over_leases(self) -> None:
        """What a worker that died had leased goes out now, not when its leases run out: on
        SQLite (one machine) its process is gone, on PostgreSQL its advisory lock is free."""
        self._last_take_over = time.monotonic()
        try:
            async with self.db.session() as session:
                owners = [o for o in await outbox.lease_owners(session) if o != self.owner]
                if self.db.is_sqlite:
                    gone = [owner for owner in owners if not owner_alive(owner)]
                else:
                    gone = await worker_presence.gone(session, owners)
                taken = await outbox.take_over_leases(session, owners=gone)
        except Exception:
            log.exception("taking over the outbox leases failed; they will run out instead")
            return
        if taken:
            log.info("delivery worker %s took over %d leased messages", self.owner, taken)

    async def _claim_loop(self) -> None:
        settings = self.settings
        threshold = max(1, settings.max_in_flight // 4)  # claim in batches, not one by one
        while not self._stopping:
            if time.monotonic() - self._last_take_over > TAKE_OVER_EVERY:
                await self._take_over_leases()  # another worker may have died meanwhile
            # Cleared before looking, so a wakeup while we look is not lost.
            self._wake.clear()
            self._room.clear()
            room = settings.max_in_flight - self.stats.in_flight
            if room >= threshold:
                if await self._claim(room):
                    continue
                nap = await self._nap_seconds(settings.poll_seconds)
                waiters = [self._wake.wait(), self._room.wait()]
            else:
                nap = settings.poll_seconds
                waiters = [self._room.wait()]
            tasks = [asyncio.ensure_future(w) for w in waiters]
            try:
                await asyncio.wait(tasks, timeout=nap, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()

    async def _nap_seconds(self, poll: float) -> float:
        try:
            async with self.db.session() as session:
                due = await outbox.next_due(session, platforms=self.transports)
        except Exception:
            log.exception("reading the outbox failed; looking again at the next poll")
            return poll
        if due is None:
            return poll
        return min(poll, max(0.01, (due - self.clock()).total_seconds() + 0.01))

    async def _claim(self, limit: int) -> list[Claimed]:
        now = self.clock()
        lease = timedelta(seconds=self.settings.lease_seconds)
        self._claiming = True  # leased in the database, not yet counted in flight: see drain
        try:
            async with self.db.session() as session:
                claimed = await outbox.claim(
                    session,
                    owner=self.owner,
                    platforms=self.transports,
                    limit=limit,
                    now=now,
                    lease_until=now + lease,
                )
        except Exception:
            self._claiming = False
            log.exception("claiming outbox messages failed; trying again shortly")
            await asyncio.sleep(1.0)
            return []
        # Start no send after half the lease: the rest is the margin for slow sends and clocks.
        deadline = time.monotonic() + self.settings.lease_seconds / 2
        for message in claimed:
            self._queue.put_nowait(_Held(message, deadline))
        self._count_in_flight(len(claimed))
        self._claiming = False
        self.stats.claimed += len(claimed)
        return claimed

    def _count_in_flight(self, delta: int) -> None:
        self.stats.in_flight += delta
        self.stats.in_flight_max = max(self.stats.in_flight_max, self.stats.in_flight)
        if delta < 0 and self.stats.in_flight <= self.settings.max_in_flight * 3 // 4:
            self._room.set()

    async def _release_queued(self) -> None:
        while not self._queue.empty():
            held = self._queue.get_nowait()
            self._outcomes.append(Outcome(held.message.id, "pending", attempted=False))
            self.stats.released += 1
            self._queue.task_done()
        await self._flush()

    # ---- sending ----------------------------------------------------------------------------

    async def _sender(self) -> None:
        while True:
            held = await self._queue.get()
            try:
                outcome = await self._deliver(held)
                self._outcomes.append(outcome)
                if len(self._outcomes) >= self.settings.flush_size:
                    self._flush_now.set()
            finally:
                self._queue.task_done()

    async def _deliver(self, held: _Held) -> Outcome:
        message = held.message
        transport = self.transports[message.platform]
        pacer = self.pacers[message.platform]
        is_group = message.member_id is None
        if self._stopping or time.monotonic() > held.deadline:
            self.stats.released += 1
            return Outcome(message.id, "pending", attempted=False)
        chat_id = message.chat_id
        if chat_id is None:
            if message.user_id is None:
                return self._failed(message, "no chat and no user to send to")
            try:
                chat_id = await transport.direct_chat(message.user_id)
            except Exception as exc:  # noqa: BLE001 - any platform error: try again later
                return self._retry(message, SendResult(SendStatus.RETRY, detail=repr(exc)))
            if chat_id is None:
                return await self._unreachable(message, None, "no direct chat with this user")
        reply = reply_from_payload(message.payload)
        edit_of = message.payload.get(EDIT_OF)
        if reply.edit_ref is None and isinstance(edit_of, int):
            edited = await self._ref_to_edit(message, edit_of, chat_id)
            if isinstance(edited, Outcome):
                return edited
            reply = replace(reply, edit_ref=edited)
        stored_id = reply.attachment.stored_id if reply.attachment is not None else None
        if reply.attachment is not None and stored_id is not None:
            try:
                filled = await self.files.fill(message.platform, reply.attachment)
            except Exception as exc:  # noqa: BLE001 - the database is away: try again later
                log.warning("loading the file of outbox message %s failed: %r", message.id, exc)
                return self._retry(message, SendResult(SendStatus.RETRY, detail=repr(exc)))
            if filled is None:
                return self._failed(message, f"the attached file {stored_id} is gone", chat_id)
            reply = replace(reply, attachment=filled)
        await pacer.acquire(chat_id, is_group=is_group)
        if self._stopping or time.monotonic() > held.deadline:
            self.stats.released += 1
            return Outcome(message.id, "pending", attempted=False, chat_id=chat_id)
        try:
            result = await transport.send(chat_id, reply)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a transport bug must not stop delivery
            log.exception("transport %s raised on send", message.platform)
            result = SendResult(SendStatus.RETRY, detail=f"transport error: {exc!r}")
        if result.media_ref is not None and stored_id is not None:
            try:
                await self.files.remember(message.platform, stored_id, result.media_ref)
            except Exception:
                log.exception("could not store the upload handle of file %s", stored_id)
        chat_id = result.chat_id or chat_id
        if result.status is SendStatus.SENT:
            self.stats.sent += 1
            if is_group:
                await self._watch(lambda g: g.delivered(message.platform, chat_id))
            self._seen_by_member(message, chat_id, reply)
            return Outcome(message.id, "sent", chat_id=chat_id, message_ref=result.message_ref)
        if result.status is SendStatus.RETRY:
            if result.retry_after:
                self.stats.rate_limited += 1
                pacer.pause(chat_id, result.retry_after, is_group=is_group)
            return self._retry(message, result, chat_id)
        if result.status is SendStatus.UNREACHABLE:
            return await self._unreachable(message, chat_id, result.detail or "unreachable")
        return self._failed(message, result.detail or "failed", chat_id)

    def _seen_by_member(self, message: Claimed, chat_id: str, reply: Reply) -> None:
        """Tell `choices` of a message that arrived in a member's own chat. An edit is left
        out: it changes an older message's buttons, not which choices came last."""
        if self.choices is None or message.user_id is None or message.member_id is None:
            return
        if reply.edit_ref is None:
            key = (message.platform, chat_id, message.user_id)
            self.choices.delivered(key, reply, self.clock())

    async def _ref_to_edit(self, message: Claimed, original: int, chat_id: str) -> str | Outcome:
        """The platform reference of the message an edit is for (`EDIT_OF`: it was being sent
        when the edit was queued), or what becomes of the edit: tried again while that message
        is still on its way, failed when it never arrived."""
        try:
            async with self.db.read() as session:
                status, ref = await outbox.sent_ref(session, original)
        except Exception as exc:  # noqa: BLE001 - the database is away: try again later
            return self._retry(message, SendResult(SendStatus.RETRY, detail=repr(exc)), chat_id)
        if ref is not None:
            return ref
        if status in ("pending", "sending"):
            waiting = SendResult(SendStatus.RETRY, detail=f"message {original} is not sent yet")
            return self._retry(message, waiting, chat_id)
        return self._failed(message, f"message {original} to edit was not sent ({status})", chat_id)

    def _retry(self, message: Claimed, result: SendResult, chat_id: str | None = None) -> Outcome:
        attempts = message.attempts + 1
        if attempts >= self.settings.max_attempts:
            detail = f"gave up after {attempts} tries: {result.detail}"
            return self._failed(message, detail, chat_id)
        self.stats.retried += 1
        backoff = min(self.settings.backoff_cap, self.settings.backoff_base * 2 ** (attempts - 1))
        backoff *= 0.8 + self._random.random() / 5  # jitter: retries do not come in a herd
        delay = result.retry_after or backoff
        return Outcome(
            message.id,
            "pending",
            not_before=self.clock() + timedelta(seconds=delay),
            chat_id=chat_id,
            error=result.detail,
        )

    def _failed(self, message: Claimed, detail: str, chat_id: str | None = None) -> Outcome:
        self.stats.failed += 1
        log.warning("outbox message %s failed: %s", message.id, detail[:200])
        return Outcome(message.id, "failed", chat_id=chat_id, error=detail)

    async def _unreachable(self, message: Claimed, chat_id: str | None, detail: str) -> Outcome:
        self.stats.unreachable += 1
        if message.member_id is not None:
            try:
                async with self.db.session() as session:
                    if chat_id is not None:
                        await members.mark_unreachable(
                            session, platform=message.platform, chat_id=chat_id, reason=detail
                        )
                    elif message.user_id is not None:
                        await members.mark_user_unreachable(
                            session, platform=message.platform, user_id=message.user_id,
                            reason=detail,
                        )  # fmt: skip
            except Exception:
                log.exception("could not mark account unreachable (message %s)", message.id)
        elif chat_id is not None:
            await self._watch(lambda g: g.unreachable(message.platform, chat_id, detail))
        return Outcome(message.id, "unreachable", chat_id=chat_id, error=detail)

    async def _watch(self, call: Callable[[GroupWatch], Awaitable[None]]) -> None:
        """Tell the group watch; its failure never changes the message's outcome."""
        if self.groups is None:
            return
        try:
            await call(self.groups)
        except Exception:
            log.exception("the group delivery watch failed")

    # ---- recording --------------------------------------------------------------------------

    async def _recorder(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush_now.wait(), self.settings.flush_seconds)
            self._flush_now.clear()
            done = self._recorder_done
            await self._flush()
            if done:
                return

    async def _announce_delivered(self, sent: list[int]) -> None:
        """A planned broadcast with an event's sign-up announces the event as it goes out
        (one sent at once did when it was queued)."""
        if not sent:
            return
        try:
            async with self.db.session() as session:
                await broadcasts.announce_delivered_events(session, message_ids=sent)
        except Exception:
            log.exception("marking the events of %d delivered messages announced failed", len(sent))

    async def _flush(self) -> None:
        if not self._outcomes:
            return
        batch, self._outcomes = self._outcomes, []
        for attempt in range(5):
            try:
                async with self.db.session() as session:
                    await outbox.record(session, owner=self.owner, outcomes=batch, now=self.clock())
                break
            except Exception:
                log.exception("recording %d outcomes failed (try %d)", len(batch), attempt + 1)
                await asyncio.sleep(0.2 * 2**attempt)
        else:
            # The leases run out and the messages go again: at worst a repeat, never a loss.
            log.error("gave up recording %d outcomes; their leases will expire", len(batch))
        await self._announce_delivered([o.id for o in batch if o.status == "sent"])
        for outcome in batch:
            self.stats.by_status[outcome.status] = self.stats.by_status.get(outcome.status, 0) + 1
        self._count_in_flight(-len(batch))
