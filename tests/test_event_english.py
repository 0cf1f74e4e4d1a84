"""Bilingual events: the office gives an event an English title and description beside the
German ones (chat form, guided form, series); each member reads them in their language in the
list, the details, the announcement, reminders, sign-up and waiting-list messages, the calendar
file and live answers, and the German ones where the office gave no English."""

from __future__ import annotations

import re
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import select

from bot.delivery import reply_from_payload
from bot.messages import plain_text
from handlers.events import schedule
from storage.events import Event
from storage.models import Member, OutboxMessage
from tests.confirming import confirmed
from tests.dates import days_ahead, typed
from tests.harness import Chat, Harness, make_harness

GERMAN = "Exkursion zur Grube Samson"
ENGLISH = "Excursion to the Samson Mine"
GERMAN_TEXT = "Führung unter Tage mit Grubenlampe."
ENGLISH_TEXT = "A guided tour underground, with a miner's lamp."


def samson(bot: Harness, *, places: int = 10, extra: str = "") -> str:
    """The one-line form of an excursion with its English title and description."""
    start = days_ahead(bot, 40)
    return (
        f"art=exkursion; titel={GERMAN}; titel_en={ENGLISH}; beginn={typed(start)}; "
        f"ort=St. Andreasberg; plätze={places}; beschreibung={GERMAN_TEXT}; "
        f"beschreibung_en={ENGLISH_TEXT}{extra}"
    )


async def create(bot: Harness, form: str, *, save: str = "Speichern") -> int:
    done = await confirmed(bot, f"/newevent {form}", save)
    found = re.search(r"(?:Nr\.|no\.) (\d+)", done.text)
    assert found is not None, done.text
    return int(found.group(1))


async def member(bot: Harness, user: str) -> Member:
    found = await bot.member(user)
    assert found is not None
    return found


async def sent_to(bot: Harness, user: str, kind: str) -> list[str]:
    """The texts queued for a member, of one kind (announcement, reminder …)."""
    person = await member(bot, user)
    async with bot.db.session() as session:
        rows = await session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind, OutboxMessage.member_id == person.id)
            .order_by(OutboxMessage.id)
        )
        return [plain_text(reply_from_payload(m.payload).text or "") for m in rows.scalars()]


async def test_each_member_reads_the_event_in_their_language(bot_any: Harness) -> None:
    bot = bot_any
    await bot.onboard("ella", lang="en")
    await bot.onboard("gerd", lang="de")
    number = await create(bot, samson(bot, extra="; erinnerungen=1d"))
    async with bot.db.session() as session:
        stored = await session.get(Event, number)
    assert stored is not None and (stored.title, stored.title_en) == (GERMAN, ENGLISH)

    # the announcement each one got
    (english,) = await sent_to(bot, "ella", "event_announcement")
    assert ENGLISH in english and ENGLISH_TEXT in english and GERMAN not in english
    (german,) = await sent_to(bot, "gerd", "event_announcement")
    assert GERMAN in german and GERMAN_TEXT in german and ENGLISH not in german

    # the list and the details
    listed = await bot.send("ella", "/events")
    assert f"{number} · {ENGLISH}" in listed.text and GERMAN not in listed.text
    assert any(ENGLISH[:20] in label for label in _labels(listed)), listed.replies
    shown = await bot.send("ella", f"/event {number}")
    assert ENGLISH in shown.text and ENGLISH_TEXT in shown.text
    assert GERMAN not in shown.text and GERMAN_TEXT not in shown.text
    listed = await bot.send("gerd", "/events")
    assert f"{number} · {GERMAN}" in listed.text and ENGLISH not in listed.text
    shown = await bot.send("gerd", f"/veranstaltung {number}")
    assert GERMAN in shown.text and GERMAN_TEXT in shown.text and ENGLISH not in shown.text

    # signing up, and the reminder
    joined = await bot.send("ella", f"/join {number}")
    assert ENGLISH in joined.text and GERMAN not in joined.text
    await bot.send("gerd", f"/anmelden {number}")
    assert await schedule.run_job(bot.app.services, schedule.reminder_job_id(number, 24))
    (reminder,) = await sent_to(bot, "ella", "event_reminder")
    assert ENGLISH in reminder and GERMAN not in reminder
    (erinnerung,) = await sent_to(bot, "gerd", "event_reminder")
    assert GERMAN in erinnerung and ENGLISH not in erinnerung

    # the calendar file from the button
    calendar = await bot.press("ella", f"ev:ics:{number}")
    attachment = next(r.attachment for r in calendar.replies if r.attachment is not None)
    (component,) = icalendar.Calendar.from_ical(attachment.content).walk("VEVENT")
    assert str(component["SUMMARY"]) == ENGLISH
    assert str(component["DESCRIPTION"]) == ENGLISH_TEXT


