"""Recurring meetings: the rule (DST-correct dates), the one-line and guided forms, the fill
ahead (idempotent across runs and restarts), skip, change following, end, join the series,
and the calendar file with several occurrences; on SQLite and PostgreSQL, German and English."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import func, select

from bot.delivery import reply_from_payload
from bot.errors import UserError
from handlers.events import series
from handlers.events.recurrence import Rule, next_dates, parse_repeat, parse_rule
from storage.events import Event, EventSignup
from storage.models import OutboxMessage
from storage.series import EventSeries, SeriesMember, SeriesSkip
from tests.dates import days_ahead, typed, typed_day, typed_iso
from tests.harness import Harness, fixed_clock, make_harness

BERLIN = ZoneInfo("Europe/Berlin")


# --- the rule, pure -----------------------------------------------------------------------


def test_weekly_keeps_19_00_across_both_changes_of_summer_time() -> None:
    first = datetime(2027, 3, 16, 19, 0, tzinfo=BERLIN)  # a Tuesday before the March change
    starts = next_dates(Rule("weekly"), first, limit=None, until=date(2027, 11, 9))
    assert all(s.astimezone(BERLIN).hour == 19 and s.minute == 0 for s in starts)
    assert all(s.weekday() == 1 for s in starts)
    utc_hours = {s.date(): s.astimezone(UTC).hour for s in starts}
    assert utc_hours[date(2027, 3, 23)] == 18  # winter time, UTC+1
    assert utc_hours[date(2027, 3, 30)] == 17  # summer time from 28 March, UTC+2
    assert utc_hours[date(2027, 10, 26)] == 17
    assert utc_hours[date(2027, 11, 2)] == 18  # winter time again from 31 October
    assert starts[-1].date() == date(2027, 11, 9)


def test_monthly_nth_and_last_weekday() -> None:
    first = datetime(2027, 1, 1, 19, 0, tzinfo=BERLIN)
    second_tuesdays = next_dates(Rule("monthly", 1, 2, 1), first, limit=4)
    assert [s.date() for s in second_tuesdays] == [
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
        date(2027, 4, 13),
    ]
    last_fridays = next_dates(Rule("monthly", 1, -1, 4), first, count=3, limit=None)
    assert [s.date() for s in last_fridays] == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
    ]
    # across the October change: still 19:00 local
    autumn = next_dates(Rule("monthly", 1, -1, 4), datetime(2027, 9, 1, 19, tzinfo=BERLIN))
    # 24 Sep and 29 Oct in summer time (it ends on 31 Oct), 26 Nov in winter time
    assert [s.date().day for s in autumn] == [24, 29, 26]
    assert [s.astimezone(UTC).hour for s in autumn] == [17, 17, 18]
    every_two = next_dates(Rule("weekly", 2), first, count=3, limit=None)
    assert [s.date() for s in every_two] == [date(2027, 1, 1), date(2027, 1, 15), date(2027, 1, 29)]
    later = next_dates(Rule("weekly"), first, after=datetime(2027, 1, 20, tzinfo=UTC), limit=2)
    assert [s.date() for s in later] == [date(2027, 1, 22), date(2027, 1, 29)]


def test_typed_rules_in_german_and_english() -> None:
    assert parse_rule("wöchentlich") == Rule("weekly", 1)
    assert parse_rule("Alle 2 Wochen") == Rule("weekly", 2)
    assert parse_rule("every 3 weeks") == Rule("weekly", 3)
    assert parse_rule("monatlich 2. Dienstag") == Rule("monthly", 1, 2, 1)
    assert parse_rule("monatlich am letzten Freitag") == Rule("monthly", 1, -1, 4)
    assert parse_rule("monthly 2nd tuesday") == Rule("monthly", 1, 2, 1)
    assert parse_rule("monthly last friday") == Rule("monthly", 1, -1, 4)
    assert parse_rule("monatlich") == Rule("monthly", 1)
    typed = parse_repeat("monatlich letzter freitag, bis 31.12.2027", tz=BERLIN)
    assert typed.rule == Rule("monthly", 1, -1, 4) and typed.until == date(2027, 12, 31)
    typed = parse_repeat("weekly 10 times", tz=BERLIN)
    assert typed.rule == Rule("weekly", 1) and typed.count == 10
    typed = parse_repeat("every 2 weeks until 2027-12-31", tz=BERLIN)
    assert typed.rule == Rule("weekly", 2) and typed.until == date(2027, 12, 31)
    for wrong in ("täglich", "monatlich 5. dienstag", "alle 40 wochen", "every week; 1000 times"):
        with pytest.raises(UserError):
            parse_repeat(wrong, tz=BERLIN)


# --- chat: create -------------------------------------------------------------------------


def stammtisch(bot: Harness, *, extra: str = "wiederholung=wöchentlich; anzahl=10") -> str:
    """A weekly meeting at 19:00, first about ten days ahead of the bot's clock."""
    start = days_ahead(bot, 10, hour=19, minute=0)
    return (
        f"art=forum; titel=Recycling-Stammtisch; beginn={typed(start)}; "
        f"ende={typed(start + timedelta(hours=2))}; ort=Clausthal; plätze=2; {extra}"
    )


