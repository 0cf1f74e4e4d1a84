"""Plain rules for broadcasts, callable without a chat: audiences, send times, and which of a
broadcast's two versions was written for which text of the other."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.flows import POLITE_TAILS, is_plain_no, is_skip_word
from bot.i18n import Markup, t
from handlers.events.dates import parse_when
from handlers.members.directory_import import KINDS
from handlers.members.rules import has_topic
from storage.models import Member

AUDIENCE_KINDS = ("all", "yp", "lang", "topic", "kind", "attendees", "waiting")
# The audiences of one event (the value is its number): the people signed up, or those on its
# waiting list (a place offered counts as waiting); each whether or not they want the news.
EVENT_KINDS = ("attendees", "waiting")
MAX_TEXT_CHARS = 3500  # room for the header within Telegram's 4,096 characters
MAX_TOPIC_CHARS = 80
LATEST_SEND = timedelta(days=366)


@dataclass(frozen=True)
class Audience:
    """Who gets a broadcast: everyone, the young professionals, or members by language, topic
    or kind of organisation (always only members who want news); or the people signed up for
    one event, or waiting for a place in it (a message about their event)."""

    kind: str
    value: str = ""

    @property
    def code(self) -> str:
        return self.kind if not self.value else f"{self.kind}:{self.value}"

    @property
    def event_id(self) -> int | None:
        """The event of an audience of its people; None for the others."""
        return int(self.value) if self.kind in EVENT_KINDS else None

    def matches(self, member: Member) -> bool:
        if self.kind in ("all", *EVENT_KINDS):  # an event's people are chosen by their sign-up
            return True
        if self.kind == "yp":
            return member.young_professional
        if self.kind == "lang":
            return member.language == self.value
        if self.kind == "kind":
            return member.kind == self.value
        return self.matches_topics(member.topics)

    def matches_topics(self, topics: Sequence[str]) -> bool:
        """A topic audience: a topic named in either language, in any inflection."""
        return self.kind == "topic" and has_topic(topics, self.value)

    def describe(self, lang: str) -> Markup:
        if self.kind in ("all", "yp"):
            return t(lang, f"broadcast.audience_{self.kind}")
        if self.kind == "kind":
            return t(lang, "broadcast.audience_kind", kind=t(lang, f"broadcast.kind_{self.value}"))
        if self.kind in EVENT_KINDS:
            return t(lang, f"broadcast.audience_{self.kind}", number=self.value)
        if self.kind == "lang":  # named ("Deutsch"), not coded ("DE")
            return t(lang, "broadcast.audience_lang", value=t(lang, f"broadcast.lang_{self.value}"))
        return t(lang, "broadcast.audience_topic", value=self.value)


# The kinds of organisation in German words too (the directory stores the English codes).
KIND_WORDS = {
    "unternehmen": "company",
    "firma": "company",
    "hochschule": "university",
    "universität": "university",
    "forschung": "research",
    "kommune": "municipality",
    "verband": "association",
    "sonstige": "other",
}


# Everyday words for the audiences, typed at "Wer soll sie bekommen?" ("young pros", "der
# Nachwuchs", "nur englische", "alle Mitglieder"): what is left of them once the words around
# ("nur", "die", "Mitglieder", "only", "members") are set aside.
_AROUND = frozenset({
    "nur", "die", "der", "den", "an", "für", "fuer", "mitglieder", "mitgliedern", "mitglied",
    "mit", "sprache", "leute", "only", "the", "to", "for", "members", "member", "with",
    "language", "people", "speakers", "speaking", "who", "speak", "use", "bitte", "please",
})  # fmt: skip
_ALL_WORDS = frozenset({"alle", "all", "everyone", "everybody", "jeder", "jede", "jeden"})
_YP_WORDS = frozenset({
    "yp", "yps", "jn", "young", "young pro", "young pros", "young professional",
    "young professionals", "nachwuchs", "nachwuchskräfte", "nachwuchskraefte", "junge",
    "jungen", "junge profis",
})  # fmt: skip
_LANG_WORDS = {
    **dict.fromkeys(
        ("englisch", "englische", "englischen", "englischer", "english", "englischsprachig",
         "englischsprachige", "englischsprachigen", "en"),
        "en",
    ),
    **dict.fromkeys(
        ("deutsch", "deutsche", "deutschen", "deutscher", "german", "deutschsprachig",
         "deutschsprachige", "deutschsprachigen", "de"),
        "de",
    ),
}  # fmt: skip
_TOPIC_WORDS = frozenset({"thema", "topic"})


def _everyday_audience(text: str) -> Audience | None:
    """An audience in everyday words, or None."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    if len(words) >= 2 and words[0] in _TOPIC_WORDS and ":" not in text:  # "Thema Batterie"
        topic = re.sub(r"\s+", " ", text.strip().split(None, 1)[1]).strip()
        return Audience("topic", topic) if len(topic) <= MAX_TOPIC_CHARS else None
    rest = [word for word in words if word not in _AROUND]
    phrase = " ".join(word for word in rest if word not in _ALL_WORDS)
    if not phrase:
        return Audience("all") if rest else None
    if phrase in _YP_WORDS:
        return Audience("yp")
    if phrase in _LANG_WORDS:
        return Audience("lang", _LANG_WORDS[phrase])
    return None


