"""The limit of five open questions per member counts what the member asked the office for
(a button, a typed yes), not what the bot handed on by itself because no entry answered: a
member who had asked five things the bot could not answer was refused the sixth ("Sie haben
dort schon 5 offene Fragen"), for the bot's own doing. Its intent (a stuck key, a spammer)
stays: the bot hands on at most five by itself; beyond that it asks, and the member's yes
counts as their own."""

from __future__ import annotations

import pytest

from storage import faq
from storage.faq import FaqTicket
from tests.harness import Harness
from tests.test_faq import full, rows, seed_kb

NOT_IN_THE_KB = (
    "Gibt es in Goslar einen Fahrradverleih am Bahnhof?",
    "Darf man im Kulturhaus fotografieren?",
    "Welche Schuhgröße brauche ich für die Sicherheitsschuhe?",
    "Can I charge my electric car at the venue?",
    "Is there a quiet room for prayer?",
    "Gibt es glutenfreies Essen?",
    "Is the venue reachable with a wheelchair from the car park?",
)


@pytest.fixture
async def kb(bot: Harness) -> Harness:
    await seed_kb(bot)
    return bot


async def passed_on(bot: Harness, user: str, text: str) -> str:
    """What the member reads after asking `text`, pressing "none of these" where topics come."""
    asked = await bot.send(user, text)
    office = [p for p in asked.buttons if p.startswith("faq:ho:")]
    if office and any(p.startswith("faq:c:") for p in asked.buttons):
        asked = await bot.press(user, office[0])
    return asked.text


async def test_five_questions_the_bot_handed_on_do_not_block_a_sixth(kb: Harness) -> None:
    for question in NOT_IN_THE_KB[:5]:
        said = await passed_on(kb, "vera", question)
        assert "Ticket" in said or "ticket" in said, said
    sixth = await kb.send("vera", NOT_IN_THE_KB[5])
    assert "offene Fragen" not in sixth.text or "weitergeben" in sixth.text, sixth.text
    assert "schon 5 offene Fragen" not in sixth.text, sixth.text
    # the bot asks before it passes more on by itself, and a yes passes it on
    assert any(p.startswith("faq:ho:") for p in sixth.buttons), sixth.text
    yes = await kb.send("vera", "ja")
    assert "#6" in yes.text, yes.text
    assert len(await rows(kb, FaqTicket)) == 6


async def test_five_the_member_asked_for_are_the_limit(kb: Harness) -> None:
    await kb.send("vera", "Hallo")
    member = await kb.member("vera")
    assert member is not None
    async with kb.db.session() as session:
        for number in range(5):
            await faq.open_ticket(
                session, member_id=member.id, text=f"Frage Nummer {number}", lang="de", asked=True
            )
    # the bot still hands a question on by itself: the member asked five, the bot none
    own = await passed_on(kb, "vera", NOT_IN_THE_KB[0])
    assert "#6" in own, own
    # and a question the member asks the office for themselves is the sixth they asked
    offered = await kb.send("vera", "Kann ich meine Tochter zum Vortrag mitnehmen?")
    office = next(p for p in offered.buttons if p.startswith("faq:ho:"))
    refused = await kb.press("vera", office)
    assert "schon 5 offene Fragen" in refused.text, refused.text
    assert len(await rows(kb, FaqTicket)) == 6


async def test_the_bot_hands_on_at_most_five_by_itself(kb: Harness) -> None:
    await kb.send("vera", "Hallo")
    member = await kb.member("vera")
    assert member is not None
    async with kb.db.session() as session:
        for number in range(5):
            await faq.open_ticket(session, member_id=member.id, text=f"Frage {number}", lang="de")
    asked = await kb.send("vera", NOT_IN_THE_KB[6], lang="en")
    assert "Shall I pass" in asked.text or "shall I pass" in asked.text, asked.text
    assert "5 open questions" not in asked.text, asked.text
    assert len(await rows(kb, FaqTicket)) == 5
    no = await kb.send("vera", "no")
    assert "#6" not in no.text
    assert len(await rows(kb, FaqTicket)) == 5


async def test_with_both_limits_full_the_bot_offers_no_yes_it_would_refuse(kb: Harness) -> None:
    await full(kb, "vera")  # five asked for, five the bot handed on by itself
    # asking "shall I pass it on?" had offered a yes that was then refused
    said = await kb.send("vera", NOT_IN_THE_KB[5])
    assert "Soll ich" not in said.text, said.text
    assert "offene Fragen" in said.text, said.text
    assert not any(p.startswith("faq:ho:") for p in said.buttons), said.buttons
    assert len(await rows(kb, FaqTicket)) == 10
