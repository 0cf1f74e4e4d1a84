"""Figures that say how much of `faq eval` was fitted: ranking, self-test and folds.

- `ranking`: where the engine ranks the expected entry, whatever it then decides (`top1`,
  `top3`); thresholds play no part.
- `self_test`: each phrasing of the knowledge base is left out and asked against the rest;
  each entry is left out whole and its phrasings must not be answered with another entry.
  No evaluation question is involved, so nothing can have been fitted to it.
- `cross_validate`: the decision thresholds are chosen on four fifths of the questions and
  the figures are read on the fifth left out, five times: a figure far below the one with
  the product's thresholds says the thresholds were fitted to these questions.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from handlers.faq.calibration import calibrated, phrasings_of, without
from handlers.faq.engine import Assessment, FaqDecision, FaqEngine, Thresholds
from handlers.faq.evaluation import Outcome, Question, metrics_of
from handlers.faq.kb_format import FaqEntry

TOP_K = 3
# The bar a threshold choice must clear on its training folds: the targets.
MAX_WRONG = 0.05
MIN_OOS_ABSTAIN = 0.85
# The thresholds tried on the folds (the product's defaults lie inside every range).
GRID = {
    "answer_min_score": [0.30 + 0.03 * i for i in range(11)],
    "answer_min_margin": [0.025 * i for i in range(9)],
    "choice_min_score": [0.18 + 0.04 * i for i in range(7)],
    "lone_min_score": [0.30 + 0.04 * i for i in range(7)],
}
FIGURES = ("accuracy", "helpful", "wrong_rate", "oos_abstain")


def ranking(engine: FaqEngine, questions: Sequence[Question]) -> dict[str, float]:
    """Share of in-scope questions whose expected entry is ranked first / in the first three."""
    in_scope = [q for q in questions if q.expect is not None]
    first = within = 0
    for question in in_scope:
        ids = [r.entry_id for r in engine.rank(question.text, question.lang, limit=TOP_K)]
        first += bool(ids) and ids[0] == question.expect
        within += question.expect in ids
    return {"top1": _ratio(first, len(in_scope)), "top3": _ratio(within, len(in_scope))}


def self_test(entries: Sequence[FaqEntry], groups: int = 5) -> dict[str, Any]:
    """Leave one phrasing out and ask it; leave an entry out and ask its phrasings.

    Done in rounds, so that the engine is built a dozen times, not once per phrasing: round
    r takes the r-th phrasing out of every entry that has another one; the entries left out
    whole are dealt into `groups` rounds. Decided with the knowledge base's own thresholds.
    """
    thresholds = calibrated(entries)
    outcomes: list[Outcome] = []
    ranks: list[list[str]] = []
    phrasings = [phrasings_of(entry) for entry in entries]
    for round_ in range(max(map(len, phrasings), default=0)):
        asked: list[tuple[str, str, str]] = []
        kept: list[FaqEntry] = []
        for entry, own in zip(entries, phrasings, strict=True):
            if len(own) < 2 or round_ >= len(own):
                kept.append(entry)  # an entry needs one phrasing left to be found by
                continue
            lang, text = own[round_]
            asked.append((entry.id, lang, text))
            kept.append(without(entry, lang, text))
        engine = FaqEngine(kept, thresholds=thresholds)
        for entry_id, lang, text in asked:
            assessment = engine.assess(text, lang)
            decision = assessment.decide(thresholds)
            outcomes.append(Outcome(Question(text, lang, entry_id), decision))
            ranks.append([r.entry_id for r in assessment.ranked[:TOP_K]])
    found = len(outcomes)
    for group in range(groups):
        left_out = {i for i in range(len(entries)) if i % groups == group}
        kept = [e for i, e in enumerate(entries) if i not in left_out]
        engine = FaqEngine(kept, thresholds=thresholds)
        for i in sorted(left_out):
            for lang, text in phrasings[i]:
                outcomes.append(Outcome(Question(text, lang, None), engine.match(text, lang)))
    metrics = metrics_of(outcomes)
    pairs = list(zip(outcomes[:found], ranks, strict=True))
    metrics["top1"] = _ratio(sum(1 for o, r in pairs if r and r[0] == o.question.expect), found)
    metrics["top3"] = _ratio(sum(1 for o, r in pairs if o.question.expect in r), found)
    return metrics


@dataclass(frozen=True)
class _Flags:
    """What one threshold choice does with each question (indexed like the questions):
    answered right, right entry among the choices, answered wrongly, not answered."""

    thresholds: Thresholds
    decisions: tuple[FaqDecision, ...]
    correct: tuple[bool, ...]
    offered: tuple[bool, ...]
    wrong: tuple[bool, ...]
    abstained: tuple[bool, ...]


def cross_validate(
    engine: FaqEngine, questions: Sequence[Question], folds: int = 5, seed: int = 0
) -> dict[str, Any]:
    """Thresholds chosen on `folds - 1` folds, figures read on the held-out one."""
    if folds < 2 or len(questions) < folds:
        raise ValueError(f"--folds needs at least 2 folds and as many questions ({folds})")
    assessments = [engine.assess(q.text, q.lang) for q in questions]
    candidates = [_decide_all(questions, assessments, t) for t in _grid()]
    held_out: list[dict[str, Any]] = []
    chosen: list[dict[str, float]] = []
    for fold in _folds(questions, folds, seed):
        training = [i for i in range(len(questions)) if i not in fold]
        best = max(candidates, key=lambda c: _objective(c, questions, training))
        held_out.append(_metrics(best, questions, sorted(fold)))
        chosen.append({k: round(v, 3) for k, v in vars(best.thresholds).items()})
    result: dict[str, Any] = {"folds": folds}
    for figure in FIGURES:
        values = [m[figure] for m in held_out]
        result[figure] = round(statistics.fmean(values), 4)
        result[f"{figure}_spread"] = round(statistics.pstdev(values), 4)
    result["thresholds"] = chosen
    return result


def _grid() -> list[Thresholds]:
    names = list(GRID)
    return [
        Thresholds(**dict(zip(names, values, strict=True)))
        for values in itertools.product(*(GRID[n] for n in names))
    ]


def _decide_all(
    questions: Sequence[Question], assessments: Sequence[Assessment], thresholds: Thresholds
) -> _Flags:
    decisions = tuple(a.decide(thresholds) for a in assessments)
    outcomes = [Outcome(q, d) for q, d in zip(questions, decisions, strict=True)]
    return _Flags(
        thresholds,
        decisions,
        tuple(o.correct for o in outcomes),
        tuple(
            o.decision.kind != "answer" and o.question.expect in d.entry_ids
            for o, d in zip(outcomes, decisions, strict=True)
        ),
        tuple(o.wrong for o in outcomes),
        tuple(d.kind != "answer" for d in decisions),
    )


def _folds(questions: Sequence[Question], folds: int, seed: int) -> list[set[int]]:
    """Folds with in-scope and out-of-scope questions spread evenly."""
    rng = random.Random(seed)
    buckets: list[set[int]] = [set() for _ in range(folds)]
    dealt = 0
    for in_scope in (True, False):
        indices = [i for i, q in enumerate(questions) if (q.expect is not None) is in_scope]
        rng.shuffle(indices)
        for index in indices:
            buckets[dealt % folds].add(index)
            dealt += 1
    return buckets


def _metrics(
    flags: _Flags, questions: Sequence[Question], indices: Sequence[int]
) -> dict[str, Any]:
    return metrics_of([Outcome(questions[i], flags.decisions[i]) for i in indices])


def _objective(
    flags: _Flags, questions: Sequence[Question], indices: Sequence[int]
) -> tuple[bool, float, float, float]:
    """Within the bar first, then accuracy, then helpful; outside it, fewest wrong."""
    in_scope = [i for i in indices if questions[i].expect is not None]
    oos = [i for i in indices if questions[i].expect is None]
    correct = sum(flags.correct[i] for i in in_scope)
    helpful = correct + sum(flags.offered[i] for i in in_scope)
    wrong = sum(flags.wrong[i] for i in indices) / len(indices)
    abstain = sum(flags.abstained[i] for i in oos) / len(oos) if oos else 1.0
    within = wrong <= MAX_WRONG and abstain >= MIN_OOS_ABSTAIN
    return (within, correct if within else -wrong, helpful, -_distance(flags))


def _distance(flags: _Flags) -> float:
    """How far a choice is from the product's thresholds: ties go to the nearer one."""
    default = Thresholds()
    return float(sum(abs(v - getattr(default, k)) for k, v in vars(flags.thresholds).items()))


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
