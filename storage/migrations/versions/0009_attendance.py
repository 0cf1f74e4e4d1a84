"""attendance: when a member signed up for an event was checked in (who came)

Revision ID: 0009
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
# Only the events branch: the sign-ups table gets one nullable column.
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_signups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_signups", schema=None) as batch_op:
        batch_op.drop_column("attended_at")
