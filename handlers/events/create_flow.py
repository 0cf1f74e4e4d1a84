"""The guided conversation that creates an event, one question at a time (admins only).

The draft lives in the conversation row, so it survives a restart; /cancel ends it. The one-line
`/newevent key=value; ...` ends at the same preview (`confirm`): nothing is stored or announced
before *Speichern* / *Save*.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.flows import goes_back, is_skip_word
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Router
from handlers import audit
from handlers.events import notify, render, schedule, series, service
from handlers.events.dates import end_read_later, only_a_date, show_when, written_in_full
from handlers.events.form import KINDS, Draft, apply_field, check_times
from handlers.events.recurrence import describe_series
from storage import conversations
from storage.events import Event

FLOW = "event_new"
STEPS = (
    "kind",
    "title",
    "title_en",
    "start",
    "repeat",
    "end",
    "place",
    "place_en",
    "capacity",
    "deadline",
    "audience",
    "description",
    "description_en",
    "offer",
    "announce",
    "confirm",
)
OPTIONAL = {
    "title_en",
    "repeat",
    "end",
    "place",
    "place_en",
    "capacity",
    "deadline",
    "description",
    "description_en",
    "offer",
}
SAVE_WORDS = ("save", "speichern", "ja", "yes", "senden", "send")
DISCARD_WORDS = ("discard", "verwerfen", "nein", "no")
# The preview's "Use as English": the German texts that read English become the English ones.
AS_ENGLISH = "english"
# The steps asked again after "Use as English" (the draft's `REDO`), then the preview.
REDO = "redo"


async def answer_typed(
    ctx: Context, flow: str, text: str, save: Callable[[], Awaitable[None]], hint: str
) -> None:
    """A word typed under an admin's preview (of `flow`) instead of a button: *Speichern*
    (`save`) or *Verwerfen*; anything else is no answer (`hint`). Not for someone no longer an
    admin."""
    if not ctx.is_admin:
        await ctx.end_flow(flow)
        raise UserError("errors.not_allowed")
    word = text.strip().casefold()
    if word in SAVE_WORDS:
        await save()
    elif word in DISCARD_WORDS:
        await ctx.end_flow(flow)
        await ctx.say("common.cancelled")
    else:
        raise NotAnAnswer(hint)


def confirmation_id() -> str:
    """A short id a confirmation's buttons carry: a press of an older preview is stale."""
    return secrets.token_hex(3)


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
    if step == "repeat":
        return (
            (Button(ctx.t("series.btn_weekly"), "evf:repeat:weekly"),),
            (Button(ctx.t("series.btn_monthly"), "evf:repeat:monthly"),),
            (Button(ctx.t("series.btn_once"), "evf:repeat:-"),),
        )
    if step in OPTIONAL:
        return ((Button(ctx.t("events.btn_skip"), f"evf:{step}:-"),),)
    return ()


# Steps answered with a number (places, hours an offer is held).
NUMBER_STEPS = frozenset({"capacity", "offer"})


def _next_step(step: str, draft: Draft) -> str:
    following = STEPS[STEPS.index(step) + 1]
    untranslated = {"place_en": draft.place, "description_en": draft.description}
    if following in untranslated and not untranslated[following]:
        return _next_step(following, draft)  # no place or description, none to translate
    if following == "offer" and draft.capacity is None:
        return "announce"
    return following


def _step_before(step: str, draft: Draft) -> str:
    """The step asked before `step` for this draft (the first asks itself again)."""
    for earlier in reversed(STEPS[: STEPS.index(step)]):
        if _next_step(earlier, draft) == step:
            return earlier
    return step


async def _ask(
    ctx: Context, step: str, draft: Draft, redo: list[str] | None = None, note: str = ""
) -> None:
    """Ask `step`; `redo`: the steps left to ask again before the preview (not the form's
    next ones); `note`: a line said before the question."""
    if step == "confirm":
        await confirm(ctx, draft)
        return
    data = draft.to_data() if redo is None else {**draft.to_data(), REDO: redo}
    await ctx.ask(FLOW, step, data)
    question = _question(ctx, step)
    text = Markup(f"{note}\n\n{question}") if note else question
    await ctx.reply(Reply(text=text, buttons=_buttons(ctx, step), metadata=_typed(step)))


def _read_as(ctx: Context, step: str, value: str, draft: Draft) -> str:
    """What a moment became where the bot chose part of it ("nächsten Freitag", "3 Stunden",
    "bis halb fünf", "15.12. 18 Uhr", "17:00" on the start's day), said at once so the office
    sees the day and hour before the preview; "" for one written out in full
    ("19.11.2027 14:00")."""
    moment = {"start": draft.start, "end": draft.end, "deadline": draft.deadline}.get(step)
    if moment is None or written_in_full(value):
        return ""
    tz = ctx.services.settings.network.tz
    when = show_when(moment, lang=ctx.lang, tz=tz)
    if step == "end" and end_read_later(value, tz=tz, start=draft.start):
        # "8:00" for a 09:30 start became 20:00: said so, with the way back to the end
        return ctx.t("events.read_as_afternoon", when=when, typed=" ".join(value.split())[:20])
    return ctx.t("events.read_as", when=when)