_NUMBERED = re.compile(r"([^\W\d_]+)\s+(#?\d+)")


def parse_audience(text: str) -> Audience:
    """`all`, `yp`, `lang:de`, `topic:Batterierecycling`, `kind:university`, an event's
    `attendees:12` and `waiting:12` (also German words, "Angemeldete 12"), and everyday
    words for them ("young pros", "nur englische", "alle")."""
    if ":" not in text and (everyday := _everyday_audience(text)) is not None:
        return everyday
    numbered = _NUMBERED.fullmatch(text.strip())  # "Angemeldete 12", "warteliste #12"
    head, _, value = (
        (numbered.group(1), ":", numbered.group(2)) if numbered else text.strip().partition(":")
    )
    kind = {
        "alle": "all",
        "everyone": "all",
        "jn": "yp",
        "young": "yp",
        "sprache": "lang",
        "language": "lang",
        "thema": "topic",
        "art": "kind",
        "angemeldete": "attendees",
        "teilnehmende": "attendees",
        "teilnehmer": "attendees",
        "warteliste": "waiting",
        "waitlist": "waiting",
    }.get(head.strip().casefold(), head.strip().casefold())
    value = re.sub(r"\s+", " ", value).strip()
    if kind == "kind":
        value = KIND_WORDS.get(value.casefold(), value)
    if kind in ("all", "yp") and not value:
        return Audience(kind)
    if kind == "lang" and value.casefold() in ("de", "en"):
        return Audience(kind, value.casefold())
    if kind in EVENT_KINDS and value.lstrip("#").isdecimal() and len(value) <= 12:
        return Audience(kind, str(int(value.lstrip("#"))))
    if kind == "kind" and value.casefold() in KINDS:
        return Audience(kind, value.casefold())
    if kind == "topic" and not value:  # the topic forgotten, not an unknown audience
        raise UserError("broadcast.topic_missing")
    if kind == "topic" and value and len(value) <= MAX_TOPIC_CHARS:
        return Audience(kind, value)
    raise UserError("broadcast.bad_audience", given=text.strip()[:60])


