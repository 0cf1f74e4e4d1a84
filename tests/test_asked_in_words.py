"""What a command does, asked for in words (walkthrough 2026-12-06): a member gets their own
questions, partner requests or the all-events calendar, not FAQ topics; the office is told
the command for its work with a button that runs it, and its own message never becomes a
ticket to itself unasked; thanks with praise get the short reply."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from handlers.asked_in_words import (
    asks_after_own_search,
    asks_for_all_events_calendar,
    asks_for_events_in_calendar,
    asks_for_events_page,
    asks_for_help_alone,
    asks_for_own_profile,
    asks_for_own_questions,
    asks_for_own_request,
    asks_to_change_an_event,
    asks_to_register,
    asks_to_stop_partner_requests,
    asks_to_write_attendees,
    asks_what_is_known_about_me,
    asks_whether_anyone_answered,
    office_command_asked,
)
from handlers.faq.small_talk import small_talk
from storage.faq import FaqTicket
from tests.dates import days_ahead
from tests.harness import Harness
from tests.partners_fixtures import buttons, import_members, outbox
from tests.web_harness import dashboard_for


async def _tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(FaqTicket)) or 0)


@pytest.fixture
async def kb_bot(bot: Harness) -> Harness:
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("ida", lang="de")
    await bot.onboard("sam", lang="en")
    await bot.onboard("admin", lang="de")
    return bot


@pytest.mark.parametrize(
    ("text", "command", "shown"),
    [
        ("Kannst du mir die unbeantworteten Fragen zeigen?", "inbox", "/posteingang"),
        ("welche neuen tickets gibt es?", "inbox", "/posteingang"),
        ("Ich will ein Rundschreiben an die Mitglieder verschicken", "broadcast", "/rundschreiben"),
        ("wie schicke ich allen mitgliedern eine mitteilung?", "broadcast", "/rundschreiben"),
        ("Welche Befehle gibt es für die Geschäftsstelle?", "help admin", "/hilfe admin"),
        # how many wait, asked with the questions first (walkthrough 2026-12-06, second round)
        ("wie viele Fragen sind eigentlich noch unbeantwortet?", "inbox", "/posteingang"),
        ("welche tickets sind gerade offen", "inbox", "/posteingang"),
        ("was darf ich als admin hier machen", "help admin", "/hilfe admin"),
        # what is new, what members asked (walkthrough 2026-12-07: tickets to itself)
        ("was ist neu im posteingang", "inbox", "/posteingang"),
        ("was haben die mitglieder in letzter zeit so gefragt?", "inbox", "/posteingang"),
        # a reminder or an invitation to everyone is a broadcast (walkthrough 2026-12-07:
        # a ticket to itself)
        (
            "schick allen young professionals ne erinnerung an die exkursion",
            "broadcast",
            "/rundschreiben",
        ),
    ],
)
async def test_office_asking_in_words_is_offered_its_command(
    kb_bot: Harness, text: str, command: str, shown: str
) -> None:
    reply = await kb_bot.send("admin", text)
    assert f"Das geht mit {shown}" in reply.text
    assert reply.buttons == [f"meant:{command}"]
    assert await _tickets(kb_bot) == 0


async def test_office_writing_a_broadcast_in_words_starts_it_with_the_text(
    kb_bot: Harness,
) -> None:
    """ "Rundschreiben an alle: …" (a walkthrough's office had got "no upcoming event on
    Symposium · 10.01."): the broadcast, its text taken, its preview before it goes out."""
    text = "Anmeldung zum Symposium läuft, bitte bis 10.1. anmelden!"
    started = await kb_bot.send("admin", f"rundschreiben an alle: {text}")
    assert "als Rundschreiben vor" in started.text and "Bild oder eine Datei" in started.text
    asked = await kb_bot.press("admin", started.button("Ohne Bild oder Datei"))
    preview = await kb_bot.press("admin", asked.button("Alle"))
    assert "Vorschau" in preview.text and text in preview.text, preview.text
    # a member writing the same starts nothing of the office's
    member = await kb_bot.send("ida", f"rundschreiben an alle: {text}")
    assert "Rundschreiben vor" not in member.text


async def test_office_typed_yes_runs_the_command(kb_bot: Harness) -> None:
    first = await kb_bot.send("ida", "Gibt es eine Förderung für Bergbau auf dem Mond?")
    await kb_bot.send("admin", "zeig mir bitte alle offenen fragen")
    inbox = await kb_bot.send("admin", "ja")
    assert "Offene Fragen an die Geschäftsstelle: 1" in inbox.text, first.text
    assert "Bergbau auf dem Mond" in inbox.text, first.text


async def test_office_in_english(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/sprache en")
    reply = await kb_bot.send("admin", "I'd like to send a message to all members")
    assert "That is what /broadcast does" in reply.text


async def test_office_asking_how_many_wait_in_english(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/sprache en")
    reply = await kb_bot.send("admin", "how many questions are still waiting?")
    assert "That is what /inbox does" in reply.text, reply.text
    assert await _tickets(kb_bot) == 0


async def test_office_question_without_answer_says_the_ticket_is_its_own(
    kb_bot: Harness,
) -> None:
    reply = await kb_bot.send("admin", "Gibt es eine Förderung für Bergbau auf dem Mond?")
    assert "Sie sind selbst die Geschäftsstelle" in reply.text
    assert "/erledigt 1" in reply.text and "/hilfe admin" in reply.text
    assert await _tickets(kb_bot) == 1


async def test_a_member_asking_for_the_inbox_is_no_office(kb_bot: Harness) -> None:
    reply = await kb_bot.send("ida", "zeig mir die offenen fragen")
    assert "/posteingang" not in reply.text


@pytest.mark.parametrize(
    ("user", "join", "text", "said"),
    [
        ("ida", "/anmelden 1", "Bitte ziehe meine Frage 1 zurück", "Zurückgezogen"),
        ("ida", "/anmelden 1", "Frage #1 zurückziehen", "Zurückgezogen"),
        ("sam", "/join 1", "withdraw my question 1", "Withdrawn"),
    ],
)
async def test_withdrawing_a_question_in_words_withdraws_it_not_a_sign_up(
    kb_bot: Harness, user: str, join: str, text: str, said: str
) -> None:
    """ "zurückziehen" is said of sign-ups too: under a sign-up, "ziehe meine Frage 1 zurück"
    had offered to cancel it (a typed yes would have). Named by its number, the question is
    withdrawn, as its button in /meinefragen does; the sign-up stays."""
    from handlers.events.demo import seed_events

    await seed_events(kb_bot.db, now=kb_bot.app.services.clock())
    assert "✅" in (await kb_bot.send(user, join)).text
    await kb_bot.send(user, "Gibt es eine Förderung für Bergbau auf dem Mond?")
    reply = await kb_bot.send(user, text)
    assert said in reply.text and "Mond" in reply.text, reply.text
    assert not any(p.startswith("ev:") for p in reply.buttons), reply.text  # no sign-off
    async with kb_bot.db.session() as session:
        (ticket,) = (await session.execute(select(FaqTicket))).scalars()
    assert ticket.status == "withdrawn"
    again = await kb_bot.send(user, text)  # once only; someone else's or none: refused alike
    assert "zurückgezogen" in again.text or "already withdrawn" in again.text, again.text
    listed = await kb_bot.send(user, "Ich möchte meine Frage zurückziehen")  # no number: list
    assert "keine offenen Fragen" in listed.text or "no open questions" in listed.text, listed.text


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("ida", "Sind meine Fragen schon beantwortet worden?", "Ihre offene Frage"),
        ("ida", "habe ich inzwischen eine Rückmeldung bekommen?", "Ihre offene Frage"),
        ("ida", "hab ich schon ne antwort vom büro?", "Ihre offene Frage"),
        ("sam", "did I get any replies yet?", "Your open question"),
        ("sam", "any answer to my question?", "Your open question"),
        # the office named as the one to answer
        ("ida", "hat die geschäftsstelle schon auf meine frage geantwortet?", "Ihre offene Frage"),
        ("ida", "habt ihr euch schon gemeldet?", "Ihre offene Frage"),
        ("sam", "did the office get back to me?", "Your open question"),
        ("ida", "hat die geschäftstelle schon geantwortet?", "Ihre offene Frage"),  # typo
        ("ida", "meine frage von vorhin, gibts da was neues?", "Ihre offene Frage"),
        ("sam", "did anyone answer my question about the moon?", "Your open question"),
        # walkthrough 2026-12-08: FAQ choices, and a second ticket of the same question
        ("ida", "hab ich noch offene fragen?", "Ihre offene Frage"),
        ("ida", "was is mit meiner frage zum mond", "Ihre offene Frage"),
        ("sam", "do i have any open questions?", "Your open question"),
        ("sam", "what about my question on the moon?", "Your open question"),
    ],
)
async def test_member_asking_after_answers_sees_their_questions(
    kb_bot: Harness, user: str, text: str, said: str
) -> None:
    await kb_bot.send(user, "Gibt es eine Förderung für Bergbau auf dem Mond?")
    reply = await kb_bot.send(user, text)
    assert said.lower() in reply.text.lower()
    assert "Mond" in reply.text
    assert await _tickets(kb_bot) == 1


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("sam", "what happened to my partner request?", "Your partner requests"),
        ("sam", "how is my request doing", "Your partner requests"),
        ("ida", "Wer hat meine Anfrage bekommen?", "Ihre Partneranfragen"),
        ("ida", "Stand meiner Partnersuche?", "Ihre Partneranfragen"),
        ("ida", "wie stehts um meine partnersuche", "Ihre Partneranfragen"),
        # typed on a phone: one typo in the request's word
        ("sam", "any update on my partner requets?", "Your partner requests"),
        ("ida", "gibt es was neues zu meiner Partneranfarge?", "Ihre Partneranfragen"),
    ],
)
async def test_member_asking_after_their_request_sees_it(
    kb_bot: Harness, user: str, text: str, said: str
) -> None:
    found = await kb_bot.send(
        user, "/partnersuche Wir suchen einen Partner für Galliumrückgewinnung"
    )
    await kb_bot.press(user, found.button("office" if user == "sam" else "Geschäftsstelle"))
    reply = await kb_bot.send(user, text)
    assert said in reply.text or "partner requests" in reply.text.lower()
    assert await _tickets(kb_bot) == 0


