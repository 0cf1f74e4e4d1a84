"""Members as they use the bot: onboarding, profile, bad input, admins, link, mydata, forget."""

import json

import pytest
from sqlalchemy import func, select

from bot.messages import Platform
from storage import conversations, members
from storage.faq import FaqTicket
from storage.models import AuditEntry, Member
from tests.harness import Harness, make_harness
from tests.partners_fixtures import import_members


async def test_onboarding_in_english_stores_the_profile(bot_any: Harness) -> None:
    first = await bot_any.send("ada", "/start")
    assert "Which language" in first.text
    asked = await bot_any.press("ada", first.button("English"))
    assert "organisation" in asked.text
    await bot_any.send("ada", "Harz Hydromet GmbH")
    await bot_any.send("ada", "Process engineer")
    consent = await bot_any.send("ada", "battery recycling; black mass; battery recycling")
    contact = await bot_any.press("ada", consent.button("Yes"))
    assert "Which contact may partners use" in contact.text and contact.button("Skip")
    assert contact.text.count("agree") == 1, contact.text  # when it is passed on, said once
    await bot_any.send("ada", "ada@example.org")
    await bot_any.send("ada", "no")  # typed instead of pressed
    done = await bot_any.press("ada", "ob:yp:1")
    assert "profile is set up" in done.text
    member = await bot_any.member("ada")
    assert member is not None and member.onboarded
    assert member.language == "en" and member.organisation == "Harz Hydromet GmbH"
    assert member.topics == ["battery recycling", "black mass"]
    assert member.contact == "ada@example.org"
    assert member.partner_consent and not member.news_subscribed and member.young_professional
    profile = await bot_any.send("ada", "/profile")
    assert "Harz Hydromet GmbH" in profile.replies[0].text


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_the_harness_registers_a_member_as_the_chat_sign_up_does(
    bot_any: Harness, lang: str
) -> None:
    """`Harness.onboard` (the other tests' set-up) stores what the sign-up in the chat stores
    for the same answers, and the member it leaves is greeted back, not asked again."""
    await bot_any.sign_up_in_chat("chat", lang=lang)
    await bot_any.onboard("direct", lang=lang)
    in_chat, direct = await bot_any.member("chat"), await bot_any.member("direct")
    assert in_chat is not None and direct is not None
    own = {"id", "display_name", "created_at", "updated_at", "accounts"}
    for column in Member.__table__.columns:
        if column.name not in own:
            assert getattr(direct, column.name) == getattr(in_chat, column.name), column.name
    back = await bot_any.send("direct", "/start")
    assert back.text == (await bot_any.send("chat", "/start")).text


async def test_a_changed_field_is_confirmed_in_one_line_in_the_new_language(
    bot_any: Harness,
) -> None:
    await bot_any.onboard("dora", lang="de")
    org = await bot_any.send("dora", "/organisation Harzer Metall & Söhne AG")
    assert "Gespeichert – Organisation: Harzer Metall &amp; Söhne AG" in org.replies[0].text
    assert "Themen" not in org.text  # not the whole profile again
    news = await bot_any.send("dora", "/news ja")
    assert "Gespeichert – Neuigkeiten: Ja" in news.text
    asked = await bot_any.send("dora", "/news")  # no value: what is set, and how to change it
    assert "Neuigkeiten: Ja. Ändern mit /neuigkeiten ja oder /neuigkeiten nein." in asked.text
    assert "/neuigkeiten [ja|nein]" in (await bot_any.send("dora", "/help news")).text
    switched = await bot_any.send("dora", "/language en")
    assert "Saved – Language: English" in switched.text
    assert "/profile shows your whole profile" in switched.text


async def test_an_organisation_or_role_with_a_link_markup_or_formula_is_refused_in_words(
    bot: Harness,
) -> None:
    """Other members read the organisation above every partner request, in introductions,
    rosters and the office's inbox: a link, a contact, tags or a spreadsheet formula there
    is refused with what to change, in the member's language, and nothing is stored."""
    await bot.send("fee", "/start")
    await bot.press("fee", "ob:language:de")
    formula = await bot.send("fee", '=HYPERLINK("http://evil.example/x","Klick")')
    assert "ohne Link" in formula.text and "/kontakt" in formula.text, formula.text
    member = await bot.member("fee")
    assert member is not None and member.organisation == ""
    plus = await bot.send("fee", "+49 Harz")
    assert "nicht mit „+“ beginnen" in plus.text, plus.text
    tagged = await bot.send("fee", "<i>Harz GmbH</i>")
    assert "Formatierungszeichen wie „<i>“" in tagged.text, tagged.text
    await bot.send("fee", "Harz GmbH")
    mail = await bot.send("fee", "Leitung, fee@harz.example")  # the role
    assert "ohne Link, E-Mail-Adresse" in mail.text, mail.text
    member = await bot.member("fee")
    assert member is not None and (member.organisation, member.role) == ("Harz GmbH", "")
    # the profile commands, in English
    await bot.onboard("gil", lang="en", org="Oker Metall GmbH")
    for typed, said in (
        ("/organisation <i>Harz GmbH</i>", "leave out formatting such as “<i>”"),
        ("/organisation Harz GmbH www.harz.example", "leave out links, e-mail addresses"),
        ("/organisation @harzgmbh", "leave out links"),
        ("/organisation -Harz GmbH", "do not start with “-”"),
        ("/role =1+1", "do not start with “=”"),
    ):
        refused = await bot.send("gil", typed)
        assert said in refused.text and "Saved" not in refused.text, (typed, refused.text)
    member = await bot.member("gil")
    assert member is not None and (member.organisation, member.role) == (
        "Oker Metall GmbH",
        "Forschung",
    )
    assert "Saved" in (await bot.send("gil", "/organisation Harz-Metall GmbH & Co. KG")).text


