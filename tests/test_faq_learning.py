"""The FAQ learning loop as members and the office live it: a pick among the choices teaches
the bot the question (not alone: a second member or the office must agree before it answers
directly), a 👍 under the bot's own direct answer teaches it confirmed, a 👎 after a pick or
a 👍 and `/forget` take the teaching back, the office's `/learn`
teaches at once, and the office reviews learned phrasings on the dashboard; on SQLite and
PostgreSQL. The knowledge base and the questions are invented for these tests."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.messages import plain_text as render_text
from handlers.faq.evaluation import Question
from handlers.faq.kb_import import import_kb, parse_kb
from handlers.faq.learned import LearnedText, LearningMatcher, normalise
from handlers.faq.learning import corroborated, teachable
from handlers.faq.learning_eval import simulate
from handlers.faq.rules import fields_to_entry
from storage import audit, faq_learned
from storage.faq_learned import Learned
from tests.harness import Chat, Harness
from tests.test_office_learn import learn_at_once
from tests.web_harness import Dashboard, SignedIn, dashboard_for

KB = """
[[faq]]
id = "exkursion_anmelden"
question.de = ["Wie melde ich mich für eine Exkursion an?"]
question.en = ["How do I sign up for an excursion?"]
answer.de = "Zur Exkursion melden Sie sich mit /events an."
answer.en = "Sign up for an excursion with /events."

[[faq]]
id = "exkursion_absagen"
question.de = ["Wie sage ich meine Teilnahme an einer Exkursion ab?"]
question.en = ["How do I cancel my place on an excursion?"]
answer.de = "Ihren Platz geben Sie unter /events mit „Absagen“ frei."
answer.en = "Free your place under /events with “Cancel”."

[[faq]]
id = "exkursion_ausruestung"
question.de = ["Was muss ich zur Exkursion mitbringen?"]
question.en = ["What do I need to bring to an excursion?"]
answer.de = "Festes Schuhwerk und wetterfeste Kleidung; Helme stellt der Gastgeber."
answer.en = "Sturdy shoes and weatherproof clothes; the host provides helmets."

[[faq]]
id = "newsletter"
question.de = ["Wie bekomme ich den Newsletter?"]
question.en = ["How do I get the newsletter?"]
answer.de = "Den Newsletter abonnieren Sie mit /news."
answer.en = "Subscribe to the newsletter with /news."
"""
# Names the excursion and nothing else: the three excursion entries tie.
VAGUE = "Was ist mit der Exkursion?"
VAGUE_AGAIN = "Was ist mit den Exkursionen?"  # near-identical, from another member
CANCEL_TITLE = "Teilnahme an einer Exkursion ab"
CANCEL_ANSWER = "mit „Absagen“ frei"
# Nothing in the knowledge base matches it: handed to the office.
PHOTOS = "Darf man bei der Exkursion in der Grube fotografieren?"
GEAR_ANSWER = "Festes Schuhwerk"


@pytest.fixture
async def office(bot_any: Harness) -> Harness:
    await bot_any.import_kb(KB)
    return bot_any


async def learned(bot: Harness) -> list[Learned]:
    async with bot.db.session() as session:
        return await faq_learned.all_learned(session)


def choice_labels(chat: Chat) -> list[str]:
    return [
        render_text(b.label)
        for r in chat.replies
        for row in r.buttons
        for b in row
        if b.payload.startswith("faq:c:")
    ]


def is_answer(chat: Chat, text: str) -> bool:
    """A direct answer: the entry's text with 👍/👎 under it, no choices."""
    return text in chat.text and not choice_labels(chat) and bool(feedback_buttons(chat))


def feedback_buttons(chat: Chat) -> list[str]:
    return [p for p in chat.buttons if p.startswith("faq:fb:")]


async def pick_cancel(bot: Harness, user: str, question: str) -> Chat:
    """`user` asks `question`, is offered choices and picks the cancellation entry."""
    asked = await bot.send(user, question)
    assert any(CANCEL_TITLE in label for label in choice_labels(asked)), asked.text
    picked = await bot.press(user, asked.button(CANCEL_TITLE))
    assert is_answer(picked, CANCEL_ANSWER)
    return picked


