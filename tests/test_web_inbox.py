"""The office inbox on the dashboard: answer a question (the member gets it through the outbox,
in their language), attach it to an entry, make a new entry in both languages, and accept or
dismiss the suggested groups of similar questions; on SQLite and PostgreSQL, German and English."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.i18n import t
from bot.textmatch import Analyzer
from handlers.events.render import short_when
from handlers.faq.kb_import import import_kb, parse_kb
from handlers.faq.suggestions import Question, group_questions
from handlers.partners import chat as partner_chat
from storage import audit, event_store, faq, faq_learned
from storage.models import OutboxMessage
from tests.partners_fixtures import import_members
from tests.test_faq import full, office_pressed
from tests.test_faq_partner_offer import LCA_DE
from tests.test_office_learn import (
    DOG_DE,
    KB,
    STEP_FREE_DE,
    VEGAN_EN,
    add_parking_in_german_only,
    answers_to,
    ask_office,
    ticket,
)
from tests.test_web_overview import chart, series
from tests.web_harness import Dashboard, SignedIn, dashboard_for

HTMX = {"HX-Request": "true"}
# What the office reads of the symposium entry: its first question, not its id.
WOULD_GET = (
    "Das Mitglied bekäme die Antwort von „Worum geht es beim jährlichen Symposium?“ (auf Deutsch):"
)
LEARNED = "Formulierung von „Worum geht es beim jährlichen Symposium?“"
DOGS_DE = (
    DOG_DE,
    "Kann ich meinen Hund zur Jahrestagung im Harz mitbringen?",
    "Sind Hunde bei der Jahrestagung erlaubt?",
)
PARKING_EN = "Where can I park my car near the venue?"
FIVE_OF_ANYTHING = (
    "Can I borrow an umbrella?",
    "Is there a cash machine nearby?",
    PARKING_EN,
    "Wann fährt der letzte Bus nach Hause?",
    "Wie lange kocht man ein Frühstücksei?",
)


@pytest.fixture
async def dash(db_url: str) -> AsyncIterator[Dashboard]:
    async with dashboard_for(db_url) as found:
        async with found.bot.db.session() as session:
            await import_kb(session, parse_kb(KB))
        yield found


@pytest.fixture
async def office(dash: Dashboard) -> AsyncIterator[SignedIn]:
    client = await dash.signed_in()
    yield client
    await client.close()


async def htmx_post(admin: SignedIn, path: str, data: dict[str, str]) -> tuple[int, str]:
    async with admin.client.post(
        admin.dashboard.url + path, data=data, headers={**HTMX, "X-CSRF-Token": admin.csrf}
    ) as response:
        return response.status, await response.text()


async def actions(dash: Dashboard) -> list[str]:
    async with dash.bot.db.session() as session:
        return [e.action for e in await audit.recent(session, limit=50)]


async def test_answer_from_the_web_reaches_the_member_in_english(
    dash: Dashboard, office: SignedIn
) -> None:
    assert "#1" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    await office.get("/language?lang=en")  # the admin reads English from now on
    status, page = await office.get("/inbox")
    assert status == 200 and "Questions for the office" in page
    assert html.escape(VEGAN_EN, quote=False) in page and "1 open question" in page
    assert "Answer (in English, as asked)" in page
    # the entry field says what it takes while empty
    assert re.search(
        r'id="entry-1" name="entry"[^>]*placeholder="Question or id of an entry"', page
    )

    status, row = await htmx_post(
        office, "/inbox/1/answer", {"answer": "Yes, every excursion offers a vegan lunch."}
    )
    assert status == 200 and "<html" not in row  # only the ticket's card comes back
    assert 'id="ticket-1"' in row and "answered" in row and "<textarea" not in row
    # the last open one answered: the heading above its card no longer says "Open questions"
    assert '<h2 id="open" hx-swap-oob="true">All questions answered</h2>' in row, row
    (message,) = await answers_to(dash.bot, "jan")
    assert "Answer from the cluster office" in message and "vegan lunch" in message
    closed = await ticket(dash.bot, 1)
    assert closed.status == "answered" and "vegan lunch" in closed.answer
    assert "web:inbox:answer" in await actions(dash)
    # An empty answer is refused in words, and nothing more is sent.
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": "  "})
    assert len(await answers_to(dash.bot, "jan")) == 1


async def test_attach_to_an_entry_answers_the_member_once_in_german(
    dash: Dashboard, office: SignedIn
) -> None:
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    status, page = await office.get("/inbox")
    assert status == 200 and "1 offene Frage" in page and "Deutsch" in page
    assert 'value="symposium"' in page  # the entries to attach to

    # an id from nowhere (a stale page, a hand-made post) is named, in the page's words
    status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "gibtsnicht"})
    assert "Es gibt keinen Eintrag „gibtsnicht“: bitte einen aus der Liste wählen" in row, row
    assert "/faq" not in row
    status, row = await htmx_post(
        office, "/inbox/1/attach", {"entry": "symposium", "shown": "symposium"}
    )
    assert status == 200 and "Formulierung von „Worum geht es beim jährlichen Symposium?“" in row
    assert "bekommt die Antwort jetzt im Chat" in row
    (message,) = await answers_to(dash.bot, "hanna")
    assert (
        "große Jahrestagung des Clusters" in message
        and "Antwort der Clustergeschäftsstelle" in (message)
    )
    async with dash.bot.db.session() as session:
        (learned,) = await faq_learned.all_learned(session)
    # a learned phrasing the office taught: confirmed at once, listed for review
    assert (learned.entry_id, learned.text, learned.lang) == ("symposium", DOG_DE, "de")
    assert learned.confirmed and learned.source == "office"
    assert (await ticket(dash.bot, 1)).learned_entry_id == "symposium"

    # Attaching again (a second tab) is refused and sends nothing.
    status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "symposium"})
    assert "schon gelernt" in row
    assert len(await answers_to(dash.bot, "hanna")) == 1
    assert "web:inbox:attach" in await actions(dash)
    # The bot answers the question itself from now on.
    assert "große Jahrestagung" in (await dash.bot.send("hanna", DOG_DE)).text


async def test_a_ticket_card_offers_the_entries_likely_to_answer_it(
    dash: Dashboard, office: SignedIn
) -> None:
    assert "#1" in await ask_office(dash.bot, "hanna", STEP_FREE_DE)
    assert "#2" in await ask_office(dash.bot, "otto", "Wie spät ist es in Tokio?")
    status, page = await office.get("/inbox")
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    assert status == 200 and "Passt vielleicht:" in card
    # each a button: it fills the field in; the field starts empty (its button sends)
    (pick,) = re.findall(r'<button type="submit" class="pick"[^>]*>.*?</button>', card)
    assert 'name="pick" value="symposium"' in pick and 'form="pick-1"' in pick
    assert ">Worum geht es beim jährlichen Symposium?</button>" in pick  # not its id
    assert re.search(r'<form id="pick-1" method="post" action="/inbox/1/attach#ticket-1"', card)
    assert re.search(r'id="entry-1" name="entry"[^>]*value=""', card), card
    assert 'placeholder="Frage oder Kennung eines Eintrags"' in card  # what to type in it
    assert ">Antwort ansehen</button>" in card  # it shows what would be sent, first
    # a question the entry has nothing to do with is offered nothing
    (second,) = page.split('id="ticket-2"')[1:]
    assert "Passt vielleicht" not in second.split("</article>")[0]

    # Pressed: the field holds the entry and the card shows what the member would get;
    # nothing is sent until the office sends it.
    status, row = await htmx_post(office, "/inbox/1/attach", {"pick": "symposium"})
    assert status == 200 and "<html" not in row
    assert re.search(r'id="entry-1" name="entry"[^>]*value="symposium"', row), row
    assert WOULD_GET in row
    assert "Das Symposium ist die große Jahrestagung des Clusters." in row
    assert not await answers_to(dash.bot, "hanna")
    assert (await ticket(dash.bot, 1)).status == "open"
    # Without script the whole inbox comes back with the card's field filled in.
    status, page = await office.post("/inbox/1/attach", {"pick": "symposium"})
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    assert status == 200 and "<html" in page and "Das Mitglied bekäme" in card
    assert re.search(r'id="entry-1" name="entry"[^>]*value="symposium"', card), card
    assert not await answers_to(dash.bot, "hanna")

    status, row = await htmx_post(
        office, "/inbox/1/attach", {"entry": "symposium", "shown": "symposium"}
    )
    assert "Formulierung von „Worum geht es beim jährlichen Symposium?“" in row
    (message,) = await answers_to(dash.bot, "hanna")
    assert "große Jahrestagung des Clusters" in message


async def test_an_entry_is_named_by_its_question_as_well_as_by_its_id(
    dash: Dashboard, office: SignedIn
) -> None:
    # The office types the entry's question as the page shows it, in German or English, in
    # any case and with or without the question mark.
    for number, user in enumerate(("hanna", "otto", "grete"), start=1):
        assert f"#{number}" in await ask_office(dash.bot, user, DOGS_DE[number - 1])
    named = {
        1: "Worum geht es beim jährlichen Symposium?",
        2: "what is the annual  symposium about",
        3: "  SYMPOSIUM ",
    }
    for number, typed in named.items():
        status, row = await htmx_post(
            office, f"/inbox/{number}/attach", {"entry": typed, "shown": "symposium"}
        )
        assert (
            status == 200 and "Formulierung von „Worum geht es beim jährlichen Symposium?“" in row
        ), (typed, row)
    for user in ("hanna", "otto", "grete"):
        (message,) = await answers_to(dash.bot, user)
        assert "große Jahrestagung des Clusters" in message
    # Only the whole question names it: a part of it is no entry.
    assert "#4" in await ask_office(dash.bot, "vera", PARKING_EN, lang="en")
    status, row = await htmx_post(office, "/inbox/4/attach", {"entry": "Worum geht es"})
    assert "Es gibt keinen Eintrag „Worum geht es“" in row
    assert not await answers_to(dash.bot, "vera")


async def test_a_suggestion_becomes_a_new_entry_in_both_languages(
    dash: Dashboard, office: SignedIn
) -> None:
    for number, (user, text) in enumerate(
        zip(("hanna", "otto", "grete"), DOGS_DE, strict=True), start=1
    ):
        assert f"#{number}" in await ask_office(dash.bot, user, text)
    assert "#4" in await ask_office(
        dash.bot, "jan", "Can I bring my dog to the conference in the Harz?", lang="en"
    )
    assert "#5" in await ask_office(dash.bot, "eva", PARKING_EN, lang="en")

    status, page = await office.get("/inbox")
    assert status == 200 and "5 offene Fragen" in page
    found = re.search(r"(\d) Fragen sehen nach einem neuen Thema aus", page)
    assert found is not None and int(found.group(1)) >= 3
    suggestion = page[page.index("Vorschläge") : page.index('id="open"')]
    assert "Hunde" in suggestion and "park" not in suggestion

    link = re.search(r'href="(/inbox/new\?tickets=[^"]+)"', page)
    assert link is not None
    status, form = await office.get(html.unescape(link.group(1)))
    assert status == 200 and "Neuer FAQ-Eintrag" in form
    offered = re.findall(r'name="offered" value="(\d+)"', form)
    assert {"1", "2", "3"} <= set(offered) and "5" not in offered

    data = {
        "id": "hunde",
        "tde": "Darf ich meinen Hund mitbringen?",
        "ten": "May I bring my dog?",
        "ade": "Hunde sind bei Veranstaltungen im Freien willkommen.",
        "aen": "Dogs are welcome at outdoor events.",
        "pde": "Hund erlaubt?",
        "pen": "",
    }
    form_data = [("csrf", office.csrf), *data.items()]
    form_data += [("offered", n) for n in offered] + [("ticket", n) for n in offered]
    async with office.client.post(office.dashboard.url + "/inbox/new", data=form_data) as r:
        done = await r.text()
    assert (
        "Neuer Eintrag „Darf ich meinen Hund mitbringen?“" in done and "Tickets geschlossen" in done
    )

    async with dash.bot.db.session() as session:
        entry = await faq.get_entry(session, "hunde")
    assert entry is not None
    assert (
        entry.questions_de[0] == "Darf ich meinen Hund mitbringen?"
    )  # the title, not a member's text
    assert entry.questions_en[0] == "May I bring my dog?"
    assert set(DOGS_DE) <= set(entry.questions_de) and "Hund erlaubt?" in entry.questions_de
    assert entry.answer_de and entry.answer_en
    for user in ("hanna", "otto", "grete"):
        (message,) = await answers_to(dash.bot, user)
        assert "Hunde sind bei Veranstaltungen im Freien willkommen" in message
    assert (await ticket(dash.bot, 5)).status == "open"  # not part of the group
    assert "web:inbox:new_entry" in await actions(dash)


async def test_a_new_entry_needs_both_languages_and_a_free_id(
    dash: Dashboard, office: SignedIn
) -> None:
    assert "#1" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    status, form = await office.get("/inbox/new?tickets=1&lang=en")
    assert status == 200 and "Tickets this entry closes" in form
    base = {"offered": "1", "ticket": "1", "tde": "Gibt es veganes Essen?", "ten": "Vegan food?"}
    status, page = await office.post(
        "/inbox/new?lang=en", {**base, "id": "symposium", "ade": "Ja.", "aen": "Yes."}
    )
    assert "symposium" in page and "Neuer Eintrag" not in page  # id taken: the form again
    status, page = await office.post("/inbox/new", {**base, "id": "catering", "ade": "Ja."})
    assert "Antwort auf Englisch" in page
    assert not await answers_to(dash.bot, "jan")
    status, _ = await office.post(
        "/inbox/new", {**base, "id": "catering", "ade": "Ja.", "aen": "Yes, always."}
    )
    assert status == 303  # to the inbox, which says what was done
    _, page = await office.get("/inbox?created=catering&tickets=1&answered=1")
    assert (
        "Neuer Eintrag „Gibt es veganes Essen?“: 1 Ticket geschlossen. "
        "Ein Mitglied bekommt die Antwort." in page
    )
    (message,) = await answers_to(dash.bot, "jan")
    assert "Yes, always." in message
    async with dash.bot.db.session() as session:
        entry = await faq.get_entry(session, "catering")
    assert entry is not None and entry.questions_en == ["Vegan food?", VEGAN_EN]


async def test_a_dismissed_suggestion_stays_away_for_every_admin(
    dash: Dashboard, office: SignedIn
) -> None:
    for user, text in zip(("hanna", "otto"), DOGS_DE, strict=False):
        await ask_office(dash.bot, user, text)
    await office.get("/language?lang=en")
    status, page = await office.get("/inbox")
    assert "2 questions look like a new topic" in page
    key = re.search(r'name="key" value="([^"]+)"', page)
    assert key is not None
    status, body = await htmx_post(office, "/inbox/dismiss", {"key": "0" * 16})  # stale page
    assert status == 200 and "web:inbox:dismiss" not in await actions(dash)
    status, body = await htmx_post(office, "/inbox/dismiss", {"key": key.group(1)})
    assert status == 200 and body == ""
    assert "web:inbox:dismiss" in await actions(dash)

    colleague = await dash.signed_in()  # another session: dismissed for the office, not a tab
    try:
        await colleague.get("/language?lang=en")
        await ask_office(dash.bot, "lena", DOGS_DE[2])  # alone, the new one is no topic
        status, page = await colleague.get("/inbox")
    finally:
        await colleague.close()
    assert "look like a new topic" not in page
    assert "3 open questions" in page  # dismissing a suggestion answers nobody


def test_suggestions_group_similar_questions_in_german_and_english() -> None:
    questions = [
        Question("Darf mein Hund mit zur Exkursion?", "de", ticket=1),
        Question("Kann ich meinen Hund zur Exkursion mitbringen?", "de", ticket=2),
        Question("Sind Hunde bei Exkursionen erlaubt?", "de", logged=3),
        Question("Can I bring my dog to the excursion?", "en", ticket=4),
        Question("Are dogs allowed on excursions?", "en", ticket=5),
        Question("Gibt es veganes Essen beim Symposium?", "de", ticket=6),
        Question("Is there vegan food at the symposium?", "en", ticket=7),
        Question("Wie lange kocht man ein Frühstücksei?", "de", ticket=8),
        Question("What is the capital of Thuringia?", "en", ticket=9),
        Question("Wer gewinnt die Bundesliga?", "de", ticket=10),
    ]
    groups = group_questions(questions, Analyzer([q.text for q in questions]))
    grouped = [{q.ticket or q.logged for q in g.questions} for g in groups]
    dogs = next((g for g in grouped if 1 in g), set())
    assert {1, 2, 3} <= dogs <= {1, 2, 3, 4, 5}  # the German phrasings, nothing but dogs
    assert dogs & {4, 5}  # English ones join through the dictionary (Hund: dog)
    assert {6, 7} in grouped  # the same topic across the languages
    assert not any(n in group for group in grouped for n in (8, 9, 10))
    title = next(g for g in groups if 1 in g.tickets)
    assert title.title in {q.text for q in questions[:3]} and title.logged == (3,)
    assert group_questions(questions[7:], Analyzer()) == []


# An inbox of several topics, each asked two or three ways, among questions about anything
# else (all invented): a suggestion never mixes two topics and most topics are found.
DE, EN = "de", "en"
TOPICS = {
    "shoes": (
        (DE, "Brauche ich Sicherheitsschuhe für die Werksführung?"),
        (DE, "Muss ich bei der Werksführung Sicherheitsschuhe tragen?"),
        (EN, "Do I need safety shoes for the plant tour?"),
    ),
    "certificate": (
        (DE, "Bekomme ich eine Teilnahmebescheinigung für das Seminar?"),
        (DE, "Gibt es für das Seminar ein Zertifikat?"),
        (EN, "Will I get a certificate for attending the seminar?"),
    ),
    "poster": (
        (DE, "Kann ich beim Symposium ein Poster ausstellen?"),
        (DE, "Darf ich auf der Tagung ein Poster zeigen?"),
        (EN, "Can I present a poster at the symposium?"),
    ),
    "invoice": (
        (DE, "Ich brauche eine Rechnung mit unserer neuen Adresse."),
        (DE, "Können Sie die Rechnung an unsere neue Adresse schicken?"),
    ),
    "vegan": (
        (DE, "Gibt es veganes Essen beim Symposium?"),
        (EN, "Is there vegan food at the symposium?"),
    ),
}
OTHERS = (
    (DE, "Wie spät ist es in Tokio?"),
    (EN, "Who won the world cup in 2014?"),
    (DE, "Wo finde ich einen Schlüsseldienst?"),
    (DE, "Was ist ein gutes Rezept für Apfelkuchen?"),
    (DE, "Wann fährt der nächste Zug nach Halle?"),
    (DE, "Kann mein Kollege statt mir zum Symposium kommen?"),
    (EN, "Is the excursion suitable for children?"),
    (DE, "Gibt es Steckdosen im Saal?"),
    (EN, "Can I pay the fee in cash?"),
    (DE, "Wird das Seminar aufgezeichnet?"),
    (EN, "Where can I leave my luggage during the tour?"),
    (DE, "Wie lange dauert die Werksführung?"),
    (EN, "Is smoking allowed at the venue?"),
    (DE, "Wie komme ich vom Bahnhof zur Aula?"),
)


def test_suggestions_never_mix_topics() -> None:
    asked: list[tuple[str | None, str, str]] = [
        (topic, *q) for topic, phrasings in TOPICS.items() for q in phrasings
    ]
    asked += [(None, *q) for q in OTHERS]
    questions = [
        Question(text, lang, ticket=n) for n, (_topic, lang, text) in enumerate(asked, start=1)
    ]
    groups = group_questions(questions, Analyzer([q.text for q in questions]))
    topics = [{asked[n - 1][0] for n in g.tickets} for g in groups]
    assert all(len(found) == 1 and None not in found for found in topics), topics
    assert len({t for found in topics for t in found}) >= 4


async def test_attach_asks_for_the_answer_the_entry_lacks(
    dash: Dashboard, office: SignedIn
) -> None:
    await add_parking_in_german_only(dash.bot)
    assert "#1" in await ask_office(dash.bot, "eric", "Is there a cloakroom for coats?", lang="en")
    status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "parken"})
    assert (
        status == 200
        and "Der Eintrag „Wo kann ich parken?“ braucht noch eine Antwort" in row
        and 'name="aen"' in row
    )
    assert not await answers_to(dash.bot, "eric")
    status, row = await htmx_post(
        office, "/inbox/1/attach", {"entry": "parken", "aen": "In the car park at the venue."}
    )
    assert status == 200 and "Formulierung von „Wo kann ich parken?“" in row
    (message,) = await answers_to(dash.bot, "eric")
    assert "In the car park at the venue." in message
    async with dash.bot.db.session() as session:
        entry = await faq.get_entry(session, "parken")
    assert entry is not None and entry.answer_en == "In the car park at the venue."
    async with dash.bot.db.session() as session:
        (learned,) = await faq_learned.all_learned(session)
    assert (learned.entry_id, learned.text, learned.lang) == (
        "parken",
        "Is there a cloakroom for coats?",
        "en",
    )


async def test_a_suggestion_of_long_questions_stays_short(
    dash: Dashboard, office: SignedIn
) -> None:
    rambling = " Wir kommen mit dem ganzen Team und freuen uns sehr." * 40
    for number, (user, text) in enumerate(
        zip(("hanna", "otto", "grete"), DOGS_DE, strict=True), start=1
    ):
        assert f"#{number}" in await ask_office(dash.bot, user, text + rambling)
    _, page = await office.get("/inbox")
    suggestion = html.unescape(page[page.index("Vorschläge") : page.index('id="open"')])
    assert "Hunde" in suggestion
    # The heading quotes the typical question, the list each one, both cut: the office
    # reads the whole questions below, under the open questions.
    heading = suggestion[suggestion.index("<strong>") : suggestion.index("</strong>")]
    assert len(heading) < 300
    assert len(suggestion) < 3 * len(rambling)


def asker_on_card(page: str, ticket_id: int) -> str:
    """Who asked, as a ticket's card names them: the part before the language (after the
    time asked, and on an answered card the time answered)."""
    card = page[page.index(f'id="ticket-{ticket_id}"') :]
    head = card[: card.index("</p>")]
    parts = [part.strip() for part in re.sub(r"<[^>]+>", "", head).split("·")]
    assert len(parts) >= 4, parts  # number · when (asked, answered) · who · language
    return parts[-2]


async def test_after_a_typed_answer_the_card_asks_whether_the_bot_should_learn(
    dash: Dashboard, office: SignedIn
) -> None:
    assert "#1" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    assert "#2" in await ask_office(dash.bot, "ute", DOG_DE)
    _, page = await office.get("/inbox")
    asker = asker_on_card(page, 1)
    typed = "Yes, every excursion offers a vegan lunch."
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": typed})
    assert "Soll der Bot daraus lernen?" in row and 'action="/inbox/1/attach"' in row
    assert 'href="/inbox/new?tickets=1"' in row
    # the offer stays in the inbox after a reload, under the open questions, naming who
    # asked as the open card did
    _, page = await office.get("/inbox")
    later = page.split("Beantwortet, noch nicht gelernt", 1)[1]
    assert 'action="/inbox/1/attach"' in later and "vegan lunch" in later
    assert asker_on_card(later, 1) == asker
    # the question becomes a phrasing of the entry chosen; the member gets nothing more
    status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "symposium"})
    assert (
        "Formulierung von „Worum geht es beim jährlichen Symposium?“" in row
        and "bekommt nichts weiter" in row
    ), row
    assert len(await answers_to(dash.bot, "jan")) == 1
    assert (await ticket(dash.bot, 1)).learned_entry_id == "symposium"
    _, page = await office.get("/inbox")
    assert "Beantwortet, noch nicht gelernt" not in page  # learned: offered no more
    # a new entry from an answered ticket starts with its question and the office's answer
    await htmx_post(office, "/inbox/2/answer", {"answer": "Hunde sind willkommen."})
    status, form = await office.get("/inbox/new?tickets=2")
    assert status == 200 and "Hunde sind willkommen." in form
    assert '<span class="tag">beantwortet</span>' in form  # it is not answered again
    data = {"id": "hunde", "tde": "Hunde?", "ten": "Dogs?", "ade": "Ja.", "aen": "Yes.", "pde": ""}
    form_data = [("csrf", office.csrf), *data.items(), ("offered", "2"), ("ticket", "2")]
    async with office.client.post(office.dashboard.url + "/inbox/new", data=form_data) as r:
        done = await r.text()
        assert r.url.path == "/inbox"  # redirected: a reload sends nothing twice
    assert "Neuer Eintrag „Hunde?“: 1 Ticket geschlossen." in done, done
    assert "bekommt" not in done and "bekommen" not in done
    assert html.escape(DOG_DE, quote=False) in form


async def test_a_ticket_card_shows_what_the_question_points_back_to(
    dash: Dashboard, office: SignedIn
) -> None:
    # a question of several, passed on with the sentences before it: the card shows them
    # beside the question (which is what the office may teach an entry)
    await dash.bot.onboard("hanna")
    hanna = await dash.bot.member("hanna")
    assert hanna is not None
    async with dash.bot.db.session() as session:
        await faq.open_ticket(
            session,
            member_id=hanna.id,
            text="Gibt es dort vegane Verpflegung?",
            lang="de",
            context="Worum geht es beim jährlichen Symposium?",
        )
    status, page = await office.get("/inbox")
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    assert status == 200 and "<blockquote>Gibt es dort vegane Verpflegung?</blockquote>" in card
    assert "Bezieht sich auf: „Worum geht es beim jährlichen Symposium?“" in card


async def test_a_ticket_card_names_an_english_members_event_in_the_admins_language(
    dash: Dashboard, office: SignedIn
) -> None:
    """The event an English member's question was about ("Refers to" as the chat's alert
    says it) is named with its German title and date on a German dashboard."""
    start = dash.bot.app.services.clock() + timedelta(days=20)
    async with dash.bot.db.session() as session:
        fair = await event_store.create_event(
            session,
            kind="forum",
            title="Werkstofftag Oker",
            title_en="Materials day Oker",
            place="Oker",
            starts_at=start,
            ends_at=start + timedelta(hours=4),
            capacity=None,
            audience="all",
            reminder_hours=[],
        )
    tz = dash.bot.app.services.settings.network.tz
    await dash.bot.onboard("jan", lang="en")
    jan = await dash.bot.member("jan")
    assert jan is not None
    async with dash.bot.db.session() as session:
        await faq.open_ticket(
            session,
            member_id=jan.id,
            text="Is there a cloakroom there?",
            lang="en",
            context=f"Materials day Oker ({short_when('en', fair, tz)})",
        )
    status, page = await office.get("/inbox")
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    german = html.escape(f"Werkstofftag Oker ({short_when('de', fair, tz)})", quote=False)
    assert status == 200 and german in card, card
    assert "Materials day" not in card


async def test_a_question_refused_for_too_many_open_ones_is_no_new_topic(
    dash: Dashboard, office: SignedIn
) -> None:
    # The member is told the sixth question was not passed on: the office does not see it as
    # a new topic beside a colleague's like it, nor as a hand-off in the overview's chart.
    # (vera has asked the office for five and the bot handed five on: stored, not logged)
    await full(dash.bot, "vera")
    refused = await office_pressed(dash.bot, "vera", DOGS_DE[1])
    assert f"Zu „{DOGS_DE[1]}“" in refused and "#11" not in refused, refused
    assert "#11" in await ask_office(dash.bot, "hanna", DOGS_DE[2])

    status, page = await office.get("/inbox")
    assert status == 200 and "11 offene Fragen" in page
    # no topic of dogs: hanna's question is alone (the stored ones are a topic of their own)
    assert DOGS_DE[1] not in page and DOGS_DE[2] not in page.split('id="open"')[0]
    _, overview = await office.get("/")
    drawn = series(chart(overview, "questions"))
    assert drawn["an die Geschäftsstelle"][-1] == "1", drawn
    assert drawn["nicht weitergegeben (schon 5 offen)"][-1] == "1", drawn
    _, overview = await office.get("/?lang=en")
    assert series(chart(overview, "questions"))["not passed on (5 open already)"][-1] == "1"


def tags(page: str) -> list[str]:
    """The texts of the page's small badges (`<span class="tag">`)."""
    return [html.unescape(t) for t in re.findall(r'<span class="tag"[^>]*>([^<]*)</span>', page)]


