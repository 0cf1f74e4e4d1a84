"""German modal particles ("eigentlich", "mal", "halt") colour a question and name nothing:
they relate it to no entry (a dictionary's senses of them are not read), so the entry the
question names comes first as it does without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.faq.calibration import calibrated
from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import load_kb_toml

DEMO_KB = Path(__file__).parent.parent / "bot" / "demo" / "faq.toml"


@pytest.fixture(scope="module")
def engine() -> FaqEngine:
    entries = load_kb_toml(DEMO_KB)
    return FaqEngine(entries, thresholds=calibrated(entries))


@pytest.mark.parametrize(
    ("plain", "coloured"),
    [
        # "eigentlich" had been read as "exact" (a dictionary sense), a word of the answer on
        # cancelling: the fee question got cancelling first among three choices.
        ("Was kostet die Mitgliedschaft?", "Was kostet die Mitgliedschaft eigentlich?"),
        ("Was kostet die Mitgliedschaft?", "was kostet die mitgliedschaft denn eigentlich"),
        ("Wie werden wir Mitglied?", "Wie werden wir eigentlich mal Mitglied?"),
        ("Wie bekomme ich den Newsletter?", "Wie bekomme ich halt den Newsletter?"),
    ],
)
def test_a_particle_leads_nowhere(engine: FaqEngine, plain: str, coloured: str) -> None:
    expected = engine.match(plain, "de")
    assert expected.kind == "answer"
    # (still words the knowledge base does not use: with two of them, choices may come)
    assert engine.match(coloured, "de").entry_ids[:1] == expected.entry_ids


def test_the_fee_asked_with_eigentlich_is_answered(engine: FaqEngine) -> None:
    decision = engine.match("was kostet die mitgliedschaft eigentlich", "de")
    assert (decision.kind, decision.entry_ids) == ("answer", ("beitrag",))
