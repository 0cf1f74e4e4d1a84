"""The join race with half the joins from the events page (Telegram Mini App) over real HTTP.

Half the members press *Anmelden* on the page (`POST /app/events/{id}/join` with their own
signed `initData`), the other half join through the chat's function at the same moment; both
are one rule, so the database hands out exactly the capacity and a waitlist in arrival order.
tests/test_miniapp_race.py and `bench/signup_race.py --half-page` share this.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import parse_settings
from bot.services import Services
from handlers.events import service
from handlers.events.form import Draft
from handlers.members.miniapp_auth import sign_init_data
from storage.events import CONFIRMED, WAITLISTED, Event, EventSignup
from storage.models import Member
from tests.bulk_members import FIRST_CHAT, add_members
from web.app import WebServer

TOKEN = "123456:TEST-token-for-the-race"
NOTICE = re.compile(r'role="status">([^<]*)<')


@dataclass
class Served:
    app: App
    server: WebServer

    @property
    def services(self) -> Services:
        return self.app.services

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"


@asynccontextmanager
async def served(db_url: str) -> AsyncIterator[Served]:
    """The bot (no transports, a Telegram token for the signatures) and its web server."""
    raw: dict[str, object] = {
        "database": {"url": db_url},
        "web": {"enabled": True, "port": 0},
        "telegram": {"token": TOKEN},
    }
    app = await build_app(parse_settings(raw, source="race", env={}), transports=[])
    server = WebServer(app.services)
    await server.start("127.0.0.1", 0)
    try:
        yield Served(app, server)
    finally:
        await server.stop()
        await app.stop()


def init_data(member_id: int, services: Services) -> str:
    """Telegram's signed `initData` for bulk member `member_id` (tests/bulk_members.py)."""
    user = json.dumps({"id": FIRST_CHAT + member_id, "first_name": f"M{member_id}"})
    signed = int(services.clock().timestamp())
    fields = {"query_id": f"AAE{member_id}", "user": user, "auth_date": str(signed)}
    return sign_init_data(fields, TOKEN)


@dataclass(frozen=True)
class Joined:
    member_id: int
    from_page: bool
    outcome: str  # confirmed, waitlisted, or what went wrong ("http 500", "no notice")
    rank: int  # the waitlist place the member was told (0: none)


async def _from_chat(
    start: asyncio.Event,
    gate: asyncio.Semaphore,
    services: Services,
    member: Member,
    event_id: int,
) -> Joined:
    await start.wait()
    async with gate:
        _event, result = await service.join_event(services, member, event_id)
    return Joined(member.id, False, result.outcome, result.rank)


async def _from_page(
    client: aiohttp.ClientSession,
    base: str,
    services: Services,
    member_id: int,
    event_id: int,
) -> Joined:
    headers = {"HX-Request": "true", "X-Telegram-Init-Data": init_data(member_id, services)}
    async with client.post(f"{base}/app/events/{event_id}/join", headers=headers) as response:
        html = await response.text()
    if response.status != 200:
        return Joined(member_id, True, f"http {response.status}", 0)
    found = NOTICE.search(html)
    if found is None:
        return Joined(member_id, True, "no notice", 0)
    digits = re.search(r"\d+", found.group(1))  # the waitlist place; "signed up" has none
    if digits is None:
        return Joined(member_id, True, CONFIRMED, 0)
    return Joined(member_id, True, WAITLISTED, int(digits.group()))


async def race(
    served: Served, *, attempts: int, capacity: int, connections: int = 50
) -> dict[str, object]:
    """`attempts` members join one event of `capacity` places, every second one from the page.

    The page's requests share one HTTP session with at most `connections` open at a time; a
    quarter as many chat joins run at once, since a page join is about four transactions
    (who is asking, the join, the audit line, the list again) to the chat's one, and the chat's
    joins start when the page's first request has gone out. Otherwise the chat's quicker joins
    would take every place before the first request reached the server: the halves should
    race, not queue one behind the other (`interleaved`, `page_in_first_half`).
    Returns the summary the test asserts on and the bench prints.
    """
    services = served.services
    await add_members(services.db, attempts)
    async with services.db.session() as session:
        racers = list((await session.execute(select(Member).order_by(Member.id))).scalars())
    draft = Draft(
        kind="excursion",
        title="Exkursion Rammelsberg",
        start=services.clock() + timedelta(days=30),
        capacity=capacity,
        announce="no",
    )
    event_id = (await service.create_event(services, draft, created_by=None)).event.id
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=300)
    gate = asyncio.Semaphore(max(1, connections // 4))
    first = asyncio.Event()

    async def sent(*_args: object) -> None:
        first.set()

    tracing = aiohttp.TraceConfig()
    tracing.on_request_headers_sent.append(sent)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, trace_configs=[tracing]
    ) as client:
        started = time.perf_counter()
        joined = await asyncio.gather(
            *(
                _from_page(client, served.url, services, m.id, event_id)
                if i % 2 == 0
                else _from_chat(first, gate, services, m, event_id)
                for i, m in enumerate(racers)
            )
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
    return summary(joined, rows, event, attempts, capacity, seconds)


def summary(
    joined: list[Joined],
    rows: list[EventSignup],
    event: Event | None,
    attempts: int,
    capacity: int,
    seconds: float,
) -> dict[str, object]:
    """What the database holds and what each member was told, side by side."""
    page_members = {j.member_id for j in joined if j.from_page}
    confirmed = [r for r in rows if r.status == CONFIRMED]
    waiting = [r for r in rows if r.status == WAITLISTED]
    positions = [r.position for r in rows]
    # The waitlist in the database's arrival order: the member at its n-th row was told n.
    told = {j.member_id: (j.outcome, j.rank) for j in joined}
    ranks_ok = all(
        told[r.member_id] == (WAITLISTED, n) for n, r in enumerate(waiting, start=1)
    ) and all(told[r.member_id] == (CONFIRMED, 0) for r in confirmed)
    page_positions = [r.position for r in rows if r.member_id in page_members]
    chat_positions = [r.position for r in rows if r.member_id not in page_members]
    return {
        "attempts": attempts,
        "from_page": len(page_members),
        "capacity": capacity,
        "confirmed": len(confirmed),
        "waitlisted": len(waiting),
        "duplicates": len(rows) - len({r.member_id for r in rows}),
        "failed": sum(j.outcome not in (CONFIRMED, WAITLISTED) for j in joined),
        "taken": None if event is None else event.taken,
        # unique and dense: positions are 1..attempts; the first `capacity` got the places
        "positions_dense": sorted(positions) == list(range(1, len(rows) + 1)),
        "order_ok": bool(confirmed and waiting)
        and max(r.position for r in confirmed) < min(r.position for r in waiting),
        "told_ok": ranks_ok,
        "page_confirmed": sum(r.member_id in page_members for r in confirmed),
        "page_in_first_half": sum(p <= len(rows) // 2 for p in page_positions),
        # the two halves really raced: neither finished before the other began
        "interleaved": bool(page_positions and chat_positions)
        and min(page_positions) < max(chat_positions)
        and min(chat_positions) < max(page_positions),
        "seconds": round(seconds, 3),
    }
