"""With no event in the calendar, a question for the next one is what the network's own
knowledge base says of its meetings (a network that keeps its regular meeting as an entry,
"jeden ersten Donnerstag im Quartal", had got "Zurzeit sind keine Veranstaltungen geplant."
for its entry's own phrasing, and its member never learned when they meet), else that none
is planned. Walkthrough of an operator of another network, session 48."""

from __future__ import annotations

import pytest

from tests.harness import Harness

KB = """
[[faq]]
id = "next-meeting"
tags = ["Treffen", "meeting"]
question.de = ["Wann ist das nächste Netzwerktreffen?", "Wann trifft sich der Textilkreis wieder?"]
question.en = ["When is the next network meeting?", "When does the Textilkreis meet again?"]
answer.de = "Das Netzwerktreffen ist jeden ersten Donnerstag im Quartal um 16 Uhr in Chemnitz."
answer.en = "The network meeting is on the first Thursday of each quarter at 4 pm in Chemnitz."

[[faq]]
id = "fee"
tags = ["Beitrag", "fee"]
question.de = ["Was kostet die Mitgliedschaft?"]
question.en = ["How much is the membership?"]
answer.de = "Der Beitrag richtet sich nach der Größe der Organisation."
answer.en = "The fee depends on the size of the organisation."
"""


@pytest.fixture
async def network(bot: Harness) -> Harness:
    await bot.import_kb(KB)
    return bot


@pytest.mark.parametrize(
    ("lang", "asked", "said"),
    [
        ("de", "wann is das nächste netzwerktreffen", "jeden ersten Donnerstag im Quartal"),
        ("en", "when is the next network meeting?", "first Thursday of each quarter"),
    ],
)
async def test_the_knowledge_bases_meeting_is_the_answer_with_no_event_planned(
    network: Harness, lang: str, asked: str, said: str
) -> None:
    reply = await network.send(lang, asked, lang=lang)
    assert said in reply.text, reply.text
    assert "keine Veranstaltungen geplant" not in reply.text, reply.text


async def test_no_entry_on_it_says_none_is_planned(network: Harness) -> None:
    reply = await network.send("de", "gibt es demnächst Veranstaltungen?", lang="de")
    assert "Zurzeit sind keine Veranstaltungen geplant." in reply.text, reply.text


async def test_the_next_meeting_after_asking_for_events_is_read_alone(network: Harness) -> None:
    """ "das nächste Netzwerktreffen" is an article and its noun, no "das" pointing back:
    the question had been read with the one before and passed to the office."""
    await network.send("de", "gibt es demnächst Veranstaltungen?", lang="de")
    reply = await network.send("de", "Wann ist das nächste Netzwerktreffen?")
    assert "jeden ersten Donnerstag im Quartal" in reply.text, reply.text
    assert "Ticket" not in reply.text


async def test_a_german_question_after_an_english_one_is_answered_in_german(
    network: Harness,
) -> None:
    """ "gibt es" frames a question and is left out of the matching, but it says the
    language: the answer had been English, the language of the message before."""
    await network.send("guest", "when's the next meetup", lang="en")
    reply = await network.send("guest", "gibt es demnächst Veranstaltungen?")
    assert "Zurzeit sind keine Veranstaltungen geplant." in reply.text, reply.text
