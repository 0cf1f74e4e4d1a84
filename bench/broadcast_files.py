"""A broadcast with a photo against the same broadcast as text only, through the real Telegram
transport to the Bot API fake, in one process (fake, worker and transport share the CPU).

For each: messages per second at the fake (first to last delivery), uploads of the photo's bytes
(1 expected: the rest go by Telegram's file id), bytes the fake received in files, the average
outbox payload (the rows name the stored file, they do not copy it) and the database reads of
the file by the worker. Prints one JSON object.

    .venv/bin/python bench/broadcast_files.py [--recipients 3000] [--photo-kb 120]
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Text, cast, func, select

from bot.config import parse_settings
from bot.delivery_worker import DeliveryWorker, WorkerSettings
from bot.messages import AttachmentKind
from bot.router import Router
from bot.services import utc_now
from bot.transports.base import RateLimits
from bot.transports.telegram import TelegramTransport
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from storage import files
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.bulk_members import add_members
from tests.fakes.bot_api import FakeBotApi

TEXT = "Das Programm des Symposiums am 12. März in Goslar ist da – jetzt anmelden!"
UNLIMITED = RateLimits(per_second=0, per_chat_per_second=0, per_group_per_minute=0)


async def run(
    db: Database, fake: FakeBotApi, transport: TelegramTransport, photo: bytes | None
) -> dict[str, Any]:
    settings = transport_settings(db.url, fake)
    attachment = None
    if photo is not None:
        async with db.session() as session:
            attachment = await files.save(
                session,
                filename="programm.jpg",
                mime_type="image/jpeg",
                kind=AttachmentKind.IMAGE.value,
                content=photo,
            )
    calls_before = len(fake.calls)
    number, recipients = await queue_broadcast(
        db,
        settings,
        created_by=None,
        text=TEXT,
        audience=Audience("all"),
        announce=False,
        send_at=utc_now(),
        attachment=attachment,
    )
    worker = DeliveryWorker(
        db,
        {"telegram": transport},
        settings=WorkerSettings(poll_seconds=0.2, concurrency=16),
        rate_limits={"telegram": UNLIMITED},
    )
    method = "sendPhoto" if photo is not None else "sendMessage"
    started = time.perf_counter()
    await worker.drain(600)
    calls = [c for c in fake.calls[calls_before:] if c.method == method and c.ok]
    elapsed = calls[-1].at - calls[0].at if len(calls) > 1 else time.perf_counter() - started
    async with db.read() as session:
        payload_bytes = (
            await session.execute(
                select(func.avg(func.length(cast(OutboxMessage.payload, Text)))).where(
                    OutboxMessage.broadcast_id == number
                )
            )
        ).scalar()
    return {
        "recipients": recipients,
        "delivered": len(calls),
        "msgs_per_s": round(len(calls) / elapsed, 1) if elapsed else None,
        "uploads": sum(1 for c in calls if c.files),
        "bytes_uploaded": sum(len(f[1]) for c in calls for f in c.files.values()),
        "avg_outbox_payload_bytes": round(float(payload_bytes or 0)),
        "file_reads_by_worker": worker.files.loads,
    }


def transport_settings(url: str, fake: FakeBotApi) -> Any:
    raw: dict[str, object] = {
        "database": {"url": url},
        "telegram": {"token": fake.token, "base_url": fake.base_url},
    }
    return parse_settings(raw, source="bench", env={})


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR)
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * (args.photo_kb * 4)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        db = Database(url)
        await upgrade(db)
        await add_members(db, args.recipients)
        async with FakeBotApi() as fake:
            transport = TelegramTransport.from_settings(
                transport_settings(url, fake), db=db, router=Router(), rate_limit=False
            )
            await transport.application.initialize()
            try:
                text_only = await run(db, fake, transport, None)
                with_photo = await run(db, fake, transport, photo)
            finally:
                await transport.application.shutdown()
        await db.close()
    return {
        "backend": "sqlite",
        "photo_bytes": len(photo),
        "text_only": text_only,
        "with_photo": with_photo,
        "photo_vs_text_rate": round(with_photo["msgs_per_s"] / text_only["msgs_per_s"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=3000)
    parser.add_argument("--photo-kb", type=int, default=120)
    print(json.dumps(asyncio.run(bench(parser.parse_args())), indent=2))


if __name__ == "__main__":
    main()
