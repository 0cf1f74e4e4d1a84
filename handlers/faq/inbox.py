"""The office's work on handed-off questions, as plain functions the chat and the web call.

- `answer`: the office's own answer, sent to the member through the outbox; one plainly in
  the other language than the question's is held back (`WrongLanguage`) unless sent anyway.
- `answer_with_entry`: an entry's answer sent to the member, the question not learned (the
  entry helps this once, but does not answer such questions).
- `plan_learning` + `learn_into_entry`: a ticket's question becomes a learned phrasing of an
  entry, confirmed at once (`/learn N ENTRY`, see learning.py); the ticket is closed and the
  member gets the entry's answer once.
- `likely_for`: the entries the engine ranks first for a ticket's question read with what it
  points back to, offered to the office to answer it with: one rule for the admins' chat
  alert, /inbox and the dashboard's inbox card (`likely_entries` for a page of tickets).
- `learn_new_entry`: tickets become a new entry with a title and an answer in German, in
  English or in both (`/learn N new ID`, or a suggestion accepted on the dashboard); each
  member's question is a phrasing, never the title (a learned one when the entry has no
  version in its language: the member reads the other one, told so), and each open ticket is
  closed and answered once.
- A ticket the member withdrew (handlers/faq/mine.py) is answered and learned by none of
  these (`refuse_withdrawn`); `recently_withdrawn` is what the office's inbox shows of them.
- `close`: the office closes an open ticket without answering it (the member signed up
  through the offer beside the hand-off, or was helped on the phone): the member hears
  nothing, the admins' alerts lose their buttons, `recently_closed` lists it for a week. It
  may still be answered (`answer`) or taught (`/learn`, which then sends nothing).
- `taken_over`: the questions members turned into what an offer beside the hand-off started
  (a partner search, sent): no longer open, listed apart for a week with what carries them.
  The office may still answer one (`answer`, told what carries it); `/learn` teaches the bot
  from one without sending the entry's answer.

Errors the admin can fix are `UserError`s (an entry's problems `InvalidEntry`, naming the
field); nothing is stored then.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import enqueue_for_member
from bot.errors import UserError
from bot.flows import is_skip_word
from bot.i18n import LANGUAGES, InLanguages, Markup, t
from bot.messages import Reply, shorten
from bot.services import Services
from bot.textmatch.analyzer import reads_english, reads_german
from bot.textmatch.sentences import asks_about_before
from handlers.faq import alerts, learning
from handlers.faq.kb_format import LANGS, FaqEntry, InvalidEntry
from handlers.faq.learned import normalise
from handlers.faq.rules import (
    MAX_ANSWER_CHARS,
    MAX_PHRASING_CHARS,
    add_phrasing,
    answer_as_sent,
    clean_text,
    entry_name,
    fields_to_entry,
    named,
    normalise_id,
    row_to_fields,
    title_in,
    validate,
)
from handlers.faq.service import KbSnapshot, faq_service
from storage import faq, members
from storage.faq import EntryFields, FaqTicket
from storage.models import Member

log = logging.getLogger(__name__)

PREVIEW_CHARS = 300
# What `/learn N new ID` (or `/lernen N neu ID`) says instead of an entry.
NEW_WORDS = ("new", "neu")
# The texts a new entry needs: titles (its first phrasing) and answers, per language.
NEW_ENTRY_STEPS = ("tde", "ten", "ade", "aen")
# What became of the member who asked, per ticket (catalogue keys of the chat's reply).
SENT = "faq.learn_sent"
UNREACHABLE = "faq.learn_unreachable"
WAS_ANSWERED = "faq.learn_was_answered"
WAS_TAKEN = "faq.learn_was_taken"  # the member had taken it elsewhere (`taken_over`)
WAS_CLOSED = "faq.learn_was_closed"  # the office had closed it without an answer (`close`)

# Questions members took elsewhere (`taken_over`) stay listed for the office this long, this many.
TAKEN_FOR = timedelta(days=7)
TAKEN_SHOWN = 10
# The line for a ticket taken over by an offer no longer registered (a feature switched off).
TAKEN_OTHERWISE = "faq.offer_taken_other"


def likely_in(
    snapshot: KbSnapshot, text: str, lang: str, besides: Sequence[str] = ()
) -> list[FaqEntry]:
    """The entries that most likely answer `text`, best first, leaving out `besides` (what
    the member was shown and did not take)."""
    engine = snapshot.engine
    if engine is None:
        return []
    found = engine.suggested(text, lang, besides)
    return [snapshot.entries[r.entry_id] for r in found if r.entry_id in snapshot.entries]


def likely_for(
    snapshot: KbSnapshot,
    text: str,
    lang: str,
    *,
    context: str = "",
    shown: Sequence[str] = (),
) -> list[FaqEntry]:
    """The entries offered to the office for a ticket (its question `text`, its `context`,
    the entries its member was `shown`): the one rule behind the admins' chat alert, /inbox
    and the dashboard's card, so that the office sees the same suggestions everywhere.

    The question is read with what it points back to, as the bot read it and as the office
    learns it (`learn_into_entry`): "Gibt es dort vegane Verpflegung?" alone matches no
    entry, after "Worum geht es beim Symposium?" it is about the symposium. What the member
    was shown and did not take is left out: it did not answer them."""
    return likely_in(snapshot, read_with(context, text), lang, shown)


def read_with(context: str, text: str) -> str:
    """A ticket's question read with what it points back to, as the bot read it: beside the
    event it is about, the message before says what the member asked (the event's full title
    and date would read as words of their own: "REWIMET" is the network)."""
    said = context.partition(MEANT_AND_BEFORE)[2] or context
    return f"{said} {text}" if said else text


def taught_text(context: str, text: str) -> str:
    """What a ticket teaches as a phrasing: the member's question, with what it points back
    to only where it points back ("Gibt es da Parkplätze?"), an event by its title alone.
    "REWIMET Symposium … (Thu 2027-01-21, 09:00 – …) Can I bring my dog to the symposium?"
    had been learned: the event's title and date are words of a phrasing of their own."""
    if not asks_about_before(text):
        return text
    return read_with(_EVENT_WHEN.sub("", context), text)


