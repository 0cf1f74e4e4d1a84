"""Matrix wire formats without a client: HTML bodies, commands, numbered choices, poll events.

Pure functions, so the rendering and parsing rules are tested without a homeserver.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import nh3

from bot.messages import Button, Poll

HTML_FORMAT = "org.matrix.custom.html"
_ALLOWED_TAGS = {"b", "strong", "i", "em", "code", "pre", "a", "br", "p", "ul", "ol", "li", "u"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_URL_SCHEMES = {"http", "https", "mailto", "matrix", "tel"}

# Poll event types: Element sends the MSC3381 names, the spec (v1.7+) has the stable ones.
POLL_START_TYPES = ("org.matrix.msc3381.poll.start", "m.poll.start")
POLL_RESPONSE_TYPES = ("org.matrix.msc3381.poll.response", "m.poll.response")
POLL_END_TYPES = ("org.matrix.msc3381.poll.end", "m.poll.end")
_MSC_TEXT = "org.matrix.msc1767.text"

KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")


# --- text -----------------------------------------------------------------------------------


def sanitize_html(markup: str) -> str:
    """The reply markup as safe Matrix HTML; newlines become <br>."""
    cleaned = nh3.clean(
        markup,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )
    return cleaned.replace("\r\n", "\n").replace("\n", "<br>")


_LINK = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\s*/?>|</p>|</li>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_plain(markup: str) -> str:
    """A plain `body` for clients that show no HTML: tags dropped, links spelled out."""

    def link(match: re.Match[str]) -> str:
        href, label = html.unescape(match.group(1)), match.group(2)
        plain_label = html.unescape(_TAG.sub("", label))
        if not href or href in (plain_label, "mailto:" + plain_label):
            return label
        return f"{label} ({href})"

    text = _LINK.sub(link, markup)
    text = _BREAK.sub("\n", text)
    text = _LIST_ITEM.sub("• ", text)
    text = _TAG.sub("", text)
    return html.unescape(text).strip("\n")


def text_content(markup: str, *, msgtype: str = "m.text") -> dict[str, Any]:
    """An `m.room.message` content with a sanitised `formatted_body` and a plain `body`."""
    formatted = sanitize_html(markup)
    content: dict[str, Any] = {"msgtype": msgtype, "body": html_to_plain(formatted)}
    if formatted != html.escape(content["body"], quote=False).replace("\n", "<br>"):
        content["format"] = HTML_FORMAT
        content["formatted_body"] = formatted
    return content


def edit_content(markup: str, event_id: str) -> dict[str, Any]:
    """An edit (`m.replace`) of an earlier message of the bot."""
    new = text_content(markup)
    content = {
        **{k: ("* " + v if k in ("body", "formatted_body") else v) for k, v in new.items()},
        "m.new_content": new,
        "m.relates_to": {"rel_type": "m.replace", "event_id": event_id},
    }
    return content


_COMMAND = re.compile(r"^[!/](?P<name>[A-Za-z][\w-]*)(?P<rest>(?:\s.*)?)$", re.DOTALL)


def as_command(text: str) -> str | None:
    """`!help` or `/help x` as the router's `/help x`; None when the text is no command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    return f"/{match.group('name').lower()}{match.group('rest')}"


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted `> <@user> ...` lines clients put in front of a reply."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def mention_of(
    content: Mapping[str, Any], body: str, user_id: str, names: Iterable[str]
) -> tuple[bool, str]:
    """Whether a room message mentions the bot, and its text with a leading mention removed.

    Element puts the bot's display name in `body`, a matrix.to pill in `formatted_body` and the
    user id in `m.mentions`; plain clients write the user id or localpart.
    """
    mentions = content.get("m.mentions")
    formatted = content.get("formatted_body")
    mentioned = (
        (isinstance(mentions, dict) and user_id in (mentions.get("user_ids") or []))
        or (isinstance(formatted, str) and f"matrix.to/#/{user_id}" in formatted)
        or user_id in body
    )
    for name in sorted({user_id, *(n for n in names if n)}, key=len, reverse=True):
        pattern = re.compile(rf"^\s*@?{re.escape(name)}\s*[:,]?\s*", re.IGNORECASE)
        if pattern.match(body):
            return True, pattern.sub("", body, count=1)
    return mentioned, body


# --- numbered choices -----------------------------------------------------------------------


