"""Broadcasts with an image or a file, as an admin sends them and as members receive them.

On Telegram through the real python-telegram-bot against the local Bot API fake (the photo is
downloaded once, uploaded once, then sent by its file id); in the harness for the conversation's
edges, a restart before the send time, privacy and the command line; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select
from sqlalchemy.engine import Connection

from bot.cli import main
from bot.delivery_worker import DeliveryWorker, WorkerSettings
from bot.messages import Attachment, AttachmentKind, IncomingAttachment, Platform, Reply
from bot.transports.base import SendStatus
from bot.transports.console import local_file
from storage import members
from storage.broadcasts import Broadcast
from storage.db import Database
from storage.files import StoredFile
from storage.migrate import alembic_config, upgrade
from storage.models import AuditEntry, OutboxMessage
from storage.schema import metadata
from tests.fakes.bot_api import FakeBotApi
from tests.harness import Harness, make_harness
from tests.recording_transport import RecordingTransport
from tests.telegram_harness import ADMIN_ID, TelegramBot, build_telegram_bot
from tests.test_broadcast import network

BERLIN = ZoneInfo("Europe/Berlin")
FAST = WorkerSettings(poll_seconds=0.1, flush_seconds=0.01)
RECIPIENTS = (601, 602, 603, 604, 605, 606)
# A JPEG's first bytes and 120 KB of picture.
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 480
CAPTION = "Das Programm des Symposiums am 12. März ist da – jetzt anmelden!"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def tg(fake: FakeBotApi, db_url: str) -> AsyncIterator[TelegramBot]:
    """The bot on Telegram with six members who want news, on SQLite and PostgreSQL."""
    bot = await build_telegram_bot(fake, db_url)
    async with bot.app.services.db.session() as session:
        for user in RECIPIENTS:
            member = await members.create_member_with_account(
                session,
                platform="telegram",
                user_id=str(user),
                chat_id=str(user),
                display_name=f"Mitglied {user}",
                language="en" if user == 606 else "de",
            )
            await members.update_member(session, member_id=member.id, onboarded=True)
    await bot.app.start()
    yield bot
    await bot.stop()


async def answer(fake: FakeBotApi, chat_id: int, count: int) -> str:
    """The text of the bot's `count`-th message to `chat_id`."""
    calls = await fake.wait_for("sendMessage", chat_id=chat_id, count=count)
    return str(calls[-1].params["text"])


async def all_recorded(tg: TelegramBot, within: float = 30.0) -> None:
    """The worker writes outcomes in small batches: wait until no message is pending."""
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        async with tg.app.services.db.session() as session:
            statuses = set((await session.execute(select(OutboxMessage.status))).scalars())
        if statuses <= {"sent", "failed", "unreachable"}:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"still pending: {statuses}")


