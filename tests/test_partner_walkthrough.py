"""What a new member's walkthrough of partner search found: each as the member meets it."""

from __future__ import annotations

import io

from sqlalchemy import select

from bot.transports.console import ConsoleTransport
from handlers.partners.rules import Running, asked_before
from storage.partners import PartnerIntroduction
from tests.harness import Harness
from tests.partners_fixtures import buttons, import_members, outbox

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"
BATTERY = "Wir suchen einen Partner für Batterierecycling und Schwarzmasse"
CARRIER = "Wir suchen eine Spedition für Gefahrguttransporte von Altbatterien"


async def request_button(bot: Harness, member_id: int, label: str = "yes") -> str:
    """The button under the newest request delivered to the member."""
    rows = [m for m in await outbox(bot, "partner_request") if m.member_id == member_id]
    return next(b for b in buttons(rows[-1]) if b.startswith(f"pi:{label}:"))


async def test_a_plain_search_typed_as_free_text_gets_the_preview_partnersuche_gives(
    bot: Harness,
) -> None:
    await import_members(bot)
    typed = await bot.send("req", CARRIER)
    commanded = await bot.send("eva", f"/partnersuche {CARRIER}")
    assert "Ihre Anfrage" in typed.text, typed.text
    assert typed.buttons[0].startswith("pr:send:"), typed.text
    assert typed.text.split("\n\n")[1] == commanded.text.split("\n\n")[1]
    longer = (
        f"{CARRIER}, gern ab nächsten Monat. Erreichbar bin ich unter max@example.org "
        "oder 05321 123456."
    )
    assert (await bot.send("otto", longer)).buttons[0].startswith("pr:send:")
    english = await bot.send(
        "eva", "We are looking for a freight forwarding service for dangerous goods"
    )
    assert english.buttons[0].startswith("pr:send:"), english.text
    await bot.press("eva", english.button("Cancel"))  # its preview waited for a button
    # asking how partner search works is still a question for the FAQ
    how = await bot.send("eva", "Wie finde ich einen Partner?")
    assert not any(payload.startswith("pr:") for payload in how.buttons), how.text


async def test_when_the_asker_is_forgotten_the_interested_hear_it_and_the_rest_see_it_gone(
    bot: Harness,
) -> None:
    ids = await import_members(bot)
    preview = await bot.send("req", BATTERY)
    await bot.press("req", preview.button("Ja, senden"))
    asked = {m.member_id for m in await outbox(bot, "partner_request")}
    assert {ids["anna"], ids["gustav"]} <= asked
    await bot.press("anna", await request_button(bot, ids["anna"]))
    assert "Schwarzmasse" in (await bot.send("gustav", "/offen")).text
    confirm = (await bot.send("req", "/vergessen")).button("löschen")
    await bot.press("req", confirm)
    # anna said "Interessiert" and waited for the introduction: she hears none comes
    notes = [m for m in await outbox(bot, "partner_update") if m.member_id == ids["anna"]]
    assert len(notes) == 1
    note = str(notes[0].payload["text"])
    assert "kommt diesmal keine Vorstellung zustande" in note
    # it names the request by what she was sent (its number, its need), nothing more
    assert "Partneranfrage #1 " in note and "Schwarzmasse" in note, note
    assert "req@example.org" not in note
    # gustav had not answered: the request is gone from /offen, and not delivered any more
    assert "wartet nichts" in (await bot.send("gustav", "/offen")).text
    assert [m for m in await outbox(bot, "partner_request") if m.status == "pending"] == []
    assert (await bot.send("anna", "/offen")).text.count("Schwarzmasse") == 0


async def typed_console(bot: Harness, user: str) -> tuple[ConsoleTransport, io.StringIO]:
    """The member at the console demo: typed numbers press the latest choices."""
    out = io.StringIO()
    console = ConsoleTransport(user_id=user, out=out)
    await console.start(bot.app.dispatcher.handle)
    return console, out


async def states(bot: Harness, **where: int) -> list[str]:
    async with bot.db.session() as session:
        query = select(PartnerIntroduction).order_by(PartnerIntroduction.id)
        for column, value in where.items():
            query = query.where(getattr(PartnerIntroduction, column) == value)
        return [intro.state for intro in (await session.execute(query)).scalars()]


