"""Where the configured groups and rooms are now, and which of them the bot cannot reach.

The config names a room by alias (`#yp:server`) or id, a Telegram group by the id it had when the
operator wrote it down. Platforms move them: an alias resolves to a room id, a room is upgraded
to a new id, a group becomes a supergroup with a new id. Each move is a row `name -> chat_id`;
what is queued, sent to and compared is the id at the end of that chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import DateTime, String, Text, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow

# A chain longer than this is a loop or a mistake; its last id is used.
_MAX_HOPS = 8


class ChatRoute(Base):
    """A configured name (or an old id) and the chat it leads to now; a delivery problem, if any."""

    __tablename__ = "chat_routes"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    # None: named in the config but not found yet (an alias nobody created so far).
    chat_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    problem: Mapped[str] = mapped_column(Text, default="")
    problem_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Set when the admins were told of the current problem: they are told once per problem.
    notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


async def record(session: AsyncSession, *, platform: str, name: str, chat_id: str | None) -> bool:
    """Remember where `name` leads now (None: it does not resolve); True when that changed."""
    row = await session.get(ChatRoute, (platform, name))
    if row is None:
        session.add(ChatRoute(platform=platform, name=name, chat_id=chat_id, problem=""))
        return True
    if row.chat_id == chat_id:
        return False
    row.chat_id = chat_id
    if chat_id is not None:
        row.problem, row.problem_since, row.notified_at = "", None, None
    return True


async def current(session: AsyncSession, *, platform: str, chat_id: str) -> str:
    """The id `chat_id` leads to now: itself when nothing moved it or an alias is unresolved."""
    seen = {chat_id}
    for _ in range(_MAX_HOPS):
        row = await session.get(ChatRoute, (platform, chat_id))
        if row is None or row.chat_id is None or row.chat_id in seen:
            return chat_id
        chat_id = row.chat_id
        seen.add(chat_id)
    return chat_id


async def report_problem(
    session: AsyncSession, *, platform: str, chat_id: str, problem: str, now: datetime
) -> str | None:
    """Record that `chat_id` cannot be reached; the configured name when the admins should hear.

    The rows naming the chat (its alias or old ids, or the chat itself) carry the problem; the
    name returned is the one the operator wrote in the config, so the notice says what to fix.
    """
    rows = await _rows_for(session, platform=platform, chat_id=chat_id)
    if not rows:
        row = ChatRoute(platform=platform, name=chat_id, chat_id=None, problem="")
        session.add(row)
        rows = [row]
    already_told = any(r.problem and r.notified_at is not None for r in rows)
    for row in rows:
        if not row.problem:
            row.problem_since = now
        row.problem = problem[:500]
        if not already_told:
            row.notified_at = now
    if already_told:
        return None
    return display_name(rows, chat_id)


async def clear_problem(session: AsyncSession, *, platform: str, chat_id: str) -> None:
    """A delivery to `chat_id` worked: whatever was wrong there is over."""
    await session.execute(
        update(ChatRoute)
        .where(
            ChatRoute.platform == platform,
            or_(ChatRoute.name == chat_id, ChatRoute.chat_id == chat_id),
            ChatRoute.problem != "",
        )
        .values(problem="", problem_since=None, notified_at=None)
    )


async def problems(session: AsyncSession) -> Sequence[ChatRoute]:
    """Chats with an open delivery problem (for `check` and the admins' overview)."""
    query = (
        select(ChatRoute)
        .where(ChatRoute.problem != "")
        .order_by(ChatRoute.platform, ChatRoute.name)
    )
    return (await session.scalars(query)).all()


def display_name(rows: Sequence[ChatRoute], chat_id: str) -> str:
    """The name the operator knows: an alias, else an id from the config, else the chat's own."""
    names = sorted(r.name for r in rows)
    aliases = [n for n in names if n.startswith("#")]
    others = [n for n in names if n != chat_id]
    return (aliases or others or [chat_id])[0]


async def _rows_for(session: AsyncSession, *, platform: str, chat_id: str) -> list[ChatRoute]:
    query = select(ChatRoute).where(
        ChatRoute.platform == platform,
        or_(ChatRoute.name == chat_id, ChatRoute.chat_id == chat_id),
    )
    return list((await session.scalars(query)).all())
