"""Asked whether a colleague (a guest, someone) may come along to an event, the member learns
that each person signs up on their own, with the event's sign-up button: the event named, the
one asked about just before, or, naming none, what is coming. Bringing a thing or an animal
("Hund", "laptop") is no sign-up question and stays the FAQ's or the office's."""

from __future__ import annotations

from datetime import UTC

import pytest

from handlers.events import naming
from tests.dates import days_ahead
from tests.harness import Harness
from tests.partners_fixtures import import_members

EACH_DE = "Angemeldet wird jede Person einzeln"
EACH_EN = "Each person signs up on their own"


async def _add(bot: Harness, days: int, **fields: object) -> int:
    return (await bot.add_event(starts_at=days_ahead(bot, days).astimezone(UTC), **fields)).id


@pytest.fixture
async def events(bot: Harness) -> tuple[int, int]:
    """A conference in 40 days and an excursion in 20; "mara" speaks German, "tom" English."""
    conference = await _add(
        bot,
        40,
        kind="symposium",
        title="Fachtagung Rückgewinnung im Kreislauf",
        title_en="Conference on Circular Recovery",
        capacity=60,
    )
    excursion = await _add(
        bot,
        20,
        kind="excursion",
        title="Exkursion Schmelzhütte Talbach",
        title_en="Excursion to the Talbach Smelter",
    )
    await bot.onboard("mara", lang="de")
    await bot.onboard("tom", lang="en")
    return conference, excursion


async def test_bringing_a_colleague_to_a_named_event(bot: Harness, events: tuple[int, int]) -> None:
    conference, _excursion = events
    said = await bot.send("mara", "Kann ich meinen Kollegen zum Symposium mitbringen?")
    assert EACH_DE in said.text and f"/anmelden {conference}" in said.text, said.text
    assert said.button("Anmelden") == f"ev:join:{conference}"

    english = await bot.send("tom", "can I bring a colleague along to the symposium?")
    assert EACH_EN in english.text and f"/join {conference}" in english.text, english.text
    assert english.button("Sign up") == f"ev:join:{conference}"


async def test_the_event_asked_about_just_before(bot: Harness, events: tuple[int, int]) -> None:
    _conference, excursion = events
    await bot.send("mara", "Wann ist die Exkursion?")
    said = await bot.send("mara", "kann ich meinen kollegen mitbringen")
    assert EACH_DE in said.text and f"/anmelden {excursion}" in said.text, said.text
    assert said.button("Anmelden") == f"ev:join:{excursion}"

    await bot.send("tom", "When is the excursion?")
    english = await bot.send("tom", "Can my colleague come along?")
    assert EACH_EN in english.text and f"/join {excursion}" in english.text, english.text


async def test_the_event_talked_about_with_commands_between(
    bot: Harness, events: tuple[int, int]
) -> None:
    """Walkthrough 2026-12-08: after a sign-up, /profil and /meinefragen, "kann ich nen
    kollegen mitbringen?" had got the rule with every event coming: the talk was about one."""
    _conference, excursion = events
    await bot.send("mara", f"/anmelden {excursion}")
    await bot.send("mara", "/profil")
    await bot.send("mara", "/meinefragen")
    said = await bot.send("mara", "kann ich nen kollegen mitbringen?")
    assert EACH_DE in said.text and f"/anmelden {excursion}" in said.text, said.text
    assert "Fachtagung" not in said.text, said.text


async def test_naming_no_event_the_rule_with_what_is_coming(
    bot: Harness, events: tuple[int, int]
) -> None:
    conference, excursion = events
    said = await bot.send("mara", "Darf ich jemanden mitbringen?")
    assert EACH_DE in said.text, said.text
    assert "Fachtagung Rückgewinnung im Kreislauf" in said.text, said.text
    assert {f"ev:show:{conference}", f"ev:show:{excursion}"} <= set(said.buttons)
    english = await bot.send("tom", "Can I bring a guest?")
    assert EACH_EN in english.text and "Conference on Circular Recovery" in english.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("mara", "kann ich meinen Hund mitbringen?"),
        ("tom", "Can I bring my laptop?"),
        ("mara", "Kann ich meine Unterlagen zum Symposium mitbringen?"),
    ],
)
async def test_bringing_things_is_no_sign_up_question(
    bot: Harness, events: tuple[int, int], user: str, text: str
) -> None:
    said = await bot.send(user, text)
    assert EACH_DE not in said.text and EACH_EN not in said.text, said.text
    assert not [p for p in said.buttons if p.startswith("ev:join:")], said.text


async def test_the_offices_own_entry_on_bringing_a_guest_answers_instead(
    bot: Harness, events: tuple[int, int]
) -> None:
    # The office wrote what applies (guests where places remain): its answer, not the rule.
    kb = """
[[faq]]
id = "gaeste"
tags = ["Gast", "guest"]
question.de = ["Darf ich einen Gast zur Exkursion mitbringen?"]
question.en = ["Can I bring a guest on an excursion?"]
answer.de = "Gäste können mitfahren, wenn Plätze frei bleiben."
answer.en = "Guests can come along if places remain."
"""
    await bot.import_kb(kb)
    said = await bot.send("mara", "Darf ich einen Gast zur Exkursion mitbringen?")
    assert "wenn Plätze frei bleiben" in said.text and EACH_DE not in said.text, said.text
    other = await bot.send("mara", "Kann ich meinen Kollegen zum Symposium mitbringen?")
    assert EACH_DE in other.text, other.text


