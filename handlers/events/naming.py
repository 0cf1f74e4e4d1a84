"""Which events a text names, and what it asks about them: the reading behind the live answers
(`live.py`) and the commands that take an event by name ("/join Symposium").

`intent_of` reads what is asked (question words and the thesaurus' concepts of both
languages), `named_in` reads what a text names (an event kind from the catalogue's kind names,
a month from Babel's names, a place, words of a title) and `pick` finds those among the
upcoming events. Plain functions on text and events: no chat, no database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from bot.i18n import t
from bot.textmatch import Analyzer, fold, stem_bilingual
from bot.textmatch.analyzer import FUNCTION_WORD_ZIPF
from bot.textmatch.normalize import is_filler
from bot.textmatch.people import SAYS_SELF, names_person
from bot.textmatch.sentences import asking_part, asks, questions, sentences
from bot.textmatch.stemming import detect_language, is_stop_word, stop_words
from handlers.events.dates import (
    DayNamed,
    day_named_in,
    day_of_month_in,
    month_abbreviations,
    month_numbers,
)
from handlers.events.form import KINDS
from handlers.events.number_words import number_words
from handlers.events.relative import weekday_numbers
from handlers.events.spans import Span, span_in
from handlers.events.typos import nearest_by_typo, one_typo_from
from handlers.members.rules import LEGAL_FORMS
from storage import event_store
from storage.events import Event

# An article this many words before an event kind belongs to it ("einer ausgebuchten Exkursion").
ARTICLE_REACH = 3
# A word this long, rarer in general language than TYPO_MAX_ZIPF, one edit from a kind's name
# is that kind mistyped ("Symposiun"); shorter words are too close to others ("Forum", "Form").
MIN_TYPO_LENGTH = 7
TYPO_MAX_ZIPF = 2.0
# A word of a question this specific (`Analyzer.specificity`, 1 = rarer than everyday words)
# that names no event names what the question is about instead.
OTHER_MIN_SPECIFICITY = 0.85
# A message to cancel names what it cancels by a word of a concept this specific (a reason
# given beside it, "mein Zug fällt aus", is mostly more everyday).
THING_MIN_SPECIFICITY = 0.6
# Another word for a title's word (a shared concept of the thesaurus or glossary) names an
# event less surely than the title's own word: concepts group senses ("Verarbeitung" is a
# recycling process and a data one), so the event with the word itself comes first.
OTHER_WORD_CREDIT = 0.5


class Intent(StrEnum):
    MINE = "mine"  # what am I signed up for
    UPCOMING = "upcoming"  # which events are coming
    PLACES = "places"  # free places, full, waiting list
    SIGNUP = "signup"  # how do I sign up for …
    CANCEL = "cancel"  # I cannot come to …, how do I cancel
    DATES = "dates"  # when is …, the next …


# Concepts (bot/textmatch/data/general.txt and the network glossary) that carry each intent.
_PLACES_CONCEPTS = frozenset({"~capacity", "~waitlist"})
_SIGNUP_CONCEPTS = frozenset({"~register", "~participate", "~join", "~subscribe"})
# Joining these is becoming a member, not signing up for an event named beside them.
_MEMBERSHIP_CONCEPTS = frozenset({"~association", "~member"})
_IN_THE_ROLE_OF = frozenset({"als", "as"})
_CANCEL_CONCEPTS = frozenset({"~deregister"})
_DATES_CONCEPTS = frozenset({"~ask-when", "~date-time"})
# Until when one can sign up ("Anmeldeschluss", "Frist", "deadline"), asked of an event it names:
# its sign-up, which says the deadline.
_DEADLINE_CONCEPTS = frozenset({"~deadline"})
# What something costs (a fee, a price, free of charge, "was kostet", "how much"): a question
# with one of these is about the cost, even where it names taking part ("Ist die Teilnahme
# kostenlos?", "does it cost anything to attend?"): the FAQ's or the office's, not a sign-up.
_COST_CONCEPTS = frozenset({"~cost", "~fee", "~ask-cost"})
# A paper about taking part (a certificate of attendance, an invoice, a confirmation, a
# receipt): a question asking for one names the event only as its subject ("Gibt es für das
# Forum eine Teilnahmebescheinigung?"): the FAQ's or the office's, with the event beside it,
# not its sign-up nor its date. By concept, and by the words the thesaurus has none for.
_PAPER_CONCEPTS = frozenset({"~certificate", "~invoice"})
_PAPER_WORDS = frozenset(
    {"confirmation", "confirmations", "receipt", "receipts", "proof", "beleg", "belege"}
)
_PAPER_ENDS = (
    *("bestaetigung", "bestaetigungen", "bescheinigung", "bescheinigungen"),
    *("quittung", "quittungen", "urkunde", "urkunden", "zertifikat", "zertifikate"),
)
_PLACE_NAME = "~place"
_EVENT_CONCEPTS = (
    _PLACES_CONCEPTS
    | _SIGNUP_CONCEPTS
    | _CANCEL_CONCEPTS
    | _DATES_CONCEPTS
    | {_PLACE_NAME, "~events", "~ask-how"}
)
# Words the thesaurus leaves out: "ist die Exkursion voll?", "is the excursion full?".
_FULL_WORDS = frozenset({"voll", "full"})
# A calendar named as the place of one's dates, not its feed ("Kalender-Abo", "calendar feed").
_CALENDAR = r"(termin)?kalender\b(?!-|\s*(feed|abo|subscription|link|url))"
# A question about one's own sign-ups: "wofür bin ich angemeldet", "what am I signed up for",
# "stehe ich auf der Warteliste", "meine Anmeldungen", "my sign-ups"; what is in one's calendar
# ("was steht in meinem Kalender", "what's on my calendar"), not how dates get into it ("in
# meinen Kalender", "into my calendar").
_MINE = re.compile(
    r"\bwhat(\s*'s|\s+is|\s+do\s+i\s+have|\s+have\s+i\s+got)\b[^?]*?"
    r"\b(on|in)\s+my\s+(calendar|diary|schedule)\b(?!-|\s*(feed|subscription|link|url))|"
    rf"\bwas\s+(steht|ist)\b[^?]*?\b(in\s+meinem|bei\s+mir\s+im)\s+{_CALENDAR}|"
    rf"\bwas\s+(habe?)\s+ich\b[^?]*?\b(in\s+meinem|im)\s+{_CALENDAR}|"
    r"\b(bin|habe)\s+ich\b.*\b(angemeldet|eingetragen|registriert|gebucht)\b|"
    r"\b(am|have)\s+i\b.*\b(signed|registered|booked|enrolled)\b|"
    r"\b(stehe\s+ich|bin\s+ich|am\s+i)\b.*\b(warteliste|waiting\s*list|waitlist)\b|"
    r"\b(warteliste|waiting\s*list|waitlist)\b.*\b(stehe\s+ich|bin\s+ich|am\s+i)\b|"
    r"\b(my|mein|meine)\s+(position|place|number|spot|platz|rang)\b.*"
    r"\b(warteliste|waiting\s*list|waitlist)\b|"
    r"\bmeine\s+(termine|anmeldungen|veranstaltungen)\b|"
    r"\bmy\s+(events|sign-?ups|registrations|bookings)\b",
    re.I | re.S,
)
# Saying one cannot come, in a statement (not "Kann ich … nicht …?"): "ich kann bei der
# Exkursion leider doch nicht", "wir schaffen es nicht", "I can't make it to the forum".
_CANNOT_COME = re.compile(
    r"\b(ich|wir)\s+(kann|koennen|können|schaffe|schaffen)\b[^?]*?\bnicht\b[^?.!,]{0,40}?"
    r"\b(kommen|teilnehmen|dabei|mitfahren|mitkommen|hinkommen|da\s+sein)\b[^?]*$|"
    r"\b(ich|wir)\s+(kann|koennen|können|schaffe|schaffen)\b[^?.!,]*\bnicht(\s+mehr)?\W*$|"
    r"\b(i|we)\s+(can'?t|cannot|won'?t\s+be\s+able\s+to)\s+(make|come|attend|join|be\s+there)"
    r"[^?]*$",
    re.I | re.S,
)
# Saying one will not take part, read from general words, not set phrases (`withdraws`):
# a negation near a verb of attending or of a date suiting ("ich komme doch nicht", "der
# Termin passt nicht", "I won't be attending", "the date does not suit me"); a clause that
# ends in a retraction ("doch nicht", "lieber nicht") or in a negated "can" ("ich kann
# leider nicht", "we can't after all"); a verb of signing, counting or dropping with "out"
# ("count me out", "sign me out", "drop out"); a German verb of signing or saying with its
# separated "ab" at the end ("melden Sie mich wieder ab", "ich sage ab").
_NEGATIONS = frozenset({"nicht", "kein", "keine", "nie", "niemals", "not", "never", "cannot"})
_ATTEND_WORDS = frozenset(
    {"teil", "dabei", "passt", "passen", "passe", "hin"}
    # "ich packs nicht" (colloquial "schaffe es nicht"; "pack es" in `_attends`)
    | {"packs"}
    | {"come", "coming", "came", "attend", "attending", "make", "making", "join", "joining"}
    | {"go", "going", "there", "suit", "suits", "fit", "fits", "manage"}
)
_WORKS = frozenset({"work", "works", "working"})
_ATTEND_PREFIXES = (
    "komm", "teilnehm", "teilzunehm", "mitfahr", "mitkomm", "hinkomm", "hingeh", "hinfahr",
    "schaff", "klapp", "erschein",
)  # fmt: skip
# Words that bridge a negation and its verb: "nicht mehr", "doch nicht", "not be able to".
NEGATION_REACH = 4
_RETRACTIONS = frozenset({"doch", "lieber", "eher"})
_ABLE = frozenset({"kann", "koennen", "schaffe", "schaffen", "can", "ca", "could", "cannot"})
# What may follow a closing "nicht" or "can't" without saying what is meant: "leider nicht
# mehr", "can't after all", "can't anymore, sorry".
_AFTERWORDS = frozenset(
    {"mehr", "leider", "doch", "after", "all", "anymore", "any", "more", "sorry", "then"}
    | {"unfortunately", "though", "es", "it"}
)
# ... or which day is meant ("kann leider doch nicht am Dienstag", "can't make it on Friday"):
# the day of the event, not something else that cannot be done.
_WHEN_WORDS = frozenset(
    {"am", "an", "dem", "den", "diesen", "diesem", "naechsten", "naechste", "heute", "morgen"}
    | {"tag", "day", "that", "termin", "date"}
    | {"montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"}
    | {"on", "this", "next", "today", "tomorrow", "the"}
    | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_ORDINAL = re.compile(r"\d{1,2}(?:st|nd|rd|th)")
_OUT = re.compile(
    r"\b(sign|count|drop|back|pull|opt|bow|cross|scratch|strike)\w*\s+"
    r"((me|us|myself|ourselves|my\s+name|our\s+names)\s+)?out\b|"
    r"\b(i\s*'?\s*m|i\s+am|we\s*'?\s*re|we\s+are)\s+out\s*$|\b(bin|sind)\s+raus\s*$"
)
# Taking oneself off a list is cancelling, in general words: a verb of removing, striking or
# taking with oneself (or one's name) and "off"/"from" ("take me off", "cross my name off",
# "strike us from the list"), "remove me"; a German verb of striking, carrying out or
# removing beside oneself or "bitte"/"wieder" ("streicht mich", "bitte wieder austragen",
# "mich bitte entfernen"), or oneself off a list ("nehmen Sie mich von der Teilnehmerliste",
# "bitte von der Liste streichen", "nimm mich raus"). What the list is of, if named, is read
# after ("remove me from the newsletter": no event's).
_ME = r"(?:me|us|myself|ourselves|my\s+name|our\s+names)"
_MICH = r"(?:mich|uns|meinen\s+namen|unsere\s+namen)"
_STRIKE = r"(?:streich(?:e|t|en|st)?|gestrichen|austrag\w*|ausgetragen|entfern(?:e|t|en)?)"
_OFF_A_LIST = re.compile(
    rf"\b(?:take|get|strike|cross|scratch|knock|delete|drop|remove)\s+{_ME}\s+(?:off|from)\b|"
    rf"\bremove\s+{_ME}\b|"
    rf"\b(?:un|de)-?regist(?:er|rier)\w*\s+(?:{_ME}|mich|uns)\b|"
    rf"\b{_STRIKE}\b[^?]*\b(?:{_MICH}|bitte|wieder)\b|"
    rf"\b(?:{_MICH}|bitte|wieder)\b[^?]*\b{_STRIKE}\b|"
    r"\b(?:mich|uns|bitte)\b[^?]*\b(?:von|aus)\s+der\s+\w*liste\b|"
    r"\b(?:von|aus)\s+der\s+\w*liste\s+(?:nehmen|streichen|löschen|loeschen|runter\w*|entfernen)|"
    rf"\b(?:nimm|nehmt|nehmen)\s+(?:sie\s+|du\s+)?{_MICH}\b[^?]*\braus\b|"
    rf"\b{_MICH}\b[^?]*\brausnehmen\b"
)
# Having no time is not coming: "hab doch keine Zeit", "no time that day", "I don't have
# time after all".
_NO_TIME = re.compile(
    r"\b(?:keine|kaum)\s+zeit\b|\bnicht\s+(?:die\s+)?zeit\b|\bno\s+time\b|"
    r"\bnot\s+(?:have|got)\s+(?:the\s+|any\s+)?time\b"
)
_SEPARATED_OFF = re.compile(r"\b(meld|sag)\w*\b.*\bab\s*$|\btrag\w*\b.*\baus\s*$")
# Clauses are read one by one: "ich weiss nicht, ob ich komme" denies the knowing, not the
# coming; after "?" (or a question word first) it is asked, not said.
_CLAUSE_BREAK = re.compile(r"[,;:!.\n]+|\s(?:ob|whether|if|weil|because|dass|aber|but)\s")
_ASKING_START = re.compile(
    r"^\s*(wie|was|warum|wieso|weshalb|wann|how|what|whats|wats|why|when)\b|"
    r"^\s*(kann|koennen|darf|muss|soll|ist|can|could|may|do|does|is|are|will)\s+"
    r"(ich|wir|man|i|we|you|sie|du)\b"
)


# Negations typed without their apostrophe on a phone ("cant come", "wont make it").
_WITHOUT_APOSTROPHE = {
    "cant": "can not",
    "wont": "will not",
    "dont": "do not",
    "couldnt": "could not",
}
_APOSTROPHE_LEFT_OUT = re.compile(r"\b(" + "|".join(_WITHOUT_APOSTROPHE) + r")\b")


# "nicht" as typed on a phone or spoken in the region: "schaff das doch nich", "kann nit".
_NICHT_TYPED = re.compile(r"\b(?:nich|nit)\b")
# "never mind" drops what was said before; its "never" denies nothing ("never mind, I can
# make it after all").
_NEVER_MIND = re.compile(r"\bnever\s*mind\b")
# Giving one's place away is cancelling it: "you can give my spot away", "please give my
# place to someone else", "someone else can have my seat", "Sie können meinen Platz gern
# weitergeben", "vergeben Sie meinen Platz"; asked ("Can I give my spot to a colleague?",
# "Kann ich meinen Platz weitergeben?") it is a question, read apart from the clauses said.
_PLACE = r"(?:spot|place|seat|ticket|slot)"
_GIVES_PLACE_AWAY = re.compile(
    rf"\b(?:give|pass|hand|release|free)\s+(?:up\s+|away\s+|on\s+)?(?:my|our)\s+{_PLACE}s?\b"
    rf"(?!\s+(?:back|from)\b)|"
    rf"\b(?:someone|somebody|anyone|anybody)\s+(?:else\s+)?(?:can|may|could)\s+(?:have|take)\s+"
    rf"(?:my|our)\s+{_PLACE}\b|"
    r"\b(?:meinen|unseren)\s+platz\b[^?]*\b(?:weitergeben|vergeben|abgeben|freigeben)\b|"
    r"\b(?:jemand|wer|andere)\w*\b[^?]*\b(?:meinen|unseren)\s+platz\s+(?:haben|nehmen|bekommen)\b|"
    r"\b(?:gib|gebt|geben|vergib|vergebt|vergeben)\s+(?:sie\s+|du\s+)?(?:meinen|unseren)\s+platz\b"
)


# A day's closing dot ends no sentence: "am 5. kann ich nicht" says "kann ich nicht" of the
# 5th (it asks nothing), as "am 23.02. schaff ich es nicht".
_DAY_DOT = re.compile(
    r"\b((?:am|den|vom|zum|ab|bis)\s+\d{1,2}(?:\.\d{1,2})?(?:\.\d{2,4})?)\.(?=\s)"
)


def withdraws(text: str) -> bool:
    """Whether a message says the member will not take part, read clause by clause."""
    return _said_in_a_clause(text, signing_off=True)


# Saying one stays signed up ("bleib angemeldet", "lass mich dabei", "keep me signed up",
# "I'll stay on the list"): no cancellation, whatever retraction stands beside it.
_STAYS = re.compile(
    r"\b(?:bleib\w*|lass\w*\s+(?:mich|uns))\b[^?]*\b(?:angemeldet|dabei|drauf|drin|eingetragen)\b|"
    r"\b(?:stay\w*|keep\s+(?:me|us))\b[^?]*\b(?:signed\s+up|registered|on\s+the\s+list|in)\b",
    re.IGNORECASE,
)


def says_staying(text: str) -> bool:
    """Whether a message says the member stays signed up (`_STAYS`)."""
    return bool(_STAYS.search(text))


def says_not_coming(text: str) -> bool:
    """`withdraws` by words of coming only ("can't come", "ich kann doch nicht"), not of
    signing off ("bitte wieder abmelden", "sign me out"), which may be of a newsletter."""
    return _said_in_a_clause(text, signing_off=False)


def gives_place_away(text: str) -> bool:
    """Whether a message says the member's place may go to someone else ("u can give my spot
    away", "Sie können meinen Platz weitergeben"): cancelling, though it speaks of places."""
    return any(_GIVES_PLACE_AWAY.search(sentence) for sentence in _said(text))


