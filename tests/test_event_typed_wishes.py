"""Signing up and cancelling as members type them on a phone ("ok dann bin ich dabei", "schaff
das am freitag doch nich", "u can give my spot away", "sign me up again"): read as the wish
they are, answered with the event's sign-up or the question whether to cancel, not passed to
the office as a question (which left members unsure whether they were signed up)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from handlers.events import naming
from storage import event_store
from storage.events import Event
from tests.harness import Chat, Harness
from tests.test_event_withdraw_words import ASK_DE, ASK_EN, demo, number_of, places_of

__all__ = ["demo"]

TICKET = ("Ticket", "ticket", "Geschäftsstelle weitergegeben", "passed your question")


async def local_start(bot: Harness, number: int) -> datetime:
    """When event `number` starts, in the network's time zone (as the member reads it)."""
    async with bot.db.session() as session:
        event = await session.get(Event, number)
        assert event is not None
        return event.starts_at.astimezone(bot.app.services.settings.network.tz)


def no_ticket(chat: Chat) -> None:
    assert not any(word in chat.text for word in TICKET), chat.text


async def excursion_on_a_friday(bot: Harness, weeks: int, title: str) -> int:
    """An excursion open to everyone on the first Friday `weeks` weeks or more from now."""
    tz = bot.app.services.settings.network.tz
    day = (bot.app.services.clock().astimezone(tz) + timedelta(days=7 * weeks)).date()
    while day.weekday() != 4:
        day += timedelta(days=1)
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=tz)
    async with bot.db.session() as session:
        event = await event_store.create_event(
            session,
            kind="excursion",
            title=title,
            place="Goslar",
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
            capacity=20,
        )
        await session.commit()
        return int(event.id)


@pytest.fixture
async def friday(demo: Harness) -> int:
    """The event "am Freitag" names (the demo's are on Tuesdays to Thursdays)."""
    return await excursion_on_a_friday(demo, 1, "Exkursion zum Wertstoffhof Goslar")


def offers_signup(chat: Chat, number: int, user: str) -> None:
    """The event's sign-up, with its button: "Anmelden für …", "To sign up for …"."""
    no_ticket(chat)
    assert f"ev:join:{number}" in chat.buttons, chat.text
    assert f"{'/anmelden' if user == 'de' else '/join'} {number}" in chat.text, chat.text


def asks_to_cancel(chat: Chat, number: int, user: str) -> None:
    no_ticket(chat)
    assert chat.buttons and chat.buttons[0] == f"ev:leave:{number}", chat.text
    assert f"{'/abmelden' if user == 'de' else '/leave'} {number}" in chat.text, chat.text


# --- "dann bin ich dabei" under an event's sign-up ----------------------------------------


@pytest.mark.parametrize(
    ("user", "shown", "said"),
    [
        ("de", "Wann ist das Forum?", "ok dann bin ich dabei"),
        ("de", "/termin {forum}", "ok dann bin ich dabei"),
        ("de", "/termin {forum}", "bin dabei"),
        ("de", "Wann ist das Forum?", "gut, da bin ich gerne dabei"),
        ("de", "/termin {forum}", "na dann sind wir auch dabei"),
        ("en", "/event {forum}", "ok then i'm in"),
        ("en", "When is the forum?", "cool, count me in then"),
        ("de", "/termin {forum}", "Kann ich nicht doch noch kommen?"),
        ("en", "/event {forum}", "oh nice, i can make it then"),
    ],
)
async def test_coming_said_under_an_events_signup_offers_it(
    demo: Harness, user: str, shown: str, said: str
) -> None:
    forum = await number_of(demo, "forum")
    await demo.send(user, shown.format(forum=forum))
    chat = await demo.send(user, said)
    offers_signup(chat, forum, user)
    yes = await demo.send(user, "ja" if user == "de" else "yes")
    assert await places_of(demo, user) == [forum], yes.text


