"""The double opt-in, as plain functions on a session: send, answer, confirm, forward, close.

Every message here goes through the outbox (it is never the direct answer to the person who
pressed). The requester's contact appears in exactly one message: the introduction, after the
recipient said "interested" and the requester confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery import delivery_account, enqueue_for_member
from bot.errors import UserError
from bot.i18n import Markup, t
from bot.messages import NO_PRESSES, YES_PRESSES, Button, Reply, shorten
from bot.office import tell_admins
from bot.textmatch.analyzer import reply_language
from handlers.members.rules import reachable_now
from handlers.partners.ranking import PartnerMatch
from handlers.partners.rules import REQUEST_TTL, chat_name_of, contact_of, organisation_of
from storage import members, outbox, partners
from storage.models import Member
from storage.partners import PartnerIntroduction, PartnerRequest

# A need as a note about its request quotes it: enough to tell two requests apart.
NOTE_NEED_CHARS = 80
# A need that starts by saying it is a search ("Ich suche einen Partner für …", "We are
# looking for a lab …"), shown under the label "X sucht:" / "X is looking for:" in the same
# language, would say it twice: that start is left out there (the rest reads on from the label).
_SEARCH_START = {
    "de": re.compile(
        r"^\s*(?:(?:(?:ich|wir)\s+)?such(?:e|en)\b"
        r"|(?P<how>(?:wie|wo)\s+(?:finde|finden)\s+(?:ich|wir)\b))[\s,:]*",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"^\s*(?:(?:(?:i|we)(?:\s+am|\s+are|'m|'re|’m|’re)?\s+)?(?:currently\s+)?"
        r"(?:looking\s+for|seeking|searching\s+for)\b"
        r"|(?P<how>(?:how|where)\s+(?:(?:do|can|could|would)\s+(?:i|we)|to)\s+find\b))[\s,:]*",
        re.IGNORECASE,
    ),
}
MIN_REST_WORDS = 2
# The office's button sending a request to a member who fitted it and joined the chat since
# (`tell_office_joined`): `pw:REQUEST:MEMBER`.
SEND_TO_JOINED = "pw"


async def _member(session: AsyncSession, member_id: int) -> Member:
    member = await members.get_member(session, member_id)
    if member is None:
        raise UserError("partners.request_closed")
    return member


async def own_draft(
    session: AsyncSession, *, request_id: int, member_id: int, now: datetime
) -> PartnerRequest:
    """The member's own request still waiting for confirmation; anything else is refused."""
    request = await partners.get_request(session, request_id, for_update=True)
    if request is None or request.requester_id != member_id:
        raise UserError("errors.stale_button")
    await partners.expire_if_due(session, request, now)
    if request.status != partners.DRAFT:
        raise UserError("errors.stale_button")
    return request


async def drop_drafts(
    session: AsyncSession, *, member_id: int, now: datetime
) -> PartnerRequest | None:
    """Cancel the member's previews still waiting for *send*, for a new request that takes
    their place (one preview waits at a time: its buttons are the newest, and an older *send*
    pressed later must not send what the member moved on from); the newest one still
    current, to be named, or None."""
    newest = None
    for request in await partners.drafts_of(session, member_id=member_id):
        if newest is None and not partners.is_expired(request, now):
            newest = request
        await partners.close_request(session, request, status=partners.CANCELLED, now=now)
    return newest


def answer_buttons(lang: str, intro_id: int) -> tuple[tuple[Button, ...], ...]:
    """The recipient's choice; the same wherever the request is shown again (/pending)."""
    return (
        (
            Button(t(lang, "partners.button_interested"), f"pi:yes:{intro_id}"),
            Button(t(lang, "partners.button_not_for_me"), f"pi:no:{intro_id}"),
        ),
    )


def confirm_buttons(lang: str, intro_id: int) -> tuple[tuple[Button, ...], ...]:
    """The requester's choice on one interested member (also in /pending)."""
    return (
        (
            Button(t(lang, "partners.button_introduce"), f"pc:yes:{intro_id}"),
            Button(t(lang, "partners.button_no_thanks"), f"pc:no:{intro_id}"),
        ),
    )


