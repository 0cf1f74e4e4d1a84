"""What waits for a member can be found again: /offen (/pending), offers on /event and /join,
introductions on /requests, and the receipt for a poll vote."""

from __future__ import annotations

import io
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.delivery_worker import DeliveryWorker
from bot.messages import PollVote
from bot.transports.console import ConsoleTransport
from handlers.events.pending import asks_what_waits, waiting_count
from storage import event_store
from storage.events import CONFIRMED, OFFERED, EventSignup
from tests.dates import days_ahead, shown_de
from tests.harness import Harness, fixed_clock
from tests.partners_fixtures import buttons, import_members, outbox
from tests.test_broadcast import FAST
from tests.test_events import create, goslar
from tests.test_partner_walkthrough import states

LAB = "Wir suchen ein Labor für die Analytik von Schwarzmasse"


async def offer_a_place(bot: Harness, *, lang: str = "de") -> tuple[int, str]:
    """An excursion with one place and a 24-hour window: `w` waits, `a` leaves, `w` is offered
    the place. Returns the event number and the offer's end as the member reads it (German)."""
    now = days_ahead(bot, 1, hour=10, minute=0)
    bot.app.services.clock = fixed_clock(now)
    number = await create(bot, goslar(bot, 1) + "; angebot=24")
    await bot.onboard("a")
    await bot.onboard("w", lang=lang)
    await bot.send("a", f"/join {number}")
    await bot.send("w", f"/join {number}")
    await bot.send("a", f"/leave {number}")
    return number, shown_de(now + timedelta(hours=24))


async def count_for(bot: Harness, user: str) -> int:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        return await waiting_count(
            session, member_id=member.id, now=bot.app.services.clock().astimezone(UTC)
        )


async def test_nothing_waiting_is_one_friendly_line(bot: Harness) -> None:
    await bot.onboard("de")
    await bot.onboard("en", lang="en")
    german = await bot.send("de", "/offen")
    assert german.text == (
        "Zurzeit wartet nichts auf Sie – kein Platzangebot, keine Partneranfrage, keine Umfrage. 🙂"
    )
    assert "Nothing is waiting for you right now" in (await bot.send("en", "/pending")).text
    assert "privaten Chat" in (await bot.send("de", "/offen", private=False)).text
    assert await count_for(bot, "de") == 0


@pytest.mark.parametrize(
    ("lang", "asked", "said"),
    [
        ("de", "Gibt es Anfragen für mich?", "Zurzeit wartet nichts auf Sie"),
        ("de", "was wartet auf mich", "Zurzeit wartet nichts auf Sie"),
        ("de", "hab ich neue anfragen?", "Zurzeit wartet nichts auf Sie"),
        ("en", "any partner requests for me?", "Nothing is waiting for you right now"),
        ("en", "anything waiting for me?", "Nothing is waiting for you right now"),
        ("en", "do I have any requests?", "Nothing is waiting for you right now"),
    ],
)
async def test_asked_in_words_what_waits_is_answered_as_offen(
    bot: Harness, lang: str, asked: str, said: str
) -> None:
    await bot.onboard("m", lang=lang)
    assert said in (await bot.send("m", asked)).text


async def test_asked_in_words_an_offered_place_is_listed_with_its_buttons(bot: Harness) -> None:
    await offer_a_place(bot)
    found = await bot.send("w", "Liegt etwas für mich an? Gibt es Angebote für mich?")
    assert "Das wartet auf Sie" in found.text and found.button("Platz annehmen"), found.text


@pytest.mark.parametrize(
    "asked",
    ["Gibt es ein Formular für mich?", "Is the office open for me on Friday?", "Ist das offen?"],
)
def test_other_questions_for_me_are_not_what_waits(asked: str) -> None:
    assert not asks_what_waits(asked)