async def test_every_question_names_its_language_in_words_never_as_a_code(
    dash: Dashboard, office: SignedIn
) -> None:
    """Open cards, suggestions, answered cards and the new-entry form all say "gefragt auf
    Englisch" (the walkthrough found "en" on all but the open cards), in the page's language."""
    assert "#1" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    for user, text in zip(("hanna", "otto", "grete"), DOGS_DE, strict=True):
        await ask_office(dash.bot, user, text)
    await htmx_post(office, "/inbox/1/answer", {"answer": "Yes, a vegan lunch."})
    for lang, german, english in (
        ("de", "gefragt auf Deutsch", "gefragt auf Englisch"),
        ("en", "asked in German", "asked in English"),
    ):
        _, page = await office.get(f"/inbox?lang={lang}")
        assert not {"de", "en"} & set(tags(page)), tags(page)
        suggestions = page[page.index('id="suggestions"') : page.index('id="open"')]
        assert german in suggestions
        open_cards = page[page.index('id="open"') : page.index('id="unlearned"')]
        assert german in open_cards
        answered = page[page.index('id="unlearned"') :]
        assert english in answered and german not in answered
        _, form = await office.get(f"/inbox/new?tickets=1,2&lang={lang}")
        assert not {"de", "en"} & set(tags(form)), tags(form)
        assert english in form and german in form


