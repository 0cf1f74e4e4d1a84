"""A question after sentences of context is read for what it asks.

Written from the invented FoodCircle knowledge base (tests/data/networks/foodcircle/) with
invented context sentences; the bot's matcher (`LearningMatcher`) is what the chat uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.demo import DEMO_DIR
from bot.textmatch.sentences import introduces_only
from handlers.faq.kb_import import parse_kb
from handlers.faq.learned import LearningMatcher
from handlers.faq.rules import fields_to_entry

KB = Path(__file__).parent / "data" / "networks" / "foodcircle" / "kb.toml"
MATCHER = LearningMatcher([fields_to_entry(f) for f in parse_kb(KB.read_text("utf-8"))])
CONTEXT = {
    "de": "Kurz zu uns: Wir sind eine Bäckerei mit 40 Leuten in Halle und beliefern seit 1990 "
    "Läden in ganz Sachsen. ",
    "en": "Some background: we are a bakery with 40 staff in Halle and have supplied shops "
    "across Saxony since 1990. ",
}


@pytest.mark.parametrize(
    ("lang", "question", "entry"),
    [
        ("de", "Was ist FoodCircle Börde?", "about-foodcircle"),
        ("de", "Was habe ich davon, Mitglied zu sein?", "membership-benefits"),
        ("de", "Wie bekomme ich den Newsletter?", "newsletter-subscribe"),
        ("en", "What are the benefits of being a member?", "membership-benefits"),
    ],
)
def test_context_before_the_question_does_not_hide_it(lang: str, question: str, entry: str) -> None:
    alone = MATCHER.match(question, lang)
    assert (alone.kind, alone.entry_ids) == ("answer", (entry,))
    told = MATCHER.match(CONTEXT[lang] + question, lang)
    assert (told.kind, told.entry_ids) == ("answer", (entry,))


@pytest.mark.parametrize(
    "text",
    [
        "Our cold store uses far too much electricity. Any ideas?",
        "Unser Kühlhaus verbraucht zu viel Strom. Was tun?",
    ],
)
def test_a_question_of_one_word_is_read_with_what_came_before(text: str) -> None:
    # Alone, "ideas" or "tun" would match whatever entry mentions them; with what came
    # before, that entry is neither answered nor offered first.
    alone = MATCHER.match(text.split(". ")[1])
    assert alone.kind != "handoff"
    whole = MATCHER.match(text)
    assert whole.kind != "answer"
    assert whole.entry_ids[:1] != alone.entry_ids[:1]


def test_a_question_pointing_back_is_not_answered_from_its_own_words() -> None:
    # "damit" points to the pilot plant: the bot's own help entry, which the question's
    # words alone match fully, is offered, not answered as if that were all it asked.
    told = MATCHER.match(
        "Im Technikum kann man Testchargen produzieren. Was kann der Bot damit für mich tun?"
    )
    assert told.kind == "choices"
    alone = MATCHER.match("Was kann der Bot für mich tun?")
    assert (alone.kind, alone.entry_ids) == ("answer", ("bot-help",))


def test_when_the_question_and_the_whole_message_disagree_both_are_offered() -> None:
    text = "I can't make it to the forum next week. Will I still be charged?"
    engine = MATCHER.engine
    whole = engine.rank_slots(engine.analyzer.slots(text, "en"), 1)[0].entry_id
    question = MATCHER.match("Will I still be charged?", "en").entry_ids[0]
    assert whole != question
    told = MATCHER.match(text, "en")
    assert told.kind == "choices"
    assert told.entry_ids[0] == question and whole in told.entry_ids


@pytest.mark.parametrize(
    "text",
    [
        "Hi! I'm a PhD student at TU Clausthal, what is this network about?",
        "Hello, I am a PhD student in Freiberg. What is this network about?",
    ],
)
def test_a_short_question_after_who_the_writer_is_is_read_alone(text: str) -> None:
    """Who the writer is says nothing of what is asked, however short the question (a
    walkthrough's PhD student had been handed to the office): the entry the question alone
    finds comes first, beside what the introduction may point to."""
    demo = LearningMatcher(
        [fields_to_entry(f) for f in parse_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))]
    )
    alone = demo.match("what is this network about?", "en")
    assert alone.kind == "answer"
    told = demo.match(text, "en")
    assert told.kind != "handoff" and told.entry_ids[0] == alone.entry_ids[0], told


@pytest.mark.parametrize(
    "text",
    [
        "Wir sind umgezogen, wie geht das?",  # what happened is what is asked about
        "I'm a student and need a lab, can you help?",  # what is needed too
        "Ich habe mich angemeldet. Was nun?",
    ],
)
def test_context_that_says_more_than_who_the_writer_is_is_kept(text: str) -> None:
    assert not introduces_only(text)
