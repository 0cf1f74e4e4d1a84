"""Screenshots of every dashboard page at a phone's and a desktop's size (`make screenshots`).

Starts the bot with its test transport and the demo data (bot/demo: members, FAQ, events),
adds what makes the pages show something (questions handed to the office, sign-ups, a
broadcast), serves the dashboard on 127.0.0.1, signs in with a real one-time link in Debian's
chromium (Playwright) and saves each page in the navigation (web.pages.PAGES) and the forms
to make an event, an entry and a broadcast at 390x844 and 1280x800, in German (and with
`--lang en` in English). Look at them before calling a page done.

    .venv/bin/python bench/screenshots.py [--out screenshots] [--lang de|en] [--viewport-only]

Prints one JSON object with the files written.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.async_api import ConsoleMessage, Error, Page, Response, async_playwright

from bot import demo
from bot.services import utc_now
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from tests.browser import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_path, sign_in
from tests.web_harness import Dashboard, dashboard_for
from web.pages import PAGES

SIZES = {"phone": PHONE, "desktop": DESKTOP}
# Questions the demo knowledge base cannot answer: they wait in the office inbox.
UNANSWERED = (
    ("demo-anna", "Kann ich meinen Hund zur Exkursion mitbringen?"),
    ("demo-ben", "Is there a discount for students at the symposium?"),
    ("demo-carla", "Gibt es einen Parkplatz für Reisebusse am Tagungsort?"),
)
ANSWERED = (
    ("demo-david", "Wie hoch ist der Mitgliedsbeitrag?"),
    ("demo-anna", "Wann ist das nächste Symposium?"),
)


async def scene(dashboard: Dashboard) -> None:
    """The demo data plus a little activity, so that no page is empty."""
    bot = dashboard.bot
    services = bot.app.services
    await demo.seed(services.db)
    for user, text in UNANSWERED + ANSWERED:
        await bot.send(user, text)
    for user in ("demo-ben", "demo-carla", "demo-david"):
        await bot.send(user, "/join 1")
    await queue_broadcast(
        services.db,
        services.settings,
        created_by=await demo.office_member(services.db),
        text="Einladung zum Innovationsforum: Programm und Anmeldung im Mitgliederbereich.",
        audience=Audience("all"),
        announce=False,
        send_at=utc_now(),
    )


def watch(page: Page, said: list[str]) -> None:
    """Collect what the page reports: console, script errors, failed requests."""

    def on_console(message: ConsoleMessage) -> None:
        said.append(f"{message.type}: {message.text}")

    def on_error(error: Error) -> None:
        said.append(f"pageerror: {error}")

    def on_response(response: Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            said.append(f"HTTP {response.status} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    page.on("response", on_response)


# Forms reached from the pages, shot as well: a form's layout is only seen here.
FORMS = [
    ("event-new", "/events/new"),
    ("faq-new", "/faq/new"),
    ("broadcast-new", "/broadcasts/new"),
]


def nav_paths() -> list[tuple[str, str]]:
    pages = [(module.NAV[0], module.NAV[1]) for module in PAGES if module.NAV is not None]
    return pages + FORMS


async def shoot(out: Path, lang: str, full_page: bool) -> dict[str, Any]:
    path = chromium_path()
    if path is None:
        raise SystemExit("chromium not on PATH (apt-get install chromium)")
    files: list[str] = []
    problems: dict[str, list[str]] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rewimet-shots-") as tmp:
        async with (
            dashboard_for(f"sqlite+aiosqlite:///{tmp}/demo.db") as dashboard,
            async_playwright() as playwright,
        ):
            await scene(dashboard)
            browser = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            for size_name, size in SIZES.items():
                context = await browser.new_context(viewport=size, locale=f"{lang}-DE")
                page = await context.new_page()
                said: list[str] = []
                watch(page, said)
                await sign_in(dashboard, page, demo.OFFICE)
                if lang != "de":
                    await page.goto(f"{dashboard.url}/language?lang={lang}&next=/")
                for key, href in nav_paths():
                    said.clear()
                    await page.goto(dashboard.url + href)
                    await page.wait_for_load_state("networkidle")
                    name = out / f"{key}-{size_name}-{lang}.png"
                    await page.screenshot(path=str(name), full_page=full_page)
                    files.append(str(name))
                    width = await page.evaluate("document.documentElement.scrollWidth")
                    if width > size["width"]:
                        said.append(f"page is {width}px wide, wider than the window")
                    found = [
                        s
                        for s in said
                        if re.search(r"pageerror|Refused|Content Security|wider|HTTP", s)
                    ]
                    if found:
                        problems[name.name] = found
                await context.close()
            await browser.close()
    return {
        "pages": [key for key, _href in nav_paths()],
        "files": files,
        "problems": problems,
        "seconds": round(time.monotonic() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    parser.add_argument("--lang", choices=("de", "en"), default="de")
    parser.add_argument(
        "--viewport-only", action="store_true", help="only the visible part, not the full page"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(asyncio.run(shoot(args.out, args.lang, not args.viewport_only))))


if __name__ == "__main__":
    main()
