""" "where does the bus leave from?" about the excursion the member signed up for, asked right
after the sign-up (by /join N or by its button) or a few messages later: that event's place
and what its description says of the bus. A few messages later it had been the FAQ's entry
on leaving the association ("leave" is also that); nothing waits that it could cancel."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of, places_of

__all__ = ["demo"]

BUS = "Bus from Clausthal"


async def english_young_pro(demo: Harness) -> int:
    await demo.send("en", "/youngpro yes")
    return await number_of(demo, "excursion")


@pytest.mark.parametrize("how", ["command", "button", "later", "later_button"])
async def test_where_the_bus_leaves_is_the_excursions(demo: Harness, how: str) -> None:
    excursion = await english_young_pro(demo)
    if how in ("command", "later"):
        await demo.send("en", f"/join {excursion}")
    else:
        details = await demo.send("en", f"/event {excursion}")
        await demo.press("en", details.button("Sign up"))
    assert await places_of(demo, "en") == [excursion]
    if how.startswith("later"):
        await demo.send("en", "thanks!")
        await demo.send("en", "How much is the membership fee?")
    said = await demo.send("en", "where does the bus leave from?")
    assert BUS in said.text, said.text
    assert "membership" not in said.text and "leave by writing" not in said.text, said.text
    assert await places_of(demo, "en") == [excursion]


async def test_with_two_events_signed_up_it_asks_which(demo: Harness) -> None:
    excursion = await english_young_pro(demo)
    symposium = await number_of(demo, "symposium")
    await demo.send("en", f"/join {excursion}")
    await demo.send("en", f"/join {symposium}")
    await demo.send("en", "How much is the membership fee?")
    said = await demo.send("en", "where do we meet?")
    assert "Which event" in said.text, said.text
    assert "membership" not in said.text, said.text
