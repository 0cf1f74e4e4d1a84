"""faq_inbox asked: whether the member asked the office for the ticket (a button, a typed
yes) or the bot handed the question on by itself because no entry answered it. The limit of
open questions per member counts the first kind; the bot hands on a few of its own at most
and then asks. Existing tickets count as the bot's own (most are).

Revision ID: 0035
Revises: 0027
Create Date: 2026-12-06 07:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | Sequence[str] | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.add_column(
            sa.Column("asked", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.drop_column("asked")
