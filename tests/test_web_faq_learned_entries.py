"""The FAQ page's learned phrasings after the office made new entries from members'
questions (chromium): the questions stand as phrasings of those entries, and the page counts
them instead of saying nothing was learned."""

from __future__ import annotations

from playwright.async_api import expect
from sqlalchemy import select

from handlers.faq.inbox import NewEntry, learn_new_entry
from handlers.faq.kb_import import import_kb, parse_kb
from storage.faq import FaqTicket
from tests.browser import AdminPage
from tests.test_office_learn import KB, ask_office

# Invented questions no entry answers: each becomes a new entry of its own.
BIKES = "Gibt es am Tagungshotel abschließbare Fahrradständer?"
CHILDCARE = "Is there childcare during the innovation forum?"


async def ticket_of(admin_page: AdminPage, text: str) -> int:
    async with admin_page.dashboard.bot.db.session() as session:
        found = await session.execute(select(FaqTicket.id).where(FaqTicket.text == text))
        return found.scalar_one()


async def test_questions_made_into_new_entries_are_counted_as_learned(
    admin_page: AdminPage,
) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    async with bot.db.session() as session:
        await import_kb(session, parse_kb(KB))
    await ask_office(bot, "lena", BIKES)
    await ask_office(bot, "sam", CHILDCARE, lang="en")
    await admin_page.goto("/faq")
    learned = page.locator("#learned")
    await expect(learned).to_contain_text("Noch nichts gelernt.")
    services = bot.app.services
    admin = await bot.member("admin")
    assert admin is not None
    for ticket, entry in (
        (await ticket_of(admin_page, BIKES), NewEntry(
            "fahrrad", "Wo stelle ich mein Fahrrad ab?", "Where do I park my bike?",
            "Am Hoteleingang.", "At the hotel entrance.",
        )),
        (await ticket_of(admin_page, CHILDCARE), NewEntry(
            "kinder", "Gibt es Kinderbetreuung?", "Is there childcare?",
            "Ja, auf Anfrage.", "Yes, on request.",
        )),
    ):  # fmt: skip
        await learn_new_entry(services, admin.id, [ticket], entry)
    await page.reload()
    await expect(learned).not_to_contain_text("Noch nichts gelernt")
    await expect(learned.locator("#learned-in-entries")).to_contain_text(
        "2 Fragen von Mitgliedern stehen als Formulierungen in Einträgen"
    )
    await expect(learned.locator("#learned-in-entries")).to_contain_text("fahrrad (1), kinder (1)")
    await expect(learned).to_contain_text("Keine weiteren gelernten Formulierungen zu prüfen.")
    assert not admin_page.problems()