def need_after_label(need: str, lang: str) -> str:
    """The need as it reads under "X sucht:" in `lang`: without a start saying the same, in
    either language ("sucht: looking for a lab …" said it twice), or asking how to find it
    ("Wie finde ich …?"); whole when little would be left ("Wir suchen Sie!")."""
    own_first = sorted(_SEARCH_START, key=lambda key: key != lang)
    found = next((m for key in own_first if (m := _SEARCH_START[key].match(need))), None)
    if found is None:
        return need
    rest = need[found.end() :]
    if found["how"]:  # "Wie finde ich einen Partner …?": what is sought, not the question
        rest = rest.rstrip().rstrip("?").rstrip()
    return rest if len(rest.split()) >= MIN_REST_WORDS else need


def request_message(
    recipient: Member, request: PartnerRequest, requester: Member, intro: PartnerIntroduction
) -> Reply:
    """To a member the request is sent to: the need, who asks, and, when the request has
    several needs and only some fit them, which ones they are asked for."""
    lang = recipient.language
    parts = [part for part in intro.asked_for.splitlines() if part.strip()]
    asked = Markup("\n" + t(lang, "partners.asked_for", need=" / ".join(parts)) if parts else "")
    if intro.manual:  # "sucht: eine Hochschule, …" reaching a company is no mistake
        asked = Markup(asked + "\n" + t(lang, "partners.asked_by_office"))
    if reply_language(request.text, lang) != lang:  # English amid German: said, not a slip
        asked = Markup(asked + "\n" + t(lang, "partners.written_in_other"))
    return Reply(
        text=t(
            lang,
            "partners.to_recipient",
            organisation=organisation_of(requester),
            need=need_after_label(request.text, lang),
            number=request.id,
            asked=asked,
        ),
        buttons=answer_buttons(lang, intro.id),
        # "Passt das zu Ihnen?": a typed "ja"/"yes" is interested, "nein"/"no" is not
        metadata={YES_PRESSES: f"pi:yes:{intro.id}", NO_PRESSES: f"pi:no:{intro.id}"},
    )


def interest_message(
    requester: Member, request: PartnerRequest, recipient: Member, intro_id: int
) -> Reply:
    """To the requester: this member is interested; introduce you to each other?"""
    lang = requester.language
    return Reply(
        text=t(
            lang,
            "partners.interest_to_requester",
            organisation=organisation_of(recipient),
            need=request.text,
            number=request.id,
        ),
        buttons=confirm_buttons(lang, intro_id),
        # a typed "ja"/"yes" introduces, a typed "nein"/"no" declines, as the buttons do
        metadata={YES_PRESSES: f"pc:yes:{intro_id}", NO_PRESSES: f"pc:no:{intro_id}"},
    )


async def deliver(
    session: AsyncSession,
    *,
    request: PartnerRequest,
    requester: Member,
    recipient: Member,
    score: float,
    now: datetime,
    manual: bool = False,
    asked_for: Sequence[str] = (),
) -> PartnerIntroduction | None:
    """Send the request to one member: the need and the organisation, never the contact;
    `asked_for`: the needs of several that the member was chosen for."""
    intro = await partners.add_introduction(
        session,
        request_id=request.id,
        recipient_id=recipient.id,
        score=score,
        now=now,
        manual=manual,
        asked_for="\n".join(need.strip().rstrip(" ,;.") for need in asked_for),
    )
    queued = await enqueue_for_member(
        session,
        member=recipient,
        reply=request_message(recipient, request, requester, intro),
        kind="partner_request",
        dedupe_key=_request_key(intro),
    )
    if queued is None:
        await partners.discard_introduction(session, intro)
        return None
    return intro


async def send_request(
    session: AsyncSession,
    *,
    request: PartnerRequest,
    requester: Member,
    matches: Sequence[PartnerMatch],
    now: datetime,
    asked_for: Mapping[str, Sequence[str]] | None = None,
    unconnected: Sequence[PartnerMatch] = (),
    settings: Settings | None = None,
) -> int:
    """Send a confirmed draft to the matched members, or to the office when nobody fits;
    `asked_for`: for a request with several needs, the ones each member fits (by member id);
    `unconnected`: members who fit but have no reachable chat account yet: never sent
    anything, kept with a request that goes to the office, whose admins (`settings`) are told
    whom to invite.

    Returns how many members it went to (0: it waits in the office inbox).
    """
    sent = 0
    for match in matches:
        recipient = await members.get_member(session, int(match.member_id))
        if recipient is None or recipient.id == requester.id or not recipient.partner_consent:
            continue
        if await deliver(
            session,
            request=request,
            requester=requester,
            recipient=recipient,
            score=match.score,
            now=now,
            asked_for=(asked_for or {}).get(match.member_id, ()),
        ):
            sent += 1
    request.status = partners.OPEN if sent else partners.OFFICE
    request.sent_at = now
    request.expires_at = now + REQUEST_TTL
    alerted = False
    if not sent and unconnected:
        waiting = [int(match.member_id) for match in unconnected]
        await partners.add_waiting_fits(session, request_id=request.id, member_ids=waiting)
        if settings is not None:
            alerted = await _office_to_invite(session, request, requester, settings)
    if not sent and not alerted and settings is not None:
        # handed to the office ("An die Geschäftsstelle"): the admins hear of it, as of a
        # question the bot could not answer, once (the alert above named it already)
        await _office_handed(session, request, requester, settings)
    await session.flush()
    return sent


