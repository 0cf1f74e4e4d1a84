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


@pytest.mark.parametrize(
    ("user", "yes"),
    [
        *[("en", w) for w in ("ya", "yep", "yup", "sure", "yeah", "ok sure", "yup thanks")],
        *[("de", w) for w in ("jo", "jap", "jep", "jup", "klar", "gerne", "klar, gerne")],
    ],
)
async def test_everyday_yes_words_sign_up(demo: Harness, user: str, yes: str) -> None:
    number = await number_of(demo, "forum")
    await demo.send(
        user,
        "I would like to attend the forum"
        if user == "en"
        else "Ich möchte gern am Forum teilnehmen",
    )
    said = await demo.send(user, yes)
    assert await places_of(demo, user) == [number], said.text
    assert "✅" in said.text, said.text


@pytest.mark.parametrize(
    ("user", "no", "told"),
    [
        ("en", "nope", "I will not sign you up"),
        ("en", "nah", "I will not sign you up"),
        ("en", "nah thanks", "I will not sign you up"),
        ("de", "nö", "Gut, ich melde Sie nicht"),
        ("de", "ne danke", "Gut, ich melde Sie nicht"),
        ("de", "ne", "Gut, ich melde Sie nicht"),
    ],
)
async def test_everyday_no_words_sign_nobody_up(
    demo: Harness, user: str, no: str, told: str
) -> None:
    await demo.send(
        user,
        "I would like to attend the forum"
        if user == "en"
        else "Ich möchte gern am Forum teilnehmen",
    )
    said = await demo.send(user, no)
    assert told in said.text, said.text
    assert await places_of(demo, user) == []


@pytest.mark.parametrize(("user", "yes"), [("de", "klar"), ("de", "jap"), ("en", "yup")])
async def test_a_yes_with_no_question_pending_signs_nobody_up(
    demo: Harness, user: str, yes: str
) -> None:
    """Nothing asked: "klar" is no sign-up, not even after the list of events (which one is
    asked) or a sign-up offer answered already."""
    said = await demo.send(user, yes)
    assert "✅" not in said.text, said.text
    await demo.send(user, "/termine" if user == "de" else "/events")
    said = await demo.send(user, yes)
    assert "✅" not in said.text, said.text
    assert await places_of(demo, user) == []


async def test_ne_starting_a_sentence_is_no_no(demo: Harness) -> None:
    """ "ne Frage noch" (colloquial "eine"): not read as no to the offer above."""
    await demo.send("de", "Ich möchte gern am Forum teilnehmen")
    said = await demo.send("de", "ne Frage noch")
    assert "Gut, ich melde Sie nicht" not in said.text, said.text