async def test_an_offered_place_is_found_via_offen_and_taken_from_there(bot_any: Harness) -> None:
    number, until = await offer_a_place(bot_any)
    assert await count_for(bot_any, "w") == 1
    found = await bot_any.send("w", "/offen")
    assert "Das wartet auf Sie" in found.text
    assert "Exkursion nach Goslar" in found.text and f"bis {until} für Sie reserviert" in found.text
    assert found.button("Ablehnen") == f"ev:leave:{number}:list"
    taken = await bot_any.press("w", found.button("Platz annehmen"))
    assert "Platz angenommen" in taken.text
    assert "Sie sind angemeldet" in (await bot_any.send("w", f"/event {number}")).text
    assert "wartet nichts auf Sie" in (await bot_any.send("w", "/offen")).text
    assert await count_for(bot_any, "w") == 0


async def test_declining_an_offered_place_says_it_moves_on_and_the_waitlist_is_left(
    bot: Harness,
) -> None:
    """The member never held the place: "abgemeldet; Ihr Platz ist wieder frei" was wrong.
    The reply says the offer is declined, where the place goes, and that they left the
    waiting list (the sign-up is gone: /event shows them neither signed up nor waiting)."""
    number, _until = await offer_a_place(bot)
    await bot.onboard("z")
    await bot.send("z", f"/join {number}")  # z waits behind w
    found = await bot.send("w", "/offen")
    declined = await bot.press("w", found.button("Ablehnen"))
    assert declined.text == (
        "Sie haben den angebotenen Platz für „Exkursion nach Goslar“ abgelehnt; er geht an die "
        "nächste Person auf der Warteliste. Sie selbst stehen nicht mehr auf der Warteliste."
    )
    assert "abgemeldet" not in declined.text and "Ihr Platz" not in declined.text
    assert await signup_states(bot, "w") == {}
    assert await signup_states(bot, "z") == {number: OFFERED}


async def test_declining_an_offered_place_nobody_waits_for_in_english(bot: Harness) -> None:
    number, _until = await offer_a_place(bot, lang="en")
    declined = await bot.send("w", f"/leave {number}")
    assert declined.text == (
        "You declined the place offered to you for “Exkursion nach Goslar”; nobody else is "
        "waiting, so it is free again. You are no longer on the waiting list yourself."
    )
    assert await signup_states(bot, "w") == {}


async def test_event_shows_accept_and_decline_while_an_offer_stands(bot: Harness) -> None:
    number, until = await offer_a_place(bot)
    shown = await bot.send("w", f"/event {number}")
    assert f"Ihnen ist ein Platz angeboten, reserviert bis {until}." in shown.text
    assert shown.button("Platz annehmen") == f"ev:accept:{number}"
    assert shown.button("Ablehnen") == f"ev:leave:{number}"
    assert f"ev:join:{number}" not in shown.buttons
    # Someone without an offer still gets "Anmelden".
    assert f"ev:join:{number}" in (await bot.send("a", f"/event {number}")).buttons
    declined = await bot.press("w", shown.button("Ablehnen"))
    assert "angebotenen Platz für „Exkursion nach Goslar“ abgelehnt" in declined.text


async def test_event_and_join_in_english_take_the_offered_place(bot: Harness) -> None:
    number, _until = await offer_a_place(bot, lang="en")
    shown = await bot.send("w", f"/event {number}")
    assert "A place is offered to you, held until" in shown.text
    assert shown.button("Take the place") == f"ev:accept:{number}"
    assert shown.button("Decline") == f"ev:leave:{number}"
    joined = await bot.send("w", f"/join {number}")
    assert "Place taken – you are signed up for “Exkursion nach Goslar”" in joined.text
    assert "with the button" not in joined.text
    assert "You are signed up" in (await bot.send("w", f"/event {number}")).text
    assert "Nothing is waiting" in (await bot.send("w", "/pending")).text


async def test_join_takes_an_offered_place_in_german(bot: Harness) -> None:
    number, _until = await offer_a_place(bot)
    joined = await bot.send("w", f"/anmelden {number}")
    assert "Platz angenommen – Sie sind für „Exkursion nach Goslar“ angemeldet." in joined.text
    assert joined.button("In den Kalender") == f"ev:ics:{number}"
    assert "schon angemeldet" in (await bot.send("w", f"/join {number}")).text


