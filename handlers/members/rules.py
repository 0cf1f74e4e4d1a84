"""Plain rules for member profiles, callable without a chat."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bot.errors import NoAnswerGiven, NotAnAnswer, UserError
from bot.flows import (
    NO_WORDS,
    POLITE_TAILS,
    QUESTION_STARTS,
    SHORT_NO_WORDS,
    YES_WORDS,
    is_polite_word,
    is_skip_word,
    says_no,
)
from bot.textmatch.normalize import MARKUP_TAG
from handlers.partners.contacts import redact_contacts
from handlers.partners.general import german_words, translations
from handlers.partners.text import is_stopword, split_compound, stem, words
from storage.models import Member

MAX_FIELD_CHARS = 200
# The name column of the members table (`Member.display_name`).
MAX_PERSON_NAME_CHARS = 200
MAX_TOPICS = 20
MAX_TOPIC_CHARS = 80
# The yes/no settings of a profile: each holds a default until the member chooses.
CHOICES = ("partner_consent", "news_subscribed", "young_professional")
# A profile's fields in the order /profile shows them.
PROFILE_FIELDS = ("organisation", "role", "topics", "contact", "language", *CHOICES)

# Typed to go back one question, or to say one does not know (not stored as a name).
_DONT_KNOW = frozenset(
    {"weiß nicht", "weiss nicht", "weiß ich nicht", "keine ahnung", "k. a.", "ka"}
    | {"dunno", "don't know", "dont know", "i don't know", "no idea", "idk", "not sure"}
)
# A language named as members write it, in either language ("Englisch", "german", "en").
_LANGUAGES = {
    "de": {"de", "deu", "ger", "dt", "deutsch", "german", "germany", "deutschland"},
    "en": {"en", "eng", "engl", "english", "englisch"},
}

_YES = {"ja", "j", "yes", "y", "1", "on", "an", "true", "ok", "okay"}
_NO = {"nein", "n", "no", "0", "off", "aus", "false"}


def _typed(value: str) -> str:
    return " ".join(value.casefold().replace("’", "'").strip(" .!?").split())


def says_dont_know(text: str) -> bool:
    return _typed(text) in _DONT_KNOW_TYPED


_DONT_KNOW_TYPED = frozenset(map(_typed, _DONT_KNOW))  # as typed is read: casefold makes ß ss


def parse_language(text: str) -> str | None:
    """ "de" or "en" for a language named ("Deutsch", "English", "auf Englisch bitte", "en");
    None for anything else (not guessed from first letters: "Denglisch", "zurück", "German"
    had been "ge")."""
    words = set(_typed(text).replace(",", " ").split())
    named = [code for code, names in _LANGUAGES.items() if words & names]
    return named[0] if len(named) == 1 else None


# Asking in a message to go on in another language ("Können wir auf Englisch weiterschreiben?",
# "english please"): the verbs of talking on, and the few words around them in such a
# request, German and English. Any other word makes the message one about a language ("Is the
# symposium in English?", "Gibt es die Unterlagen auf Englisch?"), not a request.
_TALK_VERBS = frozenset(
    {"sprechen", "spreche", "sprich", "sprichst", "reden", "rede", "schreiben", "schreibe"}
    | {"schreib", "weiterschreiben", "weitersprechen", "weitermachen", "fortfahren", "antworten"}
    | {"antworte", "antwortest", "wechseln", "wechsle", "umstellen", "umschalten", "chatten"}
    | {"kommunizieren", "unterhalten", "fortsetzen", "stell", "stelle", "stellen", "schalte"}
    | {"speak", "talk", "write", "chat", "continue", "switch", "change", "reply", "respond"}
    | {"answer", "communicate", "carry", "go", "keep", "use", "proceed"}
)
_AROUND_REQUEST = frozenset(
    {"bitte", "kann", "kannst", "können", "könnt", "könnten", "würden", "würdest", "wir", "sie"}
    | {"du", "ihr", "ich", "mir", "mich", "uns", "mit", "auf", "in", "im", "ins", "lieber"}
    | {"gern", "gerne", "jetzt", "ab", "nun", "nur", "weiter", "weiterhin", "mal", "doch"}
    | {"die", "sprache", "möchte", "möchten", "hallo", "danke", "um", "zu", "bot", "wieder"}
    | {"please", "pls", "can", "could", "would", "will", "shall", "we", "you", "i", "me", "us"}
    | {"let", "let's", "lets", "do", "to", "into", "with", "the", "from", "now", "on", "rather"}
    | {"instead", "prefer", "like", "i'd", "want", "only", "just", "language", "hi", "hello"}
    | {"thanks", "ok", "okay", "again", "over", "conversation", "so", "alright", "right"}
    # going back to a language: "switch back to English", "zurück auf Deutsch"
    | {"back", "zurück", "zurueck"}
)
_MAX_REQUEST_WORDS = 10
# Saying one does not understand a language ("Ich verstehe kein Englisch", "I don't speak
# German") asks for the other one.
_UNDERSTAND_VERBS = frozenset(
    {"verstehe", "verstehen", "versteh", "spreche", "sprechen", "lese", "lesen", "kann"}
    | {"understand", "speak", "read", "know"}
)
_NOT = frozenset({"kein", "keine", "nicht", "not", "don't", "dont", "no", "cannot", "can't"})
_ABOUT_NOT = frozenset({"leider", "sorry", "gut", "sehr", "so", "well", "very", "much", "any"})


def asks_for_language(text: str) -> str | None:
    """ "de" or "en" when a short message asks to go on in that language ("english please",
    "Can we talk in English?", "Können wir auf Englisch weiterschreiben?"); None otherwise.

    It names one language (as /language takes it) among only words of such a request; a
    question needs a verb of talking ("Can we talk in English?"), since "In English?" alone
    may ask what is in English. Not understanding one ("Ich verstehe kein Englisch", "I don't
    speak German") asks for the other."""
    typed = text.casefold().replace("’", "'")
    found = [_language_typo(word) for word in re.findall(r"[\w']+", typed)]
    if not 0 < len(found) <= _MAX_REQUEST_WORDS:
        return None
    language = parse_language(" ".join(found))
    named = _LANGUAGES.get(language or "", set())
    others = [word for word in found if word not in named]
    if language is None:
        return None
    saying_not = _TALK_VERBS | _AROUND_REQUEST | _UNDERSTAND_VERBS | _NOT | _ABOUT_NOT
    if (
        _NOT.intersection(others)
        and _UNDERSTAND_VERBS.intersection(others)
        and all(w in saying_not for w in others)
    ):
        return "de" if language == "en" else "en"
    if any(w not in _TALK_VERBS | _AROUND_REQUEST for w in others):
        return None
    if "?" in typed and not _TALK_VERBS.intersection(others):
        return None
    return language


# A language's name typed one letter off ("englsh", "deutch") in a request to switch; its
# first letter as the name's ("Denglisch" is a word of its own, no English).
_SPELT_NAMES = sorted(n for names in _LANGUAGES.values() for n in names if len(n) >= 6)


def _language_typo(word: str) -> str:
    if len(word) < 5 or word in _TALK_VERBS or word in _AROUND_REQUEST:
        return word
    close = [
        n
        for n in _SPELT_NAMES
        if n[0] == word[0] and Levenshtein.distance(word, n, score_cutoff=1) <= 1
    ]
    return close[0] if len(close) == 1 else word


def clean_field(text: str, *, limit: int = MAX_FIELD_CHARS) -> str:
    """One line of visible text: control characters removed, whitespace collapsed, capped."""
    visible = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch
        for ch in text
        if unicodedata.category(ch) not in {"Cf", "Cs", "Co", "Cn"}
    )
    line = re.sub(r"\s+", " ", visible).strip()
    if not line:
        raise UserError("errors.nothing_written")
    if len(line) > limit:
        raise UserError("errors.field_too_long", limit=limit)
    return line


