"""Configured Telegram groups, end to end against the Bot API fake: a group that became a
supergroup keeps getting news, a group the bot cannot reach is reported to the admins once, and
`rewimet-bot check` names every configured group it cannot reach."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from storage import chat_routes
from storage.models import OutboxMessage
from tests.fakes.bot_api import FakeBotApi
from tests.telegram_harness import ADMIN_ID, TelegramBot, build_telegram_bot

OLD_GROUP = -4001234
SUPERGROUP = -1004001234
NEWS_GROUP = -1005550001


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.chats[str(NEWS_GROUP)] = {"id": NEWS_GROUP, "type": "supergroup", "title": "News"}
        yield server


@pytest.fixture
async def started(
    fake: FakeBotApi, tmp_path: Path
) -> AsyncIterator[Callable[..., Awaitable[TelegramBot]]]:
    bots: list[TelegramBot] = []

    async def start(**telegram: object) -> TelegramBot:
        bot = await build_telegram_bot(
            fake, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", telegram=telegram
        )
        await bot.app.start()
        bots.append(bot)
        return bot

    yield start
    for bot in bots:
        await bot.stop()


async def broadcast(tg: TelegramBot, text: str) -> None:
    services = tg.app.services
    await queue_broadcast(
        services.db,
        services.settings,
        created_by=None,
        text=text,
        audience=Audience("all"),
        announce=True,
        send_at=services.clock(),
    )
    services.outbox_wakeup()


async def group_rows(tg: TelegramBot) -> list[OutboxMessage]:
    async with tg.app.services.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.member_id.is_(None))
        return list((await session.scalars(query.order_by(OutboxMessage.id))).all())


async def settled(tg: TelegramBot, count: int) -> list[OutboxMessage]:
    """The group messages once `count` of them are no longer waiting or in flight."""
    for _ in range(200):
        rows = await group_rows(tg)
        if len(rows) >= count and all(r.status not in ("pending", "sending") for r in rows):
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"group messages did not settle: {[r.status for r in rows]}")


async def admin_has_written(fake: FakeBotApi) -> None:
    fake.private_message(ADMIN_ID, "/help")
    await fake.wait_for("sendMessage", chat_id=ADMIN_ID)


async def test_a_group_that_became_a_supergroup_keeps_getting_news(
    fake: FakeBotApi, started: Callable[..., Awaitable[TelegramBot]]
) -> None:
    fake.chats[str(OLD_GROUP)] = {"id": OLD_GROUP, "type": "group", "title": "Alt"}
    fake.migrate(OLD_GROUP, SUPERGROUP, title="Alt")
    tg = await started(announcement_chats=[OLD_GROUP])
    await admin_has_written(fake)

    await broadcast(tg, "Erste Nachricht nach dem Umzug")
    first = (await fake.wait_for("sendMessage", ok=True, chat_id=SUPERGROUP))[0]
    assert "Erste Nachricht nach dem Umzug" in first.params["text"]
    await broadcast(tg, "Zweite Nachricht")
    await fake.wait_for("sendMessage", ok=True, chat_id=SUPERGROUP, count=2)

    rows = await settled(tg, 2)
    # The second is queued to the supergroup directly: the old id was tried once only.
    assert [(r.chat_id, r.status) for r in rows] == [(str(SUPERGROUP), "sent")] * 2
    assert len(fake.calls_to("sendMessage", chat_id=OLD_GROUP)) == 1
    async with tg.app.services.db.session() as session:
        now = await chat_routes.current(session, platform="telegram", chat_id=str(OLD_GROUP))
    assert now == str(SUPERGROUP)
    # A move is no problem: the admins are not bothered.
    assert len(fake.sent_texts(ADMIN_ID)) == 1


async def test_a_group_that_moved_while_the_bot_listened_is_followed(
    fake: FakeBotApi, started: Callable[..., Awaitable[TelegramBot]]
) -> None:
    """The service message in the old group tells the bot before any send fails."""
    tg = await started(announcement_chats=[OLD_GROUP])
    fake.chats[str(OLD_GROUP)] = {"id": OLD_GROUP, "type": "group", "title": "Alt"}
    fake.queue_update(
        {
            "message": {
                "message_id": 5,
                "date": 1_800_000_000,
                "chat": fake.chats[str(OLD_GROUP)],
                "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"},
                "migrate_to_chat_id": SUPERGROUP,
            }
        }
    )
    await fake.wait_confirmed()
    fake.chats[str(SUPERGROUP)] = {"id": SUPERGROUP, "type": "supergroup", "title": "Alt"}
    for _ in range(100):
        async with tg.app.services.db.session() as session:
            now = await chat_routes.current(session, platform="telegram", chat_id=str(OLD_GROUP))
        if now == str(SUPERGROUP):
            break
        await asyncio.sleep(0.05)
    assert now == str(SUPERGROUP)
    await broadcast(tg, "Neuigkeiten")
    await fake.wait_for("sendMessage", ok=True, chat_id=SUPERGROUP)
    assert fake.calls_to("sendMessage", chat_id=OLD_GROUP) == []


async def test_a_group_the_bot_cannot_reach_is_reported_to_the_admins_once(
    fake: FakeBotApi, started: Callable[..., Awaitable[TelegramBot]]
) -> None:
    tg = await started(announcement_chats=[NEWS_GROUP])
    await admin_has_written(fake)
    fake.block(NEWS_GROUP)  # the bot was removed from the group

    await broadcast(tg, "Eins")
    await broadcast(tg, "Zwei")
    rows = await settled(tg, 2)
    assert [r.status for r in rows] == ["unreachable", "unreachable"]
    for _ in range(100):
        notices = [t for t in fake.sent_texts(ADMIN_ID) if "Telegram-Gruppe" in t]
        if notices:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # a second notice would be on its way by now
    notices = [t for t in fake.sent_texts(ADMIN_ID) if "Telegram-Gruppe" in t]
    assert len(notices) == 1
    assert str(NEWS_GROUP) in notices[0] and "fügen Sie ihn der Gruppe wieder hinzu" in notices[0]
    async with tg.app.services.db.session() as session:
        open_problems = [(p.name, p.problem) for p in await chat_routes.problems(session)]
    assert [name for name, _ in open_problems] == [str(NEWS_GROUP)]

    # Added again: news arrive and the problem is over; a new one would be told again.
    fake.blocked.discard(str(NEWS_GROUP))
    await broadcast(tg, "Drei")
    await fake.wait_for("sendMessage", ok=True, chat_id=NEWS_GROUP)
    await settled(tg, 3)
    async with tg.app.services.db.session() as session:
        assert list(await chat_routes.problems(session)) == []


async def test_check_names_each_configured_group(
    fake: FakeBotApi, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.migrate(OLD_GROUP, SUPERGROUP)
    missing = -1009999999
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/c.db"\n'
        f'[telegram]\ntoken = "{fake.token}"\nbase_url = "{fake.base_url}"\n'
        f"announcement_chats = [{NEWS_GROUP}, {missing}]\n"
        f"young_professionals_chat = {OLD_GROUP}\n"
    )
    code = await asyncio.to_thread(main, ["check", "--config", str(config)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"telegram announcement_chats {NEWS_GROUP}: ok (News)" in out
    assert f"telegram announcement_chats {missing}: FAILED (the bot cannot reach" in out
    assert f"telegram young_professionals_chat {OLD_GROUP}: ok (now a supergroup" in out
