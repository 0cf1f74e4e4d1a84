"""The events page as the office uses it: create and edit with the chat's preview, the roster
with a member's chat sign-up, moving up from the waitlist, check-in and no-shows, cancelling
with a reason, reminders, poll results and the exports, in German and English."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from sqlalchemy import select, update

from bot.delivery import reply_from_payload
from handlers.events import service
from handlers.events.form import draft_from_form
from storage import event_store
from storage.event_store import as_utc
from storage.events import Event, EventJob, EventSignup
from storage.models import AuditEntry, Member, OutboxMessage
from tests.dates import days_ahead, typed
from tests.web_harness import Dashboard, SignedIn, dashboard_for


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def admin_in(dash: Dashboard, lang: str) -> SignedIn:
    admin = await dash.signed_in()
    await admin.get(f"/language?lang={lang}&next=/events")
    # The CSRF token from this page (the overview is another page's business).
    status, html = await admin.get("/events")
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert status == 200 and found is not None
    admin.csrf = found.group(1)
    return admin


async def rows(dash: Dashboard, model: Any) -> list[Any]:
    async with dash.bot.db.session() as session:
        return list((await session.execute(select(model))).scalars())


async def outbox(dash: Dashboard, kind: str) -> list[OutboxMessage]:
    async with dash.bot.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        return list((await session.execute(query)).scalars())


async def audited(dash: Dashboard, action: str) -> list[dict[str, object] | None]:
    return [e.detail_data for e in await rows(dash, AuditEntry) if e.action == f"web:{action}"]


async def excursion(dash: Dashboard, *, places: int = 1, extra: str = "") -> int:
    """An excursion 60 days ahead, created as the chat's /newevent would."""
    start = days_ahead(dash.bot, 60)
    form = (
        f"art=exkursion; titel=Exkursion nach Goslar; beginn={typed(start)}; "
        f"ort=Rammelsberg; plätze={places}; ankündigung=nein{extra}"
    )
    draft = draft_from_form(form, tz=dash.bot.app.services.settings.network.tz)
    created = await service.create_event(dash.bot.app.services, draft, created_by=None)
    return created.event.id


def local_box(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%M}"


