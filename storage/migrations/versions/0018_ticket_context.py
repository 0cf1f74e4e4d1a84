"""ticket context: the sentences before a question passed on from a message asking several
things ("Wann ist das Symposium? Gibt es dort vegane Verpflegung?"), shown to the office
beside the question, never learned with it

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-04 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.add_column(sa.Column("context", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.drop_column("context")
