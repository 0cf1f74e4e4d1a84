"""A broadcast's languages as the office uses them: a text written in English marked so at the
preview (German readers told it is English, a German version added or not), a question typed
at the preview asked about instead of taken as the new text, and reports that name the
English version."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.messages import plain_text
from storage.broadcasts import Broadcast
from storage.faq import FaqTicket
from tests.harness import Chat, Harness, make_harness
from tests.test_broadcast import deliver, network, start_broadcast

SUMMER_PARTY = "Our summer party is on Friday in Clausthal: /events shows it."


async def stored(bot: Harness) -> list[tuple[str, str]]:
    async with bot.db.session() as session:
        rows = (await session.execute(select(Broadcast.text, Broadcast.text_en))).all()
    return [(text, text_en) for text, text_en in rows]


async def delivered(bot: Harness) -> dict[str, str]:
    return {a.chat_id: a.text for a in (await deliver(bot)).sent()}


async def test_a_text_written_in_english_is_marked_so_at_the_preview(bot: Harness) -> None:
    """The office writes in English: the preview says the text reads as English and offers
    "Text ist Englisch"; marked, the counts say German readers get the English text, English
    readers get it as theirs, and German readers are told it is only in English."""
    await network(bot)
    asked = await start_broadcast(bot, SUMMER_PARTY)
    preview = await bot.press("admin", asked.button("Alle"))
    assert "Der Text liest sich englisch" in preview.text, preview.text
    # not called German before it is marked either
    assert "das Englisch liest, den deutschen Text" not in preview.text
    marked = await bot.press("admin", preview.button("Text ist Englisch"))
    assert marked.text.startswith("Der Text ist als Englisch vermerkt."), marked.text
    assert f"Nur auf Englisch:\n{SUMMER_PARTY}" in marked.text
    assert "Sprache: 2 Deutsch, 1 Englisch" in marked.text
    honest = "Ohne deutsche Fassung bekommen die 2 Mitglieder, die Deutsch lesen, den englischen"
    assert honest in marked.text, marked.text
    # no longer said: the English reader gets no "German text"
    assert "das Englisch liest, den deutschen Text" not in marked.text
    assert "liest sich englisch" not in marked.text
    assert marked.button("Deutsche Fassung hinzufügen") and marked.button("Text ist Deutsch")
    await bot.press("admin", marked.button("Senden"))
    assert await stored(bot) == [("", SUMMER_PARTY)]
    by_chat = await delivered(bot)
    assert "News from" in by_chat["chat-ben"] and "only" not in by_chat["chat-ben"]
    assert "Our summer party is on Friday" in by_chat["chat-ben"]
    assert "Neuigkeiten von" in by_chat["chat-anna"], by_chat
    assert "(nur auf Englisch)" in by_chat["chat-anna"]
    assert "Our summer party is on Friday" in by_chat["chat-anna"]


async def test_a_german_version_added_to_an_english_text_goes_to_german_readers(
    bot: Harness,
) -> None:
    """Marked English, then "Deutsche Fassung hinzufügen": each reader gets their language;
    "Text ändern" changes the English text, never drops it (it is all there was)."""
    await network(bot)
    asked = await start_broadcast(bot, SUMMER_PARTY)
    preview = await bot.press("admin", asked.button("Alle"))
    marked = await bot.press("admin", preview.button("Text ist Englisch"))
    edit = await bot.press("admin", marked.button("Text ändern"))
    assert "Ohne englische Fassung" not in edit.text
    assert not any(payload.startswith("bc:english:none") for payload in edit.buttons)
    corrected = await bot.send("admin", "Our summer party is on Saturday in Clausthal.")
    assert corrected.text.startswith("Neuer Text übernommen."), corrected.text
    assert "Nur auf Englisch:\nOur summer party is on Saturday" in corrected.text
    ask = await bot.press("admin", corrected.button("Deutsche Fassung hinzufügen"))
    assert "Deutscher Text (optional)" in ask.text, ask.text
    both = await bot.send("admin", "Unser Sommerfest ist am Samstag in Clausthal.")
    assert both.text.startswith("Deutsche Fassung übernommen."), both.text
    assert "Unser Sommerfest" in both.text and "Englische Fassung:\nOur summer party" in both.text
    assert "den englischen Text" not in both.text and "den deutschen Text" not in both.text
    await bot.press("admin", both.button("Senden"))
    assert await stored(bot) == [
        (
            "Unser Sommerfest ist am Samstag in Clausthal.",
            "Our summer party is on Saturday in Clausthal.",
        )
    ]
    by_chat = await delivered(bot)
    assert (
        "Unser Sommerfest" in by_chat["chat-anna"]
        and "nur auf Englisch" not in by_chat["chat-anna"]
    )
    assert "Our summer party" in by_chat["chat-ben"] and "Sommerfest" not in by_chat["chat-ben"]


@pytest.mark.parametrize(
    ("lang", "everyone", "is_english", "marked", "back", "german"),
    [
        ("de", "Alle", "Text ist Englisch", "Nur auf Englisch:", "Text ist Deutsch", "Sprache:"),
        ("en", "Everyone", "Text is English", "In English only:", "Text is German", "Language:"),
    ],
)
async def test_a_text_marked_english_by_mistake_is_german_again(
    bot: Harness, lang: str, everyone: str, is_english: str, marked: str, back: str, german: str
) -> None:
    """Offered on every single text (not only one that reads English), and undone by its
    counterpart, in the admin's language."""
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Sommerfest am Freitag in Clausthal")
    asked = await bot.press("admin", asked.buttons[0])  # without a file
    preview = await bot.press("admin", asked.button(everyone))
    assert german in preview.text and marked not in preview.text
    english = await bot.press("admin", preview.button(is_english))
    assert marked in english.text, english.text
    again = await bot.press("admin", english.button(back))
    assert marked not in again.text and again.button(is_english), again.text
    await bot.press("admin", again.buttons[0])  # send
    assert await stored(bot) == [("Sommerfest am Freitag in Clausthal", "")]


