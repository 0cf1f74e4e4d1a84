"""The dashboard against the bot's harness: a real aiohttp server on 127.0.0.1, signed in as
an admin with a real one-time link (tests and bench/ share this)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp

from handlers.members.dashboard import sign_in_link
from tests.harness import Harness, make_harness
from web.app import WebServer


@dataclass
class Dashboard:
    bot: Harness
    server: WebServer

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    async def link(self, user: str = "admin") -> str:
        """A sign-in link for a console user (they must have written to the bot once)."""
        member = await self.bot.member(user)
        if member is None:
            await self.bot.send(user, "/help")
            member = await self.bot.member(user)
        assert member is not None
        # `[web] port = 0` without a public_url: the link names port 0, served on another.
        public = self.bot.app.services.settings.web.public_url
        return (await sign_in_link(self.bot.app.services, member.id)).replace(public, self.url)

    async def signed_in(self, user: str = "admin") -> SignedIn:
        """A browser-like client with the session cookie, and the page's CSRF token."""
        client = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        link = await self.link(user)
        async with client.post(link, allow_redirects=False) as response:
            assert response.status == 303, await response.text()
        async with client.get(self.url + "/") as page:
            html = await page.text()
        found = re.search(r'name="csrf" value="([^"]+)"', html)
        return SignedIn(self, client, found.group(1) if found else "")


@dataclass
class SignedIn:
    dashboard: Dashboard
    client: aiohttp.ClientSession
    csrf: str

    async def get(self, path: str) -> tuple[int, str]:
        async with self.client.get(self.dashboard.url + path, allow_redirects=False) as r:
            return r.status, await r.text()

    async def post(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        form = {"csrf": self.csrf, **(data or {})}
        async with self.client.post(
            self.dashboard.url + path, data=form, allow_redirects=False
        ) as r:
            return r.status, await r.text()

    async def close(self) -> None:
        await self.client.close()


@asynccontextmanager
async def dashboard_for(url: str, **settings: object) -> AsyncIterator[Dashboard]:
    web = {"enabled": True, "port": 0, **settings}
    bot = await make_harness(url, web=web)
    server = WebServer(bot.app.services)
    await server.start("127.0.0.1", 0)
    try:
        yield Dashboard(bot, server)
    finally:
        await server.stop()
        await bot.app.stop()
