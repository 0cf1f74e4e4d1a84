"""Which Telegram updates reach the core, and how they look there."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.messages import AttachmentKind, IncomingAttachment
from bot.transports.telegram_updates import BotIdentity, from_callback, from_message, sender_key
from tests.fakes import tg_objects as tg

ME = BotIdentity(123456, "rewimet_test_bot")
BOT_USER = tg.user(123456, "REWIMET", username="rewimet_test_bot", is_bot=True)
GROUP = tg.group_chat(-1001, "Young Professionals")


def update(body: dict[str, Any], update_id: int = 1) -> Update:
    parsed = Update.de_json({"update_id": update_id, **body}, None)
    assert parsed is not None
    return parsed


def message(chat: dict[str, Any], text: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": 5,
        "date": 0,
        "chat": chat,
        "from": tg.user(42, "Ada", language_code="en"),
        "text": text,
        **extra,
    }
    entities = tg.entities_for(text)
    if entities:
        body["entities"] = entities
    return {"message": body}


def test_private_text_reaches_the_core() -> None:
    incoming = from_message(update(message(tg.private_chat(tg.user(42, "Ada")), "Hallo")), ME)
    assert incoming is not None and incoming.is_private
    assert (incoming.chat_id, incoming.sender_id, incoming.update_id) == ("42", "42", "1")
    assert incoming.language_hint == "en" and incoming.message_ref == "42:5"


def test_group_free_text_is_dropped() -> None:
    assert from_message(update(message(GROUP, "Wer fährt mit nach Goslar?")), ME) is None


def test_group_commands_for_us_but_not_for_other_bots() -> None:
    ours = from_message(update(message(GROUP, "/help@rewimet_test_bot")), ME)
    plain = from_message(update(message(GROUP, "/help")), ME)
    other = from_message(update(message(GROUP, "/help@other_bot")), ME)
    assert ours is not None and not ours.is_private and ours.text == "/help@rewimet_test_bot"
    assert plain is not None and other is None


def test_group_mention_is_stripped_and_flagged() -> None:
    incoming = from_message(update(message(GROUP, "@rewimet_test_bot wann ist das Symposium?")), ME)
    assert incoming is not None and incoming.mentions_bot
    assert incoming.text == "wann ist das Symposium?"
    assert from_message(update(message(GROUP, "@someone_else hallo")), ME) is None


def test_group_reply_to_the_bot_counts_as_addressed() -> None:
    bot_message = {"message_id": 4, "date": 0, "chat": GROUP, "from": BOT_USER, "text": "Frage?"}
    incoming = from_message(update(message(GROUP, "Ja, gern", reply_to_message=bot_message)), ME)
    assert incoming is not None and incoming.mentions_bot


def test_callback_from_a_group_message() -> None:
    sent = {"message_id": 9, "date": 0, "chat": GROUP, "from": BOT_USER, "text": "Exkursion"}
    body = {
        "callback_query": {
            "id": "77",
            "from": tg.user(42, "Ada"),
            "chat_instance": "1",
            "data": "xj:1",
            "message": sent,
        }
    }
    parsed = update(body, update_id=3)
    assert parsed.callback_query is not None
    incoming = from_callback(parsed, parsed.callback_query)
    assert incoming is not None and incoming.payload == "xj:1" and not incoming.is_private
    assert incoming.chat_id == "-1001" and incoming.message_ref == "-1001:9"
    assert sender_key(parsed) == "user:42"


def test_non_text_messages_are_dropped() -> None:
    body = message(tg.private_chat(tg.user(42, "Ada")), "x")
    del body["message"]["text"]
    body["message"]["sticker"] = {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    assert from_message(update(body), ME) is None


def test_photos_and_documents_carry_their_file() -> None:
    body = message(tg.private_chat(tg.user(42, "Ada")), "x")
    del body["message"]["text"]
    body["message"]["caption"] = "Programm"
    body["message"]["photo"] = [
        tg.photo_size("small", 90, 60, 900),
        tg.photo_size("big", 1280, 853, 90_000),
    ]
    incoming = from_message(update(body), ME)
    assert incoming is not None and incoming.text == "Programm"
    assert incoming.attachment == IncomingAttachment(
        AttachmentKind.IMAGE, "big", "photo.jpg", "image/jpeg", 90_000
    )
    del body["message"]["photo"], body["message"]["caption"]
    body["message"]["document"] = {
        "file_id": "d", "file_unique_id": "d", "file_name": "plan.pdf",
        "mime_type": "application/pdf", "file_size": 1234,
    }  # fmt: skip
    incoming = from_message(update(body, update_id=2), ME)
    assert incoming is not None and incoming.text == ""
    assert incoming.attachment == IncomingAttachment(
        AttachmentKind.FILE, "d", "plan.pdf", "application/pdf", 1234
    )
    del body["message"]["document"]
    body["message"]["voice"] = {"file_id": "v", "file_unique_id": "v", "duration": 2}
    incoming = from_message(update(body, update_id=3), ME)
    assert incoming is not None and incoming.attachment is not None
    assert incoming.attachment.kind is AttachmentKind.OTHER
