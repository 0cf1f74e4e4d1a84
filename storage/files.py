"""Files kept in the database so they survive a restart: a broadcast's image or document.

The bytes are stored once; every outbox message that carries the file names it by id. What a
platform returned when the file was first uploaded there (a Telegram file id, Matrix mxc URLs)
is kept beside it in `platform_refs`, so later sends, also after a restart or from another bot
process, reuse that upload.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    delete,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId, utcnow


class StoredFile(Base):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(127))
    kind: Mapped[str] = mapped_column(String(16))  # bot.messages.AttachmentKind
    size: Mapped[int] = mapped_column(Integer)
    # Loaded only when asked for: listing broadcasts must not read megabytes.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # platform -> that platform's handle for an upload of these bytes.
    platform_refs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The admin whose unsent draft this file still is: theirs until it goes out (/mydata exports
    # it, /forget erases it); None once a broadcast carries it.
    draft_of: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )


@dataclass(frozen=True)
class FileInfo:
    """What a file is, without its bytes."""

    id: int
    filename: str
    mime_type: str
    kind: str
    size: int


@dataclass(frozen=True)
class FileWithContent:
    info: FileInfo
    content: bytes
    platform_refs: dict[str, str]


def _info(row: Any) -> FileInfo:
    """A StoredFile, or a result row that starts with the `_INFO` columns."""
    return FileInfo(row.id, row.filename, row.mime_type, row.kind, row.size)


async def save(
    session: AsyncSession,
    *,
    filename: str,
    mime_type: str,
    kind: str,
    content: bytes,
    draft_of: int | None = None,
) -> FileInfo:
    row = StoredFile(
        filename=filename,
        mime_type=mime_type,
        kind=kind,
        size=len(content),
        content=content,
        platform_refs={},
        draft_of=draft_of,
    )
    session.add(row)
    await session.flush()
    return _info(row)


# What a file is, without its bytes: the columns `infos` reads and `load` reads with them.
_INFO = (StoredFile.id, StoredFile.filename, StoredFile.mime_type, StoredFile.kind, StoredFile.size)


async def infos(session: AsyncSession, *, file_ids: Collection[int]) -> dict[int, FileInfo]:
    if not file_ids:
        return {}
    rows = await session.execute(select(*_INFO).where(StoredFile.id.in_(list(file_ids))))
    return {row.id: _info(row) for row in rows}


async def load(session: AsyncSession, *, file_id: int) -> FileWithContent | None:
    row = (
        await session.execute(
            select(*_INFO, StoredFile.content, StoredFile.platform_refs).where(
                StoredFile.id == file_id
            )
        )
    ).first()
    if row is None:
        return None
    return FileWithContent(_info(row), bytes(row.content), dict(row.platform_refs or {}))


async def set_platform_ref(session: AsyncSession, *, file_id: int, platform: str, ref: str) -> None:
    """Remember a platform's handle for the file (a lost race only costs one more upload)."""
    row = await session.get(StoredFile, file_id)
    if row is None:
        return
    row.platform_refs = {**(row.platform_refs or {}), platform: ref}


async def publish(session: AsyncSession, *, file_id: int) -> None:
    """The draft goes out: from now on the file belongs to the broadcast, not to its sender."""
    await session.execute(update(StoredFile).where(StoredFile.id == file_id).values(draft_of=None))


async def delete_draft(session: AsyncSession, *, file_id: int) -> None:
    """Delete a file while it is still an unsent draft (replaced or cancelled)."""
    await session.execute(
        delete(StoredFile).where(StoredFile.id == file_id, StoredFile.draft_of.is_not(None))
    )


async def delete_old_drafts(session: AsyncSession, *, created_before: datetime) -> int:
    """Drafts whose conversation was abandoned."""
    result = await session.execute(
        delete(StoredFile).where(
            StoredFile.draft_of.is_not(None), StoredFile.created_at < created_before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
