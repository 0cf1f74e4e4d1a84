"""Option polls on an event ("which date suits you?"): sent as native polls, latest vote counts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.delivery import enqueue_for_member, enqueue_to_chat
from bot.errors import UserError
from bot.flows import is_question
from bot.i18n import Markup, t
from bot.messages import KEEPS_CHOICES, Poll, Reply
from bot.router import Router
from bot.services import Services
from bot.textmatch.analyzer import reads_english
from handlers import audit
from handlers.events import notify, render
from handlers.events.dates import DayNamed
from handlers.events.naming import named_in_message
from storage import event_store, signups
from storage.events import CONFIRMED, POLL_EVERYONE, POLL_SIGNED_UP, Event, EventPoll
from storage.models import Member

MAX_QUESTION = 300
MAX_OPTION = 100
MAX_OPTIONS = 10


def parse_poll(text: str) -> tuple[str, list[str]]:
    """`Frage | Option 1 | Option 2` -> (question, options)."""
    parts = [" ".join(p.split()) for p in text.split("|")]
    question, options = parts[0], [p for p in parts[1:] if p]
    if not question or not 2 <= len(options) <= MAX_OPTIONS:
        raise UserError("events.bad_poll", limit=MAX_OPTIONS)
    if len(question) > MAX_QUESTION or any(len(o) > MAX_OPTION for o in options):
        raise UserError("events.bad_poll", limit=MAX_OPTIONS)
    if len(set(options)) != len(options):
        raise UserError("events.bad_poll", limit=MAX_OPTIONS)
    return question, options


def question_reads_english(text: str) -> bool:
    """Whether the question of a poll given as German (`Frage | Option 1 | …`) is plainly
    English, by the rule an event's title is checked by: members who chose German would be
    asked in English."""
    return reads_english(parse_poll(text)[0])


def parse_english(text_en: str, options: list[str]) -> tuple[str, list[str]]:
    """The English version (`Question | Option 1 | …`, "" for none) beside the German
    options: as many, each in the same place, since a vote counts by its place."""
    if not text_en:
        return "", []
    question_en, options_en = parse_poll(text_en)
    if len(options_en) != len(options):
        raise UserError("events.poll_german_options", count=len(options_en))
    return question_en, options_en


# A date said to be preferred ("der 5. Januar passt mir besser", "5 jan works better for
# me", "I'd prefer the 12th"), and said against ("passt mir nicht", "doesn't work").
_PREFERS = re.compile(
    r"\b(?:pass\w*|besser|lieber|liebsten|gerne?|bevorzug\w*|wähl\w*|waehl\w*|stimme|nehme|"
    r"works?|better|prefer\w*|suits?|best|choose|pick|go\s+for|fine|good)\b",
    re.IGNORECASE,
)
_AGAINST = re.compile(
    r"\b(?:nicht|kein\w*|leider|nie|not|no|never|cannot|unfortunately)\b|n[’']t\b", re.IGNORECASE
)


def preferred_day(text: str) -> DayNamed | None:
    """The day a message says it prefers ("der 5. Januar passt mir besser", "5 jan works
    better for me"); None when it names none, says nothing of preferring it, says it
    against ("passt mir nicht") or asks ("Passt der 19.1. auch?")."""
    if is_question(text) or _AGAINST.search(text) or not _PREFERS.search(text):
        return None
    return named_in_message(text).day


def preferred_option(text: str, options: Sequence[Sequence[str]]) -> int | None:
    """The option on the day a message prefers (`preferred_day`): the one option (in any of
    its wordings, `options`: each option's German and English) on that day; None when none
    or several are."""
    day = preferred_day(text)
    if day is None:
        return None
    found = {
        index
        for index, wordings in enumerate(options)
        for wording in wordings
        if (named := named_in_message(wording).day) is not None
        and (named.day, named.month) == (day.day, day.month)
    }
    return found.pop() if len(found) == 1 else None


def native(poll: EventPoll, lang: str) -> Poll:
    """The poll as a member reading `lang` gets it: the English version where there is one."""
    english = lang == "en" and bool(poll.question_en) and bool(poll.options_en)
    question = poll.question_en if english else poll.question
    options = (poll.options_en or poll.options) if english else poll.options
    return Poll(f"ev:{poll.event_id}:{poll.name}", question, tuple(options), poll.multiple)


def question_in(lang: str, poll: EventPoll) -> str:
    return native(poll, lang).question


async def preview(ctx: Context, event_id: int, text: str, text_en: str = "") -> Markup:
    """What `/eventpoll N …` will send and to how many, checked as `create` will send it: to
    everyone the event is for, or (the office chooses by its button) only those signed up;
    with its English version (`text_en`) when the office gave one."""
    question, options = parse_poll(text)
    question_en, options_en = parse_english(text_en, options)
    async with ctx.db.session() as session:
        event = await _event(session, event_id)
        groups, members = await _reach(session, ctx, event)
        signed_up = len(await _audience(session, ctx, event, POLL_SIGNED_UP))
    lines: list[str] = [
        ctx.t(
            "events.poll_preview", number=event.id, title=render.title_of(event), question=question
        ),
        *(ctx.t("events.poll_option_line", option=option) for option in options),
    ]
    if question_en:
        lines.append(ctx.t("events.poll_english_version", question=question_en))
        lines.extend(ctx.t("events.poll_option_line", option=option) for option in options_en)
    lines += [
        "",
        ctx.t(
            "events.poll_reach",
            chats=groups,
            members=members,
            button=ctx.t("events.btn_send_poll"),
        ),
        ctx.t(
            "events.poll_reach_signed_up",
            members=signed_up,
            button=ctx.t("events.btn_send_poll_signed_up"),
        ),
    ]
    return Markup("\n".join(lines))


async def _event(session: AsyncSession, event_id: int) -> Event:
    event = await event_store.get_event(session, event_id)
    if event is None:
        raise UserError("events.unknown_event", number=event_id)
    return event


async def _audience(
    session: AsyncSession, ctx: Context, event: Event, audience: str = POLL_EVERYONE
) -> list[Member]:
    """The members a poll on `event` goes to but the admin asking: the event's audience
    (subscribed to news), or those with a confirmed place, news or not (the poll is about
    their taking part; the waiting list is not asked)."""
    if audience == POLL_SIGNED_UP:
        rows = await signups.attendees(session, event_id=event.id, statuses=(CONFIRMED,))
        found = [member for _signup, member in rows]
    else:
        found = await notify.audience_of(session, event)
    return [member for member in found if member.id != ctx.member.id]


async def _reach(session: AsyncSession, ctx: Context, event: Event) -> tuple[int, int]:
    groups = len(notify.group_targets(ctx.services.settings, event))
    return groups, len(await _audience(session, ctx, event))


async def create(
    ctx: Context, event_id: int, text: str, audience: str = POLL_EVERYONE, text_en: str = ""
) -> None:
    """Store the poll and send it to the groups and the event's audience, or (`audience`
    POLL_SIGNED_UP) only privately to the members with a confirmed place; members who read
    English get its English version (`text_en`) where there is one."""
    question, options = parse_poll(text)
    question_en, options_en = parse_english(text_en, options)
    services = ctx.services
    groups = members_told = 0
    async with ctx.db.session() as session:
        event = await _event(session, event_id)
        existing = await event_store.polls_of(session, event_id=event_id)
        name = "dates" if not existing else f"q{len(existing) + 1}"
        stored = await event_store.create_poll(
            session,
            event_id=event_id,
            name=name,
            question=question,
            options=options,
            audience=audience,
            question_en=question_en,
            options_en=options_en or None,
        )

        def reply_in(lang: str) -> Reply:
            intro = t(lang, "events.poll_intro", title=render.title_of(event))
            return Reply(text=intro, poll=native(stored, lang))

        group_reply = reply_in(services.settings.network.default_language)
        # a poll for those signed up is no question for the groups
        everyone = audience == POLL_EVERYONE
        targets = notify.group_targets(services.settings, event) if everyone else []
        for platform, chat_id in targets:
            await enqueue_to_chat(
                session, platform=platform, chat_id=chat_id, reply=group_reply, kind="event_poll"
            )
            groups += 1
        for member in await _audience(session, ctx, event, audience):
            reply = reply_in(member.language)
            if await enqueue_for_member(session, member=member, reply=reply, kind="event_poll"):
                members_told += 1
    services.outbox_wakeup()
    sent = audit.poll_sent(event.id, question, audience, members_told, groups)
    await ctx.audit("eventpoll", detail=sent)
    await ctx.say(
        "events.poll_sent",
        title=render.title_of(event),
        number=event.id,
        groups=groups,
        members=members_told,
    )
    await ctx.reply(reply_in(ctx.lang))  # last, so the admin can vote on it right here too


async def tallies(
    services: Services, event_id: int
) -> tuple[Event, list[tuple[EventPoll, list[int], int]]]:
    """The event and each of its polls with votes per option and the number of voters."""
    async with services.db.session() as session:
        event = await event_store.get_event(session, event_id)
        if event is None:
            raise UserError("events.unknown_event", number=event_id)
        found = await event_store.polls_of(session, event_id=event_id)
        return event, [
            (
                p,
                *await event_store.poll_tally(
                    session, poll=p, counted=await _asked_ids(session, p)
                ),
            )
            for p in found
        ]


async def results(ctx: Context, event_id: int) -> None:
    event, found = await tallies(ctx.services, event_id)
    if not found:
        raise UserError("events.no_polls", title=render.title_of(event))
    lines = [ctx.t("events.poll_results_header", title=render.title_of(event))]
    for poll, tally, voters in found:
        shown = native(poll, ctx.lang)
        lines.append(ctx.t("events.poll_question", question=shown.question, voters=voters))
        for option, count in zip(shown.options, tally, strict=True):
            lines.append(ctx.t("events.poll_option", option=option, count=count))
    await ctx.reply(Markup("\n".join(lines)))


def register(router: Router) -> None:
    @router.poll("ev")
    async def on_vote(ctx: Context, parts: list[str], chosen: tuple[int, ...]) -> None:
        """Keep each member's latest vote; votes on unknown polls change nothing."""
        if len(parts) != 2 or not parts[0].isdecimal():
            return
        async with ctx.db.session() as session:
            poll = await event_store.get_poll(session, event_id=int(parts[0]), name=parts[1])
            if poll is None:
                return
            refusal = await _refusal(session, poll, ctx.member)
            if refusal is not None:
                if ctx.incoming.is_private:  # in a group, as a receipt, it would be chatter
                    await _receipt(ctx, ctx.t(refusal, question=question_in(ctx.lang, poll)))
                return
            valid = sorted({i for i in chosen if 0 <= i < len(poll.options)})
            if not poll.multiple:
                valid = valid[:1]
            await event_store.record_vote(
                session, poll_id=poll.id, member_id=ctx.member.id, options=valid
            )
        # A short receipt in a private chat only: in a group every vote would be chatter.
        if not ctx.incoming.is_private:
            return
        shown = native(poll, ctx.lang)
        if valid:
            chosen_text = ", ".join(shown.options[i] for i in valid)
            await _receipt(
                ctx, ctx.t("events.vote_counted", choice=chosen_text, question=shown.question)
            )
        elif not chosen:
            await _receipt(ctx, ctx.t("events.vote_withdrawn", question=shown.question))


async def _asked_ids(session: AsyncSession, poll: EventPoll) -> set[int] | None:
    """The members whose vote counts, None for anyone: for a poll only for those signed up,
    the confirmed places; on a young professionals' event, which anyone else is not shown
    (service.seen_event), the young professionals and whoever has a sign-up of their own."""
    if poll.audience == POLL_SIGNED_UP:
        rows = await signups.attendees(session, event_id=poll.event_id, statuses=(CONFIRMED,))
        return {member.id for _signup, member in rows}
    event = await event_store.get_event(session, poll.event_id)
    if event is None or event.audience != "yp":
        return None
    rows = await signups.attendees(session, event_id=poll.event_id)
    return await event_store.young_professional_ids(session) | {m.id for _s, m in rows}


async def _refusal(session: AsyncSession, poll: EventPoll, member: Member) -> str | None:
    """Why the member's vote does not count (a copy seen elsewhere), None when it does: a
    poll only for those signed up says so; a young professionals' event is, for anyone
    else, as if there were none, so that answer names neither the poll nor the event."""
    if poll.audience == POLL_SIGNED_UP:
        rows = await signups.attendees(session, event_id=poll.event_id, statuses=(CONFIRMED,))
        asked = any(m.id == member.id for _signup, m in rows)
        return None if asked else "events.vote_not_asked"
    event = await event_store.get_event(session, poll.event_id)
    if event is None or event.audience != "yp" or member.young_professional:
        return None
    own = await signups.find(session, event_id=event.id, member_id=member.id)
    return None if own is not None else "events.vote_not_for_you"


async def _receipt(ctx: Context, text: Markup) -> None:
    """A vote's receipt keeps the choices above where they are typed (console, Matrix): the
    poll's other options change the vote, and the other items of /pending's list, the poll
    one of them, are still answered by their numbers."""
    await ctx.reply(Reply(text=text, metadata={KEEPS_CHOICES: "yes"}))
