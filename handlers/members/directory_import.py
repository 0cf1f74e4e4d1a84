"""Import of the member directory CSV (`id,organisation,kind,city,role,languages,young_professional,
topics,bio`, topics `;`-separated, extra columns such as `contact` allowed). Only `id` and
`organisation` are required: a column the file lacks is empty for a new member and left as
stored for a known one.

A file is imported whole or not at all; every bad row is reported with its line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Markup, t
from bot.messages import plain_text
from handlers.partners.directory import DIRECTORY_COLUMNS, REQUIRED_COLUMNS
from handlers.spreadsheet import read_csv, spreadsheet_csv
from storage import members
from storage.models import Member

# The usual kinds (offered as choices); another single word (e.g. "chamber") is accepted too,
# since networks differ.
KINDS = {"company", "university", "research", "municipality", "association", "other"}
KIND = re.compile(r"[a-z][a-z_-]{1,39}")
MAX_CELL_CHARS = 2000
# The columns the import reads and the export writes.
EXPORT_COLUMNS = (*DIRECTORY_COLUMNS, "contact")
# The member's fields the columns fill (`id` names the member).
EXPORT_FIELDS = EXPORT_COLUMNS[1:]
# A cell a spreadsheet would run as a formula (=SUM(..), @cmd, +cmd, -cmd); numbers stay allowed.
_FORMULA = re.compile(r"^\s*(?:[=@]|[+-](?![\d\s]))")


class BadCell(ValueError):
    """What is wrong with a row, as a catalogue text (`directory_import.KEY` with `values`)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class RowProblem:
    """A bad row (`line` 1 is the header) in the office's language (`shown`); `str()` is the
    English for the command line."""

    line: int
    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def shown(self, lang: str) -> Markup:
        problem = t(lang, f"directory_import.{self.key}", **self.values)
        return t(lang, "directory_import.at_line", line=self.line, problem=problem)

    def __str__(self) -> str:
        return plain_text(self.shown("en"))


class DirectoryImportError(ValueError):
    """The file cannot be imported; `items` name each bad row by line, `problems` say the
    same in English (`line N: reason`)."""

    def __init__(self, items: list[RowProblem]) -> None:
        self.items = items
        self.problems = [str(item) for item in items]
        super().__init__("; ".join(self.problems[:20]))

    def shown(self, lang: str) -> list[Markup]:
        """Every problem in `lang`, for the dashboard."""
        return [item.shown(lang) for item in self.items]


@dataclass(frozen=True)
class DirectoryRow:
    external_id: str
    organisation: str
    kind: str
    city: str
    role: str
    languages: list[str]
    young_professional: bool
    topics: list[str]
    bio: str
    contact: str
    # The columns the file has: an import again changes only these.
    given: frozenset[str] = frozenset(EXPORT_FIELDS)


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"true", "1", "yes", "ja", "x"}:
        return True
    if lowered in {"false", "0", "no", "nein", ""}:
        return False
    raise BadCell("not_yes_no", value=value[:20])


def _unquoted(value: str) -> str:
    """A cell as it was before an export marked it as text ("'=SUM…" is "=SUM…", and
    "'+49 …" of an export before phone numbers were written as typed): the directory's own
    export, imported again, must not gain an apostrophe each time."""
    if value.startswith("'") and (value[1:2] in ("+", "-") or _FORMULA.match(value[1:])):
        return value[1:]
    return value


class BadRow(ValueError):
    """Everything wrong with a row (`problems`), so the office mends it in one go."""

    def __init__(self, problems: list[BadCell]) -> None:
        super().__init__(", ".join(problem.key for problem in problems))
        self.problems = problems


def _row(raw: dict[str, str]) -> DirectoryRow:
    cells = {name: "" for name in EXPORT_COLUMNS} | {
        name: _unquoted(value) for name, value in raw.items()
    }
    problems: list[BadCell] = []
    for name, value in raw.items():
        if value and _FORMULA.match(value):
            problems.append(BadCell("formula", column=name))
        elif len(value) > MAX_CELL_CHARS:
            problems.append(BadCell("too_long", column=name, limit=MAX_CELL_CHARS))
        elif any(ord(ch) < 32 and ch not in "\t\n" for ch in value):
            problems.append(BadCell("control", column=name))
    # a column named above is not judged again ("=1" is a formula, not a bad id too)
    named = {problem.values["column"] for problem in problems}
    if "id" not in named and not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", cells["id"]):
        problems.append(BadCell("bad_id"))
    if "organisation" not in named and not cells["organisation"].strip():
        problems.append(BadCell("no_organisation"))
    kind = cells["kind"].strip().lower() or "other"
    if "kind" not in named and not KIND.fullmatch(kind):
        problems.append(BadCell("bad_kind"))
    young = False
    if "young_professional" not in named:
        try:
            young = _bool(cells["young_professional"])
        except BadCell as bad:
            problems.append(bad)
    if problems:
        raise BadRow(problems)
    return DirectoryRow(
        external_id=cells["id"],
        organisation=cells["organisation"].strip(),
        kind=kind,
        city=cells["city"].strip(),
        role=cells["role"].strip(),
        languages=[x.strip().lower() for x in cells["languages"].split(";") if x.strip()],
        young_professional=young,
        topics=[x.strip() for x in cells["topics"].split(";") if x.strip()],
        bio=cells["bio"].strip(),
        contact=cells["contact"].strip(),
        given=frozenset(name for name in raw if name in EXPORT_COLUMNS),
    )