async def test_a_partner_request_and_an_introduction_are_found_again(bot_any: Harness) -> None:
    ids = await import_members(bot_any)
    preview = await bot_any.send("req", LAB)
    await bot_any.press("req", preview.button("Ja, senden"))
    # The recipient scrolled past the request: /offen shows it with its buttons and deadline.
    hanna = await bot_any.send("hanna", "/offen")
    assert "Test Kupferhütte GmbH (fiktiv)" in hanna.text and "Analytik" in hanna.text
    assert "Antwort möglich bis" in hanna.text
    assert "req@example.org" not in hanna.text
    await bot_any.press("hanna", hanna.button("Interessiert"))
    assert "wartet nichts" in (await bot_any.send("hanna", "/offen")).text
    # The requester, in English, finds the interest in /pending and in /requests.
    await bot_any.send("req", "/language en")
    pending = await bot_any.send("req", "/pending")
    assert "Waiting for you" in pending.text and "Nordharz Batterielabor (fiktiv)" in pending.text
    assert "You can answer until" in pending.text
    assert pending.button("No, thanks").startswith("pc:no:")
    listed = await bot_any.send("req", "/requests")
    assert "Would like to be introduced: Nordharz Batterielabor (fiktiv)" in listed.text
    assert listed.button("Introduce Nordharz") == pending.button("Yes, introduce us")
    done = await bot_any.press("req", pending.button("Yes, introduce us"))
    assert "introducing you to Nordharz Batterielabor" in done.text
    intros = {m.member_id for m in await outbox(bot_any, "partner_introduction")}
    assert intros == {ids["req"], ids["hanna"]}
    assert "Nothing is waiting" in (await bot_any.send("req", "/pending")).text
    assert "pc:yes" not in " ".join((await bot_any.send("req", "/requests")).buttons)


async def test_requests_offers_vorstellen_in_german(bot: Harness) -> None:
    ids = await import_members(bot)
    preview = await bot.send("req", LAB)
    await bot.press("req", preview.button("Ja, senden"))
    ask = next(m for m in await outbox(bot, "partner_request") if m.member_id == ids["hanna"])
    await bot.press("hanna", next(b for b in buttons(ask) if b.startswith("pi:yes:")))
    listed = await bot.send("req", "/anfragen")
    assert "Möchte vorgestellt werden: Nordharz Batterielabor (fiktiv)" in listed.text
    done = await bot.press("req", listed.button("Nordharz Batterielabor (fiktiv) vorstellen"))
    assert (
        "Prima! Ich stelle Sie einander vor – Sie und „Nordharz Batterielabor (fiktiv)“"
        in done.text
    )


async def test_open_polls_are_listed_and_a_vote_gets_a_receipt_only_in_private(
    bot: Harness,
) -> None:
    await bot.onboard("v1")
    await bot.onboard("v2", lang="en")
    number = await create(bot, goslar(bot, 5))
    shown = await bot.send("admin", f"/eventpoll {number} Welcher Tag passt? | Dienstag | Mittwoch")
    await bot.press("admin", shown.button("Senden"))
    listed = await bot.send("v1", "/offen")
    assert "Umfrage zu „Exkursion nach Goslar“" in listed.text and "Antwort an" in listed.text
    poll = next(r.poll for r in listed.replies if r.poll is not None)
    assert poll.poll_key == f"ev:{number}:dates" and poll.options == ("Dienstag", "Mittwoch")
    voted = await bot.send("v1", vote=PollVote(poll.poll_key, (1,)))
    assert voted.text == "Danke! Ihre Antwort auf „Welcher Tag passt?“: Mittwoch"
    assert "wartet nichts" in (await bot.send("v1", "/offen")).text
    withdrawn = await bot.send("v1", vote=PollVote(poll.poll_key, ()))
    assert "zurückgenommen" in withdrawn.text
    # In a group a vote is counted without a word.
    assert (await bot.send("v1", vote=PollVote(poll.poll_key, (0,)), private=False)).replies == []
    english = await bot.send("v2", vote=PollVote(poll.poll_key, (0,)))
    assert english.text == "Thanks! Your answer to “Welcher Tag passt?”: Dienstag"
    assert (await bot.send("v2", vote=PollVote(poll.poll_key, (1,)), private=False)).replies == []
    results = await bot.send("admin", f"/pollresults {number}")
    assert "Dienstag: 1" in results.text and "Mittwoch: 1" in results.text


