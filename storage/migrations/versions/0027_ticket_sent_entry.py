"""ticket sent without teaching: the entry whose answer the office sent a ticket's member with
"Nur senden, nicht lernen" (the bot was not to learn the question), so that the ticket is not
offered for teaching again. Empty: answered in the office's own words, or learned.

Revision ID: 0027
Revises: 0021
Create Date: 2026-12-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.add_column(sa.Column("sent_entry_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.drop_column("sent_entry_id")
