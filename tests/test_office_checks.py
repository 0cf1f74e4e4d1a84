"""The office sees what it sends before it goes out: `/learn N ENTRY` shows the member's question
and the entry's answer and lets the office send without teaching the bot; an answer in the other
language than the question's waits for "send anyway"."""

from __future__ import annotations

import pytest

from storage.faq_learned import LearnedPhrasing
from tests.harness import Harness
from tests.test_office_learn import KB, answers_to, ask_office, rows, ticket

HOTEL_EN = "Is there a hotel discount for the symposium?"
HOTEL_DE = "Gibt es einen Hotelrabatt für Teilnehmer des Symposiums?"
GERMAN_ANSWER = "Ja, im Hotel Rathaus gibt es mit dem Stichwort REWIMET zehn Prozent Rabatt."
ENGLISH_ANSWER = "Yes, the Hotel Rathaus gives you ten percent off with the code REWIMET."


@pytest.fixture
async def office(bot: Harness) -> Harness:
    await bot.import_kb(KB)
    return bot


async def test_learn_shows_what_is_sent_and_may_send_without_teaching(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", HOTEL_DE)
    shown = await office.send("admin", "/lernen 1 symposium")
    assert HOTEL_DE in shown.text, shown.text
    assert "„Worum geht es beim jährlichen Symposium?“" in shown.text
    assert "große Jahrestagung des Clusters" in shown.text  # the answer as it would be sent
    assert "lehrt den Bot die Frage als Formulierung" in shown.text
    assert shown.button("Senden und lernen") and shown.button("Abbrechen")
    # nothing is sent or learnt before the office chooses
    assert not await answers_to(office, "hanna")
    assert (await ticket(office, 1)).status == "open"

    sent = await office.press("admin", shown.button("Nur senden, nicht lernen"))
    assert "Gelernt hat der Bot nichts" in sent.text, sent.text
    (message,) = await answers_to(office, "hanna")
    assert "große Jahrestagung" in message and "Antwort der Clustergeschäftsstelle" in message
    closed = await ticket(office, 1)
    assert closed.status == "answered" and closed.learned_entry_id is None
    assert not await rows(office, LearnedPhrasing)
    # pressed again: nothing more is sent
    assert "nicht mehr gültig" in (await office.press("admin", shown.button("Nur senden"))).text
    assert len(await answers_to(office, "hanna")) == 1


async def test_learn_in_english_takes_typed_choices_and_cancels(office: Harness) -> None:
    assert "#1" in await ask_office(office, "jan", HOTEL_EN, lang="en")
    await office.send("admin", "/language en")
    shown = await office.send("admin", "/learn 1 symposium")
    assert HOTEL_EN in shown.text and "“What is the annual symposium about?”" in shown.text
    assert "main annual conference" in shown.text, shown.text
    assert shown.button("Only send, don't learn")
    waiting = await office.send("admin", "hello there")
    assert "waits for “Send and learn”" in waiting.text, waiting.text
    cancelled = await office.send("admin", "Cancel")
    assert "nothing was sent or learnt" in cancelled.text.lower(), cancelled.text
    assert not await answers_to(office, "jan")
    assert (await ticket(office, 1)).status == "open"

    await office.send("admin", "/learn 1 symposium")
    learnt = await office.send("admin", "send and learn")
    assert "Learnt" in learnt.text and "phrasing of" in learnt.text, learnt.text
    (message,) = await answers_to(office, "jan")
    assert "main annual conference" in message
    assert (await ticket(office, 1)).learned_entry_id == "symposium"


async def test_a_german_answer_to_an_english_question_waits_for_send_anyway(
    office: Harness,
) -> None:
    assert "#1" in await ask_office(office, "jan", HOTEL_EN, lang="en")
    warned = await office.send("admin", f"/antwort 1 {GERMAN_ANSWER}")
    assert "Noch nicht gesendet" in warned.text, warned.text
    assert "auf Englisch gestellt, Ihre Antwort ist aber auf Deutsch" in warned.text
    # the answer as the member would read it: under the English header
    assert "Answer from the cluster office" in warned.text and GERMAN_ANSWER in warned.text
    assert not await answers_to(office, "jan")
    assert (await ticket(office, 1)).status == "open"

    sent = await office.press("admin", warned.button("Trotzdem senden"))
    assert "geht an das Mitglied" in sent.text, sent.text
    (message,) = await answers_to(office, "jan")
    assert GERMAN_ANSWER in message
    # an answer in the asked language goes out at once
    assert "#2" in await ask_office(office, "jan", "Can I park my car at the venue?", lang="en")
    at_once = await office.send("admin", f"/antwort 2 {ENGLISH_ANSWER}")
    assert "geht an das Mitglied" in at_once.text, at_once.text
    assert len(await answers_to(office, "jan")) == 2


async def test_an_english_answer_to_a_german_question_can_be_written_anew(
    office: Harness,
) -> None:
    assert "#1" in await ask_office(office, "hanna", HOTEL_DE)
    await office.send("admin", "/language en")
    warned = await office.send("admin", f"/answer 1 {ENGLISH_ANSWER}")
    assert "asked in German, but your answer is in English" in warned.text, warned.text
    assert "Antwort der Clustergeschäftsstelle" in warned.text
    anew = await office.send("admin", "write it anew")
    assert "Not sent. Type your answer to ticket #1 now" in anew.text, anew.text
    assert "in German" in anew.text, anew.text
    assert not await answers_to(office, "hanna")
    done = await office.send("admin", f"/answer 1 {GERMAN_ANSWER}")
    assert "on its way to the member" in done.text, done.text
    (message,) = await answers_to(office, "hanna")
    assert GERMAN_ANSWER in message and ENGLISH_ANSWER not in message


# Answers written anew, invented: in the question's language, and still in the other one.
PARKING_DE = "Vor dem Tagungshaus gibt es zwanzig Parkplätze, die Einfahrt ist an der Gartenseite."
PARKING_EN = "There are twenty parking spaces in front of the venue, the entrance is at the back."


@pytest.mark.parametrize(
    ("admin_lang", "command", "anew", "send", "queued"),
    [
        ("en", "/answer", "Write it anew", "Send", "on its way to the member"),
        ("de", "/antwort", "Neu schreiben", "Senden", "geht an das Mitglied"),
    ],
)
async def test_after_write_it_anew_the_next_message_is_the_answer(
    office: Harness, admin_lang: str, command: str, anew: str, send: str, queued: str
) -> None:
    """After *Write it anew* the admin's next plain message is the answer (never a question
    of theirs to the bot), shown as the member would read it and sent only with *Send*; one
    still in the other language is warned about again."""
    assert "#1" in await ask_office(office, "hanna", "Wo kann man am Tagungshaus parken?")
    await office.send("admin", f"/language {admin_lang}")
    warned = await office.send("admin", f"{command} 1 {PARKING_EN}")
    prompt = await office.press("admin", warned.button(anew))
    assert "#1" in prompt.text and command not in prompt.text, prompt.text
    again = await office.send("admin", PARKING_EN)  # still English: the warning once more
    assert again.button(anew) and not await answers_to(office, "hanna"), again.text
    await office.press("admin", again.button(anew))
    shown = await office.send("admin", PARKING_DE)
    assert PARKING_DE in shown.text and "Antwort der Clustergeschäftsstelle" in shown.text
    assert "Dazu" not in shown.text and "weitergeben" not in shown.text, shown.text
    assert not await answers_to(office, "hanna")
    assert (await ticket(office, 1)).status == "open"
    sent = await office.press("admin", shown.button(send))
    assert queued in sent.text, sent.text
    (message,) = await answers_to(office, "hanna")
    assert PARKING_DE in message and PARKING_EN not in message


@pytest.mark.parametrize(
    ("lang", "command", "typed", "said"),
    [
        ("de", "/lernen 1 symposium", "nur senden", "Gelernt hat der Bot nichts"),
        ("de", "/lernen 1 symposium", "Nur senden bitte", "Gelernt hat der Bot nichts"),
        ("en", "/learn 1 symposium", "only send", "learnt nothing"),
    ],
)
async def test_the_send_only_button_is_pressed_by_its_first_words(
    office: Harness, lang: str, command: str, typed: str, said: str
) -> None:
    """ "nur senden" typed at the preview presses "Nur senden, nicht lernen" (it had been told
    that the ticket waits for the buttons above)."""
    assert "#1" in await ask_office(office, "hanna", HOTEL_DE)
    await office.send("admin", f"/language {lang}")
    await office.send("admin", command)
    sent = await office.send("admin", typed)
    assert said in sent.text, sent.text
    (message,) = await answers_to(office, "hanna")
    assert "große Jahrestagung" in message
    closed = await ticket(office, 1)
    assert closed.status == "answered" and closed.learned_entry_id is None