@pytest.mark.parametrize(
    "said",
    [
        "Bin ich dabei?",
        "warum bin ich nicht dabei?",
        "jetzt bin ich dabei, das Formular auszufüllen",
    ],
)
async def test_asking_whether_one_is_in_signs_nobody_up(demo: Harness, said: str) -> None:
    forum = await number_of(demo, "forum")
    await demo.send("de", f"/termin {forum}")
    chat = await demo.send("de", said)
    assert f"ev:leave:{forum}" not in chat.buttons, chat.text
    assert "Möchten Sie Ihre Anmeldung zurücknehmen" not in chat.text, chat.text
    assert await places_of(demo, "de") == []


# --- cannot come, as typed on a phone -----------------------------------------------------


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "sorry schaff das am freitag doch nich"),
        ("de", "ich packs am freitag leider nicht"),
        ("de", "schaffe es leider nit zur exkursion"),
        ("de", "sorry, schaff's doch nich"),
        ("de", "Sie können meinen Platz gern weitergeben, ich bin krank"),
        ("en", "sry something came up, u can give my spot away"),
        ("en", "cant make it on friday sorry"),
        ("en", "something came up, won't make it to the excursion"),
        ("en", "please give my place to someone else"),
        ("de", "jemand anderes kann gern meinen Platz haben"),
    ],
)
async def test_cannot_come_typed_on_a_phone_asks_whether_to_cancel(
    demo: Harness, friday: int, user: str, said: str
) -> None:
    await demo.press(user, f"ev:join:{friday}")
    chat = await demo.send(user, said)
    asks_to_cancel(chat, friday, user)
    assert await places_of(demo, user) == [friday]  # the message asks; the tap cancels
    await demo.send(user, "ja" if user == "de" else "yes")
    assert await places_of(demo, user) == []


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "warum kann ich nicht kommen?"),
        ("de", "Schaffe ich das nicht mehr rechtzeitig?"),
        ("en", "why can't I come?"),
        ("en", "can I give my spot to a colleague?"),
        ("de", "Kann ich meinen Platz an eine Kollegin weitergeben?"),
        ("de", "super, ich habe meinen Platz bekommen"),
        ("en", "i'm in Goslar that day anyway"),
        ("de", "ich packe am Freitag meine Koffer nicht vor 8"),
    ],
)
async def test_questions_and_other_things_said_do_not_cancel(
    demo: Harness, friday: int, user: str, said: str
) -> None:
    await demo.press(user, f"ev:join:{friday}")
    chat = await demo.send(user, said)
    assert not chat.text.startswith((ASK_DE, ASK_EN)), chat.text
    assert await places_of(demo, user) == [friday]


# --- coming after all ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "hat sich geklärt, bin doch wieder dabei bei der exkursion am freitag"),
        ("de", "alles gut jetzt, ich kann am freitag doch zur exkursion kommen"),
        ("de", "Kann ich nicht doch noch zur Exkursion am Freitag kommen?"),
        ("en", "ok nvm i can come after all, sign me up again for friday"),
        ("en", "never mind, I can make it to the excursion on friday after all"),
        ("en", "nvm, put me back on the list for the excursion"),
    ],
)
async def test_coming_after_all_offers_the_signup_again(
    demo: Harness, friday: int, user: str, said: str
) -> None:
    await demo.press(user, f"ev:join:{friday}")
    await demo.press(user, f"ev:leave:{friday}")
    chat = await demo.send(user, said)
    offers_signup(chat, friday, user)


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("en", "I don't know if I can come to the excursion"),
        ("de", "ob ich zur Exkursion kommen kann, weiß ich noch nicht"),
    ],
)
async def test_not_knowing_whether_one_can_come_signs_nobody_up(
    demo: Harness, friday: int, user: str, said: str
) -> None:
    chat = await demo.send(user, said)
    assert f"ev:join:{friday}" not in chat.buttons[:1], chat.text


