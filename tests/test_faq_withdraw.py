"""A member's own questions at the office: `/meinefragen` (/myquestions) lists the open ones
with their date and how long they wait; one press withdraws one, which the office then sees
as withdrawn and can no longer answer. On SQLite and PostgreSQL, German and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery import reply_from_payload
from bot.messages import Reply
from bot.messages import plain_text as render_text
from handlers.faq import mine
from storage import faq
from storage.models import OutboxMessage
from tests.harness import Harness, fixed_clock
from tests.test_faq import full, office_pressed
from tests.test_office_learn import (
    DOG_DE,
    STEP_FREE_DE,
    VEGAN_EN,
    answers_to,
    ask_office,
    office,
    ticket,
)

__all__ = ["office"]  # the fixture, used by name

PARKING_DE = "Gibt es am Tagungshotel im Harz kostenlose Parkplätze für Elektroautos?"


async def test_a_member_lists_their_open_questions_and_withdraws_one(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    assert "#2" in await ask_office(office, "otto", "Wie spät ist es in Tokio?")
    assert "#3" in await ask_office(office, "hanna", PARKING_DE)
    # three days later
    office.app.services.clock = fixed_clock(office.app.services.clock() + timedelta(days=3))

    listed = await office.send("hanna", "/meinefragen")
    text = listed.text
    assert "Ihre 2 offenen Fragen bei der Clustergeschäftsstelle" in text, text
    assert DOG_DE in text and "Elektroautos" in text and "Tokio" not in text  # hers only
    assert "#1 · gestellt am " in text and "wartet seit 3 Tagen" in text, text
    assert listed.buttons == ["fqw:1", "fqw:3"]
    assert listed.button("#1 zurückziehen") == "fqw:1"

    withdrawn = await office.press("hanna", listed.button("#1 zurückziehen"))
    assert f"Zurückgezogen: Ihre Frage „{DOG_DE}“ (Ticket #1)" in withdrawn.text
    assert "nicht mehr" in withdrawn.text
    kept = await ticket(office, 1)  # nothing is deleted
    assert kept.status == faq.WITHDRAWN and kept.text == DOG_DE

    again = await office.send("hanna", "/meinefragen")
    assert "Ihre offene Frage bei" in again.text and DOG_DE not in again.text
    assert again.buttons == ["fqw:3"]
    # the old button of the list says what became of it
    twice = await office.press("hanna", "fqw:1")
    assert "Ticket #1) haben Sie schon zurückgezogen" in twice.text, twice.text


async def test_after_a_withdrawal_the_lists_other_buttons_still_stand(office: Harness) -> None:
    """Where buttons are tapped (Telegram) the list's other buttons stay above the withdrawal:
    their words typed point to them, as to any button above; they had been "no choice now"."""
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    assert "#2" in await ask_office(office, "hanna", PARKING_DE)
    listed = await office.send("hanna", "/meinefragen")
    withdrawn = await office.press("hanna", listed.button("#1 zurückziehen"))
    assert "Zurückgezogen" in withdrawn.text, withdrawn.text
    typed = await office.send("hanna", "#2 zurückziehen")
    assert typed.text.startswith("„#2 zurückziehen“ ist eine Schaltfläche oben"), typed.text
    twice = await office.press("hanna", listed.button("#1 zurückziehen"))
    assert "schon zurückgezogen" in twice.text, twice.text
    typed = await office.send("hanna", "#2 zurückziehen")  # the refusal keeps them too
    assert typed.text.startswith("„#2 zurückziehen“ ist eine Schaltfläche oben"), typed.text
    assert "Zurückgezogen" in (await office.press("hanna", listed.button("#2"))).text


async def test_the_office_sees_a_withdrawn_question_and_cannot_answer_it(
    office: Harness,
) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    assert "#2" in await ask_office(office, "otto", "Wie spät ist es in Tokio?")
    await office.press("hanna", "fqw:1")

    inbox = await office.send("admin", "/inbox")
    assert "Offene Fragen an die Geschäftsstelle: 1" in inbox.text, inbox.text
    assert DOG_DE not in inbox.text  # not as open …
    assert "Vom Mitglied zurückgezogen (letzte 7 Tage, nicht mehr zu beantworten): #1" in (
        inbox.text
    )  # … but as withdrawn by the member, apart, below how the open ones are answered
    hint, withdrawn = inbox.text.index("/antwort"), inbox.text.index("Vom Mitglied")
    assert hint < withdrawn and "\n\n" in inbox.text[hint:withdrawn], inbox.text

    refused = await office.send("admin", "/antwort 1 Hunde bitte zu Hause lassen")
    assert "Ticket #1 hat das Mitglied selbst zurückgezogen" in refused.text, refused.text
    assert "Nichts wurde gesendet" in refused.text
    assert "selbst zurückgezogen" in (await office.send("admin", "/lernen 1 symposium")).text
    # the entry button of the office's alert asks the same
    assert "selbst zurückgezogen" in (await office.press("admin", "fl:1:symposium")).text
    assert await answers_to(office, "hanna") == []
    assert (await ticket(office, 1)).status == faq.WITHDRAWN

    await office.press("otto", "fqw:2")
    emptied = await office.send("admin", "/inbox")
    assert "Keine offenen Fragen im Posteingang." in emptied.text
    assert "nicht mehr zu beantworten): #2, #1" in emptied.text, emptied.text


async def test_only_the_member_who_asked_withdraws_a_question(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    refused = await office.press("otto", "fqw:1")  # a crafted button with hanna's ticket
    assert "keine Ihrer Fragen an die Clustergeschäftsstelle" in refused.text, refused.text
    assert (await ticket(office, 1)).status == faq.OPEN
    # a ticket that does not exist reads the same (nothing tells whose a number is)
    assert "keine Ihrer Fragen" in (await office.press("otto", "fqw:99")).text
    assert "nicht mehr gültig" in (await office.press("otto", "fqw:x")).text
    await office.send("erin", "/language en")
    english = await office.press("erin", "fqw:1")
    assert "This is not one of your questions" in english.text, english.text
    assert (await ticket(office, 1)).status == faq.OPEN


async def test_an_answered_questions_old_button_says_it_was_answered(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    listed = await office.send("hanna", "/meinefragen")
    await office.send("admin", "/antwort 1 Hunde bitte zu Hause lassen")
    late = await office.press("hanna", listed.button("zurückziehen"))
    assert "hat Ihre Frage (Ticket #1) schon beantwortet" in late.text, late.text
    assert (await ticket(office, 1)).status == faq.ANSWERED
    assert len(await answers_to(office, "hanna")) == 1


async def test_no_open_questions_is_said_plainly_in_german_and_english(office: Harness) -> None:
    none = await office.send("hanna", "/meinefragen")
    assert "Sie haben keine offenen Fragen bei der Clustergeschäftsstelle" in none.text
    assert none.buttons == []
    await office.send("eric", "/language en")
    english = await office.send("eric", "/myquestions")
    assert "You have no open questions with the cluster office" in english.text
    # an answered question is no open one
    assert "#1" in await ask_office(office, "eric", VEGAN_EN, lang="en")
    await office.send("admin", "/answer 1 Yes, there is a vegan lunch.")
    assert "no open questions" in (await office.send("eric", "/myquestions")).text


async def test_an_english_member_lists_and_withdraws_in_english(office: Harness) -> None:
    await office.send("eric", "/language en")
    handed = await ask_office(office, "eric", VEGAN_EN, lang="en")
    assert "(ticket #1)" in handed and "/myquestions shows your open questions" in handed
    listed = await office.send("eric", "/myquestions")
    assert "Your open question with the cluster office" in listed.text, listed.text
    assert "waiting for less than an hour" in listed.text and VEGAN_EN in listed.text
    withdrawn = await office.press("eric", listed.button("Withdraw #1"))
    assert f"Withdrawn: your question “{VEGAN_EN}” (ticket #1)" in withdrawn.text
    assert "already withdrawn" in (await office.press("eric", "fqw:1")).text


async def test_a_withdrawn_question_makes_room_for_a_new_one(office: Harness) -> None:
    """Five open questions the member asked the office for are as many as it takes from one
    member; withdrawing one lets the next through, as the refusal says."""
    await full(office, "vera")  # tickets 1-5 asked for, 6-10 handed on by the bot
    refused = await office_pressed(office, "vera", "Gibt es WLAN im Tagungsraum?")
    assert "schon 5 offene Fragen" in refused and "mit /meinefragen zurückgezogen" in refused
    await office.press("vera", "fqw:2")
    assert "#11" in await office_pressed(office, "vera", "Gibt es WLAN im Tagungsraum?")


async def test_the_rules_without_a_chat(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    hanna = await office.member("hanna")
    assert hanna is not None
    services = office.app.services
    (found,) = await mine.open_questions(services, hanna.id)
    assert (found.ticket_id, found.text) == (1, DOG_DE)
    assert mine.waiting_text("de", timedelta(hours=5)) == "seit 5 Stunden"
    assert mine.waiting_text("en", timedelta(days=1, hours=2)) == "for a day"
    done = await mine.withdraw(services, hanna.id, 1)
    assert done.ticket_id == 1
    assert await mine.open_questions(services, hanna.id) == []


async def office_alerts(bot: Harness, kind: str = "faq_office_alert") -> list[OutboxMessage]:
    """The admins' alerts about tickets (or, with `kind`, the edits of them), oldest first."""
    async with bot.db.session() as session:
        query = select(OutboxMessage).where(OutboxMessage.kind == kind)
        return list((await session.execute(query.order_by(OutboxMessage.id))).scalars())


