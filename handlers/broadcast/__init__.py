"""News broadcasts for admins: `/broadcast` (a guided conversation), `/broadcasts` (history)
and `/broadcast_report N` (the delivery report, updated while it runs; both in `reports`).

The conversation: text (an image or file may come with it, the text as its caption), then an
optional image or file (or *skip*), the audience, the announcement chats, a preview with the
number of recipients, an optional send time, *Send*.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.flows import is_question, paused_flows
from bot.i18n import LANGUAGES, Markup, size_text, t
from bot.messages import Button, IncomingAttachment, Reply, names_label, shorten
from bot.router import Args, Param, Router, split_command
from bot.textmatch.analyzer import reads_english, reply_language
from handlers import audit
from handlers.broadcast import files, reports
from handlers.broadcast.event_buttons import named_event
from handlers.broadcast.reports import attachment_line, local_time
from handlers.broadcast.rules import (
    EVENT_KINDS,
    Audience,
    Translation,
    clean_text,
    means_now,
    outdated,
    parse_audience,
    parse_send_time,
    says_no_file,
    settled,
    translation_of,
)
from handlers.broadcast.sending import (
    Preview,
    announcement_chats,
    cancel_scheduled,
    preview,
    queue_broadcast,
)
from handlers.events import render
from handlers.members.directory_import import KINDS
from storage import conversations, event_store
from storage import files as stored_files
from storage.outbox import as_utc

FLOW = "broadcast"
# The preview's buttons (catalogue keys under `broadcast.`).
PREVIEW_BUTTONS = (
    "confirm",
    "confirm_at",
    "schedule",
    "cancel",
    "edit_text",
    "edit_german_text",
    "edit_english_text",
    "add_english",
    "add_german",
    "text_is_english",
    "text_is_german",
    "typed_text",
    "typed_question",
    "replace_english",
    "replace_german",
    "keep_version",
    "only_german",
    "only_english",
)
# The draft's key for a text typed at the preview that reads as a question: kept until the
# admin says whether it is the new text or a question (`text_or_question`).
TYPED = "typed"
# The draft's key for which version translates which text (`Translation.code`): a text
# replaced after its translation was written is asked about at the preview.
TRANSLATION = "translation"
# The draft's key for the audience it was begun for (an event's people, `Audience.code`).
PRESET = "preset"


def _buttons(*rows: tuple[tuple[str, str], ...]) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(Button(label, payload) for label, payload in row) for row in rows)


def _choice(data: dict[str, object], step: str, value: str) -> str:
    """A button of the draft's `step`: it carries the draft's id, so that a button of an
    earlier broadcast (ended, sent or cancelled) never acts on this one."""
    draft = data.get("cid")
    return f"bc:{step}:{value}:{draft}" if draft else f"bc:{step}:{value}"


async def ask_file(ctx: Context, data: dict[str, object]) -> None:
    await ctx.ask(FLOW, "file", data)
    skip = _buttons(((ctx.t("broadcast.skip_file"), _choice(data, "file", "skip")),))
    limit = size_text(files.MAX_FILE_BYTES, ctx.lang)
    await ctx.reply(Reply(ctx.t("broadcast.ask_file", limit=limit), buttons=skip))


async def got_text(ctx: Context, data: dict[str, object], text: str) -> None:
    data = {**data, "text": clean_text(text)}
    if "file" in data:
        await ask_audience(ctx, data)
    else:
        await ask_file(ctx, data)


async def got_file(
    ctx: Context, step: str, data: dict[str, object], attachment: IncomingAttachment, caption: str
) -> None:
    """An image or file while writing a broadcast: kept at the text and file steps only."""
    if step not in ("text", "file"):
        raise UserError("broadcast.file_wrong_step")
    files.check(attachment, ctx.lang)
    text = clean_text(caption) if step == "text" and caption.strip() else None
    entry = await files.keep(ctx, attachment)
    await files.forget_draft(ctx.db, data.get("file"))  # a second file replaces the first
    data = {**data, "file": entry}
    if text is not None:
        await ask_audience(ctx, {**data, "text": text})
    elif "text" in data:
        await ask_audience(ctx, data)
    else:
        await ctx.ask(FLOW, "text", data)
        await ctx.say("broadcast.file_then_text", file=files.describe(entry, ctx.lang))


async def begin_with_text(ctx: Context, text: str) -> None:
    """A broadcast whose text the office wrote in words ("Rundschreiben an alle: …"): as
    /broadcast with the text, on to the file and the audience, the preview before anything
    goes out."""
    draft: dict[str, object] = {"cid": secrets.token_hex(3)}
    await ctx.ask(FLOW, "text", draft)
    await ctx.say("broadcast.from_words")
    await got_text(ctx, draft, text)


async def begin_for_event(ctx: Context, audience: Audience) -> None:
    """A broadcast to an event's people: its text asked first, its audience set."""
    event_id = audience.event_id
    assert event_id is not None
    async with ctx.db.session() as session:
        event = await event_store.get_event(session, event_id)
    if event is None:
        raise UserError("errors.stale_button")
    draft: dict[str, object] = {"cid": secrets.token_hex(3), PRESET: audience.code}
    await ctx.say(
        "broadcast.for_event", audience=audience.describe(ctx.lang), title=render.title_of(event)
    )
    await ask_text(ctx, draft)


