"""A question an upcoming event's own description answers is answered with its sentences,
quoted, with the offer to pass it to the office all the same: the office had got tickets for
what it had written in the event ("Sicherheitsschuhe mitbringen")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from handlers.events.described import passages
from handlers.faq.kb_import import import_kb, parse_kb
from storage import event_store
from storage.events import Event
from storage.faq import FaqQuestion, FaqTicket
from tests.harness import Harness

VISIT_DE = (
    "Führung durch die Schmelzerei mit Laborbesuch. Bitte Sicherheitsschuhe und lange Hosen "
    "mitbringen; Helme werden gestellt. Mittagessen in der Kantine, danach Rückfahrt. Der Bus "
    "fährt um 7:30 Uhr am Bahnhof Goslar ab. Kosten: 25 € für Bus und Essen."
)
VISIT_EN = (
    "Tour of the smelting works with a visit to the lab. Please bring safety shoes and long "
    "trousers; helmets are provided. Lunch in the canteen, then the way back. The bus leaves "
    "Goslar station at 7:30."
)


@pytest.fixture
async def described(bot: Harness) -> Harness:
    """The demo's knowledge base, an excursion and a forum with descriptions of their own."""
    now = bot.app.services.clock()
    async with bot.db.session() as session:
        await import_kb(session, parse_kb((DEMO_DIR / "faq.toml").read_text("utf-8")))
        for kind, title, title_en, days, description, description_en in [
            (
                "excursion",
                "Exkursion Zinnhütte",
                "Excursion to the tin smelter",
                12,
                VISIT_DE,
                VISIT_EN,
            ),
            (
                "forum",
                "Forum Kreislauf",
                "Circularity forum",
                30,
                "Projektideen und Förderprogramme. Kostenfrei für Mitglieder. "
                "Mittagessen im Foyer. Studierende sind herzlich eingeladen.",
                "Project ideas and funding programmes. Free of charge for members. Lunch in the "
                "foyer.",
            ),
        ]:
            start = now + timedelta(days=days)
            await event_store.create_event(
                session,
                kind=kind,
                title=title,
                title_en=title_en,
                place="Goslar",
                starts_at=start,
                ends_at=start + timedelta(hours=6),
                description=description,
                description_en=description_en,
                capacity=20,
                audience="all",
                reminder_hours=[],
            )
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


async def tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int((await session.execute(select(func.count(FaqTicket.id)))).scalar_one())


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("Gibt es bei der Exkursion ein Mittagessen?", "Mittagessen in der Kantine"),
        ("muss ich sicherheitsschuhe mitbringen", "Bitte Sicherheitsschuhe und lange"),
        ("Bekommen wir auf der Exkursion Helme?", "Helme werden gestellt"),
    ],
)
async def test_what_the_description_says_is_quoted_with_the_office_one_tap_away(
    described: Harness, asked: str, said: str
) -> None:
    # questions the knowledge base has no answer to: the description's, not a ticket
    reply = await described.send("de", asked)
    assert said in reply.text and "Exkursion Zinnhütte" in reply.text, reply.text
    # with the event's day and place: the question often asks where as well
    assert "–" in reply.text and "Uhr, Goslar)" in reply.text, reply.text
    assert reply.button("Details").startswith("ev:show:")
    assert await tickets(described) == 0  # nothing passed on unasked
    # the office all the same, if the member wants: a typed yes is the button
    await described.send("de", "ja")
    assert await tickets(described) == 1


@pytest.mark.parametrize(
    ("asked", "said"),
    [
        ("do I need safety shoes for the excursion?", "Please bring safety shoes and long"),
        ("is there lunch on the excursion", "Lunch in the canteen"),
    ],
)
async def test_what_the_entry_on_excursions_does_not_say_the_description_answers(
    described: Harness, asked: str, said: str
) -> None:
    # the knowledge base's entry on excursions says what excursions are, nothing of shoes or
    # lunch (it matched by "excursion" alone): the excursion's own description answers, the
    # office one tap away (it had answered what excursions are, the description below)
    reply = await described.send("en", asked)
    assert "Several times a year members visit" not in reply.text, reply.text
    assert said in reply.text and "Excursion to the tin smelter" in reply.text, reply.text
    assert "trousers; Helmets" not in reply.text  # the quote reads as written
    assert reply.button("Details").startswith("ev:show:")


