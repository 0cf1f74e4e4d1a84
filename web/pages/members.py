"""Members: search the directory, one member's page (profile, accounts, sign-ups, requests,
role, an invitation to claim the entry from a chat), import the directory CSV (all rows or
none) and export it."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import file_prefix, t
from handlers import audit as audit_detail
from handlers.members import topic_examples
from handlers.members.dashboard import is_admin_member
from handlers.members.directory_import import (
    DirectoryImportError,
    export_directory,
    ignored_columns,
    import_directory,
    parse_directory,
)
from handlers.members.invitations import (
    INVITATION_LIFETIME,
    Invited,
    create_invitation,
    platforms_of,
)
from handlers.members.personal_data import member_json
from handlers.members.roles import change_role
from handlers.members.rules import reachable_now
from storage import members, partners, signups
from storage.models import Member
from web.auth import audit
from web.reader import off_loop, services_of
from web.render import LANG, SERVICES, page
from web.uploads import upload_text

NAV: tuple[str, str, str] | None = ("members", "/members", "web.nav_members")

PAGE_SIZE = 50
MAX_IMPORT_BYTES = 10 * 1024**2


def page_number(request: web.Request) -> int:
    """The `page` query value, 1 or more (anything else is page 1)."""
    raw = request.query.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdecimal() and len(raw) < 7 else 1


def member_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    if len(raw) > 15:
        raise web.HTTPNotFound()
    return int(raw)


async def search(request: web.Request, query: str, number: int) -> dict[str, object]:
    services = services_of(request)
    async with services.db.read() as session:
        found, total = await members.search_members(
            session, query=query, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    return {
        "found": found,
        "total": total,
        "q": query,
        "page_no": number,
        "pages": max(1, -(-total // PAGE_SIZE)),
    }


async def directory(request: web.Request) -> web.StreamResponse:
    query = request.query.get("q", "")[:200]
    values = await search(request, query, page_number(request))
    return page(
        request,
        "members/index.html",
        {
            **values,
            "problems": [],
            "imported": request.query.get("imported", ""),
            "ignored": request.query.get("ignored", "").replace(",", ", ")[:300],
            "unconnected": _count(request.query.get("unconnected", "")),
            "text": "",
            "refused": "",
        },
    )


def _count(text: str) -> int:
    """A count from the page's address (what an import reported), 0 when it is none."""
    return int(text) if text.isdecimal() and len(text) < 10 else 0


async def import_csv(request: web.Request) -> web.StreamResponse:
    """Validate the whole file first; write only when every row is good."""
    lang = request[LANG]
    form = await request.post()
    upload = form.get("file")
    text = ""
    problems: list[Markup]
    if isinstance(upload, web.FileField):
        try:
            text = upload_text(
                upload, limit=MAX_IMPORT_BYTES, saved_as="web.upload_as_csv", lang=request[LANG]
            )
        except UserError as exc:
            problems = [Markup(t(lang, exc.key, **exc.values))]
        else:
            problems = [] if text.strip() else [Markup(t(lang, "web_members.import_empty"))]
    else:
        text = str(form.get("text", ""))
        problems = [] if text.strip() else [Markup(t(lang, "web_members.import_empty"))]
    if not problems:
        try:
            rows = parse_directory(text)
        except DirectoryImportError as exc:
            problems = [Markup(shown) for shown in exc.shown(lang)]  # the office's language
        else:
            services = request.app[SERVICES]
            async with services.db.session() as session:
                imported = await import_directory(
                    session, rows, default_language=services.settings.network.default_language
                )
            await topic_examples.refresh(services, force=True)  # the new directory's topics
            await audit(
                request,
                "members:import",
                audit_detail.detail(
                    "audit.members_imported", added=imported.added, updated=imported.updated
                ),
            )
            ignored = ",".join(ignored_columns(text))
            query = {
                "imported": f"{imported.added}-{imported.updated}-{imported.unchanged}",
                **({"ignored": ignored} if ignored else {}),
                **({"unconnected": str(imported.unconnected)} if imported.unconnected else {}),
            }
            raise web.HTTPSeeOther(f"/members?{urlencode(query)}")
    values = await search(request, "", 1)
    was_pasted = not isinstance(upload, web.FileField)
    return page(
        request,
        "members/index.html",
        {
            **values,
            "problems": problems,
            "imported": "",
            "ignored": "",
            "unconnected": 0,
            "text": text if was_pasted else "",
            # "…and paste it again" under a pasted text, "…upload it again" under a file
            "refused": "web_members.import_refused_pasted"
            if was_pasted
            else "web_members.import_refused",
        },
        status=422,
    )


