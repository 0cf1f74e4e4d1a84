"""Housekeeping (issue 14): the package metadata, the demo's temporary files, the .ics time zone."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import subprocess
import sys
import tempfile
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from bot.messages import Attachment, Reply
from bot.transports.console import ConsoleTransport
from handlers.events.calendar import build_ics
from storage.events import Event

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "rewimet-bot"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)


# --- pip install: the licence as an SPDX expression --------------------------------------------


def test_the_licence_is_an_spdx_expression() -> None:
    """A TOML table as `project.license` makes setuptools print a page of deprecation warnings
    on every install; an SPDX string needs setuptools 77 or later to build."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["license"] == "MIT"
    assert not [c for c in pyproject["project"].get("classifiers", []) if c.startswith("License")]
    (setuptools,) = [r for r in pyproject["build-system"]["requires"] if "setuptools" in r]
    assert setuptools == "setuptools>=77"


# --- the demo leaves no temporary folder behind ------------------------------------------------


def demo_env(tmp: Path) -> dict[str, str]:
    tmp.mkdir()
    return {**os.environ, "TMPDIR": str(tmp)}


def test_a_scripted_demo_removes_its_files_and_database(tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    result = subprocess.run(
        [str(BIN), "demo", "--as", "demo-anna"],
        input="/mydata\n/calendar 1\n/events\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=demo_env(tmp),
    )
    # The files were written where TMPDIR points, and are gone with the demo.
    assert f"{tmp}/rewimet-demo-" in result.stdout
    assert ".json" in result.stdout and ".ics" in result.stdout
    assert list(tmp.iterdir()) == []


def as_in_a_terminal() -> None:
    """(In the demo's process, before it starts.) Ctrl-C does what it does in a terminal: a
    test run started in the background of a script (`pytest &`) ignores SIGINT, and the demo
    inherited that and waited for ever."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 0)], ids=["ctrl-c", "kill"]
)
def test_a_demo_stopped_by_a_signal_removes_its_folder_and_ends(
    tmp_path: Path, stop: signal.Signals, code: int
) -> None:
    """Ctrl-C (or a kill) while the demo waits for the next line: the folder goes at once, and
    the demo ends without waiting for more input."""
    tmp = tmp_path / "tmp"
    demo = subprocess.Popen(
        [str(BIN), "demo", "--as", "demo-anna"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**demo_env(tmp), "PYTHONFAULTHANDLER": "1"},  # SIGABRT prints where it waits
        preexec_fn=as_in_a_terminal,
    )
    assert demo.stdin is not None and demo.stdout is not None
    try:
        demo.stdin.write("/mydata\n")
        demo.stdin.flush()
        for line in demo.stdout:
            if ".json" in line:
                break
        else:
            pytest.fail(f"the demo ended early: {demo.communicate()[1]}")
        assert len(list(tmp.iterdir())) == 1
        demo.send_signal(stop)
        try:
            ended = demo.wait(timeout=60)  # stdin is still open: no EOF ends it
        except subprocess.TimeoutExpired:
            demo.send_signal(signal.SIGABRT)
            pytest.fail(f"the demo did not end; it waited in:\n{demo.communicate()[1]}")
        assert ended == code
    finally:
        demo.kill()
        demo.communicate()
    assert list(tmp.iterdir()) == []


def test_the_console_makes_a_files_folder_only_when_needed_and_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    console = ConsoleTransport(user_id="x", out=io.StringIO())
    asyncio.run(console.send("console:x", Reply(text="nothing to save")))
    assert list(tmp_path.iterdir()) == []
    file = Attachment("hello.txt", b"hello", "text/plain")
    asyncio.run(console.send("console:x", Reply(text="a file", attachment=file)))
    (folder,) = tmp_path.iterdir()
    assert (folder / "hello.txt").read_bytes() == b"hello"
    asyncio.run(console.stop())
    assert list(tmp_path.iterdir()) == []


# --- the .ics time zone holds for every date in the file ----------------------------------------


def event(number: int, starts_at: datetime) -> Event:
    return Event(
        id=number,
        kind="forum",
        title=f"Forum {number}",
        place="Goslar",
        description="",
        starts_at=starts_at.astimezone(UTC),
        ends_at=(starts_at + timedelta(hours=3)).astimezone(UTC),
        status="open",
        sequence=0,
    )


def onsets(part: Any, until: datetime) -> list[datetime]:
    """Every onset of a STANDARD or DAYLIGHT part up to `until` (local times, as written)."""
    start: datetime = part["DTSTART"].dt
    found = [start]
    rdates = part.get("RDATE", [])
    for listed in rdates if isinstance(rdates, list) else [rdates]:
        found += [value.dt for value in listed.dts]
    if "RRULE" in part:
        rule = rrulestr(part["RRULE"].to_ical().decode(), dtstart=start)
        found += rule.between(start, until, inc=True)
    return found


def utc_by_vtimezone(vtimezone: Any, local: datetime) -> datetime:
    """A local time read with the file's own VTIMEZONE, as RFC 5545 has it: the observance whose
    onset (a local time in the offset before it) came last before the moment."""
    best: tuple[datetime, timedelta] | None = None
    for part in vtimezone.subcomponents:
        offset_from, offset_to = part["TZOFFSETFROM"].td, part["TZOFFSETTO"].td
        for onset in onsets(part, local + timedelta(days=400)):
            begins = onset - offset_from  # in UTC
            if begins <= local - offset_to and (best is None or begins > best[0]):
                best = (begins, offset_to)
    assert best is not None, f"no observance of the VTIMEZONE holds on {local}"
    return (local - best[1]).replace(tzinfo=UTC)


def check_every_start(ics: bytes, tzid: str, expected: list[datetime]) -> icalendar.Timezone:
    calendar = icalendar.Calendar.from_ical(ics)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == tzid
    assert "COMMENT" not in vtimezone  # no "This timezone only works from … to …"
    from_file = vtimezone.to_tz(lookup_tzid=False)  # built from the VTIMEZONE, not the tz database
    starts = [component["DTSTART"] for component in calendar.walk("VEVENT")]
    assert [start.params["TZID"] for start in starts] == [tzid] * len(expected)
    for start, instant in zip(starts, expected, strict=True):
        local = start.dt.replace(tzinfo=None)  # the wall time written in the file
        assert utc_by_vtimezone(vtimezone, local) == instant
        assert local.replace(tzinfo=from_file).astimezone(UTC) == instant
    return vtimezone


def test_the_vtimezone_holds_for_events_years_apart() -> None:
    """Summer dates in 2026 and 2035: read with the file's VTIMEZONE, both are CEST (+02:00)."""
    starts = [datetime(2026, 6, 15, 10, tzinfo=BERLIN), datetime(2035, 7, 10, 18, tzinfo=BERLIN)]
    ics = build_ics([event(1, starts[0]), event(2, starts[1])], tz=BERLIN, now=NOW, lang="de")
    expected = [datetime(2026, 6, 15, 8, tzinfo=UTC), datetime(2035, 7, 10, 16, tzinfo=UTC)]
    vtimezone = check_every_start(ics, "Europe/Berlin", expected)
    # Berlin keeps one rule: the two yearly RRULEs that calendar programs read, with no end.
    parts = {part.name: part for part in vtimezone.subcomponents}
    assert sorted(parts) == ["DAYLIGHT", "STANDARD"]
    assert parts["DAYLIGHT"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert parts["STANDARD"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    # Each onset in the local time before the change (RFC 5545): 02:00 CET, 03:00 CEST.
    assert parts["DAYLIGHT"]["DTSTART"].dt == datetime(2025, 3, 30, 2)  # noqa: DTZ001
    assert parts["STANDARD"]["DTSTART"].dt == datetime(2025, 10, 26, 3)  # noqa: DTZ001
    # A winter date far off is read as CET.
    winter = build_ics(
        [event(3, datetime(2035, 12, 1, 9, tzinfo=BERLIN))], tz=BERLIN, now=NOW, lang="de"
    )
    check_every_start(winter, "Europe/Berlin", [datetime(2035, 12, 1, 8, tzinfo=UTC)])


def test_a_zone_whose_rules_change_lists_every_change() -> None:
    """Mexico ended summer time in October 2022: no yearly rule fits, so each change is listed,
    and a July date is -05:00 in 2022 and -06:00 in 2023."""
    mexico = ZoneInfo("America/Mexico_City")
    starts = [datetime(2022, 7, 1, 12, tzinfo=mexico), datetime(2023, 7, 1, 12, tzinfo=mexico)]
    ics = build_ics([event(1, starts[0]), event(2, starts[1])], tz=mexico, now=NOW, lang="de")
    expected = [datetime(2022, 7, 1, 17, tzinfo=UTC), datetime(2023, 7, 1, 18, tzinfo=UTC)]
    vtimezone = check_every_start(ics, "America/Mexico_City", expected)
    assert all("RRULE" not in part for part in vtimezone.subcomponents)


def test_utc_needs_no_vtimezone() -> None:
    utc = ZoneInfo("UTC")
    ics = build_ics([event(1, datetime(2030, 5, 1, 9, tzinfo=utc))], tz=utc, now=NOW, lang="de")
    calendar = icalendar.Calendar.from_ical(ics)
    assert calendar.walk("VTIMEZONE") == []
    (component,) = calendar.walk("VEVENT")
    assert component["DTSTART"].dt == datetime(2030, 5, 1, 9, tzinfo=UTC)
