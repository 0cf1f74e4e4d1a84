"""What the bot would do with a question, and why: the dashboard's "try a question" box.

The same rule as a member's question (`asking.verdict`), without logging or answering, plus
the engine's ranking: each entry's score and the words of the question it matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import Services
from handlers.faq import engine
from handlers.faq.asking import verdict
from handlers.faq.kb_format import FaqEntry
from handlers.faq.rules import question_language, question_text, title_in
from handlers.faq.service import faq_service

# How many ranked entries the box shows.
SHOWN = 5
# The engine's thresholds, shown with the decision.
THRESHOLDS = {
    "answer_min": engine.ANSWER_MIN_SCORE,
    "margin": engine.ANSWER_MIN_MARGIN,
    "choice_min": engine.CHOICE_MIN_SCORE,
    "low_choice_min": engine.LOW_CHOICE_MIN_SCORE,
}


@dataclass(frozen=True)
class Candidate:
    """A ranked entry: its score, the question's words it matched, and whether the member
    would get it (as the answer or among the choices)."""

    entry_id: str
    title: str
    score: float
    matched: tuple[str, ...]
    chosen: bool


@dataclass(frozen=True)
class Trial:
    """The verdict on a question (`asking.Verdict.kind`), the language it was read in, and
    the best entries with their scores."""

    question: str
    lang: str
    kind: str
    talk: str | None
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> float:
        return self.candidates[0].score if self.candidates else 0.0

    @property
    def runner_up(self) -> float:
        return self.candidates[1].score if len(self.candidates) > 1 else 0.0


async def try_question(services: Services, text: str, lang: str | None = None) -> Trial:
    """What a member writing `text` would get; `lang` None reads the language from the text
    (as the chat does, with German as the fallback)."""
    question = question_text(text)
    snapshot = await faq_service(services).snapshot(fresh=True)
    language = lang if lang in ("de", "en") else question_language(question, "de")
    found = verdict(snapshot, question, language)
    candidates: list[Candidate] = []
    matcher = snapshot.engine
    if matcher is not None and found.kind not in ("small_talk", "greeting"):
        whole = matcher.analyzer.slots(question, language)
        slots = matcher.focus(whole, language, question)
        for ranked in matcher.rank_slots(slots, SHOWN):
            matched = tuple(
                slot.text
                for slot, score in zip(slots, ranked.slot_scores, strict=False)
                if score > 0
            )
            candidates.append(
                Candidate(
                    ranked.entry_id,
                    _title(snapshot.entries.get(ranked.entry_id), ranked.entry_id, language),
                    round(ranked.score, 3),
                    tuple(dict.fromkeys(matched)),
                    ranked.entry_id in found.entry_ids,
                )
            )
    return Trial(question, language, found.kind, found.talk, tuple(candidates))


def _title(entry: FaqEntry | None, entry_id: str, lang: str) -> str:
    return title_in(entry, lang) if entry is not None else entry_id
