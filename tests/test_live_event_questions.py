"""Live answers to what members ask about events in free text, with invented events: what an
event costs is no sign-up question, a day or month asked about lists that day's or month's
events (a weekday, a week or a day in words too), and a young professionals' event is seen only
by them and the office."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import get_month_names
from sqlalchemy import func, select

from handlers.events import naming
from handlers.events.spans import Span
from storage import event_store
from storage.events import Event
from storage.faq import FaqTicket
from tests.dates import WEEKDAYS_DE, days_ahead
from tests.harness import Chat, Harness, fixed_clock

# An invented knowledge base with one entry on what taking part costs.
KB = """
[[faq]]
id = "kosten-teilnahme"
tags = ["Kosten", "Teilnahmegebühr", "cost", "fee"]
question.de = ["Was kostet die Teilnahme an einer Veranstaltung des Netzwerks?"]
question.en = ["What does taking part in a network event cost?"]
answer.de = "Ob und was eine Veranstaltung kostet, steht in ihrer Einladung."
answer.en = "Whether an event costs anything is stated in its invitation."
"""

# Entries that name an event kind and signing up, for the tests of sign-up requests only.
KB_SIGNING_UP = """
[[faq]]
id = "tagung-inhalt"
tags = ["Fachtagung", "conference"]
question.de = ["Worum geht es bei der jährlichen Fachtagung?"]
question.en = ["What is the yearly conference about?"]
answer.de = "Die Fachtagung stellt jedes Jahr Forschung und Praxis der Rückgewinnung vor."
answer.en = "The conference presents research and practice of recovery every year."

[[faq]]
id = "anmeldung-ablauf"
tags = ["Anmeldung", "sign-up"]
question.de = ["Wie funktioniert die Anmeldung zu Veranstaltungen?"]
question.en = ["How does signing up for network events work?"]
answer.de = "Jede Einladung nennt den Weg: im Bot, auf der Veranstaltungsseite oder per Mail."
answer.en = "Each invitation names the way: in the bot, on the events page or by mail."
"""


@pytest.fixture
async def network(bot: Harness) -> dict[str, Event]:
    """A conference in 30 days, a workshop in 100, an open excursion in 50 and one for young
    professionals only in 12 (sooner than the open one); "mara" (German) and "tom" (English)
    are no young professionals, "jana" is one, "admin" is the office."""
    at = {days: days_ahead(bot, days).astimezone(UTC) for days in (12, 30, 50, 100)}
    events = {
        "conference": await bot.add_event(
            kind="symposium",
            title="Fachtagung Seltene Erden im Kreislauf",
            title_en="Conference on Circular Rare Earths",
            place="Stadthalle Talbach",
            starts_at=at[30],
            capacity=90,
        ),
        "workshop": await bot.add_event(
            kind="workshop",
            title="Werkstattgespräch Galvanikschlamm",
            title_en="Workshop on Electroplating Sludge",
            place="Labor Nordaue",
            starts_at=at[100],
        ),
        "open_trip": await bot.add_event(
            kind="excursion",
            title="Exkursion zum Wertstoffhof Nordaue",
            title_en="Excursion to the Nordaue Recycling Yard",
            place="Wertstoffhof Nordaue",
            starts_at=at[50],
            capacity=20,
        ),
        "yp_trip": await bot.add_event(
            kind="excursion",
            title="Nachwuchsexkursion Schmelzhütte Talbach",
            title_en="Early-Career Excursion to the Talbach Smelter",
            place="Schmelzhütte Talbach",
            starts_at=at[12],
            capacity=10,
            audience="yp",
        ),
    }
    await bot.import_kb(KB)
    await mara_and_tom(bot)
    await bot.onboard("jana", lang="de")
    await bot.make_young_professional("jana")
    await bot.onboard("admin", lang="de")
    return events


def local(bot: Harness, event: Event) -> datetime:
    return event_store.as_utc(event.starts_at).astimezone(bot.app.services.settings.network.tz)


def event_buttons(buttons: list[str]) -> list[str]:
    return [b for b in buttons if b.startswith("ev:")]


async def tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int((await session.execute(select(func.count()).select_from(FaqTicket))).scalar())


async def mara_and_tom(bot: Harness) -> None:
    """ "mara" (German) and "tom" (English) become members."""
    await bot.onboard("mara", lang="de")
    await bot.onboard("tom", lang="en")


def title_for(event: Event, user: str) -> str:
    """The event's title as the user reads it: English for "tom", German for the others."""
    return event.title_en if user == "tom" else event.title


def assert_lists(answer: Chat, events: dict[str, Event], listed: list[str], user: str) -> None:
    """The `events` named in `listed` are in the answer, each with its button; no other is."""
    for name, event in events.items():
        if name in listed:
            assert title_for(event, user) in answer.text, (name, answer.text)
            assert f"ev:show:{event.id}" in answer.buttons, (name, answer.buttons)
        else:
            assert title_for(event, user) not in answer.text, (name, answer.text)


# --- what an event costs --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("mara", "Ist die Teilnahme an der Fachtagung kostenlos?"),
        ("mara", "Muss ich für die Teilnahme an der Exkursion etwas bezahlen?"),
        ("mara", "Wie hoch ist die Gebühr, um an der Fachtagung teilzunehmen?"),
        ("tom", "Does it cost anything to take part in the conference?"),
        ("tom", "Is there a fee to register for the excursion?"),
        ("tom", "What is the price to attend the workshop?"),
    ],
)
async def test_what_taking_part_costs_is_no_sign_up_question(
    network: dict[str, Event], bot: Harness, user: str, question: str
) -> None:
    """Taking part named beside what it costs asks the cost: the FAQ's answer (or its
    choices), not "tap Sign up"."""
    assert naming.intent_of(question) is None, question
    answer = await bot.send(user, question)
    assert not event_buttons(answer.buttons), answer.text
    assert "Tippen Sie" not in answer.text and "tap “" not in answer.text, answer.text
    labels = " ".join(b.label for r in answer.replies for row in r.buttons for b in row)
    assert "Einladung" in answer.text + labels or "invitation" in answer.text + labels


async def test_free_places_are_still_asked_about_places(
    network: dict[str, Event], bot: Harness
) -> None:
    # "free" is a word for costing nothing too: beside places it asks for places
    conference = network["conference"]
    answer = await bot.send("tom", "Are there any free places at the conference?")
    assert "0/90 places taken" in answer.text, answer.text
    assert answer.button("Sign up") == f"ev:join:{conference.id}"
    german = await bot.send("mara", "Wie melde ich mich für die Fachtagung an?")
    assert german.button("Anmelden") == f"ev:join:{conference.id}", german.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("tom", "What is the current spot price of nickel on the metal exchange?"),
        ("mara", "Gibt es noch freie Plätze im Parkhaus?"),
    ],
)
async def test_places_of_something_else_are_no_question_about_events(
    network: dict[str, Event], bot: Harness, user: str, text: str
) -> None:
    # "spot", "Plätze" name no event here: the question is not answered with the events
    answer = await bot.send(user, text)
    assert "ev:join" not in " ".join(answer.buttons), answer.text
    assert "Fachtagung" not in answer.text and "conference" not in answer.text, answer.text
    # asked about places at large, the events are still listed
    listed = await bot.send(user, "Gibt es noch freie Plätze?")
    assert "Fachtagung" in listed.text, listed.text


# --- asking to be signed up -----------------------------------------------------------------


@pytest.fixture
async def signing_up(network: dict[str, Event], bot: Harness) -> dict[str, Event]:
    """The network, with FAQ entries on what the conference is about and how signing up works."""
    await bot.import_kb(KB + KB_SIGNING_UP)
    return network


@pytest.mark.parametrize(
    ("user", "request_", "label"),
    [
        ("tom", "sign me up for the conference please", "Sign up"),
        ("tom", "Please put me down for the conference", "Sign up"),
        ("tom", "count us in for the conference!", "Sign up"),
        ("tom", "Could you add me to the conference?", "Sign up"),
        ("tom", "I'm in for the conference", "Sign up"),
        ("mara", "Bitte schreiben Sie mich für die Fachtagung ein", "Anmelden"),
        ("mara", "Ich bin bei der Fachtagung dabei", "Anmelden"),
        ("mara", "Wir nehmen an der Fachtagung teil.", "Anmelden"),
        ("mara", "Zählen Sie mich für die Fachtagung mit", "Anmelden"),
        ("mara", "Ich möchte gern zur Fachtagung kommen", "Anmelden"),
        ("mara", "Kann ich noch zur Fachtagung?", "Anmelden"),
        # as typed on a phone, the subject left out or the coming said plainly
        ("mara", "bin dabei bei der Fachtagung", "Anmelden"),
        ("mara", "ich komme zur Fachtagung", "Anmelden"),
        ("mara", "ich komm zur Fachtagung", "Anmelden"),
        ("mara", "komme zur Fachtagung", "Anmelden"),
        ("tom", "ill come to the conference", "Sign up"),
        ("tom", "im coming to the conference", "Sign up"),
        ("tom", "I would like to come to the conference", "Sign up"),
        ("tom", "We'd love to attend the conference", "Sign up"),
    ],
)
async def test_asking_to_be_signed_up_offers_the_named_events_sign_up(
    signing_up: dict[str, Event], bot: Harness, user: str, request_: str, label: str
) -> None:
    """A request to be signed up for a named event is answered with that event's sign-up,
    not with an FAQ entry that mentions the event."""
    conference = signing_up["conference"]
    answer = await bot.send(user, request_)
    assert answer.button(label) == f"ev:join:{conference.id}", answer.text
    assert "every year" not in answer.text and "jedes Jahr" not in answer.text


