"""Pages from Jinja2 templates, in the admin's language; `t` in a template is the catalogue's.

Catalogue texts are safe markup already (values are escaped by `bot.i18n.t`), so the template
function hands them to Jinja as `Markup`; everything else a template prints is escaped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from markupsafe import Markup, escape

from bot.i18n import Markup as CatalogueValue
from bot.i18n import t
from bot.i18n.dates import show_date, show_when
from bot.services import Services
from handlers.events.render import place_in, title_in
from handlers.members.invitations import platform_name
from storage.models import Member
from storage.web_sessions import WebSession
from web import reader

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
HTMX = "htmx-2.0.11.min.js"

SERVICES = web.AppKey("services", Services)
TEMPLATE_ENV = web.AppKey("templates", jinja2.Environment)
# The navigation: (key, path, catalogue key of its label), in order (set by web/app.py).
NAV = web.AppKey("nav", list[tuple[str, str, str]])

# What the middlewares (web/auth.py) know about a request.
ADMIN = web.RequestKey("admin", Member)
SESSION = web.RequestKey("web_session", WebSession)
LANG = web.RequestKey("lang", str)
# The counts beside navigation links, by their key (web/nav.py): a badge for each above 0.
NAV_COUNTS = web.RequestKey("nav_counts", dict[str, int])


def setup(app: web.Application) -> None:
    reader.setup(app, app[SERVICES])
    app[TEMPLATE_ENV] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def shown_name(
    lang: str,
    number: int | None,
    name: str | None = None,
    organisation: str | None = None,
    ids: tuple[str, ...] | list[str] = (),
) -> str:
    """A member as the dashboard names them: the display name, else the organisation, else
    "Mitglied N"; a name that is only a platform id (`ids`, e.g. the console's "guest") is none."""
    name = (name or "").strip()
    if name and name not in ids:
        return name
    if organisation and organisation.strip():
        return organisation.strip()
    return str(t(lang, "web.member_n", number=number if number is not None else "?"))


def person_name(name: str | None, ids: tuple[str, ...] | list[str] = ()) -> str:
    """The name of the person behind a member, "–" when none is known (a directory member
    has only its organisation; "Mitglied 2" under *Name* read as a name). The members pages
    and the rosters give no `ids`: a chat's name is the name the roster and /teilnehmer show."""
    name = (name or "").strip()
    return name if name and name not in ids else "–"


def _context(request: web.Request) -> dict[str, Any]:
    lang = request.get(LANG, "de")
    services = request.app[SERVICES]
    tz = services.settings.network.tz

    def translate(key: str, **values: object) -> Markup:
        return Markup(t(lang, key, **values))

    def when(moment: datetime | None) -> str:
        return "–" if moment is None else show_when(moment, lang=lang, tz=tz)

    def day(moment: datetime | None) -> str:
        return "–" if moment is None else show_date(moment, lang=lang, tz=tz)

    def static(name: str) -> str:
        return str(request.app.router["static"].url_for(filename=name))

    session = request.get(SESSION)
    return {
        "static": static,
        "nav": request.app[NAV],
        "nav_counts": request.get(NAV_COUNTS, {}),
        "t": translate,
        "when": when,
        "day": day,
        "lang": lang,
        "admin": request.get(ADMIN),
        "csrf": session.csrf if session is not None else "",
        "network": services.settings.network.name,
        "htmx": HTMX,
        "path": request.path,
        "shown_name": lambda *args, **kw: shown_name(lang, *args, **kw),
        "person_name": person_name,
        "platform_name": lambda platform: platform_name(lang, platform),
        "breakable": breakable,
        # an event's or series' title as the chat shows it: English where the office gave one
        "title_of": lambda event: title_in(lang, event),
        "place_of": lambda event: place_in(lang, event),
        "unbroken": unbroken,
    }


def unbroken(text: str) -> CatalogueValue:
    """Text kept on one line ("2026-11-30" breaks at its hyphens on a phone otherwise), as a
    value a catalogue text takes without escaping it again."""
    return CatalogueValue(f'<span class="nowrap">{escape(text)}</span>')


def breakable(contact: str) -> Markup:
    """An e-mail address that may wrap after its "@" on a phone, not in the middle of a word
    (a <wbr>: copying the address copies no extra character)."""
    return escape(contact).replace("@", Markup("@<wbr>"))


def page(
    request: web.Request, template: str, values: Mapping[str, Any], *, status: int = 200
) -> web.Response:
    """The template rendered for this request, with the request's helpers (`t`, `when` …)."""
    found = request.app[TEMPLATE_ENV].get_template(template)
    context = {**_context(request), **values}
    if reader.on_reader():
        html = _render_yielding(request, found, context)
    else:
        html = found.render(context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


# On the reader, a page's rendering yields to the bot's loop after this many pieces of HTML.
PIECES_PER_YIELD = 200


def _render_yielding(
    request: web.Request, template: jinja2.Template, context: dict[str, Any]
) -> str:
    pieces: list[str] = []
    for number, piece in enumerate(template.generate(context), start=1):
        pieces.append(piece)
        if number % PIECES_PER_YIELD == 0:
            reader.yield_to_bot(request)
    return "".join(pieces)


async def page_off_loop(
    request: web.Request, template: str, values: Mapping[str, Any], *, status: int = 200
) -> web.Response:
    """`page` for the large pages, rendered in a worker thread: rendering some hundred kB of
    HTML takes Jinja tens of milliseconds that would otherwise stall every chat on the loop.
    On the dashboard's reader (web/reader.py) the page is rendered in place: that is its thread.

    The values must not be touched by the loop meanwhile (they are built for this page only);
    the template helpers only read (catalogues, time zones, the router)."""
    if reader.on_reader():
        return page(request, template, values, status=status)
    env = request.app[TEMPLATE_ENV]
    context = {**_context(request), **values}
    html = await asyncio.to_thread(lambda: env.get_template(template).render(context))
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def is_htmx(request: web.Request) -> bool:
    return request.headers.get("HX-Request") == "true"
