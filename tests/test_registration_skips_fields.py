"""A walkthrough of the registration after /start: a skip word or a no / not-now answer to the
organisation or role question ("später vielleicht", "no thanks", "überspringen") leaves that
field empty and goes on to the next question, saying it can be set later; "nur privat dabei,
kein Unternehmen" / "no employer, only myself" means no organisation. None of them is stored as
typed, so no other member reads "später vielleicht sucht: …". A partner search asking for
the organisation explains why it needs one instead of storing such an answer."""

from __future__ import annotations

import pytest

from tests.harness import Chat, Harness

ASK_ROLE = {"de": "Welche Rolle haben Sie dort", "en": "What is your role there"}
ASK_TOPICS = {"de": "Zu welchen Themen", "en": "Which topics"}


async def at_organisation(bot: Harness, user: str, lang: str) -> Chat:
    await bot.send(user, "/start", lang=lang)
    return await bot.press(user, f"ob:language:{lang}")


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("de", "später vielleicht"),
        ("de", "jetzt lieber nicht"),
        ("de", "nein danke"),
        ("de", "überspringen"),
        ("de", "nur privat dabei, kein Unternehmen"),
        ("de", "keine Firma, bin als Privatperson hier"),
        ("en", "maybe later"),
        ("en", "no thanks"),
        ("en", "skip this"),
        ("en", "no employer, only myself"),
        ("en", "i'm here privately, no company"),
    ],
)
async def test_a_no_answer_to_the_organisation_leaves_it_empty(
    bot: Harness, lang: str, typed: str
) -> None:
    await at_organisation(bot, "nina", lang)
    said = await bot.send("nina", typed)
    assert ASK_ROLE[lang] in said.text, said.text  # on to the next question
    assert "/organisation" in said.text, said.text  # where it is set later
    member = await bot.member("nina")
    assert member is not None and member.organisation == "", member.organisation


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("de", "eher nicht"),
        ("de", "weglassen"),
        ("en", "not yet"),
        ("en", "skip"),
    ],
)
async def test_a_no_answer_to_the_role_leaves_it_empty(bot: Harness, lang: str, typed: str) -> None:
    await at_organisation(bot, "rolf", lang)
    await bot.send("rolf", "Harz Metall GmbH")
    said = await bot.send("rolf", typed)
    assert ASK_TOPICS[lang] in said.text, said.text
    assert "/rolle" in said.text if lang == "de" else "/role" in said.text, said.text
    member = await bot.member("rolf")
    assert member is not None and member.role == "" and member.organisation == "Harz Metall GmbH"


async def test_an_organisation_name_is_still_stored(bot: Harness) -> None:
    """Names with such words in them stay names."""
    await at_organisation(bot, "paul", "en")
    await bot.send("paul", "Private Metals Recycling Ltd")
    member = await bot.member("paul")
    assert member is not None and member.organisation == "Private Metals Recycling Ltd"


@pytest.mark.parametrize(
    ("lang", "typed", "why"),
    [
        ("de", "erstmal lieber nicht", "Angefragte Mitglieder sehen"),
        ("de", "bin privat hier, ohne Firma", "Angefragte Mitglieder sehen"),
        ("en", "not now thanks", "members you ask see"),
        ("en", "skip", "members you ask see"),
    ],
)
async def test_a_partner_search_explains_why_it_needs_the_organisation(
    bot: Harness, lang: str, typed: str, why: str
) -> None:
    await bot.send("suse", "/language en" if lang == "en" else "/sprache de")
    need = (
        "Wir suchen einen Partner für die Rückgewinnung von Gallium aus Elektronikschrott"
        if lang == "de"
        else "We are looking for a partner to recover gallium from electronic scrap"
    )
    await bot.send("suse", f"/partner {need}")
    said = await bot.send("suse", typed)
    assert why in said.text, said.text
    member = await bot.member("suse")
    assert member is not None and member.organisation == "", member.organisation
    # still asked: a name goes on to the search's preview
    preview = await bot.send("suse", "Gallium Harz GmbH")
    assert need in preview.text, preview.text


@pytest.mark.parametrize(
    ("lang", "typed", "told"),
    [("de", "/rolle jetzt lieber nicht", "keine Rolle"), ("en", "/role maybe later", "not a role")],
)
async def test_the_role_command_refuses_a_no_answer(
    bot: Harness, lang: str, typed: str, told: str
) -> None:
    await bot.onboard("rita", lang=lang)
    said = await bot.send("rita", typed)
    assert told in said.text, said.text
    member = await bot.member("rita")
    assert member is not None and member.role == "Forschung", member.role
