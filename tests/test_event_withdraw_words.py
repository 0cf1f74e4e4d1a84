"""A new member's walkthrough of the console demo: cancelling in plain words ("doch nicht",
"count me out") offers the cancellation of one's own events, not the next event or the end of
the membership; signing up "with two colleagues" says that each person signs up on their own
(a sign-up is one member's: there are no guests to book)."""

from __future__ import annotations

import pytest
from babel.dates import get_day_names
from sqlalchemy import select

from bot.demo import DEMO_DIR
from bot.messages import plain_text
from handlers.events import render
from handlers.events.demo import seed_events
from storage import event_store
from storage.events import Event, EventSignup
from tests.harness import Chat, Harness


@pytest.fixture
async def demo(bot: Harness) -> Harness:
    """The demo's events and knowledge base; "de" and "en" are new members."""
    await seed_events(bot.db, now=bot.app.services.clock())
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("de", lang="de")
    await bot.onboard("en", lang="en")
    return bot


def shown(chat: Chat) -> str:
    """What the member reads: the text and the buttons' labels (the FAQ may offer choices)."""
    labels = [plain_text(b.label) for r in chat.replies for row in r.buttons for b in row]
    return "\n".join([chat.text, *labels])


async def event_of(bot: Harness, kind: str) -> Event:
    async with bot.db.session() as session:
        found: Event = (await session.execute(select(Event).where(Event.kind == kind))).scalar_one()
        return found


async def number_of(bot: Harness, kind: str) -> int:
    async with bot.db.session() as session:
        found = await session.execute(select(Event.id).where(Event.kind == kind))
        return int(found.scalar_one())


async def places_of(bot: Harness, user: str) -> list[int]:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        found = await session.execute(
            select(EventSignup.event_id).where(EventSignup.member_id == member.id)
        )
        return sorted(found.scalars())


# The question whether to cancel, with the title after a dash (no article needed before it).
ASK_DE = "Möchten Sie Ihre Anmeldung zurücknehmen – "
ASK_EN = "Do you want to cancel your sign-up – "


@pytest.mark.parametrize(
    ("user", "join", "said", "asked"),
    [
        ("de", "/anmelden Symposium", "doch nicht, termin passt nicht", ASK_DE),
        ("de", "/anmelden Symposium", "bitte wieder abmelden", ASK_DE),
        ("de", "/anmelden Forum", "Ich komme leider doch nicht.", ASK_DE),
        ("de", "/anmelden Forum", "melden Sie mich bitte wieder ab", ASK_DE),
        ("en", "/join symposium", "count me out", ASK_EN),
        ("en", "/join symposium", "never mind, the date does not suit me", ASK_EN),
        ("en", "/join forum", "sorry, I won't be attending after all", ASK_EN),
        ("en", "/join forum", "actually I cant come, cancel pls", ASK_EN),
        ("de", "/anmelden Forum", "kann doch nicht, bitte abmelden thx", ASK_DE),
        ("de", "/anmelden Forum", "ich kann doch nich", ASK_DE),
        ("de", "/anmelden Symposium", "kann leider doch nit", ASK_DE),
        ("en", "/join forum", "i cant make it tho, nvm", ASK_EN),
    ],
)
async def test_saying_one_will_not_come_offers_to_cancel_ones_event(
    demo: Harness, user: str, join: str, said: str, asked: str
) -> None:
    kind = "symposium" if "ymposium" in join else "forum"
    number = await number_of(demo, kind)
    await demo.send(user, join)
    chat = await demo.send(user, said)
    assert (
        asked in chat.text and f"/{'abmelden' if user == 'de' else 'leave'} {number}" in chat.text
    )
    assert chat.buttons[0] == f"ev:leave:{number}", chat.text
    assert "ev:join" not in " ".join(chat.buttons), chat.text
    assert "Anmeldung zu " not in chat.text, chat.text  # the title needs no article
    assert "Mitgliedschaft" not in chat.text and "membership" not in chat.text
    # the message asks; the tap cancels
    assert await places_of(demo, user) == [number]
    left = (await demo.press(user, f"ev:leave:{number}")).text
    assert ("abgemeldet" if user == "de" else "is cancelled") in left, left
    assert await places_of(demo, user) == []


