"""What new members met in a walkthrough of the console demo: cancelling for a colleague,
greetings and thanks, two questions in one message, switching the language, the calendar file
and the programme of the event just shown, asked in words. In German and in English."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import select

from bot.demo import DEMO_DIR
from handlers.events.demo import seed_events
from handlers.members.rules import asks_for_language
from storage.events import Event, EventSignup
from storage.faq import FaqTicket
from tests.dates import days_ahead
from tests.harness import Harness


@pytest.fixture
async def demo(bot: Harness) -> Harness:
    """The demo's events and knowledge base; "de" and "en" are members in either language."""
    await seed_events(bot.db, now=bot.app.services.clock())
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


async def event(bot: Harness, kind: str) -> Event:
    async with bot.db.session() as session:
        found: Event = (await session.execute(select(Event).where(Event.kind == kind))).scalar_one()
        return found


async def signed_up(bot: Harness, user: str, event_id: int) -> bool:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        found = await session.execute(
            select(EventSignup).where(
                EventSignup.event_id == event_id, EventSignup.member_id == member.id
            )
        )
        return found.scalar_one_or_none() is not None


async def tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return len((await session.execute(select(FaqTicket))).scalars().all())


# --- 1. cancelling for someone else never offers to cancel the member's own sign-up ---------


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "Könnten Sie bitte meine Kollegin Frau Brandt vom Symposium abmelden? Ich komme."),
        ("de", "Herr Lindner aus unserem Team kann doch nicht zum Symposium, bitte abmelden."),
        ("de", "Bitte streichen Sie meinen Mitarbeiter vom Symposium, ich bleibe angemeldet."),
        ("de", "Er kann leider nicht zum Symposium kommen, bitte melden Sie ihn ab."),
        ("en", "Please cancel my colleague Mr Hale's registration for the symposium, I'm coming."),
        ("en", "could you sign out Ms Ortiz from the symposium? she can't make it"),
        ("en", "He can't come to the symposium after all, please cancel him."),
    ],
)
async def test_cancelling_for_someone_else_keeps_the_members_own_sign_up(
    demo: Harness, user: str, text: str
) -> None:
    symposium = await event(demo, "symposium")
    await demo.send(user, f"/join {symposium.id}")
    assert await signed_up(demo, user, symposium.id)
    answer = await demo.send(user, text)
    assert f"ev:leave:{symposium.id}" not in answer.buttons, answer.text
    own = "meldet sich selbst ab" if user == "de" else "cancels their own"
    assert own in answer.text, answer.text
    kept = "bleibt bestehen" if user == "de" else "stays"
    assert kept in answer.text, answer.text
    # a "ja" typed after it cancels nothing
    await demo.send(user, "ja" if user == "de" else "yes")
    assert await signed_up(demo, user, symposium.id)


async def test_cancelling_oneself_and_a_colleague_still_offers_ones_own(demo: Harness) -> None:
    symposium = await event(demo, "symposium")
    await demo.send("de", f"/anmelden {symposium.id}")
    both = await demo.send("de", "Mein Kollege und ich können leider nicht zum Symposium kommen.")
    assert f"ev:leave:{symposium.id}" in both.buttons, both.text
    own = await demo.send("de", "Ich kann doch nicht zum Symposium, Gruß Frau Kühn")
    assert f"ev:leave:{symposium.id}" in own.buttons, own.text


async def test_leave_command_naming_a_colleague_cancels_nothing(demo: Harness) -> None:
    symposium = await event(demo, "symposium")
    await demo.send("en", f"/join {symposium.id}")
    answer = await demo.send("en", f"/leave {symposium.id} for my colleague")
    assert "cancels their own" in answer.text, answer.text
    assert await signed_up(demo, "en", symposium.id)


# --- 2. greetings, introductions, "how are you" and thanks get a short friendly reply ------