def _sentences(text: str) -> list[str]:
    """The sentences of a message, folded, with negations as written out ("can't" as "can
    not", "nich" as "nicht") and "never mind" as a pause."""
    folded = fold(text.replace("’", "'"))
    folded = re.sub(r"n't\b", " not", folded).replace("no longer", "not")
    folded = _APOSTROPHE_LEFT_OUT.sub(lambda m: _WITHOUT_APOSTROPHE[m.group(1)], folded)
    folded = _NEVER_MIND.sub(",", _NICHT_TYPED.sub("nicht", folded))
    folded = _DAY_DOT.sub(r"\1", folded)
    return sentences(folded)


def _said(text: str) -> list[str]:
    """The sentences of a message that say something (not ask it), as `_sentences`."""
    return [s for s in _sentences(text) if "?" not in s and not _ASKING_START.search(s)]


# A request put as a question to whoever reads: "Können Sie mich bitte austragen?", "Kannst
# du mich wieder austragen?", "Could you take me off the list?", "can you remove me from it?".
_POLITE_REQUEST = re.compile(
    r"^\s*(?:(?:koennen|koennten|wuerden|kannst|koenntest|wuerdest|koennt|koenntet|wuerdet)"
    r"\s+(?:sie|du|ihr)|(?:can|could|would|will)\s+(?:you|u|ya))\b"
)


def _asked_politely(text: str) -> list[str]:
    """The sentences of a message that ask the reader to do something ("Können Sie mich …?",
    "Could you …?"), without their question mark: a wish, asked politely."""
    return [s.rstrip(" ?") for s in _sentences(text) if _POLITE_REQUEST.search(s)]


def _said_in_a_clause(text: str, *, signing_off: bool) -> bool:
    if signing_off and any(
        _signs_off(clause.strip())
        for sentence in _asked_politely(text)
        for clause in _CLAUSE_BREAK.split(sentence)
    ):
        return True  # "Können Sie mich bitte austragen?" as "bitte austragen"
    return any(
        _clause_withdraws(clause.strip(), signing_off=signing_off)
        for sentence in _said(text)
        for clause in _CLAUSE_BREAK.split(sentence)
    )


def _signs_off(clause: str) -> bool:
    """Whether a clause signs off or takes oneself off a list ("sign me out", "melden Sie
    mich ab", "streicht mich"), whether of an event or of something it names."""
    return any(p.search(clause) for p in (_OUT, _SEPARATED_OFF, _OFF_A_LIST))


def _clause_withdraws(clause: str, *, signing_off: bool = True) -> bool:
    if _GIVES_PLACE_AWAY.search(clause) or _NO_TIME.search(clause):
        return True
    if signing_off and _signs_off(clause):
        return True
    words = _TOKEN.findall(clause)
    denied = [n for n, word in enumerate(words) if word in _NEGATIONS]
    if not denied:
        return False
    # Words of the day or the event between the verb and its negation do not part them
    # ("schaff das am Freitag doch nicht" as "schaff das doch nicht").
    kept = [n for n, word in enumerate(words) if n in denied or not _says_when_or_where(word)]
    rank = {n: r for r, n in enumerate(kept)}
    near = (n for d in denied for n in kept if abs(rank[n] - rank[d]) <= NEGATION_REACH)
    if any(_attends(words, n) for n in near):
        return True
    for d in denied:
        # the day or event said before the "nicht" as after it ("kann am Dienstag leider
        # nicht" as "kann leider nicht am Dienstag"): passed over in looking for "kann", "doch"
        before = [w for w in words[:d] if not _says_when_or_where(w)][-3:]
        rest = words[d + 1 :]
        closing = all(w in _AFTERWORDS or _says_when_or_where(w) for w in rest)
        if closing and (words[d] == "cannot" or set(before) & (_RETRACTIONS | _ABLE)):
            return True  # "doch nicht", "ich kann leider nicht mehr", "we can't after all"
    return False


# Words by which a closing "nicht" says where one cannot go, with the verb left out ("kann
# leider doch nicht zum Workshop", "kann am Freitag nicht zur Exkursion"): the event, nothing
# else ("kann nicht zu der Adresse navigieren" says no such thing).
_TO_THE = frozenset({"zum", "zur", "zu", "beim", "bei", "to", "for", "at"} | _WHEN_WORDS)


def _says_when_or_where(word: str) -> bool:
    """A word of the day or the event a retraction is of: "am Dienstag", "den 8.", "zum
    Workshop"."""
    return (
        word in _WHEN_WORDS
        or word.isdigit()
        or _ORDINAL.fullmatch(word) is not None
        or (_to_the_event(word))
    )


def _to_the_event(word: str) -> bool:
    """A word of "zum Workshop", "zur Exkursion", "to the forum": a preposition or article of
    it, a weekday, or an event kind's name."""
    if word in _TO_THE or word in weekday_numbers(short=True):
        return True
    return any(kind_of(w) is not None for w in words_of(word))


def cancelling_stems(text: str) -> frozenset[str]:
    """The stems of the words by which a message cancels ("schaff", "packs", "nich", "give my
    spot away", "meinen Platz weitergeben"): they name no event, nor anything else that is
    cancelled."""
    words = words_of(text)
    stems = {
        w.stem
        for n, w in enumerate(words)
        if _attends([x.folded for x in words], n) or _NICHT_TYPED.fullmatch(w.folded)
    }
    # words of cancelling ("stornieren", "unsubscribe"), also as the verb's "-iert" form
    stems.update(w.stem for w in words if _cancels(w))
    folded = fold(text)
    for pattern in (_GIVES_PLACE_AWAY, _OFF_A_LIST, _NO_TIME, _OUT):
        for found in pattern.finditer(folded):
            stems.update(stem_bilingual(word) for word in _TOKEN.findall(found.group()))
    for found in _SEPARATED_OFF.finditer(folded):
        # "meld mich ab": the verb's two parts, not what stands between ("vom Newsletter")
        said = _TOKEN.findall(found.group())
        stems.update(stem_bilingual(word) for word in (said[0], said[-1]))
    return frozenset(stems)


def _cancels(word: Word) -> bool:
    """A word of cancelling: "stornieren", "unsubscribe", or a verb form of one the
    thesaurus lists by its infinitive only ("storniert", "annulliert")."""
    concepts = set(word.concepts)
    if word.folded.endswith("iert") and not concepts:
        concepts = set(_analyzer().expand(word.folded[:-1] + "en"))
    return bool(concepts & (_CANCEL_CONCEPTS | {"~unsubscribe"}))


_PACK = frozenset({"pack", "packe", "packen", "packst"})
_IT_OBJECT = frozenset({"s", "es", "das"})


def _attends(words: Sequence[str], n: int) -> bool:
    """A verb of attending or of a date suiting; "work" only as "work for"/"work out" (not
    "the link does not work")."""
    word, after = words[n], words[n + 1 : n + 2]
    if word in _WORKS and after and after[0] in {"for", "out"}:
        return True
    if word in _PACK and after and after[0] in _IT_OBJECT:
        return True  # "ich pack's nicht", "packe es nicht"; not "packe meine Koffer"
    return word in _ATTEND_WORDS or word.startswith(_ATTEND_PREFIXES)


# Leaving a waiting list is cancelling a sign-up: "Bitte nehmen Sie mich von der Warteliste",
# "take me off the waiting list" (the list's own word would make it a places question).
_OFF_THE_LIST = re.compile(
    r"\b(take|get|remove|strike)\s+(me|us)\s+(off|from)\b|"
    r"\b(nehmen|streichen|tragen|löschen|loeschen)\s+sie\s+(mich|uns)\b[^?]*"
    r"\b(von|aus)\s+der\s+warteliste|"
    r"\b(von|aus)\s+der\s+warteliste\s+(nehmen|streichen|austragen|löschen|loeschen|runter)",
    re.I,
)
# Asking to be signed up, in words no concept of signing up carries as a whole: a verb with
# "me" before its particle ("sign me up", "count us in", "put my name down", "add me to"),
# a German verb of entering with its separated particle ("schreiben Sie mich … ein"),
# saying one is coming ("ich bin beim Symposium dabei", "bin dabei beim Workshop", "bin am Di
# beim Workshop dabei", "ich komme zum Workshop", "ich nehme am Forum teil"; "I'll come to the
# workshop", "I'm coming to the forum", "we will attend", "I'll be at the symposium": which
# event is read after, "the office" is none; not where a question follows, "I'll
# come by train, where can I park?", nor "I'll come back to you"; as typed on a phone, "ich
# komm zum …", "komme zum …", "ill come to …", "ill be at …", "im coming to …") or wants
# to ("ich möchte zum Forum kommen", "I'd like to attend the symposium"), and asking whether
# one still can ("Kann ich noch zur Exkursion?"). Not "How do I sign up?" (how it works, the
# FAQ's where no event is named); negated ones ("ich bin nicht dabei", "ich möchte doch nicht
# kommen") are read as cancelling before this.
_ATTEND_VERBS = (
    r"(kommen|teilnehmen|mitfahren|mitkommen|mitmachen|hinkommen|hingehen|hinfahren"
    r"|dabei\s+sein)"
)
# "dabei" of being there, not of being busy with something ("ich bin dabei, den Antrag
# auszufüllen", "bin gerade dabei, mich anzumelden").
_DABEI = r"\bdabei\b(?!\s*,?\s*([^\W\d_]+\s+){0,4}(zu\s+[^\W\d_]+|[^\W\d_]+zu[^\W\d_]+en)\b)"
# How surely one comes ("ich komme doch", "komme gern zum …").
_COMING_ADVERBS = r"(auch|gern|gerne|doch|also|dann|sicher|bestimmt|jetzt|nun|noch)"
_ASKS_TO_SIGN_UP = re.compile(
    r"\b(sign|put|pencil|write|book|count|slot|enrol|enroll)\s+"
    r"(me|us|myself|ourselves|my\s+name|our\s+names)\s+(back\s+)?(up|down|in|on|onto)\b|"
    r"\badd\s+(me|us|my\s+name|our\s+names)\s+(back\s+)?(to|for)\b|"
    # the verb alone, said to have it done ("add my name", "put me down please"): the event
    # is the one just before
    r"^\W*((ok|okay|yes|then|so|just|please|pls|great)\W+)*(add|put)\s+(me|us|my\s+name"
    r"|our\s+names)(\s+(down|on\s+(it|the\s+list)))?"
    r"(\W+(please|pls|then|now|too|as\s+well|thanks))*[\s.!]*$|"
    r"\b(i\s*'?\s*m|i\s+am|we\s*'?\s*re|we\s+are)\s+in\s+(for|on)\b|"
    r"\b(i\s*'?\s*m|i\s+am|we\s*'?\s*re|we\s+are)\s+(back\s+)?in"
    r"(\s+(then|too|as\s+well|again|now|after\s+all))*\W*$|"
    r"(?<!\bif\s)(?<!\bwhether\s)(?<!\bwhen\s)\b(i|we)\s+can\s+(still\s+|now\s+|definitely\s+)?"
    r"(come|make\s+it|attend|join|take\s+part|participate|be\s+there)\b(?=[^?]*$)|"
    # asked whether one may come along ("Kann ich bei der Exkursion mitfahren?", "darf ich
    # beim Workshop mitmachen?", "can I come along to the excursion?"), as "teilnehmen" is
    r"\b(kann|koennen|können|koennte|könnte|darf|duerfen|dürfen|duerfte|dürfte)\s+(ich|wir)\b[^?.!]*"
    r"\b(mitfahren|mitkommen|mitmachen|dabei\s+sein)\s*\?|"
    r"\b(can|could|may)\s+(i|we)\s+(come|tag|go)\s+along\b|"
    # ... the verb left out: "darf ich zur Exkursion mit?", "kann ich mit auf die Exkursion?"
    r"\b(kann|koennen|können|darf|duerfen|dürfen)\s+(ich|wir)\s+((auch|noch|mal|dann)\s+)*"
    r"(bei|beim|zu|zum|zur)\s+((der|die|den|dem|das)\s+)?[^\W\d_]+\s+mit\s*\?|"
    r"\b(kann|koennen|können|darf|duerfen|dürfen)\s+(ich|wir)\s+((auch|noch|mal|dann)\s+)*"
    r"mit\s+(auf|zu|zum|zur|in|an)\b|"
    # wanting to come along, the verb left out ("will bei der Exkursion mit", "wir möchten
    # zum Workshop mit", "will mit zur Exkursion"); not "will mit Ihnen sprechen"
    r"\b(will|wollen|moechte|möchte|moechten|möchten)\s+[^?.!]*\bmit\s*[.!]*$|"
    r"\b(will|wollen|moechte|möchte|moechten|möchten)\s+(auch\s+|gern\s+|gerne\s+)*mit\s+"
    r"(zu[mr]?|beim?|in\s+die|an\s+die)\b|"
    r"\b(i|we)\s*('d|would|want|wanna|plan|intend)\w*\s+(like\s+|love\s+)?(to\s+)?"
    r"(come|attend|join|take\s+part|participate|be\s+there)\b|"
    r"\b(i|we)\s*('ll|will|shall|'m|am|'re|are)\s+(definitely\s+|gladly\s+|also\s+)?"
    r"(come|coming|attend|attending|join|joining|take\s+part|taking\s+part|participate"
    r"|participating|be\s+(there|coming|attending|joining|at))\b(?!\s+back\b)(?=[^?]*$)|"
    r"\bschreib\w*\s+(sie\s+|du\s+)?(mich|uns)\b[^?.!]*\bein\b|"
    # the verb alone, said to have it done ("mich bitte anmelden", "ok dann eintragen",
    # "register me please"): nothing around it but how soon and how politely; not "wie
    # anmelden?", nor "anmelden?" asked
    r"^\W*((ok|okay|ja|gut|na|also|dann|jetzt|gleich|sofort|direkt|bitte|gern|gerne|mal)\W+)*"
    r"((mich|uns)\W+)?((bitte|gern|gerne|dann|jetzt|gleich|sofort|direkt|mal|auch)\W+)*"
    r"(anmelden|eintragen|registrieren)(\W+(bitte|danke|gern|gerne|jetzt|dann))*[\s.!]*$|"
    r"^\W*((ok|okay|yes|then|so|just|please|pls)\W+)*(register|enrol|enroll)\s+(me|us)"
    r"(\W+(please|pls|then|now|too|as\s+well|thanks))*[\s.!]*$|"
    # "melde mich an", "meld mich da bitte an", "dann meld ich mich an", "trag mich ein": the
    # verb with or without its -e, its particle closing the clause; not asked how ("wie melde
    # ich mich an", "wo trag ich mich ein", "ob ich mich noch anmelde")
    r"(?<!\bwie\s)(?<!\bwo\s)(?<!\bwann\s)(?<!\bob\s)(?<!\bwenn\s)(?<!\bfalls\s)"
    r"(?<!\bwarum\s)(?<!\bwieso\s)(?<!\bwohin\s)"
    r"\b(meld|melde|melden|trag|trage|tragen)\s+(ich\s+|wir\s+|sie\s+|du\s+)?(mich|uns)\b"
    r"[^?.!,;]*?\b(an|ein)\b(?=(\s+(bitte|gern|gerne|danke|jetzt|auch))*"
    # what for, after the particle: "meld mich mal an fürs Symposium"
    r"(\s+(für|fuer|fur|fürs|fuers|furs|zum|zur|beim|bei)\b[^?.!,;]*)?"
    r"\s*[.!,;]*\s*((bitte|danke)\w*\s*[.!]*\s*)?$)|"
    r"\b(ich|wir)\s+(bin|sind|wäre|waere|wären|waeren)\b[^?.!]*" + _DABEI + "|"
    r"(^|[,;:])\W*(bin|sind)\s+(auch\s+|gern\s+|gerne\s+)?" + _DABEI + "|"
    r"(^|[,;:])\W*(bin|sind)\b(?!\s+(ich|wir)\b)[^?.!]*" + _DABEI + r"(?=[^?]*$)|"
    # a word first, then "bin ich" ("ok dann bin ich dabei", "da bin ich gern dabei"); not a
    # question word ("Warum bin ich nicht dabei?") nor "ob", "wenn"
    r"\b(?!(wie|was|warum|wieso|weshalb|wann|wo|ob|wenn|falls|dass|weil)\b)[^\W\d_]+\s+"
    r"(bin|sind)\s+(ich|wir)\b[^?.!]*" + _DABEI + r"(?=[^?]*$)|"
    r"\b(ich|wir)\s+(komme|komm|kommen)\s+(" + _COMING_ADVERBS + r"\s+)*zu[mr]?\b(?=[^?]*$)|"
    r"^\W*komme\s+(" + _COMING_ADVERBS + r"\s+)*zu[mr]?\b(?=[^?]*$)|"
    # "ich komme doch", "wir kommen gern mit": coming, and nothing after it but how sure
    r"\b(ich|wir)\s+(komme|komm|kommen)(\s+(" + _COMING_ADVERBS + r"|mit))+\s*([.!,;]|$)|"
    # "ich kann am Freitag doch zur Exkursion kommen", "wir können doch teilnehmen"; not "ob
    # ich kommen kann" nor where a question follows; negated, it is read as cancelling first
    r"(?<!\bob\s)(?<!\bwenn\s)(?<!\bfalls\s)\b(ich|wir)\s+(kann|können|koennen)\b[^?.!,]*\b"
    + _ATTEND_VERBS
    + r"\b(?=[^?]*$)|"
    r"\b(ich|wir)\s+(schaffe|schaff|schaffen|packe|pack)\s*('?s|es|das)\s+(jetzt\s+|nun\s+)?doch\b"
    r"(?!\s+nicht)(?=[^?]*$)|"
    r"\b(ich|wir)\s+(nehme|nehmen)\b[^?.!]*\bteil\b|"
    r"\b(ich|wir)\s+(möchte|möchten|moechte|moechten|will|wollen|würde|würden|wuerde"
    r"|wuerden)\b[^?.!]*\b" + _ATTEND_VERBS + r"\b|"
    # asking whether one still can ("Kann ich noch zur Exkursion?", "Kann ich nicht doch noch
    # zur Exkursion kommen?")
    r"\b(kann|können|koennen|darf|dürfen|duerfen)\s+(ich|wir)\s+(nicht\s+)?(doch\s+)?noch\s+"
    r"([^?.!]*?\b)?(zu[mr]?|mit|dabei|" + _ATTEND_VERBS[1:-1] + r")\b",
    re.I,
)
# A question about an event's waiting list ("Gibt es eine Warteliste?", "is there a waitlist
# for it?"), not about one's own place on it (`_MINE`).
_WAITLIST = re.compile(r"\b(warteliste\w*|waiting\s*lists?|waitlists?|nachr(ü|ue)ck\w*)\b", re.I)


