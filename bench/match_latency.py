"""Latency of partner ranking on generated member directories.

Prints one JSON object: per directory size the index build time, p50/p95 time
to rank one request, and peak memory of building the index (tracemalloc).
Run: ``python bench/match_latency.py [--sizes 1000 10000] [--requests 300]``
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

from handlers.partners.directory import Candidate
from handlers.partners.ranking import PartnerRanker

MATERIALS = [
    "Lithium-Ionen-Batterien",
    "black mass",
    "Schwarzmasse",
    "Kupferschrott",
    "copper scrap",
    "Aluminiumlegierungen",
    "Zinkasche",
    "Wolframcarbid",
    "tungsten carbide",
    "Hartmetall",
    "Autokatalysatoren",
    "platinum group metals",
    "Seltene Erden",
    "NdFeB magnets",
    "Elektroaltgeräte",
    "e-waste",
    "Leiterplatten",
    "printed circuit boards",
    "Filterstäube",
    "Schlacken",
    "slag",
    "tailings",
    "Althalden",
    "PV-Module",
    "solar panels",
    "Kabelschrott",
    "Messing",
    "Bleibatterien",
    "Gallium",
    "Indium",
    "Germanium",
    "Silber",
    "Gold",
    "Kobalt",
    "nickel",
    "Graphit",
    "Elektrolyt",
    "Rotschlamm",
    "Grubenwasser",
    "Klärschlamm",
]
PROCESSES = [
    "Hydrometallurgie",
    "leaching",
    "Laugung",
    "solvent extraction",
    "Pyrometallurgie",
    "smelting",
    "Zerkleinerung",
    "shredding",
    "sensor-based sorting",
    "Sortierung",
    "Flotation",
    "Demontage",
    "dismantling",
    "Raffination",
    "refining",
    "Fällung",
    "Elektrolyse",
    "Probenahme",
    "ICP-OES",
    "RFA",
    "XRF analysis",
    "LCA",
    "Ökobilanz",
    "Stoffstromanalyse",
    "digital twin",
    "machine learning",
    "Logistik",
    "Gefahrguttransport",
    "Rücknahmesysteme",
    "Recycling",
    "Rückgewinnung",
    "recovery",
    "Handel",
    "trading",
    "Beratung",
    "consulting",
]
SECTORS = [
    "Automobilindustrie",
    "Halbleiterindustrie",
    "Stahlwerke",
    "Gießereien",
    "Kommunen",
    "Entsorgungswirtschaft",
    "Werkzeugbau",
    "Energieversorgung",
    "Bergbau",
    "Chemie",
]
KINDS = ["company"] * 6 + ["university", "research", "municipality", "association"]
CITIES = ["Goslar", "Magdeburg", "Leipzig", "Kassel", "Hannover", "Halle (Saale)", "Freiberg"]
ROLES = ["Geschäftsführung", "Head of R&D", "Projektleitung", "Laborleitung", "Sales Manager"]
ORG_WORDS = ["Harz", "Mitteldeutsche", "Nordhessen", "Bode", "Oker", "Selke", "Saale", "Elbe"]
ORG_TAILS = ["Recycling GmbH", "Metall AG", "Analytik GmbH", "Institut", "Verwertung GmbH"]
REQUEST_TEMPLATES = [
    "Wir suchen einen Partner für {p} von {m}.",
    "Looking for a lab that can do {p} of {m}.",
    "Wer kann uns bei der {p} von {m} und {m2} helfen?",
    "We need a company with experience in {p} and {p2} for {m} from {s}.",
    "Für ein ZIM-Projekt zu {m} suchen wir ein Institut mit Know-how in {p}.",
    "Who recycles {m}?",
]


def generate_members(count: int, rng: random.Random) -> list[Candidate]:
    members: list[Candidate] = []
    for n in range(count):
        topics = rng.sample(MATERIALS, rng.randint(1, 3)) + rng.sample(PROCESSES, rng.randint(1, 3))
        org = f"{rng.choice(ORG_WORDS)} {rng.choice(MATERIALS).split()[0]} {rng.choice(ORG_TAILS)}"
        bio = (
            f"Wir arbeiten an {rng.choice(PROCESSES)} von {rng.choice(MATERIALS)} "
            f"für {rng.choice(SECTORS)} and offer {rng.choice(PROCESSES)}."
        )
        members.append(
            Candidate(
                member_id=f"g{n:05d}",
                organisation=f"{org} {n // 3}",
                kind=rng.choice(KINDS),
                city=rng.choice(CITIES),
                role=rng.choice(ROLES),
                languages=("de", "en"),
                young_professional=rng.random() < 0.2,
                topics=tuple(topics),
                bio=bio,
                consent=rng.random() > 0.02,
                recent_requests=rng.randint(0, 4),
            )
        )
    return members


def generate_requests(count: int, rng: random.Random) -> list[str]:
    return [
        rng.choice(REQUEST_TEMPLATES).format(
            p=rng.choice(PROCESSES),
            p2=rng.choice(PROCESSES),
            m=rng.choice(MATERIALS),
            m2=rng.choice(MATERIALS),
            s=rng.choice(SECTORS),
        )
        for _ in range(count)
    ]


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(size: int, n_requests: int, seed: int) -> dict[str, float | int]:
    rng = random.Random(seed)
    members = generate_members(size, rng)
    requests = generate_requests(n_requests, rng)
    started = time.perf_counter()
    ranker = PartnerRanker(members)
    build = time.perf_counter() - started
    # a second build under tracemalloc: tracing slows it down, so it is not timed
    tracemalloc.start()
    traced = PartnerRanker(members)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    ranker.rank(requests[0], None, requester_id=members[0].member_id)  # warm caches
    timings: list[float] = []
    cpu: list[float] = []  # CPU time too: wall time suffers on a shared, busy machine
    answered = 0
    for text in requests:
        requester = rng.choice(members).member_id
        started, started_cpu = time.perf_counter(), time.process_time()
        found = ranker.rank(text, None, requester_id=requester, k=5)
        timings.append((time.perf_counter() - started) * 1000.0)
        cpu.append((time.process_time() - started_cpu) * 1000.0)
        answered += bool(found)
    return {
        "members": size,
        "requests": n_requests,
        "build_s": round(build, 3),
        "peak_mem_mb": round(peak / 2**20, 1),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "p95_cpu_ms": round(percentile(cpu, 0.95), 2),
        "answered_share": round(answered / n_requests, 3),
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    start_report = startup()
    results = [measure(size, args.requests, args.seed) for size in args.sizes]
    print(
        json.dumps(
            {
                "benchmark": "partner_ranking",
                "target_p95_ms": 50,
                "startup": start_report,
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
