"""The event form's announcement choices, named for what saving does with each (web/pages/
events.py for a new event and an edit, series.py for a new series: one template)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.events import Event


def announce_context(event: Event | None, planned: datetime | None) -> dict[str, Any]:
    """What the form's template needs: the choices, and the one the box for the time names."""
    choices = announce_choices(event, planned)
    return {"announce_choices": choices, "announce_at_choice": dict(choices)["at"]}


def announce_choices(event: Event | None, planned: datetime | None) -> list[tuple[str, str]]:
    """The announcement's choices (value, catalogue key), each named for what `edit` does with
    it for this event. A new one: now, not, at a time. An edit: leaving it as it is comes first
    (not yet, not again, or as planned), and "no" only where it does something, calling off a
    planned announcement (an announced event had "nicht erneut ankündigen" and "Nicht
    ankündigen", both doing nothing); an announced one is announced *again*, to everyone an
    announcement of it reaches (`notify.announce`)."""
    if event is None:
        return [
            ("now", "events.announce_now"),
            ("no", "events.announce_no"),
            ("at", "web_events.announce_at"),
        ]
    announced = event.announced_at is not None
    now = "web_events.announce_again_now" if announced else "events.announce_now"
    if planned is not None:
        return [
            ("", "web_events.announce_keep_planned"),
            ("now", now),
            ("no", "web_events.announce_call_off"),
            ("at", "web_events.announce_at_other"),
        ]
    if not announced:
        return [
            ("", "web_events.announce_not_yet"),
            ("now", now),
            ("at", "web_events.announce_at"),
        ]
    return [
        ("", "web_events.announce_keep"),
        ("now", now),
        ("at", "web_events.announce_again_later"),
    ]