# What a spreadsheet reads as the start of a formula (`=HYPERLINK(…)`, `+1+1`, `@SUM(…)`).
FORMULA_SIGNS = ("=", "+", "-", "@")


def parse_name(text: str) -> str:
    """An organisation or role as other members read it (at the top of every partner request,
    in introductions, rosters, the office's inbox): plain words, refused with what to change
    when it holds a link, an e-mail address, a phone number or handle (found as a partner
    search's need finds them), markup tags, or starts as a formula does. Markdown around
    words ("*Magnet AG*", "**Forschung**") is taken away, the words kept (`unmarked`)."""
    name = clean_field(text)
    tag = MARKUP_TAG.search(name)
    if tag is not None:
        raise NoAnswerGiven("members.name_markup", tag=tag.group(0)[:40])
    name = clean_field(unmarked(name))  # "*Magnet AG*": our messages show no markdown
    if redact_contacts(name) != name or address_without_ending(name):
        raise NoAnswerGiven("members.name_contact")
    if name.startswith(FORMULA_SIGNS):
        raise NoAnswerGiven("members.name_formula", sign=name[0])
    return name


def parse_person_name(text: str) -> str:
    """A person's name as the office's attendee lists show it (`/name`): plain words, limited
    to what the name column holds; a link, an address, a number, markup or a formula's first
    sign is refused with an example of a name."""
    name = clean_field(text, limit=MAX_PERSON_NAME_CHARS)
    if MARKUP_TAG.search(name) is not None:
        raise NoAnswerGiven("members.person_name_invalid")
    name = clean_field(unmarked(name), limit=MAX_PERSON_NAME_CHARS)
    if (
        redact_contacts(name) != name
        or address_without_ending(name)
        or name.startswith(FORMULA_SIGNS)
    ):
        raise NoAnswerGiven("members.person_name_invalid")
    return capitalised(name) if name == name.lower() else name


# Lowercase words inside names ("Ludwig van Beethoven", "Anna von der Heide").
_NAME_PARTICLES = frozenset(
    {"von", "vom", "van", "der", "den", "de", "zu", "zur", "da", "di", "du", "la", "le", "ten"}
)


def capitalised(name: str) -> str:
    """A name typed all in lowercase on a phone ("ben krüger", "anna-lena von der heide") as
    the attendee lists show names: "Ben Krüger", "Anna-Lena von der Heide"."""
    words = name.split(" ")
    return " ".join(
        word
        if i and word in _NAME_PARTICLES
        else "-".join(part[:1].upper() + part[1:] for part in word.split("-"))
        for i, word in enumerate(words)
    )


def reachable_now(member: Member) -> bool:
    """Whether a chat account of the member's is reachable: they are in the chat now (a
    request can reach them; an invitation is not theirs to claim)."""
    return any(not account.unreachable for account in member.accounts)


def has_person_name(member: Member) -> bool:
    """Whether the attendee lists can name the person: a name given (`/name`) or the chat's
    name, not only their platform id (the console's user) or nothing (a directory entry)."""
    name = member.display_name.strip()
    return bool(name) and name not in {account.user_id for account in member.accounts}


# A sentence about oneself after the name ("TU Clausthal, im a phd student", "Harz Metall
# GmbH – ich bin dort im Einkauf"): not part of the name other members read.
_ABOUT_ONESELF = re.compile(
    r"\s*[,;:–—-]\s*(?:(?:ich\s+)?(?:bin|arbeite|mache|studiere)|wir\s+sind|i['’]m|i\s+am"
    r"|im\s+an?\b|we['’]re|we\s+are|i\s+work|i\s+study)\b",
    re.IGNORECASE,
)


