"""A young network's partner search: members imported from the directory fit a request but have
no chat account yet. The requester hears that (not "nobody fits"), the office sees who they
are and how to invite them; nobody without a chat is ever sent anything, and once one joins by
invitation the office forwards the request to them. An invented network of bell founders."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.messages import Platform
from handlers.members.directory_import import import_directory, parse_directory
from handlers.partners import chat as partner_chat
from handlers.partners import requests as partner_flow
from handlers.partners.directory import Candidate
from handlers.partners.ranking import PartnerRanker
from storage import members, partners, privacy
from storage.models import Account, Invitation
from storage.partners import PartnerIntroduction
from tests.browser import PHONE, AdminPage
from tests.harness import Harness, make_harness
from tests.partners_fixtures import buttons, office_request, outbox
from tests.test_faq import seed_kb
from tests.test_web_members import sign_in
from tests.web_harness import Dashboard, SignedIn, dashboard_for

BELLS = (
    "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
    'gl-1,"Glockenguss Apolda (fiktiv)",company,Apolda,Werkstatt,de,false,'
    '"Glockenguss;Bronzeguss","Gießt Kirchenglocken aus Bronze."\n'
    'gl-2,"Läutetechnik Sömmerda (fiktiv)",company,Sömmerda,Werkstatt,de,false,'
    '"Läutemaschinen;Klöppel","Baut und wartet Läutemaschinen und Klöppel für Kirchenglocken."\n'
    'gl-3,"Turmuhren Erfurt (fiktiv)",company,Erfurt,Werkstatt,de,false,'
    '"Turmuhren;Zifferblätter","Restauriert Turmuhren und Zifferblätter."\n'
)
# Only the bell foundry has connected a chat; the other two are directory entries only.
MACHINE = "Wir suchen jemanden, der unsere Läutemaschine wartet"  # fits gl-2 alone
BELLS_NEED = "Wer kennt sich mit Kirchenglocken aus?"  # fits gl-1 best, gl-2 close behind
CLOCK = "We are looking for someone to restore our tower clock"  # fits gl-3 alone


async def bell_founders(bot: Harness) -> dict[str, int]:
    """Import the directory; only gl-1 gets a chat account. Their member numbers by id."""
    async with bot.db.session() as session:
        await import_directory(session, parse_directory(BELLS))
    async with bot.db.session() as session:
        ids = {}
        for key in ("gl-1", "gl-2", "gl-3"):
            member = await members.find_by_external_id(session, key)
            assert member is not None
            ids[key] = member.id
        session.add(
            Account(member_id=ids["gl-1"], platform="console", user_id="gl-1", chat_id="chat-gl-1")
        )
    return ids


def code_in(text: str) -> str:
    found = re.search(r"\b([A-Z2-9]{10})\b", text)
    assert found is not None, text
    return found.group(1)


async def request_number(bot: Harness) -> int:
    async with bot.db.session() as session:
        return (await session.execute(select(partners.PartnerRequest.id))).scalars().one()


async def introductions(bot: Harness) -> list[int]:
    async with bot.db.session() as session:
        found = await session.execute(select(PartnerIntroduction.recipient_id))
        return list(found.scalars())


async def test_the_requester_hears_who_fits_is_not_in_the_chat_and_the_office_whom_to_invite(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")  # admins hear of it in a chat
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    preview = await bot.send("kuester", MACHINE)
    assert "Ein Mitglied passt dazu, ist aber noch nicht im Chat" in preview.text, preview.text
    assert "an die Clustergeschäftsstelle geben" in preview.text  # the configured office
    assert "niemand eindeutig" not in preview.text
    assert "Läutetechnik" not in preview.text  # who fits is not told before both agree
    sent = await bot.press("kuester", preview.buttons[0])
    assert "Ein Mitglied passt, ist aber noch nicht im Chat" in sent.text, sent.text
    assert "die Clustergeschäftsstelle leitet Ihre Anfrage weiter" in sent.text
    number = await request_number(bot)
    assert f"#{number}" in sent.text
    # nobody without a chat was sent anything or counts as asked
    assert await outbox(bot, "partner_request") == []
    assert await introductions(bot) == []
    async with bot.db.session() as session:
        request = await partners.get_request(session, number)
    assert request is not None and request.status == partners.OFFICE
    async with bot.db.session() as session:
        fits = await partners.waiting_fits(session, request_ids=[number])
    assert [member.id for member in fits[number]] == [ids["gl-2"]]
    # the office is told whom to invite, and how
    [alert] = await outbox(bot, "partner_office_alert")
    text = str(alert.payload["text"])
    assert "Läutetechnik Sömmerda (fiktiv)" in text and f"/einladen {ids['gl-2']}" in text, text
    assert "Einladung erstellen" in text and MACHINE in text
    assert "Turmuhren" not in text and "Glockenguss" not in text
    inbox = await bot.send("admin", "/partnereingang")
    assert f"/einladen {ids['gl-2']}" in inbox.text and "Läutetechnik" in inbox.text, inbox.text
    assert "angefragt: 0" in inbox.text
    # forwarding by hand is refused while the member has no chat
    refused = await bot.send("admin", f"/weiterleiten {number} {ids['gl-2']}")
    assert "erreichbar" in refused.text, refused.text
    assert await outbox(bot, "partner_request") == [] and await introductions(bot) == []
    # the office invites; the person claims the entry from Telegram
    invited = await bot.send("admin", f"/einladen {ids['gl-2']}")
    claimed = await bot.send(
        "tg-77", f"/start {code_in(invited.text)}", platform=Platform.TELEGRAM, lang="de"
    )
    assert "Läutetechnik Sömmerda (fiktiv)" in claimed.text
    inbox = await bot.send("admin", "/partnereingang")
    assert f"/weiterleiten {number} {ids['gl-2']}" in inbox.text, inbox.text
    assert f"/einladen {ids['gl-2']}" not in inbox.text
    asked = await bot.send("admin", f"/weiterleiten {number} {ids['gl-2']}")
    assert "Läutetechnik" in asked.text, asked.text
    forwarded = await bot.send("admin", "ja")
    assert "Läutetechnik" in forwarded.text and "unterwegs" in forwarded.text, forwarded.text
    [asked] = await outbox(bot, "partner_request")
    assert asked.member_id == ids["gl-2"] and "Läutemaschine" in str(asked.payload["text"])
    assert await introductions(bot) == [ids["gl-2"]]


async def test_an_english_requester_is_told_in_english(bot: Harness) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("sexton", lang="en", org="Parish of Ilmenau (fictional)")
    preview = await bot.send("sexton", CLOCK)
    assert "One member fits it but is not in the chat yet" in preview.text, preview.text
    assert "to the cluster office?" in preview.text
    sent = await bot.press("sexton", preview.buttons[0])
    assert "one member fits but is not in the chat yet" in sent.text, sent.text
    assert "the cluster office passes your request on" in sent.text
    assert await outbox(bot, "partner_request") == []
    [alert] = await outbox(bot, "partner_office_alert")
    assert f"/einladen {ids['gl-3']}" in str(alert.payload["text"])  # the admin reads German


async def test_members_in_the_chat_are_asked_as_before_and_the_others_never(bot: Harness) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    preview = await bot.send("kuester", BELLS_NEED)
    assert "Dazu passt ein Mitglied" in preview.text, preview.text
    assert "nicht im Chat" not in preview.text
    sent = await bot.press("kuester", preview.buttons[0])
    assert "ist an ein Mitglied gegangen" in sent.text, sent.text
    assert [m.member_id for m in await outbox(bot, "partner_request")] == [ids["gl-1"]]
    assert await introductions(bot) == [ids["gl-1"]]
    assert await outbox(bot, "partner_office_alert") == []
    number = await request_number(bot)
    async with bot.db.session() as session:
        request = await partners.get_request(session, number)
        fits = await partners.waiting_fits(session, request_ids=[number])
    assert request is not None and request.status == partners.OPEN and fits == {number: []}


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await sign_in(dash)
    yield client
    await client.close()


async def test_the_dashboard_names_whom_to_invite_then_forwards_to_them(
    dash: Dashboard, office: SignedIn
) -> None:
    bot = dash.bot
    ids = await bell_founders(bot)
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    preview = await bot.send("kuester", MACHINE)
    await bot.press("kuester", preview.buttons[0])
    number = await request_number(bot)
    status, html = await office.get("/partners")
    assert status == 200 and "1 Anfrage, zu der niemand passte" in html
    assert "Passt, war aber nicht im Chat" in html and "Läutetechnik Sömmerda" in html, html
    assert f'action="/members/{ids["gl-2"]}/invitation"' in html and "Einladung erstellen" in html
    assert 'name="csrf" value=""' not in html  # the button works from this page
    assert "Turmuhren" not in html
    _, html = await office.get("/partners?lang=en")
    assert "Fits, but was not in the chat" in html and "Create invitation" in html
    # the invitation made on the dashboard, claimed in a chat
    status, html = await office.post(f"/members/{ids['gl-2']}/invitation", {})
    assert status == 200
    await bot.send("tg-78", f"/start {code_in(html)}", platform=Platform.TELEGRAM, lang="de")
    _, html = await office.get("/partners")
    assert "Jetzt im Chat – Anfrage senden" in html, html
    status, html = await office.post(f"/partners/{number}/forward", {"member": str(ids["gl-2"])})
    assert status == 200 and "Ja, senden" in html
    status, _ = await office.post(
        f"/partners/{number}/forward", {"member": str(ids["gl-2"]), "confirm": "1"}
    )
    assert status == 303
    assert [m.member_id for m in await outbox(bot, "partner_request")] == [ids["gl-2"]]


# Crafts of the rest of the directory: a word most members use would weigh nothing.
OTHERS = (
    "Restauriert Orgelpfeifen.",
    "Vergoldet Altäre.",
    "Deckt Kirchendächer mit Schiefer.",
    "Malt Kirchenfenster.",
    "Baut Glockenstühle aus Eichenholz.",
    "Pflegt Friedhöfe.",
)


def _member(key: str, org: str, bio: str, **given: object) -> Candidate:
    member = Candidate(key, org, "company", "Apolda", "Werkstatt", ("de",), False, (), bio)
    return replace(member, **given)  # type: ignore[arg-type]


def test_the_ranking_names_unconnected_fits_by_the_same_rules() -> None:
    bio = "Baut und wartet Läutemaschinen für Kirchenglocken."
    directory = [
        _member("own", "Kirchgemeinde Arnstadt (fiktiv)", "Gemeinde"),
        _member("twin", "Kirchgemeinde Arnstadt (fiktiv)", bio, reachable=False),
        _member("new", "Läutetechnik Sömmerda (fiktiv)", bio, reachable=False),
        _member("no", "Läutewerk Gotha (fiktiv)", bio, reachable=False, consent=False),
        _member("busy", "Läutedienst Suhl (fiktiv)", bio, reachable=False, recent_requests=9),
        _member("clock", "Turmuhren Erfurt (fiktiv)", "Restauriert Turmuhren.", reachable=False),
        *(_member(f"o{n}", f"Kirchenhandwerk {n} (fiktiv)", work) for n, work in enumerate(OTHERS)),
    ]
    ranker = PartnerRanker(directory)
    assert ranker.rank(MACHINE, "de", requester_id="own") == []
    found = ranker.unconnected_fits(MACHINE, "de", requester_id="own", k=5)
    # never the requester's organisation, nobody without consent or asked too often lately
    assert [match.member_id for match in found] == ["new"]
    # with a member in the chat who fits, nobody is named: the request reaches that one
    reachable = PartnerRanker([*directory, _member("chat", "Läuteprofis Jena (fiktiv)", bio)])
    assert [m.member_id for m in reachable.rank(MACHINE, "de", requester_id="own")] == ["chat"]
    assert reachable.unconnected_fits(MACHINE, "de", requester_id="own", k=5) == []


async def test_who_fitted_is_the_fitting_members_data_not_the_requesters(bot: Harness) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    preview = await bot.send("kuester", MACHINE)
    await bot.press("kuester", preview.buttons[0])
    number = await request_number(bot)
    requester = await bot.member("kuester")
    assert requester is not None
    async with bot.db.session() as session:
        own = await privacy.export_member(session, member_id=requester.id)
        theirs = await privacy.export_member(session, member_id=ids["gl-2"])
    assert "partner_waiting_fits" not in own  # the requester does not learn who fits
    [request] = own["partner_requests"]  # type: ignore[misc]
    assert request["id"] == number and ids["gl-2"] not in request.values()
    assert theirs["partner_waiting_fits"] == [
        {"request_id": number, "member_id": ids["gl-2"], "rank": 0}
    ]
    async with bot.db.session() as session:
        await privacy.erase_member(session, member_id=ids["gl-2"])
    async with bot.db.session() as session:
        assert await partners.waiting_fits(session, request_ids=[number]) == {number: []}


async def test_another_network_s_office_is_named_as_configured(tmp_path: Path) -> None:
    office = {"de": "Geschäftsstelle des Glockenkreises", "en": "Glockenkreis office"}
    network = {"name": "Glockenkreis Thüringen (fiktiv)", "short_name": "Glockenkreis"}
    bot = await make_harness(
        f"sqlite+aiosqlite:///{tmp_path / 'glocken.db'}", network={**network, "office": office}
    )
    try:
        await bell_founders(bot)
        await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
        preview = await bot.send("kuester", MACHINE)
        assert "an die Geschäftsstelle des Glockenkreises geben" in preview.text, preview.text
        sent = await bot.press("kuester", preview.buttons[0])
        assert "bei der Geschäftsstelle des Glockenkreises" in sent.text, sent.text
        assert "Cluster" not in preview.text + sent.text
    finally:
        await bot.app.stop()


# -- the office hears when a member who fits joins; several needs; the FAQ's offer; left ----

# A bell and a tower clock in one request: the bell foundry (in the chat) fits the first,
# the tower-clock workshop (no chat yet) the second.
BELL_AND_CLOCK = (
    "Wir suchen eine Glockengießerei für neue Kirchenglocken und jemanden, "
    "der unsere Turmuhr restauriert"
)
# Not worded as a search: the FAQ hands it to the office and offers partner search beside it.
MACHINE_QUESTION = "Unsere Läutemaschine muss dringend gewartet werden, wer kann das?"


async def joins_by_invitation(bot: Harness, member: int, user: str, lang: str = "de") -> None:
    """The office invites `member`; `user` claims the entry from Telegram."""
    invited = await bot.send("admin", f"/einladen {member}")
    await bot.send(user, f"/start {code_in(invited.text)}", platform=Platform.TELEGRAM, lang=lang)


async def test_the_office_hears_when_a_member_who_fits_joins_and_sends_with_a_press(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    await bot.onboard("pfarrer", lang="en", org="Parish of Ilmenau (fictional)")
    for user, need in (("kuester", MACHINE), ("pfarrer", CLOCK)):
        preview = await bot.send(user, need)
        await bot.press(user, preview.buttons[0])
    async with bot.db.session() as session:
        numbers = list(
            (await session.execute(select(partners.PartnerRequest.id).order_by("id"))).scalars()
        )
    machine, clock = numbers
    before = len(await outbox(bot, "partner_office_alert"))
    await joins_by_invitation(bot, ids["gl-2"], "tg-81")
    alerts = await outbox(bot, "partner_office_alert")
    [joined] = alerts[before:]  # one alert, for the request gl-2 fits, not the tower clock's
    text = str(joined.payload["text"])
    assert "Läutetechnik Sömmerda (fiktiv)" in text and "jetzt im Chat" in text, text
    assert f"#{machine}" in text and "Kirchgemeinde Arnstadt" in text and "Läutemaschine" in text
    assert f"/weiterleiten {machine} {ids['gl-2']}" in text
    assert f"#{clock}" not in text
    [press] = buttons(joined)
    assert press == f"pw:{machine}:{ids['gl-2']}"
    sent = await bot.press("admin", press)
    assert "Läutetechnik" in sent.text and f"#{machine}" in sent.text, sent.text
    [asked] = await outbox(bot, "partner_request")
    assert asked.member_id == ids["gl-2"] and "Läutemaschine" in str(asked.payload["text"])
    again = await bot.press("admin", press)  # the old alert's button pressed once more
    assert "hat diese Anfrage schon" in again.text, again.text
    assert len(await outbox(bot, "partner_request")) == 1


async def test_the_joined_alert_in_english_and_none_for_a_closed_request(bot: Harness) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.send("admin", "/language en")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    await bot.onboard("sexton", lang="en", org="Parish of Ilmenau (fictional)")
    for user, need in (("kuester", MACHINE), ("sexton", CLOCK)):
        preview = await bot.send(user, need)
        await bot.press(user, preview.buttons[0])
    async with bot.db.session() as session:
        clock = max((await session.execute(select(partners.PartnerRequest.id))).scalars())
    before = len(await outbox(bot, "partner_office_alert"))
    await joins_by_invitation(bot, ids["gl-3"], "tg-82", lang="en")
    [joined] = (await outbox(bot, "partner_office_alert"))[before:]
    text = str(joined.payload["text"])
    assert "Turmuhren Erfurt (fiktiv)" in text and "in the chat now" in text, text
    assert f"/forward_request {clock} {ids['gl-3']}" in text
    assert buttons(joined) == [f"pw:{clock}:{ids['gl-3']}"]
    # the bell-machine request is closed by its requester: nobody hears when gl-2 joins
    machine = clock - 1
    await bot.press("kuester", f"pr:closeyes:{machine}")
    before = len(await outbox(bot, "partner_office_alert"))
    await joins_by_invitation(bot, ids["gl-2"], "tg-83")
    assert (await outbox(bot, "partner_office_alert"))[before:] == []


async def test_a_need_of_several_only_members_without_a_chat_fit_goes_to_the_office_with_them(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    preview = await bot.send("kuester", BELL_AND_CLOCK)
    assert "Turmuhr" in preview.text and "noch nicht im Chat" in preview.text, preview.text
    assert "passt niemand im Netzwerk" not in preview.text
    assert "Turmuhren Erfurt" not in preview.text  # who fits is not told
    sent = await bot.press("kuester", preview.button("Rest an"))
    assert "ist an ein Mitglied gegangen" in sent.text, sent.text
    assert "noch nicht im Chat" in sent.text
    [asked] = await outbox(bot, "partner_request")
    assert asked.member_id == ids["gl-1"]
    async with bot.db.session() as session:
        rest = max((await session.execute(select(partners.PartnerRequest.id))).scalars())
        fits = await partners.waiting_fits(session, request_ids=[rest])
    assert [member.id for member in fits[rest]] == [ids["gl-3"]]
    [alert] = await outbox(bot, "partner_office_alert")
    text = str(alert.payload["text"])
    assert f"#{rest}" in text and f"/einladen {ids['gl-3']}" in text and "Turmuhr" in text, text
    inbox = await bot.send("admin", "/partnereingang")
    assert f"/einladen {ids['gl-3']}" in inbox.text, inbox.text


async def test_a_need_of_several_in_english(bot: Harness) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("sexton", lang="en", org="Parish of Ilmenau (fictional)")
    need = (
        "We are looking for a foundry to cast new church bells "
        "and someone to restore our tower clock"
    )
    preview = await bot.send("sexton", need)
    assert "not in the chat yet" in preview.text, preview.text
    sent = await bot.press("sexton", preview.button("rest to"))
    assert "not in the chat yet" in sent.text, sent.text
    [alert] = await outbox(bot, "partner_office_alert")
    assert f"/einladen {ids['gl-3']}" in str(alert.payload["text"])


async def test_the_faqs_offer_when_only_members_without_a_chat_fit(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # these must reach the FAQ, whatever partner search's own free-text rule decides
    monkeypatch.setattr(partner_chat, "is_partner_search", lambda _text: False)
    monkeypatch.setattr(partner_chat, "is_call_on_members", lambda _text: False)
    await seed_kb(bot)
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    asked = await bot.send("kuester", MACHINE_QUESTION)
    preview = await bot.press("kuester", asked.button("Passende Mitglieder suchen"))
    assert "Ein Mitglied passt dazu, ist aber noch nicht im Chat" in preview.text, preview.text
    sent = await bot.press("kuester", preview.buttons[0])
    assert "noch nicht im Chat" in sent.text, sent.text
    number = await request_number(bot)
    assert await outbox(bot, "partner_request") == []
    async with bot.db.session() as session:
        fits = await partners.waiting_fits(session, request_ids=[number])
    assert [member.id for member in fits[number]] == [ids["gl-2"]]
    invite = [a for a in await outbox(bot, "partner_office_alert") if "/einladen" in str(a.payload)]
    assert len(invite) == 1 and f"/einladen {ids['gl-2']}" in str(invite[0].payload["text"])
    # in English: the tower-clock workshop is not in the chat either
    await bot.onboard("sexton", lang="en", org="Parish of Ilmenau (fictional)")
    asked = await bot.send(
        "sexton", "Our tower clock has stopped and we need it restored.", lang="en"
    )
    preview = await bot.press("sexton", asked.button("Find members who can help"))
    assert "One member fits it but is not in the chat yet" in preview.text, preview.text
    sent = await bot.press("sexton", preview.buttons[0])
    assert "one member fits but is not in the chat yet" in sent.text, sent.text


async def left_the_chat(bot: Harness, member: int) -> None:
    """The member's chat account is marked as the delivery worker marks a blocked one."""
    async with bot.db.session() as session:
        for account in (
            await session.execute(select(Account).where(Account.member_id == member))
        ).scalars():
            account.unreachable = True
            account.unreachable_reason = "Forbidden: bot was blocked by the user"