async def _office_handed(
    session: AsyncSession, request: PartnerRequest, requester: Member, settings: Settings
) -> None:
    """The admins hear of a request that went to the office with nobody to ask: who asks,
    what for, and how to forward it."""

    def alert(lang: str) -> Reply:
        return Reply(
            text=t(
                lang,
                "partners.office_handed",
                number=request.id,
                organisation=organisation_of(requester),
                need=request.text,
            )
        )

    await tell_admins(session, settings, alert, "partner_office_alert", besides=requester.id)


def left_the_chat(member: Member) -> bool:
    """Whether the member was in the chat once but none of their accounts is reachable now
    (they blocked the bot, left its chat): an invitation would not bring them back, a
    message of their own would (the account is reachable again once they write)."""
    return bool(member.accounts) and not reachable_now(member)


async def any_left(session: AsyncSession, member_ids: Iterable[str | int]) -> bool:
    """Whether one of these members who fit but cannot be reached was in the chat once
    (`left_the_chat`): the requester is then told that they cannot be reached, which holds
    for those not in the chat yet too, not that the office invites them (nor who it is)."""
    for member_id in member_ids:
        member = await members.get_member(session, int(member_id))
        if member is not None and left_the_chat(member):
            return True
    return False


def waiting_fit_lines(lang: str, request: PartnerRequest, fits: Sequence[Member]) -> Markup:
    """The office's lines on members who fit a request but were not in the chat: how to
    invite each, or, for one who joined since, how to forward the request to them; one
    who left the chat is named unreachable, not to be invited again."""
    lines = [
        t(
            lang,
            "partners.fit_joined_line"
            if reachable_now(fit)
            else "partners.fit_left_line"
            if left_the_chat(fit)
            else "partners.fit_invite_line",
            member=fit.id,
            organisation=organisation_of(fit),
            number=request.id,
        )
        for fit in fits
    ]
    return Markup("\n".join(lines))


async def _office_to_invite(
    session: AsyncSession, request: PartnerRequest, requester: Member, settings: Settings
) -> bool:
    """The admins hear of a request that went to the office although members fit it: who
    they are and how to invite them, so that it can be forwarded to them once they joined.
    Whether they were told (no such member left: not)."""
    fits = (await partners.waiting_fits(session, request_ids=[request.id]))[request.id]
    if not fits:
        return False

    def alert(lang: str) -> Reply:
        return Reply(
            text=t(
                lang,
                "partners.office_unconnected",
                number=request.id,
                organisation=organisation_of(requester),
                count=len(fits),
                members=waiting_fit_lines(lang, request, fits),
                need=request.text,
            )
        )

    await tell_admins(session, settings, alert, "partner_office_alert", besides=requester.id)
    return True


async def tell_office_joined(
    session: AsyncSession,
    *,
    member: Member,
    settings: Settings,
    now: datetime,
    back: bool = False,
) -> None:
    """A member who fitted requests while not in the chat joined it (claimed the office's
    invitation), or, `back`, one who had blocked the bot or left its chat wrote again: the
    admins hear which running requests wait for them, each with a button sending it to them
    (as /forward_request does; the double opt-in stays). Not a request they were sent
    already, nor any when they allow no partner requests."""
    if not member.partner_consent:
        return
    waiting = [
        request
        for request in await partners.requests_waiting_for(session, member_id=member.id)
        if request.status in partners.ACTIVE
        and not partners.is_expired(request, now)
        and request.requester_id != member.id
    ]
    asked = await partners.introductions_for(session, request_ids=[r.id for r in waiting])
    waiting = [r for r in waiting if all(i.recipient_id != member.id for i in asked[r.id])]
    if not waiting:
        return
    requesters = {r.id: await members.get_member(session, r.requester_id) for r in waiting}

    def alert(lang: str) -> Reply:
        lines = [
            t(
                lang,
                "partners.joined_fit_line",
                number=request.id,
                member=member.id,
                organisation=organisation_of(requester) if requester else "–",
                need=shorten(request.text, NOTE_NEED_CHARS),
            )
            for request in waiting
            for requester in [requesters[request.id]]
        ]
        buttons = tuple(
            (
                Button(
                    t(lang, "partners.button_send_joined", number=request.id),
                    f"{SEND_TO_JOINED}:{request.id}:{member.id}",
                ),
            )
            for request in waiting
        )
        text = t(
            lang,
            "partners.office_fit_back" if back else "partners.office_fit_joined",
            member=member.id,
            organisation=organisation_of(member),
            count=len(waiting),
            requests=Markup("\n".join(lines)),
        )
        return Reply(text=text, buttons=buttons)

    await tell_admins(session, settings, alert, "partner_office_alert", besides=member.id)
    await session.flush()


