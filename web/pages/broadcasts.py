"""Broadcasts: compose with a live recipient count, preview as members see it, send or schedule,
cancel a scheduled one, and the delivery report down to each recipient.

The rules are the chat's (handlers/broadcast): the same text and file checks, audiences, send
times, queueing and cancelling.
"""

from __future__ import annotations

import asyncio
import html
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from typing import IO, Any

from aiohttp import web
from aiohttp.web_request import FileField
from markupsafe import Markup, escape
from multidict import MultiDictProxy

from bot.errors import UserError
from bot.i18n import size_text, t
from bot.textmatch.analyzer import reads_english
from handlers import audit as audit_detail
from handlers.broadcast import files
from handlers.broadcast.event_buttons import named_event
from handlers.broadcast.rules import (
    EVENT_KINDS,
    MAX_TEXT_CHARS,
    Audience,
    Translation,
    clean_text,
    outdated,
    parse_audience,
    parse_send_time,
    settled,
    translation_of,
)
from handlers.broadcast.sending import (
    announcement_chats,
    cancel_scheduled,
    delivery_report,
    listed_broadcasts,
    member_message,
    preview,
    queue_broadcast,
    recipients,
    shown_text,
)
from handlers.events import render
from handlers.members.directory_import import KINDS
from storage import files as stored_files
from web.auth import audit
from web.reader import off_loop, services_of
from web.render import ADMIN, LANG, SERVICES, is_htmx, page

NAV: tuple[str, str, str] | None = ("broadcasts", "/broadcasts", "web.nav_broadcasts")

PER_PAGE = 100
LISTED = 20
# Audience choices of the form: a code parse_audience reads, and "topic" (with its own field).
CHOICES = ("all", "yp", "lang:de", "lang:en", *(f"kind:{kind}" for kind in sorted(KINDS)), "topic")
# Refusals about one box of the form: shown next to it (the rest above the form).
FIELD_OF_ERROR = {"broadcast.topic_missing": "topic", "broadcast.text_too_long": "text"}
# The form's fields that the preview carries back to *Edit* (and to a stale *Send*).
KEPT_FIELDS = ("text", "text_en", "audience", "topic", "announce", "send_at", "translation")
# The box an outdated translation is written anew in, by the language of that translation.
BOX_OF = {"en": "text_en", "de": "text"}


@dataclass(frozen=True)
class Draft:
    """A previewed broadcast waiting for *Send*; taken once, so a double click sends once."""

    admin_id: int
    # The German text; empty when the office wrote only in English (`text_en`), as the chat's.
    text: str
    # What members who read English get instead (empty: the text), as the chat's draft.
    text_en: str
    audience: str
    announce: bool
    send_at: datetime | None
    file: dict[str, object] | None
    # Which version translates which text (`Translation.code`), as the chat's draft keeps it.
    translation: str = ""

    @property
    def outdated(self) -> Translation | None:
        """The translation, when it was written for an earlier text of the other version."""
        translation = Translation.parse(self.translation)
        return translation if outdated(self.text, self.text_en, translation) else None


DRAFTS = web.AppKey("broadcast_drafts", dict[str, Draft])
# The file of a draft whose outdated translation is written anew at the form (*Replace*), by
# the key the form carries instead: a browser cannot fill a file box again. With its admin.
KEPT_FILES = web.AppKey("broadcast_kept_files", dict[str, tuple[int, dict[str, object]]])


# ---- the message as members see it ------------------------------------------------------------

# The bot's reply markup (Telegram's HTML subset): these tags pass, everything else is escaped.
_TAG = re.compile(r"<(/?)(b|i|u|s|code|pre)>|<a href=\"(https?://[^\"<>]*)\">|</a>")