async def test_a_question_the_member_withdrew_is_shown_withdrawn_and_not_answered(
    dash: Dashboard, office: SignedIn
) -> None:
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    assert "#2" in await ask_office(dash.bot, "otto", DOGS_DE[1])
    _, before = await office.get("/inbox")  # the office has the page open …
    assert "2 offene Fragen" in before
    asker = asker_on_card(before, 1)
    await dash.bot.press("hanna", "fqw:1")  # … when the member withdraws her question

    # the answer typed into the stale card is refused in words, and nothing is sent
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": "Hunde sind willkommen."})
    assert status == 200 and "Ticket #1 hat das Mitglied selbst zurückgezogen" in row, row
    assert "gibt es nicht mehr" not in row
    status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "symposium"})
    assert "selbst zurückgezogen" in row
    assert await answers_to(dash.bot, "hanna") == []
    assert (await ticket(dash.bot, 1)).status == faq.WITHDRAWN

    # reloaded: one open question, and hers under "withdrawn by the member"
    _, page = await office.get("/inbox")
    assert "1 offene Frage" in page
    open_cards = page[page.index('id="open"') : page.index('id="withdrawn"')]
    assert html.escape(DOG_DE, quote=False) not in open_cards
    withdrawn = page[page.index('id="withdrawn"') :]
    assert "Vom Mitglied zurückgezogen" in withdrawn and "zurückgezogen am " in withdrawn
    assert html.escape(DOG_DE, quote=False) in withdrawn and 'action="/inbox/1/' not in withdrawn
    assert asker_on_card(withdrawn, 1) == asker  # who withdrew it
    _, english = await office.get("/inbox?lang=en")
    assert "Withdrawn by the member" in english and "withdrawn on " in english
    # a new entry cannot take it either
    _, form = await office.get("/inbox/new?tickets=1")
    assert html.escape(DOG_DE, quote=False) not in form


