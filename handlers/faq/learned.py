"""The FAQ engine with learned phrasings: what members' picks and the office taught.

A confirmed phrasing (the office taught or confirmed it, or two different members picked
its entry for it) is an ordinary phrasing of its entry. An unconfirmed one (one member's
pick) may bring its entry among the choices but never alone cause a direct answer: one
member cannot teach the bot to answer everybody. So the engine is built with the confirmed
phrasings and decides; the entries with unconfirmed phrasings are read again with every
learned phrasing into a small extension of it (`engine.Extension`: a few entries, not a
second engine over the whole knowledge base), asked only when the engine would not answer:
its entries join the choices (at most one beyond a full list, never pushing one out), the
one it would answer with first. A question learned word for word goes straight to its entry
(confirmed: the answer). While only unconfirmed phrasings change, the engine of the
confirmed ones is kept (`_confirmed_engine`): a member's pick rebuilds the extension only.

Pure: no database, usable by the bot's snapshot (`handlers/faq/service.py`) and by the
simulation of `faq eval --learn-from` (`handlers/faq/learning_eval.py`).
"""

from __future__ import annotations

import re
import threading
import unicodedata
import weakref
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from bot.textmatch import Analyzer, Slot, index_cache
from bot.textmatch.sentences import asking_part
from bot.textmatch.thesaurus import default_glossary
from handlers.faq.calibration import calibrated
from handlers.faq.engine import MAX_CHOICES, Extension, FaqDecision, FaqEngine
from handlers.faq.kb_format import FaqEntry

# Choices at most: the engine's, and one more an unconfirmed phrasing brings to a full list.
MAX_OFFERED = MAX_CHOICES + 1
# At most this many learned phrasings of one entry (the confirmed and most often seen
# first) are indexed: a flood of picks must not turn one entry into a catch-all.
MAX_LEARNED_PER_ENTRY = 100