def bot_html(message: str) -> Markup:
    """A bot message as a page shows it: the tags the bot uses kept, anything else escaped."""
    out: list[str] = []
    position = 0
    for match in _TAG.finditer(message):
        out.append(str(escape(html.unescape(message[position : match.start()]))))
        if match.group(3) is not None:
            href = escape(html.unescape(match.group(3)))
            out.append(f'<a href="{href}" rel="noopener noreferrer">')
        else:
            out.append(match.group(0))
        position = match.end()
    out.append(str(escape(html.unescape(message[position:]))))
    return Markup("".join(out))


# ---- compose ------------------------------------------------------------------------------------


def _form_values(form: MultiDictProxy[Any] | None) -> dict[str, str]:
    def get(name: str) -> str:
        value = form.get(name, "") if form is not None else ""
        return value if isinstance(value, str) else ""

    return {
        "text": get("text"),
        "text_en": get("text_en"),
        "audience": get("audience") or "all",
        "topic": get("topic"),
        "announce": get("announce"),
        "send_at": get("send_at"),
        "translation": get("translation"),
        "kept_file": get("kept_file"),
        "drop_file": get("drop_file"),
    }


def _audience(values: dict[str, str]) -> Audience:
    choice = values["audience"]
    if choice == "topic":
        return parse_audience(f"topic:{values['topic']}")
    if choice not in CHOICES and _event_audience(choice) is None:
        raise UserError("broadcast.bad_audience", given=choice[:60])
    return parse_audience(choice)


def _choice_labels(lang: str, chosen: str = "") -> list[tuple[str, str]]:
    """The form's audiences; an event's people first when the form was opened for them."""
    codes = CHOICES[:-1]
    if (event := _event_audience(chosen)) is not None:
        codes = (event.code, *codes)
    labels = [(code, str(parse_audience(code).describe(lang))) for code in codes]
    return [*labels, ("topic", str(t(lang, "web_broadcasts.audience_topic")))]


def _compose(
    request: web.Request,
    values: dict[str, str],
    error: str = "",
    *,
    field: str = "",
    status: int = 200,
    rewrite: str = "",
) -> web.Response:
    """The form; `error` above it, or next to the box named by `field`; `rewrite`: the
    language of a translation to write anew, its box focused and saying so."""
    services = request.app[SERVICES]
    lang = request[LANG]
    kept = _kept_file(request, values["kept_file"])
    return page(
        request,
        "broadcasts/compose.html",
        {
            "values": values,
            "error": error,
            "error_field": field,
            "choices": _choice_labels(lang, values["audience"]),
            "chats": len(announcement_chats(services.settings)),
            "zone": services.settings.network.timezone,
            "limit": size_text(files.MAX_FILE_BYTES, lang),
            "max_chars": MAX_TEXT_CHARS,
            "rewrite": rewrite if rewrite in BOX_OF else "",
            "kept": files.describe(kept, lang) if kept else "",
        },
        status=status,
    )


async def compose(request: web.Request) -> web.StreamResponse:
    values = _form_values(None)
    asked = request.query.get("audience", "")
    if _event_audience(asked) is not None:  # "message the attendees" of an event's page
        values["audience"] = asked
    return _compose(request, values)


def _event_audience(code: str) -> Audience | None:
    """The people of one event (`attendees:12`, `waiting:12`), as an event's page links to
    the form; None for anything else."""
    kind, _, number = code.partition(":")
    if kind not in EVENT_KINDS or not number.isdecimal() or len(number) > 12:
        return None
    return parse_audience(code)


async def count(request: web.Request) -> web.StreamResponse:
    """The live recipient count of the audience chosen so far (htmx, on every change)."""
    services = request.app[SERVICES]
    values = _form_values(request.query)  # type: ignore[arg-type]
    try:
        audience = _audience(values)
    except UserError:
        return page(request, "broadcasts/count.html", {"counted": None})
    sender = request[ADMIN].id
    counted = await preview(
        services.db, services.settings, audience, values["announce"] == "1", sender
    )
    return page(request, "broadcasts/count.html", {"counted": counted})


