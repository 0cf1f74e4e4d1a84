"""`/attendees N` as the cluster manager reads it: a list that fits a phone, XLSX and CSV files
in the admin's language that German Excel opens in columns, and no cell that becomes a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import openpyxl
from sqlalchemy import select

from bot.messages import Attachment
from handlers.events import service
from handlers.events.form import draft_from_form
from storage import members as member_store
from storage.events import EventSignup
from storage.models import Member
from tests.dates import days_ahead, typed
from tests.harness import Chat, Harness

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HYPERLINK = '=HYPERLINK("http://x")'
HEADINGS = {
    "de": [
        "Mitglied-Nr.",
        "Name",
        "Organisation",
        "Kontakt",
        "Status",
        "Wartelistenplatz",
        "Angemeldet am",
    ],
    "en": [
        "Member no.",
        "Name",
        "Organisation",
        "Contact",
        "Status",
        "Waiting list place",
        "Signed up on",
    ],
}


@dataclass
class Person:
    user: str
    name: str
    organisation: str
    contact: str


# One place: Dora gets it, Eve and Paul wait in this order. An organisation with a comma, a
# name of a formula, a contact starting with @, and a member who shared no contact.
PEOPLE = (
    Person("dora", "Dora Beispiel", "Institut für Aufbereitung, Clausthal", "dora@example.org"),
    Person("eve", "Eve Probe", HYPERLINK, ""),
    Person("paul", "Paul Platz", "+49 Harz GmbH", "@paul:example.org"),
)


async def event_with_people(bot: Harness, *, admin_lang: str) -> tuple[int, list[Member]]:
    """An excursion with one place, three members signed up in order; the admin speaks
    `admin_lang`."""
    await bot.send("admin", "/language en" if admin_lang == "en" else "/help")
    admin = await bot.member("admin")
    assert admin is not None and admin.language == admin_lang
    start = days_ahead(bot, 60)
    form = (
        f"art=exkursion; titel=Exkursion nach Goslar; beginn={typed(start)}; "
        "ort=Rammelsberg, Goslar; plätze=1"
    )
    draft = draft_from_form(form, tz=bot.app.services.settings.network.tz)
    created = await service.create_event(bot.app.services, draft, created_by=admin.id)
    people: list[Member] = []
    for person in PEOPLE:
        async with bot.db.session() as session:
            member = await member_store.create_member_with_account(
                session,
                platform="console",
                user_id=person.user,
                chat_id=f"chat-{person.user}",
                display_name=person.name,
                language="de",
            )
            member.organisation = person.organisation
            member.contact = person.contact
            member.onboarded = True
        people.append(member)
        await service.join_event(bot.app.services, member, created.event.id)
    return created.event.id, people


async def signed_up_at(bot: Harness, event_id: int) -> dict[int, datetime]:
    """When each member signed up, in the network's time zone."""
    zone = bot.app.services.settings.network.tz
    async with bot.db.session() as session:
        rows = await session.execute(select(EventSignup).where(EventSignup.event_id == event_id))
        return {
            s.member_id: s.created_at.replace(tzinfo=s.created_at.tzinfo or UTC).astimezone(zone)
            for s in rows.scalars()
        }


def files(chat: Chat) -> list[Attachment]:
    return [r.attachment for r in chat.replies if r.attachment is not None]


def csv_rows(attachment: Attachment) -> list[list[str]]:
    assert attachment.content.startswith(b"\xef\xbb\xbf")  # the BOM German Excel needs
    text = attachment.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(attachment: Attachment) -> tuple[str, list[list[object]], openpyxl.Workbook]:
    book = openpyxl.load_workbook(io.BytesIO(attachment.content))
    sheet = book.active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return sheet.title, rows, book


