"""Under an event's details offering a sign-up, a yes that goes on only to say the sign-up
wish again ("ja, trag mich bitte ein", "yes, sign me up please") signs up and says nothing
was dropped (it had said "„meld mich bitte an“ habe ich nicht weitergegeben"); a rest that
says more is still told as not passed on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.harness import Harness

DROPPED = ("nicht weitergegeben", "not passed on")


@pytest.fixture
async def seminar(bot: Harness) -> int:
    start = bot.app.services.clock() + timedelta(days=11)
    event = await bot.add_event(
        kind="workshop",
        title="Seminar Indiumrecycling",
        title_en="Indium recycling seminar",
        place="Halle",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        capacity=15,
    )
    return event.id


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("de", "ja trag mich bitte ein"),
        ("de", "ja, melde mich gerne an"),
        ("de", "klar, bin dabei"),
        ("de", "ja bitte anmelden"),
        ("en", "yes, sign me up please"),
        ("en", "yes count me in"),
        ("en", "sure, I'd like to join"),
        ("en", "yes please register me"),
    ],
)
async def test_a_yes_repeating_the_sign_up_drops_nothing(
    bot: Harness, seminar: int, lang: str, typed: str
) -> None:
    await bot.onboard("lea", lang=lang)
    await bot.send("lea", f"/{'termin' if lang == 'de' else 'event'} {seminar}")
    said = await bot.send("lea", typed)
    assert ("angemeldet" if lang == "de" else "signed up") in said.text, said.text
    assert not any(word in said.text for word in DROPPED), said.text


async def test_a_rest_saying_more_is_still_said_to_be_dropped(bot: Harness, seminar: int) -> None:
    await bot.onboard("jan")
    await bot.send("jan", f"/termin {seminar}")
    said = await bot.send("jan", "ja melde mich an, ich bringe einen Kollegen aus dem Labor mit")
    assert "angemeldet" in said.text and "nicht weitergegeben" in said.text, said.text
