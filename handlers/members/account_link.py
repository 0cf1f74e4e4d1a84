"""`/link`: a one-time code joins a member's Telegram and Matrix accounts into one member."""

from __future__ import annotations

import secrets
from datetime import timedelta

from bot.context import Context
from bot.errors import UserError
from bot.router import Args, Param, Router
from handlers.members.invitations import CODE_LENGTH, claim
from storage import members

CODE_LIFETIME = timedelta(minutes=15)
# No 0/O or 1/I/L: codes are typed on phones.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def register(router: Router) -> None:
    @router.command(
        "link",
        help_key="help.link",
        group="profile",
        order=13,
        params=(Param("code", "word", required=False),),
        german="verbinden",
    )
    async def link(ctx: Context, args: Args) -> None:
        if not args.has("code"):
            code = new_code()
            async with ctx.db.session() as session:
                await members.store_link_code(
                    session,
                    code=code,
                    member_id=ctx.member.id,
                    expires_at=ctx.services.clock() + CODE_LIFETIME,
                )
            await ctx.say("link.code", code=code, minutes=int(CODE_LIFETIME.total_seconds() // 60))
            return
        code = args.text("code").strip().upper()
        if len(code) == CODE_LENGTH:  # the office's invitation to claim a directory entry
            await claim(ctx, code)
            return
        async with ctx.db.session() as session:
            owner = await members.take_link_code(session, code=code, now=ctx.services.clock())
            if owner is None:
                raise UserError("link.bad_code")
            if owner == ctx.member.id:
                raise UserError("link.same_account")
            platforms = {account.platform for account in ctx.member.accounts}
            target = await members.get_member(session, owner)
            assert target is not None
            if platforms & {account.platform for account in target.accounts}:
                raise UserError("link.same_platform")
            # The member who asked for the code keeps their profile; this account joins them.
            await members.move_accounts(session, from_member=ctx.member.id, to_member=owner)
        await ctx.say("link.done", organisation=target.organisation or target.display_name)
