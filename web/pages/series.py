"""Recurring meetings on the dashboard: a new event with a repetition (previewed with the chat's
text, saved by `series.create_series`), the *Serien / Series* tab with ending a series, and on
an occurrence's page skipping it or changing it and all following.

Only translation: every rule is handlers/events/series.py, the one the chat's /newevent,
/series, /skip, /editseries and /endseries call. Whatever writes to people shows how many
first and acts on a second POST.
"""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import t
from handlers import audit as audit_detail
from handlers.events import render, schedule, series, service
from handlers.events.confirmations import MAX_REASON
from handlers.events.form import (
    FIELDS,
    KINDS,
    Draft,
    Problems,
    new_event_problems,
    optional_text,
)
from handlers.events.recurrence import MAX_INTERVAL, Rule, describe_series, parse_count, parse_until
from storage.events import Event
from web.auth import audit
from web.pages.announce_choices import announce_context
from web.reader import off_loop, services_of
from web.render import ADMIN, LANG, SERVICES, page

NAV: tuple[str, str, str] | None = None  # a tab of the events page (events/_tabs.html)

# The event form's boxes and the repetition's.
EVENT_FIELDS = (*FIELDS, "announce", "announce_at")
REPEAT_FIELDS = ("repeat", "every", "nth", "weekday", "until", "count")
FREQUENCIES = ("none", "weekly", "weeks", "monthly")
NTHS = ("1", "2", "3", "4", "-1")
SHOWN_DATES = 5
DONE = ("created", "created_all", "ended")


# The chat's messages that name its command syntax, as the web form says them (by field).
FORM_ERRORS = {
    "events.bad_audience": "web_events.err_topic",
    "events.bad_capacity": "web_events.err_capacity",
    "events.missing_kind": "web_events.err_kind",
    "events.missing_title": "web_events.err_title",
    "events.missing_start": "web_events.err_start",
    "series.bad_count": "web_series.err_count",
    "series.bad_repeat": "web_series.err_frequency",
    "series.no_deadline": "web_series.err_deadline",
    "series.no_announce_later": "web_series.err_announce_at",
    "series.until_before_start": "web_series.err_until_before_start",
}
AUDIENCES = ("all", "yp", "topic")


def _error(request: web.Request, error: UserError) -> Markup:
    return Markup(t(request[LANG], error.key, **error.values))


def form_error(request: web.Request, error: UserError) -> Markup:
    """A form's error in the admin's language, naming the form's field where the chat's
    message would name its command syntax."""
    return Markup(t(request[LANG], FORM_ERRORS.get(error.key, error.key), **error.values))


def field_errors(request: web.Request, problems: Problems) -> dict[str, Markup]:
    """Each problem of the events form under the box it is shown beside (the announcement's
    time is the `announce_at` box), in the admin's language."""
    return {
        ("announce_at" if key == "announce" else key): form_error(request, error)
        for key, error in problems.items()
    }


def combine_audience(posted: dict[str, str]) -> dict[str, str]:
    """The audience choice and topic box as the one-line form's value (all · yp · topic:…);
    "topic:" alone when the topic is missing (refused as `events.bad_audience`)."""
    kind = posted.pop("audience_kind", None)
    topic = posted.pop("audience_topic", "").strip()
    if kind is not None:
        kind = kind if kind in AUDIENCES else "all"
        posted["audience"] = f"topic:{topic}" if kind == "topic" else kind
    return posted


async def _posted(request: web.Request) -> dict[str, str]:
    form = await request.post()
    return combine_audience(
        {key: str(value) for key, value in form.items() if isinstance(value, str)}
    )


def wants_series(posted: Mapping[str, str]) -> bool:
    """Whether the new-event form asks for a repetition."""
    return posted.get("repeat", "none") not in ("", "none")


def _rule(posted: Mapping[str, str]) -> Rule:
    """The repetition's boxes as a rule; monthly without a weekday takes the first date's."""
    frequency = posted.get("repeat", "")
    if frequency == "weekly":
        return Rule("weekly", 1)
    if frequency == "weeks":
        every = posted.get("every", "").strip() or "2"
        if not every.isdecimal() or not 1 <= int(every) <= MAX_INTERVAL:
            raise UserError("web_series.err_every", given=every[:20], limit=MAX_INTERVAL)
        return Rule("weekly", int(every))
    if frequency == "monthly":
        nth, weekday = posted.get("nth", ""), posted.get("weekday", "")
        if nth in NTHS and weekday.isdecimal() and 0 <= int(weekday) <= 6:
            return Rule("monthly", 1, int(nth), int(weekday))
        return Rule("monthly", 1)
    raise UserError("series.bad_repeat", given=frequency[:20])


def new_event_draft(request: web.Request, posted: Mapping[str, str]) -> tuple[Draft, Problems]:
    """A new event's draft from the form's filled boxes, field by field as the chat's form
    fills it, and every problem of it; the announcement as chosen: `at` with a time (refused
    for a series by `plan_series`)."""
    services = request.app[SERVICES]
    fields = {key: value for key in FIELDS if (value := posted.get(key, "").strip())}
    choice = posted.get("announce", "")
    if choice == "at":
        fields["announce"] = posted.get("announce_at", "").strip() or "-"
    else:
        fields["announce"] = choice if choice in ("now", "no") else "now"
    return new_event_problems(fields, tz=services.settings.network.tz, now=services.clock())


