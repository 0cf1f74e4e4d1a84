"""The dashboard's FAQ page as the office uses it: both languages side by side, add, edit and
remove (the chat sees it at once), field errors that keep what was typed, an all-or-nothing
import, an export that imports back, the "try a question" box and each entry's numbers; on
SQLite and PostgreSQL, in German and English."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import select

from bot.demo import DEMO_DIR
from handlers.faq.kb_admin import all_entries
from handlers.faq.kb_import import import_kb, parse_kb
from storage import audit, faq
from storage.faq import FaqEntryRow, FaqQuestion
from tests.web_harness import Dashboard, SignedIn, dashboard_for

DEMO_TEXT = (DEMO_DIR / "faq.toml").read_text("utf-8")
NEW_ENTRY = {
    "id": "parken",
    "qde": "Darf ich mein Auto vor der Aula abstellen?\nHat die Aula einen Hof für Gäste?",
    "ade": "Am Tagungsort gibt es einen kostenlosen Parkplatz für Gäste.",
    "qen": "May I leave my car in front of the assembly hall?",
    "aen": "There is free guest parking at the venue.",
    "tags": "Parken; parking",
}


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        async with found.bot.db.session() as session:
            await import_kb(session, parse_kb(DEMO_TEXT))
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await dash.signed_in()
    # The CSRF token from this page (the harness reads it from the overview).
    found = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/faq"))[1])
    assert found is not None
    client.csrf = found.group(1)
    yield client
    await client.close()


async def in_english(office: SignedIn) -> None:
    status, _ = await office.get("/language?lang=en&next=/faq")
    assert status == 303


async def revision(dash: Dashboard) -> int:
    async with dash.bot.db.session() as session:
        return await faq.kb_revision(session)


async def entry_ids(dash: Dashboard) -> list[str]:
    async with dash.bot.db.session() as session:
        return list((await session.execute(select(FaqEntryRow.id))).scalars())


async def audit_actions(dash: Dashboard) -> list[str]:
    async with dash.bot.db.session() as session:
        return [e.action for e in await audit.recent(session, limit=100)]


def text_of(page: str) -> str:
    return html.unescape(page)


async def test_the_list_shows_both_languages_side_by_side(
    dash: Dashboard, office: SignedIn
) -> None:
    status, page = await office.get("/faq")
    shown = text_of(page)
    assert status == 200 and "FAQ: die Wissensbasis" in shown
    entry = shown[shown.index('id="entry-beitrag"') :]
    entry = entry[: entry.index("</article>")]
    assert "Was kostet die Mitgliedschaft im Jahr?" in entry
    assert "What does membership cost per year?" in entry
    assert "Beitragsordnung" in entry and "fee schedule" in entry
    assert 'lang="de"' in entry and 'lang="en"' in entry
    assert "0× vorgeschlagen" in entry and "Bearbeiten" in entry

    def title(page: str) -> str:  # the folded row's line: the entry in the admin's language
        found = re.search(r'faq-summary-title"><code>beitrag</code> ([^<]*)<', text_of(page))
        assert found is not None
        return found.group(1)

    assert title(page) == "Was kostet die Mitgliedschaft im Jahr?"
    await in_english(office)
    status, page = await office.get("/faq")
    assert status == 200 and "FAQ: the knowledge base" in page and "suggested 0×" in page
    assert title(page) == "What does membership cost per year?"
    assert "Try a question" in page and "New entry" in page


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_add_edit_remove_from_the_web_reach_the_chat(
    dash: Dashboard, office: SignedIn, lang: str
) -> None:
    if lang == "en":
        await in_english(office)
    before = await revision(dash)
    status, _ = await office.post("/faq/new", NEW_ENTRY)
    assert status == 303
    assert await revision(dash) == before + 1
    status, page = await office.get("/faq?done=added&id=parken")
    assert "Parkplatz für Gäste" in page and "free guest parking" in page
    # named by its first question in the admin's language, not by its id
    assert (
        "Eintrag „Darf ich mein Auto vor der Aula abstellen?“ angelegt"
        if lang == "de"
        else "Entry “May I leave my car in front of the assembly hall?” added"
    ) in page
    # The chat's /faq and a member's question see the new entry at once.
    assert "Parkplatz" in (await dash.bot.send("admin", "/faq parken")).text
    await dash.bot.onboard("mia")
    asked = await dash.bot.send("mia", "Darf ich mein Auto vor der Aula abstellen?")
    assert "kostenlosen Parkplatz" in asked.text

    status, form = await office.get("/faq/parken/edit")
    assert status == 200 and "Darf ich mein Auto vor der Aula abstellen?" in text_of(form)
    changed = {**NEW_ENTRY, "ade": "Parkplätze gibt es im Parkhaus gegenüber.", "id": "other"}
    status, _ = await office.post("/faq/parken/edit", changed)
    assert status == 303
    assert "other" not in await entry_ids(dash)  # the id in the form cannot rename it
    assert "Parkhaus" in (await dash.bot.send("admin", "/faq parken")).text
    assert await revision(dash) == before + 2

    status, confirm = await office.get("/faq/parken/remove")
    assert status == 200 and (
        "Eintrag „Darf ich mein Auto vor der Aula abstellen?“ entfernen?" in confirm
        if lang == "de"
        else "Remove entry “May I leave my car in front of the assembly hall?”?" in confirm
    )
    assert "parken" in await entry_ids(dash)  # asking changes nothing
    status, _ = await office.post("/faq/parken/remove")
    assert status == 303 and "parken" not in await entry_ids(dash)
    # the notice names what was removed by its id; nothing a link carries becomes a notice
    status, notice = await office.get("/faq?done=removed&id=parken&title=Alles+gel%C3%B6scht")
    assert status == 200 and ("„parken“" in notice or "“parken”" in notice)
    assert "Alles gelöscht" not in notice
    assert await revision(dash) == before + 3
    gone = await dash.bot.send("admin", "/faq parken")
    assert "keinen Eintrag „parken“" in gone.text or "no entry “parken”" in gone.text
    actions = await audit_actions(dash)
    for action in ("web:faq:add", "web:faq:edit", "web:faq:remove"):
        assert action in actions
    assert (await office.get("/faq/parken/edit"))[0] == 404


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_bad_entry_shows_the_field_error_and_keeps_every_value(
    dash: Dashboard, office: SignedIn, lang: str
) -> None:
    if lang == "en":
        await in_english(office)
    before = (await entry_ids(dash), await revision(dash))
    missing_answer = {**NEW_ENTRY, "ade": ""}
    status, page = await office.post("/faq/new", missing_answer)
    assert status == 422
    error = re.search(r'<p class="field-error" id="f-ade-error">([^<]*)</p>', page)
    assert error is not None
    expected = "Antwort auf Deutsch" if lang == "de" else "Answer in German"
    assert expected in text_of(error.group(1))
    assert 'id="f-ade" name="ade" rows="8" aria-invalid="true"' in page
    shown = text_of(page)
    for value in (
        "Darf ich mein Auto vor der Aula abstellen?",
        "free guest parking",
        "Parken; parking",
    ):
        assert value in shown
    assert 'value="parken"' in page

    status, page = await office.post("/faq/new", {**NEW_ENTRY, "id": "Park platz!"})
    assert status == 422 and 'id="f-id-error"' in page and 'value="Park platz!"' in page
    status, page = await office.post("/faq/new", {**NEW_ENTRY, "id": "beitrag"})
    assert status == 422 and 'id="f-id-error"' in page
    assert ("schon vergeben" if lang == "de" else "already taken") in page
    status, page = await office.post("/faq/beitrag/edit", {**NEW_ENTRY, "qde": "", "qen": ""})
    assert status == 422 and 'id="f-qde-error"' in page
    # A phrasing longer than a question can be is refused, not cut without a word.
    status, page = await office.post("/faq/new", {**NEW_ENTRY, "qen": "Where? " * 100})
    assert status == 422 and 'id="f-qen-error"' in page
    assert ("höchstens 500 Zeichen" if lang == "de" else "at most 500 characters") in page
    assert (await entry_ids(dash), await revision(dash)) == before


BAD_IMPORT = """
[[faq]]
id = "parken"
question.de = ["Wo kann ich parken?"]
answer.de = "Vor dem Haus."

