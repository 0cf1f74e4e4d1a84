"""Updates per second on Telegram, end to end through the local Bot API fake.

getUpdates -> transport -> dispatcher (dedupe, member, flood) -> router -> handler -> sendMessage,
for a simple command (/help) and for the free-text question path (a question the demo FAQ
answers), against a bare python-telegram-bot echo bot (Updater polling, one MessageHandler) on
the same fake (the target: at least half its rate). Our transport sends through aiohttp
(bot/transports/telegram_http.py) where PTB's default is httpx, so the echo bot is also measured
on aiohttp, like for like. Also measured: the transport alone (a stand-in dispatch that echoes,
no core), and how long an update spends in the core (dispatcher and handler, with the
transport's 8 updates side by side), to show where the time goes. Each figure is the best of
`--rounds` interleaved runs, since a shared machine's load drifts. Members are known (first
contacts are made before the clock starts); no rate limiter (the fake does not limit either).
SQLite in a temporary directory, and PostgreSQL when one is reachable (REWIMET_TEST_PG). Prints
one JSON object.

    .venv/bin/python bench/telegram_throughput.py [--senders 100] [--per-sender 10] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.config import TelegramSettings, parse_settings
from bot.demo import DEMO_DIR
from bot.messages import Incoming, Reply
from bot.router import Router
from bot.transports.base import Respond
from bot.transports.telegram import TelegramTransport
from bot.transports.telegram_http import AiohttpRequest
from handlers.faq.kb_import import import_kb, parse_kb
from storage.db import Database
from storage.migrate import upgrade
from tests import postgres
from tests.fakes.bot_api import FakeBotApi
from tests.telegram_harness import build_telegram_bot

FIRST_USER = 10_000
QUESTION = "Wie melde ich mich zum Symposium an?"  # the demo FAQ answers it
NO_FLOOD = {"flood_messages_per_minute": 1_000_000, "flood_burst": 1_000_000}


def queue(fake: FakeBotApi, senders: int, per_sender: int, text: str) -> int:
    """Interleave the senders' messages, as a busy network would send them."""
    for _ in range(per_sender):
        for user in range(FIRST_USER, FIRST_USER + senders):
            fake.private_message(user, text)
    return senders * per_sender


async def bare_echo(senders: int, per_sender: int, *, aiohttp: bool = False) -> float:
    """PTB as its docs show it; with `aiohttp`, on the HTTP client our transport uses."""

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        await update.effective_message.reply_text(update.effective_message.text)

    async with FakeBotApi() as fake:
        builder = ApplicationBuilder().token(fake.token).base_url(fake.base_url)
        if aiohttp:
            builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest())
        app = builder.build()
        app.add_handler(MessageHandler(filters.TEXT, echo))
        total = queue(fake, senders, per_sender, QUESTION)
        async with app:
            await app.start()
            assert app.updater is not None
            started = time.perf_counter()
            await app.updater.start_polling(poll_interval=0, timeout=1)
            await fake.wait_for("sendMessage", count=total, within=600)
            elapsed = time.perf_counter() - started
            await app.updater.stop()
            await app.stop()
    return total / elapsed


@asynccontextmanager
async def database(kind: str) -> AsyncIterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="rewimet-bench-") as tmp:
            yield f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        return
    url = await postgres.create_database()
    if url is None:
        raise LookupError("no PostgreSQL")
    try:
        yield url
    finally:
        await postgres.drop_database(url)


async def transport_only(senders: int, per_sender: int) -> float:
    """The transport with a stand-in dispatch that echoes: its own overhead, no core."""

    async def echo(incoming: Incoming, respond: Respond) -> None:
        await respond(Reply(incoming.text))

    async with FakeBotApi() as fake, database("sqlite") as url:
        db = Database(url)
        await upgrade(db)
        settings = build_settings(fake)
        transport = TelegramTransport(settings, db=db, router=Router(), rate_limit=False)
        total = queue(fake, senders, per_sender, QUESTION)
        started = time.perf_counter()
        await transport.start(echo)
        await fake.wait_for("sendMessage", count=total, within=600)
        elapsed = time.perf_counter() - started
        await transport.stop()
        await db.close()
    return total / elapsed


