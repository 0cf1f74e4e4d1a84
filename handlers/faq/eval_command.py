"""`rewimet-bot faq eval`: every figure of the FAQ engine on a knowledge base, as JSON or a table.

With questions: the decisions (accuracy; helpful: answered right, or the right entry among the
choices or among the entries suggested beside a hand-off, `choices_hit` and `suggested_hit`
apart; wrong; out of scope not answered and handed off), where the
engine ranks the expected entry (`top1`, `top3`) and a plain-rapidfuzz baseline; `--folds N`
adds the figures with thresholds chosen on folds; `--learn-from A.jsonl` adds the figures after
the bot learned from A's interactions (`--helpful-votes 0.5`: half the members answered right
press 👍, which teaches too; none by default). `--self` needs no questions: the knowledge base's own
phrasings, each left out and asked.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from bot.textmatch.thesaurus import use_glossary
from handlers.faq.calibration import calibrated
from handlers.faq.engine import FaqEngine
from handlers.faq.eval_honest import cross_validate, ranking, self_test
from handlers.faq.evaluation import (
    Outcome,
    baseline_matcher,
    evaluate,
    load_questions,
    unknown_entries,
)
from handlers.faq.kb_format import load_kb_toml
from handlers.faq.learning_eval import simulate

TABLE_KEYS = (
    "n",
    "in_scope",
    "out_of_scope",
    "accuracy",
    "choices_hit",
    "suggested_hit",
    "helpful",
    "wrong_rate",
    "oos_abstain",
    "oos_handoff",
)


@dataclass(frozen=True)
class EvalOptions:
    """What `faq eval` was asked for."""

    kb: Path
    questions: Path | None = None
    as_json: bool = False
    self_test: bool = False
    folds: int = 0
    learn_from: Path | None = None
    helpful_votes: float = 0.0
    glossary: Path | None = None


def run(options: EvalOptions, out: TextIO = sys.stdout) -> int:
    """Evaluate and print; returns the exit code (2 for unreadable input)."""
    try:
        if options.glossary is not None and not options.glossary.is_file():
            raise ValueError(f"glossary {options.glossary} not found")
        use_glossary(options.glossary)
        if not _importable(options.kb):
            return 2
        entries = load_kb_toml(options.kb)
        labelled = load_questions(options.questions) if options.questions else []
        learning = load_questions(options.learn_from) if options.learn_from else []
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    ids = {entry.id for entry in entries}
    unknown = [
        *(unknown_entries(options.questions, labelled, ids) if options.questions else []),
        *(unknown_entries(options.learn_from, learning, ids) if options.learn_from else []),
    ]
    if unknown:
        for line in unknown:
            print(line, file=sys.stderr)
        print("error: nothing evaluated (an expect above names no entry)", file=sys.stderr)
        return 2
    if not labelled and not options.self_test:
        print(
            "error: give --questions, or --self to test the knowledge base on itself",
            file=sys.stderr,
        )
        return 2
    metrics: dict[str, Any] = {}
    outcomes: list[Outcome] = []
    if labelled:
        engine = FaqEngine(entries, thresholds=calibrated(entries))
        metrics, outcomes = evaluate(engine.match, labelled)
        metrics.update(ranking(engine, labelled))
        metrics["baseline"], _ = evaluate(baseline_matcher(entries), labelled)
        if options.folds:
            metrics["cross_validated"] = cross_validate(engine, labelled, options.folds)
        if learning:
            metrics["after_learning"] = simulate(
                entries, learning, labelled, helpful_votes=options.helpful_votes
            )
    if options.self_test:
        metrics["self"] = self_test(entries)
    if options.as_json:
        out.write(json.dumps(metrics, ensure_ascii=False) + "\n")
    else:
        _print_table(metrics, outcomes, out)
    return 0


def _importable(kb: Path) -> bool:
    """Whether `import faq` would take the file; if not, every bad entry is named (by number
    and line, as the import names them), not only the first."""
    from handlers.faq.kb_import import KbImportError, parse_kb

    try:
        parse_kb(kb.read_text(encoding="utf-8"))
    except KbImportError as exc:
        for problem in exc.problems:
            print(f"{kb}: {problem}", file=sys.stderr)
        print(f"error: {kb}: nothing evaluated", file=sys.stderr)
        return False
    return True


def _print_table(metrics: dict[str, Any], outcomes: Sequence[Outcome], out: TextIO) -> None:
    columns = {
        name: figures
        for name, figures in (
            ("engine", metrics),
            ("baseline", metrics.get("baseline")),
            ("folds", metrics.get("cross_validated")),
            ("learned", metrics.get("after_learning")),
            ("self", metrics.get("self")),
        )
        if figures and "accuracy" in figures
    }
    out.write(f"{'metric':<14}" + "".join(f"{name:>10}" for name in columns) + "\n")
    for key in (*TABLE_KEYS, "top1", "top3"):
        cells = [str(figures.get(key, "")) for figures in columns.values()]
        if any(cells):
            out.write(f"{key:<14}" + "".join(f"{cell:>10}" for cell in cells) + "\n")
    out.write(LEGEND)
    missed = [o for o in outcomes if not o.correct and o.question.expect is not None]
    wrong_oos = [o for o in outcomes if o.wrong and o.question.expect is None]
    if missed or wrong_oos:
        out.write("\nnot answered directly with the expected entry:\n")
    for o in [*missed, *wrong_oos]:
        out.write(f"  {_what_happened(o)}  {o.question.text[:90]!r}\n")


LEGEND = """
accuracy       answered directly with the expected entry (share of questions an entry answers)
choices_hit    the expected entry among the "did you mean" choices
suggested_hit  the expected entry suggested beside a hand-off to the office
helpful        the three together
wrong_rate     answered directly with another entry (share of all questions)
oos_abstain    questions no entry answers (expect null) not answered directly
oos_handoff    of those, handed to the office at once (no choices)
top1, top3     the expected entry ranked first / among the first three, whatever was decided
baseline       plain rapidfuzz over the phrasings; folds: thresholds chosen on other folds
self           each phrasing left out and asked; its out_of_scope are the phrasings of an
               entry left out whole, which nothing answers then
