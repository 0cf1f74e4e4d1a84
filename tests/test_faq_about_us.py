"""A new member's first question is often about the network or the bot itself, in everyday
words only: "wer seid ihr?", "what do you guys do?", "bist du ein Mensch?". The network's
questions get the entry the knowledge base has for the network's name, the bot's say what
the bot is; a question that names something ("Was macht ihr mit meinen Daten?") is read as
before."""

from __future__ import annotations

import pytest

from bot.demo import DEMO_DIR
from bot.i18n import network_names
from handlers.faq.about_us import about_us
from handlers.faq.kb_import import parse_kb
from tests.harness import Harness
from tests.test_faq import seed_kb

DEMO_KB = parse_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
ABOUT = next(e for e in DEMO_KB if e.id == "ueber-das-cluster")
PRIVACY = next(e for e in DEMO_KB if e.id == "datenschutz")
BOT_HELP = next(e for e in DEMO_KB if e.id == "bot-hilfe")

NETWORK = {
    "de": (
        "wer seid ihr?",
        "Was macht ihr eigentlich?",
        "was macht ihr so",
        "Wer seid ihr denn?",
        "Was machen Sie eigentlich genau?",
    ),
    "en": (
        "who are you guys?",
        "what do you guys do?",
        "what do you do exactly?",
        "who are you",
        "who is behind this?",
        "what are you guys about?",
    ),
}
BOT = {
    "de": (
        "wer bist du?",
        "Bist du ein Mensch?",
        "bist du ein bot oder ein echter mensch",
        "Mit wem spreche ich hier?",
        "Wer steckt hinter diesem Bot?",
    ),
    "en": ("are you a bot?", "are you a real person?", "Are you human?", "am I talking to a bot?"),
}
ABILITIES = {
    "de": (
        "was kann ich dich fragen?",
        "Welche Fragen kann ich hier stellen?",
        "wobei kannst du mir helfen",
    ),
    "en": (
        "what can I ask you?",
        "what sort of things can I ask here?",
        "what can you help me with?",
    ),
}
BOT_SAYS = {"de": "ein Programm, kein Mensch", "en": "a program, not a person"}


@pytest.fixture
async def members(bot: Harness) -> Harness:
    await seed_kb(bot)
    await bot.onboard("de", lang="de", org="Harzer Schrott GmbH")
    await bot.onboard("en", lang="en", org="Brocken Metals Ltd")
    return bot


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_asking_who_the_network_is_gets_the_entry_about_the_network(
    members: Harness, lang: str
) -> None:
    first_sentence = getattr(ABOUT, f"answer_{lang}").split(".")[0]
    for question in NETWORK[lang]:
        chat = await members.send(lang, question)
        assert first_sentence in chat.text, question


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_asking_what_the_bot_is_gets_the_bot_s_own_answer(
    members: Harness, lang: str
) -> None:
    for question in BOT[lang]:
        chat = await members.send(lang, question)
        assert BOT_SAYS[lang] in chat.text, question
        assert network_names()[0] in chat.text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_asking_what_one_can_ask_gets_the_entry_on_what_the_bot_does(
    members: Harness, lang: str
) -> None:
    for question in ABILITIES[lang]:
        chat = await members.send(lang, question)
        assert getattr(BOT_HELP, f"answer_{lang}").split(".")[0] in chat.text, question


@pytest.mark.parametrize(
    ("lang", "question"),
    [("de", "Was macht ihr mit meinen Daten?"), ("en", "what do you do with my data?")],
)
async def test_a_question_naming_something_is_read_by_the_engine(
    members: Harness, lang: str, question: str
) -> None:
    chat = await members.send(lang, question)
    assert getattr(PRIVACY, f"answer_{lang}").split(".")[0] in chat.text
    assert getattr(ABOUT, f"answer_{lang}").split(".")[0] not in chat.text


@pytest.mark.parametrize(
    "text",
    [
        "wer seid ihr",
        "what do you guys do",
        "wer bist du",
        "are you a bot",
    ],
)
def test_only_everyday_words_about_us_count(text: str) -> None:
    assert about_us(text) is not None
    assert about_us(text + " beim Symposium") is None
    assert about_us(text.replace("wer", "wann").replace("who", "when")) in (None, about_us(text))


def test_nothing_else_is_about_us() -> None:
    nothing = ("", "ja", "was?", "ihr", "danke euch", "macht ihr das?", "do you?", "du")
    # a problem's "what can I do?" is no question about the bot
    for text in (*nothing, "Was kann ich tun?", "what can I do?", "wie kann ich helfen"):
        assert about_us(text) is None, text


async def test_after_a_sign_up_a_question_about_the_bot_is_no_follow_up(members: Harness) -> None:
    """ "diesem Bot" points at the bot, not back at the message before (it had gone to the
    office read with it), and "wer steckt hinter …" is no partner search."""
    await members.send("de", "Wie melde ich mich für eine Veranstaltung an?")
    chat = await members.send("de", "Wer steckt hinter diesem Bot?")
    assert BOT_SAYS["de"] in chat.text, chat.text
