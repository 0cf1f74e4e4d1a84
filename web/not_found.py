"""A page that is not there, for a signed-in admin: a page of the dashboard with its navigation
and a sentence in the admin's language, not aiohttp's bare "404: Not Found"."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.i18n import t
from web.render import ADMIN, LANG, NAV, is_htmx, page

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# What aiohttp says when nothing more specific was given.
_BARE = "404: Not Found"


@web.middleware
async def not_found_page(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except web.HTTPNotFound as missing:
        # members' pages (feeds, the Mini App) and htmx fragments keep their plain answer
        if ADMIN not in request or is_htmx(request):
            raise
        said = missing.text if missing.text and missing.text != _BARE else ""
        message = said or t(request[LANG], "web.not_found")
        # the list of what was not found ("die Liste zeigt alle": the events page for an event)
        section = next(
            (
                (href, label)
                for _key, href, label in request.app[NAV]
                if href != "/" and request.path.startswith(href)
            ),
            None,
        )
        context = {"message": message, "section": section}
        return page(request, "not_found.html", context, status=404)