async def test_an_admin_broadcasts_a_photo_and_it_is_uploaded_once(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    fake.private_message(ADMIN_ID, "/broadcast")
    assert "Bild oder eine Datei" in await answer(fake, ADMIN_ID, 1)
    fake.private_photo(ADMIN_ID, PHOTO, caption=CAPTION)
    assert "Wer soll sie bekommen" in await answer(fake, ADMIN_ID, 2)
    fake.press(ADMIN_ID, fake.last_message(ADMIN_ID), "Alle")
    preview = await answer(fake, ADMIN_ID, 3)
    assert "📎 mit Bild photo.jpg, 120 KB" in preview and "6 Mitglieder" in preview
    fake.press(ADMIN_ID, fake.last_message(ADMIN_ID), "Senden")
    assert "an 6 Empfänger unterwegs" in await answer(fake, ADMIN_ID, 4)

    photos = await fake.wait_for("sendPhoto", count=len(RECIPIENTS), within=10)
    assert {int(c.params["chat_id"]) for c in photos} == set(RECIPIENTS)
    for call in photos:  # one message each: the photo, the news as its caption
        assert CAPTION in call.params["caption"] and call.params["parse_mode"] == "HTML"
    assert (
        "News from"
        in next(c for c in photos if str(c.params["chat_id"]) == "606").params["caption"]
    )
    assert not [c for c in fake.calls_to("sendMessage") if int(c.params["chat_id"]) in RECIPIENTS]
    # Fetched from the admin's message once, uploaded once, then sent by Telegram's file id.
    assert len(fake.calls_to("getFile")) == 1 and len(fake.calls_to("downloadFile")) == 1
    [upload] = fake.uploads("sendPhoto")
    assert upload.files["photo"][1] == PHOTO
    file_id = upload.result["photo"][-1]["file_id"]
    by_id = [c for c in photos if c is not upload]
    assert len(by_id) == len(RECIPIENTS) - 1
    assert all(c.params["photo"] == file_id and not c.files for c in by_id)
    async with tg.app.services.db.session() as session:
        stored = (await session.execute(select(StoredFile))).scalar_one()
        payloads = (await session.execute(select(OutboxMessage.payload))).scalars().all()
    assert stored.platform_refs == {"telegram": file_id} and stored.draft_of is None
    assert all("content" not in p["attachment"] for p in payloads)  # rows name the file

    await all_recorded(tg)
    fake.private_message(ADMIN_ID, "/broadcast_report 1")
    report = await answer(fake, ADMIN_ID, 5)
    assert "📎 mit Bild photo.jpg, 120 KB" in report and "zugestellt: 6" in report
    fake.private_message(ADMIN_ID, "/broadcasts")
    assert "📎 photo.jpg" in await answer(fake, ADMIN_ID, 6)


async def test_a_long_text_follows_its_photo_and_a_document_is_sent_by_file_id(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    long_text = "<b>Programm</b>\n" + "Vortrag über Kobalt &amp; Nickel. " * 60  # > 1,024
    image = Attachment("programm.png", PHOTO, "image/png", AttachmentKind.IMAGE, stored_id=7)
    result = await tg.transport.send("601", Reply(long_text, attachment=image))
    assert result.status is SendStatus.SENT and result.media_ref is not None
    photo = fake.calls_to("sendPhoto", chat_id=601)[0]
    assert "caption" not in photo.params  # too long for a caption: the text comes after it
    assert "Vortrag über Kobalt" in fake.sent_texts(601)[0]
    assert photo.at < fake.calls_to("sendMessage", chat_id=601)[0].at

    pdf = Attachment("programm.pdf", b"%PDF-1.7 programm", "application/pdf", stored_id=8)
    results = [
        await tg.transport.send(str(c), Reply("Das Programm", attachment=pdf)) for c in (602, 603)
    ]
    assert [r.status for r in results] == [SendStatus.SENT, SendStatus.SENT]
    assert len(fake.uploads("sendDocument")) == 1
    by_id = fake.calls_to("sendDocument", chat_id=603)[0]
    assert by_id.params["document"] == results[0].media_ref and not by_id.files
    # A file id Telegram no longer knows (another bot token): the bytes go up again.
    stale = Attachment("programm.pdf", pdf.content, pdf.mime_type, stored_id=9, platform_ref="XX")
    assert (await tg.transport.send("604", Reply("Nochmal", attachment=stale))).status is (
        SendStatus.SENT
    )
    assert len(fake.uploads("sendDocument")) == 2


async def test_a_file_too_large_is_refused_in_german_and_english(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    big = bytes(21 * 1024 * 1024)
    fake.private_message(ADMIN_ID, "/broadcast")
    await answer(fake, ADMIN_ID, 1)
    fake.private_document(ADMIN_ID, big, "messe.mp4.zip", "application/zip", caption="Film")
    assert await answer(fake, ADMIN_ID, 2) == (
        "Die Datei ist zu groß (21 MB). Ich kann höchstens 20 MB annehmen und weiterschicken – "
        "bitte verkleinern Sie sie oder schicken Sie einen Link."
    )
    fake.private_message(ADMIN_ID, "/language en")
    # The language is saved, and the waiting broadcast asks its question again at once, in
    # English (no "still waiting" line before it).
    assert "Saved" in await answer(fake, ADMIN_ID, 3)
    assert "Back to your broadcast" in await answer(fake, ADMIN_ID, 4)
    fake.private_document(ADMIN_ID, big, "fair.zip", "application/zip", caption="Film")
    assert await answer(fake, ADMIN_ID, 5) == (
        "The file is too large (21 MB). I can take and pass on at most 20 MB – please make it "
        "smaller or send a link."
    )
    assert fake.calls_to("getFile") == []  # refused on the size Telegram announced
    fake.private_document(ADMIN_ID, b"RIFF....WEBPVP8 ", "clip.mp4", "video/mp4", kind="video")
    assert "images (photos) and files" in await answer(fake, ADMIN_ID, 6)


async def test_a_member_sending_broadcast_with_a_photo_is_refused(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    fake.private_photo(601, PHOTO, caption="/broadcast")
    assert "nur Admins" in await answer(fake, 601, 1)
    fake.private_photo(601, PHOTO)  # and a photo on its own leads nowhere either
    assert "Bilder und Dateien nehme ich nur an, wenn ich darum bitte" in await answer(fake, 601, 2)
    assert fake.calls_to("getFile") == []
    async with tg.app.services.db.session() as session:
        assert (await session.execute(select(StoredFile))).scalars().all() == []
        refused = (
            await session.execute(select(AuditEntry).where(AuditEntry.allowed.is_(False)))
        ).scalar_one()
    assert refused.action == "command:broadcast"


# ---- the conversation's edges, in the harness ---------------------------------------------


def write(tmp_path: Path, name: str, size: int) -> IncomingAttachment:
    """A local file of `size` bytes, as a member on the console sends it."""
    path = tmp_path / name
    path.write_bytes(bytes(i % 251 for i in range(size)))
    return local_file(str(path))


async def test_the_file_step_its_refusals_and_cancel(bot: Harness, tmp_path: Path) -> None:
    await network(bot)
    first = write(tmp_path, "einladung.pdf", 3000)
    outside = await bot.send("admin", attachment=first)
    assert "Bilder und Dateien nehme ich nur an, wenn ich darum bitte" in outside.text
    await bot.send("admin", "/broadcast")
    ask_file = await bot.send("admin", "Einladung zur Exkursion")
    assert "Soll ein Bild oder eine Datei mit" in ask_file.text and "20 MB" in ask_file.text
    assert "Bitte schicken Sie ein Bild" in (await bot.send("admin", "noch Text")).text
    video = IncomingAttachment(AttachmentKind.OTHER, "v1", "", "", 5000)
    assert "Diese Art von Datei" in (await bot.send("admin", attachment=video)).text
    asked = await bot.send("admin", attachment=first)
    assert "Wer soll sie bekommen" in asked.text
    late = await bot.send("admin", attachment=write(tmp_path, "plan.png", 500))
    assert "nur mit dem Text oder gleich danach" in late.text
    preview = await bot.press("admin", asked.button("Alle"))
    assert "📎 mit Datei einladung.pdf, 3 KB" in preview.text
    assert "verworfen" in (await bot.press("admin", preview.button("Abbrechen"))).text
    async with bot.db.session() as session:
        assert (await session.execute(select(StoredFile))).scalars().all() == []


async def test_a_file_first_then_the_text_and_a_second_file_replaces_it(
    bot: Harness, tmp_path: Path
) -> None:
    await network(bot)
    await bot.send("admin", "/broadcast")
    got = await bot.send("admin", attachment=write(tmp_path, "alt.pdf", 100))
    assert "📎 mit Datei alt.pdf, 100 B – angehängt" in got.text
    await bot.send("admin", attachment=write(tmp_path, "neu.png", 2048))
    asked = await bot.send("admin", "Fotos vom Symposium")
    assert "Wer soll sie bekommen" in asked.text
    preview = await bot.press("admin", asked.button("Alle"))
    assert "📎 mit Bild neu.png, 2 KB" in preview.text
    async with bot.db.session() as session:
        names = (await session.execute(select(StoredFile.filename))).scalars().all()
    assert names == ["neu.png"]


async def test_a_scheduled_broadcast_with_a_file_survives_a_restart(
    db_url: str, tmp_path: Path
) -> None:
    bot = await make_harness(db_url)
    await network(bot)
    document = write(tmp_path, "Programm Symposium.pdf", 300 * 1024)
    await bot.send("admin", "/broadcast")
    await bot.send("admin", "Das Programm ist da.")
    asked = await bot.send("admin", attachment=document)
    preview = await bot.press("admin", asked.button("Alle"))
    ask_time = await bot.press("admin", preview.button("Zeitpunkt"))
    assert "Zeitzone" in ask_time.text
    later = datetime.now(UTC) + timedelta(days=2)
    preview = await bot.send("admin", later.astimezone(BERLIN).strftime("%d.%m.%Y %H:%M"))
    assert "📎 mit Datei Programm Symposium.pdf, 300 KB" in preview.text
    assert "geht am" in (await bot.press("admin", preview.button("Senden"))).text
    await bot.app.stop()
    await asyncio.to_thread(Path(document.ref).unlink)  # only the database has it now

    bot = await make_harness(db_url)
    try:
        transport = RecordingTransport(platform=Platform.CONSOLE)
        worker = DeliveryWorker(
            bot.db,
            {"console": transport},
            settings=FAST,
            clock=lambda: later + timedelta(minutes=1),
        )
        await worker.drain(10)
        sent = transport.sent()
        assert sorted(a.chat_id for a in sent) == ["chat-anna", "chat-ben", "chat-cora"]
        for attempt in sent:
            assert attempt.attachment is not None
            assert attempt.attachment.filename == "Programm Symposium.pdf"
            assert attempt.attachment.content == bytes(i % 251 for i in range(300 * 1024))
        assert worker.files.loads == 1  # one read of the file for all recipients
        async with bot.db.session() as session:
            payloads = (await session.execute(select(OutboxMessage.payload))).scalars().all()
        assert all(len(json.dumps(p)) < 2000 for p in payloads)
        # A new harness counts update ids from 1 again: those were handled before the restart.
        report = await bot.send("admin", "/broadcast_report 1", update_id="after-restart")
        assert (
            "📎 mit Datei Programm Symposium.pdf" in report.text and "zugestellt: 3" in report.text
        )
    finally:
        await bot.app.stop()


async def test_mydata_and_forget_cover_a_draft_file_but_not_a_sent_one(
    bot_any: Harness, tmp_path: Path
) -> None:
    await network(bot_any)
    await bot_any.send("admin", "/broadcast")
    await bot_any.send("admin", attachment=write(tmp_path, "entwurf.pdf", 64))
    mydata = await bot_any.send("admin", "/mydata")
    (exported,) = [r.attachment for r in mydata.replies if r.attachment is not None]
    assert "/rundschreiben zeigt sie noch einmal" in mydata.text  # the draft waits, paused
    data = json.loads(exported.content)
    assert [f["filename"] for f in data["stored_files"]] == ["entwurf.pdf"]
    forget = await bot_any.send("admin", "/forget")
    await bot_any.press("admin", forget.button("Ja"))
    async with bot_any.db.session() as session:
        assert (await session.execute(select(StoredFile))).scalars().all() == []

    # A sent broadcast's file is the network's, like its text: it stays when the sender goes.
    assert "Ihre Daten wurden gelöscht" in (await bot_any.send("admin", "/start")).text
    await bot_any.send("admin", "/broadcast")
    await bot_any.send("admin", "Bilder vom Symposium")
    asked = await bot_any.send("admin", attachment=write(tmp_path, "saal.png", 64))
    preview = await bot_any.press("admin", asked.button("Alle"))
    await bot_any.press("admin", preview.button("Senden"))
    mine = json.loads((await bot_any.send("admin", "/mydata")).replies[-1].attachment.content)  # type: ignore[union-attr]
    assert "stored_files" not in mine
    forget = await bot_any.send("admin", "/forget")
    await bot_any.press("admin", forget.button("Ja"))
    transport = RecordingTransport(platform=Platform.CONSOLE)
    await DeliveryWorker(bot_any.db, {"console": transport}, settings=FAST).drain(10)
    assert [a.attachment.filename for a in transport.sent() if a.attachment] == ["saal.png"] * 3


async def test_operator_broadcasts_a_file_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    bot = await make_harness(url)
    await network(bot)
    await bot.app.stop()
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{url}"\n', encoding="utf-8")
    args = ["broadcast", "--config", str(config), "--audience", "all", "--text", "Programm"]
    too_big = tmp_path / "riesig.pdf"
    too_big.write_bytes(bytes(20 * 1024 * 1024 + 1))
    assert await asyncio.to_thread(main, [*args, "--file", str(too_big)]) == 1
    assert "Die Datei ist zu groß (20 MB). Ich kann höchstens 20 MB" in capsys.readouterr().err
    flyer = tmp_path / "flyer.jpg"
    flyer.write_bytes(PHOTO)
    assert await asyncio.to_thread(main, [*args, "--file", str(flyer)]) == 0
    assert "broadcast #1 with image flyer.jpg queued for 3 recipients" in capsys.readouterr().out
    bot = await make_harness(url)
    try:
        transport = RecordingTransport(platform=Platform.CONSOLE)
        await DeliveryWorker(bot.db, {"console": transport}, settings=FAST).drain(10)
        received = [a.attachment for a in transport.sent()]
        assert len(received) == 3
        assert all(
            a is not None and a.kind is AttachmentKind.IMAGE and a.content == PHOTO
            for a in received
        )
        async with bot.db.session() as session:
            broadcast = (await session.execute(select(Broadcast))).scalar_one()
        assert broadcast.attachment_id is not None
    finally:
        await bot.app.stop()


# ---- the migration -------------------------------------------------------------------------


async def test_migration_0006_upgrades_an_existing_database_and_matches_the_models(
    db_url: str,
) -> None:
    """A database at the old heads (0002..0005, each on 0001) with a broadcast in it gets the
    file table and column; `upgrade heads` leaves nothing between models and schema."""
    config = alembic_config(db_url)
    assert set(ScriptDirectory.from_config(config).get_heads()) == {
        "0007",
        "0008",
        "0011",
        "0016",
        "0017",
        "0024",
        "0026",
        "0028",
        "0031",
        "0035",
        "0036",
    }

    def old_heads(connection: Connection) -> None:
        config.attributes["connection"] = connection
        for revision in ("0002", "0003", "0004", "0005"):
            command.upgrade(config, revision)
        connection.exec_driver_sql(
            "INSERT INTO broadcasts (created_at, text, audience, announcements, send_at, "
            "recipients, chats) VALUES ('2026-01-01 09:00:00+00', 'Alt', 'all', false, "
            "'2026-01-01 09:00:00+00', 3, '[]')"
        )

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    db = Database(db_url)
    try:
        async with db.engine.connect() as conn:
            await conn.run_sync(old_heads)
            await conn.commit()
        await upgrade(db)
        async with db.engine.connect() as conn:
            assert await conn.run_sync(differences) == []
        async with db.session() as session:
            old = (await session.execute(select(Broadcast))).scalar_one()
        assert old.text == "Alt" and old.attachment_id is None
    finally:
        await db.close()


@pytest.mark.parametrize(
    ("lang", "cancel", "said", "send", "stale"),
    [
        (
            "de",
            "/abbrechen",
            "Ihr Rundschreiben-Entwurf wurde verworfen; verschickt wurde nichts.",
            "Senden",
            "nicht mehr gültig",
        ),
        (
            "en",
            "/cancel",
            "Your broadcast draft was discarded; nothing was sent.",
            "Send",
            "no longer valid",
        ),
    ],
)
async def test_cancel_at_the_preview_names_the_draft_drops_its_file_and_its_send(
    bot: Harness, tmp_path: Path, lang: str, cancel: str, said: str, send: str, stale: str
) -> None:
    """/abbrechen at a broadcast's preview said "Abgebrochen. Nichts wurde geändert." and
    left the draft's file stored: it names the draft, the file goes, the old *Senden* sends
    nothing."""
    await network(bot)
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/broadcast")
    await bot.send("admin", "Einladung zur Exkursion")
    asked = await bot.send("admin", attachment=write(tmp_path, "einladung.pdf", 3000))
    preview = await bot.press("admin", asked.buttons[0])  # everyone
    assert preview.button(send), preview.text
    dropped = await bot.send("admin", cancel)
    assert dropped.text == said, dropped.text
    assert stale in (await bot.press("admin", preview.button(send))).text
    async with bot.db.session() as session:
        assert (await session.execute(select(StoredFile))).scalars().all() == []
        assert (await session.execute(select(OutboxMessage))).scalars().all() == []