async def test_a_question_sent_as_a_partner_search_is_listed_apart_needing_no_answer(
    dash: Dashboard, office: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partner_chat, "is_partner_search", lambda _text: False)
    await import_members(dash.bot)
    asked = await dash.bot.send("req", LCA_DE)
    assert "#1" in asked.text
    status, page = await office.get("/inbox")
    assert "1 offene Frage" in page and 'id="answer-1"' in page
    preview = await dash.bot.press("req", asked.button("Passende Mitglieder suchen"))
    await dash.bot.press("req", preview.button("Ja, senden"))
    status, page = await office.get("/inbox")
    assert status == 200 and "Keine offenen Fragen." in page
    assert 'id="answer-1"' not in page[: page.index('id="taken"')]  # not among the open ones
    taken = page[page.index('id="taken"') :]
    # headed by what became of it, not as the office's closed ones are ("… ohne Antwort
    # erledigt" both, the walkthrough could not tell the two lists apart)
    assert "Vom Mitglied weitergeführt" in taken, taken
    assert "ohne Antwort erledigt" not in taken.casefold()
    assert html.escape(LCA_DE, quote=False) in taken
    assert re.search(r"vom Mitglied als Partnersuche gestellt \(Anfrage #\d+\)", taken)
    # it waits for no answer, but may still get one, as `/antwort 1` in the chat
    assert "Eine Antwort geht trotzdem noch an das Mitglied." in taken
    assert "Trotzdem antworten" in taken and 'action="/inbox/1/answer"' in taken
    await office.get("/language?lang=en")
    status, page = await office.get("/inbox")
    assert re.search(r"turned into a partner search by the member \(request #\d+\)", page)
    assert "Taken further by the member" in page[page.index('id="taken"') :]
    assert "Answer anyway" in page
    # it cannot be closed either: it is no longer open, and the refusal says what carries it
    status, row = await htmx_post(office, "/inbox/1/close", {})
    assert re.search(
        r"The member has already taken ticket #1 further themselves: turned into a partner "
        r"search by the member \(request #\d+\)\. It waits for no answer; nothing changed\.",
        row,
    ), row
    assert (await ticket(dash.bot, 1)).status == faq.OFFER_TAKEN

    # Answered anyway: the member gets it, and the office is told what the member had done.
    # (asked in German: an English answer is shown with a warning first, kept to send anyway)
    english = {"answer": "Try the university."}
    status, row = await htmx_post(office, "/inbox/1/answer", english)
    assert "asked in German, but your answer is in English" in row and ">Send anyway<" in row
    assert ">Try the university.</textarea>" in row and not await answers_to(dash.bot, "req")
    status, row = await htmx_post(office, "/inbox/1/answer", {**english, "anyway": "1"})
    assert status == 200 and "is on its way to the member, who had already taken" in row, row
    assert re.search(r"turned into a partner search by the member \(request #\d+\)\.", row)
    assert await answers_to(dash.bot, "req") != []
    assert (await ticket(dash.bot, 1)).status == faq.ANSWERED


