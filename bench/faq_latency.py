"""FAQ engine benchmark: build time, answer latency and memory on generated KBs.

Run: `python bench/faq_latency.py [--sizes 1000 10000] [--queries 300] [--learned 200]`; prints
one JSON object: per size the plain engine's build and p50/p95 (wall and CPU) and the same for
the matcher the bot uses (`learning`: with `--learned` unconfirmed learned phrasings, and what
rebuilding it after one more pick costs); `startup` is `bench/startup.py` in a fresh process
with the largest knowledge base (seconds to the first answer, resident memory).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence

import startup

from bot import memory
from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import FaqEntry
from handlers.faq.learned import LearnedText, LearningMatcher

# (German, English) pairs the generated entries are built from.
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("Exkursion", "excursion"), ("Symposium", "symposium"), ("Newsletter", "newsletter"),
    ("Arbeitskreis", "working group"), ("Mitgliedschaft", "membership"), ("Workshop", "workshop"),
    ("Weiterbildung", "training course"), ("Förderprogramm", "funding programme"),
    ("Betriebsbesichtigung", "company visit"), ("Innovationsforum", "innovation forum"),
    ("Projektpartner", "project partner"), ("Mitgliederverzeichnis", "member directory"),
    ("Webinar", "webinar"), ("Stellenbörse", "job board"), ("Pressemitteilung", "press release"),
)  # fmt: skip
ACTIONS: tuple[tuple[str, str], ...] = (
    ("Wie melde ich mich für {s} an?", "How do I register for the {s}?"),
    ("Was kostet {s}?", "How much does the {s} cost?"),
    ("Wie sage ich {s} ab?", "How do I cancel the {s}?"),
    ("Wer darf an {s} teilnehmen?", "Who can take part in the {s}?"),
    ("Wann findet {s} statt?", "When does the {s} take place?"),
    ("Wo finde ich Unterlagen zu {s}?", "Where can I find documents about the {s}?"),
    ("Gibt es {s} auch online?", "Is the {s} also available online?"),
)
TOPICS: tuple[tuple[str, str], ...] = (
    ("Seltene Erden", "rare earths"), ("Schwarzmasse", "black mass"), ("Kupfer", "copper"),
    ("Elektroschrott", "e-waste"), ("Hydrometallurgie", "hydrometallurgy"),
    ("Hartmetall", "cemented carbide"), ("Platingruppenmetalle", "platinum group metals"),
    ("Lithium-Ionen-Batterien", "lithium-ion batteries"),
    ("Althalden", "mine dumps"), ("Schlacke", "slag"), ("Sortiertechnik", "sorting technology"),
    ("Gallium", "gallium"), ("Indium", "indium"), ("Kobalt", "cobalt"), ("Nickel", "nickel"),
)  # fmt: skip
SYLLABLES = ("ka", "ro", "mi", "tel", "berg", "lin", "sa", "fur", "ne", "dor", "hal", "wes", "ti")
OUT_OF_SCOPE = (
    "Wie wird das Wetter am Wochenende?", "What is the capital of France?",
    "Kannst du mir ein Gedicht schreiben?", "How do I reset my router password?",
    "Wo ist die nächste Apotheke?", "Who won the football match yesterday?",
)  # fmt: skip


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def generate_kb(size: int, seed: int = 7) -> list[FaqEntry]:
    """Plausible bilingual entries: subject x action x topic x a generated project name."""
    rng = random.Random(seed)
    entries: list[FaqEntry] = []
    for index in range(size):
        subject_de, subject_en = rng.choice(SUBJECTS)
        action_de, action_en = rng.choice(ACTIONS)
        topic_de, topic_en = rng.choice(TOPICS)
        project = _name(rng)
        place = _name(rng)
        subject_de_full = f"{subject_de} {project} zu {topic_de}"
        subject_en_full = f"{subject_en} {project} on {topic_en}"
        entries.append(
            FaqEntry(
                id=f"gen-{index}",
                tags=(subject_de, subject_en, topic_de, topic_en, project),
                questions={
                    "de": (
                        action_de.format(s=subject_de_full),
                        f"{subject_de} {project} in {place}: {action_de.format(s='das')}",
                    ),
                    "en": (action_en.format(s=subject_en_full),),
                },
                answers={
                    "de": f"Zu {subject_de} {project} ({topic_de}) in {place} informiert die "
                    "Geschäftsstelle; Termine und Bedingungen stehen auf der Website.",
                    "en": f"The cluster office informs about the {subject_en} {project} "
                    f"({topic_en}) in {place}; dates and conditions are on the website.",
                },
            )
        )
    return entries


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def generate_queries(entries: Sequence[FaqEntry], count: int, seed: int = 11) -> list[str]:
    """Paraphrased, misspelt, truncated and unrelated queries, plus a few very long ones."""
    rng = random.Random(seed)
    queries: list[str] = []
    for n in range(count):
        if n % 10 == 0:
            queries.append(rng.choice(OUT_OF_SCOPE))
            continue
        entry = rng.choice(entries)
        lang = rng.choice(("de", "en"))
        words = rng.choice(entry.questions.get(lang) or entry.questions["de"]).split()
        words = [_typo(w, rng) if rng.random() < 0.15 else w for w in words]
        if rng.random() < 0.3:
            words = words[: max(2, len(words) // 2)]
        text = " ".join(words)
        if n % 50 == 1:
            text = ("Hallo zusammen, " + text + " ") * 400  # a ~20 kB message
        queries.append(text)
    return queries


# How members word a question the bot did not answer at once (an unconfirmed phrasing of the
# entry they then picked): the entry's subject in a sentence of their own.
LEARNED: tuple[tuple[str, str], ...] = (
    ("Gibt es Neuigkeiten zu {s}?", "Any news about the {s}?"),
    ("Ich suche Infos über {s}", "I am looking for details on the {s}"),
    ("Was ist eigentlich mit {s}?", "What about the {s} then?"),
)


def generate_learned(entries: Sequence[FaqEntry], count: int, seed: int = 23) -> list[LearnedText]:
    """`count` unconfirmed learned phrasings, each of another entry (members' own wording)."""
    rng = random.Random(seed)
    learned: list[LearnedText] = []
    for entry in rng.sample(list(entries), min(count, len(entries))):
        subject_de, subject_en, _, _, project = entry.tags
        lang = rng.choice(("de", "en"))
        template_de, template_en = rng.choice(LEARNED)
        text = (
            template_de.format(s=f"{subject_de} {project}")
            if lang == "de"
            else template_en.format(s=f"{subject_en} {project}")
        )
        learned.append(LearnedText(entry.id, lang, text, confirmed=False))
    return learned


def _timed(match: Callable[[str], object], queries: Sequence[str]) -> dict[str, float]:
    """p50/p95/max wall and CPU milliseconds of `match` over the queries."""
    for text in queries[:20]:
        match(text)  # warm the stemming caches like a running bot would
    latencies: list[float] = []
    cpu: list[float] = []
    for text in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        match(text)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    latencies.sort()
    cpu.sort()
    p95 = int(0.95 * (len(latencies) - 1))
    return {
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[p95], 3),
        "max_ms": round(latencies[-1], 3),
        # CPU time of the same calls: wall time suffers when other processes share the CPU.
        "p50_cpu_ms": round(statistics.median(cpu), 3),
        "p95_cpu_ms": round(cpu[p95], 3),
    }