# Between the event a question is about and the member's message before it, in a ticket's
# context ("REWIMET-Symposium (Mi 20.01.2027) · wie komme ich mit dem zug zum symposium?").
MEANT_AND_BEFORE = " · "
# The date and time a context's event label ends with ("… (Do 21.01.2027, 09:00 – …)").
_EVENT_WHEN = re.compile(r"\s*\([^()]*\d[^()]*\)(?=$|" + re.escape(MEANT_AND_BEFORE) + r")")


async def likely_entries(
    services: Services, items: Sequence[faq.InboxItem]
) -> dict[int, list[FaqEntry]]:
    """`likely_for` each open ticket of the inbox, by ticket number."""
    snapshot = await faq_service(services).snapshot()
    return {
        item.ticket.id: likely_for(
            snapshot,
            item.ticket.text,
            item.ticket.lang,
            context=item.ticket.context,
            shown=item.shown,
        )
        for item in items
    }


@dataclass(frozen=True)
class TakenOver:
    """A question its member turned into what a hand-off offer started: who asked, and the
    catalogue key of the line saying what carries it now (`{number}`: e.g. the request)."""

    ticket: FaqTicket
    member: Member
    line_key: str


def taken_key(services: Services, ticket: FaqTicket) -> str:
    """The catalogue key of the line saying what carries a ticket its member took over with
    a hand-off offer ("vom Mitglied als Partnersuche gestellt (Anfrage #{number})")."""
    offer = services.router.handoff_offers.get(ticket.offer or "")
    return (offer.taken_key if offer is not None else None) or TAKEN_OTHERWISE


async def taken_over(services: Services, session: AsyncSession) -> list[TakenOver]:
    """The questions members took over with a hand-off offer in the last `TAKEN_FOR`, the
    latest first: the office sees they wait for no answer (the inbox lists them apart), though
    one may still be given (`answer`)."""
    since = services.clock() - TAKEN_FOR
    found = await faq.taken_over(session, since=since, limit=TAKEN_SHOWN)
    return [TakenOver(ticket, member, taken_key(services, ticket)) for ticket, member in found]


def learnable(ticket: FaqTicket) -> bool:
    """Whether a ticket is offered to teach the bot: open, or answered by the office in its
    own words and not learned since (a withdrawn one never: learning it answers the member;
    one sent an entry's answer with "Nur senden, nicht lernen" never: the office chose)."""
    return ticket.status == faq.OPEN or (
        ticket.status == faq.ANSWERED
        and ticket.learned_entry_id is None
        and ticket.sent_entry_id is None
    )