def _labels(chat: Chat) -> list[str]:
    return [b.label for r in chat.replies for row in r.buttons for b in row]


async def test_without_an_english_title_english_members_read_the_german_one(
    bot: Harness,
) -> None:
    await bot.onboard("ella", lang="en")
    start = days_ahead(bot, 40)
    form = (
        f"art=forum; titel=Innovationsforum Goslar; beginn={typed(start)}; "
        f"beschreibung={GERMAN_TEXT}"
    )
    number = await create(bot, form)
    only_german = "(This description is available in German only.)"
    (announced,) = await sent_to(bot, "ella", "event_announcement")
    assert "Innovationsforum Goslar" in announced and GERMAN_TEXT in announced
    assert f"{GERMAN_TEXT}\n{only_german}" in announced, announced
    assert "Innovationsforum Goslar" in (await bot.send("ella", "/events")).text
    shown = await bot.send("ella", f"/event {number}")
    assert "Innovationsforum Goslar" in shown.text and GERMAN_TEXT in shown.text
    assert only_german in shown.text, shown.text
    calendar = await bot.press("ella", f"ev:ics:{number}")
    attachment = next(r.attachment for r in calendar.replies if r.attachment is not None)
    (component,) = icalendar.Calendar.from_ical(attachment.content).walk("VEVENT")
    assert str(component["description"]) == f"{GERMAN_TEXT}\n{only_german}"
    # German readers are told nothing of the kind
    await bot.onboard("gerd", lang="de")
    assert "nur auf Deutsch" not in (await bot.send("gerd", f"/event {number}")).text
    # an English title alone: the German description still shows under it
    await confirmed(bot, f"/editevent {number} titel_en=Innovation Forum Goslar")
    shown = await bot.send("ella", f"/event {number}")
    assert "Innovation Forum Goslar" in shown.text and GERMAN_TEXT in shown.text
    # with an English description, the note goes
    await confirmed(bot, f"/editevent {number} beschreibung_en={ENGLISH_TEXT}")
    shown = await bot.send("ella", f"/event {number}")
    assert ENGLISH_TEXT in shown.text and only_german not in shown.text, shown.text


async def test_a_waiting_list_move_is_told_in_the_members_language(bot: Harness) -> None:
    await bot.onboard("gerd", lang="de")
    await bot.onboard("ella", lang="en")
    number = await create(bot, samson(bot, places=1))
    await bot.send("gerd", f"/anmelden {number}")
    waiting = await bot.send("ella", f"/join {number}")
    assert ENGLISH in waiting.text and "waiting list" in waiting.text
    await bot.send("gerd", f"/abmelden {number}")
    (moved,) = await sent_to(bot, "ella", "event_promotion")
    assert ENGLISH in moved and GERMAN not in moved


@pytest.mark.parametrize(("language", "title"), [("de", GERMAN), ("en", ENGLISH)])
async def test_a_group_announcement_is_in_the_networks_language(
    tmp_path: object, language: str, title: str
) -> None:
    bot = await make_harness(
        f"sqlite+aiosqlite:///{tmp_path}/g.db",
        network={"default_language": language},
        telegram={"announcement_chats": [-100123]},
    )
    try:
        await create(bot, samson(bot), save="Speichern" if language == "de" else "Save")
        async with bot.db.session() as session:
            rows = await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.kind == "event_announcement", OutboxMessage.member_id.is_(None)
                )
            )
            (group,) = rows.scalars()
        text = plain_text(reply_from_payload(group.payload).text or "")
        other = ENGLISH if title == GERMAN else GERMAN
        assert title in text and other not in text, text
    finally:
        await bot.app.stop()


