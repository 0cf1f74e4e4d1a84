"""A member's guided step resumed after /sprache (/language) asks its question anew in the
language chosen, its buttons with it, and keeps what was answered: the registration, a profile
change, a partner search and the question whether to erase everything."""

from __future__ import annotations

from tests.harness import Harness


async def test_a_registration_begun_in_german_goes_on_in_english(bot: Harness) -> None:
    await bot.send("neu", "/start")
    await bot.press("neu", "ob:language:de")
    asked = await bot.send("neu", "Harzer Metall GmbH")
    assert asked.text.startswith("Welche Rolle haben Sie dort"), asked.text
    await bot.send("neu", "/language en")
    resumed = await bot.send("neu", "/start")
    assert resumed.text == (
        "Back to your registration:\n\n"
        "What is your role there (e.g. management, research, purchasing)?"
    )
    following = await bot.send("neu", "Research")
    assert following.text.startswith("Which topics do you work on?"), following.text
    member = await bot.member("neu")
    assert member is not None and member.organisation == "Harzer Metall GmbH"
    assert member.role == "Research"


async def test_a_registration_begun_in_english_asks_its_yes_no_in_german(bot: Harness) -> None:
    await bot.send("new", "/start")
    await bot.press("new", "ob:language:en")
    await bot.send("new", "Harz Metals Ltd")
    await bot.send("new", "Purchasing")
    asked = await bot.send("new", "Battery recycling")
    assert asked.text.startswith("May partner requests"), asked.text
    await bot.send("new", "/sprache de")
    resumed = await bot.send("new", "/start")
    assert resumed.text.startswith("Weiter mit Ihrer Registrierung:\n\nDürfen"), resumed.text
    assert "partner requests" not in resumed.text, resumed.text
    assert [b.label for r in resumed.replies for row in r.buttons for b in row] == ["Ja", "Nein"]
    contact = await bot.press("new", resumed.button("Ja"))
    assert contact.text.startswith("Über welchen Kontakt"), contact.text
    assert contact.text.lower().count("zustimm") == 1, contact.text  # said once, not twice
    member = await bot.member("new")
    assert member is not None and member.topics == ["Battery recycling"]
    assert member.partner_consent


async def test_a_language_chosen_by_command_at_the_first_question_goes_on_to_the_next(
    bot: Harness,
) -> None:
    welcome = await bot.send("neu", "/start")
    assert "Welche Sprache" in welcome.text, welcome.text
    await bot.send("neu", "/language en")
    resumed = await bot.send("neu", "/start")
    assert resumed.text == (
        "Back to your registration:\n\n"
        "Which organisation do you represent in the network (company, university, "
        "municipality …)?"
    )


async def test_a_profile_change_begun_in_german_goes_on_in_english(bot: Harness) -> None:
    await bot.onboard("mitglied", org="Harzer Metall GmbH")
    asked = await bot.press("mitglied", "ob:again:organisation")
    assert asked.button("Beibehalten"), asked.text
    await bot.send("mitglied", "/language en")
    resumed = await bot.send("mitglied", "/start")
    assert resumed.text.startswith("Back to your profile change:\n\nWhich organisation"), (
        resumed.text
    )
    assert "So far: Harzer Metall GmbH" in resumed.text, resumed.text
    role = await bot.press("mitglied", resumed.button("Keep"))
    assert role.text.startswith("What is your role there"), role.text
    assert "So far: Forschung" in role.text and role.button("Keep"), role.text


async def test_a_profile_change_begun_in_english_goes_on_in_german(bot: Harness) -> None:
    await bot.onboard("member", lang="en", org="Harz Metals Ltd")
    await bot.press("member", "ob:again:organisation")
    await bot.send("member", "Harz Metals Recycling Ltd")
    asked = await bot.send("member", "Research and development")
    assert asked.text.startswith("Which topics"), asked.text
    await bot.send("member", "/sprache de")
    resumed = await bot.send("member", "/start")
    assert resumed.text.startswith("Weiter mit Ihrer Profiländerung:\n\nZu welchen Themen"), (
        resumed.text
    )
    assert "Bisher: Batterierecycling; Hydrometallurgie" in resumed.text, resumed.text
    assert resumed.button("Beibehalten") and "Keep" not in str(resumed.replies)
    member = await bot.member("member")
    assert member is not None and member.organisation == "Harz Metals Recycling Ltd"
    assert member.role == "Research and development"


async def test_a_partner_search_asked_in_german_is_asked_again_in_english(bot: Harness) -> None:
    await bot.onboard("suche")
    asked = await bot.send("suche", "/partnersuche")
    assert asked.text.startswith("Wen suchen Sie?"), asked.text
    await bot.send("suche", "/language en")
    resumed = await bot.send("suche", "/partner")
    assert resumed.text.startswith("Back to your partner search:\n\nWhom are you looking for?"), (
        resumed.text
    )
    assert "Wen suchen" not in resumed.text, resumed.text


