"""👎 under a direct answer: the other topics the question was close to, beside the office."""

from __future__ import annotations

import pytest

from bot.messages import plain_text as render_text
from handlers.faq.kb_admin import remove_entry
from handlers.faq.stats import entry_performance
from storage import faq_learned
from storage.faq import FaqQuestion, FaqTicket
from storage.faq_learned import Learned
from tests.harness import Chat, Harness
from tests.test_faq import rows

KB = """
[[faq]]
id = "beitrag"
question.de = ["Wie hoch ist der Mitgliedsbeitrag?"]
question.en = ["How much is the membership fee?"]
answer.de = "Der Jahresbeitrag richtet sich nach der Größe Ihrer Organisation."
answer.en = "The annual fee depends on the size of your organisation."

[[faq]]
id = "beitrag_rechnung"
question.de = ["Wann kommt die Rechnung für den Mitgliedsbeitrag?"]
question.en = ["When do I get the invoice for the membership fee?"]
answer.de = "Die Beitragsrechnung verschicken wir jedes Jahr im Januar."
answer.en = "We send the fee invoice every January."

[[faq]]
id = "beitrag_raten"
question.de = ["Kann ich den Mitgliedsbeitrag in Raten zahlen?"]
question.en = ["Can I pay the membership fee in instalments?"]
answer.de = "Ja, auf Wunsch vierteljährlich."
answer.en = "Yes, quarterly if you wish."

[[faq]]
id = "newsletter"
question.de = ["Wie bekomme ich den Newsletter?"]
question.en = ["How do I get the newsletter?"]
answer.de = "Den Newsletter abonnieren Sie mit /news."
answer.en = "Subscribe to the newsletter with /news."
"""
# Answered with the fee; the instalments and the invoice come close behind.
WHEN_AND_HOW_MUCH = "Wann und wie hoch ist der Mitgliedsbeitrag?"
FEE = "richtet sich nach der Größe"
INSTALMENTS, INSTALMENTS_ANSWER = "in Raten zahlen", "vierteljährlich"
INVOICE, INVOICE_ANSWER = "Rechnung für den Mitgliedsbeitrag", "jedes Jahr im Januar"
# Answered with the fee; only the instalments come close.
HOW_MUCH = "Wie hoch ist der Beitrag?"
# Answered with the fee; the others share a word, but far behind it.
COSTS = "Was kostet der Mitgliedsbeitrag?"


@pytest.fixture
async def office(bot_any: Harness) -> Harness:
    await bot_any.import_kb(KB)
    return bot_any


def labels(chat: Chat) -> list[str]:
    return [render_text(b.label) for r in chat.replies for row in r.buttons for b in row]


def picks(chat: Chat) -> list[str]:
    return [p for p in chat.buttons if p.startswith("faq:c:")]


def pressed(chat: Chat, helpful: bool) -> str:
    wanted = ":1" if helpful else ":0"
    return next(p for p in chat.buttons if p.startswith("faq:fb:") and p.endswith(wanted))


async def answered(bot: Harness, user: str, question: str, text: str) -> Chat:
    asked = await bot.send(user, question)
    assert text in asked.text and not picks(asked), asked.text
    return asked


async def thumbs_down(bot: Harness, user: str, question: str, text: str) -> Chat:
    """`user` asks `question`, gets `text` directly and presses 👎."""
    asked = await answered(bot, user, question, text)
    return await bot.press(user, pressed(asked, helpful=False))


async def learned(bot: Harness) -> list[Learned]:
    async with bot.db.session() as session:
        return await faq_learned.all_learned(session)


async def test_thumbs_down_offers_the_close_topics_and_a_pick_answers(office: Harness) -> None:
    sorry = await thumbs_down(office, "anna", WHEN_AND_HOW_MUCH, FEE)
    assert "Meinten Sie mit „Wann und wie hoch ist der Mitgliedsbeitrag?“" in sorry.text
    # the close topics, never the one just turned down, then the office and "no, thanks"
    assert labels(sorry) == [
        "Kann ich den Mitgliedsbeitrag in Raten zahlen?",
        "Wann kommt die Rechnung für den Mitgliedsbeitrag?",
        "Ja, an die Geschäftsstelle",
        "Nein, danke",
    ]
    picked = await office.press("anna", sorry.button(INSTALMENTS))
    assert INSTALMENTS_ANSWER in picked.text and FEE not in picked.text
    # the pick is an answer like any: 👎 again offers what is left, neither answer turned down
    again = await office.press("anna", pressed(picked, helpful=False))
    assert labels(again) == [
        "Wann kommt die Rechnung für den Mitgliedsbeitrag?",
        "Ja, an die Geschäftsstelle",
        "Nein, danke",
    ]
    invoice = await office.press("anna", again.button(INVOICE))
    assert INVOICE_ANSWER in invoice.text
    assert "Danke" in (await office.press("anna", pressed(invoice, helpful=True))).text
    (question,) = await rows(office, FaqQuestion)
    assert question.answered_entry_id == "beitrag_rechnung" and question.feedback is True


