"""Plain FAQ rules, callable without a chat: cleaning, validation, picking the language."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.i18n import InLanguages, t
from bot.messages import shorten
from bot.textmatch import reply_language
from bot.textmatch.normalize import bounded, without_markup
from handlers.faq.kb_format import LANGS, FaqEntry, InvalidEntry, parse_entry
from storage.faq import MAX_ENTRY_ID, EntryFields, FaqEntryRow

if TYPE_CHECKING:
    from bot.router import Router

# A question is stored (and shown to the office) up to this length.
MAX_QUESTION_CHARS = 2000
# A phrasing the office teaches the bot; longer questions are cut here.
MAX_PHRASING_CHARS = 500
# Telegram allows 4096 characters per message; the title and buttons need some room.
MAX_ANSWER_CHARS = 3500
MAX_PHRASINGS = 50
MAX_TAGS = 30
MAX_TAG_CHARS = 80
MAX_LABEL_CHARS = 60
MAX_TITLE_CHARS = 200

ENTRY_ID = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_ENTRY_ID - 1}}}")
# Words that cannot be entry ids because commands use them.
RESERVED_IDS = frozenset({"new", "neu"})


def clean_text(text: str, *, limit: int, keep_lines: bool = False, keep_end: bool = False) -> str:
    """Visible text: control and format characters removed, spaces collapsed, capped (with
    `keep_end`, a longer text keeps its beginning and its end, as a question does)."""
    out: list[str] = []
    for ch in bounded(text, limit * 2) if keep_end else text[: limit * 2]:
        category = unicodedata.category(ch)
        if category in {"Cf", "Cs", "Co", "Cn"}:
            continue
        if ch == "\n" and keep_lines:
            out.append("\n")
        elif category in {"Cc", "Zl", "Zp"}:
            out.append(" ")
        else:
            out.append(ch)
    joined = "".join(out)
    if keep_lines:
        lines = (re.sub(r"[ \t]+", " ", line).strip() for line in joined.split("\n"))
        cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        cleaned = re.sub(r"\s+", " ", joined).strip()
    return bounded(cleaned, limit) if keep_end else cleaned[:limit].rstrip()


def question_text(text: str) -> str:
    """A member's message as the question it asks: markup tags read as the text between them
    ("<b>x</b>" is as short as "x"), then cleaned as `clean_text` does, its beginning and end
    kept."""
    return clean_text(without_markup(text), limit=MAX_QUESTION_CHARS, keep_end=True)


def same_question(one: str, other: str) -> bool:
    """Whether two questions are the same words, in whatever case or spacing ("Anmeldung",
    then "anmeldung " again): one open ticket holds both."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def question_language(text: str, default: str) -> str:
    """The language a question is read in: the one it is answered in (`reply_language`), so
    that a question read as German is not answered in English."""
    return reply_language(text, default if default in LANGS else "de")


def normalise_id(raw: str) -> str | None:
    """An entry id as typed (`Membership-Fee`) in its stored form, or None if not valid."""
    value = raw.strip().lower()
    return value if ENTRY_ID.fullmatch(value) and value not in RESERVED_IDS else None


def split_list(value: str) -> list[str]:
    """`a; b ;a` -> ["a", "b"]; a lone `-` means an empty list."""
    if value.strip() == "-":
        return []
    items: list[str] = []
    for part in re.split(r"[;\n]", value):
        # Cut generously: `validate` refuses a phrasing longer than MAX_PHRASING_CHARS.
        item = clean_text(part, limit=MAX_QUESTION_CHARS)
        if item and item.casefold() not in {known.casefold() for known in items}:
            items.append(item)
    return items


def entry_to_fields(entry: FaqEntry) -> EntryFields:
    return EntryFields(
        id=entry.id,
        tags=list(entry.tags),
        questions_de=list(entry.questions.get("de", ())),
        questions_en=list(entry.questions.get("en", ())),
        answer_de=entry.answers.get("de", ""),
        answer_en=entry.answers.get("en", ""),
    )


def row_to_fields(row: FaqEntryRow) -> EntryFields:
    return EntryFields(
        id=row.id,
        tags=list(row.tags),
        questions_de=list(row.questions_de),
        questions_en=list(row.questions_en),
        answer_de=row.answer_de,
        answer_en=row.answer_en,
    )


def fields_to_entry(fields: EntryFields) -> FaqEntry:
    """The engine's view of stored fields (no validation: stored entries were validated)."""
    questions = {
        lang: tuple(phrasings)
        for lang, phrasings in (("de", fields.questions_de), ("en", fields.questions_en))
        if phrasings
    }
    answers = {
        lang: text for lang, text in (("de", fields.answer_de), ("en", fields.answer_en)) if text
    }
    return FaqEntry(fields.id, tuple(fields.tags), questions, answers)


def check_id(entry_id: str) -> None:
    """Raise `InvalidEntry` if `entry_id` is not an id as stored (lowercase, digits, - or _)."""
    if normalise_id(entry_id) != entry_id:
        detail = f"id {entry_id[:60]!r} must be lowercase letters, digits, - or _"
        raise InvalidEntry("faq.invalid_id", "id", detail, id=entry_id[:60], limit=MAX_ENTRY_ID)