TEXTS = {
    "de": {"save": "Speichern", "told": r"an Mitglieder: (\d+)", "reason": "Begründung: Busstreik"},
    "en": {"save": "Save", "told": r"to members: (\d+)", "reason": "Reason: Busstreik"},
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_new_event_is_previewed_and_stored_only_on_save(dash: Dashboard, lang: str) -> None:
    await dash.bot.onboard("mia")
    admin = await admin_in(dash, lang)
    start = days_ahead(dash.bot, 30)
    fields = {
        "kind": "workshop",
        "title": "Workshop Batterierecycling",
        "start": local_box(start),
        "end": local_box(start + timedelta(hours=3)),
        "place": "Clausthal",
        "capacity": "20",
        "audience": "all",
        "description": "Mit Laborbesuch; bitte anmelden.",
        "announce": "now",
    }
    status, html = await admin.get("/events/new")
    assert status == 200 and 'name="title"' in html
    status, html = await admin.post("/events/new", {**fields, "action": "preview"})
    assert status == 200, html
    told = re.search(TEXTS[lang]["told"], html)
    assert "<b>Workshop Batterierecycling</b>" in html and told is not None
    assert TEXTS[lang]["save"] in html
    assert await rows(dash, Event) == [] and await outbox(dash, "event_announcement") == []
    # A wrong field: the form again with the chat's message, still nothing stored.
    status, html = await admin.post("/events/new", {**fields, "capacity": "viele"})
    assert status == 422 and "viele" in html and await rows(dash, Event) == []
    status, _html = await admin.post("/events/new", {**fields, "action": "save"})
    assert status == 303
    (event,) = await rows(dash, Event)
    assert event.title == "Workshop Batterierecycling" and event.capacity == 20
    assert event.description == "Mit Laborbesuch; bitte anmelden."
    mia = await dash.bot.member("mia")
    assert mia is not None
    announced = [m.member_id for m in await outbox(dash, "event_announcement")]
    assert mia.id in announced and len(announced) == int(told.group(1))
    assert "Workshop Batterierecycling" in (await dash.bot.send("mia", "/events")).text
    assert len(await audited(dash, "events:create")) == 1
    status, html = await admin.get(f"/events/{event.id}")
    assert status == 200 and "Workshop Batterierecycling" in html
    status, html = await admin.get("/events")
    assert status == 200 and f"/events/{event.id}" in html
    assert "Young Professionals" not in html and "young professionals" not in html
    # an excursion for young professionals alone says so in the list
    only = await excursion(dash, extra="; zielgruppe=yp")
    status, html = await admin.get("/events")
    row = html[html.index(f'<a href="/events/{only}">') :]
    row = row[: row.index("</tr>")]
    shown = {"de": "nur Young Professionals", "en": "young professionals only"}[lang]
    assert shown in row, row
    status, html = await admin.get(f"/events/calendar?from={start.date().isoformat()}")
    assert status == 200 and "Workshop Batterierecycling" in html
    # a week's dates do not break at their hyphens on a phone (English shows 2026-11-30)
    status, html = await admin.get(f"/events/calendar?from={start.date().isoformat()}&lang=en")
    assert re.search(r'Week \d+: <span class="nowrap">\d{4}-\d\d-\d\d</span>', html), html
    await admin.close()


async def test_weeks_in_a_row_with_nothing_planned_are_one_card(dash: Dashboard) -> None:
    """Six weeks from a Monday, one event in the fourth: the three empty weeks before it are
    one card, the two after it another, not five "Nichts geplant" cards around it."""
    tz = dash.bot.app.services.settings.network.tz
    today = dash.bot.app.services.clock().astimezone(tz).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=2)
    async with dash.bot.db.session() as session:
        await event_store.create_event(
            session,
            kind="workshop",
            title="Werkstattgespräch Lötzinn",
            starts_at=datetime(monday.year, monday.month, monday.day, 9, tzinfo=tz)
            + timedelta(weeks=3, days=2),
        )
        await session.commit()
    admin = await admin_in(dash, "de")
    status, html = await admin.get(f"/events/calendar?from={monday.isoformat()}")
    assert status == 200 and "Werkstattgespräch Lötzinn" in html
    assert html.count("Nichts geplant.") == 2, html
    first, last = monday.isocalendar().week, (monday + timedelta(weeks=2)).isocalendar().week
    assert f"KW {first} – KW {last}:" in html, html
    status, html = await admin.get(f"/events/calendar?from={monday.isoformat()}&lang=en")
    assert f"Weeks {first} – {last}:" in html and html.count("Nothing planned") == 2, html
    await admin.close()


async def test_an_edit_is_previewed_then_tells_everyone_signed_up(dash: Dashboard) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=5)
    await dash.bot.send("mia", f"/join {number}")
    admin = await admin_in(dash, "de")
    status, html = await admin.get(f"/events/{number}/edit")
    assert status == 200 and "Exkursion nach Goslar" in html
    (event,) = await rows(dash, Event)
    form = {
        "kind": "excursion",
        "title": "Exkursion nach Goslar und Clausthal",
        "start": local_box(event.starts_at.astimezone(dash.bot.app.services.settings.network.tz)),
        "place": "Rammelsberg",
        "capacity": "5",
        "audience": "all",
        "reminders": "7d, 1d",
    }
    status, html = await admin.post(f"/events/{number}/edit", {**form, "action": "preview"})
    assert status == 200 and "Exkursion nach Goslar und Clausthal" in html
    assert "Benachrichtigt werden Angemeldete (mit Platzangeboten und Warteliste): 1" in html
    assert (
        "Neuer Titel: „Exkursion nach Goslar und Clausthal“ (vorher: „Exkursion nach Goslar“)"
        in html
    )
    assert (await rows(dash, Event))[0].title == "Exkursion nach Goslar"
    carried = {"f.title": "Exkursion nach Goslar und Clausthal", "action": "save"}
    status, _html = await admin.post(f"/events/{number}/edit", carried)
    assert status == 303
    assert (await rows(dash, Event))[0].title == "Exkursion nach Goslar und Clausthal"
    (change,) = await outbox(dash, "event_change")
    assert "Clausthal" in reply_from_payload(change.payload).text
    await admin.close()


