"""Fictional demo data for the console demo: no real person, e-mail or phone number."""

from __future__ import annotations

from pathlib import Path

from bot.transports.console import CONSOLE_CHAT
from handlers.events.demo import seed_events
from handlers.faq.kb_import import import_kb, parse_kb
from handlers.members.directory_import import import_directory, parse_directory
from storage import members
from storage.db import Database

DEMO_DIR = Path(__file__).parent
# The console user of the demo's cluster manager (an admin).
OFFICE = "demo-office"


async def seed(db: Database) -> None:
    """Fill an empty database with the demo members (and what the features add)."""
    rows = parse_directory((DEMO_DIR / "members.csv").read_text(encoding="utf-8"))
    async with db.session() as session:
        await import_directory(session, rows)
    faq_entries = parse_kb((DEMO_DIR / "faq.toml").read_text(encoding="utf-8"))
    async with db.session() as session:
        await import_kb(session, faq_entries)
    # `demo --as demo-anna` speaks as that directory member, and outbox messages to the demo
    # members (partner requests, introductions) show in the terminal.
    async with db.session() as session:
        for row in rows:
            member = await members.find_by_external_id(session, row.external_id)
            if member is not None and not member.accounts:
                await members.add_account(
                    session,
                    member_id=member.id,
                    platform="console",
                    user_id=row.external_id,
                    chat_id=f"{CONSOLE_CHAT}:{row.external_id}",
                )
    # The cluster manager of the demo: the admin whose dashboard link the demo prints.
    async with db.session() as session:
        office = await members.create_member_with_account(
            session,
            platform="console",
            user_id=OFFICE,
            chat_id=f"{CONSOLE_CHAT}:{OFFICE}",
            display_name="Clustermanagement (Demo)",
            language="de",
        )
        await members.update_member(
            session,
            member_id=office.id,
            organisation="REWIMET e. V., Geschäftsstelle (fiktiv)",
            onboarded=True,
            is_admin=True,
        )
    await seed_events(db)


async def speaker_language(db: Database, user_id: str, lang: str | None) -> str | None:
    """The language of the console's speaker `user_id` (the demo's, and `run`'s without
    platforms): a member who exists keeps theirs (None when there is none yet). One to be
    created with `lang` (`--lang`) is created now, that language answered: /start then asks
    no language a second time."""
    async with db.session() as session:
        account = await members.find_account(session, platform="console", user_id=user_id)
        if account is not None:
            member = await members.get_member(session, account.member_id)
            return member.language if member is not None else None
        if lang is None:
            return None
        created = await members.create_member_with_account(
            session,
            platform="console",
            user_id=user_id,
            chat_id=f"{CONSOLE_CHAT}:{user_id}",
            display_name=user_id,
            language=lang,
        )
        await members.answer_fields(session, member_id=created.id, language=lang)
    return lang


async def office_member(db: Database) -> int:
    """The member number of the demo's cluster manager."""
    async with db.session() as session:
        account = await members.find_account(session, platform="console", user_id=OFFICE)
    assert account is not None, "the demo database was seeded without its cluster manager"
    return account.member_id