def refuse_withdrawn(ticket: FaqTicket) -> None:
    """A ticket its member withdrew is answered by no one, by no way (`/answer`, `/learn`,
    the dashboard): the office hears so instead of sending."""
    if ticket.status == faq.WITHDRAWN:
        raise UserError("faq.ticket_withdrawn", ticket=ticket.id)


# The office sees what members withdrew (chat /inbox, the dashboard) this long, this many.
WITHDRAWN_SHOWN_FOR = timedelta(days=7)
WITHDRAWN_SHOWN = 10


async def recently_withdrawn(services: Services) -> tuple[int, list[FaqTicket]]:
    """How many tickets their members withdrew lately (`WITHDRAWN_SHOWN_FOR`), the latest
    first (at most `WITHDRAWN_SHOWN`)."""
    since = services.clock() - WITHDRAWN_SHOWN_FOR
    async with services.db.read() as session:
        return await faq.withdrawn_since(session, since=since, limit=WITHDRAWN_SHOWN)


async def recently_closed(services: Services) -> tuple[int, list[FaqTicket]]:
    """How many tickets the office closed without an answer lately (`WITHDRAWN_SHOWN_FOR`),
    the latest first (at most `WITHDRAWN_SHOWN`): listed as the withdrawn ones are."""
    since = services.clock() - WITHDRAWN_SHOWN_FOR
    async with services.db.read() as session:
        return await faq.settled_since(
            session, status=faq.CLOSED, since=since, limit=WITHDRAWN_SHOWN
        )


# Why a ticket cannot be closed, by its status (`close`): the catalogue key of the refusal.
NOT_CLOSED = {
    faq.CLOSED: "faq.close_already",
    faq.ANSWERED: "faq.close_answered",
    faq.WITHDRAWN: "faq.close_withdrawn",
}


async def close(services: Services, admin_id: int, ticket_id: int) -> None:
    """Close an open ticket without answering it: settled elsewhere (the member signed up
    through the events offer beside the hand-off, the office phoned them), so the member is
    sent nothing. The admins' alerts about it say so and lose their entry buttons, as for a
    withdrawn one: nobody sets out to answer it (but the closing admin's own: their reply
    says it). Refused with a `UserError` for a ticket
    that does not exist or is no longer open (saying what became of it)."""
    async with services.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id, for_update=True)
        if ticket is None:
            raise UserError("faq.unknown_ticket", ticket=ticket_id)
        if ticket.status == faq.OFFER_TAKEN:
            taken = taken_line(services, ticket)
            raise UserError("faq.close_taken", ticket=ticket_id, taken=taken)
        if ticket.status != faq.OPEN:
            raise UserError(NOT_CLOSED.get(ticket.status, "faq.close_already"), ticket=ticket_id)
        if not await faq.mark_closed(session, ticket_id=ticket_id, at=services.clock()):
            # answered or withdrawn a moment ago (SQLite has no row locks): nothing changed
            raise UserError("faq.close_already", ticket=ticket_id)
        await alerts.settle(session, ticket, alerts.closed, besides=admin_id)
    services.outbox_wakeup()
    log.info("ticket %s closed without an answer by member %s", ticket_id, admin_id)


def taken_line(services: Services, ticket: FaqTicket) -> InLanguages:
    """What carries a ticket its member took over, in whichever language the refusal is read
    ("als Partnersuche gestellt (Anfrage #3)")."""
    key, number = taken_key(services, ticket), ticket.offer_number or "?"
    return InLanguages(tuple((lang, str(t(lang, key, number=number))) for lang in LANGUAGES))


def preview(text: str) -> str:
    return shorten(text, PREVIEW_CHARS)


@dataclass(frozen=True)
class Answered:
    ticket_id: int
    again: bool  # the ticket had been answered before
    # The member had taken the question over with a hand-off offer (a partner search sent):
    # the line saying so (catalogue key), and the number of what carries it.
    taken_key: str | None = None
    taken_number: int | None = None

    def taken(self, lang: str) -> str | None:
        """ "vom Mitglied als Partnersuche gestellt (Anfrage #12)", or None."""
        if self.taken_key is None:
            return None
        return t(lang, self.taken_key, number=self.taken_number or "?")


def entry_asked(entries: Iterable[FaqEntry], text: str) -> FaqEntry | None:
    """The entry one of whose questions `text` is (its phrasings in either language, the
    taught ones too), case, spacing and punctuation aside; None for anything else.

    An office answer that is an entry's question was meant as "answer with that entry":
    sent, the member would get the bare question as the office's answer."""
    wanted = normalise(text)
    if not wanted:
        return None
    for entry in entries:
        for phrasings in (*entry.questions.values(), *entry.learned.values()):
            if any(normalise(phrasing) == wanted for phrasing in phrasings):
                return entry
    return None


