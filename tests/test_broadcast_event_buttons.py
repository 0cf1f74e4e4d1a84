"""A broadcast that names one upcoming event carries its Anmelden and Details buttons to every
member who may sign up for it ("Noch Plätze frei beim Symposium" had reached members with no
way to act on it); the preview says so and the office can send it without them."""

from __future__ import annotations

from bot.messages import plain_text
from tests.harness import Harness
from tests.test_broadcast import deliver
from tests.test_event_withdraw_words import demo, number_of, places_of

__all__ = ["demo"]


async def preview_of(bot: Harness, text: str):
    await bot.send("admin", "/rundschreiben")
    asked = await bot.send("admin", text)
    audience = await bot.press("admin", asked.button("Ohne Bild"))
    return await bot.press("admin", audience.button("Alle"))


def labels(buttons) -> list[str]:
    return [plain_text(b.label) for row in buttons for b in row]


async def test_a_broadcast_naming_an_event_carries_its_sign_up(demo: Harness) -> None:
    number = await number_of(demo, "symposium")
    preview = await preview_of(demo, "Noch Plätze frei beim Symposium – jetzt anmelden!")
    assert "Darunter die Knöpfe" in preview.text and f"(Nr. {number})" in preview.text
    await demo.press("admin", preview.button("Senden"))
    transport = await deliver(demo)
    german = next(a for a in transport.sent() if a.chat_id == "chat-de")
    english = next(a for a in transport.sent() if a.chat_id == "chat-en")
    assert labels(german.buttons) == ["Anmelden", "Details"]
    assert labels(english.buttons) == ["Sign up", "Details"]
    join = german.buttons[0][0].payload
    await demo.press("de", join)
    assert await places_of(demo, "de") == [number]


async def test_the_office_sends_it_without_the_buttons(demo: Harness) -> None:
    preview = await preview_of(demo, "Noch Plätze frei beim Symposium – jetzt anmelden!")
    without = await demo.press("admin", preview.button("Ohne Anmeldeknopf"))
    assert "Ohne Knöpfe" in without.text and "Mit Anmeldeknopf" in labels(
        without.replies[-1].buttons
    )
    await demo.press("admin", without.button("Senden"))
    transport = await deliver(demo)
    assert transport.sent() and all(a.buttons == () for a in transport.sent())


async def test_a_young_professionals_event_gets_buttons_only_for_them(demo: Harness) -> None:
    await demo.onboard("yp", lang="de")
    await demo.send("yp", "/youngpro ja")
    preview = await preview_of(demo, "Für die Exkursion sind noch Plätze frei.")
    assert "Darunter die Knöpfe" in preview.text
    await demo.press("admin", preview.button("Senden"))
    transport = await deliver(demo)
    by_chat = {a.chat_id: labels(a.buttons) for a in transport.sent()}
    assert by_chat["chat-yp"] == ["Anmelden", "Details"]
    assert by_chat["chat-de"] == [] and by_chat["chat-en"] == []


async def test_news_naming_no_single_event_has_no_buttons(demo: Harness) -> None:
    for text in (
        "Unser Jahresbericht ist online.",
        "Symposium und Innovationsforum: beide Termine stehen fest.",
        "Danke für die vielen Rückmeldungen zu unseren Veranstaltungen!",
    ):
        preview = await preview_of(demo, text)
        assert "Knöpfe" not in preview.text, text
        assert "Ohne Anmeldeknopf" not in labels(preview.replies[-1].buttons)
        await demo.press("admin", preview.button("Abbrechen"))


async def test_a_member_signed_up_already_gets_only_the_details(demo: Harness) -> None:
    number = await number_of(demo, "symposium")
    await demo.send("de", f"/anmelden {number}")
    preview = await preview_of(demo, "Noch Plätze frei beim Symposium – jetzt anmelden!")
    await demo.press("admin", preview.button("Senden"))
    transport = await deliver(demo)
    by_chat = {a.chat_id: labels(a.buttons) for a in transport.sent()}
    assert by_chat["chat-de"] == ["Details"]
    assert by_chat["chat-en"] == ["Sign up", "Details"]


async def test_a_weekday_of_another_date_keeps_the_named_events_buttons(demo: Harness) -> None:
    """The demo's events are on Tuesday to Thursday: "Freitag" here is the deadline's day, and
    the symposium is still the event the news is about."""
    number = await number_of(demo, "symposium")
    preview = await preview_of(demo, "Anmeldeschluss ist Freitag: noch Plätze beim Symposium!")
    assert "Darunter die Knöpfe" in preview.text and f"(Nr. {number})" in preview.text, preview.text
