"""The event a broadcast is about, and its buttons under each member's copy.

"Noch Plätze frei beim Symposium – meldet euch an!" reached members without a way to act
on it: the announcement of a new event has *Anmelden*, a later reminder had nothing. A
broadcast whose text names exactly one upcoming event (by its kind or a name, as a member's
question would: `handlers.events.naming`) carries *Anmelden* and *Details*
of it, for every member who may sign up for it (a young professionals' excursion only
theirs); the preview says so, and the office can send it without them.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from bot.i18n import t
from bot.messages import Button
from handlers.events.naming import named_in_message, pick
from handlers.events.service import open_to
from storage import event_store
from storage.db import Database
from storage.events import Event
from storage.models import Member

# Upcoming events the text may name (as many as a member's question is read against).
CANDIDATES = 30

Buttons = tuple[tuple[Button, ...], ...]


async def named_event(db: Database, text: str, *, now: datetime, tz: ZoneInfo) -> Event | None:
    """The one upcoming event open for sign-up that `text` names; None when it names none,
    several, or events only in general ("unsere Veranstaltungen")."""
    named = named_in_message(text)
    # by its kind or a name, as beside the FAQ's answers: a title's word alone ("Recycling")
    # is no event named
    if named.generic or not (named.kind or named.names) or len(named.kinds) > 1:
        return None
    events = await db.run_read(partial(event_store.upcoming_now, after=now, limit=CANDIDATES))
    chosen = pick(named, events, tz)
    return chosen[0] if len(chosen) == 1 else None


def buttons_for(event: Event | None, member: Member, *, signed_up: bool = False) -> Buttons:
    """*Anmelden* and *Details* in the member's language, if they may sign up for `event`;
    *Details* alone for a member signed up already (or on its waiting list)."""
    if event is None or not open_to(event, member):
        return ()
    lang = member.language
    details = Button(t(lang, "events.btn_details"), f"ev:show:{event.id}")
    if signed_up:
        return ((details,),)
    return ((Button(t(lang, "events.btn_join"), f"ev:join:{event.id}"), details),)
