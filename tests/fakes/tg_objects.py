"""Builders for the JSON objects the Bot API exchanges, and Telegram's own input checks.

Shared by the Bot API fake and by tests that want to build an update by hand. The checks copy
what the real server rejects (text too long, HTML it cannot parse, oversized callback data), so a
transport bug shows up as the same `BadRequest` it would cause in production.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

JSON = dict[str, Any]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_CALLBACK_ANSWER = 200
MAX_POLL_QUESTION = 300
MAX_POLL_OPTION = 100
MAX_POLL_OPTIONS = 12

# Tags Telegram's HTML parse mode accepts (https://core.telegram.org/bots/api#html-style).
_HTML_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "a", "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,32}")


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status = `error_code`."""

    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def to_json(self) -> JSON:
        answer: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        if self.migrate_to_chat_id is not None:
            answer["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return answer


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def user(
    user_id: int,
    first_name: str = "Test",
    *,
    username: str | None = None,
    language_code: str | None = "de",
    is_bot: bool = False,
) -> JSON:
    obj: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        obj["username"] = username
    if language_code:
        obj["language_code"] = language_code
    return obj


def private_chat(from_user: JSON) -> JSON:
    chat: JSON = {"id": from_user["id"], "type": "private", "first_name": from_user["first_name"]}
    if "username" in from_user:
        chat["username"] = from_user["username"]
    return chat


def group_chat(chat_id: int, title: str = "Group", kind: str = "supergroup") -> JSON:
    return {"id": chat_id, "type": kind, "title": title}


def chat_kind(chat_id: int | str) -> str:
    """Guess a chat's type from its id the way Telegram numbers them."""
    if isinstance(chat_id, str) and chat_id.startswith("@"):
        return "channel"
    number = int(chat_id)
    if number > 0:
        return "private"
    return "supergroup" if str(number).startswith("-100") else "group"


def entities_for(text: str) -> list[JSON]:
    """bot_command entities for every /command at a word start, mention entities for @names.

    Offsets are in UTF-16 code units, as Telegram counts them.
    """
    found: list[tuple[int, int, str]] = []
    for match in _COMMAND.finditer(text):
        if match.start() == 0 or text[match.start() - 1].isspace():
            found.append((match.start(), match.end(), "bot_command"))
    found.extend((m.start(), m.end(), "mention") for m in _MENTION.finditer(text))
    found.sort()
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in found
    ]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _HtmlChecker(HTMLParser):
    """Mirrors the errors Telegram answers for HTML it cannot parse; counts the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.visible = 0
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            self._fail(f'Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f'Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self._fail(f'Unmatched end tag "{tag}"')
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.visible += utf16_len(data)

    def _fail(self, message: str) -> None:
        if self.error is None:
            self.error = message


def visible_length(text: str, parse_mode: str | None) -> int:
    """Length Telegram counts for the 4096 limit; raises ApiError for unparsable HTML."""
    if (parse_mode or "").upper() != "HTML":
        return utf16_len(text)
    checker = _HtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.error is None and checker.stack:
        checker.error = f'Can\'t find end tag corresponding to start tag "{checker.stack[-1]}"'
    if checker.error is not None:
        raise bad_request(f"can't parse entities: {checker.error}")
    return checker.visible


def check_text(text: object, parse_mode: object, limit: int = MAX_TEXT, what: str = "text") -> str:
    if not isinstance(text, str) or not text.strip():
        raise bad_request(f"message {what} is empty")
    length = visible_length(text, parse_mode if isinstance(parse_mode, str) else None)
    if length > limit:
        raise bad_request(
            "message is too long" if what == "text" else "message caption is too long"
        )
    return text


def check_reply_markup(markup: object) -> None:
    """Inline keyboards: every button needs a text and one action; callback_data <= 64 bytes."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_EMPTY")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")
            if data is None and not button.keys() & {"url", "switch_inline_query", "login_url"}:
                raise bad_request("BUTTON_TYPE_INVALID")


def poll_options(raw: object) -> list[str]:
    """Options arrive as strings or InputPollOption objects ({"text": ...})."""
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_POLL_OPTIONS:
        raise bad_request("POLL_OPTIONS_COUNT_INVALID")
    texts = [item["text"] if isinstance(item, dict) else str(item) for item in raw]
    if any(not t or len(t) > MAX_POLL_OPTION for t in texts):
        raise bad_request("POLL_OPTION_INVALID")
    return texts


def photo_size(file_id: str, width: int, height: int, size: int) -> JSON:
    return {
        "file_id": file_id,
        "file_unique_id": f"U{file_id}",
        "width": width,
        "height": height,
        "file_size": size,
    }
