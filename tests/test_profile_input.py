"""Every export makes what members typed text in the office's spreadsheets: a value stored
before a field refused a leading sign, spaces before the sign or not, is never a formula."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from handlers.events.export import Attendee, attendees_csv
from handlers.members.directory_import import export_directory
from handlers.members.rules import FORMULA_SIGNS
from handlers.spreadsheet import safe_cell, spreadsheet_csv
from storage.models import Member


def test_an_export_makes_values_stored_before_the_rules_text() -> None:
    """A topic or role stored before a leading sign was refused, spaces before it or not,
    is a text cell in the directory export and the roster, never a formula."""
    old = Member(
        id=7,
        external_id="x7",
        organisation=" =cmd|' /C calc'!A0",
        kind="company",
        city="Goslar",
        role="\n@SUM(1+1)",
        topics=["=cmd|calc!A1", "Kobalt"],
        bio="",
        languages=["de"],
        language="de",
        contact=" +cmd",
        young_professional=False,
    )
    exported = export_directory([old])
    assert "'=cmd|calc!A1;Kobalt" in exported, exported
    assert "' =cmd" in exported and "'\n@SUM" in exported and "' +cmd" in exported, exported
    roster = attendees_csv(
        [Attendee(7, " =Eve", " -1+cmd", "x", "confirmed", None, datetime(2027, 1, 5, tzinfo=UTC))],
        lang="de",
    ).decode()
    assert "' =Eve;' -1+cmd" in roster, roster


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
@example(" =cmd|' /C calc'!A0")
@example("\n@SUM(1+1)")
def test_no_spreadsheet_cell_starts_as_a_formula(value: str) -> None:
    cell = safe_cell(value)
    assert cell.startswith("'") or not cell.lstrip().startswith(FORMULA_SIGNS)
    assert spreadsheet_csv([[value]]).startswith("\ufeff")
