"""The dashboard as a person uses it: chromium (Playwright) against the running bot.

Each test signs in through a real one-time link (tests/browser.py), clicks and types like the
cluster manager, and checks the page, the database and what members receive through the bot's
test transport. Every test fails on a Content-Security-Policy violation or a script error.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from playwright.async_api import Browser, Page, ViewportSize, expect
from sqlalchemy import select

from bot.delivery_worker import DeliveryWorker, WorkerSettings
from bot.messages import Platform
from handlers.events.demo import seed_events
from handlers.faq.kb_import import import_kb, parse_kb
from storage.events import Event, EventSignup
from storage.faq import FaqTicket
from storage.models import AuditEntry, Member, OutboxMessage
from tests.browser import DESKTOP, PHONE, AdminPage, sign_in
from tests.confirming import confirmed
from tests.dates import days_ahead, typed
from tests.partners_fixtures import import_members, office_request, outbox
from tests.recording_transport import RecordingTransport
from tests.test_office_learn import KB, STEP_FREE_DE, answers_to, ask_office
from tests.test_web_events import excursion
from tests.web_harness import Dashboard

T = TypeVar("T")
# What the office reads of the symposium entry: its first question, not its id.
WOULD_GET = (
    "Das Mitglied bekäme die Antwort von „Worum geht es beim jährlichen Symposium?“ (auf Deutsch):"
)
LEARNED = "Formulierung von „Worum geht es beim jährlichen Symposium?“"
FAST = WorkerSettings(poll_seconds=0.1, flush_seconds=0.01)

UNKNOWN = "Kann ich meinen Hund zur Exkursion mitbringen?"


async def nav(page: Page, label: str) -> None:
    """Follow a link of the navigation bar (named by its label; a count beside it is read
    out after it: "Fragen (1 offene Frage)")."""
    name = re.compile(rf"^{re.escape(label)}( \(.*\))?$")
    await page.locator("header nav").get_by_role("link", name=name).click()


async def rows(dashboard: Dashboard, model: type[T]) -> list[T]:
    async with dashboard.bot.db.session() as session:
        return list((await session.execute(select(model))).scalars())


async def deliver(
    dashboard: Dashboard, blocked: frozenset[str] = frozenset()
) -> RecordingTransport:
    """The delivery worker over the test transport until the outbox is empty."""
    transport = RecordingTransport(platform=Platform.CONSOLE, blocked=set(blocked))
    await DeliveryWorker(dashboard.bot.db, {"console": transport}, settings=FAST).drain(10)
    return transport


async def test_a_link_signs_in_and_the_overview_shows_what_waits(admin_page: AdminPage) -> None:
    page = admin_page.page
    await expect(page.get_by_role("heading", level=1)).to_have_text("Überblick")
    await expect(page.get_by_text("Gerade wartet nichts auf Sie.")).to_be_visible()
    # htmx came from our own server under the CSP; the session cookie is out of scripts' reach.
    assert await page.evaluate("typeof htmx") == "object"
    assert await page.evaluate("document.cookie") == ""
    cookies = await page.context.cookies()
    (session,) = [c for c in cookies if c["name"] == "rewimet_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    # A member asks what the bot cannot answer: the overview points to the inbox.
    await admin_page.dashboard.bot.send("hanna", UNKNOWN)
    await page.reload()
    waiting = page.get_by_role("link", name="1 offene Frage an die Geschäftsstelle")
    await expect(waiting).to_have_attribute("href", "/inbox")
    assert not admin_page.problems()


async def test_a_used_link_is_refused_saying_it_was_used(
    browser: Browser, browser_dashboard: Dashboard
) -> None:
    link = await browser_dashboard.link()
    first = await browser.new_context(viewport=DESKTOP)
    tab = await first.new_page()
    await tab.goto(link)
    await tab.get_by_role("button", name="Jetzt anmelden").click()
    await tab.wait_for_url(browser_dashboard.url + "/")
    # The same link a second time, in another browser: the refusal page, no session. A used
    # link names no member, so the page speaks the browser's language.
    second = await browser.new_context(viewport=DESKTOP, locale="de-DE")
    other = await second.new_page()
    await other.goto(link)
    # no button that leads nowhere: the page says the link was used and how to get a new one
    await expect(other.get_by_text("Dieser Anmeldelink wurde schon benutzt")).to_be_visible()
    assert await other.get_by_role("button", name="Jetzt anmelden").count() == 0
    await other.goto(browser_dashboard.url + "/")
    assert other.url == browser_dashboard.url + "/signed-out"
    assert not [c for c in await second.cookies() if c["name"] == "rewimet_session"]
    await first.close()
    await second.close()


async def test_english_by_choice_and_signing_out_ends_the_session(admin_page: AdminPage) -> None:
    page = admin_page.page
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    assert await page.get_attribute("html", "lang") == "en"
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(admin_page.url + "/signed-out?bye=1")
    await expect(page.get_by_text("You are signed out.")).to_be_visible()
    await page.goto(admin_page.url + "/")
    assert page.url == admin_page.url + "/signed-out"
    assert not admin_page.problems()


async def test_every_page_fits_a_phone_and_loads_without_csp_errors(
    admin_page: AdminPage,
) -> None:
    """Each page in the navigation, at 390 px: no sideways scrolling of the page itself (wide
    tables scroll inside their card) and nothing the CSP had to block."""
    page = admin_page.page
    await page.set_viewport_size(PHONE)
    links = page.locator("header nav a")
    paths = [str(await links.nth(i).get_attribute("href")) for i in range(await links.count())]
    assert "/" in paths
    for path in paths:
        await admin_page.goto(path)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    assert not admin_page.problems()


async def test_forwarding_a_partner_request_by_hand_works_on_a_phone(
    admin_page: AdminPage,
) -> None:
    """The member's send button is on screen at 390 px (the results table stacks), and the
    request goes out only after the confirmation page's yes."""
    dashboard, page = admin_page.dashboard, admin_page.page
    ids = await import_members(dashboard.bot)
    number = await office_request(dashboard, ids["req"], "Wir suchen Catering für das Sommerfest")
    await page.set_viewport_size(PHONE)
    await admin_page.goto(f"/partners/{number}/forward?q=Logistik")
    send = page.get_by_role("button", name="Anfrage senden")
    box = await send.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"], box
    await send.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("an Harz Logistik")
    assert await outbox(dashboard.bot, "partner_request") == []
    await page.get_by_role("button", name="Ja, senden").click()
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert len(await outbox(dashboard.bot, "partner_request")) == 1


