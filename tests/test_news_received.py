"""The news a member got, shown again: /neuigkeiten alone and the latest news asked for in
words; only what was delivered to them, in their language, the office's text escaped."""

from __future__ import annotations

from tests.harness import Harness
from tests.test_broadcast import deliver, network, start_broadcast

LATEST_DE = "Ihre letzten Neuigkeiten:"
LATEST_EN = "Your latest news:"


async def broadcast(bot: Harness, text: str, audience: str) -> None:
    asked = await start_broadcast(bot, text)
    preview = await bot.press("admin", asked.button(audience))
    await bot.press("admin", preview.button("Senden"))


async def test_a_member_finds_the_news_they_got_under_the_command_and_in_words(
    bot_any: Harness,
) -> None:
    await network(bot_any)
    await broadcast(bot_any, "Symposium am 12. März – <b>jetzt</b> anmelden!", "Alle")
    await broadcast(bot_any, "Mentoring-Abend für Young Professionals im April", "Young")
    await deliver(bot_any)
    shown = await bot_any.send("anna", "/neuigkeiten")
    assert "Neuigkeiten: Ja" in shown.text  # the status, as before
    assert LATEST_DE in shown.text and "Symposium am 12. März" in shown.text
    assert "&lt;b&gt;jetzt&lt;/b&gt;" in shown.replies[-1].text  # the office's text, escaped
    assert "Mentoring" not in shown.text  # a young professionals' news is not anna's
    # the young professional, in English, in words: the latest first
    asked = await bot_any.send("ben", "what was the latest news?")
    assert LATEST_EN in asked.text, asked.text
    assert asked.text.index("Mentoring") < asked.text.index("Symposium")
    again = await bot_any.send("anna", "was gab es zuletzt für neuigkeiten?")
    assert LATEST_DE in again.text and "Ticket" not in again.text, again.text


async def test_news_not_delivered_yet_or_never_ordered_is_not_shown(bot_any: Harness) -> None:
    await network(bot_any)
    await broadcast(bot_any, "Exkursion zur Hütte Oker im Mai", "Alle")
    waiting = await bot_any.send("anna", "hab ich news verpasst?")
    assert "keine Neuigkeiten bekommen" in waiting.text and "Oker" not in waiting.text
    await deliver(bot_any)
    assert "Oker" in (await bot_any.send("anna", "hab ich news verpasst?")).text
    # dirk ordered none: the command says only that, the question that none came
    status = await bot_any.send("dirk", "/neuigkeiten")
    assert "Neuigkeiten: Nein" in status.text and LATEST_DE not in status.text
    stopped = await bot_any.send("dirk", "die letzte Rundmail nochmal bitte")
    assert "Sie haben die Neuigkeiten abbestellt" in stopped.text, stopped.text
    assert "keine Neuigkeiten bekommen" not in stopped.text  # they missed it: not "nothing yet"
    # without the word "news" (a walkthrough's had got the FAQ's offer to stop them, or a ticket)
    for asked in (
        "was war die letzte nachricht von euch?",
        "gibts was neues?",
        # walkthrough 2026-12-08: choices, and the FAQ's "Nachrichten abbestellen" among them
        "was gibts neues bei euch",
        "gibts aktuelle neuigkeiten?",
    ):
        assert "Oker" in (await bot_any.send("anna", asked)).text, asked


async def test_news_about_one_event_is_no_request_for_the_news_received(bot: Harness) -> None:
    await network(bot)
    await broadcast(bot, "Exkursion zur Hütte Oker im Mai", "Alle")
    await deliver(bot)
    for asked in (
        "gibt es Neuigkeiten zur Exkursion?",
        "gibt es bisher news zum Recyclingzentrum?",
    ):
        reply = await bot.send("anna", asked)
        assert LATEST_DE not in reply.text and "keine Neuigkeiten bekommen" not in reply.text