def _german(values: dict[str, str]) -> str:
    """The German text, checked; empty when only the English box is filled (news the office
    wrote only in English: German readers get it, told it is English)."""
    if not values["text"].strip() and values["text_en"].strip():
        return ""
    return clean_text(values["text"])


def _english(typed: str, lang: str) -> str:
    """The English version, optional: empty when none was written, else checked as the text
    (a refusal is shown at its own box)."""
    if not typed.strip():
        return ""
    try:
        return clean_text(typed)
    except UserError as error:
        raise FieldError(t(lang, error.key, **error.values), "text_en") from None


class FieldError(Exception):
    """A refusal about one box of the form, said in words (`message`) next to it (`field`)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _send_time(request: web.Request, typed: str) -> datetime | None:
    if not typed.strip():
        return None
    services = request.app[SERVICES]
    # the form's date field sends "2026-12-24T09:00" (with seconds in some browsers)
    typed = re.sub(r"(?<=\d)T(\d{1,2}:\d{2})(?::\d{2})?$", r" \1", typed.strip())
    return parse_send_time(typed, now=services.clock(), zone=services.settings.network.tz)


def _read(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    return handle.read()


async def _upload(request: web.Request, field: FileField) -> dict[str, object]:
    """The chosen file as a draft, with the chat's limits and refusals."""
    lang = request[LANG]
    size = await asyncio.to_thread(field.file.seek, 0, 2)
    if size > files.MAX_FILE_BYTES:  # refused before its bytes are read
        raise files.too_large(size, lang)
    kind, mime_type = files.kind_of_upload(field.filename, field.content_type)
    content = await asyncio.to_thread(_read, field.file)
    return await files.store_draft(
        request.app[SERVICES].db,
        member_id=request[ADMIN].id,
        filename=field.filename,
        mime_type=mime_type,
        kind=kind,
        content=content,
        lang=lang,
    )


async def show_preview(request: web.Request) -> web.StreamResponse:
    """The broadcast as members will see it, its recipients and *Send*; nothing is sent yet."""
    lang = request[LANG]
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        error = files.too_large(request.content_length or 0, lang)
        return _compose(request, _form_values(None), t(lang, error.key, **error.values), status=413)
    values = _form_values(form)
    draft_file: dict[str, object] | None = None
    try:
        text = _german(values)
        text_en = _english(values["text_en"], lang)
        audience = _audience(values)
        send_at = _send_time(request, values["send_at"])
        upload = form.get("file")
        if isinstance(upload, FileField) and upload.filename:
            draft_file = await _upload(request, upload)
        dropped = values["drop_file"] == "1"
        draft_file = await _with_kept_file(request, values["kept_file"], draft_file, dropped)
    except UserError as error:
        message = t(lang, error.key, **error.values)
        field = FIELD_OF_ERROR.get(error.key, "")
        return _compose(request, values, message, field=field, status=422)
    except FieldError as error:
        return _compose(request, values, error.message, field=error.field, status=422)
    # the form carries what the texts were written for, through the preview and *Edit*
    translation = translation_of(text, text_en, Translation.parse(values["translation"]))
    draft = Draft(
        request[ADMIN].id,
        text,
        text_en,
        audience.code,
        values["announce"] == "1",
        send_at,
        draft_file,
        translation.code if translation else "",
    )
    return await _preview_page(request, draft, values)


def _kept_file(request: web.Request, key: str) -> dict[str, object] | None:
    """The file kept for the form under `key`, when it is this admin's."""
    found = request.app[KEPT_FILES].get(key) if key else None
    return found[1] if found is not None and found[0] == request[ADMIN].id else None


def _keep_file(request: web.Request, file: dict[str, object]) -> str:
    """Keep a draft's file for the form it goes back to; the key the form carries."""
    kept = request.app[KEPT_FILES]
    if len(kept) > 1000:  # abandoned forms; their files go with delete_old_drafts
        kept.clear()
    key = secrets.token_urlsafe(16)
    kept[key] = (request[ADMIN].id, file)
    return key


