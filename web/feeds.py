"""The members' calendar feeds: `GET /feed/{token}.ics`, public (the token is the credential).

Answers text/calendar with an ETag, 304 to a matching If-None-Match (without building the
calendar), and the same bare 404 for a malformed, unknown or replaced token. The token is never
written to a log (the server keeps no access log; nothing here logs).
"""

from __future__ import annotations

from aiohttp import web

from handlers.events import feed
from web.render import SERVICES

PATH = "/feed/{token:[A-Za-z0-9_-]{20,100}}.ics"
CACHE_CONTROL = "private, max-age=300"


def _matches(header: str, etag: str) -> bool:
    """If-None-Match: `*`, or one of the listed tags (weak comparison, as RFC 9110 asks)."""
    if header.strip() == "*":
        return True
    given = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return f'"{etag}"' in given


async def member_feed(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    state = await feed.feed_state(services, request.match_info["token"])
    if state is None:
        raise web.HTTPNotFound()
    headers = {"ETag": f'W/"{state.etag}"', "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("If-None-Match", ""), state.etag):
        return web.Response(status=304, headers=headers)
    body = await feed.render_feed(services, state)
    return web.Response(body=body, content_type="text/calendar", charset="utf-8", headers=headers)


def register(app: web.Application) -> None:
    app.router.add_get(PATH, member_feed, name="calendar_feed")
