"""Migration 0004 creates exactly the event tables the models describe, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import Database
from storage.event_store import as_utc
from storage.events import Event
from storage.migrate import alembic_config, upgrade
from storage.schema import metadata
from tests.harness import make_harness

TABLES = {
    "events",
    "event_signups",
    "event_jobs",
    "event_announcements",
    "event_polls",
    "event_poll_votes",
}


def _touches_event_tables(diff: Any) -> bool:
    if isinstance(diff, list):
        return any(_touches_event_tables(item) for item in diff)
    text = repr(diff)
    return any(f"'{table}'" in text or f"{table}." in text for table in TABLES)


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [d for d in compare_metadata(context, metadata) if _touches_event_tables(d)]


async def test_migration_0004_matches_the_event_models(bare_db_url: str) -> None:
    db = Database(bare_db_url)
    try:
        await upgrade(db)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert names >= TABLES
    finally:
        await db.close()


def _at_0023_with_an_event(url: str) -> Callable[[Connection], None]:
    config = alembic_config(url)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "0023")
        connection.execute(
            sa.insert(
                sa.table(
                    "events",
                    *(sa.column(n) for n in STORED_EVENT if n != "reminder_hours"),
                    sa.column("reminder_hours", sa.JSON()),
                )
            ).values(**STORED_EVENT)
        )

    return run


BEFORE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
STORED_EVENT: dict[str, object] = {
    "kind": "excursion",
    "title": "Exkursion Rammelsberg",
    "description": "",
    "place": "Goslar",
    "starts_at": BEFORE + timedelta(days=60),
    "taken": 0,
    "arrivals": 0,
    "audience": "all",
    "reminder_hours": [],
    "status": "open",
    "sequence": 0,
    "created_at": BEFORE,
    "updated_at": BEFORE,
}


async def test_migration_0030_takes_events_stored_before_as_announced(bare_db_url: str) -> None:
    """Whether an event stored before was announced is not known: the dashboard must not call
    it "nicht angekündigt" (its announcement may well have gone out)."""
    engine = create_async_engine(bare_db_url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_at_0023_with_an_event(bare_db_url))
            await conn.commit()
    finally:
        await engine.dispose()
    bot = await make_harness(bare_db_url)  # starting the bot upgrades the database to the heads
    try:
        async with bot.db.session() as session:
            (event,) = (await session.execute(select(Event))).scalars()
        assert event.announced_at is not None
        assert as_utc(event.announced_at) == BEFORE
    finally:
        await bot.app.stop()
