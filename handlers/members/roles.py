"""`/promote` and `/demote`: admins beyond those in the config."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.router import Args, Param, Router
from storage import members


async def set_admin(ctx: Context, member_id: int, value: bool) -> None:
    async with ctx.db.session() as session:
        target = await members.get_member(session, member_id)
        if target is None:
            raise UserError("errors.unknown_member", number=member_id)
        await members.update_member(session, member_id=member_id, is_admin=value)
    await ctx.services.role_changed([(a.platform, a.user_id) for a in target.accounts], value)
    key = "roles.promoted" if value else "roles.demoted"
    await ctx.say(key, number=member_id, name=target.organisation or target.display_name)


def register(router: Router) -> None:
    number = (Param("member", "int"),)

    @router.command(
        "promote", help_key="help.promote", group="members", order=2, params=number, admin=True
    )
    async def promote(ctx: Context, args: Args) -> None:
        await set_admin(ctx, args.int("member"), True)

    @router.command(
        "demote", help_key="help.demote", group="members", order=3, params=number, admin=True
    )
    async def demote(ctx: Context, args: Args) -> None:
        await set_admin(ctx, args.int("member"), False)
