"""The office inbox: `/inbox`, `/answer N text` (delivered through the outbox), `/learn`,
`/close N` (closed without an answer: the member hears nothing).

`/answer N text` in the other language than the question's is shown with a warning first and
sent only with *Trotzdem senden*. `/learn N ENTRY` shows the member's question and the entry's
answer first: *Senden und lernen* adds the question as a new phrasing of the entry, *Nur
senden, nicht lernen* answers this member with it and teaches nothing. `/learn N new ID`
makes a new entry, asking the admin for its titles and answers in German and English (the
member's raw text is a phrasing, never the public title). Either way the ticket is closed, the
member gets the entry's answer in their language through the outbox (unless the office had
answered already), and the bot answers the same question itself next time. A ticket is
learned once: a second `/learn` sends nothing.
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.flows import is_polite_word, is_skip_word
from bot.i18n import Markup, t
from bot.i18n.dates import show_when
from bot.messages import Button, Reply, escape, names_label, shorten
from bot.router import Args, Param, Router
from handlers.faq import inbox
from handlers.faq.kb_admin import entry_problem
from handlers.faq.kb_format import LANGS, InvalidEntry
from handlers.faq.rules import (
    MAX_ANSWER_CHARS,
    MAX_PHRASING_CHARS,
    answer_as_sent,
    clean_text,
    named,
    title_in,
)
from handlers.faq.service import faq_service
from storage import conversations, faq
from storage.event_store import as_utc

INBOX_LIMIT = 20
PREVIEW_CHARS = 300


async def show_inbox(ctx: Context) -> None:
    """The open tickets, oldest first, the numbers of those their members withdrew lately (not
    to be answered), then those their members took elsewhere this week (a partner search sent
    instead): those need no answer."""
    async with ctx.db.session() as session:
        total, tickets = await faq.open_tickets(session, limit=INBOX_LIMIT)
        taken = await inbox.taken_over(ctx.services, session)
    # Below the open ones and how to answer them, apart: what needs no answer.
    settled = [await _withdrawn_line(ctx), await _closed_line(ctx)]
    closed = [line for line in settled if line] + _taken_lines(ctx, taken)
    if not total:
        await ctx.reply(Markup("\n\n".join([ctx.t("faq.inbox_empty"), *closed])))
        return
    likely = await inbox.likely_entries(ctx.services, tickets)
    entries = (await faq_service(ctx.services).snapshot()).entries
    tz = ctx.services.settings.network.tz
    lines = [ctx.t("faq.inbox_title", count=total)]
    for item in tickets:
        ticket, member = item.ticket, item.member
        line = ctx.t(
            "faq.inbox_line",
            ticket=ticket.id,
            when=show_when(as_utc(ticket.created_at), lang=ctx.lang, tz=tz),
            who=member.organisation or member.display_name or "?",
            member=member.id,
            language=ctx.t(f"faq.lang_{ticket.lang}"),
            question=_preview(ticket.text),
        )
        if ticket.context:  # what "da" is, as the alert said it
            context = await ctx.services.router.for_office(ctx.services, ticket.context, ctx.lang)
            said = ctx.t("faq.quoted", text=_preview(context))
            line = Markup(line + "\n" + ctx.t("faq.office_alert_context", context=said))
        if item.rejected_entry_id is not None:
            rejected = named(entries, item.rejected_entry_id)
            line = Markup(line + "\n" + ctx.t("faq.inbox_rejected", entry=rejected))
        if likely[ticket.id]:
            # named as the alert's buttons and the dashboard name them; /lernen takes either
            titles = Markup(
                " · ".join(
                    ctx.t("faq.quoted", text=title_in(entry, ctx.lang))
                    for entry in likely[ticket.id]
                )
            )
            line = Markup(line + "\n" + ctx.t("faq.inbox_likely", ticket=ticket.id, entries=titles))
        lines.append(line)
    if total > len(tickets):
        lines.append(ctx.t("faq.inbox_more", count=total - len(tickets)))
    lines.append(ctx.t("faq.inbox_hint"))
    await ctx.reply(Markup("\n\n".join(["\n".join(lines), *closed])))


def _taken_lines(ctx: Context, taken: list[inbox.TakenOver]) -> list[str]:
    """The block of questions taken elsewhere: a title, then one line each (none: nothing)."""
    if not taken:
        return []
    lines = [ctx.t("faq.inbox_taken_title", days=inbox.TAKEN_FOR.days)]
    for item in taken:
        ticket, member = item.ticket, item.member
        lines.append(
            ctx.t(
                "faq.inbox_taken_line",
                ticket=ticket.id,
                who=member.organisation or member.display_name or "?",
                member=member.id,
                taken=ctx.t(item.line_key, number=ticket.offer_number or "?"),
                question=_preview(ticket.text),
            )
        )
    return ["\n".join(lines)]


async def _withdrawn_line(ctx: Context) -> Markup | None:
    """ "Vom Mitglied zurückgezogen …: #7, #4", or None when no member withdrew one lately."""
    return _numbers_line(ctx, "faq.inbox_withdrawn", *await inbox.recently_withdrawn(ctx.services))


async def _closed_line(ctx: Context) -> Markup | None:
    """ "Ohne Antwort erledigt …: #5", or None when the office closed none lately."""
    return _numbers_line(ctx, "faq.inbox_closed", *await inbox.recently_closed(ctx.services))


def _numbers_line(
    ctx: Context, key: str, total: int, tickets: list[faq.FaqTicket]
) -> Markup | None:
    """`key` with the tickets' numbers (and how many more), or None for none."""
    if not tickets:
        return None
    line = ctx.t(key, tickets=", ".join(f"#{ticket.id}" for ticket in tickets))
    if total > len(tickets):
        line = Markup(line + " " + ctx.t("faq.inbox_more", count=total - len(tickets)))
    return line