async def _send_partner_request(bot: Harness, user: str) -> None:
    found = await bot.send(user, "/partnersuche Wir suchen einen Partner für Galliumrückgewinnung")
    await bot.press(user, found.button("office" if user == "sam" else "Geschäftsstelle"))


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        # casual words of a German member (walkthrough 2026-12-06, third round)
        ("ida", "was is eigentlich mit meiner anfrage", "Ihre Partneranfragen"),
        ("ida", "wie schauts aus mit meiner suche?", "Ihre Partneranfragen"),
        ("ida", "und, hat sich inzwischen jemand gemeldet?", "Ihre Partneranfragen"),
        ("ida", "wer hat sich denn gemeldet", "Ihre Partneranfragen"),
        # the request named between (walkthrough 2026-12-07: the FAQ's topics)
        ("ida", "hat sich auf meine anfrage schon wer gemeldet?", "Ihre Partneranfragen"),
        ("ida", "hat schon einer geantwortet?", "Ihre Partneranfragen"),
        ("ida", "Hat schon jemand Interesse gezeigt?", "Ihre Partneranfragen"),
        ("ida", "Hat jemand Interesse an meiner Anfrage?", "Ihre Partneranfragen"),
        ("sam", "has anybody answered yet?", "Your partner requests"),
        ("sam", "did someone get in touch?", "Your partner requests"),
        # where to see them (walkthrough, session 48: the next event, or the office's entry)
        ("sam", "ok thanks. where do I see my requests?", "Your partner requests"),
        ("ida", "wo sehe ich meine anfragen?", "Ihre Partneranfragen"),
    ],
)
async def test_member_with_a_running_request_asking_who_answered_sees_it(
    kb_bot: Harness, user: str, text: str, said: str
) -> None:
    await _send_partner_request(kb_bot, user)
    reply = await kb_bot.send(user, text)
    assert said in reply.text, reply.text
    assert await _tickets(kb_bot) == 0


