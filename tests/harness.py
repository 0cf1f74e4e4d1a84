"""Drive the bot like a member would, without a platform: write, then read what it answered."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.app import App, build_app
from bot.config import parse_settings
from bot.messages import Incoming, IncomingAttachment, Platform, PollVote, Reply
from bot.messages import plain_text as render_text
from bot.transports.console import read_local_file
from handlers.faq.kb_import import import_kb, parse_kb
from storage import event_store, members
from storage.events import Event
from storage.models import Member


@dataclass
class Chat:
    """What the bot answered in one exchange."""

    replies: list[Reply] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(render_text(r.text or r.popup or "") for r in self.replies)

    def button(self, label_part: str) -> str:
        for reply in self.replies:
            for row in reply.buttons:
                for button in row:
                    if label_part.lower() in render_text(button.label).lower():
                        return button.payload
        raise AssertionError(f"no button like {label_part!r} in {self.text!r}")

    @property
    def buttons(self) -> list[str]:
        return [b.payload for r in self.replies for row in r.buttons for b in row]


class Harness:
    def __init__(self, app: App) -> None:
        self.app = app
        self._ids = itertools.count(1)

    @property
    def db(self) -> Any:
        return self.app.services.db

    async def send(
        self,
        user: str,
        text: str = "",
        *,
        payload: str | None = None,
        vote: PollVote | None = None,
        platform: Platform = Platform.CONSOLE,
        private: bool = True,
        mention: bool = False,
        lang: str | None = None,
        update_id: str | None = None,
        attachment: IncomingAttachment | None = None,
        into: Chat | None = None,
        name: str | None = None,
    ) -> Chat:
        # `into`: a chat the test reads while the bot is still answering; `name`: the name the
        # platform gives for the sender (Telegram's first and last name), else their id
        chat = Chat() if into is None else into

        async def respond(reply: Reply) -> str | None:
            chat.replies.append(reply)
            return f"ref-{len(chat.replies)}"

        incoming = Incoming(
            platform=platform,
            chat_id=f"chat-{user}" if private else "group-1",
            sender_id=user,
            sender_name=user if name is None else name,
            update_id=update_id or f"u{next(self._ids)}",
            text=text,
            payload=payload,
            poll_vote=vote,
            is_private=private,
            mentions_bot=mention,
            language_hint=lang,
            attachment=attachment,
        )
        await self.app.dispatcher.handle(incoming, respond)
        return chat

    async def press(self, user: str, payload: str, **kwargs: Any) -> Chat:
        return await self.send(user, payload=payload, **kwargs)

    async def member(self, user: str, platform: Platform = Platform.CONSOLE) -> Member | None:
        async with self.db.session() as session:
            account = await members.find_account(session, platform=platform, user_id=user)
            return None if account is None else await members.get_member(session, account.member_id)

    async def make_young_professional(self, user: str) -> None:
        """`/youngpro ja` for a test's set-up, without the events it then lists (a list of one
        event makes it the one the member's next question means)."""
        member = await self.member(user)
        assert member is not None, user
        async with self.db.session() as session:
            await members.answer_fields(session, member_id=member.id, young_professional=True)

    async def add_event(self, **fields: Any) -> Event:
        """An open event stored as it is given (`event_store.create_event`), for a test's set-up."""
        async with self.db.session() as session:
            return await event_store.create_event(session, **fields)

    async def import_kb(self, kb: str) -> None:
        """A knowledge base (the FAQ's TOML format) imported as the office imports one."""
        async with self.db.session() as session:
            await import_kb(session, parse_kb(kb))

    async def onboard(self, user: str, *, lang: str = "de", org: str = "Test GmbH") -> None:
        """`user` registered as the chat's sign-up leaves a member who answers it so: the
        account their first message creates, the answers stored as the sign-up stores them
        (organisation `org`, role "Forschung", two topics, partner requests allowed, no
        contact, news, no young professional). The sign-up itself is tested in the chat
        (`sign_up_in_chat`, test_members.py); played in every set-up it took nine messages."""
        async with self.db.session() as session:
            if await members.find_account(session, platform=Platform.CONSOLE, user_id=user):
                raise AssertionError(f"{user} has an account already")
            member = await members.create_member_with_account(
                session,
                platform=Platform.CONSOLE,
                user_id=user,
                chat_id=f"chat-{user}",
                display_name=user,
                language=lang,
            )
            await members.answer_fields(
                session,
                member_id=member.id,
                language=lang,
                organisation=org,
                role="Forschung",
                topics=["Batterierecycling", "Hydrometallurgie"],
                partner_consent=True,
                contact="",
                news_subscribed=True,
                young_professional=False,
            )
            await members.update_member(session, member_id=member.id, onboarded=True)

    async def sign_up_in_chat(self, user: str, *, lang: str = "de", org: str = "Test GmbH") -> None:
        """What `onboard` stores, answered in the chat's sign-up, message by message."""
        await self.send(user, "/start")
        await self.press(user, f"ob:language:{lang}")
        await self.send(user, org)
        await self.send(user, "Forschung")
        await self.send(user, "Batterierecycling; Hydrometallurgie")
        await self.press(user, "ob:consent:1")
        await self.press(user, "ob:contact:-")
        await self.press(user, "ob:news:1")
        await self.press(user, "ob:yp:0")


async def make_harness(url: str, *, admins: list[str] | None = None, **extra: Any) -> Harness:
    raw: dict[str, object] = {
        "database": {"url": url},
        "admins": {"console": admins or ["admin"]},
        **extra,
    }
    app = await build_app(parse_settings(raw, source="test", env={}))
    # Files a test member sends are local files, fetched as the console demo fetches them.
    app.services.file_fetchers[Platform.CONSOLE] = read_local_file
    return Harness(app)


def fixed_clock(moment: datetime) -> Any:
    return lambda: moment.astimezone(UTC)
