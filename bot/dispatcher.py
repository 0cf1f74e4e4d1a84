"""Turns one incoming update into a handler call: once, within limits, never a traceback."""

from __future__ import annotations

import logging
from functools import partial

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.errors import UserError
from bot.flood import FloodLimiter, FloodVerdict
from bot.i18n import normalise_language, t
from bot.messages import Incoming, Reply
from bot.processed import ProcessedMarks
from bot.router import Args, parse_args, split_command
from bot.services import Services
from bot.transports.base import Respond
from storage import inbound, members
from storage.db import is_connection_error
from storage.models import Conversation, Member

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, services: Services) -> None:
        self.services = services
        limits = services.settings.limits
        self.flood = FloodLimiter(
            per_minute=limits.flood_messages_per_minute, burst=limits.flood_burst
        )
        self.processed = ProcessedMarks(services.db, services.clock)

    async def handle(self, incoming: Incoming, respond: Respond) -> None:
        """Handle one update; an update id seen before changes nothing."""
        verdict = self.flood.check(f"{incoming.platform}:{incoming.sender_id}")
        seen = await self.services.db.run_read(
            partial(
                inbound.look_up,
                platform=incoming.platform,
                user_id=incoming.sender_id,
                update_id=incoming.update_id,
            )
        )
        if seen.processed:
            return
        if verdict is FloodVerdict.DROP:
            # Cheap on purpose: a flood must not slow down everyone else.
            await self._mark_processed(incoming)
            return
        member = seen.member
        if member is None or self._moved_chat(incoming, seen):
            async with self.services.db.session() as session:
                member = await self._member_for(session, incoming)
        if verdict is FloodVerdict.NOTIFY:
            await respond(Reply(text=t(member.language, "errors.flood")))
        else:
            await self._route_safely(incoming, respond, member, seen.pending)
        # Stored only now: a crash in the handler means the update comes again.
        await self._mark_processed(incoming)

    async def _mark_processed(self, incoming: Incoming) -> None:
        await self.processed.mark(incoming.platform, incoming.update_id)

    @staticmethod
    def _moved_chat(incoming: Incoming, seen: inbound.Inbound) -> bool:
        """A private message from a chat not on record, or from an account marked unreachable
        (they unblocked the bot and write again): the account needs a write."""
        return (
            incoming.is_private
            and seen.account is not None
            and (seen.account.chat_id != incoming.chat_id or seen.account.unreachable)
        )

    async def _member_for(self, session: AsyncSession, incoming: Incoming) -> Member:
        """The member behind this account; a first contact becomes a new member."""
        account = await members.find_account(
            session, platform=incoming.platform, user_id=incoming.sender_id
        )
        if account is None:
            language = normalise_language(
                incoming.language_hint, self.services.settings.network.default_language
            )
            try:
                async with session.begin_nested():
                    return await members.create_member_with_account(
                        session,
                        platform=incoming.platform,
                        user_id=incoming.sender_id,
                        chat_id=incoming.chat_id if incoming.is_private else None,
                        display_name=incoming.sender_name[:200],
                        language=language,
                    )
            except IntegrityError:
                # Two first messages at once (PostgreSQL): the other one created the account.
                account = await members.find_account(
                    session, platform=incoming.platform, user_id=incoming.sender_id
                )
                assert account is not None
        # A private message also shows the member can be reached again (unblocked the bot).
        if incoming.is_private and (account.chat_id != incoming.chat_id or account.unreachable):
            await members.set_account_chat(session, account_id=account.id, chat_id=incoming.chat_id)
        member = await members.get_member(session, account.member_id)
        assert member is not None
        return member

    async def _route_safely(
        self,
        incoming: Incoming,
        respond: Respond,
        member: Member,
        pending: Conversation | None,
    ) -> None:
        is_admin = member.is_admin or self.services.is_configured_admin(
            incoming.platform, incoming.sender_id
        )
        ctx = Context(incoming, self.services, member, is_admin, respond)
        try:
            await self._route(ctx, pending)
        except UserError as error:
            await ctx.reply(ctx.t(error.key, **error.values))
        except Exception as error:
            if is_connection_error(error):
                # The database went away: no "internal error" for the member; the transport
                # keeps the update unconfirmed and hands it in again once the database is back.
                raise
            log.exception(
                "handler failed for %s update %s (member %s)",
                incoming.platform,
                incoming.update_id,
                member.id,
            )
            await ctx.say("errors.internal")

    async def _route(self, ctx: Context, pending: Conversation | None) -> None:
        incoming = ctx.incoming
        router = self.services.router
        if incoming.poll_vote is not None:
            prefix, *rest = incoming.poll_vote.poll_key.split(":")
            poll_handler = router.polls.get(prefix)
            if poll_handler is not None:
                await poll_handler(ctx, rest, incoming.poll_vote.option_indexes)
            return
        if incoming.payload is not None:
            await self._route_button(ctx, incoming.payload)
            return
        text = incoming.text.strip()
        command = split_command(text)
        if command is not None:
            await self._route_command(ctx, *command)
            return
        if not incoming.is_private and not incoming.mentions_bot:
            return  # groups: never answer free text uninvited
        if incoming.attachment is not None and incoming.is_private:
            # A photo or file only means something to a flow that asked for one.
            if pending is not None and pending.flow in router.file_steps:
                await router.steps[pending.flow](ctx, text, {"step": pending.step, **pending.data})
                return
            # Its caption is not a question either: the office would get a ticket without the
            # picture it talks about.
            raise UserError("errors.file_unexpected")
        if not text:
            raise UserError("errors.empty")
        if len(text) > self.services.settings.limits.max_message_chars:
            raise UserError(
                "errors.too_long", limit=self.services.settings.limits.max_message_chars
            )
        # The pending step was read with the member, before the handler ran (see `handle`).
        if pending is not None and pending.flow in router.steps:
            await router.steps[pending.flow](ctx, text, {"step": pending.step, **pending.data})
            return
        for _priority, handler in router.text_handlers:
            if await handler(ctx, text):
                return
        await ctx.say("errors.not_understood")

    async def _route_button(self, ctx: Context, payload: str) -> None:
        prefix, *rest = payload[:64].split(":")
        entry = self.services.router.buttons.get(prefix)
        if entry is None:
            raise UserError("errors.stale_button")
        handler, admin_only = entry
        if admin_only:
            await ctx.require_admin(f"button:{prefix}")
            await ctx.audit(f"button:{prefix}", detail=payload[:64])
        await handler(ctx, rest)

    async def _route_command(self, ctx: Context, name: str, raw_args: str) -> None:
        declared = self.services.router.commands.get(name)
        if declared is None:
            raise UserError("errors.unknown_command", command=name[:40])
        if declared.admin:
            await ctx.require_admin(f"command:{declared.name}")
        if declared.private_only and not ctx.incoming.is_private:
            raise UserError("errors.private_only")
        ctx.args = parse_args(declared, raw_args) if declared.params else Args({})
        if declared.admin:
            await ctx.audit(f"command:{declared.name}", detail=raw_args[:500])
        await declared.handler(ctx, ctx.args)
