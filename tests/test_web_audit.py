"""The dashboard's audit log: filtered by admin, the start of the action and days in the
network's time zone, paginated; on SQLite and PostgreSQL, in German and English."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_router
from bot.i18n import catalogue
from handlers import audit as audit_detail
from storage import audit
from storage.models import AuditEntry
from tests.test_broadcast import network, start_broadcast
from tests.test_event_poll_audience import LUNCH, lunch_event
from tests.test_web_members import sign_in
from tests.web_harness import Dashboard, SignedIn, dashboard_for
from web.pages.audit import PRESSED_WORDS, action_label


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await sign_in(dash)
    yield client
    await client.close()


async def test_the_audit_log_filters_by_admin_action_and_day(
    dash: Dashboard, office: SignedIn
) -> None:
    await dash.bot.onboard("ada")
    ada = await dash.bot.member("ada")
    admin = await dash.bot.member("admin")
    assert ada is not None and admin is not None
    rows = [
        # 23:30 Berlin on 1 March (UTC+1)
        (admin.id, "web:members:role", datetime(2026, 3, 1, 22, 30, tzinfo=UTC), "early"),
        # 00:30 Berlin on 2 March
        (admin.id, "web:partners:forward", datetime(2026, 3, 1, 23, 30, tzinfo=UTC), "midnight"),
        (ada.id, "web:members:import", datetime(2026, 3, 2, 12, 0, tzinfo=UTC), "ada's"),
        (admin.id, "broadcast", datetime(2026, 3, 3, 9, 0, tzinfo=UTC), "later"),
    ]
    async with dash.bot.db.session() as session:
        for actor, action, at, detail in rows:
            session.add(
                AuditEntry(actor_member_id=actor, action=action, allowed=True, detail=detail, at=at)
            )
    _, html = await office.get("/audit?action=web:members")
    assert "early" in html and "ada&#39;s" in html and "midnight" not in html
    _, html = await office.get(f"/audit?admin={ada.id}")
    assert "1 Eintrag" in html and "ada&#39;s" in html and "early" not in html
    _, html = await office.get("/audit?from=2026-03-02&to=2026-03-02")
    assert "midnight" in html and "ada&#39;s" in html and "early" not in html
    assert "later" not in html and "2 Einträge" in html
    _, html = await office.get("/audit?from=2026-03-03&lang=en")
    assert "Audit log" in html and "later" in html and "early" not in html
    _, html = await office.get("/audit?action=web%3Amembers&admin=&from=nonsense")
    assert "early" in html  # a date that is none is no filter
    async with dash.bot.db.session() as session:
        found, total = await audit.search(session, action_prefix="web:", offset=1, limit=1)
    assert total >= 3 and len(found) == 1


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_admin_command_and_button_reads_as_words_in_the_log(lang: str) -> None:
    router = build_router()
    actions = [f"command:{c.name}" for c in router.unique_commands() if c.admin]
    actions += [f"button:{prefix}" for prefix, (_h, admin) in router.buttons.items() if admin]
    assert [a for a in actions if action_label(lang, a) is None] == []


async def test_the_action_filter_offers_labels_and_finds_that_action_only(
    dash: Dashboard, office: SignedIn
) -> None:
    admin = await dash.bot.member("admin")
    assert admin is not None
    at = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    async with dash.bot.db.session() as session:
        for action, detail in (("command:broadcast", "one"), ("command:broadcasts", "other")):
            session.add(
                AuditEntry(
                    actor_member_id=admin.id, action=action, allowed=True, detail=detail, at=at
                )
            )
    _, html = await office.get("/audit")
    assert '<option value="command:broadcast">Rundschreiben (Chat)</option>' in html
    _, html = await office.get("/audit?action=command:broadcast")
    assert ">one<" in html and ">other<" not in html and "1 Eintrag" in html


async def test_a_chat_broadcast_reads_in_the_language_the_log_is_read_in(
    dash: Dashboard, office: SignedIn
) -> None:
    """The admin broadcast in the chat; the log names the audience and count in words, in
    German or English as the page is shown, not as the chat's English note."""
    await network(dash.bot)
    asked = await start_broadcast(dash.bot)
    preview = await dash.bot.press("admin", asked.button("Alle"))
    await dash.bot.press("admin", preview.button("Senden"))
    _, html = await office.get("/audit?action=broadcast")
    assert "Rundschreiben #1 an alle Mitglieder, die Neuigkeiten möchten: 3 Empfänger" in html
    assert "to all:" not in html
    _, html = await office.get("/audit?action=broadcast&lang=en")
    assert "Broadcast #1 to all members who want news: 3 recipients" in html


