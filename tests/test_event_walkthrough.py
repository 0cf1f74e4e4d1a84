"""What a new admin and member met in a walkthrough of events: the guided form's number steps,
event buttons with odd titles, the audit line of a chat-made event, reminders across a change of
summer time, young professionals' events in /events, an end typed as a time alone, and the
series step's error message."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from tests.dates import days_ahead, typed
from tests.harness import Chat, Harness

BERLIN = ZoneInfo("Europe/Berlin")


async def _to_capacity(bot: Harness) -> None:
    """The guided /newevent up to "How many places?"."""
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", "Exkursion Goslar")
    await bot.send("admin", typed(days_ahead(bot, 60)))
    await bot.press("admin", "evf:repeat:-")
    await bot.press("admin", "evf:end:-")
    await bot.send("admin", "Goslar")


def _asks_for_a_number(chat: Chat) -> bool:
    """The answer shows the skip button and says a typed number is the answer, not a button."""
    asked = [r for r in chat.replies if r.buttons]
    return bool(asked) and all(r.metadata.get("typed") == "number" for r in asked)


async def test_a_number_asked_again_is_still_a_number_not_the_skip_button(bot: Harness) -> None:
    await _to_capacity(bot)
    for wrong in ("-5", "1000000000"):
        again = await bot.send("admin", wrong)
        assert "keine Platzzahl" in again.text and "Wie viele Plätze" in again.text
        assert "evf:capacity:-" in again.buttons
        assert _asks_for_a_number(again), again.replies
    # the question shown again after a command keeps its lettered choices as well
    await bot.send("admin", "/help")
    resumed = await bot.send("admin", "/newevent")
    assert "Wie viele Plätze" in resumed.text and _asks_for_a_number(resumed), resumed.replies
    assert "Anmeldeschluss" in (await bot.send("admin", "1")).text
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    await bot.send("admin", "-")
    await bot.send("admin", "-")
    preview = await bot.press("admin", "evf:announce:no")
    assert "0/1 Plätze" in preview.text, preview.text
