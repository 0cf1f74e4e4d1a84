"""In a narrow terminal the console demo breaks lines between words, as a phone would; a link
stays whole so that it can be copied, and a long choice continues under its own label. Output
that is not a terminal (a script, a pipe) is left as it is."""

from __future__ import annotations

import io

import pytest

from bot.messages import Button, Reply
from bot.transports.console import ConsoleTransport, wrap_for_terminal

LINK = "http://127.0.0.1:8080/login/HLmu2o625qPx4pjoACSQQn-02Z9zsl8VkD-NUZBUTMY"
TEXT = (
    "Der Jahresbeitrag richtet sich nach der Art und Größe der Organisation; "
    f"die aktuelle Beitragsordnung erhalten Sie von der Geschäftsstelle. Anmelden: {LINK}"
)
LABEL = "#3 Exkursion für Young Professionals: Aufbereitungsanlage Harzmetall"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


async def shown(out: io.StringIO, typed_in: io.StringIO | None = None) -> str:
    console = ConsoleTransport(user_id="anna", out=out, typed_in=typed_in or io.StringIO())
    await console.send("console:anna", Reply(text=TEXT, buttons=((Button(LABEL, "ev:3"),),)))
    return out.getvalue()


async def test_a_45_column_terminal_gets_whole_words_and_a_whole_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "45")
    lines = (await shown(Terminal())).splitlines()
    assert all(len(line) <= 45 for line in lines if LINK not in line)
    assert LINK in lines  # on a line of its own, longer than the terminal, but whole
    words = " ".join(line.strip() for line in lines).split()
    assert "Beitragsordnung" in words and "Organisation;" in words
    choice = next(i for i, line in enumerate(lines) if line.startswith("  [1] "))
    assert lines[choice + 1].startswith("      ") and "Harzmetall" in lines[choice + 1]


async def test_a_pipe_gets_the_text_unwrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "45")
    output = await shown(io.StringIO())
    assert TEXT in output and f"  [1] {LABEL}" in output


