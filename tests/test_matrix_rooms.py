"""Rooms the config names, by alias or by id, on a real Synapse: announcements, polls and
broadcasts arrive; a room the bot is not in, or an alias that does not exist, is reported to the
admins once and by `rewimet-bot check`."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

import aiohttp
import pytest
from nio import RoomCreateResponse, RoomPreset
from sqlalchemy import select

from bot.cli import main
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from storage import chat_routes
from storage.events import EventPoll, EventPollVote
from storage.models import OutboxMessage
from tests.conftest_synapse import NioClientFactory
from tests.matrix_bot import (
    EVENT_FORM,
    POLL_START,
    BotRun,
    another_member,
    member_id_of,
    seen_from,
)
from tests.matrix_members import TestMember

pytestmark = pytest.mark.synapse

BotFactory = Callable[..., Awaitable[BotRun]]


def server_of(user_id: str) -> str:
    return user_id.split(":", 1)[1]


def fresh_alias(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


async def new_event(admin: TestMember, bot: BotRun, dm: str, form: str = EVENT_FORM) -> int:
    await admin.say(dm, f"!newevent {form}")
    preview = await seen_from(admin, bot.user_id, dm, lambda s: "So wird sie angelegt" in s.body)
    admin.seen.remove(preview)
    await admin.say(dm, "speichern")  # nothing is stored or announced before this
    created = await seen_from(admin, bot.user_id, dm, lambda s: "ist angelegt" in s.body)
    admin.seen.remove(created)  # the next event's confirmation is another message
    return int(created.body.split("Nr. ")[1].split()[0])


async def group_rows(bot: BotRun) -> list[OutboxMessage]:
    async with bot.the_app.services.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.member_id.is_(None))
        return list((await session.scalars(query.order_by(OutboxMessage.id))).all())


async def settled(bot: BotRun, count: int) -> list[OutboxMessage]:
    rows: list[OutboxMessage] = []
    for _ in range(300):
        rows = await group_rows(bot)
        if len(rows) >= count and all(r.status not in ("pending", "sending") for r in rows):
            return rows
        await asyncio.sleep(0.1)
    raise AssertionError(f"room messages did not settle: {[r.status for r in rows]}")


async def check_output(bot: BotRun, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`rewimet-bot check` with the bot's own config, as the operator runs it."""
    matrix = bot.the_app.services.settings.matrix
    rooms = ", ".join(f'"{r}"' for r in matrix.rooms)
    announce = ", ".join(f'"{r}"' for r in matrix.announcement_rooms)
    config = tmp_path / f"check-{secrets.token_hex(2)}.toml"
    lines = [
        "[database]",
        f'url = "{bot.db_url}"',
        "[matrix]",
        f'homeserver = "{bot.synapse.url}"',
        f'user_id = "{bot.user_id}"',
        f'password = "{bot.account.password}"',
        f'store_path = "{bot.store}"',
        f"rooms = [{rooms}]",
        f"announcement_rooms = [{announce}]",
    ]
    if matrix.young_professionals_room:
        lines.append(f'young_professionals_room = "{matrix.young_professionals_room}"')
    config.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    await asyncio.to_thread(main, ["check", "--config", str(config)])
    return capsys.readouterr().out


