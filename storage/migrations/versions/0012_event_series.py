"""event series: recurring meetings (event_series with the template and the rule, skipped
dates, members signed up for the whole series) and events.series_id / occurrence_date with a
unique index, so an occurrence is created once per date

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-08 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
# The events branch (after attendance, 0009).
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "event_series",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("audience", sa.String(length=120), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("offer_hours", sa.Integer(), nullable=True),
        sa.Column("reminder_hours", sa.JSON(), nullable=False),
        sa.Column("announce", sa.Boolean(), nullable=False),
        sa.Column("freq", sa.String(length=10), nullable=False),
        sa.Column("interval", sa.Integer(), nullable=False),
        sa.Column("nth", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("created_by", BIG_ID, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "event_series_skips",
        sa.Column("series_id", BIG_ID, nullable=False),
        sa.Column("occurrence_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["series_id"], ["event_series.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("series_id", "occurrence_date"),
    )
    op.create_table(
        "event_series_members",
        sa.Column("series_id", BIG_ID, nullable=False),
        sa.Column("member_id", BIG_ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["series_id"], ["event_series.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("series_id", "member_id"),
    )
    op.create_index(
        "ix_event_series_members_member_id", "event_series_members", ["member_id"], unique=False
    )
    # Plain ADD COLUMN with an inline REFERENCES on both backends: SQLite would otherwise copy
    # the events table, and dropping the old copy would cascade to the sign-ups.
    op.add_column(
        "events",
        sa.Column(
            "series_id",
            BIG_ID,
            sa.ForeignKey("event_series.id"),
            nullable=True,
        ),
        inline_references=True,
    )
    op.add_column("events", sa.Column("occurrence_date", sa.Date(), nullable=True))
    op.create_index(
        "uq_events_series_occurrence",
        "events",
        ["series_id", "occurrence_date"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_events_series_occurrence", table_name="events")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("occurrence_date")
        batch_op.drop_column("series_id")
    op.drop_index("ix_event_series_members_member_id", table_name="event_series_members")
    op.drop_table("event_series_members")
    op.drop_table("event_series_skips")
    op.drop_table("event_series")