@pytest.mark.parametrize(
    ("lang", "asked", "office"),
    [
        ("de", "Gibt es beim Innovationsforum WLAN?", "Nichts davon"),
        ("en", "is there wifi at the innovation forum?", "None of these"),
    ],
)
async def test_an_entry_matched_by_the_events_name_alone_is_offered_not_given(
    described: Harness, lang: str, asked: str, office: str
) -> None:
    # the demo's entry on the innovation forum says what it is, nothing of wifi, and
    # neither does the forum's description: offered, with the office a tap away
    reply = await described.send(lang, asked)
    assert not [p for p in reply.buttons if p.startswith("faq:fb:")], reply.text  # no 👍/👎
    assert reply.button(office).startswith("faq:"), reply.text
    # what the entry does say is still answered
    answered = await described.send("de", "Was passiert beim Innovationsforum?")
    assert "Projektideen" in answered.text, answered.text


async def test_a_description_answers_only_what_it_says(described: Harness) -> None:
    # a question no description says anything about is answered as before
    reply = await described.send("de", "Darf man bei der Exkursion fotografieren?")
    assert "Beschreibung" not in reply.text, reply.text
    await described.send("de", "/hilfe")  # right after it, lunch would be the excursion's
    # a rare word of several events' descriptions names none surely; of one, that one
    reply = await described.send("de", "Gibt es ein Mittagessen?")
    assert "Beschreibung" not in reply.text, reply.text
    # ... but not where the knowledge base has an entry on it: the forum's "Förderprogramme"
    # is no answer to whether there is funding
    for asked in ("Förderprogramme für Mitglieder?", "gibts fördermittel"):
        reply = await described.send("de", asked)
        assert not reply.text.startswith("Dazu steht in der Beschreibung"), reply.text
        entry = "Hilft das Cluster bei Förderanträgen?"
        assert entry in reply.text or reply.button(entry).startswith("faq:"), reply.text
    reply = await described.send("de", "muss ich Sicherheitsschuhe mitbringen")
    assert "Beschreibung von „Exkursion Zinnhütte“" in reply.text, reply.text
    # what the knowledge base answers directly stays its answer
    reply = await described.send("de", "Wie kann meine Organisation Mitglied werden?")
    assert "Beschreibung" not in reply.text and "Beitrittsformular" in reply.text, reply.text


def forum_described(description: str) -> Event:
    """A forum not stored, with a German description only."""
    start = datetime(2027, 3, 2, 9, tzinfo=UTC)
    return Event(
        id=7, kind="forum", title="Forum Kreislauf", title_en="", place="Goslar",
        starts_at=start, description=description, description_en="",
    )  # fmt: skip


def test_a_description_is_read_by_words_not_by_word_beginnings() -> None:
    forum = forum_described(
        "Vorträge und Poster aus den Projekten. Teilnahmegebühr 30 €; Mittagessen im Foyer."
    )
    found = passages("Kann ich beim Forum einen Vortrag halten?", [forum], True, "de")
    assert [p.sentences for p in found] == [("Vorträge und Poster aus den Projekten.",)]
    # a compound says its head ("Essen" of "Mittagessen"), not its first part: cancelling
    # one's "Teilnahme" is no question about the fee
    found = passages("Gibt es beim Forum was zu essen?", [forum], True, "de")
    assert [p.sentences for p in found] == [("Mittagessen im Foyer.",)]
    assert passages("Ich muss meine Teilnahme am Forum absagen", [forum], True, "de") == []


