"""At the preview of a partner search ("Soll ich die Anfrage weitergeben?" with "Ja, senden" /
"Genauer beschreiben" / "Abbrechen"), a typed yes sends it and a typed no cancels it, as the
buttons do; a no with more to say ("nein, genauer beschreiben") is no such answer."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.partners_fixtures import import_members
from tests.test_partner_walkthrough import states

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"


@pytest.mark.parametrize(
    ("lang", "yes"), [("de", "ja"), ("de", "Ja bitte senden"), ("en", "yes please send it")]
)
async def test_typed_yes_at_the_preview_sends(bot: Harness, lang: str, yes: str) -> None:
    await import_members(bot)
    await bot.send("eva", f"/language {lang}")
    preview = await bot.send("eva", LAB)
    assert preview.buttons, preview.text
    said = (await bot.send("eva", yes)).text
    assert "wartet auf Ihre Wahl" not in said and "waits for your choice" not in said, said
    assert await states(bot) == ["sent"], said


@pytest.mark.parametrize("no", ["nein", "nein danke", "no thanks"])
async def test_typed_no_at_the_preview_cancels(bot: Harness, no: str) -> None:
    await import_members(bot)
    await bot.send("eva", LAB)
    said = (await bot.send("eva", no)).text
    assert "verworfen" in said, said
    assert await states(bot) == []
    again = (await bot.send("eva", "ja")).text
    assert await states(bot) == [], again


async def test_a_no_with_more_to_say_waits(bot: Harness) -> None:
    await import_members(bot)
    await bot.send("eva", LAB)
    said = (await bot.send("eva", "nein, genauer beschreiben")).text
    assert "wartet auf Ihre Wahl" in said, said
