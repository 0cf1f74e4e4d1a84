"""Another network's name stands where the bot names itself to the outside: its welcome
(no tagline of REWIMET's), its calendar files, its Matrix device and its start log line.
REWIMET's own config (the defaults) keeps its words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.config import NetworkSettings, parse_settings
from bot.i18n import t, use_network
from bot.messages import plain_text
from bot.transports.matrix import MatrixOptions
from handlers.events.calendar import build_ics

ORGEL = {"name": "Orgelbau-Verbund Sachsen (fiktiv) e. V.", "short_name": "Orgelverbund"}
MATRIX = {"homeserver": "https://matrix.example.org", "user_id": "@bot:example.org"}


@pytest.fixture
def named() -> Iterator[None]:
    yield
    rewimet = NetworkSettings()
    use_network(rewimet.name, rewimet.short_name, rewimet.taglines(), rewimet.office_names())


def _use(network: NetworkSettings) -> None:
    use_network(network.name, network.short_name, network.taglines(), network.office_names())


@pytest.mark.parametrize("lang", ["de", "en"])
def test_another_network_is_welcomed_without_rewimets_tagline(named: None, lang: str) -> None:
    _use(NetworkSettings(**ORGEL))
    welcome = plain_text(t(lang, "onboarding.welcome"))
    assert "Orgelbau-Verbund Sachsen (fiktiv) e. V.!" in welcome, welcome
    assert "etal" not in welcome and "Recycling" not in welcome, welcome


def test_a_configured_tagline_follows_the_name(named: None) -> None:
    _use(NetworkSettings(**ORGEL, tagline={"de": "dem Netzwerk der Orgelbauer"}))
    assert "Sachsen (fiktiv) e. V., dem Netzwerk der Orgelbauer!" in plain_text(
        t("de", "onboarding.welcome")
    )


def test_rewimet_keeps_its_tagline(named: None) -> None:
    _use(NetworkSettings())
    assert "REWIMET e. V., dem Recyclingcluster wirtschaftsstrategische Metalle!" in plain_text(
        t("de", "onboarding.welcome")
    )


def _prodid() -> str:
    ics = build_ics([], tz=NetworkSettings().tz, now=datetime(2026, 1, 1, tzinfo=UTC), lang="de")
    return next(line for line in ics.decode().splitlines() if line.startswith("PRODID"))


def test_calendar_files_name_the_network_that_made_them(named: None) -> None:
    _use(NetworkSettings(**ORGEL))
    assert "Orgelbau-Verbund Sachsen (fiktiv) e. V." in _prodid()
    assert "REWIMET" not in _prodid()
    _use(NetworkSettings())
    assert _prodid() == "PRODID:-//REWIMET e. V.//Mitglieder-Bot//DE"


def test_the_matrix_device_is_named_after_the_network() -> None:
    other = parse_settings({"network": ORGEL, "matrix": MATRIX}, source="test", env={})
    device = MatrixOptions.from_settings(other.matrix, other.network).device_name
    assert "orgelverbund" in device.lower() and "rewimet" not in device.lower()
    rewimet = parse_settings({"matrix": MATRIX}, source="test", env={})
    assert MatrixOptions.from_settings(rewimet.matrix, rewimet.network).device_name == "rewimet-bot"
    chosen = parse_settings(
        {"network": ORGEL, "matrix": {**MATRIX, "device_name": "Orgel-Bot Dresden"}},
        source="test",
        env={},
    )
    assert MatrixOptions.from_settings(chosen.matrix, chosen.network).device_name == (
        "Orgel-Bot Dresden"
    )


def test_files_the_bot_hands_out_are_named_after_the_network(named: None) -> None:
    from bot.i18n import file_prefix

    _use(NetworkSettings(**ORGEL))
    assert file_prefix() == "orgelverbund"
    _use(NetworkSettings(name="Kreis Süd (fiktiv) e. V.", short_name="Kreis Süd / Nord"))
    assert file_prefix() == "kreis-sud-nord"
    _use(NetworkSettings())
    assert file_prefix() == "rewimet"
