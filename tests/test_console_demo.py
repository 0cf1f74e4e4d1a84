"""The console demo, run as the operator would: a scripted conversation through stdin."""

import argparse
import asyncio
import io
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli, demo
from storage import members
from storage.db import Database

BIN = Path(sys.executable).parent / "rewimet-bot"


def run_demo(script: str, *args: str) -> str:
    result = subprocess.run(
        [str(BIN), "demo", *args],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr  # what ended it, not only its exit status
    return result.stdout


def test_scripted_onboarding_in_the_console() -> None:
    out = run_demo(
        "/start\n1\nHarzer Test GmbH\nEinkauf\nKobalt; Nickel\n1\nkontakt@harzer-test.example\n"
        "2\n2\n/profile\n"
    )
    assert "Welche Sprache" in out and "  [1] Deutsch" in out
    assert "Über welchen Kontakt" in out and "  [1] Überspringen" in out
    assert "Ihr Profil ist angelegt" in out
    assert "Organisation: Harzer Test GmbH" in out and "Themen: Kobalt; Nickel" in out
    assert "kontakt@harzer-test.example" in out


def test_a_number_asked_for_is_typed_beside_lettered_buttons(tmp_path: Path) -> None:
    # "Wie viele Plätze?" with a skip button: "1" is one place, "a" would skip
    out = run_demo(
        "/newevent\n1\nTest-Exkursion\n1\n12.03.2030 10:00\n3\n1\nGoslar\n1\n1\n1\n1\n1\n24\n2\n",
        "--admin",
        "--db",
        str(tmp_path / "demo.db"),
    )
    assert "Wie viele Plätze gibt es?" in out and "  [a] Überspringen" in out, out
    assert "0/1 Platz belegt" in out, out


def test_a_number_asked_again_keeps_its_lettered_buttons(tmp_path: Path) -> None:
    # after "-5" and "1000000000" the question comes again: "1" is still one place, not "skip"
    out = run_demo(
        "/newevent\n1\nTest-Exkursion\n1\n12.03.2030 10:00\n3\n1\nGoslar\n1\n-5\n1000000000\n1\n"
        "1\n1\n1\n24\n2\n",
        "--admin",
        "--db",
        str(tmp_path / "demo.db"),
    )
    places = out.split("Wie viele Plätze gibt es?", 1)[1].split("Anmeldeschluss?")[0]
    assert places.count("„-5“ ist keine Platzzahl") == 1, out
    assert places.count("  [a] Überspringen") == 3 and "  [1] Überspringen" not in places, out
    assert "0/1 Platz belegt" in out, out


def test_demo_as_admin_in_english(tmp_path: Path) -> None:
    out = run_demo("/help admin\n", "--admin", "--lang", "en", "--db", str(tmp_path / "d.db"))
    assert "For admins" in out and "/promote" in out


def test_the_demo_in_english_lists_its_events_by_their_english_titles(tmp_path: Path) -> None:
    out = run_demo("/events\n", "--lang", "en", "--db", str(tmp_path / "d.db"))
    assert "REWIMET Symposium: Circular Economy of Strategic Metals" in out, out
    assert "Innovation Forum Harz Recycling Region" in out, out
    assert "Kreislaufwirtschaft" not in out and "Innovationsforum" not in out, out
    german = run_demo("/termine\n", "--lang", "de", "--db", str(tmp_path / "g.db"))
    assert "REWIMET-Symposium: Kreislaufwirtschaft strategischer Metalle" in german, german


def test_the_demo_in_english_names_the_symposiums_place_in_english(tmp_path: Path) -> None:
    out = run_demo("/event 1\n", "--lang", "en", "--db", str(tmp_path / "d.db"))
    assert "Great Hall of the Technical University, Clausthal-Zellerfeld" in out, out
    assert "Aula" not in out, out
    german = run_demo("/termin 1\n", "--lang", "de", "--db", str(tmp_path / "g.db"))
    assert "Aula der Technischen Universität, Clausthal-Zellerfeld" in german, german


def test_the_demo_admin_is_the_cluster_manager_of_the_dashboard(tmp_path: Path) -> None:
    # One person: the chat's admin is the member the dashboard link signs in.
    out = run_demo("/profile\n", "--admin", "--lang", "en", "--db", str(tmp_path / "d.db"))
    assert "REWIMET e. V., Geschäftsstelle" in out and "English" in out


def test_a_demo_in_english_signs_the_office_into_an_english_dashboard(tmp_path: Path) -> None:
    # The dashboard speaks its admin's language: the demo's one person reads English there
    # too, not only in the chat (the link's page had been German).
    path = tmp_path / "d.db"
    run_demo("/help\n", "--lang", "en", "--db", str(path))

    async def office_language() -> str:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            async with db.session() as session:
                office = await members.get_member(session, await demo.office_member(db))
        finally:
            await db.close()
        assert office is not None
        return office.language

    assert asyncio.run(office_language()) == "en"
    # A second person on the same database, in German: the office keeps its language; and
    # a member in English later does not switch the office either (the admin had answered
    # in English after `--as neu-en --lang en`).
    run_demo("/hilfe\n", "--admin", "--lang", "de", "--db", str(path))
    assert asyncio.run(office_language()) == "de"
    run_demo("/help\n", "--as", "neu-en", "--lang", "en", "--db", str(path))
    assert asyncio.run(office_language()) == "de"


def test_the_event_list_letters_its_buttons(tmp_path: Path) -> None:
    # the list numbers its events (Nr. 3 …): a typed "1" must not press the first button
    out = run_demo("/termine\na\n", "--db", str(tmp_path / "d.db"))
    listed = out.split("> a")[0]
    assert "  [a] #" in listed and "  [1] #" not in listed, out
    assert "(Nr. " in out.split("> a")[1]  # "a" opened the first event listed


def test_a_button_is_pressed_by_typing_its_words(tmp_path: Path) -> None:
    out = run_demo("/start\ndeutsch\n", "--db", str(tmp_path / "d.db"))
    assert "Für welche Organisation" in out, out


def test_after_please_use_the_buttons_their_numbers_still_press_them(tmp_path: Path) -> None:
    script = "/broadcast\nHallo zusammen, Test.\n1\n1\nhello\n1\n"
    out = run_demo(script, "--admin", "--db", str(tmp_path / "d.db"))
    assert "Schaltflächen oben – oder schreiben Sie den ganzen neuen Text" in out
    assert "Rundschreiben #1 ist an 7 Empfänger unterwegs" in out, out


@pytest.mark.parametrize(
    ("lang", "script", "waits", "back", "sent"),
    [
        (
            "de",
            "/broadcast\nLiebe Mitglieder, das Herbsttreffen ist in Halle.\n1\n1\n"
            "Wie viele Mitglieder bekommen das?\n2\nSenden\n",
            "– die Vorschau wartet auf „Senden“ oder „Abbrechen“",
            "Weiter mit Ihrem Rundschreiben:",
            "Rundschreiben #1 ist an 7 Empfänger unterwegs",
        ),
        (
            "en",
            "/broadcast\nDear members, the autumn meeting is in Halle.\n1\n1\n"
            "How many members get this?\n2\nSend\n",
            "– the preview waits for “Send” or “Cancel”",
            "Back to your broadcast:",
            "Broadcast #1 is on its way to 7 recipients",
        ),
    ],
)
def test_after_a_question_beside_the_preview_its_buttons_are_typed_again(
    tmp_path: Path, lang: str, script: str, waits: str, back: str, sent: str
) -> None:
    # "It is a question": the answer's topics took the preview's numbers, and "Senden" typed
    # was "please use the buttons above" until /broadcast; the preview comes back after it
    out = run_demo(script, "--admin", "--lang", lang, "--db", str(tmp_path / "d.db"))
    answered = out.split("\n> 2\n", 1)[1]
    assert waits in answered and "letzte Frage" not in answered, out
    assert "last question" not in answered and back in answered, out
    assert sent in answered, out


def test_a_reply_that_answers_nothing_keeps_the_buttons_above(tmp_path: Path) -> None:
    script = "Wir suchen ein Labor für die Analytik von Schwarzmasse\nxyz\n1\n"
    out = run_demo(script, "--as", "demo-anna", "--db", str(tmp_path / "d.db"))
    # the preview waits for its choice ("xyz" is none): it says so, and "1" still sends
    assert "Ihre Partnersuche wartet auf Ihre Wahl" in out.split("> xyz", 1)[1], out
    assert "Ihre Anfrage #1 ist an ein Mitglied gegangen" in out, out


def test_a_button_with_an_umlaut_is_pressed_by_its_words_spelt_without(tmp_path: Path) -> None:
    # "Überspringen" typed as "ueberspringen" at a new event's end (no date: it was refused)
    script = "/neuertermin\n1\nTest-Exkursion\n1\n12.03.2030 10:00\n3\nueberspringen\n"
    out = run_demo(script, "--admin", "--db", str(tmp_path / "d.db"))
    assert "Wo findet sie statt?" in out.split("> ueberspringen", 1)[1], out


def test_the_file_step_takes_its_button_typed_out_after_a_wrong_word(tmp_path: Path) -> None:
    script = "/broadcast\nHallo zusammen.\nvielleicht\nOhne Bild oder Datei\n"
    out = run_demo(script, "--admin", "--db", str(tmp_path / "d.db"))
    assert "Bitte schicken Sie ein Bild oder eine Datei" in out
    assert "Wer soll sie bekommen?" in out, out


def test_each_answer_to_a_message_asking_two_things_keeps_its_own_buttons(
    tmp_path: Path,
) -> None:
    # two answers, each with 👍/👎: the second answer's are [3] and [4], and "4" presses its 👎
    script = "Was kostet die Mitgliedschaft? Und wie erreiche ich die Geschäftsstelle?\n4\n"
    out = run_demo(script, "--db", str(tmp_path / "d.db"))
    answers = out.split("> 4")[0]
    assert answers.count("  [1] 👍 Hilfreich") == 1 and "  [3] 👍 Hilfreich" in answers, out
    # "4" pressed the second answer's 👎: that question is the one offered to the office
    assert "Soll ich Ihre Frage „Und wie erreiche ich die Geschäftsstelle?“ an die" in out, out


def test_after_thumbs_down_a_typed_number_picks_one_of_the_close_topics(tmp_path: Path) -> None:
    # "2" is 👎 under the answer; then "2" is the second close topic offered, not the office
    out = run_demo("Wie werde ich Mitglied?\n2\n2\n", "--db", str(tmp_path / "d.db"))
    offered = out.split("Meinten Sie mit „Wie werde ich Mitglied?“ eines dieser Themen?", 1)[1]
    assert "  [1] Wie kündige ich die Mitgliedschaft?" in offered, out
    assert "  [2] Was kostet die Mitgliedschaft im Jahr?" in offered, out
    assert "  [3] Ja, an die Geschäftsstelle" in offered and "  [4] Nein, danke" in offered, out
    assert "Der Jahresbeitrag richtet sich nach" in offered.split("> 2", 1)[1], out


def test_the_number_of_an_older_messages_button_presses_nothing_and_says_so(
    tmp_path: Path,
) -> None:
    # /profil came after the answer's 👍/👎: "2" is no question (too short), and none of them
    script = "Was kostet die Mitgliedschaft im Jahr?\n/profil\n2\nb\n"
    out = run_demo(script, "--db", str(tmp_path / "d.db"))
    after = out.split("> 2\n", 1)[1]
    assert "  [2] 👎 Nicht hilfreich" in out and "Zu „2“ gibt es gerade keine Auswahl" in after
    assert "Zu „b“ gibt es gerade keine Auswahl" in after, out
    assert "etwas kurz" not in after and "Das tut mir leid" not in after, out


def test_a_number_beyond_the_choices_says_so_and_theirs_still_press_them(tmp_path: Path) -> None:
    script = "How much is the membership fee?\n5\n2\n"
    out = run_demo(script, "--lang", "en", "--db", str(tmp_path / "d.db"))
    assert "“5” chooses nothing here: please pick one of the buttons of the last" in out, out
    assert "Shall I pass your question “How much is the membership fee?” on to" in out, (
        out
    )  # "2" is 👎


def test_an_older_buttons_words_typed_press_nothing_and_are_no_question(tmp_path: Path) -> None:
    # "Hilfreich" after /profil replaced the answer's 👍/👎: it was answered as a question
    script = "Was kostet die Mitgliedschaft im Jahr?\n/profil\nHilfreich\nNot helpful\n"
    out = run_demo(script, "--db", str(tmp_path / "d.db"))
    after = out.split("> Hilfreich\n", 1)[1]
    assert "Zu „Hilfreich“ gibt es gerade keine Auswahl" in after, out
    assert "Zu „Not helpful“ gibt es gerade keine Auswahl" in after, out
    assert "👍 Hilfreich" not in after, out  # no new answer with buttons


def test_a_buttons_name_presses_it_and_its_start_is_asked_about(tmp_path: Path) -> None:
    # "Nichts davon" had been a new question (new choices; pressed, the ticket said "Nichts
    # davon"); then it asked "Meinen Sie …?": the words before the dash name the button and
    # press it, a start of them is asked about, and the office gets the real question
    script = "Kosten\nNichts\nNichts davon\n/meinefragen\n"
    out = run_demo(script, "--db", str(tmp_path / "d.db"))
    start = out.split("> Nichts\n", 1)[1].split("> Nichts davon")[0]
    assert "Meinen Sie „Nichts davon – an die Geschäftsstelle“?" in start, out
    assert "Meinten Sie" not in start, out
    pressed = out.split("> Nichts davon\n", 1)[1].split("> /meinefragen")[0]
    assert "Meinen Sie" not in pressed and "Ticket" in pressed, out
    mine = out.split("> /meinefragen\n", 1)[1]
    assert "Ihre offene Frage bei" in mine and "\nKosten\n" in mine, out
    assert "„Kosten“" in mine and "„Nichts davon" not in mine, out  # the office's alert


def test_a_buttons_name_in_english_and_its_words_without_choices(tmp_path: Path) -> None:
    script = "Costs\nNone of these\n/profile\nNone of these – ask the office\n/myquestions\n"
    out = run_demo(script, "--lang", "en", "--db", str(tmp_path / "d.db"))
    pressed = out.split("> None of these\n", 1)[1].split("> /profile")[0]
    assert "Do you mean" not in pressed and "ticket" in pressed, out
    after = out.split("> None of these – ask the office\n", 1)[1]
    assert "There is nothing to choose by “None of these – ask the office”" in after, out
    assert "Your open question with" in after, out


def test_a_typed_number_of_a_listed_event_opens_that_event(tmp_path: Path) -> None:
    # the list numbers its events and letters its buttons: "2" had been "nothing to choose"
    out = run_demo("/termine\n2\n", "--db", str(tmp_path / "d.db"))
    assert "  [b] #2 " in out, out
    assert "(Nr. 2)" in out.split("> 2\n", 1)[1], out
    out = run_demo("/events\n#1\n", "--lang", "en", "--db", str(tmp_path / "e.db"))
    assert "(no. 1)" in out.split("> #1\n", 1)[1], out


def test_an_older_withdraw_buttons_words_typed_are_no_question(tmp_path: Path) -> None:
    # "#2 zurückziehen" after the list was replaced (by /profil; the withdrawal of #1 keeps
    # it) had found "Wie kündige ich die Mitgliedschaft?"; it presses nothing and says so
    script = (
        "Kosten\n4\nDarf ich meinen Hund zur Exkursion nach Goslar mitbringen?\n"
        "/meinefragen\n1\n/profil\n#2 zurückziehen\n/meinefragen\n"
    )
    out = run_demo(script, "--db", str(tmp_path / "d.db"))
    after = out.split("> #2 zurückziehen\n", 1)[1].split("> /meinefragen")[0]
    assert "Zu „#2 zurückziehen“ gibt es gerade keine Auswahl" in after, out
    assert "Meinten Sie" not in after and "kündige" not in after, out
    assert "Ihre offene Frage bei" in out.rsplit("> /meinefragen\n", 1)[1], out  # #2 stays
    script = "Costs\n4\n/myquestions\n/profile\nWithdraw #1\n/myquestions\n#1 withdraw\n"
    out = run_demo(script, "--lang", "en", "--db", str(tmp_path / "e.db"))
    after = out.split("> Withdraw #1\n", 1)[1].split("> #1 withdraw")[0]
    assert "There is nothing to choose by “Withdraw #1”" in after, out
    assert "Your open question with" in after, out
    # the button's words in another order press it (they had been read as a question)
    reordered = out.split("> #1 withdraw\n", 1)[1]
    assert reordered.startswith("Withdrawn: your question “Costs”"), out


def test_the_other_withdraw_choices_stay_after_one_is_withdrawn(tmp_path: Path) -> None:
    # after "1" withdrew the first question, "#3 zurückziehen" and "2" had pressed nothing
    # ("gibt es gerade keine Auswahl"): the withdrawal's reply had replaced the list's choices
    asked = [
        "Darf ich meinen Hund zur Exkursion nach Goslar mitbringen?",
        "Gibt es auf der Halde in Hettstedt festes Schuhwerk zu leihen?",
        "Kann ich meine Kinder zum Sommerfest in Freiberg mitnehmen?",
    ]
    script = "\n".join([*asked, "/meinefragen", "1", "1", "#3 zurückziehen", "2", "/meinefragen"])
    out = run_demo(script + "\n", "--db", str(tmp_path / "d.db"))
    after = out.split("> /meinefragen\n", 1)[1]
    assert "  [3] #3 zurückziehen" in after, out
    assert "Zurückgezogen: Ihre Frage „Darf ich meinen Hund" in after, out
    assert "(Ticket #1) haben Sie schon zurückgezogen" in after, out  # "1" pressed twice
    assert "Zurückgezogen: Ihre Frage „Kann ich meine Kinder" in after, out
    assert "Zurückgezogen: Ihre Frage „Gibt es auf der Halde" in after, out
    assert "keine Auswahl" not in after, out
    assert "Sie haben keine offenen Fragen" in out.rsplit("> /meinefragen\n", 1)[1], out
    asked = [
        "Can I borrow safety boots for the slag heap walk in Hettstedt?",
        "Is there a cloakroom at the Freiberg summer party?",
    ]
    script = "\n".join([*asked, "/myquestions", "2", "Withdraw #1", "/myquestions"])
    out = run_demo(script + "\n", "--lang", "en", "--db", str(tmp_path / "e.db"))
    after = out.split("> 2\n", 1)[1]
    assert "Withdrawn: your question “Is there a cloakroom" in after, out
    assert "Withdrawn: your question “Can I borrow safety boots" in after, out
    assert "You have no open questions" in after, out


def test_two_demos_started_at_once_both_run_each_with_its_own_dashboard(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two terminals (or two test runs) start the demo in the same second. Both saw the
    # dashboard's port free while they set up, and the second to bind it ended at once with
    # "address already in use", before it showed anything.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        preferred = probe.getsockname()[1]  # free now: whoever holds 8080 changes nothing
    monkeypatch.setattr(cli, "DASHBOARD_PORT", preferred)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # a script that ends at once

    async def both() -> list[int]:
        args = argparse.Namespace(as_member=None, admin=True, lang="en", db=None)
        return list(await asyncio.gather(cli._demo(args), cli._demo(args)))

    assert asyncio.run(both()) == [0, 0]
    ports = re.findall(r"http://127\.0\.0\.1:(\d+)/login/", capsys.readouterr().out)
    assert len(ports) == 2 and len(set(ports)) == 2 and str(preferred) in ports, ports


def test_a_language_given_on_the_command_line_is_not_asked_again(tmp_path: Path) -> None:
    out = run_demo("/start\n", "--lang", "en", "--db", str(tmp_path / "d.db"))
    assert "Which language would you like" not in out, out
    assert "(language: English, /language changes it)" in out, out
    assert "Which organisation do you represent" in out, out
    # without --lang the new member still chooses
    asked = run_demo("/start\n", "--db", str(tmp_path / "g.db"))
    assert "Welche Sprache möchten Sie? / Which language would you like?" in asked, asked


def test_the_admin_demo_speaks_the_office_language_from_its_first_line(tmp_path: Path) -> None:
    path = str(tmp_path / "d.db")
    run_demo("/help\n", "--admin", "--lang", "en", "--db", path)
    out = run_demo("/inbox\n", "--admin", "--db", path)  # the office chose English before
    assert out.startswith("The office's dashboard"), out
    assert "No open questions in the inbox." in out, out


@pytest.mark.parametrize(
    ("member", "lang", "asked", "alert", "answer"),
    [
        (
            "demo-anna",
            "de",
            "Wie wird das Wetter morgen im Harz?",
            "Neue Frage an die Geschäftsstelle (Ticket #1",
            "/antwort 1 Sonnig, bis 20 Grad.",
        ),
        (
            "neu-7",
            "en",
            "Will it rain in the Harz mountains tomorrow?",
            "New question for the office (ticket #1",
            "/answer 1 Sunny, up to 20 degrees.",
        ),
    ],
)
def test_what_the_last_line_sends_to_others_is_printed_before_the_demo_ends(
    tmp_path: Path, member: str, lang: str, asked: str, alert: str, answer: str
) -> None:
    """The member's question handed off as the script's last line: its alert to the office is
    printed by the member's demo; the office's answer as the office's last line: printed by
    the office's demo, under the member's chat (not left for whichever demo starts next)."""
    db = str(tmp_path / "demo.db")
    asking = run_demo(f"{asked}\n", "--as", member, "--lang", lang, "--db", db)
    handed_off = asking.split(f"> {asked}", 1)[1]
    assert "→ [console:demo-office]" in handed_off and alert in handed_off, asking
    answering = run_demo(f"{answer}\n", "--admin", "--lang", lang, "--db", db)
    assert alert not in answering, answering  # printed once, by the demo that sent it
    after = answering.split(f"> {answer}", 1)[1]
    text = answer.split(" ", 2)[2]
    assert f"→ [console:{member}]" in after and text in after, answering


def test_the_offices_buttons_beside_a_hand_off_are_not_numbered_here(tmp_path: Path) -> None:
    """The office's alert printed under the member's hand-off: its buttons are pressed in the
    office's demo, so a number typed here presses the member's own suggestion."""
    asked = "Vermietet das Cluster Besprechungsräume?"
    out = run_demo(f"{asked}\n1\n", "--as", "demo-anna", "--db", str(tmp_path / "d.db"))
    own, _, pressed = out.split(f"> {asked}", 1)[1].partition("> 1")
    assert re.search(r"^  \[1\] ", own, re.M), out  # the member's suggestion
    # the alert, printed whenever the outbox delivers it, has its buttons marked only
    assert "→ [console:demo-office]" in out and re.search(r"^  \[·\] 📎 ", out, re.M), out
    assert not re.search(r"^  \[\d\] 📎 ", out, re.M), out
    assert "Frage #1 zurückziehen" in pressed, out  # the member's suggestion, opened


@pytest.mark.parametrize(
    ("args", "script", "back", "yes", "no", "next_question"),
    [
        (
            (),
            "/start\n1\nHarz Metall GmbH\nEinkauf\nKobalt\n"
            "Wie heißt eigentlich der Hund der Geschäftsführerin?\n1\n",
            "Weiter mit Ihrer Registrierung:",
            "  [1] Ja",
            "  [2] Nein",
            "Über welchen Kontakt",
        ),
        (
            ("--lang", "en"),
            "/start\nHarz Metall GmbH\npurchasing\ncobalt\nwhats the name of the office dog?\n1\n",
            "Back to your registration:",
            "  [1] Yes",
            "  [2] No",
            "Which contact",
        ),
    ],
)
def test_a_step_asked_again_after_an_answer_numbers_its_choices_from_one(
    tmp_path: Path,
    args: tuple[str, ...],
    script: str,
    back: str,
    yes: str,
    no: str,
    next_question: str,
) -> None:
    """A question typed at the registration's yes/no question is answered beside it (here
    with the offer to pass it on), then the question comes again: its choices are [1] and [2]
    (they had gone on as [3] and [4]), and "1" answers it."""
    out = run_demo(script, *args, "--db", str(tmp_path / "d.db"))
    again = out.split(back, 1)[1].split("\n> 1\n", 1)
    assert yes in again[0] and no in again[0], out
    assert next_question in again[1], out


def test_a_partner_requests_button_is_typed_in_the_other_language(tmp_path: Path) -> None:
    """A German member typed "interested" under "Interessiert": "keine Auswahl" was said."""
    db = str(tmp_path / "d.db")
    run_demo(
        "Wer kann uns Schwarzmasse aus Altbatterien aufbereiten?\n1\n",
        "--db",
        db,
        "--as",
        "demo-finn",
    )
    out = run_demo("/offen\ninterested\n", "--db", db, "--as", "demo-anna")
    typed = out.split("> interested")[1]
    assert "[1] Interessiert" in out and "keine Auswahl" not in typed, out
    assert "ob eine Vorstellung gewünscht ist" in typed, typed


def test_the_request_list_letters_its_buttons(tmp_path: Path) -> None:
    # /anfragen numbers its requests (#12 …): a typed "1" meant for request #1 had pressed
    # the first button and closed the newest request at once
    out = run_demo(
        "/partnersuche Wir suchen ein Labor für die Analytik von Schwarzmasse\nja\n/anfragen\n1\n",
        "--as",
        "demo-anna",
        "--db",
        str(tmp_path / "d.db"),
    )
    listed = out.split("Ihre Partneranfragen", 1)[1]
    assert "  [a] #" in listed and "schließen" in listed and "  [1] #" not in listed, out
    assert "ist geschlossen" not in listed, out


def test_closing_a_request_from_the_list_asks_first(tmp_path: Path) -> None:
    # a stray letter pressed the close button of /anfragen: closing is for good
    out = run_demo(
        "/partnersuche Wir suchen ein Labor für die Analytik von Schwarzmasse\nja\n/anfragen\na\n",
        "--as",
        "demo-anna",
        "--db",
        str(tmp_path / "d.db"),
    )
    pressed = out.split("Ihre Partneranfragen", 1)[1]
    assert "schließen?" in pressed and "ist geschlossen" not in pressed, out


def test_a_preview_shown_again_numbers_its_buttons_on_so_one_is_the_answers(
    tmp_path: Path,
) -> None:
    """A question typed at the partner search's preview is answered beside it (👍/👎 as [1]
    and [2]), then the preview comes again: its buttons go on as [3]–[5], so the "1" shown
    beside 👍 presses 👍 (a walkthrough's "1" meant for the answer above had sent the search
    to two members)."""
    script = "Wir suchen ein Labor, das Schwarzmasse analysieren kann\n"
    script += "ist das kostenlos für mitglieder?\n1\n"
    out = run_demo(script, "--as", "demo-greta", "--db", str(tmp_path / "d.db"))
    again, after = out.split("Weiter mit Ihrer Partnersuche:", 1)[1].split("\n> 1\n", 1)
    assert "  [3] Ja, senden" in again and "  [1] Ja, senden" not in again, out
    assert "Danke für Ihre Rückmeldung" in after and "gegangen" not in after, out
