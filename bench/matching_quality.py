"""Every quality figure of the two matching engines on every set the project has, as JSON.

What issue 15 asks to be reported side by side, so that a session measures what the last one
did and the gap between fitted and held-out sets stays in view:

- FAQ, per set: accuracy, helpful, wrong, out of scope not answered / handed off, top1, top3
  (`rewimet-bot faq eval`), with `--folds 5` (thresholds chosen on folds); per knowledge base
  the self-test; the learning loop across REWIMET's two independent question sets.
- Partners, per set: recall@5, precision@5, nobody contacted when nobody fits, the rapidfuzz
  baseline, with 5 folds for the larger sets; the share of requests free text reads as a
  search (`read_as_search`), and per FAQ set the share of questions it misreads as one.

A network of `tests/data/networks` with a `glossary.txt` of its own (written from its
knowledge base and directory, as an operator would) is measured with it as well, as
"<set>+glossary"; the plain entry reads it with REWIMET's glossary, as before.

`held_out` marks the sets nothing was tuned on (written blind from the knowledge base or the
directory alone, and no session read their misses): their figures are the ones that say what
members get. The hydrogen sets were written blind too, but session 10 read their misses and
fixed what they showed; they count as development sets since. REWIMET's development
sets live beside the project (`../shared/eval`); without them those entries are skipped.
Run: ``python bench/matching_quality.py [--quick]`` (quick: no folds, self-tests or learning,
7 s; the whole run 40 s on two CPUs).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
NETWORKS = ROOT / "tests" / "data" / "networks"
REWIMET_KB = SHARED / "faq_kb.toml"
REWIMET_MEMBERS = SHARED / "members.csv"

# name -> (knowledge base, questions, held out)
FAQ_SETS: dict[str, tuple[Path, Path, bool]] = {
    "rewimet-dev": (REWIMET_KB, SHARED / "faq_questions_dev.jsonl", False),
    "rewimet-blind": (REWIMET_KB, NETWORKS / "rewimet-blind" / "faq_questions.jsonl", True),
    "foodcircle": (
        NETWORKS / "foodcircle" / "kb.toml",
        NETWORKS / "foodcircle" / "faq_questions.jsonl",
        False,
    ),
    "hydrogen": (
        NETWORKS / "wasserstoff" / "kb.toml",
        NETWORKS / "wasserstoff" / "faq_questions.jsonl",
        False,
    ),
}
# name -> (directory, requests, held out, folds worth running)
PARTNER_SETS: dict[str, tuple[Path, Path, bool, bool]] = {
    "rewimet-dev": (REWIMET_MEMBERS, SHARED / "partner_requests_dev.jsonl", False, True),
    "rewimet-blind": (
        REWIMET_MEMBERS,
        NETWORKS / "rewimet-blind" / "partner_requests.jsonl",
        True,
        True,
    ),
    "water": (
        NETWORKS / "wasser" / "members.csv",
        NETWORKS / "wasser" / "partner_requests.jsonl",
        False,
        False,
    ),
    "timber": (
        NETWORKS / "holzbau" / "members.csv",
        NETWORKS / "holzbau" / "partner_requests.jsonl",
        True,
        False,
    ),
    "hydrogen": (
        NETWORKS / "wasserstoff" / "members.csv",
        NETWORKS / "wasserstoff" / "partner_requests.jsonl",
        False,
        True,
    ),
}
FAQ_KEYS = ("accuracy", "helpful", "wrong_rate", "oos_abstain", "oos_handoff", "top1", "top3")
# An invented network's own glossary (written from its knowledge base and directory only, as
# an operator would): its sets are measured with it too, as "<name>+glossary".
OWN_GLOSSARY = "glossary.txt"


def _own_glossary(*files: Path) -> Path | None:
    """The glossary beside a set's files, if its network has one."""
    for file in files:
        found = file.parent / OWN_GLOSSARY
        if found.is_file():
            return found
    return None


