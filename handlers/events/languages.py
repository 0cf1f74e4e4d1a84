"""Which events are held in a language, asked of all of them ("Are there any events in
English?", "Gibt es Veranstaltungen auf Englisch?"): events have no language of their own,
so the answer is what their descriptions say of it, and that the office knows the rest.

A question of one event ("Is the symposium in English?") is the FAQ's and the office's, as
before (`described.language_asked_of`); the member's own language is the profile's."""

from __future__ import annotations

import re

from bot.context import Context
from bot.i18n import Markup
from bot.router import Router
from bot.textmatch.sentences import sentences
from handlers.events.choosing import visible_upcoming
from handlers.events.member_commands import list_lines
from handlers.events.naming import asks_language, named_about_events, pick, says_language
from handlers.events.render import description_in, title_in
from storage.events import Event

# Events in general, not one: "any events", "welche Veranstaltungen", "Termine", "anything"
# (not "the talks at the symposium": one event's).
_EVENTS = re.compile(
    r"\b(?:veranstaltungen|termine|angebote|exkursionen|events|excursions|meetings|"
    r"anything|something|irgendwas|etwas)\b",
    re.IGNORECASE,
)
# The member's own language (the bot's, the profile's), not an event's.
_OWN_LANGUAGE = re.compile(
    r"\b(?:bot|bots|profil\w*|profile|umstell\w*|änder\w*|aender\w*|switch\w*|chang\w*)\b",
    re.IGNORECASE,
)


def asks_events_language(text: str) -> bool:
    """ "Are there any events in English?", "Welche Veranstaltungen sind auf Englisch?"."""
    return asks_language(text) and bool(_EVENTS.search(text)) and not _OWN_LANGUAGE.search(text)


def language_said(event: Event, lang: str) -> str | None:
    """The sentence of the event's description (in `lang`, else the other) naming a language."""
    for described in (description_in(lang, event), event.description, event.description_en):
        found = next((s for s in sentences(described or "") if says_language(s)), None)
        if found is not None:
            return found.strip()
    return None


async def answer_events_language(ctx: Context, text: str) -> bool:
    """What the descriptions of the upcoming events say of their language, and that the
    office knows the rest; False for another question, or one of one event."""
    if not (ctx.incoming.is_private and asks_events_language(text)):
        return False
    events = await visible_upcoming(ctx)
    named = named_about_events(text)
    if named.names_event:
        chosen = pick(named, events, ctx.services.settings.network.tz)
        if len(chosen) == 1 and named.names:
            return False  # one event's language: the FAQ's and the office's question
        events = chosen or events
    if not events:
        await ctx.say("events.none_upcoming")
        return True
    said = [(event, language_said(event, ctx.lang)) for event in events]
    told = [
        ctx.t("events.language_said", title=title_in(ctx.lang, event), said=sentence)
        for event, sentence in said
        if sentence is not None
    ]
    rest = [event for event, sentence in said if sentence is None]
    lines: list[str] = []
    if told:
        lines += [ctx.t("events.language_said_header"), *told]
    if rest:
        lines += [""] if told else []
        lines.append(ctx.t("events.language_unsaid", count=len(rest)))
        lines += await list_lines(ctx, rest)
    lines += ["", ctx.t("events.language_ask_office")]
    await ctx.reply(Markup("\n".join(lines)))
    return True


def register(router: Router) -> None:
    # before the events' answers (10), which list the events and say nothing of the language
    router.free_text(priority=9)(answer_events_language)
