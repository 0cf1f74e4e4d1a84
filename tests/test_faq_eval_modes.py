"""`faq eval` reports how much of a figure was fitted: ranking, self-test and folds."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main as cli_main
from handlers.faq.eval_command import EvalOptions, run

# An invented knowledge base: several phrasings per entry, so each can be left out.
KB = """
[[faq]]
id = "opening-hours"
question.de = ["Wann ist die Bibliothek geöffnet?", "Öffnungszeiten der Bibliothek"]
question.en = ["When is the library open?", "library opening hours"]
answer.de = "Montag bis Freitag von 9 bis 18 Uhr."
answer.en = "Monday to Friday, 9 am to 6 pm."

[[faq]]
id = "borrow-books"
question.de = ["Wie leihe ich ein Buch aus?", "Bücher ausleihen"]
question.en = ["How do I borrow a book?", "borrowing books"]
answer.de = "Mit dem Leseausweis an der Ausleihtheke."
answer.en = "With your reader card at the lending desk."

[[faq]]
id = "reader-card"
question.de = ["Wie bekomme ich einen Leseausweis?", "Leseausweis beantragen"]
question.en = ["How do I get a reader card?", "apply for a library card"]
answer.de = "Den Ausweis gibt es an der Information gegen Vorlage des Personalausweises."
answer.en = "The card is issued at the information desk on showing an ID."

[[faq]]
id = "late-fees"
question.de = ["Was kostet eine verspätete Rückgabe?", "Mahngebühren"]
question.en = ["What does a late return cost?", "overdue fines"]
answer.de = "50 Cent pro Buch und Tag."
answer.en = "50 cents per book and day."
"""

QUESTIONS = [
    {"text": "bis wann hat die bibliothek offen", "lang": "de", "expect": "opening-hours"},
    {"text": "Can I take a book home?", "lang": "en", "expect": "borrow-books"},
    {"text": "Ich brauche einen Leseausweis", "lang": "de", "expect": "reader-card"},
    {"text": "how much is the fine for returning late", "lang": "en", "expect": "late-fees"},
    {"text": "Wann hat die Bibliothek geöffnet?", "lang": "de", "expect": "opening-hours"},
    {"text": "Regnet es am Wochenende?", "lang": "de", "expect": None},
    {"text": "Who won the football match?", "lang": "en", "expect": None},
    {"text": "Wo kann ich mein Fahrrad reparieren?", "lang": "de", "expect": None},
    {"text": "library card please", "lang": "en", "expect": "reader-card"},
    {"text": "Bücher ausleihen, wie geht das?", "lang": "de", "expect": "borrow-books"},
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    kb = tmp_path / "kb.toml"
    kb.write_text(KB, encoding="utf-8")
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in QUESTIONS), encoding="utf-8")
    return kb, questions


def _json(options: EvalOptions) -> dict[str, object]:
    out = io.StringIO()
    assert run(options, out=out) == 0
    result = json.loads(out.getvalue())
    assert isinstance(result, dict)
    return result


def test_ranking_figures_sit_beside_the_decisions(files: tuple[Path, Path]) -> None:
    kb, questions = files
    figures = _json(EvalOptions(kb, questions, as_json=True))
    top1, top3 = figures["top1"], figures["top3"]
    assert isinstance(top1, float) and isinstance(top3, float)
    # The ranking is at least as good as the decisions built on it.
    assert figures["accuracy"] <= top1 <= top3 <= 1.0  # type: ignore[operator]
    assert top1 >= 0.5


def test_self_test_needs_no_questions(files: tuple[Path, Path]) -> None:
    kb, _ = files
    figures = _json(EvalOptions(kb, as_json=True, self_test=True))["self"]
    assert isinstance(figures, dict)
    # Every phrasing is asked once with its entry in the KB, and once with the entry gone.
    assert figures["in_scope"] == figures["out_of_scope"] == 16
    assert 0.0 <= figures["top1"] <= figures["top3"] <= 1.0
    assert figures["top3"] > 0.0


def test_folds_choose_thresholds_on_the_rest(files: tuple[Path, Path]) -> None:
    kb, questions = files
    folds = _json(EvalOptions(kb, questions, as_json=True, folds=2))["cross_validated"]
    assert isinstance(folds, dict)
    assert folds["folds"] == 2
    assert len(folds["thresholds"]) == 2
    for figure in ("accuracy", "helpful", "wrong_rate", "oos_abstain"):
        assert 0.0 <= folds[figure] <= 1.0
        assert folds[f"{figure}_spread"] >= 0.0


def test_the_command_line_prints_a_table_and_refuses_nonsense(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    kb, questions = files
    assert cli_main(["faq", "eval", "--kb", str(kb), "--questions", str(questions), "--self"]) == 0
    table = capsys.readouterr().out
    assert "top1" in table and "self" in table.splitlines()[0]
    assert cli_main(["faq", "eval", "--kb", str(kb)]) == 2
    assert "--self" in capsys.readouterr().err
    assert cli_main(["faq", "eval", "--kb", str(kb), "--questions", str(kb)]) == 2
    learning = ["--learn-from", str(questions), "--questions", str(questions)]
    for share in ("1.5", "-0.1", "viele"):
        with pytest.raises(SystemExit):
            cli_main(["faq", "eval", "--kb", str(kb), *learning, "--helpful-votes", share])
        assert "no share between 0 and 1" in capsys.readouterr().err


def test_a_knowledge_base_with_several_bad_entries_names_each_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # as `import faq` does: every bad entry by number and line, so all are fixed in one go
    kb = tmp_path / "kb.toml"
    kb.write_text(
        KB
        + """
[[faq]]
id = "Bad Id!"
question.de = ["Gibt es Gruppenräume?"]
answer.de = "Ja, zwei im ersten Stock."

[[faq]]
id = "no-answer"
question.de = ["Darf man Getränke mitbringen?"]

[[faq]]
id = "opening-hours"
question.de = ["Ist sonntags geöffnet?"]
answer.de = "Nein."
""",
        encoding="utf-8",
    )
    assert cli_main(["faq", "eval", "--kb", str(kb), "--self"]) == 2
    said = capsys.readouterr().err
    bad = [line for line in said.splitlines() if f"{kb}: entry" in line]
    assert len(bad) == 3, said
    assert "Bad Id!" in said and "opening-hours" in said, said
    assert any("line" in line for line in bad), said
