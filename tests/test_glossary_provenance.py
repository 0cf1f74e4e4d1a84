"""`python -m bot.textmatch.provenance` on an operator's glossary: the terms nothing backs,
and what to do about them (a walkthrough's operator had got the list and no next step)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.textmatch.provenance import main

KB = """
[[faq]]
id = "sorting-lab"
question.de = ["Kann ich das Fasersortierlabor nutzen?"]
question.en = ["Can I use the fibre sorting lab?"]
answer.de = "Ja, das Sortierlabor steht Mitgliedern offen."
answer.en = "Yes, the sorting lab is open to members."
"""
GLOSSARY = "sorting: Sortierlabor | sorting | frobnication\n"


def test_unbacked_terms_are_listed_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kb, glossary, fixed = tmp_path / "kb.toml", tmp_path / "glossary.txt", tmp_path / "g2.txt"
    kb.write_text(KB, encoding="utf-8")
    glossary.write_text(GLOSSARY, encoding="utf-8")
    assert main([str(glossary), "--kb", str(kb)]) == 1
    out = capsys.readouterr().out
    assert "no source: sorting: frobnication" in out, out
    assert "no source: sorting: sorting\n" not in out  # the knowledge base says it
    assert "1 term(s) backed by neither" in out and "--annotate FILE" in out, out
    # --annotate writes the glossary without them, its sources named
    assert main([str(glossary), "--kb", str(kb), "--annotate", str(fixed)]) == 0
    written = fixed.read_text("utf-8")
    assert "frobnication" not in written and "# source:" in written, written