def _preview(text: str) -> str:
    return shorten(text, PREVIEW_CHARS)


async def answer_ticket(ctx: Context, ticket_id: int, text: str, *, anyway: bool = False) -> None:
    """Send the office's answer to the member who asked, through the outbox; one in the other
    language than the question's is shown with a warning instead (`warn_language`)."""
    try:
        done = await inbox.answer(ctx.services, ctx.member.id, ticket_id, text, anyway=anyway)
    except inbox.WrongLanguage as wrong:
        await warn_language(ctx, wrong)
        return
    taken = done.taken(ctx.lang)
    if taken is not None:  # the member had sent it as a partner search: the office knows
        await ctx.say("faq.answer_queued_taken", ticket=ticket_id, taken=taken)
        return
    await ctx.say(
        "faq.answer_queued_again" if done.again else "faq.answer_queued", ticket=ticket_id
    )


async def close_ticket(ctx: Context, ticket_id: int) -> None:
    """Close a ticket without an answer (`inbox.close`): the member hears nothing."""
    await inbox.close(ctx.services, ctx.member.id, ticket_id)
    await ctx.say("faq.closed", ticket=ticket_id)


ANSWER_FLOW = "faq_answer_check"
CHECK_STEP = "confirm"
# After *Neu schreiben*: the admin's next message is the answer, shown before it goes.
ANEW_STEP = "anew"
# The choices at an answer in the other language (`fac:TICKET:CHOICE`), by their labels.
ANSWER_CHOICES = {"send": "faq.answer_send_anyway", "rewrite": "faq.answer_rewrite"}
# The same choices at an answer written anew in the question's language: plainly *Senden*.
ANEW_CHOICES = {"send": "faq.answer_send", "rewrite": "faq.answer_rewrite"}


async def warn_language(ctx: Context, wrong: inbox.WrongLanguage) -> None:
    """The answer as the member would get it, under the warning that it is not in the
    question's language; *Trotzdem senden* sends it, *Neu schreiben* drops it."""
    asked = wrong.asked.lang
    written = "de" if asked == "en" else "en"
    warning = ctx.t(
        "faq.answer_other_language_warning",
        ticket=wrong.asked.ticket_id,
        asked=ctx.t(f"faq.lang_{asked}"),
        written=ctx.t(f"faq.lang_{written}"),
    )
    await _show_answer(ctx, warning, wrong.asked, wrong.text)


async def _show_answer(
    ctx: Context, head: str, asked: inbox.Asked, text: str, *, anew: bool = False
) -> None:
    """`head` over the answer as the member would read it, with *Senden* (*Trotzdem senden*
    for one in the other language) and *Neu schreiben*; nothing is sent before a press."""
    ticket_id = asked.ticket_id
    data: dict[str, object] = {"ticket": ticket_id, "text": text, "lang": asked.lang, "anew": anew}
    await ctx.ask(ANSWER_FLOW, CHECK_STEP, data)
    # what the member would read: the header is in the question's language, as sent
    sent = inbox.as_member_reads(asked, text)
    buttons = tuple(
        (Button(ctx.t(key), f"fac:{ticket_id}:{choice}"),)
        for choice, key in (ANEW_CHOICES if anew else ANSWER_CHOICES).items()
    )
    await ctx.reply(Reply(Markup("\n\n".join([head, sent])), buttons))


