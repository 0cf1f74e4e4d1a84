"""The indexes built after start are frozen out of the garbage collector's way
(bot.memory.keep_built); that is only safe while a replaced index is still freed by reference
counting alone, which a reference cycle anywhere in it would break: each rebuild (an edited
entry, a confirmed phrasing, a changed directory) would then keep the old index for ever."""

from __future__ import annotations

import gc
import pickle
import weakref
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.memory import collections_paused
from handlers.faq.learned import LearnedText, LearningMatcher
from handlers.partners import PartnerRanker
from tests.test_matcher_reuse import DIRECTORY, KB, NEW_ENTRY, PICKED, entries


@pytest.fixture
def collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.usefixtures("collector_off")
def test_a_replaced_faq_index_is_freed_without_the_collector() -> None:
    learned = [LearnedText("bootsverleih", "de", PICKED, True, 2)]
    old = LearningMatcher(entries(), learned)
    assert old.match(PICKED, "de").entry_ids[0] == "bootsverleih"
    gone_matcher, gone_engine = weakref.ref(old), weakref.ref(old.engine)

    new = LearningMatcher(entries(KB + NEW_ENTRY), learned)  # an entry added: indexed again
    del old

    assert gone_matcher() is None and gone_engine() is None
    assert new.match("Wo lagere ich mein Boot im Winter?", "de").entry_ids[0] == "winterlager"


@pytest.mark.usefixtures("collector_off")
def test_a_replaced_partner_ranking_is_freed_without_the_collector() -> None:
    ranker = PartnerRanker(DIRECTORY)
    found = ranker.rank("Wir suchen eine Segelmacherei", "de", requester_id="m4")
    assert [m.member_id for m in found][:1] == ["m2"]
    gone = weakref.ref(ranker)

    del ranker, found

    assert gone() is None


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_free_memory_left_by_a_build_goes_back_to_the_system() -> None:
    from bot.memory import release_free_memory

    # What a build leaves: many freed buffers between a few that live on (glibc keeps
    # such holes until asked to trim).
    buffers = [bytes(4000) for _ in range(20_000)]
    kept = buffers[::10]
    del buffers
    before = _rss_mb()
    release_free_memory()
    assert before - _rss_mb() > 20, "the freed pages stayed with the process"
    assert len(kept) == 2_000


def test_a_stored_faq_index_holds_no_copy_of_the_entries() -> None:
    # The bot's snapshot keeps the entries; an index read from the cache with their texts
    # in it was a second copy of the whole knowledge base.
    matcher = LearningMatcher(entries())
    stored = pickle.dumps(matcher.engine, protocol=pickle.HIGHEST_PROTOCOL)

    assert b"Boote verleiht der Hafenmeister." not in stored
    assert b"Wo kann ich ein Boot ausleihen?" not in stored
    read = pickle.loads(stored)
    assert read.match("Wo kann ich ein Boot ausleihen?", "de").entry_ids[0] == "bootsverleih"


def test_a_stored_partner_ranking_holds_no_copy_of_the_members() -> None:
    bio = "Wir flicken seit 1950 Segel aller Groessen am Kieler Hafen."
    directory = [replace(m, bio=bio) if m.member_id == "m2" else m for m in DIRECTORY]
    stored = pickle.dumps(PartnerRanker(directory), protocol=pickle.HIGHEST_PROTOCOL)

    assert bio.encode() not in stored
    read = pickle.loads(stored)
    found = read.rank("Wir suchen eine Segelmacherei", "de", requester_id="m4")
    assert [m.member_id for m in found][:1] == ["m2"]


def test_collections_pause_while_an_index_is_read_and_resume_after() -> None:
    assert gc.isenabled()
    with collections_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collections_paused():
            pass
        assert not gc.isenabled(), "a collector switched off elsewhere was switched on"
    finally:
        gc.enable()
