"""The event form's audience refused: the choices are said in words ("Alle Mitglieder",
"Young Professionals", "Mitglieder mit Thema …"), as /broadcast's are, not as the codes
"alle, yp, thema:…"; the words it names are taken."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.i18n import t
from handlers.events.form import parse_audience
from tests.dates import days_ahead, typed
from tests.harness import Harness
from tests.test_events import goslar

CHOICES = {
    "de": ("Alle Mitglieder", "Young Professionals", "Mitglieder mit Thema"),
    "en": ("All members", "Young professionals", "Members with the topic"),
}
CODES = ("yp (", "yp,", "thema:", "topic:", "alle,", "all,")


@pytest.mark.parametrize(("lang", "key"), [("de", "zielgruppe"), ("en", "audience")])
async def test_an_unknown_audience_in_the_one_line_form_lists_the_choices_in_words(
    bot: Harness, lang: str, key: str
) -> None:
    await bot.send("admin", f"/language {lang}")
    said = (await bot.send("admin", f"/newevent {goslar(bot, 5)}; {key}=Presseleute")).text
    assert "Presseleute" in said, said
    for choice in CHOICES[lang]:
        assert choice in said, said
    for code in CODES:
        assert code not in said, said


async def test_an_unknown_audience_in_the_guided_form_lists_the_choices_in_words(
    bot: Harness,
) -> None:
    await bot.send("admin", "/neuertermin")
    await bot.press("admin", "evf:kind:forum")
    await bot.send("admin", "Stammtisch")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 40)))
    for step in ("repeat", "end", "place", "capacity", "deadline"):
        await bot.press("admin", f"evf:{step}:-")
    said = await bot.send("admin", "die Presseleute")
    for choice in CHOICES["de"]:
        assert choice in said.text, said.text
    for code in CODES:
        assert code not in said.text, said.text
    assert "evf:audience:all" in said.buttons  # asked again, with its buttons
    # the example it gives is taken
    asked = await bot.send("admin", "Thema Batterierecycling")
    assert "Beschreibung" in asked.text, asked.text


@pytest.mark.parametrize(
    ("typed_words", "audience"),
    [
        ("Alle Mitglieder", "all"),
        ("All members", "all"),
        ("Young Professionals", "yp"),
        ("Thema Batterierecycling", "topic:Batterierecycling"),
        ("topic battery recycling", "topic:battery recycling"),
        ("thema:Gallium", "topic:Gallium"),
        ("yp", "yp"),
    ],
)
def test_the_audiences_named_in_words_are_taken(typed_words: str, audience: str) -> None:
    assert parse_audience(typed_words) == audience


def test_the_list_in_english() -> None:
    with pytest.raises(UserError) as unknown:
        parse_audience("the press")
    said = str(t("en", unknown.value.key, **unknown.value.values))
    for choice in CHOICES["en"]:
        assert choice in said, said