async def tickets(bot: Harness) -> list[FaqTicket]:
    async with bot.db.session() as session:
        return list((await session.execute(select(FaqTicket))).scalars())


async def test_a_question_typed_at_the_preview_is_asked_about_not_taken_as_text(
    bot: Harness,
) -> None:
    """A question typed while the preview waits had silently become the broadcast's text:
    now the bot asks whether it is the new text or a question. A question is answered beside
    the draft, which keeps its text; a news text that asks its readers is taken when the
    admin says so."""
    await network(bot)
    asked = await start_broadcast(bot, "Sommerfest am Freitag in Clausthal")
    preview = await bot.press("admin", asked.button("Alle"))
    which = await bot.send("admin", "Wie viele Mitglieder bekommen das?")
    assert "ist das der neue Text des Rundschreibens oder eine Frage an mich?" in which.text
    assert "Neuer Text übernommen" not in which.text, which.text
    answered = await bot.press("admin", which.button("Das ist eine Frage"))
    assert "Rundschreiben ist noch nicht verschickt" in answered.text, answered.text
    assert await tickets(bot) == []
    # chosen once: the same button again does nothing
    again = await bot.press("admin", which.button("Das ist eine Frage"))
    assert "nicht mehr gültig" in again.text, again.text
    earlier = await bot.send("admin", "Wer kommt zum Sommerfest?")
    which = await bot.send("admin", "Kommen Sie zum Sommerfest am Freitag nach Clausthal?")
    # the buttons asking about the earlier text never take the later one
    stale = await bot.press("admin", earlier.button("Das ist der neue Text"))
    assert "nicht mehr gültig" in stale.text, stale.text
    news = await bot.press("admin", which.button("Das ist der neue Text"))
    assert news.text.startswith("Neuer Text übernommen."), news.text
    assert "Kommen Sie zum Sommerfest am Freitag nach Clausthal?" in news.text
    await bot.press("admin", news.button("Senden"))
    assert await stored(bot) == [("Kommen Sie zum Sommerfest am Freitag nach Clausthal?", "")]
    assert preview.button("Senden")


