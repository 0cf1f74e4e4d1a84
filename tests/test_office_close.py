"""`/erledigt N` (/close N): the office closes a handed-off question without answering it (the
member signed up through the events offer, or was helped on the phone). The member hears
nothing; the ticket leaves the open questions, is listed as closed, the admins' alerts about
it lose their buttons, and the audit log has it. Admins only; German and English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.messages import plain_text as render_text
from storage import faq
from storage.models import AuditEntry, OutboxMessage
from tests.harness import Harness, make_harness
from tests.test_faq_withdraw import delivered, office_alerts, shown
from tests.test_office_learn import (
    DOG_DE,
    KB,
    STEP_FREE_DE,
    VEGAN_EN,
    answers_to,
    ask_office,
    office,
    ticket,
)

__all__ = ["office"]  # the fixture, used by name

TOKYO_DE = "Wie spät ist es in Tokio?"


async def sent_to(bot: Harness, user: str) -> list[OutboxMessage]:
    """Everything queued for `user` (an office answer, a note, anything)."""
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.member_id == member.id)
        return list((await session.execute(query)).scalars())


async def audited(bot: Harness, action: str) -> list[AuditEntry]:
    async with bot.db.session() as session:
        query = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return list((await session.execute(query)).scalars())


async def test_the_office_closes_a_question_quietly_in_german(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    assert "#2" in await ask_office(office, "otto", TOKYO_DE)
    before = await sent_to(office, "hanna")

    closed = await office.send("admin", "/erledigt 1")
    assert "Ticket #1 ist ohne Antwort erledigt" in closed.text, closed.text
    assert "bekommt keine Nachricht" in closed.text and "/antwort 1" in closed.text
    assert (await ticket(office, 1)).status == faq.CLOSED
    assert (await ticket(office, 2)).status == faq.OPEN
    # the member hears nothing of it
    assert await sent_to(office, "hanna") == before
    assert await answers_to(office, "hanna") == []

    inbox = await office.send("admin", "/posteingang")
    assert "Offene Fragen an die Geschäftsstelle: 1" in inbox.text, inbox.text
    assert DOG_DE not in inbox.text and TOKYO_DE in inbox.text
    assert "Ohne Antwort erledigt (letzte 7 Tage): #1" in inbox.text
    assert "/erledigt N" in inbox.text  # the hint names the command
    # her own list has it no longer as waiting
    assert "keine offenen Fragen" in (await office.send("hanna", "/meinefragen")).text
    assert [(e.detail, e.allowed) for e in await audited(office, "command:close")] == [("1", True)]


async def test_unknown_and_no_longer_open_tickets_are_told_apart(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    assert "#2" in await ask_office(office, "otto", TOKYO_DE)
    assert "#3" in await ask_office(office, "vera", STEP_FREE_DE)
    assert "Es gibt kein Ticket #99." in (await office.send("admin", "/erledigt 99")).text
    await office.send("admin", "/erledigt 1")
    again = await office.send("admin", "/erledigt 1")
    assert "Ticket #1 ist schon ohne Antwort erledigt" in again.text, again.text
    await office.send("admin", "/antwort 2 Dort ist es jetzt Nacht.")
    answered = await office.send("admin", "/erledigt 2")
    assert "Ticket #2 ist schon beantwortet" in answered.text, answered.text
    assert (await ticket(office, 2)).status == faq.ANSWERED
    await office.press("vera", "fqw:3")
    withdrawn = await office.send("admin", "/erledigt 3")
    assert "Ticket #3 hat das Mitglied selbst zurückgezogen" in withdrawn.text, withdrawn.text
    assert (await ticket(office, 3)).status == faq.WITHDRAWN
    missing = await office.send("admin", "/erledigt")
    assert "Da fehlt noch etwas. So geht es: /erledigt <Ticket>" in missing.text, missing.text


async def test_the_office_closes_a_question_in_english(office: Harness) -> None:
    await office.send("admin", "/language en")
    assert "#1" in await ask_office(office, "jan", VEGAN_EN, lang="en")
    closed = await office.send("admin", "/close 1")
    assert "Ticket #1 is closed without an answer" in closed.text, closed.text
    assert "the member gets no message" in closed.text and "/answer 1" in closed.text
    inbox = await office.send("admin", "/inbox")
    assert "Closed without an answer (last 7 days): #1" in inbox.text, inbox.text
    assert "already closed" in (await office.send("admin", "/close 1")).text
    assert "There is no ticket #7." in (await office.send("admin", "/close 7")).text
    help_text = (await office.send("admin", "/help admin")).text
    assert "/close" in help_text, help_text
    assert "without an answer" in (await office.send("admin", "/help close")).text
    assert await answers_to(office, "jan") == []


async def test_help_lists_the_command_for_admins_in_german(office: Harness) -> None:
    listed = (await office.send("admin", "/hilfe admin")).text
    assert "/erledigt" in listed, listed
    one = (await office.send("admin", "/hilfe erledigt")).text
    assert "ohne Antwort" in one and "/close" in one, one


@pytest.mark.parametrize(
    ("command", "refusal"),
    [("/erledigt 1", "Das dürfen nur Admins"), ("/close 1", "Only admins of the cluster")],
)
async def test_a_member_may_not_close_a_question(
    office: Harness, command: str, refusal: str
) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    refused = await office.send("otto", command)
    assert refusal in refused.text, refused.text
    assert (await ticket(office, 1)).status == faq.OPEN
    assert [e.allowed for e in await audited(office, "command:close")] == [False]


async def test_a_closed_question_may_still_be_answered_or_learned(office: Harness) -> None:
    """Closed by mistake: an answer still reaches the member; /lernen teaches the bot without
    sending anything, and says so (not "already answered")."""
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    assert "#2" in await ask_office(office, "otto", STEP_FREE_DE)
    await office.send("admin", "/erledigt 1")
    await office.send("admin", "/erledigt 2")
    late = await office.send("admin", "/antwort 1 Hunde bitte zu Hause lassen.")
    assert "geht an das Mitglied" in late.text, late.text
    assert len(await answers_to(office, "hanna")) == 1
    shown_first = await office.send("admin", "/lernen 2 symposium")
    assert "ohne Antwort erledigt" in shown_first.text, shown_first.text
    go = [p for p in shown_first.buttons if p.startswith("flc:") and p.endswith(":go")]
    learnt = await office.press("admin", go[0])
    assert "ohne Antwort erledigt; das Mitglied bekommt nichts" in learnt.text, learnt.text
    assert await answers_to(office, "otto") == []
    # the member's old "withdraw" button says what became of it
    late_withdraw = await office.press("otto", "fqw:2")
    assert "schon als erledigt abgeschlossen" in late_withdraw.text, late_withdraw.text


@pytest.fixture
async def two_admins(tmp_path: Path) -> AsyncIterator[Harness]:
    """The office of two admins, "admin" and "boss", with the knowledge base."""
    bot = await make_harness(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", admins=["admin", "boss"])
    await bot.import_kb(KB)
    yield bot
    await bot.app.stop()


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("de", "✔️ Von der Geschäftsstelle ohne Antwort erledigt."),
        ("en", "✔️ Closed by the office without an answer."),
    ],
)
async def test_the_other_admins_alert_about_a_closed_question_loses_its_buttons(
    two_admins: Harness, lang: str, line: str
) -> None:
    """The other admin's alert says the ticket is closed and loses its buttons; the admin who
    closed it is told by the command's own reply and gets no notice of their own deed (as
    answering a ticket sends the answering admin nothing either)."""
    office = two_admins
    await office.send("admin", "/language de")  # both have written to the bot
    await office.send("boss", f"/language {lang}")
    assert "#1" in await ask_office(office, "hanna", STEP_FREE_DE)
    mine, boss = await office_alerts(office)
    assert shown(boss).buttons, "the alert offers an entry to answer with"
    await delivered(office, mine, "admin-chat:6")
    await delivered(office, boss, "boss-chat:7")
    await office.send("admin", "/erledigt 1")
    (edit,) = await office_alerts(office, "faq_office_alert_edit")
    assert edit.member_id == boss.member_id
    edited = shown(edit)
    assert edited.edit_ref == "boss-chat:7" and edited.buttons == ()
    assert line in render_text(edited.text) and STEP_FREE_DE in render_text(edited.text)
