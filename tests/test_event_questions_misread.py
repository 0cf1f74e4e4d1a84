"""Questions about events the bot had read as something else, with invented events and the
demo's knowledge base (it has entries on leaving the association and on the profile's
language, which such questions share words with): a start asked right under a list of events,
whether anything happens on a day or in a month, the language of an event, and colleagues
called by another word."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel.dates import get_month_names
from sqlalchemy import func, select

from bot.demo import DEMO_DIR
from storage import event_store
from storage.events import Event
from storage.faq import FaqTicket
from tests.dates import days_ahead
from tests.harness import Chat, Harness


@pytest.fixture
async def planned(bot: Harness) -> dict[str, Event]:
    """A colloquium in 20 days and a plant visit in 45, with descriptions; "ute" (German)
    and "ray" (English) are members."""
    at = {days: days_ahead(bot, days).astimezone(UTC) for days in (20, 45)}
    events = {
        "colloquium": await bot.add_event(
            kind="symposium",
            title="Kolloquium Edelmetallrückgewinnung",
            title_en="Colloquium on Precious Metal Recovery",
            place="Hörsaal Ostflügel",
            starts_at=at[20],
            description="Vorträge und Diskussion. Die Vorträge werden auf Englisch gehalten.",
            description_en="Talks and discussion. The talks are given in English.",
        ),
        "visit": await bot.add_event(
            kind="excursion",
            title="Werksbesuch Kupferschmelze Elbtal",
            title_en="Visit to the Elbtal Copper Smelter",
            place="Kupferschmelze Elbtal",
            starts_at=at[45],
            capacity=25,
            description="Rundgang durch die Anlage, danach Imbiss.",
            description_en="A walk through the plant, then a snack.",
        ),
    }
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("ute", lang="de")
    await bot.onboard("ray", lang="en")
    return events


def local(bot: Harness, event: Event) -> datetime:
    return event_store.as_utc(event.starts_at).astimezone(bot.app.services.settings.network.tz)


async def tickets(bot: Harness) -> int:
    async with bot.db.session() as session:
        return int((await session.execute(select(func.count()).select_from(FaqTicket))).scalar())


def about_leaving_the_association(chat: Chat) -> bool:
    """Whether a reply gives or offers the demo's entry on cancelling the membership."""
    text = chat.text.lower()
    return "mitgliedschaft" in text or "membership" in text


# --- a start asked right under a list of events --------------------------------------------


@pytest.mark.parametrize(
    ("user", "listing", "asked"),
    [
        ("ute", "/termine", "wann geht's denn los?"),
        ("ute", "/termine", "Ab wann fahren wir ab?"),
        ("ray", "/events", "so when do we leave?"),
        ("ray", "/events", "what time do we depart?"),
    ],
)
async def test_a_start_asked_under_a_list_gives_the_listed_events_starts(
    planned: dict[str, Event], bot: Harness, user: str, listing: str, asked: str
) -> None:
    await bot.send(user, listing)
    reply = await bot.send(user, asked)
    assert not about_leaving_the_association(reply), reply.text
    for event in planned.values():
        title = event.title if user == "ute" else event.title_en
        assert title in reply.text and f"ev:show:{event.id}" in reply.buttons, reply.text
        shown = local(bot, event)
        assert f"{shown:%H}:{shown:%M}" in reply.text, reply.text  # its start time
    assert "welche" in reply.text.lower() or "which" in reply.text.lower(), reply.text
    assert await tickets(bot) == 0


async def test_leaving_the_association_under_a_list_is_still_the_membership(
    planned: dict[str, Event], bot: Harness
) -> None:
    await bot.send("ray", "/events")
    reply = await bot.send("ray", "We would like to leave the association, how does it work?")
    assert about_leaving_the_association(reply), reply.text
    await bot.send("ute", "/termine")
    german = await bot.send("ute", "Wie können wir aus dem Verein austreten?")
    assert about_leaving_the_association(german), german.text


# --- whether anything happens on a day or in a month ---------------------------------------


def month_name(lang: str, number: int) -> str:
    return str(get_month_names("wide", locale=lang)[number])


