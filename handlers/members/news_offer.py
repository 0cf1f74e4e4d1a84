"""What /news offers beside the FAQ's answers: the answer saying how to stop the news (or get
them) carries a button that does it, since the member asking "Wie bestelle ich die Nachrichten
ab?" expects it done rather than explained.

Registered as two `bot.router.HandoffOffer`s with `command="news"`: beside an answer or
choices naming an entry whose answer tells the member to type /news, whatever the entry's id.
A member who receives the news is offered to stop them, one who stopped them to get them back.
"""

from __future__ import annotations

from bot.context import Context
from bot.router import HandoffOffer, Router
from bot.textmatch.analyzer import reply_language
from handlers.members.profile import store

COMMAND = "news"
STOP = "newsoff"
RESUME = "newson"


async def _receives(ctx: Context, _text: str) -> bool:
    return ctx.member.news_subscribed


async def _stopped(ctx: Context, _text: str) -> bool:
    return not ctx.member.news_subscribed


async def _set(ctx: Context, text: str, wanted: bool) -> None:
    """Store the choice and confirm it in the language of the question the button was offered
    beside (as that answer was); pressed again, the same store and the same confirmation."""
    said = ctx.speaking(reply_language(text, ctx.lang))
    await store(said, "news_subscribed", wanted)
    key = "profile.news_resumed" if wanted else "profile.news_stopped"
    await said.say(key, command=said.command(COMMAND))


async def _stop(ctx: Context, text: str, _question: int) -> None:
    await _set(ctx, text, False)


async def _resume(ctx: Context, text: str, _question: int) -> None:
    await _set(ctx, text, True)


def register(router: Router) -> None:
    router.offer_on_handoff(
        HandoffOffer(STOP, "profile.news_stop_button", _receives, _stop, command=COMMAND)
    )
    router.offer_on_handoff(
        HandoffOffer(RESUME, "profile.news_resume_button", _stopped, _resume, command=COMMAND)
    )
