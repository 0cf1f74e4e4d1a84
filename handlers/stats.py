"""`/stats` for admins: one block per feature, from the providers features register.

A feature adds its counts with `@router.stats` in its `register(router)`; this module only
collects them, so FAQ, partners and events each keep their own queries.
"""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Markup
from bot.router import Args, Router


def register(router: Router) -> None:
    @router.command(
        "stats",
        help_key="admin.stats_help",
        group="members",
        order=1,
        admin=True,
        german="statistik",
    )
    async def show_stats(ctx: Context, _args: Args) -> None:
        """Every feature's counts, in the order the features were registered."""
        blocks: list[str] = [ctx.t("admin.stats_title")]
        for provider in router.stat_providers:
            lines = await provider(ctx)
            if lines:
                blocks.append("\n".join(lines))
        if len(blocks) == 1:
            blocks.append(ctx.t("admin.stats_nothing"))
        await ctx.reply(Markup("\n\n".join(blocks)))
