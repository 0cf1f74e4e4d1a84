"""What a new admin and member met in a walkthrough of events: the guided form's number steps,
event buttons with odd titles, the audit line of a chat-made event, reminders across a change of
summer time, young professionals' events in /events, an end typed as a time alone, and the
series step's error message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.errors import UserError
from handlers.events.choosing import button_label
from handlers.events.dates import parse_when
from storage.events import Event, EventJob
from storage.models import AuditEntry
from tests.dates import days_ahead, typed, typed_iso
from tests.harness import Chat, Harness, fixed_clock
from tests.test_events import create, goslar
from web.pages.audit import action_label, described_detail

BERLIN = ZoneInfo("Europe/Berlin")


async def _to_capacity(bot: Harness) -> None:
    """The guided /newevent up to "How many places?"."""
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", "Exkursion Goslar")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 60)))
    await bot.press("admin", "evf:repeat:-")
    await bot.press("admin", "evf:end:-")
    await bot.send("admin", "Goslar")
    await bot.press("admin", "evf:place_en:-")


def _asks_for_a_number(chat: Chat) -> bool:
    """The answer shows the skip button and says a typed number is the answer, not a button."""
    asked = [r for r in chat.replies if r.buttons]
    return bool(asked) and all(r.metadata.get("typed") == "number" for r in asked)


async def test_a_number_asked_again_is_still_a_number_not_the_skip_button(bot: Harness) -> None:
    await _to_capacity(bot)
    for wrong in ("-5", "1000000000"):
        again = await bot.send("admin", wrong)
        assert "keine Platzzahl" in again.text and "Wie viele Plätze" in again.text
        assert "evf:capacity:-" in again.buttons
        assert _asks_for_a_number(again), again.replies
    # the question shown again after a command keeps its lettered choices as well
    await bot.send("admin", "/help")
    resumed = await bot.send("admin", "/newevent")
    assert "Wie viele Plätze" in resumed.text and _asks_for_a_number(resumed), resumed.replies
    assert "Anmeldeschluss" in (await bot.send("admin", "1")).text
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    await bot.send("admin", "-")
    await bot.send("admin", "-")
    preview = await bot.press("admin", "evf:announce:no")
    assert "0/1 Platz" in preview.text, preview.text


LONG_TITLE = "Kreislaufwirtschaftsforum-" * 7 + "Harz"  # 186 characters, one word
FORMULA = '=HYPERLINK("http://example.org/rewimet/anmeldung","Anmeldung")'


@pytest.mark.parametrize("title", [FORMULA, LONG_TITLE, "Exkursion " + "x" * 60])
def test_a_button_label_shows_part_of_any_title(title: str) -> None:
    label = button_label(Event(id=5, title=title), "de")
    assert len(label) <= 40 and label.endswith("…")
    assert label.startswith(f"#5 {title[:20]}"), label


def test_a_button_label_still_cuts_at_a_word_where_there_is_one() -> None:
    title = "Exkursion zur Aufbereitungsanlage der Harzmetall GmbH in Langelsheim"
    assert button_label(Event(id=3, title=title), "de") == "#3 Exkursion zur Aufbereitungsanlage…"
    symposium = "REWIMET-Symposium: Kreislaufwirtschaft strategischer Metalle"
    assert button_label(Event(id=1, title=symposium), "de") == "#1 REWIMET-Symposium…"


async def test_events_list_buttons_show_odd_titles(bot: Harness) -> None:
    await bot.onboard("anna")
    numbers = []
    for title in ("Exkursion nach Goslar", LONG_TITLE):
        form = goslar(bot, 10).replace("titel=Exkursion nach Goslar", f"titel={title}")
        numbers.append(await create(bot, form))
    # A formula title is refused now; one stored before that still gets its label.
    async with bot.db.session() as session:
        await session.execute(update(Event).where(Event.id == numbers[0]).values(title=FORMULA))
    listing = await bot.send("anna", "/events")
    labels = {b.payload: b.label for r in listing.replies for row in r.buttons for b in row}
    assert labels[f"ev:show:{numbers[0]}"].startswith(f'#{numbers[0]} =HYPERLINK("http'), labels
    assert labels[f"ev:show:{numbers[1]}"].startswith(f"#{numbers[1]} Kreislaufwirtschafts")


async def _audit_lines(bot: Harness, lang: str) -> list[str]:
    async with bot.db.session() as session:
        entries = (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        return [str(described_detail(e.detail_data, lang, BERLIN)) for e in entries]


async def test_an_event_made_in_chat_has_its_audit_line_as_on_the_dashboard(
    bot: Harness,
) -> None:
    await bot.onboard("anna")
    await bot.onboard("ben")
    number = await create(bot, goslar(bot, 10))
    quiet = await create(bot, goslar(bot, 10) + "; ankündigung=nein")
    german = await _audit_lines(bot, "de")
    english = await _audit_lines(bot, "en")
    made = f"Veranstaltung #{number} „Exkursion nach Goslar“, an 2 Personen angekündigt"
    assert made in german, german
    assert f"Event #{number} “Exkursion nach Goslar”, announced to 2 people" in english, english
    assert f"Event #{quiet} “Exkursion nach Goslar”, not announced" in english, english
    async with bot.db.session() as session:
        actions = (await session.execute(select(AuditEntry.action))).scalars().all()
    assert actions.count("newevent") == 2
    assert action_label("de", "newevent") == "Veranstaltung angelegt (Chat)"
    assert action_label("en", "newevent") == "Event created (chat)"


async def _reminders(bot: Harness, event_id: int) -> dict[str, datetime]:
    async with bot.db.session() as session:
        jobs = await session.execute(select(EventJob).where(EventJob.event_id == event_id))
        return {j.job_id.rsplit(":", 1)[1]: j.run_at.replace(tzinfo=UTC) for j in jobs.scalars()}


@pytest.mark.parametrize(
    ("start", "week_before"),
    [
        # summer time begins on 28 March 2027: a week before is still winter time
        (datetime(2027, 4, 1, 10, 0, tzinfo=BERLIN), datetime(2027, 3, 25, 10, 0, tzinfo=BERLIN)),
        # and ends on 31 October 2027
        (datetime(2027, 11, 4, 10, 0, tzinfo=BERLIN), datetime(2027, 10, 28, 10, 0, tzinfo=BERLIN)),
    ],
)
async def test_a_reminder_days_before_keeps_the_time_of_day_across_summer_time(
    bot: Harness, start: datetime, week_before: datetime
) -> None:
    bot.app.services.clock = fixed_clock(datetime(2027, 1, 15, 12, 0, tzinfo=UTC))
    form = f"art=exkursion; titel=Exkursion Freiberg; beginn={typed(start)}; erinnerungen=7d, 2h"
    number = await create(bot, form)
    planned = await _reminders(bot, number)
    assert planned["7d"].astimezone(BERLIN) == week_before
    assert planned["7d"].astimezone(BERLIN).hour == 10
    assert planned["2h"] == start.astimezone(UTC) - timedelta(hours=2)  # hours are hours
    scheduler = bot.app.services.scheduler
    assert scheduler.next_run(f"reminder:event:{number}:7d") == week_before
    page = await bot.send("admin", f"/event {number}")
    assert "Exkursion Freiberg" in page.text


async def test_events_lists_young_professionals_events_only_to_them(bot: Harness) -> None:
    yp_only = await create(bot, goslar(bot, 5) + "; titel=Exkursion für Nachwuchs; zielgruppe=yp")
    for_all = await create(bot, goslar(bot, 5))
    await bot.onboard("senior")
    listing = await bot.send("senior", "/events")
    assert "Exkursion nach Goslar" in listing.text
    assert "Nachwuchs" not in listing.text and f"ev:show:{yp_only}" not in listing.buttons
    assert f"ev:show:{for_all}" in listing.buttons
    await bot.send("senior", "/youngpro ja")
    listing = await bot.send("senior", "/events")
    assert "Exkursion für Nachwuchs" in listing.text and f"ev:show:{yp_only}" in listing.buttons


@pytest.mark.parametrize(
    ("lang", "end"), [("de", "17:00"), ("de", "17 Uhr"), ("en", "17:00"), ("en", "5:30")]
)
async def test_the_end_typed_as_a_time_alone_is_on_the_start_day(
    bot: Harness, lang: str, end: str
) -> None:
    await bot.send("admin", f"/language {lang}")
    start = days_ahead(bot, 60)
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", "Exkursion Goslar")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(start) if lang == "de" else typed_iso(start))
    asked = await bot.press("admin", "evf:repeat:-")
    teaches = "am selben Tag genügt die Uhrzeit" if lang == "de" else "the time is enough"
    assert teaches in asked.text, asked.text
    answered = await bot.send("admin", end)
    assert ("Wo findet" if lang == "de" else "Where") in answered.text, answered.text
    await bot.send("admin", "Goslar")
    await bot.press("admin", "evf:place_en:-")
    await bot.send("admin", "10")
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    await bot.send("admin", "-")
    await bot.send("admin", "-")
    preview = await bot.press("admin", "evf:announce:no")
    # "5:30" before the start: its afternoon hour (`dates._after_start`)
    assert ("– 17:30" if end == "5:30" else "– 17:00") in preview.text, preview.text


async def test_the_one_line_form_takes_an_end_time_alone_in_any_order(bot: Harness) -> None:
    start = days_ahead(bot, 60)
    form = f"art=exkursion; titel=Exkursion Goslar; ende=17:00; beginn={typed(start)}"
    number = await create(bot, form)
    async with bot.db.session() as session:
        event = await session.get(Event, number)
    assert event is not None and event.ends_at is not None
    assert event.ends_at.replace(tzinfo=UTC) == start.replace(hour=17, minute=0).astimezone(UTC)


@pytest.mark.parametrize(
    ("lang", "taught", "not_taught"),
    [
        ("de", "„bis 31.12.2027“ oder „10 mal“", "bis=31.12.2027"),
        ("en", "“until 2027-12-31” or “10 times”", "until=2027-12-31"),
    ],
)
async def test_a_wrong_repetition_is_told_the_way_the_question_teaches(
    bot: Harness, lang: str, taught: str, not_taught: str
) -> None:
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:forum")
    await bot.send("admin", "Stammtisch")
    await bot.press("admin", "evf:title_en:-")
    asked = await bot.send("admin", typed(days_ahead(bot, 60)))
    assert taught in asked.text, asked.text
    wrong = await bot.send("admin", "jeden zweiten Tag")
    assert taught in wrong.text and not_taught not in wrong.text, wrong.text


def test_a_time_alone_is_a_moment_only_where_its_day_is_known() -> None:
    on = date(2027, 3, 12)
    assert parse_when("17 Uhr", tz=BERLIN, day=on) == datetime(2027, 3, 12, 16, 0, tzinfo=UTC)
    assert parse_when("at 17.30", tz=BERLIN, day=on) == datetime(2027, 3, 12, 16, 30, tzinfo=UTC)
    with pytest.raises(UserError):  # a start needs its day
        parse_when("17:00", tz=BERLIN)
    with pytest.raises(UserError):  # a bare number is no time
        parse_when("17", tz=BERLIN, day=on)


async def test_the_one_line_form_takes_a_repetition_as_its_error_teaches_it(bot: Harness) -> None:
    start = days_ahead(bot, 30)
    base = f"art=forum; titel=Stammtisch; beginn={typed(start)}; ankündigung=nein"
    wrong = await bot.send("admin", f"/newevent {base}; wiederholung=jeden zweiten Tag")
    assert "„bis 31.12.2027“ oder „10 mal“" in wrong.text, wrong.text
    until = typed(start + timedelta(days=60)).split()[0]
    for taught in (f"wöchentlich bis {until}", "wöchentlich 10 mal"):
        preview = await bot.send("admin", f"/newevent {base}; wiederholung={taught}")
        assert "verstehe ich nicht" not in preview.text and preview.buttons, preview.text
        await bot.press("admin", preview.button("Verwerfen"))


async def _to_announce(bot: Harness, lang: str) -> None:
    """The guided form, in `lang`, up to "Jetzt ankündigen, später oder gar nicht?"."""
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/neuertermin" if lang == "de" else "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", "Exkursion Goslar")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 60)))
    await bot.press("admin", "evf:repeat:-")
    await bot.press("admin", "evf:end:-")
    await bot.send("admin", "Goslar")
    await bot.press("admin", "evf:place_en:-")
    await bot.press("admin", "evf:capacity:-")
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    asked = await bot.press("admin", "evf:description:-")
    assert "evf:announce:no" in asked.buttons, asked.text


@pytest.mark.parametrize(
    ("lang", "typed_no"),
    [
        ("de", "nein erstmal nicht"),
        ("de", "Nein, noch nicht."),
        ("de", "nicht ankündigen"),
        ("de", "gar nicht"),
        ("en", "no"),
        ("en", "no, not yet"),
        ("en", "don't announce it"),
    ],
)
async def test_a_typed_no_at_the_announcement_question_saves_it_unannounced(
    bot: Harness, lang: str, typed_no: str
) -> None:
    """The walkthrough's office typed "nein erstmal nicht" at "Jetzt ankündigen, später oder
    gar nicht?" and was told it is no date: a plain no is "Nicht ankündigen"."""
    await _to_announce(bot, lang)
    preview = await bot.send("admin", typed_no)
    assert "evf:confirm:save" in " ".join(preview.buttons), preview.text
    done = await bot.press("admin", preview.button("Speichern" if lang == "de" else "Save"))
    assert ("ohne Ankündigung" if lang == "de" else "without an announcement") in done.text


