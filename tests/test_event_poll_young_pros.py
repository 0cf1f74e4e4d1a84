"""A poll on a young professionals' event as members live it: one who becomes a young
professional after it went out is sent it, a question how to vote shows the open poll, an
option typed out ("05.01.") votes for it where the poll is out of sight, and a member who chose
English gets the English version the office's preview asked for."""

from __future__ import annotations

from datetime import datetime

from bot.messages import Poll
from storage import event_store
from tests.harness import Chat, Harness
from tests.test_events import create, goslar

DATES = "Welcher Termin passt Ihnen? | 05.01. | 12.01."
DATES_EN = "Which date suits you? | 5 January | 12 January"


def polls(chat: Chat) -> list[Poll]:
    return [r.poll for r in chat.replies if r.poll is not None]


async def yp_poll(bot: Harness, english: bool = False) -> int:
    """A young professionals' excursion with a date poll sent to everyone it is for."""
    number = await create(bot, goslar(bot, 20) + "; zielgruppe=yp")
    shown = await bot.send("admin", f"/eventpoll {number} {DATES}")
    if english:
        asked = await bot.press("admin", shown.button("Englische Fassung"))
        assert "dieselben 2 Antworten" in asked.text or "2 Antworten" in asked.text, asked.text
        shown = await bot.send("admin", DATES_EN)
        assert "Englische Fassung (für Mitglieder, die Englisch gewählt haben):" in shown.text
        assert "Which date suits you?" in shown.text, shown.text
    await bot.press("admin", shown.button("An alle senden"))
    return number


async def votes(bot: Harness, number: int, user: str) -> list[int] | None:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        (poll,) = await event_store.polls_of(session, event_id=number)
        found = await event_store.open_polls(session, member_id=member.id, after=bot_now(bot))
    return next((list(chosen) for p, _e, chosen in found if p.id == poll.id), None)


def bot_now(bot: Harness) -> datetime:
    now: datetime = bot.app.services.clock()
    return now


async def test_a_new_young_professional_is_sent_the_open_poll(bot: Harness) -> None:
    await bot.onboard("anna")
    await bot.onboard("eve", lang="en")
    await yp_poll(bot, english=True)
    saved = await bot.send("anna", "/youngpro ja")
    assert "Young Professional: Ja" in saved.text
    assert "Für Young Professionals wartet eine Umfrage auf Sie" in saved.text, saved.text
    (poll,) = polls(saved)
    assert poll.question == "Welcher Termin passt Ihnen?"
    saved = await bot.send("eve", "/youngpro yes")
    assert "There is a poll for young professionals waiting for you" in saved.text, saved.text
    (poll,) = polls(saved)
    assert poll.question == "Which date suits you?" and poll.options == ("5 January", "12 January")
    # set again: nothing new to tell
    again = await bot.send("anna", "/youngpro ja")
    assert not polls(again)


async def test_a_question_how_to_vote_shows_the_open_poll(bot: Harness) -> None:
    await bot.onboard("anna")
    await bot.onboard("eve", lang="en")
    await bot.send("anna", "/youngpro ja")
    await bot.send("eve", "/youngpro yes")
    await yp_poll(bot, english=True)
    asked = await bot.send("anna", "wo kann ich abstimmen?")
    assert "Ticket" not in asked.text, asked.text
    assert [p.question for p in polls(asked)] == ["Welcher Termin passt Ihnen?"], asked.text
    asked = await bot.send("eve", "how can i vote?")
    assert "ticket" not in asked.text.lower(), asked.text
    assert [p.question for p in polls(asked)] == ["Which date suits you?"], asked.text


async def test_nothing_to_vote_on_says_so(bot: Harness) -> None:
    await bot.onboard("anna")
    asked = await bot.send("anna", "Wo kann ich bei der Umfrage abstimmen?")
    assert "Ticket" not in asked.text and not polls(asked)
    assert "Zurzeit wartet keine Umfrage auf Sie" in asked.text, asked.text
    await bot.send("anna", "/language en")
    asked = await bot.send("anna", "where can I vote in the poll?")
    assert "No poll is waiting for you right now" in asked.text, asked.text