async def test_whether_anything_is_on_a_day_lists_that_days_event(
    planned: dict[str, Event], bot: Harness
) -> None:
    visit = planned["visit"]
    day = local(bot, visit)
    german = await bot.send("ute", f"Findet am {day.day}.{day.month}. irgendwas statt?")
    assert visit.title in german.text and f"ev:show:{visit.id}" in german.buttons, german.text
    assert planned["colloquium"].title not in german.text, german.text
    english = await bot.send(
        "ray", f"Is something happening on {month_name('en', day.month)} {day.day}?"
    )
    assert visit.title_en in english.text, english.text
    assert planned["colloquium"].title_en not in english.text, english.text
    assert await tickets(bot) == 0


async def test_whether_anything_is_on_a_day_without_events_says_no_and_what_comes(
    planned: dict[str, Event], bot: Harness
) -> None:
    empty = local(bot, planned["colloquium"]).date() + timedelta(days=1)  # nothing on it
    german = await bot.send("ute", f"Passiert am {empty.day}.{empty.month}. etwas?")
    assert "keine" in german.text, german.text
    assert planned["colloquium"].title in german.text, german.text  # the next one, named
    assert not about_leaving_the_association(german)
    english = await bot.send(
        "ray", f"is anything on on {empty.day} {month_name('en', empty.month)}?"
    )
    assert "no " in english.text.lower(), english.text
    assert planned["colloquium"].title_en in english.text, english.text
    assert await tickets(bot) == 0


async def test_whether_anything_is_on_in_a_month_lists_its_events(
    planned: dict[str, Event], bot: Harness
) -> None:
    visit = planned["visit"]
    month = local(bot, visit).month
    german = await bot.send("ute", f"Läuft im {month_name('de', month)} irgendwas?")
    assert visit.title in german.text and f"ev:show:{visit.id}" in german.buttons, german.text
    english = await bot.send("ray", f"Are any events taking place in {month_name('en', month)}?")
    assert visit.title_en in english.text, english.text
    assert await tickets(bot) == 0


# --- colleagues called by another word -------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "asked"),
    [
        ("ray", "Could I bring a coworker along to the symposium?"),
        ("ray", "can my co-worker come with me to the symposium?"),
        ("ray", "Is it ok if a workmate comes along to the symposium?"),
        ("ute", "Darf meine Arbeitskollegin zum Symposium mitkommen?"),
        ("ute", "Kann ich zwei Mitarbeiterinnen zum Symposium mitbringen?"),
    ],
)
async def test_others_called_coworkers_are_told_to_sign_up_themselves(
    planned: dict[str, Event], bot: Harness, user: str, asked: str
) -> None:
    colloquium = planned["colloquium"]
    reply = await bot.send(user, asked)
    each_own = "jede Person einzeln" if user == "ute" else "Each person signs up on their own"
    assert each_own in reply.text, reply.text
    command = f"/anmelden {colloquium.id}" if user == "ute" else f"/join {colloquium.id}"
    assert command in reply.text, reply.text
    assert await tickets(bot) == 0


async def test_signing_up_with_workmates_says_each_signs_up_alone(
    planned: dict[str, Event], bot: Harness
) -> None:
    visit = planned["visit"]
    reply = await bot.send("ray", f"sign me up for no. {visit.id} together with my teammates")
    assert "Each person signs up on their own" in reply.text, reply.text
    german = await bot.send(
        "ute", f"Bitte melden Sie mich und drei Teamkollegen für Nr. {visit.id} an"
    )
    assert "jede Person einzeln" in german.text, german.text


# --- the language of an event -----------------------------------------------------------------


def offers_the_profile_entry(chat: Chat) -> bool:
    """Whether a reply gives or offers the demo's entry on the profile (and the bot's language)."""
    return "Profil" in chat.text or "profile" in chat.text


@pytest.mark.parametrize(
    ("user", "asked", "said"),
    [
        ("ute", "Wird das Symposium auf Englisch gehalten?", "auf Englisch gehalten"),
        ("ray", "what language is the symposium in?", "given in English"),
        ("ray", "Will the talks at the symposium be in English?", "given in English"),
    ],
)
async def test_an_events_language_its_description_says_is_quoted(
    planned: dict[str, Event], bot: Harness, user: str, asked: str, said: str
) -> None:
    reply = await bot.send(user, asked)
    assert said in reply.text, reply.text
    assert not offers_the_profile_entry(reply), reply.text
    assert f"ev:show:{planned['colloquium'].id}" in reply.buttons, reply.buttons
    assert await tickets(bot) == 0  # the office one tap away, not asked unasked


