"""The dashboard's reader: its large pages are read and rendered on a thread of their own.

With SQLite every query runs on the thread that asks (storage/sqlite_loop.py): a page that
reads 300 open questions or the per-entry counts over 100,000 logged ones would hold up every
chat for as long. The reader is a second event loop in a worker thread with a second,
read-only engine on the same database (`Database(read_only=True)`): the page handlers and the
storage functions they call run there unchanged, while the bot's loop goes on answering.

- Consistent: SQLite in WAL mode and PostgreSQL both show a reader what was committed before
  its read began, so a page opened after a change (the form's redirect) shows the change.
- Read-only: a page run here that tried to write would raise `ReadOnlyViolation` (a bug).
- In-memory SQLite has no second connection to the same data: pages run on the bot's loop.
- Second in line: both threads need Python's interpreter lock, so the reader waits at each
  query, every few dozen rows and every few hundred pieces of HTML until the bot's loop is
  idle (`LoopIdle`).

A page run here gets `services_of(request)`: the bot's `Services` with the reader's engine
and feature caches of its own (the FAQ index a feature builds holds its engine).
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import itertools
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy import event

from bot.services import Services
from storage.db import Database, is_shared_file

T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The services of the page running on the reader's loop (unset on the bot's loop).
_VIEW: contextvars.ContextVar[Services | None] = contextvars.ContextVar("reader", default=None)


def on_reader() -> bool:
    """Whether this code runs on the reader's thread (a page there renders in place)."""
    return _VIEW.get() is not None


# How long the reader waits at most, at each point where it may, for the bot's loop to be
# idle: a page gets slower only while the bot has work without a pause (5, 20 and 50 ms gave
# the chat's p50 and p95 while pages load within 1.5x, 50 ms the best p95; see
# docs/benchmarks.md).
MAX_YIELD_SECONDS = 0.05
# Idle means idle for this long: a chat waiting for PostgreSQL's answer to one of its queries
# leaves the loop idle for a fraction of a millisecond, and the reader must not take over then
# (on PostgreSQL the chat's p50/p95 ratio was 2.23/2.28 without it, 1.26/1.82 with 2 ms,
# 1.17/1.43 with 5 ms).
IDLE_GRACE_SECONDS = 0.005
# The points where it may: each statement, every so many objects a query loads, and every so
# many pieces of a page's HTML (web/render.py).
ROWS_PER_YIELD = 50


class LoopIdle:
    """Whether the bot's event loop is idle (waiting in its selector for something to do).

    The reader's work yields to the bot's: at each point where it may (`wait`) it goes on
    only once the bot's loop is idle, or after `MAX_YIELD_SECONDS` (so a busy bot slows the
    dashboard down but never stops it). Two threads that both want Python's interpreter lock
    otherwise take turns, and a chat answer that gives the lock up at each of its 30-odd
    queries would wait each time (the SQLite module lets go of it in every call).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._idle = threading.Event()
        self._since = 0.0
        selector = getattr(loop, "_selector", None)  # the default loop's; absent elsewhere
        self.watching = selector is not None
        if selector is not None:
            select = selector.select

            def watched_select(timeout: float | None = None) -> Any:
                if timeout is not None and timeout <= 0:
                    return select(timeout)  # a look between callbacks ready to run: busy
                self._since = time.monotonic()
                self._idle.set()
                try:
                    return select(timeout)
                finally:
                    self._idle.clear()

            selector.select = watched_select

    def wait(self) -> None:
        """Until the bot's loop has been idle for `IDLE_GRACE_SECONDS`, at most
        `MAX_YIELD_SECONDS` (on the reader's thread)."""
        if not self.watching:
            return
        deadline = time.monotonic() + MAX_YIELD_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            if not self._idle.is_set():
                self._idle.wait(left)
                continue
            idle_for = time.monotonic() - self._since
            if idle_for >= IDLE_GRACE_SECONDS:
                return
            time.sleep(min(IDLE_GRACE_SECONDS - idle_for, left))


class Reader:
    """A thread with its own event loop and a read-only engine; started on first use."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.enabled = is_shared_file(services.db.url)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._view: Services | None = None
        self._starting = threading.Lock()
        self.idle: LoopIdle | None = None

    async def run(self, work: Callable[[], Awaitable[T]]) -> T:
        """`work()` on the reader's loop (on this loop when the reader is off), its result here.

        Cancelling the caller (a browser gone) cancels the work there too."""
        if not self.enabled:
            return await work()
        if self._loop is None:
            if self.idle is None:
                self.idle = LoopIdle(asyncio.get_running_loop())
            loop, view = await asyncio.to_thread(self._start)
        else:
            loop, view = self._ready()
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(_as(view, work), loop))

    def _ready(self) -> tuple[asyncio.AbstractEventLoop, Services]:
        assert self._loop is not None and self._view is not None
        return self._loop, self._view

    def _start(self) -> tuple[asyncio.AbstractEventLoop, Services]:
        with self._starting:
            if self._loop is None:
                started: Future[tuple[asyncio.AbstractEventLoop, Services]] = Future()
                self._thread = threading.Thread(
                    target=self._main, args=(started,), name="dashboard-reader", daemon=True
                )
                self._thread.start()
                self._loop, self._view = started.result()
            return self._ready()

    def _main(self, started: Future[tuple[asyncio.AbstractEventLoop, Services]]) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            db = Database(self.services.db.url, read_only=True)
            if self.idle is not None:
                idle = self.idle
                event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *_: idle.wait())
                loaded = itertools.count(1)

                def every_few_rows(*_: object) -> None:
                    if ROWS_PER_YIELD and next(loaded) % ROWS_PER_YIELD == 0:
                        idle.wait()

                event.listen(db.session_class, "loaded_as_persistent", every_few_rows)
            # The bot's services with the reader's engine; features of its own, as what a
            # feature keeps there (the FAQ index's service) holds an engine.
            view = dataclasses.replace(self.services, db=db, features={})
        except BaseException as error:
            started.set_exception(error)
            loop.close()
            raise
        started.set_result((loop, view))
        try:
            loop.run_forever()
        finally:
            # Pages still running when the server stops are cancelled, then the engine closed.
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.run_until_complete(db.close())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    async def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        self._loop = self._thread = self._view = None
        loop.call_soon_threadsafe(loop.stop)
        await asyncio.to_thread(thread.join)


async def _as(view: Services, work: Callable[[], Awaitable[T]]) -> T:
    _VIEW.set(view)  # this task's context only
    return await work()


def yield_to_bot(request: web.Request) -> None:
    """On the reader's thread: wait (briefly) for the bot's loop to be idle; else nothing."""
    idle = request.app[READER].idle
    if idle is not None and on_reader():
        idle.wait()


READER = web.AppKey("reader", Reader)


def services_of(request: web.Request) -> Services:
    """The services a page handler uses: the reader's on the reader's loop, else the bot's."""
    view = _VIEW.get()
    return view if view is not None else request.app[READER].services


def off_loop(handler: Handler) -> Handler:
    """A page handler that only reads, run whole on the reader (see the module's docstring)."""

    async def run(request: web.Request) -> web.StreamResponse:
        return await request.app[READER].run(lambda: handler(request))

    run.__name__ = run.__qualname__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def setup(app: web.Application, services: Services) -> None:
    reader = Reader(services)
    app[READER] = reader

    async def stop(_app: web.Application) -> None:
        await reader.stop()

    app.on_cleanup.append(stop)
