"""`/mydata` exports everything stored about a member; `/forget` erases it after a confirmation."""

from __future__ import annotations

import json

from bot.context import Context
from bot.errors import UserError
from bot.messages import Attachment, Button, Reply
from bot.router import Args, Router
from handlers.faq.service import faq_service
from handlers.members.rules import parse_yes_no
from storage import privacy
from storage.db import Database

FORGET_FLOW = "forget"


async def member_json(db: Database, member_id: int) -> bytes:
    """Everything stored about one member as JSON (the /mydata file; the dashboard's export)."""
    async with db.session() as session:
        data = await privacy.export_member(session, member_id=member_id)
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


async def export_json(ctx: Context) -> bytes:
    return await member_json(ctx.db, ctx.member.id)


def register(router: Router) -> None:
    # Someone the bot has no record of (never here, or just erased) is told that nothing is
    # stored: checking must not make them a new member.
    @router.command(
        "mydata",
        help_key="help.mydata",
        group="profile",
        order=11,
        german="meinedaten",
        to_stranger="privacy.nothing_stored",
    )
    async def my_data(ctx: Context, _args: Args) -> None:
        content = await export_json(ctx)
        attachment = Attachment(f"rewimet-mydata-{ctx.member.id}.json", content, "application/json")
        await ctx.reply(Reply(text=ctx.t("privacy.mydata"), attachment=attachment))

    @router.command(
        "forget",
        help_key="help.forget",
        group="profile",
        order=12,
        german="vergessen",
        to_stranger="privacy.nothing_to_forget",
    )
    async def forget(ctx: Context, _args: Args) -> None:
        await ask_forget(ctx)

    @router.ask_again(FORGET_FLOW)
    async def ask_again(ctx: Context, _step: str, _data: dict[str, object]) -> bool:
        """Whether to erase, asked anew in the member's language now (/language meanwhile)."""
        await ask_forget(ctx)
        return True

    @router.button("fg", to_stranger="privacy.nothing_to_forget")
    async def on_confirm(ctx: Context, parts: list[str]) -> None:
        if parts == ["no"]:
            await keep(ctx)
            return
        # The member id in the payload stops a forwarded or replayed button erasing someone else.
        if parts != [str(ctx.member.id)]:
            raise UserError("errors.stale_button")
        await erase(ctx)

    @router.step(FORGET_FLOW, texts="flows.forget")
    async def on_typed(ctx: Context, text: str, _state: dict[str, object]) -> None:
        # a hedged yes ("ich denke schon") erases nothing: only a plain one does
        if parse_yes_no(text, hedged_yes=False):
            await erase(ctx)
        else:
            await keep(ctx)


async def ask_forget(ctx: Context) -> None:
    """Whether to erase everything, with its buttons (or a typed yes or no)."""
    buttons = (
        (
            Button(ctx.t("privacy.forget_yes"), f"fg:{ctx.member.id}"),
            Button(ctx.t("common.no"), "fg:no"),
        ),
    )
    # A typed "ja" answers the question too (it read as thanks and erased nothing).
    await ctx.ask(FORGET_FLOW, "confirm")
    await ctx.reply(Reply(text=ctx.t("privacy.forget_confirm"), buttons=buttons))


async def erase(ctx: Context) -> None:
    """Erase everything stored about the member (their guided conversation goes with them)."""
    accounts = [(a.platform, a.user_id) for a in ctx.member.accounts]
    async with ctx.db.session() as session:
        # others waiting on something of the member's hear first that it will not come
        for hook in ctx.services.router.erasing_hooks:
            await hook(ctx, session)
        await privacy.erase_member(session, member_id=ctx.member.id)
    ctx.services.forgotten.update(accounts)
    ctx.services.outbox_wakeup()
    # What the member's questions taught the FAQ went with them: match without it now.
    await faq_service(ctx.services).snapshot(fresh=True)
    await ctx.reply(Reply(text=ctx.t("privacy.forgotten"), popup=ctx.t("privacy.forgotten")))


async def keep(ctx: Context) -> None:
    # Only the question whether to erase: a "no" pressed later must not end a registration.
    await ctx.end_flow(FORGET_FLOW)
    await ctx.say("privacy.forget_kept")
