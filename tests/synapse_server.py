"""A throwaway Synapse homeserver on 127.0.0.1 for the Matrix tests.

Writes a minimal config (SQLite, shared-secret registration, relaxed rate limits, no federation,
no presence, no URL previews), starts ``python -m synapse.app.homeserver`` in a subprocess and waits
until the client API answers. Needs no network beyond loopback, so it runs in CI on a fresh machine.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

SERVER_NAME = "localhost"

# Generous enough that no test ever meets a limit; the bot's own M_LIMIT_EXCEEDED handling is
# tested by lowering one limit for one user through the admin API instead.
_RELAXED = {"per_second": 10000, "burst_count": 100000}
_RATE_LIMITS: dict[str, Any] = {
    "rc_message": _RELAXED,
    "rc_registration": _RELAXED,
    "rc_registration_token_validity": _RELAXED,
    "rc_login": {"address": _RELAXED, "account": _RELAXED, "failed_attempts": _RELAXED},
    "rc_admin_redaction": _RELAXED,
    "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
    "rc_joins_per_room": _RELAXED,
    "rc_key_requests": _RELAXED,
    "rc_3pid_validation": _RELAXED,
    "rc_invites": {"per_room": _RELAXED, "per_user": _RELAXED, "per_issuer": _RELAXED},
    "rc_third_party_invite": _RELAXED,
    "rc_media_create": _RELAXED,
    "rc_presence": {"per_user": _RELAXED},
    "rc_delayed_event_mgmt": _RELAXED,
    "rc_room_creation": _RELAXED,
    "rc_reports": _RELAXED,
    "rc_user_directory": _RELAXED,
    "rc_profile": _RELAXED,
}


@dataclass(frozen=True)
class MatrixAccount:
    """A registered user with the session the registration created."""

    user_id: str
    localpart: str
    password: str
    access_token: str
    device_id: str


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _die_with_parent() -> None:
    """Linux: the homeserver gets SIGTERM when the test process dies, even by SIGKILL."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _signing_key_line() -> str:
    from signedjson.key import encode_signing_key_base64, generate_signing_key

    key = generate_signing_key("a_test")
    return f"ed25519 a_test {encode_signing_key_base64(key)}\n"


