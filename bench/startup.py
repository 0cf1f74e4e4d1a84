"""Start-up of a bot process with its matching engines loaded: seconds to the first answers and
resident memory, measured in this process (run it fresh: a module imported or a table read
before would not be counted).

Run: `python bench/startup.py [--entries 10000] [--members 10000] [--learned 200]`; prints one
JSON object with two fresh processes: `first_start` indexes everything and keeps the indexes on
disk (in a temporary folder, `bot.textmatch.index_cache`), `restart` reads them, as a restarted
bot does. Each process imports the bot application (what `rewimet-bot run` loads), reads the
general-language resources, builds the FAQ matcher over a generated knowledge base (with
`--learned` unconfirmed learned phrasings, as the bot's snapshot has them) and the partner
ranker over a generated directory, and answers one question and one request; `rss_mb` is the
resident memory then, `peak_rss_mb` the most it held. Generating the data is not timed (the bot
reads it from the database). Targets: ready <= 3 s, <= 300 MB on a restart.

A third process, `app_start`, starts the application itself (`App.start` on a new database, no
platform): `app_start_s`, `app_start_rss_mb` the resident memory after it, `app_background_s`
what it began in the background (the partner index), `app_background_rss_mb` after that. Its
own process: the application builds its engines for an empty knowledge base and directory,
which in one process with the generated ones would be counted twice (303 MB instead of 294).

`app_full` is the real bot with the knowledge base and the directory in its database: a new
SQLite database is seeded once, not timed (`bench/seed_db.py`: the same 10,000 entries,
learned phrasings and 10,000 members, through the bot's FAQ and directory import, each member
with a Telegram account), then three fresh processes each start the bot on a copy of it:
`off` without the index cache, `first_start` filling it, `restart` reading it. Each imports
the bot, `build_app`, `App.start` (which reads the entries and builds or reads the FAQ index),
waits for what start began in the background (the directory read and its ranking), then a
member asks one FAQ question and sends one `/partner` request through the dispatcher, as a
platform's update goes; `build_s`, `start_s`, `background_s`, `faq_first_answer_s`,
`partners_first_answer_s` with the resident memory after each (`*_rss_mb`), `ready_s` from
the imports to the second answer, `rss_mb` and `peak_rss_mb` at the end. `--only-app-full`
runs only these.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the other benches' generators


def rss_mb() -> float:
    """Resident memory of this process now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """The most resident memory this process held so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def app_start() -> dict[str, float]:
    """`App.start` as `rewimet-bot run` calls it, on a new SQLite database with no platform
    and no web (the scheduler, the features' start hooks, the FAQ index of an empty knowledge
    base, the delivery worker): `app_start_s` until it returns, `app_start_rss_mb` then;
    `app_background_s` until what it began in the background (the partner index) is done, so
    that it does not run into the engines' figures. `prepared_s`, not a start's cost: the new
    database migrated (a restarted bot's is migrated already) and the app stopped."""
    import tempfile

    from bot.app import build_app
    from bot.config import parse_settings

    with tempfile.TemporaryDirectory() as folder:
        mark = time.perf_counter()
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        app = await build_app(parse_settings({"database": {"url": url}}, source="bench", env={}))
        prepared = time.perf_counter() - mark
        mark = time.perf_counter()
        await app.start()
        figures = {"app_start_s": round(time.perf_counter() - mark, 3)}
        figures["app_start_rss_mb"] = rss_mb()
        mark = time.perf_counter()
        # what App.start began in the background (App keeps no public handle on it)
        await asyncio.gather(*app._starting, return_exceptions=True)
        figures["app_background_s"] = round(time.perf_counter() - mark, 3)
        figures["app_background_rss_mb"] = rss_mb()
        mark = time.perf_counter()
        await app.stop()
        figures["prepared_s"] = prepared + time.perf_counter() - mark
    return figures


async def app_full(url: str, asked: dict[str, str], started: float) -> dict[str, float]:
    """The bot restarted on a database that holds the knowledge base and the directory:
    `build_app` (database opened, migrations checked) and `App.start` as `rewimet-bot run`
    calls them, then what start began in the background, then one FAQ question and one
    partner request from a member, through the dispatcher as a platform's update would go.
    Seconds (`*_s`) and resident memory (`*_rss_mb`) after each step; `ready_s` from
    `started` to the second answer."""
    from seed_db import FIRST_USER

    from bot.app import build_app
    from bot.config import parse_settings
    from bot.messages import Incoming, Platform, Reply

    figures: dict[str, float] = {}
    mark = time.perf_counter()
    app = await build_app(parse_settings({"database": {"url": url}}, source="bench", env={}))
    figures["build_s"] = round(time.perf_counter() - mark, 3)
    figures["build_rss_mb"] = rss_mb()
    mark = time.perf_counter()
    await app.start()
    figures["start_s"] = round(time.perf_counter() - mark, 3)
    figures["start_rss_mb"] = rss_mb()
    mark = time.perf_counter()
    await asyncio.gather(*app._starting, return_exceptions=True)
    figures["background_s"] = round(time.perf_counter() - mark, 3)
    figures["background_rss_mb"] = rss_mb()
    replies: list[Reply] = []

    async def respond(reply: Reply) -> str | None:
        replies.append(reply)
        return None

    user = str(FIRST_USER)  # the first imported member, with a Telegram account
    for name, text in (("faq", asked["question"]), ("partners", f"/partner {asked['request']}")):
        replies.clear()
        incoming = Incoming(
            Platform.TELEGRAM, chat_id=user, sender_id=user, update_id=name, text=text
        )
        mark = time.perf_counter()
        await app.dispatcher.handle(incoming, respond)
        figures[f"{name}_first_answer_s"] = round(time.perf_counter() - mark, 3)
        figures[f"{name}_rss_mb"] = rss_mb()
        if not replies:
            raise RuntimeError(f"no answer to the {name} message {text!r}")
    figures["ready_s"] = round(time.perf_counter() - started, 3)
    await app.stop()
    return figures


def measure_app_full(url: str, asked: dict[str, str]) -> dict[str, object]:
    """`app_full` in this process after importing the bot, as `rewimet-bot run` does."""
    started = time.perf_counter()
    import bot.app  # noqa: F401 - what a running bot has loaded

    report: dict[str, object] = {"import_s": round(time.perf_counter() - started, 3)}
    report["import_rss_mb"] = rss_mb()
    report.update(asyncio.run(app_full(url, asked, started)))
    report["rss_mb"] = rss_mb()
    report["peak_rss_mb"] = peak_rss_mb()
    return report


def measure(entries: int, members: int, learned: int) -> dict[str, object]:
    """Start as the bot would and answer once with each engine; seconds and megabytes."""
    started = time.perf_counter()
    report: dict[str, object] = {"entries": entries, "members": members, "learned": learned}
    import bot.app  # noqa: F401 - what a running bot has loaded
    from bot import memory
    from bot.textmatch import resources

    report["import_s"] = round(time.perf_counter() - started, 3)
    report["import_rss_mb"] = rss_mb()
    mark = time.perf_counter()
    report["tables"] = resources.load_used()
    report["resources_s"] = round(time.perf_counter() - mark, 3)
    report["resources_rss_mb"] = rss_mb()
    busy = 0.0  # seconds spent generating data, which the bot reads from its database
    if entries:
        import faq_latency

        from handlers.faq.learned import LearningMatcher

        mark = time.perf_counter()
        kb = faq_latency.generate_kb(entries)
        taught = faq_latency.generate_learned(kb, learned)
        question = faq_latency.generate_queries(kb, 2)[1]
        busy += time.perf_counter() - mark
        mark, cpu = time.perf_counter(), time.process_time()
        matcher = LearningMatcher(kb, taught)
        memory.keep_built()  # as the bot's FAQ service does after a build
        matcher.match(question)
        report["faq_first_answer_s"] = round(time.perf_counter() - mark, 3)
        report["faq_first_answer_cpu_s"] = round(time.process_time() - cpu, 3)
        report["faq_rss_mb"] = rss_mb()
    if members:
        import match_latency

        from handlers.partners.concepts import load_thesaurus
        from handlers.partners.matching import build_ranker
        from handlers.partners.rules import MAX_RECENT_REQUESTS

        mark = time.perf_counter()
        rng = random.Random(7)
        directory = match_latency.generate_members(members, rng)
        request = match_latency.generate_requests(1, rng)[0]
        busy += time.perf_counter() - mark
        mark, cpu = time.perf_counter(), time.process_time()
        ranker = build_ranker(directory, MAX_RECENT_REQUESTS, load_thesaurus())
        memory.keep_built()  # as the bot's partner matcher does after a build
        ranker.rank(request, None, requester_id=directory[0].member_id)
        report["partners_first_answer_s"] = round(time.perf_counter() - mark, 3)
        report["partners_first_answer_cpu_s"] = round(time.process_time() - cpu, 3)
    report["ready_s"] = round(time.perf_counter() - started - busy, 3)
    report["ready_cpu_s"] = round(time.process_time(), 3)
    report["rss_mb"] = rss_mb()
    report["peak_rss_mb"] = peak_rss_mb()
    report["target_s"], report["target_rss_mb"] = 3, 300
    return report


def measure_app_start() -> dict[str, object]:
    """The application's own start (`app_start`) after the imports and the resources."""
    import bot.app  # noqa: F401 - what a running bot has loaded
    from bot.textmatch import resources

    resources.load_used()
    report: dict[str, object] = {"resources_rss_mb": rss_mb()}
    figures = asyncio.run(app_start())
    figures.pop("prepared_s")
    report.update(figures)
    return report


def run_fresh(
    entries: int,
    members: int,
    learned: int,
    index_cache: str = "off",
    *,
    app: bool = False,
    full: tuple[str, dict[str, str]] | None = None,
) -> dict[str, object]:
    """`measure` (or, `app`, `measure_app_start`; `full`, a database and what to ask in
    it, `measure_app_full`) in a new Python process (what a restarted bot pays);
    `index_cache` is the folder of cached indexes it reads and fills, or "off" (build
    everything)."""
    import os
    import subprocess

    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        f"--entries={entries}",
        f"--members={members}",
        f"--learned={learned}",
    ]
    if full is not None:
        command += [f"--app-full={full[0]}", f"--asked={json.dumps(full[1])}"]
    else:
        command.append("--app-start" if app else "--here")
    env = {**os.environ, "REWIMET_INDEX_CACHE": index_cache}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def run_app_full(entries: int, members: int, learned: int) -> dict[str, object]:
    """`app_full` on a database seeded once (not timed): with the index cache off, then on
    twice (the first start fills it, the restart reads it); each run on a copy of the seeded
    database, so that none sees what another asked."""
    import shutil
    import tempfile

    import seed_db

    sizes = (entries, members, learned)
    with tempfile.TemporaryDirectory() as folder:
        seeded = Path(folder) / "seeded.db"
        mark = time.perf_counter()
        asked = asyncio.run(seed_db.seed(f"sqlite+aiosqlite:///{seeded}", *sizes))
        report: dict[str, object] = {"seeding_s": round(time.perf_counter() - mark, 1)}
        cache = Path(folder) / "index-cache"
        cache.mkdir(mode=0o700)
        for name, setting in (("off", "off"), ("first_start", str(cache)), ("restart", str(cache))):
            database = Path(folder) / f"{name}.db"
            shutil.copy(seeded, database)
            url = f"sqlite+aiosqlite:///{database}"
            report[name] = run_fresh(*sizes, index_cache=setting, full=(url, asked))
    report["target_s"], report["target_rss_mb"] = 3, 300
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=10000)
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--learned", type=int, default=200)
    parser.add_argument(
        "--here", action="store_true", help="measure in this process, as the environment says"
    )
    parser.add_argument(
        "--app-start", action="store_true", help="measure only the application's own start"
    )
    parser.add_argument(
        "--app-full", metavar="URL", help="measure only the bot started on this seeded database"
    )
    parser.add_argument("--asked", help="(with --app-full) the JSON of what to ask")
    parser.add_argument(
        "--only-app-full", action="store_true", help="run only the `app_full` processes"
    )
    args = parser.parse_args()
    sizes = (args.entries, args.members, args.learned)
    if args.here:
        print(json.dumps({"benchmark": "startup", **measure(*sizes)}))
        return
    if args.app_start:
        print(json.dumps(measure_app_start()))
        return
    if args.app_full:
        print(json.dumps(measure_app_full(args.app_full, json.loads(args.asked))))
        return
    if args.only_app_full:
        print(json.dumps({"benchmark": "startup", "app_full": run_app_full(*sizes)}))
        return
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        # The first start indexes everything and keeps it in `folder`; a restart reads it.
        first = run_fresh(*sizes, index_cache=folder)
        restart = run_fresh(*sizes, index_cache=folder)
    app = run_fresh(*sizes, app=True)
    full = run_app_full(*sizes)
    report = {
        "benchmark": "startup",
        "first_start": first,
        "restart": restart,
        "app_start": app,
        "app_full": full,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
