"""A question pointing back to the member's message before it ("Was kostet das?" a minute
after "Wie melde ich mich zum Symposium an?") is read with that message, whichever feature
answered it; only the follow-up is answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.demo import DEMO_DIR
from bot.messages import plain_text
from bot.recent import FOLLOW_UP_MINUTES, RecentTexts
from handlers.events.demo import seed_events
from handlers.faq.asking import follow_up
from handlers.faq.inbox import Asked, as_member_reads
from handlers.faq.kb_import import parse_kb
from handlers.faq.learned import LearningMatcher
from handlers.faq.rules import fields_to_entry
from handlers.faq.service import KbSnapshot
from storage.faq import FaqTicket
from storage.faq_learned import LearnedPhrasing
from storage.models import OutboxMessage
from tests.harness import Harness, fixed_clock

KB = (DEMO_DIR / "faq.toml").read_text("utf-8")
SIGN_UP = {
    "de": "Wie melde ich mich zum Symposium an?",
    "en": "How do I register for the symposium?",
}
SYMPOSIUM = {
    "de": "REWIMET-Symposium: Kreislaufwirtschaft strategischer Metalle (",
    "en": "REWIMET Symposium: Circular Economy of Strategic Metals (",
}
FORUM = {
    "de": "Innovationsforum Recyclingregion Harz (",
    "en": "Innovation Forum Harz Recycling Region (",
}


def read_beside(context: str, event: str, before: str) -> bool:
    """Whether the office reads a follow-up beside the event it is about (its title and date)
    and the member's message before it."""
    return context.startswith(event) and context.endswith(f" · {before}")


@pytest.fixture
async def demo(bot: Harness) -> Harness:
    """The bot with the demo's events and knowledge base; "de" and "en" are members."""
    await seed_events(bot.db, now=bot.app.services.clock())
    await bot.import_kb(KB)
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


async def tickets(bot: Harness) -> list[FaqTicket]:
    async with bot.db.session() as session:
        return list((await session.execute(select(FaqTicket).order_by(FaqTicket.id))).scalars())


@pytest.mark.parametrize(
    ("lang", "cost", "passed_on"),
    [
        # the symposium's description names its fee (a price says what it costs): quoted,
        # the office a "yes" away
        ("de", "Was kostet das?", "Teilnahmegebühr 180 €, für Mitglieder 120 €"),
        ("en", "How much does it cost?", "Fee €180, members €120"),
    ],
)
async def test_what_the_symposium_costs_goes_to_the_office_with_the_question_before(
    demo: Harness, lang: str, cost: str, passed_on: str
) -> None:
    # The events feature answered the sign-up; "das"/"it" is the symposium, on which the
    # knowledge base says nothing about costs: no choices on the fee and excursions, and the
    # office reads what "das" is.
    signed = await demo.send(lang, SIGN_UP[lang])
    assert "ev:join:" in " ".join(signed.buttons), signed.text
    asked = await demo.send(lang, cost)
    assert passed_on in asked.text, asked.text
    assert not [p for p in asked.buttons if p.startswith("faq:c:")], asked.text
    await demo.send(lang, {"de": "ja", "en": "yes"}[lang])
    (ticket,) = await tickets(demo)
    assert ticket.text == cost, ticket.text
    assert read_beside(ticket.context, SYMPOSIUM[lang], SIGN_UP[lang]), ticket.context


@pytest.mark.parametrize(
    ("lang", "how", "said", "office"),
    [
        ("de", "Wie geht das?", "Mehr, als oben steht, habe ich dazu leider nicht", "Ja, an die"),
        ("en", "How does that work?", "I have nothing on it beyond what is above", "Yes, ask"),
    ],
)
async def test_how_that_works_gets_no_unrelated_answer(
    demo: Harness, lang: str, how: str, said: str, office: str
) -> None:
    # "geht" alone found "Worum geht es beim jährlichen Symposium?": a wrong answer. The
    # sign-up above is all there is; the office may know more, if the member wants.
    await demo.send(lang, SIGN_UP[lang])
    asked = await demo.send(lang, how)
    assert said in asked.text, asked.text
    assert "Worum geht es" not in asked.text and "What is the" not in asked.text
    assert await tickets(demo) == []
    passed = await demo.press(lang, asked.button(office))
    assert "#1" in passed.text, passed.text
    (ticket,) = await tickets(demo)
    assert ticket.text == how, ticket.text  # the office reads the event and the message before
    assert read_beside(ticket.context, SYMPOSIUM[lang], SIGN_UP[lang]), ticket.context


