from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from handlers.members.directory_import import (
    DirectoryImportError,
    import_directory,
    parse_directory,
)
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Member

HEADER = "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
GOOD = 'x1,"Harz Metall GmbH",company,Goslar,CEO,de;en,false,"Kobalt;Nickel","Bio"\n'


def test_formula_cells_and_missing_columns_are_reported_with_lines() -> None:
    with pytest.raises(DirectoryImportError) as missing:
        parse_directory("id,organisation\nx,y\n")
    assert "line 1: missing column(s) kind" in missing.value.problems[0]
    bad = HEADER + GOOD + 'x2,"=HYPERLINK(""http://x"")",company,A,B,de,false,T,B\n'
    with pytest.raises(DirectoryImportError) as formula:
        parse_directory(bad)
    assert formula.value.problems == [
        "line 3: column organisation starts like a spreadsheet formula"
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
