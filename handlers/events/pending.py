"""`/pending` (`/offen`): everything that waits for the member, each with its buttons again.

A place offered from the waitlist, a partner request waiting for the member's answer, an
interested member waiting for the requester's yes, a poll on one of their events: each came as
one message, and a member who scrolled past it must find it again. The same buttons answer it
here as there (the payloads are checked against the database either way).

`waiting_count` and `waiting_hint` are for other features (/start, /help) to mention /pending.
Asked in words ("Gibt es Anfragen für mich?", "anything waiting for me?"), it answers as
/pending does (`asks_what_waits`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.i18n import Markup, t
from bot.messages import Reply
from bot.router import Args, Router
from bot.textmatch.normalize import fold
from handlers.events import render
from handlers.events.dates import show_when
from handlers.events.polls import native, preferred_day, preferred_option
from handlers.members.rules import has_topic
from handlers.partners import requests as partner_requests
from storage import event_store, members, partners, signups, waiting
from storage.event_store import as_utc
from storage.events import CONFIRMED, POLL_SIGNED_UP, Event, EventPoll, EventSignup
from storage.models import Member
from storage.partners import PartnerIntroduction, PartnerRequest

# One message per item, like the originals; a few at a time keep the chat readable.
MAX_SHOWN = 8

PartnerItem = tuple[PartnerIntroduction, PartnerRequest, Member]


@dataclass
class Waiting:
    """What waits for one member, each kind the soonest deadline first."""

    offers: list[tuple[EventSignup, Event]] = field(default_factory=list)
    answers: list[PartnerItem] = field(default_factory=list)  # requests sent to the member
    confirmations: list[PartnerItem] = field(default_factory=list)  # interested in theirs
    polls: list[tuple[EventPoll, Event]] = field(default_factory=list)

    def count(self) -> int:
        return len(self.offers) + len(self.answers) + len(self.confirmations) + len(self.polls)


def in_audience(member: Member, event: Event) -> bool:
    """Whether the event's polls were sent to this member (as `notify.announce` chooses)."""
    if not member.news_subscribed:
        return False
    if event.audience == "yp":
        return member.young_professional
    if not event.audience.startswith("topic:"):
        return True
    return has_topic(member.topics, event.audience.removeprefix("topic:"))


async def find_waiting(session: AsyncSession, *, member: Member, now: datetime) -> Waiting:
    """Open offers, partner answers and confirmations due, and polls not yet answered on
    events the member is signed up for or in the audience of."""
    mine = await signups.member_signups(session, member_id=member.id, after=now)
    signed_up = {s.event_id for s, _e in mine}
    confirmed = {s.event_id for s, _e in mine if s.status == CONFIRMED}

    def sent_to(poll: EventPoll, event: Event) -> bool:
        # a poll for those signed up went to the confirmed places only
        if poll.audience == POLL_SIGNED_UP:
            return event.id in confirmed
        return event.id in signed_up or in_audience(member, event)

    polls = [
        (poll, event)
        for poll, event, chosen in await event_store.open_polls(
            session, member_id=member.id, after=now
        )
        if not chosen and sent_to(poll, event)
    ]
    return Waiting(
        offers=await signups.open_offers(session, member_id=member.id, now=now),
        answers=await partners.answers_awaited(session, recipient_id=member.id, now=now),
        confirmations=await partners.confirmations_awaited(
            session, requester_id=member.id, now=now
        ),
        polls=polls,
    )


async def waiting_count(session: AsyncSession, *, member_id: int, now: datetime) -> int:
    """How many things wait for the member (0 for an unknown member)."""
    member = await members.get_member(session, member_id)
    if member is None:
        return 0
    return (await find_waiting(session, member=member, now=now)).count()


async def waiting_hint(ctx: Context) -> str | None:
    """One line pointing to /pending when something waits, else None (for /start, /help).

    Most of the time nothing waits: one cheap statement says so; only then the exact list."""
    now = ctx.services.clock()
    signal = partial(waiting.anything_waiting, member_id=ctx.member.id, now=now)
    if not await ctx.db.run_read(signal):
        return None
    async with ctx.db.session() as session:
        count = (await find_waiting(session, member=ctx.member, now=now)).count()
    return ctx.t("events.pending_hint") if count else None


async def anything_waits(ctx: Context) -> bool:
    """Whether anything /pending lists still waits for the member (a preview included)."""
    async with ctx.db.session() as session:
        found = await find_waiting(session, member=ctx.member, now=ctx.services.clock())
    return bool(found.count()) or await ctx.waiting_preview() is not None


