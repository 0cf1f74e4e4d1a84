"""Asked when the next event or meeting is, with none planned, a member hears that none is
planned, as /termine says it, in German and English: no ticket, no empty list under "which
one?" (walkthrough 2026-12-06). Invented phrasings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from storage.faq import FaqTicket
from tests.dates import days_ahead
from tests.harness import Harness


@pytest.mark.parametrize(
    ("lang", "text", "said"),
    [
        ("en", "when's the next meeting?", "No events are planned at the moment."),
        ("en", "any idea when the next event takes place?", "No events are planned at the moment."),
        (
            "de",
            "wann ist denn das nächste treffen",
            "Zurzeit sind keine Veranstaltungen geplant.",
        ),
        (
            "de",
            "Wann ist die nächste Veranstaltung?",
            "Zurzeit sind keine Veranstaltungen geplant.",
        ),
        # the walkthrough's "when is the next meetup?" became a ticket: words that say "event"
        # by their form, an English noun of a verb and "up", a German compound
        ("en", "so when's our next meetup", "No events are planned at the moment."),
        (
            "de",
            "Wann ist das nächste Mitgliedertreffen?",
            "Zurzeit sind keine Veranstaltungen geplant.",
        ),
    ],
)
async def test_next_event_asked_with_none_planned(
    bot: Harness, lang: str, text: str, said: str
) -> None:
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("mo", lang=lang)
    reply = await bot.send("mo", text)
    assert reply.text.strip() == said, reply.text
    async with bot.db.session() as session:
        assert not await session.scalar(select(func.count()).select_from(FaqTicket))


async def test_a_meetup_asked_is_the_next_event_and_a_title_word_its_event(bot: Harness) -> None:
    await bot.onboard("mo", lang="en")
    await bot.add_event(
        kind="other",
        title="Werkstattgespräch Kobalt",
        title_en="Cobalt Workshop Talk",
        place="Goslar",
        starts_at=days_ahead(bot, 10),
        capacity=20,
    )
    await bot.add_event(
        kind="other",
        title="Harztreffen der Recycler",
        title_en="Harztreffen of the Recyclers",
        place="Wernigerode",
        starts_at=days_ahead(bot, 30),
        capacity=50,
    )
    reply = await bot.send("mo", "when is the next meetup?")
    assert "Cobalt Workshop Talk" in reply.text and "Harztreffen" not in reply.text, reply.text
    reply = await bot.send("mo", "when is the Harztreffen?")
    assert "Harztreffen" in reply.text and "Cobalt" not in reply.text, reply.text
