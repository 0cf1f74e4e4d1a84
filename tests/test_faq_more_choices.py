"""A typed "mehr"/"more"/"weitere" under the FAQ's choices ("Meinten Sie eines dieser
Themen?") shows further topics where the question has any, else says there are no more and
asks whether the question goes to the office (it had been taken for a greeting: "Hallo!
Stellen Sie mir Ihre Frage …")."""

from __future__ import annotations

import pytest

from bot.messages import plain_text
from tests.harness import Chat, Harness
from tests.test_event_withdraw_words import demo
from tests.test_faq_typed_no import tickets

__all__ = ["demo"]

FURTHER = {"de": "Weitere Themen, die passen könnten:", "en": "Further topics that might fit:"}
NO_MORE = {
    "de": "Weitere Themen habe ich dazu nicht. Keins davon? Soll ich Ihre Frage an die "
    "Clustergeschäftsstelle weitergeben?",
    "en": "I have no further topics on it. None of them? Shall I pass your question on to "
    "the cluster office?",
}
GREETING = {"de": "Hallo!", "en": "Hello!"}


def topics(chat: Chat) -> list[str]:
    """The topics offered (without the way to the office)."""
    labels = [plain_text(b.label) for r in chat.replies for row in r.buttons for b in row]
    return [label for label in labels if "Geschäftsstelle" not in label and "office" not in label]


@pytest.mark.parametrize(
    ("user", "question", "more"),
    [("de", "Wie melde ich mich an?", "mehr"), ("en", "How do I sign up?", "more")],
)
async def test_more_shows_further_topics(
    demo: Harness, user: str, question: str, more: str
) -> None:
    choices = await demo.send(user, question)
    assert len(choices.buttons) >= 3, choices.text
    further = await demo.send(user, more)
    assert GREETING[user] not in further.text, further.text
    assert FURTHER[user] in further.text, further.text
    assert topics(further) and not set(topics(further)) & set(topics(choices))
    # a further topic answers as the first ones do, and the first ones still do
    answered = await demo.press(user, further.buttons[0])
    assert topics(further)[0] in answered.text, answered.text
    earlier = await demo.press(user, choices.buttons[0])
    assert topics(choices)[0] in earlier.text, earlier.text


@pytest.mark.parametrize(
    ("user", "question", "more", "yes"),
    [
        ("de", "Was kostet das?", "weitere", "ja"),
        ("de", "Wie melde ich mich an?", "noch mehr bitte", "ja"),
        ("en", "What does it cost?", "more please", "yes"),
        ("en", "How do I sign up?", "show more", "yes"),
    ],
)
async def test_more_ends_on_the_office_question(
    demo: Harness, user: str, question: str, more: str, yes: str
) -> None:
    choices = await demo.send(user, question)
    assert len(choices.buttons) >= 3, choices.text
    seen = set(topics(choices))
    for _ in range(5):
        said = await demo.send(user, more)
        if NO_MORE[user] in said.text:
            break
        assert FURTHER[user] in said.text, said.text
        assert not set(topics(said)) & seen, said.text
        seen |= set(topics(said))
    else:
        raise AssertionError(f"never said there are no more: {said.text!r}")
    assert await tickets(demo) == 0
    await demo.send(user, yes)
    assert await tickets(demo) == 1


async def test_more_elsewhere_is_no_press(demo: Harness) -> None:
    """Under an answer (👍/👎) there are no choices to widen: nothing is passed on."""
    await demo.send("de", "Wie hoch ist der Mitgliedsbeitrag?")
    said = await demo.send("de", "mehr")
    assert FURTHER["de"] not in said.text and NO_MORE["de"] not in said.text, said.text
    assert await tickets(demo) == 0