async def _active_request(session: AsyncSession, request_id: int, now: datetime) -> PartnerRequest:
    request = await partners.get_request(session, request_id, for_update=True)
    if request is None:
        raise UserError("partners.request_closed")
    await partners.expire_if_due(session, request, now)
    if request.status not in partners.ACTIVE:
        raise UserError("partners.request_closed")
    return request


async def recipient_answers(
    session: AsyncSession,
    *,
    intro_id: int,
    member: Member,
    interested: bool,
    now: datetime,
    settings: Settings,
) -> str:
    """The recipient pressed "Interested" or "Not for me"; returns the requester's organisation.

    Only the member the request was sent to may answer, once, while the request is open.
    """
    intro = await partners.get_introduction(session, intro_id, for_update=True)
    if intro is None:  # erased with the request (its requester used /forget)
        raise UserError("partners.request_closed")
    if intro.recipient_id != member.id:
        raise UserError("partners.not_yours")
    request = await _active_request(session, intro.request_id, now)
    if intro.state != partners.SENT:
        raise UserError("partners.already_answered")
    requester = await _member(session, request.requester_id)
    intro.answered_at = now
    if not interested:
        intro.state = partners.DECLINED
        await session.flush()
        await _office_when_all_declined(session, request, requester, settings)
        await _close_when_settled(session, request)
        return organisation_of(requester)
    intro.state = partners.INTERESTED
    await enqueue_for_member(
        session,
        member=requester,
        reply=interest_message(requester, request, member, intro.id),
        kind="partner_interest",
        dedupe_key=f"partner:interest:{intro.id}",
    )
    await session.flush()
    return organisation_of(requester)


async def _office_when_all_declined(
    session: AsyncSession, request: PartnerRequest, requester: Member, settings: Settings
) -> None:
    """Every member asked said "Nicht für mich": the request goes to the office's inbox (as
    one nobody fitted), the admins hear of it in their chats, and the requester hears so
    instead of waiting for it to expire."""
    intros = (await partners.introductions_for(session, request_ids=[request.id]))[request.id]
    if request.status != partners.OPEN or any(i.state != partners.DECLINED for i in intros):
        return
    request.status = partners.OFFICE
    await enqueue_for_member(
        session,
        member=requester,
        reply=Reply(text=t(requester.language, "partners.all_declined", number=request.id)),
        kind="partner_all_declined",
        dedupe_key=f"partner:all_declined:{request.id}",
    )

    def alert(lang: str) -> Reply:
        values = {"number": request.id, "organisation": organisation_of(requester)}
        return Reply(text=t(lang, "partners.office_all_declined", need=request.text, **values))

    await tell_admins(session, settings, alert, "partner_office_alert", besides=requester.id)
    await session.flush()


async def _close_when_settled(session: AsyncSession, request: PartnerRequest) -> None:
    """Every member asked has answered and the requester has decided on each who was
    interested: nothing more can come of the request, so it is closed (it read "offen" for
    30 days, though nobody could answer it any more)."""
    intros = (await partners.introductions_for(session, request_ids=[request.id]))[request.id]
    settled = not any(intro.state in partners.PENDING for intro in intros)
    if request.status == partners.OPEN and intros and settled:
        request.status = partners.CLOSED
        await session.flush()


