"""The words of the buttons the bot showed in each chat lately: the latest choices, and older.

A member who types a button's words instead of pressing it means that button, never a
question ("#2 zurückziehen" after /meinefragen was answered with the FAQ entry on cancelling
the membership; "Nichts davon – an die Geschäftsstelle" became the text of an office ticket).
Where choices are typed (console, Matrix) the latest ones' words press them; what reaches
the dispatcher as text is then an older message's button, one of two buttons worded alike, or
a button on a platform where buttons are tapped. The latest choices follow the rule the
transports keep: the buttons of the replies to one update, until a newer reply with buttons,
or one with text that does not point to them, takes their place (a reply that keeps them,
`KEEPS_CHOICES`, adds its own buttons to them).

The outbox's deliveries to a member's own chat are told here too, by the delivery worker
(`delivered`): one with buttons takes the latest choices' place, one without leaves them
(`delivery_takes_choices`). Those to groups and rooms are not (the dispatcher's
`STANDING_BUTTONS` name the buttons that stand under them). In memory only: a restart forgets.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.messages import (
    KEEPS_CHOICES,
    MORE_PRESSES,
    NO_GOES_ON,
    NO_PRESSES,
    NO_SAYS,
    NOT_HELPFUL_PRESSES,
    TYPED_OFFER,
    YES_ASKS_WHICH,
    YES_PRESSES,
    Reply,
    delivery_takes_choices,
    plain_text,
)
from bot.recent import Key
from bot.transports.base import Respond

# An older button's words count for this long after it was replaced (a session's
# worth), at most this many labels per chat, and at most this many chats (the oldest go first).
OLDER_MINUTES = 120
MAX_OLDER = 60
MAX_CHATS = 10_000
# The choices shown before the latest are told (`earlier_payloads`) for this long after they
# were replaced, at most this many: what a member still talks about a few messages on.
EARLIER_MINUTES = 30
MAX_EARLIER = 6
# Told among the earlier choices where the member turned to something else (`turned`).
TURNED = "/"


@dataclass(frozen=True)
class YesNo:
    """What a typed plain yes or no answers to the latest choices (`messages.YES_PRESSES`):
    the payload a yes presses; the text a no is answered with, or the payload it presses;
    the payload a typed "mehr" presses (`MORE_PRESSES`), and a typed "hilft mir nicht"
    (`NOT_HELPFUL_PRESSES`); where a yes says none of several
    choices (`YES_ASKS_WHICH`), those choices, to show again with the question which one; the
    hand-off offers' buttons a typed message may mean (`TYPED_OFFER`); and `several`: the
    latest choices are several messages', one or more of them asking yes or no (/offen
    listing two, or a partner request and a poll): a typed yes or no answers none of them."""

    press: str = ""
    no_says: str = ""
    no_press: str = ""
    more: str = ""
    not_helpful: str = ""
    which: Reply | None = None
    # (offer name, payload) of the hand-off offers a typed message may press (`TYPED_OFFER`)
    offers: tuple[tuple[str, str], ...] = ()
    several: bool = False
    # what follows a typed no is a message of its own (`messages.NO_GOES_ON`)
    no_goes_on: bool = False

    @property
    def asks(self) -> bool:
        """Whether a typed yes or no answers this one question."""
        return bool(self.press or self.no_press or self.no_says)

    @classmethod
    def of(cls, reply: Reply) -> YesNo:
        """What `reply` says a typed yes or no answers (nothing when it says nothing)."""
        meta = reply.metadata
        press = meta.get(YES_PRESSES, "")
        which = None
        several = sum(len(row) for row in reply.buttons) > 1
        if meta.get(YES_ASKS_WHICH) and not press and several:
            # shown again as the latest choices, not added to them (`KEEPS_CHOICES` left out)
            kept = {key: value for key, value in meta.items() if key != KEEPS_CHOICES}
            which = Reply(buttons=reply.buttons, metadata=kept)
        return cls(
            press,
            meta.get(NO_SAYS, ""),
            meta.get(NO_PRESSES, ""),
            meta.get(MORE_PRESSES, ""),
            meta.get(NOT_HELPFUL_PRESSES, ""),
            which,
            tuple(
                (key.removeprefix(TYPED_OFFER), value)
                for key, value in meta.items()
                if key.startswith(TYPED_OFFER)
            ),
            no_goes_on=bool(meta.get(NO_GOES_ON)),
        )


@dataclass
class _Chat:
    update_id: str = ""  # the update the latest choices answer
    latest: list[str] = field(default_factory=list)
    # the payloads of the latest choices' buttons, in the order shown
    payloads: list[str] = field(default_factory=list)
    older: deque[tuple[str, datetime]] = field(default_factory=lambda: deque(maxlen=MAX_OLDER))
    # the payloads of the choices before the latest (none for a reply without buttons that
    # took their place), the newest first, each with when it was replaced
    earlier: deque[tuple[tuple[str, ...], datetime]] = field(
        default_factory=lambda: deque(maxlen=MAX_EARLIER)
    )
    # what a typed yes presses and a typed no is told, of the latest choices (`YES_PRESSES`)
    yes_no: YesNo = YesNo()
    asking: int = 0  # how many of the latest choices' messages ask yes or no
    messages: int = 0  # how many messages the latest choices are on

    def replace_latest(
        self, labels: list[str], update_id: str, now: datetime, payloads: list[str]
    ) -> None:
        self.older.extend((label, now) for label in self.latest)
        self.earlier.appendleft((tuple(self.payloads), now))
        self.latest, self.update_id, self.payloads = labels, update_id, payloads
        self.yes_no = YesNo()
        self.asking = 0
        self.messages = 1 if labels else 0


class ShownButtons:
    """Per member and chat, the labels of the latest choices and of older ones."""

    def __init__(
        self, *, window: timedelta = timedelta(minutes=OLDER_MINUTES), max_chats: int = MAX_CHATS
    ) -> None:
        self.window = window
        self.max_chats = max_chats
        self._chats: OrderedDict[Key, _Chat] = OrderedDict()

    def recording(self, key: Key, update_id: str, respond: Respond, now: datetime) -> Respond:
        """`respond` that remembers the buttons of each reply it sends to this chat."""

        async def send(reply: Reply) -> str | None:
            self.seen(key, update_id, reply, now)
            return await respond(reply)

        return send

    def seen(self, key: Key, update_id: str, reply: Reply, now: datetime) -> None:
        """Remember `reply`, sent in answer to `update_id`."""
        labels = _labels(reply)
        chat = self._chats.get(key)
        same_update = chat is not None and chat.update_id == update_id
        if labels:
            chat = self._chat(key)
            # several answers to one message, or an answer to one item of a list whose
            # others are still to answer (`KEEPS_CHOICES`): all their buttons stand
            if same_update or reply.metadata.get(KEEPS_CHOICES):
                # A yes among several messages' choices (/offen: two members to introduce,
                # a place offered) is no answer to one of them.
                alone = not chat.latest
                chat.latest += labels
                chat.payloads += _payloads(reply)
                chat.update_id = update_id
                chat.asking += YesNo.of(reply).asks
                chat.messages += 1
                # One of them asking beside another's choices (/offen: a partner request and
                # a date poll) is no more tied to the one that asks: the member may mean
                # either (it had been "👍 Alles klar", nothing done).
                several = chat.asking > 1 or (chat.asking > 0 and chat.messages > 1)
                chat.yes_no = YesNo.of(reply) if alone else YesNo(several=several)
            else:
                chat.replace_latest(labels, update_id, now, _payloads(reply))
                chat.yes_no = YesNo.of(reply)
                chat.asking = int(chat.yes_no.asks)
        elif chat is not None and not same_update and _points_away(reply):
            chat.replace_latest([], update_id, now, [])

    def delivered(self, key: Key, reply: Reply, now: datetime) -> None:
        """Remember `reply`, delivered by the outbox to this member's chat: its buttons are the
        latest choices now; without any, the choices stay (`delivery_takes_choices`)."""
        if delivery_takes_choices(reply):
            chat = self._chat(key)
            chat.replace_latest(_labels(reply), "", now, _payloads(reply))
            chat.yes_no = YesNo.of(reply)
            chat.asking = int(chat.yes_no.asks)

    def latest(self, key: Key) -> list[str]:
        """The labels of the choices the member sees last (may be empty)."""
        chat = self._chats.get(key)
        return list(chat.latest) if chat is not None else []

    def latest_payloads(self, key: Key) -> tuple[str, ...]:
        """The payloads of the buttons of the choices the member sees last (may be none):
        what the latest message is about ("ev:leave:3" under a sign-up just made)."""
        chat = self._chats.get(key)
        return tuple(chat.payloads) if chat is not None else ()

    def turned(self, key: Key, now: datetime) -> None:
        """The member turned to something else (a command): the choices shown before the
        latest are told as `TURNED`, about something else, before any older ones."""
        chat = self._chats.get(key)
        if chat is not None:
            chat.earlier.appendleft(((TURNED,), now))

    def earlier_payloads(self, key: Key, now: datetime) -> tuple[tuple[str, ...], ...]:
        """The payloads of the choices shown before the latest, one tuple per message (or
        update) that replaced them, the newest first, replaced within `EARLIER_MINUTES`
        before `now`: what the conversation was about a few messages back ("ev:show:3"
        under an event's details, then the office's hand-off of a question about it)."""
        chat = self._chats.get(key)
        if chat is None:
            return ()
        window = timedelta(minutes=EARLIER_MINUTES)
        found: list[tuple[str, ...]] = []
        for payloads, at in chat.earlier:
            if not timedelta(0) <= now - at <= window:
                break
            found.append(payloads)
        return tuple(found)

    def yes_no(self, key: Key) -> YesNo:
        """What a typed yes or no answers, when the latest choices are a question one button
        answers; an empty `YesNo` otherwise."""
        chat = self._chats.get(key)
        return chat.yes_no if chat is not None else YesNo()

    def older(self, key: Key, now: datetime) -> list[str]:
        """The labels of older messages' buttons, replaced within the window before `now`."""
        chat = self._chats.get(key)
        if chat is None:
            return []
        return [label for label, at in chat.older if timedelta(0) <= now - at <= self.window]

    def _chat(self, key: Key) -> _Chat:
        chat = self._chats.pop(key, None) or _Chat()
        self._chats[key] = chat
        while len(self._chats) > self.max_chats:
            self._chats.popitem(last=False)
        return chat

    def __len__(self) -> int:
        return len(self._chats)


def _points_away(reply: Reply) -> bool:
    """A reply with text that does not point to the choices above: they are older now."""
    return bool(reply.text) and not reply.metadata.get(KEEPS_CHOICES)


def _payloads(reply: Reply) -> list[str]:
    return [b.payload for row in reply.buttons for b in row]


def _labels(reply: Reply) -> list[str]:
    """The words that press a reply's choices: its buttons' labels and its poll's options."""
    labels = [plain_text(b.label) for row in reply.buttons for b in row]
    if reply.poll is not None:
        labels += [plain_text(option) for option in reply.poll.options]
    return labels
