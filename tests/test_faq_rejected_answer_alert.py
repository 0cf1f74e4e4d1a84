"""A member turns an answer down (👎) and passes the question to the office: the admins'
alert names the answer the member rejected, in the admin's language, so that the office does
not send the same again. A question no answer was rejected for says nothing of the kind."""

from __future__ import annotations

import pytest

from storage.models import OutboxMessage
from tests.harness import Chat, Harness
from tests.test_faq import rows, seed_kb
from tests.test_faq_thumbs_down import KB, WHEN_AND_HOW_MUCH

REJECTED = {
    "de": (
        "Diese Antwort fand das Mitglied nicht hilfreich (👎): "
        "„Was kostet die Mitgliedschaft im Jahr?“"
    ),
    "en": "The member found this answer not helpful (👎): “What does membership cost per year?”",
}
FEE = {"de": "Wie hoch ist der Mitgliedsbeitrag?", "en": "How high is the membership fee?"}


@pytest.fixture
async def office(bot_any: Harness) -> Harness:
    await seed_kb(bot_any)
    return bot_any


async def alert_text(bot: Harness) -> str:
    (alert,) = [m for m in await rows(bot, OutboxMessage) if m.kind == "faq_office_alert"]
    return str(alert.payload["text"])


def thumbs_down(chat: Chat) -> str:
    return next(p for p in chat.buttons if p.startswith("faq:fb:") and p.endswith(":0"))


def office_button(chat: Chat) -> str:
    return next(p for p in chat.buttons if p.startswith("faq:ho:"))


@pytest.mark.parametrize(("admin", "member"), [("de", "de"), ("en", "en"), ("en", "de")])
async def test_the_alert_names_the_answer_the_member_rejected(
    office: Harness, admin: str, member: str
) -> None:
    await office.send("admin", f"/language {admin}")
    await office.onboard("mia", lang=member, org="Goslarer Hütte")
    answered = await office.send("mia", FEE[member])
    sorry = await office.press("mia", thumbs_down(answered))
    passed = await office.press("mia", office_button(sorry))
    assert "#1" in passed.text, passed.text
    text = await alert_text(office)
    assert REJECTED[admin] in text, text


@pytest.mark.parametrize("admin", ["de", "en"])
async def test_a_question_without_an_answer_names_none(office: Harness, admin: str) -> None:
    await office.send("admin", f"/language {admin}")
    await office.onboard("mia", lang="de", org="Goslarer Hütte")
    await office.send("mia", "Kann ich meinen Hund mitbringen?")
    text = await alert_text(office)
    assert "👎" not in text, text


@pytest.mark.parametrize(
    ("admin", "named"),
    [
        (
            "de",
            "Diese Antworten fand das Mitglied nicht hilfreich (👎): „Wie hoch ist der "
            "Mitgliedsbeitrag?“, „Kann ich den Mitgliedsbeitrag in Raten zahlen?“",
        ),
        (
            "en",
            "The member found these answers not helpful (👎): “How much is the membership "
            "fee?”, “Can I pay the membership fee in instalments?”",
        ),
    ],
)
async def test_an_answer_picked_after_the_first_and_rejected_too_is_named_as_well(
    bot_any: Harness, admin: str, named: str
) -> None:
    await bot_any.import_kb(KB)
    await bot_any.send("admin", f"/language {admin}")
    answered = await bot_any.send("mia", WHEN_AND_HOW_MUCH)
    sorry = await bot_any.press("mia", thumbs_down(answered))
    picked = await bot_any.press("mia", sorry.button("Kann ich den Mitgliedsbeitrag in Raten"))
    again = await bot_any.press("mia", thumbs_down(picked))
    await bot_any.press("mia", office_button(again))
    text = await alert_text(bot_any)
    assert named in text, text
