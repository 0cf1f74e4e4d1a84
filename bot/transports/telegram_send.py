"""Rendering a neutral `Reply` as Bot API calls, and what a failed call means for the caller.

Texts go out with parse mode HTML, split at 4096 characters; buttons as an inline keyboard on
the last part; polls as native non-anonymous polls; images as photos (the text as caption when
it fits), other files as documents (see telegram_files); `edit_ref` edits.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TypeVar

from telegram import Bot, InlineKeyboardMarkup, InputPollOption, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.messages import Poll, Reply, plain_text, shorten
from bot.transports.base import SendResult, SendStatus
from bot.transports.telegram_files import Uploads, as_photo, fits_caption
from bot.transports.telegram_format import (
    MAX_POLL_OPTION,
    MAX_POLL_OPTIONS,
    MAX_POLL_QUESTION,
    keyboard,
    message_ref,
    parse_ref,
    split_html,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
# Called after a native poll was sent, so its votes can be mapped back to our poll key.
PollSent = Callable[[str, Poll, str, bool], Awaitable[None]]

PATIENT_ATTEMPTS = 5
MAX_WAIT = 60.0  # longest retry_after a member's direct answer waits for


def retry_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_transient(error: TelegramError) -> bool:
    """429, timeouts, 5xx and connection errors: the same call may work later."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def send_result(error: Exception) -> SendResult:
    """How the outbox should treat a failed delivery."""
    detail = str(error)[:300]
    if isinstance(error, RetryAfter):
        return SendResult(SendStatus.RETRY, retry_after=retry_seconds(error), detail=detail)
    if isinstance(error, Forbidden):
        return SendResult(SendStatus.UNREACHABLE, detail=detail)  # blocked, kicked, deactivated
    if isinstance(error, BadRequest):
        if "chat not found" in detail.lower():
            return SendResult(SendStatus.UNREACHABLE, detail=detail)
        return SendResult(SendStatus.FAILED, detail=detail)
    if isinstance(error, ChatMigrated):
        return SendResult(SendStatus.FAILED, detail=f"group moved to {error.new_chat_id}")
    if isinstance(error, NetworkError):
        return SendResult(SendStatus.RETRY, detail=detail)  # timeouts, 5xx, connection
    return SendResult(SendStatus.FAILED, detail=detail)


