"""Telegram's command menu (setMyCommands), built from the router's command declarations.

Members see their commands in German and English, each by its name in that language (private
chats: all of them; groups: those that work in groups); each admin gets the larger menu in
their own private chat, a chat scope that outranks the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    MenuButtonWebApp,
    WebAppInfo,
)

from bot.config import Settings
from bot.i18n import LANGUAGES, t
from bot.messages import plain_text, shorten
from bot.router import Command, Router

MAX_COMMANDS = 100
_VALID_NAME = re.compile(r"[a-z0-9_]{1,32}")


def menu(commands: Iterable[Command], lang: str, *, admin: bool, groups: bool) -> list[BotCommand]:
    """Menu entries in the order /help shows them, each by its name in `lang` (/termine in
    German, /events in English): members' commands by group, then the admin ones by group
    (the router's declared order)."""
    chosen = [
        c
        for c in commands
        if (admin or not c.admin)
        and not (groups and c.private_only)
        and _VALID_NAME.fullmatch(c.name_in(lang))
    ]
    chosen.sort(key=lambda c: c.sort_key())
    return [
        BotCommand(c.name_in(lang), shorten(plain_text(t(lang, c.help_key)), 256) or c.name)
        for c in chosen[:MAX_COMMANDS]
    ]


async def install_menus(
    bot: Bot, router: Router, *, default_language: str, admin_chats: Iterable[int]
) -> None:
    """Set the member menus in every language and one admin menu per admin's private chat."""
    commands = router.unique_commands()
    scopes: list[tuple[BotCommandScope, bool, bool]] = [
        (BotCommandScopeAllPrivateChats(), False, False),
        (BotCommandScopeAllGroupChats(), False, True),
    ]
    for scope, admin, groups in scopes:
        for lang in LANGUAGES:
            await bot.set_my_commands(
                menu(commands, lang, admin=admin, groups=groups), scope=scope, language_code=lang
            )
        # Without a language code: for clients in any other language.
        await bot.set_my_commands(
            menu(commands, default_language, admin=admin, groups=groups), scope=scope
        )
    await bot.set_my_commands(
        menu(commands, default_language, admin=False, groups=True), scope=BotCommandScopeDefault()
    )
    for chat_id in admin_chats:
        await install_admin_menu(bot, router, chat_id, default_language=default_language)


def mini_app_url(settings: Settings) -> str | None:
    """The events page (web/miniapp.py) for the menu button: only with the web server on and
    an https address, which Telegram requires."""
    web = settings.web
    if not web.enabled or not web.public_url.startswith("https://"):
        return None
    return web.public_url.rstrip("/") + "/app"


async def install_menu_button(bot: Bot, url: str, *, default_language: str) -> None:
    """The chat's menu button opens the events page inside Telegram (setChatMenuButton)."""
    text = shorten(plain_text(t(default_language, "miniapp.menu_button")), 64)
    await bot.set_chat_menu_button(menu_button=MenuButtonWebApp(text, WebAppInfo(url=url)))


async def install_admin_menu(
    bot: Bot, router: Router, chat_id: int, *, default_language: str
) -> None:
    """The admin menu in one admin's private chat (call again after /promote)."""
    commands = router.unique_commands()
    scope = BotCommandScopeChat(chat_id)
    for lang in LANGUAGES:
        entries = menu(commands, lang, admin=True, groups=False)
        await bot.set_my_commands(entries, scope=scope, language_code=lang)
    entries = menu(commands, default_language, admin=True, groups=False)
    await bot.set_my_commands(entries, scope=scope)


async def remove_admin_menu(bot: Bot, chat_id: int) -> None:
    """Back to the member menu for a demoted admin."""
    scope = BotCommandScopeChat(chat_id)
    for lang in (*LANGUAGES, None):
        await bot.delete_my_commands(scope=scope, language_code=lang)