def offers_choices(chat_buttons: list[str]) -> bool:
    return any(b.startswith("faq:c:") for b in chat_buttons)


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("de", "Guten Morgen, hier ist Herr Albers von der Harzer Gießerei.", "Schön"),
        ("de", "Hallo! Mein Name ist Jana Roth.", "Schön"),
        ("de", "Moin, Petersen hier", "Schön"),
        ("en", "hello, this is Priya from Northfield Metals", "Nice"),
        ("en", "Good morning! My name is Tom Baker.", "Nice"),
        ("de", "Hallo, wie geht es Ihnen?", "Danke der Nachfrage"),
        ("en", "hey, how's it going?", "Thanks for asking"),
        ("en", "Good afternoon, how are you doing today?", "Thanks for asking"),
        ("de", "Herzlichen Dank für Ihre schnelle Hilfe!", "Gern geschehen"),
        ("de", "Danke für die Auskunft.", "Gern geschehen"),
        ("en", "Thank you so much for your help!", "You're welcome"),
        ("en", "many thanks for the quick answer", "You're welcome"),
    ],
)
async def test_greetings_introductions_and_thanks_are_answered_kindly(
    demo: Harness, user: str, text: str, said: str
) -> None:
    answer = await demo.send(user, text)
    assert said in answer.text, answer.text
    assert not offers_choices(answer.buttons), answer.text
    assert await tickets(demo) == 0


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("de", "Hallo, was macht REWIMET eigentlich genau?"),
        ("de", "Guten Abend! Was ist REWIMET überhaupt?"),
        ("en", "Hi, what exactly is REWIMET?"),
    ],
)
async def test_a_greeting_before_asking_what_the_network_is_gets_the_about_answer(
    demo: Harness, user: str, text: str
) -> None:
    answer = await demo.send(user, text)
    title = "Was ist das Cluster?" if user == "de" else "What is the cluster?"
    assert title in answer.text, answer.text
    assert not offers_choices(answer.buttons), answer.text


async def test_an_introduction_with_a_question_still_gets_the_question_answered(
    demo: Harness,
) -> None:
    answer = await demo.send("de", "Guten Tag, Frau Roth hier. Was kostet die Mitgliedschaft?")
    assert "Was kostet die Mitgliedschaft im Jahr?" in answer.text, answer.text


# --- 4. going back to a language, in everyday words -------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("alright, back to English now", "en"),
        ("can we switch back to english?", "en"),
        ("go back to English please", "en"),
        ("change back to english", "en"),
        ("now in English please", "en"),
        ("zurück auf Deutsch bitte", "de"),
        ("bitte wieder deutsch", "de"),
        ("Stell bitte wieder auf Deutsch um", "de"),
        ("back to german pls", "de"),
        # about a language, still no request
        ("Is the excursion back in English?", None),
        ("Kommt der Bericht auf Deutsch zurück?", None),
    ],
)
def test_going_back_to_a_language_is_a_request_for_it(text: str, language: str | None) -> None:
    assert asks_for_language(text) == language


async def test_going_back_to_english_switches_without_a_ticket(bot: Harness) -> None:
    await bot.onboard("kim", lang="de")
    said = await bot.send("kim", "ok now back to english")
    assert said.text.startswith("Saved – Language: English"), said.text
    assert await tickets(bot) == 0
    again = await bot.send("kim", "so, wieder auf Deutsch bitte")
    assert again.text.startswith("Gespeichert – Sprache: Deutsch"), again.text


# --- 5. the calendar file of the event just shown, asked for in words ----------------------


def calendar_files(chat_replies: list[object]) -> list[str]:
    return [
        r.attachment.filename  # type: ignore[attr-defined]
        for r in chat_replies
        if getattr(r, "attachment", None) is not None
    ]


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("en", "add it to my calendar pls"),
        ("en", "Could you put this in my calendar?"),
        ("en", "can I get a calendar entry for that"),
        ("de", "trag das in meinen Kalender ein"),
        ("de", "Bitte in den Kalender eintragen."),
        ("de", "Kann ich dafür einen Kalendereintrag bekommen?"),
    ],
)
async def test_asking_for_the_calendar_after_an_events_details_sends_its_file(
    demo: Harness, user: str, text: str
) -> None:
    forum = await event(demo, "forum")
    await demo.send(user, f"/event {forum.id}")
    answer = await demo.send(user, text)
    assert calendar_files(answer.replies) == [f"rewimet-event-{forum.id}.ics"], answer.text
    assert not offers_choices(answer.buttons)


async def test_asking_for_the_calendar_after_signing_up_sends_that_events_file(
    demo: Harness,
) -> None:
    symposium = await event(demo, "symposium")
    await demo.send("de", f"/anmelden {symposium.id}")
    answer = await demo.send("de", "Super, können Sie mir das in meinen Kalender eintragen?")
    assert calendar_files(answer.replies) == [f"rewimet-event-{symposium.id}.ics"], answer.text


# --- 6. the programme of an event: its description, or that none is published -------------


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("de", "Wie sieht das Programm aus?", "Zwei Tage Vorträge, Poster"),
        ("de", "Und wie ist der Ablauf?", "Zwei Tage Vorträge, Poster"),
        ("en", "what's the programme?", "Two days of talks, posters"),
        ("en", "Is there an agenda yet?", "Two days of talks, posters"),
    ],
)
async def test_the_programme_of_the_event_just_shown_is_its_description(
    demo: Harness, user: str, text: str, said: str
) -> None:
    symposium = await event(demo, "symposium")
    await demo.send(user, f"/event {symposium.id}")
    answer = await demo.send(user, text)
    assert said in answer.text, answer.text
    assert not offers_choices(answer.buttons)


