"""The overview: what needs attention now, and the network over time in four charts."""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web
from markupsafe import Markup

from bot.i18n import t
from bot.messages import shorten
from handlers.attention import needs_attention
from handlers.events.render import title_in
from handlers.faq.asking import MAX_OPEN_TICKETS
from handlers.members.invitations import platform_name
from handlers.trends import DECISIONS, Trends, network_trends
from storage.faq import REFUSED
from web import charts
from web.cache import Costly
from web.reader import off_loop, services_of
from web.render import LANG, page_off_loop

NAV: tuple[str, str, str] | None = ("overview", "/", "web.nav_overview")
TITLE_LENGTH = 32
TRENDS = web.AppKey("overview_trends", Costly[Trends])
# From this many questions in the chart's weeks or members with an account, the charts'
# counts take tens of milliseconds: they are reused for 30 s (web/cache.py).
LARGE_NETWORK = 5_000


def _large(found: Trends) -> bool:
    return found.questions.total + sum(p.members for p in found.activity) >= LARGE_NETWORK


@dataclass(frozen=True)
class Chart:
    key: str  # the kind: questions | signups | activity | delivery
    title: str
    note: str
    svg: Markup | None  # None: not enough data yet


def _text(lang: str, key: str, **values: object) -> str:
    """A catalogue text as plain text for pygal, which escapes what it writes itself."""
    return html.unescape(str(t(lang, f"web_overview.{key}", **values)))


def _day(moment: datetime, lang: str) -> str:
    return f"{moment:%m-%d}" if lang == "en" else f"{moment:%d.%m.}"


def _full_day(moment: datetime, lang: str) -> str:
    """A broadcast's day: ISO in English (2026-12-02), as German writes it (02.12.)."""
    return f"{moment:%Y-%m-%d}" if lang == "en" else f"{moment:%d.%m.}"


def build_charts(found: Trends, lang: str, tz: ZoneInfo) -> list[Chart]:
    """The four charts in `lang`; a chart without data says so instead of drawing nothing."""
    out: list[Chart] = []
    q = found.questions
    # questions not passed on are rare: their series, and the note's words on them, only
    # when there are any
    refused = any(q.by_decision[REFUSED])
    note = "questions_note_refused" if refused else "questions_note"
    out.append(
        Chart(
            "questions",
            _text(lang, "questions_title"),
            _text(lang, note, weeks=len(q.weeks), limit=MAX_OPEN_TICKETS),
            charts.render(
                "questions",
                label=_text(lang, "questions_title"),
                x_labels=[_text(lang, "week", week=w.isocalendar().week) for w in q.weeks],
                series=[
                    (_text(lang, d, limit=MAX_OPEN_TICKETS), q.by_decision[d])
                    for d in DECISIONS
                    if d != REFUSED or refused
                ],
                stacked=True,
            )
            if q.total
            else None,
        )
    )
    s = found.signups
    out.append(
        Chart(
            "signups",
            _text(lang, "signups_title", count=len(s.events)),
            _text(lang, "signups_note", count=len(s.events), days=len(s.days)),
            charts.render(
                "signups",
                label=_text(lang, "signups_title", count=len(s.events)),
                x_labels=[_day(d, lang) for d in s.days],
                series=[
                    (
                        # cut at a word ("Werkstattgespräch…", not "… Batterierecyc…"), with
                        # the count now: lines that lie on top of each other still tell theirs
                        _text(
                            lang,
                            "signups_series",
                            title=shorten(title_in(lang, e), TITLE_LENGTH),
                            day=_day(e.starts_at.astimezone(tz), lang),
                            count=e.running_total[-1] if e.running_total else 0,
                        ),
                        e.running_total,
                    )
                    for e in s.events
                ],
            )
            if s.total
            else None,
        )
    )
    a = found.activity
    out.append(
        Chart(
            "activity",
            _text(lang, "activity_title"),
            _text(lang, "activity_note", days=found.active_days),
            charts.render(
                "activity",
                label=_text(lang, "activity_title"),
                x_labels=[platform_name(lang, p.platform) for p in a],
                series=[
                    (_text(lang, "with_account"), [p.members for p in a]),
                    (_text(lang, "active", days=found.active_days), [p.active for p in a]),
                ],
            )
            if any(p.members for p in a)
            else None,
        )
    )
    b = found.deliveries
    out.append(
        Chart(
            "delivery",
            _text(lang, "delivery_title"),
            _text(lang, "delivery_note", count=len(b)),
            charts.render(
                "delivery",
                label=_text(lang, "delivery_title"),
                x_labels=[
                    _text(
                        lang,
                        "broadcast",
                        number=d.broadcast_id,
                        date=_full_day(d.send_at.astimezone(tz), lang),
                    )
                    for d in b
                ],
                series=[
                    (_text(lang, status), [getattr(d, status) for d in b])
                    for status in ("sent", "pending", "unreachable", "failed")
                ],
                stacked=True,
            )
            if any(d.total for d in b)
            else None,
        )
    )
    return out


async def overview(request: web.Request) -> web.StreamResponse:
    services = services_of(request)
    async with services.db.session() as session:
        found = await needs_attention(services, session)
        # The charts' counts, kept for 30 s on a large network (web/cache.py).
        numbers = await request.app[TRENDS].get(lambda: network_trends(services, session))
    lang = request.get(LANG, "de")
    # pygal draws a chart in some 20 ms (cached by its numbers in web/charts.py): the drawing
    # and the page's rendering run off the loop, so the chat is not kept waiting.
    drawn = await asyncio.to_thread(build_charts, numbers, lang, services.settings.network.tz)
    return await page_off_loop(request, "overview.html", {"attention": found, "charts": drawn})


async def chart_styles(_request: web.Request) -> web.StreamResponse:
    """pygal's stylesheet for the charts (they carry no inline style: the CSP forbids it)."""
    return web.Response(text=charts.stylesheet(), content_type="text/css", charset="utf-8")


def register(app: web.Application) -> None:
    app[TRENDS] = Costly(ttl=30.0, large=_large)
    app.router.add_get("/", off_loop(overview), name="overview")
    app.router.add_get("/charts.css", chart_styles, name="chart_styles")
