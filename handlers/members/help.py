"""`/help`: the speaker's commands grouped by purpose, short enough for one phone screen.

Built from the router's declarations (group, order, featured): members get their groups with
the most used commands on a line each and the rest by name; `/help admin` gives admins their
block; `/help join` (or `/help /anmelden`) gives one command's usage line.
"""

from __future__ import annotations

from itertools import groupby

from bot.context import Context
from bot.i18n import Markup, t
from bot.messages import escape
from bot.router import Args, Command, Param, Router

# The word after /help that asks for the admins' block.
ADMIN_WORD = "admin"
EXAMPLE = "join"


def visible_commands(router: Router, *, is_admin: bool) -> list[Command]:
    """The commands the speaker may use, in the declared order (members' first)."""
    return [cmd for cmd in router.unique_commands() if is_admin or not cmd.admin]


def find_command(router: Router, word: str, *, is_admin: bool) -> Command | None:
    """The command `word` names (`join`, `/join`, `!anmelden`), if the speaker may use it."""
    command = router.commands.get(word.strip().lstrip("/!").lower())
    if command is None or (command.admin and not is_admin):
        return None
    return command


def _line(command: Command, lang: str, *, optional: bool = True) -> str:
    usage = command.usage(lang, optional=optional)
    return f"{escape(usage)} – {t(lang, command.help_key)}"


def member_help(router: Router, lang: str, *, is_admin: bool) -> Markup:
    """Each group's title, its featured commands with a few words, the others by name."""
    lines: list[str] = [t(lang, "help.intro")]
    members = [cmd for cmd in router.unique_commands() if not cmd.admin]
    for group, grouped in groupby(members, key=lambda cmd: cmd.group):
        commands = list(grouped)
        if group:
            lines.append(f"<b>{t(lang, f'help.group.{group}')}</b>")
        lines.extend(_line(cmd, lang, optional=False) for cmd in commands if cmd.featured)
        others = [f"/{cmd.name_in(lang)}" for cmd in commands if not cmd.featured]
        if others:
            lines.append(t(lang, "help.more", commands=", ".join(others)))
    example = f"/{router.name_in('help', lang)} {router.name_in(EXAMPLE, lang)}"
    lines.append(t(lang, "help.details", example=example))
    if is_admin:
        lines.append(t(lang, "help.admin_more"))
    return Markup("\n".join(lines))


def admin_help(router: Router, lang: str) -> Markup:
    """The admins' commands by group, each with a plain line on what it does
    (`help.admin_line.NAME`; `/help NAME` for the usage and an example)."""
    lines: list[str] = [t(lang, "help.admin_intro")]
    admins = [cmd for cmd in router.unique_commands() if cmd.admin]
    for group, grouped in groupby(admins, key=lambda cmd: cmd.group):
        if group:
            lines.append(f"<b>{t(lang, f'help.admin_group.{group}')}</b>")
        lines.extend(
            f"/{cmd.name_in(lang)} – {t(lang, f'help.admin_line.{cmd.name}')}" for cmd in grouped
        )
    example = f"/{router.name_in('help', lang)} {router.name_in('newevent', lang)}"
    lines.append(t(lang, "help.details", example=example))
    return Markup("\n".join(lines))


def command_help(command: Command, lang: str) -> Markup:
    """One command's usage line and description (its name in `lang`), with its other names."""
    lines = [_line(command, lang)]
    example = command.example(lang)  # an admin command's arguments, in words
    if example is not None:
        lines.append(example)
    others = command.other_names(lang)
    if others:
        aliases = ", ".join(f"/{alias}" for alias in others)
        lines.append(t(lang, "help.aliases", aliases=aliases))
    return Markup("\n".join(lines))


def register(router: Router) -> None:
    @router.command(
        "help",
        help_key="help.help",
        params=(Param("command", "word", required=False),),
        german="hilfe",
        group="questions",
        order=3,
    )
    async def show_help(ctx: Context, args: Args) -> None:
        if not args.has("command"):
            text = member_help(router, ctx.lang, is_admin=ctx.is_admin)
            waiting = await router.waiting_lines(ctx)
            await ctx.reply(Markup("\n".join([text, *waiting])))
            return
        word = args.text("command")
        if word.lower() == ADMIN_WORD:
            if ctx.is_admin:
                await ctx.reply(admin_help(router, ctx.lang))
            else:
                text = member_help(router, ctx.lang, is_admin=False)
                await ctx.reply(Markup(f"{text}\n{ctx.t('help.admin_only')}"))
            return
        command = find_command(router, word, is_admin=ctx.is_admin)
        if command is None:
            await ctx.say("help.unknown", name=word[:40])
            return
        await ctx.reply(command_help(command, ctx.lang))
