"""Members: /events, /event N, /join N, /leave N, /myevents, /calendarfile [N] and the event
buttons."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.context import Context
from bot.delivery import enqueue_for_member
from bot.errors import UserError
from bot.i18n import Markup, file_prefix
from bot.messages import (
    KEEPS_CHOICES,
    MEANT_COMMAND,
    NO_SAYS,
    YES_ASKS_WHICH,
    YES_PRESSES,
    Button,
    Reply,
    plain_text,
)
from bot.router import Args, Param, Router
from bot.textmatch.normalize import fold
from handlers.events import editing, pending, render, service
from handlers.events.calendar import ics_attachment
from handlers.events.choosing import (
    MAX_CHOICES,
    button_label,
    event_named,
    event_number,
    offer_choice,
)
from handlers.events.dates import show_when
from handlers.events.naming import brings_others, names_another_person
from handlers.members.miniapp_auth import page_button
from handlers.members.profile import name_button
from handlers.members.rules import has_person_name, is_given
from storage import event_store, members, signups
from storage import series as series_store
from storage.events import CONFIRMED, OFFERED, WAITLISTED, Event, EventSignup
from storage.models import Member

POPUP_LIMIT = 200
MAX_OWN_EVENTS = 25
# /events lists this many, from this many upcoming ones (some are not for everyone).
MAX_LISTED = 10
LIST_LOOKAHEAD = 50


async def answer(
    ctx: Context,
    text: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    *,
    listed: bool = False,
    answers: dict[str, str] | None = None,
) -> None:
    """In a private chat a message; a button pressed in a group gets a short popup only.

    `listed`: the answer to one item of /pending's list, which keeps the list's choices; an
    answer with buttons of its own only while another item still waits (with none, the list's
    numbers answer nothing: its buttons are numbered from 1, not on after them); `answers`:
    what a typed yes or no answers (`messages.YES_PRESSES`)."""
    if ctx.incoming.is_private or ctx.incoming.payload is None:
        keeps = listed and (not buttons or await pending.anything_waits(ctx))
        metadata = {KEEPS_CHOICES: "yes"} if keeps else dict(answers or {})
        await ctx.reply(Reply(text=text, buttons=buttons, metadata=metadata))
    else:
        await ctx.reply(Reply(popup=plain_text(text)[:POPUP_LIMIT]))


async def offer_open(ctx: Context, action: str) -> None:
    """The upcoming events the member may join, as buttons that do `action`: a command given
    without an event ("/anmelden" alone had only said how to write it)."""
    async with ctx.db.session() as session:
        upcoming = await event_store.upcoming(
            session, after=ctx.services.clock(), limit=LIST_LOOKAHEAD
        )
    found = [e for e in upcoming if service.open_to(e, ctx.member)]
    if not found:
        await ctx.say("events.none_upcoming")
        return
    await ask_which(ctx, found, action)


async def offer_own(ctx: Context) -> None:
    """The member's upcoming sign-ups, as buttons that cancel them: "/abmelden" alone."""
    async with ctx.db.session() as session:
        mine = await signups.member_signups(
            session, member_id=ctx.member.id, after=ctx.services.clock()
        )
    if not mine:
        await ctx.say("events.no_own_events")
        return
    events = [event for _signup, event in mine[:MAX_OWN_EVENTS]]
    await offer_choice(ctx, events, "leave", ctx.t("events.leave_which"))


async def ask_which(ctx: Context, events: Sequence[Event], action: str) -> None:
    """ "Welche Veranstaltung meinen Sie?" with each event's line (its date tells them apart
    where titles look alike, and a button's title may be cut) and a button each that does
    `action`."""
    shown = events[:MAX_CHOICES]
    lines = [ctx.t("events.which_one"), *await list_lines(ctx, shown)]
    await offer_choice(ctx, shown, action, Markup("\n".join(lines)))


async def _own_signups(ctx: Context) -> list[tuple[EventSignup, Event, int]]:
    """The member's sign-ups for upcoming events, soonest first, each with its place on the
    waiting list (0 when not waiting)."""
    async with ctx.db.session() as session:
        mine = await signups.member_signups(
            session, member_id=ctx.member.id, after=ctx.services.clock()
        )
        return [
            (
                signup,
                event,
                await signups.waitlist_rank(session, event_id=event.id, position=signup.position)
                if signup.status == WAITLISTED
                else 0,
            )
            for signup, event in mine
        ]


