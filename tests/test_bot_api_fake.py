"""The Bot API fake speaks what python-telegram-bot expects; checked with a bare PTB Bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes.bot_api import FakeBotApi
from tests.fakes.bot_api_process import FakeBotApiProcess
from tests.fakes.faults import Fault, Limits


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=8, read_timeout=2.0)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as client:
        yield client


async def test_get_me_and_send_message(fake: FakeBotApi, bot: Bot) -> None:
    assert bot.username == "rewimet_test_bot"
    message = await bot.send_message(42, "<b>Hallo</b> 42", parse_mode=ParseMode.HTML)
    assert message.text == "<b>Hallo</b> 42" and message.chat.id == 42
    call = fake.calls_to("sendMessage", ok=True)[0]
    assert call.params == {"chat_id": 42, "text": "<b>Hallo</b> 42", "parse_mode": "HTML"}
    assert fake.sent_texts(42) == ["<b>Hallo</b> 42"]
    # A text that looks like JSON stays a text.
    sent = await bot.send_message(42, "123")
    assert sent.text == "123" and fake.sent_texts()[-1] == "123"


async def test_updates_are_redelivered_until_confirmed(fake: FakeBotApi, bot: Bot) -> None:
    first = fake.private_message(7, "/start")
    second = fake.private_message(7, "hello")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first["update_id"], second["update_id"]]
    assert updates[0].message is not None and updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"
    # Not confirmed: asked again without offset, both come back.
    again = await bot.get_updates(timeout=0)
    assert len(again) == 2
    # Offset confirms the first one only.
    rest = await bot.get_updates(offset=first["update_id"] + 1, timeout=0)
    assert [u.update_id for u in rest] == [second["update_id"]]
    assert [u["update_id"] for u in fake.pending_updates] == [second["update_id"]]
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()
    assert fake.pending_updates == []


async def test_long_poll_returns_when_an_update_arrives(fake: FakeBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.1)
    assert not poll.done()
    fake.group_message(-1001, 9, "hi @rewimet_test_bot")
    updates = await asyncio.wait_for(poll, 2)
    message = updates[0].message
    assert message is not None and message.chat.type == "supergroup"
    assert message.entities[0].type == "mention"


async def test_long_poll_times_out_empty(fake: FakeBotApi, bot: Bot) -> None:
    assert await bot.get_updates(timeout=1) == ()


async def test_newer_get_updates_ends_an_older_one(fake: FakeBotApi, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5, read_timeout=10))
    await asyncio.sleep(0.1)
    async with Bot(fake.token, base_url=fake.base_url) as second_instance:
        newer = asyncio.create_task(second_instance.get_updates(timeout=1, read_timeout=10))
        with pytest.raises(Conflict):
            await older
        assert await newer == ()


async def test_buttons_callback_queries_and_edits(fake: FakeBotApi, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Join (3/30)", callback_data="j:1")]])
    sent = await bot.send_message(-1005, "Excursion", reply_markup=markup)
    message = fake.last_message(-1005)
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "j:1"
    update_json = fake.press(11, message, "Join")
    updates = await bot.get_updates(timeout=0)
    query = updates[0].callback_query
    assert query is not None and query.data == "j:1" and query.message is not None
    assert query.message.message_id == sent.message_id
    assert fake.unanswered_callbacks() == [update_json["callback_query"]["id"]]
    assert await bot.answer_callback_query(query.id, "Du bist dabei", show_alert=True)
    assert fake.unanswered_callbacks() == []
    answer = fake.calls_to("answerCallbackQuery")[0].params
    assert answer["show_alert"] is True and answer["text"] == "Du bist dabei"

    new_markup = InlineKeyboardMarkup([[InlineKeyboardButton("Join (4/30)", callback_data="j:1")]])
    edited = await bot.edit_message_text(
        "Excursion", chat_id=-1005, message_id=sent.message_id, reply_markup=new_markup
    )
    assert not isinstance(edited, bool) and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)not modified"):
        await bot.edit_message_text(
            "Excursion", chat_id=-1005, message_id=sent.message_id, reply_markup=new_markup
        )
    with pytest.raises(BadRequest, match=r"(?i)not found"):
        await bot.edit_message_reply_markup(chat_id=-1005, message_id=999, reply_markup=None)
    assert await bot.edit_message_reply_markup(chat_id=-1005, message_id=sent.message_id)


async def test_telegram_input_checks(fake: FakeBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.send_message(1, "x" * 4097)
    await bot.send_message(1, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await bot.send_message(1, "<b>open", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await bot.send_message(1, "a<br>b", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)empty"):
        await bot.send_message(1, "  ")
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(1, "x", reply_markup=too_long)


async def test_document_multipart(fake: FakeBotApi, bot: Bot) -> None:
    content = "name;city\nÄ;Goslar\n".encode()
    message = await bot.send_document(5, content, filename="list.csv", caption="Teilnehmer")
    assert message.document is not None and message.document.file_name == "list.csv"
    call = fake.calls_to("sendDocument", ok=True)[0]
    assert call.files["document"][0] == "list.csv" and call.files["document"][1] == content
    assert call.params["chat_id"] == 5 and call.params["caption"] == "Teilnehmer"


async def test_polls_and_answers(fake: FakeBotApi, bot: Bot) -> None:
    message = await bot.send_poll(-1009, "Welcher Termin?", ["Mo", "Di"], is_anonymous=False)
    assert message.poll is not None and not message.poll.is_anonymous
    fake.poll_answer(message.poll.id, 21, [1])
    updates = await bot.get_updates(timeout=0)
    answer = updates[0].poll_answer
    assert answer is not None and answer.poll_id == message.poll.id
    assert answer.option_ids == (1,) and answer.user is not None and answer.user.id == 21
    stopped = await bot.stop_poll(-1009, message.message_id)
    assert stopped.is_closed
    with pytest.raises(BadRequest):
        await bot.send_poll(1, "?", ["only one"])


async def test_commands_and_chat(fake: FakeBotApi, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Anmelden")], language_code="de")
    await bot.set_my_commands(
        [BotCommand("broadcast", "News")], scope=BotCommandScopeChat(99), language_code="en"
    )
    assert [c.command for c in await bot.get_my_commands(language_code="de")] == ["start"]
    scoped = await bot.get_my_commands(scope=BotCommandScopeChat(99), language_code="en")
    assert [c.command for c in scoped] == ["broadcast"]
    assert await bot.delete_my_commands(language_code="de")
    assert await bot.get_my_commands(language_code="de") == ()
    with pytest.raises(BadRequest):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])
    fake.group_message(-1007, 1, "x", title="Young Professionals")
    chat = await bot.get_chat(-1007)
    assert chat.title == "Young Professionals" and chat.type == "supergroup"
    assert (await bot.get_chat(55)).type == "private"


async def test_faults(fake: FakeBotApi, bot: Bot) -> None:
    fake.fail_next(1, Fault.too_many(retry_after=3))
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(1, "a")
    assert retry.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]
    fake.fail_next(1, Fault.bad_gateway())
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(1, "b")
    fake.block(77)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(77, "c")
    fake.fail_next(1, Fault.slow(0.3))
    with pytest.raises(TimedOut):
        await bot.send_message(1, "d", read_timeout=0.1)
    # the slow one was delivered all the same, as on Telegram
    await fake.wait_for("sendMessage", chat_id=1, within=30)
    assert fake.sent_texts(1) == ["d"]
    assert [c.status for c in fake.calls_to("sendMessage")] == [429, 502, 403, 200]
    # Methods outside the rule are untouched; getUpdates only when named.
    fake.fail_next(1, Fault.bad_gateway(), methods=["getUpdates"])
    with pytest.raises(NetworkError):
        await bot.get_updates(timeout=0)
    assert await bot.get_updates(timeout=0) == ()


async def test_fault_share_is_reproducible(fake: FakeBotApi, bot: Bot) -> None:
    fake.fail_share(0.2, Fault.too_many(1), Fault.bad_gateway(), seed=4)
    results = await asyncio.gather(
        *(bot.send_message(i, "x") for i in range(1, 201)), return_exceptions=True
    )
    failures = sum(isinstance(r, Exception) for r in results)
    assert 20 <= failures <= 60
    assert len(fake.sent_texts()) == 200 - failures


async def test_rate_limit_answers_429(fake: FakeBotApi, bot: Bot) -> None:
    # The buckets' clock stands still: what one burst is let through is counted, not raced
    # (on a busy machine the thirty sends spread over a second and the bucket refilled).
    fake.set_limits(Limits(per_second=10), clock=lambda: 0.0)
    results = await asyncio.gather(
        *(bot.send_message(i, "x") for i in range(1, 31)), return_exceptions=True
    )
    assert sum(isinstance(r, RetryAfter) for r in results) == 20, results
    assert len(fake.sent_texts()) == 10
    fake.set_limits(Limits(per_chat_per_second=1), clock=lambda: 0.0)
    same_chat = await asyncio.gather(
        *(bot.send_message(500, "x") for _ in range(6)), return_exceptions=True
    )
    assert sum(isinstance(r, RetryAfter) for r in same_chat) == 3, same_chat  # a burst of 3
    assert (await bot.send_message(501, "x")).text == "x"  # another chat: its own bucket


async def test_wait_for(fake: FakeBotApi, bot: Bot) -> None:
    async def later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(3, "eins")
        await bot.send_message(3, "zwei")

    task = asyncio.create_task(later())
    calls = await fake.wait_for("sendMessage", chat_id=3, count=2, within=2)
    assert [c.params["text"] for c in calls] == ["eins", "zwei"]
    await task
    with pytest.raises(TimeoutError):
        await fake.wait_for("sendMessage", chat_id=4, within=0.1)


async def test_real_application_polls_the_fake(fake: FakeBotApi) -> None:
    """A plain PTB echo bot with its own Updater runs against the fake unchanged."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Willkommen")

    app: Application = (  # type: ignore[type-arg]
        ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    )
    app.add_handler(CommandHandler("start", start))
    fake.private_message(31, "/start")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        await fake.wait_for("sendMessage", chat_id=31)
        await app.updater.stop()
        await app.stop()
    assert fake.sent_texts(31) == ["Willkommen"]
    assert fake.calls_to("deleteWebhook")