def asks_about_waitlist(text: str) -> bool:
    """Whether a message asks about an event's waiting list (`_WAITLIST`)."""
    return bool(_WAITLIST.search(text))


# "Zählen Sie mich … mit" ("count me in"): read before the words of cost, since the stemmer
# folds "zählen" (count) into "zahlen" (pay).
_COUNT_ME_IN = re.compile(
    r"\bz(ä|ae)hl\w*\s+(sie\s+|du\s+)?(mich|uns)\b(?:(?!\bnicht\b)[^?.!])*\bmit\b", re.I
)


# Typed on a phone without the apostrophe: "whats"/"wats" for "what's" (else a word no
# dictionary knows, read as a word of a title); "ill come", "im coming" for "I'll come", "I'm
# coming" (the thesaurus reads "ill" as being sick, a reason to cancel), only before a verb of
# coming: "im" is German too ("im März").
_WHATS = re.compile(r"\b(?:whats|wats)\b", re.I)
# "where's" (with or without its apostrophe) is "where is", which the place questions read.
_WHERES = re.compile(r"\b(where)['’]?s\b", re.I)
_APOSTROPHE_LEFT_OUT_BEFORE_COMING = re.compile(
    r"\b(?P<i>i)(?P<verb>ll|m)(?=\s+(?:definitely\s+|gladly\s+|also\s+)?"
    r"(?:come|coming|attend|attending|join|joining|take\s+part|taking\s+part|participate"
    r"|participating|be\s+(?:there|coming|attending|joining|at))\b)",
    re.I,
)


# German as spoken and typed on a phone: "gibt's"/"gibts" for "gibt es"; "nen", "ne", "n" for
# "einen", "eine", "ein" before a word, after a word of German alone ("gibt es n Forum", "ist
# da ne Exkursion"; not "fish n chips", nor "…, ne?" asking for agreement); "is" for "ist"
# before a word of German alone ("is da", "is das"; not "is there").
_GIBTS = re.compile(r"\b(gibt)(?:['’]?s)\b", re.I)
_IS_BEFORE = re.compile(r"\b(?P<is>is)(?=\s+(?P<next>[^\W\d_]+))", re.I)
_SPOKEN_ARTICLE = re.compile(
    r"\b(?P<before>[^\W\d_]+)(?P<gap>\s+)(?P<article>nen|ne|n)\b(?=\s+[^\W\d_])", re.I
)
_ARTICLES = {"nen": "einen", "ne": "eine", "n": "ein"}


def _german_alone(word: str) -> bool:
    """A function word of German and not of English ("da", "es", "noch"), or a spoken article."""
    folded = fold(word)
    return folded in _ARTICLES or (folded in stop_words("de") and folded not in stop_words("en"))


def _spoken_german(text: str) -> str:
    """ "gibts nen Workshop?" as "gibt es einen Workshop?", "is da ne Exkursion?" as "ist da
    eine Exkursion?"."""
    text = _GIBTS.sub(r"\1 es", text)
    text = _IS_BEFORE.sub(lambda m: m["is"] + ("t" if _german_alone(m["next"]) else ""), text)

    def article(m: re.Match[str]) -> str:
        if not _german_alone(m["before"]) or fold(m["before"]) in _ARTICLES:
            return m.group()
        return m["before"] + m["gap"] + _ARTICLES[m["article"].lower()]

    return _SPOKEN_ARTICLE.sub(article, text)


# Chat shorthands typed on a phone, written out: "nvm" (never mind), "sry", "u can" (else
# words no dictionary knows, read as words of a title the member's events do not have).
_SHORTHANDS = {"nvm": "never mind", "sry": "sorry", "u": "you"}
_SHORTHAND = re.compile(
    r"\b(?:nvm|sry)\b|\bu(?=\s+(?:can|could|may|might|will|should|are|know)\b)", re.I
)


# Question words, German and English, long enough that one typo in them is told from another
# word ("wo", "wer", "who" are not: "wir", "war", "woe" are words of their own).
_QUESTION_WORDS = (
    "wann", "wohin", "woher", "warum", "wieso", "weshalb", "wieviel", "wieviele",
    "welche", "welcher", "welches", "welchen", "welchem",
    "when", "where", "what", "which",
)  # fmt: skip
# A word at least this common in general language is a word of its own, not a typo ("wen",
# "wenn", "weh", "wat", "Wahn", "Wang"): read as typed, but for the everyday misspellings
# below, which are question words almost always where a question starts.
_QUESTION_WORD_TYPO_MAX_ZIPF = 3.0
_MISSPELT_QUESTION_WORDS = {"wan": "wann"}
# The first word of a question (of the message, or after a sentence's end or a comma).
_FIRST_WORD = re.compile(r"(?:^|(?<=[.!?,;:]))(?P<gap>\s*)(?P<word>[^\W\d_]{3,})\b")


def _question_words_in_full(text: str) -> str:
    """ "wan ist das Forum", "wnan geht es los", "wehn/whne is it", "wher is it": the question
    word meant, as the first word of a question, where the typed word is no common word of
    its own (one typo; a swap of two letters is one)."""

    def meant(m: re.Match[str]) -> str:
        typed = m["word"]
        folded = typed.lower()
        if folded in _QUESTION_WORDS:
            return m.group()
        word = _MISSPELT_QUESTION_WORDS.get(folded)
        if word is None and _analyzer().specificity(folded, _QUESTION_WORD_TYPO_MAX_ZIPF) == 1.0:
            word = nearest_by_typo(folded, _QUESTION_WORDS)
        if word is None:
            return m.group()
        return m["gap"] + (word.capitalize() if typed[0].isupper() else word)

    return _FIRST_WORD.sub(meant, text)


# A number's abbreviation with its full stop ("für Nr. 2", "for no. 2"): read without it, which
# ends no sentence ("no." as "number": "no 2" alone could be a "no").
_NUMBER_ABBREVIATION = re.compile(r"(?<![\w-])(?P<word>nr|no|num)\.\s*(?=\d)", re.IGNORECASE)


def _number_plain(found: re.Match[str]) -> str:
    return "Nr " if found["word"].casefold() == "nr" else "number "


def with_apostrophes(text: str) -> str:
    """The text with "what's", "I'll" and "I'm" where a phone left out the apostrophe ("whats
    on next week", "ill come to the forum", "im coming"), "where is" for "where's", chat
    shorthands written out ("nvm", "sry", "u can"), question words misspelt ("wan ist …",
    "wher is …": `_question_words_in_full`), spoken German ("gibts nen Workshop?", "is da ne
    Exkursion?": `_spoken_german`) and a number's abbreviation without its full stop ("für
    Nr. 2 anmelden" as "für Nr 2 anmelden")."""
    text = _NUMBER_ABBREVIATION.sub(_number_plain, text)
    text = _WHATS.sub("what's", text)
    text = _WHERES.sub(r"\1 is", text)
    text = _question_words_in_full(text)
    text = _SHORTHAND.sub(lambda m: _SHORTHANDS[m.group().lower()], text)
    text = _APOSTROPHE_LEFT_OUT_BEFORE_COMING.sub(r"\g<i>'\g<verb>", text)
    return _spoken_german(text)


def says_to_sign_up(text: str) -> bool:
    """Whether a message says in so many words that the member wants to be signed up or come
    ("Ich würde gern teilnehmen", "sign me up", "Zählen Sie mich mit"), not only that it
    speaks of signing up ("Ist die Teilnahme kostenlos?")."""
    said = with_apostrophes(text.replace("’", "'"))
    return bool(_ASKS_TO_SIGN_UP.search(said) or _COUNT_ME_IN.search(said)) and not withdraws(text)


# Signing up for something, whatever it is (joining has the association's sense too, and
# subscribing the newsletter's).
_SIGNING_UP = frozenset({"~register", "~participate"})
# Words of wishing that name nothing wished for ("Ich möchte mich gern anmelden"), and the
# verbs of "sign me up", "put us down", "trag mich ein" (`_ASKS_TO_SIGN_UP`), which name
# nothing either.
_WISHING = frozenset({"moechte", "mochte", "moechten", "gern", "gerne", "wuerde", "wuerden"})
_WISHES = _WISHING | {"will", "wollen", "want", "wanna", "like", "would"}
_PUTTING_DOWN = frozenset(
    {"sign", "put", "pencil", "write", "book", "count", "slot", "enrol", "enroll", "add"}
    | {"trag", "trage", "tragen", "schreib", "schreibe", "schreiben", "meld", "melde"}
)


def wishes_to_sign_up_alone(text: str) -> bool:
    """A wish to sign up that names nothing to sign up for ("Ich möchte mich anmelden", "I
    want to sign up", "sign me up please"): its words are signing up and wishing only."""
    asked_to = says_to_sign_up(text)
    content = [word for word in words_of(text) if not is_function_word(word)]
    signing_up = [
        word
        for word in content
        if set(word.concepts) & _SIGNING_UP or (asked_to and word.folded in _PUTTING_DOWN)
    ]
    wishing = [word for word in content if word.folded in _WISHING]
    # a wish said ("Ich will mich anmelden"), not a word alone ("Anmeldung": the FAQ's topic)
    wished = asked_to or any(word.folded in _WISHES for word in words_of(text))
    return wished and bool(signing_up) and len(signing_up) + len(wishing) == len(content)


def asks_to_be_put_down(text: str) -> bool:
    """Whether a message asks to be signed up by a verb of putting down ("put me down pls",
    "add my name", "trag mich ein"), not only says one is coming ("I'll come after all")."""
    return says_to_sign_up(text) and any(w.folded in _PUTTING_DOWN for w in words_of(text))


# The way to an event: "wie komme ich da hin", "wie kommt man da am besten hin", "how do I
# get there", "Anfahrt?", "directions to the venue"; "wo genau?", "where exactly is it?"
# (more than the town the date line names).
_THE_WAY = re.compile(
    r"\bwie\s+(komm|komme|kommt|kommen|finde|findet|finden)\s+(ich|man|wir)\s+"
    r"(\w+\s+){0,3}(hin|dahin|dorthin)\b|"
    r"\bhow\s+(do|can|will|would|should|to)\s+((i|we|you|one)\s+)?(get|find\s+it|find\s+the)"
    r"(\s+\w+){0,2}?\s*(there|to\s+(it|the\s+venue))\b|"
    r"\b(anfahrt|anreise|wegbeschreibung|directions)\b|"
    r"^\W*(und\s+|and\s+)?(wo|where)\s+(genau|exactly)"
    r"(\s+(ist|liegt|is)\s+(das|es|it|that|this))?\W*$",
    re.I,
)
# ... parking there: "gibt es da Parkplätze?", "kann man dort parken?", "is there parking?",
# "where can I park?" (the way's answer, not the date and place line `_WHERE_OR_WHAT_TIME`
# gives where the way is not answered)
_PARKING = re.compile(
    r"\b\w*park(platz|pl(ä|ae)tze|m(ö|oe)glichkeit|haus|h(ä|ae)user)\w*|\bparken\b|"
    r"\bparking\b|\b(can|could|do|should)\s+(i|we|one|you)\s+park\b",
    re.I,
)


# ... to a thing it names: "how do I get to the innovation forum", "wie komm ich zum
# Innovationsforum" (the way there, where the thing is an event: not "zur Anmeldung").
_THE_WAY_TO = re.compile(
    r"\bwie\s+(komm|komme|kommt|kommen|finde|findet|finden)\s+(ich|man|wir)\s+"
    r"(\w+\s+){0,2}?(zu[mr]?|zu\s+de[mr]|nach)\s+\w+|"
    r"\bhow\s+(do|can|will|would|should|to)\s+((i|we|you|one)\s+)?get\s+to\s+\w+",
    re.I,
)


def asks_about_parking(text: str) -> bool:
    """Whether a message asks where to park (`_PARKING`)."""
    return bool(_PARKING.search(text))


def asks_the_way(text: str) -> bool:
    """Whether a message asks how to get to a place (`_THE_WAY`) or where to park there, or
    the way to an event it names."""
    if _THE_WAY.search(text) or _PARKING.search(text):
        return True
    return bool(_THE_WAY_TO.search(text)) and named_about_events(text).names_event