@pytest.mark.parametrize("typed_later", ["nicht jetzt", "nein, später"])
async def test_a_no_that_may_mean_later_at_the_announcement_question_is_asked_again(
    bot: Harness, typed_later: str
) -> None:
    await _to_announce(bot, "de")
    again = await bot.send("admin", typed_later)
    assert "Jetzt ankündigen, später" in again.text and "evf:announce:no" in again.buttons


@pytest.mark.parametrize(
    ("lang", "places", "number"),
    [
        ("de", "zwanzig", 20),
        ("de", "Fünfzig", 50),
        ("de", "einundvierzig", 41),
        ("en", "twenty", 20),
        ("en", "fifty", 50),
        ("en", "Thirty-five", 35),
        # with the word for places after it (the dashboard's box takes the same)
        ("de", "30 Plätze", 30),
        ("de", "dreißig Plätze", 30),
        ("en", "25 places", 25),
    ],
)
async def test_places_typed_as_a_word_are_that_number(
    bot: Harness, lang: str, places: str, number: int
) -> None:
    """The walkthrough's office typed "zwanzig" at "Wie viele Plätze gibt es?": refused as no
    number of places."""
    await bot.send("admin", f"/language {lang}")
    await _to_capacity(bot)
    deadline = await bot.send("admin", places)
    assert "evf:deadline:-" in deadline.buttons, deadline.text
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    await bot.press("admin", "evf:description:-")
    await bot.send("admin", "zwölf" if lang == "de" else "twelve")  # hours an offer is held
    preview = await bot.press("admin", "evf:announce:no")
    assert f"0/{number}" in preview.text and "12" in preview.text, preview.text