async def forget(bot: Harness, user: str) -> None:
    member = await bot.member(user)
    assert member is not None
    await bot.send(user, "/forget")
    await bot.press(user, f"fg:{member.id}")
    assert await bot.member(user) is None


async def test_a_pick_teaches_and_a_second_member_confirms_it(office: Harness) -> None:
    before = await office.send("carla", VAGUE)
    assert CANCEL_TITLE not in choice_labels(before)[0]  # offered, but not first yet

    await pick_cancel(office, "anna", VAGUE)
    (phrasing,) = await learned(office)
    assert (phrasing.entry_id, phrasing.text, phrasing.lang) == ("exkursion_absagen", VAGUE, "de")
    assert phrasing.source == "pick" and not phrasing.confirmed and phrasing.teachers == 1

    # Used at once: the next member is offered the picked entry first, but not answered.
    offered = await office.send("bert", VAGUE_AGAIN)
    assert CANCEL_TITLE in choice_labels(offered)[0]
    assert not feedback_buttons(offered)
    picked = await office.press("bert", offered.button(CANCEL_TITLE))
    assert is_answer(picked, CANCEL_ANSWER)
    (phrasing,) = await learned(office)
    assert phrasing.confirmed and phrasing.teachers == 2 and phrasing.times_seen == 2

    # Two members agreed: a third gets the answer directly.
    assert is_answer(await office.send("carla", VAGUE), CANCEL_ANSWER)


async def test_one_member_cannot_teach_alone(office: Harness) -> None:
    await pick_cancel(office, "anna", VAGUE)
    await pick_cancel(office, "anna", VAGUE_AGAIN)
    (phrasing,) = await learned(office)
    assert not phrasing.confirmed and phrasing.teachers == 1 and phrasing.times_seen == 2
    assert not is_answer(await office.send("bert", VAGUE), CANCEL_ANSWER)


async def test_a_thumbs_down_after_a_pick_teaches_nothing(office: Harness) -> None:
    picked = await pick_cancel(office, "anna", VAGUE)
    down = next(p for p in feedback_buttons(picked) if p.endswith(":0"))
    sorry = await office.press("anna", down)
    assert "Clustergeschäftsstelle weitergeben" in sorry.text  # offered the office instead
    assert await learned(office) == []
    # So bert's pick is the first, not the second: nothing is confirmed.
    await pick_cancel(office, "bert", VAGUE)
    (phrasing,) = await learned(office)
    assert not phrasing.confirmed and phrasing.teachers == 1
    assert not is_answer(await office.send("carla", VAGUE), CANCEL_ANSWER)


async def test_forget_takes_back_what_a_members_questions_taught(office: Harness) -> None:
    await pick_cancel(office, "anna", VAGUE)
    await pick_cancel(office, "bert", VAGUE_AGAIN)
    assert is_answer(await office.send("carla", VAGUE), CANCEL_ANSWER)

    # Bert's near-identical question joined Anna's phrasing: forgetting him takes back his part.
    await forget(office, "bert")
    (phrasing,) = await learned(office)
    assert not phrasing.confirmed and phrasing.teachers == 1 and phrasing.text == VAGUE
    assert not is_answer(await office.send("carla", VAGUE), CANCEL_ANSWER)

    await forget(office, "anna")
    assert await learned(office) == []


async def test_forget_removes_a_phrasing_in_her_words_that_others_joined(office: Harness) -> None:
    await pick_cancel(office, "anna", VAGUE)
    await pick_cancel(office, "bert", VAGUE_AGAIN)
    # The phrasing is Anna's text: it goes with her, whoever else taught it.
    await forget(office, "anna")
    assert await learned(office) == []
    assert not is_answer(await office.send("carla", VAGUE), CANCEL_ANSWER)


