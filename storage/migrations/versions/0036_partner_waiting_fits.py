"""partner_waiting_fits: the members who fitted a partner request sent to the office but had
no reachable chat account yet (imported, not joined by invitation): the office sees whom to
invite and, once they joined, to forward the request to

Revision ID: 0036
Revises: 0034
Create Date: 2026-12-06 08:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | Sequence[str] | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0005"  # partner_requests

NUMBER = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "partner_waiting_fits",
        sa.Column("request_id", NUMBER, nullable=False),
        sa.Column("member_id", NUMBER, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["partner_requests.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id", "member_id"),
    )
    with op.batch_alter_table("partner_waiting_fits") as batch:
        batch.create_index(batch.f("ix_partner_waiting_fits_member_id"), ["member_id"])


def downgrade() -> None:
    with op.batch_alter_table("partner_waiting_fits") as batch:
        batch.drop_index(batch.f("ix_partner_waiting_fits_member_id"))
    op.drop_table("partner_waiting_fits")
