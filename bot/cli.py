"""The `rewimet-bot` command: run, demo, db upgrade, import, evaluations."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import os
import signal
import socket
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError, NetworkSettings, Settings, load_settings, parse_settings

if TYPE_CHECKING:
    from bot.app import App
    from bot.transports.console import ConsoleTransport
    from handlers.broadcast.sending import Preview
    from storage.models import Member

log = logging.getLogger("rewimet")


def _parser() -> argparse.ArgumentParser:
    from handlers.faq.eval_command import add_arguments as add_faq_eval_arguments

    parser = argparse.ArgumentParser(prog="rewimet-bot", description="REWIMET member bot")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run",
        help="run the bot on every platform with credentials (none: in this terminal, on the "
        "configured database and network)",
    )
    run.add_argument("--config", type=Path, default=None)
    run.add_argument(
        "--as",
        dest="as_member",
        metavar="ID",
        default=None,
        help="without platforms: the console user to speak as (default: guest; with --admin: "
        "office); the same id is the same member on the next run",
    )
    run.add_argument(
        "--admin", action="store_true", help="without platforms: speak as an admin (the office)"
    )
    run.add_argument(
        "--lang",
        choices=("de", "en"),
        default=None,
        help="without platforms: a new member's language",
    )
    _verbose(run)

    demo = sub.add_parser("demo", help="chat with the bot in this terminal (demo data)")
    demo.add_argument(
        "--as", dest="as_member", default=None, help="member id to speak as (default: a new one)"
    )
    demo.add_argument(
        "--admin", action="store_true", help="speak as an admin (default: the cluster manager)"
    )
    demo.add_argument("--lang", choices=("de", "en"), default=None)
    demo.add_argument("--db", type=Path, default=None, help="SQLite file (default: temporary)")

    check = sub.add_parser("check", help="check the config, the database and each platform")
    check.add_argument("--config", type=Path, default=None)
    _verbose(check)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="apply the migrations")
    db_upgrade.add_argument("--config", type=Path, default=None)
    _verbose(db_upgrade)

    imp = sub.add_parser("import", help="import the member directory or the FAQ")
    imp.add_argument("what", choices=("members", "faq"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--config", type=Path, default=None)
    _verbose(imp)

    admin = sub.add_parser("admin", help="make a member an admin (the first one, too)")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    for name, what in (("add", "make a member an admin"), ("remove", "end a member's admin right")):
        change = admin_sub.add_parser(name, help=what)
        change.add_argument(
            "member", help="member number, or the member's id in the imported directory"
        )
        change.add_argument("--config", type=Path, default=None)
        _verbose(change)

    invite = sub.add_parser(
        "invitations",
        help="a fresh invitation for every member without a chat account, as CSV (mail merge)",
    )
    invite.add_argument("--config", type=Path, default=None)
    invite.add_argument(
        "--output", type=Path, default=None, help="CSV file to write (default: standard output)"
    )
    _verbose(invite)

    played = sub.add_parser(
        "console-members",
        help="list the members played in a terminal (run without platforms); --erase erases them",
    )
    played.add_argument("--config", type=Path, default=None)
    played.add_argument(
        "--erase", action="store_true", help="erase them and everything stored about them"
    )
    _verbose(played)

    faq = sub.add_parser("faq", help="FAQ tools")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    faq_eval = faq_sub.add_parser("eval", help="evaluate the FAQ engine on labelled questions")
    add_faq_eval_arguments(faq_eval)
    _glossary_from_config(faq_eval)
    cast = sub.add_parser("broadcast", help="send news to members (the running bot delivers it)")
    cast.add_argument("--config", type=Path, default=None)
    cast.add_argument(
        "--audience",
        default="all",
        help="all, yp, lang:de|en, topic:WORD, kind:company|university|research|...",
    )
    text = cast.add_mutually_exclusive_group()
    text.add_argument("--text", help="the message in German, as it should go out")
    text.add_argument("--text-file", type=Path, help="read the message from this file (UTF-8)")
    text_en = cast.add_mutually_exclusive_group()
    text_en.add_argument(
        "--text-en",
        help="the English version (members who read English get it); alone, the message is "
        "only in English and German readers are told so",
    )
    text_en.add_argument("--text-en-file", type=Path, help="read the English version from a file")
    cast.add_argument(
        "--announcements", action="store_true", help="also post in the announcement chats/rooms"
    )
    cast.add_argument("--at", default=None, help="send time, e.g. '24.12.2026 09:00' (local)")
    cast.add_argument(
        "--file", type=Path, default=None, help="an image (JPEG, PNG, WebP) or a file to send along"
    )
    cast.add_argument("--dry-run", action="store_true", help="only count the recipients")
    _verbose(cast)

    web = sub.add_parser("web", help="the dashboard")
    web_sub = web.add_subparsers(dest="web_command", required=True)
    link = web_sub.add_parser("link", help="print a one-time sign-in link for an admin")
    link.add_argument("--config", type=Path, default=None)
    link.add_argument("--admin", type=int, default=None, help="member number of the admin")
    _verbose(link)

    partners = sub.add_parser("partners", help="partner search tools")
    partners_sub = partners.add_subparsers(dest="partners_command", required=True)
    evaluate = partners_sub.add_parser("eval", help="evaluate the partner ranking on a request set")
    evaluate.add_argument("--members", type=Path, required=True, help="member directory CSV")
    evaluate.add_argument("--requests", type=Path, required=True, help="labelled requests JSONL")
    evaluate.add_argument("--k", type=int, default=5, help="members contacted at most")
    evaluate.add_argument("--json", action="store_true", help="print the metrics as JSON")
    evaluate.add_argument(
        "--folds", type=int, default=0, help="also choose the floors on N folds (e.g. 5)"
    )
    evaluate.add_argument("--glossary", type=Path, help="the network's glossary (default: bundled)")
    _glossary_from_config(evaluate)
    return parser


def _glossary_from_config(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--config",
        type=Path,
        default=None,
        help="read the glossary the config names ([network] glossary), unless --glossary",
    )


def _verbose(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log what happens (the migrations applied, …); without it only problems are logged",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_dispatch(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        # a second bot on the same config: its dashboard or health port is the first one's
        print(
            f"cannot listen: {exc.strerror} ({exc}). Another program, perhaps this bot started "
            "with the same config, serves on that port: stop it, or give this one another "
            "[web] port / [health] port, or [web] enabled = false",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: argparse.Namespace) -> int:
    from bot.logs import setup_logging

    if args.command == "demo":
        setup_logging("WARNING")
        return await _demo(args)
    if args.command == "faq":
        return await _faq_eval(args)
    if args.command == "partners":
        return await _partners_eval(args)
    settings = load_settings(args.config)
    setup_logging(_log_level(args, settings), settings.logging.format)
    if args.command == "run":
        return await _run(settings, args)
    if args.command == "db":
        return await _db_upgrade(settings)
    if args.command == "check":
        return await _check(settings)
    if args.command == "import":
        return await _import(settings, args.what, args.file, args.config)
    if args.command == "broadcast":
        return await _broadcast(settings, args)
    if args.command == "console-members":
        return await _console_members(settings, args.config, erase=args.erase)
    if args.command == "web":
        return await _web_link(settings, args.admin, args.config)
    if args.command == "admin":
        return await _admin_change(settings, args.member, args.admin_command == "add", args.config)
    if args.command == "invitations":
        return await _invitations(settings, args.output)
    return 2


def _log_level(args: argparse.Namespace, settings: Settings) -> str:
    """The configured level for the running bot; a one-off command (and the bot in the
    terminal, where the log would run through the chat) logs only problems, unless `-v`: its
    result is its one line, not the dozens of migrations applied before it."""
    configured = settings.logging.level
    serving = args.command == "run" and (settings.telegram_enabled or settings.matrix_enabled)
    if serving:
        return configured
    if getattr(args, "verbose", False):
        return "DEBUG" if configured == "DEBUG" else "INFO"
    return "ERROR" if configured == "ERROR" else "WARNING"


DASHBOARD_PORT = 8080
# At the demo's end, how long it waits at most for what is due to go out (printed).
_DRAIN_SECONDS = 5.0


def _dashboard_socket(preferred: int) -> socket.socket:
    """A socket listening on 127.0.0.1 at `preferred` when that is free, else at any free port.

    It is held until the dashboard serves on it: a port only probed here and bound at start,
    seconds later, could go to a second demo started meanwhile, and one of them ended with
    "address already in use" before it answered anything."""
    try:
        return _listening(preferred)
    except OSError:
        return _listening(0)


def _listening(port: int) -> socket.socket:
    sock = socket.socket()
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server's own would
        sock.bind(("127.0.0.1", port))
        sock.listen()  # at once: two sockets may bind one port with SO_REUSEADDR, one listens
    except OSError:
        sock.close()
        raise
    return sock


async def _web_link(settings: Settings, admin: int | None, config: Path | None) -> int:
    """A sign-in link for an admin, printed for the operator (who passes it on privately)."""
    from bot import office
    from bot.errors import UserError
    from bot.router import Router
    from bot.services import Services
    from handlers.members.dashboard import sign_in_link
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    try:
        await upgrade(db)
        services = Services(settings=settings, db=db, router=Router())
        if admin is None:
            async with db.session() as session:
                found = await office.admins(session, settings)
            if not found:
                print(_no_admin_yet(config), file=sys.stderr)
                return 2
            if len(found) > 1:
                numbers = ", ".join(str(m.id) for m in found)
                print(f"Name the admin with --admin N (admins: {numbers}).", file=sys.stderr)
                return 2
            admin = found[0].id
        try:
            url = await sign_in_link(services, admin)
        except UserError:
            print(f"Member {admin} is not an admin.", file=sys.stderr)
            return 2
    finally:
        await db.close()
    minutes = settings.web.link_minutes
    print(f"Sign-in link for member {admin} (works once, {minutes} minutes):\n{url}")
    if not settings.web.enabled:
        print("Note: [web] enabled is false; the running bot does not serve the dashboard.")
    return 0


def _no_admin_yet(config: Path | None) -> str:
    """How the first admin is made, for an operator whose database has none yet."""
    given = f" --config {config}" if config is not None else ""
    return (
        "No admin yet. Make one:\n"
        f"  rewimet-bot admin add N{given}   (N: the member number, or the member's id in "
        "the imported directory)\n"
        "or list their Telegram user id or Matrix id under [admins] in the config once they "
        "have written to the bot; admins make further admins with /promote N. Then run this "
        "again."
    )


async def _admin_change(settings: Settings, given: str, value: bool, config: Path | None) -> int:
    """`admin add|remove`: a member's admin right from the shell, as /promote and /demote
    give it in the chat; the first admin needs no chat account (a directory member)."""
    from bot.errors import UserError
    from bot.router import Router
    from bot.services import Services
    from handlers import audit as audit_detail
    from handlers.members.roles import change_role
    from storage import audit, members
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    try:
        await upgrade(db)
        async with db.session() as session:
            found = await members.find_by_number_or_external_id(session, given)
        if found is None:
            print(
                f"There is no member {given!r} (neither a member number nor an id of the "
                "imported directory).",
                file=sys.stderr,
            )
            return 2
        services = Services(settings=settings, db=db, router=Router())
        try:
            target = await change_role(services, found.id, value)
        except UserError:
            print(f"There is no member {given!r}.", file=sys.stderr)
            return 2
        # In the dashboard's log like /promote, by nobody: the shell has no member.
        role = "audit.role_admin" if value else "audit.role_member"
        async with db.session() as session:
            await audit.record(
                session,
                actor_member_id=None,
                action="cli:admin_add" if value else "cli:admin_remove",
                allowed=True,
                detail=audit_detail.detail(role, member=target.id),
            )
    finally:
        await db.close()
    name = target.organisation or target.display_name or target.external_id or ""
    named = f" ({name})" if name else ""
    if value:
        given_config = f" --config {config}" if config is not None else ""
        print(
            f"Member {target.id}{named} is an admin now. A sign-in link for the dashboard: "
            f"rewimet-bot web link --admin {target.id}{given_config}"
        )
    else:
        print(f"Member {target.id}{named} is no admin any more (unless the config names them).")
    return 0


async def _console_members(settings: Settings, config: Path | None, *, erase: bool) -> int:
    """The members played in a terminal (`run` without platforms): test accounts, not the
    network's, left out of the directory export; listed, or erased as /forget would."""
    from storage import members, privacy
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    try:
        await upgrade(db)
        async with db.session() as session:
            played = list(await members.console_members(session))
            # a directory entry an invitation's code tried in a terminal took over: freed
            # (its console account removed), not erased, so that it is invited again
            claimed = list(await members.console_claimed(session))
            if erase:
                for member in played:
                    await privacy.erase_member(session, member_id=member.id)
                for member in claimed:
                    await members.drop_console_accounts(session, member.id)
    finally:
        await db.close()
    if not played and not claimed:
        print("No members played in a terminal in this database.")
        return 0
    if erase:
        print(
            f"{len(played)} members played in a terminal erased, with everything stored about "
            f"them; {len(claimed)} directory entries taken over in a terminal freed (their "
            "invitations are made again: rewimet-bot invitations, or the member's page)."
        )
        return 0
    given_config = f" --config {config}" if config is not None else ""
    if played:
        print(
            f"{len(played)} members played in a terminal (console user, member number, "
            "organisation):"
        )
    _print_console_held(played)
    if claimed:
        print(
            f"{len(claimed)} directory entries taken over in a terminal with an invitation's "
            "code (console user, member number, organisation): no invitation is made for "
            "them while the terminal holds them."
        )
    _print_console_held(claimed)
    print(
        "They are test accounts, not the network's: no platform reaches them, yet the "
        "dashboard lists them and a broadcast counts them. Before going live: "
        f"rewimet-bot console-members --erase{given_config} (erases the members played, "
        "frees the directory entries)"
    )
    return 0


