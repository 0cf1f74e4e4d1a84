"""Admins: /newevent (guided or one line), /editevent, /cancelevent, /attendees, polls."""

from __future__ import annotations

import asyncio

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.messages import Attachment, Button, Reply
from bot.router import Args, Param, Router
from handlers.events import confirmations, create_flow, editing, polls, render
from handlers.events.choosing import event_named, event_number, offer_choice
from handlers.events.export import (
    FILE_FORMATS,
    XLSX_MIME,
    Attendee,
    attendees_csv,
    attendees_xlsx,
    roster,
    status_text,
    when_text,
)
from handlers.events.form import draft_from_form
from storage import event_store, signups
from storage.events import CONFIRMED, Event

NUMBER = Param("number", "int", hint="events.numbers_in_list")
FILE = Param("file", "word", required=False)
# The buttons of an event an admin's command named by words that fit several: `eva:att:N`
# (and /editevent's `eva:edit:N`, handlers/events/editing.py).
ADMIN_BUTTONS, ATTENDEES = editing.ADMIN_BUTTONS, "att"
MAX_LIST_CHARS = 3500


async def new_event(ctx: Context, form: str) -> None:
    if not form.strip():
        await create_flow.start(ctx)
        return
    # The one-line form ends at the guided form's preview: nothing is stored before *Save*.
    tz, now = ctx.services.settings.network.tz, ctx.services.clock()
    await create_flow.confirm(ctx, draft_from_form(form, tz=tz, now=now))


async def attendees(ctx: Context, event_id: int, wanted: str = "") -> None:
    """A compact list for the phone, and the whole roster as XLSX and CSV (or the one asked for)."""
    formats = _file_formats(wanted)
    tz = ctx.services.settings.network.tz
    async with ctx.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event_office", number=event_id)
        rows = await signups.attendees(session, event_id=event_id)
    people = roster(rows, tz=tz)
    lines = [
        ctx.t(
            "events.attendees_header",
            number=event.id,
            title=render.title_of(event),
            count=len(rows),
        )
    ]
    used = len(lines[0])
    for shown, person in enumerate(people):
        line = ctx.t(
            "events.attendee_line",
            number=person.member_id,
            name=person.name or "–",
            organisation=person.organisation or "–",
            status=status_text(ctx.lang, person),
            when=when_text(ctx.lang, person.signed_up),
            contact=person.contact or "–",
        )
        # One chat message stays below Telegram's 4,096 characters; the files have everyone.
        if used + len(line) > MAX_LIST_CHARS:
            lines.append(ctx.t("events.attendees_more", more=len(rows) - shown))
            break
        lines.append(line)
        used += len(line) + 1
    await ctx.reply(Reply(Markup("\n".join(lines)), buttons=_message_buttons(ctx, event, people)))
    if not rows:
        return  # no roster to send: the count said so
    name = f"{ctx.t('events.attendees_file_name')}-{event.id}"
    files: list[Attachment] = []
    if "csv" in formats:
        files.append(Attachment(f"{name}.csv", attendees_csv(people, lang=ctx.lang), "text/csv"))
    if "xlsx" in formats:
        sheet = ctx.t("events.attendees_sheet")
        # openpyxl builds the file in Python: a long roster must not hold up other members.
        content = await asyncio.to_thread(attendees_xlsx, people, lang=ctx.lang, sheet=sheet)
        files.append(Attachment(f"{name}.xlsx", content, XLSX_MIME))
    for index, attachment in enumerate(files):
        text = ctx.t("events.attendees_files") if index == 0 else ""
        await ctx.reply(Reply(text=text, attachment=attachment))


