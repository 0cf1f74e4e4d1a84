"""A transport for delivery tests: records what was sent and answers what a test scripted.

It stands in for a platform (the boundary of the bot), nothing else: the worker, the database
and the outbox are the real ones.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from dataclasses import dataclass, field

from bot.messages import Attachment, Button, Platform, Reply
from bot.transports.base import Dispatch, RateLimits, SendResult, SendStatus

UNLIMITED = RateLimits(per_second=0, per_chat_per_second=0, per_group_per_minute=0)


@dataclass
class Attempt:
    chat_id: str
    text: str
    at: float
    status: SendStatus
    attachment: Attachment | None = None
    edit_ref: str | None = None  # the message this attempt edits
    buttons: tuple[tuple[Button, ...], ...] = ()


@dataclass
class RecordingTransport:
    platform: Platform = Platform.TELEGRAM
    limits: RateLimits = UNLIMITED
    delay: float = 0.0
    # Answers per chat, used up in order before the chat gets SENT.
    script: dict[str, list[SendResult]] = field(default_factory=lambda: defaultdict(list))
    blocked: set[str] = field(default_factory=set)
    attempts: list[Attempt] = field(default_factory=list)
    # While one is given and not set, sends wait for it: a platform that has not answered yet
    # (from the `gate_after`-th send on: one that stops answering mid-way).
    gate: asyncio.Event | None = None
    gate_after: int = 0

    async def start(self, dispatch: Dispatch) -> None:
        return None

    async def stop(self) -> None:
        return None

    def rate_limits(self) -> RateLimits:
        return self.limits

    def is_alive(self) -> bool:
        return True

    async def direct_chat(self, user_id: str) -> str | None:
        return None if user_id in self.blocked else f"dm-{user_id}"

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        if self.gate is not None and len(self.attempts) >= self.gate_after:
            await self.gate.wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        if chat_id in self.blocked:
            result = SendResult(SendStatus.UNREACHABLE, detail="Forbidden: bot was blocked")
        elif self.script.get(chat_id):
            result = self.script[chat_id].pop(0)
        else:
            result = SendResult(SendStatus.SENT, message_ref=f"{chat_id}:{len(self.attempts)}")
        self.attempts.append(
            Attempt(
                chat_id,
                reply.text,
                time.monotonic(),
                result.status,
                reply.attachment,
                reply.edit_ref,
                reply.buttons,
            )
        )
        return result

    def sent(self, chat_id: str | None = None) -> list[Attempt]:
        return [
            a
            for a in self.attempts
            if a.status is SendStatus.SENT and (chat_id is None or a.chat_id == chat_id)
        ]

    def sent_per_chat(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for attempt in self.sent():
            counts[attempt.chat_id] += 1
        return dict(counts)
