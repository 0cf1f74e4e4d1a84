"""The event rules as plain functions: create, edit, cancel, join, leave, accept an offer.

Handlers and tests call these; each runs in its own transaction and applies its effects after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import UserError
from bot.services import Services
from handlers.events import changes, notify, render, schedule
from handlers.events.effects import Effects
from handlers.events.form import (
    Draft,
    Problems,
    check_draft,
    fill_fields,
    parse_form,
    raise_first,
    time_problems,
)
from handlers.events.render import Reach
from storage import event_store, signups
from storage.event_store import as_utc
from storage.events import CONFIRMED, Event
from storage.models import Member


@dataclass(frozen=True)
class Created:
    event: Event
    announced_to: int  # members reached now (0 when announced later or not at all)


async def create_event(services: Services, draft: Draft, *, created_by: int | None) -> Created:
    """Store a new event, plan its reminders, announce it now or at the chosen time."""
    now = services.clock()
    check_draft(draft, now=now, tz=services.settings.network.tz)
    assert draft.start is not None
    effects = Effects()
    announced = 0
    async with services.db.session() as session:
        event = await event_store.create_event(
            session,
            **draft.event_fields(),
            offer_hours=draft.offer_hours,
            reminder_hours=draft.reminder_hours or list(services.settings.events.reminder_hours),
            created_by=created_by,
        )
        await schedule.plan_reminders(
            session, event, now=now, tz=services.settings.network.tz, effects=effects
        )
        if draft.announce == "now":
            announced = await notify.announce(session, services, event, effects)
        elif draft.announce != "no":
            at = datetime.fromisoformat(draft.announce)
            await schedule.plan_announcement(session, event, at=at, effects=effects)
    effects.apply(services)
    return Created(event, announced)


async def new_event_reach(services: Services, draft: Draft) -> Reach:
    """Check a draft as `create_event` will, and count who its announcement would reach."""
    check_draft(draft, now=services.clock(), tz=services.settings.network.tz)
    if draft.announce == "no":
        return Reach()
    preview = Event(id=0, status=signups.OPEN, **draft.event_fields())
    async with services.db.session() as session:
        return await notify.announcement_reach(session, services, preview)


def draft_of(event: Event) -> Draft:
    return Draft(
        kind=event.kind,
        title=event.title,
        start=as_utc(event.starts_at),
        end=as_utc(event.ends_at) if event.ends_at else None,
        place=event.place,
        place_en=event.place_en or "",
        capacity=event.capacity,
        deadline=as_utc(event.deadline) if event.deadline else None,
        audience=event.audience,
        description=event.description,
        title_en=event.title_en or "",
        description_en=event.description_en or "",
        offer_hours=event.offer_hours,
        announce="no",
        reminder_hours=list(event.reminder_hours),
    )


async def open_event(services: Services, event_id: int) -> Event:
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
    if event is None:
        raise UserError("events.unknown_event", number=event_id)
    return event


@dataclass(frozen=True)
class Plan:
    """A checked change of an event (an edit, a cancellation), not made yet: what the event
    will look like and who will hear of it."""

    event: Event  # as stored now
    changed: Event  # as it will be (not stored)
    taken: int
    waiting: int
    reach: Reach


def _checked_edit(
    services: Services, event: Event, form: str | Mapping[str, str]
) -> tuple[Draft, dict[str, str], datetime | None]:
    """The event's draft with the form's fields applied, checked; the announcement time.

    `form` is the chat's `key=value; ...` line or the web form's fields (canonical keys).
    """
    fields = parse_form(form) if isinstance(form, str) else dict(form)
    if not fields:
        raise UserError("events.bad_form", given=form[:60] if isinstance(form, str) else "")
    draft, problems = edit_problems(services, event, fields)
    raise_first(problems)
    announce_at: datetime | None = None
    if "announce" in fields and draft.announce not in ("now", "no"):
        announce_at = datetime.fromisoformat(draft.announce)
    return draft, fields, announce_at


def edit_problems(
    services: Services, event: Event, fields: Mapping[str, str]
) -> tuple[Draft, Problems]:
    """The event's draft with the changed fields applied, and every problem of the change
    (the dashboard names them all at once; the chat the first)."""
    if event.status != signups.OPEN:
        raise UserError("events.already_cancelled", title=render.title_of(event))
    now = services.clock()
    draft = draft_of(event)
    problems = fill_fields(draft, fields, tz=services.settings.network.tz, now=now)
    if "start" in fields and "end" not in fields and event.ends_at is not None:
        # A moved event keeps its length: "beginn=13.03. 10:00" alone moves the end too.
        assert draft.start is not None
        draft.end = draft.start + (as_utc(event.ends_at) - as_utc(event.starts_at))
    if not draft.title:
        problems.setdefault("title", UserError("events.missing_title"))
    assert draft.start is not None
    tz = services.settings.network.tz
    for key, error in time_problems(draft.start, draft.end, draft.deadline, now=now, tz=tz).items():
        problems.setdefault(key, error)
    if "announce" in fields and draft.announce not in ("now", "no"):
        announce_at = datetime.fromisoformat(draft.announce)
        if not now < announce_at < draft.start:
            problems.setdefault("announce", UserError("events.bad_announce_time"))
    return draft, problems


async def plan_edit(services: Services, event_id: int, form: str | Mapping[str, str]) -> Plan:
    """What `edit_event` would do with this form, checked the same way, without doing it."""
    event = await open_event(services, event_id)
    draft, fields, _announce_at = _checked_edit(services, event, form)
    changed = Event(id=event.id, status=event.status, **draft.event_fields())
    async with services.db.session() as session:
        taken, waiting = await signups.counts(session, event_id=event_id)
        if draft.capacity is not None and draft.capacity < taken:
            raise UserError("events.capacity_below_taken", count=taken)
        told = 0
        noticed = changes.noticed_by(changes.Facts.of(event), changes.Facts.of(changed))
        if noticed:
            told = await notify.signed_up_count(session, event, languages=noticed)
        announced = Reach()
        if fields.get("announce") is not None and draft.announce != "no":
            announced = await notify.announcement_reach(session, services, changed)
    reach = Reach(
        chats=announced.chats,
        members=announced.members,
        attendees=told,
        moved_up=_moving_up(event, changed, taken, waiting),
    )
    return Plan(event, changed, taken, waiting, reach)


def _moving_up(event: Event, changed: Event, taken: int, waiting: int) -> int:
    """How many on the waiting list more places give a place (or offer one to)."""
    if changed.capacity is None:
        return waiting if event.capacity is not None else 0
    free_before = max(0, (event.capacity or 0) - taken)
    return max(0, min(waiting, changed.capacity - taken) - free_before)


@dataclass(frozen=True)
class Edited:
    """What an edit did: the event as stored now, how many signed up were told of it, how many
    members the announcement asked for with it reached (None when none was sent now), and
    when a planned announcement goes out (None when none was planned with it)."""

    event: Event
    told: int
    announced: int | None = None
    announce_at: datetime | None = None


async def edit_event(
    services: Services, event_id: int, form: str | Mapping[str, str]
) -> tuple[Event, int]:
    """`edit`'s event and how many signed up were told."""
    edited = await edit(services, event_id, form)
    return edited.event, edited.told


