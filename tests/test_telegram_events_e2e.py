"""The real events feature on Telegram end to end: the PTB Application against the Bot API fake.

The admin creates an excursion with `/newevent`, the outbox worker posts the announcement into the
young professionals' group, members press Join there (popups, the count edited in place), and a
native date poll is answered and tallied.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.messages import Platform
from storage import members
from storage.events import EventPoll, EventPollVote, EventSignup
from tests.fakes.bot_api import FakeBotApi
from tests.telegram_harness import ADMIN_ID, TelegramBot, build_telegram_bot

YP_GROUP = -1009876543210
FORM = (
    "art=exkursion; titel=Exkursion Goslar; beginn=12.03.2030 9:30; ende=12.03.2030 17:00; "
    "ort=Goslar; plätze=2; ankündigung=jetzt"
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.chats[str(YP_GROUP)] = {
            "id": YP_GROUP,
            "type": "supergroup",
            "title": "Young Professionals",
        }
        yield server


@pytest.fixture
async def tg(fake: FakeBotApi, tmp_path: Path) -> AsyncIterator[TelegramBot]:
    bot = await build_telegram_bot(
        fake,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        telegram={"young_professionals_chat": YP_GROUP},
    )
    await bot.app.start()
    yield bot
    await bot.stop()


async def create_excursion(fake: FakeBotApi, form: str = FORM) -> int:
    """`/newevent` in one line from the admin, confirmed by typing "speichern" under its
    preview (a press would add a callback answer the tests count); the event's number from
    the confirmation."""
    fake.private_message(ADMIN_ID, f"/newevent {form}")
    await fake.wait_for("sendMessage", chat_id=ADMIN_ID)
    fake.private_message(ADMIN_ID, "speichern")
    sent = await fake.wait_for("sendMessage", chat_id=ADMIN_ID, count=2)
    confirmation = sent[1].params["text"]
    assert "Exkursion Goslar" in confirmation and "angelegt" in confirmation
    return int(confirmation.split("Nr. ")[1].split()[0])


async def wait_until(condition: Callable[[], bool], within: float = 30.0) -> None:
    """Edits go out through the outbox worker: poll for their effect."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def member_id_of(tg: TelegramBot, user_id: int) -> int:
    async with tg.app.services.db.session() as session:
        account = await members.find_account(
            session, platform=Platform.TELEGRAM, user_id=str(user_id)
        )
        assert account is not None
        return account.member_id


async def test_join_from_the_group_announcement_edits_the_live_count(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    number = await create_excursion(fake)
    post = (await fake.wait_for("sendMessage", chat_id=YP_GROUP))[0]
    assert "Exkursion Goslar" in post.params["text"] and "0/2 Plätze" in post.params["text"]
    keyboard = post.params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for b in keyboard[0]] == [f"ev:join:{number}", f"ev:leave:{number}"]
    message_id = post.result["message_id"]
    announcement = fake.last_message(YP_GROUP)

    popups: list[str] = []
    for count, user in enumerate((601, 602, 603, 601), 1):
        fake.press(user, announcement, "Anmelden")
        answer = (await fake.wait_for("answerCallbackQuery", count=count))[-1]
        assert answer.params["show_alert"] is True
        popups.append(answer.params["text"])
    assert "angemeldet" in popups[0] and "1/2" in popups[0]
    assert "angemeldet" in popups[1] and "2/2" in popups[1]
    assert "ausgebucht" in popups[2] and "Platz 1 der Warteliste" in popups[2]
    assert "schon angemeldet" in popups[3]
    # A stale or forged payload gets a short answer, never an action.
    fake.callback_query(604, announcement, "zz:999")
    await fake.wait_for("answerCallbackQuery", count=5)
    assert fake.unanswered_callbacks() == []

    # The announcement itself is edited (never reposted) until it shows the final count.
    # The worker paces the group at 20 messages a minute (one each 3 s), edits included.
    await wait_until(
        lambda: "1 auf der Warteliste" in fake.messages[(str(YP_GROUP), message_id)]["text"],
        within=15,
    )
    edits = fake.calls_to("editMessageText", ok=True, chat_id=YP_GROUP)
    assert edits and all(e.params["message_id"] == message_id for e in edits)
    assert "2/2 Plätze belegt · 1 auf der Warteliste" in edits[-1].params["text"]
    # full now: the same buttons, the first one saying what it does
    final = edits[-1].params["reply_markup"]["inline_keyboard"]
    assert [[b["callback_data"] for b in row] for row in final] == [
        [b["callback_data"] for b in row] for row in keyboard
    ]
    assert final[0][0]["text"] == "Auf die Warteliste"
    texts = fake.sent_texts(YP_GROUP)
    assert len(texts) == 2 and "nicht mehr gültig" in texts[1]  # else no chatter in the group

    async with tg.app.services.db.session() as session:
        rows = (
            await session.scalars(
                select(EventSignup)
                .where(EventSignup.event_id == number)
                .order_by(EventSignup.position)
            )
        ).all()
    ids = {user: await member_id_of(tg, user) for user in (601, 602, 603)}
    assert [(r.member_id, r.status) for r in rows] == [
        (ids[601], "confirmed"),
        (ids[602], "confirmed"),
        (ids[603], "waitlisted"),
    ]