_NOT_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    """A question folded for comparison: case, punctuation and spacing ignored
    ("Wie melde ich mich an?!" == "wie melde ich mich an")."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


@dataclass(frozen=True)
class LearnedText:
    """A learned phrasing as the matcher needs it."""

    entry_id: str
    lang: str
    text: str
    confirmed: bool
    times_seen: int = 1


def with_phrasings(entries: Sequence[FaqEntry], learned: Iterable[LearnedText]) -> list[FaqEntry]:
    """The entries with learned phrasings in `FaqEntry.learned` (unknown entries, texts
    already there and phrasings beyond `MAX_LEARNED_PER_ENTRY` left out)."""
    extra: dict[str, list[LearnedText]] = defaultdict(list)
    for item in learned:
        extra[item.entry_id].append(item)
    result: list[FaqEntry] = []
    for entry in entries:
        items = extra.get(entry.id)
        if not items:
            result.append(entry)
            continue
        items.sort(key=lambda i: (not i.confirmed, -i.times_seen))
        known = {normalise(p) for ps in entry.questions.values() for p in ps}
        taught: dict[str, list[str]] = {}
        for item in items[:MAX_LEARNED_PER_ENTRY]:
            # What the member asked, not the context around it ("Wir sind ein Recycler aus
            # Goslar." would make the entry about Goslar).
            text = asking_part(item.text) or item.text
            norm = normalise(text)
            if norm and norm not in known:
                known.add(norm)
                taught.setdefault(item.lang, []).append(text)
        result.append(replace(entry, learned={k: tuple(v) for k, v in taught.items()}))
    return result


class LearningMatcher:
    """`match` a message against the entries and what was learned; see the module doc."""

    def __init__(self, entries: Sequence[FaqEntry], learned: Sequence[LearnedText] = ()) -> None:
        known = {entry.id for entry in entries}
        usable = [item for item in learned if item.entry_id in known]
        confirmed = [item for item in usable if item.confirmed]
        self.engine = _confirmed_engine(entries, confirmed)
        unconfirmed = [item for item in usable if not item.confirmed]
        self._suggestible = frozenset(item.entry_id for item in unconfirmed)
        # Every learned phrasing of those entries, read with the confirmed engine's
        # vocabulary: one member's words do not change how everybody's questions are
        # spelled or split.
        self._widened = (
            _extension(
                self.engine,
                with_phrasings([e for e in entries if e.id in self._suggestible], usable),
            )
            if unconfirmed
            else None
        )
        # A question asked again word for word goes where it was taught; an entry's own
        # phrasing asked word for word goes to the entry ("What can you do?" holds no word
        # the engine weighs), unless two entries share it.
        self._exact: dict[str, str] = _own_phrasings(entries)
        self._exact_unconfirmed: dict[str, str] = {}
        for item in usable:
            target = self._exact if item.confirmed else self._exact_unconfirmed
            target.setdefault(normalise(item.text), item.entry_id)

    @property
    def analyzer(self) -> Analyzer:
        """The analyzer both engines read messages with."""
        return self.engine.analyzer

    def match(self, text: str, lang: str | None = None) -> FaqDecision:
        """Decide between a direct answer, choices and a hand-off."""
        return self.match_slots(self.analyzer.slots(text, lang), lang, text=text)

    def match_slots(
        self, slots: Sequence[Slot], lang: str | None = None, *, text: str = ""
    ) -> FaqDecision:
        """`match` on a message already analysed; `text` (the message) finds a phrasing
        learned word for word and the sentences that ask (`FaqEngine.focus`)."""
        norm = normalise(text) if text else ""
        taught = self._exact.get(norm) if norm else None
        if taught is not None:
            return FaqDecision("answer", (taught,), (1.0,))
        slots, disputed = self.engine.read(slots, lang, text)
        assessment = self.engine.assess_slots(slots, lang, text=text, disputed=disputed)
        decision = assessment.decide(self.engine.thresholds)
        if decision.kind == "answer" or self._widened is None:
            return decision
        thresholds = self.engine.thresholds
        widened = self._widened.assess_slots(slots, lang, assessment).decide(thresholds)
        # (a hand-off's entries are suggestions beside it, not choices to keep)
        scores = (
            dict(zip(decision.entry_ids, decision.scores, strict=True))
            if decision.kind == "choices"
            else {}
        )
        # The entry a member's question word for word, or the learned phrasings' answer,
        # points to: the member most likely wants it, so it is offered first.
        lead = self._exact_unconfirmed.get(norm) if norm else None
        if lead is None and widened.kind == "answer":
            lead = widened.entry_ids[0]
        if lead is not None and lead not in self._suggestible:
            lead = None
        # Entries only the unconfirmed phrasings bring join the choices; they never push out
        # one the confirmed engine offers.
        widened_offers = widened.kind != "handoff"
        brought = {
            entry_id: score
            for entry_id, score in zip(widened.entry_ids, widened.scores, strict=True)
            if widened_offers and entry_id in self._suggestible and entry_id not in scores
        }
        if lead is not None and lead not in scores:
            brought = {lead: brought.get(lead, 1.0), **brought}
        room = MAX_OFFERED - len(scores) if scores else MAX_CHOICES
        offered = {**scores, **dict(list(brought.items())[:room])}
        if offered == scores and (lead is None or lead == decision.entry_ids[0]):
            return decision
        order = sorted(offered, key=lambda entry_id: entry_id != lead)  # stable: lead first
        return FaqDecision(
            "choices", tuple(order), tuple(round(offered[entry_id], 4) for entry_id in order)
        )

    def alternatives(self, text: str, lang: str | None, rejected: Collection[str]) -> FaqDecision:
        """The "did you mean" choices for `text` beside the entries `rejected` (answers the
        member found not helpful; `Assessment.alternatives`), ranked as `match_slots` ranks
        when it offers choices: the unconfirmed phrasings may bring an entry among them."""
        slots, disputed = self.engine.read(self.analyzer.slots(text, lang), lang, text)
        assessment = self.engine.assess_slots(slots, lang, text=text, disputed=disputed)
        if self._widened is not None:
            assessment = self._widened.assess_slots(slots, lang, assessment)
        return assessment.alternatives(rejected, self.engine.thresholds)


def _own_phrasings(entries: Sequence[FaqEntry]) -> dict[str, str]:
    """Each curated phrasing (normalised) -> its entry, where one entry alone has it."""
    owner: dict[str, str | None] = {}
    for entry in entries:
        for phrasings in entry.questions.values():
            for text in phrasings:
                key = normalise(text)
                if key:
                    owner[key] = entry.id if owner.get(key, entry.id) == entry.id else None
    return {key: entry_id for key, entry_id in owner.items() if entry_id is not None}


# The last engine built for confirmed phrasings, with what it was built from.
_last: tuple[tuple[object, ...], list[FaqEntry], FaqEngine] | None = None
_last_lock = threading.Lock()
# The index cache's key of each engine `_confirmed_engine` made: its extension (`_extension`)
# is stored under it.
_stored_keys: weakref.WeakKeyDictionary[FaqEngine, str] = weakref.WeakKeyDictionary()
# An extension quicker to build than this is not stored (tests build hundreds of tiny ones).
EXTENSION_MIN_BUILD_SECONDS = 0.1


def _confirmed_engine(entries: Sequence[FaqEntry], confirmed: list[LearnedText]) -> FaqEngine:
    """The engine with the confirmed phrasings; the previous one when neither the entries,
    the confirmed phrasings nor the glossary changed (an unconfirmed pick changes none, and
    a knowledge base of thousands of entries takes seconds to index); on a restart, the one
    kept on disk (`bot.textmatch.index_cache`)."""
    global _last
    glossary = default_glossary()
    taught = [(item.entry_id, item.lang, item.text, item.times_seen) for item in confirmed]
    key = (str(glossary), glossary.read_text("utf-8"), taught)
    with _last_lock:
        last = _last
    if last is not None and last[0] == key and last[1] == list(entries):
        return last[2]
    inputs = (taught, list(entries))
    stored = index_cache.key_of("faq", inputs)
    engine = index_cache.load_or_build(
        "faq",
        inputs,
        # the thresholds of the knowledge base itself: what members taught does not move them
        lambda: FaqEngine(with_phrasings(entries, confirmed), thresholds=calibrated(entries)),
        FaqEngine,
        key=stored,
    )
    _stored_keys[engine] = stored
    with _last_lock:
        _last = (key, list(entries), engine)
    return engine


def _extension(engine: FaqEngine, entries: list[FaqEntry]) -> Extension:
    """The extension of `engine` by `entries` with their learned phrasings; on a restart,
    the one kept on disk (reading 200 entries with their phrasings took 0.25-0.4 s)."""
    stored = _stored_keys.get(engine)
    if stored is None:  # an engine not made by `_confirmed_engine`
        return Extension(engine, entries)
    extension = index_cache.load_or_build(
        "faq-learned",
        (stored, entries),
        lambda: Extension(engine, entries),
        Extension,
        min_build_seconds=EXTENSION_MIN_BUILD_SECONDS,
    )
    extension.bind(engine)
    return extension
