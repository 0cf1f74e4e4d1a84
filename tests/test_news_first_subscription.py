"""A member who never received the news (they said no when they registered) is offered them
for the first time: "Nachrichten erhalten", "Sie erhalten ab jetzt …" – not "wieder" (again),
which stays for a member who had them and stopped them."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_faq_news_offer import KB, labels

ASK = {
    "de": "Wie erhalte ich die Mitteilungen des Verbunds?",
    "en": "How do I get the network's updates?",
}
FIRST = {"de": "Nachrichten erhalten", "en": "Receive the news"}
AGAIN = {"de": "Nachrichten wieder erhalten", "en": "Receive the news again"}
DONE_FIRST = {"de": "Sie erhalten ab jetzt Neuigkeiten", "en": "you will receive news and"}
DONE_AGAIN = {"de": "Sie erhalten wieder Neuigkeiten", "en": "in the chat again"}


async def registered_without_news(bot: Harness, user: str, lang: str) -> None:
    await bot.send(user, "/start")
    await bot.press(user, f"ob:language:{lang}")
    await bot.send(user, "Harzer Hütte GmbH")
    await bot.send(user, "Einkauf")
    await bot.send(user, "Kupfer")
    await bot.press(user, "ob:consent:1")
    await bot.press(user, "ob:contact:-")
    await bot.press(user, "ob:news:0")
    await bot.press(user, "ob:yp:0")
    member = await bot.member(user)
    assert member is not None and member.onboarded and not member.news_subscribed


@pytest.fixture
async def kb(bot: Harness) -> Harness:
    await bot.import_kb(KB)
    return bot


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_never_subscribed_is_offered_the_news_without_again(kb: Harness, lang: str) -> None:
    await registered_without_news(kb, "ute", lang)
    answer = await kb.send("ute", ASK[lang])
    assert FIRST[lang] in labels(answer) and AGAIN[lang] not in labels(answer), labels(answer)
    done = await kb.press("ute", answer.button(FIRST[lang]))
    assert DONE_FIRST[lang] in done.text and DONE_AGAIN[lang] not in done.text, done.text
    member = await kb.member("ute")
    assert member is not None and member.news_subscribed


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_one_who_stopped_them_gets_them_again(kb: Harness, lang: str) -> None:
    await kb.onboard("vera", lang=lang)
    await kb.send("vera", "/news nein")
    answer = await kb.send("vera", ASK[lang])
    assert AGAIN[lang] in labels(answer), labels(answer)
    done = await kb.press("vera", answer.button(AGAIN[lang]))
    assert DONE_AGAIN[lang] in done.text, done.text
