"""A typed "ja"/"yes" to the sign-up offer an event question gets ("Ich würde gern zum
Forum kommen") signs the member up, as its button does; a "nein"/"no" signs nobody up and
says so."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of, places_of

__all__ = ["demo"]


@pytest.mark.parametrize(
    ("user", "wish", "yes"),
    [
        ("de", "Ich möchte gern am Forum teilnehmen", "ja"),
        ("de", "Wie kann ich mich für das Forum anmelden", "ja gerne"),
        ("en", "I would like to attend the forum", "yes please"),
    ],
)
async def test_typed_yes_to_the_signup_offer_signs_up(
    demo: Harness, user: str, wish: str, yes: str
) -> None:
    number = await number_of(demo, "forum")
    offer = await demo.send(user, wish)
    assert f"{'anmelden' if user == 'de' else 'join'} {number}" in offer.text, offer.text
    said = await demo.send(user, yes)
    assert await places_of(demo, user) == [number], said.text
    assert "Alles klar" not in said.text and "All right" not in said.text


@pytest.mark.parametrize(
    ("user", "wish", "no", "told"),
    [
        ("de", "Ich möchte gern am Forum teilnehmen", "nein", "Gut, ich melde Sie nicht"),
        ("en", "I would like to attend the forum", "no", "I will not sign you up"),
    ],
)
async def test_typed_no_to_the_signup_offer_signs_nobody_up(
    demo: Harness, user: str, wish: str, no: str, told: str
) -> None:
    await demo.send(user, wish)
    said = await demo.send(user, no)
    assert told in said.text, said.text
    assert await places_of(demo, user) == []


@pytest.mark.parametrize(
    ("user", "command", "yes"), [("de", "/termin", "ja"), ("en", "/event", "yes")]
)
async def test_typed_yes_under_event_details_signs_up(
    demo: Harness, user: str, command: str, yes: str
) -> None:
    """The details end with "Anmelden": a "ja" typed under them had been small talk ("👍
    Alles klar"), which reads as if the member were signed up."""
    number = await number_of(demo, "forum")
    await demo.send(user, f"{command} {number}")
    said = await demo.send(user, yes)
    assert await places_of(demo, user) == [number], said.text
    assert "✅" in said.text


async def test_typed_no_under_event_details_signs_nobody_up(demo: Harness) -> None:
    number = await number_of(demo, "forum")
    await demo.send("de", f"/termin {number}")
    said = await demo.send("de", "nein")
    assert "Gut, ich melde Sie nicht" in said.text, said.text
    assert await places_of(demo, "de") == []


async def test_typed_yes_under_own_event_details_cancels_nothing(demo: Harness) -> None:
    """Signed up already, the details ask nothing: "ja" neither cancels nor signs up again."""
    number = await number_of(demo, "forum")
    await demo.send("de", f"/anmelden {number}")
    await demo.send("de", f"/termin {number}")
    await demo.send("de", "ja")
    assert await places_of(demo, "de") == [number]
