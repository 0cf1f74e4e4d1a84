"""The buttons in the messages the outbox delivered: the recipient's answer, the requester's yes;
and what the members waiting on a requester hear when the requester erases their data.

A payload names only an introduction id; who may press it is decided by the database row, so
a forwarded, forged or replayed button does nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.errors import UserError
from bot.messages import KEEPS_CHOICES, Reply
from bot.router import Router
from handlers.partners import requests as flow


def _parse(parts: list[str]) -> tuple[bool, int]:
    if len(parts) != 2 or parts[0] not in ("yes", "no") or not parts[1].isdecimal():
        raise UserError("errors.stale_button")
    return parts[0] == "yes", int(parts[1])


def register(router: Router) -> None:
    @router.before_erase
    async def requester_leaves(ctx: Context, session: AsyncSession) -> None:
        await flow.before_requester_erased(session, requester=ctx.member, now=ctx.services.clock())

    @router.button("pi")
    async def on_recipient_answer(ctx: Context, parts: list[str]) -> None:
        interested, intro_id = _parse(parts)
        async with ctx.db.session() as session:
            organisation = await flow.recipient_answers(
                session,
                intro_id=intro_id,
                member=ctx.member,
                interested=interested,
                now=ctx.services.clock(),
                settings=ctx.services.settings,
            )
        ctx.services.outbox_wakeup()
        key = "partners.thanks_interest" if interested else "partners.thanks_decline"
        await _answered(ctx, ctx.t(key, organisation=organisation))

    @router.button("pc")
    async def on_requester_confirm(ctx: Context, parts: list[str]) -> None:
        accept, intro_id = _parse(parts)
        async with ctx.db.session() as session:
            organisation = await flow.requester_confirms(
                session,
                intro_id=intro_id,
                member=ctx.member,
                accept=accept,
                now=ctx.services.clock(),
            )
        ctx.services.outbox_wakeup()
        key = "partners.confirmed" if accept else "partners.rejected_reply"
        await _answered(ctx, ctx.t(key, organisation=organisation))


async def _answered(ctx: Context, text: str) -> None:
    """The short reply to a press that answered one request of several (/pending lists
    them all): the choices of the others stay pressable by their numbers where choices are
    typed, so that a member answers one after another without listing them again."""
    await ctx.reply(Reply(text=text, popup=text, metadata={KEEPS_CHOICES: "yes"}))
