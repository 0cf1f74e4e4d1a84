"""Who or how many have signed up, asked in words, is never a sign-up of the one asking: the
office sees the roster (what /teilnehmer shows) or each event's count with a button to its
roster; a member sees the counts and learns that the names are the office's (walkthrough:
an admin asking who had signed up was offered to sign herself up, and "ja" would have)."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import func, select

from handlers.events.roster_question import asks_how_many_signed_up, asks_who_signed_up
from storage.events import EventSignup
from tests.dates import days_ahead
from tests.harness import Harness


async def _signups(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(EventSignup)) or 0)


@pytest.fixture
async def events(bot: Harness) -> tuple[int, int]:
    """A conference (ida signed up) and a workshop; "admin" is the office."""
    conference = await bot.add_event(
        kind="symposium",
        title="Fachtagung Altkatalysatoren",
        title_en="Conference on Spent Catalysts",
        starts_at=days_ahead(bot, 40).astimezone(UTC),
        capacity=60,
    )
    workshop = await bot.add_event(
        kind="workshop",
        title="Werkstatt Lötzinn",
        title_en="Solder workshop",
        starts_at=days_ahead(bot, 20).astimezone(UTC),
    )
    await bot.onboard("ida", lang="de")
    await bot.onboard("sam", lang="en")
    await bot.onboard("admin", lang="de")
    await bot.send("ida", f"/anmelden {conference.id}")
    return conference.id, workshop.id


@pytest.mark.parametrize(
    "text",
    [
        "Wer ist denn schon für die Fachtagung angemeldet?",
        "wer hat sich zur tagung eingetragen",
        "Wer kommt alles zur Fachtagung?",
        "Teilnehmerliste der Fachtagung bitte",
    ],
)
async def test_office_asking_who_gets_the_roster_not_a_signup(
    bot: Harness, events: tuple[int, int], text: str
) -> None:
    before = await _signups(bot)
    reply = await bot.send("admin", text)
    assert "Teilnehmende: Fachtagung Altkatalysatoren" in reply.text
    assert "Anmelden" not in reply.text and not any(b.startswith("ev:join") for b in reply.buttons)
    yes = await bot.send("admin", "ja")
    assert "angemeldet für" not in yes.text.lower()
    assert await _signups(bot) == before


@pytest.mark.parametrize(
    ("text", "total"),
    [
        ("wie viele haben sich bisher insgesamt angemeldet?", "1 insgesamt"),
        ("Wieviele Anmeldungen gibt es schon?", "1 insgesamt"),
    ],
)
async def test_office_asking_how_many_gets_each_events_count(
    bot: Harness, events: tuple[int, int], text: str, total: str
) -> None:
    conference, workshop = events
    reply = await bot.send("admin", text)
    assert "eine Person insgesamt" in reply.text or total in reply.text
    assert "1/60 Plätze belegt" in reply.text and "/teilnehmer" in reply.text
    assert f"eva:att:{conference}" in reply.buttons and f"eva:att:{workshop}" in reply.buttons
    assert await _signups(bot) == 1


async def test_office_asking_in_english(bot: Harness, events: tuple[int, int]) -> None:
    await bot.send("admin", "/sprache en")
    reply = await bot.send("admin", "who has registered for the conference?")
    assert "Attendees: Conference on Spent Catalysts" in reply.text


@pytest.mark.parametrize(
    ("user", "text", "said"),
    [
        ("sam", "who signed up for the conference?", "seen only by the cluster office"),
        ("sam", "how many people have registered so far?", "seen only by the cluster office"),
        ("ida", "Wer ist für die Werkstatt angemeldet?", "sieht nur die Clustergeschäftsstelle"),
        ("ida", "wie viele leute kommen zur werkstatt?", "sieht nur die Clustergeschäftsstelle"),
    ],
)
async def test_member_asking_who_is_never_signed_up(
    bot: Harness, events: tuple[int, int], user: str, text: str, said: str
) -> None:
    reply = await bot.send(user, text)
    assert said in reply.text
    assert not reply.buttons
    await bot.send(user, "yes" if user == "sam" else "ja")
    assert await _signups(bot) == 1  # ida's own, from before
    assert "ida" not in reply.text  # no names for members


@pytest.mark.parametrize(
    "text",
    [
        "Wer kann sich für die Werkstatt anmelden?",
        "who can register for the workshop?",
        "Wie viele Plätze sind noch frei?",
        "how many people can attend the workshop?",
        "Ich möchte mich für die Werkstatt anmelden",
        "Bin ich schon angemeldet?",
        "Wer kommt als Partner für das Projekt in Frage?",
        "Who can I ask about the conference?",
        "Wie viele Mitglieder kommen aus Sachsen-Anhalt?",
        "how many members come from Leipzig?",
        "Streichen Sie mich bitte von der Teilnehmerliste",
    ],
)
def test_not_a_question_about_who_signed_up(text: str) -> None:
    assert not asks_who_signed_up(text) and not asks_how_many_signed_up(text)
