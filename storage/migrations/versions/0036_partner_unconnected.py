"""partner requests remember the members who fit but had no reachable chat account yet
(partner_requests.unconnected: their member ids, best first): the office sees whom to invite
and, once they joined, to forward the request to

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
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("partner_requests") as batch:
        batch.add_column(sa.Column("unconnected", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("partner_requests") as batch:
        batch.drop_column("unconnected")
