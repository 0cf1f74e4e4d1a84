"""Updates per second on Telegram, end to end through the local Bot API fake.

getUpdates -> transport -> dispatcher (dedupe, member, flood) -> router -> handler -> sendMessage,
for a simple command (/help) and for the free-text question path (a question the demo FAQ
answers), against a bare python-telegram-bot echo bot (Updater polling, one MessageHandler) on
the same fake (the target: at least half its rate). Our transport sends through aiohttp
(bot/transports/telegram_http.py) where PTB's default is httpx, so the echo bot is also measured
on aiohttp, like for like. Also measured: the transport alone (a stand-in dispatch that echoes,
no core), and how long an update spends in the core (dispatcher and handler, with the
transport's updates side by side), to show where the time goes. A shared machine's speed
drifts by up to 2x within minutes, so ratios are taken within one round: each round measures the
echo bot before and after the bot's runs, every bot figure of the round is divided by the mean
of the two, and the JSON gives the median of these per-round ratios (rates are medians too).
`cpu_ms_per_update` is the process's CPU time per update (the fake's included, as it runs in
the same process), less sensitive to other load than the rates. Members are known (first
contacts are made before the clock starts); no rate limiter (the fake does not limit either).
SQLite in a temporary directory, and PostgreSQL when one is reachable (REWIMET_TEST_PG). Prints
one JSON object.

    .venv/bin/python bench/telegram_throughput.py [--senders 100] [--per-sender 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot import memory
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


class Stopwatch:
    """Wall and CPU time of the measured stretch, as the figures of one run."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def figures(self, updates: int) -> dict[str, float]:
        wall = time.perf_counter() - self.wall
        cpu = time.process_time() - self.cpu
        return {
            "updates_per_s": round(updates / wall, 1),
            "cpu_ms_per_update": round(1000 * cpu / updates, 3),
        }


def queue(fake: FakeBotApi, senders: int, per_sender: int, text: str) -> int:
    """Interleave the senders' messages, as a busy network would send them."""
    for _ in range(per_sender):
        for user in range(FIRST_USER, FIRST_USER + senders):
            fake.private_message(user, text)
    return senders * per_sender


async def bare_echo(senders: int, per_sender: int, *, aiohttp: bool = False) -> dict[str, float]:
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
            clock = Stopwatch()
            await app.updater.start_polling(poll_interval=0, timeout=1)
            await fake.wait_for("sendMessage", count=total, within=600)
            figures = clock.figures(total)
            await app.updater.stop()
            await app.stop()
    return figures


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


async def transport_only(senders: int, per_sender: int) -> dict[str, float]:
    """The transport with a stand-in dispatch that echoes: its own overhead, no core."""

    async def echo(incoming: Incoming, respond: Respond) -> None:
        await respond(Reply(incoming.text))

    async with FakeBotApi() as fake, database("sqlite") as url:
        db = Database(url)
        await upgrade(db)
        settings = build_settings(fake)
        transport = TelegramTransport(settings, db=db, router=Router(), rate_limit=False)
        total = queue(fake, senders, per_sender, QUESTION)
        clock = Stopwatch()
        await transport.start(echo)
        await fake.wait_for("sendMessage", count=total, within=600)
        figures = clock.figures(total)
        await transport.stop()
        await db.close()
    return figures


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
        dispatcher = bot.app.dispatcher
        handle = dispatcher.handle

        async def timed(incoming: Incoming, respond: Respond) -> None:
            began = time.perf_counter()
            await handle(incoming, respond)
            core["seconds"] += time.perf_counter() - began
            core["updates"] += 1

        dispatcher.handle = timed  # type: ignore[method-assign]
        await bot.app.start()  # as in production: features' start, transport, outbox worker
        warm = queue(fake, senders, 1, "/help")  # first contacts: member rows
        await fake.wait_for("sendMessage", count=warm, within=600)
        await fake.wait_confirmed(within=60)
        fake.calls.clear()
        core.update(seconds=0.0, updates=0)
        total = queue(fake, senders, per_sender, text)
        clock = Stopwatch()
        await fake.wait_for("sendMessage", count=total, within=600)
        figures = clock.figures(total)
        await bot.app.stop()
    figures["core_latency_ms"] = round(1000 * core["seconds"] / max(1, core["updates"]), 2)
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=100)
    parser.add_argument("--per-sender", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    # Our modules, imported here, would not be in a standalone echo bot's heap: they are kept
    # out of its garbage collector's way as App.start keeps the bot's, and the echo bot gets
    # the bot's collector settings too (bot/memory.py), so neither gains on the other there.
    memory.settle()
    n, k = args.senders, args.per_sender
    runs: dict[str, list[dict[str, float]]] = defaultdict(list)
    ratios: dict[str, list[float]] = defaultdict(list)
    reachable = {"sqlite": True, "postgresql": True}
    for _ in range(args.rounds):
        before = await bare_echo(n, k)
        measured = {
            "echo_on_aiohttp": await bare_echo(n, k, aiohttp=True),
            "transport_only": await transport_only(n, k),
        }
        for db_kind in reachable:
            if not reachable[db_kind]:
                continue
            try:
                measured[f"{db_kind}.command"] = await whole_bot(db_kind, n, k, "/help")
                measured[f"{db_kind}.free_text"] = await whole_bot(db_kind, n, k, QUESTION)
            except LookupError:
                reachable[db_kind] = False
        after = await bare_echo(n, k)
        echo = (before["updates_per_s"] + after["updates_per_s"]) / 2
        runs["echo"] += [before, after]
        for name, figures in measured.items():
            runs[name].append(figures)
            ratios[name].append(figures["updates_per_s"] / echo)
    result: dict[str, Any] = {
        "updates_per_run": n * k,
        "senders": n,
        "rounds": args.rounds,
        "target_ratio": 0.5,
        "bare_ptb_echo": _median(runs["echo"]),
        # Like for like: the echo bot on the HTTP client our transport uses (telegram_http.py).
        "bare_ptb_echo_on_aiohttp": _median(runs["echo_on_aiohttp"]),
        "transport_only": _median(runs["transport_only"]),
        "transport_only_ratio": round(statistics.median(ratios["transport_only"]), 3),
    }
    for db_kind, ok in reachable.items():
        if not ok:
            result[db_kind] = "not reachable"
            continue
        result[db_kind] = {
            path: {
                **_median(runs[f"{db_kind}.{path}"]),
                "ratio": round(statistics.median(ratios[f"{db_kind}.{path}"]), 3),
                "ratio_per_round": [round(r, 3) for r in ratios[f"{db_kind}.{path}"]],
            }
            for path in ("command", "free_text")
        }
    print(json.dumps(result, indent=2))


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(r[key] for r in runs), 3) for key in runs[0]}


if __name__ == "__main__":
    asyncio.run(main())
