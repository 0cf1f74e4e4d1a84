"""The members' events page (Telegram Mini App, Matrix link): who may open it, what a member sees,
and that joining from the page and from the chat is one rule, capacity and waitlist included."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select

from bot.app import build_app
from bot.config import parse_settings
from bot.messages import Platform
from handlers.events import service
from handlers.events.form import Draft
from handlers.members.miniapp_auth import matrix_link, sign_init_data
from storage import members, signups
from storage.events import Event, EventSignup
from storage.models import AuditEntry, Member
from tests.browser import PHONE
from tests.harness import Harness
from tests.web_harness import Dashboard
from web.app import WebServer

TOKEN = "123456:TEST-token-for-the-mini-app"
TG_MIA = 4242  # Mia's Telegram user id
TG_STRANGER = 5555  # signed by Telegram, but never wrote to the bot


@asynccontextmanager
async def mini_app(url: str, **web: Any) -> AsyncIterator[Dashboard]:
    """The bot (test transport, a Telegram token for the signatures) and its web server."""
    raw: dict[str, object] = {
        "database": {"url": url},
        "admins": {"console": ["admin"]},
        "web": {"enabled": True, "port": 0, **web},
        "telegram": {"token": TOKEN},
    }
    app = await build_app(parse_settings(raw, source="test", env={}), transports=[])
    bot = Harness(app)
    server = WebServer(app.services)
    await server.start("127.0.0.1", 0)
    try:
        yield Dashboard(bot, server)
    finally:
        await server.stop()
        await app.stop()


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with mini_app(db_url) as found:
        yield found


def init_data(
    user_id: int, *, token: str = TOKEN, age: timedelta = timedelta(0), language: str = ""
) -> str:
    from datetime import UTC, datetime

    signed = datetime.now(UTC) - age
    person: dict[str, object] = {"id": user_id, "first_name": "Mia"}
    if language:
        person["language_code"] = language
    user = json.dumps(person, separators=(",", ":"))
    fields = {"query_id": "AAE1", "user": user, "auth_date": str(int(signed.timestamp()))}
    return sign_init_data(fields, token)


async def telegram_member(dash: Dashboard, user_id: int = TG_MIA, lang: str = "de") -> Member:
    """A member who started the bot on Telegram (onboarded as the chat does it)."""
    user = str(user_id)
    await dash.bot.send(user, "/start", platform=Platform.TELEGRAM)
    await dash.bot.press(user, f"ob:language:{lang}", platform=Platform.TELEGRAM)
    member = await dash.bot.member(user, Platform.TELEGRAM)
    assert member is not None
    return member


async def event(
    dash: Dashboard,
    *,
    places: int | None = 2,
    title: str = "Exkursion Goslar",
    yp: bool = False,
    offer_hours: int | None = None,
) -> int:
    start = dash.bot.app.services.clock() + timedelta(days=30)
    draft = Draft(
        kind="excursion",
        title=title,
        start=start,
        place="Rammelsberg",
        capacity=places,
        audience="yp" if yp else "all",
        announce="no",
        offer_hours=offer_hours,
    )
    created = await service.create_event(dash.bot.app.services, draft, created_by=None)
    return created.event.id


class Page:
    """What the page's script does: every request with the header."""

    def __init__(self, dash: Dashboard, headers: dict[str, str]) -> None:
        self.dash = dash
        self.headers = {"HX-Request": "true", **headers}

    async def get(self, path: str = "/app/events") -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as client,
            client.get(self.dash.url + path, headers=self.headers) as r,
        ):
            return r.status, await r.text()

    async def post(self, path: str) -> tuple[int, str]:
        async with (
            aiohttp.ClientSession() as client,
            client.post(self.dash.url + path, headers=self.headers) as r,
        ):
            return r.status, await r.text()


def as_telegram(dash: Dashboard, user_id: int = TG_MIA, **kwargs: Any) -> Page:
    return Page(dash, {"X-Telegram-Init-Data": init_data(user_id, **kwargs)})


async def status_of(dash: Dashboard, event_id: int, member_id: int) -> str | None:
    async with dash.bot.db.session() as session:
        found = await signups.find(session, event_id=event_id, member_id=member_id)
    return None if found is None else found.status