def _message_buttons(
    ctx: Context, event: Event, people: list[Attendee]
) -> tuple[tuple[Button, ...], ...]:
    """A message to the people signed up, or to those waiting, as a broadcast is written
    (private chats only, where the broadcast's questions are asked)."""
    if not ctx.incoming.is_private:
        return ()
    waiting = any(person.status != CONFIRMED for person in people)
    signed = any(person.status == CONFIRMED for person in people)
    row = [
        Button(ctx.t(f"events.message_{kind}"), f"bc:{kind}:{event.id}")
        for kind, present in (("attendees", signed), ("waiting", waiting))
        if present
    ]
    return (tuple(row),) if row else ()


def _file_formats(wanted: str) -> tuple[str, ...]:
    """`xlsx`, `csv` or nothing (both); anything else is refused with the choices."""
    choice = wanted.strip().lower().lstrip(".")
    if not choice:
        return FILE_FORMATS
    if choice in FILE_FORMATS:
        return (choice,)
    raise UserError("events.attendees_bad_format", given=wanted[:20])


def register(router: Router) -> None:
    confirmations.register(router)

    @router.command(
        "newevent",
        help_key="events.help_newevent",
        group="events",
        order=1,
        params=(Param("form", required=False),),
        admin=True,
        german="neuertermin",
    )
    async def new_event_command(ctx: Context, args: Args) -> None:
        await new_event(ctx, args.text("form"))

    @router.command(
        "editevent",
        help_key="events.help_editevent",
        group="events",
        order=2,
        # the event by its number or by words of it ("Workshop"), then the change: split
        # where the change starts (`form.split_reference`), not at the first space
        params=(Param("event", "word", required=False), Param("form", required=False)),
        admin=True,
        german="terminaendern",
    )
    async def edit_event_command(ctx: Context, args: Args) -> None:
        await editing.edit_event(ctx, f"{args.text('event')} {args.text('form')}")

    @router.command(
        "cancelevent",
        help_key="events.help_cancelevent",
        group="events",
        order=3,
        params=(NUMBER,),
        admin=True,
        german="absagen",
    )
    async def cancel_event_command(ctx: Context, args: Args) -> None:
        await confirmations.ask_reason(ctx, args.int("number"))

    @router.command(
        "attendees",
        help_key="events.help_attendees",
        group="events",
        order=4,
        params=(Param("event", "word", required=False), FILE),
        admin=True,
        german="teilnehmer",
    )
    async def attendees_command(ctx: Context, args: Args) -> None:
        if not args.has("event"):  # the upcoming events, a button each
            async with ctx.db.session() as session:
                upcoming = await event_store.upcoming(session, after=ctx.services.clock())
            if not upcoming:
                raise UserError("events.none_upcoming")
            which = ctx.t("events.which_one")
            await offer_choice(ctx, upcoming, ATTENDEES, which, ADMIN_BUTTONS)
            return
        # a number, or a word of the event's kind, title or place ("/teilnehmer Workshop")
        event_id = await event_named(ctx, args.text("event"), ATTENDEES, ADMIN_BUTTONS)
        if event_id is not None:
            await attendees(ctx, event_id, args.text("file"))

    @router.button(ADMIN_BUTTONS, admin=True)
    async def on_admin_button(ctx: Context, parts: list[str]) -> None:
        if parts[:1] == [editing.EDIT]:
            await editing.edit_tapped(ctx, event_number(parts))
            return
        if parts[:1] != [ATTENDEES]:
            raise UserError("errors.stale_button")
        await attendees(ctx, event_number(parts))

    @router.command(
        "eventpoll",
        help_key="events.help_eventpoll",
        group="events",
        order=5,
        params=(NUMBER, Param("poll")),
        admin=True,
        german="umfrage",
    )
    async def poll_command(ctx: Context, args: Args) -> None:
        await confirmations.ask_poll(ctx, args.int("number"), args.text("poll"))

    @router.command(
        "pollresults",
        help_key="events.help_pollresults",
        group="events",
        order=6,
        params=(NUMBER,),
        admin=True,
        german="umfrageergebnis",
    )
    async def poll_results_command(ctx: Context, args: Args) -> None:
        await polls.results(ctx, args.int("number"))