async def test_a_partner_search_waiting_for_the_organisation_asks_it_in_german(
    bot: Harness,
) -> None:
    await bot.send("seeker", "/language en")
    need = "We are looking for a lab that analyses lithium in black mass"
    asked = await bot.send("seeker", f"/partner {need}")
    assert asked.text.startswith("For a partner search I first need"), asked.text
    await bot.send("seeker", "/sprache de")
    resumed = await bot.send("seeker", "/partnersuche")
    assert resumed.text.startswith(
        "Weiter mit Ihrer Partnersuche:\n\nFür die Partnersuche brauche ich"
    ), resumed.text
    # the need written before is kept: the organisation leads straight to its preview
    preview = await bot.send("seeker", "Harz Cells Ltd")
    assert need in preview.text, preview.text
    member = await bot.member("seeker")
    assert member is not None and member.organisation == "Harz Cells Ltd"


async def test_whether_to_erase_is_asked_again_in_english_after_a_question(
    bot: Harness,
) -> None:
    await bot.onboard("weg")
    asked = await bot.send("weg", "/vergessen")
    assert asked.button("Ja, alles löschen"), asked.text
    await bot.send("weg", "/language en")
    answered = await bot.send("weg", "How much is the membership fee?")
    assert answered.text.endswith(
        "About erasing all your data:\n\nDo you really want all your data deleted (profile, "
        "sign-ups, requests, your questions and what the bot learned from them)? This cannot "
        "be undone."
    ), answered.text
    assert answered.button("Yes, delete everything") and answered.button("No")
    assert "löschen" not in str(answered.replies), answered.replies


async def test_whether_to_erase_is_asked_again_in_german_after_a_question(bot: Harness) -> None:
    await bot.onboard("gone", lang="en")
    await bot.send("gone", "/forget")
    await bot.send("gone", "/sprache de")
    answered = await bot.send("gone", "Wie hoch ist der Mitgliedsbeitrag?")
    assert "Zu Ihrer Frage, ob alle Ihre Daten gelöscht werden sollen:\n\nSollen wirklich" in (
        answered.text
    ), answered.text
    asked = answered.replies[-1]
    labels = [button.label for row in asked.buttons for button in row]
    assert labels == ["Ja, alles löschen", "Nein"], labels
    kept = await bot.press("gone", asked.buttons[0][1].payload)
    assert kept.text == "Gut, es bleibt alles gespeichert.", kept.text
    assert await bot.member("gone") is not None


async def test_a_refinement_asked_in_german_is_asked_again_in_english(bot: Harness) -> None:
    await bot.onboard("suche")
    preview = await bot.send("suche", "/partnersuche Labor ICP-OES Lithium")
    asked = await bot.press("suche", preview.button("genauer"))
    assert asked.text.startswith("Was sollen die passenden Mitglieder"), asked.text
    await bot.send("suche", "/language en")
    resumed = await bot.send("suche", "/partner")
    assert resumed.text.startswith(
        "Back to your partner search:\n\nWhat else should the right members know?"
    ), resumed.text


async def test_the_language_command_asks_the_waiting_question_again_in_the_new_language(
    bot: Harness,
) -> None:
    # A member who switches language mid-registration may not read the question asked
    # before: it comes again at once, in the language chosen, with its buttons.
    await bot.send("neu", "/start")
    await bot.press("neu", "ob:language:de")
    await bot.send("neu", "Harzer Metall GmbH")
    await bot.send("neu", "Einkauf")
    asked = await bot.send("neu", "Leiterplatten")
    assert asked.text.startswith("Dürfen Partneranfragen"), asked.text
    switched = await bot.send("neu", "/language en")
    assert switched.text.endswith(
        "Back to your registration:\n\nMay partner requests from other members that fit "
        "your topics reach you? The bot only passes on your contact details when both "
        "sides agree."
    ), switched.text
    assert [b.label for row in switched.replies[-1].buttons for b in row] == ["Yes", "No"]
    # The same language again asks nothing again.
    again = await bot.send("neu", "/language en")
    assert "May partner requests" not in again.text, again.text


async def test_the_language_changed_by_its_button_is_confirmed_by_name(bot: Harness) -> None:
    # walkthrough 2026-12-06: "Sprache ändern" then English said only "Saved." where
    # "/sprache en" says "Saved – Language: English"
    await bot.onboard("mitglied", org="Harzer Metall GmbH")
    shown = await bot.send("mitglied", "/sprache")
    asked = await bot.press("mitglied", shown.button("Sprache ändern"))
    saved = await bot.press("mitglied", asked.button("English"))
    assert saved.text.startswith("Saved – Language: English"), saved.text
    member = await bot.member("mitglied")
    assert member is not None and member.language == "en"
