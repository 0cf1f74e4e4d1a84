"""What an audit entry says about an admin action, as data: a catalogue key (`[audit]`) with
its values, so the dashboard's log reads in its reader's language and time zone (web/pages/audit.py
shows it), never in the language of whoever acted.

A value is a number or text as it is, or one of these, kept as JSON:
`{"time": ISO UTC}` (shown in the network's time zone), `{"audience": code}` (a broadcast's
audience in words), `{"fields": [...]}` (form fields by their names), `{"numbers": [...]}`
(`#3, #4`), or another detail (a counted part: `{"key": "audit.told", "values": {"count": 3}}`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeAlias

from bot.messages import shorten
from storage.events import POLL_SIGNED_UP

Value: TypeAlias = str | int | dict[str, object]


def detail(key: str, **values: Value | datetime) -> dict[str, object]:
    """An audit detail: the catalogue key and its values (datetimes as UTC times)."""
    stored = {name: time(v) if isinstance(v, datetime) else v for name, v in values.items()}
    return {"key": key, "values": stored}


def time(moment: datetime) -> dict[str, object]:
    """A moment, shown in the reader's time zone and format."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return {"time": aware.astimezone(UTC).isoformat()}


def audience(code: str) -> dict[str, object]:
    """A broadcast audience code (`all`, `kind:university` …), shown in words."""
    return {"audience": code}


def fields(names: Iterable[str]) -> dict[str, object]:
    """Names of form fields that were changed, shown by their labels (`[audit.fields]`)."""
    return {"fields": list(names)}


def numbers(ids: Iterable[int]) -> dict[str, object]:
    """Event numbers and the like, shown as `#3, #4`."""
    return {"numbers": list(ids)}


def told(count: int) -> dict[str, object]:
    """How many people were told of a change."""
    return detail("audit.told", count=count)


# ---- details the chat and the dashboard both record ----------------------------------------


def event_cancelled(event_id: int, told_count: int, reason: str) -> dict[str, object]:
    """An event cancelled, with how many were told and the reason given (if any)."""
    if not reason.strip():
        return detail("audit.event_cancelled", event=event_id, told=told(told_count))
    return detail(
        "audit.event_cancelled_reason",
        event=event_id,
        told=told(told_count),
        reason=reason.strip()[:100],
    )


def broadcast_queued(
    number: int,
    audience_code: str,
    recipients: int,
    *,
    file_name: str | None,
    send_at: datetime | None,
) -> dict[str, object]:
    """A broadcast sent or scheduled: to whom in words, how many, its file and its time."""
    return detail(
        "audit.broadcast",
        number=number,
        audience=audience(audience_code),
        recipients=detail("audit.recipients", count=recipients),
        file=detail("audit.with_file", name=file_name) if file_name else "",
        when=detail("audit.scheduled", at=send_at) if send_at is not None else "",
    )


def event_created(event_id: int, title: str, announced: int) -> dict[str, object]:
    """An event created, with how many members its announcement reached (0: not announced,
    or announced later)."""
    return detail(
        "audit.event_created",
        event=event_id,
        title=title,
        announced=detail("audit.announced", count=announced)
        if announced
        else detail("audit.not_announced"),
    )


def series_created(series_id: int, title: str, dates: int) -> dict[str, object]:
    """A series created with how many dates."""
    return detail(
        "audit.series_created",
        series=series_id,
        title=title,
        dates=detail("audit.dates_created", count=dates),
    )


def series_ended(series_id: int, cancelled: int, told_count: int) -> dict[str, object]:
    """A series ended: its upcoming dates cancelled, their people told."""
    return detail(
        "audit.series_ended",
        series=series_id,
        dates=detail("audit.dates_cancelled", count=cancelled),
        told=told(told_count),
    )


def series_skipped(series_id: int | None, event_id: int, told_count: int) -> dict[str, object]:
    """One date of a series skipped."""
    return detail(
        "audit.series_skipped", series=series_id or "?", event=event_id, told=told(told_count)
    )


def poll_sent(
    event_id: int, question: str, audience_code: str, members: int, groups: int
) -> dict[str, object]:
    """An event poll sent: which question, to whom (everyone the event is for or only those
    signed up) and how many members, groups and rooms it reached."""
    return detail(
        "audit.poll_sent",
        event=event_id,
        question=question[:100],
        audience=detail(
            "audit.poll_to_signed_up"
            if audience_code == POLL_SIGNED_UP
            else "audit.poll_to_everyone"
        ),
        recipients=detail("audit.recipients", count=members),
        groups=detail("audit.poll_groups", count=groups) if groups else "",
    )


def ticket_answered(ticket_id: int, answer: str) -> dict[str, object]:
    """A ticket answered in the office's own words, with the answer (shortened), as a chat
    /antwort's log shows the words it was sent with."""
    return detail(
        "audit.ticket_answered", ticket=ticket_id, answer=shorten(" ".join(answer.split()), 100)
    )
