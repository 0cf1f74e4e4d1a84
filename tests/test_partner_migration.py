"""Migration 0005 creates exactly the partner tables the models describe, on both backends."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.db import Database
from storage.migrate import upgrade
from storage.schema import metadata

TABLES = {"partner_requests", "partner_introductions"}


def _touches_partner_tables(diff: Any) -> bool:
    if isinstance(diff, list):
        return any(_touches_partner_tables(item) for item in diff)
    text = repr(diff)
    return any(table in text for table in TABLES)


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [d for d in compare_metadata(context, metadata) if _touches_partner_tables(d)]


async def test_migration_matches_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        await upgrade(db)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert names >= TABLES
    finally:
        await db.close()
