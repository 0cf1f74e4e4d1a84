"""The neutral message model: what every transport turns platform updates into, and back.

Reply texts are a small, safe HTML subset (<b>, <i>, <code>, <a href>); every piece of
user-supplied text inside them is escaped by the catalogue (`bot.i18n.t`) or by `escape`.
Telegram sends it with parse mode HTML, Matrix as `formatted_body`, the console strips the tags.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache

from bot.textmatch.normalize import remove_fillers


class Platform(StrEnum):
    TELEGRAM = "telegram"
    MATRIX = "matrix"
    CONSOLE = "console"


def escape(text: str) -> str:
    """Escape user-supplied text for the reply markup."""
    return html.escape(text, quote=True)


_ANY_TAG = re.compile(r"<[^>]+>")


def plain_text(markup: str) -> str:
    """Reply markup as plain text: for places without markup (a terminal, a button, a poll,
    the audit log)."""
    return html.unescape(_ANY_TAG.sub("", markup))


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters: cut at a word with an ellipsis ("Institut für
    Aufbereitung…", not "… Clausthal (fi…"); within a word only where the last space comes
    before half of the room (a long compound, a pasted link: a readable part stays)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    at_word = cut.rsplit(" ", 1)[0].rstrip(" :,;-–(")
    keep = at_word if len(at_word) >= limit // 2 else cut.rstrip()
    return keep + "…"


# Reply metadata: the message points to the choices of the one before ("please use the
# buttons above"), or answers one item of a list whose others are still to answer (/pending);
# where choices are typed (console, Matrix) they still answer, and the message's own buttons
# are numbered on after them. (A message the outbox delivers follows
# `delivery_takes_choices` instead.)
# The most a button's payload holds, in bytes: the smallest platform's limit (Telegram's
# callback data); a handler building one from what was typed checks it.
MAX_PAYLOAD_BYTES = 64
KEEPS_CHOICES = "keeps_choices"
# Reply metadata of a step's question shown again after an answer beside it ("Weiter mit Ihrer
# Registrierung:"): where choices are typed (console, Matrix) its own are numbered from 1,
# not on after the answer's, and a typed number answers the question (as the step reads "1").
STARTS_CHOICES = "starts_choices"
# Reply metadata of a question one button answers ("Möchten Sie sich abmelden?"): the payload
# a typed plain "ja"/"yes" presses, and the text a typed "nein"/"no" is answered with, or the
# payload it presses where a button says no ("Nein, danke"), while it is the latest message
# with choices, and the only one (`bot.shown`). The outbox keeps them (`ANSWERS_TYPED`).
YES_PRESSES = "yes_presses"
NO_SAYS = "no_says"
NO_PRESSES = "no_presses"
# Reply metadata of a question whose no only declines an offer ("Soll ich die Frage an die
# Geschäftsstelle weitergeben?"): what a typed no goes on with ("nein danke, melde mich an")
# is a message of its own, answered as such. Elsewhere the rest of a no explains it ("no, we
# do not do any analytics" under a partner request) and goes nowhere. Any value: set, it holds.
NO_GOES_ON = "no_goes_on"
# The payload prefix of a button that runs a command: "meant:inbox", "meant:calendar all" (the
# command a mistyped one meant, or one a message asked for in words), with the command's own
# checks (an admin's stays one, and is recorded).
MEANT_COMMAND = "meant"
# Reply metadata of a message whose buttons are several things to choose from (the FAQ's
# "Meinten Sie …?", a list of events, news with Anmelden and Details): a typed plain "ja"/"yes"
# says none of them, and is asked which one, with the buttons shown again (it had been small
# talk, "👍 Alles klar", and nothing happened). Any value: set, it holds.
YES_ASKS_WHICH = "yes_asks_which"
# Reply metadata: the payload a typed "mehr"/"more" presses under the message (the FAQ's
# choices: further topics, if there are any).
MORE_PRESSES = "more_presses"
# Reply metadata: the payload a typed "hilft mir nicht", "that didn't help" presses under the
# message (the FAQ's answer: its 👎, `flows.typed_not_helpful`).
NOT_HELPFUL_PRESSES = "not_helpful_presses"
# Reply metadata prefix: `TYPED_OFFER + name` holds the payload of the button of the hand-off
# offer `name` (`bot.router.HandoffOffer`) under the message; a typed message the offer says
# means it (`HandoffOffer.typed`: "abbestellen" beside "Nachrichten abbestellen") presses it.
TYPED_OFFER = "typed_offer:"
ANSWERS_TYPED = (
    YES_PRESSES,
    NO_SAYS,
    NO_PRESSES,
    NO_GOES_ON,
    YES_ASKS_WHICH,
    MORE_PRESSES,
    NOT_HELPFUL_PRESSES,
)
# Reply metadata: what a typed answer to the message is (`"number"`: a typed number is the
# answer, never a press of a button; the console letters such choices).
TYPED = "typed"
# What presses a choice where choices are typed (console, Matrix): its number ("2", "2.",
# "(2)"), its letter where a step asks for a number ("b", "b)"), or a keycap ("2️⃣", "🔟").
_CHOICE_MARK = re.compile(r"\(?\s*(?:\d{1,2}|[a-h])\s*[.)]?|[0-9]\ufe0f?\u20e3|\U0001f51f")


def is_choice_mark(text: str) -> bool:
    """Whether `text` is only the number or letter of a choice. A transport turns one that
    presses a choice into the press; one it left as text pressed nothing (an older message's
    choice, or none at all): it is no question, nor too short a one."""
    return _CHOICE_MARK.fullmatch(text.strip().casefold()) is not None


def names_label(text: str, labels: Sequence[str], *, polite: bool = True) -> bool:
    """Whether `text` is the words of one of `labels` ("hilfreich" for "👍 Hilfreich"); with
    `polite`, also with polite words around them ("anmelden bitte")."""
    typed = _label_words(text)
    return bool(typed) and any(_names(typed, plain_text(label), polite) for label in labels)


_DASH_SEPARATOR = re.compile(r"\s[–—-]\s")


# Umlauts typed as two letters ("ueberspringen", "Loeschen") name the same button.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def _label_words(text: str) -> str:
    folded = text.casefold().translate(_UMLAUTS)  # casefold: "ß" is "ss" already
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def typed_label(text: str, labels: Sequence[str]) -> int | None:
    """The 0-based button whose label a member typed instead of tapping it ("Nicht für mich",
    "hilfreich" for "👍 Hilfreich"): where choices are typed (console, Matrix); else None."""
    typed = _label_words(text)
    if not typed:
        return None
    found = [i for i, label in enumerate(labels) if _names(typed, plain_text(label))]
    return found[0] if len(found) == 1 else None


def _names(typed: str, label: str, polite: bool = True) -> bool:
    """Whether the typed words (`_label_words`) are one of the label's forms, in any order
    ("#3 withdraw" for "Withdraw #3"), also with polite words around them ("anmelden bitte",
    "please sign up" for "Anmelden", "Sign up"; the fillers of bot/textmatch/data): they
    ask for the same press. Polite words alone press only a button that says them."""
    forms = _label_forms(label)
    if _among(typed.split(), forms):
        return True
    if not polite:
        return False
    kept = remove_fillers(typed.split())
    return bool(kept) and _among(kept, forms)


def _among(words: list[str], forms: Sequence[str]) -> bool:
    return " ".join(words) in forms or sorted(words) in (sorted(form.split()) for form in forms)


_ITEM_NUMBER = re.compile(r"\(?\s*#?\s*(\d{1,12})\s*[.)]?")


def item_choice(text: str, items: Sequence[int | None]) -> int | None:
    """The 0-based button of the numbered item `text` names ("2", "#2", "2." for item 2:
    `Button.item`, one per button); None when it names no number, or not exactly one button's
    item (a question asking for a number has buttons without items: "2" is its answer)."""
    number = _ITEM_NUMBER.fullmatch(text.strip())
    if number is None:
        return None
    found = [i for i, item in enumerate(items) if item == int(number.group(1))]
    return found[0] if len(found) == 1 else None


def label_begun(text: str, labels: Sequence[str]) -> str | None:
    """The one label of `labels` whose words `text` begins in whole words and leaves unfinished
    ("Nichts" for "Nichts davon – an die Geschäftsstelle"); None when none or several do.
    A start presses nothing (only a button's number or all its words do): it is asked about."""
    typed = _label_words(text)
    if not typed:
        return None
    found = {
        plain_text(label)
        for label in labels
        for form in _label_forms(plain_text(label))
        if form.startswith(typed + " ")
    }
    return found.pop() if len(found) == 1 else None


# A list's item as its button shows it: its number and name, shortened ("#2 Innovation Forum
# Harz Recycling…").
_LIST_ITEM = re.compile(r"#\d+ ")


def is_list_item(label: str) -> bool:
    """Whether words that begin `label` name it: it is a list item's ("Innovation Forum" or
    "Innovationsforum" for "#2 Innovation Forum Harz Recycling…", whose name is cut and cannot
    be typed whole); the feature that showed the list reads them as it does any name. Other
    buttons' first words press nothing ("Nichts" for "Nichts davon – an die Geschäftsstelle")."""
    return bool(_LIST_ITEM.match(plain_text(label)))


@cache
def _label_forms(label: str) -> tuple[str, ...]:
    """A label's words; without the number it starts with ("#4 Exkursion Goslar" is typed
    "Exkursion Goslar"); the words before its dash, which name it ("Nichts davon" for
    "Nichts davon – an die Geschäftsstelle"); and each of those in the other language, where
    the catalogue says them in both ("interested" for "Interessiert")."""
    words = _label_words(label)
    forms = [words]
    number, _, rest = words.partition(" ")
    if number.isdecimal() and rest:
        forms.append(rest)
    name = _DASH_SEPARATOR.split(label, maxsplit=1)[0]
    if name != label and _label_words(name):
        forms.append(_label_words(name))
    translated = _translated_labels()
    for form in tuple(forms):
        forms.extend(other for other in translated.get(form, ()) if other not in forms)
    return tuple(forms)


# The longest catalogue text read as a button's words in another language.
_MAX_TRANSLATED_LABEL = 40


@cache
def _translated_labels() -> dict[str, tuple[str, ...]]:
    """The words (`_label_words`) of each short catalogue text without placeholders, to those
    of the same text in the other languages ("interessiert" to "interested")."""
    from bot.i18n import LANGUAGES, catalogue  # bot.i18n imports this module

    found: dict[str, list[str]] = {}
    for key in catalogue(LANGUAGES[0]):
        said = [catalogue(lang).get(key, "") for lang in LANGUAGES]
        if any(not text or "{" in text or len(text) > _MAX_TRANSLATED_LABEL for text in said):
            continue
        words = [_label_words(plain_text(text)) for text in said]
        for own in words:
            others = found.setdefault(own, [])
            others.extend(w for w in words if w and w != own and w not in others)
    return {own: tuple(others) for own, others in found.items() if own and others}


@dataclass(frozen=True)
class PollVote:
    """A member's (latest) answer to a poll the bot sent; an empty tuple withdraws the vote."""

    poll_key: str
    option_indexes: tuple[int, ...]


class AttachmentKind(StrEnum):
    IMAGE = "image"  # shown as a picture where the platform can (Telegram photo, m.image)
    FILE = "file"  # any other file, as a document (Telegram document, m.file)
    OTHER = "other"  # video, audio, voice, sticker: received, but nothing the bot takes


@dataclass(frozen=True)
class IncomingAttachment:
    """A photo or file a member sent: what it is, not yet its bytes.

    `ref` is the platform's own handle (a Telegram file id, a Matrix mxc URL with the key of an
    encrypted file), opaque to the core: only the transport it came from can fetch it
    (`Context.fetch_file`). `size` is what the platform announced, when it did.
    """

    kind: AttachmentKind
    ref: str
    filename: str
    mime_type: str
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    """One update from a platform, reduced to what the router needs."""

    platform: Platform
    chat_id: str
    sender_id: str
    update_id: str
    text: str = ""
    sender_name: str = ""
    payload: str | None = None
    poll_vote: PollVote | None = None
    is_private: bool = True
    mentions_bot: bool = False
    language_hint: str | None = None
    message_ref: str | None = None
    # A photo or file sent with the message; `text` is then its caption (may be empty).
    attachment: IncomingAttachment | None = None


@dataclass(frozen=True)
class Button:
    """A choice under a message; its payload comes back when pressed.

    `web_app` (an https address) makes it a button that opens that page inside Telegram
    instead (no payload). Only Telegram renders it: handlers add one for Telegram's private
    chats only, and the outbox does not keep it.

    `item` is the number of the item the button is for where the message's text numbers its
    items by their own numbers (an event list: "2 · Innovationsforum …"): where choices are
    typed and the buttons are lettered for that reason, a typed "2" presses item 2's button.
    The outbox does not keep it either.
    """

    label: str
    payload: str
    web_app: str = ""
    item: int | None = None


@dataclass(frozen=True)
class Poll:
    """A native poll; `poll_key` is our own id (``event:12:dates``) that votes come back with."""

    poll_key: str
    question: str
    options: tuple[str, ...]
    multiple: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file to send. An IMAGE is shown as a picture, with the reply's text as its caption
    where the platform has captions; a FILE goes out as a document after the text.

    `stored_id` names a file kept in the database (a broadcast's): the outbox messages of all
    recipients name it instead of copying the bytes, and the delivery worker fills in `content`
    and `platform_ref`, the handle an earlier upload of it got on the platform it is sent to
    (a Telegram file id...), so that it is uploaded once, not once per recipient.
    """

    filename: str
    content: bytes
    mime_type: str
    kind: AttachmentKind = AttachmentKind.FILE
    stored_id: int | None = None
    platform_ref: str | None = None

    @property
    def size(self) -> int:
        return len(self.content)


@dataclass(frozen=True)
class Reply:
    """What a handler answers or the outbox delivers.

    `popup` is the short answer to a button press (Telegram shows it as an alert). `edit_ref`
    asks the transport to edit the message with that platform reference instead of sending anew.
    """

    text: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    poll: Poll | None = None
    attachment: Attachment | None = None
    popup: str | None = None
    edit_ref: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


def delivery_takes_choices(reply: Reply) -> bool:
    """Whether a message the outbox delivers to a member (a broadcast, an office answer, a
    reminder, an introduction) becomes their chat's latest choices: the rule the transports
    where choices are typed (console, Matrix) and the dispatcher (bot/shown.py) all keep.

    One with buttons or a poll does: its own numbers start at 1, and the words of the buttons
    before it press nothing. One without leaves the choices as they were: it answers nothing
    the member wrote, so the list they were answering (/offen, /meinefragen) is still what
    their numbers mean (a broadcast had cleared them: "1" then "chose nothing here").
    """
    return bool(reply.buttons) or reply.poll is not None