async def test_thumbs_down_in_english_offers_them_in_english(office: Harness) -> None:
    sorry = await thumbs_down(
        office, "tom", "How much is the membership fee, actually?", "depends on the size"
    )
    assert "did you mean one of these topics?" in sorry.text
    assert labels(sorry) == [
        "Can I pay the membership fee in instalments?",
        "Yes, ask the office",
        "No, thanks",
    ]
    assert "Raten" not in sorry.text
    picked = await office.press("tom", sorry.button("instalments"))
    assert "quarterly if you wish" in picked.text


@pytest.mark.parametrize(
    ("user", "question", "answer", "typed", "sorry"),
    [
        ("anna", WHEN_AND_HOW_MUCH, FEE, "hilft mir nicht wirklich", "Meinten Sie mit"),
        ("anna", WHEN_AND_HOW_MUCH, FEE, "das war leider nicht hilfreich", "Meinten Sie mit"),
        # the button's sign typed (a walkthrough's had got "Das war wohl etwas kurz")
        ("anna", WHEN_AND_HOW_MUCH, FEE, "👎", "Meinten Sie mit"),
        (
            "tom",
            "How much is the membership fee, actually?",
            "depends on",
            "that didnt help",
            "did you mean",
        ),
        (
            "tom",
            "How much is the membership fee, actually?",
            "depends on",
            "wrong answer",
            "did you mean",
        ),
    ],
)
async def test_saying_an_answer_did_not_help_is_its_thumbs_down(
    office: Harness, user: str, question: str, answer: str, typed: str, sorry: str
) -> None:
    # a walkthrough's "hilft mir nicht wirklich" under the fee's answer had been asked as a
    # question and answered with the entry on funding applications
    await answered(office, user, question, answer)
    said = await office.send(user, typed)
    assert sorry in said.text and answer not in said.text, said.text
    (asked,) = await rows(office, FaqQuestion)
    assert asked.feedback is False
    # a question of its own that says "nicht" is still a question
    other = await office.send(user, "Wie bekomme ich den Newsletter nicht mehr?")
    assert "Meinten Sie mit" not in other.text and "did you mean one of" not in other.text


async def test_thumbs_down_then_the_office_gets_the_question(office: Harness) -> None:
    await office.send("admin", "/language de")
    sorry = await thumbs_down(office, "anna", WHEN_AND_HOW_MUCH, FEE)
    assert picks(sorry)
    handed = await office.press("anna", sorry.button("Geschäftsstelle"))
    assert "#1" in handed.text
    (ticket,) = await rows(office, FaqTicket)
    assert ticket.text == WHEN_AND_HOW_MUCH
    inbox = await office.send("admin", "/inbox")
    assert "„Wie hoch ist der Mitgliedsbeitrag?“ fand das Mitglied nicht" in inbox.text
    # once with the office, a pick's 👎 says so instead of offering topics again
    picked = await office.press("anna", sorry.button(INSTALMENTS))
    later = await office.press("anna", pressed(picked, helpful=False))
    assert "schon bei der" in later.text and not picks(later)


async def test_without_a_close_topic_thumbs_down_only_offers_the_office(office: Harness) -> None:
    sorry = await thumbs_down(office, "anna", HOW_MUCH, FEE)
    assert labels(sorry)[0] == "Kann ich den Mitgliedsbeitrag in Raten zahlen?"
    picked = await office.press("anna", sorry.button(INSTALMENTS))
    # the invoice is too far behind, and the fee was turned down: nothing left to offer
    again = await office.press("anna", pressed(picked, helpful=False))
    assert "Soll ich Ihre Frage „Wie hoch ist der Beitrag?“ an die" in again.text
    assert labels(again) == ["Ja, an die Geschäftsstelle", "Nein, danke"]
    # entries sharing a word, but far behind the answer, are no choice either
    far = await thumbs_down(office, "bert", COSTS, FEE)
    assert labels(far) == ["Ja, an die Geschäftsstelle", "Nein, danke"], far.text