@pytest.mark.parametrize(
    ("user", "before", "said", "told"),
    [
        ("en", "are there any excursions?", "nah nvm i'll come after all", "You are signed up"),
        (
            "de",
            "Welche Exkursionen gibt es?",
            "ach egal, ich komme doch",
            "Sie sind dafür angemeldet",
        ),
        (
            "de",
            "Gibt es eine Exkursion?",
            "ok dann bin ich doch dabei",
            "Sie sind dafür angemeldet",
        ),
    ],
)
async def test_coming_after_all_to_the_one_signed_up_for_says_so(
    demo: Harness, friday: int, user: str, before: str, said: str, told: str
) -> None:
    """Of the events a wish could mean (the excursions just listed), the one the member is
    signed up for is meant ("I'll come after all"): said that they are, not asked which."""
    later = await excursion_on_a_friday(demo, 3, "Exkursion zur Hütte Oker")
    await demo.press(user, f"ev:join:{friday}")
    await demo.send(user, before)
    chat = await demo.send(user, said)
    no_ticket(chat)
    assert "Which event" not in chat.text and "Welche Veranstaltung" not in chat.text, chat.text
    assert told in chat.text and "Wertstoffhof" in chat.text, chat.text
    assert f"ev:leave:{friday}" in chat.buttons, chat.text
    assert await places_of(demo, user) == [friday]
    # signed up for neither, which one is asked
    await demo.press(user, f"ev:leave:{friday}")
    await demo.send(user, before)
    chat = await demo.send(user, said)
    assert {f"ev:join:{friday}", f"ev:join:{later}"} <= set(chat.buttons), chat.text


@pytest.mark.parametrize(
    ("user", "said", "told"),
    [
        ("en", "nah nvm i'll come after all", "You are signed up for it"),
        ("de", "ach, ich komme doch", "Sie sind dafür angemeldet"),
    ],
)
async def test_coming_after_all_with_nothing_before_names_the_one_signed_up_for(
    demo: Harness, friday: int, user: str, said: str, told: str
) -> None:
    """Said with nothing before it (a new session), of all that is coming the one event the
    member is signed up for is meant; signed up for none, nothing is offered to sign up."""
    await demo.press(user, f"ev:join:{friday}")
    await demo.send(user, "/help")
    chat = await demo.send(user, said)
    no_ticket(chat)
    assert told in chat.text and "Wertstoffhof" in chat.text, chat.text
    assert f"ev:leave:{friday}" in chat.buttons, chat.text
    other = "de" if user == "en" else "en"
    await demo.send(other, "/help")
    chat = await demo.send(other, "ich komme doch" if other == "de" else "i'll come after all")
    assert "ev:join" not in " ".join(chat.buttons), chat.text


# --- colloquial verb forms without their -e under an event's details -------------------------


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "meld mich da bitte an"),
        ("de", "meld mich dafür an"),
        ("de", "ok, trag mich bitte ein"),
        ("de", "trag mich da ein"),
        ("de", "dann meld ich mich an"),
        # with the -e, as before
        ("de", "melde mich da bitte an"),
        ("de", "ich trage mich ein"),
        ("de", "melde mich an"),
        ("de", "ich melde mich an"),
        ("en", "pls sign me up for it"),
    ],
)
async def test_signing_up_said_colloquially_under_an_events_details_offers_it(
    demo: Harness, user: str, said: str
) -> None:
    forum = await number_of(demo, "forum")
    await demo.send(user, f"{'/termin' if user == 'de' else '/event'} {forum}")
    offers_signup(await demo.send(user, said), forum, user)


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("meld mich bitte an", True),
        ("trag uns ein, danke", True),
        ("dann melde ich mich an", True),
        # asking how, or whether: no wish to sign up
        ("wie meld ich mich an", False),
        ("Wo trage ich mich ein?", False),
        ("ob ich mich noch anmelde", False),
        ("meld mich da ab", False),
    ],
)
def test_signing_up_in_colloquial_verb_forms_is_a_wish(text: str, wish: bool) -> None:
    assert naming.says_to_sign_up(text) is wish, text


