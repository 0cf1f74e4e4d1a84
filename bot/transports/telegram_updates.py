"""Telegram updates reduced to the neutral `Incoming`, and which of them the bot may see.

Private chats get everything. In groups the bot reacts only to commands meant for it, to
messages that mention it or reply to it, and to its own buttons: free text in a group is
the members talking to each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, Chat, Message, MessageEntity, Update, User

from bot.messages import AttachmentKind, Incoming, IncomingAttachment, Platform, PollVote
from bot.transports.telegram_format import message_ref


@dataclass(frozen=True)
class BotIdentity:
    id: int
    username: str  # without "@"


def sender_key(update: Update) -> str:
    """Updates with the same key are handled in order; others may run side by side."""
    user = update.effective_user
    if user is not None:
        return f"user:{user.id}"
    chat = update.effective_chat
    return f"chat:{chat.id}" if chat is not None else f"update:{update.update_id}"


def from_message(update: Update, me: BotIdentity) -> Incoming | None:
    """A text message, a photo or a file (its caption the text), or None when the bot should
    not react to it."""
    message = update.message
    if message is None or message.from_user is None:
        return None
    text = message.text or message.caption or ""
    attachment = attachment_of(message)
    if not text and attachment is None:
        return None
    private = message.chat.type == Chat.PRIVATE
    mentioned, text = _strip_mention(message, text, me)
    replied = (
        message.reply_to_message is not None
        and message.reply_to_message.from_user is not None
        and message.reply_to_message.from_user.id == me.id
    )
    if not private:
        command = _command_target(message, me)
        if command is False:
            return None  # a command for another bot in the group
        if command is None and not (mentioned or replied):
            return None  # group free text: not for us
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=str(message.chat.id),
        sender_id=str(message.from_user.id),
        update_id=str(update.update_id),
        text=text,
        sender_name=_name(message.from_user),
        is_private=private,
        mentions_bot=mentioned or replied,
        language_hint=message.from_user.language_code,
        message_ref=message_ref(message.chat.id, message.message_id),
        attachment=attachment,
    )


def attachment_of(message: Message) -> IncomingAttachment | None:
    """A photo or document as the core sees it; videos and sound are named, not taken."""
    if message.photo:
        largest = message.photo[-1]  # Telegram lists the sizes it made, smallest first
        return IncomingAttachment(
            AttachmentKind.IMAGE, largest.file_id, "photo.jpg", "image/jpeg", largest.file_size
        )
    if message.sticker is not None:
        return None  # a sticker is a reaction, not a file
    # An animation (GIF) also fills `document`: it is a video to Telegram, so not a file here.
    other = (
        message.animation or message.video or message.audio or message.voice or message.video_note
    )
    if other is not None:
        return IncomingAttachment(AttachmentKind.OTHER, other.file_id, "", "", other.file_size)
    document = message.document
    if document is not None:
        return IncomingAttachment(
            AttachmentKind.FILE,
            document.file_id,
            document.file_name or "",
            document.mime_type or "application/octet-stream",
            document.file_size,
        )
    return None


def from_callback(update: Update, query: CallbackQuery) -> Incoming | None:
    """A press on one of the bot's inline buttons; None for anything without our payload."""
    if query.data is None:
        return None
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    private = message is None or message.chat.type == Chat.PRIVATE
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=str(chat_id),
        sender_id=str(query.from_user.id),
        update_id=str(update.update_id),
        sender_name=_name(query.from_user),
        payload=query.data,
        is_private=private,
        language_hint=query.from_user.language_code,
        message_ref=message_ref(chat_id, message.message_id) if message is not None else None,
    )


def from_poll_answer(
    update: Update, *, poll_key: str, chat_id: str, private: bool
) -> Incoming | None:
    """A vote on one of the bot's native polls (`poll_key` looked up by the transport)."""
    answer = update.poll_answer
    if answer is None or answer.user is None:
        return None  # anonymous polls and votes cast as a chat carry no member
    return Incoming(
        platform=Platform.TELEGRAM,
        chat_id=chat_id,
        sender_id=str(answer.user.id),
        update_id=str(update.update_id),
        sender_name=_name(answer.user),
        poll_vote=PollVote(poll_key, tuple(answer.option_ids)),
        is_private=private,
        language_hint=answer.user.language_code,
    )


def _name(user: User) -> str:
    return user.full_name[:200]


def _command_target(message: Message, me: BotIdentity) -> bool | None:
    """True: a command for us; False: for another bot; None: no command at the start."""
    for entity, text in message.parse_entities([MessageEntity.BOT_COMMAND]).items():
        if entity.offset != 0:
            continue
        _, _, target = text.partition("@")
        return not target or target.lower() == me.username.lower()
    return None


def _strip_mention(message: Message, text: str, me: BotIdentity) -> tuple[bool, str]:
    """Whether the message names the bot; the text without that name, for the router."""
    handle = f"@{me.username}".lower()
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    if not message.text:
        entities = message.parse_caption_entities(
            [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        )
    for entity, value in entities.items():
        ours = value.lower() == handle or (entity.user is not None and entity.user.id == me.id)
        if ours:
            return True, text.replace(value, "", 1).strip()
    return False, text
