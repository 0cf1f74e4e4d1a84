"""`rewimet-bot partners eval`: the chat's ranking on a labelled request set, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

DIRECTORY = Path(__file__).parent / "partners_directory.csv"
REQUESTS = [
    {
        "id": "r1",
        "member": "req",
        "lang": "de",
        "text": "Wir suchen ein Labor für die Analytik von Schwarzmasse",
        "relevant": ["hanna"],
    },
    {
        "id": "r2",
        "member": "anna",
        "lang": "en",
        "text": "Who can help us with leaching of rare earths?",
        "relevant": ["ben"],
    },
    {
        "id": "r3",
        "member": "req",
        "lang": "de",
        "text": "Wir suchen einen Caterer für unser Sommerfest",
        "relevant": [],
    },
]


def test_partners_eval_prints_the_metrics_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = tmp_path / "requests.jsonl"
    requests.write_text("\n".join(json.dumps(r) for r in REQUESTS) + "\n", encoding="utf-8")
    code = main(
        ["partners", "eval", "--members", str(DIRECTORY), "--requests", str(requests), "--json"]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 3
    assert result["recall_at_k"] == 1.0 and result["precision_at_k"] == 1.0
    assert result["empty_ok"] == 1.0
    assert set(result["baseline"]) >= {"recall_at_k", "precision_at_k", "empty_ok"}


def test_partners_eval_reports_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["partners", "eval", "--members", str(tmp_path / "no.csv"), "--requests", "x", "--k", "3"]
    )
    assert code == 2
    assert "no.csv" in capsys.readouterr().err