def build_settings(fake: FakeBotApi) -> TelegramSettings:
    raw: dict[str, object] = {"telegram": {"token": fake.token, "base_url": fake.base_url}}
    return parse_settings(raw, source="bench", env={}).telegram


async def whole_bot(db_kind: str, senders: int, per_sender: int, text: str) -> dict[str, float]:
    """Updates/s of the whole bot, and the core's (dispatcher's) milliseconds per update."""
    core = {"seconds": 0.0, "updates": 0}
    async with FakeBotApi() as fake, database(db_kind) as url:
        bot = await build_telegram_bot(fake, url, limits=NO_FLOOD)
        entries = parse_kb((DEMO_DIR / "faq.toml").read_text(encoding="utf-8"))
        async with bot.app.services.db.session() as session:
            await import_kb(session, entries)
        handle = bot.app.dispatcher.handle

        async def timed(incoming: Incoming, respond: Respond) -> None:
            began = time.perf_counter()
            await handle(incoming, respond)
            core["seconds"] += time.perf_counter() - began
            core["updates"] += 1

        await bot.transport.start(timed)
        warm = queue(fake, senders, 1, "/help")  # first contacts: member rows
        await fake.wait_for("sendMessage", count=warm, within=600)
        await fake.wait_confirmed(within=60)
        fake.calls.clear()
        core.update(seconds=0.0, updates=0)
        total = queue(fake, senders, per_sender, text)
        started = time.perf_counter()
        await fake.wait_for("sendMessage", count=total, within=600)
        elapsed = time.perf_counter() - started
        await bot.transport.stop()
        await bot.app.services.db.close()
    return {
        "updates_per_s": round(total / elapsed, 1),
        "core_latency_ms": round(1000 * core["seconds"] / max(1, core["updates"]), 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=100)
    parser.add_argument("--per-sender", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    n, k = args.senders, args.per_sender
    # A shared machine's load drifts: every figure is the best of `--rounds` interleaved runs.
    echo = echo_aiohttp = transport = 0.0
    runs: dict[str, Any] = {}
    for _ in range(args.rounds):
        echo = max(echo, await bare_echo(n, k))
        echo_aiohttp = max(echo_aiohttp, await bare_echo(n, k, aiohttp=True))
        transport = max(transport, await transport_only(n, k))
        for db_kind in ("sqlite", "postgresql"):
            if runs.get(db_kind) == "not reachable":
                continue
            try:
                command = await whole_bot(db_kind, n, k, "/help")
                free_text = await whole_bot(db_kind, n, k, QUESTION)
            except LookupError:
                runs[db_kind] = "not reachable"
                continue
            best = runs.setdefault(db_kind, {"command": command, "free_text": free_text})
            for path, figures in (("command", command), ("free_text", free_text)):
                if figures["updates_per_s"] > best[path]["updates_per_s"]:
                    best[path] = figures
    result: dict[str, Any] = {
        "updates_per_run": n * k,
        "senders": n,
        "rounds": args.rounds,
        "bare_ptb_echo_updates_per_s": round(echo, 1),
        # Like for like: the echo bot on the HTTP client our transport uses (telegram_http.py).
        "bare_ptb_echo_on_aiohttp_updates_per_s": round(echo_aiohttp, 1),
        "transport_only_updates_per_s": round(transport, 1),
        "transport_only_ratio": round(transport / echo, 3),
        "target_ratio": 0.5,
    }
    for db_kind, run in runs.items():
        if isinstance(run, dict):
            run["command_ratio"] = round(run["command"]["updates_per_s"] / echo, 3)
            run["free_text_ratio"] = round(run["free_text"]["updates_per_s"] / echo, 3)
            run["command_ratio_vs_echo_on_aiohttp"] = round(
                run["command"]["updates_per_s"] / echo_aiohttp, 3
            )
            run["free_text_ratio_vs_echo_on_aiohttp"] = round(
                run["free_text"]["updates_per_s"] / echo_aiohttp, 3
            )
        result[db_kind] = run
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
