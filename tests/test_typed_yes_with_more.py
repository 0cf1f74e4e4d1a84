"""Under a message asking one yes-or-no question (a partner request received, a place offered),
an answer that starts with a clear yes or no and goes on ("klar machen wir, wir haben ein
ICP-OES im Labor") is that answer, as the buttons give it; the rest is said not to be passed on
(the buttons carry no note). It had become an office ticket. A question stays a question: by
its mark, or a question word after the yes ("ja, aber wann ist das"); so does a yes with a
"nicht" after it, and an "ok" that goes on."""

from __future__ import annotations

import pytest

from bot.delivery_worker import DeliveryWorker
from storage.events import CONFIRMED
from tests.harness import Harness
from tests.partners_fixtures import import_members
from tests.test_broadcast import FAST
from tests.test_partner_walkthrough import states, typed_console
from tests.test_pending import offer_a_place, offered, signup_states
from tests.test_typed_yes_partner_request import LAB, sent


async def request_delivered(bot: Harness, lang: str = "de") -> dict[str, int]:
    """eva's lab request reaches hanna (speaking `lang`), delivered to her console chat."""
    ids = await import_members(bot)
    await bot.send("hanna", f"/language {lang}")
    preview = await bot.send("eva", LAB)
    await bot.press("eva", preview.button("Ja, senden"))
    console, out = await typed_console(bot, "hanna")
    shown = bot.app.dispatcher.shown
    worker = DeliveryWorker(bot.db, {"console": console}, settings=FAST, choices=shown)
    await worker.drain(10)
    label = "Interested" if lang == "en" else "Interessiert"
    # the harness's chat is not the console's own: its buttons are marked, not numbered
    assert f"[·] {label}" in out.getvalue(), out.getvalue()
    return ids


@pytest.mark.parametrize(
    ("lang", "typed", "rest"),
    [
        (
            "de",
            "klar machen wir, wir ham nen icp-oes im labor",
            "„machen wir, wir ham nen icp-oes im labor“) habe ich nicht weitergegeben",
        ),
        (
            "de",
            "Ja – wir analysieren Schwarzmasse seit Jahren.",
            "„wir analysieren Schwarzmasse seit Jahren.“) habe ich nicht weitergegeben",
        ),
        (
            "en",
            "yes, we run an ICP-OES in our lab",
            "(“we run an ICP-OES in our lab”) was not passed on",
        ),
    ],
)
async def test_a_yes_that_goes_on_is_interested_and_the_rest_is_said_kept(
    bot: Harness, lang: str, typed: str, rest: str
) -> None:
    ids = await request_delivered(bot, lang)
    said = (await bot.send("hanna", typed)).text
    assert "Ticket" not in said and "ticket" not in said, said
    assert rest in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"], said


@pytest.mark.parametrize(
    ("lang", "typed"), [("de", "klar, machen wir gern"), ("en", "yes, we will do it")]
)
async def test_a_yes_said_again_in_more_words_leaves_nothing_behind(
    bot: Harness, lang: str, typed: str
) -> None:
    # "machen wir gern" only says the yes again: no "not passed on" for it (walkthrough)
    ids = await request_delivered(bot, lang)
    said = (await bot.send("hanna", typed)).text
    assert "weitergegeben" not in said and "passed on" not in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"], said


@pytest.mark.parametrize(
    ("lang", "typed", "rest"),
    [
        ("de", "nein, wir machen keine Analytik", "nicht weitergegeben"),
        ("en", "no, we do not do any analytics", "was not passed on"),
    ],
)
async def test_a_no_that_goes_on_is_not_for_me(
    bot: Harness, lang: str, typed: str, rest: str
) -> None:
    ids = await request_delivered(bot, lang)
    said = (await bot.send("hanna", typed)).text
    assert rest in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["declined"], said


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("de", "ja, aber wann ist das?"),
        ("de", "ja aber wann ist das"),
        ("de", "Ja, wie viele Proben wären das denn"),
        ("de", "ja, leider nicht vor März"),
        ("de", "ok, ich schaue mir das in Ruhe an"),
        ("en", "yes, but how many samples are there"),
        ("en", "sure, is that paid work?"),
    ],
)
async def test_a_question_or_a_hedge_after_a_yes_answers_nothing(
    bot: Harness, lang: str, typed: str
) -> None:
    ids = await request_delivered(bot, lang)
    said = (await bot.send("hanna", typed)).text
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"], said


async def test_a_yes_that_goes_on_under_offen_is_interested(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", "/offen")
    said = (await bot.send("hanna", "klar machen wir, wir ham nen icp-oes im labor")).text
    assert "Ticket" not in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"], said


async def test_a_yes_that_goes_on_takes_an_offered_place(bot: Harness) -> None:
    number, _until = await offer_a_place(bot)
    await bot.send("w", "/offen")
    said = (await bot.send("w", "ja, den nehme ich sehr gerne")).text
    assert "Platz angenommen" in said, said
    assert await signup_states(bot, "w") == {number: CONFIRMED}, said


@pytest.mark.parametrize(
    ("lang", "typed", "asked"),
    [
        ("de", "ja", "Worauf antworten Sie mit „ja“?"),
        ("de", "klar machen wir, wir ham nen icp-oes im labor", "Worauf antworten Sie mit „klar“?"),
        ("en", "yes, we run an ICP-OES in our lab", "Which one are you answering with “yes”?"),
    ],
)
async def test_a_yes_under_two_waiting_things_asks_which_one(
    bot: Harness, lang: str, typed: str, asked: str
) -> None:
    """/offen lists a place offered and a partner request: a yes answers neither, and is asked
    which one, with both shown again (it had been "👍 Alles klar" or an office ticket)."""
    ids = await import_members(bot)
    await bot.send("hanna", f"/language {lang}")
    [hettstedt] = await offered(bot, "hanna", ["Haldenbegehung Hettstedt"])
    preview = await bot.send("eva", LAB)
    await bot.press("eva", preview.button("Ja, senden"))
    await bot.send("hanna", "/offen")
    said = await bot.send("hanna", typed)
    assert asked in said.text, said.text
    assert "Alles klar" not in said.text and "icket" not in said.text, said.text
    labels = [b.label for r in said.replies for row in r.buttons for b in row]
    assert len(labels) == 4, labels
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"], said.text
    assert await signup_states(bot, "hanna") == {hettstedt: "offered"}, said.text


@pytest.mark.parametrize(
    "typed",
    ["ne Frage hätte ich noch zur Mitgliedschaft", "gerne hätte ich Infos zum Symposium"],
)
async def test_a_short_no_or_a_gerne_that_goes_on_answers_nothing(bot: Harness, typed: str) -> None:
    ids = await request_delivered(bot)
    said = (await bot.send("hanna", typed)).text
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"], said
