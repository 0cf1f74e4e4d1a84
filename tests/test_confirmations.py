"""Ask before writing to many people (issue 14, §3): the one-line /newevent and /editevent show
the guided form's preview with how many will be told, /cancelevent asks for a reason and a
press, and a scheduled broadcast can be cancelled from /broadcasts. Nothing is sent before the
press, in German and in English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.delivery import reply_from_payload
from bot.messages import Platform
from handlers.broadcast.rules import Audience
from handlers.broadcast.sending import queue_broadcast
from storage.events import Event
from storage.models import OutboxMessage
from tests.confirming import confirmed
from tests.dates import days_ahead, typed
from tests.harness import Harness, make_harness
from tests.recording_transport import RecordingTransport

# What the admin reads, by language.
SAY = {
    "de": {
        "save": "Speichern",
        "discard": "Verwerfen",
        "preview": "So wird sie angelegt",
        "reach": "Gruppen und Räume: 2, an Mitglieder: 2",
        "created": "ist angelegt",
        "stale": "nicht mehr gültig",
        "nothing": "Nichts wurde geändert",
        "edit_preview": "geändert:",
        "told_1": "Angemeldete (mit Platzangeboten und Warteliste): 1",
        "edited": "ist geändert",
        "ask_reason": "Begründung mitschicken",
        "told_2": "benachrichtigt werden Angemeldete: 2",
        "no_reason": "ohne Begründung",
        "really": "Wirklich absagen?",
        "cancel": "Absagen",
        "keep": "Zurück",
        "kept": "findet weiter statt",
        "cancelled": "ist abgesagt",
        "reason": "Begründung: Der Bus fällt aus",
        "use_buttons": "Absagen",
        "bc_skip": "Ohne Bild",
        "bc_all": "Alle",
        "bc_time": "Zeitpunkt",
        "bc_send": "Senden",
        "bc_cancel": "Abbrechen: #1",
        "bc_yes": "Ja, abbrechen",
        "bc_cancelled": "ist abgebrochen",
        "bc_already": "schon abgebrochen",
        "bc_report": "(abgebrochen)",
        "bc_too_late": "nicht mehr abbrechen",
        "bc_scheduled": "– geplant",
    },
    "en": {
        "save": "Save",
        "discard": "Discard",
        "preview": "It will be created like this",
        "reach": "chats and rooms: 2, to members: 2",
        "created": "is created",
        "stale": "no longer valid",
        "nothing": "Nothing was changed",
        "edit_preview": "changed like this:",
        "told_1": "who will be told (offered places and waiting list included): 1",
        "edited": "is changed",
        "ask_reason": "give them a reason",
        "told_2": "people signed up who will be told: 2",
        "no_reason": "no reason",
        "really": "Really cancel it?",
        "cancel": "Cancel event",
        "keep": "Keep it",
        "kept": "still takes place",
        "cancelled": "is cancelled",
        "reason": "Reason: Der Bus fällt aus",
        "use_buttons": "Cancel event",
        "bc_skip": "Without image",
        "bc_all": "Everyone",
        "bc_time": "Choose a time",
        "bc_send": "Send",
        "bc_cancel": "Cancel #1",
        "bc_yes": "Yes, cancel it",
        "bc_cancelled": "is cancelled",
        "bc_already": "already cancelled",
        "bc_report": "(cancelled)",
        "bc_too_late": "can no longer be cancelled",
        "bc_scheduled": "– scheduled",
    },
}
LANGS = pytest.mark.parametrize("lang", ["de", "en"])


@pytest.fixture
async def groups_bot(tmp_path: Path) -> AsyncIterator[Harness]:
    """A bot with two announcement chats and two admins."""
    bot = await make_harness(
        f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        admins=["admin", "boss"],
        telegram={"announcement_chats": [-100123, -100124]},
    )
    yield bot
    await bot.app.stop()


def excursion(bot: Harness, places: int = 10) -> str:
    start = days_ahead(bot, 60)
    return f"art=exkursion; titel=Exkursion Freiberg; beginn={typed(start)}; plätze={places}"


async def outbox(bot: Harness, kind: str | None = None) -> list[OutboxMessage]:
    async with bot.db.session() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list((await session.execute(query)).scalars())


async def events(bot: Harness) -> list[Event]:
    async with bot.db.session() as session:
        return list((await session.execute(select(Event).order_by(Event.id))).scalars())


async def admin_speaks(bot: Harness, lang: str, user: str = "admin") -> None:
    if lang == "en":
        await bot.send(user, "/language en")


async def new_event(bot: Harness, places: int = 10) -> int:
    await confirmed(bot, f"/newevent {excursion(bot, places)}", "Speichern")
    return (await events(bot))[-1].id


@LANGS
async def test_one_line_newevent_shows_the_preview_and_waits(
    groups_bot: Harness, lang: str
) -> None:
    bot = groups_bot
    say = SAY[lang]
    await bot.onboard("anna")
    await bot.onboard("ben", lang="en")
    await bot.send("boss", "/help")  # the second admin
    await admin_speaks(bot, lang)
    preview = await bot.send("admin", f"/newevent {excursion(bot)}")
    assert say["preview"] in preview.text and "Exkursion Freiberg" in preview.text
    # Two announcement chats; two registered members want news (the admins never registered:
    # like broadcasts, announcements reach those who did).
    assert say["reach"] in preview.text
    assert await outbox(bot) == [] and await events(bot) == []
    discarded = await bot.press("admin", preview.button(say["discard"]))
    assert say["nothing"] in discarded.text
    assert await outbox(bot) == [] and await events(bot) == []
    assert say["stale"] in (await bot.press("admin", preview.button(say["save"]))).text

    preview = await bot.send("admin", f"/newevent {excursion(bot)}")
    save = preview.button(say["save"])
    # The other admin (who reads German) cannot confirm what this admin asked for.
    assert SAY["de"]["stale"] in (await bot.press("boss", save)).text
    assert await events(bot) == []
    done = await bot.press("admin", save)
    assert say["created"] in done.text
    groups = [m for m in await outbox(bot, "event_announcement") if m.member_id is None]
    assert len(groups) == 2 and len(await outbox(bot, "event_announcement")) == 2 + 2
    assert say["stale"] in (await bot.press("admin", save)).text  # a second press: nothing
    assert len(await events(bot)) == 1 and len(await outbox(bot, "event_announcement")) == 4


@LANGS
async def test_bad_one_line_form_gets_its_error_and_no_preview(bot: Harness, lang: str) -> None:
    await admin_speaks(bot, lang)
    chat = await bot.send("admin", "/newevent art=workshop; titel=Alt; beginn=01.01.2020 10:00")
    assert chat.buttons == [] and await events(bot) == []


@LANGS
async def test_editevent_shows_the_change_and_who_is_told(bot: Harness, lang: str) -> None:
    say = SAY[lang]
    number = await new_event(bot)
    await bot.onboard("kai")
    await bot.send("kai", f"/join {number}")
    await admin_speaks(bot, lang)
    preview = await bot.send("admin", f"/editevent {number} ort=Clausthal")
    assert say["edit_preview"] in preview.text and "Clausthal" in preview.text
    assert say["told_1"] in preview.text
    assert await outbox(bot, "event_change") == []
    assert (await events(bot))[0].place == ""
    assert say["nothing"] in (await bot.press("admin", preview.button(say["discard"]))).text
    assert (await events(bot))[0].place == ""

    preview = await bot.send("admin", f"/editevent {number} ort=Clausthal")
    save = preview.button(say["save"])
    assert say["edited"] in (await bot.press("admin", save)).text
    assert (await events(bot))[0].place == "Clausthal"
    (change,) = await outbox(bot, "event_change")
    assert "Clausthal" in reply_from_payload(change.payload).text
    assert say["stale"] in (await bot.press("admin", save)).text
    assert len(await outbox(bot, "event_change")) == 1


@LANGS
async def test_cancelevent_asks_for_a_reason_and_a_press(bot: Harness, lang: str) -> None:
    say = SAY[lang]
    number = await new_event(bot)
    await bot.onboard("kai")  # German
    await bot.onboard("ben", lang="en")
    await bot.send("kai", f"/join {number}")
    await bot.send("ben", f"/join {number}")
    await admin_speaks(bot, lang)

    asked = await bot.send("admin", f"/cancelevent {number}")
    assert say["ask_reason"] in asked.text and say["told_2"] in asked.text
    kept = await bot.press("admin", asked.button(say["keep"]))
    assert say["kept"] in kept.text
    assert (await events(bot))[0].status == "open" and await outbox(bot, "event_cancel") == []

    asked = await bot.send("admin", f"/cancelevent {number}")
    preview = await bot.send("admin", "Der Bus fällt aus")
    assert say["really"] in preview.text and say["reason"] in preview.text
    assert "Exkursion Freiberg" in preview.text
    assert await outbox(bot, "event_cancel") == []
    assert say["use_buttons"] in (await bot.send("admin", "hm")).text  # the step still waits
    assert say["stale"] in (await bot.press("admin", asked.button(say["no_reason"]))).text
    cancel = preview.button(say["cancel"])
    done = await bot.press("admin", cancel)
    assert say["cancelled"] in done.text
    assert say["stale"] in (await bot.press("admin", cancel)).text  # nothing twice
    assert (await events(bot))[0].status == "cancelled"

    notices = await outbox(bot, "event_cancel")
    assert len(notices) == 2
    kai, ben = await bot.member("kai"), await bot.member("ben")
    assert kai is not None and ben is not None
    text = {m.member_id: reply_from_payload(m.payload).text for m in notices}
    assert "Begründung: Der Bus fällt aus" in text[kai.id] and "ist abgesagt" in text[kai.id]
    assert "Reason: Der Bus fällt aus" in text[ben.id] and "is cancelled" in text[ben.id]


@LANGS
async def test_cancelevent_without_a_reason(bot: Harness, lang: str) -> None:
    say = SAY[lang]
    number = await new_event(bot)
    await bot.onboard("kai")
    await bot.send("kai", f"/join {number}")
    await admin_speaks(bot, lang)
    done = await confirmed(bot, f"/cancelevent {number}", say["no_reason"], say["cancel"])
    assert say["cancelled"] in done.text
    (notice,) = await outbox(bot, "event_cancel")
    assert "Begründung" not in reply_from_payload(notice.payload).text


async def test_only_the_admin_who_asked_can_cancel(groups_bot: Harness) -> None:
    bot = groups_bot
    number = await new_event(bot)
    asked = await bot.send("admin", f"/cancelevent {number}")
    preview = await bot.press("admin", asked.button("ohne Begründung"))
    cancel = preview.button("Absagen")
    assert "nicht mehr gültig" in (await bot.press("boss", cancel)).text
    assert "nur Admins" in (await bot.press("kim", cancel)).text
    assert (await events(bot))[0].status == "open"


async def scheduled_broadcast(bot: Harness, lang: str) -> None:
    """A broadcast to everyone, two days ahead of the bot's clock."""
    say = SAY[lang]
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Sommerfest am Rammelsberg")
    audience = await bot.press("admin", asked.button(say["bc_skip"]))
    preview = await bot.press("admin", audience.button(say["bc_all"]))
    await bot.press("admin", preview.button(say["bc_time"]))
    zone = bot.app.services.settings.network.tz
    later = (bot.app.services.clock() + timedelta(days=2)).astimezone(zone)
    preview = await bot.send("admin", later.strftime("%d.%m.%Y %H:%M"))
    await bot.press("admin", preview.button(say["bc_send"]))


