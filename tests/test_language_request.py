"""A member who asks in a message to go on in the other language gets it, as /language does;
a question about a language (what is offered in English) is no such request."""

from __future__ import annotations

import pytest

from handlers.members.rules import asks_for_language
from tests.harness import Harness


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Englisch, bitte", "en"),
        ("Könnten Sie mir bitte auf Englisch antworten?", "en"),
        ("could you write in English from now on", "en"),
        ("Lieber auf Deutsch", "de"),
        ("Can you answer me in German, please?", "de"),
        ("Sprich bitte wieder Deutsch mit mir", "de"),
        ("Ich verstehe kein Englisch", "de"),
        ("write in englsh please", "en"),
        ("bitte auf deutch", "de"),
        ("Sorry, I don't speak German", "en"),
        ("Bitte nicht auf Englisch antworten", None),
        # about a language, not a request
        ("Ist der Workshop auf Englisch?", None),
        ("Do you have the minutes in English?", None),
        ("Gibt es das Protokoll auch auf Deutsch", None),
        ("In German?", None),
        ("Sprechen die Gäste aus Polen Englisch?", None),
        ("Wir suchen einen Partner, der Englisch spricht", None),
        ("Deutsch oder Englisch", None),
    ],
)
def test_a_request_to_go_on_in_a_language_is_told_from_a_question_about_one(
    text: str, language: str | None
) -> None:
    assert asks_for_language(text) == language


async def language_of(bot: Harness, user: str) -> str:
    member = await bot.member(user)
    assert member is not None
    return member.language


async def test_asking_in_german_to_go_on_in_english_switches(bot: Harness) -> None:
    await bot.onboard("lena")
    said = await bot.send("lena", "Können wir bitte auf Englisch weitermachen?")
    assert said.text.startswith("Saved – Language: English"), said.text
    assert "Ticket" not in said.text
    assert await language_of(bot, "lena") == "en"
    assert "Your profile" in (await bot.send("lena", "/profil")).text


async def test_asking_in_english_to_go_on_in_german_switches(bot: Harness) -> None:
    await bot.onboard("tom", lang="en")
    said = await bot.send("tom", "german please")
    assert said.text.startswith("Gespeichert – Sprache: Deutsch"), said.text
    assert await language_of(bot, "tom") == "de"


async def test_a_question_about_a_language_changes_none(bot: Harness) -> None:
    await bot.onboard("lena")
    asked = ("Is the summer school held in English?", "Gibt es den Leitfaden auf Englisch?")
    for question in asked:
        said = await bot.send("lena", question)
        assert "Language: English" not in said.text, said.text
        assert await language_of(bot, "lena") == "de"


async def test_a_request_typed_at_the_registration_is_no_organisation(bot: Harness) -> None:
    """Typed where the registration asks for the organisation, it is carried out, and the
    question asked again in English, instead of being stored as the organisation."""
    await bot.send("neu", "/start")
    await bot.press("neu", "ob:language:de")
    said = await bot.send("neu", "in English please")
    assert "Saved – Language: English" in said.text, said.text
    assert "Which organisation do you represent" in said.text, said.text
    member = await bot.member("neu")
    assert member is not None and member.language == "en" and not member.organisation
