"""Requests per second for a member's calendar feed, against the bot's running web server.

A member signed up for 50 events (confirmed, waitlisted and offered among them; the network has
200 more) subscribes with /kalender, in all-events mode off. The bot and its web server run in
this process, as `rewimet-bot run` does; the load comes from a second process (aiohttp, a few
connections kept open) so it does not share the server's event loop. Scenarios, each for
`--seconds`:

- full: GET the feed (200, the calendar from the server's memory while nothing changed),
- uncached: GET with the server's memory of built calendars off (built on every request),
- not_modified: GET with If-None-Match (304, no calendar built),
- static: GET /static/style.css from the same server, the yardstick.

Prints one JSON object: requests per second per scenario, the ratio of each to the static
file, the feed's size, and whether the target (>= 200/s for full and not_modified) is met.
SQLite in a temporary directory by default; `--pg` uses a throwaway PostgreSQL database.

    .venv/bin/python bench/calendar_feed.py [--seconds 5] [--connections 8] [--pg]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp

TARGET = 200.0
EVENTS = 50
OTHER_EVENTS = 200


async def load(url: str, seconds: float, connections: int, etag: str | None) -> dict[str, Any]:
    """Requests per second with `connections` clients in a loop (the load process)."""
    headers = {"If-None-Match": etag} if etag else {}
    done = 0
    statuses: set[int] = set()
    stop = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal done
        while time.perf_counter() < stop:
            async with session.get(url, headers=headers) as response:
                await response.read()
                statuses.add(response.status)
            done += 1

    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return {"rps": round(done / elapsed, 1), "requests": done, "statuses": sorted(statuses)}


def client_main(argv: list[str]) -> None:
    url, seconds, connections, etag = argv[0], float(argv[1]), int(argv[2]), argv[3]
    print(json.dumps(asyncio.run(load(url, seconds, connections, etag or None))))


async def seed(harness: object) -> tuple[int, list[int]]:
    """A member on 50 upcoming events (every 10th waitlisted, every 25th offered), 200 more
    events in the network."""
    from datetime import timedelta

    from sqlalchemy import update

    from storage import event_store, signups
    from storage.events import OFFERED, EventSignup
    from tests.harness import Harness

    assert isinstance(harness, Harness)
    await harness.onboard("bench")
    await harness.onboard("other")
    bench, other = await harness.member("bench"), await harness.member("other")
    assert bench is not None and other is not None
    services = harness.app.services
    now = services.clock()
    ids: list[int] = []
    async with services.db.session() as session:
        for n in range(EVENTS + OTHER_EVENTS):
            start = now + timedelta(days=3 + n * 3, hours=n % 7)
            event = await event_store.create_event(
                session,
                kind="forum",
                title=f"Forum {n + 1}: Recycling strategischer Metalle",
                description="Vorträge, Diskussion und Besichtigung.\nMit Imbiss.",
                place="Clausthal-Zellerfeld",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                capacity=1 if n % 10 == 0 else 40,
                audience="all",
                reminder_hours=[],
            )
            ids.append(event.id)
        for n, event_id in enumerate(ids[:EVENTS]):
            if n % 10 == 0:  # full: the member waits
                await signups.join(session, event_id=event_id, member_id=other.id)
            await signups.join(session, event_id=event_id, member_id=bench.id)
            if n % 25 == 1:
                await session.execute(
                    update(EventSignup)
                    .where(EventSignup.event_id == event_id, EventSignup.member_id == bench.id)
                    .values(status=OFFERED, offer_expires_at=now + timedelta(hours=20))
                )
    return bench.id, ids


async def main(args: argparse.Namespace) -> dict[str, object]:
    from handlers.events import feed
    from tests import postgres
    from tests.harness import make_harness
    from web.app import WebServer

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        if args.pg:
            found = await postgres.create_database()
            if found is None:
                raise SystemExit("PostgreSQL not reachable")
            url = found
        harness = await make_harness(url, web={"enabled": True, "port": 0})
        server = WebServer(harness.app.services)
        await server.start("127.0.0.1", 0)
        try:
            services = harness.app.services
            await seed(harness)
            answer = (await harness.send("bench", "/kalender")).text
            path = "/feed/" + answer.split("/feed/", 1)[1].split(".ics", 1)[0] + ".ics"
            base = f"http://127.0.0.1:{server.port}"
            async with aiohttp.ClientSession() as session, session.get(base + path) as first:
                body = await first.read()
                etag = first.headers["ETag"]
                assert first.status == 200 and body.count(b"BEGIN:VEVENT") == EVENTS
            results: dict[str, dict[str, Any]] = {}
            scenarios = [
                ("full", path, ""),
                ("not_modified", path, etag),
                ("static", "/static/style.css", ""),
                ("uncached", path, ""),
            ]
            for name, target, tag in scenarios:
                if name == "uncached":
                    services.features[feed.CACHE_KEY] = feed.FeedCache(size=0)
                results[name] = await run_client(base + target, args.seconds, args.connections, tag)
        finally:
            await server.stop()
            await harness.app.stop()
            if args.pg:
                await postgres.drop_database(url)
    static_rps = results["static"]["rps"] or 1.0
    return {
        "benchmark": "calendar_feed",
        "database": "postgresql" if args.pg else "sqlite",
        "events_in_feed": EVENTS,
        "feed_bytes": len(body),
        "seconds": args.seconds,
        "connections": args.connections,
        "rps": {name: found["rps"] for name, found in results.items()},
        "statuses": {name: found["statuses"] for name, found in results.items()},
        "ratio_to_static": {
            name: round(found["rps"] / static_rps, 2)
            for name, found in results.items()
            if name != "static"
        },
        "target_rps": TARGET,
        "target_met": results["full"]["rps"] >= TARGET and results["not_modified"]["rps"] >= TARGET,
    }


async def run_client(url: str, seconds: float, connections: int, etag: str) -> dict[str, Any]:
    """The load from another process, while this one serves."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--client",
        url,
        str(seconds),
        str(connections),
        etag,
        stdout=subprocess.PIPE,
    )
    out, _err = await process.communicate()
    found: dict[str, Any] = json.loads(out)
    return found


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--client":
        client_main(sys.argv[2:])
        raise SystemExit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pg", action="store_true")
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))
