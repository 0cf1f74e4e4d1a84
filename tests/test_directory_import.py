from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from handlers.members.directory_import import (
    DirectoryImportError,
    export_directory,
    import_directory,
    parse_directory,
)
from storage import members
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member

HEADER = "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
GOOD = 'x1,"Harz Metall GmbH",company,Goslar,CEO,de;en,false,"Kobalt;Nickel","Bio"\n'


def test_formula_cells_and_missing_columns_are_reported_with_lines() -> None:
    with pytest.raises(DirectoryImportError) as missing:
        parse_directory("name,kind\nx,company\n")
    assert missing.value.problems == ["line 1: missing column(s) id, organisation"]
    bad = HEADER + GOOD + 'x2,"=HYPERLINK(""http://x"")",company,A,B,de,false,T,B\n'
    with pytest.raises(DirectoryImportError) as formula:
        parse_directory(bad)
    assert formula.value.problems == [
        "line 3: column organisation starts like a spreadsheet formula (=, +, -, @)"
    ]
    # every problem of a row at once, so the office mends it in one go; a cell named once
    # is not judged again ("=x9" is a formula, not a bad number as well)
    many = HEADER + '=x9,"=Org",company,+Goslar,B,de,vielleicht,T,B\n'
    with pytest.raises(DirectoryImportError) as several:
        parse_directory(many)
    assert several.value.problems == [
        "line 2: column id starts like a spreadsheet formula (=, +, -, @)",
        "line 2: column organisation starts like a spreadsheet formula (=, +, -, @)",
        "line 2: column city starts like a spreadsheet formula (=, +, -, @)",
        "line 2: young_professional must be true or false, not 'vielleicht'",
    ]
    with pytest.raises(DirectoryImportError, match="kind must be one word"):
        parse_directory(HEADER + "x3,Org,space ship 9,A,B,de,false,T,B\n")
    assert parse_directory(HEADER + "x4,Org,Chamber,A,B,de,false,T,B\n")[0].kind == "chamber"


async def test_import_twice_changes_nothing_and_bad_file_imports_nothing(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    rows = parse_directory(HEADER + GOOD)
    for _ in range(2):
        async with db.session() as session:
            await import_directory(session, rows)
    async with db.session() as session:
        count = (await session.execute(select(func.count()).select_from(Member))).scalar_one()
        member = (await session.execute(select(Member))).scalar_one()
    assert count == 1 and member.topics == ["Kobalt", "Nickel"] and member.partner_consent
    await db.close()


def test_cli_import_reports_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/x.db"\n')
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + GOOD)
    bad.write_text(HEADER + GOOD + "x2,Org,company,A,B,de,maybe,T,B\n")
    assert main(["import", "members", str(bad), "--config", str(config)]) == 1
    assert "line 3: young_professional must be true or false" in capsys.readouterr().err
    assert main(["import", "members", str(good), "--config", str(config)]) == 0
    assert "1 added" in capsys.readouterr().out
    # the same file again changes nothing, and says so (it had read "1 updated")
    assert main(["import", "members", str(good), "--config", str(config)]) == 0
    assert "0 added, 0 updated, 1 unchanged" in capsys.readouterr().out
    good.write_text(HEADER + GOOD.replace("Goslar", "Clausthal"))
    assert main(["import", "members", str(good), "--config", str(config)]) == 0
    assert "0 added, 1 updated, 0 unchanged" in capsys.readouterr().out


async def test_importing_an_export_again_adds_nobody(db_url: str) -> None:
    # A member who joined in the chat has no directory id: the export names them by number,
    # and importing that file again updates them instead of adding a copy.
    db = Database(db_url)
    await upgrade(db)
    async with db.session() as session:
        await import_directory(session, parse_directory(HEADER + GOOD))
        joined = await members.create_member_with_account(
            session,
            platform="telegram",
            user_id="77",
            chat_id="77",
            display_name="Ada",
            language="de",
        )
        await members.update_member(session, member_id=joined.id, organisation="Ada Recycling")
    async with db.session() as session:
        exported = export_directory(await members.list_members(session))
    assert f"member-{joined.id};" in exported
    edited = exported.replace("Ada Recycling", "Ada Recycling GmbH")
    async with db.session() as session:
        added = (await import_directory(session, parse_directory(edited.lstrip("\ufeff")))).added
    async with db.session() as session:
        everyone = await members.list_members(session)
    assert added == 0 and len(everyone) == 2
    assert {m.organisation for m in everyone} == {"Harz Metall GmbH", "Ada Recycling GmbH"}
    await db.close()