async def test_a_new_english_title_is_news_to_english_readers_only(bot_any: Harness) -> None:
    bot = bot_any
    await bot.onboard("ella", lang="en")
    await bot.onboard("gerd", lang="de")
    number = await create(bot, samson(bot))
    await bot.send("ella", f"/join {number}")
    await bot.send("gerd", f"/anmelden {number}")
    current = await bot.send("admin", f"/editevent {number}")
    assert f"titel_en={ENGLISH}" in current.text, current.text
    preview = await bot.send("admin", f"/editevent {number} titel_en=Samson Mine Tour")
    assert "Benachrichtigt werden Angemeldete (mit Platzangeboten und Warteliste): 1" in (
        preview.text
    ), preview.text
    assert "Englischer Titel: Samson Mine Tour" in preview.text
    await bot.press("admin", preview.button("Speichern"))
    (change,) = await sent_to(bot, "ella", "event_change")
    assert f"New title: “Samson Mine Tour” (before: “{ENGLISH}”)" in change
    assert await sent_to(bot, "gerd", "event_change") == []
    # "-" takes the English title away: English readers read the German one again
    await confirmed(bot, f"/editevent {number} titel_en=-")
    assert GERMAN in (await bot.send("ella", f"/event {number}")).text


async def test_an_english_office_sees_the_german_title_in_its_preview(bot: Harness) -> None:
    """The office reads the event in its language and, under it, what the other language's
    readers get: an English office's preview had shown the English title twice and the German
    one nowhere."""
    await bot.send("admin", "/language en")
    preview = await bot.send("admin", f"/newevent {samson(bot)}")
    assert ENGLISH in preview.text, preview.text
    assert f"German title: {GERMAN}" in preview.text, preview.text
    assert f"German description: {GERMAN_TEXT}" in preview.text
    assert "English title" not in preview.text
    await bot.press("admin", preview.button("Discard"))
    await bot.send("admin", "/sprache de")
    preview = await bot.send("admin", f"/newevent {samson(bot)}")
    assert f"Englischer Titel: {ENGLISH}" in preview.text
    assert f"Englische Beschreibung: {ENGLISH_TEXT}" in preview.text
    assert "Deutscher Titel" not in preview.text


async def test_the_guided_form_asks_for_the_english_title_and_description(bot: Harness) -> None:
    await bot.onboard("ella", lang="en")
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:excursion")
    asked = await bot.send("admin", GERMAN)
    assert "Und auf Englisch?" in asked.text and "evf:title_en:-" in asked.buttons
    too_long = await bot.send("admin", "x" * 201)
    assert "zu lang" in too_long.text and "Und auf Englisch?" in too_long.text
    await bot.send("admin", ENGLISH)
    await bot.send("admin", typed(days_ahead(bot, 40)))
    for step in ("repeat", "end"):
        await bot.press("admin", f"evf:{step}:-")
    await bot.send("admin", "St. Andreasberg")
    await bot.press("admin", "evf:place_en:-")
    await bot.send("admin", "12")
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    asked = await bot.send("admin", GERMAN_TEXT)
    assert "Beschreibung auf Englisch" in asked.text, asked.text
    await bot.send("admin", ENGLISH_TEXT)
    await bot.press("admin", "evf:offer:-")
    preview = await bot.press("admin", "evf:announce:now")
    assert f"Englischer Titel: {ENGLISH}" in preview.text
    assert f"Englische Beschreibung: {ENGLISH_TEXT}" in preview.text
    await bot.press("admin", preview.button("Speichern"))
    async with bot.db.session() as session:
        (event,) = (await session.execute(select(Event))).scalars()
    assert (event.title_en, event.description_en) == (ENGLISH, ENGLISH_TEXT)
    (announced,) = await sent_to(bot, "ella", "event_announcement")
    assert ENGLISH in announced and ENGLISH_TEXT in announced


