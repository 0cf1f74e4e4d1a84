"""The bot on Matrix as the end-to-end tests run it: the real app and transport against the
session's Synapse, members as matrix-nio clients, and the helpers those tests share.

`tests/conftest.py` imports the fixtures (`bot_factory`, `member`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient

from bot.app import App, build_app
from bot.config import parse_settings
from bot.context import Context
from bot.demo import DEMO_DIR
from bot.messages import TYPED, Attachment, Button, Platform, Reply
from bot.router import Args
from bot.state_store import DbStateStore
from bot.transports.matrix import MatrixOptions, MatrixTransport
from bot.transports.matrix_session import configured_rooms
from handlers.faq.kb_import import import_kb, parse_kb
from storage import members
from tests.conftest_synapse import MatrixAccount, NioClientFactory, SynapseServer
from tests.matrix_members import Seen, TestMember

__all__ = ["bot_factory", "member"]  # the fixtures; import the rest by name

POLL_START = ("org.matrix.msc3381.poll.start",)


@dataclass
class Recorded:
    presses: list[tuple[str, str]] = field(default_factory=list)


def add_test_features(app: App, recorded: Recorded) -> None:
    """Stand-ins for a generic choice and a file; polls and sign-ups use the events feature."""
    router = app.services.router

    @router.command("testchoice", help_key="help.help")
    async def testchoice(ctx: Context, _args: Args) -> None:
        buttons = ((Button("Ja", "tc:yes"), Button("Nein", "tc:no")),)
        await ctx.reply("Kommen Sie mit?", buttons)

    @router.command("testnumber", help_key="help.help")
    async def testnumber(ctx: Context, _args: Args) -> None:
        # A question answered with a number, with a button beside it (as "How many places?").
        skip = ((Button("Überspringen", "tc:skip"),),)
        await ctx.reply(Reply(text="Wie viele Plätze?", buttons=skip, metadata={TYPED: "number"}))

    @router.command("testlist", help_key="help.help")
    async def testlist(ctx: Context, _args: Args) -> None:
        # A list numbering its items by their own numbers (as /events): lettered buttons.
        listed = tuple((Button(f"#{n} Termin", f"tc:item{n}", item=n),) for n in (3, 5))
        text = "3 · Exkursion\n5 · Symposium"
        await ctx.reply(Reply(text=text, buttons=listed, metadata={TYPED: "number"}))

    @router.button("tc")
    async def on_press(ctx: Context, rest: list[str]) -> None:
        recorded.presses.append((ctx.incoming.sender_id, rest[0]))
        await ctx.reply(f"Notiert: {rest[0]}")

    @router.command("testfile", help_key="help.help")
    async def testfile(ctx: Context, _args: Args) -> None:
        data = b"name;ort\nTest GmbH;Clausthal\n"
        await ctx.reply(Reply(attachment=Attachment("teilnehmer.csv", data, "text/csv")))


@dataclass
class BotRun:
    """The bot (app + Matrix transport); `restart` keeps the database and the key store."""

    synapse: SynapseServer
    account: MatrixAccount
    db_url: str
    store: Path
    rooms: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)  # more of the bot's config
    recorded: Recorded = field(default_factory=Recorded)
    app: App | None = None
    transport: MatrixTransport | None = None
    seeded: bool = False

    @property
    def user_id(self) -> str:
        return self.account.user_id

    @property
    def mx(self) -> MatrixTransport:
        assert self.transport is not None
        return self.transport

    @property
    def the_app(self) -> App:
        assert self.app is not None
        return self.app

    async def start(self, **options: Any) -> None:
        # The account in the config too, as an operator has it (features ask whether Matrix
        # is on); the transport is built here, with the test's options.
        account = {
            "homeserver": self.synapse.url,
            "user_id": self.account.user_id,
            "password": self.account.password,
        }
        raw: dict[str, object] = {
            "database": {"url": self.db_url},
            "limits": {"flood_messages_per_minute": 10_000, "flood_burst": 10_000},
            **self.settings,
            "matrix": {**account, **self.settings.get("matrix", {})},
        }
        settings = parse_settings(raw, source="test", env={})
        app = await build_app(settings, transports=[])
        add_test_features(app, self.recorded)
        if not self.seeded:  # the demo knowledge base, so questions get real answers
            async with app.services.db.session() as session:
                await import_kb(session, parse_kb((DEMO_DIR / "faq.toml").read_text("utf-8")))
            self.seeded = True
        defaults: dict[str, Any] = {
            "password": self.account.password,
            "store_path": self.store,
            "rooms": self.rooms or configured_rooms(settings.matrix),
            "reaction_buttons": False,
        }
        opts = MatrixOptions(
            homeserver=self.synapse.url,
            user_id=self.account.user_id,
            **{**defaults, **options},
        )
        transport = MatrixTransport(opts, DbStateStore(app.services.db))
        app.transports.append(transport)
        await app.start()
        self.app, self.transport = app, transport

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
        self.app = self.transport = None

    async def restart(self, **options: Any) -> None:
        await self.stop()
        await self.start(**options)


@pytest.fixture
async def bot_factory(
    synapse: SynapseServer, tmp_path: Path
) -> AsyncIterator[Callable[..., Awaitable[BotRun]]]:
    runs: list[BotRun] = []

    async def make(*, rooms: tuple[str, ...] = (), start: bool = True, **options: Any) -> BotRun:
        account = await synapse.aregister(
            synapse.unique_localpart("rewimet"), displayname="REWIMET Bot"
        )
        run = BotRun(
            synapse,
            account,
            f"sqlite+aiosqlite:///{tmp_path / f'bot-{len(runs)}.db'}",
            tmp_path / f"bot-store-{len(runs)}",
            rooms,
        )
        runs.append(run)
        if start:
            await run.start(**options)
        return run

    yield make
    for run in runs:
        await run.stop()


@pytest.fixture
async def member(nio_client: NioClientFactory) -> TestMember:
    client = await nio_client("anna")
    return TestMember.wrap(client, client.test_account)


async def another_member(nio_client: NioClientFactory, name: str) -> TestMember:
    client: AsyncClient = await nio_client(name)
    return TestMember.wrap(client, client.test_account)


EVENT_FORM = (
    "art=exkursion; titel=Exkursion Goslar; beginn=12.03.2030 9:30; ort=Goslar; plätze=1; "
    "ankündigung=jetzt"
)


async def seen_from(
    member: TestMember, sender: str, room_id: str, match: Callable[[Seen], bool]
) -> Seen:
    """The first event of `sender` in a room that matches, waiting for it (the cursor stays)."""

    def found() -> list[Seen]:
        return [s for s in member.seen if s.sender == sender and s.room_id == room_id and match(s)]

    await member.sync(lambda _r: bool(found()))
    return found()[0]


async def member_id_of(bot: BotRun, user_id: str) -> int:
    async with bot.the_app.services.db.session() as session:
        account = await members.find_account(session, platform=Platform.MATRIX, user_id=user_id)
        assert account is not None
        return account.member_id
