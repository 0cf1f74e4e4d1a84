"""Files on Telegram: photos and documents out (a stored file uploaded once), members' files in.

Limits from the Bot API documentation: a bot downloads files of at most 20 MB (`getFile`) and
uploads photos of at most 10 MB and other files of at most 50 MB; a caption holds 1,024
characters. A file sent once has a `file_id` that sends it again to anyone without uploading it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.errors import FileTooLarge, FileUnavailable
from bot.messages import Attachment, AttachmentKind, IncomingAttachment, plain_text

log = logging.getLogger(__name__)

T = TypeVar("T")
Run = Callable[[Callable[[], Awaitable[T]]], Awaitable[T]]

MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_PHOTO = 10 * 1024 * 1024
MAX_CAPTION = 1024
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
DOWNLOAD_TIMEOUT = 120.0  # 20 MB over a slow line; the usual read timeout is 10 s


def as_photo(attachment: Attachment) -> bool:
    """An image Telegram takes as a photo; a larger or unusual one goes as a document."""
    return (
        attachment.kind is AttachmentKind.IMAGE
        and attachment.mime_type in PHOTO_TYPES
        and attachment.size <= MAX_PHOTO
    )


def fits_caption(markup: str) -> bool:
    """Telegram counts a caption's visible characters in UTF-16 code units."""
    return len(plain_text(markup).encode("utf-16-le")) // 2 <= MAX_CAPTION


def file_id_of(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id  # the largest size is the one sent
    if message.document is not None:
        return message.document.file_id
    return None


class Uploads:
    """Sends photos and documents; a stored file's bytes go up once per process, then its id.

    Concurrent first sends of one file wait for the one upload instead of each uploading it.
    """

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.uploaded = 0  # uploads of stored files (tests and benchmarks read it)
        self._ids: dict[int, str] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    async def send(
        self,
        chat_id: str,
        attachment: Attachment,
        run: Run[Message],
        *,
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
        reply_parameters: ReplyParameters | None,
    ) -> tuple[Message, str | None]:
        """The sent message and, for a stored file, the file id it can be sent with again."""
        photo = as_photo(attachment)
        options: dict[str, Any] = {
            "caption": caption,
            "parse_mode": ParseMode.HTML if caption else None,
            "reply_markup": markup,
            "reply_parameters": reply_parameters,
        }

        async def by(media: str | InputFile) -> Message:
            if photo:
                return await run(lambda: self.bot.send_photo(chat_id, media, **options))
            return await run(lambda: self.bot.send_document(chat_id, media, **options))

        def upload() -> InputFile:
            return InputFile(attachment.content, filename=attachment.filename)

        stored = attachment.stored_id
        if stored is None:
            return await by(upload()), None
        known = self._ids.get(stored) or attachment.platform_ref
        if known is not None:
            try:
                return await by(known), known
            except BadRequest as error:
                if "file" not in str(error).lower():
                    raise
                # An id from another bot token, or one Telegram forgot: upload the bytes again.
                log.warning("telegram: file id of stored file %s refused (%s)", stored, error)
                self._ids.pop(stored, None)
        lock = self._locks.setdefault(stored, asyncio.Lock())
        async with lock:
            known = self._ids.get(stored)
            if known is not None:
                return await by(known), known
            message = await by(upload())
            self.uploaded += 1
            file_id = file_id_of(message)
            if file_id is not None:
                self._ids[stored] = file_id
            return message, file_id


async def fetch(bot: Bot, attachment: IncomingAttachment, max_bytes: int) -> bytes:
    """Download a file a member sent (`getFile`, then the file URL)."""
    limit = min(max_bytes, MAX_DOWNLOAD)
    if attachment.size is not None and attachment.size > limit:
        raise FileTooLarge(attachment.size)
    try:
        file = await bot.get_file(attachment.ref)
        if file.file_size is not None and file.file_size > limit:
            raise FileTooLarge(file.file_size)
        content = bytes(await file.download_as_bytearray(read_timeout=DOWNLOAD_TIMEOUT))
    except BadRequest as error:
        if "too big" in str(error).lower():
            raise FileTooLarge(attachment.size) from error
        raise FileUnavailable(str(error)) from error
    except TelegramError as error:
        raise FileUnavailable(str(error)) from error
    if len(content) > limit:
        raise FileTooLarge(len(content))
    return content
