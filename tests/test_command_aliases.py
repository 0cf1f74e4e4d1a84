"""The English names members type by nature answer too: /unsubscribe as /leave (/abmelden),
/mydates as /myevents (/meinetermine); they had got "I do not know the command". /help still
names each command once, the aliases only in its own usage ("/help leave")."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of, places_of

__all__ = ["demo"]

UNKNOWN = ("kenne ich nicht", "do not know the command")
LEAVE_WHICH = {
    "de": "Von welcher Veranstaltung möchten Sie sich abmelden?",
    "en": "Which event do you want to cancel your sign-up for?",
}


@pytest.mark.parametrize("user", ["de", "en"])
async def test_unsubscribe_offers_ones_own_sign_ups_to_cancel(demo: Harness, user: str) -> None:
    number = await number_of(demo, "symposium")
    await demo.send(user, f"/join {number}")
    assert await places_of(demo, user) == [number]
    said = await demo.send(user, "/unsubscribe")
    assert not any(word in said.text for word in UNKNOWN), said.text
    assert any(text in said.text for text in LEAVE_WHICH.values()), said.text
    await demo.press(user, said.button(f"#{number}"))
    assert await places_of(demo, user) == []


@pytest.mark.parametrize("user", ["de", "en"])
async def test_unsubscribe_with_a_number_cancels_that_sign_up(demo: Harness, user: str) -> None:
    number = await number_of(demo, "symposium")
    await demo.send(user, f"/anmelden {number}")
    said = await demo.send(user, f"/unsubscribe {number}")
    assert not any(word in said.text for word in UNKNOWN), said.text
    assert await places_of(demo, user) == []


@pytest.mark.parametrize("user", ["de", "en"])
async def test_mydates_lists_ones_own_sign_ups(demo: Harness, user: str) -> None:
    number = await number_of(demo, "symposium")
    await demo.send(user, f"/join {number}")
    said = await demo.send(user, "/mydates")
    assert not any(word in said.text for word in UNKNOWN), said.text
    assert "Your sign-ups" in said.text or "Ihre Anmeldungen" in said.text, said.text
    assert "Symposium" in said.text


@pytest.mark.parametrize(
    ("user", "help_leave", "help_mine"),
    [
        ("de", "/hilfe abmelden", "/hilfe meinetermine"),
        ("en", "/help leave", "/help myevents"),
    ],
)
async def test_help_names_each_command_once(
    demo: Harness, user: str, help_leave: str, help_mine: str
) -> None:
    listed = (await demo.send(user, "/help")).text
    assert "/unsubscribe" not in listed and "/mydates" not in listed, listed
    leave = "/abmelden" if user == "de" else "/leave"
    mine = "/meinetermine" if user == "de" else "/myevents"
    assert listed.count(leave) == 1 and listed.count(mine) == 1, listed
    assert "/unsubscribe" in (await demo.send(user, help_leave)).text
    assert "/mydates" in (await demo.send(user, help_mine)).text