"""


def _what_happened(outcome: Outcome) -> str:
    """A missed question's decision in words ("choices a, b (expected among them)")."""
    decision, expect = outcome.decision, outcome.question.expect
    ids = ", ".join(decision.entry_ids)
    if decision.kind == "answer":
        said = f"answered with {ids}"
    elif decision.kind == "choices":
        said = f"choices {ids}"
    else:
        said = f"handed off, suggesting {ids}" if ids else "handed off"
    among = " (expected among them)" if expect in decision.entry_ids else ""
    return f"expect={expect or 'null'}: {said}{among}"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of `faq eval` (shared by `rewimet-bot` and `python -m`)."""
    parser.add_argument("--kb", type=Path, required=True, help="knowledge base TOML")
    parser.add_argument("--questions", type=Path, help="labelled questions, JSON lines")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--self", action="store_true", help="leave each phrasing out and ask it (no questions)"
    )
    parser.add_argument(
        "--folds", type=int, default=0, help="also choose thresholds on N folds (e.g. 5)"
    )
    parser.add_argument(
        "--learn-from", type=Path, help="questions the bot learns from before --questions"
    )
    parser.add_argument(
        "--helpful-votes",
        type=_share,
        default=0.0,
        metavar="SHARE",
        help="with --learn-from: the share (0-1) of right answers whose member presses 👍",
    )
    parser.add_argument("--glossary", type=Path, help="the network's glossary (default: bundled)")


def _share(text: str) -> float:
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is no share between 0 and 1")
    return share


def options_of(args: argparse.Namespace) -> EvalOptions:
    """The parsed command line as options."""
    return EvalOptions(
        kb=args.kb,
        questions=args.questions,
        as_json=bool(args.json),
        self_test=bool(args.self),
        folds=int(args.folds or 0),
        learn_from=args.learn_from,
        helpful_votes=float(args.helpful_votes),
        glossary=args.glossary,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m handlers.faq.eval_command --kb KB [--questions Q] [--self] [--folds 5]`."""
    parser = argparse.ArgumentParser(description="Evaluate the FAQ engine.")
    add_arguments(parser)
    return run(options_of(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