async def occurrences(bot: Harness) -> list[Event]:
    async with bot.db.session() as session:
        rows = await session.execute(
            select(Event).where(Event.series_id.is_not(None)).order_by(Event.starts_at)
        )
        return list(rows.scalars())


async def outbox(bot: Harness, kind: str) -> list[OutboxMessage]:
    async with bot.db.session() as session:
        rows = await session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind))
        return list(rows.scalars())


async def create_series(bot: Harness, form: str, *, user: str = "admin") -> int:
    preview = await bot.send(user, f"/newevent {form}")
    done = await bot.press(user, preview.button("Speichern"))
    match = re.search(r"S(\d+)", done.text)
    assert match, done.text
    return int(match.group(1))


async def test_one_line_form_previews_first_dates_and_creates_three_ahead(bot_any: Harness) -> None:
    bot = bot_any
    await bot.onboard("anna")
    start = days_ahead(bot, 10, hour=19, minute=0)
    preview = await bot.send("admin", f"/newevent {stammtisch(bot)}")
    assert "Wiederholung: wöchentlich, 10 Termine" in preview.text
    for week in range(5):  # the first five dates are shown
        assert f"{(start + timedelta(weeks=week)):%d.%m.%Y}, 19:00 Uhr" in preview.text
    assert await occurrences(bot) == []  # nothing stored before Save
    done = await bot.press("admin", preview.button("Speichern"))
    assert "Serie S1" in done.text, done.text
    # when the further dates come, plainly (not "in time")
    assert "sobald ein Termin begonnen hat" in done.text and "nächsten 3" in done.text
    assert "60 Tage" in done.text and "rechtzeitig" not in done.text, done.text
    made = await occurrences(bot)
    assert len(made) >= 3  # the next three (and all within 60 days)
    assert all(e.starts_at.replace(tzinfo=UTC).astimezone(BERLIN).hour == 19 for e in made)
    assert len({e.occurrence_date for e in made}) == len(made)
    assert all(e.capacity == 2 and e.place == "Clausthal" for e in made)
    # a new series is announced once, by its first date, which offers all dates
    anna = await bot.member("anna")
    assert anna is not None
    told = [m for m in await outbox(bot, "event_announcement") if m.member_id == anna.id]
    (first,) = [reply_from_payload(m.payload) for m in told]
    assert f"Nr. {made[0].id}" in first.text
    assert "Ein Termin einer Reihe, wöchentlich, 10 Termine:" in first.text, first.text
    assert "evj:1" in {b.payload for row in first.buttons for b in row}
    assert "series:fill" in bot.app.services.scheduler.job_ids()
    # a date the fill makes later is announced as it comes
    later = made[0].starts_at.replace(tzinfo=UTC) + timedelta(hours=3)
    bot.app.services.clock = fixed_clock(later)
    new = await series.fill(bot.app.services)
    assert new
    told = [m for m in await outbox(bot, "event_announcement") if m.member_id == anna.id]
    assert len(told) == 1 + len(new)