async def test_the_offices_learn_teaches_at_once_until_the_member_is_forgotten(
    office: Harness,
) -> None:
    asked = await office.send("dora", PHOTOS)
    assert "#1" in asked.text  # handed off
    done = await learn_at_once(office, "/learn 1 exkursion_ausruestung")
    assert "Formulierung von „Was muss ich zur Exkursion mitbringen?“" in done.text
    (phrasing,) = await learned(office)
    assert phrasing.source == "office" and phrasing.confirmed and phrasing.text == PHOTOS

    assert is_answer(await office.send("emil", PHOTOS), GEAR_ANSWER)
    # /vergessen promises that what her questions taught goes: her words with it, even
    # though the office answered them.
    await forget(office, "dora")
    assert await learned(office) == []
    assert not is_answer(await office.send("emil", PHOTOS), GEAR_ANSWER)


# Answered directly; its words "Helm" and "Gummistiefel" are in no entry.
GEAR_IN_WORDS = "Was muss ich zur Exkursion an Helm und Gummistiefeln mitbringen?"
GEAR_SHORT = "Gummistiefel und Helm nötig?"


async def vote(bot: Harness, user: str, question: str, helpful: bool = True) -> Chat:
    """`user` asks `question`, gets the gear entry directly and presses 👍 (or 👎)."""
    asked = await bot.send(user, question)
    assert is_answer(asked, GEAR_ANSWER), asked.text
    wanted = ":1" if helpful else ":0"
    return await bot.press(user, next(p for p in feedback_buttons(asked) if p.endswith(wanted)))


async def test_a_thumbs_up_under_a_direct_answer_teaches_at_once(office: Harness) -> None:
    assert not is_answer(await office.send("carla", GEAR_SHORT), GEAR_ANSWER)
    await vote(office, "anna", GEAR_IN_WORDS)
    (phrasing,) = await learned(office)
    assert (phrasing.entry_id, phrasing.text) == ("exkursion_ausruestung", GEAR_IN_WORDS)
    # the bot chose the entry and the member agreed: confirmed, no second member needed
    assert phrasing.source == "vote" and phrasing.confirmed and phrasing.teachers == 1
    # The member's words now reach the entry: another member's short question is answered.
    assert is_answer(await office.send("bert", GEAR_SHORT), GEAR_ANSWER)


async def test_a_thumbs_up_pressed_again_or_taken_back_teaches_once_or_nothing(
    office: Harness,
) -> None:
    asked = await office.send("anna", GEAR_IN_WORDS)
    up, down = sorted(feedback_buttons(asked), reverse=True)
    await office.press("anna", up)
    await office.press("anna", up)
    (phrasing,) = await learned(office)
    assert phrasing.teachers == 1 and phrasing.times_seen == 1
    await office.press("anna", down)  # changed her mind: nothing learned
    assert await learned(office) == []
    assert not is_answer(await office.send("bert", GEAR_SHORT), GEAR_ANSWER)
    await vote(office, "carla", GEAR_IN_WORDS)
    await forget(office, "carla")  # her 👍 goes with her data
    assert await learned(office) == []


@pytest.mark.parametrize("thanks", ["danke!", "Super, vielen Dank für die schnelle Antwort"])
async def test_thanks_typed_under_a_direct_answer_is_its_thumbs_up(
    office: Harness, thanks: str
) -> None:
    # Members thank in words more often than they press 👍: the thanks taught nothing.
    asked = await office.send("anna", GEAR_IN_WORDS)
    assert is_answer(asked, GEAR_ANSWER), asked.text
    said = await office.send("anna", thanks)
    assert "Gern geschehen" in said.text, said.text
    (phrasing,) = await learned(office)
    assert (phrasing.entry_id, phrasing.text) == ("exkursion_ausruestung", GEAR_IN_WORDS)
    assert phrasing.source == "vote" and phrasing.confirmed
    assert is_answer(await office.send("bert", GEAR_SHORT), GEAR_ANSWER)