async def edit(services: Services, event_id: int, form: str | Mapping[str, str]) -> Edited:
    """Change fields given as `key=value; ...`; everyone signed up is told what changed, if
    it is theirs to know (`changes`), and whoever more places move up is told so; an
    announcement asked for goes out now or is planned."""
    now = services.clock()
    event = await open_event(services, event_id)
    before = changes.Facts.of(event)
    draft, fields, announce_at = _checked_edit(services, event, form)
    effects = Effects()
    async with services.db.session() as session:
        taken, _waiting = await signups.counts(session, event_id=event_id)
        if draft.capacity is not None and draft.capacity < taken:
            raise UserError("events.capacity_below_taken", count=taken)
        await event_store.update_event(
            session,
            event_id=event_id,
            **draft.event_fields(),
            offer_hours=draft.offer_hours,
            reminder_hours=draft.reminder_hours,
        )
        fresh = await event_store.get_event(session, event_id)
        assert fresh is not None
        await session.refresh(fresh)
        if "start" in fields or "reminders" in fields:
            effects.disarm += await event_store.drop_jobs(
                session, event_id=event_id, kinds=("reminder",)
            )
            await schedule.plan_reminders(
                session, fresh, now=now, tz=services.settings.network.tz, effects=effects
            )
        promoted = await signups.fill_places(session, event_id=event_id, now=now)
        await notify.promotions(session, services, fresh, promoted, effects)
        told = len(promoted)  # moved up by more places: told of it apart
        noticed = changes.noticed_by(before, changes.Facts.of(fresh))
        if noticed:
            tz = services.settings.network.tz
            told = await notify.to_signed_up(
                session,
                services,
                fresh,
                "events.changed",
                effects,
                kind="event_change",
                with_buttons=True,
                details=lambda lang: changes.lines(lang, before, fresh, tz=tz),
                languages=noticed,
            )
        await notify.refresh_counts(session, services, fresh, effects)
        announced: int | None = None
        if "announce" in fields and draft.announce == "now":
            announced = await notify.announce(session, services, fresh, effects)
        elif announce_at is not None:
            await schedule.plan_announcement(session, fresh, at=announce_at, effects=effects)
        elif "announce" in fields:  # "no": a planned announcement is called off
            effects.disarm += await event_store.drop_jobs(
                session, event_id=event_id, kinds=("announce",)
            )
    effects.apply(services)
    return Edited(fresh, told, announced, announce_at)


