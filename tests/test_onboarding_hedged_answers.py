"""A walkthrough of the registration after /start: a hedged no at a yes/no question ("erstmal
nicht", "eher nicht", "lieber nicht", "not now", "maybe later") is a no, as "nein" is, not
"Bitte antworten Sie mit Ja oder Nein." (nor, for "lieber nicht", the end of the
registration); a hedged yes that goes on ("i guess? im a phd student", "ich denke schon, ich
bin Doktorandin") is a yes, not a question for the office."""

from __future__ import annotations

import pytest

from bot.demo import DEMO_DIR
from tests.harness import Chat, Harness

ASK = {
    "consent": {"de": "Dürfen Partneranfragen", "en": "May partner requests"},
    "news": {"de": "Neuigkeiten und Einladungen", "en": "news and invitations"},
    "yp": {"de": "Young Professionals", "en": "young professionals"},
}
YES_OR_NO = ("Bitte antworten Sie mit Ja oder Nein.", "Please answer yes or no.")


@pytest.fixture
async def kb_bot(bot: Harness) -> Harness:
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    return bot


async def up_to_consent(bot: Harness, user: str, lang: str) -> Chat:
    await bot.send(user, "/start", lang=lang)
    await bot.press(user, f"ob:language:{lang}")
    await bot.send(user, "Harz Metall GmbH")
    await bot.send(user, "Einkauf" if lang == "de" else "purchasing")
    return await bot.send(user, "Batterierecycling" if lang == "de" else "battery recycling")


@pytest.mark.parametrize(
    ("lang", "hedged"),
    [
        ("de", "erstmal nicht"),
        ("de", "eher nicht"),
        ("de", "lieber nicht"),
        ("de", "jetzt noch nicht, danke"),
        ("de", "vielleicht später"),
        ("en", "not now"),
        ("en", "maybe later"),
        ("en", "rather not, thanks"),
        ("en", "probably not"),
        ("en", "not yet"),
    ],
)
async def test_a_hedged_no_at_a_yes_no_question_is_a_no(
    kb_bot: Harness, lang: str, hedged: str
) -> None:
    asked = await up_to_consent(kb_bot, "ole", lang)
    assert ASK["consent"][lang] in asked.text, asked.text
    said = await kb_bot.send("ole", hedged)
    assert not any(line in said.text for line in YES_OR_NO), said.text
    assert ASK["news"][lang] in said.text, said.text  # on to the next question
    member = await kb_bot.member("ole")
    assert member is not None and member.partner_consent is False
    # and at the news question too
    said = await kb_bot.send("ole", hedged)
    assert ASK["yp"][lang] in said.text, said.text
    member = await kb_bot.member("ole")
    assert member is not None and member.news_subscribed is False


@pytest.mark.parametrize(
    ("lang", "hedged"),
    [
        ("en", "i guess? im a phd student"),
        ("en", "i think so, i'm doing my PhD"),
        ("en", "probably yes, still a master's student"),
        ("de", "ich denke schon, ich bin Doktorandin"),
        ("de", "schon, bin noch im Studium"),
        ("de", "wahrscheinlich ja?"),
    ],
)
async def test_a_hedged_yes_at_the_young_professionals_question_is_a_yes(
    kb_bot: Harness, lang: str, hedged: str
) -> None:
    await up_to_consent(kb_bot, "ida", lang)
    await kb_bot.send("ida", "nein" if lang == "de" else "no")
    asked = await kb_bot.send("ida", "ja" if lang == "de" else "yes")
    assert ASK["yp"][lang] in asked.text, asked.text
    said = await kb_bot.send("ida", hedged)
    assert "Ticket" not in said.text and "cluster office" not in said.text, said.text
    assert "Clustergeschäftsstelle" not in said.text, said.text
    assert not any(line in said.text for line in YES_OR_NO), said.text
    member = await kb_bot.member("ida")
    assert member is not None and member.young_professional is True and member.onboarded


async def test_vague_words_alone_still_ask_for_yes_or_no(kb_bot: Harness) -> None:
    await up_to_consent(kb_bot, "ute", "de")
    said = await kb_bot.send("ute", "vielleicht")
    assert YES_OR_NO[0] in said.text, said.text


@pytest.mark.parametrize(("lang", "hedged"), [("de", "ich denke schon"), ("en", "i guess")])
async def test_a_hedged_yes_erases_nothing(kb_bot: Harness, lang: str, hedged: str) -> None:
    """Erasing everything (/forget) takes a plain yes: a hedged one is asked again."""
    await kb_bot.onboard("eva", lang=lang)
    await kb_bot.send("eva", "/forget")
    said = await kb_bot.send("eva", hedged)
    assert said.text.startswith(YES_OR_NO[0] if lang == "de" else YES_OR_NO[1]), said.text
    member = await kb_bot.member("eva")
    assert member is not None and member.organisation == "Test GmbH"
