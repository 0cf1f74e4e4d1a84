"""`/help`: the commands the speaker may use, built from the router's declarations."""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Markup
from bot.messages import escape
from bot.router import Args, Command, Router


def visible_commands(router: Router, *, is_admin: bool) -> list[Command]:
    return sorted(
        (cmd for cmd in router.unique_commands() if is_admin or not cmd.admin),
        key=lambda cmd: (cmd.admin, cmd.name),
    )


def register(router: Router) -> None:
    @router.command("help", help_key="help.help", aliases=("hilfe",))
    async def show_help(ctx: Context, _args: Args) -> None:
        lines: list[str] = [ctx.t("help.intro")]
        admin_header_done = False
        for command in visible_commands(router, is_admin=ctx.is_admin):
            if command.admin and not admin_header_done:
                lines.append("\n" + ctx.t("help.admin_header"))
                admin_header_done = True
            lines.append(f"{escape(command.usage())} – {ctx.t(command.help_key)}")
        await ctx.reply(Markup("\n".join(lines)))
