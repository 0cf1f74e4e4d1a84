"""/mydata (/meinedaten) reads as a summary in the member's own language: the profile as they
gave it and what else is stored, in words, not field names; the full file comes along."""

from __future__ import annotations

import json

import pytest

from storage import members
from tests.harness import Harness

RAW = ("partner_consent", "news_subscribed", "member_id", "faq_inbox", "_at", "{", "None", "True")


@pytest.mark.parametrize(
    ("lang", "command", "said"),
    [
        ("de", "/meinedaten", ("Organisation: Klangholz (fiktiv)", "Themen:", "Frage")),
        ("en", "/mydata", ("Organisation: Klangholz (fiktiv)", "Topics:", "question")),
    ],
)
async def test_mydata_is_a_readable_summary_with_the_file(
    bot: Harness, lang: str, command: str, said: tuple[str, ...]
) -> None:
    await bot.onboard("lea", lang=lang, org="Klangholz (fiktiv)")
    await bot.send("lea", "Wer stimmt bei euch die Glocken im Turm?")  # to the office
    shown = await bot.send("lea", command)
    text = shown.text
    for words in said:
        assert words in text, text
    for raw in RAW:
        assert raw not in text, (raw, text)
    (file,) = [r.attachment for r in shown.replies if r.attachment is not None]
    assert json.loads(file.content)["members"][0]["organisation"] == "Klangholz (fiktiv)"


async def test_the_summary_counts_what_else_is_stored(bot: Harness) -> None:
    await bot.onboard("max", lang="de", org="Glockenguss (fiktiv)")
    for question in ("Wie läuft die Orgelprüfung ab?", "Wo lagert ihr die Zinnbarren?"):
        await bot.send("max", question)
    text = (await bot.send("max", "/meinedaten")).text
    assert "Ihre Fragen an den Bot: 2" in text, text


async def test_a_directory_members_kind_and_city_read_in_their_language(bot: Harness) -> None:
    await bot.onboard("ida", lang="en", org="Turmuhren (fiktiv)")
    member = await bot.member("ida")
    assert member is not None
    async with bot.db.session() as session:
        await members.update_member(session, member_id=member.id, kind="research", city="Zittau")
    text = (await bot.send("ida", "/mydata")).text
    assert "Kind: research institute" in text and "City: Zittau" in text, text