async def test_a_wish_to_come_after_asking_for_an_event_offers_its_sign_up(
    signing_up: dict[str, Event], bot: Harness
) -> None:
    """ "Gibt es …? Ich würde gern teilnehmen": the wish is about the event asked for; when
    none is coming, the answer to the question said so and the wish goes to nobody."""
    conference = signing_up["conference"]
    chat = await bot.send("mara", "Gibt es dieses Jahr eine Fachtagung? Ich würde gern teilnehmen.")
    assert f"ev:join:{conference.id}" in chat.buttons, chat.text
    english = await bot.send("tom", "Is there a conference this year? We'd like to attend.")
    assert f"ev:join:{conference.id}" in english.buttons, english.text
    nothing = await bot.send("mara", "Gibt es ein Innovationsforum? Ich würde gern kommen.")
    assert "ev:join" not in " ".join(nothing.buttons), nothing.text
    assert await tickets(bot) == 0, nothing.text


@pytest.mark.parametrize(
    ("user", "asked", "said", "label"),
    [
        ("mara", "Wann ist die Fachtagung?", "bin dabei", "Anmelden"),
        ("mara", "Wann ist die Fachtagung?", "bin auch dabei!", "Anmelden"),
        ("tom", "When is the conference?", "I'll be there", "Sign up"),
        ("tom", "When is the conference?", "ill be there", "Sign up"),
        ("tom", "When is the conference?", "Add my name", "Sign up"),
        ("tom", "When is the conference?", "ok put me down please", "Sign up"),
    ],
)
async def test_coming_said_after_asking_about_an_event_offers_its_sign_up(
    signing_up: dict[str, Event], bot: Harness, user: str, asked: str, said: str, label: str
) -> None:
    """ "bin dabei" typed after the answer to "Wann ist die Fachtagung?": that event's sign-up;
    said with nothing asked before, nothing is signed up for."""
    conference = signing_up["conference"]
    await bot.send(user, asked)
    answer = await bot.send(user, said)
    assert answer.button(label) == f"ev:join:{conference.id}", answer.text


async def test_a_sign_up_wish_under_a_list_of_events_asks_which(
    network: dict[str, Event], bot: Harness
) -> None:
    """ "Trag mich ein" typed under /termine names none of the events listed: which one is
    asked, each a tap from its sign-up (it had got the FAQ's topics)."""
    await bot.send("mara", "/termine")
    answer = await bot.send("mara", "Trag mich ein")
    assert "Welche Veranstaltung meinen Sie?" in answer.text, answer.text
    assert f"ev:join:{network['conference'].id}" in answer.buttons, answer.buttons
    assert await tickets(bot) == 0
    # signed up for one of them, the wish is still about the list (it had been told it was
    # signed up for that one, as "I'll come after all" is)
    await bot.send("tom", f"/join {network['conference'].id}")
    await bot.send("tom", "/events")
    again = await bot.send("tom", "put me down pls")
    assert "Which event do you mean?" in again.text, again.text
    assert f"ev:join:{network['workshop'].id}" in again.buttons, again.buttons


async def test_a_deadline_question_after_an_event_is_about_that_event(
    network: dict[str, Event], bot: Harness
) -> None:
    # "bis wann muss ich mich anmelden?" right after the conference was asked about had got
    # the FAQ's topics (the office, cancelling the membership, the fee)
    conference = network["conference"]
    await bot.send("tom", "When is the conference?")
    answer = await bot.send("tom", "until when do I have to sign up?")
    assert answer.button("Sign up") == f"ev:join:{conference.id}", answer.text
    await bot.send("mara", "Wann ist die Fachtagung?")
    german = await bot.send("mara", "bis wann muss ich mich anmelden?")
    assert german.button("Anmelden") == f"ev:join:{conference.id}", german.text
    # the deadline asked by its word, pointing back with "da" (it had got the FAQ's entry on
    # cancelling the membership, by its notice period)
    await bot.send("mara", "Wann ist die Fachtagung?")
    short = await bot.send("mara", "wann ist da anmeldeschluss")
    assert "keinen Anmeldeschluss" in short.text, short.text
    assert short.button("Anmelden") == f"ev:join:{conference.id}"


async def test_a_waiting_list_question_after_an_event_is_about_that_event(
    network: dict[str, Event], bot: Harness
) -> None:
    """ "Is there a waiting list?" right after an event was asked about: that event's places,
    and whether there is a waiting list (it had asked "Which event do you mean?")."""
    conference, workshop = network["conference"], network["workshop"]
    await bot.send("tom", "When is the conference?")
    answer = await bot.send("tom", "Is there a waiting list?")
    assert "0/90 places taken" in answer.text, answer.text
    assert "A waiting list only starts once every place is taken" in answer.text
    assert answer.button("Sign up") == f"ev:join:{conference.id}"
    await bot.send("mara", "Wann ist das Werkstattgespräch?")
    german = await bot.send("mara", "Gibt es dafür eine Warteliste?")
    assert "eine Warteliste gibt es also nicht" in german.text, german.text
    assert german.button("Anmelden") == f"ev:join:{workshop.id}"
    # asked with nothing before, which event is meant is asked
    fresh = await bot.send("jana", "Gibt es eine Warteliste?")
    assert "Welche Veranstaltung meinen Sie?" in fresh.text, fresh.text


async def test_who_may_come_is_answered_with_the_events_audience(
    network: dict[str, Event], bot: Harness
) -> None:
    """ "und wer darf da mit?" after an event, "Für wen ist …?", "who can attend …?": whom the
    event is for, with its sign-up (the follow-up had become a ticket with no suggestion)."""
    conference, workshop, yp_trip = network["conference"], network["workshop"], network["yp_trip"]
    named = await bot.send("mara", "Wer darf zur Fachtagung kommen?")
    assert named.text.startswith(
        "„Fachtagung Seltene Erden im Kreislauf“ richtet sich an alle Mitglieder"
    )
    assert named.button("Anmelden") == f"ev:join:{conference.id}"
    await bot.send("tom", "When is the workshop?")
    after = await bot.send("tom", "and who can attend?")
    assert after.text.startswith("“Workshop on Electroplating Sludge” is meant for all members")
    assert after.button("Sign up") == f"ev:join:{workshop.id}"
    only = await bot.send("tom", "is it only for members?")
    assert "meant for all members" in only.text, only.text
    young = await bot.send("jana", "Für wen ist die Nachwuchsexkursion?")
    assert "ist nur für Young Professionals" in young.text, young.text
    assert young.button("Anmelden") == f"ev:join:{yp_trip.id}"
    # to a member who is none, the young professionals' excursion is not shown: the open one is
    trip = await bot.send("mara", "Für wen ist die Exkursion?")
    assert "„Exkursion zum Wertstoffhof Nordaue“ richtet sich an alle Mitglieder" in trip.text
    # a short second question naming who is part of it (it had gone to the FAQ, in parts)
    both = await bot.send("mara", "wer darf da eigentlich hin? nur mitglieder oder auch kollegen?")
    assert both.text.startswith("„Exkursion zum Wertstoffhof Nordaue“ richtet sich"), both.text
    assert await tickets(bot) == 0
    # becoming a member is another question (this knowledge base has no entry on it)
    await bot.send("mara", "Wann ist die Fachtagung?")
    joining = await bot.send("mara", "Wer kann Mitglied werden?")
    assert "an alle Mitglieder" not in joining.text and await tickets(bot) == 1, joining.text


async def free_for_members(bot: Harness) -> Event:
    """A forum in 40 days whose description says it is free for members (and nothing of
    others), with the knowledge base, "mara" and "tom"."""
    forum = await bot.add_event(
        kind="forum",
        title="Innovationsforum Talbach",
        title_en="Talbach Innovation Forum",
        starts_at=days_ahead(bot, 40).astimezone(UTC),
        description="Projektideen und Förderprogramme; für Mitglieder kostenfrei.",
        description_en="Project ideas and funding programmes; free of charge for members.",
    )
    await bot.import_kb(KB)
    await mara_and_tom(bot)
    return forum


async def test_who_may_come_said_without_a_verb_quotes_what_the_event_costs_whom(
    bot: Harness,
) -> None:
    """ "wer darf zum Symposium?" (the verb left out, as it is said) is who may come, answered
    with the audience and the description's prices, which say who comes at what cost (it had
    got the FAQ's choices)."""
    conference = await bot.add_event(
        kind="symposium",
        title="Fachtagung Seltene Erden im Kreislauf",
        title_en="Conference on Circular Rare Earths",
        starts_at=days_ahead(bot, 30).astimezone(UTC),
        description="Vorträge und Poster. Teilnahmegebühr 90 €, für Mitglieder 60 €.",
        description_en="Talks and posters. Fee €90, members €60.",
    )
    await bot.import_kb(KB)
    await mara_and_tom(bot)
    for user, text, said in (
        ("mara", "wer darf zur fachtagung?", "Teilnahmegebühr 90 €, für Mitglieder 60 €."),
        ("mara", "Wer kann denn alles zur Fachtagung?", "Teilnahmegebühr 90 €"),
        ("tom", "who can attend the conference?", "Fee €90, members €60."),
    ):
        answer = await bot.send(user, text)
        assert "an alle Mitglieder" in answer.text or "for all members" in answer.text, text
        assert said in answer.text, answer.text
        assert f"ev:join:{conference.id}" in answer.buttons
    assert await tickets(bot) == 0
    # with a second question beside it, each is answered in turn (the FAQ had answered the
    # first with its entry on the conference, not whom it is for)
    both = await bot.send("mara", "wer darf zur fachtagung? und gibt es dort parkplätze?")
    first, second = both.replies[0].text, both.text[len(both.replies[0].text) :]
    assert "„wer darf zur fachtagung?“" in first and "an alle Mitglieder" in first, both.text
    assert "Teilnahmegebühr 90 €" in first and "parkplätze" in second, both.text
    assert await tickets(bot) == 1  # the parking, for the office
    # a lift to the station is no such question
    lift = await bot.send("mara", "wer kann mich zur fachtagung fahren?")
    assert "an alle Mitglieder" not in lift.text, lift.text