class AnswerIsQuestion(UserError):
    """The office's answer is the question of an entry (`entry_asked`): nothing is sent;
    `entry_id` is the entry to answer with instead (`/learn N ENTRY`, the card's preview)."""

    def __init__(self, ticket_id: int, entry: FaqEntry) -> None:
        super().__init__("faq.answer_is_question", ticket=ticket_id, entry=entry_name(entry))
        self.entry_id = entry.id


class WrongLanguage(UserError):
    """The office's answer plainly reads in the other language than the question's (a German
    answer to an English question): nothing is sent unless the office sends it anyway.
    `lang` and `question` are the question's, `text` the answer as it would go out."""

    def __init__(self, ticket: FaqTicket, text: str) -> None:
        super().__init__("faq.answer_other_language", ticket=ticket.id)
        self.asked = Asked.of(ticket)
        self.text = text


def reads_other_language(text: str, lang: str) -> bool:
    """Whether an answer to a question asked in `lang` is plainly written in the other
    language, by the rule that picks the bot's own reply language: a German answer with an
    English name or two in it still reads German."""
    return reads_german(text) if lang == "en" else reads_english(text)


async def check_answer(services: Services, ticket_id: int, text: str) -> FaqTicket:
    """What `answer` refuses, checked without sending (an answer written anew after the
    language warning, shown before it goes): the same `UserError`s, `WrongLanguage` among
    them; the ticket when the answer may go."""
    reply = clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)
    if not reply:
        raise UserError("errors.nothing_written")
    asked = entry_asked((await faq_service(services).snapshot()).entries.values(), reply)
    if asked is not None:
        raise AnswerIsQuestion(ticket_id, asked)
    async with services.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id)
    if ticket is None:
        raise UserError("faq.unknown_ticket", ticket=ticket_id)
    refuse_withdrawn(ticket)
    if reads_other_language(reply, ticket.lang):
        raise WrongLanguage(ticket, reply)
    return ticket


async def answer(
    services: Services, admin_id: int, ticket_id: int, text: str, *, anyway: bool = False
) -> Answered:
    """Send the office's answer to the member who asked (outbox) and close the ticket.

    A ticket the member took over with a hand-off offer (a partner search sent) is answered
    too: the member did not take the question back, and an answer may still help; the
    office's confirmation says what carries it (`Answered.taken`). An entry's question is
    no answer (`entry_asked`): refused with `AnswerIsQuestion`, nothing sent. An answer in
    the other language than the question's is refused with `WrongLanguage` unless `anyway`:
    the member would get it under a header in their own language, unwarned."""
    reply = clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)
    if not reply:
        raise UserError("errors.nothing_written")
    asked = entry_asked((await faq_service(services).snapshot()).entries.values(), reply)
    if asked is not None:
        raise AnswerIsQuestion(ticket_id, asked)
    async with services.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id, for_update=True)
        if ticket is None:
            raise UserError("faq.unknown_ticket", ticket=ticket_id)
        refuse_withdrawn(ticket)
        if not anyway and reads_other_language(reply, ticket.lang):
            raise WrongLanguage(ticket, reply)
        asker = await members.get_member(session, ticket.member_id)
        assert asker is not None  # the ticket goes with the member
        if not await queue_answer(session, ticket, asker, reply):
            raise UserError("faq.asker_unreachable", ticket=ticket_id)
        again = ticket.status == faq.ANSWERED
        taken = ticket.status == faq.OFFER_TAKEN
        key, number = (taken_key(services, ticket), ticket.offer_number) if taken else (None, None)
        if not await faq.mark_answered(
            session, ticket_id=ticket.id, answer=reply, at=services.clock()
        ):  # withdrawn meanwhile (SQLite has no row locks): the queued answer is rolled back
            raise UserError("faq.ticket_withdrawn", ticket=ticket_id)
    services.outbox_wakeup()
    log.info("ticket %s answered by member %s", ticket_id, admin_id)
    return Answered(ticket_id, again, key, number)