async def test_the_preview_still_sends_while_it_asks_text_or_question(bot: Harness) -> None:
    """The preview's buttons keep working beside the question: Send sends the text shown."""
    await network(bot)
    asked = await start_broadcast(bot, "Sommerfest am Freitag in Clausthal")
    preview = await bot.press("admin", asked.button("Alle"))
    await bot.send("admin", "Was kostet der Eintritt?")
    sent = await bot.press("admin", preview.button("Senden"))
    assert "Rundschreiben #1" in sent.text, sent.text
    assert await stored(bot) == [("Sommerfest am Freitag in Clausthal", "")]


async def test_reports_name_the_english_version(bot: Harness) -> None:
    """/zustellbericht shows the English version below the German one, a text only in English
    says so; /zustellung marks each broadcast that has one."""
    await network(bot)
    asked = await start_broadcast(bot, "Das Symposium steht fest.")
    preview = await bot.press("admin", asked.button("Alle"))
    ask = await bot.press("admin", preview.button("Englische Fassung hinzufügen"))
    added = await bot.send("admin", "The symposium is set.")
    await bot.press("admin", added.button("Senden"))
    asked = await start_broadcast(bot, SUMMER_PARTY)
    preview = await bot.press("admin", asked.button("Alle"))
    marked = await bot.press("admin", preview.button("Text ist Englisch"))
    await bot.press("admin", marked.button("Senden"))
    first = await bot.send("admin", "/zustellbericht 1")
    assert "„Das Symposium steht fest.“\nEnglisch: „The symposium is set.“" in first.text
    second = await bot.send("admin", "/zustellbericht 2")
    assert "Our summer party is on Friday" in second.text and "(nur auf Englisch)" in second.text
    history = await bot.send("admin", "/zustellung")
    assert "„Das Symposium steht fest.“ (+ Englisch)" in history.text, history.text
    assert "(nur auf Englisch)" in history.text
    await bot.send("admin", "/language en")
    first = await bot.send("admin", "/broadcast_report 1")
    assert "English: “The symposium is set.”" in first.text, first.text
    assert ask is not None


