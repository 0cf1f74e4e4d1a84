"""The Matrix account and device: options, login, and the session kept next to the key store.

The device id and its encryption store (``<store_path>/<user>_<device>.db``) belong together: a
new device with an old store, or the reverse, cannot decrypt. So the session (user id, device id,
and the access token when logged in by password) lives in ``<store_path>/session.json``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import aiohttp
from nio import (
    AsyncClient,
    AsyncClientConfig,
    KeysUploadResponse,
    LocalProtocolError,
    LoginResponse,
    WhoamiResponse,
)

from bot.config import MatrixSettings, NetworkSettings

log = logging.getLogger(__name__)

TrustPolicy = Literal["tofu", "verified_only"]


@dataclass(frozen=True)
class MatrixOptions:
    """What the transport needs from the `[matrix]` settings (secrets as plain strings here)."""

    homeserver: str
    user_id: str
    password: str | None = None
    access_token: str | None = None
    device_name: str = "rewimet-bot"
    store_path: Path = Path("matrix-store")
    encryption: bool = True
    trust: TrustPolicy = "tofu"
    rooms: tuple[str, ...] = ()  # room ids or aliases the bot joins and accepts invites to
    sync_timeout_ms: int = 30_000
    timeline_limit: int = 50
    reaction_buttons: bool = True  # pre-add keycap reactions under numbered choices
    messages_per_second: float = (
        5.0  # Synapse's default rc_message is 0.2: see docs/matrix.md "Rate limits"
    )
    request_timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: MatrixSettings, network: NetworkSettings) -> MatrixOptions:
        """The options from the validated `[matrix]` section (secrets unwrapped here only);
        the device is named after the network unless `device_name` says otherwise."""
        if not settings.homeserver or not settings.user_id:
            raise ValueError("[matrix] needs homeserver and user_id")
        return cls(
            homeserver=settings.homeserver,
            user_id=settings.user_id,
            password=settings.password.get_secret_value() if settings.password else None,
            access_token=(
                settings.access_token.get_secret_value() if settings.access_token else None
            ),
            device_name=settings.device_name or network.device_name,
            store_path=Path(settings.store_path),
            encryption=settings.encryption,
            trust=settings.trust,
            rooms=configured_rooms(settings),
            messages_per_second=settings.messages_per_second,
        )


def configured_rooms(settings: MatrixSettings) -> tuple[str, ...]:
    """Every room the config names (aliases or ids), each once: the bot belongs in all of them."""
    named = [*settings.rooms, *settings.announcement_rooms]
    if settings.young_professionals_room:
        named.append(settings.young_professionals_room)
    return tuple(dict.fromkeys(named))


class MatrixSession:
    """Logs the bot in on its one stable device and keeps that device's session."""

    def __init__(self, options: MatrixOptions, keys_lock: asyncio.Lock) -> None:
        self.options = options
        self.keys_lock = keys_lock

    def session_file(self) -> Path:
        return self.options.store_path / "session.json"

    async def login(self) -> AsyncClient:
        """A logged-in client: the stored session, the configured token, or a password login."""
        opts = self.options
        config = AsyncClientConfig(
            encryption_enabled=opts.encryption,
            store_sync_tokens=False,  # the bot stores its own token, after handling a batch
            max_limit_exceeded=0,  # 429s come back to us: the delivery worker waits them out
            max_timeouts=0,
            request_timeout=opts.request_timeout,
        )
        saved = await asyncio.to_thread(self._read_session)
        if saved and saved.get("user_id") != opts.user_id:
            saved = None
        if opts.access_token and saved and saved.get("access_token") != opts.access_token:
            saved = None  # the operator gave a new token: its device is whatever whoami says
        device_id = saved.get("device_id") if saved else None
        client = AsyncClient(
            opts.homeserver,
            opts.user_id,
            device_id=device_id or "",
            store_path=str(opts.store_path),
            config=config,
        )
        token = opts.access_token or (saved.get("access_token") if saved else None)
        if token:
            client.access_token = token
            who = await client.whoami()
            if isinstance(who, WhoamiResponse):
                if who.user_id != opts.user_id:
                    await client.close()
                    raise RuntimeError(f"access token belongs to {who.user_id}, not {opts.user_id}")
                device_id = who.device_id or device_id
                if not device_id:
                    await client.close()
                    raise RuntimeError("the access token has no device; log in by password")
                client.restore_login(opts.user_id, device_id, token)
                await asyncio.to_thread(self._write_session, device_id, token)
                log.info("matrix: restored session of %s, device %s", opts.user_id, device_id)
                return client
            if opts.access_token or not opts.password:
                await client.close()
                raise RuntimeError(f"matrix login with the access token failed: {who}")
            log.warning("matrix: stored token rejected (%s), logging in again", who)
        if not opts.password:
            await client.close()
            raise RuntimeError("matrix: neither access_token nor password is configured")
        client.access_token = ""
        resp = await client.login(opts.password, device_name=opts.device_name)
        if not isinstance(resp, LoginResponse):
            await client.close()
            raise RuntimeError(f"matrix login failed: {resp}")
        await asyncio.to_thread(self._write_session, resp.device_id, resp.access_token)
        if device_id:
            await self.republish_device_keys(client)
        log.info("matrix: logged in as %s, device %s", resp.user_id, resp.device_id)
        return client

    async def republish_device_keys(self, client: AsyncClient) -> None:
        """After logging in again on a known device, publish its (unchanged) keys once more.

        A revoked session usually means the server deleted the device and its keys; the key
        store still holds them, and without this members could not encrypt for the bot.
        """
        if client.olm is None:
            return
        client.olm.account.shared = False
        async with self.keys_lock:
            try:
                resp = await client.keys_upload()
            except (aiohttp.ClientError, TimeoutError, LocalProtocolError) as exc:
                resp = exc
            if not isinstance(resp, KeysUploadResponse):
                log.warning("matrix: publishing the device keys failed: %s", resp)

    async def relogin(self, client: AsyncClient) -> None:
        """The token was revoked while running: log in again on the same device, if we can."""
        if not self.options.password or self.options.access_token:
            log.error("matrix: the access token was revoked; configure a new one")
            return
        resp = await client.login(self.options.password, device_name=self.options.device_name)
        if isinstance(resp, LoginResponse):
            await asyncio.to_thread(self._write_session, resp.device_id, resp.access_token)
            await self.republish_device_keys(client)
            log.info("matrix: logged in again, device %s", resp.device_id)
        else:
            log.warning("matrix: logging in again failed: %s", resp)

    def _read_session(self) -> dict[str, str] | None:
        path = self.session_file()
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        return data if isinstance(data, dict) else None

    def _write_session(self, device_id: str, access_token: str) -> None:
        path = self.session_file()
        data = {"user_id": self.options.user_id, "device_id": device_id}
        if not self.options.access_token:  # a configured token stays in the configuration
            data["access_token"] = access_token
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh)
        tmp.replace(path)
