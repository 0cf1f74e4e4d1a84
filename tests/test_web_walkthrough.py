"""Fixes from the new-user walkthrough of the dashboard: the events form's audience as a choice
and a topic, the repetition's default and its errors as form messages, audit labels, the member
page in words, the inbox heading after an answer, the goodbye page; SQLite and PostgreSQL,
German and English."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from storage import audit
from storage.events import Event
from storage.series import EventSeries
from tests.dates import days_ahead
from tests.partners_fixtures import import_members
from tests.test_office_learn import VEGAN_EN, ask_office
from tests.test_web_inbox import htmx_post
from tests.test_web_series import admin_in
from tests.web_harness import Dashboard, dashboard_for


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


def event_fields(dash: Dashboard) -> dict[str, str]:
    start = days_ahead(dash.bot, 10, hour=19, minute=0)
    return {
        "kind": "forum",
        "title": "Kupfertag",
        "start": f"{start:%Y-%m-%dT%H:%M}",
        "announce": "no",
        "audience_kind": "topic",
        "audience_topic": "Kupfer",
    }


TEXTS = {
    "de": {
        "topic": "Feld „Thema“",
        "every": "Feld „N (alle N Wochen)“",
        "count": "Feld „Anzahl Termine“",
        "rule": "alle 2 Wochen",
    },
    "en": {
        "topic": "Field “Topic”",
        "every": "Field “N (every N weeks)”",
        "count": "Field “Number of dates”",
        "rule": "every 2 weeks",
    },
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_audience_choice_and_repeat_form(dash: Dashboard, lang: str) -> None:
    admin = await admin_in(dash, lang)
    status, html = await admin.get("/events/new")
    assert status == 200 and 'name="audience_kind"' in html and 'name="audience_topic"' in html
    assert 'id="every" name="every" inputmode="numeric" value="2"' in html
    fields = event_fields(dash)
    # No topic: a form message naming the field, not the chat's codes.
    status, html = await admin.post(
        "/events/new", {**fields, "audience_topic": " ", "action": "preview"}
    )
    assert status == 422 and TEXTS[lang]["topic"] in html and "topic:" not in html.split("<form")[0]
    # Every N weeks with N left empty: every 2 weeks.
    status, html = await admin.post(
        "/events/new", {**fields, "repeat": "weeks", "every": "", "count": "3", "action": "preview"}
    )
    assert status == 200 and TEXTS[lang]["rule"] in html, html
    status, html = await admin.post(
        "/events/new", {**fields, "repeat": "weeks", "every": "99", "action": "preview"}
    )
    assert status == 422 and TEXTS[lang]["every"] in html and "verstehe ich nicht" not in html
    status, html = await admin.post(
        "/events/new", {**fields, "repeat": "weekly", "count": "abc", "action": "preview"}
    )
    assert status == 422 and TEXTS[lang]["count"] in html
    async with dash.bot.db.session() as session:
        assert list((await session.execute(select(EventSeries))).scalars()) == []
    # Saved as the chat would store it.
    status, _ = await admin.post("/events/new", {**fields, "action": "save"})
    assert status == 303
    async with dash.bot.db.session() as session:
        (event,) = (await session.execute(select(Event))).scalars()
    assert event.audience == "topic:Kupfer"
    status, html = await admin.get(f"/events/{event.id}/edit")
    assert '<option value="topic" selected' in html and 'value="Kupfer"' in html
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_audit_member_page_and_goodbye_in_words(dash: Dashboard, lang: str) -> None:
    ids = await import_members(dash.bot)
    admin = await admin_in(dash, lang)
    status, html = await admin.get(f"/members/{ids['kira']}")
    words = {
        "de": ("Unternehmen", "Deutsch", "Alle gespeicherten Daten (JSON)", "Konsole"),
        "en": ("Company", "German", "All stored data (JSON)", "Console"),
    }[lang]
    assert status == 200 and all(word in html for word in words), html
    assert "/mydata" not in html and "/meinedaten" not in html
    status, html = await admin.get("/audit")
    label = "Im Dashboard angemeldet" if lang == "de" else "Signed in to the dashboard"
    header = "<th>Aktion</th>" if lang == "de" else "<th>Action</th>"
    assert label in html and header in html and 'title="web:sign_in"' in html
    # Sign out: a goodbye with the language switch.
    async with admin.client.post(
        admin.dashboard.url + "/logout", data={"csrf": admin.csrf}, allow_redirects=False
    ) as response:
        assert response.status == 303 and response.headers["Location"] == "/signed-out?bye=1"
    status, html = await admin.get("/signed-out?bye=1")
    bye = "Sie sind abgemeldet" if lang == "de" else "You are signed out"
    other = "English" if lang == "de" else "Deutsch"
    assert status == 200 and bye in html and f">{other}</a>" in html
    await admin.close()


async def test_answering_updates_the_open_count(dash: Dashboard) -> None:
    assert "#1" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    office = await dash.signed_in()
    await office.get("/language?lang=en")
    _, page = await office.get("/inbox")
    assert "1 open question" in page and "asked in English" in page
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": "Yes, vegan lunch."})
    assert (
        status == 200
        and 'id="open" hx-swap-oob="true"' in row
        and ">All questions answered<" in row
    )
    async with dash.bot.db.session() as session:
        assert "web:inbox:answer" in [e.action for e in await audit.recent(session, limit=10)]
    await office.close()