def declines_answer(text: str) -> bool:
    """A skip word ("überspringen", "skip this") or a no, plain or put off ("nein danke",
    "erstmal nicht", "maybe later"), typed instead of a name: no answer given."""
    if is_skip_word(text) or hedged_yes_no(text) is False:
        return True
    words = text.split()
    while words and is_polite_word(words[-1]):
        words.pop()  # "not now thanks": the thanks said without a comma
    if words and len(words) < len(text.split()) and hedged_yes_no(" ".join(words)) is False:
        return True
    said = re.findall(r"[^\W_]+", text.casefold())
    no = NO_WORDS | SHORT_NO_WORDS
    return bool(said) and said[0] in no and set(said) <= no | POLITE_TAILS


# Saying one has no organisation ("bin privat hier, keine Firma", "no company, just me"): one of
# these said, and nothing but the few words around them ("Private Metals Ltd" is a name).
_NO_ORGANISATION = re.compile(
    r"\b(?:privat|private|privately|privatperson|privatmann|privatfrau|einzelperson"
    r"|(?:kein|keine|keiner|ohne|no|without)\s+(?:firma|unternehmen|organisation|arbeitgeber"
    r"|institution|einrichtung|company|organization|employer|affiliation)"
    r"|just\s+me|only\s+me|only\s+myself|just\s+myself|nur\s+ich)\b"
)
_AROUND_NO_ORGANISATION = frozenset(
    {"ich", "bin", "hier", "als", "nur", "einfach", "dabei", "mich", "selbst", "selber", "ganz"}
    | {"privat", "private", "privately", "privatperson", "privatmann", "privatfrau"}
    | {"einzelperson", "person", "eine", "ein", "kein", "keine", "keiner", "ohne", "firma"}
    | {"unternehmen", "organisation", "arbeitgeber", "institution", "einrichtung", "also"}
    | {"i", "im", "i'm", "am", "here", "as", "a", "an", "just", "only", "me", "myself", "no"}
    | {"without", "company", "organization", "employer", "affiliation", "individual", "so"}
    | POLITE_TAILS
)


def says_no_organisation(text: str) -> bool:
    """Whether `text` says the member has no organisation instead of naming one."""
    typed = " ".join(text.casefold().replace("’", "'").split())
    if _NO_ORGANISATION.search(typed) is None:
        return False
    return set(re.findall(r"[^\W_]+(?:'[^\W_]+)?", typed)) <= _AROUND_NO_ORGANISATION


# Words leading in to the organisation's name ("ich bin bei Schrott Meyer GmbH", "wir sind die
# Harz Metall AG", "I'm with Acme Metals", "I work for …"): no part of the name.
_LEAD_IN = re.compile(
    r"^\W*(?:(?:hallo|hi|hello|also|ok|okay|so|well)\W+)?(?:"
    r"(?:ich\s+)?(?:bin|arbeite|komme)\s+(?:bei|von|f(?:ü|ue)r|aus|an)|"
    # studying or doing a doctorate there: "ich promoviere an der TU Clausthal"
    r"(?:ich\s+)?(?:promovier|studier|forsch|lehr)e?\s+(?:an|bei|in)|"
    r"(?:ich\s+)?mach(?:e)?\s+(?:gerade\s+|grad\s+)?(?:meinen\s+|meine\s+)?"
    r"(?:doktor|promotion|master|bachelor|phd)\s+(?:an|bei|in)|"
    r"(?:ich\s+)?vertrete|wir\s+sind|"
    r"(?:meine|unsere)\s+(?:firma|organisation|hochschule|einrichtung|institution)\s+(?:ist|hei(?:ß|ss)t)|"
    r"i\s*['’]?\s*m\s+(?:with|from|at)|i\s+am\s+(?:with|from|at)|i\s+work\s+(?:at|for|with)|"
    r"i\s+(?:study|research)\s+at|"
    r"i(?:\s*['’]?\s*m|\s+am)\s+(?:doing\s+)?(?:a\s+|my\s+)?phd(?:\s+student)?\s+at|"
    r"i\s+represent|we\s*['’]?\s*re|we\s+are|"
    r"(?:my|our)\s+(?:company|organi[sz]ation|employer|institution)\s+is"
    r")\s+(?:(?:der|die|dem|den|des|the)\s+)?(?=\w)",
    re.IGNORECASE,
)
# ... and what follows the name: a role ("…, Einkauf", "… als Einkäufer", "…, purchasing").
_AFTER_NAME = re.compile(r"\s*[,;:–—]\s*|\s+-\s+|\s+(?:als|as)\s+", re.IGNORECASE)
# Words leading in to that role ("im Einkauf", "in the lab"), not part of it.
_ROLE_LEAD_IN = re.compile(
    r"^(?:(?:im|in\s+der|in\s+the|in|bei\s+der|dort|there|als|as\s+an?|as)\s+)+", re.IGNORECASE
)
# A role is a few words; more is a sentence of its own, asked about.
ROLE_WORDS = 4
# The legal forms that end a company's name, folded, as they are written: a name typed all in
# lower case, taken out of a sentence, is shown with capitals ("Schrott Meyer GmbH"), the small
# words of a name in lower case.
LEGAL_FORMS = {
    "gmbh": "GmbH",
    "mbh": "mbH",
    "ag": "AG",
    "kg": "KG",
    "kgaa": "KGaA",
    "ohg": "OHG",
    "gbr": "GbR",
    "ug": "UG",
    "se": "SE",
    "ltd": "Ltd",
    "inc": "Inc",
    "llc": "LLC",
    "plc": "plc",
    "co": "Co",
    "corp": "Corp",
    "ev": "e. V.",
}
_SMALL_WORDS = frozenset(
    {"und", "für", "fuer", "der", "die", "das", "des", "dem", "den", "von", "vom", "zu", "zur"}
    | {"am", "an", "im", "in", "bei", "aus", "and", "of", "the", "for", "at", "on", "mit", "e", "v"}
)
# After the words leading in, an indefinite article says what kind the organisation is ("wir
# sind ein Recyclingbetrieb"), not its name: asked for the name.
_KIND_NOT_NAME = re.compile(r"(?:ein|eine|einer|einem|a|an)\s", re.IGNORECASE)


