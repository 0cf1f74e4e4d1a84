"""Faults, each bounded in time: the database going away under load, the process killed and
restarted, the Bot API refusing for a while. Each test can fail."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import TELEGRAM_TOKEN_ENV
from bot.delivery import reply_to_payload
from bot.messages import Reply
from bot.transports.telegram import OFFSET_KEY
from handlers.events.schedule import reminder_job_id
from storage import event_store, outbox, transport_state
from storage.db import Database
from storage.events import CONFIRMED, HOLDS_PLACE, WAITLISTED, Event, EventJob, EventSignup
from storage.models import Account, OutboxMessage, ProcessedUpdate
from tests import postgres
from tests.confirming import confirmed
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.faults import Fault
from tests.fakes.tcp_proxy import TcpProxy
from tests.harness import make_harness
from tests.telegram_harness import build_telegram_bot

FIRST_USER = 70_000


@pytest.fixture
async def pg_fresh(pg_url: str | None) -> str:
    """An empty schema in the session's throwaway PostgreSQL database."""
    if pg_url is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 (required when CI=true)")
    await postgres.reset_schema(pg_url)
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


@pytest.mark.postgres
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


# ---- the process killed and restarted ----------------------------------------------------

ADMIN = 9001
JOINERS = [81_001, 81_002, 81_003, 81_004]  # two places: the last two wait, in this order
OUTBOX_CHATS = [82_000 + i for i in range(30)]
BOT_CLI = Path(sys.executable).with_name("rewimet-bot")


