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
from storage.faq import FaqTicket
from tests.harness import Harness

VISIT_DE = (
    "Führung durch die Schmelzerei mit Laborbesuch. Bitte Sicherheitsschuhe und lange Hosen "
    "mitbringen; Helme werden gestellt. Mittagessen in der Kantine, danach Rückfahrt."
)
VISIT_EN = (
    "Tour of the smelting works with a visit to the lab. Please bring safety shoes and long "
    "trousers; helmets are provided. Lunch in the canteen, then the way back."
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
                "Mittagessen im Foyer.",
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
    ("user", "asked", "said"),
    [
        ("de", "Gibt es bei der Exkursion ein Mittagessen?", "Mittagessen in der Kantine"),
        ("de", "muss ich sicherheitsschuhe mitbringen", "Bitte Sicherheitsschuhe und lange"),
        ("de", "Bekommen wir auf der Exkursion Helme?", "Helme werden gestellt"),
        ("en", "do I need safety shoes for the excursion?", "Please bring safety shoes"),
        ("en", "is there lunch on the excursion", "Lunch in the canteen"),
    ],
)
async def test_what_the_description_says_is_quoted_with_the_office_one_tap_away(
    described: Harness, user: str, asked: str, said: str
) -> None:
    reply = await described.send(user, asked)
    assert said in reply.text, reply.text
    title = "Exkursion Zinnhütte" if user == "de" else "Excursion to the tin smelter"
    assert title in reply.text
    assert reply.button("Details").startswith("ev:show:")
    assert await tickets(described) == 0  # nothing passed on unasked
    # the office all the same, if the member wants: a typed yes is the button
    await described.send(user, "ja" if user == "de" else "yes")
    assert await tickets(described) == 1


async def test_a_description_answers_only_what_it_says(described: Harness) -> None:
    # a question no description says anything about is answered as before
    reply = await described.send("de", "Darf man bei der Exkursion fotografieren?")
    assert "Beschreibung" not in reply.text, reply.text
    # a rare word of one event's description names it; of several, none is meant surely
    reply = await described.send("de", "Gibt es ein Förderprogramm für Projektideen?")
    assert "Beschreibung von „Forum Kreislauf“" in reply.text, reply.text
    reply = await described.send("de", "Gibt es ein Mittagessen?")
    assert "Beschreibung" not in reply.text, reply.text
    # what the knowledge base answers directly stays its answer
    reply = await described.send("de", "Wie kann meine Organisation Mitglied werden?")
    assert "Beschreibung" not in reply.text and "Beitrittsformular" in reply.text, reply.text


def test_a_description_adds_only_what_a_direct_answer_does_not_say() -> None:
    start = datetime(2027, 3, 2, 9, tzinfo=UTC)
    forum = Event(
        id=7,
        kind="forum",
        title="Forum Kreislauf",
        title_en="",
        place="Goslar",
        starts_at=start,
        description="Vorträge und Poster aus den Projekten. Imbiss im Foyer.",
        description_en="",
    )
    asked = "Kann ich beim Forum einen Vortrag halten?"
    assert [p.sentences for p in passages(asked, [forum], True, "de")] == [
        ("Vorträge und Poster aus den Projekten.",)
    ]
    # the FAQ's answer speaks of talks itself: the description adds nothing to it
    faq_answer = "Vorschläge für Vorträge nimmt die Geschäftsstelle während des Aufrufs entgegen."
    assert passages(asked, [forum], True, "de", faq_answer) == []
    assert passages("Gibt es beim Forum Poster?", [forum], True, "de", faq_answer)
