"""Queries on members and their platform accounts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    Text,
    UniqueConstraint,
    and_,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Invitation, LinkCode, Member

# Columns naming a member without a foreign key (kept when that member goes): the joined
# member takes them over too.
_LOOSE_REFERENCES = (
    ("events", "created_by"),
    ("event_series", "created_by"),
    ("broadcasts", "created_by"),
    ("event_jobs", "member_id"),
    ("faq_dismissed", "admin_id"),
)


async def find_account(session: AsyncSession, *, platform: str, user_id: str) -> Account | None:
    result = await session.execute(
        select(Account).where(Account.platform == platform, Account.user_id == user_id)
    )
    return result.scalar_one_or_none()


async def get_member(session: AsyncSession, member_id: int) -> Member | None:
    return await session.get(Member, member_id)


async def create_member_with_account(
    session: AsyncSession,
    *,
    platform: str,
    user_id: str,
    chat_id: str | None,
    display_name: str,
    language: str,
) -> Member:
    member = Member(display_name=display_name, language=language, preferred_platform=platform)
    member.accounts.append(Account(platform=platform, user_id=user_id, chat_id=chat_id))
    session.add(member)
    await session.flush()
    return member


async def set_account_chat(session: AsyncSession, *, account_id: int, chat_id: str) -> None:
    await session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(chat_id=chat_id, unreachable=False, unreachable_reason="")
    )


async def mark_unreachable(
    session: AsyncSession, *, platform: str, chat_id: str, reason: str
) -> None:
    await session.execute(
        update(Account)
        .where(Account.platform == platform, Account.chat_id == chat_id)
        .values(unreachable=True, unreachable_reason=reason[:200])
    )


async def update_member(session: AsyncSession, *, member_id: int, **fields: object) -> None:
    await session.execute(update(Member).where(Member.id == member_id).values(**fields))


async def answer_fields(session: AsyncSession, *, member_id: int, **fields: object) -> None:
    """Store fields the member gave themselves and remember that they gave them."""
    member = await session.get(Member, member_id)
    if member is None:
        return
    answered = sorted({*member.answered, *fields})
    await update_member(session, member_id=member_id, answered=answered, **fields)


async def delete_member(session: AsyncSession, *, member_id: int) -> None:
    await session.execute(delete(Member).where(Member.id == member_id))


async def news_readers(
    session: AsyncSession, *, young_professionals_only: bool = False
) -> list[Member]:
    """Members who chose the news: in their registration, or themselves before finishing it
    (/news ja, a button: `answer_fields` remembers it). Someone who only asked a question
    never chose them, whatever the default says."""
    query = select(Member).where(Member.news_subscribed.is_(True))
    if young_professionals_only:
        query = query.where(Member.young_professional.is_(True))
    result = await session.execute(query.order_by(Member.id))
    return [m for m in result.scalars() if m.onboarded or "news_subscribed" in m.answered]


async def list_members(session: AsyncSession) -> Sequence[Member]:
    result = await session.execute(select(Member).order_by(Member.id))
    return result.scalars().all()


async def count_unconnected(session: AsyncSession, external_ids: Sequence[str]) -> int:
    """How many of these directory members no chat account belongs to yet."""
    if not external_ids:
        return 0
    query = select(func.count(Member.id)).where(
        Member.external_id.in_(set(external_ids)),
        ~exists().where(Account.member_id == Member.id),
    )
    return int((await session.execute(query)).scalar_one())


def _console_held() -> ColumnElement[bool]:
    """A console account and none on a platform: no platform reaches the member."""
    console = exists().where(Account.member_id == Member.id, Account.platform == "console")
    elsewhere = exists().where(Account.member_id == Member.id, Account.platform != "console")
    return and_(console, ~elsewhere)


def console_only() -> ColumnElement[bool]:
    """Members played in a terminal (`rewimet-bot run` without platforms, `--as`): a console
    account, none on a platform, and no entry of the imported directory."""
    return and_(Member.external_id.is_(None), _console_held())


async def console_members(session: AsyncSession) -> Sequence[Member]:
    """The members played in a terminal, by id (`console_only`)."""
    result = await session.execute(select(Member).where(console_only()).order_by(Member.id))
    return result.scalars().all()


async def console_claimed(session: AsyncSession) -> Sequence[Member]:
    """Entries of the imported directory taken over in a terminal (an invitation's code tried
    in `run`): a console account and none on a platform. No platform reaches them, and no
    invitation is made for them while the console account is theirs."""
    query = select(Member).where(Member.external_id.is_not(None), _console_held())
    return (await session.execute(query.order_by(Member.id))).scalars().all()


async def drop_console_accounts(session: AsyncSession, member_id: int) -> None:
    """The member's console accounts removed; the member and their entry stay."""
    await session.execute(
        delete(Account).where(Account.member_id == member_id, Account.platform == "console")
    )


async def members_by_id(session: AsyncSession, member_ids: Sequence[int]) -> dict[int, Member]:
    """The members of `member_ids` that still exist, by id."""
    if not member_ids:
        return {}
    result = await session.execute(select(Member).where(Member.id.in_(set(member_ids))))
    return {member.id: member for member in result.scalars()}


