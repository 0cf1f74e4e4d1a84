"""The bot on Matrix, end to end: the real app and transport against a real Synapse.

Members are matrix-nio clients with encryption; the bot runs the foundation's dispatcher on SQLite.
"""

from __future__ import annotations

import asyncio
import io
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from nio import DownloadResponse, RoomPreset, UploadResponse
from nio.crypto.attachments import decrypt_attachment
from sqlalchemy import select

from bot.delivery import reply_to_payload
from bot.messages import Button, Incoming, Platform, Reply
from bot.transports.base import SendStatus
from bot.transports.matrix import KEY_SYNC_TOKEN
from storage import event_store, members, outbox
from storage.events import CONFIRMED, OFFERED, EventPoll, EventPollVote, EventSignup
from tests.conftest_synapse import NioClientFactory, SynapseServer
from tests.matrix_bot import (
    EVENT_FORM,
    POLL_START,
    BotRun,
    another_member,
    member_id_of,
    seen_from,
)
from tests.matrix_members import ENCRYPTION_STATE, TestMember

pytestmark = pytest.mark.synapse


@pytest.fixture
async def bot(bot_factory: Callable[..., Awaitable[BotRun]]) -> BotRun:
    return await bot_factory()


# --- conversations ------------------------------------------------------------------------


async def test_invite_to_a_direct_chat_and_help(bot: BotRun, member: TestMember) -> None:
    room = await member.open_dm(bot.user_id, encrypted=False)
    await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room)
    assert "/hilfe" in answer.body and "/verbinden" in answer.body  # a new member reads German
    assert answer.content["format"] == "org.matrix.custom.html"
    assert "<b>" in answer.content["formatted_body"]
    assert "m.relates_to" not in answer.content  # direct chats: no reply threading


async def test_encrypted_direct_chat_commands_and_questions(
    bot: BotRun, member: TestMember
) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    assert member.client.rooms[room].encrypted
    await member.say(room, "!hilfe")
    [answer] = await member.expect(bot.user_id, room)
    assert answer.event.decrypted
    assert "/verbinden" in answer.body

    await member.say(room, "Wie hoch ist der Mitgliedsbeitarg?")  # sic: typed on a phone
    [answer] = await member.expect(bot.user_id, room)
    assert answer.event.decrypted
    assert "Beitragsordnung" in answer.body
    assert "1. " in answer.body  # the feedback buttons, as numbered choices

    await member.say(room, "/unbekannt")
    [answer] = await member.expect(bot.user_id, room)
    assert "/unbekannt" in answer.body


async def test_room_answers_commands_and_mentions_only(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    bot = await bot_factory(start=False)
    room = await member.open_room("Junge Profis", [bot.user_id], encrypted=True)
    bot.rooms = (room,)
    await bot.start()
    await member.wait_joined(room, bot.user_id)

    await member.say(room, "Hallo zusammen, wer kommt mit nach Goslar?")
    command = await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room)
    assert answer.content["m.relates_to"]["m.in_reply_to"]["event_id"] == command
    pill = f'<a href="https://matrix.to/#/{bot.user_id}">REWIMET Bot</a>: Hallo'
    mention = await member.say(
        room,
        "REWIMET Bot: Hallo",
        format="org.matrix.custom.html",
        formatted_body=pill,
        **{"m.mentions": {"user_ids": [bot.user_id]}},
    )
    [answer] = await member.expect(bot.user_id, room)
    assert answer.content["m.relates_to"]["m.in_reply_to"]["event_id"] == mention
    await member.say(room, "Noch jemand?")
    await member.expect_nothing(bot.user_id, room)


async def test_numbered_choices_by_number_and_reaction(bot: BotRun, member: TestMember) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!testchoice")
    [question] = await member.expect(bot.user_id, room)
    assert "1. Ja" in question.body and "2. Nein" in question.body
    await member.say(room, "2")
    [done] = await member.expect(bot.user_id, room)
    assert "no" in done.body
    await member.react(room, question.event.event_id, "1️⃣")
    [done] = await member.expect(bot.user_id, room)
    assert "yes" in done.body
    assert bot.recorded.presses == [(member.user_id, "no"), (member.user_id, "yes")]
    await member.say(room, "!testchoice")
    await member.expect(bot.user_id, room)
    await member.say(room, "nein")  # a button's words typed out press it too
    [done] = await member.expect(bot.user_id, room)
    assert "no" in done.body
    assert bot.recorded.presses[-1] == (member.user_id, "no")
    await member.say(room, "1")  # the bot has written since: a bare number presses nothing
    [answer] = await member.expect(bot.user_id, room)
    assert "Notiert" not in answer.body
    assert "Zu „1“ gibt es gerade keine Auswahl" in answer.body  # not "too short a question"
    assert len(bot.recorded.presses) == 3