async def delivered(bot: Harness, message: OutboxMessage, ref: str) -> None:
    """`message` reached its chat, which calls it `ref` (as the delivery worker records it)."""
    async with bot.db.session() as session:
        stored = await session.get(OutboxMessage, message.id)
        assert stored is not None
        stored.status, stored.message_ref = "sent", ref


def shown(message: OutboxMessage) -> Reply:
    return reply_from_payload(message.payload)


@pytest.mark.parametrize(
    ("lang", "line", "refusal"),
    [
        (
            "de",
            "↩️ Vom Mitglied zurückgezogen – wird nicht mehr beantwortet.",
            "Ticket #1 hat das Mitglied selbst zurückgezogen",
        ),
        (
            "en",
            "↩️ Withdrawn by the member – no longer to be answered.",
            "The member has withdrawn ticket #1",
        ),
    ],
)
async def test_the_admins_alert_about_a_withdrawn_question_says_so_and_loses_its_buttons(
    office: Harness, lang: str, line: str, refusal: str
) -> None:
    await office.send("admin", f"/language {lang}")
    assert "#1" in await ask_office(office, "hanna", STEP_FREE_DE)
    assert "#2" in await ask_office(office, "hanna", PARKING_DE)
    first, _second = await office_alerts(office)
    assert shown(first).buttons, "the alert offers an entry to answer with"
    # The first alert is in the admin's chat; the second still waits to be sent.
    await delivered(office, first, "admin-chat:41")
    for number in (1, 2):
        await office.press("hanna", f"fqw:{number}")

    (edit,) = await office_alerts(office, "faq_office_alert_edit")
    edited = shown(edit)
    assert edited.edit_ref == "admin-chat:41" and edited.buttons == ()
    assert edit.member_id == first.member_id and edit.platform == first.platform
    text = render_text(edited.text)
    assert "📥 Ticket #1 (hanna)" in text and STEP_FREE_DE in text and line in text, text
    # the one not sent yet goes out as it is now: settled, without buttons
    (_, waiting) = await office_alerts(office)
    assert waiting.status == "pending" and shown(waiting).buttons == ()
    assert line in render_text(shown(waiting).text) and "#2" in render_text(shown(waiting).text)
    # an old button pressed all the same (a chat that kept it) is refused, nothing is sent
    (payload,) = [b.payload for row in shown(first).buttons[:1] for b in row]
    assert refusal in (await office.press("admin", payload)).text
    assert await answers_to(office, "hanna") == []


