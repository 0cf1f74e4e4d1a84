"""A message to the people of one event: those signed up, or those waiting, chosen from
/attendees (a button), typed at the broadcast's audience question, or from the dashboard's
event page; sent with the broadcast's preview, outbox and delivery report, also to those who
take no news, and never to announcement chats."""

from __future__ import annotations

from handlers.broadcast.rules import Audience, parse_audience
from handlers.events import service
from handlers.events.form import draft_from_form
from tests.dates import days_ahead, typed
from tests.harness import Harness
from tests.recording_transport import RecordingTransport
from tests.test_broadcast import deliver


async def excursion_with_people(bot: Harness) -> int:
    """Two places: Hanna and Ole get them, Pia waits; Ole takes no news, Jan is not signed up."""
    for user in ("hanna", "ole", "pia", "jan"):
        await bot.onboard(user, org=f"{user.title()} Metall GmbH")
    await bot.send("ole", "/neuigkeiten nein")
    await bot.send("admin", "/help")
    admin = await bot.member("admin")
    assert admin is not None
    start = days_ahead(bot, 30)
    form = f"art=exkursion; titel=Besuch Schmelzhütte; beginn={typed(start)}; plätze=2"
    draft = draft_from_form(form, tz=bot.app.services.settings.network.tz)
    created = await service.create_event(bot.app.services, draft, created_by=admin.id)
    number = created.event.id
    for user in ("hanna", "ole", "pia"):
        await bot.send(user, f"/anmelden {number}")
    return number


def got(transport: RecordingTransport, words: str) -> list[str]:
    """The chats a message with `words` went to (the event's own invitations went out too)."""
    return sorted(sent.chat_id for sent in transport.sent() if words in sent.text)


def test_event_audiences_are_read_and_described() -> None:
    assert parse_audience("Angemeldete 7") == Audience("attendees", "7")
    assert parse_audience("warteliste:#7") == Audience("waiting", "7")
    assert parse_audience("attendees 7").event_id == 7
    assert parse_audience("alle").event_id is None
    assert "Veranstaltung 7" in parse_audience("teilnehmer:7").describe("de")
    assert "waiting for event 7" in Audience("waiting", "7").describe("en")


async def test_the_office_messages_the_people_signed_up(bot: Harness) -> None:
    number = await excursion_with_people(bot)
    await bot.send("admin", "/help")
    listing = await bot.send("admin", f"/teilnehmer {number}")
    begun = await bot.press("admin", listing.button("Nachricht an die Angemeldeten"))
    assert "Besuch Schmelzhütte" in begun.text and "Nur sie bekommen sie" in begun.text
    asked = await bot.send("admin", "Treffpunkt ist am Werkstor, bitte Ausweis mitbringen.")
    preview = await bot.press("admin", asked.button("Ohne Bild"))
    assert "Wer soll sie bekommen" not in preview.text  # the audience was chosen
    assert f"die Angemeldeten der Veranstaltung {number}" in preview.text
    assert "2 Mitglieder" in preview.text
    done = await bot.press("admin", preview.button("Senden"))
    assert "2 Empfänger" in done.text
    transport = await deliver(bot)
    # Ole takes no news but gets the message about his excursion; Pia waits, Jan is not in it
    assert got(transport, "Werkstor") == ["chat-hanna", "chat-ole"]
    report = await bot.send("admin", "/zustellbericht 1")
    assert "zugestellt: 2" in report.text


async def test_the_waiting_list_is_typed_as_the_audience(bot: Harness) -> None:
    number = await excursion_with_people(bot)
    await bot.send("admin", "/rundschreiben")
    asked = await bot.send("admin", "Es wird vielleicht noch ein Platz frei.")
    audience = await bot.press("admin", asked.button("Ohne Bild"))
    assert "Wer soll sie bekommen" in audience.text
    preview = await bot.send("admin", f"Warteliste {number}")
    assert "1 Mitglied" in preview.text and "Wartenden" in preview.text
    await bot.press("admin", preview.button("Senden"))
    transport = await deliver(bot)
    assert got(transport, "Platz frei") == ["chat-pia"]


async def test_attendees_in_a_group_offer_no_message_button(bot: Harness) -> None:
    number = await excursion_with_people(bot)
    listing = await bot.send("admin", f"/teilnehmer {number}", private=False, mention=True)
    assert not [p for p in listing.buttons if p.startswith("bc:")]
    english = await bot.send("admin", "/language en")
    assert english.replies
    mine = await bot.send("admin", f"/attendees {number}")
    assert "Message the people signed up" in str(mine.replies[0].buttons[0][0].label)
    assert "Message the waiting list" in str(mine.replies[0].buttons[0][1].label)
