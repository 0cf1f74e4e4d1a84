"""Fictional demo data for the console demo: no real person, e-mail or phone number."""

from __future__ import annotations

from pathlib import Path

from handlers.members.directory_import import import_directory, parse_directory
from storage.db import Database

DEMO_DIR = Path(__file__).parent


async def seed(db: Database) -> None:
    """Fill an empty database with the demo members (and what the features add)."""
    rows = parse_directory((DEMO_DIR / "members.csv").read_text(encoding="utf-8"))
    async with db.session() as session:
        await import_directory(session, rows)
