"""`/requests` for members, `/partner_inbox` and `/forward_request` for the office, statistics.

`sweep` (expire requests past 30 days) and `stats_text` (a line for /stats) are plain functions
the scheduler and the admin feature call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.flows import typed_yes_no
from bot.i18n import Markup, t
from bot.i18n.dates import show_date
from bot.messages import (
    KEEPS_CHOICES,
    NO_PRESSES,
    TYPED,
    YES_PRESSES,
    Button,
    Reply,
    names_label,
    shorten,
)
from bot.router import Args, Param, Router
from bot.services import Services
from handlers.partners import requests as flow
from handlers.partners.matching import matcher_of
from handlers.partners.rules import organisation_of
from storage import conversations, event_store, members, partners
from storage.db import Database
from storage.models import Member
from storage.partners import PartnerIntroduction, PartnerRequest

# Replies stay below Telegram's 4096 characters: a few entries each, needs shortened.
MAX_LISTED = 10
MAX_INBOX_LISTED = 8
# Members suggested for forwarding a request by hand (the office searches for any other).
MAX_SUGGESTED = 5
# A button's label at most (a phone's width): "#4 Institut für … vorstellen".
BUTTON_CHARS = 52


async def sweep(db: Database, *, now: datetime) -> int:
    """Expire every request older than its 30 days; returns how many (for a periodic job)."""
    async with db.session() as session:
        return await partners.sweep_expired(session, now=now)


async def stats_text(db: Database, lang: str, *, since: datetime | None = None) -> Markup:
    """The partner-search line of /stats, in `lang`."""
    async with db.session() as session:
        found = await partners.stats(session, since=since)
    return t(
        lang,
        "partners.stats",
        requests=found.requests,
        office=found.to_office,
        contacted=found.recipients_contacted,
        accepted=found.accepted_by_recipients,
        introductions=found.introductions,
    )


def _counts(intros: Sequence[PartnerIntroduction]) -> dict[str, int]:
    interested = (partners.INTERESTED, partners.INTRODUCED, partners.REJECTED)
    return {
        "contacted": len(intros),
        "interested": sum(i.state in interested for i in intros),
        "declined": sum(i.state == partners.DECLINED for i in intros),
        "introduced": sum(i.state == partners.INTRODUCED for i in intros),
    }


def _date(ctx: Context, moment: datetime) -> str:
    aware = partners.aware(moment, ctx.services.clock())
    return show_date(aware, lang=ctx.lang, tz=ctx.services.settings.network.tz)


async def _load(
    ctx: Context, requests: Sequence[PartnerRequest]
) -> dict[int, list[PartnerIntroduction]]:
    async with ctx.db.session() as session:
        return await partners.introductions_for(session, request_ids=[r.id for r in requests])


def introduce_label(lang: str, number: int, organisation: str) -> str:
    """ "#4 Institut für Aufbereitung … vorstellen": the request it answers (an organisation
    interested in two requests has two buttons), the name shortened to fit a button."""
    key = "partners.button_introduce_org"
    room = BUTTON_CHARS - len(t(lang, key, number=number, organisation=""))
    return t(lang, key, number=number, organisation=shorten(organisation, max(room, 12)))


def register(router: Router) -> None:
    @router.stats
    async def partner_stats(ctx: Context) -> list[str]:
        return [await stats_text(ctx.db, ctx.lang)]

    @router.command(
        "requests",
        help_key="partners.help_requests",
        group="partners",
        order=2,
        german="anfragen",
    )
    async def my_requests(ctx: Context, _args: Args) -> None:
        now = ctx.services.clock()
        async with ctx.db.session() as session:
            found = list(await partners.requests_of(session, member_id=ctx.member.id))
            for request in found:
                await partners.expire_if_due(session, request, now)
        if not found:
            await ctx.say("partners.my_requests_none")
            return
        found = found[:MAX_LISTED]
        intros = await _load(ctx, found)
        async with ctx.db.session() as session:
            awaiting = await partners.confirmations_awaited(
                session, requester_id=ctx.member.id, now=now
            )
        lines = [ctx.t("partners.my_requests_header")]
        buttons: list[tuple[Button, ...]] = []
        for request in found:
            entry = [
                ctx.t(
                    "partners.request_line",
                    number=request.id,
                    date=_date(ctx, request.sent_at or request.created_at),
                    state=ctx.t(f"partners.state_{request.status}"),
                    need=shorten(request.text, 120),
                    **_counts(intros[request.id]),
                )
            ]
            # Who said "interested" and waits for the yes: the introduction is one press away.
            for intro, _request, recipient in (a for a in awaiting if a[1].id == request.id):
                organisation = shorten(organisation_of(recipient), 40)
                entry.append(ctx.t("partners.request_interested", organisation=organisation))
                label = introduce_label(ctx.lang, request.id, organisation_of(recipient))
                buttons.append((Button(label, f"pc:yes:{intro.id}"),))
            lines.append(Markup("\n".join(entry)))
            if request.status in partners.ACTIVE:
                label = ctx.t("partners.button_close", number=request.id)
                buttons.append((Button(label, f"pr:close:{request.id}"),))
        # lettered where choices are typed: the list numbers its requests ("#12"), and a
        # typed "1" meant for request #1 had closed the newest one at once
        await ctx.reply(
            Reply(
                text=Markup("\n\n".join(lines)),
                buttons=tuple(buttons),
                metadata={TYPED: "number"},
            )
        )

    @router.command(
        "partner_inbox",
        help_key="partners.help_inbox",
        group="members",
        order=4,
        admin=True,
        german="partnereingang",
    )
    async def inbox(ctx: Context, _args: Args) -> None:
        await partner_inbox(ctx)

    @router.on_member_joined
    async def fits_joined(ctx: Context, session: AsyncSession, member: Member) -> None:
        now = ctx.services.clock()
        settings = ctx.services.settings
        await flow.tell_office_joined(session, member=member, settings=settings, now=now)

    @router.on_member_back
    async def fits_back(services: Services, session: AsyncSession, member: Member) -> None:
        """A member who had blocked the bot writes again: the office hears of the requests
        they fitted while unreachable, with the buttons sending them, as on joining."""
        await flow.tell_office_joined(
            session, member=member, settings=services.settings, now=services.clock(), back=True
        )

    @router.button(flow.SEND_TO_JOINED, admin=True)
    async def send_to_joined(ctx: Context, parts: list[str]) -> None:
        """The button under the alert that a member who fits a request joined the chat."""
        if len(parts) != 2 or not all(part.isdecimal() for part in parts):
            raise UserError("errors.stale_button")
        request, recipient = await forward_by_hand(
            ctx.services, request_id=int(parts[0]), member_id=int(parts[1])
        )
        text = ctx.t(
            "partners.forwarded",
            number=request.id,
            member=recipient.id,
            organisation=organisation_of(recipient),
        )
        # an alert naming several requests: the others' buttons stay pressable
        await ctx.reply(Reply(text=text, metadata={KEEPS_CHOICES: "yes"}))

    @router.command(
        "forward_request",
        help_key="partners.help_forward",
        group="members",
        order=5,
        params=(Param("request", "int"), Param("member", required=False)),
        admin=True,
        german="weiterleiten",
    )
    async def forward_request(ctx: Context, args: Args) -> None:
        """Asks first, naming the member's organisation: a mistyped number names another.
        Without a member: the members closest to the request; with words instead of a
        number ("Clausthal", "Logistik"): the members they find, to pick from."""
        if not args.has("member"):
            await show_closest(ctx, args.int("request"))
            return
        named = args.text("member").strip()
        number = named.removeprefix("#")
        if number.isdecimal() and len(number) < 16:
            await ask_forward(ctx, args.int("request"), int(number))
            return
        await show_named(ctx, args.int("request"), named)

    @router.button(FORWARD_BUTTON, admin=True)
    async def forward_pressed(ctx: Context, parts: list[str]) -> None:
        """`pfw:yes|no:REQUEST:MEMBER` under the question of `/forward_request`."""
        if len(parts) != 3 or not all(part.isdecimal() for part in parts[1:]):
            raise UserError("errors.stale_button")
        await forward_chosen(ctx, parts[0], int(parts[1]), int(parts[2]))

    router.step(FORWARD_FLOW, texts="flows.partner_forward", previews=(FORWARD_STEP,))(
        forward_typed
    )


FORWARD_FLOW = "partner_forward"
FORWARD_STEP = "confirm"
FORWARD_BUTTON = "pfw"
# The choices under the question of `/forward_request`, by their labels' keys.
FORWARD_CHOICES = {"yes": "partners.forward_yes", "no": "partners.forward_no"}


async def show_closest(ctx: Context, request_id: int) -> None:
    """`/forward_request N`: the request's need and the members closest to it, each with the
    command that forwards it to them."""
    async with ctx.db.session() as session:
        request = await flow.open_request(session, request_id=request_id, now=ctx.services.clock())
    closest = await closest_members(ctx.services, request)
    need = shorten(request.text, 200)
    if closest.members:
        listed = _member_lines(ctx, request, closest.members)
        if closest.asked:  # the best fits may be among them: not "the matching is poor"
            asked = ctx.t("partners.closest_asked", count=closest.asked)
            listed = Markup(f"{listed}\n{asked}")
        await ctx.say("partners.closest", number=request.id, need=need, members=listed)
    elif closest.asked:
        await ctx.say(
            "partners.closest_all_asked", number=request.id, need=need, count=closest.asked
        )
    else:
        await ctx.say("partners.closest_none", number=request.id, need=need)


async def show_named(ctx: Context, request_id: int, query: str) -> None:
    """`/forward_request N Clausthal`: the members whose name, organisation, city or topics
    hold the words, each with the command that forwards request N to them, or why it cannot
    go to them (as the dashboard's search marks them)."""
    async with ctx.db.session() as session:
        request = await flow.open_request(session, request_id=request_id, now=ctx.services.clock())
        found, total = await members.search_members(session, query=query, limit=MAX_LISTED)
        intros = await partners.introductions_for(session, request_ids=[request.id])
    values = {"number": request.id, "query": shorten(query, 60)}
    if not found:
        await ctx.say("partners.named_none", **values)
        return
    have_it = {intro.recipient_id for intro in intros[request.id]}
    left = total - len(found)
    more = ctx.t("partners.named_more", count=left, number=request.id) if left > 0 else ""
    listed = Markup("\n".join([_member_lines(ctx, request, found, have_it), more]).strip())
    await ctx.say("partners.named", members=listed, **values)


def _member_lines(
    ctx: Context,
    request: PartnerRequest,
    found: Sequence[Member],
    have_it: frozenset[int] | set[int] = frozenset(),
) -> Markup:
    """One line per member: number, organisation, city, topics and the command forwarding
    the request to it, or why it cannot go to them."""
    lines = []
    for member in found:
        values = {
            "number": request.id,
            "member": member.id,
            "organisation": organisation_of(member),
            "place": f" ({member.city})" if member.city else "",
            "topics": shorten(", ".join(member.topics or ()), 80) or "–",
        }
        barred = (
            "web_partners.is_requester"
            if member.id == request.requester_id
            else "web_partners.has_it"
            if member.id in have_it
            else "web_partners.no_consent"
            if not member.partner_consent
            else None
        )
        if barred is None:
            lines.append(ctx.t("partners.closest_line", **values))
        else:
            lines.append(ctx.t("partners.closest_barred", why=ctx.t(barred), **values))
    return Markup("\n".join(lines))


async def offer_close(ctx: Context, request: PartnerRequest) -> None:
    """Whether to close the member's running `request`, with the button that closes it (a
    typed yes presses it), saying that members already interested are not introduced once
    it is closed. Closing is for good: /requests' button and words asking for it both ask."""
    async with ctx.db.session() as session:
        awaited = await partners.confirmations_awaited(
            session, requester_id=ctx.member.id, now=ctx.services.clock()
        )
    interested = sum(1 for _intro, asked, _member in awaited if asked.id == request.id)
    key = "partners.close_offer_interested" if interested else "partners.close_offer"
    offer = ctx.t(key, number=request.id, need=shorten(request.text, 120), count=interested)
    close = Button(ctx.t("partners.button_close", number=request.id), f"pr:closeyes:{request.id}")
    keep = Button(ctx.t("partners.button_keep_open"), f"pr:keep:{request.id}")
    answers = {YES_PRESSES: close.payload, NO_PRESSES: keep.payload}
    await ctx.reply(Reply(text=offer, buttons=((close, keep),), metadata=answers))


async def ask_forward(ctx: Context, request_id: int, member_id: int) -> None:
    """Whether request `request_id` is to go to member `member_id`, named by their
    organisation, with the need; refused at once when it may not go to them."""
    async with ctx.db.session() as session:
        request, recipient = await flow.forward_target(
            session, request_id=request_id, member_id=member_id, now=ctx.services.clock()
        )
    organisation = organisation_of(recipient)
    text = ctx.t(
        "partners.forward_ask",
        number=request.id,
        member=recipient.id,
        organisation=organisation,
        need=shorten(request.text, 200),
    )
    data: dict[str, object] = {"request": request.id, "member": recipient.id}
    await ctx.ask(FORWARD_FLOW, FORWARD_STEP, data)
    buttons = (
        tuple(
            Button(ctx.t(key), f"{FORWARD_BUTTON}:{choice}:{request.id}:{recipient.id}")
            for choice, key in FORWARD_CHOICES.items()
        ),
    )
    await ctx.reply(Reply(text=text, buttons=buttons))


async def forward_typed(ctx: Context, text: str, data: dict[str, object]) -> None:
    """Typed at the question: "ja"/"yes" or a button's words send or drop it; anything else
    sends nothing, and the buttons are pointed to."""
    request_id, member_id = int(str(data.get("request"))), int(str(data.get("member")))
    said = typed_yes_no(text)
    for choice, key in FORWARD_CHOICES.items():
        if names_label(text, [str(t(lang, key)) for lang in ("de", "en")]):
            said = choice == "yes"
    if said is None:
        raise NotAnAnswer("partners.forward_use_buttons", number=request_id, member=member_id)
    await forward_chosen(ctx, "yes" if said else "no", request_id, member_id)


async def forward_chosen(ctx: Context, choice: str, request_id: int, member_id: int) -> None:
    """*Ja, senden* sends the request (once, however often pressed); *Abbrechen* sends
    nothing. A press under an older question does nothing."""
    async with ctx.db.session() as session:
        pending = await conversations.get(session, member_id=ctx.member.id)
    if (
        pending is None
        or pending.flow != FORWARD_FLOW
        or pending.data.get("request") != request_id
        or pending.data.get("member") != member_id
        or choice not in FORWARD_CHOICES
    ):
        raise UserError("errors.stale_button")
    if await ctx.take_step(FORWARD_FLOW, FORWARD_STEP) is None:
        raise UserError("errors.stale_button")
    if choice == "no":
        await ctx.say("partners.forward_dropped", number=request_id)
        return
    request, recipient = await forward_by_hand(
        ctx.services, request_id=request_id, member_id=member_id
    )
    await ctx.say(
        "partners.forwarded",
        number=request.id,
        member=recipient.id,
        organisation=organisation_of(recipient),
    )


@dataclass(frozen=True)
class PartnerInbox:
    """The office's partner inbox: active requests in three groups, with who asked and who
    each request went to (their introductions, whose `state` is the answer)."""

    office: list[PartnerRequest]  # nobody fitted: waits for the office
    unmatched: list[PartnerRequest]  # sent to members, no introduction yet
    matched: list[PartnerRequest]  # at least one introduction made
    requesters: dict[int, Member | None]
    intros: dict[int, list[PartnerIntroduction]]
    recipients: dict[int, Member]
    # of a request in `office`: members who fit it but had no reachable chat account, best
    # first (to invite, then forward to: `flow.waiting_fit_lines`)
    fits: dict[int, list[Member]]

    @property
    def empty(self) -> bool:
        return not (self.office or self.unmatched or self.matched)


async def inbox_groups(
    services: Services, *, shown: int | None = None, offsets: dict[str, int] | None = None
) -> PartnerInbox:
    """The active requests the way the office reads them; a request past its date is left
    out (the periodic `sweep` expires it: reading the inbox writes nothing).

    `shown`: at most this many requests per group, from `offsets[group]` on (0 when not
    given); the groups are complete otherwise. Who asked and who it went to is loaded only
    for the requests shown, each kind in one query."""
    now = services.clock()
    async with services.db.session() as session:
        active = [
            r for r in await partners.active_requests(session) if not partners.is_expired(r, now)
        ]
        intros = await partners.introductions_for(session, request_ids=[r.id for r in active])
        office = [r for r in active if r.status == partners.OFFICE]
        unmatched = [
            r
            for r in active
            if r.status == partners.OPEN and not _counts(intros[r.id])["introduced"]
        ]
        matched = [r for r in active if r.status == partners.OPEN and r not in unmatched]
        listed = [
            request
            for key, group in (("office", office), ("unmatched", unmatched), ("matched", matched))
            for request in _window(group, shown, (offsets or {}).get(key, 0))
        ]
        people = {r.requester_id for r in listed} | {
            i.recipient_id for r in listed for i in intros[r.id]
        }
        found = await event_store.members_by_id(session, sorted(people))
        fits = await partners.waiting_fits(
            session, request_ids=[r.id for r in listed if r.status == partners.OFFICE]
        )
    requesters: dict[int, Member | None] = {
        r.requester_id: found.get(r.requester_id) for r in listed
    }
    recipients = {
        i.recipient_id: found[i.recipient_id]
        for r in listed
        for i in intros[r.id]
        if i.recipient_id in found
    }
    return PartnerInbox(office, unmatched, matched, requesters, intros, recipients, fits)


def _window(group: list[PartnerRequest], shown: int | None, offset: int) -> list[PartnerRequest]:
    return group if shown is None else group[offset : offset + shown]


@dataclass(frozen=True)
class Closest:
    """The members closest to a request the office may forward it to, best first, and how
    many close ones it went to already (none left to suggest is then no "nobody fits")."""

    members: list[Member]
    asked: int


async def closest_members(
    services: Services, request: PartnerRequest, *, k: int = MAX_SUGGESTED
) -> Closest:
    """The members closest to an open request whom the office may forward it to by hand,
    best first: not those who have it already (see `PartnerRanker.closest`)."""
    async with services.db.session() as session:
        intros = await partners.introductions_for(session, request_ids=[request.id])
    have_it = {intro.recipient_id for intro in intros[request.id]}
    found = await matcher_of(services).closest(
        services.db,
        requester_id=request.requester_id,
        text=request.text,
        now=services.clock(),
        k=k + len(have_it),
    )
    ids = [int(m.member_id) for m in found]
    fresh = [i for i in ids if i not in have_it][:k]
    async with services.db.session() as session:
        by_id = await members.members_by_id(session, fresh)
    asked = sum(1 for i in ids if i in have_it)
    return Closest([by_id[i] for i in fresh if i in by_id], asked)


async def forward_by_hand(
    services: Services, *, request_id: int, member_id: int
) -> tuple[PartnerRequest, Member]:
    """An admin sends a request to a member (`/forward_request`, the dashboard): the member
    is asked first, the double opt-in stays."""
    async with services.db.session() as session:
        request, recipient = await flow.forward(
            session, request_id=request_id, member_id=member_id, now=services.clock()
        )
    services.outbox_wakeup()
    return request, recipient


async def partner_inbox(ctx: Context) -> None:
    """The office's view: requests nobody fitted first, then open ones not yet matched."""
    await sweep(ctx.db, now=ctx.services.clock())  # a command may write: expire what is due
    inbox = await inbox_groups(ctx.services, shown=MAX_INBOX_LISTED)
    requesters, intros = inbox.requesters, inbox.intros
    office, unmatched, matched = inbox.office, inbox.unmatched, inbox.matched
    if inbox.empty:
        await ctx.say("partners.inbox_none")
        return
    lines: list[str] = []
    for key, group, listed in (
        ("partners.inbox_office", office, MAX_INBOX_LISTED),
        ("partners.inbox_unmatched", unmatched, MAX_INBOX_LISTED),
        ("partners.inbox_matched", matched, 4),
    ):
        if not group:
            continue
        lines.append(ctx.t(key, count=len(group)))
        for request in group[:listed]:
            requester = requesters.get(request.requester_id)
            line = ctx.t(
                "partners.inbox_line",
                number=request.id,
                member=request.requester_id,
                organisation=organisation_of(requester) if requester else "–",
                date=_date(ctx, request.sent_at or request.created_at),
                need=shorten(request.text, 120),
                **_counts(intros[request.id]),
            )
            fits = inbox.fits.get(request.id)
            if fits:  # whom to invite, or, once joined, to forward it to
                fit_lines = flow.waiting_fit_lines(ctx.lang, request, fits)
                line = Markup(line + "\n" + ctx.t("partners.inbox_unconnected", members=fit_lines))
            lines.append(line)
    lines.append(ctx.t("partners.inbox_hint"))
    await ctx.reply(Markup("\n\n".join(lines)))
