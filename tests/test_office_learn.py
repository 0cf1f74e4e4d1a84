"""`/learn` closes the loop: the ticket is closed, the member gets the entry's answer once,
through the outbox and in their language, and a new entry gets proper titles, not the raw text."""

from __future__ import annotations

from typing import TypeVar

import pytest
from sqlalchemy import select

from bot.delivery import reply_from_payload
from bot.messages import plain_text as render_text
from storage import faq
from storage.faq import EntryFields, FaqEntryRow, FaqTicket
from storage.faq_learned import LearnedPhrasing
from storage.models import OutboxMessage
from tests.harness import Chat, Harness

T = TypeVar("T")
KB = """
[[faq]]
id = "symposium"
question.de = ["Worum geht es beim jährlichen Symposium?"]
question.en = ["What is the annual symposium about?"]
answer.de = "Das Symposium ist die große Jahrestagung des Clusters."
answer.en = "The symposium is the cluster's main annual conference."
"""
DOG_DE = "Darf mein Hund mit auf die Jahrestagung im Harz?"
# About the annual meeting itself: the office is offered its entry to answer with (the dog
# that comes along is not about it, and shares only "Jahrestagung" with the entry).
STEP_FREE_DE = "Ist die Jahrestagung im Harz barrierefrei?"
VEGAN_EN = "Do you serve vegan food at the excursions?"


@pytest.fixture
async def office(bot_any: Harness) -> Harness:
    await bot_any.import_kb(KB)
    return bot_any


async def rows(bot: Harness, model: type[T]) -> list[T]:
    async with bot.db.session() as session:
        return list((await session.execute(select(model))).scalars())


async def answers_to(bot: Harness, user: str) -> list[str]:
    """The office's answers queued for `user`, as the member will read them."""
    member = await bot.member(user)
    assert member is not None
    queued = [
        m
        for m in await rows(bot, OutboxMessage)
        if m.kind == "office_answer" and m.member_id == member.id
    ]
    return [render_text(reply_from_payload(m.payload).text) for m in queued]


async def ask_office(bot: Harness, user: str, text: str, *, lang: str | None = None) -> str:
    """A member's question the bot hands to the office (after "none of these" if it offers
    topics); what the member reads."""
    asked = await bot.send(user, text, lang=lang)
    if any(p.startswith("faq:ho:") for p in asked.buttons):
        asked = await bot.press(user, next(p for p in asked.buttons if p.startswith("faq:ho:")))
    return asked.text


async def learn_at_once(bot: Harness, command: str, user: str = "admin") -> Chat:
    """`/learn N ENTRY` and its preview's first choice ("Senden und lernen", or "Nur lernen"
    for a ticket whose member gets nothing): what the office reads then."""
    shown = await bot.send(user, command)
    go = [p for p in shown.buttons if p.startswith("flc:") and p.endswith(":go")]
    return await bot.press(user, go[0]) if go else shown


async def add_parking_in_german_only(bot: Harness) -> None:
    """An entry "parken" with its question and answer in German and no English answer yet."""
    async with bot.db.session() as session:
        await faq.upsert_entry(
            session,
            EntryFields(
                id="parken",
                tags=[],
                questions_de=["Wo kann ich parken?"],
                questions_en=[],
                answer_de="Auf dem Parkplatz am Tagungshaus.",
                answer_en="",
            ),
        )
        await faq.bump_revision(session)


def shown_topics(chat: Chat) -> str:
    """What `/faq` shows: its text and its buttons' labels."""
    labels = [render_text(b.label) for r in chat.replies for row in r.buttons for b in row]
    return "\n".join([chat.text, *labels])


async def ticket(bot: Harness, number: int) -> FaqTicket:
    async with bot.db.session() as session:
        found = await faq.get_ticket(session, number)
    assert found is not None
    return found