async def ask_audience(ctx: Context, data: dict[str, object]) -> None:
    if PRESET in data:  # a message to an event's people (/attendees' button): no choice
        await audience_chosen(ctx, data, parse_audience(str(data[PRESET])))
        return
    await ctx.ask(FLOW, "audience", data)
    labelled = _buttons(
        *(
            tuple(
                (ctx.t(f"broadcast.choose_{choice}"), _choice(data, "audience", choice))
                for choice in row
            )
            for row in (("all", "yp"), ("lang", "topic"), ("kind",))
        )
    )
    await ctx.reply(Reply(ctx.t("broadcast.ask_audience"), buttons=labelled))


async def audience_chosen(ctx: Context, data: dict[str, object], audience: Audience) -> None:
    data = {**data, "audience": audience.code}
    if announcement_chats(ctx.services.settings) and audience.event_id is None:
        await ctx.ask(FLOW, "announce", data)
        yes_no = _buttons(
            (
                (ctx.t("common.yes"), _choice(data, "announce", "1")),
                (ctx.t("common.no"), _choice(data, "announce", "0")),
            )
        )
        count = len(announcement_chats(ctx.services.settings))
        await ctx.reply(Reply(ctx.t("broadcast.ask_announce", count=count), buttons=yes_no))
        return
    await show_preview(ctx, {**data, "announce": False})


async def show_preview(ctx: Context, data: dict[str, object], note: str = "") -> None:
    """The broadcast as it goes out, with its reach (by the language its members read); *Send*
    only when it reaches someone. `note`: a line before it (what just changed)."""
    if TYPED in data:  # shown again: a text typed before is no longer asked about
        data = {**data, TYPED: {"number": _typed(data)[0], "text": ""}}
    data = _with_translation(data)
    audience = parse_audience(str(data["audience"]))
    announce = bool(data.get("announce"))
    counted = await preview(ctx.db, ctx.services.settings, audience, announce, ctx.member.id)
    nobody = counted.nobody
    await ctx.ask(FLOW, "nobody" if nobody else "preview", data)
    send_at = data.get("send_at")
    when: str = ctx.t("broadcast.when_now")
    if send_at is not None:
        when = local_time(ctx, as_utc(datetime.fromisoformat(str(send_at))))
    german, english = _versions(data)
    text = ctx.t(
        "broadcast.preview",
        text=german or ctx.t("broadcast.preview_only_english", text=english),
        attachment=attachment_line(ctx, data.get("file")),
        english=_english_line(ctx, german, english),
        audience=audience.describe(ctx.lang),
        members=ctx.t("broadcast.members", count=counted.members),
        chats=ctx.t("broadcast.chats", count=counted.chats),
        languages=_languages(ctx, counted, german, english),
        when=when,
    )
    if counted.unconnected:
        text = Markup(f"{text}\n{ctx.t('broadcast.unconnected', count=counted.unconnected)}")
    if note:
        text = Markup(f"{ctx.t(note)}\n\n{text}")
    if nobody:  # nothing to send: another audience, or stop
        text = Markup(f"{text}\n\n{ctx.t('broadcast.nobody_reached')}")
        again = _buttons(
            (
                (ctx.t("broadcast.change_audience"), _choice(data, "nobody", "audience")),
                (ctx.t("broadcast.cancel"), _choice(data, "nobody", "cancel")),
            ),
        )
        await ctx.reply(Reply(text, buttons=again))
        return
    stale = _outdated(data)
    if stale is not None:  # nothing goes out with it before the office says what to do
        text = Markup(f"{text}\n\n{ctx.t(f'broadcast.outdated_{stale.lang}')}")
        await ctx.reply(Reply(text, buttons=_outdated_buttons(ctx, data, stale)))
        return
    if german and not english and reads_english(german):
        text = Markup(f"{text}\n\n{ctx.t('broadcast.looks_english')}")
    event = await named_event(ctx.services, *_versions(data))
    event_choice: tuple[tuple[str, str], ...] = ()
    if event is not None:
        without = bool(data.get("no_event"))
        values = {"title": render.title_of(event), "number": event.id}
        line = ctx.t(
            "broadcast.event_buttons_off" if without else "broadcast.event_buttons", **values
        )
        text = Markup(f"{text}\n\n{line}")
        label = ctx.t(
            "broadcast.with_event_buttons" if without else "broadcast.without_event_buttons"
        )
        event_choice = ((label, _choice(data, "preview", "event_on" if without else "event_off")),)
    # With a time set, the button says so (as the dashboard's): "Senden" reads as right away.
    confirm = ctx.t("broadcast.confirm" if send_at is None else "broadcast.confirm_at")
    buttons = _buttons(
        ((confirm, _choice(data, "preview", "send")),),
        _edit_buttons(ctx, data, counted),
        _language_buttons(ctx, data),
        event_choice,
        (
            (ctx.t("broadcast.schedule"), _choice(data, "preview", "when")),
            (ctx.t("broadcast.cancel"), _choice(data, "preview", "cancel")),
        ),
    )
    await ctx.reply(Reply(text, buttons=tuple(row for row in buttons if row)))


