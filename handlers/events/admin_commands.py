"""Admins: /newevent (guided or one line), /editevent, /cancelevent, /attendees, polls."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.messages import Attachment, Reply
from bot.router import Args, Param, Router
from handlers.events import create_flow, polls, service
from handlers.events.export import attendees_csv
from handlers.events.form import draft_from_form
from storage import event_store, signups
from storage.events import WAITLISTED

NUMBER = Param("number", "int")
MAX_LIST_CHARS = 3500


async def new_event(ctx: Context, form: str) -> None:
    if not form.strip():
        await create_flow.start(ctx)
        return
    draft = draft_from_form(form, tz=ctx.services.settings.network.tz)
    created = await service.create_event(ctx.services, draft, created_by=ctx.member.id)
    await ctx.say(
        "events.created",
        number=created.event.id,
        title=created.event.title,
        reached=created.announced_to,
    )


async def attendees(ctx: Context, event_id: int) -> None:
    """The list as text and as a CSV file."""
    tz = ctx.services.settings.network.tz
    async with ctx.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event", number=event_id)
        rows = await signups.attendees(session, event_id=event_id)
    lines = [ctx.t("events.attendees_header", number=event.id, title=event.title, count=len(rows))]
    used = len(lines[0])
    rank = 0
    for shown, (signup, member) in enumerate(rows):
        if signup.status == WAITLISTED:
            rank += 1
        line = ctx.t(
            "events.attendee_line",
            number=member.id,
            name=member.display_name or "–",
            organisation=member.organisation or "–",
            status=ctx.t(f"events.status_{signup.status}", rank=rank),
        )
        # One chat message stays below Telegram's 4,096 characters; the file has everyone.
        if used + len(line) > MAX_LIST_CHARS:
            lines.append(ctx.t("events.attendees_more", more=len(rows) - shown))
            break
        lines.append(line)
        used += len(line) + 1
    await ctx.reply(Markup("\n".join(lines)))
    content = attendees_csv(rows, tz=tz)
    attachment = Attachment(f"attendees-event-{event.id}.csv", content, "text/csv")
    await ctx.reply(Reply(text=ctx.t("events.attendees_file"), attachment=attachment))


def register(router: Router) -> None:
    @router.command(
        "newevent",
        help_key="events.help_newevent",
        params=(Param("form", required=False),),
        admin=True,
        aliases=("neuertermin",),
    )
    async def new_event_command(ctx: Context, args: Args) -> None:
        await new_event(ctx, args.text("form"))

    @router.command(
        "editevent",
        help_key="events.help_editevent",
        params=(NUMBER, Param("form")),
        admin=True,
        aliases=("terminaendern",),
    )
    async def edit_event_command(ctx: Context, args: Args) -> None:
        event, told = await service.edit_event(ctx.services, args.int("number"), args.text("form"))
        await ctx.say("events.edited", number=event.id, title=event.title, told=told)

    @router.command(
        "cancelevent",
        help_key="events.help_cancelevent",
        params=(NUMBER,),
        admin=True,
        aliases=("absagen",),
    )
    async def cancel_event_command(ctx: Context, args: Args) -> None:
        event, told = await service.cancel_event(ctx.services, args.int("number"))
        await ctx.say("events.cancelled", number=event.id, title=event.title, told=told)

    @router.command(
        "attendees",
        help_key="events.help_attendees",
        params=(NUMBER,),
        admin=True,
        aliases=("teilnehmer",),
    )
    async def attendees_command(ctx: Context, args: Args) -> None:
        await attendees(ctx, args.int("number"))

    @router.command(
        "eventpoll",
        help_key="events.help_eventpoll",
        params=(NUMBER, Param("text")),
        admin=True,
        aliases=("umfrage",),
    )
    async def poll_command(ctx: Context, args: Args) -> None:
        await polls.create(ctx, args.int("number"), args.text("text"))

    @router.command(
        "pollresults",
        help_key="events.help_pollresults",
        params=(NUMBER,),
        admin=True,
        aliases=("umfrageergebnis",),
    )
    async def poll_results_command(ctx: Context, args: Args) -> None:
        await polls.results(ctx, args.int("number"))