def _json_of(run: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
    out = io.StringIO()
    code = run(*args, out=out, **kwargs)
    if code != 0:
        raise RuntimeError(f"{run.__module__} failed with exit code {code}")
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def faq_figures(quick: bool) -> dict[str, Any]:
    from bot.textmatch.thesaurus import use_glossary
    from handlers.faq.eval_command import EvalOptions, run

    figures: dict[str, Any] = {}
    runs: list[tuple[str, Path, Path, bool, Path | None]] = [
        (name, kb, questions, held_out, None)
        for name, (kb, questions, held_out) in FAQ_SETS.items()
    ]
    runs += [
        (f"{name}+glossary", kb, questions, held_out, glossary)
        for name, (kb, questions, held_out) in FAQ_SETS.items()
        if (glossary := _own_glossary(kb)) is not None
    ]
    for name, kb, questions, held_out, glossary in runs:
        if not (kb.exists() and questions.exists()):
            continue
        options = EvalOptions(
            kb=kb, questions=questions, as_json=True, folds=0 if quick else 5, glossary=glossary
        )
        found = _json_of(run, options)
        use_glossary(None)
        entry: dict[str, Any] = {"held_out": held_out}
        entry.update({key: found[key] for key in FAQ_KEYS})
        entry["rapidfuzz_accuracy"] = found["baseline"]["accuracy"]
        entry["misread_as_search"] = _misread_as_search(kb, questions)
        folded = found.get("cross_validated")
        if folded:
            entry["folds"] = {k: folded[k] for k in ("accuracy", "helpful", "wrong_rate")}
        figures[name] = entry
    if quick:
        return figures
    for kb in dict.fromkeys(kb for kb, _, _ in FAQ_SETS.values()):
        if kb.exists():
            self_figures = _json_of(run, EvalOptions(kb=kb, as_json=True, self_test=True))["self"]
            name = kb.parent.name if kb.parent != SHARED else "rewimet"
            figures[f"self:{name}"] = {key: self_figures[key] for key in FAQ_KEYS}
    dev, blind = FAQ_SETS["rewimet-dev"][1], FAQ_SETS["rewimet-blind"][1]
    if REWIMET_KB.exists() and dev.exists():
        for name, (learn, measure) in {
            "learning:dev->blind": (dev, blind),
            "learning:blind->dev": (blind, dev),
        }.items():
            for votes in (0.0, 1.0):  # the simulation; every right answer gets a 👍
                options = EvalOptions(
                    kb=REWIMET_KB,
                    questions=measure,
                    learn_from=learn,
                    as_json=True,
                    helpful_votes=votes,
                )
                after = _json_of(run, options)["after_learning"]
                before = after["without_learning"]
                figures[name if not votes else f"{name}+votes"] = {
                    key: {
                        "before": before[key],
                        "after": after[key],
                        "all_taught": after["all_taught"][key],
                    }
                    for key in ("accuracy", "helpful", "wrong_rate")
                }
    return figures


def _misread_as_search(kb: Path, questions: Path) -> float:
    """Share of the FAQ questions partner search takes for a search (it answers them with a
    partner preview instead of the FAQ), except those whose entry is about partner search. A
    question built as a call on the members (`is_call_on_members`) counts only where the FAQ
    has no direct answer for it, as in the bot (`partners.chat`)."""
    from handlers.faq.evaluation import load_questions
    from handlers.faq.kb_format import load_kb_toml
    from handlers.faq.learned import LearningMatcher
    from handlers.partners import is_partner_search
    from handlers.partners.chat import about_partner_search
    from handlers.partners.intent import is_call_on_members, without_the_network

    entries = {entry.id: entry for entry in load_kb_toml(kb)}
    matcher = LearningMatcher(list(entries.values()))

    def about_search(entry_id: str | None) -> bool:
        entry = entries.get(entry_id or "")
        return entry is not None and about_partner_search(tuple(entry.questions.values()))

    def read_as_search(text: str, lang: str | None) -> bool:
        if is_partner_search(text):
            return True
        if not is_call_on_members(text):
            return False
        decision = matcher.match(without_the_network(text), lang)
        return decision.kind != "answer" or about_search(decision.entry_ids[0])

    asked = load_questions(questions)
    misread = sum(1 for q in asked if read_as_search(q.text, q.lang) and not about_search(q.expect))
    return round(misread / len(asked), 4) if asked else 0.0


def _read_as_search(requests: Path) -> float:
    """Share of the partner requests free text starts a search for (the others reach the
    FAQ first, which offers the search only beside a hand-off or its partner-search entry);
    a call on the members counted as read (the FAQ's direct answer would take it first)."""
    from handlers.partners import is_partner_search
    from handlers.partners.evaluation import load_requests
    from handlers.partners.intent import is_call_on_members

    texts = [request.text for request in load_requests(requests)]
    read = sum(1 for text in texts if is_partner_search(text) or is_call_on_members(text))
    return round(read / len(texts), 4) if texts else 0.0


def partner_figures(quick: bool) -> dict[str, Any]:
    from bot.textmatch.thesaurus import use_glossary
    from handlers.partners.evaluation import run

    figures: dict[str, Any] = {}
    runs: list[tuple[str, Path, Path, bool, bool, Path | None]] = [
        (name, *found, None) for name, found in PARTNER_SETS.items()
    ]
    runs += [
        (f"{name}+glossary", members, requests, held_out, with_folds, glossary)
        for name, (members, requests, held_out, with_folds) in PARTNER_SETS.items()
        if (glossary := _own_glossary(members)) is not None
    ]
    for name, members, requests, held_out, with_folds, glossary in runs:
        if not (members.exists() and requests.exists()):
            continue
        folds = 5 if with_folds and not quick else 0
        use_glossary(glossary)
        try:
            found = _json_of(run, members, requests, 5, True, folds=folds)
        finally:
            use_glossary(None)
        entry: dict[str, Any] = {"held_out": held_out}
        entry.update({k: found[k] for k in ("recall_at_k", "precision_at_k", "empty_ok")})
        entry["read_as_search"] = _read_as_search(requests)
        entry["rapidfuzz"] = {
            k: found["baseline"][k] for k in ("recall_at_k", "precision_at_k", "empty_ok")
        }
        if "cross_validated" in found:
            folded = found["cross_validated"]
            entry["folds"] = {k: folded[k] for k in ("recall_at_k", "precision_at_k", "empty_ok")}
        figures[name] = entry
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="no folds, self-tests or learning")
    args = parser.parse_args()
    # Indexes built afresh: a stored one would be right too, but this measures the code.
    os.environ["REWIMET_INDEX_CACHE"] = "off"
    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    report = {
        "benchmark": "matching_quality",
        "faq": faq_figures(args.quick),
        "partners": partner_figures(args.quick),
        "targets": {
            "faq": {"top1": 0.70, "accuracy": 0.55, "wrong_rate": 0.05, "helpful": 0.80},
            "faq_after_learning": {"accuracy": 0.70, "helpful": 0.90, "wrong_rate": 0.05},
            "partners": {"recall_at_k": 0.75, "precision_at_k": 0.55, "empty_ok": 0.80},
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
