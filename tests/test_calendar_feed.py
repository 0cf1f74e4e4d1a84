"""The members' calendar feed: /kalender (/calendar) gives a private link, the feed follows
joins, leaves, the waitlist, offers, edits and cancellations, answers 304, and ends with
/kalender neu and /forget; on SQLite and PostgreSQL, in German and English."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import icalendar
import pytest
from multidict import CIMultiDict
from sqlalchemy import select, update

from bot.app import build_router
from bot.transports.telegram_menu import menu
from handlers.events import feed, service
from handlers.events.form import draft_from_form
from storage.calendar_feeds import CalendarFeed
from storage.models import Member
from tests.dates import days_ahead, typed
from tests.harness import Harness
from tests.test_housekeeping import check_every_start
from tests.web_harness import Dashboard, dashboard_for

FEED_COMMAND = {"de": "/kalender", "en": "/calendar"}
RENEW = {"de": "/kalender neu", "en": "/calendar new"}
ALL = {"de": "/kalender alle", "en": "/calendar all"}


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        yield found


async def make_event(
    dash: Dashboard, title: str, days: int, *, places: int | None = None, extra: str = ""
) -> int:
    """An event `days` ahead, created as the chat's /newevent would (not announced)."""
    start = days_ahead(dash.bot, days)
    form = (
        f"art=exkursion; titel={title}; beginn={typed(start)}; "
        f"ende={typed(start + timedelta(hours=3))}; ort=Rammelsberg, Goslar; "
        f"plätze={places if places is not None else '-'}; ankündigung=nein{extra}"
    )
    services = dash.bot.app.services
    draft = draft_from_form(form, tz=services.settings.network.tz)
    return (await service.create_event(services, draft, created_by=None)).event.id


async def member(bot: Harness, user: str) -> Member:
    found = await bot.member(user)
    assert found is not None
    return found


def feed_path(dash: Dashboard, text: str) -> str:
    """The https link from the bot's answer, as a path on the test server."""
    found = re.search(r"https?://\S+?/feed/([A-Za-z0-9_-]+)\.ics", text)
    assert found is not None, text
    # `[web] port = 0` and no public_url: the links name the configured port, 0.
    assert f"webcal://127.0.0.1:0/feed/{found.group(1)}.ics" in text
    return f"/feed/{found.group(1)}.ics"


async def fetch(
    dash: Dashboard, path: str, etag: str | None = None
) -> tuple[int, bytes, CIMultiDict[str]]:
    headers = {"If-None-Match": etag} if etag else {}
    async with (
        aiohttp.ClientSession() as client,
        client.get(dash.url + path, headers=headers) as response,
    ):
        return response.status, await response.read(), response.headers.copy()


