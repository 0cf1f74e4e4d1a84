"""Splitting reply markup at Telegram's limit, keyboards and message references."""

from __future__ import annotations

import random

import pytest

from bot.messages import Button
from bot.transports.telegram_format import (
    keyboard,
    message_ref,
    parse_ref,
    plain_text,
    split_html,
)
from tests.fakes.tg_objects import visible_length


def test_short_text_is_one_part() -> None:
    assert split_html("<b>kurz</b>") == ["<b>kurz</b>"]


def test_parts_close_and_reopen_tags() -> None:
    text = "<b>" + "Wort " * 30 + "</b>"
    parts = split_html(text, limit=60)
    assert len(parts) > 2
    for part in parts:
        assert len(part) <= 60
        assert part.startswith("<b>") and part.endswith("</b>")
        visible_length(part, "HTML")  # parses as Telegram HTML (raises otherwise)
    assert plain_text(" ".join(parts)).split() == plain_text(text).split()


def test_prefers_paragraph_breaks() -> None:
    first = "Erster Absatz mit einigen Worten."
    second = "Zweiter Absatz, ebenfalls mit Worten."
    parts = split_html(f"{first}\n\n{second}", limit=60)
    assert parts == [first, second]


def test_entities_and_links_stay_whole() -> None:
    text = ('<a href="https://rewimet.de/x?a=1&amp;b=2">Link</a> &amp; ' * 40).strip()
    for part in split_html(text, limit=200):
        assert len(part) <= 200
        visible_length(part, "HTML")
        assert "&am" not in part.replace("&amp;", "")


def test_a_huge_word_is_cut_hard() -> None:
    parts = split_html("x" * 9000)
    assert [len(p) for p in parts] == [4000, 4000, 1000]
    assert "".join(parts) == "x" * 9000


@pytest.mark.parametrize("seed", range(30))
def test_random_markup_splits_into_valid_parts(seed: int) -> None:
    rng = random.Random(seed)
    words = ["Kobalt", "Lithium", "&amp;", "&lt;Harz&gt;", "Recycling", "\n", "\n\n", "ß" * 30]
    out: list[str] = []
    open_tags: list[str] = []
    for _ in range(rng.randint(50, 1500)):
        roll = rng.random()
        if roll < 0.08 and len(open_tags) < 3:
            tag = rng.choice(["b", "i", "code"])
            open_tags.append(tag)
            out.append(f"<{tag}>")
        elif roll < 0.16 and open_tags:
            out.append(f"</{open_tags.pop()}>")
        else:
            out.append(rng.choice(words) + " ")
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    text = "".join(out)
    limit = rng.choice([100, 500, 4096])
    parts = split_html(text, limit=limit)
    for part in parts:
        assert len(part) <= limit
        assert plain_text(part).strip()
        visible_length(part, "HTML")
    assert plain_text(" ".join(parts)).split() == plain_text(text).split()


def test_keyboard_and_refs() -> None:
    markup = keyboard(((Button("<b>Ja</b> &amp; gern", "ob:news:1"),),))
    assert markup is not None
    assert markup.inline_keyboard[0][0].text == "Ja & gern"
    assert keyboard(()) is None
    with pytest.raises(ValueError, match="64 bytes"):
        keyboard(((Button("x", "ä" * 33),),))
    assert parse_ref(message_ref(-1001234, 17)) == ("-1001234", 17)
    assert parse_ref("console-3") is None