async def offered(bot: Harness, user: str, titles: list[str]) -> list[int]:
    """A place on each of these excursions offered to `user` (as if freed for them from the
    waitlist), the first title's offer running out first; their numbers."""
    member = await bot.member(user)
    assert member is not None
    now = bot.app.services.clock()
    numbers = []
    async with bot.db.session() as session:
        for days, title in enumerate(titles, 1):
            event = await event_store.create_event(
                session,
                kind="excursion",
                title=title,
                starts_at=now + timedelta(days=30 + days),
                capacity=1,
            )
            event.taken = event.arrivals = 1
            session.add(
                EventSignup(
                    event_id=event.id,
                    member_id=member.id,
                    status=OFFERED,
                    position=1,
                    offer_expires_at=now + timedelta(days=days),
                )
            )
            numbers.append(event.id)
    return numbers


async def signup_states(bot: Harness, user: str) -> dict[int, str]:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        rows = await session.scalars(select(EventSignup).where(EventSignup.member_id == member.id))
        return {row.event_id: row.status for row in rows}


async def typed_console(
    bot: Harness, user: str, files: Path
) -> tuple[ConsoleTransport, io.StringIO]:
    """The member at the console demo: typed numbers press the latest choices."""
    out = io.StringIO()
    console = ConsoleTransport(user_id=user, out=out, files_dir=files)
    await console.start(bot.app.dispatcher.handle)
    return console, out


async def test_after_taking_a_place_from_offen_the_other_items_answer_their_numbers(
    bot: Harness, tmp_path: Path
) -> None:
    """At the console: "1" takes the first place offered; its reply's own buttons are numbered
    on after the list's ("[7] Abmelden"), and the other items' numbers still answer them.
    The reply's "In den Kalender" had replaced the list's choices: "4" pressed nothing."""
    await import_members(bot)
    preview = await bot.send("req", LAB)
    await bot.press("req", preview.button("Ja, senden"))
    hettstedt, _freiberg = await offered(
        bot, "hanna", ["Haldenbegehung Hettstedt", "Werkstattgespräch Freiberg"]
    )
    console, out = await typed_console(bot, "hanna", tmp_path)
    await console.feed("/offen")
    listed = out.getvalue()
    assert "  [4] Ablehnen" in listed and "  [6] Nicht für mich" in listed, listed
    await console.feed("1")
    taken = out.getvalue()[len(listed) :]
    assert "Platz angenommen" in taken and "Hettstedt" in taken, taken
    assert "  [7] Abmelden\n  [8] In den Kalender" in taken, taken
    for number in ("1", "4", "5", "8"):  # "1" again: refused, and the numbers stay
        await console.feed(number)
    after = out.getvalue()[len(listed) :]
    assert "kein (gültiges) Platzangebot" in after, after
    assert "keine Auswahl" not in after, after
    assert await signup_states(bot, "hanna") == {hettstedt: CONFIRMED}, after
    assert await states(bot) == ["interested"], after
    assert "[file rewimet-event-1.ics" in after, after


