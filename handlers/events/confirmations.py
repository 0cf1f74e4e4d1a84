"""Ask before writing to many people: `/editevent N ...`, `/cancelevent N` and `/eventpoll N
...` (admins only).

Each shows what will happen and how many will be told, and acts only on *Speichern* /
*Absagen*. The pending confirmation is the admin's guided-conversation row (so only the admin
who asked can confirm it); its buttons carry the event number and a short confirmation id, so
a press on an older preview is stale, and taking the row once makes a second press do nothing.
"""

from __future__ import annotations

from functools import partial

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Router
from handlers import audit
from handlers.events import changes, polls, render, service
from handlers.events.create_flow import DISCARD_WORDS, answer_typed, confirmation_id
from handlers.events.form import optional_text
from storage import conversations, event_store
from storage.events import POLL_EVERYONE, POLL_SIGNED_UP

EDIT_FLOW = "event_edit"
# An edit whose event was named by words that fit several: the change waits for the button of
# the one meant (handlers/events/editing.py).
PICK_STEP = "pick"
CANCEL_FLOW = "event_cancel"
POLL_FLOW = "event_poll"
MAX_REASON = 500
USE_BUTTONS = "events.confirm_use_buttons"
# Button action -> (flow, step it answers; None: any step of the flow).
_ACTIONS: dict[str, tuple[str, str | None]] = {
    "save": (EDIT_FLOW, "confirm"),
    "discard": (EDIT_FLOW, "confirm"),
    "noreason": (CANCEL_FLOW, "reason"),
    "cancel": (CANCEL_FLOW, "confirm"),
    "keep": (CANCEL_FLOW, None),
    "pollsend": (POLL_FLOW, "confirm"),
    "pollsignedup": (POLL_FLOW, "confirm"),
    "polldrop": (POLL_FLOW, "confirm"),
    "pollenglish": (POLL_FLOW, "confirm"),
    "polladden": (POLL_FLOW, "confirm"),
}


def _buttons(
    ctx: Context, event_id: int, cid: str, *choices: tuple[str, str]
) -> tuple[tuple[Button, ...], ...]:
    return (tuple(Button(ctx.t(key), f"evc:{action}:{event_id}:{cid}") for key, action in choices),)


async def ask_edit(ctx: Context, event_id: int, form: str) -> None:
    """Preview a change (checked as it will be made) and wait for *Save*."""
    plan = await service.plan_edit(ctx.services, event_id, form)
    cid = confirmation_id()
    tz = ctx.services.settings.network.tz
    text = render.preview(
        ctx.lang,
        ctx.t("events.ask_confirm_edit", number=event_id),
        plan.changed,
        tz=tz,
        taken=plan.taken,
        waiting=plan.waiting,
        reach=plan.reach,
        changes=changes.of_edit(ctx.lang, plan.event, plan.changed, tz=tz),
    )
    if fields := render.english_fields(plan.changed, before=plan.event):
        # The edit would give German members English: said before *Save*, with the command
        # that puts it where it belongs (no button: the edit is the office's own line).
        warning = render.english_warning(ctx.lang, plan.changed, before=plan.event)
        fix = ctx.t(f"events.edit_english_fix_{fields}", number=event_id)
        text = Markup(f"{text}\n\n{warning} {fix}")
    buttons = _buttons(
        ctx, event_id, cid, ("events.btn_save", "save"), ("events.btn_discard", "discard")
    )
    await ctx.ask(EDIT_FLOW, "confirm", {"event": event_id, "form": form, "cid": cid})
    await ctx.reply(Reply(text=text, buttons=buttons))


async def ask_poll(ctx: Context, event_id: int, text: str, text_en: str = "") -> None:
    """The poll as it will go out and to how many (with its English version, `text_en`, when
    there is one); *Senden* sends it."""
    preview = await polls.preview(ctx, event_id, text, text_en)
    cid = confirmation_id()
    choices = [
        ("events.btn_send_poll", "pollsend"),
        ("events.btn_send_poll_signed_up", "pollsignedup"),
        ("events.btn_discard", "polldrop"),
    ]
    if polls.question_reads_english(text):
        # German members would be asked in English: said before sending, with the way out the
        # event's preview has (while there is no English version yet).
        fix = "" if text_en else " " + ctx.t("events.poll_english_fix")
        preview = Markup(f"{preview}\n\n{ctx.t('events.poll_reads_english')}{fix}")
        if not text_en:
            choices.append(("events.btn_use_as_english", "pollenglish"))
    elif not text_en:
        # Members who chose English would get the German poll: asked for as the event form
        # asks for an English title (the English version goes to them, the German to others).
        preview = Markup(f"{preview}\n\n{ctx.t('events.poll_no_english')}")
        choices.append(("events.btn_add_english_poll", "polladden"))
    buttons = _buttons(ctx, event_id, cid, *choices)
    data = {"event": event_id, "text": text, "text_en": text_en, "cid": cid}
    await ctx.ask(POLL_FLOW, "confirm", data)
    await ctx.reply(Reply(text=preview, buttons=buttons))