async def test_the_roster_moves_up_checks_in_and_counts_no_shows(dash: Dashboard) -> None:
    for user in ("mia", "paul", "eve"):
        await dash.bot.onboard(user)
    number = await excursion(dash, places=1)
    for user in ("mia", "paul", "eve"):
        await dash.bot.send(user, f"/join {number}")
    mia, paul, eve = [await dash.bot.member(u) for u in ("mia", "paul", "eve")]
    assert mia is not None and paul is not None and eve is not None
    admin = await admin_in(dash, "de")
    status, html = await admin.get(f"/events/{number}")
    assert status == 200
    assert (
        "mia" in html and "paul" in html and "Warteliste (1)" in html and "Warteliste (2)" in html
    )
    assert ">Einchecken</button>" not in html  # two months ahead: nobody comes yet
    # Full: refused unless the office chooses an extra place.
    status, html = await admin.post(f"/events/{number}/move-up", {"member": str(eve.id)})
    assert status == 422 and "Der einzige Platz ist belegt" in html
    assert {s.member_id: s.status for s in await rows(dash, EventSignup)}[eve.id] == "waitlisted"
    status, _ = await admin.post(f"/events/{number}/move-up", {"member": str(eve.id), "extra": "1"})
    assert status == 303
    (event,) = await rows(dash, Event)
    assert (event.capacity, event.taken) == (2, 2)
    statuses = {s.member_id: s.status for s in await rows(dash, EventSignup)}
    assert statuses == {mia.id: "confirmed", paul.id: "waitlisted", eve.id: "confirmed"}
    (told,) = await outbox(dash, "event_promotion")
    assert told.member_id == eve.id
    assert "jetzt für „Exkursion nach Goslar“" in reply_from_payload(told.payload).text
    # Someone not waiting (any more) cannot be moved: nothing changes.
    status, html = await admin.post(
        f"/events/{number}/move-up", {"member": str(mia.id), "extra": "1"}
    )
    assert status == 422 and "nicht (mehr) auf der Warteliste" in html
    assert (await rows(dash, Event))[0].capacity == 2
    # Check-in at the event (htmx swaps the row), then the no-shows afterwards.
    async with admin.client.post(
        f"{dash.url}/events/{number}/attendance",
        data={"member": str(mia.id), "came": "1"},
        headers={"HX-Request": "true", "X-CSRF-Token": admin.csrf},
    ) as response:
        row = await response.text()
    assert response.status == 200 and row.startswith(f'<tr id="member-{mia.id}"') and "✓" in row
    attended = {s.member_id: s.attended_at for s in await rows(dash, EventSignup)}
    assert attended[mia.id] is not None and attended[eve.id] is None
    # The event is over (moved to yesterday in the database): who did not come counts.
    async with dash.bot.db.session() as session:
        yesterday = dash.bot.app.services.clock() - timedelta(days=1)
        await session.execute(update(Event).values(starts_at=yesterday))
    status, html = await admin.get(f"/events/{number}")
    assert status == 200 and ">Einchecken</button>" in html  # the list can still be mended
    no_shows = {m: s.split("</td>")[0] for m, s in _no_show_cells(html).items()}
    assert no_shows[mia.id] == "0" and no_shows[eve.id] == "1" and no_shows[paul.id] == "0"
    assert len(await audited(dash, "events:move_up")) == 1
    assert len(await audited(dash, "events:attendance")) == 1
    await admin.close()


async def test_the_roster_names_a_member_and_the_organisation_once_each(
    dash: Dashboard,
) -> None:
    await dash.bot.onboard("nina", org="Harz Metall GmbH")
    number = await excursion(dash, places=1)
    await dash.bot.send("nina", f"/join {number}")
    nina = await dash.bot.member("nina")
    assert nina is not None
    async with dash.bot.db.session() as session:
        await session.execute(
            update(Member)
            .where(Member.id == nina.id)
            .values(display_name="", contact="nina.gruber@harz-metall.de")
        )
    admin = await admin_in(dash, "de")
    status, html = await admin.get(f"/events/{number}")
    assert status == 200 and "<th>Warteliste</th>" in html  # every column is headed
    (row,) = html.split(f'<tr id="member-{nina.id}"')[1:]
    # without a name she is "Mitglied N" once, her organisation in its own column
    assert row.count("Harz Metall GmbH") == 1, row
    org_cell = row.split('class="ev-org"', 1)[1].split("</td>", 1)[0]
    assert "Harz Metall GmbH" in org_cell and row.count(f"Mitglied {nina.id}") == 1, row
    assert "nina.gruber@<wbr>harz-metall.de" in row
    await admin.close()


