"""Foundation tables: members, platform accounts, audit, transport state, outbox.

Feature tables live in their own modules beside this one and share `Base`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


# SQLite has no BIGINT autoincrement; the variant keeps ids 64-bit on PostgreSQL.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Member(Base):
    """A person (or organisation contact) in the network, on any number of platforms."""

    __tablename__ = "members"
    # Ids are never reused after /forget, so an old button cannot reach a new member.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads it

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    bio: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = mapped_column(String(2), default="de")
    young_professional: Mapped[bool] = mapped_column(Boolean, default=False)
    partner_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    news_subscribed: Mapped[bool] = mapped_column(Boolean, default=True)
    # When a registered member last stopped the news; None: never (one who said no when they
    # registered is offered them for the first time, not "again").
    news_stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    preferred_platform: Mapped[str | None] = mapped_column(String(16))
    onboarded: Mapped[bool] = mapped_column(Boolean, default=False)
    # The fields the member set themselves (the registration's answers, a profile command): a
    # yes/no holds its default until then, which an unfinished profile must not show as chosen.
    answered: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    accounts: Mapped[list[Account]] = relationship(
        back_populates="member", cascade="all, delete-orphan", lazy="selectin"
    )


class Account(Base):
    """One platform identity of a member; (platform, user_id) is unique across the network."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "user_id", name="uq_accounts_platform_user"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[str] = mapped_column(String(255))
    chat_id: Mapped[str | None] = mapped_column(String(255))
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable_reason: Mapped[str] = mapped_column(String(200), default="")
    linked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    member: Mapped[Member] = relationship(back_populates="accounts")


class AuditEntry(Base):
    """Every admin action and every refused attempt at one."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(80))
    allowed: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text, default="")
    # What was done as data, shown in the reader's language (handlers/audit.py):
    # {"key": catalogue key, "values": {...}}; None on entries that have only `detail` text.
    detail_data: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)


class ProcessedUpdate(Base):
    """Update ids already handled, so a redelivered update changes nothing."""

    __tablename__ = "processed_updates"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class TransportState(Base):
    """Small durable values a transport resumes from (Telegram offset, Matrix sync token)."""

    __tablename__ = "transport_state"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Conversation(Base):
    """The step a member is in within a guided conversation (onboarding, event form...)."""

    __tablename__ = "conversations"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class LinkCode(Base):
    """A one-time code that joins a second platform account to a member."""

    __tablename__ = "link_codes"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Invitation(Base):
    """The office's invitation to claim an imported directory entry: a code the person sends
    (`/start CODE`, `/link CODE`) so that their chat account joins the entry. One per member,
    used once."""

    __tablename__ = "invitations"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True, unique=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxMessage(Base):
    """A message waiting to be delivered (or delivered): the worker drains this table."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_lease", "status", "lease_until"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[str | None] = mapped_column(String(255))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    broadcast_id: Mapped[int | None] = mapped_column(BigId, index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    message_ref: Mapped[str | None] = mapped_column(String(255))
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
