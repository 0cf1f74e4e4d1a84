"""python-telegram-bot's HTTP requests on aiohttp instead of httpx.

PTB lets the HTTP client be swapped (`BaseRequest`). Its default, httpx, costs about 3 ms of
CPU per Bot API call here; aiohttp (already ours, for the webhook and for matrix-nio) about a
fifth of that, which decides how fast a broadcast drains and how many updates a second the bot
answers (bench/telegram_throughput.py, bench/broadcast.py). Calls without files go out as a
JSON body (the Bot API accepts it) rather than a form, whose URL-encoding is slow Python; files
as multipart, as with httpx.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

CONNECT_TIMEOUT = 5.0


def _seconds(value: Any, default: float | None) -> float | None:
    """PTB passes a timeout as a number, None (wait forever) or a DefaultValue (use ours)."""
    if value is None or isinstance(value, int | float):
        return value
    return default


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of `connections` to the Bot API."""

    def __init__(
        self, *, connections: int = 8, read_timeout: float | None = 5.0, pool_timeout: float = 5.0
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        del write_timeout  # aiohttp has none of its own; the read timeout covers a stalled server
        connect = _seconds(connect_timeout, CONNECT_TIMEOUT)
        timeout = aiohttp.ClientTimeout(
            # Waiting for a free connection of the pool, and then for the connection itself.
            connect=_add(_seconds(pool_timeout, self._pool_timeout), connect),
            sock_connect=connect,
            sock_read=_seconds(read_timeout, self._read_timeout),
        )
        headers = {"User-Agent": self.USER_AGENT}
        body: aiohttp.FormData | bytes | None = None
        if request_data is not None:
            files = request_data.multipart_data
            if files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, (filename, content, mime_type) in files.items():
                    form.add_field(name, content, filename=filename, content_type=mime_type)
                body = form
            else:
                body = json.dumps(request_data.parameters).encode()
                headers["Content-Type"] = "application/json"
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _add(first: float | None, second: float | None) -> float | None:
    return None if first is None or second is None else first + second
