"""A second, plain reading of a message: BM25 over the words each entry uses (`bm25s`).

The engine reads a message through the analyzer (synonyms, translations, compounds,
spelling, the glossary) and scores how much of it each entry covers. Where it is unsure
between a few entries it offers them as choices. BM25 reads nothing but the words: each
entry is one document of its phrasings in both languages (the confirmed learned ones too),
its tags and its answers; a message's words count by how rare they are among the entries.
The two go wrong in different ways, so where the plain reading ranks the engine's first
choice first too, and clearly (its runner-up scores at most `CLEAR_LEAD_RATIO` of it), the
engine answers instead of asking (`engine.Assessment`, which also keeps the engine's guards:
only where the message's words are nearly all the knowledge base's own).

Measured on the development sets (session 38; right / wrong answers added, choices that
became answers): REWIMET +3 / 0, FoodCircle +4 / +2, hydrogen +1 / +1. BM25 ranking alone
puts the right entry first less often than the engine does (REWIMET 0.75 / 0.86, FoodCircle
0.51 / 0.69, hydrogen 0.59 / 0.61), and fusing the two rankings (reciprocal rank) moved the
first entry of neither set up: its worth is the agreement, not a better ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from bot.textmatch.normalize import words
from bot.textmatch.stemming import stem_bilingual, stop_words
from handlers.faq.kb_format import FaqEntry

# The plain reading's runner-up scores at most this share of its best: a clear first (a round
# value; 0.4 and 0.6 gave the same picture on the development sets, see docs/faq.md).
CLEAR_LEAD_RATIO = 0.5


class SecondReading:
    """BM25 over the entries' words; `leads(text, entry_id)` says whether it agrees."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self._ids = [entry.id for entry in entries]
        self._stop = stop_words("de") | stop_words("en")
        self._bm25 = bm25s.BM25()
        if entries:
            self._bm25.index(
                [self._terms(_text_of(entry)) for entry in entries], show_progress=False
            )

    def leads(self, text: str, entry_id: str) -> bool:
        """True when the plain reading of `text` ranks `entry_id` first, clearly ahead of
        the runner-up."""
        terms = self._terms(text)
        if not terms or len(self._ids) < 2:
            return False
        scores = self._bm25.get_scores(terms)
        first, second = np.argpartition(-scores, 1)[:2]  # the best, then the runner-up
        best = float(scores[first])
        return (
            best > 0
            and self._ids[first] == entry_id
            and float(scores[second]) <= CLEAR_LEAD_RATIO * best
        )

    def _terms(self, text: str) -> list[str]:
        return [stem_bilingual(word) for word in words(text) if word not in self._stop]


def _text_of(entry: FaqEntry) -> str:
    phrasings = [text for texts in entry.questions.values() for text in texts]
    learned = [text for texts in entry.learned.values() for text in texts]
    return " ".join([*phrasings, *learned, *entry.tags, *entry.answers.values()])
