"""A member who gave no contact (skipped at registration) and is about to be introduced is
asked for one first, in one message with a skip button: the requester before the
introduction goes out ("Ja, vorstellen"), the member asked when answering "Interessiert". A
contact typed there is saved and travels with the introduction; skipped, the introduction
says the office connects them, as before."""

from __future__ import annotations

from storage import members
from tests.harness import Chat, Harness
from tests.partners_fixtures import buttons, import_members, outbox

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"
CELLS = "Wir suchen einen Partner für die Zellzerlegung von Batterien"


async def without_contact(bot: Harness, member_id: int) -> None:
    async with bot.db.session() as session:
        member = await members.get_member(session, member_id)
        assert member is not None
        member.contact = ""


async def introductions(bot: Harness) -> dict[int, str]:
    return {
        m.member_id: str(m.payload["text"])
        for m in await outbox(bot, "partner_introduction")
        if m.member_id is not None
    }


async def requester_agrees(bot: Harness, lang: str) -> tuple[dict[str, int], Chat]:
    """req (no contact, speaking `lang`) asks for a lab, hanna answers "Interessiert", req
    presses "Ja, vorstellen": what req is answered."""
    ids = await import_members(bot)
    await without_contact(bot, ids["req"])
    await bot.send("req", f"/language {lang}")
    preview = await bot.send("req", LAB)
    await bot.press("req", preview.buttons[0])
    ask = next(m for m in await outbox(bot, "partner_request") if m.member_id == ids["hanna"])
    await bot.press("hanna", next(b for b in buttons(ask) if b.startswith("pi:yes:")))
    interest = (await outbox(bot, "partner_interest"))[-1]
    agreed = await bot.press("req", next(b for b in buttons(interest) if b.startswith("pc:yes:")))
    return ids, agreed


async def test_the_requester_without_contact_is_asked_for_one_before_the_introduction(
    bot: Harness,
) -> None:
    ids, agreed = await requester_agrees(bot, "de")
    assert "Über welche E-Mail-Adresse oder Telefonnummer darf Nordharz Batterielabor" in (
        agreed.text
    ), agreed.text
    assert "geschäftsstelle" in agreed.text
    assert agreed.button("Ohne Kontakt vorstellen")
    assert await introductions(bot) == {}  # nobody introduced yet: the answer goes with it
    saved = await bot.send("req", "einkauf@kupferhuette.example")
    assert "Gespeichert – Kontakt: einkauf@kupferhuette.example" in saved.text, saved.text
    assert "Prima! Ich stelle Sie einander vor" in saved.text, saved.text
    to_hanna = (await introductions(bot))[ids["hanna"]]
    assert "Kontakt: einkauf@kupferhuette.example" in to_hanna, to_hanna
    assert "Melden Sie sich gern direkt" in to_hanna
    profile = await bot.send("req", "/profil")
    assert "einkauf@kupferhuette.example" in profile.text
    # the question is answered: a text now is no contact any more
    assert "Gespeichert" not in (await bot.send("req", "info@kupferhuette.example")).text


async def test_the_requester_may_skip_and_is_introduced_through_the_office_in_english(
    bot: Harness,
) -> None:
    ids, agreed = await requester_agrees(bot, "en")
    assert "Which e-mail address or phone number may Nordharz Batterielabor" in agreed.text, (
        agreed.text
    )
    assert "office" in agreed.text
    skipped = await bot.press("req", agreed.button("Introduce without contact"))
    assert "Great! I am introducing you to Nordharz Batterielabor" in skipped.text, skipped.text
    to_hanna = (await introductions(bot))[ids["hanna"]]
    assert "Kontakt: keine E-Mail-Adresse oder Telefonnummer angegeben" in to_hanna, to_hanna
    assert "geschäftsstelle" in to_hanna
    # pressed again: introduced once
    again = await bot.press("req", agreed.button("Introduce without contact"))
    assert "Great!" not in again.text
    assert len(await outbox(bot, "partner_introduction")) == 2


