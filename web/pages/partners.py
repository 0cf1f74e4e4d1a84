"""Partner requests: the office's partner inbox (nobody fitted; sent, no introduction yet;
introduced), each request with its recipients and their answers; forward one by hand to a
member picked by search (the member is asked first: the double opt-in stays)."""

from __future__ import annotations

from aiohttp import web

from bot.errors import UserError
from bot.i18n import t
from handlers import audit as audit_detail
from handlers.partners.overview import closest_members, forward_by_hand, inbox_groups
from handlers.partners.rules import organisation_of
from storage import members, partners
from web.auth import audit
from web.pages.members import PAGE_SIZE, page_number
from web.reader import off_loop, services_of
from web.render import LANG, SERVICES, page, page_off_loop

NAV: tuple[str, str, str] | None = ("partners", "/partners", "web.nav_partners")


# Requests shown per group and page: a busy network's inbox stays a page, not a scroll.
GROUP_SIZE = 50
GROUPS = ("office", "unmatched", "matched")


def _group_pages(request: web.Request) -> dict[str, int]:
    """The page of each group (`?office=2` …), 1 when not given or not a number."""
    pages = {}
    for key in GROUPS:
        raw = request.query.get(key, "1")
        pages[key] = max(1, min(int(raw), 100_000)) if raw.isdecimal() and len(raw) < 7 else 1
    return pages


async def inbox(request: web.Request) -> web.StreamResponse:
    pages = _group_pages(request)
    found = await inbox_groups(
        services_of(request),
        shown=GROUP_SIZE,
        offsets={key: (number - 1) * GROUP_SIZE for key, number in pages.items()},
    )
    groups = []
    for key, group in (
        ("office", found.office),
        ("unmatched", found.unmatched),
        ("matched", found.matched),
    ):
        first = (pages[key] - 1) * GROUP_SIZE
        groups.append(
            {
                "key": key,
                "count": len(group),
                "rows": group[first : first + GROUP_SIZE],
                "first": first + 1,
                "page": pages[key],
                "more": len(group) > first + GROUP_SIZE,
            }
        )
    return await page_off_loop(
        request,
        "partners/index.html",
        {
            "inbox": found,
            "groups": groups,
            "size": GROUP_SIZE,
            "forwarded": request.query.get("forwarded", ""),
            "forwarded_to": await _forwarded_to(request),
        },
    )


async def _forwarded_to(request: web.Request) -> str:
    """The organisation a request was just forwarded to (`?forwarded=R-M`), for the line
    saying so; empty when none is named."""
    _, _, raw = request.query.get("forwarded", "").partition("-")
    if not raw.isdecimal() or len(raw) > 15:
        return ""
    async with services_of(request).db.session() as session:
        recipient = await members.get_member(session, int(raw))
    return organisation_of(recipient) if recipient is not None else ""


def _request_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if len(raw) > 15:
        raise web.HTTPNotFound()
    return int(raw)


async def _forward_page(
    request: web.Request, query: str, error: str = "", status: int = 200
) -> web.Response:
    services = request.app[SERVICES]
    number = page_number(request)
    async with services.db.session() as session:
        found = await partners.get_request(session, _request_id(request))
        if found is None or found.status == partners.DRAFT:
            raise web.HTTPNotFound()
        requester = await members.get_member(session, found.requester_id)
        candidates, total = (
            await members.search_members(
                session, query=query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
            )
            if query
            else ([], 0)
        )
        already = await partners.introductions_for(session, request_ids=[found.id])
    active = found.status in partners.ACTIVE
    # before a search: the members the ranking finds closest, as a start
    closest = await closest_members(services, found) if active and not query else None
    return page(
        request,
        "partners/forward.html",
        {
            "req": found,
            "requester": requester,
            "q": query,
            "candidates": candidates,
            "total": total,
            "already": {i.recipient_id for i in already[found.id]},
            "closest": closest,
            "error": error,
            "active": active,
        },
        status=status,
    )


async def forward_form(request: web.Request) -> web.StreamResponse:
    return await _forward_page(request, request.query.get("q", "")[:200])


async def _confirm_page(request: web.Request, member_id: int, query: str) -> web.Response:
    """Who is about to be asked, before anything is sent (whether they may be asked is
    decided when the admin confirms, by the same rule as the chat's /forward_request)."""
    async with request.app[SERVICES].db.session() as session:
        found = await partners.get_request(session, _request_id(request))
        recipient = await members.get_member(session, member_id)
    if found is None or found.status == partners.DRAFT or recipient is None:
        raise web.HTTPNotFound()
    return page(
        request,
        "partners/forward_confirm.html",
        {"req": found, "member": recipient, "q": query},
    )


async def forward(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    raw = str(form.get("member", ""))
    request_id = _request_id(request)
    if not raw.isdecimal() or len(raw) > 15:
        raise web.HTTPBadRequest(text="member must be a number")
    if form.get("confirm") != "1":
        return await _confirm_page(request, int(raw), str(form.get("q", ""))[:200])
    try:
        sent, recipient = await forward_by_hand(
            request.app[SERVICES], request_id=request_id, member_id=int(raw)
        )
    except UserError as exc:
        message = t(request[LANG], exc.key, **exc.values)
        return await _forward_page(request, str(form.get("q", ""))[:200], message, status=422)
    forwarded = audit_detail.detail("audit.partner_forwarded", request=sent.id, member=recipient.id)
    await audit(request, "partners:forward", forwarded)
    raise web.HTTPSeeOther(f"/partners?forwarded={sent.id}-{recipient.id}")


def register(app: web.Application) -> None:
    app.router.add_get("/partners", off_loop(inbox), name="partners")
    app.router.add_get(r"/partners/{id:\d+}/forward", forward_form, name="partner_forward_form")
    app.router.add_post(r"/partners/{id:\d+}/forward", forward, name="partner_forward")