@dataclass(frozen=True)
class OrganisationAnswer:
    """An organisation's name as typed to the question, and a role said beside it."""

    name: str
    role: str = ""
    # whether words around the name were taken away, or its words capitalised (said to
    # the member)
    taken_out: bool = False


def _cased(words_typed: str) -> str:
    """ "schrott meyer gmbh" -> "Schrott Meyer GmbH"; a name with capitals stays as typed."""
    if words_typed != words_typed.casefold():
        return words_typed
    out = []
    for index, word in enumerate(words_typed.split()):
        bare = word.strip(".,")
        if bare in LEGAL_FORMS:
            out.append(word.replace(bare, LEGAL_FORMS[bare]))
        elif index > 0 and bare in _SMALL_WORDS:
            out.append(word)
        elif len(bare) == 2 and bare.isalpha():
            out.append(word.upper())  # "tu clausthal": TU Clausthal
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def read_organisation(text: str) -> OrganisationAnswer:
    """The organisation's name in what was typed to its question (`parse_organisation`): a
    sentence around it ("ich bin bei schrott meyer gmbh, einkauf", "I'm with Acme Metals,
    purchasing") gives the name ("Schrott Meyer GmbH") and, a few words after it, the role
    ("Einkauf"); never the words leading in. More than a role after it is asked about."""
    lead_in = _LEAD_IN.match(text)
    if lead_in is None:
        # "stadt goslar, umweltamt" typed on a phone is shown to partners as "Stadt Goslar,
        # Umweltamt", and the member is told (a name with capitals stays as typed)
        name = parse_organisation(text)
        return OrganisationAnswer(name, taken_out=name != parse_name(text))
    rest = text[lead_in.end() :].strip()
    first = re.match(r"[^\W_]+", rest)
    if _KIND_NOT_NAME.match(rest) or (first is not None and is_stopword(first.group().casefold())):
        # "wir sind ein Recyclingbetrieb", "wir sind noch nicht im Verein": no name
        raise NoAnswerGiven("members.name_yes_no", word=clean_field(text)[:40])
    after = _AFTER_NAME.search(rest)
    name_part = rest if after is None else rest[: after.start()]
    role_part = "" if after is None else rest[after.end() :].strip(" .!")
    if not re.search(r"[^\W_]", name_part):
        return OrganisationAnswer(parse_organisation(text))
    name = _cased(parse_organisation(name_part))
    if not role_part:
        return OrganisationAnswer(name, taken_out=True)
    role_part = _ROLE_LEAD_IN.sub("", role_part)
    if (
        not role_part
        or len(role_part.split()) > ROLE_WORDS
        or _LEAD_IN.match(role_part)
        or re.match(r"(?:ich|wir|i|we)\b", role_part, re.IGNORECASE)
    ):
        raise NoAnswerGiven("members.name_with_sentence", name=name)
    role = _cased(parse_name(role_part))
    return OrganisationAnswer(name, role, taken_out=True)


def parse_organisation(text: str) -> str:
    """An organisation's name (`parse_name`); a plain yes or no ("ja", "yes", "nein danke")
    typed to the question names none: refused with an example, the question asked again; so
    is a skip word, a no put off ("erstmal nicht") or saying there is none ("keine Firma"),
    and a name with a sentence about oneself after it, with the name it begins with. Words
    leading in to it ("ich bin bei …") are taken away (`read_organisation`)."""
    if _LEAD_IN.match(text):
        return read_organisation(text).name
    said = re.findall(r"[^\W_]+", text.casefold())
    if (
        (
            said
            and said[0] in YES_WORDS | NO_WORDS
            and set(said) <= YES_WORDS | NO_WORDS | POLITE_TAILS
        )
        or declines_answer(text)
        or says_no_organisation(text)
    ):
        raise NoAnswerGiven("members.name_yes_no", word=clean_field(text)[:40])
    about = _ABOUT_ONESELF.search(text)
    if about is not None and about.start() > 0:
        raise NoAnswerGiven("members.name_with_sentence", name=clean_field(text[: about.start()]))
    return _cased(parse_name(text))  # "tu clausthal": TU Clausthal


def parse_role(text: str) -> str:
    """A role's words (`parse_name`); a skip word or a no ("erstmal nicht", "maybe later")
    names none: refused, the role kept (`/rolle`; the registration skips the step instead)."""
    if declines_answer(text):
        raise NoAnswerGiven("members.role_declined", word=clean_field(text)[:40])
    return role_as_shown(text)


def role_as_shown(text: str) -> str:
    """A role's words (`parse_name`), begun with a capital where all were typed in lower case
    ("doktorandin" → "Doktorandin", as the organisation beside it is capitalised)."""
    role = parse_name(text)
    return role[:1].upper() + role[1:] if role == role.casefold() else role


# A contact partners can use: an e-mail address (with a domain ending), a handle (@name,
# @name:server), or a phone number.
_PHONE_DIGITS = 6
_EMAIL = re.compile(r"(?<![^\s<(])[^\s@<>()]+@[^\s@<>()]+\.[^\W\d_]{2,}(?![^\s>).,;])")
_HANDLE = re.compile(r"(?<!\S)@\w[\w.:-]*(?!\S)")


