"""Who may see the dashboard: admins signed in with a one-time link, checked on every request.

- `GET /login/{token}` shows a button; only its `POST` uses the link up (a chat app's link
  preview must not). A used link says so (no button), in its admin's language, with how to get
  a new one; wrong or expired links get the same refusal, without saying why.
  Attempts are limited per address.
- The session cookie (HttpOnly, SameSite=Strict, Secure behind https) holds a random secret; the
  database its hash. A session ends after `[web] idle_minutes` without a request, at once when
  the admin is demoted (the admin check runs on every request) or erased (the row cascades).
- Every request that changes something carries the session's CSRF token, as the form field
  `csrf` or the header `X-CSRF-Token` (htmx sends it, see templates/base.html).
- Every action a page performs is written to the audit log with the admin (`audit`).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from aiohttp import web

from bot.i18n import LANGUAGES, normalise_language
from handlers.members.dashboard import is_admin_member
from storage import audit as audit_log
from storage import members, web_sessions
from web.render import ADMIN, LANG, SERVICES, SESSION, page

log = logging.getLogger(__name__)

COOKIE = "rewimet_session"
LANG_COOKIE = "rewimet_lang"
# Paths anyone may open: signing in, the stylesheet and script, the health check, and the
# members' events page (web/miniapp.py checks Telegram's initData or a signed link itself),
# the calendar feeds (web/feeds.py: the token in the URL is the credential).
PUBLIC_PREFIXES = ("/login/", "/static/", "/healthz", "/signed-out", "/app", "/feed/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Sign-in attempts per address: a burst, then one every few seconds.
ATTEMPT_BURST = 10
ATTEMPT_EVERY = 6.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PREFIXES)


class Attempts:
    """A token bucket per remote address for sign-in attempts."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        tokens, last = self._buckets.get(key, (float(ATTEMPT_BURST), now))
        tokens = min(float(ATTEMPT_BURST), tokens + (now - last) / ATTEMPT_EVERY)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        if len(self._buckets) > 10_000:
            self._buckets.clear()
        self._buckets[key] = (tokens - 1, now)
        return True


