"""Whether one still gets invitations to events, asked after stopping the news (a
walkthrough's "krieg ich dann trotzdem noch Einladungen?" had got how to sign up): they come
with the news; reminders of one's sign-ups come either way."""

from __future__ import annotations

import pytest

from handlers.members.news_offer import asks_whether_invited
from tests.harness import Harness


async def test_invitations_follow_the_news_and_reminders_stay(bot: Harness) -> None:
    await bot.onboard("finn")
    await bot.send("finn", "/neuigkeiten nein")
    told = await bot.send(
        "finn", "krieg ich dann trotzdem noch einladungen zu den veranstaltungen?"
    )
    assert told.text.startswith("Nein: Einladungen zu Veranstaltungen kommen mit den Neuigkeiten")
    assert "erinnere ich Sie trotzdem" in told.text and "/termine" in told.text
    await bot.send("finn", "/neuigkeiten ja")
    again = await bot.send("finn", "bekomme ich noch Einladungen?")
    assert again.text.startswith("Ja: Einladungen zu Veranstaltungen"), again.text
    # asked in English by a German member: answered in English
    english = await bot.send("finn", "do I still get event invitations?")
    assert english.text.startswith("Yes: invitations to events come with the news"), english.text


@pytest.mark.parametrize(
    "text",
    [
        "Wie bekomme ich eine Einladung zum Symposium?",
        "Kann ich eine Einladung für meinen Kollegen bekommen?",
        "Where do I get the invitation letter for my visa?",
    ],
)
def test_how_to_get_an_invitation_is_no_such_question(text: str) -> None:
    assert not asks_whether_invited(text)
