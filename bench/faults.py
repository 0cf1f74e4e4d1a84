"""Faults, measured: PostgreSQL cut under load, and the bot process killed and restarted.

- db_cut: the real Telegram transport and app on PostgreSQL through a TCP proxy
  (tests/fakes/tcp_proxy.py); `--updates` private /start messages from as many members are
  queued in the Bot API fake; after a quarter is answered the proxy resets every connection
  and refuses new ones for `--cut` seconds, then accepts again. `recover_s`: from the restore
  to the first answer after it; `drain_s`: from the restore to the last answer; `handled`,
  `lost` (members without an answer), `duplicated` (members answered more than once: at most
  the updates in hand at the cut).
- restart: `rewimet-bot run` as a child process on SQLite; `--outbox` messages queued, sent
  slowly, SIGKILL mid-way, started again. `start_to_polling_s`: restart until the first
  getUpdates; `kill_to_drained_s`: from the kill until every message was sent; `lost`,
  `duplicated` (only messages whose send had reached the fake before the kill may repeat).

Needs PostgreSQL at REWIMET_TEST_PG (default postgresql://postgres@127.0.0.1:5432/test) for
db_cut (else it reports `skipped`). Prints one JSON object.

    .venv/bin/python bench/faults.py [--updates 300] [--cut 3] [--outbox 100]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.delivery import reply_to_payload
from bot.messages import Reply
from storage import outbox
from storage.db import Database
from tests import postgres
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.faults import Fault
from tests.fakes.tcp_proxy import TcpProxy
from tests.telegram_harness import build_telegram_bot
from tests.test_faults import BotProcess, seed_event, write_config

FIRST_USER = 300_000
FIRST_CHAT = 400_000


def answers(fake: FakeBotApi) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in fake.calls_to("sendMessage", ok=True))


async def db_cut(updates: int, cut: float) -> dict[str, Any]:
    url = await postgres.create_database()
    if url is None:
        return {"skipped": "PostgreSQL not reachable"}
    proxy = TcpProxy("127.0.0.1", 5432)
    await proxy.start()
    try:
        async with FakeBotApi() as fake:
            proxied = url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{proxy.port}/")
            bot = await build_telegram_bot(fake, proxied)
            await bot.app.start()
            try:
                users = [FIRST_USER + i for i in range(updates)]
                began = time.monotonic()
                for user in users:
                    fake.private_message(user, "/start")
                await fake.wait_for("sendMessage", count=max(1, updates // 4), within=60)
                proxy.cut()
                answered_at_cut = sum(answers(fake).values())
                await asyncio.sleep(cut)
                answered_at_restore = sum(answers(fake).values())
                proxy.restore()
                restored = time.monotonic()
                await fake.wait_for("sendMessage", count=answered_at_restore + 1, within=60)
                recover = time.monotonic() - restored
                for user in users:  # every member answered (a repeat does not count)
                    with contextlib.suppress(TimeoutError):
                        await fake.wait_for("sendMessage", chat_id=user, within=60)
                drain = time.monotonic() - restored
                got = answers(fake)
                return {
                    "updates": updates,
                    "cut_s": cut,
                    "answered_before_cut": answered_at_cut,
                    "recover_s": round(recover, 3),
                    "drain_s": round(drain, 3),
                    "total_s": round(time.monotonic() - began, 3),
                    "handled": sum(1 for u in users if got[u]),
                    "lost": sum(1 for u in users if not got[u]),
                    "duplicated": sum(1 for u in users if got[u] > 1),
                }
            finally:
                await bot.stop()
    finally:
        await proxy.stop()
        await postgres.drop_database(url)


async def restart(messages: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db_url = f"sqlite+aiosqlite:///{folder / 'bot.db'}"
        await seed_event(db_url)
        db = Database(db_url)
        async with FakeBotApi() as fake:
            write_config(folder / "config.toml", fake, db_url)
            bot = BotProcess(folder / "config.toml", fake, folder / "bot.log")
            try:
                first_start = await bot.start()
                fake.fail_share(1.0, Fault.slow(0.4), methods=["sendMessage"])
                chats = [FIRST_CHAT + i for i in range(messages)]
                async with db.session() as session:
                    for chat in chats:
                        payload = reply_to_payload(Reply(text=f"Nachricht an {chat}"))
                        await outbox.enqueue(
                            session, kind="bench", platform="telegram", chat_id=str(chat),
                            payload=payload,
                        )  # fmt: skip
                await fake.wait_for("sendMessage", chat_id=chats[0], ok=None, within=30)
                await bot.signal(signal.SIGKILL)
                killed = time.monotonic()
                await asyncio.sleep(0.5)
                fake.faults.clear()
                reached = {int(c.params["chat_id"]) for c in fake.calls_to("sendMessage")}
                polling = await bot.start()
                for chat in chats:
                    try:
                        await fake.wait_for("sendMessage", chat_id=chat, within=90)
                    except TimeoutError:
                        break
                drained = time.monotonic() - killed
                got = answers(fake)
                stop_began = time.monotonic()
                code = await bot.signal(signal.SIGTERM)
                return {
                    "outbox": messages,
                    "first_start_s": round(first_start, 3),
                    "reached_before_kill": sum(1 for c in chats if c in reached),
                    "start_to_polling_s": round(polling, 3),
                    "kill_to_drained_s": round(drained, 3),
                    "lost": sum(1 for c in chats if not got[c]),
                    "duplicated": sum(1 for c in chats if got[c] > 1),
                    "sigterm_exit_code": code,
                    "sigterm_stop_s": round(time.monotonic() - stop_began, 3),
                }
            finally:
                await bot.close()
                await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--cut", type=float, default=3.0)
    parser.add_argument("--outbox", type=int, default=100)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    result = {
        "db_cut": await db_cut(args.updates, args.cut),
        "restart": await restart(args.outbox),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