def _translation(data: dict[str, object]) -> Translation | None:
    return Translation.parse(data.get(TRANSLATION))


def _with_translation(data: dict[str, object]) -> dict[str, object]:
    """The draft with its translation brought up to date with its texts (`translation_of`)."""
    translation = translation_of(*_versions(data), _translation(data))
    if translation is None:
        return {key: value for key, value in data.items() if key != TRANSLATION}
    return {**data, TRANSLATION: translation.code}


def _outdated(data: dict[str, object]) -> Translation | None:
    """The draft's translation, when it was written for a text of the other version since
    replaced."""
    translation = _translation(_with_translation(data))
    return translation if outdated(*_versions(data), translation) else None


def _outdated_buttons(
    ctx: Context, data: dict[str, object], translation: Translation
) -> tuple[tuple[Button, ...], ...]:
    """Instead of *Send*: write the translation anew (as its edit button asks for it), keep
    it as it is, or send only the other version (each shows the preview again)."""
    lang = translation.lang
    named, other = ("english", "german") if lang == "en" else ("german", "english")
    replace = "english" if lang == "en" else "edit"  # as the version's own edit button
    return _buttons(
        (
            (ctx.t(f"broadcast.replace_{named}"), _choice(data, "preview", replace)),
            (ctx.t("broadcast.keep_version"), _choice(data, "preview", "keep_version")),
        ),
        (
            (ctx.t(f"broadcast.only_{other}"), _choice(data, "preview", "only_source")),
            (ctx.t("broadcast.cancel"), _choice(data, "preview", "cancel")),
        ),
    )


async def settle_translation(ctx: Context, data: dict[str, object], value: str) -> None:
    """The office's answer to an outdated translation: kept as it is for the text as it is
    now, or dropped (everyone gets the other version)."""
    translation = _outdated(data)
    if translation is None:  # answered already, or the text changed since
        raise UserError("errors.stale_button")
    done = settled(*_versions(data), translation, keep=value == "keep_version")
    code = done.translation.code if done.translation else ""
    texts = {"text": done.german, "text_en": done.english, TRANSLATION: code}
    await show_preview(ctx, {**data, **texts}, done.note)


def _versions(data: dict[str, object]) -> tuple[str, str]:
    """The draft's German and English text; either may be empty (not both): an office that
    writes in English marks its text so ("Text ist Englisch")."""
    return str(data.get("text") or ""), str(data.get("text_en") or "")