async def test_a_bare_domain_in_an_organisation_or_role_is_a_link_but_dotted_names_are_kept(
    bot: Harness,
) -> None:
    """ "oker-metall.de" or "example.org/team" is a link without "www." or "https://" and is
    refused as one; abbreviations with dots ("Dipl.-Ing.", "e.V.", "Co.KG") are names."""
    await bot.onboard("hal", lang="de", org="Oker Metall GmbH")
    for typed in (
        "/organisation oker-metall.example",
        "/organisation Oker Metall (OKER-METALL.DE)",
        "/rolle Vertrieb, siehe example.org/team",
        "/rolle Leitung müller-recycling.de",
    ):
        refused = await bot.send("hal", typed)
        assert "ohne Link" in refused.text and "Gespeichert" not in refused.text, (
            typed,
            refused.text,
        )
    member = await bot.member("hal")
    assert member is not None and member.organisation == "Oker Metall GmbH"
    for typed, kept in (
        ("/organisation Inst. f. Metallurgie e.V.", "Inst. f. Metallurgie e.V."),
        ("/organisation Oker Metall GmbH & Co.KG", "Oker Metall GmbH & Co.KG"),
        ("/rolle Dipl.-Ing. Prozesstechnik, Abt.Org", "Dipl.-Ing. Prozesstechnik, Abt.Org"),
        ("/rolle Dr. rer. nat., z.B. Laugung", "Dr. rer. nat., z.B. Laugung"),
    ):
        saved = await bot.send("hal", typed)
        assert "Gespeichert – " in saved.text and kept in saved.text, (typed, saved.text)


async def test_the_organisation_a_partner_search_asks_for_is_refused_with_a_link(
    bot: Harness,
) -> None:
    await import_members(bot)
    await bot.send("hal", "Wer kann Schwarzmasse aus unseren Altbatterien aufbereiten?")
    refused = await bot.send("hal", '=HYPERLINK("http://evil.example/x","Klick")')
    assert "ohne Link" in refused.text and "Altbatterien" not in refused.text, refused.text
    member = await bot.member("hal")
    assert member is not None and member.organisation == ""
    preview = await bot.send("hal", "Harz GmbH")
    assert "Altbatterien" in preview.text, preview.text


async def test_stale_onboarding_button_does_nothing(bot: Harness) -> None:
    await bot.onboard("ben")
    replay = await bot.press("ben", "ob:consent:0")
    assert "nicht mehr gültig" in replay.text
    member = await bot.member("ben")
    assert member is not None and member.partner_consent


async def test_bad_input_gets_a_clear_answer_in_the_members_language(bot: Harness) -> None:
    await bot.onboard("cem", lang="en")
    assert "empty" in (await bot.send("cem", "   ")).text
    assert "too long" in (await bot.send("cem", "x" * 100_000)).text
    assert "do not know the command" in (await bot.send("cem", "/nosuchcommand")).text
    assert "missing" in (await bot.send("cem", "/joinseries")).text
    # a profile command alone says what is set and how to change it
    topics = await bot.send("cem", "/topics")
    assert "Topics: " in topics.text and "Change it with /topics <text>" in topics.text
    language = await bot.send("cem", "/language")
    assert "Language: English\nChange it with /language <de|en>" in language.text
    weird = await bot.send("cem", "/organisation \x00\x07 Zeile\u202e\u200b  Harz")
    assert "Saved" in weird.text
    member = await bot.member("cem")
    assert member is not None and member.organisation == "Zeile Harz"
    maybe = await bot.send("cem", "/news vielleicht")
    assert "with yes or no: /news yes or /news no" in maybe.text, maybe.text
    # /promote is an admin command: a member is refused before the argument is looked at,
    # and only an admin hears that "zwölf" is not a member number (in German, the default).
    refused = (await bot.send("cem", "/promote zwölf")).text
    assert "Only admins" in refused and "number" not in refused
    not_a_number = (await bot.send("admin", "/promote zwölf")).text
    assert "„zwölf“ ist keine Nummer. So geht es: /ernennen <Mitglied>" in not_a_number


async def test_a_profile_command_takes_no_question_or_sign_for_a_value(bot: Harness) -> None:
    """As the registration's questions: a sign names nothing, a question is asked; what was
    saved stays."""
    await bot.onboard("dirk")
    asked = await bot.send("dirk", "/organisation Was soll ich hier eintragen?")
    assert "nach einer Frage aus" in asked.text and "/organisation <Text>" in asked.text
    assert "mit Worten" in (await bot.send("dirk", "/rolle –")).text
    await bot.onboard("erin", lang="en")
    assert "in words" in (await bot.send("erin", "/organisation ?")).text
    asked = await bot.send("erin", "/topics Which topics are there?")
    assert "looks like a question" in asked.text and "/topics <text>" in asked.text
    for name in ("dirk", "erin"):
        member = await bot.member(name)
        assert member is not None and "?" not in member.organisation
        assert member.role != "–" and "Which topics are there?" not in member.topics


async def test_admin_commands_refused_and_audited_for_members(bot: Harness) -> None:
    await bot.onboard("dora")
    refused = await bot.send("dora", "/promote 1")
    assert "nur Admins" in refused.text
    async with bot.db.session() as session:
        entries = (await session.execute(select(AuditEntry))).scalars().all()
        admins = (await session.execute(select(Member).where(Member.is_admin))).scalars().all()
    assert [(e.action, e.allowed) for e in entries] == [("command:promote", False)]
    assert admins == []