class SynapseServer:
    """One Synapse process with its config and data in `base_dir`."""

    def __init__(self, base_dir: Path, *, port: int | None = None) -> None:
        self.base_dir = base_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server_name = SERVER_NAME
        self.shared_secret = secrets.token_hex(16)
        self.config_path = base_dir / "homeserver.yaml"
        self.log_path = base_dir / "homeserver.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._counter = 0

    # --- lifecycle -------------------------------------------------------------------------

    def write_config(self) -> None:
        d = self.base_dir
        (d / "media").mkdir(parents=True, exist_ok=True)
        (d / "signing.key").write_text(_signing_key_line())
        log_config = {
            "version": 1,
            "formatters": {"f": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "f",
                    "filename": str(self.log_path),
                }
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }
        (d / "log.yaml").write_text(json.dumps(log_config))
        config: dict[str, Any] = {
            "server_name": self.server_name,
            "public_baseurl": self.url + "/",
            "pid_file": str(d / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "log_config": str(d / "log.yaml"),
            "media_store_path": str(d / "media"),
            "signing_key_path": str(d / "signing.key"),
            "registration_shared_secret": self.shared_secret,
            "macaroon_secret_key": secrets.token_hex(16),
            "form_secret": secrets.token_hex(16),
            "report_stats": False,
            "enable_registration": False,
            "enable_metrics": False,
            "url_preview_enabled": False,
            "presence": {"enabled": False},
            "federation_domain_whitelist": [],
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "allow_public_rooms_without_auth": False,
            "user_directory": {"enabled": True, "search_all_users": True},
            "max_upload_size": "10M",
            "bcrypt_rounds": 4,  # every registration and password login hashes: keep it cheap
            **_RATE_LIMITS,
        }
        # JSON is YAML: no PyYAML needed to write it.
        self.config_path.write_text(json.dumps(config, indent=1))

    def start(self, timeout: float = 60.0) -> None:
        """Start the homeserver and wait until the client API answers."""
        self.base_dir.mkdir(parents=True, exist_ok=True)
        if not self.config_path.exists():
            self.write_config()
        out = (self.base_dir / "stdout.log").open("wb")
        env = dict(os.environ)
        self._process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.base_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        out.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                code = self._process.returncode
                raise RuntimeError(f"Synapse exited with {code}:\n{self.logs()}")
            try:
                with urllib.request.urlopen(self.url + "/_matrix/client/versions", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"Synapse did not answer within {timeout} s:\n{self.logs()}")

    def stop(self) -> None:
        """Stop the homeserver (SIGTERM, then SIGKILL after 10 s)."""
        proc, self._process = self._process, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port with the same data (a connection loss)."""
        self.stop()
        self.start()

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def logs(self) -> str:
        parts = []
        for name in ("stdout.log", "homeserver.log"):
            path = self.base_dir / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-5000:])
        return "\n".join(parts)

    # --- users -----------------------------------------------------------------------------

    def user_id(self, localpart: str) -> str:
        return f"@{localpart}:{self.server_name}"

    def unique_localpart(self, prefix: str) -> str:
        """A fresh localpart, so tests sharing one server never collide."""
        self._counter += 1
        return f"{prefix}{self._counter}_{secrets.token_hex(3)}"

    def _registration_body(
        self, nonce: str, localpart: str, password: str, admin: bool, displayname: str | None
    ) -> dict[str, Any]:
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), localpart.encode(), password.encode()]))
        mac.update(b"\x00admin" if admin else b"\x00notadmin")
        body: dict[str, Any] = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        if displayname:
            body["displayname"] = displayname
        return body

    def register(
        self,
        localpart: str,
        *,
        password: str | None = None,
        admin: bool = False,
        displayname: str | None = None,
    ) -> MatrixAccount:
        """Register a user by shared secret (blocking; use `aregister` inside async tests)."""
        password = password or secrets.token_hex(8)
        endpoint = self.url + "/_synapse/admin/v1/register"
        with urllib.request.urlopen(endpoint, timeout=10) as resp:
            nonce = json.load(resp)["nonce"]
        body = self._registration_body(nonce, localpart, password, admin, displayname)
        request = urllib.request.Request(
            endpoint,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as resp:
            data = json.load(resp)
        return MatrixAccount(
            data["user_id"], localpart, password, data["access_token"], data["device_id"]
        )

    async def aregister(
        self,
        localpart: str,
        *,
        password: str | None = None,
        admin: bool = False,
        displayname: str | None = None,
    ) -> MatrixAccount:
        """Register a user by shared secret."""
        password = password or secrets.token_hex(8)
        endpoint = self.url + "/_synapse/admin/v1/register"
        async with aiohttp.ClientSession() as http:
            async with http.get(endpoint) as resp:
                resp.raise_for_status()
                nonce = (await resp.json())["nonce"]
            body = self._registration_body(nonce, localpart, password, admin, displayname)
            async with http.post(endpoint, json=body) as resp:
                resp.raise_for_status()
                data = await resp.json()
        return MatrixAccount(
            data["user_id"], localpart, password, data["access_token"], data["device_id"]
        )

    async def admin_request(
        self,
        method: str,
        path: str,
        admin_token: str,
        body: dict[str, Any] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """A raw request to the client or admin API with `admin_token`."""
        async with (
            aiohttp.ClientSession() as http,
            http.request(
                method,
                self.url + path,
                json=body,
                headers={"Authorization": f"Bearer {admin_token}"},
            ) as resp,
        ):
            data = await resp.json(content_type=None)
            return resp.status, data if isinstance(data, dict) else {"result": data}

    async def override_ratelimit(
        self, admin_token: str, user_id: str, per_second: int = 0, burst: int = 0
    ) -> None:
        """Lift (0, 0) or set the message rate limit of one user via the admin API."""
        path = f"/_synapse/admin/v1/users/{urllib.parse.quote(user_id)}/override_ratelimit"
        status, data = await self.admin_request(
            "POST",
            path,
            admin_token,
            {"messages_per_second": per_second, "burst_count": burst},
        )
        if status != 200:
            raise RuntimeError(f"override_ratelimit failed: {status} {data}")
