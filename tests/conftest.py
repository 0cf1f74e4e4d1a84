from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage.db import Database
from storage.migrate import upgrade
from tests import postgres
from tests.browser import *  # noqa: F403  (chromium and a signed-in dashboard tab)
from tests.conftest_synapse import *  # noqa: F403  (the Synapse fixtures for the Matrix tests)
from tests.harness import Harness, make_harness
from tests.matrix_bot import *  # noqa: F403  (the Matrix bot and member fixtures)


@pytest.fixture(scope="session")
async def pg_url() -> AsyncIterator[str | None]:
    url = await postgres.create_database()
    yield url
    if url is not None:
        await postgres.drop_database(url)


@pytest.fixture(scope="session")
async def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with every migration applied, made once per test process:
    each test's database is a copy (the migrations had taken 0.2 s of every set-up; the bot
    still checks at start that the copy is at the newest revision)."""
    path = tmp_path_factory.mktemp("migrated") / "bot.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db)
    await db.engine.dispose()
    return path


def _sqlite_copy(template: Path, folder: Path) -> str:
    target = folder / "bot.db"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None, migrated_sqlite: Path
) -> str:
    """An empty database on each backend, for the bot to migrate at start (SQLite's is
    migrated already)."""
    if request.param == "sqlite":
        return _sqlite_copy(migrated_sqlite, tmp_path)
    return await _empty_postgres(pg_url)


@pytest.fixture(params=BACKENDS)
async def bare_db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None) -> str:
    """A database on each backend with no table at all: for the tests of migrations from an
    earlier revision."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    return await _empty_postgres(pg_url)


async def _empty_postgres(pg_url: str | None) -> str:
    if pg_url is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 (required when CI=true)")
    await postgres.reset_schema(pg_url)
    return pg_url


@pytest.fixture
async def sqlite_url(tmp_path: Path, migrated_sqlite: Path) -> str:
    """A migrated, empty SQLite database."""
    return _sqlite_copy(migrated_sqlite, tmp_path)


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[Harness]:
    """The bot on SQLite, driven through the test transport."""
    harness = await make_harness(sqlite_url)
    yield harness
    await harness.app.stop()


@pytest.fixture
async def bot_any(db_url: str) -> AsyncIterator[Harness]:
    """The bot on SQLite and on PostgreSQL."""
    harness = await make_harness(db_url)
    yield harness
    await harness.app.stop()