async def test_an_option_typed_out_votes_for_it(bot: Harness) -> None:
    await bot.onboard("anna")
    await bot.onboard("eve", lang="en")
    await bot.send("anna", "/youngpro ja")
    await bot.send("eve", "/youngpro yes")
    number = await yp_poll(bot, english=True)
    await bot.send("anna", "/profil")  # the poll is out of sight
    typed = await bot.send("anna", "05.01.")
    assert "Ihre Antwort auf „Welcher Termin passt Ihnen?“: 05.01." in typed.text, typed.text
    assert await votes(bot, number, "anna") == [0]
    await bot.send("eve", "/profile")
    typed = await bot.send("eve", "12 january")
    assert "12 January" in typed.text, typed.text
    assert await votes(bot, number, "eve") == [1]


async def test_the_preview_of_a_german_poll_offers_an_english_version(bot: Harness) -> None:
    await bot.onboard("eve", lang="en")
    number = await create(bot, goslar(bot, 20))
    shown = await bot.send("admin", f"/eventpoll {number} {DATES}")
    assert "Englische Fassung hinzufügen" in str(
        [b.label for r in shown.replies for row in r.buttons for b in row]
    )
    without = "Ohne englische Fassung bekommen Mitglieder, die Englisch gewählt haben, die deutsche"
    assert without in shown.text
    asked = await bot.press("admin", shown.button("Englische Fassung"))
    wrong = await bot.send("admin", "Which date? | 5 January | 12 January | 19 January")
    assert "genau 2 Antworten" in wrong.text, wrong.text
    shown = await bot.send("admin", DATES_EN)
    assert "Which date suits you?" in shown.text and asked.text
    await bot.press("admin", shown.button("An alle senden"))
    got = await bot.send("eve", "/pending")
    assert [p.question for p in polls(got)] == ["Which date suits you?"]


async def test_the_english_office_is_offered_the_english_version_too(bot: Harness) -> None:
    number = await create(bot, goslar(bot, 20))
    await bot.send("admin", "/language en")
    shown = await bot.send("admin", f"/eventpoll {number} {DATES}")
    asked = await bot.press("admin", shown.button("Add English version"))
    assert "same 2 options" in asked.text, asked.text
    shown = await bot.send("admin", DATES_EN)
    assert "English version (for members who chose English):" in shown.text


async def test_a_yes_with_nothing_asked_votes_in_no_yes_or_no_poll(bot: Harness) -> None:
    # "ja" typed with nothing asked answers no poll whose option is "Ja" (out of sight)
    await bot.onboard("anna")
    await bot.send("anna", "/youngpro ja")
    number = await create(bot, goslar(bot, 20) + "; zielgruppe=yp")
    shown = await bot.send("admin", f"/eventpoll {number} Mittagessen gewünscht? | Ja | Nein")
    await bot.press("admin", shown.button("An alle senden"))
    await bot.send("anna", "/profil")
    await bot.send("anna", "ja")
    assert await votes(bot, number, "anna") == []


async def test_registering_as_a_young_professional_brings_the_open_poll(bot: Harness) -> None:
    await yp_poll(bot)
    await bot.send("nina", "/start")
    await bot.press("nina", "ob:language:de")
    for text in ("Test GmbH", "Forschung", "Batterierecycling"):
        await bot.send("nina", text)
    for payload in ("ob:consent:1", "ob:contact:-", "ob:news:1"):
        await bot.press("nina", payload)
    done = await bot.press("nina", "ob:yp:1")
    assert "Für Young Professionals wartet eine Umfrage auf Sie" in done.text, done.text
    assert [p.question for p in polls(done)] == ["Welcher Termin passt Ihnen?"]
