"""A step resumed after the member changed their language reads in that language only: its
command shows the question asked anew, under the `resumed` line, never the old language's
question under the new language's line ("Weiter mit Ihrer neuen Veranstaltung:\n\nIt will be
created like this: …")."""

from __future__ import annotations

from bot.i18n import t
from tests.dates import days_ahead, typed, typed_iso
from tests.harness import Harness

# English catalogue lines of the new-event preview, and their German ones.
PREVIEW_EN = ("It will be created like this:", "places taken", "Nobody will be told.")
PREVIEW_DE = ("So wird sie angelegt:", "Plätze belegt", "Benachrichtigt wird niemand.")


def english_form(bot: Harness) -> str:
    start = days_ahead(bot, 60, hour=10, minute=0)
    return (
        f"kind=workshop; title=Sorting line visit in Hettstedt; start={typed_iso(start)}; "
        "place=Hettstedt; places=12; announce=no"
    )


def german_form(bot: Harness) -> str:
    start = days_ahead(bot, 61, hour=14, minute=0)
    return (
        f"art=workshop; titel=Sortierlinie in Freiberg ansehen; beginn={typed(start)}; "
        "ort=Freiberg; plätze=8; ankündigung=nein"
    )


async def test_a_new_events_preview_resumed_after_sprache_de_is_all_german(
    bot: Harness,
) -> None:
    await bot.send("admin", "/language en")
    first = await bot.send("admin", f"/newevent {english_form(bot)}")
    assert all(line in first.text for line in PREVIEW_EN), first.text
    switched = await bot.send("admin", "/sprache de")
    # the German confirmation, then the preview again in German; no line that it still
    # waits above them, in either language
    assert switched.text.startswith("Gespeichert – Sprache: Deutsch"), switched.text
    assert "Weiter mit Ihrer neuen Veranstaltung:\n\nSo wird sie angelegt:" in switched.text
    assert "noch nicht gespeichert" not in switched.text, switched.text
    assert "Your new event" not in switched.text, switched.text
    resumed = await bot.send("admin", "/neuertermin")
    assert resumed.text.startswith("Weiter mit Ihrer neuen Veranstaltung:\n\nSo wird sie angelegt:")
    assert all(line in resumed.text for line in PREVIEW_DE), resumed.text
    assert not any(line in resumed.text for line in PREVIEW_EN), resumed.text
    assert resumed.button("Speichern") and resumed.button("Verwerfen")
    # shown again in the same language: the line once, the question kept without it
    again = await bot.send("admin", "/neuertermin")
    assert again.text.count("Weiter mit Ihrer neuen Veranstaltung") == 1, again.text
    assert again.text.count("So wird sie angelegt") == 1, again.text
    saved = await bot.press("admin", again.button("Speichern"))
    assert "Sortierlinie" not in saved.text and "Sorting line visit in Hettstedt" in saved.text


async def test_a_new_event_asked_in_german_is_resumed_in_english_after_language_en(
    bot: Harness,
) -> None:
    await bot.send("admin", "/sprache de")
    first = await bot.send("admin", f"/neuertermin {german_form(bot)}")
    assert all(line in first.text for line in PREVIEW_DE), first.text
    await bot.send("admin", "/language en")
    resumed = await bot.send("admin", "/newevent")
    assert resumed.text.startswith("Back to your new event:\n\nIt will be created like this:")
    assert all(line in resumed.text for line in PREVIEW_EN), resumed.text
    assert not any(line in resumed.text for line in PREVIEW_DE), resumed.text
    stale = await bot.press("admin", first.button("Speichern"))  # the German preview's
    assert "no longer valid" in stale.text, stale.text
    saved = await bot.press("admin", resumed.button("Save"))
    assert "Sortierlinie in Freiberg ansehen" in saved.text, saved.text
    # a guided step, not only the preview: the question asked anew, its buttons in English
    await bot.send("admin", "/sprache de")
    asked = await bot.send("admin", "/neuertermin")
    assert asked.text.startswith("Neue Veranstaltung. Welche Art?"), asked.text
    await bot.send("admin", "/language en")
    back = await bot.send("admin", "/newevent")
    assert back.text.startswith("Back to your new event:"), back.text
    assert back.text.endswith("New event. Which kind? (/cancel stops)"), back.text
    assert back.button("Excursion") and "Exkursion" not in str(back.replies), back.replies


