"""A directory imported while the bot runs is searched at once, and again after a restart: the
partner index follows the members, however it was cached. A member imported without a chat
account yet is left out (no request could reach them) until one is connected. An invented
network of organ builders."""

from __future__ import annotations

from pathlib import Path

from handlers.members.directory_import import import_directory, parse_directory
from tests.harness import Harness, make_harness
from tests.partners_fixtures import import_members

ORGAN_BUILDERS = (
    "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
    'ob-1,"Zungenstimmen Meißen (fiktiv)",company,Meißen,Werkstatt,de,false,'
    '"Zungenpfeifen;Intonation","Baut und intoniert Zungenregister für Kirchenorgeln."\n'
    'ob-2,"Orgelholz Pirna (fiktiv)",company,Pirna,Einkauf,de,false,'
    '"Windladen;Eichenholz","Fertigt Windladen aus Eichenholz."\n'
)
NEED = "Wir suchen jemanden, der Zungenpfeifen intoniert"
FOUND = "Dazu passt ein Mitglied"


async def _search(bot: Harness, user: str, update_id: str | None = None) -> str:
    return (await bot.send(user, NEED, update_id=update_id)).text


async def test_a_search_right_after_an_import_and_after_a_restart_finds_the_member(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'orgel.db'}"
    bot = await make_harness(url)
    try:
        await bot.onboard("kantorin", org="Kantorei (fiktiv)")
        before = await _search(bot, "kantorin")  # the index is built on an empty directory
        assert FOUND not in before, before
        await bot.send("kantorin", "/abbrechen")
        await import_members(bot, ORGAN_BUILDERS)
        assert FOUND in await _search(bot, "kantorin")
        await bot.send("kantorin", "/abbrechen")
    finally:
        await bot.app.stop()
    again = await make_harness(url)
    try:
        # a new update id: the restarted harness counts from 1 again, seen updates are skipped
        assert FOUND in await _search(again, "kantorin", update_id="after-restart")
    finally:
        await again.app.stop()


async def test_a_member_imported_without_a_chat_account_is_found_once_connected(
    bot: Harness,
) -> None:
    await bot.onboard("kantorin", org="Kantorei (fiktiv)")
    async with bot.db.session() as session:
        await import_directory(session, parse_directory(ORGAN_BUILDERS))
    assert FOUND not in await _search(bot, "kantorin")  # nobody could be asked
    await bot.send("kantorin", "/abbrechen")
    await import_members(bot, ORGAN_BUILDERS)  # now each has a chat account
    assert FOUND in await _search(bot, "kantorin")
