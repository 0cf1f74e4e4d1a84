"""Admin commands that ask before writing to many people: send, then press what they offer."""

from __future__ import annotations

from tests.harness import Chat, Harness


async def confirmed(bot: Harness, text: str, *labels: str, user: str = "admin") -> Chat:
    """Send `text`, then press each button named (by part of its label) as it comes up;
    *Speichern* when none is named. Returns the last answer."""
    chat = await bot.send(user, text)
    for label in labels or ("Speichern",):
        chat = await bot.press(user, chat.button(label))
    return chat
