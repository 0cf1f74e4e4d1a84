"""The bot on Telegram end to end: the real PTB Application against the local Bot API fake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select

from bot.config import TelegramSettings
from bot.context import Context
from bot.demo import DEMO_DIR
from bot.messages import Attachment, Button, Incoming, Platform, Reply
from bot.router import Args, Router
from bot.transports.base import Respond, SendStatus
from bot.transports.telegram import OFFSET_KEY, TelegramTransport
from handlers.faq.kb_import import import_kb, parse_kb
from storage import members, transport_state
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member, ProcessedUpdate
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.faults import Fault
from tests.telegram_harness import ADMIN_ID, TelegramBot, build_telegram_bot

GROUP = -1001234567890
QUESTION = "Wie melde ich mich zum Symposium an?"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
async def tg(fake: FakeBotApi, db_file: str) -> AsyncIterator[TelegramBot]:
    bot = await build_telegram_bot(fake, db_file)
    add_test_features(bot)
    entries = parse_kb((DEMO_DIR / "faq.toml").read_text(encoding="utf-8"))
    async with bot.app.services.db.session() as session:
        await import_kb(session, entries)  # the demo knowledge base answers the questions
    await bot.app.start()
    yield bot
    await bot.stop()


def add_test_features(bot: TelegramBot) -> None:
    """A stand-in for a reply longer than one Telegram message (no feature writes one yet).

    Buttons, live counts and polls are tested with the real events feature in
    tests/test_telegram_events_e2e.py.
    """
    router = bot.app.services.router

    @router.command("longread", help_key="help.help")
    async def longread(ctx: Context, _args: Args) -> None:
        paragraph = "<b>Recycling</b> von <i>Kobalt &amp; Nickel</i> im Harz. " * 40
        await ctx.reply("\n\n".join([paragraph] * 5))


async def test_onboarding_in_a_private_chat(tg: TelegramBot, fake: FakeBotApi) -> None:
    fake.private_message(501, "/start", first_name="Ada", language_code="en")
    welcome = (await fake.wait_for("sendMessage", chat_id=501))[0]
    assert "Which language" in welcome.params["text"]
    fake.press(501, fake.last_message(501), "English", language_code="en")
    await fake.wait_for("sendMessage", chat_id=501, count=2)
    for count, text in enumerate(["Harz Hydromet GmbH", "Verfahrenstechnik", "Kobalt; Lithium"], 3):
        fake.private_message(501, text, language_code="en")
        await fake.wait_for("sendMessage", chat_id=501, count=count)
    # Consent, the contact for introductions (skipped), news, young professional.
    for count, label in enumerate(["Yes", "Skip", "No", "Yes"], 6):
        fake.press(501, fake.last_message(501), label)
        await fake.wait_for("sendMessage", chat_id=501, count=count)
    assert "profile is set up" in fake.sent_texts(501)[-1]
    await fake.wait_for("answerCallbackQuery", count=5)
    assert fake.unanswered_callbacks() == []
    member = await member_of(tg, "501")
    assert member is not None
    assert member.organisation == "Harz Hydromet GmbH" and member.topics == ["Kobalt", "Lithium"]
    assert member.language == "en" and member.partner_consent and member.young_professional


async def test_a_question_is_answered_and_long_texts_are_split(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    fake.private_message(502, QUESTION)
    answer = (await fake.wait_for("sendMessage", chat_id=502))[0]
    assert "Jahrestagung" in answer.params["text"]
    assert answer.params["parse_mode"] == "HTML"
    fake.private_message(502, "/longread")
    parts = await fake.wait_for("sendMessage", chat_id=502, count=4, within=5)
    texts = fake.sent_texts(502)[1:]
    assert len(texts) >= 3 and all(len(t) <= 4096 for t in texts)
    assert not fake.calls_to("sendMessage", ok=False)  # every part parsed as HTML
    assert parts[-1].ok


async def test_the_admins_alert_loses_its_buttons_when_the_member_withdraws(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    # The alert about a new question sits in the admin's chat with entries to answer it
    # with; the member withdraws the question, and the alert is edited in place to say so.
    fake.private_message(ADMIN_ID, "/inbox")
    await fake.wait_for("sendMessage", chat_id=ADMIN_ID)
    fake.private_message(503, "Gibt es beim Symposium vegetarisches Essen für Mitglieder?")
    asked = (await fake.wait_for("sendMessage", chat_id=503))[0]
    assert "Ticket <b>#1</b>" in asked.params["text"], asked.params["text"]
    alert = (await fake.wait_for("sendMessage", chat_id=ADMIN_ID, count=2))[1]
    assert "Neue Frage an die Geschäftsstelle (Ticket #1" in alert.params["text"]
    assert alert.params["reply_markup"]["inline_keyboard"]
    message_id = alert.result["message_id"]

    fake.private_message(503, "/meinefragen")
    await fake.wait_for("sendMessage", chat_id=503, count=2)
    fake.press(503, fake.last_message(503), "#1 zurückziehen")
    (edit,) = await fake.wait_for("editMessageText", chat_id=ADMIN_ID)
    assert edit.ok and edit.params["message_id"] == message_id
    shown = fake.messages[(str(ADMIN_ID), message_id)]
    assert "Vom Mitglied zurückgezogen" in shown["text"] and "reply_markup" not in shown
    assert len(fake.sent_texts(ADMIN_ID)) == 2  # edited, not sent anew


async def test_mydata_is_a_document_and_forget_asks_with_buttons(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    fake.private_message(551, "/start")  # someone the bot knows: a stranger has no data
    await fake.wait_for("sendMessage", chat_id=551)
    fake.private_message(551, "/meinedaten")
    document = (await fake.wait_for("sendDocument", chat_id=551))[0]
    name, content, _mime = document.files["document"]
    assert name.endswith(".json") and b"551" in content
    assert fake.sent_texts(551)  # the explaining text came first
    fake.private_message(551, "/forget")
    await fake.wait_for("sendMessage", chat_id=551, count=5)  # its registration waits
    fake.press(551, fake.last_message(551), "Ja, alles")
    answer = (await fake.wait_for("answerCallbackQuery"))[0]
    assert answer.params["show_alert"] is True and "gelöscht" in answer.params["text"]
    await fake.wait_for("sendMessage", chat_id=551, count=6)
    assert await member_of(tg, "551") is None


async def test_a_popup_outside_a_button_press_becomes_a_message(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    result = await tg.transport.send(
        "552", Reply(popup="Sie sind vom Wartelisten-Platz nachgerückt.")
    )
    assert result.status is SendStatus.SENT
    assert fake.sent_texts(552) == ["Sie sind vom Wartelisten-Platz nachgerückt."]


async def test_groups_hear_commands_mentions_and_buttons_only(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    fake.group_message(GROUP, 801, "Hat jemand Erfahrung mit dem Symposium?")
    fake.group_message(GROUP, 801, "/help@some_other_bot")
    fake.group_message(GROUP, 802, "/help@rewimet_test_bot")
    await fake.wait_for("sendMessage", chat_id=GROUP)
    fake.group_message(GROUP, 803, "@rewimet_test_bot wann ist das Symposium?")
    await fake.wait_for("sendMessage", chat_id=GROUP, count=2)
    await fake.wait_confirmed()
    await asyncio.sleep(0.2)
    replies = fake.calls_to("sendMessage", chat_id=GROUP)
    assert len(replies) == 2  # to the command for us and to the mention, nothing else
    for reply in replies:
        assert reply.params["reply_parameters"]["message_id"] > 0  # threaded in the group
    assert await member_of(tg, "801") is None  # free text in a group: not even a first contact


async def test_429_and_502_are_survived(tg: TelegramBot, fake: FakeBotApi) -> None:
    fake.fail_next(1, Fault.bad_gateway(), methods=["getUpdates"])
    fake.fail_next(2, Fault.too_many(retry_after=1), Fault.bad_gateway(), methods=["sendMessage"])
    fake.private_message(901, QUESTION)
    answer = await fake.wait_for("sendMessage", chat_id=901, within=10)
    assert "Jahrestagung" in answer[0].params["text"]
    statuses = [c.status for c in fake.calls_to("sendMessage", chat_id=901)]
    assert statuses == [502, 429, 200]
    fake.private_message(901, "/help")
    await fake.wait_for("sendMessage", chat_id=901, count=2)
    assert tg.transport.is_alive()


async def test_blocked_user_and_other_errors_become_send_results(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    fake.block(1001)
    assert (await tg.transport.send("1001", Reply("Hallo"))).status is SendStatus.UNREACHABLE
    fake.fail_next(1, Fault.too_many(retry_after=7))
    result = await tg.transport.send("1002", Reply("Hallo"))
    assert result.status is SendStatus.RETRY and result.retry_after == 7
    fake.fail_next(1, Fault.bad_gateway())
    assert (await tg.transport.send("1002", Reply("Hallo"))).status is SendStatus.RETRY
    broken = Reply("x", edit_ref="1002:999")
    assert (await tg.transport.send("1002", broken)).status is SendStatus.FAILED
    too_long = Reply("x", buttons=((Button("x", "p" * 65),),))
    assert (await tg.transport.send("1002", too_long)).status is SendStatus.FAILED
    csv = Attachment("teilnehmer.csv", b"name;ort\nA;Goslar\n", "text/csv")
    sent = await tg.transport.send("1002", Reply("Die Liste:", attachment=csv))
    assert sent.status is SendStatus.SENT
    document = fake.calls_to("sendDocument", ok=True)[0]
    assert document.files["document"][:2] == ("teilnehmer.csv", csv.content)
    # A blocked member writing (then blocking) does not disturb the bot.
    fake.private_message(1001, "/help")
    fake.private_message(1003, "/help")
    await fake.wait_for("sendMessage", chat_id=1003)


async def test_command_menus_in_both_languages_and_for_admins(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    private_de = fake.commands[('{"type": "all_private_chats"}', "de")]
    private_en = fake.commands[('{"type": "all_private_chats"}', "en")]
    names = [c["command"] for c in private_de]
    english = [c["command"] for c in private_en]
    assert "start" in names and "hilfe" in names and "ernennen" not in names
    # each language's menu names the commands as its members type them
    assert "termine" in names and "events" not in names and "abbrechen" in names
    assert "cancel" not in names and "cancel" in english
    assert "events" in english and "termine" not in english
    assert names.index("hilfe") == english.index("help")
    assert (
        private_de[names.index("hilfe")]["description"]
        != private_en[english.index("help")]["description"]
    )
    groups = [c["command"] for c in fake.commands[('{"type": "all_group_chats"}', "de")]]
    assert "start" not in groups and "anmelden" in groups  # /start is private-only
    admin_scope = f'{{"chat_id": {ADMIN_ID}, "type": "chat"}}'
    admin = [c["command"] for c in fake.commands[(admin_scope, "en")]]
    assert "promote" in admin and "help" in admin and "newevent" in admin
    admin_de = [c["command"] for c in fake.commands[(admin_scope, "de")]]
    assert "ernennen" in admin_de and "neuertermin" in admin_de and "newevent" not in admin_de
    assert "rundschreiben" in admin_de and "broadcast" not in admin_de


async def test_promote_and_demote_change_the_admin_menu(tg: TelegramBot, fake: FakeBotApi) -> None:
    fake.private_message(777, "/start", first_name="Neu")
    await fake.wait_for("sendMessage", chat_id=777)
    member = await member_of(tg, "777")
    assert member is not None
    scope = '{"chat_id": 777, "type": "chat"}'
    fake.private_message(ADMIN_ID, f"/promote {member.id}")
    await fake.wait_for("sendMessage", chat_id=ADMIN_ID)
    assert "ernennen" in [c["command"] for c in fake.commands[(scope, "de")]]
    fake.private_message(ADMIN_ID, f"/demote {member.id}")
    await fake.wait_for("sendMessage", chat_id=ADMIN_ID, count=2)
    assert (scope, "de") not in fake.commands


async def test_restart_neither_repeats_nor_loses_an_update(fake: FakeBotApi, db_file: str) -> None:
    completed: list[str] = []
    release = asyncio.Event()
    entered = asyncio.Event()

    def features(bot: TelegramBot) -> None:
        @bot.app.services.router.free_text(priority=10)
        async def record(ctx: Context, text: str) -> bool:
            if text == "slow" and not release.is_set():
                entered.set()
                await release.wait()  # the crash comes while this one is in hand
            completed.append(text)
            await ctx.reply(f"ok {text}")
            return True

    first = await build_telegram_bot(fake, db_file)
    features(first)
    for text in ("eins", "zwei", "slow", "vier"):
        fake.private_message(1101, text)
    await first.app.start()
    await asyncio.wait_for(entered.wait(), 5)
    # Crash: the polling task dies mid-batch, nothing is shut down cleanly.
    assert first.transport._poll_task is not None
    first.transport._poll_task.cancel()
    await asyncio.gather(first.transport._poll_task, return_exceptions=True)
    if first.app.worker is not None:  # the outbox worker dies with the process too
        await first.app.worker.stop(grace=0)
    assert completed == ["eins", "zwei"]
    assert len(fake.pending_updates) == 4  # nothing was confirmed to Telegram
    await first.app.services.db.close()
    await first.transport.application.shutdown()

    release.set()
    second = await build_telegram_bot(fake, db_file)
    features(second)
    await second.app.start()
    await fake.wait_for("sendMessage", chat_id=1101, count=4)
    fake.private_message(1101, "fünf")
    await fake.wait_for("sendMessage", chat_id=1101, count=5)
    await fake.wait_confirmed()
    await second.stop()
    assert completed == ["eins", "zwei", "slow", "vier", "fünf"]
    assert fake.sent_texts(1101) == ["ok eins", "ok zwei", "ok slow", "ok vier", "ok fünf"]
    db = Database(db_file)
    async with db.session() as session:
        offset = await transport_state.get_state(session, OFFSET_KEY)
        handled = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    await db.close()
    assert offset is not None and int(offset) == fake.confirmed_offset
    assert handled == 5


async def test_a_failing_update_is_skipped_and_the_bot_goes_on(
    fake: FakeBotApi, db_file: str
) -> None:
    """With a stand-in dispatch: the transport alone keeps going past a poisoned update."""
    db = Database(db_file)
    await upgrade(db)
    seen: list[str] = []

    async def dispatch(incoming: Incoming, respond: Respond) -> None:
        seen.append(incoming.text)
        if incoming.text == "poison":
            raise RuntimeError("database on fire")
        await respond(Reply(f"echo {incoming.text}"))

    settings = TelegramSettings(token=fake.token, base_url=fake.base_url)
    transport = TelegramTransport(
        settings, db=db, router=_empty_router(), rate_limit=False, poll_timeout=1
    )
    fake.private_message(1201, "poison")
    fake.private_message(1202, "gesund")
    await transport.start(dispatch)
    await fake.wait_for("sendMessage", chat_id=1202)
    fake.private_message(1201, "danach")
    await fake.wait_for("sendMessage", chat_id=1201)
    await transport.stop()
    await db.close()
    assert seen.count("poison") == 3 and "danach" in seen


async def test_webhook_mode_answers_after_handling(
    fake: FakeBotApi, db_file: str, unused_tcp_port: int
) -> None:
    url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
    bot = await build_telegram_bot(
        fake,
        db_file,
        telegram={"mode": "webhook", "webhook_url": url, "webhook_port": unused_tcp_port},
    )
    await bot.app.start()
    try:
        assert fake.webhook["url"] == url and fake.webhook["secret_token"]
        fake.private_message(1301, "/help")
        await fake.wait_for("sendMessage", chat_id=1301)
        await fake.wait_confirmed()
        async with ClientSession() as session:
            forged = await session.post(url, json={"update_id": 1}, headers={})
            assert forged.status == 403
    finally:
        await bot.stop()


def _empty_router() -> Router:
    return Router()


async def member_of(tg: TelegramBot, user_id: str) -> Member | None:
    async with tg.app.services.db.session() as session:
        account = await members.find_account(session, platform=Platform.TELEGRAM, user_id=user_id)
        if account is None:
            return None
        return await members.get_member(session, account.member_id)


async def test_with_the_rate_limiter_as_in_production(fake: FakeBotApi, db_file: str) -> None:
    bot = await build_telegram_bot(fake, db_file, rate_limit=True)
    await bot.app.start()
    try:
        fake.private_message(1401, "/help")
        fake.group_message(GROUP, 1402, "/help")
        await fake.wait_for("sendMessage", chat_id=1401)
        await fake.wait_for("sendMessage", chat_id=GROUP)
        fake.fail_next(1, Fault.too_many(retry_after=1))
        result = await bot.transport.send("1401", Reply("Neuigkeiten"))
        assert result.status is SendStatus.RETRY and result.retry_after == 1
    finally:
        await bot.stop()
