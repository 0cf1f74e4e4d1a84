"""Updates per second on Telegram, end to end through the local Bot API fake.

getUpdates -> transport -> dispatcher (dedupe, member, flood) -> router -> handler -> sendMessage,
for a simple command (/help) and for the free-text question path, against a bare
python-telegram-bot echo bot (Updater polling + one MessageHandler) on the same fake.
Each run uses known members (their first contact is made before the clock starts), SQLite in a
temporary directory, and no rate limiter (the fake does not limit either), so the bot's own
overhead is what is measured. Prints one JSON object.

    .venv/bin/python bench/telegram_throughput.py [--senders 100] [--per-sender 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update  # noqa: E402
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from tests.fakes.bot_api import FakeBotApi  # noqa: E402
from tests.telegram_harness import build_telegram_bot  # noqa: E402

FIRST_USER = 10_000
QUESTION = "Wann findet das nächste Symposium statt?"


def queue(fake: FakeBotApi, senders: int, per_sender: int, text: str) -> int:
    """Interleave the senders' messages, as a busy network would send them."""
    for _ in range(per_sender):
        for user in range(FIRST_USER, FIRST_USER + senders):
            fake.private_message(user, text)
    return senders * per_sender


async def bare_echo(senders: int, per_sender: int) -> float:
    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        await update.effective_message.reply_text(update.effective_message.text)

    async with FakeBotApi() as fake:
        app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
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


async def rewimet(senders: int, per_sender: int, text: str) -> float:
    async with FakeBotApi() as fake:
        with tempfile.TemporaryDirectory(prefix="rewimet-bench-") as tmp:
            bot = await build_telegram_bot(
                fake,
                f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}",
                # The members' flood limit would (rightly) cut a benchmark short.
                limits={"flood_messages_per_minute": 1_000_000, "flood_burst": 1_000_000},
            )
            await bot.app.start()
            # First contacts (member rows) before the clock starts.
            warm = queue(fake, senders, 1, "/help")
            await fake.wait_for("sendMessage", count=warm, within=600)
            await fake.wait_confirmed(within=60)
            fake.calls.clear()
            total = queue(fake, senders, per_sender, text)
            started = time.perf_counter()
            await fake.wait_for("sendMessage", count=total, within=600)
            elapsed = time.perf_counter() - started
            await bot.stop()
    return total / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--senders", type=int, default=100)
    parser.add_argument("--per-sender", type=int, default=10)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    echo = await bare_echo(args.senders, args.per_sender)
    command = await rewimet(args.senders, args.per_sender, "/help")
    free_text = await rewimet(args.senders, args.per_sender, QUESTION)
    result = {
        "updates_per_run": args.senders * args.per_sender,
        "senders": args.senders,
        "database": "sqlite",
        "bare_ptb_echo_updates_per_s": round(echo, 1),
        "command_updates_per_s": round(command, 1),
        "free_text_updates_per_s": round(free_text, 1),
        "command_ratio": round(command / echo, 3),
        "free_text_ratio": round(free_text / echo, 3),
        "target_ratio": 0.5,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
