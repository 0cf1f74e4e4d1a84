"""A calendar feed per member: a private subscription URL their calendar app polls.

The feed holds the events the member signed up for (confirmed; offered, with the offer's
deadline; waitlisted, with the position: TENTATIVE and marked in SUMMARY and DESCRIPTION) and,
when the member chose so, every public event of the network (young professionals' events only
for young professionals). A cancelled event stays in it with STATUS:CANCELLED, so calendars
that imported it strike it out. UIDs are the calendar files' (calendar.event_uid) and SEQUENCE
is the event's own `sequence` column, raised by every edit and by a cancellation.

Polling is cheap: the ETag is a hash over the few columns the feed depends on (the member's
sign-ups with their status, offer deadline and waitlist rank; the events' sequence, status and
last change), read in one or two light queries, so a conditional GET answers 304 without
building the calendar; a built calendar is kept in memory under its ETag.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import icalendar

from bot.i18n import t
from bot.messages import plain_text
from bot.services import Services
from handlers.events import render
from handlers.events.calendar import event_component, prodid, vtimezone
from handlers.events.dates import show_when
from storage import calendar_feeds
from storage.event_store import CANCELLED, as_utc
from storage.events import CONFIRMED, OFFERED, WAITLISTED, Event
from storage.signups import OPEN

# Events that started up to this long ago stay in the feed (a calendar keeps its past week).
PAST_DAYS = 30
# Raise when the feed's content changes shape, so every calendar fetches it anew.
FEED_FORMAT = 1
CACHE_KEY = "events.calendar_feed_cache"
CACHE_SIZE = 256
# The young professionals' events: in "all" mode only young professionals see them.
YP_AUDIENCE = "yp"


@dataclass(frozen=True)
class FeedLinks:
    """Where the member's calendar app subscribes: the https URL and the same as webcal://."""

    https: str
    webcal: str
    include_public: bool


def _links(services: Services, token: str, include_public: bool) -> FeedLinks:
    base = services.settings.web.public_url.rstrip("/")
    https = f"{base}/feed/{token}.ics"
    webcal = "webcal://" + https.split("://", 1)[1]
    return FeedLinks(https, webcal, include_public)


async def feed_url(
    services: Services, member_id: int, *, renew: bool = False, public: bool | None = None
) -> FeedLinks:
    """A new subscription link for the member (a long random token; only its hash is stored).

    `renew` removes every earlier link, so those stop working; otherwise they keep working
    (an earlier URL cannot be shown again). `public` sets whether all public events are in
    the feed (for all the member's links); None keeps the member's choice.
    """
    token = secrets.token_urlsafe(32)
    async with services.db.session() as session:
        current = await calendar_feeds.include_public(session, member_id=member_id)
        chosen = bool(current) if public is None else public
        await calendar_feeds.add_feed(
            session,
            token=token,
            member_id=member_id,
            public=chosen,
            now=services.clock(),
            renew=renew,
        )
    return _links(services, token, chosen)


async def include_public(services: Services, member_id: int) -> bool | None:
    """Whether the member's feed shows all public events; None when they have no feed."""
    async with services.db.session() as session:
        return await calendar_feeds.include_public(session, member_id=member_id)


async def set_public(services: Services, member_id: int, public: bool) -> FeedLinks | None:
    """Show all public events in the member's feed, or only their own; a member without a
    feed gets a new link (returned), one with a feed keeps theirs (None)."""
    if await include_public(services, member_id) is None:
        return await feed_url(services, member_id, public=public)
    async with services.db.session() as session:
        await calendar_feeds.set_include_public(session, member_id=member_id, public=public)
    return None


@dataclass(frozen=True)
class FeedState:
    """What a feed shows, in the light form the ETag is made of."""

    member_id: int
    lang: str
    young_professional: bool
    include_public: bool
    mine: Sequence[tuple[Any, ...]]  # calendar_feeds.signup_states rows
    public: Sequence[tuple[Any, ...]]  # calendar_feeds.public_states rows
    etag: str


async def feed_state(services: Services, token: str) -> FeedState | None:
    """The feed's state and ETag, without building it; None for an unknown or replaced link."""
    now = services.clock()
    since = now - timedelta(days=PAST_DAYS)
    async with services.db.session() as session:
        owner = await calendar_feeds.feed_owner(session, token=token)
        if owner is None:
            return None
        member_id, lang, young_professional, public = owner
        mine = await calendar_feeds.signup_states(session, member_id=member_id, since=since)
        others: Sequence[tuple[Any, ...]] = ()
        if public:
            others = await calendar_feeds.public_states(
                session,
                since=since,
                statuses=(OPEN, CANCELLED),
                hidden_audiences=() if young_professional else (YP_AUDIENCE,),
            )
    tz = services.settings.network.tz
    key = repr((FEED_FORMAT, member_id, lang, public, tz.key, mine, others))
    etag = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return FeedState(member_id, lang, bool(young_professional), bool(public), mine, others, etag)


