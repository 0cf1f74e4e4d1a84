"""A partner request that opens with a greeting and an introduction (walkthrough: "Hi, I am a
postdoc at TU Clausthal. I am looking for …"): the organisation the introduction names is
taken (and said so), not asked for again; the members asked get the request, without the
greeting and the introduction, and are not told it once more as what they were asked for."""

from __future__ import annotations

import pytest

from handlers.partners.introduction import split_introduction
from storage import members
from tests.harness import Harness
from tests.partners_fixtures import import_members, outbox

CASES = [
    (
        "en",
        "Hello! I'm a process engineer at Okerhuette Metallwerke. We are looking for a lab "
        "that analyses black mass from lithium batteries.",
        "Okerhuette Metallwerke",
        "lab that analyses black mass from lithium batteries",
        ("Hello", "process engineer"),
    ),
    (
        "de",
        "Guten Tag, ich arbeite bei der Kupferhütte Talbach. Wir suchen ein Labor für die "
        "Analytik von Schwarzmasse.",
        "Kupferhütte Talbach",
        "Labor für die Analytik von Schwarzmasse",
        ("Guten Tag", "arbeite bei"),
    ),
]


async def _organisation(bot: Harness, user: str) -> str:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        found = await members.get_member(session, member.id)
        assert found is not None
        return found.organisation


@pytest.mark.parametrize(("lang", "text", "organisation", "need", "left_out"), CASES)
async def test_introduction_names_the_organisation_and_stays_out_of_the_request(
    bot: Harness, lang: str, text: str, organisation: str, need: str, left_out: tuple[str, ...]
) -> None:
    await import_members(bot)
    reply = await bot.send("newcomer", text, lang=lang)
    assert f"{organisation}" in reply.text
    assert "/organisation" in reply.text
    assert "What is it called?" not in reply.text and "Wie heißt sie?" not in reply.text
    assert await _organisation(bot, "newcomer") == organisation
    for words in left_out:
        assert words not in reply.text.split(organisation)[-1]
    await bot.press("newcomer", reply.buttons[0])
    sent = [str(m.payload["text"]) for m in await outbox(bot, "partner_request")]
    assert sent, reply.text
    for text_sent in sent:
        assert need in text_sent
        for words in left_out:
            assert words not in text_sent


async def test_a_member_with_an_organisation_keeps_it(bot: Harness) -> None:
    await import_members(bot)
    await bot.onboard("kim", lang="en", org="Brockenlabor GmbH")
    reply = await bot.send("kim", CASES[0][1])
    assert await _organisation(bot, "kim") == "Brockenlabor GmbH"
    assert "process engineer" not in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "We are looking for a lab for gallium analysis.",
        "Wir sind ein Recyclingbetrieb und suchen einen Abnehmer für Kupferschrott.",
        "I am looking for a partner for magnet recycling at TU Clausthal.",
    ],
)
def test_a_request_without_introduction_is_kept_whole(text: str) -> None:
    found = split_introduction(text)
    assert found.need == text
    assert found.organisation is None


def test_a_town_is_no_organisation() -> None:
    found = split_introduction(
        "Wir sind ein Start-up aus Goslar. Wir suchen ein Labor für Gallium."
    )
    assert found.organisation is None
    assert found.need == "Wir suchen ein Labor für Gallium."


def test_a_title_with_a_full_stop_stays_in_its_sentence() -> None:
    # "Dr." ends no sentence: the introduction goes whole, the request stays whole
    found = split_introduction(
        "Hallo, ich bin Dr. Meier von der TU Clausthal. Wir suchen ein Labor, das Magnete "
        "analysiert."
    )
    assert found.need == "Wir suchen ein Labor, das Magnete analysiert."
    assert found.organisation == "TU Clausthal"
