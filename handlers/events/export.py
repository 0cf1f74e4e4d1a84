"""Attendee lists as files for the office: XLSX and CSV in the admin's language, safe to open.

The CSV is written for the spreadsheet programs the office uses, as every export is
(handlers/spreadsheet.py: `;`, a UTF-8 byte order mark, formula-safe cells).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import t
from handlers.spreadsheet import is_formula_like, spreadsheet_csv
from storage.event_store import as_utc
from storage.events import WAITLISTED, EventSignup
from storage.models import Member

FILE_FORMATS = ("xlsx", "csv")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# (catalogue key of the heading, column width in the XLSX)
COLUMNS = (
    ("events.col_member", 10),
    ("events.col_name", 28),
    ("events.col_organisation", 34),
    ("events.col_contact", 30),
    ("events.col_status", 18),
    ("events.col_waitlist", 14),
    ("events.col_signed_up", 18),
)
DATE_FORMATS = {"de": "%d.%m.%Y %H:%M", "en": "%Y-%m-%d %H:%M"}
XLSX_DATE_FORMATS = {"de": "DD.MM.YYYY HH:MM", "en": "YYYY-MM-DD HH:MM"}


@dataclass(frozen=True)
class Attendee:
    """One row of the roster as the office reads it."""

    member_id: int
    name: str
    organisation: str
    contact: str
    status: str
    waitlist_rank: int | None
    signed_up: datetime  # local time in the network's zone


def roster(rows: Sequence[tuple[EventSignup, Member]], *, tz: ZoneInfo) -> list[Attendee]:
    """The sign-ups in list order; waiting people numbered 1, 2, … in arrival order.

    The contact is the one the member shared in their profile; never a platform id, which
    is no way to reach a person.
    """
    attendees: list[Attendee] = []
    rank = 0
    for signup, member in rows:
        waiting = signup.status == WAITLISTED
        rank += waiting
        attendees.append(
            Attendee(
                member_id=member.id,
                name=member.display_name.strip(),
                organisation=member.organisation.strip(),
                contact=member.contact.strip(),
                status=signup.status,
                waitlist_rank=rank if waiting else None,
                signed_up=as_utc(signup.created_at).astimezone(tz),
            )
        )
    return attendees


def status_text(lang: str, attendee: Attendee) -> str:
    if attendee.waitlist_rank is not None:
        return t(lang, "events.status_waitlisted", rank=attendee.waitlist_rank)
    return t(lang, f"events.status_{attendee.status}")


def when_text(lang: str, moment: datetime) -> str:
    return moment.strftime(DATE_FORMATS.get(lang, DATE_FORMATS["de"]))


def headings(lang: str) -> list[str]:
    return [t(lang, key) for key, _width in COLUMNS]


def _cells(lang: str, attendee: Attendee) -> list[object]:
    # What is not known stays an empty cell (the pages show "–"): a spreadsheet sorts and
    # filters empty cells as empty.
    return [
        attendee.member_id,
        attendee.name,
        attendee.organisation,
        attendee.contact,
        status_text(lang, attendee),
        attendee.waitlist_rank,
        attendee.signed_up,
    ]


def attendees_csv(attendees: Sequence[Attendee], *, lang: str) -> bytes:
    """The roster as CSV: the admin's language, as every export (handlers/spreadsheet.py)."""
    rows = (
        [when_text(lang, v) if isinstance(v, datetime) else v for v in _cells(lang, attendee)]
        for attendee in attendees
    )
    return spreadsheet_csv([headings(lang), *rows]).encode("utf-8")


def attendees_xlsx(attendees: Sequence[Attendee], *, lang: str, sheet: str) -> bytes:
    """The roster as an Excel workbook: real numbers and dates, formula-safe text cells."""
    # Imported here: openpyxl (with Pillow) costs a bot 0.1 s and 10 MB at every start, and
    # only an office export needs it.
    import openpyxl  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    book = openpyxl.Workbook()
    table = book.active
    # Excel allows 31 characters and no []:*?/\ in a sheet name.
    table.title = "".join(ch for ch in sheet if ch not in "[]:*?/\\")[:31] or "1"
    table.append(headings(lang))
    for cell in table[1]:
        cell.font = Font(bold=True)
    date_format = XLSX_DATE_FORMATS.get(lang, XLSX_DATE_FORMATS["de"])
    for row, attendee in enumerate(attendees, start=2):
        for column, value in enumerate(_cells(lang, attendee), start=1):
            cell = table.cell(row=row, column=column)
            if isinstance(value, datetime):
                # Excel has no time zones: the local wall-clock time of the network.
                cell.value = value.replace(tzinfo=None)
                cell.number_format = date_format
            elif isinstance(value, str) and is_formula_like(value):
                # Kept as typed, but as text: what Excel does for a cell typed as '=…
                cell.value = value
                cell.data_type = "s"
                cell.quotePrefix = True
            else:
                cell.value = value
    for column, (_key, width) in enumerate(COLUMNS, start=1):
        table.column_dimensions[get_column_letter(column)].width = width
    table.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