async def test_a_follow_up_on_a_faq_answer_is_not_answered_again_but_passed_on(
    demo: Harness,
) -> None:
    await demo.send("admin", "/language en")
    fee = "Was kostet die Mitgliedschaft?"
    assert "Beitragsordnung" in (await demo.send("de", fee)).text
    asked = await demo.send("de", "Kann ich das in Raten zahlen?")
    assert "Beitragsordnung" not in asked.text and "weitergegeben" in asked.text, asked.text
    (ticket,) = await tickets(demo)
    assert (ticket.text, ticket.context) == ("Kann ich das in Raten zahlen?", fee)
    async with demo.db.session() as session:
        alerts = (await session.execute(select(OutboxMessage))).scalars()
        (alert,) = [m for m in alerts if m.kind == "faq_office_alert"]
    assert f"Refers to: “{fee}”" in str(alert.payload["text"])


async def test_that_thing_named_before_is_a_follow_up_the_office_reads_with_it(
    demo: Harness,
) -> None:
    """ "how do i join that group?" after the young professionals' answer: "that group" is
    the one named above (it had got choices, then a ticket without what it pointed to)."""
    before = "what do you offer for young professionals?"
    assert "own group" in (await demo.send("en", before)).text
    asked = await demo.send("en", "how do i join that group?")
    assert "passed your question on" in asked.text, asked.text
    (ticket,) = await tickets(demo)
    assert (ticket.text, ticket.context) == ("how do i join that group?", before)


@pytest.mark.parametrize(
    ("lang", "before", "follow", "none", "written"),
    [
        (
            "de",
            "Was ist das Innovationsforum?",
            "Können auch Studierende daran teilnehmen?",
            "Nichts davon",
            "Bezieht sich auf: „Innovationsforum Recyclingregion Harz (",
        ),
        (
            "en",
            "What is the innovation forum?",
            "Can students take part in it?",
            "None of these",
            "Refers to: “Innovation Forum Harz Recycling Region (",
        ),
    ],
)
async def test_a_follow_up_passed_on_from_its_choices_carries_the_message_before(
    demo: Harness, lang: str, before: str, follow: str, none: str, written: str
) -> None:
    # The follow-up gets choices; none fits, and the office must still read what
    # "daran"/"that" is, as when the bot hands a follow-up on by itself.
    await demo.send("admin", f"/language {lang}")
    await demo.send(lang, before)
    offered = await demo.send(lang, follow)
    assert [p for p in offered.buttons if p.startswith("faq:c:")], offered.text
    passed = await demo.press(lang, offered.button(none))
    assert "#1" in passed.text, passed.text
    (ticket,) = await tickets(demo)
    assert ticket.text == follow, ticket.text
    assert read_beside(ticket.context, FORUM[lang], before), ticket.context
    async with demo.db.session() as session:
        alerts = (await session.execute(select(OutboxMessage))).scalars()
        (alert,) = [m for m in alerts if m.kind == "faq_office_alert"]
    assert written in str(alert.payload["text"]), alert.payload["text"]
    # the member's list names the question they asked, as for any ticket
    assert follow in (await demo.send(lang, "/meinefragen")).text


async def test_a_question_pointing_back_in_its_own_message_keeps_it_from_its_choices(
    demo: Harness,
) -> None:
    # one message asking two things: the fee is answered, "dafür" gets choices of its own
    fee, form = "Was kostet die Mitgliedschaft?", "Brauche ich dafür ein Formular?"
    asked = await demo.send("de", f"{fee} {form}")
    assert "Beitragsordnung" in asked.text and f"Zu „{form}“: Meinten Sie" in asked.text
    await demo.press("de", asked.button("Nichts davon"))
    (ticket,) = await tickets(demo)
    assert (ticket.text, ticket.context) == (form, fee)


