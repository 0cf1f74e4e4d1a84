"""Test members on Matrix: real matrix-nio clients that record everything they see."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nio import (
    AsyncClient,
    Event,
    JoinResponse,
    MatrixRoom,
    RoomCreateResponse,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
)

from tests.conftest_synapse import MatrixAccount, sync_until

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


@dataclass
class Seen:
    room_id: str
    event: Event

    @property
    def sender(self) -> str:
        return str(self.event.sender)

    @property
    def type(self) -> str:
        return str(self.event.source.get("type", ""))

    @property
    def content(self) -> dict[str, Any]:
        content: dict[str, Any] = self.event.source.get("content", {})
        return content

    @property
    def body(self) -> str:
        return str(self.content.get("body", ""))


@dataclass
class TestMember:
    """A member in Element, played by a matrix-nio client."""

    __test__ = False

    client: AsyncClient
    account: MatrixAccount
    seen: list[Seen] = field(default_factory=list)
    _cursor: int = 0

    @classmethod
    def wrap(cls, client: AsyncClient, account: MatrixAccount) -> TestMember:
        member = cls(client, account)

        async def record(room: MatrixRoom, event: Event) -> None:
            member.seen.append(Seen(room.room_id, event))

        client.add_event_callback(record, Event)
        return member

    @property
    def user_id(self) -> str:
        return self.account.user_id

    async def sync(self, predicate: Callable[[SyncResponse], bool], within: float = 10) -> None:
        await sync_until(self.client, predicate, within=within)

    async def open_dm(self, bot_id: str, *, encrypted: bool) -> str:
        """Create a direct chat with the bot, as Element does, and wait until the bot is in."""
        created = await self.client.room_create(
            is_direct=True,
            invite=[bot_id],
            preset=RoomPreset.trusted_private_chat,
            initial_state=[ENCRYPTION_STATE] if encrypted else [],
        )
        assert isinstance(created, RoomCreateResponse), created
        room_id: str = created.room_id
        await self.wait_joined(room_id, bot_id)
        return room_id

    async def open_room(
        self, name: str, invite: list[str], *, encrypted: bool = False, alias: str | None = None
    ) -> str:
        """A private room; `alias` is the localpart of its `#alias:server`."""
        created = await self.client.room_create(
            name=name,
            alias=alias,
            invite=invite,
            preset=RoomPreset.private_chat,
            initial_state=[ENCRYPTION_STATE] if encrypted else [],
        )
        assert isinstance(created, RoomCreateResponse), created
        room_id: str = created.room_id
        await self.sync(lambda _r: room_id in self.client.rooms)
        return room_id

    async def wait_joined(self, room_id: str, user_id: str, within: float = 10) -> None:
        def joined(_r: SyncResponse) -> bool:
            room = self.client.rooms.get(room_id)
            return bool(room and user_id in room.users and user_id not in room.invited_users)

        await self.sync(joined, within)

    async def accept_invite(self, room_id: str) -> None:
        await self.sync(lambda _r: room_id in self.client.invited_rooms)
        joined = await self.client.join(room_id)
        assert isinstance(joined, JoinResponse), joined
        await self.sync(lambda _r: room_id in self.client.rooms)

    async def send(self, room_id: str, event_type: str, content: dict[str, Any]) -> str:
        resp = await self.client.room_send(
            room_id, event_type, content, ignore_unverified_devices=True
        )
        assert isinstance(resp, RoomSendResponse), resp
        event_id: str = resp.event_id
        return event_id

    async def say(self, room_id: str, text: str, **extra: Any) -> str:
        return await self.send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": text, **extra}
        )

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        return await self.send(room_id, "m.reaction", {"m.relates_to": relation})

    async def vote(
        self, room_id: str, poll_id: str, answers: list[str], *, stable: bool = False
    ) -> str:
        relation = {"rel_type": "m.reference", "event_id": poll_id}
        if stable:
            return await self.send(
                room_id, "m.poll.response", {"m.relates_to": relation, "m.selections": answers}
            )
        content = {
            "m.relates_to": relation,
            "org.matrix.msc3381.poll.response": {"answers": answers},
        }
        return await self.send(room_id, "org.matrix.msc3381.poll.response", content)

    def from_(self, sender: str, room_id: str, types: tuple[str, ...]) -> list[Seen]:
        return [
            s
            for s in self.seen[self._cursor :]
            if s.sender == sender and s.room_id == room_id and s.type in types
        ]

    async def expect(
        self,
        sender: str,
        room_id: str,
        count: int = 1,
        *,
        types: tuple[str, ...] = ("m.room.message",),
        within: float = 10,
    ) -> list[Seen]:
        """Wait for `count` new events of `sender` (since the last `expect`) and consume them."""
        await self.sync(lambda _r: len(self.from_(sender, room_id, types)) >= count, within)
        found = self.from_(sender, room_id, types)
        self._cursor = len(self.seen)
        return found

    async def expect_nothing(self, sender: str, room_id: str, *, within: float = 1.5) -> None:
        """Nothing new from `sender` for `within` seconds."""
        try:
            found = await self.expect(sender, room_id, within=within)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected: {[s.body for s in found]}")


async def settle() -> None:
    """Give the bot's sync loop a moment (long-polls return as soon as events arrive)."""
    await asyncio.sleep(0.2)
