"""Asked whether a colleague may come in the member's place, the member learns that a sign-up
is the person's own and is not passed on: they cancel theirs (the button for the one event
they are signed up for) and the colleague signs up themselves, as for bringing a colleague
(`events.signup_each_own`). Not an unrelated FAQ entry."""

from __future__ import annotations

from datetime import UTC

import pytest

from tests.dates import days_ahead
from tests.harness import Harness


async def _add(bot: Harness, days: int, **fields: object) -> int:
    return (await bot.add_event(starts_at=days_ahead(bot, days).astimezone(UTC), **fields)).id


@pytest.fixture
async def events(bot: Harness) -> tuple[int, int]:
    """A workshop in 30 days and an excursion in 15; "ida" speaks German, "sam" English."""
    workshop = await _add(
        bot,
        30,
        kind="workshop",
        title="Workshop Batteriezellen",
        title_en="Battery cell workshop",
        capacity=25,
    )
    excursion = await _add(
        bot,
        15,
        kind="excursion",
        title="Exkursion Walzwerk Steinfeld",
        title_en="Excursion to the Steinfeld rolling mill",
    )
    await bot.onboard("ida", lang="de")
    await bot.onboard("sam", lang="en")
    return workshop, excursion


@pytest.mark.parametrize(
    ("user", "join", "question", "said", "leave"),
    [
        (
            "ida",
            "/anmelden {n}",
            "Kann meine Kollegin an meiner Stelle hingehen?",
            "/anmelden",
            "Abmelden",
        ),
        ("ida", "/anmelden {n}", "darf ein kollege statt mir teilnehmen", "/anmelden", "Abmelden"),
        ("sam", "/join {n}", "Could a coworker attend instead of me?", "/join", "Cancel"),
        ("sam", "/join {n}", "can someone from my team take my spot?", "/join", "Cancel"),
    ],
)
async def test_someone_in_my_place_cancels_and_signs_up_themselves(
    bot: Harness,
    events: tuple[int, int],
    user: str,
    join: str,
    question: str,
    said: str,
    leave: str,
) -> None:
    _workshop, excursion = events
    await bot.send(user, join.format(n=excursion))
    reply = await bot.send(user, question)
    # their own sign-up is cancelled with the button; the colleague signs up on their own
    assert reply.button(leave) == f"ev:leave:{excursion}", reply.text
    assert f"{said} {excursion}" in reply.text, reply.text
    assert "faq:c:" not in " ".join(reply.buttons), reply.text  # no unrelated topic
    assert "Melden Sie sich ab" in reply.text or "cancel yours" in reply.text, reply.text


@pytest.mark.parametrize(
    ("user", "question", "said"),
    [
        ("ida", "Kann ich jemand anderen statt mir schicken?", "Anmeldung gilt nur"),
        ("sam", "Can I send a colleague in my place?", "sign-up is for"),
    ],
)
async def test_someone_in_my_place_without_a_sign_up_is_told_the_rule(
    bot: Harness, events: tuple[int, int], user: str, question: str, said: str
) -> None:
    # signed up for nothing: the rule, and what is coming, each a tap from its sign-up
    reply = await bot.send(user, question)
    assert said in reply.text, reply.text
    assert not [p for p in reply.buttons if p.startswith(("faq:c:", "ev:leave:"))], reply.text


async def test_with_people_waiting_the_place_freed_goes_to_them_first(bot: Harness) -> None:
    visit = await _add(bot, 10, kind="excursion", title="Exkursion Gießerei", capacity=1)
    await bot.onboard("ida", lang="de")
    await bot.onboard("sam", lang="en")
    await bot.send("ida", f"/anmelden {visit}")
    await bot.send("sam", f"/join {visit}")  # full: on the waiting list
    reply = await bot.send("ida", "Kann ein Kollege von mir meinen Platz haben?")
    assert reply.button("Abmelden") == f"ev:leave:{visit}", reply.text
    assert "Warteliste" in reply.text and "nicht an Ihre Vertretung" in reply.text, reply.text


async def test_an_event_named_that_is_not_coming_offers_no_other_ones_cancel(
    bot: Harness, events: tuple[int, int]
) -> None:
    _workshop, excursion = events
    await bot.send("ida", f"/anmelden {excursion}")
    reply = await bot.send("ida", "Darf eine Kollegin statt mir zum Symposium fahren?")
    assert "Anmeldung gilt nur" in reply.text, reply.text
    assert f"ev:leave:{excursion}" not in reply.buttons, reply.text
