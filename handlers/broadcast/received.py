"""The news a member got, shown again: under /neuigkeiten, and when they ask for the latest
news in words ("was gab es zuletzt für Neuigkeiten?"). A member who missed a message, or
cleared the chat, finds it here; only what was delivered to them, so an audience the office
chose (young professionals, one topic) stays theirs."""

from __future__ import annotations

from bot.context import Context
from bot.i18n import Markup
from bot.i18n.dates import show_date
from bot.messages import shorten
from handlers.broadcast.sending import text_in
from storage import broadcasts

SHOWN = 3
# Characters of each: a reminder of what it said, not the whole letter again.
SHOWN_LENGTH = 300


async def received_text(ctx: Context) -> Markup | None:
    """The latest news delivered to the member, dated, each shortened; None when none was."""
    async with ctx.db.session() as session:
        got = await broadcasts.received_by(session, member_id=ctx.member.id, limit=SHOWN)
    if not got:
        return None
    tz = ctx.services.settings.network.tz
    lines = [
        ctx.t(
            "broadcast.received_line",
            date=show_date(news.sent_at, lang=ctx.lang, tz=tz),
            text=shorten(
                " ".join(text_in(news.text, news.text_en, ctx.lang).split()), SHOWN_LENGTH
            ),
        )
        for news in got
    ]
    return Markup("\n".join([ctx.t("broadcast.received_title"), *lines]))


async def show_received(ctx: Context, *, asked: bool) -> None:
    """The latest news the member got; when they `asked` for it in words, also that there
    was none yet, or that they stopped the news (the command alone says nothing more then:
    its status line was the answer)."""
    text = await received_text(ctx)
    stopped = ""
    if asked and not ctx.member.news_subscribed:
        # what went out since is what they missed: said, not "nothing yet"
        stopped = ctx.t("broadcast.received_stopped", command=ctx.command("news"))
    if text is not None:
        await ctx.reply(Markup("\n\n".join(part for part in (text, stopped) if part)))
    elif stopped:
        await ctx.reply(stopped)
    elif asked:
        await ctx.say("broadcast.received_none", command=ctx.command("news"))
