"""A file the office uploads to import (the member directory, the knowledge base), as text.

What is wrong with one is said apart: too large, or no text in UTF-8 (an Excel workbook, a
picture) with the format to save it as; one message for both had left the office guessing
which of the two a 4 KB file was.
"""

from __future__ import annotations

from aiohttp import web

from bot.errors import UserError
from bot.i18n import t
from handlers.file_text import NotText, file_text


def upload_text(upload: web.FileField, *, limit: int, saved_as: str, lang: str) -> str:
    """The uploaded file's text ("" for none chosen); a `UserError` in the office's words when
    it is larger than `limit` bytes or no UTF-8 text (`saved_as`: the catalogue key of the
    format to save it as, `web.upload_as_csv`)."""
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise UserError("web.upload_too_large", limit=limit // 1024**2)
    try:
        return file_text(data)
    except NotText:
        raise UserError("web.upload_not_text", format=t(lang, saved_as)) from None
