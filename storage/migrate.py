"""Apply the Alembic migrations: at start and by `rewimet-bot db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def _upgrade(connection: Connection, url: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    # Feature migrations branch from the foundation; "heads" applies every branch.
    command.upgrade(config, "heads")


async def upgrade(db: Database) -> None:
    """Bring the database schema up to date."""
    async with db.engine.connect() as conn:
        await conn.run_sync(_upgrade, db.url)
        await conn.commit()
