"""Layout at a phone's and a desktop's width, in German and English, as chromium draws it:
what a walkthrough of the dashboard found (a chart legend whose labels ran into each other and
out of the drawing, a date broken in two as "2026-12-" / "04") stays fixed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from playwright.async_api import Page

from handlers.trends import DECISIONS
from storage.faq import FaqQuestion
from tests.browser import DESKTOP, PHONE, AdminPage
from tests.partners_fixtures import import_members, office_request
from tests.test_web_events import excursion
from tests.web_harness import Dashboard

SIZES = (PHONE, DESKTOP)
# How many lines an element's text takes: the distinct tops of its line boxes.
LINES = """element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set([...range.getClientRects()].map(box => Math.round(box.top))).size;
}"""
LANGS = ("de", "en")

# Each legend item's box (colour box and label), in page pixels, with its label.
LEGEND_BOXES = """svg => [...svg.querySelectorAll("g.legend")].map(g => {
  const r = g.getBoundingClientRect();
  return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, label: g.textContent};
})"""


# The lowest edge of the x axis's labels (slanted week labels and broadcast names), or null.
X_LABELS_BOTTOM = """svg => {
  const labels = [...svg.querySelectorAll("g.axis.x text")];
  const bottoms = labels.map(t => t.getBoundingClientRect().bottom);
  return bottoms.length ? Math.max(...bottoms) : null;
}"""


async def asked(dashboard: Dashboard, decisions: tuple[str, ...]) -> None:
    """Questions of this week, one with each decision: every series of the chart is drawn."""
    await dashboard.bot.send("anna", "/help")
    anna = await dashboard.bot.member("anna")
    assert anna is not None
    async with dashboard.bot.db.session() as session:
        for decision in decisions:
            session.add(
                FaqQuestion(
                    member_id=anna.id,
                    asked_at=datetime.now(UTC),
                    text="Frage",
                    lang="de",
                    decision=decision,
                )
            )


async def in_language(admin_page: AdminPage, lang: str, path: str) -> Page:
    page = admin_page.page
    await page.goto(f"{admin_page.url}/language?lang={lang}&next={path}")
    return page


async def test_chart_legends_keep_their_labels_apart_and_inside_the_drawing(
    admin_page: AdminPage,
) -> None:
    """Every legend item of every chart stays inside its drawing, clear of the others and of the
    x axis's labels (the slanted "W38" touched "answered"), with the longest series ("nicht
    weitergegeben (schon 5 offen)") among them."""
    await asked(admin_page.dashboard, DECISIONS)
    for lang in LANGS:
        for size in SIZES:
            page = await in_language(admin_page, lang, "/")
            await page.set_viewport_size(size)
            charts = page.locator("figure.chart svg")
            assert await charts.count() >= 1
            for n in range(await charts.count()):
                svg = charts.nth(n)
                frame = await svg.bounding_box()
                assert frame is not None
                items = await svg.evaluate(LEGEND_BOXES)
                assert items, (lang, size, n)
                where = (lang, size["width"], await svg.get_attribute("id"))
                for item in items:
                    assert frame["x"] <= item["left"], (where, item)
                    assert item["right"] <= frame["x"] + frame["width"], (where, item)
                    assert item["right"] <= size["width"], (where, item)
                    assert item["bottom"] <= frame["y"] + frame["height"], (where, item)
                labels_bottom = await svg.evaluate(X_LABELS_BOTTOM)
                if labels_bottom is not None:  # the legend starts below the axis's labels
                    legend_top = min(item["top"] for item in items)
                    assert labels_bottom <= legend_top, (where, labels_bottom, legend_top)
                for i, one in enumerate(items):
                    for other in items[i + 1 :]:
                        apart = (
                            one["right"] <= other["left"]
                            or other["right"] <= one["left"]
                            or one["bottom"] <= other["top"]
                            or other["bottom"] <= one["top"]
                        )
                        assert apart, (where, one, other)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], (lang, size, width)
    assert not admin_page.problems()


async def test_a_partner_requests_date_stays_on_one_line(admin_page: AdminPage) -> None:
    """Beside a long request the "Sent" column is narrow: the date must not break at its
    hyphen (a broken inline element has more than one line box)."""
    dashboard = admin_page.dashboard
    ids = await import_members(dashboard.bot)
    await office_request(
        dashboard,
        ids["req"],
        "Wir suchen einen Partner für die Rückgewinnung von Indium aus Displayglas, "
        "mit einer Pilotanlage im Harz und Erfahrung mit Förderanträgen",
    )
    for lang in LANGS:
        for size in SIZES:
            page = await in_language(admin_page, lang, "/partners")
            await page.set_viewport_size(size)
            sent = page.locator("table tbody tr").first.locator("td").nth(4)
            assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}|\d{4}-\d{2}-\d{2}", await sent.inner_text())
            lines = await sent.evaluate(LINES)
            assert lines == 1, (lang, size["width"], await sent.inner_text(), lines)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], (lang, size, width)
    assert not admin_page.problems()


async def test_a_very_long_question_keeps_its_inbox_card_short(admin_page: AdminPage) -> None:
    """A member's question of a few thousand characters (pasted text) is shown in a box of
    its own that scrolls: the card keeps its answer field in view and the others near."""
    dashboard = admin_page.dashboard
    pasted = "Bitte lesen Sie unseren Bericht zur Rückgewinnung von Kobalt. " * 60
    await dashboard.bot.onboard("anna", lang="de")
    asked = await dashboard.bot.send("anna", pasted.strip())
    assert "Ticket #1" in asked.text, asked.text
    for size in SIZES:
        page = await in_language(admin_page, "de", "/inbox")
        await page.set_viewport_size(size)
        quote = page.locator("#ticket-1 blockquote")
        box = await quote.bounding_box()
        assert box is not None and box["height"] <= 16 * 16, (size, box)
        scrolled = await quote.evaluate("q => q.scrollHeight > q.clientHeight")
        assert scrolled, size  # the whole text is still there, scrolled to
        answer = await page.locator("#answer-1").bounding_box()
        assert answer is not None and answer["y"] < 900, (size, answer)
    assert not admin_page.problems()


async def test_the_cancel_pages_preview_button_keeps_apart_from_back(
    admin_page: AdminPage,
) -> None:
    """On an event's cancel page "Vorschau" and "Zurück" stood against each other: a gap
    between them, at a phone's width and a desktop's."""
    number = await excursion(admin_page.dashboard)
    for lang in LANGS:
        for size in SIZES:
            page = await in_language(admin_page, lang, f"/events/{number}/cancel")
            await page.set_viewport_size(size)
            button = await page.locator("form button[value=preview]").bounding_box()
            back = await page.locator(f'form a[href="/events/{number}"]').bounding_box()
            assert button is not None and back is not None
            beside = back["x"] - (button["x"] + button["width"])
            below = back["y"] - (button["y"] + button["height"])
            assert beside >= 8 or below >= 4, (lang, size, button, back)
    assert not admin_page.problems()