# ---- who may open it ---------------------------------------------------------------------


async def test_the_shell_is_public_and_framable_by_telegram_only(dash: Dashboard) -> None:
    async with aiohttp.ClientSession() as client, client.get(dash.url + "/app") as r:
        html = await r.text()
        csp = r.headers["Content-Security-Policy"]
        assert r.status == 200 and "X-Frame-Options" not in r.headers
    assert "frame-ancestors https://web.telegram.org" in csp and "unsafe-inline" not in csp
    assert 'hx-get="/app/events"' in html and "miniapp.js" in html and "<script>" not in html
    async with aiohttp.ClientSession() as client, client.get(dash.url + "/") as r:
        assert r.headers["X-Frame-Options"] == "DENY"


async def test_forged_changed_old_and_missing_init_data_are_refused(dash: Dashboard) -> None:
    mia = await telegram_member(dash)
    event_id = await event(dash)
    forged = init_data(TG_MIA).rsplit("hash=", 1)[0] + "hash=" + "0" * 64
    changed = init_data(TG_MIA).replace(quote(f'"id":{TG_MIA}'), quote('"id":4243'))
    assert changed != init_data(TG_MIA)
    cases = {
        "forged": Page(dash, {"X-Telegram-Init-Data": forged}),
        "other bot": as_telegram(dash, token="999:another-bot"),
        "changed": Page(dash, {"X-Telegram-Init-Data": changed}),
        "old": as_telegram(dash, age=timedelta(hours=25)),
        "none": Page(dash, {}),
        "bad link": Page(dash, {"X-Member-Link": "m=1&e=99999999999&s=00"}),
        # a signature with "ä" in it had made the comparison raise: a 500, its trace in chat
        "umlaut link": Page(dash, {"X-Member-Link": "m=1&e=99999999999&s=%C3%A4"}),
        "umlaut hash": Page(dash, {"X-Telegram-Init-Data": forged.replace("0" * 64, "%C3%A4")}),
    }
    for name, page in cases.items():
        status, html = await page.get()
        assert status == 403, name
        assert "Exkursion Goslar" not in html, name
        status, _html = await page.post(f"/app/events/{event_id}/join")
        assert status == 403, name
    assert (await cases["old"].get())[1].count("älter als einen Tag") == 1
    assert await status_of(dash, event_id, mia.id) is None


async def test_a_telegram_user_without_an_account_is_told_to_start_the_bot(
    dash: Dashboard,
) -> None:
    await telegram_member(dash)  # Mia has one; the stranger's initData is genuine but unknown
    status, html = await as_telegram(dash, TG_STRANGER).get()
    assert status == 403 and "/start" in html


