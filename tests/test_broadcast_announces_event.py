"""An event announced by a broadcast carrying its sign-up buttons counts as announced: the
dashboard's events list no longer says "nicht angekündigt" of it. A broadcast sent without
the buttons announces nothing; one planned for later announces it when it goes out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery_worker import DeliveryWorker
from bot.messages import Platform
from tests.test_broadcast import BERLIN, FAST, RecordingTransport, deliver
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


async def test_a_planned_broadcast_with_the_sign_up_announces_the_event_when_it_goes_out(
    dash: Dashboard,
) -> None:
    """Planned for the day after tomorrow, the broadcast announces nothing yet; when its
    copies go out, the event counts as announced, as one sent at once does."""
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=10)
    preview = await preview_of(dash.bot, "Zur Exkursion nach Goslar sind noch Plätze frei.")
    assert f"(Nr. {number})" in preview.text, preview.text
    await dash.bot.press("admin", preview.button("Zeitpunkt"))
    later = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    planned = await dash.bot.send("admin", later.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M"))
    await dash.bot.press("admin", planned.button("Zum Zeitpunkt senden"))
    assert "nicht angekündigt" in await listed(dash, number)
    assert (await deliver(dash.bot)).attempts == []  # not due yet
    assert "nicht angekündigt" in await listed(dash, number)
    # its time has come: the worker sends it
    transport = RecordingTransport(platform=Platform.CONSOLE)
    worker = DeliveryWorker(
        dash.bot.db,
        {"console": transport},
        settings=FAST,
        clock=lambda: later + timedelta(minutes=1),
    )
    await worker.drain(10)
    assert any(sent.buttons for sent in transport.sent()), transport.sent()
    assert "nicht angekündigt" not in await listed(dash, number)