async def test_webhook_pushes_updates(fake: FakeBotApi, bot: Bot) -> None:
    from aiohttp import web

    received: list[tuple[dict[str, object], str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response(status=200 if len(received) > 1 else 500)  # the first try fails

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
        with pytest.raises(Conflict):
            await bot.get_updates(timeout=0)
        sent = fake.private_message(8, "hallo")
        await fake.wait_confirmed(within=3)
        assert [r[0]["update_id"] for r in received] == [sent["update_id"]] * 2
        assert received[0][1] == "s3cret"
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()
    finally:
        await runner.cleanup()


async def test_fake_in_its_own_process() -> None:
    async with FakeBotApiProcess() as fake:
        async with Bot(fake.token, base_url=fake.base_url) as client:
            await fake.fail_next(1, [Fault.too_many(2)])
            with pytest.raises(RetryAfter):
                await client.send_message(5, "eins")
            await client.send_message(5, "zwei")
            await fake.block(6)
            with pytest.raises(Forbidden):
                await client.send_message(6, "drei")
            await fake.private_message(5, "/start")
            updates = await client.get_updates(timeout=0)
            assert updates[0].message is not None and updates[0].message.text == "/start"
        sent = await fake.calls("sendMessage", ok=True)
        assert [c["params"]["text"] for c in sent] == ["zwei"]
        stats = await fake.stats()
        assert stats["by_method_status"]["sendMessage:429"] == 1
        assert stats["faults_injected"] == 1