@pytest.mark.parametrize(
    "said", ["ok dann meld mich mal an fürs forum", "melde mich an zum Forum bitte"]
)
async def test_signing_up_with_what_for_after_the_particle_offers_it(
    demo: Harness, said: str
) -> None:
    """Walkthrough 2026-12-08: "ok dann meld mich mal an fürs symposium" had got the FAQ's
    entry on the symposium ("Die Einladung mit Anmeldung kommt hier im Bot"), read as done."""
    forum = await number_of(demo, "forum")
    offers_signup(await demo.send("de", said), forum, "de")


# --- a wish naming the event by its number ------------------------------------------------


@pytest.mark.parametrize(
    ("user", "said", "told"),
    [
        ("de", "ich moechte mich fuer nummer {n} anmelden", "✅ Sie sind für „"),
        ("de", "anmelden fuer nr {n}", "✅ Sie sind für „"),
        ("de", "Bitte melden Sie mich für Nr. {n} an", "✅ Sie sind für „"),
        ("de", "für #{n} anmelden bitte", "✅ Sie sind für „"),
        ("en", "sign me up for number {n}", "✅ You are signed up for “"),
        ("en", "I'd like to register for no. {n}", "✅ You are signed up for “"),
        ("en", "please register me for event #{n}", "✅ You are signed up for “"),
    ],
)
async def test_a_wish_naming_the_events_number_signs_up_as_the_command_does(
    demo: Harness, friday: int, user: str, said: str, told: str
) -> None:
    """The walkthrough's member typed "ich moechte mich fuer nummer 2 anmelden" and was shown
    how signing up works (by title, "fuers forum anmelden", it had worked)."""
    chat = await demo.send(user, said.format(n=friday))
    no_ticket(chat)
    assert chat.text.startswith(told), chat.text
    assert f"ev:leave:{friday}" in chat.buttons, chat.text
    assert await places_of(demo, user) == [friday]


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "Wie melde ich mich für Nummer {n} an?"),
        ("en", "can I register for no. {n}?"),
    ],
)
async def test_a_question_naming_the_events_number_offers_its_signup(
    demo: Harness, friday: int, user: str, said: str
) -> None:
    chat = await demo.send(user, said.format(n=friday))
    no_ticket(chat)
    assert f"ev:join:{friday}" in chat.buttons, chat.text
    assert await places_of(demo, user) == []  # asked, not signed up: the tap or "ja" does
    await demo.send(user, "ja" if user == "de" else "yes")
    assert await places_of(demo, user) == [friday]


@pytest.mark.parametrize(
    ("user", "said", "unknown"),
    [
        ("de", "ich möchte mich für Nummer {n} anmelden", "Unter der Nummer {n} kann ich Ihnen"),
        ("en", "sign me up for number {n}", "I cannot show you an event with the number {n}"),
    ],
)
async def test_a_wish_naming_a_number_no_event_has_is_refused_as_the_command_is(
    demo: Harness, user: str, said: str, unknown: str
) -> None:
    for number in (999, await number_of(demo, "excursion")):  # none, and young professionals'
        command = await demo.send(user, f"{'/anmelden' if user == 'de' else '/join'} {number}")
        chat = await demo.send(user, said.format(n=number))
        assert chat.text == command.text, chat.text
        assert unknown.format(n=number) in chat.text, chat.text
    assert await places_of(demo, user) == []


async def test_a_wish_naming_a_full_events_number_puts_on_the_waiting_list(
    demo: Harness, friday: int
) -> None:
    async with demo.db.session() as session:
        event = await session.get(Event, friday)
        assert event is not None
        event.capacity = 1
        await session.commit()
    await demo.onboard("ben", lang="de")
    await demo.press("ben", f"ev:join:{friday}")
    chat = await demo.send("de", f"Ich möchte mich für Nr. {friday} anmelden")
    assert "ausgebucht" in chat.text and "Platz 1 der Warteliste" in chat.text, chat.text