async def test_admin_promotes_and_demotes(bot: Harness) -> None:
    await bot.onboard("eve")
    eve = await bot.member("eve")
    assert eve is not None
    assert "ist jetzt Admin" in (await bot.send("admin", f"/promote {eve.id}")).text
    assert "/ernennen" in (await bot.send("eve", "/help admin")).text
    assert "gibt es nicht" in (await bot.send("admin", "/demote 99999")).text
    await bot.send("admin", f"/demote {eve.id}")
    assert "/ernennen" not in (await bot.send("eve", "/help admin")).text
    async with bot.db.session() as session:
        actions = [
            (e.action, e.allowed) for e in (await session.execute(select(AuditEntry))).scalars()
        ]
    assert ("command:promote", True) in actions and ("command:demote", True) in actions


async def test_help_lists_only_what_the_speaker_may_use(bot: Harness) -> None:
    member_help = await bot.send("fay", "/help")
    admin_help = await bot.send("admin", "/help admin")
    assert "/ernennen" not in member_help.text and "/ernennen" in admin_help.text
    assert "/meinedaten" in member_help.text  # fay speaks German


async def test_link_joins_telegram_and_matrix_accounts(bot: Harness) -> None:
    await bot.onboard("tg-1", org="Linked AG")
    await bot.send("tg-1", "/start", platform=Platform.TELEGRAM)
    answer = await bot.send("tg-1", "/link", platform=Platform.TELEGRAM)
    (shown,) = [r.text for r in answer.replies if "<code>" in r.text]
    code = shown.split("<code>")[1].split("</code>")[0]
    assert (
        "unbekannt"
        in (await bot.send("@m:hs", "/verbinden WRONGCODE", platform=Platform.MATRIX)).text
    )
    joined = await bot.send("@m:hs", f"/link {code.lower()}", platform=Platform.MATRIX)
    assert "Verbunden" in joined.text
    telegram = await bot.member("tg-1", Platform.TELEGRAM)
    matrix = await bot.member("@m:hs", Platform.MATRIX)
    assert telegram is not None and matrix is not None and telegram.id == matrix.id
    assert sorted(a.platform for a in matrix.accounts) == ["matrix", "telegram"]
    again = await bot.send("@m:hs", f"/link {code}", platform=Platform.MATRIX)
    assert "unbekannt" in again.text  # one-time


async def test_mydata_then_forget_erases_everything(bot: Harness) -> None:
    await bot.onboard("gus", org="Vergiss Mich GmbH")
    export = await bot.send("gus", "/mydata")
    attachment = export.replies[0].attachment
    assert attachment is not None
    data = json.loads(attachment.content)
    assert data["members"][0]["organisation"] == "Vergiss Mich GmbH"
    assert data["accounts"][0]["user_id"] == "gus"
    confirm = await bot.send("gus", "/forget")
    assert "fg:no" in confirm.buttons
    forged = await bot.press("gus", "fg:99999")  # another member's id
    assert "nicht mehr gültig" in forged.text
    done = await bot.press("gus", confirm.button("löschen"))
    assert "gelöscht" in done.text
    assert await bot.member("gus") is None
    async with bot.db.session() as session:
        rows = (await session.execute(select(Member.organisation))).scalars().all()
    assert "Vergiss Mich GmbH" not in rows
    # back afterwards: a command works as for anyone new, with one line about the profile
    events = await bot.send("gus", "/termine")
    assert "/start legt ein neues Profil an" in events.text, events.text
    assert "Veranstaltung" in events.text and "nicht bearbeitet" not in events.text


async def test_the_first_message_after_forget_is_handled_as_for_anyone_new(
    bot: Harness,
) -> None:
    await import_members(bot)
    await bot.onboard("hugo", org="Okertal Test GmbH")
    confirm = await bot.send("hugo", "/vergessen")
    await bot.press("hugo", confirm.button("löschen"))
    # A partner search right afterwards: the line about the erased profile, then the search,
    # which asks for the organisation with the need kept – nothing to write again.
    search = await bot.send("hugo", "Wer kann Schwarzmasse aus unseren Altbatterien aufbereiten?")
    assert "Ihre Daten wurden gelöscht" in search.text, search.text
    assert "nicht bearbeitet" not in search.text and "Welche Sprache" not in search.text
    assert "nicht noch einmal schreiben" in search.text, search.text
    preview = await bot.send("hugo", "Okertal Neu GmbH")
    assert "Altbatterien" in preview.text and preview.button("Abbrechen"), preview.text
    # English, a question the FAQ takes; /start afterwards begins the new profile.
    await bot.onboard("ruth", lang="en", org="Innerste Test Ltd")
    confirm = await bot.send("ruth", "/forget")
    await bot.press("ruth", confirm.button("delete"))
    asked = await bot.send("ruth", "Who could help us refine our black mass?", lang="en")
    assert "Your data was erased" in asked.text, asked.text
    assert "not handled your message" not in asked.text and "Which language" not in asked.text
    assert "need not write it again" in asked.text, asked.text
    # /start as the first message begins the new profile, without "not handled".
    await bot.onboard("ulf", lang="en", org="Bode Test Ltd")
    confirm = await bot.send("ulf", "/forget")
    await bot.press("ulf", confirm.button("delete"))
    start = await bot.send("ulf", "/start", lang="en")
    assert "set up your profile afresh" in start.text and "not handled" not in start.text
    assert "ob:language:en" in start.buttons, start.text