async def answer_with_entry(
    services: Services, admin_id: int, ticket_id: int, entry_id: str
) -> Answered:
    """Send an entry's answer to the member of an open ticket and close it, without teaching
    the bot its question: the entry helps this member, but does not answer such a question
    (a symposium entry for a question about hotel discounts). The ticket is not offered for
    teaching again (`learnable`); `/learn` named by the office still teaches it."""
    entry = (await faq_service(services).snapshot()).entries.get(entry_id)
    if entry is None:
        raise UserError("faq.unknown_entry", id=entry_id)
    async with services.db.session() as session:
        ticket, asker = await _ticket_to_learn(services, session, ticket_id)
        if ticket.status != faq.OPEN:  # answered or taken over meanwhile: nothing more to send
            raise UserError("faq.send_only_closed", ticket=ticket_id)
        if not await _send_entry_answer(services, session, ticket, asker, entry, taught=False):
            raise UserError("faq.asker_unreachable", ticket=ticket_id)
    services.outbox_wakeup()
    log.info("ticket %s answered with %s by member %s", ticket_id, entry_id, admin_id)
    return Answered(ticket_id, again=False)


@dataclass(frozen=True)
class LearnPlan:
    """What learning a ticket needs: `need` lists the texts still to ask for (steps)."""

    ticket_id: int
    entry_id: str
    is_new: bool
    need: tuple[str, ...]
    question: str
    lang: str  # the question's: the member gets the answer in it
    # The member took the question over with a hand-off offer: learning sends them nothing.
    taken: bool = False
    # Learning sends the member the entry's answer (the ticket is open): the dashboard shows it
    # to the office first (`web.pages.inbox`).
    sends: bool = False
    # The office closed it without an answer (`close`): learning sends nothing either.
    closed: bool = False


async def plan_learning(services: Services, ticket_id: int, target: str, new_id: str) -> LearnPlan:
    """Check `/learn N ENTRY` or `/learn N new ID` and say which texts are still needed."""
    is_new = target.lower() in NEW_WORDS
    async with services.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id)
        if ticket is None:
            raise UserError("faq.unknown_ticket", ticket=ticket_id)
        if ticket.learned_entry_id is not None:
            raise await _learned_already(services, ticket)
        refuse_withdrawn(ticket)
        if is_new:
            if not new_id:
                raise UserError("faq.learn_needs_id", ticket=ticket_id)
            entry_id = await free_entry_id(session, new_id)
            need = list(NEW_ENTRY_STEPS)
        else:
            entry_id = await named_entry(services, session, target)
            row = await faq.get_entry(session, entry_id)
            if row is None:
                raise UserError("faq.unknown_entry", id=entry_id)
            need = missing_answers(row_to_fields(row), ticket)
    return LearnPlan(
        ticket_id,
        entry_id,
        is_new,
        tuple(need),
        preview(ticket.text),
        ticket.lang,
        ticket.status == faq.OFFER_TAKEN,
        ticket.status == faq.OPEN,
        ticket.status == faq.CLOSED,
    )


async def named_entry(services: Services, session: AsyncSession, target: str) -> str:
    """The id of the entry `target` names: its id, else its question as the office sees it
    (its title in German or English, then any of its own phrasings if only one entry has
    it), case, spacing and punctuation aside; else `target` itself, for the refusal."""
    entry_id = normalise_id(target)
    if entry_id is not None and await faq.get_entry(session, entry_id) is not None:
        return entry_id
    wanted = normalise(target)
    entries = (await faq_service(services).snapshot()).entries.values()
    titled = [
        e.id for e in entries if any(normalise(title_in(e, lang)) == wanted for lang in LANGS)
    ]
    phrased = [
        e.id
        for e in entries
        if any(normalise(p) == wanted for ps in e.questions.values() for p in ps)
    ]
    found = titled or phrased
    if wanted and len(found) == 1:
        return found[0]
    close = (
        close_ids(entry_id or wanted, [e.id for e in entries])
        or close_titles(wanted, entries)
        or close_tags(wanted, entries)
    )
    if close:  # "exkursion" for "exkursionen": named the way it is meant
        meant = tuple(e for e in entries if e.id in close)  # the web names them by question
        raise UserError(
            "faq.unknown_entry_close", id=target[:60], close=", ".join(close), entries=meant
        )
    return entry_id or target[:60]


# How alike (rapidfuzz ratio, 0-100) a mistyped id must be to an entry's to be suggested.
CLOSE_ID_SCORE = 75
CLOSE_IDS = 3
CLOSE_TITLE_SCORE = 80