# Where an event is, or at what time: "Wo findet das Symposium statt?", "Where is the forum?",
# "Um wie viel Uhr geht die Exkursion los?", "What time does it start?": its date and place;
# asked in a clause ("can u tell me where the symposium is", "weißt du, wo das Forum
# stattfindet?").
_WHERE_OR_WHAT_TIME = re.compile(
    r"\b(wo|where)\s+(genau\s+|exactly\s+|nochmal\s+|again\s+|denn\s+|eigentlich\s+)?"
    r"(ist|sind|findet|finden|liegt|beginnt|startet|is|are|does|do|will)\b|"
    # "und wo?", "and where exactly?": a question of its own after one asking when
    r"^\W*(und\s+|and\s+)?(wo|where)(\s+(genau|exactly|again|nochmal|denn))?\W*$|"
    r"\b(wo|where)\s+(the|das|der|die|this|dieses|diese)\s+\w+(\s+\w+)?\s+"
    r"(is|ist|stattfindet|takes\s+place|will\s+be|liegt)\b|"
    r"\bum\s+wie\s*viel\s+uhr\b|\bwhat\s+time\b|\bab\s+wann\b|" + _THE_WAY.pattern,
    # the way there is the place too (`_THE_WAY`)
    re.I,
)
# Until when an event goes, or how long it lasts: "bis wann geht das Forum?", "wie lange
# dauert die Exkursion", "wann ist (is) da Schluss", "bis wieviel Uhr", "wann endet es", "when
# does it end/finish", "how long is the conference", "until when": its end, not only its start.
_UNTIL_WHEN = re.compile(
    r"\bbis\s+wann\b|\bbis\s+wie\s*viel\s+uhr\b|\bwie\s+lang[e]?\b|"
    r"\bwann\s+(endet|enden|hört|hoert|hören|hoeren)\b|"
    r"\bwann\s+(ist|is|wäre|waere|sind)\b[^?.!]*\b(schluss|ende|aus|vorbei|fertig)\b|"
    r"\bhow\s+long\b|\b(until|till|til)\s+when\b|"
    r"\b(when|what\s+time)\s+(does|do|will|is|would|should)\b[^?.!]*"
    r"\b(end|ends|finish|finishes|over|done|wrap\s+up)\b",
    re.I,
)


def asks_until_when(text: str) -> bool:
    """Whether a question asks when something ends or how long it lasts (`_UNTIL_WHEN`)."""
    return bool(_UNTIL_WHEN.search(with_apostrophes(text)))


# The events coming up, several: "was steht (so/demnächst) an", "welche Veranstaltungen
# kommen", "gibt es demnächst Veranstaltungen", "any events coming up", "events coming up?",
# "anything coming up": the list, as /termine shows it ("the next event" is the next one).
_PLURAL_EVENTS = r"(veranstaltungen|termine|events|exkursionen|excursions)"
_UPCOMING = re.compile(
    r"was\s+steht\s+([^\W\d_]+\s+){0,2}an\b|"
    # "was steht bei euch dieses Jahr so an?": more words where "an" ends the question
    r"was\s+steht\s+([^\W\d_]+\s+){3,5}an\s*([?.!,]|$)|"
    r"(kommende|anstehende|nächste|naechste)n?\s+(veranstaltungen|terminen?)\b|"
    r"\bwelche\s+" + _PLURAL_EVENTS + r"\s+(kommen|stehen|gibt|finden)\b|"
    r"\b(gibt\s+es|gibts)\s+(demnächst|demnaechst|bald|in\s+nächster\s+zeit|noch)\s+"
    r"(\w+\s+)?" + _PLURAL_EVENTS + r"\b|"
    r"(upcoming|next)\s+(events|excursions|dates)\b|what'?s\s+coming\s+up|"
    r"\b(any|some)\s+(more\s+)?(events|excursions)\b|"
    r"\b(events|excursions|anything)\s+coming\s+up\b",
    re.I,
)
# Asking what happens at a time ("Was findet im Februar statt?", "Was ist am 23.02. los?",
# "Findet am 12.3. etwas statt?", "Is something happening on 12 March?",
# "Gibt es am Freitag was?", "Steht nächste Woche etwas an?", "what's happening on 23
# February?", "anything on in May?", "anything this week?"): with a time named (a day, a
# month, a weekday or a span of days), the events then. A time alone asks nothing of events
# ("Ist das Büro am Freitag besetzt?"). "was is" is "was ist" typed on a phone.
_WHAT_HAPPENS = re.compile(
    r"\bwas\s+(ist|is|steht|läuft|laeuft|findet|passiert|geht|gibt)\b|\b(etwas|was)\s+los\b|"
    r"\bgibt(\s+es|s|'s)\b[^?.!]*\b(was|etwas|irgendwas)\s*(\?|$)|"
    # the verb first, then "etwas": "Findet am 12.3. etwas statt?", "Passiert im Mai was?"
    r"^\W*(findet|passiert|läuft|laeuft|steht|ist)\b[^?!\n]*\b(etwas|was|irgendwas|"
    r"irgendetwas)(\s+(statt|los|an))?\s*(\?|$)|"
    r"\b(etwas|was|irgendwas)\s+an\s*(\?|$)|"
    r"\bwhat(['’]s|\s+is|\s+are)?\s+(happening|on|going\s+on|planned|scheduled)\b|"
    r"\bwhat\s+happens\b|\b(is|are)\s+(there\s+)?(something|any\s+events?)\s+"
    r"(on|happening|planned|scheduled|going\s+on|taking\s+place)\b|"
    r"\banything\s+(on|happening|planned|scheduled|going\s+on|this|next|today|tomorrow"
    r"|tonight|at|over)\b",
    re.I | re.M,
)
# Asking which events there are: "welche Exkursionen …", "gibt es im März eine …", "is there …",
# "ist da eine …".
_WHAT_IS = re.compile(r"what(\s+is|'s)\b", re.I)
_WHAT_TIME = re.compile(r"what\s+time\b", re.I)
_WHICH = re.compile(
    r"\b(welche\w*|which|what|gibt\s+es|(?:ist|sind)\s+da|is\s+there|are\s+there)\b", re.I
)
# Articles, folded: an indefinite one makes "eine Exkursion" a general question.
_INDEFINITE = frozenset({"ein", "eine", "einer", "einem", "einen", "eines", "a", "an"})
_DEFINITE = frozenset(
    {"der", "die", "das", "dem", "den", "des", "zum", "zur", "beim", "vom", "im", "the"}
    # contracted with a preposition: "fürs Symposium", "ans Forum", "am Workshop"
    | {"furs", "fuers", "ins", "ans", "aufs", "am"}
)
# Before a place or name ("nach Berlin", "bei Harzmetall", "to Freiberg") and a month ("im März").
_TO_PLACE = frozenset({"nach", "zu", "bei", "in", "to", "at"})
_BEFORE_MONTH = frozenset(
    {"in", "im", "ab", "bis", "seit", "fuer", "for", "during", "until", "this", "next", "of"}
    | {"diesen", "naechsten", "kommenden", "anfang", "mitte", "ende", "early", "mid", "late"}
)
_TOKEN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def _analyzer() -> Analyzer:
    """The thesaurus' concepts, built on first use (not at import)."""
    return Analyzer()


@dataclass(frozen=True)
class Word:
    """A word of the question: as typed (for the answer), folded, stemmed, its concepts."""

    typed: str
    folded: str
    stem: str
    concepts: tuple[str, ...]


@lru_cache(maxsize=64)
def _slots(text: str) -> tuple[Any, ...]:
    """The analyzer's reading of a question, once per question (intent and names both use it)."""
    return tuple(_analyzer().slots(text[:500]))


@lru_cache(maxsize=64)
def words_of(text: str) -> tuple[Word, ...]:
    """The words as typed, each with the concepts of the word or of the thesaurus phrase it is
    part of ("Young Professionals", "Bad Harzburg")."""
    return _words(text, _slots(text))


def _words(text: str, slots: Sequence[Any]) -> tuple[Word, ...]:
    analyzer = _analyzer()
    in_phrase: dict[str, set[str]] = {}
    for slot in slots:
        if slot.concepts and " " in slot.text:
            for part in slot.text.split():
                in_phrase.setdefault(part, set()).update(slot.concepts)
    found = []
    for match in _TOKEN.finditer(text[:500]):
        folded = fold(match.group())
        concepts = {*analyzer.expand(folded), *in_phrase.get(folded, ())}
        found.append(Word(match.group(), folded, stem_bilingual(folded), tuple(sorted(concepts))))
    return tuple(found)


def is_function_word(word: Word) -> bool:
    """A stop word, or a word without a concept as common as one in general language
    ("gibt", "beim", "geht"; wordfreq, the FAQ index's measure): it frames the question,
    it names nothing an event could be about; so is polite filler ("pls", "thx")."""
    return (
        is_stop_word(word.folded)
        or is_filler(word.folded)
        or (not word.concepts and _analyzer().specificity(word.folded, FUNCTION_WORD_ZIPF) < 1.0)
    )


# --- what is asked -------------------------------------------------------------------------


def asks_deadline(text: str) -> bool:
    """Whether a question asks until when one can sign up ("Anmeldeschluss?", "bis wann kann
    ich mich anmelden?", "registration deadline"); not the deadline of something else ("the
    deadline of the call for papers")."""
    concepts = {c for slot in _slots(with_apostrophes(text)) for c in slot.concepts}
    if not concepts & _SIGNUP_CONCEPTS:
        return _signup_deadline_word(text)
    return bool(concepts & _DEADLINE_CONCEPTS or _UNTIL_WHEN.search(text))


def _signup_deadline_word(text: str) -> bool:
    """Whether a word of `text` is the deadline of signing up itself: a deadline word that
    begins with one of signing up ("Anmeldeschluss", "Anmeldefrist")."""
    analyzer = _analyzer()
    for word in words_of(text):
        parts = analyzer.split(word.folded)
        if not _DEADLINE_CONCEPTS.intersection(word.concepts) and not any(
            _DEADLINE_CONCEPTS & analyzer.concepts(part, "de") for part in parts
        ):
            continue
        starts = (word.folded[:end] for end in range(4, len(word.folded) - 2))
        if any(_SIGNUP_CONCEPTS & analyzer.concepts(start, "de") for start in starts):
            return True
    return False


def asks_for_paper(text: str, concepts: set[str] | None = None) -> bool:
    """Whether a message asks for a paper about taking part: a certificate of attendance, an
    invoice, a confirmation, a receipt ("Bekomme ich eine Teilnahmebestätigung?"), unless it
    also says to sign up ("sign me up and send me the invoice")."""
    if concepts is None:
        concepts = {c for slot in _slots(text) for c in slot.concepts}
    paper = bool(concepts & _PAPER_CONCEPTS) or any(
        w.folded in _PAPER_WORDS or w.folded.endswith(_PAPER_ENDS) for w in words_of(text)
    )
    return paper and not _ASKS_TO_SIGN_UP.search(text.replace("’", "'"))


def intent_of(text: str) -> Intent | None:
    """The kind of question, or None when it is not one this module answers."""
    text = with_apostrophes(text)
    # The concepts of whole words and phrases: a compound's parts say little ("Parkplätze").
    concepts = {c for slot in _slots(text) for c in slot.concepts}
    places = bool(concepts & _PLACES_CONCEPTS) or any(
        w.folded in _FULL_WORDS for w in words_of(text)
    )
    if _MINE.search(text):
        return Intent.MINE
    if _OFF_THE_LIST.search(text) or gives_place_away(text):
        return Intent.CANCEL
    if _COUNT_ME_IN.search(text):
        return Intent.SIGNUP
    if asks_for_paper(text, concepts) and not _several_questions(text):
        return None  # "certificate of attendance for the forum": the FAQ's, or the office's
    if concepts & _COST_CONCEPTS and not places and not _several_questions(text):
        return None  # "free places" asks for places; of several questions each is read alone
    asks_which = _UPCOMING.search(text) or asks_for_event(text) or _asks_what_happens(text)
    if (asks_which or _asks_kind_at_a_time(text)) and not places:
        return Intent.UPCOMING
    if places:
        return Intent.PLACES
    cannot_come = _CANNOT_COME.search(text.replace("’", "'"))
    # "unsubscribe me from the symposium": an event's, not the newsletter's
    unsubscribes = "~unsubscribe" in concepts and named_in_message(text).names_event
    if concepts & _CANCEL_CONCEPTS or cannot_come or unsubscribes or withdraws(text):
        return Intent.CANCEL
    if concepts & _SIGNUP_CONCEPTS or _ASKS_TO_SIGN_UP.search(text.replace("’", "'")):
        if _joins_association(text):
            return None  # "Can my company join the network at the conference?": membership
        return Intent.SIGNUP
    if _signup_deadline_word(text):
        # "wann ist Anmeldeschluss fürs Symposium?"; "wann ist da anmeldeschluss?" of the event
        # just talked about (naming none and after none, the FAQ's)
        return Intent.SIGNUP
    if _WHERE_DO_I.search(text) and asks_about_attending(text):
        return None  # "where do I leave my car at the forum": parking, not where the forum is
    if concepts & _DATES_CONCEPTS or _WHERE_OR_WHAT_TIME.search(text) or _UNTIL_WHEN.search(text):
        return Intent.DATES
    return None


# Where the member does something ("where do I leave my car", "where can we eat"), not where
# the event is: with something one asks about attending, it is that (`asks_about_attending`).
_WHERE_DO_I = re.compile(
    r"\bwhere\s+(do|can|should|shall|must|may|could)\s+(i|we|one|you)\b", re.IGNORECASE
)


# An event named by its number in a message ("für Nummer 2", "anmelden für Nr. 2", "for number
# 2", "for no. 2", "event #2"), as /anmelden 2 names it; not a number of something else.
_EVENT_NUMBER = re.compile(
    r"(?:(?<![\w-])(?:nummer|nr\.?|number|no\.|num\.?)\s*|#\s*)(?P<n>\d{1,9})(?!\d|[.,:]\d)",
    re.IGNORECASE,
)
# Words before it that make it another number: "meine Nummer", "my member number 4711".
_OTHER_NUMBER = re.compile(
    r"\b(?:my|mein\w*|member\w*|mitglied\w*|phone|telefon\w*|ticket\w*|kunden\w*|"
    r"customer|rechnung\w*|invoice|order|bestell\w*)\s*$",
    re.IGNORECASE,
)


def event_number_in(text: str) -> int | None:
    """The event's number a message names with "Nummer", "Nr.", "number", "no." or "#" ("ich
    möchte mich für Nummer 2 anmelden"); None for none, for a number of something else
    ("meine Mitgliedsnummer", "my member number 4711"), or for two different ones."""
    numbers = {
        int(found["n"])
        for found in _EVENT_NUMBER.finditer(text)
        if not _OTHER_NUMBER.search(text[: found.start()])
    }
    return numbers.pop() if len(numbers) == 1 else None


# Other people a member means to bring or sign up as well ("mit 2 Kollegen", "for 3 people",
# "with my colleague"): sign-ups are per person (one `EventSignup` per member; no guests).
_OTHER_PEOPLE_CONCEPTS = frozenset({"~guest", "~workforce", "~human"})
_WE = frozenset({"wir", "uns", "we", "us"})
# Words for colleagues the thesaurus has no concept for ("coworker", "workmate", "teammate",
# "Arbeitskollegin", "Teamkollege"), by the start or end of their folded form: the same
# people as "colleague" is. "co-worker" is read as typed without its hyphen.
_COLLEAGUE_STARTS = ("cowork", "workmate", "teammate", "team-mate", "officemate")
_COLLEAGUE_ENDS = (
    *("kollege", "kollegen", "kollegin", "kolleginnen"),
    *("mitarbeiter", "mitarbeiterin", "mitarbeiterinnen", "mitarbeitende", "mitarbeitenden"),
)
_CO_WORKER = re.compile(r"\bco-(?=worker)", re.IGNORECASE)


def _is_other_person(word: Word) -> bool:
    """Whether a word names people besides the member: a colleague, a guest, staff."""
    if set(word.concepts) & _OTHER_PEOPLE_CONCEPTS:
        return True
    return word.folded.startswith(_COLLEAGUE_STARTS) or word.folded.endswith(_COLLEAGUE_ENDS)


def _people_words(text: str) -> Sequence[Word]:
    """The words of `text`, "co-worker" as one."""
    return words_of(_CO_WORKER.sub("co", text))


