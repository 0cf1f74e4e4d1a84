"""Reach each platform and every group or room the config names, for `rewimet-bot check`.

Each check returns lines `name -> result`; a result starting with FAILED makes `check` exit 1.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
from pathlib import Path

import aiohttp

from bot.config import Settings

Results = dict[str, str]


def telegram_chats(settings: Settings) -> list[tuple[str, int]]:
    """(config key, chat id) of every Telegram group the config names."""
    telegram = settings.telegram
    named = [("announcement_chats", chat) for chat in telegram.announcement_chats]
    if telegram.young_professionals_chat is not None:
        named.append(("young_professionals_chat", telegram.young_professionals_chat))
    return named


def matrix_rooms(settings: Settings) -> list[tuple[str, str]]:
    """(config key, alias or id) of every room the config names."""
    matrix = settings.matrix
    named = [("rooms", room) for room in matrix.rooms]
    named += [("announcement_rooms", room) for room in matrix.announcement_rooms]
    if matrix.young_professionals_room:
        named.append(("young_professionals_room", matrix.young_professionals_room))
    return named


async def check_telegram(settings: Settings) -> Results:
    from telegram import Bot
    from telegram.error import ChatMigrated, TelegramError

    token = settings.telegram.token
    if token is None:
        return {"telegram": "not configured"}
    base_url = settings.telegram.base_url or "https://api.telegram.org/bot"
    bot = Bot(token.get_secret_value(), base_url=base_url)
    results: Results = {}
    try:
        async with bot:
            me = await bot.get_me()
            results["telegram"] = f"ok (@{me.username})"
            for key, chat_id in telegram_chats(settings):
                name = f"telegram {key} {chat_id}"
                try:
                    chat = await bot.get_chat(chat_id)
                except ChatMigrated as moved:
                    results[name] = (
                        f"ok (now a supergroup {moved.new_chat_id}: the bot follows it; "
                        "put the new id in the config)"
                    )
                except TelegramError as exc:
                    results[name] = (
                        f"FAILED (the bot cannot reach this group: add it to the group; "
                        f"Telegram said: {exc.message})"
                    )
                else:
                    results[name] = f"ok ({chat.title or chat.type})"
    except TelegramError as exc:
        results["telegram"] = f"FAILED ({type(exc).__name__}: {exc.message})"
    return results


async def check_matrix(settings: Settings) -> Results:
    matrix = settings.matrix
    if not settings.matrix_enabled or matrix.homeserver is None:
        return {"matrix": "not configured"}
    base = matrix.homeserver.rstrip("/")
    results: Results = {}
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http:
            token = await asyncio.to_thread(_matrix_token, settings)
            if token is None:
                # A password login would create a new device; only check the server answers.
                async with http.get(f"{base}/_matrix/client/versions") as r:
                    if r.status != 200:
                        return {"matrix": f"FAILED (homeserver answered HTTP {r.status})"}
                results["matrix"] = "ok (homeserver reachable; password not tried)"
                joined: set[str] | None = None
            else:
                headers = {"Authorization": f"Bearer {token}"}
                async with http.get(
                    f"{base}/_matrix/client/v3/account/whoami", headers=headers
                ) as r:
                    if r.status != 200:
                        return {"matrix": f"FAILED (whoami answered HTTP {r.status})"}
                    results["matrix"] = f"ok ({(await r.json()).get('user_id')})"
                async with http.get(f"{base}/_matrix/client/v3/joined_rooms", headers=headers) as r:
                    joined = set((await r.json()).get("joined_rooms", [])) if r.ok else None
            for key, room in matrix_rooms(settings):
                results[f"matrix {key} {room}"] = await _check_room(http, base, room, joined)
    except (aiohttp.ClientError, TimeoutError) as exc:
        results["matrix"] = f"FAILED ({type(exc).__name__})"
    return results


async def _check_room(
    http: aiohttp.ClientSession, base: str, room: str, joined: set[str] | None
) -> str:
    room_id = room
    if room.startswith("#"):
        alias = urllib.parse.quote(room, safe="")
        async with http.get(f"{base}/_matrix/client/v3/directory/room/{alias}") as r:
            if r.status == 404:
                return "FAILED (this alias does not exist: create it or correct the config)"
            if r.status != 200:
                return f"FAILED (resolving the alias answered HTTP {r.status})"
            room_id = (await r.json())["room_id"]
    if joined is None:
        return f"ok ({room_id}; membership not checked before the bot's first login)"
    if room_id not in joined:
        return f"FAILED ({room_id}: the bot is not in this room: invite it)"
    return f"ok ({room_id}, the bot is in it)"


def _matrix_token(settings: Settings) -> str | None:
    """The configured access token, else the one the bot keeps from its password login."""
    if settings.matrix.access_token is not None:
        return settings.matrix.access_token.get_secret_value()
    session = Path(settings.matrix.store_path) / "session.json"
    try:
        saved = json.loads(session.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("user_id") != settings.matrix.user_id:
        return None
    token = saved.get("access_token")
    return token if isinstance(token, str) else None