async def plan_cancel(services: Services, event_id: int) -> Plan:
    """What `cancel_event` would do: who would be told; refused when the event is unknown or
    cancelled already."""
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event_office", number=event_id)
        if event.status != signups.OPEN:
            raise UserError("events.already_cancelled", title=render.title_of(event))
        taken, waiting = await signups.counts(session, event_id=event_id)
        told = await notify.signed_up_count(session, event)
    return Plan(event, event, taken, waiting, Reach(attendees=told))


async def cancel_event(
    services: Services,
    event_id: int,
    reason: str = "",
    *,
    notice: str = "events.cancelled_notice",
    details: Callable[[str], str] | None = None,
) -> tuple[Event, int]:
    """Cancel: jobs dropped, everyone signed up told (with the reason), announcements edited.
    `notice` and `details` (lines under it, in each one's language): what they are told (one
    date of a series skipped: that the series goes on, and when)."""
    effects = Effects()
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event_office", number=event_id)
        if not await event_store.cancel_event(session, event_id=event_id, reason=reason):
            raise UserError("events.already_cancelled", title=render.title_of(event))
        await session.refresh(event)
        effects.disarm += await event_store.drop_jobs(session, event_id=event_id)
        told = await notify.to_signed_up(
            session,
            services,
            event,
            notice,
            effects,
            kind="event_cancel",  # the reason is in the event's card (`render.summary`)
            details=details,
        )
        await notify.refresh_counts(session, services, event, effects)
    effects.apply(services)
    return event, told


def check_can_join(event: Event | None, member: Member, *, event_id: int, now: datetime) -> Event:
    """The sign-up rules with a clear answer for each refusal."""
    if event is None:
        raise UserError("events.unknown_event", number=event_id)
    if event.status != signups.OPEN:
        raise UserError("events.is_cancelled", title=render.title_of(event))
    if as_utc(event.starts_at) <= now:
        raise UserError("events.already_started", title=render.title_of(event))
    if event.deadline is not None and as_utc(event.deadline) <= now:
        raise UserError("events.deadline_passed", title=render.title_of(event))
    if not open_to(event, member):
        raise UserError("events.yp_only", title=render.title_of(event))
    return event


def open_to(event: Event, member: Member) -> bool:
    """Whether the member may sign up: young professionals' events are theirs alone."""
    return event.audience != "yp" or member.young_professional


def shown_to(event: Event, member: Member, *, office: bool) -> bool:
    """Whether the member sees the event in chat (lists, answers, choices): young
    professionals' events only young professionals and the office see (README, demo)."""
    return office or open_to(event, member)


