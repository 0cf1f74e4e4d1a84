"""The FAQ knowledge base format: `[[faq]]` TOML tables with bilingual phrasings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import UserError

LANGS: tuple[str, ...] = ("de", "en")


class InvalidEntry(UserError, ValueError):
    """An entry that cannot be stored, in words for the admin (`key`, naming the `field` to
    ask again: id, tags, qde, qen, ade, aen, or "" for the whole entry); `str()` is the
    technical reason for an operator's import."""

    def __init__(self, key: str, field: str, detail: str, **values: object) -> None:
        super().__init__(key, **values)
        self.field = field
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


@dataclass(frozen=True)
class FaqEntry:
    """One knowledge base entry: phrasings and answers keyed by language ("de"/"en")."""

    id: str
    tags: tuple[str, ...]
    questions: dict[str, tuple[str, ...]]
    answers: dict[str, str]
    # Phrasings members' questions taught (handlers/faq/learned.py), not the office's text.
    learned: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _strings(value: Any, field: str, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        detail = f"{what} must be a list of non-empty strings"
        raise InvalidEntry("faq.invalid_strings", field, detail)
    return tuple(v.strip() for v in value)


# The keys of a `[[faq]]` table.
ENTRY_KEYS = frozenset({"id", "tags", "question", "answer"})


def parse_entry(raw: Any) -> FaqEntry:
    """Validate one `[[faq]]` table; raise InvalidEntry with the reason."""
    if not isinstance(raw, dict):
        raise InvalidEntry("faq.invalid_not_table", "", "entry is not a table")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise InvalidEntry("faq.invalid_no_id", "id", "missing or empty 'id'")
    tags = _strings(raw.get("tags", []), "tags", "'tags'") if raw.get("tags") else ()
    # "questions.de", "antwort": a key misspelt is named, not taken for a missing table
    unknown_keys = sorted(str(key) for key in set(raw) - ENTRY_KEYS)
    if unknown_keys:
        keys = ", ".join(unknown_keys)
        detail = f"{entry_id}: unknown key(s) {keys} (the keys are id, tags, question, answer)"
        raise InvalidEntry("faq.invalid_key", "", detail, keys=keys)
    question = raw.get("question")
    answer = raw.get("answer")
    if not isinstance(question, dict) or not isinstance(answer, dict):
        detail = f"{entry_id}: needs 'question' and 'answer' tables"
        raise InvalidEntry("faq.invalid_incomplete", "", detail)
    questions: dict[str, tuple[str, ...]] = {}
    answers: dict[str, str] = {}
    for lang in LANGS:
        if lang in question:
            questions[lang] = _strings(question[lang], f"q{lang}", f"{entry_id}: 'question.{lang}'")
        text = answer.get(lang)
        if text is not None:
            if not isinstance(text, str) or not text.strip():
                detail = f"{entry_id}: 'answer.{lang}' must be a non-empty string"
                raise InvalidEntry("faq.invalid_empty", f"a{lang}", detail)
            answers[lang] = text.strip()
    unknown = sorted((set(question) | set(answer)) - set(LANGS))
    if unknown:
        detail = f"{entry_id}: unknown language(s) {unknown}"
        raise InvalidEntry("faq.invalid_language", "", detail, langs=", ".join(map(str, unknown)))
    if not questions or not answers:
        detail = f"{entry_id}: needs at least one question and one answer"
        raise InvalidEntry("faq.invalid_incomplete", "", detail)
    missing = sorted(set(questions) - set(answers))
    if missing:
        wanted = ", ".join(f"answer.{lang}" for lang in missing)
        detail = f"{entry_id}: questions in {', '.join(missing)} but no {wanted}"
        raise InvalidEntry("faq.invalid_no_answer", f"a{missing[0]}", detail)
    return FaqEntry(entry_id.strip(), tags, questions, answers)


def load_kb_toml(path: Path) -> list[FaqEntry]:
    """Read a knowledge base; a bad entry raises ValueError naming its index and reason."""
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    raw_entries = data.get("faq")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise ValueError(f"{path}: no [[faq]] entries")
    entries: list[FaqEntry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries):
        try:
            entry = parse_entry(raw)
        except ValueError as exc:
            raise ValueError(f"{path}: entry {index}: {exc}") from exc
        if entry.id in seen:
            raise ValueError(f"{path}: entry {index}: duplicate id {entry.id!r}")
        seen.add(entry.id)
        entries.append(entry)
    return entries


def _basic(text: str, *, lines: bool = False) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped; with `lines`
    a multi-line one, so an answer's lines stay lines in the file."""
    out = ['"""\n' if lines else '"']
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\n" if lines else "\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"""' if lines else '"')
    return "".join(out)


def _array(values: tuple[str, ...]) -> str:
    one_line = "[" + ", ".join(_basic(v) for v in values) + "]"
    if len(one_line) <= 100:
        return one_line
    return "[\n" + "".join(f"  {_basic(v)},\n" for v in values) + "]"


def dump_kb(entries: list[FaqEntry], *, header: str = "") -> str:
    """The knowledge base in the shared format (`[[faq]]`, id, tags, question.de/en,
    answer.de/en); `parse_entry` reads every entry back as it was."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for entry in entries:
        if lines:
            lines.append("")
        lines += ["[[faq]]", f"id = {_basic(entry.id)}", f"tags = {_array(entry.tags)}"]
        for lang in LANGS:
            if entry.questions.get(lang):
                lines.append(f"question.{lang} = {_array(entry.questions[lang])}")
        for lang in LANGS:
            text = entry.answers.get(lang)
            if text:
                shown = _basic(text, lines="\n" in text)
                lines.append(f"answer.{lang} = {shown}")
    return "\n".join(lines) + "\n"