class BotProcess:
    """`rewimet-bot run --config FILE` as a child process; killed in `close` whatever happens."""

    def __init__(self, config: Path, fake: FakeBotApi, log_file: Path) -> None:
        self.config = config
        self.fake = fake
        self.log_file = log_file
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> float:
        """Start and wait until the bot polls; the seconds that took."""
        began = time.monotonic()
        polls = len(self.fake.calls_to("getUpdates", ok=None))
        env = {**os.environ, TELEGRAM_TOKEN_ENV: self.fake.token}
        with self.log_file.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                str(BOT_CLI), "run", "--config", str(self.config),
                stdout=log, stderr=log, env=env, start_new_session=True,
            )  # fmt: skip
        while len(self.fake.calls_to("getUpdates", ok=None)) <= polls:
            assert self.proc.returncode is None, self.log_file.read_text()[-3000:]
            # generous: the imports take seconds alone, ten times that beside other test runs
            assert time.monotonic() - began < 120, "the bot did not start polling"
            await asyncio.sleep(0.05)
        return time.monotonic() - began

    async def signal(self, sig: signal.Signals, within: float = 10.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        code = await asyncio.wait_for(self.proc.wait(), within)
        self.proc = None
        return code

    async def close(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        self.proc = None


def write_config(path: Path, fake: FakeBotApi, db_url: str) -> None:
    path.write_text(
        f'[database]\nurl = "{db_url}"\n\n[admins]\ntelegram = [{ADMIN}]\n\n'
        f'[telegram]\nbase_url = "{fake.base_url}"\n\n[logging]\nlevel = "INFO"\n',
        encoding="utf-8",
    )


async def seed_event(db_url: str) -> None:
    """Before the first start: an excursion with two places, a week ahead."""
    first = await make_harness(db_url)
    try:
        day = (datetime.now(UTC) + timedelta(days=7)).strftime("%d.%m.%Y")
        form = f"art=exkursion; titel=Exkursion Goslar; beginn={day} 9:30; plätze=2"
        chat = await confirmed(first, f"/newevent {form}")
        assert "Goslar" in chat.text, chat.text
    finally:
        await first.app.stop()


async def test_killed_and_restarted_process_continues(tmp_path: Path) -> None:
    """SIGKILL while outbox deliveries are in flight; after the restart: nothing lost (repeats
    at most the ones in flight), the reminder rebuilt from the database fires once, /leave
    promotes the first on the waitlist, no update answered twice. SIGTERM stops cleanly."""
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await seed_event(db_url)
    db = Database(db_url)
    async with FakeBotApi() as fake:
        config = tmp_path / "config.toml"
        write_config(config, fake, db_url)
        bot = BotProcess(config, fake, tmp_path / "bot.log")
        try:
            await bot.start()
            for user in JOINERS:
                fake.private_message(user, "/join 1")
                await fake.wait_for("sendMessage", chat_id=user, within=10)
            assert await signup_statuses(db) == [
                CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED
            ]  # fmt: skip
            # Deliveries slow to answer, so that some are in flight at the kill.
            fake.fail_share(1.0, Fault.slow(0.4), methods=["sendMessage"])
            async with db.session() as session:
                for chat in OUTBOX_CHATS:
                    await outbox.enqueue(
                        session, kind="test", platform="telegram", chat_id=str(chat),
                        payload=reply_to_payload(Reply(text=f"Nachricht an {chat}")),
                    )  # fmt: skip
                # The reminder comes due a few seconds after the restart (the running bot
                # armed the old time; only the restart reads the new one).
                due = datetime.now(UTC) + timedelta(seconds=6)
                event = await session.get(Event, 1)
                assert event is not None
                event.starts_at = due + timedelta(hours=1)
                await event_store.put_job(
                    session, job_id=reminder_job_id(1, 1), event_id=1, kind="reminder", run_at=due
                )
            await fake.wait_for("sendMessage", chat_id=OUTBOX_CHATS[0], ok=None, within=15)
            killed = await bot.signal(signal.SIGKILL)
            assert killed == -signal.SIGKILL
            await asyncio.sleep(0.5)  # the slow answers still in the fake finish
            fake.faults.clear()
            sent_before = {str(c.params["chat_id"]) for c in fake.calls_to("sendMessage")}
            in_flight_at_kill = sum(1 for c in OUTBOX_CHATS if str(c) in sent_before)
            assert in_flight_at_kill < len(OUTBOX_CHATS), "the kill came after every delivery"

            await bot.start()
            for chat in OUTBOX_CHATS:
                await fake.wait_for("sendMessage", chat_id=chat, within=15)
            for chat in OUTBOX_CHATS:
                assert len(fake.calls_to("sendMessage", chat_id=chat)) <= 2
            # Repeated: only a message whose send had reached the fake before the kill.
            repeated = [c for c in OUTBOX_CHATS if len(fake.calls_to("sendMessage", chat_id=c)) > 1]
            assert set(map(str, repeated)) <= sent_before, repeated

            # The reminder job rebuilt from the database fires once, to the two confirmed.
            for user in JOINERS[:2]:
                await fake.wait_for("sendMessage", chat_id=user, count=2, within=15)
            await asyncio.sleep(1.0)
            for user in JOINERS[:2]:
                assert len(fake.sent_texts(user)) == 2  # the /join answer and one reminder
            for user in JOINERS[2:]:
                assert len(fake.sent_texts(user)) == 1  # the waitlist answer only
            async with db.session() as session:
                job = await session.get(EventJob, reminder_job_id(1, 1))
                assert job is not None and job.status == "done"

            # /leave after the restart promotes the first who waited.
            fake.private_message(JOINERS[0], "/leave 1")
            await fake.wait_for("sendMessage", chat_id=JOINERS[0], count=3, within=10)
            await fake.wait_for("sendMessage", chat_id=JOINERS[2], count=2, within=10)
            statuses = await signup_statuses(db)
            assert statuses[1] == CONFIRMED and statuses[2] in HOLDS_PLACE
            assert statuses[3] == WAITLISTED
            assert len(fake.sent_texts(JOINERS[3])) == 1

            # No update handled twice: one processed row each, the offset stored past them.
            await fake.wait_confirmed(within=10)
            async with db.session() as session:
                processed = list(
                    (
                        await session.scalars(
                            select(ProcessedUpdate.update_id).where(
                                ProcessedUpdate.platform == "telegram"
                            )
                        )
                    ).all()
                )
            assert len(processed) == len(set(processed)) == len(JOINERS) + 1

            # SIGTERM: a clean stop, exit code 0, the outbox kept.
            async with db.session() as session:
                later = await outbox.enqueue(
                    session, kind="test", platform="telegram", chat_id=str(JOINERS[3]),
                    payload=reply_to_payload(Reply(text="Später")),
                    not_before=datetime.now(UTC) + timedelta(hours=1),
                )  # fmt: skip
                later_id = later.id
            began = time.monotonic()
            assert await bot.signal(signal.SIGTERM) == 0
            assert time.monotonic() - began < 10
            async with db.session() as session:
                kept = await session.get(OutboxMessage, later_id)
                assert kept is not None and kept.status == "pending"
            assert "stopped" in (tmp_path / "bot.log").read_text()
        finally:
            await bot.close()
            await db.close()


async def signup_statuses(db: Database) -> list[str]:
    """Each joiner's sign-up status, in the order of JOINERS."""
    async with db.session() as session:
        rows = await session.execute(
            select(Account.user_id, EventSignup.status).join(
                EventSignup, EventSignup.member_id == Account.member_id
            )
        )
        by_user = {user: status for user, status in rows.all()}
    return [by_user.get(str(user), "") for user in JOINERS]


# ---- the Bot API refusing for a while ----------------------------------------------------


async def test_bot_api_gone_then_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The Bot API refuses connections for 2 s, then answers 502 once: getUpdates backs off
    (1 s, 2 s, ...), continues by itself, and the message sent meanwhile is answered once.
    (test_telegram_e2e covers a single 502; this is a server gone for several attempts.)"""
    caplog.set_level(logging.WARNING, logger="bot.transports.telegram")
    async with FakeBotApi() as fake:
        bot = await build_telegram_bot(fake, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        await bot.app.start()
        try:
            fake.private_message(91_001, "/help")
            await fake.wait_for("sendMessage", chat_id=91_001, within=10)
            port = fake.port
            await fake.stop()  # connections refused from now on
            fake.private_message(91_002, "/help")  # arrives while the bot cannot fetch
            await asyncio.sleep(2.0)
            fake.fail_next(1, Fault.bad_gateway(), methods=["getUpdates"])
            fake._closing = False
            await fake.start(port=port)
            began = time.monotonic()
            await fake.wait_for("sendMessage", chat_id=91_002, within=20)
            back_after = time.monotonic() - began
            fake.private_message(91_003, "/help")
            await fake.wait_for("sendMessage", chat_id=91_003, within=10)
            await fake.wait_confirmed(within=10)
            assert len(fake.sent_texts(91_002)) == 1
            assert bot.transport.is_alive()
            waits = [
                float(r.getMessage().rsplit("retry in ", 1)[1].split(" ")[0])
                for r in caplog.records
                if "getUpdates failed" in r.getMessage()
            ]
            assert len(waits) >= 2, waits  # refused at least twice (and the 502)
            assert waits == sorted(waits) and waits[0] == 1 and waits[1] == 2, waits
            assert back_after < 20
        finally:
            await bot.stop()


async def test_a_platform_down_at_start_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram answers nothing but 502 while the bot starts: the bot still starts (another
    platform would be serving), tries again, and once Telegram is back it answers members and
    sends what the outbox held meanwhile."""
    monkeypatch.setattr("bot.app.START_RETRY_FIRST", 0.2)
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    async with FakeBotApi() as fake:
        bot = await build_telegram_bot(fake, db_url)
        fake.fail_share(1.0, Fault.bad_gateway(), methods=["getMe", "sendMessage"])
        try:
            await bot.app.start()  # does not raise
            assert not bot.transport.is_alive()
            async with bot.app.services.db.session() as session:
                await outbox.enqueue(
                    session, kind="test", platform="telegram", chat_id="7001",
                    payload=reply_to_payload(Reply(text="Neuigkeiten aus dem Netzwerk")),
                )  # fmt: skip
            await asyncio.sleep(0.5)
            assert fake.calls_to("getMe"), "the start was not tried again"
            assert not fake.calls_to("sendMessage", ok=True)
            fake.faults.clear()
            fake.private_message(7002, "/help")
            await fake.wait_for("sendMessage", chat_id=7002, within=15)
            sent = await fake.wait_for("sendMessage", chat_id=7001, within=15)
            assert sent[0].params["text"] == "Neuigkeiten aus dem Netzwerk"
            assert bot.transport.is_alive()
        finally:
            await bot.stop()
