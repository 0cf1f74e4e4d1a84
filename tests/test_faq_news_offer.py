"""An FAQ answer that tells the member to type /news (how to get or stop the news) carries a
button that does it: a member asking how to stop the news expects it done, not explained.
Which entry is about that is told by what its answer says to type, never by its id; an entry
about some other newsletter (sent by e-mail, with its own unsubscribe link) has no button."""

from __future__ import annotations

import pytest

from tests.harness import Chat, Harness

# An invented network: its chat updates (/news), its e-mail newsletter, and membership.
KB = """
[[faq]]
id = "aktuelles"
tags = ["Aktuelles", "updates"]
question.de = [
    "Wie erhalte ich die Mitteilungen des Verbunds?",
    "Wie bestelle ich die Mitteilungen ab?",
]
question.en = ["How do I get the network's updates?", "How do I stop the updates?"]
answer.de = "Mitteilungen kommen hier im Chat: /news ja bestellt sie, /news nein bestellt sie ab."
answer.en = "Updates arrive here in the chat: /news yes orders them, /news no stops them."

[[faq]]
id = "rundmail"
tags = ["Rundmail", "newsletter"]
question.de = ["Wie bestelle ich die Rundmail per E-Mail ab?"]
question.en = ["How do I unsubscribe from the e-mail newsletter?"]
answer.de = "Jede Rundmail hat unten einen Abmeldelink."
answer.en = "Every newsletter has an unsubscribe link at its end."

[[faq]]
id = "hilfe"
tags = ["Hilfe", "help"]
question.de = ["Was kann der Bot alles?"]
question.en = ["What can the bot do?"]
answer.de = "Er meldet Sie an (/events), sucht Partner (/partner) und stellt mit /news Neues zu."
answer.en = "It signs you up (/events), finds partners (/partner) and with /news brings news."

[[faq]]
id = "beitritt"
tags = ["Mitgliedschaft", "membership"]
question.de = ["Wie wird meine Firma Mitglied im Verbund?"]
question.en = ["How does my company join the network?"]
answer.de = "Die Geschäftsstelle schickt Ihnen den Aufnahmeantrag."
answer.en = "The office sends you the application form."
"""

STOP_DE, STOP_EN = "Nachrichten abbestellen", "Stop the news"
RESUME_DE, RESUME_EN = "Nachrichten wieder erhalten", "Receive the news again"


@pytest.fixture
async def network(bot: Harness) -> Harness:
    """The knowledge base; "mara" speaks German, "tom" English, both receive the news."""
    await bot.import_kb(KB)
    await bot.onboard("mara", lang="de")
    await bot.onboard("tom", lang="en")
    return bot


def labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.replies for row in r.buttons for b in row]


async def subscribed(bot: Harness, user: str) -> bool:
    member = await bot.member(user)
    assert member is not None
    return member.news_subscribed


async def test_the_answer_on_stopping_the_news_stops_them_at_a_press(network: Harness) -> None:
    answer = await network.send("mara", "Wie bestelle ich die Mitteilungen ab?")
    assert "/neuigkeiten nein bestellt sie ab" in answer.text, answer.text
    assert RESUME_DE not in labels(answer)
    done = await network.press("mara", answer.button(STOP_DE))
    assert "Sie erhalten keine Neuigkeiten mehr" in done.text, done.text
    assert not await subscribed(network, "mara")
    # pressed again (an older message): the same, nothing toggled back
    again = await network.press("mara", answer.button(STOP_DE))
    assert "Sie erhalten keine Neuigkeiten mehr" in again.text, again.text
    assert not await subscribed(network, "mara")

    # stopped already: the same answer offers them back instead
    later = await network.send("mara", "Wie bestelle ich die Mitteilungen ab?")
    assert STOP_DE not in labels(later)
    back = await network.press("mara", later.button(RESUME_DE))
    assert "Sie erhalten wieder Neuigkeiten" in back.text, back.text
    assert await subscribed(network, "mara")


async def test_in_english_the_button_and_its_confirmation_are_english(network: Harness) -> None:
    answer = await network.send("tom", "How do I stop the updates?")
    assert "/news no stops them" in answer.text, answer.text
    done = await network.press("tom", answer.button(STOP_EN))
    assert "you will receive no more news" in done.text, done.text
    assert not await subscribed(network, "tom")
    later = await network.send("tom", "How do I get the network's updates?")
    back = await network.press("tom", later.button(RESUME_EN))
    assert "you will receive news and invitations here in the chat again" in back.text, back.text
    assert await subscribed(network, "tom")


async def test_an_answer_not_naming_the_command_has_no_such_button(network: Harness) -> None:
    newsletter = await network.send("mara", "Wie bestelle ich die Rundmail per E-Mail ab?")
    assert "Abmeldelink" in newsletter.text, newsletter.text
    membership = await network.send("tom", "How does my company join the network?")
    assert "application form" in membership.text, membership.text
    # an overview of the commands names /news among others: it is about none of them
    overview = await network.send("tom", "What can the bot do?")
    assert "with /news brings news" in overview.text, overview.text
    for chat in (newsletter, membership, overview):
        shown = labels(chat)
        assert not {STOP_DE, STOP_EN, RESUME_DE, RESUME_EN} & set(shown), shown


