"""What a new member's walkthrough of partner search found: each as the member meets it."""

from __future__ import annotations

from tests.harness import Harness
from tests.partners_fixtures import import_members

CARRIER = "Wir suchen eine Spedition für Gefahrguttransporte von Altbatterien"


async def test_a_plain_search_typed_as_free_text_gets_the_preview_partnersuche_gives(
    bot: Harness,
) -> None:
    await import_members(bot)
    typed = await bot.send("req", CARRIER)
    commanded = await bot.send("eva", f"/partnersuche {CARRIER}")
    assert "Ihre Anfrage" in typed.text, typed.text
    assert typed.buttons[0].startswith("pr:send:"), typed.text
    assert typed.text.split("\n\n")[1] == commanded.text.split("\n\n")[1]
    longer = (
        f"{CARRIER}, gern ab nächsten Monat. Erreichbar bin ich unter max@example.org "
        "oder 05321 123456."
    )
    assert (await bot.send("otto", longer)).buttons[0].startswith("pr:send:")
    english = await bot.send(
        "eva", "We are looking for a freight forwarding service for dangerous goods"
    )
    assert english.buttons[0].startswith("pr:send:"), english.text
    # asking how partner search works is still a question for the FAQ
    how = await bot.send("eva", "Wie finde ich einen Partner?")
    assert not any(payload.startswith("pr:") for payload in how.buttons), how.text
