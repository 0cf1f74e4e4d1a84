"""Who opens the events page: Telegram's signed `initData`, or a signed short-lived link (Matrix).

- Telegram (Mini App): secret = HMAC-SHA256(key=b"WebAppData", msg=bot token); the
  data-check-string is every field but `hash` as `key=value`, sorted by key, joined by "\\n";
  its hex HMAC-SHA256 under the secret must equal `hash` (constant-time compare). Data older
  than a day (or from more than a minute ahead) is refused.
- Matrix (no widgets on phones yet): `/seite` sends a link to the page signed for the member
  with a server secret (random, stored once in `transport_state`), valid for 30 minutes.

`/seite` (`/page`) works on every platform: on Telegram a button that opens the page inside the
app (when the page has an https address), elsewhere the signed link.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.exc import IntegrityError

from bot.context import Context
from bot.messages import Button, Platform, Reply
from bot.router import Args, Router
from bot.services import Services
from storage import members, transport_state
from storage.models import Member

MAX_AGE = timedelta(hours=24)
CLOCK_SKEW = timedelta(minutes=1)
LINK_VALIDITY = timedelta(minutes=30)
SECRET_KEY = "web:miniapp_secret"
PAGE_PATH = "/app"


def check_init_data(init_data: str, bot_token: str, now: datetime) -> int | None:
    """The Telegram user id of a genuine, fresh `initData`, else None."""
    if not init_data or not bot_token:
        return None
    try:
        fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=True))
    except ValueError:
        return None
    given = fields.pop("hash", "")
    if not given:
        return None
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), given.encode()):  # str: ASCII only
        return None
    try:
        signed_at = int(fields.get("auth_date", ""))
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, TypeError, KeyError):
        return None
    age = now.timestamp() - signed_at
    if age > MAX_AGE.total_seconds() or age < -CLOCK_SKEW.total_seconds():
        return None
    return user_id


def telegram_language(init_data: str) -> str | None:
    """The `language_code` Telegram put in `initData`'s user (check the data first), if any."""
    try:
        user = json.loads(dict(parse_qsl(init_data, keep_blank_values=True)).get("user", ""))
    except ValueError:
        return None
    code = user.get("language_code") if isinstance(user, dict) else None
    return code if isinstance(code, str) and code else None


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """`initData` as Telegram builds it (for tests and local trials)."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


async def server_secret(services: Services) -> bytes:
    """The random secret that signs page links: made once, kept in the database."""
    async with services.db.session() as session:
        found = await transport_state.get_state(session, SECRET_KEY)
    if found is None:
        try:
            async with services.db.session() as session:
                await transport_state.set_state(session, SECRET_KEY, secrets.token_hex(32))
        except IntegrityError:
            pass  # another request stored one first: that one counts
        async with services.db.session() as session:
            found = await transport_state.get_state(session, SECRET_KEY)
    assert found is not None
    return bytes.fromhex(found)


def _signature(secret: bytes, member_id: int, expires: int) -> str:
    message = f"miniapp:{member_id}:{expires}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def page_url(services: Services) -> str:
    return services.settings.web.public_url.rstrip("/") + PAGE_PATH


async def matrix_link(services: Services, member_id: int) -> str:
    """The events page signed for this member, valid for `LINK_VALIDITY`."""
    expires = int((services.clock() + LINK_VALIDITY).timestamp())
    signature = _signature(await server_secret(services), member_id, expires)
    query = urlencode({"m": member_id, "e": expires, "s": signature})
    return f"{page_url(services)}?{query}"


async def check_matrix_link(services: Services, query: str) -> int | None:
    """The member id of a genuine, unexpired link's query (`m=…&e=…&s=…`), else None."""
    fields = dict(parse_qsl(query, keep_blank_values=True))
    try:
        member_id, expires = int(fields.get("m", "")), int(fields.get("e", ""))
    except ValueError:
        return None
    expected = _signature(await server_secret(services), member_id, expires)
    # as bytes: a str with "ä" in it made compare_digest raise (a 500 for a typed link)
    if not hmac.compare_digest(expected.encode(), fields.get("s", "").encode()):
        return None
    if expires <= services.clock().timestamp():
        return None
    return member_id


async def member_for_telegram(services: Services, user_id: int) -> Member | None:
    """The member behind a Telegram user id (None: they never wrote to the bot)."""
    async with services.db.session() as session:
        account = await members.find_account(
            session, platform=Platform.TELEGRAM.value, user_id=str(user_id)
        )
        return None if account is None else await members.get_member(session, account.member_id)


def opens_inside_telegram(services: Services) -> bool:
    """Telegram opens pages inside the app only from an https address with the web server on."""
    web = services.settings.web
    return web.enabled and web.public_url.startswith("https://")


def page_button(ctx: Context) -> Button | None:
    """The "open as a page" button under /events: Telegram private chats only."""
    if ctx.incoming.platform != Platform.TELEGRAM or not ctx.incoming.is_private:
        return None
    if not opens_inside_telegram(ctx.services):
        return None
    # The member's language in the address: the page's first paint (its title, "Einen Moment …")
    # speaks it, whatever language the phone's browser asks for.
    web_app = f"{page_url(ctx.services)}?{urlencode({'lang': ctx.member.language})}"
    return Button(str(ctx.t("miniapp.open_button")), "", web_app=web_app)


async def send_page(ctx: Context) -> None:
    """`/seite`: the events page, as a Telegram button or a signed link for this member."""
    if not ctx.services.settings.web.enabled:
        await ctx.say("miniapp.no_web")
        return
    button = page_button(ctx)
    if button is not None:
        await ctx.reply(Reply(text=ctx.t("miniapp.open_text"), buttons=((button,),)))
        return
    link = await matrix_link(ctx.services, ctx.member.id)
    minutes = int(LINK_VALIDITY.total_seconds() // 60)
    await ctx.say("miniapp.link_text", link=link, minutes=minutes)


def register(router: Router) -> None:
    @router.command(
        "page",
        help_key="miniapp.help_page",
        group="events",
        order=8,
        german="seite",
        private_only=True,
    )
    async def page_command(ctx: Context, _args: Args) -> None:
        await send_page(ctx)