@pytest.mark.parametrize(
    ("user", "stay", "kept"),
    [
        ("de", "doch nicht, bleib angemeldet", "Gut, Sie bleiben für"),
        ("en", "no wait, keep me signed up", "you stay signed up"),
        # a no that says it again leaves nothing behind ("The rest of your message … was not
        # passed on" had followed)
        ("en", "no wait, keep me on the list", "you stay signed up"),
    ],
)
async def test_saying_one_stays_under_the_question_keeps_the_sign_up(
    demo: Harness, user: str, stay: str, kept: str
) -> None:
    # "doch nicht, bleib angemeldet" had been read as the retraction again: asked again
    number = await number_of(demo, "forum")
    await demo.send(user, "/anmelden Forum" if user == "de" else "/join forum")
    asked = await demo.send(user, "kann doch nicht" if user == "de" else "i can't make it")
    assert asked.buttons[0] == f"ev:leave:{number}", asked.text
    said = await demo.send(user, stay)
    assert kept in said.text and "ev:leave" not in " ".join(said.buttons), said.text
    assert "not passed on" not in said.text and "nicht weitergegeben" not in said.text
    assert await places_of(demo, user) == [number]


async def test_the_day_before_cannot_and_a_question_to_cancel_offer_the_events_cancelling(
    demo: Harness,
) -> None:
    """Walkthrough (session 48): "ach mist, am 29. kann ich doch nich. kannst du mich von der
    exkursion wieder abmelden?" had got FAQ choices with the membership's cancelling: "am 29."
    had been a sentence of its own, and "kann ich doch nich." a question."""
    forum = await event_of(demo, "forum")
    await demo.press("de", f"ev:join:{forum.id}")
    tz = demo.app.services.settings.network.tz
    day = event_store.as_utc(forum.starts_at).astimezone(tz).day
    said = f"ach mist, am {day}. kann ich doch nich. kannst du mich vom forum wieder abmelden?"
    chat = await demo.send("de", said)
    assert chat.text.startswith("Sie sind für "), shown(chat)
    assert chat.buttons[0] == f"ev:leave:{forum.id}", shown(chat)
    assert "Mitgliedschaft" not in shown(chat)


@pytest.mark.parametrize(
    ("user", "said", "asked"),
    [
        ("de", "kann leider doch nicht am {day}", "Sie sind für "),
        ("en", "sorry, can't make it on {day}", "You are signed up for "),
    ],
)
async def test_the_day_named_after_cannot_is_the_events(
    demo: Harness, user: str, said: str, asked: str
) -> None:
    """ "am Dienstag" after "kann doch nicht" names the day of the event, not something else
    that cannot be done: the event on that day is offered to cancel; on another day, none."""
    forum = await event_of(demo, "forum")
    await demo.press(user, f"ev:join:{forum.id}")
    tz = demo.app.services.settings.network.tz
    weekday = event_store.as_utc(forum.starts_at).astimezone(tz).weekday()
    days = get_day_names("wide", locale=user)
    chat = await demo.send(user, said.format(day=days[weekday].lower()))
    assert chat.text.startswith(asked), chat.text
    assert chat.buttons[0] == f"ev:leave:{forum.id}", chat.text
    other = await demo.send(user, said.format(day=days[(weekday + 3) % 7].lower()))
    assert f"ev:leave:{forum.id}" not in other.buttons, other.text
    assert render.title_in(user, forum) in other.text, other.text  # what they are signed up for
    assert ("keine Anmeldung von Ihnen" if user == "de" else "no sign-up of yours") in other.text
    assert await places_of(demo, user) == [forum.id]


@pytest.mark.parametrize(
    ("user", "join", "said", "yes", "no", "kept", "left"),
    [
        ("de", "/anmelden Forum", "ich kann doch nicht", "ja", "nein", "bleiben", "abgemeldet"),
        ("en", "/join forum", "count me out", "yes please", "no", "stay signed up", "cancelled"),
    ],
)
async def test_a_typed_yes_answers_the_question_whether_to_cancel(
    demo: Harness, user: str, join: str, said: str, yes: str, no: str, kept: str, left: str
) -> None:
    number = await number_of(demo, "forum")
    await demo.send(user, join)
    asked = await demo.send(user, said)
    # the forum counts no places: nobody waits for one
    assert "Warteliste" not in asked.text and "waiting list" not in asked.text, asked.text
    answered = await demo.send(user, no)
    assert kept in answered.text, answered.text
    assert await places_of(demo, user) == [number]
    await demo.send(user, said)
    answered = await demo.send(user, yes)
    assert left in answered.text, answered.text
    assert await places_of(demo, user) == []
    # a yes with nothing asked is no cancellation of anything
    await demo.send(user, join)
    await demo.send(user, "/events")
    await demo.send(user, yes)
    assert await places_of(demo, user) == [number]