async def before_requester_erased(
    session: AsyncSession, *, requester: Member, now: datetime
) -> None:
    """The requester is about to be erased (/forget) with their requests: a member who said
    "Interessiert" and waits for the introduction hears that none comes, as after "Nein,
    danke" (one note per request, naming it: its number, its need); a request not delivered
    yet is not delivered. Who was sent it and had not answered sees it gone from /pending."""
    mine = [
        request
        for request in await partners.requests_of(session, member_id=requester.id)
        if request.status in partners.ACTIVE and not partners.is_expired(request, now)
    ]
    intros = await partners.introductions_for(session, request_ids=[r.id for r in mine])
    undelivered: list[str] = []  # its copies still waiting in the outbox
    for request in mine:
        for intro in intros[request.id]:
            undelivered.append(_request_key(intro))
            if intro.state != partners.INTERESTED:
                continue
            recipient = await members.get_member(session, intro.recipient_id)
            if recipient is None:
                continue
            await _tell_no_introduction(session, intro, recipient, requester, request)
    await outbox.drop_waiting(session, dedupe_keys=undelivered)
    await session.flush()


def _request_key(intro: PartnerIntroduction) -> str:
    """The outbox key of the request's copy for one recipient (dropped if the asker goes)."""
    return f"partner:request:{intro.id}"


async def _tell_no_introduction(
    session: AsyncSession,
    intro: PartnerIntroduction,
    to: Member,
    requester: Member,
    request: PartnerRequest,
) -> None:
    """Tell a member who said "Interessiert" that no introduction comes (once per request)."""
    await enqueue_for_member(
        session,
        member=to,
        reply=rejected_note(to, requester, request),
        kind="partner_update",
        dedupe_key=f"partner:rejected:{intro.id}",
    )


def rejected_note(to: Member, requester: Member, request: PartnerRequest) -> Reply:
    """ "Zur Partneranfrage #4 von … (<i>need</i>) kommt diesmal keine Vorstellung zustande":
    the request named, since a member interested in two of one asker's requests gets a
    note for each."""
    return Reply(
        text=t(
            to.language,
            "partners.rejected_note",
            number=request.id,
            organisation=organisation_of(requester),
            need=shorten(request.text, NOTE_NEED_CHARS),
        )
    )


def introduction_message(to: Member, other: Member, request: PartnerRequest) -> Reply:
    """The contact details of `other` for `to` (delivered without buttons, it leaves the
    choices of /offen or /anfragen as they were: `delivery_takes_choices`)."""
    lang = to.language
    given = contact_of(other)
    # "get in touch directly" only with an address to do it with; else the office connects
    closing = t(lang, "partners.closing_direct" if given else "partners.closing_office")
    organisation = organisation_of(other)
    name = chat_name_of(other)
    # whom to ask for: the person, where a name is known, beside the organisation
    who = f"{name}, {organisation}" if name and name != organisation else organisation
    text = t(
        lang,
        "partners.introduction",
        organisation=who,
        contact=given or _no_contact(lang, other),
        closing=closing,
        need=request.text,
        number=request.id,
    )
    return Reply(text=text)


def _no_contact(lang: str, other: Member) -> str:
    """The contact line of a member who gave no address: their name, if their chat app gave
    one, and who helps on; never a platform id the reader could do nothing with."""
    name = chat_name_of(other)
    if name:
        return t(lang, "partners.no_contact_named", name=name)
    return t(lang, "partners.no_contact")


async def _to_confirm(
    session: AsyncSession, *, intro_id: int, member: Member, now: datetime
) -> tuple[PartnerIntroduction, PartnerRequest, Member]:
    """The introduction the requester `member` may still accept or decline, its request and
    the interested member; refused as a press of its button would be."""
    intro = await partners.get_introduction(session, intro_id, for_update=True)
    if intro is None:  # erased with the member asked (they used /forget)
        raise UserError("partners.request_closed")
    request = await partners.get_request(session, intro.request_id)
    if request is None or request.requester_id != member.id:
        raise UserError("partners.not_yours")
    await _active_request(session, request.id, now)
    if intro.state != partners.INTERESTED:
        raise UserError("partners.already_answered")
    return intro, request, await _member(session, intro.recipient_id)


async def awaiting_confirmation(
    session: AsyncSession, *, intro_id: int, member: Member, now: datetime
) -> str:
    """The organisation of the interested member the requester may still introduce (nothing
    changed: asked before the introduction, such as for the requester's contact)."""
    _intro, _request, recipient = await _to_confirm(
        session, intro_id=intro_id, member=member, now=now
    )
    return organisation_of(recipient)


