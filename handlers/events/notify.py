"""Messages to people who did not just write: announcements, count edits, reminders, notices.

Everything goes through the outbox inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery import (
    delivery_account,
    enqueue_for_member,
    enqueue_to_chat,
    reply_to_payload,
)
from bot.i18n import LANGUAGES, Markup, normalise_language, t
from bot.messages import Button, Reply
from bot.office import tell_admins
from bot.services import Services
from handlers.events import render
from handlers.events.dates import show_when
from handlers.events.effects import Effects
from handlers.members.rules import has_topic
from storage import event_store, members, signups
from storage import series as series_store
from storage.event_store import as_utc
from storage.events import CONFIRMED, OFFERED, WAITLISTED, Event, EventJob, EventSignup
from storage.models import Member

# How long after a count change to look again at an announcement that was in flight.
COUNT_RECHECK = timedelta(seconds=1)


def group_targets(settings: Settings, event: Event) -> list[tuple[str, str]]:
    """Announcement chats and rooms; the young professionals' ones for YP events and excursions."""
    targets: list[tuple[str, str]] = []
    if event.audience != "yp":
        targets += [("telegram", str(chat)) for chat in settings.telegram.announcement_chats]
        targets += [("matrix", room) for room in settings.matrix.announcement_rooms]
    if event.audience == "yp" or event.kind == "excursion":
        if settings.telegram.young_professionals_chat is not None:
            targets.append(("telegram", str(settings.telegram.young_professionals_chat)))
        if settings.matrix.young_professionals_room:
            targets.append(("matrix", settings.matrix.young_professionals_room))
    return list(dict.fromkeys(targets))


async def audience_of(session: AsyncSession, event: Event) -> list[Member]:
    """Members subscribed to news in the event's audience whom a message reaches (an imported
    member without a chat account is not counted as announced to); a topic is read as
    broadcasts read it (both languages, any inflection: `topic:battery` reaches
    "Batterierecycling")."""
    found = await event_store.audience_members(
        session, young_professionals_only=event.audience == "yp"
    )
    found = [member for member in found if delivery_account(member) is not None]
    if not event.audience.startswith("topic:"):
        return found
    topic = event.audience.removeprefix("topic:")
    return [member for member in found if has_topic(member.topics, topic)]


async def _send(
    session: AsyncSession, effects: Effects, member: Member, reply: Reply, kind: str
) -> None:
    if await enqueue_for_member(session, member=member, reply=reply, kind=kind) is not None:
        effects.queued += 1


async def announce(
    session: AsyncSession, services: Services, event: Event, effects: Effects
) -> int:
    """Post to the groups (refs kept for live counts) and to subscribed members in the audience."""
    settings = services.settings
    tz, group_lang = settings.network.tz, settings.network.default_language
    await event_store.mark_announced(session, event_id=event.id, at=services.clock())
    taken, waiting = await signups.counts(session, event_id=event.id)
    series = await series_store.get_series(session, event.series_id)
    for platform, chat_id in group_targets(settings, event):
        reply = render.announcement(
            group_lang, event, tz=tz, taken=taken, waiting=waiting, series=series
        )
        message = await enqueue_to_chat(
            session, platform=platform, chat_id=chat_id, reply=reply, kind="event_announcement"
        )
        await event_store.add_announcement(
            session,
            event_id=event.id,
            platform=platform,
            chat_id=message.chat_id or chat_id,
            outbox_id=message.id,
        )
        effects.queued += 1
    audience = await audience_of(session, event)
    # A member is offered what applies to them: "Abmelden" only to those signed up already.
    statuses = (CONFIRMED, OFFERED, WAITLISTED)
    signed_up = {
        m.id for _s, m in await signups.attendees(session, event_id=event.id, statuses=statuses)
    }
    for member in audience:
        reply = render.announcement(
            member.language,
            event,
            tz=tz,
            taken=taken,
            waiting=waiting,
            series=series,
            signed_up=member.id in signed_up,
        )
        await _send(session, effects, member, reply, "event_announcement")
    return len(audience)