EMAIL_WITHOUT_ENDING = "members.email_without_ending"
CONTACT_FORMULA = "members.contact_formula"


def address_without_ending(text: str) -> str:
    """An e-mail address typed without its domain's ending ("max@harz-metall"), or "".

    Recognised, so the member is told what is missing instead of that it is no address."""
    for word in text.split():
        word = word.strip("<>()[],;.:")
        local, at, domain = word.partition("@")
        if local and at and domain and "@" not in domain and not _EMAIL.search(word):
            return word
    return ""


def parse_contact(text: str) -> str:
    """An e-mail address, a handle (@name) or a phone number, as typed; "call me maybe" or
    "max@example" (no domain ending) is none (partners would get it as the way to reach
    the member), the latter named as an address without its ending. A mark wrapping the
    whole ("*max@harz.example*") is taken away; one starting as a formula does
    ("=HYPERLINK(…) max@harz.example") is refused, but for a handle or a phone number
    ("@max", "+49 5323 …")."""
    contact = clean_field(text)
    wrapped = _WRAPPED.fullmatch(contact)
    if wrapped is not None:
        contact = clean_field(wrapped.group(2))
    lead_in = _CONTACT_LEAD_IN.match(contact)
    if lead_in is not None:
        contact = contact[lead_in.end() :]
    reaches = bool(_EMAIL.search(contact) or _HANDLE.search(contact)) or (
        "@" not in contact and sum(ch.isdigit() for ch in contact) >= _PHONE_DIGITS
    )
    if reaches and contact.startswith(FORMULA_SIGNS) and not _CONTACT_START.match(contact):
        raise NotAnAnswer(CONTACT_FORMULA, sign=contact[0])
    if reaches:
        return contact
    address = address_without_ending(contact)
    if address:
        raise NotAnAnswer(EMAIL_WITHOUT_ENDING, given=address[:60])
    raise NotAnAnswer("onboarding.expects_contact")


# A sentence leading to the contact ("Sie erreichen mich unter 0151 …", "you can reach me at
# lena@…", "Mail: …"): words without a contact, ending in a word that introduces one. Partners
# get the contact, not the sentence; a name before it stays ("Anna Beispiel, anna@…").
_CONTACT_LEAD_IN = re.compile(
    r"^[^@\d+]{0,80}?(?:\b(?:unter|an|ist|lautet|per|via|über|ueber|at|is|on)|:)\s+"
    r"(?=\S*[@\d+])",
    re.IGNORECASE,
)


# Markdown around words ("*Lithium*", "**Kobalt**", "_Gallium_", "`Indium`", "~~Zinn~~"): the
# mark is no part of the topic. Not inside a word ("snake_case").
_MARKDOWN = re.compile(r"(?<!\w)(\*\*|__|~~|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?!\w)")
_MARKS = "*_~`"
# A contact wrapped whole in one mark ("`max@harz.example`"); inside it "_" stays ("_max_@…").
_WRAPPED = re.compile(r"(\*\*|__|~~|\*|_|`)(\S.*?\S|\S)\1")
# How a handle or a phone number starts: "@max", "@max:matrix.org", "+49 …" (no formula).
_CONTACT_START = re.compile(r"@\w[\w.:-]*(?:\s|$)|\+\s?\d")
# A list's bullet before an item ("- Lithium", "• Kobalt"), as typed one topic a line.
_BULLET = re.compile(r"^[-+•–—·]\s+")


def unmarked(text: str) -> str:
    """The text with markdown around words taken away ("*Magnet AG*" is "Magnet AG",
    "**Forschung** und _Entwicklung_" is "Forschung und Entwicklung"): our messages are HTML,
    a member's marks would show as typed. Marks inside a word stay ("snake_case")."""
    plain = text
    while True:
        bare = _MARKDOWN.sub(r"\2", plain)
        if bare == plain:
            return plain
        plain = bare


def emphasis_marks(text: str) -> list[str]:
    """The markdown marks `unmarked` takes away from `text` ("*", "**", "_", "`", "~~"), in
    the order found, each once; [] for none."""
    found: list[str] = []
    plain = text
    while True:
        marks = [match.group(1) for match in _MARKDOWN.finditer(plain)]
        if not marks:
            return found
        found.extend(mark for mark in dict.fromkeys(marks) if mark not in found)
        plain = _MARKDOWN.sub(r"\2", plain)


def plain_topic(text: str) -> str:
    """A topic as its words: markup tags, a list's bullet and markdown around words taken
    away, whitespace collapsed; "" for one with no word (an emoji, a mark)."""
    plain = unmarked(_BULLET.sub("", MARKUP_TAG.sub(" ", text).strip()))
    plain = " ".join(plain.split()).strip(_MARKS + " ")
    return plain if any(ch.isalnum() for ch in plain) else ""


@dataclass(frozen=True)
class Topics:
    """Topics as typed: those kept, and what was left out as no topic (an emoji, a mark)."""

    kept: list[str]
    left_out: tuple[str, ...] = ()


# The word joining a list's last item to the others ("Kobalt, Lithium und Nickel", "cobalt,
# lithium, and nickel", "…, Lithium sowie Nickel", "…, Lithium & Nickel"), spaced as a word.
_JOIN = r"(?:und|and|sowie|&)"
_JOINS_LAST = re.compile(rf"\s+{_JOIN}\s+", re.IGNORECASE)
_LEADS_WITH_JOIN = re.compile(rf"^{_JOIN}\s+", re.IGNORECASE)


def _separated(text: str) -> list[str]:
    """The items typed between `;`, `,` and new lines."""
    return [part.strip() for part in re.split(r"[;,\n]", text) if part.strip()]


