"""event poll audience: whom an event's poll went to, everyone the event is for (as before)
or only the members with a confirmed place ("Mittagessen gewünscht?"); /offen shows a poll
only to those it went to.

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_polls") as batch:
        batch.add_column(
            sa.Column("audience", sa.String(length=20), nullable=False, server_default="everyone")
        )


def downgrade() -> None:
    with op.batch_alter_table("event_polls") as batch:
        batch.drop_column("audience")
