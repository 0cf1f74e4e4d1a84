"""The image or document a broadcast may carry: what is accepted, kept and how it is described."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup, size_text, t
from bot.messages import AttachmentKind, IncomingAttachment
from storage import files
from storage.db import Database

# Telegram lets a bot download at most 20 MB, so nothing larger can come in from there; one limit
# for every source (chat, Matrix, command line) keeps the answer the same everywhere. Images over
# Telegram's 10 MB photo limit go out there as documents (the transport decides).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NAME_CHARS = 120
# Sent as a picture; every other file goes out as a document.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def check(attachment: IncomingAttachment, lang: str) -> None:
    """Refuse what cannot be sent before fetching a byte of it."""
    if attachment.kind is AttachmentKind.OTHER:
        raise UserError("broadcast.file_unsupported")
    if attachment.size is not None and attachment.size > MAX_FILE_BYTES:
        raise too_large(attachment.size, lang)


def too_large(size: int, lang: str) -> UserError:
    return UserError(
        "errors.file_too_large", size=size_text(size, lang), limit=size_text(MAX_FILE_BYTES, lang)
    )


def clean_name(name: str, mime_type: str, kind: AttachmentKind) -> str:
    """A file name safe to show and to hand on: no path, not empty, not endless."""
    base = PurePath(name.replace("\\", "/")).name.strip() if name else ""
    if not base:
        extension = mimetypes.guess_extension(mime_type) or ""
        base = ("image" if kind is AttachmentKind.IMAGE else "file") + extension
    if len(base) > MAX_NAME_CHARS:
        stem, dot, extension = base.rpartition(".")
        keep = MAX_NAME_CHARS - len(extension) - 1
        base = f"{stem[:keep]}.{extension}" if dot and keep > 0 else base[:MAX_NAME_CHARS]
    return base


def kind_of_path(path: PurePath) -> tuple[AttachmentKind, str]:
    """For the command line: a JPEG, PNG or WebP is an image, anything else a document."""
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    image = mime_type in IMAGE_TYPES
    return (AttachmentKind.IMAGE if image else AttachmentKind.FILE), mime_type


def kind_of_upload(filename: str, content_type: str) -> tuple[AttachmentKind, str]:
    """For a browser upload: an image by its type or name (JPEG, PNG, WebP), else a document."""
    if content_type in IMAGE_TYPES:
        return AttachmentKind.IMAGE, content_type
    kind, guessed = kind_of_path(PurePath(filename.replace("\\", "/") or "file"))
    if kind is AttachmentKind.IMAGE:
        return kind, guessed
    usable = content_type and content_type != "application/octet-stream"
    return AttachmentKind.FILE, content_type if usable else guessed


def describe(draft: dict[str, object] | files.FileInfo, lang: str) -> Markup:
    """`📎 with image foto.jpg, 120 KB`."""
    if isinstance(draft, files.FileInfo):
        kind, name, size = draft.kind, draft.filename, draft.size
    else:
        kind, name, size = str(draft["kind"]), str(draft["name"]), int(str(draft["size"]))
    key = "broadcast.with_image" if kind == AttachmentKind.IMAGE else "broadcast.with_file"
    return t(lang, key, name=name, size=size_text(size, lang))


async def keep(ctx: Context, attachment: IncomingAttachment) -> dict[str, object]:
    """Fetch the file the admin sent and store it; its draft entry for the conversation."""
    content = await ctx.fetch_file(attachment, max_bytes=MAX_FILE_BYTES)
    return await store_draft(
        ctx.db,
        member_id=ctx.member.id,
        filename=attachment.filename,
        mime_type=attachment.mime_type,
        kind=attachment.kind,
        content=content,
        lang=ctx.lang,
    )


async def store_draft(
    db: Database,
    *,
    member_id: int,
    filename: str,
    mime_type: str,
    kind: AttachmentKind,
    content: bytes,
    lang: str,
) -> dict[str, object]:
    """Keep an admin's file for a broadcast being written (from the chat or the dashboard).

    Refuses what is too large, empty or not an image or document; returns the draft entry.
    """
    if kind is AttachmentKind.OTHER:
        raise UserError("broadcast.file_unsupported")
    if len(content) > MAX_FILE_BYTES:  # the platform did not say how large it was
        raise too_large(len(content), lang)
    if not content:
        raise UserError("errors.file_unavailable")
    name = clean_name(filename, mime_type, kind)
    async with db.session() as session:
        info = await files.save(
            session,
            filename=name,
            mime_type=mime_type or "application/octet-stream",
            kind=kind.value,
            content=content,
            draft_of=member_id,
        )
    return draft_entry(info)


def draft_entry(info: files.FileInfo) -> dict[str, object]:
    return {"id": info.id, "name": info.filename, "kind": info.kind, "size": info.size}


async def forget_draft(db: Database, draft: object) -> None:
    """Delete the file of a draft that will not be sent (replaced or cancelled)."""
    if not isinstance(draft, dict) or not isinstance(draft.get("id"), int):
        return
    async with db.session() as session:
        await files.delete_draft(session, file_id=draft["id"])
