"""Reach each platform with the configured credentials, for `rewimet-bot check`."""

from __future__ import annotations

import aiohttp

from bot.config import Settings


async def check_telegram(settings: Settings) -> str:
    from telegram import Bot
    from telegram.error import TelegramError

    token = settings.telegram.token
    if token is None:
        return "not configured"
    base_url = settings.telegram.base_url or "https://api.telegram.org/bot"
    bot = Bot(token.get_secret_value(), base_url=base_url)
    try:
        async with bot:
            me = await bot.get_me()
    except TelegramError as exc:
        return f"FAILED ({type(exc).__name__}: {exc.message})"
    return f"ok (@{me.username})"


async def check_matrix(settings: Settings) -> str:
    matrix = settings.matrix
    if not settings.matrix_enabled or matrix.homeserver is None:
        return "not configured"
    base = matrix.homeserver.rstrip("/")
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
            if matrix.access_token is not None:
                headers = {"Authorization": f"Bearer {matrix.access_token.get_secret_value()}"}
                async with http.get(
                    f"{base}/_matrix/client/v3/account/whoami", headers=headers
                ) as r:
                    if r.status != 200:
                        return f"FAILED (whoami answered HTTP {r.status})"
                    return f"ok ({(await r.json()).get('user_id')})"
            # A password login would create a new device; only check the server answers.
            async with http.get(f"{base}/_matrix/client/versions") as r:
                if r.status != 200:
                    return f"FAILED (homeserver answered HTTP {r.status})"
                return "ok (homeserver reachable; password not tried)"
    except (aiohttp.ClientError, TimeoutError) as exc:
        return f"FAILED ({type(exc).__name__})"
