"""The dashboard's overview as the office reads it: what needs attention (a partner request
nobody fitted among it) and the four charts, each drawn from counts seeded through storage,
with the right numbers in its SVG, in German and English, without any script; on SQLite and
PostgreSQL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from handlers.partners.rules import REQUEST_TTL
from handlers.trends import SIGNUP_DAYS, WEEKS, week_starts
from storage import broadcasts, members, partners, signups
from storage.events import Event, EventSignup
from storage.faq import REFUSED, FaqQuestion
from storage.models import Account, OutboxMessage
from tests.web_harness import Dashboard, SignedIn, dashboard_for
from web.charts import stylesheet

BERLIN = "Europe/Berlin"


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await dash.signed_in()
    yield client
    await client.close()


def chart(html: str, kind: str) -> ET.Element:
    """The inline SVG of one chart, parsed."""
    found = re.search(
        rf'<svg xmlns="http://www.w3.org/2000/svg" id="chart-{kind}".*?</svg>', html, re.S
    )
    assert found, f"no {kind} chart"
    return ET.fromstring(found.group(0))


def series(svg: ET.Element) -> dict[str, list[str]]:
    """Legend name -> the values pygal drew for that series, in order of the x labels."""
    ns = "{http://www.w3.org/2000/svg}"
    names = [t.text or "" for t in svg.iter(f"{ns}text") if _in_legend(svg, t)]
    values: dict[int, list[str]] = {}
    for group in svg.iter(f"{ns}g"):
        classes = (group.get("class") or "").split()
        if "series" in classes and "text-overlay" not in classes:
            number = next(int(c[6:]) for c in classes if c.startswith("serie-"))
            found = [d.text or "" for d in group.iter(f"{ns}desc") if d.get("class") == "value"]
            if found:
                values[number] = found
    return {name: values.get(i, []) for i, name in enumerate(names)}


def _in_legend(svg: ET.Element, text: ET.Element) -> bool:
    ns = "{http://www.w3.org/2000/svg}"
    return any(
        text in list(legend.iter(f"{ns}text"))
        for legend in svg.iter(f"{ns}g")
        if "legend" in (legend.get("class") or "").split()
    )


def x_labels(svg: ET.Element) -> list[str]:
    ns = "{http://www.w3.org/2000/svg}"
    for group in svg.iter(f"{ns}g"):
        if (group.get("class") or "").split()[:2] == ["axis", "x"]:
            return [t.text or "" for t in group.iter(f"{ns}text")]
    return []


async def member_id(dash: Dashboard, user: str) -> int:
    await dash.bot.send(user, "/help")
    found = await dash.bot.member(user)
    assert found is not None
    return found.id


# ---- no data ------------------------------------------------------------------------------


async def test_without_data_each_chart_says_so_and_nothing_needs_attention(
    office: SignedIn,
) -> None:
    status, html = await office.get("/")
    assert status == 200 and "Gerade wartet nichts auf Sie." in html
    assert html.count("Noch nicht genug Daten für dieses Diagramm.") == 3
    # The admin who signed in has a console account: the platform chart has one member.
    assert 'id="chart-activity"' in html
    _, html = await office.get("/?lang=en")
    assert html.count("Not enough data for this chart yet.") == 3


# ---- attention ----------------------------------------------------------------------------


async def test_a_partner_request_nobody_fitted_needs_attention(
    dash: Dashboard, office: SignedIn
) -> None:
    requester = await member_id(dash, "req")
    now = datetime.now(UTC)
    async with dash.bot.db.session() as session:
        request = await partners.create_request(
            session,
            requester_id=requester,
            text="Wir suchen Catering für das Sommerfest",
            lang="de",
            now=now,
            ttl=REQUEST_TTL,
        )
        request.status, request.sent_at = partners.OFFICE, now
        # One sent to members is not "nobody fitted"; an expired one is gone.
        sent = await partners.create_request(
            session, requester_id=requester, text="x", lang="de", now=now, ttl=REQUEST_TTL
        )
        sent.status, sent.sent_at = partners.OPEN, now
        old = await partners.create_request(
            session, requester_id=requester, text="y", lang="de", now=now, ttl=REQUEST_TTL
        )
        old.status, old.sent_at, old.expires_at = partners.OFFICE, now, now - timedelta(hours=1)
    _, html = await office.get("/")
    assert '<a href="/partners">1 Partneranfrage, zu der kein Mitglied passte</a>' in html
    assert "Gerade wartet nichts" not in html
    _, html = await office.get("/?lang=en")
    assert "1 partner request nobody fitted" in html
    # The chat's partner inbox counts the same request.
    inbox = await dash.bot.send("admin", "/partner_inbox")
    assert "Ohne passendes Mitglied (1)" in inbox.text


# ---- charts -------------------------------------------------------------------------------


async def test_questions_per_week_split_by_decision(dash: Dashboard, office: SignedIn) -> None:
    asker = await member_id(dash, "anna")
    now = datetime.now(UTC)
    tz = dash.bot.app.services.settings.network.tz
    weeks = week_starts(now, tz, WEEKS)
    this_week, two_back = weeks[-2], weeks[-4]
    seeded = [
        (this_week, "answer"),
        (this_week, "answer"),
        (this_week, "choices"),
        (this_week, "handoff"),
        (two_back + timedelta(hours=1), "handoff"),
        (two_back + timedelta(hours=1), "answer"),
        (weeks[0] - timedelta(minutes=1), "answer"),  # before the window: not drawn
    ]
    async with dash.bot.db.session() as session:
        for asked_at, decision in seeded:
            session.add(
                FaqQuestion(
                    member_id=asker,
                    asked_at=min(asked_at.astimezone(UTC), now),
                    text="Frage",
                    lang="de",
                    decision=decision,
                )
            )
    _, html = await office.get("/")
    svg = chart(html, "questions")
    labels = x_labels(svg)
    assert len(labels) == WEEKS and labels[-1] == f"KW {this_week.isocalendar().week}"
    drawn = series(svg)
    assert drawn["beantwortet"] == ["0"] * (WEEKS - 3) + ["1", "0", "2"]
    assert drawn["Auswahl angeboten"][-1] == "1" and drawn["an die Geschäftsstelle"][-3] == "1"
    assert sum(int(v or 0) for values in drawn.values() for v in values) == 6
    _, html = await office.get("/?lang=en")
    svg = chart(html, "questions")
    assert x_labels(svg)[-1] == f"W{this_week.isocalendar().week}"
    drawn = series(svg)
    assert drawn["answered"][-1] == "2" and drawn["handed to the office"][-1] == "1"
    assert drawn["choices offered"][-1] == "1"
    # no question was refused: neither the legend nor the note names that case
    assert not any("open already" in name for name in drawn), drawn
    assert "not passed on" not in html and "open questions" not in html


async def test_the_note_names_questions_not_passed_on_only_beside_their_legend(
    dash: Dashboard, office: SignedIn
) -> None:
    asker = await member_id(dash, "anna")
    now = datetime.now(UTC)
    async with dash.bot.db.session() as session:
        for decision in ("answer", REFUSED):
            session.add(
                FaqQuestion(member_id=asker, asked_at=now, text="F", lang="de", decision=decision)
            )
    _, html = await office.get("/?lang=en")
    drawn = series(chart(html, "questions"))
    assert any("not passed on" in name for name in drawn), drawn
    assert "as the member already had" in html


async def test_signups_add_up_per_day_for_the_next_events(
    dash: Dashboard, office: SignedIn
) -> None:
    ids = [await member_id(dash, name) for name in ("a", "b", "c")]
    now = datetime.now(UTC)
    async with dash.bot.db.session() as session:
        event = Event(
            kind="event",
            title="Recyclingforum Goslar",
            starts_at=now + timedelta(days=10),
            capacity=30,
            status="open",
        )
        past = Event(kind="event", title="Vorbei", starts_at=now - timedelta(days=1), status="open")
        # five quiet meetings before it: the chart shows the event people sign up to
        quiet = [
            Event(
                kind="event",
                title=f"Stammtisch {i}",
                starts_at=now + timedelta(days=i),
                status="open",
            )
            for i in range(1, 6)
        ]
        session.add_all([event, past, *quiet])
        await session.flush()
        for member in ids:
            await signups.join(session, event_id=event.id, member_id=member)
        await signups.join(session, event_id=past.id, member_id=ids[0])
        await session.execute(
            update(EventSignup)
            .where(EventSignup.event_id == event.id, EventSignup.member_id == ids[0])
            .values(created_at=now - timedelta(days=3))
        )
    _, html = await office.get("/")
    svg = chart(html, "signups")
    drawn = series(svg)
    assert list(drawn) == [next(n for n in drawn if n.startswith("Recyclingforum Goslar"))]
    line = drawn[next(iter(drawn))]
    assert len(line) == SIGNUP_DAYS and line[-1] == "3" and line[-4] == "1"
    assert line[0] == "0" and "Vorbei" not in html
    # one event: the heading and the note in the singular, not "1 …" or "den nächsten …"
    assert "Anmeldungen zur nächsten Veranstaltung" in html
    assert "Anmeldungen zu den nächsten Veranstaltungen" not in html
    assert "der nächsten Veranstaltung mit Anmeldungen" in html
    _, html = await office.get("/?lang=en")
    assert "Sign-ups for the next event<" in html and chart(html, "signups") is not None
    assert "for the next event that has any" in html and "next 1 events" not in html


async def test_a_long_event_title_in_the_legend_is_cut_at_a_word(
    dash: Dashboard, office: SignedIn
) -> None:
    """The legend names an event in a line: a long title ends at a word with "…", never
    in the middle of one ("Werkstattgespräch Batterierecyc…")."""
    joined = await member_id(dash, "a")
    async with dash.bot.db.session() as session:
        event = Event(
            kind="event",
            title="Werkstattgespräch Batterierecycling und Schwarzmasse",
            starts_at=datetime.now(UTC) + timedelta(days=4),
            status="open",
        )
        session.add(event)
        await session.flush()
        await signups.join(session, event_id=event.id, member_id=joined)
    _, html = await office.get("/")
    (name,) = series(chart(html, "signups"))
    title = name.rsplit(" (", 1)[0]
    assert title == "Werkstattgespräch…", name


async def test_members_active_per_platform(dash: Dashboard, office: SignedIn) -> None:
    for name in ("a", "b"):
        await member_id(dash, name)
    now = datetime.now(UTC)
    async with dash.bot.db.session() as session:
        quiet = await members.create_member_with_account(
            session,
            platform="matrix",
            user_id="@q:x",
            chat_id=None,
            display_name="Q",
            language="de",
        )
        await members.create_member_with_account(
            session,
            platform="matrix",
            user_id="@n:x",
            chat_id=None,
            display_name="N",
            language="de",
        )
        await session.execute(
            update(Account)
            .where(Account.member_id == quiet.id)
            .values(linked_at=now - timedelta(days=90))
        )
    _, html = await office.get("/")
    svg = chart(html, "activity")
    assert x_labels(svg) == ["Konsole", "Matrix"]  # the page's language
    drawn = series(svg)
    # admin, a, b on the console (all new); two on Matrix, one quiet for 90 days.
    assert drawn == {"mit Konto": ["3", "2"], "aktiv (letzte 30 Tage)": ["3", "1"]}
    assert "Wer zwei Plattformen nutzt, zählt auf beiden." in html
    _, html = await office.get("/?lang=en")
    assert series(chart(html, "activity")) == {
        "with an account": ["3", "2"],
        "active (last 30 days)": ["3", "1"],
    }


async def test_broadcast_delivery_per_recent_broadcast(dash: Dashboard, office: SignedIn) -> None:
    someone = await member_id(dash, "a")
    now = datetime.now(UTC)
    async with dash.bot.db.session() as session:
        made = []
        for statuses in (("sent", "sent", "failed"), ("sent", "pending", "unreachable", "sending")):
            item = await broadcasts.create(
                session,
                created_by=None,
                text="Neuigkeiten",
                audience="all",
                announcements=False,
                send_at=now,
                recipients=len(statuses),
                chats=[],
            )
            made.append(item.id)
            for i, status in enumerate(statuses):
                session.add(
                    OutboxMessage(
                        kind="broadcast",
                        member_id=someone,
                        platform="console",
                        chat_id=f"c{i}",
                        payload={},
                        status=status,
                        broadcast_id=item.id,
                    )
                )
    _, html = await office.get("/")
    svg = chart(html, "delivery")
    assert [label.split(" · ")[0] for label in x_labels(svg)] == [f"Nr. {n}" for n in made]
    assert series(svg) == {
        "zugestellt": ["2", "1"],
        "wartet": ["0", "2"],
        "nicht erreichbar": ["0", "1"],
        "fehlgeschlagen": ["1", "0"],
    }
    # The failed and unreachable messages need attention as well.
    assert "2 Nachrichten kamen in den letzten 7 Tagen nicht an" in html
    _, html = await office.get("/?lang=en")
    svg = chart(html, "delivery")
    assert series(svg)["delivered"] == ["2", "1"] and x_labels(svg)[0].startswith("No. ")
    # slanted, as the weeks are: "No. 1 · 2026-12-04" side by side ran into each other
    assert "rotate(320 " in ET.tostring(svg, encoding="unicode")


# ---- the page is clean for the CSP --------------------------------------------------------


async def test_no_script_and_no_external_reference_in_the_page(
    dash: Dashboard, office: SignedIn
) -> None:
    await member_id(dash, "a")
    _, html = await office.get("/")
    assert "<svg" in html
    # The only script is htmx from our own static files (base.html); none in the charts.
    assert re.findall(r"<script[^>]*>", html) == [
        next(s for s in re.findall(r"<script[^>]*>", html) if 'src="/static/htmx' in s)
    ]
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert svgs and all("script" not in s and "href" not in s and "style=" not in s for s in svgs)
    assert "<style" not in html
    # pygal's stylesheet comes from our origin, behind the sign-in, scoped to each chart.
    status, css = await office.get("/charts.css")
    assert status == 200 and "#chart-questions .color-0" in css and "#0b6e4f" in css.lower()
    assert css == stylesheet() and "url(" not in css and "@import" not in css
