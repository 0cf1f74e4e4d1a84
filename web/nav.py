"""The navigation's counts, on every dashboard page: the open questions beside the inbox's link.

Counted before the page is drawn (a template reads no database); an htmx fragment draws no
navigation, and one that changes a count swaps the badge itself (`templates/nav_badge.html`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from storage import faq
from web.render import ADMIN, NAV_COUNTS, SERVICES, is_htmx

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def nav_counts(request: web.Request, handler: Handler) -> web.StreamResponse:
    """For a signed-in admin's whole page: how many questions wait for the office's answer."""
    if request.get(ADMIN) is not None and not is_htmx(request):
        async with request.app[SERVICES].db.read() as session:
            request[NAV_COUNTS] = {"inbox": await faq.count_open(session)}
    return await handler(request)
