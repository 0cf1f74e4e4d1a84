"""`GET /healthz`: whether the database and each transport are alive, for monitoring."""

from __future__ import annotations

import json
import socket
from collections.abc import Sequence

from aiohttp import web

from bot.transports.base import Transport
from storage.db import Database


async def health_report(db: Database, transports: Sequence[Transport]) -> dict[str, object]:
    platforms = {str(t.platform): t.is_alive() for t in transports}
    database = await db.ping()
    return {
        "ok": database and all(platforms.values()),
        "database": database,
        "transports": platforms,
    }


class AppServer:
    """An aiohttp application served on `host:port` (or a bound socket); with port 0 the system
    picks one, read back into `port`. The health check and the web front door serve so."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def serve(
        self, app: web.Application, host: str, port: int, *, sock: socket.socket | None = None
    ) -> None:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = (
            web.TCPSite(self._runner, host, port)
            if sock is None
            else web.SockSite(self._runner, sock)
        )
        await site.start()
        # With port 0 the system picks one; read it back from the runner's listening socket.
        addresses = self._runner.addresses
        self.port = int(addresses[0][1]) if addresses else port

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class HealthServer(AppServer):
    def __init__(self, db: Database, transports: Sequence[Transport]) -> None:
        super().__init__()
        self.db = db
        self.transports = transports

    async def _healthz(self, _request: web.Request) -> web.Response:
        report = await health_report(self.db, self.transports)
        return web.Response(
            text=json.dumps(report),
            content_type="application/json",
            status=200 if report["ok"] else 503,
        )

    async def start(self, host: str, port: int) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        await self.serve(app, host, port)