async def test_whether_non_members_may_come_is_answered_by_the_events_prices(
    bot: Harness,
) -> None:
    """ "Dürfen auch Nichtmitglieder zur Fachtagung kommen?", "can non-members attend …?":
    whether they may come is the network's rule, so no audience is claimed and no sign-up of
    the member's offered ("attend" had read as one); with no entry on it, the description's
    prices say it ("für Mitglieder kostenfrei"), with the offer to ask the office."""
    forum = await free_for_members(bot)
    german = await bot.send("mara", "Dürfen auch Nichtmitglieder zum Innovationsforum kommen?")
    assert "„Für Mitglieder kostenfrei.“" in german.text, german.text
    assert "an alle Mitglieder" not in german.text and f"ev:show:{forum.id}" in german.buttons
    assert not any(b.startswith("ev:join") for b in german.buttons), german.text
    english = await bot.send("tom", "can non-members attend the innovation forum?")
    assert "“Free of charge for members.”" in english.text, english.text
    assert not any(b.startswith("ev:join") for b in english.buttons), english.text
    assert await tickets(bot) == 0
    # naming no event, right after one was shown: that one's (walkthrough 2026-12-07)
    await bot.send("mara", "Wann ist das Innovationsforum?")
    after = await bot.send("mara", "dürfen auch nicht-mitglieder kommen?")
    assert "„Für Mitglieder kostenfrei.“" in after.text, after.text
    # an event whose description names no price: the office's, as before
    await bot.add_event(
        kind="workshop",
        title="Werkstattgespräch Galvanikschlamm",
        starts_at=days_ahead(bot, 60).astimezone(UTC),
        description="Austausch im Labor.",
    )
    plain = await bot.send("mara", "Dürfen Nichtmitglieder zum Werkstattgespräch kommen?")
    assert "Austausch im Labor" not in plain.text and "Beschreibung" not in plain.text, plain.text


@pytest.mark.parametrize(
    ("user", "asked", "went_on", "signup"),
    [
        ("mara", "Dürfen auch Nichtmitglieder zum Innovationsforum kommen?",
         "nein danke, melde mich bitte an", "Anmelden"),
        ("tom", "can non-members attend the innovation forum?",
         "no thanks, sign me up pls", "Sign up"),
    ],
)  # fmt: skip
async def test_a_no_to_passing_it_on_that_goes_on_is_answered_as_asked(
    bot: Harness, user: str, asked: str, went_on: str, signup: str
) -> None:
    """Walkthrough 2026-12-07: "no thanks, sign me up pls" under "Shall I pass your question
    on?" had said the rest went nowhere; the no declines the offer, the rest is a message of
    its own (here the sign-up of the event just shown). Nothing goes to the office."""
    forum = await free_for_members(bot)
    offered = await bot.send(user, asked)
    assert "faq:no" in offered.buttons, offered.text
    said = await bot.send(user, went_on)
    assert said.button(signup) == f"ev:join:{forum.id}", said.text
    assert await tickets(bot) == 0


async def test_a_no_to_passing_it_on_with_a_question_after_it_declines_and_asks_it(
    bot: Harness,
) -> None:
    """ "nö danke, aber gibt es dort Parkplätze?" under "Soll ich … weitergeben?": the decline
    said, the question asked on its own (it had become a ticket reading "nö danke, aber …")."""
    await free_for_members(bot)
    await bot.send("mara", "Dürfen auch Nichtmitglieder zum Innovationsforum kommen?")
    said = await bot.send("mara", "nö danke, aber gibt es dort Parkplätze?")
    assert "ich gebe nichts weiter" in said.text, said.text
    async with bot.db.session() as session:
        texts = [t.text for t in (await session.execute(select(FaqTicket))).scalars()]
    assert not any(text.startswith("nö") for text in texts), texts


async def test_an_event_for_members_of_a_topic_says_so_when_asked_who_may_come(
    bot: Harness,
) -> None:
    starts = days_ahead(bot, 20).astimezone(UTC)
    forum = await bot.add_event(
        kind="workshop",
        title="Runder Tisch Batterien",
        starts_at=starts,
        audience="topic:Batterien",
    )
    await bot.onboard("mara", lang="de")
    answer = await bot.send("mara", "Für wen ist der Runde Tisch Batterien?")
    assert "richtet sich an Mitglieder mit dem Thema Batterien" in answer.text, answer.text
    assert answer.button("Anmelden") == f"ev:join:{forum.id}"


async def test_coming_said_with_nothing_before_offers_no_sign_up(
    signing_up: dict[str, Event], bot: Harness
) -> None:
    answer = await bot.send("mara", "bin dabei")
    assert "ev:join" not in " ".join(answer.buttons), answer.text


async def test_what_the_event_is_about_and_how_signing_up_works_stay_faq(
    signing_up: dict[str, Event], bot: Harness
) -> None:
    about = await bot.send("tom", "What is the yearly conference about?")
    assert "research and practice" in about.text and not event_buttons(about.buttons)
    how = await bot.send("tom", "How does signing up for events work?")
    assert "Each invitation names the way" in how.text, how.text
    assert not event_buttons(how.buttons)
    wie = await bot.send("mara", "Wie funktioniert die Anmeldung zu Veranstaltungen?")
    assert "Jede Einladung nennt den Weg" in wie.text and not event_buttons(wie.buttons)
    # saying one is not coming is no sign-up
    assert naming.intent_of("Ich bin bei der Fachtagung leider nicht dabei") is naming.Intent.CANCEL
    assert naming.intent_of("Wir nehmen an der Fachtagung nicht teil") is naming.Intent.CANCEL
    assert naming.intent_of("Ich möchte doch nicht zur Fachtagung kommen") is naming.Intent.CANCEL
    assert naming.intent_of("Zählen Sie mich bei der Fachtagung nicht mit") is not (
        naming.Intent.SIGNUP
    )


async def test_joining_the_network_at_an_event_is_no_sign_up_for_it(
    signing_up: dict[str, Event], bot: Harness
) -> None:
    """The event after "at"/"bei" is where one would join the association, not what is
    joined; "als Mitglied" says who comes along, and stays a sign-up."""
    conference = signing_up["conference"]
    for user, text in (
        ("tom", "Can my company join the network at the conference?"),
        ("tom", "Can we become members at the conference?"),
        ("mara", "Kann meine Firma bei der Fachtagung Mitglied werden?"),
        ("mara", "Können wir dem Verein bei der Fachtagung beitreten?"),
    ):
        reply = await bot.send(user, text)
        assert f"ev:join:{conference.id}" not in reply.buttons, (text, reply.text)
    for user, text in (
        ("tom", "Can I join the conference as a member?"),
        ("mara", "Kann ich mich als Mitglied zur Fachtagung anmelden?"),
    ):
        reply = await bot.send(user, text)
        assert f"ev:join:{conference.id}" in reply.buttons, (text, reply.text)


# --- a day or a month asked about -----------------------------------------------------------


async def test_a_day_with_an_event_lists_it(network: dict[str, Event], bot: Harness) -> None:
    conference = network["conference"]
    day = local(bot, conference)
    german = await bot.send("mara", f"Gibt es am {day:%d.%m.%Y} eine Veranstaltung?")
    assert conference.title in german.text and f"ev:show:{conference.id}" in german.buttons
    assert network["workshop"].title not in german.text, german.text
    short = await bot.send("mara", f"Ist am {day.day}. {month_de(day.month)} etwas los?")
    assert conference.title in short.text, short.text
    month = get_month_names("wide", locale="en")[day.month]
    english = await bot.send("tom", f"What's happening on {day.day} {month} {day.year}?")
    assert conference.title_en in english.text, english.text
    assert f"ev:show:{conference.id}" in english.buttons
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "asked"),
    [
        ("mara", "was ist am {d}.{m}. los?"),
        ("mara", "Was ist am {d}.{m}. so los bei euch?"),
        ("mara", "was geht am {d}.{m}. ab?"),
        ("mara", "was geht am {d}.{m}. so?"),
        ("tom", "what's on on {d}.{m}. then?"),
        ("tom", "anything on {d}.{m}. in the afternoon?"),
    ],
)
async def test_a_day_without_its_year_asks_nothing_after_it(
    network: dict[str, Event], bot: Harness, user: str, asked: str
) -> None:
    """The walkthrough's member asked "was ist am 24.2. los?": the event that day was listed,
    then "Auf „los?“ habe ich keine sichere Antwort", as if "los?" were a question of its own
    (the date's full stop had been read as the end of a sentence)."""
    conference = network["conference"]
    day = local(bot, conference)
    reply = await bot.send(user, asked.format(d=day.day, m=day.month))
    title = conference.title if user == "mara" else conference.title_en
    assert title in reply.text, reply.text
    assert "keine sichere Antwort" not in reply.text, reply.text
    assert "not sure" not in reply.text and "no sure answer" not in reply.text, reply.text
    assert await tickets(bot) == 0


async def test_a_day_without_an_event_says_so_and_lists_the_next(
    network: dict[str, Event], bot: Harness
) -> None:
    conference, workshop = network["conference"], network["workshop"]
    day = local(bot, conference) + timedelta(days=1)  # no event that day
    german = await bot.send("mara", f"Gibt es am {day:%d.%m.%Y} eine Veranstaltung?")
    assert f"Nein, zu „{day:%d.%m.%Y}“ finde ich keine kommende Veranstaltung" in german.text
    assert conference.title in german.text and workshop.title in german.text  # the next ones
    english = await bot.send("tom", f"Is there an event on {day:%Y-%m-%d}?")
    assert f"No, I find no upcoming event for “{day:%Y-%m-%d}”" in english.text, english.text
    assert conference.title_en in english.text


