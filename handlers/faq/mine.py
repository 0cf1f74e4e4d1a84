"""A member's own questions at the office: `/myquestions` lists the open ones, each withdrawn
with one press (`fqw:TICKET`), and below them the few the office answered lately, with the
answer: the member reads it again there (the chat's message may be long scrolled away).

`open_questions` and `withdraw` are the rules, plain functions a test calls without a chat. A
withdrawn ticket stays stored (status "withdrawn", the time in `answered_at`): the office's
inbox shows it as withdrawn by the member, the admins' alerts about it say so (without their
buttons), and `/answer`, `/learn` and the dashboard refuse it (handlers/faq/inbox.py
`refuse_withdrawn`). Only the member who asked withdraws a ticket; a
button of a ticket answered meanwhile says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup, t
from bot.i18n.dates import show_date
from bot.messages import KEEPS_CHOICES, Button, Reply, shorten
from bot.router import Args, Router
from bot.services import Services
from handlers.faq import alerts
from storage import faq
from storage.event_store import as_utc

log = logging.getLogger(__name__)

# A member has at most asking.MAX_OPEN_TICKETS open; room for ones opened side by side.
MAX_LISTED = 10
# The question as the list shows it, and as the withdrawal quotes it.
LISTED_CHARS = 100
QUOTED_CHARS = 80
BUTTON = "fqw"
# Answered questions listed below the open ones: the latest few of the last weeks, kept short
# (a phone's width); the full answer is the chat's message.
ANSWERED_DAYS = 30
ANSWERED_LISTED = 3
ANSWER_CHARS = 300


@dataclass(frozen=True)
class OpenQuestion:
    """A question of the member's that waits for the office, since `asked_at` (UTC)."""

    ticket_id: int
    text: str
    asked_at: datetime
    waiting: timedelta


async def open_questions(services: Services, member_id: int) -> list[OpenQuestion]:
    """The member's questions still waiting for the office, the oldest first."""
    now = services.clock()
    async with services.db.read() as session:
        tickets = await faq.open_tickets_of(session, member_id=member_id, limit=MAX_LISTED)
    found = []
    for ticket in tickets:
        asked = as_utc(ticket.created_at)
        found.append(OpenQuestion(ticket.id, ticket.text, asked, max(now - asked, timedelta())))
    return found


@dataclass(frozen=True)
class AnsweredQuestion:
    """A question of the member's the office answered at `answered_at` (UTC)."""

    ticket_id: int
    text: str
    answer: str
    answered_at: datetime


async def answered_questions(services: Services, member_id: int) -> list[AnsweredQuestion]:
    """The member's questions the office answered in the last `ANSWERED_DAYS`, the latest
    answer first, at most `ANSWERED_LISTED`."""
    since = services.clock() - timedelta(days=ANSWERED_DAYS)
    async with services.db.read() as session:
        tickets = await faq.answered_tickets_of(
            session, member_id=member_id, since=since, limit=ANSWERED_LISTED
        )
    return [
        AnsweredQuestion(t.id, t.text, t.answer, as_utc(t.answered_at or t.created_at))
        for t in tickets
    ]


@dataclass(frozen=True)
class Withdrawn:
    ticket_id: int
    text: str


async def withdraw(services: Services, member_id: int, ticket_id: int) -> Withdrawn:
    """Withdraw the member's own open question: the office no longer answers it.

    Someone else's ticket, or none, is refused alike (nothing tells whether it exists); one
    answered or withdrawn already says so.
    """
    async with services.db.session() as session:
        ticket = await faq.get_ticket(session, ticket_id, for_update=True)
        if ticket is None or ticket.member_id != member_id:
            raise UserError("faq.mine_not_yours")
        if ticket.status == faq.WITHDRAWN:
            raise UserError("faq.mine_withdrawn_already", ticket=ticket_id)
        if ticket.status == faq.CLOSED:  # settled otherwise (the office phoned, say)
            raise UserError("faq.mine_closed", ticket=ticket_id)
        withdrawn = ticket.status == faq.OPEN and await faq.mark_withdrawn(
            session, ticket_id=ticket_id, member_id=member_id, at=services.clock()
        )
        if not withdrawn:  # answered, maybe a moment ago
            raise UserError("faq.mine_answered", ticket=ticket_id)
        # the admins' alerts about it lose their buttons: nobody sets out to answer it
        await alerts.settle(session, ticket, alerts.withdrawn)
    services.outbox_wakeup()
    log.info("ticket %s withdrawn by member %s", ticket_id, member_id)
    return Withdrawn(ticket_id, ticket.text)