async def test_signed_up_for_several_the_member_chooses_which_to_cancel(demo: Harness) -> None:
    symposium, forum = await number_of(demo, "symposium"), await number_of(demo, "forum")
    for user, join in (("de", "/anmelden"), ("en", "/join")):
        await demo.send(user, f"{join} {symposium}")
        await demo.send(user, f"{join} {forum}")
    german = await demo.send("de", "kann leider nicht")
    assert "Von welcher möchten Sie sich abmelden?" in german.text, german.text
    assert german.buttons == [f"ev:leave:{symposium}", f"ev:leave:{forum}"]
    english = await demo.send("en", "I can't make it after all, sorry")
    assert "Which one do you want to cancel?" in english.text, english.text
    assert english.buttons == [f"ev:leave:{symposium}", f"ev:leave:{forum}"]
    assert "is cancelled" in (await demo.press("en", f"ev:leave:{forum}")).text
    assert await places_of(demo, "en") == [symposium]


async def test_saying_one_cannot_come_while_signed_up_for_nothing_says_so(
    demo: Harness,
) -> None:
    """Not a question for the office: the member is told they hold no sign-up."""
    english = await demo.send("en", "cant come after all, cancel pls")
    assert "You are not signed up for any upcoming event" in english.text, english.text
    german = await demo.send("de", "Ich kann leider doch nicht kommen")
    assert "für keine kommende Veranstaltung angemeldet" in german.text, german.text
    # signing off something named is the FAQ's
    newsletter = await demo.send("de", "Bitte melden Sie mich vom Newsletter ab")
    assert "keine kommende Veranstaltung" not in newsletter.text, newsletter.text


async def test_the_membership_is_offered_only_when_it_is_named(demo: Harness) -> None:
    await demo.send("de", "/anmelden Symposium")
    german = await demo.send("de", "Ich möchte meine Mitgliedschaft abmelden")
    assert "Wie kündige ich die Mitgliedschaft?" in shown(german), german.replies
    assert not any(b.startswith("ev:leave") for b in german.buttons)
    await demo.send("en", "/join symposium")
    english = await demo.send("en", "please cancel my membership")
    assert "How do I cancel our membership?" in shown(english), english.replies
    assert not any(b.startswith("ev:leave") for b in english.buttons)


async def test_not_signed_up_cancelling_words_still_reach_the_faq(demo: Harness) -> None:
    chat = await demo.send("de", "bitte wieder abmelden")
    assert not any(b.startswith("ev:leave") for b in chat.buttons), chat.text


@pytest.mark.parametrize(
    ("user", "said", "told"),
    [
        (
            "de",
            "ich möchte mich auch zum symposium anmelden, mit 2 kollegen",
            "jede Person einzeln",
        ),
        ("en", "I'd like to sign up for the symposium too, with two colleagues", "on their own"),
    ],
)
async def test_signing_up_with_colleagues_says_each_person_signs_up_alone(
    demo: Harness, user: str, said: str, told: str
) -> None:
    symposium = await number_of(demo, "symposium")
    chat = await demo.send(user, said)
    assert told in chat.text, chat.text
    command = "/anmelden" if user == "de" else "/join"
    assert f"({command} {symposium})" in chat.text, chat.text  # how: in their own chat
    assert chat.buttons[0] == f"ev:join:{symposium}"
    await demo.press(user, f"ev:join:{symposium}")
    assert await places_of(demo, user) == [symposium]  # one place: their own


