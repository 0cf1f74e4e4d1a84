"""`rewimet-bot import faq FILE.toml`: the shared TOML format into the database, all or nothing."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from handlers.faq.kb_format import InvalidEntry, dump_kb, parse_entry
from handlers.faq.rules import check_id, entry_to_fields, fields_to_entry, row_to_fields, validate
from handlers.faq.service import faq_service
from storage import faq
from storage.faq import EntryFields

_TABLE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*faq[ \t]*\]\]", re.MULTILINE)


@dataclasses.dataclass(frozen=True)
class ImportProblem:
    """What is wrong with a file or one of its entries (`entry`: its number from 1, None for
    the whole file), as a catalogue text (`key`, `values`, `field` as in `InvalidEntry`) for
    the dashboard and in English (`detail`) for the command line."""

    key: str
    detail: str
    values: Mapping[str, object] = dataclasses.field(default_factory=dict)
    field: str = ""
    entry: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.entry is None:
            return self.detail
        where = f"entry {self.entry}" + (f" (line {self.line})" if self.line else "")
        return f"{where}: {self.detail}"


class KbImportError(Exception):
    """The file cannot be imported; `items` name each bad entry by number and line, and
    `problems` say the same in English."""

    def __init__(self, items: Sequence[ImportProblem]) -> None:
        self.items = list(items)
        self.problems = [str(item) for item in self.items]
        super().__init__("; ".join(self.problems))


@dataclasses.dataclass(frozen=True)
class ImportCounts:
    added: int
    updated: int
    unchanged: int


# tomllib names where it stopped reading at the end of its message
_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)$")


def parse_kb(text: str) -> list[EntryFields]:
    """Every `[[faq]]` entry, validated; any problem raises KbImportError listing all of them."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _WHERE.search(str(exc))
        line, column = (where.group(1), where.group(2)) if where else ("?", "?")
        reason = _WHERE.sub("", str(exc)).strip()
        problem = ImportProblem(
            "web_faq.import_not_toml",
            f"not valid TOML: {exc}",
            {"line": line, "column": column, "reason": reason},
        )
        raise KbImportError([problem]) from exc
    raw_entries = data.get("faq")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise KbImportError([ImportProblem("web_faq.import_no_entries", "no [[faq]] entries")])
    lines = [text.count("\n", 0, m.start()) + 1 for m in _TABLE_HEADER.finditer(text)]
    problems: list[ImportProblem] = []
    entries: list[EntryFields] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_entries):
        line = lines[index] if len(lines) == len(raw_entries) else None
        fields, invalid = _checked(raw)
        if invalid:
            problems += [
                ImportProblem(exc.key, exc.detail, exc.values, exc.field, index + 1, line)
                for exc in invalid
            ]
            continue
        assert fields is not None
        if fields.id in seen:
            first = seen[fields.id]
            detail = f"id {fields.id!r} is already used by entry {first}"
            values = {"id": fields.id, "other": first}
            problems.append(
                ImportProblem("web_faq.import_same_id", detail, values, "id", index + 1, line)
            )
            continue
        seen[fields.id] = index + 1
        entries.append(fields)
    if problems:
        raise KbImportError(problems)
    return entries


def _checked(raw: object) -> tuple[EntryFields | None, list[InvalidEntry]]:
    """The entry's fields, or what is wrong with it: a bad id is named beside the entry's
    other problem, so the operator fixes both in one go."""
    problems: list[InvalidEntry] = []
    entry_id = raw.get("id") if isinstance(raw, dict) else None
    if isinstance(entry_id, str) and entry_id.strip():
        try:
            check_id(entry_id.strip())
        except InvalidEntry as exc:
            problems.append(exc)
    try:
        return validate(entry_to_fields(parse_entry(raw))), problems
    except InvalidEntry as exc:
        if not any(found.key == exc.key for found in problems):
            problems.append(exc)
        return None, problems


def missing_languages(entries: Sequence[EntryFields]) -> dict[str, list[str]]:
    """The ids of the entries without a question in German, and in English: allowed (a
    network may answer in one language), but worth a word to the operator."""
    return {
        "de": [e.id for e in entries if not e.questions_de],
        "en": [e.id for e in entries if not e.questions_en],
    }


async def import_kb(session: AsyncSession, entries: Sequence[EntryFields]) -> ImportCounts:
    """Add new entries and update changed ones (entries not in the file stay); idempotent."""
    outcome = {"added": 0, "updated": 0, "unchanged": 0}
    for fields in entries:
        outcome[await faq.upsert_entry(session, fields)] += 1
    if outcome["added"] or outcome["updated"]:
        await faq.bump_revision(session)
    return ImportCounts(**outcome)


async def import_entries(services: Services, entries: Sequence[EntryFields]) -> ImportCounts:
    """`import_kb` in one transaction, then this process's index rebuilt at once (the web)."""
    async with services.db.session() as session:
        counts = await import_kb(session, entries)
    await faq_service(services).snapshot(fresh=True)
    return counts


EXPORT_HEADER = """FAQ knowledge base, exported from the member bot.
Format: [[faq]] tables with id, tags, question.de/en (phrasings), answer.de/en.
Import with: rewimet-bot import faq FILE.toml --config config.toml"""


async def export_kb(services: Services) -> str:
    """Every entry as stored, in the shared TOML format that `parse_kb` reads back."""
    async with services.db.read() as session:
        rows = await faq.list_entries(session)
        entries = [fields_to_entry(row_to_fields(row)) for row in rows]
    return dump_kb(entries, header=EXPORT_HEADER)
