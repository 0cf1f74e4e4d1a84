"""Queueing a broadcast and reading its delivery report; shared by the chat and the command line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery import delivery_account, enqueue_for_members, enqueue_to_chats
from bot.errors import UserError
from bot.i18n import Markup, t
from bot.messages import YES_ASKS_WHICH, Attachment, AttachmentKind, Reply, escape
from bot.router import Router
from handlers.broadcast.event_buttons import buttons_for
from handlers.broadcast.rules import Audience
from storage import broadcasts, event_store, files, signups
from storage.db import Database
from storage.events import CONFIRMED, OFFERED, WAITLISTED, Event
from storage.files import FileInfo
from storage.models import Member, utcnow
from storage.outbox import as_utc

KIND = "broadcast"
# The language of a broadcast's second version (`text_en`); every other member reads `text`.
ENGLISH = "en"
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


def members_reached(
    candidates: list[Member], audience: Audience, sender: int | None = None
) -> list[Member]:
    """The members of the audience who can be reached on some platform, each once; not the
    `sender` (their preview showed it: a copy as a member's news was theirs twice)."""
    return [
        m
        for m in candidates
        if m.id != sender and audience.matches(m) and delivery_account(m) is not None
    ]


# The sign-ups each audience of one event reaches.
EVENT_STATUSES = {"attendees": (CONFIRMED,), "waiting": (OFFERED, WAITLISTED)}


async def candidates_for(session: AsyncSession, audience: Audience) -> list[Member]:
    """The members an audience is chosen from: those who want news and registered; for an
    event's people, its sign-ups (or those waiting), registered or not, since a message
    about their event is no news they could have stopped."""
    if audience.event_id is None:
        return list(await broadcasts.audience_candidates(session))
    rows = await signups.attendees(
        session, event_id=audience.event_id, statuses=EVENT_STATUSES[audience.kind]
    )
    return [member for _signup, member in rows]


@dataclass(frozen=True)
class Preview:
    members: int
    chats: int
    # Of `members`, those who read English (they get the English text, where there is one).
    english: int = 0
    # In the audience but without a chat account yet (imported, not invited or not joined):
    # not reached, said beside the count.
    unconnected: int = 0

    @property
    def nobody(self) -> bool:
        """The broadcast reaches nobody: nothing to send (chat and dashboard offer no Send)."""
        return not (self.members or self.chats)

    @property
    def german(self) -> int:
        return self.members - self.english


async def preview(
    db: Database, settings: Settings, audience: Audience, announce: bool, sender: int | None = None
) -> Preview:
    """Whom a broadcast reaches: as `queue_broadcast` chooses, the `sender` not among them."""
    async with db.session() as session:
        candidates = await candidates_for(session, audience)
    announce = announce and audience.event_id is None  # an event's people only
    chats = len(announcement_chats(settings)) if announce else 0
    reached = members_reached(candidates, audience, sender)
    english = sum(1 for member in reached if member.language == ENGLISH)
    in_audience = sum(1 for m in candidates if m.id != sender and audience.matches(m))
    return Preview(len(reached), chats, english, unconnected=in_audience - len(reached))


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
    text_en: str = "",
    commands: Router | None = None,
    event: Event | None = None,
    now: datetime | None = None,
) -> tuple[int, int]:
    """Store the broadcast and queue a copy for every recipient, in one transaction.

    Returns (broadcast number, recipients). Recipients are chosen now; a scheduled broadcast
    waits in the outbox until `send_at`. An attached file (already stored) is named by each
    copy, not copied into it. Members who read English get `text_en` where it is given; with
    `commands`, each copy names the commands as its reader knows them (`member_message`);
    with `event`, each member's copy carries its *Anmelden* and *Details* (`event_buttons`),
    and it announces the event: sent `now` at once, planned for later when a copy goes out.
    """
    announce = announce and audience.event_id is None  # an event's people only
    chats = announcement_chats(settings) if announce else []
    network = settings.network.name

    def message_in(lang: str) -> Markup:
        return member_message(text, lang, network, text_en=text_en, commands=commands)

    async with db.session() as session:
        candidates = await candidates_for(session, audience)
        chosen = members_reached(candidates, audience, created_by)
        signed = set()
        if event is not None:
            signed = {m.id for _s, m in await signups.attendees(session, event_id=event.id)}
        # Its sign-up goes out with it: the event is announced when a copy is delivered
        # (`broadcasts.announce_delivered_events`), at once when it is sent now.
        announces = event is not None and any(
            buttons_for(event, m, signed_up=m.id in signed) for m in chosen
        )
        broadcast = await broadcasts.create(
            session,
            created_by=created_by,
            text=text,
            text_en=text_en,
            audience=audience.code,
            announcements=announce,
            send_at=send_at,
            recipients=0,
            chats=[list(chat) for chat in chats],
            attachment_id=attachment.id if attachment else None,
            event_id=event.id if event is not None and announces else None,
        )
        file = _stored(attachment)
        prefix = f"broadcast:{broadcast.id}"
        # Anmelden and Details: a typed "ja" under them names neither, and is asked which
        which = {YES_ASKS_WHICH: "yes"} if event is not None else {}
        queued = await enqueue_for_members(
            session,
            recipients=[
                (
                    m,
                    Reply(
                        message_in(m.language),
                        buttons_for(event, m, signed_up=m.id in signed),
                        attachment=file,
                        metadata=which,
                    ),
                )
                for m in chosen
            ],
            kind=KIND,
            broadcast_id=broadcast.id,
            not_before=send_at,
            dedupe_prefix=prefix,
        )
        queued += await enqueue_to_chats(
            session,
            chats=chats,
            reply=Reply(message_in(settings.network.default_language), attachment=file),
            kind=KIND,
            broadcast_id=broadcast.id,
            not_before=send_at,
            dedupe_prefix=prefix,
        )
        broadcast.recipients = queued
        # Sent now, the event counts as announced at once (the dashboard's list had said
        # "nicht angekündigt"); planned for later, when its first copy goes out.
        if event is not None and announces and send_at <= (now or utcnow()):
            await event_store.mark_announced(session, event_id=event.id, at=send_at)
        await files.delete_old_drafts(session, created_before=utcnow() - DRAFT_FILES_KEPT)
        return broadcast.id, queued


