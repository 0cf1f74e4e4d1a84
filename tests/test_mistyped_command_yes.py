"""A mistyped command ("/anmeldn 1") is answered "meinten Sie /anmelden?"; a typed "ja"/"yes"
(or the button beside it) then runs that command with the words typed after it: it had been
"👍 Alles klar", and nobody was signed up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.events import EventSignup
from tests.harness import Harness


@pytest.fixture
async def workshop(bot: Harness) -> int:
    start = bot.app.services.clock() + timedelta(days=9)
    event = await bot.add_event(
        kind="workshop",
        title="Werkstatt Kobaltrückgewinnung",
        title_en="Cobalt recovery workshop",
        place="Freiberg",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        capacity=12,
    )
    return event.id


@pytest.mark.parametrize(
    ("lang", "typo", "yes", "done"),
    [
        ("de", "anmeldn", "ja", "angemeldet"),
        ("de", "anmelen", "ja bitte", "angemeldet"),
        ("en", "jooin", "yes", "signed up"),
        ("en", "joinn", "yes please", "signed up"),
    ],
)
async def test_yes_runs_the_command_meant_with_its_words(
    bot: Harness, workshop: int, lang: str, typo: str, yes: str, done: str
) -> None:
    await bot.onboard("tim", lang=lang)
    asked = await bot.send("tim", f"/{typo} {workshop}")
    assert "?" in asked.text and asked.buttons, asked.text
    said = await bot.send("tim", yes)
    assert done in said.text, said.text
    assert "Alles klar" not in said.text and "All right" not in said.text, said.text
    assert await signups(bot) == 1


async def test_the_button_runs_it_too_and_no_runs_nothing(bot: Harness, workshop: int) -> None:
    await bot.onboard("ute")
    asked = await bot.send("ute", f"/anmeldn {workshop}")
    said = await bot.press("ute", asked.buttons[0])
    assert "angemeldet" in said.text, said.text
    await bot.onboard("max")
    await bot.send("max", f"/anmeldn {workshop}")
    said = await bot.send("max", "nein")
    assert "angemeldet" not in said.text, said.text
    assert await signups(bot) == 1  # ute's alone


async def signups(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int((await session.execute(select(func.count(EventSignup.id)))).scalar_one())