def inbox_badge(page: str) -> str | None:
    """The count beside the navigation's inbox link, as drawn and as read out; None: none."""
    link = re.search(r'<a href="/inbox"[^>]*>(.*?)</a>', page, re.S)
    assert link is not None, "no inbox link in the navigation"
    found = re.search(
        r'<span id="nav-count-inbox">(?:<span class="badge" aria-hidden="true">(\d+)</span>'
        r'<span class="sr"> \(([^)]*)\)</span>)?</span>',
        link.group(1),
    )
    assert found is not None, link.group(1)
    return None if found.group(1) is None else f"{found.group(1)}: {found.group(2)}"


async def test_every_page_counts_the_open_questions_beside_the_inbox_link(
    dash: Dashboard, office: SignedIn
) -> None:
    status, page = await office.get("/events")
    assert status == 200 and inbox_badge(page) is None  # nothing open: no badge
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    assert "#2" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    assert "#3" in await ask_office(dash.bot, "jan", PARKING_EN, lang="en")
    status, page = await office.get("/")
    paths = re.findall(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S)[0]
    links = re.findall(r'<a href="([^"]+)"', paths)
    assert len(links) >= 8 and "/inbox" in links
    for path in links:
        status, page = await office.get(path)
        assert status == 200 and inbox_badge(page) == "3: 3 offene Fragen", path
    # An answer in the card (htmx) swaps the count in place, as it does the heading.
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": "Ja, angeleint."})
    assert status == 200 and '<span id="nav-count-inbox" hx-swap-oob="true">' in row
    assert '<span class="badge" aria-hidden="true">2</span>' in row
    # A plain form's answer shows the page with the count after it, in the admin's language.
    await office.get("/language?lang=en")
    status, page = await office.post("/inbox/2/answer", {"answer": "Yes, there is."})
    assert status == 200 and inbox_badge(page) == "1: 1 open question"
    status, row = await htmx_post(office, "/inbox/3/answer", {"answer": "At the station."})
    assert '<span id="nav-count-inbox" hx-swap-oob="true"></span>' in row  # none left
    status, page = await office.get("/members")
    assert inbox_badge(page) is None