async def test_a_broadcast_resumed_after_language_en_asks_its_step_in_english(
    bot: Harness,
) -> None:
    await bot.onboard("leser")
    await bot.send("admin", "/sprache de")
    await bot.send("admin", "/rundschreiben")
    await bot.send("admin", "Die Geschäftsstelle ist am Brückentag geschlossen.")
    asked = await bot.send("admin", "/rundschreiben")
    assert asked.button("Ohne Bild"), asked.text
    await bot.send("admin", "/language en")
    resumed = await bot.send("admin", "/broadcast")
    assert resumed.text.startswith("Back to your broadcast:\n\n"), resumed.text
    assert "Should an image or a file go with it?" in resumed.text, resumed.text
    assert "Ohne" not in str(resumed.replies), resumed.replies
    audience = await bot.press("admin", resumed.button(t("en", "broadcast.skip_file")))
    preview = await bot.press("admin", audience.button("Everyone"))
    assert "Preview" in preview.text and "Brückentag" in preview.text, preview.text
    await bot.send("admin", "/sprache de")
    shown = await bot.send("admin", "/rundschreiben")
    assert shown.text.startswith("Weiter mit Ihrem Rundschreiben:\n\nVorschau"), shown.text
    assert "Preview" not in shown.text and shown.button("Senden"), shown.text
    sent = await bot.press("admin", shown.button("Senden"))
    assert sent.text.startswith("Rundschreiben #1 ist an einen Empfänger unterwegs"), sent.text


# Steps without a command of their own come back after a question asked beside them.
async def test_a_cancellation_asked_in_german_is_asked_again_in_english(
    bot: Harness,
) -> None:
    await bot.send("admin", "/sprache de")
    preview = await bot.send("admin", f"/neuertermin {german_form(bot)}")
    await bot.press("admin", preview.button("Speichern"))
    asked = await bot.send("admin", "/absagen 1")
    await bot.send("admin", "Der Referent ist erkrankt")
    await bot.send("admin", "/language en")
    beside = await bot.send("admin", "Where is the office exactly?")
    again = beside.replies[-1]
    assert again.text.startswith("On from where you left off:\n\nReally cancel it?"), again.text
    assert "Reason: Der Referent ist erkrankt" in again.text, again.text
    labels = [button.label for row in again.buttons for button in row]
    assert labels == ["Cancel event", "Keep it"], labels
    cancelled = await bot.press("admin", again.buttons[0][0].payload)
    assert "is cancelled" in cancelled.text, cancelled.text
    assert asked.button("ohne Begründung"), asked.text


async def test_a_change_previewed_in_english_is_previewed_again_in_german(bot: Harness) -> None:
    await bot.send("admin", "/language en")
    preview = await bot.send("admin", f"/newevent {english_form(bot)}")
    await bot.press("admin", preview.button("Save"))
    asked = await bot.send("admin", "/editevent 1 places=20")
    assert "No. 1 will be changed like this:" in asked.text, asked.text
    await bot.send("admin", "/sprache de")
    beside = await bot.send("admin", "Wo ist die Geschäftsstelle genau?")
    again = beside.replies[-1]
    assert again.text.startswith("Weiter, wo Sie stehen geblieben waren:\n\nSo wird Nr. 1"), (
        again.text
    )
    assert "will be changed" not in again.text, again.text
    saved = await bot.press("admin", beside.button("Speichern"))
    assert "ist geändert" in saved.text, saved.text


async def test_changing_language_during_the_registration_asks_on_without_a_refusal(
    bot: Harness,
) -> None:
    await bot.send("lena", "/start")
    await bot.press("lena", "ob:language:de")
    switched = await bot.send("lena", "/sprache en")
    # the confirmation first, then the registration's question in English: nothing that
    # reads as if the command were refused
    assert switched.text.startswith("Saved – Language: English"), switched.text
    assert "Which organisation do you represent" in switched.text, switched.text
    assert "not finished yet" not in switched.text and "noch nicht" not in switched.text
    # the language it already has: the question does not come again, the line says it waits
    same = await bot.send("lena", "/language en")
    assert same.text.startswith("Your registration is not finished yet"), same.text
    assert "Which organisation" not in same.text, same.text
    # the registration goes on where it was
    await bot.send("lena", "Talbacher Metallhandel")
    member = await bot.member("lena")
    assert member is not None and member.organisation == "Talbacher Metallhandel"