def _no_show_cells(html: str) -> dict[int, str]:
    """The no-show cell (the one after the check-in cell) of each roster row."""
    found = {}
    for part in html.split('<tr id="member-')[1:]:
        member = int(part.split('"', 1)[0])
        after_checkin = part.split('class="ev-checkin"', 1)[1].split("</td>", 1)[1]
        found[member] = after_checkin.split("<td", 1)[1].split(">", 1)[1]
    return found


async def test_cancel_with_a_reason_reaches_each_attendee_in_their_language(
    dash: Dashboard,
) -> None:
    await dash.bot.onboard("mia", lang="de")
    await dash.bot.onboard("eve", lang="en")
    number = await excursion(dash, places=5)
    for user in ("mia", "eve"):
        await dash.bot.send(user, f"/join {number}")
    admin = await admin_in(dash, "en")
    status, html = await admin.get(f"/events/{number}/cancel")
    assert status == 200 and "2 people signed up" in html
    status, html = await admin.post(
        f"/events/{number}/cancel", {"reason": "Busstreik", "action": "preview"}
    )
    assert status == 200 and TEXTS["en"]["reason"] in html and "Really cancel it?" in html
    assert (await rows(dash, Event))[0].status == "open"
    status, _ = await admin.post(
        f"/events/{number}/cancel", {"reason": "Busstreik", "action": "confirm"}
    )
    assert status == 303 and (await rows(dash, Event))[0].status == "cancelled"
    mia, eve = await dash.bot.member("mia"), await dash.bot.member("eve")
    assert mia is not None and eve is not None
    texts = {
        m.member_id: reply_from_payload(m.payload).text for m in await outbox(dash, "event_cancel")
    }
    assert TEXTS["de"]["reason"] in texts[mia.id] and "ist abgesagt" in texts[mia.id]
    assert TEXTS["en"]["reason"] in texts[eve.id] and "is cancelled" in texts[eve.id]
    assert texts[mia.id].count("Busstreik") == 1, texts[mia.id]  # once, in the event's card
    assert len(await audited(dash, "events:cancel")) == 1
    # a second tab's "Absagen": the event's page says it is cancelled already, nobody told again
    async with admin.client.post(
        dash.url + f"/events/{number}/cancel",
        data={"csrf": admin.csrf, "reason": "", "action": "confirm"},
        allow_redirects=False,
    ) as again:
        assert again.status == 303
        target = again.headers["Location"]
    status, html = await admin.get(target)
    assert status == 200 and "This event is cancelled already (in another window" in html
    assert len(await outbox(dash, "event_cancel")) == 2
    # the page keeps why, and whom it had: not "Attendees" of an event that will not happen
    assert "Cancelled." in html and TEXTS["en"]["reason"] in html
    assert "Signed up until it was cancelled (2 entries)" in html
    shown = await dash.bot.send("mia", f"/event {number}")
    assert "Abgesagt." in shown.text and TEXTS["de"]["reason"] in shown.text
    assert "Sie waren angemeldet" in shown.text and "Sie sind angemeldet" not in shown.text
    await admin.close()


