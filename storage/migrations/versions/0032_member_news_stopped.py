"""member news_stopped_at: when a registered member stopped the news. A member who never had
them (said no when registering) is offered them for the first time, not "again". Existing
members start with none: "Nachrichten erhalten" is right for both, "wieder" only for some.

Revision ID: 0032
Revises: 0029
Create Date: 2026-12-05 22:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | Sequence[str] | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("news_stopped_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("news_stopped_at")
