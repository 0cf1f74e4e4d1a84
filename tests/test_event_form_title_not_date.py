"""The guided new-event form's title steps refuse a text that is only a date or time
("kommenden Freitag 10 Uhr", "tomorrow 9:30", typed one step too early): the title is asked
again, saying it wants the event's name and that the date comes next; it had become the
event's English title."""

from __future__ import annotations

import pytest

from tests.harness import Harness


@pytest.mark.parametrize(
    ("step", "typed"),
    [
        ("title", "kommenden Freitag 10 Uhr"),
        ("title", "übermorgen 9:30"),
        ("title_en", "next friday at 10am"),
        ("title_en", "12.04.2027 15:00"),
        ("title_en", "16 Uhr"),
    ],
)
async def test_a_title_step_refuses_a_date(bot: Harness, step: str, typed: str) -> None:
    await bot.send("admin", "/neuertermin")
    await bot.press("admin", "evf:kind:excursion")
    if step == "title_en":
        await bot.send("admin", "Exkursion Zinkhütte")
    said = await bot.send("admin", typed)
    assert "Datum" in said.text and "Titel" in said.text, said.text
    assert ("Und auf Englisch?" if step == "title_en" else "Wie heißt sie") in said.text
    # a real title goes on to the date
    await bot.send("admin", "Exkursion Zinkhütte" if step == "title" else "Zinc works visit")
    if step == "title":
        await bot.press("admin", "evf:title_en:-")
    asked = await bot.send("admin", "/neuertermin")
    assert "Wann" in asked.text or "Beginn" in asked.text, asked.text


async def test_english_admin_is_told_in_english(bot: Harness) -> None:
    await bot.send("admin", "/language en")
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:forum")
    said = await bot.send("admin", "tomorrow 9:30")
    assert "date" in said.text and "title" in said.text, said.text


async def test_a_title_with_a_day_in_it_is_a_title(bot: Harness) -> None:
    await bot.send("admin", "/neuertermin")
    await bot.press("admin", "evf:kind:forum")
    said = await bot.send("admin", "Forum am Freitag")
    assert "Und auf Englisch?" in said.text and "Datum" not in said.text, said.text