async def test_an_edit_of_the_start_keeps_the_end_the_form_shows(dash: Dashboard) -> None:
    number = await excursion(dash, extra="; ende=" + typed(days_ahead(dash.bot, 60, hour=15)))
    admin = await admin_in(dash, "de")
    start = days_ahead(dash.bot, 60, hour=11, minute=0)
    form = {
        "kind": "excursion",
        "title": "Exkursion nach Goslar",
        "start": local_box(start),
        "end": local_box(days_ahead(dash.bot, 60, hour=15, minute=0)),
        "place": "Rammelsberg",
        "capacity": "1",
        "audience": "all",
    }
    # a start at or after the end the form shows (untouched: 15:30) moves the whole event,
    # keeping its six hours
    late = {
        **form,
        "start": local_box(days_ahead(dash.bot, 60, hour=16, minute=0)),
        "end": local_box(days_ahead(dash.bot, 60, hour=15)),
    }
    status, html = await admin.post(f"/events/{number}/edit", {**late, "action": "preview"})
    assert status == 200 and "16:00 Uhr – 22:00 Uhr" in html, html
    assert "liegt vor dem Beginn" not in html
    status, html = await admin.post(f"/events/{number}/edit", {**form, "action": "preview"})
    assert status == 200 and "11:00 Uhr – 15:00 Uhr" in html and "16:30" not in html
    carried = dict(re.findall(r'name="(f\.\w+)" value="([^"]*)"', html))
    saved = {"csrf": admin.csrf, **carried, "action": "save"}
    async with admin.client.post(admin.dashboard.url + f"/events/{number}/edit", data=saved) as r:
        shown = await r.text()
    # nobody is signed up: the notice says nobody was told (it had said they were)
    assert r.status == 200 and "Geändert; benachrichtigt wurde niemand." in shown, shown
    (event,) = await rows(dash, Event)
    assert event.ends_at is not None
    zone = dash.bot.app.services.settings.network.tz
    assert event.ends_at.replace(tzinfo=UTC).astimezone(zone).hour == 15  # not moved to 16:30
    await admin.close()


async def test_reminders_are_listed_moved_and_removed_with_the_scheduler(dash: Dashboard) -> None:
    number = await excursion(dash, extra="; erinnerungen=7d, 1d")
    services = dash.bot.app.services
    admin = await admin_in(dash, "en")
    status, html = await admin.get(f"/events/{number}")
    week, day = f"reminder:event:{number}:7d", f"reminder:event:{number}:1d"
    assert status == 200 and week in html and day in html
    new_time = days_ahead(dash.bot, 50, hour=8, minute=0)
    status, _ = await admin.post(
        f"/events/{number}/reminders", {"job": week, "action": "move", "at": local_box(new_time)}
    )
    assert status == 303
    async with dash.bot.db.session() as session:
        job = await event_store.get_job(session, week)
        assert job is not None
        assert as_utc(job.run_at) == new_time
    assert services.scheduler.next_run(week) == new_time
    # After the start: refused, nothing moved.
    too_late = days_ahead(dash.bot, 61)
    status, html = await admin.post(
        f"/events/{number}/reminders", {"job": week, "action": "move", "at": local_box(too_late)}
    )
    assert status == 422 and "before the start" in html
    status, _ = await admin.post(f"/events/{number}/reminders", {"job": day, "action": "remove"})
    assert status == 303
    assert [j.job_id for j in await rows(dash, EventJob) if j.kind == "reminder"] == [week]
    assert day not in services.scheduler.job_ids()
    assert len(await audited(dash, "events:reminder")) == 2
    await admin.close()


async def test_poll_results_and_the_exports(dash: Dashboard) -> None:
    await dash.bot.onboard("mia")
    number = await excursion(dash, places=5)
    await dash.bot.send("mia", f"/join {number}")
    mia = await dash.bot.member("mia")
    assert mia is not None
    async with dash.bot.db.session() as session:
        poll = await event_store.create_poll(
            session, event_id=number, name="dates", question="Welcher Tag?", options=["Mo", "Di"]
        )
        await event_store.record_vote(session, poll_id=poll.id, member_id=mia.id, options=[1])
    admin = await admin_in(dash, "de")
    status, html = await admin.get(f"/events/{number}")
    assert status == 200 and "Welcher Tag? (abgestimmt: 1)" in html
    async with admin.client.get(f"{dash.url}/events/{number}/export.xlsx") as response:
        assert response.status == 200
        book = openpyxl.load_workbook(io.BytesIO(await response.read()))
    sheet = book.active
    assert sheet is not None and sheet.cell(row=1, column=2).value == "Name"
    assert sheet.cell(row=2, column=1).value == mia.id
    async with admin.client.get(f"{dash.url}/events/{number}/export.csv") as response:
        assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
        text = (await response.read()).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0][:2] == ["Mitglied-Nr.", "Name"] and table[1][0] == str(mia.id)
    async with admin.client.get(f"{dash.url}/events/{number}/export.ics") as response:
        assert response.status == 200 and response.content_type == "text/calendar"
        calendar = icalendar.Calendar.from_ical(await response.read())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Exkursion nach Goslar"
    exported = [
        {"key": "audit.event_exported", "values": {"event": number, "format": wanted}}
        for wanted in ("XLSX", "CSV", "ICS")
    ]
    assert await audited(dash, "events:export") == exported
    await admin.close()