async def test_a_member_who_blocked_the_bot_is_named_unreachable_not_to_be_invited(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    await joins_by_invitation(bot, ids["gl-2"], "tg-84")
    await left_the_chat(bot, ids["gl-2"])
    preview = await bot.send("kuester", MACHINE)
    await bot.press("kuester", preview.buttons[0])
    number = await request_number(bot)
    [alert] = await outbox(bot, "partner_office_alert")
    text = str(alert.payload["text"])
    assert "Läutetechnik" in text and "nicht mehr erreichbar" in text, text
    assert f"/einladen {ids['gl-2']}" not in text
    inbox = await bot.send("admin", "/partnereingang")
    assert "Läutetechnik" in inbox.text and "nicht mehr erreichbar" in inbox.text, inbox.text
    assert f"/einladen {ids['gl-2']}" not in inbox.text
    assert f"/weiterleiten {number} {ids['gl-2']}" not in inbox.text
    await bot.send("admin", "/language en")
    inbox = await bot.send("admin", "/partner_inbox")
    assert "unreachable now" in inbox.text and "/invite" not in inbox.text, inbox.text


async def test_the_dashboard_names_a_member_who_left_unreachable(
    dash: Dashboard, office: SignedIn
) -> None:
    bot = dash.bot
    ids = await bell_founders(bot)
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    async with bot.db.session() as session:
        session.add(Account(member_id=ids["gl-2"], platform="telegram", user_id="85", chat_id="85"))
    await left_the_chat(bot, ids["gl-2"])
    preview = await bot.send("kuester", MACHINE)
    await bot.press("kuester", preview.buttons[0])
    status, html = await office.get("/partners")
    assert status == 200 and "Läutetechnik Sömmerda" in html
    assert "nicht mehr erreichbar" in html, html
    assert "noch nicht im Chat" not in html
    assert f'action="/members/{ids["gl-2"]}/invitation"' not in html
    assert "Jetzt im Chat" not in html
    _, html = await office.get("/partners?lang=en")
    assert "unreachable now" in html and "Create invitation" not in html


async def test_on_a_phone_each_fit_reads_what_the_office_can_do(admin_page: AdminPage) -> None:
    """In a real browser at 390 px: the member who joined has the send button, the one who
    left reads unreachable (no button), the one never in the chat the invitation."""
    dashboard, page = admin_page.dashboard, admin_page.page
    bot = dashboard.bot
    ids = await bell_founders(bot)
    # gl-2 joined (Telegram) then blocked the bot; gl-3 never joined; gl-1 is in the chat
    async with bot.db.session() as session:
        session.add(Account(member_id=ids["gl-2"], platform="telegram", user_id="86", chat_id="86"))
    await left_the_chat(bot, ids["gl-2"])
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    requester = await bot.member("kuester")
    assert requester is not None
    number = await office_request(dashboard, requester.id, MACHINE)
    async with bot.db.session() as session:
        await partners.add_waiting_fits(
            session, request_id=number, member_ids=[ids["gl-1"], ids["gl-2"], ids["gl-3"]]
        )
    await page.set_viewport_size(PHONE)
    await admin_page.goto("/partners")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    fits = page.locator("ul.fits > li")
    assert await fits.count() == 3
    joined, left, never = [await fits.nth(n).inner_text() for n in range(3)]
    assert "Glockenguss Apolda" in joined and "Jetzt im Chat – Anfrage senden" in joined
    assert "Läutetechnik" in left and "nicht mehr erreichbar" in left, left
    assert "Einladung" not in left and "Anfrage senden" not in left
    assert "Turmuhren" in never and "noch nicht im Chat" in never and "Einladung" in never


# -- a fitting member who blocked the bot; back in the chat; an invitation for who is in it ----


async def test_the_requester_is_not_told_a_member_who_blocked_the_bot_is_not_in_the_chat_yet(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    await joins_by_invitation(bot, ids["gl-2"], "tg-87")
    await left_the_chat(bot, ids["gl-2"])
    preview = await bot.send("kuester", MACHINE)
    assert "Ein Mitglied passt dazu, ist aber über den Chat zurzeit nicht erreichbar" in (
        preview.text
    ), preview.text
    assert "noch nicht im Chat" not in preview.text and "einladen" not in preview.text
    assert "Läutetechnik" not in preview.text and "blockiert" not in preview.text
    sent = await bot.press("kuester", preview.buttons[0])
    assert "über den Chat zurzeit nicht erreichbar" in sent.text, sent.text
    assert "noch nicht im Chat" not in sent.text and "Läutetechnik" not in sent.text
    # the office still reads who it is, named unreachable
    [alert] = await outbox(bot, "partner_office_alert")
    assert "nicht mehr erreichbar" in str(alert.payload["text"])


async def test_with_one_never_in_the_chat_beside_the_one_who_left_and_in_english(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    # the bell foundry (gl-1) blocked the bot; the machine workshop (gl-2) never joined
    await left_the_chat(bot, ids["gl-1"])
    preview = await bot.send("kuester", BELLS_NEED)
    assert "2 Mitglieder passen dazu, sind aber über den Chat zurzeit nicht erreichbar" in (
        preview.text
    ), preview.text
    assert "noch nicht im Chat" not in preview.text
    sent = await bot.press("kuester", preview.buttons[0])
    assert "2 Mitglieder passen, sind aber über den Chat zurzeit nicht erreichbar" in sent.text
    number = await request_number(bot)
    async with bot.db.session() as session:
        fits = await partners.waiting_fits(session, request_ids=[number])
    assert sorted(member.id for member in fits[number]) == [ids["gl-1"], ids["gl-2"]]
    # in English: the tower-clock workshop joined on Telegram, then blocked the bot
    await bot.onboard("sexton", lang="en", org="Parish of Ilmenau (fictional)")
    async with bot.db.session() as session:
        session.add(Account(member_id=ids["gl-3"], platform="telegram", user_id="89", chat_id="89"))
    await left_the_chat(bot, ids["gl-3"])
    preview = await bot.send("sexton", CLOCK)
    assert "One member fits it but cannot be reached through the chat at the moment" in (
        preview.text
    ), preview.text
    assert "not in the chat yet" not in preview.text and "invite" not in preview.text
    sent = await bot.press("sexton", preview.buttons[0])
    assert "one member fits but cannot be reached through the chat at the moment" in sent.text
    assert "Turmuhren" not in preview.text + sent.text


async def test_a_need_of_several_whose_rest_fits_a_member_who_blocked_the_bot(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    async with bot.db.session() as session:
        session.add(Account(member_id=ids["gl-3"], platform="telegram", user_id="88", chat_id="88"))
    await left_the_chat(bot, ids["gl-3"])
    preview = await bot.send("kuester", BELL_AND_CLOCK)
    assert "der Bot zurzeit nicht erreicht" in preview.text, preview.text
    assert "über den Chat zurzeit nicht erreichbar" in preview.text
    assert "noch nicht" not in preview.text and "Turmuhren" not in preview.text
    sent = await bot.press("kuester", preview.button("Rest an"))
    assert "ist an ein Mitglied gegangen" in sent.text, sent.text
    assert "über den Chat zurzeit nicht erreichbar" in sent.text
    assert "noch nicht im Chat" not in sent.text


async def test_the_office_hears_once_when_a_member_who_blocked_the_bot_writes_again(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.onboard("kuester", org="Kirchgemeinde Arnstadt (fiktiv)")
    await joins_by_invitation(bot, ids["gl-2"], "tg-90")
    await left_the_chat(bot, ids["gl-2"])
    preview = await bot.send("kuester", MACHINE)
    await bot.press("kuester", preview.buttons[0])
    number = await request_number(bot)
    before = len(await outbox(bot, "partner_office_alert"))
    # the workshop unblocks the bot and writes
    await bot.send("tg-90", "Hallo, da sind wir wieder", platform=Platform.TELEGRAM, lang="de")
    [back] = (await outbox(bot, "partner_office_alert"))[before:]
    text = str(back.payload["text"])
    assert "Läutetechnik Sömmerda (fiktiv)" in text and "wieder erreichbar" in text, text
    assert "Einladung angenommen" not in text
    assert f"#{number}" in text and f"/weiterleiten {number} {ids['gl-2']}" in text
    assert buttons(back) == [f"pw:{number}:{ids['gl-2']}"]
    # the next message is no return: no second alert
    await bot.send("tg-90", "/profil", platform=Platform.TELEGRAM, lang="de")
    assert len(await outbox(bot, "partner_office_alert")) == before + 1
    inbox = await bot.send("admin", "/partnereingang")
    assert f"/weiterleiten {number} {ids['gl-2']}" in inbox.text, inbox.text
    sent = await bot.press("admin", buttons(back)[0])
    assert "Läutetechnik" in sent.text, sent.text
    [asked] = await outbox(bot, "partner_request")
    assert asked.member_id == ids["gl-2"]


async def test_the_return_in_english_and_none_for_a_member_another_account_reached(
    bot: Harness,
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await bot.send("admin", "/language en")
    await bot.onboard("sexton", lang="en", org="Parish of Ilmenau (fictional)")
    async with bot.db.session() as session:
        session.add(Account(member_id=ids["gl-3"], platform="telegram", user_id="tg-91"))
    await left_the_chat(bot, ids["gl-3"])
    preview = await bot.send("sexton", CLOCK)
    await bot.press("sexton", preview.buttons[0])
    number = await request_number(bot)
    before = len(await outbox(bot, "partner_office_alert"))
    await bot.send("tg-91", "hello again", platform=Platform.TELEGRAM, lang="en")
    [back] = (await outbox(bot, "partner_office_alert"))[before:]
    text = str(back.payload["text"])
    assert "Turmuhren Erfurt (fiktiv)" in text and "can be reached again" in text, text
    assert f"/forward_request {number} {ids['gl-3']}" in text
    # the bell foundry blocked the bot on Telegram but stayed reachable on the console:
    # writing on Telegram again is no return, nobody is alerted
    async with bot.db.session() as session:
        session.add(
            Account(
                member_id=ids["gl-1"],
                platform="telegram",
                user_id="tg-92",
                chat_id="chat-tg-92",
                unreachable=True,
            )
        )
        await partners.add_waiting_fits(session, request_id=number, member_ids=[ids["gl-1"]])
    before = len(await outbox(bot, "partner_office_alert"))
    await bot.send("tg-92", "hallo", platform=Platform.TELEGRAM, lang="de")
    assert len(await outbox(bot, "partner_office_alert")) == before


async def test_no_invitation_for_a_member_in_the_chat_or_one_who_left_it(bot: Harness) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    # the bell foundry is in the chat (console)
    refused = await bot.send("admin", f"/einladen {ids['gl-1']}")
    assert "Glockenguss Apolda (fiktiv)" in refused.text and "schon im Chat" in refused.text
    assert "Konsole" in refused.text and "/verbinden" in refused.text, refused.text
    # the machine workshop joined by invitation on Telegram, then blocked the bot
    await joins_by_invitation(bot, ids["gl-2"], "tg-93")
    await left_the_chat(bot, ids["gl-2"])
    refused = await bot.send("admin", f"/einladen {ids['gl-2']}")
    assert "Läutetechnik Sömmerda (fiktiv)" in refused.text, refused.text
    assert "war schon im Chat (Telegram)" in refused.text
    assert "nicht mehr erreichbar" in refused.text
    async with bot.db.session() as session:
        assert (await session.execute(select(Invitation))).scalars().all() == []
    # in English; the tower-clock workshop, never in the chat, still gets one
    await bot.send("admin", "/language en")
    refused = await bot.send("admin", f"/invite {ids['gl-1']}")
    assert "is in the chat already (Console)" in refused.text and "/link" in refused.text
    refused = await bot.send("admin", f"/invite {ids['gl-2']}")
    assert "cannot be reached there now" in refused.text, refused.text
    invited = await bot.send("admin", f"/invite {ids['gl-3']}")
    assert "Turmuhren Erfurt (fiktiv)" in invited.text and code_in(invited.text)


async def test_the_dashboard_makes_no_invitation_for_a_member_in_the_chat_or_who_left(
    dash: Dashboard, office: SignedIn
) -> None:
    bot = dash.bot
    ids = await bell_founders(bot)
    async with bot.db.session() as session:
        session.add(Account(member_id=ids["gl-2"], platform="telegram", user_id="94", chat_id="94"))
    await left_the_chat(bot, ids["gl-2"])
    _, html = await office.get(f"/members/{ids['gl-1']}")
    assert "schon mit Konsole verbunden und im Chat" in html, html
    assert f'action="/members/{ids["gl-1"]}/invitation"' not in html
    _, html = await office.get(f"/members/{ids['gl-2']}?lang=en")
    assert "was in the chat on Telegram already" in html and "cannot be reached" in html, html
    assert "Create invitation" not in html
    # a form sent anyway (a page open since before they joined) is refused, saying why
    status, html = await office.post(f"/members/{ids['gl-1']}/invitation", {})
    assert status == 409 and "ist schon im Chat (Konsole)" in html, html
    status, html = await office.post(f"/members/{ids['gl-2']}/invitation?lang=en", {})
    assert status == 409 and "was in the chat already (Telegram)" in html, html
    async with bot.db.session() as session:
        assert (await session.execute(select(Invitation))).scalars().all() == []
    # the one never in the chat gets theirs as before
    _, html = await office.get(f"/members/{ids['gl-3']}")
    assert "Einladung erstellen" in html
    status, html = await office.post(f"/members/{ids['gl-3']}/invitation", {})
    assert status == 200 and code_in(html)


async def test_a_failing_alert_does_not_stop_the_message_of_a_member_who_is_back(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ids = await bell_founders(bot)
    await bot.onboard("admin", org="Geschäftsstelle (fiktiv)")
    await joins_by_invitation(bot, ids["gl-2"], "tg-95")
    await left_the_chat(bot, ids["gl-2"])

    async def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("alert broke")

    monkeypatch.setattr(partner_flow, "tell_office_joined", broken)
    answered = await bot.send("tg-95", "/profil", platform=Platform.TELEGRAM, lang="de")
    assert "Läutetechnik Sömmerda (fiktiv)" in answered.text, answered.text
    assert "back in the chat failed" in caplog.text
    async with bot.db.session() as session:
        accounts = (
            await session.execute(select(Account).where(Account.member_id == ids["gl-2"]))
        ).scalars()
        assert [account.unreachable for account in accounts] == [False]