async def test_an_inline_script_is_blocked_and_reported(
    browser: Browser, browser_dashboard: Dashboard
) -> None:
    """The CSP check itself works: a script injected into a dashboard page is refused, and the
    browser says so on the console (which the fixture would turn into a failure)."""
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    await sign_in(browser_dashboard, page)
    await page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.append(s); }"
    )
    assert await page.evaluate("window.injected") is None
    await page.wait_for_timeout(100)
    assert any("Content Security Policy" in text for text in said), said
    await context.close()


async def test_a_broadcast_is_previewed_sent_and_its_report_follows_delivery(
    admin_page: AdminPage,
) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    for user, lang in (("mia", "de"), ("noah", "en"), ("olga", "de")):
        await dashboard.bot.onboard(user, lang=lang)
    await nav(page, "Rundschreiben")
    await page.get_by_role("link", name="Neues Rundschreiben").click()
    await page.get_by_label("Text der Nachricht").fill("Exkursion nach Goslar am 3. Mai!")
    count = page.locator("#bc-count")
    await expect(count).to_have_text("3 Mitglieder, 0 Ankündigungs-Chats")
    await page.get_by_label("Zielgruppe").select_option("lang:en")
    await expect(count).to_have_text("1 Mitglied, 0 Ankündigungs-Chats")
    await page.get_by_label("Zielgruppe").select_option("all")
    await expect(count).to_have_text("3 Mitglieder, 0 Ankündigungs-Chats")
    await page.get_by_role("button", name="Vorschau").click()
    await expect(page.get_by_role("heading", name="So sehen es die Mitglieder")).to_be_visible()
    await expect(page.locator(".bc-message").first).to_contain_text("Exkursion nach Goslar")
    assert await rows(dashboard, OutboxMessage) == []  # a preview sends nothing
    await page.get_by_role("button", name="Jetzt senden").click()
    await page.wait_for_url(re.compile(r"/broadcasts/\d+$"))
    live = page.locator("#bc-live")
    await expect(live.locator(".bc-pending strong")).to_have_text("3")
    # The worker delivers while the report is open; it follows by itself (htmx, every 3 s).
    sent = await deliver(dashboard, blocked=frozenset({"chat-olga"}))
    assert sorted(a.chat_id for a in sent.sent()) == ["chat-mia", "chat-noah"]
    assert all("Exkursion nach Goslar" in a.text for a in sent.sent())
    await expect(live.locator(".bc-sent strong")).to_have_text("2", timeout=10_000)
    await expect(live.locator(".bc-unreachable strong")).to_have_text("1")
    await expect(live.locator(".bc-pending strong")).to_have_text("0")
    await expect(live.locator("tr.bc-row-unreachable")).to_contain_text("olga")
    # none failed: "0 fehlgeschlagen" is not shown in the warning's red
    await expect(live.get_by_text("fehlgeschlagen")).to_have_count(1)
    assert await live.locator(".bc-failed").count() == 0
    actions = [entry.action for entry in await rows(dashboard, AuditEntry)]
    assert "web:broadcasts:send" in actions
    assert not admin_page.problems()