def _typed(step: str) -> dict[str, str]:
    """A number is the answer here: a console that numbers its buttons letters them instead
    (asked first or again), so that a typed "1" is one place, not the skip button."""
    return {"typed": "number"} if step in NUMBER_STEPS else {}


def _question(ctx: Context, step: str) -> Markup:
    # The recurring meetings' step keeps its texts in their own catalogue section.
    return ctx.t("series.ask_repeat") if step == "repeat" else ctx.t(f"events.ask_{step}")


async def confirm(ctx: Context, draft: Draft) -> None:
    """The preview of a new event with how many its announcement reaches; *Save* stores it.

    Both the guided form and the one-line `/newevent` end here; the draft is checked first.
    """
    if not draft.repeat and (draft.until or draft.count is not None):
        raise UserError("series.needs_repeat")
    reach = await service.new_event_reach(ctx.services, draft)
    cid = confirmation_id()
    event = Event(id=0, status="open", **draft.event_fields())
    text = render.preview(
        ctx.lang,
        ctx.t("events.ask_confirm"),
        event,
        tz=ctx.services.settings.network.tz,
        taken=0,
        waiting=0,
        reach=reach,
    )
    settings = ctx.services.settings
    tz, now = settings.network.tz, ctx.services.clock()
    hours = draft.reminder_hours or settings.events.reminder_hours
    if not draft.repeat:  # a reminder already past is not sent (a series' later dates get it)
        hours = [h for h in hours if schedule.reminder_at(event.starts_at, h, tz=tz) > now]
    planned = render.arrangements(
        ctx.lang,
        tz=tz,
        announce_at=None
        if draft.announce in ("now", "no")
        else datetime.fromisoformat(draft.announce),
        reminder_hours=hours,
        offer_hours=draft.offer_hours,
        capacity=draft.capacity,
    )
    if planned:
        text = Markup(text + "\n" + "\n".join(planned))
    if draft.repeat:
        text = Markup(text + "\n\n" + series_preview(ctx, draft))
    buttons: tuple[tuple[Button, ...], ...] = (
        (
            Button(ctx.t("events.btn_save"), f"evf:confirm:save:{cid}"),
            Button(ctx.t("events.btn_discard"), f"evf:confirm:discard:{cid}"),
        ),
    )
    if warning := render.english_warning(ctx.lang, event):
        # German members would read English: said before *Save*, with a way to fix it here.
        text = Markup(f"{text}\n\n{warning} {ctx.t('events.english_fix')}")
        use = Button(ctx.t("events.btn_use_as_english"), f"evf:confirm:{AS_ENGLISH}:{cid}")
        buttons = (*buttons, (use,))
    await ctx.ask(FLOW, "confirm", {**draft.to_data(), "cid": cid})
    await ctx.reply(Reply(text=text, buttons=buttons))


def series_preview(ctx: Context, draft: Draft) -> Markup:
    """The rule and the first dates of a new series, under the first occurrence's preview."""
    tz = ctx.services.settings.network.tz
    return series.preview_text(ctx.lang, draft, now=ctx.services.clock(), tz=tz)


async def _decide(ctx: Context, value: str, draft: Draft) -> None:
    """Save or discard the previewed event, once: a second (or concurrent) press is stale."""
    word = value.strip().casefold()
    if word == AS_ENGLISH and render.english_in_german(draft):
        await _use_as_english(ctx, draft)
        return
    if word not in SAVE_WORDS + DISCARD_WORDS:
        raise NotAnAnswer("events.confirm_use_buttons")
    taken = await ctx.take_step(FLOW, "confirm")
    if taken is None:
        raise UserError("errors.stale_button")
    if word in DISCARD_WORDS:
        await ctx.say("common.cancelled")
        return
    if draft.repeat:
        made = await series.create_series(ctx.services, draft, created_by=ctx.member.id)
        await ctx.audit(
            "newseries",
            detail=audit.series_created(made.series.id, made.series.title, len(made.created)),
        )
        complete = made.series.count is not None and len(made.created) >= made.series.count
        await ctx.say(
            "series.created_all" if complete else "series.created",
            series=made.series.id,
            title=render.title_of(made.series),
            rule=describe_series(ctx.lang, made.series),
            numbers=", ".join(f"{n}" for n in made.created),
            ahead=series.AHEAD,
            days=series.HORIZON.days,
        )
        return
    created = await service.create_event(ctx.services, draft, created_by=ctx.member.id)
    recorded = audit.event_created(created.event.id, created.event.title, created.announced_to)
    await ctx.audit("newevent", detail=recorded)
    values = {"number": created.event.id, "title": render.title_of(created.event)}
    if draft.announce == "now":
        text = ctx.t("events.created", count=created.announced_to, **values)
        if notify.group_targets(ctx.services.settings, created.event):
            text = Markup(text + " " + ctx.t("events.created_groups"))
        await ctx.reply(text)
    elif draft.announce == "no":
        await ctx.say("events.created_quietly", **values)
    else:
        tz = ctx.services.settings.network.tz
        when = show_when(datetime.fromisoformat(draft.announce), lang=ctx.lang, tz=tz)
        await ctx.say("events.created_later", when=when, **values)


