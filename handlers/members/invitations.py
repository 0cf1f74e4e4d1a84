"""Invitations: the office invites the person behind an imported directory entry to claim it.

An imported member has no chat account; the person who starts the bot becomes a new member of
their own. An invitation code (chat `/invite N`, the dashboard, a CSV for a mail merge) joins
that person's chat account to the entry: `/start CODE` (Telegram's start link sends it) or
`/link CODE`. What the person had already (sign-ups, questions, answers) moves to the entry.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup, t
from bot.i18n.dates import show_date
from bot.messages import Platform, shorten
from bot.router import Args, Param, Router
from bot.services import Services
from handlers.members.directory_import import KINDS
from handlers.members.rules import reachable_now
from handlers.spreadsheet import spreadsheet_csv
from storage import conversations, members
from storage.models import Member

# Long enough for a letter or a mail merge to reach the person; a /link code lasts minutes.
INVITATION_LIFETIME = timedelta(days=30)
# No 0/O or 1/I/L: codes are typed from letters too. Ten letters (a /link code has eight), so
# the length alone tells the two apart.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
# `id` is the directory's id, as in the file the members were imported from (a mail merge
# joins on it); `member` the bot's number, which /einladen N takes.
CSV_COLUMNS = ("id", "member", "organisation", "contact", "code", "link", "valid_until")
# The fields an invited member's own answers fill when the directory left them empty.
_TEXT_FIELDS = ("organisation", "role", "topics", "contact")
# The member's own choices, which win over the directory's defaults once they made them.
_CHOICES = ("language", "partner_consent", "news_subscribed", "young_professional")


@dataclass(frozen=True)
class Invited:
    """An invitation just made: the member, the code, until when, and the start link."""

    member: Member
    code: str
    expires_at: datetime
    link: str | None


def new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def as_code(typed: str) -> str | None:
    """The invitation code typed (any case, spaces around), or None when it cannot be one."""
    code = typed.strip().upper()
    if len(code) == CODE_LENGTH and all(ch in _ALPHABET for ch in code):
        return code
    return None


def start_link(services: Services, code: str) -> str | None:
    """The Telegram link that starts a chat with the bot and sends `/start CODE`, when the
    bot's name is known (`Services.start_links`); None otherwise."""
    link = services.start_links.get(Platform.TELEGRAM)
    return link(code) if link is not None else None


def platform_name(lang: str, platform: str | None) -> str:
    """A platform's proper name (Telegram, Matrix, Konsole/Console); unknown ones as given."""
    key = f"web.platform_{platform}"
    text = str(t(lang, key))
    return (platform or "–") if text == key else text


def platforms_of(member: Member, lang: str) -> str:
    """The platforms the member's chat accounts are on, by name ("Telegram, Matrix")."""
    names = sorted({account.platform for account in member.accounts})
    return ", ".join(platform_name(lang, name) for name in names)


def refusal(member: Member, lang: str) -> UserError | None:
    """Why the member gets no invitation: a chat account is theirs already. In the chat, they
    need none (another platform they connect themselves, /link); unreachable there (blocked
    the bot, left its chat), an invitation would not bring them back, a message of theirs does."""
    if not member.accounts:
        return None
    values = {
        "number": member.id,
        "organisation": member.organisation or member.display_name or "–",
        "platforms": platforms_of(member, lang),
    }
    return UserError("invite.in_chat" if reachable_now(member) else "invite.left_chat", **values)


async def create_invitation(services: Services, member_id: int, *, lang: str) -> Invited:
    """A fresh invitation for the member (the one before stops working); refused for a
    member a chat account belongs to already (`refusal`)."""
    expires = services.clock() + INVITATION_LIFETIME
    async with services.db.session() as session:
        member = await members.get_member(session, member_id)
        if member is None:
            raise UserError("errors.unknown_member", number=member_id)
        refused = refusal(member, lang)
        if refused is not None:
            raise refused
        code = new_code()
        await members.store_invitation(session, code=code, member_id=member_id, expires_at=expires)
    return Invited(member, code, expires, start_link(services, code))


