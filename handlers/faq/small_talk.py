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

SmallTalk = Literal[
    "thanks", "greeting", "ack", "bye", "fragment", "intro", "how_are_you", "displeased"
]

_WORD = re.compile(r"[^\W_]+")
# A message with fewer words than this that the FAQ cannot place is not passed to the office:
# the member is asked for a sentence instead ("clear", "Termin?").
MIN_TICKET_WORDS = 3


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_POLITE = _words(
    "vielen herzlichen besten lieben tausend schön sehr nochmal nochmals noch auch ihnen dir euch "
    "so much very a lot many you again also too all everyone zusammen leute bot"
    # how one addresses a person in thanks: "cheers mate", "thanks folks"
    " mate mates folks guys buddy"
)
_KINDS: tuple[tuple[SmallTalk, frozenset[str], frozenset[str]], ...] = (
    # (kind, words that make it this kind, further words allowed beside them)
    (
        "thanks",
        _words("danke dankeschön dank merci thanks thank thx ty cheers"),
        # "ok danke", "alles klar, vielen Dank", "great, thanks", and what is thanked for:
        # "Vielen Dank für Ihre Hilfe!", "thanks a lot for your help", "for the quick answer"
        _words(
            "super toll prima perfekt great ok okay okey alles klar gut cool nice alright ja yes "
            "für ihre deine eure die den schnelle schnellen nette freundliche hilfe "
            "unterstützung antwort antworten auskunft info infos information informationen "
            "for your the quick fast kind help support answer answers reply info information"
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
# ... and displeasure: "👎", "😕" alone (not under an answer, whose 👎 button it presses) is
# no question cut short either
_DISPLEASED_EMOJI = frozenset("👎😞😠😡🙁☹😕😒😤")
_EMOJI_MODIFIERS = re.compile(r"[\ufe0f\u200d\U0001f3fb-\U0001f3ff\s!.]")


def _emoji_talk(text: str) -> SmallTalk | None:
    """ "👍", "👍🎉", "🙏", "👎": an acknowledgement, thanks or displeasure; None for any other
    sign."""
    signs = set(_EMOJI_MODIFIERS.sub("", text))
    if signs and signs <= _DISPLEASED_EMOJI:
        return "displeased"
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
    found = _kind_of_words(words)
    if found is not None:
        return found
    if _POLITE_NO.fullmatch(" ".join(words)):
        return "ack"
    if not words or all(w.isdigit() for w in words) or len("".join(words)) <= 2:
        return "fragment"  # emoji, punctuation, a number, one or two letters
    return _said_in_parts(text)


# A no said politely: "nein, lieber nicht", "nein danke", "no, rather not" (not "nicht gut").
_POLITE_NO = re.compile(
    r"(?:nein|ne|nee|no|nope)(?: (?:danke|lieber nicht|doch nicht|eher nicht|"
    r"thanks|thank you|rather not|not really))+"
)


def _kind_of_words(words: list[str]) -> SmallTalk | None:
    for kind, core, extra in _KINDS:
        allowed = core | extra | _POLITE
        if any(w in core for w in words) and all(w in allowed for w in words):
            return kind
    return None


# Asking how one is: "wie geht es Ihnen?", "wie gehts", "how are you doing today?",
# "how's it going?". Read of one part of a message (`_said_in_parts`), lower case.
_HOW_ARE_YOU = re.compile(
    r"^(?:(?:und|and|so|also)\s+)?(?:"
    r"wie\s+geht(?:\s+es|\W?s)?(?:\s+(?:ihnen|dir|euch))?(?:\s+(?:so|denn|heute))*|"
    r"wie\s+gehts(?:\s+(?:ihnen|dir|euch))?(?:\s+(?:so|denn|heute))*|"
    r"alles\s+(?:gut|klar|fit)\s+bei\s+(?:ihnen|dir|euch)|"
    r"how\s+(?:are|r)\s+(?:you|u|ya|things)(?:\s+doing)?(?:\s+today)?|"
    r"how\W?s\s+(?:it\s+going|everything|things|life)|how\s+is\s+it\s+going|"
    r"how\s+do\s+you\s+do|how\s+have\s+you\s+been"
    r")$"
)
# Saying the answer helped, beside thanks or alone: "that was helpful", "this really helped",
# "very useful", "das war sehr hilfreich", "hat mir weitergeholfen", "das hilft mir weiter".
# Read of one part of a message, lower case, with only the words of `_WORD` ("that's" is
# "that s"); answered as thanks are. Not "that was not helpful": no word of denial fits.
_VERY = (
    r"(?:(?:very|really|so|super|most|extremely|sehr|wirklich|echt|total|voll|mega|wieder)\s+)"
    r"{0,2}"
)
_PRAISE = re.compile(
    r"^(?:(?:that|this|it|you|that s|it s|this is|that is)\s+)?(?:(?:was|is|were|are|have been|"
    rf"has been)\s+)?{_VERY}(?:helpful|useful|great|perfect|brilliant|excellent|"
    r"exactly what i needed)$|"
    rf"^(?:(?:that|this|it|you)\s+)?{_VERY}helped(?:\s+me)?(?:\s+(?:a\s+lot|a\s+great\s+deal|"
    r"so\s+much))?$|"
    r"^(?:(?:das|es|sie|du|ihr)\s+)?(?:(?:war|ist|waren|sind)\s+)?(?:mir\s+)?"
    rf"{_VERY}(?:hilfreich|nutzlich|nützlich|perfekt|klasse|toll|spitze)$|"
    rf"^(?:(?:das|es|sie|du)\s+)?(?:hat|haben|hilft)\s+(?:mir\s+|uns\s+)?{_VERY}"
    r"(?:weiter)?(?:geholfen|weiter|sehr)$"
)


def _without_thanks(part: str) -> str:
    """One part of a message without the thanks it starts with ("danke hat mir echt geholfen",
    "thanks mate that helped a lot"), for the praise after them; "" when nothing was left off."""
    words = part.split()
    thanks = _KINDS[0][1] | _POLITE
    start = next((i for i, word in enumerate(words) if word not in thanks), len(words))
    if start == 0 or not any(word in _KINDS[0][1] for word in words[:start]):
        return ""
    return " ".join(words[start:])


# Introducing oneself: "Frau Kühn hier", "hier ist Herr Albers von der Harzer Gießerei",
# "mein Name ist Jana Roth", "this is Priya from Northfield Metals", "my name is Tom Baker",
# "ich bin Frau Roth". Read of one part of a message, as written (a name has capitals).
_NAMED_BY = re.compile(
    r"^(?:hier\s+(?:ist|spricht|schreibt)|mein\s+name\s+ist|ich\s+hei(?:ß|ss)e|"
    r"my\s+name\s+is|this\s+is|here\s+is|i\s+am|i\W?m|ich\s+bin)\s+(?P<who>.+)$",
    re.IGNORECASE,
)
_NAMED_HERE = re.compile(r"^(?P<who>.+?)\s+(?:hier|here)$", re.IGNORECASE)
# Courtesy titles before a name, and the words that join a name to where one works.
_TITLES = _words("frau herr herrn dr prof mr mrs ms miss")
_FROM = _words("von vom der die bei aus from at of with the")
# Words no name is: "Ist jemand hier", "Wer ist hier", "nobody here", "alles hier".
_NO_NAME = _words(
    "ist sind wer was wo jemand niemand keiner keine alle alles nichts etwas ich wir sie es "
    "is are who what where anyone anybody someone somebody nobody everyone all nothing "
    "something i we you it mitglied member neu new student studentin teilnehmer teilnehmerin "
    "mitarbeiter mitarbeiterin interessiert interested"
)
# "ich bin"/"I'm" also say what one is ("ich bin Mitglied", "I'm interested"): an
# introduction only with a title or where one works ("ich bin Frau Roth", "I'm Tom from
# Acme"). A name is at most this many words, and its organisation as many again.
_LOOSE_OPENINGS = ("ich bin", "i am", "i'm", "i m", "im")
_NAME_WORDS = 4


def _introduces(part: str) -> bool:
    """Whether one part of a message only introduces the writer ("Frau Kühn hier")."""
    found = _NAMED_BY.match(part) or _NAMED_HERE.match(part)
    if found is None:
        return False
    who = _WORD.findall(found["who"])
    if not who or len(who) > 2 * _NAME_WORDS:
        return False
    first = who[0]
    titled = first.lower() in _TITLES
    joined = [w.lower() in _FROM for w in who]
    name = who[: joined.index(True)] if any(joined) else who
    if not name or len(name) > _NAME_WORDS or not (titled or first[:1].isupper()):
        return False
    if any(w.lower() in _NO_NAME for w in name):
        return False
    opening = part[: found.start("who")].strip().lower()
    if found.re is _NAMED_BY and opening.startswith(_LOOSE_OPENINGS):
        return titled or any(joined)
    return True


# Which of several kinds of small talk a message made of them is answered as: asked how
# one is, that is answered; an introduction is greeted; thanks are thanked for.
_RANK: tuple[SmallTalk, ...] = ("how_are_you", "intro", "thanks", "greeting", "bye", "ack")
_PARTS = re.compile(r"[,;:!?.\n]+|\s[-–—]\s")


def _said_in_parts(text: str) -> SmallTalk | None:
    """A message of several parts each small talk ("Guten Tag, Frau Kühn hier.", "hi there,
    how are you?", "Hallo! Mein Name ist Jana Roth."): the kind it is answered as; None when
    any part may be a question."""
    kinds: set[SmallTalk] = set()
    for part in _PARTS.split(text):
        part = " ".join(part.split())
        if not part:
            continue
        lowered = " ".join(_WORD.findall(part.lower().replace("'", "")))
        if _HOW_ARE_YOU.match(lowered) or _HOW_ARE_YOU.match(part.lower()):
            kinds.add("how_are_you")
        elif _introduces(part):
            kinds.add("intro")
        elif _PRAISE.match(lowered) or _PRAISE.match(_without_thanks(lowered)):
            kinds.add("thanks")
        else:
            kind = _kind_of_words(_WORD.findall(part.lower()))
            if kind is None:
                return None
            kinds.add(kind)
    return next((kind for kind in _RANK if kind in kinds), None)


# A spreadsheet formula or a function call typed as the whole message ('=HYPERLINK("…")',
# "@SUM(1+1)"): no question, however many words are in it.
_FORMULA = re.compile(r"^\s*[=+@-]\s*[^\W\d][\w.]*\s*\(")


def too_short_for_the_office(text: str) -> bool:
    """Fewer than `MIN_TICKET_WORDS` words, markup tags not counted: too little for a person
    to act on ("<script>alert(1)</script>" is one word and a number), or no word of German or
    English at all ("asdkjh qwe lkjasd"), or a formula (`_FORMULA`): nothing a person could
    answer."""
    found = _WORD.findall(without_markup(text))
    too_few = len(found) < MIN_TICKET_WORDS
    return too_few or resources.knows_no_word(found) or bool(_FORMULA.match(text))
