"""What a member wrote last in a chat, for a few minutes: the message a follow-up points back to.

"Wie melde ich mich zum Symposium an?" and, a minute later, "Was kostet das?": the second is
read with the first (the FAQ's rule, handlers/faq/asking.py `follow_up`). Only free text is
kept, and only until the member's next update (a command, a button or a flow's answer in
between ends it). In memory only: a restart forgets, and nothing of it reaches the database.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

# A message this much later than the one before it is read alone.
FOLLOW_UP_MINUTES = 10
# At most this many chats are remembered (the oldest go first), each text up to this length.
MAX_KEPT = 10_000
MAX_TEXT_CHARS = 2_000

Key = tuple[str, str, str]  # platform, chat, sender


@dataclass(frozen=True)
class _Written:
    text: str
    at: datetime


class RecentTexts:
    """The last free-text message per member and chat, taken by the next update."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(minutes=FOLLOW_UP_MINUTES),
        max_kept: int = MAX_KEPT,
    ) -> None:
        self.window = window
        self.max_kept = max_kept
        self._written: OrderedDict[Key, _Written] = OrderedDict()

    def take(self, key: Key, now: datetime) -> str:
        """The text kept for `key` if it came within the window before `now`, else "";
        forgotten either way: only the update right after it may point back to it."""
        written = self._written.pop(key, None)
        if written is None or not timedelta(0) <= now - written.at <= self.window:
            return ""
        return written.text

    def keep(self, key: Key, text: str, now: datetime) -> None:
        """Remember `text` as what was written last under `key`."""
        self._written.pop(key, None)
        self._written[key] = _Written(text[:MAX_TEXT_CHARS], now)
        while len(self._written) > self.max_kept:
            self._written.popitem(last=False)

    def __len__(self) -> int:
        return len(self._written)
