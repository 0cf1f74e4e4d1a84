"""question rejected entry: the engine's direct answer a member turned down with 👎, kept when
a topic offered after it is picked (which takes the question's answered entry and feedback),
so that the office's numbers still count that 👎 against the entry turned down.

Revision ID: 0028
Revises: 0022
Create Date: 2026-12-28 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_questions") as batch:
        batch.add_column(sa.Column("rejected_entry_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("faq_questions") as batch:
        batch.drop_column("rejected_entry_id")
