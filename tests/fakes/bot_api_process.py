"""The Bot API fake in its own process, steered over HTTP.

A benchmark that pushes thousands of messages a second, or kills and restarts the bot, runs the
fake apart from the bot: the fake's CPU is then not the bot's, and it outlives a killed bot.

    async with FakeBotApiProcess() as fake:      # spawns `python -m tests.fakes.bot_api_process`
        ... ApplicationBuilder().base_url(fake.base_url) ...   (in this or another process)
        await fake.fail_share(0.05, [Fault.too_many(1), Fault.bad_gateway()], seed=1)
        calls = await fake.calls("sendMessage", ok=True)

Control API (JSON), next to the Bot API on the same port: POST /_fake/fail_next, /_fake/fail_share,
/_fake/clear_faults, /_fake/block, /_fake/limits, /_fake/update, /_fake/private_message,
/_fake/clear_calls; GET /_fake/calls?method=&ok=&since=, /_fake/stats.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import ClientSession, web

from tests.fakes.faults import Fault, Limits
from tests.fakes.tg_objects import JSON

TOKEN = "123456:TEST-TOKEN"
ROOT = Path(__file__).resolve().parents[2]  # the child runs `-m tests.fakes...` from here

if TYPE_CHECKING:  # bot_api imports this module when asked for control routes
    from tests.fakes.bot_api import FakeBotApi


def add_control_routes(app: web.Application, fake: FakeBotApi) -> None:
    async def body(request: web.Request) -> JSON:
        data = await request.json()
        return data if isinstance(data, dict) else {}

    def faults(raw: list[JSON]) -> list[Fault]:
        return [Fault(**item) for item in raw]

    async def fail_next(request: web.Request) -> web.Response:
        data = await body(request)
        fake.fail_next(data["count"], *faults(data["faults"]), methods=data.get("methods"))
        return web.json_response(True)

    async def fail_share(request: web.Request) -> web.Response:
        data = await body(request)
        fake.fail_share(
            data["share"], *faults(data["faults"]), methods=data.get("methods"),
            seed=data.get("seed"),
        )  # fmt: skip
        return web.json_response(True)

    async def clear_faults(_request: web.Request) -> web.Response:
        fake.faults.clear()
        fake.blocked.clear()
        return web.json_response(True)

    async def block(request: web.Request) -> web.Response:
        fake.block((await body(request))["chat_id"])
        return web.json_response(True)

    async def limits(request: web.Request) -> web.Response:
        data = await request.json()
        fake.set_limits(Limits(**data) if data else None)
        return web.json_response(True)

    async def update(request: web.Request) -> web.Response:
        return web.json_response(fake.queue_update((await body(request))["body"]))

    async def private_message(request: web.Request) -> web.Response:
        data = await body(request)
        return web.json_response(
            fake.private_message(data.pop("user_id"), data.pop("text"), **data)
        )

    async def clear_calls(_request: web.Request) -> web.Response:
        fake.calls.clear()
        return web.json_response(True)

    async def calls(request: web.Request) -> web.Response:
        method = request.query.get("method", "").lower()
        ok = request.query.get("ok")
        since = int(request.query.get("since", "0"))
        found = [
            {"index": index, "method": c.method, "params": c.params, "status": c.status, "at": c.at}
            for index, c in enumerate(fake.calls[since:], start=since)
            if (not method or c.method.lower() == method) and (ok is None or c.ok == (ok == "true"))
        ]
        return web.json_response(found)

    async def stats(_request: web.Request) -> web.Response:
        counts = Counter(f"{c.method}:{c.status}" for c in fake.calls)
        return web.json_response(
            {
                "calls": len(fake.calls),
                "by_method_status": dict(counts),
                "faults_injected": fake.faults.injected,
                "pending_updates": len(fake.pending_updates),
            }
        )

    for path, handler in {
        "fail_next": fail_next,
        "fail_share": fail_share,
        "clear_faults": clear_faults,
        "block": block,
        "limits": limits,
        "update": update,
        "private_message": private_message,
        "clear_calls": clear_calls,
    }.items():
        app.router.add_post(f"/_fake/{path}", handler)
    app.router.add_get("/_fake/calls", calls)
    app.router.add_get("/_fake/stats", stats)


class FakeBotApiProcess:
    """Spawns the fake in a child process and steers it through the control API."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.port = 0
        self._process: asyncio.subprocess.Process | None = None
        self._session: ClientSession | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def __aenter__(self) -> FakeBotApiProcess:
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.fakes.bot_api_process", "--token", self.token,
            cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 30)
        self.port = int(line.decode().strip())
        self._session = ClientSession()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._process.wait(), 10)

    async def _post(self, path: str, data: object) -> Any:
        assert self._session is not None
        async with self._session.post(f"http://127.0.0.1:{self.port}/_fake/{path}", json=data) as r:
            r.raise_for_status()
            return await r.json()

    async def fail_next(
        self, count: int, faults: list[Fault], methods: list[str] | None = None
    ) -> None:
        await self._post(
            "fail_next", {"count": count, "faults": [asdict(f) for f in faults], "methods": methods}
        )

    async def fail_share(
        self, share: float, faults: list[Fault], methods: list[str] | None = None,
        seed: int | None = None,
    ) -> None:  # fmt: skip
        data = {"share": share, "faults": [asdict(f) for f in faults], "methods": methods}
        await self._post("fail_share", {**data, "seed": seed})

    async def clear_faults(self) -> None:
        await self._post("clear_faults", {})

    async def block(self, chat_id: int | str) -> None:
        await self._post("block", {"chat_id": chat_id})

    async def set_limits(self, limits: Limits | None) -> None:
        await self._post("limits", asdict(limits) if limits else None)

    async def queue_update(self, body: JSON) -> JSON:
        result: JSON = await self._post("update", {"body": body})
        return result

    async def private_message(self, user_id: int, text: str, **kwargs: Any) -> JSON:
        result: JSON = await self._post(
            "private_message", {"user_id": user_id, "text": text, **kwargs}
        )
        return result

    async def clear_calls(self) -> None:
        await self._post("clear_calls", {})

    async def calls(
        self, method: str = "", *, ok: bool | None = None, since: int = 0
    ) -> list[JSON]:
        """Recorded calls (params without uploaded files), oldest first."""
        assert self._session is not None
        query = {"method": method, "since": str(since)}
        if ok is not None:
            query["ok"] = "true" if ok else "false"
        url = f"http://127.0.0.1:{self.port}/_fake/calls"
        async with self._session.get(url, params=query) as response:
            response.raise_for_status()
            found: list[JSON] = await response.json()
            return found

    async def stats(self) -> JSON:
        assert self._session is not None
        async with self._session.get(f"http://127.0.0.1:{self.port}/_fake/stats") as response:
            result: JSON = await response.json()
            return result


async def _serve(token: str, port: int) -> None:
    from tests.fakes.bot_api import FakeBotApi

    fake = FakeBotApi(token)
    await fake.start(port=port, control=True)
    print(fake.port, flush=True)  # the parent reads the port from the first line
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="Telegram Bot API fake with a control API")
    parser.add_argument("--token", default=TOKEN)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.token, args.port))


if __name__ == "__main__":
    main()
