"""The `rewimet-bot` command: run, demo, db upgrade, import, evaluations."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import ConfigError, Settings, load_settings, parse_settings

if TYPE_CHECKING:
    from handlers.broadcast.sending import Preview

log = logging.getLogger("rewimet")


def _parser() -> argparse.ArgumentParser:
    from handlers.faq.eval_command import add_arguments as add_faq_eval_arguments

    parser = argparse.ArgumentParser(prog="rewimet-bot", description="REWIMET member bot")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the bot on every platform with credentials")
    run.add_argument("--config", type=Path, default=None)

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

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="apply the migrations")
    db_upgrade.add_argument("--config", type=Path, default=None)

    imp = sub.add_parser("import", help="import the member directory or the FAQ")
    imp.add_argument("what", choices=("members", "faq"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--config", type=Path, default=None)

    invite = sub.add_parser(
        "invitations",
        help="a fresh invitation for every member without a chat account, as CSV (mail merge)",
    )
    invite.add_argument("--config", type=Path, default=None)
    invite.add_argument(
        "--output", type=Path, default=None, help="CSV file to write (default: standard output)"
    )

    faq = sub.add_parser("faq", help="FAQ tools")
    faq_sub = faq.add_subparsers(dest="faq_command", required=True)
    faq_eval = faq_sub.add_parser("eval", help="evaluate the FAQ engine on labelled questions")
    add_faq_eval_arguments(faq_eval)
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

    web = sub.add_parser("web", help="the dashboard")
    web_sub = web.add_subparsers(dest="web_command", required=True)
    link = web_sub.add_parser("link", help="print a one-time sign-in link for an admin")
    link.add_argument("--config", type=Path, default=None)
    link.add_argument("--admin", type=int, default=None, help="member number of the admin")

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_dispatch(args))
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
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
    setup_logging(settings.logging.level, settings.logging.format)
    if args.command == "run":
        return await _run(settings)
    if args.command == "db":
        return await _db_upgrade(settings)
    if args.command == "check":
        return await _check(settings)
    if args.command == "import":
        return await _import(settings, args.what, args.file)
    if args.command == "broadcast":
        return await _broadcast(settings, args)
    if args.command == "web":
        return await _web_link(settings, args.admin)
    if args.command == "invitations":
        return await _invitations(settings, args.output)
    return 2


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


async def _web_link(settings: Settings, admin: int | None) -> int:
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
            if len(found) != 1:
                numbers = ", ".join(str(m.id) for m in found) or "none yet"
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


async def _invitations(settings: Settings, output: Path | None) -> int:
    """Invitations for every member no chat account belongs to (imported, not yet claimed),
    as the office's CSV; each replaces the member's invitation before."""
    from bot.router import Router
    from bot.services import Services
    from handlers.members.invitations import INVITATION_LIFETIME, invitations_csv
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    try:
        await upgrade(db)
        text, count = await invitations_csv(Services(settings=settings, db=db, router=Router()))
    finally:
        await db.close()
    if output is None:
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(output.write_text, text, encoding="utf-8", newline="")
        days = INVITATION_LIFETIME.days
        print(f"{count} invitations written to {output} (valid for {days} days, each once)")
    if settings.telegram_enabled and not settings.telegram.username:
        print(
            "Note: set [telegram] username to the bot's @name for the start links.",
            file=sys.stderr,
        )
    return 0


async def _run(settings: Settings) -> int:
    from bot.app import build_app

    if not settings.telegram_enabled and not settings.matrix_enabled:
        print("No Telegram token and no Matrix credentials: starting the console demo instead.")
        return await _demo(argparse.Namespace(as_member="guest", admin=True, lang=None, db=None))
    app = await build_app(settings)
    names = ", ".join(str(t.platform) for t in app.transports)
    print(f"Starting the REWIMET bot on: {names}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await app.start()
    log.info("running")
    await stop.wait()
    await app.stop()
    return 0


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
        "matching: glossary": _check_glossary(settings.network.glossary),
        **check_lines(),
    }
    for name, result in results.items():
        print(f"{name}: {result}")
    return 1 if any(r.startswith("FAILED") for r in results.values()) else 0


def _check_glossary(path: Path | None) -> str:
    from bot.textmatch.thesaurus import load_thesaurus

    try:
        concepts = load_thesaurus(glossary=path)
    except (OSError, ValueError) as exc:
        return f"FAILED ({exc})"
    return f"ok ({path or 'the bundled REWIMET glossary'}; {len(concepts)} concept lines)"


async def _db_upgrade(settings: Settings) -> int:
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(settings.database.url)
    await upgrade(db)
    await db.close()
    print("database is up to date")
    return 0


async def _import(settings: Settings, what: str, file: Path) -> int:
    """Import the member directory or the FAQ: every bad row reported, nothing half-imported."""
    from handlers.faq.kb_import import KbImportError, import_kb, parse_kb
    from handlers.members.directory_import import (
        DirectoryImportError,
        import_directory,
        parse_directory,
    )
    from storage.db import Database
    from storage.migrate import upgrade

    try:
        text = await asyncio.to_thread(file.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{file}: cannot read ({exc})", file=sys.stderr)
        return 1
    try:
        parsed: Any = parse_kb(text) if what == "faq" else parse_directory(text)
    except (KbImportError, DirectoryImportError) as exc:
        for problem in exc.problems:
            print(f"{file}: {problem}", file=sys.stderr)
        print(f"{file}: nothing imported", file=sys.stderr)
        return 1
    db = Database(settings.database.url)
    await upgrade(db)
    async with db.session() as session:
        if what == "faq":
            counts = await import_kb(session, parsed)
            summary = (
                f"{counts.added} added, {counts.updated} updated, {counts.unchanged} unchanged"
            )
        else:
            added, updated = await import_directory(session, parsed)
            summary = f"{added} added, {updated} updated"
    await db.close()
    print(f"{file}: {summary}")
    return 0


async def _faq_eval(args: argparse.Namespace) -> int:
    """`faq eval`: the engine on labelled questions, same code path as the chat."""
    from handlers.faq.eval_command import options_of, run

    return await asyncio.to_thread(run, options_of(args), sys.stdout)


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

    use_glossary(args.glossary)
    return await asyncio.to_thread(
        run, args.members, args.requests, args.k, args.json, sys.stdout, args.folds
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
    from bot.transports.console import ConsoleTransport, read_lines
    from handlers.members.dashboard import sign_in_link
    from storage import members

    path = args.db or workdir / "demo.db"
    fresh = not path.exists()
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
        interactive = sys.stdin.isatty()
        if interactive:
            greeting = t(lang, "demo.greeting")
            console.show(render_text(greeting))
        lines = await read_lines(sys.stdin)
        # A closed terminal or a `kill` ends the demo like Ctrl-D, so its folder goes too.
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
        # What the last line sent to others (a question's alert to the office, the office's
        # answer to a member) is printed by this demo before it ends, as earlier lines' are,
        # not left in the outbox for whichever demo starts next on this database.
        if app.worker is not None:
            await app.worker.drain(within=_DRAIN_SECONDS)
    finally:
        # Ctrl-C cancels this task: stop the app (and close the database) before the folder goes.
        await app.stop()
    return 0