async def show_event(ctx: Context, event_id: int) -> None:
    tz = ctx.services.settings.network.tz
    async with ctx.db.session() as session:
        # a young professionals' event, for anyone else: as if there were none
        event = await service.seen_event(session, ctx.member, event_id, office=ctx.is_admin)
        taken, waiting = await signups.counts(session, event_id=event_id)
        mine = await signups.find(session, event_id=event_id, member_id=ctx.member.id)
        series = await series_store.get_series(session, event.series_id)
        rank = 0
        if mine is not None and mine.status == WAITLISTED:
            rank = await signups.waitlist_rank(session, event_id=event_id, position=mine.position)
    text = render.summary(ctx.lang, event, tz=tz, taken=taken, waiting=waiting)
    buttons = render.signup_buttons(ctx.lang, event, signed_up=mine is not None)
    answers: dict[str, str] = {}
    if mine is None and buttons:
        # Details with "Anmelden" read as an offer: a typed "ja" signs up as the button does
        # (it had been taken for small talk, "👍 Alles klar", as if signed up); "nein" nobody.
        title = render.title_of(event)
        not_now = ctx.t("events.live_signup_not", title=title, number=event.id)
        answers = {YES_PRESSES: buttons[0][0].payload, NO_SAYS: str(not_now)}
    if mine is not None:
        text = Markup(text + "\n\n" + status_line(ctx, mine, rank, event))
        if offer_runs(mine, ctx.services.clock()) and buttons:
            # "Anmelden" would only say "you have an offer": the answer is to take it here.
            buttons = render.offer_buttons(ctx.lang, event) + buttons[1:]
            answers = render.offer_answers(event)
    if series is not None and buttons:
        # An occurrence of a recurring meeting: it says so, and signs up for all its dates.
        text, buttons = render.with_series(ctx.lang, text, buttons, series)
    await answer(ctx, text, buttons, answers=answers)


def offer_runs(signup: EventSignup, now: datetime) -> bool:
    expires = signup.offer_expires_at
    return signup.status == OFFERED and expires is not None and event_store.as_utc(expires) > now


def status_line(
    ctx: Context,
    signup: EventSignup,
    rank: int,
    event: Event | None = None,
    *,
    short: bool = False,
) -> Markup:
    """The member's sign-up as a sentence under the event ("Sie sind angemeldet."), or
    `short` as the end of its line in /meinetermine ("angemeldet"): a few words."""
    if event is not None and event.status == event_store.CANCELLED:
        return ctx.t("events.you_were_signed_up")
    form = "events.mine_" if short else "events.you_"
    if signup.status == CONFIRMED:
        return ctx.t(form + "confirmed")
    if signup.status == OFFERED:
        expires = signup.offer_expires_at
        tz = ctx.services.settings.network.tz
        until = show_when(event_store.as_utc(expires), lang=ctx.lang, tz=tz) if expires else "–"
        return ctx.t(form + "offered", until=until)
    return ctx.t(form + "waiting", rank=rank)


async def take_offer(ctx: Context, event_id: int, *, listed: bool = False) -> None:
    """Accept an offered place: the accept button, /join on an offer and /pending all land here.

    `listed`: taken in /pending's list; its cancel and calendar buttons are numbered on after
    the list's where choices are typed, whose other items still answer by their numbers."""
    event = await service.accept_offer(ctx.services, ctx.member, event_id, office=ctx.is_admin)
    buttons = render.signup_buttons(ctx.lang, event, signed_up=True)
    text = ctx.t("events.offer_accepted", title=render.title_of(event))
    await answer(ctx, text, buttons, listed=listed)


# What a sign-up's confirmation adds, by (a name is known, the member introduced themselves).
ROSTER_HINTS = {
    (True, True): "",
    (True, False): "events.joined_introduce",
    (False, True): "events.joined_name",
    (False, False): "events.joined_name_introduce",
}