@pytest.mark.parametrize(
    "said",
    [
        "meine Mitgliedsnummer ist 12345, wie melde ich mich an?",
        "my member number is 4711, how do I sign up for events?",
    ],
)
async def test_another_number_is_no_event(demo: Harness, said: str) -> None:
    chat = await demo.send("de", said)
    assert "12345" not in chat.text and "4711" not in chat.text, chat.text


@pytest.mark.parametrize(
    ("user", "command", "typed", "told"),
    [
        ("de", "/anmelden", "das am {d}. {month_de}", "✅ Sie sind für „"),
        ("en", "/join", "the one on {d} {month_en}", "✅ You are signed up for “"),
        ("de", "/anmelden", "das Symposium", "✅ Sie sind für „"),
        ("en", "/join", "the symposium please", "✅ You are signed up for “"),
        # its month alone; the first words of its button, cut in the list (walkthrough
        # 2026-12-06: a ticket, and "please pick that button above")
        ("de", "/anmelden", "{month_de}", "✅ Sie sind für „"),
        ("de", "/anmelden", "das im {month_de}", "✅ Sie sind für „"),
        ("en", "/join", "{month_en}", "✅ You are signed up for “"),
        ("en", "/join", "REWIMET Symposium", "✅ You are signed up for “"),
        ("de", "/anmelden", "REWIMET", "✅ Sie sind für „"),
        # its day of the month alone (walkthrough 2026-12-06, second round: a ticket)
        ("de", "/anmelden", "das am {d}.", "✅ Sie sind für „"),
        ("en", "/join", "the one on the {d}th", "✅ You are signed up for “"),
    ],
)
async def test_a_day_or_name_typed_under_which_event_picks_that_one(
    demo: Harness, user: str, command: str, typed: str, told: str
) -> None:
    """ "Welche Veranstaltung meinen Sie?" answered with the day or the name of one of them
    signs up for that one, as its button does (walkthroughs: a day had become an office
    ticket, a name the FAQ's entry on the event)."""
    from babel.dates import get_month_names

    symposium = await number_of(demo, "symposium")
    local = await local_start(demo, symposium)
    asked = await demo.send(user, command)
    assert f"ev:join:{symposium}" in asked.buttons, asked.text
    said = typed.format(
        d=local.day,
        month_de=get_month_names("wide", locale="de")[local.month],
        month_en=get_month_names("wide", locale="en")[local.month],
    )
    chat = await demo.send(user, said)
    no_ticket(chat)
    assert chat.text.startswith(told), chat.text
    assert await places_of(demo, user) == [symposium]


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "Ich möchte mich anmelden"),
        ("de", "ich würde mich gern anmelden"),
        ("en", "I want to sign up"),
        ("en", "sign me up please"),
    ],
)
async def test_a_wish_to_sign_up_naming_nothing_asks_for_which_event(
    demo: Harness, user: str, said: str
) -> None:
    """As /anmelden alone does (walkthrough 2026-12-06: the FAQ's topics, the symposium's
    first); the member then picks, nothing is signed up before."""
    symposium = await number_of(demo, "symposium")
    local = await local_start(demo, symposium)
    chat = await demo.send(user, said)
    no_ticket(chat)
    assert f"ev:join:{symposium}" in chat.buttons, chat.text
    # each with its date, as /termine lists it (the buttons' titles are cut)
    assert local.strftime("%d.%m.%Y" if user == "de" else "%Y-%m-%d") in chat.text, chat.text
    assert not any(b.startswith("faq:") for b in chat.buttons), chat.text
    assert await places_of(demo, user) == []


@pytest.mark.parametrize(
    ("user", "said", "answer"),
    [
        ("de", "Ich möchte mich als Mitglied anmelden", "Mitglied"),
        ("de", "Ich möchte mich für den Newsletter anmelden", "/neuigkeiten"),
        ("en", "I'd like to sign up for the newsletter", "/news"),
    ],
)
async def test_a_wish_to_sign_up_for_something_else_is_not_about_events(
    demo: Harness, user: str, said: str, answer: str
) -> None:
    chat = await demo.send(user, said)
    assert answer in chat.text, chat.text
    assert not any(b.startswith("ev:join") for b in chat.buttons), chat.text


