"""An operator of another network writes its own files (evaluation sets, directory CSV,
knowledge base, glossary): a mistake in them is said with the file, the line and what to
change, never run silently."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bot.cli import main

KB = """
[[faq]]
id = "spinning"
question.de = ["Wer spinnt Garn aus Altkleidern?"]
question.en = ["Who spins yarn from old clothes?"]
answer.de = "Die Spinnerei im Kreis."
answer.en = "The spinning mill in the district."
"""
MEMBERS = (
    "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
    "m1,Vlies Werk (fiktiv),company,Plauen,Leitung,de,false,Vliesstoffe,Macht Vlies.\n"
    "m2,Garn AG (fiktiv),company,Reichenbach,Einkauf,de,false,Garn,Spinnt Garn.\n"
)


def _config(tmp_path: Path, extra: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/o.db"\n{extra}')
    return config


def _lines(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_faq_eval_refuses_a_line_with_a_wrong_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = tmp_path / "kb.toml"
    kb.write_text(KB, encoding="utf-8")
    good = {"text": "Wer spinnt Garn?", "lang": "de", "expect": "spinning"}
    # "expected" instead of "expect": every question would count as out of scope
    wrong = _lines(tmp_path / "q.jsonl", [good, {"text": "Garn aus Jeans?", "expected": "x"}])
    assert main(["faq", "eval", "--kb", str(kb), "--questions", str(wrong)]) == 2
    err = capsys.readouterr().err
    assert "q.jsonl:2" in err and "'expected'" in err and "'expect'" in err
    missing = _lines(tmp_path / "m.jsonl", [{"text": "Wer spinnt Garn?", "lang": "de"}])
    assert main(["faq", "eval", "--kb", str(kb), "--questions", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "m.jsonl:1" in err and "'expect'" in err and "null" in err
    assert main(["faq", "eval", "--kb", str(kb), "--questions", str(_lines(wrong, [good]))]) == 0


def test_faq_eval_refuses_an_expect_naming_no_entry_and_says_which_glossary_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb = tmp_path / "kb.toml"
    kb.write_text(KB, encoding="utf-8")
    good = {"text": "Wer spinnt Garn?", "lang": "de", "expect": "spinning"}
    typo = _lines(tmp_path / "q.jsonl", [good, {"text": "Garn?", "expect": "spinnig"}])
    assert main(["faq", "eval", "--kb", str(kb), "--questions", str(typo)]) == 2
    err = capsys.readouterr().err
    assert "q.jsonl:2: expect 'spinnig' is no entry of the knowledge base" in err, err
    assert "nothing evaluated" in err and "bundled example" in err
    # the config's glossary is read when --glossary is not given, and named
    glossary = tmp_path / "textil.txt"
    glossary.write_text("garn: Garn | yarn | Zwirn  # source: KB\n", encoding="utf-8")
    config = _config(tmp_path, f'[network]\nglossary = "{glossary}"\n')
    other = {"text": "Wer macht Zwirn?", "expect": "spinning"}
    asked = _lines(tmp_path / "ok.jsonl", [good, other])
    command = ["faq", "eval", "--kb", str(kb), "--questions", str(asked)]
    assert main([*command, "--config", str(config)]) == 0
    said = capsys.readouterr()
    assert f"glossary: {glossary}" in said.err and "bundled" not in said.err
    # the table says what its figures mean
    assert "choices_hit    the expected entry among" in said.out, said.out


def test_partners_eval_refuses_a_line_without_relevant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    members = tmp_path / "members.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    request = {"id": "r1", "member": "m1", "lang": "de", "text": "Wer spinnt Garn?"}
    requests = _lines(tmp_path / "r.jsonl", [{**request, "relevant": ["m2"]}, request])
    command = ["partners", "eval", "--members", str(members), "--requests", str(requests)]
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "r.jsonl:2" in err and "'relevant'" in err
    _lines(requests, [{**request, "relevant": ["m2"], "relevent": []}])
    assert main(command) == 2
    assert "r.jsonl:1" in (err := capsys.readouterr().err) and "'relevent'" in err
    _lines(requests, [{**request, "relevant": ["m2"]}])
    assert main(command) == 0


def test_directory_import_names_the_columns_it_ignored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path)
    members = tmp_path / "members.csv"
    header, *rows = MEMBERS.splitlines()
    members.write_text(
        "\n".join([header + ",name,email", *(row + ",Ada,a@x.org" for row in rows)]) + "\n"
    )
    assert main(["import", "members", str(members), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "2 added, 0 updated" in out
    assert "ignored column(s): name, email" in out
    members.write_text(MEMBERS)
    assert main(["import", "members", str(members), "--config", str(config)]) == 0
    assert "ignored" not in capsys.readouterr().out


def test_faq_import_reports_every_bad_entry_and_warns_of_a_missing_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path)
    kb = tmp_path / "kb.toml"
    kb.write_text(
        KB
        + '\n[[faq]]\nid = "Bad Id"\nquestion.de = [""]\nanswer.de = "x"\n'
        + '\n[[faq]]\nid = "ok-2"\nquestion.de = ["Wo?"]\n'
    )
    assert main(["import", "faq", str(kb), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    # both problems of entry 2 (its id and its empty question) and the one of entry 3 at once
    assert "entry 2" in err and "'Bad Id'" in err and "question.de" in err
    assert "entry 3" in err and "nothing imported" in err
    # a misspelt key is named (it had read "needs 'question' and 'answer' tables"), and a
    # language without its answer names the answer's key
    kb.write_text(
        KB
        + '\n[[faq]]\nid = "dye"\nquestions.de = ["Wer färbt?"]\nanswer.de = "x"\n'
        + '\n[[faq]]\nid = "mix"\nquestion.de = ["Wo?"]\nquestion.en = ["Where?"]\n'
        + 'answer.de = "Hier."\n'
    )
    assert main(["import", "faq", str(kb), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "dye: unknown key(s) questions (the keys are id, tags, question, answer)" in err, err
    assert "mix: questions in en but no answer.en" in err and "['en']" not in err, err
    kb.write_text(
        KB
        + '\n[[faq]]\nid = "dyeing"\nquestion.de = ["Wer färbt?"]\nanswer.de = "Niemand."\n'
        + '\n[[faq]]\nid = "sorting"\nquestion.en = ["Who sorts?"]\nanswer.en = "Nobody."\n'
    )
    assert main(["import", "faq", str(kb), "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "3 added" in out
    assert "warning: no English in 1 entry: dyeing" in out
    assert "warning: no German in 1 entry: sorting" in out


def test_check_warns_when_another_network_runs_on_the_bundled_glossary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = _config(tmp_path, '[network]\nname = "Textilkreis (fiktiv) e. V."\nshort_name = "TK"\n')
    assert main(["check", "--config", str(own)]) == 0
    out = capsys.readouterr().out
    assert "matching: glossary: warning" in out and "REWIMET" in out
    assert "glossary = " in out  # says what to set


def test_check_names_the_operators_glossary_file_and_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = tmp_path / "textil.txt"
    glossary.write_text(
        "# source: members.csv (Vlies)\nfleece: Vlies | fleece\n\nthis line is no concept\n"
    )
    own = _config(tmp_path, f'[network]\nglossary = "{glossary}"\n')
    assert main(["check", "--config", str(own)]) == 1
    out = capsys.readouterr().out
    assert f"matching: glossary: FAILED ({glossary} line 4:" in out


def test_check_says_which_lines_have_no_source_and_how_to_check_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = tmp_path / "textil.txt"
    glossary.write_text(
        "# source: members.csv (Vlies)\nfleece: Vlies | fleece\nyarn: Garn | yarn\n"
    )
    own = _config(tmp_path, f'[network]\nglossary = "{glossary}"\n')
    assert main(["check", "--config", str(own)]) == 0
    out = capsys.readouterr().out
    assert "1 concept line without a '# source:' line (line 3)" in out
    # the interpreter that has the bot installed: a plain `python` finds no module `bot`
    assert f"{sys.executable} -m bot.textmatch.provenance" in out
    # what the glossary itself holds, apart from the general layer every network shares
    assert f"matching: glossary: ok ({glossary}; 2 concept lines of its own" in out
    assert "the general layer" in out