def _print_console_held(held: Sequence[Member]) -> None:
    """One line per member a terminal holds: console user, member number, organisation."""
    for member in held:
        users = ", ".join(a.user_id for a in member.accounts if a.platform == "console")
        print(f"  {users}  #{member.id}  {member.organisation or '–'}")


async def _invitations(settings: Settings, output: Path | None) -> int:
    """Invitations for every member no chat account belongs to (imported, not yet claimed),
    as the office's CSV; each replaces the member's invitation before."""
    from bot.router import Router
    from bot.services import Services
    from bot.transports.telegram_links import configured_start_links
    from handlers.members.invitations import INVITATION_LIFETIME, invitations_csv
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    try:
        await upgrade(db)
        services = Services(settings=settings, db=db, router=Router())
        services.start_links.update(configured_start_links(settings))
        text, count = await invitations_csv(services)
    finally:
        await db.close()
    if output is None:
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(output.write_text, text, encoding="utf-8", newline="")
        days = INVITATION_LIFETIME.days
        print(f"{count} invitations written to {output} (valid for {days} days, each once)")
    if count and not settings.telegram.username:
        print(_no_start_links(), file=sys.stderr)
    return 0


def _no_start_links() -> str:
    """Why the invitations' link column is empty, and how to fill it."""
    return (
        "Note: the link column is empty, as [telegram] username is not set: a start link "
        'needs the bot\'s name. Set username = "…" in [telegram] (its @name from BotFather, '
        "without the @) and "
        "write the invitations again for Telegram start links (https://t.me/<name>?start=CODE). "
        "Without a link the code still works: the person sends it to the bot "
        "(`/start CODE` or just the code; on Matrix `!start CODE`)."
    )


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_app

    if not settings.telegram_enabled and not settings.matrix_enabled:
        if not _someone_can_type():
            print(_no_platform(settings, args.config), file=sys.stderr)
            return 1
        return await _console(settings, args)
    console_only = [
        option
        for option, given in (
            ("--as", args.as_member is not None),
            ("--admin", args.admin),
            ("--lang", args.lang is not None),
        )
        if given
    ]
    if console_only:
        print(
            f"{', '.join(console_only)}: only for the bot in this terminal (the console), which "
            "`run` starts when no platform has credentials; this config has some. "
            "`rewimet-bot demo` chats with REWIMET's demo.",
            file=sys.stderr,
        )
        return 2
    app = await build_app(settings)
    names = ", ".join(str(t.platform) for t in app.transports)
    print(f"Starting the {settings.network.name} bot on: {names}")
    await _note_console_members(app, args.config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await app.start()
    log.info("running")
    await stop.wait()
    await app.stop()
    return 0


async def _note_console_members(app: App, config: Path | None) -> None:
    """Going live on a database the bot was tried on in a terminal: say that its test members
    are still there (no platform reaches them; a broadcast would count them)."""
    from storage import members

    async with app.services.db.session() as session:
        played = len(await members.console_members(session))
    if played:
        given_config = f" --config {config}" if config is not None else ""
        print(
            f"Note: {played} members played in a terminal are in this database (test "
            "accounts no platform reaches): rewimet-bot console-members lists them, "
            f"rewimet-bot console-members --erase{given_config} erases them.",
            file=sys.stderr,
        )


def _someone_can_type() -> bool:
    """Whether the console has lines to read: a terminal, or a script piped or redirected
    in. Under systemd (or `docker run` without -i) standard input is /dev/null or closed."""
    try:
        info = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return sys.stdin.isatty() or not stat.S_ISCHR(info.st_mode)


def _no_platform(settings: Settings, config: Path | None) -> str:
    """Why `run` serves nothing where no one can type: what each platform lacks."""
    from bot.config import MATRIX_PASSWORD_ENV, MATRIX_TOKEN_ENV, TELEGRAM_TOKEN_ENV

    source = str(config) if config is not None else "the defaults (no --config)"
    matrix = settings.matrix
    lacking = [
        name
        for name, given in (
            ("[matrix] homeserver", matrix.homeserver),
            ("[matrix] user_id", matrix.user_id),
            (
                f"{MATRIX_PASSWORD_ENV} or {MATRIX_TOKEN_ENV}",
                matrix.password or matrix.access_token,
            ),
        )
        if not given
    ]
    return (
        f"Nothing to serve with {source}: no Telegram token ({TELEGRAM_TOKEN_ENV} in the "
        f"environment) and no Matrix credentials (missing: {', '.join(lacking)}). "
        "Without them `run` chats in a terminal, and standard input is none here (a service "
        "has none): set the credentials (under systemd in its EnvironmentFile), check them "
        "with `rewimet-bot check`, or start `run` in a terminal to chat with the bot there."
    )


async def _check(settings: Settings) -> int:
    """Say what works before going live; exit 1 if anything configured does not."""
    from bot.textmatch.resources import check_lines
    from bot.transports.checks import check_matrix, check_telegram
    from storage.db import Database
    from storage.migrate import upgrade

    print("config: ok")
    db = Database(settings.database.url)
    try:
        await upgrade(db)
        database = "ok" if await db.ping() else "FAILED (no answer)"
    except Exception as exc:  # noqa: BLE001 - the operator needs the reason, not a traceback
        database = f"FAILED ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})"
    finally:
        await db.close()
    results = {
        "database": database,
        **await check_telegram(settings),
        **await check_matrix(settings),
        **_check_glossary(settings.network),
        **check_lines(),
    }
    for name, result in results.items():
        print(f"{name}: {result}")
    return 1 if any(r.startswith("FAILED") for r in results.values()) else 0


def _check_glossary(network: NetworkSettings) -> dict[str, str]:
    """The glossary read as the engines read it; a warning when another network runs on
    REWIMET's, and which concept lines name no source (how to check the terms' sources)."""
    from bot.textmatch.thesaurus import (
        default_glossary,
        load_thesaurus,
        parse_thesaurus,
        unsourced_lines,
    )

    path = network.glossary
    try:
        concepts = load_thesaurus(glossary=path)
        own = parse_thesaurus((path or default_glossary()).read_text("utf-8").splitlines())
    except (OSError, ValueError) as exc:
        return {"matching: glossary": f"FAILED ({exc})"}
    # What the glossary holds, told apart from the general layer every network shares.
    held = (
        f"{len(own)} concept line{'' if len(own) == 1 else 's'} of its own, "
        f"beside the {len(concepts) - len(own)} of the general layer"
    )
    if path is None:
        default = NetworkSettings()
        if (network.name, network.short_name) != (default.name, default.short_name):
            return {
                "matching: glossary": (
                    f"warning (no glossary of {network.short_name}'s field: the bundled REWIMET "
                    'glossary (recycling, metals) is used; set glossary = "/path/to/glossary.txt"'
                    " in [network], see docs/another-network.md)"
                )
            }
        bundled = f"ok (the bundled REWIMET glossary; {held})"
        return {"matching: glossary": bundled}
    results = {"matching: glossary": f"ok ({path}; {held})"}
    unsourced = unsourced_lines(path.read_text("utf-8").splitlines())
    # The interpreter the bot is installed in: a plain `python` finds no module `bot`.
    how = (
        f"check each term's source with: {sys.executable} -m bot.textmatch.provenance "
        f"--kb KB.toml --members members.csv {path}"
    )
    if unsourced:
        plural = "" if len(unsourced) == 1 else "s"
        where = ", ".join(str(n) for n in unsourced[:10]) + (", …" if len(unsourced) > 10 else "")
        results["matching: glossary sources"] = (
            f"warning ({len(unsourced)} concept line{plural} without a '# source:' line "
            f"(line{plural} {where}); {how})"
        )
    else:
        results["matching: glossary sources"] = f"not checked here ({how})"
    return results


async def _db_upgrade(settings: Settings) -> int:
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    await upgrade(db)
    await db.close()
    print("database is up to date")
    return 0


async def _import(settings: Settings, what: str, file: Path, config: Path | None) -> int:
    """Import the member directory or the FAQ: every bad row reported, nothing half-imported;
    the database it went into named (an operator who forgot --config imported into the
    default one, and was not told)."""
    from sqlalchemy.engine import make_url

    from handlers.faq.kb_import import KbImportError, import_kb, parse_kb
    from handlers.file_text import NotText, file_text
    from handlers.members.directory_import import (
        DirectoryImportError,
        ignored_columns,
        import_directory,
        parse_directory,
    )
    from storage.db import Database
    from storage.migrate import upgrade

    try:
        text = file_text(await asyncio.to_thread(file.read_bytes))
    except OSError as exc:
        print(f"{file}: cannot read ({exc})", file=sys.stderr)
        return 1
    except NotText:
        saved_as = "TOML" if what == "faq" else "CSV UTF-8"
        print(
            f"{file}: not text in UTF-8 (a spreadsheet saved as Windows-1252, an Excel "
            f"workbook, UTF-16?): save it as {saved_as} and import it again; nothing imported",
            file=sys.stderr,
        )
        return 1
    try:
        parsed: Any = parse_kb(text) if what == "faq" else parse_directory(text)
    except (KbImportError, DirectoryImportError) as exc:
        for problem in exc.problems:
            print(f"{file}: {problem}", file=sys.stderr)
        print(f"{file}: nothing imported", file=sys.stderr)
        return 1
    unconnected = 0
    db = Database(settings.database.url)
    await upgrade(db)
    async with db.session() as session:
        if what == "faq":
            counts = await import_kb(session, parsed)
            summary = (
                f"{counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged"
            )
        else:
            imported = await import_directory(
                session, parsed, default_language=settings.network.default_language
            )
            summary = (
                f"{imported.added} added, {imported.updated} updated, "
                f"{imported.unchanged} unchanged"
            )
            unconnected = imported.unconnected
    await db.close()
    database = make_url(settings.database.url).render_as_string(hide_password=True)
    source = "" if config is not None else ", the default: no --config"
    print(f"{file}: {summary} (database {database}{source})")
    if what != "faq" and unconnected:
        print(
            f"{file}: {unconnected} imported member{'s have' if unconnected != 1 else ' has'} "
            "no chat account yet: partner "
            "search finds them, and messages reach them, once each has connected a chat "
            "(rewimet-bot invitations writes their invitations; /einladen N one)"
        )
    if what == "faq":
        _warn_of_languages(file, parsed)
    if what != "faq" and (ignored := ignored_columns(text)):
        print(f"{file}: ignored column(s): {', '.join(ignored)} (not a column of the directory)")
    return 0


def _warn_of_languages(file: Path, entries: Any) -> None:
    """Name the entries imported in one language only (allowed, perhaps an oversight)."""
    from handlers.faq.kb_import import missing_languages

    for lang, ids in missing_languages(entries).items():
        if ids:
            name = "German" if lang == "de" else "English"
            count = f"{len(ids)} entr{'y' if len(ids) == 1 else 'ies'}"
            print(
                f"{file}: warning: no {name} in {count}: {', '.join(ids)} (imported; "
                f"question.{lang} and answer.{lang} answer members who read {name})"
            )


async def _faq_eval(args: argparse.Namespace) -> int:
    """`faq eval`: the engine on labelled questions, same code path as the chat."""
    from handlers.faq.eval_command import options_of, run

    args.glossary = _eval_glossary(args)
    return await asyncio.to_thread(run, options_of(args), sys.stdout)


def _eval_glossary(args: argparse.Namespace) -> Path | None:
    """The glossary an evaluation reads: `--glossary`, else the one `--config` names, else
    the bundled example; said on standard error (the figures differ with it, and an operator
    measuring their network on REWIMET's glossary would not know)."""
    glossary: Path | None = args.glossary
    if glossary is None and args.config is not None:
        glossary = load_settings(args.config).network.glossary
    if glossary is None:
        print(
            "glossary: the bundled example (REWIMET's field); --glossary FILE or --config "
            "FILE reads your network's",
            file=sys.stderr,
        )
    else:
        print(f"glossary: {glossary}", file=sys.stderr)
    return glossary


async def _broadcast(settings: Settings, args: argparse.Namespace) -> int:
    """Queue a broadcast from the shell; a running bot (any process) delivers it."""
    from bot.errors import UserError
    from bot.i18n import t
    from bot.messages import plain_text as render_text
    from bot.services import utc_now
    from handlers.broadcast.files import MAX_FILE_BYTES, clean_name, kind_of_path, too_large
    from handlers.broadcast.rules import clean_text, parse_audience, parse_send_time
    from handlers.broadcast.sending import preview, queue_broadcast
    from storage import files
    from storage.db import Database
    from storage.migrate import upgrade

    lang = settings.network.default_language
    try:
        raw = await _given_text(args.text, args.text_file)
        raw_en = await _given_text(args.text_en, args.text_en_file)
        if raw is None and raw_en is None:
            print("give --text or --text-file (and/or --text-en)", file=sys.stderr)
            return 2
        text = clean_text(raw) if raw is not None else ""
        text_en = clean_text(raw_en) if raw_en is not None else ""
        audience = parse_audience(args.audience)
        now = utc_now()
        send_at = (
            now if args.at is None else parse_send_time(args.at, now=now, zone=settings.network.tz)
        )
    except UserError as error:
        print(render_text(t(lang, error.key, **error.values)), file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(
            f"{getattr(exc, 'filename', None) or 'text file'}: cannot read ({exc})", file=sys.stderr
        )
        return 1
    content = b""
    if args.file is not None:
        try:
            size = (await asyncio.to_thread(args.file.stat)).st_size
            if size > MAX_FILE_BYTES:
                refusal = too_large(size, lang)
                print(render_text(t(lang, refusal.key, **refusal.values)), file=sys.stderr)
                return 1
            content = await asyncio.to_thread(args.file.read_bytes)
            if not content:
                print(f"{args.file}: the file is empty", file=sys.stderr)
                return 1
        except OSError as exc:
            print(f"{args.file}: cannot read ({exc})", file=sys.stderr)
            return 1
    db = Database(settings.database.url)
    try:
        await upgrade(db)
        counted = await preview(db, settings, audience, args.announcements)
        if args.dry_run:
            print(f"{counted.members} members and {counted.chats} announcement chats would get it")
            print(_versions_read(text, text_en, counted))
            return 0
        attachment = None
        if args.file is not None:
            kind, mime_type = kind_of_path(args.file)
            async with db.session() as session:
                attachment = await files.save(
                    session,
                    filename=clean_name(args.file.name, mime_type, kind),
                    mime_type=mime_type,
                    kind=kind.value,
                    content=content,
                )
        number, recipients = await queue_broadcast(
            db,
            settings,
            created_by=None,
            text=text,
            audience=audience,
            announce=args.announcements,
            send_at=send_at,
            attachment=attachment,
            text_en=text_en,
        )
    finally:
        await db.close()
    with_file = f" with {attachment.kind} {attachment.filename}" if attachment else ""
    print(
        f"broadcast #{number}{with_file} queued for {recipients} recipients "
        f"(sending from {send_at.astimezone(settings.network.tz):%d.%m.%Y %H:%M}); "
        f"the running bot delivers it"
    )
    print(_versions_read(text, text_en, counted))
    return 0


async def _given_text(typed: str | None, path: Path | None) -> str | None:
    """A text given on the command line or read from a file (UTF-8); None when neither."""
    if path is not None:
        return await asyncio.to_thread(path.read_text, encoding="utf-8")
    return typed


def _versions_read(text: str, text_en: str, counted: Preview) -> str:
    """Which text the members of each language read (the operator sees what goes out, the
    English version too, and who gets the other language's text for want of their own)."""
    from bot.messages import shorten
    from handlers.broadcast.sending import text_in

    lines = []
    for lang, name, readers in (
        ("de", "German", counted.german),
        ("en", "English", counted.english),
    ):
        own = text if lang == "de" else text_en
        other = "English" if lang == "de" else "German"
        shown = shorten(" ".join(text_in(text, text_en, lang).split()), 100)
        lacking = "" if own else f" (no {name} version: the {other} text)"
        lines.append(f"  {name} readers ({readers}): {shown}{lacking}")
    return "\n".join(lines)


async def _partners_eval(args: argparse.Namespace) -> int:
    """The same ranking, thresholds and exclusions as the chat, on a labelled request set."""
    from handlers.partners.evaluation import run

    if args.k < 1:
        print("--k must be at least 1", file=sys.stderr)
        return 2
    from bot.textmatch.thesaurus import use_glossary

    use_glossary(_eval_glossary(args))
    return await asyncio.to_thread(
        run, args.members, args.requests, args.k, args.json, sys.stdout, args.folds
    )


async def _console(settings: Settings, args: argparse.Namespace) -> int:
    """`run` with no platform configured: the operator's own bot in this terminal, on the
    configured database, network names, glossary, dashboard and health endpoint; nothing
    seeded. The member played is the console user `--as` (the same on the next run)."""
    from bot import demo
    from bot.app import build_app
    from bot.i18n import t
    from bot.messages import plain_text as render_text
    from bot.transports.console import ConsoleTransport

    speaker = args.as_member or ("office" if args.admin else "guest")
    if args.admin:
        # An admin by the config for this run only: nothing about it is stored.
        admins = settings.admins.model_copy(update={"console": [*settings.admins.console, speaker]})
        settings = settings.model_copy(update={"admins": admins})
    print(_console_banner(settings, args.config, speaker, admin=args.admin))
    console = ConsoleTransport(user_id=speaker, language=args.lang)
    app = await build_app(settings, transports=[console])
    try:
        await app.start()
        spoken = await demo.speaker_language(app.services.db, speaker, args.lang)
        lang = spoken or args.lang or settings.network.default_language
        await _chat(app, console, render_text(t(lang, "demo.configured_greeting")))
    finally:
        await app.stop()
    return 0


def _console_banner(settings: Settings, config: Path | None, speaker: str, *, admin: bool) -> str:
    """What `run` does without platforms, said before the chat starts."""
    from sqlalchemy.engine import make_url

    source = str(config) if config is not None else "the defaults (no --config)"
    database = make_url(settings.database.url).render_as_string(hide_password=True)
    role = " (an admin for this run)" if admin else ""
    web = settings.web
    dashboard = (
        f" The dashboard serves on {web.public_url}; /dashboard in the chat gives an admin "
        "a sign-in link."
        if web.enabled
        else ""
    )
    return (
        f"No Telegram token and no Matrix credentials in {source}: chatting with the "
        f"{settings.network.name} bot in this terminal, as console user '{speaker}'{role}, "
        f"on {database}.{dashboard} Nothing is seeded; the members played are stored there "
        "as test members (/forget erases one, "
        "`rewimet-bot console-members --erase` all). REWIMET's demo with its demo data is "
        "`rewimet-bot demo`."
    )


async def _demo(args: argparse.Namespace) -> int:
    """The console demo; everything it writes (the database unless `--db`, the files the bot
    sends) lives in one temporary folder that is removed when the demo ends, however it ends."""
    with (
        tempfile.TemporaryDirectory(prefix="rewimet-demo-") as workdir,
        _dashboard_socket(DASHBOARD_PORT) as listening,
    ):
        return await _demo_in(args, Path(workdir), listening)


async def _demo_in(args: argparse.Namespace, workdir: Path, listening: socket.socket) -> int:
    from bot import demo
    from bot.app import build_app
    from bot.i18n import t
    from bot.messages import plain_text as render_text
    from bot.transports.console import ConsoleTransport
    from handlers.members.dashboard import sign_in_link
    from storage import members
    from storage.peek import has_console_account

    path = args.db or workdir / "demo.db"
    fresh = not path.exists()
    if not fresh and not await asyncio.to_thread(has_console_account, path, demo.OFFICE):
        print(_not_a_demo_database(path), file=sys.stderr)
        return 2
    # `--admin` alone speaks as the demo's cluster manager, the dashboard link's owner: one
    # person in the audit log, not a second admin "guest".
    speaker = args.as_member or (demo.OFFICE if args.admin else "guest")
    port = int(listening.getsockname()[1])
    raw: dict[str, object] = {
        "database": {"url": f"sqlite+aiosqlite:///{path}"},
        "admins": {"console": [speaker] if args.admin else []},
        # The dashboard on this machine only, for the demo's cluster manager.
        "web": {"enabled": True, "port": port, "public_url": f"http://127.0.0.1:{port}"},
        # A scripted demo types faster than any person; the flood limit is for the platforms.
        "limits": {"flood_messages_per_minute": 100_000, "flood_burst": 100_000},
    }
    settings = parse_settings(raw, source="demo", env={})
    files_dir = workdir / "files"
    files_dir.mkdir()
    console = ConsoleTransport(user_id=speaker, language=args.lang, files_dir=files_dir)
    app = await build_app(settings, transports=[console], web_socket=listening)
    try:
        if fresh:
            await demo.seed(app.services.db)
        await app.start()
        office = await demo.office_member(app.services.db)
        if args.lang and (fresh or speaker == demo.OFFICE):
            # One person starts the demo: the office's chat and dashboard speak it too; on a
            # kept database only the office's own `--admin --lang` changes it (a member
            # played in English beside it must not turn the office English).
            async with app.services.db.session() as session:
                await members.update_member(session, member_id=office, language=args.lang)
        # The demo speaks the speaker's language from its first line: one who exists keeps
        # theirs (the office after an earlier `--admin --lang en` on this database), one it
        # creates gets `--lang`.
        spoken = await demo.speaker_language(app.services.db, speaker, args.lang)
        lang = spoken or args.lang or settings.network.default_language
        link = await sign_in_link(app.services, office)
        console.show(render_text(t(lang, "demo.dashboard", url=link)))
        await _chat(app, console, render_text(t(lang, "demo.greeting")))
    finally:
        # Ctrl-C cancels this task: stop the app (and close the database) before the folder goes.
        await app.stop()
    return 0


def _not_a_demo_database(path: Path) -> str:
    return (
        f"{path} was not made by the demo: the demo needs its own database, with its demo "
        "members and cluster manager. Give --db a new file (or leave --db out for a "
        "temporary one).\n"
        "To chat in this terminal with your own bot on your database, point [database] url at "
        "it in your config and use: rewimet-bot run --config config.toml (with no Telegram "
        "token and no Matrix credentials it runs here)."
    )


async def _chat(app: App, console: ConsoleTransport, greeting: str) -> None:
    """Hand the terminal's lines to the bot until Ctrl-D (or the script's end); the greeting
    only to a person at a terminal. What the last line sent to others (a question's alert
    to the office, the office's answer to a member) is printed before it returns, as earlier
    lines' are, not left in the outbox for whichever chat starts next on this database."""
    from bot.transports.console import read_lines

    interactive = sys.stdin.isatty()
    if interactive:
        console.show(greeting)
    lines = await read_lines(sys.stdin)
    # A closed terminal or a `kill` ends the chat like Ctrl-D (the demo's folder goes too).
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGHUP, signal.SIGTERM):
        loop.add_signal_handler(sig, lines.put_nowait, None)
    console.prompt = "> " if interactive else ""
    while True:
        if interactive:
            print(console.prompt, end="", flush=True)
        console.waiting = True
        line = await lines.get()
        console.waiting = False
        if line is None:
            if interactive:
                print()  # Ctrl-D ends the prompt's line: the shell's prompt starts afresh
            break
        if not interactive:
            print(f"> {line.rstrip()}")
        await console.feed(line)
    if app.worker is not None:
        await app.worker.drain(within=_DRAIN_SECONDS)
