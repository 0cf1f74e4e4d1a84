"""Edits of group messages (live place counts), coalesced: the latest version wins.

Telegram allows about 20 messages a minute into one group, edits included. When thirty members
press "Join" on an excursion announcement within a minute, editing the count thirty times would
hold every press (and, through the rate limiter, the bot) for a minute or more. Instead each
press returns at once, and one background task per message keeps editing it to the newest text
until no newer version is waiting: a burst of presses costs a handful of edits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.messages import Reply

log = logging.getLogger(__name__)

Edit = Callable[[Reply], Awaitable[object]]
CLOSE_WAIT = 10.0


class EditCoalescer:
    def __init__(self, edit: Edit) -> None:
        self._edit = edit
        self._latest: dict[str, Reply] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.applied = 0  # edits actually sent (for tests and logs)

    def submit(self, reply: Reply) -> str:
        """Queue `reply` (which has an edit_ref) as the message's newest version."""
        ref = reply.edit_ref
        assert ref is not None
        self._latest[ref] = reply
        if ref not in self._tasks:
            self._tasks[ref] = asyncio.create_task(self._drain(ref), name=f"telegram-edit-{ref}")
        return ref

    async def _drain(self, ref: str) -> None:
        try:
            while ref in self._latest:
                reply = self._latest.pop(ref)
                try:
                    await self._edit(reply)
                    self.applied += 1
                except Exception:
                    log.exception("telegram: editing message %s failed", ref)
        finally:
            self._tasks.pop(ref, None)

    async def close(self) -> None:
        """Let pending edits finish (up to CLOSE_WAIT seconds), then cancel what is left."""
        tasks = list(self._tasks.values())
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=CLOSE_WAIT)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