async def _with_kept_file(
    request: web.Request, key: str, uploaded: dict[str, object] | None, dropped: bool
) -> dict[str, object] | None:
    """The previewed file: one chosen now replaces (and deletes) the kept one, and so does
    its box "not to be sent" (`dropped`); taken once."""
    kept = _kept_file(request, key)
    if kept is None:
        return uploaded
    del request.app[KEPT_FILES][key]
    if uploaded is None and not dropped:
        return kept
    await files.forget_draft(request.app[SERVICES].db, kept)
    return uploaded


async def _preview_page(
    request: web.Request,
    draft: Draft,
    values: dict[str, str],
    note: str = "",
    status: int = 200,
) -> web.Response:
    """The preview of `draft`, kept for *Send* under a new nonce; `values` are the form's, the
    texts as the draft has them; `note`: a line above it (what the office just chose)."""
    services = request.app[SERVICES]
    lang = request[LANG]
    text, text_en = draft.text, draft.text_en
    values = {**values, "text": text, "text_en": text_en, "translation": draft.translation}
    audience = parse_audience(draft.audience)
    counted = await preview(
        services.db, services.settings, audience, draft.announce, request[ADMIN].id
    )
    nonce = secrets.token_urlsafe(16)
    drafts = request.app[DRAFTS]
    if len(drafts) > 1000:  # abandoned previews; their files go with delete_old_drafts
        drafts.clear()
    drafts[nonce] = draft
    network = services.settings.network.name
    looks_english = bool(text and not text_en and reads_english(text))
    stale = draft.outdated
    event = await named_event(request.app[SERVICES], draft.text, draft.text_en)

    def seen_in(code: str) -> Markup:
        return bot_html(
            member_message(text, code, network, text_en=text_en, commands=services.router)
        )

    return page(
        request,
        "broadcasts/preview.html",
        {
            "nonce": nonce,
            "messages": [(code, seen_in(code)) for code in ("de", "en")],
            "fields": KEPT_FIELDS,
            "attachment": files.describe(draft.file, lang) if draft.file else "",
            "audience": audience.describe(lang),
            "counted": counted,
            "send_at": draft.send_at,
            "values": values,
            "lacking": _lacking(text, text_en, looks_english),
            "looks_english": looks_english,
            "outdated": stale.lang if stale else "",
            "note": note,
            "event": event,
            "event_title": render.title_of(event) if event else "",
            "event_labels": {
                code: [t(code, "events.btn_join"), t(code, "events.btn_details")]
                for code in ("de", "en")
            },
        },
        status=status,
    )


def _lacking(text: str, text_en: str, looks_english: bool) -> dict[str, str]:
    """Per language, the catalogue key saying its readers get the other language's text (no
    version in theirs), so that the preview does not pass one off as the other (a German text
    that reads English is not called German: the preview warns about it instead)."""
    lacking = {}
    if not text:
        lacking["de"] = "web_broadcasts.de_get_english"
    if not text_en and not looks_english:
        lacking["en"] = "web_broadcasts.en_get_german"
    return lacking


async def _take(request: web.Request) -> tuple[Draft | None, MultiDictProxy[Any]]:
    form = await request.post()
    nonce = form.get("nonce")
    draft = request.app[DRAFTS].pop(nonce, None) if isinstance(nonce, str) else None
    if draft is not None and draft.admin_id != request[ADMIN].id:
        return None, form
    return draft, form


