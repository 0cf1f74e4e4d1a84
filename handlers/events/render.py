"""How an event looks in a chat: summary, live count ("12/30 Plätze"), buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.i18n import InLanguages, Markup, t
from bot.messages import NO_PRESSES, YES_PRESSES, Button, Reply
from bot.textmatch.analyzer import reads_english
from handlers.events.dates import show_time, show_when
from handlers.events.recurrence import describe_series
from storage.event_store import as_utc
from storage.events import Event
from storage.series import EventSeries

Buttons = tuple[tuple[Button, ...], ...]
# The last part of an offer button's payload in /pending's list (`ev:accept:7:list`): the
# answer keeps the list's choices, so that its other items are answered by their numbers.
LISTED = "list"


class Named(Protocol):
    """What has the office's German title and, where it gave one, an English one ("" if not):
    an event, a series, a chart's line for an event."""

    @property
    def title(self) -> str: ...

    @property
    def title_en(self) -> str: ...


class Titled(Named, Protocol):
    """An event, a series or what members knew of one (`changes.Facts`): the office's
    German title and description and, where it gave them, the English ones ("" if not)."""

    @property
    def description(self) -> str: ...

    @property
    def description_en(self) -> str: ...


class Placed(Titled, Protocol):
    """An event or what members knew of one, with its place: the German one the office gave
    and, where it gave it, the English one ("" if not)."""

    @property
    def place(self) -> str: ...

    @property
    def place_en(self) -> str: ...


def title_of(event: Named) -> InLanguages:
    """The title as `t` fills it in: English for a text in English where the office gave an
    English title, the German one otherwise."""
    return InLanguages((("de", event.title), ("en", event.title_en or "")))


def title_in(lang: str, event: Named) -> str:
    """The title a member reading `lang` reads."""
    return title_of(event).text_in(lang)


def description_in(lang: str, event: Titled) -> str:
    """The description a member reading `lang` reads (the German one where there is no
    English one)."""
    if lang == "en" and event.description_en:
        return event.description_en
    return event.description or ""


def place_in(lang: str, event: Placed) -> str:
    """The place a member reading `lang` reads (the German one where there is no English
    one)."""
    if lang == "en" and event.place_en:
        return event.place_en
    return event.place or ""


def description_read(lang: str, event: Titled) -> str:
    """The description as a member reading `lang` gets it: an English reader of an event
    described only in German is told so, not left wondering why the text is German."""
    description = description_in(lang, event)
    if description and lang == "en" and not event.description_en:
        return f"{description}\n{t(lang, 'events.description_german_only')}"
    return description


def other_language_lines(lang: str, event: Placed) -> list[str]:
    """For the office reading `lang`: the title, place and description members reading the
    other language get, where they differ from what the office reads above them (an English office
    sees the German title under the English one, a German office the English title)."""
    other = "de" if lang == "en" else "en"
    lines: list[str] = []
    if event.title_en and (title := title_in(other, event)) != title_in(lang, event):
        lines.append(t(lang, f"events.line_title_{other}", title=title))
    if event.place_en and (place := place_in(other, event)) != place_in(lang, event):
        lines.append(t(lang, f"events.line_place_{other}", place=place))
    description = description_in(other, event)
    if event.description_en and description and description != description_in(lang, event):
        lines.append(t(lang, f"events.line_description_{other}", description=description))
    return lines


def english_in_german(event: Titled, *, before: Titled | None = None) -> tuple[str, ...]:
    """The German fields ("title", "description") that read as English, by the rule the
    broadcast preview asks by: members who chose German would read them in English. With
    `before` (an edit), only those the edit changed: an older text was seen when it was made."""
    texts = (("title", event.title), ("description", event.description or ""))
    earlier: dict[str, str] = {}
    if before is not None:
        earlier = {"title": before.title, "description": before.description or ""}
    return tuple(
        name for name, text in texts if text and text != earlier.get(name) and reads_english(text)
    )


def english_fields(event: Titled, *, before: Titled | None = None) -> str:
    """The German fields that read as English joined as the catalogue's keys end
    ("title_description"), "" when none does."""
    return "_".join(english_in_german(event, before=before))


def english_warning(lang: str, event: Titled, *, before: Titled | None = None) -> str:
    """The preview's warning when a German title or description reads as English ("" when
    none does; with `before`, when the edit made it so); the chat and the dashboard each add
    how to fix it there."""
    fields = english_fields(event, before=before)
    return t(lang, f"events.reads_english_{fields}") if fields else ""


def kind_label(lang: str, kind: str) -> Markup:
    return t(lang, f"events.kind_{kind}")