async def test_attendees_in_german_list_xlsx_and_csv(bot: Harness) -> None:
    number, (dora, eve, paul) = await event_with_people(bot, admin_lang="de")
    when = await signed_up_at(bot, number)
    chat = await bot.send("admin", f"/attendees {number}")

    # The chat list: a header, then two short lines per person (name and organisation; status,
    # time and contact).
    listing = chat.replies[0].text
    lines = chat.text.splitlines()[: 1 + 2 * len(PEOPLE)]
    assert "Teilnehmende: Exkursion nach Goslar" in lines[0]
    assert lines[1] == f"Dora Beispiel · Institut für Aufbereitung, Clausthal (Mitglied {dora.id})"
    dora_time = when[dora.id].strftime("%d.%m.%Y %H:%M")
    assert lines[2] == f"angemeldet · {dora_time} · dora@example.org"
    assert lines[3].startswith("Eve Probe · =HYPERLINK")
    assert lines[4].startswith("Warteliste (1) · ") and lines[4].endswith(" · –")
    assert lines[6].startswith("Warteliste (2) · ") and "@paul:example.org" in lines[6]
    assert "<b>Dora Beispiel</b>" in listing
    assert all(len(line) <= 70 for line in lines[1:])  # fits a phone without much wrapping

    # Both files, CSV first, then the workbook.
    csv_file, xlsx_file = files(chat)
    assert csv_file.filename.endswith(".csv") and csv_file.mime_type == "text/csv"
    assert xlsx_file.filename.endswith(".xlsx") and xlsx_file.mime_type == XLSX_MIME
    assert "teilnehmende" in csv_file.filename and f"-{number}." in csv_file.filename

    rows = csv_rows(csv_file)
    assert rows[0] == HEADINGS["de"]
    assert rows[1] == [
        str(dora.id),
        "Dora Beispiel",
        "Institut für Aufbereitung, Clausthal",  # the comma stays inside its column
        "dora@example.org",
        "angemeldet",
        "",
        dora_time,
    ]
    assert rows[2] == [
        str(eve.id),
        "Eve Probe",
        "'" + HYPERLINK,  # a formula is text, with the quote spreadsheets understand
        "",  # no contact: an empty cell
        "Warteliste (1)",
        "1",
        when[eve.id].strftime("%d.%m.%Y %H:%M"),
    ]
    assert rows[3][2:6] == ["'+49 Harz GmbH", "'@paul:example.org", "Warteliste (2)", "2"]
    assert len(rows) == 4

    title, cells, book = xlsx_rows(xlsx_file)
    assert title == "Teilnehmende"
    assert cells[0] == HEADINGS["de"]
    assert cells[1][:6] == [
        dora.id,
        "Dora Beispiel",
        "Institut für Aufbereitung, Clausthal",
        "dora@example.org",
        "angemeldet",
        None,
    ]
    signed = cells[1][6]
    assert isinstance(signed, datetime)
    assert signed.strftime("%d.%m.%Y %H:%M") == dora_time  # the wall-clock time in Berlin
    sheet = book.active
    assert sheet is not None
    assert sheet["G2"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["A1"].font.bold
    # The formula-like text is kept as typed but stored as text, never as a formula.
    assert cells[2][2:6] == [HYPERLINK, None, "Warteliste (1)", 1]
    for ref in ("C3", "C4", "D4"):
        assert sheet[ref].data_type == "s" and sheet[ref].quotePrefix, ref
    assert cells[3][2:6] == ["+49 Harz GmbH", "@paul:example.org", "Warteliste (2)", 2]
    assert len(cells) == 4
    assert paul.id == cells[3][0]


async def test_attendees_in_english(bot: Harness) -> None:
    number, (dora, eve, _paul) = await event_with_people(bot, admin_lang="en")
    when = await signed_up_at(bot, number)
    chat = await bot.send("admin", f"/attendees {number}")
    lines = chat.text.splitlines()
    assert "Attendees: Exkursion nach Goslar" in lines[0]
    dora_time = when[dora.id].strftime("%Y-%m-%d %H:%M")
    assert lines[1] == f"Dora Beispiel · Institut für Aufbereitung, Clausthal (member {dora.id})"
    assert lines[2] == f"signed up · {dora_time} · dora@example.org"
    assert lines[4].startswith("waiting list (1) · ")
    assert "angemeldet" not in chat.text and "Warteliste" not in chat.text
    assert "The whole list to download" in chat.text

    csv_file, xlsx_file = files(chat)
    assert csv_file.filename.startswith("attendees-event-")
    rows = csv_rows(csv_file)
    assert rows[0] == HEADINGS["en"]
    assert rows[1][4:] == ["signed up", "", dora_time]
    assert rows[2][4:] == [
        "waiting list (1)",
        "1",
        when[eve.id].strftime("%Y-%m-%d %H:%M"),
    ]

    title, cells, book = xlsx_rows(xlsx_file)
    assert title == "Attendees"
    assert cells[0] == HEADINGS["en"]
    assert cells[1][4] == "signed up" and cells[2][4:6] == ["waiting list (1)", 1]
    sheet = book.active
    assert sheet is not None and sheet["G2"].number_format == "YYYY-MM-DD HH:MM"


async def test_one_file_on_request_and_a_clear_answer_otherwise(bot: Harness) -> None:
    number, _people = await event_with_people(bot, admin_lang="de")
    only_xlsx = files(await bot.send("admin", f"/attendees {number} xlsx"))
    assert [f.filename.rsplit(".", 1)[1] for f in only_xlsx] == ["xlsx"]
    only_csv = files(await bot.send("admin", f"/teilnehmer {number} CSV"))
    assert [f.filename.rsplit(".", 1)[1] for f in only_csv] == ["csv"]
    wrong = await bot.send("admin", f"/attendees {number} pdf")
    assert "„pdf“ kenne ich hier nicht" in wrong.text and "/teilnehmer N xlsx" in wrong.text
    assert not files(wrong)
    await bot.send("admin", "/language en")
    wrong_en = await bot.send("admin", f"/attendees {number} pdf")
    assert "I do not know “pdf” here" in wrong_en.text
    # Only admins read the roster.
    assert "nur Admins" in (await bot.send("dora", f"/attendees {number}")).text


async def test_an_event_nobody_signed_up_for_sends_no_empty_files(bot: Harness) -> None:
    await bot.send("admin", "/help")
    admin = await bot.member("admin")
    assert admin is not None
    form = f"art=workshop; titel=Leerer Workshop; beginn={typed(days_ahead(bot, 30))}"
    draft = draft_from_form(form, tz=bot.app.services.settings.network.tz)
    created = await service.create_event(bot.app.services, draft, created_by=admin.id)
    chat = await bot.send("admin", f"/teilnehmer {created.event.id}")
    assert "Leerer Workshop" in chat.text and not files(chat), chat.text
    assert "herunterladen" not in chat.text


async def test_the_office_names_the_event_in_words_or_picks_it(bot: Harness) -> None:
    """ "/teilnehmer Exkursion" as members name events ("/anmelden Symposium"); the command
    alone offers the upcoming events, a button each (it had said "Da fehlt noch etwas")."""
    number, _people = await event_with_people(bot, admin_lang="de")
    named = await bot.send("admin", "/teilnehmer Exkursion")
    assert f"Exkursion nach Goslar (Nr. {number})" in named.text, named.text
    assert files(named)
    offered = await bot.send("admin", "/teilnehmer")
    assert f"eva:att:{number}" in offered.buttons, offered.text
    pressed = await bot.press("admin", f"eva:att:{number}")
    assert "Exkursion nach Goslar" in pressed.text and files(pressed)
    await bot.send("admin", "/language en")
    english = await bot.send("admin", "/attendees excursion csv")
    assert "Attendees: Exkursion nach Goslar" in english.text, english.text
    # only admins read the roster, by a button too
    assert "Exkursion nach Goslar" not in (await bot.press("dora", f"eva:att:{number}")).text


async def test_help_names_the_file_choice_in_both_languages(bot: Harness) -> None:
    german = await bot.send("admin", "/help attendees")
    assert "xlsx" in german.text and "Excel" in german.text
    await bot.send("admin", "/language en")
    english = await bot.send("admin", "/help attendees")
    assert (
        "xlsx" in english.text and "Excel" in english.text and "Teilnehmende" not in (english.text)
    )
