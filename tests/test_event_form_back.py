""" "zurück"/"back" typed in the guided new-event form asks the step before again, as in the
registration: a walkthrough's admin typed "zurück" at the description and it became the
description, and what came next the place."""

from __future__ import annotations

import pytest

from storage import conversations
from tests.harness import Harness

ENGLISH_TITLE = {"de": "Und auf Englisch?", "en": "And in English?"}
TITLE = {"de": "Wie heißt sie", "en": "What is it called"}


async def form_state(bot: Harness) -> tuple[str, dict[str, object]]:
    """The step the admin's form is at, and what it holds."""
    admin = await bot.member("admin")
    assert admin is not None
    async with bot.db.session() as session:
        found = await conversations.get(session, member_id=admin.id)
    assert found is not None
    return found.step, found.data


@pytest.mark.parametrize(("lang", "back"), [("de", "zurück"), ("en", "back")])
async def test_back_asks_the_step_before_again(bot: Harness, lang: str, back: str) -> None:
    if lang == "en":
        await bot.send("admin", "/language en")
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    assert ENGLISH_TITLE[lang] in (await bot.send("admin", "Exkursion Zinkhütte")).text
    again = await bot.send("admin", back)
    assert TITLE[lang] in again.text, again.text
    step, data = await form_state(bot)
    assert step == "title" and data.get("title_en") in (None, "")
    await bot.send("admin", "Exkursion Bleihütte")
    await bot.press("admin", "evf:title_en:-")
    # from the date back to the English title, and on again: nothing typed is lost
    assert ENGLISH_TITLE[lang] in (await bot.send("admin", back)).text
    await bot.press("admin", "evf:title_en:-")
    step, data = await form_state(bot)
    assert step == "start" and data["title"] == "Exkursion Bleihütte", data
    assert back not in str(data.values())


@pytest.mark.parametrize(
    ("lang", "refused"), [("de", "ist ein Datum, kein Ort"), ("en", "is a date, not a place")]
)
async def test_a_date_is_no_place(bot: Harness, lang: str, refused: str) -> None:
    """ "13.01.2027 15:00" typed at the place (meant for a step before) had become it."""
    if lang == "en":
        await bot.send("admin", "/language en")
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", "Exkursion Zinkhütte")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", "13.01.2030 09:30")
    await bot.press("admin", "evf:repeat:-")
    await bot.send("admin", "13.01.2030 15:00")
    said = await bot.send("admin", "14.01.2030 15:00")
    assert refused in said.text, said.text
    step, data = await form_state(bot)
    assert step == "place" and not data.get("place"), data
    await bot.send("admin", "Rammelsberg, Goslar")
    step, data = await form_state(bot)
    assert data["place"] == "Rammelsberg, Goslar", data