async def test_a_native_date_poll_stores_the_latest_vote_and_shows_results(
    tg: TelegramBot, fake: FakeBotApi
) -> None:
    number = await create_excursion(fake)
    poll_form = "Welcher Termin passt? | Mo 3. Juni | Di 4. Juni"
    before = len(fake.sent_texts(ADMIN_ID))
    fake.private_message(ADMIN_ID, f"/eventpoll {number} {poll_form}")
    # a preview with how many it reaches; nothing goes out before "senden"
    # (the excursion's own announcement may reach the admin's chat before or after it)
    await wait_until(
        lambda: any("So geht die Umfrage" in text for text in fake.sent_texts(ADMIN_ID)[before:])
    )
    fake.private_message(ADMIN_ID, "senden")
    group_poll = (await fake.wait_for("sendPoll", chat_id=YP_GROUP))[0]
    admin_poll = (await fake.wait_for("sendPoll", chat_id=ADMIN_ID))[0]
    for sent in (group_poll, admin_poll):
        assert sent.params["question"] == "Welcher Termin passt?"
        assert [o["text"] for o in sent.params["options"]] == ["Mo 3. Juni", "Di 4. Juni"]
        assert sent.params["is_anonymous"] is False
    assert any("verschickt" in text for text in fake.sent_texts(ADMIN_ID))

    poll_id = group_poll.result["poll"]["id"]
    fake.poll_answer(poll_id, 701, [0])
    fake.poll_answer(poll_id, 702, [1])
    fake.poll_answer(poll_id, 701, [1])  # changed the mind: the latest vote counts
    fake.poll_answer(admin_poll.result["poll"]["id"], ADMIN_ID, [0])  # the admin's copy counts too
    fake.poll_answer("someone-elses-poll", 703, [0])
    fake.poll_answer(poll_id, 704, [0])
    fake.poll_answer(poll_id, 704, [])  # withdrawn: no longer counted
    await fake.wait_confirmed()

    fake.private_message(ADMIN_ID, f"/pollresults {number}")
    await wait_until(lambda: "Umfragen zu" in fake.sent_texts(ADMIN_ID)[-1])
    results = fake.sent_texts(ADMIN_ID)[-1]
    assert "Welcher Termin passt? (abgestimmt: 3)" in results
    assert "Mo 3. Juni: 1" in results and "Di 4. Juni: 2" in results

    async with tg.app.services.db.session() as session:
        poll = await session.scalar(select(EventPoll).where(EventPoll.event_id == number))
        assert poll is not None and poll.name == "dates"
        votes = (
            await session.scalars(select(EventPollVote).where(EventPollVote.poll_id == poll.id))
        ).all()
    chosen = {v.member_id: v.options for v in votes}
    assert chosen == {
        await member_id_of(tg, 701): [1],
        await member_id_of(tg, 702): [1],
        await member_id_of(tg, ADMIN_ID): [0],
        await member_id_of(tg, 704): [],
    }


async def test_a_burst_of_joins_answers_at_once_and_merges_the_count_edits(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    """30 presses in seconds, with Telegram's 20/min group limit: popups at once, edits merged."""
    bot = await build_telegram_bot(
        fake,
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        telegram={"young_professionals_chat": YP_GROUP},
        rate_limit=True,
    )
    await bot.app.start()
    try:
        await create_excursion(fake, FORM.replace("plätze=2", "plätze=30"))
        await fake.wait_for("sendMessage", chat_id=YP_GROUP)
        announcement = fake.last_message(YP_GROUP)
        started = asyncio.get_running_loop().time()
        for user in range(1501, 1531):
            fake.press(user, announcement, "Anmelden")
        fake.private_message(1600, "/help")
        await fake.wait_for("answerCallbackQuery", count=30, within=20)
        await fake.wait_for("sendMessage", chat_id=1600, within=20)
        assert asyncio.get_running_loop().time() - started < 15
        # Edits wait for the group's limit (one each 3 s); the joins meanwhile merge into one.
        await wait_until(lambda: "30/30 Plätze" in fake.last_message(YP_GROUP)["text"], within=12)
        edits = fake.calls_to("editMessageText", ok=True, chat_id=YP_GROUP)
        assert 1 <= len(edits) <= 3  # the ones held by the group limit were merged
        assert fake.unanswered_callbacks() == []
    finally:
        await bot.stop()