async def refresh_counts(
    session: AsyncSession, services: Services, event: Event, effects: Effects
) -> None:
    """Edit the group announcements to show the live count (edits still queued coalesce).

    An announcement not sent yet goes out with the current count. While the announcement or an
    edit of it is in flight (a worker holds it, waiting for the group's rate limit or for the
    outcome to be recorded), no further edit is queued: a "count" job looks again shortly and
    then sends one edit with the count of that time, so a burst of joins costs a few edits.
    """
    from handlers.events.schedule import count_job_id

    refs = await event_store.announcement_refs(session, event_id=event.id)
    if not refs:
        return
    settings = services.settings
    taken, waiting = await signups.counts(session, event_id=event.id)
    current = render.announcement(
        settings.network.default_language,
        event,
        tz=settings.network.tz,
        taken=taken,
        waiting=waiting,
        series=await series_store.get_series(session, event.series_id),
    )
    recheck = False
    for message in await event_store.unsent_announcements(session, event_id=event.id):
        if message.status == "pending":
            message.payload = reply_to_payload(current)
        elif message.status == "sending":
            recheck = True
    for platform, chat_id, ref in refs:
        if ref is None:
            continue  # handled above
        in_flight = await event_store.pending_edit(
            session, platform=platform, chat_id=chat_id, edit_ref=ref, status="sending"
        )
        if in_flight is not None:
            recheck = True
            continue
        reply = replace(current, edit_ref=ref)
        queued = await event_store.pending_edit(
            session, platform=platform, chat_id=chat_id, edit_ref=ref
        )
        if queued is not None:
            queued.payload = reply_to_payload(reply)
            continue
        await enqueue_to_chat(
            session, platform=platform, chat_id=chat_id, reply=reply, kind="event_count"
        )
        effects.queued += 1
    if recheck:
        job_id = count_job_id(event.id)
        run_at = services.clock() + COUNT_RECHECK
        await event_store.put_job(
            session, job_id=job_id, event_id=event.id, kind="count", run_at=run_at
        )
        effects.arm.append((job_id, run_at))


async def promotions(
    session: AsyncSession,
    services: Services,
    event: Event,
    promoted: Iterable[signups.Promotion],
    effects: Effects,
) -> None:
    """Tell who moved up; an offer gets accept/decline buttons and an expiry job."""
    from handlers.events.schedule import offer_job_id

    tz = services.settings.network.tz
    promoted = list(promoted)
    found = await event_store.members_by_id(session, [p.member_id for p in promoted])
    for promotion in promoted:
        member = found.get(promotion.member_id)
        if member is None:
            continue
        lang = member.language
        if promotion.status == OFFERED and promotion.offer_expires_at is not None:
            until = show_when(promotion.offer_expires_at, lang=lang, tz=tz)
            text = t(
                lang, "events.offered", title=render.title_of(event), number=event.id, until=until
            )
            buttons: tuple[tuple[Button, ...], ...] = (
                (
                    Button(t(lang, "events.btn_accept"), f"ev:accept:{event.id}"),
                    Button(t(lang, "events.btn_decline"), f"ev:leave:{event.id}"),
                ),
            )
            answers = render.offer_answers(event)
            job_id = offer_job_id(event.id, member.id)
            await event_store.put_job(
                session,
                job_id=job_id,
                event_id=event.id,
                kind="offer",
                run_at=promotion.offer_expires_at,
                member_id=member.id,
            )
            effects.arm.append((job_id, promotion.offer_expires_at))
        else:
            text = t(lang, "events.promoted", title=render.title_of(event), number=event.id)
            answers = {}
            buttons = (
                (
                    Button(t(lang, "events.btn_calendar"), f"ev:ics:{event.id}"),
                    Button(t(lang, "events.btn_leave"), f"ev:leave:{event.id}"),
                ),
            )
        reply = Reply(text=text, buttons=buttons, metadata=answers)
        await _send(session, effects, member, reply, "event_promotion")


