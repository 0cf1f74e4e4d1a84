"""Plain rules of the partner search, callable without a chat: the need, contacts, limits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from rapidfuzz import fuzz

from bot.errors import UserError
from bot.flows import YES_WORDS, is_plain_no
from bot.textmatch import resources
from bot.textmatch.normalize import MARKUP_TAG, fold, words
from handlers.members.rules import clean_field
from handlers.partners.analysis import Content
from handlers.partners.contacts import redact_contacts
from storage.models import Member

# How many members a request goes to at most, and how long it stays open.
TOP_K = 5
REQUEST_TTL = timedelta(days=30)
# Fairness: a member who got more than this many requests in the window is left out.
MAX_RECENT_REQUESTS = 3
FAIRNESS_WINDOW = timedelta(days=7)
MIN_NEED_CHARS = 10
MAX_NEED_CHARS = 1000


# What the member said to the bot before the need ("ok. wir suchen …", "alles klar, dann: …",
# "thanks! we need …"): no part of what other members read. Only with its mark after it
# ("Gut ausgestattetes Labor gesucht" keeps its "Gut").
_CHAT_OPENING = re.compile(
    r"^\s*(?:(?:ok|okay|oki|alles\s+klar|gut|super|prima|cool|danke|thanks|thx|also|ja|yes|"
    r"alright|right|na\s+gut|dann)\s*[.,!:;–—-]+\s*)+",
    re.IGNORECASE,
)


def clean_need(text: str, *, own_contact: str = "") -> tuple[str, bool]:
    """The need as it may be stored and forwarded, without markup tags; True when contact
    details were removed."""
    need = clean_field(MARKUP_TAG.sub(" ", text), limit=MAX_NEED_CHARS)
    said = _CHAT_OPENING.match(need)
    if said is not None and len(need) - said.end() >= MIN_NEED_CHARS:
        rest = need[said.end() :]
        need = rest[:1].upper() + rest[1:]
    if len(need) < MIN_NEED_CHARS or resources.knows_no_word(words(need)):
        raise UserError("partners.need_too_short")
    redacted = redact_contacts(need, own_contact=own_contact)
    return redacted, redacted != need


def with_refinement(need: str, refinement: str) -> str:
    """The need with what the member added; the refinement alone when it repeats the need
    (the member wrote the whole request again)."""
    if need.strip().casefold() in refinement.casefold():
        return refinement
    need = need.rstrip()
    # Set apart, not run on ("… e-bike batteries university or research institute"): the
    # members it goes to read it as written.
    joint = " – " if need and need[-1].isalnum() else " "
    added = refinement.strip()
    if need.endswith((".", "?", "!")):
        added = added[:1].upper() + added[1:]  # a sentence of its own
    return f"{need}{joint}{added}"


def contact_of(member: Member) -> str:
    """What an introduction gives the other side to write to: the contact, else a Matrix
    address (anyone with a Matrix app can write to it); "" when there is none. A Telegram id
    or a console name is no address: written out, nobody can reach the member by it."""
    if member.contact.strip():
        return member.contact.strip()
    for account in sorted(member.accounts, key=lambda a: (a.unreachable, a.id)):
        if account.platform == "matrix":
            return f"Matrix {account.user_id}"
    return ""


def chat_name_of(member: Member) -> str:
    """The member's name as their chat app gave it, or "" when it is only a platform id
    (the console demo names a member by its id)."""
    name = member.display_name.strip()
    if not name or any(name == account.user_id for account in member.accounts):
        return ""
    return name


def organisation_of(member: Member) -> str:
    return member.organisation.strip() or member.display_name.strip() or f"#{member.id}"


# A need this alike to one of the member's running requests (rapidfuzz token_sort_ratio on
# folded text) is that request again: sent twice it would ask the same members twice.
SAME_NEED = 90.0
# Reworded ("Wir suchen ein Labor für Spurenanalytik", then "Gibt es ein Labor, das
# Spurenanalytik macht?"), a request is the running one again when both hold: at least this
# share of the members it would ask were asked by the running one already (all of one to
# four, four of five) ...
SAME_REACH = 0.8
# ... and at least this share of the content words of both (each word counted once, matched
# through its stem, concepts, compound or a translation: "Kupfer" is "copper") are in the
# other, with as many needs: one new word of two ("Wer liefert Schwarzmasse?" after "Wer
# kauft Schwarzmasse?") makes another need, one more of four ("… aus alten Elektromotoren
# zurückgewinnen") does not.
SAME_CONTENT = 0.75


# A request whose content is not known: the repeat check goes by its wording alone.
NOTHING_ASKED = Content()


@dataclass(frozen=True)
class Running:
    """One of the member's running requests as the repeat check compares it: its number,
    need, the members it asked (ids as the ranking names them) and what it asks for."""

    number: int
    need: str
    asked: frozenset[str] = frozenset()
    content: Content = NOTHING_ASKED


def same_content(a: Content, b: Content) -> bool:
    """Whether two requests ask for the same things, in one language or two: as many needs,
    and their units shared (`Asked.same_as`), as a share of both (Dice, each unit by its
    weight: "Wir brauchen ein Labor für …" adds little to "Wir suchen ein Labor, das …"),
    reach `SAME_CONTENT`."""
    if not a.units or not b.units or a.needs != b.needs:
        return False
    shared = sum(u.weight for u in a.units if any(u.same_as(other) for other in b.units))
    shared += sum(u.weight for u in b.units if any(u.same_as(other) for other in a.units))
    total = sum(u.weight for u in a.units) + sum(u.weight for u in b.units)
    return shared >= SAME_CONTENT * total


def same_reach(reaches: frozenset[str], asked: frozenset[str]) -> bool:
    """Whether (nearly) all the members a request `reaches` were `asked` already."""
    return bool(reaches) and len(reaches & asked) >= SAME_REACH * len(reaches)


def repeated_in(
    need: str,
    running: Sequence[Running],
    *,
    reaches: frozenset[str] = frozenset(),
    content: Content = NOTHING_ASKED,
) -> int | None:
    """The number of a running request that `need` only repeats, if any: written (nearly)
    the same, or reworded to ask the members it asked for the same things again. `reaches`:
    the members `need` would ask; `content`: what it asks for (`PartnerRanker.content_terms`).
    A different need reaching the same members is no repeat."""
    typed = fold(need)
    for earlier in running:
        if fuzz.token_sort_ratio(typed, fold(earlier.need)) >= SAME_NEED:
            return earlier.number
    for earlier in running:
        if same_reach(reaches, earlier.asked) and same_content(content, earlier.content):
            return earlier.number
    return None


def written_again(need: str, earlier: str) -> bool:
    """Whether one of two needs holds every word of the other: the need written again, with
    more detail ("…, ab März, ca. 20 t im Monat. Kontakt: …") or with less."""
    mine, theirs = set(words(need)), set(words(earlier))
    return bool(mine and theirs) and (mine <= theirs or theirs <= mine)


def asked_before(
    need: str, running: Sequence[Running], *, content: Content = NOTHING_ASKED
) -> dict[str, int]:
    """The members a running request of the member with (nearly) the same need asked already,
    each with that request's number: asked by this one too, they would get the same question
    twice. Nearly the same: written alike or again (`written_again`), or asking for the same
    things (`same_content`). A need that only reaches the same members is another need."""
    typed = fold(need)
    found: dict[str, int] = {}
    for earlier in running:
        if (
            fuzz.token_sort_ratio(typed, fold(earlier.need)) >= SAME_NEED
            or written_again(need, earlier.need)
            or same_content(content, earlier.content)
        ):
            for member in earlier.asked:
                found.setdefault(member, earlier.number)
    return found


_WORD = re.compile(r"[^\W_]+")
# Words that may follow a typed yes or no at the preview ("ja, bitte senden", "yes please send
# it", "nein danke"); any other word (a need, "aber", "genauer") makes it no such answer.
_SEND_TAIL = frozenset(
    {"bitte", "gern", "gerne", "danke", "senden", "abschicken", "schicken", "weitergeben"}
    | {"sie", "es", "die", "anfrage", "so", "raus", "los"}
    | {"please", "thanks", "thank", "you", "send", "it", "the", "request", "on", "go", "ahead"}
)
_CANCEL_TAIL = frozenset({"lieber", "nicht"})
# The preview's choices (`typed_preview_choice`), as its buttons' payloads name them.
SEND, REFINE, CANCEL = "send", "refine", "cancel"


def typed_send(text: str) -> bool | None:
    """At the preview: True for a typed yes to "Soll ich die Anfrage weitergeben?" ("ja",
    "yes please send it"), False for a typed no ("nein danke"), None for anything else (a
    question, a new need, "nein, genauer beschreiben")."""
    if "?" in text:
        return None
    found = _WORD.findall(text.casefold())
    if not found:
        return None
    if found[0] in YES_WORDS and set(found[1:]) <= _SEND_TAIL | YES_WORDS:
        return True
    if is_plain_no(text, _CANCEL_TAIL):
        return False
    return None


# The preview's choices in the words of its own hint ("… wartet auf Ihre Wahl: senden, genauer
# beschreiben oder abbrechen"): a verb naming one choice, with only words that may go with it
# ("ok schick ab", "bitte abbrechen", "send it", "describe more precisely"). Any other word ("nicht
# senden", "send it to the office instead") or a question names no choice.
_CHOICE_VERBS = {
    SEND: frozenset(
        {"senden", "absenden", "abschicken", "schicken", "schick", "verschicken", "weitergeben"}
        | {"send", "submit"}
    ),
    REFINE: frozenset(
        {"genauer", "präziser", "praeziser", "detaillierter", "ergänzen", "ergaenzen"}
        | {"precisely", "detail", "details", "refine", "specific", "specifically"}
    ),
    CANCEL: frozenset({"abbrechen", "verwerfen", "cancel", "discard"}),
}
_CHOICE_COMPANIONS = {
    SEND: _SEND_TAIL | YES_WORDS | {"ab", "weiter", "now", "jetzt"},
    REFINE: frozenset(
        {"beschreiben", "beschreibe", "beschreib", "angeben", "ich", "möchte", "moechte", "will"}
        | {"es", "sie", "die", "anfrage", "noch", "etwas", "lieber", "mehr", "bitte", "danke"}
        | {"describe", "more", "be", "i", "d", "like", "to", "want", "it", "the", "request"}
        | {"please", "rather", "in", "a", "bit", "add"}
        | YES_WORDS
    ),
    CANCEL: frozenset({"bitte", "danke", "es", "sie", "die", "anfrage", "doch", "lieber"})
    | {"please", "thanks", "it", "the", "request"}
    | YES_WORDS,
}


def typed_preview_choice(text: str) -> str | None:
    """At the preview: the choice its words name, `SEND`, `REFINE` or `CANCEL` ("senden", "schick
    ab", "genauer", "cancel it"), as its hint offers them; None for anything else."""
    if "?" in text:
        return None
    found = set(_WORD.findall(text.casefold()))
    for choice, verbs in _CHOICE_VERBS.items():
        if found & verbs and found <= verbs | _CHOICE_COMPANIONS[choice]:
            return choice
    return None


# Asking at the preview who the members that fit are ("Wer ist das?", "Welche Firma ist es
# denn?", "who are they?"): a question word first, then only words naming the match.
_WHO_WORDS = frozenset(
    {"wer", "wen", "wem", "welche", "welcher", "welches", "who", "which", "whom"}
)
_NAME_ASKED = frozenset({"heisst", "heißt", "heissen", "heißen", "name", "names", "called"})
_ABOUT_THE_MATCH = (
    frozenset({"ist", "sind", "das", "es", "die", "der", "denn", "genau", "eigentlich", "wie"})
    | {"firma", "firmen", "mitglied", "mitglieder", "unternehmen", "organisation", "partner"}
    | {"is", "are", "it", "that", "they", "this", "these", "the", "what", "s", "whats"}
    | {"company", "companies", "member", "members", "organization", "their"}
    | {"its", "exactly", "then", "und", "and", "dann", "mir", "me", "tell", "sagen", "sag"}
    | {"können", "koennen", "can", "you", "sie", "bitte", "please", "of"}
    | {"passt", "passen", "passende", "passenden", "fits", "fit", "match", "matches"}
    # "welche Firmen wären das denn?", "which companies would that be?", "wer kommt da in Frage?"
    | {"wären", "waeren", "waren", "wäre", "waere", "would", "be", "could", "könnten"}
    | {"koennten", "kommen", "kommt", "da", "in", "frage", "infrage", "question"}
    # "wer ist das? kennt ihr die?", "who are they, do you know them?"
    | {"kennt", "kennst", "kennen", "ihr", "du", "know", "them", "do"}
    # "an wen genau geht das?", "who does it go to?"
    | {"wen", "wem", "an", "geht", "gehen", "goes", "go", "to", "does"}
    | _NAME_ASKED
)
MAX_WHO_WORDS = 8


def asks_who(text: str) -> bool:
    """Whether a message at the preview asks who the members that fit are (told only once
    both sides agree), not a new need or another question ("Wer kann Schwarzmasse
    analysieren?" names what it is about)."""
    found = _WORD.findall(text.casefold())
    if not found or len(found) > MAX_WHO_WORDS or not set(found) <= _WHO_WORDS | _ABOUT_THE_MATCH:
        return False
    return bool(set(found) & _WHO_WORDS) or bool(set(found) & _NAME_ASKED)


# Asking who sent a partner request one received ("Wer fragt da an?", "Von wem kommt die
# Anfrage?", "who is asking?", "who sent this?"): a question word, then only words naming
# the request and its sender.
_WHO_ASKS = _WHO_WORDS | {"wem"}
_ABOUT_THE_ASKER = (
    _ABOUT_THE_MATCH
    | {"fragt", "fragen", "anfragt", "anfragen", "an", "da", "hier", "dahinter", "steckt"}
    | {"von", "kommt", "schickt", "geschickt", "anfrage", "diese", "dieser", "hinter"}
    | {"asking", "asks", "asked", "sent", "sends", "sending", "behind", "from", "request"}
    | {"does", "did", "come", "comes", "here", "there"}
)


def asks_who_asks(text: str) -> bool:
    """Whether a message asks who is behind a partner request, as a member who received
    one asks it ("Wer ist das?" too), not a question of its own ("Wer fragt nach
    Schwarzmasse?" names what it is about)."""
    found = _WORD.findall(text.casefold())
    if not found or len(found) > MAX_WHO_WORDS or not set(found) <= _WHO_ASKS | _ABOUT_THE_ASKER:
        return False
    return bool(set(found) & _WHO_ASKS) or bool(set(found) & _NAME_ASKED)
