"""A plain yes or no typed where the organisation's name is asked ("ja", "yes", "nein danke")
is no name: the partner search and the registration refuse it with an example and ask again;
a name starting with such a word ("Klar Metall GmbH") is one."""

from __future__ import annotations

import pytest

from tests.harness import Harness
from tests.partners_fixtures import import_members

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"


async def organisation_of(bot: Harness, user: str) -> str:
    member = await bot.member(user)
    assert member is not None
    return member.organisation


@pytest.mark.parametrize(
    ("lang", "said", "told"),
    [
        ("de", "ja", "kein Name einer Organisation"),
        ("en", "yes", "is not the name of an organisation"),
        # a no is told why the search needs the organisation (test_registration_skips_fields)
        ("en", "no thanks", "Without an organisation I cannot send the partner search"),
    ],
)
async def test_the_partner_search_refuses_yes_as_the_organisation(
    bot: Harness, lang: str, said: str, told: str
) -> None:
    await import_members(bot)
    await bot.send("neu", f"/language {lang}")
    asked = (await bot.send("neu", LAB)).text
    assert "Organisation" in asked or "organisation" in asked, asked
    answer = (await bot.send("neu", said)).text
    assert told in answer and "Muster GmbH" in answer, answer
    assert await organisation_of(bot, "neu") == ""
    await bot.send("neu", "Klar Metall GmbH")
    assert await organisation_of(bot, "neu") == "Klar Metall GmbH"


@pytest.mark.parametrize(
    ("lang", "said", "told"),
    [("de", "ja", "kein Name einer Organisation"), ("en", "Yes.", "is not the name")],
)
async def test_the_registration_refuses_yes_as_the_organisation(
    bot: Harness, lang: str, said: str, told: str
) -> None:
    await bot.send("neu", "/start")
    await bot.press("neu", f"ob:language:{lang}")
    answer = (await bot.send("neu", said)).text
    assert told in answer, answer
    assert await organisation_of(bot, "neu") == ""
    await bot.send("neu", "OK Recycling GmbH")
    assert await organisation_of(bot, "neu") == "OK Recycling GmbH"


@pytest.mark.parametrize(
    ("lang", "said", "name", "told"),
    [
        ("en", "TU Clausthal, im a phd student", "TU Clausthal", "such as “TU Clausthal”"),
        ("de", "Harz Metall GmbH – ich bin dort im Einkauf", "Harz Metall GmbH", "etwa „Harz"),
        # "ich" left out, as typed on a phone (a walkthrough's was stored whole)
        (
            "de",
            "TU Clausthal, bin doktorand am institut fuer aufbereitung",
            "TU Clausthal",
            "etwa „TU Clausthal“",
        ),
    ],
)
async def test_a_sentence_about_oneself_after_the_name_is_asked_about(
    bot: Harness, lang: str, said: str, name: str, told: str
) -> None:
    # the walkthrough's "TU Clausthal, im a phd student" became the organisation other
    # members read above its partner requests
    await bot.send("neu", "/start")
    await bot.press("neu", f"ob:language:{lang}")
    answer = (await bot.send("neu", said)).text
    assert told in answer and "?" not in answer, answer  # no question a "yes" would answer
    assert await organisation_of(bot, "neu") == ""
    await bot.send("neu", name)
    assert await organisation_of(bot, "neu") == name
    # a name with a place after a comma is a name ("im Harz" is no "I'm")
    await bot.send("neu", "/organisation Institut für Aufbereitung, im Harz")
    assert await organisation_of(bot, "neu") == "Institut für Aufbereitung, im Harz"


async def role_of(bot: Harness, user: str) -> str:
    member = await bot.member(user)
    assert member is not None
    return member.role