LOCKER_DE = "Kann ich mein Gepäck während der Werksführung irgendwo einschließen?"
LOCKER_ANSWER_DE = "Ja, am Empfang gibt es abschließbare Fächer; den Schlüssel bekommen Sie dort."


async def test_answered_questions_stay_readable_below_the_open_ones(office: Harness) -> None:
    """After the office answered, /meinefragen still shows the question with its answer, apart
    from the open ones; after a month it is gone."""
    assert "#1" in await ask_office(office, "hanna", LOCKER_DE)
    await office.send("admin", f"/answer 1 {LOCKER_ANSWER_DE}")

    only_answered = await office.send("hanna", "/meinefragen")
    text = only_answered.text
    assert "keine offenen Fragen" not in text, text
    assert "Offene Fragen bei der Clustergeschäftsstelle haben Sie keine." in text, text
    assert "Beantwortet (letzte 30 Tage)" in text and "#1 · beantwortet am " in text, text
    assert "Gepäck" in text and "abschließbare Fächer" in text, text
    assert only_answered.buttons == []  # an answered question is not withdrawn

    assert "#2" in await ask_office(office, "hanna", PARKING_DE)
    both = (await office.send("hanna", "/meinefragen")).text
    assert both.index("Elektroautos") < both.index("Beantwortet") < both.index("Gepäck"), both

    office.app.services.clock = fixed_clock(office.app.services.clock() + timedelta(days=31))
    later = (await office.send("hanna", "/meinefragen")).text
    assert "Gepäck" not in later and "Beantwortet" not in later, later


async def test_an_english_member_reads_the_office_answer_again(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", VEGAN_EN, lang="en")
    await office.send("admin", "/answer 1 Yes, every excursion has a vegan lunch box.")
    text = (await office.send("hanna", "/myquestions")).text
    assert "You have no open questions with the cluster office." in text, text
    assert "Answered (last 30 days)" in text and "vegan lunch box" in text, text
    assert "Beantwortet" not in text