def close_titles(typed: str, entries: Iterable[FaqEntry]) -> list[str]:
    """The ids of the entries whose question as the office sees it is most like `typed`
    ("junge fachkraefte netzwerk": the entry "Was bietet das Netzwerk für junge Fachkräfte?"),
    best first (rapidfuzz WRatio, which also weighs a part of the title)."""
    scored = [
        (max(fuzz.WRatio(typed, normalise(title_in(e, lang))) for lang in LANGS), e.id)
        for e in entries
    ]
    best = sorted((s for s in scored if s[0] >= CLOSE_TITLE_SCORE), key=lambda s: (-s[0], s[1]))
    return [entry_id for _score, entry_id in best[:CLOSE_IDS]]


# How alike a typed word must be to an entry's tag ("Mitgliedsbeiträge": "Mitgliedsbeitrag").
CLOSE_TAG_SCORE = 85


def close_tags(typed: str, entries: Iterable[FaqEntry]) -> list[str]:
    """The ids of the entries with a tag most like `typed` ("mitgliedsbeitrag" names the
    entry tagged "Mitgliedsbeitrag", whose id is "beitrag"), best first."""
    scored = [
        (max((fuzz.ratio(typed, normalise(tag)) for tag in e.tags), default=0.0), e.id)
        for e in entries
    ]
    best = sorted((s for s in scored if s[0] >= CLOSE_TAG_SCORE), key=lambda s: (-s[0], s[1]))
    return [entry_id for _score, entry_id in best[:CLOSE_IDS]]


def close_ids(typed: str, ids: Sequence[str]) -> list[str]:
    """The entry ids most like `typed`, best first ("exkursion": "exkursionen")."""
    found = process.extract(
        typed, ids, scorer=fuzz.ratio, limit=CLOSE_IDS, score_cutoff=CLOSE_ID_SCORE
    )
    return [str(match[0]) for match in found]


async def free_entry_id(session: AsyncSession, raw: str) -> str:
    entry_id = normalise_id(raw)
    if entry_id is None:
        raise UserError("faq.bad_id", id=raw[:60])
    if await faq.get_entry(session, entry_id) is not None:
        raise UserError("faq.id_taken", id=entry_id)
    return entry_id


def missing_answers(fields: EntryFields, ticket: FaqTicket) -> list[str]:
    """The answer an entry still needs: in the question's language (a phrasing needs its
    answer, and the member who asked gets it in that language)."""
    have = {"de": fields.answer_de, "en": fields.answer_en}
    return [f"a{lang}" for lang in ("de", "en") if lang == ticket.lang and not have[lang]]


@dataclass(frozen=True)
class Learned:
    """The entry a learning went into and, per ticket, what the member got (SENT …)."""

    entry_id: str
    is_new: bool
    outcomes: dict[int, str] = field(default_factory=dict)
    skipped: tuple[int, ...] = ()  # tickets learned meanwhile or erased (groups only)


async def learn_into_entry(
    services: Services,
    admin_id: int,
    ticket_id: int,
    entry_id: str,
    answers: Mapping[str, str] | None = None,
) -> Learned:
    """The ticket's question as a learned phrasing of an existing entry; `answers`
    ("de"/"en") fill the answers the entry lacks (see `missing_answers`, asked for first)."""
    given = {lang: text for lang, text in (answers or {}).items() if text.strip()}
    async with services.db.session() as session:
        ticket, asker = await _ticket_to_learn(services, session, ticket_id)
        row = await faq.get_entry(session, entry_id, for_update=True)
        if row is None:
            raise UserError("faq.unknown_entry", id=entry_id)
        current = row_to_fields(row)
        fields = dataclasses.replace(
            current,
            answer_de=given.get("de", current.answer_de),
            answer_en=given.get("en", current.answer_en),
        )
        missing = missing_answers(fields, ticket)
        if missing:
            raise InvalidEntry("faq.learn_needs_text", missing[0], f"{missing[0]} is empty")
        checked = validate(fields)
        outcomes = await _close(services, session, [(ticket, asker)], checked)
        # The question is a learned phrasing (confirmed: the office taught it), not a line of
        # the entry: the dashboard lists it with the other learned ones.
        await learning.record_office(
            session,
            member_id=ticket.member_id,
            entry_id=entry_id,
            # a follow-up with what it points back to: "Können auch Studierende daran
            # teilnehmen?" alone would teach the entry "Studierende, teilnehmen"
            text=taught_text(ticket.context, ticket.text),
            lang=ticket.lang,
            entry_phrasings=[*checked.questions_de, *checked.questions_en],
            at=services.clock(),
        )
    await _refreshed(services)
    log.info("ticket %s learned into %s by member %s", ticket_id, entry_id, admin_id)
    return Learned(entry_id, False, outcomes)