def clean_text(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        raise UserError("errors.nothing_written")
    if len(stripped) > MAX_TEXT_CHARS:
        raise UserError("broadcast.text_too_long", length=len(stripped), limit=MAX_TEXT_CHARS)
    return stripped


# Typed at the send time: no time, it goes out on *Senden* ("sofort" had been no time at all).
NOW_WORDS = frozenset({"sofort", "jetzt", "gleich", "now", "right away", "immediately"})


# Words that may follow a typed no at "Soll ein Bild oder eine Datei mit?" ("nein, ohne
# Bild", "no file, thanks"), or begin one ("ohne", "kein Bild", "without"): no file.
_NO_FILE_START = frozenset({"ohne", "kein", "keine", "keins", "without", "weiter"})
_NO_FILE_TAIL = _NO_FILE_START | {
    "bild", "datei", "foto", "anhang", "oder", "brauche", "ich", "nicht", "nötig", "noetig",
    "image", "picture", "photo", "file", "attachment", "or", "need", "needed", "thank",
    "no", "not", "go", "on", "einfach", "so", "just", "it",
}  # fmt: skip


def says_no_file(text: str) -> bool:
    """A typed answer that the broadcast goes without an image or file, as its button "Ohne
    Bild oder Datei" says: "nein", "no", "nein danke", "ohne", "kein Bild", "skip"."""
    if is_plain_no(text, _NO_FILE_TAIL) or is_skip_word(text):
        return True
    words = re.findall(r"[^\W_]+", text.casefold())
    return (
        "?" not in text
        and bool(words)
        and words[0] in _NO_FILE_START
        and set(words) <= _NO_FILE_TAIL | POLITE_TAILS
    )


def means_now(text: str) -> bool:
    return " ".join(text.casefold().split()).strip(" .!") in NOW_WORDS


# The event form's refusals of what is no time at all, said as the broadcast's own; its others
# (no such day, no such time, a weekday not the date's) are said as they are.
_UNREADABLE = frozenset({"events.bad_date", "events.date_relative"})


def parse_send_time(text: str, *, now: datetime, zone: ZoneInfo) -> datetime:
    """A send time typed by an admin, in the network's time zone, as UTC.

    Read as the event form reads a start (`events.dates.parse_when`): "24.12.2026 09:00",
    "2026-12-24 09:00", "10.01. 09:00" (the next such day), "morgen 9 Uhr", "tomorrow 9am",
    "nächsten Freitag 14 Uhr"; a time alone ("09:00", "halb zehn") is today's, or tomorrow's
    once it has passed. A day without its time ("morgen") is asked about, not midnight.
    """
    typed = " ".join(text.split())
    today = now.astimezone(zone).date()
    try:
        moment = parse_when(typed, tz=zone, now=now, day=today)
        if parse_when(typed, tz=zone, now=now, day=today, default_time=time(1, 0)) != moment:
            raise UserError("broadcast.time_needs_clock", given=typed[:40])
        if moment <= now and not _names_its_day(typed, zone=zone, now=now):
            moment = parse_when(typed, tz=zone, now=now, day=today + timedelta(days=1))
    except UserError as error:
        if error.key in _UNREADABLE:
            raise UserError("broadcast.bad_time", given=typed[:40]) from None
        raise
    if moment <= now:
        raise UserError("broadcast.time_passed")
    if moment > now + LATEST_SEND:
        raise UserError("broadcast.time_too_far")
    return moment


def _names_its_day(typed: str, *, zone: ZoneInfo, now: datetime) -> bool:
    """Whether a send time names its day ("morgen 9 Uhr"), not a time alone ("09:00")."""
    try:
        parse_when(typed, tz=zone, now=now)
    except UserError:
        return False
    return True


# ---- a broadcast in German and English: is the translation still of the text? -----------------


@dataclass(frozen=True)
class Translation:
    """Of a broadcast's German and English version, the one written as the other's translation
    (`lang`) and fingerprints of both texts as they were then: a source text replaced later is
    noticed, so that nobody is sent a translation of a text that no longer exists. With one
    text only `lang` is set: the language of a version added to it later."""

    lang: str
    # `fingerprint` of the other version's text when this one was written, and of this one
    source: str = ""
    written: str = ""

    @property
    def code(self) -> str:
        """As a draft and a form keep it: `en:<source>:<written>`, or the bare language."""
        return f"{self.lang}:{self.source}:{self.written}" if self.written else self.lang

    @staticmethod
    def parse(code: object) -> Translation | None:
        """The kept `code` again; None for anything else (a draft from before, a forged form)."""
        parts = str(code or "").split(":")
        if parts[0] not in ("de", "en"):
            return None
        if len(parts) == 1:
            return Translation(parts[0])
        if len(parts) == 3 and all(_FINGERPRINT.fullmatch(part) for part in parts[1:]):
            return Translation(parts[0], parts[1], parts[2])
        return None


_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def fingerprint(text: str) -> str:
    """Short and fixed in length: a draft (and the dashboard's form) carries it, not the text."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _source_and_version(german: str, english: str, lang: str) -> tuple[str, str]:
    return (german, english) if lang == "en" else (english, german)


def translation_of(german: str, english: str, earlier: Translation | None) -> Translation | None:
    """What the versions are after the office wrote them (called on every change, harmless
    without one). A version added to a single text is its translation, written for it; one
    rewritten is written for the other as it is now; a replaced source leaves it as it was,
    written for the earlier text (`outdated`). Both written at once, or a draft from before
    this was kept: the English one translates the German one, as written now."""
    if not (german and english):
        return Translation("de" if english else "en") if german or english else None
    lang = earlier.lang if earlier is not None else "en"
    source, version = _source_and_version(german, english, lang)
    if earlier is None or fingerprint(version) != earlier.written:
        return Translation(lang, fingerprint(source), fingerprint(version))
    return earlier


def outdated(german: str, english: str, translation: Translation | None) -> bool:
    """The translation was written for an earlier text of the other version: its readers would
    get a text that no longer says what the other one does."""
    if translation is None or not translation.written or not (german and english):
        return False
    return fingerprint(_source_and_version(german, english, translation.lang)[0]) != (
        translation.source
    )


class Settled(NamedTuple):
    """A draft's texts after the office answered about an outdated translation, what
    translates what now, and the line saying what was done."""

    german: str
    english: str
    translation: Translation | None
    note: str


def settled(german: str, english: str, translation: Translation, keep: bool) -> Settled:
    """The office's answer to an outdated translation (chat and dashboard): kept as it is,
    read again and so written for the text as it is now; or dropped, and everyone gets the
    other version."""
    lang = translation.lang
    if keep:
        source, version = _source_and_version(german, english, lang)
        kept = Translation(lang, fingerprint(source), fingerprint(version))
        return Settled(german, english, kept, f"broadcast.version_kept_{lang}")
    german, english = ("", english) if lang == "de" else (german, "")
    return Settled(
        german, english, translation_of(german, english, translation), f"broadcast.dropped_{lang}"
    )