def test_cli_import_says_partner_search_finds_members_once_they_connect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # an imported member has no chat account: no request could reach them, so partner search
    # leaves them out until they connect; the operator is told so, with the way to invite them
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/x.db"\n')
    directory = tmp_path / "orgel.csv"
    directory.write_text(
        HEADER
        + 'o1,"Pfeifenbau (fiktiv)",company,Freiberg,Werkstatt,de,false,"Intonation","x"\n'
        + 'o2,"Windladen (fiktiv)",company,Dresden,Werkstatt,de,false,"Windladen","x"\n'
    )
    assert main(["import", "members", str(directory), "--config", str(config)]) == 0
    said = capsys.readouterr().out
    assert "2 added" in said, said
    assert "2 imported members have no chat account yet" in said, said
    assert "partner search" in said and "rewimet-bot invitations" in said, said


def test_a_directory_of_a_few_columns_imports_and_names_each_bad_row() -> None:
    # a new network's list: no city, role, languages, young_professional or bio
    rows = parse_directory("id,organisation,topics\nk-1,Mosterei Saaletal,Apfeltrester;Saft\n")
    (row,) = rows
    assert (row.organisation, row.kind, row.city, row.languages) == (
        "Mosterei Saaletal",
        "other",
        "",
        [],
    )
    assert row.topics == ["Apfeltrester", "Saft"] and not row.young_professional
    assert row.given == {"id", "organisation", "topics"}
    with pytest.raises(DirectoryImportError) as bad:
        parse_directory(
            "id;organisation;kind;email\nk-2;@Mosterei;company;a@b.example\n"
            "k-3;;association;c@d.example\nk-4;Kelterei Unstrut;;\n"
        )
    assert bad.value.problems == [
        "line 2: column organisation starts like a spreadsheet formula (=, +, -, @)",
        "line 3: organisation is empty",
    ]


async def test_a_file_without_a_column_leaves_what_is_stored_in_it(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    async with db.session() as session:
        await import_directory(session, parse_directory(HEADER + GOOD))
    async with db.session() as session:
        again = parse_directory("id,organisation,topics\nx1,Harz Metall GmbH,Kobalt;Lithium\n")
        await import_directory(session, again)
    async with db.session() as session:
        member = (await session.execute(select(Member))).scalar_one()
    assert member.topics == ["Kobalt", "Lithium"]  # the column the file has
    assert (member.city, member.role, member.kind, member.bio) == (
        "Goslar",
        "CEO",
        "company",
        "Bio",
    )
    assert member.languages == ["de", "en"]
    await db.close()


def test_a_member_without_a_language_reads_the_network_default(tmp_path: Path) -> None:
    # an English-speaking network's list without a languages column: its members are written
    # to in English (they had all been German), a row naming a language keeps it
    config = tmp_path / "config.toml"
    db_file = tmp_path / "x.db"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{db_file}"\n'
        '[network]\nname = "Harbour Circle"\ndefault_language = "en"\n'
    )
    directory = tmp_path / "members.csv"
    directory.write_text(
        "id,organisation,languages\nh1,Dock Works,\nh2,Hafen GmbH,fr;de\nh3,Quay Ltd,fr\n"
    )
    assert main(["import", "members", str(directory), "--config", str(config)]) == 0

    async def languages() -> dict[str, str]:
        db = Database(f"sqlite+aiosqlite:///{db_file}")
        async with db.session() as session:
            found = (await session.execute(select(Member))).scalars()
            result = {m.external_id or "": m.language for m in found}
        await db.close()
        return result

    import asyncio

    assert asyncio.run(languages()) == {"h1": "en", "h2": "de", "h3": "en"}


def test_a_row_with_more_or_fewer_cells_says_how_many_and_why() -> None:
    # German Excel separates by ";", so unquoted topics split into cells of their own
    text = (
        "id;organisation;kind;city;topics\n"
        "bn-14;Mühlenhof Klötze;company;Klötze;Gülle; Gärrest\n"
        "bn-15;Hof Kläden;company\n"
    )
    with pytest.raises(DirectoryImportError) as bad:
        parse_directory(text)
    assert bad.value.problems == [
        "line 2: 6 cells where the header has 5 columns: a cell holding “;” (a list of "
        'topics, a description) must be in double quotes, such as "topic A; topic B"',
        "line 3: 3 cells where the header has 5 columns",
    ]
    assert "muss in doppelten Anführungszeichen stehen" in bad.value.shown("de")[0]


def test_cli_import_of_a_windows_1252_file_says_to_save_it_as_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/x.db"\n')
    latin = tmp_path / "excel.csv"
    latin.write_bytes((HEADER + GOOD.replace("Harz", "Mühlen")).encode("cp1252"))
    assert main(["import", "members", str(latin), "--config", str(config)]) == 1
    said = capsys.readouterr().err
    assert "not text in UTF-8" in said and "save it as CSV UTF-8" in said, said
    assert "nothing imported" in said and "codec" not in said