@dataclass(frozen=True)
class NewEntry:
    """A new entry as the office writes it; `phrasings` are further (lang, text) questions."""

    id: str
    title_de: str
    title_en: str
    answer_de: str
    answer_en: str
    phrasings: tuple[tuple[str, str], ...] = ()


async def learn_new_entry(
    services: Services,
    admin_id: int,
    ticket_ids: Sequence[int],
    draft: NewEntry,
    *,
    skip_closed: bool = False,
) -> Learned:
    """A new entry in both languages from tickets (each question becomes a phrasing); every
    open ticket is closed and its member answered once, in their language.

    A ticket learned, withdrawn or erased meanwhile is an error, or with `skip_closed` (a
    group of questions) left out.
    """
    async with services.db.session() as session:
        entry_id = await free_entry_id(session, draft.id)
        fields = EntryFields(
            id=entry_id,
            tags=[],
            questions_de=[draft.title_de] if draft.title_de.strip() else [],
            questions_en=[draft.title_en] if draft.title_en.strip() else [],
            answer_de=draft.answer_de,
            answer_en=draft.answer_en,
        )
        _require_a_language(fields)
        learning: list[tuple[FaqTicket, Member]] = []
        skipped: list[int] = []
        for ticket_id in dict.fromkeys(ticket_ids):
            try:
                learning.append(await _ticket_to_learn(services, session, ticket_id))
            except UserError:
                if not skip_closed:
                    raise
                skipped.append(ticket_id)
        # A question in a language the entry has no version in cannot be one of its own
        # phrasings (it would need an answer in that language): it is learned (below).
        elsewhere = [ticket for ticket, _asker in learning if not _has_version(fields, ticket.lang)]
        for ticket, _asker in learning:
            if ticket not in elsewhere:
                phrasing = clean_text(ticket.text, limit=MAX_PHRASING_CHARS)
                fields = add_phrasing(fields, ticket.lang, phrasing)
        for lang, text in draft.phrasings:
            phrasing = clean_text(text, limit=MAX_PHRASING_CHARS)
            if phrasing and lang in ("de", "en"):
                fields = add_phrasing(fields, lang, phrasing)
        checked = validate(fields)
        outcomes = await _close(services, session, learning, checked)
        for ticket in elsewhere:
            await _learned_elsewhere(session, ticket, checked, services)
    await _refreshed(services)
    log.info("tickets %s learned as new entry %s by member %s", ticket_ids, entry_id, admin_id)
    return Learned(entry_id, True, outcomes, tuple(skipped))


def _has_version(fields: EntryFields, lang: str) -> bool:
    return bool(fields.answer_de if lang == "de" else fields.answer_en)


def _require_a_language(fields: EntryFields) -> None:
    """A new entry has a title and an answer in German, in English or in both: an office
    that writes in one language leaves the other out (its members read this one, told so).
    A title without its answer, or an answer without its title, is not a version; a word
    saying "skip" is no text."""
    texts = {
        "de": (" ".join(fields.questions_de), fields.answer_de),
        "en": (" ".join(fields.questions_en), fields.answer_en),
    }
    given = {lang for lang, pair in texts.items() if any(_is_text(text) for text in pair)}
    for lang in sorted(given) or ["de"]:
        for name, text in zip((f"q{lang}", f"a{lang}"), texts[lang], strict=True):
            if not _is_text(text):
                raise InvalidEntry("faq.learn_needs_text", name, f"{name} is empty")


def _is_text(value: str) -> bool:
    return bool(value.strip()) and not is_skip_word(value)


async def _learned_elsewhere(
    session: AsyncSession, ticket: FaqTicket, checked: EntryFields, services: Services
) -> None:
    """The ticket's question as the office's learned phrasing of the entry `checked`."""
    await learning.record_office(
        session,
        member_id=ticket.member_id,
        entry_id=checked.id,
        text=taught_text(ticket.context, ticket.text),
        lang=ticket.lang,
        entry_phrasings=[*checked.questions_de, *checked.questions_en],
        at=services.clock(),
    )


async def _learned_already(services: Services, ticket: FaqTicket) -> UserError:
    """The refusal to learn a ticket twice, naming the entry it went into by its question."""
    entries = (await faq_service(services).snapshot()).entries
    entry = named(entries, ticket.learned_entry_id or "?")
    return UserError("faq.learn_already", ticket=ticket.id, entry=entry)


