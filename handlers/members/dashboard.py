"""Signing in to the dashboard: a one-time link for an admin (`/dashboard`, the CLI, the demo).

The link's secret travels only in the message to that admin; the database keeps its hash. It
works once and for `[web] link_minutes`; it only opens a page with a button, so a chat app's
link preview cannot use it up.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.context import Context
from bot.errors import UserError
from bot.messages import Reply
from bot.router import Args, Router
from bot.services import Services
from storage import members, web_sessions


async def is_admin_member(services: Services, member_id: int) -> bool:
    """An admin by /promote or by the config, through any of their accounts."""
    admins = services.settings.admins
    async with services.db.session() as session:
        return await members.is_admin(
            session,
            member_id=member_id,
            telegram_ids=admins.telegram,
            matrix_ids=admins.matrix,
            console_ids=admins.console,
        )


async def sign_in_link(services: Services, member_id: int) -> str:
    """A fresh one-time sign-in URL for this admin; `UserError` when they are no admin."""
    if not await is_admin_member(services, member_id):
        raise UserError("errors.not_allowed")
    token = secrets.token_urlsafe(32)
    web = services.settings.web
    expires = services.clock() + timedelta(minutes=web.link_minutes)
    async with services.db.session() as session:
        await web_sessions.add_link(session, token=token, member_id=member_id, expires_at=expires)
    return f"{web.public_url.rstrip('/')}/login/{token}"


def register(router: Router) -> None:
    @router.command(
        "dashboard",
        help_key="help.dashboard",
        group="members",
        order=9,
        admin=True,
        private_only=True,
    )
    async def dashboard(ctx: Context, _args: Args) -> None:
        """A sign-in link for the web dashboard, for this admin only."""
        if not ctx.services.settings.web.enabled:
            await ctx.say("web.disabled")
            return
        url = await sign_in_link(ctx.services, ctx.member.id)
        minutes = ctx.services.settings.web.link_minutes
        await ctx.reply(Reply(text=ctx.t("web.link", url=url, minutes=minutes)))