async def test_a_sent_event_poll_shows_who_sent_which_question_to_whom(
    dash: Dashboard, office: SignedIn
) -> None:
    """The office reads in the log which poll went to whom and to how many: one only to those
    signed up, one to everyone; a preview discarded sends nothing and logs no poll."""
    number = await lunch_event(dash.bot)
    shown = await dash.bot.send("admin", f"/eventpoll {number} {LUNCH}")
    await dash.bot.press("admin", shown.button("Nur an Angemeldete"))
    dates = f"/eventpoll {number} Welcher Termin passt? | Montag | Dienstag"
    shown = await dash.bot.send("admin", dates)
    await dash.bot.press("admin", shown.button("Verwerfen"))
    shown = await dash.bot.send("admin", dates)
    await dash.bot.press("admin", shown.button("An alle senden"))
    _, html = await office.get("/audit?action=eventpoll")
    assert "2 Einträge" in html and "Umfrage zu einer Veranstaltung verschickt (Chat)" in html
    assert (
        f"Umfrage „Mittagessen gewünscht?“ zu Veranstaltung #{number} an nur die Angemeldeten "
        "(bestätigter Platz): 2 Empfänger<"
    ) in html, html
    assert (
        f"Umfrage „Welcher Termin passt?“ zu Veranstaltung #{number} an alle, für die die "
        "Veranstaltung ist: 4 Empfänger"
    ) in html, html
    _, html = await office.get("/audit?action=eventpoll&lang=en")
    assert "Event poll sent (chat)" in html
    assert (
        f"Poll “Mittagessen gewünscht?” on event #{number} to only those signed up "
        "(confirmed place): 2 recipients<"
    ) in html, html
    assert (
        f"Poll “Welcher Termin passt?” on event #{number} to everyone the event is for: "
        "4 recipients"
    ) in html, html


async def test_details_show_times_in_the_network_zone_and_old_text_as_it_was(
    dash: Dashboard, office: SignedIn
) -> None:
    await dash.bot.onboard("ada")
    ada = await dash.bot.member("ada")
    admin = await dash.bot.member("admin")
    assert ada is not None and admin is not None
    status, _ = await office.post(f"/members/{ada.id}/role", {"to": "admin"})
    assert status == 303
    # 08:30 UTC on Friday 12 March 2027 is 09:30 in Berlin.
    scheduled = audit_detail.broadcast_queued(
        4,
        "kind:university",
        2,
        file_name="programm.pdf",
        send_at=datetime(2027, 3, 12, 8, 30, tzinfo=UTC),
    )
    cancelled = audit_detail.event_cancelled(7, 1, "Sturm <b>")
    async with dash.bot.db.session() as session:
        await audit.record(
            session, actor_member_id=admin.id, action="broadcast", allowed=True, detail=scheduled
        )
        await audit.record(
            session, actor_member_id=admin.id, action="cancelevent", allowed=True, detail=cancelled
        )
        # An entry from before details were data: its text as it was written.
        await audit.record(
            session,
            actor_member_id=admin.id,
            action="broadcast",
            allowed=True,
            detail="#3 to yp: 5",
        )
    _, html = await office.get("/audit")
    assert (
        "Rundschreiben #4 an Mitglieder der Art „Hochschule“: 2 Empfänger, "
        "mit Datei „programm.pdf“, geplant für Fr 12.03.2027, 09:30 Uhr"
    ) in html
    assert "Veranstaltung #7 abgesagt, 1 Person benachrichtigt; Grund: „Sturm &lt;b&gt;“" in html
    assert f"Mitglied {ada.id} ist jetzt Admin" in html
    assert "#3 to yp: 5" in html and "audit." not in html
    _, html = await office.get("/audit?lang=en")
    assert (
        "Broadcast #4 to members of the kind “university”: 2 recipients, "
        "with the file “programm.pdf”, scheduled for Fri 2027-03-12, 09:30"
    ) in html
    assert "Event #7 cancelled, 1 person told; reason: “Sturm &lt;b&gt;”" in html
    assert f"Member {ada.id} is now an admin" in html and "#3 to yp: 5" in html
    # Filtering finds the data entries as it found the text ones.
    _, html = await office.get("/audit?action=web:members&lang=en")
    assert "1 entry" in html and f"Member {ada.id} is now an admin" in html
    assert "Broadcast #4" not in html


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_detail_the_handlers_build_has_a_text(lang: str) -> None:
    """Each `audit.*` key named in the code reads as words in both languages."""
    root = Path(__file__).parent.parent
    used: set[str] = set()
    for folder in ("handlers", "web"):
        for source in (root / folder).rglob("*.py"):
            used.update(re.findall(r'"(audit\.[a-z_]+)"', source.read_text(encoding="utf-8")))
    assert len(used) > 20
    texts = catalogue(lang)
    assert sorted(k for k in used if k not in texts and f"{k}.other" not in texts) == []