async def events_in(dash: Dashboard, path: str) -> dict[str, Any]:
    """The feed's VEVENTs by SUMMARY's title part (after a marker), parsed with icalendar."""
    status, body, headers = await fetch(dash, path)
    assert status == 200, body
    assert headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(body)
    return {str(c["SUMMARY"]).split(": ", 1)[-1]: c for c in calendar.walk("VEVENT")}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_feed_follows_sign_ups_offers_edits_and_cancellations(
    dash: Dashboard, lang: str
) -> None:
    bot, services = dash.bot, dash.bot.app.services
    await bot.onboard("anna", lang=lang)
    await bot.onboard("bert", lang=lang)
    answer = (await bot.send("anna", FEED_COMMAND[lang])).text
    assert ("Ihr Kalender-Abo" if lang == "de" else "Your calendar subscription") in answer
    anna_feed = feed_path(dash, answer)
    bert_feed = feed_path(dash, (await bot.send("bert", FEED_COMMAND[lang])).text)
    assert await events_in(dash, anna_feed) == {}  # valid, and empty
    # still one component, the network's zone: an empty VCALENDAR breaks RFC 5545
    _status, body, _headers = await fetch(dash, anna_feed)
    (zone,) = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    assert str(zone["TZID"]) == services.settings.network.tz.key

    goslar = await make_event(dash, "Exkursion Goslar", 60, places=1, extra="; angebot=24")
    forum = await make_event(dash, "Innovationsforum", 90)
    await bot.send("anna", f"/join {goslar}")
    await bot.send("bert", f"/join {goslar}")
    await bot.send("bert", f"/join {forum}")
    mine = await events_in(dash, anna_feed)
    assert list(mine) == ["Exkursion Goslar"]  # the forum is bert's, not hers
    assert str(mine["Exkursion Goslar"]["STATUS"]) == "CONFIRMED"
    assert str(mine["Exkursion Goslar"]["UID"]) == f"event-{goslar}@events.rewimet-bot"
    theirs = await events_in(dash, bert_feed)
    waiting = theirs["Exkursion Goslar"]
    assert str(waiting["STATUS"]) == "TENTATIVE"
    marker = "Warteliste (1.)" if lang == "de" else "Waitlist (no. 1)"
    assert str(waiting["SUMMARY"]).startswith(marker)
    assert str(theirs["Innovationsforum"]["STATUS"]) == "CONFIRMED"

    # Anna leaves: her feed drops the event, bert is offered her place with a deadline.
    left = services.clock()  # the deadline runs from here (a loaded machine may cross a minute)
    await bot.send("anna", f"/leave {goslar}")
    assert await events_in(dash, anna_feed) == {}
    offered = (await events_in(dash, bert_feed))["Exkursion Goslar"]
    assert str(offered["STATUS"]) == "TENTATIVE"
    assert str(offered["SUMMARY"]).startswith("Platz angeboten" if lang == "de" else "Place")
    tz = services.settings.network.tz
    shown = {
        f"{(at + timedelta(hours=24)).astimezone(tz):%H:%M}" for at in (left, services.clock())
    }
    assert any(time in str(offered["DESCRIPTION"]) for time in shown), offered["DESCRIPTION"]
    await bot.send("bert", f"/join {goslar}")  # takes the offer
    assert str((await events_in(dash, bert_feed))["Exkursion Goslar"]["STATUS"]) == "CONFIRMED"

    # An edit moves place and time, and SEQUENCE goes up.
    before = (await events_in(dash, bert_feed))["Exkursion Goslar"]
    later = days_ahead(bot, 61, hour=11)
    await service.edit_event(
        services,
        goslar,
        f"ort=Clausthal; beginn={typed(later)}; ende={typed(later + timedelta(hours=2))}",
    )
    moved = (await events_in(dash, bert_feed))["Exkursion Goslar"]
    assert str(moved["LOCATION"]) == "Clausthal"
    assert moved["DTSTART"].dt == later
    assert int(moved["SEQUENCE"]) > int(before["SEQUENCE"])
    assert moved["UID"] == before["UID"]

    # A cancellation stays in the feed as cancelled.
    await service.cancel_event(services, forum)
    cancelled = (await events_in(dash, bert_feed))["Innovationsforum"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Abgesagt" if lang == "de" else "Cancelled")


async def test_conditional_requests_renewal_and_forget(dash: Dashboard) -> None:
    bot = dash.bot
    await bot.onboard("carl")
    path = feed_path(dash, (await bot.send("carl", "/kalender")).text)
    second = feed_path(dash, (await bot.send("carl", "/kalender")).text)
    assert second != path  # a new link each time; the earlier one keeps working
    status, body, headers = await fetch(dash, path)
    assert status == 200 and (await fetch(dash, second))[0] == 200
    etag = headers["ETag"]
    assert headers["Cache-Control"] == "private, max-age=300"
    status, body, headers = await fetch(dash, path, etag)
    assert status == 304 and body == b"" and headers["ETag"] == etag
    # A change in what the feed shows changes its ETag.
    number = await make_event(dash, "Symposium", 30)
    await bot.send("carl", f"/join {number}")
    status, body, headers = await fetch(dash, path, etag)
    assert status == 200 and b"Symposium" in body and headers["ETag"] != etag

    # Renewing: every earlier link answers 404, as an unknown one does.
    renewed = await bot.send("carl", "/kalender neu")
    assert "Die bisherigen Links funktionieren nicht mehr" in renewed.text
    fresh = feed_path(dash, renewed.text)
    unknown = await fetch(dash, "/feed/" + "x" * 43 + ".ics")
    for old in (path, second):
        gone = await fetch(dash, old)
        assert gone[0] == 404 and gone[1] == unknown[1]
    assert (await fetch(dash, fresh))[0] == 200

    # /forget ends the feed with the member.
    carl = await member(bot, "carl")
    forget = await bot.send("carl", "/forget")
    await bot.press("carl", forget.button("löschen"))
    assert (await fetch(dash, fresh))[0] == 404
    async with bot.db.session() as session:
        left = await session.execute(select(CalendarFeed).where(CalendarFeed.member_id == carl.id))
        assert left.first() is None


async def test_only_hashes_are_stored_nothing_logs_the_token_and_malformed_tokens_404(
    dash: Dashboard, caplog: pytest.LogCaptureFixture
) -> None:
    await dash.bot.onboard("dora")
    path = feed_path(dash, (await dash.bot.send("dora", "/kalender")).text)
    with caplog.at_level(logging.DEBUG):
        assert (await fetch(dash, path))[0] == 200
        assert (await fetch(dash, path[:-8] + "abcdefgh.ics"))[0] == 404
    assert path[6:-4] not in caplog.text and "abcdefgh" not in caplog.text
    token = path.removeprefix("/feed/").removesuffix(".ics")
    assert len(token) >= 43
    async with dash.bot.db.session() as session:
        hashes = list((await session.execute(select(CalendarFeed.token_hash))).scalars())
    assert hashes and token not in hashes
    for bad in ("/feed/abc.ics", "/feed/" + token + "x.ics", "/feed/" + token):
        assert (await fetch(dash, bad))[0] == 404


async def test_the_vtimezone_holds_for_every_date_in_the_feed(dash: Dashboard) -> None:
    bot = dash.bot
    await bot.onboard("emil")
    path = feed_path(dash, (await bot.send("emil", "/kalender")).text)
    numbers = [await make_event(dash, f"Treffen {days}", days) for days in (20, 130, 250, 500)]
    for number in numbers:
        await bot.send("emil", f"/join {number}")
    status, body, _headers = await fetch(dash, path)
    assert status == 200
    starts = [days_ahead(bot, days).astimezone(UTC) for days in (20, 130, 250, 500)]
    zone = check_every_start(body, "Europe/Berlin", starts)
    from_file = zone.to_tz(lookup_tzid=False)
    calendar = icalendar.Calendar.from_ical(body)
    for component, start in zip(calendar.walk("VEVENT"), starts, strict=True):
        written = component.decoded("DTEND")
        assert isinstance(written, datetime)
        end = written.replace(tzinfo=None).replace(tzinfo=from_file)  # read with the VTIMEZONE
        assert end.astimezone(UTC) == start + timedelta(hours=3)


async def test_all_events_mode_shows_young_professionals_events_only_to_them(
    dash: Dashboard,
) -> None:
    bot = dash.bot
    await bot.onboard("fine")
    await bot.onboard("gero")
    async with bot.db.session() as session:
        gero = await member(bot, "gero")
        await session.execute(
            update(Member).where(Member.id == gero.id).values(young_professional=True)
        )
    await make_event(dash, "Symposium", 40)
    await make_event(dash, "Nachwuchs-Exkursion", 50, extra="; zielgruppe=yp")
    switched = await bot.send("fine", "/kalender alle")
    assert "alle Veranstaltungen des Netzwerks" in switched.text
    fine_feed = feed_path(dash, switched.text)  # no feed yet: the answer brings a link
    gero_feed = feed_path(dash, (await bot.send("gero", "/kalender")).text)
    assert await events_in(dash, gero_feed) == {}  # only own sign-ups so far
    off = await bot.send("gero", "/kalender alle")
    assert "/feed/" not in off.text  # gero has a feed: it keeps its link
    shown = await events_in(dash, fine_feed)
    assert list(shown) == ["Symposium"]
    assert str(shown["Symposium"]["TRANSP"]) == "TRANSPARENT"  # not signed up: not busy
    assert "/anmelden" in str(shown["Symposium"]["DESCRIPTION"])  # fine speaks German
    assert sorted(await events_in(dash, gero_feed)) == ["Nachwuchs-Exkursion", "Symposium"]
    await bot.send("fine", "/kalender alle")  # and back to her own sign-ups
    assert await events_in(dash, fine_feed) == {}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_chat_answers_in_both_languages(bot_any: Harness, lang: str) -> None:
    """Without the web server the feed is explained away; options are checked; private only."""
    await bot_any.onboard("hugo", lang=lang)
    needs = (await bot_any.send("hugo", FEED_COMMAND[lang])).text
    assert ("braucht den Webserver" if lang == "de" else "needs the bot's web server") in needs
    bad = (await bot_any.send("hugo", f"{FEED_COMMAND[lang]} morgen")).text
    assert "morgen" in bad and RENEW[lang] in bad and ALL[lang] in bad
    group = (await bot_any.send("hugo", FEED_COMMAND[lang], private=False, mention=True)).text
    assert "/feed/" not in group


async def test_kalender_with_a_number_still_sends_the_events_file(dash: Dashboard) -> None:
    await dash.bot.onboard("ida")
    number = await make_event(dash, "Symposium", 30)
    chat = await dash.bot.send("ida", f"/kalender {number}")
    (reply,) = chat.replies
    assert reply.attachment is not None and reply.attachment.filename.endswith(".ics")


async def test_member_feed_function_gives_calendar_and_etag(dash: Dashboard) -> None:
    services = dash.bot.app.services
    await dash.bot.onboard("jana")
    jana = await member(dash.bot, "jana")
    links = await feed.feed_url(services, jana.id, public=True)
    token = links.https.rsplit("/", 1)[1].removesuffix(".ics")
    found = await feed.member_feed(services, token)
    assert found is not None
    ics, etag = found
    assert icalendar.Calendar.from_ical(ics)["X-WR-CALNAME"] == "REWIMET – meine Termine"
    assert etag == (await feed.feed_state(services, token) or pytest.fail()).etag
    await feed.feed_url(services, jana.id, renew=True)
    assert await feed.member_feed(services, token) is None


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_command_and_its_german_name_do_the_same(dash: Dashboard, lang: str) -> None:
    """/kalender and /calendar both give the subscription link, /kalenderdatei and
    /calendarfile both the file; /calendarfeed and /kalenderabo, learnt before, still work."""
    bot = dash.bot
    await bot.onboard("jonas", lang=lang)
    number = await make_event(dash, "Rammelsberg", 20)
    await bot.send("jonas", f"/join {number}")
    for typed_name in ("/kalender", "/calendar", "/calendarfeed", "/kalenderabo"):
        feed_path(dash, (await bot.send("jonas", typed_name)).text)
    for typed_name in ("/kalenderdatei", "/calendarfile"):
        (reply,) = (await bot.send("jonas", typed_name)).replies
        assert reply.attachment is not None and b"Rammelsberg" in reply.attachment.content
    for typed_name in ("/kalender", "/calendar"):
        (reply,) = (await bot.send("jonas", f"{typed_name} {number}")).replies
        assert reply.attachment is not None  # one event's file, as before


def test_help_and_menu_describe_each_pair_alike() -> None:
    """The German and English menus list the subscription and the file under the two names
    of one command each, with the same purpose."""
    commands = build_router().unique_commands()
    by_lang = {
        lang: {e.command: e.description for e in menu(commands, lang, admin=False, groups=False)}
        for lang in ("de", "en")
    }
    assert by_lang["de"]["kalender"].startswith("Kalender-Abo")
    assert by_lang["en"]["calendar"].startswith("calendar subscription")
    assert by_lang["de"]["kalenderdatei"].startswith("Kalenderdatei")
    assert by_lang["en"]["calendarfile"].startswith("calendar file")
    assert "calendarfeed" not in by_lang["en"]  # an alias, not a second menu entry