async def test_a_german_text_edited_under_its_english_version_is_asked_about(
    admin_page: AdminPage,
) -> None:
    """Both versions previewed, *Bearbeiten*, the German box changed: the preview warns and
    offers no Send; *Englische Fassung ersetzen* goes back to the form at the English box,
    and the rewritten English version goes out with the new German text."""
    dashboard, page = admin_page.dashboard, admin_page.page
    for user, lang in (("mia", "de"), ("noah", "en")):
        await dashboard.bot.onboard(user, lang=lang)
    await nav(page, "Rundschreiben")
    await page.get_by_role("link", name="Neues Rundschreiben").click()
    await page.get_by_label("Text der Nachricht").fill("Die Exkursion nach Goslar ist am 3. Mai.")
    await page.get_by_label("Englischer Text").fill("The excursion to Goslar is on 3 May.")
    await page.get_by_role("button", name="Vorschau").click()
    await page.get_by_role("button", name="Bearbeiten").click()
    await page.get_by_label("Text der Nachricht").fill("Die Exkursion nach Goslar ist am 7. Mai.")
    await page.get_by_role("button", name="Vorschau").click()
    warning = page.get_by_role("alert")
    await expect(warning).to_contain_text("für einen früheren deutschen Text geschrieben")
    await expect(page.get_by_role("button", name="Jetzt senden")).to_have_count(0)
    await expect(page.get_by_role("button", name="So lassen")).to_be_visible()
    await expect(page.get_by_role("button", name="Nur Deutsch")).to_be_visible()
    await page.get_by_role("button", name="Englische Fassung ersetzen").click()
    english = page.get_by_label("Englischer Text")
    await expect(english).to_be_focused()
    await expect(english).to_have_value("The excursion to Goslar is on 3 May.")
    await english.fill("The excursion to Goslar is on 7 May.")
    await page.get_by_role("button", name="Vorschau").click()
    await expect(page.get_by_role("alert")).to_have_count(0)
    await page.get_by_role("button", name="Jetzt senden").click()
    await page.wait_for_url(re.compile(r"/broadcasts/\d+$"))
    sent = {a.chat_id: a.text for a in (await deliver(dashboard)).sent()}
    assert "7 May" in sent["chat-noah"] and "7. Mai" in sent["chat-mia"], sent
    assert not admin_page.problems()


async def test_an_event_made_in_the_browser_fills_its_roster_from_the_chat(
    admin_page: AdminPage,
) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    await bot.onboard("mia", org="Harz Recycling GmbH")
    await bot.onboard("noah", lang="en", org="TU Clausthal")
    async with bot.db.session() as session:  # contacts as long as real ones
        for member in (await session.execute(select(Member))).scalars():
            member.contact = "einkauf.recycling@harz-recycling-beispiel.de, +49 5321 1234567"
    start = (bot.app.services.clock() + timedelta(days=30)).astimezone(ZoneInfo("Europe/Berlin"))
    await nav(page, "Veranstaltungen")
    await page.get_by_role("link", name="Neue Veranstaltung").click()
    await page.get_by_label("Art", exact=True).select_option("excursion")
    await page.get_by_label("Titel (Deutsch)", exact=True).fill("Exkursion Rammelsberg")
    await page.get_by_label("Beginn", exact=True).fill(start.strftime("%Y-%m-%dT09:00"))
    await page.get_by_label("Ort", exact=True).fill("Goslar")
    await page.get_by_label("Plätze (leer: unbegrenzt)").fill("1")
    await page.get_by_label("Ankündigung", exact=True).select_option("no")
    await page.get_by_role("button", name="Vorschau").click()
    await expect(page.locator(".ev-preview")).to_contain_text("Exkursion Rammelsberg")
    assert await rows(dashboard, Event) == []  # the preview stores nothing
    await page.get_by_role("button", name="Speichern").click()
    await page.wait_for_url(re.compile(r"/events/\d+\?done=created"))
    (event,) = await rows(dashboard, Event)
    assert (event.title, event.place, event.capacity) == ("Exkursion Rammelsberg", "Goslar", 1)
    await expect(page.get_by_text("Noch niemand angemeldet.")).to_be_visible()
    # Two members sign up in the chat: one place, one on the waitlist.
    assert "Rammelsberg" in (await bot.send("mia", f"/join {event.id}")).text
    await bot.send("noah", f"/join {event.id}")
    await page.reload()
    roster = page.locator("#roster")
    await expect(roster.get_by_role("heading")).to_have_text("Teilnehmende (2 Einträge)")
    await expect(roster.locator("tr", has_text="Harz Recycling GmbH")).to_contain_text("angemeldet")
    await expect(roster.locator("tr", has_text="TU Clausthal")).to_contain_text("Warteliste (1)")
    # at the door on a laptop: the whole roster is inside its card, check-in included
    for width in (1280, 1024):
        await page.set_viewport_size({"width": width, "height": 800})
        card = await roster.bounding_box()
        table = await roster.locator("table").bounding_box()
        assert card is not None and table is not None
        assert table["x"] + table["width"] <= card["x"] + card["width"], (width, table, card)
    statuses = sorted(signup.status for signup in await rows(dashboard, EventSignup))
    assert statuses == ["confirmed", "waitlisted"]
    actions = [entry.action for entry in await rows(dashboard, AuditEntry)]
    assert "web:events:create" in actions
    assert not admin_page.problems()