async def test_a_button_press_shows_its_payload_as_code_and_a_long_detail_wraps(
    dash: Dashboard, office: SignedIn
) -> None:
    admin = await dash.bot.member("admin")
    assert admin is not None
    async with dash.bot.db.session() as session:
        session.add(
            AuditEntry(
                actor_member_id=admin.id, action="button:evf", allowed=True, detail="evf:zz:other"
            )
        )
    _, html = await office.get("/audit")
    assert re.search(r'class="audit-detail"><code class="muted">evf:zz:other</code>', html), html
    css = (Path(__file__).parent.parent / "web" / "static" / "style.css").read_text("utf-8")
    assert re.search(r"\.audit-detail \{[^}]*overflow-wrap: anywhere", css)


async def test_a_button_pressed_in_the_chat_is_named_by_its_words(
    dash: Dashboard, office: SignedIn
) -> None:
    # the walkthrough's office read "evf:kind:…" alone and could not tell what was pressed
    asked = await dash.bot.send("admin", "/neuertermin")
    payload = asked.button("Exkursion")
    assert payload.startswith("evf:kind:"), asked.buttons
    await dash.bot.press("admin", payload)
    _, html = await office.get("/audit")
    assert re.search(
        rf'class="audit-detail"><strong>[^<]*Exkursion</strong> <code class="muted">{payload}<',
        html,
    ), html


async def test_a_labelled_action_shows_its_words_not_its_code(
    dash: Dashboard, office: SignedIn
) -> None:
    # the walkthrough's office could not read "web:sign_in" under "Am Dashboard angemeldet"
    _, html = await office.get("/audit")
    cell = re.search(r'data-label="Aktion">(.*?)</td>', html)
    assert cell is not None, html
    assert "<code" not in cell.group(1) and 'title="web:sign_in"' in cell.group(1), cell.group(1)


@pytest.mark.parametrize(
    ("lang", "skip", "everyone", "save"),
    [
        ("de", "Ohne Bild oder Datei", "Alle", "Speichern"),
        ("en", "Without image or file", "Everyone", "Save"),
    ],
)
async def test_a_press_whose_words_were_not_kept_is_named_by_its_payload(
    dash: Dashboard, office: SignedIn, lang: str, skip: str, everyone: str, save: str
) -> None:
    # the walkthrough's office read "bc:file:skip:e3d5c1" (pressed in another demo process)
    admin = await dash.bot.member("admin")
    assert admin is not None
    async with dash.bot.db.session() as session:
        for action, detail in (
            ("button:bc", "bc:file:skip:e3d5c1"),
            ("button:bc", "bc:audience:all:e3d5c1"),
            ("button:evc", "evc:save:4:a1b2c3"),
        ):
            session.add(
                AuditEntry(actor_member_id=admin.id, action=action, allowed=True, detail=detail)
            )
    _, html = await office.get(f"/audit?lang={lang}")
    for words, code in (
        (skip, "bc:file:skip:e3d5c1"),
        (everyone, "bc:audience:all:e3d5c1"),
        (save, "evc:save:4:a1b2c3"),
    ):
        assert re.search(
            rf'class="audit-detail"><strong>{words}</strong> <code class="muted">{code}<', html
        ), (words, html)


def test_every_payload_pattern_names_words_in_both_languages() -> None:
    for lang in ("de", "en"):
        texts = catalogue(lang)
        for pattern, key in PRESSED_WORDS:
            if "{}" not in key:
                assert key in texts, (lang, pattern, key)
