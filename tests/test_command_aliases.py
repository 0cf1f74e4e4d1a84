"""The English names members type by nature answer too: /mydates and /mysignups as /myevents
(/meinetermine); they had got "I do not know the command". /signup and /register sign up as
/join (/anmelden): /signup 2 had been offered /mysignups 2 instead. /help still names each command
once, the aliases only in its own usage ("/help myevents"). /unsubscribe is no alias: most
members mean the news by it, others a sign-up."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of

__all__ = ["demo"]

UNKNOWN = ("kenne ich nicht", "do not know the command")


@pytest.mark.parametrize("user", ["de", "en"])
async def test_mydates_lists_ones_own_sign_ups(demo: Harness, user: str) -> None:
    number = await number_of(demo, "symposium")
    await demo.send(user, f"/join {number}")
    said = await demo.send(user, "/mydates")
    assert not any(word in said.text for word in UNKNOWN), said.text
    assert "Your sign-ups" in said.text or "Ihre Anmeldungen" in said.text, said.text
    assert "Symposium" in said.text


@pytest.mark.parametrize(
    ("user", "help_mine"), [("de", "/hilfe meinetermine"), ("en", "/help myevents")]
)
async def test_help_names_each_command_once(demo: Harness, user: str, help_mine: str) -> None:
    listed = (await demo.send(user, "/help")).text
    assert "/mydates" not in listed and "/mysignups" not in listed, listed
    mine = "/meinetermine" if user == "de" else "/myevents"
    assert listed.count(mine) == 1, listed
    assert "/mydates" in (await demo.send(user, help_mine)).text


@pytest.mark.parametrize("typed", ["/signup", "/register"])
async def test_signup_signs_up(demo: Harness, typed: str) -> None:
    number = await number_of(demo, "symposium")
    said = await demo.send("en", f"{typed} {number}")
    assert "mysignups" not in said.text and not any(w in said.text for w in UNKNOWN), said.text
    mine = await demo.send("en", "/myevents")
    assert "Symposium" in mine.text, mine.text
