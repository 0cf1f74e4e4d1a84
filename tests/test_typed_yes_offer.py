"""A place offered from the waitlist ("… möchten Sie ihn?" with "Platz annehmen" / "Ablehnen")
is answered with a typed yes or no as with its buttons: delivered by the outbox, or shown
again by /offen. A typed "ja" had been small talk ("👍 Alles klar"), "ja gerne" got FAQ
choices and "ja nehm ich" became an office ticket, and the place stayed offered."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.delivery_worker import DeliveryWorker
from storage.events import CONFIRMED
from tests.harness import Harness
from tests.test_broadcast import FAST
from tests.test_pending import offer_a_place, offered, signup_states, typed_console


@pytest.mark.parametrize(
    ("lang", "typed", "said"),
    [
        ("de", "ja", "Platz angenommen"),
        ("de", "ja gerne", "Platz angenommen"),
        ("de", "ja nehm ich", "Platz angenommen"),
        ("en", "yes please", "Place taken"),
    ],
)
async def test_typed_yes_under_offen_takes_the_offered_place(
    bot: Harness, lang: str, typed: str, said: str
) -> None:
    number, _until = await offer_a_place(bot, lang=lang)
    await bot.send("w", "/pending")
    answer = (await bot.send("w", typed)).text
    assert said in answer, answer
    assert "Alles klar" not in answer and "Ticket" not in answer, answer
    assert await signup_states(bot, "w") == {number: CONFIRMED}, answer


@pytest.mark.parametrize(
    ("lang", "typed", "said"),
    [("de", "nein danke", "abgelehnt"), ("en", "no thanks", "You declined the place")],
)
async def test_typed_no_under_offen_declines_the_offered_place(
    bot: Harness, lang: str, typed: str, said: str
) -> None:
    await offer_a_place(bot, lang=lang)
    await bot.send("w", "/offen")
    answer = (await bot.send("w", typed)).text
    assert said in answer, answer
    assert await signup_states(bot, "w") == {}, answer


async def test_typed_ja_under_the_delivered_offer_takes_the_place(
    bot: Harness, tmp_path: Path
) -> None:
    number, _until = await offer_a_place(bot)
    console, out = await typed_console(bot, "w", tmp_path)
    worker = DeliveryWorker(
        bot.db, {"console": console}, settings=FAST, choices=bot.app.dispatcher.shown
    )
    await worker.drain(10)
    assert "Platz annehmen" in out.getvalue(), out.getvalue()
    answer = (await bot.send("w", "ja, gerne")).text
    assert "Platz angenommen" in answer, answer
    assert await signup_states(bot, "w") == {number: CONFIRMED}, answer


async def test_typed_ja_under_two_offers_takes_neither(bot: Harness) -> None:
    await bot.onboard("w")
    await offered(bot, "w", ["Haldenbegehung Hettstedt", "Werkstattgespräch Freiberg"])
    await bot.send("w", "/offen")
    await bot.send("w", "ja")
    assert set((await signup_states(bot, "w")).values()) == {"offered"}


async def test_the_only_offer_taken_from_offen_numbers_its_buttons_from_one(
    bot: Harness, tmp_path: Path
) -> None:
    """Nothing else in the list waits: its numbers answer nothing any more, and the answer's
    own buttons start at [1] (they had been "[3] Abmelden [4] In den Kalender")."""
    await bot.onboard("w")
    [hettstedt] = await offered(bot, "w", ["Haldenbegehung Hettstedt"])
    console, out = await typed_console(bot, "w", tmp_path)
    await console.feed("/offen")
    listed = out.getvalue()
    await console.feed("1")
    taken = out.getvalue()[len(listed) :]
    assert "Platz angenommen" in taken, taken
    assert "  [1] Abmelden\n  [2] In den Kalender" in taken, taken
    await console.feed("2")
    assert "[file rewimet-event-" in out.getvalue()[len(listed) :], out.getvalue()
    assert await signup_states(bot, "w") == {hettstedt: CONFIRMED}