def test_the_word_for_events_at_large_asks_nothing_of_a_description() -> None:
    """ "when is the event in clausthal?" had got the description's "(demo event)" sentence
    quoted, the fee: the word for any event says nothing asked about this one."""
    start = datetime(2027, 3, 2, 9, tzinfo=UTC)
    forum = Event(
        id=7, kind="forum", title="Forum Kreislauf", title_en="Circularity forum",
        place="Goslar", starts_at=start, description="Die Veranstaltung ist kostenfrei.",
        description_en="The event is free of charge.",
    )  # fmt: skip
    assert passages("wann ist die Veranstaltung in Goslar?", [forum], True, "de") == []
    assert passages("when is the event in goslar?", [forum], True, "en") == []
    # what is asked about it still is
    assert passages("ist die Veranstaltung kostenfrei?", [forum], True, "de") != []


def test_a_price_says_what_an_event_costs() -> None:
    start = datetime(2027, 3, 2, 9, tzinfo=UTC)
    forum = Event(
        id=7, kind="forum", title="Forum Kreislauf", title_en="Circularity forum",
        place="Goslar", starts_at=start, description="Vorträge aus den Projekten. Beitrag "
        "40 €, ermäßigt 20 €.", description_en="Talks from the projects. Fee €40, reduced €20.",
    )  # fmt: skip
    priced = [("Beitrag 40 €, ermäßigt 20 €.",)]
    assert [p.sentences for p in passages("was kostet das forum", [forum], True, "de")] == priced
    paying = passages("Muss ich beim Forum was zahlen?", [forum], True, "de")
    assert [p.sentences for p in paying] == priced
    english = passages("how much is the forum", [forum], True, "en")
    assert [p.sentences for p in english] == [("Fee €40, reduced €20.",)]
    # a price answers what something costs, nothing else
    assert passages("Gibt es beim Forum Parkplätze?", [forum], True, "de") == []
    # ... and what the event costs, not a thing at it the description does not name
    for asked, lang in (
        ("Wie viel kostet ein Stand beim Forum?", "de"),
        ("how much is a booth at the forum?", "en"),
    ):
        assert passages(asked, [forum], True, lang) == [], asked
    for asked, lang in (
        ("Was kostet die Teilnahme am Forum für Studenten?", "de"),
        ("Was kostet es beim Forum für Studierende?", "de"),
        ("what does it cost to attend the forum?", "en"),
    ):
        assert [p.sentences[-1] for p in passages(asked, [forum], True, lang)] == [
            priced[0][0] if lang == "de" else "Fee €40, reduced €20."
        ], asked


async def test_what_it_costs_right_after_signing_up_is_that_events_price(
    described: Harness,
) -> None:
    signed = await described.send("de", "/anmelden 1")
    assert "Exkursion Zinnhütte" in signed.text, signed.text
    reply = await described.send("de", "kostet das was")
    assert "25 € für Bus und Essen" in reply.text, reply.text


@pytest.mark.parametrize(
    ("user", "command", "asked", "said"),
    [
        ("de", "/anmelden 1", "was kostet der Spaß?", "25 € für Bus und Essen"),
        ("de", "/termin 1", "Was kostet das Ganze?", "25 € für Bus und Essen"),
        ("en", "/event 2", "how much is the whole thing?", "Free of charge for members."),
    ],
)
async def test_what_the_whole_thing_costs_is_that_events_price(
    described: Harness, user: str, command: str, asked: str, said: str
) -> None:
    """Session 48: "was kostet der Spaß?" under an event had been passed to the office: "der
    Spaß" stands for the event, as "das" does."""
    await described.send(user, command)
    reply = await described.send(user, asked)
    assert said in reply.text, reply.text


async def test_a_question_pointing_back_after_a_sign_up_reaches_the_office_with_the_event(
    described: Harness,
) -> None:
    # the description says nothing of wifi: the office gets it, and reads which event
    # "da" is (the sign-up was a command, no message the question could be read with)
    await described.send("de", "/anmelden 1")
    await described.send("de", "gibt es da WLAN")
    # so does one after a question that pointed back itself ("kostet das was")
    await described.send("de", "/anmelden 2")
    await described.send("de", "kostet das was")
    await described.send("de", "und gibt es dort WLAN")
    async with described.db.session() as session:
        first, second = (await session.execute(select(FaqTicket).order_by(FaqTicket.id))).scalars()
    assert first.context.startswith("Exkursion Zinnhütte ("), first.context
    assert second.context.startswith("Forum Kreislauf ("), second.context
    # the office's inbox says it as the alert did
    inbox = (await described.send("admin", "/posteingang")).text
    assert "Bezieht sich auf: „Forum Kreislauf (" in inbox, inbox