async def test_questions_that_point_back_are_no_new_topic(
    dash: Dashboard, office: SignedIn
) -> None:
    # Two members ask "Was kostet das?" after different questions: one means the membership,
    # the other the symposium. The office reads each with what came before it, on its card;
    # together they are no topic, and "Was kostet das?" would be a poor phrasing of one.
    assert "#1" in await ask_office(
        dash.bot, "hanna", "Wie kann meine Organisation Mitglied werden?"
    )
    first = await dash.bot.send("hanna", "Was kostet das?")
    symposium = await dash.bot.send("otto", "Worum geht es beim jährlichen Symposium?")
    assert "große Jahrestagung" in symposium.text
    second = await dash.bot.send("otto", "Was kostet das?")
    assert "#2" in first.text and "#3" in second.text, (first.text, second.text)
    status, page = await office.get("/inbox")
    assert status == 200 and "3 offene Fragen" in page
    assert page.count("Bezieht sich auf") == 2
    assert "neuen Thema" not in page, page[page.index("Vorschläge") :][:600]
    # Asked on their own, the same questions are one topic.
    for user in ("grete", "vera"):
        await ask_office(dash.bot, user, "Wie viel kostet die Anreise mit dem Bus?")
    _, page = await office.get("/inbox")
    suggested = html.unescape(page[page.index("Vorschläge") : page.index('id="open"')])
    assert "2 Fragen sehen nach einem neuen Thema aus: „Wie viel kostet die Anreise" in suggested
    assert "Was kostet das?" not in suggested


async def test_the_preview_names_the_commands_as_the_member_will_read_them(
    dash: Dashboard, office: SignedIn
) -> None:
    # The chat shows a German member "/anmelden" where the entry writes "/join": the card's
    # "what the member would get" said "/join".
    signup = """
[[faq]]
id = "anmelden"
question.de = ["Wie melde ich mich für eine Veranstaltung an?"]
question.en = ["How do I sign up for an event?"]
answer.de = "Schreiben Sie /join mit der Nummer der Veranstaltung."
answer.en = "Write /join with the event's number."
"""
    async with dash.bot.db.session() as session:
        await import_kb(session, parse_kb(signup))
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    status, row = await htmx_post(office, "/inbox/1/attach", {"pick": "anmelden"})
    assert status == 200 and "Schreiben Sie /anmelden mit der Nummer" in row, row


async def office_alert_picks(dash: Dashboard) -> list[str]:
    """The entries the admins' chat alert about the first ticket offers (its buttons)."""
    async with dash.bot.db.session() as session:
        queued = (await session.execute(select(OutboxMessage))).scalars()
        (alert,) = [m for m in queued if m.kind == "faq_office_alert"]
    return [p.split(":")[2] for row in alert.payload["buttons"] for _label, p in row]


