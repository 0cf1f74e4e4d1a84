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

from handlers.eval_lines import check_keys
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


REQUEST_KEYS = frozenset({"id", "member", "lang", "text", "relevant"})
# `relevant` must be there ([] for a request nobody should get): without it every request
# would count as one nobody fits, and recall would be 0.
REQUIRED_REQUEST_KEYS = ("member", "text", "relevant")


def load_requests(path: Path) -> list[Request]:
    """Read JSON lines `{"id", "member", "lang", "text", "relevant"}`; raise ValueError naming
    the file, the line and the key."""
    requests: list[Request] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{where}: bad request ({error})") from None
            if not isinstance(raw, dict):
                raise ValueError(f"{where}: a line must be a JSON object")
            check_keys(raw, REQUEST_KEYS, REQUIRED_REQUEST_KEYS, where)
            relevant = raw["relevant"]
            if not isinstance(relevant, list) or not all(isinstance(m, str) for m in relevant):
                raise ValueError(f"{where}: 'relevant' must be a list of member ids")
            requests.append(
                Request(
                    id=str(raw.get("id", number)),
                    member=str(raw["member"]),
                    lang=raw.get("lang"),
                    text=str(raw["text"]),
                    relevant=frozenset(relevant),
                )
            )
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


def engine_router(members: Sequence[Candidate], k: int, **floors: float) -> Router:
    ranker = PartnerRanker(members, **floors)  # type: ignore[arg-type]

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


# Floors tried by ``--folds``: the share of the request a member must cover, and the weight.
FOLD_GRID = {
    "min_score": (0.08, 0.11, 0.14, 0.18, 0.22, 0.26),
    "min_mass": (0.2, 0.3, 0.4, 0.55, 0.7),
}


def objective(metrics: Metrics) -> float:
    """What a fold's floors are chosen for: recall, precision and nobody-contacted alike."""
    return metrics.recall_at_k + metrics.precision_at_k + metrics.empty_ok


def cross_validate(
    members: Sequence[Candidate], requests: Sequence[Request], k: int, folds: int
) -> dict[str, object]:
    """Floors chosen on all folds but one, measured on that one; mean and spread.

    The index is built once; each fold's floors are chosen on the other folds' requests
    from ``FOLD_GRID``, so the held-out figures say what the floors do on requests they
    were not chosen on.
    """
    grid = [
        {"min_score": score_, "min_mass": mass}
        for score_ in FOLD_GRID["min_score"]
        for mass in FOLD_GRID["min_mass"]
    ]
    ranker = PartnerRanker(members)
    routed: list[list[list[str]]] = []
    for floors in grid:
        ranker.set_floors(**floors)
        routed.append(
            [
                [m.member_id for m in ranker.rank(r.text, r.lang, requester_id=r.member, k=k)]
                for r in requests
            ]
        )
    parts = [list(range(start, len(requests), folds)) for start in range(folds)]
    held: list[Metrics] = []
    chosen: list[dict[str, float]] = []
    for part in parts:
        train = [i for i in range(len(requests)) if i not in set(part)]

        def on(indices: list[int], g: int) -> Metrics:
            return score([requests[i] for i in indices], [routed[g][i] for i in indices], k)

        best = max(range(len(grid)), key=lambda g: (objective(on(train, g)), -g))
        held.append(on(part, best))
        chosen.append(grid[best])

    def spread(name: str) -> dict[str, float]:
        values = [float(getattr(m, name)) for m in held]
        mean = sum(values) / len(values)
        std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
        return {"mean": round(mean, 4), "std": round(std, 4)}

    return {
        "folds": folds,
        "recall_at_k": spread("recall_at_k"),
        "precision_at_k": spread("precision_at_k"),
        "empty_ok": spread("empty_ok"),
        "floors": chosen,
    }


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
        if set(sent) != set(r.relevant)
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


def run(
    members: Path,
    requests: Path,
    k: int,
    as_json: bool,
    out: TextIO = sys.stdout,
    folds: int = 0,
) -> int:
    """Evaluate the ranking on ``requests`` against ``members``; returns an exit code.

    ``folds`` > 1 adds the cross-validated figures (``cross_validate``).
    """
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
    folded = cross_validate(directory, labelled, k, folds) if folds > 1 else None
    if as_json:
        result: dict[str, object] = dict(metrics.as_dict())
        result["baseline"] = baseline.as_dict()
        if folded is not None:
            result["cross_validated"] = folded
        out.write(json.dumps(result) + "\n")
    else:
        _table(labelled, contacted, metrics, baseline, out)
        if folded is not None:
            out.write("\ncross-validated: " + json.dumps(folded) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate partner routing.")
    parser.add_argument("--members", type=Path, required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--folds", type=int, default=0, help="cross-validate the floors")
    args = parser.parse_args(argv)
    return run(args.members, args.requests, args.k, args.json, folds=args.folds)


if __name__ == "__main__":
    raise SystemExit(main())