@pytest.mark.parametrize("naming", ["alias", "id"])
async def test_rooms_by_alias_or_id_get_announcements_polls_and_broadcasts(
    naming: str, bot_factory: BotFactory, member: TestMember, nio_client: NioClientFactory
) -> None:
    bob = await another_member(nio_client, "bob")
    bot = await bot_factory(start=False)
    server = server_of(member.user_id)
    yp_alias, news_alias = fresh_alias("yp"), fresh_alias("news")
    yp = await member.open_room("Junge Profis", [bot.user_id, bob.user_id], alias=yp_alias)
    news = await member.open_room("Neuigkeiten", [bot.user_id, bob.user_id], alias=news_alias)
    for room in (yp, news):
        await bob.accept_invite(room)
    named = {yp: f"#{yp_alias}:{server}", news: f"#{news_alias}:{server}"}
    if naming == "id":
        named = {yp: yp, news: news}
    bot.settings = {
        "admins": {"matrix": [member.user_id]},
        "matrix": {"young_professionals_room": named[yp], "announcement_rooms": [named[news]]},
    }
    await bot.start()
    for room in (yp, news):
        await member.wait_joined(room, bot.user_id)
    dm = await member.open_dm(bot.user_id, encrypted=False)

    # An excursion: announced to the young professionals and in the announcement room.
    number = await new_event(member, bot, dm)
    for room in (yp, news):
        announcement = await seen_from(bob, bot.user_id, room, lambda s: "Goslar" in s.body)
        assert "0/1 Platz belegt" in announcement.body

    # The date poll appears in the young professionals' room; Bob's vote is counted.
    await member.say(dm, f"!eventpoll {number} Welcher Termin passt? | Mo 3. Juni | Di 4. Juni")
    shown = await seen_from(member, bot.user_id, dm, lambda s: "So geht die Umfrage" in s.body)
    member.seen.remove(shown)
    await member.say(dm, "senden")  # nothing goes out before this
    poll = await seen_from(bob, bot.user_id, yp, lambda s: s.type in POLL_START)
    answers = [a["id"] for a in poll.content["org.matrix.msc3381.poll.start"]["answers"]]
    await bob.vote(yp, poll.event.event_id, [answers[1]])

    async def votes() -> list[tuple[int, list[int]]]:
        async with bot.the_app.services.db.session() as session:
            stored = await session.scalar(select(EventPoll).where(EventPoll.event_id == number))
            assert stored is not None
            rows = await session.scalars(
                select(EventPollVote).where(EventPollVote.poll_id == stored.id)
            )
            return [(v.member_id, v.options) for v in rows]

    for _ in range(100):  # the vote reaches the bot in its own sync
        if await votes():
            break
        await asyncio.sleep(0.1)
    assert await votes() == [(await member_id_of(bot, bob.user_id), [1])]
    await member.say(dm, f"!pollresults {number}")
    results = await seen_from(member, bot.user_id, dm, lambda s: "abgestimmt" in s.body)
    assert "Di 4. Juni: 1" in results.body

    # A broadcast with "also to the announcement rooms".
    services = bot.the_app.services
    await queue_broadcast(
        services.db,
        services.settings,
        created_by=None,
        text="Neues aus dem Cluster",
        audience=Audience("all"),
        announce=True,
        send_at=services.clock(),
    )
    services.outbox_wakeup()
    await seen_from(bob, bot.user_id, news, lambda s: "Neues aus dem Cluster" in s.body)

    # What was queued and sent names the rooms by id, whatever the config said.
    rows = await settled(bot, 5)
    assert {r.chat_id for r in rows} == {yp, news}
    assert {r.status for r in rows} == {"sent"}