async def test_a_question_whose_da_is_what_it_names_reaches_the_office_alone(
    demo: Harness,
) -> None:
    """Walkthrough 2026-12-07: "was is mit den exkursionen, kann ich da … auch mit?" after a
    question about the forum's parking had reached the office with the forum and that
    question beside it: "da" is the excursions it names."""
    await demo.send("de", "wann ist das innovationsforum?")
    await demo.send("de", "gibt es parkplätze am kulturhaus?")
    asked = await demo.send("de", "was is mit den exkursionen, kann ich da als vertrieb auch mit?")
    if any(p.startswith("faq:ho:") for p in asked.buttons):
        await demo.press("de", next(p for p in asked.buttons if p.startswith("faq:ho:")))
    *_, ticket = await tickets(demo)
    assert ticket.text.startswith("was is mit den exkursionen"), ticket.text
    assert "parkplätze" not in ticket.context and "Innovationsforum" not in ticket.context


async def test_a_question_that_does_not_point_back_is_read_alone(demo: Harness) -> None:
    await demo.send("de", SIGN_UP["de"])
    asked = await demo.send("de", "Was kostet die Mitgliedschaft?")
    assert "Beitragsordnung" in asked.text and asked.button("Hilfreich"), asked.text
    assert await tickets(demo) == []


async def test_after_the_window_or_a_command_a_follow_up_is_read_alone(demo: Harness) -> None:
    # later, "das" is still what the bot's last message was about (the symposium, whose
    # description names its fee), but the question is no longer the office's context
    start = demo.app.services.clock()
    await demo.send("de", SIGN_UP["de"])
    demo.app.services.clock = fixed_clock(start + timedelta(minutes=FOLLOW_UP_MINUTES, seconds=1))
    late = await demo.send("de", "Was kostet das?")
    assert "Teilnahmegebühr 180 €" in late.text and await tickets(demo) == [], late.text
    await demo.send("de", SIGN_UP["de"])
    await demo.send("de", "/hilfe")
    after_command = await demo.send("de", "Was kostet das?")
    assert "Meinten Sie" in after_command.text and await tickets(demo) == []
    # someone else's question is not the one before
    await demo.send("de", "/hilfe")
    await demo.send("en", SIGN_UP["en"])
    other = await demo.send("de", "Was kostet das?")
    assert "Meinten Sie" in other.text and await tickets(demo) == []
    # within the window it is a follow-up: passed on, the office reads the sign-up with it
    await demo.send("de", SIGN_UP["de"])
    demo.app.services.clock = fixed_clock(start + timedelta(minutes=2 * FOLLOW_UP_MINUTES - 1))
    await demo.send("de", "Was kostet das?")
    assert "#1" in (await demo.send("de", "ja")).text
    (ticket,) = await tickets(demo)
    assert read_beside(ticket.context, SYMPOSIUM["de"], SIGN_UP["de"]), ticket.context


def test_the_reading_rule_needs_no_chat() -> None:
    entries = [fields_to_entry(fields) for fields in parse_kb(KB)]
    snapshot = KbSnapshot(1, LearningMatcher(entries), {entry.id: entry for entry in entries})
    fee = "Was kostet die Mitgliedschaft?"
    assert follow_up(snapshot, fee, "Was kostet die Mitgliedschaft?", "de") is None
    assert follow_up(snapshot, "", "Was kostet das?", "de") is None
    assert follow_up(snapshot, "Hallo", "Was kostet das?", "de") is None
    # asked again: what "das" meant the first time is not known
    assert follow_up(snapshot, "Was kostet das?", "Was kostet das?", "de") is None
    # "das" is in the message itself
    assert follow_up(snapshot, fee, "Wir sind ein Start-up. Was kostet das?", "de") is None
    # ... or "da" in the same sentence, the clause before it asking a question of its own
    quit_by = "wie kann ich unsre mitgliedschaft kündigen, gibts da ne frist?"
    assert follow_up(snapshot, "Kann ich einen Kollegen mitbringen?", quit_by, "de") is None
    more = follow_up(snapshot, fee, "Kann ich das in Raten zahlen?", "de")
    assert more is not None and more.found.kind == "handoff" and more.before == fee
    same = follow_up(snapshot, fee, "Wie geht das?", "de")
    assert same is not None and (same.found.kind, same.found.entry_ids) == (
        "said_above",
        ("beitrag",),
    )