@pytest.mark.parametrize(
    ("lang", "missing"),
    [
        ("de", "Feld „Titel (Deutsch)“: Bitte geben Sie den Titel der Veranstaltung ein."),
        ("en", "Field “Title (German)”: please enter the title of the event."),
    ],
)
async def test_a_blank_title_is_named_as_the_form_labels_it(
    dash: Dashboard, lang: str, missing: str
) -> None:
    admin = await admin_in(dash, lang)
    start = days_ahead(dash.bot, 30)
    fields = {"kind": "workshop", "title": "   ", "start": local_box(start), "audience": "all"}
    for action in ("preview", "save"):
        status, html = await admin.post("/events/new", {**fields, "action": action})
        assert status == 422 and missing in html, html
        assert "title=" not in html and "titel=" not in html
    assert await rows(dash, Event) == []
    # Changing an event: the same words, not the chat's /editevent syntax.
    await admin.post("/events/new", {**fields, "title": "Stammtisch", "action": "save"})
    (event,) = await rows(dash, Event)
    for action in ("preview", "save"):
        form = {**fields, "action": action, "f.title": "  "}
        status, html = await admin.post(f"/events/{event.id}/edit", form)
        assert status == 422 and missing in html, html
    # The chat keeps its own wording, with the field as the one-line form writes it.
    chat = {"de": "(titel=…)", "en": "(title=…)"}[lang]
    await dash.bot.send("admin", f"/language {lang}")
    answer = await dash.bot.send("admin", "/newevent kind=workshop; start=12.03.2031 10:00")
    assert chat in answer.text, answer.text
    await admin.close()


FORM_PROBLEMS = {
    "de": {
        "summary": "Bitte prüfen Sie diese 3 Angaben:",
        "capacity": "„-5“ ist keine Platzzahl",
        "start": "Dieser Zeitpunkt liegt in der Vergangenheit.",
        "end": "liegt vor dem Beginn",  # "Das Ende 08:00 Uhr liegt vor dem Beginn 10:00 Uhr."
        "edit_summary": "Bitte prüfen Sie diese 2 Angaben:",
    },
    "en": {
        "summary": "Please check these 3 fields:",
        "capacity": "“-5” is not a number of places",
        "start": "That moment lies in the past.",
        "end": "is before the start",  # "The end, 08:00, is before the start, 10:00."
        "edit_summary": "Please check these 2 fields:",
    },
}


def field_problem(html: str, name: str) -> str:
    """The message shown beside the form's box `name` ("" when there is none)."""
    found = re.search(rf'<p class="field-error" id="{name}_error">(.*?)</p>', html)
    return found.group(1) if found else ""


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_every_problem_of_the_form_is_named_at_its_field_at_once(
    dash: Dashboard, lang: str
) -> None:
    """Capacity -5, a start in the past and an end before it: one "Vorschau" names all
    three, each beside its box, and keeps what was typed."""
    admin = await admin_in(dash, lang)
    said = FORM_PROBLEMS[lang]
    yesterday = days_ahead(dash.bot, -1)
    fields = {
        "kind": "excursion",
        "title": "Exkursion Recyclinghof Wernigerode",
        "start": local_box(yesterday),
        "end": local_box(yesterday - timedelta(hours=2)),
        "place": "Wernigerode",
        "capacity": "-5",
        "audience": "all",
        "announce": "no",
    }
    status, html = await admin.post("/events/new", {**fields, "action": "preview"})
    assert status == 422 and said["summary"] in html, html
    for name in ("capacity", "start", "end"):
        assert said[name] in field_problem(html, name), (name, html)
        assert f'aria-describedby="{name}_error"' in html
    assert field_problem(html, "title") == "" and field_problem(html, "place") == ""
    assert 'value="-5"' in html and 'value="Exkursion Recyclinghof Wernigerode"' in html
    assert f'value="{fields["start"]}"' in html and 'value="Wernigerode"' in html
    assert await rows(dash, Event) == []
    # A weekly series: the same three at once.
    status, html = await admin.post("/events/new", {**fields, "repeat": "weekly", "count": "4"})
    assert status == 422 and said["summary"] in html, html
    assert all(field_problem(html, name) for name in ("capacity", "start", "end"))
    # Changing an event: a capacity of -5 and an end before the start, named together.
    number = await excursion(dash)
    status, html = await admin.get(f"/events/{number}/edit")
    start = re.search(r'name="start" type="datetime-local" value="([^"]+)"', html)
    assert start is not None
    before_start = local_box(datetime.fromisoformat(start.group(1)) - timedelta(hours=1))
    edit = {"capacity": "-5", "start": start.group(1), "end": before_start, "action": "preview"}
    status, html = await admin.post(f"/events/{number}/edit", {**fields, **edit})
    assert status == 422 and said["edit_summary"] in html, html
    assert said["capacity"] in field_problem(html, "capacity")
    assert said["end"] in field_problem(html, "end") and field_problem(html, "start") == ""
    await admin.close()


