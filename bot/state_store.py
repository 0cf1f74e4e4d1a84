"""Key/value state of the transports (sync tokens and the like) kept in the database."""

from __future__ import annotations

from storage import chat_routes, transport_state
from storage.db import Database


class DbStateStore:
    """The `StateStore` a transport gets from the composition root; one transaction per call."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: str) -> str | None:
        async with self.db.session() as session:
            return await transport_state.get_state(session, key)

    async def set(self, key: str, value: str) -> None:
        async with self.db.session() as session:
            await transport_state.set_state(session, key, value)

    async def record_route(self, platform: str, name: str, chat_id: str | None) -> None:
        async with self.db.session() as session:
            await chat_routes.record(session, platform=platform, name=name, chat_id=chat_id)
