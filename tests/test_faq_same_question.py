"""A member who sends the same question again while the office still has it open (the same
words, in other case or spacing) is told it is already with the office: no second ticket,
no second alert to the admins. Once the office answered it (or the member withdrew it), the
same question is a new ticket again."""

from __future__ import annotations

import pytest

from bot.demo import DEMO_DIR
from handlers.events.demo import seed_events
from storage.faq import FaqTicket
from storage.models import OutboxMessage
from tests.harness import Chat, Harness
from tests.test_faq import rows, seed_kb

ALREADY = {
    "de": "Diese Frage liegt der Clustergeschäftsstelle schon vor; Sie bekommen die Antwort hier.",
    "en": "The cluster office already has this question; you will get the answer here.",
}
# No entry answers these: each goes to the office at once.
DOG = {
    "de": (
        "Darf mein Hund mit zur Exkursion ins Bergwerk?",
        "darf mein  HUND mit zur exkursion ins BERGWERK?",
    ),
    "en": (
        "Can I bring my dog along to the excursion?",
        "can I bring my DOG along to the  excursion?",
    ),
}


@pytest.fixture
async def members(bot_any: Harness) -> Harness:
    """The demo knowledge base, on SQLite and on PostgreSQL; "de" and "en" are members."""
    await seed_kb(bot_any)
    await bot_any.onboard("de", lang="de", org="Harzer Schrott GmbH")
    await bot_any.onboard("en", lang="en", org="Brocken Metals Ltd")
    return bot_any


async def tickets(bot: Harness) -> list[FaqTicket]:
    return await rows(bot, FaqTicket)


async def alerts(bot: Harness) -> int:
    return len([m for m in await rows(bot, OutboxMessage) if m.kind == "faq_office_alert"])


def office_button(chat: Chat) -> str:
    return next(p for p in chat.buttons if p.startswith("faq:ho:"))


@pytest.mark.parametrize("user", ["de", "en"])
async def test_the_same_question_again_is_not_a_second_ticket(members: Harness, user: str) -> None:
    await members.send("admin", "/start")  # an admin to hear of new tickets
    first, again = DOG[user]
    asked = await members.send(user, first)
    assert "#1" in asked.text, asked.text
    repeated = await members.send(user, again)
    assert ALREADY[user] in repeated.text, repeated.text
    assert "#2" not in repeated.text, repeated.text
    assert len(await tickets(members)) == 1
    assert await alerts(members) == 1
    # the office's inbox lists the question once
    inbox = (await members.send("admin", "/inbox")).text
    assert inbox.count(first) == 1 and ": 1" in inbox, inbox


@pytest.mark.parametrize(
    ("user", "vague"),
    [("de", "Anmeldung"), ("en", "Costs")],
)
async def test_none_of_these_twice_tells_it_is_with_the_office(
    members: Harness, user: str, vague: str
) -> None:
    # "Anmeldung" twice, each time "Nichts davon – an die Geschäftsstelle"
    offered = await members.send(user, vague)
    passed = await members.press(user, office_button(offered))
    assert "#1" in passed.text, passed.text
    offered = await members.send(user, vague.lower())
    repeated = await members.press(user, office_button(offered))
    assert ALREADY[user] in repeated.text, repeated.text
    assert len(await tickets(members)) == 1


@pytest.mark.parametrize(
    ("user", "sure"), [("de", "Wie hoch ist der Mitgliedsbeitrag?"), ("en", "Registration")]
)
async def test_not_helpful_twice_tells_it_is_with_the_office(
    members: Harness, user: str, sure: str
) -> None:
    # answered, 👎, "Ja, an die Geschäftsstelle"; the same again a minute later
    for time in (1, 2):
        answered = await members.send(user, sure if time == 1 else f" {sure.upper()} ")
        thumbs = next(p for p in answered.buttons if p.startswith("faq:fb:") and p.endswith(":0"))
        offered = await members.press(user, thumbs)
        passed = await members.press(user, office_button(offered))
    assert ALREADY[user] in passed.text, passed.text
    assert len(await tickets(members)) == 1


@pytest.mark.parametrize("user", ["de", "en"])
async def test_once_answered_the_same_question_is_a_new_ticket(members: Harness, user: str) -> None:
    first, again = DOG[user]
    await members.send(user, first)
    await members.send("admin", "/answer 1 Leider nein.")
    asked = await members.send(user, again)
    assert ALREADY[user] not in asked.text, asked.text
    assert "#2" in asked.text, asked.text
    assert len(await tickets(members)) == 2


async def test_another_members_same_question_is_their_own_ticket(members: Harness) -> None:
    first, _again = DOG["de"]
    await members.send("de", first)
    await members.onboard("dora", lang="de", org="Clausthaler Recycling")
    asked = await members.send("dora", first)
    assert "#2" in asked.text, asked.text
    assert len(await tickets(members)) == 2


@pytest.mark.parametrize(
    ("user", "message", "named"),
    [
        (
            "de",
            "Was kostet die Mitgliedschaft im Jahr? Gibt es einen Parkplatz für Wohnmobile?",
            "Zu „Gibt es einen Parkplatz für Wohnmobile?“: " + ALREADY["de"],
        ),
        (
            "en",
            "How much is the membership per year? Is there a parking space for camper vans?",
            "On “Is there a parking space for camper vans?”: " + ALREADY["en"],
        ),
    ],
)
async def test_a_message_asking_it_again_beside_another_question_names_it(
    members: Harness, user: str, message: str, named: str
) -> None:
    first = await members.send(user, message)
    assert "#1" in first.text, first.text
    again = await members.send(user, message)
    assert named in again.text, again.text
    assert len(await tickets(members)) == 1


# The same words about another event: the office reads another question (its context).
ABOUT_TWO = {
    "de": (
        "Wie melde ich mich zum Symposium an?",
        "Wie melde ich mich zum Innovationsforum an?",
        "Darf man da Fahrräder abstellen?",
    ),
    "en": (
        "How do I register for the symposium?",
        "How do I register for the innovation forum?",
        "Can one leave bicycles there?",
    ),
}


@pytest.fixture
async def with_events(bot: Harness) -> Harness:
    """The demo's events and knowledge base; "de" and "en" are members."""
    await seed_events(bot.db, now=bot.app.services.clock())
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("admin", lang="de")
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


async def ask_passing_on(bot: Harness, user: str, question: str) -> str:
    """The question; passed on to the office where the bot asks first."""
    asked = await bot.send(user, question)
    office = [p for p in asked.buttons if p.startswith("faq:ho:") or p.startswith("faq:off")]
    if "#" not in asked.text and ALREADY[user] not in asked.text and office:
        asked = await bot.press(user, office[0])
    return asked.text


@pytest.mark.parametrize("user", ["de", "en"])
async def test_the_same_words_about_another_event_are_a_new_question(
    with_events: Harness, user: str
) -> None:
    one, other, question = ABOUT_TWO[user]
    await with_events.send(user, one)
    first = await ask_passing_on(with_events, user, question)
    assert "#1" in first, first
    await with_events.send(user, other)
    second = await ask_passing_on(with_events, user, question)
    assert ALREADY[user] not in second, second
    assert "#2" in second, second
    found = await tickets(with_events)
    # each beside the event it is about and the message before
    assert [t.context.rpartition(" · ")[2] for t in found] == [one, other], found
    assert found[0].context != found[1].context
    # about the first event again: that one is with the office already
    await with_events.send(user, one)
    again = await ask_passing_on(with_events, user, question)
    assert ALREADY[user] in again, again
    assert len(await tickets(with_events)) == 2