async def test_an_office_answer_typed_in_the_browser_reaches_the_member(
    admin_page: AdminPage,
) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    await bot.onboard("hanna", org="Stadt Goslar")
    asked = await bot.send("hanna", UNKNOWN)
    assert "#1" in asked.text
    await nav(page, "Fragen")
    ticket = page.locator("#ticket-1")
    await expect(ticket.locator("blockquote")).to_have_text(UNKNOWN)
    await ticket.get_by_label("Antwort (auf Deutsch, wie gefragt)").fill(
        "Hunde bitte zu Hause lassen <3"
    )
    await ticket.get_by_role("button", name="Antworten").click()
    # htmx swaps the card in place: answered, no reload.
    await expect(page.locator("#ticket-1")).to_contain_text("beantwortet")
    (row,) = await rows(dashboard, FaqTicket)
    assert row.status == "answered"
    # the answer, beside the alert the signed-in admin got of the question
    (message,) = [m for m in await rows(dashboard, OutboxMessage) if m.kind != "faq_office_alert"]
    hanna = await bot.member("hanna")
    assert hanna is not None and message.member_id == hanna.id
    assert message.kind == "office_answer" and message.chat_id == "chat-hanna"
    sent = await deliver(dashboard)
    (delivered,) = sent.sent("chat-hanna")
    assert "Hunde bitte zu Hause lassen &lt;3" in delivered.text and "#1" in delivered.text
    await page.reload()
    # no longer an open question: offered for teaching the bot, without the answer box
    await expect(page.locator("#ticket-1 textarea")).to_have_count(0)
    learn = page.get_by_role("heading", name="Beantwortet, noch nicht gelernt")
    await expect(learn).to_be_visible()
    await expect(page.locator("#ticket-1")).to_contain_text("Hunde bitte zu Hause lassen <3")
    assert not admin_page.problems()


async def test_long_words_wrap_on_a_phone(admin_page: AdminPage) -> None:
    """German compounds in a title or an organisation wrap: the page never scrolls sideways
    (the event heading made it 715 px wide at 390 px)."""
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    word = "Batteriegrundstoffrückgewinnungsanlagenerweiterungsvorhaben"
    await bot.onboard("mia", org=f"{word} GmbH")
    mia = await bot.member("mia")
    assert mia is not None
    start = typed(days_ahead(bot, 30))
    chat = await confirmed(bot, f"/newevent art=exkursion; titel={word}; beginn={start}")
    number = int(re.search(r"Nr\. (\d+)", chat.text).group(1))  # type: ignore[union-attr]
    await bot.send("mia", f"/join {number}")
    await page.set_viewport_size(PHONE)
    for path in (f"/events/{number}", f"/members/{mia.id}"):
        await admin_page.goto(path)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    assert not admin_page.problems()


# How each text of the page holding `word` breaks: the lines the word takes, and the element's
# hyphenation, overflow-wrap and language.
WORD_BREAKS = """word => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(word);
    if (at < 0 || node.parentElement.closest(".sr")) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    const style = getComputedStyle(node.parentElement);
    found.push({lines: tops.size, hyphens: style.hyphens, wrap: style.overflowWrap,
                lang: node.parentElement.closest("[lang]").lang});
  }
  return found;
}"""


async def test_long_words_break_between_words_or_with_a_hyphen_on_a_phone(
    admin_page: AdminPage,
) -> None:
    """At 390 px a company name that fits on a line stays whole ("Metallrückgewinnung" over
    "GmbH"), and a word wider than the line is hyphenated in the page's language where the
    browser can (not cut at any letter); the page still never scrolls sideways."""
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    fits, too_long = "Kupferrückgewinnung", "Edelmetallscheidereirückgewinnungsgesellschaft"
    await bot.onboard("ole", org=f"{fits} Nordharz GmbH")
    await bot.onboard("pia", org=f"{too_long} mbH")
    start = typed(days_ahead(bot, 20))
    title = f"Werksbesichtigung {fits} Ilsenburg"
    chat = await confirmed(bot, f"/newevent art=exkursion; titel={title}; beginn={start}")
    number = int(re.search(r"Nr\. (\d+)", chat.text).group(1))  # type: ignore[union-attr]
    pia = await bot.member("pia")
    assert pia is not None
    for user in ("ole", "pia"):
        await bot.send(user, f"/join {number}")
    await page.set_viewport_size(PHONE)
    for path in (f"/events/{number}", "/members", "/events", f"/members/{pia.id}"):
        await admin_page.goto(path)
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        whole = await page.evaluate(WORD_BREAKS, fits)
        assert whole and all(found["lines"] == 1 for found in whole), (path, whole)
        for found in [*whole, *await page.evaluate(WORD_BREAKS, too_long)]:
            assert found["hyphens"] == "auto" and found["wrap"] != "anywhere", (path, found)
            assert found["lang"] == "de", (path, found)
    assert not admin_page.problems()


