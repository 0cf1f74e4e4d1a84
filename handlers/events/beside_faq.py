"""What the events offer beside the FAQ's answers and hand-offs: the date and sign-up of the
upcoming events a question names, one press away ("Was kostet das Symposium?" is answered
by the FAQ's entry on the symposium, which cannot know this year's date).

Registered as a `bot.router.HandoffOffer` (`beside_any`): beside a hand-off, an answer or
choices when the question names an upcoming event by its kind or a name ("Gibt es vegane
Verpflegung beim Symposium?"; "Muss man fürs Innovationsforum was zahlen?", whichever entry
answers it).
"""

from __future__ import annotations

from bot.context import Context
from bot.router import HandoffOffer, Router
from handlers.events import live
from handlers.events.choosing import local_today, visible_upcoming
from handlers.events.member_commands import list_events, show_event, show_event_list
from handlers.events.naming import named_in_message, names_association, pick
from storage.events import Event

OFFER = "events"


async def named_events(ctx: Context, text: str) -> list[Event]:
    """The upcoming events the member may see that `text` names by their kind ("Symposium",
    "Exkursion") or by a name of theirs (a place, a title word the question names as such);
    none for words only a title happens to share ("Recycling") or "an event" in general."""
    named = named_in_message(text)
    if not named.names_event or (not named.kinds and names_association(text)):
        return []  # "Parkplatz an der Geschäftsstelle in Goslar": the office there, no event
    events = await visible_upcoming(ctx)
    # days named from today count ("das Wetter morgen in Goslar" is not the forum in Goslar)
    return pick(named, events, ctx.services.settings.network.tz, today=local_today(ctx))


async def _fits(ctx: Context, text: str) -> bool:
    return bool(await named_events(ctx, text))


async def _start(ctx: Context, text: str, _question: int) -> None:
    events = await named_events(ctx, text)
    if len(events) == 1:
        await show_event(ctx, events[0].id)
    elif events:
        await show_event_list(ctx, ctx.t("events.live_several"), events[: live.LIST_LINES])
    else:  # past, cancelled or full of others meanwhile: what is coming instead
        await list_events(ctx)


def register(router: Router) -> None:
    router.offer_on_handoff(
        HandoffOffer(
            OFFER,
            "events.button_beside_faq",
            _fits,
            _start,
            beside_any=True,
        )
    )
