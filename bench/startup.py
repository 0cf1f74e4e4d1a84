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
    entries: int, members: int, learned: int, index_cache: str = "off", *, app: bool = False
) -> dict[str, object]:
    """`measure` (or, `app`, `measure_app_start`) in a new Python process (what a restarted
    bot pays); `index_cache` is the folder of cached indexes it reads and fills, or "off"
    (build everything)."""
    import os
    import subprocess

    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        f"--entries={entries}",
        f"--members={members}",
        f"--learned={learned}",
        "--app-start" if app else "--here",
    ]
    env = {**os.environ, "REWIMET_INDEX_CACHE": index_cache}
    done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    result: dict[str, object] = json.loads(done.stdout)
    return result


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
    args = parser.parse_args()
    sizes = (args.entries, args.members, args.learned)
    if args.here:
        print(json.dumps({"benchmark": "startup", **measure(*sizes)}))
        return
    if args.app_start:
        print(json.dumps(measure_app_start()))
        return
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        # The first start indexes everything and keeps it in `folder`; a restart reads it.
        first = run_fresh(*sizes, index_cache=folder)
        restart = run_fresh(*sizes, index_cache=folder)
    app = run_fresh(*sizes, app=True)
    report = {"benchmark": "startup", "first_start": first, "restart": restart, "app_start": app}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
