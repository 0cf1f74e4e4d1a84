"""`/terminaendern` (/editevent) takes the event as `/teilnehmer` does: by its number or by words
of its kind, title or place ("/terminaendern Workshop beginn=15 Uhr"). One fits: its change is
previewed; several: a button each, and the one tapped gets the same change previewed; none: said
so. "/termin 3 ändern" (/event 3 edit) is the same command. Admins only; German and English."""

from __future__ import annotations

from datetime import datetime

import pytest

from storage.event_store import as_utc
from storage.events import Event
from tests.dates import days_ahead, typed
from tests.harness import Harness
from tests.test_events import create


async def three_events(bot: Harness) -> tuple[int, int, int, datetime]:
    """Two workshops and an excursion, in 30, 40 and 50 days; the second workshop's start."""
    day = days_ahead(bot, 40, hour=9, minute=0)
    battery = await create(
        bot,
        f"art=workshop; titel=Batterierecycling; beginn={typed(days_ahead(bot, 30))}; ort=Freiberg",
    )
    earths = await create(
        bot, f"art=workshop; titel=Seltene Erden; beginn={typed(day)}; ort=Clausthal"
    )
    goslar = await create(
        bot,
        f"art=exkursion; titel=Exkursion nach Goslar; beginn={typed(days_ahead(bot, 50))}; "
        "ort=Rammelsberg",
    )
    return battery, earths, goslar, day


async def event(bot: Harness, number: int) -> Event:
    async with bot.db.session() as session:
        found = await session.get(Event, number)
    assert found is not None
    return found


async def test_one_event_named_in_words_gets_its_change_previewed(bot: Harness) -> None:
    _battery, _earths, goslar, _day = await three_events(bot)
    preview = await bot.send("admin", "/terminaendern Exkursion ort=Bergwerk Rammelsberg")
    assert f"So wird Nr. {goslar} geändert:" in preview.text, preview.text
    saved = await bot.press("admin", preview.button("Speichern"))
    assert f"Veranstaltung Nr. {goslar} „Exkursion nach Goslar“ ist geändert" in saved.text
    assert (await event(bot, goslar)).place == "Bergwerk Rammelsberg"
    # alone, the name shows the event as a line to copy, as the number does
    line = await bot.send("admin", "/terminaendern Goslar")
    assert f"So steht Nr. {goslar} jetzt" in line.text and "ort=Bergwerk Rammelsberg" in line.text
    # the number still works as before
    by_number = await bot.send("admin", f"/terminaendern {goslar} plätze=20")
    assert f"So wird Nr. {goslar} geändert:" in by_number.text, by_number.text


async def test_several_fitting_are_offered_and_the_one_tapped_gets_the_change(
    bot: Harness,
) -> None:
    battery, earths, goslar, day = await three_events(bot)
    asked = await bot.send("admin", "/terminaendern Workshop beginn=15 Uhr")
    assert "Welche Veranstaltung meinen Sie?" in asked.text, asked.text
    assert f"eva:edit:{battery}" in asked.buttons and f"eva:edit:{earths}" in asked.buttons
    assert f"eva:edit:{goslar}" not in asked.buttons
    # typed instead of a tap: nothing is saved, the buttons are pointed to
    typed = await bot.send("admin", "Speichern")
    assert "Welche Veranstaltung soll sich ändern?" in typed.text, typed.text
    preview = await bot.press("admin", f"eva:edit:{earths}")
    assert f"So wird Nr. {earths} geändert:" in preview.text, preview.text
    assert "15:00" in preview.text
    await bot.press("admin", preview.button("Speichern"))
    assert as_utc((await event(bot, earths)).starts_at) == day.replace(hour=15)
    assert as_utc((await event(bot, battery)).starts_at) == days_ahead(bot, 30)  # untouched
    # the list's buttons were for that one change: a second tap changes nothing more
    again = await bot.press("admin", f"eva:edit:{battery}")
    assert "nicht mehr gültig" in again.text, again.text


async def test_several_fitting_without_a_change_show_the_one_tapped_as_a_line(
    bot: Harness,
) -> None:
    _battery, earths, _goslar, _day = await three_events(bot)
    asked = await bot.send("admin", "/terminaendern Workshop")
    line = await bot.press("admin", f"eva:edit:{earths}")
    assert asked.buttons and f"So steht Nr. {earths} jetzt" in line.text, line.text


async def test_no_event_named_so_is_said(bot: Harness) -> None:
    await three_events(bot)
    none = await bot.send("admin", "/terminaendern Konferenz ort=Halle")
    assert "Keine kommende Veranstaltung passt zu „Konferenz“" in none.text, none.text


async def test_event_n_edit_is_the_edit_command(bot: Harness) -> None:
    """ "/termin 3 ändern" had offered every event ("Welche Veranstaltung meinen Sie?")."""
    _battery, earths, goslar, _day = await three_events(bot)
    line = await bot.send("admin", f"/termin {goslar} ändern")
    assert f"So steht Nr. {goslar} jetzt" in line.text, line.text
    preview = await bot.send("admin", f"/termin {goslar} ändern ort=Goslar")
    assert f"So wird Nr. {goslar} geändert:" in preview.text, preview.text
    named = await bot.send("admin", "/termin Seltene Erden ändern plätze=30")
    assert f"So wird Nr. {earths} geändert:" in named.text, named.text