async def _use_as_english(ctx: Context, draft: Draft) -> None:
    """*Use as English* under a preview whose German texts read English: they become the
    English title and description (an English one given stays), and the German ones are
    asked for, then the preview again."""
    redo = ["title", *(["description"] if draft.description else [])]
    draft.title_en = draft.title_en or draft.title
    draft.description_en = draft.description_en or draft.description
    draft.title, draft.description = "", ""
    await ctx.say("events.moved_to_english")
    await _ask(ctx, redo[0], draft, redo[1:])


def _redo(data: dict[str, object]) -> list[str] | None:
    """The steps still to ask again after "Use as English" (None: the form goes on as usual)."""
    redo = data.get(REDO)
    return [str(step) for step in redo] if isinstance(redo, list) else None


async def start(ctx: Context) -> None:
    await _ask(ctx, "kind", Draft())


def _take(ctx: Context, draft: Draft, step: str, value: str) -> None:
    """Put one answer into the draft; `UserError` when it does not fit."""
    now = ctx.services.clock()
    if step in ("title", "title_en") and only_a_date(
        value, tz=ctx.services.settings.network.tz, now=now
    ):
        # "nächsten Donnerstag 14 Uhr" typed a step too early: no title (it had become one)
        raise UserError("events.title_is_date", given=" ".join(value.split())[:60])
    if step in ("place", "place_en") and only_a_date(
        value, tz=ctx.services.settings.network.tz, now=now
    ):
        # "13.01.2027 15:00" meant for a step before (a walkthrough's had become the place)
        raise UserError("events.place_is_date", given=" ".join(value.split())[:60])
    apply_field(draft, step, value, tz=ctx.services.settings.network.tz, now=now)
    if step == "title" and not draft.title:
        raise UserError("events.missing_title")
    if step in ("start", "end", "deadline") and draft.start is not None:
        tz = ctx.services.settings.network.tz
        check_times(draft.start, draft.end, draft.deadline, now=now, tz=tz)
    if step == "repeat" and draft.repeat and draft.start is not None:
        series.check_rule(draft, tz=ctx.services.settings.network.tz)
    if step == "announce" and draft.announce not in ("now", "no"):
        at = datetime.fromisoformat(draft.announce)
        if draft.start is None or not now < at < draft.start:
            raise UserError("events.bad_announce_time")


async def answer(ctx: Context, step: str, value: str, data: dict[str, object]) -> None:
    """Take one answer; a bad one gets its error and the same question again."""
    draft = Draft.from_data(data)
    if step == "confirm":
        await _decide(ctx, value, draft)
        return
    if goes_back(value) and _redo(data) is None:
        # "zurück" had become the description, and what came next the place
        await _ask(ctx, _step_before(step, draft), draft)
        return
    if step in OPTIONAL and is_skip_word(value):
        # "skip", "überspringen", "keine" typed: as its button "Überspringen" (a description
        # "skip" or an end refused as no date had been what it became)
        value = "-"
    try:
        _take(ctx, draft, step, value)
    except UserError as error:
        again = Markup(ctx.t(error.key, **error.values) + "\n\n" + _question(ctx, step))
        await ctx.reply(Reply(text=again, buttons=_buttons(ctx, step), metadata=_typed(step)))
        return
    redo = _redo(data)
    note = _read_as(ctx, step, value, draft)
    if redo is None:
        await _ask(ctx, _next_step(step, draft), draft, note=note)
    else:
        await _ask(ctx, redo[0] if redo else "confirm", draft, redo[1:], note=note)


def register(router: Router) -> None:
    # A draft stays under another flow (/broadcast beside it) and comes back when that ends.
    @router.step(
        FLOW, texts="flows.event_form", resume="newevent", stays=True, previews=("confirm",)
    )
    async def on_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        if not ctx.is_admin:
            await ctx.end_flow(FLOW)
            raise UserError("errors.not_allowed")
        data = {k: v for k, v in state.items() if k != "step"}
        await answer(ctx, str(state["step"]), text, data)

    @router.ask_again(FLOW)
    async def ask_again(ctx: Context, step: str, data: dict[str, object]) -> bool:
        """The step asked anew in the admin's language now (/newevent after /language): the
        preview is made again, with new buttons."""
        if step not in STEPS:
            return False
        await _ask(ctx, step, Draft.from_data(data), _redo(data))
        return True

    @router.button("evf", admin=True)
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) not in (2, 3):
            raise UserError("errors.stale_button")
        step, value = parts[:2]
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        # A button from an earlier question (or an earlier preview) must not act twice.
        if pending is None or pending.flow != FLOW or pending.step != step:
            raise UserError("errors.stale_button")
        if step == "confirm" and (len(parts) != 3 or pending.data.get("cid") != parts[2]):
            raise UserError("errors.stale_button")
        await answer(ctx, step, value, dict(pending.data))
