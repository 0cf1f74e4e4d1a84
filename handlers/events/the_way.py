"""How to get to an event ("wie komme ich da hin?", "how do I get there?", "Anfahrt zum
Forum?"): its place with a map link, and what its description says about getting there (the
bus, the station, parking), or that it says nothing of it.

Answered before the FAQ (the live answers ask it), with the FAQ's offer to pass the question
to the office all the same (`Router.offer_office`): where the description is silent, the
office knows the way. (The live answers had repeated the event's date and place line, which
the member had just read.)
"""

from __future__ import annotations

from urllib.parse import quote_plus

from bot.context import Context
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.textmatch.sentences import sentences
from handlers.events.choosing import event_talked_about, local_today, visible_upcoming
from handlers.events.described import MAX_QUOTED
from handlers.events.naming import (
    asks_about_parking,
    asks_the_way,
    named_about_events,
    names_association,
    pick,
    words_of,
)
from handlers.events.render import description_in, place_in, short_when, title_in
from storage import signups
from storage.events import Event

# The general glossary's concepts of getting somewhere (`bot/textmatch/data/general.txt`):
# a description's sentence with one of them says how to get there.
PARKING_CONCEPT = "~parking"
WAY_CONCEPTS = frozenset({"~transport", PARKING_CONCEPT})
MAP_SEARCH = "https://www.openstreetmap.org/search?query="


async def event_of_way(ctx: Context, text: str) -> Event | None:
    """The event whose way `text` asks: the one it names, else the one the talk was about
    (shown, signed up for, or named just before); None for a question about the way to
    the association's office ("wie komme ich zur Geschäftsstelle?") or about no one event."""
    if not asks_the_way(text) or names_association(text):
        return None
    upcoming = await visible_upcoming(ctx)
    named = named_about_events(text)
    if named.names_event:
        tz = ctx.services.settings.network.tz
        chosen = pick(named, upcoming, tz, today=local_today(ctx))
        return chosen[0] if len(chosen) == 1 else None
    return event_talked_about(ctx, upcoming)


def says_parking(sentence: str) -> bool:
    """Whether a description's sentence says something of parking."""
    return any(PARKING_CONCEPT in word.concepts for word in words_of(sentence))


def way_sentences(lang: str, event: Event) -> tuple[str, ...]:
    """The sentences of the event's description that say how to get there."""
    return tuple(
        sentence
        for sentence in sentences(description_in(lang, event))
        if any(WAY_CONCEPTS.intersection(word.concepts) for word in words_of(sentence))
    )


def map_link(place: str) -> str | None:
    """A map search for the place; None for a place that is a link (an online meeting)."""
    if not place.strip() or "://" in place:
        return None
    return MAP_SEARCH + quote_plus(place.strip())


async def answer_the_way(ctx: Context, text: str) -> bool:
    """The place of the event whose way `text` asks, a map link, and its description's
    sentences on getting there (or that it has none), with its details one press away (and
    its sign-up, for a member not signed up) and the offer to ask the office; False when no
    one event is meant."""
    event = await event_of_way(ctx, text)
    if event is None:
        return False
    tz = ctx.services.settings.network.tz
    place = place_in(ctx.lang, event)
    title, when = title_in(ctx.lang, event), short_when(ctx.lang, event, tz)
    lines = [
        ctx.t("events.way_place", title=title, when=when, place=place)
        if place
        else ctx.t("events.way_no_place", title=title, when=when)
    ]
    link = map_link(event.place or place)  # the place's local name finds it on a map
    if link is not None:
        lines.append(ctx.t("events.way_map", link=link))
    told = way_sentences(ctx.lang, event)
    said = " ".join(told)
    if len(said) > MAX_QUOTED:
        said = said[: MAX_QUOTED - 1].rstrip() + "…"
    lines.append(ctx.t("events.way_described", said=said) if said else ctx.t("events.way_none"))
    if said and asks_about_parking(text) and not any(says_parking(s) for s in told):
        # "gibts da parkplätze?" under a description with the bus alone: said so
        lines.append(ctx.t("events.way_no_parking"))
    row = [Button(ctx.t("events.btn_details"), f"ev:show:{event.id}")]
    async with ctx.db.session() as session:
        mine = await signups.find(session, event_id=event.id, member_id=ctx.member.id)
    if mine is None:  # on the way there, most likely coming
        row.insert(0, Button(ctx.t("events.btn_join"), f"ev:join:{event.id}"))
    reply = Reply(text=Markup("\n".join(lines)), buttons=(tuple(row),))
    # the office knows the way where the description is silent (asked in a private chat: a
    # group's members ask the office themselves)
    office = None
    if ctx.incoming.is_private:
        # the office reads the member's own words ("gibts da parkplätze?"), not as read
        asked = ctx.incoming.text.strip() or text
        office = await ctx.services.router.offer_office(ctx, asked, f"{title} ({when})")
    if office is not None:
        reply = Reply(
            text=Markup(f"{reply.text}\n\n{office.text}"),
            buttons=reply.buttons + office.buttons,
            metadata=office.metadata,
        )
    await ctx.reply(reply)
    return True
