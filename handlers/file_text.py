"""The text of a file the office imports (the member directory, the knowledge base).

Only UTF-8 is read: German Excel saves "CSV" as Windows-1252 unless "CSV UTF-8" is chosen,
and guessing another encoding would store misread umlauts without a word. A file that is no
text at all (a workbook, UTF-16, a picture) is refused the same way, so the office is told
to save it again instead of seeing a decoder's error.
"""

from __future__ import annotations


class NotText(ValueError):
    """The file is no UTF-8 text."""


def file_text(data: bytes) -> str:
    """`data` as text (a byte order mark dropped); `NotText` when it is no UTF-8 text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotText(str(exc)) from None
    if "\x00" in text:  # UTF-16, or a binary file that happens to decode
        raise NotText("holds NUL bytes")
    return text