async def test_the_navigation_counts_the_open_questions_on_every_page(
    admin_page: AdminPage,
) -> None:
    """Beside the inbox's link, on each page at 390 and 1280 px: the number of open
    questions, read out as "3 offene Fragen", on the link's line; none when nothing is open.
    An answer in the inbox counts down in place."""
    dashboard, page = admin_page.dashboard, admin_page.page
    link = page.locator("header nav a[href='/inbox']")
    await expect(link).to_have_accessible_name("Fragen")
    await expect(link.locator(".badge")).to_have_count(0)
    await dashboard.bot.onboard("hanna", org="Stadt Goslar")
    for question in (
        UNKNOWN,
        "Gibt es beim Sommerfest Parkplätze für Lieferwagen?",
        "Darf ich zur Exkursion eine Kollegin aus Polen mitbringen?",
    ):
        assert "Clustergeschäftsstelle" in (await dashboard.bot.send("hanna", question)).text
    paths = [
        str(await page.locator("header nav a").nth(i).get_attribute("href"))
        for i in range(await page.locator("header nav a").count())
    ]
    for size in (PHONE, DESKTOP):
        await page.set_viewport_size(size)
        for path in paths:
            await admin_page.goto(path)
            badge = link.locator(".badge")
            await expect(badge).to_have_text("3")
            await expect(link).to_have_accessible_name("Fragen (3 offene Fragen)")
            box, label = await badge.bounding_box(), await link.bounding_box()
            assert box is not None and label is not None
            # on the link's line and on screen
            assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]
            assert box["x"] + box["width"] <= size["width"], (path, size, box)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], (path, size, width)
    await admin_page.goto("/inbox")
    ticket = page.locator("#ticket-1")
    await ticket.get_by_label("Antwort (auf Deutsch, wie gefragt)").fill("Ja, angeleint.")
    await ticket.get_by_role("button", name="Antworten").click()
    await expect(page.locator("#ticket-1")).to_contain_text("beantwortet")
    await expect(link.locator(".badge")).to_have_text("2")
    await expect(link).to_have_accessible_name("Fragen (2 offene Fragen)")
    await page.goto(f"{admin_page.url}/language?lang=en&next=/events")
    await expect(link).to_have_accessible_name("Inbox (2 open questions)")
    assert not admin_page.problems()


async def test_a_likely_entry_is_pressed_to_answer_a_question_with_it(
    admin_page: AdminPage, browser: Browser
) -> None:
    """Under "Mit einem Eintrag beantworten", each entry that might fit is a button: pressed,
    the field holds it and the card shows what the member would get; "senden" sends it.
    The same without script (a plain form post brings the whole page back, at the card)."""
    dashboard, page = admin_page.dashboard, admin_page.page
    async with dashboard.bot.db.session() as session:
        await import_kb(session, parse_kb(KB))
    assert "#1" in await ask_office(dashboard.bot, "hanna", STEP_FREE_DE)
    wheelchair = STEP_FREE_DE.replace("barrierefrei", "rollstuhlgerecht")
    assert "#2" in await ask_office(dashboard.bot, "otto", wheelchair)
    await admin_page.goto("/inbox")
    card = page.locator("#ticket-1")
    field = card.get_by_label("Mit einem Eintrag beantworten")
    await expect(field).to_have_value("")
    await card.get_by_role("button", name="Worum geht es beim jährlichen Symposium?").click()
    await expect(field).to_have_value("symposium")
    await expect(card).to_contain_text(WOULD_GET)
    await expect(card).to_contain_text("große Jahrestagung des Clusters")
    assert not await answers_to(dashboard.bot, "hanna")
    # Enter in the field presses "send", not the first suggestion
    await field.press("Enter")
    await expect(page.locator("#ticket-1")).to_contain_text(LEARNED)
    (message,) = await answers_to(dashboard.bot, "hanna")
    assert "große Jahrestagung des Clusters" in message

    plain = await browser.new_context(viewport=PHONE, locale="de-DE", java_script_enabled=False)
    tab = await plain.new_page()
    await sign_in(dashboard, tab)
    await tab.goto(admin_page.url + "/inbox")
    card = tab.locator("#ticket-2")
    await card.get_by_role("button", name="Worum geht es beim jährlichen Symposium?").click()
    await tab.wait_for_url(admin_page.url + "/inbox/2/attach#ticket-2")
    await expect(card.get_by_label("Mit einem Eintrag beantworten")).to_have_value("symposium")
    await expect(card).to_contain_text("große Jahrestagung des Clusters")
    await expect(card).to_be_in_viewport()
    assert not await answers_to(dashboard.bot, "otto")
    await card.get_by_role("button", name="Antwort des Eintrags senden und lernen").click()
    await expect(tab.get_by_role("status")).to_contain_text(LEARNED)
    (message,) = await answers_to(dashboard.bot, "otto")
    assert "große Jahrestagung des Clusters" in message
    await plain.close()
    assert not admin_page.problems()


async def test_a_new_entry_in_german_alone_is_made_in_the_browser(admin_page: AdminPage) -> None:
    """The new entry's form takes one language: German title and answer, English left
    empty, are saved (the browser had refused the form: the English fields were required)
    and the member who asked gets the answer."""
    dashboard, page = admin_page.dashboard, admin_page.page
    async with dashboard.bot.db.session() as session:
        await import_kb(session, parse_kb(KB))
    assert "#1" in await ask_office(dashboard.bot, "hanna", "Wie spät ist es in Tokio?")
    await admin_page.goto("/inbox/new?tickets=1")
    await page.get_by_label("Id (Kleinbuchstaben").fill("zeitzone")
    await page.get_by_label("Titel auf Deutsch").fill("Welche Zeitzone gilt für Termine?")
    await page.get_by_label("Antwort auf Deutsch").fill("Alle Termine in deutscher Zeit.")
    await page.get_by_role("button", name="Eintrag anlegen").click()
    await expect(page.get_by_role("status")).to_be_visible()
    (message,) = await answers_to(dashboard.bot, "hanna")
    assert "Alle Termine in deutscher Zeit." in message
    assert not admin_page.problems()


