"""broadcast files: stored_files (an image or document kept once, with the handles each platform gave its upload; a draft belongs to its admin until sent) and broadcasts.attachment_id

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
# Builds on the broadcasts table of 0002; the other feature branches (0003..0005) stay heads
# beside it, and storage/migrate.py upgrades to "heads".
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=127), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("platform_refs", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("draft_of", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(["draft_of"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stored_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stored_files_draft_of"), ["draft_of"], unique=False)
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "attachment_id",
                sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                nullable=True,
            )
        )
        batch_op.create_index(
            batch_op.f("ix_broadcasts_attachment_id"), ["attachment_id"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_broadcasts_attachment_id", "stored_files", ["attachment_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("broadcasts", schema=None) as batch_op:
        batch_op.drop_constraint("fk_broadcasts_attachment_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_broadcasts_attachment_id"))
        batch_op.drop_column("attachment_id")
    op.drop_table("stored_files")
