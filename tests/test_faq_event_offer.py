"""An FAQ answer, choices or a question handed to the office whose question names an
upcoming event, offers that event's date and sign-up one press away: the knowledge base says
what the conference is, not when this year's takes place."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import select

from bot.demo import DEMO_DIR
from handlers.events.demo import seed_events
from storage.faq import FaqTicket
from tests.dates import days_ahead
from tests.harness import Chat, Harness

# An invented network: one entry about its yearly conference, one about membership.
KB = """
[[faq]]
id = "tagung"
tags = ["Fachtagung", "conference"]
question.de = ["Worum geht es bei der jährlichen Fachtagung?"]
question.en = ["What is the yearly conference about?"]
answer.de = "Die Fachtagung zeigt Forschung und Praxis; die Gebühr nennt die Einladung."
answer.en = "The conference shows research and practice; the invitation names the fee."

[[faq]]
id = "beitritt"
tags = ["Mitgliedschaft", "membership"]
question.de = ["Wie wird meine Firma Mitglied im Netzwerk?"]
question.en = ["How does my company join the network?"]
answer.de = "Die Geschäftsstelle schickt Ihnen den Aufnahmeantrag."
answer.en = "The office sends you the application form."
"""

DE = "📅 Termin und Anmeldung"
EN = "📅 Date and sign-up"


@pytest.fixture
async def network(bot: Harness) -> Harness:
    """The knowledge base, and a conference in 40 days; "mara" speaks German, "tom" English."""
    await bot.import_kb(KB)
    await bot.add_event(
        kind="symposium",
        title="Fachtagung Rückgewinnung im Kreislauf",
        title_en="Conference on Circular Recovery",
        place="Stadthalle Talbach",
        starts_at=days_ahead(bot, 40).astimezone(UTC),
        capacity=60,
    )
    await bot.onboard("mara", lang="de")
    await bot.onboard("tom", lang="en")
    return bot


def offers(chat: Chat) -> list[str]:
    return [p for p in chat.buttons if p.startswith("faq:of:")]


async def test_an_answer_about_the_conference_offers_its_date_and_sign_up(
    network: Harness,
) -> None:
    answer = await network.send("mara", "Was kostet die Fachtagung?")
    assert "die Gebühr nennt die Einladung" in answer.text, answer.text
    shown = await network.press("mara", answer.button(DE))
    assert "Fachtagung Rückgewinnung im Kreislauf" in shown.text
    assert "Stadthalle Talbach" in shown.text and "0/60" in shown.text
    assert shown.button("Anmelden").startswith("ev:join:")

    english = await network.send("tom", "What does the conference cost?")
    assert "the invitation names the fee" in english.text, english.text
    shown = await network.press("tom", english.button(EN))
    assert "Conference on Circular Recovery" in shown.text
    assert shown.button("Sign up").startswith("ev:join:")


async def test_beside_choices_the_offer_comes_before_asking_the_office(network: Harness) -> None:
    offered = await network.send("mara", "Gibt es bei der Fachtagung Fahrradstellplätze?")
    assert offered.text == "Meinten Sie eines dieser Themen?", offered.text
    assert offered.buttons[-1].startswith("faq:ho:")  # "Nichts davon" stays the last
    assert offered.buttons[-2] == offered.button(DE)


async def test_an_answer_about_no_event_offers_none(network: Harness) -> None:
    answer = await network.send("mara", "Wie wird meine Firma Mitglied?")
    assert "Aufnahmeantrag" in answer.text, answer.text
    assert offers(answer) == []


async def test_no_offer_when_no_such_event_is_coming(bot: Harness) -> None:
    await bot.import_kb(KB)
    await bot.onboard("mara", lang="de")
    answer = await bot.send("mara", "Was kostet die Fachtagung?")
    assert "die Gebühr nennt die Einladung" in answer.text, answer.text
    assert offers(answer) == []


async def test_a_young_professionals_event_is_offered_to_them_only(network: Harness) -> None:
    await network.add_event(
        kind="excursion",
        title="Nachwuchsexkursion Schmelzhütte Talbach",
        title_en="Early-Career Excursion to the Talbach Smelter",
        place="Schmelzhütte Talbach",
        starts_at=days_ahead(network, 20).astimezone(UTC),
        capacity=10,
        audience="yp",
    )
    asked = await network.send("mara", "Darf ich meinen Hund zur Exkursion mitbringen?")
    assert offers(asked) == [], asked.text
    await network.onboard("jana", lang="de")
    await network.send("jana", "/youngpro ja")
    asked = await network.send("jana", "Darf ich meinen Hund zur Exkursion mitbringen?")
    shown = await network.press("jana", asked.button(DE))
    assert "Nachwuchsexkursion Schmelzhütte Talbach" in shown.text


async def test_a_handed_off_question_on_the_conference_offers_it_and_stays_open(
    network: Harness,
) -> None:
    asked = await network.send(
        "mara", "Wir kommen mit dem Rollstuhl: gibt es bei der Fachtagung einen Aufzug?"
    )
    assert "Ticket #1" in asked.text, asked.text
    shown = await network.press("mara", asked.button(DE))
    assert "Fachtagung Rückgewinnung im Kreislauf" in shown.text
    async with network.db.session() as session:
        (ticket,) = (await session.execute(select(FaqTicket))).scalars()
    assert ticket.status == "open"  # the date is no answer to what the office was asked


async def test_the_demo_answers_what_the_symposium_costs_one_press_away(bot: Harness) -> None:
    """The demo's answer says the fee is in the invitation; the event behind the button
    names it (a walkthrough found the way led nowhere)."""
    await seed_events(bot.db, now=bot.app.services.clock())
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("mara", lang="de")
    answer = await bot.send("mara", "Was kostet das Symposium?")
    shown = await bot.press("mara", answer.button(DE))
    assert "Teilnahmegebühr 180 €, für Mitglieder 120 €" in shown.text, shown.text


@pytest.mark.parametrize(
    ("user", "question"),
    [
        ("mara", "Darf man bei der Fachtagung auch als Mitglied einer Partnerfirma rein?"),
        ("tom", "Must my company be a member of the network to come to the conference?"),
    ],
)
async def test_an_answer_on_something_else_offers_the_event_the_question_names(
    network: Harness, user: str, question: str
) -> None:
    """Whichever entry answers (here: joining the network), a question naming an upcoming
    event gets its date and sign-up one press away."""
    answer = await network.send(user, question)
    assert offers(answer), answer.text
    shown = await network.press(user, answer.button(DE if user == "mara" else EN))
    assert "Talbach" in shown.text, shown.text


async def test_the_offer_pressed_after_an_answer_in_the_other_language_speaks_it(
    network: Harness,
) -> None:
    """A member who chose German writes in English: the answer is in English, and so is what
    its button shows and everything pressed from there (the sign-up), as is the other way
    round; a command afterwards speaks the member's setting again, and so do its buttons."""
    english = await network.send("mara", "What does the conference cost?")
    assert "the invitation names the fee" in english.text, english.text
    shown = await network.press("mara", english.button(EN))
    assert "Conference on Circular Recovery" in shown.text, shown.text
    assert "places taken" in shown.text and "Plätze" not in shown.text, shown.text
    joined = await network.press("mara", shown.button("Sign up"))
    assert "You are signed up" in joined.text, joined.text

    german = await network.send("tom", "Was kostet die Fachtagung?")
    assert "die Gebühr nennt die Einladung" in german.text, german.text
    shown = await network.press("tom", german.button(DE))
    assert "Fachtagung Rückgewinnung im Kreislauf" in shown.text, shown.text
    assert "Plätze belegt" in shown.text, shown.text
    assert shown.button("Anmelden").startswith("ev:join:")

    listed = await network.send("mara", "/termine")
    assert "Kommende Veranstaltungen" in listed.text, listed.text
    again = await network.press("mara", listed.buttons[0])
    assert "Fachtagung Rückgewinnung im Kreislauf" in again.text, again.text
    # "Cancel sign-up" was shown in English; shown again as "Abmelden", it speaks German
    assert again.button("Abmelden") == joined.button("Cancel sign-up")
    left = await network.press("mara", again.button("Abmelden"))
    assert "abgemeldet" in left.text, left.text
    member = await network.member("mara")
    assert member is not None and member.language == "de"  # her setting stays


