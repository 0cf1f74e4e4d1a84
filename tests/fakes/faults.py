"""Fault injection and rate limiting for the Bot API fake.

A fault is what the fake answers instead of the real result: 429 with retry_after, a 5xx, a
403, or a delay (answered normally afterwards, so a client that timed out may still have
delivered: the same ambiguity the real server has).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from tests.fakes.tg_objects import ApiError

# Methods that put something into a chat: faults and rate limits apply to these by default.
SENDING_METHODS = frozenset(
    {
        "sendmessage", "senddocument", "sendpoll", "sendphoto", "sendchataction",
        "editmessagetext", "editmessagereplymarkup", "editmessagecaption", "stoppoll",
        "copymessage", "forwardmessage", "deletemessage", "answercallbackquery",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Fault:
    """One injected answer. `delay` only: slow, then the normal answer."""

    status: int = 0
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0

    @classmethod
    def too_many(cls, retry_after: int = 1) -> Fault:
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    @classmethod
    def bad_gateway(cls) -> Fault:
        return cls(502, "Bad Gateway")

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        return cls(delay=seconds)

    @classmethod
    def blocked(cls) -> Fault:
        return cls(403, "Forbidden: bot was blocked by the user")

    def error(self) -> ApiError | None:
        if not self.status:
            return None
        return ApiError(self.status, self.description, self.retry_after)


def _normalise(methods: Collection[str] | None) -> frozenset[str] | None:
    return None if methods is None else frozenset(m.lower() for m in methods)


@dataclass
class _Rule:
    faults: tuple[Fault, ...]
    methods: frozenset[str] | None  # None: SENDING_METHODS
    remaining: int | None  # next-N rule; None for a share rule
    share: float = 0.0

    def matches(self, method: str) -> bool:
        return method in (SENDING_METHODS if self.methods is None else self.methods)


class FaultPlan:
    """Decides per call whether to inject a fault; next-N rules win over share rules."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._random = random.Random(0)
        self.injected = 0

    def next(self, count: int, *faults: Fault, methods: Collection[str] | None = None) -> None:
        """The next `count` matching calls get the faults in turn (cycled)."""
        self._rules.insert(0, _Rule(faults, _normalise(methods), count))

    def share(
        self,
        share: float,
        *faults: Fault,
        methods: Collection[str] | None = None,
        seed: int | None = None,
    ) -> None:
        """A random `share` (0..1) of matching calls gets one of the faults."""
        if seed is not None:
            self._random.seed(seed)
        self._rules.append(_Rule(faults, _normalise(methods), None, share))

    def clear(self) -> None:
        self._rules.clear()

    def pick(self, method: str) -> Fault | None:
        for rule in self._rules:
            if not rule.matches(method):
                continue
            if rule.remaining is not None:
                if rule.remaining <= 0:
                    continue
                rule.remaining -= 1
                self.injected += 1
                return rule.faults[rule.remaining % len(rule.faults)]
            if self._random.random() < rule.share:
                self.injected += 1
                return self._random.choice(rule.faults)
        return None


class _Bucket:
    """Token bucket: `rate` tokens per second, at most `burst` saved up."""

    __slots__ = ("burst", "rate", "stamp", "tokens")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.stamp = now

    def take(self, now: float) -> float:
        """Take a token; 0.0 if granted, else the seconds until one is available."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


@dataclass(frozen=True)
class Limits:
    per_second: float = 0.0
    per_chat_per_second: float = 0.0
    per_group_per_minute: float = 0.0
    burst_seconds: float = 1.0  # how much unused capacity the global bucket may save up


class RateLimiter:
    """Telegram's flood control, approximately: answers 429 with retry_after when exceeded.

    `clock` tells the seconds the buckets refill by; a test that counts what one burst is let
    through stops it (on a busy machine thirty sends at once spread over a second)."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._global = (
            _Bucket(limits.per_second, max(1.0, limits.per_second * limits.burst_seconds), clock())
            if limits.per_second
            else None
        )
        self._chats: dict[str, _Bucket] = {}

    def check(self, chat_id: str | None, is_group: bool) -> None:
        now = self.clock()
        wait = 0.0
        if chat_id is not None:
            bucket = self._chat_bucket(chat_id, is_group)
            if bucket is not None:
                wait = bucket.take(now)
        if not wait and self._global is not None:
            wait = self._global.take(now)
        if wait:
            retry_after = max(1, round(wait + 0.499))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    def _chat_bucket(self, chat_id: str, is_group: bool) -> _Bucket | None:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if is_group and self.limits.per_group_per_minute:
                per_minute = self.limits.per_group_per_minute
                bucket = _Bucket(per_minute / 60.0, per_minute, self.clock())
            elif not is_group and self.limits.per_chat_per_second:
                per_second = self.limits.per_chat_per_second
                # short bursts tolerated
                bucket = _Bucket(per_second, max(1.0, 3 * per_second), self.clock())
            else:
                return None
            self._chats[chat_id] = bucket
        return bucket