async def answer_check_step(ctx: Context, text: str, data: dict[str, object]) -> None:
    """Typed at the warning: its buttons' words act as they do; anything else is sent to no
    one, and the buttons (or a new `/answer`) are pointed to. Typed after *Neu schreiben*:
    the answer, shown as `/answer` would send it (warned again in the other language)."""
    ticket_id = int(str(data.get("ticket")))
    if data.get("step") == ANEW_STEP:
        try:
            ticket = await inbox.check_answer(ctx.services, ticket_id, text)
        except inbox.WrongLanguage as wrong:
            await warn_language(ctx, wrong)
            return
        head = ctx.t("faq.answer_anew_check", ticket=ticket_id)
        reply = clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)
        await _show_answer(ctx, head, inbox.Asked.of(ticket), reply, anew=True)
        return
    choices = ANEW_CHOICES if data.get("anew") else ANSWER_CHOICES
    for choice, key in choices.items():
        if names_label(text, _draft_labels(key)):
            await answer_chosen(ctx, choice)
            return
    key = "faq.answer_anew_use_buttons" if data.get("anew") else "faq.answer_check_use_buttons"
    raise NotAnAnswer(key, ticket=ticket_id)


async def answer_check_button(ctx: Context, parts: list[str]) -> None:
    """`fac:TICKET:CHOICE` under the warning; one of an older warning does nothing."""
    await _require_pending(ctx, ANSWER_FLOW, parts)
    await answer_chosen(ctx, parts[1])


async def answer_chosen(ctx: Context, choice: str) -> None:
    """*Trotzdem senden* (*Senden*) sends the answer as shown (once, however often pressed);
    *Neu schreiben* drops it and takes the admin's next message as the answer, in the
    question's language (`/answer N …` still works)."""
    data = await ctx.take_step(ANSWER_FLOW, CHECK_STEP)
    if data is None or choice not in ANSWER_CHOICES:
        raise UserError("errors.stale_button")
    await ctx.require_admin("flow:faq_answer_check")
    ticket_id = int(str(data.get("ticket")))
    if choice == "send":
        await answer_ticket(ctx, ticket_id, str(data.get("text", "")), anyway=True)
        return
    lang = str(data.get("lang", "de"))
    await ctx.ask(ANSWER_FLOW, ANEW_STEP, {"ticket": ticket_id, "lang": lang})
    asked = ctx.t(f"faq.lang_{lang}")
    await ctx.say("faq.answer_dropped", ticket=ticket_id, language=asked)


async def _require_pending(ctx: Context, flow: str, parts: list[str]) -> None:
    """A button of `flow`'s preview for ticket `parts[0]` is pressed while that preview waits."""
    async with ctx.db.session() as session:
        pending = await conversations.get(session, member_id=ctx.member.id)
    if len(parts) < 2 or pending is None or pending.flow != flow:
        raise UserError("errors.stale_button")
    if str(pending.data.get("ticket")) != parts[0] or pending.step != CHECK_STEP:
        raise UserError("errors.stale_button")


CHECK_FLOW = "faq_learn_check"
# The choices at `/learn N ENTRY`'s preview (`flc:TICKET:CHOICE`): the catalogue keys of their
# labels, for a ticket whose member gets the answer, and for one whose member gets nothing.
SENDING_CHOICES = {"go": "faq.learn_send_teach", "send": "faq.learn_send_only"}
TEACHING_CHOICES = {"go": "faq.learn_teach_only"}
CANCEL_CHOICE = {"no": "faq.learn_cancel"}


def _learn_choices(sends: bool) -> dict[str, str]:
    return {**(SENDING_CHOICES if sends else TEACHING_CHOICES), **CANCEL_CHOICE}