async def test_thanks_after_a_thumbs_down_or_for_something_else_teaches_nothing(
    office: Harness,
) -> None:
    await vote(office, "anna", GEAR_IN_WORDS, helpful=False)
    await office.send("anna", "danke")  # for the choices offered instead, not the answer
    assert await learned(office) == []
    asked = await office.send("carla", GEAR_IN_WORDS)
    assert is_answer(asked, GEAR_ANSWER), asked.text
    await office.send("carla", "/termine")  # something else came in between
    await office.send("carla", "danke")
    assert await learned(office) == []


async def test_a_thumbs_up_after_a_pick_is_no_second_member(office: Harness) -> None:
    picked = await pick_cancel(office, "anna", VAGUE)
    up = next(p for p in feedback_buttons(picked) if p.endswith(":1"))
    await office.press("anna", up)
    (phrasing,) = await learned(office)
    assert phrasing.source == "pick" and not phrasing.confirmed and phrasing.teachers == 1


def test_the_simulated_loop_learns_as_the_bot_does() -> None:
    entries = [fields_to_entry(f) for f in parse_kb(KB)]
    teach = [
        Question(GEAR_IN_WORDS, "de", "exkursion_ausruestung"),  # answered right
        Question(VAGUE, "de", "exkursion_absagen"),  # picked among the choices
        Question(PHOTOS, "de", "exkursion_ausruestung"),  # handed off, the office answers
    ]
    measure = [
        Question(GEAR_SHORT, "de", "exkursion_ausruestung"),
        Question(PHOTOS, "de", "exkursion_ausruestung"),
    ]
    spec = simulate(entries, teach, measure)
    assert spec["learning"]["picked"] == 1 and spec["learning"]["office"] == 1
    assert spec["learning"]["voted"] == 0 and spec["accuracy"] == 0.5  # the office's phrasing
    # Had every question been taught, the member's words would answer the short question too.
    assert spec["all_taught"]["accuracy"] == 1.0
    voting = simulate(entries, teach, measure, helpful_votes=1.0)
    assert voting["learning"]["voted"] == 1 and voting["learning"]["by_votes"] == 1
    assert voting["accuracy"] == 1.0 and voting["without_learning"]["accuracy"] == 0.0


def test_short_long_and_data_like_questions_teach_nothing() -> None:
    assert teachable("Wie komme ich zur Exkursion in die Grube?")
    assert teachable("What should I wear on the mine tour?")
    assert not teachable("Exkursion Grube?")  # two words
    assert not teachable(" ".join(["Exkursion"] * 50) + "?")
    assert not teachable("Exkursion bitte an anna.beispiel@example.org schreiben")
    assert not teachable("Exkursion https://example.org/anmeldung bitte prüfen")
    assert not teachable("Rückruf Exkursion unter 0391 1234 5678 bitte")
    assert not teachable("aGVsbG8gd29ybGQgdGhpcyBpcyBiaW5hcnkgZGF0YQ== Exkursion Grube")
    assert not teachable("Exkursion \x00\x01 Grube Anmeldung")
    assert not teachable("Vielen herzlichen Dank!")  # small talk


def test_a_pick_confirms_the_phrasings_that_brought_the_entry() -> None:
    entries = [fields_to_entry(f) for f in parse_kb(KB)]
    confirmed = LearningMatcher(entries).engine
    taught = [
        (1, "Soll man Gummistiefel zur Exkursion mitnehmen?", "de"),
        (2, "Kommt der Newsletter auch per Post?", "de"),
    ]
    # Nothing confirmed mentions boots: only the taught phrasing can have brought the entry,
    # and the second member's question shares its word.
    question = "Brauche ich Gummistiefel in der Grube?"
    assert "exkursion_ausruestung" not in confirmed.match(question, "de").entry_ids
    assert corroborated(confirmed, "exkursion_ausruestung", question, "de", taught) == [1]
    # The knowledge base offers the entry by itself: the pick says nothing about phrasings.
    plain = "Was muss ich zur Exkursion mitbringen?"
    assert corroborated(confirmed, "exkursion_ausruestung", plain, "de", taught) == []


