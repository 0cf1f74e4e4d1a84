"""A knowledge base's own thresholds (`handlers.faq.calibration`): a network whose phrasings
give right matches lower scores answers at lower scores, decided from its knowledge base
alone; a small one keeps the product's thresholds."""

from __future__ import annotations

from pathlib import Path

from bot.demo import DEMO_DIR
from handlers.faq.calibration import MIN_FACTOR, calibrated, factor
from handlers.faq.engine import DEFAULT_THRESHOLDS, Ranked, decide
from handlers.faq.kb_format import FaqEntry, load_kb_toml
from handlers.faq.learned import LearningMatcher

NETWORKS = Path(__file__).parent / "data" / "networks"


def hydrogen() -> list[FaqEntry]:
    return load_kb_toml(NETWORKS / "wasserstoff" / "kb.toml")


def test_a_knowledge_base_scoring_lower_answers_at_lower_scores() -> None:
    entries = hydrogen()
    scale = factor(entries)
    assert MIN_FACTOR <= scale < 1.0
    own = calibrated(entries)
    assert own.answer_min_score < DEFAULT_THRESHOLDS.answer_min_score
    assert own.choice_min_score < DEFAULT_THRESHOLDS.choice_min_score
    # the lead over the runner-up an answer needs is the product's
    assert own.answer_min_margin == DEFAULT_THRESHOLDS.answer_min_margin
    # an entry matched at 0.38 with a runner-up at 0.28: choices under the product's
    # thresholds, the answer under the knowledge base's own
    ranked = [Ranked("a", 0.38, 0.5, 0.5), Ranked("b", 0.28, 0.4, 0.4)]
    assert decide(ranked).kind == "choices"
    assert decide(ranked, own).kind == "answer"


def test_the_bot_decides_with_the_knowledge_bases_own_thresholds() -> None:
    entries = hydrogen()
    assert LearningMatcher(entries).engine.thresholds == calibrated(entries)


def test_a_small_knowledge_base_keeps_the_products_thresholds() -> None:
    demo = load_kb_toml(DEMO_DIR / "faq.toml")  # 15 entries: too few to say
    assert factor(demo) == 1.0 and calibrated(demo) == DEFAULT_THRESHOLDS
