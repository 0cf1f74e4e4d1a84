"""The dashboard's sign-in links and sessions. Only hashes of the secrets are stored: a copy of
the database opens no dashboard. A member's erasure removes both (foreign keys, cascade)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class WebLink(Base):
    """A one-time sign-in link for one admin."""

    __tablename__ = "web_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebSession(Base):
    """A signed-in browser: the cookie holds the secret, this row its hash."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


async def add_link(
    session: AsyncSession, *, token: str, member_id: int, expires_at: datetime
) -> None:
    session.add(WebLink(token_hash=digest(token), member_id=member_id, expires_at=expires_at))


async def use_link(session: AsyncSession, *, token: str, now: datetime) -> int | None:
    """The member a link signs in, once: a used, expired or unknown link gives None."""
    result = await session.execute(
        update(WebLink)
        .where(
            WebLink.token_hash == digest(token),
            WebLink.used_at.is_(None),
            WebLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(WebLink.member_id)
    )
    return result.scalar_one_or_none()


async def link_member(session: AsyncSession, *, token: str, now: datetime) -> int | None:
    """The member a link would sign in, without using it up (None: used, expired, unknown)."""
    result = await session.execute(
        select(WebLink.member_id).where(
            WebLink.token_hash == digest(token),
            WebLink.used_at.is_(None),
            WebLink.expires_at > now,
        )
    )
    return result.scalar_one_or_none()


async def used_link_member(session: AsyncSession, *, token: str) -> int | None:
    """The member a link was made for when it was used already (kept until it expires)."""
    result = await session.execute(
        select(WebLink.member_id).where(
            WebLink.token_hash == digest(token), WebLink.used_at.is_not(None)
        )
    )
    return result.scalar_one_or_none()


async def add_session(
    session: AsyncSession, *, secret: str, member_id: int, csrf: str, now: datetime
) -> None:
    session.add(
        WebSession(
            id_hash=digest(secret), member_id=member_id, csrf=csrf, created_at=now, last_seen_at=now
        )
    )


async def touch_session(
    session: AsyncSession, *, secret: str, now: datetime, idle_after: datetime
) -> WebSession | None:
    """The live session for this cookie, its idle clock restarted; None when idle too long."""
    row = await session.scalar(select(WebSession).where(WebSession.id_hash == digest(secret)))
    if row is None:
        return None
    last_seen = (
        row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(tzinfo=now.tzinfo)
    )
    if last_seen < idle_after:
        await session.delete(row)
        return None
    row.last_seen_at = now
    return row


async def end_session(session: AsyncSession, *, secret: str) -> None:
    await session.execute(delete(WebSession).where(WebSession.id_hash == digest(secret)))


async def prune(session: AsyncSession, *, now: datetime, idle_after: datetime) -> None:
    """Used or expired links and idle sessions are of no use to anyone."""
    await session.execute(delete(WebLink).where(WebLink.expires_at < now))
    await session.execute(delete(WebSession).where(WebSession.last_seen_at < idle_after))
