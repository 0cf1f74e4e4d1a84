"""The dashboard's large pages are read on a thread of their own (web/reader.py): a slow page
does not hold up the chat, a page shows what was written just before it was opened, and the
reader never writes; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import html
import re
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from handlers.faq.kb_import import import_kb, parse_kb
from storage import audit
from storage.db import Database, ReadOnlyViolation
from storage.models import AuditEntry
from tests.harness import Harness
from tests.web_harness import Dashboard, SignedIn, dashboard_for

COAT_QUESTION = "Gibt es am Tagungsort eine Garderobe für Mäntel?"


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        async with found.bot.db.session() as session:
            await import_kb(session, parse_kb((DEMO_DIR / "faq.toml").read_text("utf-8")))
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await dash.signed_in()
    yield client
    await client.close()


async def ask_office(bot: Harness, user: str, text: str) -> str:
    """A question the bot hands to the office (after "none of these" if it offers topics)."""
    asked = await bot.send(user, text)
    if any(p.startswith("faq:ho:") for p in asked.buttons):
        asked = await bot.press(user, next(p for p in asked.buttons if p.startswith("faq:ho:")))
    return asked.text


async def test_a_slow_page_does_not_hold_up_the_chat(
    dash: Dashboard, office: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The audit log's query takes a second, holding its thread as a large SQLite query does.
    started = threading.Event()
    finished: list[float] = []
    search = audit.search

    async def slow_search(session: Any, **values: Any) -> Any:
        started.set()
        time.sleep(1.0)  # noqa: ASYNC251 - a query that holds its thread, the point here
        finished.append(time.monotonic())
        return await search(session, **values)

    await dash.bot.send("hanna", "Wann ist das Symposium?")  # a member, the index built
    monkeypatch.setattr(audit, "search", slow_search)
    loading = asyncio.ensure_future(office.get("/audit"))
    assert await asyncio.to_thread(started.wait, 10)

    answer = await dash.bot.send("hanna", "Wann ist das Symposium?")
    answered = time.monotonic()

    assert "Symposium" in answer.text
    # The member had the answer while the page's query was still running.
    assert not finished or answered < finished[0]
    status, page = await loading
    assert status == 200 and "web:sign_in" in page
    assert answered < finished[0]


async def test_a_page_shows_what_was_written_just_before(dash: Dashboard, office: SignedIn) -> None:
    assert "#1" in await ask_office(dash.bot, "hanna", COAT_QUESTION)
    status, page = await office.get("/inbox")
    assert status == 200 and "Garderobe für Mäntel" in html.unescape(page)
    assert 'value="garderobe"' not in page

    # An entry added on the FAQ page can be chosen in the inbox at once.
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    office.csrf = found.group(1)
    entry = {
        "id": "garderobe",
        "qde": "Wo kann ich meinen Mantel abgeben?",
        "ade": "Am Eingang des Tagungsorts gibt es eine Garderobe.",
        "qen": "Where can I leave my coat?",
        "aen": "There is a cloakroom at the entrance of the venue.",
        "tags": "Garderobe",
    }
    status, _ = await office.post("/faq/new", entry)
    assert status == 303
    status, page = await office.get("/inbox")
    assert status == 200 and 'value="garderobe"' in page
    status, page = await office.get("/faq")
    assert status == 200 and "Am Eingang des Tagungsorts gibt es eine Garderobe." in page


async def test_the_reader_never_writes(db_url: str, dash: Dashboard) -> None:
    reader = Database(db_url, read_only=True)
    try:
        async with reader.session() as session:
            before = await session.scalar(select(func.count()).select_from(AuditEntry))
        with pytest.raises(ReadOnlyViolation):
            async with reader.session() as session:
                await audit.record(
                    session, actor_member_id=None, action="web:test", allowed=True, detail=""
                )
    finally:
        await reader.close()
    async with dash.bot.db.read() as session:
        after = await session.scalar(select(func.count()).select_from(AuditEntry))
    assert after == before