async def test_a_day_no_month_has_is_told_plainly(network: dict[str, Event], bot: Harness) -> None:
    year = local(bot, network["workshop"]).year + 1
    german = await bot.send("mara", f"Gibt es am 30.02.{year} eine Veranstaltung?")
    assert german.text == (
        f"Den Tag in „30.02.{year}“ gibt es nicht (das Datum ist richtig geschrieben, aber der "
        "Monat hat ihn nicht)."
    )
    english = await bot.send("tom", f"What's happening on 31 April {year}?")
    assert f"The day in “31 April {year}” does not exist" in english.text, english.text
    assert await tickets(bot) == 0


async def test_what_happens_in_a_month_lists_its_events(
    network: dict[str, Event], bot: Harness
) -> None:
    workshop, conference = network["workshop"], network["conference"]
    month = local(bot, workshop).month
    german = await bot.send("mara", f"Was findet im {month_de(month)} statt?")
    assert workshop.title in german.text and conference.title not in german.text, german.text
    english = await bot.send("tom", f"What's on in {get_month_names('wide', locale='en')[month]}?")
    assert workshop.title_en in english.text and conference.title_en not in english.text
    assert await tickets(bot) == 0


def month_de(number: int) -> str:
    return str(get_month_names("wide", locale="de")[number])


# --- young professionals' events ------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "question", "title"),
    [
        ("mara", "Wann ist die nächste Exkursion?", "title"),
        ("mara", "Wann ist die nächste Exkursoin?", "title"),
        ("tom", "When is the next excursion?", "title_en"),
    ],
)
async def test_the_next_excursion_for_others_is_the_one_they_see(
    network: dict[str, Event], bot: Harness, user: str, question: str, title: str
) -> None:
    hidden, shown = network["yp_trip"], network["open_trip"]
    answer = await bot.send(user, question)
    assert getattr(shown, title) in answer.text, answer.text
    assert hidden.title not in answer.text and hidden.title_en not in answer.text
    assert not [b for b in answer.buttons if b.endswith(f":{hidden.id}")]
    # the young professional and the office get the sooner one, theirs
    for insider in ("jana", "admin"):
        theirs = await bot.send(insider, "Wann ist die nächste Exkursion?")
        assert hidden.title in theirs.text, (insider, theirs.text)


async def test_no_list_or_choice_shows_others_a_young_professionals_event(
    network: dict[str, Event], bot: Harness
) -> None:
    hidden, shown = network["yp_trip"], network["open_trip"]
    for user, command in (
        ("mara", "/anmelden Exkursion"),
        ("tom", "/event excursion"),
        ("mara", "/termine"),
        ("tom", "Which excursions are there?"),
        ("mara", "Sind bei der Exkursion noch Plätze frei?"),
    ):
        answer = await bot.send(user, command)
        assert hidden.title not in answer.text and hidden.title_en not in answer.text, command
        assert not [b for b in answer.buttons if b.endswith(f":{hidden.id}")], command
    unknown = await bot.send("mara", f"/termin {hidden.id}")
    assert f"Unter der Nummer {hidden.id} kann ich Ihnen keine Veranstaltung zeigen" in unknown.text
    # for the young professional both excursions are choices, and the office lists it
    both = await bot.send("jana", "/termin Exkursion")
    assert f"ev:show:{hidden.id}" in both.buttons and f"ev:show:{shown.id}" in both.buttons
    assert hidden.title in (await bot.send("admin", "/termine")).text
    assert hidden.title in (await bot.send("jana", f"/termin {hidden.id}")).text


# --- a weekday named, two events of a kind ----------------------------------------------------


def next_weekday(bot: Harness, weekday: int, after_days: int) -> int:
    """Days from today to the first `weekday` (0 = Monday) at least `after_days` ahead."""
    today = days_ahead(bot, after_days).date()
    return after_days + (weekday - today.weekday()) % 7


@pytest.fixture
async def workshops(bot: Harness) -> dict[str, Event]:
    """Two workshops of the same kind: one on a Friday (the sooner) and one on a Tuesday
    (at least a week later); "mara" (German) and "tom" (English) are members."""
    friday = next_weekday(bot, 4, 20)
    tuesday = next_weekday(bot, 1, friday + 7)
    events = {
        "friday": await bot.add_event(
            kind="workshop",
            title="Werkstattgespräch Laugung von Leiterplatten",
            title_en="Workshop on Leaching Circuit Boards",
            place="Technikum Ostfeld",
            starts_at=days_ahead(bot, friday).astimezone(UTC),
        ),
        "tuesday": await bot.add_event(
            kind="workshop",
            title="Werkstattgespräch Sortierung von Akkuschrott",
            title_en="Workshop on Sorting Battery Scrap",
            place="Technikum Westfeld",
            starts_at=days_ahead(bot, tuesday).astimezone(UTC),
        ),
    }
    await mara_and_tom(bot)
    return events


@pytest.mark.parametrize(
    ("user", "text", "label"),
    [
        ("mara", "ich komme zum Workshop am Dienstag", "Anmelden"),
        ("mara", "bin am Di beim Workshop dabei", "Anmelden"),
        ("mara", "Wie melde ich mich für den Workshop am Dienstag an?", "Anmelden"),
        ("tom", "I'll come to the workshop on Tuesday", "Sign up"),
        ("tom", "count me in for the workshop on Tue", "Sign up"),
        ("tom", "How do I sign up for the Tuesday workshop?", "Sign up"),
    ],
)
async def test_a_weekday_named_picks_the_event_on_it(
    workshops: dict[str, Event], bot: Harness, user: str, text: str, label: str
) -> None:
    """The sooner workshop is on a Friday: "am Dienstag" means the other one."""
    tuesday, friday = workshops["tuesday"], workshops["friday"]
    answer = await bot.send(user, text)
    assert answer.button(label) == f"ev:join:{tuesday.id}", answer.text
    assert f"ev:join:{friday.id}" not in answer.buttons, answer.text


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("mara", "ich komme zum Workshop am Mittwoch", "Zu „Workshop · Mittwoch“ finde ich keine"),
        ("tom", "I'll come to the workshop on Wednesday", "no upcoming event for “Workshop · Wed"),
    ],
)
async def test_a_weekday_no_event_is_on_is_said_with_the_events_of_the_kind(
    workshops: dict[str, Event], bot: Harness, user: str, text: str, said: str
) -> None:
    answer = await bot.send(user, text)
    assert said in answer.text, answer.text
    assert "ev:join" not in " ".join(answer.buttons), answer.text  # no other one picked
    for event in workshops.values():
        assert title_for(event, user) in answer.text, answer.text  # the workshops there are
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("mara", "kann leider doch nicht am Dienstag zum Workshop"),
        ("mara", "Ich kann am Di nicht zum Workshop kommen"),
        ("tom", "I can't make it to the workshop on Tuesday"),
        ("tom", "can't come to the Tue workshop after all"),
        # typed on a phone: the day before the "leider nicht", no verb, no subject
        ("mara", "kann am dienstag leider nicht"),
        ("mara", "kann am Di zum Workshop leider doch nicht"),
    ],
)
async def test_cancelling_on_a_weekday_offers_that_days_sign_up(
    workshops: dict[str, Event], bot: Harness, user: str, text: str
) -> None:
    tuesday, friday = workshops["tuesday"], workshops["friday"]
    for event in (friday, tuesday):
        await bot.press(user, f"ev:join:{event.id}")
    answer = await bot.send(user, text)
    assert f"ev:leave:{tuesday.id}" in answer.buttons, answer.text
    assert f"ev:leave:{friday.id}" not in answer.buttons, answer.text


async def test_cancelling_on_a_weekday_one_is_not_signed_up_for_says_so(
    workshops: dict[str, Event], bot: Harness
) -> None:
    friday = workshops["friday"]
    for user in ("mara", "tom"):
        await bot.press(user, f"ev:join:{friday.id}")
    german = await bot.send("mara", "kann leider doch nicht am Dienstag zum Workshop")
    assert "Für „Workshop · Dienstag“ finde ich keine Anmeldung von Ihnen" in german.text
    assert friday.title in german.text and f"ev:leave:{friday.id}" not in german.buttons
    english = await bot.send("tom", "I can't make it to the workshop on Tuesday")
    assert "I find no sign-up of yours for “Workshop · Tuesday”" in english.text, english.text
    assert friday.title_en in english.text and f"ev:leave:{friday.id}" not in english.buttons
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "text", "asked"),
    [
        ("mara", "bin dabei beim Workshop", "Welche Veranstaltung meinen Sie?"),
        ("mara", "Ich komme zum Workshop", "Welche Veranstaltung meinen Sie?"),
        ("tom", "I'm coming to the workshop", "Which event do you mean?"),
        ("tom", "count me in for the workshop", "Which event do you mean?"),
        ("tom", "We will attend the workshop", "Which event do you mean?"),
    ],
)
async def test_two_events_that_fit_a_sign_up_are_asked_about(
    workshops: dict[str, Event], bot: Harness, user: str, text: str, asked: str
) -> None:
    """Neither is picked silently: both are offered, each with its date, a tap signs up."""
    answer = await bot.send(user, text)
    assert answer.text.startswith(asked), answer.text
    tz = bot.app.services.settings.network.tz
    for event in workshops.values():
        assert f"ev:join:{event.id}" in answer.buttons, answer.text
        starts = event_store.as_utc(event.starts_at).astimezone(tz)
        shown = f"{starts:%d.%m.%Y}" if user == "mara" else f"{starts:%Y-%m-%d}"
        assert shown in answer.text, answer.text
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("text"),
    [
        "I'll come by train to the workshop, where can I park?",
        "I'm coming to the workshop by car. Is there parking?",
        "Will I come to the workshop in time if the train is late?",
        "I'll come back to you about the workshop next week.",
        "ich komm mit dem Zug zum Workshop, wo parke ich?",
        "komme ich mit dem Bus zum Workshop?",
        "ill come by train to the workshop, where can I park?",
        "im coming to the workshop by car. Is there parking?",
        "ich will mit Ihnen über den Workshop sprechen",
    ],
)
def test_a_question_beside_coming_is_no_sign_up(text: str) -> None:
    assert not naming.says_to_sign_up(text), text
    assert naming.intent_of(text) is not naming.Intent.SIGNUP, text