async def test_three_requests_in_pending_are_answered_one_after_another_by_number(
    bot: Harness,
) -> None:
    ids = await import_members(bot)
    for asker in ("eva", "finn", "otto"):  # three organisations, each reaching hanna
        preview = await bot.send(asker, LAB)
        await bot.press(asker, preview.button("Ja, senden"))
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"] * 3
    console, out = await typed_console(bot, "hanna")
    await console.feed("/offen")
    assert "  [6] Nicht für mich" in out.getvalue(), out.getvalue()
    for number in ("1", "3", "6"):
        await console.feed(number)
    assert "gibt es gerade keine Auswahl" not in out.getvalue(), out.getvalue()
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested", "interested", "declined"]
    # the asker's "Ja, vorstellen" / "Nein, danke" for several interested members alike
    preview = await bot.send("req", BATTERY)
    await bot.press("req", preview.button("Ja, senden"))
    for member in ("anna", "gustav", "hanna"):
        await bot.press(member, await request_button(bot, ids[member]))
    console, out = await typed_console(bot, "req")
    await console.feed("/offen")
    assert "  [6] Nein, danke" in out.getvalue(), out.getvalue()
    for number in ("1", "3", "6"):
        await console.feed(number)
    assert "gibt es gerade keine Auswahl" not in out.getvalue(), out.getvalue()
    answered = [state for state in await states(bot) if state in ("introduced", "rejected")]
    assert sorted(answered) == ["introduced", "introduced", "rejected"], out.getvalue()


async def test_a_need_sent_again_does_not_ask_the_members_asked_already(bot: Harness) -> None:
    ids = await import_members(bot)
    preview = await bot.send("req", LAB)
    first = await bot.press("req", preview.button("Ja, senden"))
    assert "#1 ist an ein Mitglied gegangen" in first.text, first.text
    # the directory changed: ben now fits too
    await bot.send("ben", "/topics Hydrometallurgie; Analytik von Schwarzmasse")
    again = f"{LAB}, gern bis Ende März. Erreichbar unter max@example.org"
    preview = await bot.send("req", again)
    assert "Dazu passt ein Mitglied" in preview.text, preview.text
    assert "schon mit Ihrer Anfrage #1 bekommen" in preview.text, preview.text
    sent = await bot.press("req", preview.button("Ja, senden"))
    assert "an ein Mitglied gegangen" in sent.text, sent.text
    asked = [m.member_id for m in await outbox(bot, "partner_request")]
    assert asked == [ids["hanna"], ids["ben"]]  # hanna once, not twice
    # everyone it fits has it: said so in the preview, and nothing is sent
    preview = await bot.send("req", again)
    assert "schon mit Ihrer laufenden Anfrage #1, #2 bekommen" in preview.text, preview.text
    assert not any(
        "Ja, senden" in b.label for r in preview.replies for row in r.buttons for b in row
    )
    kept = await bot.press("req", preview.buttons[0])
    assert "läuft schon als #2" in kept.text, kept.text
    assert len(await outbox(bot, "partner_request")) == 2


def test_members_asked_before_are_those_of_a_running_request_with_nearly_the_same_need() -> None:
    running = [
        Running(1, "Wir suchen einen Partner für Kupfer", frozenset({"3", "4"})),
        Running(2, "Wer kauft unsere Schwarzmasse?", frozenset({"5"})),
    ]
    # the need again with more detail, or with less: those it asked
    assert asked_before("Wir suchen einen Partner für Kupfer, gern ab März", running) == {
        "3": 1,
        "4": 1,
    }
    assert asked_before("Partner für Kupfer", running) == {"3": 1, "4": 1}
    # another material, or another thing done with the same one, is another need
    assert asked_before("Wir suchen einen Partner für Zinn", running) == {}
    assert asked_before("Wer liefert uns Schwarzmasse?", running) == {}


async def test_an_answer_typed_with_the_requests_number_answers_that_request(
    bot: Harness,
) -> None:
    # walkthrough 2026-12-07: with two requests under /offen, "Interessiert an #3" had become
    # a question for the office
    ids = await import_members(bot)
    numbers = []
    for user, need in (("req", LAB), ("eva", "Wir suchen ein Labor für Schwarzmasse-Proben")):
        preview = await bot.send(user, need)
        numbers.append(int(preview.buttons[0].rsplit(":", 1)[1]))
        await bot.press(user, preview.button("Ja, senden"))
    await bot.send("hanna", "/offen")
    said = await bot.send("hanna", f"Interessiert an #{numbers[1]}")
    assert "Ticket" not in said.text, said.text
    async with bot.db.session() as session:
        states = {
            intro.request_id: intro.state
            for intro in (await session.execute(select(PartnerIntroduction))).scalars()
            if intro.recipient_id == ids["hanna"]
        }
    assert states == {numbers[0]: "sent", numbers[1]: "interested"}, states
