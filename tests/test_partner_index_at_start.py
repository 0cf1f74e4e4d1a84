"""The partner search's index is built when the bot starts, in the background: the start does
not wait for it, a search meanwhile is told at once that it takes a moment and gets its result
from that one build. Invented directory (tests/partners_directory.csv) and needs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from handlers.partners import matching
from tests.harness import Chat, Harness
from tests.partners_fixtures import import_members

NEED = "Wir suchen ein Labor, das Schwarzmasse aus alten Akkus analysiert"
WAIT_DE = "Einen Moment, ich suche passende Mitglieder"
WAIT_EN = "One moment, I am looking for members who fit"
PATIENCE = 30.0  # seconds a test waits for something that should come at once


class SlowBuild:
    """Counts the partner index's builds and holds each until the test lets it finish."""

    def __init__(self, build: Callable[..., Any]) -> None:
        self._build = build
        self.started = threading.Event()
        self.go_on = threading.Event()
        self.count = 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        self.started.set()
        assert self.go_on.wait(PATIENCE), "the test never let the build finish"
        return self._build(*args, **kwargs)


@pytest.fixture
def slow_build(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowBuild]:
    build = SlowBuild(matching.build_ranker)
    monkeypatch.setattr(matching, "build_ranker", build)
    yield build
    build.go_on.set()  # a build still held must not outlive the test


async def until(check: Callable[[], bool]) -> None:
    for _ in range(int(PATIENCE * 20)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("it did not happen")


async def test_the_index_is_being_built_right_after_start_without_a_search(
    bot: Harness, slow_build: SlowBuild
) -> None:
    await import_members(bot)
    await asyncio.wait_for(bot.app.start(), PATIENCE)  # the start does not wait for the build
    await asyncio.to_thread(slow_build.started.wait, PATIENCE)
    assert slow_build.count == 1  # nobody searched
    slow_build.go_on.set()
    # the start's index serves the first search: no second build
    found = await bot.send("req", NEED)
    assert "Dazu passt" in found.text, found.text
    assert slow_build.count == 1


async def test_a_search_during_the_build_is_told_to_wait_then_answered(
    bot: Harness, slow_build: SlowBuild
) -> None:
    await import_members(bot)
    await bot.app.start()
    await asyncio.to_thread(slow_build.started.wait, PATIENCE)
    chat = Chat()
    search = asyncio.create_task(bot.send("req", NEED, into=chat))
    await until(lambda: bool(chat.replies))  # told at once, while the index is still built
    assert chat.text.startswith(WAIT_DE) and "passt" not in chat.text, chat.text
    slow_build.go_on.set()
    await asyncio.wait_for(search, PATIENCE)
    assert "Dazu passt" in chat.text and chat.text.count(WAIT_DE) == 1, chat.text
    assert slow_build.count == 1  # the search waited for the start's build, not a second one
    again = await bot.send("hanna", "Wir suchen einen Partner für Kabelrecycling von Kupfer")
    assert WAIT_DE not in again.text and "passt" in again.text, again.text


async def test_the_waiting_line_is_in_the_members_language(
    bot: Harness, slow_build: SlowBuild
) -> None:
    await import_members(bot)
    slow_build.go_on.set()
    await bot.send("eva", "/language en")
    slow_build.go_on.clear()
    await bot.app.start()
    await asyncio.to_thread(slow_build.started.wait, PATIENCE)
    chat = Chat()
    search = asyncio.create_task(
        bot.send("eva", "We are looking for a lab that can analyse black mass", into=chat)
    )
    await until(lambda: bool(chat.replies))
    assert chat.text.startswith(WAIT_EN) and WAIT_DE not in chat.text, chat.text
    slow_build.go_on.set()
    await asyncio.wait_for(search, PATIENCE)
    assert "fits" in chat.text or "fit it" in chat.text, chat.text
    assert slow_build.count == 1


@pytest.mark.parametrize(
    ("member_lang", "need", "wait", "other"),
    [
        ("de", "We are looking for a lab that can analyse black mass", WAIT_DE, WAIT_EN),
        ("en", NEED, WAIT_EN, WAIT_DE),
    ],
)
async def test_the_waiting_line_stays_in_the_members_language_whatever_the_need_is_written_in(
    bot: Harness, slow_build: SlowBuild, member_lang: str, need: str, wait: str, other: str
) -> None:
    await import_members(bot)
    slow_build.go_on.set()
    await bot.send("eva", f"/language {member_lang}")
    slow_build.go_on.clear()
    await bot.app.start()
    await asyncio.to_thread(slow_build.started.wait, PATIENCE)
    chat = Chat()
    search = asyncio.create_task(bot.send("eva", need, into=chat))
    await until(lambda: bool(chat.replies))
    assert chat.text.startswith(wait) and other not in chat.text, chat.text
    slow_build.go_on.set()
    await asyncio.wait_for(search, PATIENCE)
    # the preview itself is in the need's language, as always
    assert ("Dazu passt" in chat.text) == (need == NEED), chat.text


async def test_a_search_while_the_index_is_rebuilt_after_a_change_is_told_to_wait(
    bot: Harness, slow_build: SlowBuild, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_members(bot)
    slow_build.go_on.set()
    await bot.app.start()
    assert "Dazu passt" in (await bot.send("req", NEED)).text  # after the start's build
    unchanged = await bot.send("eva", NEED)
    assert WAIT_DE not in unchanged.text and "Dazu passt" in unchanged.text, unchanged.text
    assert slow_build.count == 1
    # A profile change: the next search rebuilds the index, and says so at once.
    await bot.send("hanna", "/themen + Laugung")
    slow_build.go_on.clear()
    slow_build.started.clear()
    chat, beside = Chat(), Chat()
    search = asyncio.create_task(bot.send("otto", NEED, into=chat))
    await asyncio.to_thread(slow_build.started.wait, PATIENCE)
    await until(lambda: bool(chat.replies))
    assert chat.text.startswith(WAIT_DE) and "passt" not in chat.text, chat.text
    # another member searching meanwhile waits for the same rebuild, and hears it too
    other = asyncio.create_task(
        bot.send("ida", "We are looking for a lab that can analyse black mass", into=beside)
    )
    await until(lambda: bool(beside.replies))
    assert beside.text.startswith(WAIT_DE), beside.text  # ida is a German member
    slow_build.go_on.set()
    await asyncio.wait_for(asyncio.gather(search, other), PATIENCE)
    assert "Dazu passt" in chat.text and chat.text.count(WAIT_DE) == 1, chat.text
    assert slow_build.count == 2
    # A quick rebuild (a small directory) passes without a waiting line: "quick" generous
    # here, as a busy test machine may take a second for it.
    monkeypatch.setattr(matching, "ANNOUNCE_AFTER_SECONDS", PATIENCE)
    await bot.send("hanna", "/themen + Photovoltaik")
    quick = await bot.send("paul", NEED)
    assert WAIT_DE not in quick.text and "passt" in quick.text, quick.text
    assert slow_build.count == 3
    # A change the ranking does not read (the language) rebuilds nothing: no waiting line.
    await bot.send("hanna", "/sprache en")
    again = await bot.send("mia", "Wir suchen einen Partner für Kabelrecycling von Kupfer")
    assert WAIT_DE not in again.text and "passt" in again.text, again.text
    assert slow_build.count == 3