# Students or trainees are others where the member counts or owns them ("drei meiner
# Studierenden", "my students"); "Ich bin Studentin" speaks of the member.
_STUDENT = "~student"
_COUNTING_OR_OWNING = frozenset(
    {"meine", "meiner", "meinen", "unsere", "unserer", "unseren", "my", "our", "some", "several"}
)


def brings_others(text: str) -> bool:
    """Whether a message to sign up speaks of other people too: a word for colleagues,
    guests, staff or persons, or "we"/"us", or students counted or owned."""
    said = _people_words(text)
    return any(
        _is_other_person(word) or word.folded in _WE or _owned(said, n)
        for n, word in enumerate(said)
    )


def _counts_or_owns(word: str) -> bool:
    return word.isdigit() or word in _NUMBER_WORDS or word in _COUNTING_OR_OWNING


# Verbs of bringing someone along or coming along ("mitbringen", "mitkommen", "bring", "come
# along", "come too"), by stem; "begleiten" by its verb forms, since "Begleitung" (a
# companion) shares its stem and is one of the people brought. Not "mitnehmen" alone: "Kann
# mich jemand zur Exkursion mitnehmen?" asks for a lift.
_BRING_STEMS = frozenset({"bring", "mitbring", "mitkomm", "accompani"})
# "mitnehmen" brings someone along where a person of the member's, or one, is taken ("Kann
# ich meinen Azubi mitnehmen?", "nen Kollegen"); "Kann mich jemand mitnehmen?" is a lift.
_TAKE_ALONG = "mitnehm"
_A = frozenset({"einen", "eine", "nen", "ne", "a", "an"})  # "nen Kollegen mitnehmen"
_MAY = frozenset({"darf", "durfen", "dürfen", "kann", "konnen", "können"})
# "mit" or "auch" going to an event, or "mit" at the end: "mit zur Exkursion", "auch zum Forum"
_ALONG_TO = re.compile(r"\b(?:mit|auch)\s+(?:zum|zur|ins|nach|in\s+(?:die|den|das))\b|\bmit$")
_POSSESSIVES = frozenset(
    {"mein", "meine", "meinen", "meinem", "meiner", "unser", "unsere", "unseren", "unserem"}
    | {"unserer", "my", "our"}
)
_ACCOMPANY_FORMS = frozenset({"begleiten", "begleitet", "begleite"})
_ALONG = frozenset({"along", "with", "too", "also"})
# Someone not named by a word for people ("jemanden", "someone").
# "jmd", "jmdn", "jmdm": the dictionary's abbreviations, typed so on a phone.
_SOMEONE = frozenset(
    {"jemand", "jemanden", "jemandem", "jmd", "jmdn", "jmdm", "jemd"}
    | {"someone", "somebody", "anyone", "anybody"}
)


# "der noch kein Mitglied ist", "Nichtmitglieder", "non-members", "who isn't a member"
_NOT_MEMBER = re.compile(
    r"\b(?:nicht|kein\w*)\s+(?:\w+\s+)?mitglied\w*|\bnicht-?mitglied\w*|"
    r"\bnon[-\s]?members?\b|\b(?:not|isn'?t|aren'?t|no)\s+(?:\w+\s+)?members?\b",
    re.IGNORECASE,
)


def asks_about_non_members(text: str) -> bool:
    """Whether a question speaks of people who are not members ("Kann ich einen Kollegen
    mitbringen, der noch kein Mitglied ist?", "Can non-members come too?"): whether they may
    come is the network's rule, which the FAQ or the office knows, not how to sign up."""
    return bool(_NOT_MEMBER.search(text))


def asks_to_bring_others(text: str) -> bool:
    """Whether a question asks if another person may come along ("Kann ich meinen Kollegen
    mitbringen?", "Can my colleague come along?", "Can my colleague come too?", "Darf ich
    jemanden mitbringen?"): a verb of
    bringing or coming along and a person, by `brings_others`'s words for people other than
    the verb itself ("mitbringen" is one of a guest's words); not a thing or an animal
    ("Kann ich meinen Hund mitbringen?", "Can I bring my laptop?")."""
    if not asks(text):
        return False
    words = _people_words(text)
    folded = {word.folded for word in words}
    verbs = {word.folded for word in words if word.stem in _BRING_STEMS}
    verbs |= folded & _ACCOMPANY_FORMS
    owned = any(_owned(words, i) for i in range(len(words)))
    if any(word.stem == _TAKE_ALONG for word in words) and any(
        words[i - 1].folded in _POSSESSIVES | _A
        and (_is_other_person(words[i]) or _owned(words, i))
        for i in range(1, len(words))
    ):
        verbs.add(_TAKE_ALONG)  # "meinen Azubi mitnehmen": bringing, not a lift
    # "can my students come to …?", "is it ok if a colleague comes along?"
    if folded & {"come", "comes"} and (folded & _ALONG or owned):
        verbs.add("come")
    # the verb left out, as it is said: "darf mein Chef mit zur Exkursion?", "darf mein
    # Kollege auch zum Forum?" (one's own person, allowed along)
    if (
        folded & _MAY
        and _ALONG_TO.search(" ".join(word.folded for word in words))
        and any(
            words[i - 1].folded in _POSSESSIVES
            and (_is_other_person(words[i]) or _person_at(words, i))
            for i in range(1, len(words))
        )
    ):
        verbs.add("mit")
    people = owned or any(
        word.folded in _SOMEONE
        or (word.folded not in verbs and (_is_other_person(word) or _person_at(words, i)))
        for i, word in enumerate(words)
    )
    return (bool(verbs) and people) or _signs_up_others_too(words)


def _person_at(words: Sequence[Word], i: int) -> bool:
    """Whether the word at `i` names a person besides the colleagues and guests of
    `_is_other_person`, whoever they are ("ne Praktikantin", "meinen Chef", "my intern":
    bot/textmatch/people.py, from WordNet and the dictionary); not a stop word ("man"), nor
    the member's own role ("als Studentin", "as a student")."""
    word = words[i]
    if is_stop_word(word.folded) or _AS & {w.folded for w in words[max(0, i - 2) : i]}:
        return False
    if _says_self(words[max(0, i - 4) : i]):
        return False  # "I'm a PhD student, can I come along?": the member, not someone else
    return names_person(word.folded, detect_language([w.folded for w in words]))


def _says_self(before: Sequence[Word]) -> bool:
    """Whether the words before a person's word say the member is one ("ich bin", "bin",
    "I'm a", "I am a", "we are"): a sentence about oneself, no other person."""
    folded = [w.folded for w in before]
    # "bin Doktorandin" is said without its "ich" as often as with it
    return bool({"bin", "sind"} & set(folded) or SAYS_SELF & set(pairwise(folded)))


# Signing someone else up as well ("Kann ich meinen Kollegen mit anmelden?", "… auch
# anmelden?", "mitanmelden", "can I register my colleague too?", "Kann meine Kollegin auch
# teilnehmen?", "my colleague wants to join too"): a verb of signing up or taking part, a
# person (not oneself "als Gast", "as a guest") and a word that they come too: "auch",
# "ebenfalls", "too", "also", "as well" anywhere; "mit" right before the verb or before the
# person ("mit meinem Kollegen", not "mit ihrer Mitgliedsnummer").
_TOO = frozenset({"auch", "ebenfalls", "too", "also"})
_AS = frozenset({"als", "as"})


def _signs_up_others_too(words: Sequence[Word]) -> bool:
    folded = [word.folded for word in words]
    signing = [i for i, w in enumerate(words) if _SIGNING_UP & set(w.concepts)]
    signing += [i for i, w in enumerate(words) if w.stem.startswith("mitanmeld")]
    concepts = {concept for word in words for concept in word.concepts}
    if not concepts & _MEMBERSHIP_CONCEPTS:
        # "can my colleague join too?" (joining the association is becoming a member)
        signing += [i for i, w in enumerate(words) if "~join" in w.concepts]
    persons = [
        i
        for i, w in enumerate(words)
        if (_is_other_person(w) or w.folded in _SOMEONE or _owned(words, i) or _person_at(words, i))
        and not _AS & set(folded[max(0, i - 2) : i])
        and i not in signing
    ]
    if not signing or not persons:
        return False
    if any(words[i].folded in _SOMEONE for i in persons):
        return True  # "kann ich noch jmd anmelden?": someone is another person
    too = bool(_TOO & set(folded)) or "as well" in " ".join(folded)
    along = any(words[i].stem.startswith("mitanmeld") for i in signing)
    along = along or any(i > 0 and folded[i - 1] == "mit" for i in signing)
    along = along or any("mit" in folded[max(0, i - 3) : i] for i in persons)
    # "meine Studierenden anmelden", "drei Kollegen anmelden": others, counted or owned (not
    # "kann sich meine Kollegin … anmelden": she signs herself up)
    # "eine Auszubildende anmelden", "a trainee": someone of their own, not the member
    owned = "sich" not in folded and any(
        i > 0 and (_counts_or_owns(folded[i - 1]) or folded[i - 1] in _INDEFINITE) for i in persons
    )
    return too or along or owned


def _owned(words: Sequence[Word], i: int) -> bool:
    """Students or trainees the member counts or owns ("meine Studierenden", "2 Azubis")."""
    return _STUDENT in words[i].concepts and i > 0 and _counts_or_owns(words[i - 1].folded)


# --- what is named -------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _kind_vocabulary() -> tuple[dict[str, frozenset[str]], frozenset[str], frozenset[str]]:
    """Per kind, the stems and thesaurus concepts of its names in both catalogues; the concepts
    of the general word ("Veranstaltung", "event"); and the stems of every kind name."""
    analyzer = _analyzer()

    def terms(kind: str) -> tuple[set[str], set[str]]:
        stems, concepts = {stem_bilingual(kind)}, set(analyzer.expand(kind))
        for lang in ("de", "en"):
            for word in _TOKEN.findall(fold(t(lang, f"events.kind_{kind}"))):
                stems.add(stem_bilingual(word))
                concepts.update(analyzer.expand(word))
        return stems, concepts

    general_stems, general = terms("other")
    kinds: dict[str, frozenset[str]] = {}
    all_stems = set(general_stems)
    for kind in KINDS:
        if kind == "other":
            continue
        stems, concepts = terms(kind)
        all_stems |= stems
        kinds[kind] = frozenset(stems | (concepts - general))
    return kinds, frozenset(general | general_stems), frozenset(all_stems)


def names_events_at_large(word: Word) -> bool:
    """Whether a word is the general word for events ("Veranstaltung", "event"), no kind."""
    _kinds, general, _stems = _kind_vocabulary()
    return bool({word.stem, *word.concepts} & general)


def kind_of(word: Word) -> str | None:
    """The kind of event a word names ("Exkursion", "excursion", "Symposiun"), if any."""
    kinds, _general, _stems = _kind_vocabulary()
    keys = {word.stem, *word.concepts}
    for kind, vocabulary in kinds.items():
        if keys & vocabulary:
            return kind
    return _misspelt_kind(word)


def _misspelt_kind(word: Word) -> str | None:
    """The kind a long word no dictionary knows is one typo away from ("Symposiun",
    "Exkursoin": a swap of two letters is one typo)."""
    if len(word.folded) < MIN_TYPO_LENGTH or word.concepts:
        return None
    if _analyzer().specificity(word.folded, TYPO_MAX_ZIPF) < 1.0:
        return None  # a word of its own ("Symposion" is not, "Exkursion" neither)
    for kind, names in _kind_names().items():
        if one_typo_from(word.folded, names) is not None:
            return kind
    return None


@lru_cache(maxsize=1)
def _kind_names() -> dict[str, frozenset[str]]:
    """Per kind, the folded words of its names in both catalogues ("exkursion", "excursion")."""
    return {
        kind: frozenset(
            word
            for lang in ("de", "en")
            for word in _TOKEN.findall(fold(t(lang, f"events.kind_{kind}")))
            if len(word) >= MIN_TYPO_LENGTH - 1
        )
        for kind in KINDS
        if kind != "other"
    }


def _month_at(words: Sequence[Word], index: int) -> int | None:
    """A month, when the word is one and is used as one ("im März", "May 12"; not "may I");
    a short form only after "im", "in", "ab" … or beside a number ("im Feb", "in sept",
    "Dec 12"; not "Jan" or "Dec" as someone's name)."""
    number = month_numbers().get(words[index].folded)
    short = month_abbreviations().get(words[index].folded)
    if number is None and short is None:
        return None
    before = words[index - 1] if index else None
    after = words[index + 1] if index + 1 < len(words) else None
    if after and after.folded.isdigit():
        return number or short
    marks = _BEFORE_MONTH
    if number is None and words[index].folded in _SHORT_AND_NAME:
        marks = _BEFORE_MONTH - _FOR_SOMEONE
    if before and (before.folded in marks or before.folded.isdigit()):
        return number or short
    return number if index and words[index].typed[:1].isupper() else None


# A month's short form that is a first name too: after "für", "for" it is someone ("ein Platz
# für Jan"), after "im", "ab", "in" the month ("im Jan"; with a year, "für Jan 2027", as well).
_SHORT_AND_NAME = frozenset({"jan"})
_FOR_SOMEONE = frozenset({"fuer", "for", "of"})


# A year after a month's name ("März 2028"): four digits in this range.
_YEARS = range(2000, 2200)


def _year_after(words: Sequence[Word], index: int) -> int | None:
    """The year written right after the month at `index` ("im März 2028"), else None."""
    after = words[index + 1].folded if index + 1 < len(words) else ""
    return int(after) if len(after) == 4 and after.isdigit() and int(after) in _YEARS else None


# Words before a weekday's short form that make it one ("am Di", "on Tue", "next Fri"): the
# short forms are words too ("So, wann …?", "Do you …?", "Fr. Berger").
_BEFORE_WEEKDAY = frozenset(
    {"am", "an", "on", "this", "next", "coming", "every", "until", "from", "by"}
    | {"diesen", "naechsten", "kommenden", "jeden", "bis", "ab"}
)


@lru_cache(maxsize=1)
def _weekday_words() -> tuple[dict[str, int], dict[str, int]]:
    """Folded weekday names of both languages with their numbers (Monday 0), with an "s"
    ("dienstags", "on Tuesdays"); and the short forms ("di", "tue") apart."""
    full = weekday_numbers()
    short = {word: n for word, n in weekday_numbers(short=True).items() if word not in full}
    return {**full, **{f"{word}s": n for word, n in full.items()}}, short


def _weekday_at(words: Sequence[Word], index: int) -> int | None:
    """The weekday a word names (0 = Monday): a name in full anywhere ("am Dienstag",
    "Tuesday", "freitags"); a short form after "am"/"on"/"next" …, last or before a number
    ("/anmelden Workshop Fr", "Di 14 Uhr"), or capitalised before a word that is not ("the
    Tue workshop"), and no stop word there ("So", "Do" start sentences)."""
    full, short = _weekday_words()
    word = words[index]
    if word.folded in full:
        return full[word.folded]
    number = short.get(word.folded)
    if number is None:
        return None
    if index and words[index - 1].folded in _BEFORE_WEEKDAY:
        return number
    if is_stop_word(word.folded):
        return None
    after = words[index + 1] if index + 1 < len(words) else None
    if after is None or after.folded.isdigit():
        return number
    capitalised = word.typed[:1].isupper()
    return number if capitalised and not after.typed[:1].isupper() else None


def _article_before(words: Sequence[Word], index: int) -> str | None:
    for word in reversed(words[max(0, index - ARTICLE_REACH) : index]):
        if word.folded in _INDEFINITE or word.folded in _DEFINITE:
            return word.folded
    return None


def _is_name(words: Sequence[Word], index: int) -> bool:
    """A place or proper name: a place of the thesaurus, or a capitalised word after "nach",
    "bei", "to" … that is no known word ("nach Berlin", "bei Harzmetall", "to Freiberg")."""
    word = words[index]
    if _PLACE_NAME in word.concepts:
        return True
    if word.concepts or is_stop_word(word.folded) or len(word.folded) < 3:
        return False
    if not word.typed[:1].isupper() or index == 0:
        return False
    before = [w.folded for w in words[max(0, index - 2) : index]]
    if before and before[-1] in _DEFINITE | _INDEFINITE:
        before = before[:-1]
    return bool(before) and before[-1] in _TO_PLACE


def asks_other_things(text: str) -> bool:
    """True for a message with several questions of which one is not about events ("Wie hoch
    ist der Beitrag? Ist das Symposium für Mitglieder kostenlos?"): the live answer to one
    of them would pass over the others; the FAQ reads the whole message."""
    asking = questions(text)
    return len(asking) > 1 and any(intent_of(sentence) is None for sentence in asking)


