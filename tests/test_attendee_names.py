"""The office's attendee lists name people: a company visit needs a gate list. The chat's
name is taken where the bot had none (a directory entry that connects), and a member the bot
knows no name of is asked for one when they sign up (`/name`); /profile and /mydata show it,
/forget erases it."""

from __future__ import annotations

from handlers.events import service
from handlers.events.form import draft_from_form
from handlers.members.directory_import import import_directory, parse_directory
from storage import members as member_store
from tests.dates import days_ahead, typed
from tests.harness import Harness

DIRECTORY = (
    "id,organisation,kind,city,role,languages,young_professional,topics,bio\n"
    "m-7,Hütte Nordharz (fiktiv),company,Goslar,Werksleitung,de,false,Zinn,\n"
)


async def excursion(bot: Harness) -> int:
    await bot.send("admin", "/help")
    admin = await bot.member("admin")
    assert admin is not None
    start = days_ahead(bot, 40)
    form = f"art=exkursion; titel=Werksbesuch Oker; beginn={typed(start)}; plätze=20"
    draft = draft_from_form(form, tz=bot.app.services.settings.network.tz)
    created = await service.create_event(bot.app.services, draft, created_by=admin.id)
    return created.event.id


async def directory_member_with_account(bot: Harness, user: str) -> int:
    async with bot.db.session() as session:
        await import_directory(session, parse_directory(DIRECTORY))
    async with bot.db.session() as session:
        entry = await member_store.find_by_external_id(session, "m-7")
        assert entry is not None and entry.display_name == ""
        await member_store.add_account(
            session, member_id=entry.id, platform="console", user_id=user, chat_id=f"chat-{user}"
        )
        return entry.id


async def test_a_directory_member_is_named_by_their_chat_name(bot: Harness) -> None:
    number = await excursion(bot)
    await directory_member_with_account(bot, "4711")
    joined = await bot.send("4711", f"/anmelden {number}", name="Greta Schlacke")
    assert "/name" not in joined.text  # a name is known: nothing to ask
    listing = await bot.send("admin", f"/teilnehmer {number}")
    assert "Greta Schlacke · Hütte Nordharz (fiktiv)" in listing.text
    assert "– · Hütte" not in listing.text


async def test_a_member_without_a_name_is_asked_and_gives_it(bot: Harness) -> None:
    number = await excursion(bot)
    member_id = await directory_member_with_account(bot, "kon-1")
    # the console gives only the user's id: no name
    joined = await bot.send("kon-1", f"/anmelden {number}")
    assert "noch kein Name" in joined.text and "/name Vorname Nachname" in joined.text
    before = await bot.send("admin", f"/teilnehmer {number}")
    assert "– · Hütte Nordharz (fiktiv)" in before.text

    refused = await bot.send("kon-1", "/name =SUMME(A1)")
    assert "etwa „Erika Muster“" in refused.text
    saved = await bot.send("kon-1", "/name Greta Schlacke")
    assert "Name: Greta Schlacke" in saved.text
    # a later chat name does not replace the name given
    await bot.send("kon-1", "/name", name="gs")
    listing = await bot.send("admin", f"/teilnehmer {number}")
    assert f"Greta Schlacke · Hütte Nordharz (fiktiv) (Mitglied {member_id})" in listing.text

    profile = await bot.send("kon-1", "/profil")
    assert "Name: Greta Schlacke" in profile.text
    mydata = await bot.send("kon-1", "/meinedaten")
    assert "Name: Greta Schlacke" in mydata.text
    await bot.send("kon-1", "/vergessen")
    await bot.press("kon-1", f"fg:{member_id}")
    after = await bot.send("admin", f"/teilnehmer {number}")
    assert "Greta Schlacke" not in after.text


async def test_a_new_member_is_asked_for_name_and_introduction_in_english(bot: Harness) -> None:
    number = await excursion(bot)
    joined = await bot.send("new-1", f"/join {number}", lang="en")
    assert "Neither your name nor your organisation" in joined.text
    assert "/name First name Last name" in joined.text
    shown = await bot.send("new-1", "/name")
    assert "Name: –" in shown.text and "/name <" in shown.text
    saved = await bot.send("new-1", "/name Ann Example")
    assert "Name: Ann Example" in saved.text
    async with bot.db.session() as session:
        member = await bot.member("new-1")
        assert member is not None
        stored = await member_store.get_member(session, member.id)
        assert stored is not None and stored.display_name == "Ann Example"


