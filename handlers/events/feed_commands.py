"""Members: /kalender (/calendar) gives the private subscription link of their calendar
feed; `neu`/`new` replaces it, `alle`/`all` turns all public events in it on or off.

A command and its German name do the same: members who type /calendar or /kalender want their
events in their calendar app, and the subscription stays right after every change where a file
goes stale. /kalenderdatei (/calendarfile) sends the file; /calendarfeed, the English name
/kalender had before, still works, and so does /calendar N (one event's file) as before."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.router import Args, Param, Router
from handlers.events import feed
from handlers.events.member_commands import send_calendar

RENEW = frozenset({"neu", "new", "renew", "erneuern"})
ALL = frozenset({"alle", "all"})


def links_text(ctx: Context, links: feed.FeedLinks) -> Markup:
    scope = "feed.scope_all" if links.include_public else "feed.scope_mine"
    return ctx.t("feed.links", https=links.https, webcal=links.webcal, scope=ctx.t(scope))


async def calendar_feed(ctx: Context, option: str) -> None:
    """The subscription link, a renewed one, or the choice of public events."""
    word = option.strip().casefold()
    if word.isdecimal() and len(word) <= 12:
        # `/kalender 5` as before: the calendar file of one event.
        await send_calendar(ctx, int(word))
        return
    if word and word not in RENEW | ALL:
        raise UserError("feed.bad_option", given=option.strip()[:20])
    if not ctx.services.settings.web.enabled:
        await ctx.say("feed.needs_web")
        return
    member_id = ctx.member.id
    if word in RENEW:
        links = await feed.feed_url(ctx.services, member_id, renew=True)
        await ctx.reply(Markup(ctx.t("feed.renewed") + "\n\n" + links_text(ctx, links)))
    elif word in ALL:
        public = not await feed.include_public(ctx.services, member_id)
        created = await feed.set_public(ctx.services, member_id, public)
        said = ctx.t("feed.all_on" if public else "feed.all_off")
        if created is not None:
            said = Markup(said + "\n\n" + links_text(ctx, created))
        await ctx.reply(said)
    else:
        links = await feed.feed_url(ctx.services, member_id)
        await ctx.reply(Markup(links_text(ctx, links) + "\n\n" + ctx.t("feed.how")))


def register(router: Router) -> None:
    @router.command(
        "calendar",
        help_key="feed.help",
        group="events",
        order=7,
        params=(Param("text", "word", required=False),),
        german="kalender",
        german_aliases=("kalenderabo",),
        aliases=("calendarfeed",),
        private_only=True,
    )
    async def calendar_feed_command(ctx: Context, args: Args) -> None:
        await calendar_feed(ctx, args.text("text"))