@pytest.mark.parametrize(
    ("text", "weekday"),
    [
        ("ich komme zum Workshop am Dienstag", 1),
        ("bin am Di beim Workshop dabei", 1),
        ("/anmelden Workshop Fr", 4),
        ("count me in for the workshop on Tue", 1),
        ("Is there a workshop next Friday?", 4),
        ("Ist der Workshop freitags?", 4),
        # short forms that are words as well, without a day's place: no weekday
        ("So, wann ist der Workshop?", None),
        ("Do you have a workshop?", None),
        ("Ist Fr. Berger beim Workshop?", None),
    ],
)
def test_the_weekday_a_message_names(text: str, weekday: int | None) -> None:
    assert naming.named_in(text).weekday == weekday, text


@pytest.mark.parametrize(
    ("text", "cancels"),
    [
        # the verb left out, the event and its day after "nicht"
        ("kann leider doch nicht am Dienstag zum Workshop", True),
        ("kann am Freitag doch nicht zur Exkursion", True),
        # the day before the retraction: word order does not matter
        ("kann am Dienstag leider nicht", True),
        ("kann am 8. leider doch nicht", True),
        # something else that cannot be done
        ("kann leider nicht zu der Adresse navigieren", False),
        ("ich kann mich leider nicht zum Workshop anmelden", False),
    ],
)
def test_not_to_the_event_with_the_verb_left_out_cancels(text: str, cancels: bool) -> None:
    assert (naming.intent_of(text) is naming.Intent.CANCEL) is cancels, text


# --- a weekday, a week or a day in words asked about -----------------------------------------

# The week the spans are read in (Monday 30 November to Sunday 6 December 2026): pure
# functions of the day, no event stored at these dates.
MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize("weekday", range(7))
def test_the_days_a_span_names_from_each_weekday(weekday: int) -> None:
    today = MONDAY + timedelta(days=weekday)
    sunday = MONDAY + timedelta(days=6)
    assert Span("week", 0).days(today) == (MONDAY, sunday)
    assert Span("week", 1).days(today) == (MONDAY + timedelta(7), sunday + timedelta(7))
    assert Span("week", 2).days(today) == (MONDAY + timedelta(14), sunday + timedelta(14))
    assert Span("day", 1).days(today) == (today + timedelta(1), today + timedelta(1))
    # "am Wochenende": this week's; "nächstes Wochenende": the next one not yet begun
    assert Span("weekend", 0).days(today) == (MONDAY + timedelta(5), sunday)
    coming = 7 if weekday >= 5 else 0
    assert Span("weekend", 1).days(today) == (
        MONDAY + timedelta(5 + coming),
        sunday + timedelta(coming),
    )
    # a weekday: the next such day after today, 1 to 7 days ahead (as events.relative reads it)
    first, last = Span("weekday", 1).days(today)
    assert first == last and first.weekday() == 1 and 1 <= (first - today).days <= 7


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Was ist heute los?", Span("day", 0)),
        ("Was ist heute Morgen los?", Span("day", 0)),
        ("Gibt es morgen was?", Span("day", 1)),
        ("Gibt es übermorgen eine Veranstaltung?", Span("day", 2)),
        ("anything on the day after tomorrow?", Span("day", 2)),
        ("Was steht nächste Woche an?", Span("week", 1)),
        ("Gibt es in der kommenden Woche eine Veranstaltung?", Span("week", 1)),
        ("Gibt es diese Woche eine Veranstaltung?", Span("week", 0)),
        ("Was ist übernächste Woche los?", Span("week", 2)),
        ("what's on the week after next?", Span("week", 2)),
        ("anything this week?", Span("week", 0)),
        ("Was ist am Wochenende los?", Span("weekend", 0)),
        ("anything on next weekend?", Span("weekend", 1)),
        # a one-letter typo in the word before the week
        ("whats on nxt week", Span("week", 1)),
        ("was ist nächte woche los", Span("week", 1)),
        ("was steht nachste Woche an?", Span("week", 1)),
        ("anything on nxt weekend?", Span("weekend", 1)),
        # no span: a greeting, the morning, several weeks, a week of the year
        ("Guten Morgen, wann ist das Symposium?", None),
        ("Welche Veranstaltungen stehen in den nächsten Wochen an?", None),
        ("What events are coming up in the next weeks?", None),
        ("Ist das Büro unter der Woche besetzt?", None),
    ],
)
def test_the_span_a_question_names(text: str, span: Span | None) -> None:
    assert naming.named_in(text).span == span, text


def test_was_is_typed_for_was_ist_asks_what_is_on() -> None:
    """ "was is nächste woche los": the rule reads it (and the language detection reads it
    as German: `test_was_is_and_german_words_are_answered_in_german`)."""
    text = "was is nächste woche los"
    assert naming.intent_of(text) is naming.Intent.UPCOMING, text
    assert naming.named_in(text).span == Span("week", 1), text


@pytest.fixture
async def week(bot: Harness) -> dict[str, Event]:
    """The bot's clock on a Wednesday at 10:00; a talk this evening, a workshop on Thursday,
    an excursion on Saturday, a forum on next week's Tuesday and a conference on next week's
    Friday: none on this week's Friday. "mara" (German) and "tom" (English) are members."""
    ahead = 7 + (2 - days_ahead(bot, 0).weekday()) % 7
    bot.app.services.clock = fixed_clock(days_ahead(bot, ahead, hour=10, minute=0))
    plan = {
        "evening": ("other", 0, "Abendvortrag Indium aus Displays", "Evening Talk on Indium"),
        "thursday": ("workshop", 1, "Werkstattgespräch Zinkstaub", "Workshop on Zinc Dust"),
        "saturday": ("excursion", 3, "Exkursion zur Kupferhütte Ostheim", "Trip to Ostheim"),
        "tuesday": ("forum", 6, "Innovationsforum Batteriekreislauf", "Forum Battery Loop"),
        "friday_after": ("symposium", 9, "Fachtagung Platinmetalle", "Conference on PGMs"),
    }
    events = {
        name: await bot.add_event(
            kind=kind,
            title=title,
            title_en=title_en,
            place="Stadthalle Talbach",
            starts_at=days_ahead(bot, days, hour=18 if days == 0 else 9).astimezone(UTC),
        )
        for name, (kind, days, title, title_en) in plan.items()
    }
    await mara_and_tom(bot)
    return events


def day_shown(bot: Harness, days: int, lang: str, *, weekday: bool = False) -> str:
    """The day `days` after the test's today as the answers name it: `09.12.2026`, `Mi
    09.12.2026`; `2026-12-09`, `Wed 2026-12-09`."""
    day = days_ahead(bot, days)
    shown = f"{day:%Y-%m-%d}" if lang == "en" else f"{day:%d.%m.%Y}"
    if not weekday:
        return shown
    short = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun") if lang == "en" else WEEKDAYS_DE
    return f"{short[day.weekday()]} {shown}"