async def test_an_entry_typed_into_the_field_is_shown_before_it_is_sent(
    admin_page: AdminPage, browser: Browser
) -> None:
    """The office types an entry's question (or its id) under "Mit einem Eintrag
    beantworten": the card shows what the member would get, as a likely entry's button
    does, and only "senden" sends it; with script and without."""
    dashboard, page = admin_page.dashboard, admin_page.page
    async with dashboard.bot.db.session() as session:
        await import_kb(session, parse_kb(KB))
    assert "#1" in await ask_office(dashboard.bot, "hanna", "Wie spät ist es in Tokio?")
    assert "#2" in await ask_office(dashboard.bot, "otto", "Wie warm ist es in Tokio?")
    await admin_page.goto("/inbox")
    card = page.locator("#ticket-1")
    field = card.get_by_label("Mit einem Eintrag beantworten")
    await field.fill("Worum geht es beim jährlichen Symposium?")
    await field.press("Enter")
    await expect(card).to_contain_text("Das Mitglied bekäme die Antwort von „Worum geht es")
    await expect(card).to_contain_text("große Jahrestagung des Clusters")
    await expect(card.get_by_label("Mit einem Eintrag beantworten")).to_have_value("symposium")
    assert not await answers_to(dashboard.bot, "hanna")
    await card.get_by_role("button", name="Antwort des Eintrags senden und lernen").click()
    await expect(page.locator("#ticket-1")).to_contain_text("beantwortet")
    (message,) = await answers_to(dashboard.bot, "hanna")
    assert "große Jahrestagung des Clusters" in message

    plain = await browser.new_context(viewport=PHONE, locale="de-DE", java_script_enabled=False)
    tab = await plain.new_page()
    await sign_in(dashboard, tab)
    await tab.goto(admin_page.url + "/inbox")
    card = tab.locator("#ticket-2")
    await card.get_by_label("Mit einem Eintrag beantworten").fill("symposium")
    await card.get_by_role("button", name="Antwort ansehen").click()
    await expect(card).to_contain_text("große Jahrestagung des Clusters")
    await expect(card).to_be_in_viewport()
    assert not await answers_to(dashboard.bot, "otto")
    await card.get_by_role("button", name="Antwort des Eintrags senden und lernen").click()
    await expect(tab.get_by_role("status")).to_contain_text("Ticket #2 ist geschlossen")
    (message,) = await answers_to(dashboard.bot, "otto")
    assert "große Jahrestagung des Clusters" in message
    await plain.close()
    assert not admin_page.problems()


async def test_the_events_list_shows_the_number_members_sign_up_with(
    admin_page: AdminPage,
) -> None:
    """Members sign up with "/anmelden 2" and the office reads "(Nr. 2)" in the chat: the
    list shows that number, in its own column at 1280 px and as "Nr. 2" before the title on
    a phone's card (390 px), where the column headings are hidden."""
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    numbers = {}
    for days, title in ((40, "Werksführung Kupferhütte"), (20, "Stammtisch Recycling")):
        start = typed(days_ahead(bot, days))
        chat = await confirmed(bot, f"/newevent art=exkursion; titel={title}; beginn={start}")
        numbers[title] = re.search(r"Nr\. (\d+)", chat.text).group(1)  # type: ignore[union-attr]
    await page.set_viewport_size(DESKTOP)
    await admin_page.goto("/events")
    await expect(page.get_by_role("columnheader").first).to_have_text("Nr.")
    for title, number in numbers.items():
        row = page.get_by_role("row").filter(has_text=title)
        await expect(row.get_by_role("cell").first).to_have_text(number)
        await expect(row.get_by_role("link", name=number, exact=True)).to_have_attribute(
            "href", f"/events/{number}"
        )
    await page.set_viewport_size(PHONE)
    for title, number in numbers.items():
        row = page.get_by_role("row").filter(has_text=title)
        cell = row.get_by_role("cell").first
        shown = await cell.evaluate(
            "c => getComputedStyle(c, '::before').content + c.textContent.trim()"
        )
        assert shown == f'"Nr.\u00a0"{number}', shown
        box = await cell.bounding_box()
        heading = await row.get_by_role("link", name=title).bounding_box()
        assert box is not None and heading is not None
        # on the title's first line, to its left, on screen
        assert abs(box["y"] - heading["y"]) < 8 and box["x"] < heading["x"], (box, heading)
        assert box["x"] + box["width"] <= PHONE["width"]
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    assert not admin_page.problems()