@pytest.mark.parametrize(
    ("user", "asked"),
    [
        ("mara", "kann ich nen kollegen mitbringen der noch kein mitglied ist?"),
        ("mara", "Dürfen auch Nichtmitglieder zur Exkursion mitkommen?"),
        ("mara", "kann ich zum Symposium meine Praktikanten mitbringen? die sind keine Mitglieder"),
        ("tom", "can non-members come too?"),
        ("tom", "can non members come too?"),
        ("tom", "Can I bring a colleague who is not a member?"),
    ],
)
async def test_whether_non_members_may_come_is_not_answered_by_how_to_sign_up(
    bot: Harness, events: tuple[int, int], user: str, asked: str
) -> None:
    # "each signs up in their own chat with this bot" had answered it, saying nothing of
    # whether they may come at all: the network's rule, which the office knows
    said = await bot.send(user, asked)
    assert EACH_DE not in said.text and EACH_EN not in said.text, said.text
    assert "(Ticket #1)" in said.text or "(ticket #1)" in said.text, said.text


async def test_asking_for_a_lift_is_no_such_question(bot: Harness, events: tuple[int, int]) -> None:
    said = await bot.send("mara", "Kann mich jemand zur Exkursion mitnehmen?")
    assert EACH_DE not in said.text, said.text
    # one's own person taken along is bringing them (walkthrough 2026-12-07: a ticket)
    _conference, excursion = events
    for asked in (
        "kann ich meinen azubi zur exkursion mitnehmen?",
        "kann ich nen kollegen zur exkursion mitnehmen?",
        # the verb left out, as it is said (walkthrough 2026-12-07, second round)
        "darf mein chef mit zur exkursion",
        "darf meine kollegin auch zur exkursion?",
    ):
        brought = await bot.send("mara", asked)
        assert EACH_DE in brought.text, (asked, brought.text)
        assert brought.button("Anmelden") == f"ev:join:{excursion}", asked
    assert not naming.asks_to_bring_others("Kann mein Kollege mir auch die Unterlagen schicken?")


async def test_with_no_event_coming_the_question_goes_on_as_before(bot: Harness) -> None:
    await bot.onboard("tom", lang="en")
    said = await bot.send("tom", "Can I bring a guest?")
    assert EACH_EN not in said.text and "ticket #1" in said.text, said.text


@pytest.mark.parametrize(
    "asked", ["kann mein Kollege auch mitkommen?", "darf ich jemanden mitbringen"]
)
async def test_the_event_just_signed_up_for(
    bot: Harness, events: tuple[int, int], asked: str
) -> None:
    """Signed up a moment ago ("ich melde mich zur Exkursion an", then "ja"): a colleague
    coming along is asked about that event, not about everything coming up."""
    _conference, excursion = events
    await bot.send("mara", "ich melde mich zur Exkursion an")
    signed = await bot.send("mara", "ja")
    assert "✅" in signed.text, signed.text
    said = await bot.send("mara", asked)
    assert EACH_DE in said.text and f"/anmelden {excursion}" in said.text, said.text
    assert "Fachtagung" not in said.text, said.text


async def test_the_event_just_shown_in_english(bot: Harness, events: tuple[int, int]) -> None:
    conference, _excursion = events
    await bot.send("tom", f"/event {conference}")
    said = await bot.send("tom", "can my colleague come too?")
    assert EACH_EN in said.text and f"/join {conference}" in said.text, said.text
    assert said.button("Sign up") == f"ev:join:{conference}"
    assert "Did you mean" not in said.text, said.text


async def test_after_a_list_of_events_the_rule_with_what_is_coming(
    bot: Harness, events: tuple[int, int]
) -> None:
    """A list shows several events: none of them is the one meant."""
    conference, excursion = events
    await bot.send("tom", "/events")
    said = await bot.send("tom", "can my colleague come too?")
    assert EACH_EN in said.text, said.text
    assert {f"ev:show:{conference}", f"ev:show:{excursion}"} <= set(said.buttons)


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("mara", "kann ich meinen kollegen jonas mit anmelden?"),
        ("mara", "Kann ich meine Kollegin auch anmelden?"),
        ("mara", "kann ich meine kollegin mitanmelden?"),
        ("mara", "Darf ich mich mit meinem Kollegen zusammen anmelden?"),
        ("mara", "Kann sich meine Kollegin ebenfalls anmelden?"),
        ("tom", "can I register my colleague too?"),
        ("tom", "could I sign up my colleague as well?"),
        ("tom", "can my colleague also register?"),
        # others the member counts or owns: colleagues, students, trainees
        ("mara", "Kann ich meinen Kollegen anmelden?"),
        ("tom", "can I sign up my students?"),
        # taking part, joining (walkthrough 2026-12-06: the FAQ's topics had come)
        ("mara", "Meine Kollegin möchte auch teilnehmen, geht das?"),
        ("tom", "my colleague wants to join too, can she?"),
    ],
)
async def test_signing_up_a_colleague_too_is_bringing_them(
    bot: Harness, events: tuple[int, int], user: str, text: str
) -> None:
    """The walkthrough's member asked "kann ich meinen kollegen max mit anmelden?" and was
    offered the young professionals' and the cluster's FAQ topics, while "kann mein kollege
    auch mitkommen?" was told that each person signs up on their own."""
    conference, excursion = events
    said = await bot.send(user, text)
    assert (EACH_DE if user == "mara" else EACH_EN) in said.text, said.text
    assert {f"ev:show:{conference}", f"ev:show:{excursion}"} <= set(said.buttons), said.text


