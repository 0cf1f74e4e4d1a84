"""The office invites an imported directory member to claim their entry: an invitation code
(chat command, dashboard, a CSV for a mail merge); the person sends `/start CODE` (Telegram's
start link) or `/link CODE` and their chat account joins the entry, keeping what they had."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.cli import main
from bot.messages import Platform
from bot.transports.telegram_links import start_link
from handlers.members.directory_import import import_directory, parse_directory
from handlers.members.invitations import INVITATION_LIFETIME
from storage import conversations, members, signups
from tests.dates import days_ahead
from tests.harness import Harness, fixed_clock

HEADER = "id,organisation,kind,city,role,languages,young_professional,topics,bio,contact\n"
ROWS = (
    'hk1,"Harzer Kobaltwerk GmbH",company,Goslar,Geschäftsführung,de,false,'
    '"Kobalt;Batterierecycling","Rückgewinnung aus Altbatterien",info@kobaltwerk.example\n'
    'tu2,"Institut für Laugung Oberharz",research,Clausthal,Professur,en;de,false,'
    '"Hydrometallurgy;Leaching","Bioleaching of slags",\n'
)


async def directory(bot: Harness) -> dict[str, int]:
    """The two directory entries by their external id -> member number."""
    async with bot.db.session() as session:
        await import_directory(session, parse_directory(HEADER + ROWS))
    async with bot.db.session() as session:
        found = {key: (await members.find_by_external_id(session, key)) for key in ("hk1", "tu2")}
    return {key: member.id for key, member in found.items() if member is not None}


def code_in(text: str) -> str:
    found = re.search(r"\b([A-Z2-9]{10})\b", text)
    assert found is not None, text
    return found.group(1)


async def test_the_office_invites_and_the_person_claims_the_entry_by_telegram_start_link(
    bot: Harness,
) -> None:
    ids = await directory(bot)
    bot.app.services.start_links["telegram"] = partial(start_link, "rewimet_test_bot")
    invited = await bot.send("admin", f"/einladen {ids['hk1']}")
    code = code_in(invited.text)
    assert "Harzer Kobaltwerk GmbH" in invited.text
    assert f"https://t.me/rewimet_test_bot?start={code}" in invited.text
    assert "30 Tage" in invited.text
    # the person opens the link: Telegram sends /start CODE as their very first message
    greeted = await bot.send("tg-501", f"/start {code}", platform=Platform.TELEGRAM, lang="de")
    assert "Harzer Kobaltwerk GmbH" in greeted.text
    assert "Kobalt; Batterierecycling" in greeted.text and "Goslar" in greeted.text
    assert "/profil" in greeted.text
    assert "Welche Sprache" not in greeted.text  # no blank sign-up started
    joined = await bot.member("tg-501", Platform.TELEGRAM)
    assert joined is not None and joined.id == ids["hk1"] and joined.external_id == "hk1"
    assert [a.platform for a in joined.accounts] == ["telegram"]
    async with bot.db.session() as session:
        assert len(await members.list_members(session)) == 3  # admin + the two entries
    # single-use: a second person with the same link gets a clear no
    again = await bot.send("tg-502", f"/start {code}", platform=Platform.TELEGRAM, lang="de")
    assert "Einladungscode ist unbekannt" in again.text
    # /start later: welcomed back as the entry, not asked to sign up
    back = await bot.send("tg-501", "/start", platform=Platform.TELEGRAM)
    assert "Harzer Kobaltwerk GmbH" in back.text


async def test_an_english_member_with_a_started_sign_up_and_an_event_keeps_both_via_link(
    bot_any: Harness,
) -> None:
    bot = bot_any
    ids = await directory(bot)
    invited = await bot.send("admin", f"/invite {ids['tu2']}")
    code = code_in(invited.text)
    assert "t.me" not in invited.text  # no Telegram bot known: Matrix's way only
    assert f"/start {code}" in invited.text
    # before the letter arrives, the person started the bot on Matrix and signed up
    await bot.send("@lena:hs", "/start", platform=Platform.MATRIX, lang="en")
    await bot.press("@lena:hs", "ob:language:en", platform=Platform.MATRIX)
    blank = await bot.member("@lena:hs", Platform.MATRIX)
    assert blank is not None
    event = await bot.add_event(
        starts_at=days_ahead(bot, 20).astimezone(UTC),
        kind="excursion",
        title="Exkursion Laugungsanlage",
        title_en="Excursion to the leaching plant",
        capacity=10,
    )
    async with bot.db.session() as session:
        await signups.join(session, event_id=event.id, member_id=blank.id)
    claimed = await bot.send("@lena:hs", f"/link {code.lower()}", platform=Platform.MATRIX)
    assert "Institut für Laugung Oberharz" in claimed.text
    assert "Hydrometallurgy; Leaching" in claimed.text and "/profile" in claimed.text
    joined = await bot.member("@lena:hs", Platform.MATRIX)
    assert joined is not None and joined.id == ids["tu2"]
    assert joined.language == "en" and joined.onboarded
    async with bot.db.session() as session:
        kept = await signups.find(session, event_id=event.id, member_id=ids["tu2"])
        assert kept is not None  # the sign-up moved to the entry
        assert await members.get_member(session, blank.id) is None
        assert await conversations.get(session, member_id=ids["tu2"]) is None
    profile = await bot.send("@lena:hs", "/profile", platform=Platform.MATRIX)
    assert "Institut für Laugung Oberharz" in profile.text


async def test_a_code_for_an_entry_already_on_that_platform_is_refused(bot: Harness) -> None:
    ids = await directory(bot)
    first = code_in((await bot.send("admin", f"/einladen {ids['hk1']}")).text)
    await bot.send("tg-601", f"/start {first}", platform=Platform.TELEGRAM, lang="de")
    # the office makes none for a member in the chat; a code made at the same moment as the
    # claim (two admins at once) is refused when it is sent
    second = "HARZ234567"
    async with bot.db.session() as session:
        await members.store_invitation(
            session,
            code=second,
            member_id=ids["hk1"],
            expires_at=bot.app.services.clock() + INVITATION_LIFETIME,
        )
    refused = await bot.send("tg-602", f"/start {second}", platform=Platform.TELEGRAM, lang="de")
    assert "schon mit einem Telegram-Konto verbunden" in refused.text
    stranger = await bot.member("tg-602", Platform.TELEGRAM)
    assert stranger is not None and stranger.id != ids["hk1"]
    # a member already connected to an entry cannot take a second one either
    third = code_in((await bot.send("admin", f"/einladen {ids['tu2']}")).text)
    refused = await bot.send("tg-601", f"/link {third}", platform=Platform.TELEGRAM)
    assert "bereits zum Eintrag" in refused.text


async def test_wrong_expired_and_replaced_codes_are_answered_in_the_members_language(
    bot: Harness,
) -> None:
    ids = await directory(bot)
    old = code_in((await bot.send("admin", f"/invite {ids['tu2']}")).text)
    new = code_in((await bot.send("admin", f"/invite {ids['tu2']}")).text)
    assert old != new
    replaced = await bot.send("@x:hs", f"/start {old}", platform=Platform.MATRIX, lang="en")
    assert "This invitation code is unknown" in replaced.text
    wrong = await bot.send("de-1", "/verbinden ABCDEFGHJK", lang="de")
    assert "unbekannt" in wrong.text
    later = datetime.now(UTC) + INVITATION_LIFETIME + timedelta(days=1)
    bot.app.services.clock = fixed_clock(later)
    expired = await bot.send("@y:hs", f"!start {new}", platform=Platform.MATRIX, lang="en")
    assert "expired" in expired.text and "ask the office" in expired.text.lower()
    entry = await bot.member("@y:hs", Platform.MATRIX)
    assert entry is not None and entry.id != ids["tu2"]


async def test_only_admins_invite(bot: Harness) -> None:
    ids = await directory(bot)
    await bot.onboard("mia", org="Neugier AG")
    refused = await bot.send("mia", f"/einladen {ids['hk1']}")
    assert "nur Admins" in refused.text
    assert not re.search(r"\b[A-Z2-9]{10}\b", refused.text)
    missing = await bot.send("admin", "/invite 999", lang="en")
    assert "no member with the number 999" in missing.text


def test_cli_writes_a_mail_merge_csv_of_members_not_yet_connected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/x.db"\n'
        '[telegram]\nusername = "rewimet_test_bot"\n'
    )
    directory_file = tmp_path / "members.csv"
    directory_file.write_text(HEADER + ROWS)
    assert main(["import", "members", str(directory_file), "--config", str(config)]) == 0
    out = tmp_path / "invitations.csv"
    assert main(["invitations", "--config", str(config), "--output", str(out)]) == 0
    assert "2 invitations" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [row["organisation"] for row in rows] == [
        "Harzer Kobaltwerk GmbH",
        "Institut für Laugung Oberharz",
    ]
    assert rows[0]["contact"] == "info@kobaltwerk.example"
    assert rows[0]["link"] == f"https://t.me/rewimet_test_bot?start={rows[0]['code']}"
    assert re.fullmatch(r"[A-Z2-9]{10}", rows[1]["code"])
    assert capsys.readouterr().err == ""  # every row has its link


def test_cli_says_why_the_link_column_is_empty_and_how_to_fill_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/x.db"\n')
    directory_file = tmp_path / "members.csv"
    directory_file.write_text(HEADER + ROWS)
    assert main(["import", "members", str(directory_file), "--config", str(config)]) == 0
    out = tmp_path / "invitations.csv"
    assert main(["invitations", "--config", str(config), "--output", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    assert [row["link"] for row in rows] == ["", ""]
    err = capsys.readouterr().err
    assert "link column is empty" in err and "[telegram] username" in err, err
    assert "/start CODE" in err or "the code" in err, err


async def test_the_csv_leaves_out_connected_members_and_quotes_formula_cells(
    bot: Harness,
) -> None:
    from handlers.members.invitations import invitations_csv

    ids = await directory(bot)
    code = code_in((await bot.send("admin", f"/einladen {ids['hk1']}")).text)
    await bot.send("tg-701", f"/start {code}", platform=Platform.TELEGRAM, lang="de")
    async with bot.db.session() as session:
        await members.update_member(session, member_id=ids["tu2"], contact="=HYPERLINK(1)")
    text, count = await invitations_csv(bot.app.services)
    assert count == 1
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    # the directory's id to join a mail merge on, and the bot's number /einladen takes
    assert [(row["id"], row["member"]) for row in rows] == [("tu2", str(ids["tu2"]))]
    assert rows[0]["contact"] == "'=HYPERLINK(1)"
    # the CSV's fresh code replaced the one before: it works
    claimed = await bot.send("@t:hs", f"/start {rows[0]['code']}", platform=Platform.MATRIX)
    assert "Institut für Laugung Oberharz" in claimed.text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_dashboard_creates_an_invitation_on_the_members_page(
    sqlite_url: str, lang: str
) -> None:
    from storage import audit
    from tests.test_web_members import sign_in
    from tests.web_harness import dashboard_for

    async with dashboard_for(sqlite_url) as dash:
        ids = await directory(dash.bot)
        dash.bot.app.services.start_links["telegram"] = partial(start_link, "rewimet_test_bot")
        office = await sign_in(dash)
        try:
            _, html = await office.get(f"/members/{ids['hk1']}?lang={lang}")
            button = {"de": "Einladung erstellen", "en": "Create invitation"}[lang]
            assert button in html
            status, html = await office.post(f"/members/{ids['hk1']}/invitation?lang={lang}")
            assert status == 200
            code = code_in(html)
            assert f"https://t.me/rewimet_test_bot?start={code}" in html
            assert {"de": "30 Tage", "en": "30 days"}[lang] in html
            # a member who has no right to it cannot: the page needs an admin's session
            greeted = await dash.bot.send(
                "tg-801", f"/start {code}", platform=Platform.TELEGRAM, lang=lang
            )
            assert "Harzer Kobaltwerk GmbH" in greeted.text
            _, html = await office.get(f"/members/{ids['hk1']}?lang={lang}")
            connected = {"de": "schon mit Telegram verbunden", "en": "already connected"}[lang]
            assert connected in html
        finally:
            await office.client.close()
        async with dash.bot.db.session() as session:
            actions = [e.action for e in await audit.recent(session, limit=20)]
        assert "web:members:invite" in actions


async def test_without_an_admins_session_the_dashboard_makes_no_invitation(
    sqlite_url: str,
) -> None:
    import aiohttp

    from storage.models import Invitation
    from tests.web_harness import dashboard_for

    async with dashboard_for(sqlite_url) as dash:
        ids = await directory(dash.bot)
        async with (
            aiohttp.ClientSession() as client,
            client.post(
                f"{dash.url}/members/{ids['hk1']}/invitation",
                data={"csrf": "x"},
                allow_redirects=False,
            ) as response,
        ):
            assert response.status in (302, 303, 401, 403)
        async with dash.bot.db.session() as session:
            assert (await session.execute(Invitation.__table__.select())).all() == []


async def test_the_code_typed_alone_claims_the_entry_even_mid_sign_up(bot: Harness) -> None:
    """On Matrix there is no start link: the person types the code from the letter, also
    while the blank sign-up asks for their organisation (not stored as its name)."""
    ids = await directory(bot)
    code = code_in((await bot.send("admin", f"/invite {ids['tu2']}")).text)
    await bot.send("@ben:hs", "/start", platform=Platform.MATRIX, lang="de")
    await bot.press("@ben:hs", "ob:language:de", platform=Platform.MATRIX)
    claimed = await bot.send("@ben:hs", f" {code.lower()} ", platform=Platform.MATRIX)
    assert "Willkommen, Institut für Laugung Oberharz" in claimed.text
    joined = await bot.member("@ben:hs", Platform.MATRIX)
    assert joined is not None and joined.id == ids["tu2"]
    assert joined.organisation == "Institut für Laugung Oberharz" and joined.language == "de"
    async with bot.db.session() as session:
        assert await conversations.get(session, member_id=ids["tu2"]) is None


async def test_own_answers_that_differ_are_named_and_empty_fields_filled(bot: Harness) -> None:
    ids = await directory(bot)
    async with bot.db.session() as session:
        await members.update_member(session, member_id=ids["tu2"], contact="")
    code = code_in((await bot.send("admin", f"/invite {ids['tu2']}")).text)
    await bot.send("@eva:hs", "/start", platform=Platform.MATRIX, lang="en")
    await bot.press("@eva:hs", "ob:language:en", platform=Platform.MATRIX)
    await bot.send("@eva:hs", "/organisation Laugungsinstitut", platform=Platform.MATRIX)
    await bot.send("@eva:hs", "/contact eva@laugung.example", platform=Platform.MATRIX)
    await bot.send("@eva:hs", "/news no", platform=Platform.MATRIX)
    claimed = await bot.send("@eva:hs", f"/start {code}", platform=Platform.MATRIX)
    assert "Welcome, Institut für Laugung Oberharz" in claimed.text
    assert "Organisation: Laugungsinstitut" in claimed.text  # theirs, named as differing
    joined = await bot.member("@eva:hs", Platform.MATRIX)
    assert joined is not None and joined.id == ids["tu2"]
    assert joined.organisation == "Institut für Laugung Oberharz"
    assert joined.contact == "eva@laugung.example"  # the directory had none
    assert not joined.news_subscribed  # their choice


async def test_link_between_two_chat_members_keeps_the_sign_up_of_the_one_that_joins(
    bot: Harness,
) -> None:
    """/link moves the typing account's member into the code's owner with the same move: a
    sign-up made from Matrix before is not erased with its member."""
    await bot.onboard("tg-9", org="Zwei Konten AG")
    await bot.send("tg-9", "/start", platform=Platform.TELEGRAM)
    await bot.send("@z:hs", "/start", platform=Platform.MATRIX, lang="de")
    matrix_member = await bot.member("@z:hs", Platform.MATRIX)
    assert matrix_member is not None
    event = await bot.add_event(
        starts_at=days_ahead(bot, 10).astimezone(UTC), kind="workshop", title="Werkstatt Zinn"
    )
    async with bot.db.session() as session:
        await signups.join(session, event_id=event.id, member_id=matrix_member.id)
    answer = await bot.send("tg-9", "/link", platform=Platform.TELEGRAM)
    code = re.findall(r"<code>([A-Z2-9]{8})</code>", "".join(r.text for r in answer.replies))[0]
    joined = await bot.send("@z:hs", f"/verbinden {code}", platform=Platform.MATRIX)
    assert "Verbunden" in joined.text
    owner = await bot.member("tg-9", Platform.TELEGRAM)
    assert owner is not None
    async with bot.db.session() as session:
        assert await signups.find(session, event_id=event.id, member_id=owner.id) is not None


async def test_two_sign_ups_for_one_event_become_one_and_give_a_place_back(
    bot_any: Harness,
) -> None:
    """Both accounts had signed up for the same workshop: joined, the member holds one
    place, and the other place is free again (on SQLite and PostgreSQL)."""
    bot = bot_any
    ids = await directory(bot)
    code = code_in((await bot.send("admin", f"/invite {ids['hk1']}")).text)
    first = code_in((await bot.send("admin", f"/invite {ids['tu2']}")).text)
    await bot.send("tg-31", f"/start {first}", platform=Platform.TELEGRAM, lang="de")
    # someone on Matrix who is already the Kobaltwerk's contact, and a stray member
    await bot.send("@k:hs", "/start", platform=Platform.MATRIX, lang="de")
    stray = await bot.member("@k:hs", Platform.MATRIX)
    assert stray is not None
    event = await bot.add_event(
        starts_at=days_ahead(bot, 12).astimezone(UTC),
        kind="workshop",
        title="Werkstatt Kobalt",
        capacity=2,
    )
    async with bot.db.session() as session:
        await signups.join(session, event_id=event.id, member_id=stray.id)
        await signups.join(session, event_id=event.id, member_id=ids["hk1"])
    claimed = await bot.send("@k:hs", f"/start {code}", platform=Platform.MATRIX)
    assert "Harzer Kobaltwerk GmbH" in claimed.text
    async with bot.db.session() as session:
        from storage.events import Event

        fresh = await session.get(Event, event.id, populate_existing=True)
        assert fresh is not None and fresh.taken == 1
        assert await signups.find(session, event_id=event.id, member_id=ids["hk1"]) is not None


async def test_on_telegram_the_start_link_of_the_bots_own_name_claims_the_entry(
    tmp_path: Path,
) -> None:
    """The real Telegram transport against the Bot API fake: the bot's name comes from
    getMe, the admin's /einladen gives its start link, and the person's first message,
    `/start CODE` as Telegram sends it for the link, joins them to the entry."""
    from tests.fakes.bot_api import FakeBotApi
    from tests.telegram_harness import ADMIN_ID, build_telegram_bot

    async with FakeBotApi() as fake:
        tg = await build_telegram_bot(fake, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        await tg.app.start()
        try:
            async with tg.app.services.db.session() as session:
                await import_directory(session, parse_directory(HEADER + ROWS))
                entry = await members.find_by_external_id(session, "hk1")
            assert entry is not None
            fake.private_message(ADMIN_ID, f"/einladen {entry.id}")
            invited = (await fake.wait_for("sendMessage", chat_id=ADMIN_ID))[0]
            code = code_in(invited.params["text"])
            assert f"https://t.me/rewimet_test_bot?start={code}" in invited.params["text"]
            fake.private_message(7070, f"/start {code}", language_code="de")
            greeted = (await fake.wait_for("sendMessage", chat_id=7070))[0]
            assert "Willkommen, Harzer Kobaltwerk GmbH" in greeted.params["text"]
            async with tg.app.services.db.session() as session:
                account = await members.find_account(session, platform="telegram", user_id="7070")
            assert account is not None and account.member_id == entry.id
        finally:
            await tg.stop()


async def test_on_matrix_bang_start_with_the_code_claims_the_entry(bot: Harness) -> None:
    ids = await directory(bot)
    invited = await bot.send("admin", f"/invite {ids['tu2']}")
    code = code_in(invited.text)
    assert f"!start {code}" in invited.text  # Element takes a leading "/" as its own
    claimed = await bot.send("@mx:hs", f"!start {code}", platform=Platform.MATRIX, lang="en")
    assert "Welcome, Institut für Laugung Oberharz" in claimed.text
