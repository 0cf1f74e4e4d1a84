"""faq learned phrasings: members' questions learned as phrasings of an entry (from a pick
among the choices or the office's answer), and who taught each (so /forget and a 👎 take a
member's part back)

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-10 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
# The FAQ branch (after the question time index, 0010).
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "faq_learned",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("norm", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("office", sa.Boolean(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("times_seen", sa.Integer(), nullable=False),
        sa.Column("first_learned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_learned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["faq_entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_faq_learned_entry_lang", "faq_learned", ["entry_id", "lang"])
    op.create_table(
        "faq_learned_teachers",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("learned_id", BIG_ID, nullable=False),
        sa.Column("member_id", BIG_ID, nullable=False),
        sa.Column("question_id", BIG_ID, nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("learned_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["learned_id"], ["faq_learned.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_faq_learned_teachers_learned_id", "faq_learned_teachers", ["learned_id"])
    op.create_index("ix_faq_learned_teachers_member_id", "faq_learned_teachers", ["member_id"])
    op.create_index("ix_faq_learned_teachers_question", "faq_learned_teachers", ["question_id"])


def downgrade() -> None:
    op.drop_index("ix_faq_learned_teachers_question", table_name="faq_learned_teachers")
    op.drop_index("ix_faq_learned_teachers_member_id", table_name="faq_learned_teachers")
    op.drop_index("ix_faq_learned_teachers_learned_id", table_name="faq_learned_teachers")
    op.drop_table("faq_learned_teachers")
    op.drop_index("ix_faq_learned_entry_lang", table_name="faq_learned")
    op.drop_table("faq_learned")
