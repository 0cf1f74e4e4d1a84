"""Events: list and calendar, create and edit with the chat's preview, cancel with a reason, the
roster with waitlist, check-in and attendance, reminders, poll results, and the exports.

Only translation: the rules are handlers/events (service, schedule, polls, office, export,
calendar). Nothing is stored or announced before *Save*: the preview is `render.preview`, as in
the chat, and *Save* calls the function the chat's confirmation calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import t
from handlers import audit as audit_detail
from handlers.events import calendar, changes, office, polls, render, schedule, service
from handlers.events.confirmations import MAX_REASON
from handlers.events.dates import parse_when
from handlers.events.export import XLSX_MIME, attendees_csv, attendees_xlsx, status_text
from handlers.events.form import FIELDS, KINDS, optional_text
from storage.event_store import as_utc
from storage.events import CONFIRMED, Event
from web.auth import audit
from web.pages import series as series_page
from web.pages.announce_choices import announce_context
from web.reader import off_loop, services_of
from web.render import ADMIN, LANG, SERVICES, is_htmx, page

NAV: tuple[str, str, str] | None = ("events", "/events", "web.nav_events")

TIMES = ("start", "end", "deadline")
# Optional fields: an empty box clears them (the form's "-").
CLEARABLE = (
    "title_en",
    "end",
    "place",
    "place_en",
    "capacity",
    "deadline",
    "description",
    "description_en",
    "offer",
    "reminders",
)
DONE = (
    "created",
    "edited",
    "edited_quietly",
    "edited_announced",
    "edited_announced_told",
    "edited_planned",
    "edited_planned_told",
    "cancelled",
    "already_cancelled",
    "moved",
    "checked_in",
    "reminder",
)
CALENDAR_WEEKS = 6


def _event_id(request: web.Request) -> int:
    return int(request.match_info["id"])


def _safe(text: str) -> Markup:
    """Catalogue markup (values escaped by `bot.i18n.t`) as Jinja's safe markup."""
    return Markup(str(text))


# The chat's words for a refusal that point to a chat command, in the dashboard's words.
_ON_THE_PAGE = {
    "events.unknown_event": "web_events.unknown_event",
    "events.unknown_event_office": "web_events.unknown_event",
}


def _error(request: web.Request, error: UserError) -> Markup:
    key = _ON_THE_PAGE.get(error.key, error.key)
    return Markup(t(request[LANG], key, **error.values))


def _local_input(moment: datetime | None, request: web.Request) -> str:
    """An aware moment as a `datetime-local` box shows it, in the network's zone."""
    if moment is None:
        return ""
    tz = request.app[SERVICES].settings.network.tz
    return as_utc(moment).astimezone(tz).strftime("%Y-%m-%dT%H:%M")


def _values_of(event: Event, request: web.Request) -> dict[str, str]:
    """The form's boxes filled from a stored event (for editing)."""
    return {
        "kind": event.kind,
        "title": event.title,
        "title_en": event.title_en or "",
        "start": _local_input(event.starts_at, request),
        "end": _local_input(event.ends_at, request),
        "place": event.place,
        "place_en": event.place_en or "",
        "capacity": "" if event.capacity is None else str(event.capacity),
        "deadline": _local_input(event.deadline, request),
        "audience": event.audience,
        "description": event.description,
        "description_en": event.description_en or "",
        "offer": "" if event.offer_hours is None else str(event.offer_hours),
        "reminders": ", ".join(schedule.hours_label(h) for h in event.reminder_hours),
    }


async def _posted(request: web.Request) -> dict[str, str]:
    form = await request.post()
    return series_page.combine_audience(
        {key: str(value) for key, value in form.items() if isinstance(value, str)}
    )


def _announce_value(posted: Mapping[str, str]) -> str:
    """The form's announce choice as the one-line form writes it ("" when not given)."""
    choice = posted.get("announce", "")
    if choice == "at":
        return posted.get("announce_at", "").strip() or "-"
    return choice if choice in ("now", "no") else ""