async def test_bot_invited_after_start_and_admins_told_once(
    bot_factory: BotFactory,
    member: TestMember,
    nio_client: NioClientFactory,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bob = await another_member(nio_client, "bob")
    bot = await bot_factory(start=False)
    yp_alias = fresh_alias("yp")
    full_alias = f"#{yp_alias}:{server_of(member.user_id)}"
    yp = await member.open_room("Junge Profis", [bob.user_id], alias=yp_alias)  # no bot
    await bob.accept_invite(yp)
    bot.settings = {
        "admins": {"matrix": [member.user_id]},
        "matrix": {"young_professionals_room": full_alias},
    }
    await bot.start()
    dm = await member.open_dm(bot.user_id, encrypted=False)

    out = await check_output(bot, tmp_path, capsys)
    assert f"matrix young_professionals_room {full_alias}: FAILED ({yp}: the bot is not in" in out

    # Two excursions while the bot is not in the room: the admin hears of it once.
    await new_event(member, bot, dm)
    await new_event(member, bot, dm)
    rows = await settled(bot, 2)
    assert [(r.chat_id, r.status) for r in rows] == [(yp, "unreachable")] * 2
    notice = await seen_from(member, bot.user_id, dm, lambda s: "kommen nicht an" in s.body)
    assert full_alias in notice.body and "Bitte laden Sie ihn ein" in notice.body
    await asyncio.sleep(1.0)
    await member.sync(lambda _r: True)
    notices = [s for s in member.from_(bot.user_id, dm, ("m.room.message",))]
    assert len([s for s in notices if "kommen nicht an" in s.body]) == 1

    # Invited now: the bot joins, and the next announcement arrives.
    await member.client.room_invite(yp, bot.user_id)
    await member.wait_joined(yp, bot.user_id)
    await new_event(member, bot, dm, EVENT_FORM.replace("Goslar", "Clausthal"))
    await seen_from(bob, bot.user_id, yp, lambda s: "Clausthal" in s.body)
    # The worker closes the problem once the send has returned: Bob may see the message first.
    for _ in range(100):
        async with bot.the_app.services.db.session() as session:
            if not list(await chat_routes.problems(session)):
                break
        await asyncio.sleep(0.1)
    async with bot.the_app.services.db.session() as session:
        assert list(await chat_routes.problems(session)) == []
    out = await check_output(bot, tmp_path, capsys)
    assert f"matrix young_professionals_room {full_alias}: ok ({yp}, the bot is in it)" in out


async def test_an_alias_that_does_not_exist(
    bot_factory: BotFactory, member: TestMember, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bot = await bot_factory(start=False)
    missing = f"#{fresh_alias('nowhere')}:{server_of(member.user_id)}"
    bot.settings = {
        "admins": {"matrix": [member.user_id]},
        "matrix": {"announcement_rooms": [missing]},
    }
    await bot.start()
    dm = await member.open_dm(bot.user_id, encrypted=False)

    out = await check_output(bot, tmp_path, capsys)
    assert f"matrix announcement_rooms {missing}: FAILED (this alias does not exist" in out
    await new_event(member, bot, dm)
    rows = await settled(bot, 1)
    assert [(r.chat_id, r.status) for r in rows] == [(missing, "unreachable")]
    notice = await seen_from(member, bot.user_id, dm, lambda s: "kommen nicht an" in s.body)
    assert missing in notice.body and "Raumadresse gibt es auf dem Server nicht" in notice.body


async def test_an_upgraded_room_is_followed(
    bot_factory: BotFactory, member: TestMember, nio_client: NioClientFactory
) -> None:
    """Room upgrade (m.room.tombstone): the bot joins the replacement and announces there."""
    bob = await another_member(nio_client, "bob")
    bot = await bot_factory(start=False)
    alias = fresh_alias("yp")
    created = await member.client.room_create(
        name="Junge Profis", alias=alias, preset=RoomPreset.public_chat
    )
    assert isinstance(created, RoomCreateResponse), created
    old = created.room_id
    await bob.client.join(old)
    bot.settings = {
        "admins": {"matrix": [member.user_id]},
        "matrix": {"young_professionals_room": f"#{alias}:{server_of(member.user_id)}"},
    }
    await bot.start()
    await member.sync(lambda _r: old in member.client.rooms)
    await member.wait_joined(old, bot.user_id)

    path = f"/_matrix/client/v3/rooms/{quote(old, safe='')}/upgrade"
    headers = {"Authorization": f"Bearer {member.client.access_token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(bot.synapse.url + path, json={"new_version": "10"}, headers=headers) as r,
    ):
        assert r.status == 200, await r.text()
        new = (await r.json())["replacement_room"]
    await bob.client.join(new)
    await member.sync(lambda _r: new in member.client.rooms)
    await member.wait_joined(new, bot.user_id, within=20)

    dm = await member.open_dm(bot.user_id, encrypted=False)
    await new_event(member, bot, dm)
    await seen_from(bob, bot.user_id, new, lambda s: "Goslar" in s.body)
    rows = await settled(bot, 1)
    assert [(r.chat_id, r.status) for r in rows] == [(new, "sent")]