async def test_output_piped_on_from_a_terminal_is_wrapped_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "make demo | tee chat.log" typed at a 45-column terminal (walkthrough 2026-12-06:
    # lines broken within words)
    monkeypatch.setenv("COLUMNS", "45")
    lines = (await shown(io.StringIO(), typed_in=Terminal())).splitlines()
    assert all(len(line) <= 45 for line in lines if LINK not in line)
    assert "Beitragsordnung" in " ".join(line.strip() for line in lines).split()


async def test_a_delivery_while_waiting_for_input_draws_the_prompt_again() -> None:
    # A partner request reaching another member arrives while the terminal waits for a
    # line: the prompt follows it, so the next typed line does not look orphaned.
    out = Terminal()
    console = ConsoleTransport(user_id="anna", out=out)
    console.prompt = "> "
    await console.send("console:ben", Reply(text="Eine Partneranfrage"))
    assert not out.getvalue().endswith("> ")  # while a message is handled, no prompt
    console.waiting = True
    await console.send("console:ben", Reply(text="Eine Partneranfrage"))
    assert out.getvalue().endswith("Eine Partneranfrage\n> ")


@pytest.mark.parametrize("mark", ["c", "·"])
def test_a_lettered_or_someone_elses_choice_continues_under_its_label(mark: str) -> None:
    wrapped = wrap_for_terminal(f"  [{mark}] {LABEL}", 45).splitlines()
    assert wrapped[0].startswith(f"  [{mark}] ") and wrapped[1].startswith("      "), wrapped


def test_an_attachments_line_continues_under_itself() -> None:
    """Walkthrough (session 48): "140 B]" of the office's roster file had begun a line at
    column 0, like text of its own."""
    wrapped = wrap_for_terminal("  [file teilnehmende-veranstaltung-1.csv, 140 B]", 45)
    assert wrapped.splitlines() == ["  [file teilnehmende-veranstaltung-1.csv,", "   140 B]"]


@pytest.mark.parametrize(
    "text",
    [
        # Each line of the old wrapping ended on the emoji or the time.
        "Ihr Platz für die Exkursion ist reserviert 👥 12 Personen fahren mit dem Bus.",
        "Treffpunkt am Werkstor in Goslar um 14:30 Uhr, bitte festes Schuhwerk mitbringen.",
        "Rundgang durch die Halle am 3. Juni ab 9:45 Uhr mit anschließender Diskussion.",
    ],
)
async def test_an_emoji_or_a_time_stays_with_the_word_after_it(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("COLUMNS", "45")
    out = Terminal()
    await ConsoleTransport(user_id="anna", out=out).send("console:anna", Reply(text=text))
    lines = out.getvalue().splitlines()[2:]  # after the recipient's line
    assert len(lines) > 1 and all(len(line) <= 45 for line in lines), lines
    assert not any(line.startswith("Uhr") or line.endswith("👥") for line in lines), lines
    assert " ".join(lines) == text  # nothing lost, the space kept a plain space


@pytest.mark.parametrize(
    "text",
    [
        # Each wrapped by the old rules with the ellipsis or the dash first on a line.
        "Einen Moment bitte, ich suche nach Betrieben …",
        "Welche Metalle holen Sie zurück (Zink, Zinn …)?",
        "Ihre Rückmeldung zum Werksbesuch kam gut an – die Geschäftsstelle meldet sich.",
        "Tell us what the new partner ought to bring – skills, tools or data.",
    ],
)
async def test_an_ellipsis_or_a_dash_stays_with_the_word_before_it(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setenv("COLUMNS", "45")
    out = Terminal()
    await ConsoleTransport(user_id="anna", out=out).send("console:anna", Reply(text=text))
    lines = out.getvalue().splitlines()[2:]  # after the recipient's line
    assert len(lines) > 1 and all(len(line) <= 45 for line in lines), lines
    assert not any(line.startswith(("…", "–")) for line in lines), lines
    assert " ".join(lines) == text  # nothing lost, the space kept a plain space


# A link longer than a 45-column terminal, as the dashboard's sign-in link or /seite's page are.
LONG_LINK = (
    "https://bot.example.org/app?m=12&e=1796492756&s=13f0c72fb1fd65661d0f7fdbcb49122cb1594c97e0"
)


@pytest.mark.parametrize(
    "text",
    [
        f"Dashboard der Geschäftsstelle (Anmeldelink, gilt einmal): {LONG_LINK}",
        f"Ihre Veranstaltungen als Seite: {LONG_LINK} (gilt 30 Minuten, nur für Sie)",
        f"Der Link – {LONG_LINK} – gilt einmal",
        f"Kalender-Abo: {LONG_LINK} … und mehr",
        f"📅 {LONG_LINK}",
        f"Abonnieren Sie diese Adresse:\n{LONG_LINK}\nin Ihrem Kalender",
    ],
)
def test_a_link_longer_than_the_terminal_is_a_whole_line_of_its_own(text: str) -> None:
    # The terminal shows a line wider than itself over several rows (tmux joins them again
    # when copying); the demo only must not break the link nor put other words beside it.
    assert len(LONG_LINK) == 90
    lines = wrap_for_terminal(text, 45).splitlines()
    assert LONG_LINK in lines, lines
    assert all(len(line) <= 45 for line in lines if line != LONG_LINK), lines
    words = " ".join(lines).split()
    assert words == text.split(), lines  # nothing lost, nothing broken


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Sie sind für „Forum Kreislaufwirtschaft“ (Nr. 2) angemeldet.", "(Nr. 2)"),
        ("You are signed up for the tin smelter visit (No. 12) now.", "(No. 12)"),
        ("Do you want to cancel your sign-up for the tin smelter visit (no. 3)?", "(no. 3)"),
        ("  [file teilnehmerliste-forum.xlsx, 5 KB] /tmp/x/teilnehmer.xlsx", "5 KB]"),
        ("Teilnahmegebühr für Mitglieder insgesamt 120 € pro Person", "120 €"),
        ("Schreiben Sie Ihre Themen, z. B. „Thema Digitalisierung“ oder Kobalt", "z. B."),
        ("Der Bot liest mit, d. h. er antwortet hier im Chat", "d. h."),
        # a command with its number or yes/no: broken after the command, it read as alone
        ("Gehören Sie dazu? Dann schreiben Sie es mit /youngpro ja und los", "/youngpro ja"),
        ("Sonst steht an, was Sie sehen: (/termin N zeigt Details)", "/termin N"),
        ("Ihre Anfrage wartet auf die Geschäftsstelle: /weiterleiten 12", "/weiterleiten 12"),
        ("Von Hand weiterleiten: /weiterleiten ANFRAGE MITGLIED", "/weiterleiten ANFRAGE MITGLIED"),
        # a count with its label ("abgelehnt:" had ended one line, "0 ·" begun the next)
        ("angefragt: 1 · interessiert: 0 · abgelehnt: 0 · vorgestellt: 0", "abgelehnt: 0"),
    ],
)
def test_a_number_stays_with_its_name_and_unit(text: str, kept: str) -> None:
    for width in range(22, 60):
        lines = wrap_for_terminal(text, width).split("\n")
        assert any(kept in line for line in lines), (width, lines)