def _english_line(ctx: Context, german: str, english: str) -> Markup:
    """The English version below the German one; a text only in English is shown as such."""
    if german and english:
        return ctx.t("broadcast.preview_english", text=english)
    return Markup("")


def _edit_buttons(
    ctx: Context, data: dict[str, object], counted: Preview
) -> tuple[tuple[str, str], ...]:
    """Change the text; add or change the other language's version where it matters (an
    English version only to English readers, a German one only to German readers). With both
    versions each button names the language it edits; a text that reads English is offered
    "Text is English" (`_language_buttons`), not an English version of itself."""
    german, english = _versions(data)
    if german and english:
        edits = [
            (ctx.t("broadcast.edit_german_text"), "edit"),
            (ctx.t("broadcast.edit_english_text"), "english"),
        ]
    elif not german:  # written only in English: its text, and a German version to add
        edits = [(ctx.t("broadcast.edit_text"), "english")]
        if counted.german:
            edits.append((ctx.t("broadcast.add_german"), "edit"))
    else:
        edits = [(ctx.t("broadcast.edit_text"), "edit")]
        if counted.english and not reads_english(german):
            edits.append((ctx.t("broadcast.add_english"), "english"))
    return tuple((label, _choice(data, "preview", value)) for label, value in edits)


def _language_buttons(ctx: Context, data: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """The text's language, marked: "Text ist Englisch" for a single text written in English,
    and back ("Text ist Deutsch") when it was marked by mistake."""
    german, english = _versions(data)
    if german and not english:
        return ((ctx.t("broadcast.text_is_english"), _choice(data, "preview", "is_en")),)
    if english and not german:
        return ((ctx.t("broadcast.text_is_german"), _choice(data, "preview", "is_de")),)
    return ()


def _languages(ctx: Context, counted: Preview, german: str, english: str) -> Markup:
    """How many recipients read German and English; plainly, who gets the other language's
    text for want of a version in theirs."""
    if not counted.members:
        return Markup("")
    line = ctx.t("broadcast.languages", german=counted.german, english=counted.english)
    if counted.english and not english and not reads_english(german):
        # (a text that reads English is not called German: the preview asks about it)
        line = Markup(line + ctx.t("broadcast.english_get_german", count=counted.english))
    if counted.german and not german:
        line = Markup(line + ctx.t("broadcast.german_get_english", count=counted.german))
    return line


def _preview_labels() -> list[str]:
    """The preview's buttons as they are named (in both languages): typed, they are no text."""
    return [str(t(lang, f"broadcast.{key}")) for lang in LANGUAGES for key in PREVIEW_BUTTONS]


async def ask_new_text(ctx: Context, data: dict[str, object]) -> None:
    """*Edit text*: the new German text; for a text only in English, its German version."""
    await ctx.ask(FLOW, "retext", data)
    german, _english = _versions(data)
    keep_key = "broadcast.keep_text" if german else "broadcast.no_german"
    keep = _buttons(((ctx.t(keep_key), _choice(data, "retext", "keep")),))
    asked = "broadcast.ask_new_text" if german else "broadcast.ask_german"
    await ctx.reply(Reply(ctx.t(asked), buttons=keep))


async def ask_english(ctx: Context, data: dict[str, object]) -> None:
    """The English version, optional; for a text only in English, that text (never dropped:
    it is all there is)."""
    await ctx.ask(FLOW, "english", data)
    german, _english = _versions(data)
    if not german:
        keep = _buttons(((ctx.t("broadcast.keep_text"), _choice(data, "english", "keep")),))
        await ctx.reply(Reply(ctx.t("broadcast.ask_new_text"), buttons=keep))
        return
    none = _buttons(((ctx.t("broadcast.no_english"), _choice(data, "english", "none")),))
    await ctx.reply(Reply(ctx.t("broadcast.ask_english"), buttons=none))


async def new_text(ctx: Context, data: dict[str, object], typed: str) -> None:
    """Text typed at the preview (or after *Edit text*): it replaces the broadcast's text (the
    English one when the text is only in English)."""
    german, _english = _versions(data)
    field = "text" if german else "text_en"
    await show_preview(ctx, {**data, field: clean_text(typed)}, "broadcast.text_replaced")


async def new_version(ctx: Context, step: str, data: dict[str, object], typed: str) -> None:
    """The text asked for by *Edit text* (`retext`: the German one) or the English version
    (`english`), typed; the note says which changed."""
    german, _english = _versions(data)
    if step == "retext":
        note = "broadcast.text_replaced" if german else "broadcast.german_taken"
        await show_preview(ctx, {**data, "text": clean_text(typed)}, note)
        return
    note = "broadcast.english_taken" if german else "broadcast.text_replaced"
    await show_preview(ctx, {**data, "text_en": clean_text(typed)}, note)


async def mark_language(ctx: Context, data: dict[str, object], lang: str) -> None:
    """The single text marked as English (`en`) or, marked by mistake, German again: English
    readers get an English text as theirs, German readers are told it is English."""
    german, english = _versions(data)
    single = german or english
    if lang == "en":
        marked = {**data, "text": "", "text_en": single}
    else:
        marked = {**data, "text": single, "text_en": ""}
    await show_preview(ctx, marked, f"broadcast.marked_{lang}")


async def text_or_question(ctx: Context, data: dict[str, object], typed: str) -> None:
    """Typed at the preview, a text that reads as a question: the new text, or a question to
    the bot? Asked, not guessed (it had replaced the text). The preview stays as it was, its
    buttons still working; the typed text waits beside it in the draft, numbered, so that
    the buttons asking about an earlier one never take this one."""
    number = _typed(data)[0] + 1
    kept = {TYPED: {"number": number, "text": typed}}
    async with ctx.db.session() as session:
        await conversations.update_data(session, member_id=ctx.member.id, **kept)
    two = _buttons(
        (
            (ctx.t("broadcast.typed_text"), _choice(data, "preview", f"typed_text.{number}")),
            (
                ctx.t("broadcast.typed_question"),
                _choice(data, "preview", f"typed_question.{number}"),
            ),
        )
    )
    asked = ctx.t("broadcast.text_or_question", typed=shorten(" ".join(typed.split()), 80))
    await ctx.reply(Reply(asked, buttons=two))


def _typed(data: dict[str, object]) -> tuple[int, str]:
    """The number of the last text typed at the preview that read as a question, and the
    text while it waits for the admin's choice (else "")."""
    kept = data.get(TYPED)
    if not isinstance(kept, dict):
        return 0, ""
    return int(kept.get("number") or 0), str(kept.get("text") or "")


async def typed_chosen(ctx: Context, data: dict[str, object], value: str) -> None:
    """The text typed at the preview is the new text, or a question answered beside the
    draft (which keeps waiting, as beside any step)."""
    choice, _, number = value.partition(".")
    waiting, typed = _typed(data)
    if not typed or number != str(waiting):  # chosen already, or asked about an earlier one
        raise UserError("errors.stale_button")
    if choice == "typed_text":
        await new_text(ctx, data, typed)
        return
    answered = {TYPED: {"number": waiting, "text": ""}}
    async with ctx.db.session() as session:
        await conversations.update_data(session, member_id=ctx.member.id, **answered)
    # as beside any step: no office ticket unasked, and the preview again after the answer
    ctx.answer_beside(FLOW, "preview", data)
    asking = ctx.speaking(reply_language(typed, ctx.lang))
    if not await ctx.services.router.answer_text(asking, typed):
        await asking.say("errors.not_understood")


async def send(ctx: Context) -> None:
    """Confirmed: queue it. Only the first press counts, however often and fast it is pressed."""
    data = await ctx.take_step(FLOW, "preview")
    if data is None:
        raise UserError("errors.stale_button")
    send_at_raw = data.get("send_at")
    now = ctx.services.clock()
    send_at = now if send_at_raw is None else as_utc(datetime.fromisoformat(str(send_at_raw)))
    attachment = await _draft_file(ctx, data.get("file"))
    event = None if data.get("no_event") else await named_event(ctx.services, *_versions(data))
    number, recipients = await queue_broadcast(
        ctx.db,
        ctx.services.settings,
        created_by=ctx.member.id,
        text=str(data.get("text") or ""),
        audience=parse_audience(str(data["audience"])),
        announce=bool(data.get("announce")),
        send_at=send_at,
        attachment=attachment,
        text_en=str(data.get("text_en") or ""),
        commands=ctx.services.router,
        event=event,
        now=now,
    )
    queued = audit.broadcast_queued(
        number,
        parse_audience(str(data["audience"])).code,
        recipients,
        file_name=attachment.filename if attachment else None,
        send_at=None if send_at_raw is None else send_at,
    )
    await ctx.audit("broadcast", detail=queued)
    ctx.services.outbox_wakeup()
    key = "broadcast.queued" if send_at_raw is None else "broadcast.scheduled"
    await ctx.say(key, number=number, count=recipients, time=local_time(ctx, send_at))


async def _draft_file(ctx: Context, draft: object) -> stored_files.FileInfo | None:
    if not isinstance(draft, dict):
        return None
    async with ctx.db.session() as session:
        found = await stored_files.infos(session, file_ids=[int(draft["id"])])
    if not found:
        raise UserError("broadcast.file_gone")
    return next(iter(found.values()))


async def withdraw(ctx: Context, number: int) -> None:
    """Cancel a scheduled broadcast: its waiting copies are withdrawn, nothing goes out."""
    await cancel_scheduled(ctx.db, number, now=ctx.services.clock())
    cancelled = audit.detail("audit.broadcast_number", number=number)
    await ctx.audit("broadcast_cancel", detail=cancelled)
    await ctx.say("broadcast.cancelled_scheduled", number=number)


def register(router: Router) -> None:
    @router.command(
        "broadcast",
        help_key="help.broadcast",
        group="broadcasts",
        order=1,
        params=(Param("text", "text", required=False),),
        admin=True,
        private_only=True,
        german="rundschreiben",
    )
    async def start(ctx: Context, args: Args) -> None:
        draft: dict[str, object] = {"cid": secrets.token_hex(3)}
        inline = _inline_text(ctx) if args.has("text") else ""
        if ctx.incoming.attachment is not None:  # sent as the caption of an image or file
            await ctx.ask(FLOW, "text", draft)
            await got_file(ctx, "text", draft, ctx.incoming.attachment, inline)
            return
        if inline:  # "/broadcast Our newsletter…": the text is given, on to the next step
            await ctx.ask(FLOW, "text", draft)
            await got_text(ctx, draft, inline)
            return
        await ask_text(ctx, draft)

    @router.command(
        "broadcasts",
        help_key="help.broadcasts",
        group="broadcasts",
        order=2,
        admin=True,
        german="zustellung",
    )
    async def show_history(ctx: Context, _args: Args) -> None:
        await ctx.reply(await reports.history(ctx))

    @router.command(
        "broadcast_report",
        help_key="help.broadcast_report",
        group="broadcasts",
        order=3,
        params=(Param("number", "int"),),
        admin=True,
        german="zustellbericht",
    )
    async def show_report(ctx: Context, args: Args) -> None:
        await ctx.reply(await reports.report(ctx, args.int("number")))

    # A draft stays: a flow asked beside it (/newevent) keeps it waiting underneath, and it
    # comes back, its last question shown again, when that one ends (bot/flows.py).
    @router.step(
        FLOW,
        files=True,
        texts="flows.broadcast",
        resume="broadcast",
        own_limit=("text", "retext", "english", "preview"),
        stays=True,
        previews=("preview",),
    )
    async def on_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        await ctx.require_admin("broadcast")  # an admin demoted mid-way gets no further
        step = str(state.pop("step"))
        if ctx.incoming.attachment is not None:
            await got_file(ctx, step, state, ctx.incoming.attachment, text)
        elif step == "text":
            await got_text(ctx, state, text)
        elif step == "file" and says_no_file(text):  # "nein danke", "ohne": as its button
            await ask_audience(ctx, state)
        elif step == "file":
            raise NotAnAnswer("broadcast.file_or_skip")
        elif step in ("audience", "lang", "kind", "topic"):
            typed = f"topic:{text}" if step == "topic" else text
            try:
                audience = parse_audience(typed)
            except UserError as error:
                # The error, then the choices again: a typed number or word has its buttons back.
                await ctx.say(error.key, **error.values)
                await ask_audience(ctx, state)
                return
            await audience_chosen(ctx, state, audience)
        elif step == "when" and means_now(text):  # the time chosen by mistake: back to now
            await show_preview(ctx, {key: v for key, v in state.items() if key != "send_at"})
        elif step == "when":
            zone = ctx.services.settings.network.tz
            moment = parse_send_time(text, now=ctx.services.clock(), zone=zone)
            await show_preview(ctx, {**state, "send_at": moment.isoformat()})
        elif step in ("retext", "english"):
            await new_version(ctx, step, state, text)
        elif step == "preview":
            # The corrected text, typed: it replaces the text (a button's name or a single
            # word is no broadcast: "Senden", "ok"); one that reads as a question is asked
            # about first.
            if names_label(text, _preview_labels()) or len(text.split()) < 2:
                raise NotAnAnswer("broadcast.preview_typed")
            if is_question(text):
                await text_or_question(ctx, state, text)
                return
            await new_text(ctx, state, text)
        else:
            raise NotAnAnswer("broadcast.use_buttons")

    router.ask_again(FLOW)(ask_again)
    router.take_beside(FLOW)(take_text_beside)

    @router.on_cancel(FLOW)
    async def discard(ctx: Context, data: dict[str, object] | None) -> str | None:
        """/cancel in the broadcast: its draft goes, with the file it was to carry."""
        if data is None:  # nothing kept beside the flow
            return None
        await files.forget_draft(ctx.db, data.get("file"))
        return ctx.t("flows.broadcast.cancelled")

    @router.button("bc", admin=True)
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) not in (2, 3):
            raise UserError("errors.stale_button")
        step, value = parts[:2]
        if step == "report":
            if not value.isdecimal():
                raise UserError("errors.stale_button")
            updated = await reports.report(ctx, int(value))
            await ctx.reply(
                Reply(updated.text, buttons=updated.buttons, edit_ref=ctx.incoming.message_ref)
            )
            return
        if step in EVENT_KINDS:  # /attendees' "message them": a draft for that audience
            if not value.isdecimal():
                raise UserError("errors.stale_button")
            await begin_for_event(ctx, parse_audience(f"{step}:{value}"))
            return
        if step in ("withdraw", "withdraw_yes", "withdraw_no"):
            if not value.isdecimal():
                raise UserError("errors.stale_button")
            number = int(value)
            if step == "withdraw":  # one tap beside the list only asks
                sure = (
                    Button(ctx.t("broadcast.withdraw_yes"), f"bc:withdraw_yes:{number}"),
                    Button(ctx.t("broadcast.withdraw_no"), f"bc:withdraw_no:{number}"),
                )
                await ctx.reply(Reply(ctx.t("broadcast.withdraw_ask", number=number), (sure,)))
            elif step == "withdraw_yes":
                await withdraw(ctx, number)
            else:
                await ctx.say("broadcast.withdraw_kept", number=number)
            return
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        if pending is not None and pending.flow != FLOW and FLOW in paused_flows(pending.data):
            # it comes back when the other one ends
            raise UserError("flows.broadcast.kept", until=ctx.kept_until(pending.flow))
        # A button from an earlier step (or an earlier broadcast) must not act again.
        draft = parts[2] if len(parts) == 3 else None
        if (
            pending is None
            or pending.flow != FLOW
            or pending.step != step
            or pending.data.get("cid") != draft
        ):
            raise UserError("errors.stale_button")
        data = dict(pending.data)
        await _pressed(ctx, step, value, data)


