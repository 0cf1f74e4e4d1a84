"""Whether an organisation is a member, asked in the chat: answered from the member
directory (invented, tests/partners_directory.csv), never by the FAQ's how-to-join."""

from __future__ import annotations

from bot.demo import DEMO_DIR
from handlers.members.membership import listed, membership_asked
from tests.harness import Harness
from tests.partners_fixtures import import_members

DIRECTORY = [
    "Technische Universität Clausthal (fiktiv)",
    "Harz Recycling GmbH",
    "Institut für Aufbereitung Clausthal (fiktiv)",
    "Stadt Goslar Umweltamt (fiktiv)",
]


async def test_registering_with_the_bot_is_told_apart_from_the_organisation_being_a_member(
    bot_any: Harness,
) -> None:
    await import_members(bot_any)
    await bot_any.onboard("priya", lang="en", org="Hochschule Nordharz Ökobilanz")
    reply = await bot_any.send("priya", "am I a member now?")
    assert "registered here with the bot" in reply.text, reply.text
    assert "Yes: Hochschule Nordharz Ökobilanz (fiktiv) is in the member directory" in reply.text
    await bot_any.onboard("tom", org="Brockenblick Schrotthandel KG")
    reply = await bot_any.send("tom", "Ist meine Firma schon Mitglied?")
    assert "Hier im Bot sind Sie registriert" in reply.text
    assert "„Brockenblick Schrotthandel KG“ finde ich nicht" in reply.text
    assert "Wie werden wir Mitglied?" in reply.text  # the way on: the FAQ's answer
    # a directory member is told their entry
    assert (
        "Ja: Sie sind als Bode Hartmetall (fiktiv)"
        in (await bot_any.send("finn", "sind wir eigentlich schon Mitglied bei euch?")).text
    )


async def test_an_organisation_named_is_looked_up_in_the_asked_language(bot: Harness) -> None:
    await import_members(bot)
    await bot.onboard("priya", lang="en")
    found = await bot.send("priya", "Is Harz Zinkhütte a member?")
    assert found.text == "Yes: Harz Zinkhütte (fiktiv) is in the member directory of REWIMET."
    near = await bot.send("priya", "Ist die Okertal Metall Mitglied?")  # asked in German
    assert "finde ich so nicht" in near.text and "Okertal Metallrückgewinnung GmbH" in near.text
    unknown = await bot.send("priya", "is the University of Leeds already a member?")
    assert "I do not find “University of Leeds”" in unknown.text
    # German words of a name asked about in English do not make the question German
    await bot.onboard("lena", lang="de")
    english = await bot.send("lena", "is Harz Metall a member?")
    assert english.text.startswith("I do not find “Harz Metall”"), english.text
    # someone not registered yet is pointed to /start, and asked which organisation
    first = await bot.send("new", "bin ich jetzt Mitglied?")
    assert "noch nicht registriert" in first.text and "Welche Organisation" in first.text
    # ... unless they name it beside the question (a walkthrough's had been asked again)
    named = await bot.send(
        "new", "ist meine firma schon bei euch mitglied? wir heißen bode hartmetall"
    )
    assert "Ja: Bode Hartmetall (fiktiv) steht im Mitgliederverzeichnis" in named.text, named.text
    # a name with "für" is a name ("Institut für …"), whether one is registered is that alone
    institute = await bot.send("new", "ist das institut für glastechnik mitglied?")
    assert "Ja: Institut für Glastechnik (fiktiv)" in institute.text, institute.text
    registered = await bot.send("new", "bin ich schon registriert?")
    assert registered.text.startswith("Hier im Bot sind Sie noch nicht registriert (/start).")
    assert "Mitglied von REWIMET ist eine Organisation" in registered.text


async def test_a_network_without_a_directory_leaves_the_question_to_the_faq(bot: Harness) -> None:
    await bot.onboard("priya", lang="en")
    reply = await bot.send("priya", "is my university already a member?")
    assert "member directory" not in reply.text and "registered here" not in reply.text


