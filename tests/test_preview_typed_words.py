"""At the preview of a partner search ("Soll ich die Anfrage weitergeben?" with "Ja, senden" /
"Genauer beschreiben" / "Abbrechen"), the words of its own hint answer it: "senden", "schick
ab", "send it" send; "genauer" asks for more; "abbrechen", "cancel it" drop it. Typed
"senden" and "ok schick ab" had only repeated the hint ("… wartet auf Ihre Wahl: senden,
genauer beschreiben oder abbrechen"); only "1" sent."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.partners_fixtures import import_members
from tests.test_partner_walkthrough import states

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"
LAB_EN = "We are looking for a lab to analyse black mass"


async def at_preview(bot: Harness, lang: str) -> None:
    await import_members(bot)
    await bot.send("eva", f"/language {lang}")
    preview = await bot.send("eva", LAB if lang == "de" else LAB_EN)
    assert len(preview.buttons) >= 3, preview.text


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("de", "senden"),
        ("de", "abschicken"),
        ("de", "schick ab"),
        ("de", "ok senden"),
        ("de", "ok schick ab"),
        ("de", "Bitte abschicken!"),
        ("en", "send"),
        ("en", "send it"),
        ("en", "ok, send it please"),
    ],
)
async def test_typed_send_words_send_the_search(bot: Harness, lang: str, typed: str) -> None:
    await at_preview(bot, lang)
    said = (await bot.send("eva", typed)).text
    assert "wartet auf Ihre Wahl" not in said and "waits for your choice" not in said, said
    assert await states(bot) == ["sent"], said


@pytest.mark.parametrize(
    ("lang", "typed", "asked"),
    [
        ("de", "genauer", "Ergänzen Sie Ihre Anfrage"),
        ("de", "genauer beschreiben", "Ergänzen Sie Ihre Anfrage"),
        ("de", "ich möchte es genauer beschreiben", "Ergänzen Sie Ihre Anfrage"),
        ("en", "describe more precisely", "Add to your request"),
        ("en", "more detail please", "Add to your request"),
    ],
)
async def test_typed_refine_words_ask_for_more(
    bot: Harness, lang: str, typed: str, asked: str
) -> None:
    await at_preview(bot, lang)
    said = (await bot.send("eva", typed)).text
    assert asked in said, said
    # what comes next is the addition, not an answer to the preview
    await bot.send("eva", "Proben aus Lithium-Ionen-Batterien, etwa 20 pro Monat")
    assert await states(bot) == [], said


@pytest.mark.parametrize(
    ("lang", "typed", "said_part"),
    [
        ("de", "abbrechen", "wurde verworfen"),
        ("de", "bitte abbrechen", "wurde verworfen"),
        ("en", "cancel", "discarded"),
        ("en", "cancel it please", "discarded"),
    ],
)
async def test_typed_cancel_words_drop_the_search(
    bot: Harness, lang: str, typed: str, said_part: str
) -> None:
    await at_preview(bot, lang)
    said = (await bot.send("eva", typed)).text
    assert said_part in said, said
    await bot.send("eva", "ja")
    assert await states(bot) == [], said


@pytest.mark.parametrize(
    "typed", ["nicht senden", "senden Sie das an wen?", "send it to the office instead"]
)
async def test_other_words_with_send_keep_the_preview_waiting(bot: Harness, typed: str) -> None:
    await at_preview(bot, "de")
    await bot.send("eva", typed)
    assert await states(bot) == []