async def preview_learning(ctx: Context, plan: inbox.LearnPlan) -> None:
    """What answering a ticket with an entry does, before it is done: the member's question,
    the entry and the start of its answer as sent, and what the bot would learn. The office
    chooses to send and teach, only to send (the entry helps this once), or neither."""
    entry = (await faq_service(ctx.services).snapshot()).entries.get(plan.entry_id)
    if entry is None:
        raise UserError("faq.unknown_entry", id=plan.entry_id)
    title = title_in(entry, ctx.lang)
    answer, _used = answer_as_sent(ctx.services.router, entry, plan.lang)
    language = ctx.t(f"faq.lang_{plan.lang}")
    values = {"ticket": plan.ticket_id, "title": title, "language": language}
    if plan.sends:
        head, tail = "faq.learn_check_entry", "faq.learn_check_teaches"
    else:  # taken over, closed or answered in the office's words: learning sends nothing
        head = "faq.learn_preview_answered"
        if plan.taken or plan.closed:
            head = "faq.learn_preview_taken" if plan.taken else "faq.learn_preview_closed"
        tail = ""
    lines = [
        ctx.t("faq.learn_check_question", ticket=plan.ticket_id, question=plan.question),
        ctx.t(head, **values),
        "",
        f"<i>{escape(_preview(answer))}</i>",
    ]
    if tail:
        lines += ["", ctx.t(tail, **values)]
    data: dict[str, object] = {
        "ticket": plan.ticket_id,
        "entry": plan.entry_id,
        "sends": plan.sends,
    }
    await ctx.ask(CHECK_FLOW, CHECK_STEP, data)
    buttons = tuple(
        (Button(ctx.t(key), f"flc:{plan.ticket_id}:{choice}"),)
        for choice, key in _learn_choices(plan.sends).items()
    )
    await ctx.reply(Reply(Markup("\n".join(lines)), buttons))


async def learn_check_step(ctx: Context, text: str, data: dict[str, object]) -> None:
    """Typed at `/learn`'s preview: its buttons' words act as they do; anything else sends
    and teaches nothing, and the buttons are pointed to."""
    for choice, key in _learn_choices(bool(data.get("sends"))).items():
        if names_label(_without_polite_words(text), _named_labels(key)):
            await learn_check_chosen(ctx, choice)
            return
    raise NotAnAnswer("faq.learn_check_use_buttons", ticket=data.get("ticket", "?"))


async def learn_check_button(ctx: Context, parts: list[str]) -> None:
    """`flc:TICKET:CHOICE` under `/learn`'s preview; one of an older preview does nothing."""
    await _require_pending(ctx, CHECK_FLOW, parts)
    await learn_check_chosen(ctx, parts[1])


async def learn_check_chosen(ctx: Context, choice: str) -> None:
    """Send and teach, only send, or neither (once, however often pressed)."""
    data = await ctx.take_step(CHECK_FLOW, CHECK_STEP)
    if data is None:
        raise UserError("errors.stale_button")
    await ctx.require_admin("flow:faq_learn_check")
    ticket_id, entry_id = int(str(data.get("ticket"))), str(data.get("entry"))
    if choice not in _learn_choices(bool(data.get("sends"))):
        raise UserError("errors.stale_button")
    if choice == "go":
        await learn(ctx, ticket_id, entry_id, "", confirmed=True)
    elif choice == "send":
        await inbox.answer_with_entry(ctx.services, ctx.member.id, ticket_id, entry_id)
        entry = named((await faq_service(ctx.services).snapshot()).entries, entry_id)
        await ctx.say("faq.learn_sent_only", ticket=ticket_id, entry=entry)
    else:
        await ctx.say("faq.learn_cancelled", ticket=ticket_id)


async def offer_learning(ctx: Context, args: list[str]) -> None:
    """An entry's button under an office alert (`fl:TICKET:ENTRY`): what the member would get,
    as `/learn TICKET ENTRY` shows it (`fl:TICKET:ENTRY:go` and `:no`: an older preview's)."""
    if len(args) < 2 or not args[0].isdigit():
        raise UserError("errors.stale_button")
    ticket_id, entry_id = int(args[0]), args[1]
    await _refuse_sent_only(ctx, ticket_id)
    if args[2:] == ["go"]:
        await learn(ctx, ticket_id, entry_id, "", confirmed=True)
        return
    if args[2:] == ["no"]:
        await ctx.say("faq.learn_not_sent", ticket=ticket_id)
        return
    plan = await inbox.plan_learning(ctx.services, ticket_id, entry_id, "")
    if not plan.need:
        await preview_learning(ctx, plan)
        return
    # The entry lacks an answer in the member's language: "send" asks for it, and the draft
    # (answer and what the member gets) is shown before anything is stored or sent.
    entry = (await faq_service(ctx.services).snapshot()).entries.get(plan.entry_id)
    if entry is None:
        raise UserError("faq.unknown_entry", id=plan.entry_id)
    answer, used = answer_as_sent(ctx.services.router, entry, plan.lang)
    # the member sent it as a partner search, or the office closed it: sending teaches the
    # bot, nothing more
    head = "faq.learn_preview_taken" if plan.taken else "faq.learn_preview"
    lines = [
        ctx.t(
            "faq.learn_preview_closed" if plan.closed else head,
            ticket=ticket_id,
            title=title_in(entry, ctx.lang),
            language=ctx.t(f"faq.lang_{plan.lang}"),
        ),
        "",
        f"<i>{escape(_preview(answer))}</i>"
        if used == plan.lang
        else ctx.t("faq.learn_preview_missing"),
    ]
    buttons = (
        (
            Button(
                ctx.t("faq.learn_teach_only" if plan.taken or plan.closed else "faq.learn_send"),
                f"fl:{ticket_id}:{entry.id}:go",
            ),
            Button(ctx.t("faq.learn_dont_send"), f"fl:{ticket_id}:{entry.id}:no"),
        ),
    )
    await ctx.reply(Reply(text=Markup("\n".join(lines)), buttons=buttons))


