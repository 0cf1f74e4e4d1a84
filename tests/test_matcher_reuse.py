"""Rebuilding the matchers reuses what did not change (a member's pick, a consent withdrawn)
and never serves what did: an edited entry, a changed profile, another glossary. Invented
knowledge base, directory and questions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.textmatch.thesaurus import use_glossary
from handlers.faq.kb_format import FaqEntry
from handlers.faq.kb_import import parse_kb
from handlers.faq.learned import LearnedText, LearningMatcher
from handlers.faq.rules import fields_to_entry
from handlers.partners import Candidate, PartnerRanker

KB = """
[[faq]]
id = "bootsverleih"
question.de = ["Wo kann ich ein Boot ausleihen?"]
question.en = ["Where can I hire a boat?"]
answer.de = "Boote verleiht der Hafenmeister."
answer.en = "The harbour master hires out boats."

[[faq]]
id = "liegeplatz"
question.de = ["Wie bekomme ich einen Liegeplatz im Hafen?"]
question.en = ["How do I get a berth in the harbour?"]
answer.de = "Liegeplätze vergibt die Geschäftsstelle."
answer.en = "The office assigns berths."

[[faq]]
id = "segelkurs"
question.de = ["Wann beginnt der nächste Segelkurs?"]
question.en = ["When does the next sailing course start?"]
answer.de = "Segelkurse beginnen im April."
answer.en = "Sailing courses start in April."
"""
NEW_ENTRY = """
[[faq]]
id = "winterlager"
question.de = ["Wo lagere ich mein Boot im Winter?"]
question.en = ["Where do I store my boat over winter?"]
answer.de = "Das Winterlager ist in Halle 3."
answer.en = "Winter storage is in hall 3."
"""
PICKED = "Gibt es auch Kanus für einen Nachmittag?"


def entries(text: str = KB) -> list[FaqEntry]:
    return [fields_to_entry(f) for f in parse_kb(text)]


def test_a_pick_keeps_the_engine_and_its_answers() -> None:
    plain = LearningMatcher(entries())
    picked = LearningMatcher(entries(), [LearnedText("bootsverleih", "de", PICKED, False)])
    assert picked.engine is plain.engine  # nothing confirmed changed: not indexed again
    offered = picked.match(PICKED, "de")
    assert offered.kind == "choices" and offered.entry_ids[0] == "bootsverleih"
    assert picked.match("Wann beginnt der Segelkurs?", "de").entry_ids == ("segelkurs",)


def test_an_edited_knowledge_base_or_a_confirmed_phrasing_is_indexed_again() -> None:
    plain = LearningMatcher(entries())
    grown = LearningMatcher(entries(KB + NEW_ENTRY))
    assert grown.engine is not plain.engine
    assert grown.match("Wo lagere ich mein Boot im Winter?", "de").entry_ids == ("winterlager",)
    confirmed = LearningMatcher(
        entries(KB + NEW_ENTRY), [LearnedText("bootsverleih", "de", PICKED, True)]
    )
    assert confirmed.engine is not grown.engine
    assert confirmed.match(PICKED + "!", "de").kind == "answer"


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.txt"
    # An invented network's glossary: "Jolle" is a kind of boat.
    path.write_text("# source: invented\nboat: Boot | Jolle | boat\n", encoding="utf-8")
    return path


def test_another_glossary_is_read_by_the_next_matcher(glossary: Path) -> None:
    before = LearningMatcher(entries())
    assert before.match("Kann ich eine Jolle ausleihen?", "de").kind == "choices"
    try:
        use_glossary(glossary)
        after = LearningMatcher(entries())
        answered = after.match("Kann ich eine Jolle ausleihen?", "de")
        assert answered.kind == "answer" and answered.entry_ids == ("bootsverleih",)
    finally:
        use_glossary(None)
    assert LearningMatcher(entries()).match("Kann ich eine Jolle ausleihen?", "de").kind == (
        "choices"
    )


def member(member_id: str, topics: tuple[str, ...]) -> Candidate:
    return Candidate(
        member_id=member_id,
        organisation=f"Werft {member_id} (fiktiv)",
        kind="company",
        city="Kiel",
        role="Geschäftsführung",
        languages=("de", "en"),
        young_professional=False,
        topics=topics,
        bio="",
    )


DIRECTORY = [
    member("m1", ("Bootsbau", "Holzboote")),
    member("m2", ("Segelmacherei", "Segeltuch")),
    member("m3", ("Motorenwartung", "Bootsmotoren")),
    member("m4", ("Hafenlogistik",)),
]


def ids(ranker: PartnerRanker, text: str) -> list[str]:
    return [m.member_id for m in ranker.rank(text, "de", requester_id="m4")]


def test_withdrawn_consent_is_respected_without_indexing_again() -> None:
    first = PartnerRanker(DIRECTORY)
    assert ids(first, "Wer repariert Bootsmotoren?") == ["m3"]
    withdrawn = [replace(m, consent=m.member_id != "m3") for m in DIRECTORY]
    second = PartnerRanker(withdrawn)
    assert second.index is first.index  # the profiles are the same
    assert ids(second, "Wer repariert Bootsmotoren?") == []


def test_a_changed_profile_is_found_by_its_new_topic() -> None:
    first = PartnerRanker(DIRECTORY)
    assert ids(first, "Wer näht Persenninge?") == []
    moved = [
        replace(m, topics=("Segeltuch", "Persenninge")) if m.member_id == "m1" else m
        for m in DIRECTORY
    ]
    second = PartnerRanker(moved)
    assert second.index is not first.index
    assert sorted(ids(second, "Wer näht Persenninge?")) == ["m1"]
