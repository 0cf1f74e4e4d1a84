"""Questions answered from live data, before the FAQ: next event, free places, own sign-ups.

`answer_live_question(ctx, text)` is registered as free text with priority 10 (the FAQ uses 50)
and may be called by the FAQ feature as well; it returns False for anything it does not know.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Router
from handlers.events import render
from handlers.events.dates import show_when
from storage import event_store, signups
from storage.events import Event

_KIND_WORDS = (
    (r"symposi\w*", "symposium"),
    (r"innovations?\s*-?forum\w*|forum\w*", "forum"),
    (r"exkursion\w*|excursion\w*|ausflug\w*|field\s+trip\w*|trip\w*", "excursion"),
    (r"workshop\w*", "workshop"),
)
_NEXT = re.compile(
    r"\b(wann|when)\b|\b(nächste|naechste|kommende|next|upcoming)\w*\b.*\?\s*$",
    re.I | re.S,
)
_FREE = re.compile(
    r"(plätze|plaetze|platz)\s*(frei|verfügbar|übrig)|noch\s+(frei|platz|plätze)|"
    r"(free|available|open|left)\s+(places|seats|spots)|(places|seats|spots)\s+(left|free|available)",
    re.I,
)
_MINE = re.compile(
    r"wof(ü|ue)r\s+bin\s+ich\s+(an|ein)gemeldet|wo\s+bin\s+ich\s+angemeldet|meine\s+(termine|anmeldungen)|"
    r"what\s+(am\s+i|have\s+i)\s+(signed|registered|booked)|my\s+(events|sign-?ups|registrations)",
    re.I,
)
_UPCOMING = re.compile(
    r"welche\s+(veranstaltungen|termine|events|exkursionen)|was\s+steht\s+an|"
    r"(kommende|anstehende)n?\s+(veranstaltungen|termine)|"
    r"what\s+(events|excursions)|upcoming\s+(events|excursions)|what'?s\s+coming\s+up",
    re.I,
)
_STOP = {
    "nach",
    "der",
    "die",
    "das",
    "dem",
    "den",
    "zur",
    "zum",
    "bei",
    "noch",
    "frei",
    "sind",
    "gibt",
    "plätze",
    "plaetze",
    "exkursion",
    "excursion",
    "the",
    "to",
    "are",
    "there",
    "any",
    "left",
    "free",
    "places",
    "seats",
    "for",
    "trip",
    "still",
    "ist",
    "wann",
    "nächste",
    "symposium",
    "forum",
    "workshop",
    "einen",
    "eine",
    "und",
}


def _kind_in(text: str) -> str | None:
    for pattern, kind in _KIND_WORDS:
        if re.search(pattern, text, re.I):
            return kind
    return None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\wäöüß]{3,}", text.casefold()) if w not in _STOP}


def best_match(text: str, events: list[Event]) -> Event | None:
    """The upcoming event whose title or place shares the most words with the question."""
    wanted = _words(text)
    scored = [(len(wanted & _words(f"{e.title} {e.place}")), e) for e in events]
    scored = [(score, e) for score, e in scored if score > 0]
    if not scored:
        return None
    return max(scored, key=lambda pair: pair[0])[1]


async def _event_reply(ctx: Context, key: str, event: Event) -> None:
    tz = ctx.services.settings.network.tz
    async with ctx.db.session() as session:
        taken, waiting = await signups.counts(session, event_id=event.id)
    values = {
        "title": event.title,
        "number": event.id,
        "when": show_when(event_store.as_utc(event.starts_at), lang=ctx.lang, tz=tz),
        "place": event.place or "–",
        "count": render.count_label(ctx.lang, event, taken, waiting),
    }
    text = ctx.t(key, **values)
    if event.capacity is not None and taken >= event.capacity:
        text = Markup(text + "\n" + ctx.t("events.live_full"))
    buttons = (
        (
            Button(ctx.t("events.btn_join"), f"ev:join:{event.id}"),
            Button(ctx.t("events.btn_details"), f"ev:show:{event.id}"),
        ),
    )
    await ctx.reply(Reply(text=text, buttons=buttons))


async def answer_live_question(ctx: Context, text: str) -> bool:
    """Answer from the database if the question is about events; False otherwise."""
    now = ctx.services.clock()
    if _MINE.search(text):
        from handlers.events.member_commands import my_events

        await my_events(ctx)
        return True
    free = _FREE.search(text) is not None
    kind = _kind_in(text)
    if _UPCOMING.search(text) and not free:
        from handlers.events.member_commands import list_events

        await list_events(ctx)
        return True
    if not free and not (kind and _NEXT.search(text)):
        return False
    async with ctx.db.session() as session:
        events = list(await event_store.upcoming(session, after=now, kind=kind, limit=50))
    if free:
        event = best_match(text, events) or (events[0] if kind and events else None)
        if event is None:
            await ctx.say("events.live_no_match")
            return True
        await _event_reply(ctx, "events.live_free", event)
        return True
    if not events:
        await ctx.say("events.live_none", kind=render.kind_label(ctx.lang, kind or "other"))
        return True
    await _event_reply(ctx, "events.live_next", events[0])
    return True


def register(router: Router) -> None:
    router.free_text(priority=10)(answer_live_question)
