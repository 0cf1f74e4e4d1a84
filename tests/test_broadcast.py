"""Broadcasts as an admin uses them: the guided /broadcast, audiences, preview, schedule,
announcement chats, the delivery report and history, the command line."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.delivery_worker import DeliveryWorker, WorkerSettings
from bot.errors import UserError
from bot.i18n.dates import show_when
from bot.messages import Platform, plain_text
from handlers.broadcast.rules import Audience, parse_audience, parse_send_time
from storage import members
from storage.broadcasts import Broadcast
from storage.faq import FaqTicket
from storage.models import Account, AuditEntry, OutboxMessage
from tests.harness import Harness, make_harness
from tests.recording_transport import RecordingTransport

FAST = WorkerSettings(poll_seconds=0.1, flush_seconds=0.01)
BERLIN = ZoneInfo("Europe/Berlin")


async def deliver(bot: Harness, transport: RecordingTransport | None = None) -> RecordingTransport:
    """Run the delivery worker over a recording console transport until the outbox is empty."""
    transport = transport or RecordingTransport(platform=Platform.CONSOLE)
    worker = DeliveryWorker(bot.db, {"console": transport}, settings=FAST)
    await worker.drain(10)
    return transport


async def network(bot: Harness) -> None:
    """Four members: two German, one English young professional, one who wants no news."""
    await bot.onboard("anna", org="Harz Recycling GmbH")
    await bot.onboard("ben", lang="en", org="TU Clausthal")
    await bot.onboard("cora", org="Stadt Goslar")
    await bot.onboard("dirk")
    await bot.send("ben", "/youngpro yes")
    await bot.send("dirk", "/news nein")
    await bot.send("cora", "/topics Seltene Erden; Magnetrecycling")
    async with bot.db.session() as session:
        for user, kind in (("anna", "company"), ("ben", "university"), ("cora", "municipality")):
            account = await members.find_account(session, platform="console", user_id=user)
            assert account is not None
            await members.update_member(session, member_id=account.member_id, kind=kind)


async def start_broadcast(bot: Harness, text: str = "Symposium am 12. März – <jetzt> anmelden!"):
    """/broadcast, the text, no file: the audience question."""
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", text)
    return await bot.press("admin", asked.button("Ohne Bild"))


async def test_admin_broadcasts_to_everyone_who_wants_news(bot_any: Harness) -> None:
    await network(bot_any)
    asked = await start_broadcast(bot_any)
    assert "Wer soll sie bekommen" in asked.text
    preview = await bot_any.press("admin", asked.button("Alle"))
    assert "Vorschau" in preview.text and "3 Mitglieder" in preview.text
    assert "&lt;jetzt&gt;" in preview.replies[0].text  # the admin's text is shown, not rendered
    done = await bot_any.press("admin", preview.button("Senden"))
    assert "Rundschreiben #1" in done.text and "3 Empfänger" in done.text
    transport = await deliver(bot_any)
    assert transport.sent_per_chat() == {"chat-anna": 1, "chat-ben": 1, "chat-cora": 1}
    by_chat = {a.chat_id: a.text for a in transport.sent()}
    assert "News from" in by_chat["chat-ben"] and "Neuigkeiten von" in by_chat["chat-anna"]
    assert "&lt;jetzt&gt; anmelden" in by_chat["chat-anna"]
    report = await bot_any.send("admin", "/broadcast_report 1")
    assert "zugestellt: 3" in report.text and "ausstehend: 0" in report.text
    assert "abgeschlossen" in report.text and "gelöscht" not in report.text
    # a recipient erases their data: the report still adds up to its recipients
    cora = await bot_any.member("cora")
    assert cora is not None
    await bot_any.send("cora", "/vergessen")
    await bot_any.press("cora", f"fg:{cora.id}")
    report = await bot_any.send("admin", "/broadcast_report 1")
    assert "zugestellt: 2" in report.text and "seither gelöscht" in report.text, report.text
    history = await bot_any.send("admin", "/broadcasts")
    assert "#1" in history.text and "2 zugestellt" in history.text
    assert "1 seither gelöscht" in history.text, history.text
    async with bot_any.db.session() as session:
        audit = (await session.execute(select(AuditEntry.action))).scalars().all()
    assert "broadcast" in audit


@pytest.mark.parametrize(
    ("choice", "follow_up", "expected"),
    [
        ("Young", None, {"chat-ben"}),
        ("Sprache", "English", {"chat-ben"}),
        ("Art", "Kommune", {"chat-cora"}),
        ("Thema", "seltene erden", {"chat-cora"}),
    ],
)
async def test_audiences(
    bot: Harness, choice: str, follow_up: str | None, expected: set[str]
) -> None:
    await network(bot)
    asked = await start_broadcast(bot)
    chat = await bot.press("admin", asked.button(choice))
    if choice == "Thema":
        chat = await bot.send("admin", follow_up or "")
    elif follow_up is not None:
        chat = await bot.press("admin", chat.button(follow_up))
    count = len(expected)
    assert (f"{count} Mitglieder," if count != 1 else "1 Mitglied,") in chat.text
    await bot.press("admin", chat.button("Senden"))
    transport = await deliver(bot)
    assert set(transport.sent_per_chat()) == expected


async def test_a_member_on_two_platforms_gets_it_once_where_they_chose(bot_any: Harness) -> None:
    await bot_any.onboard("eva")
    async with bot_any.db.session() as session:
        account = await members.find_account(session, platform="console", user_id="eva")
        assert account is not None
        session.add(
            Account(member_id=account.member_id, platform="telegram", user_id="77", chat_id="77")
        )
        await members.update_member(
            session, member_id=account.member_id, preferred_platform="telegram"
        )
    asked = await start_broadcast(bot_any)
    preview = await bot_any.press("admin", asked.button("Alle"))
    assert "1 Mitglied," in preview.text and "1 Mitglieder" not in preview.text
    await bot_any.press("admin", preview.button("Senden"))
    async with bot_any.db.session() as session:
        rows = (await session.execute(select(OutboxMessage))).scalars().all()
    assert [(row.platform, row.chat_id) for row in rows] == [("telegram", "77")]


async def test_only_admins_broadcast(bot: Harness) -> None:
    await network(bot)
    assert "nur Admins" in (await bot.send("anna", "/broadcast")).text
    assert "nur Admins" in (await bot.send("anna", "/broadcasts")).text
    assert "nur Admins" in (await bot.press("anna", "bc:preview:send")).text


async def test_confirming_twice_sends_once(bot_any: Harness) -> None:
    await network(bot_any)
    asked = await start_broadcast(bot_any)
    preview = await bot_any.press("admin", asked.button("Alle"))
    presses = await asyncio.gather(
        *(bot_any.press("admin", preview.button("Senden")) for _ in range(3))
    )
    assert sum("unterwegs" in chat.text for chat in presses) == 1
    assert sum("nicht mehr gültig" in chat.text for chat in presses) == 2
    async with bot_any.db.session() as session:
        assert len((await session.execute(select(Broadcast))).scalars().all()) == 1
        assert len((await session.execute(select(OutboxMessage))).scalars().all()) == 3


async def test_stale_buttons_and_cancel(bot: Harness) -> None:
    await network(bot)
    asked = await start_broadcast(bot)
    assert "nicht mehr gültig" in (await bot.press("admin", "bc:preview:send")).text
    preview = await bot.press("admin", asked.button("Alle"))
    assert "nicht mehr gültig" in (await bot.press("admin", asked.button("Alle"))).text
    cancelled = await bot.press("admin", preview.button("Abbrechen"))
    # the draft is gone ("Abgebrochen. Nichts wurde geändert." had said otherwise)
    assert "Entwurf wurde verworfen; verschickt wurde nichts" in cancelled.text, cancelled.text
    async with bot.db.session() as session:
        assert (await session.execute(select(OutboxMessage))).scalars().all() == []


async def test_scheduled_broadcast_waits_for_its_time(bot: Harness) -> None:
    await network(bot)
    asked = await start_broadcast(bot)
    preview = await bot.press("admin", asked.button("Alle"))
    ask_time = await bot.press("admin", preview.button("Zeitpunkt"))
    assert "Europe/Berlin" in ask_time.text
    assert "vorbei" in (await bot.send("admin", "01.01.2020 09:00")).text
    assert "nicht als Zeitpunkt" in (await bot.send("admin", "morgen früh")).text
    later = datetime.now(UTC) + timedelta(days=2)
    typed = later.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M")
    shown = show_when(later, lang="de", tz=BERLIN)  # e.g. "Fr 04.12.2026, 11:25 Uhr"
    assert shown.endswith(later.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M Uhr"))
    preview = await bot.send("admin", typed)
    assert shown in preview.text
    # As the dashboard says it: not "Senden", which reads as right away.
    labels = [plain_text(b.label) for r in preview.replies for row in r.buttons for b in row]
    assert "Zum Zeitpunkt senden" in labels and "Senden" not in labels
    done = await bot.press("admin", preview.button("Zum Zeitpunkt senden"))
    assert shown in done.text
    transport = await deliver(bot)
    assert transport.attempts == []
    report = await bot.send("admin", "/broadcast_report 1")
    assert "geplant" in report.text and "ausstehend: 3" in report.text
    async with bot.db.session() as session:
        due = (await session.execute(select(OutboxMessage.not_before))).scalars().all()
    assert {d.replace(tzinfo=UTC) if d.tzinfo is None else d for d in due} == {
        later.replace(second=0, microsecond=0)
    }


async def test_announcement_chats_on_request(tmp_path: Path) -> None:
    bot = await make_harness(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        telegram={"token": "1:TEST", "announcement_chats": [-1001, -1002]},
    )
    try:
        await network(bot)
        asked = await start_broadcast(bot)
        ask = await bot.press("admin", asked.button("Alle"))
        assert "2 Ankündigungs-Chats" in ask.text
        preview = await bot.press("admin", ask.button("Ja"))
        assert "3 Mitglieder, 2 Ankündigungs-Chats" in preview.text
        done = await bot.press("admin", preview.button("Senden"))
        assert "5 Empfänger" in done.text
        async with bot.db.session() as session:
            chats = (
                await session.execute(
                    select(OutboxMessage.chat_id).where(OutboxMessage.member_id.is_(None))
                )
            ).scalars()
            assert sorted(chats) == ["-1001", "-1002"]
    finally:
        await bot.app.stop()


async def test_report_is_live_while_it_runs(bot: Harness) -> None:
    await network(bot)
    # The platform has not answered yet while the report is asked for: it was 2 sends a
    # second and a pause of 0.3 s, and on a busy machine all three were out before the report.
    transport = RecordingTransport(platform=Platform.CONSOLE, gate=asyncio.Event())
    bot.app.transports.append(transport)
    worker = bot.app.start_delivery()  # as at start: woken when something is queued
    asked = await start_broadcast(bot)
    preview = await bot.press("admin", asked.button("Alle"))
    await bot.press("admin", preview.button("Senden"))
    running = await bot.send("admin", "/broadcast_report 1")
    assert "wird versandt" in running.text and "ausstehend: 0" not in running.text
    assert transport.gate is not None
    transport.gate.set()
    await worker.drain(30)  # until nothing is left to send (then it stops)
    refreshed = await bot.press("admin", running.button("Aktualisieren"))
    assert "zugestellt: 3" in refreshed.text and "abgeschlossen" in refreshed.text
    assert len(transport.sent()) == 3


async def test_operator_broadcasts_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    bot = await make_harness(url)
    await network(bot)
    await bot.app.stop()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    args = ["broadcast", "--config", str(config)]
    assert (
        await asyncio.to_thread(main, [*args, "--audience", "lang:en", "--text", "Hi", "--dry-run"])
        == 0
    )
    assert "1 members" in capsys.readouterr().out
    assert await asyncio.to_thread(main, [*args, "--audience", "weird", "--text", "x"]) == 1
    assert "kenne ich nicht" in capsys.readouterr().err
    assert await asyncio.to_thread(main, [*args, "--audience", "all", "--text", "Hallo"]) == 0
    assert "broadcast #1 queued for 3 recipients" in capsys.readouterr().out
    bot = await make_harness(url)
    try:
        transport = await deliver(bot)
        assert len(transport.sent()) == 3
    finally:
        await bot.app.stop()


def test_parse_audience() -> None:
    assert parse_audience("all") == Audience("all")
    assert parse_audience("Sprache: EN") == Audience("lang", "en")
    assert parse_audience("topic:  Seltene   Erden") == Audience("topic", "Seltene Erden")
    assert parse_audience("kind:University") == Audience("kind", "university")
    for bad in ("lang:fr", "kind:club", "topic:", "yp:1", ""):
        with pytest.raises(UserError):
            parse_audience(bad)
    with pytest.raises(UserError) as missing:
        parse_audience("thema:  ")
    assert missing.value.key == "broadcast.topic_missing"  # not "unknown audience 'topic:'"


def test_parse_send_time() -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 13:00 in Berlin
    assert parse_send_time("24.12.2026 09:00", now=now, zone=BERLIN) == datetime(
        2026, 12, 24, 8, 0, tzinfo=UTC
    )
    assert parse_send_time("2026-07-01 9:30", now=now, zone=BERLIN) == datetime(
        2026, 7, 1, 7, 30, tzinfo=UTC
    )
    assert parse_send_time("14:00", now=now, zone=BERLIN) == datetime(
        2026, 3, 10, 13, 0, tzinfo=UTC
    )
    assert parse_send_time("08:15 Uhr", now=now, zone=BERLIN).day == 11  # tomorrow
    for bad in ("31.02.2026 10:00", "25:00", "soon", "01.01.2026 10:00", "01.01.2030 10:00"):
        with pytest.raises(UserError):
            parse_send_time(bad, now=now, zone=BERLIN)


async def test_a_member_who_blocked_the_bot_is_skipped_until_they_write(bot: Harness) -> None:
    await network(bot)
    blocked = RecordingTransport(platform=Platform.CONSOLE, blocked={"chat-ben"})
    asked = await start_broadcast(bot)
    await bot.press("admin", (await bot.press("admin", asked.button("Alle"))).button("Senden"))
    await deliver(bot, blocked)
    report = await bot.send("admin", "/broadcast_report 1")
    assert (
        "zugestellt: 2" in report.text
        and "nicht erreichbar (blockiert oder ausgetreten): 1" in (report.text)
    )
    asked = await start_broadcast(bot, "Zweite Nachricht")
    preview = await bot.press("admin", asked.button("Alle"))
    assert "2 Mitglieder" in preview.text  # ben is left out
    await bot.press("admin", preview.button("Abbrechen"))
    await bot.send("ben", "/profile")  # ben unblocked the bot and writes again
    asked = await start_broadcast(bot, "Dritte Nachricht")
    assert "3 Mitglieder" in (await bot.press("admin", asked.button("Alle"))).text


def test_audiences_are_described_in_words() -> None:
    # The language by name, not its code; no colon inside the preview's "An: …: 1 Mitglied".
    assert Audience("lang", "de").describe("de") == "Mitglieder mit Sprache Deutsch"
    assert Audience("lang", "en").describe("de") == "Mitglieder mit Sprache Englisch"
    assert Audience("lang", "de").describe("en") == "members who use German"
    assert Audience("lang", "en").describe("en") == "members who use English"
    for lang in ("de", "en"):
        for kind in ("municipality", "university"):
            assert ":" not in Audience("kind", kind).describe(lang)
    assert "Kommune" in Audience("kind", "municipality").describe("de")


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_text_too_long_is_refused_with_the_broadcast_limit(bot: Harness, lang: str) -> None:
    """One limit, the broadcast's, in the admin's language: not the 4000 characters of any
    message first and then 3500."""
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    words = "Liebe Mitglieder, wir laden herzlich zum Symposium in Goslar ein. " * 80
    limit = "höchstens 3500 Zeichen" if lang == "de" else "at most 3500 characters"
    for length in (4995, 3794):
        refused = await bot.send("admin", words[:length])
        assert limit in refused.text and f"({length} " in refused.text, refused.text
        assert "4000" not in refused.text
    asked = await bot.send("admin", words[:3400])
    assert asked.button("Ohne Bild" if lang == "de" else "Without image")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("battery", {"chat-anna", "chat-ben"}),  # their topic: Batterierecycling
        ("Batterien", {"chat-anna", "chat-ben"}),
        ("battery recycling", {"chat-anna", "chat-ben"}),
        ("rare earths", {"chat-cora"}),  # her topic: Seltene Erden
        ("Magnet", {"chat-cora"}),
    ],
)
async def test_a_topic_audience_reads_both_languages_and_inflections(
    bot: Harness, typed: str, expected: set[str]
) -> None:
    await network(bot)
    asked = await start_broadcast(bot)
    await bot.press("admin", asked.button("Thema"))
    preview = await bot.send("admin", typed)
    count = len(expected)
    assert (f"{count} Mitglieder," if count != 1 else "1 Mitglied,") in preview.text, preview.text
    await bot.press("admin", preview.button("Senden"))
    transport = await deliver(bot)
    assert set(transport.sent_per_chat()) == expected


def test_a_topic_matches_across_german_and_english() -> None:
    audience = parse_audience("topic:battery")
    assert audience.matches_topics(["Batterie"]) and audience.matches_topics(["Batterierecycling"])
    assert parse_audience("thema:Batterie").matches_topics(["battery recycling"])
    assert parse_audience("thema:Seltene Erden").matches_topics(["rare earth elements"])
    assert not parse_audience("topic:battery").matches_topics(["Seltene Erden", "Wasserstoff"])
    assert not parse_audience("topic:rare earths").matches_topics(["Erdbau"])


@pytest.mark.parametrize(
    ("lang", "nobody", "change", "send", "again"),
    [
        ("de", "erreicht niemanden", "Empfänger ändern", "Senden", "Wer soll sie bekommen"),
        ("en", "reaches nobody", "Change the audience", "Send", "Who should get it"),
    ],
)
async def test_an_audience_nobody_is_in_offers_no_send(
    bot: Harness, lang: str, nobody: str, change: str, send: str, again: str
) -> None:
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Symposium")
    asked = await bot.press("admin", asked.buttons[0])  # without a file
    await bot.press("admin", asked.button({"de": "Thema", "en": "topic"}[lang]))
    preview = await bot.send("admin", "Zinnober")
    assert nobody in preview.text, preview.text
    labels = [b.label for r in preview.replies for row in r.buttons for b in row]
    assert send not in labels and change in labels, labels
    assert not any(payload.startswith("bc:preview:send") for payload in preview.buttons)
    # A stale "Send" (pressed from an older message) sends nothing either.
    stale = await bot.press("admin", "bc:preview:send")
    assert "#1" not in stale.text
    back = await bot.press("admin", preview.button(change))
    assert again in back.text
    preview = await bot.press("admin", back.button({"de": "Alle", "en": "Everyone"}[lang]))
    assert nobody not in preview.text and preview.button(send)
    assert await deliver(bot) is not None


@pytest.mark.parametrize(
    ("lang", "one", "wrong"),
    [("de", "1 Empfänger, 1 zugestellt", None), ("en", "1 recipient, 1 delivered", "1 recipients")],
)
async def test_the_history_counts_one_recipient_in_the_singular(
    bot: Harness, lang: str, one: str, wrong: str | None
) -> None:
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Symposium")
    asked = await bot.press("admin", asked.buttons[0])  # without a file
    preview = await bot.press("admin", asked.button("Young"))  # ben alone
    await bot.press("admin", preview.buttons[0])  # send
    await deliver(bot)
    history = await bot.send("admin", "/broadcasts")
    assert one in history.text, history.text
    assert wrong is None or wrong not in history.text


async def queued(bot: Harness) -> list[str]:
    async with bot.db.session() as session:
        return list((await session.execute(select(Broadcast.text))).scalars().all())


async def test_a_new_event_beside_a_waiting_broadcast_keeps_it_and_shows_it_again(
    bot: Harness,
) -> None:
    """The walkthrough's admin: a preview waits for *Senden*, then /neuertermin. The draft is
    not lost silently: the bot says it waits, shows it again once the event is saved, and it
    goes out as written."""
    from tests.dates import days_ahead, typed

    await network(bot)
    asked = await start_broadcast(bot, "Exkursion nach Freiberg: jetzt anmelden")
    preview = await bot.press("admin", asked.button("Alle"))
    start = typed(days_ahead(bot, 60))
    event = await bot.send("admin", f"/neuertermin art=exkursion; titel=Freiberg; beginn={start}")
    assert "Rundschreiben ist nicht verloren" in event.text, event.text
    # It says when it comes back, naming what was just begun (not a vague "das hier").
    assert "sobald die neue Veranstaltung gespeichert oder verworfen ist" in event.text
    assert event.button("Speichern")
    # Its old Send does nothing meanwhile, and says why.
    early = await bot.press("admin", preview.button("Senden"))
    assert "wartet als Entwurf" in early.text and "Rundschreiben #" not in early.text
    assert await queued(bot) == []
    saved = await bot.press("admin", event.button("Speichern"))
    assert "angelegt" in saved.text, saved.text
    back = saved.replies[-1]
    assert str(back.text).startswith("Weiter mit Ihrem Rundschreiben:"), saved.text
    assert "Exkursion nach Freiberg" in saved.text and "3 Mitglieder" in saved.text
    sent = await bot.press("admin", saved.button("Senden"))
    assert "Rundschreiben #1" in sent.text and "3 Empfänger" in sent.text, sent.text
    assert await queued(bot) == ["Exkursion nach Freiberg: jetzt anmelden"]


async def test_a_waiting_broadcasts_button_typed_beside_a_new_event_is_no_question(
    bot: Harness,
) -> None:
    """The walkthrough's admin types the waiting draft's button, "Ohne Bild oder Datei",
    while /neuertermin asks (the console and Matrix take a button's words). It is no answer
    to the event, and no question for the office from the office: the draft waits, and the
    bot says until when, as pressing that button does."""
    from tests.dates import days_ahead, typed

    await network(bot)
    await bot.send("admin", "/rundschreiben")
    await bot.send("admin", "Sommerfest am Freitag")
    form = await bot.send("admin", "/neuertermin")
    assert form.button("Exkursion"), form.text
    waits = "Es wartet als Entwurf und kommt wieder, sobald die neue Veranstaltung gespeichert"
    said = await bot.send("admin", "Ohne Bild oder Datei")  # at the event's kind
    assert waits in said.text and "keine Art" not in said.text, said.text
    await bot.send("admin", "/abbrechen")
    start = typed(days_ahead(bot, 60))
    preview = await bot.send("admin", f"/neuertermin art=exkursion; titel=Harz; beginn={start}")
    assert preview.button("Speichern"), preview.text
    said = await bot.send("admin", "Ohne Bild oder Datei")  # at its preview
    assert waits in said.text and "Ticket" not in said.text, said.text
    async with bot.db.session() as session:
        assert (await session.execute(select(FaqTicket))).first() is None
    # What the event asks for, typed, is still its answer; then the draft comes back.
    saved = await bot.send("admin", "Speichern")
    assert "angelegt" in saved.text and "Weiter mit Ihrem Rundschreiben" in saved.text
    assert saved.button("Ohne Bild"), saved.text


async def test_cancelling_the_flow_asked_beside_a_broadcast_brings_the_broadcast_back(
    bot: Harness,
) -> None:
    await network(bot)
    await bot.send("admin", "/language en")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Symposium in March")
    asked = await bot.press("admin", asked.buttons[0])  # without a file
    form = await bot.send("admin", "/newevent")
    assert "Your broadcast is not lost" in form.text, form.text
    assert "comes back once the new event is saved or dropped" in form.text, form.text
    # Asked again while it waits, it is not started anew (which would drop it).
    again = await bot.send("admin", "/broadcast")
    assert "not lost" in again.text and "new event is not saved yet" in again.text, again.text
    assert "What should the news say" not in again.text
    cancelled = await bot.send("admin", "/cancel")
    assert "Your new event was discarded" in cancelled.text, cancelled.text
    assert "Back to your broadcast:" in cancelled.text and "Who should get it" in cancelled.text
    preview = await bot.press("admin", cancelled.button("Everyone"))
    await bot.press("admin", preview.button("Send"))
    assert await queued(bot) == ["Symposium in March"]


async def test_an_older_broadcasts_buttons_never_act_on_a_newer_one(bot: Harness) -> None:
    await network(bot)
    earlier = await start_broadcast(bot, "Erster Entwurf")
    first = await bot.press("admin", earlier.button("Alle"))
    assert "verworfen" in (await bot.press("admin", first.button("Abbrechen"))).text
    asked = await start_broadcast(bot, "Zweiter Entwurf")
    # The first draft's audience choice does not choose for the second one either.
    assert "nicht mehr gültig" in (await bot.press("admin", earlier.button("Alle"))).text
    second = await bot.press("admin", asked.button("Young"))
    stale = await bot.press("admin", first.button("Senden"))
    assert "nicht mehr gültig" in stale.text and await queued(bot) == []
    await bot.press("admin", second.button("Senden"))
    assert await queued(bot) == ["Zweiter Entwurf"]


async def test_a_broadcast_beside_a_new_event_keeps_the_event_and_shows_it_again(
    bot: Harness,
) -> None:
    """The other way round: a new event half entered, then /rundschreiben. The event waits
    and comes back with its question once the broadcast is sent."""
    await network(bot)
    form = await bot.send("admin", "/neuertermin")
    titled = await bot.press("admin", form.button("Exkursion"))
    assert "Wie heißt sie auf Deutsch?" in titled.text, titled.text
    await bot.send("admin", "Exkursion nach Freiberg")
    await bot.press("admin", "evf:title_en:-")
    asked = await bot.send("admin", "/rundschreiben")
    assert "neue Veranstaltung ist nicht verloren" in asked.text, asked.text
    assert "sobald das neue Rundschreiben verschickt, geplant oder verworfen ist" in asked.text
    asked = await bot.send("admin", "Sommerfest am Freitag")
    asked = await bot.press("admin", asked.buttons[0])  # without a file
    preview = await bot.press("admin", asked.button("Alle"))
    sent = await bot.press("admin", preview.button("Senden"))
    assert "Rundschreiben #1" in sent.text, sent.text
    back = str(sent.replies[-1].text)
    assert back.startswith("Weiter mit Ihrer neuen Veranstaltung:") and "Wann" in back, back
    assert await queued(bot) == ["Sommerfest am Freitag"]


async def tickets(bot: Harness) -> list[FaqTicket]:
    async with bot.db.session() as session:
        return list((await session.execute(select(FaqTicket))).scalars())


@pytest.mark.parametrize(
    ("lang", "edit", "replaced", "asked"),
    [
        ("de", "Text ändern", "Neuer Text übernommen.", "Schreiben Sie den neuen Text"),
        ("en", "Edit text", "New text applied.", "Write the new text"),
    ],
)
async def test_a_typo_seen_at_the_preview_is_corrected_there(
    bot: Harness, lang: str, edit: str, replaced: str, asked: str
) -> None:
    """The corrected text typed at the preview replaces the text and shows the new preview
    (it had been said to wait, and then became an office ticket from the office to itself);
    "Text ändern" asks for it; a button's name or one word typed is no new text."""
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    file_step = await bot.send("admin", "Symposum am 12. März")
    audience = await bot.press("admin", file_step.buttons[0])
    preview = await bot.press("admin", audience.buttons[0])
    assert preview.button(edit)
    typed = await bot.send("admin", "Symposium am 12. März – jetzt anmelden!")
    assert typed.text.startswith(replaced), typed.text
    assert "Symposium am 12. März – jetzt anmelden!" in typed.text and "Symposum" not in typed.text
    assert not any(wait in typed.text for wait in ("noch nicht verschickt", "not sent yet"))
    for not_text in ({"de": "Senden", "en": "Send"}[lang], "ok"):
        hint = await bot.send("admin", not_text)
        assert replaced not in hint.text and "Ticket" not in hint.text
    again = await bot.press("admin", typed.button(edit))
    assert asked in again.text
    final = await bot.send("admin", "Symposium am 13. März: /termine zeigt es.")
    assert final.text.startswith(replaced) and "13. März" in final.text
    await bot.press("admin", final.buttons[0])  # send
    assert await tickets(bot) == []
    by_chat = {a.chat_id: a.text for a in (await deliver(bot)).sent()}
    assert "Symposium am 13. März" in by_chat["chat-anna"], by_chat


async def test_nothing_typed_in_an_admins_flow_becomes_an_office_ticket(bot: Harness) -> None:
    """A question beside the broadcast's file step is said to have no answer, and nothing goes
    to the office; a long text that asks nothing gets the step's hint, not the FAQ."""
    await bot.send("admin", "/rundschreiben")
    await bot.send("admin", "Unser Sommerfest")
    asked = await bot.send("admin", "Wie groß darf die Datei sein?")
    assert "als Ticket weitergegeben habe ich nichts" in asked.text, asked.text
    long = await bot.send("admin", "Das Sommerfest findet im Garten der Geschäftsstelle statt")
    assert "Bild oder eine Datei" in long.text and "Ticket" not in long.text, long.text
    assert await tickets(bot) == []


async def test_english_members_get_the_english_version_where_there_is_one(bot: Harness) -> None:
    """The preview counts who reads German and who English, and says plainly that English
    readers get the German text without an English version; one added (an optional step),
    they get it, each with the commands as they know them (/termine, /events)."""
    await network(bot)
    asked = await start_broadcast(bot, "Das Symposium steht fest: /termine zeigt es.")
    preview = await bot.press("admin", asked.button("Alle"))
    assert "Sprache: 2 Deutsch, 1 Englisch" in preview.text, preview.text
    plainly = "Ohne englische Fassung bekommt das Mitglied, das Englisch liest, den deutschen Text."
    assert plainly in preview.text
    ask = await bot.press("admin", preview.button("Englische Fassung hinzufügen"))
    assert "Englischer Text (optional)" in ask.text
    added = await bot.send("admin", "The symposium is set: /events shows it.")
    assert added.text.startswith("Englische Fassung übernommen.")
    assert "Englische Fassung:\nThe symposium is set" in added.text and plainly not in added.text
    assert "Das Symposium steht fest" in added.text  # the German text stays
    await bot.press("admin", added.button("Senden"))
    async with bot.db.session() as session:
        stored = (await session.execute(select(Broadcast))).scalar_one()
    assert stored.text_en == "The symposium is set: /events shows it."
    by_chat = {a.chat_id: a.text for a in (await deliver(bot)).sent()}
    assert "The symposium is set: /events shows it." in by_chat["chat-ben"]
    assert "Das Symposium" not in by_chat["chat-ben"]
    assert "Das Symposium steht fest: /termine zeigt es." in by_chat["chat-anna"]


async def test_without_an_english_version_english_members_get_the_german_text(
    bot: Harness,
) -> None:
    """As before, with the commands named as they know them; an English version dropped
    again leaves the German text for everyone."""
    await network(bot)
    asked = await start_broadcast(bot, "Neue Termine: /termine zeigt sie.")
    preview = await bot.press("admin", asked.button("Alle"))
    ask = await bot.press("admin", preview.button("Englische Fassung hinzufügen"))
    added = await bot.send("admin", "New dates")
    ask = await bot.press("admin", added.button("Englischen Text ändern"))
    dropped = await bot.press("admin", ask.button("Ohne englische Fassung"))
    assert dropped.text.startswith("Ohne englische Fassung: Alle Empfänger bekommen")
    assert "bekommt das Mitglied, das Englisch liest, den deutschen Text" in dropped.text
    await bot.press("admin", dropped.button("Senden"))
    by_chat = {a.chat_id: a.text for a in (await deliver(bot)).sent()}
    assert "News from" in by_chat["chat-ben"]
    assert "Neue Termine: /events zeigt sie." in by_chat["chat-ben"]


@pytest.mark.parametrize(
    ("lang", "typed", "skip", "everyone", "send"),
    [
        (
            "de",
            "/rundschreiben Werkstatttag in Goslar am 4. Juni – bitte vormerken!",
            "Ohne Bild",
            "Alle",
            "Senden",
        ),
        (
            "en",
            "/broadcast Our newsletter for June is out: workshop day in Goslar.",
            "Without image",
            "Everyone",
            "Send",
        ),
    ],
)
async def test_the_text_written_after_the_command_is_the_broadcast(
    bot: Harness, lang: str, typed: str, skip: str, everyone: str, send: str
) -> None:
    """Written after /broadcast, the text is taken: the next question is the file's, not
    the text's again; it goes out as written (a long one too, past a command's argument)."""
    await network(bot)
    if lang == "en":
        await bot.send("admin", "/language en")
    asked = await bot.send("admin", typed)
    assert "Was soll die Nachricht sagen" not in asked.text, asked.text
    assert "What should the news say" not in asked.text, asked.text
    preview = await bot.press("admin", asked.button(skip))
    preview = await bot.press("admin", preview.button(everyone))
    written = typed.partition(" ")[2]
    assert written in preview.text, preview.text
    await bot.press("admin", preview.button(send))
    assert await queued(bot) == [written]


async def test_a_long_text_after_the_command_is_kept_whole(bot: Harness) -> None:
    await network(bot)
    long_text = "Rückblick auf das Symposium: " + "Vorträge, Exkursion und Gespräche. " * 80
    asked = await bot.send("admin", f"/rundschreiben {long_text}")
    preview = await bot.press("admin", asked.button("Ohne Bild"))
    preview = await bot.press("admin", preview.button("Alle"))
    await bot.press("admin", preview.button("Senden"))
    assert await queued(bot) == [long_text.strip()]


KEPT_TEXT = {
    "de": {
        "all": "Alle",
        "taken": "Neuer Text übernommen: Ihr Rundschreiben wartet damit als Entwurf",
        "until": "sobald die neue Veranstaltung gespeichert oder verworfen ist",
        "save": "Speichern",
        "discard": "Verwerfen",
        "back": "Weiter mit Ihrem Rundschreiben:",
        "send": "Senden",
        "no_file": "Ohne Bild",
    },
    "en": {
        "all": "Everyone",
        "taken": "New text taken: your broadcast waits with it as a draft",
        "until": "once the new event is saved or dropped",
        "save": "Save",
        "discard": "Discard",
        "back": "Back to your broadcast:",
        "send": "Send",
        "no_file": "Without",
    },
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_broadcast_text_given_while_the_draft_waits_under_an_event_replaces_its_text(
    bot: Harness, lang: str
) -> None:
    """A preview waits under a new event; "/broadcast <text>" typed then is the draft's new
    text (it had been told the draft waits, and the text was lost): the draft comes back
    with it once the event is saved, and that text goes out."""
    from tests.dates import days_ahead, typed

    say = KEPT_TEXT[lang]
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Werkstatttag in Goslar am 4. Juni")
    asked = await bot.press("admin", asked.button(say["no_file"]))
    await bot.press("admin", asked.button(say["all"]))
    start = typed(days_ahead(bot, 60))
    event = await bot.send("admin", f"/newevent art=exkursion; titel=Freiberg; beginn={start}")
    assert event.button(say["save"]), event.text
    taken = await bot.send("admin", "/broadcast Werkstatttag in Goslar am 11. Juni – neuer Termin!")
    assert say["taken"] in taken.text and say["until"] in taken.text, taken.text
    saved = await bot.press("admin", event.button(say["save"]))
    assert say["back"] in saved.text and "11. Juni" in saved.text, saved.text
    assert "4. Juni" not in saved.text, saved.text
    sent = await bot.press("admin", saved.button(say["send"]))
    assert "#1" in sent.text, sent.text
    assert await queued(bot) == ["Werkstatttag in Goslar am 11. Juni – neuer Termin!"]


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_broadcast_text_given_while_its_text_is_asked_under_an_event_moves_it_on(
    bot: Harness, lang: str
) -> None:
    """/broadcast alone, then a new event, then "/broadcast <text>": when the event is
    dropped, the draft has its text and asks for the file (not for the text again)."""
    say = KEPT_TEXT[lang]
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    await bot.send("admin", "/newevent")
    taken = await bot.send("admin", "/broadcast Sommerfest am Freitag im Hof")
    assert say["taken"] in taken.text, taken.text
    dropped = await bot.send("admin", "/cancel")
    assert say["back"] in dropped.text and dropped.button(say["no_file"]), dropped.text
    asked = await bot.press("admin", dropped.button(say["no_file"]))
    preview = await bot.press("admin", asked.button(say["all"]))
    assert "Sommerfest am Freitag im Hof" in preview.text, preview.text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_broadcast_text_given_while_its_preview_waits_replaces_its_text(
    bot: Harness, lang: str
) -> None:
    """/broadcast with a text while the draft's own preview waits: the preview comes again with
    that text (it had shown the old one again, the new text lost), and that text goes out."""
    say = KEPT_TEXT[lang]
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Laborführung am Dienstag")
    asked = await bot.press("admin", asked.button(say["no_file"]))
    await bot.press("admin", asked.button(say["all"]))
    again = await bot.send("admin", "/broadcast Laborführung am Mittwoch, 14 Uhr")
    assert say["back"] in again.text and "Mittwoch" in again.text, again.text
    assert "Dienstag" not in again.text, again.text
    sent = await bot.press("admin", again.button(say["send"]))
    assert "#1" in sent.text, sent.text
    assert await queued(bot) == ["Laborführung am Mittwoch, 14 Uhr"]


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("de", "nein"),
        ("de", "nein danke"),
        ("de", "Nein, ohne Bild."),
        ("de", "ohne"),
        ("de", "kein Bild"),
        ("en", "no"),
        ("en", "no thanks"),
        ("en", "without"),
        ("en", "no file, thank you"),
    ],
)
async def test_a_typed_no_at_the_file_question_goes_on_without_one(
    bot: Harness, lang: str, typed: str
) -> None:
    """The walkthrough's office typed "nein" at "Soll ein Bild oder eine Datei mit? … – oder
    weiter ohne." and was asked for an image: a plain no goes on as "Ohne Bild oder Datei"."""
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/rundschreiben" if lang == "de" else "/broadcast")
    await bot.send("admin", "Liebe Mitglieder, am 12. März ist Symposium in Goslar.")
    asked = await bot.send("admin", typed)
    assert ("Wer soll sie bekommen" if lang == "de" else "Who should get it") in asked.text
    assert asked.button("Alle" if lang == "de" else "Everyone"), asked.text