async def find_by_external_id(session: AsyncSession, external_id: str) -> Member | None:
    result = await session.execute(select(Member).where(Member.external_id == external_id))
    return result.scalar_one_or_none()


async def admin_member_ids(
    session: AsyncSession,
    *,
    telegram_ids: Sequence[int],
    matrix_ids: Sequence[str],
    console_ids: Sequence[str] = (),
) -> set[int]:
    """Members who are admins by the config or by /promote."""
    ids = set((await session.execute(select(Member.id).where(Member.is_admin))).scalars())
    configured = (
        [("telegram", str(uid)) for uid in telegram_ids]
        + [("matrix", uid) for uid in matrix_ids]
        + [("console", uid) for uid in console_ids]
    )
    for platform, user_id in configured:
        account = await find_account(session, platform=platform, user_id=user_id)
        if account is not None:
            ids.add(account.member_id)
    return ids


async def is_admin(
    session: AsyncSession,
    *,
    member_id: int,
    telegram_ids: Sequence[int],
    matrix_ids: Sequence[str],
    console_ids: Sequence[str] = (),
) -> bool:
    """One member's admin right (by /promote or by the config), in one statement: the
    dashboard asks it on every request."""
    configured = (
        [("telegram", str(uid)) for uid in telegram_ids]
        + [("matrix", uid) for uid in matrix_ids]
        + [("console", uid) for uid in console_ids]
    )
    promoted = exists().where(Member.id == member_id, Member.is_admin)
    if not configured:  # admins by /promote (or `rewimet-bot admin add`) only: no empty or_()
        return bool(await session.scalar(select(promoted)))
    by_config = exists().where(
        Account.member_id == member_id,
        or_(*(and_(Account.platform == p, Account.user_id == u) for p, u in configured)),
    )
    condition = or_(promoted, by_config)
    return bool(await session.scalar(select(condition)))


async def admin_members(
    session: AsyncSession,
    *,
    telegram_ids: Sequence[int],
    matrix_ids: Sequence[str],
    console_ids: Sequence[str],
) -> list[Member]:
    """The admins (by the config or by /promote), in id order, with their accounts."""
    ids = await admin_member_ids(
        session, telegram_ids=telegram_ids, matrix_ids=matrix_ids, console_ids=console_ids
    )
    if not ids:
        return []
    result = await session.execute(select(Member).where(Member.id.in_(ids)).order_by(Member.id))
    return list(result.scalars())


async def store_link_code(
    session: AsyncSession, *, code: str, member_id: int, expires_at: datetime
) -> None:
    await session.execute(delete(LinkCode).where(LinkCode.member_id == member_id))
    session.add(LinkCode(code=code, member_id=member_id, expires_at=expires_at))


async def take_link_code(session: AsyncSession, *, code: str, now: datetime) -> int | None:
    """Use up a link code; returns the member it belongs to, or None if unknown or expired."""
    link = await session.get(LinkCode, code)
    if link is None:
        return None
    await session.delete(link)
    expires = (
        link.expires_at if link.expires_at.tzinfo else link.expires_at.replace(tzinfo=now.tzinfo)
    )
    return link.member_id if expires > now else None


async def move_accounts(session: AsyncSession, *, from_member: int, to_member: int) -> None:
    """Join two members into one: the accounts of `from_member` move over with everything
    of theirs (sign-ups, questions, requests…, see `move_belongings`), then it goes."""
    await move_belongings(session, from_member=from_member, to_member=to_member)
    await session.execute(delete(Member).where(Member.id == from_member))


def _member_columns() -> list[tuple[Table, Column[Any]]]:
    """Every column that names a member: those with a foreign key to members.id (found in
    the schema, as /mydata and /forget find them, so a new table is never forgotten) and
    the loose ones."""
    # Late: privacy reads the schema, which imports feature modules that use this one.
    from storage.privacy import member_columns
    from storage.schema import metadata

    found = member_columns()
    for name, column_name in _LOOSE_REFERENCES:
        loose = metadata.tables.get(name)
        if loose is not None:
            found.append((loose, loose.c[column_name]))
    return found


def _unique_keys(table: Table, column: Column[Any]) -> list[list[Column[Any]]]:
    """The unique keys of `table` (primary key, unique constraints and indexes) that
    contain `column`."""
    keys: list[list[Column[Any]]] = []
    if column in table.primary_key.columns.values():
        keys.append(list(table.primary_key.columns))
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and column in constraint.columns.values():
            keys.append(list(constraint.columns))
    for index in table.indexes:
        if index.unique and column in index.columns.values():
            keys.append(list(index.columns))
    if column.unique:
        keys.append([column])
    return keys