def waiting_text(lang: str, waiting: timedelta) -> str:
    """How long a question waits, in words: "seit 3 Tagen", "for 5 hours"."""
    hours = int(waiting.total_seconds() // 3600)
    if hours < 1:
        return t(lang, "faq.mine_waits_moment")
    if hours < 24:
        return t(lang, "faq.mine_waits_hours", count=hours)
    return t(lang, "faq.mine_waits_days", count=hours // 24)


async def show_mine(ctx: Context) -> None:
    """The member's open questions, each with its date, how long it waits and a button to
    withdraw it; below them the latest answered ones with their answers; plainly none when
    there are neither."""
    found = await open_questions(ctx.services, ctx.member.id)
    answered = await answered_questions(ctx.services, ctx.member.id)
    if not found and not answered:
        await ctx.say("faq.mine_none")
        return
    tz = ctx.services.settings.network.tz
    lines = [ctx.t("faq.mine_title", count=len(found))] if found else []
    buttons: list[tuple[Button, ...]] = []
    for question in found:
        line = ctx.t(
            "faq.mine_line",
            ticket=question.ticket_id,
            date=show_date(question.asked_at, lang=ctx.lang, tz=tz),
            waiting=waiting_text(ctx.lang, question.waiting),
            question=shorten(question.text, LISTED_CHARS),
        )
        lines.append(line)
        label = ctx.t("faq.mine_withdraw", ticket=question.ticket_id)
        buttons.append((Button(label, f"{BUTTON}:{question.ticket_id}"),))
    if found:
        lines.append(ctx.t("faq.mine_hint"))
    else:
        lines.append(ctx.t("faq.mine_none_open"))
    lines.extend(_answered_lines(ctx, answered))
    await ctx.reply(Reply(text=Markup("\n\n".join(lines)), buttons=tuple(buttons)))


def _answered_lines(ctx: Context, answered: list[AnsweredQuestion]) -> list[Markup]:
    """The answered questions under their own heading, apart from the open ones."""
    if not answered:
        return []
    tz = ctx.services.settings.network.tz
    lines = [ctx.t("faq.mine_answered_title", days=ANSWERED_DAYS)]
    for question in answered:
        lines.append(
            ctx.t(
                "faq.mine_answered_line",
                ticket=question.ticket_id,
                date=show_date(question.answered_at, lang=ctx.lang, tz=tz),
                question=shorten(question.text, LISTED_CHARS),
                answer=shorten(question.answer, ANSWER_CHARS),
            )
        )
    return lines


async def withdraw_button(ctx: Context, args: list[str]) -> None:
    """A "withdraw" button of the list: no confirmation beyond the press.

    What it says keeps the list's choices: the other questions' buttons still withdraw them,
    by their number or words where choices are typed (console, Matrix), one after another
    without listing them again; a button pressed twice, or of a question answered meanwhile,
    says so and keeps them too."""
    if len(args) != 1 or not args[0].isdecimal() or len(args[0]) > 18:
        raise UserError("errors.stale_button")
    await _keeping_list(ctx, await withdrawn_said(ctx, int(args[0])))


async def withdrawn_said(ctx: Context, ticket_id: int) -> Markup:
    """Withdraw the member's question `ticket_id` (`withdraw`): what to tell them, the
    withdrawal or why not."""
    try:
        done = await withdraw(ctx.services, ctx.member.id, ticket_id)
    except UserError as refused:
        return ctx.t(refused.key, **refused.values)
    quoted = ctx.t("faq.quoted", text=shorten(done.text, QUOTED_CHARS))
    return ctx.t("faq.mine_withdrawn", ticket=done.ticket_id, question=quoted)


async def _keeping_list(ctx: Context, text: Markup) -> None:
    await ctx.reply(Reply(text=text, metadata={KEEPS_CHOICES: "yes"}))


def register(router: Router) -> None:
    @router.command(
        "myquestions",
        help_key="faq.help_mine",
        group="questions",
        order=2,
        german="meinefragen",
        private_only=True,
    )
    async def my_questions(ctx: Context, _args: Args) -> None:
        """The member's questions waiting for the office; withdraw one."""
        await show_mine(ctx)

    router.button(BUTTON)(withdraw_button)
