"""Every admin command and every admin button, from a member: refused, nothing changed, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.app import build_router
from storage.models import AuditEntry, Member
from tests.harness import Harness
from tests.snapshot import row_counts, table_rows

ROUTER = build_router()
ADMIN_COMMANDS = sorted({c.name for c in ROUTER.unique_commands() if c.admin})
ADMIN_BUTTONS = sorted(prefix for prefix, (_h, admin) in ROUTER.buttons.items() if admin)
ARGUMENTS = ["", "1", "1 Text", "1 2 alles"]


def test_there_are_admin_commands_to_check() -> None:
    assert {"promote", "demote"} <= set(ADMIN_COMMANDS)


@pytest.mark.parametrize("command", ADMIN_COMMANDS)
async def test_admin_command_refused_for_member(bot: Harness, command: str) -> None:
    await bot.onboard("mallory")
    mallory = await bot.member("mallory")
    assert mallory is not None
    before = await row_counts(bot.db)
    members_before = await table_rows(bot.db, "members")
    for args in ARGUMENTS:
        chat = await bot.send("mallory", f"/{command} {args}".strip())
        assert "nur Admins" in chat.text, (command, args, chat.text)
    assert await row_counts(bot.db) == before
    assert await table_rows(bot.db, "members") == members_before
    async with bot.db.session() as session:
        audit = (
            (
                await session.execute(
                    select(AuditEntry).where(AuditEntry.actor_member_id == mallory.id)
                )
            )
            .scalars()
            .all()
        )
    assert len(audit) == len(ARGUMENTS)
    assert all(not e.allowed and e.action == f"command:{command}" for e in audit)


@pytest.mark.parametrize("prefix", ADMIN_BUTTONS or ["none"])
async def test_admin_button_refused_for_member(bot: Harness, prefix: str) -> None:
    if prefix == "none":
        pytest.skip("no admin buttons declared yet")
    await bot.onboard("mallory")
    before = await row_counts(bot.db)
    for payload in (f"{prefix}:1", f"{prefix}:1:yes", f"{prefix}:x:y:z"):
        chat = await bot.press("mallory", payload)
        assert "nur Admins" in chat.text
    assert await row_counts(bot.db) == before
    async with bot.db.session() as session:
        admins = (await session.execute(select(Member).where(Member.is_admin))).scalars().all()
    assert admins == []
