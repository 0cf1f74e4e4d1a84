"""Right after signing up for an event (or its details), where it is and how to get there,
asked in one message ("wo ist das eigentlich und wie kommt man da hin"), is answered from that
event: its place, once. It had been the FAQ's choices ("Welche Daten speichert der Bot …") and
its entry on excursions; "wie komm ich da hin" alone had been that entry too."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of, shown

__all__ = ["demo"]

FORUM_PLACE = "Kulturhaus, Goslar"


@pytest.mark.parametrize(
    ("user", "command", "asked"),
    [
        ("de", "/anmelden", "wo findet das statt und wie komm ich da hin"),
        ("de", "/termin", "Wo ist das genau, und wie kommen wir dorthin?"),
        ("de", "/anmelden", "wie komm ich da hin"),
        ("en", "/join", "where is that held and how do I get there?"),
        ("en", "/event", "how do we get there"),
    ],
)
async def test_where_and_how_to_get_there_after_an_event_is_its_place(
    demo: Harness, user: str, command: str, asked: str
) -> None:
    forum = await number_of(demo, "forum")
    await demo.send(user, f"{command} {forum}")
    said = await demo.send(user, asked)
    text = shown(said)
    assert FORUM_PLACE in said.text, text
    assert said.text.count(FORUM_PLACE) == 1, text
    assert "Meinten Sie" not in text and "Did you mean" not in text, text
    assert "Exkursionen" not in text and "excursions" not in text, text
    assert "Ticket" not in text and "ticket" not in text, text