async def join(ctx: Context, event_id: int, *, note: str = "") -> None:
    """Sign the member up; `note` (that each person signs up alone) is part of the answer,
    above its buttons, not a message after them."""
    event, result = await service.join_event(
        ctx.services, ctx.member, event_id, office=ctx.is_admin
    )
    if result.outcome == "already" and result.status == OFFERED:
        if note:
            await ctx.reply(Markup(note))  # first: the offer's answer has its buttons
        await take_offer(ctx, event_id)
        return
    async with ctx.db.session() as session:
        taken, waiting = await signups.counts(session, event_id=event_id)
    count = render.count_label(ctx.lang, event, taken, waiting)
    values = {"title": render.title_of(event), "number": event.id, "count": count}
    if result.outcome == CONFIRMED:
        text = ctx.t("events.joined", **values)
    elif result.outcome == WAITLISTED:
        text = ctx.t("events.waitlisted", rank=result.rank, **values)
    elif result.status == CONFIRMED:
        text = ctx.t("events.already_confirmed", **values)
    else:
        async with ctx.db.session() as session:
            rank = await signups.waitlist_rank(session, event_id=event_id, position=result.position)
        text = ctx.t("events.already_waiting", rank=rank, **values)
    nameless = False
    if result.outcome in (CONFIRMED, WAITLISTED):
        # what the office's roster would lack: a name (a directory entry, the console's id;
        # a company's gate list needs one), who they are (only a chat name)
        introduced = ctx.member.onboarded or bool(ctx.member.organisation)
        nameless = not has_person_name(ctx.member)
        key = ROSTER_HINTS[not nameless, introduced]
        if key:
            text = Markup(text + "\n\n" + ctx.t(key))
    if note:
        text = Markup(text + "\n\n" + note)
    # Cancelling is one tap away from the confirmation, as it is from the invitation.
    status = result.outcome if result.outcome in (CONFIRMED, WAITLISTED) else result.status
    if status == CONFIRMED:
        buttons = render.signup_buttons(ctx.lang, event, signed_up=True)
    else:
        buttons = ((Button(ctx.t("events.btn_leave"), f"ev:leave:{event.id}"),),)
    if nameless:  # a tap asks for it; typed under it, it is taken (`profile.name_typed`)
        buttons = (*buttons, name_button(ctx.lang))
    await answer(ctx, text, buttons)


async def leave(ctx: Context, event_id: int, *, listed: bool = False) -> None:
    """Cancel a sign-up or decline an offered place (`listed`: in /pending's list)."""
    event, result = await service.leave_event(
        ctx.services, ctx.member, event_id, office=ctx.is_admin
    )
    title = render.title_of(event)
    if not result.left:
        text = ctx.t("events.not_signed_up", title=title, number=event.id)
    elif result.left == WAITLISTED:
        text = ctx.t("events.left_waitlist", title=title)
    elif result.left == OFFERED:
        # They never held the place: it was offered; declining it also ends their waiting.
        key = "events.declined_offer" if result.promoted else "events.declined_offer_free"
        text = ctx.t(key, title=title)
    elif result.promoted:
        text = ctx.t("events.left", title=title)
    elif event.capacity is None:  # no limit: there is no place to speak of
        text = ctx.t("events.left_unlimited", title=title)
    else:  # nobody was waiting: the place is simply free again
        text = ctx.t("events.left_free", title=title)
    await answer(ctx, text, listed=listed)


async def cancel_for_others(ctx: Context, own: Sequence[Event]) -> None:
    """A member cancelling for someone else ("Bitte melden Sie meinen Kollegen ab"): each
    person cancels their own sign-up, as each signs up on their own; the member's own
    sign-ups (`own`: those the message may mean) are kept, and nothing is offered to cancel,
    so that a "ja" after it cancels nothing."""
    kept: Markup | str = ""
    if len(own) == 1:
        kept = ctx.t("events.cancel_each_own_kept", title=render.title_of(own[0]))
    elif own:
        kept = ctx.t("events.cancel_each_own_kept_all")
    await ctx.reply(Reply(text=ctx.t("events.cancel_each_own", kept=kept)))


async def _own_named(ctx: Context, text: str) -> list[Event]:
    """The member's upcoming sign-ups (or places waited for) of the numbers `text` names;
    all of them where it names none."""
    numbers = {int(n) for n in re.findall(r"\d{1,9}", text)}
    async with ctx.db.session() as session:
        mine = await signups.member_signups(
            session, member_id=ctx.member.id, after=ctx.services.clock()
        )
    return [event for _signup, event in mine if not numbers or event.id in numbers]