async def test_the_details_of_a_live_answer_in_the_other_language_speak_it(
    network: Harness,
) -> None:
    """'When is the conference?' from a member who chose German is answered in English with
    the event's date; its 'Details' button shows the event in English too."""
    answer = await network.send("mara", "When is the conference?")
    assert "Conference on Circular Recovery" in answer.text, answer.text
    shown = await network.press("mara", answer.button("Details"))
    assert "Conference on Circular Recovery" in shown.text, shown.text
    assert "places taken" in shown.text and shown.button("Sign up"), shown.text


async def test_a_place_named_for_another_day_is_not_the_event_there(network: Harness) -> None:
    # the conference is in Talbach in 40 days: tomorrow's weather there is the office's
    weather = await network.send("mara", "Wie wird das Wetter morgen in Talbach?")
    assert "Ticket #1" in weather.text, weather.text
    assert offers(weather) == []
    async with network.db.session() as session:
        (ticket,) = (await session.execute(select(FaqTicket))).scalars()
    assert "Fachtagung" not in ticket.context, ticket.context
    # named for its own day, or without a day, the place is the conference's
    # (parking there is the way's answer: the place and a map, `test_event_the_way`)
    wifi = await network.send("tom", "Is there wifi in Talbach for the conference?", lang="en")
    assert offers(wifi), wifi.text


async def test_the_offices_place_is_not_the_event_there(network: Harness) -> None:
    """The office's parking in the conference's town is no question about the conference
    (walkthrough: "Parkplatz an der Geschäftsstelle in Goslar" was offered the forum)."""
    office = await network.send(
        "mara", "Gibt es einen Parkplatz an der Geschäftsstelle in Talbach?"
    )
    assert offers(office) == [], office.text
    conference = await network.send("mara", "Gibt es WLAN bei der Fachtagung in Talbach?")
    assert offers(conference), conference.text