# ---- what a member sees and does ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_member_joins_leaves_and_sees_the_waitlist(dash: Dashboard, lang: str) -> None:
    mia = await telegram_member(dash, lang=lang)
    event_id = await event(dash, places=1)
    yp_only = await event(dash, title="Nur für Young Professionals", yp=True)
    page = as_telegram(dash)
    status, html = await page.get()
    assert status == 200 and "Exkursion Goslar" in html and "Rammelsberg" in html
    assert "Nur für Young Professionals" not in html
    assert ("1 Platz frei" if lang == "de" else "1 place free") in html
    assert ("Anmelden" if lang == "de" else "Sign up") in html
    status, html = await page.post(f"/app/events/{event_id}/join")
    assert status == 200
    assert ("Sie sind angemeldet" if lang == "de" else "You are signed up") in html
    assert await status_of(dash, event_id, mia.id) == "confirmed"
    # full with nobody waiting: no "0 auf der Warteliste"
    assert ("ausgebucht" if lang == "de" else "fully booked") in html
    assert "0 auf der Warteliste" not in html and "0 on the waiting list" not in html
    # Someone joins from the chat: the event is full, they wait.
    await dash.bot.onboard("otto")
    assert "Warteliste" in (await dash.bot.send("otto", f"/join {event_id}")).text
    # Mia leaves on the page: Otto is offered the place (the chat's rule), as in the chat.
    status, html = await page.post(f"/app/events/{event_id}/leave")
    assert status == 200 and await status_of(dash, event_id, mia.id) is None
    otto = await dash.bot.member("otto")
    assert otto is not None and await status_of(dash, event_id, otto.id) in ("offered", "confirmed")
    # Full for her: the button says it puts her on the waiting list (it had said "Anmelden")
    status, html = await page.get()
    card = html.split(f'id="event-{event_id}"', 1)[1].split("</li>", 1)[0]
    assert ("Auf die Warteliste" if lang == "de" else "Join the waiting list") in card, card
    # Mia joins again: the waitlist, with her place on it, and a button to leave it.
    status, html = await page.post(f"/app/events/{event_id}/join")
    assert ("Platz 1 der Warteliste" if lang == "de" else "number 1 on the waiting list") in html
    card = html.split(f'id="event-{event_id}"', 1)[1].split("</li>", 1)[0]
    leave = "Von der Warteliste nehmen" if lang == "de" else "Leave the waiting list"
    assert leave in card and ">Abmelden<" not in card and ">Cancel sign-up<" not in card, card
    # Refusals come in the member's words: a YP-only event, an unknown one.
    status, html = await page.post(f"/app/events/{yp_only}/join")
    assert status == 200 and 'role="alert"' in html
    status, html = await page.post("/app/events/999999/join")
    assert status == 200 and 'role="alert"' in html
    status, _ = await page.post(f"/app/events/{event_id}/dance")
    assert status == 404
    async with dash.bot.db.session() as session:
        actions = [a.action for a in (await session.execute(select(AuditEntry))).scalars()]
    assert actions.count("miniapp:join") == 2 and actions.count("miniapp:leave") == 1


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_card_shows_the_end_and_what_the_event_is_about(dash: Dashboard, lang: str) -> None:
    """The page showed the start only, and no description: a member deciding there saw less
    than /termin N shows in the chat."""
    await telegram_member(dash, lang=lang)
    tz = dash.bot.app.services.settings.network.tz
    start = (dash.bot.app.services.clock() + timedelta(days=30)).astimezone(tz)
    start = start.replace(hour=14, minute=0, second=0, microsecond=0)
    draft = Draft(
        kind="workshop",
        title="Sortierlabor",
        start=start.astimezone(UTC),
        end=(start + timedelta(hours=3)).astimezone(UTC),
        description="Sortieren von Elektroschrott mit Röntgenfluoreszenz.",
        description_en="Sorting e-waste with X-ray fluorescence.",
        announce="no",
    )
    await service.create_event(dash.bot.app.services, draft, created_by=None)
    _status, html = await as_telegram(dash).get()
    assert ("14:00 Uhr – 17:00 Uhr" if lang == "de" else "14:00 – 17:00") in html, html
    about = "Worum es geht" if lang == "de" else "What it is about"
    described = "Röntgenfluoreszenz" if lang == "de" else "X-ray fluorescence"
    assert f"<summary>{about}</summary>" in html and described in html
    # and where the same events come into the phone's calendar
    assert ("im Chat /kalender" if lang == "de" else "send /calendar in the chat") in html


async def test_a_card_says_the_deadline_and_whom_it_is_for(dash: Dashboard) -> None:
    """Walkthrough 2026-12-08: the page left out the sign-up deadline (the excursion closed
    the next day) and that an event is for young professionals only, which the chat says."""
    mia = await telegram_member(dash)
    async with dash.bot.db.session() as session:
        found = await session.get(Member, mia.id)
        assert found is not None
        found.young_professional = True
        await session.commit()
    now = dash.bot.app.services.clock()
    open_one = await event(dash, title="Exkursion Offen", yp=True)
    closed_one = await event(dash, title="Exkursion Zu")
    async with dash.bot.db.session() as session:
        for number, deadline in ((open_one, now + timedelta(days=2)), (closed_one, now)):
            stored = await session.get(Event, number)
            assert stored is not None
            stored.deadline = deadline - timedelta(minutes=1) if number == closed_one else deadline
        await session.commit()
    _status, html = await as_telegram(dash).get()
    cards = {n: html.split(f'id="event-{n}"')[1].split("</li>")[0] for n in (open_one, closed_one)}
    assert (
        "Anmeldeschluss: " in cards[open_one] and "Nur für Young Professionals." in cards[open_one]
    )
    assert f"/app/events/{open_one}/join" in cards[open_one]
    # past its deadline: said so, and no button that would only be refused
    assert "Die Anmeldefrist ist abgelaufen." in cards[closed_one], cards[closed_one]
    assert f"/app/events/{closed_one}/join" not in cards[closed_one]