async def answer_listed_offer(ctx: Context, action: str, event_id: int) -> None:
    """An offer's button in /pending's list: what it says keeps the list's choices, and so
    does a refusal (the place taken already, the offer run out), so that the other items are
    answered one after another by their numbers where choices are typed."""
    try:
        if action == "accept":
            await take_offer(ctx, event_id, listed=True)
        elif action == "leave":
            await leave(ctx, event_id, listed=True)
        else:
            raise UserError("errors.stale_button")
    except UserError as refused:
        text = ctx.t(refused.key, **refused.values)
        await ctx.reply(Reply(text=text, metadata={KEEPS_CHOICES: "yes"}))


async def send_calendar(
    ctx: Context, event_id: int | None, buttons: tuple[tuple[Button, ...], ...] = ()
) -> None:
    """The calendar file of one event, or of the member's own sign-ups; `buttons`: below it
    in a private chat (the event's details, which keep it the one a next question means)."""
    tz, now = ctx.services.settings.network.tz, ctx.services.clock()
    async with ctx.db.session() as session:
        if event_id is not None:
            # one event's file: its title is in it, so only for those who see the event
            event = await service.seen_event(session, ctx.member, event_id, office=ctx.is_admin)
            chosen: list[Event] = [event]
            filename = f"{file_prefix()}-event-{event_id}.ics"
        else:
            mine = await signups.member_signups(session, member_id=ctx.member.id, after=now)
            chosen = [e for s, e in mine if s.status in (CONFIRMED, OFFERED)]
            filename = f"{file_prefix()}-my-events.ics"
    if not chosen:
        raise UserError("events.no_own_events")
    attachment = ics_attachment(chosen, tz=tz, now=now, filename=filename, lang=ctx.lang)
    reply = Reply(text=ctx.t("events.calendar_file", count=len(chosen)), attachment=attachment)
    if ctx.incoming.is_private or ctx.incoming.payload is None:
        await ctx.reply(replace(reply, buttons=buttons))
        return
    # A button pressed in a group: the file goes to the member privately, not to the group.
    async with ctx.db.session() as session:
        member = await members.get_member(session, ctx.member.id)
        queued = member is not None and await enqueue_for_member(
            session, member=member, reply=reply, kind="event_calendar"
        )
    ctx.services.outbox_wakeup()
    key = "events.calendar_sent_privately" if queued else "events.calendar_no_private_chat"
    await answer(ctx, ctx.t(key))


# Words that ask for young people's events: "junge Leute", "Doktoranden", "phd students".
_YOUNG_PEOPLE = re.compile(
    r"\b(?:jung\w*|young\w*|nachwuchs\w*|student\w*|studierend\w*|doktorand\w*|"
    r"promovierend\w*|phd\w*|berufseinsteiger\w*|early[- ]career|graduates?|absolvent\w*|"
    r"yps?|trainees?|azubis?)\b"
)


def asks_for_young_people(text: str) -> bool:
    """Whether a message asks about young people ("für junge Leute", "for PhD students")."""
    return bool(_YOUNG_PEOPLE.search(fold(text, plain_umlauts=True)))


async def list_events(ctx: Context) -> None:
    """The upcoming events the member may join, as the events page lists them: young
    professionals' events only for young professionals (service.shown_to). An admin sees
    every one (`/event N` opens each), those for young professionals marked so."""
    now = ctx.services.clock()
    async with ctx.db.session() as session:
        upcoming = await event_store.upcoming(session, after=now, limit=LIST_LOOKAHEAD)
    found = [e for e in upcoming if service.shown_to(e, ctx.member, office=ctx.is_admin)]
    # Asked for events for young people ("für junge Leute wie Doktoranden"), a member who is no
    # young professional hears that there are such events and how to see them (not which).
    hidden = len(found) < len(upcoming) and asks_for_young_people(ctx.incoming.text)
    hint = ctx.t("events.yp_events_hidden") if hidden else None
    found = found[:MAX_LISTED]
    if not found:
        await ctx.say("events.none_upcoming")
        if hint is not None:
            await ctx.reply(hint)
        return
    # On Telegram the same list opens as a page inside the app (the Mini App).
    heading = ctx.t("events.list_header")
    await show_event_list(ctx, heading, found, extra=page_button(ctx), footer=hint)


