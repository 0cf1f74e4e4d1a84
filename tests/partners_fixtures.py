"""A small fictional directory for the partner-search tests: no real organisation or person."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from handlers.members.directory_import import import_directory, parse_directory
from handlers.partners import requests as flow
from handlers.partners.rules import REQUEST_TTL
from storage import members, partners
from storage.models import Account, Member, OutboxMessage
from tests.harness import Harness
from tests.web_harness import Dashboard

DIRECTORY = (Path(__file__).parent / "partners_directory.csv").read_text(encoding="utf-8")


async def import_members(bot: Harness, directory: str = DIRECTORY) -> dict[str, int]:
    """Import the directory and give every member a console account; returns their ids."""
    async with bot.db.session() as session:
        await import_directory(session, parse_directory(directory))
        found = await session.execute(select(Member).where(Member.external_id.is_not(None)))
        ids: dict[str, int] = {}
        for member in found.scalars():
            assert member.external_id is not None
            session.add(
                Account(
                    member_id=member.id,
                    platform="console",
                    user_id=member.external_id,
                    chat_id=f"chat-{member.external_id}",
                )
            )
            member.preferred_platform = "console"
            ids[member.external_id] = member.id
    return ids


async def outbox(bot: Harness, kind: str | None = None) -> list[OutboxMessage]:
    async with bot.db.session() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if kind is not None:
            query = query.where(OutboxMessage.kind == kind)
        return list((await session.execute(query)).scalars())


def buttons(message: OutboxMessage) -> list[str]:
    rows = message.payload.get("buttons", [])
    assert isinstance(rows, list)
    return [payload for row in rows for _label, payload in row]


async def flood_with_requests(
    bot: Harness, *, requester_id: int, member_id: int, count: int, now: datetime
) -> None:
    """Give a member `count` requests received yesterday (for the fairness cap)."""
    async with bot.db.session() as session:
        for n in range(count):
            request = await partners.create_request(
                session,
                requester_id=requester_id,
                text=f"Anfrage {n}",
                lang="de",
                now=now - timedelta(days=1),
                ttl=timedelta(days=30),
            )
            await partners.add_introduction(
                session,
                request_id=request.id,
                recipient_id=member_id,
                score=1.0,
                now=now - timedelta(days=1),
            )


async def office_request(where: Dashboard | Harness, requester_id: int, text: str) -> int:
    """A confirmed request nobody fitted: it waits in the office's inbox."""
    bot = where.bot if isinstance(where, Dashboard) else where
    services = bot.app.services
    async with bot.db.session() as session:
        requester = await members.get_member(session, requester_id)
        assert requester is not None
        request = await partners.create_request(
            session,
            requester_id=requester_id,
            text=text,
            lang="de",
            now=services.clock(),
            ttl=REQUEST_TTL,
        )
        await flow.send_request(
            session, request=request, requester=requester, matches=[], now=services.clock()
        )
        return request.id