async def test_guided_form_asks_for_the_repetition_in_english(bot_any: Harness) -> None:
    bot = bot_any
    await bot.send("admin", "/language en")
    chat = await bot.send("admin", "/newevent")
    await bot.press("admin", chat.button("Forum"))
    await bot.send("admin", "Circular economy round table")
    await bot.press("admin", "evf:title_en:-")
    start = days_ahead(bot, 5, hour=19, minute=0)
    asked = await bot.send("admin", typed_iso(start))
    assert "Does it repeat?" in asked.text
    until = start + timedelta(days=200)
    bad = await bot.send("admin", "every day")
    assert "can't read" in bad.text and "Does it repeat?" in bad.text
    await bot.send("admin", f"monthly last friday, until {until:%Y-%m-%d}")
    for step in ("end", "place", "capacity", "deadline"):
        await bot.press("admin", f"evf:{step}:-")
    await bot.press("admin", "evf:audience:all")
    await bot.press("admin", "evf:description:-")
    preview = await bot.press("admin", "evf:announce:no")
    assert f"Repeats: monthly on the last Friday, until {until:%Y-%m-%d}" in preview.text
    done = await bot.press("admin", preview.button("Save"))
    assert "Series S1" in done.text, done.text
    made = await occurrences(bot)
    assert len(made) == 3
    assert all(e.starts_at.replace(tzinfo=UTC).astimezone(BERLIN).weekday() == 4 for e in made)


async def test_one_line_form_refuses_what_a_series_cannot_have(bot: Harness) -> None:
    start = days_ahead(bot, 10, hour=19, minute=0)
    base = f"art=forum; titel=Stammtisch; beginn={typed(start)}"
    told = await bot.send("admin", f"/newevent {base}; wiederholung=täglich")
    assert "verstehe ich nicht als Wiederholung" in told.text
    told = await bot.send("admin", f"/newevent {base}; anzahl=4")
    assert "nur für wiederkehrende" in told.text
    told = await bot.send(
        "admin",
        f"/newevent {base}; wiederholung=wöchentlich; bis={typed_day(start - timedelta(days=3))}",
    )
    assert "vor ihrem ersten Termin" in told.text
    assert await occurrences(bot) == []


async def test_a_series_made_whole_at_once_promises_no_more_dates(bot: Harness) -> None:
    start = days_ahead(bot, 10, hour=19, minute=0)
    preview = await bot.send(
        "admin", f"/newevent {stammtisch(bot, extra='wiederholung=wöchentlich; anzahl=2')}"
    )
    done = await bot.press("admin", preview.button("Speichern"))
    assert "mit allen Terminen" in done.text and "weitere" not in done.text, done.text
    assert len(await occurrences(bot)) == 2
    assert (
        start.date()
        == (await occurrences(bot))[0].starts_at.replace(tzinfo=UTC).astimezone(BERLIN).date()
    )


# --- the fill: idempotent, across a restart -----------------------------------------------


async def test_fill_twice_and_after_a_restart_neither_loses_nor_doubles(db_url: str) -> None:
    first = await make_harness(db_url)
    try:
        await first.app.start()
        await create_series(first, stammtisch(first))
        made = await occurrences(first)
        services = first.app.services
        again = await asyncio.gather(*(series.fill(services) for _ in range(3)))
        assert again == [[], [], []]
        assert [e.id for e in await occurrences(first)] == [e.id for e in made]
        passed = made[0].starts_at.replace(tzinfo=UTC) + timedelta(hours=3)
    finally:
        await first.app.stop()
    # The bot was down while the first date passed: at start the next one is created, once.
    second = await make_harness(db_url)
    second.app.services.clock = fixed_clock(passed)
    await second.app.start()
    try:
        after = await occurrences(second)
        assert len(after) == len(made) + 1
        assert len({e.occurrence_date for e in after}) == len(after)
        assert await series.fill(second.app.services) == []
        run_at = second.app.services.scheduler.next_run("series:fill")
        assert run_at is not None and run_at <= passed + timedelta(days=1)
    finally:
        await second.app.stop()