def test_what_is_remembered_is_bounded_and_taken_once() -> None:
    recent = RecentTexts(max_kept=2)
    now = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
    for chat in ("a", "b", "c"):
        recent.keep(("console", chat, chat), f"Frage {chat}", now)
    assert len(recent) == 2
    assert recent.take(("console", "a", "a"), now) == ""  # the oldest went first
    assert recent.take(("console", "c", "c"), now + timedelta(minutes=1)) == "Frage c"
    assert recent.take(("console", "c", "c"), now + timedelta(minutes=1)) == ""


@pytest.mark.parametrize(
    ("lang", "asked", "answer"),
    [
        ("de", "Wie werde ich Mitglied bei REWIMET?", "Beitrittsformular"),
        ("en", "How do I become a member of REWIMET?", "application form"),
    ],
)
async def test_the_networks_own_name_is_the_association_not_an_unknown_word(
    demo: Harness, lang: str, asked: str, answer: str
) -> None:
    # The demo knowledge base never names the network: its name, read as a word nobody
    # knows, had sent the plainest question to the office. The glossary names it.
    reply = await demo.send(lang, asked)
    assert answer in reply.text and await tickets(demo) == [], reply.text


@pytest.mark.parametrize(
    ("lang", "asked", "shown", "not_shown"),
    [
        ("de", "Wie melde ich mich für eine Veranstaltung an?", "/anmelden", "/join"),
        ("en", "How do I sign up for an event?", "/join", "/anmelden"),
    ],
)
async def test_an_answer_names_the_commands_as_the_member_knows_them(
    demo: Harness, lang: str, asked: str, shown: str, not_shown: str
) -> None:
    # The knowledge base writes "/join"; /hilfe shows a German member "/anmelden".
    reply = await demo.send(lang, asked)
    assert shown in reply.text and not_shown not in reply.text, reply.text


def test_only_commands_in_running_text_are_renamed(bot: Harness) -> None:
    router = bot.app.services.router
    text = "Mit /join 3 (oder „/events“) – nicht https://example.org/join, nicht /nosuch."
    assert router.shown_commands(text, "de") == (
        "Mit /anmelden 3 (oder „/termine“) – nicht https://example.org/join, nicht /nosuch."
    )


async def test_da_after_a_verb_points_back_as_dort_does(demo: Harness) -> None:
    # "Gibt es da WLAN?" asks about the symposium the member just named; the conjunction
    # "Da ich neu bin, …" opens a question of its own.
    await demo.send("de", SIGN_UP["de"])
    asked = await demo.send("de", "Gibt es da WLAN für Gäste?")
    assert "weitergegeben" in asked.text, asked.text
    (ticket,) = await tickets(demo)
    assert read_beside(ticket.context, SYMPOSIUM["de"], SIGN_UP["de"]), ticket.context


async def test_an_article_before_a_particle_points_back(demo: Harness) -> None:
    # "den" with no noun after it is the newsletter just asked about: the office reads the
    # question beside it. Read alone it had got the office, the fee and the profile as
    # choices.
    await demo.send("de", "Gibt es einen Newsletter?")
    asked = await demo.send("de", "kann ich den auch per mail kriegen?")
    assert "Mitgliedschaft" not in asked.text, asked.text
    (ticket,) = await tickets(demo)
    assert ticket.context == "Gibt es einen Newsletter?", ticket.context


