"""Questions an upcoming event's own description answers ("Gibt es bei der Exkursion ein
Mittagessen?" where it says "gemeinsames Mittagessen"; "muss ich Sicherheitsschuhe
mitbringen?" where one excursion's says so): the sentences that say it, quoted, instead of a
ticket the office answers with what it already wrote.

Asked by the FAQ where its direct answer, if any, says nothing of what those sentences say
(`Router.answers_from_records`; the FAQ adds the offer to pass the question on). A question
that names events is read against theirs, by any word that names neither the event nor a
kind of event; one that names none only by a word rare in general language, found in one
event's description alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.context import Context
from bot.messages import Button, Reply
from bot.router import Router
from handlers.events import live
from handlers.events.naming import (
    Word,
    event_stems,
    is_function_word,
    kind_of,
    named_in_message,
    pick,
    specificity,
    words_of,
)
from handlers.events.render import description_in, short_when, title_in
from storage.events import Event

# A description sentence: up to a full stop, semicolon, question or exclamation mark.
_SENTENCE = re.compile(r"[^.;!?\n]+[.;!?]?")
# A question naming no event is read against descriptions only by a word this long and rare
# (`Analyzer.specificity` 1: rarer than everyday words): "Sicherheitsschuhe", not "Essen".
RARE_MIN_LENGTH = 6
# A German word that ends a description's compound ("Essen" of "Mittagessen") says it from
# this many letters; shorter ones end too many words.
HEAD_MIN_LENGTH = 4
MAX_QUOTED = 300


@dataclass(frozen=True)
class Passage:
    event: Event
    sentences: tuple[str, ...]


def _asked_words(text: str, events: Sequence[Event]) -> list[Word]:
    """The question's words that may be about something at an event: no function word, no
    kind of event, no word of these events' titles or places."""
    naming = frozenset().union(*(event_stems(event) for event in events))
    return [
        word
        for word in words_of(text)
        if not is_function_word(word) and kind_of(word) is None and word.stem not in naming
    ]


def _says(sentence: str, word: Word, *, compounds: bool = True) -> bool:
    """Whether a description sentence says the question's word: the same stem or concept, or
    (`compounds`: German) a compound of it ending with the word, its head ("Mittagessen"
    says "Essen"; "Teilnahmegebühr" is a fee, it does not say "Teilnahme")."""
    for said in words_of(sentence):
        if said.stem == word.stem or set(said.concepts) & set(word.concepts):
            return True
        head = len(said.folded) > len(word.folded) >= HEAD_MIN_LENGTH
        if compounds and head and said.folded.endswith(word.folded):
            return True
    return False


def passages(
    text: str, events: Sequence[Event], named: bool, lang: str, covered: str = ""
) -> list[Passage]:
    """The events whose description says what `text` asks and `covered` (another answer)
    does not, with the sentences that say it; `named`: the question names these events (else
    a rare word must say it)."""
    others = [s for s in _SENTENCE.findall(covered) if s.strip()]
    words = [
        w
        for w in _asked_words(text, events)
        if not any(_says(s, w, compounds=lang == "de") for s in others)
    ]
    if not named:
        words = [
            w for w in words if len(w.folded) >= RARE_MIN_LENGTH and specificity(w.folded) >= 1.0
        ]
    found = []
    for event in events:
        german = lang == "de" or not event.description_en
        sentences = [
            s.strip().rstrip(";").rstrip() for s in _SENTENCE.findall(description_in(lang, event))
        ]
        said = tuple(
            s for s in sentences if s and any(_says(s, w, compounds=german) for w in words)
        )
        if said:
            found.append(Passage(event, said))
    return found


async def answer_from_description(ctx: Context, text: str, covered: str) -> Reply | None:
    """The sentences of one upcoming event's description that answer `text` beyond what
    `covered` says (the FAQ's direct answer), quoted with the event's details one press
    away; None when no one event's says it."""
    upcoming = await live.visible_upcoming(ctx)
    named = named_in_message(text)
    events = pick(named, upcoming, ctx.services.settings.network.tz) if named.names_event else []
    found = passages(text, events or upcoming, bool(events), ctx.lang, covered)
    if len(found) != 1:
        return None  # none, or several events' (the office knows which is meant)
    event, said = found[0].event, " ".join(found[0].sentences)
    tz = ctx.services.settings.network.tz
    quoted = said if len(said) <= MAX_QUOTED else said[: MAX_QUOTED - 1].rstrip() + "…"
    return Reply(
        text=ctx.t(
            "events.described",
            title=title_in(ctx.lang, event),
            when=short_when(ctx.lang, event, tz),
            said=quoted,
        ),
        buttons=((Button(ctx.t("events.btn_details"), f"ev:show:{event.id}"),),),
    )


def register(router: Router) -> None:
    router.answers_from_records(answer_from_description)
