"""Reply markup for Telegram: HTML split at the 4096 limit, plain text, inline keyboards.

Reply texts are the safe HTML subset of `bot.messages`, which Telegram's HTML parse mode reads
as is. A long text is cut where a paragraph, line or word ends, and every tag open at the cut is
closed before it and opened again after it, so each part parses on its own.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.messages import MAX_PAYLOAD_BYTES, Button, plain_text

MAX_TEXT = 4096
MAX_CALLBACK_DATA = MAX_PAYLOAD_BYTES
MAX_POPUP = 200
MAX_POLL_QUESTION = 300
MAX_POLL_OPTION = 100
MAX_POLL_OPTIONS = 12

_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&\s]+|\s+|[<&]")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
# Longest run of non-space text kept in one piece; longer "words" (URLs, hashes) are cut.
_MAX_WORD = 1000


@dataclass(frozen=True)
class _Atom:
    text: str
    kind: str  # "open", "close", "space", "text"
    name: str = ""


def _atoms(markup: str) -> deque[_Atom]:
    atoms: deque[_Atom] = deque()
    for token in _TOKEN.findall(markup):
        tag = _TAG.fullmatch(token)
        if tag is not None:
            atoms.append(_Atom(token, "close" if tag.group(1) else "open", tag.group(2).lower()))
        elif token.isspace():
            atoms.append(_Atom(token, "space"))
        else:
            for start in range(0, len(token), _MAX_WORD):
                atoms.append(_Atom(token[start : start + _MAX_WORD], "text"))
    return atoms


@dataclass
class _Cut:
    index: int  # atoms of the chunk before this index stay in it
    priority: int  # 3 paragraph, 2 line, 1 word
    length: int
    stack: tuple[_Atom, ...]


def _closing(stack: tuple[_Atom, ...] | list[_Atom]) -> str:
    return "".join(f"</{atom.name}>" for atom in reversed(stack))


def split_html(markup: str, limit: int = MAX_TEXT) -> list[str]:
    """Split reply markup into parts of at most `limit` characters, each valid HTML on its own.

    Counting the markup (not just the visible text) keeps every part under Telegram's limit.
    """
    if len(markup) <= limit:
        return [markup]
    pending = _atoms(markup)
    parts: list[str] = []
    stack: list[_Atom] = []
    chunk: list[_Atom] = []
    prefix = 0  # reopened tags at the start of `chunk`
    length = 0
    cuts: list[_Cut] = []
    while pending:
        atom = pending.popleft()
        if atom.kind == "space" and len(chunk) == prefix:
            continue  # a part never starts with whitespace
        after = [*stack, atom] if atom.kind == "open" else stack
        if atom.kind == "close" and stack and stack[-1].name == atom.name:
            after = stack[:-1]
        if length + len(atom.text) + len(_closing(after)) > limit and len(chunk) > prefix:
            cut = _best_cut(cuts, limit, prefix) or _Cut(len(chunk), 0, length, tuple(stack))
            _append(parts, _finish(chunk[: cut.index], cut.stack))
            pending.appendleft(atom)
            pending.extendleft(reversed(chunk[cut.index :]))
            stack = list(cut.stack)
            chunk = list(stack)
            prefix = len(chunk)
            length = sum(len(a.text) for a in chunk)
            cuts = []
            continue
        chunk.append(atom)
        length += len(atom.text)
        stack = list(after)
        if atom.kind == "space":
            priority = 3 if "\n\n" in atom.text else 2 if "\n" in atom.text else 1
            cuts.append(_Cut(len(chunk), priority, length, tuple(stack)))
    if len(chunk) > prefix:
        _append(parts, _finish(chunk, tuple(stack)))
    return parts


def _append(parts: list[str], part: str) -> None:
    if plain_text(part).strip():  # Telegram refuses a message with nothing visible
        parts.append(part)


def _best_cut(cuts: list[_Cut], limit: int, prefix: int) -> _Cut | None:
    """The latest cut of the highest priority in the second half of the part, else the latest."""
    usable = [c for c in cuts if c.index > prefix]
    late = [c for c in usable if c.length >= limit // 2]
    if late:
        return max(late, key=lambda c: (c.priority, c.index))
    return usable[-1] if usable else None


def _finish(atoms: list[_Atom], stack: tuple[_Atom, ...]) -> str:
    text = "".join(a.text for a in atoms).rstrip()
    return text + _closing(stack)


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """Inline keyboard; a payload over Telegram's 64 bytes is a handler bug and raises."""
    if not rows:
        return None
    built: list[list[InlineKeyboardButton]] = []
    for row in rows:
        line = []
        for button in row:
            if button.web_app:
                web_app = WebAppInfo(url=button.web_app)
                line.append(InlineKeyboardButton(plain_text(button.label), web_app=web_app))
                continue
            if len(button.payload.encode()) > MAX_CALLBACK_DATA:
                raise ValueError(f"button payload over 64 bytes: {button.payload[:80]!r}")
            label = plain_text(button.label) or "·"
            line.append(InlineKeyboardButton(label, callback_data=button.payload))
        built.append(line)
    return InlineKeyboardMarkup(built)


def message_ref(chat_id: int | str, message_id: int) -> str:
    """Our reference to a sent message, used for later edits (`Reply.edit_ref`)."""
    return f"{chat_id}:{message_id}"


def parse_ref(ref: str) -> tuple[str, int] | None:
    chat, _, message = ref.rpartition(":")
    if not chat or not message.isdecimal():
        return None
    return chat, int(message)