def _with_deadline(reply: Reply, line: str) -> Reply:
    return replace(reply, text=Markup(reply.text + "\n\n" + line))


def item_replies(member: Member, waiting: Waiting, *, tz: ZoneInfo) -> list[Reply]:
    """Each waiting item as its own message, with the buttons (or the poll) that answer it."""
    lang = member.language
    found: list[Reply] = []
    for signup, event in waiting.offers:
        expires = signup.offer_expires_at
        until = show_when(as_utc(expires), lang=lang, tz=tz) if expires else "–"
        text = t(lang, "events.offered", title=render.title_of(event), number=event.id, until=until)
        buttons = render.offer_buttons(lang, event, listed=True)
        answers = render.offer_answers(event, listed=True)
        found.append(Reply(text=text, buttons=buttons, metadata=answers))
    for intro, request, requester in waiting.answers:
        until = show_when(as_utc(request.expires_at), lang=lang, tz=tz)
        reply = partner_requests.request_message(member, request, requester, intro)
        found.append(_with_deadline(reply, t(lang, "partners.answer_until", until=until)))
    for intro, request, recipient in waiting.confirmations:
        until = show_when(as_utc(request.expires_at), lang=lang, tz=tz)
        reply = partner_requests.interest_message(member, request, recipient, intro.id)
        found.append(_with_deadline(reply, t(lang, "partners.answer_until", until=until)))
    for poll, event in waiting.polls:
        when = show_when(as_utc(event.starts_at), lang=lang, tz=tz)
        text = t(
            lang, "events.pending_poll", title=render.title_of(event), number=event.id, when=when
        )
        found.append(Reply(text=text, poll=native(poll, lang)))
    return found


async def show_pending(ctx: Context) -> None:
    async with ctx.db.session() as session:
        waiting = await find_waiting(session, member=ctx.member, now=ctx.services.clock())
    items = item_replies(ctx.member, waiting, tz=ctx.services.settings.network.tz)
    preview = await ctx.waiting_preview()
    if preview is not None:  # its buttons still send (or save) what it shows
        items.insert(0, preview)
    if not items:
        await ctx.say("events.pending_none")
        return
    await ctx.say("events.pending_header")
    for reply in items[:MAX_SHOWN]:
        await ctx.reply(reply)
    if len(items) > MAX_SHOWN:
        await ctx.say("events.pending_more", more=len(items) - MAX_SHOWN)


# What waits for the member, asked in words: a waiting word before "auf mich"/"for me", or
# requests (offers, polls) "für mich"/"for me", or "habe ich … Anfragen"/"do I have …
# requests". Not a question about something else that is "for me" ("Gibt es ein Formular für
# mich?"): only the things /pending lists.
_WAITS = r"(?:wartet|warten|waiting|pending)"
_THINGS = (
    r"(?:partner)?(?:anfragen?|requests?|angebote?|offers?|umfragen?|polls?|einladungen?|"
    r"invitations?|platzangebote?)"
)
_ASKS_WHAT_WAITS = re.compile(
    rf"\b{_WAITS}\b(?:\W+\w+){{0,3}}?\W+(?:auf mich|for me)\b|"
    rf"\b{_THINGS}\b(?:\W+\w+){{0,2}}?\W+(?:fur mich|for me)\b|"
    rf"\b(?:habe|hab) ich\b(?:\W+\w+){{0,3}}?\W+{_THINGS}\b|"
    rf"\bdo i have\b(?:\W+\w+){{0,3}}?\W+{_THINGS}\b"
)
# a sentence that asks about the member's own requests is no more than a few words
_MAX_WORDS = 10


def asks_what_waits(text: str) -> bool:
    """ "Gibt es Anfragen für mich?", "Was wartet auf mich?", "any partner requests for me?",
    "do I have any requests?": what /pending answers."""
    folded = fold(text, plain_umlauts=True)
    return len(folded.split()) <= _MAX_WORDS and bool(_ASKS_WHAT_WAITS.search(folded))


async def waiting_items(ctx: Context) -> list[Reply]:
    """What /pending lists, without a preview: each item with the buttons that answer it.
    Most of the time nothing waits: one cheap statement says so."""
    now = ctx.services.clock()
    signal = partial(waiting.anything_waiting, member_id=ctx.member.id, now=now)
    if not await ctx.db.run_read(signal):
        return []
    async with ctx.db.session() as session:
        found = await find_waiting(session, member=ctx.member, now=now)
    return item_replies(ctx.member, found, tz=ctx.services.settings.network.tz)


