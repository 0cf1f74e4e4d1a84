"""question time index: the logged questions by when they were asked and what was decided

The dashboard's overview counts questions per week and decision; without an index that
query reads the whole question log (100,000 rows take some 100 ms on SQLite).

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
# Only the FAQ branch: one index on the question log.
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_faq_questions_asked_decision",
        "faq_questions",
        ["asked_at", "decision"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_faq_questions_asked_decision", table_name="faq_questions")