async def test_after_declining_a_place_from_pending_the_next_is_taken_by_its_number(
    bot: Harness, tmp_path: Path
) -> None:
    """In English: "2" declines the first place, "3" still takes the second (the decline's
    reply had cleared the choices); nothing in the list waits after it, so its own buttons
    are numbered from 1."""
    await bot.onboard("w", lang="en")
    _hettstedt, freiberg = await offered(
        bot, "w", ["Haldenbegehung Hettstedt", "Werkstattgespräch Freiberg"]
    )
    console, out = await typed_console(bot, "w", tmp_path)
    for typed in ("/pending", "2", "3"):
        await console.feed(typed)
    shown = out.getvalue()
    assert "You declined the place offered to you for “Haldenbegehung Hettstedt”" in shown, shown
    assert "Place taken – you are signed up for “Werkstattgespräch Freiberg”" in shown, shown
    assert "  [1] Cancel sign-up\n  [2] Add to calendar" in shown, shown
    assert await signup_states(bot, "w") == {freiberg: CONFIRMED}, shown


async def test_after_a_poll_in_offen_is_answered_by_number_the_offer_still_is(
    bot: Harness, tmp_path: Path
) -> None:
    """The vote's receipt keeps the list's choices: "1" still takes the place offered (the
    receipt had replaced them), and the poll's other number changes the vote."""
    await bot.onboard("v1")
    number = await create(bot, goslar(bot, 5))
    shown = await bot.send("admin", f"/eventpoll {number} Welcher Tag passt? | Dienstag | Mittwoch")
    await bot.press("admin", shown.button("Senden"))
    [hettstedt] = await offered(bot, "v1", ["Haldenbegehung Hettstedt"])
    console, out = await typed_console(bot, "v1", tmp_path)
    await console.feed("/offen")
    listed = out.getvalue()
    assert "  [3] Dienstag\n  [4] Mittwoch" in listed, listed
    for typed in ("4", "3", "1"):
        await console.feed(typed)
    after = out.getvalue()[len(listed) :]
    assert "Ihre Antwort auf „Welcher Tag passt?“: Mittwoch" in after, after
    assert "Ihre Antwort auf „Welcher Tag passt?“: Dienstag" in after, after
    assert "Platz angenommen" in after and "keine Auswahl" not in after, after
    assert await signup_states(bot, "v1") == {hettstedt: CONFIRMED}, after


async def introduction_and_offer_waiting(bot: Harness, tmp_path: Path, *, lang: str):
    """`req` (speaking `lang`) has an interested member to say yes to and a place offered,
    and sits at the console demo, whose deliveries arrive there too."""
    ids = await import_members(bot)
    preview = await bot.send("req", LAB)
    await bot.press("req", preview.button("Ja, senden"))
    ask = next(m for m in await outbox(bot, "partner_request") if m.member_id == ids["hanna"])
    await bot.press("hanna", next(b for b in buttons(ask) if b.startswith("pi:yes:")))
    await bot.send("req", f"/language {lang}")
    [hettstedt] = await offered(bot, "req", ["Haldenbegehung Hettstedt"])
    console, out = await typed_console(bot, "req", tmp_path)
    worker = DeliveryWorker(bot.db, {"console": console}, settings=FAST)
    await worker.drain(10)  # what was queued before: hanna's interest
    return console, out, worker, hettstedt


async def test_the_introduction_from_offen_keeps_the_lists_numbers(
    bot: Harness, tmp_path: Path
) -> None:
    """Typed "3" (Ja, vorstellen) introduces; the contact details that the outbox brings after it
    had cleared the list's numbers, and "1" then "wählt hier nichts"."""
    console, out, worker, hettstedt = await introduction_and_offer_waiting(bot, tmp_path, lang="de")
    await console.feed("/offen")
    listed = out.getvalue()
    assert "  [1] Platz annehmen" in listed and "  [3] Ja, vorstellen" in listed, listed
    await console.feed("3")
    await worker.drain(10)
    assert "Kontakt: hanna@example.org" in out.getvalue()[len(listed) :], out.getvalue()
    await console.feed("1")
    after = out.getvalue()[len(listed) :]
    assert "Platz angenommen" in after and "wählt hier nichts" not in after, after
    assert await signup_states(bot, "req") == {hettstedt: CONFIRMED}, after


