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


class NotAnAnswer(UserError):
    """Typed text a pending step cannot take; `key` says what the step expects."""


class NoAnswerGiven(NotAnAnswer):
    """Typed as the answer to the step's question, but none ("weiß ich nicht", a contact that
    is neither an address nor a number): the step's hint, never read as a question instead."""


class FileTooLarge(Exception):
    """A transport will not fetch a member's file: larger than asked for, or than it may."""

    def __init__(self, size: int | None = None) -> None:
        super().__init__(f"file too large ({size} bytes)" if size else "file too large")
        self.size = size


class FileUnavailable(Exception):
    """A member's file could not be fetched from the platform (gone, network, no transport)."""