async def test_a_typed_skip_introduces_without_contact(bot: Harness) -> None:
    ids, _agreed = await requester_agrees(bot, "de")
    skipped = await bot.send("req", "überspringen")
    assert "Prima! Ich stelle Sie einander vor" in skipped.text, skipped.text
    assert "geschäftsstelle" in (await introductions(bot))[ids["hanna"]]


async def test_no_contact_typed_is_asked_again_and_cancel_introduces_nobody(bot: Harness) -> None:
    _ids, _agreed = await requester_agrees(bot, "de")
    wrong = await bot.send("req", "ruf mich an")
    assert "E-Mail-Adresse oder Telefonnummer" in wrong.text, wrong.text
    assert await introductions(bot) == {}
    cancelled = await bot.send("req", "/abbrechen")
    assert "Vorgestellt habe ich Sie noch nicht" in cancelled.text, cancelled.text
    assert await introductions(bot) == {}
    pending = await bot.send("req", "/offen")
    assert "Ja, vorstellen" in [b.label for r in pending.replies for row in r.buttons for b in row]


async def gustav_interested(bot: Harness, lang: str) -> tuple[dict[str, int], Chat]:
    """req asks, gustav (no contact in the directory, speaking `lang`) presses "Interessiert"."""
    ids = await import_members(bot)
    await bot.send("gustav", f"/language {lang}")
    preview = await bot.send("req", CELLS)
    await bot.press("req", preview.buttons[0])
    ask = next(m for m in await outbox(bot, "partner_request") if m.member_id == ids["gustav"])
    said = await bot.press("gustav", next(b for b in buttons(ask) if b.startswith("pi:yes:")))
    return ids, said


async def req_agrees(bot: Harness, ids: dict[str, int]) -> str:
    interest = (await outbox(bot, "partner_interest"))[-1]
    await bot.press("req", next(b for b in buttons(interest) if b.startswith("pc:yes:")))
    return (await introductions(bot))[ids["req"]]


async def test_the_member_asked_without_contact_is_asked_for_one_with_the_thanks(
    bot: Harness,
) -> None:
    ids, said = await gustav_interested(bot, "de")
    assert "Danke! Ich frage bei Test Kupferhütte GmbH (fiktiv) nach" in said.text, said.text
    assert "Über welche E-Mail-Adresse oder Telefonnummer darf Test Kupferhütte" in said.text
    assert said.button("Überspringen")
    saved = await bot.send("gustav", "+49 5323 123456")
    assert "Gespeichert – Kontakt: +49 5323 123456" in saved.text, saved.text
    assert "mit der Vorstellung" in saved.text
    to_req = await req_agrees(bot, ids)
    assert "Kontakt: +49 5323 123456" in to_req and "Melden Sie sich gern direkt" in to_req, to_req


async def test_the_member_asked_may_skip_in_english(bot: Harness) -> None:
    ids, said = await gustav_interested(bot, "en")
    assert "Thank you! I will ask Test Kupferhütte GmbH (fiktiv)" in said.text, said.text
    assert "Which e-mail address or phone number may Test Kupferhütte" in said.text
    skipped = await bot.press("gustav", said.button("Skip"))
    assert "without a contact" in skipped.text and "office" in skipped.text, skipped.text
    to_req = await req_agrees(bot, ids)
    assert "keine E-Mail-Adresse oder Telefonnummer angegeben" in to_req, to_req


async def test_a_member_with_a_contact_is_asked_nothing(bot: Harness) -> None:
    ids = await import_members(bot)
    preview = await bot.send("req", LAB)
    await bot.press("req", preview.buttons[0])
    ask = next(m for m in await outbox(bot, "partner_request") if m.member_id == ids["hanna"])
    said = await bot.press("hanna", next(b for b in buttons(ask) if b.startswith("pi:yes:")))
    assert "E-Mail-Adresse oder Telefonnummer" not in said.text and said.buttons == []
    interest = (await outbox(bot, "partner_interest"))[-1]
    done = await bot.press("req", next(b for b in buttons(interest) if b.startswith("pc:yes:")))
    assert "Prima! Ich stelle Sie einander vor" in done.text
    assert "hanna@example.org" in (await introductions(bot))[ids["req"]]
