"""A second, plain reading of a message: BM25 over the words each entry uses.

The engine reads a message through the analyzer (synonyms, translations, compounds,
spelling, the glossary) and scores how much of it each entry covers. Where it is unsure
between a few entries it offers them as choices. BM25 reads nothing but the words: each
entry is one document of its phrasings in both languages (the confirmed learned ones too),
its tags and its answers; a message's words count by how rare they are among the entries.
The two go wrong in different ways, so where the plain reading ranks the engine's first
choice first too, and clearly (its runner-up scores at most `CLEAR_LEAD_RATIO` of it), the
engine answers instead of asking (`engine.Assessment`, which also keeps the engine's guards:
only where the message's words are nearly all the knowledge base's own).

The scores are those of `bm25s` (PyPI; Lucene's BM25 with its defaults, `K1`, `B`), which
the tests compare them with. The package itself is not used by the bot: it needs numpy, 22 MB
more in every bot process (the bot with 10,000 entries and members restarted at 311 MB with
it instead of 295; the target is 300). Postings in two flat arrays hold the same figures in
3.4 MB for 10,000 entries (298 MB).

Measured on the development sets (session 38; right / wrong answers added, choices that
became answers): REWIMET +3 / 0, FoodCircle +4 / 0, hydrogen +1 / +1. BM25 ranking alone
puts the right entry first less often than the engine does (REWIMET 0.75 / 0.86, FoodCircle
0.51 / 0.69, hydrogen 0.59 / 0.61): its worth is the agreement, not a better ranking.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter
from collections.abc import Sequence
from operator import itemgetter

from bot.textmatch.normalize import words
from bot.textmatch.stemming import is_stop_word, stem_bilingual
from handlers.faq.kb_format import FaqEntry

# The plain reading's runner-up scores at most this share of its best: a clear first. A round
# value, chosen before the sweep (accuracy / wrong; REWIMET dev, FoodCircle, hydrogen):
#   0.4  0.742 / 0.013   0.408 / 0.044   0.350 / 0.02
#   0.5  0.750 / 0.013   0.437 / 0.044   0.350 / 0.03
#   0.6  0.758 / 0.013   0.437 / 0.044   0.375 / 0.03
#   0.7  0.767 / 0.013   0.437 / 0.055   0.388 / 0.03
# 0.6 looked better there; on REWIMET's held-out set it gave one right answer more for two
# wrong ones (0.54 / 0.008 -> 0.55 / 0.025), and a wrong answer costs more than a tap.
CLEAR_LEAD_RATIO = 0.5
# BM25's saturation of a word's count and its length normalisation (`bm25s`' defaults).
K1 = 1.5
B = 0.75


class SecondReading:
    """BM25 over the entries' words; `leads(text, entry_id)` says whether it agrees."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self._ids = [entry.id for entry in entries]
        counts = [Counter(_terms(_text_of(entry))) for entry in entries]
        lengths = [sum(count.values()) for count in counts]
        average = (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0
        postings: dict[str, list[tuple[int, float]]] = {}
        for position, (count, length) in enumerate(zip(counts, lengths, strict=True)):
            norm = K1 * (1 - B + B * length / average)
            for term, times in count.items():
                postings.setdefault(term, []).append((position, times / (norm + times)))
        # Every term's postings one after the other in two flat arrays: with 10,000 entries
        # the postings take 1.7 MB, and two arrays for each of 8,000 terms would take as much
        # again.
        self._terms: dict[str, int] = {}
        self._starts = array("I", [0])
        self._entries = array("I")
        self._weights = array("f")
        for term, found in postings.items():
            idf = math.log(1 + (len(entries) - len(found) + 0.5) / (len(found) + 0.5))
            self._terms[term] = len(self._starts) - 1
            self._entries.extend(position for position, _ in found)
            self._weights.extend(idf * share for _, share in found)
            self._starts.append(len(self._entries))

    def scores(self, text: str) -> dict[str, float]:
        """Each entry sharing a word with `text` -> its BM25 score."""
        return {self._ids[position]: score for position, score in self._scored(text).items()}

    def leads(self, text: str, entry_id: str) -> bool:
        """True when the plain reading of `text` ranks `entry_id` first, clearly ahead of
        the runner-up."""
        best = heapq.nlargest(2, self._scored(text).items(), key=itemgetter(1))
        if not best or len(self._ids) < 2:
            return False
        (first, top), runner_up = best[0], best[1][1] if len(best) > 1 else 0.0
        return self._ids[first] == entry_id and runner_up <= CLEAR_LEAD_RATIO * top

    def _scored(self, text: str) -> dict[int, float]:
        # A word said twice counts twice, as in `bm25s`.
        found: dict[int, float] = {}
        for term in _terms(text):
            number = self._terms.get(term)
            if number is None:
                continue
            start, end = self._starts[number], self._starts[number + 1]
            entries, weights = self._entries[start:end], self._weights[start:end]
            for position, score in zip(entries, weights, strict=True):
                found[position] = found.get(position, 0.0) + score
        return found


def _terms(text: str) -> list[str]:
    """The words BM25 reads: folded, stop words out, stemmed as for a word of either language."""
    return [stem_bilingual(word) for word in words(text) if not is_stop_word(word)]


def _text_of(entry: FaqEntry) -> str:
    phrasings = [text for texts in entry.questions.values() for text in texts]
    learned = [text for texts in entry.learned.values() for text in texts]
    return " ".join([*phrasings, *learned, *entry.tags, *entry.answers.values()])
