"""Messages that are not questions: thanks, greetings, "ok", goodbyes, a stray letter or emoji.

They get a short friendly answer and never reach the office inbox, which holds only what a
person at the office should read. The word lists are everyday German and English (no
vocabulary of the network's field): a message counts as small talk only when every word in it
is one of these.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.textmatch import resources
from bot.textmatch.normalize import without_markup

SmallTalk = Literal["thanks", "greeting", "ack", "bye", "fragment"]

_WORD = re.compile(r"[^\W_]+")
# A message with fewer words than this that the FAQ cannot place is not passed to the office:
# the member is asked for a sentence instead ("clear", "Termin?").
MIN_TICKET_WORDS = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POLITE = _words(
    "vielen herzlichen besten lieben tausend schön sehr nochmal nochmals noch auch ihnen dir euch "
    "so much very a lot many you again also too all everyone zusammen leute bot"
)
_KINDS: tuple[tuple[SmallTalk, frozenset[str], frozenset[str]], ...] = (
    # (kind, words that make it this kind, further words allowed beside them)
    (
        "thanks",
        _words("danke dankeschön dank merci thanks thank thx ty cheers"),
        # "ok danke", "alles klar, vielen Dank", "great, thanks"
        _words(
            "super toll prima perfekt great ok okay okey alles klar gut cool nice alright ja yes"
        ),
    ),
    (
        "greeting",
        _words(
            "hallo hi hey moin servus hello huhu grüezi guten good tag morgen abend morning "
            "afternoon evening grüß gott gruß grüße"
        ),
        _words("there"),
    ),
    (
        "bye",
        _words("tschüss tschüs ciao bye goodbye wiedersehen später later"),
        _words("auf bis bald dann see soon schönen tag"),
    ),
    (
        "ack",
        _words(
            "ok okay okey alles klar gut super prima perfekt top passt verstanden great fine "
            "cool nice alright understood got it sounds good ja nein yes no yep nope"
        ),
        frozenset(),
    ),
)


# Emoji that alone say what "ok" or "danke" says (Unicode's approval, celebration and
# thanks emoji): a thumbs-up is an acknowledgement, not a question cut short. Any other emoji
# alone ("🤔", "🔋") stays a fragment. Skin tones and the emoji-style selector are left aside.
_ACK_EMOJI = frozenset("👍👌✅✔🆗🎉🎊🥳👏🙌💪😀😃😄😊🙂☺🤝")
_THANKS_EMOJI = frozenset("🙏")
_EMOJI_MODIFIERS = re.compile(r"[\ufe0f\u200d\U0001f3fb-\U0001f3ff\s!.]")


def _emoji_talk(text: str) -> SmallTalk | None:
    """ "👍", "👍🎉", "🙏": an acknowledgement or thanks; None for any other sign."""
    signs = set(_EMOJI_MODIFIERS.sub("", text))
    if not signs or not signs <= _ACK_EMOJI | _THANKS_EMOJI:
        return None
    return "thanks" if signs & _THANKS_EMOJI else "ack"


def small_talk(text: str) -> SmallTalk | None:
    """What kind of small talk `text` is, or None when it may be a question."""
    words = _WORD.findall(text.lower())
    if not words:
        emoji = _emoji_talk(text)
        if emoji is not None:
            return emoji
    for kind, core, extra in _KINDS:
        allowed = core | extra | _POLITE
        if any(w in core for w in words) and all(w in allowed for w in words):
            return kind
    if not words or all(w.isdigit() for w in words) or len("".join(words)) <= 2:
        return "fragment"  # emoji, punctuation, a number, one or two letters
    return None


def too_short_for_the_office(text: str) -> bool:
    """Fewer than `MIN_TICKET_WORDS` words, markup tags not counted: too little for a person
    to act on ("<script>alert(1)</script>" is one word and a number), or no word of German or
    English at all ("asdkjh qwe lkjasd"): nothing a person could answer."""
    found = _WORD.findall(without_markup(text))
    return len(found) < MIN_TICKET_WORDS or resources.knows_no_word(found)