async def test_a_new_need_asked_as_whether_anyone_is_interested_is_a_search(
    kb_bot: Harness,
) -> None:
    # with a request running, "Hat jemand Interesse, …?" had listed the member's requests
    await _send_partner_request(kb_bot, "ida")
    reply = await kb_bot.send(
        "ida", "Hat jemand Interesse, mit uns Gallium aus LED-Schrott zurückzugewinnen?"
    )
    assert "Ihre Partneranfragen" not in reply.text and "Ihre Anfrage" in reply.text, reply.text


async def test_who_answered_without_a_request_is_no_request(kb_bot: Harness) -> None:
    reply = await kb_bot.send("ida", "hat sich schon jemand gemeldet?")
    assert "Partneranfragen" not in reply.text
    assert asks_whether_anyone_answered("hat sich schon jemand gemeldet?")


@pytest.mark.parametrize(
    "text",
    [
        "wer hat sich fürs Forum angemeldet?",  # the roster
        "hat sich jemand für die Exkursion gemeldet?",
        "hat sich die Geschäftsstelle schon gemeldet?",  # their question to the office
        "has the office replied yet?",
        "Wer hat sich beim Workshop zu Wort gemeldet?",
        "ich habe mich krank gemeldet",
        "Did anyone register for the symposium?",
        # a new need, asked as whether anyone is interested in it
        "Hat jemand Interesse, eine Bachelorarbeit zum Thema Wasserstoff zu betreuen?",
        "Hat jemand Interesse an Tantal aus alten Kondensatoren?",
        "Hätte jemand Interesse daran, mit uns Magnete zu recyceln?",
    ],
)
def test_not_asking_who_answered_a_request(text: str) -> None:
    assert not asks_whether_anyone_answered(text)


