"""Recurring meetings on the dashboard: a series from the events form (previewed as the chat
does, stored only on Save, listed by the chat's /series), skipping an occurrence, changing it
and all following, ending the series; on SQLite and PostgreSQL, in German and English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.delivery import reply_from_payload
from handlers.events import series
from storage.events import Event, EventSignup
from storage.models import AuditEntry, OutboxMessage
from storage.series import EventSeries, SeriesSkip
from tests.dates import days_ahead
from tests.web_harness import Dashboard, SignedIn, dashboard_for

TEXTS = {
    "de": {
        "rule": "Wiederholung: wöchentlich, 10 Termine",
        "told": "Benachrichtigt werden Angemeldete: 1",
        "cancelled": "ist abgesagt",
        "skipped": "Nur dieser Termin ist abgesagt, die Reihe geht weiter",
        "change": "alle folgenden Termine der Serie S1",
        "tab": "Serien",
        "end": "Serie beenden",
    },
    "en": {
        "rule": "Repeats: weekly, 10 dates",
        "told": "Those signed up will be told: 1",
        "cancelled": "is cancelled",
        "skipped": "Only this date is cancelled, the series goes on",
        "change": "all following dates of series S1",
        "tab": "Series",
        "end": "End series",
    },
}
OTHER = {"de": "en", "en": "de"}


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def admin_in(dash: Dashboard, lang: str) -> SignedIn:
    admin = await dash.signed_in()
    await admin.get(f"/language?lang={lang}&next=/events")
    status, html = await admin.get("/events/series")
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert status == 200 and found is not None, html
    admin.csrf = found.group(1)
    return admin


async def rows(dash: Dashboard, model: Any) -> list[Any]:
    async with dash.bot.db.session() as session:
        return list((await session.execute(select(model))).scalars())


async def occurrences(dash: Dashboard) -> list[Event]:
    async with dash.bot.db.session() as session:
        found = await session.execute(
            select(Event).where(Event.series_id.is_not(None)).order_by(Event.starts_at)
        )
        return list(found.scalars())


async def outbox(dash: Dashboard, kind: str) -> list[OutboxMessage]:
    async with dash.bot.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        return list((await session.execute(query)).scalars())


async def audited(dash: Dashboard, action: str) -> list[dict[str, object] | None]:
    return [e.detail_data for e in await rows(dash, AuditEntry) if e.action == f"web:{action}"]


def weekly(dash: Dashboard) -> dict[str, str]:
    """The events form for a weekly meeting at 19:00 about ten days ahead, ten dates."""
    start = days_ahead(dash.bot, 10, hour=19, minute=0)
    return {
        "kind": "forum",
        "title": "Recycling-Stammtisch",
        "start": f"{start:%Y-%m-%dT%H:%M}",
        "end": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "place": "Goslar",
        "capacity": "2",
        "audience": "all",
        "announce": "no",
        "repeat": "weekly",
        "count": "10",
    }


async def made_series(dash: Dashboard, admin: SignedIn) -> list[Event]:
    status, html = await admin.post("/events/new", {**weekly(dash), "action": "save"})
    assert status == 303, html
    return await occurrences(dash)


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_series_from_the_events_form(dash: Dashboard, lang: str) -> None:
    admin = await admin_in(dash, lang)
    status, html = await admin.get("/events/new")
    assert status == 200 and 'name="repeat"' in html and 'name="count"' in html
    fields = weekly(dash)
    status, html = await admin.post("/events/new", {**fields, "action": "preview"})
    assert status == 200, html
    assert TEXTS[lang]["rule"] in html and "<b>Recycling-Stammtisch</b>" in html
    start = days_ahead(dash.bot, 10, hour=19, minute=0)
    shown = "%d.%m.%Y" if lang == "de" else "%Y-%m-%d"
    for week in range(5):  # the chat's preview: the first five dates
        assert f"{start + timedelta(weeks=week):{shown}}" in html
    assert 'name="repeat" value="weekly"' in html  # carried to Save
    assert await rows(dash, EventSeries) == [] and await rows(dash, Event) == []
    # A wrong interval: the form again with the chat's message, the choices kept.
    status, html = await admin.post(
        "/events/new", {**fields, "repeat": "weeks", "every": "99", "action": "preview"}
    )
    assert status == 422 and "99" in html and '<option value="weeks" selected' in html
    assert await rows(dash, EventSeries) == []
    # Save: the series and its first occurrences, as the chat's Save makes them.
    status, _html = await admin.post("/events/new", {**fields, "action": "save"})
    assert status == 303
    (stored,) = await rows(dash, EventSeries)
    made = await occurrences(dash)
    assert len(made) >= 3 and all(e.series_id == stored.id for e in made)
    assert all(e.capacity == 2 and e.place == "Goslar" for e in made)
    assert (stored.freq, stored.interval, stored.count) == ("weekly", 1, 10)
    assert len(await audited(dash, "events:series_create")) == 1
    status, html = await admin.get("/events/series?done=created")
    assert status == 200 and "Recycling-Stammtisch" in html and TEXTS[lang]["tab"] in html
    # when the next dates come, plainly: once a date has begun, the next 3 stay open
    begun = "sobald ein Termin begonnen hat" if lang == "de" else "once a date has begun"
    assert begun in html and "rechtzeitig" not in html and "in time" not in html, html
    assert ("nächsten 3" if lang == "de" else "next 3") in html
    _, html = await admin.get("/events/series?done=created_all")
    assert ("mit allen ihren Terminen" if lang == "de" else "with all its dates") in html
    assert f'href="/events/{made[0].id}"' in html and TEXTS[lang]["end"] in html
    listed = await dash.bot.send("admin", "/series")
    assert "S1" in listed.text and "Recycling-Stammtisch" in listed.text
    # A monthly rule on the n-th weekday through the same form.
    monthly = {**fields, "repeat": "monthly", "nth": "-1", "weekday": "4", "count": ""}
    status, html = await admin.post("/events/new", {**monthly, "action": "preview"})
    assert status == 200 and ("letzten Freitag" if lang == "de" else "last Friday") in html
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_skip_one_date_tells_its_attendee(dash: Dashboard, lang: str) -> None:
    admin = await admin_in(dash, lang)
    made = await made_series(dash, admin)
    member_lang = OTHER[lang]
    await dash.bot.onboard("ben", lang=member_lang)
    await dash.bot.send("ben", f"/join {made[1].id}")
    status, html = await admin.get(f"/events/{made[1].id}")
    assert status == 200 and f'href="/events/{made[1].id}/skip"' in html
    status, html = await admin.get(f"/events/{made[1].id}/skip")
    assert status == 200 and TEXTS[lang]["told"] in html
    assert await outbox(dash, "event_cancel") == []
    assert 'name="reason"' in html  # a reason box, as "Absagen" has
    status, _html = await admin.post(f"/events/{made[1].id}/skip", {"reason": "Raum belegt"})
    assert status == 303
    ben = await dash.bot.member("ben")
    assert ben is not None
    (notice,) = await outbox(dash, "event_cancel")
    assert notice.member_id == ben.id
    text = reply_from_payload(notice.payload).text
    assert TEXTS[member_lang]["skipped"] in text and f"{made[2].id}" in text, text
    assert "Raum belegt" in text, text
    (skip,) = await rows(dash, SeriesSkip)
    assert skip.occurrence_date == made[1].occurrence_date
    assert len(await audited(dash, "events:series_skip")) == 1
    # The fill does not make the date again, even with the cancelled row gone.
    async with dash.bot.db.session() as session:
        for signup in (await session.execute(select(EventSignup))).scalars():
            await session.delete(signup)
        await session.flush()
        gone = await session.get(Event, made[1].id)
        assert gone is not None and gone.status == "cancelled"
        await session.delete(gone)
    await series.fill(dash.bot.app.services)
    assert made[1].occurrence_date not in [e.occurrence_date for e in await occurrences(dash)]
    # An event outside a series has no such page.
    status, _html = await admin.get("/events/999/skip")
    assert status == 404
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_change_following_changes_later_dates_only(dash: Dashboard, lang: str) -> None:
    admin = await admin_in(dash, lang)
    made = await made_series(dash, admin)
    await dash.bot.onboard("cleo", lang=lang)
    await dash.bot.send("cleo", f"/join {made[2].id}")
    target = f"/events/{made[1].id}/following"
    status, html = await admin.get(f"/events/{made[1].id}")
    assert f'href="{target}"' in html
    status, html = await admin.get(target)
    reminders = re.search(r'name="reminders" value="([^"]*)"', html)
    assert status == 200 and 'value="Goslar"' in html and reminders is not None
    form = {
        "kind": "forum",
        "title": "Recycling-Stammtisch",
        "place": "Clausthal",
        "capacity": "2",
        "audience": "all",
        "description": "",
        "offer": "",
        "reminders": reminders.group(1),
    }
    status, html = await admin.post(target, {**form, "action": "preview"})
    assert status == 200, html
    assert TEXTS[lang]["change"] in html and "Clausthal" in html
    assert 'name="f.place" value="Clausthal"' in html and 'name="f.title"' not in html
    assert [e.place for e in await occurrences(dash)] == ["Goslar"] * len(made)
    status, _html = await admin.post(target, {**form, "f.place": "Clausthal", "action": "save"})
    assert status == 303
    places = [e.place for e in await occurrences(dash)]
    assert places == ["Goslar"] + ["Clausthal"] * (len(made) - 1)
    async with dash.bot.db.session() as session:
        stored = await session.get(EventSeries, made[0].series_id)
        assert stored is not None and stored.place == "Clausthal"
    (change,) = await outbox(dash, "event_change")
    assert "Clausthal" in reply_from_payload(change.payload).text
    assert len(await audited(dash, "events:series_change")) == 1
    await admin.close()


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_end_series_cancels_future_dates_with_notices(dash: Dashboard, lang: str) -> None:
    admin = await admin_in(dash, lang)
    made = await made_series(dash, admin)
    await dash.bot.onboard("dora", lang=lang)
    await dash.bot.send("dora", f"/join {made[0].id}")
    status, html = await admin.get(f"/events/series/{made[0].series_id}/end")
    assert status == 200 and TEXTS[lang]["told"] in html
    assert all(e.status == "open" for e in await occurrences(dash))
    status, _html = await admin.post(f"/events/series/{made[0].series_id}/end")
    assert status == 303
    assert all(e.status == "cancelled" for e in await occurrences(dash))
    dora = await dash.bot.member("dora")
    assert dora is not None
    (notice,) = await outbox(dash, "event_cancel")
    assert notice.member_id == dora.id
    assert TEXTS[lang]["cancelled"] in reply_from_payload(notice.payload).text
    (stored,) = await rows(dash, EventSeries)
    assert stored.ended_at is not None
    assert await series.fill(dash.bot.app.services) == []
    assert len(await audited(dash, "events:series_end")) == 1
    status, html = await admin.get("/events/series?done=ended")
    assert status == 200 and f'href="/events/series/{stored.id}/end"' not in html
    status, _html = await admin.get(f"/events/series/{stored.id}/end")
    assert status == 404
    await admin.close()