@pytest.mark.parametrize(
    ("user", "question", "heading", "listed"),
    [
        ("mara", "Was ist am Dienstag los?", "Veranstaltungen am Dienstag, {d6}", ["tuesday"]),
        (
            "mara",
            "Was steht nächste Woche an?",
            "nächste Woche, {d5} – {d11}",
            ["tuesday", "friday_after"],
        ),
        (
            "mara",
            "Gibt es diese Woche eine Veranstaltung?",
            "Veranstaltungen diese Woche, {dm2} – {d4}",
            ["evening", "thursday", "saturday"],
        ),
        (
            "mara",
            "Was ist am Wochenende los?",
            "Veranstaltungen am Wochenende, {d3} – {d4}",
            ["saturday"],
        ),
        ("mara", "Was ist morgen los?", "Veranstaltungen morgen, {w1}", ["thursday"]),
        ("mara", "Ist heute was los?", "Veranstaltungen heute, {w0}", ["evening"]),
        ("tom", "what's on Tuesday?", "Events on Tuesday, {d6}", ["tuesday"]),
        (
            "tom",
            "what's on next week?",
            "Events next week, {d5} – {d11}",
            ["tuesday", "friday_after"],
        ),
        (
            "tom",
            "anything this week?",
            "Events this week, {dm2} – {d4}",
            ["evening", "thursday", "saturday"],
        ),
        ("tom", "anything on at the weekend?", "Events this weekend, {d3} – {d4}", ["saturday"]),
        ("tom", "what's on tomorrow?", "Events tomorrow, {w1}", ["thursday"]),
        ("tom", "anything today?", "Events today, {w0}", ["evening"]),
        # as typed on a phone: no apostrophe, a typo in the time word, another verb
        ("tom", "whats on tuesday", "Events on Tuesday, {d6}", ["tuesday"]),
        (
            "tom",
            "whats on next week",
            "Events next week, {d5} – {d11}",
            ["tuesday", "friday_after"],
        ),
        ("tom", "whats on nxt week", "Events next week, {d5} – {d11}", ["tuesday", "friday_after"]),
        (
            "tom",
            "whats happening next week?",
            "Events next week, {d5} – {d11}",
            ["tuesday", "friday_after"],
        ),
        ("tom", "wats going on tomorrow", "Events tomorrow, {w1}", ["thursday"]),
        ("tom", "what is happening on saturday?", "Events on Saturday, {d3}", ["saturday"]),
        (
            "mara",
            "was ist nächte woche los",
            "nächste Woche, {d5} – {d11}",
            ["tuesday", "friday_after"],
        ),
    ],
)
async def test_what_is_on_at_a_time_in_words_lists_those_events(
    week: dict[str, Event], bot: Harness, user: str, question: str, heading: str, listed: list[str]
) -> None:
    """The days read are said (so a member sees which Tuesday was meant), then the events on
    them, each with its button; the others are not listed."""
    lang = "en" if user == "tom" else "de"
    days = {f"d{n}".replace("-", "m"): day_shown(bot, n, lang) for n in range(-2, 12)}
    days |= {f"w{n}": day_shown(bot, n, lang, weekday=True) for n in range(3)}
    answer = await bot.send(user, question)
    assert heading.format(**days) in answer.text.splitlines()[0], answer.text
    assert_lists(answer, week, listed, user)
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "question", "said"),
    [
        (
            "mara",
            "Gibt es am Freitag was?",
            "Nein, ich finde keine Veranstaltung am Freitag, {d2}.",
        ),
        ("mara", "Was ist übermorgen los?", "Ich finde keine Veranstaltung übermorgen, {w2}."),
        ("mara", "Steht am Mittwoch etwas an?", "Ich finde keine Veranstaltung am Mittwoch, {d7}."),
        ("tom", "anything on Friday?", "I find no event on Friday, {d2}."),
        (
            "tom",
            "Is there anything on the day after tomorrow?",
            "No, I find no event the day after tomorrow, {w2}.",
        ),
    ],
)
async def test_a_time_in_words_without_events_says_so_and_lists_what_is_coming(
    week: dict[str, Event], bot: Harness, user: str, question: str, said: str
) -> None:
    """Next week's Friday has the conference; "am Freitag" is this week's, and has none:
    said so, and everything coming is listed (the conference among it)."""
    lang = "en" if user == "tom" else "de"
    days = {f"d{n}": day_shown(bot, n, lang) for n in (2, 7)}
    days |= {f"w{n}": day_shown(bot, n, lang, weekday=True) for n in (2,)}
    answer = await bot.send(user, question)
    assert answer.text.startswith(said.format(**days)), answer.text
    assert ("Coming up" if lang == "en" else "Das steht an") in answer.text, answer.text
    for event in week.values():
        assert title_for(event, user) in answer.text, answer.text
        assert f"ev:show:{event.id}" in answer.buttons, answer.text
    assert await tickets(bot) == 0


async def test_a_kind_and_a_week_asked_about(week: dict[str, Event], bot: Harness) -> None:
    """ "Gibt es nächste Woche einen Workshop?": this week's Thursday has the workshop;
    said so, with its date; an excursion this weekend is a yes."""
    workshop, excursion = week["thursday"], week["saturday"]
    german = await bot.send("mara", "Gibt es nächste Woche einen Workshop?")
    span = f"nächste Woche, {day_shown(bot, 5, 'de')} – {day_shown(bot, 11, 'de')}"
    assert f"Nein, zu „Workshop · {span}“ finde ich keine" in german.text, german.text
    assert workshop.title in german.text and f"ev:show:{workshop.id}" in german.buttons
    assert week["tuesday"].title not in german.text, german.text
    english = await bot.send("tom", "Is there an excursion this weekend?")
    assert english.text.startswith("Yes: Trip to Ostheim"), english.text
    assert f"ev:join:{excursion.id}" in english.buttons, english.text


@pytest.mark.parametrize(
    ("user", "text", "event"),
    [
        ("mara", "Wann ist der Workshop? Ich habe nächste Woche Urlaub.", "thursday"),
        ("mara", "Gibt es eine Exkursion? Ich würde heute gern mitfahren.", "saturday"),
        ("tom", "When is the excursion? I am away next week.", "saturday"),
    ],
)
async def test_a_time_in_a_sentence_around_the_question_picks_nothing(
    week: dict[str, Event], bot: Harness, user: str, text: str, event: str
) -> None:
    """Days named beside the question, not in it, are the member's own: the event asked
    about is answered, not looked for on those days."""
    answer = await bot.send(user, text)
    assert title_for(week[event], user) in answer.text
    assert f"ev:join:{week[event].id}" in answer.buttons, answer.text
    assert "finde ich keine" not in answer.text and "I find no" not in answer.text


@pytest.mark.parametrize(
    ("user", "question", "heading", "listed"),
    [
        ("mara", "Irgendwelche Veranstaltungen nächste Woche?", "Veranstaltungen nächste Woche", 2),
        ("mara", "Termine am Wochenende?", "Veranstaltungen am Wochenende", 1),
        ("tom", "Any events next week?", "Events next week", 2),
        ("tom", "When are the events tomorrow?", "Events tomorrow", 1),
    ],
)
async def test_events_asked_for_at_a_time_in_words(
    week: dict[str, Event], bot: Harness, user: str, question: str, heading: str, listed: int
) -> None:
    """Asked for events (or dates) at a time, not "when is the next one": those then."""
    answer = await bot.send(user, question)
    assert answer.text.startswith(heading), answer.text
    assert len(event_buttons(answer.buttons)) == listed, answer.text


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("mara", "Ist das Büro am Freitag besetzt?"),
        ("mara", "Hat die Geschäftsstelle morgen geöffnet?"),
        ("mara", "Guten Morgen, ist die Geschäftsstelle heute erreichbar?"),
        ("tom", "Is the office staffed on Friday?"),
        ("tom", "Is the office open next week?"),
        ("mara", "Wann ist morgen die Geschäftsstelle erreichbar?"),
        ("tom", "When is the membership fee due next week?"),
    ],
)
async def test_a_time_in_words_alone_makes_no_event_question(
    week: dict[str, Event], bot: Harness, user: str, question: str
) -> None:
    """Without words asking what is on, a day named is that of something else."""
    assert naming.intent_of(question) is not naming.Intent.UPCOMING, question
    answer = await bot.send(user, question)
    assert not event_buttons(answer.buttons), answer.text
    for event in week.values():
        assert event.title not in answer.text and event.title_en not in answer.text


# --- asked whether there is one, in a few words -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "any forum in march?",
        "any workshop next week?",
        "any excursion this weekend?",
        "noch ein Forum im März?",
        "Forum im März?",
        "noch eine Exkursion nächste Woche?",
    ],
)
def test_a_kind_and_a_time_in_a_few_words_ask_whether_there_is_one(text: str) -> None:
    assert naming.asks_whether_there_is(text), text
    assert naming.intent_of(text) is naming.Intent.UPCOMING, text


@pytest.mark.parametrize(
    "text",
    [
        # a kind and a time, but something else is asked or said
        "Forum im März: wo parke ich?",
        "any news about the forum in march?",
        "Ich komme zum Forum im März.",
        "anything else?",
    ],
)
def test_other_short_messages_ask_not_whether_there_is_one(text: str) -> None:
    assert not naming.asks_whether_there_is(text), text


async def test_any_kind_in_a_month_is_answered_yes_or_no(
    network: dict[str, Event], bot: Harness
) -> None:
    """ "any conference in <month>?": the conference on its date, or no with its date."""
    conference = network["conference"]
    month = local(bot, conference).month
    other = month % 12 + 1
    en = get_month_names("wide", locale="en")
    yes = await bot.send("tom", f"any conference in {en[month].lower()}?")
    assert yes.text.startswith("Yes: Conference on Circular Rare Earths"), yes.text
    assert f"ev:join:{conference.id}" in yes.buttons, yes.text
    no = await bot.send("tom", f"any conference in {en[other].lower()}?")
    assert no.text.startswith("No, I find no upcoming event for “Symposium"), no.text
    assert f"ev:show:{conference.id}" in no.buttons, no.text
    german = await bot.send("mara", f"noch eine Fachtagung im {month_de(other)}?")
    assert german.text.startswith("Nein, zu „Symposium"), german.text
    bare = await bot.send("mara", f"Fachtagung im {month_de(month)}?")
    assert bare.text.startswith("Ja: Fachtagung Seltene Erden im Kreislauf"), bare.text
    assert await tickets(bot) == 0


# --- a month asked about, as typed on a phone ------------------------------------------------


