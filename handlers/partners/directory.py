"""Member directory: the candidates a partner request can be routed to."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

# The member directory's CSV columns (the format the eval sets share; the office's import and
# export of the directory read and write them too, `handlers/members/directory_import`).
DIRECTORY_COLUMNS = (
    "id",
    "organisation",
    "kind",
    "city",
    "role",
    "languages",
    "young_professional",
    "topics",
    "bio",
)

# The columns a file must have; a new network's list may lack the others (empty, or kept as
# stored when a member is imported again).
REQUIRED_COLUMNS = ("id", "organisation")

_TRUE = {"true", "1", "yes", "ja", "y", "x"}
_FALSE = {"false", "0", "no", "nein", "n", ""}


@dataclass(frozen=True)
class Candidate:
    member_id: str
    organisation: str
    kind: str
    city: str
    role: str
    languages: tuple[str, ...]
    young_professional: bool
    topics: tuple[str, ...]
    bio: str
    consent: bool = True
    recent_requests: int = 0
    # False: no chat account of theirs is reachable yet (an imported member who has not
    # claimed an invitation): a request cannot reach them, the office can invite them
    reachable: bool = True


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _parse_bool(value: str, line: int, column: str) -> bool:
    folded = value.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(f"line {line}: column {column!r} is not a yes/no value: {value!r}")


def _parse_int(value: str, line: int, column: str) -> int:
    try:
        return int(value.strip() or "0")
    except ValueError:
        raise ValueError(f"line {line}: column {column!r} is not a number: {value!r}") from None


def load_members_csv(path: Path | str) -> list[Candidate]:
    """Read the shared directory CSV; raises ValueError naming the offending line."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            raise ValueError(f"line 1: missing column(s) {', '.join(missing)}")
        members: list[Candidate] = []
        seen: set[str] = set()
        for row in reader:
            line = reader.line_num
            # DictReader fills short rows with None; a row missing cells is malformed.
            absent = [c for c in DIRECTORY_COLUMNS if c in header and row.get(c) is None]
            if absent:
                raise ValueError(f"line {line}: missing value(s) for {', '.join(absent)}")
            for column in DIRECTORY_COLUMNS:
                row.setdefault(column, "")  # a column the file does not have: empty
            member_id = (row["id"] or "").strip()
            if not member_id:
                raise ValueError(f"line {line}: empty id")
            if member_id in seen:
                raise ValueError(f"line {line}: duplicate id {member_id!r}")
            seen.add(member_id)
            consent_raw = row.get("consent")
            recent_raw = row.get("recent_requests")
            members.append(
                Candidate(
                    member_id=member_id,
                    organisation=row["organisation"].strip(),
                    kind=row["kind"].strip().lower() or "other",
                    city=row["city"].strip(),
                    role=row["role"].strip(),
                    languages=_split_list(row["languages"]),
                    young_professional=_parse_bool(
                        row["young_professional"], line, "young_professional"
                    ),
                    topics=_split_list(row["topics"]),
                    bio=row["bio"].strip(),
                    consent=True
                    if consent_raw is None
                    else _parse_bool(consent_raw or "true", line, "consent"),
                    recent_requests=0
                    if recent_raw is None
                    else _parse_int(recent_raw, line, "recent_requests"),
                )
            )
    return members