async def test_roster_question_stays_with_a_running_request(kb_bot: Harness) -> None:
    await _send_partner_request(kb_bot, "ida")
    reply = await kb_bot.send("ida", "wer hat sich fürs Symposium angemeldet?")
    assert "Partneranfragen" not in reply.text


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("ida", "Was wisst ihr eigentlich über mich?", "Ihre gespeicherten Daten"),
        ("ida", "was weiß der bot von mir", "Ihre gespeicherten Daten"),
        ("sam", "so what do you guys know about me", "Your stored data"),
        ("sam", "What do you have on me?", "Your stored data"),
    ],
)
async def test_asking_what_is_known_about_one_shows_the_stored_data(
    kb_bot: Harness, user: str, text: str, said: str
) -> None:
    reply = await kb_bot.send(user, text)
    assert said in reply.text, reply.text
    assert "Test GmbH" in reply.text
    assert await _tickets(kb_bot) == 0


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("ida", "mein profil", "Organisation: Test GmbH"),
        ("ida", "zeig mal mein Profil", "Organisation: Test GmbH"),
        ("sam", "show my profile please", "Organisation: Test GmbH"),
    ],
)
async def test_asking_for_ones_profile_shows_it(
    kb_bot: Harness, user: str, text: str, said: str
) -> None:
    reply = await kb_bot.send(user, text)
    assert said in reply.text, reply.text
    assert await _tickets(kb_bot) == 0


@pytest.mark.parametrize(
    "text", ["mein Profil ändern", "wie ändere ich mein Profil?", "Kann ich mein Profil löschen?"]
)
def test_changing_the_profile_is_no_request_to_see_it(text: str) -> None:
    assert not asks_for_own_profile(text)


@pytest.mark.parametrize(
    "text",
    [
        "Was wisst ihr über Kobalt?",
        "Was wisst ihr über mich und meine Firma, und wer sieht das?",
        "what do you know about the symposium?",
        "Was hältst du von mir?",
        "Was habt ihr für mich?",
    ],
)
def test_not_asking_what_is_known_about_one(text: str) -> None:
    assert not asks_what_is_known_about_me(text)