# --- skip, change following, end ----------------------------------------------------------


async def test_skip_cancels_with_notice_and_is_never_recreated(bot_any: Harness) -> None:
    bot = bot_any
    await create_series(bot, stammtisch(bot))
    made = await occurrences(bot)
    await bot.onboard("ben")
    await bot.send("ben", f"/join {made[1].id}")
    asked = await bot.send("admin", f"/skip {made[1].id}")
    assert "Benachrichtigt werden Angemeldete: 1" in asked.text
    done = await bot.press("admin", asked.button("Aussetzen"))
    assert "ist ausgesetzt" in done.text
    ben = await bot.member("ben")
    assert ben is not None
    assert [m.member_id for m in await outbox(bot, "event_cancel")] == [ben.id]
    async with bot.db.session() as session:
        event = await session.get(Event, made[1].id)
        skips = (await session.execute(select(SeriesSkip))).scalars().all()
        assert event is not None and event.status == "cancelled"
        assert [s.occurrence_date for s in skips] == [made[1].occurrence_date]
        # even with the cancelled row gone, the fill does not make the date again
        await session.delete(event)
    await series.fill(bot.app.services)
    dates = [e.occurrence_date for e in await occurrences(bot)]
    assert made[1].occurrence_date not in dates
    stale = await bot.press("admin", asked.button("Aussetzen"))
    assert "nicht mehr gültig" in stale.text
    single = await bot.send("admin", "/skip 999")
    assert "999" in single.text


async def notices(bot: Harness) -> dict[int, str]:
    """The cancellation notices queued, by member."""
    return {
        m.member_id: reply_from_payload(m.payload).text for m in await outbox(bot, "event_cancel")
    }


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_a_skipped_date_says_the_series_goes_on_and_when_next(
    bot: Harness, lang: str
) -> None:
    """Members signed up for one date read that only this date is off, with the next date
    and its number (the date the rule gives, where the bot has not made it yet)."""
    await create_series(bot, stammtisch(bot))
    made = await occurrences(bot)
    await bot.onboard("lena", lang=lang)
    await bot.send("lena", f"/join {made[1].id}")
    await bot.send("lena", f"/join {made[-1].id}")
    lena = await bot.member("lena")
    assert lena is not None
    for skipped in (made[1], made[-1]):
        asked = await bot.send("admin", f"/aussetzen {skipped.id}")
        await bot.press("admin", asked.button("Aussetzen"))
    first, last = sorted(
        (reply_from_payload(m.payload).text for m in await outbox(bot, "event_cancel")),
        key=lambda text: f"{made[1].id})" not in text,
    )
    goes_on = "die Reihe geht weiter" if lang == "de" else "the series goes on"
    assert goes_on in first and goes_on in last, (first, last)
    assert "ist abgesagt. Ihre Anmeldung ist damit hinfällig" not in first
    join = "/anmelden" if lang == "de" else "/join"
    assert f"{join} {made[2].id}" in first, first
    # after the last date made: the next one by the rule, a week on, not made yet
    nxt = made[-1].starts_at.replace(tzinfo=made[-1].starts_at.tzinfo or UTC).astimezone(BERLIN)
    nxt += timedelta(days=7)
    assert nxt.strftime("%H:%M") in last and join not in last, last
    assert str(nxt.day) in last, last


