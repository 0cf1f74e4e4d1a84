"""What the Matrix transport remembers between messages: open choices and the polls it sent.

Kept in the transport state store (the database) with a small cache, so a restart keeps them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Protocol

_KEY_CHOICES = "matrix:choices:"  # per room: the latest choices, answered by number
_KEY_CHOICE_MESSAGE = "matrix:choicemsg:"  # per message: its choices, answered by reaction
_KEY_POLL = "matrix:poll:"
_KEY_KEYCAPS = "matrix:keycaps:"  # per message: the bot's number reactions under it


class StateStore(Protocol):
    """Small key/value state of a transport, kept in the database."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...

    async def record_route(self, platform: str, name: str, chat_id: str | None) -> None:
        """Where a configured room name (alias) or an upgraded room's old id leads now."""


@dataclass
class Choices:
    """Numbered choices the bot offered in a room, under the message `event_id`."""

    event_id: str
    payloads: list[str]
    # What each says: a member may type it instead of its number (stored before: none).
    labels: list[str] = field(default_factory=list)
    # Lettered (`a.`): the question asks for a number, which is then no choice, or the text
    # numbers its items, whose numbers then press their buttons (`items`, `Button.item`).
    lettered: bool = False
    items: list[int | None] = field(default_factory=list)
    # The message each choice is listed under: the replies to one message number their
    # choices on (/offen: one message per item), and all of them answer a typed number
    # (stored before, or one message's: empty, all under `event_id`).
    messages: list[str] = field(default_factory=list)

    def under(self, event_id: str) -> list[str | None] | None:
        """The payloads listed under one message at their numbers, None at the numbers of the
        other messages (a reaction names its message); None when it lists none of them."""
        owners = self._owners()
        if event_id not in owners:
            return None
        last = len(owners) - owners[::-1].index(event_id)
        listed = zip(self.payloads[:last], owners[:last], strict=True)
        return [payload if owner == event_id else None for payload, owner in listed]

    def followed_by(self, more: Choices) -> Choices:
        """These choices and those of a newer message, numbered on from them."""
        return Choices(
            more.event_id,
            [*self.payloads, *more.payloads],
            [*self.labels, *more.labels],
            False,
            [*self.items, *more.items],
            [*self._owners(), *more._owners()],
        )

    def _owners(self) -> list[str]:
        return self.messages or [self.event_id] * len(self.payloads)


@dataclass
class SentPoll:
    """A poll the bot started: our key, its room and the answer ids in option order."""

    poll_key: str
    room_id: str
    answer_ids: list[str]
    closed: bool = False


class MatrixMemory:
    def __init__(self, state: StateStore) -> None:
        self.state = state
        self._choices: dict[str, Choices | None] = {}
        self._polls: dict[str, SentPoll | None] = {}

    async def choices(self, room_id: str) -> Choices | None:
        """The latest open choices of a room (a typed number answers these)."""
        if room_id not in self._choices:
            raw = await self.state.get(_KEY_CHOICES + room_id)
            self._choices[room_id] = Choices(**json.loads(raw)) if raw else None
        return self._choices[room_id]

    async def choices_of_message(self, event_id: str) -> list[str | None] | None:
        """The payloads offered under one message at their numbers (a reaction names its
        message; None at the numbers of the messages before it that the same answer listed)."""
        for choices in self._choices.values():
            under = choices.under(event_id) if choices is not None else None
            if under is not None:
                return under
        raw = await self.state.get(_KEY_CHOICE_MESSAGE + event_id)
        return list(json.loads(raw)) if raw else None

    async def put_choices(self, room_id: str, choices: Choices) -> None:
        """The room's latest choices, the newest message's among them."""
        self._choices[room_id] = choices
        under = json.dumps(choices.under(choices.event_id))
        await self.state.set(_KEY_CHOICE_MESSAGE + choices.event_id, under)
        await self.state.set(_KEY_CHOICES + room_id, json.dumps(asdict(choices)))

    async def clear_choices(self, room_id: str) -> None:
        self._choices[room_id] = None
        await self.state.set(_KEY_CHOICES + room_id, "")

    async def replace_choices_of_message(
        self, room_id: str, event_id: str, choices: Choices | None
    ) -> None:
        """An edited message's choices (None: it has none now); the room's latest choices
        follow when they were that message's, or listed it among others (its list, numbered
        from 1 again, is then the newest the member reads)."""
        payloads = json.dumps(choices.payloads) if choices is not None else ""
        await self.state.set(_KEY_CHOICE_MESSAGE + event_id, payloads)
        latest = await self.choices(room_id)
        if latest is None or latest.under(event_id) is None:
            return
        if choices is None:
            await self.clear_choices(room_id)
        else:
            await self.put_choices(room_id, choices)

    async def keycaps(self, event_id: str) -> list[str]:
        """The event ids of the number reactions the bot put under a message."""
        raw = await self.state.get(_KEY_KEYCAPS + event_id)
        return list(json.loads(raw)) if raw else []

    async def put_keycaps(self, event_id: str, reactions: list[str]) -> None:
        await self.state.set(_KEY_KEYCAPS + event_id, json.dumps(reactions) if reactions else "")

    async def poll(self, event_id: str) -> SentPoll | None:
        if event_id not in self._polls:
            raw = await self.state.get(_KEY_POLL + event_id)
            self._polls[event_id] = SentPoll(**json.loads(raw)) if raw else None
        return self._polls[event_id]

    async def put_poll(self, event_id: str, poll: SentPoll) -> None:
        self._polls[event_id] = poll
        await self.state.set(_KEY_POLL + event_id, json.dumps(asdict(poll)))