async def test_another_member_cannot_press_the_offered_topics(office: Harness) -> None:
    sorry = await thumbs_down(office, "anna", WHEN_AND_HOW_MUCH, FEE)
    foreign = await office.press("bert", sorry.button(INSTALMENTS))
    assert INSTALMENTS_ANSWER not in foreign.text and "nicht mehr gültig" in foreign.text
    (question,) = await rows(office, FaqQuestion)
    assert question.answered_entry_id == "beitrag" and await learned(office) == []
    # anna's own press still works
    assert INSTALMENTS_ANSWER in (await office.press("anna", sorry.button(INSTALMENTS))).text


async def test_an_older_offered_topic_still_picks_its_own_entry(office: Harness) -> None:
    first = await thumbs_down(office, "anna", WHEN_AND_HOW_MUCH, FEE)
    picked = await office.press("anna", first.button(INSTALMENTS))
    await office.press("anna", pressed(picked, helpful=False))  # offers the invoice alone
    # the first offer's buttons still say what they pick
    assert INVOICE_ANSWER in (await office.press("anna", first.button(INVOICE))).text
    assert INSTALMENTS_ANSWER in (await office.press("anna", first.button(INSTALMENTS))).text
    # a topic removed since, or a button of no such choice, is stale
    await remove_entry(office.app.services, "beitrag_rechnung")
    gone = await office.press("anna", first.button(INVOICE))
    assert "gibt es nicht mehr" in gone.text
    number = first.button(INVOICE).rsplit(":", 1)[0]
    assert "nicht mehr gültig" in (await office.press("anna", f"{number}:9")).text


async def test_a_pick_after_thumbs_down_teaches_as_a_pick_does(office: Harness) -> None:
    asked = await answered(office, "anna", WHEN_AND_HOW_MUCH, FEE)
    await office.press("anna", pressed(asked, helpful=True))
    (vote,) = await learned(office)
    assert vote.entry_id == "beitrag" and vote.confirmed
    sorry = await office.press("anna", pressed(asked, helpful=False))
    picked = await office.press("anna", sorry.button(INSTALMENTS))
    await office.press("anna", pressed(picked, helpful=True))  # a 👍 on a pick is no vote
    # the 👎 took back what the 👍 taught; the pick teaches its entry, unconfirmed
    (pick,) = await learned(office)
    assert (pick.entry_id, pick.text, pick.source) == ("beitrag_raten", WHEN_AND_HOW_MUCH, "pick")
    assert not pick.confirmed and pick.teachers == 1
    assert FEE in (await office.send("carla", WHEN_AND_HOW_MUCH)).text
    # a second member's pick after 👎 confirms it: the third gets the instalments directly
    second = await thumbs_down(office, "bert", WHEN_AND_HOW_MUCH, FEE)
    await office.press("bert", second.button(INSTALMENTS))
    (pick,) = await learned(office)
    assert pick.confirmed and pick.teachers == 2
    await answered(office, "carla", WHEN_AND_HOW_MUCH, INSTALMENTS_ANSWER)


async def test_the_thumbs_down_stays_counted_against_the_answer_turned_down(
    office: Harness,
) -> None:
    """What the office reads (the dashboard's numbers per entry, /stats): after 👎 and a pick,
    the fee keeps its direct answer and its 👎; the instalments count as picked, not as a
    direct answer, and a 👍 under the pick is the pick's."""
    sorry = await thumbs_down(office, "anna", WHEN_AND_HOW_MUCH, FEE)
    picked = await office.press("anna", sorry.button(INSTALMENTS))
    await office.press("anna", pressed(picked, helpful=True))
    counts = await entry_performance(office.app.services)
    fee, instalments = counts["beitrag"], counts["beitrag_raten"]
    assert (fee.answered, fee.not_helpful, fee.helpful) == (1, 1, 0), fee
    assert (instalments.answered, instalments.picked, instalments.helpful) == (0, 1, 1)
    assert instalments.not_helpful == 0
    stats = await office.send("admin", "/stats")
    assert "👍 1 · 👎 1" in stats.text, stats.text


async def test_a_typed_yes_or_no_answers_whether_the_office_gets_it(office: Harness) -> None:
    """With nothing else offered after 👎, "ja" hands the question to the office and "nein"
    keeps it (a typed "nein" had been asked whether "Nein, danke" was meant)."""
    far = await thumbs_down(office, "bert", COSTS, FEE)
    assert labels(far) == ["Ja, an die Geschäftsstelle", "Nein, danke"], far.text
    kept = await office.send("bert", "nein")
    assert "Gut, ich gebe nichts weiter" in kept.text, kept.text
    assert await rows(office, FaqTicket) == []
    again = await thumbs_down(office, "cora", COSTS, FEE)
    assert labels(again) == ["Ja, an die Geschäftsstelle", "Nein, danke"], again.text
    handed = await office.send("cora", "ja")
    assert "#1" in handed.text, handed.text
    assert len(await rows(office, FaqTicket)) == 1