def parse_directory(text: str) -> list[DirectoryRow]:
    """Validate the whole file; raises `DirectoryImportError` listing every bad row."""
    reader = read_csv(text)
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise DirectoryImportError(
            [RowProblem(1, "missing_columns", {"columns": ", ".join(missing)})]
        )
    rows: list[DirectoryRow] = []
    problems: list[RowProblem] = []
    seen: set[str] = set()
    for record in reader:
        line = reader.line_num
        if None in record or any(value is None for value in record.values()):
            problems.append(_cells_problem(line, record, reader))
            continue
        try:
            row = _row({key: value for key, value in record.items() if key is not None})
        except BadRow as bad:
            problems.extend(RowProblem(line, cell.key, cell.values) for cell in bad.problems)
            continue
        if row.external_id in seen:
            problems.append(RowProblem(line, "twice", {"id": row.external_id}))
            continue
        seen.add(row.external_id)
        rows.append(row)
    if problems:
        raise DirectoryImportError(problems)
    return rows


def _cells_problem(line: int, record: dict[str | None, object], reader: Any) -> RowProblem:
    """A row with more or fewer cells than the header has columns, with both counts; more
    mostly means a list (topics, languages) holding the separator without quotes."""
    expected = len(reader.fieldnames or [])
    extra = record.get(None)
    found = sum(1 for key, value in record.items() if key is not None and value is not None)
    found += len(extra) if isinstance(extra, list) else 0
    values = {"found": found, "expected": expected, "separator": reader.reader.dialect.delimiter}
    return RowProblem(line, "too_many_cells" if found > expected else "too_few_cells", values)


def ignored_columns(text: str) -> list[str]:
    """The header's columns the import does not read (a `name` or `email` column), in file
    order: their cells are left out, and the office is told so instead of guessing."""
    header = read_csv(text).fieldnames or []
    return [name for name in header if name and name not in EXPORT_COLUMNS]


@dataclass(frozen=True)
class Imported:
    """What an import did: members added and updated, and how many of the file's members no
    chat account belongs to yet (partner search names them to the office, messages wait for
    their invitation)."""

    added: int
    updated: int
    unconnected: int
    # known members whose row changes nothing (a file imported twice is not "6 updated")
    unchanged: int = 0


async def import_directory(
    session: AsyncSession, rows: list[DirectoryRow], *, default_language: str = "de"
) -> Imported:
    """Insert new members, update known ones (by id). A new member whose row names no language
    the bot speaks reads it in the network's `default_language`."""
    added = updated = unchanged = 0
    for row in rows:
        fields = {
            "organisation": row.organisation,
            "kind": row.kind,
            "city": row.city,
            "role": row.role,
            "languages": row.languages,
            "young_professional": row.young_professional,
            "topics": row.topics,
            "bio": row.bio,
            "contact": row.contact,
        }
        existing = await members.find_by_external_id(
            session, row.external_id
        ) or await _exported_by_number(session, row.external_id)
        if existing is None:
            spoken = [lang for lang in row.languages if lang in ("de", "en")]
            language = spoken[0] if spoken else default_language
            await members.add_directory_member(
                session,
                external_id=row.external_id,
                language=language,
                partner_consent=True,
                onboarded=True,
                **fields,
            )
            added += 1
        else:
            # a column the file does not have leaves what is stored in it
            fields = {name: value for name, value in fields.items() if name in row.given}
            if all(getattr(existing, name) == value for name, value in fields.items()):
                unchanged += 1
                continue
            await members.update_member(session, member_id=existing.id, **fields)
            updated += 1
    unconnected = await members.count_unconnected(session, [row.external_id for row in rows])
    return Imported(added, updated, unconnected, unchanged)


async def _exported_by_number(session: AsyncSession, external_id: str) -> Member | None:
    """The member an export named by number (`member-8`: signed up in the chat, never
    imported), so that importing an export again updates them instead of adding a copy."""
    found = EXPORTED_ID.fullmatch(external_id)
    if found is None:
        return None
    member = await members.get_member(session, int(found.group(1)))
    return member if member is not None and not member.external_id else None


def languages_of(member: Member) -> list[str]:
    """The languages a row names: the one the member reads the bot in first (chosen in the
    chat, or the directory's first), then the others the directory gave."""
    return [member.language, *(lang for lang in member.languages or [] if lang != member.language)]


def directory_row(member: Member) -> list[str]:
    """One member as a row of the import format (the columns of `EXPORT_COLUMNS`)."""
    return [
        member.external_id or EXPORTED_ID_FORMAT.format(number=member.id),
        member.organisation,
        member.kind or "other",
        member.city,
        member.role,
        ";".join(languages_of(member)),
        "true" if member.young_professional else "false",
        ";".join(member.topics or []),
        member.bio,
        member.contact,
    ]


# The id an export gives a member without one of the directory's (who joined in the chat).
EXPORTED_ID_FORMAT = "member-{number}"
EXPORTED_ID = re.compile(r"member-([0-9]{1,18})")


def export_directory(rows: Iterable[Member]) -> str:
    """The directory as CSV in the import format's columns, written as every export is for
    the office's spreadsheets (`;`, a byte order mark, a formula-like cell with a leading
    quote; the import reads it again as it is). Members without an organisation (who never
    finished signing up) are left out: the import would refuse them."""
    found = [directory_row(member) for member in rows if member.organisation.strip()]
    return spreadsheet_csv([EXPORT_COLUMNS, *found])