async def test_the_guided_form_skips_the_english_description_without_a_description(
    bot: Harness,
) -> None:
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:forum")
    await bot.send("admin", "Stammtisch")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 40)))
    for step in ("repeat", "end", "place", "capacity", "deadline"):
        await bot.press("admin", f"evf:{step}:-")
    await bot.press("admin", "evf:audience:all")
    asked = await bot.press("admin", "evf:description:-")
    assert "Jetzt ankündigen" in asked.text, asked.text  # no English description asked for


async def test_an_english_title_is_checked_and_escaped_as_the_german_one(bot: Harness) -> None:
    await bot.onboard("ella", lang="en")
    start = typed(days_ahead(bot, 40))
    refused = await bot.send(
        "admin", f"/newevent art=forum; titel=Forum; titel_en={'x' * 201}; beginn={start}"
    )
    assert "Der Titel ist zu lang" in refused.text, refused.text
    tagged = f"/newevent art=forum; titel=Forum; titel_en=<b>Forum</b>; beginn={start}"
    assert "„<b>“" in (await bot.send("admin", tagged)).text  # markup is refused, named
    number = await create(bot, f"art=forum; titel=Forum; titel_en=Forum & more <3; beginn={start}")
    shown = await bot.send("ella", f"/event {number}")
    assert "Forum &amp; more &lt;3" in (shown.replies[0].text or "")


async def test_an_english_question_finds_the_event_by_its_english_title(bot: Harness) -> None:
    start = typed(days_ahead(bot, 40))
    for german, english in (
        ("Sommerfest am Institut", "Midsummer Barbecue at the Institute"),
        ("Wiedersehen der Ehemaligen", "Alumni Reunion"),
    ):
        await create(bot, f"art=sonstiges; titel={german}; titel_en={english}; beginn={start}")
    await bot.onboard("ella", lang="en")
    answer = await bot.send("ella", "When is the alumni reunion?")
    assert "The next matching event: Alumni Reunion (no. 2)" in answer.text, answer.text
    answer = await bot.send("ella", "How do I sign up for the midsummer barbecue?")
    assert "To sign up for Midsummer Barbecue at the Institute (no. 1)" in answer.text
    await bot.onboard("gerd", lang="de")
    answer = await bot.send("gerd", "Wann ist das Wiedersehen der Ehemaligen?")
    assert "Wiedersehen der Ehemaligen (Nr. 2)" in answer.text, answer.text


async def test_a_series_gives_its_english_title_to_every_date(bot_any: Harness) -> None:
    bot = bot_any
    await bot.onboard("ella", lang="en")
    start = days_ahead(bot, 3, hour=19, minute=0)
    until = typed(start + timedelta(days=20)).split()[0]
    form = (
        f"art=forum; titel=Stammtisch Clausthal; titel_en=Clausthal Get-together; "
        f"beginn={typed(start)}; wiederholung=wöchentlich bis {until}; ankündigung=nein"
    )
    await confirmed(bot, f"/newevent {form}")
    async with bot.db.session() as session:
        made = list((await session.execute(select(Event))).scalars())
    assert len(made) >= 3 and {e.title_en for e in made} == {"Clausthal Get-together"}
    listed = await bot.send("ella", "/events")
    assert listed.text.count("Clausthal Get-together") == len(made), listed.text