@pytest.mark.parametrize(
    ("lang", "details", "question", "other_event"),
    [
        ("en", "/event 2", "is there a cloakroom", "on the excursion"),
        ("de", "/termin 2", "Gibt es eine Garderobe?", "bei der Exkursion"),
    ],
)
async def test_a_question_right_under_an_events_details_reaches_the_office_with_the_event(
    described: Harness, lang: str, details: str, question: str, other_event: str
) -> None:
    """No "da"/"there", but asked right under the forum's details: the office reads which
    event it is about; one naming another event, that one; one asked after a list, none."""
    await described.send(lang, details)
    await described.send(lang, question)
    await described.send(lang, details)
    await described.send(lang, f"{question.rstrip('?')} {other_event}")
    await described.send(lang, "/termine" if lang == "de" else "/events")
    await described.send(
        lang, f"{question.rstrip('?')}, bitte" if lang == "de" else f"{question}, please"
    )
    async with described.db.session() as session:
        logged = (await session.execute(select(FaqQuestion).order_by(FaqQuestion.id))).scalars()
        contexts = [question.context for question in logged]
    forum = "Circularity forum (" if lang == "en" else "Forum Kreislauf ("
    excursion = "Excursion to the tin smelter (" if lang == "en" else "Exkursion Zinnhütte ("
    assert len(contexts) == 3 and contexts[0].startswith(forum), contexts
    assert contexts[1].startswith(excursion) and contexts[2] == "", contexts
    async with described.db.session() as session:
        ticket = (await session.execute(select(FaqTicket).order_by(FaqTicket.id))).scalars().first()
    assert ticket is not None and ticket.context.startswith(forum)


async def test_a_follow_up_is_read_against_the_description_by_its_own_words(
    described: Harness,
) -> None:
    """ "gibt es da WLAN" after "was kostet die Exkursion": "da" is the excursion, but
    what is asked is wifi, not the cost the question before asked: no price is quoted."""
    cost = await described.send("de", "was kostet die Exkursion")
    assert "25 € für Bus und Essen" in cost.text, cost.text
    wifi = await described.send("de", "gibt es da WLAN")
    assert "25 €" not in wifi.text, wifi.text
    async with described.db.session() as session:
        ticket = (await session.execute(select(FaqTicket))).scalar_one()
    # the office reads which excursion, and what the member asked before
    assert ticket.context.startswith("Exkursion Zinnhütte ("), ticket.context
    assert ticket.context.endswith(" · was kostet die Exkursion"), ticket.context


@pytest.mark.parametrize(
    ("lang", "details", "question", "said"),
    [
        ("en", "/event 1", "what do I need to bring?", "Please bring safety shoes"),
        ("de", "/termin 1", "Was muss ich mitbringen?", "Bitte Sicherheitsschuhe"),
    ],
)
async def test_a_question_right_under_an_events_details_is_read_against_its_description(
    described: Harness, lang: str, details: str, question: str, said: str
) -> None:
    """No "da"/"there", no event named: asked right under the excursion's details, its
    description answers (not FAQ choices); a question the FAQ answers gets no quote below."""
    await described.send(lang, details)
    reply = await described.send(lang, question)
    assert said in reply.text, reply.text
    await described.send(lang, details)
    member = await described.send(lang, "Wie werde ich Mitglied?")
    assert "Dazu steht" not in member.text and "The description" not in member.text, member.text


