"""/eventpoll with a question typed in English where the German one goes: the preview warns
that members who chose German would be asked in English and, as the new event's preview,
offers "Use as English"; the German version asked for then, each member is asked in their
language and their votes count on the same options."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.delivery import reply_from_payload
from bot.messages import Poll, PollVote
from storage.models import OutboxMessage
from tests.harness import Chat, Harness
from tests.test_events import create, goslar

ENGLISH = "Would you like lunch at the mine? | Yes | No"
GERMAN = "Möchten Sie mittags im Bergwerk essen? | Ja | Nein"

WORDS = {
    "de": {
        "warns": "Die Frage liest sich englisch: Mitglieder, die Deutsch gewählt haben, würden "
        "auf Englisch gefragt.",
        "use": "Als Englisch übernehmen",
        "asks_german": "Die englische Fassung steht. Jetzt die deutsche, mit denselben 2 Antworten",
        "same_options": "Bitte genau 2 Antworten, wie in der englischen Fassung",
        "english_version": "Englische Fassung (für Mitglieder, die Englisch gewählt haben):",
        "send": "An alle senden",
    },
    "en": {
        "warns": "The question reads as English: members who chose German would be asked in "
        "English.",
        "use": "Use as English",
        "asks_german": "The English version is set. Now the German one, with the same 2 options",
        "same_options": "Please give exactly 2 options, as in the English version",
        "english_version": "English version (for members who chose English):",
        "send": "Send to everyone",
    },
}


def labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.replies for row in r.buttons for b in row]


async def polls_sent_to(bot: Harness, user: str) -> list[Poll]:
    person = await bot.member(user)
    assert person is not None
    async with bot.db.session() as session:
        rows = await session.execute(
            select(OutboxMessage).where(
                OutboxMessage.kind == "event_poll", OutboxMessage.member_id == person.id
            )
        )
        found = [reply_from_payload(m.payload).poll for m in rows.scalars()]
    return [poll for poll in found if poll is not None]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_english_question_is_warned_about_and_taken_as_the_english_version(
    bot: Harness, lang: str
) -> None:
    say = WORDS[lang]
    number = await create(bot, goslar(bot, 10))
    await bot.onboard("gerd", lang="de")
    await bot.onboard("ella", lang="en")
    await bot.send("admin", f"/language {lang}")
    preview = await bot.send("admin", f"/eventpoll {number} {ENGLISH}")
    assert say["warns"] in preview.text, preview.text
    asked = await bot.press("admin", preview.button(say["use"]))
    assert say["asks_german"] in asked.text, asked.text
    # the German version must ask the same options, in the same places
    refused = await bot.send("admin", "Mittagessen? | Ja | Nein | Vielleicht")
    assert say["same_options"] in refused.text, refused.text
    preview = await bot.send("admin", GERMAN)
    assert say["warns"] not in preview.text and say["use"] not in labels(preview), preview.text
    assert say["english_version"] in preview.text and "Would you like lunch" in preview.text
    await bot.press("admin", preview.button(say["send"]))
    (german,) = await polls_sent_to(bot, "gerd")
    assert (german.question, german.options) == (
        "Möchten Sie mittags im Bergwerk essen?",
        ("Ja", "Nein"),
    )
    (english,) = await polls_sent_to(bot, "ella")
    assert (english.question, english.options) == (
        "Would you like lunch at the mine?",
        ("Yes", "No"),
    )
    waiting = await bot.send("ella", "/pending")
    assert "Would you like lunch at the mine?" in str(waiting.replies), waiting.replies
    # a vote on the English "Yes" is a "Ja", and its receipt is in English
    counted = await bot.send("ella", vote=PollVote(english.poll_key, (0,)))
    assert "Yes" in counted.text and "Would you like lunch" in counted.text, counted.text
    await bot.send("admin", "/language de")
    results = await bot.send("admin", f"/pollresults {number}")
    assert "Ja: 1" in results.text and "Nein: 0" in results.text, results.text
    waiting = await bot.send("gerd", "/offen")
    assert "Möchten Sie mittags im Bergwerk essen?" in str(waiting.replies)


async def test_discard_typed_for_the_german_version_sends_nothing(bot: Harness) -> None:
    number = await create(bot, goslar(bot, 10))
    await bot.onboard("gerd", lang="de")
    preview = await bot.send("admin", f"/eventpoll {number} {ENGLISH}")
    await bot.press("admin", preview.button(WORDS["de"]["use"]))
    dropped = await bot.send("admin", "verwerfen")
    assert "Abgebrochen" in dropped.text, dropped.text
    assert await polls_sent_to(bot, "gerd") == []
    asked = await bot.send("admin", "Wann ist die Exkursion?")
    assert "Antworten" not in asked.text, asked.text  # a question again, not the poll's step


async def test_a_german_question_is_not_warned_about(bot: Harness) -> None:
    number = await create(bot, goslar(bot, 10))
    await bot.onboard("gerd", lang="de")
    preview = await bot.send("admin", f"/eventpoll {number} {GERMAN}")
    assert WORDS["de"]["warns"] not in preview.text, preview.text
    assert WORDS["de"]["use"] not in labels(preview)
    await bot.press("admin", preview.button("An alle senden"))
    (german,) = await polls_sent_to(bot, "gerd")
    assert german.question == "Möchten Sie mittags im Bergwerk essen?"


@pytest.mark.parametrize(
    ("lang", "command", "example"),
    [
        ("de", "/umfrage", "Zum Beispiel: /umfrage 3 Welcher Tag passt? | Montag | Dienstag"),
        ("en", "/eventpoll", "For example: /eventpoll 3 Which day suits you? | Monday | Tuesday"),
    ],
)
async def test_a_poll_command_alone_shows_its_example_with_the_options(
    bot: Harness, lang: str, command: str, example: str
) -> None:
    # "/umfrage" alone had said "/umfrage <Nummer> <Text>": nothing of the "|" between options
    await bot.send("admin", f"/language {lang}")
    said = await bot.send("admin", command)
    assert example in said.text, said.text
    usage = "<Frage | Antwort | Antwort>" if lang == "de" else "<question | option | option>"
    assert f"{command} <" in said.text and usage in said.text, said.text