async def test_without_a_chosen_language_a_command_is_answered_in_the_language_of_its_name(
    bot: Harness,
) -> None:
    """Back after /forget (or new here), nobody chose a language: /profile is answered in
    English and /profil in German, as a question is answered in the language it is asked
    in; a name both languages share (/start) keeps the default."""
    await bot.onboard("vic", lang="en")
    confirm = await bot.send("vic", "/forget")
    await bot.press("vic", confirm.button("delete"))
    profile = await bot.send("vic", "/profile")
    assert "You do not have a profile yet" in profile.text, profile.text
    assert "/start sets one up" in profile.text and "Sie" not in profile.text
    # the language stays what the name said, until one is chosen
    assert "No events are planned" in (await bot.send("vic", "/termine")).text
    vic = await bot.member("vic")
    assert vic is not None and vic.language == "en"
    events = await bot.send("wim", "/veranstaltungen")  # new here, in German
    assert "Zurzeit sind keine Veranstaltungen geplant" in events.text, events.text
    assert "Sie haben noch kein Profil" in (await bot.send("wim", "/profile")).text
    assert "/meinedaten" in (await bot.send("xia", "/help")).text  # typed to any bot: the default
    asked = await bot.send("yan", "/org University of Applied Sciences and the Arts")
    assert "Saved – Organisation" in asked.text, asked.text  # a shared name: the text's language


async def test_topics_are_replaced_added_to_or_taken_away(bot: Harness) -> None:
    await bot.onboard("ole")  # Batterierecycling; Hydrometallurgie
    added = await bot.send("ole", "/topics + Gallium; Indium")
    assert "Batterierecycling; Hydrometallurgie; Gallium; Indium" in added.text, added.text
    removed = await bot.send("ole", "/topics - hydrometallurgie")
    assert "Batterierecycling; Gallium; Indium" in removed.text, removed.text
    unknown = await bot.send("ole", "/topics - Kupfer")
    assert "nicht in Ihrem Profil" in unknown.text
    # said in words as well
    worded = await bot.send("ole", "/topics add rare earths")
    assert "Batterierecycling; Gallium; Indium; rare earths" in worded.text, worded.text
    assert (
        "Batterierecycling; Gallium; Indium"
        in (await bot.send("ole", "/topics entfernen rare earths")).text
    )
    replaced = await bot.send("ole", "/topics Seltene Erden")
    assert "Themen: Seltene Erden" in replaced.text
    member = await bot.member("ole")
    assert member is not None and member.topics == ["Seltene Erden"]
    assert "/themen + Thema" in (await bot.send("ole", "/help topics")).text
    alone = await bot.send("ole", "/topics")
    assert "Seltene Erden" in alone.text and "/themen + Thema fügt eines hinzu" in alone.text
    assert "Ändern mit /themen <Text>" in alone.text


async def test_a_topic_is_removed_by_a_word_of_it_that_names_it_alone(bot: Harness) -> None:
    # "/themen - leiterplatten" had said the topic was not in the profile: it is stored as
    # "Leiterplatten Recycling" (a walkthrough's member had typed it so)
    await bot.onboard("ole")  # Batterierecycling; Hydrometallurgie
    await bot.send("ole", "/themen + Leiterplatten Recycling")
    removed = await bot.send("ole", "/themen - leiterplatten")
    assert "Themen: Batterierecycling; Hydrometallurgie" in removed.text, removed.text
    # a word of several topics: asked which, nothing removed
    await bot.send("ole", "/themen + Leiterplatten Recycling")
    several = await bot.send("ole", "/themen - recycling")
    assert "steht in mehreren Ihrer Themen: Batterierecycling; Leiterplatten Recycling" in (
        several.text
    ), several.text
    await bot.send("ole", "/language en")
    english = await bot.send("ole", "/topics - recycling")
    assert "is in several of your topics" in english.text, english.text
    member = await bot.member("ole")
    assert member is not None
    assert member.topics == ["Batterierecycling", "Hydrometallurgie", "Leiterplatten Recycling"]


@pytest.mark.parametrize(
    ("lang", "said", "topics"),
    [
        # a walkthrough's member got an office ticket for the first
        ("de", "ich will bei themen noch Gallium ergänzen", "Hydrometallurgie; Gallium"),
        (
            "de",
            "bitte füge Seltene Erden, Kobalt und Gallium zu meinen Themen hinzu",
            "Seltene Erden; Kobalt; Gallium",
        ),
        ("de", "nimm Hydrometallurgie aus meinen Themen raus", "Themen: Batterierecycling\n"),
        ("en", "add battery passports to my topics", "Hydrometallurgie; battery passports"),
        (
            "en",
            "can you remove Hydrometallurgie from my topics please",
            "Topics: Batterierecycling\n",
        ),
    ],
)
async def test_topics_changed_in_words_as_with_the_command(
    bot: Harness, lang: str, said: str, topics: str
) -> None:
    await bot.onboard("ole", lang=lang)  # Batterierecycling; Hydrometallurgie
    changed = await bot.send("ole", said)
    assert topics in changed.text + "\n", changed.text
    assert "Ticket" not in changed.text and "ticket" not in changed.text


@pytest.mark.parametrize(
    "said",
    ["wie kann ich themen ergänzen?", "please add me to the topic list of the newsletter"],
)
async def test_asking_how_topics_change_changes_none(bot: Harness, said: str) -> None:
    await bot.onboard("ole")
    await bot.send("ole", said)
    member = await bot.member("ole")
    assert member is not None and member.topics == ["Batterierecycling", "Hydrometallurgie"]


