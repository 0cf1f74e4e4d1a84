"""The one interface every platform transport implements."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.messages import Incoming, Platform, Reply

# What a transport calls for each update: the core answers through `respond`, once or more.
Respond = Callable[[Reply], Awaitable[str | None]]
Dispatch = Callable[[Incoming, Respond], Awaitable[None]]


class SendStatus(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # rate limited, 5xx, timeout: try again after `retry_after`
    UNREACHABLE = "unreachable"  # blocked the bot, deactivated, left the room: stop sending
    FAILED = "failed"  # permanent for this message (bad request), other messages may work


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    retry_after: float | None = None
    message_ref: str | None = None
    detail: str = ""
    # The platform's handle for a stored attachment after this send uploaded it (a Telegram
    # file id, Matrix mxc URLs): passed back as `Attachment.platform_ref`, no upload again.
    media_ref: str | None = None
    # The chat actually tried when the transport followed a move (an alias resolved to a room
    # id, a room upgrade, a group that became a supergroup).
    chat_id: str | None = None


@dataclass(frozen=True)
class RateLimits:
    """Send rates the delivery worker keeps to for this platform (0 = unlimited)."""

    per_second: float
    per_chat_per_second: float
    per_group_per_minute: float


class Transport(Protocol):
    platform: Platform

    async def start(self, dispatch: Dispatch) -> None:
        """Connect and begin handing updates to `dispatch`; returns once running."""

    async def stop(self) -> None:
        """Stop receiving, finish the update in hand, disconnect."""

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        """Deliver one message outside a conversation (the outbox worker calls this)."""

    async def direct_chat(self, user_id: str) -> str | None:
        """The chat id to reach this user privately, creating it if the platform needs that."""

    def rate_limits(self) -> RateLimits:
        """How fast this platform allows the bot to send."""

    def is_alive(self) -> bool:
        """Whether the connection currently works (for /healthz)."""
