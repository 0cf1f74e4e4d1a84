"""The language each shown button's message was written in (bot/spoken.py): a press is
answered in it while the member's setting is what it was, and memory stays bounded."""

from __future__ import annotations

from bot.messages import Button, Reply
from bot.spoken import ButtonLanguages

MARA = ("console", "chat-mara", "mara")
TOM = ("console", "chat-tom", "tom")


def _reply(*payloads: str) -> Reply:
    return Reply(text="…", buttons=tuple((Button(p, p),) for p in payloads))


def test_a_press_speaks_the_language_its_message_was_written_in() -> None:
    spoken = ButtonLanguages()
    spoken.shown(MARA, _reply("faq:of:1:events", "faq:ho:1"), "en", "de")
    assert spoken.of(MARA, "faq:of:1:events", "de") == "en"
    assert spoken.of(TOM, "faq:of:1:events", "en") is None  # another chat's buttons
    assert spoken.of(MARA, "ev:join:1", "de") is None  # never shown here
    # shown again in her own language (/termine): that one from now on
    spoken.shown(MARA, _reply("faq:of:1:events"), "de", "de")
    assert spoken.of(MARA, "faq:of:1:events", "de") == "de"


def test_a_language_chosen_since_the_message_wins() -> None:
    spoken = ButtonLanguages()
    spoken.shown(MARA, _reply("evf:confirm:save:abc"), "de", "de")
    assert spoken.of(MARA, "evf:confirm:save:abc", "en") is None  # /language en meanwhile


def test_only_the_latest_payloads_and_chats_are_kept() -> None:
    spoken = ButtonLanguages(max_payloads=2, max_chats=1)
    spoken.shown(MARA, _reply("a", "b", "c"), "en", "de")
    assert [spoken.of(MARA, p, "de") for p in "abc"] == [None, "en", "en"]
    spoken.shown(TOM, _reply("a"), "de", "en")
    assert len(spoken) == 1 and spoken.of(MARA, "b", "de") is None
    spoken.shown(TOM, Reply(text="no buttons"), "en", "en")  # nothing to note
    assert spoken.of(TOM, "a", "en") == "de"
