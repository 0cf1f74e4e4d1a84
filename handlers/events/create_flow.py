"""The guided conversation that creates an event, one question at a time (admins only).

The draft lives in the conversation row, so it survives a restart; /cancel ends it.
"""

from __future__ import annotations

from datetime import datetime

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Router
from handlers.events import render, service
from handlers.events.form import KINDS, Draft, apply_field, check_times
from storage import conversations
from storage.events import Event

FLOW = "event_new"
STEPS = (
    "kind",
    "title",
    "start",
    "end",
    "place",
    "capacity",
    "deadline",
    "audience",
    "description",
    "offer",
    "announce",
    "confirm",
)
OPTIONAL = {"end", "place", "capacity", "deadline", "description", "offer"}


def _buttons(ctx: Context, step: str) -> tuple[tuple[Button, ...], ...]:
    if step == "kind":
        return tuple((Button(ctx.t(f"events.kind_{kind}"), f"evf:kind:{kind}"),) for kind in KINDS)
    if step == "audience":
        return (
            (Button(ctx.t("events.audience_all"), "evf:audience:all"),),
            (Button(ctx.t("events.audience_yp"), "evf:audience:yp"),),
        )
    if step == "announce":
        return (
            (Button(ctx.t("events.announce_now"), "evf:announce:now"),),
            (Button(ctx.t("events.announce_no"), "evf:announce:no"),),
        )
    if step == "confirm":
        return (
            (
                Button(ctx.t("events.btn_save"), "evf:confirm:save"),
                Button(ctx.t("events.btn_discard"), "evf:confirm:discard"),
            ),
        )
    if step in OPTIONAL:
        return ((Button(ctx.t("events.btn_skip"), f"evf:{step}:-"),),)
    return ()


def _next_step(step: str, draft: Draft) -> str:
    following = STEPS[STEPS.index(step) + 1]
    if following == "offer" and draft.capacity is None:
        return "announce"
    return following


async def _ask(ctx: Context, step: str, draft: Draft) -> None:
    await ctx.ask(FLOW, step, draft.to_data())
    if step == "confirm":
        preview = Event(id=0, status="open", **draft.event_fields())
        tz = ctx.services.settings.network.tz
        text = Markup(
            ctx.t("events.ask_confirm")
            + "\n\n"
            + render.summary(ctx.lang, preview, tz=tz, taken=0, waiting=0)
        )
    else:
        text = ctx.t(f"events.ask_{step}")
    await ctx.reply(Reply(text=text, buttons=_buttons(ctx, step)))


async def start(ctx: Context) -> None:
    await _ask(ctx, "kind", Draft())


def _take(ctx: Context, draft: Draft, step: str, value: str) -> None:
    """Put one answer into the draft; `UserError` when it does not fit."""
    apply_field(draft, step, value, tz=ctx.services.settings.network.tz)
    now = ctx.services.clock()
    if step == "title" and not draft.title:
        raise UserError("events.missing_field", field="titel/title")
    if step in ("start", "end", "deadline") and draft.start is not None:
        check_times(draft.start, draft.end, draft.deadline, now=now)
    if step == "announce" and draft.announce not in ("now", "no"):
        at = datetime.fromisoformat(draft.announce)
        if draft.start is None or not now < at < draft.start:
            raise UserError("events.bad_announce_time")


async def answer(ctx: Context, step: str, value: str, data: dict[str, object]) -> None:
    """Take one answer; a bad one gets its error and the same question again."""
    draft = Draft.from_data(data)
    if step == "confirm":
        if value.strip().casefold() in ("save", "speichern", "ja", "yes"):
            created = await service.create_event(ctx.services, draft, created_by=ctx.member.id)
            await ctx.end_flow()
            await ctx.say(
                "events.created",
                number=created.event.id,
                title=created.event.title,
                reached=created.announced_to,
            )
        else:
            await ctx.end_flow()
            await ctx.say("common.cancelled")
        return
    try:
        _take(ctx, draft, step, value)
    except UserError as error:
        again = Markup(ctx.t(error.key, **error.values) + "\n\n" + ctx.t(f"events.ask_{step}"))
        await ctx.reply(Reply(text=again, buttons=_buttons(ctx, step)))
        return
    await _ask(ctx, _next_step(step, draft), draft)


def register(router: Router) -> None:
    @router.step(FLOW)
    async def on_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        if not ctx.is_admin:
            await ctx.end_flow()
            raise UserError("errors.not_allowed")
        data = {k: v for k, v in state.items() if k != "step"}
        await answer(ctx, str(state["step"]), text, data)

    @router.button("evf", admin=True)
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 2:
            raise UserError("errors.stale_button")
        step, value = parts
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        # A button from an earlier question must not act twice.
        if pending is None or pending.flow != FLOW or pending.step != step:
            raise UserError("errors.stale_button")
        await answer(ctx, step, value, dict(pending.data))