async def show_event_list(
    ctx: Context,
    heading: str,
    events: Sequence[Event],
    *,
    extra: Button | None = None,
    footer: str | None = None,
    yes_presses_extra: bool = False,
) -> None:
    """A heading and the events, one line each with date and count (and "young
    professionals only" where only they see it), a button each (and `extra` last); `footer`
    after a blank line. `yes_presses_extra`: the heading asks what `extra` answers ("Gehören
    Sie dazu?"), so a typed "ja" presses it."""
    lines = [heading, *await list_lines(ctx, events)]
    if footer is not None:
        lines += ["", footer]
    buttons = [
        (Button(button_label(event, ctx.lang), f"ev:show:{event.id}", item=event.id),)
        for event in events
    ]
    if extra is not None:
        buttons.append((extra,))
    # The list numbers its events: where choices are typed (console, Matrix) its buttons are
    # lettered, so that a typed "1" is no press of the first button (event 3); a typed "3"
    # presses event 3's (`Button.item`). A typed "ja" names none of them: asked which one.
    metadata = {"typed": "number", YES_ASKS_WHICH: "yes"}
    if yes_presses_extra and extra is not None:
        metadata = {"typed": "number", YES_PRESSES: extra.payload}
    await ctx.reply(Reply(text=Markup("\n".join(lines)), buttons=tuple(buttons), metadata=metadata))


async def events_for_new_young_professional(ctx: Context, before: Member | None) -> None:
    """A member who just said they are a young professional sees the events that were
    hidden from them until now (those a poll asks about come with the poll, `pending`), and,
    not registered and never asked, is offered the news that announce new ones; not at the
    end of the registration (`before` None), whose welcome points to /termine."""
    if before is None or before.young_professional or not ctx.member.young_professional:
        return
    now = ctx.services.clock()
    async with ctx.db.session() as session:
        upcoming = await event_store.upcoming(session, after=now, limit=LIST_LOOKAHEAD)
        polled = {
            event.id
            for _poll, event in (
                await pending.find_waiting(session, member=ctx.member, now=now)
            ).polls
        }
    opened = [
        event
        for event in upcoming
        if event.audience == "yp"
        and event.id not in polled
        and service.shown_to(event, ctx.member, office=False)
    ]
    # New excursions are announced with the news, which someone who only asked a question
    # never chose: offered, one tap or a typed "ja" (/news ja).
    offer = not ctx.member.onboarded and not is_given(ctx.member, "news_subscribed")
    label = ctx.t("events.yp_news_button")
    if opened:
        await show_event_list(
            ctx,
            ctx.t("events.yp_opened"),
            opened[:MAX_LISTED],
            extra=Button(label, f"{MEANT_COMMAND}:news ja") if offer else None,
            footer=ctx.t("events.yp_news_offer") if offer else None,
            yes_presses_extra=offer,
        )
    elif offer:
        await ctx.offer_command(ctx.t("events.yp_news_offer"), "news ja", label=label)


# Before the member's own state in a list of events, by their sign-up's status.
_OWN_MARKS = {CONFIRMED: "✅ ", WAITLISTED: "⏳ ", OFFERED: "🔔 "}


async def list_lines(ctx: Context, events: Sequence[Event]) -> list[Markup]:
    """One line per event as /termine shows it: number, title, date and count, the
    member's own sign-up marked ("· angemeldet": not to be taken for a free one)."""
    tz = ctx.services.settings.network.tz
    async with ctx.db.session() as session:
        rows = [(e, *await signups.counts(session, event_id=e.id)) for e in events]
    own = {event.id: (signup, rank) for signup, event, rank in await _own_signups(ctx)}
    lines = []
    for event, taken, waiting in rows:
        line = ctx.t(
            "events.list_line",
            number=event.id,
            title=render.title_of(event),
            when=show_when(event_store.as_utc(event.starts_at), lang=ctx.lang, tz=tz),
            count=render.count_label(ctx.lang, event, taken, waiting),
        )
        if event.audience == "yp":  # not in every member's list (service.open_to)
            line = Markup(line + " · " + ctx.t("events.audience_yp"))
        if event.id in own:
            # marked apart from the count's "1 angemeldet": the member's own state
            signup, rank = own[event.id]
            mark = _OWN_MARKS.get(signup.status, "")
            line = Markup(f"{line} · {mark}{status_line(ctx, signup, rank, short=True)}")
        lines.append(line)
    return lines