async def ask_text(ctx: Context, data: dict[str, object]) -> None:
    await ctx.ask(FLOW, "text", data)
    await ctx.say("broadcast.ask_text", limit=size_text(files.MAX_FILE_BYTES, ctx.lang))


async def ask_segment(ctx: Context, data: dict[str, object], segment: str) -> None:
    """Which language, kind of member or topic the broadcast goes to (`segment`)."""
    await ctx.ask(FLOW, segment, data)
    if segment == "lang":
        langs = _buttons(
            (("Deutsch", _choice(data, "lang", "de")), ("English", _choice(data, "lang", "en")))
        )
        await ctx.reply(Reply(ctx.t("broadcast.ask_lang"), buttons=langs))
    elif segment == "kind":
        kinds = tuple(
            (Button(ctx.t(f"broadcast.kind_{kind}"), _choice(data, "kind", kind)),)
            for kind in sorted(KINDS)
        )
        await ctx.reply(Reply(ctx.t("broadcast.ask_kind"), buttons=kinds))
    else:
        await ctx.say("broadcast.ask_topic")


async def ask_time(ctx: Context, data: dict[str, object]) -> None:
    await ctx.ask(FLOW, "when", data)
    await ctx.say("broadcast.ask_time", zone=ctx.services.settings.network.timezone)


