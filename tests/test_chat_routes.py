"""Where configured chats lead and which cannot be reached, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import chat_routes
from storage.db import Database
from storage.migrate import upgrade

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def test_routes_lead_to_the_current_id_and_problems_are_told_once(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            # An alias not created yet leads nowhere: the name itself is kept.
            await chat_routes.record(session, platform="matrix", name="#yp:hs", chat_id=None)
            assert await chat_routes.current(session, platform="matrix", chat_id="#yp:hs") == (
                "#yp:hs"
            )
            # Resolved, then the room is upgraded: the chain ends at the replacement.
            assert await chat_routes.record(
                session, platform="matrix", name="#yp:hs", chat_id="!old:hs"
            )
            await chat_routes.record(session, platform="matrix", name="!old:hs", chat_id="!new:hs")
            assert not await chat_routes.record(
                session, platform="matrix", name="!old:hs", chat_id="!new:hs"
            )
            assert await chat_routes.current(session, platform="matrix", chat_id="#yp:hs") == (
                "!new:hs"
            )
            # A loop (never made by a platform) ends instead of hanging.
            await chat_routes.record(session, platform="telegram", name="-1", chat_id="-2")
            await chat_routes.record(session, platform="telegram", name="-2", chat_id="-1")
            assert await chat_routes.current(session, platform="telegram", chat_id="-1") == "-2"

        async with db.session() as session:
            first = await chat_routes.report_problem(
                session, platform="matrix", chat_id="!old:hs", problem="M_FORBIDDEN", now=NOW
            )
            again = await chat_routes.report_problem(
                session, platform="matrix", chat_id="!old:hs", problem="M_FORBIDDEN", now=NOW
            )
            unknown = await chat_routes.report_problem(
                session, platform="telegram", chat_id="-100777", problem="kicked", now=NOW
            )
        assert (first, again, unknown) == ("#yp:hs", None, "-100777")
        async with db.session() as session:
            assert {(p.platform, p.name) for p in await chat_routes.problems(session)} == {
                ("matrix", "#yp:hs"),
                ("matrix", "!old:hs"),
                ("telegram", "-100777"),
            }
            await chat_routes.clear_problem(session, platform="matrix", chat_id="!old:hs")
        async with db.session() as session:
            assert [p.name for p in await chat_routes.problems(session)] == ["-100777"]
            # Over, then again: told again.
            told = await chat_routes.report_problem(
                session, platform="matrix", chat_id="!old:hs", problem="left", now=NOW
            )
        assert told == "#yp:hs"
    finally:
        await db.close()
