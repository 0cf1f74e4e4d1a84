"""Thousands of onboarded members with a Telegram account each, inserted in bulk (benchmarks)."""

from __future__ import annotations

from sqlalchemy import insert

from storage.db import Database
from storage.models import Account, Member

FIRST_CHAT = 100_000  # member n has the Telegram user and chat id FIRST_CHAT + n
BATCH = 2000


async def add_members(db: Database, count: int) -> None:
    """Members 1..count: subscribed to news, every fourth in English."""
    members = [
        {
            "id": number,
            "display_name": f"Mitglied {number}",
            "organisation": f"Organisation {number}",
            "language": "de" if number % 4 else "en",
            "onboarded": True,
            "news_subscribed": True,
            "preferred_platform": "telegram",
        }
        for number in range(1, count + 1)
    ]
    accounts = [
        {
            "member_id": number,
            "platform": "telegram",
            "user_id": str(FIRST_CHAT + number),
            "chat_id": str(FIRST_CHAT + number),
        }
        for number in range(1, count + 1)
    ]
    async with db.session() as session:
        for start in range(0, count, BATCH):
            await session.execute(insert(Member), members[start : start + BATCH])
            await session.execute(insert(Account), accounts[start : start + BATCH])
