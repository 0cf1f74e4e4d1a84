"""A question the FAQ hands to the office that members could meet: the hand-off offers a
partner search for it, and pressing it shows the partner preview. The ticket stays open until
the search is sent; then the question no longer waits in the office's inbox, which lists it
apart as turned into a partner search."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from bot.delivery import reply_from_payload
from bot.messages import plain_text as render_text
from handlers.partners import chat as partner_chat
from storage import faq, partners
from storage.faq import OFFER_TAKEN, FaqQuestion, FaqTicket
from storage.models import Member
from storage.partners import PartnerRequest
from tests.harness import Chat, Harness
from tests.partners_fixtures import import_members, outbox
from tests.test_faq import seed_kb
from tests.test_faq_withdraw import delivered, office_alerts

LCA_DE = "Wir bräuchten Unterstützung bei der Ökobilanz unseres neuen Produkts."
LCA_EN = "We would need support with the life cycle assessment of our new product."
WEATHER_DE = "Wie wird das Wetter morgen im Harz?"
WEATHER_EN = "Will it rain in the Harz mountains tomorrow?"
INVOICE_DE = "Unsere Rechnung ist an die falsche Anschrift gegangen, wer korrigiert das?"


@pytest.fixture
async def network(bot_any: Harness, monkeypatch: pytest.MonkeyPatch) -> Harness:
    """The demo knowledge base and the test directory. Partner search's own free-text rule is
    switched off: these needs must reach the FAQ whatever `is_partner_search` and
    `is_call_on_members` decide."""
    monkeypatch.setattr(partner_chat, "is_partner_search", lambda _text: False)
    monkeypatch.setattr(partner_chat, "is_call_on_members", lambda _text: False)
    await seed_kb(bot_any)
    await import_members(bot_any)
    return bot_any


def offer_buttons(chat: Chat) -> list[str]:
    return [p for p in chat.buttons if p.startswith("faq:of:")]


async def tickets(bot: Harness) -> list[FaqTicket]:
    async with bot.db.session() as session:
        return list((await session.execute(select(FaqTicket).order_by(FaqTicket.id))).scalars())


async def drafts(bot: Harness) -> list[PartnerRequest]:
    async with bot.db.session() as session:
        query = select(PartnerRequest).where(PartnerRequest.status == partners.DRAFT)
        return list((await session.execute(query)).scalars())


async def test_a_handed_off_need_offers_the_members_who_fit(network: Harness) -> None:
    asked = await network.send("req", LCA_DE)
    assert "Clustergeschäftsstelle" in asked.text and "#1" in asked.text
    (payload,) = offer_buttons(asked)
    assert payload == asked.button("Passende Mitglieder suchen")
    assert len(payload.encode()) <= 64 and "Ökobilanz" not in payload
    assert await drafts(network) == []  # nothing is drafted before the member asks for it

    preview = await network.press("req", payload)
    assert "Ihre Anfrage" in preview.text and "Ökobilanz" in preview.text
    assert "wer Interesse hat, wird Ihnen genannt" in preview.text  # not before that
    assert re.search(r"passt ein Mitglied|passen \d+ Mitglieder", preview.text)
    assert "Hochschule Nordharz" not in preview.text
    assert [p.split(":")[:2] for p in preview.buttons] == [
        ["pr", "send"],
        ["pr", "refine"],
        ["pr", "cancel"],
    ]
    (draft,) = await drafts(network)
    requester = await network.member("req")
    assert requester is not None
    assert draft.requester_id == requester.id and draft.text == LCA_DE
    # The office's ticket is still there, as without the offer.
    (ticket,) = await tickets(network)
    assert ticket.text == LCA_DE and ticket.status == "open"
    # The preview goes on as a typed search would: send reaches the life-cycle researcher.
    sent = await network.press("req", preview.button("Ja, senden"))
    assert "gegangen" in sent.text
    greta = await network.member("greta")
    assert greta is not None
    assert greta.id in {m.member_id for m in await outbox(network, "partner_request")}


async def test_the_offer_in_english(network: Harness) -> None:
    await network.send("eva", "/language en")
    asked = await network.send("eva", LCA_EN, lang="en")
    assert "office" in asked.text
    preview = await network.press("eva", asked.button("Find members who can help"))
    assert "Your request" in preview.text
    assert re.search(r"One member|\d+ members", preview.text)
    assert preview.button("Cancel").startswith("pr:cancel:")
    assert len(await drafts(network)) == 1 and len(await tickets(network)) == 1
    # the preview waits for its buttons: a question beside it would be no ticket unasked
    await network.press("eva", preview.button("Cancel"))
    nothing = await network.send("eva", WEATHER_EN, lang="en")
    assert "office" in nothing.text and offer_buttons(nothing) == []
    assert len(await tickets(network)) == 2


async def test_a_german_member_asking_in_english_is_answered_in_english_throughout(
    network: Harness,
) -> None:
    asked = await network.send("req", LCA_EN, lang="en")  # "req" reads German
    preview = await network.press("req", asked.button("Find members who can help"))
    assert "Your request" in preview.text, preview.text
    cancelled = await network.press("req", preview.button("Cancel"))
    assert "Ihre" not in cancelled.text


async def test_no_offer_when_nobody_fits(network: Harness) -> None:
    for text in (WEATHER_DE, INVOICE_DE):
        asked = await network.send("req", text)
        assert "Clustergeschäftsstelle" in asked.text
        assert offer_buttons(asked) == [], text
    assert [t.text for t in await tickets(network)] == [WEATHER_DE, INVOICE_DE]
    assert await drafts(network) == []


async def test_no_offer_for_a_question_that_needs_nobody(network: Harness) -> None:
    # Members work on neodymium magnets, and the ranking would name them; but the member
    # asks for a fact, not for someone, so the office answers it alone.
    fact = "Wie viel Neodym steckt in einem Elektromotor?"
    asked = await network.send("req", fact)
    assert "Clustergeschäftsstelle" in asked.text
    assert offer_buttons(asked) == []
    # Asked as a need, the same matter gets the offer: the members do fit.
    need = "Wir bräuchten Unterstützung beim Neodym in Elektromotoren."
    asked = await network.send("req", need)
    assert "Clustergeschäftsstelle" in asked.text
    assert offer_buttons(asked)


async def test_without_an_organisation_the_offer_says_how_to_set_one(network: Harness) -> None:
    async with network.db.session() as session:
        await session.execute(
            update(Member).where(Member.external_id == "req").values(organisation="")
        )
    asked = await network.send("req", LCA_DE)
    assert "Clustergeschäftsstelle" in asked.text
    (payload,) = offer_buttons(asked)
    pressed = await network.press("req", payload)
    assert "/organisation" in pressed.text
    assert await drafts(network) == []
    assert len(await tickets(network)) == 1


async def test_a_foreign_or_forged_offer_button_is_stale(network: Harness) -> None:
    (payload,) = offer_buttons(await network.send("req", LCA_DE))
    number = payload.split(":")[2]
    stale = "nicht mehr gültig"
    assert stale in (await network.press("greta", payload)).text  # another member's question
    for forged in (
        "faq:of:999:partners",
        f"faq:of:{number}:nobody",
        f"faq:of:{number}",
        "faq:of:x:partners",
    ):
        assert stale in (await network.press("req", forged)).text, forged
    # A question the FAQ answered was never handed off: no offer to take.
    answered = await network.send("req", "Wie hoch ist der Mitgliedsbeitrag?")
    (feedback,) = [p for p in answered.buttons if p.endswith(":1")]
    answered_number = feedback.split(":")[2]
    async with network.db.session() as session:
        row = await session.get(FaqQuestion, int(answered_number))
        assert row is not None and row.decision == "answer"
    assert stale in (await network.press("req", f"faq:of:{answered_number}:partners")).text
    assert await drafts(network) == []
    # The member's own press still works afterwards.
    assert "Ihre Anfrage" in (await network.press("req", payload)).text


async def test_a_need_refused_for_too_many_open_questions_still_offers_the_members(
    network: Harness,
) -> None:
    async with network.db.session() as session:
        member = await network.member("req")
        assert member is not None
        for number in range(10):  # five asked for, five the bot handed on by itself
            await faq.open_ticket(
                session, member_id=member.id, text=f"Frage {number}", lang="de", asked=number < 5
            )
    asked = await network.send("req", LCA_DE)
    # no room for a sixth of either kind: refused at once, with the members beside it
    assert "schon 5 offene Fragen" in asked.text, asked.text
    (payload,) = offer_buttons(asked)
    assert not any(p.startswith("faq:ho:") for p in asked.buttons), asked.buttons
    preview = await network.press("req", payload)  # no ticket, but the members can still help
    assert "Ihre Anfrage" in preview.text and "Ökobilanz" in preview.text, preview.text


async def test_the_faqs_entry_on_partner_search_carries_the_offer_for_a_need(
    bot_any: Harness,
) -> None:
    # The entry's answer says "describe whom you are looking for": a member who just did so,
    # in words partner search does not read as a search, can start it from there.
    network = bot_any
    await seed_kb(network)
    await import_members(network)
    need = "We need an LCA for our battery recycling process."
    assert not partner_chat.is_partner_search(need)
    await network.send("eva", "/language en")
    asked = await network.send("eva", need, lang="en")
    # the entry, answered or among the choices, with the offer beside it
    assert "How do I find a partner in the network for a project?" in asked.text + " ".join(
        str(button.label) for reply in asked.replies for row in reply.buttons for button in row
    )
    preview = await network.press("eva", asked.button("Find members who can help"))
    assert "Your request" in preview.text and need in preview.text
    assert len(await drafts(network)) == 1 and await tickets(network) == []
    # Asking how partner search works states no need; other entries carry no offer.
    how = await network.send("eva", "How do I find a partner in the network for a project?")
    assert "Describe in a sentence" in how.text and offer_buttons(how) == []
    fee = await network.send("eva", "How much is the membership fee?")
    assert offer_buttons(fee) == []


async def test_an_offer_button_for_another_question_starts_nothing(network: Harness) -> None:
    fee = await network.send("req", "Wie hoch ist der Mitgliedsbeitrag?")
    (feedback, *_rest) = fee.buttons
    question_id = feedback.split(":")[2]
    forged = await network.press("req", f"faq:of:{question_id}:{partner_chat.HANDOFF_OFFER}")
    assert "nicht mehr gültig" in forged.text
    assert await drafts(network) == []


async def requests_of(bot: Harness, user: str) -> list[PartnerRequest]:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        query = select(PartnerRequest).where(PartnerRequest.requester_id == member.id)
        return list((await session.execute(query.order_by(PartnerRequest.id))).scalars())


async def test_a_need_sent_as_a_partner_search_no_longer_waits_in_the_office_inbox(
    network: Harness,
) -> None:
    asked = await network.send("req", LCA_DE)
    preview = await network.press("req", asked.button("Passende Mitglieder suchen"))
    # Only previewed: the member may still cancel, so the office still has the question.
    inbox = await network.send("admin", "/inbox")
    assert "Offene Fragen an die Geschäftsstelle: 1" in inbox.text and LCA_DE in inbox.text
    sent = await network.press("req", preview.button("Ja, senden"))
    assert "gegangen" in sent.text
    assert "Ticket #1 bei der Clustergeschäftsstelle schließe ich damit" in sent.text, sent.text
    (request,) = await requests_of(network, "req")
    assert request.status == partners.OPEN
    # Closed as taken over, nothing of it lost: the text, who asked, the request carrying it.
    (ticket,) = await tickets(network)
    requester = await network.member("req")
    assert requester is not None
    assert ticket.status == OFFER_TAKEN and ticket.text == LCA_DE
    assert ticket.member_id == requester.id and ticket.answer == ""
    assert (ticket.offer, ticket.offer_number) == (partner_chat.HANDOFF_OFFER, request.id)
    # The office sees it apart from the open questions, with the request that carries it.
    inbox = await network.send("admin", "/inbox")
    assert "Keine offenen Fragen im Posteingang." in inbox.text, inbox.text
    # headed apart from the office's own closed ones ("Ohne Antwort erledigt")
    assert "Vom Mitglied weitergeführt (letzte 7 Tage)" in inbox.text, inbox.text
    assert f"vom Mitglied als Partnersuche gestellt (Anfrage #{request.id})" in inbox.text
    assert "#1" in inbox.text and LCA_DE in inbox.text
    # The office may still answer it (the inbox says how): the member did not take the
    # question back, and the answer may still help. The office is told what the member did.
    assert "Eine Antwort geht trotzdem noch an das Mitglied: /antwort N Text" in inbox.text
    answered = await network.send("admin", "/answer 1 Fragen Sie auch bei der Hochschule.")
    assert "Die Antwort auf Ticket #1 geht an das Mitglied." in answered.text, answered.text
    assert (
        "Es hatte die Frage schon selbst weitergeführt: vom Mitglied als Partnersuche gestellt "
        f"(Anfrage #{request.id})."
    ) in answered.text
    (answer,) = await outbox(network, "office_answer")
    assert answer.member_id == requester.id
    assert "Hochschule" in render_text(reply_from_payload(answer.payload).text)
    (ticket,) = await tickets(network)
    assert ticket.status == "answered" and ticket.offer == partner_chat.HANDOFF_OFFER
    # answered again, it is an answer like any other
    again = await network.send("admin", "/answer 1 Und bei der Stadt.")
    assert "war schon beantwortet" in again.text and "Partnersuche" not in again.text


async def test_the_office_inbox_in_english_names_the_partner_search(network: Harness) -> None:
    await network.send("eva", "/language en")
    asked = await network.send("eva", LCA_EN, lang="en")
    preview = await network.press("eva", asked.button("Find members who can help"))
    sent = await network.press("eva", preview.button("Yes, send"))
    assert "I am closing ticket #1 with the cluster office" in sent.text, sent.text
    (request,) = await requests_of(network, "eva")
    await network.send("admin", "/language en")
    inbox = await network.send("admin", "/inbox")
    assert "No open questions in the inbox." in inbox.text
    assert f"turned into a partner search by the member (request #{request.id})" in inbox.text
    assert "An answer still reaches the member: /answer N text" in inbox.text
    answered = await network.send("admin", "/answer 1 Ask the university as well.")
    assert (
        "The answer to ticket #1 is on its way to the member, who had already taken the "
        f"question further themselves: turned into a partner search by the member "
        f"(request #{request.id})."
    ) in answered.text, answered.text
    assert len(await outbox(network, "office_answer")) == 1


async def test_a_cancelled_or_replaced_preview_leaves_the_question_with_the_office(
    network: Harness,
) -> None:
    asked = await network.send("req", LCA_DE)
    offer = asked.button("Passende Mitglieder suchen")
    preview = await network.press("req", offer)
    cancelled = await network.press("req", preview.button("Abbrechen"))
    assert "Ticket" not in cancelled.text
    (ticket,) = await tickets(network)
    assert ticket.status == "open"
    # A search typed anew replaces the offered preview: sent, it carries no question.
    await network.press("req", offer)
    typed = await network.send("req", "/partner Wir suchen ein Labor für Ökobilanzen von Magneten.")
    sent = await network.press("req", typed.button("Ja, senden"))
    assert "gegangen" in sent.text and "Ticket" not in sent.text
    (ticket,) = await tickets(network)
    assert ticket.status == "open"
    assert "Offene Fragen an die Geschäftsstelle: 1" in (await network.send("admin", "/inbox")).text


async def test_without_an_organisation_the_search_sent_later_still_closes_the_ticket(
    network: Harness,
) -> None:
    async with network.db.session() as session:
        await session.execute(
            update(Member).where(Member.external_id == "req").values(organisation="")
        )
    asked = await network.send("req", LCA_DE)
    await network.press("req", asked.button("Passende Mitglieder suchen"))
    preview = await network.send("req", "Recyclinghof Nordharz GmbH")
    assert "Ihre Anfrage" in preview.text, preview.text
    sent = await network.press("req", preview.button("Ja, senden"))
    assert "Ticket #1 bei der Clustergeschäftsstelle schließe ich damit" in sent.text, sent.text
    (ticket,) = await tickets(network)
    assert ticket.status == OFFER_TAKEN


async def test_a_search_that_repeats_a_running_one_names_that_one(network: Harness) -> None:
    first = await network.send("req", "/partner " + LCA_DE)
    await network.press("req", first.button("Ja, senden"))
    (running,) = await requests_of(network, "req")
    asked = await network.send("req", LCA_DE)
    preview = await network.press("req", asked.button("Passende Mitglieder suchen"))
    assert f"laufenden Anfrage #{running.id} bekommen" in preview.text, preview.text
    again = await network.press("req", preview.button("Gut so"))
    assert f"#{running.id}" in again.text and "schließe ich damit" in again.text, again.text
    (ticket,) = await tickets(network)
    assert (ticket.status, ticket.offer_number) == (OFFER_TAKEN, running.id)


@pytest.mark.parametrize(
    ("lang", "ask", "offer", "send", "line"),
    [
        (
            "de",
            LCA_DE,
            "Passende Mitglieder suchen",
            "Ja, senden",
            "➡️ Ohne Antwort erledigt – vom Mitglied als Partnersuche gestellt (Anfrage #{n}). "
            "Eine Antwort geht trotzdem noch an das Mitglied: /antwort 1 Ihre Antwort",
        ),
        (
            "en",
            LCA_EN,
            "Find members who can help",
            "Yes, send",
            "➡️ Settled without an answer – turned into a partner search by the member "
            "(request #{n}). An answer still reaches the member: /answer 1 your answer",
        ),
    ],
)
async def test_the_admins_alert_about_a_question_sent_as_a_partner_search_says_so(
    network: Harness, lang: str, ask: str, offer: str, send: str, line: str
) -> None:
    await network.send("admin", f"/language {lang}")
    await network.send("req", f"/language {lang}")
    asked = await network.send("req", ask, lang=lang)
    (alert,) = await office_alerts(network)
    await delivered(network, alert, "admin-chat:7")
    assert not await office_alerts(network, "faq_office_alert_edit")  # a preview changes nothing
    preview = await network.press("req", asked.button(offer))
    assert not await office_alerts(network, "faq_office_alert_edit")
    await network.press("req", preview.button(send))
    (request,) = await requests_of(network, "req")
    (edit,) = await office_alerts(network, "faq_office_alert_edit")
    edited = reply_from_payload(edit.payload)
    assert edited.edit_ref == "admin-chat:7" and edited.buttons == ()
    text = render_text(edited.text)
    assert "📥 Ticket #1" in text and ask in text and line.format(n=request.id) in text, text


async def test_learning_from_a_question_sent_as_a_partner_search_sends_nothing(
    network: Harness,
) -> None:
    # The bot learns the need as a phrasing of the entry on partner search; the member, who
    # sent the search already, gets no entry's answer on top (only the office's own words
    # reach them: /answer).
    asked = await network.send("req", LCA_DE)
    preview = await network.press("req", asked.button("Passende Mitglieder suchen"))
    await network.press("req", preview.button("Ja, senden"))
    # an entry button of an alert that kept it says so before anything is learned
    shown = await network.press("admin", "fl:1:partnersuche")
    assert "Ticket #1 hat das Mitglied schon selbst anders gestellt" in shown.text, shown.text
    assert "bekommt nichts mehr" in shown.text and "bekommt diese Antwort" not in shown.text
    assert "Senden" not in shown.text
    learnt = await network.press("admin", shown.button("Nur lernen"))
    assert "hatte das Mitglied schon selbst anders gestellt" in learnt.text, learnt.text
    assert "es bekommt nichts weiter" in learnt.text
    assert await outbox(network, "office_answer") == []
    (ticket,) = await tickets(network)
    assert (ticket.status, ticket.learned_entry_id) == (OFFER_TAKEN, "partnersuche")


@pytest.mark.parametrize(
    ("user", "lang", "need", "entry", "offer", "preview_says"),
    [
        (
            "req",
            "de",
            "tipps für nen partner in der hydrometallurgie?",
            "Wie finde ich im Netzwerk einen Partner für ein Projekt?",
            "Passende Mitglieder suchen",
            "Ihre Anfrage",
        ),
        (
            "eva",
            "en",
            "any tips on getting a partner for hydrometallurgy",
            "How do I find a partner in the network for a project?",
            "Find members who can help",
            "Your request",
        ),
    ],
)
async def test_the_partner_entry_picked_from_the_choices_keeps_the_offer(
    bot_any: Harness,
    user: str,
    lang: str,
    need: str,
    entry: str,
    offer: str,
    preview_says: str,
) -> None:
    """A need that gets "Meinten Sie …?" with the entry on partner search: the entry picked,
    its answer carries the search for the member's need, as when the entry answers at once;
    the member need not type the topic again."""
    network = bot_any
    await seed_kb(network)
    await import_members(network)
    if lang == "en":
        await network.send(user, "/language en")
    asked = await network.send(user, need, lang=lang)
    picked = await network.press(user, asked.button(entry))
    assert entry in picked.text, picked.text
    assert picked.buttons[0].startswith("faq:fb:"), picked.buttons  # 👍 first, as ever
    preview = await network.press(user, picked.button(offer))
    assert preview_says in preview.text and need in preview.text, preview.text
    assert len(await drafts(network)) == 1 and await tickets(network) == []
    # a topic picked that no offer is about stays without one
    fee = "Wie hoch ist der Mitgliedsbeitrag?" if lang == "de" else "How much is the fee?"
    other = await network.send(user, fee, lang=lang)
    assert offer_buttons(other) == [], other.text