async def ask_again(ctx: Context, step: str, data: dict[str, object]) -> bool:
    """The draft's step asked anew in the admin's language now (/rundschreiben after
    /language); whether it is one of its steps."""
    if step == "text":
        await ask_text(ctx, data)
    elif step == "file":
        await ask_file(ctx, data)
    elif step == "audience":
        await ask_audience(ctx, data)
    elif step in ("lang", "kind", "topic"):
        await ask_segment(ctx, data, step)
    elif step == "announce":
        await audience_chosen(ctx, data, parse_audience(str(data.get("audience"))))
    elif step in ("preview", "nobody"):
        await show_preview(ctx, data)
    elif step == "when":
        await ask_time(ctx, data)
    elif step == "retext":
        await ask_new_text(ctx, data)
    elif step == "english":
        await ask_english(ctx, data)
    else:
        return False
    return True


def take_text_beside(
    ctx: Context, step: str, data: dict[str, object]
) -> tuple[str, dict[str, object]]:
    """/broadcast with a text while the draft waits under another flow (a new event): the
    text replaces the draft's (its English one when it is only in English), and the draft
    goes on from there when it comes back: asked for its text, with the file next; asked for
    a new or an English version, with the preview; else where it was, with the new text."""
    text = clean_text(_inline_text(ctx))
    german, english = _versions(data)
    field = "text_en" if english and not german else "text"
    taken = {**data, field: text}
    if step == "text":
        return ("audience" if "file" in data else "file"), taken
    if step in ("retext", "english"):
        return "preview", taken
    return step, taken


