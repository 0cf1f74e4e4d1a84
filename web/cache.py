"""Numbers that are costly to count on a large network, kept for a short while.

An aggregate over a large table takes a while (the per-entry counts over 100,000 questions:
some 130 ms with SQLite), on the dashboard's reader (web/reader.py) or, where there is none
(in-memory SQLite), on the bot's own loop. When the counted value says the network is large
(`large`), it is reused for up to `ttl` seconds even while the data moves (members keep
asking): a chart or a per-entry count a minute old is harmless. On a small network (and in
the tests) the value is reused only while the data's fingerprint (`state`) is unchanged, so
it is never stale there.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Kept(Generic[T]):
    value: T
    at: float
    large: bool
    state: object


class Costly(Generic[T]):
    """One kept value; `get` counts again when it must (see the module's docstring)."""

    def __init__(self, *, ttl: float, large: Callable[[T], bool]) -> None:
        self.ttl = ttl
        self.large = large
        self._kept: _Kept[T] | None = None

    async def get(self, count: Callable[[], Awaitable[T]], state: object = None) -> T:
        """The kept value if it is younger than `ttl` and either large or counted at the same
        `state` (a cheap fingerprint of the data, None: none); else `count()`."""
        now = time.monotonic()
        kept = self._kept
        if kept is not None and now - kept.at < self.ttl:
            same = state is not None and kept.state == state
            if kept.large or same:
                return kept.value
        value = await count()
        self._kept = _Kept(value, now, self.large(value), state)
        return value