async def _refuse_sent_only(ctx: Context, ticket_id: int) -> None:
    """An alert's entry button outlives the ticket: one answered since with an entry's
    answer "Nur senden, nicht lernen" has nothing left to do (the office chose not to teach
    it; /lernen typed still can), so the press says it is answered instead of a preview."""
    async with ctx.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id)
    if ticket is None or ticket.learned_entry_id is not None or ticket.sent_entry_id is None:
        return  # unknown, learned (refused by name) or not sent so: as before
    entries = (await faq_service(ctx.services).snapshot()).entries
    entry = named(entries, ticket.sent_entry_id)
    raise UserError("faq.alert_answered_sent_only", ticket=ticket_id, entry=entry)


LEARN_FLOW = "faq_learn"
# What `/learn N new ID` says instead of an entry (see `inbox.plan_learning`).
NEW_WORDS = inbox.NEW_WORDS
# The questions of `/learn`, in the order asked: titles (a new entry), then answers.
LEARN_STEPS = inbox.NEW_ENTRY_STEPS
REUSE_ANSWER = "="
# The languages a new entry is written without; the step showing the entry before it is saved.
LEFT_OUT = "left_out"
DRAFT_STEP = "draft"
PLAN_KEYS = ("ticket", "entry", "new", "need", LEFT_OUT, *LEARN_STEPS)


async def learn(
    ctx: Context, ticket_id: int, target: str, new_id: str, *, confirmed: bool = False
) -> None:
    """Teach the bot a ticket's question, close the ticket and answer the member, once.

    `/learn N ENTRY` adds the question as a phrasing of ENTRY, once the office saw what that
    sends and teaches (`preview_learning`; `confirmed`: it did); `/learn N new ID` makes a new
    entry, whose titles (its first phrasing in German and English) and answers are asked for.
    An entry without an answer in the member's language gets one asked for too.
    """
    found = await inbox.plan_learning(ctx.services, ticket_id, target, new_id)
    need = list(found.need)
    plan: dict[str, object] = {
        "ticket": ticket_id,
        "entry": found.entry_id,
        "new": found.is_new,
        "need": need,
    }
    if not need and not confirmed:
        await preview_learning(ctx, found)
        return
    if not need:
        await finish_learning(ctx, plan)
        return
    if found.is_new:  # named by the id just typed: it has no question yet
        await ctx.say(
            "faq.learn_intro_new", ticket=ticket_id, question=found.question, id=found.entry_id
        )
    else:
        entries = (await faq_service(ctx.services).snapshot()).entries
        entry = named(entries, found.entry_id)
        await ctx.say(
            "faq.learn_intro_entry", ticket=ticket_id, question=found.question, entry=entry
        )
    await _ask_learn(ctx, need[0], plan)


async def _ask_learn(ctx: Context, step: str, plan: dict[str, object]) -> None:
    await ctx.ask(LEARN_FLOW, step, plan)
    text = ctx.t(f"faq.learn_ask_{step}")
    if step in ("ade", "aen"):
        async with ctx.db.session() as session:
            ticket = await faq.get_ticket(session, int(str(plan["ticket"])))
        if ticket is not None and ticket.answer and ticket.lang == step[1:]:
            text = Markup(text + " " + ctx.t("faq.learn_reuse_hint", sign=REUSE_ANSWER))
    if not may_leave_out(plan, step):
        await ctx.reply(text)
        return
    lang = step[1:]
    out = Button(ctx.t(f"faq.learn_leave_out_{lang}"), f"fll:{plan['ticket']}:out:{step}")
    await ctx.reply(Reply(Markup(text + "\n" + ctx.t("faq.learn_leave_out_hint")), ((out,),)))


