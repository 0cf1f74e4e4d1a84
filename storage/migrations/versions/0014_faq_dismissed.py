"""faq dismissed: questions the office dismissed as a suggested new topic (left out of the
inbox's suggestions for every admin, after a restart too)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-12 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "faq_dismissed",
        sa.Column("question_key", sa.String(length=24), nullable=False),
        sa.Column("admin_id", BIG_ID, nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("question_key"),
    )


def downgrade() -> None:
    op.drop_table("faq_dismissed")
