"""Whole-database snapshots and invariants, for tests that must prove nothing else changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.schema import metadata

# Tables that legitimately change on any message: who wrote, what was handled, what was refused.
BOOKKEEPING = {"processed_updates", "audit_log", "members", "accounts", "conversations"}


async def row_counts(db: Any, *, skip: set[str] = BOOKKEEPING) -> dict[str, int]:
    counts: dict[str, int] = {}
    async with db.session() as session:
        for table in metadata.sorted_tables:
            if table.name in skip:
                continue
            counts[table.name] = (
                await session.execute(select(func.count()).select_from(table))
            ).scalar_one()
    return counts


async def table_rows(db: Any, name: str) -> list[dict[str, Any]]:
    table = metadata.tables[name]
    async with db.session() as session:
        return [dict(row._mapping) for row in (await session.execute(select(table))).all()]