async def test_an_offered_place_is_taken_on_the_page(dash: Dashboard) -> None:
    await dash.bot.onboard("otto")
    otto = await dash.bot.member("otto")
    mia = await telegram_member(dash)
    assert otto is not None
    event_id = await event(dash, places=1, offer_hours=24)
    await dash.bot.send("otto", f"/join {event_id}")
    await as_telegram(dash).post(f"/app/events/{event_id}/join")  # Mia waits
    await dash.bot.send("otto", f"/leave {event_id}")  # her place is offered
    assert await status_of(dash, event_id, mia.id) == "offered"
    page = as_telegram(dash)
    _status, html = await page.get()
    assert "Platz annehmen" in html and "reserviert bis" in html
    _status, html = await page.post(f"/app/events/{event_id}/accept")
    assert "Platz angenommen" in html
    assert await status_of(dash, event_id, mia.id) == "confirmed"
    assert "Sie sind angemeldet" in html


async def test_the_matrix_link_opens_the_same_page(dash: Dashboard) -> None:
    await dash.bot.onboard("mara", lang="en")
    mara = await dash.bot.member("mara")
    assert mara is not None
    event_id = await event(dash)
    link = await matrix_link(dash.bot.app.services, mara.id)
    page = Page(dash, {"X-Member-Link": urlsplit(link).query})
    status, html = await page.get()
    assert status == 200 and "Exkursion Goslar" in html and "Sign up" in html
    status, html = await page.post(f"/app/events/{event_id}/join")
    assert await status_of(dash, event_id, mara.id) == "confirmed"
    # /page in the chat sends a fresh link for her.
    reply = (await dash.bot.send("mara", "/page")).text
    found = re.search(r"(http\S+/app\?\S+)", reply)
    assert found and "30 minutes" in reply
    assert (await Page(dash, {"X-Member-Link": urlsplit(found.group(1)).query}).get())[0] == 200


async def test_events_on_telegram_get_the_open_as_page_button_with_https(db_url: str) -> None:
    async with mini_app(db_url, public_url="https://bot.example.org") as dash:
        await telegram_member(dash)
        await event(dash)
        chat = await dash.bot.send(str(TG_MIA), "/events", platform=Platform.TELEGRAM)
        buttons = [b for row in chat.replies[-1].buttons for b in row]
        (web_app,) = [b for b in buttons if b.web_app]
        assert web_app.web_app == "https://bot.example.org/app?lang=de"
        assert web_app.label == "Als Seite öffnen"
        # On the console (as on Matrix) no such button: the link is /seite's business.
        await dash.bot.onboard("otto")
        console = await dash.bot.send("otto", "/events")
        assert not [b for row in console.replies[-1].buttons for b in row if b.web_app]
        assert "https://bot.example.org/app?" in (await dash.bot.send("otto", "/seite")).text
        page = await dash.bot.send(str(TG_MIA), "/seite", platform=Platform.TELEGRAM)
        assert page.replies[-1].buttons[0][0].web_app == "https://bot.example.org/app?lang=de"


# ---- in the member's language, whatever the phone's browser asks for ---------------------


def html_lang(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)"', html)
    return found.group(1) if found else ""


def title(html: str) -> str:
    found = re.search(r"<title>([^<]*)</title>", html)
    return found.group(1) if found else ""


async def test_a_german_members_page_is_german_in_an_english_browser(dash: Dashboard) -> None:
    await telegram_member(dash, lang="de")
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    # The events (what the script swaps in) bring the German title and say they are German.
    async with (
        aiohttp.ClientSession() as client,
        client.get(
            dash.url + "/app/events",
            headers={**english, "HX-Request": "true", "X-Telegram-Init-Data": init_data(TG_MIA)},
        ) as r,
    ):
        html = await r.text()
        assert r.headers["Content-Language"] == "de"
    assert title(html).startswith("Veranstaltungen ·")
    # Telegram's button carries her language: the shell is German before the events come.
    async with (
        aiohttp.ClientSession() as client,
        client.get(dash.url + "/app?lang=de", headers=english) as r,
    ):
        shell = await r.text()
    assert html_lang(shell) == "de" and title(shell).startswith("Veranstaltungen ·")
    assert "Einen Moment" in shell and "One moment" not in shell


