"""Broadcast delivery through the real Telegram transport and the Telegram Bot API fake.

The bench seeds members, queues a real broadcast (`handlers.broadcast.sending.queue_broadcast`,
audience "all") and lets the delivery worker drain it in a separate process (`--worker`), which
sends with `bot.transports.telegram.TelegramTransport` (python-telegram-bot over HTTP) to the
fake in this process. What counts is what the fake received. Three parts:

- unlimited: rate limiting off in the bot and in the fake; messages per second at the fake,
  first to last delivery, with `--workers` worker processes (2) sharing the outbox. For
  reference: `transport_only_msgs_per_s`, the same transport and lanes in one process without
  the outbox, and `outbox_only_msgs_per_s`, outbox and worker with a transport that accepts at
  once (no HTTP): which of the two limits the figure on this machine.
- limited: the fake enforces Telegram's limits (30/s overall, 1/s per chat, 20/min per group,
  429 with retry_after when exceeded); the bot runs with the transport's own limits.
- faults: a share of sendMessage calls answers 429 (retry_after 1 s), 502, or answers only after
  the client's read timeout (the fake still delivers it: the ambiguity a real timeout has); some
  members blocked the bot; the worker process is killed (SIGKILL) once mid-way and a new one is
  started. `lost`: reachable members who never got it; `duplicates`: extra copies received;
  `in_flight_max`: the most messages a worker held leased and unrecorded at once (what a kill
  may repeat); `client_timeouts`: sends the worker saw time out (each may be a copy the fake
  delivered); `duplicates_explained`: duplicates <= client_timeouts + in_flight_max;
  `report_matches`: the broadcast's delivery report equals what the fake received.

SQLite in a temporary directory by default; `--pg` uses a throwaway PostgreSQL database
(REWIMET_TEST_PG). Prints one JSON object.

    .venv/bin/python bench/broadcast.py [--recipients 10000] [--limited 1500] [--pg]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bot.config import Settings, parse_settings
from bot.delivery_worker import DeliveryWorker, WorkerSettings
from bot.messages import Reply
from bot.router import Router
from bot.services import utc_now
from bot.transports.base import RateLimits, SendResult, SendStatus
from bot.transports.telegram import TelegramTransport
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from storage import broadcasts
from storage.db import Database
from storage.migrate import upgrade
from tests import postgres
from tests.bulk_members import FIRST_CHAT, add_members
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.faults import Fault, Limits

RAW_CHAT = 900_000
TEXT = "Einladung zum Symposium am 12. März in Goslar: Programm und Anmeldung im Mitgliederbereich."
CONCURRENCY = int(os.environ.get("BENCH_LANES", "8"))
POOL = int(os.environ.get("BENCH_POOL", "8"))
UNLIMITED = RateLimits(per_second=0, per_chat_per_second=0, per_group_per_minute=0)
TELEGRAM_LIMITS = Limits(per_second=30, per_chat_per_second=1, per_group_per_minute=20)


# ---- the worker process ----------------------------------------------------------------------


class CountingTransport:
    """The Telegram transport, counting what the worker saw (for the report only)."""

    def __init__(self, inner: TelegramTransport) -> None:
        self.inner = inner
        self.platform = inner.platform
        self.timeouts = 0

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        result = await self.inner.send(chat_id, reply)
        if result.status is SendStatus.RETRY and "timed out" in result.detail.lower():
            self.timeouts += 1
        return result

    async def direct_chat(self, user_id: str) -> str | None:
        return await self.inner.direct_chat(user_id)

    def rate_limits(self) -> RateLimits:
        return self.inner.rate_limits()

    async def start(self, dispatch: Any) -> None:
        return None

    async def stop(self) -> None:
        return None

    def is_alive(self) -> bool:
        return True


async def transport_only(args: argparse.Namespace) -> None:
    """The same transport sending `--raw` messages with as many lanes, no outbox: the ceiling."""
    settings = bench_settings(args.db, args.base_url)
    db = Database(args.db)
    transport = TelegramTransport.from_settings(
        settings, db=db, router=Router(), rate_limit=False, concurrency=args.pool // 2
    )
    await transport.application.initialize()
    numbers = iter(range(args.raw))

    async def lane() -> None:
        for number in numbers:
            await transport.send(str(RAW_CHAT + number), Reply(TEXT))

    await asyncio.gather(*(lane() for _ in range(args.concurrency)))
    await transport.application.shutdown()
    await db.close()


async def worker_process(args: argparse.Namespace) -> None:
    """Drain the outbox until SIGTERM; print stats as JSON lines for the parent."""
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("telegram").setLevel(logging.CRITICAL)
    settings = bench_settings(args.db, args.base_url)
    db = Database(args.db)
    transport = TelegramTransport.from_settings(
        settings,
        db=db,
        router=Router(),
        rate_limit=args.rate_limited,
        read_timeout=args.read_timeout,
        concurrency=args.pool // 2,  # the transport's HTTP connection pool is twice this
    )
    await transport.application.initialize()
    counting = CountingTransport(transport)
    worker = DeliveryWorker(
        db,
        {"telegram": counting},
        settings=WorkerSettings(
            lease_seconds=args.lease,
            max_in_flight=args.max_in_flight,
            concurrency=args.concurrency,
            poll_seconds=0.5,
        ),
        rate_limits=None if args.rate_limited else {"telegram": UNLIMITED},
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)

    def report() -> None:
        stats = {**asdict(worker.stats), "timeouts": counting.timeouts}
        print(json.dumps(stats), flush=True)

    worker.start()
    while not stop.is_set():
        report()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.1)
    await worker.stop()
    report()
    await transport.application.shutdown()
    await db.close()


class NullTransport:
    """Accepts every message at once: what the outbox and the worker cost on their own."""

    platform = "telegram"

    def __init__(self) -> None:
        self.times: list[float] = []

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        self.times.append(time.monotonic())
        return SendResult(SendStatus.SENT)

    async def direct_chat(self, user_id: str) -> str | None:
        return user_id

    def rate_limits(self) -> RateLimits:
        return UNLIMITED

    async def start(self, dispatch: Any) -> None:
        return None

    async def stop(self) -> None:
        return None

    def is_alive(self) -> bool:
        return True


async def outbox_only(db: Database, url: str) -> float:
    """Messages per second through outbox and worker alone (one process, no HTTP): a second
    broadcast to the same members, drained with a transport that accepts everything at once."""
    await queue_broadcast(
        db,
        bench_settings(url, "http://unused"),
        created_by=None,
        text=TEXT,
        audience=Audience("all"),
        announce=False,
        send_at=utc_now(),
    )
    null = NullTransport()
    worker = DeliveryWorker(
        db, {"telegram": null}, settings=WorkerSettings(concurrency=CONCURRENCY)
    )
    await worker.drain(600)
    return (len(null.times) - 1) / (null.times[-1] - null.times[0])


# ---- the bench -------------------------------------------------------------------------------


def bench_settings(url: str, base_url: str) -> Settings:
    raw: dict[str, object] = {
        "database": {"url": url},
        "telegram": {"token": "123456:TEST-TOKEN", "base_url": base_url},
    }
    return parse_settings(raw, source="bench", env={})


@dataclass
class Children:
    """Worker processes and the latest stats each printed."""

    args: list[str]
    stats: list[dict[str, Any]] = field(default_factory=list)
    procs: list[asyncio.subprocess.Process] = field(default_factory=list)
    readers: list[asyncio.Task[None]] = field(default_factory=list)

    async def spawn(self) -> asyncio.subprocess.Process:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--worker", *self.args, stdout=asyncio.subprocess.PIPE
        )
        index = len(self.stats)
        self.stats.append({})
        self.procs.append(proc)
        self.readers.append(asyncio.create_task(self._read(proc, index)))
        return proc

    async def _read(self, proc: asyncio.subprocess.Process, index: int) -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            with contextlib.suppress(ValueError):
                self.stats[index] = json.loads(line)

    async def finish(self) -> None:
        for proc in self.procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            await proc.wait()
        await asyncio.gather(*self.readers)

    def total(self, key: str) -> int:
        return sum(int(s.get(key, 0)) for s in self.stats)

    def peak(self, key: str) -> int:
        return max((int(s.get(key, 0)) for s in self.stats), default=0)


def delivered(fake: FakeBotApi) -> list[Any]:
    return fake.calls_to("sendMessage", ok=True)


async def run_part(
    url: str,
    recipients: int,
    *,
    limited: bool,
    fault_share: float = 0.0,
    kill: bool = False,
    workers: int = 1,
    blocked: int = 0,
    read_timeout: float = 10.0,
    lease: float = 60.0,
) -> dict[str, Any]:
    async with FakeBotApi() as fake:
        db = Database(url)
        await upgrade(db)
        await add_members(db, recipients)
        settings = bench_settings(url, fake.base_url)
        number, queued = await queue_broadcast(
            db,
            settings,
            created_by=None,
            text=TEXT,
            audience=Audience("all"),
            announce=False,
            send_at=utc_now(),
        )
        assert queued == recipients, (queued, recipients)
        step = recipients // blocked if blocked else 0
        blocked_chats = (
            {str(FIRST_CHAT + n) for n in range(1, recipients + 1, step)} if step else set()
        )
        for chat in blocked_chats:
            fake.block(chat)
        if limited:
            fake.set_limits(TELEGRAM_LIMITS)
        if fault_share:
            slow = Fault.slow(read_timeout + 1.0)
            fake.fail_share(
                fault_share, Fault.too_many(1), Fault.bad_gateway(), slow,
                methods=["sendMessage"], seed=11,
            )  # fmt: skip
        children = Children(
            [
                "--db", url, "--base-url", fake.base_url, "--read-timeout", str(read_timeout),
                "--lease", str(lease), *(["--rate-limited"] if limited else []),
                "--concurrency", str(CONCURRENCY), "--pool", str(POOL),
            ]
        )  # fmt: skip
        reachable = recipients - len(blocked_chats)
        started = time.monotonic()
        for _ in range(workers):
            await children.spawn()
        killed_at = None
        in_flight_at_kill = 0
        if kill:
            while True:  # until half the members have it
                if len({c.params["chat_id"] for c in delivered(fake)}) >= reachable // 2:
                    break
                await asyncio.sleep(0.05)
            in_flight_at_kill = int(children.stats[0].get("in_flight", 0))  # 0.1 s before
            children.procs[0].kill()  # no goodbye: leases and HTTP requests stay in flight
            await children.procs[0].wait()
            killed_at = len(delivered(fake))
            await children.spawn()
        while True:
            async with db.session() as session:
                report = (await broadcasts.reports(session, broadcast_ids=[number]))[number]
            if report["pending"] == 0:
                break
            if time.monotonic() - started > 1800:
                raise RuntimeError(f"not done after 30 minutes: {report}")
            await asyncio.sleep(0.25)
        await children.finish()
        ok = delivered(fake)
        bot_only = None
        if not limited and not kill:
            bot_only = await outbox_only(db, url)
        await db.close()
        ceiling = None
        if not limited and not kill:
            raw = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--worker", *children.args, "--raw", str(recipients)
            )
            await raw.wait()
            raw_times = sorted(
                c.at for c in delivered(fake) if int(c.params["chat_id"]) >= RAW_CHAT
            )
            ceiling = (len(raw_times) - 1) / (raw_times[-1] - raw_times[0])
    ok = [c for c in ok if int(c.params["chat_id"]) < RAW_CHAT]
    per_chat = Counter(str(c.params["chat_id"]) for c in ok)
    times = sorted(c.at for c in ok)
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    result: dict[str, Any] = {"recipients": recipients}
    if not kill:
        result["msgs_per_s"] = round(rate, 1)
        result["workers"] = workers
    if bot_only is not None:
        # Outbox and worker without HTTP: the bot's own ceiling.
        result["outbox_only_msgs_per_s"] = round(bot_only, 1)
    if ceiling is not None:
        # The same transport and lanes without the outbox: the HTTP client's own ceiling.
        result["transport_only_msgs_per_s"] = round(ceiling, 1)
    if limited:
        result["limit_per_s"] = TELEGRAM_LIMITS.per_second
        result["http_429"] = sum(1 for c in fake.calls if c.status == 429)
    if kill:
        lost = reachable - len(per_chat)
        expected = {"sent": len(per_chat), "failed": 0, "unreachable": len(blocked_chats)}
        expected["pending"] = 0
        duplicates = sum(count - 1 for count in per_chat.values())
        result.update(
            {
                "delivered_unique": len(per_chat),
                "lost": lost,
                "duplicates": duplicates,
                "in_flight_max": children.peak("in_flight_max"),
                "report_matches": report == expected,
                "report": report,
                "blocked": len(blocked_chats),
                "faults_injected": fake.faults.injected,
                "client_timeouts": children.total("timeouts"),
                "in_flight_at_kill": in_flight_at_kill,
                # Each extra copy follows a send the client gave up on (the fake delivered it
                # after the read timeout) or one in flight when the worker was killed.
                "duplicates_explained": duplicates
                <= children.total("timeouts") + children.peak("in_flight_max"),
                "killed_after_deliveries": killed_at,
                "workers": len(children.procs),
                "msgs_per_s": round(rate, 1),
            }
        )
    return result


async def database_url(use_pg: bool, directory: Path, name: str) -> tuple[str, bool]:
    if use_pg:
        url = await postgres.create_database()
        if url is None:
            raise SystemExit("PostgreSQL not reachable (REWIMET_TEST_PG)")
        return url, True
    return f"sqlite+aiosqlite:///{directory / name}.db", False


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "database": "postgresql" if args.pg else "sqlite",
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "transport": "bot.transports.telegram.TelegramTransport via tests.fakes.bot_api",
    }
    parts = {
        "unlimited": {"recipients": args.recipients, "limited": False, "workers": args.workers},
        "limited": {"recipients": args.limited, "limited": True},
        "faults": {
            "recipients": args.recipients,
            "limited": False,
            "fault_share": args.fault_share,
            "kill": True,
            "blocked": args.blocked,
            "read_timeout": 2.0,
            "lease": 20.0,
        },
    }
    with tempfile.TemporaryDirectory(prefix="rewimet-bench-") as tmp:
        for name in args.parts.split(","):
            url, drop = await database_url(args.pg, Path(tmp), name)
            try:
                spec = dict(parts[name])
                recipients = int(spec.pop("recipients"))
                results[name] = await run_part(url, recipients, **spec)
            finally:
                if drop:
                    await postgres.drop_database(url)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--read-timeout", type=float, default=10.0, help=argparse.SUPPRESS)
    parser.add_argument("--lease", type=float, default=60.0, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=8, help=argparse.SUPPRESS)
    parser.add_argument("--pool", type=int, default=8, help=argparse.SUPPRESS)
    parser.add_argument("--max-in-flight", type=int, default=200, help=argparse.SUPPRESS)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate-limited", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--limited", type=int, default=1_500, help="recipients at 30/s")
    parser.add_argument("--fault-share", type=float, default=0.05)
    parser.add_argument("--blocked", type=int, default=50, help="members who blocked the bot")
    parser.add_argument("--parts", default="unlimited,limited,faults")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (unlimited)")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    if args.worker:
        asyncio.run(transport_only(args) if args.raw else worker_process(args))
        return
    print(json.dumps(asyncio.run(bench(args))))


if __name__ == "__main__":
    main()