# A bullet between items typed on one line ("• Kobalt • Lithium", "Kobalt · Lithium", "A – B",
# "A - B"): "•" anywhere, "·" and a dash only with a space on both sides (or at the start), so
# "Lithium-Ionen", "E-Schrott", "2020–2024" and "Ingenieur·innen" stay one.
_INLINE_BULLET = re.compile(r"\s*[•●▪◦]\s*|(?:^|\s)[·\-–—](?:\s|$)")
# An enumeration's mark before an item ("1) Kobalt 2) Nickel", "1. Kobalt 2. Nickel",
# "a) Kobalt b) Nickel"), after a space or at the start: "ISO 14001", "3D-Druck" and
# "Industrie 4.0" have none.
_ENUMERATION = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}[.)]|[A-Za-z]\))(?=\s|$)|(?:^|(?<=\s))\d{1,2}\)")


def _listed(line: str) -> list[str]:
    """A line split at bullets and enumeration marks between its items, as `;` splits it.
    Numbers count as marks where they start the line or are two or more ("Platz 2. Reihe"
    alone is one topic)."""
    parts = _INLINE_BULLET.split(line)
    pieces: list[str] = []
    for part in parts:
        marks = list(_ENUMERATION.finditer(part))
        if len(marks) >= 2 or (marks and not part[: marks[0].start()].strip()):
            pieces.extend(_ENUMERATION.split(part))
        else:
            pieces.append(part)
    return [piece for piece in pieces if piece.strip()]


def topic_items(text: str) -> list[str]:
    """The items of a topic list: separated by `;`, `,` or new lines, and in a list written
    with commas its last item at the word joining it ("Kobalt, Lithium und Nickel" is three).
    Without a comma "und" stays inside the topic: "Forschung und Entwicklung" or "Lithium und
    Nickel" may name one field, and only commas say the words are a list, as a sentence
    writes one ("A, B und C"). Lines and `;` keep a topic whole: each holds one already; so
    do bullets and enumerations typed on one line ("• Kobalt • Nickel", "1) cobalt 2) nickel")."""
    items: list[str] = []
    for line in (piece for chunk in re.split(r"[;\n]", text) for piece in _listed(chunk)):
        listed = _separated(line)
        if len(listed) > 1:
            *head, last = listed
            items.extend([*head, *_last_items(_LEADS_WITH_JOIN.sub("", last))])
        else:
            items.extend(listed)
    return items


def _last_items(last: str) -> list[str]:
    """A list's last item split at its last joining word: "Lithium und Nickel" is two."""
    joins = list(_JOINS_LAST.finditer(last))
    if not joins:
        return [last]
    join = joins[-1]
    return [part for part in (last[: join.start()], last[join.end() :]) if part.strip()]


def read_topics(text: str) -> Topics:
    """Topics as `topic_items` reads them, as their words (markup and markdown around them
    taken away); items with no word are left out, duplicates dropped, order kept. A topic
    starting as a spreadsheet formula does ("=cmd|calc!A1") is refused, as an organisation
    is, and nothing is kept."""
    topics: list[str] = []
    left_out: list[str] = []
    for stripped in topic_items(text):
        typed = clean_field(stripped, limit=MAX_FIELD_CHARS)
        topic = plain_topic(typed)
        if not topic:
            left_out.append(typed)
            continue
        topic = clean_field(topic, limit=MAX_TOPIC_CHARS)
        if topic.startswith(FORMULA_SIGNS):  # as an organisation's: exported to spreadsheets
            raise NoAnswerGiven("members.topic_formula", topic=topic[:40], sign=topic[0])
        if topic.casefold() not in {known.casefold() for known in topics}:
            topics.append(topic)
    if not topics:
        raise NoAnswerGiven("onboarding.expects_words" if left_out else "errors.nothing_written")
    if len(topics) > MAX_TOPICS:
        raise UserError("members.too_many_topics", limit=MAX_TOPICS)
    return Topics(topics, tuple(left_out))


def parse_topics(text: str) -> list[str]:
    """The topics typed (see `read_topics`), without what was left out."""
    return read_topics(text).kept


# A first word that says "add" or "remove", as "+" and "-" do ("/topics add rare earths").
_ADD_WORDS = frozenset({"add", "plus", "hinzufügen", "hinzufuegen", "dazu", "neu"})
_REMOVE_WORDS = frozenset({"remove", "delete", "entfernen", "löschen", "loeschen", "streichen"})


def has_topic(topics: Sequence[str], wanted: str) -> bool:
    """Whether one of a member's topics names `wanted`, read as partner search reads words:
    folded, stemmed in both languages, compounds split, German and English translations
    ("battery" finds "Batterierecycling", "Seltene Erden" finds "rare earths")."""
    folded = wanted.casefold()
    if any(folded in topic.casefold() for topic in topics):  # a part of a word ("Magnet")
        return True
    asked = [word for word in words(wanted) if not is_stopword(word)]
    return bool(asked) and any(
        all(_names(word, _topic_terms(topic)) for word in asked) for topic in topics
    )


def _names(word: str, terms: frozenset[str]) -> bool:
    """A wanted word is among a topic's terms, itself, translated, or all its parts are."""
    if not terms.isdisjoint(_forms(word)):
        return True
    parts = split_compound(word, german_words().__contains__)
    return len(parts) > 1 and all(not terms.isdisjoint(_forms(part)) for part in parts)


@lru_cache(maxsize=10_000)
def _forms(word: str) -> frozenset[str]:
    return frozenset((stem(word), *translations(word)))


@lru_cache(maxsize=10_000)
def _topic_terms(topic: str) -> frozenset[str]:
    """Stems of a topic's words and of their compound parts."""
    terms: set[str] = set()
    for word in words(topic):
        terms.add(stem(word))
        terms.update(stem(part) for part in split_compound(word, german_words().__contains__))
    return frozenset(terms)


