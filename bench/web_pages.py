"""Dashboard pages at the network's scale, and the chat's answers while they are loaded.

Seeds (in bulk) 10,000 members, 100,000 logged FAQ questions (with office tickets), 200 events
with sign-ups, partner requests, audit entries and a real 10,000-recipient broadcast (queued by
`handlers.broadcast.sending.queue_broadcast`, partly marked delivered), then:

- pages: every page in the navigation (web.pages.PAGES) and the first detail page each links
  to (an event's roster, a broadcast's report …), requested `--requests` times one after the
  other by a signed-in client: p50, p95 and max in milliseconds. Target: p95 <= 150 ms.
- chat: the answer latency of FAQ questions (the demo knowledge base) from members, quiet and
  while another process signs in with a real link and loads the pages one after the other,
  without a pause; quiet and loaded alternate in `--rounds` rounds, so that what else the
  machine does weighs on both alike. Target: the loaded p50 and p95 within 1.5x of the quiet
  ones (`chat.ratio`), measured in the same run.

The bot, the dashboard and the database work in one process and one event loop, as `rewimet-bot
run` does. SQLite in a temporary directory by default; `--pg` uses a throwaway PostgreSQL
database (REWIMET_TEST_PG). Prints one JSON object.

    .venv/bin/python bench/web_pages.py [--members 10000] [--questions 100000] [--pg]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from sqlalchemy import insert, select, update

from bot.demo import DEMO_DIR
from bot.messages import Platform
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from handlers.faq.kb_import import import_kb, parse_kb
from storage.events import CONFIRMED, WAITLISTED, Event, EventSignup
from storage.faq import FaqQuestion, FaqTicket
from storage.models import Account, AuditEntry, Member, OutboxMessage
from storage.partners import PartnerRequest
from tests import postgres
from tests.harness import make_harness
from tests.web_harness import Dashboard
from web.app import WebServer
from web.pages import PAGES

BATCH = 5000
TARGET_MS = 150.0
TARGET_RATIO = 1.5
CITIES = ("Goslar", "Clausthal-Zellerfeld", "Magdeburg", "Halle", "Leipzig", "Kassel", "Hannover")
KINDS = ("company", "university", "municipality", "institute", "association")
TOPICS = (
    "Batterierecycling", "Schwarzmasse", "Hydrometallurgie", "Seltene Erden", "Elektroschrott",
    "Platingruppenmetalle", "Sortiertechnik", "Schlacke", "Hartmetall", "Kupfer",
)  # fmt: skip
UNANSWERED = (
    "Kann ich meinen Hund zur Exkursion mitbringen?",
    "Is there a discount for students at the symposium?",
    "Gibt es einen Parkplatz für Reisebusse am Tagungsort?",
    "Wer organisiert die Fahrgemeinschaften nach Freiberg?",
)
EVENT_KINDS = ("symposium", "forum", "excursion", "workshop", "other")


# ---- seeding ---------------------------------------------------------------------------------


async def insert_batches(db: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        async with db.session() as session:
            await session.execute(insert(table), rows[start : start + BATCH])


async def seed(dash: Dashboard, args: argparse.Namespace) -> dict[str, Any]:
    """The network at the issue's scale, in bulk (SQLAlchemy executemany)."""
    rng = random.Random(16)
    db = dash.bot.db
    now = datetime.now(UTC)
    started = time.monotonic()
    kb = parse_kb((DEMO_DIR / "faq.toml").read_text(encoding="utf-8"))
    async with db.session() as session:
        await import_kb(session, kb)
    entry_ids = [entry.id for entry in kb]

    await insert_batches(
        db,
        Member,
        [
            {
                "external_id": f"bench-{n}",
                "display_name": f"Mitglied {n}",
                "organisation": f"Organisation {n % 1500} (fiktiv)",
                "kind": KINDS[n % len(KINDS)],
                "city": CITIES[n % len(CITIES)],
                "role": "Forschung" if n % 3 else "Geschäftsführung",
                "topics": rng.sample(TOPICS, 3),
                "languages": ["de", "en"] if n % 2 else ["de"],
                "language": "de" if n % 4 else "en",
                "young_professional": n % 7 == 0,
                "partner_consent": n % 2 == 0,
                "onboarded": True,
                "news_subscribed": True,
                "preferred_platform": "telegram" if n % 3 else "matrix",
                "created_at": now - timedelta(days=rng.randint(0, 1500)),
            }
            for n in range(args.members)
        ],
    )
    async with db.session() as session:
        rows = await session.execute(
            select(Member.id, Member.external_id).where(Member.external_id.like("bench-%"))
        )
        member_ids = [row.id for row in sorted(rows, key=lambda r: int(r.external_id[6:]))]
    await insert_batches(
        db,
        Account,
        [
            {
                "member_id": member_id,
                "platform": "telegram" if n % 3 else "matrix",
                "user_id": str(100_000 + n) if n % 3 else f"@bench{n}:example.org",
                "chat_id": str(100_000 + n) if n % 3 else f"!room{n}:example.org",
            }
            for n, member_id in enumerate(member_ids)
        ],
    )

    tickets = [
        {
            "member_id": rng.choice(member_ids),
            "created_at": now - timedelta(hours=rng.randint(1, 24 * 365)),
            "text": f"{rng.choice(UNANSWERED)} ({n})",
            "lang": "de",
            "status": "open" if n < args.open_tickets else "answered",
            "answer": "" if n < args.open_tickets else "Ja, gern.",
        }
        for n in range(args.tickets)
    ]
    await insert_batches(db, FaqTicket, tickets)
    decisions = ("answer",) * 7 + ("choices",) * 2 + ("handoff",)
    questions = []
    for n in range(args.questions):
        decision = decisions[n % len(decisions)]
        entry = rng.choice(entry_ids)
        questions.append(
            {
                "member_id": member_ids[n % len(member_ids)],
                "asked_at": now - timedelta(minutes=rng.randint(1, 60 * 24 * 365)),
                "text": f"Frage {n} zu {entry}",
                "lang": "de" if n % 4 else "en",
                "decision": decision,
                "entry_ids": [entry] if decision != "handoff" else [],
                "score": rng.random(),
                "answered_entry_id": entry if decision == "answer" else None,
                "feedback": (n % 13 == 0) if n % 5 == 0 else None,
            }
        )
    await insert_batches(db, FaqQuestion, questions)

    await insert_batches(
        db,
        Event,
        [
            {
                "kind": EVENT_KINDS[n % len(EVENT_KINDS)],
                "title": f"Veranstaltung {n}: {TOPICS[n % len(TOPICS)]}",
                "description": "Programm folgt.",
                "place": CITIES[n % len(CITIES)],
                "starts_at": now + timedelta(days=n * 3 - 300, hours=9),
                "ends_at": now + timedelta(days=n * 3 - 300, hours=17),
                "capacity": 40 if n % 2 else None,
                "taken": 0,
                "arrivals": 0,
                "audience": "all",
                "reminder_hours": [168, 24],
                "status": "open" if n % 25 else "cancelled",
                "sequence": 0,
            }
            for n in range(args.events)
        ],
    )
    async with db.session() as session:
        events = list(await session.execute(select(Event.id, Event.capacity)))
    signups, taken = [], {}
    for event in events:
        people = rng.sample(member_ids, args.signups_per_event)
        confirmed = event.capacity or len(people)
        taken[event.id] = min(confirmed, len(people))
        for position, member_id in enumerate(people, start=1):
            signups.append(
                {
                    "event_id": event.id,
                    "member_id": member_id,
                    "status": CONFIRMED if position <= confirmed else WAITLISTED,
                    "position": position,
                    "created_at": now - timedelta(days=rng.randint(1, 60)),
                }
            )
    await insert_batches(db, EventSignup, signups)
    async with db.session() as session:
        for event_id, count in taken.items():
            await session.execute(update(Event).where(Event.id == event_id).values(taken=count))

    await insert_batches(
        db,
        PartnerRequest,
        [
            {
                "requester_id": rng.choice(member_ids),
                "text": f"Wir suchen Partner für {TOPICS[n % len(TOPICS)]} ({n}).",
                "lang": "de",
                "status": "open" if n % 4 else "office",
                "created_at": now - timedelta(days=rng.randint(0, 30)),
                "sent_at": now - timedelta(days=rng.randint(0, 30)),
                "expires_at": now + timedelta(days=14),
            }
            for n in range(args.partner_requests)
        ],
    )
    admin = await dash.bot.member("admin")
    assert admin is not None
    await insert_batches(
        db,
        AuditEntry,
        [
            {
                "at": now - timedelta(minutes=n * 7),
                "actor_member_id": admin.id,
                "action": rng.choice(("broadcast", "newevent", "answer", "learn", "web:sign_in")),
                "allowed": True,
                "detail": f"#{n}",
            }
            for n in range(args.audit)
        ],
    )

    number, queued = await queue_broadcast(
        db,
        dash.bot.app.services.settings,
        created_by=admin.id,
        text="Einladung zum Symposium am 12. März in Goslar: Programm und Anmeldung.",
        audience=Audience("all"),
        announce=False,
        send_at=now,
    )
    async with db.session() as session:
        ids = list(
            (
                await session.execute(
                    select(OutboxMessage.id).where(OutboxMessage.broadcast_id == number)
                )
            ).scalars()
        )
        sent, failed = ids[: len(ids) * 6 // 10], ids[len(ids) * 6 // 10 :][:150]
        for start in range(0, len(sent), BATCH):
            chunk = sent[start : start + BATCH]
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(chunk))
                .values(status="sent", sent_at=now, attempts=1)
            )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(failed))
            .values(status="failed", attempts=5, last_error="Forbidden: bot was blocked")
        )
    return {
        "members": len(member_ids),
        "questions": len(questions),
        "tickets": len(tickets),
        "open_tickets": args.open_tickets,
        "events": len(events),
        "signups": len(signups),
        "partner_requests": args.partner_requests,
        "audit_entries": args.audit,
        "broadcast_recipients": queued,
        "seconds": round(time.monotonic() - started, 1),
    }


