"""Asked which events are held in a language (walkthrough: "Are there any events in
English?" got the plain list): events have no language field, so the member learns what the
descriptions say of it, which events say nothing, and that the office knows the rest."""

from __future__ import annotations

from datetime import UTC

import pytest

from handlers.events.languages import asks_events_language
from tests.dates import days_ahead
from tests.harness import Harness


@pytest.fixture
async def events(bot: Harness) -> None:
    await bot.add_event(
        kind="workshop",
        title="Werkstatt Leiterplatten",
        title_en="Circuit board workshop",
        description="Die Vorträge sind auf Englisch, Fragen gern auf Deutsch.",
        description_en="The talks are in English, questions welcome in German.",
        starts_at=days_ahead(bot, 12).astimezone(UTC),
    )
    await bot.add_event(
        kind="symposium",
        title="Tagung Kreislaufkupfer",
        title_en="Circular copper conference",
        description="Zwei Tage Vorträge und Posterausstellung.",
        starts_at=days_ahead(bot, 30).astimezone(UTC),
    )
    await bot.onboard("ida", lang="de")
    await bot.onboard("sam", lang="en")


@pytest.mark.parametrize(
    ("user", "text", "said", "unsaid"),
    [
        (
            "sam",
            "Do you have events held in English?",
            "Circuit board workshop: “The talks are in English",
            "is not in its description",
        ),
        (
            "sam",
            "which of the upcoming events are English-speaking?",
            "Circuit board workshop",
            "Circular copper conference",
        ),
        (
            "ida",
            "Welche Veranstaltungen finden auf Englisch statt?",
            "Werkstatt Leiterplatten: „Die Vorträge sind auf Englisch",
            "steht nicht in ihrer Beschreibung",
        ),
    ],
)
async def test_the_descriptions_say_which_events_are_in_a_language(
    bot: Harness, events: None, user: str, text: str, said: str, unsaid: str
) -> None:
    reply = await bot.send(user, text)
    assert said in reply.text
    assert unsaid in reply.text
    assert "Tagung Kreislaufkupfer" in reply.text or "Circular copper" in reply.text
    assert "office" in reply.text or "geschäftsstelle" in reply.text


@pytest.mark.parametrize(
    "text", ["Can I switch the bot to English?", "Welche Veranstaltungen gibt es im März?"]
)
def test_not_a_question_of_all_events_languages(text: str) -> None:
    assert not asks_events_language(text)


async def test_one_events_language_stays_a_question_for_the_office(
    bot: Harness, events: None
) -> None:
    reply = await bot.send("sam", "Is the circuit board workshop in English?")
    assert "What the descriptions say" not in reply.text