async def test_it_standing_for_what_follows_points_back_to_no_event(described: Harness) -> None:
    """ "Is it possible for members to …": "it" is what follows, not the forum shown just
    before, whose "Free of charge for members" had been quoted as the answer."""
    await described.send("en", "/event 2")
    reply = await described.send(
        "en", "Is it possible for members to reserve a meeting room with you?"
    )
    assert "The description" not in reply.text and "Free of charge" not in reply.text, reply.text
    await described.send("en", "/event 2")
    price = await described.send("en", "Is it free for members?")  # "it": the forum
    assert "Free of charge for members" in price.text, price.text


async def test_a_follow_up_reads_the_description_of_the_event_just_shown(
    described: Harness,
) -> None:
    # "da" and nothing named: the excursion whose description was quoted just before
    await described.send("de", "Gibt es bei der Exkursion ein Mittagessen?")
    follow = await described.send("de", "und bekommen wir da helme?")
    assert "Helme werden gestellt" in follow.text, follow.text


async def test_where_an_event_is_comes_with_what_its_description_says_to_the_question(
    described: Harness,
) -> None:
    # the event's place is not where its bus leaves: both are said
    reply = await described.send("en", "where does the bus for the excursion leave")
    assert "Goslar" in reply.text and "The bus leaves Goslar station at 7:30." in reply.text
    assert reply.button("Sign up").startswith("ev:join:"), reply.text


async def test_costs_the_faq_leaves_to_the_invitation_are_quoted_from_it(
    described: Harness,
) -> None:
    # the knowledge base's entry on excursions says costs are in the invitation: the
    # description (the invitation) says them
    reply = await described.send("de", "Was kostet die Exkursion?")
    assert "Kosten: 25 € für Bus und Essen." in reply.text, reply.text


async def test_when_or_where_naming_nothing_is_the_event_just_shown(described: Harness) -> None:
    excursion = await event_number(described, "excursion")
    await described.send("de", f"/termin {excursion}")
    when = await described.send("de", "wann gehts los")
    assert f"(Nr. {excursion})" in when.text and "Goslar" in when.text, when.text
    await described.send("en", f"/event {excursion}")
    bus = await described.send("en", "what time does the bus leave")
    assert f"(no. {excursion})" in bus.text, bus.text
    assert "The bus leaves Goslar station at 7:30." in bus.text
    # a word of something else: not the event's
    office = await described.send("de", "Wann ist die Geschäftsstelle erreichbar?")
    assert f"(Nr. {excursion})" not in office.text, office.text


async def event_number(bot: Harness, kind: str) -> int:
    async with bot.db.session() as session:
        found = await session.execute(select(Event.id).where(Event.kind == kind))
        return int(found.scalar_one())


async def test_a_question_pointing_back_reads_the_event_the_one_before_named(
    described: Harness,
) -> None:
    await described.send("de", "Gibt es beim Forum Kreislauf Parkplätze?")
    food = await described.send("de", "gibts da was zu essen")
    assert "Mittagessen im Foyer." in food.text and "Forum Kreislauf" in food.text, food.text
    # what the description does not say goes to the office with what "da" is
    await described.send("de", "Wie lange dauert das Forum Kreislauf?")
    await described.send("de", "kann man da sein Fahrrad abstellen")
    async with described.db.session() as session:
        asked = (await session.execute(select(FaqTicket).order_by(FaqTicket.id))).scalars()
        contexts = {ticket.text: ticket.context for ticket in asked}
    bike = contexts.get("kann man da sein Fahrrad abstellen", "")
    assert bike.startswith("Forum Kreislauf ("), contexts
    assert bike.endswith(" · Wie lange dauert das Forum Kreislauf?"), contexts


async def test_a_plural_as_typed_on_a_phone_reads_as_its_word(described: Harness) -> None:
    # "Studis" (the German stemmer keeps its -s) is "Studierende" of the description
    reply = await described.send("de", "gibts beim forum kreislauf auch was für studis")
    assert "Studierende sind herzlich eingeladen." in reply.text, reply.text


