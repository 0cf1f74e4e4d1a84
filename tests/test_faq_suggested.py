"""Beside a hand-off the member sees the topics the engine names for the question: one of them
may answer it already, and the member need not wait. A topic pressed answers it, with a button
saying it answered the question, which withdraws it from the office and teaches the bot; a
topic only looked at teaches nothing, and the office keeps its suggestions. On SQLite and
PostgreSQL, German and English."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage import faq
from storage.faq_learned import LearnedPhrasing
from tests.harness import Harness
from tests.test_office_learn import STEP_FREE_DE, answers_to, ticket

KB = """
[[faq]]
id = "symposium"
question.de = ["Worum geht es beim jährlichen Symposium?"]
question.en = ["What is the annual symposium about?"]
answer.de = "Das Symposium ist die große Jahrestagung des Clusters."
answer.en = "The symposium is the cluster's main annual conference."

[[faq]]
id = "excursions"
question.de = ["Wann sind die nächsten Exkursionen?"]
question.en = ["When are the next company excursions?"]
answer.de = "Die Exkursionen führen zweimal im Jahr zu Recyclingbetrieben im Harz."
answer.en = "Twice a year the excursions visit recycling plants in the Harz."
"""
VEGAN_EN = "Will there be vegan food on the excursions?"


async def learned(bot: Harness) -> list[tuple[str, str, bool]]:
    async with bot.db.session() as session:
        rows = (await session.execute(select(LearnedPhrasing))).scalars()
        return [(row.entry_id, row.text, row.confirmed) for row in rows]


@pytest.fixture
async def office(bot_any: Harness) -> Harness:
    await bot_any.import_kb(KB)
    return bot_any


async def test_a_suggested_topic_answers_at_once_and_the_question_is_withdrawn(
    office: Harness,
) -> None:
    handed = await office.send("hanna", STEP_FREE_DE)
    assert "Ticket #1" in handed.text, handed.text
    assert "Vielleicht beantwortet eines dieser Themen Ihre Frage schon:" in handed.text
    topic = handed.button("Symposium")
    assert topic.startswith("faq:c:")
    assert not any(p.startswith("faq:ho:") for p in handed.buttons)  # the office has it

    picked = await office.press("hanna", topic)
    assert "große Jahrestagung des Clusters" in picked.text, picked.text
    withdraw = picked.button("Beantwortet – Frage #1 zurückziehen")
    assert (await ticket(office, 1)).status == faq.OPEN  # until the member says so
    assert await learned(office) == []  # looked at, not yet said to answer it

    withdrawn = await office.press("hanna", withdraw)
    assert "Zurückgezogen" in withdrawn.text, withdrawn.text
    assert (await ticket(office, 1)).status == faq.WITHDRAWN
    # the member said it answered the question: learnt as a pick is (one member: unconfirmed)
    assert await learned(office) == [("symposium", STEP_FREE_DE, False)]
    twice = await office.press("hanna", withdraw)
    assert "schon zurückgezogen" in twice.text, twice.text
    assert "Keine offenen Fragen" in (await office.send("admin", "/posteingang")).text


async def test_in_english_the_office_keeps_its_suggestion_while_the_member_waits(
    office: Harness,
) -> None:
    handed = await office.send("eric", VEGAN_EN, lang="en")
    assert "ticket #1" in handed.text, handed.text
    assert "Perhaps one of these topics answers your question already:" in handed.text
    assert handed.button("excursions").startswith("faq:c:")
    # not pressed: the office is still offered the topic the member was shown
    inbox = await office.send("admin", "/inbox")
    assert VEGAN_EN in inbox.text, inbox.text
    assert "Exkursionen" in inbox.text or "excursions" in inbox.text, inbox.text
    # pressed, and the question left with the office: it answers as ever
    picked = await office.press("eric", handed.button("excursions"))
    assert "recycling plants in the Harz" in picked.text
    assert "withdraw question #1" in picked.text or picked.button("withdraw question #1")
    assert (await ticket(office, 1)).status == faq.OPEN
    assert await answers_to(office, "eric") == []
    # a 👍 under a topic only looked at teaches nothing either
    await office.press("eric", picked.button("Helpful"))
    assert await learned(office) == []


async def test_a_question_about_something_else_gets_no_suggestions(office: Harness) -> None:
    handed = await office.send("hanna", "Wie spät ist es in Tokio?")
    assert "Ticket #1" in handed.text, handed.text
    assert "Vielleicht" not in handed.text
    assert not any(p.startswith("faq:c:") for p in handed.buttons)


async def test_a_suggested_topic_turned_down_is_not_offered_to_the_office(office: Harness) -> None:
    handed = await office.send("hanna", STEP_FREE_DE)
    before = await office.send("admin", "/posteingang")
    assert "Passt vielleicht" in before.text and "Symposium" in before.text, before.text
    picked = await office.press("hanna", handed.button("Symposium"))
    down = await office.press("hanna", picked.button("Nicht hilfreich"))
    assert "#1" in down.text, down.text  # already with the office
    inbox = await office.send("admin", "/posteingang")
    assert "nicht hilfreich" in inbox.text, inbox.text
    suggested = next(line for line in inbox.text.splitlines() if "Passt vielleicht" in line)
    assert "Symposium" not in suggested, inbox.text
    assert await learned(office) == []


async def test_asked_first_at_the_limit_the_suggested_topic_is_the_one_named(
    office: Harness,
) -> None:
    # five questions the bot handed on by itself: the sixth is asked about first
    for place in ("Tokio", "Lima", "Oslo", "Perth", "Quito"):
        assert "Ticket #" in (await office.send("hanna", f"Wie spät ist es in {place}?")).text
    asked = await office.send("hanna", STEP_FREE_DE)
    assert "Soll ich diese auch weitergeben?" in asked.text, asked.text
    assert "Vielleicht beantwortet eines dieser Themen" in asked.text, asked.text
    picked = await office.press("hanna", asked.button("Symposium"))
    assert "große Jahrestagung des Clusters" in picked.text, picked.text
