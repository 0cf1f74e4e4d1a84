"""Typed settings: `config.toml` validated by pydantic, secrets from the environment."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

TELEGRAM_TOKEN_ENV = "REWIMET_TELEGRAM_TOKEN"
MATRIX_PASSWORD_ENV = "REWIMET_MATRIX_PASSWORD"
MATRIX_TOKEN_ENV = "REWIMET_MATRIX_ACCESS_TOKEN"
WEBHOOK_SECRET_ENV = "REWIMET_TELEGRAM_WEBHOOK_SECRET"


class ConfigError(Exception):
    """A configuration problem, said in one line for the operator."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# How REWIMET's texts name its office, and how any other network's do unless it configures
# its own (`[network] office`).
REWIMET_OFFICE = {"de": "Clustergeschäftsstelle", "en": "cluster office"}
NEUTRAL_OFFICE = {"de": "Geschäftsstelle", "en": "office"}
REWIMET_TAGLINE = {
    "de": "dem Recyclingcluster wirtschaftsstrategische Metalle",
    "en": "the recycling cluster for economically strategic metals",
}


class NetworkSettings(_Section):
    # How the network is named in the bot's texts: `name` in greetings, `short_name` where
    # it stands as a brand ("partner request via …", the calendar's name); `tagline` (per
    # language, written to follow the name after a comma) says what the network is.
    name: str = Field(default="REWIMET e. V.", min_length=1, max_length=80)
    short_name: str = Field(default="REWIMET", min_length=1, max_length=40)
    # The network's own field vocabulary for the matching engines (bot/textmatch/thesaurus.py
    # has the format); unset: REWIMET's, shipped with the bot.
    glossary: Path | None = None
    # Unset: REWIMET's for REWIMET, else none (another network's welcome names it alone).
    tagline: dict[str, str] | None = None
    # How the texts name the network's office ("Ihre Frage liegt bei der …", "passed on to
    # the …"), per language: German a feminine noun, as it follows "die"/"der". Unset: REWIMET's
    # for REWIMET, else a neutral "Geschäftsstelle" / "office".
    office: dict[str, str] | None = None
    timezone: str = "Europe/Berlin"
    default_language: Literal["de", "en"] = "de"

    @field_validator("tagline")
    @classmethod
    def _tagline_languages(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        unknown = sorted(set(value) - {"de", "en"})
        if unknown:
            raise ValueError(f"tagline languages are de and en, not {', '.join(unknown)}")
        return value

    @field_validator("office")
    @classmethod
    def _office_languages(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return None
        unknown = sorted(set(value) - {"de", "en"})
        if unknown:
            raise ValueError(f"office languages are de and en, not {', '.join(unknown)}")
        if not all(name.strip() and len(name) <= 80 for name in value.values()):
            raise ValueError("an office name is 1 to 80 characters")
        return value

    def office_names(self) -> dict[str, str]:
        """The office's name per language: as configured, else REWIMET's for REWIMET (the
        defaults), else neutral."""
        if self.office is not None:
            return {**NEUTRAL_OFFICE, **self.office}
        return dict(REWIMET_OFFICE) if self.is_rewimet else dict(NEUTRAL_OFFICE)

    def taglines(self) -> dict[str, str]:
        """What follows the name in the welcome, per language: as configured, else REWIMET's
        for REWIMET (the defaults), else nothing."""
        if self.tagline is not None:
            return dict(self.tagline)
        return dict(REWIMET_TAGLINE) if self.is_rewimet else {}

    @property
    def is_rewimet(self) -> bool:
        """Whether the names are REWIMET's own (the defaults): its words are then kept."""
        default = NetworkSettings.model_fields
        return (self.name, self.short_name) == (
            default["name"].default,
            default["short_name"].default,
        )

    @property
    def device_name(self) -> str:
        """The bot's name on a platform that lists it (a Matrix session): `rewimet-bot` for
        REWIMET, the short name's for another network."""
        return "-".join([*self.short_name.lower().split(), "bot"])

    @field_validator("glossary")
    @classmethod
    def _readable_glossary(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"glossary file {str(value)!r} not found")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///rewimet.db"


class AdminSettings(_Section):
    telegram: list[int] = Field(default_factory=list)
    matrix: list[str] = Field(default_factory=list)
    console: list[str] = Field(default_factory=list)


class TelegramSettings(_Section):
    token: SecretStr | None = None
    base_url: str | None = None
    base_file_url: str | None = None  # default: beside base_url (…/file/bot)
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    announcement_chats: list[int] = Field(default_factory=list)
    young_professionals_chat: int | None = None
    # The bot's @username (without @) for invitation links (https://t.me/NAME?start=CODE);
    # the running bot learns it from Telegram, the command line needs it from here.
    username: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


class MatrixSettings(_Section):
    homeserver: str | None = None
    user_id: str | None = None
    password: SecretStr | None = None
    access_token: SecretStr | None = None
    # Unset: the network's (`NetworkSettings.device_name`): "rewimet-bot" for REWIMET.
    device_name: str | None = None
    store_path: str = "matrix-store"
    encryption: bool = True
    trust: Literal["tofu", "verified_only"] = "tofu"
    rooms: list[str] = Field(default_factory=list)
    announcement_rooms: list[str] = Field(default_factory=list)
    young_professionals_room: str | None = None
    messages_per_second: float = 5.0


class LimitsSettings(_Section):
    flood_messages_per_minute: int = Field(default=30, ge=1)
    flood_burst: int = Field(default=20, ge=1)
    max_message_chars: int = Field(default=4000, ge=100)


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["text", "json"] = "text"


class HealthSettings(_Section):
    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)


class WebSettings(_Section):
    """The dashboard for the office (web/), served by the bot's own process."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    # The address admins open (usually a TLS reverse proxy in front of listen:port); sign-in
    # links are built from it, and an https address makes the session cookie Secure. Unset:
    # http://listen:port (127.0.0.1 for a listen on every address), so links follow the port.
    public_url: str = "http://127.0.0.1:8080"
    # A session ends after this long without a request.
    idle_minutes: int = Field(default=60, ge=5, le=24 * 60)
    # Sign-in links work once, for this long.
    link_minutes: int = Field(default=10, ge=1, le=60)

    @model_validator(mode="before")
    @classmethod
    def _public_url_from_listen(cls, data: object) -> object:
        """Without `public_url`, links point where the bot listens, not to a fixed 8080."""
        if isinstance(data, dict) and "public_url" not in data:
            listen = data.get("listen", "127.0.0.1")
            port = data.get("port", 8080)
            if isinstance(listen, str) and isinstance(port, int):
                return {**data, "public_url": local_url(listen, port)}
        return data


WILDCARD_ADDRESSES = frozenset({"", "0.0.0.0", "::", "[::]"})


def local_url(listen: str, port: int) -> str:
    """The http address of `listen:port`, as a browser on this machine opens it."""
    host = "127.0.0.1" if listen in WILDCARD_ADDRESSES else listen
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{port}"


class EventsSettings(_Section):
    # Reminders to confirmed attendees, in hours before the start (default 7 days and 1 day).
    reminder_hours: list[int] = Field(default_factory=lambda: [168, 24])
    # A job missed while the bot was down still runs at start within this window, else the
    # admins are told instead.
    missed_grace_minutes: int = Field(default=120, ge=0)
    # How often freed places (e.g. after /forget) and lapsed offers are checked.
    sweep_minutes: int = Field(default=5, ge=1)


class Settings(_Section):
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    admins: AdminSettings = Field(default_factory=AdminSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    matrix: MatrixSettings = Field(default_factory=MatrixSettings)
    limits: LimitsSettings = Field(default_factory=LimitsSettings)
    logging: LoggingSettings = Field(default_factory=LoggingSettings)
    health: HealthSettings = Field(default_factory=HealthSettings)
    events: EventsSettings = Field(default_factory=EventsSettings)
    web: WebSettings = Field(default_factory=WebSettings)

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram.token is not None

    @property
    def matrix_enabled(self) -> bool:
        has_secret = self.matrix.password is not None or self.matrix.access_token is not None
        return bool(self.matrix.homeserver and self.matrix.user_id and has_secret)


def _with_secrets(raw: dict[str, object], env: dict[str, str]) -> dict[str, object]:
    """Secrets belong in the environment; a value there wins over the file."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in raw.items()}
    for section, key, name in (
        ("telegram", "token", TELEGRAM_TOKEN_ENV),
        ("matrix", "password", MATRIX_PASSWORD_ENV),
        ("matrix", "access_token", MATRIX_TOKEN_ENV),
        ("telegram", "webhook_secret", WEBHOOK_SECRET_ENV),
    ):
        if env.get(name):
            table = merged.setdefault(section, {})
            if isinstance(table, dict):
                table[key] = env[name]
    return merged


def _first_error(exc: ValidationError, source: str) -> str:
    error = exc.errors()[0]
    key = ".".join(str(part) for part in error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{source}: unknown key '{key}'"
    if kind == "missing":
        return f"{source}: missing key '{key}'"
    # a check of ours raised ValueError: its own words, without pydantic's "Value error, "
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{source}: key '{key}': {message}"


def parse_settings(raw: dict[str, object], *, source: str, env: dict[str, str]) -> Settings:
    try:
        return Settings.model_validate(_with_secrets(raw, env))
    except ValidationError as exc:
        raise ConfigError(_first_error(exc, source)) from None


def load_settings(path: Path | None, env: dict[str, str] | None = None) -> Settings:
    """Read and validate the config file; raises `ConfigError` with one readable line."""
    environment = dict(os.environ) if env is None else env
    if path is None:
        return parse_settings({}, source="defaults", env=environment)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return parse_settings(raw, source=str(path), env=environment)