async def test_skipping_the_last_date_says_the_series_has_no_more(bot: Harness) -> None:
    await create_series(bot, stammtisch(bot, extra="wiederholung=wöchentlich; anzahl=2"))
    made = await occurrences(bot)
    assert len(made) == 2
    await bot.onboard("lena")
    await bot.send("lena", f"/anmelden {made[1].id}")
    asked = await bot.send("admin", f"/aussetzen {made[1].id}")
    await bot.press("admin", asked.button("Aussetzen"))
    (notice,) = (await notices(bot)).values()
    assert "weitere Termine hat die Reihe nicht" in notice, notice
    assert "geht weiter" not in notice


async def test_change_following_and_end_series_in_english(bot_any: Harness) -> None:
    bot = bot_any
    await bot.send("admin", "/language en")
    start = days_ahead(bot, 10, hour=19, minute=0)
    await bot.send(
        "admin",
        f"/newevent kind=forum; title=Round table; start={typed_iso(start)}; "
        "place=Goslar; repeat=weekly; count=10; announce=no",
    )
    chat = await bot.press("admin", "evf:confirm:save:x")  # an old preview's button: stale
    assert "no longer valid" in chat.text
    preview = await bot.send(
        "admin",
        f"/newevent kind=forum; title=Round table; start={typed_iso(start)}; "
        "place=Goslar; repeat=weekly; count=10; announce=no",
    )
    await bot.press("admin", preview.button("Save"))
    made = await occurrences(bot)
    await bot.onboard("cleo", lang="en")
    await bot.send("cleo", f"/join {made[2].id}")
    asked = await bot.send("admin", f"/editseries {made[1].id} place=Clausthal")
    assert f"no. {made[1].id} and all following" in asked.text
    assert "included): 1" in asked.text  # cleo, on a later date
    done = await bot.press("admin", asked.button("Save"))
    assert f"Changed: {len(made) - 1} dates" in done.text, done.text
    places = [e.place for e in await occurrences(bot)]
    assert places == ["Goslar"] + ["Clausthal"] * (len(made) - 1)
    async with bot.db.session() as session:
        stored = await session.get(EventSeries, 1)
        assert stored is not None and stored.place == "Clausthal"
    assert len(await outbox(bot, "event_change")) == 1
    refused = await bot.send("admin", f"/editseries {made[1].id} start=2030-01-01 10:00")
    assert "For all following dates you can change" in refused.text
    # a new date made later takes the change
    bot.app.services.clock = fixed_clock(made[0].starts_at.replace(tzinfo=UTC) + timedelta(hours=3))
    await series.fill(bot.app.services)
    assert (await occurrences(bot))[-1].place == "Clausthal"
    # end the series: upcoming dates cancelled, attendees told, no new dates, no job
    listed = await bot.send("admin", "/series")
    assert (
        "S1" in listed.text and "Round table" in listed.text and "weekly, 10 dates" in listed.text
    )
    asked = await bot.send("admin", "/endseries S1")
    assert "Those signed up will be told: 1" in asked.text
    done = await bot.press("admin", asked.button("End series"))
    assert "has ended" in done.text
    assert all(e.status == "cancelled" for e in (await occurrences(bot))[1:])
    assert len(await outbox(bot, "event_cancel")) == 1
    assert await series.fill(bot.app.services) == []
    assert "series:fill" not in bot.app.services.scheduler.job_ids()
    assert "ended" in (await bot.send("admin", "/endseries 1")).text


# --- members: the whole series ------------------------------------------------------------