async def test_typed_introduce_us_then_take_the_place_in_english(
    bot: Harness, tmp_path: Path
) -> None:
    console, out, worker, hettstedt = await introduction_and_offer_waiting(bot, tmp_path, lang="en")
    await console.feed("/pending")
    listed = out.getvalue()
    await console.feed("Yes, introduce us")
    await worker.drain(10)
    assert "Contact: hanna@example.org" in out.getvalue()[len(listed) :], out.getvalue()
    await console.feed("Take the place")
    after = out.getvalue()[len(listed) :]
    assert "Place taken" in after and "is a button above" not in after, after
    assert await signup_states(bot, "req") == {hettstedt: CONFIRMED}, after
    assert await states(bot) == ["introduced"], after


async def test_a_typed_number_and_typed_button_words_point_the_same_way(bot: Harness) -> None:
    """Buttons not pressed by what was typed (tapped on Telegram, or their numbers cleared by
    a message that came in between): "1" had been told to use the buttons, "Platz annehmen"
    to use its number; both now end on the same way out, /offen showing the list again."""
    await bot.onboard("w")
    await offered(bot, "w", ["Haldenbegehung Hettstedt"])
    await bot.send("w", "/offen")
    number = (await bot.send("w", "1")).text
    words = (await bot.send("w", "Platz annehmen")).text
    assert number.startswith("„1“ wählt hier nichts"), number
    assert words.startswith("„Platz annehmen“ ist eine Schaltfläche oben"), words
    again = "noch einmal (was auf Sie wartet: /offen), oder Sie stellen Ihre Frage neu."
    assert number.endswith(again) and words.endswith(again), (number, words)


async def test_a_typed_number_and_typed_button_words_agree_in_english(bot: Harness) -> None:
    await bot.onboard("w", lang="en")
    await offered(bot, "w", ["Haldenbegehung Hettstedt"])
    await bot.send("w", "/pending")
    number = (await bot.send("w", "2")).text
    words = (await bot.send("w", "Decline")).text
    assert number.startswith("“2” chooses nothing here"), number
    assert words.startswith("“Decline” is a button above"), words
    again = "again (what waits for you: /pending), or ask your question again."
    assert number.endswith(again) and words.endswith(again), (number, words)


async def listing_when_news_comes(bot: Harness, tmp_path: Path, user: str, command: str):
    """`user`, at the console demo, has a place offered and its list open (`command`) when an
    admin's broadcast is sent: the delivery worker brings it (told to the dispatcher, as the
    app wires it)."""
    [hettstedt] = await offered(bot, user, ["Haldenbegehung Hettstedt"])
    console, out = await typed_console(bot, user, tmp_path)
    await console.feed(command)
    await bot.send("admin", "/broadcast")
    asked = await bot.send("admin", "Sommerfest im Bergwerksmuseum am 4. Juli")
    audience = await bot.press("admin", asked.button("Ohne Bild"))
    preview = await bot.press("admin", audience.button("Alle"))
    await bot.press("admin", preview.button("Senden"))
    shown = bot.app.dispatcher.shown
    worker = DeliveryWorker(bot.db, {"console": console}, settings=FAST, choices=shown)
    return console, out, worker, hettstedt


async def test_a_broadcast_arriving_under_offen_leaves_its_numbers(
    bot: Harness, tmp_path: Path
) -> None:
    """The broadcast answers nothing the member wrote: "1" still takes the place listed (the
    broadcast had cleared the numbers: "1" then "wählt hier nichts")."""
    await bot.onboard("mia")
    console, out, worker, hettstedt = await listing_when_news_comes(bot, tmp_path, "mia", "/offen")
    await worker.drain(10)
    listed = out.getvalue()
    assert "  [1] Platz annehmen" in listed and "Sommerfest im Bergwerksmuseum" in listed, listed
    await console.feed("1")
    after = out.getvalue()[len(listed) :]
    assert "Platz angenommen" in after and "wählt hier nichts" not in after, after
    assert await signup_states(bot, "mia") == {hettstedt: CONFIRMED}, after