WORDS = {
    "de": {
        "asks_title": "Wie heißt sie auf Deutsch?",
        "asks_description": "Eine kurze Beschreibung auf Deutsch?",
        "warns": "Der deutsche Titel und die deutsche Beschreibung lesen sich englisch",
        "warns_description": "Die deutsche Beschreibung liest sich englisch",
        "use": "Als Englisch übernehmen",
        "moved": "Die englische Fassung steht. Jetzt die deutsche:",
        "save": "Speichern",
        "fields": "titel (deutsch), titel_en (englisch)",
    },
    "en": {
        "asks_title": "What is it called in German?",
        "asks_description": "A short description in German?",
        "warns": "The German title and description read as English",
        "warns_description": "The German description reads as English",
        "use": "Use as English",
        "moved": "The English version is set. Now the German one:",
        "save": "Save",
        "fields": "title (German), title_en (English)",
    },
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_english_typed_as_the_german_texts_is_caught_at_the_preview(
    bot: Harness, lang: str
) -> None:
    """The guided form names the German title and description; typed in English all the
    same, the preview warns that German members would read English, and "Use as English"
    makes them the English ones and asks for the German ones (it had announced them to the
    German members as they were)."""
    say = WORDS[lang]
    await bot.onboard("ella", lang="en")
    await bot.onboard("gerd", lang="de")
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/newevent")
    asked = await bot.press("admin", "evf:kind:excursion")
    assert say["asks_title"] in asked.text, asked.text
    await bot.send("admin", ENGLISH)
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 40)))
    for step in ("repeat", "end", "place", "capacity", "deadline"):
        await bot.press("admin", f"evf:{step}:-")
    asked = await bot.press("admin", "evf:audience:all")
    assert say["asks_description"] in asked.text, asked.text
    await bot.send("admin", ENGLISH_TEXT)
    await bot.press("admin", "evf:description_en:-")
    preview = await bot.press("admin", "evf:announce:now")
    assert say["warns"] in preview.text, preview.text
    moved = await bot.press("admin", preview.button(say["use"]))
    assert say["moved"] in moved.text and say["asks_title"] in moved.text, moved.text
    asked = await bot.send("admin", GERMAN)
    assert say["asks_description"] in asked.text, asked.text
    preview = await bot.send("admin", GERMAN_TEXT)
    assert say["warns"] not in preview.text and ENGLISH in preview.text, preview.text
    assert not any(say["use"] in label for label in _labels(preview))
    await bot.press("admin", preview.button(say["save"]))
    async with bot.db.session() as session:
        (event,) = (await session.execute(select(Event))).scalars()
    assert (event.title, event.title_en) == (GERMAN, ENGLISH)
    assert (event.description, event.description_en) == (GERMAN_TEXT, ENGLISH_TEXT)
    (german,) = await sent_to(bot, "gerd", "event_announcement")
    assert GERMAN in german and GERMAN_TEXT in german and ENGLISH not in german
    (english,) = await sent_to(bot, "ella", "event_announcement")
    assert ENGLISH in english and ENGLISH_TEXT in english


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_one_line_form_names_its_languages_and_warns_too(bot: Harness, lang: str) -> None:
    """The one-line form's fields say which is German and which English; an English
    description as `beschreibung` is warned about, with the same button; a German one not."""
    say = WORDS[lang]
    await bot.send("admin", f"/language {lang}")
    unknown = await bot.send("admin", "/newevent farbe=blau")
    assert say["fields"] in unknown.text, unknown.text
    start = typed(days_ahead(bot, 40))
    form = f"art=workshop; titel=Laborrundgang Freiberg; beginn={start}; beschreibung="
    preview = await bot.send("admin", f"/newevent {form}{ENGLISH_TEXT}")
    assert say["warns_description"] in preview.text, preview.text
    assert preview.button(say["use"])
    await bot.press("admin", preview.button("Verwerfen" if lang == "de" else "Discard"))
    preview = await bot.send("admin", f"/newevent {form}{GERMAN_TEXT}")
    assert say["warns_description"] not in preview.text, preview.text
    assert not any(say["use"] in label for label in _labels(preview))


