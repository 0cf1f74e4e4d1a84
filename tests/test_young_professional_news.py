"""A member who says they are a young professional before registering is offered the news,
with which new excursions for young professionals are announced: they had seen the
excursions open now, and heard of no later one (someone who only asked a question never
chose the news, so none reached them)."""

from __future__ import annotations

import pytest

from tests.harness import Harness


@pytest.mark.parametrize(
    ("user", "lang", "offered", "button", "chosen"),
    [
        (
            "lena",
            "de",
            "Möchten Sie die Neuigkeiten erhalten?",
            "Ja, Neuigkeiten erhalten",
            "Neuigkeiten: Ja",
        ),
        ("tom", "en", "Would you like to receive the news?", "Yes, send me the news", "News: Yes"),
    ],
)
async def test_a_new_young_professional_is_offered_the_news(
    bot: Harness, user: str, lang: str, offered: str, button: str, chosen: str
) -> None:
    reply = await bot.send(user, "/youngpro ja" if lang == "de" else "/youngpro yes", lang=lang)
    assert offered in reply.text, reply.text
    assert reply.button(button)
    said = await bot.send(user, "ja" if lang == "de" else "yes")  # typed, the button's
    assert chosen in said.text, said.text
    member = await bot.member(user)
    assert member is not None and member.news_subscribed and not member.onboarded


async def test_a_registered_member_or_one_who_chose_is_not_asked_again(bot: Harness) -> None:
    await bot.onboard("ria")  # answered the news in the registration
    await bot.send("nina", "/news nein")
    for user in ("ria", "nina"):
        reply = await bot.send(user, "/youngpro ja")
        assert "Neuigkeiten erhalten" not in reply.text, reply.text
