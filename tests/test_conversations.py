"""A pending step never traps anyone (issue 14 §1): commands always work and pause the step,
typed text is never taken for a button press, questions are answered as questions, and a
member with a profile is not onboarded twice. Driven through the test harness, German and
English, asserting what the member reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.context import Context
from bot.demo import DEMO_DIR
from bot.messages import Button, Reply
from bot.router import Args
from storage import conversations
from storage.faq import FaqTicket
from tests.harness import Harness

STALE = ("nicht mehr gültig", "no longer valid")


@pytest.fixture
async def kb_bot(bot: Harness) -> Harness:
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    return bot


async def pending_step(bot: Harness, user: str) -> tuple[str, str] | None:
    member = await bot.member(user)
    assert member is not None
    async with bot.db.session() as session:
        row = await conversations.get(session, member_id=member.id)
    return None if row is None else (row.flow, row.step)


async def test_a_command_pauses_the_sign_up_and_start_continues_it(kb_bot: Harness) -> None:
    welcome = await kb_bot.send("neu", "/start", lang="de")
    assert "Welche Sprache" in welcome.text
    events = await kb_bot.send("neu", "/events")
    hint = "Ihre Registrierung ist noch nicht fertig – antworten Sie einfach auf die letzte Frage"
    assert events.replies[0].text.startswith(hint)  # first: the list's buttons stay last
    assert await pending_step(kb_bot, "neu") == ("onboarding", "language")

    answer = await kb_bot.send("neu", "wie hoch ist der mitgliedsbeitrag")
    assert "Jahresbeitrag" in answer.text
    assert not any(s in answer.text for s in STALE)
    number = await kb_bot.send("neu", "1")
    assert not any(s in number.text for s in STALE) and "Deutsch oder English" in number.text

    again = await kb_bot.send("neu", "/start")
    assert again.text.startswith("Weiter mit Ihrer Registrierung:")
    assert "Welche Sprache" in again.text and again.button("Deutsch")
    assert await pending_step(kb_bot, "neu") == ("onboarding", "language")
    asked = await kb_bot.press("neu", again.button("Deutsch"))
    assert "Für welche Organisation" in asked.text
    # A command in between, then the answer: it is the step's, not a question for the office.
    await kb_bot.send("neu", "/events")
    await kb_bot.send("neu", "Harz Recycling GmbH")
    # A question instead of the role: answered, and the step still waits for the role.
    question = await kb_bot.send("neu", "Wann findet das Symposium statt?")
    assert "Welche Rolle" not in question.text
    await kb_bot.send("neu", "Einkauf")
    member = await kb_bot.member("neu")
    assert member is not None
    assert (member.organisation, member.role) == ("Harz Recycling GmbH", "Einkauf")


async def test_english_a_question_in_the_middle_of_the_sign_up_is_answered(
    kb_bot: Harness,
) -> None:
    await kb_bot.send("new", "/start", lang="en")
    await kb_bot.press("new", "ob:language:en")
    faq = await kb_bot.send("new", "/faq")
    assert (
        "Your registration is not finished yet – just answer the last question "
        "(/start shows it again)" in faq.text
    )
    answer = await kb_bot.send("new", "How much is the membership fee?")
    assert "annual fee" in answer.text.lower()
    assert not any(s in answer.text for s in STALE)


@pytest.mark.parametrize(
    ("lang", "expected", "leave"),
    [
        ("de", "Bitte wählen Sie Deutsch oder English", "/abbrechen oder einfach „abbrechen“"),
        ("en", "Please choose Deutsch or English", "“cancel” or /cancel"),
    ],
)
async def test_text_that_is_no_answer_gets_a_hint_and_abbrechen_leaves(
    kb_bot: Harness, lang: str, expected: str, leave: str
) -> None:
    await kb_bot.send("ida", "/start", lang=lang)  # new: the language is asked
    hint = await kb_bot.send("ida", "xyz")
    assert expected in hint.text and leave in hint.text
    assert await pending_step(kb_bot, "ida") == ("onboarding", "language")
    word = "abbrechen" if lang == "de" else "cancel"
    left = await kb_bot.send("ida", word)
    said = "Ihre Registrierung ist unterbrochen" if lang == "de" else "registration is interrupted"
    assert said in left.text, left.text
    # the same words as /cancel: a sign-up keeps what was answered
    assert "/start" in left.text, left.text
    assert await pending_step(kb_bot, "ida") is None


@pytest.mark.parametrize("cancel", ["/abbrechen", "/cancel", "!abbrechen"])
async def test_abbrechen_is_cancel_beside_any_step(kb_bot: Harness, cancel: str) -> None:
    """/abbrechen, the name German members read, is /cancel: no "still waits" line before it,
    the same words naming what ends, the step gone; in the sign-up and in an admin's
    broadcast."""
    await kb_bot.send("ida", "/start", lang="de")
    left = await kb_bot.send("ida", cancel)
    assert left.text == "Ihre Registrierung ist unterbrochen. Was Sie schon beantwortet haben, " + (
        "bleibt gespeichert; /start macht weiter."
    )
    assert len(left.replies) == 1 and await pending_step(kb_bot, "ida") is None
    await kb_bot.send("admin", "/rundschreiben")
    assert await pending_step(kb_bot, "admin") == ("broadcast", "text")
    dropped = await kb_bot.send("admin", cancel)
    assert dropped.text == "Ihr Rundschreiben-Entwurf wurde verworfen; verschickt wurde nichts."
    assert await pending_step(kb_bot, "admin") is None


@pytest.mark.parametrize(
    ("lang", "word", "said"),
    [
        ("en", "cancel", "Cancelled. Nothing was changed."),
        ("de", "abbrechen", "Abgebrochen. Nichts wurde geändert."),
    ],
)
async def test_cancel_alone_with_nothing_open_is_no_question(
    kb_bot: Harness, lang: str, word: str, said: str
) -> None:
    """ "cancel" typed with nothing open was answered with the entry on cancelling the
    membership; it is /cancel, which says nothing changed."""
    await kb_bot.send("ute", f"/language {lang}")
    reply = await kb_bot.send("ute", word.capitalize(), lang=lang)
    assert reply.text == said, reply.text
    assert not reply.buttons
    # "stop" alone is left to the FAQ (the newsletter, as often as not)
    assert (await kb_bot.send("ute", "stop", lang=lang)).text != said


async def test_a_yes_no_step_explains_itself_and_a_question_is_answered(kb_bot: Harness) -> None:
    await kb_bot.send("ole", "/start", lang="de")
    await kb_bot.press("ole", "ob:language:de")
    await kb_bot.send("ole", "Harz Metall GmbH")
    await kb_bot.send("ole", "Einkauf")
    await kb_bot.send("ole", "Batterierecycling")
    hint = await kb_bot.send("ole", "vielleicht")
    assert "Bitte antworten Sie mit Ja oder Nein." in hint.text and "/abbrechen" in hint.text
    answer = await kb_bot.send("ole", "Was kostet die Mitgliedschaft im Jahr?")
    assert "Jahresbeitrag" in answer.text and "/start zeigt sie noch einmal" in answer.text
    resumed = await kb_bot.send("ole", "/start")
    assert "Dürfen Partneranfragen" in resumed.text and resumed.button("Ja")


@pytest.mark.parametrize(
    "asked",
    ["habt ihr eine jobbörse", "newsletter abbestellen wie", "have you got a job board"],
)
async def test_a_question_typed_without_its_mark_is_answered_at_a_yes_no_step(
    kb_bot: Harness, asked: str
) -> None:
    """Walkthrough (session 48): a question opening with its verb and subject, or ending on
    its question word, typed without "?", had got "Bitte antworten Sie mit Ja oder Nein.";
    "wir sitzen in Goslar" (below) still does."""
    await kb_bot.send("ole", "/start", lang="de")
    await kb_bot.press("ole", "ob:language:de")
    await kb_bot.send("ole", "Harz Metall GmbH")
    await kb_bot.send("ole", "Einkauf")
    await kb_bot.send("ole", "Batterierecycling")
    said = await kb_bot.send("ole", asked)
    assert "Bitte antworten Sie mit Ja oder Nein." not in said.text, said.text
    assert "Ihre Registrierung ist noch nicht fertig" in said.text, said.text
    assert await pending_step(kb_bot, "ole") == ("onboarding", "consent")


async def test_text_at_a_step_waiting_for_a_button_never_reaches_the_office_unasked(
    kb_bot: Harness,
) -> None:
    """At the yes/no step: a long text that asks nothing gets the step's hint (it had gone to
    the FAQ and on to the office as a ticket); a question nobody answers is not passed on
    unless the member says so."""
    await kb_bot.send("ole", "/start", lang="de")
    await kb_bot.press("ole", "ob:language:de")
    await kb_bot.send("ole", "Harz Metall GmbH")
    await kb_bot.send("ole", "Einkauf")
    await kb_bot.send("ole", "Batterierecycling")
    said = await kb_bot.send("ole", "Wir sitzen in Goslar direkt am Bahnhof")
    assert "Bitte antworten Sie mit Ja oder Nein." in said.text and "Ticket" not in said.text
    asked = await kb_bot.send("ole", "Wie heißt der Hund der Geschäftsführerin?")
    assert "Weitergegeben habe ich nichts" in asked.text, asked.text
    async with kb_bot.db.session() as session:
        assert not list((await session.execute(select(FaqTicket))).scalars())
    passed = await kb_bot.press("ole", asked.button("Ja, an die Geschäftsstelle"))
    assert "Ticket #1" in passed.text
    assert await pending_step(kb_bot, "ole") == ("onboarding", "consent")


@pytest.mark.parametrize(
    ("lang", "already", "change", "asked"),
    [
        (
            "de",
            "Willkommen zurück! Ihr Profil steht (Organisation: Test GmbH)",
            "Profil ändern",
            "Für welche",
        ),
        (
            "en",
            "Welcome back! Your profile is set up (organisation: Test GmbH)",
            "Change profile",
            "Which",
        ),
    ],
)
async def test_start_with_a_profile_offers_to_change_it(
    bot: Harness, lang: str, already: str, change: str, asked: str
) -> None:
    await bot.onboard("pia", lang=lang)
    start = await bot.send("pia", "/start")
    assert already in start.text
    # welcomed back with what they can do, in their language, not asked the language again
    assert "Which language" not in start.text and "Welche Sprache" not in start.text
    assert ("/termine" if lang == "de" else "/events") in start.text, start.text
    question = await bot.press("pia", start.button(change))
    assert question.text.startswith(asked)
    member = await bot.member("pia")
    assert member is not None and member.onboarded  # nothing was lost on the way


@pytest.mark.parametrize(
    ("lang", "rather_not", "next_question"),
    [("de", "lieber nicht", "Neuigkeiten"), ("en", "rather not, thanks", "news")],
)
async def test_rather_not_at_a_question_that_may_be_skipped_skips_it(
    bot: Harness, lang: str, rather_not: str, next_question: str
) -> None:
    """ "lieber nicht" at the contact question had ended the whole registration."""
    await bot.send("vera", "/start", lang=lang)
    await bot.press("vera", f"ob:language:{lang}")
    for text in ("TU Clausthal", "Forschung", "Hydrometallurgie"):
        await bot.send("vera", text)
    await bot.press("vera", "ob:consent:1")
    news = await bot.send("vera", rather_not)
    assert next_question in news.text and "interrupted" not in news.text, news.text
    assert "unterbrochen" not in news.text
    member = await bot.member("vera")
    assert member is not None and member.contact == ""
    assert await pending_step(bot, "vera") == ("onboarding", "news")


async def test_the_contact_is_asked_only_with_consent_and_may_be_skipped(bot: Harness) -> None:
    await bot.send("uwe", "/start", lang="de")
    await bot.press("uwe", "ob:language:de")
    for text in ("Stadtwerke Goslar", "Umwelt", "Wertstoffhof"):
        await bot.send("uwe", text)
    no_consent = await bot.press("uwe", "ob:consent:0")
    assert "Neuigkeiten" in no_consent.text and "Kontakt" not in no_consent.text
    await bot.send("vera", "/start", lang="de")
    await bot.press("vera", "ob:language:de")
    for text in ("TU Clausthal", "Forschung", "Hydrometallurgie"):
        await bot.send("vera", text)
    contact = await bot.press("vera", "ob:consent:1")
    assert "Über welchen Kontakt" in contact.text
    news = await bot.press("vera", contact.button("Überspringen"))
    assert "Neuigkeiten" in news.text
    member = await bot.member("vera")
    assert member is not None and member.contact == ""
    # Changing the profile later, the contact given meanwhile is shown and kept.
    await bot.press("vera", "ob:news:0")
    await bot.press("vera", "ob:yp:0")
    await bot.send("vera", "/contact vera@example.org")
    await bot.press("vera", (await bot.send("vera", "/start")).button("Profil ändern"))
    for text in ("TU Clausthal", "Forschung", "Hydrometallurgie"):
        await bot.send("vera", text)
    contact = await bot.press("vera", "ob:consent:1")
    assert "Bisher: vera@example.org" in contact.text
    await bot.press("vera", contact.button("Beibehalten"))
    member = await bot.member("vera")
    assert member is not None and member.contact == "vera@example.org"


CONTACT_HINT = {
    "de": ("Bitte geben Sie eine E-Mail-Adresse", "schreiben Sie „überspringen“", "Neuigkeiten"),
    "en": ("Please give an e-mail address", "type “skip”", "news"),
}


@pytest.mark.parametrize(
    ("lang", "profile", "typed"),
    [
        ("de", "/profil", "Überspringen"),
        ("de", "/profil", "überspringen"),
        ("de", "/hilfe", "keine"),
        ("de", "/profil", "Skip"),
        ("en", "/profile", "skip"),
        ("en", "/profile", "Skip"),
        ("en", "/help", "Überspringen"),
        ("en", "/profile", "none"),
    ],
)
async def test_a_typed_skip_word_skips_the_contact_after_a_command_in_between(
    bot: Harness, lang: str, profile: str, typed: str
) -> None:
    """The walkthrough's new member typed /profil at the contact question, then "Überspringen"
    (the button's words, the button no longer the latest): asked for an address again and again,
    told to tap a button no longer shown. A typed skip word does what the button does, and the
    hint says to write it."""
    await bot.send("ole", "/start")
    await bot.press("ole", f"ob:language:{lang}")
    for text in ("Harz Recycling GmbH", "Einkauf", "Kobalt"):
        await bot.send("ole", text)
    contact = await bot.press("ole", "ob:consent:1")
    assert contact.buttons, contact.text
    await bot.send("ole", profile)
    refused, hint, _ = CONTACT_HINT[lang]
    asked = await bot.send("ole", "0815")  # neither an address nor a number: the hint
    assert refused in asked.text and hint in asked.text, asked.text
    news = await bot.send("ole", typed)
    assert CONTACT_HINT[lang][2] in news.text and refused not in news.text, news.text
    await bot.press("ole", "ob:news:0")
    await bot.press("ole", "ob:yp:0")
    member = await bot.member("ole")
    assert member is not None and member.onboarded and member.contact == ""


async def test_a_typed_skip_word_at_a_profile_change_keeps_the_contact(bot: Harness) -> None:
    """Changing the profile, "überspringen" typed at the contact keeps the one given."""
    await bot.onboard("pit", lang="de")
    await bot.send("pit", "/kontakt pit@example.org")
    await bot.press("pit", (await bot.send("pit", "/start")).button("Profil ändern"))
    for text in ("TU Clausthal", "Forschung", "Hydrometallurgie"):
        await bot.send("pit", text)
    await bot.press("pit", "ob:consent:1")
    await bot.send("pit", "/hilfe")
    news = await bot.send("pit", "überspringen")
    assert "Neuigkeiten" in news.text, news.text
    member = await bot.member("pit")
    assert member is not None and member.contact == "pit@example.org"


@pytest.mark.parametrize(
    ("lang", "so_far", "keep", "topics"),
    [("de", "Bisher:", "Beibehalten", "Themen"), ("en", "So far:", "Keep", "topics")],
)
async def test_going_back_shows_the_answer_given_and_keeps_it_with_a_button(
    bot: Harness, lang: str, so_far: str, keep: str, topics: str
) -> None:
    """ "zurück" asks the question before again with what was answered, which one button
    keeps (not typed again); a profile change shows every answer so."""
    await bot.send("ida", "/start", lang=lang)
    await bot.press("ida", f"ob:language:{lang}")
    await bot.send("ida", "Harz Metall GmbH")
    await bot.send("ida", "Einkauf")
    back = await bot.send("ida", "back" if lang == "en" else "zurück")
    assert f"{so_far} Einkauf" in back.text
    following = await bot.press("ida", back.button(keep))
    assert topics in following.text and so_far not in following.text
    again = await bot.send("ida", "back" if lang == "en" else "zurück")
    organisation = await bot.send("ida", "back" if lang == "en" else "zurück")
    assert f"{so_far} Harz Metall GmbH" in organisation.text and "Einkauf" in again.text
    await bot.press("ida", organisation.button(keep))
    member = await bot.member("ida")
    assert member is not None
    assert (member.organisation, member.role) == ("Harz Metall GmbH", "Einkauf")
    # nothing given yet: no "so far", no button to keep it
    assert so_far not in following.text and not following.buttons


@pytest.mark.parametrize(
    ("lang", "fresh", "language", "none"),
    [
        ("de", "Ihre Daten wurden gelöscht", "Welche Sprache", "Sie haben noch kein Profil"),
        ("en", "Your data was erased", "Which language", "You do not have a profile yet"),
    ],
)
async def test_after_forget_the_next_message_is_answered_as_for_anyone_new(
    kb_bot: Harness, lang: str, fresh: str, language: str, none: str
) -> None:
    await kb_bot.onboard("eva", lang=lang)
    confirm = await kb_bot.send("eva", "/forget")
    await kb_bot.press("eva", confirm.buttons[0])
    # The line about the erased profile, then the answer – not thrown away for a sign-up.
    back = await kb_bot.send("eva", "Was kostet die Mitgliedschaft?", lang=lang)
    assert fresh in back.text and "/start" in back.text and language not in back.text
    assert "Jahresbeitrag" in back.text, back.text
    member = await kb_bot.member("eva")
    assert member is not None and not member.onboarded  # nothing carried over
    assert await pending_step(kb_bot, "eva") is None
    # A button of the erased profile does nothing but begin the new one.
    await kb_bot.onboard("ada", lang=lang)
    confirm = await kb_bot.send("ada", "/forget")
    await kb_bot.press("ada", confirm.buttons[0])
    stale = await kb_bot.press("ada", "ev:join:1", lang=lang)
    assert fresh in stale.text and language in stale.text and stale.button("Deutsch")
    assert await pending_step(kb_bot, "ada") == ("onboarding", "language")
    # Said once; a new member who never used /forget is not greeted like that.
    assert none in (await kb_bot.send("eva", "/profile", lang=lang)).text
    assert fresh not in (await kb_bot.send("otto", "/profile", lang=lang)).text


async def test_forget_answered_in_words_erases_or_keeps(kb_bot: Harness) -> None:
    await kb_bot.onboard("ute")
    await kb_bot.send("ute", "/forget")
    kept = await kb_bot.send("ute", "nein")
    assert "bleibt alles gespeichert" in kept.text
    member = await kb_bot.member("ute")
    assert member is not None and member.onboarded
    await kb_bot.send("ute", "/forget")
    erased = await kb_bot.send("ute", "ja, alles löschen")
    assert "gelöscht" in erased.text.lower(), erased.text
    member = await kb_bot.member("ute")
    assert member is None or not member.onboarded


@pytest.mark.parametrize(
    ("lang", "problem", "added"),
    [
        # the entry named by its first question in the admin's language, not its id
        (
            "de",
            "Zu den Fragen in dieser Sprache fehlt noch „Antwort auf Englisch“.",
            "„Wo kann ich parken?“",
        ),
        (
            "en",
            "The questions in that language still need “Answer in English”.",
            "“Where can I park?”",
        ),
    ],
)
async def test_a_failed_faq_entry_keeps_the_answers_and_asks_for_the_one_field(
    bot: Harness, lang: str, problem: str, added: str
) -> None:
    await bot.send("admin", f"/language {lang}")
    await bot.send("admin", "/faq_add")
    for answer in ("parken", "Wo kann ich parken?", "Auf dem Hof.", "Where can I park?", "-"):
        await bot.send("admin", answer)
    asked = await bot.send("admin", "Parken; Hof")
    assert problem in asked.text and "questions in ['en']" not in asked.text
    done = await bot.send("admin", "In the yard.")
    assert added in done.text
    shown = await bot.send("admin", "/faq parken")
    for kept in ("Wo kann ich parken?", "Auf dem Hof.", "Where can I park?", "In the yard."):
        assert kept in shown.text


async def test_profile_right_after_forget_says_once_that_there_is_none(bot: Harness) -> None:
    for user in ("udo", "ida"):
        await bot.onboard(user)
        confirm = await bot.send(user, "/forget")
        await bot.press(user, confirm.buttons[0])
    shown = await bot.send("udo", "/profil")
    assert len(shown.replies) == 1 and "Sie haben noch kein Profil" in shown.text, shown.text
    # another command hears why the bot meets them as a stranger
    assert "Willkommen zurück" in (await bot.send("ida", "/meinetermine")).text


@pytest.mark.parametrize(
    ("lang", "said"),
    [("de", "Zu „{}“ gibt es gerade keine Auswahl"), ("en", "There is nothing to choose by “{}”")],
)
async def test_a_bare_number_or_letter_that_presses_nothing_says_so(
    kb_bot: Harness, lang: str, said: str
) -> None:
    """A number a transport did not turn into a press (an older message's 👍/👎, or none at
    all) is no question too short for the office: the member reads that it chose nothing."""
    await kb_bot.onboard("uwe", lang=lang)
    for typed in ("2", "3.", "(1)", "c", "2️⃣"):
        reply = await kb_bot.send("uwe", typed)
        assert reply.text.startswith(said.format(typed)), reply.text
        assert ("etwas kurz" if lang == "de" else "a bit short") not in reply.text
    # a longer number, a word, a question: as before
    assert "Auswahl" not in (await kb_bot.send("uwe", "ok")).text


@pytest.mark.parametrize(
    ("lang", "asked", "down", "typed", "meant"),
    [
        ("en", "How much is the membership fee?", "👎", "yes", "(ticket #1)"),
        ("de", "Wie hoch ist der Mitgliedsbeitrag?", "👎", "ja", "(Ticket #1)"),
    ],
)
async def test_yes_under_an_offer_means_its_button_not_an_older_yes(
    kb_bot: Harness, lang: str, asked: str, down: str, typed: str, meant: str
) -> None:
    # The registration's Yes/No are older buttons with the same word: "yes" under "Yes, ask
    # the office" had been told there was nothing to choose by it; it presses that button
    # (`asking.office_question`), the question goes to the office.
    await kb_bot.onboard("ole", lang=lang)
    answered = await kb_bot.send("ole", asked, lang=lang)
    offer = await kb_bot.press("ole", answered.button(down))
    said = await kb_bot.send("ole", typed, lang=lang)
    assert meant in said.text, (offer.text, said.text)


async def test_a_number_typed_under_tapped_buttons_points_to_them(kb_bot: Harness) -> None:
    # On Telegram buttons are tapped: "2" under an answer's 👍/👎 pressed nothing, and the
    # member was told it chose "only from the newest choices", which these are.
    await kb_bot.onboard("una", lang="de")
    await kb_bot.send("una", "Wie hoch ist der Mitgliedsbeitrag?")
    typed = await kb_bot.send("una", "2")
    assert "Schaltflächen der letzten Auswahl oben" in typed.text, typed.text
    assert "älteren Nachrichten" not in typed.text


@pytest.mark.parametrize(
    ("lang", "asked", "none", "above", "older", "withdraw"),
    [
        (
            "de", "Kosten", "Nichts davon – an die Geschäftsstelle",
            "„{}“ ist eine Schaltfläche oben", "Zu „{}“ gibt es gerade keine Auswahl",
            "#{} zurückziehen",
        ),
        (
            "en", "Costs", "None of these – ask the office", "“{}” is a button above",
            "There is nothing to choose by “{}”", "Withdraw #{}",
        ),
    ],
)  # fmt: skip
async def test_a_buttons_words_typed_are_never_a_question_for_the_office(
    kb_bot: Harness, lang: str, asked: str, none: str, above: str, older: str, withdraw: str
) -> None:
    """Where buttons are tapped (Telegram), their words typed press nothing: they had become
    a new question, an office ticket with the button's words as its text, or ("#1
    zurückziehen" below a newer message) the FAQ entry on cancelling the membership."""
    await kb_bot.onboard("ute", lang=lang)
    offered = await kb_bot.send("ute", asked)
    assert len(offered.buttons) >= 2, offered.text
    typed = await kb_bot.send("ute", none)
    assert typed.text.startswith(above.format(none)), typed.text
    name = none.split(" – ")[0]  # the words before the dash name the button
    named = await kb_bot.send("ute", name)
    assert named.text.startswith(above.format(name)), named.text
    begun = await kb_bot.send("ute", none.split()[0])
    assert f"„{none}“?" in begun.text or f"“{none}”?" in begun.text, begun.text
    passed = await kb_bot.press("ute", offered.buttons[-1])  # none of these, pressed
    assert "#1" in passed.text
    mine = await kb_bot.send("ute", "/meinefragen")
    assert asked in mine.text and none not in mine.text
    await kb_bot.send("ute", "/profil")
    label = withdraw.format(1)
    replaced = await kb_bot.send("ute", label)
    assert replaced.text.startswith(older.format(label)), replaced.text
    assert asked in (await kb_bot.send("ute", "/meinefragen")).text  # still open
    # an older button's words that are a question (an FAQ entry's title) are answered
    title = offered.replies[0].buttons[0][0].label
    assert "?" in title
    answered = await kb_bot.send("ute", title)
    assert any(p.startswith("faq:fb:") for p in answered.buttons), answered.text


async def test_an_old_no_to_forget_does_not_end_the_registration(kb_bot: Harness) -> None:
    """A button of another flow ends only its own: "Nein" under an abandoned /vergessen
    question, pressed during the registration, keeps the registration going."""
    await kb_bot.send("neu", "Hallo")  # known now: /vergessen asks (a stranger is told)
    asked = await kb_bot.send("neu", "/vergessen")
    welcome = await kb_bot.send("neu", "/start")
    assert "Welche Sprache" in welcome.text
    await kb_bot.press("neu", asked.button("Nein"))
    assert await pending_step(kb_bot, "neu") == ("onboarding", "language")
    goes_on = await kb_bot.press("neu", welcome.button("Deutsch"))
    assert "Für welche Organisation" in goes_on.text, goes_on.text


async def test_a_command_asking_beside_the_registration_says_once_that_it_waits(
    kb_bot: Harness,
) -> None:
    """/vergessen in the middle of the registration: one line says it waits and until when,
    above the question; not first "not finished yet, answer the last question" as well."""
    await kb_bot.send("neu", "/start")
    await kb_bot.press("neu", "ob:language:de")
    asked = await kb_bot.send("neu", "/vergessen")
    said = [str(reply.text) for reply in asked.replies]
    assert said[0].startswith("Ihre Registrierung wartet und geht weiter, sobald Sie die Frage")
    assert len(said) == 2 and "Sollen wirklich alle" in said[1], said
    back = await kb_bot.press("neu", asked.button("Nein"))
    assert "Weiter mit Ihrer Registrierung" in back.text and "Organisation" in back.text


async def test_a_registration_and_a_broadcast_both_wait_under_a_new_event(bot: Harness) -> None:
    """Flows that stay wait under each other: each comes back in turn, nothing lost."""
    await bot.send("admin", "/start")
    await bot.press("admin", "ob:language:de")
    draft = await bot.send("admin", "/rundschreiben")
    assert "Registrierung wartet" in draft.text, draft.text
    assert "sobald das neue Rundschreiben verschickt, geplant oder verworfen ist" in draft.text
    await bot.send("admin", "Sommerfest am Kaiserpalast")
    form = await bot.send("admin", "/neuertermin")
    assert "Rundschreiben ist nicht verloren" in form.text, form.text
    back = await bot.send("admin", "/abbrechen")
    assert "Weiter mit Ihrem Rundschreiben" in back.text and back.button("Ohne Bild")
    assert "Registrierung" not in back.text
    dropped = await bot.press("admin", back.button("Ohne Bild"))
    dropped = await bot.press("admin", dropped.button("Alle"))
    done = await bot.press("admin", dropped.button("Abbrechen"))
    assert "Weiter mit Ihrer Registrierung" in done.text, done.text
    assert "Für welche Organisation" in done.text


@pytest.mark.parametrize(
    ("lang", "cancel", "resumed", "topics", "keep", "remove"),
    [
        (
            "de",
            "/abbrechen",
            "Weiter mit Ihrer Registrierung",
            "Themen",
            "Beibehalten",
            "entfernen",
        ),
        ("en", "/cancel", "Back to your registration", "topics", "Keep", "Remove contact"),
    ],
)
async def test_start_after_cancel_goes_on_at_the_first_open_question(
    bot: Harness, lang: str, cancel: str, resumed: str, topics: str, keep: str, remove: str
) -> None:
    """/abbrechen says /start goes on: it does, at the first open question (not at the
    language again); beside a contact given, "skip" says it removes it."""
    await bot.send("jon", "/start", lang=lang)
    await bot.press("jon", f"ob:language:{lang}")
    await bot.send("jon", "Harz Metall GmbH")
    await bot.send("jon", "Einkauf")
    await bot.send("jon", cancel)
    again = await bot.send("jon", "/start")
    assert resumed in again.text and topics in again.text, again.text
    await bot.send("jon", "Kupfer")
    await bot.press("jon", "ob:consent:1")
    await bot.send("jon", "jon@example.org")
    contact = await bot.send("jon", "back" if lang == "en" else "zurück")
    assert "jon@example.org" in contact.text and contact.button(remove) == "ob:contact:-"
    await bot.press("jon", contact.button(keep))
    member = await bot.member("jon")
    assert member is not None and member.contact == "jon@example.org"


@pytest.mark.parametrize(
    ("lang", "keep", "change", "updated", "set_up"),
    [
        ("de", "Beibehalten", "Profil ändern", "aktualisiert", "angelegt"),
        ("en", "Keep", "Change profile", "updated", "set up"),
    ],
)
async def test_a_profile_change_ends_saying_the_profile_is_updated(
    bot: Harness, lang: str, keep: str, change: str, updated: str, set_up: str
) -> None:
    await bot.send("kim", "/start", lang=lang)
    await bot.press("kim", f"ob:language:{lang}")
    for text in ("Harz Metall GmbH", "Einkauf", "Kupfer"):
        await bot.send("kim", text)
    for step in ("consent", "news", "yp"):
        done = await bot.press("kim", f"ob:{step}:0")
    assert set_up in done.text and updated not in done.text
    step_reply = await bot.press("kim", (await bot.send("kim", "/start")).button(change))
    for _field in ("organisation", "role", "topics"):
        step_reply = await bot.press("kim", step_reply.button(keep))
    for step in ("consent", "news"):
        await bot.press("kim", f"ob:{step}:0")
    finished = await bot.press("kim", "ob:yp:0")
    assert updated in finished.text and set_up not in finished.text, finished.text


@pytest.mark.parametrize(("lang", "words"), [("de", "mit Worten"), ("en", "in words")])
async def test_a_question_mark_alone_at_a_question_is_asked_for_words(
    kb_bot: Harness, lang: str, words: str
) -> None:
    """ "?" asks nothing: one hint that the question above wants words (it had been taken for
    a question beside the registration: "still waits" and "that was a bit short")."""
    await kb_bot.send("ivo", "/start", lang=lang)
    await kb_bot.press("ivo", f"ob:language:{lang}")
    hint = await kb_bot.send("ivo", "?")
    assert words in hint.text and len(hint.replies) == 1, hint.text
    assert await pending_step(kb_bot, "ivo") == ("onboarding", "organisation")


async def test_a_long_buttons_words_typed_are_quoted_whole_words(bot: Harness) -> None:
    # "„Institut für Aufbereitung Clausthal vors“ ist eine Schaltfläche oben": the quote had
    # been cut at 40 characters, within a word
    router = bot.app.services.router
    label = "Institut für Aufbereitung Clausthal vorstellen"

    @router.command("testlong", help_key="help.help")
    async def testlong(ctx: Context, _args: Args) -> None:
        twice = (Button(label, "tl:1"), Button(label, "tl:2"))  # two alike: typing presses none
        await ctx.reply(Reply(text="Wen vorstellen?", buttons=(twice,)))

    await bot.onboard("ida", lang="de")
    await bot.send("ida", "/testlong")
    typed = await bot.send("ida", label)
    assert typed.text.startswith("„Institut für Aufbereitung Clausthal…“ steht oben auf"), (
        typed.text
    )


@pytest.mark.parametrize(
    ("lang", "chosen", "welcome", "asked"),
    [
        ("de", "/sprache de", "Sprache: Deutsch", "Für welche Organisation"),
        ("en", "/language en", "language: English", "Which organisation"),
    ],
)
async def test_start_after_choosing_the_language_asks_it_not_again(
    bot: Harness, lang: str, chosen: str, welcome: str, asked: str
) -> None:
    """A member who chose the language (then chatted a while) and starts the registration is
    welcomed in it and asked the first open question; the language only once, when new."""
    await bot.send("gero", chosen)
    await bot.send("gero", "Gibt es Exkursionen?" if lang == "de" else "Are there excursions?")
    start = await bot.send("gero", "/start")
    assert "Which language" not in start.text and "Welche Sprache" not in start.text, start.text
    assert welcome in start.text and asked in start.text, start.text
    await bot.send("gero", "Harzer Lithiumwerk GmbH")
    member = await bot.member("gero")
    assert member is not None and member.language == lang
    assert member.organisation == "Harzer Lithiumwerk GmbH"
    # a new member is still asked, in both languages
    new = await bot.send("hedi", "/start", lang=lang)
    assert "Welche Sprache möchten Sie? / Which language would you like?" in new.text


async def test_start_after_a_registration_broken_off_at_the_organisation(bot: Harness) -> None:
    await bot.send("ina", "/start", lang="en")
    asked = await bot.press("ina", "ob:language:en")
    assert "Which organisation" in asked.text
    await bot.send("ina", "/cancel")
    again = await bot.send("ina", "/start")
    assert "Which language" not in again.text and "Which organisation" in again.text, again.text