async def test_a_list_with_commas_splits_at_its_last_und_and_a_phrase_stays_one_topic(
    bot: Harness,
) -> None:
    """ "Zinn, Gallium und Indium" is three topics, as a sentence lists them; "Forschung und
    Entwicklung" alone (or between semicolons) stays one, and "-" finds it either way."""
    await bot.onboard("uma")  # Batterierecycling; Hydrometallurgie
    added = await bot.send("uma", "/themen + Zinn, Gallium und Indium")
    assert "Hydrometallurgie; Zinn; Gallium; Indium" in added.text, added.text
    replaced = await bot.send("uma", "/themen Forschung und Entwicklung; Kreislauf & Logistik")
    assert "Themen: Forschung und Entwicklung; Kreislauf & Logistik" in replaced.text
    gone = await bot.send("uma", "/themen - Zinn, Forschung und Entwicklung")  # as stored too
    assert "Themen: Kreislauf & Logistik" in gone.text, gone.text
    await bot.onboard("ulf", lang="en")
    said = await bot.send("ulf", "/topics copper, tin, and zinc")
    assert "Topics: copper; tin; zinc" in said.text, said.text
    listed = await bot.send("ulf", "/topics + Germanium sowie Tantal, Wolfram sowie Niob")
    assert "zinc; Germanium sowie Tantal; Wolfram; Niob" in listed.text, listed.text
    removed = await bot.send("ulf", "/topics - tin, zinc & Niob")
    assert "Topics: copper; Germanium sowie Tantal; Wolfram" in removed.text, removed.text
    uma = await bot.member("uma")
    assert uma is not None and uma.topics == ["Kreislauf & Logistik"]


async def test_a_topic_without_words_is_left_out_and_any_stored_topic_can_be_removed(
    bot: Harness,
) -> None:
    """The registration and "+" keep a topic's words (markdown around them taken away) and say
    what named none; "-" finds a topic by its words, or as stored (an emoji-only topic from
    before); "+" or "-" alone asks which."""
    await bot.send("ria", "/start")
    await bot.press("ria", "ob:language:de")
    await bot.send("ria", "Harz GmbH")
    await bot.send("ria", "Forschung")
    asked = await bot.send("ria", "Kobalt; **Lithium**; 🔋🔋🔋")
    assert "Ausgelassen, weil ohne Worte: 🔋🔋🔋." in asked.text, asked.text
    assert "Partneranfragen" in asked.text  # the next question, in the same message
    member = await bot.member("ria")
    assert member is not None and member.topics == ["Kobalt", "Lithium"]
    await bot.onboard("sam", lang="en")
    sam = await bot.member("sam")
    assert sam is not None
    async with bot.db.session() as session:  # stored before topics needed words
        await members.update_member(
            session, member_id=sam.id, topics=["Kobalt", "🔋🔋🔋", "*lithium*"]
        )
    removed = await bot.send("sam", "/topics - 🔋🔋🔋")
    assert "Saved – Topics: Kobalt; *lithium*" in removed.text, removed.text
    removed = await bot.send("sam", "/topics -lithium")
    assert "Saved – Topics: Kobalt" in removed.text, removed.text
    added = await bot.send("sam", "/topics + _Gallium_; 😀")
    assert "Left out, as they hold no words: 😀." in added.text, added.text
    assert "Saved – Topics: Kobalt; Gallium" in added.text, added.text
    assert "in words" in (await bot.send("sam", "/topics + 🔋")).text
    for typed, said in (
        ("/topics +", "Which topic should be added? Write it after the plus, such as: /topics +"),
        ("/topics add", "Which topic should be added?"),
        ("/topics -", "Which topic should go? Write it after the minus, such as: /topics -"),
    ):
        reply = await bot.send("sam", typed)
        assert said in reply.text and "Saved" not in reply.text, (typed, reply.text)
    assert "Ihre Themen: Kobalt; Lithium" in (await bot.send("ria", "/themen -")).text
    sam = await bot.member("sam")
    assert sam is not None and sam.topics == ["Kobalt", "Gallium"]


async def test_onboarding_takes_answers_as_people_type_them(bot: Harness) -> None:
    await bot.send("liv", "/start")
    await bot.press("liv", "ob:language:en")
    emoji = await bot.send("liv", "😀")
    assert "answer in words" in emoji.text  # no organisation saved as an emoji
    empty = await bot.send("liv", "   ")
    assert "Please answer the question above" in empty.text, empty.text
    unknown = await bot.send("liv", "dunno")
    assert "Without an organisation I cannot introduce you" in unknown.text, unknown.text
    await bot.send("liv", "Harz Metall GmbH")
    back = await bot.send("liv", "back")  # at the role question: the organisation again
    assert "organisation" in back.text.lower(), back.text
    await bot.send("liv", "Harz Metall AG")
    await bot.send("liv", "Engineer")
    await bot.send("liv", "Gallium; Indium")
    await bot.send("liv", "yes, of course")  # partner requests
    vague = await bot.send("liv", "anytime")
    assert "an e-mail address or phone number" in vague.text, vague.text
    await bot.send("liv", "liv@harzmetall.example")
    await bot.send("liv", "no thanks")  # news
    done = await bot.send("liv", "yes I am")  # young professional
    assert "Your question" not in done.text and "Did you mean" not in done.text, done.text
    member = await bot.member("liv")
    assert member is not None and member.onboarded
    assert (member.organisation, member.partner_consent) == ("Harz Metall AG", True)
    assert not member.news_subscribed and member.young_professional


async def test_redelivered_update_changes_nothing(bot: Harness) -> None:
    first = await bot.send("hal", "/start", update_id="same")
    second = await bot.send("hal", "/start", update_id="same")
    assert first.replies and not second.replies


async def test_groups_hear_commands_but_not_free_text(bot: Harness) -> None:
    assert (await bot.send("ida", "Hallo zusammen", private=False)).replies == []
    assert (await bot.send("ida", "/help", private=False)).replies
    assert "privaten Chat" in (await bot.send("ida", "/start", private=False)).text