def test_unconfirmed_phrasings_offer_and_confirmed_ones_answer() -> None:
    entries = [fields_to_entry(f) for f in parse_kb(KB)]
    plain = LearningMatcher(entries)
    assert plain.match(VAGUE, "de").kind == "choices"
    taught = LearnedText("exkursion_absagen", "de", VAGUE, confirmed=False)
    offered = LearningMatcher(entries, [taught]).match(VAGUE, "de")
    assert offered.kind == "choices" and offered.entry_ids[0] == "exkursion_absagen"
    confirmed = LearningMatcher(entries, [LearnedText("exkursion_absagen", "de", VAGUE, True)])
    assert confirmed.match(VAGUE + "!", "de").entry_ids == ("exkursion_absagen",)
    assert confirmed.match(VAGUE, "de").kind == "answer"
    # A phrasing of an entry that is gone is ignored.
    gone = LearningMatcher(entries, [LearnedText("removed", "de", VAGUE, True)])
    assert gone.match(VAGUE, "de") == plain.match(VAGUE, "de")
    assert normalise("  Was IST mit der Exkursion?!") == "was ist mit der exkursion"


def test_a_learned_question_does_not_lend_its_context_words_to_its_entry() -> None:
    # A member asked about the newsletter mentioning an excursion sign-up; the office taught
    # it. The entry must not take over excursion sign-up questions, and the same question
    # is still answered with the newsletter.
    entries = [fields_to_entry(f) for f in parse_kb(KB)]
    context = "Ich bin zur Exkursion angemeldet und will auch den Newsletter, wie geht das?"
    taught = LearningMatcher(entries, [LearnedText("newsletter", "de", context, True)])
    signup = taught.match("Wie geht die Anmeldung zur Exkursion?", "de")
    assert signup.kind == "answer" and signup.entry_ids == ("exkursion_anmelden",)
    again = taught.match("Ich will den Newsletter, wie geht das?", "de")
    assert again.kind == "answer" and again.entry_ids == ("newsletter",)


def test_a_learned_question_is_read_without_its_context_sentences() -> None:
    # The sentences around the question only describe the member: the entry learns what
    # was asked, so excursion questions keep their entries.
    entries = [fields_to_entry(f) for f in parse_kb(KB)]
    context = (
        "Ich habe mich gestern zur Exkursion nach Goslar angemeldet. "
        "Wie komme ich an den Newsletter?"
    )
    taught = LearningMatcher(entries, [LearnedText("newsletter", "de", context, True)])
    signup = taught.match("Wie melde ich mich zur Exkursion nach Goslar an?", "de")
    assert signup.kind == "answer" and signup.entry_ids == ("exkursion_anmelden",)
    helmets = "Im Bergwerk war es toll. Wie komme ich an den Newsletter?"
    taught = LearningMatcher(entries, [LearnedText("newsletter", "de", helmets, True)])
    assert "newsletter" not in taught.match("Wie war es im Bergwerk?", "de").entry_ids
    assert taught.match("Wie komme ich an den Newsletter?", "de").entry_ids == ("newsletter",)


def test_an_everyday_word_of_a_taught_question_does_not_outweigh_the_knowledge_base() -> None:
    # "raus" appears in no entry of the invented FoodCircle knowledge base; once one taught
    # question uses it, it must not weigh as a rare field word: another entry's question
    # that happens to use it is read as before.
    foodcircle = Path(__file__).parent / "data" / "networks" / "foodcircle" / "kb.toml"
    entries = [fields_to_entry(f) for f in parse_kb(foodcircle.read_text("utf-8"))]
    question = "Wir müssen sparen und wollen zum Jahresende aus dem Verein raus. Was ist zu tun?"
    before = LearningMatcher(entries).match(question, "de")
    assert before.entry_ids[0] == "membership-cancel"
    taught = LearnedText(
        "newsletter-unsubscribe", "de", "Bitte nehmt mich da raus, das ist mir zu viel Post", True
    )
    assert LearningMatcher(entries, [taught]).match(question, "de") == before


# ---------------------------------------------------------------- the office's review


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        async with found.bot.db.session() as session:
            await import_kb(session, parse_kb(KB))
        yield found


