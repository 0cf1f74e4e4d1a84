"""partner search: partner_requests (a member's need, its state, 30-day expiry) and partner_introductions (one row per member a request went to, through the double opt-in)

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-25 13:56:10.815130
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_requests",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "requester_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["requester_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("partner_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_requests_requester_id"), ["requester_id"], unique=False
        )
        batch_op.create_index("ix_partner_requests_status", ["status", "expires_at"], unique=False)

    op.create_table(
        "partner_introductions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "request_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "recipient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["request_id"], ["partner_requests.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "recipient_id", name="uq_partner_intro_recipient"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("partner_introductions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_partner_intro_recipient_sent", ["recipient_id", "sent_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_partner_introductions_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("partner_introductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_introductions_request_id"))
        batch_op.drop_index("ix_partner_intro_recipient_sent")

    op.drop_table("partner_introductions")
    with op.batch_alter_table("partner_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_partner_requests_status")
        batch_op.drop_index(batch_op.f("ix_partner_requests_requester_id"))

    op.drop_table("partner_requests")