async def test_a_question_pointing_into_itself_teaches_only_itself(demo: Harness) -> None:
    # A walkthrough's 👍 had taught "kann ich nen kollegen mitbringen …? wie kann ich unsre
    # mitgliedschaft kündigen …?" as one phrasing of the cancellation entry: the second
    # question had been read after the first, its "da" taken to point back.
    await demo.send("de", "kann ich nen kollegen mitbringen der noch kein mitglied ist?")
    answered = await demo.send(
        "de", "wie kann ich unsre mitgliedschaft kündigen, gibts da ne frist?"
    )
    await demo.press("de", answered.button("Hilfreich"))
    async with demo.db.session() as session:
        learned = list((await session.execute(select(LearnedPhrasing))).scalars())
    assert [p.text for p in learned] == [
        "wie kann ich unsre mitgliedschaft kündigen, gibts da ne frist?"
    ], answered.text


async def test_an_answer_after_a_sign_up_quotes_no_unrelated_description(demo: Harness) -> None:
    # after signing up for the symposium, a question about cancelling the membership had got
    # the symposium's fee quoted beneath its answer ("für Mitglieder 120 €")
    await demo.send("de", SIGN_UP["de"])
    await demo.send("de", "ja")
    answered = await demo.send(
        "de", "wie kann ich unsre mitgliedschaft kündigen, gibts da ne frist?"
    )
    assert "Kündigungsfrist" in answered.text or "kündig" in answered.text.lower(), answered.text
    assert "Teilnahmegebühr" not in answered.text, answered.text


@pytest.mark.parametrize(
    "text",
    [
        "wann is das nächste symposium und wo findet das statt",
        "Wann ist das nächste Symposium und wann geht das los?",
    ],
)
async def test_das_before_a_verbs_particle_is_the_event_named_before(
    demo: Harness, text: str
) -> None:
    # "wo findet das statt" had been read alone: unrelated choices (data stored, contact)
    asked = await demo.send("de", text)
    assert "Meinten Sie" not in asked.text and "Clausthal-Zellerfeld" in asked.text, asked.text
    assert asked.text.count("REWIMET-Symposium") == 1, asked.text


@pytest.mark.parametrize(
    ("who", "text", "entry"),
    [
        (
            "de",
            "gibts dieses jahr noch ne exkursion? und wie meld ich mich da an",
            "Welche Exkursionen bietet das Cluster an?",
        ),
        (
            "en",
            "is there an excursion this year? and how do i sign up for it",
            "Which excursions does the cluster offer?",
        ),
    ],
)
async def test_a_question_pointing_back_beside_an_event_answer_is_read_with_it(
    demo: Harness, who: str, text: str, entry: str
) -> None:
    # the events answer the first; "wie meld ich mich da an" alone had got the newsletter
    asked = await demo.send(who, text)
    second = asked.text.split("“:")[-1]
    assert entry in second and "Neuigkeiten" not in second and "news" not in second, asked.text


def test_what_an_answered_question_referred_to_reads_as_written() -> None:
    """Walkthrough 2026-12-08: the office's answer had reached the member with "(Refers to:
    Young Professionals&#x27; Excursion …)": the line was escaped twice."""
    asked = Asked(7, "en", "what to bring?", "Young Professionals' Excursion <Harz> & Co (Fri)")
    read = plain_text(as_member_reads(asked, "Boots."))
    assert "(Refers to: Young Professionals' Excursion <Harz> & Co (Fri))" in read, read


@pytest.mark.parametrize(
    ("user", "before", "asked", "alone", "answered"),
    [
        (
            "en",
            "how do I become a member?",
            "what are the benefits?",
            "where is the office?",
            "postal address",
        ),
        (
            "de",
            "Wie werde ich Mitglied?",
            "Was sind die Pflichten?",
            "Wo ist die Geschäftsstelle?",
            "Anschrift: Musterstraße 1",
        ),
    ],
)
async def test_the_thing_named_by_the_article_alone_is_of_what_came_before(
    demo: Harness, user: str, before: str, asked: str, alone: str, answered: str
) -> None:
    """Session 48: "what are the benefits?" after joining had reached the office with nothing
    beside it (benefits of what?); one the knowledge base answers alone stays alone, and one
    it offers choices for keeps them ("What are the costs?", `test_faq`)."""
    await demo.send(user, before)
    await demo.send(user, asked)
    (ticket,) = await tickets(demo)
    assert ticket.text == asked and ticket.context == before, ticket.context
    await demo.send(user, before)
    office = await demo.send(user, alone)
    assert answered in office.text, office.text
