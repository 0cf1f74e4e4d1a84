"""A member who received a partner request ("Passt das zu Ihnen?", with "Interessiert" /
"Nicht für mich") asks who is asking ("wer fragt da an?", "who is asking?"): the bot says what
is true (the organisation the request names; contact details only once they press
"Interessiert" and the asker agrees to an introduction), never the FAQ. A typed "ja"/"yes"
right after is "Interessiert" when one request waits for them, and nothing when several do."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.test_partner_walkthrough import states
from tests.test_typed_yes_partner_request import sent

ASKER = "Brocken Sensorik (fiktiv)"  # eva's organisation
TOLD = {
    "de": (
        "Die Partneranfrage #1 kommt von Brocken Sensorik (fiktiv).",
        "Kontaktdaten erhalten Sie beide erst, wenn Sie „Interessiert“ antippen und die "
        "anfragende Seite einer Vorstellung zustimmt",
    ),
    "en": (
        "Partner request #1 comes from Brocken Sensorik (fiktiv).",
        "You both get each other's contact details only once you tap “Interested” and the "
        "asking side agrees to an introduction",
    ),
}
FAQ = {"de": "Meinten Sie", "en": "Did you mean"}


@pytest.mark.parametrize(
    ("lang", "asked", "yes"),
    [
        ("de", "wer fragt da an?", "ja"),
        ("de", "Wer ist das?", "ja"),
        ("en", "who is asking?", "yes"),
        ("en", "Who is it?", "yes"),
    ],
)
async def test_who_asks_is_told_and_a_yes_after_is_interested(
    bot: Harness, lang: str, asked: str, yes: str
) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", f"/language {lang}")
    told = await bot.send("hanna", asked)
    for line in TOLD[lang]:
        assert line in told.text, told.text
    assert FAQ[lang] not in told.text, told.text
    assert told.button("Interessiert" if lang == "de" else "Interested")
    await bot.send("hanna", yes)
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"]


@pytest.mark.parametrize(
    ("lang", "asked", "yes", "named"),
    [
        ("de", "Wer fragt da an?", "ja", "Bode Hartmetall (fiktiv)"),
        ("en", "who is asking?", "yes", "Bode Hartmetall (fiktiv)"),
    ],
)
async def test_with_two_requests_both_are_named_and_a_yes_answers_neither(
    bot: Harness, lang: str, asked: str, yes: str, named: str
) -> None:
    ids = await sent(bot, "eva", "finn")
    await bot.send("hanna", f"/language {lang}")
    told = await bot.send("hanna", asked)
    assert ASKER in told.text and named in told.text, told.text
    assert "/offen" in told.text or "/pending" in told.text, told.text
    assert FAQ[lang] not in told.text, told.text
    await bot.send("hanna", yes)
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent", "sent"]


@pytest.mark.parametrize(("lang", "asked"), [("de", "wer fragt da an?"), ("en", "who is asking?")])
async def test_once_answered_it_is_a_question_for_the_faq_again(
    bot: Harness, lang: str, asked: str
) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", f"/language {lang}")
    await bot.send("hanna", "/offen")
    await bot.send("hanna", "ja")  # interested: nothing waits for her answer now
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"]
    told = await bot.send("hanna", asked)
    assert ASKER not in told.text, told.text
