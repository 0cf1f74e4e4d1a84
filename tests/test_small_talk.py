"""Small talk and stray input get a short friendly answer, never an office ticket (issue 14 §5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from bot.transports.console import local_file
from handlers.faq.small_talk import small_talk
from storage.faq import FaqTicket
from tests.harness import Harness


@pytest.fixture
async def kb_bot(bot: Harness) -> Harness:
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    return bot


async def tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(FaqTicket)) or 0)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("de", "danke!", "Gern geschehen"),
        ("de", "Vielen Dank 🙏", "Gern geschehen"),
        ("de", "ok danke", "Gern geschehen"),
        ("de", "Alles klar, vielen Dank!", "Gern geschehen"),
        ("de", "ok", "Alles klar"),
        ("de", "Alles klar, super", "Alles klar"),
        ("de", "nein danke", "Alles klar"),
        # a no to nothing named, from a member signed up for nothing: no "Sie sind für keine
        # Veranstaltung angemeldet"
        ("de", "nein, lieber nicht", "Alles klar"),
        ("de", "nee, doch nicht", "Alles klar"),
        ("de", "Tschüss, bis bald", "Bis bald"),
        ("de", "Hallo zusammen", "Stellen Sie mir Ihre Frage"),
        ("de", "1", "Zu „1“ gibt es gerade keine Auswahl"),  # an older message's button
        ("de", "4711", "etwas kurz"),
        ("de", "👍", "Alles klar"),
        ("de", "👍🎉", "Alles klar"),
        ("de", "👍🏽!", "Alles klar"),
        ("de", "🙏", "Gern geschehen"),
        ("de", "🤔", "etwas kurz"),
        ("de", "👎", "Schade, dass etwas nicht gepasst hat"),  # not under an answer
        ("en", "😕👎🏼", "Sorry that something did not fit"),
        ("de", "🔋🔋", "etwas kurz"),
        ("de", "👍🤔", "etwas kurz"),
        ("de", "xy", "etwas kurz"),
        ("de", "clear", "Zu „clear“ habe ich keine Antwort gefunden"),
        ("de", "<script>alert(1)</script>", "keine Antwort gefunden"),
        ("en", "thanks a lot", "You're welcome"),
        ("en", "great, thanks", "You're welcome"),
        ("en", "okay, got it", "All right"),
        ("en", "good morning", "Ask me your question"),
        ("en", "no, rather not", "All right"),
        ("en", "bye", "See you"),
        ("en", "👍", "All right"),
        ("en", "🎉🥳", "All right"),
        ("en", "🙏🏻", "You're welcome"),
        ("en", "🤔", "That was a bit short"),
        ("en", "7", "There is nothing to choose by “7” right now"),
        ("en", "clear", "I found no answer to “clear”"),
    ],
)
async def test_small_talk_gets_a_short_answer_and_no_ticket(
    kb_bot: Harness, lang: str, text: str, expected: str
) -> None:
    await kb_bot.onboard("mia", lang=lang)
    answer = await kb_bot.send("mia", text)
    assert expected in answer.text
    assert await tickets(kb_bot) == 0


async def test_a_real_question_nobody_answered_still_reaches_the_office(kb_bot: Harness) -> None:
    await kb_bot.onboard("mia")
    answer = await kb_bot.send(
        "mia", "Gibt es Fördermittel für Pilotanlagen zur Galliumrückgewinnung?"
    )
    assert "weitergegeben (Ticket #1)" in answer.text
    assert await tickets(kb_bot) == 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("de", "nehme ich nur an, wenn ich darum bitte"), ("en", "only take images and files")],
)
async def test_a_photo_with_a_caption_outside_a_flow_is_no_ticket(
    kb_bot: Harness, tmp_path: Path, lang: str, expected: str
) -> None:
    await kb_bot.onboard("mia", lang=lang)
    photo = tmp_path / "anlage.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    answer = await kb_bot.send(
        "mia", "Wer kann uns bei dieser Anlage weiterhelfen?", attachment=local_file(str(photo))
    )
    assert expected in answer.text
    assert await tickets(kb_bot) == 0


def test_questions_are_not_small_talk() -> None:
    for question in (
        "Danke für die Einladung – wann beginnt das Symposium?",
        "ok, und wie hoch ist der Mitgliedsbeitrag?",
        "Hallo, ich suche einen Partner für Batterierecycling",
        "thanks, how do I register?",
        "nicht gut",  # a complaint, not a polite no
    ):
        assert small_talk(question) is None, question


async def test_a_greeting_from_someone_new_shows_the_way_in(kb_bot: Harness) -> None:
    new = await kb_bot.send("neu", "Hallo")
    assert "mit /start kurz vor" in new.text, new.text
    await kb_bot.onboard("bekannt")
    assert "/start" not in (await kb_bot.send("bekannt", "Hallo")).text


async def test_markup_typed_around_words_is_read_as_those_words(kb_bot: Harness) -> None:
    """Telegram passes "<b>Moin</b>" on as typed: it greets as "Moin" does, and "<u>q</u>"
    or "<p></p>" is as short as "q" (not a greeting), answered in the member's German."""
    greeted = await kb_bot.send("neu", "<b>Moin</b>")
    assert "Hallo!" in greeted.text and "mit /start kurz vor" in greeted.text, greeted.text
    await kb_bot.onboard("ida")
    for typed, said in (
        ("<u>q</u>", "Das war wohl etwas kurz"),
        ("<p></p>", "Das war wohl etwas kurz"),
        ("<i>dankeschön</i>", "Gern geschehen"),
        ("<b>Guten Abend</b>", "Stellen Sie mir Ihre Frage zum Netzwerk"),
    ):
        reply = await kb_bot.send("ida", typed)
        assert said in reply.text, (typed, reply.text)
    assert await tickets(kb_bot) == 0
