"""Telegram's initData and the signed Matrix link: genuine ones pass, forged, changed, old and
expired ones are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

from handlers.members.miniapp_auth import (
    check_init_data,
    check_matrix_link,
    matrix_link,
    server_secret,
    sign_init_data,
)
from tests.harness import Harness

TOKEN = "123456:TEST-token-for-the-mini-app"
NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


def init_data(user_id: int = 4242, *, at: datetime = NOW, token: str = TOKEN) -> str:
    user = json.dumps({"id": user_id, "first_name": "Mia", "language_code": "de"})
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": user,
        "auth_date": str(int(at.timestamp())),
    }
    return sign_init_data(fields, token)


def test_genuine_init_data_names_the_user() -> None:
    assert check_init_data(init_data(), TOKEN, NOW) == 4242
    # An hour old, or signed a few seconds "ahead" of our clock: still fine.
    assert check_init_data(init_data(at=NOW - timedelta(hours=1)), TOKEN, NOW) == 4242
    assert check_init_data(init_data(at=NOW + timedelta(seconds=20)), TOKEN, NOW) == 4242


def test_a_known_telegram_example_checks_out() -> None:
    """The algorithm itself, computed independently of `sign_init_data`."""
    import hashlib
    import hmac

    fields = {"auth_date": str(int(NOW.timestamp())), "user": '{"id":7}', "chat_type": "private"}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert check_init_data(urlencode({**fields, "hash": digest}), TOKEN, NOW) == 7


def test_a_forged_hash_is_refused() -> None:
    fields = dict(parse_qsl(init_data()))
    fields["hash"] = "0" * 64
    assert check_init_data(urlencode(fields), TOKEN, NOW) is None
    # Signed with another bot's token.
    assert check_init_data(init_data(token="999:other"), TOKEN, NOW) is None
    # No hash at all, garbage, nothing.
    fields.pop("hash")
    assert check_init_data(urlencode(fields), TOKEN, NOW) is None
    assert check_init_data("%%%&&&", TOKEN, NOW) is None
    assert check_init_data("", TOKEN, NOW) is None
    assert check_init_data(init_data(), "", NOW) is None


def test_a_changed_field_is_refused() -> None:
    fields = dict(parse_qsl(init_data()))
    # Another user's id swapped in: the signature no longer matches.
    fields["user"] = fields["user"].replace("4242", "4243")
    assert check_init_data(urlencode(fields), TOKEN, NOW) is None
    fields = dict(parse_qsl(init_data()))
    fields["query_id"] += "x"
    assert check_init_data(urlencode(fields), TOKEN, NOW) is None
    fields = dict(parse_qsl(init_data()))
    fields["extra"] = "1"  # an added field is a changed check string
    assert check_init_data(urlencode(fields), TOKEN, NOW) is None


def test_old_and_future_auth_dates_are_refused() -> None:
    assert check_init_data(init_data(at=NOW - timedelta(hours=25)), TOKEN, NOW) is None
    assert check_init_data(init_data(at=NOW + timedelta(minutes=5)), TOKEN, NOW) is None


def test_signed_data_without_a_user_is_refused() -> None:
    data = sign_init_data({"auth_date": str(int(NOW.timestamp()))}, TOKEN)
    assert check_init_data(data, TOKEN, NOW) is None


async def test_the_matrix_link_is_signed_for_one_member_and_short_lived(bot_any: Harness) -> None:
    services = bot_any.app.services
    secret = await server_secret(services)
    assert secret == await server_secret(services)  # made once, kept in the database
    link = await matrix_link(services, 17)
    parts = urlsplit(link)
    assert parts.path == "/app" and link.startswith(services.settings.web.public_url)
    assert await check_matrix_link(services, parts.query) == 17
    fields = dict(parse_qsl(parts.query))
    # Another member's id, a longer life, a forged signature: refused.
    assert await check_matrix_link(services, urlencode({**fields, "m": "18"})) is None
    later = str(int(fields["e"]) + 3600)
    assert await check_matrix_link(services, urlencode({**fields, "e": later})) is None
    assert await check_matrix_link(services, urlencode({**fields, "s": "0" * 64})) is None
    assert await check_matrix_link(services, "m=x&e=y&s=z") is None
    assert await check_matrix_link(services, "") is None


async def test_the_matrix_link_expires_after_half_an_hour(bot_any: Harness) -> None:
    services = bot_any.app.services
    link = await matrix_link(services, 5)
    query = urlsplit(link).query
    real_clock = services.clock
    try:
        services.clock = lambda: real_clock() + timedelta(minutes=31)
        assert await check_matrix_link(services, query) is None
        services.clock = lambda: real_clock() + timedelta(minutes=29)
        assert await check_matrix_link(services, query) == 5
    finally:
        services.clock = real_clock


def test_telegram_renders_a_web_app_button_and_sets_the_menu_button() -> None:
    from bot.config import parse_settings
    from bot.messages import Button
    from bot.transports.telegram_format import keyboard
    from bot.transports.telegram_menu import mini_app_url

    markup = keyboard(((Button("Als Seite öffnen", "", web_app="https://bot.example.org/app"),),))
    assert markup is not None
    (button,) = markup.inline_keyboard[0]
    assert button.web_app is not None and button.web_app.url == "https://bot.example.org/app"
    assert button.callback_data is None

    def settings(**web: object) -> object:
        return parse_settings({"web": web}, source="test", env={})

    https = settings(enabled=True, public_url="https://bot.example.org/")
    assert mini_app_url(https) == "https://bot.example.org/app"  # type: ignore[arg-type]
    # Telegram opens only https pages; without the web server there is no page at all.
    assert mini_app_url(settings(enabled=True)) is None  # type: ignore[arg-type]
    plain = settings(enabled=False, public_url="https://bot.example.org")
    assert mini_app_url(plain) is None  # type: ignore[arg-type]


async def test_the_menu_button_opens_the_page() -> None:
    from typing import Any

    from bot.transports.telegram_menu import install_menu_button

    calls: list[Any] = []

    class FakeBot:
        async def set_chat_menu_button(self, **kwargs: Any) -> bool:
            calls.append(kwargs["menu_button"])
            return True

    await install_menu_button(FakeBot(), "https://bot.example.org/app", default_language="de")  # type: ignore[arg-type]
    (button,) = calls
    assert button.type == "web_app" and button.text == "Termine"
    assert button.web_app.url == "https://bot.example.org/app"