def test_number_words_are_read_from_one_to_a_hundred() -> None:
    from handlers.events.number_words import number_of

    assert {number_of(w) for w in ("eins", "one", "ein")} == {1}
    assert number_of("dreißig") == number_of("dreissig") == number_of("thirty") == 30
    assert number_of("siebenundneunzig") == number_of("ninety seven") == 97
    assert number_of("hundert") == number_of("a hundred") == 100
    assert number_of("zwanzig Plätze") is None and number_of("viele") is None


@pytest.mark.parametrize(("lang", "skip"), [("de", "skip"), ("de", "überspringen"), ("en", "skip")])
async def test_a_typed_skip_at_an_optional_step_is_its_skip_button(
    bot: Harness, lang: str, skip: str
) -> None:
    """The walkthrough's office typed "skip" under "Überspringen": the end was refused as no
    date, and the description became "skip"."""
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", "Exkursion Goslar")
    await bot.send("admin", skip)  # the English title
    await bot.send("admin", typed(days_ahead(bot, 60)))
    await bot.press("admin", "evf:repeat:-")
    place = await bot.send("admin", skip)  # the end
    assert "evf:place:-" in place.buttons, place.text
    for _step in ("place", "capacity", "deadline"):
        await bot.send("admin", skip)
    await bot.press("admin", "evf:audience:all")
    announce = await bot.send("admin", skip)  # the description: none, none to translate
    assert "evf:announce:no" in announce.buttons, announce.text
    preview = await bot.press("admin", "evf:announce:no")
    assert "skip" not in preview.text.casefold() and "überspringen" not in preview.text.casefold()