async def poll_as_english(ctx: Context, event_id: int, cid: str, text_en: str) -> None:
    """*Use as English* under a poll whose German question reads English: the poll becomes its
    English version, and the German one is asked for (then the preview again). Asked in the
    preview's place, so a second press of its button is stale."""
    _question, options = polls.parse_poll(text_en)
    await ctx.ask(POLL_FLOW, "german", {"event": event_id, "text_en": text_en, "cid": cid})
    await ctx.say("events.poll_ask_german", count=len(options))


async def ask_english_poll(ctx: Context, event_id: int, cid: str, text: str) -> None:
    """*Add English version* under a German poll: its English version is asked for, with as
    many options (then the preview of both)."""
    _question, options = polls.parse_poll(text)
    await ctx.ask(POLL_FLOW, "english", {"event": event_id, "text": text, "cid": cid})
    await ctx.say("events.poll_ask_english", count=len(options))


async def take_english_poll(ctx: Context, event_id: int, text: str, text_en: str) -> None:
    """The English version typed after *Add English version*: checked beside the German one
    (as many options), then the preview of both."""
    if not ctx.is_admin:
        await ctx.end_flow(POLL_FLOW)
        raise UserError("errors.not_allowed")
    if text_en.strip().casefold() in DISCARD_WORDS:
        await ctx.end_flow(POLL_FLOW)
        await ctx.say("common.cancelled")
        return
    _question, options = polls.parse_poll(text)
    try:
        polls.parse_english(text_en, options)
    except UserError as error:
        if error.key != "events.poll_german_options":
            raise
        raise UserError("events.poll_english_options", count=len(options)) from None
    await ask_poll(ctx, event_id, text, text_en)


async def take_german_poll(ctx: Context, event_id: int, text: str, text_en: str) -> None:
    """The German version typed after *Use as English*: checked beside the English one (as
    many options), then the preview of both."""
    if not ctx.is_admin:
        await ctx.end_flow(POLL_FLOW)
        raise UserError("errors.not_allowed")
    if text.strip().casefold() in DISCARD_WORDS:  # as at the preview it came from
        await ctx.end_flow(POLL_FLOW)
        await ctx.say("common.cancelled")
        return
    _question, options = polls.parse_poll(text)
    polls.parse_english(text_en, options)
    await ask_poll(ctx, event_id, text, text_en)


async def send_poll(ctx: Context, event_id: int, audience: str = POLL_EVERYONE) -> None:
    """Send the poll previewed; "Senden" typed sends it to everyone, as the first button."""
    data = await _take(ctx, POLL_FLOW)
    text_en = str(data.get("text_en") or "")
    await polls.create(ctx, event_id, str(data["text"]), audience, text_en)


async def ask_reason(ctx: Context, event_id: int) -> None:
    """First step of a cancellation: how many will be told, and an optional reason."""
    plan = await service.plan_cancel(ctx.services, event_id)
    cid = confirmation_id()
    text = ctx.t(
        "events.ask_cancel_reason",
        number=event_id,
        title=render.title_of(plan.event),
        told=plan.reach.attendees,
    )
    buttons = _buttons(
        ctx, event_id, cid, ("events.btn_no_reason", "noreason"), ("events.btn_keep", "keep")
    )
    await ctx.ask(CANCEL_FLOW, "reason", {"event": event_id, "cid": cid})
    await ctx.reply(Reply(text=text, buttons=buttons))


async def ask_cancel(ctx: Context, event_id: int, cid: str, reason: str) -> None:
    """The cancellation as attendees will read of it; *Absagen* does it."""
    plan = await service.plan_cancel(ctx.services, event_id)
    text = render.preview(
        ctx.lang,
        ctx.t("events.ask_confirm_cancel"),
        plan.event,
        tz=ctx.services.settings.network.tz,
        taken=plan.taken,
        waiting=plan.waiting,
        reach=plan.reach,
        reason=reason,
    )
    buttons = _buttons(
        ctx, event_id, cid, ("events.btn_cancel_event", "cancel"), ("events.btn_keep", "keep")
    )
    await ctx.ask(CANCEL_FLOW, "confirm", {"event": event_id, "cid": cid, "reason": reason})
    await ctx.reply(Reply(text=text, buttons=buttons))


async def _take(ctx: Context, flow: str) -> dict[str, object]:
    """End the pending confirmation once; a second (or concurrent) press finds nothing."""
    taken = await ctx.take_step(flow, "confirm")
    if taken is None:
        raise UserError("errors.stale_button")
    return taken


async def save_edit(ctx: Context, event_id: int) -> None:
    data = await _take(ctx, EDIT_FLOW)
    event, told = await service.edit_event(ctx.services, event_id, str(data["form"]))
    edited = audit.detail("audit.event_edited", event=event_id, told=audit.told(told))
    await ctx.audit("editevent", detail=edited)
    await ctx.say(
        "events.edited", number=event.id, title=render.title_of(event), told=told_line(ctx, told)
    )


