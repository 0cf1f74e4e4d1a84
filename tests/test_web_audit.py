"""The dashboard's audit log: filtered by admin, the start of the action and days in the
network's time zone, paginated; on SQLite and PostgreSQL, in German and English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app import build_router
from storage import audit
from storage.models import AuditEntry
from tests.test_web_members import sign_in
from tests.web_harness import Dashboard, SignedIn, dashboard_for
from web.pages.audit import action_label


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