async def test_the_signed_link_opens_the_page_in_its_members_language(dash: Dashboard) -> None:
    await dash.bot.onboard("jonas", lang="de")
    await dash.bot.onboard("mara", lang="en")
    for name, browser_asks, lang, heading in (
        ("jonas", "en-US,en;q=0.8", "de", "Veranstaltungen"),
        ("mara", "de-DE,de;q=0.9", "en", "Events"),
    ):
        member = await dash.bot.member(name)
        assert member is not None
        link = await matrix_link(dash.bot.app.services, member.id)
        async with (
            aiohttp.ClientSession() as client,
            client.get(
                f"{dash.url}/app?{urlsplit(link).query}", headers={"Accept-Language": browser_asks}
            ) as r,
        ):
            shell = await r.text()
        assert html_lang(shell) == lang, name
        assert title(shell).startswith(f"{heading} ·"), name
    # A forged signature tells nothing: the browser's language, and no member's data.
    async with (
        aiohttp.ClientSession() as client,
        client.get(
            dash.url + f"/app?m={member.id}&e=99999999999&s=00",
            headers={"Accept-Language": "de-DE"},
        ) as r,
    ):
        assert html_lang(await r.text()) == "de"


async def test_a_stranger_is_refused_in_telegrams_language(dash: Dashboard) -> None:
    await telegram_member(dash)
    page = Page(dash, {"X-Telegram-Init-Data": init_data(TG_STRANGER, language="en")})
    page.headers["Accept-Language"] = "de-DE,de;q=0.9"
    status, html = await page.get()
    assert status == 403 and "You have not started the bot yet" in html
    assert title(html).startswith("Events ·")


# ---- one rule: the race ------------------------------------------------------------------


async def test_twenty_joins_half_from_the_page_half_from_chat_fill_five_places(
    dash: Dashboard,
) -> None:
    event_id = await event(dash, places=5)
    async with dash.bot.db.session() as session:
        racers = [
            await members.create_member_with_account(
                session,
                platform="telegram",
                user_id=str(9000 + i),
                chat_id=str(9000 + i),
                display_name=f"Racer {i}",
                language="de",
            )
            for i in range(20)
        ]
    services = dash.bot.app.services

    async def from_page(i: int) -> None:
        status, _html = await as_telegram(dash, 9000 + i).post(f"/app/events/{event_id}/join")
        assert status == 200

    async def from_chat(member: Member) -> None:
        await service.join_event(services, member, event_id)

    await asyncio.gather(*(from_page(i) if i % 2 == 0 else from_chat(racers[i]) for i in range(20)))
    async with dash.bot.db.session() as session:
        rows = list(
            (await session.execute(select(EventSignup).where(EventSignup.event_id == event_id)))
            .scalars()
            .all()
        )
    assert len(rows) == 20
    assert sum(r.status == "confirmed" for r in rows) == 5
    assert sum(r.status == "waitlisted" for r in rows) == 15


# ---- in a browser ------------------------------------------------------------------------


async def test_in_chromium_a_member_signs_up_with_one_tap(
    browser: Browser, dash: Dashboard
) -> None:
    mia = await telegram_member(dash)
    event_id = await event(dash)
    theme = quote(json.dumps({"bg_color": "#17212b", "text_color": "#f5f5f5"}))
    context = await browser.new_context(viewport=PHONE, locale="de-DE")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    fragment = f"tgWebAppData={quote(init_data(TG_MIA))}&tgWebAppThemeParams={theme}"
    await page.goto(f"{dash.url}/app#{fragment}")
    card = page.locator(f"#event-{event_id}")
    await expect(card.get_by_text("Exkursion Goslar")).to_be_visible()
    await card.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("status")).to_contain_text("Sie sind angemeldet")
    await expect(card.get_by_role("button", name="Abmelden")).to_be_visible()
    assert await status_of(dash, event_id, mia.id) == "confirmed"
    # Telegram's colours became the page's.
    paper = await page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--paper').trim()"
    )
    assert paper == "#17212b"
    assert not problems, problems
    await context.close()