async def to_signed_up(
    session: AsyncSession,
    services: Services,
    event: Event,
    key: str,
    effects: Effects,
    *,
    statuses: tuple[str, ...] = (CONFIRMED, OFFERED, WAITLISTED),
    kind: str,
    with_buttons: bool = False,
    details: Callable[[str], str] | None = None,
    languages: Collection[str] = LANGUAGES,
) -> int:
    """One notice (change, cancellation, reminder) to everyone signed up with these statuses
    who reads one of `languages` (an edit of the English title alone is no news to those
    reading German); `details` gives the lines under its heading in each one's language
    (what changed, the admin's reason)."""
    tz = services.settings.network.tz
    rows = await _attendees(session, event, statuses, languages)
    taken, waiting = await signups.counts(session, event_id=event.id)
    for _signup, member in rows:
        lang = member.language
        body = render.summary(lang, event, tz=tz, taken=taken, waiting=waiting)
        head = t(lang, key, title=render.title_of(event), number=event.id)
        if details is not None and (more := details(lang)):
            head = Markup(head + "\n" + more)
        text = Markup(head + "\n\n" + body)
        buttons: tuple[tuple[Button, ...], ...] = ()
        if with_buttons:
            buttons = (
                (
                    Button(t(lang, "events.btn_calendar"), f"ev:ics:{event.id}"),
                    Button(t(lang, "events.btn_leave"), f"ev:leave:{event.id}"),
                ),
            )
        await _send(session, effects, member, Reply(text=text, buttons=buttons), kind)
    return len(rows)


async def _attendees(
    session: AsyncSession, event: Event, statuses: tuple[str, ...], languages: Collection[str]
) -> list[tuple[EventSignup, Member]]:
    rows = await signups.attendees(session, event_id=event.id, statuses=statuses)
    return [row for row in rows if normalise_language(row[1].language) in languages]


async def signed_up_count(
    session: AsyncSession, event: Event, *, languages: Collection[str] = LANGUAGES
) -> int:
    """How many `to_signed_up` would tell (confirmed, offered and waitlisted)."""
    statuses = (CONFIRMED, OFFERED, WAITLISTED)
    return len(await _attendees(session, event, statuses, languages))


async def announcement_reach(
    session: AsyncSession, services: Services, event: Event
) -> render.Reach:
    """How many chats, rooms and members `announce` would write to, without writing."""
    audience = await audience_of(session, event)
    return render.Reach(chats=len(group_targets(services.settings, event)), members=len(audience))


async def remind(session: AsyncSession, services: Services, event: Event, effects: Effects) -> int:
    return await to_signed_up(
        session,
        services,
        event,
        "events.reminder",
        effects,
        statuses=(CONFIRMED,),
        kind="event_reminder",
        with_buttons=True,
    )


async def offer_lapsed(
    session: AsyncSession, event: Event, member_id: int, effects: Effects
) -> None:
    member = await members.get_member(session, member_id)
    if member is not None:
        text = t(
            member.language, "events.offer_lapsed", title=render.title_of(event), number=event.id
        )
        await _send(session, effects, member, Reply(text=text), "event_promotion")


async def missed_job(
    session: AsyncSession,
    services: Services,
    job: EventJob,
    event: Event,
    now: datetime,
    effects: Effects,
) -> None:
    """A job missed while the bot was down, too late to be useful: the admins hear of it."""
    tz = services.settings.network.tz

    def notice(lang: str) -> Reply:
        due = show_when(as_utc(job.run_at), lang=lang, tz=tz)
        values = {
            "job": job.job_id,
            "title": render.title_of(event),
            "number": event.id,
            "due": due,
        }
        return Reply(text=t(lang, "events.missed_job", **values))

    effects.queued += len(await tell_admins(session, services.settings, notice, "event_admin"))