def count_label(lang: str, event: Event, taken: int, waiting: int) -> Markup:
    if event.capacity is None:
        label = t(lang, "events.count_open", taken=taken)
    else:
        label = t(lang, "events.count", taken=taken, count=event.capacity)
    if waiting:
        label = Markup(label + t(lang, "events.count_waiting", waiting=waiting))
    return label


def when_label(lang: str, event: Event, tz: ZoneInfo) -> str:
    start = show_when(as_utc(event.starts_at), lang=lang, tz=tz)
    if event.ends_at is None:
        return start
    end = as_utc(event.ends_at)
    if end.astimezone(tz).date() == as_utc(event.starts_at).astimezone(tz).date():
        return f"{start} – {show_time(end, lang=lang, tz=tz)}"
    return f"{start} – {show_when(end, lang=lang, tz=tz)}"


def short_when(lang: str, event: Event, tz: ZoneInfo) -> str:
    """`when_label` for a line of a list read on a phone: a span within one day without its
    spaces and once "Uhr" ("Di 19.01.2027, 09:00–12:00 Uhr"), so that a dash after the start
    never stands alone; over several days as `when_label` says it."""
    start = as_utc(event.starts_at)
    if event.ends_at is None:
        return show_when(start, lang=lang, tz=tz)
    end = as_utc(event.ends_at)
    if end.astimezone(tz).date() != start.astimezone(tz).date():
        return when_label(lang, event, tz)
    day, _time = show_when(start, lang=lang, tz=tz).split(", ", 1)
    start_time, end_time = (f"{moment.astimezone(tz):%H:%M}" for moment in (start, end))
    unit = "" if lang == "en" else " Uhr"
    return f"{day}, {start_time}–{end_time}{unit}"


def deadline_and_audience(lang: str, event: Event, tz: ZoneInfo) -> list[Markup]:
    """The sign-up deadline and whom the event is for, a line each (the details in the chat,
    a card on the events page)."""
    lines: list[Markup] = []
    if event.deadline is not None:
        deadline = show_when(as_utc(event.deadline), lang=lang, tz=tz)
        lines.append(t(lang, "events.line_deadline", deadline=deadline))
    if event.audience == "yp":
        lines.append(t(lang, "events.line_yp_only"))
    elif event.audience.startswith("topic:"):
        lines.append(t(lang, "events.line_topic", topic=event.audience.removeprefix("topic:")))
    return lines


def summary(lang: str, event: Event, *, tz: ZoneInfo, taken: int, waiting: int) -> Markup:
    """Title, kind, time, place, count, deadline, audience, description."""
    # A draft (not stored yet, no number) is shown without one.
    key = "events.summary" if event.id else "events.summary_draft"
    lines: list[str] = [
        t(
            lang,
            key,
            number=event.id,
            title=title_of(event),
            kind=kind_label(lang, event.kind),
            when=when_label(lang, event, tz),
        )
    ]
    if place := place_in(lang, event):
        lines.append(t(lang, "events.line_place", place=place))
    if event.status != "cancelled":  # a cancelled event's count is nobody's business
        lines.append(count_label(lang, event, taken, waiting))
    lines.extend(deadline_and_audience(lang, event, tz))
    if event.status == "cancelled":
        lines.append(t(lang, "events.line_cancelled"))
        if event.cancel_reason:
            lines.append(t(lang, "events.cancel_reason_line", reason=event.cancel_reason))
    description = description_read(lang, event)
    if description:
        lines.append("")
        lines.append(t(lang, "events.line_description", description=description))
    return Markup("\n".join(lines))


@dataclass(frozen=True)
class Reach:
    """Who a change would write to: announcement chats and rooms, members, people signed up."""

    chats: int = 0
    members: int = 0
    attendees: int = 0
    # on the waiting list, given a place (or offered one) by more places
    moved_up: int = 0


def preview(
    lang: str,
    heading: str,
    event: Event,
    *,
    tz: ZoneInfo,
    taken: int,
    waiting: int,
    reach: Reach,
    reason: str = "",
    changes: str = "",
) -> Markup:
    """What an admin confirms before many people are written to: what changes (an edit's
    `changes`), the event as it will be, the reason given, and how many will be told. New,
    edited and cancelled events alike. The other language's title and description, where
    given, are shown under the event as the office would not see them otherwise."""
    lines = [heading, *([changes] if changes else []), ""]
    lines += [summary(lang, event, tz=tz, taken=taken, waiting=waiting), ""]
    if other := other_language_lines(lang, event):
        lines += [*other, ""]
    if reason:
        lines.append(t(lang, "events.cancel_reason_line", reason=reason))
    if reach.chats or reach.members:
        lines.append(t(lang, "events.reach_announce", chats=reach.chats, members=reach.members))
    if reach.attendees:
        lines.append(t(lang, "events.reach_attendees", told=reach.attendees))
    if reach.moved_up:
        lines.append(t(lang, "events.reach_moved_up", count=reach.moved_up))
    if not (reach.chats or reach.members or reach.attendees or reach.moved_up):
        lines.append(t(lang, "events.reach_nobody"))
    return Markup("\n".join(lines))


