"""question context: what a logged question points back to (the member's message before a
follow-up, "Wie werde ich Mitglied?" before "Kann ich das in Raten zahlen?"), so a ticket
opened from it later ("Nichts davon – an die Geschäftsstelle") carries it for the office as a
direct hand-off does

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-22 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("faq_questions") as batch:
        batch.add_column(sa.Column("context", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("faq_questions") as batch:
        batch.drop_column("context")
