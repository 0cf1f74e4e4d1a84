"""calendar feeds: the members' subscription links (hashes of their tokens only)

Revision ID: 0011
Revises: 0001
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
# Needs only the members table of the foundation; the other branches stay heads beside it.
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MEMBER_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("member_id", _MEMBER_ID, nullable=False),
        sa.Column("include_public", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_calendar_feeds_member_id", "calendar_feeds", ["member_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_member_id", table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