async def ask_again(ctx: Context, step: str, data: dict[str, object]) -> bool:
    """The text asked, or the entry as it will be stored, made anew in the admin's language
    now (/language meanwhile), what was written kept."""
    plan = {key: data[key] for key in PLAN_KEYS if key in data}
    if step == DRAFT_STEP:
        await show_draft(ctx, plan)
    elif step in LEARN_STEPS:
        await _ask_learn(ctx, step, plan)
    else:
        return False
    return True


def left_out(plan: dict[str, object]) -> list[str]:
    """The languages a new entry is written without (`/learn N new ID`, "-" typed)."""
    raw = plan.get(LEFT_OUT)
    return [str(lang) for lang in raw] if isinstance(raw, list) else []


def may_leave_out(plan: dict[str, object], step: str) -> bool:
    """A new entry may be written in one language only: the step's language (its title or
    answer) is left out unless the other one is already."""
    if not plan.get("new") or step not in LEARN_STEPS:
        return False
    other = "en" if step.endswith("de") else "de"
    return other not in left_out(plan)


def leave_out(plan: dict[str, object], lang: str) -> dict[str, object]:
    """The plan without `lang`'s version: its title and answer neither asked nor kept."""
    dropped = {f"t{lang}", f"a{lang}"}
    raw_need = plan.get("need")
    need = [str(s) for s in raw_need if s not in dropped] if isinstance(raw_need, list) else []
    kept = {key: value for key, value in plan.items() if key not in dropped}
    return {**kept, "need": need, LEFT_OUT: [*left_out(plan), lang]}


def _leave_out_labels() -> list[str]:
    """The buttons that leave a language out, as typed (in both languages)."""
    return [str(t(lang, f"faq.learn_leave_out_{out}")) for lang in LANGS for out in LANGS]


async def learn_step(ctx: Context, text: str, data: dict[str, object]) -> None:
    """One answer in the `/learn` conversation; an empty or too long one is asked again, and
    a word saying "skip" is never a text: it leaves a new entry's language out, or is refused."""
    if not ctx.is_admin:  # demoted in the middle of the conversation
        await ctx.end_flow(LEARN_FLOW)
    await ctx.require_admin("flow:faq_learn")
    step = str(data.get("step", ""))
    plan = {key: data[key] for key in PLAN_KEYS if key in data}
    if step == DRAFT_STEP:
        await _draft_typed(ctx, text, plan)
        return
    raw_need = plan.get("need")
    need = [str(s) for s in raw_need] if isinstance(raw_need, list) else []
    if step not in need:  # data of an older version of this conversation
        await ctx.end_flow(LEARN_FLOW)
        await ctx.say("common.cancelled")
        return
    if is_skip_word(text) or names_label(text, _leave_out_labels()):
        if may_leave_out(plan, step):
            await _next_learn(ctx, leave_out(plan, step[1:]))
            return
        key = "faq.learn_needs_one_language" if plan.get("new") else "faq.learn_needs_text"
        await ctx.say(key)
        await _ask_learn(ctx, step, plan)
        return
    if step in ("tde", "ten"):
        value = clean_text(text, limit=MAX_PHRASING_CHARS)
    elif text.strip() == REUSE_ANSWER:
        async with ctx.db.session() as session:
            ticket = await faq.get_ticket(session, int(str(plan["ticket"])))
        value = ticket.answer if ticket is not None and ticket.lang == step[1:] else ""
    elif len(text) > MAX_ANSWER_CHARS:
        await ctx.say("errors.field_too_long", limit=MAX_ANSWER_CHARS)
        await _ask_learn(ctx, step, plan)
        return
    else:
        value = clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)
    if not value:
        await ctx.say("faq.learn_needs_text")
        await _ask_learn(ctx, step, plan)
        return
    await _next_learn(ctx, {**plan, step: value})


async def _next_learn(ctx: Context, plan: dict[str, object]) -> None:
    """The next text still needed, or, with all of them, the entry as it will be stored."""
    raw_need = plan.get("need")
    need = [str(s) for s in raw_need] if isinstance(raw_need, list) else []
    missing = [step for step in need if step not in plan]
    if missing:
        await _ask_learn(ctx, missing[0], plan)
        return
    await show_draft(ctx, plan)


