"""Joining from the events page and from the chat is one rule: the 1,000-join race holds when
half the joins come from the page, over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from tests.miniapp_race import race, served

MEMBERS = 1000
PLACES = 30


async def test_a_thousand_joins_half_from_the_page_fill_thirty_places(db_url: str) -> None:
    async with served(db_url) as bot:
        result = await race(bot, attempts=MEMBERS, capacity=PLACES, connections=50)
    assert result["failed"] == 0, result
    assert result["from_page"] == MEMBERS // 2
    assert result["confirmed"] == PLACES and result["taken"] == PLACES, result
    assert result["waitlisted"] == MEMBERS - PLACES and result["duplicates"] == 0, result
    # Positions unique and dense in arrival order, the first thirty hold the places, and
    # every member was told the waitlist place the database gave them, page or chat.
    assert result["positions_dense"] and result["order_ok"] and result["told_ok"], result
    assert result["interleaved"], result
