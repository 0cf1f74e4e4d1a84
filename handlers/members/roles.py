"""`/promote` and `/demote`: admins beyond those in the config."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.router import Args, Param, Router
from bot.services import Services
from storage import members
from storage.models import Member


async def change_role(services: Services, member_id: int, value: bool) -> Member:
    """Make a member an admin (or no longer one) and tell the platforms' role listeners.

    The chat's /promote and /demote and the dashboard both call this."""
    async with services.db.session() as session:
        target = await members.get_member(session, member_id)
        if target is None:
            raise UserError("errors.unknown_member", number=member_id)
        await members.update_member(session, member_id=member_id, is_admin=value)
    await services.role_changed([(a.platform, a.user_id) for a in target.accounts], value)
    return target


async def set_admin(ctx: Context, member_id: int, value: bool) -> None:
    target = await change_role(ctx.services, member_id, value)
    key = "roles.promoted" if value else "roles.demoted"
    await ctx.say(key, number=member_id, name=target.organisation or target.display_name)


def register(router: Router) -> None:
    number = (Param("member", "int"),)

    @router.command(
        "promote",
        help_key="help.promote",
        group="members",
        order=2,
        params=number,
        admin=True,
        german="ernennen",
    )
    async def promote(ctx: Context, args: Args) -> None:
        await set_admin(ctx, args.int("member"), True)

    @router.command(
        "demote",
        help_key="help.demote",
        group="members",
        order=3,
        params=number,
        admin=True,
        german="abberufen",
    )
    async def demote(ctx: Context, args: Args) -> None:
        await set_admin(ctx, args.int("member"), False)
