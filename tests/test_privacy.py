"""Privacy: /forget leaves nothing behind, /mydata shows all of it, logs hold no texts."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import select

from storage.schema import metadata
from tests.harness import Harness

USER = "privacy-user-7f3a"
ORG = "Quellwasser Zinnhütte 9k2 GmbH"
TOPIC = "Zinnschlacke-Laugung-x81"
CONTACT = "kontakt-41c@example.org"
MARKERS = (USER, ORG, TOPIC, CONTACT)


async def find_markers(bot: Harness) -> dict[str, set[str]]:
    """Every table.column whose text holds one of the markers."""
    found: dict[str, set[str]] = {}
    async with bot.db.session() as session:
        for table in metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                for column, value in row._mapping.items():
                    text = json.dumps(value, default=str, ensure_ascii=False)
                    for marker in MARKERS:
                        if marker in text:
                            found.setdefault(marker, set()).add(f"{table.name}.{column}")
    return found


async def act_as_member(bot: Harness) -> None:
    """Leave traces in as many features as exist."""
    await bot.onboard(USER, org=ORG)
    await bot.send(USER, f"/topics {TOPIC}; Batterierecycling")
    await bot.send(USER, f"/contact {CONTACT}")
    await bot.send(USER, "/link")
    await bot.send(USER, "/start")  # a pending conversation


async def test_forget_leaves_no_identifier_or_text(bot_any: Harness) -> None:
    await act_as_member(bot_any)
    before = await find_markers(bot_any)
    assert set(before) == set(MARKERS), before
    export = await bot_any.send(USER, "/mydata")
    attachment = export.replies[0].attachment
    assert attachment is not None
    data: dict[str, Any] = json.loads(attachment.content)
    for marker, places in before.items():
        for place in places:
            table = place.split(".")[0]
            assert table in data, f"/mydata misses table {table} that holds {marker!r}"
            assert marker in json.dumps(data[table], ensure_ascii=False), (marker, place)
    confirm = await bot_any.send(USER, "/forget")
    await bot_any.press(USER, confirm.button("löschen"))
    assert await find_markers(bot_any) == {}


async def test_logs_at_info_hold_no_message_texts(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await bot.onboard("loggy", org="Geheime Organisation 5x")
    await bot.send("loggy", "Meine vertrauliche Frage zu Kobaltpreisen")
    await bot.send("admin", "/promote 1")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Geheime Organisation" not in logged and "vertrauliche" not in logged
    assert "loggy" not in logged


@pytest.mark.parametrize(
    ("lang", "mydata", "forget", "nothing", "button"),
    [
        ("de", "/meinedaten", "/vergessen", "nichts gespeichert", "löschen"),
        ("en", "/mydata", "/forget", "Nothing is stored about you", "delete"),
    ],
)
async def test_checking_after_forget_creates_no_new_profile(
    bot: Harness, lang: str, mydata: str, forget: str, nothing: str, button: str
) -> None:
    await bot.onboard("smilla-q4", lang=lang, org="Sösetal Prüf GmbH")
    confirm = await bot.send("smilla-q4", forget)
    erase = confirm.button(button)
    await bot.press("smilla-q4", erase)
    # The old button pressed again: nothing left to erase, and no one made to erase.
    pressed = await bot.press("smilla-q4", erase, lang=lang)
    assert nothing in pressed.text, pressed.text
    assert await bot.member("smilla-q4") is None
    # Checking right afterwards: told nothing is stored, no file of a fresh profile.
    checked = await bot.send("smilla-q4", mydata)
    assert nothing in checked.text, checked.text
    assert all(reply.attachment is None for reply in checked.replies)
    assert "Willkommen zurück" not in checked.text and "Welcome back" not in checked.text
    assert await bot.member("smilla-q4") is None
    # /forget sent again erases nothing more, and makes no one either.
    again = await bot.send("smilla-q4", forget)
    assert nothing in again.text and not again.buttons, again.text
    assert await bot.member("smilla-q4") is None
    # Someone who never wrote before checks first: the same, no member made.
    stranger = await bot.send("never-seen-z7", mydata)
    assert nothing in stranger.text and await bot.member("never-seen-z7") is None
    # A real first message still begins the profile as before.
    start = await bot.send("never-seen-z7", "/start")
    assert "Welche Sprache" in start.text and await bot.member("never-seen-z7") is not None
