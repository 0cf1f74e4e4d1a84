"""Labelled questions and the figures of `faq eval`: accuracy, choices, wrong, abstention."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.textmatch import normalize
from handlers.eval_lines import check_keys
from handlers.faq.engine import FaqDecision
from handlers.faq.kb_format import FaqEntry

# The baseline answers when plain WRatio over all phrasings reaches this score.
BASELINE_THRESHOLD = 80.0

Matcher = Callable[[str, str | None], FaqDecision]


@dataclass(frozen=True)
class Question:
    """One labelled member message; `expect` None means nothing in the KB answers it."""

    text: str
    lang: str | None
    expect: str | None
    line: int = field(default=0, compare=False)  # in its file, for messages


QUESTION_KEYS = frozenset({"text", "lang", "expect"})
# `expect` must be there: null marks a question no entry answers, so a misspelt key would
# silently count every question as out of scope.
REQUIRED_QUESTION_KEYS = ("text", "expect")


def load_questions(path: Path) -> list[Question]:
    """Read JSON lines `{"text", "lang", "expect"}`; raise ValueError naming the bad line."""
    questions: list[Question] = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: bad question line: {exc}") from exc
        if not isinstance(raw, dict):
            raise ValueError(f"{path}:{number}: a line must be a JSON object")
        check_keys(raw, QUESTION_KEYS, REQUIRED_QUESTION_KEYS, f"{path}:{number}")
        text, lang, expect = raw["text"], raw.get("lang"), raw["expect"]
        if not isinstance(text, str) or not (expect is None or isinstance(expect, str)):
            raise ValueError(f"{path}:{number}: 'text' must be a string, 'expect' a string/null")
        questions.append(Question(text, lang if isinstance(lang, str) else None, expect, number))
    return questions


def unknown_entries(path: Path, questions: Sequence[Question], ids: Collection[str]) -> list[str]:
    """A line for each question expecting an entry the knowledge base does not have (a typo
    in `expect` would otherwise count as an ordinary miss)."""
    return [
        f"{path}:{q.line}: expect {q.expect!r} is no entry of the knowledge base"
        for q in questions
        if q.expect is not None and q.expect not in ids
    ]


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
    return metrics_of(outcomes), outcomes


def metrics_of(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Accuracy, choices, helpful, wrong answers and abstention of decided questions."""
    in_scope = [o for o in outcomes if o.question.expect is not None]
    oos = [o for o in outcomes if o.question.expect is None]
    correct = sum(1 for o in in_scope if o.correct)
    choices_hit = sum(
        1
        for o in in_scope
        if o.decision.kind == "choices" and o.question.expect in o.decision.entry_ids
    )
    # the right entry among those suggested beside a hand-off: the member can tap it while
    # the office has the question (reported apart: the office answers these as well)
    suggested_hit = sum(
        1
        for o in in_scope
        if o.decision.kind == "handoff" and o.question.expect in o.decision.entry_ids
    )
    wrong = sum(1 for o in outcomes if o.wrong)
    abstain = sum(1 for o in oos if o.decision.kind != "answer")
    # Choices offered for a question nothing answers are no wrong answer, but cost the member
    # a tap to reach the office: reported apart, since a lower choice threshold trades them.
    handed_off = sum(1 for o in oos if o.decision.kind == "handoff")
    accuracy = _ratio(correct, len(in_scope))
    hit_rate = _ratio(choices_hit, len(in_scope))
    suggested_rate = _ratio(suggested_hit, len(in_scope))
    metrics: dict[str, Any] = {
        "n": len(outcomes),
        "in_scope": len(in_scope),
        "out_of_scope": len(oos),
        "accuracy": accuracy,
        "choices_hit": hit_rate,
        "suggested_hit": suggested_rate,
        # from the counts: the sum of three rounded shares can read 0.9999 for all
        "helpful": _ratio(correct + choices_hit + suggested_hit, len(in_scope)),
        "wrong_rate": _ratio(wrong, len(outcomes)),
        "oos_abstain": _ratio(abstain, len(oos)),
        "oos_handoff": _ratio(handed_off, len(oos)),
    }
    return metrics


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
