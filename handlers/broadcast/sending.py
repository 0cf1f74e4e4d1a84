"""Queueing a broadcast and reading its delivery report; shared by the chat and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from bot.delivery import delivery_account, enqueue_for_members, enqueue_to_chats
from bot.i18n import Markup, t
from bot.messages import Attachment, AttachmentKind, Reply, escape
from handlers.broadcast.rules import Audience
from storage import broadcasts, files
from storage.db import Database
from storage.files import FileInfo
from storage.models import Member, utcnow

KIND = "broadcast"
# Files of drafts never sent are deleted this long after they came in.
DRAFT_FILES_KEPT = timedelta(days=7)


def announcement_chats(settings: Settings) -> list[tuple[str, str]]:
    """The announcement chats and rooms of every platform the bot runs on."""
    chats: list[tuple[str, str]] = []
    if settings.telegram_enabled:
        chats.extend(("telegram", str(chat)) for chat in settings.telegram.announcement_chats)
    if settings.matrix_enabled:
        chats.extend(("matrix", room) for room in settings.matrix.announcement_rooms)
    return chats


def members_reached(candidates: list[Member], audience: Audience) -> list[Member]:
    """The members of the audience who can be reached on some platform, each once."""
    return [m for m in candidates if audience.matches(m) and delivery_account(m) is not None]


@dataclass(frozen=True)
class Preview:
    members: int
    chats: int


async def preview(db: Database, settings: Settings, audience: Audience, announce: bool) -> Preview:
    async with db.session() as session:
        candidates = list(await broadcasts.audience_candidates(session))
    chats = len(announcement_chats(settings)) if announce else 0
    return Preview(len(members_reached(candidates, audience)), chats)


async def queue_broadcast(
    db: Database,
    settings: Settings,
    *,
    created_by: int | None,
    text: str,
    audience: Audience,
    announce: bool,
    send_at: datetime,
    attachment: FileInfo | None = None,
) -> tuple[int, int]:
    """Store the broadcast and queue a copy for every recipient, in one transaction.

    Returns (broadcast number, recipients). Recipients are chosen now; a scheduled broadcast
    waits in the outbox until `send_at`. An attached file (already stored) is named by each
    copy, not copied into it.
    """
    chats = announcement_chats(settings) if announce else []
    network = settings.network.name
    async with db.session() as session:
        candidates = list(await broadcasts.audience_candidates(session))
        chosen = members_reached(candidates, audience)
        broadcast = await broadcasts.create(
            session,
            created_by=created_by,
            text=text,
            audience=audience.code,
            announcements=announce,
            send_at=send_at,
            recipients=0,
            chats=[list(chat) for chat in chats],
            attachment_id=attachment.id if attachment else None,
        )
        file = _stored(attachment)
        prefix = f"broadcast:{broadcast.id}"
        queued = await enqueue_for_members(
            session,
            recipients=[
                (m, Reply(_message(text, m.language, network), attachment=file)) for m in chosen
            ],
            kind=KIND,
            broadcast_id=broadcast.id,
            not_before=send_at,
            dedupe_prefix=prefix,
        )
        queued += await enqueue_to_chats(
            session,
            chats=chats,
            reply=Reply(
                _message(text, settings.network.default_language, network), attachment=file
            ),
            kind=KIND,
            broadcast_id=broadcast.id,
            not_before=send_at,
            dedupe_prefix=prefix,
        )
        broadcast.recipients = queued
        await files.delete_old_drafts(session, created_before=utcnow() - DRAFT_FILES_KEPT)
        return broadcast.id, queued


def _stored(info: FileInfo | None) -> Attachment | None:
    """The attachment as outbox messages carry it: by its stored id, without the bytes."""
    if info is None:
        return None
    return Attachment(
        info.filename, b"", info.mime_type, AttachmentKind(info.kind), stored_id=info.id
    )


def _message(text: str, lang: str, network: str) -> Markup:
    return Markup(t(lang, "broadcast.header", network=network) + "\n\n" + escape(text))
