"""Under an open date poll, a preference said in words with one option's date ("der 5.
Januar passt mir besser", "5 jan works better for me") votes for that option, as the option
typed out ("05.01.") does; a date said without a preference, or against it, votes nothing."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_poll_young_pros import votes, yp_poll


async def young_pros(bot: Harness) -> int:
    await bot.onboard("anna")
    await bot.onboard("eve", lang="en")
    await bot.send("anna", "/youngpro ja")
    await bot.send("eve", "/youngpro yes")
    return await yp_poll(bot, english=True)


@pytest.mark.parametrize(
    ("user", "typed", "option", "receipt"),
    [
        ("anna", "der 5. Januar passt mir besser", 0, "05.01."),
        ("anna", "Mir wäre der 12.1. lieber", 1, "12.01."),
        ("eve", "5 jan works better for me", 0, "5 January"),
        ("eve", "I'd prefer the 12th of January", 1, "12 January"),
    ],
)
@pytest.mark.parametrize("out_of_sight", [False, True])
async def test_a_preferred_date_votes_for_its_option(
    bot: Harness, user: str, typed: str, option: int, receipt: str, out_of_sight: bool
) -> None:
    number = await young_pros(bot)
    await bot.send(user, "/profil" if out_of_sight else "/offen")
    said = await bot.send(user, typed)
    assert receipt in said.text, said.text
    assert await votes(bot, number, user) == [option], said.text


@pytest.mark.parametrize(
    ("user", "typed"),
    [
        ("anna", "Am 5.1. bin ich leider nicht da"),
        ("anna", "der 12.1. passt mir nicht"),
        ("eve", "5 January doesn't work for me"),
        ("anna", "Passt der 19.1. auch?"),
    ],
)
async def test_a_date_not_preferred_votes_nothing(bot: Harness, user: str, typed: str) -> None:
    number = await young_pros(bot)
    await bot.send(user, "/profil")
    await bot.send(user, typed)
    assert not await votes(bot, number, user)
