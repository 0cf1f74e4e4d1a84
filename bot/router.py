"""Declarative commands, button payloads, poll votes and free text, routed to handlers.

A command is declared once, with its arguments, help text key and who may use it; `/help` and
the platforms' command menus are built from these declarations.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.errors import UserError

if TYPE_CHECKING:
    from bot.context import Context

MAX_ARGUMENT_CHARS = 2000
_COMMAND = re.compile(r"^[/!]([A-Za-z][A-Za-z0-9_]{0,31})(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True)
class Param:
    """One command argument: `int`, a single `word`, or the `text` of the rest of the line."""

    name: str
    kind: str = "text"
    required: bool = True


class Args:
    """Parsed command arguments with typed accessors."""

    def __init__(self, values: dict[str, str | int]) -> None:
        self._values = values

    def int(self, name: str) -> int:
        value = self._values[name]
        assert isinstance(value, int)
        return value

    def text(self, name: str, default: str = "") -> str:
        value = self._values.get(name, default)
        return str(value)

    def has(self, name: str) -> bool:
        return name in self._values


CommandHandler = Callable[["Context", Args], Awaitable[None]]
ButtonHandler = Callable[["Context", list[str]], Awaitable[None]]
PollHandler = Callable[["Context", list[str], tuple[int, ...]], Awaitable[None]]
TextHandler = Callable[["Context", str], Awaitable[bool]]
StepHandler = Callable[["Context", str, dict[str, object]], Awaitable[None]]
# A feature's block for the admins' /stats: lines of translated markup.
StatProvider = Callable[["Context"], Awaitable[Sequence[str]]]


@dataclass(frozen=True)
class Command:
    name: str
    handler: CommandHandler
    help_key: str
    params: tuple[Param, ...] = ()
    admin: bool = False
    aliases: tuple[str, ...] = ()
    private_only: bool = False

    def usage(self) -> str:
        parts = [f"/{self.name}"]
        for param in self.params:
            parts.append(f"<{param.name}>" if param.required else f"[{param.name}]")
        return " ".join(parts)


@dataclass
class Router:
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[str, tuple[ButtonHandler, bool]] = field(default_factory=dict)
    polls: dict[str, PollHandler] = field(default_factory=dict)
    steps: dict[str, StepHandler] = field(default_factory=dict)
    # Flows whose step handler also takes a photo or file (`ctx.incoming.attachment`).
    file_steps: set[str] = field(default_factory=set)
    text_handlers: list[tuple[int, TextHandler]] = field(default_factory=list)
    stat_providers: list[StatProvider] = field(default_factory=list)

    def command(
        self,
        name: str,
        *,
        help_key: str,
        params: Sequence[Param] = (),
        admin: bool = False,
        aliases: Sequence[str] = (),
        private_only: bool = False,
    ) -> Callable[[CommandHandler], CommandHandler]:
        def register(handler: CommandHandler) -> CommandHandler:
            declared = Command(
                name, handler, help_key, tuple(params), admin, tuple(aliases), private_only
            )
            for key in (name, *aliases):
                if key in self.commands:
                    raise ValueError(f"command /{key} declared twice")
                self.commands[key] = declared
            return handler

        return register

    def button(
        self, prefix: str, *, admin: bool = False
    ) -> Callable[[ButtonHandler], ButtonHandler]:
        """Handle button payloads `prefix:arg:arg`; payloads are checked by the handler."""

        def register(handler: ButtonHandler) -> ButtonHandler:
            self.buttons[prefix] = (handler, admin)
            return handler

        return register

    def poll(self, prefix: str) -> Callable[[PollHandler], PollHandler]:
        def register(handler: PollHandler) -> PollHandler:
            self.polls[prefix] = handler
            return handler

        return register

    def step(self, flow: str, *, files: bool = False) -> Callable[[StepHandler], StepHandler]:
        """Handle free text while a member is in the guided conversation `flow`; with `files`,
        also a photo or file (its caption is the text, maybe empty)."""

        def register(handler: StepHandler) -> StepHandler:
            self.steps[flow] = handler
            if files:
                self.file_steps.add(flow)
            return handler

        return register

    def free_text(self, *, priority: int) -> Callable[[TextHandler], TextHandler]:
        """Handle free text; handlers run by priority (lowest first) until one returns True."""

        def register(handler: TextHandler) -> TextHandler:
            self.text_handlers.append((priority, handler))
            self.text_handlers.sort(key=lambda item: item[0])
            return handler

        return register

    def stats(self, provider: StatProvider) -> StatProvider:
        """Add a feature's block of lines to the admins' /stats (in registration order)."""
        self.stat_providers.append(provider)
        return provider

    def unique_commands(self) -> list[Command]:
        seen: dict[str, Command] = {}
        for command in self.commands.values():
            seen.setdefault(command.name, command)
        return list(seen.values())


def split_command(text: str) -> tuple[str, str] | None:
    """`/join 12` or `!join 12` -> ("join", "12"); None when the text is no command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def parse_args(command: Command, raw: str) -> Args:
    raw = raw[:MAX_ARGUMENT_CHARS]
    values: dict[str, str | int] = {}
    rest = raw
    for param in command.params:
        if param.kind == "text":
            if rest:
                values[param.name] = rest
            rest = ""
        else:
            word, _, rest = rest.partition(" ")
            rest = rest.strip()
            if word:
                if param.kind == "int":
                    if not re.fullmatch(r"#?\d{1,12}", word):
                        raise UserError("errors.bad_number", value=word[:40], usage=command.usage())
                    values[param.name] = int(word.lstrip("#"))
                else:
                    values[param.name] = word
        if param.required and param.name not in values:
            raise UserError("errors.missing_argument", usage=command.usage())
    return Args(values)