async def test_join_command_with_colleagues_says_each_person_signs_up_alone(
    demo: Harness,
) -> None:
    german = await demo.send("de", "/anmelden Forum mit meiner Kollegin")
    assert "angemeldet" in german.text and "jede Person einzeln" in german.text, german.text
    english = await demo.send("en", "/join forum with two colleagues")
    assert "signed up" in english.text and "on their own" in english.text, english.text
    plain = await demo.send("de", "/anmelden Symposium")
    assert "jede Person" not in plain.text


def told_before_buttons(chat: Chat, told: str) -> None:
    """The line that each person signs up alone is part of the answer: in the reply with the
    buttons or before it, never a reply of its own after them."""
    said = [i for i, reply in enumerate(chat.replies) if told in plain_text(reply.text or "")]
    with_buttons = [i for i, reply in enumerate(chat.replies) if reply.buttons]
    assert said and with_buttons, chat.replies
    assert said[0] <= with_buttons[-1], chat.replies


@pytest.mark.parametrize(
    ("user", "said", "told"),
    [
        ("de", "Kann ich mich mit 3 Kollegen fürs Forum anmelden?", "jede Person einzeln"),
        ("en", "can I register for the forum together with my colleague", "on their own"),
        ("de", "/anmelden Forum mit 2 Kollegen", "jede Person einzeln"),
        ("en", "/join forum with three colleagues", "on their own"),
    ],
)
async def test_the_line_about_colleagues_comes_with_the_sign_up_not_after_its_buttons(
    demo: Harness, user: str, said: str, told: str
) -> None:
    chat = await demo.send(user, said)
    told_before_buttons(chat, told)


@pytest.mark.parametrize(
    ("user", "said", "told"),
    [
        ("de", "/anmelden Forum mit zwei Kolleginnen", "jede Person einzeln"),
        ("de", "/anmelden Forum mit fünf Kollegen", "jede Person einzeln"),
        ("en", "/join forum with seven colleagues", "on their own"),
        ("de", "Ich will mich mit vier Kolleginnen zum Forum anmelden", "jede Person einzeln"),
        ("en", "how do I register for the forum with six colleagues?", "on their own"),
    ],
)
async def test_a_number_written_as_a_word_counts_colleagues_as_a_digit_does(
    demo: Harness, user: str, said: str, told: str
) -> None:
    forum = await number_of(demo, "forum")
    chat = await demo.send(user, said)
    assert told in chat.text, chat.text  # the forum is found, not a title "fünf"
    assert f"ev:join:{forum}" in chat.buttons or await places_of(demo, user) == [forum]


async def test_cancel_typed_under_cancel_sign_up_asks_about_that_button(demo: Harness) -> None:
    """ "cancel" under "Cancel sign-up" with nothing else open had been /cancel's "Cancelled.
    Nothing was changed.", read as if the sign-up were gone while it stood."""
    number = await number_of(demo, "forum")
    await demo.send("en", f"/join {number}")
    said = await demo.send("en", "cancel")
    assert "Cancel sign-up" in said.text and "Nothing was changed" not in said.text, said.text
    assert await places_of(demo, "en") == [number]


async def test_leave_alone_offers_ones_own_sign_ups(demo: Harness) -> None:
    """ "/abmelden" alone had only said how to write it; as "/anmelden" alone offers what is
    open, it offers the member's own sign-ups (none: says so)."""
    none = await demo.send("de", "/abmelden")
    assert "für keine kommende Veranstaltung angemeldet" in none.text, none.text
    forum, symposium = await number_of(demo, "forum"), await number_of(demo, "symposium")
    await demo.send("de", f"/anmelden {forum}")
    await demo.send("de", f"/anmelden {symposium}")
    await demo.send("de", "/meinetermine")
    offered = await demo.send("de", "/abmelden")
    assert "Von welcher Veranstaltung" in offered.text, offered.text
    assert f"ev:leave:{forum}" in offered.buttons and f"ev:leave:{symposium}" in offered.buttons
    await demo.press("de", f"ev:leave:{forum}")
    assert await places_of(demo, "de") == [symposium]
    english = await demo.send("en", "/leave")
    assert "not signed up for any upcoming event" in english.text, english.text