def topic_change(text: str) -> tuple[str, str]:
    """What `/topics TEXT` does, and with what: ("+", A) for "+ A" or "add A", ("-", A) for
    "- A" or "remove A" (A may be empty: "+" alone), ("", TEXT) to replace them all."""
    typed = text.strip()
    first, _, rest = typed.partition(" ")
    said = first.casefold().rstrip(":")
    if said in _ADD_WORDS:
        return "+", rest.strip()
    if said in _REMOVE_WORDS:
        return "-", rest.strip()
    if typed[:1] == "+":
        return "+", typed[1:].strip()
    if typed[:1] in ("-", "−"):
        return "-", typed[1:].strip()
    return "", typed


def _without_the_one_named(current: Sequence[str], named: Sequence[str]) -> list[str]:
    """`current` less the topics named by a part of their words ("- leiterplatten" for
    "Leiterplatten-Recycling"); `current` when a name names none. A name in several topics
    ("- recycling") is asked about, with them."""
    gone: set[str] = set()
    for name in named:
        matching = [topic for topic in current if has_topic([topic], name)]
        if len(matching) > 1:
            raise UserError(
                "members.topic_in_several",
                named=name,
                topics="; ".join(matching),
                example=matching[0],
            )
        if not matching:
            return list(current)
        gone.add(matching[0])
    return [topic for topic in current if topic not in gone]


