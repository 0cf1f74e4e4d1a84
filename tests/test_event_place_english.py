"""An event's place in English: the office gives it beside the German one (the chat's one-line
form, the dashboard's event form); members reading English read it in the event's details,
the calendar file, their calendar feed and the events page, and the German place where the
office gave no English one."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import icalendar
import pytest
from sqlalchemy import select

from handlers.events import service
from handlers.events.form import draft_from_form
from storage.events import Event
from tests.confirming import confirmed
from tests.dates import days_ahead, typed
from tests.harness import Harness
from tests.test_calendar_feed import FEED_COMMAND, feed_path, fetch
from tests.test_miniapp import as_telegram, mini_app, telegram_member
from tests.test_web_events import admin_in, local_box
from tests.web_harness import Dashboard, dashboard_for

PLACE_DE = "Hörsaal im Haus der Wissenschaft, Goslar"
PLACE_EN = "Lecture hall, House of Science, Goslar"


def workshop(bot: Harness, extra: str = "") -> str:
    start = days_ahead(bot, 35)
    return (
        f"art=workshop; titel=Workshop Schlackenaufbereitung; beginn={typed(start)}; "
        f"ort={PLACE_DE}{extra}"
    )


async def create(bot: Harness, form: str) -> int:
    done = await confirmed(bot, f"/newevent {form}")
    found = re.search(r"(?:Nr\.|no\.) (\d+)", done.text)
    assert found is not None, done.text
    return int(found.group(1))


async def location(bot: Harness, user: str, number: int) -> str:
    """The place in the calendar file the member's "Add to calendar" button sends."""
    calendar = await bot.press(user, f"ev:ics:{number}")
    attachment = next(r.attachment for r in calendar.replies if r.attachment is not None)
    (component,) = icalendar.Calendar.from_ical(attachment.content).walk("VEVENT")
    return str(component["LOCATION"])


async def test_an_english_member_reads_the_english_place_in_chat_and_calendar(
    bot: Harness,
) -> None:
    await bot.onboard("ella", lang="en")
    await bot.onboard("gerd", lang="de")
    number = await create(bot, workshop(bot, f"; ort_en={PLACE_EN}"))
    shown = await bot.send("ella", f"/event {number}")
    assert PLACE_EN in shown.text and PLACE_DE not in shown.text, shown.text
    assert await location(bot, "ella", number) == PLACE_EN
    shown = await bot.send("gerd", f"/termin {number}")
    assert PLACE_DE in shown.text and PLACE_EN not in shown.text, shown.text
    assert await location(bot, "gerd", number) == PLACE_DE
    # /editevent N alone shows the form to copy, English place included
    assert f"ort_en={PLACE_EN}" in (await bot.send("admin", f"/editevent {number}")).text


async def test_without_an_english_place_english_members_read_the_german_one(
    bot: Harness,
) -> None:
    await bot.onboard("ella", lang="en")
    number = await create(bot, workshop(bot))
    assert PLACE_DE in (await bot.send("ella", f"/event {number}")).text
    assert await location(bot, "ella", number) == PLACE_DE


async def test_a_new_english_place_is_news_to_english_readers_only(bot: Harness) -> None:
    await bot.onboard("ella", lang="en")
    await bot.onboard("gerd", lang="de")
    number = await create(bot, workshop(bot, f"; ort_en={PLACE_EN}"))
    await bot.send("ella", f"/join {number}")
    await bot.send("gerd", f"/anmelden {number}")
    moved = "Seminar room 2, House of Science, Goslar"
    await confirmed(bot, f"/editevent {number} ort_en={moved}")
    shown = await bot.send("ella", f"/event {number}")
    assert moved in shown.text and PLACE_EN not in shown.text, shown.text
    async with bot.db.session() as session:
        stored = await session.get(Event, number)
    assert stored is not None and (stored.place, stored.place_en) == (PLACE_DE, moved)
    assert PLACE_DE in (await bot.send("gerd", f"/termin {number}")).text


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def test_the_dashboard_form_stores_and_edits_the_english_place(dash: Dashboard) -> None:
    await dash.bot.onboard("ella", lang="en")
    admin = await admin_in(dash, "de")
    fields = {
        "kind": "workshop",
        "title": "Workshop Schlackenaufbereitung",
        "start": local_box(days_ahead(dash.bot, 30)),
        "place": PLACE_DE,
        "place_en": PLACE_EN,
        "audience": "all",
        "announce": "no",
    }
    status, html = await admin.get("/events/new")
    assert status == 200 and 'name="place_en"' in html
    status, _html = await admin.post("/events/new", {**fields, "action": "save"})
    assert status == 303
    async with dash.bot.db.session() as session:
        (event,) = (await session.execute(select(Event))).scalars()
    assert (event.place, event.place_en) == (PLACE_DE, PLACE_EN)
    assert PLACE_EN in (await dash.bot.send("ella", f"/event {event.id}")).text
    status, html = await admin.get(f"/events/{event.id}/edit")
    assert status == 200 and f'name="place_en" value="{PLACE_EN}"' in html, html
    status, _html = await admin.post(
        f"/events/{event.id}/edit", {"f.place_en": "-", "action": "save"}
    )
    assert status == 303
    shown = (await dash.bot.send("ella", f"/event {event.id}")).text
    assert PLACE_DE in shown and PLACE_EN not in shown, shown
    await admin.close()


