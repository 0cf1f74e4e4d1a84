"""A typed "nein" under the FAQ's choices ("Meinten Sie eines dieser Themen?") means none of
them: the member is asked whether the question goes to the office, and a typed "ja" or
"nein" answers that as its buttons do (it had been small talk, "👍 Alles klar", and the
question went nowhere)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.faq import FaqTicket
from tests.harness import Harness
from tests.test_event_withdraw_words import demo

__all__ = ["demo"]

VAGUE = {"de": "Was kostet das?", "en": "What does it cost?"}


async def tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int((await session.execute(select(func.count(FaqTicket.id)))).scalar_one())


@pytest.mark.parametrize(
    ("user", "no", "yes", "asked"),
    [
        ("de", "nein", "ja", "Soll ich Ihre Frage an die Clustergeschäftsstelle weitergeben?"),
        ("en", "no", "yes please", "Shall I pass your question on to the cluster office?"),
    ],
)
async def test_no_under_the_choices_asks_about_the_office(
    demo: Harness, user: str, no: str, yes: str, asked: str
) -> None:
    choices = await demo.send(user, VAGUE[user])
    assert len(choices.buttons) >= 3, choices.text
    said = await demo.send(user, no)
    assert asked in said.text, said.text
    await demo.send(user, yes)
    assert await tickets(demo) == 1


async def test_no_twice_passes_nothing_on(demo: Harness) -> None:
    await demo.send("de", VAGUE["de"])
    await demo.send("de", "nein")
    said = await demo.send("de", "nein danke")
    assert "Alles klar" not in said.text, said.text
    assert await tickets(demo) == 0


@pytest.mark.parametrize(
    ("user", "correction", "question"),
    [
        ("de", "nee ich mein {q}", "wann ist das nächste Symposium"),
        ("de", "nein, ich meinte: {q}", "wie hoch ist der Mitgliedsbeitrag"),
        ("de", "ne, ich meine eigentlich {q}", "welche Exkursionen gibt es"),
        ("en", "no, I mean {q}", "when is the next symposium"),
        ("en", "nope, what I meant was {q}", "how much is the membership fee"),
        ("en", "no sorry i meant {q}?", "which excursions are there"),
    ],
)
async def test_no_i_mean_under_the_choices_is_the_new_question(
    demo: Harness, user: str, correction: str, question: str
) -> None:
    """ "nein, ich meine …" / "no, I mean …" with a question after it under the FAQ's
    choices is that question, answered as it is asked alone: not "none of these" with the
    question said to be dropped."""
    await demo.send(user, VAGUE[user])
    said = await demo.send(user, correction.format(q=question))
    dropped = "nicht weitergegeben" if user == "de" else "not passed on"
    assert dropped not in said.text, said.text
    office = "Clustergeschäftsstelle weitergeben?" if user == "de" else "to the cluster office?"
    assert office not in said.text, said.text
    alone = await demo.send(user, question)
    assert said.text == alone.text, (said.text, alone.text)
    assert await tickets(demo) == 0


async def test_no_with_more_that_asks_nothing_is_still_none_of_these(demo: Harness) -> None:
    """ "nein, ich meine etwas anderes" asks no new question: none of these, as before."""
    await demo.send("de", VAGUE["de"])
    said = await demo.send("de", "nein, ich meine etwas anderes")
    assert "Clustergeschäftsstelle weitergeben?" in said.text, said.text
