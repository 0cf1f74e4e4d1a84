"""A phone number in the office's CSV exports keeps the leading quote every sign gets (Excel
would show "+49 5323 72-0" as #NULL! or compute "+4953237200" into a number: the quote keeps
every digit visible), and survives export and import again without gaining a quote each time."""

from __future__ import annotations

import pytest

from handlers.members.directory_import import export_directory, parse_directory
from handlers.spreadsheet import safe_cell
from storage.models import Member

PHONES = ["+49 5323 72-0", "+49 (0)3741 123456", "-12"]


@pytest.mark.parametrize("phone", PHONES)
def test_a_phone_number_is_quoted_like_every_sign(phone: str) -> None:
    assert safe_cell(phone) == "'" + phone


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


def test_a_phone_number_survives_export_and_import() -> None:
    exported = export_directory([_member("+49 3731 2233-0")])
    assert ";'+49 3731 2233-0" in exported, exported
    (row,) = parse_directory(exported)
    assert row.contact == "+49 3731 2233-0"
    (again,) = parse_directory(export_directory([_member(row.contact)]))
    assert again.contact == "+49 3731 2233-0"
