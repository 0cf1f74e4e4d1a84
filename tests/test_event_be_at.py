"""Saying one will be at an event ("I'll be at the forum", "ich bin beim Forum dabei") is
offered that event's sign-up, as "ich komme zum Forum" is; being at some other place ("I'll
be at the office tomorrow") or asking where the event will be is not a sign-up."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of, places_of

__all__ = ["demo"]

OFFER = {"de": "Anmelden für", "en": "To sign up for"}


@pytest.mark.parametrize(
    ("user", "said", "kind"),
    [
        ("en", "ill be at the forum", "forum"),
        ("en", "I'll be at the symposium", "symposium"),
        ("en", "we'll be at the forum!", "forum"),
        ("de", "ich bin beim Forum dabei", "forum"),
        ("de", "wir sind beim symposium dabei", "symposium"),
    ],
)
async def test_being_at_an_event_offers_its_sign_up(
    demo: Harness, user: str, said: str, kind: str
) -> None:
    number = await number_of(demo, kind)
    offer = await demo.send(user, said)
    assert OFFER[user] in offer.text, offer.text
    assert offer.button("Anmelden" if user == "de" else "Sign up") == f"ev:join:{number}"
    assert await places_of(demo, user) == []  # offered, not done: a tap or "yes" signs up
    await demo.send(user, "yes" if user == "en" else "ja")
    assert await places_of(demo, user) == [number]


@pytest.mark.parametrize("said", ["I'll be at the office tomorrow", "where will the forum be?"])
async def test_being_elsewhere_or_asking_where_is_no_sign_up(demo: Harness, said: str) -> None:
    answer = await demo.send("en", said)
    assert OFFER["en"] not in answer.text, answer.text
    assert await places_of(demo, "en") == []