@pytest.mark.parametrize(
    ("lang", "said", "name", "role", "told"),
    [
        # the walkthrough's "ich bin bei schrott meyer gmbh, einkauf" became the organisation
        # other members read above its partner requests, lead-in words and all
        (
            "de",
            "ich bin bei kupfer krause gmbh, vertrieb",
            "Kupfer Krause GmbH",
            "Vertrieb",
            "Themen",
        ),
        (
            "de",
            "Ich arbeite für die Harz Recycling AG als Laborleiterin",
            "Harz Recycling AG",
            "Laborleiterin",
            "Themen",
        ),
        ("en", "I'm with Borealis Alloys, procurement", "Borealis Alloys", "Procurement", "topics"),
        ("en", "i work for nordic cobalt ltd", "Nordic Cobalt Ltd", "", "role"),
        # typed in lowercase alone (walkthrough, session 48): other members had read "stadt
        # goslar, umweltamt" above its partner requests
        ("de", "stadt goslar, umweltamt", "Stadt Goslar, Umweltamt", "", "Rolle"),
        ("en", "tu clausthal", "TU Clausthal", "", "role"),
        # a doctorate or studies there (walkthrough, session 48: "Promovier an der TU
        # Clausthal, Institut für Aufbereitung" had been the organisation others read)
        (
            "de",
            "promovier an der tu clausthal, institut für aufbereitung",
            "TU Clausthal",
            "Institut für Aufbereitung",
            "Themen",
        ),
        ("de", "ich studiere an der TU Clausthal", "TU Clausthal", "", "Rolle"),
        ("en", "I'm doing a PhD at TU Clausthal", "TU Clausthal", "", "role"),
    ],
)
async def test_the_registration_takes_the_name_out_of_a_sentence(
    bot: Harness, lang: str, said: str, name: str, role: str, told: str
) -> None:
    await bot.send("neu", "/start")
    await bot.press("neu", f"ob:language:{lang}")
    answer = (await bot.send("neu", said)).text
    assert await organisation_of(bot, "neu") == name
    assert await role_of(bot, "neu") == role
    assert name in answer and told in answer, answer  # said what was saved, then on
    assert "/organisation" in answer


async def test_a_role_typed_in_lower_case_begins_with_a_capital(bot: Harness) -> None:
    """Walkthrough (session 48): the organisation beside it was capitalised, the role
    "doktorandin" stayed as typed; one with capitals stays as typed."""
    await bot.send("neu", "/start")
    await bot.press("neu", "ob:language:de")
    await bot.send("neu", "TU Clausthal")
    await bot.send("neu", "doktorandin")
    assert await role_of(bot, "neu") == "Doktorandin"
    await bot.send("neu", "/rolle head of R&D")
    assert await role_of(bot, "neu") == "head of R&D"
    await bot.send("neu", "/rolle einkauf")
    assert await role_of(bot, "neu") == "Einkauf"


@pytest.mark.parametrize(
    ("lang", "said", "told"),
    [
        # more than a role after the name: asked about, with the name
        (
            "de",
            "ich bin bei Harz Recycling AG, ich leite dort das Labor",
            "etwa „Harz Recycling AG“",
        ),
        (
            "en",
            "I work at Borealis Alloys - we melt scrap and sell ingots to foundries",
            "such as “Borealis Alloys”",
        ),
        # a kind of organisation is no name
        ("de", "wir sind ein kleiner Recyclingbetrieb", "kein Name einer Organisation"),
    ],
)
async def test_a_sentence_around_the_name_with_more_is_asked_about(
    bot: Harness, lang: str, said: str, told: str
) -> None:
    await bot.send("neu", "/start")
    await bot.press("neu", f"ob:language:{lang}")
    answer = (await bot.send("neu", said)).text
    assert told in answer, answer
    assert await organisation_of(bot, "neu") == ""


async def test_the_organisation_command_takes_the_name_out_of_a_sentence(bot: Harness) -> None:
    await bot.onboard("neu")
    await bot.send("neu", "/organisation wir sind die Stadtwerke Goslar")
    assert await organisation_of(bot, "neu") == "Stadtwerke Goslar"
