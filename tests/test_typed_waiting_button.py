"""A button's words typed after its message went out of sight (another answer came in between)
press it when exactly one button of what waits for the member (what /offen lists) says them:
"interessiert" after an office ticket's reply had been told "Zu „interessiert“ gibt es gerade
keine Auswahl". Said by the buttons of several waiting things, those are shown again with the
question which one is meant."""

from __future__ import annotations

from storage.events import CONFIRMED
from tests.harness import Harness
from tests.test_partner_walkthrough import states
from tests.test_pending import offered, signup_states
from tests.test_typed_yes_partner_request import sent

ASIDE = "Wie ist das Wetter morgen in Clausthal"  # any message whose answer comes in between


async def test_interessiert_after_another_answer_presses_the_waiting_request(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", "/offen")
    await bot.send("hanna", ASIDE)
    said = (await bot.send("hanna", "interessiert")).text
    assert "keine Auswahl" not in said, said
    assert "Danke" in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["interested"], said


async def test_not_for_me_typed_later_in_english_declines(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", "/language en")
    await bot.send("hanna", ASIDE)  # never saw the buttons in this chat: words of /pending's
    said = (await bot.send("hanna", "not for me")).text
    assert "no choice" not in said, said
    assert await states(bot, recipient_id=ids["hanna"]) == ["declined"], said


async def test_take_the_place_typed_later_takes_it(bot: Harness) -> None:
    await bot.onboard("w")
    [hettstedt] = await offered(bot, "w", ["Haldenbegehung Hettstedt"])
    await bot.send("w", "/offen")
    await bot.send("w", ASIDE)
    said = (await bot.send("w", "Platz annehmen")).text
    assert "Platz angenommen" in said, said
    assert await signup_states(bot, "w") == {hettstedt: CONFIRMED}, said


async def test_words_of_two_waiting_requests_ask_which_one(bot: Harness) -> None:
    ids = await sent(bot, "eva", "finn")
    await bot.send("hanna", "/offen")
    await bot.send("hanna", ASIDE)
    said = await bot.send("hanna", "interessiert")
    assert "Welche meinen Sie?" in said.text, said.text
    assert "#1" in said.text and "#2" in said.text, said.text
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent", "sent"], said.text
    pressed = await bot.press("hanna", said.replies[-1].buttons[0][0].payload)
    assert "Danke" in pressed.text, pressed.text
    assert sorted(await states(bot, recipient_id=ids["hanna"])) == ["interested", "sent"]


async def test_a_question_with_the_words_is_no_press(bot: Harness) -> None:
    ids = await sent(bot, "eva")
    await bot.send("hanna", ASIDE)
    await bot.send("hanna", "interessiert?")
    assert await states(bot, recipient_id=ids["hanna"]) == ["sent"]
