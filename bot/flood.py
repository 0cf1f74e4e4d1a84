"""Per-member flood limit: a token bucket, and one polite notice when it runs dry."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum


class FloodVerdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  # over the limit for the first time: tell them once
    DROP = "drop"  # still over the limit: stay silent


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    notified: bool = False


class FloodLimiter:
    def __init__(self, *, per_minute: int, burst: int, max_tracked: int = 50_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_tracked = max_tracked
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str, now: float | None = None) -> FloodVerdict:
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_tracked:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens >= self.burst:
            # Calmed down completely: a later flood deserves a new notice.
            bucket.notified = False
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return FloodVerdict.ALLOW
        if bucket.notified:
            return FloodVerdict.DROP
        bucket.notified = True
        return FloodVerdict.NOTIFY

    def _forget_full(self, now: float) -> None:
        """Drop buckets that have refilled: they hold nothing a new bucket would not."""
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.stamp) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]
