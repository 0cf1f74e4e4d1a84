"""A member's question in a private chat: answer, offer choices, or hand it to the office.

Buttons carry the number of the logged question, never the entry or the text, and every press
is checked against the member who asked: `faq:c:Q:I` picks choice I, `faq:fb:Q:1|0` is the
feedback, `faq:ho:Q` hands the question to the office, `faq:of:Q:NAME` starts what another
feature offers beside a hand-off (`bot.router.HandoffOffer`: partner search's "find members who
can help"), with the question's text read back from the log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.messages import (
    KEEPS_CHOICES,
    MORE_PRESSES,
    NO_GOES_ON,
    NO_PRESSES,
    NOT_HELPFUL_PRESSES,
    TYPED_OFFER,
    YES_ASKS_WHICH,
    YES_PRESSES,
    Button,
    Reply,
    shorten,
)
from bot.recent import Key, RecentTexts
from bot.router import HandoffOffer, Router
from bot.textmatch import reply_language
from bot.textmatch.sentences import (
    asks,
    asks_about_before,
    asks_more_than_before,
    asks_of_what_came_before,
    names_by_the_article_alone,
    parts,
    points_into_itself,
    questions,
    sentences,
    without_joiner,
)
from handlers.faq import alerts, inbox, learning, mine
from handlers.faq.about_us import abilities_questions, about_us, network_questions
from handlers.faq.engine import FaqDecision
from handlers.faq.inbox import MEANT_AND_BEFORE
from handlers.faq.kb_format import LANGS, FaqEntry
from handlers.faq.rules import (
    MAX_TITLE_CHARS,
    answer_as_sent,
    question_language,
    question_text,
    same_question,
    title_in,
    topic_label,
)
from handlers.faq.service import KbSnapshot, faq_service
from handlers.faq.small_talk import small_talk, too_short_for_the_office
from storage import faq
from storage.faq import REFUSED, FaqQuestion, QuestionLog

log = logging.getLogger(__name__)

HANDOFF = FaqDecision("handoff", (), ())
# More open tickets than this that one member asked the office for are not passed on (a
# stuck key, a spammer); beyond as many the bot handed on by itself, it asks first.
MAX_OPEN_TICKETS = 5
# A message asking several things gets at most this many answers, one per question.
MAX_ANSWERS = 3
# ... and at most this many of its other questions get choices or a ticket of their own.
MAX_LEFT_OPEN = 2


def decide(snapshot: KbSnapshot, question: str, lang: str) -> FaqDecision | None:
    """The matcher's decision (entries and learned phrasings); None when the message holds
    nothing to match (a greeting)."""
    matcher = snapshot.matcher
    if matcher is None:
        return HANDOFF
    slots = matcher.analyzer.slots(question, lang)
    decision = matcher.match_slots(slots, lang, text=question)
    if not slots and decision.kind != "answer":
        return None  # nothing to match, unless it is a phrasing word for word ("What can you do?")
    return decision


@dataclass(frozen=True)
class Verdict:
    """What `ask` does with a question, decided without a chat (the dashboard tries it too).

    `kind`: "small_talk" (`talk` says which), "greeting" (nothing to match), "too_short" (a
    hand-off too short for the office), "answer", "choices" or "handoff"; for a follow-up
    also "said_above" (the answer before it is all the knowledge base has on it).
    """

    kind: str
    decision: FaqDecision | None = None
    entry_ids: tuple[str, ...] = ()
    talk: str | None = None


def verdict(snapshot: KbSnapshot, question: str, lang: str) -> Verdict:
    """The rule behind `ask`: small talk, answer, choices or hand-off (`question` cleaned)."""
    talk = small_talk(question)
    if talk is not None:
        return Verdict("small_talk", talk=talk)
    asked = about_us(question)
    if asked == "bot":
        return Verdict("small_talk", talk="about_bot")
    if asked is not None:
        asked_instead = network_questions if asked == "network" else abilities_questions
        named = _answered_instead(snapshot, asked_instead(lang), lang)
        if named is not None:
            return named
        if asked == "abilities":
            return Verdict("small_talk", talk="about_bot")
    decision = decide(snapshot, question, lang)
    if decision is None:
        return Verdict("greeting")
    known = tuple(e for e in decision.entry_ids if e in snapshot.entries)
    kind = decision.kind if known or decision.kind == "handoff" else "handoff"
    if kind == "handoff" and too_short_for_the_office(question):
        return Verdict("too_short", decision)
    return Verdict(kind, decision, known if kind != "handoff" else ())


def _answered_instead(snapshot: KbSnapshot, questions: Sequence[str], lang: str) -> Verdict | None:
    """The entry the knowledge base answers directly for the first of `questions` it answers
    (the network's name, what the bot can do), if any."""
    for named in questions:
        decision = decide(snapshot, named, lang)
        if decision is None or decision.kind != "answer":
            continue
        if decision.entry_ids[0] in snapshot.entries:
            return Verdict("answer", decision, decision.entry_ids[:1])
    return None


@dataclass(frozen=True)
class Part:
    """A question of a message asking several things, and what it gets on its own (read
    after the sentence it points back to: "Was kostet die Mitgliedschaft? Kann ich das in
    Raten zahlen?")."""

    sentence: str
    found: Verdict


@dataclass(frozen=True)
class Several:
    """The questions of a message that asks several things: those answered on their own,
    one per entry, and those left open (offered choices, handed off, or too short)."""

    answered: tuple[Part, ...]
    left_open: tuple[Part, ...]
    # Both, in the order asked.
    asked: tuple[Part, ...] = ()


def several_answers(snapshot: KbSnapshot, question: str, lang: str) -> Several | None:
    """Each asking sentence of a message matched on its own (one pointing back, after the
    sentence before it), when one answer for the whole would leave others unsaid: at least
    two get a direct answer with different entries ("Was kostet die Mitgliedschaft? Und wie
    erreiche ich die Geschäftsstelle?"), or one does and another gets choices or no entry
    ("… Darf ich meinen Hund mitbringen?"). A question that gets the answer of one before it
    (or choices led by it) asks more than that answer says when it has words of its own
    ("… Kann ich das auch in Raten zahlen?"; not "… Wie geht das?"): the office's. Two
    questions in one sentence count as two ("Was kostet die Mitgliedschaft und wie erreiche
    ich die Geschäftsstelle?": `parts`)."""
    written = parts(question)
    answered: list[Part] = []
    left_open: list[Part] = []
    asked: list[Part] = []
    for index, sentence in enumerate(written):
        if not asks(sentence):
            continue
        points_back = index > 0 and asks_about_before(sentence)
        text = f"{written[index - 1]} {sentence}" if points_back else sentence
        # "Ich möchte Mitglied werden. Wie geht das?": one question, in two sentences; not
        # where this one asks more of its own ("Was für Förderprogramme gibt es? Und wen kann
        # ich da anrufen?"): the one before stays a question of its own, this one read after it
        before_said = left_open and left_open[-1].sentence == written[index - 1]
        if points_back and before_said and not asks_more_than_before(sentence):
            sentence = text
            asked.remove(left_open.pop())
        found = verdict(snapshot, text, lang)
        if (
            points_back
            and found.kind != "answer"
            and asks_more_than_before(sentence)
            and not asks_of_what_came_before(sentence)
        ):
            # read after a question of its own it found nothing sure ("What funding is there?
            # And who do I call about it?"): alone it may ("who do I call"); not one asking
            # about what came before ("… is it in German or English?": the symposium's
            # language, not the bot's)
            alone = verdict(snapshot, sentence, lang)
            found = alone if alone.kind == "answer" else found
        known = {part.found.entry_ids[0] for part in answered}
        if found.kind in ("answer", "choices") and found.entry_ids[0] in known:
            # About what was answered: the answer says it ("Wie hoch ist der Beitrag?" again,
            # "Wie geht das?"), or the question asks more ("Kann ich das in Raten zahlen?").
            if (
                not points_back
                or not asks_more_than_before(sentence)
                or verdict(snapshot, sentence, lang).kind == "greeting"
            ):
                continue
            found = Verdict("handoff", found.decision)
        if found.kind == "answer":
            answered.append(Part(sentence, found))
            asked.append(answered[-1])
        elif found.kind in ("choices", "handoff", "too_short"):
            left_open.append(Part(sentence, found))
            asked.append(left_open[-1])
    if len(answered) < 2 and not (answered and left_open):
        return None
    kept = answered[:MAX_ANSWERS] + left_open[:MAX_LEFT_OPEN]
    in_order = tuple(part for part in asked if any(part is k for k in kept))
    return Several(tuple(answered[:MAX_ANSWERS]), tuple(left_open[:MAX_LEFT_OPEN]), in_order)


@dataclass(frozen=True)
class FollowUp:
    """A question pointing back to the member's message before it ("Was kostet das?" after
    "Wie melde ich mich zum Symposium an?"), and what it gets read with that message."""

    question: str
    before: str
    found: Verdict

    @property
    def text(self) -> str:
        """What was read: the message before, then the question."""
        return f"{self.before} {self.question}"


def follow_up(snapshot: KbSnapshot, before: str, question: str, lang: str) -> FollowUp | None:
    """`question` read with `before`, the member's message just before it, when it asks one
    thing and points back to it ("Kann ich das in Raten zahlen?", "How much does it cost?");
    None when it is to be read alone (it does not point back, it asks several things, or
    what it points to is in the message itself, or there is nothing before to point to, or
    `before` points back itself).

    Only the question is answered. One without words of its own ("Wie geht das?") asks what
    `before` asked: it gets "said_above" when that got an answer or choices (never another
    entry that only shares its words: "Worum geht es beim Symposium?"), or goes to the office
    as `before` did. One with words of its own is read after `before`; when that lands on
    what answered `before` (or on the choices it got), it asks more than that answer says,
    for the office ("Kann ich das in Raten zahlen?")."""
    written = parts(question)  # two questions in one sentence are no follow-up
    asking = [sentence for sentence in written if asks(sentence)]
    if not before or len(asking) != 1 or not _points_back(snapshot, question, lang, asking[0]):
        return None
    if asks_about_before(sentences(before)[0]):
        return None  # a follow-up itself ("Was kostet das?" twice): what it meant is unknown
    if any(small_talk(sentence) is None for sentence in written[: written.index(asking[0])]):
        return None  # "Wir sind ein Start-up. Was kostet das?": "das" is in the message
    if points_into_itself(asking[0]):
        return None  # "wie kündige ich, gibts da ne frist?": "da" is the clause before it
    before_lang = question_language(before, lang)
    earlier = verdict(snapshot, before, before_lang)
    if earlier.kind not in ("answer", "choices", "handoff"):
        return None  # a greeting or "ok" before it: nothing to point back to
    if not asks_more_than_before(asking[0]):
        if earlier.kind == "handoff":
            return FollowUp(question, before, earlier)
        return FollowUp(question, before, replace(earlier, kind="said_above"))
    reading = FollowUp(question, before, verdict(snapshot, f"{before} {question}", lang))
    found = reading.found
    if found.kind not in ("answer", "choices"):
        kind = "handoff" if found.kind == "too_short" else found.kind
        return replace(reading, found=replace(found, kind=kind))
    answered = _answered_before(snapshot, before, earlier, before_lang)
    offered_again = (
        earlier.kind == "choices"
        and found.kind == "choices"
        and found.entry_ids[0] == earlier.entry_ids[0]
    )
    if found.entry_ids[0] in answered or offered_again:
        return replace(reading, found=Verdict("handoff", found.decision))
    if found.kind == "choices":
        fresh = tuple(e for e in found.entry_ids if e not in answered)
        return replace(reading, found=replace(found, entry_ids=fresh))
    return reading


def _points_back(snapshot: KbSnapshot, question: str, lang: str, asking: str) -> bool:
    """Whether the asking sentence points back: by a pronoun ("Kann ich das in Raten
    zahlen?"), or naming its one thing by the article alone where the knowledge base would
    hand it off alone ("what are the benefits?" after "how do I become a member?": of
    membership; "Wo ist die Geschäftsstelle?" is answered as asked, "What are the costs?"
    offered its choices)."""
    if asks_about_before(asking):
        return True
    # the question alone read again only where it names its thing by the article alone
    return (
        names_by_the_article_alone(asking) and verdict(snapshot, question, lang).kind == "handoff"
    )


def _answered_before(
    snapshot: KbSnapshot, before: str, earlier: Verdict, lang: str
) -> frozenset[str]:
    """The entries whose answer `before` got (one, or one per question it asked)."""
    answered = set(earlier.entry_ids[:1]) if earlier.kind == "answer" else set()
    several = several_answers(snapshot, before, lang)
    if several is not None:
        answered.update(part.found.entry_ids[0] for part in several.answered)
    return frozenset(answered)


async def weigh(ctx: Context, text: str) -> tuple[str, str, KbSnapshot, Verdict]:
    """A member's text as a question: cleaned, its language, the knowledge base it is read
    against and the verdict."""
    question = question_text(text)
    snapshot = await faq_service(ctx.services).snapshot()
    lang = question_language(question, ctx.lang)
    return question, lang, snapshot, verdict(snapshot, question, lang)


async def _keeping_choices(ctx: Context, text: str) -> None:
    """A reply that answers nothing ("ok", "xyz"): the buttons of the message before it (a
    partner preview, a poll) still take a typed number where choices are typed."""
    await ctx.reply(Reply(text=text, metadata={KEEPS_CHOICES: "yes"}))


async def ask(ctx: Context, text: str) -> None:
    """Handle one question: log it, then answer, offer choices or hand it off; a question
    pointing back to the member's message before it is read with that message."""
    question, lang, snapshot, found = await weigh(ctx, text)
    whole = _message(ctx)
    before = question_text(ctx.before)
    after_press = _after_question_before(ctx)  # taken now, whatever this question gets
    # Not the rest of a message another feature answered part of: that points into itself;
    # nor a question about the network or the bot ("Wer steckt hinter diesem Bot?").
    alone = question != whole or about_us(question) is not None
    reading = None if alone else follow_up(snapshot, before, question, lang)
    if reading is not None:
        # the office reads the event "dort" is beside the message before ("wie komme ich mit
        # dem zug zum symposium?" does not say which symposium, nor when)
        context = await _meant_before(ctx, question, reading.before)
        if not context and names_by_the_article_alone(question):
            context = reading.before  # "what are the benefits?": of what was asked before
        await _answer(ctx, snapshot, reading.found, lang, question, reading.text, context)
        return
    if await _answer_with_others(ctx, snapshot, question, lang):
        return
    if found.kind == "small_talk" and found.talk != "greeting":
        if found.talk == "thanks":
            await thanks_as_helpful(ctx, snapshot)
        await _keeping_choices(ctx, ctx.t(f"smalltalk.{found.talk}"))
        return
    if found.kind in ("small_talk", "greeting") or found.decision is None:
        # someone new is shown the way in as well
        await ctx.say("faq.greeting" if ctx.member.onboarded else "faq.greeting_new")
        return
    if found.kind == "too_short":
        await _keeping_choices(ctx, ctx.t("smalltalk.too_short", text=shorten(question, 40)))
        return
    several = several_answers(snapshot, question, lang)
    if several is not None:
        await _say_unclear(ctx, await _answer_each(ctx, snapshot, several, lang))
        return
    # The rest of a message another feature answered part of ("Wann ist das Symposium? Gibt
    # es dort vegane Verpflegung?"): the office reads it with what it points to.
    context = _context_of(question, whole)
    if not context and question == whole:
        # after "Nichts davon" under the question before, that question is still what the
        # exchange was about: the event it named, for the office and for the answer
        ctx = after_press
        context = await _meant_before(ctx, question, before)
    found, context = await _unless_only_records_say(ctx, question, found, context)
    await _answer(ctx, snapshot, found, lang, question, question, context)


async def _unless_only_records_say(
    ctx: Context, question: str, found: Verdict, context: str
) -> tuple[Verdict, str]:
    """`found`, unless the question asks what only a feature's record says ("Ist das Forum
    auf Englisch?"): then no entry is its answer or a choice (the one on the bot's language
    shares a word only); the record's own text may say it (`_answer` asks it before a
    hand-off), else the office is asked, reading which record beside it."""
    if found.kind not in ("answer", "choices"):
        return found, context
    record = await ctx.services.router.only_records_say(ctx, question)
    if record is None:
        return found, context
    return Verdict("handoff", found.decision), context or record


# The member's latest question, per chat (bot/recent.py's rule: for a few minutes, taken by
# the next question), in `Services.features`.
_ASKED = "faq_asked_before"


def _asked_before(ctx: Context) -> RecentTexts:
    found = ctx.services.features.get(_ASKED)
    if not isinstance(found, RecentTexts):
        found = ctx.services.features[_ASKED] = RecentTexts()
    return found


def _chat_key(ctx: Context) -> Key:
    incoming = ctx.incoming
    return (str(incoming.platform), incoming.chat_id, incoming.sender_id)


def _keep_pressed(ctx: Context, row: FaqQuestion) -> None:
    """Remember the question whose button ("Nichts davon", a topic) the member pressed, with
    what it was read beside (the event of a follow-up), for their next question
    (`_after_question_before`): the press ends what `Context.before` keeps."""
    said = f"{row.context} {row.text}".strip()
    _asked_before(ctx).keep(_chat_key(ctx), said, ctx.services.clock())


def _after_question_before(ctx: Context) -> Context:
    """`ctx` with the member's question before as the message before, where the FAQ's button
    under it was pressed between (`_keep_pressed`) and nothing else shown since (a list of
    events is: "where can I park" under it means none): "muss ich was mitbringen?" after
    "wo kann man bei der Exkursion parken" and "Nichts davon" is about the excursion still
    (`Router.meant_before` says when)."""
    asked = _asked_before(ctx).take(_chat_key(ctx), ctx.services.clock())
    faq_only = all(payload.startswith("faq:") for payload in ctx.shown_before)
    return replace(ctx, before=asked) if asked and faq_only and not ctx.before else ctx


async def _meant_before(ctx: Context, question: str, before: str) -> str:
    """What the office reads beside a question that points back or follows a record shown
    just before ("" when nothing)."""
    if asks_about_before(question) and points_into_itself(question):
        return ""  # "was ist mit den Exkursionen, kann ich da mit?": "da" is what it names
    meant = await ctx.services.router.meant_before(ctx, question)
    if not asks_about_before(question):
        # "where can I park" right after an event's details, "muss ich was mitbringen?"
        # after a question about the excursion: that event, as a feature says
        return meant or ""
    # "gibts da was zu essen" after "was kostet das Symposium?": what "da" is, and what the
    # member asked before; after a button (a sign-up), the event (also when the message
    # before pointed back itself: "kostet das was")
    if not before or asks_about_before(before):
        return meant or before
    return f"{meant}{MEANT_AND_BEFORE}{before}" if meant else before


async def _answer(
    ctx: Context,
    snapshot: KbSnapshot,
    found: Verdict,
    lang: str,
    question: str,
    read: str,
    context: str,
    label: Markup | None = None,
    meant: str | None = None,
) -> None:
    """Answer, offer choices or hand off `question` as `found` says; `read`: the text it was
    read as (with the message before it, for a follow-up), logged as what a pick or 👍
    teaches; `context`: what it points back to, which the office reads beside it; `label`:
    the line an answer or choices begin with, naming the question of several they are on;
    `meant`: the text other features' records are asked with (default `question`: "was
    kostet das?" of several, with the question it points back to)."""
    meant = meant or question
    kind, known, decision = found.kind, found.entry_ids, found.decision
    assert decision is not None
    if (
        kind == "answer"
        and decision.scores[0] < TAUGHT_SCORE
        and await _matched_by_name_only(ctx, snapshot, known[0], read)
    ):
        kind = "choices"  # "parken beim Innovationsforum": not what the forum's entry says
    shown = decision.kind if kind == "said_above" else kind  # "said_above": what is above
    logged = QuestionLog(
        member_id=ctx.member.id,
        text=read,
        lang=lang,
        decision=shown,
        entry_ids=known,
        score=decision.scores[0] if decision.scores else 0.0,
        answered_entry_id=known[0] if shown == "answer" else None,
        context=context,  # for a ticket opened from it later ("Nichts davon")
    )
    if kind == "handoff" and ctx.beside_step is not None:
        question_id = await faq_service(ctx.services).log(logged)
        unasked = _not_passed_beside_step(ctx, question_id)
        offers = await _offer_buttons(ctx, read, question_id)
        metadata = {**unasked.metadata, **_typed_offers(ctx, offers)}
        await ctx.reply(replace(unasked, buttons=unasked.buttons + offers, metadata=metadata))
        return
    if kind in ("choices", "handoff"):
        # what another feature's records say ("Mittagessen" in the excursion's description)
        # before choices, or a ticket the office would answer with what it wrote there
        recorded = await ctx.services.router.answer_from_records(
            ctx, meant, instead=True, of_choices=_sure_choices(snapshot, kind, decision)
        )
        if recorded is not None:
            await _answer_from_records(ctx, recorded, logged, label)
            return
    if kind == "handoff":
        whole = _message(ctx)
        likely = inbox.likely_for(snapshot, question, lang, context=context)
        context_in = await _for_office(ctx, context)
        # the entries the engine names beside the hand-off, for the question as it was read
        # (the office's are read with the context too), logged as the question's entries,
        # which a topic's button picks from (`choose`)
        beside = [snapshot.entries[e] for e in _suggested(decision, snapshot)]
        suggested = replace(logged, text=question, entry_ids=tuple(e.id for e in beside))
        async with ctx.db.session() as session:
            ticket = await _open_ticket(
                ctx, session, question, lang, likely, context, context_in=context_in
            )
            (question_id,) = await session.run_sync(
                faq.log_questions, [_handed_off(suggested, ticket)]
            )
        ctx.services.outbox_wakeup()
        quoted = ctx.t("faq.quoted", text=shorten(question, 80))
        if ticket.ask_first:
            asking = _with_suggestions(
                ctx, _ask_first(ctx, question_id, quoted), beside, question_id
            )
            offers = await _offer_buttons(ctx, read, question_id)
            metadata = {**asking.metadata, **_typed_offers(ctx, offers)}
            await ctx.reply(replace(asking, buttons=asking.buttons + offers, metadata=metadata))
            return
        if ticket.id is None:
            said = _refused(ctx, question)
        elif ticket.already:
            said = _already(ctx, quoted if question != whole else None)
        elif question != whole:  # "Darauf" would not say which question
            said = ctx.t("faq.handed_off_on", question=quoted, ticket=ticket.id)
        else:
            said = ctx.t("faq.handed_off", ticket=ticket.id)
        if ctx.is_admin and ticket.id is not None:
            # the office's own question goes to its own inbox: said plainly, with its commands
            # ("zeig mir die offenen Fragen" had become a ticket it read as an answer)
            said = Markup(f"{said}\n{ctx.t('faq.handed_off_admin', ticket=ticket.id)}")
        offers = await _offer_buttons(ctx, read, question_id)
        handed = _with_suggestions(ctx, Reply(text=said), beside, question_id)
        await ctx.reply(
            replace(handed, buttons=handed.buttons + offers, metadata=_typed_offers(ctx, offers))
        )
        return
    question_id = await faq_service(ctx.services).log(logged)
    if kind == "said_above":
        # "Wie geht das?" after its answer: nothing more in the knowledge base, and no other
        # entry that only shares its words; the office may know more, if the member wants.
        await ctx.reply(office_question(ctx, question_id, ctx.t("faq.said_above")))
        return
    entries = [snapshot.entries[e] for e in known]
    if kind == "answer":
        reply = answer_reply(ctx, entries[0], question_id)
        # what a feature's records say besides (the excursion's description names its costs,
        # the entry on excursions says they are "in the invitation")
        router = ctx.services.router
        recorded = await router.answer_from_records(ctx, meant, instead=False)
        if recorded is not None:
            reply = replace(reply, text=Markup(f"{reply.text}\n\n{recorded.text}"))
    else:
        reply = choices_reply(ctx, entries, question_id)
    offers = await _offer_buttons(ctx, read, question_id, beside=entries)
    buttons = reply.buttons + offers
    if kind != "answer":  # "Nichts davon – an die Geschäftsstelle" stays the last choice
        buttons = reply.buttons[:-1] + offers + reply.buttons[-1:]
    metadata = {**reply.metadata, **_typed_offers(ctx, offers)}
    await ctx.reply(_labelled(label, replace(reply, buttons=buttons, metadata=metadata)))


# A question matched this well is (nearly) one of the entry's phrasings, taught or written.
TAUGHT_SCORE = 0.95


async def _matched_by_name_only(
    ctx: Context, snapshot: KbSnapshot, entry_id: str, question: str
) -> bool:
    """Whether the entry answers `question` only by the name of something another feature
    keeps (an event's), not by what it asks about that (`Router.answered_only_by_name`)."""
    entry = snapshot.entries[entry_id]
    texts = [*entry.tags, *entry.answers.values()]
    for phrasings in entry.questions.values():
        texts.extend(phrasings)
    return await ctx.services.router.answered_only_by_name(ctx, question, texts)


def _sure_choices(snapshot: KbSnapshot, kind: str, decision: FaqDecision) -> bool:
    """Choices the engine is as sure of as of a lone answer ("gibts Fördermittel?": the
    entries on funding), not a weak guess ("Werden Helme gestellt?": the fee)."""
    engine = snapshot.engine
    if kind != "choices" or engine is None or not decision.scores:
        return False
    return decision.scores[0] >= engine.thresholds.lone_min_score


async def _answer_from_records(
    ctx: Context, recorded: Reply, logged: QuestionLog, label: Markup | None = None
) -> None:
    """Another feature's answer from its records, with the offer to pass the question to the
    office all the same (under `label`, the question of several it answers)."""
    question = replace(logged, decision="records", answered_entry_id=None)
    question_id = await faq_service(ctx.services).log(question)
    office = office_question(ctx, question_id, ctx.t("faq.records_office"))
    text = Markup(f"{recorded.text}\n\n{office.text}")
    metadata = {**recorded.metadata, **office.metadata}
    answered = Reply(text=text, buttons=recorded.buttons + office.buttons, metadata=metadata)
    await ctx.reply(_labelled(label, answered))


async def offer_office(ctx: Context, text: str, context: str) -> Reply:
    """The offer to pass `text`, which another feature answered in part, to the office, the
    office reading `context` beside it (`Router.offer_office`)."""
    question = question_text(text)
    logged = QuestionLog(
        member_id=ctx.member.id,
        text=question,
        lang=question_language(question, ctx.lang),
        decision="records",
        entry_ids=(),
        score=0.0,
        answered_entry_id=None,
        context=context,
    )
    question_id = await faq_service(ctx.services).log(logged)
    return office_question(ctx, question_id, ctx.t("faq.records_office"))


def _suggested(decision: FaqDecision | None, snapshot: KbSnapshot) -> list[str]:
    """The entries the engine names beside its hand-off (`engine.SUGGESTED`) that are there."""
    if decision is None or decision.kind != "handoff":
        return []
    return [entry_id for entry_id in decision.entry_ids if entry_id in snapshot.entries]


def _with_suggestions(
    ctx: Context, reply: Reply, beside: Sequence[FaqEntry], question_id: int
) -> Reply:
    """A hand-off's reply with the entries suggested beside it (`beside`, logged as the
    question's entries in that order): perhaps one answers it already, and the member need
    not wait for the office (`choose` answers it and offers to withdraw the ticket)."""
    if not beside:
        return reply
    text = Markup(f"{reply.text}\n\n{ctx.t('faq.suggested')}")
    rows = tuple(
        (Button(topic_label(entry, ctx.lang), f"faq:c:{question_id}:{index}"),)
        for index, entry in enumerate(beside)
    )
    return replace(reply, text=text, buttons=rows + reply.buttons)


def office_question(ctx: Context, question_id: int, text: str) -> Reply:
    """`text` asking whether the question goes to the office, with *Ja, an die
    Geschäftsstelle* and *Nein, danke*; a typed "ja"/"nein" presses them."""
    office = f"faq:ho:{question_id}"
    buttons = ((Button(ctx.t("faq.ask_office"), office), Button(ctx.t("faq.no_office"), "faq:no")),)
    answers = {YES_PRESSES: office, NO_PRESSES: "faq:no", NO_GOES_ON: "yes"}
    return Reply(text=text, buttons=buttons, metadata=answers)


def _not_passed_beside_step(ctx: Context, question_id: int) -> Reply:
    """A question without an answer, typed while a guided step waits (`Context.beside_step`):
    no ticket unasked (the corrected text of a broadcast had become one, from the office to
    itself); a member is asked whether it goes to the office, an admin is the office."""
    if ctx.is_admin:
        return Reply(text=ctx.t("faq.beside_step_admin"))
    return office_question(ctx, question_id, ctx.t("faq.beside_step"))


def _message(ctx: Context) -> str:
    """The member's whole message, cleaned as a question is (part of it may be answered
    elsewhere, e.g. an event's date)."""
    return question_text(ctx.incoming.text)


def _context_of(question: str, message: str) -> str:
    """The sentences of `message` before `question`, a part of it, when it points back ("Wann
    ist das Symposium? Was kostet die Mitgliedschaft? Gibt es dort vegane Verpflegung?":
    "dort" is the symposium, not the sentence just before); else ""."""
    written = parts(message)
    first = next(iter(parts(question)), "")
    if first in written[1:] and asks_about_before(first):
        return " ".join(written[: written.index(first)])
    return ""


async def _answer_each(
    ctx: Context, snapshot: KbSnapshot, several: Several, lang: str
) -> list[str]:
    """One answer per question, in the order asked, each under the question it answers and
    logged with its own feedback; each question left open gets what it would get alone,
    named: its choices, or a ticket for the office (with the sentence it points back to, so
    the office reads what "das" is). Returns the questions too short to pass on, for
    `_say_unclear`."""
    service = faq_service(ctx.services)
    whole = _message(ctx)
    short: list[str] = []
    for part in several.asked or several.answered + several.left_open:
        quoted = ctx.t("faq.quoted", text=shorten(part.sentence, 80))
        if part.found.kind == "answer":
            entry_id = part.found.entry_ids[0]
            score = part.found.decision.scores[0] if part.found.decision else 0.0
            logged = QuestionLog(
                member_id=ctx.member.id,
                text=part.sentence,
                lang=lang,
                decision="answer",
                entry_ids=(entry_id,),
                score=score,
                answered_entry_id=entry_id,
            )
            question_id = await service.log(logged)
            answered = answer_reply(ctx, snapshot.entries[entry_id], question_id)
            await ctx.reply(_labelled(_part_label(ctx, part.sentence), answered))
        elif part.found.kind in ("choices", "handoff") and (
            recorded := await _records_for_part(ctx, snapshot, part.sentence, part.found)
        ):
            # what an event's description says ("can non members attend the forum": its
            # prices), as the question alone gets it, instead of choices or a ticket
            logged = QuestionLog(
                member_id=ctx.member.id,
                text=part.sentence,
                lang=lang,
                decision=part.found.kind,
                entry_ids=part.found.entry_ids,
                score=0.0,
                answered_entry_id=None,
                context=_context_of(part.sentence, whole),
            )
            await _answer_from_records(ctx, recorded, logged, _part_label(ctx, part.sentence))
        elif part.found.kind == "choices":
            entries = [snapshot.entries[e] for e in part.found.entry_ids]
            scores = part.found.decision.scores if part.found.decision else ()
            logged = QuestionLog(
                member_id=ctx.member.id,
                text=part.sentence,  # what a pick teaches
                lang=lang,
                decision="choices",
                entry_ids=part.found.entry_ids,
                score=scores[0] if scores else 0.0,
                answered_entry_id=None,
                context=_context_of(part.sentence, whole),
            )
            offered = choices_reply(ctx, entries, await service.log(logged))
            heading = ctx.t("faq.did_you_mean_on", question=quoted)
            await ctx.reply(replace(offered, text=heading))
        elif part.found.kind == "handoff":
            # what it points back to, else the record the exchange is about, else the one a
            # question before it names ("when is the next symposium, …, is there parking")
            context = (
                _context_of(part.sentence, whole)
                or await _meant_before(ctx, part.sentence, "")
                or await _meant_by_earlier(ctx, part.sentence)
            )
            await _hand_off_part(ctx, snapshot, part.sentence, context, lang, quoted)
        else:
            short.append(part.sentence)
    if several.left_open:
        ctx.services.outbox_wakeup()
    return short


async def _records_for_part(
    ctx: Context, snapshot: KbSnapshot, question: str, found: Verdict
) -> Reply | None:
    """What another feature's records say to one question of several the FAQ has only
    choices or a ticket for, read with the question before it where it points back."""
    whole = _message(ctx)
    earlier = whole[: max(whole.find(question), 0)].strip()
    meant = f"{earlier} {question}" if _points_to(question, earlier) else question
    assert found.decision is not None
    sure = _sure_choices(snapshot, found.kind, found.decision)
    return await ctx.services.router.answer_from_records(ctx, meant, instead=True, of_choices=sure)


async def _meant_by_earlier(ctx: Context, question: str) -> str:
    """The record the first question before `question` in the member's message names that
    does ("when is the next symposium" before "is there parking"), for the office; ""."""
    for earlier in questions(_message(ctx)):
        if earlier == question or question.startswith(earlier):
            break
        if not asks_about_before(earlier) or points_into_itself(earlier):
            meant = await ctx.services.router.meant_before(ctx, earlier)
            if meant:
                return meant
    return ""


async def _say_unclear(ctx: Context, unclear: Sequence[str]) -> None:
    """Name the questions of several that are too short to answer or pass on."""
    if unclear:
        quoted = [ctx.t("faq.quoted", text=shorten(text, 80)) for text in unclear]
        await ctx.say(
            "faq.several_left_open", questions=Markup(", ".join(quoted)), count=len(quoted)
        )


def _part_label(ctx: Context, *asked: str) -> Markup:
    """ "Zu „wann ist das nächste Symposium?“:", without the word joining it to the question
    before ("also when is the forum": “when is the forum”); of several questions answered
    at once, each quoted ("Zu „wann geht es los“ und „wo ist das?“:")."""
    quoted = [ctx.t("faq.quoted", text=shorten(without_joiner(q), 80)) for q in asked]
    # (str.join gives plain text, which `t` would escape a second time: "What&#x27;s")
    joined = Markup(ctx.t("faq.quoted_and").join(quoted))
    return ctx.t("faq.on_part", question=joined)


def _labelled(label: Markup | None, reply: Reply) -> Reply:
    """`reply` under the line naming the question of several it answers."""
    if label is None or not reply.text:
        return reply
    return replace(reply, text=Markup(f"{label}\n{reply.text}"))


async def _answer_with_others(ctx: Context, snapshot: KbSnapshot, question: str, lang: str) -> bool:
    """A message asking several things of which another feature answers some ("Was kostet die
    Mitgliedschaft und wann ist das nächste Symposium?": the date is the live event answers'):
    every question answered in the order asked, each under the question it answers; the
    others by the FAQ (`_answer_run`). False when no other feature answers one of them."""
    asked = questions(question)
    if len(asked) < 2:
        return False
    elsewhere = [
        await _answered_elsewhere(ctx, part, asked[index - 1] if index else "")
        for index, part in enumerate(asked)
    ]
    if all(replies is None for replies in elsewhere):
        return False
    before = {part: asked[index - 1] for index, part in enumerate(asked) if index}
    run: list[str] = []
    unclear: list[str] = []
    for answered_alike, replies in _same_answers_together(asked, elsewhere):
        if replies is None:
            run += answered_alike
            continue
        if not replies:
            continue  # the answer to the question before it said all there is
        unclear += await _answer_run(ctx, snapshot, run, lang, before)
        run = []
        label = _part_label(ctx, *answered_alike)
        await ctx.reply(_labelled(label, replies[0]))
        for reply in replies[1:]:
            await ctx.reply(reply)
    unclear += await _answer_run(ctx, snapshot, run, lang, before)
    await _say_unclear(ctx, unclear)
    return True


def _same_answers_together(
    asked: Sequence[str], elsewhere: Sequence[list[Reply] | None]
) -> list[tuple[list[str], list[Reply] | None]]:
    """The questions with what another feature answers them, those one after another
    answered alike together ("When does the symposium start and where is it?": the event's
    date and place say both, once, under both questions)."""
    merged: list[tuple[list[str], list[Reply] | None]] = []
    for part, replies in zip(asked, elsewhere, strict=True):
        if merged and replies and merged[-1][1] == replies:
            merged[-1][0].append(part)
        else:
            merged.append(([part], replies))
    return merged


async def _answered_elsewhere(ctx: Context, question: str, before: str) -> list[Reply] | None:
    """The replies another feature answers `question` (after `before`) with, held back to be
    sent in the order asked ([] when the answer before it said all there is); None when none
    answers it."""
    held: list[Reply] = []

    async def hold(reply: Reply) -> str | None:
        held.append(reply)
        return None

    answered = await ctx.services.router.answer_part(replace(ctx, respond=hold), question, before)
    return held if answered else None


async def _answer_run(
    ctx: Context,
    snapshot: KbSnapshot,
    run: Sequence[str],
    lang: str,
    before: Mapping[str, str] | None = None,
) -> list[str]:
    """The FAQ's questions between (or around) those another feature answered: together
    when they get several answers (one pointing back read with the one before it), else each
    on its own as if asked alone, under the question, or read after the question `before` it
    in the message (`_read_after`). Returns those too short to answer or pass on."""
    if len(run) > 1:
        several = several_answers(snapshot, "\n".join(run), lang)
        if several is not None:
            return await _answer_each(ctx, snapshot, several, lang)
    whole = _message(ctx)
    unclear: list[str] = []
    for part in run:
        read, found = _read_after(snapshot, part, (before or {}).get(part, ""), lang)
        label = _part_label(ctx, part)
        if found.kind == "small_talk" and found.talk != "greeting":
            await ctx.reply(_labelled(label, Reply(text=ctx.t(f"smalltalk.{found.talk}"))))
        elif found.kind in ("small_talk", "greeting", "too_short") or found.decision is None:
            unclear.append(part)
        else:
            # "… and is there parking?" after an event's date: the office reads which event
            context = (
                _context_of(part, whole)
                or await _meant_before(ctx, part, "")
                or await _meant_by_earlier(ctx, part)
            )
            # "was kostet das?" after "wann ist der Workshop" (and whatever came between): the
            # workshop's records say it
            earlier = whole[: max(whole.find(part), 0)].strip()
            meant = f"{earlier} {part}" if _points_to(part, earlier) else part
            await _answer(ctx, snapshot, found, lang, part, read, context, label, meant)
    return unclear


def _points_to(part: str, before: str) -> bool:
    """Whether a question of several points back to the question `before` it."""
    return bool(before) and asks_about_before(part) and not points_into_itself(part)


def _read_after(snapshot: KbSnapshot, part: str, before: str, lang: str) -> tuple[str, Verdict]:
    """A question of several as it is read, and its verdict: after the question `before` it
    when it points back to that one and so gets a direct answer ("Gibt es eine Exkursion?
    Und wie melde ich mich da an?": the entry on excursions, not the newsletter's); else
    alone, as asked ("Gibt es dort vegane Verpflegung?": the office's, not the choices the
    event's name brings)."""
    if _points_to(part, before):
        joined = f"{before} {part}"
        found = verdict(snapshot, joined, lang)
        if found.kind == "answer":
            return joined, found
    return part, verdict(snapshot, part, lang)


async def _hand_off_part(
    ctx: Context, snapshot: KbSnapshot, text: str, context: str, lang: str, quoted: str
) -> None:
    """A question of several that no entry answers: a ticket of its own, as if asked alone
    (`context`: what it points back to, for the office); beside a pending step none, it is
    only said (`Context.beside_step`)."""
    if ctx.beside_step is not None:
        await _keeping_choices(ctx, ctx.t("faq.beside_step_part", question=quoted))
        return
    likely = inbox.likely_for(snapshot, text, lang, context=context)
    context_in = await _for_office(ctx, context)
    async with ctx.db.session() as session:
        ticket = await _open_ticket(
            ctx, session, text, lang, likely, context, context_in=context_in
        )
        logged = QuestionLog(
            member_id=ctx.member.id,
            text=text,
            lang=lang,
            decision="handoff",
            entry_ids=(),
            score=0.0,
            answered_entry_id=None,
            context=context,
        )
        (question_id,) = await session.run_sync(faq.log_questions, [_handed_off(logged, ticket)])
    if ticket.ask_first:
        asking = _ask_first(ctx, question_id, quoted)
        await ctx.reply(replace(asking, metadata={**asking.metadata, KEEPS_CHOICES: "yes"}))
    elif ticket.id is None:
        await _keeping_choices(ctx, _refused(ctx, text))
    elif ticket.already:
        await _keeping_choices(ctx, _already(ctx, quoted))
    else:
        await _keeping_choices(ctx, ctx.t("faq.handed_off_on", question=quoted, ticket=ticket.id))


def _handed_off(logged: QuestionLog, ticket: Ticketed) -> QuestionLog:
    """A question for the office as it is logged: with its ticket; without one while the
    member is asked whether it goes there (`Ticketed.ask_first`), as beside a step; or
    "refused" when the member had asked for too many open ones (it never reached the office:
    no hand-off in the dashboard's chart, no question in its suggested new topics)."""
    if ticket.ask_first:
        return logged
    if ticket.id is None:
        return replace(logged, decision=REFUSED)
    return replace(logged, ticket_id=ticket.id)


def _ask_first(ctx: Context, question_id: int, quoted: str) -> Reply:
    """No entry answers the question, and the bot has handed on as many of the member's as
    it does by itself: whether this one goes to the office is the member's to say (their yes
    counts as a question they asked the office)."""
    said = ctx.t("faq.ask_first", question=quoted, limit=MAX_OPEN_TICKETS)
    return office_question(ctx, question_id, said)


def _already(ctx: Context, quoted: str | None) -> str:
    """The member asked this before and the office has it still open: no second ticket.
    `quoted`: the question, named when the message asked more than it."""
    said = ctx.t("faq.already_with_office")
    return said if quoted is None else ctx.t("faq.on_part", question=quoted) + " " + said


def _refused(ctx: Context, question: str) -> str:
    """Why `question` was not passed on, naming it (a message may ask several things, and
    the member cannot tell otherwise which one the office never got), and what to do."""
    quoted = ctx.t("faq.quoted", text=shorten(question, 80))
    return ctx.t("faq.too_many_open", question=quoted, limit=MAX_OPEN_TICKETS)


@dataclass(frozen=True)
class Ticketed:
    """What became of a question for the office: its ticket's number (None: refused, the
    member asked for too many open ones; or not opened yet, `ask_first`), whether that ticket
    was open already (the member asked the same before, and the office has not answered
    yet), and whether the member is to be asked first (the bot has handed on as many by
    itself as it does)."""

    id: int | None
    already: bool = False
    ask_first: bool = False


async def _for_office(ctx: Context, context: str) -> dict[str, str]:
    """What a ticket is about as each admin reads it: an event named in their language
    (`Router.for_office`). Read before the ticket's session: SQLite has one writer."""
    if not context:
        return {}
    router = ctx.services.router
    return {reader: await router.for_office(ctx.services, context, reader) for reader in LANGS}


async def _open_ticket(
    ctx: Context,
    session: AsyncSession,
    question: str,
    lang: str,
    likely: Sequence[FaqEntry],
    context: str = "",
    rejected: Sequence[FaqEntry] = (),
    *,
    asked: bool = False,
    context_in: Mapping[str, str] | None = None,
) -> Ticketed:
    """A new ticket for the office, of which the admins hear in their chats, with a button
    for each of the `likely` entries to answer it with; the member's open ticket with the
    same question about the same thing (`context`) instead, if any (no second ticket, no
    second alert). `asked`: the member asked for it (a button, a typed yes), refused when
    they have asked for `MAX_OPEN_TICKETS` open ones already; else the bot hands it on by
    itself, which counts against no limit of the member's, up to as many of its own open
    (then the member is asked first). `context`: the sentences before the question it
    points back to; `rejected`: the answers the member turned down for it, which the alert
    names; `context_in`: the context by the admins' languages (`_for_office`)."""
    waiting = await faq.open_ticket_texts(session, member_id=ctx.member.id)
    for open_one in waiting:
        # the same words about something else ("da": another event) are another question
        if same_question(open_one.text, question) and same_question(open_one.context, context):
            return Ticketed(open_one.id, already=True)
    # what the limit is for (a stuck key, a spammer) holds for each kind on its own: at most
    # as many the member asked for, and as many the bot handed on by itself
    if sum(1 for w in waiting if w.asked == asked) >= MAX_OPEN_TICKETS:
        # asked first only where a yes could pass it on: the member's own may be full too
        room = sum(1 for w in waiting if w.asked) < MAX_OPEN_TICKETS
        return Ticketed(None, ask_first=not asked and room)
    ticket = await faq.open_ticket(
        session, member_id=ctx.member.id, text=question, lang=lang, context=context, asked=asked
    )
    # the admins hear of it in their chats (the caller wakes the outbox once it is stored)
    settings = ctx.services.settings
    # an event the question is about, named as each admin reads it
    await alerts.tell_office(session, settings, ticket, ctx.member, likely, rejected, context_in)
    return Ticketed(ticket.id)


async def _offer_buttons(
    ctx: Context, question: str, question_id: int, beside: Sequence[FaqEntry] | None = None
) -> tuple[tuple[Button, ...], ...]:
    """A button for each thing another feature offers beside this hand-off and can help with
    (partner search: members fit the need); only in a private chat. The ticket is open already:
    an offer that fails costs its button, never the hand-off. Beside an answer or choices
    (`beside`: their entries) only offers an entry among them is about (`HandoffOffer.about`)
    and those offered beside any (`HandoffOffer.beside_any`)."""
    if not ctx.incoming.is_private:
        return ()
    rows: list[tuple[Button, ...]] = []
    router = ctx.services.router
    for name, offer in router.handoff_offers.items():
        if not _offered_beside(router, offer, beside):
            continue
        try:
            fits = await offer.fits(ctx, question)
        except Exception:  # the hand-off stands; the offer is left out
            log.exception("hand-off offer %s failed for question %s", name, question_id)
            continue
        if fits:
            rows.append((Button(ctx.t(offer.label_key), f"faq:of:{question_id}:{name}"),))
    return tuple(rows)


def _typed_offers(ctx: Context, rows: Sequence[Sequence[Button]]) -> dict[str, str]:
    """The offers among `rows` (`_offer_buttons`) that a typed message may press
    (`HandoffOffer.typed`), as reply metadata (`messages.TYPED_OFFER`)."""
    offers = ctx.services.router.handoff_offers
    found: dict[str, str] = {}
    for row in rows:
        for button in row:
            name = button.payload.rsplit(":", 1)[-1]
            offer = offers.get(name)
            if offer is not None and offer.typed is not None:
                found[TYPED_OFFER + name] = button.payload
    return found


def answer_reply(ctx: Context, entry: FaqEntry, question_id: int) -> Reply:
    """The entry's answer in the member's language, with 👍/👎 under it."""
    text, used = answer_as_sent(ctx.services.router, entry, ctx.lang)
    title = shorten(title_in(entry, ctx.lang), MAX_TITLE_CHARS)
    body = ctx.t("faq.answer", title=title, answer=text)
    if used != ctx.lang:
        body = Markup(body + "\n\n" + ctx.t("faq.only_other_language"))
    buttons = (
        (
            Button(ctx.t("faq.helpful"), f"faq:fb:{question_id}:1"),
            Button(ctx.t("faq.not_helpful"), f"faq:fb:{question_id}:0"),
        ),
    )
    # "hilft mir nicht wirklich" typed under it is its 👎 (it had been asked as a question)
    metadata = {NOT_HELPFUL_PRESSES: f"faq:fb:{question_id}:0"}
    return Reply(text=body, buttons=buttons, metadata=metadata)


def choices_reply(ctx: Context, entries: list[FaqEntry], question_id: int) -> Reply:
    """ "Did you mean …": one button per entry, and one to ask the office instead."""
    return _choices(ctx, question_id, list(enumerate(entries)), "faq.did_you_mean")


def _choices(
    ctx: Context, question_id: int, picks: Sequence[tuple[int, FaqEntry]], heading: str
) -> Reply:
    """`heading` with a button for each of the `picks` (its position in the question's
    `entry_ids`, which `choose` reads, and the entry) and one to ask the office instead."""
    rows = [
        (Button(topic_label(entry, ctx.lang), f"faq:c:{question_id}:{index}"),)
        for index, entry in picks
    ]
    rows.append((Button(ctx.t("faq.none_of_these"), f"faq:ho:{question_id}"),))
    metadata = _typed(question_id, [index for index, _entry in picks])
    return Reply(text=ctx.t(heading), buttons=tuple(rows), metadata=metadata)


def _typed(question_id: int, indices: Sequence[int]) -> dict[str, str]:
    """What typed answers do under the choices of `indices`: a "nein" is "none of these",
    asked whether the office should have it (it had been small talk, "👍 Alles klar", and the
    question went nowhere); a "ja" picks the one topic, or asks which one of several; a
    "mehr" shows further topics (`more_choices`)."""
    yes = (
        {YES_PRESSES: f"faq:c:{question_id}:{indices[0]}"}
        if len(indices) == 1
        else {YES_ASKS_WHICH: "yes"}
    )
    return {NO_PRESSES: f"faq:none:{question_id}", **yes, MORE_PRESSES: f"faq:more:{question_id}"}


async def none_fit(ctx: Context, args: list[str]) -> None:
    """A typed "nein" under the choices: whether the question goes to the office."""
    question_id, _row = await _own_question(ctx, args)
    await ctx.reply(office_question(ctx, question_id, ctx.t("faq.none_fit")))


async def more_choices(ctx: Context, args: list[str]) -> None:
    """A typed "mehr" under the choices: the further topics the question ranks (added to the
    question's, as after 👎, so that the choices above still pick theirs), or that there are
    none, asked whether the question goes to the office (it had been taken for a greeting)."""
    question_id, row = await _own_question(ctx, args)
    ctx = ctx.speaking(reply_language(row.text, ctx.lang))
    if row.ticket_id is not None:
        await ctx.say("faq.already_handed_off", ticket=row.ticket_id)
        return
    snapshot = await faq_service(ctx.services).snapshot()
    picks: list[tuple[int, FaqEntry]] = []
    if snapshot.matcher is not None:
        offered = snapshot.matcher.alternatives(row.text, row.lang, set(row.entry_ids))
        others = tuple(e for e in offered.entry_ids if e in snapshot.entries)
        picks = await _offer_again(ctx, question_id, snapshot, others)
    if not picks:
        said = Markup(f"{ctx.t('faq.no_more')} {ctx.t('faq.none_fit')}")
        await ctx.reply(office_question(ctx, question_id, said))
        return
    await ctx.reply(_choices(ctx, question_id, picks, "faq.more_choices"))


def _question_id(args: list[str]) -> int:
    if not args or not args[0].isdecimal() or len(args[0]) > 18:
        raise UserError("errors.stale_button")
    return int(args[0])


async def _own_question(ctx: Context, args: list[str]) -> tuple[int, FaqQuestion]:
    question_id = _question_id(args)
    async with ctx.db.session() as session:
        row = await faq.get_question(session, question_id)
    if row is None or row.member_id != ctx.member.id:
        raise UserError("errors.stale_button")
    return question_id, row


async def choose(ctx: Context, args: list[str]) -> None:
    """A "did you mean" button: answer the chosen entry, with the offers its direct answer
    would carry; the question is learned as a phrasing of it (unconfirmed until a second
    member or the office agrees). A topic suggested beside a hand-off is only looked at: it
    teaches nothing until the member says it answers the question (`suggestion_answered`)."""
    question_id, row = await _own_question(ctx, args)
    ctx = ctx.speaking(reply_language(row.text, ctx.lang))
    _keep_pressed(ctx, row)
    index = _chosen(row, args)
    entry_id = row.entry_ids[index]
    snapshot = await faq_service(ctx.services).snapshot()
    entry = snapshot.entries.get(entry_id)
    if entry is None:
        raise UserError("faq.entry_gone")
    learnt = False
    waiting: int | None = None  # the question's ticket, while the office still has it
    async with ctx.db.session() as session:
        stored = await faq.get_question(session, question_id)
        if stored is not None and stored.ticket_id is not None:
            ticket = await faq.get_ticket(session, stored.ticket_id)
            if ticket is not None and ticket.status == faq.OPEN:
                waiting = ticket.id
        if stored is not None:
            stored.answered_entry_id = entry_id
            stored.feedback = None
            stored.feedback_at = None
            if stored.decision != "handoff":
                learnt = await _learn_pick(ctx, session, stored, entry, snapshot)
    # the offers an answer of this entry carries when given at once ("Passende Mitglieder
    # suchen" beside the entry on partner search), for the need the member wrote
    reply = answer_reply(ctx, entry, question_id)
    offers = await _offer_buttons(ctx, row.text, question_id, beside=[entry])
    if waiting is not None:
        # the topic may answer what the office has: the member need not wait any more
        label = ctx.t("faq.suggested_withdraw", ticket=waiting)
        offers = ((Button(label, f"faq:sa:{question_id}:{index}"),), *offers)
    metadata = {**reply.metadata, **_typed_offers(ctx, offers)}
    await ctx.reply(replace(reply, buttons=reply.buttons + offers, metadata=metadata))
    if learnt:
        # used at once: the next question (anyone's) is matched with it
        await faq_service(ctx.services).snapshot(fresh=True)


def _chosen(row: FaqQuestion, args: list[str]) -> int:
    """The position in the question's entries a topic's button names (`faq:c:Q:I`)."""
    if len(args) != 2 or not args[1].isdecimal() or int(args[1]) >= len(row.entry_ids):
        raise UserError("errors.stale_button")
    return int(args[1])


async def _learn_pick(
    ctx: Context, session: AsyncSession, stored: FaqQuestion, entry: FaqEntry, snapshot: KbSnapshot
) -> bool:
    """The member's question learnt as a phrasing of the entry they took (`record_pick`)."""
    return await learning.record_pick(
        session,
        member_id=ctx.member.id,
        question_id=stored.id,
        entry_id=entry.id,
        text=stored.text,
        lang=stored.lang,
        entry_phrasings=[p for ps in entry.questions.values() for p in ps],
        at=ctx.services.clock(),
        confirmed_engine=snapshot.engine,
    )


async def suggestion_answered(ctx: Context, args: list[str]) -> None:
    """ "✅ Beantwortet – Frage #N zurückziehen" under a topic the member took while the
    office has the question: the ticket is withdrawn (`mine.withdraw`), and the question is
    learnt as a phrasing of the topic, as a pick among choices is (the member said it
    answers it)."""
    question_id, row = await _own_question(ctx, args)
    ctx = ctx.speaking(reply_language(row.text, ctx.lang))
    entry_id = row.entry_ids[_chosen(row, args)]
    if row.ticket_id is None:
        raise UserError("errors.stale_button")
    try:
        done = await mine.withdraw(ctx.services, ctx.member.id, row.ticket_id)
    except UserError as refused:
        await ctx.say(refused.key, **refused.values)
        return
    snapshot = await faq_service(ctx.services).snapshot()
    entry = snapshot.entries.get(entry_id)
    learnt = False
    async with ctx.db.session() as session:
        stored = await faq.get_question(session, question_id)
        if stored is not None and entry is not None:
            stored.answered_entry_id = entry_id
            learnt = await _learn_pick(ctx, session, stored, entry, snapshot)
    quoted = ctx.t("faq.quoted", text=shorten(done.text, 80))
    await ctx.say("faq.mine_withdrawn", ticket=done.ticket_id, question=quoted)
    if learnt:
        await faq_service(ctx.services).snapshot(fresh=True)


async def feedback(ctx: Context, args: list[str]) -> None:
    """👍 or 👎 under an answer; 👎 offers the other topics the question was close to (after
    a direct answer) and to ask the office."""
    question_id, row = await _own_question(ctx, args)
    ctx = ctx.speaking(reply_language(row.text, ctx.lang))
    if len(args) != 2 or args[1] not in ("0", "1") or row.answered_entry_id is None:
        raise UserError("errors.stale_button")
    helpful = args[1] == "1"
    snapshot = await faq_service(ctx.services).snapshot()
    changed = await _record_feedback(ctx, snapshot, question_id, helpful)
    if helpful:
        await ctx.reply(Reply(text="", popup=ctx.t("faq.thanks")))
    elif row.ticket_id is not None:
        await ctx.say("faq.already_handed_off", ticket=row.ticket_id)
    else:
        # ranked without what the question taught before (its pick, its 👍), taken back now
        snapshot = await faq_service(ctx.services).snapshot(fresh=changed)
        changed = False  # used at once already
        picks = await _offer_again(ctx, question_id, snapshot, _alternatives(snapshot, row))
        await ctx.reply(_sorry(ctx, question_id, row.text, picks))
    if changed:
        # used at once, after the member heard back (a large knowledge base takes seconds)
        await faq_service(ctx.services).snapshot(fresh=True)


async def _record_feedback(
    ctx: Context, snapshot: KbSnapshot, question_id: int, helpful: bool
) -> bool:
    """Store 👍 or 👎 on the answer to a question; a 👍 on the engine's own answer teaches the
    question (`learning.record_vote`), a 👎 takes back what it taught. Whether the learned
    phrasings changed."""
    changed = False
    async with ctx.db.session() as session:
        stored = await faq.get_question(session, question_id)
        entry = None if stored is None else snapshot.entries.get(stored.answered_entry_id or "")
        if stored is not None:
            stored.feedback = helpful
            stored.feedback_at = ctx.services.clock()
            if _engines_answer(stored):
                # kept for the office's numbers when a topic is picked after it (`choose`)
                stored.rejected_entry_id = None if helpful else stored.answered_entry_id
            if not helpful:  # a pick or 👍 followed by 👎 teaches nothing
                changed = await learning.retract(
                    session, member_id=ctx.member.id, question_id=question_id
                )
            elif _engines_answer(stored) and entry is not None:
                changed = await learning.record_vote(
                    session,
                    member_id=ctx.member.id,
                    question_id=question_id,
                    entry_id=entry.id,
                    text=stored.text,
                    lang=stored.lang,
                    entry_phrasings=[p for ps in entry.questions.values() for p in ps],
                    at=ctx.services.clock(),
                )
    return changed


async def thanks_as_helpful(ctx: Context, snapshot: KbSnapshot) -> None:
    """A "danke", "thanks a lot" typed right under an answer (its 👍/👎 the latest choices,
    none pressed) is its 👍: members thank in words more often than they press, and a 👍 is
    what teaches the bot the question's wording (`learning.record_vote`)."""
    pressed = [p.split(":") for p in ctx.shown_before if p.startswith("faq:fb:")]
    if len(pressed) != 2 or not pressed[0][2].isdecimal():
        return  # one answer's 👍 and 👎, not several answers' (which one was thanked for?)
    question_id = int(pressed[0][2])
    async with ctx.db.session() as session:
        row = await faq.get_question(session, question_id)
    if row is None or row.member_id != ctx.member.id or row.feedback is not None:
        return
    if row.answered_entry_id is not None and await _record_feedback(
        ctx, snapshot, question_id, helpful=True
    ):
        await faq_service(ctx.services).snapshot(fresh=True)


async def _offer_again(
    ctx: Context, question_id: int, snapshot: KbSnapshot, others: Sequence[str]
) -> list[tuple[int, FaqEntry]]:
    """The entries `others` offered for the question after 👎, each with its position in
    the question's `entry_ids` (which `choose` reads), added at its end: appended, never
    reordered, so that an older choice button still picks the entry it names."""
    async with ctx.db.session() as session:
        stored = await faq.get_question(session, question_id)
        if stored is None:
            return []
        shown = [*stored.entry_ids, *(e for e in others if e not in stored.entry_ids)]
        stored.entry_ids = shown
    return [(shown.index(e), snapshot.entries[e]) for e in others]


def _engines_answer(row: FaqQuestion) -> bool:
    """The question's answer is the one the engine gave directly (not one picked since
    among the entries offered after a 👎: a pick teaches as picks do, never as a 👍)."""
    return row.decision == "answer" and row.answered_entry_id == next(iter(row.entry_ids), None)


def _alternatives(snapshot: KbSnapshot, row: FaqQuestion) -> tuple[str, ...]:
    """What to offer after 👎 on a direct answer: the "did you mean" choices the question
    ranks, without the answer just rejected and the engine's own (`row.entry_ids` starts
    with it); none after a pick among choices, whose others are still above."""
    if row.decision != "answer" or snapshot.matcher is None or row.answered_entry_id is None:
        return ()
    rejected = {row.answered_entry_id, *row.entry_ids[:1]}
    offered = snapshot.matcher.alternatives(row.text, row.lang, rejected)
    return tuple(e for e in offered.entry_ids if e in snapshot.entries)


def _sorry(
    ctx: Context, question_id: int, text: str, picks: Sequence[tuple[int, FaqEntry]]
) -> Reply:
    """After 👎 on the question `text`: a "did you mean" button for each of the `picks` (its
    position in the question's `entry_ids`, which `choose` reads, and the entry), if any,
    and the offer to ask the office or leave it."""
    rows: list[tuple[Button, ...]] = [
        (Button(topic_label(entry, ctx.lang), f"faq:c:{question_id}:{index}"),)
        for index, entry in picks
    ]
    rows.append(
        (
            Button(ctx.t("faq.ask_office"), f"faq:ho:{question_id}"),
            Button(ctx.t("faq.no_office"), "faq:no"),
        )
    )
    # which one: under several answers to one message, "Ihre Frage" alone would not say
    quoted = ctx.t("faq.quoted", text=shorten(text, 80))
    said = ctx.t("faq.sorry_other" if picks else "faq.sorry", question=quoted)
    if not picks:  # "Soll ich … weitergeben?" alone: a typed "ja"/"nein" answers it
        return office_question(ctx, question_id, said)
    return Reply(text=said, buttons=tuple(rows))


async def hand_off(ctx: Context, args: list[str]) -> None:
    """Pass a question the bot could not answer well to the office, once."""
    question_id, row = await _own_question(ctx, args)
    ctx = ctx.speaking(reply_language(row.text, ctx.lang))
    _keep_pressed(ctx, row)
    # what the member was shown and did not take is not what the office is offered
    snapshot = await faq_service(ctx.services).snapshot()
    likely = inbox.likely_for(
        snapshot, asked(row), row.lang, context=row.context, shown=row.shown_choices
    )
    context_in = await _for_office(ctx, row.context)
    async with ctx.db.session() as session:
        stored = await faq.get_question(session, question_id)  # locked: one ticket per question
        assert stored is not None
        if stored.ticket_id is not None:
            await ctx.say("faq.already_handed_off", ticket=stored.ticket_id)
            return
        question = asked(stored)
        turned_down = [
            snapshot.entries[e] for e in rejected_answers(stored) if e in snapshot.entries
        ]
        ticket = await _open_ticket(
            ctx,
            session,
            question,
            stored.lang,
            likely,
            stored.context,
            turned_down,
            asked=True,
            context_in=context_in if stored.context == row.context else None,
        )
        stored.ticket_id = ticket.id
        if ticket.id is None and stored.decision == "handoff":
            # asked first (the bot had handed on five by itself) and refused now: it never
            # reached the office (no hand-off in the chart, no new topic), as one refused at once
            stored.decision = REFUSED
    ctx.services.outbox_wakeup()
    if ticket.id is None:
        await ctx.reply(_refused(ctx, question))
    elif ticket.already:
        await ctx.reply(_already(ctx, None))
    elif ctx.is_admin:  # asked for by the office itself: its own inbox, said so
        said = ctx.t("faq.passed_on", ticket=ticket.id)
        await ctx.reply(Markup(f"{said}\n{ctx.t('faq.handed_off_admin', ticket=ticket.id)}"))
    else:
        await ctx.say("faq.passed_on", ticket=ticket.id)  # the member asked for it


def rejected_answers(row: FaqQuestion) -> list[str]:
    """The entries whose answers the member turned down with 👎 for this question: the
    engine's answer, and a topic picked after it and turned down too."""
    found = [row.rejected_entry_id] if row.rejected_entry_id else []
    if row.feedback is False and row.answered_entry_id and row.answered_entry_id not in found:
        found.append(row.answered_entry_id)
    return found


def asked(row: FaqQuestion) -> str:
    """A logged question as the office gets it, without what it points back to (a follow-up
    is logged as read, the member's message before it first: see `_answer`); the ticket
    carries that apart, as its context."""
    # a follow-up is logged after the message before it, which its context ends with
    for before in (row.context, row.context.partition(MEANT_AND_BEFORE)[2]):
        if before and row.text.startswith(f"{before} "):
            return row.text[len(before) + 1 :]
    return row.text


def _offered_beside(
    router: Router, offer: HandoffOffer, entries: Sequence[FaqEntry] | None
) -> bool:
    """Whether `offer` goes beside an answer or choices of `entries`, or beside a hand-off
    (`entries` None), where it fits."""
    if entries is None:
        return offer.command is None  # doing a command answers no question for the office
    about = offer.about
    if offer.beside_any:
        return True
    command = offer.command
    answers = (answer for entry in entries for answer in entry.answers.values())
    if command is not None and any(router.named_commands(a) == {command} for a in answers):
        return True
    return about is not None and any(about(tuple(e.questions.values())) for e in entries)


async def take_offer(ctx: Context, args: list[str]) -> None:
    """A button beside a hand-off or an answer (`_offer_buttons`): the member's own question,
    given to the feature that offered help, e.g. partner search's preview of it. The ticket
    stays open until what it starts is carried out (`offer_carried_out`): a preview the member
    cancels leaves the question with the office."""
    number, row = await _own_question(ctx, args)
    router = ctx.services.router
    offer = router.handoff_offers.get(args[1]) if len(args) == 2 else None
    if offer is not None:
        shown: list[FaqEntry] | None = None
        if row.decision not in ("handoff", REFUSED):
            snapshot = await faq_service(ctx.services).snapshot()
            shown = [snapshot.entries[e] for e in row.entry_ids if e in snapshot.entries]
        offer = offer if _offered_beside(router, offer, shown) else None
    if offer is None:
        raise UserError("errors.stale_button")
    await offer.start(ctx, row.text, number)


async def offer_carried_out(ctx: Context, name: str, question: int, number: int) -> None:
    """What the member started with a hand-off offer is carried out (partner search: the
    request `number` was sent): the question's ticket stops waiting for the office's answer,
    closed as taken over (its text and all else kept), the admins' alerts about it say so
    (without their buttons), and the member is told so."""
    offer = ctx.services.router.handoff_offers.get(name)
    taken_key = (offer.taken_key if offer is not None else None) or inbox.TAKEN_OTHERWISE
    async with ctx.db.session() as session:
        ticket_id = await faq.close_for_offer(
            session,
            question_id=question,
            member_id=ctx.member.id,
            offer=name,
            number=number,
            at=ctx.services.clock(),
        )
        ticket = await faq.get_ticket(session, ticket_id) if ticket_id is not None else None
        if ticket is not None:
            await alerts.settle(session, ticket, alerts.taken(ticket.id, taken_key, number))
    if ticket is None:  # answered meanwhile, or it never got a ticket
        return
    ctx.services.outbox_wakeup()
    log.info("ticket %s taken over by its member as %s %s", ticket.id, name, number)
    await ctx.say("faq.offer_taken", ticket=ticket.id)


async def not_passed_on(ctx: Context, _args: list[str]) -> None:
    """ "Nein, danke" under the offer to ask the office: nothing is passed on."""
    await ctx.say("faq.not_passed_on")


async def show_topic(ctx: Context, args: list[str]) -> None:
    """A topic pressed in the `/faq` list: its answer (the id travels in the button only)."""
    snapshot = await faq_service(ctx.services).snapshot()
    entry = snapshot.entries.get(args[0]) if len(args) == 1 else None
    if entry is None:
        raise UserError("errors.stale_button")
    text, _used = answer_as_sent(ctx.services.router, entry, ctx.lang)
    await ctx.reply(ctx.t("faq.answer", title=title_in(entry, ctx.lang), answer=text))


def register(router: Router) -> None:
    @router.answers_directly
    async def answers(ctx: Context, text: str) -> tuple[tuple[str, ...], ...] | None:
        """The office's phrasings of the entry `text` gets as a direct answer, None without
        one (partner search asks before it takes a question for a search it cannot start)."""
        _question, _lang, snapshot, found = await weigh(ctx, text)
        if found.kind != "answer":
            return None
        return tuple(snapshot.entries[found.entry_ids[0]].questions.values())

    router.on_offer_carried_out(offer_carried_out)
    router.offers_office(offer_office)

    @router.free_text(priority=50)
    async def question(ctx: Context, text: str) -> bool:
        """Free text in a private chat is a question for the FAQ."""
        if not ctx.incoming.is_private:
            return False
        await ask(ctx, text)
        return True

    @router.button("faq")
    async def faq_button(ctx: Context, args: list[str]) -> None:
        action, rest = (args[0], args[1:]) if args else ("", [])
        handlers = {
            "c": choose,
            "sa": suggestion_answered,
            "fb": feedback,
            "ho": hand_off,
            "of": take_offer,
            "t": show_topic,
            "no": not_passed_on,
            "none": none_fit,
            "more": more_choices,
        }
        handler = handlers.get(action)
        if handler is None:
            raise UserError("errors.stale_button")
        await handler(ctx, rest)
