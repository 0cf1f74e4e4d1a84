"""Turns one incoming update into a handler call: once, within limits, never a traceback."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Awaitable
from dataclasses import replace
from functools import cache, partial

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.errors import NoAnswerGiven, NotAnAnswer, UserError
from bot.flood import FloodLimiter, FloodVerdict
from bot.flows import (
    CANCEL_ALONE_WORDS,
    NO_WORDS,
    QUESTION,
    FlowInfo,
    corrected_question,
    is_cancel_word,
    is_drop_phrase,
    is_question,
    leading_yes_no,
    own_values,
    paused_flows,
    question_labels,
    skip_button,
    typed_more,
    typed_not_helpful,
    typed_yes_no,
    waiting_labelled,
)
from bot.i18n import LANGUAGES, Markup, normalise_language, t
from bot.messages import (
    KEEPS_CHOICES,
    MAX_PAYLOAD_BYTES,
    MEANT_COMMAND,
    Incoming,
    PollVote,
    Reply,
    is_choice_mark,
    is_list_item,
    label_begun,
    names_label,
    plain_text,
    shorten,
)
from bot.processed import ProcessedMarks
from bot.recent import Key, RecentTexts
from bot.router import Args, CommandHandler, parse_args, split_command
from bot.services import Services
from bot.shown import ShownButtons
from bot.spoken import LABEL_END, ButtonLanguages
from bot.textmatch import reply_language
from bot.transports.base import Respond
from storage import inbound, members
from storage.db import is_connection_error
from storage.models import Conversation, Member

log = logging.getLogger(__name__)
# Buttons that stay under older messages (an answer's 👍/👎, an introduction's answers, also
# delivered by the outbox, which `ShownButtons` sees only in a member's own chat), and those
# handing a question to the office: their words typed press nothing once a newer message took
# the choices, and are never a question (a restart forgets what `ShownButtons` knew).
STANDING_BUTTONS = (
    "faq.helpful",
    "faq.not_helpful",
    "faq.none_of_these",
    "faq.ask_office",
    "partners.button_interested",
    "partners.button_not_for_me",
)
# What an audit entry keeps of a command and its outcome.
AUDIT_DETAIL_CHARS = 700
# A step that checks the length itself still gets no more than this: a paste far beyond any
# limit is refused here, before a handler reads it.
OWN_LIMIT_CAP = 20_000
# Longer typed text is no button's words (`_typed_waiting` looks no further).
MAX_TYPED_LABEL = 60


# A no that goes on with something else, question or not ("nö danke, aber gibts da
# Mittagessen?"), read only where a no declines an offer (`messages.NO_GOES_ON`).
_NO_THEN = re.compile(
    r"^\W*(?:" + "|".join(sorted(NO_WORDS)) + r")\b[\s,.!;:–-]*"
    r"(?:(?:danke|thanks|thank\s+you|thx)\b[\s,.!;:–-]*)?(?:(?:aber|but|doch)\b\s*)?"
    r"(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


class Dispatcher:
    def __init__(self, services: Services) -> None:
        self.services = services
        limits = services.settings.limits
        self.flood = FloodLimiter(
            per_minute=limits.flood_messages_per_minute, burst=limits.flood_burst
        )
        self.processed = ProcessedMarks(services.db, services.clock)
        # Each member's last free text per chat, for a follow-up that points back to it.
        self.recent = RecentTexts()
        # The buttons each member was shown lately: their words typed are never a question.
        self.shown = ShownButtons()
        # The language each of those buttons was shown in: a press goes on in it.
        self.spoken = ButtonLanguages()

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
        if seen.account is None and await self._answered_stranger(incoming, respond, verdict):
            await self._mark_processed(incoming)
            return
        member = seen.member
        if member is None or self._moved_chat(incoming, seen) or _gives_name(member, incoming):
            async with self.services.db.session() as session:
                member = await self._member_for(session, incoming)
            if seen.account is not None and seen.account.unreachable:
                self.services.outbox_wakeup()  # what the features queued as they came back
        if verdict is FloodVerdict.NOTIFY:
            await respond(Reply(text=t(member.language, "errors.flood")))
        else:
            key = (str(incoming.platform), incoming.sender_id)
            fresh_start = seen.account is None and key in self.services.forgotten
            self.services.forgotten.discard(key)
            await self._route_safely(
                incoming, respond, member, seen.pending, fresh_start, new=seen.account is None
            )
        # Stored only now: a crash in the handler means the update comes again.
        await self._mark_processed(incoming)

    async def _answered_stranger(
        self, incoming: Incoming, respond: Respond, verdict: FloodVerdict
    ) -> bool:
        """A command that tells someone without a member record (never here, or erased by
        /forget) that nothing is stored about them (/mydata, /forget), or a button of theirs
        pressed again ("Ja, alles löschen"): answered here, before a member is made for them,
        in the language of the command's name or text (a button's: the platform's hint)."""
        if incoming.poll_vote is not None:
            return False
        hinted = normalise_language(
            incoming.language_hint, self.services.settings.network.default_language
        )
        router = self.services.router
        if incoming.payload is not None:
            answer = router.stranger_buttons.get(incoming.payload.split(":", 1)[0], "")
            lang = hinted
        else:
            command = split_command(incoming.text.strip())
            declared = router.commands.get(command[0]) if command else None
            answer = declared.to_stranger if command and declared else ""
            lang = (
                self._named_language(incoming) or reply_language(command[1], hinted)
                if command
                else hinted
            )
        if not answer:
            return False
        key = "errors.flood" if verdict is FloodVerdict.NOTIFY else answer
        await respond(Reply(text=t(lang, key)))
        return True

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
            # Someone new (or back after /forget): a command's name says their language
            # (/profile, /profil) better than the platform's hint or the network's default.
            language = self._named_language(incoming) or normalise_language(
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
        member = await members.get_member(session, account.member_id)
        assert member is not None
        if _gives_name(member, incoming):
            # A member the directory brought (or an account /link joined) had no name: the
            # chat's name is the one the office's attendee lists show, until /name gives one.
            member.display_name = incoming.sender_name.strip()[:200]
            await members.update_member(
                session, member_id=member.id, display_name=member.display_name
            )
        # A private message also shows the member can be reached again (unblocked the bot).
        if incoming.is_private and (account.chat_id != incoming.chat_id or account.unreachable):
            # nothing reached them before this message: the features hear they are back
            back = account.unreachable and all(mine.unreachable for mine in member.accounts)
            await members.set_account_chat(session, account_id=account.id, chat_id=incoming.chat_id)
            if back:
                await self._member_back(session, member)
        return member

    async def _member_back(self, session: AsyncSession, member: Member) -> None:
        """The features hear that a member nothing reached writes again (the office is told
        what waited for them); their failing is logged, and the message still gets through."""
        try:
            async with session.begin_nested():
                await self.services.router.member_back(self.services, session, member)
        except Exception as error:
            if is_connection_error(error):
                raise
            log.exception("telling of member %s back in the chat failed", member.id)

    async def _route_safely(
        self,
        incoming: Incoming,
        respond: Respond,
        member: Member,
        pending: Conversation | None,
        fresh_start: bool = False,
        *,
        new: bool = False,
    ) -> None:
        """Route the update; `new`: its sender had no member record (first here, or back
        after /forget), and a command is answered in the language of its name."""
        is_admin = member.is_admin or self.services.is_configured_admin(
            incoming.platform, incoming.sender_id
        )
        # Whatever this update is, the text before it is taken now: only a free text right
        # after it may point back to it (a command, button or flow's answer in between ends it).
        key, now = _chat_key(incoming), self.services.clock()
        before = self.recent.take(key, now)
        shown_before = self.shown.latest_payloads(key)
        shown_earlier = self.shown.earlier_payloads(key, now)
        respond = self.shown.recording(key, incoming.update_id, respond, now)
        ctx = Context(
            incoming,
            self.services,
            member,
            is_admin,
            respond,
            before=before,
            shown_before=shown_before,
            shown_earlier=shown_earlier,
            buttons_shown=partial(self.spoken.shown, key),
        )
        guessed = self._command_language(ctx) if new else None
        if guessed is not None:
            ctx = ctx.speaking(guessed)
        elif incoming.payload is not None:
            # A button is answered in the language of the message it was on (an English
            # answer's "Date and sign-up" to a member who chose German), not their setting.
            shown_in = self.spoken.of(key, incoming.payload, member.language)
            ctx = ctx.speaking(shown_in or ctx.lang)
        try:
            if fresh_start and incoming.is_private:
                await self._after_forget(ctx, pending)
            else:
                await self._route(ctx, pending)
            if ctx.put_back:  # a flow that stayed came back: its question, after the rest
                await ctx.come_back()
            await ctx.flush_waiting()  # "still waiting" with no reply after it
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

    def _named_language(self, incoming: Incoming) -> str | None:
        """The language of the command name typed ("en" for /profile, "de" for /profil);
        None for a name both languages share (/start, /help), for anything but a command,
        and for an admin the operator configured: the office's commands are typed by name in
        either language and say nothing of the language an admin reads."""
        if incoming.payload is not None or incoming.poll_vote is not None:
            return None
        if self.services.is_configured_admin(incoming.platform, incoming.sender_id):
            return None
        command = split_command(incoming.text.strip())
        declared = self.services.router.commands.get(command[0]) if command else None
        if command is None or declared is None:
            return None
        return declared.language_of(command[0])

    def _command_language(self, ctx: Context) -> str | None:
        """The language to answer a command in from someone who had no member record (new
        here, or back after /forget erased it): a name in neither language (/start, /org …)
        is answered in the language of its text, as free text is (the name's own language
        became the new member's, see `_member_for`); None for anything but a command."""
        incoming = ctx.incoming
        if ctx.is_admin or incoming.payload is not None or incoming.poll_vote is not None:
            return None
        command = split_command(incoming.text.strip())
        if command is None or self._named_language(incoming) is not None:
            return None
        return reply_language(command[1], ctx.lang)

    async def _after_forget(self, ctx: Context, pending: Conversation | None) -> None:
        """Back after /forget erased everything: one line says the profile is gone, and what
        was written is handled as for anyone new (a question is answered, a partner search
        keeps its need); /start begins the new profile, and a button or poll answer of the
        erased profile does nothing but begin it."""
        incoming = ctx.incoming
        if incoming.payload is not None or incoming.poll_vote is not None:
            await ctx.say("members.fresh_button")
            await self._route_command(ctx, "start", "")
            return
        command = split_command(incoming.text.strip())
        if command is not None and command[0] == "start":
            await ctx.say("members.fresh_start")
        else:
            declared = self.services.router.commands.get(command[0]) if command else None
            if declared is None or not declared.tells_erased:
                await ctx.say("members.fresh_command")
        await self._route(ctx, pending)

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
            await self._command_beside_step(ctx, pending, *command)
            # a command turns to what it does: what was talked about before is over
            self.shown.turned(_chat_key(incoming), self.services.clock())
            return
        if not incoming.is_private and not incoming.mentions_bot:
            return  # groups: never answer free text uninvited
        if incoming.attachment is not None and incoming.is_private:
            # A photo or file only means something to a flow that asked for one.
            if pending is not None and pending.flow in router.file_steps:
                await self._step(ctx, pending, text)
                return
            # Its caption is not a question either: the office would get a ticket without the
            # picture it talks about.
            raise UserError("errors.file_unexpected")
        if not text:
            if pending is not None and pending.flow in router.steps:
                # a step waits: the hint points to its question, not to asking one
                await ctx.reply(
                    Markup(f"{ctx.t('errors.empty_step')}\n{ctx.t('flows.how_to_leave')}")
                )
                return
            raise UserError("errors.empty")
        if len(text) > self._limit(pending):
            raise UserError(
                "errors.too_long", limit=self.services.settings.limits.max_message_chars
            )
        # The pending step was read with the member, before the handler ran (see `handle`).
        if pending is not None and pending.flow in router.steps:
            labels = question_labels(pending.data.get(QUESTION))
            if is_cancel_word(text) or is_drop_phrase(text, labels):
                skip = None if is_cancel_word(text) else skip_button(pending.data.get(QUESTION))
                if skip is not None:
                    # "lieber nicht" where the question may be left out ("Über welchen
                    # Kontakt …?" with Überspringen): no to this question, not to all of it
                    await self._route_button(ctx, skip)
                    return
                # as /cancel, which says what stays (the registration keeps each answer given)
                await self._route_command(ctx, "cancel", "")
                return
            waiting = waiting_labelled(pending.data, text)
            if waiting is not None and waiting in router.flows:
                # A button of a flow waiting underneath, typed ("Ohne Bild oder Datei" while
                # the broadcast waits under a new event): no answer here, no question for the
                # office; as pressing it does, it is said to wait and when it comes back.
                said = ctx.kept_line(waiting, pending.flow)
                await ctx.reply(Reply(text=said, metadata={KEEPS_CHOICES: "yes"}))
                return
            await self._step(ctx, pending, text)
            return
        if is_cancel_word(text, CANCEL_ALONE_WORDS):
            meant = self._typed_choice(ctx, text)
            if meant is not None:
                # "cancel" under "Cancel sign-up": that button is asked about, not /cancel's
                # "nothing was changed", which read as if the sign-up were cancelled
                await ctx.reply(Reply(text=meant, metadata={KEEPS_CHOICES: "yes"}))
                return
            # "cancel" alone with nothing open is no question ("How do I cancel our
            # membership?" was its answer): as /cancel, which says nothing changed
            await self._route_command(ctx, "cancel", "")
            return
        # "nein, ich meine …" / "no, I mean …" with a question after it corrects what was
        # understood: that question, asked as if alone (it had been "none of these", with the
        # question said to be dropped)
        asked = corrected_question(text)
        if asked is not None:
            await self._free_text(ctx, asked)
            return
        # an offer's own words first: "no more news" under the FAQ's choices stops the news,
        # it is not "none of these"
        if await self._typed_offer(ctx, text):
            return
        if await self._typed_yes_no(ctx, text) or await self._typed_more(ctx, text):
            return
        if await self._typed_waiting(ctx, text):
            return
        meant = self._typed_choice(ctx, text)
        if meant is not None:
            # It points to the choices of the last message (if any): they still answer.
            await ctx.reply(Reply(text=meant, metadata={KEEPS_CHOICES: "yes"}))
            return
        await self._free_text(ctx, text)

    async def _typed_yes_no(self, ctx: Context, text: str) -> bool:
        """A plain "ja"/"yes" typed to a question one button answers presses it; "nein"/"no"
        presses its no-button or is answered as the question says (`messages.YES_PRESSES`).
        Whether it was one."""
        yes_no = self.shown.yes_no(_chat_key(ctx.incoming))
        answer = typed_yes_no(text)
        if answer and not yes_no.press and yes_no.which is not None:
            # A yes under several choices (the FAQ's, a list of events, news with Anmelden
            # and Details) presses none of them: which one is asked, under them again (it
            # had been "👍 Alles klar", and the member thought it had worked).
            ctx = self._speaking_as_shown(ctx, _first_payload(yes_no.which))
            await ctx.reply(replace(yes_no.which, text=ctx.t("errors.yes_which")))
            return True
        rest, goes_on = "", False
        if answer is None and yes_no.no_goes_on and not yes_no.several:
            # "no thanks, sign me up pls", "nö danke, aber gibts da Mittagessen?": the offer
            # declined, what follows asked as if on its own (it had gone nowhere)
            declined = _NO_THEN.match(text)
            if declined is not None and len(declined["rest"].split()) >= 2:
                answer, rest, goes_on = False, declined["rest"], True
        if answer is None and (yes_no.asks or yes_no.several):
            # A clear yes or no that goes on ("klar machen wir, wir haben ein ICP-OES im
            # Labor") is that answer too (it had become an office ticket); a question is not.
            leading = leading_yes_no(text)
            if leading is not None:
                answer, rest = leading
        if answer is not None and yes_no.several:
            # Several messages ask (/offen: a place offered and a partner request): which one
            # is asked, with them shown again ("👍 Alles klar" or a ticket had been the answer).
            return await self._asks_which_waits(ctx, text)
        if answer is None or (answer and not yes_no.press):
            return False  # a yes under several messages' choices (/offen) presses none
        if answer is False and not (yes_no.no_press or yes_no.no_says):
            return False
        # Answered as the button would be: in the language of the message it was on (an
        # English answer's "yes" to a member who chose German had been answered in German).
        pressed = (yes_no.press if answer else yes_no.no_press) or None
        shown_ctx = self._speaking_as_shown(ctx, pressed)
        if pressed is not None:
            await self._route_button(shown_ctx, pressed)
        else:
            await ctx.reply(Markup(yes_no.no_says))
        if goes_on:
            await self._free_text(ctx, rest)
        elif rest:
            # The buttons carry no note: the member is told that the rest went nowhere; the
            # choices above still answer (a refinement asked for, a contact question).
            said = shown_ctx.t("errors.rest_not_passed", rest=shorten(rest, 80))
            await shown_ctx.reply(Reply(text=said, metadata={KEEPS_CHOICES: "yes"}))
        return True

    async def _typed_offer(self, ctx: Context, text: str) -> bool:
        """A message typed under a hand-off offer's button that the offer says means it
        ("abbestellen" under "Nachrichten abbestellen") presses it (`HandoffOffer.typed`).
        Whether it was one."""
        offers = self.services.router.handoff_offers
        for name, payload in self.shown.yes_no(_chat_key(ctx.incoming)).offers:
            offer = offers.get(name)
            if offer is not None and offer.typed is not None and offer.typed(text):
                await self._route_button(self._speaking_as_shown(ctx, payload), payload)
                return True
        return False

    async def _asks_which_waits(self, ctx: Context, text: str) -> bool:
        """A yes or no typed under several waiting messages: which one is asked, with them
        shown again (what /pending lists). Whether anything waits to be shown."""
        items = await self.services.router.waiting_replies(ctx)
        if not items:
            return False
        first = re.match(r"[^\W_]+", text.strip())  # the yes or no, not all that follows
        await ctx.say("errors.yes_which_waits", choice=first.group() if first else text[:40])
        for item in items:
            await ctx.reply(item)
        return True

    async def _typed_waiting(self, ctx: Context, text: str) -> bool:
        """A button's words typed after its message went out of sight ("interessiert" after
        another answer came in between: "keine Auswahl" had been said) press it when exactly
        one button of what waits for the member (/pending's items) says them; said by several,
        their messages are shown again, asking which one. Whether it was such words."""
        if not ctx.incoming.is_private or len(text) > MAX_TYPED_LABEL or is_question(text):
            return False
        if is_choice_mark(text) or names_label(text, self.shown.latest(_chat_key(ctx.incoming))):
            return False  # the latest choices answer (`_typed_choice`)
        items = await self.services.router.waiting_replies(ctx)
        found: list[tuple[Reply, str | PollVote]] = [
            (reply, button.payload)
            for reply in items
            for row in reply.buttons
            for button in row
            if button.payload and names_label(text, [button.label])
        ]
        # A poll's option typed out ("05.01.") votes for it, as a tap on it would; a yes or
        # no with nothing asked answers no poll ("Ja | Nein" out of sight).
        if typed_yes_no(text) is None:
            found += [
                (reply, PollVote(reply.poll.poll_key, (index,)))
                for reply in items
                if reply.poll is not None
                for index, option in enumerate(reply.poll.options)
                if names_label(text, [option])
            ]
        if len(found) == 1:
            chosen = found[0][1]
            if isinstance(chosen, PollVote):
                prefix, *rest = chosen.poll_key.split(":")
                poll_handler = self.services.router.polls.get(prefix)
                if poll_handler is None:
                    return False
                await poll_handler(ctx, rest, chosen.option_indexes)
                return True
            await self._route_button(self._speaking_as_shown(ctx, chosen), chosen)
            return True
        if not found:
            return False
        await ctx.say("errors.waiting_which", choice=shorten(text.strip(), 40))
        shown: list[int] = []
        for reply, _payload in found:
            if id(reply) not in shown:
                shown.append(id(reply))
                await ctx.reply(reply)
        return True

    def _speaking_as_shown(self, ctx: Context, payload: str | None) -> Context:
        """`ctx` speaking the language the button `payload` was shown in (bot/spoken.py), as
        a press of it is answered; the member's own when that is not known."""
        if payload is None:
            return ctx
        shown_in = self.spoken.of(_chat_key(ctx.incoming), payload, ctx.member.language)
        return ctx.speaking(shown_in or ctx.lang)

    async def _typed_more(self, ctx: Context, text: str) -> bool:
        """A typed "mehr"/"more" under choices that have more (the FAQ's) presses what shows
        them (`messages.MORE_PRESSES`); it had been taken for a greeting. A typed "das war
        nicht hilfreich" under an answer presses its 👎 (`messages.NOT_HELPFUL_PRESSES`); it
        had been asked as a question. Whether it was one of them."""
        shown = self.shown.yes_no(_chat_key(ctx.incoming))
        if shown.more and typed_more(text):
            await self._route_button(ctx, shown.more)
            return True
        if shown.not_helpful and typed_not_helpful(text):
            await self._route_button(ctx, shown.not_helpful)
            return True
        return False

    def _typed_choice(self, ctx: Context, text: str) -> Markup | None:
        """What to say to text that means a button it did not press, else None: it is no
        question ("#2 zurückziehen" had found the entry on cancelling the membership, and
        "Nichts davon – an die Geschäftsstelle" became the question of an office ticket). A
        button's words that read as a question (an FAQ entry's title) are one all the same."""
        choice = shorten(text.strip(), 40)
        key = _chat_key(ctx.incoming)
        latest = self.shown.latest(key)
        asks = is_question(text)
        # Both also come when the transport's numbers are gone (a restart came in between):
        # they end on the same way out, so that a typed number and typed words never disagree.
        again = ctx.t("errors.choices_again")
        if not asks and names_label(text, latest):
            # Not pressed: two buttons above say it, or buttons here are tapped, not typed.
            several = sum(1 for label in latest if names_label(text, [label])) > 1
            said = "errors.choice_above_several" if several else "errors.choice_above"
            return Markup(f"{ctx.t(said, choice=choice)} {again}")
        if latest and is_choice_mark(text):
            # "2" under buttons that it did not press (tapped on Telegram, or none numbered
            # so): the buttons above are the choice, not an older message's.
            return Markup(f"{ctx.t('errors.no_such_choice_above', choice=choice)} {again}")
        begun = None if asks else label_begun(text, latest)
        if begun is not None and not is_list_item(begun):
            # "Nichts", "yes" under "Yes, ask the office": a button's start presses
            # nothing (only all its words do); before an older button's same words.
            return ctx.t("errors.choice_begun", choice=choice, label=shorten(begun, 60))
        older = self.shown.older(key, self.services.clock())
        if (
            is_choice_mark(text)
            or names_label(text, _standing_labels(), polite=False)
            or (not asks and names_label(text, older, polite=False))
        ):
            # "2" or "Hilfreich" after the 👍/👎 it meant was replaced by a newer message:
            # nothing to choose by it now (and no question: "Hilfreich" was answered as one).
            # Only a button's own words: "german please" asks for German, whatever button once
            # said "German".
            return ctx.t("errors.no_such_choice", choice=choice)
        return None

    def _limit(self, pending: Conversation | None) -> int:
        """The longest message taken; a step with a limit of its own says what is too long
        (one limit in its own words, not this one first and then its own)."""
        limit = self.services.settings.limits.max_message_chars
        info = self.services.router.flows.get(pending.flow) if pending is not None else None
        if info is not None and pending is not None and pending.step in info.own_limit:
            return max(limit, OWN_LIMIT_CAP)
        return limit

    async def _free_text(self, ctx: Context, text: str) -> None:
        # A message plainly in the other language than the member's is answered in it (what
        # follows from its buttons too, where the feature keeps the text); commands and
        # guided conversations keep the member's setting.
        lang = reply_language(text, ctx.lang)
        if (
            lang != ctx.member.language
            and ctx.incoming.language_hint is None
            and writes_own_language(ctx.member)
        ):
            # Someone new who chose no language, on a platform that says none (console,
            # Matrix): the one they write in is theirs, so that a button pressed next (the
            # sign-up offered beside the answer) answers in it too. Telegram's app language
            # stays their setting, as the registration assumes.
            async with self.services.db.session() as session:
                await members.update_member(session, member_id=ctx.member.id, language=lang)
            ctx.member.language = lang
        ctx = ctx.speaking(lang)
        # kept before the handlers run: a message that fails is still what a follow-up means
        self.recent.keep(_chat_key(ctx.incoming), ctx.incoming.text.strip(), self.services.clock())
        if not await self.services.router.answer_text(ctx, text):
            await ctx.say("errors.not_understood")

    # ---- a pending step and everything else ---------------------------------------------

    async def _step(self, ctx: Context, pending: Conversation, text: str) -> None:
        """Hand typed text to the pending step; text it cannot take is never a button press."""
        state = {"step": pending.step, **own_values(pending.data)}
        try:
            await self.services.router.steps[pending.flow](ctx, text, state)
        except NotAnAnswer as error:
            expected = ctx.t(error.key, **error.values)
            await self._not_an_answer(
                ctx, pending, text, expected, answering=isinstance(error, NoAnswerGiven)
            )
        except UserError as error:
            if error.key != "errors.stale_button":
                raise
            await self._not_an_answer(ctx, pending, text, ctx.t("flows.expects_choice"))

    async def _not_an_answer(
        self,
        ctx: Context,
        pending: Conversation,
        text: str,
        expected: str,
        *,
        answering: bool = False,
    ) -> None:
        """A question (by its question mark or question word, or a text a feature claims: a
        partner search) is answered as one while the step waits, and never becomes an office
        ticket unasked (`Context.answer_beside`); anything else, however long (the corrected
        text of a broadcast), and what the step knows for an attempt at its answer
        (`answering`), gets a hint: it is no question for the FAQ or the office."""
        claimed = self.services.router.claimed
        if not answering and (is_question(text) or await claimed(ctx, text)):
            # The reminder first; the step after the answer, whose buttons took its place.
            ctx.answer_beside(pending.flow, pending.step, pending.data)
            await self._free_text(ctx, text)
            return
        hint = Markup(f"{expected}\n{ctx.t('flows.how_to_leave')}")
        # It points to the choices above: their numbers must still press them.
        await ctx.reply(Reply(text=hint, metadata={KEEPS_CHOICES: "yes"}))

    async def _command_beside_step(
        self, ctx: Context, pending: Conversation | None, name: str, raw_args: str
    ) -> None:
        """A command always works beside a pending step: the step keeps waiting, and one line
        says so; the flow's own command shows its question again."""
        router = self.services.router
        declared = router.commands.get(name)
        info = router.flows.get(pending.flow) if pending is not None else None
        if pending is None or info is None or declared is None or declared.name == "cancel":
            await self._route_command(ctx, name, raw_args)
            return
        if declared.name == info.resume:
            await self._resume(ctx, pending, name, raw_args)
            return
        waiting = [flow for flow in paused_flows(pending.data) if flow in router.flows]
        under = next((flow for flow in waiting if router.flows[flow].resume == declared.name), None)
        if under is not None:
            # Its flow waits under this one and comes back when this one ends: starting it
            # anew would drop both. What waits on top is said first, then that it waits.
            await self._say_waiting(ctx, pending)
            if under in router.takers and raw_args.strip():
                # Words given with it ("/broadcast New text") go into what waits, not lost.
                beside = partial(self._take_beside, under=under, top=pending.flow)
                await self._route_command(ctx, name, raw_args, beside)
                return
            await ctx.reply(ctx.kept_line(under, pending.flow))
            return
        # A command that starts a guided step of its own replaces this one: nothing to say.
        # Else the reminder comes first, so the command's buttons stay on the last message.
        if declared.name not in {flow.resume for flow in router.flows.values()}:
            await self._say_waiting(ctx, pending)
        await self._route_command(ctx, name, raw_args)

    async def _take_beside(self, ctx: Context, _args: Args, *, under: str, top: str) -> None:
        """The words of `under`'s command taken into `under`, waiting under `top`, as its
        feature takes them; said so, with when it comes back."""
        flows = self.services.router.flows
        if await ctx.change_flow(under, self.services.router.takers[under]) is not None:
            await ctx.reply(ctx.t(f"{flows[under].key}.kept_changed", until=ctx.kept_until(top)))
        else:
            await ctx.reply(ctx.kept_line(under, top))

    async def _take_on_top(self, ctx: Context, _args: Args, *, flow: str) -> None:
        """The words of `flow`'s command taken into `flow`, pending, which asks anew."""
        changed = await ctx.change_flow(flow, self.services.router.takers[flow])
        if changed is not None:
            await ctx.show_again(flow, *changed)

    async def _resume(self, ctx: Context, pending: Conversation, name: str, raw: str) -> None:
        router = self.services.router
        if pending.flow in router.takers and raw.strip():
            # Words given with it ("/broadcast New text") change what waits, not lost.
            take = partial(self._take_on_top, flow=pending.flow)
            await self._route_command(ctx, name, raw, take)
            return
        stays = router.flows.get(pending.flow, FlowInfo()).stays
        # Telegram's start links send `/start PAYLOAD`: a payload a feature takes as its own
        # (an invitation's code) reaches /start in the middle of a registration too.
        payload = name == "start" and bool(raw.strip()) and await router.claimed(ctx, raw.strip())
        if raw.strip() and (not stays or payload):
            # "/partner <a new need>" at the preview of the last one: the words start it
            # anew, as another flow's question would replace it, instead of being dropped.
            await self._route_command(ctx, name, raw)
            return
        if not await ctx.show_again(pending.flow, pending.step, dict(pending.data)):
            # nothing to show again: the command starts the flow anew
            await self._route_command(ctx, name, raw)

    async def _say_waiting(self, ctx: Context, pending: Conversation) -> None:
        """Say (before the next reply) that the pending step still waits; if what follows puts
        it under another flow, the line saying so replaces this one (`Context.ask`)."""
        info = self.services.router.flows.get(pending.flow, FlowInfo())
        ctx.tell_waiting(pending.flow, info.paused_key(pending.step), pending.data)

    async def _route_button(self, ctx: Context, payload: str) -> None:
        if payload.startswith(f"{MEANT_COMMAND}:"):
            # "Ja, /anmelden 1" under "meinten Sie /anmelden?": the command meant, with the
            # words typed after the mistyped one (its own checks: an admin's is still one)
            name, _, raw = payload.removeprefix(f"{MEANT_COMMAND}:").partition(" ")
            if name not in self.services.router.commands:
                raise UserError("errors.stale_button")
            await self._route_command(ctx, name, raw)
            return
        prefix, *rest = payload[:MAX_PAYLOAD_BYTES].split(":")
        entry = self.services.router.buttons.get(prefix)
        if entry is None:
            raise UserError("errors.stale_button")
        handler, admin_only = entry
        if not admin_only:
            await handler(ctx, rest)
            return
        await ctx.require_admin(f"button:{prefix}")
        # the office reads the button's words in its audit log, its payload beside them
        label = self.spoken.label_of(_chat_key(ctx.incoming), payload)
        detail = (
            f"{label}{LABEL_END}{payload[:MAX_PAYLOAD_BYTES]}"
            if label
            else payload[:MAX_PAYLOAD_BYTES]
        )
        await _audited(ctx, f"button:{prefix}", detail, handler(ctx, rest))

    async def _route_command(
        self, ctx: Context, name: str, raw_args: str, handler: CommandHandler | None = None
    ) -> None:
        """Run the command `name` (or `handler` in its place, with the command's checks and
        record: its words for a flow waiting underneath)."""
        declared = self.services.router.commands.get(name)
        if declared is None:
            near = self.services.router.nearest(name[:40], admin=ctx.is_admin)
            if near is not None:
                await self._offer_meant(ctx, name[:40], near, raw_args)
                return
            raise UserError("errors.unknown_command", command=name[:40])
        if declared.admin:
            await ctx.require_admin(f"command:{declared.name}")
        if declared.private_only and not ctx.incoming.is_private:
            raise UserError("errors.private_only")
        ctx.args = parse_args(declared, raw_args, ctx.lang) if declared.params else Args({})
        run = handler or declared.handler
        if not declared.admin:
            await run(ctx, ctx.args)
            return
        await _audited(ctx, f"command:{declared.name}", raw_args[:500], run(ctx, ctx.args))

    async def _offer_meant(self, ctx: Context, typed: str, near: str, raw_args: str) -> None:
        """ "meinten Sie /anmelden?" with a button running it with the words typed after the
        mistyped command ("/anmleden 1" -> "/anmelden 1"), which a typed "ja" presses; a
        "nein" is told nothing ran. Words too long for a button: the question alone."""
        text = ctx.t("errors.unknown_command_near", command=typed, near=near)
        await ctx.offer_command(text, " ".join(f"{near} {raw_args}".split()))


def writes_own_language(member: Member) -> bool:
    """Whether the language a member writes in becomes their own: someone new, neither
    registered nor in the directory, who never chose one (/sprache, the registration)."""
    return not member.onboarded and member.external_id is None and "language" not in member.answered


async def _audited(ctx: Context, action: str, detail: str, work: Awaitable[None]) -> None:
    """Run an admin's command or button and record it with what came of it: one the bot
    refused is recorded as not done, with the refusal the admin read ("/answer 99 …" → "Es
    gibt kein Ticket #99.")."""
    try:
        await work
    except UserError as error:
        said = plain_text(ctx.t(error.key, **error.values))
        await ctx.audit(action, allowed=False, detail=f"{detail} → {said}"[:AUDIT_DETAIL_CHARS])
        raise
    except Exception as failure:
        with contextlib.suppress(Exception):  # the database may be what failed
            await ctx.audit(action, detail=f"{detail} → {type(failure).__name__}")
        raise
    await ctx.audit(action, detail=detail)


def _chat_key(incoming: Incoming) -> Key:
    return (str(incoming.platform), incoming.chat_id, incoming.sender_id)


@cache
def _standing_labels() -> tuple[str, ...]:
    return tuple(t(lang, key) for lang in LANGUAGES for key in STANDING_BUTTONS)


def _first_payload(reply: Reply) -> str | None:
    """The payload of the first of `reply`'s buttons (None without buttons)."""
    return next((button.payload for row in reply.buttons for button in row), None)


def _gives_name(member: Member, incoming: Incoming) -> bool:
    """Whether the platform names a member the bot knows no name of: Telegram's first and
    last name, a Matrix display name; not only their id (the console's user, a Matrix id
    without a display name)."""
    name = incoming.sender_name.strip()
    return (
        not member.display_name.strip()
        and bool(name)
        and name != incoming.sender_id
        and any(c.isalnum() for c in name)
    )