async def test_join_series_signs_up_now_and_for_new_dates(bot_any: Harness) -> None:
    bot = bot_any
    await create_series(bot, stammtisch(bot))
    made = await occurrences(bot)
    await bot.onboard("dora")
    await bot.onboard("emil")
    shown = await bot.send("dora", f"/event {made[0].id}")
    # the date says it is one of a series, and how often it meets
    assert "Ein Termin einer Reihe, wöchentlich, 10 Termine:" in shown.text, shown.text
    joined = await bot.press("dora", shown.button("Alle Termine"))
    assert f"jetzt angemeldet {len(made)}" in joined.text, joined.text
    await bot.onboard("finn")
    await bot.send("finn", "/joinseries S1")
    await bot.send("emil", "/joinseries 1")  # third of two places: waiting everywhere
    async with bot.db.session() as session:
        follows = await session.scalar(select(func.count()).select_from(SeriesMember))
        statuses = (
            await session.execute(
                select(EventSignup.status).where(EventSignup.event_id == made[0].id)
            )
        ).scalars()
        assert follows == 3
        assert sorted(statuses) == ["confirmed", "confirmed", "waitlisted"]
    # the first date passes; the next one is made with all three on it
    bot.app.services.clock = fixed_clock(made[0].starts_at.replace(tzinfo=UTC) + timedelta(hours=3))
    (new,) = await series.fill(bot.app.services)
    async with bot.db.session() as session:
        rows = await session.execute(select(EventSignup.status).where(EventSignup.event_id == new))
        assert sorted(rows.scalars()) == ["confirmed", "confirmed", "waitlisted"]
    notices = await outbox(bot, "event_series")
    assert len(notices) == 3
    assert "Unknown" not in (await bot.send("dora", "/joinseries S9")).text
    assert "gibt es nicht" in (await bot.send("dora", "/joinseries S9")).text


async def test_calendar_file_has_each_occurrence_with_its_own_uid(bot_any: Harness) -> None:
    bot = bot_any
    await create_series(bot, stammtisch(bot))
    await bot.onboard("gina", lang="en")
    await bot.send("gina", "/joinseries S1")
    mine = await bot.send("gina", "/calendarfile")
    attachment = mine.replies[-1].attachment
    assert attachment is not None
    calendar = icalendar.Calendar.from_ical(attachment.content)
    events = calendar.walk("VEVENT")
    made = await occurrences(bot)
    assert len(events) == len(made) >= 3
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert all(e.decoded("DTSTART").astimezone(BERLIN).hour == 19 for e in events)
    assert "RRULE" not in attachment.content.decode().split("BEGIN:VEVENT", 1)[1]


async def test_a_skip_asked_in_german_is_asked_again_in_english_after_language(
    bot: Harness,
) -> None:
    await create_series(bot, stammtisch(bot))
    made = await occurrences(bot)
    asked = await bot.send("admin", f"/aussetzen {made[1].id}")
    assert asked.button("Aussetzen"), asked.text
    await bot.send("admin", "/language en")
    beside = await bot.send("admin", "Where is the office exactly?")
    again = beside.replies[-1]
    assert again.text.startswith(f"On from where you left off:\n\nSkip date no. {made[1].id}"), (
        again.text
    )
    labels = [button.label for row in again.buttons for button in row]
    assert labels == ["Skip", "Keep it"], labels
    done = await bot.press("admin", again.buttons[0][0].payload)
    assert "skipped" in done.text, done.text


async def test_a_date_skipped_in_the_chat_carries_its_reason(bot: Harness) -> None:
    await create_series(bot, stammtisch(bot))
    made = await occurrences(bot)
    await bot.onboard("ben")
    await bot.send("ben", f"/join {made[1].id}")
    asked = await bot.send("admin", f"/aussetzen {made[1].id} Referentin erkrankt")
    assert "Grund für die Angemeldeten: „Referentin erkrankt“" in asked.text, asked.text
    await bot.press("admin", asked.button("Aussetzen"))
    (notice,) = (await notices(bot)).values()
    assert "Referentin erkrankt" in notice and "die Reihe geht weiter" in notice, notice
    # a reason too long is refused with its limit, nothing skipped
    too_long = await bot.send("admin", f"/aussetzen {made[2].id} {'x' * 600}")
    assert "500" in too_long.text, too_long.text
    assert "Aussetzen" not in too_long.text or not too_long.buttons