@pytest.mark.parametrize(
    ("user", "asked"),
    [
        ("ute", "Ist die Exkursion in deutscher Sprache?"),
        ("ute", "Welche Sprache spricht man bei der Exkursion?"),
        ("ray", "is the excursion in German?"),
    ],
)
async def test_an_events_language_its_description_does_not_say_goes_to_the_office(
    planned: dict[str, Event], bot: Harness, user: str, asked: str
) -> None:
    visit = planned["visit"]
    reply = await bot.send(user, asked)
    assert not offers_the_profile_entry(reply), reply.text
    assert "Ticket #1" in reply.text or "ticket #1" in reply.text, reply.text
    async with bot.db.session() as session:
        ticket = (await session.execute(select(FaqTicket))).scalar_one()
    title = visit.title if user == "ute" else visit.title_en
    assert ticket.text == asked and title in ticket.context, ticket.context


async def test_the_bots_own_language_is_still_the_profile_entry(
    planned: dict[str, Event], bot: Harness
) -> None:
    await bot.send("ute", f"/termin {planned['visit'].id}")
    reply = await bot.send("ute", "Wie kann ich die Sprache auf Englisch umstellen?")
    assert "/sprache" in reply.text or "Profil" in reply.text, reply.text
    english = await bot.send("ray", "how do I switch the bot's language to German?")
    assert "/language" in english.text, english.text


# --- a young professionals' event, typed by its number by anyone else ---------------------


@pytest.mark.parametrize(
    ("user", "command", "said"),
    [
        ("ute", "/termin {n}", "kann ich Ihnen keine Veranstaltung zeigen"),
        ("ute", "/anmelden {n}", "bestimmten Kreis offen"),
        ("ray", "/event {n}", "cannot show you an event"),
        ("ray", "/join {n}", "open only to a particular group"),
    ],
)
async def test_a_hidden_events_number_is_not_said_to_be_no_event(
    planned: dict[str, Event], bot: Harness, user: str, command: str, said: str
) -> None:
    """Hidden from whoever is no young professional (docs/events.md), as a number no event
    has is: the same answer for both, which claims neither does not exist."""
    hidden = await bot.add_event(
        kind="excursion",
        title="Nachwuchstag Recyclinglabor",
        title_en="Early-Career Day at the Recycling Lab",
        place="Recyclinglabor Süd",
        starts_at=days_ahead(bot, 30).astimezone(UTC),
        audience="yp",
    )
    reply = await bot.send(user, command.format(n=hidden.id))
    assert said in reply.text, reply.text
    assert "gibt es nicht" not in reply.text and "There is no event" not in reply.text
    assert hidden.title not in reply.text and hidden.title_en not in reply.text
    nowhere = await bot.send(user, command.format(n=424242))
    assert nowhere.text == reply.text.replace(str(hidden.id), "424242")


async def test_the_office_is_told_plainly_a_number_is_no_event(
    planned: dict[str, Event], bot: Harness
) -> None:
    await bot.onboard("admin", lang="de")
    reply = await bot.send("admin", "/teilnehmer 424242")
    assert "Eine Veranstaltung mit der Nummer 424242 gibt es nicht" in reply.text, reply.text


async def test_where_to_leave_the_car_is_no_question_where_the_event_is(
    planned: dict[str, Event], bot: Harness
) -> None:
    # parking is what the office (or an entry) says, not the smelter's address alone
    car = await bot.send("ray", "where do I leave my car when I come to the copper smelter visit?")
    assert "Ticket #1" in car.text or "ticket #1" in car.text, car.text
    assert any(p.startswith("faq:of:") for p in car.buttons), car.buttons  # its date beside
    # where the visit is, is its place
    where = await bot.send("ray", "where is the copper smelter visit?")
    assert "Kupferschmelze Elbtal" in where.text, where.text