@pytest.mark.parametrize(
    ("user", "first", "said"),
    [
        ("de", "/anmelden {n}", "wo treffen wir uns?"),
        ("de", "/anmelden {n}", "Wo geht es los?"),
        ("de", "/termin {n}", "wo sammeln wir uns"),
        ("de", "/anmelden {n}", "wo ist der Treffpunkt?"),
        ("de", "/anmelden {n}", "wann fahren wir los?"),
        ("en", "/join {n}", "when do we depart?"),
        ("en", "/join {n}", "when do we leave?"),
        ("en", "/event {n}", "where is the meeting point?"),
    ],
)
async def test_when_or_where_to_meet_or_set_off_is_the_event_just_shown(
    described: Harness, user: str, first: str, said: str
) -> None:
    """Right after a sign-up or an event's details, asking when or where one sets off or
    meets ("wo treffen wir uns", "when do we depart", "Treffpunkt") is that event's date and
    place, not the FAQ's entry on signing up or leaving the association, nor the office's."""
    excursion = await event_number(described, "excursion")
    await described.send(user, first.format(n=excursion))
    reply = await described.send(user, said)
    number = f"(Nr. {excursion})" if user == "de" else f"(no. {excursion})"
    assert number in reply.text and "Goslar" in reply.text, reply.text
    assert "Mitgliedschaft" not in reply.text and "membership" not in reply.text, reply.text
    assert await tickets(described) == 0


@pytest.mark.parametrize(
    ("user", "said"), [("de", "wo treffen wir uns?"), ("en", "when do we depart?")]
)
async def test_when_or_where_to_meet_with_no_event_before_names_none(
    described: Harness, user: str, said: str
) -> None:
    excursion = await event_number(described, "excursion")
    reply = await described.send(user, said)
    assert f"Nr. {excursion}" not in reply.text and f"no. {excursion}" not in reply.text


async def test_the_office_reads_the_event_of_an_english_question_in_its_own_language(
    described: Harness,
) -> None:
    """An English member's question about an event reaches a German office with the event
    named in German (its title and date), in the alert and in /posteingang; an English
    admin reads a German member's event in English."""
    from bot.delivery import reply_from_payload
    from storage.models import OutboxMessage

    await described.send("admin", "/hilfe")  # an admin who has written to the bot
    await described.send("en", "/join 1")
    await described.send("en", "is there wifi for us there?")
    await described.send("en", "yes")  # pass it on all the same
    await described.send("de", "/anmelden 2")
    await described.send("de", "gibt es da WLAN")
    async with described.db.session() as session:
        first, second = (await session.execute(select(FaqTicket).order_by(FaqTicket.id))).scalars()
        alerts = (
            (
                await session.execute(
                    select(OutboxMessage)
                    .where(OutboxMessage.kind == "faq_office_alert")
                    .order_by(OutboxMessage.id)
                )
            )
            .scalars()
            .all()
        )
    assert first.context.startswith("Excursion to the tin smelter ("), first.context
    alert = reply_from_payload(alerts[0].payload).text
    assert "Bezieht sich auf: „Exkursion Zinnhütte (" in alert, alert
    assert "tin smelter" not in alert and "Wed" not in alert.split("Bezieht sich auf")[1], alert
    inbox = (await described.send("admin", "/posteingang")).text
    assert "„Exkursion Zinnhütte (" in inbox and "tin smelter" not in inbox, inbox
    await described.send("admin", "/language en")
    inbox = (await described.send("admin", "/inbox")).text
    assert "Circularity forum (" in inbox and "Forum Kreislauf (" not in inbox, inbox
    assert second.context.startswith("Forum Kreislauf ("), second.context


async def test_a_noun_made_of_a_participle_says_nothing_of_its_ending(described: Harness) -> None:
    """ "Studierende" ends like "Ende" without being a compound of it: asked when the forum
    ends, its end is said, not the description's sentence on students."""
    reply = await described.send("de", "Wann ist das Forum Kreislauf zu Ende?")
    assert "Forum Kreislauf" in reply.text and "Studierende" not in reply.text, reply.text
    forum = forum_described("Teilnehmende und Studierende willkommen. Zum Tagungsende ein Empfang.")
    found = passages("Wann ist das Forum zu Ende?", [forum], True, "de")
    assert [p.sentences for p in found] == [("Zum Tagungsende ein Empfang.",)]
