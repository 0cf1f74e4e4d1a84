"""Asked when the next event or meeting is, with none planned, a member hears that none is
planned, as /termine says it, in German and English: no ticket, no empty list under "which
one?" (walkthrough 2026-12-06). Invented phrasings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from storage.faq import FaqTicket
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
