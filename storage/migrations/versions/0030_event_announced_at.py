"""event announced at: when an event was first announced, so the dashboard can say that one
never was ("noch nicht angekündigt") and offer "do not announce again" only after it was

Events stored before are taken as announced (their creation time): whether they were is not
kept anywhere, and an event must not be called unannounced when its announcement went out.

Revision ID: 0030
Revises: 0023
Create Date: 2026-12-05 15:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | Sequence[str] | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

events = sa.table(
    "events",
    sa.column("announced_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    op.get_bind().execute(sa.update(events).values(announced_at=events.c.created_at))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("announced_at")