async def my_events(ctx: Context) -> None:
    tz = ctx.services.settings.network.tz
    mine = (await _own_signups(ctx))[:MAX_OWN_EVENTS]
    if not mine:
        await ctx.say("events.no_own_events")
        return
    lines = [ctx.t("events.mine_header")]
    for signup, event, rank in mine:
        lines.append(
            ctx.t(
                "events.mine_line",
                number=event.id,
                title=render.title_of(event),
                when=render.short_when(ctx.lang, event, tz),
                status=status_line(ctx, signup, rank, short=True),
            )
        )
    # a button each for its details, where it is cancelled or put in the calendar
    await offer_choice(ctx, [event for _s, event, _r in mine], "show", Markup("\n".join(lines)))


# The prefix of an event's buttons ("ev:join:3", "ev:show:3").
EVENT_PREFIX = "ev"


async def event_button(ctx: Context, parts: list[str]) -> None:
    """An event's button ("ev:ACTION:N"), or what picks the same from a list in words."""
    event_id = event_number(parts)
    action = parts[0]
    if parts[2:]:
        await answer_listed_offer(ctx, action, event_id)
    elif action == "join":
        await join(ctx, event_id)
    elif action == "leave":
        await leave(ctx, event_id)
    elif action == "show":
        await show_event(ctx, event_id)
    elif action == "ics":
        await send_calendar(ctx, event_id)
    elif action == "accept":
        await take_offer(ctx, event_id)
    else:
        raise UserError("errors.stale_button")


def register(router: Router) -> None:
    @router.command(
        "events",
        help_key="events.help_events",
        group="events",
        order=1,
        featured=True,
        german="termine",
        german_aliases=("veranstaltungen",),
    )
    async def events_command(ctx: Context, _args: Args) -> None:
        await list_events(ctx)

    @router.command(
        "event",
        help_key="events.help_event",
        group="events",
        order=4,
        params=(Param("event", required=False),),
        german="termin",
        german_aliases=("veranstaltung",),
    )
    async def event_command(ctx: Context, args: Args) -> None:
        if not args.has("event"):
            # "/termin" alone (or "/termien", whose nearest command it is) means the list
            await list_events(ctx)
            return
        edit = editing.edit_asked(args.text("event"))
        if edit is not None:  # "/termin 3 ändern": the office's /terminaendern 3
            await editing.edit_event(ctx, edit)
            return
        event_id = await event_named(ctx, args.text("event"), "show")
        if event_id is not None:
            await show_event(ctx, event_id)

    @router.command(
        "join",
        help_key="events.help_join",
        group="events",
        order=2,
        featured=True,
        params=(Param("event", required=False),),
        german="anmelden",
        aliases=("signup", "register"),
    )
    async def join_command(ctx: Context, args: Args) -> None:
        if not args.has("event"):
            await offer_open(ctx, "join")
            return
        event_id = await event_named(ctx, args.text("event"), "join")
        if event_id is not None:
            # "/anmelden Symposium mit 2 Kollegen": a sign-up is one person's
            others = brings_others(args.text("event"))
            note = ctx.t("events.signup_each_own", number=event_id) if others else ""
            await join(ctx, event_id, note=note)

    @router.command(
        "leave",
        help_key="events.help_leave",
        group="events",
        order=5,
        params=(Param("event", required=False),),
        german="abmelden",
    )
    async def leave_command(ctx: Context, args: Args) -> None:
        if not args.has("event"):
            await offer_own(ctx)  # as "/anmelden" alone offers what is open
            return
        if names_another_person(args.text("event")):
            # "/abmelden 1 für meinen Kollegen": each cancels their own; hers is kept
            await cancel_for_others(ctx, await _own_named(ctx, args.text("event")))
            return
        event_id = await event_named(ctx, args.text("event"), "leave")
        if event_id is not None:
            await leave(ctx, event_id)

    @router.command(
        "myevents",
        help_key="events.help_myevents",
        group="events",
        order=3,
        featured=True,
        german="meinetermine",
        aliases=("mydates", "mysignups"),
    )
    async def my_events_command(ctx: Context, _args: Args) -> None:
        await my_events(ctx)

    @router.command(
        "calendarfile",
        help_key="events.help_calendar",
        german="kalenderdatei",
        group="events",
        order=6,
        params=(Param("number", "int", required=False),),
        # `/calendar` = `/kalender` is the subscription (feed_commands); `/calendar N` and
        # `/kalender N` still send one event's file.
    )
    async def calendar_command(ctx: Context, args: Args) -> None:
        await send_calendar(ctx, args.int("number") if args.has("number") else None)

    router.button(EVENT_PREFIX)(event_button)
    router.on_profile_change(events_for_new_young_professional)