async def test_flood_is_throttled_with_one_notice(bot: Harness) -> None:
    chats = [await bot.send("joe", "/profil") for _ in range(40)]
    notices = [c for c in chats if "sehr viele Nachrichten" in c.text]
    assert len(notices) == 1
    assert sum(1 for c in chats if not c.replies) >= 10
    assert (await bot.send("kim", "/profile")).replies  # someone else is still answered


@pytest.mark.parametrize(
    ("lang", "refusal", "onboarding"),
    [
        (
            "de",
            "Das ist keine E-Mail-Adresse oder Telefonnummer, über die Partner Sie erreichen."
            " Bitte so: /kontakt name@example.org oder /kontakt 0123 456789",
            "Bitte geben Sie eine E-Mail-Adresse oder Telefonnummer an",
        ),
        (
            "en",
            "That is not an e-mail address or phone number partners can reach you at."
            " Like this: /contact name@example.org or /contact 0123 456789",
            "Please give an e-mail address or phone number",
        ),
    ],
)
async def test_a_contact_that_reaches_nobody_is_refused_in_words(
    bot: Harness, lang: str, refusal: str, onboarding: str
) -> None:
    await bot.onboard("max", lang=lang)
    for typed in ("=1+1", "max@", "@", "a@b@c.de"):
        answer = await bot.send("max", f"/contact {typed}")
        assert refusal in answer.text, (typed, answer.text)
        assert "(or skip)" not in answer.text and "überspringen" not in answer.text
    member = await bot.member("max")
    assert member is not None and member.contact == ""
    for typed in ("max@harzmetall.example", "@max_harz", "+49 123 456789"):
        await bot.send("max", f"/contact {typed}")
        member = await bot.member("max")
        assert member is not None and member.contact == typed
    # During the sign-up the same refusal names the skip button.
    await bot.send("liv", "/start")
    await bot.press("liv", f"ob:language:{lang}")
    for text in ("Harz Metall AG", "Engineer", "Gallium"):
        await bot.send("liv", text)
    await bot.press("liv", "ob:consent:1")
    asked = await bot.send("liv", "0815")
    assert onboarding in asked.text and ("“skip”" in asked.text or "„überspringen“" in asked.text)


WITHOUT_ENDING = {
    "de": "„max.muster@harz-metall“ ist eine E-Mail-Adresse, aber nach dem @ fehlt die Endung",
    "en": "“max.muster@harz-metall” is an e-mail address, but the ending after the @ is missing",
}


@pytest.mark.parametrize("lang", ["de", "en"])
async def test_an_address_without_its_ending_is_named_as_an_email_address(
    bot: Harness, lang: str
) -> None:
    """ "max.muster@harz-metall" is recognised as an e-mail address that lacks its ending, in
    /contact and in the sign-up's contact step; organisation and role refuse it as contact."""
    said = WITHOUT_ENDING[lang]
    await bot.onboard("max", lang=lang)
    for command in ("/contact", "/kontakt"):
        answer = await bot.send("max", f"{command} max.muster@harz-metall")
        assert said in answer.text, answer.text
    member = await bot.member("max")
    assert member is not None and member.contact == ""
    for command in ("/organisation", "/role"):
        answer = await bot.send("max", f"{command} max.muster@harz-metall")
        assert "Saved" not in answer.text and "Gespeichert" not in answer.text, answer.text
    member = await bot.member("max")
    assert member is not None and "@" not in member.organisation + member.role
    # During the sign-up: the same words, the question still waiting with its skip button.
    await bot.send("liv", "/start")
    await bot.press("liv", f"ob:language:{lang}")
    for text in ("Harz Metall AG", "Engineer", "Gallium"):
        await bot.send("liv", text)
    await bot.press("liv", "ob:consent:1")
    asked = await bot.send("liv", "Gern: max.muster@harz-metall")
    assert said in asked.text and ("“skip”" in asked.text or "„überspringen“" in asked.text)
    await bot.send("liv", "max.muster@harz-metall.de")  # the whole address is taken
    liv = await bot.member("liv")
    assert liv is not None and liv.contact == "max.muster@harz-metall.de"


async def test_profile_answers_to_its_german_name(bot: Harness) -> None:
    await bot.onboard("de", lang="de")
    german = await bot.send("de", "/profil")
    assert "kenne ich nicht" not in german.text
    assert german.text == (await bot.send("de", "/profile")).text


async def test_a_registration_broken_off_does_not_ask_its_yes_no_answers_again(
    bot: Harness,
) -> None:
    """/start after /abbrechen goes on at the first open question, past the yes/no ones
    answered before (it had asked for the partner requests again)."""
    await bot.send("ole", "/start")
    await bot.press("ole", "ob:language:de")
    for text in ("Harz Metall AG", "Einkauf", "Kobalt"):
        await bot.send("ole", text)
    await bot.press("ole", "ob:consent:0")
    await bot.press("ole", "ob:news:0")
    await bot.send("ole", "/abbrechen")
    asked = await bot.send("ole", "/start")  # on at the first open question
    assert "Young Professionals" in asked.text and "Partneranfragen" not in asked.text, asked.text
    # A choice made by its command while the registration waited is not asked either.
    await bot.send("pia", "/start")
    await bot.press("pia", "ob:language:de")
    for text in ("Harz Metall AG", "Einkauf", "Kobalt"):
        await bot.send("pia", text)
    await bot.send("pia", "/abbrechen")
    await bot.send("pia", "/partneranfragen nein")
    asked = await bot.send("pia", "/start")  # on at the first open question
    assert "Neuigkeiten" in asked.text and "Partneranfragen" not in asked.text, asked.text
    await bot.press("pia", "ob:news:1")
    done = await bot.press("pia", "ob:yp:0")
    assert "Profil ist angelegt" in done.text, done.text
    member = await bot.member("pia")
    assert member is not None and member.onboarded and not member.partner_consent