async def invitations_csv(services: Services) -> tuple[str, int]:
    """A fresh invitation for every member no chat account belongs to yet, as the office's
    CSV (formula-safe) for a mail merge: the directory's id, the member's number,
    organisation, contact, code, link, valid until; and how many."""
    async with services.db.read() as session:
        waiting = await members.members_without_accounts(session)
    tz = services.settings.network.tz
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for member in waiting:
        # no chat account is theirs: never refused, nothing said in a language
        invited = await create_invitation(services, member.id, lang="en")
        until = invited.expires_at.astimezone(tz).date().isoformat()
        rows.append(
            [
                member.external_id or "",
                member.id,
                member.organisation,
                member.contact,
                invited.code,
                invited.link,
                until,
            ]
        )
    return spreadsheet_csv(rows), len(waiting)


def invitation_text(ctx: Context, invited: Invited) -> Markup:
    """What the office is shown: the code, the ways to use it, until when."""
    code = invited.code
    ways = [ctx.t("invite.way_telegram", link=invited.link)] if invited.link else []
    matrix_bot = ctx.services.settings.matrix.user_id
    if matrix_bot:
        ways.append(ctx.t("invite.way_matrix", bot=matrix_bot, code=code))
    else:
        ways.append(ctx.t("invite.way_chat", code=code))
    member = invited.member
    return ctx.t(
        "invite.created",
        number=member.id,
        organisation=member.organisation or member.display_name or "–",
        code=code,
        ways=Markup("\n".join(ways)),
        until=show_date(invited.expires_at, lang=ctx.lang, tz=ctx.services.settings.network.tz),
        days=INVITATION_LIFETIME.days,
    )


def _expired(expires_at: datetime, now: datetime) -> bool:
    expires = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=now.tzinfo)
    return expires <= now


def taken_over(person: Member, entry: Member) -> tuple[dict[str, object], list[str]]:
    """What of the person's own profile the entry takes, and the fields where the person's
    answer differs from the directory's (the directory's stays; the greeting names them).
    The directory's data is the office's; the person's choices (language, news, partner
    requests) are theirs."""
    fields: dict[str, object] = {}
    differing: list[str] = []
    for name in _TEXT_FIELDS:
        own = getattr(person, name)
        if name not in person.answered or not own:
            continue
        if not getattr(entry, name):
            fields[name] = own
        elif own != getattr(entry, name):
            differing.append(name)
    for name in _CHOICES:
        if name in person.answered:
            fields[name] = getattr(person, name)
    if "news_subscribed" in fields:
        fields["news_stopped_at"] = person.news_stopped_at
    if not entry.display_name:
        fields["display_name"] = person.display_name
    if not entry.preferred_platform:
        fields["preferred_platform"] = person.preferred_platform
    if person.is_admin:
        fields["is_admin"] = True
    taken = {name for name in fields if name in person.answered}
    if taken:
        fields["answered"] = sorted({*entry.answered, *taken})
    return fields, differing