def _changes(event: Event, request: web.Request, posted: Mapping[str, str]) -> dict[str, str]:
    """The fields the admin changed, as the chat's `/editevent N key=value; ...` gives them."""
    before = _values_of(event, request)
    changed: dict[str, str] = {}
    for key in FIELDS:
        value = posted.get(key, "").strip()
        if value != before[key].strip():
            changed[key] = value if value or key not in CLEARABLE else "-"
    # The form shows the end beside the start: kept as shown, unless the new start is at or
    # after it; then the event moves whole, keeping its length, as in the chat.
    shown_end = posted.get("end", "").strip()
    moved = "start" in changed and "end" not in changed and bool(shown_end)
    if moved and not _at_or_after(changed["start"], shown_end, request):
        changed["end"] = shown_end
    announce = _announce_value(posted)
    if announce:
        changed["announce"] = announce
    return changed


def _at_or_after(start: str, end: str, request: web.Request) -> bool:
    """Whether the typed start is not before the typed end (False when either is no time:
    the check of the whole form names it)."""
    tz = services_of(request).settings.network.tz
    try:
        return parse_when(start, tz=tz) >= parse_when(end, tz=tz)
    except UserError:
        return False


def _form_page(
    request: web.Request,
    *,
    values: Mapping[str, str],
    event: Event | None = None,
    error: Markup | None = None,
    errors: Mapping[str, Markup] | None = None,
    status: int = 200,
    planned: datetime | None = None,
) -> web.Response:
    """The form with what was typed; `errors` beside their boxes, `error` above the form;
    `planned`: when the event's planned announcement goes out (the choice to keep it)."""
    return page(
        request,
        "events/form.html",
        {
            "event": event,
            "values": {key: values.get(key, "") for key in (*FIELDS, "announce", "announce_at")},
            "kinds": KINDS,
            "error": error,
            "errors": errors or {},
            **announce_context(event, planned),
        },
        status=status,
    )


def _safe_preview(*args: Any, **kwargs: Any) -> Markup:
    return _safe(render.preview(*args, **kwargs))


def _safe_summary(*args: Any, **kwargs: Any) -> Markup:
    return _safe(render.summary(*args, **kwargs))


# ---- list and calendar ------------------------------------------------------------------


async def list_events(request: web.Request) -> web.StreamResponse:
    services = services_of(request)
    now = services.clock()
    past = request.query.get("past") == "1"
    if past:
        found = list(
            reversed(await office.events_between(services, now - timedelta(days=365), now))
        )
    else:
        found = await office.events_between(services, now, now + timedelta(days=730))
    return page(request, "events/list.html", {"events": found, "past": past})


def _monday(text: str, today: date) -> date:
    try:
        chosen = date.fromisoformat(text) if text else today
    except ValueError:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


async def calendar_view(request: web.Request) -> web.StreamResponse:
    """An agenda grouped by week (server-rendered), six weeks from the chosen Monday."""
    services = services_of(request)
    tz = services.settings.network.tz
    today = services.clock().astimezone(tz).date()
    first = _monday(request.query.get("from", ""), today)
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    found = await office.events_between(services, start, start + timedelta(weeks=CALENDAR_WEEKS))
    weeks: list[dict[str, Any]] = []
    for index in range(CALENDAR_WEEKS):
        monday = first + timedelta(weeks=index)
        inside = [
            item
            for item in found
            if monday <= as_utc(item.event.starts_at).astimezone(tz).date() < monday + timedelta(7)
        ]
        week = monday.isocalendar().week
        begins = datetime(monday.year, monday.month, monday.day, 12, tzinfo=tz)
        weeks.append(
            {
                "monday": begins,
                "sunday": begins + timedelta(6),
                "week": week,
                "last_week": None,  # the last of several empty weeks joined (below)
                "events": inside,
            }
        )
    return page(
        request,
        "events/calendar.html",
        {
            "weeks": _empty_weeks_joined(weeks),
            "earlier": (first - timedelta(weeks=CALENDAR_WEEKS)).isoformat(),
            "later": (first + timedelta(weeks=CALENDAR_WEEKS)).isoformat(),
        },
    )


