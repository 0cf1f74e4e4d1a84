"""The labelled lines of the evaluations (`faq eval`, `partners eval`): JSON objects whose keys
are checked, so that a misspelt key is an error instead of a silently wrong figure."""

from __future__ import annotations

from collections.abc import Sequence

# What a key holds when there is nothing to expect: the reason it is needed all the same.
EMPTY_VALUES = {
    "expect": "null for a question no entry answers",
    "relevant": "[] for a request no member fits",
}


def check_keys(
    raw: dict[str, object], known: frozenset[str], required: Sequence[str], where: str
) -> None:
    """Raise ValueError at `where` naming a key the format does not know or one it needs."""
    unknown = sorted(set(raw) - known)
    if unknown:
        names = ", ".join(repr(key) for key in unknown)
        allowed = ", ".join(repr(key) for key in sorted(known))
        raise ValueError(f"{where}: unknown key {names} (the keys are {allowed})")
    missing = [key for key in required if key not in raw]
    if missing:
        names = ", ".join(repr(key) for key in missing)
        hints = "; ".join(EMPTY_VALUES[key] for key in missing if key in EMPTY_VALUES)
        raise ValueError(f"{where}: missing key {names}" + (f" ({hints})" if hints else ""))
