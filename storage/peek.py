"""A look into a SQLite file without changing it: no migration, no journal mode, no lock kept.

The demo asks it of a database it is given (`demo --db`), which may be anyone's."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path


def has_console_account(path: Path, user_id: str) -> bool:
    """Whether the SQLite file at `path` holds the console account `user_id` (False for a
    file that is no database of the bot, or none at all)."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
            row = conn.execute(
                "SELECT 1 FROM accounts WHERE platform = 'console' AND user_id = ?", (user_id,)
            ).fetchone()
    except sqlite3.Error:
        return False
    return row is not None
