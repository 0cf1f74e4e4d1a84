"""invitations: the office's codes that let the person behind an imported directory entry
connect their chat account to it (`/start CODE`, `/link CODE`); one per member, used once.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | Sequence[str] | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column(
            "member_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("invitations") as batch:
        batch.create_index(batch.f("ix_invitations_member_id"), ["member_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("invitations") as batch:
        batch.drop_index(batch.f("ix_invitations_member_id"))
    op.drop_table("invitations")