async def signed_in(dash: Dashboard, user: str = "admin") -> SignedIn:
    client = await dash.signed_in(user)
    found = re.search(r'name="csrf" value="([^"]+)"', (await client.get("/faq"))[1])
    assert found is not None
    client.csrf = found.group(1)
    return client


async def audit_actions(dash: Dashboard) -> list[str]:
    async with dash.bot.db.session() as session:
        return [e.action for e in await audit.recent(session, limit=50)]


async def test_the_office_sees_confirms_and_removes_learned_phrasings(dash: Dashboard) -> None:
    bot = dash.bot
    await pick_cancel(bot, "anna", VAGUE)
    asked = await bot.send("dora", PHOTOS)
    assert "#1" in asked.text
    await learn_at_once(bot, "/learn 1 exkursion_ausruestung")
    office = await signed_in(dash)
    status, page = await office.get("/faq")
    shown = html.unescape(page)
    assert status == 200 and "Gelernte Formulierungen" in shown
    assert "1 wartet auf Bestätigung" in shown
    section = shown[shown.index('id="learned"') : shown.index('id="entries"')]
    assert VAGUE in section and PHOTOS in section
    assert "Auswahl von Mitgliedern" in section and "Zuordnung der Geschäftsstelle" in section
    assert "unbestätigt" in section and "1× gesehen" in section
    # the dates stay on one line on a phone (they broke inside "2026-12-03")
    assert '<span class="nowrap">' in section

    pick, taught = sorted(await learned(bot), key=lambda p: p.source != "pick")
    status, _ = await office.post(f"/faq/learned/{pick.id}/confirm")
    assert status == 303
    assert [p.confirmed for p in await learned(bot)] == [True, True]
    # Confirmed by the office: one member's pick now answers everybody.
    assert is_answer(await bot.send("carla", VAGUE), CANCEL_ANSWER)

    status, _ = await office.post(f"/faq/learned/{taught.id}/remove")
    assert status == 303
    assert [p.id for p in await learned(bot)] == [pick.id]
    assert not is_answer(await bot.send("emil", PHOTOS), GEAR_ANSWER)
    status, page = await office.get("/faq?done=learned_removed&id=exkursion_ausruestung")
    shown = html.unescape(page)
    # Said where the office clicked (the page returns to #learned), not at the top.
    section = shown[shown.index('id="learned"') : shown.index('id="entries"')]
    assert "Gelernte Formulierung von „Was muss ich zur Exkursion mitbringen?“ entfernt" in section
    # In English the entries are named by their English phrasing.
    _, page = await office.get("/faq?lang=en")
    section = html.unescape(page)[: html.unescape(page).index('id="entries"')]
    assert "How do I cancel my place on an excursion?" in section
    assert "Wie sage ich meine Teilnahme" not in section
    # Removed meanwhile (a second tab): a clear word, nothing else changes.
    status, _ = await office.post(f"/faq/learned/{taught.id}/remove")
    assert status == 303
    actions = await audit_actions(dash)
    assert actions.count("web:faq:learned_confirm") == 1
    assert actions.count("web:faq:learned_remove") == 1
    await office.close()


# Nothing in the knowledge base matches it: handed to the office (English).
PHOTOS_EN = "May visitors take photographs underground in the mine?"


async def test_forget_clears_her_questions_from_the_dashboards_learned_phrasings(
    dash: Dashboard,
) -> None:
    bot = dash.bot
    await pick_cancel(bot, "anna", VAGUE)
    asked = await bot.send("dora", PHOTOS)
    assert "#1" in asked.text
    await learn_at_once(bot, "/learn 1 exkursion_ausruestung")
    await bot.onboard("eve", lang="en")
    asked = await bot.send("eve", PHOTOS_EN)
    if "#2" not in asked.text:  # offered a topic first: she hands it to the office
        asked = await bot.press("eve", next(p for p in asked.buttons if p.startswith("faq:ho:")))
    assert "#2" in asked.text, asked.text
    await learn_at_once(bot, "/learn 2 exkursion_ausruestung")
    office = await signed_in(dash)
    (pick,) = [p for p in await learned(bot) if p.source == "pick"]
    await office.post(f"/faq/learned/{pick.id}/confirm")  # the office backs Anna's pick
    section = await learned_section(office)
    assert VAGUE in section and PHOTOS in section and PHOTOS_EN in section

    for user in ("anna", "dora", "eve"):
        await forget(bot, user)
    section = await learned_section(office)
    assert VAGUE not in section and PHOTOS not in section and PHOTOS_EN not in section
    assert await learned(bot) == []
    await office.close()