async def test_chat_alert_inbox_and_card_suggest_the_same_entries_for_a_follow_up(
    dash: Dashboard, office: SignedIn
) -> None:
    # "dort" is the symposium: the admins' alert offered its entry (the bot read the question
    # with the message before it), the dashboard's card and /inbox offered nothing (they read
    # the question alone).
    await dash.bot.send("admin", "/sprache de")  # an admin the alert reaches
    asked = await dash.bot.send("hanna", "Worum geht es beim jährlichen Symposium?")
    assert "große Jahrestagung" in asked.text
    follow = await dash.bot.send("hanna", "Gibt es dort vegane Verpflegung?")
    assert "#1" in follow.text, follow.text
    assert (await ticket(dash.bot, 1)).context == "Worum geht es beim jährlichen Symposium?"
    assert await office_alert_picks(dash) == ["symposium"]
    status, page = await office.get("/inbox")
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    picks = re.findall(r'class="pick" form="pick-1" name="pick" value="([^"]+)"', card)
    assert status == 200 and picks == ["symposium"], card
    listed = (await dash.bot.send("admin", "/inbox")).text
    (line,) = [line for line in listed.splitlines() if "Passt vielleicht" in line]
    assert "symposium" in line.lower(), listed


async def test_an_entry_typed_into_the_field_shows_what_the_member_gets_before_sending(
    dash: Dashboard, office: SignedIn
) -> None:
    # Typing an entry's question (or id) and pressing the button had sent its answer at once;
    # a likely entry's button showed it first. Now both show it, and only then send.
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    status, page = await office.get("/inbox")
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    assert ">Antwort ansehen</button>" in card and 'name="shown"' not in card
    typed = {"entry": "worum geht es beim jährlichen Symposium"}
    status, row = await htmx_post(office, "/inbox/1/attach", typed)
    assert status == 200 and "Das Mitglied bekäme" in row, row
    assert "Das Symposium ist die große Jahrestagung des Clusters." in row
    assert re.search(r'id="entry-1" name="entry"[^>]*value="symposium"', row), row
    assert ">Antwort des Eintrags senden und lernen</button>" in row
    assert not await answers_to(dash.bot, "hanna")
    assert (await ticket(dash.bot, 1)).status == "open"
    # Without script: the whole page, the card showing the answer; nothing sent.
    status, page = await office.post("/inbox/1/attach", {"entry": "symposium"})
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    assert status == 200 and "große Jahrestagung des Clusters" in card
    assert re.search(r'name="shown" value="symposium"', card), card
    assert not await answers_to(dash.bot, "hanna")
    # Sent as shown: it goes to the member.
    status, page = await office.post(
        "/inbox/1/attach", {"entry": "symposium", "shown": "symposium"}
    )
    assert "Formulierung von" in page
    (message,) = await answers_to(dash.bot, "hanna")
    assert "große Jahrestagung des Clusters" in message


async def test_an_entrys_question_typed_as_the_answer_is_not_sent_but_offers_that_entry(
    dash: Dashboard, office: SignedIn
) -> None:
    # The office typed an entry's question into the answer box: the member got the bare
    # question as the office's answer. Now nothing is sent; the card names the entry and
    # shows its answer, ready to send with "answer with an entry".
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    typed = {"answer": "worum geht es beim Jährlichen Symposium"}
    status, row = await htmx_post(office, "/inbox/1/answer", typed)
    assert status == 200
    assert (
        "Nicht gesendet: Das ist die Frage des Eintrags „Worum geht es beim jährlichen "
        "Symposium?“, keine Antwort." in row
    ), row
    assert WOULD_GET in row and "Das Symposium ist die große Jahrestagung des Clusters." in row
    assert re.search(r'name="shown" value="symposium"', row), row
    assert ">Antwort des Eintrags senden und lernen</button>" in row
    assert not await answers_to(dash.bot, "hanna")
    assert (await ticket(dash.bot, 1)).status == "open"
    # In English, and without script (the whole page): the same, nothing sent.
    await office.get("/language?lang=en")
    status, page = await office.post(
        "/inbox/1/answer", {"answer": "What is the annual symposium about?"}
    )
    assert "Not sent: that is the question of the entry “What is the annual symposium" in page
    card = page.split('id="ticket-1"')[1].split("</article>")[0]
    assert re.search(r'name="shown" value="symposium"', card), card
    assert not await answers_to(dash.bot, "hanna")
    # An answer that merely mentions the question is an answer.
    status, row = await htmx_post(
        office, "/inbox/1/answer", {"answer": "Worum geht es beim jährlichen Symposium? Hunde."}
    )
    assert len(await answers_to(dash.bot, "hanna")) == 1


async def test_an_entrys_answer_may_be_sent_without_teaching_the_bot(
    dash: Dashboard, office: SignedIn
) -> None:
    # The entry helps this member, but does not answer such questions: "only send" sends its
    # answer and the bot learns nothing, so the next such question still reaches the office.
    hotel = "Gibt es einen Hotelrabatt für Teilnehmer des Symposiums?"
    assert "#1" in await ask_office(dash.bot, "hanna", hotel)
    status, row = await htmx_post(office, "/inbox/1/attach", {"entry": "symposium"})
    assert WOULD_GET in row and ">Nur senden, nicht lernen</button>" in row, row
    assert ">Antwort des Eintrags senden und lernen</button>" in row
    assert not await answers_to(dash.bot, "hanna")
    status, row = await htmx_post(
        office, "/inbox/1/attach", {"entry": "symposium", "shown": "symposium", "only": "send"}
    )
    assert "ist unterwegs zum Mitglied. Gelernt hat der Bot nichts." in row, row
    (message,) = await answers_to(dash.bot, "hanna")
    assert "große Jahrestagung des Clusters" in message
    closed = await ticket(dash.bot, 1)
    assert closed.status == "answered" and closed.learned_entry_id is None
    async with dash.bot.db.session() as session:
        assert not await faq_learned.all_learned(session)
    assert "web:inbox:send_entry" in await actions(dash)
    # In English, without script: the same choice on the whole page.
    assert "#2" in await ask_office(dash.bot, "jan", "Is there a hotel discount?", lang="en")
    await office.get("/language?lang=en")
    status, page = await office.post("/inbox/2/attach", {"entry": "symposium"})
    assert status == 200
    card = page.split('id="ticket-2"')[1].split("</article>")[0]
    assert ">Only send, don&#39;t learn</button>" in card or ">Only send, don't learn<" in card


