"""Operations: the health endpoint and the config check, as the operator uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import aiohttp
import pytest

from bot.app import build_app
from bot.cli import main
from bot.config import parse_settings
from bot.transports.console import ConsoleTransport


async def test_healthz_reports_database_and_transports(tmp_path: Path) -> None:
    settings = parse_settings(
        {
            "database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"},
            "health": {"enabled": True, "port": 0},
        },
        source="test",
        env={},
    )
    app = await build_app(settings, transports=[ConsoleTransport(user_id="x")])
    await app.start()
    assert app.health is not None
    try:
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{app.health.port}/healthz"
            async with http.get(url) as response:
                assert response.status == 200
                body = await response.json()
        assert body == {"ok": True, "database": True, "transports": {"console": True}}
        await app.services.db.engine.dispose()
        app.services.db.url = "broken"
        (tmp_path / "h.db").unlink()
        (tmp_path / "h.db").mkdir()  # the database file is gone and cannot come back
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            assert response.status == 503
            assert json.loads(await response.text())["database"] is False
    finally:
        await app.stop()


def test_check_reports_each_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/c.db"\n')
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "config: ok" in out and "database: ok" in out
    assert "telegram: not configured" in out and "matrix: not configured" in out
    assert "matching: glossary: ok (the bundled REWIMET glossary" in out
    # A resource is named with how to install it; a missing one is not a failure.
    assert re.search(r"matching: trans-de-en: (ok|missing \(.*apt-get install trans-de-en\))", out)
    glossary = tmp_path / "glossary.txt"
    glossary.write_text("# a network of its own\nbrewing: Brauerei | brewery | Sudhaus\n")
    own = tmp_path / "own.toml"
    own.write_text(config.read_text() + f'[network]\nglossary = "{glossary}"\n')
    assert main(["check", "--config", str(own)]) == 0
    assert f"matching: glossary: ok ({glossary};" in capsys.readouterr().out
    glossary.write_text("this line is no concept\n")
    assert main(["check", "--config", str(own)]) == 1
    assert "matching: glossary: FAILED" in capsys.readouterr().out
    missing = tmp_path / "missing.toml"
    missing.write_text(config.read_text() + '[network]\nglossary = "/nonexistent/g.txt"\n')
    assert main(["check", "--config", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "key 'network.glossary': glossary file '/nonexistent/g.txt' not found" in err, err
    assert "Value error" not in err  # the check's own words, not the library's
    bad = tmp_path / "bad.toml"
    bad.write_text("[database]\nurl = 5\n")
    assert main(["check", "--config", str(bad)]) == 2
    assert "key 'database.url'" in capsys.readouterr().err


async def test_configured_platforms_get_their_transports(tmp_path: Path) -> None:
    from bot.app import platform_transports

    raw: dict[str, object] = {
        "database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"},
        "matrix": {"homeserver": "http://127.0.0.1:1", "user_id": "@bot:localhost"},
    }
    env = {"REWIMET_TELEGRAM_TOKEN": "123:abc", "REWIMET_MATRIX_PASSWORD": "pw"}
    app = await build_app(parse_settings(raw, source="test", env=env))
    assert sorted(str(t.platform) for t in app.transports) == ["matrix", "telegram"]
    none = await build_app(parse_settings({"database": raw["database"]}, source="t", env={}))
    assert none.transports == [] and platform_transports(none.services) == []
    await app.services.db.close()
    await none.services.db.close()


async def test_a_dashboard_on_a_picked_port_links_to_that_port(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from handlers.members.dashboard import sign_in_link
    from storage import members

    settings = parse_settings(
        {
            "database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'w.db'}"},
            "web": {"enabled": True, "listen": "0.0.0.0", "port": 0},
        },
        source="test",
        env={},
    )
    app = await build_app(settings, transports=[ConsoleTransport(user_id="x")])
    await app.start()
    assert app.web is not None
    try:
        public = app.services.settings.web.public_url
        assert public == f"http://127.0.0.1:{app.web.port}"
        async with app.services.db.session() as session:
            admin = await members.add_directory_member(
                session, external_id="a", organisation="Office", language="en", is_admin=True
            )
        link = await sign_in_link(app.services, admin.id)
        assert link.startswith(f"{public}/login/")
        async with aiohttp.ClientSession() as http, http.get(link) as response:
            assert response.status == 200  # the page with the sign-in button
        # listening on every address, links name this machine: the log says to set public_url
        assert "has no public_url" in caplog.text
    finally:
        await app.stop()
