"""An event announced by a broadcast carrying its sign-up buttons counts as announced: the
dashboard's events list no longer says "nicht angekündigt" of it. A broadcast sent without
the buttons, or one only planned for later, announces nothing yet."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.test_broadcast_event_buttons import preview_of
from tests.test_web_events import admin_in, excursion
from tests.web_harness import Dashboard, dashboard_for


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def listed(dash: Dashboard, number: int) -> str:
    admin = await admin_in(dash, "de")
    _status, html = await admin.get("/events")
    await admin.close()
    row = html[html.index(f'href="/events/{number}"') :]
    return row[: row.index("</tr>")]


async def test_a_broadcast_with_the_sign_up_announces_the_event(dash: Dashboard) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=10)  # stored without an announcement
    assert "nicht angekündigt" in await listed(dash, number)
    preview = await preview_of(dash.bot, "Zur Exkursion nach Goslar sind noch Plätze frei.")
    assert f"(Nr. {number})" in preview.text, preview.text
    await dash.bot.press("admin", preview.button("Senden"))
    assert "nicht angekündigt" not in await listed(dash, number)


async def test_a_broadcast_without_the_buttons_announces_nothing(dash: Dashboard) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=10)
    preview = await preview_of(dash.bot, "Zur Exkursion nach Goslar sind noch Plätze frei.")
    without = await dash.bot.press("admin", preview.button("Ohne Anmeldeknopf"))
    await dash.bot.press("admin", without.button("Senden"))
    assert "nicht angekündigt" in await listed(dash, number)
