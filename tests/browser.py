"""A real browser for the dashboard tests: Debian's chromium driven by Playwright.

Playwright cannot download its own browser here, so it starts the `chromium` on PATH
(`.ci/run` installs it with apt). `admin_page` is a page signed in through a real one-time
link against tests/web_harness.py's Dashboard; it records the console and page errors and
fails the test on any Content-Security-Policy violation or script error.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, ViewportSize, async_playwright

from tests.web_harness import Dashboard, dashboard_for

__all__ = ["admin_page", "browser", "browser_dashboard"]  # the fixtures; import the rest by name

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """One chromium for the whole run (each test gets its own context: cookies apart)."""
    path = chromium_path()
    if path is None:
        pytest.skip("chromium not on PATH (.ci/run installs it with apt)")
    async with async_playwright() as playwright:
        found = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield found
        await found.close()


@dataclass
class AdminPage:
    """A browser tab signed in as the harness's admin, and what its console said."""

    dashboard: Dashboard
    page: Page
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.dashboard.url

    async def goto(self, path: str) -> None:
        response = await self.page.goto(self.url + path)
        assert response is not None and response.ok, (path, response and response.status)

    def problems(self) -> list[str]:
        """Script errors, CSP violations the page reported (blocked scripts, styles …) and
        server errors."""
        blocked = [
            text
            for text in self.console
            if "Content Security Policy" in text or "Refused to" in text
        ]
        return blocked + self.errors


def watch(page: Page, into: AdminPage) -> None:
    def on_console(message: ConsoleMessage) -> None:
        into.console.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: into.errors.append(f"pageerror: {error}"))
    # A server error on any request (a page, an htmx fragment, a file) is a failure too.
    page.on(
        "response",
        lambda response: (
            into.errors.append(f"HTTP {response.status} {response.url}")
            if response.status >= 500
            else None
        ),
    )


async def sign_in(dashboard: Dashboard, page: Page, user: str = "admin") -> None:
    """Open a fresh link and press the button, as an admin does with the link from the bot."""
    await page.goto(await dashboard.link(user))
    await page.get_by_role("button").first.click()
    await page.wait_for_url(dashboard.url + "/")


@pytest.fixture
async def browser_dashboard(db_url: str) -> AsyncIterator[Dashboard]:
    """The bot with its test transport and the dashboard on 127.0.0.1, on each backend."""
    async with dashboard_for(db_url) as found:
        yield found


@pytest.fixture
async def admin_page(browser: Browser, browser_dashboard: Dashboard) -> AsyncIterator[AdminPage]:
    """A desktop-sized tab, signed in with a real link; fails on CSP violations at the end."""
    context = await browser.new_context(viewport=DESKTOP, locale="de-DE")
    page = await context.new_page()
    page.set_default_timeout(10_000)
    found = AdminPage(browser_dashboard, page)
    watch(page, found)
    await sign_in(browser_dashboard, page)
    yield found
    await context.close()
    assert not found.problems(), found.problems()