def test_other_memberships_and_how_to_join_are_no_such_question() -> None:
    for text in (
        "Wie werde ich Mitglied?",
        "Wer kann Mitglied werden?",
        "Ist das nur für Mitglieder?",
        "ist man automatisch Mitglied?",
        "Is the symposium free for a member?",
        "bin ich Mitglied im Arbeitskreis?",
        "am I a member of the board?",
        "bin ich für das Symposium registriert?",
        "am I registered for the excursion?",
    ):
        assert membership_asked(text) is None, text
    assert membership_asked("Ist die TU Clausthal schon Mitglied bei REWIMET?") is not None


def test_a_name_is_found_by_its_words_its_initials_and_despite_its_legal_form() -> None:
    assert listed("TU Clausthal", DIRECTORY)[0] == "Technische Universität Clausthal (fiktiv)"
    assert listed("Harz-Recycling", DIRECTORY)[0] == "Harz Recycling GmbH"
    assert listed("harz recycling gmbh & co. kg", DIRECTORY)[0] == "Harz Recycling GmbH"
    # one word in common: both shown, for the member to judge; none: nothing
    assert listed("Clausthal", DIRECTORY) == (None, [DIRECTORY[2], DIRECTORY[0]])
    assert listed("Universität Hamburg", DIRECTORY) == (None, [])
    assert listed("GmbH", DIRECTORY) == (None, [])
    # initials not listed beside a word that is: the names holding that word (walkthrough
    # 2026-12-07: "TU Clausthal" in a directory without a TU had found nothing)
    without_tu = [DIRECTORY[1], DIRECTORY[2]]
    assert listed("TU Clausthal", without_tu) == (None, [DIRECTORY[2]])
    assert listed("TU Hamburg", without_tu) == (None, [])


def test_a_name_shortened_at_its_end_is_found_when_only_one_begins_so() -> None:
    """ "ist Bode Hartmetall Mitglied?" of "Bode Hartmetall Recycling" had been told it was
    not found "so", with the member's own organisation as a near name."""
    directory = [
        "Bode Hartmetall Recycling (fiktiv)",
        "Harz Recycling Nord GmbH",
        "Harz Recycling Süd GmbH",
        "Institut für Aufbereitung Clausthal",
    ]
    assert listed("Bode Hartmetall", directory) == (directory[0], [])
    assert listed("bode hartmetall recycling", directory) == (directory[0], [])
    # a shortened name two organisations begin with: both, for the member to judge
    found, near = listed("Harz Recycling", directory)
    assert found is None and sorted(near) == [directory[1], directory[2]]
    # one word may begin many a name: near, not found; unless it is rare in general language
    # and begins one name only (walkthrough 2026-12-08: "is Okertal a member?")
    assert listed("Bode", directory) == (None, [directory[0]])
    assert listed("Institut", directory) == (None, [directory[3]])
    okertal = "Okertal Metallrückgewinnung GmbH (fiktiv)"
    assert listed("Okertal", [*directory, okertal]) == (okertal, [])


async def test_other_questions_beside_it_are_answered_too(bot: Harness) -> None:
    """Walkthrough 2026-12-08: "am i a member now, what are the benefits, who do i contact at
    the office" got the membership answer only; the other questions were dropped."""
    await import_members(bot)
    await bot.import_kb((DEMO_DIR / "faq.toml").read_text("utf-8"))
    await bot.onboard("priya", lang="en")
    chat = await bot.send("priya", "am i a member now, who do i contact at the office")
    assert "Registering here does not make" in chat.text or "member directory" in chat.text
    assert "How can I reach the cluster office?" in chat.text, chat.text


async def test_both_asked_in_one_message_are_answered(bot: Harness) -> None:
    """ "am I a member now? is Harz Zinkhütte a member?": each question answered (the second
    had been left out)."""
    await import_members(bot)
    await bot.onboard("priya", lang="en", org="Hochschule Nordharz Ökobilanz")
    reply = await bot.send("priya", "am I a member now? is Harz Zinkhütte a member?")
    assert "registered here with the bot" in reply.text, reply.text
    assert "Yes: Harz Zinkhütte (fiktiv) is in the member directory" in reply.text, reply.text


def test_being_in_the_network_is_membership_too() -> None:
    """ "ist die TU Clausthal bei euch dabei?" (walkthrough 2026-12-07: a ticket); taking
    part in an event is not."""
    asked = membership_asked("ist die TU Clausthal bei euch dabei")
    assert asked is not None and asked.named == "TU Clausthal"
    assert membership_asked("ist die TU Clausthal beim Symposium dabei?") is None