@pytest.mark.parametrize(
    ("user", "asked", "typed", "done"),
    [
        ("mara", "Wie bestelle ich die Mitteilungen ab?", "abbestellen", "keine Neuigkeiten mehr"),
        ("mara", "Wie erhalte ich die Mitteilungen des Verbunds?", "keine news mehr", "keine Neu"),
        ("mara", "Wie bestelle ich die Mitteilungen ab?", "bitte abbestellen", "keine Neuigk"),
        ("tom", "How do I stop the updates?", "unsubscribe", "no more news"),
        ("tom", "How do I stop the updates?", "no more news please", "no more news"),
    ],
)
async def test_typed_under_the_answer_does_what_its_button_offers(
    network: Harness, user: str, asked: str, typed: str, done: str
) -> None:
    """Typed under the answer with the button ("abbestellen", "unsubscribe"): the news stop,
    as at a press; the FAQ's choices had come again."""
    answer = await network.send(user, asked)
    assert STOP_DE in labels(answer) or STOP_EN in labels(answer), labels(answer)
    said = await network.send(user, typed)
    assert done in said.text, said.text
    assert not await subscribed(network, user)


async def test_typed_resume_under_the_answer_gets_them_back(network: Harness) -> None:
    await network.send("mara", "/news nein")
    answer = await network.send("mara", "Wie erhalte ich die Mitteilungen des Verbunds?")
    assert RESUME_DE in labels(answer), labels(answer)
    said = await network.send("mara", "wieder bestellen")
    assert "Sie erhalten wieder Neuigkeiten" in said.text, said.text
    assert await subscribed(network, "mara")


@pytest.mark.parametrize(
    ("user", "before", "typed"),
    [
        ("mara", None, "abbestellen"),  # nothing offered: the FAQ's, as before
        ("tom", None, "unsubscribe"),
        ("mara", "Wie bestelle ich die Rundmail per E-Mail ab?", "abbestellen"),  # no button
        ("mara", "Wie bestelle ich die Mitteilungen ab?", "Wie bestelle ich ab?"),  # a question
    ],
)
async def test_typed_without_the_button_stops_nothing(
    network: Harness, user: str, before: str | None, typed: str
) -> None:
    if before is not None:
        await network.send(user, before)
    said = await network.send(user, typed)
    assert "keine Neuigkeiten mehr" not in said.text and "no more news" not in said.text
    assert await subscribed(network, user)


async def test_typed_under_choices_with_the_button_is_no_none_of_these(bot: Harness) -> None:
    """Under the FAQ's choices that carry the button, "no more news" stops the news: it is not
    "none of these" (a typed no), which would ask whether the office should have it."""
    await bot.import_kb(KB)
    await bot.onboard("tom", lang="en")
    choices = await bot.send("tom", "unsubscribe")
    if STOP_EN not in labels(choices) and STOP_DE not in labels(choices):
        choices = await bot.send("tom", "How do I stop the updates?")
    assert STOP_EN in labels(choices) or STOP_DE in labels(choices), labels(choices)
    said = await bot.send("tom", "no more news")
    assert "no more news" in said.text or "keine Neuigkeiten mehr" in said.text, said.text
    assert not await subscribed(bot, "tom")


async def test_whether_one_gets_the_news_asked_under_the_answer_says_so(network: Harness) -> None:
    # "bin ich da schon angemeldet?" under the answer on the news had listed the member's
    # event sign-ups; the button above still works after it
    await network.send("mara", "Wie erhalte ich die Mitteilungen des Verbunds?")
    status = await network.send("mara", "bin ich da schon angemeldet?")
    assert status.text.startswith("Ja: Sie erhalten die Neuigkeiten"), status.text
    stopped = await network.send("mara", "abbestellen")
    assert "Sie erhalten keine Neuigkeiten mehr" in stopped.text, stopped.text
    await network.send("tom", "How do I get the network's updates?")
    english = await network.send("tom", "am I subscribed?")
    assert english.text.startswith("Yes: you receive the news"), english.text
    # the same question with no such answer above it is about events
    await network.send("tom", "What can the bot do?")
    events = await network.send("tom", "am I subscribed?")
    assert not events.text.startswith("Yes: you receive"), events.text


@pytest.mark.parametrize(
    ("user", "typed", "done"),
    [
        ("mara", "keine News mehr bitte", "Erledigt: Sie erhalten keine Neuigkeiten mehr"),
        ("mara", "Neuigkeiten abbestellen", "Erledigt: Sie erhalten keine Neuigkeiten mehr"),
        ("tom", "no more updates please", "no more news"),
        ("tom", "stop sending me news pls", "no more news"),
    ],
)
async def test_stopping_the_news_said_on_its_own_stops_them(
    network: Harness, user: str, typed: str, done: str
) -> None:
    """Walkthrough 2026-12-07: "keine news mehr bitte" had got the FAQ's answer with the
    button, and the member thought it done. Named so, the chat's own news stop at once; said
    again, the member is told they are stopped already."""
    said = await network.send(user, typed)
    assert done in said.text, said.text
    assert not await subscribed(network, user)
    again = await network.send(user, typed)
    assert "schon keine Neuigkeiten" in again.text or "already get no news" in again.text
    assert not await subscribed(network, user)