async def send(request: web.Request) -> web.StreamResponse:
    """*Send*: queued through the chat's queue_broadcast; a second press sends nothing."""
    services = request.app[SERVICES]
    lang = request[LANG]
    draft, form = await _take(request)
    if draft is None:
        return _compose(request, _form_values(form), t(lang, "web_broadcasts.stale"), status=409)
    if draft.outdated is not None:  # a forged or old form: the question comes first
        return await _preview_page(request, draft, _form_values(form), status=409)
    now = services.clock()
    attachment: stored_files.FileInfo | None = None
    if draft.file is not None:
        async with services.db.session() as session:
            found = await stored_files.infos(session, file_ids=[int(str(draft.file["id"]))])
        if not found:
            return _compose(request, _form_values(form), t(lang, "broadcast.file_gone"), status=409)
        attachment = next(iter(found.values()))
    audience = parse_audience(draft.audience)
    counted = await preview(
        services.db, services.settings, audience, draft.announce, request[ADMIN].id
    )
    if counted.nobody:  # the preview offers no Send; a forged post
        message = t(lang, "web_broadcasts.nobody_reached")
        return _compose(request, _form_values(form), message, status=409)
    # the box under the preview (checked there): the buttons of the event the text names
    ticked = form.get("event_buttons") == "1"
    event = await named_event(services, draft.text, draft.text_en) if ticked else None
    number, queued = await queue_broadcast(
        services.db,
        services.settings,
        created_by=request[ADMIN].id,
        text=draft.text,
        audience=audience,
        announce=draft.announce,
        send_at=draft.send_at or now,
        attachment=attachment,
        text_en=draft.text_en,
        commands=services.router,
        event=event,
        now=now,
    )
    sent = audit_detail.broadcast_queued(
        number,
        draft.audience,
        queued,
        file_name=attachment.filename if attachment else None,
        send_at=draft.send_at,
    )
    await audit(request, "broadcasts:send", sent)
    services.outbox_wakeup()
    raise web.HTTPSeeOther(f"/broadcasts/{number}")


async def discard(request: web.Request) -> web.StreamResponse:
    """*Edit*: back to the form with the text kept, and the previewed file (a browser cannot
    fill a file box again: it had been dropped without a word, and sent without); the form
    names it, with a box not to send it. *Replace* of an outdated translation (`rewrite`):
    the same, its box focused."""
    draft, form = await _take(request)
    values = _form_values(form)
    rewrite = form.get("rewrite")
    rewrite = rewrite if isinstance(rewrite, str) and rewrite in BOX_OF else ""
    if draft is not None and draft.file is not None:
        values["kept_file"] = _keep_file(request, draft.file)
    return _compose(request, values, rewrite=rewrite)


async def settle(request: web.Request) -> web.StreamResponse:
    """An outdated translation kept as it is (`keep`) or dropped (`only`): the preview again,
    with *Send*, its file kept."""
    lang = request[LANG]
    draft, form = await _take(request)
    choice = form.get("choice")
    if draft is None:
        return _compose(request, _form_values(form), t(lang, "web_broadcasts.stale"), status=409)
    translation = draft.outdated
    if translation is None or choice not in ("keep", "only"):  # answered in another tab
        return await _preview_page(request, draft, _form_values(form))
    done = settled(draft.text, draft.text_en, translation, keep=choice == "keep")
    code = done.translation.code if done.translation else ""
    answered = replace(draft, text=done.german, text_en=done.english, translation=code)
    return await _preview_page(request, answered, _form_values(form), done.note)


# ---- list, report, cancel -----------------------------------------------------------------------


async def listing(request: web.Request) -> web.StreamResponse:
    services = services_of(request)
    listed = await listed_broadcasts(services.db, now=services.clock(), recent=LISTED)
    return page(
        request,
        "broadcasts/list.html",
        {
            "listed": listed,
            "describe": _describe(request),
            "cancelled": request.query.get("ok"),
            "shown_text": shown_text,
        },
    )


def _describe(request: web.Request) -> Any:
    lang = request[LANG]

    def describe(code: str) -> Markup:
        try:
            return Markup(parse_audience(code).describe(lang))
        except UserError:
            return Markup(escape(code))

    return describe