async def export_csv(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    async with services.db.session() as session:
        everyone = await members.list_members(session)
    body = export_directory(everyone)
    await audit(
        request, "members:export", audit_detail.detail("audit.members", count=len(everyone))
    )
    return web.Response(
        body=body.encode("utf-8"),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{file_prefix()}-members.csv"'},
    )


async def _member_or_404(request: web.Request) -> Member:
    services = services_of(request)
    async with services.db.read() as session:
        found = await members.get_member(session, member_id(request))
    if found is None:
        raise web.HTTPNotFound()
    return found


async def member_page(request: web.Request) -> web.StreamResponse:
    return await _member_view(request, await _member_or_404(request))


async def _member_view(
    request: web.Request,
    member: Member,
    invited: Invited | None = None,
    *,
    refused: str = "",
    status: int = 200,
) -> web.StreamResponse:
    """The member's page; `invited`: the invitation just made, shown once (its code is
    never put in an address, where logs and browser histories would keep it); `refused`:
    why none was made (the member is in the chat already, or was)."""
    services = services_of(request)
    now = services.clock()
    async with services.db.read() as session:
        booked = await signups.member_signups(session, member_id=member.id, after=now)
        written = list(await partners.requests_of(session, member_id=member.id))[:50]
        received = await partners.introductions_received(session, recipient_id=member.id)
    admin = await is_admin_member(services, member.id)
    return page(
        request,
        "members/member.html",
        {
            "member": member,
            "signups": booked,
            "written": written,
            "received": received,
            "is_admin": admin,
            "by_config": admin and not member.is_admin,
            "changed": request.query.get("changed", ""),
            "invited": invited,
            "refused": refused,
            "in_chat": reachable_now(member),
            "platforms": platforms_of(member, request[LANG]),
            "invitation_days": INVITATION_LIFETIME.days,
            "matrix_bot": services.settings.matrix.user_id or "",
        },
        status=status,
    )


async def invitation_create(request: web.Request) -> web.StreamResponse:
    """A fresh invitation for this member to claim their entry from a chat (the one before
    stops working), shown on their page."""
    member = await _member_or_404(request)
    try:
        invited = await create_invitation(request.app[SERVICES], member.id, lang=request[LANG])
    except UserError as exc:  # a chat account is theirs already: the page says so
        refused = t(request[LANG], exc.key, **exc.values)
        return await _member_view(request, member, refused=refused, status=409)
    target = member.id
    await audit(request, "members:invite", audit_detail.detail("audit.member", member=target))
    return await _member_view(request, invited.member, invited)


async def member_export(request: web.Request) -> web.StreamResponse:
    """The member's /mydata JSON."""
    member = await _member_or_404(request)
    body = await member_json(request.app[SERVICES].db, member.id)
    await audit(
        request, "members:export_member", audit_detail.detail("audit.member", member=member.id)
    )
    return web.Response(
        body=body,
        content_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{file_prefix()}-member-{member.id}.json"'
        },
    )


def _target_role(value: str) -> bool:
    if value not in ("admin", "member"):
        raise web.HTTPBadRequest(text="to must be admin or member")
    return value == "admin"


async def role_confirm(request: web.Request) -> web.StreamResponse:
    """The question before the change: make them an admin (or no longer one)?"""
    member = await _member_or_404(request)
    to_admin = _target_role(request.query.get("to", ""))
    return page(request, "members/role.html", {"member": member, "to_admin": to_admin})


async def role_change(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    to_admin = _target_role(str(form.get("to", "")))
    target = member_id(request)
    try:
        await change_role(request.app[SERVICES], target, to_admin)
    except UserError as exc:
        raise web.HTTPNotFound(text=t(request[LANG], exc.key, **exc.values)) from exc
    role = "audit.role_admin" if to_admin else "audit.role_member"
    await audit(request, "members:role", audit_detail.detail(role, member=target))
    raise web.HTTPSeeOther(f"/members/{target}?changed={'admin' if to_admin else 'member'}")


def register(app: web.Application) -> None:
    app.router.add_get("/members", off_loop(directory), name="members")
    app.router.add_get("/members/export.csv", export_csv, name="members_export")
    app.router.add_post("/members/import", import_csv, name="members_import")
    app.router.add_get(r"/members/{id:\d+}", off_loop(member_page), name="member")
    app.router.add_get(r"/members/{id:\d+}/data.json", member_export, name="member_export")
    app.router.add_get(r"/members/{id:\d+}/role", role_confirm, name="member_role_confirm")
    app.router.add_post(r"/members/{id:\d+}/role", role_change, name="member_role")
    app.router.add_post(
        r"/members/{id:\d+}/invitation", invitation_create, name="member_invitation"
    )