def _stored(info: FileInfo | None) -> Attachment | None:
    """The attachment as outbox messages carry it: by its stored id, without the bytes."""
    if info is None:
        return None
    return Attachment(
        info.filename, b"", info.mime_type, AttachmentKind(info.kind), stored_id=info.id
    )


def text_in(text: str, text_en: str, lang: str) -> str:
    """The version of a broadcast a reader of `lang` gets: their language's where there is
    one, else the other (`text` is the German version, empty when the office wrote only in
    English)."""
    if lang == ENGLISH:
        return text_en or text
    return text or text_en


def shown_text(text: str, text_en: str) -> str:
    """The text a report names a broadcast by: the German one, else the English one."""
    return text or text_en


def member_message(
    text: str, lang: str, network: str, *, text_en: str = "", commands: Router | None = None
) -> Markup:
    """The broadcast as a member reads it: the header in their language, their version of the
    text (`text_in`), escaped; with `commands`, each command it names as they know it
    ("/termine" reads "/events" in English, as /help shows it). A German reader of a text
    written only in English is told so by the header, not given it as if it were German."""
    body = text_in(text, text_en, lang)
    if commands is not None:
        body = commands.shown_commands(body, lang)
    header = "broadcast.header" if text or lang == ENGLISH else "broadcast.header_only_english"
    return Markup(t(lang, header, network=network) + "\n\n" + escape(body))


# ---- the report: shared by /broadcast_report, /broadcasts and the dashboard -------------------


def broadcast_state(counts: dict[str, int], send_at: datetime, now: datetime) -> str:
    """`cancelled`, `scheduled` (waiting for its time), `running` or `done`."""
    if counts.get("withdrawn"):
        return "cancelled"
    if as_utc(send_at) > now:
        return "scheduled"
    return "running" if counts.get("pending") else "done"


@dataclass(frozen=True)
class Report:
    broadcast: broadcasts.Broadcast
    counts: dict[str, int]
    state: str
    attachment: FileInfo | None


async def delivery_report(db: Database, number: int, *, now: datetime) -> Report:
    """A broadcast with its delivery counts and state; `broadcast.unknown` when there is none."""
    async with db.session() as session:
        broadcast = await broadcasts.get(session, number)
        if broadcast is None:
            raise UserError("broadcast.unknown", number=number)
        counts = (await broadcasts.reports(session, broadcast_ids=[number]))[number]
        attached = await broadcasts.attached_files(session, [broadcast])
    state = broadcast_state(counts, broadcast.send_at, now)
    return Report(broadcast, counts, state, attached.get(broadcast.id))


async def listed_broadcasts(db: Database, *, now: datetime, recent: int) -> list[Report]:
    """The `recent` latest broadcasts and every scheduled one, newest first."""
    async with db.session() as session:
        latest = list(await broadcasts.recent(session, limit=recent))
        shown = {item.id for item in latest}
        ahead = [b for b in await broadcasts.scheduled(session, now=now) if b.id not in shown]
        listed = sorted([*latest, *ahead], key=lambda b: b.id, reverse=True)
        counts = await broadcasts.reports(session, broadcast_ids=[b.id for b in listed])
        attached = await broadcasts.attached_files(session, listed)
    return [
        Report(b, counts[b.id], broadcast_state(counts[b.id], b.send_at, now), attached.get(b.id))
        for b in listed
    ]


async def recipients(
    db: Database, number: int, *, page: int, per_page: int
) -> tuple[list[broadcasts.RecipientRow], int]:
    """One page (from 1) of a broadcast's recipients and their delivery state, and the total."""
    async with db.session() as session:
        total = await broadcasts.recipient_total(session, broadcast_id=number)
        rows = await broadcasts.recipient_rows(
            session, broadcast_id=number, offset=(max(page, 1) - 1) * per_page, limit=per_page
        )
    return rows, total


async def cancel_scheduled(db: Database, number: int, *, now: datetime) -> None:
    """Cancel a scheduled broadcast: its waiting copies are withdrawn, nothing goes out.

    Raises a `UserError` saying why when it cannot (unknown, already sent or cancelled).
    """
    async with db.session() as session:
        outcome = await broadcasts.cancel(session, broadcast_id=number, now=now)
    if outcome == "unknown":
        raise UserError("broadcast.unknown", number=number)
    if outcome == "started":
        raise UserError("broadcast.cancel_too_late", number=number)
    if outcome == "already":
        raise UserError("broadcast.cancel_already", number=number)
