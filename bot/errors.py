"""Expected errors are values: a `UserError` becomes a translated reply, not a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the member can fix; `key` names the catalogue text, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class NotAllowed(UserError):
    """An admin-only action attempted by someone who is not an admin."""

    def __init__(self) -> None:
        super().__init__("errors.not_allowed")