# How to vote, asked in words ("wo kann ich abstimmen?", "how can I vote?"): a short question
# naming voting or a poll; a poll named outright ("Umfrage", "poll") is answered even when
# none waits (no ticket for the office).
_VOTE = r"(?:abstimm\w*|abgestimmt|umfragen?|voten|vote|votes|voting|poll|polls)"
_ASKS_HOW = r"(?:wie|wo|wann|womit|how|where|when|can i|do i|kann ich)"
_ASKS_HOW_TO_VOTE = re.compile(rf"\b{_ASKS_HOW}\b(?:\W+\w+){{0,5}}?\W+{_VOTE}\b")
_NAMES_POLL = re.compile(r"\b(?:umfragen?|polls?)\b")


def asks_how_to_vote(text: str) -> bool:
    """ "Wo kann ich abstimmen?", "how can i vote?", "Wie stimme ich bei der Umfrage ab?"."""
    folded = fold(text, plain_umlauts=True)
    return len(folded.split()) <= _MAX_WORDS and bool(_ASKS_HOW_TO_VOTE.search(folded))


async def show_open_polls(ctx: Context, text: str) -> bool:
    """The polls waiting for the member, shown again to vote on; with none, said so when the
    question named a poll (else it is the FAQ's: a vote of the general assembly). Whether it
    answered."""
    async with ctx.db.session() as session:
        found = await find_waiting(session, member=ctx.member, now=ctx.services.clock())
    if not found.polls:
        if not _NAMES_POLL.search(fold(text, plain_umlauts=True)):
            return False
        await ctx.say("events.no_poll_waiting")
        return True
    await ctx.say("events.open_polls", count=len(found.polls))
    only = Waiting(polls=found.polls)
    for reply in item_replies(ctx.member, only, tz=ctx.services.settings.network.tz)[:MAX_SHOWN]:
        await ctx.reply(reply)
    return True


async def polls_for_new_young_professional(ctx: Context, before: Member | None) -> None:
    """A member who just said they are a young professional gets the polls on young
    professionals' events that went out before (they were not asked then)."""
    if not ctx.member.young_professional or (before is not None and before.young_professional):
        return
    async with ctx.db.session() as session:
        found = await find_waiting(session, member=ctx.member, now=ctx.services.clock())
    polls = [(poll, event) for poll, event in found.polls if event.audience == "yp"]
    if not polls:
        return
    await ctx.say("events.yp_polls_waiting", count=len(polls))
    only = Waiting(polls=polls)
    for reply in item_replies(ctx.member, only, tz=ctx.services.settings.network.tz)[:MAX_SHOWN]:
        await ctx.reply(reply)


def _wordings(poll: EventPoll) -> list[list[str]]:
    """Each option of a poll in its German and English wording."""
    english = list(poll.options_en or [])
    return [[option, *english[i : i + 1]] for i, option in enumerate(poll.options)]


def register(router: Router) -> None:
    router.waiting(waiting_hint)
    router.waiting_items(waiting_items)
    router.on_profile_change(polls_for_new_young_professional)

    @router.free_text(priority=8)
    async def date_preferred(ctx: Context, text: str) -> bool:
        """ "der 5. Januar passt mir besser" with a date poll open: a vote for that option,
        as tapping it (before the live answers read a date as asking what is on)."""
        if not ctx.incoming.is_private or len(text.split()) > _MAX_WORDS:
            return False
        if preferred_day(text) is None:  # no date said to be preferred: nothing to look up
            return False
        async with ctx.db.session() as session:
            found = await find_waiting(session, member=ctx.member, now=ctx.services.clock())
        chosen = [
            (poll, index)
            for poll, _event in found.polls
            if (index := preferred_option(text, _wordings(poll))) is not None
        ]
        handler = ctx.services.router.polls.get("ev")
        if len(chosen) != 1 or handler is None:
            return False
        poll, index = chosen[0]
        await handler(ctx, [str(poll.event_id), poll.name], (index,))
        return True

    @router.free_text(priority=12)
    async def how_to_vote(ctx: Context, text: str) -> bool:
        if not (ctx.incoming.is_private and asks_how_to_vote(text)):
            return False
        return await show_open_polls(ctx, text)

    @router.free_text(priority=12)
    async def what_waits(ctx: Context, text: str) -> bool:
        if not (ctx.incoming.is_private and asks_what_waits(text)):
            return False
        await show_pending(ctx)
        return True

    @router.command(
        "pending",
        help_key="events.help_pending",
        group="events",
        order=7,
        german="offen",
        private_only=True,
    )
    async def pending_command(ctx: Context, _args: Args) -> None:
        await show_pending(ctx)
