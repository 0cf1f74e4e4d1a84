"""Offline evaluation of partner routing on a labelled request set.

``python -m handlers.partners.evaluation --members M.csv --requests R.jsonl [--k 5] [--json]``
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rapidfuzz import fuzz, utils

from handlers.partners.directory import Candidate, load_members_csv
from handlers.partners.ranking import PartnerRanker

BASELINE_THRESHOLD = 30.0

Router = Callable[["Request"], list[str]]


@dataclass(frozen=True)
class Request:
    id: str
    member: str
    lang: str | None
    text: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Metrics:
    n: int
    recall_at_k: float
    precision_at_k: float
    empty_ok: float

    def as_dict(self) -> dict[str, float | int]:
        return {
            "n": self.n,
            "recall_at_k": round(self.recall_at_k, 4),
            "precision_at_k": round(self.precision_at_k, 4),
            "empty_ok": round(self.empty_ok, 4),
        }


def load_requests(path: Path) -> list[Request]:
    requests: list[Request] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                requests.append(
                    Request(
                        id=str(raw.get("id", number)),
                        member=str(raw["member"]),
                        lang=raw.get("lang"),
                        text=str(raw["text"]),
                        relevant=frozenset(raw.get("relevant") or ()),
                    )
                )
            except (KeyError, TypeError, json.JSONDecodeError) as error:
                raise ValueError(f"line {number}: bad request ({error})") from None
    return requests


def score(requests: Sequence[Request], contacted: Sequence[list[str]], k: int) -> Metrics:
    recalls: list[float] = []
    precisions: list[float] = []
    empties: list[float] = []
    for request, sent in zip(requests, contacted, strict=True):
        hits = len(request.relevant.intersection(sent))
        if request.relevant:
            recalls.append(hits / min(k, len(request.relevant)))
            precisions.append(hits / len(sent) if sent else 0.0)
        else:
            empties.append(0.0 if sent else 1.0)

    def mean(values: list[float]) -> float:
        return sum(values) / len(values) if values else 0.0

    return Metrics(len(requests), mean(recalls), mean(precisions), mean(empties))


def engine_router(members: Sequence[Candidate], k: int) -> Router:
    ranker = PartnerRanker(members)

    def route(request: Request) -> list[str]:
        found = ranker.rank(request.text, request.lang, requester_id=request.member, k=k)
        return [match.member_id for match in found]

    return route


def baseline_router(members: Sequence[Candidate], k: int) -> Router:
    """Plain fuzzy string similarity against the topics, top k above one threshold."""

    def route(request: Request) -> list[str]:
        scored = [
            (
                fuzz.token_set_ratio(
                    request.text, " ".join(m.topics), processor=utils.default_process
                ),
                m.member_id,
            )
            for m in members
            if m.member_id != request.member
        ]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [member for value, member in scored[:k] if value >= BASELINE_THRESHOLD]

    return route


def _table(
    requests: Sequence[Request],
    contacted: Sequence[list[str]],
    metrics: Metrics,
    baseline: Metrics,
    out: TextIO,
) -> None:
    out.write(f"{'metric':<16}{'engine':>10}{'baseline':>10}\n")
    for name in ("recall_at_k", "precision_at_k", "empty_ok"):
        out.write(f"{name:<16}{getattr(metrics, name):>10.3f}{getattr(baseline, name):>10.3f}\n")
    out.write(f"{'n':<16}{metrics.n:>10}\n\n")
    wrong = [
        (r, sent)
        for r, sent in zip(requests, contacted, strict=True)
        if set(sent) != set(r.relevant) and not (r.relevant and r.relevant <= set(sent))
    ]
    if not wrong:
        out.write("no errors\n")
        return
    out.write("requests routed imperfectly:\n")
    for request, sent in wrong:
        missed = sorted(request.relevant.difference(sent))
        extra = [m for m in sent if m not in request.relevant]
        out.write(f"- {request.id}: {request.text[:90]}\n")
        out.write(f"    contacted={sent} missed={missed} extra={extra}\n")


def run(members: Path, requests: Path, k: int, as_json: bool, out: TextIO = sys.stdout) -> int:
    """Evaluate the ranking on ``requests`` against ``members``; returns an exit code."""
    try:
        directory = load_members_csv(members)
        labelled = load_requests(requests)
    except (OSError, ValueError) as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    engine = engine_router(directory, k)
    contacted = [engine(r) for r in labelled]
    metrics = score(labelled, contacted, k)
    plain = baseline_router(directory, k)
    baseline = score(labelled, [plain(r) for r in labelled], k)
    if as_json:
        result: dict[str, object] = dict(metrics.as_dict())
        result["baseline"] = baseline.as_dict()
        out.write(json.dumps(result) + "\n")
    else:
        _table(labelled, contacted, metrics, baseline, out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate partner routing.")
    parser.add_argument("--members", type=Path, required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    return run(args.members, args.requests, args.k, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
