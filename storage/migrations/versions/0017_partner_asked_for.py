"""partner asked for: which of a request's several needs a member was asked for, shown to them

Revision ID: 0017
Revises: 0005
Create Date: 2026-12-14 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partner_introductions") as batch:
        batch.add_column(sa.Column("asked_for", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("partner_introductions") as batch:
        batch.drop_column("asked_for")