async def _ticket_to_learn(
    services: Services, session: AsyncSession, ticket_id: int
) -> tuple[FaqTicket, Member]:
    ticket = await faq.get_ticket(session, ticket_id, for_update=True)
    if ticket is None:  # the member used /forget meanwhile
        raise UserError("faq.unknown_ticket", ticket=ticket_id)
    if ticket.learned_entry_id is not None:
        raise await _learned_already(services, ticket)
    refuse_withdrawn(ticket)
    asker = await members.get_member(session, ticket.member_id)
    assert asker is not None
    return ticket, asker


async def _close(
    services: Services,
    session: AsyncSession,
    tickets: Sequence[tuple[FaqTicket, Member]],
    checked: EntryFields,
) -> dict[int, str]:
    """Store the entry, mark the tickets learned and answer each open one's member."""
    outcomes: dict[int, str] = {}
    for ticket, _asker in tickets:
        if not await faq.mark_learned(session, ticket_id=ticket.id, entry_id=checked.id):
            # another admin was quicker (SQLite has no row locks): nothing is stored
            raise await _learned_already(services, ticket)
    if await faq.upsert_entry(session, checked) != "unchanged":
        await faq.bump_revision(session)
    for ticket, asker in tickets:
        was = {faq.OFFER_TAKEN: WAS_TAKEN, faq.CLOSED: WAS_CLOSED}
        outcomes[ticket.id] = was.get(ticket.status, WAS_ANSWERED)
        if ticket.status == faq.OPEN:
            entry = fields_to_entry(checked)
            queued = await _send_entry_answer(services, session, ticket, asker, entry)
            outcomes[ticket.id] = SENT if queued else UNREACHABLE
    return outcomes


async def _send_entry_answer(
    services: Services,
    session: AsyncSession,
    ticket: FaqTicket,
    asker: Member,
    entry: FaqEntry,
    *,
    taught: bool = True,
) -> bool:
    """Queue an entry's answer for the member of an open ticket and mark it answered (not
    `taught`: sent without teaching the question); False: the member is unreachable (the
    ticket is answered all the same)."""
    reply, used = answer_as_sent(services.router, entry, ticket.lang)
    # an entry only in the other language says so, as the bot's own answer does
    note = t(ticket.lang, "faq.only_other_language") if used != ticket.lang else ""
    queued = await queue_answer(session, ticket, asker, reply, note=note)
    sent_entry = None if taught else entry.id
    if not await faq.mark_answered(
        session, ticket_id=ticket.id, answer=reply, at=services.clock(), sent_entry_id=sent_entry
    ):  # withdrawn meanwhile: nothing of this is stored or sent
        raise UserError("faq.ticket_withdrawn", ticket=ticket.id)
    return queued


async def _refreshed(services: Services) -> None:
    services.outbox_wakeup()
    await faq_service(services).snapshot(fresh=True)


@dataclass(frozen=True)
class Asked:
    """What a ticket's member asked, kept apart from the session that read it."""

    ticket_id: int
    lang: str
    question: str
    context: str

    @classmethod
    def of(cls, ticket: FaqTicket) -> Asked:
        return cls(ticket.id, ticket.lang, ticket.text, ticket.context)


def as_member_reads(asked: Asked, reply: str) -> Markup:
    """The office's answer as its member reads it: under their question, and what the
    question pointed back to ("brauch ich da Sicherheitsschuhe?" of an excursion, answered
    days later), in the language they asked in."""
    context = asked.context.strip()
    # Markup: the line is escaped already (a str would be escaped again: "Professionals&#x27;")
    pointed = Markup("\n" + t(asked.lang, "faq.office_answer_context", context=preview(context)))
    return t(
        asked.lang,
        "faq.office_answer",
        ticket=asked.ticket_id,
        question=preview(asked.question),
        context=pointed if context else "",
        answer=reply,
    )


async def queue_answer(
    session: AsyncSession, ticket: FaqTicket, asker: Member, reply: str, *, note: str = ""
) -> bool:
    """The office's answer to the member who asked, in the language they asked in (a member
    who chose German and asks in English reads the bot's replies in English too); `note`
    (markup) below it. False: unreachable."""
    body = as_member_reads(Asked.of(ticket), reply)
    if note:
        body = Markup(f"{body}\n\n{note}")
    queued = await enqueue_for_member(
        session, member=asker, reply=Reply(text=body), kind="office_answer"
    )
    return queued is not None
