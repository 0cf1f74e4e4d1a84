"""Bilingual events on the web: the office enters and edits the English title and description
on the dashboard's event form; the members' events page and calendar feed show each member
the title in their language (the German one where the office gave no English one)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import quote

import icalendar
import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from handlers.events import service
from handlers.events.form import Draft, draft_from_form
from storage.events import Event
from tests.browser import PHONE
from tests.dates import days_ahead, typed
from tests.test_calendar_feed import FEED_COMMAND, feed_path, fetch
from tests.test_miniapp import TG_MIA, as_telegram, init_data, mini_app, telegram_member
from tests.test_web_events import admin_in, local_box
from tests.web_harness import Dashboard, dashboard_for

GERMAN = "Exkursion zur Grube Samson"
ENGLISH = "Excursion to the Samson Mine"


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def stored(dash: Dashboard) -> Event:
    async with dash.bot.db.session() as session:
        (event,) = (await session.execute(select(Event))).scalars()
    return event


async def test_the_dashboard_form_stores_and_edits_the_english_title(dash: Dashboard) -> None:
    await dash.bot.onboard("ella", lang="en")
    admin = await admin_in(dash, "de")
    start = days_ahead(dash.bot, 30)
    fields = {
        "kind": "excursion",
        "title": GERMAN,
        "title_en": ENGLISH,
        "start": local_box(start),
        "place": "St. Andreasberg",
        "capacity": "12",
        "audience": "all",
        "description": "Führung unter Tage.",
        "description_en": "A guided tour underground.",
        "announce": "now",
    }
    status, html = await admin.get("/events/new")
    assert status == 200 and 'name="title_en"' in html and 'name="description_en"' in html
    status, html = await admin.post("/events/new", {**fields, "title_en": "x" * 201})
    assert status == 422 and "Der Titel ist zu lang" in html
    status, html = await admin.post("/events/new", {**fields, "action": "preview"})
    assert status == 200 and f"Englischer Titel: {ENGLISH}" in html, html
    status, _html = await admin.post("/events/new", {**fields, "action": "save"})
    assert status == 303
    event = await stored(dash)
    assert (event.title, event.title_en) == (GERMAN, ENGLISH)
    assert event.description_en == "A guided tour underground."
    assert ENGLISH in (await dash.bot.send("ella", "/events")).text
    status, html = await admin.get(f"/events/{event.id}")
    assert status == 200 and GERMAN in html and f"Englischer Titel: {ENGLISH}" in html

    # the edit form shows it in its box; a changed one is stored, an emptied one taken away
    status, html = await admin.get(f"/events/{event.id}/edit")
    assert status == 200 and f'name="title_en" value="{ENGLISH}"' in html, html
    edited = {**fields, "start": local_box(start), "title_en": "Samson Mine Tour"}
    edited.pop("announce")
    status, html = await admin.post(f"/events/{event.id}/edit", {**edited, "action": "preview"})
    assert status == 200 and "Englischer Titel: Samson Mine Tour" in html, html
    status, _html = await admin.post(
        f"/events/{event.id}/edit", {"f.title_en": "Samson Mine Tour", "action": "save"}
    )
    assert status == 303 and (await stored(dash)).title_en == "Samson Mine Tour"
    assert "Samson Mine Tour" in (await dash.bot.send("ella", f"/event {event.id}")).text
    status, html = await admin.post(
        f"/events/{event.id}/edit", {**edited, "title_en": "", "action": "preview"}
    )
    assert status == 200, html
    status, _html = await admin.post(
        f"/events/{event.id}/edit", {"f.title_en": "-", "action": "save"}
    )
    assert status == 303 and (await stored(dash)).title_en == ""
    assert GERMAN in (await dash.bot.send("ella", f"/event {event.id}")).text
    await admin.close()


async def make_event(dash: Dashboard, title: str, english: str = "") -> int:
    start = days_ahead(dash.bot, 60)
    form = f"art=exkursion; titel={title}; beginn={typed(start)}; ankündigung=nein"
    if english:
        form += f"; titel_en={english}; beschreibung=Unter Tage; beschreibung_en=Underground"
    services = dash.bot.app.services
    draft = draft_from_form(form, tz=services.settings.network.tz)
    return (await service.create_event(services, draft, created_by=None)).event.id


async def summaries(dash: Dashboard, path: str) -> dict[str, str]:
    """The feed's VEVENTs: SUMMARY -> DESCRIPTION."""
    status, body, _headers = await fetch(dash, path)
    assert status == 200, body
    calendar = icalendar.Calendar.from_ical(body)
    return {str(c["SUMMARY"]): str(c.get("DESCRIPTION", "")) for c in calendar.walk("VEVENT")}


async def test_the_calendar_feed_is_in_the_members_language(dash: Dashboard) -> None:
    bot = dash.bot
    samson = await make_event(dash, GERMAN, ENGLISH)
    goslar = await make_event(dash, "Exkursion Goslar")
    paths = {}
    for user, lang in (("ella", "en"), ("gerd", "de")):
        await bot.onboard(user, lang=lang)
        paths[lang] = feed_path(dash, (await bot.send(user, FEED_COMMAND[lang])).text)
        for number in (samson, goslar):
            await bot.send(user, f"/join {number}")
    english = await summaries(dash, paths["en"])
    assert set(english) == {ENGLISH, "Exkursion Goslar"}  # no English title: the German one
    assert english[ENGLISH].endswith("Underground"), english
    german = await summaries(dash, paths["de"])
    assert set(german) == {GERMAN, "Exkursion Goslar"}
    assert german[GERMAN].endswith("Unter Tage"), german


