"""The dashboard application and its server: built once from the services, started by the App."""

from __future__ import annotations

import logging
import socket

from aiohttp import web

from bot.health import AppServer, health_report
from bot.services import Services
from bot.transports.base import Transport
from web import auth, feeds, miniapp, nav, not_found, render
from web.pages import PAGES

log = logging.getLogger(__name__)


def build_web_app(services: Services, transports: list[Transport] | None = None) -> web.Application:
    """The dashboard: every page module's routes behind the sign-in and CSRF checks."""
    app = web.Application(
        middlewares=[
            auth.security_headers,
            auth.signed_in,
            nav.nav_counts,
            not_found.not_found_page,
        ],
        client_max_size=25 * 1024**2,
    )
    app[render.SERVICES] = services
    render.setup(app)
    app.router.add_static("/static/", render.STATIC, name="static", append_version=True)
    auth.register(app)
    feeds.register(app)  # the members' calendar feeds: public, the token is the credential
    app[render.NAV] = [module.NAV for module in PAGES if module.NAV is not None]
    for module in PAGES:
        module.register(app)
    miniapp.register(app)  # the members' events page: its own sign-in (initData, signed link)
    if transports is not None:

        async def healthz(_request: web.Request) -> web.Response:
            report = await health_report(services.db, transports)
            return web.json_response(report, status=200 if report["ok"] else 503)

        app.router.add_get("/healthz", healthz, name="healthz")
    return app


class WebServer(AppServer):
    """Serves the dashboard on `[web] listen:port`; port 0 picks a free one (tests)."""

    def __init__(self, services: Services, transports: list[Transport] | None = None) -> None:
        super().__init__()
        self.app = build_web_app(services, transports)

    async def start(self, host: str, port: int, *, sock: socket.socket | None = None) -> None:
        """Serve on `host:port`, or on `sock` when one is given (already bound)."""
        await self.serve(self.app, host, port, sock=sock)
