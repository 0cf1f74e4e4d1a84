"""How to get to an event: its place with a map link and what its description says about
getting there, with the office one tap away (the date and place line the member had just
read had been repeated)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from storage.faq import FaqTicket
from tests.harness import Harness

MAP = "https://www.openstreetmap.org/search?query="


@pytest.fixture
async def events(bot: Harness) -> Harness:
    """The demo's knowledge base; an excursion whose description says how to get there, a
    forum whose description does not, and an online meeting."""
    now = bot.app.services.clock()
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    for kind, title, title_en, days, place, description, description_en in [
        (
            "excursion",
            "Exkursion Zinnhütte",
            "Excursion to the tin smelter",
            12,
            "Zinnhütte, Am Hüttenweg 3, Oker",
            "Führung durch die Hütte. Der Bus fährt um 7:30 Uhr am Bahnhof Goslar ab. "
            "Mittagessen in der Kantine.",
            "Tour of the smelter. The bus leaves Goslar station at 7:30. Lunch in the canteen.",
        ),
        (
            "forum",
            "Forum Kreislauf",
            "Circularity forum",
            30,
            "Kaiserpfalz, Goslar",
            "Projektideen und Förderprogramme. Mittagessen im Foyer.",
            "Project ideas and funding programmes. Lunch in the foyer.",
        ),
        (
            "meeting",
            "Online-Stammtisch",
            "Online get-together",
            40,
            "https://meet.example.org/stammtisch",
            "Austausch am Bildschirm.",
            "",
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
            description=description,
            description_en=description_en,
            capacity=20,
            audience="all",
            reminder_hours=[],
        )
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


async def tickets(bot: Harness) -> list[str]:
    async with bot.db.session() as session:
        rows = await session.execute(select(FaqTicket.text, FaqTicket.context))
        return [f"{question} | {context}" for question, context in rows]


async def test_the_way_after_an_event_gives_its_place_a_map_and_what_its_description_says(
    events: Harness,
) -> None:
    await events.send("de", "Wann ist die Exkursion?")
    reply = await events.send("de", "wie komm ich da hin?")
    assert "„Exkursion Zinnhütte“" in reply.text, reply.text
    assert "findet hier statt: Zinnhütte, Am Hüttenweg 3, Oker" in reply.text
    assert MAP + "Zinnh%C3%BCtte%2C+Am+H%C3%BCttenweg+3%2C+Oker" in reply.text
    assert "Der Bus fährt um 7:30 Uhr am Bahnhof Goslar ab." in reply.text
    assert "Mittagessen" not in reply.text  # only what says how to get there
    assert reply.button("Details").startswith("ev:show:")
    assert await tickets(events) == []  # nothing passed on unasked
    # the office all the same, if the member wants, knowing which event
    await events.send("de", "ja")
    (ticket,) = await tickets(events)
    assert ticket.startswith("wie komm ich da hin?") and "Exkursion Zinnhütte" in ticket


async def test_a_description_silent_on_the_way_is_said_so_in_english(events: Harness) -> None:
    await events.send("en", "when is the circularity forum?")
    reply = await events.send("en", "how do I get there?")
    assert "“Circularity forum”" in reply.text, reply.text
    assert "takes place here: Kaiserpfalz, Goslar" in reply.text
    assert MAP + "Kaiserpfalz%2C+Goslar" in reply.text
    assert "The event's description says nothing about getting there or parking." in reply.text
    assert "Shall I pass your question on" in reply.text
    assert reply.button("Yes, ask the office")


async def test_the_way_to_an_event_named_needs_none_shown_before(events: Harness) -> None:
    reply = await events.send("de", "Anfahrt zur Exkursion?")
    assert "Der Bus fährt um 7:30 Uhr am Bahnhof Goslar ab." in reply.text, reply.text


@pytest.mark.parametrize(
    ("user", "asked", "said"),
    [
        ("en", "how do i get to the circularity forum", "takes place here: Kaiserpfalz"),
        ("de", "wie komm ich zum Forum Kreislauf", "findet hier statt: Kaiserpfalz"),
    ],
)
async def test_the_way_to_an_event_it_names(
    events: Harness, user: str, asked: str, said: str
) -> None:
    """Walkthrough 2026-12-08: "how do i get to the innovation forum" had got the FAQ's entry
    on the forum, "wie komm ich zum innovationsforum" choices."""
    reply = await events.send(user, asked)
    assert said in reply.text and MAP in reply.text, reply.text


async def test_the_way_to_what_is_no_event_is_not_this(events: Harness) -> None:
    await events.send("de", "Wann ist die Exkursion?")
    reply = await events.send("de", "wie komme ich zur Anmeldung?")
    assert "findet hier statt" not in reply.text, reply.text


async def test_an_online_meeting_gets_no_map(events: Harness) -> None:
    await events.send("de", "wann ist der Stammtisch?")
    reply = await events.send("de", "wie kommt man da am besten hin?")
    assert "https://meet.example.org/stammtisch" in reply.text, reply.text
    assert MAP not in reply.text


async def test_the_way_to_the_office_is_not_an_events(events: Harness) -> None:
    await events.send("de", "Wann ist die Exkursion?")
    reply = await events.send("de", "wie komme ich zur Geschäftsstelle?")
    assert "findet hier statt" not in reply.text, reply.text
    assert MAP not in reply.text


async def test_no_ticket_is_opened_unasked(events: Harness) -> None:
    async with events.db.session() as session:
        before = (await session.execute(select(func.count(FaqTicket.id)))).scalar_one()
    await events.send("en", "when is the excursion?")
    await events.send("en", "directions?")
    async with events.db.session() as session:
        after = (await session.execute(select(func.count(FaqTicket.id)))).scalar_one()
    assert before == after == 0


async def test_a_town_its_description_names_is_the_event_just_shown(events: Harness) -> None:
    """Walkthrough 2026-12-08: "what time does the bus leave clausthal?" under the excursion
    whose description says "bus from Clausthal" had got the symposium held in Clausthal."""
    await events.send("en", "when is the excursion?")
    reply = await events.send("en", "what time does the bus leave goslar?")
    assert "Excursion to the tin smelter" in reply.text, reply.text
    assert "The bus leaves Goslar station at 7:30." in reply.text
    assert "Circularity forum" not in reply.text  # held in Goslar, but not asked about


async def test_in_a_group_the_way_is_told_without_the_offer_to_ask_the_office(
    events: Harness,
) -> None:
    reply = await events.send(
        "de", "wie komm ich zum Forum Kreislauf?", private=False, mention=True
    )
    assert "findet hier statt: Kaiserpfalz" in reply.text, reply.text
    assert "Geschäftsstelle weitergeben" not in reply.text
    assert not any(b.startswith("faq:") for b in reply.buttons), reply.buttons


@pytest.mark.parametrize(
    ("user", "first", "asked"),
    [
        ("de", "wann ist das Forum Kreislauf?", "wo genau?"),
        ("de", "wann ist das Forum Kreislauf?", "gibt es da Parkplätze?"),
        ("de", "wann ist das Forum Kreislauf?", "kann man dort parken?"),
        ("en", "when is the circularity forum?", "where exactly is it?"),
        ("en", "when is the circularity forum?", "is there parking?"),
    ],
)
async def test_where_exactly_or_parking_after_an_event_is_the_way_there(
    events: Harness, user: str, first: str, asked: str
) -> None:
    """Session 48: "wo genau?" under an event had repeated its date and place line, and
    "gibt es da Parkplätze?" had been passed to the office with no place or map."""
    await events.send(user, first)
    reply = await events.send(user, asked)
    assert MAP + "Kaiserpfalz%2C+Goslar" in reply.text, reply.text
    silent = {
        "de": "Zu Anreise und Parken steht nichts in der Beschreibung der Veranstaltung.",
        "en": "The event's description says nothing about getting there or parking.",
    }
    assert silent[user] in reply.text
    assert await tickets(events) == []  # the office only if the member wants


async def test_parking_at_the_office_is_not_an_events_way(events: Harness) -> None:
    await events.send("de", "Wann ist die Exkursion?")
    reply = await events.send("de", "Gibt es Parkplätze an der Geschäftsstelle?")
    assert MAP not in reply.text, reply.text


async def test_parking_asked_where_the_description_tells_only_the_bus_says_so(
    events: Harness,
) -> None:
    """Walkthrough (session 48): "gibts da parkplätze?" under a description with the bus alone
    had got the bus, as "wie komm ich da hin" does, and nothing said of parking."""
    await events.send("de", "Wann ist die Exkursion?")
    reply = await events.send("de", "gibts da parkplätze? ich komm evtl mit auto")
    assert "Der Bus fährt um 7:30 Uhr am Bahnhof Goslar ab." in reply.text, reply.text
    assert "Zum Parken steht dort nichts." in reply.text
    way = await events.send("de", "wie komm ich da hin?")
    assert "Parken" not in way.text, way.text
    # passed on, the office reads the member's own words, not "gibt es" as read
    await events.send("de", "/hilfe")
    await events.send("de", "Wann ist die Exkursion?")
    await events.send("de", "gibts da parkplätze?")
    await events.send("de", "ja")
    assert [t.split(" | ")[0] for t in await tickets(events)] == ["gibts da parkplätze?"]
