"""The office inbox: `/inbox`, `/answer N text` (delivered through the outbox), `/learn`.

`/learn N ENTRY` adds the member's question as a new phrasing of an entry; `/learn N new ID`
makes a new entry, asking the admin for its titles and answers in German and English (the
member's raw text is a phrasing, never the public title). Either way the ticket is closed, the
member gets the entry's answer in their language through the outbox (unless the office had
answered already), and the bot answers the same question itself next time. A ticket is
learned once: a second `/learn` sends nothing.
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.i18n.dates import show_when
from bot.messages import Button, Reply, escape, shorten
from bot.router import Args, Param, Router
from handlers.faq import inbox
from handlers.faq.kb_admin import entry_problem
from handlers.faq.kb_format import InvalidEntry
from handlers.faq.rules import (
    MAX_ANSWER_CHARS,
    MAX_PHRASING_CHARS,
    answer_as_sent,
    clean_text,
    named,
    title_in,
)
from handlers.faq.service import faq_service
from storage import faq
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
    closed = [line for line in [await _withdrawn_line(ctx)] if line] + _taken_lines(ctx, taken)
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
    total, tickets = await inbox.recently_withdrawn(ctx.services)
    if not tickets:
        return None
    line = ctx.t("faq.inbox_withdrawn", tickets=", ".join(f"#{ticket.id}" for ticket in tickets))
    if total > len(tickets):
        line = Markup(line + " " + ctx.t("faq.inbox_more", count=total - len(tickets)))
    return line


def _preview(text: str) -> str:
    return shorten(text, PREVIEW_CHARS)


async def answer_ticket(ctx: Context, ticket_id: int, text: str) -> None:
    """Send the office's answer to the member who asked, through the outbox."""
    done = await inbox.answer(ctx.services, ctx.member.id, ticket_id, text)
    taken = done.taken(ctx.lang)
    if taken is not None:  # the member had sent it as a partner search: the office knows
        await ctx.say("faq.answer_queued_taken", ticket=ticket_id, taken=taken)
        return
    await ctx.say(
        "faq.answer_queued_again" if done.again else "faq.answer_queued", ticket=ticket_id
    )


async def offer_learning(ctx: Context, args: list[str]) -> None:
    """An entry's button under an office alert (`fl:TICKET:ENTRY`): what the member would get,
    with "send" (`fl:TICKET:ENTRY:go`, which is `/learn TICKET ENTRY`) and "do not send"."""
    if len(args) < 2 or not args[0].isdigit():
        raise UserError("errors.stale_button")
    ticket_id, entry_id = int(args[0]), args[1]
    if args[2:] == ["go"]:
        await learn(ctx, ticket_id, entry_id, "")
        return
    if args[2:] == ["no"]:
        await ctx.say("faq.learn_not_sent", ticket=ticket_id)
        return
    plan = await inbox.plan_learning(ctx.services, ticket_id, entry_id, "")
    entry = (await faq_service(ctx.services).snapshot()).entries.get(plan.entry_id)
    if entry is None:
        raise UserError("faq.unknown_entry", id=plan.entry_id)
    answer, used = answer_as_sent(ctx.services.router, entry, plan.lang)
    lines = [
        ctx.t(
            # the member sent it as a partner search: sending teaches the bot, nothing more
            "faq.learn_preview_taken" if plan.taken else "faq.learn_preview",
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
                ctx.t("faq.learn_teach_only" if plan.taken else "faq.learn_send"),
                f"fl:{ticket_id}:{entry.id}:go",
            ),
            Button(ctx.t("faq.learn_dont_send"), f"fl:{ticket_id}:{entry.id}:no"),
        ),
    )
    await ctx.reply(Reply(text=Markup("\n".join(lines)), buttons=buttons))


LEARN_FLOW = "faq_learn"
# What `/learn N new ID` says instead of an entry (see `inbox.plan_learning`).
NEW_WORDS = inbox.NEW_WORDS
# The questions of `/learn`, in the order asked: titles (a new entry), then answers.
LEARN_STEPS = inbox.NEW_ENTRY_STEPS
REUSE_ANSWER = "="


async def learn(ctx: Context, ticket_id: int, target: str, new_id: str) -> None:
    """Teach the bot a ticket's question, close the ticket and answer the member, once.

    `/learn N ENTRY` adds the question as a phrasing of ENTRY; `/learn N new ID` makes a new
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
    await ctx.reply(text)


async def learn_step(ctx: Context, text: str, data: dict[str, object]) -> None:
    """One answer in the `/learn` conversation; an empty or too long one is asked again."""
    if not ctx.is_admin:  # demoted in the middle of the conversation
        await ctx.end_flow(LEARN_FLOW)
    await ctx.require_admin("flow:faq_learn")
    step = str(data.get("step", ""))
    plan = {
        key: data[key] for key in ("ticket", "entry", "new", "need", *LEARN_STEPS) if key in data
    }
    raw_need = plan.get("need")
    need = [str(s) for s in raw_need] if isinstance(raw_need, list) else []
    if step not in need:  # data of an older version of this conversation
        await ctx.end_flow(LEARN_FLOW)
        await ctx.say("common.cancelled")
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
    if not value or value == "-":
        await ctx.say("faq.learn_needs_text")
        await _ask_learn(ctx, step, plan)
        return
    plan[step] = value
    following = need.index(step) + 1
    if following < len(need):
        await _ask_learn(ctx, need[following], plan)
        return
    await ctx.end_flow(LEARN_FLOW)
    await finish_learning(ctx, plan)


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
                inbox.NewEntry(
                    id=entry_id,
                    title_de=given["tde"],
                    title_en=given["ten"],
                    answer_de=given["ade"],
                    answer_en=given["aen"],
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

    router.step(LEARN_FLOW, texts="flows.faq_entry")(learn_step)
    router.button("fl", admin=True)(offer_learning)
