"""Which event a member's question is about, as the office reads it beside a ticket and as the
bot answers it: the event the exchange before was about (a follow-up pointing back with
"dort", and a next question with no pointer that asks what one asks about an event), not a
quote of the message before alone; not an event whose title only shares a word with a
company's or a region's name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.demo import DEMO_DIR
from handlers.faq.inbox import read_with
from storage.faq import FaqQuestion, FaqTicket
from tests.harness import Chat, Harness


@pytest.fixture
async def events(bot: Harness) -> Harness:
    """The demo's knowledge base; a congress, a plant visit and a forum named after a region,
    with descriptions that say nothing of parking or what to wear; two say where lunch is."""
    now = bot.app.services.clock()
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    for kind, title, title_en, days, place, said, said_en in [
        (
            "symposium",
            "Symposium Metallkreislauf",
            "Metal cycle symposium",
            20,
            "Clausthal",
            "Vorträge und Gespräche. Mittagessen im Foyer.",
            "Talks and conversations. Lunch in the foyer.",
        ),
        (
            "excursion",
            "Exkursion Kupferhütte",
            "Excursion to the copper works",
            12,
            "Oker",
            "Werksführung. Mittagessen in der Kantine.",
            "Plant tour. Lunch in the canteen.",
        ),
        (
            "forum",
            "Forum Recyclingregion Harz",
            "Forum Harz recycling region",
            40,
            "Goslar",
            "Projektideen und Förderprogramme.",
            "Project ideas and funding programmes.",
        ),
    ]:
        start = now + timedelta(days=days)
        await bot.add_event(
            kind=kind,
            title=title,
            title_en=title_en,
            place=place,
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            description=said,
            description_en=said_en,
            capacity=40,
            audience="all",
            reminder_hours=[],
        )
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


async def last_ticket(bot: Harness) -> FaqTicket:
    async with bot.db.session() as session:
        found = await session.execute(select(FaqTicket).order_by(FaqTicket.id.desc()))
        ticket = found.scalars().first()
    assert ticket is not None
    return ticket


async def handed_off(bot: Harness, user: str, reply: Chat) -> FaqTicket:
    """The ticket of the question just asked: opened at once, or by the button that passes it
    on (under choices, "Nichts davon"; under a quote, "Ja, an die Geschäftsstelle")."""
    if "#" not in reply.text:
        office = [p for p in reply.buttons if p.startswith("faq:ho:")]
        assert office, reply.text
        said = await bot.press(user, office[0])
        assert "#" in said.text, said.text
    return await last_ticket(bot)


@pytest.mark.parametrize(
    ("user", "before", "follow", "title"),
    [
        (
            "de",
            "Welcher Bahnhof liegt am nächsten zum Symposium?",
            "Kann man dort auch das Auto abstellen?",
            "Symposium Metallkreislauf (",
        ),
        (
            "en",
            "how do I get to the excursion by bus?",
            "is there somewhere to leave a bike there?",
            "Excursion to the copper works (",
        ),
    ],
)
async def test_a_follow_up_pointing_back_reaches_the_office_with_the_event_it_was_about(
    events: Harness, user: str, before: str, follow: str, title: str
) -> None:
    await events.send(user, before)
    asked = await events.send(user, follow)
    ticket = await handed_off(events, user, asked)
    assert ticket.text == follow, ticket.text
    # the event by its title and date first, and what the member asked before beside it
    assert ticket.context.startswith(title), ticket.context
    assert before in ticket.context, ticket.context
    # the office's inbox in the chat names it as the alert does, in the admin's language
    inbox = (await events.send("admin", "/posteingang")).text
    german = {"Excursion to the copper works (": "Exkursion Kupferhütte ("}.get(title, title)
    assert german in inbox, inbox
    # its suggested entries (and what /lernen teaches) read the question after the message
    # before, as the bot did, not after the event's title and date
    assert read_with(ticket.context, ticket.text) == f"{before} {follow}"


@pytest.mark.parametrize(
    ("user", "before", "next_question", "title"),
    [
        (
            "de",
            "Wo parkt man bei der Exkursion am besten?",
            "Was sollte ich anziehen?",
            "Exkursion Kupferhütte (",
        ),
        (
            "de",
            "Gibt es beim Symposium ein Abendessen?",
            "brauche ich einen Laptop oder soll ich sonst was mitbringen?",
            "Symposium Metallkreislauf (",
        ),
        (
            "en",
            "Where do I leave my car for the symposium?",
            "Is there a dress code?",
            "Metal cycle symposium (",
        ),
        (
            "en",
            "Is there a cloakroom on the excursion?",
            "should we pack anything, like boots?",
            "Excursion to the copper works (",
        ),
    ],
)
async def test_a_next_question_about_the_same_event_keeps_it_for_the_office(
    events: Harness, user: str, before: str, next_question: str, title: str
) -> None:
    first = await events.send(user, before)
    if any(p.startswith("faq:ho:") for p in first.buttons):  # not where the place is said
        await handed_off(events, user, first)
    asked = await events.send(user, next_question)
    ticket = await handed_off(events, user, asked)
    assert ticket.text == next_question, ticket.text
    assert ticket.context.startswith(title), ticket.context


@pytest.mark.parametrize(
    ("user", "before", "other"),
    [
        (
            "de",
            "Wo parkt man bei der Exkursion am besten?",
            "Wann wird der Mitgliedsbeitrag fällig?",
        ),
        ("en", "Is there a dress code at the symposium?", "When does the newsletter come out?"),
    ],
)
async def test_a_next_question_about_something_else_gets_no_event(
    events: Harness, user: str, before: str, other: str
) -> None:
    first = await events.send(user, before)
    await handed_off(events, user, first)
    await events.send(user, other)
    # what the office would read beside it, were it passed on (logged with every question)
    async with events.db.session() as session:
        found = await session.execute(select(FaqQuestion).order_by(FaqQuestion.id.desc()))
        logged = found.scalars().first()
    assert logged is not None and logged.text == other, logged
    assert logged.context == "", logged.context


@pytest.mark.parametrize(
    ("user", "before", "next_question", "said", "not_said"),
    [
        (
            "de",
            "Wo parkt man bei der Exkursion am besten?",
            "gibt es was zu essen?",
            "Mittagessen in der Kantine",
            "Foyer",
        ),
        (
            "en",
            "Is there a cloakroom on the excursion?",
            "is lunch provided?",
            "Lunch in the canteen",
            "foyer",
        ),
    ],
)
async def test_a_next_question_is_answered_from_the_description_of_the_same_event(
    events: Harness, user: str, before: str, next_question: str, said: str, not_said: str
) -> None:
    # Two events' descriptions say where lunch is: alone, the question names neither; after
    # a question about the excursion passed on with "Nichts davon", it is the excursion's.
    first = await events.send(user, before)
    await handed_off(events, user, first)
    asked = await events.send(user, next_question)
    assert said in asked.text and not_said not in asked.text, asked.text


async def logged_context(bot: Harness, text: str) -> str:
    """What the office would read beside `text`, were it passed on (logged with it)."""
    async with bot.db.session() as session:
        found = await session.execute(select(FaqQuestion).where(FaqQuestion.text == text))
        logged = found.scalars().first()
    assert logged is not None, text
    return logged.context


@pytest.mark.parametrize(
    ("user", "question"),
    [
        # a region's name in a company's: no event of the region
        ("de", "Bietet ihr Werksbesichtigungen an, etwa bei der Harz Metall GmbH?"),
        ("de", "Kann man bei der Harz mal ein Praktikum machen?"),
        ("en", "Can I meet people from Harz Minerals Ltd through the network?"),
        ("de", "Hat die Goslar Recycling AG schon mal mitgemacht?"),
        # the region alone, asking nothing about an event
        ("de", "Wie viele Mitglieder kommen aus dem Harz?"),
        ("en", "How many members are based in the Harz?"),
    ],
)
async def test_a_region_in_a_company_or_alone_names_no_event(
    events: Harness, user: str, question: str
) -> None:
    reply = await events.send(user, question)
    assert "Forum Recyclingregion Harz" not in reply.text, reply.text
    assert "Forum Harz recycling region" not in reply.text, reply.text
    assert await logged_context(events, question) == ""
    # nor is it the event a question pointing back after it is about
    follow = "Und gibt es dort Führungen?" if user == "de" else "And is there a lab there?"
    answered = await events.send(user, follow)
    assert "Forum" not in answered.text, answered.text
    if answered.buttons and all(p.startswith("faq:") for p in answered.buttons):
        assert "Forum" not in await logged_context(events, follow)


@pytest.mark.parametrize(
    ("user", "question", "title"),
    [
        ("de", "Gibt es beim Forum im Harz eine Garderobe?", "Forum Recyclingregion Harz ("),
        ("en", "Is there a cloakroom at the Harz forum?", "Forum Harz recycling region ("),
    ],
)
async def test_a_region_beside_the_events_kind_still_names_it(
    events: Harness, user: str, question: str, title: str
) -> None:
    await events.send(user, question)
    assert (await logged_context(events, question)).startswith(title)


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("de", "wer sitzt eigentlich im Vorstand?"),
        ("en", "who is on the board of the association?"),
        ("de", "Gibt es für Mitglieder einen Parkplatz an der Geschäftsstelle?"),
        ("en", "Is there parking at your office?"),
    ],
)
async def test_a_question_about_the_association_under_an_events_card_gets_no_event(
    events: Harness, user: str, question: str
) -> None:
    # (walkthrough 2026-12-06, second round: the board read as the forum's)
    await events.press(user, "ev:show:3")
    await events.send(user, question)
    assert await logged_context(events, question) == ""
