"""At 390 px the partners page keeps an organisation's name whole where it fits on a line
("Metallrückgewinnung" had been cut at its last letter in the list of who was asked), and a
word wider than the line is hyphenated in the page's language, never cut at any letter."""

from __future__ import annotations

from handlers.partners.overview import forward_by_hand
from tests.browser import PHONE, AdminPage
from tests.partners_fixtures import office_request
from tests.test_web_browser import WORD_BREAKS

FITS = "Metallrückgewinnung"


async def test_organisation_names_break_between_words_on_a_phone(admin_page: AdminPage) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    await bot.onboard("ole", org=f"{FITS} Oberharz GmbH")
    await bot.onboard("pia", org=f"Harzer {FITS} und Schrotthandel KG")
    ole, pia = await bot.member("ole"), await bot.member("pia")
    assert ole is not None and pia is not None
    number = await office_request(dashboard, ole.id, "Wir suchen Laborplätze für Schwarzmasse")
    await forward_by_hand(bot.app.services, request_id=number, member_id=pia.id)
    await page.set_viewport_size(PHONE)
    await admin_page.goto("/partners")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    found = await page.evaluate(WORD_BREAKS, FITS)
    assert len(found) >= 2, found  # the requester and the member asked
    assert all(each["lines"] == 1 for each in found), found
    assert all(each["hyphens"] == "auto" and each["lang"] == "de" for each in found), found
    assert not admin_page.problems()