@pytest.mark.parametrize(
    ("user", "text", "offer", "done"),
    [
        ("sam", "Could I get every event of the network in my Outlook?", "Shall I add", "all"),
        ("ida", "kann ich alle termine des clusters abonnieren?", "Soll ich sie aufnehmen", "alle"),
    ],
)
async def test_member_asking_for_all_events_in_calendar(
    sqlite_url: str, user: str, text: str, offer: str, done: str
) -> None:
    async with dashboard_for(sqlite_url) as dash:  # the subscription needs the web server
        await dash.bot.onboard(user, lang="en" if user == "sam" else "de")
        await _all_events_in_calendar(dash.bot, user, text, offer, done)


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("sam", "how can I get the dates into my phone's calendar?", "Your calendar subscription"),
        ("ida", "Wie bekomme ich die Veranstaltungen in meinen Kalender?", "Ihr Kalender-Abo"),
        ("ida", "kann man die termine irgendwie abonnieren", "Ihr Kalender-Abo"),
        # walkthrough 2026-12-08: the next event, and choices with a ticket
        ("sam", "how do i get the events into my google calendar", "Your calendar subscription"),
        ("sam", "is there a calendar subscription thing so i dont miss events?", "Your calendar"),
        ("ida", "gibt es ein Kalenderabo?", "Ihr Kalender-Abo"),
        # walkthrough (session 48): a ticket, and choices, with no event talked about
        ("sam", "can I get this in my calendar? like a feed for outlook", "Your calendar"),
        ("sam", "add it to my calendar pls", "Your calendar subscription"),
        ("ida", "trag das bitte in meinen kalender ein", "Ihr Kalender-Abo"),
    ],
)
async def test_member_asking_how_events_get_into_the_calendar_gets_the_feed(
    sqlite_url: str, user: str, text: str, said: str
) -> None:
    async with dashboard_for(sqlite_url) as dash:  # the subscription needs the web server
        await dash.bot.onboard(user, lang="en" if user == "sam" else "de")
        reply = await dash.bot.send(user, text)
        assert said in reply.text and "/feed/" in reply.text, reply.text
        assert await _tickets(dash.bot) == 0


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("sam", "can i see my events somewhere as a webpage?", "Your events as a page"),
        ("sam", "i mean a link to a page with the events", "Your events as a page"),
        ("ida", "gibt es eine Seite mit meinen Veranstaltungen?", "Ihre Veranstaltungen als Seite"),
    ],
)
async def test_member_asking_for_the_events_as_a_page_gets_its_link(
    sqlite_url: str, user: str, text: str, said: str
) -> None:
    """Walkthrough 2026-12-08: "can i see my events somewhere as a webpage?" had been told
    they were signed up for nothing, "a link to a page with the events" became a ticket."""
    async with dashboard_for(sqlite_url) as dash:  # the page needs the web server
        await dash.bot.onboard(user, lang="en" if user == "sam" else "de")
        reply = await dash.bot.send(user, text)
        assert said in reply.text and "http" in reply.text, reply.text
        assert await _tickets(dash.bot) == 0


@pytest.mark.parametrize(
    "text",
    ["what is your website?", "Auf welcher Seite steht das Programm?", "a page of notes"],
)
def test_not_the_events_page(text: str) -> None:
    assert not asks_for_events_page(text)


@pytest.mark.parametrize(
    "text",
    [
        "welche Termine stehen in meinem Kalender?",  # their sign-ups
        "what events are on my calendar?",
        "trag das in meinen Kalender ein",  # one event's file
        "Wie kommen die Exkursionen in meinen Kalender?",  # one kind of event
        "Termine im März in meinen Kalender?",
        "Ich brauche einen Termin bei der Geschäftsstelle.",
    ],
)
def test_not_the_calendar_feed(text: str) -> None:
    assert not asks_for_events_in_calendar(text)


