"""A member who receives a partner request ("Passt das zu Ihnen?", with "Interessiert" /
"Nicht für mich") answers it with a typed "ja"/"yes" or "nein"/"no" as with its buttons:
delivered by the outbox, or shown again by /offen; never when /offen lists several."""

from __future__ import annotations

from bot.delivery_worker import DeliveryWorker
from tests.harness import Harness
from tests.partners_fixtures import import_members
from tests.test_broadcast import FAST
from tests.test_partner_walkthrough import states, typed_console

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"


async def sent(bot: Harness, *askers: str) -> dict[str, int]:
    """Each of `askers` sends the lab request (it reaches hanna); the directory's ids."""
    ids = await import_members(bot)
    for asker in askers:
        preview = await bot.send(asker, LAB)
        await bot.press(asker, preview.button("Ja, senden"))
    return ids


async def test_typed_ja_under_a_delivered_request_is_interested(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    console, out = await typed_console(bot, "hanna")
    shown = bot.app.dispatcher.shown
    worker = DeliveryWorker(bot.db, {"console": console}, settings=FAST, choices=shown)
    await worker.drain(10)
    assert "Interessiert" in out.getvalue(), out.getvalue()
    said = (await bot.send("hanna", "ja")).text
    assert "Alles klar" not in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"], said


async def test_typed_no_under_offen_is_not_for_me_in_english(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", "/language en")
    listed = await bot.send("hanna", "/pending")
    assert "Not for me" in [b.label for r in listed.replies for row in r.buttons for b in row]
    said = (await bot.send("hanna", "no")).text
    assert await states(bot, recipient_id=ids["hanna"]) == ["declined"], said


async def test_typed_yes_with_two_requests_listed_answers_neither(bot: Harness) -> None:
    ids = await sent(bot, "eva", "finn")
    listed = await bot.send("hanna", "/offen")
    labels = [b.label for r in listed.replies for row in r.buttons for b in row]
    assert labels.count("Interessiert") == 2, labels
    await bot.send("hanna", "ja")
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent", "sent"]