async def test_the_office_names_the_event_in_english(bot: Harness) -> None:
    battery, earths, goslar, _day = await three_events(bot)
    await bot.send("admin", "/language en")
    preview = await bot.send("admin", "/editevent excursion place=Goslar")
    assert f"No. {goslar} will be changed like this:" in preview.text, preview.text
    asked = await bot.send("admin", "/editevent workshop start=15:00")
    assert "Which event do you mean?" in asked.text
    assert {f"eva:edit:{battery}", f"eva:edit:{earths}"} <= set(asked.buttons)
    chosen = await bot.press("admin", f"eva:edit:{battery}")
    assert f"No. {battery} will be changed like this:" in chosen.text, chosen.text
    none = await bot.send("admin", "/editevent conference place=Halle")
    assert "No upcoming event matches “conference”" in none.text, none.text
    line = await bot.send("admin", f"/event {goslar} edit")
    assert f"This is no. {goslar} now" in line.text, line.text
    usage = await bot.send("admin", "/help editevent")
    assert "name" in usage.text.casefold(), usage.text


@pytest.mark.parametrize(
    ("lang", "command", "refusal"),
    [
        ("de", "/terminaendern Exkursion ort=Halle", "Das dürfen nur Admins"),
        ("de", "/terminaendern Workshop beginn=15 Uhr", "Das dürfen nur Admins"),
        ("en", "/editevent excursion place=Halle", "Only admins of the cluster"),
        ("de", "/termin {goslar} ändern ort=Halle", "Das dürfen nur Admins"),
        ("en", "/event {goslar} edit place=Halle", "Only admins of the cluster"),
    ],
)
async def test_a_member_may_not_edit_an_event_by_name(
    bot: Harness, lang: str, command: str, refusal: str
) -> None:
    battery, _earths, goslar, _day = await three_events(bot)
    await bot.onboard("mallory", lang=lang)
    refused = await bot.send("mallory", command.format(goslar=goslar))
    assert refusal in refused.text, refused.text
    assert refused.buttons == []
    pressed = await bot.press("mallory", f"eva:edit:{battery}")
    assert refusal in pressed.text, pressed.text
    assert (await event(bot, goslar)).place == "Rammelsberg"


async def test_every_word_of_a_name_counts_for_the_other_commands_too(bot: Harness) -> None:
    """ "Seltene Erden" are words the thesaurus knows for a thing of their own: in a command
    they are a title's (the name had fitted every event, all three offered)."""
    _battery, earths, _goslar, _day = await three_events(bot)
    shown = await bot.send("admin", "/termin Seltene Erden")
    assert "Seltene Erden" in shown.text and "Welche Veranstaltung" not in shown.text, shown.text
    assert f"eva:edit:{earths}" not in shown.buttons
    preview = await bot.send("admin", "/terminaendern Seltene Erden plätze=30")
    assert f"So wird Nr. {earths} geändert:" in preview.text, preview.text


async def test_a_change_written_in_words_is_previewed_for_the_event_its_first_words_name(
    bot: Harness,
) -> None:
    """ "/terminaendern Goslar beginnt jetzt am 03.05. um 10 uhr" had been "Keine kommende
    Veranstaltung passt zu …" (the whole text taken for the event's name): its first word
    names the excursion, the rest reads as its new start, previewed; nothing is saved before
    *Speichern*."""
    _battery, _earths, goslar, _day = await three_events(bot)
    new = days_ahead(bot, 55, hour=10, minute=0)
    before = (await event(bot, goslar)).starts_at
    read = await bot.send("admin", f"/terminaendern Goslar beginnt jetzt am {new:%d.%m.} um 10 uhr")
    text = read.text
    assert f"Nr. {goslar} „Exkursion nach Goslar“" in text, text
    assert f"/terminaendern {goslar} beginn=" in text, text
    assert f"So wird Nr. {goslar} geändert:" in read.text, read.text
    assert (await event(bot, goslar)).starts_at == before  # only previewed
    await bot.press("admin", read.button("Speichern"))
    assert as_utc((await event(bot, goslar)).starts_at) == new


async def test_words_that_do_not_read_as_a_change_name_the_event_and_how_to_write_it(
    bot: Harness,
) -> None:
    _battery, _earths, goslar, _day = await three_events(bot)
    said = await bot.send("admin", "/terminaendern Goslar soll später anfangen")
    assert "Keine kommende Veranstaltung passt" in said.text, said.text
    assert f"Meinen Sie Nr. {goslar} „Exkursion nach Goslar“?" in said.text, said.text
    assert f"/terminaendern {goslar} beginn=" in said.text, said.text
    # several events fit the first word: no guess, said as before
    several = await bot.send("admin", "/terminaendern Workshop soll später anfangen")
    assert "Keine kommende Veranstaltung passt" in several.text
    assert "Meinen Sie" not in several.text, several.text


async def test_the_event_of_the_first_words_is_named_in_english(bot: Harness) -> None:
    _battery, _earths, goslar, _day = await three_events(bot)
    await bot.send("admin", "/language en")
    new = days_ahead(bot, 56, hour=14, minute=0)
    read = await bot.send("admin", f"/editevent Goslar starts on {new:%d.%m.} 14:00")
    text = read.text
    assert f"no. {goslar} “Exkursion nach Goslar”" in text, text
    assert f"/editevent {goslar} start=" in text, text
    assert f"No. {goslar} will be changed like this:" in read.text, read.text
    said = await bot.send("admin", "/editevent Goslar should start later")
    assert f"Do you mean no. {goslar} “Exkursion nach Goslar”?" in said.text, said.text
    assert f"/editevent {goslar} start=" in said.text, said.text