async def test_an_answer_in_the_other_language_waits_for_send_anyway(
    dash: Dashboard, office: SignedIn
) -> None:
    # The card says "Antwort (auf Englisch, wie gefragt)", yet a German answer went out under
    # the English header unwarned. Now it is shown with a warning, kept in its field.
    german = "Ja, bei jeder Exkursion gibt es ein veganes Mittagessen für alle."
    assert "#1" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": german})
    assert status == 200 and "Noch nicht gesendet" in row, row
    assert "auf Englisch gestellt, Ihre Antwort ist aber auf Deutsch" in row
    assert "Answer from the cluster office" in row  # what the member would read
    assert f">{german}</textarea>" in row and ">Trotzdem senden</button>" in row
    assert not await answers_to(dash.bot, "jan")
    assert (await ticket(dash.bot, 1)).status == "open"
    status, row = await htmx_post(office, "/inbox/1/answer", {"answer": german, "anyway": "1"})
    assert "unterwegs zum Mitglied" in row, row
    (message,) = await answers_to(dash.bot, "jan")
    assert "veganes Mittagessen" in message
    # In English, an English answer to a German question: warned; rewritten, it goes at once.
    await office.get("/language?lang=en")
    assert "#2" in await ask_office(dash.bot, "hanna", DOG_DE)
    english = "Yes, dogs on a lead are welcome at the annual meeting."
    status, page = await office.post("/inbox/2/answer", {"answer": english})
    assert "asked in German, but your answer is in English" in page, page
    assert len(await answers_to(dash.bot, "hanna")) == 0
    rewritten = "Ja, Hunde an der Leine sind bei der Jahrestagung willkommen."
    status, row = await htmx_post(office, "/inbox/2/answer", {"answer": rewritten})
    assert "on its way to the member" in row, row
    (message,) = await answers_to(dash.bot, "hanna")
    assert rewritten in message


async def test_a_ticket_sent_without_teaching_is_not_offered_for_teaching_again(
    dash: Dashboard, office: SignedIn
) -> None:
    """ "Nur senden, nicht lernen" (in the chat at /lernen and on the dashboard): the office
    chose not to teach these; the inbox's list of answered questions to teach from and the
    new-entry form do not offer them. One answered in the office's own words still is."""
    hotel = "Gibt es einen Hotelrabatt für Teilnehmer des Symposiums?"
    assert "#1" in await ask_office(dash.bot, "hanna", hotel)
    assert "#2" in await ask_office(dash.bot, "otto", "Gibt es Rabatt im Hotel Kaiserworth?")
    assert "#3" in await ask_office(dash.bot, "jan", VEGAN_EN, lang="en")
    shown = await dash.bot.send("admin", "/lernen 1 symposium")
    sent = await dash.bot.press("admin", shown.button("Nur senden, nicht lernen"))
    assert "Gelernt hat der Bot nichts" in sent.text, sent.text
    only = {"entry": "symposium", "shown": "symposium", "only": "send"}
    _, row = await htmx_post(office, "/inbox/2/attach", only)
    assert "Gelernt hat der Bot nichts" in row, row
    await htmx_post(office, "/inbox/3/answer", {"answer": "Yes, a vegan lunch every time."})
    _, page = await office.get("/inbox")
    answered = page[page.index('id="unlearned"') :]
    assert 'id="ticket-3"' in answered, answered
    assert 'id="ticket-1"' not in answered and 'id="ticket-2"' not in answered
    _, form = await office.get("/inbox/new?tickets=1,2,3")
    assert html.escape(VEGAN_EN, quote=False) in form
    assert "Hotelrabatt" not in form and "Kaiserworth" not in form


async def test_a_question_settled_otherwise_is_closed_without_an_answer(
    dash: Dashboard, office: SignedIn
) -> None:
    """ "Ohne Antwort erledigen" on a card: the member hears nothing, the card leaves the open
    questions (the count too) and the question is listed as closed; the audit log has it."""
    assert "#1" in await ask_office(dash.bot, "hanna", DOG_DE)
    assert "#2" in await ask_office(dash.bot, "otto", DOGS_DE[1])
    _, page = await office.get("/inbox")
    assert 'action="/inbox/1/close"' in page and "Ohne Antwort erledigen" in page
    asker = asker_on_card(page, 1)
    status, row = await htmx_post(office, "/inbox/1/close", {})
    assert status == 200 and "<html" not in row and 'id="ticket-1"' in row
    assert "Ticket #1 ist ohne Antwort erledigt; das Mitglied bekommt keine Nachricht." in row
    assert "beantwortet" not in row and "<textarea" not in row, row
    assert "1 offene Frage" in row  # the heading, swapped out of band
    assert await answers_to(dash.bot, "hanna") == []
    assert (await ticket(dash.bot, 1)).status == faq.CLOSED
    assert "web:inbox:close" in await actions(dash)

    # twice (a second tab) says so, and changes nothing
    status, row = await htmx_post(office, "/inbox/1/close", {})
    assert "Ticket #1 ist schon ohne Antwort erledigt" in row, row
    # reloaded: one open question, hers listed as closed, without forms
    _, page = await office.get("/inbox")
    assert "1 offene Frage" in page
    open_cards = page[page.index('id="open"') : page.index('id="closed"')]
    assert html.escape(DOG_DE, quote=False) not in open_cards
    closed = page[page.index('id="closed"') :]
    assert "Von der Geschäftsstelle ohne Antwort erledigt" in closed and "erledigt am " in closed
    assert html.escape(DOG_DE, quote=False) in closed
    assert asker_on_card(closed, 1) == asker  # whose question it was
    assert 'action="/inbox/1/close"' not in closed
    assert 'action="/inbox/1/answer"' in closed  # an answer may still follow
    _, english = await office.get("/inbox?lang=en")
    assert "Close without an answer" in english and "Closed by the office without" in english
    assert "closed on " in english
    # a plain form's post (no script) comes back as the whole page with the notice
    status, whole = await office.post("/inbox/2/close")
    assert status == 200 and "<html" in whole
    assert "Ticket #2 ist ohne Antwort erledigt; das Mitglied bekommt keine Nachricht." in whole
    assert (await ticket(dash.bot, 2)).status == faq.CLOSED
    assert await answers_to(dash.bot, "otto") == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_settled_lists_have_headings_that_tell_them_apart(lang: str) -> None:
    """Withdrawn, closed by the office, taken further by the member: no heading is another's
    with words left out (they had been "Von der Geschäftsstelle ohne Antwort erledigt" and
    "Ohne Antwort erledigt")."""
    titles = [
        str(t(lang, f"web_inbox.{key}_title")).casefold()
        for key in ("withdrawn", "closed", "taken")
    ]
    for one in titles:
        assert [other for other in titles if one in other] == [one], titles
