"""A typed "ja"/"no" answers the question whether to introduce an interested member, as its
buttons "Ja, vorstellen" / "Nein, danke" do; never when it could mean one of several."""

from __future__ import annotations

from bot.delivery_worker import DeliveryWorker
from tests.harness import Harness
from tests.partners_fixtures import buttons, import_members, outbox
from tests.test_broadcast import FAST
from tests.test_partner_walkthrough import states, typed_console

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"
BATTERY = "Wir suchen einen Partner für Batterierecycling und Schwarzmasse"


async def asks(bot: Harness, asker: str, need: str, *, lang: str = "de") -> dict[str, int]:
    """`asker` (speaking `lang`) sends `need` to the members it fits; the directory's ids."""
    ids = await import_members(bot)
    await bot.send(asker, f"/language {lang}")
    preview = await bot.send(asker, need)
    await bot.press(asker, preview.buttons[0])
    return ids


async def interested(bot: Harness, ids: dict[str, int], *who: str) -> None:
    """Each of `who` answers the request "Interessiert"."""
    for name in who:
        ask = next(m for m in await outbox(bot, "partner_request") if m.member_id == ids[name])
        await bot.press(name, next(b for b in buttons(ask) if b.startswith("pi:yes:")))


async def test_typed_ja_under_offen_introduces(bot: Harness) -> None:
    await interested(bot, await asks(bot, "req", LAB), "hanna")
    listed = await bot.send("req", "/offen")
    assert "Ja, vorstellen" in [b.label for r in listed.replies for row in r.buttons for b in row]
    said = await bot.send("req", "ja")
    assert "Prima! Ich stelle Sie einander vor" in said.text, said.text
    assert "Meinen Sie" not in said.text
    assert await states(bot) == ["introduced"]


async def test_typed_no_under_a_delivered_question_declines_in_english(bot: Harness) -> None:
    """The question arrives through the outbox (hanna said "Interested" meanwhile; the
    console prints it, as the demo does): a typed "no" presses "No, thanks"."""
    ids = await asks(bot, "req", LAB, lang="en")
    console, out = await typed_console(bot, "req")
    await interested(bot, ids, "hanna")
    shown = bot.app.dispatcher.shown
    worker = DeliveryWorker(bot.db, {"console": console}, settings=FAST, choices=shown)
    await worker.drain(10)
    delivered = out.getvalue()
    # (the harness's chat is not the console's own: its buttons are marked, not numbered)
    assert "  [·] Yes, introduce us\n  [·] No, thanks" in delivered, delivered
    after = (await bot.send("req", "no")).text
    assert "All right, I will not introduce you to Nordharz Batterielabor" in after, after
    assert await states(bot) == ["rejected"], after


async def test_typed_yes_with_two_members_to_introduce_presses_neither(bot: Harness) -> None:
    """/pending lists two interested members: "yes" cannot say which one."""
    await interested(bot, await asks(bot, "req", BATTERY, lang="en"), "anna", "emil")
    listed = await bot.send("req", "/pending")
    labels = [b.label for r in listed.replies for row in r.buttons for b in row]
    assert labels.count("Yes, introduce us") == 2, labels
    said = await bot.send("req", "yes")
    assert "introducing you" not in said.text, said.text
    assert "introduced" not in await states(bot)