def series_draft(request: web.Request, posted: Mapping[str, str]) -> Draft:
    """The new event's draft with its repetition (its event boxes checked before)."""
    tz = request.app[SERVICES].settings.network.tz
    draft, _problems = new_event_draft(request, posted)
    draft.repeat = _rule(posted).to_text()
    until, count = posted.get("until", "").strip(), posted.get("count", "").strip()
    try:
        draft.until = parse_until(until, tz=tz).isoformat() if until else ""
    except UserError:
        raise UserError("web_series.err_until", given=until[:20]) from None
    draft.count = parse_count(count) if count else None
    return draft


def _new_form(
    request: web.Request,
    posted: Mapping[str, str],
    *,
    error: Markup | None,
    status: int,
    errors: Mapping[str, Markup] | None = None,
) -> web.Response:
    values = {key: posted.get(key, "") for key in (*EVENT_FIELDS, *REPEAT_FIELDS)}
    context = {"event": None, "values": values, "kinds": KINDS, "error": error}
    context.update(announce_context(None, None))
    return page(request, "events/form.html", {**context, "errors": errors or {}}, status=status)


async def new_post(request: web.Request, posted: Mapping[str, str]) -> web.Response:
    """The events page's *new* form with a repetition: `preview` shows the first occurrence and
    the series' first dates as the chat does, `edit` goes back, `save` creates the series."""
    services = request.app[SERVICES]
    action = posted.get("action", "preview")
    if action == "edit":
        return _new_form(request, posted, error=None, status=200)
    lang, tz = request[LANG], services.settings.network.tz
    _draft, problems = new_event_draft(request, posted)
    if problems:
        errors = field_errors(request, problems)
        return _new_form(request, posted, error=None, errors=errors, status=422)
    try:
        draft = series_draft(request, posted)
        if action == "save":
            made = await series.create_series(services, draft, created_by=request[ADMIN].id)
        else:
            reach = await service.new_event_reach(services, draft)
            dates = series.preview_text(lang, draft, now=services.clock(), tz=tz)
    except UserError as error:
        return _new_form(request, posted, error=form_error(request, error), status=422)
    if action == "save":
        detail = audit_detail.series_created(made.series.id, made.series.title, len(made.created))
        await audit(request, "events:series_create", detail)
        complete = made.series.count is not None and len(made.created) >= made.series.count
        raise web.HTTPSeeOther(f"/events/series?done={'created_all' if complete else 'created'}")
    event = Event(id=0, status="open", **draft.event_fields())
    first = render.preview(
        lang, t(lang, "events.ask_confirm"), event, tz=tz, taken=0, waiting=0, reach=reach
    )
    carried = {key: posted.get(key, "") for key in (*EVENT_FIELDS, *REPEAT_FIELDS)}
    return page(
        request,
        "events/preview.html",
        {
            "preview": Markup(first + "\n\n" + dates),
            "carried": carried,
            "target": "/events/new",
            "event": None,
            "english_warning": render.english_warning(lang, event),
        },
    )


# ---- the series tab ------------------------------------------------------------------------


async def list_view(request: web.Request) -> web.StreamResponse:
    services = services_of(request)
    lang = request[LANG]
    rows = [
        {
            "info": info,
            "rule": describe_series(lang, info.series),
            "dates": info.upcoming[:SHOWN_DATES],
            "more": max(0, len(info.upcoming) - SHOWN_DATES),
        }
        for info in await series.list_series(services)
    ]
    done = request.query.get("done", "")
    values: dict[str, object] = {"rows": rows, "done": done if done in DONE else ""}
    # when the bot makes the next dates, said after saving
    values |= {"ahead": series.AHEAD, "days": series.HORIZON.days}
    return page(request, "series/list.html", values)


def _series_id(request: web.Request) -> int:
    return int(request.match_info["id"])


async def end_form(request: web.Request) -> web.StreamResponse:
    """How many occurrences the end cancels and how many people are told; *End* confirms."""
    services = request.app[SERVICES]
    try:
        plan = await series.plan_end(services, _series_id(request))
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    ask = series.end_question(request[LANG], plan)
    return page(request, "series/end.html", {"plan": plan, "ask": Markup(ask)})


