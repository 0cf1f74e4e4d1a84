"""event English place: the place English-speaking members read of an event (its details, the
events page, the calendar file and feed) where the office gave one; a series keeps it for the
occurrences it makes later. Empty: the German place, as before.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 22:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("events", "event_series")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("place_en", sa.String(length=200), nullable=False, server_default="")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("place_en")
