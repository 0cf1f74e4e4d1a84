"""event poll English version: the question and options members who read English get when
the office gave the poll in both languages ("Use as English" at its preview). Empty: they get
the German ones, as before.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-25 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | Sequence[str] | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_polls") as batch:
        batch.add_column(
            sa.Column("question_en", sa.String(length=300), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("options_en", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_polls") as batch:
        batch.drop_column("options_en")
        batch.drop_column("question_en")