async def test_the_event_form_names_every_problem_at_its_field_at_once(
    admin_page: AdminPage,
) -> None:
    """A capacity of -5, a start in the past and an end before it: one click on "Vorschau"
    shows all three, each under its box, and what was typed stays in the boxes."""
    dashboard, page = admin_page.dashboard, admin_page.page
    yesterday = days_ahead(dashboard.bot, -1).astimezone(ZoneInfo("Europe/Berlin"))
    await nav(page, "Veranstaltungen")
    await page.get_by_role("link", name="Neue Veranstaltung").click()
    await page.get_by_label("Art", exact=True).select_option("excursion")
    title = page.get_by_label("Titel (Deutsch)", exact=True)
    await title.fill("Exkursion Recyclinghof Halberstadt")
    await page.get_by_label("Beginn", exact=True).fill(yesterday.strftime("%Y-%m-%dT10:00"))
    await page.get_by_label("Ende (optional)").fill(yesterday.strftime("%Y-%m-%dT08:00"))
    await page.get_by_label("Plätze (leer: unbegrenzt)").fill("-5")
    await page.get_by_role("button", name="Vorschau").click()
    await expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie diese 3 Angaben:")
    capacity = page.get_by_label("Plätze (leer: unbegrenzt)")
    await expect(capacity).to_have_value("-5")
    await expect(capacity).to_have_accessible_description(re.compile("„-5“ ist keine Platzzahl"))
    start = page.get_by_label("Beginn", exact=True)
    await expect(start).to_have_accessible_description(re.compile("in der Vergangenheit"))
    end = page.get_by_label("Ende (optional)")
    await expect(end).to_have_accessible_description(
        "Das Ende 08:00 Uhr liegt vor dem Beginn 10:00 Uhr."
    )
    await expect(title).to_have_value("Exkursion Recyclinghof Halberstadt")
    assert await rows(dashboard, Event) == []
    assert not admin_page.problems()


async def test_the_event_form_names_the_language_of_each_title_and_description(
    admin_page: AdminPage,
) -> None:
    """Beside the English boxes, the German ones say they are German, in either language of
    the dashboard: an office writing in English sees where its English text belongs."""
    dashboard, page = admin_page.dashboard, admin_page.page
    start = days_ahead(dashboard.bot, 30).astimezone(ZoneInfo("Europe/Berlin"))
    boxes = {
        "de": ("Titel (Deutsch)", "Beschreibung (Deutsch)", "Englischer Titel (optional)"),
        "en": ("Title (German)", "Description (German)", "English title (optional)"),
    }
    for lang, (title, description, english) in boxes.items():
        await page.goto(f"{admin_page.url}/language?lang={lang}&next=/events/new")
        await page.get_by_label(title, exact=True).fill("Exkursion Rammelsberg")
        await page.get_by_label(description, exact=True).fill("Führung durch das Bergwerk.")
        await page.get_by_label(english, exact=True).fill("Excursion to the Rammelsberg")
        await page.get_by_label("Beginn" if lang == "de" else "Start", exact=True).fill(
            start.strftime("%Y-%m-%dT09:00")
        )
        await page.get_by_label("Art" if lang == "de" else "Kind", exact=True).select_option(
            "excursion"
        )
        await page.get_by_role("button", name="Vorschau" if lang == "de" else "Preview").click()
        preview = page.locator(".ev-preview")
        await expect(preview).to_contain_text("Exkursion Rammelsberg")
        await expect(preview).to_contain_text("Excursion to the Rammelsberg")
    assert await rows(dashboard, Event) == []
    assert not admin_page.problems()


async def test_news_about_an_event_shows_its_buttons_while_they_are_ticked(
    admin_page: AdminPage,
) -> None:
    """The preview shows "Anmelden"/"Details" under the message as members get them; the box
    under it takes them off, in the preview too, and the copies go without them."""
    dashboard, page = admin_page.dashboard, admin_page.page
    await seed_events(dashboard.bot.db, now=dashboard.bot.app.services.clock())
    await dashboard.bot.onboard("mia", lang="de")
    await nav(page, "Rundschreiben")
    await page.get_by_role("link", name="Neues Rundschreiben").click()
    await page.get_by_label("Text der Nachricht").fill("Noch Plätze frei beim Symposium!")
    await page.get_by_role("button", name="Vorschau").click()
    buttons = page.locator(".bc-buttons").first
    await expect(buttons).to_be_visible()
    await expect(buttons).to_contain_text("Anmelden")
    await page.locator('input[name="event_buttons"]').uncheck()
    await expect(buttons).to_be_hidden()
    await page.get_by_role("button", name="Jetzt senden").click()
    await page.wait_for_url(re.compile(r"/broadcasts/\d+$"))
    sent = await deliver(dashboard)
    assert [a.buttons for a in sent.sent()] == [()]
    assert not admin_page.problems()