@pytest.mark.parametrize(
    ("user", "join", "said", "calendar"),
    [
        ("de", "/anmelden Symposium", "ich schaffe es leider doch nicht", "Kalender"),
        ("en", "/join forum", "sorry, I have to drop out", "calendar"),
    ],
)
async def test_the_question_whether_to_cancel_offers_no_calendar(
    demo: Harness, user: str, join: str, said: str, calendar: str
) -> None:
    """Under the question whether to cancel stands the button that cancels, not one that
    adds the event to the calendar."""
    await demo.send(user, join)
    chat = await demo.send(user, said)
    assert chat.buttons and chat.buttons[0].startswith("ev:leave:"), chat.text
    assert not any(b.startswith("ev:ics:") for b in chat.buttons), chat.buttons
    assert calendar not in shown(chat), shown(chat)


# --- taking oneself off the list, and the day of the month ----------------------------------


def ordinal(day: int) -> str:
    """ "29th", "23rd", "1st": a day of the month as English writes it."""
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def local_day(bot: Harness, event: Event) -> int:
    tz = bot.app.services.settings.network.tz
    return event_store.as_utc(event.starts_at).astimezone(tz).day


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "meld mich ab"),
        ("de", "sag mich bitte ab"),
        ("de", "storniert bitte meine anmeldung"),
        ("en", "sign me out"),
        ("en", "please unregister me"),
        ("en", "unsubscribe me from the forum"),
    ],
)
async def test_a_separated_verb_of_signing_off_offers_to_cancel_ones_event(
    demo: Harness, user: str, said: str
) -> None:
    """ "meld mich ab", "storniert", "unregister": words of cancelling name nothing that is
    cancelled (they had been read as a title word no event has, and the FAQ offered its
    topics); "unsubscribe" from an event is cancelling it, not the newsletter."""
    forum = await number_of(demo, "forum")
    await demo.press(user, f"ev:join:{forum}")
    chat = await demo.send(user, said)
    assert chat.buttons == [f"ev:leave:{forum}"], shown(chat)
    assert await places_of(demo, user) == [forum]
    # what stands between the verb's parts still names what is cancelled
    newsletter = await demo.send(user, "meld mich vom Newsletter ab")
    assert f"ev:leave:{forum}" not in newsletter.buttons, shown(newsletter)


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "oh mist, da bin ich verreist. bitte mich wieder austragen"),
        ("de", "muss leider passen, streicht mich bitte"),
        ("de", "bitte nehmen Sie mich wieder von der Teilnehmerliste"),
        ("de", "ich kann an dem tag doch nicht, tragen sie mich bitte aus"),
        ("de", "hab leider keine zeit, bitte von der liste streichen"),
        ("en", "something came up, please remove me"),
        ("en", "cross me off the list pls"),
        ("en", "sorry, no time that day after all, take my name off"),
        ("en", "please strike me off, thanks"),
        # asked politely: the wish, not a question for the FAQ
        ("de", "Können Sie mich bitte austragen?"),
        ("de", "Kannst du mich wieder austragen?"),
        ("de", "Könnten Sie mich bitte von der Teilnehmerliste streichen?"),
        ("de", "Würden Sie mich bitte wieder abmelden?"),
        ("en", "Could you take me off the list?"),
        ("en", "can you remove me from it?"),
        ("en", "Would you please cross me off?"),
    ],
)
async def test_taking_oneself_off_the_list_offers_to_cancel_ones_event(
    demo: Harness, user: str, said: str
) -> None:
    """Verbs of taking oneself off a list ("austragen", "streichen", "von der Liste nehmen",
    "remove me", "cross me off") right after a sign-up ask whether to cancel it: not the
    FAQ's answer on leaving the association, nor a question for the office."""
    forum = await number_of(demo, "forum")
    await demo.press(user, f"ev:join:{forum}")
    chat = await demo.send(user, said)
    asked = ASK_DE if user == "de" else ASK_EN
    assert asked in chat.text, shown(chat)
    assert chat.buttons == [f"ev:leave:{forum}"], shown(chat)
    assert "Mitgliedschaft" not in shown(chat) and "membership" not in shown(chat)
    assert "Ticket" not in chat.text and "ticket" not in chat.text, chat.text
    assert await places_of(demo, user) == [forum]  # the message asks; the tap cancels


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("de", "ich hab am {day}. doch keine zeit, bitte austragen"),
        ("de", "den {day}. schaff ich nicht, streichen Sie mich"),
        ("en", "cant do the {nth} after all, remove me please"),
        ("en", "on the {nth} i have no time, cross me off"),
    ],
)
async def test_a_day_of_the_month_names_which_of_ones_events_to_cancel(
    demo: Harness, user: str, said: str
) -> None:
    """Signed up for two events, "am 23." / "the 23rd" is the one on that day of the month;
    naming no day, which one is asked."""
    symposium, forum = await event_of(demo, "symposium"), await event_of(demo, "forum")
    assert local_day(demo, symposium) != local_day(demo, forum)
    await demo.press(user, f"ev:join:{symposium.id}")
    await demo.press(user, f"ev:join:{forum.id}")
    for event in (forum, symposium):
        day = local_day(demo, event)
        chat = await demo.send(user, said.format(day=day, nth=ordinal(day)))
        assert chat.buttons == [f"ev:leave:{event.id}"], shown(chat)
        assert render.title_in(user, event) in chat.text, chat.text
    # no day: which one
    which = await demo.send(user, "bitte wieder austragen" if user == "de" else "remove me pls")
    assert which.buttons == [f"ev:leave:{symposium.id}", f"ev:leave:{forum.id}"], shown(which)
    assert await places_of(demo, user) == sorted([symposium.id, forum.id])


