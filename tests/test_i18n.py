import re

from bot.i18n import Markup, catalogue, t


def test_both_languages_hold_the_same_keys_and_placeholders() -> None:
    de, en = catalogue("de"), catalogue("en")
    assert set(de) == set(en), set(de) ^ set(en)
    for key in de:
        assert set(re.findall(r"{(\w+)}", de[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_values_are_escaped_but_markup_is_kept() -> None:
    text = t("de", "errors.unknown_member", number="<script>")
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert "<b>x</b>" in t("en", "errors.unknown_member", number=Markup("<b>x</b>"))


def test_unknown_language_falls_back_to_german() -> None:
    assert t("fr", "common.yes") == "Ja"