async def test_the_events_page_shows_each_member_the_title_in_their_language(
    db_url: str,
) -> None:
    async with mini_app(db_url) as dash:
        mia = await telegram_member(dash, lang="en")
        assert mia.language == "en"
        samson = await _page_event(dash, GERMAN, ENGLISH)
        goslar = await _page_event(dash, "Exkursion Goslar")
        status, html = await as_telegram(dash).get()
        assert status == 200 and f"<h2>{ENGLISH}</h2>" in html and GERMAN not in html
        assert "<h2>Exkursion Goslar</h2>" in html  # no English title: the German one
        status, html = await as_telegram(dash).post(f"/app/events/{samson}/join")
        assert status == 200 and ENGLISH in html and GERMAN not in html
        assert goslar
        await telegram_member(dash, 4343, lang="de")
        status, html = await as_telegram(dash, 4343).get()
        assert status == 200 and f"<h2>{GERMAN}</h2>" in html and ENGLISH not in html


async def _page_event(dash: Dashboard, title: str, english: str = "") -> int:
    draft = Draft(
        kind="excursion",
        title=title,
        title_en=english,
        start=dash.bot.app.services.clock() + timedelta(days=30),
        capacity=5,
        announce="no",
    )
    created = await service.create_event(dash.bot.app.services, draft, created_by=None)
    return created.event.id


async def test_in_chromium_an_english_member_signs_up_under_the_english_title(
    browser: Browser, db_url: str
) -> None:
    async with mini_app(db_url) as dash:
        await telegram_member(dash, lang="en")
        event_id = await _page_event(dash, GERMAN, ENGLISH)
        context = await browser.new_context(viewport=PHONE, locale="en-GB")
        page = await context.new_page()
        page.set_default_timeout(10_000)
        theme = quote(json.dumps({"bg_color": "#ffffff", "text_color": "#000000"}))
        await page.goto(
            f"{dash.url}/app#tgWebAppData={quote(init_data(TG_MIA))}&tgWebAppThemeParams={theme}"
        )
        card = page.locator(f"#event-{event_id}")
        await expect(card.get_by_role("heading", name=ENGLISH)).to_be_visible()
        await expect(page.get_by_text(GERMAN)).to_have_count(0)
        await card.get_by_role("button", name="Sign up").click()
        await expect(page.get_by_role("status")).to_contain_text(ENGLISH)
        await context.close()


@pytest.mark.parametrize(
    ("lang", "warning", "fix"),
    [
        ("de", "Der deutsche Titel liest sich englisch", "gehen Sie auf „Ändern“"),
        ("en", "The German title reads as English", "choose “Change”"),
    ],
)
async def test_the_edit_preview_warns_when_the_german_title_becomes_english(
    dash: Dashboard, lang: str, warning: str, fix: str
) -> None:
    """An English title typed into the German title's box of an event's edit form: the
    preview says German members would read English and which boxes put it right; a German
    one is not warned about."""
    number = await make_event(dash, "Exkursion Goslar")
    admin = await admin_in(dash, lang)
    status, html = await admin.get(f"/events/{number}/edit")
    assert status == 200
    boxes = dict(re.findall(r'<input id="(\w+)" name="\w+"[^>]* value="([^"]*)"', html))
    fields = {**boxes, "kind": "excursion", "audience": "all", "action": "preview"}
    status, html = await admin.post(
        f"/events/{number}/edit", {**fields, "title": "Field trip to the Goslar mine"}
    )
    assert status == 200 and warning in html and fix in html, html
    status, html = await admin.post(
        f"/events/{number}/edit", {**fields, "title": "Exkursion zum Rammelsberg"}
    )
    assert status == 200 and warning not in html and fix not in html, html
    await admin.close()


async def test_an_office_user_reading_english_sees_the_english_titles(dash: Dashboard) -> None:
    """The dashboard in English names events as the chat does for an English reader: the
    English title where the office gave one, the German one otherwise; in German, German."""
    samson = await make_event(dash, GERMAN, ENGLISH)
    goslar = await make_event(dash, "Exkursion Goslar")
    await dash.bot.onboard("ella", lang="en")
    for number in (samson, goslar):
        await dash.bot.send("ella", f"/join {number}")
    ella = await dash.bot.member("ella")
    assert ella is not None
    english = await admin_in(dash, "en")
    for path in ("/events", f"/members/{ella.id}", "/"):
        status, html = await english.get(path)
        assert status == 200 and ENGLISH in html and GERMAN not in html, path
        assert "Exkursion Goslar" in html, path  # no English title: the German one
    status, html = await english.get(f"/events/{samson}")
    assert status == 200 and f"<h1>{ENGLISH} " in html, html
    await english.close()
    german = await admin_in(dash, "de")
    status, html = await german.get("/events")
    assert status == 200 and GERMAN in html and ENGLISH not in html
    status, html = await german.get(f"/events/{samson}")
    assert status == 200 and f"<h1>{GERMAN} " in html
    await german.close()