class FeedCache:
    """Built calendars by ETag, the least recently used dropped first."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._built: OrderedDict[str, bytes] = OrderedDict()

    def get(self, etag: str) -> bytes | None:
        found = self._built.get(etag)
        if found is not None:
            self._built.move_to_end(etag)
        return found

    def put(self, etag: str, content: bytes) -> None:
        self._built[etag] = content
        self._built.move_to_end(etag)
        while len(self._built) > self._size:
            self._built.popitem(last=False)


def _cache(services: Services) -> FeedCache:
    cache = services.features.get(CACHE_KEY)
    if not isinstance(cache, FeedCache):
        cache = FeedCache()
        services.features[CACHE_KEY] = cache
    return cache


async def render_feed(services: Services, state: FeedState) -> bytes:
    """The iCalendar text of a feed state (from memory when it was built before)."""
    cache = _cache(services)
    found = cache.get(state.etag)
    if found is not None:
        return found
    signed_up = {row[0]: row for row in state.mine}
    ids = list(dict.fromkeys([*signed_up, *(row[0] for row in state.public)]))
    async with services.db.session() as session:
        events = await calendar_feeds.events_by_id(session, ids)
    content = build_feed(
        events,
        signed_up,
        lang=state.lang,
        services=services,
    )
    cache.put(state.etag, content)
    return content


async def member_feed(services: Services, token: str) -> tuple[bytes, str] | None:
    """The member's calendar and its ETag; None for an unknown or replaced link."""
    state = await feed_state(services, token)
    if state is None:
        return None
    return await render_feed(services, state), state.etag


def _replace(component: icalendar.Event, name: str, value: object) -> None:
    if name in component:
        del component[name]
    component.add(name, value)


def _mark(
    component: icalendar.Event,
    event: Event,
    row: tuple[Any, ...] | None,
    *,
    lang: str,
    services: Services,
) -> None:
    """The member's own state on an event: in the title, the description and STATUS."""
    note = ""
    if event.status == CANCELLED:
        _replace(
            component,
            "summary",
            plain_text(t(lang, "feed.summary_cancelled", title=render.title_of(event))),
        )
    elif row is None:  # a public event the member has not signed up for
        note = plain_text(t(lang, "feed.note_public", number=event.id))
        component.add("transp", "TRANSPARENT")
    else:
        status, offer_until, rank = row[5], row[6], row[7]
        if status == OFFERED:
            tz = services.settings.network.tz
            until = show_when(as_utc(offer_until), lang=lang, tz=tz) if offer_until else "–"
            _replace(
                component,
                "summary",
                plain_text(t(lang, "feed.summary_offered", title=render.title_of(event))),
            )
            _replace(component, "status", "TENTATIVE")
            note = plain_text(t(lang, "feed.note_offered", until=until))
        elif status == WAITLISTED:
            _replace(
                component,
                "summary",
                plain_text(
                    t(lang, "feed.summary_waiting", title=render.title_of(event), rank=rank)
                ),
            )
            _replace(component, "status", "TENTATIVE")
            note = plain_text(t(lang, "feed.note_waiting", rank=rank))
        elif status == CONFIRMED:
            note = plain_text(t(lang, "feed.note_confirmed"))
    if note:
        description = render.description_read(lang, event)
        _replace(component, "description", f"{note}\n\n{description}".strip())


def build_feed(
    events: Sequence[Event],
    signed_up: dict[int, tuple[Any, ...]],
    *,
    lang: str,
    services: Services,
) -> bytes:
    """The VCALENDAR of a member's feed, with one VTIMEZONE that holds for every date in it."""
    tz, now = services.settings.network.tz, services.clock()
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid())
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plain_text(t(lang, "feed.calendar_name")))
    calendar.add("x-wr-timezone", tz.key)
    # How often calendar apps should look again (most take their own interval anyway).
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    years: list[int] = []
    for event in events:
        component = event_component(event, tz=tz, now=now, lang=lang)
        _mark(component, event, signed_up.get(event.id), lang=lang, services=services)
        calendar.add_component(component)
        years += [_year(component, "dtstart"), _year(component, "dtend")]
    if not years:
        # nothing signed up for yet: the zone alone, as a calendar holds one component at
        # least (RFC 5545); an empty VCALENDAR is refused by stricter calendar apps
        calendar.subcomponents.insert(0, vtimezone(tz, now.year, now.year))
    elif tz.key in calendar.get_missing_tzids():
        calendar.subcomponents.insert(0, vtimezone(tz, min(years), max(years)))
    content: bytes = calendar.to_ical()
    return content


def _year(component: icalendar.Event, name: str) -> int:
    moment = component.decoded(name)
    assert isinstance(moment, datetime)
    return moment.year