async def test_learn_as_phrasing_answers_the_member_once_in_german(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    learnt = await learn_at_once(office, "/learn 1 symposium")
    assert "Formulierung von „Worum geht es beim jährlichen Symposium?“" in learnt.text
    assert "Ticket #1 ist geschlossen; das Mitglied bekommt die Antwort jetzt im Chat" in (
        learnt.text
    )
    (message,) = await answers_to(office, "hanna")
    assert "Antwort der Clustergeschäftsstelle" in message and "Ticket #1" in message
    assert "große Jahrestagung des Clusters" in message and DOG_DE in message
    closed = await ticket(office, 1)
    assert closed.status == "answered" and closed.learned_entry_id == "symposium"
    assert "Keine offenen Fragen" in (await office.send("admin", "/inbox")).text

    again = await office.send("admin", "/learn 1 symposium")
    assert (
        "Ticket #1 ist schon gelernt (Eintrag „Worum geht es beim jährlichen Symposium?“)"
        in again.text
    )
    assert "Gelernt" not in again.text
    other = await office.send("admin", "/learn 1 new hunde")
    assert "schon gelernt" in other.text
    assert len(await answers_to(office, "hanna")) == 1  # sent once
    async with office.db.session() as session:
        assert await faq.get_entry(session, "hunde") is None
    # The bot answers the question itself from now on.
    assert "große Jahrestagung" in (await office.send("hanna", DOG_DE)).text


async def test_a_new_entry_asks_for_titles_and_answers_in_english(office: Harness) -> None:
    assert "#1" in await ask_office(office, "jan", VEGAN_EN, lang="en")
    await office.send("admin", "/language en")
    intro = await office.send("admin", "/learn 1 new catering")
    assert "Ticket #1" in intro.text and VEGAN_EN in intro.text
    assert "new entry catering" in intro.text
    assert "called in German" in intro.text
    # the example suits any network's office, not one kind of event
    assert "“Wann ist die Geschäftsstelle erreichbar?”" in intro.text, intro.text
    titled = await office.send("admin", "Gibt es veganes Essen?")
    assert "And in English, for example “When can I reach the office?”" in titled.text
    assert "answer in German" in (await office.send("admin", "Is there vegan food?")).text
    german = "Ja, bei jeder Exkursion gibt es ein veganes Mittagessen."
    assert "answer in English" in (await office.send("admin", german)).text
    assert not await answers_to(office, "jan")  # nothing goes out before the entry is whole
    draft = await office.send("admin", "Yes, every excursion offers a vegan lunch.")
    assert "Preview – the new entry catering, not saved yet" in draft.text, draft.text
    assert "Question: Gibt es veganes Essen?" in draft.text and "vegan lunch" in draft.text
    assert not await answers_to(office, "jan")  # nor before it is saved
    done = await office.press("admin", draft.button("Save"))
    assert "Learnt: ticket #1 is now the new entry “Is there vegan food?”" in done.text
    assert "the member now receives the answer" in done.text

    (message,) = await answers_to(office, "jan")
    assert "Answer from the cluster office" in message and "vegan lunch" in message
    assert "Mittagessen" not in message
    async with office.db.session() as session:
        entry = await faq.get_entry(session, "catering")
    assert entry is not None
    # The titles the admin gave come first; the member's text is only a further phrasing.
    assert entry.questions_de == ["Gibt es veganes Essen?"]
    assert entry.questions_en == ["Is there vegan food?", VEGAN_EN]
    assert entry.answer_de == german

    topics_en = await office.send("jan", "/faq")
    assert "Is there vegan food?" in shown_topics(topics_en)
    assert VEGAN_EN not in shown_topics(topics_en)
    topics_de = await office.send("hanna", "/fragen")
    assert "Gibt es veganes Essen?" in shown_topics(topics_de)
    assert "vegan lunch" in (await office.send("jan", VEGAN_EN)).text

    again = await office.send("admin", "/learn 1 new catering2")
    assert "Ticket #1 has already been learnt (entry “Is there vegan food?”)" in again.text
    assert len(await answers_to(office, "jan")) == 1


async def test_missing_answer_in_the_members_language_is_asked_for(office: Harness) -> None:
    await add_parking_in_german_only(office)
    assert "#1" in await ask_office(office, "eric", "Is there a cloakroom for coats?", lang="en")
    asked = await learn_at_once(office, "/learn 1 parken")
    assert "Dem Eintrag „Wo kann ich parken?“ fehlt noch die Antwort" in asked.text
    assert "Die Antwort auf Englisch:" in asked.text
    assert not await answers_to(office, "eric")
    draft = await office.send("admin", "In the car park at the conference venue.")
    assert "Antwort auf Englisch:\nIn the car park" in draft.text, draft.text
    done = await office.press("admin", draft.button("Speichern"))
    assert "Formulierung von „Wo kann ich parken?“" in done.text and "geschlossen" in done.text
    (message,) = await answers_to(office, "eric")
    assert "In the car park at the conference venue." in message
    (row,) = [r for r in await rows(office, FaqEntryRow) if r.id == "parken"]
    assert row.answer_en == "In the car park at the conference venue."
    assert row.answer_de == "Auf dem Parkplatz am Tagungshaus."


async def test_a_member_who_asks_in_english_gets_the_answer_in_english(office: Harness) -> None:
    await office.onboard("greta", lang="de")  # German in her settings, asking in English
    question = "Can a guest from a non-member company come along?"
    assert "#1" in await ask_office(office, "greta", question)
    await learn_at_once(office, "/learn 1 symposium")
    (message,) = await answers_to(office, "greta")
    assert "Answer from the cluster office" in message, message
    assert "The symposium is the cluster's main annual conference." in message
    assert "#2" in await ask_office(office, "greta", "Do you have parking for bicycles there?")
    await office.send("admin", "/answer 2 Yes, in the courtyard.")
    assert "Answer from the cluster office" in (await answers_to(office, "greta"))[1]


async def test_a_ticket_answered_before_is_learnt_without_a_second_message(
    office: Harness,
) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    await office.send("admin", "/answer 1 Hunde bitte zu Hause lassen.")
    assert len(await answers_to(office, "hanna")) == 1
    await office.send("admin", "/learn 1 new hunde")
    await office.send("admin", "Darf ich meinen Hund mitbringen?")
    reuse = await office.send("admin", "May I bring my dog?")
    assert "Die Antwort auf Deutsch:" in reuse.text and "„=“ übernimmt" in reuse.text
    await office.send("admin", "=")
    draft = await office.send("admin", "Please leave dogs at home.")
    assert "das Mitglied bekommt nichts weiter" in draft.text, draft.text
    done = await office.press("admin", draft.button("Speichern"))
    assert "neue Eintrag „Darf ich meinen Hund mitbringen?“" in done.text
    assert "war schon beantwortet; das Mitglied bekommt nichts weiter" in done.text
    assert len(await answers_to(office, "hanna")) == 1  # only the /answer
    async with office.db.session() as session:
        entry = await faq.get_entry(session, "hunde")
    assert entry is not None and entry.answer_de == "Hunde bitte zu Hause lassen."
    assert entry.questions_de == ["Darf ich meinen Hund mitbringen?", DOG_DE]


async def test_learn_needs_an_id_for_a_new_entry(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    shown = await office.send("admin", "/lernen 1 neu")
    assert "/lernen 1 neu NAME" in shown.text  # the German admin reads the German syntax
    await office.send("admin", "/language en")
    assert "/learn 1 new ID" in (await office.send("admin", "/learn 1 new")).text
    assert "no ticket #9" in (await office.send("admin", "/learn 9 symposium")).text


async def test_a_mistyped_entry_is_refused_naming_the_ones_meant(office: Harness) -> None:
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    typo = await office.send("admin", "/lernen 1 symposion")
    assert "keinen Eintrag „symposion“. Meinten Sie: symposium?" in typo.text, typo.text
    assert (await ticket(office, 1)).status == "open"
    titled = await office.send("admin", "/lernen 1 worum geht es beim symposium")
    assert "Meinten Sie: symposium?" in titled.text, titled.text
    unlike = await office.send("admin", "/lernen 1 mitgliedsbeitrag")
    assert "keinen Eintrag „mitgliedsbeitrag“" in unlike.text and "Meinten" not in unlike.text


async def test_a_follow_up_is_learned_with_the_message_it_points_back_to(
    office: Harness,
) -> None:
    # Taught alone, "Gibt es dort Parkplätze?" would make "Parkplätze" a word of the entry,
    # whatever "dort" is the next time.
    await office.onboard("hanna")
    await office.send("hanna", "Worum geht es beim jährlichen Symposium?")
    handed = await office.send("hanna", "Gibt es dort Parkplätze für Busse?")
    assert "#1" in handed.text, handed.text
    assert (await ticket(office, 1)).context == "Worum geht es beim jährlichen Symposium?"
    await learn_at_once(office, "/learn 1 symposium")
    (learned,) = await rows(office, LearnedPhrasing)
    assert learned.text == (
        "Worum geht es beim jährlichen Symposium? Gibt es dort Parkplätze für Busse?"
    )


async def test_the_office_is_told_of_an_entry_by_its_question_and_may_name_it_so(
    office: Harness,
) -> None:
    # "/inbox" and the confirmations named entries by their ids ("Passt vielleicht:
    # symposium"); the office reads them by their first question, in its own language, and
    # types either to /learn.
    await office.send("admin", "/language en")
    assert "#1" in await ask_office(office, "hanna", STEP_FREE_DE)
    listed = (await office.send("admin", "/inbox")).text
    assert "Might fit: “What is the annual symposium about?”" in listed, listed
    assert "symposium about?” (/learn 1" in listed
    learnt = await learn_at_once(office, "/learn 1 What is the annual symposium about?")
    assert "is now a phrasing of “What is the annual symposium about?”" in learnt.text
    assert "symposium" not in learnt.text.replace("annual symposium", "")
    (message,) = await answers_to(office, "hanna")
    assert "große Jahrestagung des Clusters" in message
    again = await office.send("admin", "/learn 1 symposium")  # the id still works
    assert "already been learnt (entry “What is the annual symposium about?”)" in again.text
    await office.send("admin", "/sprache de")
    assert "#2" in await ask_office(office, "otto", "Wo kann ich mein Elektroauto laden?")
    learnt = await learn_at_once(office, "/lernen 2 Worum geht es beim jährlichen Symposium")
    assert "Formulierung von „Worum geht es beim jährlichen Symposium?“" in learnt.text


async def test_an_entrys_question_is_refused_as_an_answer_pointing_to_learn(
    office: Harness,
) -> None:
    # `/antwort 1 <an entry's question>` sent the member the bare question as the answer.
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    refused = await office.send("admin", "/antwort 1 worum geht es beim jährlichen Symposium")
    assert (
        "Nicht gesendet: Das ist die Frage des Eintrags „Worum geht es beim jährlichen "
        "Symposium?“, keine Antwort auf Ticket #1." in refused.text
    ), refused.text
    assert "/lernen 1 Worum geht es beim jährlichen Symposium?" in refused.text
    assert not await answers_to(office, "hanna")
    assert (await ticket(office, 1)).status == "open"
    await office.send("admin", "/language en")
    refused = await office.send("admin", "/answer 1 What is the annual symposium about")
    assert "Not sent: that is the question of the entry" in refused.text, refused.text
    assert "/learn 1 What is the annual symposium about?" in refused.text
    assert not await answers_to(office, "hanna")
    # What it points to answers the member with the entry.
    await learn_at_once(office, "/learn 1 What is the annual symposium about?")
    (message,) = await answers_to(office, "hanna")
    assert "große Jahrestagung des Clusters" in message


DISCOUNT_DE = "Bekommen Studierende einen Rabatt auf die Tagungsgebühr?"


async def test_an_english_office_writes_a_new_entry_only_in_english(office: Harness) -> None:
    """ "skip" at the German title leaves German out (never stored as the title); the entry
    is shown before it is saved; German members get the English answer, told so."""
    await office.onboard("lea")
    assert "#1" in await ask_office(office, "lea", DISCOUNT_DE)
    await office.send("admin", "/language en")
    intro = await office.send("admin", "/learn 1 new student-discount")
    assert "called in German" in intro.text and intro.button("No German version")
    asked = await office.send("admin", "skip")
    assert "And in English" in asked.text and "No German version" not in asked.text
    answer = await office.send("admin", "Are there discounts for students?")
    assert "The answer in English:" in answer.text, answer.text  # German answer not asked
    draft = await office.send("admin", "Yes, students pay half the conference fee.")
    assert "Preview – the new entry student-discount, not saved yet" in draft.text
    assert "German:</b> no version" in draft.replies[0].text, draft.text
    assert "Question: Are there discounts for students?" in draft.text
    assert "the member gets the answer in English" in draft.text
    assert "skip" not in draft.text
    async with office.db.session() as session:
        assert await faq.get_entry(session, "student-discount") is None  # not before Save
    assert not await answers_to(office, "lea")
    done = await office.press("admin", draft.button("Save"))
    assert "Learnt: ticket #1 is now the new entry" in done.text, done.text
    async with office.db.session() as session:
        entry = await faq.get_entry(session, "student-discount")
    assert entry is not None
    assert entry.questions_de == [] and entry.answer_de == ""
    assert entry.questions_en == ["Are there discounts for students?"]
    (message,) = await answers_to(office, "lea")
    assert "Antwort der Clustergeschäftsstelle" in message and "half the conference fee" in message
    assert "nur auf Englisch" in message, message
    # A German member: the topic is listed as English, its answer says so, never "skip".
    topics = shown_topics(await office.send("lea", "/fragen"))
    assert "Are there discounts for students? (auf Englisch)" in topics, topics
    assert "skip" not in topics
    answered = await office.send("lea", "Gibt es einen Rabatt für Studierende?")
    assert "half the conference fee" in answered.text and "skip" not in answered.text
    assert "nur auf Englisch" in answered.text, answered.text


async def test_a_german_office_leaves_english_out_by_button_and_discards_the_draft(
    office: Harness,
) -> None:
    assert "#1" in await ask_office(office, "jan", "Where can I park my bicycle?", lang="en")
    await office.send("admin", "/lernen 1 neu fahrrad")
    english = await office.send("admin", "Wo kann ich mein Fahrrad abstellen?")
    assert "Und wie heißt er auf Englisch" in english.text
    assert "„When can I reach the office?“" in english.text and "vegetari" not in english.text
    answer = await office.press("admin", english.button("Ohne englische Fassung"))
    assert "Die Antwort auf Deutsch:" in answer.text, answer.text
    draft = await office.send("admin", "Im Innenhof stehen Fahrradbügel.")
    assert "Englisch:</b> keine Fassung" in draft.replies[0].text, draft.text
    assert "bekommt die Antwort auf Deutsch" in draft.text, draft.text
    typed = await office.send("admin", "Im Innenhof, gleich neben dem Eingang.")
    assert "wartet auf „Speichern“ oder „Verwerfen“" in typed.text, typed.text
    dropped = await office.send("admin", "verwerfen")
    assert "Verworfen: Nichts gespeichert, Ticket #1 ist nicht gelernt" in dropped.text
    async with office.db.session() as session:
        assert await faq.get_entry(session, "fahrrad") is None
    assert (await ticket(office, 1)).status == "open" and not await answers_to(office, "jan")
    assert "nicht mehr gültig" in (await office.press("admin", draft.button("Speichern"))).text


@pytest.mark.parametrize(
    ("lang", "command", "skip", "refused"),
    [
        ("de", "/lernen 1 neu rabatt", "überspringen", "Eine Sprache braucht der Eintrag"),
        ("en", "/learn 1 new discount", "-", "The entry needs one language"),
    ],
)
async def test_both_languages_cannot_be_left_out_and_a_skip_word_is_never_a_text(
    office: Harness, lang: str, command: str, skip: str, refused: str
) -> None:
    assert "#1" in await ask_office(office, "lea", DISCOUNT_DE)
    if lang == "en":
        await office.send("admin", "/language en")
    await office.send("admin", command)
    english = await office.send("admin", skip)  # German left out
    again = await office.send("admin", skip)  # English cannot be too
    assert refused in again.text, again.text
    assert not again.buttons  # nothing to leave out any more
    title = "Are there discounts for students?"
    assert "English" in (await office.send("admin", title)).text or lang == "de"
    still = await office.send("admin", "skip")  # at the answer: no text either
    assert refused in still.text, still.text
    draft = await office.send("admin", "Students pay half.")
    saved = await office.press("admin", draft.button("Speichern" if lang == "de" else "Save"))
    assert "#1" in saved.text, english.text
    async with office.db.session() as session:
        entry = await faq.get_entry(session, command.split()[-1])
    assert entry is not None and entry.questions_en == [title]
    assert entry.answer_en == "Students pay half." and entry.questions_de == []


FEE_KB = """
[[faq]]
id = "beitrag"
tags = ["Mitgliedsbeitrag", "membership fee", "Kosten"]
question.de = ["Was kostet die Mitgliedschaft im Jahr?"]
question.en = ["What does membership cost per year?"]
answer.de = "Der Beitrag richtet sich nach der Größe der Organisation."
answer.en = "The fee depends on the size of the organisation."
"""


async def test_an_entry_named_by_its_tag_is_suggested(office: Harness) -> None:
    await office.import_kb(KB + FEE_KB)
    assert "#1" in await ask_office(office, "hanna", DOG_DE)
    shown = await office.send("admin", "/lernen 1 Mitgliedsbeitrag")
    assert "keinen Eintrag „Mitgliedsbeitrag“. Meinten Sie: beitrag?" in shown.text, shown.text
    shown = await office.send("admin", "/lernen 1 mitglieds-beitraege")
    assert "Meinten Sie: beitrag?" in shown.text, shown.text
    assert (await ticket(office, 1)).status == "open"
    await office.send("admin", "/language en")
    shown = await office.send("admin", "/learn 1 membership fees")
    assert "There is no entry “membership fees”. Did you mean: beitrag?" in shown.text, shown.text
