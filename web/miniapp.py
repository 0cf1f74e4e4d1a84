"""The members' events page: a Telegram Mini App, and the same page from a signed link (Matrix).

`GET /app` is an empty shell; its script (static/miniapp.js) reads Telegram's `initData` from the
URL fragment (or the signed link's query) and sends it with every htmx request, as the header
`X-Telegram-Init-Data` (or `X-Member-Link`). Every other `/app` route checks it
(handlers/members/miniapp_auth.py) before anything else: no session, no cookie. A custom header
cannot be sent cross-site without CORS, which this server never allows, so it guards the POSTs as
the dashboard's CSRF token does.

Like the dashboard the page only translates: join, leave and accept call the same functions in
handlers/events/service.py as the chat's buttons, so capacity and waitlist are one rule.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import normalise_language, t
from bot.services import Services
from handlers.events import render, service
from handlers.events.pending import find_waiting
from handlers.members import miniapp_auth
from storage import audit as audit_log
from storage import event_store, members, signups
from storage.event_store import as_utc
from storage.events import CONFIRMED, OFFERED, WAITLISTED, Event
from storage.models import Member
from web.render import LANG, SERVICES, page

log = logging.getLogger(__name__)

PREFIX = "/app"
INIT_HEADER = "X-Telegram-Init-Data"
LINK_HEADER = "X-Member-Link"
MAX_EVENTS = 30
ACTIONS = ("join", "leave", "accept")


class Refused(Exception):
    """The request does not show who is asking: `reason` names the catalogue text; `lang` the
    language to say it in when Telegram told it (else the browser's)."""

    def __init__(self, reason: str, lang: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.lang = lang


async def member_of(request: web.Request) -> Member:
    """The member the request's initData or signed link names; raises `Refused` otherwise."""
    services = request.app[SERVICES]
    init_data = request.headers.get(INIT_HEADER, "")
    link = request.headers.get(LINK_HEADER, "")
    if init_data:
        token = services.settings.telegram.token
        user_id = miniapp_auth.check_init_data(
            init_data, token.get_secret_value() if token else "", services.clock()
        )
        if user_id is None:
            raise Refused("refused_invalid")
        found = await miniapp_auth.member_for_telegram(services, user_id)
        if found is None:
            told = miniapp_auth.telegram_language(init_data)
            raise Refused("refused_unknown", normalise_language(told) if told else None)
        return found
    if link:
        member_id = await miniapp_auth.check_matrix_link(services, link)
        if member_id is None:
            raise Refused("refused_link")
        async with services.db.session() as session:
            member = await members.get_member(session, member_id)
        if member is None:
            raise Refused("refused_link")
        return member
    raise Refused("refused_none")


@dataclass(frozen=True)
class Row:
    """One event as the member sees it on the page."""

    event: Event
    free: int | None  # None: no limit
    waiting: int
    state: str  # "", confirmed, waitlisted, offered
    rank: int
    offer_until: Any  # datetime | None


async def event_rows(services: Services, member: Member) -> list[Row]:
    """Upcoming open events the member may join (young professionals' only for them)."""
    now = services.clock()
    rows: list[Row] = []
    async with services.db.session() as session:
        found = await event_store.upcoming(session, after=now, limit=MAX_EVENTS)
        for event in found:
            if not service.open_to(event, member):
                continue
            taken, waiting = await signups.counts(session, event_id=event.id)
            mine = await signups.find(session, event_id=event.id, member_id=member.id)
            state, rank, until = "", 0, None
            if mine is not None:
                state = mine.status
                if state == WAITLISTED:
                    rank = await signups.waitlist_rank(
                        session, event_id=event.id, position=mine.position
                    )
                elif state == OFFERED:
                    until = as_utc(mine.offer_expires_at) if mine.offer_expires_at else None
                    if until is not None and until <= now:
                        state, until = WAITLISTED, None  # lapsed: the sweep moves it on
            free = None if event.capacity is None else max(0, event.capacity - taken)
            rows.append(Row(event, free, waiting, state, rank, until))
    return rows


async def _fragment(
    request: web.Request, member: Member, *, notice: str = "", error: str = ""
) -> web.Response:
    services = request.app[SERVICES]
    request[LANG] = member.language
    tz = services.settings.network.tz
    rows = await event_rows(services, member)
    now = services.clock()
    async with services.db.session() as session:
        waiting = await find_waiting(session, member=member, now=now)
    values = {
        "member": member,
        "rows": rows,
        "waiting": waiting,
        # catalogue texts, their values escaped once already by `t`
        "notice": Markup(notice),
        "error": Markup(error),
        "states": {"confirmed": CONFIRMED, "waitlisted": WAITLISTED, "offered": OFFERED},
        # The English title for a member who reads English, where the office gave one.
        "title_of": lambda event: render.title_in(member.language, event),
        # start and end, as the chat shows them ("Di 08.12.2026, 14:00 Uhr – 17:00 Uhr")
        "when_of": lambda event: render.when_label(member.language, event, tz),
        "description_of": lambda event: render.description_in(member.language, event),
        "place_of": lambda event: render.place_in(member.language, event),
        # the deadline and whom it is for, as the chat's details say them
        "notes_of": lambda event: render.deadline_and_audience(member.language, event, tz),
        "closed": lambda event: _closed(event, now),
    }
    return _spoken(page(request, "miniapp/events.html", values), member.language)


def _closed(event: Event, now: datetime) -> bool:
    """Whether the event's sign-up deadline has passed."""
    return event.deadline is not None and as_utc(event.deadline) <= now


def _refusal(request: web.Request, refused: Refused) -> web.Response:
    if refused.lang is not None:
        request[LANG] = refused.lang
    response = page(request, "miniapp/refused.html", {"reason": refused.reason}, status=403)
    return _spoken(response, request[LANG])


def _spoken(response: web.Response, lang: str) -> web.Response:
    """The language of the page's text as a header: the page's script makes it the whole
    page's (`<html lang>`); the fragment's own `<title>` htmx puts in the tab."""
    response.headers["Content-Language"] = lang
    return response


# ---- routes ------------------------------------------------------------------------------


async def shell(request: web.Request) -> web.StreamResponse:
    """The empty page; its script loads the events with the member's credentials.

    Its title and "Einen Moment …" speak the member's language where the address tells it: a
    signed link names the member; Telegram's buttons carry `?lang=`. Otherwise (the menu button)
    the browser's, until the events arrive in the member's language and the script switches."""
    if request.query.get("s"):
        member_id = await miniapp_auth.check_matrix_link(
            request.app[SERVICES], request.query_string
        )
        if member_id is not None:
            async with request.app[SERVICES].db.session() as session:
                member = await members.get_member(session, member_id)
            if member is not None:
                request[LANG] = member.language
    return _spoken(page(request, "miniapp/shell.html", {}), request[LANG])


async def events(request: web.Request) -> web.StreamResponse:
    try:
        member = await member_of(request)
    except Refused as refused:
        return _refusal(request, refused)
    return await _fragment(request, member)


async def act(request: web.Request) -> web.StreamResponse:
    """Anmelden / Abmelden / Platz annehmen: the chat's own rules, then the list again."""
    try:
        member = await member_of(request)
    except Refused as refused:
        return _refusal(request, refused)
    services = request.app[SERVICES]
    action = request.match_info["action"]
    number = request.match_info["event_id"]
    if action not in ACTIONS or not number.isdecimal() or len(number) > 12:
        raise web.HTTPNotFound()
    event_id = int(number)
    lang = member.language
    try:
        notice = await perform(services, member, action, event_id)
    except UserError as error:
        return await _fragment(request, member, error=t(lang, error.key, **error.values))
    async with services.db.session() as session:
        await audit_log.record(
            session,
            actor_member_id=member.id,
            action=f"miniapp:{action}",
            allowed=True,
            detail=f"event {event_id}",
        )
    return await _fragment(request, member, notice=notice)


async def perform(services: Services, member: Member, action: str, event_id: int) -> str:
    """Call the feature's function for the action; the notice the page shows after it."""
    lang = member.language
    # The page lists only what the member may join (event_rows), the office's included: a
    # young professionals' event posted by anyone else is one there is none of (office=False).
    if action == "join":
        event, result = await service.join_event(services, member, event_id, office=False)
        if result.outcome == "already" and result.status == OFFERED:
            action = "accept"  # as in the chat: joining on an offer takes the place
        elif result.outcome == CONFIRMED:
            return t(lang, "miniapp.joined", title=render.title_of(event))
        elif result.outcome == WAITLISTED:
            return t(lang, "miniapp.waitlisted", title=render.title_of(event), rank=result.rank)
        else:
            return t(lang, "miniapp.already", title=render.title_of(event))
    if action == "accept":
        event = await service.accept_offer(services, member, event_id, office=False)
        return t(lang, "miniapp.accepted", title=render.title_of(event))
    event, left = await service.leave_event(services, member, event_id, office=False)
    key = "miniapp.left" if left.left else "miniapp.not_signed_up"
    return t(lang, key, title=render.title_of(event))


def register(app: web.Application) -> None:
    app.router.add_get(PREFIX, shell, name="miniapp")
    app.router.add_get(PREFIX + "/events", events, name="miniapp_events")
    app.router.add_post(PREFIX + "/events/{event_id}/{action}", act, name="miniapp_action")