@pytest.mark.parametrize(
    ("lang", "given", "still_open", "erased"),
    [
        (
            "de",
            ("Organisation: Neue GmbH", "Rolle: Forschung", "Themen: Lithium"),
            "Noch offen: Kontakt, Neuigkeiten, Young Professional.",
            "Sie haben noch kein Profil",
        ),
        (
            "en",
            ("Organisation: Neue GmbH", "Role: Research", "Topics: Lithium"),
            "Still open: Contact, News, Young professional.",
            "You do not have a profile yet",
        ),
    ],
)
async def test_a_begun_profile_shows_every_answer_and_names_what_is_open(
    bot: Harness, lang: str, given: tuple[str, ...], still_open: str, erased: str
) -> None:
    """/profil during a registration showed only the organisation as known ("die übrigen
    Fragen sind noch offen") although role, topics and partner requests were answered."""
    # nothing given yet; new here, the name typed says the language
    named = "/profil" if lang == "de" else "/profile"
    assert erased in (await bot.send("rea", named, lang=lang)).text
    await bot.send("rea", "/start")
    await bot.press("rea", f"ob:language:{lang}")
    for text in ("Neue GmbH", "Research" if lang == "en" else "Forschung", "Lithium"):
        await bot.send("rea", text)
    await bot.press("rea", "ob:consent:1")
    during = await bot.send("rea", "/profile")
    await bot.send("rea", "/cancel")
    after = await bot.send("rea", "/profile")  # broken off: the same answers, the same gaps
    for shown in (during, after):
        for line in given:
            assert f"\n{line}\n" in shown.text, shown.text
        assert still_open in shown.text, shown.text
        assert ("Ja" if lang == "de" else "Yes") in shown.text  # the partner requests, chosen
        assert ("Neuigkeiten:" if lang == "de" else "News:") not in shown.text, shown.text


@pytest.mark.parametrize(
    ("lang", "not_chosen", "chosen", "no"),
    [
        (
            "de",
            "Neuigkeiten: noch nicht gewählt – Ihre Registrierung fragt danach (/start).",
            "Neuigkeiten: Nein. Ändern mit /neuigkeiten ja oder /neuigkeiten nein.",
            "nein",
        ),
        (
            "en",
            "News: not chosen yet – your registration asks it (/start).",
            "News: No. Change it with /news yes or /news no.",
            "no",
        ),
    ],
)
async def test_news_after_forget_and_a_half_finished_registration_is_not_chosen_yet(
    sqlite_url: str, lang: str, not_chosen: str, chosen: str, no: str
) -> None:
    """/neuigkeiten showed "Ja", the default, to a member who never chose it; it says the
    choice is open, as /profil does, until the member makes it."""
    limits = {"flood_messages_per_minute": 10_000, "flood_burst": 10_000}
    bot = await make_harness(sqlite_url, limits=limits)
    try:
        await bot.onboard("sam", lang=lang)
        await bot.send("sam", "/news nein")  # chosen in the profile that is erased
        confirm = await bot.send("sam", "/forget")
        await bot.press("sam", confirm.buttons[0])
        await bot.send("sam", "/start", lang=lang)
        await bot.press("sam", f"ob:language:{lang}")
        for text in ("Neue GmbH", "Forschung", "Lithium"):
            await bot.send("sam", text)
        news = await bot.send("sam", "/news")
        assert not_chosen in news.text, news.text
        assert ("Ja" if lang == "de" else "Yes") not in news.text
        profile = await bot.send("sam", "/profile")
        label = "Neuigkeiten" if lang == "de" else "News"
        assert f"{label}:" not in profile.text and label in profile.text.split("\n")[-1]
        # Chosen by the command: shown as chosen, here and in /profil.
        await bot.send("sam", f"/news {no}")
        assert chosen in (await bot.send("sam", "/news")).text
        profile = await bot.send("sam", "/profile")
        assert ("Neuigkeiten: Nein" if lang == "de" else "News: No") in profile.text
    finally:
        await bot.app.stop()


@pytest.mark.parametrize(
    ("lang", "command", "texts", "news", "yp", "back", "done", "shown"),
    [
        (
            "de",
            "/neuigkeiten ja",
            ("Harz GmbH", "Einkauf", "Kobalt"),
            "Möchten Sie Neuigkeiten",
            "Young Professionals",
            "zurück",
            "Profil ist angelegt",
            "Neuigkeiten: Ja",
        ),
        (
            "en",
            "/news yes",
            ("Harz Ltd", "Purchasing", "Cobalt"),
            "Would you like to receive news",
            "young professionals",
            "back",
            "profile is set up",
            "News: Yes",
        ),
    ],
)
async def test_a_choice_made_by_its_command_during_the_registration_is_not_asked_again(
    bot: Harness,
    lang: str,
    command: str,
    texts: tuple[str, ...],
    news: str,
    yp: str,
    back: str,
    done: str,
    shown: str,
) -> None:
    """/neuigkeiten ja typed at the organisation question: the registration still asked for
    the news, and its "Nein" overwrote the choice /profil already listed as answered."""
    await bot.send("una", "/start")
    await bot.press("una", f"ob:language:{lang}")
    await bot.send("una", command)
    for text in texts:
        await bot.send("una", text)
    asked = await bot.press("una", "ob:consent:0")
    assert yp in asked.text and news not in asked.text, asked.text
    # Going back still shows the question before, answered or not.
    again = await bot.send("una", back)
    assert news in again.text, again.text
    await bot.press("una", "ob:news:1")
    finished = await bot.press("una", "ob:yp:0")
    assert done in finished.text, finished.text
    profile = await bot.send("una", "/profile")
    assert shown in profile.text, profile.text
    member = await bot.member("una")
    assert member is not None and member.onboarded and member.news_subscribed