async def test_a_name_typed_alone_after_the_sign_up_asked_for_it_is_saved(bot: Harness) -> None:
    number = await excursion(bot)
    await directory_member_with_account(bot, "kon-2")
    joined = await bot.send("kon-2", f"/anmelden {number}")
    assert "/name Vorname Nachname" in joined.text
    add_name = joined.button("Namen eintragen")
    # thanks is no name
    thanked = await bot.send("kon-2", "Vielen Dank")
    assert "Name:" not in thanked.text, thanked.text
    # an event's card, of an event the member is signed up for, asks for nothing: a place
    # typed under it is no name
    card = await bot.send("kon-2", f"/termin {number}")
    assert any(p.startswith("ev:leave:") for p in card.buttons)
    place = await bot.send("kon-2", "Rammelsberg Goslar")
    assert "Name:" not in place.text, place.text
    # the confirmation's button asks for it; the name typed then is saved
    asked = await bot.press("kon-2", add_name)
    assert "Schreiben Sie mir einfach Ihren Namen" in asked.text, asked.text
    saved = await bot.send("kon-2", "Greta Schlacke")
    assert "Name: Greta Schlacke" in saved.text, saved.text
    listing = await bot.send("admin", f"/teilnehmer {number}")
    assert "Greta Schlacke · Hütte Nordharz (fiktiv)" in listing.text
    # once a name is known, a name-like message is what it is otherwise (a question to the FAQ)
    later = await bot.send("kon-2", "Anna Beispiel")
    assert "Name:" not in later.text, later.text


async def test_a_name_like_message_under_the_confirmation_is_no_name(bot: Harness) -> None:
    """Right under the sign-up's confirmation, "Clausthal Zellerfeld" or "Innovation Forum"
    is a place or the next event, not a name (walkthrough: both were saved as the name); the
    button asks for it, and the name typed then is saved."""
    number = await excursion(bot)
    await directory_member_with_account(bot, "kon-3")
    joined = await bot.send("kon-3", f"/anmelden {number}")
    place = await bot.send("kon-3", "Clausthal Zellerfeld")
    assert "Name:" not in place.text, place.text
    await bot.press("kon-3", joined.button("Namen eintragen"))
    saved = await bot.send("kon-3", "Greta Schlacke")
    assert "Name: Greta Schlacke" in saved.text, saved.text


async def test_a_name_introduced_in_words_or_given_later(bot: Harness) -> None:
    number = await excursion(bot)
    joined = await bot.send("new-2", f"/anmelden {number}")
    assert joined.button("Namen eintragen")
    saved = await bot.send("new-2", "ich heiße Greta Schlacke")
    assert "Name: Greta Schlacke" in saved.text, saved.text
    # in English, asked by the button, one word will do; "Later" says how to add it
    joined = await bot.send("new-3", f"/join {number}", lang="en")
    asked = await bot.press("new-3", joined.button("Add my name"), lang="en")
    assert "Just write your name here" in asked.text, asked.text
    later = await bot.press("new-3", asked.button("Later"), lang="en")
    assert "/name First name Last name adds your name any time" in later.text, later.text
    asked = await bot.press("new-3", joined.button("Add my name"), lang="en")
    saved = await bot.send("new-3", "My name is Ann", lang="en")
    assert "Name: Ann" in saved.text, saved.text
    # not registered yet: the profile is begun, with the name (it had said there was none)
    profile = await bot.send("new-3", "/profile", lang="en")
    assert "only begun" in profile.text and "Name: Ann" in profile.text, profile.text
    mydata = await bot.send("new-3", "/mydata", lang="en")
    assert mydata.text.count("Name: Ann") == 1, mydata.text
    # a question typed where the name was asked for stays a question
    asked = await bot.press("new-3", joined.button("Add my name"), lang="en")
    question = await bot.send("new-3", "Where is the excursion?", lang="en")
    assert "Name:" not in question.text, question.text


async def test_a_name_said_as_one_is_taken_anywhere_and_name_alone_asks(bot: Harness) -> None:
    said = await bot.send("new-4", "Hallo, ich heiße Greta Schlacke")
    assert "Name: Greta Schlacke" in said.text, said.text
    # /name alone shows it and asks for another; the name typed next is taken
    asked = await bot.send("new-5", "/name", lang="en")
    assert "Name: –" in asked.text and "Just write your name here" in asked.text, asked.text
    saved = await bot.send("new-5", "Ann Smith", lang="en")
    assert "Name: Ann Smith" in saved.text, saved.text
    # typed all in lowercase, as on a phone: as the attendee list shows names
    typed = await bot.send("new-5", "/name anna-lena von der heide", lang="en")
    assert "Name: Anna-Lena von der Heide" in typed.text, typed.text
    kept = await bot.send("new-5", "/name Ann deWitt", lang="en")
    assert "Name: Ann deWitt" in kept.text, kept.text
    # "I'm …" says other things as well: no name taken from it
    other = await bot.send("new-6", "I'm Fine", lang="en")
    assert "Name:" not in other.text, other.text