async def test_a_number_asked_for_is_no_choice_its_buttons_are_lettered(
    bot: BotRun, member: TestMember
) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!testnumber")
    [question] = await member.expect(bot.user_id, room)
    assert "a. Überspringen" in question.body and "1. Überspringen" not in question.body
    await member.say(room, "1")  # one place: an answer, not the skip button
    await member.expect(bot.user_id, room)
    assert bot.recorded.presses == []
    await member.say(room, "!testnumber")
    await member.expect(bot.user_id, room)
    await member.say(room, "a")
    [done] = await member.expect(bot.user_id, room)
    assert "skip" in done.body and bot.recorded.presses == [(member.user_id, "skip")]


async def test_a_listed_items_number_presses_its_lettered_button(
    bot: BotRun, member: TestMember
) -> None:
    # "/events" numbers its events (3, 5) and letters their buttons: "5" means event 5
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!testlist")
    [listed] = await member.expect(bot.user_id, room)
    assert "a. #3 Termin" in listed.body and "b. #5 Termin" in listed.body
    await member.say(room, "5")
    [done] = await member.expect(bot.user_id, room)
    assert "item5" in done.body and bot.recorded.presses == [(member.user_id, "item5")]
    await member.say(room, "!testlist")
    await member.expect(bot.user_id, room)
    await member.say(room, "a")
    await member.expect(bot.user_id, room)
    assert bot.recorded.presses[-1] == (member.user_id, "item3")