@pytest.mark.parametrize("typed", ["nein, mit Bild", "ja", "Bild kommt gleich"])
async def test_other_text_at_the_file_question_still_asks_for_the_file(
    bot: Harness, typed: str
) -> None:
    await bot.send("admin", "/rundschreiben")
    await bot.send("admin", "Liebe Mitglieder, am 12. März ist Symposium in Goslar.")
    asked = await bot.send("admin", typed)
    assert "Bitte schicken Sie ein Bild oder eine Datei" in asked.text, asked.text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_sender_gets_no_copy_of_their_own_broadcast(bot_any: Harness, lang: str) -> None:
    # The office reads news too: its preview showed the text, a copy as a member is noise.
    await bot_any.onboard("admin", lang=lang)
    await network(bot_any)
    await bot_any.send("admin", "/broadcast")
    asked = await bot_any.send("admin", "Symposium am 12. März – jetzt anmelden!")
    asked = await bot_any.press("admin", asked.button("Ohne Bild" if lang == "de" else "Without"))
    preview = await bot_any.press("admin", asked.button("Alle" if lang == "de" else "Everyone"))
    assert ("3 Mitglieder" if lang == "de" else "3 members") in preview.text, preview.text
    await bot_any.press("admin", preview.button("Senden" if lang == "de" else "Send"))
    transport = await deliver(bot_any)
    assert transport.sent_per_chat() == {"chat-anna": 1, "chat-ben": 1, "chat-cora": 1}


async def test_the_chat_preview_names_members_without_a_chat_account(bot: Harness) -> None:
    # as the dashboard's count does (walkthrough 2026-12-07)
    from handlers.members.directory_import import import_directory, parse_directory

    await network(bot)
    async with bot.db.session() as session:
        await import_directory(session, parse_directory("id,organisation\nx1,Hütte (fiktiv)\n"))
    asked = await bot.send("admin", "/rundschreiben Werkstatttag am 4. Juni")
    preview = await bot.press("admin", asked.button("Ohne Bild"))
    preview = await bot.press("admin", preview.button("Alle"))
    assert "1 weiteres Mitglied der Zielgruppe hat noch kein Chat-Konto" in preview.text, (
        preview.text
    )