async def _all_events_in_calendar(
    kb_bot: Harness, user: str, text: str, offer: str, done: str
) -> None:
    reply = await kb_bot.send(user, text)
    assert offer in reply.text
    added = await kb_bot.send(user, "yes" if user == "sam" else "ja")
    assert done in added.text and "/feed/" in added.text
    again = await kb_bot.send(user, text)
    assert "/feed/" in again.text  # already in: said so, with the link, no switch back


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "thanks, that really helped"),
        ("en", "Great, this was very useful. Thank you!"),
        ("de", "Danke, das war echt hilfreich"),
        ("de", "hat mir sehr geholfen, vielen Dank"),
        ("en", "cheers mate, that was really useful"),
        ("en", "thanks buddy that helped a lot"),
        ("de", "danke hat mir echt sehr geholfen"),
    ],
)
async def test_thanks_with_praise_get_the_short_reply(
    kb_bot: Harness, lang: str, text: str
) -> None:
    user = "sam" if lang == "en" else "ida"
    reply = await kb_bot.send(user, text)
    assert ("You're welcome" if lang == "en" else "Gern geschehen") in reply.text
    assert small_talk(text) == "thanks"


@pytest.mark.parametrize(
    "text",
    [
        "that was not helpful",
        "danke, wie melde ich mich an?",
        "Meine Frage: was kostet die Mitgliedschaft?",
        "Gibt es Anfragen für mich?",
        "Wie melde ich mich für alle Veranstaltungen an?",
        "Ich habe eine Frage zu offenen Rechnungen",
        "Do I need to reply to the invitation?",
        "Habe ich die Antwort richtig verstanden?",
        "Can you help with my request for funding?",
        # a new partner search, not the member's requests
        "Who can help with my search for a lab?",
        "Wer kann bei meiner Suche nach einem Prüflabor helfen?",
        "Who could answer my request for a pilot plant?",
        "Es gibt noch offene Fragen zur Abrechnung mit der Stadt, wer hilft da?",
        "danke, hat mir leider nicht geholfen",
        "thanks mate, where is the forum?",
        # a word of its own, no typo of "request"
        "What happened to my requested invoice?",
    ],
)
def test_not_a_command_in_words(text: str) -> None:
    assert small_talk(text) is None
    assert not asks_for_own_questions(text)
    assert not asks_for_own_request(text)
    assert not asks_after_own_search(text)
    assert not asks_whether_anyone_answered(text)
    assert not asks_what_is_known_about_me(text)
    assert not asks_for_all_events_calendar(text)
    assert office_command_asked(text) is None


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [("ida", "hilfe", "/termine"), ("ida", "Hilfe bitte!", "/termine"), ("sam", "help", "/events")],
)
async def test_the_help_word_alone_is_the_command_list(
    kb_bot: Harness, user: str, text: str, said: str
) -> None:
    reply = await kb_bot.send(user, text)
    assert said in reply.text, reply.text
    assert await _tickets(kb_bot) == 0


@pytest.mark.parametrize("text", ["Hilfe bei Förderanträgen?", "help with funding", "hilfreich"])
def test_help_in_a_question_is_no_command(text: str) -> None:
    assert not asks_for_help_alone(text)