async def test_the_programme_of_a_named_event_is_its_description(demo: Harness) -> None:
    answer = await demo.send("de", "Gibt es schon ein Programm für das Innovationsforum?")
    assert "Projektideen, Partnersuche und Förderprogramme" in answer.text, answer.text
    english = await demo.send("en", "What is the programme of the symposium?")
    assert "Two days of talks, posters" in english.text, english.text


async def test_an_event_without_a_description_has_no_programme_yet(bot: Harness) -> None:
    workshop = await bot.add_event(
        kind="workshop",
        title="Werkstattgespräch Schwarzmasse",
        place="Goslar",
        starts_at=days_ahead(bot, 30).astimezone(UTC),
    )
    await bot.onboard("pia", lang="de")
    await bot.send("pia", f"/termin {workshop.id}")
    answer = await bot.send("pia", "Was steht auf dem Programm?")
    assert "noch kein Programm" in answer.text, answer.text
    await bot.onboard("sam", lang="en")
    await bot.send("sam", f"/event {workshop.id}")
    english = await bot.send("sam", "what's on the agenda?")
    assert "not published a programme" in english.text, english.text


@pytest.mark.parametrize(
    ("user", "asked", "text"),
    [
        ("de", "Wann ist das Symposium?", "was macht man da so?"),
        ("de", "Wann ist das Innovationsforum?", "und das symposium, was passiert dort?"),
        ("de", "Wann ist das Symposium?", "und das innovationsforum, was passiert da?"),
        ("en", "When is the symposium?", "what do we do there?"),
    ],
)
async def test_what_one_does_there_is_the_programme(
    demo: Harness, user: str, asked: str, text: str
) -> None:
    # "und die exkursion, was macht man da" had got the entry "Was macht der Verein?" by its
    # generic verb, the event named only in that entry's answer
    await demo.send(user, asked)
    answer = await demo.send(user, text)
    said = ("Zwei Tage Vorträge, Poster", "Two days of talks", "Projektideen, Partnersuche")
    assert any(part in answer.text for part in said), answer.text


async def test_a_funding_programme_is_no_events_programme(demo: Harness) -> None:
    symposium = await event(demo, "symposium")
    await demo.send("de", f"/termin {symposium.id}")
    answer = await demo.send("de", "Welche Förderprogramme gibt es?")
    assert "Förderanträgen" in answer.text, answer.text


# --- 3. two questions in one message: neither is dropped ----------------------------------


@pytest.mark.parametrize(
    ("user", "text", "first", "second"),
    [
        (
            "de",
            "Was für Förderprogramme gibt es eigentlich? Und wen kann ich da mal anrufen?",
            "Förderanträgen",
            "Clustergeschäftsstelle",
        ),
        (
            "de",
            "Welche Förderungen bietet ihr so an? Wen ruf ich dafür an?",
            "Förderanträgen",
            "Clustergeschäftsstelle",
        ),
        (
            "en",
            "What sort of funding programmes are there, actually? And who do I call about it?",
            "funding applications",
            "reach the cluster office",
        ),
    ],
)
async def test_a_question_pointing_back_to_a_question_leaves_that_one_answered(
    demo: Harness, user: str, text: str, first: str, second: str
) -> None:
    answer = await demo.send(user, text)
    labels = [str(b.label) for r in answer.replies for row in r.buttons for b in row]
    shown = "\n".join([answer.text, *labels])
    # each is answered, or offered its choices under its own question
    assert first in shown, shown
    assert second in shown, shown
    assert answer.text.count("“") >= 2, answer.text


@pytest.mark.parametrize(
    ("user", "text", "first"),
    [
        ("en", "whats the symposium about? is it in german or english", "main annual conference"),
        ("de", "Worum geht es beim Symposium? Ist das auf Deutsch?", "große Jahrestagung"),
    ],
)
async def test_a_question_about_what_the_one_before_asked_is_not_answered_alone(
    demo: Harness, user: str, text: str, first: str
) -> None:
    """ "… is it in German or English?" asks the language of what the question before it
    names: read alone it had got the answer on the bot's own language setting."""
    answer = await demo.send(user, text)
    assert first in answer.text, answer.text
    assert "/language" not in answer.text, answer.text


async def test_after_the_calendar_file_the_programme_is_still_of_that_event(demo: Harness) -> None:
    forum = await event(demo, "forum")
    await demo.send("de", f"/termin {forum.id}")
    await demo.send("de", "trag das in meinen Kalender ein")
    answer = await demo.send("de", "Und wie sieht das Programm aus?")
    assert "Projektideen, Partnersuche und Förderprogramme" in answer.text, answer.text
