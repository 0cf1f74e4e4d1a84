"""question context and office alerts: what a logged question points back to (the member's
message before a follow-up, "Wie werde ich Mitglied?" before "Kann ich das in Raten
zahlen?"), so a ticket opened from it later ("Nichts davon – an die Geschäftsstelle") carries
it for the office as a direct hand-off does; and the admins' alerts about a ticket
(faq_alerts: its outbox messages), edited when the member withdraws it or takes it elsewhere

Revision ID: 0022
Revises: 0018 (depends on 0002)
Create Date: 2026-12-22 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0002"

NUMBER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("faq_questions") as batch:
        batch.add_column(sa.Column("context", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "faq_alerts",
        sa.Column("id", NUMBER, autoincrement=True, nullable=False),
        sa.Column("ticket_id", NUMBER, nullable=False),
        sa.Column("outbox_id", NUMBER, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["faq_inbox.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("faq_alerts") as batch:
        batch.create_index(batch.f("ix_faq_alerts_ticket_id"), ["ticket_id"], unique=False)
        batch.create_index(batch.f("ix_faq_alerts_outbox_id"), ["outbox_id"], unique=False)


def downgrade() -> None:
    op.drop_table("faq_alerts")
    with op.batch_alter_table("faq_questions") as batch:
        batch.drop_column("context")
