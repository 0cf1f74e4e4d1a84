"""The audit log: every admin action (chat and dashboard) and every refused attempt, filtered
by the admin, the start of the action and a date range in the network's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import Markup as CatalogueValue
from bot.i18n import catalogue, t
from bot.i18n.dates import show_when
from bot.messages import plain_text
from bot.spoken import LABEL_END
from handlers.broadcast.rules import parse_audience
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


def _known(lang: str, key: str) -> bool:
    texts = catalogue(lang)
    return key.startswith("audit.") and (key in texts or f"{key}.other" in texts)


def _shown_value(value: object, lang: str, tz: ZoneInfo) -> object:
    """One value of a detail as the reader reads it (the kinds handlers/audit.py stores)."""
    if not isinstance(value, dict):
        return value if isinstance(value, int | str) else str(value)
    if "time" in value:
        return show_when(datetime.fromisoformat(str(value["time"])), lang=lang, tz=tz)
    if "audience" in value:
        try:
            return parse_audience(str(value["audience"])).describe(lang)
        except UserError:
            return str(value["audience"])
    if "fields" in value:
        labels = catalogue(lang)
        return ", ".join(labels.get(f"audit.fields.{name}", str(name)) for name in value["fields"])
    if "numbers" in value:
        return ", ".join(f"#{number}" for number in value["numbers"])
    described = described_detail(value, lang, tz)
    return CatalogueValue(described) if described is not None else ""


def described_detail(data: object, lang: str, tz: ZoneInfo) -> Markup | None:
    """An entry's detail data (handlers/audit.py) in the reader's language, times in the
    network's time zone; None when there is none or it cannot be read (older entries: text)."""
    if not isinstance(data, dict):
        return None
    key, values = data.get("key"), data.get("values") or {}
    if not isinstance(key, str) or not isinstance(values, dict) or not _known(lang, key):
        return None
    try:
        shown = {str(name): _shown_value(value, lang, tz) for name, value in values.items()}
        return Markup(t(lang, key, **shown))
    except (KeyError, IndexError, TypeError, ValueError):  # a value the text does not take
        return None


# A press whose words the chat did not keep (pressed after a restart, or in another process
# than the one that showed it: the console demo) is named by its payload: a pattern's parts
# ("{}" the part's own value, "*" any) and the catalogue key of the button's words.
PRESSED_WORDS: tuple[tuple[str, str], ...] = (
    ("bc:file:skip", "broadcast.skip_file"),
    ("bc:audience:{}", "broadcast.choose_{}"),
    ("bc:preview:when", "broadcast.schedule"),
    ("bc:preview:cancel", "broadcast.cancel"),
    ("bc:nobody:cancel", "broadcast.cancel"),
    ("bc:nobody:audience", "broadcast.change_audience"),
    ("bc:english:none", "broadcast.no_english"),
    ("bc:english:keep", "broadcast.keep_text"),
    ("bc:withdraw_yes:*", "broadcast.withdraw_yes"),
    ("bc:withdraw_no:*", "broadcast.withdraw_no"),
    ("evc:save", "events.btn_save"),
    ("evc:discard", "events.btn_discard"),
    ("evc:polldrop", "events.btn_discard"),
    ("evc:pollsend", "events.btn_send_poll"),
    ("evc:pollsignedup", "events.btn_send_poll_signed_up"),
    ("evc:pollenglish", "events.btn_use_as_english"),
    ("evc:polladden", "events.btn_add_english_poll"),
    ("evc:noreason", "events.btn_no_reason"),
    ("evc:keep", "events.btn_keep"),
    ("evc:cancel", "events.btn_cancel_event"),
    ("evf:kind:{}", "events.kind_{}"),
)


def pressed_words(lang: str, payload: str) -> str:
    """The words of the button `payload` presses, in `lang`, as far as its payload tells
    them ("bc:file:skip:e3d5c1": "Ohne Bild"); "" when it does not."""
    parts = payload.split(" ", 1)[0].split(":")
    texts = catalogue(lang)
    for pattern, key in PRESSED_WORDS:
        wanted = pattern.split(":")
        if len(parts) < len(wanted):
            continue
        value = ""
        for part, want in zip(parts, wanted, strict=False):
            if want == "{}":
                value = part
            elif want != "*" and part != want:
                break
        else:
            text = texts.get(key.replace("{}", value))
            if text:
                return plain_text(text)
    return ""


def pressed(detail: str, lang: str = "de") -> tuple[str, str]:
    """An admin's press as the audit log keeps it: the button's words (from its payload when
    the chat did not keep them, as after a restart; may be "") and its payload with what
    came of it."""
    label, found, rest = detail.partition(LABEL_END)
    return (label, rest) if found else (pressed_words(lang, detail), detail)


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
            "described": lambda entry: described_detail(entry.detail_data, lang, tz),
            "pressed": lambda detail: pressed(detail, lang),
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
