"""The audit log: every admin action (chat and dashboard) and every refused attempt, filtered
by the admin, the start of the action and a date range in the network's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.i18n import catalogue
from storage import audit as audit_log
from web.pages.members import PAGE_SIZE, page_number
from web.reader import off_loop, services_of
from web.render import LANG, page

NAV: tuple[str, str, str] | None = ("audit", "/audit", "web.nav_audit")


ACTION_KEY = "web_audit.actions."


def action_label(lang: str, action: str) -> str | None:
    """The action's label in the admin's language (`[web_audit.actions]`), None when unknown."""
    return catalogue(lang).get(ACTION_KEY + action)


def labelled_actions(lang: str) -> list[tuple[str, str]]:
    """Every action with a label, as (action, label) by label: the filter's choices."""
    found = [
        (key.removeprefix(ACTION_KEY), label)
        for key, label in catalogue(lang).items()
        if key.startswith(ACTION_KEY)
    ]
    return sorted(found, key=lambda pair: pair[1].casefold())


def day_start(text: str, tz: ZoneInfo) -> datetime | None:
    """Midnight of a `YYYY-MM-DD` day in the network's time zone, in UTC; None when empty or
    not a date."""
    try:
        chosen = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return datetime.combine(chosen, time.min, tzinfo=tz).astimezone(UTC)


async def audit_page(request: web.Request) -> web.StreamResponse:
    services = services_of(request)
    tz = services.settings.network.tz
    query = request.query
    admin_raw = query.get("admin", "")
    actor = int(admin_raw) if admin_raw.isdecimal() and len(admin_raw) < 16 else None
    action = query.get("action", "").strip()[:80]
    lang = str(request.get(LANG, "de"))
    choices = labelled_actions(lang)
    since = day_start(query.get("from", ""), tz)
    until_day = day_start(query.get("to", ""), tz)
    # "to" is the last day shown, whole: up to the next midnight there.
    until = None
    if until_day is not None:
        next_day = until_day.astimezone(tz).date() + timedelta(days=1)
        until = datetime.combine(next_day, time.min, tzinfo=tz).astimezone(UTC)
    number = page_number(request)
    async with services.db.read() as session:
        entries, total = await audit_log.search(
            session,
            actor_member_id=actor,
            action_prefix=action,
            # a chosen action is that one ("command:broadcast", not "command:broadcasts");
            # a typed start ("web:events") every action beginning so
            exact=any(action == known for known, _label in choices),
            since=since,
            until=until,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        admins = await audit_log.actors(session)
    filters = {
        "admin": str(actor) if actor is not None else "",
        "action": action,
        "from": query.get("from", "")[:10] if since else "",
        "to": query.get("to", "")[:10] if until else "",
    }
    return page(
        request,
        "audit/index.html",
        {
            "entries": entries,
            "action_label": lambda action: action_label(lang, action),
            "choices": choices,
            "total": total,
            "admins": admins,
            "filters": filters,
            "page_no": number,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "query_string": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


def register(app: web.Application) -> None:
    app.router.add_get("/audit", off_loop(audit_page), name="audit")
