"""A broadcast's text replaced after its translation was written: the preview says the other
version was written for the earlier text and asks to replace it, keep it or send one language
only; nothing goes out with it before that (the English version had been kept silently)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness import Chat, Harness
from tests.test_broadcast import deliver, network
from tests.test_broadcast_files import write
from tests.test_broadcast_languages import (
    LANGUAGE_BUTTONS,
    broadcast_preview,
    delivered,
    labels,
    stored,
)

GERMAN = "Die Exkursion zur Hütte in Oker beginnt um 9 Uhr am Werkstor."
ENGLISH = "The excursion to the Oker smelter starts at 9 at the works gate."
LATER = "Die Exkursion zur Hütte in Oker beginnt erst um 11 Uhr am Besucherzentrum."
LATER_EN = "The excursion to the Oker smelter starts at 11 at the visitor centre."

SAY = {
    "de": {
        **LANGUAGE_BUTTONS["de"],
        "send": "Senden",
        "outdated_en": "Die englische Fassung wurde für einen früheren deutschen Text geschrieben",
        "outdated_de": "Die deutsche Fassung wurde für einen früheren englischen Text geschrieben",
        "replace_english": "Englische Fassung ersetzen",
        "replace_german": "Deutsche Fassung ersetzen",
        "keep": "So lassen",
        "only_german": "Nur Deutsch",
        "only_english": "Nur Englisch",
        "kept": "Die englische Fassung bleibt, wie sie ist.",
        "dropped": "Englische Fassung entfernt",
    },
    "en": {
        **LANGUAGE_BUTTONS["en"],
        "send": "Send",
        "outdated_en": "The English version was written for an earlier German text",
        "outdated_de": "The German version was written for an earlier English text",
        "replace_english": "Replace English version",
        "replace_german": "Replace German version",
        "keep": "Keep it as it is",
        "only_german": "German only",
        "only_english": "English only",
        "kept": "The English version stays as it is.",
        "dropped": "English version removed",
    },
}


async def with_english(bot: Harness, lang: str) -> Chat:
    """A German text with its English version added: the preview, ready to send."""
    await network(bot)
    preview = await broadcast_preview(bot, lang, GERMAN)
    await bot.press("admin", preview.button(SAY[lang]["add_english"]))
    both = await bot.send("admin", ENGLISH)
    assert SAY[lang]["send"] in labels(both), both.text
    return both


async def german_replaced(bot: Harness, lang: str, both: Chat) -> Chat:
    await bot.press("admin", both.button(SAY[lang]["edit_german"]))
    return await bot.send("admin", LATER)


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_replaced_german_text_asks_about_its_english_version(
    bot: Harness, lang: str
) -> None:
    """The German text edited after the English version was written: the preview warns and
    offers no Send, an earlier preview's Send sends nothing, and "Replace English version"
    asks for the new one, after which it sends both as they are now."""
    say = SAY[lang]
    both = await with_english(bot, lang)
    asked = await german_replaced(bot, lang, both)
    assert say["outdated_en"] in asked.text, asked.text
    assert say["send"] not in labels(asked), labels(asked)
    assert {say["replace_english"], say["keep"], say["only_german"]} <= set(labels(asked))
    again = await bot.press("admin", both.button(say["send"]))  # the earlier preview's
    assert say["outdated_en"] in again.text, again.text
    assert await stored(bot) == []
    english = await bot.press("admin", again.button(say["replace_english"]))
    assert say["english_asked"] in english.text, english.text
    fresh = await bot.send("admin", LATER_EN)
    assert say["outdated_en"] not in fresh.text and LATER_EN in fresh.text
    await bot.press("admin", fresh.button(say["send"]))
    assert await stored(bot) == [(LATER, LATER_EN)]
    by_chat = await delivered(bot)
    assert LATER_EN in by_chat["chat-ben"] and ENGLISH not in by_chat["chat-ben"]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_english_version_kept_as_it_is_goes_out_after_the_choice(
    bot: Harness, lang: str
) -> None:
    """ "Keep it as it is": the preview says so and has Send again; the choice is asked once
    (its button pressed again does nothing)."""
    say = SAY[lang]
    asked = await german_replaced(bot, lang, await with_english(bot, lang))
    kept = await bot.press("admin", asked.button(say["keep"]))
    assert kept.text.startswith(say["kept"]), kept.text
    assert say["outdated_en"] not in kept.text and say["send"] in labels(kept)
    twice = await bot.press("admin", asked.button(say["keep"]))
    assert say["kept"] not in twice.text
    await bot.press("admin", kept.button(say["send"]))
    assert await stored(bot) == [(LATER, ENGLISH)]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_german_only_drops_the_english_version(bot: Harness, lang: str) -> None:
    """A new text typed at the preview replaces the German one too; "German only" drops the
    English version: the English reader gets the new German text."""
    say = SAY[lang]
    both = await with_english(bot, lang)
    asked = await bot.send("admin", LATER)  # typed at the preview
    assert say["outdated_en"] in asked.text, asked.text
    only = await bot.press("admin", asked.button(say["only_german"]))
    assert only.text.startswith(say["dropped"]), only.text
    assert ENGLISH not in only.text
    await bot.press("admin", only.button(say["send"]))
    assert await stored(bot) == [(LATER, "")]
    by_chat = await delivered(bot)
    assert LATER in by_chat["chat-ben"] and ENGLISH not in by_chat["chat-ben"]
    assert both is not None


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_replaced_english_text_asks_about_its_german_version(
    bot: Harness, lang: str
) -> None:
    """Written in English, a German version added, then the English text replaced: the German
    version is the outdated one; "English only" sends the English text to everyone."""
    say = SAY[lang]
    await network(bot)
    preview = await broadcast_preview(bot, lang, ENGLISH)
    marked = await bot.press("admin", preview.button(say["is_english"]))
    await bot.press("admin", marked.button(say["add_german"]))
    both = await bot.send("admin", GERMAN)
    assert say["outdated_de"] not in both.text and say["send"] in labels(both)
    await bot.press("admin", both.button(say["edit_english"]))
    asked = await bot.send("admin", LATER_EN)
    assert say["outdated_de"] in asked.text, asked.text
    assert say["send"] not in labels(asked)
    only = await bot.press("admin", asked.button(say["only_english"]))
    assert say["outdated_de"] not in only.text and GERMAN not in only.text
    await bot.press("admin", only.button(say["send"]))
    assert await stored(bot) == [("", LATER_EN)]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_translation_rewritten_asks_nothing(bot: Harness, lang: str) -> None:
    """The English version itself edited, or both versions rewritten in turn: each was written
    for the other as it is, nothing is asked."""
    say = SAY[lang]
    both = await with_english(bot, lang)
    await bot.press("admin", both.button(say["edit_english"]))
    edited = await bot.send("admin", "The excursion to Oker starts at 9 at the gate.")
    assert say["outdated_en"] not in edited.text and say["send"] in labels(edited)
    await bot.press("admin", edited.button(say["send"]))
    assert await stored(bot) == [(GERMAN, "The excursion to Oker starts at 9 at the gate.")]


async def test_the_file_stays_when_the_outdated_version_is_replaced(
    bot: Harness, tmp_path: Path
) -> None:
    """A broadcast with a file, its German text replaced under its English version: "Replace
    English version" asks for the new one and the file still goes out with both."""
    await network(bot)
    await bot.send("admin", "/broadcast")
    await bot.send("admin", GERMAN)
    asked = await bot.send("admin", attachment=write(tmp_path, "anfahrt.pdf", 2000))
    preview = await bot.press("admin", asked.button("Alle"))
    await bot.press("admin", preview.button("Englische Fassung hinzufügen"))
    both = await bot.send("admin", ENGLISH)
    outdated = await german_replaced(bot, "de", both)
    await bot.press("admin", outdated.button(SAY["de"]["replace_english"]))
    fresh = await bot.send("admin", LATER_EN)
    assert "📎 mit Datei anfahrt.pdf" in fresh.text, fresh.text
    await bot.press("admin", fresh.button("Senden"))
    sent = (await deliver(bot)).sent()
    assert {a.chat_id for a in sent} >= {"chat-anna", "chat-ben"}
    assert all(a.attachment is not None and a.attachment.filename == "anfahrt.pdf" for a in sent)