async def learned_section(office: SignedIn) -> str:
    status, page = await office.get("/faq")
    assert status == 200
    shown = html.unescape(page)
    return shown[: shown.index('id="entries"')]


async def demoted_admin(dash: Dashboard) -> SignedIn:
    """ "ada", signed in to the dashboard while an admin, no admin any more."""
    bot = dash.bot
    await bot.onboard("ada")
    ada_member = await bot.member("ada")
    assert ada_member is not None
    await bot.send("admin", f"/promote {ada_member.id}")
    ada = await signed_in(dash, "ada")
    await bot.send("admin", f"/demote {ada_member.id}")
    return ada


async def test_a_member_who_is_not_an_admin_cannot_confirm_or_remove(dash: Dashboard) -> None:
    bot = dash.bot
    await pick_cancel(bot, "anna", VAGUE)
    (pick,) = await learned(bot)
    ada = await demoted_admin(dash)
    for action in ("confirm", "remove"):
        status, _ = await ada.post(f"/faq/learned/{pick.id}/{action}")
        assert status == 303  # to the sign-in page, nothing done
    (still,) = await learned(bot)
    assert not still.confirmed
    status, page = await ada.get("/faq")
    assert status == 303 and VAGUE not in page
    assert not any("learned" in a for a in await audit_actions(dash))
    await ada.close()


def test_an_entrys_own_phrasing_asked_word_for_word_is_answered_with_it() -> None:
    from handlers.faq.kb_format import FaqEntry

    entries = [
        FaqEntry("help", (), {"en": ("What can you do?",)}, {"en": "I answer questions."}),
        FaqEntry("fee", (), {"en": ("How much is the fee?",)}, {"en": "100 euros."}),
        FaqEntry("on", (), {"en": ("How do I get on the list?",)}, {"en": "Write /news yes."}),
        FaqEntry("off", (), {"en": ("How do I get off the list?",)}, {"en": "Write /news no."}),
        FaqEntry("a", (), {"en": ("Where is it?",)}, {"en": "Here."}),
        FaqEntry("b", (), {"en": ("Where is it?",)}, {"en": "There."}),
    ]
    matcher = LearningMatcher(entries)
    # Only function words: the engine weighs none of them, the phrasing itself is the entry's.
    assert matcher.match("what can you do", "en").entry_ids == ("help",)
    assert matcher.match("How do I get off the list?", "en").entry_ids == ("off",)
    assert matcher.match("How do I get on the list?", "en").entry_ids == ("on",)
    # A phrasing two entries share is no answer by itself.
    assert matcher.match("Where is it?", "en").kind != "answer"


def test_a_ticket_teaches_its_question_with_an_event_only_where_it_points_back() -> None:
    # walkthrough 2026-12-07: the event's heading and date had been learned in front of
    # "Can I bring my dog to the symposium?"
    from handlers.faq.inbox import taught_text

    event = "REWIMET Symposium: Kreislauf der Metalle (Thu 2027-01-21, 09:00 – 15:00)"
    assert taught_text(event, "Can I bring my dog to the symposium?") == (
        "Can I bring my dog to the symposium?"
    )
    # pointing back it needs what it points to: the event by its title, not its date
    assert taught_text(event, "Gibt es da Parkplätze?") == (
        "REWIMET Symposium: Kreislauf der Metalle Gibt es da Parkplätze?"
    )
    before = "Was ist das Innovationsforum?"
    assert taught_text(before, "Können auch Studierende daran teilnehmen?") == (
        "Was ist das Innovationsforum? Können auch Studierende daran teilnehmen?"
    )
