import re

from bot.app import build_router
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


# Argument names of the English command syntax; a German text must name them in German.
ENGLISH_PLACEHOLDERS = frozenset(
    {
        "number",
        "text",
        "need",
        "id",
        "field",
        "value",
        "member",
        "question",
        "answer",
        "name",
        "title",
        "date",
        "reason",
        "command",
        "topic",
        "topics",
        "entry",
        "when",
        "where",
        "place",
        "count",
        "file",
        "user",
        "role",
        "organisation",
    }
)


def _sample_values(text: str) -> dict[str, object]:
    return {name: f"«{name}»" for name in re.findall(r"{(\w+)}", text)}


def test_every_entry_renders_in_both_languages_without_leftovers() -> None:
    """Every text formats with its placeholders filled: no brace left, no key shown instead."""
    for lang in ("de", "en"):
        for key, raw in catalogue(lang).items():
            values = _sample_values(raw)
            if key.endswith((".one", ".other")):  # a counted text: reached through its base key
                key, form = key.rsplit(".", 1)
                values["count"] = 1 if form == "one" else 5
            shown = t(lang, key, **values)
            assert shown != key, f"{lang}: {key} not found"
            assert "{" not in shown and "}" not in shown, f"{lang}: {key}: {shown}"


def test_german_texts_name_no_english_placeholders() -> None:
    """`/join <number>` or `[need]` in a German text: the syntax must be German too."""
    found = []
    for key, text in catalogue("de").items():
        for word in re.findall(r"[<\[]([a-z_]+)[>\]]", text):
            if word in ENGLISH_PLACEHOLDERS:
                found.append(f"{key}: {word}")
    assert found == []


def test_counted_texts_follow_the_plural_rule() -> None:
    assert "an ein Mitglied gegangen" in t("de", "partners.sent", number=1, count=1)
    assert "an 2 Mitglieder gegangen" in t("de", "partners.sent", number=1, count=2)
    assert "went to one member" in t("en", "partners.sent", number=1, count=1)
    assert "went to 0 members" in t("en", "partners.sent", number=1, count=0)


# Nouns that follow a count in the texts; "1 recipients" or "1 Termine" is a missed plural.
PLURAL_AFTER_ONE = {
    "en": r"\b1 (?:<[^>]+>)?(?:recipients|Recipients|events|entries|places|dates|people)\b",
    "de": r"\b1 (?:<[^>]+>)?"
    r"(?:Einträge|Plätze|Termine|kommende Termine|Veranstaltungen|Angemeldete)\b",
}


def test_no_text_says_one_with_a_plural() -> None:
    """Every text with each value 1 (a counted text in its `one` form): no "1 recipients"."""
    found = []
    for lang in ("de", "en"):
        for key, raw in catalogue(lang).items():
            values: dict[str, object] = {name: 1 for name in re.findall(r"{(\w+)}", raw)}
            if key.endswith((".one", ".other")):
                key = key.rsplit(".", 1)[0]
            values["count"] = 1
            shown = str(t(lang, key, **values))
            if re.search(PLURAL_AFTER_ONE[lang], shown) or re.search(r"next 1 events", shown):
                found.append(f"{lang}: {key}: {shown}")
    assert found == []


def test_counts_in_series_and_faq_texts_follow_the_plural_rule() -> None:
    assert "(1 entry)" in t("en", "faq.stats_title", count=1)
    assert "(1 Eintrag)" in t("de", "faq.stats_title", count=1)
    assert "(7 entries)" in t("en", "faq.stats_title", count=7)
    assert "1 place is already taken" in t("en", "events.capacity_below_taken", count=1)
    assert "Es ist schon 1 Platz belegt" in t("de", "events.capacity_below_taken", count=1)
    assert "3 places are already taken" in t("en", "events.capacity_below_taken", count=3)
    told_one = t("en", "events.told", count=1)
    skipped = t("en", "series.skipped", number=4, title="Stammtisch", when="Mo", told=told_one)
    assert skipped.endswith(
        "is skipped. One person will be told (signed up or on the waiting list)."
    )
    assert "(1 date)" in t(
        "en", "series.ask_change", number=4, series=1, dates=t("en", "series.dates", count=1)
    )
    assert "(1 Termin)" in t(
        "de", "series.ask_change", number=4, series=1, dates=t("de", "series.dates", count=1)
    )


def test_german_texts_name_the_commands_by_their_german_names() -> None:
    """A German text says /termine and /anmelden, as /help and the menu do, not /events."""
    router = build_router()
    english = {c.name: c.german for c in router.unique_commands() if c.german}
    named = re.compile(r"(?<![<\w/.:])/(" + "|".join(english) + r")(?![a-z0-9_])")
    found = [
        f"{key}: /{match} (say /{english[match]})"
        for key, text in catalogue("de").items()
        for match in named.findall(text)
    ]
    assert found == []
    assert "/anmelden 4" in t("de", "feed.note_public", number=4)
    assert "/join 4" in t("en", "feed.note_public", number=4)


def test_the_members_registration_is_no_sign_up_for_an_event() -> None:
    """ "Anmeldung" and "sign-up" are the words for events: the member's own registration (the
    profile /start sets up) is a "Registrierung" / "registration"."""
    for lang, event_word in (("de", "Anmeldung"), ("en", "sign")):
        texts = catalogue(lang)
        keys = ("help.start", "flows.onboarding.paused", "flows.onboarding.resumed")
        assert all(event_word not in texts[key] for key in keys), lang
    assert t("de", "flows.onboarding.resumed") == "Weiter mit Ihrer Registrierung:"
    assert t("en", "flows.onboarding.paused").startswith("Your registration is not finished")


def test_the_faq_says_it_has_no_answer_in_one_way_in_each_language() -> None:
    """ "keine sichere Antwort" in German is "no reliable answer" in English, in every text."""
    for lang, pattern, words in (
        ("de", r"keine (\w+) Antwort", {"sichere"}),
        ("en", r"no (\w+) answer", {"reliable"}),
    ):
        found = {
            word
            for key, text in catalogue(lang).items()
            if key.startswith("faq.")
            for word in re.findall(pattern, text)
        }
        assert found == words, (lang, found)
