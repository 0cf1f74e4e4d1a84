"""The dashboard's partner-requests page: the office's partner inbox and forwarding a request by
hand (the member is asked first), on SQLite and PostgreSQL, in German and English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage import members, partners
from storage.partners import PartnerIntroduction
from tests.harness import fixed_clock
from tests.partners_fixtures import buttons, import_members, office_request, outbox
from tests.test_web_members import audit_actions, sign_in
from tests.web_harness import Dashboard, SignedIn, dashboard_for


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await sign_in(dash)
    yield client
    await client.close()


async def test_forwarding_by_hand_asks_the_member_first(dash: Dashboard, office: SignedIn) -> None:
    ids = await import_members(dash.bot)
    number = await office_request(dash, ids["req"], "Wir suchen Catering für das Sommerfest")
    status, html = await office.get("/partners")
    assert status == 200 and "1 Anfrage, zu der niemand passte" in html
    assert "Sommerfest" in html and "Test Kupferhütte" in html
    _, html = await office.get("/partners?lang=en")
    assert "1 request nobody fitted" in html
    _, html = await office.get(f"/partners/{number}/forward?q=Logistik")
    assert "Harz Logistik" in html and "Anfrage senden" in html
    _, html = await office.get(f"/partners/{number}/forward?q=Kupferh%C3%BCtte")
    assert "stellt die Anfrage" in html  # the requester cannot be picked
    status, html = await office.post(f"/partners/{number}/forward", {"member": str(ids["kira"])})
    assert status == 200 and "an Harz Logistik (fiktiv) senden?" in html and "Ja, senden" in html
    assert await outbox(dash.bot, "partner_request") == []  # nothing sent before the yes
    status, _ = await office.post(
        f"/partners/{number}/forward", {"member": str(ids["kira"]), "confirm": "1"}
    )
    assert status == 303
    sent = await outbox(dash.bot, "partner_request")
    assert [m.member_id for m in sent] == [ids["kira"]]
    text = str(sent[0].payload["text"])
    assert "Sommerfest" in text and "req@example.org" not in text  # no contact before the yes
    assert "Clustergeschäftsstelle leitet sie Ihnen weiter" in text, text  # not the bot's pick
    assert [b.split(":")[:2] for b in buttons(sent[0])] == [["pi", "yes"], ["pi", "no"]]
    # the requester, told the office would look in person, hears that it did, not whom
    [told] = [m for m in await outbox(dash.bot, "partner_update") if m.member_id == ids["req"]]
    told_text = str(told.payload["text"])
    assert f"hat Ihre Anfrage #{number} an ein Mitglied weitergegeben" in told_text, told_text
    assert "Harz Logistik" not in told_text
    async with dash.bot.db.session() as session:
        intro = (await session.execute(select(PartnerIntroduction))).scalar_one()
        request = await partners.get_request(session, number)
    assert intro.manual and intro.state == partners.SENT and intro.recipient_id == ids["kira"]
    assert request is not None and request.status == partners.OPEN
    _, html = await office.get(f"/partners?forwarded={number}-{ids['kira']}")
    assert "1 offene Anfrage, noch keine Kontaktdaten getauscht" in html
    assert "noch keine Antwort" in html
    assert "von Hand" in html and "Harz Logistik" in html
    # the line on top names whom it went to and what happens next
    assert f"ging an Harz Logistik (fiktiv) (Mitglied #{ids['kira']})" in html, html
    assert "Kontakte werden erst getauscht" in html
    status, html = await office.post(
        f"/partners/{number}/forward", {"member": str(ids["kira"]), "confirm": "1"}
    )
    assert status == 422 and "hat diese Anfrage schon" in html
    assert len(await outbox(dash.bot, "partner_request")) == 1
    assert "web:partners:forward" in await audit_actions(dash)
    # The member answers in the chat: the inbox shows it.
    await dash.bot.press("kira", buttons(sent[0])[0])
    _, html = await office.get("/partners")
    assert "interessiert, wartet auf Zusage" in html


async def test_dates_are_shown_as_on_the_other_pages(dash: Dashboard, office: SignedIn) -> None:
    # Sent 23:30 UTC yesterday is past midnight in Berlin: the page shows the network's day,
    # in the page's language, as the members page and the chat's /partner_inbox do.
    sent = datetime.now(UTC).replace(hour=23, minute=30, second=0, microsecond=0)
    sent -= timedelta(days=1)
    berlin = (sent + timedelta(days=1)).date()
    dash.bot.app.services.clock = fixed_clock(sent)
    ids = await import_members(dash.bot)
    number = await office_request(dash, ids["req"], "Wir suchen Catering für das Sommerfest")
    for path in ("/partners", f"/partners/{number}/forward"):
        _, german = await office.get(path)
        _, english = await office.get(path + "?lang=en")
        assert f"{berlin:%d.%m.%Y}" in german and f"{sent:%Y-%m-%d}" not in german, path
        assert f"{berlin:%Y-%m-%d}" in english and f"{berlin:%d.%m.%Y}" not in english, path
        assert "23:30" not in german + english and "T23" not in german + english


async def test_forwarding_starts_with_the_members_closest_to_the_request(
    dash: Dashboard, office: SignedIn
) -> None:
    # A request at the office: forwarding it by hand starts with the members the partner
    # search finds closest, before any search by name.
    ids = await import_members(dash.bot)
    number = await office_request(
        dash,
        ids["anna"],
        "Wer kann Gefahrgut zu unserem Sommerfest fahren und Kupferkabel sortieren?",
    )
    async with dash.bot.db.session() as session:
        eva = await members.get_member(session, ids["eva"])
        assert eva is not None
        eva.partner_consent = False  # sorts scrap with sensors, but wants no requests
    _, html = await office.get(f"/partners/{number}/forward")
    closest = html.split('id="closest"')[1].split("</section>")[0]
    assert "Passen am ehesten" in html and "Harz Logistik" in closest, closest
    assert closest.count("Anfrage senden") == closest.count("<tr>") - 1  # each can be asked
    # never the requester's own organisation, nor a member who wants no requests
    assert "Okertal" not in closest and "Brocken Sensorik" not in closest
    # one asked already is not suggested again
    status, _ = await office.post(
        f"/partners/{number}/forward", {"member": str(ids["kira"]), "confirm": "1"}
    )
    assert status == 303
    _, html = await office.get(f"/partners/{number}/forward?lang=en")
    closest = html.split('id="closest"')[1].split("</section>")[0]
    assert "Closest fits" in html and "Harz Logistik" not in closest
    assert "Asked already: 1 more member who fits" in closest, closest  # not left unsaid
    # a search shows what it found instead
    _, html = await office.get(f"/partners/{number}/forward?q=Zink")
    assert 'id="closest"' not in html and "Harz Zinkhütte" in html


async def test_a_request_sharing_only_everyday_words_gets_no_suggestions(
    dash: Dashboard, office: SignedIn
) -> None:
    ids = await import_members(dash.bot)
    number = await office_request(dash, ids["req"], "Wir suchen Catering für das Sommerfest")
    _, html = await office.get(f"/partners/{number}/forward")
    assert "Kein Mitglied, das die Anfrage erreichen kann" in html
    assert "Anfrage senden" not in html


async def test_when_those_closest_have_the_request_the_page_says_so(
    dash: Dashboard, office: SignedIn
) -> None:
    ids = await import_members(dash.bot)
    number = await office_request(dash, ids["req"], "Wir brauchen einen Spediteur für Gefahrgut")
    status, _ = await office.post(
        f"/partners/{number}/forward", {"member": str(ids["kira"]), "confirm": "1"}
    )
    assert status == 303
    _, html = await office.get(f"/partners/{number}/forward")
    assert "Das Mitglied, das am ehesten passt, wurde schon gefragt" in html, html
    assert "Kein Mitglied, das die Anfrage erreichen kann" not in html
