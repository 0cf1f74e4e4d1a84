"""`/mydata` exports everything stored about a member; `/forget` erases it after a confirmation."""

from __future__ import annotations

import json

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup, file_prefix
from bot.messages import Attachment, Button, Reply
from bot.router import Args, Router
from handlers.faq.service import faq_service
from handlers.members.directory_import import KINDS
from handlers.members.profile import is_begun, render_begun, render_profile
from handlers.members.rules import has_person_name, parse_yes_no
from storage import privacy
from storage.db import Database

FORGET_FLOW = "forget"
PLATFORM_NAMES = {"telegram": "Telegram", "matrix": "Matrix", "console": "Terminal"}


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
        async with ctx.db.session() as session:
            counts = await privacy.count_member_records(session, member_id=ctx.member.id)
        attachment = Attachment(
            f"{file_prefix()}-mydata-{ctx.member.id}.json", content, "application/json"
        )
        await ctx.reply(Reply(text=summary(ctx, counts), attachment=attachment))

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


# What else is stored about a member, as /mydata names it: one catalogue text per table
# (`privacy.records.TABLE`), in this order; a table not named here counts as "other".
RECORDS = (
    "faq_questions",
    "faq_inbox",
    "faq_learned_teachers",
    "event_signups",
    "event_poll_votes",
    "event_series_members",
    "calendar_feeds",
    "partner_requests",
    "partner_introductions",
    "partner_waiting_fits",
    "stored_files",
    "outbox",
    "conversations",
    "invitations",
    "link_codes",
    "web_links",
    "web_sessions",
    "audit_log",
)
# Shown by the profile or the platforms' line, not counted again.
_SHOWN = frozenset({"members", "accounts"})


def summary(ctx: Context, counts: dict[str, int]) -> Markup:
    """What /mydata says in the member's language: the profile as /profile shows it (with
    what a directory gave beside it), the chat accounts, and how many of everything else is
    stored; the file has each record in full."""
    member = ctx.member
    parts: list[str] = []
    if member.onboarded:
        parts.append(render_profile(ctx))
    elif is_begun(member):
        parts.append(render_begun(ctx))
    kind = member.kind or ""
    shown = {
        # the name the attendee lists show (the chat's, or given with /name); the profile
        # names it when there is one to show
        "display_name": ""
        if member.onboarded or has_person_name(member)
        else member.display_name.strip(),
        # a directory's own word ("chamber") as it is; the usual kinds in the member's words
        "kind": ctx.t(f"privacy.kind.{kind}") if kind in KINDS else kind,
        "city": member.city or "",
        "bio": member.bio or "",
    }
    directory = [
        ctx.t("profile.line", field=ctx.t(f"privacy.field.{field}"), value=value)
        for field, value in shown.items()
        if value
    ]
    platforms = sorted({PLATFORM_NAMES.get(a.platform, a.platform) for a in member.accounts})
    if platforms:
        directory.append(ctx.t("privacy.accounts", platforms=", ".join(platforms)))
    if directory:
        parts.append("\n".join(directory))
    named = [table for table in RECORDS if counts.get(table)]
    other = sum(n for table, n in counts.items() if table not in RECORDS and table not in _SHOWN)
    lines = [ctx.t(f"privacy.records.{table}", count=counts[table]) for table in named]
    if other:
        lines.append(ctx.t("privacy.records.other", count=other))
    parts.append(
        ctx.t("privacy.records_intro", lines=Markup("\n".join(lines)))
        if lines
        else ctx.t("privacy.records_none")
    )
    return ctx.t("privacy.mydata_summary", parts=Markup("\n\n".join(parts)))


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