def _inline_text(ctx: Context) -> str:
    """The text written after /broadcast, whole: the command's argument is cut at
    `MAX_ARGUMENT_CHARS`, a broadcast may be longer (its own limit says when it is too long)."""
    command = split_command(ctx.incoming.text)
    return command[1] if command is not None else ""


async def _pressed(ctx: Context, step: str, value: str, data: dict[str, object]) -> None:
    if step == "audience":
        if value in ("all", "yp"):
            await audience_chosen(ctx, data, Audience(value))
        elif value in ("lang", "kind", "topic"):
            await ask_segment(ctx, data, value)
        else:
            raise UserError("errors.stale_button")
    elif step in ("lang", "kind"):
        await audience_chosen(ctx, data, parse_audience(f"{step}:{value}"))
    elif step == "file" and value == "skip":
        await ask_audience(ctx, data)
    elif step == "announce":
        await show_preview(ctx, {**data, "announce": value == "1"})
    elif step == "preview" and value == "send" and _outdated(data) is not None:
        await show_preview(ctx, data)  # an earlier preview's Send: the question comes first
    elif step == "preview" and value == "send":
        await send(ctx)
    elif step == "preview" and value in ("keep_version", "only_source"):
        await settle_translation(ctx, data, value)
    elif step == "preview" and value == "edit":
        await ask_new_text(ctx, data)
    elif step == "preview" and value == "english":
        await ask_english(ctx, data)
    elif step == "preview" and value in ("is_en", "is_de"):
        await mark_language(ctx, data, value[3:])
    elif step == "preview" and value.partition(".")[0] in ("typed_text", "typed_question"):
        await typed_chosen(ctx, data, value)
    elif (step, value) in (("retext", "keep"), ("english", "keep")):
        await show_preview(ctx, data)
    elif step == "english" and value == "none":
        if not _versions(data)[0]:  # a text only in English keeps it: it is all there is
            raise UserError("errors.stale_button")
        dropped = {key: value for key, value in data.items() if key != "text_en"}
        note = "broadcast.english_dropped" if data.get("text_en") else ""
        await show_preview(ctx, dropped, note)
    elif step == "preview" and value == "when":
        await ask_time(ctx, data)
    elif step == "preview" and value in ("event_on", "event_off"):
        await show_preview(ctx, {**data, "no_event": value == "event_off"})
    elif step == "nobody" and value == "audience":
        kept = {
            key: value for key, value in data.items() if key not in ("audience", "announce", PRESET)
        }
        await ask_audience(ctx, kept)
    elif step in ("preview", "nobody") and value == "cancel":
        await ctx.end_flow(FLOW)
        await files.forget_draft(ctx.db, data.get("file"))
        await ctx.say("flows.broadcast.cancelled")  # the draft is gone, not "nothing changed"
    else:
        raise UserError("errors.stale_button")