async def move_belongings(session: AsyncSession, *, from_member: int, to_member: int) -> None:
    """Everything that names `from_member` names `to_member` instead. A row `to_member`
    already has by a unique key (a sign-up for the same event, a vote in the same poll)
    stays theirs; `from_member`'s twin of it is erased as /forget erases it (a place it
    held is given back)."""
    for table, column in _member_columns():
        clashes = []
        for key in _unique_keys(table, column):
            twin = table.alias()
            same = [twin.c[other.name] == other for other in key if other is not column]
            clashes.append(exists().where(twin.c[column.name] == to_member, *same))
        mine = column == from_member
        movable = and_(mine, ~or_(*clashes)) if clashes else mine
        await session.execute(update(table).where(movable).values({column.name: to_member}))
        if not clashes:
            continue
        left = await session.scalar(select(func.count()).select_from(table).where(mine))
        if left:
            before_erase = table.info.get("before_member_erase")
            if before_erase is not None:
                await before_erase(session, from_member)
            await session.execute(delete(table).where(mine))


async def store_invitation(
    session: AsyncSession, *, code: str, member_id: int, expires_at: datetime
) -> None:
    """The member's invitation code; one given before is no longer valid."""
    await session.execute(delete(Invitation).where(Invitation.member_id == member_id))
    session.add(Invitation(code=code, member_id=member_id, expires_at=expires_at))
    await session.flush()


async def find_invitation(session: AsyncSession, *, code: str) -> Invitation | None:
    return await session.get(Invitation, code)


async def drop_invitation(session: AsyncSession, *, code: str) -> bool:
    """Use up an invitation; False when it was gone already (taken at the same moment)."""
    result = await session.execute(delete(Invitation).where(Invitation.code == code))
    return bool(getattr(result, "rowcount", 0) == 1)


async def members_without_accounts(session: AsyncSession) -> list[Member]:
    """Members no chat account belongs to (imported, not yet claimed), by id."""
    has_account = exists().where(Account.member_id == Member.id)
    result = await session.execute(select(Member).where(~has_account).order_by(Member.id))
    return list(result.scalars())


async def add_directory_member(
    session: AsyncSession, *, external_id: str, **fields: object
) -> Member:
    member = Member(external_id=external_id, **fields)
    session.add(member)
    await session.flush()
    return member


async def mark_user_unreachable(
    session: AsyncSession, *, platform: str, user_id: str, reason: str
) -> None:
    """No private chat can be opened with this user (the platform refused)."""
    await session.execute(
        update(Account)
        .where(Account.platform == platform, Account.user_id == user_id)
        .values(unreachable=True, unreachable_reason=reason[:200])
    )


async def add_account(
    session: AsyncSession, *, member_id: int, platform: str, user_id: str, chat_id: str | None
) -> None:
    session.add(Account(member_id=member_id, platform=platform, user_id=user_id, chat_id=chat_id))


def _like(text: str) -> str:
    """A LIKE pattern that finds `text` anywhere (its own % and _ taken literally, escape '!')."""
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


async def search_members(
    session: AsyncSession, *, query: str, offset: int = 0, limit: int = 50
) -> tuple[list[Member], int]:
    """Members whose name, organisation, city or a topic contains `query` (any case), by id;
    one page of them and how many match in all."""
    condition: ColumnElement[bool] = true()
    words = query.strip()
    if words:
        pattern = _like(words)
        # Topics are stored as JSON text, non-ASCII letters as \\u escapes.
        escaped = _like(json.dumps(words)[1:-1])
        options: list[ColumnElement[bool]] = [
            Member.display_name.ilike(pattern, escape="!"),
            Member.organisation.ilike(pattern, escape="!"),
            Member.city.ilike(pattern, escape="!"),
            cast(Member.topics, Text).ilike(pattern, escape="!"),
            cast(Member.topics, Text).ilike(escaped, escape="!"),
        ]
        if words.isdecimal() and len(words) < 18:
            options.append(Member.id == int(words))
        condition = or_(*options)
    total = int(
        (await session.execute(select(func.count(Member.id)).where(condition))).scalar_one()
    )
    result = await session.execute(
        select(Member).where(condition).order_by(Member.id).offset(offset).limit(limit)
    )
    return list(result.scalars()), total


async def all_topics(session: AsyncSession) -> Sequence[list[str]]:
    """Every member's topics (the directory's words for its field), for examples in texts."""
    result = await session.execute(select(Member.topics).where(Member.organisation != ""))
    return [list(topics or []) for topics in result.scalars()]


async def find_by_number_or_external_id(session: AsyncSession, given: str) -> Member | None:
    """The member an operator names on the command line: by member number, else by the id
    of the imported directory (whose ids may be numbers too)."""
    if given.isdigit():
        member = await session.get(Member, int(given))
        if member is not None:
            return member
    return await find_by_external_id(session, given)


async def directory_organisations(session: AsyncSession) -> list[str]:
    """The organisations of the network's member directory (imported entries, claimed or
    not), each once: a member who only registered in the chat names theirs, which makes it no
    member of the association."""
    result = await session.execute(
        select(Member.organisation)
        .where(Member.external_id.is_not(None), Member.organisation != "")
        .distinct()
        .order_by(Member.organisation)
    )
    return list(result.scalars())