async def show_draft(ctx: Context, plan: dict[str, object]) -> None:
    """The entry (or the answers added to one) as it will be stored, and what the member will
    get: nothing is stored before *Speichern*."""
    ticket_id = int(str(plan["ticket"]))
    async with ctx.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id)
    if plan.get("new"):
        head = ctx.t("faq.learn_draft_new", id=str(plan["entry"]))
        versions = [_version(ctx, plan, lang) for lang in LANGS]
    else:
        entries = (await faq_service(ctx.services).snapshot()).entries
        head = ctx.t("faq.learn_draft_entry", entry=named(entries, str(plan["entry"])))
        versions = [
            ctx.t("faq.learn_draft_answer", language=ctx.t(f"faq.lang_{lang}"), answer=plan[step])
            for lang in LANGS
            if (step := f"a{lang}") in plan
        ]
    if ticket is not None and ticket.status == faq.OPEN:
        member_lang = ticket.lang if ticket.lang not in left_out(plan) else _other(ticket.lang)
        language = ctx.t(f"faq.lang_{member_lang}")
        member = ctx.t("faq.learn_draft_sends", ticket=ticket_id, language=language)
    else:
        member = ctx.t("faq.learn_draft_no_send", ticket=ticket_id)
    await ctx.ask(LEARN_FLOW, DRAFT_STEP, plan)
    buttons = (
        (
            Button(ctx.t("faq.learn_save"), f"fll:{ticket_id}:save"),
            Button(ctx.t("faq.learn_discard"), f"fll:{ticket_id}:discard"),
        ),
    )
    text = Markup("\n\n".join([head, *versions, member]))
    await ctx.reply(Reply(text, buttons))


def _other(lang: str) -> str:
    return "en" if lang == "de" else "de"


def _version(ctx: Context, plan: dict[str, object], lang: str) -> Markup:
    """A new entry's version in `lang`, or that there is none and what its readers get."""
    if lang in left_out(plan):
        return ctx.t(f"faq.learn_draft_left_out_{lang}")
    return ctx.t(
        "faq.learn_draft_version",
        language=ctx.t(f"faq.lang_{lang}"),
        title=str(plan.get(f"t{lang}", "")),
        answer=str(plan.get(f"a{lang}", "")),
    )


def _draft_labels(key: str) -> list[str]:
    return [str(t(lang, key)) for lang in LANGS]


def _named_labels(key: str) -> list[str]:
    """A label in both languages, and the words before its comma, which name it as the words
    before a dash do (`messages.names_label`): "Nur senden" for "Nur senden, nicht lernen"."""
    labels = _draft_labels(key)
    return [*labels, *(label.split(", ", 1)[0] for label in labels if ", " in label)]


def _without_polite_words(text: str) -> str:
    """ "Nur senden bitte" as "Nur senden"; a text of polite words only stays as it is."""
    words = text.split()
    kept = [word for word in words if not is_polite_word(word)]
    return " ".join(kept) if kept else text


async def _draft_typed(ctx: Context, text: str, plan: dict[str, object]) -> None:
    """Typed at the preview: its buttons' words act as they do; anything else is no text of
    the entry (it is shown, not stored), and the buttons are pointed to."""
    if names_label(text, _draft_labels("faq.learn_save")):
        await draft_chosen(ctx, "save")
    elif names_label(text, _draft_labels("faq.learn_discard")):
        await draft_chosen(ctx, "discard")
    else:
        raise NotAnAnswer("faq.learn_draft_use_buttons", ticket=plan.get("ticket", "?"))


async def draft_chosen(ctx: Context, choice: str) -> None:
    """*Speichern* stores the entry (once, however often pressed); *Verwerfen* drops it."""
    plan = await ctx.take_step(LEARN_FLOW, DRAFT_STEP)
    if plan is None:
        raise UserError("errors.stale_button")
    await ctx.require_admin("flow:faq_learn")
    if choice == "save":
        await finish_learning(ctx, plan)
    else:
        await ctx.say("faq.learn_discarded", ticket=plan.get("ticket", "?"))


