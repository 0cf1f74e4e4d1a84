"""A restarted bot reads its built indexes from disk, and never a stale one.

Written from the invented networks under tests/data/networks/ (an agri-food knowledge base
with its questions, a timber-construction directory with its requests).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.textmatch import index_cache
from bot.textmatch.thesaurus import use_glossary
from handlers.faq.engine import FaqEngine
from handlers.faq.kb_format import FaqEntry
from handlers.faq.kb_import import parse_kb
from handlers.faq.rules import fields_to_entry
from handlers.partners import PartnerRanker, load_members_csv
from handlers.partners.concepts import load_thesaurus
from handlers.partners.matching import build_ranker
from handlers.partners.rules import MAX_RECENT_REQUESTS

NETWORKS = Path(__file__).parent / "data" / "networks"
ENTRIES = [
    fields_to_entry(f) for f in parse_kb((NETWORKS / "foodcircle" / "kb.toml").read_text("utf-8"))
]
QUESTIONS = [
    json.loads(line)
    for line in (NETWORKS / "foodcircle" / "faq_questions.jsonl").read_text("utf-8").splitlines()
]
MEMBERS = load_members_csv(NETWORKS / "holzbau" / "members.csv")
REQUESTS = [
    json.loads(line)["text"]
    for line in (NETWORKS / "holzbau" / "partner_requests.jsonl").read_text("utf-8").splitlines()
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every index is kept, however quickly it was built (the real threshold is 0.5 s)."""
    monkeypatch.setenv(index_cache.SETTING, str(tmp_path))
    monkeypatch.setattr(index_cache, "MIN_BUILD_SECONDS", 0.0)
    return tmp_path


class Builds:
    """Counts how often the real engine was built."""

    def __init__(self) -> None:
        self.count = 0

    def faq(self, entries: list[FaqEntry]) -> FaqEngine:
        self.count += 1
        return FaqEngine(entries)


def engine(builds: Builds, entries: list[FaqEntry] | None = None) -> FaqEngine:
    chosen = ENTRIES if entries is None else entries
    return index_cache.load_or_build("faq", chosen, lambda: builds.faq(chosen), FaqEngine)


def test_a_restart_reads_the_index_and_answers_every_question_the_same(folder: Path) -> None:
    builds = Builds()
    first = engine(builds)
    again = engine(builds)
    assert builds.count == 1 and again is not first  # the second came from disk
    for question in QUESTIONS:
        assert again.match(question["text"], question["lang"]) == first.match(
            question["text"], question["lang"]
        )
    assert [p.name for p in folder.iterdir()] == [index_cache.path_of("faq", ENTRIES).name]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct(next(folder.iterdir()).stat().st_mode & 0o777) == "0o600"


def test_an_edited_entry_or_another_glossary_is_indexed_again(
    folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    builds = Builds()
    engine(builds)
    first = ENTRIES[0]
    edited = [replace(first, questions={"de": ("Wo parke ich mein Lastenrad?",)}), *ENTRIES[1:]]
    assert engine(builds, edited).match("Wo parke ich mein Lastenrad?", "de").entry_ids[0] == (
        first.id
    )
    assert builds.count == 2
    glossary = tmp_path_factory.mktemp("glossary") / "glossary.txt"
    glossary.write_text("# source: invented\nbike: Lastenrad | cargo bike\n", "utf-8")
    use_glossary(glossary)
    try:
        engine(builds)
    finally:
        use_glossary(None)
    assert builds.count == 3
    engine(builds)  # the first glossary again: its index is still on disk
    assert builds.count == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:1000]),  # cut off by a full disk
        lambda path: path.write_bytes(b"\x00" * 64),  # not a pickle at all
        lambda path: path.chmod(0o666),  # anybody could have written it
    ],
    ids=["truncated", "garbage", "writable-by-others"],
)
def test_a_damaged_or_foreign_file_is_built_again_not_read(
    folder: Path, damage: Callable[[Path], object]
) -> None:
    builds = Builds()
    reference = engine(builds)
    damage(index_cache.path_of("faq", ENTRIES))
    rebuilt = engine(builds)
    assert builds.count == 2
    question = QUESTIONS[0]
    assert rebuilt.match(question["text"], question["lang"]) == reference.match(
        question["text"], question["lang"]
    )


def test_a_file_of_another_type_is_not_taken_for_the_index(folder: Path) -> None:
    builds = Builds()
    path = index_cache.path_of("faq", ENTRIES)
    path.parent.mkdir(parents=True, exist_ok=True)
    index_cache._write(path, {"not": "an engine"})
    os.chmod(path, 0o600)
    assert isinstance(engine(builds), FaqEngine) and builds.count == 1


def test_each_kind_keeps_only_its_newest_files(folder: Path) -> None:
    builds = Builds()
    for size in range(5, 10):
        engine(builds, ENTRIES[:size])
    ranker = build_ranker(MEMBERS, MAX_RECENT_REQUESTS, load_thesaurus())
    names = sorted(p.name.split("-")[0] for p in folder.iterdir())
    assert names == ["faq"] * index_cache.KEEP_PER_KIND + ["partners"]
    assert isinstance(ranker, PartnerRanker)


def test_off_builds_every_time_and_writes_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(index_cache.SETTING, "off")
    builds = Builds()
    engine(builds)
    engine(builds)
    assert builds.count == 2 and list(folder.iterdir()) == []


def test_a_restarted_partner_search_finds_the_same_members(folder: Path) -> None:
    built = build_ranker(MEMBERS, MAX_RECENT_REQUESTS, load_thesaurus())
    read = build_ranker(MEMBERS, MAX_RECENT_REQUESTS, load_thesaurus())
    assert read is not built and len(list(folder.iterdir())) == 1
    for text in REQUESTS:
        assert [m.member_id for m in read.rank(text, None, requester_id="nobody")] == [
            m.member_id for m in built.rank(text, None, requester_id="nobody")
        ]


def test_a_restart_reads_the_learned_phrasings_extension_and_offers_the_same(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers.faq import learned
    from handlers.faq.engine import Extension
    from handlers.faq.learned import LearnedText, LearningMatcher

    monkeypatch.setattr(learned, "EXTENSION_MIN_BUILD_SECONDS", 0.0)
    built: list[int] = []
    original = Extension.__init__

    def counted(self: Extension, engine: FaqEngine, entries: list[FaqEntry]) -> None:
        built.append(len(entries))
        original(self, engine, entries)

    monkeypatch.setattr(Extension, "__init__", counted)
    taught = [  # one member's picks each, invented
        LearnedText(ENTRIES[0].id, "de", "Kann ich da einfach so vorbeikommen?", False),
        LearnedText(ENTRIES[1].id, "en", "what does it cost me per year", False),
        LearnedText(ENTRIES[2].id, "de", "Wo finde ich das Formular dafür?", False),
    ]
    monkeypatch.setattr(learned, "_last", None)
    first = LearningMatcher(ENTRIES, taught)
    monkeypatch.setattr(learned, "_last", None)  # a new process: nothing built in memory
    again = LearningMatcher(ENTRIES, taught)

    assert len(built) == 1, "the restart built the extension again"
    assert any(p.name.startswith("faq-learned-") for p in folder.iterdir())
    for text, lang in [(t.text, t.lang) for t in taught] + [
        (q["text"], q["lang"]) for q in QUESTIONS
    ]:
        assert again.match(text, lang) == first.match(text, lang), text