async def cancel(ctx: Context, event_id: int) -> None:
    data = await _take(ctx, CANCEL_FLOW)
    reason = str(data.get("reason") or "")
    event, told = await service.cancel_event(ctx.services, event_id, reason=reason)
    await ctx.audit("cancelevent", detail=audit.event_cancelled(event_id, told, reason))
    await ctx.say(
        "events.cancelled", number=event.id, title=render.title_of(event), told=told_line(ctx, told)
    )


def told_line(ctx: Context, told: int) -> str:
    """Who is told, as a sentence ("One person signed up will be told.")."""
    return ctx.t("events.told", count=told) if told else ctx.t("events.told_none")


async def keep(ctx: Context, event_id: int) -> None:
    await ctx.end_flow(CANCEL_FLOW)
    async with ctx.db.session() as session:
        event = await event_store.get_event(session, event_id)
    title = render.title_in(ctx.lang, event) if event is not None else ""
    await ctx.say("events.kept", number=event_id, title=title)


async def ask_again(ctx: Context, step: str, data: dict[str, object], *, flow: str) -> bool:
    """A change's, poll's or cancellation's preview (or the reason asked) made anew in the
    admin's language now (/language meanwhile), with new buttons; whether it could be."""
    event_id = data.get("event")
    if not isinstance(event_id, int):
        return False
    try:
        if flow == EDIT_FLOW:
            await ask_edit(ctx, event_id, str(data.get("form", "")))
        elif flow == POLL_FLOW:
            await ask_poll(ctx, event_id, str(data.get("text", "")), str(data.get("text_en") or ""))
        elif step == "reason":
            await ask_reason(ctx, event_id)
        else:
            await ask_cancel(ctx, event_id, str(data.get("cid", "")), str(data.get("reason", "")))
    except UserError:
        return False  # the event changed meanwhile: its question as it was asked
    return True


def register(router: Router) -> None:
    for flow in (EDIT_FLOW, POLL_FLOW, CANCEL_FLOW):
        router.ask_again(flow)(partial(ask_again, flow=flow))

    @router.step(EDIT_FLOW)
    async def on_edit_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        if state["step"] == PICK_STEP:  # no event chosen yet: nothing to save
            raise NotAnAnswer("events.edit_pick_use_buttons")
        event_id = int(str(state["event"]))
        await answer_typed(
            ctx, EDIT_FLOW, text, lambda: save_edit(ctx, event_id), "events.confirm_use_buttons"
        )

    @router.step(POLL_FLOW)
    async def on_poll_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        event_id = int(str(state["event"]))
        if state["step"] == "german":
            await take_german_poll(ctx, event_id, text, str(state["text_en"]))
            return
        if state["step"] == "english":
            await take_english_poll(ctx, event_id, str(state["text"]), text)
            return
        await answer_typed(
            ctx, POLL_FLOW, text, lambda: send_poll(ctx, event_id), "events.poll_use_buttons"
        )

    @router.step(CANCEL_FLOW)
    async def on_cancel_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        if not ctx.is_admin:
            await ctx.end_flow(CANCEL_FLOW)
            raise UserError("errors.not_allowed")
        if state["step"] != "reason":
            raise NotAnAnswer("events.cancel_use_buttons")
        reason = optional_text(text, MAX_REASON, "reason")
        await ask_cancel(ctx, int(str(state["event"])), str(state["cid"]), reason)

    @router.button("evc", admin=True)
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 3 or parts[0] not in _ACTIONS or not parts[1].isdecimal():
            raise UserError("errors.stale_button")
        action, event_id, cid = parts[0], int(parts[1]), parts[2]
        flow, step = _ACTIONS[action]
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        # Only the admin who asked has this row; an older preview has another id.
        if (
            pending is None
            or pending.flow != flow
            or (step is not None and pending.step != step)
            or pending.data.get("event") != event_id
            or pending.data.get("cid") != cid
        ):
            raise UserError("errors.stale_button")
        if action == "save":
            await save_edit(ctx, event_id)
        elif action == "pollsend":
            await send_poll(ctx, event_id)
        elif action == "pollsignedup":
            await send_poll(ctx, event_id, POLL_SIGNED_UP)
        elif action == "pollenglish":
            await poll_as_english(ctx, event_id, cid, str(pending.data["text"]))
        elif action == "polladden":
            await ask_english_poll(ctx, event_id, cid, str(pending.data["text"]))
        elif action == "cancel":
            await cancel(ctx, event_id)
        elif action == "noreason":
            await ask_cancel(ctx, event_id, cid, "")
        elif action == "keep":
            await keep(ctx, event_id)
        else:
            await ctx.end_flow(flow)
            await ctx.say("common.cancelled")
