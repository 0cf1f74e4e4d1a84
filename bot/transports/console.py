"""The local console: chat with the bot in a terminal, or script a conversation through stdin.

Buttons and poll options show as numbered choices; typing the number presses them (lettered
choices, where the question asks for a number or the text numbers its items, are pressed by
their letter, and a list's buttons also by their item's number). A line
`file: PATH [caption]` sends that local file, as a member would send a photo or document.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import mimetypes
import os
import re
import shutil
import sys
import tempfile
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.errors import FileTooLarge, FileUnavailable
from bot.i18n import file_prefix, size_text
from bot.messages import (
    KEEPS_CHOICES,
    STARTS_CHOICES,
    AttachmentKind,
    Incoming,
    IncomingAttachment,
    Platform,
    PollVote,
    Reply,
    delivery_takes_choices,
    item_choice,
    plain_text,
    typed_label,
)
from bot.transports.base import Dispatch, RateLimits, SendResult, SendStatus

CONSOLE_CHAT = "console"
_FILE_LINE = re.compile(r"^file:\s*(?P<path>\S+)(?:\s+(?P<caption>.*))?$", re.DOTALL)
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")


def local_file(name: str) -> IncomingAttachment:
    """A file on this machine as a member's photo (an image type) or document."""
    path = Path(name).expanduser()
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    kind = AttachmentKind.IMAGE if mime_type in IMAGE_TYPES else AttachmentKind.FILE
    size = path.stat().st_size if path.is_file() else None
    return IncomingAttachment(kind, str(path), path.name, mime_type, size)


async def read_local_file(attachment: IncomingAttachment, max_bytes: int) -> bytes:
    """The bytes of a `local_file` (what `fetch_file` is on a platform)."""
    path = Path(attachment.ref)
    try:
        size = (await asyncio.to_thread(path.stat)).st_size
        if size > max_bytes:
            raise FileTooLarge(size)
        return await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        raise FileUnavailable(str(error)) from error


# A button of a message to someone else, pressed in their demo (`rewimet-bot demo --as`).
OTHERS_BUTTON = "·"
# Choices of a question answered with a number are lettered.
LETTERS = "abcdefgh"


