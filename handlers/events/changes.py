"""What of an edit the people signed up for an event notice, and how they are told.

A new time, place, title, deadline, kind or description is theirs to know, with what it was
before (a card alone would leave them comparing it with one they may not have kept); places,
reminders and the audience are the office's: a change of only those tells nobody (whoever a
larger capacity moves up gets a notice of their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import Markup, t
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
        )


def noticed(before: Facts, after: Facts) -> bool:
    """True when the people signed up should hear of the change."""
    return before != after


def of_edit(lang: str, before: Event, after: Event, *, tz: ZoneInfo) -> Markup:
    """`lines` for an edit's preview: the event as stored and as it will be."""
    return lines(lang, Facts.of(before), after, tz=tz)


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
    if now.place != before.place:
        old = before.place or t(lang, "events.change_no_place")
        new = now.place or t(lang, "events.change_no_place")
        found.append(t(lang, "events.change_place", new=new, old=old))
    if now.title != before.title:
        found.append(t(lang, "events.change_title", new=now.title, old=before.title))
    if now.kind != before.kind:
        found.append(t(lang, "events.change_kind", kind=render.kind_label(lang, now.kind)))
    if now.deadline != before.deadline:
        if now.deadline is None:
            found.append(t(lang, "events.change_no_deadline"))
        else:
            deadline = show_when(now.deadline, lang=lang, tz=tz)
            found.append(t(lang, "events.change_deadline", deadline=deadline))
    if now.description != before.description:
        found.append(t(lang, "events.change_description"))
    return Markup("\n".join(found))