def bench(size: int, query_count: int, learned_count: int) -> dict[str, object]:
    """Build an engine over `size` generated entries and time `query_count` matches; then the
    same with the matcher the bot uses and `learned_count` unconfirmed learned phrasings."""
    entries = generate_kb(size)
    queries = generate_queries(entries, query_count)
    gc.collect()
    before = rss_mb()
    start, start_cpu = time.perf_counter(), time.process_time()
    engine = FaqEngine(entries)
    result: dict[str, object] = {
        "entries": size,
        "queries": len(queries),
        "build_s": round(time.perf_counter() - start, 3),
        "build_cpu_s": round(time.process_time() - start_cpu, 3),
        # what the index adds to the process (the entries themselves not counted)
        "index_mb": round(rss_mb() - before, 1),
        **_timed(engine.match, queries),
    }
    del engine
    gc.collect()
    taught = generate_learned(entries, learned_count)
    start, start_cpu = time.perf_counter(), time.process_time()
    matcher = LearningMatcher(entries, taught)
    learning: dict[str, object] = {
        "unconfirmed": len(taught),
        "build_s": round(time.perf_counter() - start, 3),
        "build_cpu_s": round(time.process_time() - start_cpu, 3),
    }
    # A member's pick adds one more unconfirmed phrasing: the bot builds its matcher again.
    one_more = generate_learned(entries, learned_count + 1, seed=29)[-1:]
    start = time.perf_counter()
    LearningMatcher(entries, [*taught, *one_more])
    learning["rebuild_after_pick_s"] = round(time.perf_counter() - start, 3)
    learning.update(_timed(matcher.match, queries))
    result["learning"] = learning
    result["rss_mb"] = rss_mb()
    return result


def rss_mb() -> float:
    """Resident memory of this process now."""
    return startup.rss_mb()


def main() -> None:
    """Print one JSON object with the results for every size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--learned", type=int, default=200, help="unconfirmed phrasings")
    parser.add_argument(
        "--no-startup", action="store_true", help="skip the fresh-process start-up run"
    )
    args = parser.parse_args()
    # Start-up first, in its own process: a bot that restarts with the largest knowledge base.
    start_report = None if args.no_startup else startup.run_fresh(max(args.sizes), 0, args.learned)
    memory.settle()  # the garbage-collector settings of a running bot (bot/memory.py)
    results = [bench(size, args.queries, args.learned) for size in args.sizes]
    print(
        json.dumps(
            {
                "benchmark": "faq_latency",
                "target_p95_ms": 10,
                "startup": start_report,
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
