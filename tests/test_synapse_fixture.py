"""The Synapse fixture works, end-to-end encryption included, with two real matrix-nio clients."""

from __future__ import annotations

from nio import (
    AsyncClient,
    JoinResponse,
    MegolmEvent,
    RoomCreateResponse,
    RoomMessageText,
    RoomPreset,
    RoomSendResponse,
    SyncResponse,
)

from tests.conftest_synapse import NioClientFactory, SynapseServer, sync_until

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


def _texts(resp: SyncResponse, room_id: str, sender: str | None = None) -> list[RoomMessageText]:
    room = resp.rooms.join.get(room_id)
    if room is None:
        return []
    events = [e for e in room.timeline.events if isinstance(e, RoomMessageText)]
    return [e for e in events if sender is None or e.sender == sender]


def _undecrypted(resp: SyncResponse, room_id: str) -> list[MegolmEvent]:
    room = resp.rooms.join.get(room_id)
    if room is None:
        return []
    return [e for e in room.timeline.events if isinstance(e, MegolmEvent)]


async def _encrypted_dm(alice: AsyncClient, bob: AsyncClient) -> str:
    """Alice opens an encrypted direct chat with Bob; Bob joins; both know it is encrypted."""
    created = await alice.room_create(
        is_direct=True,
        invite=[bob.user_id],
        preset=RoomPreset.trusted_private_chat,
        initial_state=[ENCRYPTION_STATE],
    )
    assert isinstance(created, RoomCreateResponse), created
    room_id: str = created.room_id
    await sync_until(bob, lambda r: room_id in r.rooms.invite)
    joined = await bob.join(room_id)
    assert isinstance(joined, JoinResponse), joined
    await sync_until(bob, lambda _r: room_id in bob.rooms and bob.rooms[room_id].encrypted)
    await sync_until(
        alice,
        lambda _r: (
            bob.user_id in alice.rooms[room_id].users
            and bob.user_id not in alice.rooms[room_id].invited_users
        ),
    )
    return room_id


async def test_server_answers_and_registers(synapse: SynapseServer) -> None:
    account = await synapse.aregister(synapse.unique_localpart("probe"))
    assert account.user_id.startswith("@probe")
    assert account.access_token and account.device_id
    blocking = synapse.register(synapse.unique_localpart("probe"), admin=True)
    assert blocking.user_id.endswith(":localhost")


async def test_encrypted_direct_chat_round_trip(nio_client: NioClientFactory) -> None:
    alice = await nio_client("alice")
    bob = await nio_client("bob")
    room_id = await _encrypted_dm(alice, bob)
    assert alice.rooms[room_id].encrypted

    sent = await alice.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": "Glück auf, Bob!"},
        ignore_unverified_devices=True,
    )
    assert isinstance(sent, RoomSendResponse), sent

    resp = await sync_until(bob, lambda r: bool(_texts(r, room_id) or _undecrypted(r, room_id)))
    assert not _undecrypted(resp, room_id), "Bob got the event but not the room key"
    [message] = _texts(resp, room_id)
    assert message.body == "Glück auf, Bob!"
    assert message.decrypted
    assert message.sender == alice.user_id
    assert message.event_id == sent.event_id

    # And back: Bob (who has not queried Alice's devices yet) answers in the same room.
    answer = await bob.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": "Danke!"},
        ignore_unverified_devices=True,
    )
    assert isinstance(answer, RoomSendResponse), answer
    resp = await sync_until(alice, lambda r: bool(_texts(r, room_id, bob.user_id)))
    [back] = _texts(resp, room_id, bob.user_id)
    assert back.body == "Danke!" and back.decrypted


async def test_trust_on_first_use(nio_client: NioClientFactory) -> None:
    """Verifying each device on first sight lets a client send without ignoring anyone."""
    alice = await nio_client("alice")
    bob = await nio_client("bob")
    room_id = await _encrypted_dm(alice, bob)
    assert alice.olm is not None
    for device in alice.device_store.active_user_devices(bob.user_id):
        alice.verify_device(device)
    sent = await alice.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "tofu"})
    assert isinstance(sent, RoomSendResponse), sent
    resp = await sync_until(bob, lambda r: bool(_texts(r, room_id)))
    assert _texts(resp, room_id)[0].body == "tofu"
