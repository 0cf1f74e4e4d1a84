"""Many members press "join" on one event at the same moment; the database keeps the capacity.

    python bench/signup_race.py --backend sqlite|postgresql [--attempts 1000 --capacity 30]
    python bench/signup_race.py --half-page [--connections 50] ...

Prints one JSON object: {backend, attempts, capacity, confirmed, waitlisted, duplicates,
order_ok, seconds}. With `--half-page` every second member joins through the events page
(`POST /app/events/{id}/join` on the running web server, with their own signed Telegram
`initData`, at most `--connections` requests at a time) while the others join in chat; the JSON
adds from_page, failed, taken, positions_dense, told_ok, page_confirmed, page_in_first_half,
interleaved (tests/miniapp_race.py). PostgreSQL runs in a throwaway database on the server in
REWIMET_TEST_PG (default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bot.app import build_app
from bot.config import parse_settings
from handlers.events import service
from handlers.events.form import Draft
from storage.events import Event, EventSignup
from storage.models import Account, Member
from tests import postgres
from tests.miniapp_race import race as page_race
from tests.miniapp_race import served


async def race(url: str, backend: str, attempts: int, capacity: int) -> dict[str, object]:
    app = await build_app(parse_settings({"database": {"url": url}}, source="bench", env={}))
    services = app.services
    try:
        async with services.db.session() as session:
            racers = [
                Member(
                    display_name=f"Racer {i}",
                    language="de",
                    accounts=[Account(platform="console", user_id=f"racer-{i}")],
                )
                for i in range(attempts)
            ]
            session.add_all(racers)
        draft = Draft(
            kind="excursion",
            title="Exkursion (Benchmark)",
            start=datetime(2099, 6, 1, 8, 0, tzinfo=UTC),
            capacity=capacity,
            announce="no",
        )
        event_id = (await service.create_event(services, draft, created_by=None)).event.id

        started = time.perf_counter()
        results = await asyncio.gather(
            *(service.join_event(services, racer, event_id) for racer in racers)
        )
        seconds = time.perf_counter() - started

        async with services.db.session() as session:
            rows = list(
                (
                    await session.execute(
                        select(EventSignup)
                        .where(EventSignup.event_id == event_id)
                        .order_by(EventSignup.position)
                    )
                ).scalars()
            )
            event = await session.get(Event, event_id)
        confirmed = [r.position for r in rows if r.status == "confirmed"]
        waiting = [r.position for r in rows if r.status == "waitlisted"]
        told = sorted((r.position, r.rank) for _e, r in results if r.outcome == "waitlisted")
        order_ok = (
            (not confirmed or not waiting or max(confirmed) < min(waiting))
            and [rank for _p, rank in told] == list(range(1, len(waiting) + 1))
            and event is not None
            and event.taken == len(confirmed)
        )
        return {
            "backend": backend,
            "attempts": attempts,
            "capacity": capacity,
            "confirmed": len(confirmed),
            "waitlisted": len(waiting),
            "duplicates": len(rows) - len({r.member_id for r in rows}),
            "order_ok": order_ok,
            "seconds": round(seconds, 3),
        }
    finally:
        await app.stop()


async def half_page(
    url: str, backend: str, attempts: int, capacity: int, connections: int
) -> dict[str, object]:
    async with served(url) as bot:
        result = await page_race(bot, attempts=attempts, capacity=capacity, connections=connections)
    return {"backend": backend, "mode": "half-page", **result}


async def run(args: argparse.Namespace, url: str, backend: str) -> dict[str, object]:
    if args.half_page:
        return await half_page(url, backend, args.attempts, args.capacity, args.connections)
    return await race(url, backend, args.attempts, args.capacity)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--attempts", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=30)
    parser.add_argument(
        "--half-page", action="store_true", help="half the joins through the events page"
    )
    parser.add_argument("--connections", type=int, default=50, help="page requests at once")
    args = parser.parse_args()
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            result = await run(args, url, "sqlite")
    else:
        pg_url = await postgres.create_database()
        if pg_url is None:
            raise SystemExit(f"PostgreSQL not reachable at {postgres.PG_DSN}")
        try:
            result = await run(args, pg_url, "postgresql")
        finally:
            await postgres.drop_database(pg_url)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
