"""A message asking several things, one of them an event's date or place, another the FAQ's:
every question is answered (or named as passed on), in the order asked, each under its
question; two questions joined by "und"/"and"/"also" in one sentence count as two."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.messages import Reply
from bot.messages import plain_text as render_text
from bot.textmatch.sentences import sentences
from handlers.events import service
from handlers.events.form import Draft
from storage.events import Event
from storage.faq import FaqTicket
from tests.harness import Harness

KB = """
[[faq]]
id = "rechnungsadresse"
tags = ["rechnung"]
question.de = ["Wie ändere ich meine Rechnungsadresse?", "Wohin geht die Rechnung für den Beitrag?"]
question.en = ["How do I change my billing address?", "Where does the invoice for the fee go?"]
answer.de = "Eine neue Rechnungsadresse tragen Sie im Formular Stammdaten ein."
answer.en = "You enter a new billing address in the master data form."

[[faq]]
id = "protokoll"
tags = ["versammlung"]
question.de = ["Gibt es ein Protokoll der letzten Mitgliederversammlung?"]
question.en = ["Is there a record of the last general meeting?"]
answer.de = "Das Protokoll der Mitgliederversammlung steht im Mitgliederbereich der Website."
answer.en = "The minutes of the general meeting are in the members' area of the website."
"""


@pytest.fixture
async def workshop(bot: Harness) -> int:
    """An invented knowledge base, one workshop in Freiberg (its number) and two members."""
    await bot.import_kb(KB)
    draft = Draft(
        kind="workshop",
        title="Workshop Batteriepass",
        title_en="Battery passport workshop",
        start=bot.app.services.clock() + timedelta(days=20),
        place="Bergakademie, Freiberg",
        capacity=25,
        announce="no",
    )
    created = await service.create_event(bot.app.services, draft, created_by=None)
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return created.event.id


def _index(replies: list[Reply], words: str) -> int:
    for index, reply in enumerate(replies):
        if words in render_text(reply.text or ""):
            return index
    shown = "\n".join(render_text(reply.text or "") for reply in replies)
    raise AssertionError(f"no reply with {words!r} in {shown!r}")


def _has_button(reply: Reply, payload: str) -> bool:
    return any(button.payload == payload for row in reply.buttons for button in row)


@pytest.mark.parametrize(
    ("user", "text", "first", "second", "answer"),
    [
        (
            "de",
            "wie ändere ich meine rechnungsadresse und wann ist der nächste workshop?",
            "Zu „wie ändere ich meine rechnungsadresse“:",
            "Zu „wann ist der nächste workshop?“:",
            "Formular Stammdaten",
        ),
        (
            "en",
            "how do I change my billing address? also where is the workshop",
            "On “how do I change my billing address?”:",
            "On “where is the workshop”:",
            "master data form",
        ),
        (
            # an apostrophe is quoted as typed (it had been escaped twice: "where&#x27;s")
            "en",
            "how do I change my billing address? also where's the workshop",
            "On “how do I change my billing address?”:",
            "On “where's the workshop”:",
            "master data form",
        ),
    ],
)
async def test_an_faq_question_and_an_event_question_both_get_answers_in_the_order_asked(
    bot: Harness, workshop: int, user: str, text: str, first: str, second: str, answer: str
) -> None:
    chat = await bot.send(user, text)
    faq_at, event_at = _index(chat.replies, first), _index(chat.replies, second)
    assert faq_at < event_at, chat.text
    assert answer in render_text(chat.replies[faq_at].text or ""), chat.text
    dated = chat.replies[event_at]
    assert _has_button(dated, f"ev:join:{workshop}"), chat.text
    assert "Freiberg" in render_text(dated.text or ""), chat.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "Wo ist der Workshop bzw. wo kann man hin?"),
        ("de", "Wann ist der Workshop, d. h. an welchem Tag?"),
        ("en", "When is the workshop, i.e. which day?"),
    ],
)
async def test_an_abbreviation_ends_no_question(
    bot: Harness, workshop: int, user: str, text: str
) -> None:
    """ "z. B.", "bzw.", "e.g.": their full stops end no sentence (the walkthrough's "Welche
    Exkursionen bietet das Cluster an, z. B. zu Recyclingbetrieben?" got three replies, one
    "Zu „…an, z.“: …")."""
    chat = await bot.send(user, text)
    assert len(chat.replies) == 1, chat.text
    assert f"ev:join:{workshop}" in chat.buttons, chat.text
    assert "Zu „" not in chat.text and "On “" not in chat.text, chat.text


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Welche Kurse gibt es, z. B. zur Laugung?", ["Welche Kurse gibt es, z. B. zur Laugung?"]),
        ("Ist das z.B. kostenlos?", ["Ist das z.B. kostenlos?"]),
        ("Any courses, e.g. on leaching?", ["Any courses, e.g. on leaching?"]),
        ("Kommt Prof. Roth auch?", ["Kommt Prof. Roth auch?"]),
        # a sentence still ends after "etc." before a capital, and after a single capital
        ("Wir sammeln Kabel etc. Wer hilft?", ["Wir sammeln Kabel etc.", "Wer hilft?"]),
        ("Wir haben Plan B. Was nun?", ["Wir haben Plan B.", "Was nun?"]),
    ],
)
def test_the_full_stop_of_an_abbreviation_ends_no_sentence(text: str, read: list[str]) -> None:
    assert sentences(text) == read


@pytest.mark.parametrize(
    ("user", "text", "first", "second"),
    [
        (
            "de",
            "Wo findet der Workshop statt und gibt es ein Protokoll der letzten "
            "Mitgliederversammlung?",
            "Zu „Wo findet der Workshop statt“:",
            "Mitgliederbereich",
        ),
        (
            "en",
            "When is the workshop and is there a record of the last general meeting?",
            "On “When is the workshop”:",
            "members' area",
        ),
    ],
)
async def test_an_event_question_first_is_answered_first(
    bot: Harness, workshop: int, user: str, text: str, first: str, second: str
) -> None:
    chat = await bot.send(user, text)
    event_at, faq_at = _index(chat.replies, first), _index(chat.replies, second)
    assert event_at < faq_at, chat.text
    assert _has_button(chat.replies[event_at], f"ev:join:{workshop}"), chat.text


@pytest.mark.parametrize(
    ("user", "text", "passed_on"),
    [
        (
            "de",
            "Wann ist der Workshop und darf ich meinen Papagei zur Bergakademie mitbringen?",
            "Auf „darf ich meinen Papagei zur Bergakademie mitbringen?“ habe ich keine sichere",
        ),
        (
            "en",
            "When is the workshop and may I bring my parrot to the academy?",
            "I have no reliable answer to “may I bring my parrot to the academy?”",
        ),
    ],
)
async def test_a_question_beside_an_event_question_that_nothing_answers_is_named(
    bot: Harness, workshop: int, user: str, text: str, passed_on: str
) -> None:
    chat = await bot.send(user, text)
    assert f"ev:join:{workshop}" in chat.buttons, chat.text
    assert passed_on in chat.text, chat.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "Wann und wo ist der Workshop?"),
        ("en", "When and where is the workshop?"),
    ],
)
async def test_one_question_with_two_question_words_stays_one(
    bot: Harness, workshop: int, user: str, text: str
) -> None:
    chat = await bot.send(user, text)
    assert len(chat.replies) == 1, chat.text
    assert f"ev:join:{workshop}" in chat.buttons, chat.text
    assert "Zu „" not in chat.text and "On “" not in chat.text, chat.text


@pytest.mark.parametrize(
    ("user", "text", "first", "second"),
    [
        (
            "de",
            "Wann ist der Workshop und wo ist das Sommerfest?",
            "Zu „Wann ist der Workshop“:",
            "Zu „wo ist das Sommerfest?“:",
        ),
        (
            "en",
            "When is the workshop? And where is the summer party?",
            "On “When is the workshop?”:",
            "On “where is the summer party?”:",
        ),
    ],
)
async def test_two_event_questions_in_one_message_are_both_answered(
    bot: Harness, workshop: int, user: str, text: str, first: str, second: str
) -> None:
    draft = Draft(
        kind="meeting",
        title="Sommerfest",
        title_en="Summer party",
        start=bot.app.services.clock() + timedelta(days=40),
        place="Kaiserpfalz, Goslar",
        announce="no",
    )
    party = (await service.create_event(bot.app.services, draft, created_by=None)).event.id
    chat = await bot.send(user, text)
    workshop_at, party_at = _index(chat.replies, first), _index(chat.replies, second)
    assert workshop_at < party_at, chat.text
    assert _has_button(chat.replies[workshop_at], f"ev:join:{workshop}"), chat.text
    assert _has_button(chat.replies[party_at], f"ev:join:{party}"), chat.text
    assert "Goslar" in render_text(chat.replies[party_at].text or ""), chat.text


@pytest.mark.parametrize(
    ("user", "text", "label"),
    [
        (
            "en",
            "When does the workshop start and where is it?",
            "On “When does the workshop start” and “where is it?”:",
        ),
        (
            "de",
            "Wann beginnt der Workshop und wo findet er statt?",
            "Zu „Wann beginnt der Workshop“ und „wo findet er statt?“:",
        ),
    ],
)
async def test_two_questions_one_event_answers_are_answered_once_under_both(
    bot: Harness, workshop: int, user: str, text: str, label: str
) -> None:
    # walkthrough 2026-12-06: the event's date and place had come twice, under each question
    chat = await bot.send(user, text)
    dated = [r for r in chat.replies if "Freiberg" in render_text(r.text or "")]
    assert len(dated) == 1, chat.text
    assert render_text(dated[0].text or "").startswith(label), chat.text
    assert _has_button(dated[0], f"ev:join:{workshop}"), chat.text


@pytest.mark.parametrize(
    ("user", "text", "second"),
    [
        ("en", "When is the workshop? Is there a waiting list?", "On “Is there a waiting list?”:"),
        ("de", "Wann ist der Workshop? Gibt es noch Plätze?", "Zu „Gibt es noch Plätze?“:"),
    ],
)
async def test_a_question_of_places_naming_no_event_is_of_the_event_before(
    bot: Harness, workshop: int, user: str, text: str, second: str
) -> None:
    # walkthrough 2026-12-06: "Which event do you mean?" right after the event was named
    chat = await bot.send(user, text)
    places = chat.replies[_index(chat.replies, second)]
    assert "25" in render_text(places.text or ""), chat.text  # the workshop's places
    assert _has_button(places, f"ev:join:{workshop}"), chat.text


async def test_what_else_is_on_after_an_event_question_lists_every_event(
    bot: Harness, workshop: int
) -> None:
    # the "es" of "gibt es" points back to nothing: all upcoming events, not the workshop
    draft = Draft(
        kind="meeting",
        title="Sommerfest",
        start=bot.app.services.clock() + timedelta(days=40),
        place="Kaiserpfalz, Goslar",
        announce="no",
    )
    await service.create_event(bot.app.services, draft, created_by=None)
    chat = await bot.send("de", "Wann ist der Workshop? Welche Termine gibt es noch?")
    at = _index(chat.replies, "Welche Termine gibt es noch?")
    listed = render_text(chat.replies[at].text or "")
    assert "Sommerfest" in listed and "Batteriepass" in listed, chat.text


@pytest.mark.parametrize(
    ("user", "asked", "text", "where", "parking"),
    [
        (
            "en",
            "when is the workshop?",
            "where is it exactly, and is there parking?",
            "On “where is it exactly”:",
            "“is there parking?”",
        ),
        (
            "de",
            "wann ist der workshop?",
            "wo genau ist das und gibt es parkplätze?",
            "Zu „wo genau ist das“:",
            "„gibt es parkplätze?“",
        ),
    ],
)
async def test_where_asked_of_the_event_just_shown_beside_a_question_for_the_office(
    bot: Harness, workshop: int, user: str, asked: str, text: str, where: str, parking: str
) -> None:
    """Walkthrough 2026-12-07: "where is it exactly" beside another question had got the FAQ's
    entry on profile details ("exactly"); the event just shown is where, and the question for
    the office names that event beside it."""
    await bot.send(user, asked)
    chat = await bot.send(user, text)
    place = chat.replies[_index(chat.replies, where)]
    assert "Bergakademie, Freiberg" in render_text(place.text or ""), chat.text
    assert _has_button(place, f"ev:join:{workshop}"), chat.text
    assert "profil" not in chat.text.lower(), chat.text
    assert parking in chat.text, chat.text
    async with bot.db.session() as session:
        (ticket,) = (await session.execute(select(FaqTicket))).scalars()
    assert ticket.context.startswith(("Battery passport workshop (", "Workshop Batteriepass (")), (
        ticket.context
    )


async def test_a_cost_asked_beside_an_event_question_quotes_its_description(
    bot: Harness, workshop: int
) -> None:
    """ "wann ist der Workshop und was kostet das?": the second part, read with the first, is
    the workshop's cost, which its description says (it had been passed to the office, the
    knowledge base having no entry on it; alone it was quoted)."""
    async with bot.db.session() as session:
        event = await session.get(Event, workshop)
        assert event is not None
        event.description = "Praxisnah. Teilnahmegebühr 40 €, für Mitglieder kostenfrei."
    chat = await bot.send("de", "wann ist der Workshop und was kostet das?")
    cost = chat.replies[_index(chat.replies, "Zu „was kostet das?“:")]
    assert "Teilnahmegebühr 40 €" in render_text(cost.text or ""), chat.text
    async with bot.db.session() as session:
        assert (await session.execute(select(FaqTicket))).first() is None


async def test_bringing_and_the_cost_beside_who_may_come_are_of_the_event_named_first(
    bot: Harness, workshop: int
) -> None:
    """Walkthrough 2026-12-07: in "wer darf zum Workshop? kann ich meinen Azubi mitbringen?
    was kostet das?" the trainee had become a ticket and the cost got the FAQ's choices; both
    are of the workshop the first question names."""
    async with bot.db.session() as session:
        event = await session.get(Event, workshop)
        assert event is not None
        event.description = "Praxisnah. Teilnahmegebühr 40 €, für Mitglieder kostenfrei."
    chat = await bot.send(
        "de", "wer darf zum Workshop? kann ich meinen Azubi mitbringen? was kostet das?"
    )
    trainee = chat.replies[_index(chat.replies, "Zu „kann ich meinen Azubi mitbringen?“:")]
    assert "Angemeldet wird jede Person einzeln" in render_text(trainee.text or ""), chat.text
    # the workshop's sign-up, offered under who may come, is not offered again under it
    assert chat.buttons.count(f"ev:join:{workshop}") == 1, chat.text
    # the fee, which says who may come at what cost, is quoted once: the cost refers to it
    # (it had been quoted under both)
    who = chat.replies[_index(chat.replies, "Zu „wer darf zum Workshop?“:")]
    assert "Teilnahmegebühr 40 €" in render_text(who.text or ""), chat.text
    cost = chat.replies[_index(chat.replies, "Zu „was kostet das?“:")]
    assert "dazu sagt, steht oben" in render_text(cost.text or ""), chat.text
    assert chat.text.count("Teilnahmegebühr 40 €") == 1, chat.text
    async with bot.db.session() as session:
        assert (await session.execute(select(FaqTicket))).first() is None


async def test_a_question_passed_on_names_the_event_a_question_before_it_named(
    bot: Harness, workshop: int
) -> None:
    """Walkthrough 2026-12-08: of "when is the battery passport workshop, where is it, can i
    bring a colleague, is there parking" the office got "is there parking" with no word of
    which event: the one the first question names."""
    await bot.send("en", "when is the battery passport workshop, where is it, is there parking")
    async with bot.db.session() as session:
        (ticket,) = (await session.execute(select(FaqTicket))).scalars()
    assert ticket.text.startswith("is there parking"), ticket.text
    assert ticket.context.startswith("Battery passport workshop ("), ticket.context


async def test_what_a_description_says_answers_a_part_that_had_choices_or_a_ticket(
    bot: Harness, workshop: int
) -> None:
    """Walkthrough 2026-12-08: of "can non members attend the forum, whats the fee, is lunch
    included" the first part got the FAQ's choices; alone it gets the forum's prices."""
    async with bot.db.session() as session:
        event = await session.get(Event, workshop)
        assert event is not None
        event.description = "Praxisnah. Teilnahmegebühr 40 €, für Mitglieder kostenfrei."
    chat = await bot.send(
        "de",
        "dürfen auch nichtmitglieder zum workshop? wie ändere ich meine rechnungsadresse?",
    )
    who = chat.replies[_index(chat.replies, "Zu „dürfen auch nichtmitglieder zum workshop?“")]
    assert "Teilnahmegebühr 40 €" in render_text(who.text or ""), chat.text
    assert "Formular Stammdaten" in chat.text, chat.text


async def test_an_events_sign_up_is_offered_once_to_one_message(
    bot: Harness, workshop: int
) -> None:
    """Walkthrough 2026-12-08: "when is the next symposium, where is it, can i bring a
    colleague" showed the event with *Sign up*, then the rule on colleagues with the sign-up
    card again."""
    chat = await bot.send("en", "when is the battery passport workshop, can i bring a colleague")
    assert "Each person signs up on their own" in chat.text, chat.text
    assert chat.buttons.count(f"ev:join:{workshop}") == 1, chat.text
