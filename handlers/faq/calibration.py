"""The decision thresholds for one knowledge base, from its own phrasings.

How high a right match scores depends on the knowledge base as much as on the question: a
network whose entries have fewer or plainer phrasings gives a right match a lower score, so
the thresholds calibrated on REWIMET's knowledge base answer less there (measured: the
median score of a left-out phrasing's right match is 0.79 on REWIMET's, 0.70 on the food
network's, 0.63 on the hydrogen network's, and the right answers to their members'
questions score lower in the same proportion: medians 0.49, 0.43, 0.41).

So the thresholds scale with that median, the knowledge base's own figure, asked of it
alone: a sample of its entries, each with one phrasing left out and asked
(`eval_honest.self_test`'s leave-one-out, a few rounds). Lowered at most to `MIN_FACTOR`,
never raised (the product's thresholds were checked on REWIMET's sets, nothing above them),
and left as they are for a knowledge base too small to say (`MIN_ENTRIES`).
"""

from __future__ import annotations

import statistics
import threading
from collections.abc import Sequence
from dataclasses import replace

from handlers.faq.engine import DEFAULT_THRESHOLDS, FaqEngine, Thresholds
from handlers.faq.kb_format import FaqEntry

# The median score of a left-out phrasing's right match on the knowledge base the default
# thresholds were calibrated on (REWIMET's, 45 entries, `median_self_score`).
REFERENCE_MEDIAN = 0.79
MIN_FACTOR = 0.8
# Entries with two phrasings or more needed for a median worth scaling by.
MIN_ENTRIES = 20
# At most this many entries are sampled, evenly, and at most this many phrasings of each
# asked: three small indexes, a fraction of a second for any knowledge base.
SAMPLE_ENTRIES = 120
ROUNDS = 3


def calibrated(entries: Sequence[FaqEntry]) -> Thresholds:
    """The thresholds for `entries`: the defaults scaled by `factor`. The last knowledge
    base's are kept: learned phrasings rebuild the engine, never its thresholds."""
    global _last
    with _last_lock:
        last = _last
    if last is not None and last[0] == list(entries):
        return last[1]
    scale = factor(entries)
    t = DEFAULT_THRESHOLDS
    found = replace(
        t,
        answer_min_score=round(t.answer_min_score * scale, 4),
        choice_min_score=round(t.choice_min_score * scale, 4),
        lone_min_score=round(t.lone_min_score * scale, 4),
    )
    with _last_lock:
        _last = (list(entries), found)
    return found


_last: tuple[list[FaqEntry], Thresholds] | None = None
_last_lock = threading.Lock()


def factor(entries: Sequence[FaqEntry]) -> float:
    """The knowledge base's median over REWIMET's, within [MIN_FACTOR, 1]."""
    median = median_self_score(entries)
    if median is None:
        return 1.0
    return round(min(1.0, max(MIN_FACTOR, median / REFERENCE_MEDIAN)), 3)


def median_self_score(entries: Sequence[FaqEntry]) -> float | None:
    """The median score of the right entry where a left-out phrasing finds it first; None
    for fewer than `MIN_ENTRIES` entries with a second phrasing."""
    several = [entry for entry in entries if len(phrasings_of(entry)) >= 2]
    if len(several) < MIN_ENTRIES:
        return None
    step = max(1, len(entries) // SAMPLE_ENTRIES)
    sample = list(entries[::step][:SAMPLE_ENTRIES])
    found: list[float] = []
    for round_ in range(ROUNDS):
        asked: list[tuple[str, str, str]] = []
        kept: list[FaqEntry] = []
        for entry in sample:
            own = phrasings_of(entry)
            if len(own) < 2 or round_ >= len(own):
                kept.append(entry)
                continue
            lang, text = own[round_]
            asked.append((entry.id, lang, text))
            kept.append(without(entry, lang, text))
        if not asked:
            break
        engine = FaqEngine(kept)
        for entry_id, lang, text in asked:
            ranked = engine.assess(text, lang).ranked
            if ranked and ranked[0].entry_id == entry_id:
                found.append(ranked[0].score)
    return statistics.median(found) if found else None


def phrasings_of(entry: FaqEntry) -> list[tuple[str, str]]:
    """Every phrasing of `entry` with its language."""
    return [(lang, text) for lang, texts in entry.questions.items() for text in texts]


def without(entry: FaqEntry, lang: str, text: str) -> FaqEntry:
    """`entry` with one phrasing left out."""
    rest = {
        key: tuple(t for t in texts if not (key == lang and t == text))
        for key, texts in entry.questions.items()
    }
    return replace(entry, questions={k: v for k, v in rest.items() if v})
