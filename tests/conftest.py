from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None
) -> AsyncIterator[str]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    if pg_url is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 (required when CI=true)")
    await postgres.reset_schema(pg_url)
    yield pg_url


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


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
