"""A second, invented network (FoodCircle Börde, agri-food) runs on the product unchanged.

Its knowledge base is imported with the operator's command into a fresh database that holds no
REWIMET data; members then ask in German and English, as they would on the network's chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.config import NetworkSettings
from bot.demo import DEMO_DIR
from bot.i18n import use_network
from handlers.faq.kb_import import parse_kb
from storage import faq
from storage.faq import FaqQuestion
from tests.harness import Harness, make_harness

NETWORK_DIR = Path(__file__).parent / "data" / "networks" / "foodcircle"
KB = NETWORK_DIR / "kb.toml"
ENTRIES = parse_kb(KB.read_text("utf-8"))
REWIMET_DEMO = parse_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
# The operator's [network] section: the bot's own texts name this network.
FOODCIRCLE = {
    "name": "FoodCircle Börde e. V.",
    "short_name": "FoodCircle",
    "tagline": {"de": "dem Netzwerk der Lebensmittelwirtschaft", "en": "the food industry network"},
}


@pytest.fixture
async def foodcircle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> AsyncIterator[Harness]:
    """The bot on a fresh SQLite database filled by `rewimet-bot import faq kb.toml` alone."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'foodcircle.db'}"
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    # The command runs its own event loop, so it gets a thread of its own.
    code = await asyncio.to_thread(main, ["import", "faq", str(KB), "--config", str(config)])
    assert code == 0
    assert f"{len(ENTRIES)} added, 0 updated, 0 unchanged" in capsys.readouterr().out
    harness = await make_harness(url, network=FOODCIRCLE)
    yield harness
    await harness.app.stop()
    default = NetworkSettings()
    use_network(default.name, default.short_name, default.taglines())


async def answered_entries(bot: Harness) -> list[tuple[str, str | None]]:
    async with bot.db.session() as session:
        logged = (await session.execute(select(FaqQuestion).order_by(FaqQuestion.id))).scalars()
        return [(q.decision, q.answered_entry_id) for q in logged]


def test_the_network_knowledge_base_is_a_valid_import() -> None:
    assert 25 <= len(ENTRIES) <= 40
    assert all(e.questions_de and e.questions_en and e.answer_de and e.answer_en for e in ENTRIES)
    assert not any("REWIMET" in e.answer_de + e.answer_en for e in ENTRIES)


async def test_members_get_the_networks_answers_in_german_and_english(
    foodcircle: Harness,
) -> None:
    cases = [
        ("de", "Was kostet die Mitgliedschaft im Jahr?", "Zahl der Beschäftigten"),
        ("en", "How do we quit the association?", "three months beforehand"),
        ("de", "Wie melde ich mich vom Newsletter ab?", "Abmeldelink"),
        ("de", "Wie kann ich den Newsletter abonnieren?", "einmal im Monat"),
        ("en", "How much is it to attend the forum?", "students and apprentices attend free"),
        ("de", "HACCP Konzept erstellen", "Gefahrenanalyse"),
        ("en", "Who can test our samples in a laboratory?", "Elbaue Analytik GmbH (fictional)"),
    ]
    for number, (lang, question, expected) in enumerate(cases):
        chat = await foodcircle.send(f"member{number}", question, lang=lang)
        assert expected in chat.text, question
        feedback = chat.replies[0].buttons[0]
        assert ("Helpful" if lang == "en" else "Hilfreich") in feedback[0].label, question
    # Subscribing is not unsubscribing: the German pair got their own, different answers.
    assert await answered_entries(foodcircle) == [
        ("answer", "membership-fee"),
        ("answer", "membership-cancel"),
        ("answer", "newsletter-unsubscribe"),
        ("answer", "newsletter-subscribe"),
        ("answer", "event-fee"),
        ("answer", "haccp"),
        ("answer", "lab-analytics"),
    ]


async def test_a_bare_cost_question_offers_the_networks_fees_to_choose_from(
    foodcircle: Harness,
) -> None:
    offered = await foodcircle.send("greta", "Kosten")
    assert "Meinten Sie" in offered.text
    assert any(p.startswith("faq:ho:") for p in offered.buttons)  # "none of these" is there
    picked = await foodcircle.press("greta", offered.button("Jahresbeitrag"))
    assert "Beitragsordnung" in picked.text and "Zahl der Beschäftigten" in picked.text
    english = await foodcircle.send("hugh", "costs", lang="en")
    assert "Did you mean" in english.text
    fee = await foodcircle.press("hugh", english.button("annual membership fee"))
    assert "number of employees" in fee.text
    assert await answered_entries(foodcircle) == [
        ("choices", "membership-fee"),
        ("choices", "membership-fee"),
    ]


async def test_a_question_without_an_entry_goes_to_the_networks_office(
    foodcircle: Harness,
) -> None:
    asked = await foodcircle.send("ida", "Kann ich meinen Traktor bei euch reparieren lassen?")
    assert "#1" in asked.text and "an die Geschäftsstelle weitergegeben" in asked.text
    assert "Cluster" not in asked.text
    english = await foodcircle.send("jon", "Do you rent out barns for weddings?", lang="en")
    assert "#2" in english.text and "office" in english.text
    inbox = await foodcircle.send("admin", "/inbox")
    assert "Traktor" in inbox.text and "weddings" in inbox.text
    assert await answered_entries(foodcircle) == [("handoff", None), ("handoff", None)]


async def test_nothing_of_the_rewimet_demo_answers_here(foodcircle: Harness) -> None:
    async with foodcircle.db.session() as session:
        stored = {row.id for row in await faq.list_entries(session)}
    assert stored == {e.id for e in ENTRIES}
    listing = await foodcircle.send("admin", "/faq")
    assert all(f"({e.id})" not in listing.text for e in REWIMET_DEMO)
    assert f"FAQ ({len(ENTRIES)} Einträge)" in (await foodcircle.send("admin", "/stats")).text
    asked = [("de", "Was ist REWIMET?"), ("en", "What is REWIMET?")]
    asked += [("de", e.questions_de[0]) for e in REWIMET_DEMO]
    asked += [("en", e.questions_en[0]) for e in REWIMET_DEMO]
    for number, (lang, question) in enumerate(asked):
        chat = await foodcircle.send(f"guest{number}", question, lang=lang)
        assert chat.replies, question
        assert "REWIMET" not in chat.text and "Harz" not in chat.text, question
        for entry in REWIMET_DEMO:
            assert entry.answer_de[:50] not in chat.text, question
            assert entry.answer_en[:50] not in chat.text, question


async def test_the_bot_introduces_itself_with_the_networks_name(foodcircle: Harness) -> None:
    german = await foodcircle.send("newcomer", "/start", lang="de")
    assert "Willkommen beim Mitglieder-Bot von FoodCircle Börde e. V., dem Netzwerk der" in (
        german.text
    )
    english = await foodcircle.send("visitor", "/start", lang="en")
    assert "member bot of FoodCircle Börde e. V., the food industry network!" in english.text
    assert "REWIMET" not in german.text + english.text


async def test_asking_who_the_network_is_gets_the_networks_own_entry(
    foodcircle: Harness,
) -> None:
    """ "wer seid ihr?" names nothing: the knowledge base is asked with the configured name."""
    about = next(e for e in ENTRIES if e.id == "about-foodcircle")
    for lang, question in (("de", "wer seid ihr?"), ("en", "what do you guys do?")):
        chat = await foodcircle.send(f"new-{lang}", question, lang=lang)
        assert getattr(about, f"answer_{lang}").split(".")[0] in chat.text, question
