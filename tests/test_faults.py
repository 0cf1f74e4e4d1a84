"""Faults, each bounded in time: the database going away under load, the process killed and
restarted, the Bot API refusing for a while. Each test can fail."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from bot.transports.telegram import OFFSET_KEY
from storage import transport_state
from storage.models import ProcessedUpdate
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.tcp_proxy import TcpProxy
from tests.telegram_harness import build_telegram_bot

FIRST_USER = 70_000


@pytest.fixture
async def pg_fresh(pg_url: str | None) -> str:
    """An empty schema in the session's throwaway PostgreSQL database."""
    if pg_url is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 (required when CI=true)")
    engine = create_async_engine(pg_url)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        await conn.exec_driver_sql("CREATE SCHEMA public")
    await engine.dispose()
    return pg_url


@pytest.fixture
async def proxy() -> AsyncIterator[TcpProxy]:
    server = TcpProxy("127.0.0.1", 5432)
    await server.start()
    yield server
    await server.stop()


def through(url: str, proxy: TcpProxy) -> str:
    return url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{proxy.port}/")


class ConfirmWatch:
    """Checks, at the moment the bot confirms an offset to the fake, that every update below
    it was answered already (the reply is the last thing the handler does before storing)."""

    def __init__(self, fake: FakeBotApi, chat_of: dict[int, int]) -> None:
        self.fake = fake
        self.chat_of = chat_of
        self.violations: list[int] = []
        original = fake._confirm

        def confirm(offset: int) -> None:
            answered = {int(c.params["chat_id"]) for c in fake.calls_to("sendMessage", ok=True)}
            for update_id, chat in chat_of.items():
                if update_id < offset and chat not in answered:
                    self.violations.append(update_id)
            original(offset)

        fake._confirm = confirm  # type: ignore[method-assign]


async def test_postgres_cut_while_updates_arrive(pg_fresh: str, proxy: TcpProxy) -> None:
    """60 members write /start; PostgreSQL goes away for 3 s in the middle (every connection
    reset, new ones refused) and comes back. No update lost, none answered twice beyond the
    ones in hand at the cut, the offset never ahead of stored work, and the bot recovers alone."""
    async with FakeBotApi() as fake:
        bot = await build_telegram_bot(fake, through(pg_fresh, proxy))
        await bot.app.start()
        try:
            chat_of: dict[int, int] = {}
            watch = ConfirmWatch(fake, chat_of)
            users = [FIRST_USER + i for i in range(60)]
            for user in users:
                chat_of[fake.private_message(user, "/start")["update_id"]] = user
            await fake.wait_for("sendMessage", count=15, within=20)
            proxy.cut()
            assert len(fake.calls_to("sendMessage", ok=True)) < 60, "the cut came too late"
            await asyncio.sleep(3.0)
            proxy.restore()
            restored = time.monotonic()
            await fake.wait_for("sendMessage", count=60, within=30)
            # Later updates are answered without a restart.
            late = FIRST_USER + 100
            chat_of[fake.private_message(late, "/start")["update_id"]] = late
            await fake.wait_for("sendMessage", chat_id=late, within=10)
            recovery = time.monotonic() - restored
            await fake.wait_confirmed(within=10)
            replies: dict[int, int] = {}
            for call in fake.calls_to("sendMessage", ok=True):
                chat = int(call.params["chat_id"])
                replies[chat] = replies.get(chat, 0) + 1
            assert sorted(replies) == sorted(chat_of.values()), "an update got no reply"
            duplicated = [chat for chat, n in replies.items() if n > 1]
            # At least once: only an update in hand when the connection broke may repeat.
            assert len(duplicated) <= bot.transport.concurrency, duplicated
            assert not watch.violations
            async with bot.app.services.db.session() as session:
                stored = await transport_state.get_state(session, OFFSET_KEY)
                processed = set((await session.scalars(select(ProcessedUpdate.update_id))).all())
            assert processed == {str(u) for u in chat_of}
            assert stored is not None and int(stored) == max(chat_of) + 1
            assert fake.confirmed_offset == int(stored)
            assert recovery < 15
        finally:
            await bot.stop()