def _several_questions(text: str) -> bool:
    return len(questions(text)) > 1


def _asks_what_happens(text: str) -> bool:
    """ "Was ist am 23.02. los?", "what's on in May?", "Was ist am Dienstag los?", "anything
    next week?": what happens on a day, in a month, on a weekday or in a span of days."""
    return bool(_WHAT_HAPPENS.search(text)) and named_in(text).in_time


def asks_for_event(text: str) -> bool:
    """Whether "welche …", "gibt es …", "is there …" asks for events: the first word after it
    that is no function word or month is a kind or the general word ("gibt es im März eine
    Exkursion?"; not "gibt es Parkplätze beim Symposium?")."""
    _day, text = day_named_in(text)  # "gibt es am 23.02.2027 eine …": the day is no event
    found = _WHICH.search(text)
    if found is None or _WHAT_IS.match(text, found.start()):
        return False  # "What is the symposium about?" asks about it, not for a list
    if _WHAT_TIME.match(text, found.start()):
        return False  # "what time does the forum finish?" asks when, not which
    words = words_of(text[found.end() :])
    _kinds, general, _stems = _kind_vocabulary()
    _span, in_span = span_in([w.folded for w in words])
    for index, word in enumerate(words):
        if is_function_word(word) or _month_at(words, index) is not None:
            continue
        if _weekday_at(words, index) is not None or index in in_span or word.folded.isdigit():
            continue  # "gibt es am Dienstag einen Workshop?", "… diese Woche …", "… März 2028 …"
        return kind_of(word) is not None or bool({word.stem, *word.concepts} & general)
    return False


# Prepositions before an event that make it the setting of what is asked for.
_SETTING = frozenset({"beim", "bei", "im", "auf", "während", "waehrend", "at", "during", "on"})


# "Gibt es im Januar ein Symposium?", "Is there a forum in May?": asked whether there is one,
# so one that is gets a yes.
_WHETHER_THERE_IS = re.compile(
    r"^\W*(?:(?:hallo|hello|hi|hey|moin)\W+)*(?:gibt\s+es|gibts|findet|(?:ist|sind)\s+da"
    r"|is\s+there|are\s+there|will\s+there\s+be)\b",
    re.IGNORECASE,
)


def asks_whether_there_is(text: str) -> bool:
    """Whether a question asks if there is an event ("Gibt es …?", "Is there …?", "any forum
    in March?", "Forum im März?")."""
    return bool(_WHETHER_THERE_IS.search(text)) or _asks_kind_at_a_time(text, anything=False)


# Around a kind and a time in a question of a few words ("any forum in March?", "noch ein
# Forum im März?", "Workshop am Dienstag?"): asking for one, and the words of the time.
_FOR_ONE = frozenset({"any", "another", "noch", "nochmal", "wieder"}) | _INDEFINITE
_OF_TIME = _BEFORE_MONTH | _BEFORE_WEEKDAY | _DEFINITE | {"on", "at", "am", "im", "um"}
_GREETINGS = frozenset({"hallo", "hello", "hi", "hey", "moin"})
_ANY_FIRST = re.compile(r"^\W*any(thing)?\b", re.IGNORECASE)
# Instead of a kind, anything at all ("am Dienstag was?", "anything in March"), and the
# words that ask whether there is ("gibt es", "ist da", "is there", "was los").
_SOMETHING = frozenset({"was", "etwas", "irgendwas", "anything", "something"})
_THERE_IS = frozenset({"gibt", "es", "ist", "da", "is", "there", "are", "los"})


def _asks_kind_at_a_time(text: str, *, anything: bool = True) -> bool:
    """Whether a question is a kind (or the general word, "Veranstaltungen", "events", or
    anything at all, "was", "anything") and a time and nothing else but words asking for one
    ("any forum in March?", "noch ein Forum im März?", "Forum im März?", "events in
    march?", "am Dienstag was?", "gibt es was im März"): whether there is one then, as
    "Gibt es im März ein Forum?" asks. Asked by its "?", its "any" or "anything" first or
    its "gibt es", "is there" first; a word of anything else makes it another question
    ("Forum im März: wo parke ich?", "Ist das Büro im März geschlossen?"). Not `anything`:
    only a kind or the general word asks whether there is one ("anything on Friday?" asks
    what is on)."""
    asked = text.rstrip().endswith("?") or _ANY_FIRST.search(text)
    if not (asked or _WHETHER_THERE_IS.search(text)):
        return False
    day, rest = day_named_in(text)
    words = words_of(rest)
    _span, in_span = span_in([w.folded for w in words])
    _kinds, general, _stems = _kind_vocabulary()
    kind, timed = False, day is not None or bool(in_span)
    for index, word in enumerate(words):
        if index in in_span or word.folded.isdigit():
            continue
        if _month_at(words, index) is not None or _weekday_at(words, index) is not None:
            timed = True
        elif kind_of(word) is not None or {word.stem, *word.concepts} & general:
            kind = True
        elif word.folded in _SOMETHING:
            kind = kind or anything
        elif word.folded not in _FOR_ONE | _OF_TIME | _GREETINGS | _THERE_IS:
            return False
    return kind and timed


def _joins_association(text: str) -> bool:
    """Whether a message is about joining the association or becoming a member, with every
    event kind it names after "at", "beim" and the like: the setting, not what is joined."""
    words = words_of(text)
    if not any(
        _MEMBERSHIP_CONCEPTS.intersection(word.concepts) and not _before(words, i) & _IN_THE_ROLE_OF
        for i, word in enumerate(words)
    ):
        return False  # none, or "als Mitglied", "as a member": who comes along
    kinds = [i for i, word in enumerate(words) if kind_of(word) is not None]
    return bool(kinds) and all(_before(words, i) & _SETTING for i in kinds)


def _before(words: Sequence[Word], index: int) -> set[str]:
    """The two words before the one at `index`, folded."""
    return {w.folded for w in words[max(0, index - 2) : index]}


def asks_at_event(text: str) -> bool:
    """Whether a question names an event as the place of what it asks for, something after it
    ("Gibt es beim Symposium ein Mittagessen?", "Is there lunch at the symposium?" does not:
    nothing follows), not the event itself ("Gibt es im März eine Exkursion?")."""
    words = words_of(text)
    _span, in_span = span_in([w.folded for w in words])
    for index, word in enumerate(words):
        if kind_of(word) is None:
            continue
        after = [
            w
            for n, w in enumerate(words[index + 1 :], start=index + 1)
            if not is_function_word(w) and _weekday_at(words, n) is None and n not in in_span
        ]
        return bool(_before(words, index) & _SETTING) and any(
            _month_at([w], 0) is None for w in after
        )
    return False


@dataclass(frozen=True)
class Named:
    """What a question names. `generic`: only "an event"/"eine Exkursion", no particular one."""

    kind: str | None = None
    month: int | None = None
    # The year given after the month ("im März 2028"); None: the month's next occurrence.
    year: int | None = None
    day: DayNamed | None = None
    # A weekday (0 = Monday): "am Dienstag", "on Tue"; the event on it is meant.
    weekday: int | None = None
    # A day of the month alone ("am 23.", "on the 29th"): the date of one of the member's own
    # events, which they know (`day_of_month_in`); read where they cancel (`live.py`).
    day_of_month: int | None = None
    # Days named from today ("morgen", "nächste Woche", "am Wochenende"): `pick` takes the
    # events on them where it is given today (the live answers to what is on and when).
    span: Span | None = None
    general: bool = False
    generic: bool = False
    names: tuple[Word, ...] = ()
    stems: frozenset[str] = frozenset()
    # Words the thesaurus knows for something no event question is about ("Rabatt",
    # "Teilnahmegebühr", "Kinderbetreuung"): the question is about that, at the event.
    others: frozenset[str] = frozenset()
    # Beside a kind, the words the thesaurus or glossary knows (`others` among them): one may
    # be a word of a title ("Hütte") or another word for it ("smelter"; `names_title`). Not
    # without a kind: "Wie mache ich bei den Young Professionals mit?" or "Who can join the
    # network?" asks about the network, not about its event with those words in its title.
    known: tuple[Word, ...] = ()
    # Every kind named, `kind` the first ("Symposium und Forum": two).
    kinds: frozenset[str] = frozenset()
    # Those of `stems` that say "event" by their form (`general_by_form`: "Netzwerktreffen",
    # "meetup"): `general`, and a word of a title where one has it ("Harztreffen").
    general_stems: frozenset[str] = frozenset()

    @property
    def names_event(self) -> bool:
        """Names an event by its kind or a name of its own (a place, a title word named as
        such); not by a word a title only happens to share ("Recycling"), nor "an event"."""
        return not self.generic and bool(self.kind or self.names)

    @property
    def particular(self) -> bool:
        """Names a kind, a month, a day, a weekday or a place (words of a title count once
        they match one); not days from today, which pick only where today is known."""
        return bool(self.kind or self.month or self.day or self.names) or self.weekday is not None

    @property
    def in_time(self) -> bool:
        """Names when: a day, a weekday, a month or days from today."""
        return bool(self.day or self.month or self.span) or self.weekday is not None

    def weekday_label(self, lang: str) -> str | None:
        """The weekday named, in full in the language ("Dienstag", "Tuesday")."""
        if self.weekday is None:
            return None
        return str(get_day_names("wide", locale=lang)[self.weekday])


# How many others come along, as a word ("mit zwei Kolleginnen", "with three colleagues"):
# read as the digit is, so that the number word is not taken for a word of a title.
_NUMBER_WORDS = {word: str(number) for word, number in number_words().items() if 2 <= number <= 12}
_WITH_NUMBER_WORD = re.compile(
    r"\b(?P<with>mit|with|für|for|plus|und|and)\s+"
    r"(?P<mine>(?:meinen|unseren|my|our|another|other|weiteren)\s+)?"
    rf"(?P<number>{'|'.join(_NUMBER_WORDS)})\b(?=\s+[^\W\d_])",
    re.IGNORECASE,
)


def number_words_as_digits(text: str) -> str:
    """ "mit zwei Kolleginnen" as "mit 2 Kolleginnen": a number word after "mit"/"with" (and
    before the people it counts) stands for its digit."""

    def digit(m: re.Match[str]) -> str:
        return f"{m['with']} {m['mine'] or ''}{_NUMBER_WORDS[m['number'].lower()]}"

    return _WITH_NUMBER_WORD.sub(digit, text)


def named_in(text: str) -> Named:
    """Read the kind, day or month, places and possible title words a question names."""
    text = number_words_as_digits(text)
    day, text = day_named_in(text)  # its numbers and month are no title words
    day_of_month = None
    if day is None:
        day_of_month, text = day_of_month_in(text)  # "am 23.", "the 29th": no title words
    words = words_of(text)
    span, in_span = span_in([w.folded for w in words])
    _kinds, general_vocabulary, kind_stems = _kind_vocabulary()
    kind, month, year, weekday, generic = None, None, None, None, False
    general = False
    in_year: set[int] = set()  # the year after a month ("im März 2028"): when, no word of a title
    names: list[Word] = []
    stems: set[str] = set()
    others: set[str] = set()
    known: list[Word] = []
    kinds: set[str] = set()
    general_stems: set[str] = set()
    in_company = _in_company_name(words)
    for index, word in enumerate(words):
        if index in in_span or index in in_year or index in in_company:
            continue  # "nächste Woche", "morgen": when; "Harz GmbH": a company; no title word
        found = kind_of(word)
        if found is not None:
            kinds.add(found)
        if found is not None and kind is None:
            kind = found
            generic = _article_before(words, index) in _INDEFINITE
            continue
        if found is not None:
            continue
        number = _month_at(words, index)
        if number is not None:
            given = _year_after(words, index)
            if given is not None:
                in_year.add(index + 1)
            if month is None:
                month, year = number, given
            continue
        named_day = _weekday_at(words, index)
        if named_day is not None:
            weekday = named_day if weekday is None else weekday
            continue
        if {word.stem, *word.concepts} & general_vocabulary:
            general = True
            continue
        if not word.concepts and general_by_form(word.folded):
            general = True  # "Netzwerktreffen", "meetup"; still maybe a title's word
            general_stems.add(word.stem)
        if _is_name(words, index):
            names.append(word)
        elif not word.concepts and not is_function_word(word) and len(word.folded) >= 3:
            stems.add(word.stem)  # may be a word of a title ("Harzmetall")
        else:
            if set(word.concepts) - _EVENT_CONCEPTS and not is_function_word(word):
                known.append(word)
            if _about_something_else(word):
                others.add(word.stem)
    return Named(
        kind=kind,
        month=month,
        year=year,
        day=day,
        weekday=weekday,
        day_of_month=day_of_month,
        span=span,
        general=general,
        generic=generic and not (month or day or names or weekday is not None),
        names=tuple(names),
        stems=frozenset(stems - kind_stems),
        others=frozenset(others),
        known=tuple(known) if kind else (),
        kinds=frozenset(kinds),
        general_stems=frozenset(general_stems),
    )


# An English noun of a verb and "up" ("meetup", "meetups"), read as the verb.
_UP_ENDINGS = ("ups", "up")


def general_by_form(folded: str) -> bool:
    """Whether a word no thesaurus line knows says "event" by its form: a German compound
    whose last part is the general word ("Netzwerktreffen", "Mitgliederveranstaltung"), or an
    English noun of "up" and a verb that is ("meetup")."""
    analyzer = _analyzer()
    _kinds, general, _stems = _kind_vocabulary()
    parts = analyzer.split(folded)
    if parts and set(analyzer.expand(parts[-1])) & general:
        return True
    for ending in _UP_ENDINGS:
        base = folded.removesuffix(ending)
        if base != folded and len(base) >= MIN_VERB and set(analyzer.expand(base)) & general:
            return True
    return False


# The shortest verb read before "up" ("meet").
MIN_VERB = 3


# The legal forms that end a company's name ("Harz GmbH", "Goslar Recycling AG", "Harz e. V.",
# "Harz Minerals Ltd"), folded.
_LEGAL_FORMS = frozenset(LEGAL_FORMS)
# How many words of a company's name a legal form may follow ("Harz Metall Recycling GmbH").
COMPANY_NAME_WORDS = 3


def _in_company_name(words: Sequence[Word]) -> frozenset[int]:
    """The positions of the place words in a company's name, which name no place an event
    is in: one followed by a legal form ("Harz GmbH", "Goslar Recycling AG", "Harz e. V."),
    and one after "bei der" ("bei der Harz": the region is "im Harz")."""
    found: set[int] = set()
    for index, word in enumerate(words):
        if _PLACE_NAME not in word.concepts:
            continue
        after = words[index + 1 : index + 1 + COMPANY_NAME_WORDS + 1]
        for n, later in enumerate(after):
            if later.folded in _LEGAL_FORMS or _is_ev(after, n):
                found.add(index)
                break
            if not later.typed[:1].isupper():
                break  # "Harz und die Metall GmbH": not one name
        if [w.folded for w in words[max(0, index - 2) : index]] == ["bei", "der"]:
            found.add(index)
    return frozenset(found)


def _is_ev(words: Sequence[Word], index: int) -> bool:
    """ "e. V.", an association's legal form, at `index`."""
    return words[index].folded == "e" and index + 1 < len(words) and words[index + 1].folded == "v"


def _about_something_else(word: Word) -> bool:
    """A specific word whose concepts are none an event question is asked with."""
    return (
        bool(word.concepts)
        and not set(word.concepts) & _EVENT_CONCEPTS
        and not is_function_word(word)
        and _analyzer().specificity(word.folded) >= OTHER_MIN_SPECIFICITY
    )


# How one travels names no event: "by train" is no training, "mit dem Zug" no Zug.
_TRAVELLING = re.compile(
    r"\bby\s+(?:train|rail|bus|coach|car|bike|bicycle|tram|taxi|public\s+transport)\b|"
    r"\bmit\s+(?:dem|der|den|einem|meinem)?\s*(?:zug|bahn|s-bahn|bus|auto|pkw|rad|fahrrad|"
    r"taxi|öffis|oeffis|öpnv|oepnv|straßenbahn|strassenbahn)\b",
    re.IGNORECASE,
)