async def learn_button(ctx: Context, parts: list[str]) -> None:
    """The buttons of the `/learn` conversation (`fll:TICKET:ACTION[:STEP]`): leave a
    language out at its step, save or discard the preview; an older one does nothing."""
    async with ctx.db.session() as session:
        pending = await conversations.get(session, member_id=ctx.member.id)
    if len(parts) < 2 or pending is None or pending.flow != LEARN_FLOW:
        raise UserError("errors.stale_button")
    if str(pending.data.get("ticket")) != parts[0]:
        raise UserError("errors.stale_button")
    action, step = parts[1], parts[2] if len(parts) > 2 else DRAFT_STEP
    if pending.step != step:
        raise UserError("errors.stale_button")
    if action in ("save", "discard"):
        await draft_chosen(ctx, action)
        return
    plan = {key: pending.data[key] for key in PLAN_KEYS if key in pending.data}
    if action != "out" or not may_leave_out(plan, step):
        raise UserError("errors.stale_button")
    await _next_learn(ctx, leave_out(plan, step[1:]))


async def finish_learning(ctx: Context, plan: dict[str, object]) -> None:
    """Store the entry, close the ticket and queue the member's answer, in one transaction."""
    ticket_id = int(str(plan["ticket"]))
    entry_id = str(plan["entry"])
    given = {step: str(plan[step]) for step in LEARN_STEPS if step in plan}
    try:
        if plan.get("new"):
            learned = await inbox.learn_new_entry(
                ctx.services,
                ctx.member.id,
                [ticket_id],
                inbox.NewEntry(  # a language left out has neither title nor answer
                    id=entry_id,
                    title_de=given.get("tde", ""),
                    title_en=given.get("ten", ""),
                    answer_de=given.get("ade", ""),
                    answer_en=given.get("aen", ""),
                ),
            )
        else:
            answers = {step[1:]: given[step] for step in ("ade", "aen") if step in given}
            learned = await inbox.learn_into_entry(
                ctx.services, ctx.member.id, ticket_id, entry_id, answers
            )
    except InvalidEntry as problem:
        raise entry_problem(ctx, problem) from problem
    key = "faq.learned_new" if learned.is_new else "faq.learned_phrasing"
    outcome = learned.outcomes[ticket_id]
    entry = named((await faq_service(ctx.services).snapshot()).entries, entry_id)
    await ctx.reply(
        Markup(ctx.t(key, ticket=ticket_id, entry=entry) + "\n" + ctx.t(outcome, ticket=ticket_id))
    )


def register(router: Router) -> None:
    @router.command(
        "inbox",
        help_key="faq.help_inbox",
        group="knowledge",
        order=1,
        admin=True,
        german="posteingang",
    )
    async def inbox(ctx: Context, _args: Args) -> None:
        """The questions the bot handed to the office, oldest first."""
        await show_inbox(ctx)

    @router.command(
        "answer",
        help_key="faq.help_answer",
        group="knowledge",
        order=2,
        admin=True,
        german="antwort",
        params=(Param("ticket", "int"), Param("text")),
    )
    async def answer(ctx: Context, args: Args) -> None:
        """Answer a ticket; the member receives it in their chat."""
        await answer_ticket(ctx, args.int("ticket"), args.text("text"))

    @router.command(
        "learn",
        help_key="faq.help_learn",
        group="knowledge",
        order=3,
        admin=True,
        german="lernen",
        params=(
            Param("ticket", "int"),
            Param("entry", "word"),
            # the rest of the line: an entry is named by its id or by its question
            Param("new_id", "text", required=False),
        ),
    )
    async def learn_command(ctx: Context, args: Args) -> None:
        """Teach the bot a ticket's question."""
        target, rest = args.text("entry"), args.text("new_id")
        if target.lower() not in NEW_WORDS and rest:
            target, rest = f"{target} {rest}", ""  # "/lernen 3 Worum geht es beim Symposium?"
        await learn(ctx, args.int("ticket"), target, rest)

    @router.command(
        "close",
        help_key="faq.help_close",
        group="knowledge",
        order=4,
        admin=True,
        german="erledigt",
        params=(Param("ticket", "int"),),
    )
    async def close_command(ctx: Context, args: Args) -> None:
        """Close a ticket without an answer: the member was helped elsewhere."""
        await close_ticket(ctx, args.int("ticket"))

    router.step(LEARN_FLOW, texts="flows.faq_entry", previews=(DRAFT_STEP,))(learn_step)
    router.ask_again(LEARN_FLOW)(ask_again)
    router.step(CHECK_FLOW, texts="flows.faq_learn_check", previews=(CHECK_STEP,))(learn_check_step)
    router.step(ANSWER_FLOW, texts="flows.faq_answer_check", previews=(CHECK_STEP,))(
        answer_check_step
    )
    router.button("fl", admin=True)(offer_learning)
    router.button("fll", admin=True)(learn_button)
    router.button("flc", admin=True)(learn_check_button)
    router.button("fac", admin=True)(answer_check_button)
