"""offer taken: a question handed to the office that the member turned into a partner search
is closed as such (faq_inbox.offer, offer_number), and the request remembers the question it
came from until it is sent (partner_requests.handoff_question)

Revision ID: 0021
Revises: 0003 (depends on 0005)
Create Date: 2026-12-18 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0005"

NUMBER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("faq_inbox") as batch:
        batch.add_column(sa.Column("offer", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("offer_number", NUMBER, nullable=True))
    with op.batch_alter_table("partner_requests") as batch:
        batch.add_column(sa.Column("handoff_question", NUMBER, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partner_requests") as batch:
        batch.drop_column("handoff_question")
    with op.batch_alter_table("faq_inbox") as batch:
        batch.drop_column("offer_number")
        batch.drop_column("offer")
