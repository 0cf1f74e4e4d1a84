"""/offen listing a partner request and an open poll: a typed yes is tied to neither (the poll
asks for a date, the request for interest; the member may mean either). It is asked which one,
with both shown again; it had been "👍 Alles klar" (nothing happened) or, with words after it,
the FAQ's choices on cancelling the membership."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_event_poll_young_pros import votes, yp_poll
from tests.test_partner_walkthrough import states
from tests.test_typed_yes_partner_request import sent

ASKED = {"de": "Worauf antworten Sie mit", "en": "Which one are you answering with"}


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("de", "ja"), ("de", "ja gerne"), ("en", "yes"), ("en", "sure thing")],
)
async def test_a_yes_under_a_request_and_a_poll_asks_which(
    bot: Harness, lang: str, typed: str
) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", f"/language {lang}")
    await bot.send("hanna", "/youngpro ja" if lang == "de" else "/youngpro yes")
    number = await yp_poll(bot)
    listed = await bot.send("hanna", "/offen" if lang == "de" else "/pending")
    assert listed.replies and any(r.poll for r in listed.replies), listed.text
    said = await bot.send("hanna", typed)
    assert ASKED[lang] in said.text, said.text
    assert "Alles klar" not in said.text and "All right" not in said.text, said.text
    assert "Mitgliedschaft" not in said.text and "membership" not in said.text, said.text
    # both shown again: the request's buttons and the poll
    assert any(r.poll for r in said.replies), said.text
    assert any(r.buttons for r in said.replies), said.text
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"]
    assert not await votes(bot, number, "hanna")


async def test_a_no_under_a_request_and_a_poll_asks_which(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", "/youngpro ja")
    await yp_poll(bot)
    await bot.send("hanna", "/offen")
    said = await bot.send("hanna", "nein")
    assert ASKED["de"] in said.text, said.text
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"]
