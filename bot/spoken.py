"""The language each button was shown in lately, per chat: a press is answered in it (and
its words, which the audit log of an admin's press shows beside its payload).

A member who chose German and writes in English is answered in English (the dispatcher's
`_free_text`); the buttons under that answer ("📅 Date and sign-up", "Sign up", "Details")
must go on in English, though the press carries only its payload and the member's setting
says German (the walkthrough's list of events came in German beside an English answer). So
each reply's buttons are noted with the language the reply was written in (`Context.reply`),
and a press of one is answered in that language; what it shows then is noted in it too, so a
whole way of presses stays in the language it began in. A button shown again in the member's
own language (/termine) is answered in that one from then on, and one shown before the member
chose another language (/sprache) in the one chosen.

In memory only, like `bot/shown.py`: after a restart, or for a button of a message the outbox
delivered (written in the member's language), the member's setting answers.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.messages import Reply, plain_text
from bot.recent import Key

# At most this many payloads per chat (the oldest go first), and this many chats.
MAX_PAYLOADS = 200
MAX_CHATS = 10_000
# Payloads are cut to what the router reads of them (`Dispatcher._route_button`).
PAYLOAD_CHARS = 64
# Between a button's words and its payload in the audit log's detail of an admin's press.
LABEL_END = " · "


class ButtonLanguages:
    """Per member and chat, the language each recently shown button's reply was written in."""

    def __init__(self, *, max_payloads: int = MAX_PAYLOADS, max_chats: int = MAX_CHATS) -> None:
        self.max_payloads = max_payloads
        self.max_chats = max_chats
        # per chat: payload -> (the language shown in, the member's setting then, its label)
        self._chats: OrderedDict[Key, OrderedDict[str, tuple[str, str, str]]] = OrderedDict()

    def shown(self, key: Key, reply: Reply, lang: str, setting: str) -> None:
        """Note that `reply`, written in `lang`, was shown in this chat to a member whose
        language setting was `setting`."""
        buttons = [button for row in reply.buttons for button in row]
        if not buttons:
            return
        chat = self._chats.pop(key, None) or OrderedDict()
        self._chats[key] = chat
        for button in buttons:
            payload = button.payload[:PAYLOAD_CHARS]
            chat.pop(payload, None)  # shown again: the newest language counts
            chat[payload] = (lang, setting, plain_text(button.label))
        while len(chat) > self.max_payloads:
            chat.popitem(last=False)
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)

    def of(self, key: Key, payload: str, setting: str) -> str | None:
        """The language the button `payload` was last shown in here; None when not known, or
        when the member's setting is no longer `setting` (they chose a language since)."""
        chat = self._chats.get(key)
        shown = chat.get(payload[:PAYLOAD_CHARS]) if chat is not None else None
        if shown is None or shown[1] != setting:
            return None
        return shown[0]

    def label_of(self, key: Key, payload: str) -> str | None:
        """The words of the button `payload` as last shown here (an office's audit log says
        "Senden", not "bc:preview:send:48b5c4"); None when not known."""
        chat = self._chats.get(key)
        shown = chat.get(payload[:PAYLOAD_CHARS]) if chat is not None else None
        return shown[2] if shown is not None else None

    def __len__(self) -> int:
        return len(self._chats)