def named_in_message(text: str) -> Named:
    """`named_in` for a whole message. Where sentences of context come before the question,
    places and title words count only from the sentences that ask: "Wir sind ein Start-up aus
    Clausthal. Wie melde ich mich für den Newsletter an?" names no event in Clausthal, nor do
    days from today. Kinds and months count from all ("Wir wollen zur Exkursion. Wie melde
    ich mich an?"). How one travels names nothing ("how do I get there by train?")."""
    text = _TRAVELLING.sub(" ", text)
    named = named_in(text)
    focus = asking_part(text)
    if focus is None:
        return named
    asked = named_in(focus)
    # days from today said beside the question are the member's ("Wann ist der Workshop? Ich
    # habe nächste Woche Urlaub"), not when the event asked about is
    return replace(
        named,
        names=asked.names,
        stems=asked.stems,
        others=asked.others,
        known=asked.known,
        span=asked.span,
    )


# --- which events -------------------------------------------------------------------------


def event_stems(event: Event) -> frozenset[str]:
    """The words an event is named by: its title's (German and English, as members ask in
    either) and its place's."""
    named = f"{event.title} {event.title_en or ''} {event.place}"
    return frozenset(stem_bilingual(w) for w in _TOKEN.findall(fold(named)))


def event_concepts(event: Event) -> frozenset[str]:
    """The concepts (thesaurus, network glossary) of the words an event is named by, German
    and English: what another word for one of them shares ("smelter" and "Hütte")."""
    return frozenset().union(
        *(_concepts_of(text) for text in (event.title, event.title_en or "", event.place))
    )


@lru_cache(maxsize=512)
def _concepts_of(text: str) -> frozenset[str]:
    """The concepts of a title's or place's words, read as a question's words are."""
    words = _words(text, _analyzer().slots(text))
    return frozenset(concept for word in words for concept in word.concepts) - _EVENT_CONCEPTS


def specificity(folded: str) -> float:
    """How specific a folded word is in general language (`Analyzer.specificity`: 1 for one
    rarer than everyday words)."""
    return _analyzer().specificity(folded)


def names_title(word: Word, event: Event) -> float:
    """How well a word the thesaurus or glossary knows (`Named.known`) names the event: 1 as
    a word of its title or place, `OTHER_WORD_CREDIT` as another word for one ("smelter" for
    "Hütte": a shared concept, as the FAQ reads words), else 0."""
    if word.stem in event_stems(event):
        return 1.0
    return OTHER_WORD_CREDIT if set(word.concepts) & event_concepts(event) else 0.0


def _title_words(named: Named, event: Event) -> float:
    """How well the question's possible title words name `event`."""
    return len(named.stems & event_stems(event)) + sum(
        names_title(word, event) for word in named.known
    )


# An event's days are looked through up to this many (an exhibition of months is on every
# weekday and in every month it runs; its first ones say so).
_MAX_DAYS = 62


def _first_and_last_day(event: Event, tz: ZoneInfo) -> tuple[date, date]:
    """The local days an event starts and ends on: a symposium from Thursday to Friday is
    on both ("bis wann geht das am Freitag?"). An end at midnight ends the day before."""
    first = event_store.as_utc(event.starts_at).astimezone(tz)
    if event.ends_at is None or event.ends_at <= event.starts_at:
        return first.date(), first.date()
    last = (event_store.as_utc(event.ends_at) - timedelta(microseconds=1)).astimezone(tz)
    return first.date(), max(first.date(), last.date())


def _runs_between(event: Event, tz: ZoneInfo, first: date, last: date) -> bool:
    """Whether the event is on at least one day of `first`..`last`."""
    starts, ends = _first_and_last_day(event, tz)
    return starts <= last and ends >= first


def _days(event: Event, tz: ZoneInfo) -> list[date]:
    """The local days the event is on (at most `_MAX_DAYS`)."""
    starts, ends = _first_and_last_day(event, tz)
    count = min((ends - starts).days + 1, _MAX_DAYS)
    return [starts + timedelta(days=n) for n in range(count)]


def pick(
    named: Named, events: Sequence[Event], tz: ZoneInfo, *, today: date | None = None
) -> list[Event]:
    """The upcoming events the question names, soonest first; [] when it names something that
    none of them is (a place, a month or a kind without an event). Days named from today
    (`Named.span`) count where `today` (local) is given: a command's reference or a news text
    ("Anmeldeschluss ist morgen") names events by other words. A month is then its next
    occurrence (or of the year given); without `today`, that month of any year (or the one
    given)."""
    chosen = [e for e in events if named.kind is None or e.kind == named.kind]
    if named.span is not None and today is not None:
        first, last = named.span.days(today)
        chosen = [e for e in chosen if _runs_between(e, tz, first, last)]
    if named.month is not None and today is not None:
        # the month's next occurrence, or the year given ("im März", "im März 2028")
        first, last = Span("month", named.month, named.year).days(today)
        chosen = [e for e in chosen if _runs_between(e, tz, first, last)]
    elif named.month is not None:
        chosen = [
            e
            for e in chosen
            if any(d.month == named.month and named.year in (None, d.year) for d in _days(e, tz))
        ]
    if named.day is not None:
        day = named.day
        chosen = [
            e
            for e in chosen
            if any(
                (d.day, d.month) == (day.day, day.month) and day.year in (None, d.year)
                for d in _days(e, tz)
            )
        ]
    if named.weekday is not None:
        on = named.weekday
        chosen = [e for e in chosen if any(d.weekday() == on for d in _days(e, tz))]
    for name in named.names:
        chosen = [e for e in chosen if name.stem in event_stems(e)]
    if named.stems or named.known:
        scored = [(_title_words(named, e), e) for e in chosen]
        best = max((score for score, _e in scored), default=0)
        if best:
            chosen = [e for score, e in scored if score == best]
    return chosen


def events_named(reference: str, events: Sequence[Event], tz: ZoneInfo) -> list[Event]:
    """The events a command's reference names by kind, month, place or title words ("/join
    Symposium", "/event Exkursion Dezember"); [] when it names none of them."""
    named = named_in(reference)
    # Every title word given must be the event's: "/join Goslar Rammelsberg" is not the forum
    # in Goslar because "Rammelsberg" matches nothing (a question may be looser). A reference
    # of nothing but words the thesaurus knows for a thing of its own names a title with them
    # ("/terminaendern Seltene Erden" had offered every event); beside a kind or a title word
    # they say more ("/anmelden Forum mit zwei Kolleginnen").
    alone = not (named.kind or named.month or named.day or named.names or named.stems)
    wanted = named.stems | (named.others if alone else frozenset())
    return [e for e in pick(named, events, tz) if wanted <= event_stems(e)]


def other_things(text: str) -> frozenset[str]:
    """The stems of the words of a message that name a thing of its own, not an event: a
    word with a concept no event question is asked with, less common than everyday words
    ("Mitgliedschaft", "membership", "Newsletter"; not "sign", "Termin", "Symposium"). What
    else a member cancels is read by these: "Mitgliedschaft abmelden" is no event's."""
    _kinds, general, _stems = _kind_vocabulary()
    return frozenset(
        word.stem
        for word in words_of(text)
        if word.concepts
        and not set(word.concepts) & (_EVENT_CONCEPTS | general)
        and kind_of(word) is None
        and not is_function_word(word)
        and _analyzer().specificity(word.folded) >= THING_MIN_SPECIFICITY
    )


def membership_stems(text: str) -> frozenset[str]:
    """The stems of the words of a message that name the association or one's membership
    ("aus dem Verein austragen", "leave the association"), not as the role one comes in
    ("als Mitglied"), nor an event's kind: what is left then is no event. "Verein" is too
    common a word for `other_things`."""
    words = words_of(text)
    return frozenset(
        word.stem
        for i, word in enumerate(words)
        if _MEMBERSHIP_CONCEPTS.intersection(word.concepts)
        and kind_of(word) is None
        and not _before(words, i) & _IN_THE_ROLE_OF
    )


# The association's board ("Vorstand", "Vorsitzender", "Satzung", "the board") and its
# office ("Geschäftsstelle", "your office"): a question about them is about no event,
# whatever event was shown just before ("Gibt es einen Parkplatz an der Geschäftsstelle?"
# under the symposium's details). The association by its name alone is not: "Können auch
# Leute außerhalb des Clusters teilnehmen?" under an event.
_ASSOCIATION_CONCEPTS = frozenset({"~board", "~office"})


def names_association(text: str) -> bool:
    """Whether a message names the association's board or office ("wer ist im Vorstand?",
    "who is on the board?", "die Mitgliederversammlung", "an der Geschäftsstelle")."""
    # whole words and phrases as typed: the board of a "circuit board" is none, nor is a
    # word the analyzer reads as another ("status" as "Statut")
    typed = {word.folded for word in words_of(text)}
    return any(
        _ASSOCIATION_CONCEPTS.intersection(slot.concepts) and set(slot.text.split()) <= typed
        for slot in _slots(text)
    )


# Whom a price is for ("für Mitglieder", "for members"): not the membership itself.
_PRICE_FOR = frozenset({"für", "fuer", "for"})


def names_membership_itself(text: str) -> bool:
    """Whether a message names the association or one's membership as the thing it asks
    about ("Was kostet die Mitgliedschaft?"), not as whom something is for ("was kostet das
    für Mitglieder?", "how much is it for members?") nor as the role one comes in."""
    words = words_of(text)
    return any(
        _MEMBERSHIP_CONCEPTS.intersection(word.concepts)
        and kind_of(word) is None
        and not _before(words, i) & (_IN_THE_ROLE_OF | _PRICE_FOR)
        for i, word in enumerate(words)
    )


# Asking when or where one sets off or meets ("wo treffen wir uns", "wo geht es los", "wo
# sammeln wir uns", "wann fahren wir los", "when do we depart", "where is the meeting
# point"): general words of setting off and meeting, which name no thing of their own. Read
# only of the event the member has just seen or signed up for (`live._answer_dates_of_shown`);
# with none, they stay the FAQ's ("leave" is also leaving the association).
_SETTING_OFF_WORDS = frozenset(
    {"los", "treffen", "trifft", "sammeln", "treffpunkt", "abfahrt", "abfahren", "aufbrechen"}
    | {"leave", "depart", "departure", "meet", "meeting", "gather", "off"}
)
_SETS_OFF = re.compile(
    r"^\W*(?:(?:und|and|also|so|ok)\W+)?(?:wann|wo|ab\s+wann|um\s+wie\s*viel\s+uhr|when|where|"
    rf"what\s+time)\b[^?]*\b(?:{'|'.join(sorted(_SETTING_OFF_WORDS - {'off', 'meeting'}))}|"
    r"set\s+off|meeting\s+point)\b",
    re.I,
)


def asks_when_or_where_to_meet(text: str) -> bool:
    """Whether a question asks when or where one sets off or meets, naming no event
    ("wo treffen wir uns?", "when do we depart?")."""
    return bool(_SETS_OFF.search(fold(text))) and not named_in_message(text).names_event


@lru_cache(maxsize=1)
def setting_off_stems() -> frozenset[str]:
    """The stems of the words of setting off and meeting ("Treffpunkt", "depart"): rare as
    some are, they name nothing else a question asks about."""
    return frozenset(stem_bilingual(word) for word in _SETTING_OFF_WORDS)


def specific_stems(text: str) -> frozenset[str]:
    """The stems of the question's words rarer than everyday ones ("Kinderbetreuung", not
    "komme" or "stehen")."""
    analyzer = _analyzer()
    return frozenset(
        word.stem
        for word in words_of(text)
        if analyzer.specificity(word.folded) >= OTHER_MIN_SPECIFICITY and not is_filler(word.folded)
    )


def names_other(text: str, named: Named) -> bool:
    """Whether the question names a thing of its own besides events, by a word rarer than
    everyday words ("Parkplätze für Elektroautos beim Treffen"; not "stehen", "Frühjahr")."""
    return bool(named.stems & specific_stems(text))


# The language something is held in: "auf Englisch", "in englischer Sprache", "Vortragssprache",
# "deutschsprachig", "Dolmetscher"; "in English", "English-speaking", "what language",
# "interpreting". Asked of an event, only its description (or the office) knows it.
_LANGUAGE = re.compile(
    r"\b(auf|in)\s+(englisch|deutsch|english|german)\b|"
    r"\b(englisch|deutsch)e[nr]?\s+sprache\b|"
    r"\b\w*sprache\b|\b(englisch|deutsch)sprachig\w*|\bdolmetsch\w*|\bübersetz\w*|"
    r"\blanguages?\b|\b(english|german)[-\s]speaking\b|\binterpret(ing|er|ers|ation)\b|"
    r"\btranslat(ed|ion|or|ors)\b",
    re.IGNORECASE,
)


def asks_language(text: str) -> bool:
    """Whether a question asks in which language something is held ("Ist das Forum auf
    Englisch?", "is the symposium in English?", "Gibt es einen Dolmetscher?")."""
    return asks(text) and bool(_LANGUAGE.search(text))


def says_language(text: str) -> bool:
    """Whether a text (an event's description) names a language it is held in."""
    return bool(_LANGUAGE.search(text))


# What a member asks about attending an event, naming none ("Was soll ich anziehen?", "is
# there parking?", "muss ich was mitbringen?", "when should I arrive?"): bringing, arriving,
# parking, food, dress, the time. Concepts of the glossary, and words it has none for.
_EVENT_ASPECT_CONCEPTS = frozenset(
    {"~parking", "~catering", "~transport", "~safety", "~ask-when", "~date-time", "~guest"}
)
_EVENT_ASPECT_WORDS = frozenset(
    {"anziehen", "kleidung", "kleiderordnung", "dresscode", "tragen", "outfit", "garderobe"}
    | {"mitbringen", "mitnehmen", "einpacken", "packen", "ankommen", "anreise", "anfahrt", "parken"}
    | {"essen", "dauert", "dauer", "uhrzeit", "beginn", "beginnt", "ende", "endet"}
    | {"wear", "dress", "clothes", "clothing", "bring", "pack", "arrive", "arrival", "park"}
    | {"food", "lunch", "dinner", "drinks", "start", "starts", "end", "ends", "last", "long"}
)
# ... and what is no event's, though asked with those words: "Wann wird der Mitgliedsbeitrag
# fällig?", "When does the newsletter come out?", "Wann ist die Geschäftsstelle erreichbar?"
_ELSEWHERE_CONCEPTS = frozenset({"~fee", "~newsletter", "~office", "~member", "~association"})


@lru_cache(maxsize=1)
def _event_aspect_stems() -> frozenset[str]:
    return frozenset(stem_bilingual(word) for word in _EVENT_ASPECT_WORDS)


def asks_about_attending(text: str) -> bool:
    """Whether a question naming no event asks what one asks about attending one (bringing,
    arriving, parking, food, dress, the time), and about nothing that is no event's (the
    membership fee, the newsletter, the office): the event of the exchange before is meant."""
    words = [w for w in words_of(text) if not is_function_word(w) or w.concepts]
    if membership_stems(text) or any(_ELSEWHERE_CONCEPTS.intersection(w.concepts) for w in words):
        return False
    stems = _event_aspect_stems()
    return any(_EVENT_ASPECT_CONCEPTS.intersection(w.concepts) or w.stem in stems for w in words)


def named_about_events(text: str) -> Named:
    """`named_in_message`, where a place alone names no event unless the question asks about
    events ("Wann geht es in den Harz?"): "Kennt ihr Recyclingbetriebe im Harz?" asks about
    the region, not the forum with "Harz" in its title. What a question means read by it:
    the event the office reads beside it, the description quoted to it."""
    named = named_in_message(text)
    by_place_alone = (
        named.names_event
        and named.kind is None
        and not named.in_time
        and all(_PLACE_NAME in word.concepts for word in named.names)
    )
    if by_place_alone and intent_of(text) is None:
        return replace(named, names=())
    return named


