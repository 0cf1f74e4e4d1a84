"""`rewimet-bot import faq FILE.toml`: the shared TOML format into the database, all or nothing."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from handlers.faq.kb_format import dump_kb, parse_entry
from handlers.faq.rules import entry_to_fields, fields_to_entry, row_to_fields, validate
from handlers.faq.service import faq_service
from storage import faq
from storage.faq import EntryFields

_TABLE_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*faq[ \t]*\]\]", re.MULTILINE)


class KbImportError(Exception):
    """The file cannot be imported; `problems` name each bad entry by number and line."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportCounts:
    added: int
    updated: int
    unchanged: int


def parse_kb(text: str) -> list[EntryFields]:
    """Every `[[faq]]` entry, validated; any problem raises KbImportError listing all of them."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise KbImportError([f"not valid TOML: {exc}"]) from exc
    raw_entries = data.get("faq")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise KbImportError(["no [[faq]] entries"])
    lines = [text.count("\n", 0, m.start()) + 1 for m in _TABLE_HEADER.finditer(text)]
    problems: list[str] = []
    entries: list[EntryFields] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_entries):
        where = f"entry {index + 1}"
        if len(lines) == len(raw_entries):
            where += f" (line {lines[index]})"
        try:
            fields = validate(entry_to_fields(parse_entry(raw)))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if fields.id in seen:
            problems.append(f"{where}: id {fields.id!r} is already used by entry {seen[fields.id]}")
            continue
        seen[fields.id] = index + 1
        entries.append(fields)
    if problems:
        raise KbImportError(problems)
    return entries


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
