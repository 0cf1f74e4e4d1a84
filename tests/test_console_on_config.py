"""An operator of another network tries THEIR bot in the terminal before any platform is set
up: `rewimet-bot run --config …` without credentials chats on the configured database, names
and knowledge base, through the real console transport; the REWIMET demo stays `demo`."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from storage import audit
from storage.db import Database
from storage.faq import FaqEntryRow
from storage.models import Member
from web.pages.audit import action_label

BIN = Path(sys.executable).parent / "rewimet-bot"

# An invented network: a textile association in the Vogtland.
KB = "\n".join(
    [
        "[[faq]]",
        'id = "webkurs"',
        'tags = ["Webkurs", "Webstuhl", "weaving"]',
        'question.de = ["Wann ist der nächste Webkurs am Handwebstuhl?", "Gibt es Webkurse?"]',
        'question.en = ["When is the next hand loom weaving course?", "Are there loom courses?"]',
        'answer.de = "Der Webkurs am Handwebstuhl ist jeden ersten Dienstag im Monat in der '
        'Plauener Schauweberei (fiktiv)."',
        'answer.en = "The hand loom course is every first Tuesday of the month at the Plauen '
        'show weaving mill (fictional)."',
    ]
)

DIRECTORY = (
    "id,organisation,kind,city,role,languages,young_professional,topics,bio,contact\n"
    'tk-1,"Spitzenweberei Auerbach (fiktiv)",company,Auerbach,Geschäftsführung,de,false,'
    '"Stickerei;Spitze","Stickt Plauener Spitze.",info@spitze.example\n'
)


def network_config(tmp_path: Path, url: str | None = None) -> Path:
    url = url or f"sqlite+aiosqlite:///{tmp_path / 'textilkreis.db'}"
    config = tmp_path / "config.toml"
    config.write_text(
        '[network]\nname = "Textilkreis Vogtland e. V."\nshort_name = "Textilkreis"\n'
        f'[database]\nurl = "{url}"\n',
        encoding="utf-8",
    )
    return config


def run_bot(config: Path, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), "run", "--config", str(config), *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )


def imported(config: Path, tmp_path: Path) -> None:
    kb = tmp_path / "kb.toml"
    kb.write_text(KB, encoding="utf-8")
    assert main(["import", "faq", str(kb), "--config", str(config)]) == 0


async def test_run_without_platforms_chats_with_the_configured_bot(
    tmp_path: Path, db_url: str
) -> None:
    # on SQLite and PostgreSQL alike: the database the config names, nothing else
    config = network_config(tmp_path, db_url)
    await asyncio.to_thread(imported, config, tmp_path)
    script = "/start\nWann ist der nächste Webkurs am Handwebstuhl?\n/termine\n"
    done = await asyncio.to_thread(run_bot, config, script)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # `run` says what it does, and that the REWIMET demo is another command
    said = out.split("\n> ", 1)[0]
    assert "in this terminal" in said and str(config) in said and "rewimet-bot demo" in said, out
    assert "Willkommen beim Mitglieder-Bot von Textilkreis Vogtland e. V." in out, out
    assert "Plauener Schauweberei" in out, out
    assert "REWIMET" not in out.split("\n> ", 1)[1], out  # no demo greeting, FAQ or events
    assert "Symposium" not in out, out
    db = Database(db_url)
    try:
        async with db.session() as session:
            entries = await session.scalar(select(func.count()).select_from(FaqEntryRow))
            people = await session.scalar(select(func.count()).select_from(Member))
    finally:
        await db.close()
    # nothing seeded: the network's one entry, and only the member who typed
    assert (entries, people) == (1, 1)


def test_the_member_played_comes_back_on_the_next_run(tmp_path: Path) -> None:
    config = network_config(tmp_path)
    first = run_bot(config, "/language en\n", "--as", "probe")
    assert first.returncode == 0, first.stderr
    again = run_bot(config, "/profile\n", "--as", "probe")
    assert again.returncode == 0, again.stderr
    # the language chosen on the first run: the reply is English
    assert "You do not have a profile yet" in again.stdout, again.stdout
    assert "'probe'" in again.stdout, again.stdout


def test_run_as_admin_plays_the_office_of_the_configured_network(tmp_path: Path) -> None:
    config = network_config(tmp_path)
    done = run_bot(config, "/help admin\n/inbox\n", "--admin", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "For admins" in done.stdout and "No open questions in the inbox." in done.stdout
    member = run_bot(config, "/help admin\n", "--as", "someone", "--lang", "en")
    assert "For admins" not in member.stdout, member.stdout


def test_console_options_are_refused_when_platforms_are_configured(tmp_path: Path) -> None:
    config = network_config(tmp_path)
    config.write_text(config.read_text() + '[telegram]\ntoken = "123:abc"\n', encoding="utf-8")
    done = run_bot(config, "", "--as", "probe")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "--as" in done.stderr and "console" in done.stderr, done.stderr


@pytest.mark.parametrize("made", ["empty file", "network database"])
def test_the_demo_on_a_database_it_did_not_make_says_what_to_use(tmp_path: Path, made: str) -> None:
    own = tmp_path / "own.db"
    if made == "empty file":
        own.write_bytes(b"")
    else:
        imported(network_config(tmp_path, f"sqlite+aiosqlite:///{own}"), tmp_path)
    before = own.read_bytes()
    done = subprocess.run(
        [str(BIN), "demo", "--db", str(own)], input="", capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "AssertionError" not in done.stderr, done.stderr
    assert "not made by the demo" in done.stderr, done.stderr
    assert "rewimet-bot run --config" in done.stderr, done.stderr  # what to use instead
    assert own.read_bytes() == before  # the demo left the operator's database alone


def test_the_first_admin_is_made_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = network_config(tmp_path)
    config.write_text(config.read_text() + "[web]\nenabled = true\n", encoding="utf-8")
    directory = tmp_path / "members.csv"
    directory.write_text(DIRECTORY, encoding="utf-8")
    assert main(["import", "members", str(directory), "--config", str(config)]) == 0
    capsys.readouterr()
    # no admin yet: the message says how one is made
    assert main(["web", "link", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "rewimet-bot admin add" in err and "[admins]" in err, err
    # by the directory's id (or the member number)
    assert main(["admin", "add", "tk-1", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "Spitzenweberei Auerbach" in out and "is an admin now" in out, out
    assert main(["web", "link", "--config", str(config)]) == 0
    assert "/login/" in capsys.readouterr().out
    assert main(["admin", "add", "nobody-here", "--config", str(config)]) == 2
    assert "no member" in capsys.readouterr().err.lower()
    assert main(["admin", "remove", "1", "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["web", "link", "--config", str(config)]) == 2

    async def logged() -> list[tuple[str, int | None]]:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'textilkreis.db'}")
        try:
            async with db.session() as session:
                entries = await audit.recent(session)
        finally:
            await db.close()
        return [(e.action, e.actor_member_id) for e in reversed(entries)]

    # in the dashboard's audit log, by nobody (the shell)
    assert asyncio.run(logged()) == [("cli:admin_add", None), ("cli:admin_remove", None)]
    assert action_label("en", "cli:admin_add") == "Made an admin (command line)"


def test_links_name_the_configured_port_when_no_public_url_is_set(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free now, for the bot to listen on
    config = network_config(tmp_path)
    config.write_text(
        config.read_text() + f"[web]\nenabled = true\nport = {port}\n", encoding="utf-8"
    )
    done = run_bot(config, "/dashboard\n/kalender\n", "--admin", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert f"The dashboard serves on http://127.0.0.1:{port}" in done.stdout, done.stdout
    assert f"http://127.0.0.1:{port}/login/" in done.stdout, done.stdout
    assert f"webcal://127.0.0.1:{port}/feed/" in done.stdout, done.stdout
    assert ":8080" not in done.stdout, done.stdout


def test_files_of_another_network_are_written_under_its_short_name(tmp_path: Path) -> None:
    config = network_config(tmp_path)
    done = run_bot(config, "/language en\n/mydata\n", "--as", "probe")
    assert done.returncode == 0, done.stderr
    shown = next(line for line in done.stdout.splitlines() if "[file " in line)
    assert "textilkreis-mydata-" in shown, shown
    assert "/textilkreis-files-" in shown and "rewimet" not in shown, shown


def test_check_and_import_are_quiet_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = network_config(tmp_path)
    kb = tmp_path / "kb.toml"
    kb.write_text(KB, encoding="utf-8")
    assert main(["import", "faq", str(kb), "--config", str(config)]) == 0
    done = capsys.readouterr()
    assert done.err == "" and "1 added, 0 updated, 0 unchanged" in done.out, done
    # the database it went into, named: an operator who forgot --config is told
    assert f"(database sqlite+aiosqlite:///{tmp_path}" in done.out, done.out
    assert main(["check", "--config", str(config)]) == 0
    assert capsys.readouterr().err == ""
    # -v shows what the migrations do
    (tmp_path / "v").mkdir()
    other = network_config(tmp_path / "v", f"sqlite+aiosqlite:///{tmp_path / 'v.db'}")
    assert main(["check", "-v", "--config", str(other)]) == 0
    assert "alembic" in capsys.readouterr().err


def test_run_without_credentials_and_without_a_terminal_fails_saying_what_is_missing(
    tmp_path: Path,
) -> None:
    # as under systemd: standard input is /dev/null, nobody could chat in the console
    config = network_config(tmp_path)
    done = subprocess.run(
        [str(BIN), "run", "--config", str(config)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0, done.stdout
    said = done.stderr
    assert "REWIMET_TELEGRAM_TOKEN" in said and "[matrix]" in said, said
    assert str(config) in said, said
    assert "Willkommen" not in done.stdout, done.stdout


def test_members_played_in_the_terminal_are_listed_and_erased_apart_from_the_network(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = network_config(tmp_path)
    directory = tmp_path / "members.csv"
    directory.write_text(DIRECTORY, encoding="utf-8")
    assert main(["import", "members", str(directory), "--config", str(config)]) == 0
    signup = "/start\n1\nProbeweberei (Test)\nEinkauf\nStickerei\n2\n2\n2\n"
    assert run_bot(config, signup, "--as", "probe-1").returncode == 0
    assert run_bot(config, "/help\n").returncode == 0  # "guest"
    capsys.readouterr()

    # listed apart from the directory's members, with the command that erases them
    assert main(["console-members", "--config", str(config)]) == 0
    listed = capsys.readouterr().out
    assert "probe-1" in listed and "guest" in listed and "Probeweberei (Test)" in listed, listed
    assert "Spitzenweberei" not in listed, listed
    assert "--erase" in listed, listed

    assert main(["console-members", "--erase", "--config", str(config)]) == 0
    said = capsys.readouterr().out
    assert "2" in said, said
    assert main(["console-members", "--config", str(config)]) == 0
    assert "No members" in capsys.readouterr().out

    async def left() -> list[str | None]:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'textilkreis.db'}")
        try:
            async with db.session() as session:
                return list((await session.execute(select(Member.organisation))).scalars())
        finally:
            await db.close()

    assert asyncio.run(left()) == ["Spitzenweberei Auerbach (fiktiv)"]


def test_a_second_bot_on_the_dashboards_port_says_so_plainly(tmp_path: Path) -> None:
    # walkthrough 2026-12-07: a second `run` with the same config (to play the office
    # beside a member) ended in a traceback "address already in use"
    config = network_config(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        text = config.read_text("utf-8")
        config.write_text(
            text + f'[web]\nenabled = true\nport = {port}\npublic_url = "http://x.example"\n',
            encoding="utf-8",
        )
        done = run_bot(config, "/help\n")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert "cannot listen" in done.stderr and "[web] port" in done.stderr, done.stderr


def test_a_directory_entry_taken_over_in_a_terminal_is_freed_by_erase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # walkthrough 2026-12-07: an invitation's code tried in `run` connected the real entry
    # to a console account for good: never invited again, and --erase did not free it
    import csv
    import io

    config = network_config(tmp_path)
    directory = tmp_path / "members.csv"
    directory.write_text(DIRECTORY, encoding="utf-8")
    assert main(["import", "members", str(directory), "--config", str(config)]) == 0
    invitations = tmp_path / "invitations.csv"

    def invited() -> list[str]:
        assert main(["invitations", "--config", str(config), "--output", str(invitations)]) == 0
        text = invitations.read_text("utf-8-sig")
        return [row["id"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]

    assert invited() == ["tk-1"]
    code = next(csv.DictReader(io.StringIO(invitations.read_text("utf-8-sig")), delimiter=";"))
    tried = run_bot(config, f"/start {code['code']}\n", "--as", "probe-2")
    assert tried.returncode == 0 and "Spitzenweberei" in tried.stdout, tried.stdout
    assert invited() == []  # the terminal holds it
    capsys.readouterr()
    assert main(["console-members", "--config", str(config)]) == 0
    listed = capsys.readouterr().out
    assert "1 directory entries taken over in a terminal" in listed, listed
    assert "probe-2" in listed and "Spitzenweberei" in listed, listed
    assert main(["console-members", "--erase", "--config", str(config)]) == 0
    assert "1 directory entries taken over in a terminal freed" in capsys.readouterr().out
    # freed, not erased: invited again, its entry kept
    assert invited() == ["tk-1"]


def test_an_import_without_config_says_it_went_into_the_default_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walkthrough (session 48): an operator who forgot --config had imported into
    ./rewimet.db and been told only "12 added"."""
    monkeypatch.chdir(tmp_path)
    kb = tmp_path / "kb.toml"
    kb.write_text(KB, encoding="utf-8")
    assert main(["import", "faq", str(kb)]) == 0
    out = capsys.readouterr().out
    assert "(database sqlite+aiosqlite:///rewimet.db, the default: no --config)" in out, out
    assert (tmp_path / "rewimet.db").is_file()
