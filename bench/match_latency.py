"""Latency of partner ranking on generated member directories.

Prints one JSON object: per directory size the index build time (wall and CPU), what building
the ranker again costs when only consent or request counts changed, the memory the index adds,
and p50/p95 time to rank one request (wall and CPU); `startup` is `bench/startup.py` in a fresh
process with the largest directory (seconds to the first answer, resident memory).
Run: ``python bench/match_latency.py [--sizes 1000 10000] [--requests 300]``
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import replace

import startup

from bot import memory
from handlers.partners.concepts import load_thesaurus
from handlers.partners.directory import Candidate
from handlers.partners.kinds import load_kind_words
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
    gc.collect()
    before = startup.rss_mb()
    started, started_cpu = time.perf_counter(), time.process_time()
    ranker = PartnerRanker(members)
    build, build_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    index_mb = startup.rss_mb() - before
    # What the bot does when only consent or how often members were asked changed.
    started = time.perf_counter()
    PartnerRanker([replace(m, recent_requests=m.recent_requests + 1) for m in members])
    rebuild = time.perf_counter() - started
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
        "build_cpu_s": round(build_cpu, 3),
        "rebuild_same_profiles_s": round(rebuild, 3),
        # what the index adds to the process (the directory itself not counted)
        "index_mb": round(index_mb, 1),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "p50_cpu_ms": round(statistics.median(cpu), 2),
        "p95_cpu_ms": round(percentile(cpu, 0.95), 2),
        "answered_share": round(answered / n_requests, 3),
        "rss_mb": startup.rss_mb(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--no-startup", action="store_true", help="skip the fresh-process start-up run"
    )
    args = parser.parse_args(argv)
    # Start-up first, in its own process: a bot that restarts with the largest directory.
    start_report = None if args.no_startup else startup.run_fresh(0, max(args.sizes), 0)
    memory.settle()  # the garbage-collector settings of a running bot (bot/memory.py)
    # The first index of a process also reads the kind words and the thesaurus once.
    started = time.perf_counter()
    load_kind_words()
    load_thesaurus()
    tables_s = round(time.perf_counter() - started, 3)
    results = [measure(size, args.requests, args.seed) for size in args.sizes]
    print(
        json.dumps(
            {
                "benchmark": "partner_ranking",
                "target_p95_ms": 50,
                "startup": start_report,
                "kind_words_and_thesaurus_s": tables_s,
                "results": results,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
