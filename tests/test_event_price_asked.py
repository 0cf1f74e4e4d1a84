"""After an event's details, "was kostet das da für Mitglieder?" asks that event's price for
members: the event's own words lead (its description), and where it says nothing the office
is asked with the event beside the question. It had led with the FAQ's entry on the annual
membership fee, the event's price only below it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.faq import FaqTicket
from tests.harness import Harness
from tests.test_event_withdraw_words import demo, number_of, shown

__all__ = ["demo"]


@pytest.mark.parametrize(
    ("user", "command", "asked", "price", "fee"),
    [
        (
            "de",
            "/termin",
            "was kostet das da für mitglieder?",
            "für Mitglieder 120 €",
            "Jahresbeitrag",
        ),
        (
            "de",
            "/termin",
            "Kostet das dort für Mitglieder etwas?",
            "für Mitglieder 120 €",
            "Jahresbeitrag",
        ),
        ("en", "/event", "how much is it for members?", "members €120", "annual fee"),
    ],
)
async def test_the_events_price_leads(
    demo: Harness, user: str, command: str, asked: str, price: str, fee: str
) -> None:
    symposium = await number_of(demo, "symposium")
    await demo.send(user, f"{command} {symposium}")
    said = await demo.send(user, asked)
    assert price in said.text, said.text
    assert fee not in said.text, said.text


async def test_an_event_saying_nothing_of_its_price_is_asked_of_the_office(
    demo: Harness,
) -> None:
    now = demo.app.services.clock()
    event = await demo.add_event(
        kind="workshop",
        title="Werkstattgespräch Elektrolyse",
        place="Technikum, Clausthal-Zellerfeld",
        starts_at=now + timedelta(days=30),
        description="Ein Nachmittag zu Elektrolysezellen und ihrer Wartung.",
    )
    await demo.send("de", f"/termin {event.id}")
    said = await demo.send("de", "was kostet das da für mitglieder?")
    assert "Jahresbeitrag" not in said.text.split("\n")[0], said.text
    async with demo.db.session() as session:
        tickets = list((await session.execute(select(FaqTicket))).scalars())
    assert len(tickets) == 1, said.text
    assert "Werkstattgespräch Elektrolyse" in tickets[0].context, tickets[0].context


async def test_the_membership_fee_asked_after_an_event_is_still_the_fee(demo: Harness) -> None:
    symposium = await number_of(demo, "symposium")
    await demo.send("de", f"/termin {symposium}")
    said = await demo.send("de", "Was kostet eigentlich die Mitgliedschaft im Cluster?")
    assert "Was kostet die Mitgliedschaft im Jahr?" in shown(said), shown(said)
    assert "120 €" not in said.text, said.text