async def claim(ctx: Context, typed: str) -> None:
    """Join the speaker's chat account to the entry the invitation code is for; whatever
    was the speaker's own moves with it. A `UserError` says why not."""
    code = as_code(typed)
    if code is None:
        raise UserError("invite.unknown")
    person = ctx.member
    async with ctx.db.session() as session:
        invitation = await members.find_invitation(session, code=code)
        if invitation is None:
            raise UserError("invite.unknown")
        if _expired(invitation.expires_at, ctx.services.clock()):
            raise UserError("invite.expired")
        entry = await members.get_member(session, invitation.member_id)
        assert entry is not None  # the invitation goes with its member
        if entry.id == person.id:
            raise UserError("invite.already_yours", organisation=entry.organisation or "–")
        if person.external_id:
            # This account belongs to another entry of the directory: joining would erase it.
            raise UserError("invite.other_entry", organisation=person.organisation or "–")
        taken = {account.platform for account in entry.accounts} & {
            account.platform for account in person.accounts
        }
        if taken:
            platform = platform_name(ctx.lang, min(taken))
            raise UserError("invite.platform_taken", platform=platform)
        if not await members.drop_invitation(session, code=code):
            # Used at this moment by someone else (PostgreSQL: their delete went first).
            raise UserError("invite.unknown")
        fields, differing = taken_over(person, entry)
        # A sign-up under way is over: the entry has its profile.
        await conversations.clear(session, member_id=person.id)
        await members.move_accounts(session, from_member=person.id, to_member=entry.id)
        if fields:
            await members.update_member(session, member_id=entry.id, **fields)
        await session.refresh(entry)
        # the office hears of what waited for the member (a partner request they fit)
        await ctx.services.router.member_joined(ctx, session, entry)
    ctx.services.outbox_wakeup()
    ctx.member = entry
    await ctx.reply(greeting(ctx, entry, differing, person))


def greeting(ctx: Context, entry: Member, differing: list[str], person: Member) -> Markup:
    """The welcome of a claimed entry: by the organisation's name, what the network knows
    about them (the directory's profile) and how to change it."""
    yes, no = ctx.t("common.yes"), ctx.t("common.no")
    kind = ctx.t(f"broadcast.kind_{entry.kind}") if entry.kind in KINDS else entry.kind or "–"
    profile = ctx.t(
        "invite.profile",
        organisation=entry.organisation or "–",
        kind=kind,
        city=entry.city or "–",
        role=entry.role or "–",
        topics="; ".join(entry.topics or []) or "–",
        bio=shorten(entry.bio, 300) if entry.bio else "–",
        contact=entry.contact or "–",
        consent=Markup(yes if entry.partner_consent else no),
    )
    lines = [
        ctx.t(
            "invite.claimed",
            organisation=entry.organisation or entry.display_name or "–",
            number=entry.id,
            profile=profile,
        ),
        ctx.t(
            "invite.how_to_change",
            profile=ctx.command("profile"),
            organisation=ctx.command("organisation"),
            topics=ctx.command("topics"),
            role=ctx.command("role"),
            contact=ctx.command("contact"),
            consent=ctx.command("partnerrequests"),
        ),
    ]
    if differing:
        own = [
            ctx.t(
                "invite.own_line",
                field=ctx.t(f"profile.field.{name}"),
                value="; ".join(getattr(person, name))
                if isinstance(getattr(person, name), list)
                else getattr(person, name),
            )
            for name in differing
        ]
        lines.append(ctx.t("invite.own_differs", lines=Markup("\n".join(own))))
    return Markup("\n\n".join(lines))


def register(router: Router) -> None:
    @router.command(
        "invite",
        help_key="help.invite",
        group="members",
        order=4,
        params=(Param("member", "int"),),
        admin=True,
        german="einladen",
    )
    async def invite(ctx: Context, args: Args) -> None:
        """An invitation for an imported member to claim their entry from their chat."""
        invited = await create_invitation(ctx.services, args.int("member"), lang=ctx.lang)
        await ctx.reply(invitation_text(ctx, invited))

    @router.claims_text
    async def is_invitation(ctx: Context, text: str) -> bool:
        """A code typed alone while a step asks for a name is the invitation, not the name."""
        return await _invitation_exists(ctx, text)

    @router.free_text(priority=3)
    async def typed_code(ctx: Context, text: str) -> bool:
        """The code typed alone (Matrix has no start link): claimed as by `/start CODE`."""
        if not await _invitation_exists(ctx, text):
            return False
        await claim(ctx, text)
        return True


async def _invitation_exists(ctx: Context, text: str) -> bool:
    code = as_code(text)
    if code is None:
        return False
    async with ctx.db.read() as session:
        return await members.find_invitation(session, code=code) is not None
