"""Plain rules for member profiles, callable without a chat."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import NotAnAnswer, UserError

MAX_FIELD_CHARS = 200
MAX_TOPICS = 20
MAX_TOPIC_CHARS = 80

_YES = {"ja", "j", "yes", "y", "1", "on", "an", "true", "ok"}
_NO = {"nein", "n", "no", "0", "off", "aus", "false"}


def clean_field(text: str, *, limit: int = MAX_FIELD_CHARS) -> str:
    """One line of visible text: control characters removed, whitespace collapsed, capped."""
    visible = "".join(
        " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch
        for ch in text
        if unicodedata.category(ch) not in {"Cf", "Cs", "Co", "Cn"}
    )
    line = re.sub(r"\s+", " ", visible).strip()
    if not line:
        raise UserError("errors.nothing_written")
    if len(line) > limit:
        raise UserError("errors.field_too_long", limit=limit)
    return line


def parse_topics(text: str) -> list[str]:
    """Topics separated by `;`, `,` or new lines; duplicates dropped, order kept."""
    topics: list[str] = []
    for part in re.split(r"[;,\n]", text):
        stripped = part.strip()
        if not stripped:
            continue
        topic = clean_field(stripped, limit=MAX_TOPIC_CHARS)
        if topic.casefold() not in {known.casefold() for known in topics}:
            topics.append(topic)
    if not topics:
        raise UserError("errors.nothing_written")
    if len(topics) > MAX_TOPICS:
        raise UserError("members.too_many_topics", limit=MAX_TOPICS)
    return topics


def parse_yes_no(text: str) -> bool:
    word = text.strip().casefold().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise NotAnAnswer("errors.yes_or_no")