async def test_a_broadcast_arriving_under_pending_leaves_its_buttons_words(
    bot: Harness, tmp_path: Path
) -> None:
    """In English, typing the button's words after the broadcast: they still take the place
    (they had been "a button above, pick it by its number", whose number chose nothing)."""
    await bot.onboard("max", lang="en")
    console, out, worker, hettstedt = await listing_when_news_comes(
        bot, tmp_path, "max", "/pending"
    )
    await worker.drain(10)
    listed = out.getvalue()
    assert "  [1] Take the place" in listed and "Sommerfest im Bergwerksmuseum" in listed, listed
    await console.feed("Take the place")
    after = out.getvalue()[len(listed) :]
    assert "Place taken" in after and "is a button above" not in after, after
    assert await signup_states(bot, "max") == {hettstedt: CONFIRMED}, after


async def request_arriving_under_offen(bot: Harness, tmp_path: Path, *, lang: str):
    """`hanna` (speaking `lang`) has a place offered and /offen open when a partner request
    with buttons is delivered to her."""
    await import_members(bot)
    await bot.send("hanna", f"/language {lang}")
    [hettstedt] = await offered(bot, "hanna", ["Haldenbegehung Hettstedt"])
    console, out = await typed_console(bot, "hanna", tmp_path)
    await console.feed("/offen")
    preview = await bot.send("req", LAB)
    await bot.press("req", preview.button("Ja, senden"))
    shown = bot.app.dispatcher.shown
    worker = DeliveryWorker(bot.db, {"console": console}, settings=FAST, choices=shown)
    await worker.drain(10)
    return console, out, hettstedt


async def test_a_delivered_request_with_buttons_numbers_its_own(
    bot: Harness, tmp_path: Path
) -> None:
    """The request's buttons are the choices now, from 1; the list's words typed still take
    the place, which waits for her and is the only thing waiting with that button (they had
    been "a button above", whose number was the request's; then "keine Auswahl")."""
    console, out, hettstedt = await request_arriving_under_offen(bot, tmp_path, lang="de")
    delivered = out.getvalue()
    assert "  [1] Interessiert\n  [2] Nicht für mich" in delivered, delivered
    await console.feed("Platz annehmen")
    await console.feed("1")
    after = out.getvalue()[len(delivered) :]
    assert "Platz angenommen" in after and "keine Auswahl" not in after, after
    assert "ist eine Schaltfläche oben" not in after, after
    assert await states(bot) == ["interested"], after
    assert await signup_states(bot, "hanna") == {hettstedt: CONFIRMED}, after


async def test_a_delivered_request_with_buttons_numbers_its_own_in_english(
    bot: Harness, tmp_path: Path
) -> None:
    console, out, hettstedt = await request_arriving_under_offen(bot, tmp_path, lang="en")
    delivered = out.getvalue()
    assert "  [1] Interested\n  [2] Not for me" in delivered, delivered
    await console.feed("Take the place")
    await console.feed("Interested")
    after = out.getvalue()[len(delivered) :]
    assert "Place taken" in after and "nothing to choose" not in after, after
    assert "is a button above" not in after, after
    assert await states(bot) == ["interested"], after
    assert await signup_states(bot, "hanna") == {hettstedt: CONFIRMED}, after


async def test_button_words_several_buttons_say_are_told_so(bot: Harness) -> None:
    # walkthrough 2026-12-07: "Interessiert" under /offen with two requests had been told
    # "(sagen zwei dasselbe, wählt nur diese)"
    await bot.onboard("w")
    await offered(bot, "w", ["Haldenbegehung Hettstedt", "Grubenfahrt Sangerhausen"])
    await bot.send("w", "/offen")
    words = (await bot.send("w", "Platz annehmen")).text
    assert words.startswith("„Platz annehmen“ steht oben auf mehreren Schaltflächen"), words
    assert "sagen zwei" not in words