async def test_keycap_reactions_are_offered(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    bot = await bot_factory(start=False)
    await bot.start(reaction_buttons=True)
    room = await member.open_dm(bot.user_id, encrypted=False)
    await member.say(room, "!testchoice")
    [question] = await member.expect(bot.user_id, room)
    keys = await member.expect(bot.user_id, room, 2, types=("m.reaction",))
    assert [k.content["m.relates_to"]["key"] for k in keys] == ["1️⃣", "2️⃣"]
    assert all(k.content["m.relates_to"]["event_id"] == question.event.event_id for k in keys)
    asked = question.event.event_id

    # Edited with its choices (a sign-up count changed): the list stays, so do the reactions.
    same = (Button("Ja", "tc:yes"), Button("Nein", "tc:no"))
    await bot.mx.send(
        room, Reply(text="Kommen Sie mit? (2 kommen)", buttons=(same,), edit_ref=asked)
    )
    [edit] = await member.expect(bot.user_id, room)
    assert "1. Ja" in edit.content["m.new_content"]["body"], edit.content
    # Edited without them (an office alert the member withdrew): the reactions go, and one
    # pressed now presses nothing; they had stayed and looked like choices.
    await bot.mx.send(room, Reply(text="Erledigt.", edit_ref=asked))
    seen = await member.expect(bot.user_id, room, 3, types=("m.room.message", "m.room.redaction"))
    [done] = [s for s in seen if s.type == "m.room.message"]
    assert "1." not in done.content["m.new_content"]["body"]
    gone = {s.event.source["redacts"] for s in seen if s.type == "m.room.redaction"}
    assert gone == {k.event.event_id for k in keys}
    await member.react(room, asked, "1️⃣")
    await member.say(room, "1")
    [typed] = await member.expect(bot.user_id, room)
    assert bot.recorded.presses == [], typed.body


async def offer_places(bot: BotRun, user_id: str, titles: list[str]) -> list[int]:
    """A place offered to the member on each of these events (one place each, as if freed
    for them from the waitlist), the first title's offer running out first; their numbers."""
    member_id = await member_id_of(bot, user_id)
    now = bot.the_app.services.clock()
    numbers = []
    async with bot.the_app.services.db.session() as session:
        for days, title in enumerate(titles, 1):
            starts = now + timedelta(days=30 + days)
            event = await event_store.create_event(
                session, kind="excursion", title=title, starts_at=starts, capacity=1
            )
            event.taken = event.arrivals = 1
            expires = now + timedelta(days=days)
            session.add(
                EventSignup(
                    event_id=event.id,
                    member_id=member_id,
                    status=OFFERED,
                    position=1,
                    offer_expires_at=expires,
                )
            )
            numbers.append(event.id)
    return numbers


async def test_every_item_of_offen_is_answered_by_its_number_or_reaction(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    """/offen sends each item as its own message: their choices are numbered on (1, 2 under
    the first, 3, 4 under the second), typed or as reactions, and every number presses its
    item's button. Each message had numbered its own 1 and 2, and a typed number answered
    only the last message's."""
    bot = await bot_factory(start=False)
    await bot.start(reaction_buttons=True)
    room = await member.open_dm(bot.user_id, encrypted=False)
    await member.say(room, "!hilfe")
    await member.expect(bot.user_id, room)
    titles = ["Haldenbegehung Hettstedt", "Werkstattgespräch Freiberg"]
    _first, second = await offer_places(bot, member.user_id, titles)

    await member.say(room, "!offen")
    seen = await member.expect(bot.user_id, room, 7, types=("m.room.message", "m.reaction"))
    header, hettstedt, freiberg = [s for s in seen if s.type == "m.room.message"]
    assert "Das wartet auf Sie" in header.body
    assert "Hettstedt" in hettstedt.body and "Freiberg" in freiberg.body
    assert "1. Platz annehmen" in hettstedt.body and "2. Ablehnen" in hettstedt.body
    assert "3. Platz annehmen" in freiberg.body and "4. Ablehnen" in freiberg.body
    keys = [s for s in seen if s.type == "m.reaction"]
    under = {k.content["m.relates_to"]["key"]: k.content["m.relates_to"]["event_id"] for k in keys}
    assert under == {
        "1️⃣": hettstedt.event.event_id,
        "2️⃣": hettstedt.event.event_id,
        "3️⃣": freiberg.event.event_id,
        "4️⃣": freiberg.event.event_id,
    }

    await member.say(room, "3")  # the first item's numbers stay too: "3" is the second's
    [taken] = await member.expect(bot.user_id, room)
    assert "Platz angenommen" in taken.body and "Werkstattgespräch Freiberg" in taken.body
    await member.react(room, hettstedt.event.event_id, "2️⃣")  # under its own message
    [declined] = await member.expect(bot.user_id, room)
    assert "Platz für „Haldenbegehung Hettstedt“ abgelehnt" in declined.body
    member_id = await member_id_of(bot, member.user_id)
    async with bot.the_app.services.db.session() as session:
        rows = await session.scalars(select(EventSignup).where(EventSignup.member_id == member_id))
        signups = {row.event_id: row.status for row in rows}
    assert signups == {second: CONFIRMED}, signups  # the first one's place went on

    # Edited (as an outbox edit does), the second's list reads 1, 2 and so do its reactions.
    buttons = ((Button("Platz annehmen", f"ev:accept:{second}"), Button("Ablehnen", "x")),)
    edit = Reply(text="Freiberg", buttons=buttons, edit_ref=freiberg.event.event_id)
    await bot.mx.send(room, edit)
    kinds = ("m.room.message", "m.room.redaction", "m.reaction")
    seen = await member.expect(bot.user_id, room, 5, types=kinds)
    [edited] = [s for s in seen if s.type == "m.room.message"]
    assert "1. Platz annehmen" in edited.content["m.new_content"]["body"], edited.content
    gone = {s.event.source["redacts"] for s in seen if s.type == "m.room.redaction"}
    its_own = [k for k in keys if k.content["m.relates_to"]["event_id"] == freiberg.event.event_id]
    assert gone == {k.event.event_id for k in its_own}
    again = [s.content["m.relates_to"]["key"] for s in seen if s.type == "m.reaction"]
    assert again == ["1️⃣", "2️⃣"]


async def test_after_a_place_is_taken_from_offen_the_others_still_answer_their_numbers(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    """Taking one place from /offen: the reply's "Abmelden" and "In den Kalender" are
    numbered on after the list's (5, 6, their reactions too), and the list's numbers still
    answer its other items; the reply's own buttons had replaced them ("4" pressed nothing)."""
    bot = await bot_factory(start=False)
    await bot.start(reaction_buttons=True)
    room = await member.open_dm(bot.user_id, encrypted=False)
    await member.say(room, "!hilfe")
    await member.expect(bot.user_id, room)
    titles = ["Haldenbegehung Hettstedt", "Werkstattgespräch Freiberg"]
    hettstedt, _freiberg = await offer_places(bot, member.user_id, titles)
    await member.say(room, "!offen")
    await member.expect(bot.user_id, room, 7, types=("m.room.message", "m.reaction"))

    await member.say(room, "1")
    seen = await member.expect(bot.user_id, room, 3, types=("m.room.message", "m.reaction"))
    [taken] = [s for s in seen if s.type == "m.room.message"]
    assert "Platz angenommen" in taken.body and "Hettstedt" in taken.body, taken.body
    assert "5. Abmelden" in taken.body and "6. In den Kalender" in taken.body, taken.body
    keys = [s.content["m.relates_to"]["key"] for s in seen if s.type == "m.reaction"]
    assert keys == ["5️⃣", "6️⃣"]
    await member.say(room, "4")  # the second place, declined
    [declined] = await member.expect(bot.user_id, room)
    assert "Platz für „Werkstattgespräch Freiberg“ abgelehnt" in declined.body
    await member.say(room, "6")  # the calendar file of the place taken
    said, file = await member.expect(bot.user_id, room, 2)
    assert "Kalenderdatei" in said.body, said.body
    assert file.content["body"] == f"rewimet-event-{hettstedt}.ics", file.content
    member_id = await member_id_of(bot, member.user_id)
    async with bot.the_app.services.db.session() as session:
        rows = await session.scalars(select(EventSignup).where(EventSignup.member_id == member_id))
        signups = {row.event_id: row.status for row in rows}
    assert signups == {hettstedt: CONFIRMED}, signups


async def delivered(bot: BotRun, user_id: str, room: str, reply: Reply) -> None:
    """`reply` queued in the outbox for the member in `room`: the app's worker sends it."""
    member_id = await member_id_of(bot, user_id)
    async with bot.the_app.services.db.session() as session:
        await outbox.enqueue(
            session,
            kind="broadcast",
            platform="matrix",
            payload=reply_to_payload(reply),
            member_id=member_id,
            chat_id=room,
            user_id=user_id,
        )
    bot.the_app.services.outbox_wakeup()


async def test_offen_keeps_its_numbers_under_news_and_a_reminder_numbers_its_own(
    bot: BotRun, member: TestMember
) -> None:
    """A broadcast delivered under /offen answers nothing: "1" still takes the first place (it
    had cleared the numbers: "1" then "wählt hier nichts"). A reminder with buttons delivered
    after it numbers its own from 1; the list's words typed then still answer the offer that
    waits (they had been "eine Schaltfläche oben", whose number was the reminder's, and then
    "keine Auswahl")."""
    room = await member.open_dm(bot.user_id, encrypted=False)
    await member.say(room, "!hilfe")
    await member.expect(bot.user_id, room)
    titles = ["Haldenbegehung Hettstedt", "Werkstattgespräch Freiberg"]
    hettstedt, freiberg = await offer_places(bot, member.user_id, titles)
    await member.say(room, "!offen")
    await member.expect(bot.user_id, room, 3)

    news = Reply(text="Rundschreiben: Das Sommerfest ist am 4. Juli im Bergwerksmuseum.")
    await delivered(bot, member.user_id, room, news)
    [arrived] = await member.expect(bot.user_id, room)
    assert "Sommerfest" in arrived.body, arrived.body
    await member.say(room, "1")
    [taken] = await member.expect(bot.user_id, room)
    assert "Platz angenommen" in taken.body and "Hettstedt" in taken.body, taken.body

    buttons = ((Button("In den Kalender", f"ev:ics:{freiberg}"), Button("Abmelden", "x")),)
    reminder = Reply(text="Erinnerung: Werkstattgespräch Freiberg", buttons=buttons)
    await delivered(bot, member.user_id, room, reminder)
    [arrived] = await member.expect(bot.user_id, room)
    assert "1. In den Kalender" in arrived.body, arrived.body
    await member.say(room, "1")
    said, file = await member.expect(bot.user_id, room, 2)
    assert file.content["body"] == f"rewimet-event-{freiberg}.ics", file.content
    await member.say(room, "Ablehnen")
    [said] = await member.expect(bot.user_id, room)
    assert "Werkstattgespräch Freiberg" in said.body and "abgelehnt" in said.body, said.body
    member_id = await member_id_of(bot, member.user_id)
    async with bot.the_app.services.db.session() as session:
        rows = await session.scalars(select(EventSignup).where(EventSignup.member_id == member_id))
        signups = {row.event_id: row.status for row in rows}
    assert signups == {hettstedt: CONFIRMED}, signups


async def test_the_other_questions_are_withdrawn_after_one_by_number_or_words(
    bot: BotRun, member: TestMember
) -> None:
    """/meinefragen: after "1" withdrew the first question, the list's other numbers and
    button words still withdraw theirs (the withdrawal's reply had cleared the choices)."""
    room = await member.open_dm(bot.user_id, encrypted=True)
    asked = [
        "Gibt es auf der Halde in Hettstedt festes Schuhwerk zu leihen?",
        "Kann ich meine Kinder zum Sommerfest in Freiberg mitnehmen?",
        "Darf ich meinen Hund zur Exkursion nach Goslar mitbringen?",
    ]
    for question in asked:
        await member.say(room, question)
        [handed] = await member.expect(bot.user_id, room)
        assert "Ticket #" in handed.body, handed.body
    await member.say(room, "!meinefragen")
    [listed] = await member.expect(bot.user_id, room)
    assert "3. #3 zurückziehen" in listed.body, listed.body
    for typed, withdrawn in (("1", "Hettstedt"), ("#3 zurückziehen", "Goslar"), ("2", "Kinder")):
        await member.say(room, typed)
        [answer] = await member.expect(bot.user_id, room)
        assert answer.body.startswith("Zurückgezogen") and withdrawn in answer.body, answer.body
    await member.say(room, "!meinefragen")
    [none] = await member.expect(bot.user_id, room)
    assert "keine offenen Fragen" in none.body, none.body


async def test_event_sign_up_and_date_poll_in_the_young_professionals_room(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember, nio_client: NioClientFactory
) -> None:
    """The real events feature: announced in the room, joined by number, a poll answered."""
    bob = await another_member(nio_client, "bob")
    bot = await bot_factory(start=False)
    room = await member.open_room("Junge Profis", [bot.user_id, bob.user_id])
    await bob.accept_invite(room)
    bot.rooms = (room,)
    bot.settings = {
        "admins": {"matrix": [member.user_id]},
        "matrix": {"young_professionals_room": room},
    }
    await bot.start()
    await member.wait_joined(room, bot.user_id)
    dm = await member.open_dm(bot.user_id, encrypted=False)

    await member.say(dm, f"!newevent {EVENT_FORM}")
    await seen_from(member, bot.user_id, dm, lambda s: "So wird sie angelegt" in s.body)
    await member.say(dm, "speichern")  # nothing is stored or announced before this
    created = await seen_from(member, bot.user_id, dm, lambda s: "ist angelegt" in s.body)
    number = int(created.body.split("Nr. ")[1].split()[0])
    announcement = await seen_from(bob, bot.user_id, room, lambda s: "Goslar" in s.body)
    assert "0/1 Platz belegt" in announcement.body and "1. Anmelden" in announcement.body

    # Bob answers the announcement's numbered choice (a reply to it, as in Element).
    reply_to = {"m.in_reply_to": {"event_id": announcement.event.event_id}}
    await bob.say(room, "1", **{"m.relates_to": reply_to})
    await seen_from(bob, bot.user_id, room, lambda s: "angemeldet" in s.body)
    edit = await seen_from(
        bob,
        bot.user_id,
        room,
        lambda s: s.content.get("m.relates_to", {}).get("rel_type") == "m.replace",
    )
    assert edit.content["m.relates_to"]["event_id"] == announcement.event.event_id
    assert "1/1 Platz belegt" in edit.content["m.new_content"]["body"]
    bob_id = await member_id_of(bot, bob.user_id)
    async with bot.the_app.services.db.session() as session:
        signup = await session.scalar(
            select(EventSignup).where(
                EventSignup.event_id == number, EventSignup.member_id == bob_id
            )
        )
    assert signup is not None and signup.status == "confirmed"

    # The date poll goes into the room as a native poll; Bob's latest vote is stored.
    await member.say(dm, f"!eventpoll {number} Welcher Termin passt? | Mo 3. Juni | Di 4. Juni")
    shown = await seen_from(member, bot.user_id, dm, lambda s: "So geht die Umfrage" in s.body)
    member.seen.remove(shown)
    await member.say(dm, "senden")  # nothing goes out before this
    poll = await seen_from(bob, bot.user_id, room, lambda s: s.type in POLL_START)
    start = poll.content["org.matrix.msc3381.poll.start"]
    assert start["question"]["body"] == "Welcher Termin passt?"
    answers = [a["id"] for a in start["answers"]]
    await bob.vote(room, poll.event.event_id, [answers[0]])
    await bob.vote(room, poll.event.event_id, [answers[1]], stable=True)  # changed his mind

    async def votes() -> list[tuple[int, list[int]]]:
        async with bot.the_app.services.db.session() as session:
            stored = await session.scalar(select(EventPoll).where(EventPoll.event_id == number))
            assert stored is not None and stored.name == "dates"
            rows = await session.scalars(
                select(EventPollVote).where(EventPollVote.poll_id == stored.id)
            )
            return [(v.member_id, v.options) for v in rows]

    for _ in range(100):  # the room's events reach the bot in its own sync
        if await votes() == [(bob_id, [1])]:
            break
        await asyncio.sleep(0.1)
    assert await votes() == [(bob_id, [1])]
    await member.say(dm, f"!pollresults {number}")
    results = await seen_from(member, bot.user_id, dm, lambda s: "abgestimmt" in s.body)
    assert "(abgestimmt: 1)" in results.body
    assert "Mo 3. Juni: 0" in results.body and "Di 4. Juni: 1" in results.body


async def test_files_are_uploaded_encrypted(bot: BotRun, member: TestMember) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!testfile")
    [file] = await member.expect(bot.user_id, room)
    assert file.content["msgtype"] == "m.file" and file.content["body"] == "teilnehmer.csv"
    info = file.content["file"]  # encrypted room: no plain `url`, the key travels in the event
    assert "url" not in file.content
    downloaded = await member.client.download(info["url"])
    assert isinstance(downloaded, DownloadResponse), downloaded
    plain = decrypt_attachment(
        downloaded.body, info["key"]["k"], info["hashes"]["sha256"], info["iv"]
    )
    assert plain == b"name;ort\nTest GmbH;Clausthal\n"


# --- reliability --------------------------------------------------------------------------


async def test_restart_neither_replays_nor_loses(bot: BotRun, member: TestMember) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!help")
    await member.expect(bot.user_id, room)
    device = bot.mx.client.device_id

    await bot.stop()
    await member.say(room, "/unbekannt1")  # written while the bot is down
    await bot.start()
    assert bot.mx.client.device_id == device  # the same device: the old keys still decrypt
    [answer] = await member.expect(bot.user_id, room)
    assert "/unbekannt1" in answer.body
    await member.expect_nothing(bot.user_id, room)  # and "!help" was not answered again

    # A crash after handling, before the sync token was stored: the batch comes again and the
    # dispatcher's record of handled event ids keeps it from being answered twice.
    state = bot.mx.state
    original_set = state.set
    failures = 0

    async def failing_set(key: str, value: str) -> None:
        nonlocal failures
        if key == KEY_SYNC_TOKEN and failures == 0:
            failures += 1
            raise ConnectionError("database went away")
        await original_set(key, value)

    state.set = failing_set  # type: ignore[method-assign]
    await member.say(room, "/unbekannt2")
    [answer] = await member.expect(bot.user_id, room, within=15)
    assert "/unbekannt2" in answer.body
    await member.expect_nothing(bot.user_id, room, within=2.5)
    assert failures == 1


async def test_first_start_ignores_history(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    bot = await bot_factory(start=False)
    room = await member.open_room("Vorher", [bot.user_id])
    await member.say(room, "!help")  # before the bot ever ran
    bot.rooms = (room,)
    await bot.start()
    await member.wait_joined(room, bot.user_id)
    await member.expect_nothing(bot.user_id, room)


async def test_kicked_from_a_room(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    bot = await bot_factory(start=False)
    room = await member.open_room("Vorstand", [bot.user_id])
    bot.rooms = (room,)
    await bot.start()
    await member.wait_joined(room, bot.user_id)
    kicked = await member.client.room_kick(room, bot.user_id, reason="Test")
    assert kicked.__class__.__name__ == "RoomKickResponse", kicked
    await member.sync(lambda _r: bot.user_id not in member.client.rooms[room].users)

    result = await bot.mx.send(room, Reply(text="Noch da?"))
    for _ in range(50):
        if room not in bot.mx.client.rooms:
            break
        result = await bot.mx.send(room, Reply(text="Noch da?"))
        await member.sync(lambda _r: True, within=1)
    assert room not in bot.mx.client.rooms
    result = await bot.mx.send(room, Reply(text="Noch da?"))
    assert result.status is SendStatus.UNREACHABLE
    assert bot.mx.is_alive()


async def test_uninvited_rooms_are_declined(bot: BotRun, member: TestMember) -> None:
    room = await member.open_room("Werbung", [bot.user_id])
    await member.sync(
        lambda _r: bot.user_id not in member.client.rooms[room].invited_users, within=10
    )
    assert bot.user_id not in member.client.rooms[room].users


# --- reaching members first ---------------------------------------------------------------


async def test_direct_chat_created_recorded_and_reused(bot: BotRun, member: TestMember) -> None:
    room = await bot.mx.direct_chat(member.user_id)
    assert room is not None
    assert await bot.mx.direct_chat(member.user_id) == room
    await member.accept_invite(room)
    assert member.client.rooms[room].encrypted

    result = await bot.mx.send(room, Reply(text="Ihre Anmeldung ist <b>bestätigt</b>."))
    assert result.status is SendStatus.SENT
    [message] = await member.expect(bot.user_id, room)
    assert message.event.decrypted and message.body == "Ihre Anmeldung ist bestätigt."

    status, direct = await bot.synapse.admin_request(
        "GET",
        f"/_matrix/client/v3/user/{bot.user_id}/account_data/m.direct",
        bot.account.access_token,
    )
    assert status == 200 and direct[member.user_id] == [room]


async def test_rate_limit_and_unknown_room(
    synapse: SynapseServer, bot: BotRun, member: TestMember
) -> None:
    admin = await synapse.aregister(synapse.unique_localpart("admin"), admin=True)
    room = await member.open_dm(bot.user_id, encrypted=False)
    await synapse.override_ratelimit(admin.access_token, bot.user_id, per_second=1, burst=1)
    try:
        results = [await bot.mx.send(room, Reply(text=f"Nachricht {i}")) for i in range(3)]
    finally:
        await synapse.override_ratelimit(admin.access_token, bot.user_id)
    statuses = [r.status for r in results]
    assert SendStatus.RETRY in statuses, results
    limited = next(r for r in results if r.status is SendStatus.RETRY)
    assert limited.retry_after is not None and limited.retry_after > 0

    unknown = await bot.mx.send("!nowhere:localhost", Reply(text="?"))
    assert unknown.status is SendStatus.UNREACHABLE


# --- one member, two platforms ------------------------------------------------------------


async def test_link_matrix_and_telegram(bot: BotRun, member: TestMember) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!link")
    [answer] = await member.expect(bot.user_id, room)
    match = re.search(r"<code>([A-Z0-9]{8})</code>", answer.content["formatted_body"])
    assert match is not None, answer.content
    code = match.group(1)

    replies: list[Reply] = []

    async def respond(reply: Reply) -> str | None:
        replies.append(reply)
        return None

    telegram_user = str(secrets.randbelow(10**9))
    await bot.the_app.dispatcher.handle(
        Incoming(
            platform=Platform.TELEGRAM,
            chat_id=telegram_user,
            sender_id=telegram_user,
            update_id=f"tg-{telegram_user}",
            text=f"/link {code}",
        ),
        respond,
    )
    assert replies, "Telegram side got no answer"
    async with bot.the_app.services.db.session() as session:
        on_matrix = await members.find_account(
            session, platform=Platform.MATRIX, user_id=member.user_id
        )
        on_telegram = await members.find_account(
            session, platform=Platform.TELEGRAM, user_id=telegram_user
        )
    assert on_matrix is not None and on_telegram is not None
    assert on_matrix.member_id == on_telegram.member_id


async def test_sync_resumes_after_connection_loss(
    synapse: SynapseServer, bot: BotRun, member: TestMember
) -> None:
    room = await member.open_dm(bot.user_id, encrypted=True)
    synapse.stop()
    try:
        for _ in range(100):
            if not bot.mx.is_alive():
                break
            await asyncio.sleep(0.05)
        assert not bot.mx.is_alive()
    finally:
        synapse.start()
    await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room, within=20)
    assert "/verbinden" in answer.body
    assert bot.mx.is_alive()


async def test_gap_after_downtime_is_filled(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    """More messages than one sync's timeline holds: the bot pages back and answers them all."""
    bot = await bot_factory(timeline_limit=2)
    room = await member.open_dm(bot.user_id, encrypted=True)
    await bot.stop()
    for i in range(5):
        await member.say(room, f"/unbekannt{i}")
    await bot.start(timeline_limit=2)
    answers = await member.expect(bot.user_id, room, 5, within=15)
    assert [a.body.split("/")[1].split()[0] for a in answers] == [f"unbekannt{i}" for i in range(5)]
    await member.expect_nothing(bot.user_id, room)


async def test_message_written_before_the_bot_joined(bot: BotRun, member: TestMember) -> None:
    """Element users write right after inviting; the bot answers once it has joined."""
    created = await member.client.room_create(
        is_direct=True,
        invite=[bot.user_id],
        initial_state=[ENCRYPTION_STATE],
        preset=RoomPreset.trusted_private_chat,
    )
    room = created.room_id
    await member.sync(lambda _r: room in member.client.rooms)
    await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room, within=15)
    assert "/verbinden" in answer.body


async def test_verified_only_ignores_unverified_devices(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    bot = await bot_factory(trust="verified_only")
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!help")
    await member.expect_nothing(bot.user_id, room)

    assert bot.mx.trust_device(member.user_id, member.client.device_id)
    await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room)
    assert answer.event.decrypted and "/verbinden" in answer.body


async def test_session_revoked_logs_in_again_on_the_same_device(
    synapse: SynapseServer, bot: BotRun, member: TestMember
) -> None:
    """An admin signed the bot out: it logs in again with its password, on the same device.

    (Encrypted rooms are not checked here: a matrix-nio *member* never un-deletes a device that
    comes back with the same keys; Element does.)
    """
    admin = await synapse.aregister(synapse.unique_localpart("admin"), admin=True)
    room = await member.open_dm(bot.user_id, encrypted=False)
    device = bot.mx.client.device_id
    status, _ = await synapse.admin_request(
        "DELETE", f"/_synapse/admin/v2/users/{bot.user_id}/devices/{device}", admin.access_token
    )
    assert status == 200
    await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room, within=15)
    assert "/verbinden" in answer.body
    assert bot.mx.client.device_id == device
    status, keys = await synapse.admin_request(
        "POST",
        "/_matrix/client/v3/keys/query",
        admin.access_token,
        {"device_keys": {bot.user_id: []}},
    )
    assert device in keys["device_keys"][bot.user_id]  # its keys are published again


async def test_access_token_login_uses_that_device(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember
) -> None:
    bot = await bot_factory(start=False)
    await bot.start(password=None, access_token=bot.account.access_token)
    assert bot.mx.client.device_id == bot.account.device_id
    session = (bot.store / "session.json").read_text()
    assert bot.account.access_token not in session  # a configured token stays in the config

    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!help")
    [answer] = await member.expect(bot.user_id, room)
    assert answer.event.decrypted

    edited = await bot.mx.send(room, Reply(text="<i>neu</i>", edit_ref=answer.event.event_id))
    assert edited.status is SendStatus.SENT
    [edit] = await member.expect(bot.user_id, room)
    assert edit.content["m.relates_to"] == {
        "rel_type": "m.replace",
        "event_id": answer.event.event_id,
    }
    assert edit.content["m.new_content"]["formatted_body"] == "<i>neu</i>"


async def test_message_whose_key_arrives_later_is_answered(bot: BotRun, member: TestMember) -> None:
    """The room key can come in a later sync than the message; the bot keeps the message."""
    room = await member.open_dm(bot.user_id, encrypted=True)
    client = bot.mx.client
    original = client._handle_to_device
    held: list[Any] = []
    release = asyncio.Event()

    async def hold_keys(response: Any) -> None:
        if not release.is_set():
            held.extend(response.to_device_events)  # these syncs deliver no keys...
            response.to_device_events = []
        elif held:
            response.to_device_events = [*held, *response.to_device_events]  # ...a later one
            held.clear()
        await original(response)

    client._handle_to_device = hold_keys
    await member.say(room, "/unbekanntA")
    for _ in range(100):
        if bot.mx._undecrypted:
            break
        await asyncio.sleep(0.05)
    assert bot.mx._undecrypted, "the first message should wait for its key"
    release.set()
    await member.say(room, "/unbekanntB")
    answers = await member.expect(bot.user_id, room, 2, within=15)
    assert "unbekannta" in answers[0].body.lower() and "unbekanntb" in answers[1].body.lower()
    assert not bot.mx._undecrypted


async def test_member_leaving_a_direct_chat(bot: BotRun, member: TestMember) -> None:
    """The bot leaves the dead room too; the next delivery needs a new direct chat."""
    room = await member.open_dm(bot.user_id, encrypted=True)
    await member.say(room, "!help")
    await member.expect(bot.user_id, room)
    await member.client.room_leave(room)
    for _ in range(100):
        if room not in bot.mx.client.rooms:
            break
        await asyncio.sleep(0.05)
    assert room not in bot.mx.client.rooms
    assert (await bot.mx.send(room, Reply(text="?"))).status is SendStatus.UNREACHABLE
    fresh = await bot.mx.direct_chat(member.user_id)
    assert fresh is not None and fresh != room


# --- broadcasts with a file ---------------------------------------------------------------


async def test_a_document_broadcast_arrives_as_m_file(
    bot_factory: Callable[..., Awaitable[BotRun]], member: TestMember, nio_client: NioClientFactory
) -> None:
    """An admin sends a PDF into the broadcast (encrypted, as Element does); two members get
    the news and the file in their encrypted direct chats, from one upload."""
    bob = await another_member(nio_client, "bob")
    carl = await another_member(nio_client, "carl")
    bot = await bot_factory(start=False)
    bot.settings = {"admins": {"matrix": [member.user_id]}}
    await bot.start()
    rooms = {}
    for recipient in (bob, carl):
        rooms[recipient.user_id] = await recipient.open_dm(bot.user_id, encrypted=True)
        async with bot.the_app.services.db.session() as session:
            added = await members.create_member_with_account(
                session,
                platform="matrix",
                user_id=recipient.user_id,
                chat_id=rooms[recipient.user_id],
                display_name=recipient.user_id,
                language="de",
            )
            await members.update_member(session, member_id=added.id, onboarded=True)
    dm = await member.open_dm(bot.user_id, encrypted=True)

    await member.say(dm, "!broadcast")
    await seen_from(member, bot.user_id, dm, lambda s: "Was soll die Nachricht" in s.body)
    await member.say(dm, "Das Programm des Symposiums ist da.")
    await seen_from(member, bot.user_id, dm, lambda s: "Ohne Bild oder Datei" in s.body)
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 200
    upload, keys = await member.client.upload(
        lambda *_: io.BytesIO(pdf),
        content_type="application/pdf",
        filename="programm.pdf",
        encrypt=True,
        filesize=len(pdf),
    )
    assert isinstance(upload, UploadResponse) and keys is not None, upload
    await member.send(
        dm,
        "m.room.message",
        {
            "msgtype": "m.file",
            "body": "programm.pdf",
            "filename": "programm.pdf",
            "info": {"mimetype": "application/pdf", "size": len(pdf)},
            "file": {"url": upload.content_uri, **keys},
        },
    )
    await seen_from(member, bot.user_id, dm, lambda s: "Wer soll sie bekommen" in s.body)
    await member.say(dm, "1")  # everyone
    preview = await seen_from(member, bot.user_id, dm, lambda s: "Vorschau" in s.body)
    assert "📎 mit Datei programm.pdf, 50 KB" in preview.body and "2 Mitglieder" in preview.body
    await member.say(dm, "1")  # send
    await seen_from(member, bot.user_id, dm, lambda s: "unterwegs" in s.body)

    for recipient in (bob, carl):
        room = rooms[recipient.user_id]
        news = await seen_from(recipient, bot.user_id, room, lambda s: "Programm" in s.body)
        assert "Neuigkeiten von" in news.body and news.event.decrypted
        file = await seen_from(
            recipient, bot.user_id, room, lambda s: s.content.get("msgtype") == "m.file"
        )
        assert file.content["body"] == "programm.pdf" and "url" not in file.content
        info = file.content["file"]
        downloaded = await recipient.client.download(info["url"])
        assert isinstance(downloaded, DownloadResponse), downloaded
        plain = decrypt_attachment(
            downloaded.body, info["key"]["k"], info["hashes"]["sha256"], info["iv"]
        )
        assert plain == pdf
    assert bot.mx.uploads.uploaded == 1  # one encrypted upload for both rooms