async def patiently(call: Callable[[], Awaitable[T]]) -> T:
    """Run a call for a member's direct answer: wait out 429s, retry 5xx and timeouts."""
    for attempt in range(1, PATIENT_ATTEMPTS + 1):
        try:
            return await call()
        except TelegramError as error:
            if not is_transient(error) or attempt == PATIENT_ATTEMPTS:
                raise
            if isinstance(error, RetryAfter):
                wait = min(retry_seconds(error), MAX_WAIT)
            else:
                wait = min(0.5 * 2 ** (attempt - 1), 8.0) * random.uniform(0.8, 1.2)
            log.warning("telegram call failed (%s), retry %d in %.1fs", error, attempt, wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Delivered:
    ref: str | None  # the main message
    media_ref: str | None = None  # the file id of a stored attachment, see telegram_files


class Sender:
    """Turns one Reply into Bot API calls; `patient` retries transient errors itself."""

    def __init__(self, bot: Bot, on_poll_sent: PollSent) -> None:
        self.bot = bot
        self.on_poll_sent = on_poll_sent
        self.uploads = Uploads(bot)

    async def deliver(
        self, chat_id: str, reply: Reply, *, patient: bool, reply_to: int | None = None
    ) -> Delivered:
        """Send (or edit) everything in `reply`.

        Order: a photo first, with the text as its caption when it fits (else the text after
        it); otherwise the text, a poll, a document. Buttons go under the last of them.
        """
        run = patiently if patient else _once
        markup = keyboard(reply.buttons)
        if reply.edit_ref and reply.poll is None and reply.attachment is None:
            edited = await self._edit(reply, markup, run, fall_back=patient)
            if edited is not None:
                return Delivered(edited)
        attachment = reply.attachment
        photo = attachment is not None and as_photo(attachment)
        caption = reply.text if photo and reply.text and fits_caption(reply.text) else None
        parts = split_html(reply.text) if reply.text and caption is None else []
        last = _last_part(reply, photo=photo, text=bool(parts))
        if markup is not None and last is None:
            raise ValueError("a reply with buttons needs a text, a poll or a file")
        params = _reply_params(reply_to)  # the first message answers the member's
        ref: str | None = None
        media_ref: str | None = None
        if photo and attachment is not None:
            message, media_ref = await self.uploads.send(
                chat_id,
                attachment,
                run,
                caption=caption,
                markup=markup if last == "photo" else None,
                reply_parameters=params,
            )
            params = None
            ref = message_ref(chat_id, message.message_id)
        for number, part in enumerate(parts, start=1):
            send = partial(
                self.bot.send_message,
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last == "text" and number == len(parts) else None,
                reply_parameters=params,
            )
            message = await run(send)
            params = None
            if not photo:
                ref = message_ref(chat_id, message.message_id)
        if reply.poll is not None:
            poll_markup = markup if last == "poll" else None
            message = await run(lambda: self._send_poll(chat_id, reply.poll, poll_markup))
            ref = ref or message_ref(chat_id, message.message_id)
        if attachment is not None and not photo:
            message, media_ref = await self.uploads.send(
                chat_id,
                attachment,
                run,
                caption=None,
                markup=markup if last == "document" else None,
                reply_parameters=params,
            )
            ref = ref or message_ref(chat_id, message.message_id)
        return Delivered(ref, media_ref)

    async def _send_poll(
        self, chat_id: str, poll: Poll | None, markup: InlineKeyboardMarkup | None
    ) -> Message:
        assert poll is not None
        if not 2 <= len(poll.options) <= MAX_POLL_OPTIONS:
            raise ValueError(f"a Telegram poll has 2 to 12 options, not {len(poll.options)}")
        message = await self.bot.send_poll(
            chat_id,
            shorten(plain_text(poll.question), MAX_POLL_QUESTION),
            [InputPollOption(shorten(plain_text(o), MAX_POLL_OPTION)) for o in poll.options],
            is_anonymous=False,  # votes must name the member
            allows_multiple_answers=poll.multiple,
            reply_markup=markup,
        )
        assert message.poll is not None
        await self.on_poll_sent(message.poll.id, poll, chat_id, message.chat.type == "private")
        return message

    async def _edit(
        self,
        reply: Reply,
        markup: InlineKeyboardMarkup | None,
        run: Callable[[Callable[[], Awaitable[object]]], Awaitable[object]],
        *,
        fall_back: bool,
    ) -> str | None:
        """Edit the referenced message; None when it is gone and a new one should be sent."""
        assert reply.edit_ref is not None
        target = parse_ref(reply.edit_ref)
        if target is None:
            raise ValueError(f"not a Telegram message reference: {reply.edit_ref!r}")
        chat_id, message_id = target
        try:
            if reply.text:
                text = split_html(reply.text)[0]  # an edit cannot grow into two messages
                await run(
                    lambda: self.bot.edit_message_text(
                        text,
                        chat_id=chat_id,
                        message_id=message_id,
                        parse_mode=ParseMode.HTML,
                        reply_markup=markup,
                    )
                )
            else:
                await run(
                    lambda: self.bot.edit_message_reply_markup(
                        chat_id=chat_id, message_id=message_id, reply_markup=markup
                    )
                )
        except BadRequest as error:
            message = str(error).lower()
            if "not modified" in message:
                return reply.edit_ref  # same count as before: nothing to do
            if fall_back and ("not found" in message or "can't be edited" in message):
                log.info("message %s cannot be edited (%s): sending anew", reply.edit_ref, error)
                return None
            raise
        return reply.edit_ref


def _last_part(reply: Reply, *, photo: bool, text: bool) -> str | None:
    """Which message of a reply goes out last and carries its buttons."""
    if reply.attachment is not None and not photo:
        return "document"
    if reply.poll is not None:
        return "poll"
    if text:
        return "text"
    return "photo" if photo else None


async def _once(call: Callable[[], Awaitable[T]]) -> T:
    return await call()


def _reply_params(message_id: int | None) -> ReplyParameters | None:
    if message_id is None:
        return None
    return ReplyParameters(message_id, allow_sending_without_reply=True)