@pytest.mark.parametrize(
    ("today", "span", "first", "last"),
    [
        # a month's name is its next occurrence: March in December is next year's
        (date(2026, 12, 9), Span("month", 3), date(2027, 3, 1), date(2027, 3, 31)),
        (date(2026, 12, 9), Span("month", 2), date(2027, 2, 1), date(2027, 2, 28)),
        # this month is this month (what is left of it is what events are on)
        (date(2026, 12, 9), Span("month", 12), date(2026, 12, 1), date(2026, 12, 31)),
        (date(2027, 3, 31), Span("month", 3), date(2027, 3, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), Span("month", 3), date(2028, 3, 1), date(2028, 3, 31)),
        # a year given is that year's
        (date(2026, 12, 9), Span("month", 3, 2028), date(2028, 3, 1), date(2028, 3, 31)),
        (date(2027, 1, 5), Span("month", 2, 2028), date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_the_days_a_month_names(today: date, span: Span, first: date, last: date) -> None:
    assert span.days(today) == (first, last)


def test_a_month_is_labelled_with_its_year() -> None:
    today = date(2026, 12, 9)
    assert Span("month", 3).label("de", today) == "im März 2027"
    assert Span("month", 3).label("en", today) == "in March 2027"
    assert Span("month", 12, 2027).label("de", today) == "im Dezember 2027"


@pytest.mark.parametrize(
    ("text", "month", "year"),
    [
        ("was ist im Februar los?", 2, None),
        ("Was ist im März 2028 los?", 3, 2028),
        ("what's on in january?", 1, None),
        ("events in march?", 3, None),
        ("Veranstaltungen im Januar?", 1, None),
        ("gibts was im märz", 3, None),
        ("anything in march", 3, None),
        ("Termine im Maerz?", 3, None),
        ("anything on in May 2027?", 5, 2027),
    ],
)
def test_a_month_asked_about_alone(text: str, month: int, year: int | None) -> None:
    """A month named without an event kind, in asking what is on (with its year, if given)."""
    assert naming.intent_of(text) is naming.Intent.UPCOMING, text
    named = naming.named_in(text)
    assert (named.month, named.year) == (month, year), text
    assert not any(stem.isdigit() for stem in named.stems), text  # the year is no title word


@pytest.fixture
async def months(bot: Harness) -> dict[str, Event]:
    """The bot's clock on Wednesday 9 December 2026 at 10:00 in the network's zone; an
    excursion on 16 December, a conference on 19 January 2027, a forum on 23 February 2027,
    a workshop on 10 March 2027 and another on 14 March 2028: none in April. "mara" (German)
    and "tom" (English) are members."""
    zone = bot.app.services.settings.network.tz
    bot.app.services.clock = fixed_clock(datetime(2026, 12, 9, 10, 0, tzinfo=zone))
    plan = {
        "december": (
            "excursion",
            date(2026, 12, 16),
            "Exkursion Zinkhütte Westerau",
            "Trip to Westerau",
        ),
        "january": (
            "symposium",
            date(2027, 1, 19),
            "Fachtagung Batteriemetalle",
            "Battery Metals Day",
        ),
        "february": (
            "forum",
            date(2027, 2, 23),
            "Innovationsforum Kreislaufregion",
            "Circular Forum",
        ),
        "march": ("workshop", date(2027, 3, 10), "Werkstattgespräch Schlacke", "Slag Workshop"),
        "march_later": (
            "workshop",
            date(2028, 3, 14),
            "Werkstattgespräch Kathoden",
            "Cathode Workshop",
        ),
    }
    events = {
        name: await bot.add_event(
            kind=kind,
            title=title,
            title_en=title_en,
            place="Stadthalle Talbach",
            starts_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone).astimezone(UTC),
        )
        for name, (kind, day, title, title_en) in plan.items()
    }
    await mara_and_tom(bot)
    return events


@pytest.mark.parametrize(
    ("user", "question", "heading", "listed"),
    [
        ("mara", "was ist im Februar los?", "Veranstaltungen im Februar 2027", ["february"]),
        ("mara", "gibts was im märz", "Veranstaltungen im März 2027", ["march"]),
        ("mara", "Veranstaltungen im Januar?", "Veranstaltungen im Januar 2027", ["january"]),
        ("mara", "Termine im Dezember?", "Veranstaltungen im Dezember 2026", ["december"]),
        ("mara", "Was ist im März 2028 los?", "Veranstaltungen im März 2028", ["march_later"]),
        ("tom", "anything in march", "Events in March 2027", ["march"]),
        ("tom", "events in march?", "Events in March 2027", ["march"]),
        ("tom", "what's on in january?", "Events in January 2027", ["january"]),
    ],
)
async def test_what_is_on_in_a_month_lists_its_events_under_it(
    months: dict[str, Event],
    bot: Harness,
    user: str,
    question: str,
    heading: str,
    listed: list[str],
) -> None:
    """The month read is said with its year (March in December is next year's), then the
    events in it, each with its button; the others are not listed."""
    answer = await bot.send(user, question)
    assert answer.text.splitlines()[0].startswith(heading), answer.text
    assert_lists(answer, months, listed, user)
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "question", "said"),
    [
        ("mara", "Was ist im April los?", "Ich finde keine Veranstaltung im April 2027."),
        ("mara", "gibts was im april?", "Nein, ich finde keine Veranstaltung im April 2027."),
        ("tom", "anything in april", "I find no event in April 2027."),
        ("tom", "events in april?", "No, I find no event in April 2027."),
        ("tom", "what's on in April?", "I find no event in April 2027."),
    ],
)
async def test_a_month_without_events_says_so_and_lists_what_is_coming(
    months: dict[str, Event], bot: Harness, user: str, question: str, said: str
) -> None:
    answer = await bot.send(user, question)
    assert answer.text.startswith(said), answer.text
    assert ("Coming up" if user == "tom" else "Das steht an") in answer.text, answer.text
    assert title_for(months["december"], user) in answer.text, answer.text
    assert f"ev:show:{months['january'].id}" in answer.buttons, answer.text
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("mara", "Ist das Büro im März geschlossen?"),
        ("mara", "wann ist die Frist im März?"),
        ("mara", "Wann ist der Mitgliedsbeitrag im Januar fällig?"),
        ("tom", "Is the office closed in March?"),
        ("tom", "When is the deadline in March?"),
    ],
)
async def test_a_month_alone_makes_no_event_question(
    months: dict[str, Event], bot: Harness, user: str, question: str
) -> None:
    """Without words asking what is on, a month named is that of something else."""
    answer = await bot.send(user, question)
    assert not event_buttons(answer.buttons), answer.text
    for event in months.values():
        assert event.title not in answer.text and event.title_en not in answer.text


async def test_a_kind_in_a_month_is_still_that_kind_then(
    months: dict[str, Event], bot: Harness
) -> None:
    """ "Gibt es im März einen Workshop?": this March's workshop, not a list of the month."""
    answer = await bot.send("mara", "Gibt es im März einen Workshop?")
    assert answer.text.startswith("Ja: Werkstattgespräch Schlacke"), answer.text
    later = await bot.send("mara", "Gibt es im März 2028 einen Workshop?")
    assert later.text.startswith("Ja: Werkstattgespräch Kathoden"), later.text


# --- a weekday and a kind, as typed on a phone --------------------------------------------------


@pytest.mark.parametrize(
    "question", ["am dienstag was?", "dienstag was los?", "Am Dienstag was los?", "Dienstag was?"]
)
async def test_a_weekday_and_was_asks_what_is_on(
    week: dict[str, Event], bot: Harness, question: str
) -> None:
    answer = await bot.send("mara", question)
    heading = f"Veranstaltungen am Dienstag, {day_shown(bot, 6, 'de')}"
    assert answer.text.startswith(heading), answer.text
    assert f"ev:show:{week['tuesday'].id}" in answer.buttons, answer.text
    assert week["thursday"].title not in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "event"),
    [
        ("gibts nen workshop?", "thursday"),
        ("gibt's n forum?", "tuesday"),
        ("is da ne exkursion?", "saturday"),
        ("gibts ne exkursion?", "saturday"),
        ("Gibt’s nen Workshop?", "thursday"),
        ("ist da n forum?", "tuesday"),
    ],
)
async def test_colloquial_articles_ask_whether_there_is_one(
    week: dict[str, Event], bot: Harness, question: str, event: str
) -> None:
    """ "nen", "n", "ne" for "einen", "ein", "eine"; "is" for "ist": read as "Gibt es einen
    Workshop?", and answered in German."""
    answer = await bot.send("mara", question)
    assert answer.text.startswith(f"Ja: {week[event].title}"), answer.text
    assert f"ev:join:{week[event].id}" in answer.buttons, answer.text
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("gibts nen workshop?", "gibt es einen workshop?"),
        ("gibt's n forum?", "gibt es ein forum?"),
        ("is da ne exkursion?", "ist da eine exkursion?"),
        ("Gibts noch ne Exkursion?", "Gibt es noch eine Exkursion?"),
        # English stays English: "n" after an English word, "is" before one
        ("is there a workshop?", "is there a workshop?"),
        ("is the fish n chips lunch free?", "is the fish n chips lunch free?"),
        # "ne" asking for agreement is no article
        ("Der Workshop ist am Dienstag, ne?", "Der Workshop ist am Dienstag, ne?"),
    ],
)
def test_colloquial_german_is_read_in_full(text: str, read: str) -> None:
    assert naming.with_apostrophes(text) == read


async def test_was_is_and_german_words_are_answered_in_german(
    week: dict[str, Event], bot: Harness
) -> None:
    """ "was is nächste woche los" from a German member: "is" is English, but "nächste",
    "Woche" are German words; plain English from the same member is answered in English."""
    german = await bot.send("mara", "was is nächste woche los")
    assert german.text.startswith("Veranstaltungen nächste Woche"), german.text
    english = await bot.send("mara", "what is on next week")
    assert english.text.startswith("Events next week"), english.text
    there = await bot.send("mara", "is there a workshop")
    assert there.text.startswith("Yes: Workshop on Zinc Dust"), there.text


async def test_a_month_beside_a_title_word_picks_that_months(
    months: dict[str, Event], bot: Harness
) -> None:
    """ "Wann ist das Werkstattgespräch im März 2028?": the title's word names the event,
    the month (and year) which of them."""
    answer = await bot.send("mara", "Wann ist das Werkstattgespräch im März 2028?")
    assert "Werkstattgespräch Kathoden" in answer.text, answer.text
    assert "Werkstattgespräch Schlacke" not in answer.text, answer.text


