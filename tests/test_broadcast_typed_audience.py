"""At /broadcast's "Wer soll sie bekommen?", everyday words for the audiences are understood
("young pros", "Nachwuchs", "nur englische", "alle"), and words it cannot place are answered
with a plain-language list of what can be chosen, not with codes like "yp, sprache:en"."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.i18n import t
from handlers.broadcast.rules import Audience, parse_audience
from tests.harness import Harness
from tests.test_broadcast import network, start_broadcast


@pytest.mark.parametrize(
    ("typed", "reached"),
    [
        ("young pros", "1 Mitglied,"),
        ("Young Professionals", "1 Mitglied,"),
        ("der Nachwuchs", "1 Mitglied,"),
        ("nur englische", "1 Mitglied,"),
        ("alle", "3 Mitglieder,"),
    ],
)
async def test_everyday_words_choose_the_audience(bot: Harness, typed: str, reached: str) -> None:
    await network(bot)
    await start_broadcast(bot)
    preview = await bot.send("admin", typed)
    assert "Vorschau" in preview.text and reached in preview.text, preview.text


async def test_an_unknown_audience_lists_the_choices_in_words(bot: Harness) -> None:
    await network(bot)
    await start_broadcast(bot)
    said = await bot.send("admin", "die Presseleute")
    text = said.text
    assert "„die Presseleute“" in text
    for choice in ("Alle Mitglieder", "Young Professionals", "Mitglieder mit Sprache Englisch"):
        assert choice in text, text
    assert "Mitglieder mit Thema" in text, text
    for code in ("yp,", "sprache:en", "thema:", "art:"):
        assert code not in text, text
    assert said.button("Alle")  # and the choices are offered again


def test_the_words_and_the_list_in_english() -> None:
    assert parse_audience("young professionals") == Audience("yp")
    assert parse_audience("English speakers only") == Audience("lang", "en")
    assert parse_audience("everyone") == Audience("all")
    assert parse_audience("nur deutschsprachige Mitglieder") == Audience("lang", "de")
    assert parse_audience("Thema Batterierecycling") == Audience("topic", "Batterierecycling")
    with pytest.raises(UserError) as unknown:
        parse_audience("the press")
    said = str(t("en", unknown.value.key, **unknown.value.values))
    assert "All members" in said and "Young professionals" in said, said
    assert "language:en" not in said and "yp," not in said, said