ATTEMPTS = web.AppKey("sign_in_attempts", Attempts)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        response = error
    # Telegram Web shows the events page (web/miniapp.py) in a frame; nothing else is framed.
    mini_app = request.path == "/app" or request.path.startswith("/app/")
    ancestors = "https://web.telegram.org" if mini_app else "'none'"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if not mini_app:
        response.headers["X-Frame-Options"] = "DENY"
    # The calendar feeds (web/feeds.py) say how long a calendar may keep them.
    if not request.path.startswith(("/static/", "/feed/")):
        response.headers["Cache-Control"] = "no-store"
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def signed_in(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every page but the public ones needs a live session of an admin, and every change its
    CSRF token."""
    services = request.app[SERVICES]
    default = services.settings.network.default_language
    request[LANG] = _chosen_language(request) or _browser_language(request) or default
    if is_public(request.path):
        return await handler(request)
    secret = request.cookies.get(COOKIE, "")
    now = services.clock()
    idle_after = now - timedelta(minutes=services.settings.web.idle_minutes)
    async with services.db.session() as session:
        found = (
            await web_sessions.touch_session(session, secret=secret, now=now, idle_after=idle_after)
            if secret
            else None
        )
        member = await members.get_member(session, found.member_id) if found else None
    if found is None or member is None or not await is_admin_member(services, member.id):
        raise web.HTTPSeeOther("/signed-out")
    if request.method not in SAFE_METHODS and not await _csrf_ok(request, found.csrf):
        raise web.HTTPForbidden(text="CSRF token missing or wrong")
    request[SESSION] = found
    request[ADMIN] = member
    if _chosen_language(request) is None:
        request[LANG] = member.language
    return await handler(request)


async def _csrf_ok(request: web.Request, expected: str) -> bool:
    given = request.headers.get("X-CSRF-Token", "")
    if not given and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        given = str((await request.post()).get("csrf", ""))
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def _language(request: web.Request, default: str) -> str:
    chosen = request.query.get("lang") or request.cookies.get(LANG_COOKIE) or default
    return chosen if chosen in ("de", "en") else default


def _chosen_language(request: web.Request) -> str | None:
    """The language picked on the page (`?lang=`, then the cookie the picker sets)."""
    for chosen in (request.query.get("lang"), request.cookies.get(LANG_COOKIE)):
        if chosen in LANGUAGES:
            return chosen
    return None


def _browser_language(request: web.Request) -> str | None:
    """The first of our languages the browser asks for (`Accept-Language`, by its weights)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(request.headers.get("Accept-Language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        short = tag.strip().lower()[:2]
        if short in LANGUAGES and quality > 0:
            weighted.append((-quality, position, short))
    return min(weighted)[2] if weighted else None


async def audit(request: web.Request, action: str, detail: str | Mapping[str, object] = "") -> None:
    """Record a dashboard action with the admin who did it (`detail` as handlers/audit.py
    builds it, so the log reads in its reader's language)."""
    services = request.app[SERVICES]
    admin = request[ADMIN]
    async with services.db.session() as session:
        await audit_log.record(
            session, actor_member_id=admin.id, action=f"web:{action}", allowed=True, detail=detail
        )
    log.info("admin action web:%s by member %s", action, admin.id)


# ---- routes ------------------------------------------------------------------------------


async def login_page(request: web.Request) -> web.StreamResponse:
    """The button that signs in (a GET changes nothing), in the language of the member the
    link was made for (the browser's when the link is unknown or expired). A used link shows
    no button, which would only lead to a refusal: it says that it was used."""
    services = request.app[SERVICES]
    token = request.match_info["token"]
    async with services.db.session() as session:
        member_id = await web_sessions.link_member(session, token=token, now=services.clock())
        used_by = None if member_id else await web_sessions.used_link_member(session, token=token)
        made_for = member_id or used_by
        member = await members.get_member(session, made_for) if made_for else None
    if member is not None and _chosen_language(request) is None:
        request[LANG] = normalise_language(member.language, request[LANG])
    if used_by is not None:
        return page(request, "refused.html", {"reason": "used"}, status=403)
    return page(request, "login.html", {"token": token})


async def _used_link(request: web.Request, token: str) -> bool:
    """Whether the link was used already; refused in the language of the admin it was made
    for (its sign-in page spoke it), the browser's only when the link is unknown."""
    services = request.app[SERVICES]
    async with services.db.session() as session:
        used_by = await web_sessions.used_link_member(session, token=token)
        member = await members.get_member(session, used_by) if used_by else None
    if member is not None and _chosen_language(request) is None:
        request[LANG] = normalise_language(member.language, request[LANG])
    return used_by is not None


async def login(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    attempts = request.app[ATTEMPTS]
    if not attempts.allow(request.remote or "?"):
        return page(request, "refused.html", {"reason": "slow_down"}, status=429)
    token = request.match_info["token"]
    async with services.db.session() as session:
        member_id = await web_sessions.use_link(session, token=token, now=services.clock())
    if member_id is None:
        reason = "used" if await _used_link(request, token) else "link"
        return page(request, "refused.html", {"reason": reason}, status=403)
    if not await is_admin_member(services, member_id):
        return page(request, "refused.html", {"reason": "link"}, status=403)
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = services.clock()
    idle_after = now - timedelta(minutes=services.settings.web.idle_minutes)
    async with services.db.session() as session:
        # Each sign-in sweeps what no one can use any more: expired links, idle sessions.
        await web_sessions.prune(session, now=now, idle_after=idle_after)
        await web_sessions.add_session(
            session, secret=secret, member_id=member_id, csrf=csrf, now=services.clock()
        )
        await audit_log.record(
            session, actor_member_id=member_id, action="web:sign_in", allowed=True, detail=""
        )
    response = web.HTTPSeeOther("/")
    response.set_cookie(
        COOKIE,
        secret,
        httponly=True,
        samesite="Strict",
        secure=services.settings.web.public_url.startswith("https://"),
        path="/",
    )
    raise response


async def signed_out(request: web.Request) -> web.StreamResponse:
    """After *Sign out* (`?bye=1`) a goodbye, otherwise how to sign in."""
    if request.query.get("bye") == "1":
        return page(request, "refused.html", {"reason": "bye"})
    return page(request, "refused.html", {"reason": "signed_out"}, status=401)


async def logout(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    async with services.db.session() as session:
        await web_sessions.end_session(session, secret=request.cookies.get(COOKIE, ""))
    response = web.HTTPSeeOther("/signed-out?bye=1")
    response.del_cookie(COOKIE, path="/")
    raise response


async def choose_language(request: web.Request) -> web.StreamResponse:
    lang = _language(request, "de")
    response = web.HTTPSeeOther(str(request.query.get("next", "/")) if _local(request) else "/")
    response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="Strict", path="/")
    raise response


def _local(request: web.Request) -> bool:
    target = str(request.query.get("next", "/"))
    return target.startswith("/") and not target.startswith("//")


def register(app: web.Application) -> None:
    app[ATTEMPTS] = Attempts()
    app.router.add_get("/login/{token}", login_page, name="login_page")
    app.router.add_post("/login/{token}", login, name="login")
    app.router.add_get("/signed-out", signed_out, name="signed_out")
    app.router.add_post("/logout", logout, name="logout")
    app.router.add_get("/language", choose_language, name="language")