@LANGS
async def test_a_broadcast_to_nobody_can_be_cancelled(bot: Harness, lang: str) -> None:
    """No copies to withdraw: the broadcast itself goes, and the list no longer offers it.

    The chat no longer offers *Send* for an audience nobody is in; one planned before that
    (or through the functions) is queued here directly."""
    say = SAY[lang]
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/news nein" if lang == "de" else "/news no")  # nobody wants news
    admin = await bot.member("admin")
    assert admin is not None
    services = bot.app.services
    await queue_broadcast(
        services.db,
        services.settings,
        created_by=admin.id,
        text="Sommerfest am Rammelsberg",
        audience=Audience("all"),
        announce=False,
        send_at=services.clock() + timedelta(days=2),
        attachment=None,
    )
    history = await bot.send("admin", "/broadcasts")
    assert say["bc_scheduled"] in history.text
    asked = await bot.press("admin", history.button(say["bc_cancel"]))
    assert say["bc_cancelled"] in (await bot.press("admin", asked.button(say["bc_yes"]))).text
    again = await bot.send("admin", "/broadcasts")
    assert say["bc_scheduled"] not in again.text and again.buttons == []


@LANGS
async def test_a_cancelled_scheduled_broadcast_sends_nothing(bot_any: Harness, lang: str) -> None:
    bot = bot_any
    say = SAY[lang]
    await bot.onboard("anna")
    await bot.onboard("ben", lang="en")
    await admin_speaks(bot, lang)
    await scheduled_broadcast(bot, lang)
    assert len(await outbox(bot, "broadcast")) == 2
    history = await bot.send("admin", "/broadcasts")
    assert say["bc_scheduled"] in history.text
    asked = await bot.press("admin", history.button(say["bc_cancel"]))
    assert {m.status for m in await outbox(bot, "broadcast")} == {"pending"}  # only asked
    sure = asked.button(say["bc_yes"])
    assert say["bc_cancelled"] in (await bot.press("admin", sure)).text
    assert say["bc_already"] in (await bot.press("admin", sure)).text
    assert {m.status for m in await outbox(bot, "broadcast")} == {"withdrawn"}
    history = await bot.send("admin", "/broadcasts")
    assert history.buttons == []
    report = await bot.send("admin", "/broadcast_report 1")
    assert say["bc_report"] in report.text

    # Even once its time has come, nothing goes out.
    async with bot.db.session() as session:
        await session.execute(
            update(OutboxMessage).values(not_before=bot.app.services.clock() - timedelta(hours=1))
        )
    from bot.delivery_worker import DeliveryWorker, WorkerSettings

    transport = RecordingTransport(platform=Platform.CONSOLE)
    worker = DeliveryWorker(
        bot.db,
        {"console": transport},
        settings=WorkerSettings(poll_seconds=0.1, flush_seconds=0.01),
    )
    await worker.drain(2)
    assert transport.attempts == []


@LANGS
async def test_a_broadcast_already_sending_cannot_be_cancelled(bot: Harness, lang: str) -> None:
    say = SAY[lang]
    await bot.onboard("anna")
    await admin_speaks(bot, lang)
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Jetzt gleich")
    audience = await bot.press("admin", asked.button(say["bc_skip"]))
    preview = await bot.press("admin", audience.button(say["bc_all"]))
    await bot.press("admin", preview.button(say["bc_send"]))
    history = await bot.send("admin", "/broadcasts")
    assert history.buttons == []  # nothing to cancel: it goes out now
    assert say["bc_too_late"] in (await bot.press("admin", "bc:withdraw_yes:1")).text
    assert {m.status for m in await outbox(bot, "broadcast")} == {"pending"}
