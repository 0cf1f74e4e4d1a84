"""A typed "ja"/"yes"/"ok" under several choices (the FAQ's "Meinten Sie …?", the list of
events after /termin, a broadcast with Anmelden and Details) is asked which one is meant, with
the buttons shown again: it had been small talk, "👍 Alles klar", and nothing happened, so the
member thought it had worked. Where one button answers a yes, it still presses it."""

from __future__ import annotations

import pytest

from bot.delivery_worker import DeliveryWorker
from bot.messages import Platform, plain_text
from tests.harness import Chat, Harness
from tests.recording_transport import RecordingTransport
from tests.test_broadcast import FAST
from tests.test_event_withdraw_words import demo, number_of, places_of

__all__ = ["demo"]

VAGUE = {"de": "Was kostet das?", "en": "What does it cost?"}
WHICH = {
    "de": "Welches davon meinen Sie? Bitte tippen Sie auf einen dieser Knöpfe.",
    "en": "Which one do you mean? Please tap one of these buttons.",
}
ACK = {"de": "Alles klar", "en": "All right"}


def labels(chat: Chat) -> list[str]:
    return [plain_text(b.label) for r in chat.replies for row in r.buttons for b in row]


@pytest.mark.parametrize(("user", "yes"), [("de", "ja"), ("en", "yes"), ("de", "ok")])
async def test_yes_under_the_faq_choices_asks_which(demo: Harness, user: str, yes: str) -> None:
    choices = await demo.send(user, VAGUE[user])
    assert len(choices.buttons) >= 3, choices.text
    said = await demo.send(user, yes)
    assert WHICH[user] in said.text, said.text
    assert ACK[user] not in said.text
    assert labels(said) == labels(choices)
    # the buttons shown again press what the first ones did: a topic's answer
    again = await demo.press(user, said.buttons[0])
    assert again.text and "👍" in " ".join(labels(again)), again.text
    # and a typed "nein" under them still asks about the office, as before
    await demo.send(user, VAGUE[user])
    await demo.send(user, yes)
    no = await demo.send(user, "nein" if user == "de" else "no")
    assert "weitergeben?" in no.text or "cluster office?" in no.text, no.text


@pytest.mark.parametrize(
    ("user", "question", "topic"),
    [
        # (not "Ich möchte aus dem Verein austreten": answered directly since session 29)
        ("de", "Wer organisiert die Exkursionen", "Mehrmals im Jahr besuchen Mitglieder"),
        ("en", "I want to leave the association", "You can leave by writing"),
    ],
)
async def test_yes_under_one_topic_picks_it(
    demo: Harness, user: str, question: str, topic: str
) -> None:
    """One topic and "Nichts davon": a "ja" means the topic, as tapping it does."""
    choices = await demo.send(user, question)
    assert len([p for p in choices.buttons if p.startswith("faq:c:")]) == 1, choices.text
    said = await demo.send(user, "ja" if user == "de" else "yes")
    assert topic in said.text and WHICH[user] not in said.text, said.text
    assert "👍" in " ".join(labels(said))


@pytest.mark.parametrize(("user", "yes"), [("de", "ja"), ("en", "ok")])
async def test_yes_under_the_event_list_asks_which(demo: Harness, user: str, yes: str) -> None:
    listed = await demo.send(user, "/termin" if user == "de" else "/event")
    assert len(listed.buttons) >= 2, listed.text
    said = await demo.send(user, yes)
    assert WHICH[user] in said.text, said.text
    assert said.buttons == listed.buttons
    assert await places_of(demo, user) == []


@pytest.mark.parametrize(("user", "yes"), [("de", "ja"), ("en", "yes")])
async def test_yes_under_a_broadcast_with_sign_up_and_details_asks_which(
    demo: Harness, user: str, yes: str
) -> None:
    await demo.send("admin", "/rundschreiben")
    asked = await demo.send("admin", "Noch Plätze frei beim Symposium – jetzt anmelden!")
    audience = await demo.press("admin", asked.button("Ohne Bild"))
    preview = await demo.press("admin", audience.button("Alle"))
    await demo.press("admin", preview.button("Senden"))
    shown = demo.app.dispatcher.shown
    console = RecordingTransport(platform=Platform.CONSOLE)
    worker = DeliveryWorker(demo.db, {"console": console}, settings=FAST, choices=shown)
    await worker.drain(10)
    said = await demo.send(user, yes)
    assert WHICH[user] in said.text, said.text
    assert labels(said) == (["Anmelden", "Details"] if user == "de" else ["Sign up", "Details"])
    assert await places_of(demo, user) == []
    await demo.press(user, said.buttons[0])
    assert await places_of(demo, user) == [await number_of(demo, "symposium")]


@pytest.mark.parametrize(("user", "yes"), [("de", "ja"), ("en", "yes")])
async def test_yes_under_one_events_details_still_signs_up(
    demo: Harness, user: str, yes: str
) -> None:
    number = await number_of(demo, "symposium")
    await demo.send(user, f"/termin {number}")
    said = await demo.send(user, yes)
    assert WHICH[user] not in said.text
    assert await places_of(demo, user) == [number]


@pytest.mark.parametrize(("user", "ok"), [("de", "ok"), ("en", "ok")])
async def test_ok_under_an_answer_is_still_understood(demo: Harness, user: str, ok: str) -> None:
    question = {"de": "Wie hoch ist der Mitgliedsbeitrag?", "en": "How much is the fee?"}
    answered = await demo.send(user, question[user])
    assert any("👍" in label for label in labels(answered)), answered.text
    said = await demo.send(user, ok)
    assert WHICH[user] not in said.text, said.text
