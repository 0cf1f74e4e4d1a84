"""`faq eval`: accuracy, choices, wrong answers and abstention on a labelled question set."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from rapidfuzz import fuzz, process

from bot.textmatch import normalize
from handlers.faq.engine import FaqDecision, FaqEngine
from handlers.faq.kb_format import FaqEntry, load_kb_toml

# The baseline answers when plain WRatio over all phrasings reaches this score.
BASELINE_THRESHOLD = 80.0

Matcher = Callable[[str, str | None], FaqDecision]


@dataclass(frozen=True)
class Question:
    """One labelled member message; `expect` None means nothing in the KB answers it."""

    text: str
    lang: str | None
    expect: str | None


def load_questions(path: Path) -> list[Question]:
    """Read JSON lines `{"text", "lang", "expect"}`; raise ValueError naming the bad line."""
    questions: list[Question] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            text, lang, expect = raw["text"], raw.get("lang"), raw.get("expect")
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: bad question line: {exc}") from exc
        if not isinstance(text, str) or not (expect is None or isinstance(expect, str)):
            raise ValueError(f"{path}:{number}: 'text' must be a string, 'expect' a string/null")
        questions.append(Question(text, lang if isinstance(lang, str) else None, expect))
    return questions


def baseline_matcher(entries: Sequence[FaqEntry]) -> Matcher:
    """Plain rapidfuzz WRatio best match over every phrasing, one threshold."""
    choices: list[str] = []
    owners: list[str] = []
    for entry in entries:
        for phrasings in entry.questions.values():
            for phrasing in phrasings:
                choices.append(normalize(phrasing))
                owners.append(entry.id)

    def match(text: str, lang: str | None) -> FaqDecision:
        hit = process.extractOne(normalize(text), choices, scorer=fuzz.WRatio)
        if hit is None or hit[1] < BASELINE_THRESHOLD:
            return FaqDecision("handoff", (), ())
        return FaqDecision("answer", (owners[hit[2]],), (float(hit[1]),))

    return match


@dataclass(frozen=True)
class Outcome:
    """A question with the decision taken on it."""

    question: Question
    decision: FaqDecision

    @property
    def correct(self) -> bool:
        """Answered directly with the expected entry."""
        return self.decision.kind == "answer" and self.decision.entry_ids[0] == self.question.expect

    @property
    def wrong(self) -> bool:
        """Answered directly with anything but the expected entry."""
        return self.decision.kind == "answer" and not self.correct


def evaluate(
    matcher: Matcher, questions: Sequence[Question]
) -> tuple[dict[str, Any], list[Outcome]]:
    """The metrics of the spec and every outcome."""
    outcomes = [Outcome(q, matcher(q.text, q.lang)) for q in questions]
    in_scope = [o for o in outcomes if o.question.expect is not None]
    oos = [o for o in outcomes if o.question.expect is None]
    correct = sum(1 for o in in_scope if o.correct)
    choices_hit = sum(
        1
        for o in in_scope
        if o.decision.kind != "answer" and o.question.expect in o.decision.entry_ids
    )
    wrong = sum(1 for o in outcomes if o.wrong)
    abstain = sum(1 for o in oos if o.decision.kind != "answer")
    accuracy = _ratio(correct, len(in_scope))
    hit_rate = _ratio(choices_hit, len(in_scope))
    metrics: dict[str, Any] = {
        "n": len(outcomes),
        "in_scope": len(in_scope),
        "out_of_scope": len(oos),
        "accuracy": accuracy,
        "choices_hit": hit_rate,
        "helpful": round(accuracy + hit_rate, 4),
        "wrong_rate": _ratio(wrong, len(outcomes)),
        "oos_abstain": _ratio(abstain, len(oos)),
    }
    return metrics, outcomes


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def run(kb: Path, questions: Path, as_json: bool, out: TextIO = sys.stdout) -> int:
    """Evaluate the engine and the WRatio baseline; print JSON or a table. Returns exit code."""
    try:
        entries = load_kb_toml(kb)
        labelled = load_questions(questions)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    engine = FaqEngine(entries)
    metrics, outcomes = evaluate(engine.match, labelled)
    baseline, _ = evaluate(baseline_matcher(entries), labelled)
    metrics["baseline"] = baseline
    if as_json:
        out.write(json.dumps(metrics, ensure_ascii=False) + "\n")
        return 0
    _print_table(metrics, outcomes, out)
    return 0


def _print_table(metrics: dict[str, Any], outcomes: Sequence[Outcome], out: TextIO) -> None:
    baseline: dict[str, Any] = metrics["baseline"]
    out.write(f"{'metric':<14}{'engine':>10}{'baseline':>10}\n")
    for key in (
        "n",
        "in_scope",
        "out_of_scope",
        "accuracy",
        "choices_hit",
        "helpful",
        "wrong_rate",
        "oos_abstain",
    ):
        out.write(f"{key:<14}{metrics[key]:>10}{baseline[key]:>10}\n")
    missed = [o for o in outcomes if not o.correct and o.question.expect is not None]
    wrong_oos = [o for o in outcomes if o.wrong and o.question.expect is None]
    if missed or wrong_oos:
        out.write("\nnot answered correctly:\n")
    for o in [*missed, *wrong_oos]:
        got = ",".join(o.decision.entry_ids) or "-"
        out.write(
            f"  [{o.decision.kind:<7}] expect={o.question.expect or 'null'} got={got}"
            f"  {o.question.text[:90]!r}\n"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: `python -m handlers.faq.evaluation --kb --questions`."""
    parser = argparse.ArgumentParser(description="Evaluate the FAQ engine on labelled questions.")
    parser.add_argument("--kb", type=Path, required=True, help="knowledge base TOML")
    parser.add_argument("--questions", type=Path, required=True, help="questions JSON lines")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    return run(args.kb, args.questions, bool(args.json))


if __name__ == "__main__":
    sys.exit(main())