@pytest.mark.parametrize(
    ("user", "command", "typed", "told"),
    [
        ("de", "/anmelden", "das Symposium und das Forum", "✅ Sie sind für „"),
        ("en", "/join", "the symposium and the forum please", "✅ You are signed up for “"),
    ],
)
async def test_two_events_named_under_which_event_both_are_picked(
    demo: Harness, user: str, command: str, typed: str, told: str
) -> None:
    """Walkthrough 2026-12-06: naming two of the list had got the FAQ's topics."""
    symposium, forum = await number_of(demo, "symposium"), await number_of(demo, "forum")
    await demo.send(user, command)
    chat = await demo.send(user, typed)
    no_ticket(chat)
    assert chat.text.count(told) == 2, chat.text
    assert await places_of(demo, user) == sorted([symposium, forum])


async def test_a_comma_and_please_after_the_day_still_picks_it(demo: Harness) -> None:
    symposium = await number_of(demo, "symposium")
    local = await local_start(demo, symposium)
    await demo.send("de", "/anmelden")
    chat = await demo.send("de", f"das am {local.day}.{local.month}., bitte")
    no_ticket(chat)
    assert await places_of(demo, "de") == [symposium], chat.text


@pytest.mark.parametrize(("user", "mark"), [("de", " · ✅ angemeldet"), ("en", " · ✅ signed up")])
async def test_which_event_marks_the_ones_already_signed_up_for(
    demo: Harness, user: str, mark: str
) -> None:
    """Walkthrough 2026-12-06: the list did not say which one the member was in already."""
    symposium, forum = await number_of(demo, "symposium"), await number_of(demo, "forum")
    await demo.send(user, f"/{'anmelden' if user == 'de' else 'join'} {symposium}")
    chat = await demo.send(
        user, "Ich möchte mich anmelden" if user == "de" else "I want to sign up"
    )
    lines = {line.split(" · ")[0]: line for line in chat.text.splitlines()}
    assert lines[str(symposium)].endswith(mark), chat.text
    assert mark not in lines[str(forum)], chat.text


@pytest.mark.parametrize(
    ("user", "details", "said"),
    [("de", "/termin {n}", "Ich möchte mich anmelden"), ("en", "/event {n}", "I want to sign up")],
)
async def test_a_wish_to_sign_up_under_an_events_details_is_for_that_event(
    demo: Harness, user: str, details: str, said: str
) -> None:
    """As "ok dann bin ich dabei" is there: that event's sign-up, not the list of all."""
    symposium, forum = await number_of(demo, "symposium"), await number_of(demo, "forum")
    await demo.send(user, details.format(n=forum))
    chat = await demo.send(user, said)
    no_ticket(chat)
    assert f"ev:join:{forum}" in chat.buttons, chat.text
    assert f"ev:join:{symposium}" not in chat.buttons, chat.text


async def test_a_question_beside_not_coming_is_answered(demo: Harness) -> None:
    """Walkthrough 2026-12-08: "doch nicht. und wo is das forum?" had got the FAQ's entry on
    the forum (the whole read as cancelling, with nothing to cancel). The question is
    answered; a member signed up for something is asked about that sign-up as well."""
    forum = await number_of(demo, "forum")
    symposium = await number_of(demo, "symposium")
    chat = await demo.send("de", "doch nicht. und wo is das forum?")
    assert f"ev:show:{forum}" in chat.buttons, chat.text
    assert "für keine kommende Veranstaltung angemeldet" not in chat.text, chat.text
    no_ticket(chat)
    await demo.send("de", f"/anmelden {symposium}")
    chat = await demo.send("de", "ich schaff es doch nicht. wann ist das forum?")
    assert f"ev:leave:{symposium}" in chat.buttons and f"ev:show:{forum}" in chat.buttons
    assert symposium in await places_of(demo, "de")  # asked, not cancelled
