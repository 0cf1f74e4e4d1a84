"""chat routes: where each configured group or room is now (alias -> room id, upgraded room or supergroup -> new id) and which of them the bot cannot reach

Revision ID: 0007
Revises: 0001
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
# Needs only the foundation; the feature branches stay heads beside it.
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_routes",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("chat_id", sa.String(length=255), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("problem_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "name"),
    )


def downgrade() -> None:
    op.drop_table("chat_routes")
