"""broadcast event_id: the event whose sign-up buttons a broadcast's copies carry, so a
broadcast planned for later announces the event when it goes out (one sent at once marked it
announced when queued). Existing broadcasts name none: those sent announced their events
already; one still planned announces nothing when it goes out, as before.

Revision ID: 0033
Revises: 0032 (and needs 0004: the events table)
Create Date: 2026-12-06 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | Sequence[str] | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0004"  # the events table


def upgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.add_column(
            sa.Column(
                "event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
            )
        )
        batch.create_foreign_key(
            "fk_broadcasts_event_id", "events", ["event_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("broadcasts") as batch:
        batch.drop_constraint("fk_broadcasts_event_id", type_="foreignkey")
        batch.drop_column("event_id")