async def test_a_partner_request_closed_in_words_after_a_yes(bot: Harness) -> None:
    # walkthrough 2026-12-07: "withdraw my request #13" had offered the membership's
    # cancellation, "Partneranfrage 3 schließen" had become a ticket
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    ids = await import_members(bot)
    await bot.onboard("sam", lang="en")
    kb_bot = bot
    preview = await kb_bot.send("req", "Wir suchen ein Labor für die Analytik von Schwarzmasse")
    await kb_bot.press("req", preview.button("Ja, senden"))
    number = int(preview.buttons[0].rsplit(":", 1)[1])
    tickets = await _tickets(kb_bot)
    # the member asked says "interested": closing would leave them unintroduced, said so
    (asked,) = await outbox(kb_bot, "partner_request")
    member = next(u for u, i in ids.items() if i == asked.member_id)
    await kb_bot.press(member, next(b for b in buttons(asked) if b.startswith("pi:yes:")))
    for text in (
        f"Ich möchte meine Anfrage #{number} zurückziehen",
        f"Partneranfrage {number} schließen",
    ):
        offer = await kb_bot.send("req", text)
        assert f"Anfrage #{number} schließen?" in offer.text, offer.text
        assert "Schwarzmasse" in offer.text
        assert offer.buttons == [f"pr:closeyes:{number}", f"pr:keep:{number}"]
        assert "Ein Mitglied hat schon Interesse gezeigt" in offer.text, offer.text
    closed = await kb_bot.send("req", "ja")
    assert f"Anfrage #{number} ist geschlossen" in closed.text, closed.text
    # once closed, or naming none, the requests are listed; nothing became a ticket
    again = await kb_bot.send("req", f"please withdraw my request #{number}")
    assert "Mitgliedschaft" not in again.text and f"#{number}" in again.text, again.text
    assert not any(b.startswith("pr:close") for b in again.buttons), again.buttons
    none = await kb_bot.send("sam", "I want to cancel my partner search")
    assert "You have not made a partner request yet" in none.text, none.text
    assert await _tickets(kb_bot) == tickets
    # a question to the office withdrawn by its number stays the question's
    assert asks_for_own_questions("Frage #5 zurückziehen")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("how do i register?", "You register here by introducing yourself with /start"),
        ("no i mean register as a user here", "You register here"),
        ("wo kann ich mich hier registrieren?", "indem Sie sich mit /start vorstellen"),
    ],
)
async def test_someone_new_asking_how_to_register_is_shown_start(
    bot: Harness, text: str, said: str
) -> None:
    # the FAQ had answered with how to register for the symposium
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    reply = await bot.send("neu", text)
    assert said in reply.text, reply.text
    assert reply.buttons == ["meant:start"]
    started = await bot.send("neu", "yes" if said.startswith("You") else "ja")
    assert "Welcome" in started.text or "Willkommen" in started.text, started.text


@pytest.mark.parametrize(
    "text",
    [
        "until when can i sign up for the harzmetall thing?",  # walkthrough 2026-12-08
        "whats the deadline to sign up?",
        "bis wann kann man sich zur Tagung anmelden?",
    ],
)
def test_an_events_sign_up_is_not_registering_with_the_bot(text: str) -> None:
    assert not asks_to_register(text)


async def test_a_registered_member_asking_how_to_register_gets_the_faq(kb_bot: Harness) -> None:
    reply = await kb_bot.send("sam", "how do i register?")
    assert "introducing yourself" not in reply.text, reply.text


@pytest.mark.parametrize(
    ("user", "text", "command"),
    [
        ("sam", "thx. how do i stop getting partner requests btw", "/partnerrequests no"),
        ("sam", "can I opt out of partner requests?", "/partnerrequests no"),
        ("ida", "keine Partneranfragen mehr bitte", "/partneranfragen nein"),
        ("ida", "wie schalte ich die partneranfragen aus?", "/partneranfragen nein"),
    ],
)
async def test_stopping_partner_requests_asked_in_words_is_a_press_away(
    kb_bot: Harness, user: str, text: str, command: str
) -> None:
    """Walkthrough 2026-12-07: "how do i stop getting partner requests" had become a ticket.
    The member is told they get them now and how it is switched off, with a button that does
    it; pressed, they get none; asked again, they are told so."""
    said = await kb_bot.send(user, text)
    assert command in said.text and len(said.buttons) == 1, said.text
    # the button says what it does; the text names the command already
    pressed = said.button("Jetzt abschalten" if user == "ida" else "Switch them off now")
    assert await _tickets(kb_bot) == 0
    await kb_bot.press(user, pressed)
    member = await kb_bot.member(user)
    assert member is not None and not member.partner_consent
    again = await kb_bot.send(user, text)
    assert "keine Partneranfragen" in again.text or "no partner requests" in again.text, again.text


