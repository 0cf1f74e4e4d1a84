"""At the preview of a partner search that found members, asking who they are is told when
the member learns it (once a member says it is interested), with the preview's choices still
the answer; it had been handed to the FAQ, which offered the office and another search."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.partners_fixtures import import_members
from tests.test_partner_walkthrough import states
from tests.test_typed_yes_partner_preview import LAB


@pytest.mark.parametrize(
    ("lang", "who", "told"),
    [
        ("de", "wer ist das?", "sobald ein Mitglied Interesse zeigt"),
        ("de", "Welche Firma ist es denn?", "sobald ein Mitglied Interesse zeigt"),
        ("de", "welche firmen wären das denn?", "sobald ein Mitglied Interesse zeigt"),
        # two short questions: it had become a new search in place of the one waiting
        ("de", "wer ist das? kennt ihr die?", "sobald ein Mitglied Interesse zeigt"),
        ("de", "an wen genau geht das?", "sobald ein Mitglied Interesse zeigt"),
        ("en", "which companies would that be?", "as soon as a member says they are interested"),
        ("en", "who are they?", "as soon as a member says they are interested"),
        (
            "en",
            "can you tell me the company's name?",
            "as soon as a member says they are interested",
        ),
    ],
)
async def test_asking_who_fits_says_when_one_learns_it(
    bot: Harness, lang: str, who: str, told: str
) -> None:
    await import_members(bot)
    await bot.send("eva", f"/language {lang}")
    preview = await bot.send("eva", LAB)
    send = preview.buttons[0]
    said = await bot.send("eva", who)
    assert told in said.text, said.text
    assert not said.buttons, said.text  # no hand-off to the office, no other search
    assert await states(bot) == [], said.text  # nobody asked yet
    await bot.press("eva", send)  # the preview's buttons still answer
    assert await states(bot) == ["sent"]


async def test_a_question_naming_a_need_is_no_such_question(bot: Harness) -> None:
    await import_members(bot)
    await bot.send("eva", LAB)
    said = await bot.send("eva", "Wer kann Leiterplatten zerlegen?")
    assert "sobald ein Mitglied Interesse zeigt" not in said.text, said.text


async def test_asking_who_while_describing_more_adds_nothing_to_the_request(bot: Harness) -> None:
    """ "Genauer beschreiben", then "wer ist das denn, der passt?": told, the step still
    waiting; the question had been added to the request the members get."""
    await import_members(bot)
    preview = await bot.send("eva", LAB)
    await bot.press("eva", preview.button("Genauer beschreiben"))
    said = await bot.send("eva", "wer ist das denn, der passt?")
    assert "sobald ein Mitglied Interesse zeigt" in said.text, said.text
    assert "Ergänzen Sie Ihre Anfrage" in said.text
    again = await bot.send("eva", "mit Erfahrung in Hydrometallurgie")
    assert "Hydrometallurgie" in again.text and "wer ist das" not in again.text, again.text
