"""The dashboard's members page as the office uses it: search the directory, a member's page,
change a role, import and export the directory; on SQLite and PostgreSQL, in German and
English."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from handlers.members.directory_import import parse_directory
from storage import audit, members
from storage.models import Member
from tests.partners_fixtures import import_members
from tests.web_harness import Dashboard, SignedIn, dashboard_for


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def sign_in(dash: Dashboard) -> SignedIn:
    """The admin's client, its CSRF token read from this part's own page."""
    client = await dash.signed_in()
    _, html = await client.get("/members")
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    client.csrf = found.group(1)
    return client


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await sign_in(dash)
    yield client
    await client.close()


async def audit_actions(dash: Dashboard) -> list[str]:
    async with dash.bot.db.session() as session:
        return [e.action for e in await audit.recent(session, limit=100)]


async def member_count(dash: Dashboard) -> int:
    async with dash.bot.db.session() as session:
        return int((await session.execute(select(func.count(Member.id)))).scalar_one())


# ---- members ------------------------------------------------------------------------------


async def test_search_finds_by_organisation_topic_and_city(
    dash: Dashboard, office: SignedIn
) -> None:
    await import_members(dash.bot)
    status, html = await office.get("/members?q=okertal")
    assert status == 200 and "3 Mitglieder" in html and "Okertal Metallrückgewinnung" in html
    _, html = await office.get("/members?q=Gefahrgut")  # a topic
    assert "1 Mitglied" in html and "Harz Logistik" in html
    # a directory member has no person's name: "–" under Name, not "Mitglied 7"
    name_cell = re.search(r'data-label="Name">([^<]*)</td>', html)
    assert name_cell is not None and name_cell.group(1) == "–", html
    _, html = await office.get("/members?q=gießerei")  # a topic with a letter beyond ASCII
    assert "Harzer Aluminiumguss" in html and "1 Mitglied" in html
    _, html = await office.get("/members?q=Osterode")  # a city
    assert "Magnetwerk Harz" in html and "Harzer Edelmetall" in html
    _, html = await office.get("/members?q=100%25")  # LIKE's own characters are literal
    assert "Niemand gefunden" in html
    _, html = await office.get("/members?q=Gefahrgut&lang=en")
    assert "1 member" in html and "Search the directory" in html
    # what may be searched for stands whole below the box (a phone cut a placeholder short)
    assert 'id="q-hint">Name, organisation, topic or city</p>' in html and "placeholder" not in html


async def test_search_pages_through_a_large_directory(dash: Dashboard) -> None:
    async with dash.bot.db.session() as session:
        for n in range(120):
            await members.add_directory_member(
                session, external_id=f"m{n}", organisation=f"Recycling {n:03d}", topics=["Zink"]
            )
    async with dash.bot.db.session() as session:
        found, total = await members.search_members(session, query="zink", offset=100, limit=50)
    assert total == 120 and [m.organisation for m in found][:2] == [
        "Recycling 100",
        "Recycling 101",
    ]
    office = await sign_in(dash)
    _, html = await office.get("/members?q=zink&page=3")
    assert "Seite 3 von 3" in html and "Recycling 119" in html and "Recycling 099" not in html
    await office.close()


async def test_a_member_page_shows_profile_platforms_and_requests(
    dash: Dashboard, office: SignedIn
) -> None:
    ids = await import_members(dash.bot)
    async with dash.bot.db.session() as session:
        await members.mark_user_unreachable(
            session, platform="console", user_id="kira", reason="bot was blocked by the user"
        )
    status, html = await office.get(f"/members/{ids['kira']}")
    assert status == 200 and "Harz Logistik" in html and "Gefahrgut" in html
    assert "nein: bot was blocked by the user" in html and "Konsole" in html
    _, html = await office.get(f"/members/{ids['anna']}?lang=en")
    assert "Platforms" in html and "Make admin" in html and "No partner requests." in html
    status, body = await office.get(f"/members/{ids['anna']}/data.json")
    assert status == 200 and '"organisation": "Okertal Metallrückgewinnung GmbH (fiktiv)"' in body
    assert "web:members:export_member" in await audit_actions(dash)
    # a page that is not there is a page of the dashboard, in the admin's language
    status, html = await office.get("/members/999999?lang=de")
    assert status == 404 and "<h1>Nicht gefunden</h1>" in html and 'href="/inbox"' in html
    status, html = await office.get("/no-such-page?lang=en")
    assert status == 404 and "This page does not exist (any more)." in html
    status, html = await office.get("/events/999999?lang=de")
    assert status == 404 and "Nicht gefunden" in html and "Nummer 999999" in html, html
    main = html.split("<main", 1)[1].split("</main>")[0]
    assert "/termine" not in main and "/events " not in main  # no chat command
    assert 'href="/events">Zur Seite „Veranstaltungen“</a>' in main  # the list it names
    status, html = await office.get("/no-such-page?lang=de")
    assert status == 404 and "Zur Seite" not in html  # no list to go to


async def test_promote_and_demote_from_the_web(dash: Dashboard, office: SignedIn) -> None:
    told: list[tuple[str, str, bool]] = []

    async def listener(platform: str, user_id: str, is_admin: bool) -> None:
        told.append((platform, user_id, is_admin))

    dash.bot.app.services.role_listeners.append(listener)
    await dash.bot.onboard("ada")
    ada = await dash.bot.member("ada")
    assert ada is not None
    assert "nur Admins" in (await dash.bot.send("ada", "/partner_inbox")).text
    status, html = await office.get(f"/members/{ada.id}/role?to=admin")
    assert status == 200 and "zum Admin machen?" in html
    assert not (await dash.bot.member("ada")).is_admin  # type: ignore[union-attr]  # asked only
    status, _ = await office.post(f"/members/{ada.id}/role", {"to": "admin"})
    assert status == 303
    assert (await dash.bot.member("ada")).is_admin  # type: ignore[union-attr]
    assert told == [("console", "ada", True)]
    assert "nur Admins" not in (await dash.bot.send("ada", "/partner_inbox")).text
    _, html = await office.get(f"/members/{ada.id}?changed=admin&lang=en")
    assert "This member is an admin." in html and "Remove admin rights" in html
    status, _ = await office.post(f"/members/{ada.id}/role", {"to": "member"})
    assert status == 303 and told[-1] == ("console", "ada", False)
    assert "nur Admins" in (await dash.bot.send("ada", "/partner_inbox")).text
    async with dash.bot.db.session() as session:
        entries = [e for e in await audit.recent(session) if e.action == "web:members:role"]
    assert [e.detail_data for e in entries] == [
        {"key": "audit.role_member", "values": {"member": ada.id}},
        {"key": "audit.role_admin", "values": {"member": ada.id}},
    ]
    # The admin by the configuration is shown as such, with nothing to toggle.
    admin = await dash.bot.member("admin")
    assert admin is not None
    _, html = await office.get(f"/members/{admin.id}")
    assert "Admin durch die Konfiguration" in html and "/role?to=" not in html


GOOD = (
    "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
    "x1,Erzweg Recycling (fiktiv),company,Goslar,Einkauf,de,false,Kupfer;Zinn,Kupfer zurück\n"
)
BAD = GOOD + "x2,,company,Thale,Technik,de,false,Zink,Ohne Organisation\n"
BAD += "x3,Formel AG (fiktiv),company,Thale,=HYPERLINK(1),de,vielleicht,Zink,\n"


async def test_a_csv_with_a_bad_row_writes_nothing_and_shows_the_lines(
    dash: Dashboard, office: SignedIn
) -> None:
    before = await member_count(dash)
    status, html = await office.post("/members/import", {"text": BAD})
    assert status == 422 and "Nichts importiert: 3 Probleme" in html
    # every line in the office's language, each of a row's problems; the text was pasted, so
    # it is pasted again
    assert "Zeile 3: organisation ist leer" in html and "Zeile 4:" in html, html
    assert html.count("Zeile 4:") == 2 and "nicht „vielleicht“" in html
    assert "line 3" not in html and "must be" not in html and "starts like" not in html
    assert "fügen Sie ihn erneut ein" in html and "laden Sie sie erneut hoch" not in html
    assert await member_count(dash) == before
    assert not any(a.startswith("web:members:import") for a in await audit_actions(dash))
    status, _ = await office.post("/members/import", {"text": GOOD})
    assert status == 303
    _, html = await office.get("/members?imported=1-0&q=Erzweg")
    assert "Importiert: 1 neu, 0 aktualisiert" in html and "Erzweg Recycling" in html
    assert await member_count(dash) == before + 1
    assert "web:members:import" in await audit_actions(dash)
    _, html = await office.post("/members/import?lang=en", {"text": BAD})
    assert "Nothing imported: 3 problems" in html and "paste it again" in html
    assert "line 3: organisation is empty" in html and "Zeile" not in html, html


@pytest.mark.parametrize(
    ("lang", "refused", "line"),
    [
        (
            "de",
            "laden Sie sie erneut hoch",
            "Zeile 3: young_professional muss true oder false sein, nicht „eventuell“",
        ),
        (
            "en",
            "upload it again",
            "line 3: young_professional must be true or false, not 'eventuell'",
        ),
    ],
)
async def test_a_bad_file_is_refused_in_the_offices_language(
    dash: Dashboard, office: SignedIn, lang: str, refused: str, line: str
) -> None:
    import aiohttp

    bad_file = GOOD.splitlines()[0] + "\n"
    bad_file += "x9,Sudmerberg Guss (fiktiv),company,Goslar,+cmd,de,ja,Guss,\n"
    bad_file += "x10,Okerwerk (fiktiv),company,Oker,Labor,de,eventuell,Zink,\n"
    form = aiohttp.FormData()
    form.add_field("csrf", office.csrf)
    form.add_field("file", bad_file.encode("utf-8"), filename="m.csv", content_type="text/csv")
    async with office.client.post(
        f"{dash.url}/members/import?lang={lang}", data=form, allow_redirects=False
    ) as response:
        assert response.status == 422
        html = await response.text()
    formula = {"de": "Zeile 2: Spalte role beginnt wie eine Formel", "en": "line 2: column role"}
    assert refused in html and line in html and formula[lang] in html, html
    assert "erneut ein" not in html and "paste it again" not in html  # it was a file


@pytest.mark.parametrize(
    ("lang", "content", "said"),
    [
        # a workbook saved as .xlsx (a zip), named .csv: not the size that is wrong
        ("de", b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 16, "kein Text in UTF-8"),
        # German Excel's "CSV (Trennzeichen-getrennt)": the option to choose instead is named
        ("de", "id,organisation\nx1,Mühle\n".encode("cp1252"), "„CSV UTF-8 (durch Trennzeichen"),
        ("en", b"\xff\xfei\x00d\x00,\x00", "not text in UTF-8"),  # UTF-16 from Excel
        ("de", b"id,organisation\n" + b"x" * (11 * 1024**2), "größer als 10 MB"),
        ("en", b"", "Please choose a file"),
    ],
)
async def test_an_unreadable_file_is_refused_saying_what_is_wrong_with_it(
    dash: Dashboard, office: SignedIn, lang: str, content: bytes, said: str
) -> None:
    # "Die Datei ist zu groß oder nicht in UTF-8 gespeichert." had named both for a 4 KB
    # binary file; the page opens at the import's section, where the message is
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("csrf", office.csrf)
    form.add_field("file", io.BytesIO(content), filename="members.csv", content_type="text/csv")
    async with office.client.post(
        f"{dash.url}/members/import?lang={lang}", data=form, allow_redirects=False
    ) as response:
        assert response.status == 422
        html = await response.text()
    assert said in html, html
    assert 'action="/members/import#import"' in html
    async with dash.bot.db.session() as session:
        assert await members.find_by_external_id(session, "x1") is None


async def test_a_file_upload_imports_the_directory(dash: Dashboard, office: SignedIn) -> None:
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("csrf", office.csrf)
    form.add_field("file", GOOD.encode("utf-8"), filename="members.csv", content_type="text/csv")
    async with office.client.post(
        dash.url + "/members/import", data=form, allow_redirects=False
    ) as response:
        assert response.status == 303
        location = response.headers["Location"]
    async with dash.bot.db.session() as session:
        assert await members.find_by_external_id(session, "x1") is not None
    # the outcome stands in the import's section, where the page opens after the upload
    status, html = await office.get(location)
    assert status == 200 and html.index('id="import"') < html.index("Importiert: 1 neu"), html


async def test_the_export_is_the_import_format_and_formula_safe(
    dash: Dashboard, office: SignedIn
) -> None:
    await import_members(dash.bot)
    async with dash.bot.db.session() as session:
        found = await members.find_by_external_id(session, "kira")
        assert found is not None
        await members.update_member(session, member_id=found.id, role="=HYPERLINK(1)")
    status, body = await office.get("/members/export.csv")
    assert status == 200
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 22 and rows[0]["id"] == "req"
    kira = next(r for r in rows if r["id"] == "kira")
    assert kira["role"] == "'=HYPERLINK(1)" and kira["topics"] == "Logistik;Transport;Gefahrgut"
    # the file imports again as it is: the apostrophe that keeps a spreadsheet from running
    # the cell is the export's, not part of the role
    again = {row.external_id: row for row in parse_directory(body)}
    assert len(again) == 22 and again["kira"].role == "=HYPERLINK(1)"
    assert "web:members:export" in await audit_actions(dash)


async def test_the_export_opens_in_columns_with_each_members_language(
    dash: Dashboard, office: SignedIn
) -> None:
    """As the attendee lists: `;` and a byte order mark, so that a German Excel shows columns
    and umlauts; a member who joined in the chat shows the language they chose."""
    await import_members(dash.bot)
    await dash.bot.onboard("ada", lang="en", org="Ada Recycling Ltd")
    await dash.bot.onboard("gör", org="Göttinger Scheidgut GmbH")
    async with office.client.get(office.dashboard.url + "/members/export.csv") as response:
        assert response.status == 200
        raw = await response.read()
    assert raw.startswith("\ufeff".encode()) and raw.decode("utf-8").startswith(
        "\ufeffid;organisation;kind;city;role;languages;young_professional;topics;bio;contact\r\n"
    )
    rows = {
        r["organisation"]: r
        for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")
    }
    assert rows["Ada Recycling Ltd"]["languages"] == "en"
    assert rows["Göttinger Scheidgut GmbH"]["languages"] == "de"
    assert rows["Ada Recycling Ltd"]["topics"] == "Batterierecycling;Hydrometallurgie"
    # the directory's own languages stay, the one the bot writes in first
    assert all(r["languages"] for r in rows.values())


async def test_an_import_names_the_columns_it_did_not_read(
    dash: Dashboard, office: SignedIn
) -> None:
    header, row = GOOD.splitlines()
    form = {"csrf": office.csrf, "text": f"{header},name,fax\n{row},Ada,0123\n"}
    async with office.client.post(
        dash.url + "/members/import", data=form, allow_redirects=False
    ) as response:
        assert response.status == 303
        where = response.headers["Location"]
    _, html = await office.get(where)
    assert "Importiert: 1 neu, 0 aktualisiert" in html
    assert "Nicht gelesen (unbekannte Spalten): name, fax" in html
    _, html = await office.get(where + "&lang=en")
    assert "Not read (unknown columns): name, fax" in html


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_member_is_named_by_their_chat_name_as_on_the_roster(
    dash: Dashboard, office: SignedIn, lang: str
) -> None:
    # Registered in a chat: the chat's name is their name (the event roster says it too).
    await dash.bot.onboard("olaf", org="Rammelsberg Recycling AG")
    olaf = await dash.bot.member("olaf")
    assert olaf is not None and olaf.display_name == "olaf"
    _, html = await office.get(f"/members?q=Rammelsberg&lang={lang}")
    name_cell = re.search(r'data-label="Name">([^<]*)</td>', html)
    assert name_cell is not None and name_cell.group(1) == "olaf", html
    _, html = await office.get(f"/members/{olaf.id}?lang={lang}")
    assert "<dd>olaf</dd>" in html, html


async def test_an_import_says_how_many_have_no_chat_account_for_partner_search(
    dash: Dashboard, office: SignedIn
) -> None:
    text = (
        "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
        'gl-1,"Glockengießerei Apolda (fiktiv)",company,Apolda,Leitung,de,false,"Glockenguss","x"\n'
        'gl-2,"Turmuhren Zeitz (fiktiv)",company,Zeitz,Leitung,de,false,"Turmuhren","x"\n'
    )
    form = {"csrf": office.csrf, "text": text}
    async with office.client.post(
        office.dashboard.url + "/members/import", data=form, allow_redirects=False
    ) as response:
        assert response.status == 303
        location = response.headers["Location"]
    _, html = await office.get(location)
    assert "Importiert: 2 neu" in html, html
    assert "Noch ohne Chat-Konto: 2 davon" in html and "Partnersuche" in html, html