# A wish to change one's topics said in words ("ich will bei themen noch batterierecycling
# ergänzen", "add battery recycling to my topics", "nimm Kobalt aus meinen Themen raus"): a
# word for the profile's topics, a verb of adding or removing, and what is left once the
# words of such a wish are taken away is the topic. "wie kann ich themen ergänzen?" leaves
# nothing: the FAQ's, or /help's.
_TOPIC_NOUNS = frozenset({"themen", "thema", "topics", "topic"})
_ADDING = frozenset(
    {"ergänzen", "ergaenzen", "hinzufügen", "hinzufuegen", "hinzu", "aufnehmen", "eintragen"}
    | {"dazu", "dazunehmen", "add", "include"}
)
_REMOVING = frozenset(
    {"entfernen", "löschen", "loeschen", "streichen", "streiche", "raus", "rausnehmen"}
    | {"weg", "remove", "delete", "drop"}
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WISH_FRAME = _word_set(
    "ich will möchte moechte würde wuerde gern gerne bitte noch auch bei zu zum zur in im "
    "den die der das meinen meine meiner meinem mein unsere unseren unser unserer themen "
    "thema füge fuege fügen fuegen sie du trag trage tragen ein auf kannst können koennen "
    "kann wie mal doch neu neues als profil mir uns nimm nehmen aus von hallo hi dass da "
    "man wir wollen"
) | _word_set(
    "i want to would like please also my our the a as new can you could from take off out "
    "profile me how do we it"
)
_JOINING = frozenset({"und", "and", "sowie"})
# The member's own topics: "meine Themen", "my topics", "im Profil", "bei (den) Themen".
_OWN = frozenset(
    {"mein", "meine", "meinen", "meiner", "meinem", "unser", "unsere", "unseren", "unserer"}
    | {"my", "our", "profil", "profile"}
)
_AT_TOPICS = re.compile(r"\b(?:bei|unter|zu)\s+(?:den\s+)?themen\b", re.IGNORECASE)


def topics_said_to_change(text: str) -> str | None:
    """What `/topics` would be given for a wish said in words ("+ batterierecycling",
    "- Kobalt"); None when the message is no such wish (see above)."""
    if len(text) > 300:
        return None
    typed = list(re.finditer(r"[\w&+-]+", text))
    said = {match[0].casefold() for match in typed}
    if not said & _TOPIC_NOUNS:
        return None
    adds, removes = bool(said & _ADDING), bool(said & _REMOVING)
    if adds == removes or not (said & _OWN or _AT_TOPICS.search(text)):
        return None  # whose topics: "add me to the topic list of the newsletter"
    frame = _WISH_FRAME | _TOPIC_NOUNS | _ADDING | _REMOVING | _JOINING
    rest = [match for match in typed if match[0].casefold() not in frame]
    if not rest:
        return None
    # from the first word to the last that are no words of the wish, as typed between them
    # ("Seltene Erden, Kobalt und Gallium": the command's list)
    return f"{'+' if adds else '-'} {text[rest[0].start() : rest[-1].end()]}"


def _topic_key(topic: str) -> str:
    return plain_topic(topic).casefold()


def _topic_typed(topic: str) -> str:
    return " ".join(topic.split()).casefold()


def change_topics(current: Sequence[str], text: str) -> Topics:
    """The topics after `/topics TEXT`: "+ A; B" (or "add A") adds, "- A" (or "remove A")
    removes, anything else replaces them all. A topic is removed when named by its words
    (any case, markup ignored: "lithium" removes "*Lithium*") or as stored ("🔋🔋🔋", kept
    from before topics needed a word)."""
    sign, rest = topic_change(text)
    if sign == "-":
        # Read both ways: "- Lithium, Forschung und Entwicklung" removes the one topic stored
        # as "Forschung und Entwicklung" as well as "Forschung" and "Entwicklung".
        named = [*topic_items(rest), *_separated(rest)]
        if not named:
            raise UserError("errors.nothing_written")
        keys = {_topic_key(name) for name in named} - {""}
        typed = {_topic_typed(name) for name in named}
        kept = [
            topic
            for topic in current
            if _topic_key(topic) not in keys and _topic_typed(topic) not in typed
        ]
        if len(kept) == len(current):
            kept = _without_the_one_named(current, topic_items(rest))
        if len(kept) == len(current):
            raise UserError("members.topic_not_found", topics="; ".join(current) or "–")
        return Topics(kept)
    if sign == "+":
        added = read_topics(rest)
        known = {_topic_key(topic) for topic in current} | {_topic_typed(t) for t in current}
        new = [topic for topic in added.kept if topic.casefold() not in known]
        if len(current) + len(new) > MAX_TOPICS:
            raise UserError("members.too_many_topics", limit=MAX_TOPICS)
        return Topics([*current, *new], added.left_out)
    return read_topics(rest)


# A no hedged or put off ("erstmal nicht", "eher nicht", "lieber nicht", "jetzt noch nicht",
# "vielleicht später", "not now", "maybe later", "rather not", "probably not", "not yet"): a
# no, as "nein" is (/profile changes it later); and a yes hedged ("ich denke schon",
# "wahrscheinlich ja", "schon", "i guess", "i think so", "probably yes"): a yes. Either as the
# answer's first part, before what the member goes on to say ("i guess? im a phd student").
_HEDGED_NO = re.compile(
    r"(?:(?:erstmal|erst mal|eher|lieber|wohl|vorerst|vorläufig|jetzt|gerade|momentan|aktuell"
    r"|derzeit|eigentlich|noch|ehrlich gesagt|nein|nee|ne)\s+)*(?:noch\s+)?nicht"
    r"(?:\s+(?:jetzt|mehr|sofort|gleich|unbedingt|so gern|so gerne))*|"
    r"(?:vielleicht|eventuell|evtl|lieber|eher)\s+(?:später|spaeter|ein andermal|irgendwann)|"
    r"(?:später|spaeter|ein andermal)(?:\s+vielleicht)?|"
    r"(?:(?:no|nah|nope)\s+)?(?:not\s+(?:now|yet|right now|at the moment|for now|today|really)"
    r"|(?:i'?d\s+|i would\s+)?rather\s+not|better\s+not|probably\s+not|not\s+really"
    r"|(?:maybe|perhaps)\s+(?:later|another time|some other time)|later\s+maybe|later)"
)
_HEDGED_YES = re.compile(
    r"(?:(?:ja|yes|yeah)\s+)?(?:ich\s+(?:denke|glaube|würde sagen|wuerde sagen)\s+(?:schon|ja)"
    r"|(?:wohl|eigentlich|wahrscheinlich|vermutlich|eher|irgendwie)\s+(?:schon|ja)|schon"
    r"|i\s+(?:guess|think|suppose|believe)(?:\s+so)?|guess\s+so|think\s+so"
    r"|(?:probably|likely|i think|kind of|sort of|more or less)(?:\s+(?:yes|yeah|so))?"
    r"|(?:ja|yes|yeah),?\s+(?:i think|ich denke|ich glaube|wohl|probably|i guess))"
)
# The end of the hedge's part: a comma, a full stop, a question mark (the doubt of "i guess?"),
# a dash or the end.
_PART_END = re.compile(r"\s*(?:[,;.!?:–—-]+\s*|$)")


def hedged_yes_no(text: str) -> bool | None:
    """True for a hedged yes, False for a hedged no or one put off, as the answer's first part;
    None when `text` starts with neither, or goes on to ask something ("ich denke schon,
    aber was heißt das?")."""
    typed = " ".join(text.casefold().replace("’", "'").split())
    for pattern, answer in ((_HEDGED_NO, False), (_HEDGED_YES, True)):
        found = pattern.match(typed)
        if found is None:
            continue
        end = _PART_END.match(typed, found.end())
        if end is None:
            continue  # "schon gesehen", "noch nicht angemeldet …": more than the hedge
        rest = typed[end.end() :]
        if "?" in rest or is_question_start(rest):
            return None
        return answer
    return None


def is_question_start(rest: str) -> bool:
    """Whether what follows an answer starts a question ("aber was heißt das", "what is …")."""
    first = re.findall(r"[^\W_]+", rest)
    while first and first[0] in {"aber", "und", "but", "and", "so", "also"}:
        first = first[1:]
    return bool(first) and first[0] in QUESTION_STARTS


def parse_yes_no(text: str, *, hedged_yes: bool = True) -> bool:
    """Yes or no as typed: "ja", "ok", or a longer answer starting so ("yes I am", "nein,
    danke"), not a question; a hedged one too ("erstmal nicht", "maybe later", "i guess? im a
    phd student": `hedged_yes_no`). `hedged_yes=False` where a yes cannot be undone (erasing
    everything): only a plain yes is one."""
    typed = text.strip().casefold()
    word = typed.rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    hedged = hedged_yes_no(typed)
    if hedged is False or (hedged and hedged_yes):
        return hedged
    first = re.split(r"[\s,.;:!]+", typed, maxsplit=1)[0]
    if not typed.endswith("?"):
        # not "an" or "aus" of `_YES`/`_NO`, which start questions too ("An wen geht das?")
        if first in YES_WORDS:
            return True
        if says_no(re.findall(r"[^\W_]+", typed)):
            return False
    raise NotAnAnswer("errors.yes_or_no")


def is_given(member: Member, field: str) -> bool:
    """Whether the member gave `field`: every field of a finished profile; of one begun, what
    they wrote or chose (a yes/no still at its default, a contact never asked, is open)."""
    if member.onboarded or field == "language" or field in member.answered:
        return True
    if field in CHOICES:
        return False
    value = getattr(member, field)
    return bool(value.strip() if isinstance(value, str) else value)


def open_fields(member: Member) -> list[str]:
    """The fields of a begun profile the registration still asks, in its order (the contact
    only once partner requests are allowed: it is asked of no one else)."""
    consents = is_given(member, "partner_consent") and member.partner_consent
    return [
        field
        for field in PROFILE_FIELDS
        if not is_given(member, field) and (field != "contact" or consents)
    ]
