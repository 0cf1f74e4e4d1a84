"""Another network's chat reads none of REWIMET's own words: the office is named as its
`[network]` configures it (or neutrally), and the examples of topics come from its own
directory (or are neutral)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import NetworkSettings
from bot.i18n import catalogue, use_network
from handlers.members.directory_import import import_directory, parse_directory
from tests.harness import Harness, make_harness

REWIMET_WORDS = (
    "Batterie",
    "battery",
    "ydrometallurg",
    "Seltene Erden",
    "rare earth",
    "Clustergeschäftsstelle",
    "cluster office",
    "des Clusters",
    "im Cluster",
    "Clustermanagement",
    "cluster management",
    "from the cluster",
    "in the cluster",
    "Exkursionen mitfahren",
    "join the excursions",
    "Harz",
    "Clausthal",
    "Goslar",
    "Rammelsberg",
    "Zinnhütte",
    "tin smelter",
)
TEXTILKREIS = {
    "name": "Textilkreis Vogtland (fiktiv) e. V.",
    "short_name": "Textilkreis",
    "tagline": {"de": "dem Netzwerk für Textilrecycling", "en": "the textile recycling network"},
}
# Vliesstoffe is named by three members, Garn by two, Färben by one (too few to quote).
HEADER_YP = "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
DIRECTORY = (
    HEADER_YP + "t1,Vlies Eins (fiktiv),company,Plauen,Leitung,de,false,Vliesstoffe;Garn,x\n"
    "t2,Vlies Zwei (fiktiv),company,Plauen,Leitung,de,false,vliesstoffe;Färben,x\n"
    "t3,Spinnerei (fiktiv),company,Greiz,Leitung,de,false,Vliesstoffe;Garn,x\n"
)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_catalogue_text_holds_rewimets_own_words(lang: str) -> None:
    found = [
        (key, word)
        for key, text in catalogue(lang).items()
        for word in REWIMET_WORDS
        if word in text
    ]
    assert found == []


@pytest.fixture
async def textilkreis(tmp_path: Path) -> AsyncIterator[Harness]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tk.db'}"
    bot = await make_harness(url, network=TEXTILKREIS)
    async with bot.db.session() as session:
        await import_directory(session, parse_directory(DIRECTORY))
    yield bot
    await bot.app.stop()
    default = NetworkSettings()
    use_network(default.name, default.short_name, default.taglines())


async def _to_topics(bot: Harness, user: str, lang: str) -> str:
    await bot.send(user, "/start")
    await bot.press(user, f"ob:language:{lang}")
    await bot.send(user, "Weberei Neu (fiktiv)")
    return (await bot.send(user, "Einkauf")).text


async def test_the_topics_question_gives_the_networks_own_topics(textilkreis: Harness) -> None:
    german = await _to_topics(textilkreis, "ida", "de")
    assert "z. B.: Vliesstoffe; Garn" in german, german
    # the directory's topics are German words: an English member reads neutral English ones
    english = await _to_topics(textilkreis, "jon", "en")
    assert "e.g.: digitalisation; skilled staff; funding programmes" in english, english
    for text in (german, english):
        assert "Färben" not in text and "Batterie" not in text and "battery" not in text


async def test_topic_examples_are_in_the_members_language_where_the_directory_has_them(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'mixed.db'}"
    bot = await make_harness(url, network=TEXTILKREIS)
    both = (
        "id,organisation,topics\n"
        "m1,Eins (fiktiv),Vliesstoffe;recycled yarn;sorting\n"
        "m2,Zwei (fiktiv),vliesstoffe;Recycled Yarn;Sortierung\n"
        "m3,Drei (fiktiv),Sortierung;sorting\n"
    )
    try:
        async with bot.db.session() as session:
            await import_directory(session, parse_directory(both))
        german = await _to_topics(bot, "ida", "de")
        assert "z. B.: Sortierung; Vliesstoffe" in german, german
        english = await _to_topics(bot, "jon", "en")
        # made up to three by a neutral one (one alone had read like the only topic there is)
        assert "e.g.: recycled yarn; sorting; digitalisation" in english, english
    finally:
        await bot.app.stop()
        default = NetworkSettings()
        use_network(default.name, default.short_name, default.taglines())


async def test_the_news_and_young_professionals_questions_name_this_network(
    textilkreis: Harness,
) -> None:
    await _to_topics(textilkreis, "ida", "de")
    await textilkreis.send("ida", "Vliesstoffe")
    await textilkreis.press("ida", "ob:consent:1")
    news = await textilkreis.press("ida", "ob:contact:-")
    assert "Neuigkeiten und Einladungen von Textilkreis" in news.text, news.text
    # nothing in this network is for young professionals: not asked, the registration ends
    done = await textilkreis.press("ida", "ob:news:1")
    assert "Young Professional" not in done.text, done.text
    member = await textilkreis.member("ida")
    assert member is not None and member.onboarded and not member.young_professional
    # nor does her profile name it (/mydata, all that is stored, does)
    profile = await textilkreis.send("ida", "/profil")
    assert "Neuigkeiten: Ja" in profile.text and "Young Professional" not in profile.text
    assert "Young Professional: Nein" in (await textilkreis.send("ida", "/meinedaten")).text
    # nor does /youngpro send a new member to a registration that never asks it
    youngpro = await textilkreis.send("max", "/youngpro")
    assert "noch nicht gewählt" in youngpro.text and "/start" not in youngpro.text, youngpro.text
    # once a member of the directory is one, a new member is asked, in the network's words
    young_one = HEADER_YP + "t9,Nachwuchs (fiktiv),company,Plauen,Azubi,de,true,Garn,x\n"
    async with textilkreis.db.session() as session:
        await import_directory(session, parse_directory(young_one))
    await _to_topics(textilkreis, "udo", "de")
    await textilkreis.send("udo", "Vliesstoffe")
    await textilkreis.press("udo", "ob:consent:1")
    await textilkreis.press("udo", "ob:contact:-")
    young = await textilkreis.press("udo", "ob:news:1")
    assert "Young Professionals" in young.text and "Exkursion" not in young.text, young.text
    assert "Young Professional: Nein" in (await textilkreis.send("ida", "/profil")).text


async def test_the_young_professionals_question_follows_an_event_for_them(
    textilkreis: Harness,
) -> None:
    from handlers.events import service
    from handlers.events.form import draft_from_form

    services = textilkreis.app.services
    draft = draft_from_form(
        "art=exkursion; titel=Spinnerei besichtigen; beginn=01.03.2030 10:00; "
        "ende=01.03.2030 13:00; ort=Greiz; zielgruppe=yp; ankündigung=nein",
        tz=services.settings.network.tz,
    )
    await service.create_event(services, draft, created_by=None)
    await _to_topics(textilkreis, "ida", "de")
    await textilkreis.send("ida", "Vliesstoffe")
    await textilkreis.press("ida", "ob:consent:1")
    await textilkreis.press("ida", "ob:contact:-")
    young = await textilkreis.press("ida", "ob:news:1")
    assert "Young Professionals" in young.text, young.text


async def test_a_handed_off_question_goes_to_the_office_without_a_cluster(
    textilkreis: Harness,
) -> None:
    german = await textilkreis.send("ida", "Kann man bei euch Webstühle ausleihen?")
    assert "an die Geschäftsstelle weitergegeben" in german.text, german.text
    english = await textilkreis.send("jon", "Can I borrow a loom from you?", lang="en")
    assert "passed your question on to the office" in english.text, english.text


async def test_a_configured_office_name_is_used(tmp_path: Path) -> None:
    office = {"de": "Geschäftsstelle des Textilkreises", "en": "Textilkreis office"}
    url = f"sqlite+aiosqlite:///{tmp_path / 'tko.db'}"
    bot = await make_harness(url, network={**TEXTILKREIS, "office": office})
    try:
        german = await bot.send("ida", "Kann man bei euch Webstühle ausleihen?")
        assert "an die Geschäftsstelle des Textilkreises weitergegeben" in german.text
        english = await bot.send("jon", "Can I borrow a loom from you?", lang="en")
        assert "on to the Textilkreis office" in english.text, english.text
    finally:
        await bot.app.stop()
        default = NetworkSettings()
        use_network(default.name, default.short_name, default.taglines())


def test_the_office_setting_takes_german_and_english_only() -> None:
    from bot.config import ConfigError, parse_settings

    with pytest.raises(ConfigError, match="office languages are de and en, not fr"):
        parse_settings({"network": {"office": {"fr": "bureau"}}}, source="test", env={})
    named = parse_settings(
        {"network": {"name": "Textilkreis e. V.", "office": {"de": "Geschäftsstelle"}}},
        source="test",
        env={},
    )
    assert named.network.office_names() == {"de": "Geschäftsstelle", "en": "office"}
    assert NetworkSettings().office_names()["de"] == "Clustergeschäftsstelle"
    assert NetworkSettings(name="Textilkreis e. V.").office_names()["de"] == "Geschäftsstelle"
