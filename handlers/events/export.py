"""Attendee lists as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from storage.event_store import as_utc
from storage.events import EventSignup
from storage.models import Member

COLUMNS = ("member", "name", "organisation", "role", "status", "arrival", "signed_up")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: formulas (= + - @, tab, CR) get a leading quote."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def attendees_csv(rows: Sequence[tuple[EventSignup, Member]], *, tz: ZoneInfo) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for signup, member in rows:
        signed_up = as_utc(signup.created_at).astimezone(tz).strftime("%Y-%m-%d %H:%M")
        writer.writerow(
            safe_cell(v)
            for v in (
                member.id,
                member.display_name,
                member.organisation,
                member.role,
                signup.status,
                signup.position,
                signed_up,
            )
        )
    # A byte order mark, so spreadsheet programs read the umlauts as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