# ---- measuring -------------------------------------------------------------------------------


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "n": len(ordered),
    }


def nav_paths() -> list[tuple[str, str]]:
    return [(module.NAV[0], module.NAV[1]) for module in PAGES if module.NAV is not None]


def detail_link(html: str, href: str) -> str | None:
    """The first link of a list page to one of its items (`/events/12`, `/broadcasts/3` …)."""
    base = href.rstrip("/")
    if not base:
        return None
    found = re.search(rf'href="({re.escape(base)}/\d+)"', html)
    return found.group(1) if found else None


async def time_pages(dash: Dashboard, requests: int) -> dict[str, Any]:
    """Each page requested one after the other by a signed-in client."""
    admin = await dash.signed_in()
    results: dict[str, Any] = {}
    try:
        paths: list[tuple[str, str]] = []
        for key, href in nav_paths():
            status, html = await admin.get(href)
            paths.append((key, href))
            detail = detail_link(html, href) if status == 200 else None
            if detail is not None:
                paths.append((f"{key}_detail", detail))
        for key, path in paths:
            samples, status, size = [], 0, 0
            for _ in range(2):  # warm-up: templates compiled, caches filled
                await admin.get(path)
            for _ in range(requests):
                begun = time.perf_counter()
                status, html = await admin.get(path)
                samples.append(time.perf_counter() - begun)
                size = len(html)
            results[key] = {
                "path": path,
                "status": status,
                "kb": round(size / 1024, 1),
                **summary(samples),
            }
            results[key]["within_target"] = status == 200 and results[key]["p95_ms"] <= TARGET_MS
    finally:
        await admin.close()
    return results


