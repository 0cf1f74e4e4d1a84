"""Recurring meetings in chat: /series, /skip N, /editseries N …, /endseries S (admins) and
/joinseries S or the button *Alle Termine* (members).

Creating a series is the event form with `wiederholung=…` (handlers/events/create_flow.py).
What writes to many people (skip, change following, end) shows how many will be told and acts
only on a press, as /cancelevent does: the pending confirmation is the admin's conversation
row, its buttons carry the target and a short id, so an older or second press is stale.
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Args, Param, Router
from handlers import audit
from handlers.events import render, series
from handlers.events.confirmations import MAX_REASON, told_line
from handlers.events.create_flow import answer_typed, confirmation_id
from handlers.events.dates import show_when
from handlers.events.form import optional_text
from handlers.events.recurrence import describe_series
from storage import conversations
from storage.event_store import as_utc

FLOW = "series_confirm"
NUMBER = Param("number", "int", hint="events.numbers_in_list")
SERIES = Param("number", "word")  # a series number as shown (`S3`) or bare (`3`)
MAX_LISTED_DATES = 3
# Button action -> the verb's button label.
_ACTIONS = {"skip": "series.btn_skip", "edit": "events.btn_save", "end": "series.btn_end"}


def series_number(text: str) -> int:
    """`S3`, `s3` or `3` -> 3."""
    digits = text.strip().removeprefix("S").removeprefix("s")
    if not digits.isdecimal() or len(digits) > 12:
        raise UserError("series.unknown_series", series=text[:20])
    return int(digits)


def _buttons(ctx: Context, action: str, target: int, cid: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(ctx.t(_ACTIONS[action]), f"evs:{action}:{target}:{cid}"),
            Button(ctx.t("events.btn_keep"), f"evs:keep:{target}:{cid}"),
        ),
    )


async def _wait(ctx: Context, text: str, action: str, target: int, **data: object) -> None:
    cid = confirmation_id()
    await ctx.ask(FLOW, "confirm", {"action": action, "target": target, "cid": cid, **data})
    await ctx.reply(Reply(text=text, buttons=_buttons(ctx, action, target, cid)))


async def list_series(ctx: Context) -> None:
    """Every series: its rule, the next occurrences, who follows it whole; ended ones marked."""
    tz = ctx.services.settings.network.tz
    infos = await series.list_series(ctx.services)
    if not infos:
        await ctx.say("series.list_none")
        return
    lines = [ctx.t("series.list_header")]
    for info in infos:
        key = "series.list_ended" if info.series.ended_at is not None else "series.list_line"
        lines.append(
            ctx.t(
                key,
                series=info.series.id,
                title=render.title_of(info.series),
                rule=describe_series(ctx.lang, info.series),
                followers=info.subscribers,
            )
        )
        for event in info.upcoming[:MAX_LISTED_DATES]:
            when = show_when(as_utc(event.starts_at), lang=ctx.lang, tz=tz)
            lines.append(ctx.t("series.list_date", number=event.id, when=when))
    await ctx.reply(Markup("\n".join(lines)))


async def ask_skip(ctx: Context, event_id: int, reason: str = "") -> None:
    """Whether to skip the date, with the reason its attendees will read, if one was given
    ("/aussetzen 8 Referent erkrankt", as the dashboard's skip form takes one)."""
    reason = optional_text(reason, MAX_REASON, "reason")
    plan = await series.plan_skip(ctx.services, event_id)
    text = series.skip_question(ctx.lang, plan, ctx.services.settings.network.tz)
    if reason:
        text = Markup(f"{text}\n{ctx.t('series.skip_reason', reason=reason)}")
    await _wait(ctx, text, "skip", event_id, reason=reason)


async def ask_edit(ctx: Context, event_id: int, form: str) -> None:
    plan = await series.plan_change_following(ctx.services, event_id, form)
    text = series.change_question(ctx.lang, plan, ctx.services.settings.network.tz)
    await _wait(ctx, text, "edit", event_id, form=form)


async def ask_end(ctx: Context, series_id: int) -> None:
    plan = await series.plan_end(ctx.services, series_id)
    await _wait(ctx, series.end_question(ctx.lang, plan), "end", series_id)


async def ask_again(ctx: Context, _step: str, data: dict[str, object]) -> bool:
    """A skip's, change's or end's question made anew in the admin's language now (/language
    meanwhile), with new buttons; whether it could be."""
    action, target = data.get("action"), data.get("target")
    if not isinstance(target, int):
        return False
    try:
        if action == "skip":
            await ask_skip(ctx, target, str(data.get("reason", "")))
        elif action == "edit":
            await ask_edit(ctx, target, str(data.get("form", "")))
        elif action == "end":
            await ask_end(ctx, target)
        else:
            return False
    except UserError:
        return False  # the series changed meanwhile: its question as it was asked
    return True


async def _take(ctx: Context) -> dict[str, object]:
    taken = await ctx.take_step(FLOW, "confirm")
    if taken is None:
        raise UserError("errors.stale_button")
    return taken


async def act(ctx: Context) -> None:
    """Do what the pending confirmation says (once)."""
    data = await _take(ctx)
    action, target = str(data["action"]), int(str(data["target"]))
    if action == "skip":
        reason = str(data.get("reason", ""))
        event, told = await series.skip_occurrence(ctx.services, target, reason)
        await ctx.audit("series:skip", detail=audit.series_skipped(event.series_id, target, told))
        when = show_when(
            as_utc(event.starts_at), lang=ctx.lang, tz=ctx.services.settings.network.tz
        )
        await ctx.say(
            "series.skipped",
            number=target,
            title=render.title_of(event),
            when=when,
            told=told_line(ctx, told),
        )
    elif action == "edit":
        changed, told = await series.change_following(ctx.services, target, str(data["form"]))
        await ctx.audit(
            "series:edit",
            detail=audit.detail(
                "audit.series_changed", events=audit.numbers(changed), told=audit.told(told)
            ),
        )
        dates = ctx.t("series.dates", count=len(changed))
        await ctx.say("series.changed", dates=dates, told=told_line(ctx, told))
    else:
        plan = await series.end_series(ctx.services, target)
        await ctx.audit(
            "series:end", detail=audit.series_ended(target, len(plan.events), plan.told)
        )
        await ctx.say(
            "series.ended",
            series=target,
            title=render.title_of(plan.series),
            dates=ctx.t("series.upcoming_dates", count=len(plan.events)),
            told=told_line(ctx, plan.told),
        )


async def join(ctx: Context, series_id: int) -> None:
    joined = await series.join_series(ctx.services, ctx.member, series_id, office=ctx.is_admin)
    await ctx.say(
        "series.joined",
        series=series_id,
        title=render.title_of(joined.series),
        confirmed=len(joined.confirmed),
        waiting=len(joined.waiting),
    )


def register(router: Router) -> None:
    @router.command(
        "series",
        help_key="series.help_series",
        group="events",
        order=7,
        admin=True,
        german="serien",
    )
    async def series_command(ctx: Context, _args: Args) -> None:
        await list_series(ctx)

    @router.command(
        "skip",
        help_key="series.help_skip",
        group="events",
        order=8,
        params=(NUMBER, Param("reason", required=False)),
        admin=True,
        german="aussetzen",
    )
    async def skip_command(ctx: Context, args: Args) -> None:
        await ask_skip(ctx, args.int("number"), args.text("reason"))

    @router.command(
        "editseries",
        help_key="series.help_editseries",
        group="events",
        order=9,
        params=(NUMBER, Param("form")),
        admin=True,
        german="serieaendern",
    )
    async def edit_command(ctx: Context, args: Args) -> None:
        await ask_edit(ctx, args.int("number"), args.text("form"))

    @router.command(
        "endseries",
        help_key="series.help_endseries",
        group="events",
        order=10,
        params=(SERIES,),
        admin=True,
        german="serieende",
    )
    async def end_command(ctx: Context, args: Args) -> None:
        await ask_end(ctx, series_number(args.text("number")))

    @router.command(
        "joinseries",
        help_key="series.help_joinseries",
        group="events",
        order=7,
        params=(SERIES,),
        german="serieanmelden",
    )
    async def join_command(ctx: Context, args: Args) -> None:
        await join(ctx, series_number(args.text("number")))

    router.ask_again(FLOW)(ask_again)

    @router.step(FLOW)
    async def on_text(ctx: Context, text: str, _state: dict[str, object]) -> None:
        await answer_typed(ctx, FLOW, text, lambda: act(ctx), "series.confirm_use_buttons")

    @router.button("evs", admin=True)
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 3 or parts[0] not in (*_ACTIONS, "keep") or not parts[1].isdecimal():
            raise UserError("errors.stale_button")
        action, target, cid = parts[0], int(parts[1]), parts[2]
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        if (
            pending is None
            or pending.flow != FLOW
            or pending.data.get("target") != target
            or pending.data.get("cid") != cid
            or (action != "keep" and pending.data.get("action") != action)
        ):
            raise UserError("errors.stale_button")
        if action == "keep":
            await ctx.end_flow(FLOW)
            await ctx.say("series.kept")
        else:
            await act(ctx)

    @router.button("evj")
    async def on_join_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 1 or not parts[0].isdecimal() or len(parts[0]) > 12:
            raise UserError("errors.stale_button")
        await join(ctx, int(parts[0]))