def arrangements(
    lang: str,
    *,
    tz: ZoneInfo,
    announce_at: datetime | None,
    reminder_hours: Sequence[int],
    offer_hours: int | None,
    capacity: int | None,
) -> list[str]:
    """What a new event's preview says beside the event: when it is announced (`announce_at`
    None: on saving), when its members are reminded, and how a freed place is given on."""
    lines: list[str] = []
    if announce_at is not None:
        when = show_when(announce_at, lang=lang, tz=tz)
        lines.append(t(lang, "events.plan_announce_at", when=when))
    if reminder_hours:
        ahead = [_ahead(lang, hours) for hours in sorted(reminder_hours, reverse=True)]
        listed = ", ".join(ahead[:-1]) + f" {t(lang, 'events.plan_and')} " if ahead[1:] else ""
        lines.append(t(lang, "events.plan_reminders", ahead=Markup(listed + ahead[-1])))
    if capacity is not None:
        if offer_hours:
            lines.append(t(lang, "events.plan_offer", count=offer_hours))
        else:
            lines.append(t(lang, "events.plan_moves_up"))
    return lines


def _ahead(lang: str, hours: int) -> str:
    if hours % 24 == 0:
        return t(lang, "events.plan_days", count=hours // 24)
    return t(lang, "events.plan_hours", count=hours)


def signup_buttons(
    lang: str, event: Event, *, signed_up: bool | None = None
) -> tuple[tuple[Button, ...], ...]:
    """Sign up, cancel and the calendar file; for one member (`signed_up` known) only the
    one of the first two that applies, for an announcement to many both."""
    if event.status != "open":
        return ()
    full = event.capacity is not None and (event.taken or 0) >= event.capacity
    join = Button(
        t(lang, "events.btn_waitlist" if full else "events.btn_join"), f"ev:join:{event.id}"
    )
    leave = Button(t(lang, "events.btn_leave"), f"ev:leave:{event.id}")
    first = (join, leave) if signed_up is None else (leave,) if signed_up else (join,)
    return (first, (Button(t(lang, "events.btn_calendar"), f"ev:ics:{event.id}"),))


def offer_buttons(
    lang: str, event: Event, *, listed: bool = False
) -> tuple[tuple[Button, ...], ...]:
    """While a place is offered to the member: take it or let it go to the next person.

    `listed`: among other items to answer (/pending), whose choices the answer keeps."""
    end = f":{LISTED}" if listed else ""
    return (
        (
            Button(t(lang, "events.btn_accept"), f"ev:accept:{event.id}{end}"),
            Button(t(lang, "events.btn_decline"), f"ev:leave:{event.id}{end}"),
        ),
    )


def offer_answers(event: Event, *, listed: bool = False) -> dict[str, str]:
    """What a typed yes or no answers under an offered place ("… möchten Sie ihn?"): take it or
    decline it, as its buttons do (`messages.YES_PRESSES`; a typed "ja" had been small talk)."""
    end = f":{LISTED}" if listed else ""
    return {YES_PRESSES: f"ev:accept:{event.id}{end}", NO_PRESSES: f"ev:leave:{event.id}{end}"}


def announcement(
    lang: str,
    event: Event,
    *,
    tz: ZoneInfo,
    taken: int,
    waiting: int,
    edit_ref: str | None = None,
    series: EventSeries | None = None,
    signed_up: bool | None = None,
) -> Reply:
    """An event as announced; a date of a recurring meeting (`series`, the event's) says so,
    how often it meets, and offers all its dates. `signed_up`: whether the one member it is
    sent to is signed up (only the button that applies), None in a group (both)."""
    text = Markup(
        t(lang, "events.announce_header")
        + "\n"
        + summary(lang, event, tz=tz, taken=taken, waiting=waiting)
    )
    buttons = signup_buttons(lang, event, signed_up=signed_up)
    if series is not None and buttons:
        text, buttons = with_series(lang, text, buttons, series)
    return Reply(text=text, buttons=buttons, edit_ref=edit_ref)


def with_series(
    lang: str, text: str, buttons: Buttons, series: EventSeries
) -> tuple[Markup, Buttons]:
    """A date of a recurring meeting: the line saying how often it meets, and "Alle Termine"."""
    line = t(lang, "series.announce_line", rule=describe_series(lang, series))
    return (
        Markup(text + "\n\n" + line),
        (*buttons, (Button(t(lang, "series.btn_all"), f"evj:{series.id}"),)),
    )
