"""Dashboard findings of the walkthrough: three events with the same sign-ups each day drew
one line over the others (only the last colour showed); an answered question's card showed
its answer time where the time asked stands, without a word saying which."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from storage import signups
from storage.events import Event
from tests.test_web_inbox import htmx_post
from tests.test_web_overview import chart, member_id, series
from tests.web_harness import Dashboard, SignedIn, dashboard_for
from web.charts import stylesheet

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
async def dash(sqlite_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(sqlite_url) as found:
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await dash.signed_in()
    yield client
    await client.close()


async def test_lines_on_top_of_each_other_each_stay_visible(
    dash: Dashboard, office: SignedIn
) -> None:
    people = [await member_id(dash, name) for name in ("a", "b")]
    now = datetime.now(UTC)
    async with dash.bot.db.session() as session:
        events = [
            Event(kind="event", title=title, starts_at=now + timedelta(days=days), status="open")
            for title, days in (("Werkstatt Kupfer", 5), ("Tagung Zinn", 9), ("Forum Blei", 14))
        ]
        session.add_all(events)
        await session.flush()
        for event in events:  # the same sign-ups, on the same days: the same line three times
            for person in people:
                await signups.join(session, event_id=event.id, member_id=person)
    _, html = await office.get("/")
    svg = chart(html, "signups")
    drawn = series(svg)
    assert len(drawn) == 3 and len({tuple(v) for v in drawn.values()}) == 1
    # the legend tells each one's count, whatever the lines show
    assert all(name.endswith(": 2") for name in drawn), list(drawn)
    # the dots get smaller from the first series to the last: each ring shows around the next
    radii = []
    for group in svg.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "series" in classes:
            found = {c.get("r") for c in group.iter(f"{SVG}circle")}
            if found:
                radii.append(float(found.pop()))
    assert len(radii) == 3 and radii[0] > radii[1] > radii[2], radii
    # and the lines narrower, the middle one dashed, in the stylesheet the page loads
    css = stylesheet()
    widths = [
        float(css.split(f"#chart-signups .series.serie-{i} .line{{stroke-width:")[1].split(";")[0])
        for i in range(3)
    ]
    assert widths[0] > widths[1] > widths[2], widths
    assert (
        "serie-1 .line{stroke-width:5;stroke-linejoin:round;stroke-linecap:round;stroke-dash"
        in (css)
    )
    ET.fromstring(ET.tostring(svg))  # still one well-formed drawing


async def test_an_answered_card_says_when_asked_and_when_answered(
    dash: Dashboard, office: SignedIn
) -> None:
    await dash.bot.onboard("hanna")
    asked = await dash.bot.send(
        "hanna", "Darf ich mein Pferd zur Exkursion in den Stall mitnehmen?"
    )
    assert "#1" in asked.text, asked.text
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": "Leider nein."})
    assert status == 200
    assert "gefragt am" in row and "beantwortet am" in row, row
    _, page = await office.get("/inbox")
    answered = page[page.index('id="unlearned"') :]
    assert "gefragt am" in answered and "beantwortet am" in answered
    _, page = await office.get("/inbox?lang=en")
    answered = page[page.index('id="unlearned"') :]
    assert "asked on" in answered and "answered on" in answered