async def seen_event(
    session: AsyncSession, member: Member, event_id: int, *, office: bool
) -> Event:
    """The event a member names by its number. A young professionals' event is, for anyone
    else, as if there were none (README: listed only for them and the office): the same
    answer as an unknown number, never its title. A member with a sign-up of their own (one
    who was a young professional then) still reaches it, to cancel it."""
    event = await event_store.get_event(session, event_id)
    if event is None:
        raise UserError("events.unknown_event", number=event_id)
    if shown_to(event, member, office=office):
        return event
    if await signups.find(session, event_id=event_id, member_id=member.id) is not None:
        return event
    raise UserError("events.unknown_event", number=event_id)


async def join_event(
    services: Services, member: Member, event_id: int, *, office: bool = False
) -> tuple[Event, signups.JoinResult]:
    """`office`: the member is an admin, who sees every event (and is refused a young
    professionals' one by name); anyone else is told there is no such event."""
    now = services.clock()
    effects = Effects()
    async with services.db.session() as session:
        found = await seen_event(session, member, event_id, office=office)
        event = check_can_join(found, member, event_id=event_id, now=now)
        result = await signups.join(session, event_id=event_id, member_id=member.id)
        if result.outcome == "closed":
            raise UserError("events.is_cancelled", title=render.title_of(event))
        if result.outcome != "already":
            await notify.refresh_counts(session, services, event, effects)
    effects.apply(services)
    return event, result


async def leave_event(
    services: Services, member: Member, event_id: int, *, office: bool = False
) -> tuple[Event, signups.LeaveResult]:
    now = services.clock()
    effects = Effects()
    async with services.db.session() as session:
        event = await seen_event(session, member, event_id, office=office)
        result = await signups.leave(session, event_id=event_id, member_id=member.id, now=now)
        if result.left:
            effects.disarm.append(schedule.offer_job_id(event_id, member.id))
            await event_store.drop_job(session, job_id=schedule.offer_job_id(event_id, member.id))
            await notify.promotions(session, services, event, result.promoted, effects)
            await notify.refresh_counts(session, services, event, effects)
    effects.apply(services)
    return event, result


async def accept_offer(
    services: Services, member: Member, event_id: int, *, office: bool = False
) -> Event:
    now = services.clock()
    effects = Effects()
    async with services.db.session() as session:
        event = await seen_event(session, member, event_id, office=office)
        if not await signups.accept_offer(session, event_id=event_id, member_id=member.id, now=now):
            raise UserError("events.no_offer", title=render.title_of(event))
        job_id = schedule.offer_job_id(event_id, member.id)
        await event_store.drop_job(session, job_id=job_id)
        effects.disarm.append(job_id)
    effects.apply(services)
    return event


async def move_up(
    services: Services, event_id: int, member_id: int, *, extra_place: bool = False
) -> Event:
    """The office moves a waiting member into a confirmed place by hand; the member is told.

    A full event refuses (`web_events.move_full`) unless the office chooses `extra_place`:
    then the capacity grows by one for this member, in the same UPDATE that takes the place.
    """
    effects = Effects()
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event_office", number=event_id)
        if event.status != signups.OPEN:
            raise UserError("events.is_cancelled", title=render.title_of(event))
        try:
            moved = await signups.move_up(
                session, event_id=event_id, member_id=member_id, extra_place=extra_place
            )
        except signups.NotWaiting:
            raise UserError("web_events.move_not_waiting") from None
        if not moved:
            raise UserError("web_events.move_full", count=event.capacity or 0)
        await session.refresh(event)
        promoted = [signups.Promotion(member_id, CONFIRMED, None)]
        await notify.promotions(session, services, event, promoted, effects)
        await notify.refresh_counts(session, services, event, effects)
    effects.apply(services)
    return event


async def record_attendance(services: Services, event_id: int, member_id: int, came: bool) -> None:
    """Check a signed-up member in at the event (or take it back): the attendance list."""
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event_office", number=event_id)
        at = services.clock() if came else None
        if not await signups.set_attended(session, event_id=event_id, member_id=member_id, at=at):
            raise UserError("web_events.not_signed_up")