class ConsoleTransport:
    platform = Platform.CONSOLE

    def __init__(
        self,
        *,
        user_id: str,
        display_name: str = "",
        language: str | None = None,
        out: TextIO | None = None,
        files_dir: Path | None = None,
        typed_in: TextIO | None = None,
    ) -> None:
        """Files the bot sends are written to `files_dir`; without one, to a temporary folder
        made at the first file and removed by `stop()`. `typed_in`: where the person types
        (stdin), whose terminal's width wraps the output when `out` is a pipe."""
        self.user_id = user_id
        self.display_name = display_name or user_id
        self.language = language
        self.out = out or sys.stdout
        self.typed_in = typed_in or sys.stdin
        self._files_dir = files_dir
        self._own_files: tempfile.TemporaryDirectory[str] | None = None
        self._dispatch: Dispatch | None = None
        self._choices: list[tuple[str, str, int]] = []  # (kind, payload or poll key, index)
        self._labels: list[str] = []  # what each choice says
        self._items: list[int | None] = []  # the numbered item each is for (`Button.item`)
        self._lettered = False  # the last choices are pressed by letter (a number is asked)
        self._turn = 0  # typed lines so far
        self._choices_turn = 0  # the line the remembered choices answer (0: a delivery)
        self._counter = itertools.count(1)
        self._refs = itertools.count(1)
        # The prompt shown while the terminal waits for a line (interactive demo only):
        # drawn again after a delivery that arrives meanwhile, so the next line has one.
        self.prompt = ""
        self.waiting = False

    async def start(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch

    async def stop(self) -> None:
        self._dispatch = None
        if self._own_files is not None:
            own, self._own_files, self._files_dir = self._own_files, None, None
            await asyncio.to_thread(own.cleanup)

    @property
    def files_dir(self) -> Path:
        """Where the files the bot sends are written (made when first asked for)."""
        if self._files_dir is None:
            # named as the files are, by the network ("foodcircle-files-…")
            self._own_files = tempfile.TemporaryDirectory(prefix=f"{file_prefix()}-files-")
            self._files_dir = Path(self._own_files.name)
        return self._files_dir

    def rate_limits(self) -> RateLimits:
        return RateLimits(per_second=0, per_chat_per_second=0, per_group_per_minute=0)

    def is_alive(self) -> bool:
        return True

    async def direct_chat(self, user_id: str) -> str | None:
        return f"{CONSOLE_CHAT}:{user_id}"

    async def send(self, chat_id: str, reply: Reply) -> SendResult:
        """Outbox deliveries: shown with the recipient, since the demo has one terminal. One to
        the member here takes the choices only with its own (`delivery_takes_choices`)."""
        self.show(f"\n→ [{chat_id}]")
        own = chat_id == f"{CONSOLE_CHAT}:{self.user_id}"
        ref = self._render(
            reply, remember_choices=own and delivery_takes_choices(reply), pressable=own
        )
        if self.waiting and self.prompt:
            print(self.prompt, end="", file=self.out, flush=True)
        return SendResult(SendStatus.SENT, message_ref=ref)

    async def fetch_file(self, attachment: IncomingAttachment, max_bytes: int) -> bytes:
        return await read_local_file(attachment, max_bytes)

    async def feed(self, line: str) -> None:
        """Hand one typed line to the bot as a message (or a button press, when it is a number;
        a file, when it is `file: PATH [caption]`)."""
        assert self._dispatch is not None, "start() first"
        text = line.rstrip("\n")
        stripped = text.strip()
        attachment = None
        sent_file = _FILE_LINE.match(stripped)
        if sent_file is not None:
            attachment = await asyncio.to_thread(local_file, sent_file.group("path"))
            text = sent_file.group("caption") or ""
        incoming = Incoming(
            platform=Platform.CONSOLE,
            chat_id=f"{CONSOLE_CHAT}:{self.user_id}",
            sender_id=self.user_id,
            sender_name=self.display_name,
            update_id=f"{id(self)}:{next(self._counter)}",
            text=text,
            language_hint=self.language,
            attachment=attachment,
        )
        chosen = self._chosen(stripped)
        if chosen is not None:
            kind, key, index = chosen
            if kind == "button":
                incoming = replace(incoming, text="", payload=key)
            else:
                vote = PollVote(key, (index,))
                incoming = replace(incoming, text="", poll_vote=vote)
        self._turn += 1
        turn = self._turn

        async def respond(reply: Reply) -> str | None:
            return self._render(reply, remember_choices=True, turn=turn)

        await self._dispatch(incoming, respond)

    def _chosen(self, typed: str) -> tuple[str, str, int] | None:
        """The choice a typed line presses: its number, or its letter where the question asks
        for a number (then "1" is an answer, not the first button) or the text numbers its
        items (then "2" presses the button of item 2), or its label typed out."""
        if self._lettered:
            position = LETTERS.find(typed.casefold()) if len(typed) == 1 else -1
            if 0 <= position < len(self._choices):
                return self._choices[position]
            item = item_choice(typed, self._items)
            if item is not None:
                return self._choices[item]
        elif typed.isdecimal() and 1 <= int(typed) <= len(self._choices):
            return self._choices[int(typed) - 1]
        labelled = typed_label(typed, self._labels)
        return self._choices[labelled] if labelled is not None else None

    def _render(
        self, reply: Reply, *, remember_choices: bool, turn: int = 0, pressable: bool = True
    ) -> str:
        """Show a reply. Its choices are numbered on from those of an earlier reply to the same
        line (one answer per question, each with its own 👍/👎): every button shown for that
        line stays pressable, as on a phone. Those of a message to someone else (`pressable`
        False: the office's alert beside the member's hand-off) are marked, not numbered: a
        number typed here presses the member's own."""
        if reply.popup and not reply.text:
            self.show(f"[{plain_text(reply.popup)}]")
        if reply.text:
            self.show(plain_text(reply.text))
        choices: list[tuple[str, str, int]] = []
        labels: list[str] = []
        items: list[int | None] = []
        count = sum(len(row) for row in reply.buttons)
        lettered = (
            reply.metadata.get("typed") == "number" and reply.poll is None and count <= len(LETTERS)
        )

        same_turn = remember_choices and turn and turn == self._choices_turn
        # A reply keeping the choices above (an answer to one item of /offen) numbers its own
        # on after them too; a delivery (turn 0) never does. (Lettered choices answer a step's
        # question: one set, never continued.)
        keeps = remember_choices and bool(turn) and bool(reply.metadata.get(KEEPS_CHOICES))
        # A step's question shown again after an answer (`STARTS_CHOICES`) starts them anew.
        starts = bool(reply.metadata.get(STARTS_CHOICES)) and count > 0
        goes_on = bool(
            (same_turn or keeps) and self._choices and not (lettered or self._lettered or starts)
        )
        before = len(self._choices) if goes_on else 0

        def mark(position: int) -> str:
            if not pressable:
                return OTHERS_BUTTON
            return LETTERS[position - 1] if lettered else str(position)

        for row in reply.buttons:
            for button in row:
                choices.append(("button", button.payload, 0))
                labels.append(button.label)
                items.append(button.item)
                self.show(f"  [{mark(before + len(choices))}] {plain_text(button.label)}")
        if reply.poll is not None:
            self.show(plain_text(reply.poll.question))
            for index, option in enumerate(reply.poll.options):
                choices.append(("poll", reply.poll.poll_key, index))
                labels.append(option)
                items.append(None)
                self.show(f"  [{mark(before + len(choices))}] {plain_text(option)}")
        if goes_on:
            self._choices = [*self._choices, *choices]
            self._labels = [*self._labels, *labels]
            self._items = [*self._items, *items]
            self._choices_turn = turn
        elif remember_choices and (
            choices or (reply.text and not reply.metadata.get(KEEPS_CHOICES) and not same_turn)
        ):
            self._choices = choices
            self._labels = labels
            self._items = items
            self._lettered = lettered
            self._choices_turn = turn
        if reply.attachment is not None:
            attachment = reply.attachment
            path = self.files_dir / Path(attachment.filename).name
            path.write_bytes(attachment.content)
            size = size_text(attachment.size, "en")
            self.show(f"  [{attachment.kind.value} {attachment.filename}, {size}] {path}")
        return f"console-{next(self._refs)}"

    def show(self, text: str) -> None:
        """A line for the person at the terminal (wrapped to its width)."""
        width = self._width()
        if width is not None:
            text = wrap_for_terminal(text, width)
        print(text, file=self.out, flush=True)

    def _width(self) -> int | None:
        """The width of the terminal the person reads; None for a script's output."""
        if self.out.isatty():
            return shutil.get_terminal_size().columns
        if not self.typed_in.isatty():
            return None  # a script, or output kept in a file: left as it is
        # typed at a terminal, the output piped on ("make demo | tee chat.log"): still read
        # there, where a line the terminal breaks is broken within a word
        columns = os.environ.get("COLUMNS", "")
        if columns.isdecimal():
            return int(columns)
        try:
            return os.get_terminal_size(self.typed_in.fileno()).columns
        except (OSError, ValueError):
            return None


# An emoji labels the word after it ("👥 0 angemeldet") and a time goes with its unit
# ("09:00 Uhr"): the space between such a pair must not become a line break. While wrapping
# the space is this private-use character, which textwrap does not take for whitespace.
_GLUE = "\ue000"
_EMOJI = "\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d"
_PAIR = re.compile(rf"(?<!\S)([{_EMOJI}]+) (?=\S)|\b(\d{{1,2}}:\d{{2}}) (?=Uhr\b)")
# An ellipsis ("who fit …", "municipality …)?") and a dash ("gespeichert – die Vorschau")
# end what comes before them: a line may end in " –" or " …", never start with them.
_AFTER_WORD = re.compile(r"(?<=\S) (?=[…–—])")
# A number stays with what names it and with its unit: "(Nr. 2)", "5 KB", "120 €",
# "abgelehnt: 0".
_NUMBERED = re.compile(
    r"\b(?:Nr|No|nr|no)\. (?=\d)|(?<=\d) (?=(?:KB|MB|GB|€|%)(?!\w))|(?<=[^\W\d]:) (?=\d+\b)"
)
# An abbreviation of two letters stays whole: "z. B.", "d. h.", "u. a." (a walkthrough saw
# "z." end one line and "B." begin the next).
_ABBREVIATED = re.compile(r"\b(?:z|d|u|o|s)\. (?=[a-zäöüA-Z]\.)")


# A command stays with its numbers, yes/no or placeholders ("/anmelden 2", "/termin N",
# "/youngpro ja", "/weiterleiten ANFRAGE MITGLIED"): broken after the command, the line reads
# as the command alone.
_COMMAND_ARGUMENT = re.compile(
    r"(?<![^\s(„\"])/\w+(?: (?:\d+|N|ja|nein|yes|no|[A-ZÄÖÜ]{2,}))+(?!\w)"
)


def _glue_pairs(line: str) -> str:
    paired = _PAIR.sub(lambda m: (m.group(1) or m.group(2)) + _GLUE, line)
    paired = _COMMAND_ARGUMENT.sub(lambda m: m.group(0).replace(" ", _GLUE), paired)
    paired = _NUMBERED.sub(lambda m: m.group(0).replace(" ", _GLUE), paired)
    paired = _ABBREVIATED.sub(lambda m: m.group(0).replace(" ", _GLUE), paired)
    return " ".join(_link_alone(part) for part in _AFTER_WORD.sub(_GLUE, paired).split(" "))


def _link_alone(part: str) -> str:
    """A link is glued to nothing: a terminal shows a line wider than itself over several
    rows, so a link longer than the width gets a line of its own and nothing beside it (an
    emoji before it or a dash after it goes on the line before or after)."""
    if "://" not in part or _GLUE not in part:
        return part
    return part.replace(_GLUE, " ")


def wrap_for_terminal(text: str, width: int) -> str:
    """Lines broken between words, as a phone breaks them (a terminal breaks inside words);
    a link or other long word stays whole so that it can be copied, a choice's label
    continues under itself, an emoji or a time stays with the word it belongs to, and an
    ellipsis or a dash with the word before it."""
    lines: list[str] = []
    for line in _glue_pairs(text).split("\n"):
        # a choice's label, or an attachment's line ("  [file a.csv, 140 B]"), goes on under
        # itself
        choice = re.match(r"^\s*\[(?:\d+|[a-z]|·)\] |^\s*\[(?=\w+ )", line)
        indent = " " * len(choice.group(0)) if choice else ""
        wrapped = textwrap.wrap(
            line,
            width=max(width - 1, 20),
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
            drop_whitespace=True,
        )
        lines.extend(wrapped or [""])
    return "\n".join(lines).replace(_GLUE, " ")


async def read_lines(stream: TextIO) -> asyncio.Queue[str | None]:
    """Lines from a (blocking) stream, then None at its end; read in a thread so the event loop
    stays free.

    The thread is a daemon, not one of the loop's executor: after Ctrl-C the program ends at
    once instead of waiting in the executor's shutdown for the line or Ctrl-D that ends the read.
    """
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def put(line: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody reads any more
            loop.call_soon_threadsafe(queue.put_nowait, line)

    def pump() -> None:
        for line in _lines_of(stream):
            put(line)
        put(None)

    threading.Thread(target=pump, name="console-input", daemon=True).start()
    return queue


def _lines_of(stream: TextIO) -> Iterator[str]:
    """The stream's lines; a real file is read through its own descriptor, so the daemon thread
    holds no lock of `sys.stdin` that the interpreter's shutdown would wait for."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # no descriptor (a StringIO), or closed
        yield from stream
        return
    raw = io.FileIO(fd, closefd=False)
    yield from io.TextIOWrapper(raw, encoding=stream.encoding or "utf-8", errors="replace")