@pytest.mark.parametrize(
    ("lang", "markup", "formula"),
    [
        ("de", "Bitte ohne Formatierungszeichen wie „&lt;script&gt;“", "nicht mit „=“ beginnen"),
        ("en", "Please leave formatting such as “&lt;script&gt;”", "start the title with “=”"),
    ],
)
async def test_the_form_refuses_a_title_with_markup_or_a_formula_start(
    dash: Dashboard, lang: str, markup: str, formula: str
) -> None:
    admin = await admin_in(dash, lang)
    start = days_ahead(dash.bot, 30)
    fields = {"kind": "excursion", "start": local_box(start), "audience": "all", "announce": "no"}
    for title, said in (
        ("Exkursion <script>alert(1)</script>", markup),
        ("=1+1 Exkursion", formula),
    ):
        status, html = await admin.post("/events/new", {**fields, "title": title})
        assert status == 422 and said in field_problem(html, "title"), html
    assert await rows(dash, Event) == []
    await admin.close()


@pytest.mark.parametrize(
    ("lang", "warning", "fix"),
    [
        ("de", "Die deutsche Beschreibung liest sich englisch", "gehen Sie auf „Ändern“"),
        ("en", "The German description reads as English", "choose “Change”"),
    ],
)
async def test_the_preview_warns_of_an_english_text_given_as_the_german_one(
    dash: Dashboard, lang: str, warning: str, fix: str
) -> None:
    """German members would read the English description as theirs: the preview says so,
    and how to fix it; a German one is not warned about."""
    admin = await admin_in(dash, lang)
    fields = {
        "kind": "workshop",
        "title": "Laborrundgang Freiberg",
        "start": local_box(days_ahead(dash.bot, 30)),
        "audience": "all",
        "description": "A tour of the leaching lab, with safety glasses for everyone.",
        "announce": "now",
        "action": "preview",
    }
    status, html = await admin.post("/events/new", fields)
    assert status == 200 and warning in html and fix in html, html
    german = {**fields, "description": "Ein Rundgang durch das Laugungslabor mit Schutzbrille."}
    status, html = await admin.post("/events/new", german)
    assert status == 200 and warning not in html and fix not in html
    await admin.close()


async def test_a_member_without_a_name_is_named_alike_on_the_roster_and_in_the_chat(
    dash: Dashboard,
) -> None:
    """ "–" for the person, as the chat's /teilnehmer and the members page say it (the web
    roster had said "Mitglied 7" where the chat said "–"); the number stays beside it."""
    await dash.bot.onboard("olaf", org="Rammelsberg Recycling AG")
    number = await excursion(dash, places=3)
    await dash.bot.send("olaf", f"/join {number}")
    olaf = await dash.bot.member("olaf")
    assert olaf is not None
    async with dash.bot.db.session() as session:
        await session.execute(update(Member).where(Member.id == olaf.id).values(display_name=""))
    chat = await dash.bot.send("admin", f"/teilnehmer {number}")
    assert f"– · Rammelsberg Recycling AG (Mitglied {olaf.id})" in chat.text, chat.text
    admin = await admin_in(dash, "de")
    _status, html = await admin.get(f"/events/{number}")
    (row,) = html.split(f'<tr id="member-{olaf.id}"')[1:]
    head = row.split('class="stack-head">', 1)[1].split("</td>", 1)[0]
    assert head.startswith("–<br>") and f"Mitglied {olaf.id}" in head, head
    await admin.close()
