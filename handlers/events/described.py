"""Questions an upcoming event's own description answers ("Gibt es bei der Exkursion ein
Mittagessen?" where it says "gemeinsames Mittagessen"; "muss ich Sicherheitsschuhe
mitbringen?" where one excursion's says so): the sentences that say it, quoted, instead of a
ticket the office answers with what it already wrote.

Asked by the FAQ (`Router.answers_from_records`): instead of its choices or a hand-off, with
the offer to pass the question on; below a direct answer (its entry on excursions says costs
are "in the invitation": the description is the invitation). The live answers quote it below
an event's date and place ("where does the bus for the excursion leave"). A question that
names events is read against theirs (or the one the latest message was about), by any word
that names neither the event nor a kind of event; one that names none only by a word rare
in general language, found in one event's description alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from bot.context import Context
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Router
from bot.services import Services
from bot.textmatch.resources import german_words
from bot.textmatch.sentences import (
    asks_about_before,
    points_into_itself,
    sentences,
    the_whole_as_pronoun,
)
from handlers.events.choosing import (
    event_asked_next,
    event_meant_before,
    event_shown_before,
    local_today,
    visible_upcoming,
)
from handlers.events.naming import (
    Word,
    asks_language,
    asks_whether_non_members_come,
    event_stems,
    is_function_word,
    kind_of,
    membership_stems,
    named_about_events,
    names_events_at_large,
    names_membership_itself,
    pick,
    specificity,
    words_of,
)
from handlers.events.render import description_in, place_in, short_when, title_in
from storage import event_store
from storage.events import Event

# A question naming no event is read against descriptions only by a word this long and rare
# (`Analyzer.specificity` 1: rarer than everyday words): "Sicherheitsschuhe", not "Essen".
RARE_MIN_LENGTH = 6
# A German word that ends a description's compound ("Essen" of "Mittagessen") says it from
# this many letters; shorter ones end too many words.
HEAD_MIN_LENGTH = 4
MAX_QUOTED = 300
# The general glossary's concepts of what something costs (`bot/textmatch/data/general.txt`)
COST_CONCEPTS = frozenset({"~cost", "~fee", "~ask-cost"})
# ... and of taking part in an event, whose cost is the event's price
TAKING_PART = frozenset({"~participate", "~register"})
# Function words between a word of cost and the thing priced: "kostet ein Stand"
PRICED_GAP = 2
# ... not across the word that says for whom: "was kostet es für Studierende", "free as a
# PhD student", "kostenlos als Studentin"
_FOR_WHOM = frozenset({"fuer", "fur", "for", "pro", "per", "als", "as"})
PRICE = re.compile(r"\d\s?(?:€|eur\b|euro\b)|[€$£]\s?\d", re.IGNORECASE)
# A price, or none: "kostenfrei für Mitglieder", "free of charge".
_PRICES = re.compile(
    PRICE.pattern + r"|\b(?:kosten|gebuehren|gebühren|beitrags)(?:frei|los)\b|\bunentgeltlich\b|"
    r"\bfree\s+of\s+charge\b|\bno\s+(?:fee|charge)\b|\bat\s+no\s+cost\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Passage:
    event: Event
    sentences: tuple[str, ...]


def _asked_words(text: str, events: Sequence[Event]) -> list[Word]:
    """The question's words that may be about something at an event: no function word, no
    kind of event nor the word for events at large ("when is the event in clausthal?" is no
    question about a description's "(demo event)"), no word of these events' titles or
    places."""
    naming = frozenset().union(*(event_stems(event) for event in events))
    return [
        word
        for word in words_of(text)
        if not is_function_word(word)
        and kind_of(word) is None
        and not names_events_at_large(word)
        and word.stem not in naming
    ]


def _says(sentence: str, word: Word, *, compounds: bool = True) -> bool:
    """Whether a description sentence says the question's word: the same stem or concept, or
    (`compounds`: German) a compound of it ending with the word, its head ("Mittagessen"
    says "Essen"; "Teilnahmegebühr" is a fee, it does not say "Teilnahme"); a price says
    what something costs ("was kostet …": "180 €, für Mitglieder 120 €")."""
    costs = bool(COST_CONCEPTS.intersection(word.concepts))
    if costs and PRICE.search(sentence):
        return True
    for said in words_of(sentence):
        if costs and COST_CONCEPTS.intersection(said.concepts):
            return True  # "kostet" and "Gebühr": what something costs
        if said.stem == word.stem or set(said.concepts) & set(word.concepts):
            return True
        head = len(said.folded) > len(word.folded) >= HEAD_MIN_LENGTH
        if compounds and head and said.folded.endswith(word.folded):
            return not _participle(said.folded, word.folded)
    return False


def _participle(word: str, head: str) -> bool:
    """Whether `word` ends in `head` as a noun made of a present participle does, not as a
    compound: "Studierende", "Teilnehmende" (studieren, teilnehmen + "de") say nothing of
    "Ende", as "Jahresende" does (a walkthrough's "wann ist das Symposium zu Ende?" had got
    the description's sentence on the students' fee)."""
    return head.startswith("end") and word[: len(word) - len(head)] + "en" in german_words()


def passages(text: str, events: Sequence[Event], named: bool, lang: str) -> list[Passage]:
    """The events whose description says what `text` asks, with the sentences that say it;
    `named`: the question names these events (else a rare word must say it)."""
    words = _asked_words(the_whole_as_pronoun(text), events)  # "was kostet der Spaß?"
    if not named:
        words = [
            w for w in words if len(w.folded) >= RARE_MIN_LENGTH and specificity(w.folded) >= 1.0
        ]
    # the thing whose cost is asked, sentence by sentence ("kann ich meinen Azubi mitbringen?
    # was kostet das?" asks what the event costs, not what bringing costs)
    priced = next((p for s in sentences(text) if (p := _priced(s, words)) is not None), None)
    found = []
    for event in events:
        german = lang == "de" or not event.description_en
        told = sentences(description_in(lang, event))
        if priced is not None and not any(_says(s, priced, compounds=german) for s in told):
            continue  # the price of a stand is not the event's ("kostenfrei für Mitglieder")
        said = tuple(
            sentence
            for sentence in told
            if any(_says(sentence, w, compounds=german) for w in words)
        )
        if said:
            found.append(Passage(event, said))
    return found


def priced(event: Event, lang: str) -> Passage | None:
    """The sentences of an event's description that name a price: whom it costs what says
    who comes ("Teilnahmegebühr 180 €, für Mitglieder 120 €, Studierende frei"), asked who
    may come and the question's own words found nothing."""
    said = tuple(s for s in sentences(description_in(lang, event)) if _PRICES.search(s))
    return Passage(event, said) if said else None


def _priced(text: str, asked: Sequence[Word]) -> Word | None:
    """The thing whose cost a question asks, next to its word of cost with at most
    `PRICED_GAP` function words between ("Wie viel kostet ein Stand?", "booth cost"): a word
    asked about, not taking part itself ("was kostet die Teilnahme") nor whom it is for ("was
    kostet es für Studierende"). None when the question asks what the event costs."""
    typed = words_of(text)
    costs = [i for i, w in enumerate(typed) if COST_CONCEPTS.intersection(w.concepts)]
    for i in costs:
        for step in (1, -1):
            j, gap = i + step, 0
            while 0 <= j < len(typed) and gap <= PRICED_GAP:
                word = typed[j]
                if COST_CONCEPTS.intersection(word.concepts) or word.folded in _FOR_WHOM:
                    break  # "kostet es für Studierende": for whom, not what
                if not is_function_word(word):
                    if word in asked and not TAKING_PART.intersection(word.concepts):
                        return word
                    break
                j, gap = j + step, gap + 1
    return None


def quoted(ctx: Context, passage: Passage) -> Markup:
    """ "Dazu steht in der Beschreibung von „…“ (date, place): „…“"; quoted above in the
    same update (one message asking who may come and what it costs), said so."""
    said = " ".join(passage.sentences)
    if not ctx.first_in_update(f"quote:{passage.event.id}:{said}"):
        return ctx.t("events.described_above", title=title_in(ctx.lang, passage.event))
    said = said[:1].upper() + said[1:]  # from the middle of one: "…; bus ab Clausthal."
    said = said[:-1] + "." if said.endswith(";") else said
    if len(said) > MAX_QUOTED:
        said = said[: MAX_QUOTED - 1].rstrip() + "…"
    tz = ctx.services.settings.network.tz
    title = title_in(ctx.lang, passage.event)
    # with the place: the question quoted from often asks where as well ("when and where is
    # it, and what does it cost?")
    when = short_when(ctx.lang, passage.event, tz)
    place = place_in(ctx.lang, passage.event)
    return ctx.t(
        "events.described", title=title, when=f"{when}, {place}" if place else when, said=said
    )


async def passage_for(
    ctx: Context, text: str, shown: bool = False, by_rare_word: bool = True
) -> Passage | None:
    """What one upcoming event's description says to `text`: of the events it names, else of
    the one meant before where it points back ("Gibt es da Mittagessen?" under its details
    or after a question naming it), else (`shown`) of the one whose details or sign-up the
    member was just shown ("what do I need to bring?"), else (`by_rare_word`) by a rare word
    of one event's alone; None when none, or several events', say it."""
    upcoming = await visible_upcoming(ctx)
    named = named_about_events(text)
    if named.names_event:
        events = pick(named, upcoming, ctx.services.settings.network.tz)
        if not events:
            return None  # the symposium asked about is not coming: no other event's words
    elif asks_about_before(text) and not points_into_itself(text):
        # "da", "dort", "there": not "Wer kann Mitglied werden?", nor "wie kündige ich die
        # Mitgliedschaft, gibts da ne Frist?" after a sign-up ("für Mitglieder 120 €")
        meant = event_meant_before(ctx, upcoming)
        events = [meant] if meant is not None else []
    elif shown and not named.general and not membership_stems(text):
        # not "beim Treffen" (some event, not said which), nor "the membership list"; the
        # event just shown, or the one asked about just before ("muss ich was mitbringen?")
        asked_next = event_asked_next(ctx, upcoming, text)
        events = [asked_next] if asked_next is not None else []
    else:
        events = []
    if not events and not by_rare_word:
        return None
    found = passages(text, events or upcoming, bool(events), ctx.lang)
    if not found and asks_whether_non_members_come(text):
        # "Dürfen auch Nichtmitglieder zum Symposium kommen?": who pays what says it, of the
        # event it names or points back to, or, naming nothing ("dürfen auch Nichtmitglieder
        # kommen?"), of the one just shown; not that one where it names another by a word
        meant = None
        if len(events) == 1 and (named.names_event or asks_about_before(text)):
            meant = events[0]
        elif not named.names_event and not named.stems:
            shown_id = event_shown_before(ctx, upcoming)
            meant = next((event for event in upcoming if event.id == shown_id), None)
        return priced(meant, ctx.lang) if meant is not None else None
    return found[0] if len(found) == 1 else None


async def answer_from_description(
    ctx: Context, text: str, instead: bool, of_choices: bool
) -> Reply | None:
    """The sentences of one upcoming event's description that answer `text`, quoted with
    the event's details one press away; None when no one event's says it. `instead` of the
    FAQ's choices or a hand-off, a question naming no event is read against the one just
    shown; below a direct answer it is not ("Wie werde ich Mitglied?" under an event's
    details is about membership, not the description's "für Mitglieder 120 €"). A question
    about no event at all is read against every description by a rare word, but not instead
    of choices the FAQ is sure of (`of_choices`): "gibts Fördermittel?" is its entry on
    funding, not an event's "Förderprogramme"."""
    found = await passage_for(ctx, text, shown=instead, by_rare_word=not of_choices)
    if found is None:
        return None
    details = Button(ctx.t("events.btn_details"), f"ev:show:{found.event.id}")
    return Reply(text=quoted(ctx, found), buttons=((details,),))


async def event_meant(ctx: Context, text: str) -> str | None:
    """The event a question means, as the office reads it beside the question (its title and
    date): one pointing back means `event_meant_before`; one that does not ("where can I
    park"), the one event whose details or sign-up the member was just shown, else, asking
    about attending, the one the message before named (`event_asked_next`); one naming
    events, the one it names, or of those it names the one just shown."""
    upcoming = await visible_upcoming(ctx)
    named = named_about_events(text)
    if asks_about_before(text) and not points_into_itself(text):
        meant = event_meant_before(ctx, upcoming)
    elif not named.names_event and not named.general:
        meant = event_asked_next(ctx, upcoming, text)
    else:
        shown = event_shown_before(ctx)
        if named.names_event:  # "is the tour in English?" right after joining the excursion
            tz = ctx.services.settings.network.tz
            # "morgen in Goslar" is not the forum in Goslar in February
            chosen = pick(named, upcoming, tz, today=local_today(ctx))
            shown = chosen[0].id if len(chosen) == 1 else shown
            upcoming = chosen
        meant = next((event for event in upcoming if event.id == shown), None)
    if meant is None:
        return None
    tz = ctx.services.settings.network.tz
    return f"{title_in(ctx.lang, meant)} ({short_when(ctx.lang, meant, tz)})"


# The member's own language, not an event's: the bot's or the profile's, set or changed.
_OWN_LANGUAGE = re.compile(
    r"\b(bot|bots|profil\w*|profile|umstell\w*|stelle\w*\s+\w+\s+um|änder\w*|aender\w*|"
    r"switch\w*|chang\w*|set)\b",
    re.IGNORECASE,
)


async def language_asked_of(ctx: Context, text: str) -> str | None:
    """The event whose language a question asks ("Ist das Forum auf Englisch?", "is the
    symposium in English?", "gibt es da einen Dolmetscher?"), as the office reads it beside
    the question: one event it names, or the one it points back to. Only its description
    or the office knows that; the FAQ's entry on the bot's language only shares the word.
    None for other questions, and for the member's own language ("Kann ich die Sprache des
    Bots beim Symposium umstellen?")."""
    if not asks_language(text) or _OWN_LANGUAGE.search(text):
        return None
    upcoming = await visible_upcoming(ctx)
    named = named_about_events(text)
    if named.names_event:
        chosen = pick(named, upcoming, ctx.services.settings.network.tz)
        meant = chosen[0] if len(chosen) == 1 else None
    elif asks_about_before(text):
        meant = event_meant_before(ctx, upcoming)
    else:
        meant = None
    if meant is None:
        return None
    tz = ctx.services.settings.network.tz
    return f"{title_in(ctx.lang, meant)} ({short_when(ctx.lang, meant, tz)})"


async def price_asked_of(ctx: Context, text: str) -> str | None:
    """The event whose price a question asks, pointing back to it right after its details,
    its sign-up or a question naming it ("was kostet das da für Mitglieder?", "how much is
    it for members?"), as the office reads it beside the question. Only its description or
    the office knows that: the FAQ's entry on the membership fee shares the words "kostet"
    and "Mitglieder" only. None for other questions, and where the membership itself is
    asked about ("Was kostet die Mitgliedschaft?")."""
    if not asks_about_before(text) or names_membership_itself(text):
        return None
    if not any(COST_CONCEPTS.intersection(word.concepts) for word in words_of(text)):
        return None
    if named_about_events(text).names_event:
        return None  # "was kostet das Symposium": its own words (the FAQ reads them)
    meant = event_meant_before(ctx, await visible_upcoming(ctx))
    if meant is None:
        return None
    tz = ctx.services.settings.network.tz
    return f"{title_in(ctx.lang, meant)} ({short_when(ctx.lang, meant, tz)})"


async def answered_only_by_name(ctx: Context, text: str, answer_texts: Sequence[str]) -> bool:
    """Whether a question naming an event asks something ("parken", "lunch") that none of
    `answer_texts` (the entry matched) says: it matched by the event's name alone."""
    named = named_about_events(text)
    if not named.names_event:
        return False
    events = pick(named, await visible_upcoming(ctx), ctx.services.settings.network.tz)
    asked = _asked_words(text, events)
    if not asked:
        return False  # "Was ist das Innovationsforum?": the name is all it asks
    said = [sentence for answer in answer_texts for sentence in sentences(answer)]
    return not any(_says(sentence, word) for sentence in said for word in asked)


# The upcoming events whose names `events_for_office` puts in the admin's language.
OFFICE_EVENTS = 50


async def events_for_office(services: Services, text: str, lang: str) -> str:
    """`text` (what a ticket is about) with each upcoming event named in the other language
    (its title and date, as `event_meant` names it) named in `lang`: a German office reads
    an English member's "Innovation Forum … (Wed …)" as "Innovationsforum … (Mi …)"."""
    if not text:
        return text
    tz = services.settings.network.tz
    now = services.clock()
    read = partial(event_store.upcoming_now, after=now, limit=OFFICE_EVENTS)
    for event in await services.db.run_read(read):
        wanted = f"{title_in(lang, event)} ({short_when(lang, event, tz)})"
        for other in ("de", "en"):
            if other != lang:
                text = text.replace(
                    f"{title_in(other, event)} ({short_when(other, event, tz)})", wanted
                )
    return text


def register(router: Router) -> None:
    router.names_for_office(events_for_office)
    router.answers_from_records(answer_from_description)
    router.tells_what_is_meant(event_meant)
    router.tells_when_matched_by_name(answered_only_by_name)
    router.tells_what_only_records_say(language_asked_of)
    router.tells_what_only_records_say(price_asked_of)