@pytest.mark.parametrize(
    ("lang", "refused", "role"),
    [
        (
            "de",
            "Zu „1“ gibt es hier keine Auswahl: Bitte schreiben Sie Ihre Antwort",
            "Welche Rolle",
        ),
        ("en", "nothing to choose by “1” here: please write your answer", "role"),
    ],
)
async def test_a_bare_number_where_no_choice_is_shown_is_not_stored(
    bot: Harness, lang: str, refused: str, role: str
) -> None:
    """ "1" at the role question, which shows no buttons, became the role "1"."""
    await bot.send("ivo", "/start")
    await bot.press("ivo", f"ob:language:{lang}")
    for mark in ("1", "b)"):  # at the organisation: nothing stored either
        said = await bot.send("ivo", mark)
        assert refused.replace("1", mark) in said.text, said.text
    await bot.send("ivo", "Harz GmbH")
    said = await bot.send("ivo", "1")
    assert refused in said.text, said.text
    asked = await bot.send("ivo", "/start")  # the role question still waits
    assert role in asked.text, asked.text
    member = await bot.member("ivo")
    assert member is not None and (member.organisation, member.role) == ("Harz GmbH", "")


async def test_a_language_is_understood_by_its_name_in_either_language(bot: Harness) -> None:
    # The language question and /sprache read the language's name, not its first letters
    # ("German" had been "ge", refused; "zurück" had been "zu").
    await bot.send("lea", "/start")
    back = await bot.send("lea", "zurück")
    assert "Which language" in back.text and "Bitte wählen" not in back.text, back.text
    denglisch = await bot.send("lea", "Denglisch")
    assert "Bitte wählen Sie Deutsch oder English" in denglisch.text, denglisch.text
    chosen = await bot.send("lea", "German")
    member = await bot.member("lea")
    assert member is not None and member.language == "de", chosen.text
    await bot.onboard("max", lang="de")
    switched = await bot.send("max", "/sprache auf Englisch bitte")
    member = await bot.member("max")
    assert member is not None and member.language == "en", switched.text
    refused = await bot.send("max", "/language Klingonisch")
    assert "I do not know “Klingonisch”" in refused.text, refused.text
    # alone it says the language and offers the change as a tap, as /start does
    alone = await bot.send("max", "/language")
    assert "Language: English" in alone.text, alone.text
    asked = await bot.press("max", alone.button("Change language"))
    await bot.press("max", asked.button("Deutsch"))
    member = await bot.member("max")
    assert member is not None and member.language == "de"


async def test_not_knowing_is_not_stored_as_a_profile_field(bot: Harness) -> None:
    await bot.onboard("noa", org="Oker Test GmbH")
    for text, expected in (
        ("/organisation weiß ich nicht", "Ihr Profil ist unverändert"),
        ("/organisation no idea", "Ihr Profil ist unverändert"),
    ):
        reply = await bot.send("noa", text)
        assert expected in reply.text and "/organisation <" in reply.text, reply.text
    member = await bot.member("noa")
    assert member is not None and member.organisation == "Oker Test GmbH"


@pytest.mark.parametrize(
    ("lang", "unknown", "hint", "contact", "contact_hint"),
    [
        ("de", "weiß ich nicht", "Ohne Organisation", "mail at harz", "E-Mail-Adresse oder"),
        ("en", "I don't know", "Without an organisation", "mail at harz", "e-mail address or"),
    ],
)
async def test_a_registration_answer_that_is_none_gets_the_hint_not_the_office(
    bot: Harness, lang: str, unknown: str, hint: str, contact: str, contact_hint: str
) -> None:
    # Three words are no question here: the question above was asked, this answers it (badly).
    await bot.send("kai", "/start")
    await bot.press("kai", f"ob:language:{lang}")
    said = await bot.send("kai", unknown)
    assert hint in said.text and "Ticket" not in said.text and "ticket" not in said.text
    await bot.send("kai", "Oker Test GmbH")
    await bot.send("kai", "Einkauf")
    await bot.send("kai", "Gallium")
    await bot.press("kai", "ob:consent:1")
    for typed in (contact, "<b>x</b>"):
        mistyped = await bot.send("kai", typed)
        assert contact_hint in mistyped.text, mistyped.text
        assert "Meinten Sie" not in mistyped.text and "Did you mean" not in mistyped.text
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(FaqTicket)) == 0
    member = await bot.member("kai")
    assert member is not None and member.organisation == "Oker Test GmbH" and not member.contact


async def test_the_language_command_answers_an_open_language_question(bot: Harness) -> None:
    # "Sprache ändern" asks; "/sprache englisch" typed instead saved it, yet said the question
    # still waited, and /abbrechen then said nothing had changed.
    await bot.onboard("uli", lang="de")
    shown = await bot.send("uli", "/start")
    await bot.press("uli", shown.button("Sprache ändern"))
    typed = await bot.send("uli", "/sprache englisch")
    assert "Saved – Language: English" in typed.text and "wartet" not in typed.text, typed.text
    member = await bot.member("uli")
    assert member is not None
    async with bot.db.session() as session:
        assert await conversations.get(session, member_id=member.id) is None  # nothing waits
    member = await bot.member("uli")
    assert member is not None and member.language == "en"
    # nothing waits: a "1" is no answer to a language question any more
    assert "Deutsch or English" not in (await bot.send("uli", "1")).text
