"""A throwaway PostgreSQL database per test session, when a server is reachable.

Outside CI a missing server is a visible skip; with CI=true it is a failure.
"""

from __future__ import annotations

import os
import uuid

import asyncpg
import pytest

PG_DSN = os.environ.get("REWIMET_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


async def create_database() -> str | None:
    """Create a fresh database and return its SQLAlchemy URL (None if no server)."""
    try:
        conn = await asyncpg.connect(PG_DSN, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        if required():
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_DSN}: {exc}")
        return None
    name = f"rewimet_test_{uuid.uuid4().hex[:12]}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = PG_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return f"{base}/{name}"


async def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_DSN, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def reset_schema(url: str) -> None:
    """Empty the database: drop and recreate the public schema (tables, types, alembic_version)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        await conn.exec_driver_sql("CREATE SCHEMA public")
    await engine.dispose()
