"""Questions that got choices and no pick, as the office meets them on the FAQ page: listed
with the entries offered, taught to one of them (or another) so that the next member asking
so gets the answer directly, or set aside; on SQLite and PostgreSQL. The knowledge base and
the questions are invented (tests/test_faq_learning.py's)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from playwright.async_api import expect
from sqlalchemy import update

from bot.errors import UserError
from handlers.faq import unpicked
from storage.faq import FaqQuestion
from tests.browser import DESKTOP, PHONE, AdminPage
from tests.harness import Harness
from tests.test_faq_learning import (
    CANCEL_ANSWER,
    CANCEL_TITLE,
    KB,
    VAGUE,
    audit_actions,
    choice_labels,
    dash,
    demoted_admin,
    forget,
    is_answer,
    learned,
    pick_cancel,
    signed_in,
)
from tests.web_harness import Dashboard

CANCEL_QUESTION = "Wie sage ich meine Teilnahme an einer Exkursion ab?"
# Another member's words for the same vague question (not near-identical to VAGUE).
VAGUE_OTHER = "Noch eine Frage zu den Exkursionen"


__all__ = ["dash"]  # the fixture, with the knowledge base imported


async def admin_id(bot: Harness) -> int:
    admin = await bot.member("admin")
    if admin is None:
        await bot.send("admin", "/help")
        admin = await bot.member("admin")
    assert admin is not None
    return admin.id


async def ask_and_leave(bot: Harness, user: str, text: str) -> None:
    """`user` asks `text`, is offered choices and takes none of them."""
    asked = await bot.send(user, text)
    assert any(CANCEL_TITLE in label for label in choice_labels(asked)), asked.text


async def test_a_question_nobody_picked_for_is_taught_and_answers_the_next_member(
    bot_any: Harness,
) -> None:
    await bot_any.import_kb(KB)
    services = bot_any.app.services
    await ask_and_leave(bot_any, "anna", VAGUE)
    total, waiting = await unpicked.waiting(services)
    assert total == 1
    (question,) = waiting
    assert question.text == VAGUE and question.lang == "de"
    assert {e.id for e in question.offered} >= {"exkursion_absagen", "exkursion_anmelden"}

    # the office names the entry by its question, as it reads it on the page
    taught = await unpicked.teach(services, await admin_id(bot_any), question.id, CANCEL_QUESTION)
    assert taught == "exkursion_absagen"
    assert await unpicked.waiting(services) == (0, [])
    (phrasing,) = await learned(bot_any)
    assert phrasing.text == VAGUE and phrasing.source == "office" and phrasing.confirmed
    # The next member asking so is answered at once; before, she got the same choices.
    assert is_answer(await bot_any.send("bert", VAGUE), CANCEL_ANSWER)

    # What Anna's question taught goes with her.
    await forget(bot_any, "anna")
    assert await learned(bot_any) == []


async def test_a_pick_a_hand_off_or_the_offices_word_takes_a_question_off_the_list(
    bot_any: Harness,
) -> None:
    await bot_any.import_kb(KB)
    services = bot_any.app.services
    office = await admin_id(bot_any)
    await pick_cancel(bot_any, "anna", VAGUE)  # picked: not listed
    asked = await bot_any.send("bert", VAGUE)
    none_fits = next(p for p in asked.buttons if p.startswith("faq:ho:"))
    await bot_any.press("bert", none_fits)  # passed to the office: in the inbox instead
    assert await unpicked.waiting(services) == (0, [])

    await ask_and_leave(bot_any, "carla", VAGUE_OTHER)
    await ask_and_leave(bot_any, "dora", VAGUE)
    total, waiting = await unpicked.waiting(services)
    assert total == 2 and [q.text for q in waiting] == [VAGUE, VAGUE_OTHER]  # newest first
    dora, carla = waiting
    await unpicked.set_aside(services, office, carla.id)
    assert [q.id for q in (await unpicked.waiting(services))[1]] == [dora.id]
    with pytest.raises(UserError) as done:
        await unpicked.teach(services, office, carla.id, "exkursion_absagen")
    assert done.value.key == "faq.unpicked_done"  # set aside is set aside (a second tab)
    before = await learned(bot_any)

    for typed, refusal in (
        ("", "faq.unpicked_no_entry"),
        ("gibt-es-nicht", "faq.unknown_entry"),
        ("exkursion", "faq.unknown_entry_close"),  # three entries begin so: which one?
    ):
        with pytest.raises(UserError) as refused:
            await unpicked.teach(services, office, dora.id, typed)
        assert refused.value.key == refusal, typed
    with pytest.raises(UserError) as gone:
        await unpicked.teach(services, office, 10**9, "exkursion_absagen")
    assert gone.value.key == "faq.unpicked_gone"
    assert await learned(bot_any) == before
    assert [q.id for q in (await unpicked.waiting(services))[1]] == [dora.id]

    # a month on, the question has left the list (its wording taught nothing)
    async with bot_any.db.session() as session:
        older = services.clock() - unpicked.RECENT - timedelta(hours=1)
        await session.execute(
            update(FaqQuestion).where(FaqQuestion.id == dora.id).values(asked_at=older)
        )
    assert await unpicked.waiting(services) == (0, [])


async def test_the_office_teaches_and_sets_aside_on_the_faq_page(dash: Dashboard) -> None:
    bot = dash.bot
    await ask_and_leave(bot, "anna", VAGUE)
    await ask_and_leave(bot, "bert", VAGUE_OTHER)
    office = await signed_in(dash)
    _, page = await office.get("/faq")
    shown = html.unescape(page)
    section = shown[shown.index('id="unpicked"') : shown.index('id="entries"')]
    assert "Fragen mit Auswahl, aber ohne Wahl" in section
    assert VAGUE in section and VAGUE_OTHER in section
    assert f"Gehört zu „{CANCEL_QUESTION}“" in section
    (_, anna_q), (_, bert_q) = sorted(
        (q.text == VAGUE_OTHER, q.id) for q in (await unpicked.waiting(bot.app.services))[1]
    )

    status, page = await office.post(f"/faq/unpicked/{anna_q}/teach", {"entry": "gibt-es-nicht"})
    assert status == 422
    assert "Es gibt keinen Eintrag „gibt-es-nicht“" in html.unescape(page)
    assert await learned(bot) == []
    status, _ = await office.post(f"/faq/unpicked/{anna_q}/teach", {"entry": "exkursion_absagen"})
    assert status == 303
    status, _ = await office.post(f"/faq/unpicked/{bert_q}/aside")
    assert status == 303
    _, page = await office.get("/faq?done=unpicked_taught&id=exkursion_absagen")
    shown = html.unescape(page)
    section = shown[shown.index('id="unpicked"') : shown.index('id="entries"')]
    assert f"Gelernt: Die Frage ist jetzt eine bestätigte Formulierung von „{CANCEL_QUESTION}“" in (
        section
    )
    assert "Keine: Wer zuletzt eine Auswahl bekam" in section and VAGUE_OTHER not in section
    assert is_answer(await bot.send("carla", VAGUE), CANCEL_ANSWER)
    # Pressed again in a second tab: said, nothing changes.
    status, page = await office.post(f"/faq/unpicked/{anna_q}/teach", {"entry": "newsletter"})
    assert status == 422 and "schon zugeordnet oder beiseitegelegt" in html.unescape(page)
    assert len(await learned(bot)) == 1
    actions = await audit_actions(dash)
    assert actions.count("web:faq:unpicked_teach") == 1
    assert actions.count("web:faq:unpicked_aside") == 1

    _, page = await office.get("/faq?lang=en")
    assert "Questions with choices, none picked" in html.unescape(page)
    await office.close()


async def test_a_member_who_is_not_an_admin_cannot_teach_or_set_aside(dash: Dashboard) -> None:
    bot = dash.bot
    await ask_and_leave(bot, "anna", VAGUE)
    (question,) = (await unpicked.waiting(bot.app.services))[1]
    ada = await demoted_admin(dash)
    status, _ = await ada.post(f"/faq/unpicked/{question.id}/teach", {"entry": "newsletter"})
    assert status == 303  # to the sign-in page, nothing done
    status, _ = await ada.post(f"/faq/unpicked/{question.id}/aside")
    assert status == 303
    assert await learned(bot) == []
    assert [q.id for q in (await unpicked.waiting(bot.app.services))[1]] == [question.id]
    await ada.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_an_offered_entrys_button_teaches_the_question_on_a_phone_and_a_desktop(
    admin_page: AdminPage, viewport: dict[str, int]
) -> None:
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    await bot.import_kb(KB)
    await ask_and_leave(bot, "anna", VAGUE)
    await page.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})
    await admin_page.goto("/faq")
    section = page.locator("#unpicked")
    await expect(section).to_contain_text(VAGUE)
    button = section.get_by_role("button", name=f"Gehört zu „{CANCEL_QUESTION}“")
    box = await button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    await button.click()
    await expect(section.get_by_role("status")).to_contain_text("Gelernt")
    await expect(section).not_to_contain_text(VAGUE)
    assert is_answer(await bot.send("bert", VAGUE), CANCEL_ANSWER)
    assert not admin_page.problems()


def test_a_question_pointing_back_teaches_what_it_points_to() -> None:
    """ "was kostet das?", one of several questions, points back to the one before it:
    taught alone it would answer every later "was kostet das?" (walkthrough 2026-12-07)."""
    part = FaqQuestion(text="Was kostet das?", context="Wann ist die Exkursion?")
    assert unpicked._taught(part) == "Wann ist die Exkursion? Was kostet das?"
    # a follow-up was read with the message before it already, and a plain question alone
    read = FaqQuestion(
        text="Wann ist die Exkursion? Was kostet das?", context="Wann ist die Exkursion?"
    )
    assert unpicked._taught(read) == read.text
    assert unpicked._taught(FaqQuestion(text=VAGUE, context="")) == VAGUE