[[faq]]
id = "kaputt"
question.de = ["Frage ohne Antwort?"]
question.en = ["A question without an answer?"]
answer.de = "Nur deutsch."
"""


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_import_with_a_bad_entry_writes_nothing(
    dash: Dashboard, office: SignedIn, lang: str
) -> None:
    if lang == "en":
        await in_english(office)
    before = (await entry_ids(dash), await revision(dash))
    status, page = await office.post("/faq/import", {"text": BAD_IMPORT})
    assert status == 422
    shown = text_of(page)
    assert ("Nichts importiert" if lang == "de" else "Nothing imported") in shown
    # the problem in the admin's language, with the field's name on the edit form
    if lang == "de":
        assert "Eintrag 2 (Zeile 7): Zu den Fragen in dieser Sprache fehlt noch" in shown
        assert "„Antwort auf Englisch“" in shown
    else:
        assert "Entry 2 (line 7): The questions in that language still need" in shown
        assert "“Answer in English”" in shown
    assert "Nur deutsch." in shown  # the pasted text stays, to be fixed
    assert (await entry_ids(dash), await revision(dash)) == before
    status, page = await office.post("/faq/import", {"text": "[[faq]\nid ="})
    broken = (
        "kein gültiges TOML: Fehler in Zeile 1"
        if lang == "de"
        else "not valid TOML: error in line 1"
    )
    assert status == 422 and broken in text_of(page), text_of(page)
    assert "&#x27;" not in text_of(page) and "&amp;" not in text_of(page)  # escaped once
    assert (await entry_ids(dash), await revision(dash)) == before
    assert "web:faq:import" not in await audit_actions(dash)

    # A binary file (a Word document saved as .toml): said so, not "too large"
    form = aiohttp.FormData()
    form.add_field("csrf", office.csrf)
    form.add_field("file", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), filename="faq.toml")
    async with office.client.post(dash.url + "/faq/import", data=form) as response:
        assert response.status == 422
        refused = await response.text()
    assert ("als TOML in UTF-8" if lang == "de" else "save it as TOML in UTF-8") in refused
    assert (await entry_ids(dash), await revision(dash)) == before

    # A good file, uploaded: written, counted, and the chat answers from it.
    good = BAD_IMPORT.replace(
        'answer.de = "Nur deutsch."', 'answer.de = "Nur deutsch."\nanswer.en = "Only German."'
    )
    form = aiohttp.FormData()
    form.add_field("csrf", office.csrf)
    form.add_field("file", good.encode(), filename="faq.toml", content_type="application/toml")
    async with office.client.post(
        dash.url + "/faq/import", data=form, allow_redirects=False
    ) as response:
        assert response.status == 303
        target = response.headers["Location"]
    assert "added=2" in target
    status, page = await office.get(target)
    done = "Import fertig: 2 neu, 0 geändert" if lang == "de" else "Import done: 2 new, 0 changed"
    assert done in page
    assert await revision(dash) == before[1] + 1
    assert {"parken", "kaputt"} <= set(await entry_ids(dash))
    assert "Vor dem Haus" in (await dash.bot.send("admin", "/faq parken")).text
    assert "web:faq:import" in await audit_actions(dash)


async def test_the_export_imports_back_unchanged(dash: Dashboard, office: SignedIn) -> None:
    tricky = {
        **NEW_ENTRY,
        "ade": 'Zeile eins mit "Anführungszeichen" und C:\\Pfad\\n\n\nZeile zwei',
        "aen": "Tab\there, a backslash \\ and # no comment",
        "tags": "",
    }
    assert (await office.post("/faq/new", tricky))[0] == 303
    async with office.client.get(dash.url + "/faq/export") as response:
        assert response.status == 200
        assert "attachment" in response.headers["Content-Disposition"]
        exported = await response.text()
    assert exported.count("\n[[faq]]\n") == len(await entry_ids(dash))
    stored = await all_entries(dash.bot.app.services)
    assert parse_kb(exported) == stored
    before = await revision(dash)
    form = {"csrf": office.csrf, "text": exported}
    async with office.client.post(
        dash.url + "/faq/import", data=form, allow_redirects=False
    ) as response:
        assert response.status == 303
        target = response.headers["Location"]
    count = len(stored)
    assert f"added=0&updated=0&unchanged={count}" in target
    assert f"0 neu, 0 geändert, {count} unverändert" in (await office.get(target))[1]
    assert await revision(dash) == before  # nothing changed, nothing bumped
    assert await all_entries(dash.bot.app.services) == stored


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_try_a_question_shows_answer_choices_or_hand_off(
    dash: Dashboard, office: SignedIn, lang: str
) -> None:
    if lang == "en":
        await in_english(office)
    status, page = await office.get("/faq/try?question=Wie+hoch+ist+der+Mitgliedsbeitarg%3F")
    shown = text_of(page)
    assert status == 200 and ("Direkte Antwort" if lang == "de" else "Direct answer") in shown
    chosen = re.search(
        r'<tr class="faq-chosen">\s*<td class="stack-head"><a href="#entry-([a-z0-9_-]+)"', page
    )
    assert chosen is not None and chosen.group(1) == "beitrag"
    assert "mitgliedsbeitarg" in shown.lower()  # the matched word is shown

    async with office.client.get(
        dash.url + "/faq/try?question=Kosten", headers={"HX-Request": "true"}
    ) as response:
        partial = await response.text()
    assert "<html" not in partial  # htmx gets the result only
    assert ("Auswahl" if lang == "de" else "Choices") in partial
    assert len(re.findall(r'<tr class="faq-chosen">', partial)) >= 2
    # The explanation names both floors: the choices may come from the lower one.
    assert ("ab 0,20, wenn" if lang == "de" else "from 0.20 when") in partial

    status, page = await office.get("/faq/try?question=Kann+ich+meinen+Hund+mitbringen%3F")
    expected = "An die Geschäftsstelle" if lang == "de" else "Handed to the office"
    assert expected in text_of(page) and "faq-chosen" not in page
    status, page = await office.get("/faq/try?question=Hallo!")
    assert ("Smalltalk" if lang == "de" else "Small talk") in page
    status, page = await office.get("/faq/try?question=How+much+is+the+fee%3F&qlang=en")
    assert ("gelesen als Englisch" if lang == "de" else "read as English") in page
    # Trying logs nothing and opens no ticket.
    async with dash.bot.db.session() as session:
        assert (await faq.counts(session)).questions == 0


async def test_each_entry_shows_how_it_performs(dash: Dashboard, office: SignedIn) -> None:
    await dash.bot.onboard("mia")
    answered = await dash.bot.send("mia", "Wie hoch ist der Mitgliedsbeitarg?")
    await dash.bot.press("mia", answered.button("👎"))
    offered = await dash.bot.send("mia", "Kosten")
    await dash.bot.press("mia", offered.button("Exkursionen"))
    await dash.bot.send("mia", "Kann ich meinen Hund mitbringen?")
    status, page = await office.get("/faq")
    assert status == 200

    def entry(entry_id: str) -> str:
        part = page[page.index(f'id="entry-{entry_id}"') :]
        return text_of(part[: part.index("</article>")])

    async with dash.bot.db.session() as session:
        logged = list((await session.execute(select(FaqQuestion))).scalars())
    for entry_id in ("beitrag", "exkursionen"):
        asked = sum(entry_id in question.entry_ids for question in logged)
        assert asked >= 1 and f"{asked}× vorgeschlagen (Antwort oder Auswahl)" in entry(entry_id)
    assert "1× direkt beantwortet" in entry("beitrag") and "1× nicht hilfreich 👎" in entry(
        "beitrag"
    )
    assert "1× aus der Auswahl gewählt" in entry("exkursionen")
    assert "0× direkt beantwortet" in entry("exkursionen")
