"""A partner search's preview keeps waiting beside a question, as a new member meets it."""

from __future__ import annotations

import pytest

from bot.delivery import reply_from_payload
from tests.harness import Harness
from tests.partners_fixtures import import_members, outbox
from tests.test_events import create, goslar
from tests.test_events import outbox as events_outbox
from tests.test_partner_walkthrough import typed_console

CASES = [
    (
        "Wir suchen ein Labor für die Analytik von Schwarzmasse",
        "Wie lange dauert das?",
        "„Ja, senden“",
        "ja senden",
    ),
    (
        "We are looking for a lab that can analyse black mass",
        "how long does that take?",
        "„Yes, send“",  # the English preview's button, named in req's German line
        "yes send",
    ),
]


@pytest.mark.parametrize(("need", "question", "named", "typed"), CASES)
async def test_a_question_beside_the_preview_leaves_it_waiting_and_sendable(
    bot: Harness, need: str, question: str, named: str, typed: str
) -> None:
    await import_members(bot)
    console, out = await typed_console(bot, "req")
    await console.feed(need)
    start = len(out.getvalue())
    await console.feed(question)
    beside = out.getvalue()[start:]
    assert named in beside, beside  # the line saying it still waits names its buttons
    await console.feed("/offen")
    listed = out.getvalue()[start + len(beside) :]
    assert need in listed and named.strip("„“”") in listed, listed
    await console.feed(typed)
    assert await outbox(bot, "partner_request"), out.getvalue()


@pytest.mark.parametrize(
    ("lang", "join", "leave"), [("de", "Anmelden", "Abmelden"), ("en", "Sign up", "Cancel sign-up")]
)
async def test_a_new_events_announcement_offers_no_cancel_to_who_never_signed_up(
    bot: Harness, lang: str, join: str, leave: str
) -> None:
    await bot.onboard("anna", lang=lang)
    number = await create(bot, goslar(bot, 30))
    anna = await bot.member("anna")
    assert anna is not None
    [sent] = [m for m in await events_outbox(bot, "event_announcement") if m.member_id == anna.id]
    labels = [b.label for row in reply_from_payload(sent.payload).buttons for b in row]
    assert join in labels and leave not in labels, labels
    assert number


@pytest.mark.parametrize(
    ("question", "confirmed"),
    [
        ("Hallo, wie melde ich mich für die Exkursion nach Goslar an?", "Sie sind für"),
        ("hi, how do I sign up for the excursion to Goslar?", "You are signed up for"),
    ],
)
async def test_a_new_member_signing_up_from_an_answer_is_confirmed_in_their_language(
    bot: Harness, question: str, confirmed: str
) -> None:
    await create(bot, goslar(bot, 30))
    console, out = await typed_console(bot, "neu")
    await console.feed(question)
    start = len(out.getvalue())
    await console.feed("1")
    assert confirmed in out.getvalue()[start:], out.getvalue()


@pytest.mark.parametrize(
    ("member_lang", "need", "question", "line", "other"),
    [
        (  # a German member, an English question beside the preview
            "de",
            "Wir suchen ein Labor für die Analytik von Schwarzmasse",
            "Which events are coming up in spring?",
            "Ihre Partnersuche ist noch nicht abgeschickt – die Vorschau wartet auf „Ja, senden“",
            "Your partner search has not been sent",
        ),
        (  # an English member, a German question beside an English preview
            "en",
            "We are looking for a lab that can analyse black mass",
            "Welche Veranstaltungen gibt es im Frühjahr?",
            "Your partner search has not been sent yet – the preview waits for “Yes, send”",
            "Ihre Partnersuche ist noch nicht abgeschickt",
        ),
        (  # an English member whose preview is German: its buttons named as shown
            "en",
            "Wir suchen ein Labor für die Analytik von Schwarzmasse",
            "Welche Veranstaltungen gibt es im Frühjahr?",
            "Your partner search has not been sent yet – the preview waits for “Ja, senden”",
            "Ihre Partnersuche ist noch nicht abgeschickt",
        ),
    ],
)
async def test_the_line_beside_the_preview_is_in_the_members_language(
    bot: Harness, member_lang: str, need: str, question: str, line: str, other: str
) -> None:
    await import_members(bot)
    await bot.send("req", f"/language {member_lang}")
    preview = await bot.send("req", need)
    assert preview.buttons[0].startswith("pr:send:"), preview.text
    beside = await bot.send("req", question)
    assert line in beside.text and other not in beside.text, beside.text