@pytest.mark.parametrize(
    ("user", "text"),
    [
        ("mara", "Kann ich mich auch als Gast anmelden?"),
        ("tom", "can I register as a guest too?"),
        ("mara", "Kann ich meinen Hund mit anmelden?"),
        ("mara", "Wie kann ich meine Firma auch anmelden?"),
        ("mara", "Kann sich meine Kollegin mit ihrer Mitgliedsnummer anmelden?"),
        ("mara", "Kann ich mich als Studentin anmelden?"),
        ("tom", "as a student, can I sign up?"),
        ("tom", "can I join too?"),
        ("tom", "can my colleague join the association too?"),
        ("mara", "Kann ich auch teilnehmen?"),
    ],
)
async def test_signing_up_oneself_or_a_thing_is_not_bringing_someone(
    bot: Harness, events: tuple[int, int], user: str, text: str
) -> None:
    said = await bot.send(user, text)
    assert EACH_DE not in said.text and EACH_EN not in said.text, said.text


async def test_a_wish_to_sign_up_ones_students_says_they_sign_up_themselves(
    bot: Harness, events: tuple[int, int]
) -> None:
    """ "Ich möchte drei meiner Studierenden zum Symposium anmelden" offered the member's own
    sign-up alone: a professor who said "ja" believed the students were signed up."""
    conference, _excursion = events
    said = await bot.send("mara", "Ich möchte drei meiner Studierenden zum Symposium anmelden.")
    assert EACH_DE in said.text and "Studierende" in said.text, said.text
    english = await bot.send("tom", "I'd like to register two of my students for the symposium")
    assert EACH_EN in english.text and "students" in english.text, english.text
    assert f"ev:join:{conference}" in english.buttons
    # asked for a named event: the rule, with that event's own sign-up
    asked = await bot.send("mara", "Kann ich meine Studierenden für die Exkursion anmelden?")
    assert EACH_DE in asked.text and f"ev:join:{_excursion}" in asked.buttons, asked.text
    coming = await bot.send("tom", "can my students come to the excursion?")
    assert EACH_EN in coming.text and f"ev:join:{_excursion}" in coming.buttons, coming.text


async def test_a_partner_search_speaking_of_staff_and_someone_stays_a_search(
    bot: Harness, events: tuple[int, int]
) -> None:
    # a member introduces the firm ("40 Mitarbeitende") right after asking about an event:
    # the search is previewed, not answered with how colleagues sign up
    await import_members(bot)
    await bot.send("req", "Wann ist das Symposium?")
    for search in (
        "Wir sind ein Unternehmen aus Goslar mit rund 40 Mitarbeitenden. Wir suchen ein "
        "Labor für die Analytik von Schwarzmasse.",
        "Hallo zusammen, wir sind ein Betrieb mit rund 40 Mitarbeitenden und möchten "
        "Schwarzmasse analysieren lassen. Kennt jemand ein Labor dafür?",
    ):
        said = await bot.send("req", search)
        assert EACH_DE not in said.text, said.text
        assert said.buttons[0].startswith("pr:send:"), said.text
        # the need said in the introducing sentence is forwarded, not only the question
        assert "Schwarzmasse" in said.text.split("\n\n")[0], said.text
        await bot.press("req", said.button("Abbrechen"))
    # taking part with one's staff is still a sign-up question
    staff = await bot.send("mara", "Können unsere Mitarbeitenden auch mitmachen?")
    assert EACH_DE in staff.text, staff.text


async def test_bringing_someone_to_a_young_professionals_event_says_who_it_is_for(
    bot: Harness,
) -> None:
    """Walkthrough 2026-12-07: a doctoral student asking to bring her professor to the young
    professionals' excursion had been told he signs up himself, which he cannot."""
    trip = await _add(
        bot,
        15,
        kind="excursion",
        title="Nachwuchsexkursion Schmelzhütte Talbach",
        title_en="Early-Career Excursion to the Talbach Smelter",
        audience="yp",
    )
    await bot.onboard("lena", lang="en")
    await bot.make_young_professional("lena")
    await bot.send("lena", "when is the early-career excursion?")
    said = await bot.send("lena", "can my supervisor come along too? he's a professor")
    assert "is for young professionals only" in said.text, said.text
    assert EACH_EN not in said.text and said.button("Sign up") == f"ev:join:{trip}"