def validate(fields: EntryFields) -> EntryFields:
    """The fields cleaned and checked like an imported entry; `InvalidEntry` names the field."""
    check_id(fields.id)
    questions: dict[str, list[str]] = {}
    for lang, phrasings in (("de", fields.questions_de), ("en", fields.questions_en)):
        if len(phrasings) > MAX_PHRASINGS:
            detail = f"more than {MAX_PHRASINGS} questions in {lang}"
            raise InvalidEntry("faq.invalid_too_many", f"q{lang}", detail, limit=MAX_PHRASINGS)
        if any(len(p.strip()) > MAX_PHRASING_CHARS for p in phrasings):
            detail = f"a question in {lang} is longer than {MAX_PHRASING_CHARS} characters"
            raise InvalidEntry("faq.invalid_too_long", f"q{lang}", detail, limit=MAX_PHRASING_CHARS)
        if phrasings:
            questions[lang] = [clean_text(p, limit=MAX_PHRASING_CHARS) for p in phrasings]
    answers: dict[str, str] = {}
    for lang, text in (("de", fields.answer_de), ("en", fields.answer_en)):
        if len(text) > MAX_ANSWER_CHARS:
            detail = f"the {lang} answer is longer than {MAX_ANSWER_CHARS} characters"
            raise InvalidEntry("faq.invalid_too_long", f"a{lang}", detail, limit=MAX_ANSWER_CHARS)
        if text.strip():
            answers[lang] = clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)
    if len(fields.tags) > MAX_TAGS:
        raise InvalidEntry(
            "faq.invalid_too_many", "tags", f"more than {MAX_TAGS} tags", limit=MAX_TAGS
        )
    if not any(q for q in questions.values()):
        raise InvalidEntry("faq.invalid_no_question", "qde", "needs at least one question")
    for lang in ("de", "en"):
        if questions.get(lang) and lang not in answers:
            detail = f"questions in {lang} but no answer"
            raise InvalidEntry("faq.invalid_no_answer", f"a{lang}", detail)
    tags = [clean_text(tag, limit=MAX_TAG_CHARS) for tag in fields.tags]
    raw: dict[str, object] = {
        "id": fields.id,
        "tags": [t for t in tags if t],
        "question": questions,
        "answer": answers,
    }
    return entry_to_fields(parse_entry(raw))


def answer_in(entry: FaqEntry, lang: str) -> tuple[str, str]:
    """The answer in `lang`, else in the other language; returns (text, language used)."""
    for candidate in (lang, *(other for other in LANGS if other != lang)):
        text = entry.answers.get(candidate)
        if text:
            return text, candidate
    return "", lang


def answer_as_sent(router: Router, entry: FaqEntry, lang: str) -> tuple[str, str]:
    """`answer_in`, with the commands it names as a member of `lang` knows them (the knowledge
    base writes /join, a German member reads /anmelden): what the member is sent."""
    text, used = answer_in(entry, lang)
    return router.shown_commands(text, lang), used


def title_in(entry: FaqEntry, lang: str) -> str:
    """The first phrasing in `lang` (else the other language): how an entry is named."""
    for candidate in (lang, *(other for other in LANGS if other != lang)):
        phrasings = entry.questions.get(candidate)
        if phrasings:
            return phrasings[0]
    return entry.id


def topic_label(entry: FaqEntry, lang: str, limit: int = MAX_LABEL_CHARS) -> str:
    """An entry as a member of `lang` sees it listed: its title, shortened; one answered only
    in the other language says so ("… (auf Englisch)"): the member reads it in that one."""
    if entry.answers.get(lang) or not entry.answers:
        return shorten(title_in(entry, lang), limit)
    mark = str(t(lang, "faq.other_language_mark"))
    return f"{shorten(title_in(entry, lang), limit - len(mark) - 1)} {mark}"


def entry_name(entry: FaqEntry) -> InLanguages:
    """How the office is told about an entry: by its first question in the admin's language
    (as the knowledge base writes it), never by its id, which only a command takes."""
    return InLanguages(tuple((lang, title_in(entry, lang)) for lang in LANGS))


def named(entries: Mapping[str, FaqEntry], entry_id: str) -> InLanguages | str:
    """`entry_name` of the entry `entry_id`; its id only when it is no longer there."""
    entry = entries.get(entry_id)
    return entry_name(entry) if entry is not None else entry_id


def fields_name(fields: EntryFields) -> InLanguages:
    """`entry_name` of an entry as stored (before it is in the index, or after removal)."""
    return entry_name(fields_to_entry(fields))


def button_label(text: str) -> str:
    return shorten(text, MAX_LABEL_CHARS)


def add_phrasing(fields: EntryFields, lang: str, phrasing: str) -> EntryFields:
    """The fields with one more phrasing in `lang` (unchanged if it is already there)."""
    current = fields.questions_de if lang == "de" else fields.questions_en
    if phrasing.casefold() in {p.casefold() for p in current}:
        return fields
    extended = [*current, phrasing]
    if lang == "de":
        return _replace(fields, questions_de=extended)
    return _replace(fields, questions_en=extended)


def _replace(fields: EntryFields, **changes: object) -> EntryFields:
    return dataclasses.replace(fields, **changes)  # type: ignore[arg-type]


def edit_field(fields: EntryFields, field: str, value: str) -> EntryFields:
    """Apply one `/faq_edit` change; `field` is one of EDIT_FIELDS. Validation is separate."""
    if field in ("qde", "qen"):
        return _replace(fields, **{_COLUMNS[field]: split_list(value)})
    if field in ("+qde", "+qen"):
        lang = field[-2:]
        result = fields
        for phrasing in split_list(value):
            result = add_phrasing(result, lang, phrasing)
        return result
    if field in ("ade", "aen"):
        text = "" if value.strip() == "-" else value
        return _replace(fields, **{_COLUMNS[field]: text})
    if field == "tags":
        return _replace(fields, tags=split_list(value))
    raise ValueError(field)


_COLUMNS = {"qde": "questions_de", "qen": "questions_en", "ade": "answer_de", "aen": "answer_en"}
EDIT_FIELDS: Sequence[str] = ("qde", "qen", "+qde", "+qen", "ade", "aen", "tags")