# Choices of a question answered with a number are lettered (`a.`): a typed number is the
# answer then, never a press of a button.
LETTERS = "abcdefgh"


def lettered_choices(reply_typed: str | None, count: int) -> bool:
    """Whether choices are lettered: the reply says a number is its answer (`typed`)."""
    return reply_typed == "number" and 0 < count <= len(LETTERS)


def choices_markup(buttons: Sequence[Button], *, lettered: bool = False, first: int = 1) -> str:
    """Buttons as a numbered (or lettered) list under the message, answered by number (letter)
    or reaction; numbered from `first` where an earlier message of the same answer has 1."""
    lines = [
        f"<b>{LETTERS[i - 1] if lettered else i}.</b> {html.escape(b.label, quote=False)}"
        for i, b in enumerate(buttons, first)
    ]
    return "\n".join(lines)


def parse_choice(text: str, count: int, *, lettered: bool = False) -> int | None:
    """The 0-based choice a member means by `3`, `3.`, `(3)` or the keycap emoji; else None.
    Lettered choices are meant by `b`, `b.` or `(b)` (a number is no choice there)."""
    stripped = text.strip()
    if lettered:
        letter = re.fullmatch(r"\(?\s*([a-h])\s*[.)]?", stripped.casefold())
        index = LETTERS.index(letter.group(1)) if letter is not None else -1
        return index if 0 <= index < count else None
    if stripped in KEYCAPS:
        index = KEYCAPS.index(stripped)
    else:
        match = re.fullmatch(r"\(?\s*(\d{1,2})\s*[.)]?", stripped)
        if match is None:
            return None
        index = int(match.group(1)) - 1
    return index if 0 <= index < count else None


def keycap_index(key: str) -> int | None:
    """The 0-based choice of a reaction key (keycaps, with or without the variation selector)."""
    normalized = key.strip()
    for i, cap in enumerate(KEYCAPS):
        if normalized in (cap, cap.replace("\ufe0f", "")):
            return i
    return None


# --- polls ----------------------------------------------------------------------------------


def poll_start_content(poll: Poll) -> dict[str, Any]:
    """An `org.matrix.msc3381.poll.start` content as Element sends it (answer ids "0", "1", ...)."""
    fallback = "\n".join([poll.question, *(f"{i}. {o}" for i, o in enumerate(poll.options, 1))])
    return {
        "org.matrix.msc3381.poll.start": {
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": len(poll.options) if poll.multiple else 1,
            "question": {_MSC_TEXT: poll.question, "body": poll.question, "msgtype": "m.text"},
            "answers": [{"id": str(i), _MSC_TEXT: o} for i, o in enumerate(poll.options)],
        },
        _MSC_TEXT: fallback,
        "body": fallback,
    }


@dataclass(frozen=True)
class PollResponse:
    poll_event_id: str
    answer_ids: tuple[str, ...]


def parse_poll_response(event_type: str, content: Mapping[str, Any]) -> PollResponse | None:
    """A poll response in either naming; None when malformed."""
    if event_type not in POLL_RESPONSE_TYPES:
        return None
    relates = content.get("m.relates_to")
    if not isinstance(relates, dict) or not isinstance(relates.get("event_id"), str):
        return None
    answers: Any = None
    unstable = content.get("org.matrix.msc3381.poll.response")
    if isinstance(unstable, dict):
        answers = unstable.get("answers")
    if answers is None:
        answers = content.get("m.selections")
    if answers is None and isinstance(content.get("m.poll.response"), dict):
        answers = content["m.poll.response"].get("answers")
    if not isinstance(answers, list):
        return None
    return PollResponse(relates["event_id"], tuple(a for a in answers if isinstance(a, str)))


def parse_poll_end(event_type: str, content: Mapping[str, Any]) -> str | None:
    """The poll event id a poll end closes, in either naming."""
    if event_type not in POLL_END_TYPES:
        return None
    relates = content.get("m.relates_to")
    if isinstance(relates, dict) and isinstance(relates.get("event_id"), str):
        event_id: str = relates["event_id"]
        return event_id
    return None


def poll_end_content(poll_event_id: str, text: str) -> dict[str, Any]:
    """Close a poll the bot started."""
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll_event_id},
        "org.matrix.msc3381.poll.end": {},
        _MSC_TEXT: text,
        "body": text,
    }
