"""The event a command names: its number, or words of its kind, month, place or title among
the upcoming events ("/anmelden Symposium", "/teilnehmer Workshop"); several fitting are
offered as buttons that do the command's action with the one tapped. One rule for the
members' commands (/termin, /anmelden, /abmelden) and the office's (/teilnehmer,
/terminaendern)."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import date
from functools import partial
from typing import cast

from bot.context import Context
from bot.errors import UserError
from bot.messages import YES_ASKS_WHICH, Button, Reply, shorten
from handlers.events import effects, render, service
from handlers.events.naming import (
    asks_about_attending,
    event_stems,
    events_named,
    named_about_events,
    names_association,
    pick,
)
from storage import event_store
from storage.events import Event

# How many events a reference naming several offers to choose from.
MAX_CHOICES = 5


def event_number(parts: list[str]) -> int:
    """The event id from a button payload (`action:id`, or `action:id:list` in /pending's
    list); anything else is a stale or forged button."""
    if parts[2:] not in ([], [render.LISTED]):
        raise UserError("errors.stale_button")
    if len(parts) < 2 or not parts[1].isdecimal() or len(parts[1]) > 12:
        raise UserError("errors.stale_button")
    return int(parts[1])


async def event_named(ctx: Context, reference: str, action: str, prefix: str = "ev") -> int | None:
    """The event a command's argument names: its number, or words of its kind, month, place or
    title among the upcoming events. None when several fit: they are offered as buttons that
    do `action` (join, leave, show; with `prefix`, an admin's) with the one tapped."""
    number = re.fullmatch(r"#?(\d{1,12})", reference.strip())
    if number is not None:
        return int(number.group(1))
    found = events_named(reference, await visible_upcoming(ctx), ctx.services.settings.network.tz)
    if not found:
        raise UserError("events.none_named", name=reference[:60])
    if len(found) == 1:
        return found[0].id
    await offer_choice(ctx, found, action, ctx.t("events.which_one"), prefix)
    return None


def local_today(ctx: Context) -> date:
    """Today in the network's zone: days named from today ("morgen") count from it."""
    return ctx.services.clock().astimezone(ctx.services.settings.network.tz).date()


# How many upcoming events a question or a command's words are matched against.
CANDIDATES = 50
# They are read again after any event change in this process (Effects.apply), when the
# minute turns, and at least every few seconds (changes made by another process show that
# late; places and counts are always read fresh).
UPCOMING_FOR_SECONDS = 5.0
_UPCOMING_CACHE = "live_upcoming"


async def visible_upcoming(ctx: Context) -> list[Event]:
    """The next `CANDIDATES` events the member may see and be offered by name: what a member
    does not see (a young professionals' excursion, for anyone else) is no answer to "when is
    the next excursion?" for them, nor a choice for "/anmelden Exkursion"."""
    found = await all_upcoming(ctx)
    return [e for e in found if service.shown_to(e, ctx.member, office=ctx.is_admin)]


async def all_upcoming(ctx: Context) -> Sequence[Event]:
    """The next `CANDIDATES` events, whoever may see them."""
    now = ctx.services.clock()
    key = (effects.revision(ctx.services), int(now.timestamp() // 60))
    cached = ctx.services.features.get(_UPCOMING_CACHE)
    clock = time.monotonic()
    if isinstance(cached, tuple) and cached[0] == key and clock < cached[1]:
        return cast("Sequence[Event]", cached[2])
    found = await ctx.db.run_read(partial(event_store.upcoming_now, after=now, limit=CANDIDATES))
    ctx.services.features[_UPCOMING_CACHE] = (key, clock + UPCOMING_FOR_SECONDS, found)
    return found


async def offer_choice(
    ctx: Context, events: Sequence[Event], action: str, text: str, prefix: str = "ev"
) -> None:
    """`text` with a button for each event that does `action` (join, leave, show)."""
    buttons = tuple(
        (Button(button_label(event, ctx.lang), f"{prefix}:{action}:{event.id}", item=event.id),)
        for event in events[:MAX_CHOICES]
    )
    # a typed "ja" names none of them: asked which one (`YES_ASKS_WHICH`)
    metadata = {"typed": "number", YES_ASKS_WHICH: "yes"}
    await ctx.reply(Reply(text=text, buttons=buttons, metadata=metadata))


def button_label(event: Event, lang: str, limit: int = 40) -> str:
    """`#3 Exkursion …`: short enough for a phone's button, cut at a word with an ellipsis
    (`shorten`: a title without a space early enough is cut within its word, so the label
    always shows a readable part of the title, never just `#3…`)."""
    return shorten(f"#{event.id} {render.title_in(lang, event)}", limit)


# The buttons about one event ("ev:join:3", "ev:leave:3", "ev:show:3", "ev:ics:3").
EVENT_BUTTON = re.compile(r"ev:(?:join|leave|show|ics|accept):(\d+)(?::|$)")


def event_shown_before(ctx: Context, upcoming: Sequence[Event] = ()) -> int | None:
    """The event the latest choices the member saw are all about (its sign-up offered or just
    made, its details); None when they are about several events (a list). About none, the
    event still talked about: the one of the choices before them, where all shown since
    changed no subject (`_keeps_subject`: the office's hand-off of "gibts da einen Aufzug?",
    the FAQ's choices, an answer beside an event), and the message just before names no
    event, nor one of `upcoming` by a word of its title (it is meant then); None when a
    message about something else came between."""
    found = _one_event(ctx.shown_before)
    if found is not None or not _keeps_subject(ctx.shown_before):
        return found or None
    if ctx.before and (named_about_events(ctx.before).names_event or _titled(ctx, upcoming)):
        return None  # "was kostet die Fachkonferenz?" handed on: that one is meant
    for payloads in ctx.shown_earlier:
        found = _one_event(payloads)
        if found is not None or not _keeps_subject(payloads):
            return found or None
    return None


def _titled(ctx: Context, upcoming: Sequence[Event]) -> list[Event]:
    """Those of `upcoming` the message just before names by a word of their title or place
    alone ("die Fachkonferenz" for a symposium so titled)."""
    stems = named_about_events(ctx.before).stems if ctx.before else frozenset()
    return [event for event in upcoming if stems & event_stems(event)] if stems else []


def _one_event(payloads: Sequence[str]) -> int | None:
    """The event choices are all about; 0 when they are about several, None for none."""
    ids = {int(m.group(1)) for p in payloads if (m := EVENT_BUTTON.match(p))}
    if not ids:
        return None
    return ids.pop() if len(ids) == 1 else 0


# The FAQ's choices of topics, its hand-off to the office, more choices, and the offers
# beside them; an answer's feedback buttons say it answered something.
_FAQ_NEUTRAL = ("faq:c:", "faq:ho:", "faq:none:", "faq:more:", "faq:of:", "faq:t:")


def _keeps_subject(payloads: Sequence[str]) -> bool:
    """Whether a message with these buttons (about no event) leaves the talk on the event
    before it: one without buttons (a hand-off, a note), the FAQ's choices and hand-off
    offers, an FAQ answer with the events' offer beside it (a question about an event,
    "was kostet das Forum?"). Another feature's buttons, or an FAQ answer alone ("Was kostet
    die Mitgliedschaft?"), are about something else."""
    if not all(payload.startswith("faq:") for payload in payloads):
        return False
    beside_event = any(p.startswith("faq:of:") and p.endswith(":events") for p in payloads)
    return beside_event or all(payload.startswith(_FAQ_NEUTRAL) for payload in payloads)


def events_listed_before(ctx: Context) -> tuple[int, ...]:
    """The events the latest message listed, in its order, when it listed several (/termine,
    "Welche Veranstaltung meinen Sie?"); () when it was about one event or none."""
    ids: list[int] = []
    for payload in ctx.shown_before:
        found = EVENT_BUTTON.match(payload)
        if found is not None and int(found.group(1)) not in ids:
            ids.append(int(found.group(1)))
    return tuple(ids) if len(ids) > 1 else ()


def event_meant_before(ctx: Context, upcoming: Sequence[Event]) -> Event | None:
    """Of `upcoming`, the one event a question pointing back means ("gibts da was zu essen",
    "wann gehts los"): the one the latest choices were about (or the talk is still on,
    `event_shown_before`), else the one the member's message just before names ("was
    kostet das Symposium?", answered by the FAQ; "die Fachkonferenz", by its title)."""
    shown = event_shown_before(ctx, upcoming)
    if shown is not None:
        return next((event for event in upcoming if event.id == shown), None)
    named = named_about_events(ctx.before) if ctx.before else None
    if named is None:
        return None
    if named.names_event:
        chosen = pick(named, upcoming, ctx.services.settings.network.tz)
    else:  # by a word of its title alone ("die Fachkonferenz")
        chosen = _titled(ctx, upcoming)
    return chosen[0] if len(chosen) == 1 else None


def event_talked_about(ctx: Context, upcoming: Sequence[Event]) -> Event | None:
    """Of `upcoming`, the event a question that can only be about an event means ("was
    steht im Programm?"): the one meant before (`event_meant_before`), else the one the
    newest earlier choices about one event were about, though other questions came between
    (bot/shown.py keeps them `EARLIER_MINUTES`); None when none was shown."""
    meant = event_meant_before(ctx, upcoming)
    if meant is not None:
        return meant
    for payloads in (ctx.shown_before, *ctx.shown_earlier):
        found = _one_event(payloads)
        if found == 0:
            return None  # a list of several: which one is not known
        if found is not None:
            return next((event for event in upcoming if event.id == found), None)
    return None


def event_asked_next(ctx: Context, upcoming: Sequence[Event], text: str) -> Event | None:
    """Of `upcoming`, the one event a question naming none and not pointing back is about:
    the one the latest choices were about ("where can I park" under its details); else, when
    it asks what one asks about attending ("muss ich was mitbringen?", "is there a dress
    code?"; not "Wann wird der Mitgliedsbeitrag fällig?"), the one the member's message just
    before names ("wo kann man bei der Exkursion parken", handed to the office). None for a
    question about the association's board or office ("wer ist im Vorstand?", "Parkplatz an
    der Geschäftsstelle?" under an event's details): no event's."""
    if names_association(text):
        return None
    shown = event_shown_before(ctx, upcoming)
    if shown is not None:
        return next((event for event in upcoming if event.id == shown), None)
    if not asks_about_attending(text):
        return None
    return event_meant_before(ctx, upcoming)
