"""/meinetermine (/myevents) lists each sign-up on one short line: the time it runs (its end
too, when it has one) and the member's status after a middle dot, never after a dash, which
read like an end time left out ("09:00 – Sie sind angemeldet.")."""

from __future__ import annotations

from datetime import UTC, timedelta

from tests.dates import WEEKDAYS_DE, days_ahead
from tests.harness import Harness


async def _add(bot: Harness, **fields: object) -> int:
    return (await bot.add_event(**fields)).id


async def test_a_sign_up_shows_its_time_span_and_status_after_a_dot(bot: Harness) -> None:
    start = days_ahead(bot, 30, hour=9, minute=0)
    number = await _add(
        bot,
        kind="workshop",
        title="Werkstatt Kobaltrückgewinnung",
        title_en="Cobalt Recovery Workshop",
        starts_at=start.astimezone(UTC),
        ends_at=(start + timedelta(hours=3)).astimezone(UTC),
        capacity=1,
    )
    await bot.onboard("rosa", lang="de")
    await bot.onboard("jim", lang="en")
    await bot.send("rosa", f"/anmelden {number}")
    await bot.send("jim", f"/join {number}")  # the one place is taken: waiting list

    day_de = f"{WEEKDAYS_DE[start.weekday()]} {start:%d.%m.%Y}"
    german = (await bot.send("rosa", "/meinetermine")).text
    assert f"Werkstatt Kobaltrückgewinnung · {day_de}, 09:00–12:00 Uhr · angemeldet" in german
    assert "Sie sind angemeldet." not in german and " – " not in german, german

    english = (await bot.send("jim", "/myevents")).text
    day_en = f"{start:%a %Y-%m-%d}"
    assert (
        f"Cobalt Recovery Workshop · {day_en}, 09:00–12:00 · on the waiting list (place 1)"
        in english
    ), english
    assert " – " not in english, english


async def test_without_an_end_the_start_alone_and_no_dash(bot: Harness) -> None:
    start = days_ahead(bot, 12, hour=14, minute=30)
    number = await _add(
        bot,
        kind="excursion",
        title="Exkursion Schlackenhalde",
        title_en="Slag Heap Excursion",
        starts_at=start.astimezone(UTC),
    )
    await bot.onboard("jim", lang="en")
    await bot.send("jim", f"/join {number}")
    said = (await bot.send("jim", "which events am I signed up for?")).text
    assert f"Slag Heap Excursion · {start:%a %Y-%m-%d}, 14:30 · signed up" in said, said
    assert "–" not in said, said


async def test_asking_what_is_on_ones_calendar_lists_ones_sign_ups(bot: Harness) -> None:
    start = days_ahead(bot, 20, hour=10, minute=0)
    signed = await _add(
        bot,
        kind="workshop",
        title="Werkstatt Indiumlaugung",
        title_en="Indium Leaching Workshop",
        starts_at=start.astimezone(UTC),
    )
    # another event, not signed up for: the list of one's own, not "the next matching event"
    await _add(
        bot,
        kind="excursion",
        title="Exkursion Galliumhütte",
        title_en="Gallium Smelter Excursion",
        starts_at=days_ahead(bot, 5, hour=8, minute=0).astimezone(UTC),
    )
    await bot.onboard("mira", lang="de")
    await bot.onboard("owen", lang="en")
    await bot.send("mira", f"/anmelden {signed}")
    await bot.send("owen", f"/join {signed}")
    for question in ("was steht in meinem Kalender?", "Was habe ich im Kalender?"):
        said = (await bot.send("mira", question)).text
        assert "Werkstatt Indiumlaugung" in said and "Galliumhütte" not in said, said
        assert "nächste passende" not in said, said
    for question in ("what's on my calendar?", "What am I signed up for?"):
        said = (await bot.send("owen", question)).text
        assert "Indium Leaching Workshop" in said and "Gallium" not in said, said
        assert "next matching" not in said, said
    # how to get the dates into one's calendar is not a question about one's sign-ups
    how = (await bot.send("owen", "How do I get the events into my calendar?")).text
    assert "Indium Leaching Workshop ·" not in how, how


async def test_each_sign_up_has_a_button_to_its_details_where_it_is_cancelled(
    bot: Harness,
) -> None:
    # walkthrough 2026-12-06: /meinetermine had no way on to cancel one
    start = days_ahead(bot, 30, hour=9, minute=0)
    number = await _add(
        bot, kind="workshop", title="Werkstatt Kobaltrückgewinnung", starts_at=start.astimezone(UTC)
    )
    await bot.onboard("rosa", lang="de")
    await bot.send("rosa", f"/anmelden {number}")
    mine = await bot.send("rosa", "/meinetermine")
    assert mine.buttons == [f"ev:show:{number}"], mine.text
    details = await bot.press("rosa", mine.buttons[0])
    assert f"ev:leave:{number}" in details.buttons, details.text