@pytest.mark.parametrize(
    "text",
    [
        "ich bekomme keine Partneranfragen",  # none came: the FAQ's or the office's
        "wie kann ich meine Partnersuche beenden?",  # their own search
        "How do partner requests work?",
    ],
)
def test_not_stopping_partner_requests(text: str) -> None:
    assert not asks_to_stop_partner_requests(text)


async def test_who_got_the_request_asked_after_sending_it(bot: Harness) -> None:
    """Walkthrough 2026-12-07: "who did you send it to?" after sending a partner request had
    got the FAQ's entries on membership. Nobody is named before they agree, said so; without
    a request sent, the question is not this."""
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await import_members(bot)
    await bot.onboard("sam", lang="en")
    preview = await bot.send("req", "Wir suchen ein Labor für die Analytik von Schwarzmasse")
    await bot.press("req", preview.button("Ja, senden"))
    for text in ("an wen ging die Anfrage?", "wer hat meine Anfrage bekommen?"):
        said = await bot.send("req", text)
        assert "Wer es ist, erfahren Sie, sobald ein Mitglied Interesse zeigt" in said.text
        assert "Ihre Partneranfragen" in said.text and "Mitgliedschaft" not in said.text, said.text
    none = await bot.send("sam", "who did you send it to?")
    assert "You learn who it is" not in none.text, none.text


async def test_office_changing_an_event_in_words_is_offered_its_edit(bot: Harness) -> None:
    """Walkthroughs 2026-12-07: "verschieb die Betriebsbesichtigung auf 10:30 und mach 25 Plätze
    draus" had listed the events, "das forum soll erst um 13 uhr anfangen" become a ticket to
    the office itself. The office is offered /terminaendern of the event named with the
    start, end and places it gave, whose preview comes before anything is saved; a member
    saying so is no office."""
    forum = await bot.add_event(
        kind="forum",
        title="Innovationsforum Talbach",
        starts_at=days_ahead(bot, 30).astimezone(UTC),
    )
    await bot.onboard("admin", lang="de")
    await bot.onboard("ida", lang="de")
    asked = "verschieb das Innovationsforum auf 10:30 und mach 25 plätze draus"
    said = await bot.send("admin", asked)
    change = f"editevent {forum.id} beginn=10:30; plätze=25"
    assert f"Das geht mit /terminaendern {forum.id} beginn=10:30; plätze=25" in said.text
    assert said.buttons == [f"meant:{change}"], said.buttons
    shown = await bot.press("admin", said.buttons[0])
    assert f"So wird Nr. {forum.id} geändert" in shown.text and "Plätze: 25" in shown.text
    await bot.press("admin", shown.button("Verwerfen"))
    ends = await bot.send("admin", "das Innovationsforum endet schon um 16 Uhr")
    assert ends.buttons == [f"meant:editevent {forum.id} ende=16:00"], ends.text
    fields = await bot.send("admin", "ändere beim Innovationsforum den Ort")
    assert fields.buttons == [f"meant:editevent {forum.id}"], fields.text
    assert await _tickets(bot) == 0
    member = await bot.send("ida", "verschieb das Innovationsforum auf 10:30")
    assert "/terminaendern" not in member.text
    assert not asks_to_change_an_event("Wann beginnt das Innovationsforum um 10 Uhr?")


async def test_office_reminding_an_events_attendees_in_words_writes_to_them(
    bot: Harness,
) -> None:
    """Walkthrough 2026-12-07: "erinnere die Angemeldeten ans Forum" had offered the office a
    sign-up. It is a message to the forum's attendees, its text asked first."""
    forum = await bot.add_event(
        kind="forum",
        title="Innovationsforum Talbach",
        starts_at=days_ahead(bot, 30).astimezone(UTC),
    )
    await bot.onboard("admin", lang="de")
    said = await bot.send("admin", "erinnere die angemeldeten ans innovationsforum")
    assert f"Eine Nachricht an die Angemeldeten der Veranstaltung {forum.id}" in said.text
    assert "Was soll die Nachricht sagen?" in said.text and not said.buttons, said.text
    assert await _tickets(bot) == 0
    assert not asks_to_write_attendees("Wer ist zum Innovationsforum angemeldet?")