async def end_post(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    series_id = _series_id(request)
    try:
        plan = await series.end_series(services, series_id)
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    detail = audit_detail.series_ended(series_id, len(plan.events), plan.told)
    await audit(request, "events:series_end", detail)
    raise web.HTTPSeeOther("/events/series?done=ended")


# ---- one occurrence: skip, change following --------------------------------------------------


def _event_id(request: web.Request) -> int:
    return int(request.match_info["id"])


async def skip_form(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    event_id = _event_id(request)
    try:
        plan = await series.plan_skip(services, event_id)
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    ask = series.skip_question(request[LANG], plan, services.settings.network.tz)
    values = {"event": plan.event, "ask": Markup(ask), "reason": "", "error": None}
    return page(request, "series/skip.html", values)


async def skip_post(request: web.Request) -> web.StreamResponse:
    """Skip the date, with the reason typed (optional), as "Absagen" takes one."""
    services = request.app[SERVICES]
    event_id = _event_id(request)
    posted = await _posted(request)
    try:
        reason = optional_text(posted.get("reason", ""), MAX_REASON, "reason")
    except UserError as error:
        plan = await series.plan_skip(services, event_id)
        ask = series.skip_question(request[LANG], plan, services.settings.network.tz)
        values = {"event": plan.event, "ask": Markup(ask), "reason": posted.get("reason", "")}
        return page(
            request, "series/skip.html", {**values, "error": _error(request, error)}, status=422
        )
    try:
        event, told = await series.skip_occurrence(services, event_id, reason=reason)
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    skipped = audit_detail.series_skipped(event.series_id, event_id, told)
    await audit(request, "events:series_skip", skipped)
    raise web.HTTPSeeOther(f"/events/{event_id}?done=cancelled")


def _following_values(event: Event) -> dict[str, str]:
    return {
        "kind": event.kind,
        "title": event.title,
        "title_en": event.title_en or "",
        "place": event.place,
        "place_en": event.place_en or "",
        "capacity": "" if event.capacity is None else str(event.capacity),
        "audience": event.audience,
        "description": event.description,
        "description_en": event.description_en or "",
        "offer": "" if event.offer_hours is None else str(event.offer_hours),
        "reminders": ", ".join(schedule.hours_label(h) for h in event.reminder_hours),
    }


def _following_changes(event: Event, posted: Mapping[str, str]) -> dict[str, str]:
    """The boxes the admin changed, as `/editseries N key=value; …` gives them."""
    before = _following_values(event)
    changed: dict[str, str] = {}
    for key in series.FOLLOWING_FIELDS:
        value = posted.get(key, "").strip()
        if value != before[key].strip():
            changed[key] = value or "-"
    return changed


def _following_form(
    request: web.Request,
    event: Event,
    values: Mapping[str, str],
    *,
    error: Markup | None = None,
    status: int = 200,
) -> web.Response:
    shown = {key: values.get(key, "") for key in series.FOLLOWING_FIELDS}
    return page(
        request,
        "series/following.html",
        {"event": event, "values": shown, "kinds": KINDS, "error": error},
        status=status,
    )


async def _occurrence(request: web.Request) -> Event:
    try:
        return await series.occurrence(request.app[SERVICES], _event_id(request))
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None


async def following_form(request: web.Request) -> web.StreamResponse:
    event = await _occurrence(request)
    return _following_form(request, event, _following_values(event))


async def following_post(request: web.Request) -> web.StreamResponse:
    """`preview`: the change as the chat's /editseries shows it, with how many dates and people;
    `edit` goes back; `save` applies what the preview showed (carried as `f.<key>`)."""
    services = request.app[SERVICES]
    event = await _occurrence(request)
    posted = await _posted(request)
    action = posted.get("action", "preview")
    if action == "edit":
        return _following_form(request, event, posted)
    if action == "save":
        following = series.FOLLOWING_FIELDS
        changes = {k[2:]: v for k, v in posted.items() if k.startswith("f.") and k[2:] in following}
        try:
            changed, told = await series.change_following(services, event.id, changes)
        except UserError as error:
            values = {**_following_values(event), **posted}
            return _following_form(
                request, event, values, error=form_error(request, error), status=422
            )
        detail = audit_detail.detail(
            "audit.series_changed_fields",
            series=event.series_id or "?",
            fields=audit_detail.fields(changes),
            events=audit_detail.numbers(changed),
            told=audit_detail.told(told),
        )
        await audit(request, "events:series_change", detail)
        raise web.HTTPSeeOther(f"/events/{event.id}?done=edited")
    changes = _following_changes(event, posted)
    try:
        plan = await series.plan_change_following(services, event.id, changes)
    except UserError as error:
        return _following_form(request, event, posted, error=form_error(request, error), status=422)
    preview = series.change_question(request[LANG], plan, services.settings.network.tz)
    carried = {key: posted.get(key, "") for key in series.FOLLOWING_FIELDS}
    carried.update({f"f.{key}": value for key, value in changes.items()})
    return page(
        request,
        "events/preview.html",
        {
            "preview": Markup(preview),
            "carried": carried,
            "target": f"/events/{event.id}/following",
            "event": event,
        },
    )


def register(app: web.Application) -> None:
    app.router.add_get("/events/series", off_loop(list_view), name="series_list")
    app.router.add_get(r"/events/series/{id:\d+}/end", end_form, name="series_end")
    app.router.add_post(r"/events/series/{id:\d+}/end", end_post, name="series_end_post")
    app.router.add_get(r"/events/{id:\d+}/skip", skip_form, name="series_skip")
    app.router.add_post(r"/events/{id:\d+}/skip", skip_post, name="series_skip_post")
    app.router.add_get(r"/events/{id:\d+}/following", following_form, name="series_following")
    app.router.add_post(r"/events/{id:\d+}/following", following_post, name="series_following_post")
