"""A question about an event on a day, then the same about another day said alone ("und am
24.2.?", "and on the 24th of Feb?"): the same question about that day. It had gone to the
office as a question of its own ("Darauf habe ich keine sichere Antwort")."""

from __future__ import annotations

import pytest

from storage.events import Event
from tests.harness import Harness
from tests.test_live_event_questions import months, tickets

__all__ = ["months"]


@pytest.mark.parametrize(
    ("user", "first", "again", "found", "not_found"),
    [
        # no excursion on the first day; there is one on the second
        ("mara", "Gibt es am 3.3. eine Exkursion?", "und am 16.12.?", "december", "january"),
        (
            "mara",
            "Ist am 19.1. eine Veranstaltung?",
            "Und am 23. Februar?",
            "february",
            "january",
        ),
        (
            "tom",
            "Is there an excursion on 5 Jan?",
            "and on the 16th of Dec?",
            "december",
            "january",
        ),
        ("tom", "Any event on 10 March?", "what about 19 January?", "january", "march"),
    ],
)
async def test_another_day_said_alone_asks_the_same_of_it(
    months: dict[str, Event],
    bot: Harness,
    user: str,
    first: str,
    again: str,
    found: str,
    not_found: str,
) -> None:
    await bot.send(user, first)
    said = await bot.send(user, again)
    event = months[found]
    title = event.title if user == "mara" else event.title_en
    assert title in said.text, said.text
    other = months[not_found]
    assert (other.title if user == "mara" else other.title_en) not in said.text, said.text
    assert "keine sichere Antwort" not in said.text and "no reliable" not in said.text
    assert await tickets(bot) == 0


async def test_the_same_kind_is_asked_of_the_other_day(
    months: dict[str, Event], bot: Harness
) -> None:
    # an excursion asked about: on a day with only a workshop, no excursion is found
    await bot.send("mara", "Gibt es am 16.12. eine Exkursion?")
    said = await bot.send("mara", "und am 10.3.?")
    assert "Nein" in said.text and "Exkursion" in said.text, said.text
    assert await tickets(bot) == 0


async def test_a_day_alone_with_nothing_asked_before_is_no_follow_up(
    months: dict[str, Event], bot: Harness
) -> None:
    # asked about the membership fee: "und am 23.2.?" is not made an event question of it
    await bot.send("mara", "Wie hoch ist der Mitgliedsbeitrag?")
    said = await bot.send("mara", "und am 23.2.?")
    assert months["february"].title not in said.text, said.text
