"""FAQ engine benchmark: build time, answer latency and peak memory on generated KBs.

Run: `python bench/faq_latency.py [--sizes 1000 10000] [--queries 300]`; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Sequence

from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import FaqEntry

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


def bench(size: int, query_count: int) -> dict[str, float | int]:
    """Build an engine over `size` generated entries and time `query_count` matches."""
    entries = generate_kb(size)
    queries = generate_queries(entries, query_count)
    start = time.perf_counter()
    engine = FaqEngine(entries)
    build_s = time.perf_counter() - start
    for text in queries[:20]:
        engine.match(text)  # warm the stemming caches like a running bot would
    latencies: list[float] = []
    cpu: list[float] = []
    for text in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        engine.match(text)
        latencies.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    latencies.sort()
    cpu.sort()
    tracemalloc.start()
    FaqEngine(entries)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "entries": size,
        "queries": len(queries),
        "build_s": round(build_s, 3),
        "p50_ms": round(statistics.median(latencies), 3),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 3),
        "max_ms": round(latencies[-1], 3),
        # CPU time of the same calls: wall time suffers when other processes share the CPU.
        "p95_cpu_ms": round(cpu[int(0.95 * (len(cpu) - 1))], 3),
        "peak_build_mb": round(peak / 2**20, 1),
        "rss_mb": peak_rss_mb(),
    }


def startup() -> dict[str, object]:
    """Start-up with the general-language resources, in a fresh process: seconds to read
    them and the resident memory after (targets: <= 3 s, <= 300 MB), then the peak
    resident memory of this benchmark's own process once it has run."""
    code = (
        "import json; from bot.textmatch.resources import startup_report as r; "
        "print(json.dumps(r()))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    report: dict[str, object] = json.loads(done.stdout)
    report["target_s"], report["target_rss_mb"] = 3, 300
    return report


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    """Print one JSON object with the results for every size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    start_report = startup()
    results = [bench(size, args.queries) for size in args.sizes]
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