def _empty_weeks_joined(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Weeks in a row with nothing planned as one ("KW 49 – KW 52: … Nichts geplant."): five
    empty cards before the first event pushed it off a phone's screen."""
    joined: list[dict[str, Any]] = []
    for week in weeks:
        last = joined[-1] if joined else None
        if last is not None and not last["events"] and not week["events"]:
            last["sunday"], last["last_week"] = week["sunday"], week["week"]
        else:
            joined.append(dict(week))
    return joined


# ---- create ------------------------------------------------------------------------------


async def new_form(request: web.Request) -> web.StreamResponse:
    return _form_page(request, values={"announce": "now"})


async def new_post(request: web.Request) -> web.StreamResponse:
    """`preview` shows what *Save* will do; `edit` goes back to the form; `save` stores."""
    services = request.app[SERVICES]
    posted = await _posted(request)
    if series_page.wants_series(posted):  # a repetition: a series (web/pages/series.py)
        return await series_page.new_post(request, posted)
    action = posted.get("action", "preview")
    if action == "edit":
        return _form_page(request, values=posted)
    draft, problems = series_page.new_event_draft(request, posted)
    if problems:
        errors = series_page.field_errors(request, problems)
        return _form_page(request, values=posted, errors=errors, status=422)
    try:
        if action == "save":
            created = await service.create_event(services, draft, created_by=request[ADMIN].id)
        else:
            reach = await service.new_event_reach(services, draft)
    except UserError as error:
        return _form_page(
            request, values=posted, error=series_page.form_error(request, error), status=422
        )
    if action == "save":
        detail = audit_detail.event_created(
            created.event.id, created.event.title, created.announced_to
        )
        await audit(request, "events:create", detail)
        raise web.HTTPSeeOther(f"/events/{created.event.id}?done=created")
    lang = request[LANG]
    event = Event(id=0, status="open", **draft.event_fields())
    preview = _safe_preview(
        lang,
        t(lang, "events.ask_confirm"),
        event,
        tz=services.settings.network.tz,
        taken=0,
        waiting=0,
        reach=reach,
    )
    carried = {key: posted.get(key, "") for key in (*FIELDS, "announce", "announce_at")}
    return page(
        request,
        "events/preview.html",
        {
            "preview": preview,
            "carried": carried,
            "target": "/events/new",
            "event": None,
            "english_warning": render.english_warning(lang, event),
        },
    )


# ---- one event ----------------------------------------------------------------------------


async def show_event(request: web.Request) -> web.StreamResponse:
    return await _event_page(request, _event_id(request))


async def _event_page(
    request: web.Request, event_id: int, *, problem: Markup | None = None, status: int = 200
) -> web.Response:
    """The event with its roster, reminders and polls; `problem` when an action was refused."""
    services = services_of(request)
    try:
        found = await office.roster_of(services, event_id)
        _event, tallies = await polls.tallies(services, event_id)
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    reminders = await schedule.reminders_of(services, event_id)
    lang = request[LANG]
    summary = _safe_summary(
        lang, found.event, tz=services.settings.network.tz, taken=found.taken, waiting=found.waiting
    )
    if other := render.other_language_lines(lang, found.event):  # what the others read instead
        summary = _safe("\n\n".join([summary, *other]))
    done = request.query.get("done", "")
    count = request.query.get("count", "")
    return page(
        request,
        "events/event.html",
        {
            "event": found.event,
            "summary": summary,
            "roster": found,
            # a message to the people signed up, or to those waiting (the broadcast's form)
            "audiences": [
                kind
                for kind, present in (
                    ("attendees", any(r.person.status == CONFIRMED for r in found.rows)),
                    ("waiting", any(r.person.status != CONFIRMED for r in found.rows)),
                )
                if present
            ],
            "status_of": lambda person: status_text(lang, person),
            "reminders": [(job, _local_input(job.run_at, request)) for job in reminders],
            "polls": tallies,
            "done": done if done in DONE and problem is None else "",
            "done_count": int(count) if count.isdecimal() else 0,
            "error": problem,
            "past": as_utc(found.event.starts_at) <= services.clock(),
            "check_in": _check_in_open(found.event, services.clock()),
        },
        status=status,
    )


# Check-in is offered from the day before an event on (and afterwards, to mend the list).
CHECK_IN_FROM = timedelta(days=1)


def _check_in_open(event: Event, now: datetime) -> bool:
    return event.status == "open" and now >= as_utc(event.starts_at) - CHECK_IN_FROM


def _back(event_id: int, done: str, anchor: str = "roster") -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/events/{event_id}?done={done}#{anchor}")


async def edit_form(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    try:
        event = await service.open_event(services, _event_id(request))
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    planned = await schedule.planned_announcement(services, event.id)
    return _form_page(request, values=_values_of(event, request), event=event, planned=planned)


def _edit_outcome(edited: service.Edited) -> str:
    """What the page says after saving, as its query: announced to how many, planned, the
    signed-up told or nobody (the notice must not say someone is told when nobody is)."""
    told = "_told" if edited.told else ""
    if edited.announced is not None:
        return f"done=edited_announced{told}&count={edited.announced}"
    if edited.announce_at is not None:
        return f"done=edited_planned{told}"
    return "done=edited" if edited.told else "done=edited_quietly"


async def edit_post(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    event_id = _event_id(request)
    posted = await _posted(request)
    action = posted.get("action", "preview")
    try:
        event = await service.open_event(services, event_id)
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    planned = await schedule.planned_announcement(services, event_id)
    if action == "save":
        # What the preview showed, carried as `f.<key>` (not the boxes compared again).
        edited = {k[2:]: v for k, v in posted.items() if k.startswith("f.") and k[2:] in FIELDS}
        if posted.get("f.announce"):
            edited["announce"] = posted["f.announce"]
        try:
            done = await service.edit(services, event_id, edited)
        except UserError as error:
            values = {**_values_of(event, request), **posted}
            return _form_page(
                request,
                values=values,
                event=event,
                planned=planned,
                error=series_page.form_error(request, error),
                status=422,
            )
        changed = audit_detail.detail(
            "audit.event_edited_fields",
            event=event_id,
            fields=audit_detail.fields(edited),
            told=audit_detail.told(done.told),
        )
        await audit(request, "events:edit", changed)
        raise web.HTTPSeeOther(f"/events/{done.event.id}?{_edit_outcome(done)}")
    if action == "edit":
        return _form_page(request, values=posted, event=event, planned=planned)
    edited = _changes(event, request, posted)
    _draft, problems = service.edit_problems(services, event, edited)
    if problems:
        errors = series_page.field_errors(request, problems)
        return _form_page(
            request, values=posted, event=event, errors=errors, status=422, planned=planned
        )
    try:
        plan = await service.plan_edit(services, event_id, edited)
    except UserError as error:
        return _form_page(
            request,
            values=posted,
            event=event,
            error=series_page.form_error(request, error),
            status=422,
            planned=planned,
        )
    lang = request[LANG]
    tz = services.settings.network.tz
    preview = _safe_preview(
        lang,
        t(lang, "events.ask_confirm_edit", number=event_id),
        plan.changed,
        tz=tz,
        taken=plan.taken,
        waiting=plan.waiting,
        reach=plan.reach,
        changes=changes.of_edit(lang, plan.event, plan.changed, tz=tz),
    )
    carried = {key: posted.get(key, "") for key in (*FIELDS, "announce", "announce_at")}
    carried.update({f"f.{key}": value for key, value in edited.items()})
    return page(
        request,
        "events/preview.html",
        {
            "preview": preview,
            "carried": carried,
            "target": f"/events/{event_id}/edit",
            "event": event,
            "english_warning": render.english_warning(lang, plan.changed, before=plan.event),
        },
    )


# ---- cancel -------------------------------------------------------------------------------


async def cancel_form(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    try:
        plan = await service.plan_cancel(services, _event_id(request))
    except UserError as error:
        _to_cancelled_event(request, error)
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    return page(
        request, "events/cancel.html", {"plan": plan, "reason": "", "preview": None, "error": None}
    )


def _to_cancelled_event(request: web.Request, error: UserError) -> None:
    """A second tab's cancellation of a cancelled event: its page says so (not a bare 404)."""
    if error.key == "events.already_cancelled":
        raise web.HTTPSeeOther(f"/events/{_event_id(request)}?done=already_cancelled")


async def cancel_post(request: web.Request) -> web.StreamResponse:
    """`preview`: the cancellation as attendees read of it, with how many; `confirm` does it."""
    services = request.app[SERVICES]
    event_id = _event_id(request)
    posted = await _posted(request)
    try:
        plan = await service.plan_cancel(services, event_id)
    except UserError as error:
        _to_cancelled_event(request, error)
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    try:
        reason = optional_text(posted.get("reason", ""), MAX_REASON, "reason")
    except UserError as error:
        values = {"plan": plan, "reason": posted.get("reason", ""), "preview": None}
        return page(
            request, "events/cancel.html", {**values, "error": _error(request, error)}, status=422
        )
    if posted.get("action") == "confirm":
        try:
            event, told = await service.cancel_event(services, event_id, reason=reason)
        except UserError as error:  # cancelled meanwhile in another tab or the chat
            _to_cancelled_event(request, error)
            raise
        await audit(request, "events:cancel", audit_detail.event_cancelled(event_id, told, reason))
        raise web.HTTPSeeOther(f"/events/{event.id}?done=cancelled")
    lang = request[LANG]
    preview = _safe_preview(
        lang,
        t(lang, "events.ask_confirm_cancel"),
        plan.event,
        tz=services.settings.network.tz,
        taken=plan.taken,
        waiting=plan.waiting,
        reach=plan.reach,
        reason=reason,
    )
    return page(
        request,
        "events/cancel.html",
        {"plan": plan, "reason": reason, "preview": preview, "error": None},
    )


# ---- roster: waitlist, check-in -------------------------------------------------------------


def _member_id(posted: Mapping[str, str]) -> int:
    value = posted.get("member", "")
    if not value.isdecimal():
        raise web.HTTPBadRequest(text="member")
    return int(value)


async def move_up(request: web.Request) -> web.StreamResponse:
    """Move a waiting member into a place; when full only as an explicit extra place."""
    services = request.app[SERVICES]
    event_id = _event_id(request)
    posted = await _posted(request)
    member_id = _member_id(posted)
    extra = posted.get("extra") == "1"
    try:
        await service.move_up(services, event_id, member_id, extra_place=extra)
    except UserError as error:
        return await _event_page(request, event_id, problem=_error(request, error), status=422)
    moved = "audit.moved_up_extra" if extra else "audit.moved_up_free"
    detail = audit_detail.detail(moved, event=event_id, member=member_id)
    await audit(request, "events:move_up", detail)
    raise _back(event_id, "moved")


async def attendance(request: web.Request) -> web.StreamResponse:
    """Check a member in (came=1) or take it back (came=0); htmx swaps the row."""
    services = request.app[SERVICES]
    event_id = _event_id(request)
    posted = await _posted(request)
    member_id = _member_id(posted)
    came = posted.get("came") == "1"
    try:
        await service.record_attendance(services, event_id, member_id, came)
    except UserError as error:
        return await _event_page(request, event_id, problem=_error(request, error), status=422)
    checked = "audit.attendance_came" if came else "audit.attendance_taken_back"
    await audit(
        request, "events:attendance", audit_detail.detail(checked, event=event_id, member=member_id)
    )
    if not is_htmx(request):
        raise _back(event_id, "checked_in")
    found = await office.roster_of(services, event_id)
    row = next(r for r in found.rows if r.person.member_id == member_id)
    lang = request[LANG]
    return page(
        request,
        "events/roster_row.html",
        {
            "event": found.event,
            "row": row,
            "status_of": lambda person: status_text(lang, person),
            "past": as_utc(found.event.starts_at) <= services.clock(),
            "check_in": _check_in_open(found.event, services.clock()),
        },
    )


# ---- reminders ------------------------------------------------------------------------------


async def reminders(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    event_id = _event_id(request)
    posted = await _posted(request)
    job_id = posted.get("job", "")
    try:
        if posted.get("action") == "remove":
            await schedule.remove_reminder(services, event_id, job_id)
            detail = audit_detail.detail("audit.reminder_removed", event=event_id)
        else:
            at = parse_when(posted.get("at", ""), tz=services.settings.network.tz)
            await schedule.move_reminder(services, event_id, job_id, at)
            detail = audit_detail.detail("audit.reminder_moved", event=event_id, at=at)
    except UserError as error:
        return await _event_page(request, event_id, problem=_error(request, error), status=422)
    await audit(request, "events:reminder", detail)
    raise _back(event_id, "reminder", "reminders")


# ---- exports --------------------------------------------------------------------------------


async def export(request: web.Request) -> web.StreamResponse:
    """The roster as XLSX or CSV (as /attendees sends them), the event as ICS."""
    services = request.app[SERVICES]
    event_id = _event_id(request)
    wanted = request.path.rsplit(".", 1)[-1]
    lang = request[LANG]
    try:
        found = await office.roster_of(services, event_id)
    except UserError as error:
        raise web.HTTPNotFound(text=str(_error(request, error))) from None
    people = [row.person for row in found.rows]
    name = f"{t(lang, 'events.attendees_file_name')}-{event_id}"
    if wanted == "csv":
        body, mime = attendees_csv(people, lang=lang), "text/csv"
    elif wanted == "xlsx":
        sheet = str(t(lang, "events.attendees_sheet"))
        body = await asyncio.to_thread(attendees_xlsx, people, lang=lang, sheet=sheet)
        mime = XLSX_MIME
    else:
        tz, now = services.settings.network.tz, services.clock()
        body = calendar.build_ics([found.event], tz=tz, now=now, lang=lang)
        mime = "text/calendar"
        name = f"event-{event_id}"
    exported = audit_detail.detail("audit.event_exported", event=event_id, format=wanted.upper())
    await audit(request, "events:export", exported)
    return web.Response(
        body=body,
        content_type=mime,
        charset="utf-8" if wanted != "xlsx" else None,
        headers={"Content-Disposition": f'attachment; filename="{name}.{wanted}"'},
    )


def register(app: web.Application) -> None:
    app.router.add_get("/events", off_loop(list_events), name="events")
    app.router.add_get("/events/calendar", off_loop(calendar_view), name="events_calendar")
    app.router.add_get("/events/new", new_form, name="events_new")
    app.router.add_post("/events/new", new_post, name="events_new_post")
    app.router.add_get(r"/events/{id:\d+}", off_loop(show_event), name="events_show")
    app.router.add_get(r"/events/{id:\d+}/edit", edit_form, name="events_edit")
    app.router.add_post(r"/events/{id:\d+}/edit", edit_post, name="events_edit_post")
    app.router.add_get(r"/events/{id:\d+}/cancel", cancel_form, name="events_cancel")
    app.router.add_post(r"/events/{id:\d+}/cancel", cancel_post, name="events_cancel_post")
    app.router.add_post(r"/events/{id:\d+}/move-up", move_up, name="events_move_up")
    app.router.add_post(r"/events/{id:\d+}/attendance", attendance, name="events_attendance")
    app.router.add_post(r"/events/{id:\d+}/reminders", reminders, name="events_reminders")
    for wanted in ("xlsx", "csv", "ics"):
        app.router.add_get(
            rf"/events/{{id:\d+}}/export.{wanted}", export, name=f"events_export_{wanted}"
        )
