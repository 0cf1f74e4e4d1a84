"""event English title and description: what English-speaking members read of an event (its
list, card, announcement, reminders, events page and calendar) where the office gave it; a
series keeps them for the occurrences it makes later. Empty: the German ones, as before.

Revision ID: 0023
Revises: 0015
Create Date: 2026-12-23 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("events", "event_series")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("title_en", sa.String(length=200), nullable=False, server_default="")
            )
            batch.add_column(
                sa.Column("description_en", sa.Text(), nullable=False, server_default="")
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("description_en")
            batch.drop_column("title_en")