async def test_the_command_line_takes_and_prints_the_english_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`broadcast --text-en`: English readers get it, and what is printed names each
    language's text (it had printed neither, nor taken an English one); alone, the message
    is only in English."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    bot = await make_harness(url)
    await network(bot)
    await bot.app.stop()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    args = ["broadcast", "--config", str(config), "--audience", "all"]
    both = [*args, "--text", "Das Symposium steht fest.", "--text-en", "The symposium is set."]
    assert await asyncio.to_thread(main, [*both, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "German readers (2): Das Symposium steht fest." in out, out
    assert "English readers (1): The symposium is set." in out
    assert await asyncio.to_thread(main, [*args, "--text", "Nur deutsch hier"]) == 0
    out = capsys.readouterr().out
    assert "English readers (1): Nur deutsch hier (no English version: the German text)" in out
    english_file = tmp_path / "news.txt"
    english_file.write_text("Only in English, this one.", encoding="utf-8")
    assert await asyncio.to_thread(main, [*args, "--text-en-file", str(english_file)]) == 0
    out = capsys.readouterr().out
    assert "broadcast #2 queued for 3 recipients" in out, out
    assert "German readers (2): Only in English, this one. (no German version" in out
    assert await asyncio.to_thread(main, args) == 2
    assert "--text" in capsys.readouterr().err
    bot = await make_harness(url)
    try:
        assert await stored(bot) == [("Nur deutsch hier", ""), ("", "Only in English, this one.")]
        sent = [(a.chat_id, a.text) for a in (await deliver(bot)).sent()]
        to_anna = [text for chat, text in sent if chat == "chat-anna"]
        assert any("(nur auf Englisch)" in t and "Only in English" in t for t in to_anna), sent
    finally:
        await bot.app.stop()


def labels(chat: Chat) -> list[str]:
    return [plain_text(b.label) for r in chat.replies for row in r.buttons for b in row]


LANGUAGE_BUTTONS = {
    "de": {
        "everyone": "Alle",
        "is_english": "Text ist Englisch",
        "add_english": "Englische Fassung hinzufügen",
        "add_german": "Deutsche Fassung hinzufügen",
        "edit": "Text ändern",
        "edit_german": "Deutschen Text ändern",
        "edit_english": "Englischen Text ändern",
        "english_asked": "Englischer Text (optional)",
        "new_text_asked": "Schreiben Sie den neuen Text",
        "replace_german": "Deutsche Fassung ersetzen",
    },
    "en": {
        "everyone": "Everyone",
        "is_english": "Text is English",
        "add_english": "Add English version",
        "add_german": "Add German version",
        "edit": "Edit text",
        "edit_german": "Edit German text",
        "edit_english": "Edit English text",
        "english_asked": "English text (optional)",
        "new_text_asked": "Write the new text",
        "replace_german": "Replace German version",
    },
}


async def broadcast_preview(bot: Harness, lang: str, text: str) -> Chat:
    """The preview of a broadcast to everyone, the office writing in `lang`."""
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", text)
    asked = await bot.press("admin", asked.buttons[0])  # without a file
    return await bot.press("admin", asked.button(LANGUAGE_BUTTONS[lang]["everyone"]))


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_text_reading_english_is_not_offered_an_english_version(
    bot: Harness, lang: str
) -> None:
    """An English text not yet marked: only "Text is English" (an English version of it
    would be the same text typed twice); a German text keeps "Add English version"."""
    say = LANGUAGE_BUTTONS[lang]
    await network(bot)
    english = await broadcast_preview(bot, lang, "The recycling day moves to the spring.")
    assert say["is_english"] in labels(english), labels(english)
    assert say["add_english"] not in labels(english)
    await bot.press("admin", english.button({"de": "Abbrechen", "en": "Cancel"}[lang]))
    german = await broadcast_preview(bot, lang, "Der Recyclingtag wird auf das Frühjahr verlegt.")
    assert say["add_english"] in labels(german), labels(german)


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_with_both_versions_each_edit_button_names_its_language(
    bot: Harness, lang: str
) -> None:
    """An English text marked, a German version added: "Edit text" had not said which one
    it edits; now "Edit German text" and "Edit English text" each ask for their own."""
    say = LANGUAGE_BUTTONS[lang]
    await network(bot)
    preview = await broadcast_preview(bot, lang, "The recycling day moves to the spring.")
    marked = await bot.press("admin", preview.button(say["is_english"]))
    assert say["edit"] in labels(marked) and say["edit_english"] not in labels(marked)
    await bot.press("admin", marked.button(say["add_german"]))
    both = await bot.send("admin", "Der Recyclingtag wird auf das Frühjahr verlegt.")
    assert say["edit_german"] in labels(both) and say["edit_english"] in labels(both)
    assert say["edit"] not in labels(both), labels(both)
    english = await bot.press("admin", both.button(say["edit_english"]))
    assert say["english_asked"] in english.text, english.text
    both = await bot.send("admin", "The recycling day moves to April.")
    # the German version was written for the English text before: asked about, then replaced
    german = await bot.press("admin", both.button(say["replace_german"]))
    assert say["new_text_asked"] in german.text, german.text
    both = await bot.send("admin", "Der Recyclingtag wird in den April verlegt.")
    await bot.press("admin", both.buttons[0])  # send
    assert await stored(bot) == [
        ("Der Recyclingtag wird in den April verlegt.", "The recycling day moves to April.")
    ]


@pytest.mark.parametrize(
    ("lang", "schedule", "now", "send"),
    [("de", "Zeitpunkt wählen", "sofort", "Senden"), ("en", "Choose a time", "now", "Send")],
)
async def test_now_at_the_time_question_goes_back_to_sending_on_send(
    bot: Harness, lang: str, schedule: str, now: str, send: str
) -> None:
    """ "sofort"/"now" typed where the send time is asked: the preview sends on *Senden* again
    (it had been "„sofort“ kann ich nicht als Zeitpunkt lesen", with no way back)."""
    await network(bot)
    preview = await broadcast_preview(bot, lang, "Der Recyclingtag zieht in den Frühling um.")
    asked = await bot.press("admin", preview.button(schedule))
    assert now in asked.text, asked.text
    again = await bot.send("admin", now)
    assert send in labels(again), labels(again)
    await bot.press("admin", again.button(send))
    assert await delivered(bot), "nothing was sent"
