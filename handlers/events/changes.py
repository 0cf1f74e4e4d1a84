"""What of an edit the people signed up for an event notice, and how they are told.

A new time, place, title, deadline, kind or description is theirs to know, with what it was
before (a card alone would leave them comparing it with one they may not have kept); places,
reminders and the audience are the office's: a change of only those tells nobody (whoever a
larger capacity moves up gets a notice of their own). A title, place or description is the
one of the member's language: a new English title alone tells those who read English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import LANGUAGES, Markup, t
from handlers.events import render
from handlers.events.dates import show_when
from storage.event_store import as_utc
from storage.events import Event


@dataclass(frozen=True)
class Facts:
    """An event as the people signed up know it."""

    title: str
    kind: str
    when: tuple[datetime, datetime | None]
    place: str
    deadline: datetime | None
    description: str
    title_en: str = ""
    description_en: str = ""
    place_en: str = ""

    @classmethod
    def of(cls, event: Event) -> Facts:
        ends = as_utc(event.ends_at) if event.ends_at is not None else None
        deadline = as_utc(event.deadline) if event.deadline is not None else None
        return cls(
            title=event.title,
            kind=event.kind,
            when=(as_utc(event.starts_at), ends),
            place=event.place or "",
            deadline=deadline,
            description=event.description or "",
            title_en=event.title_en or "",
            description_en=event.description_en or "",
            place_en=event.place_en or "",
        )


def noticed_by(before: Facts, after: Facts) -> frozenset[str]:
    """The languages whose readers should hear of the change (a new English title is news
    to those reading English only)."""
    return frozenset(lang for lang in LANGUAGES if _read(lang, before) != _read(lang, after))


def _read(lang: str, facts: Facts) -> tuple[object, ...]:
    """The facts as a member reading `lang` knows them."""
    texts = (render.title_in(lang, facts), render.description_in(lang, facts))
    return (facts.kind, facts.when, render.place_in(lang, facts), facts.deadline, *texts)


def of_edit(lang: str, before: Event, after: Event, *, tz: ZoneInfo) -> Markup:
    """`lines` for an edit's preview: the event as stored and as it will be; and for the
    office, who may come and how many (no news to members: their notice leaves them out; an
    edit changing only the audience had said nothing of it)."""
    found = [lines(lang, Facts.of(before), after, tz=tz)]
    if after.audience != before.audience:
        new, old = _audience_label(lang, after.audience), _audience_label(lang, before.audience)
        found.append(t(lang, "events.change_audience", new=new, old=old))
    if after.capacity != before.capacity:
        unlimited = t(lang, "events.change_places_unlimited")
        new_places = unlimited if after.capacity is None else str(after.capacity)
        old_places = unlimited if before.capacity is None else str(before.capacity)
        found.append(t(lang, "events.change_places", new=new_places, old=old_places))
    return Markup("\n".join(line for line in found if line))


def _audience_label(lang: str, audience: str) -> str:
    if audience.startswith("topic:"):
        return t(lang, "events.audience_topic", topic=audience.removeprefix("topic:"))
    return t(lang, "events.audience_yp" if audience == "yp" else "events.audience_all")


def lines(lang: str, before: Facts, after: Event, *, tz: ZoneInfo) -> Markup:
    """One line per changed fact, the new value with the old one, in `lang`."""
    now = Facts.of(after)
    found: list[str] = []
    if now.when != before.when:
        was = Event(starts_at=before.when[0], ends_at=before.when[1])
        found.append(
            t(
                lang,
                "events.change_when",
                new=render.when_label(lang, after, tz),
                old=render.when_label(lang, was, tz),
            )
        )
    if (place := render.place_in(lang, now)) != (place_before := render.place_in(lang, before)):
        nowhere = t(lang, "events.change_no_place")
        found.append(
            t(lang, "events.change_place", new=place or nowhere, old=place_before or nowhere)
        )
    if (title := render.title_in(lang, now)) != (old := render.title_in(lang, before)):
        found.append(t(lang, "events.change_title", new=title, old=old))
    if now.kind != before.kind:
        found.append(t(lang, "events.change_kind", kind=render.kind_label(lang, now.kind)))
    if now.deadline != before.deadline:
        if now.deadline is None:
            found.append(t(lang, "events.change_no_deadline"))
        else:
            deadline = show_when(now.deadline, lang=lang, tz=tz)
            found.append(t(lang, "events.change_deadline", deadline=deadline))
    if render.description_in(lang, now) != render.description_in(lang, before):
        found.append(t(lang, "events.change_description"))
    return Markup("\n".join(found))
