"""Everything stored about a member, found through the schema: export it, or erase it.

Every table that refers to `members.id` is found by its foreign keys, so a feature's new table
is covered the day it is added.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Member
from storage.schema import metadata


def member_columns() -> list[tuple[Table, Column[Any]]]:
    """(table, column) pairs whose column points at a member."""
    found: list[tuple[Table, Column[Any]]] = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "members" for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")  # a file the member sent (a draft)
    return value


async def export_member(session: AsyncSession, *, member_id: int) -> dict[str, object]:
    member_table = Member.__table__
    rows = (await session.execute(select(member_table).where(member_table.c.id == member_id))).all()
    data: dict[str, object] = {
        "members": [{k: _plain(v) for k, v in row._mapping.items()} for row in rows]
    }
    for table, column in member_columns():
        found = (await session.execute(select(table).where(column == member_id))).all()
        if found:
            entries = data.setdefault(table.name, [])
            assert isinstance(entries, list)
            entries.extend({k: _plain(v) for k, v in row._mapping.items()} for row in found)
    return data


async def count_member_records(session: AsyncSession, *, member_id: int) -> dict[str, int]:
    """How many rows of each table (by name) name the member: what /mydata sums up."""
    counts: dict[str, int] = {}
    for table, column in member_columns():
        found = await session.scalar(
            select(func.count()).select_from(table).where(column == member_id)
        )
        if found:
            counts[table.name] = counts.get(table.name, 0) + int(found)
    return counts


async def erase_member(session: AsyncSession, *, member_id: int) -> None:
    """Delete the member and every row that names them (not only those that cascade)."""
    for table, column in reversed(member_columns()):
        # A table may keep counters over these rows (event places): it fixes them first.
        before_erase = table.info.get("before_member_erase")
        if before_erase is not None:
            await before_erase(session, member_id)
        if column.nullable and table.name == "audit_log":
            # The audit log keeps what was done, not who did it.
            await session.execute(
                table.update().where(column == member_id).values({column.name: None})
            )
        else:
            await session.execute(delete(table).where(column == member_id))
    await session.execute(delete(Member).where(Member.id == member_id))