def _page_number(request: web.Request) -> int:
    raw = request.query.get("page", "1")
    return int(raw) if raw.isdecimal() and 0 < int(raw) < 1_000_000 else 1


async def _live_values(request: web.Request, number: int) -> dict[str, Any]:
    services = services_of(request)
    found = await delivery_report(services.db, number, now=services.clock())
    current = _page_number(request)
    rows, total = await recipients(services.db, number, page=current, per_page=PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return {
        "report": found,
        "rows": rows,
        "total": total,
        "current": current,
        "pages": pages,
        "number": number,
        "audience": _describe(request)(found.broadcast.audience),
        "shown_text": shown_text(found.broadcast.text, found.broadcast.text_en),
        "attachment": files.describe(found.attachment, request[LANG]) if found.attachment else "",
    }


async def _found_values(request: web.Request) -> dict[str, Any]:
    """`_live_values` of the broadcast in the path; a page saying so when there is none."""
    number = int(request.match_info["number"])
    try:
        return await _live_values(request, number)
    except UserError as error:
        raise web.HTTPNotFound(text=str(t(request[LANG], error.key, **error.values))) from None


async def report(request: web.Request) -> web.StreamResponse:
    values = await _found_values(request)
    values["error"] = ""
    return page(request, "broadcasts/report.html", values)


async def live(request: web.Request) -> web.StreamResponse:
    """The counts and this page of recipients, polled every few seconds while copies wait."""
    number = int(request.match_info["number"])
    try:
        values = await _live_values(request, number)
    except UserError:
        raise web.HTTPNotFound() from None
    return page(request, "broadcasts/live.html", values)


async def cancel_form(request: web.Request) -> web.StreamResponse:
    """Ask before a scheduled broadcast is cancelled: one tap beside its report was enough."""
    return page(request, "broadcasts/cancel.html", await _found_values(request))


async def cancel(request: web.Request) -> web.StreamResponse:
    """Cancel a scheduled broadcast (as the chat's /broadcasts button does)."""
    services = request.app[SERVICES]
    number = int(request.match_info["number"])
    try:
        await cancel_scheduled(services.db, number, now=services.clock())
    except UserError as error:
        message = str(t(request[LANG], error.key, **error.values))
        if error.key == "broadcast.unknown":
            raise web.HTTPNotFound(text=message) from None
        values = await _live_values(request, number)
        return page(request, "broadcasts/report.html", {**values, "error": message}, status=409)
    await audit(
        request, "broadcasts:cancel", audit_detail.detail("audit.broadcast_number", number=number)
    )
    if is_htmx(request):
        return page(request, "broadcasts/live.html", await _live_values(request, number))
    raise web.HTTPSeeOther(f"/broadcasts/{number}")


def register(app: web.Application) -> None:
    app[DRAFTS] = {}
    app[KEPT_FILES] = {}
    app.router.add_get("/broadcasts", off_loop(listing), name="broadcasts")
    app.router.add_get("/broadcasts/new", compose, name="broadcasts_new")
    app.router.add_get("/broadcasts/count", count, name="broadcasts_count")
    app.router.add_post("/broadcasts/preview", show_preview, name="broadcasts_preview")
    app.router.add_post("/broadcasts/send", send, name="broadcasts_send")
    app.router.add_post("/broadcasts/edit", discard, name="broadcasts_edit")
    app.router.add_post("/broadcasts/versions", settle, name="broadcasts_versions")
    app.router.add_get(r"/broadcasts/{number:\d{1,12}}", off_loop(report), name="broadcasts_report")
    app.router.add_get(
        r"/broadcasts/{number:\d{1,12}}/live", off_loop(live), name="broadcasts_live"
    )
    app.router.add_get(
        r"/broadcasts/{number:\d{1,12}}/cancel", cancel_form, name="broadcasts_cancel_form"
    )
    app.router.add_post(r"/broadcasts/{number:\d{1,12}}/cancel", cancel, name="broadcasts_cancel")
