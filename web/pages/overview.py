"""The overview: what needs attention now."""

from __future__ import annotations

from aiohttp import web

from handlers.attention import needs_attention
from web.render import SERVICES, page

NAV: tuple[str, str, str] | None = ("overview", "/", "web.nav_overview")


async def overview(request: web.Request) -> web.StreamResponse:
    found = await needs_attention(request.app[SERVICES])
    return page(request, "overview.html", {"attention": found})


def register(app: web.Application) -> None:
    app.router.add_get("/", overview, name="overview")