@pytest.mark.parametrize(
    ("user", "question", "heading", "listed"),
    [
        ("mara", "was is im feb los", "Veranstaltungen im Februar 2027", ["february"]),
        ("mara", "Termine im Okt?", "Nein, ich finde keine Veranstaltung im Oktober 2027", []),
        ("mara", "gibts was im Dez.?", "Veranstaltungen im Dezember 2026", ["december"]),
        ("mara", "was läuft im mrz", "Veranstaltungen im März 2027", ["march"]),
        ("mara", "Was ist im Mär 2028 los?", "Veranstaltungen im März 2028", ["march_later"]),
        ("mara", "Veranstaltungen Anfang Jan?", "Veranstaltungen im Januar 2027", ["january"]),
        ("tom", "whats happening in feb", "Events in February 2027", ["february"]),
        ("tom", "anything in sept?", "I find no event in September 2027", []),
        ("tom", "events in Dec.?", "Events in December 2026", ["december"]),
        ("tom", "what's on in mar?", "Events in March 2027", ["march"]),
    ],
)
async def test_a_month_written_short_is_that_month(
    months: dict[str, Event],
    bot: Harness,
    user: str,
    question: str,
    heading: str,
    listed: list[str],
) -> None:
    """ "im Feb", "in sept", "Dez.": the usual short forms of a month, after a word that
    makes it one, are read as the month in full is."""
    answer = await bot.send(user, question)
    assert answer.text.splitlines()[0].startswith(heading), answer.text
    for name, event in months.items():
        if name in listed:
            assert title_for(event, user) in answer.text.split("\n\n")[0], (name, answer.text)
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    "text",
    [
        "Kann Jan auch zum Workshop kommen?",
        "Ist Jan Becker beim Forum dabei?",
        "may I bring a guest to the forum?",
        "Can Jan come to the workshop?",
        "Dec wants to come to the workshop, is that fine?",
        "Gibt es beim Workshop noch einen Platz für Jan?",
        "Is there a seat for Jan at the forum?",
    ],
)
def test_a_short_month_name_is_no_month_without_a_word_before_it(text: str) -> None:
    """A short form alone ("Jan", "Dec" as names, "may") names no month: only after "im",
    "in", "ab", "Anfang" … or beside a day's number."""
    assert naming.named_in(text).month is None, text


@pytest.mark.parametrize(
    ("text", "day", "month"),
    [("am 23. Feb.", 23, 2), ("on Feb 23", 23, 2), ("am 4. Okt", 4, 10), ("Sept 9th", 9, 9)],
)
def test_a_day_with_a_short_month_name(text: str, day: int, month: int) -> None:
    named = naming.named_in(text).day
    assert named is not None and (named.day, named.month) == (day, month), text


# --- question words as typed on a phone -------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "question", "said"),
    [
        # a letter left out, two swapped: the question word meant
        ("mara", "wan findet die nächste fachtagung statt", "{start}"),
        ("mara", "wnan ist die fachtagung", "{start}"),
        ("tom", "whne is the next conference", "{start}"),
        ("tom", "wehn is the conference?", "{start}"),
        ("tom", "wher is the conference?", "Stadthalle Talbach"),
        # "where's", with the apostrophe or without, is "where is"
        ("tom", "where's the conference?", "Stadthalle Talbach"),
        ("tom", "wheres the conference", "Stadthalle Talbach"),
    ],
)
async def test_a_misspelt_question_word_is_read_as_the_word_meant(
    network: dict[str, Event], bot: Harness, user: str, question: str, said: str
) -> None:
    conference = network["conference"]
    answer = await bot.send(user, question)
    assert title_for(conference, user) in answer.text, answer.text
    start = local(bot, conference)
    expected = said.format(start=f"{start:%d.%m.%Y}" if user == "mara" else str(start.day))
    assert expected in answer.text, answer.text
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("wan ist das", "wann ist das"),
        ("Wnan geht es los?", "Wann geht es los?"),
        ("wehn is it", "when is it"),
        ("Whne does it start", "When does it start"),
        ("wher is it", "where is it"),
        # real words stay: "wen" (whom), "wenn" (if), "wer", "wie", "when", "where"
        ("wen kann ich fragen", "wen kann ich fragen"),
        ("wenn es regnet", "wenn es regnet"),
        ("wer kommt mit", "wer kommt mit"),
        ("where is it", "where is it"),
        ("Wang kommt auch", "Wang kommt auch"),  # a name, as common as "wan"
        ("whats on", "what's on"),
        # only the first word of a question, where a question word stands
        ("das ist ein wan", "das ist ein wan"),
    ],
)
def test_question_words_typed_on_a_phone_are_read_in_full(text: str, read: str) -> None:
    assert naming.with_apostrophes(text) == read, text


# --- the events coming up, or the next one --------------------------------------------------


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("tom", "any events coming up i might attend?"),
        ("tom", "events coming up this season?"),
        ("tom", "anything coming up?"),
        ("tom", "are there any events I could go to"),
        ("mara", "was steht so an?"),
        ("mara", "was steht demnächst an"),
        ("mara", "Was steht bei euch denn so an?"),  # walkthrough: had got choices
        ("mara", "welche Veranstaltungen kommen noch?"),
        ("mara", "Gibt es demnächst Veranstaltungen?"),
    ],
)
async def test_events_coming_up_asked_for_list_them(
    network: dict[str, Event], bot: Harness, user: str, question: str
) -> None:
    answer = await bot.send(user, question)
    listed = await bot.send(user, "/termine" if user == "mara" else "/events")
    for key in ("conference", "open_trip", "workshop"):
        assert title_for(network[key], user) in answer.text, answer.text
    assert answer.text.splitlines()[0] == listed.text.splitlines()[0], answer.text
    assert await tickets(bot) == 0


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("tom", "when is the next event?"),
        ("tom", "whats the next event"),
        ("mara", "Wann ist die nächste Veranstaltung?"),
    ],
)
async def test_the_next_event_asked_for_is_the_next_one_alone(
    network: dict[str, Event], bot: Harness, user: str, question: str
) -> None:
    answer = await bot.send(user, question)
    assert title_for(network["conference"], user) in answer.text, answer.text
    assert title_for(network["open_trip"], user) not in answer.text, answer.text
    assert title_for(network["workshop"], user) not in answer.text, answer.text


async def test_until_when_one_can_sign_up_is_the_deadline_or_that_there_is_none(
    bot: Harness, network: dict[str, Event]
) -> None:
    """ "Anmeldeschluss?" named with an event is its sign-up, which says the deadline; one
    without a deadline says so when asked. A deadline of something else stays the FAQ's."""
    deadline = days_ahead(bot, 40).astimezone(UTC)
    async with bot.db.session() as session:
        trip = await session.get(Event, network["open_trip"].id)
        assert trip is not None
        trip.deadline = deadline
    shown = deadline.astimezone(bot.app.services.settings.network.tz).strftime("%d.%m.%Y")
    for asked in (
        "bis wann kann ich mich für die Exkursion zum Wertstoffhof anmelden?",
        "anmeldeschluss exkursion wertstoffhof?",
    ):
        answer = await bot.send("mara", asked)
        assert "Anmeldeschluss: " in answer.text and shown in answer.text, answer.text
        assert f"ev:join:{network['open_trip'].id}" in answer.buttons, answer.buttons
    answer = await bot.send("tom", "what's the registration deadline for the workshop?")
    assert "has no sign-up deadline" in answer.text, answer.text
    assert f"ev:join:{network['workshop'].id}" in answer.buttons, answer.buttons
    answer = await bot.send("mara", "Wann ist Anmeldeschluss für die Fachtagung?")
    assert "gibt es keinen Anmeldeschluss" in answer.text, answer.text
    # no event named: not an event's sign-up
    answer = await bot.send("mara", "Welche Frist gilt für die Kündigung der Mitgliedschaft?")
    assert event_buttons(answer.buttons) == [], answer.text


# --- a paper about taking part ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("mara", "Stellt die Geschäftsstelle für die Fachtagung Teilnahmebescheinigungen aus?"),
        ("mara", "Bekomme ich nach der Exkursion eine Bestätigung, dass ich dabei war?"),
        ("mara", "Wann kommt die Rechnung für den Workshop?"),
        ("tom", "Can I get proof of attendance for the conference?"),
        ("tom", "Will there be certificates for taking part in the workshop?"),
        ("tom", "When do I receive the receipt for the excursion?"),
    ],
)
async def test_a_paper_about_taking_part_is_no_sign_up_question(
    network: dict[str, Event], bot: Harness, user: str, question: str
) -> None:
    """A certificate, a confirmation, an invoice asked for of an event: the FAQ's or the
    office's, with the event beside it; never only its sign-up offer or its date."""
    assert naming.intent_of(question) is None, question
    answer = await bot.send(user, question)
    assert "Tippen Sie" not in answer.text and "tap “" not in answer.text, answer.text
    assert "ev:join" not in " ".join(answer.buttons), answer.text
    assert (
        "faq:of:" in " ".join(answer.buttons)
        or "Clustergeschäftsstelle" in answer.text
        or "office" in answer.text
    ), answer.text


@pytest.mark.parametrize(
    "text",
    [
        "Melden Sie mich bitte für das Innovationsforum am 24. Februar an",
        "meld mich für die Exkursion am 3. März an",
        # asked whether one may come along, as "Kann ich an der Exkursion teilnehmen?" is
        # (it had been the FAQ's general answer, or the office's, beside the event)
        "Kann ich bei der Exkursion mitfahren?",
        "Dürfen wir beim Workshop mitmachen?",
        "Can I come along to the excursion?",
        # wanting to come along, the verb left out (it had become a ticket for the office)
        "ok cool, will bei der exkursion zu harzmetall mit",
        "Wir möchten gern mit zum Workshop",
    ],
)
def test_a_sign_up_naming_the_day_keeps_its_separated_an(text: str) -> None:
    # (walkthrough: the day's dot had ended the clause, the "an" was read alone: FAQ topics)
    assert naming.intent_of(text) is naming.Intent.SIGNUP, text
