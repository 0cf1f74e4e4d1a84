"""The plain BM25 reading beside the engine: where both rank one entry first, the engine
answers instead of asking; where they do not, nothing changes."""

from __future__ import annotations

from pathlib import Path

import bm25s
import pytest

from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import FaqEntry, load_kb_toml
from handlers.faq.second_reading import SecondReading, _terms, _text_of
from tests.test_faq_engine import KB_TOML


@pytest.fixture(scope="module")
def entries(tmp_path_factory: pytest.TempPathFactory) -> list[FaqEntry]:
    path = tmp_path_factory.mktemp("kb") / "kb.toml"
    path.write_text(KB_TOML, "utf-8")
    return load_kb_toml(path)


def test_a_question_in_the_answers_words_is_answered(entries: list[FaqEntry]) -> None:
    # "fee" and "organisation" are only in the dues entry's answer: the engine alone offers
    # the entry as a choice, the plain reading ranks it clearly first.
    engine = FaqEngine(entries)
    decision = engine.match("how large is the fee for organisations")
    assert (decision.kind, decision.entry_ids) == ("answer", ("dues",))


def test_siblings_stay_choices(entries: list[FaqEntry]) -> None:
    # Signing up for and cancelling a site visit share the word: neither reading has a first.
    engine = FaqEngine(entries)
    decision = engine.match("Betriebsbesichtigung?")
    assert decision.kind == "choices"
    assert set(decision.entry_ids) == {"visit-signup", "visit-cancel"}


def test_the_second_reading_needs_a_clear_first(entries: list[FaqEntry]) -> None:
    reading = SecondReading(entries)
    assert reading.leads("Abmeldelink am Ende der Ausgabe", "mailing-leave")
    assert not reading.leads("Abmeldelink am Ende der Ausgabe", "dues")
    assert not reading.leads("Betriebsbesichtigung", "visit-signup")
    assert not reading.leads("Quittengelee", "dues")  # no word of any entry
    assert not reading.leads("", "dues")


def test_one_entry_or_none_never_leads(entries: list[FaqEntry]) -> None:
    assert not SecondReading(entries[:1]).leads("Jahresbeitrag", entries[0].id)
    assert not SecondReading([]).leads("Jahresbeitrag", "dues")


def test_the_scores_are_bm25s_scores(entries: list[FaqEntry]) -> None:
    # The library the formula comes from, over the same words (numpy is too big a
    # dependency for the bot itself: see the module's doc).
    demo = load_kb_toml(Path(__file__).parent.parent / "bot" / "demo" / "faq.toml")
    for kb in (entries, demo):
        reading = SecondReading(kb)
        reference = bm25s.BM25()
        reference.index([_terms(_text_of(entry)) for entry in kb], show_progress=False)
        for text in (
            "Wie hoch ist der Jahresbeitrag für Organisationen?",
            "site visit site visit calendar",
            "Wann ist die nächste Exkursion, und was kostet die Anmeldung?",
            "Quittengelee",
        ):
            ours = reading.scores(text)
            theirs = reference.get_scores(_terms(text) or ["-"])
            for position, entry in enumerate(kb):
                assert ours.get(entry.id, 0.0) == pytest.approx(float(theirs[position]), rel=1e-5)