async def _event(dash: Dashboard, place_en: str) -> int:
    form = (
        f"art=exkursion; titel=Exkursion Oker; beginn={typed(days_ahead(dash.bot, 40))}; "
        f"ort={PLACE_DE}; plätze=9; ankündigung=nein"
    )
    if place_en:
        form += f"; ort_en={place_en}"
    services = dash.bot.app.services
    draft = draft_from_form(form, tz=services.settings.network.tz)
    return (await service.create_event(services, draft, created_by=None)).event.id


async def test_the_calendar_feed_names_the_place_in_the_members_language(
    dash: Dashboard,
) -> None:
    bot = dash.bot
    number = await _event(dash, PLACE_EN)
    for user, lang, place in (("ella", "en", PLACE_EN), ("gerd", "de", PLACE_DE)):
        await bot.onboard(user, lang=lang)
        path = feed_path(dash, (await bot.send(user, FEED_COMMAND[lang])).text)
        await bot.send(user, f"/join {number}")
        status, body, _headers = await fetch(dash, path)
        assert status == 200, body
        (component,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert str(component["LOCATION"]) == place


async def test_the_events_page_names_the_place_in_the_members_language(db_url: str) -> None:
    async with mini_app(db_url) as dash:
        await telegram_member(dash, lang="en")
        await _event(dash, PLACE_EN)
        status, html = await as_telegram(dash).get()
        assert status == 200 and PLACE_EN in html and PLACE_DE not in html, html
        await telegram_member(dash, 4343, lang="de")
        status, html = await as_telegram(dash, 4343).get()
        assert status == 200 and PLACE_DE in html and PLACE_EN not in html


async def test_the_preview_shows_the_place_the_other_language_reads(bot: Harness) -> None:
    preview = await bot.send("admin", f"/newevent {workshop(bot, f'; ort_en={PLACE_EN}')}")
    assert PLACE_DE in preview.text and f"Englischer Ort: {PLACE_EN}" in preview.text
    await bot.press("admin", preview.button("Verwerfen"))
    await bot.send("admin", "/language en")
    preview = await bot.send("admin", f"/newevent {workshop(bot, f'; ort_en={PLACE_EN}')}")
    assert PLACE_EN in preview.text and f"German place: {PLACE_DE}" in preview.text


async def test_a_series_gives_its_dates_the_english_place(bot: Harness) -> None:
    await bot.onboard("ella", lang="en")
    start = days_ahead(bot, 10, hour=19, minute=0)
    form = (
        f"art=forum; titel=Recycling-Stammtisch; beginn={typed(start)}; ort={PLACE_DE}; "
        f"ort_en={PLACE_EN}; wiederholung=wöchentlich; anzahl=6; ankündigung=nein"
    )
    await confirmed(bot, f"/newevent {form}")
    async with bot.db.session() as session:
        made = list((await session.execute(select(Event).order_by(Event.starts_at))).scalars())
    assert len(made) >= 2 and {e.place_en for e in made} == {PLACE_EN}
    moved = "Seminar room 2, House of Science, Goslar"
    await confirmed(bot, f"/editseries {made[1].id} ort_en={moved}")
    assert moved in (await bot.send("ella", f"/event {made[-1].id}")).text
    assert PLACE_EN in (await bot.send("ella", f"/event {made[0].id}")).text