EDIT_WORDS = {
    "de": {
        "warns_title": "Der deutsche Titel liest sich englisch",
        "warns_description": "Die deutsche Beschreibung liest sich englisch",
        "fix_title": "/terminaendern {number} titel_en=…; titel=…",
        "fix_description": "/terminaendern {number} beschreibung_en=…; beschreibung=…",
        "discard": "Verwerfen",
    },
    "en": {
        "warns_title": "The German title reads as English",
        "warns_description": "The German description reads as English",
        "fix_title": "/editevent {number} title_en=…; title=…",
        "fix_description": "/editevent {number} description_en=…; description=…",
        "discard": "Discard",
    },
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_edit_that_makes_the_german_texts_english_is_warned_about(
    bot: Harness, lang: str
) -> None:
    """/editevent with an English title or description as the German one: the preview warns
    that German members would read English and names the command that puts it right; an
    edit of something else, or a German text, is not warned about."""
    say = EDIT_WORDS[lang]
    start = typed(days_ahead(bot, 40))
    number = await create(bot, f"art=workshop; titel=Laborrundgang Freiberg; beginn={start}")
    await bot.send("admin", f"/language {lang}")
    preview = await bot.send("admin", f"/editevent {number} titel=Lab Tour at Freiberg")
    assert say["warns_title"] in preview.text, preview.text
    assert say["fix_title"].format(number=number) in preview.text, preview.text
    assert say["warns_description"] not in preview.text
    await bot.press("admin", preview.button(say["discard"]))
    preview = await bot.send("admin", f"/editevent {number} beschreibung={ENGLISH_TEXT}")
    assert say["warns_description"] in preview.text, preview.text
    assert say["fix_description"].format(number=number) in preview.text, preview.text
    await bot.press("admin", preview.button(say["discard"]))
    preview = await bot.send("admin", f"/editevent {number} beschreibung={GERMAN_TEXT}")
    assert say["warns_description"] not in preview.text, preview.text
    assert say["warns_title"] not in preview.text


async def test_an_edit_of_another_field_does_not_warn_again(bot: Harness) -> None:
    """A German title that read English when it was made is not warned about at every edit
    of the place: the warning is about what the edit changes."""
    start = typed(days_ahead(bot, 40))
    number = await create(bot, f"art=workshop; titel=Lab Tour at Freiberg; beginn={start}")
    preview = await bot.send("admin", f"/editevent {number} ort=Freiberg")
    assert "liest sich englisch" not in preview.text, preview.text


PLACE = "Bergwerksmuseum, Eingang am Parkplatz"
ENGLISH_PLACE = "Mining museum, entrance at the car park"


@pytest.mark.parametrize("given", [True, False])
@pytest.mark.parametrize(
    ("lang", "command", "asked", "save"),
    [
        ("de", "/neuertermin", "Und der Ort auf Englisch?", "Speichern"),
        ("en", "/newevent", "And the place in English?", "Save"),
    ],
)
async def test_the_guided_form_asks_for_the_english_place_after_the_place(
    bot: Harness, lang: str, command: str, asked: str, save: str, given: bool
) -> None:
    """After the place, the English place is asked, skippable; given, English readers read
    it (the one-line form's ort_en=); skipped, they read the German place."""
    await bot.onboard("ella", lang="en")
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", command)
    await bot.press("admin", "evf:kind:excursion")
    await bot.send("admin", GERMAN)
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 40)))
    for step in ("repeat", "end"):
        await bot.press("admin", f"evf:{step}:-")
    question = await bot.send("admin", PLACE)
    assert asked in question.text, question.text
    assert "evf:place_en:-" in question.buttons, question.buttons
    if given:
        await bot.send("admin", ENGLISH_PLACE)
    else:
        await bot.press("admin", "evf:place_en:-")
    await bot.send("admin", "12")  # the places: not taken for the English place
    await bot.press("admin", "evf:deadline:-")
    await bot.press("admin", "evf:audience:all")
    await bot.press("admin", "evf:description:-")
    await bot.press("admin", "evf:offer:-")
    preview = await bot.press("admin", "evf:announce:no")
    assert (ENGLISH_PLACE in preview.text) == given, preview.text
    await bot.press("admin", preview.button(save))
    async with bot.db.session() as session:
        (event,) = (await session.execute(select(Event))).scalars()
    assert (event.place, event.place_en or "", event.capacity) == (
        PLACE,
        ENGLISH_PLACE if given else "",
        12,
    )
    shown = (await bot.send("ella", f"/event {event.id}")).replies[0].text or ""
    assert (ENGLISH_PLACE if given else PLACE) in shown, shown


async def test_the_guided_form_asks_no_english_place_without_a_place(bot: Harness) -> None:
    await bot.send("admin", "/newevent")
    await bot.press("admin", "evf:kind:forum")
    await bot.send("admin", "Stammtisch")
    await bot.press("admin", "evf:title_en:-")
    await bot.send("admin", typed(days_ahead(bot, 40)))
    for step in ("repeat", "end"):
        await bot.press("admin", f"evf:{step}:-")
    asked = await bot.press("admin", "evf:place:-")
    assert "evf:capacity:-" in asked.buttons, asked.text  # the places next, not the English place
