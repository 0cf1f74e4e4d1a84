"""The office inbox: `/inbox`, `/answer N text` (delivered through the outbox), `/learn`.

`/learn N ENTRY` adds the member's question as a new phrasing of an entry; `/learn N new ID`
makes a new entry of the question and the office's answer. Either way the bot answers the
same question itself next time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import Context
from bot.delivery import enqueue_for_member
from bot.errors import UserError
from bot.i18n import Markup, t
from bot.messages import Reply
from bot.router import Args, Param, Router
from handlers.faq.rules import (
    MAX_ANSWER_CHARS,
    MAX_PHRASING_CHARS,
    add_phrasing,
    clean_text,
    cut,
    normalise_id,
    row_to_fields,
    validate,
)
from handlers.faq.service import faq_service
from storage import faq, members
from storage.faq import EntryFields

INBOX_LIMIT = 20
PREVIEW_CHARS = 300


async def show_inbox(ctx: Context) -> None:
    async with ctx.db.session() as session:
        total, tickets = await faq.open_tickets(session, limit=INBOX_LIMIT)
    if not total:
        await ctx.say("faq.inbox_empty")
        return
    tz = ctx.services.settings.network.tz
    lines = [ctx.t("faq.inbox_title", count=total)]
    for item in tickets:
        ticket, member = item.ticket, item.member
        line = ctx.t(
            "faq.inbox_line",
            ticket=ticket.id,
            when=_as_utc(ticket.created_at).astimezone(tz).strftime("%d.%m. %H:%M"),
            who=member.organisation or member.display_name or "?",
            member=member.id,
            language=ticket.lang,
            question=_preview(ticket.text),
        )
        if item.rejected_entry_id is not None:
            line = Markup(line + "\n" + ctx.t("faq.inbox_rejected", id=item.rejected_entry_id))
        lines.append(line)
    if total > len(tickets):
        lines.append(ctx.t("faq.inbox_more", count=total - len(tickets)))
    lines.append(ctx.t("faq.inbox_hint"))
    await ctx.reply(Markup("\n".join(lines)))


def _as_utc(moment: datetime) -> datetime:
    """SQLite hands stored UTC times back without a zone."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _preview(text: str) -> str:
    return cut(text, PREVIEW_CHARS)


async def answer_ticket(ctx: Context, ticket_id: int, text: str) -> None:
    """Send the office's answer to the member who asked, through the outbox."""
    answer = clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)
    if not answer:
        raise UserError("errors.empty")
    async with ctx.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id, for_update=True)
        if ticket is None:
            raise UserError("faq.unknown_ticket", ticket=ticket_id)
        asker = await members.get_member(session, ticket.member_id)
        assert asker is not None  # the ticket goes with the member
        body = t(
            asker.language,
            "faq.office_answer",
            ticket=ticket.id,
            question=_preview(ticket.text),
            answer=answer,
        )
        queued = await enqueue_for_member(
            session, member=asker, reply=Reply(text=body), kind="office_answer"
        )
        if queued is None:
            raise UserError("faq.asker_unreachable", ticket=ticket_id)
        again = ticket.status == "answered"
        await faq.mark_answered(
            session, ticket_id=ticket.id, answer=answer, at=ctx.services.clock()
        )
    ctx.services.outbox_wakeup()
    await ctx.say("faq.answer_queued_again" if again else "faq.answer_queued", ticket=ticket_id)


async def learn(ctx: Context, ticket_id: int, target: str, new_id: str) -> None:
    """Save a ticket's question as a phrasing of an entry, or as a new entry."""
    async with ctx.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id, for_update=True)
        if ticket is None:
            raise UserError("faq.unknown_ticket", ticket=ticket_id)
        phrasing = clean_text(ticket.text, limit=MAX_PHRASING_CHARS)
        if target.lower() in ("new", "neu"):
            entry_id = normalise_id(new_id)
            if entry_id is None:
                raise UserError("faq.bad_id", id=new_id[:60] or "-")
            if await faq.get_entry(session, entry_id) is not None:
                raise UserError("faq.id_taken", id=entry_id)
            if not ticket.answer:
                raise UserError("faq.learn_needs_answer", ticket=ticket_id)
            fields = EntryFields(
                id=entry_id,
                tags=[],
                questions_de=[phrasing] if ticket.lang == "de" else [],
                questions_en=[phrasing] if ticket.lang == "en" else [],
                answer_de=ticket.answer if ticket.lang == "de" else "",
                answer_en=ticket.answer if ticket.lang == "en" else "",
            )
            key = "faq.learned_new"
        else:
            entry_id = normalise_id(target) or target[:60]
            row = await faq.get_entry(session, entry_id, for_update=True)
            if row is None:
                raise UserError("faq.unknown_entry", id=entry_id)
            current = row_to_fields(row)
            if not (current.answer_de if ticket.lang == "de" else current.answer_en):
                raise UserError("faq.learn_no_answer_in_lang", id=entry_id, language=ticket.lang)
            fields = add_phrasing(current, ticket.lang, phrasing)
            key = "faq.learned_phrasing"
        try:
            checked = validate(fields)
        except ValueError as exc:
            raise UserError("faq.invalid_entry", reason=str(exc)) from exc
        if await faq.upsert_entry(session, checked) != "unchanged":
            await faq.bump_revision(session)
        await faq.mark_learned(session, ticket_id=ticket_id, entry_id=entry_id)
    await faq_service(ctx.services).snapshot(fresh=True)
    await ctx.say(key, ticket=ticket_id, id=entry_id)


def register(router: Router) -> None:
    @router.command("inbox", help_key="faq.help_inbox", admin=True)
    async def inbox(ctx: Context, _args: Args) -> None:
        """The questions the bot handed to the office, oldest first."""
        await show_inbox(ctx)

    @router.command(
        "answer",
        help_key="faq.help_answer",
        admin=True,
        aliases=("antwort",),
        params=(Param("ticket", "int"), Param("text")),
    )
    async def answer(ctx: Context, args: Args) -> None:
        """Answer a ticket; the member receives it in their chat."""
        await answer_ticket(ctx, args.int("ticket"), args.text("text"))

    @router.command(
        "learn",
        help_key="faq.help_learn",
        admin=True,
        aliases=("lernen",),
        params=(
            Param("ticket", "int"),
            Param("entry", "word"),
            Param("id", "word", required=False),
        ),
    )
    async def learn_command(ctx: Context, args: Args) -> None:
        """Teach the bot a ticket's question."""
        await learn(ctx, args.int("ticket"), args.text("entry"), args.text("id"))