async def requester_confirms(
    session: AsyncSession, *, intro_id: int, member: Member, accept: bool, now: datetime
) -> str:
    """The requester accepts (or declines) an interested member; returns that organisation.

    On acceptance both sides get the other's contact and a short introduction.
    """
    intro, request, recipient = await _to_confirm(
        session, intro_id=intro_id, member=member, now=now
    )
    if not accept:
        intro.state = partners.REJECTED
        await _tell_no_introduction(session, intro, recipient, member, request)
        await session.flush()
        await _close_when_settled(session, request)
        return organisation_of(recipient)
    intro.state = partners.INTRODUCED
    intro.introduced_at = now
    for to, other, side in ((member, recipient, "requester"), (recipient, member, "recipient")):
        await enqueue_for_member(
            session,
            member=to,
            reply=introduction_message(to, other, request),
            kind="partner_introduction",
            dedupe_key=f"partner:intro:{intro.id}:{side}",
        )
    await session.flush()
    await _close_when_settled(session, request)
    return organisation_of(recipient)


async def forward(
    session: AsyncSession, *, request_id: int, member_id: int, now: datetime
) -> tuple[PartnerRequest, Member]:
    """An admin sends an open request to a member by hand (the double opt-in stays)."""
    request, recipient = await forward_target(
        session, request_id=request_id, member_id=member_id, now=now
    )
    requester = await _member(session, request.requester_id)
    intro = await deliver(
        session,
        request=request,
        requester=requester,
        recipient=recipient,
        score=0.0,
        now=now,
        manual=True,
    )
    if intro is None:
        raise UserError("partners.forward_unreachable", member=member_id)
    request.status = partners.OPEN
    # the requester was told the office would look in person: told it did, not whom (as
    # for the bot's own search, the member asked is named once interested)
    await enqueue_for_member(
        session,
        member=requester,
        reply=Reply(text=t(requester.language, "partners.office_forwarded", number=request.id)),
        kind="partner_update",
        dedupe_key=f"partner:forwarded:{intro.id}",
    )
    await session.flush()
    return request, recipient


async def open_request(session: AsyncSession, *, request_id: int, now: datetime) -> PartnerRequest:
    """A request the office may still forward, by its number (expired first when due);
    `UserError`s saying why not otherwise."""
    request = await partners.get_request(session, request_id, for_update=True)
    if request is None or request.status == partners.DRAFT:
        raise UserError("partners.unknown_request", number=request_id)
    await partners.expire_if_due(session, request, now)
    if request.status not in partners.ACTIVE:
        raise UserError("partners.request_closed")
    return request


async def forward_target(
    session: AsyncSession, *, request_id: int, member_id: int, now: datetime
) -> tuple[PartnerRequest, Member]:
    """The request and the member an admin means to send it to by hand, when it may go to
    them (asked before it goes: a mistyped number names another member); `UserError`s
    saying why not otherwise."""
    request = await open_request(session, request_id=request_id, now=now)
    recipient = await members.get_member(session, member_id)
    if recipient is None:
        raise UserError("errors.unknown_member", number=member_id)
    if recipient.id == request.requester_id:
        raise UserError("partners.forward_self")
    if not recipient.partner_consent:
        raise UserError("partners.forward_no_consent", member=member_id)
    existing = await partners.introductions_for(session, request_ids=[request.id])
    if any(i.recipient_id == recipient.id for i in existing[request.id]):
        raise UserError("partners.forward_already", member=member_id)
    if delivery_account(recipient) is None:
        raise UserError("partners.forward_unreachable", member=member_id)
    return request, recipient


async def own_running(
    session: AsyncSession, *, request_id: int, member_id: int, now: datetime
) -> PartnerRequest:
    """The member's own request `request_id` while it runs (expired first when due);
    `UserError`s saying why not otherwise."""
    request = await partners.get_request(session, request_id, for_update=True)
    if request is None or request.requester_id != member_id or request.status == partners.DRAFT:
        raise UserError("partners.unknown_request", number=request_id)
    await partners.expire_if_due(session, request, now)
    if request.status not in partners.ACTIVE:
        raise UserError("partners.request_closed")
    return request


async def close_own(
    session: AsyncSession, *, request_id: int, member_id: int, now: datetime
) -> PartnerRequest:
    """The requester closes their request; nobody can answer it any more."""
    request = await own_running(session, request_id=request_id, member_id=member_id, now=now)
    await partners.close_request(session, request, status=partners.CLOSED, now=now)
    return request
