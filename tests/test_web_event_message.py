"""The office messages the people of one event from its page (chromium): the broadcast's
form opens with that audience chosen and its count, and the message reaches only them."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser import AdminPage
from tests.test_web_browser import deliver
from tests.test_web_events import excursion


async def test_the_people_signed_up_are_messaged_from_the_event_page(
    admin_page: AdminPage,
) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    for user in ("mia", "noah", "olga", "paul"):
        await bot.onboard(user, org=f"{user.title()} Recycling GmbH")
    number = await excursion(dashboard, places=2)
    for user in ("mia", "noah", "olga"):
        await bot.send(user, f"/anmelden {number}")
    await admin_page.goto(f"/events/{number}")
    await page.get_by_role("link", name="✉️ Nachricht an die Angemeldeten").click()
    await page.wait_for_url(re.compile(r"/broadcasts/new\?audience=attendees:\d+$"))
    choice = page.get_by_label("Zielgruppe")
    await expect(choice.locator("option:checked")).to_have_text(
        f"die Angemeldeten der Veranstaltung {number}"
    )
    count = page.locator("#bc-count")
    await expect(count).to_have_text("2 Mitglieder, 0 Ankündigungs-Chats")
    await page.get_by_label("Text der Nachricht").fill("Bitte festes Schuhwerk mitbringen.")
    await page.get_by_role("button", name="Vorschau").click()
    await page.get_by_role("button", name="Jetzt senden").click()
    await page.wait_for_url(re.compile(r"/broadcasts/\d+$"))
    sent = await deliver(dashboard)
    chats = sorted(a.chat_id for a in sent.sent() if "Schuhwerk" in a.text)
    assert chats == ["chat-mia", "chat-noah"]
    # the waiting list is a choice of its own
    await admin_page.goto(f"/events/{number}")
    await page.get_by_role("link", name="✉️ Nachricht an die Warteliste").click()
    await expect(count).to_have_text("1 Mitglied, 0 Ankündigungs-Chats")
    assert not admin_page.problems()