async def test_a_day_of_the_month_none_of_ones_events_is_on_says_so(demo: Harness) -> None:
    forum = await event_of(demo, "forum")
    await demo.press("de", f"ev:join:{forum.id}")
    other = local_day(demo, forum) % 27 + 1
    chat = await demo.send("de", f"am {other}. kann ich leider nicht, bitte streichen")
    assert f"ev:leave:{forum.id}" not in chat.buttons, shown(chat)
    assert "keine Anmeldung von Ihnen" in chat.text, chat.text
    assert render.title_in("de", forum) in chat.text, chat.text


@pytest.mark.parametrize(
    ("user", "said", "entry"),
    [
        ("de", "Wir möchten aus dem Verein austreten", "Wie kündige ich die Mitgliedschaft?"),
        ("de", "bitte unsere Mitgliedschaft kündigen", "Wie kündige ich die Mitgliedschaft?"),
        ("en", "we want to leave the association", "How do I cancel our membership?"),
        # asked politely, or with words of taking oneself off a list
        ("de", "Können Sie mich bitte aus dem Verein austragen?", "Mitgliedschaft"),
        ("de", "bitte tragen Sie mich aus dem Verein aus", "Mitgliedschaft"),
        ("en", "Could you take us off the membership list?", "membership"),
    ],
)
async def test_leaving_the_association_still_gets_the_membership_answer(
    demo: Harness, user: str, said: str, entry: str
) -> None:
    forum = await number_of(demo, "forum")
    await demo.press(user, f"ev:join:{forum}")
    chat = await demo.send(user, said)
    assert entry in shown(chat), shown(chat)
    assert not any(b.startswith("ev:leave") for b in chat.buttons), shown(chat)


@pytest.mark.parametrize(
    ("user", "join", "cancel", "offered", "left"),
    [
        ("de", "/anmelden {n}", "/abbrechen {n}", "Anmeldung nimmt /abmelden {n}", "abgemeldet"),
        ("en", "/join {n}", "/cancel {n}", "/leave {n} cancels a sign-up", "is cancelled"),
    ],
)
async def test_cancel_with_an_event_number_and_nothing_open_offers_to_leave_it(
    demo: Harness, user: str, join: str, cancel: str, offered: str, left: str
) -> None:
    # walkthrough 2026-12-06: "/cancel 1" (the flows' cancel) had said "Nothing was changed"
    number = await number_of(demo, "forum")
    await demo.send(user, join.format(n=number))
    chat = await demo.send(user, cancel.format(n=number))
    assert offered.format(n=number) in chat.text, chat.text
    assert chat.buttons == [f"meant:leave {number}"]
    assert await places_of(demo, user) == [number]  # offered, not done
    said = (await demo.send(user, "ja" if user == "de" else "yes")).text
    assert left in said, said
    assert await places_of(demo, user) == []


async def test_cancel_alone_with_nothing_open_still_says_nothing_was_changed(
    demo: Harness,
) -> None:
    chat = await demo.send("en", "/cancel")
    assert "Cancelled. Nothing was changed." in chat.text and not chat.buttons
