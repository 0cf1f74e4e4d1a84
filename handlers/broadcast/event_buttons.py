"""The event a broadcast is about, and its buttons under each member's copy.

"Noch Plätze frei beim Symposium – meldet euch an!" reached members without a way to act
on it: the announcement of a new event has *Anmelden*, a later reminder had nothing. A
broadcast whose text names exactly one upcoming event (by its kind or a name, as a member's
question would: `handlers.events.naming`) carries *Anmelden* and *Details*
of it, for every member who may sign up for it (a young professionals' excursion only
theirs); the preview says so, and the office can send it without them.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from bot.i18n import t
from bot.messages import Button
from bot.services import Services
from handlers.events.naming import named_in_message, pick
from handlers.events.service import open_to
from storage import event_store
from storage.events import Event
from storage.models import Member

# Upcoming events the text may name (as many as a member's question is read against).
CANDIDATES = 30

Buttons = tuple[tuple[Button, ...], ...]


async def named_event(services: Services, *texts: str) -> Event | None:
    """The one upcoming event open for sign-up that the broadcast's `texts` (its German and
    English versions) name, as beside the FAQ's answers (`Named.names_event`); None when they
    name none, several, or events only in general ("unsere Veranstaltungen")."""
    named = named_in_message(" ".join(texts))
    if not named.names_event or len(named.kinds) > 1:
        return None
    now, tz = services.clock(), services.settings.network.tz
    events = await services.db.run_read(
        partial(event_store.upcoming_now, after=now, limit=CANDIDATES)
    )
    # A weekday in a broadcast may be another date's ("Anmeldeschluss ist Freitag"): where
    # no event is on it, the event is read without it (a member's question is told "none").
    chosen = pick(named, events, tz) or pick(replace(named, weekday=None), events, tz)
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