# Someone coming in the member's place ("Darf mein Kollege statt mir kommen?", "an meiner
# Stelle", "Can a colleague go in my place?", "take my spot"), or the sign-up passed on
# ("meine Anmeldung übertragen", "transfer my registration").
_INSTEAD_OF_ME = re.compile(
    r"\b(?:an)?statt\s+(?:mir|mich|meiner|uns)\b|\ban\s+(?:meiner|unserer)\s+stelle\b|"
    r"\banstelle\s+von\s+(?:mir|uns)\b|\bmich\s+vertret\w*|\bvertritt\s+mich\b|"
    r"\bin\s+vertretung\b|\bmeinen\s+platz\b|\bmeine\s+anmeldung\b[^?.!]*\b(?:uebertrag\w*|"
    r"abtret\w*|weitergeb\w*|ueberlass\w*)|\binstead\s+of\s+(?:me|us)\b|\bin\s+(?:my|our)\s+"
    r"place\b|\bin\s+place\s+of\s+(?:me|us)\b|\b(?:take|have|get)\s+(?:over\s+)?(?:my|our)\s+"
    r"(?:place|spot|seat|ticket|registration)\b|\btransfer\s+(?:my|our)\s+(?:registration|"
    r"sign-?up|place|spot|seat|ticket)\b|\b(?:go|come|attend)\s+for\s+(?:me|us)\b"
)
# "Kann ich einen Kollegen schicken?", "send a colleague instead": sent, or "instead", with
# a person named.
_SENT_INSTEAD = re.compile(r"\b(?:schick\w*|entsend\w*|send|instead|stattdessen)\b")


def asks_to_send_someone_instead(text: str) -> bool:
    """Whether a question asks if someone else may come in the member's place ("Darf mein
    Kollege statt mir kommen?", "Can a colleague go in my place?", "Kann ich jemand anderen
    schicken?"): not bringing them along, which `asks_to_bring_others` reads."""
    if not asks(text):
        return False
    folded = fold(text)
    if _INSTEAD_OF_ME.search(folded):
        return True
    words = words_of(text)
    person = any(
        word.folded in _SOMEONE or set(word.concepts) & _OTHER_PEOPLE_CONCEPTS or _owned(words, i)
        for i, word in enumerate(words)
    )
    return person and bool(_SENT_INSTEAD.search(folded))


# --- cancelling for someone else ------------------------------------------------------------

# Another person a message cancels for: a word for colleagues, staff, guests or persons ("meine
# Kollegin", "my colleague"), a courtesy title before a name ("Herrn Weber", "Ms Ortiz"), "he"
# or "him" ("er", "ihn"; not "sie", which is also the polite "you"), or students counted or
# owned. A sign-up is one person's: nobody cancels another's here (as nobody signs another up).
_TITLES = frozenset({"herr", "herrn", "frau", "mr", "mrs", "ms", "miss", "dr"})
_HE_OR_SHE = frozenset({"er", "ihn", "ihm", "he", "him", "his", "she", "her"})
# The member among those cancelled: "mich", "me", "wir", or "ich" beside another ("mein
# Kollege und ich", "me and my colleague"); "ich" alone beside a colleague is who asks ("ich
# möchte meinen Kollegen abmelden").
_MYSELF = frozenset({"mich", "me", "myself", "uns", "us", "wir", "we", "ourselves"})
_I_AND = re.compile(r"\b(?:ich|i)\s+(?:und|and)\b|\b(?:und|and)\s+(?:ich|i|me)\b|\bme\s+and\b")
_I = frozenset({"ich", "i"})
# Verbs of cancelling whoever they are of ("melden Sie ihn ab", "streichen Sie meinen
# Mitarbeiter", "sign out Ms Ortiz", "take him off the list").
_CANCELS_SOMEONE = re.compile(
    r"\b(?:abmeld\w*|abzumelden|abgemeldet|storn\w*|streich\w*|gestrichen|austrag\w*|"
    r"auszutragen|ausgetragen|entfern\w*|cancel\w*|remove\w*|unregister\w*|deregister\w*|"
    r"withdraw\w*)\b|\bmeld\w*\b.*\bab\b|\btrag\w*\b.*\baus\b|"
    r"\b(?:take|strike|cross|drop|sign|scratch)\b.*\b(?:off|out)\b"
)


def _names_another(words: Sequence[Word]) -> bool:
    folded = [w.folded for w in words]
    return any(
        set(w.concepts) & _OTHER_PEOPLE_CONCEPTS
        or w.folded in _HE_OR_SHE
        or (w.folded in _TITLES and i + 1 < len(words) and not is_function_word(words[i + 1]))
        or _owned(words, i)
        for i, w in enumerate(words)
    ) and not (_AS & set(folded))


def names_another_person(text: str) -> bool:
    """Whether a message (or a command's words: "/abmelden 1 für meinen Kollegen") speaks of
    another person than the member, as `cancels_for_others` reads one."""
    return _names_another(words_of(text))


def cancels_for_others(text: str) -> bool:
    """Whether a message cancels for someone else and not for the member ("Bitte melden Sie
    meinen Kollegen Herrn Weber ab, ich selbst komme aber weiterhin", "please cancel my
    colleague's registration", "He can't come, please cancel him"): a clause that cancels
    names another person, and none names the member ("mich", "wir", "mein Kollege und ich";
    "ich kann nicht" alone). A name signed below ("Gruß Frau Kühn") cancels nobody."""
    others = mine = False
    for sentence in _sentences(text):
        for clause in _CLAUSE_BREAK.split(sentence):
            clause = clause.strip(" ?")
            tokens = _TOKEN.findall(clause)
            cancelling = _CANCELS_SOMEONE.search(clause) or _clause_withdraws(clause)
            if not tokens or not cancelling:
                continue
            another = _names_another(words_of(clause))
            me = bool(_MYSELF & set(tokens)) or bool(_I_AND.search(clause))
            if me or (not another and _I & set(tokens)):
                mine = True
            others = others or another
    return others and not mine


# --- asking for an event's calendar file ----------------------------------------------------

# Asking for an event in one's calendar, as the "In den Kalender" button gives it: "trag das
# in meinen Kalender ein", "Bitte in den Kalender eintragen", "einen Kalendereintrag", "add it
# to my calendar", "put this in my calendar", "a calendar entry". Not subscribing to the
# calendar of all events ("Wie abonniere ich den Kalender?": `/kalender`), which names none
# of these.
_TO_CALENDAR = re.compile(
    r"\b(?:in|im)\s+(?:den|meinen|meinem|unseren|unserem|ihren|ihrem|deinen|deinem|"
    r"outlook\W?)?\s*kalender\b|"
    r"\bkalender(?:eintrag|datei|einladung|termin)\w*|\bkalender\s*-?\s*(?:eintrag|datei)\w*|"
    r"\b(?:add|put|save|import|enter|pop|stick|get)\b[^.?!]{0,30}?\b(?:to|in|into|on|onto)\s+"
    r"(?:my|our|the|your)?\s*(?:outlook\s+|google\s+)?calendar\b|"
    r"\bcalendar\s+(?:file|entry|invite|invitation|event)s?\b|\b(?:ics|ical)\b",
    re.IGNORECASE,
)


def asks_for_calendar_file(text: str) -> bool:
    """Whether a message asks for an event in the member's calendar ("add it to my calendar
    pls", "trag das in meinen Kalender ein"): the event's calendar file is the answer."""
    return bool(_TO_CALENDAR.search(text)) and not _WHATS_IN_CALENDAR.search(text)


# What one's calendar holds ("was steht in meinem Kalender?", "Was habe ich im Kalender?",
# "what's on my calendar?"): one's sign-ups, asked for, not an event to add.
_WHATS_IN_CALENDAR = re.compile(
    r"^\W*(?:was|what|welche\w*|which)\b(?:['’]s|\s+\w+){0,3}\s+(?:in|im|on|auf)\s+"
    r"(?:my|meinem|meinen|unserem|unseren|dem|den|the)?\s*(?:kalender|calendar)\b",
    re.IGNORECASE,
)


# --- asking for an event's programme --------------------------------------------------------

# Asking what an event's programme is: "Wie sieht das Programm aus?", "Wie ist der Ablauf?",
# "Gibt es eine Tagesordnung?", "what's the programme?", "what's on the agenda?". Its
# description is what the office wrote of it. Not another programme ("Förderprogramme",
# "the funding programme", "the young professionals programme": a word before it names it).
_PROGRAMME = re.compile(
    r"\b(?:programm|programme|program|ablauf|ablaufplan|tagesordnung|agenda|zeitplan|"
    r"tagungsprogramm|vortragsprogramm|veranstaltungsprogramm|line-?up|running\s+order|"
    r"itinerary|reiseplan)\b",
    re.IGNORECASE,
)
_OTHER_PROGRAMME = re.compile(
    r"\b(?:funding|support|research|mentoring|exchange|membership|eu|federal|state|"
    r"professionals?|förder\w*|forschungs\w*|nachwuchs\w*|austausch\w*|mentoring\w*|"
    r"mitglieder\w*|landes\w*|bundes\w*|eu-\w*)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


# What one does or sees at an event, asked of it where it is ("und die exkursion, was macht
# man da?", "was passiert dort?", "what do we do there?"): its programme.
_WHAT_ONE_DOES = re.compile(
    r"\bwas\s+(?:macht\s+man|machen\s+wir|tut\s+man|tun\s+wir|passiert|erwartet\s+(?:mich|uns|"
    r"einen)|sieht\s+man|sehen\s+wir|gibt\s+es\s+zu\s+sehen)\b[^?!.]*\b(?:da|dort)\b|"
    r"\bwhat\s+(?:do\s+(?:we|you|they|people)\s+do|does\s+one\s+do|happens|will\s+(?:we|i)\s+"
    r"(?:do|see)|can\s+(?:we|i)\s+expect)\b[^?!.]*\bthere\b",
    re.IGNORECASE,
)


def asks_what_one_does_there(text: str) -> bool:
    """Whether a question asks what one does or sees at the event it points to with "da",
    "dort" or "there" (`_WHAT_ONE_DOES`)."""
    return bool(_WHAT_ONE_DOES.search(fold(text)))


def asks_for_programme(text: str) -> bool:
    """Whether a message asks what an event's programme is ("Wie sieht das Programm aus?",
    "what's the programme?"), not another programme ("the funding programme")."""
    return any(
        not _OTHER_PROGRAMME.search(text[: found.start()]) for found in _PROGRAMME.finditer(text)
    )


def asked_again_of_day(text: str, before: str) -> str | None:
    """The member's question `before` asked again of another day said alone ("und am
    24.2.?", "and on the 24th of Feb?", "what about 19 January?"): `before` with its day
    replaced by this one. None when `text` says more than a day (a question of its own) or
    `before` asked about events on no day (what "und am 24.2.?" would add to is unknown)."""
    if not before:
        return None
    named = named_in_message(text)
    if named.day is None or named.names_event or intent_of(text) is not None:
        return None
    rest = text.replace(named.day.typed, " ", 1)
    if not all(is_function_word(word) for word in words_of(rest)):
        return None
    earlier = named_in_message(before)
    if earlier.day is None or earlier.day.typed not in before or intent_of(before) is None:
        return None
    return before.replace(earlier.day.typed, named.day.typed, 1)


# Who may take part in an event, asked of it: "wer darf da mit?", "wer kann zum Symposium
# kommen?", "für wen ist die Exkursion?", "an wen richtet sich das Forum?", "ist das nur für
# Mitglieder?"; "who can attend?", "who is the excursion for?", "is it open to students?". Not
# who has signed up ("wer kommt alles?": `roster_question`), nor whom one may bring.
_TAKE_PART = (
    r"(?:mit(?=\s*[?!.,]|\s*$|\s+(?:zu|zum|zur|auf|in|nach)\b)|"
    r"mit(?:fahren|kommen|machen|gehen|reisen|wirken)|teil|teilnehm\w*|"
    r"kommen|hin|hinfahren|hinkommen|dabei|anmelden|rein|zugelassen|"
    r"come|attend|join|go|take\s+part|participate|sign\s*up|register|apply)"
)
_WHO_MAY = re.compile(
    r"\bwer\s+(?:darf|duerfen|kann|koennen|soll|sollte|sollen)\s+(?:\w+\s+){0,5}?"
    + _TAKE_PART
    + r"\b|\bfuer\s+wen\s+(?:ist|sind|gilt|war|wird)\b|\ban\s+wen\s+richte[nt]\b|"
    # the verb left out, as it is said: "wer darf zum Symposium?", "wer kann alles zur Exkursion?"
    r"\bwer\s+(?:darf|duerfen|kann|koennen)\s+(?:(?:denn|eigentlich|alles|ueberhaupt|da)\s+){0,3}"
    r"(?:zum|zur|ins|aufs|(?:in|auf|an)\s+(?:die|den|das|der))\s+\w+(?:\s+\w+){0,4}\s*(?=[?!.]|$)|"
    r"\bwho\s+(?:can|may|could|should|is\s+allowed\s+to|are\s+allowed\s+to|gets\s+to|"
    r"is\s+eligible\s+to)\s+(?:\w+\s+){0,2}?"
    + _TAKE_PART
    + r"\b|\bwho(?:'s|’s|\s+is|\s+are)\s+(?:\w+\s+){0,5}?(?:for|aimed\s+at|meant\s+for|"
    r"intended\s+for)\s*[?!.]*\s*$"
)
# "ist das nur für Mitglieder?", "is it open to everyone?": whether it is open to some, asked of
# the event (a pronoun, or words that name it: "is parking only for speakers?" is not).
_ONLY_FOR = re.compile(
    r"^\W*(?:und\s+|and\s+)?(?:ist|is)\s+(?P<subject>(?:\w+\s+){1,4}?)(?:nur|offen|only|open)\s+"
    r"(?:fuer|to|for)\b"
)
_IT = frozenset({"es", "das", "sie", "er", "die", "der", "dies", "it", "this", "that", "da"})


# A short question beside who may come that only names who ("nur Mitglieder oder auch
# Kollegen?", "auch Nicht-Mitglieder?", "or only members?"): part of the same question.
_WHO_ELSE = re.compile(
    r"^\W*(?:(?:und|oder|and|or|nur|auch|only|also|even|just)\s+){0,3}(?:\w+\s+){0,2}?"
    r"(?:(?:nicht\W?)?mitglied\w*|(?:non\W?)?members?|kolleg\w*|colleagues?|gast|gaste|guests?|"
    r"student\w*|studis?|externe?n?|alle|everyone|anyone|everybody|public|offentlich)\b"
    r"(?:\W+(?:(?:oder|or|und|and|auch|also|nur|only)\s+)?(?:\w+\s+){0,2}?"
    r"(?:(?:nicht\W?)?mitglied\w*|(?:non\W?)?members?|kolleg\w*|colleagues?|gaste?|guests?|"
    r"student\w*|externe?n?|alle|everyone|anyone))?\W*$"
)


def asks_who_else(text: str) -> bool:
    """Whether a short question only names who may come (`_WHO_ELSE`)."""
    folded = fold(with_apostrophes(text))
    return len(folded.split()) <= 6 and bool(_WHO_ELSE.search(folded))


def _sentence_around(text: str, at: int) -> str:
    """The sentence of `text` that holds the position `at`."""
    start = max(text.rfind(end, 0, at) for end in "?!.") + 1
    ends = [found for end in "?!." if (found := text.find(end, at)) >= 0]
    return text[start : min(ends) + 1 if ends else len(text)]


def asks_who_may_come(text: str) -> bool:
    """Whether a question asks who may take part in an event (see `_WHO_MAY`)."""
    folded = fold(with_apostrophes(text))
    who = _WHO_MAY.search(folded)
    if who is not None:
        # not "Wer kann Mitglied werden?", "who can join the network?" (in the sentence that
        # asks: "wer darf da hin? nur Mitglieder?" asks it of the event)
        asking = _sentence_around(folded, who.start())
        return not (membership_stems(asking) or names_association(asking))
    found = _ONLY_FOR.search(folded)
    if found is None:
        return False
    subject = found["subject"].split()
    return set(subject) <= _IT or named_in_message(found["subject"]).names_event


# Taking part, said of others: "Dürfen auch Nichtmitglieder zum Symposium kommen?", "can
# non-members attend the forum?"
_TAKES_PART = re.compile(
    r"\b" + _TAKE_PART + r"\b|"
    # the verb left out, as it is said: "dürfen auch Nichtmitglieder zum Workshop?"
    r"\b(?:darf|duerfen|kann|koennen)\s+(?:\w+\s+){0,3}?"
    r"(?:zum|zur|ins|aufs|(?:in|auf|an)\s+(?:die|den|das|der))\s+\w+"
)


def asks_whether_non_members_come(text: str) -> bool:
    """Whether one question asks if people who are not members may take part ("Dürfen auch
    Nichtmitglieder zum Symposium kommen?", "can non-members attend the forum?")."""
    folded = fold(with_apostrophes(text))
    return asks_about_non_members(text) and asks(text) and bool(_TAKES_PART.search(folded))