async def test_in_chromium_the_page_reads_the_events_again_when_the_member_comes_back(
    browser: Browser, dash: Dashboard
) -> None:
    # signed up in the chat while the page stayed open: it still offered "Anmelden"
    mia = await telegram_member(dash)
    event_id = await event(dash)
    context = await browser.new_context(viewport=PHONE, locale="de-DE")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{dash.url}/app#tgWebAppData={quote(init_data(TG_MIA))}")
    card = page.locator(f"#event-{event_id}")
    await expect(card.get_by_role("button", name="Anmelden")).to_be_visible()
    joined = await dash.bot.send(str(TG_MIA), f"/anmelden {event_id}", platform=Platform.TELEGRAM)
    assert "angemeldet" in joined.text, joined.text
    await page.evaluate("window.dispatchEvent(new Event('focus'))")  # back from the chat
    await expect(card.get_by_role("button", name="Abmelden")).to_be_visible()
    assert await status_of(dash, event_id, mia.id) == "confirmed"
    await context.close()


@pytest.mark.parametrize(
    ("lang", "locale", "heading"), [("de", "en-US", "Veranstaltungen"), ("en", "de-DE", "Events")]
)
async def test_in_chromium_the_tab_and_html_lang_follow_the_member(
    browser: Browser, dash: Dashboard, lang: str, locale: str, heading: str
) -> None:
    """Telegram's menu button opens the bare /app: the browser's language first, then the
    member's throughout once the events are there."""
    await telegram_member(dash, lang=lang)
    await event(dash)
    context = await browser.new_context(viewport=PHONE, locale=locale)
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{dash.url}/app#tgWebAppData={quote(init_data(TG_MIA))}")
    await expect(page.locator("h1")).to_have_text(heading)
    await expect(page).to_have_title(f"{heading} · REWIMET e. V.")
    await expect(page.locator("html")).to_have_attribute("lang", lang)
    await context.close()


async def test_in_chromium_forged_init_data_shows_the_refusal(
    browser: Browser, dash: Dashboard
) -> None:
    mia = await telegram_member(dash)
    event_id = await event(dash)
    forged = init_data(TG_MIA).rsplit("hash=", 1)[0] + "hash=" + "1" * 64
    context = await browser.new_context(viewport=PHONE, locale="de-DE")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{dash.url}/app#tgWebAppData={quote(forged)}")
    await expect(page.locator("#refused")).to_contain_text("stimmen nicht")
    await expect(page.get_by_role("button", name="Anmelden")).to_have_count(0)
    assert await status_of(dash, event_id, mia.id) is None
    await context.close()


@pytest.mark.parametrize(
    ("lang", "title", "join", "leave", "joined", "left"),
    [
        ("de", "Bergbau & Böhmes' Hüttenabend", "Anmelden", "Abmelden", "angemeldet", "abgemeldet"),
        (
            "en",
            "Recyclers' Night at O'Hara's",
            "Sign up",
            "Cancel sign-up",
            "signed up",
            "cancelled",
        ),
    ],
)
async def test_in_chromium_the_banner_shows_an_apostrophe_as_one(
    browser: Browser,
    dash: Dashboard,
    lang: str,
    title: str,
    join: str,
    leave: str,
    joined: str,
    left: str,
) -> None:
    """The notice after a tap names the event as its card does: no "&#x27;" or "&amp;"."""
    await telegram_member(dash, lang=lang)
    event_id = await event(dash, title=title)
    context = await browser.new_context(viewport=PHONE, locale="de-DE")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(f"{dash.url}/app#tgWebAppData={quote(init_data(TG_MIA))}")
    card = page.locator(f"#event-{event_id}")
    await card.get_by_role("button", name=join).click()
    banner = page.get_by_role("status")
    await expect(banner).to_contain_text(joined)
    assert title in await banner.inner_text()
    assert "&#" not in await banner.inner_text() and "&amp;" not in await banner.inner_text()
    await card.get_by_role("button", name=leave).click()
    await expect(banner).to_contain_text(left)
    await expect(card.get_by_role("button", name=join)).to_be_visible()
    assert title in await banner.inner_text()
    await context.close()
