from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

EXAMPLE = Path(__file__).parent.parent / "config.example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_is_valid_and_complete() -> None:
    settings = load_settings(EXAMPLE, env={})
    assert settings.network.timezone == "Europe/Berlin"
    assert settings.network.default_language == "de"
    assert not settings.telegram_enabled and not settings.matrix_enabled


def test_wrong_type_names_key_and_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[admins]\ntelegram = ["not a number"]\n')
    with pytest.raises(ConfigError) as error:
        load_settings(path, env={})
    message = str(error.value)
    assert str(path) in message and "admins.telegram" in message and "\n" not in message


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[network]\nname = "X"\ntimzone = "Europe/Berlin"\n')
    with pytest.raises(ConfigError, match=r"unknown key 'network\.timzone'"):
        load_settings(path, env={})


def test_unknown_time_zone(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"network\.timezone"):
        load_settings(write(tmp_path, '[network]\ntimezone = "Harz/Brocken"\n'), env={})


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[network\n"), env={})
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml", env={})


def test_secrets_from_environment_never_printed(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[matrix]\nhomeserver = "https://m.example.org"\nuser_id = "@bot:example.org"\n'
    )
    env = {
        "REWIMET_TELEGRAM_TOKEN": "123:SECRET",
        "REWIMET_MATRIX_ACCESS_TOKEN": "syt_SECRET",
        "REWIMET_TELEGRAM_WEBHOOK_SECRET": "hook-SECRET",
    }
    settings = load_settings(path, env=env)
    assert settings.telegram.webhook_secret is not None
    assert settings.telegram.webhook_secret.get_secret_value() == "hook-SECRET"
    assert settings.telegram_enabled and settings.matrix_enabled
    assert settings.telegram.token is not None
    assert settings.telegram.token.get_secret_value() == "123:SECRET"
    assert "SECRET" not in repr(settings) and "SECRET" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("web", "expected"),
    [
        ("enabled = true\nport = 8090\n", "http://127.0.0.1:8090"),
        ('listen = "10.1.2.3"\nport = 9443\n', "http://10.1.2.3:9443"),
        ('listen = "0.0.0.0"\nport = 8091\n', "http://127.0.0.1:8091"),
        ('listen = "::1"\nport = 8092\n', "http://[::1]:8092"),
        ("", "http://127.0.0.1:8080"),
        ('port = 8090\npublic_url = "https://bot.example.org"\n', "https://bot.example.org"),
    ],
)
def test_links_follow_the_configured_port_without_public_url(
    tmp_path: Path, web: str, expected: str
) -> None:
    settings = load_settings(write(tmp_path, f"[web]\n{web}"), env={})
    assert settings.web.public_url == expected