async def ask(dash: Dashboard, questions: list[str], count: int, first: int = 0) -> list[float]:
    """FAQ questions from different members (Telegram accounts), one after the other."""
    samples = []
    users = [str(100_000 + n) for n in range(1, 3000) if n % 3]  # seeded Telegram accounts
    for n in range(first, first + count):
        user = users[n % len(users)]
        begun = time.perf_counter()
        chat = await dash.bot.send(user, questions[n % len(questions)], platform=Platform.TELEGRAM)
        samples.append(time.perf_counter() - begun)
        assert chat.replies, "the bot did not answer"
    return samples


async def tell(loader: asyncio.subprocess.Process, command: bytes, answer: bytes) -> None:
    assert loader.stdin is not None and loader.stdout is not None
    loader.stdin.write(command + b"\n")
    await loader.stdin.drain()
    said = (await loader.stdout.readline()).strip()
    assert said == answer, said


async def chat_under_load(dash: Dashboard, count: int, rounds: int) -> dict[str, Any]:
    """The same questions quiet and while pages load, in alternating rounds: whatever else
    the machine does meanwhile (a shared machine) weighs on both sides alike."""
    kb = parse_kb((DEMO_DIR / "faq.toml").read_text(encoding="utf-8"))
    questions = [q for entry in kb for q in entry.questions_de]
    await ask(dash, questions, len(questions))  # warm-up: every question once (indexes built)
    link = await dash.link()
    paths = [href for _key, href in nav_paths()]
    loader = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--load",
        dash.url,
        link,
        *paths,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert loader.stdout is not None
    ready = await loader.stdout.readline()  # signed in, waiting for "go"
    assert ready.strip() == b"ready", ready
    quiet: list[float] = []
    loaded: list[float] = []
    per_round = max(1, count // rounds)
    for number in range(rounds):
        quiet += await ask(dash, questions, per_round, first=2 * number * per_round)
        await tell(loader, b"go", b"loading")
        await asyncio.sleep(0.3)  # the pages are under way
        loaded += await ask(dash, questions, per_round, first=(2 * number + 1) * per_round)
        await tell(loader, b"pause", b"paused")  # its page in flight is done
    await tell(loader, b"quit", b"done")
    out = json.loads((await loader.stdout.readline()).decode() or "{}")
    await loader.wait()
    quiet_s, loaded_s = summary(quiet), summary(loaded)
    ratio_p50 = loaded_s["p50_ms"] / quiet_s["p50_ms"]
    ratio_p95 = loaded_s["p95_ms"] / quiet_s["p95_ms"]
    return {
        "ratio": {
            "p50": round(ratio_p50, 2),
            "p95": round(ratio_p95, 2),
            "target": TARGET_RATIO,
            "within_target": ratio_p50 <= TARGET_RATIO and ratio_p95 <= TARGET_RATIO,
        },
        "quiet": quiet_s,
        "while_pages_load": loaded_s,
        "rounds": rounds,
        "pages_loaded": out.get("pages", 0),
        "pages_per_s": out.get("pages_per_s", 0),
        "load_errors": out.get("errors", 0),
    }


async def load_pages(url: str, link: str, paths: list[str]) -> None:
    """The loading client (a separate process): sign in with the link, then load the pages
    one after the other while told to ("go" … "pause" on stdin, "quit" to end)."""
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    pages = errors = 0
    busy = 0.0
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        async with client.post(link, allow_redirects=False) as response:
            assert response.status == 303, response.status
        print("ready", flush=True)
        while (command := (await commands.readline()).strip()) == b"go":
            print("loading", flush=True)
            told = asyncio.ensure_future(commands.readline())
            begun = time.monotonic()
            while not told.done():
                for path in paths:
                    async with client.get(url + path, allow_redirects=False) as response:
                        await response.read()
                    pages += 1
                    errors += response.status != 200
                    if told.done():
                        break
            busy += time.monotonic() - begun
            assert (await told).strip() == b"pause"
            print("paused", flush=True)
        assert command == b"quit", command
    print("done", flush=True)
    rate = round(pages / busy, 1) if busy else 0
    print(json.dumps({"pages": pages, "errors": errors, "pages_per_s": rate}), flush=True)


# ---- the bench -------------------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    # A page that fails is counted by its status; its traceback would drown the JSON.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    results: dict[str, Any] = {
        "database": "postgresql" if args.pg else "sqlite",
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_p95_ms": TARGET_MS,
        "target_ratio": TARGET_RATIO,
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rewimet-web-bench-") as tmp:
        if args.pg:
            url = await postgres.create_database()
            if url is None:
                raise SystemExit("PostgreSQL not reachable (REWIMET_TEST_PG)")
        else:
            url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        try:
            bot = await make_harness(
                url,
                web={"enabled": True, "port": 0},
                # Members ask one after the other faster than people type.
                limits={"flood_messages_per_minute": 100_000, "flood_burst": 100_000},
            )
            server = WebServer(bot.app.services)
            await server.start("127.0.0.1", 0)
            dash = Dashboard(bot, server)
            try:
                await dash.link()  # the admin writes to the bot once: a member
                results["seeded"] = await seed(dash, args)
                results["pages"] = await time_pages(dash, args.requests)
                results["chat"] = await chat_under_load(dash, args.chat_questions, args.rounds)
            finally:
                await server.stop()
                await bot.app.stop()
        finally:
            if args.pg:
                await postgres.drop_database(url)
    results["pages_within_target"] = all(p["within_target"] for p in results["pages"].values())
    results["chat_within_target"] = results["chat"]["ratio"]["within_target"]
    results["seconds"] = round(time.monotonic() - started, 1)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--tickets", type=int, default=2_000)
    parser.add_argument("--open-tickets", type=int, default=300)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--signups-per-event", type=int, default=60)
    parser.add_argument("--partner-requests", type=int, default=500)
    parser.add_argument("--audit", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30, help="per page")
    parser.add_argument("--chat-questions", type=int, default=400, help="quiet and loaded each")
    parser.add_argument("--rounds", type=int, default=20, help="quiet and loaded alternating")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    if args.load:
        url, link, *paths = args.load
        asyncio.run(load_pages(url, link, paths))
        return
    print(json.dumps(asyncio.run(bench(args))))


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