async def test_a_question_settled_otherwise_is_closed_from_its_card(
    admin_page: AdminPage,
) -> None:
    """ "Ohne Antwort erledigen" on a phone: the card says it is closed and the member hears
    nothing, the navigation counts down in place; reloaded, the question is listed as closed
    (where an answer may still be given), and the page is no wider than the phone."""
    dashboard, page = admin_page.dashboard, admin_page.page
    await page.set_viewport_size(PHONE)
    async with dashboard.bot.db.session() as session:
        await import_kb(session, parse_kb(KB))
    assert "#1" in await ask_office(dashboard.bot, "hanna", STEP_FREE_DE)
    assert "#2" in await ask_office(dashboard.bot, "otto", "Wie spät ist es in Tokio?")
    await admin_page.goto("/inbox")
    link = page.locator("header nav a[href='/inbox']")
    await expect(link.locator(".badge")).to_have_text("2")
    card = page.locator("#ticket-1")
    await card.get_by_role("button", name="Ohne Antwort erledigen").click()
    await expect(page.locator("#ticket-1")).to_contain_text(
        "Ticket #1 ist ohne Antwort erledigt; das Mitglied bekommt keine Nachricht."
    )
    await expect(link.locator(".badge")).to_have_text("1")
    assert await answers_to(dashboard.bot, "hanna") == []
    await admin_page.goto("/inbox")
    closed = page.locator("#closed")
    await expect(closed).to_have_text("Von der Geschäftsstelle ohne Antwort erledigt")
    await expect(page.locator("#ticket-1")).to_contain_text("erledigt am ")
    await expect(page.locator("#ticket-1").get_by_text("Trotzdem antworten")).to_be_visible()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


# The width of each choice's words in the select's font, and the room the select leaves them
# (its box without padding, less an allowance for the arrow): a choice wider is cut off.
CHOICE_WIDTHS = """select => {
  const style = getComputedStyle(select);
  const pen = document.createElement("canvas").getContext("2d");
  pen.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const room = select.clientWidth - parseFloat(style.paddingLeft)
    - parseFloat(style.paddingRight) - 24;
  const right = select.getBoundingClientRect().right;
  return {room, right, widths: [...select.options].map(o => pen.measureText(o.text).width)};
}"""


async def test_the_announcement_choice_of_an_announced_event_says_what_each_does(
    admin_page: AdminPage,
) -> None:
    """Announced on saving, the event's form offers not to announce it again, to announce it
    again now or later: one choice that sends nothing (it had two, "nicht erneut ankündigen"
    and "Nicht ankündigen"), each choice whole at 390 and 1280 px, in German and English (the
    never-announced one's "noch nicht angekündigt – nicht ankündigen" was cut off at 390)."""
    dashboard, page = admin_page.dashboard, admin_page.page
    await dashboard.bot.onboard("mia")
    number = await excursion(dashboard)  # never announced
    choices = {
        "de": ["nicht erneut ankündigen", "jetzt erneut ankündigen", "später erneut ankündigen"],
        "en": ["do not announce again", "announce again now", "announce again later"],
    }

    async def choices_fit(size: ViewportSize) -> list[str]:
        await page.set_viewport_size(size)
        await admin_page.goto(f"/events/{number}/edit")
        select = page.locator("#announce")
        measured = await select.evaluate(CHOICE_WIDTHS)
        assert all(width <= measured["room"] for width in measured["widths"]), measured
        assert measured["right"] <= size["width"], measured
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], width
        return await select.locator("option").all_inner_texts()

    assert "noch nicht ankündigen" in await choices_fit(PHONE)
    await page.set_viewport_size(DESKTOP)
    await page.get_by_label("Ankündigung", exact=True).select_option(label="Jetzt ankündigen")
    await page.get_by_role("button", name="Vorschau").click()
    await page.get_by_role("button", name="Speichern").click()
    said = page.get_by_role("status")
    await expect(said).to_have_text("Geändert und an ein Mitglied angekündigt.")
    for lang, expected in choices.items():
        await page.goto(f"{admin_page.url}/language?lang={lang}&next=/events/{number}/edit")
        for size in (PHONE, DESKTOP):
            assert await choices_fit(size) == expected, (lang, size)
        label = "Ankündigen am (nur bei „später erneut ankündigen“)"
        if lang == "en":
            label = "Announce at (only with “announce again later”)"
        await expect(page.get_by_label(label)).to_be_visible()
    assert not admin_page.problems()


async def test_an_answered_card_shows_who_asked_what_and_the_answer_as_a_reload_does(
    admin_page: AdminPage,
) -> None:
    """The office answers a handed-off question in its own words: the card says so and keeps
    who asked, the question and the answer in place, as the page reloaded shows them; the
    audit log reads the answer, as it reads a chat /antwort's words."""
    dashboard, page = admin_page.dashboard, admin_page.page
    await dashboard.bot.onboard("greta", org="Hütte Oker GmbH")
    question = "Gibt es am Tagungsort eine Ladesäule für E-Autos?"
    assert "#1" in await ask_office(dashboard.bot, "greta", question)
    typed = "Ja, zwei Ladesäulen stehen auf dem Parkplatz hinter dem Hörsaalgebäude."
    await admin_page.goto("/inbox")
    card = page.locator("#ticket-1")
    await card.get_by_label("Antwort (auf Deutsch, wie gefragt)").fill(typed)
    await card.get_by_role("button", name="Antworten").click()
    await expect(card.get_by_role("status")).to_contain_text("beantwortet")
    for shown in ("Hütte Oker GmbH", question, typed):
        await expect(card).to_contain_text(shown)
    await page.reload()
    for shown in ("Hütte Oker GmbH", question, typed):
        await expect(page.locator("#ticket-1")).to_contain_text(shown)

    await admin_page.goto("/audit")
    logged = page.locator("table tr", has_text="Ticket #1")
    await expect(logged).to_contain_text("Ja, zwei Ladesäulen")
    assert not admin_page.problems()
