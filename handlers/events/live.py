"""Questions answered from live data, before the FAQ: places, dates, sign-up, own sign-ups and
what is coming up, in German and English.

`answer_live_question(ctx, text)` is registered as free text with priority 10 (the FAQ uses 50)
and may be called by the FAQ feature as well; it returns False for anything it does not know.
What a question asks and which events it names is read in `naming.py`; the `_answer_*`
functions render the reply. A question naming something no event is says so and lists what is
coming; one that only sounds like events ("who can join the network", "how do I sign up for an
event") is left to the FAQ.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from bot.context import Context
from bot.errors import UserError
from bot.flows import is_question
from bot.i18n import Markup
from bot.i18n.dates import show_time
from bot.messages import NO_SAYS, YES_PRESSES, Button, Reply
from bot.router import Router
from bot.textmatch.normalize import fold
from bot.textmatch.sentences import asks, asks_about_before, parts, questions
from handlers.events import described, render, service, the_way
from handlers.events.choosing import (
    EVENT_BUTTON,
    all_upcoming,
    event_meant_before,
    event_shown_before,
    event_talked_about,
    events_listed_before,
    local_today,
    offer_choice,
    visible_upcoming,
)
from handlers.events.dates import day_named_in, day_of_month_in, month_numbers, show_when
from handlers.events.member_commands import (
    ask_which,
    cancel_for_others,
    event_button,
    join,
    list_events,
    my_events,
    offer_open,
    send_calendar,
    show_event,
    show_event_list,
)
from handlers.events.naming import (
    Intent,
    Named,
    asked_again_of_day,
    asks_about_non_members,
    asks_about_waitlist,
    asks_at_event,
    asks_deadline,
    asks_for_calendar_file,
    asks_for_programme,
    asks_other_things,
    asks_to_be_put_down,
    asks_to_bring_others,
    asks_to_send_someone_instead,
    asks_until_when,
    asks_what_one_does_there,
    asks_when_or_where_to_meet,
    asks_whether_non_members_come,
    asks_whether_there_is,
    asks_who_else,
    asks_who_may_come,
    brings_others,
    cancelling_stems,
    cancels_for_others,
    event_number_in,
    event_stems,
    intent_of,
    is_function_word,
    kind_of,
    membership_stems,
    named_in_message,
    names_other,
    names_title,
    other_things,
    pick,
    says_not_coming,
    says_staying,
    says_to_sign_up,
    setting_off_stems,
    specific_stems,
    wishes_to_sign_up_alone,
    with_apostrophes,
    words_of,
)
from handlers.events.spans import Span
from handlers.faq.small_talk import small_talk
from handlers.members.profile import young_pro_button
from storage import event_store, signups
from storage.events import WAITLISTED, Event

# How many upcoming events a list shows.
LIST_LINES = 5

# --- answers ------------------------------------------------------------------------------


async def _counts(ctx: Context, event: Event) -> tuple[int, int]:
    async with ctx.db.session() as session:
        return await signups.counts(session, event_id=event.id)


def _is_full(event: Event, taken: int) -> bool:
    return event.capacity is not None and taken >= event.capacity


async def _answer_event(ctx: Context, key: str, event: Event, asked: str = "") -> None:
    """Places or date of one event, with the sign-up and details buttons; below them what
    its description says to the question `asked` ("where does the bus for the excursion
    leave": the event's place is not where the bus leaves)."""
    tz = ctx.services.settings.network.tz
    taken, waiting = await _counts(ctx, event)
    values = {
        "title": render.title_of(event),
        "number": event.id,
        "when": show_when(event_store.as_utc(event.starts_at), lang=ctx.lang, tz=tz),
        "place": render.place_in(ctx.lang, event) or "–",
        "count": render.count_label(ctx.lang, event, taken, waiting),
    }
    if key == "events.live_next" and asked and asks_until_when(asked):
        # "bis wann geht das?", "how long is it?": until when, with its start
        key, values["when"], values["end"] = _until(ctx, event)
    text = ctx.t(key, **values)
    for passage in described.passages(asked, [event], True, ctx.lang) if asked else ():
        text = Markup(f"{text}\n{described.quoted(ctx, passage)}")
    standing = await _standing(ctx, event)
    if standing is not None:
        # signed up already: the button that applies is cancelling (as under /event N)
        text = Markup(text + "\n" + standing)
        first = Button(ctx.t("events.btn_leave"), f"ev:leave:{event.id}")
    else:
        if _is_full(event, taken):
            text = Markup(text + "\n" + ctx.t("events.live_full"))
        elif asked and asks_about_waitlist(asked):
            # "Gibt es eine Warteliste?" with places free: whether there is one, not only a count
            none = event.capacity is None
            text = Markup(text + "\n" + ctx.t(f"events.live_waitlist_{'none' if none else 'free'}"))
        first = Button(ctx.t("events.btn_join"), f"ev:join:{event.id}")
    buttons = ((first, Button(ctx.t("events.btn_details"), f"ev:show:{event.id}")),)
    ctx.first_in_update(f"signup:{event.id}")  # offered: not again for the next question
    await ctx.reply(Reply(text=text, buttons=buttons))


def _until(ctx: Context, event: Event) -> tuple[str, str, str]:
    """The key, the span and the end of an answer to until when `event` goes: its end (the
    time alone on the day it starts), with the span from its start; its start alone, said
    to be all the office gave, when it has no end."""
    tz = ctx.services.settings.network.tz
    span = render.when_label(ctx.lang, event, tz)
    if event.ends_at is None:
        return "events.live_until_unknown", span, ""
    start, end = event_store.as_utc(event.starts_at), event_store.as_utc(event.ends_at)
    same_day = end.astimezone(tz).date() == start.astimezone(tz).date()
    shown = show_time if same_day else show_when
    return "events.live_until", span, shown(end, lang=ctx.lang, tz=tz)


async def _standing(ctx: Context, event: Event) -> Markup | None:
    """Where the member stands with `event`: signed up, or their place on the waiting list;
    None when they are neither."""
    async with ctx.db.session() as session:
        mine = await signups.find(session, event_id=event.id, member_id=ctx.member.id)
        if mine is None:
            return None
        if mine.status != WAITLISTED:
            return ctx.t("events.live_signed_up")
        rank = await signups.waitlist_rank(session, event_id=event.id, position=mine.position)
    return ctx.t("events.you_waiting", rank=rank)


async def _answer_signup(ctx: Context, text: str, event: Event) -> None:
    """How to sign up for one event: the event with the buttons `/event N` shows (with its
    deadline); that each person signs up on their own when the member speaks of colleagues or
    guests, or that there is no deadline when it was asked."""
    if brings_others(text):
        await _answer_signup_of(ctx, event, ctx.t("events.signup_each_own", number=event.id))
    elif event.deadline is None and asks_deadline(text):
        # "wann ist Anmeldeschluss?": that there is none is the answer (a deadline is shown)
        no_deadline = ctx.t("events.no_deadline", title=render.title_of(event))
        await _answer_signup_of(ctx, event, no_deadline, lead=True)
    else:
        await _answer_signup_of(ctx, event)


async def _kept_as_an_entry(ctx: Context, text: str) -> bool:
    """Whether the FAQ answers `text` directly with an entry one of whose phrasings asks
    when events are, as `text` does: a network's regular meeting kept in its knowledge
    base."""
    answered = await ctx.services.router.direct_answer_to(ctx, text)
    return answered is not None and any(
        intent_of(phrasing) in (Intent.DATES, Intent.UPCOMING)
        for phrasings in answered
        for phrasing in phrasings
    )


async def _answer_bringing(ctx: Context, text: str) -> bool:
    """ "Kann ich meinen Kollegen mitbringen?": each person signs up on their own, as at a
    sign-up for several (`brings_others`), with the sign-up of the event the question names,
    else of the one the member asked about just before ("Wann ist das Symposium?"), else of
    the one the latest message was about (a sign-up just made, an event's details); naming
    none, with what is coming, each a tap from its sign-up. False when the FAQ answers it
    with the office's own entry on bringing someone ("Darf ich einen Gast zur Exkursion
    mitbringen?": guests where places remain), which knows more than this rule (an entry on
    another kind of event does not: "zum Symposium" answered by the excursion's); and when no
    event is coming, with no sign-up to offer."""
    if asks_about_non_members(text):
        return False  # whether they may come at all: the FAQ's entry, else the office
    named = named_in_message(text)
    answered = await ctx.services.router.direct_answer_to(ctx, text)
    if answered is not None and any(
        asks_to_bring_others(phrasing) and named_in_message(phrasing).kind in (None, named.kind)
        for phrasings in answered
        for phrasing in phrasings
    ):
        return False
    if not named.names_event and ctx.before:
        named = named_in_message(ctx.before)
    events = await visible_upcoming(ctx)
    chosen = pick(named, events, ctx.services.settings.network.tz) if named.names_event else []
    if not named.names_event:
        # the one event the talk was about: just signed up for, or shown, also with other
        # questions or commands between (/profil, /meinefragen): only an event has guests
        talked = event_talked_about(ctx, events)
        chosen = [talked] if talked is not None else []
    shown = chosen or events
    if not shown:
        return False  # no sign-up to offer: what the FAQ or the office says about guests
    if len(shown) == 1 and shown[0].audience == event_store.YOUNG_PROFESSIONALS:
        # "can my supervisor come along? he's a professor": only who is one of them
        title = render.title_of(shown[0])
        note = ctx.t("events.signup_each_own_yp", number=shown[0].id, title=title)
        await _answer_signup_of(ctx, shown[0], note, lead=True)
    elif len(shown) == 1:
        note = ctx.t("events.signup_each_own", number=shown[0].id)
        await _answer_signup_of(ctx, shown[0], note, lead=True)
    else:
        await _answer_list(ctx, ctx.t("events.signup_each_own_list"), shown)
    return True


def _asks_only_who_may_come(text: str) -> bool:
    """Who may take part, asked in one question, or with short ones naming who beside it
    ("wer darf da hin? nur Mitglieder oder auch Kollegen?")."""
    asked = questions(text)
    if len(asked) <= 1:
        return asks_who_may_come(text)
    who = [question for question in asked if asks_who_may_come(question)]
    return bool(who) and all(q in who or asks_who_else(q) for q in asked)


async def _answer_audience(ctx: Context, text: str) -> bool:
    """ "und wer darf da mit?", "für wen ist die Exkursion?", "who can attend the forum?": whom
    the event is for (all members, young professionals, members of a topic), with what its
    description says to the question ("Studierende frei") and its sign-up. Naming events of
    a kind but no one of them, as a sign-up question (a young professionals' one hidden from
    the member is said to be theirs). False when no event is meant, or the question speaks
    of non-members (whether they may come is the network's rule: the FAQ's or the office's;
    the description's prices, failing those, `described.passage_for`)."""
    if asks_about_non_members(text):
        return False
    event = await _event_asked_of(ctx, text)
    named = named_in_message(text)
    if event is None:  # "Für wen ist die Nachwuchsexkursion?": a word of one event's title
        titled = [e for e in await visible_upcoming(ctx) if named.stems & event_stems(e)]
        event = titled[0] if len(titled) == 1 else None
    if event is None:
        return named.names_event and await _answer_one(ctx, text, Intent.SIGNUP)
    title = render.title_of(event)
    if event.audience == event_store.YOUNG_PROFESSIONALS:
        note = ctx.t("events.live_audience_yp", title=title)
    elif event.audience.startswith("topic:"):
        topic = event.audience.removeprefix("topic:")
        note = ctx.t("events.live_audience_topic", title=title, topic=topic)
    else:
        note = ctx.t("events.live_audience_all", title=title)
    said = described.passages(text, [event], True, ctx.lang)
    fees = described.priced(event, ctx.lang)
    for passage in said or ([fees] if fees is not None else []):
        note = Markup(f"{note}\n{described.quoted(ctx, passage)}")
    await _answer_signup_of(ctx, event, note, lead=True)
    return True


async def _answer_instead(ctx: Context, text: str) -> bool:
    """ "Darf mein Kollege statt mir kommen?": a sign-up is the person's own and passes to
    nobody (as each person signs up on their own, `_answer_bringing`): the member cancels
    theirs and the other person signs up themselves. Of the event the question names, else
    the one asked about just before, else the one the latest message was about, else any
    upcoming: the one the member is signed up for (or waiting for) with its cancel button
    (and, with people waiting, that the place freed goes to them first); several, a button
    to cancel each; none, the rule with what is coming, each a tap from its sign-up."""
    events = await visible_upcoming(ctx)
    named = named_in_message(text)
    if not named.names_event and ctx.before:
        named = named_in_message(ctx.before)
    tz = ctx.services.settings.network.tz
    if named.names_event:
        chosen = pick(named, events, tz)
    else:
        chosen = [e for e in events if e.id == event_shown_before(ctx)]
    # not another event's cancel button when the one named is not coming
    mine = await _signed_up_among(ctx, chosen if named.names_event else chosen or events)
    if len(mine) > 1:
        await offer_choice(ctx, mine, "leave", ctx.t("events.instead_which"))
        return True
    if not mine:
        await _answer_list(ctx, ctx.t("events.instead_list"), chosen or events)
        return True
    event = mine[0]
    said = ctx.t("events.instead_signed_up", title=render.title_of(event), number=event.id)
    _taken, waiting = await _counts(ctx, event)
    if waiting:
        said = Markup(said + "\n" + ctx.t("events.instead_waiting"))
    buttons = (
        (
            Button(ctx.t("events.btn_leave"), f"ev:leave:{event.id}"),
            Button(ctx.t("events.btn_details"), f"ev:show:{event.id}"),
        ),
    )
    await ctx.reply(Reply(text=said, buttons=buttons))
    return True


async def _answer_signup_of(
    ctx: Context, event: Event, note: str = "", *, lead: bool = False
) -> None:
    """`note`: a line that belongs to the answer, above its buttons (not after them, where
    it reads as an afterthought and pushes the buttons up on the console); none once the
    deadline has passed, when nobody can sign up here any more. `lead`: the note is what was
    asked ("Kann ich meinen Kollegen mitbringen?") and comes first."""
    tz, now = ctx.services.settings.network.tz, ctx.services.clock()
    taken, waiting = await _counts(ctx, event)
    if event.deadline is not None and event_store.as_utc(event.deadline) <= now:
        details = ((Button(ctx.t("events.btn_details"), f"ev:show:{event.id}"),),)
        await ctx.reply(
            Reply(
                text=ctx.t("events.deadline_passed", title=render.title_of(event)), buttons=details
            )
        )
        return
    if not ctx.first_in_update(f"signup:{event.id}") and note:
        # offered above for another question of the same message ("wer darf zum Symposium,
        # kann ich meinen Azubi mitbringen"): the note alone
        await ctx.reply(Reply(text=Markup(note)))
        return
    standing = await _standing(ctx, event)
    buttons = render.signup_buttons(ctx.lang, event, signed_up=standing is not None)
    if standing is not None:
        # Signed up or waiting already ("Ich kann mich nicht für das Symposium anmelden"):
        # where they stand, with the button that applies, not how to sign up.
        values = {"number": event.id, "when": render.when_label(ctx.lang, event, tz)}
        count = render.count_label(ctx.lang, event, taken, waiting)
        free = ctx.t("events.live_free", title=render.title_of(event), count=count, **values)
        text = Markup(free + "\n" + standing)
        await ctx.reply(Reply(text=_with_note(text, note, lead), buttons=buttons))
        return
    text = ctx.t(
        "events.live_signup",
        title=render.title_of(event),
        number=event.id,
        when=render.when_label(ctx.lang, event, tz),
        count=render.count_label(ctx.lang, event, taken, waiting),
        button=buttons[0][0].label,  # "Anmelden", or "Auf die Warteliste" when full
    )
    if event.deadline is not None:  # "bis wann kann ich mich anmelden?": until then
        deadline = show_when(event_store.as_utc(event.deadline), lang=ctx.lang, tz=tz)
        text = Markup(text + "\n" + ctx.t("events.line_deadline", deadline=deadline))
    if _is_full(event, taken):
        text = Markup(text + "\n" + ctx.t("events.live_full"))
    # "ja" typed to the offer signs up as the button does; "nein" signs nobody up
    not_now = ctx.t("events.live_signup_not", title=render.title_of(event), number=event.id)
    answers = {YES_PRESSES: f"ev:join:{event.id}", NO_SAYS: str(not_now)}
    await ctx.reply(Reply(text=_with_note(text, note, lead), buttons=buttons, metadata=answers))


def _with_note(text: Markup, note: str, lead: bool = False) -> Markup:
    if not note:
        return text
    return Markup(note + "\n\n" + text) if lead else Markup(text + "\n\n" + note)


async def _answer_cancel(ctx: Context, text: str, named: Named) -> bool:
    """The member's own sign-ups a message to cancel names ("Ich kann nicht zur Exkursion
    kommen"), or all of them when it names none ("doch nicht", "bitte wieder abmelden",
    "count me out"): one is asked about with the button that cancels it, several are offered
    to choose from (a tap, not the message, cancels: the member may only be asking how).
    False when they are signed up for nothing it names: the FAQ says how cancelling works,
    or what else was meant ("vom Newsletter abmelden", "Mitgliedschaft kündigen")."""
    tz, now = ctx.services.settings.network.tz, ctx.services.clock()
    async with ctx.db.session() as session:
        mine = await signups.member_signups(session, member_id=ctx.member.id, after=now)
    own = [event for _signup, event in mine]
    if says_staying(text) and not _for_someone_else(text, named):
        # "doch nicht, bleib angemeldet" under the question whether to cancel: its no (the
        # "doch nicht" had asked it again)
        shown = event_shown_before(ctx)
        staying = next((event for event in own if event.id == shown), None)
        if staying is None:
            return False
        await ctx.say("events.live_cancel_kept", title=render.title_of(staying))
        return True
    chosen = _cancel_candidates(text, named, own, tz)
    if _for_someone_else(text, named):
        await cancel_for_others(ctx, chosen or own)
        return True
    if not chosen and (named.in_time or named.day_of_month is not None):
        # "kann doch nicht am Dienstag zum Workshop", signed up for Friday's: not that one
        # instead; said so, with those it may have meant (their details cancel)
        loose = replace(named, day=None, month=None, year=None, weekday=None, day_of_month=None)
        others = _cancel_candidates(text, loose, own, tz)
        if others:
            heading = ctx.t("events.live_cancel_not_then", named=_named_label(ctx, named))
            await show_event_list(ctx, heading, others)
            return True
    if (
        not chosen
        and not mine
        and says_not_coming(text)
        and not _names_something(text, named)
        and small_talk(text) is None  # "nein, lieber nicht": a no to nothing named
    ):
        # "cant come after all, cancel pls" from a member signed up for nothing: no question
        # for the office, nor the FAQ's how-to
        await ctx.say("events.no_own_events")
        return True
    if not chosen:
        return False
    if len(chosen) > 1:
        await offer_choice(ctx, chosen, "leave", ctx.t("events.live_cancel_which"))
        return True
    event = chosen[0]
    waiting = next(s for s, e in mine if e.id == event.id).status == WAITLISTED
    key = "events.live_cancel_waiting" if waiting else "events.live_cancel"
    by_day = named.day_of_month is not None  # "am 23.": named by its day
    by_words = bool((named.stems | named.others) & event_stems(event))
    if not (waiting or named.particular or by_day or by_words):
        key = "events.live_cancel_ask"  # the event not named: whether it is meant is asked
    values = {"title": render.title_of(event), "number": event.id}
    # Only where places are counted does a cancellation free one for the waiting list.
    freed = ctx.t("events.live_cancel_freed") if event.capacity is not None else ""
    text = ctx.t(key, when=render.when_label(ctx.lang, event, tz), freed=freed, **values)
    # the button that cancels, alone: no calendar under the question whether to cancel
    buttons = ((Button(ctx.t("events.btn_leave"), f"ev:leave:{event.id}"),),)
    # "ja" typed to the question cancels as the button does; "nein" keeps the sign-up
    kept = ctx.t("events.live_cancel_kept", title=values["title"])
    answers = {YES_PRESSES: f"ev:leave:{event.id}", NO_SAYS: str(kept)}
    await ctx.reply(Reply(text=text, buttons=buttons, metadata=answers))
    return True


def _for_someone_else(text: str, named: Named) -> bool:
    """Whether a message cancels an event's sign-up for someone else, not the member's own
    ("Bitte melden Sie meinen Kollegen vom Symposium ab, ich komme aber"): not when it names
    a thing of its own ("meine Kollegin vom Newsletter abmelden"), which the FAQ answers."""
    elsewhere = (named.others - cancelling_stems(text)) | membership_stems(text)
    return cancels_for_others(text) and (named.names_event or not elsewhere)


def _names_something(text: str, named: Named) -> bool:
    """Whether a message names what it cancels: an event's kind, place or day, or a thing of
    its own ("Newsletter", "Mitgliedschaft")."""
    return named.particular or bool(_title_words(text, named))


def _title_words(text: str, named: Named) -> frozenset[str]:
    """The words of a message to cancel that may name what it cancels: specific words that
    name no event's kind or day, other than those of the cancelling itself ("schaff",
    "weitergeben"); the association ("aus dem Verein austragen") is one."""
    found = (named.stems & specific_stems(text)) | named.others | other_things(text)
    # the association stays named inside the words that cancel ("mich aus dem Verein austragen")
    return (found - cancelling_stems(text)) | membership_stems(text)


def _cancel_candidates(
    text: str, named: Named, events: Sequence[Event], tz: ZoneInfo
) -> list[Event]:
    """Of the member's upcoming sign-ups, those a message to cancel names; all of them when
    it names nothing, [] when it names something else."""
    # A word of a title, or a word for something else ("Kreislaufwirtschaft" has a concept:
    # others); everyday words around the cancelling ("passt", "suit") name nothing.
    title_words = _title_words(text, named)
    if not (named.kind or named.names or named.general) and title_words:
        # Named by a word of its title alone ("Teilnahme am Werksbesuch absagen"); none of
        # the member's events has it: something else is cancelled ("Newsletter").
        events = [event for event in events if title_words & event_stems(event)]
    chosen = pick(named, events, tz)
    if named.day_of_month is not None:
        # "am 23.", "the 29th": the one of their own events on that day of its month
        on = named.day_of_month
        chosen = [e for e in chosen if event_store.as_utc(e.starts_at).astimezone(tz).day == on]
    return chosen


def _named_label(ctx: Context, named: Named) -> str:
    """What the member named, in their language: "Exkursion · Berlin", "Workshop · März"."""
    parts: list[str] = []
    if named.kind:
        parts.append(str(render.kind_label(ctx.lang, named.kind)))
    parts.extend(w.typed for w in named.names)
    if named.day is not None:
        parts.append(named.day.label(ctx.lang))
    if named.day_of_month is not None:
        parts.append(ctx.t("events.day_of_month", day=named.day_of_month))
    weekday = named.weekday_label(ctx.lang)
    if weekday is not None:
        parts.append(weekday)
    if named.month is not None:
        parts.append(get_month_names("wide", locale=ctx.lang)[named.month])
    if named.span is not None:
        parts.append(named.span.label(ctx.lang, local_today(ctx)))
    return " · ".join(parts) or str(render.kind_label(ctx.lang, "other"))


async def _answer_list(ctx: Context, heading: Markup, events: Sequence[Event]) -> None:
    """A heading and the events, briefly, with their numbers and a button each."""
    if not events:
        await ctx.reply(Markup(heading + "\n" + ctx.t("events.none_upcoming")))
        return
    await show_event_list(ctx, heading, events[:LIST_LINES])


async def answer_live_question(ctx: Context, text: str) -> bool | str:
    """Answer from the database if the question is about events; False otherwise. A message
    asking several things (about events or not) is the FAQ's in a private chat: it asks
    `answer_part` question by question, so each is answered, under its question, in the order
    asked; elsewhere the event questions are answered here and the rest is returned."""
    text = with_apostrophes(text)  # "whats on next week", "ill come": read as with them
    # "und am 24.2.?" after "Gibt es am 12.2. eine Exkursion?": the same, of that day
    text = asked_again_of_day(text, ctx.before) or text
    if await _picked_from_list(ctx, text):
        return True
    if len(questions(text)) <= 1 and asks_to_send_someone_instead(text):
        return await _answer_instead(ctx, text)
    if _asks_only_who_may_come(text) and await _answer_audience(ctx, text):
        return True
    if len(questions(text)) <= 1 and await the_way.answer_the_way(ctx, text):
        return True  # "wie komme ich da hin?": the place, a map, what the description says
    if len(questions(text)) <= 1 and asks_whether_non_members_come(text):
        # "can non-members attend the forum?" is no sign-up of the member's: the FAQ's entry,
        # else the event's prices (`described.passage_for`), else the office
        return False

    if cancels_for_others(text) and intent_of(text) is Intent.CANCEL:
        # "please cancel my colleague's registration": never an offer to cancel one's own,
        # nor read as bringing the colleague along
        return await _answer_one(ctx, text, Intent.CANCEL)
    if (
        len(questions(text)) <= 1
        and asks_to_bring_others(text)
        # "Wir sind ein Betrieb mit 40 Mitarbeitenden. Kennt jemand ein Labor, das …?" speaks
        # of people and someone, and is a partner search
        and not await ctx.services.router.claimed(ctx, text)
    ):
        return await _answer_bringing(ctx, text)
    if asks_for_calendar_file(text) and await _answer_calendar(ctx, text):
        return True
    if (
        len(questions(text)) <= 1
        and (asks_for_programme(text) or asks_what_one_does_there(text))
        and await _answer_programme(ctx, text)
    ):
        return True
    asked = questions(text)
    if (
        len(asked) > 1
        and all(intent_of(question) is Intent.DATES for question in asked)
        and await _answer_dates_of_shown(ctx, text)
    ):
        # "wann fängt das an und wo ist das?" under an event's details: its date and place
        # say both, in one answer (each question alone had been the FAQ's)
        return True
    several = asks_other_things(text)
    if ctx.incoming.is_private and (several or len(asked) > 1):
        # "wo findet das statt und wie komm ich da hin" after a sign-up: each part asks where
        # or when the event just shown is, answered once (the FAQ had guessed at each part)
        return _only_when_or_where(text) and await _answer_dates_of_shown(ctx, text)
    intent = intent_of(text)
    if intent is Intent.CANCEL and (beside := _asked_beside_cancelling(text)) is not None:
        # "doch nicht. und wo is das forum?": the sign-up to cancel, if the member has any
        # (else it reacts to something said before), and the question asked beside it (the
        # whole had gone to the FAQ)
        statement, question = beside
        if await _signed_up_among(ctx, await visible_upcoming(ctx)):
            await _answer_cancel(ctx, statement, named_in_message(statement))
        answered = await answer_live_question(ctx, question)
        return True if answered is True else answered or question
    if intent is None:
        # "wo treffen wir uns?" right after an event's sign-up or details: its date and place
        return asks_when_or_where_to_meet(text) and await _answer_dates_of_shown(ctx, text)
    if intent is Intent.SIGNUP and not several:
        number = event_number_in(text)
        if number is not None:
            await _answer_signup_by_number(ctx, text, number)
            return True
    if several:
        return await _answer_event_questions(ctx, text)
    if _comes_naming_no_event(text, intent):
        return await _answer_coming(ctx, text)
    if intent is Intent.DATES and await _answer_dates_of_shown(ctx, text):
        return True
    return await _answer_one(ctx, text, intent)


def _only_when_or_where(text: str) -> bool:
    """Whether every question of a message asks when or where, or how to get there (naming
    no event and nothing else: `_answer_dates_of_shown` checks that)."""
    asked = parts(text)
    return len(asked) > 1 and all(intent_of(part) is Intent.DATES for part in asked)


async def _event_asked_of(ctx: Context, text: str, *, earlier: bool = False) -> Event | None:
    """The one event a message names, else the one just shown or signed up for (or named
    in the message before), else (`earlier`: a question only an event answers, its
    programme) the one shown a few messages back, other questions between; None when no
    one event is meant."""
    events = await visible_upcoming(ctx)
    named = named_in_message(text)
    if not named.names_event and earlier:
        return event_talked_about(ctx, events)
    if not named.names_event:
        return event_meant_before(ctx, events)
    chosen = pick(named, events, ctx.services.settings.network.tz)
    return chosen[0] if len(chosen) == 1 else None


async def _answer_programme(ctx: Context, text: str) -> bool:
    """ "Wie sieht das Programm aus?", "what's the programme?", "und die Exkursion, was macht
    man da?": the description of the event
    asked about (what the office wrote of its programme), or that the office has published
    none yet; not its date and place alone. Naming none, of the event talked about a few
    messages back, other questions between: only an event has a programme ("trag das in
    meinen Kalender ein" after another question means that one). False when no one event
    is meant."""
    event = await _event_asked_of(ctx, text, earlier=True)
    if event is None:
        return False
    tz = ctx.services.settings.network.tz
    description = render.description_read(ctx.lang, event).strip()
    values = {
        "title": render.title_of(event),
        "number": event.id,
        "when": render.when_label(ctx.lang, event, tz),
    }
    if description:
        said = ctx.t("events.programme", description=description, **values)
    else:
        said = ctx.t("events.programme_none", **values)
    standing = await _standing(ctx, event)
    if standing is not None:
        said = Markup(said + "\n" + standing)
        first = Button(ctx.t("events.btn_leave"), f"ev:leave:{event.id}")
    else:
        first = Button(ctx.t("events.btn_join"), f"ev:join:{event.id}")
    buttons = ((first, Button(ctx.t("events.btn_details"), f"ev:show:{event.id}")),)
    await ctx.reply(Reply(text=said, buttons=buttons))
    return True


async def _answer_calendar(ctx: Context, text: str) -> bool:
    """ "add it to my calendar pls", "trag das in meinen Kalender ein": the calendar file of
    the event the message names, else of the one just shown or signed up for (or named in
    the message before), as its "In den Kalender" button sends it. No one event meant: the
    knowledge base's entry on calendars, else the member's own feed (/kalender); False for
    an event named that is not coming."""
    event = await _event_asked_of(ctx, text)
    if event is None:
        if named_in_message(text).names_event:
            return False
        if await ctx.services.router.direct_answer_to(ctx, text) is not None:
            return False  # the knowledge base's entry on calendars
        # "add it to my calendar pls" with no event talked about: the member's own feed,
        # as /kalender gives it (the FAQ had offered three unrelated topics)
        await ctx.services.router.run(ctx, "calendar")
        return True
    # its details below the file: a next question ("wie sieht das Programm aus?") means it
    details = ((Button(ctx.t("events.btn_details"), f"ev:show:{event.id}"),),)
    try:
        await send_calendar(ctx, event.id, details)
    except UserError as error:
        await ctx.say(error.key, **error.values)
    return True


# A question how or whether one can sign up ("Wie melde ich mich für Nr. 2 an?", "can I
# register for no. 2?"): the event is shown with its sign-up, not signed up for.
_HOW = re.compile(r"\?|^\s*(?:wie|how|wo|where)\b", re.IGNORECASE)


async def _answer_signup_by_number(ctx: Context, text: str, number: int) -> None:
    """A wish to sign up naming the event by its number ("ich möchte mich für Nummer 2
    anmelden", "sign me up for no. 2"): as /anmelden 2, with its confirmation and its
    refusals (no such number, a young professionals' event for anyone else); asked as a
    question, the event with its sign-up, as /termin 2 shows it."""
    try:
        if _HOW.search(text):
            await show_event(ctx, number)
            return
        note = ctx.t("events.signup_each_own", number=number) if brings_others(text) else ""
        await join(ctx, number, note=note)
    except UserError as error:
        await ctx.say(error.key, **error.values)


async def _answer_dates_of_shown(ctx: Context, text: str) -> bool:
    """When or where, naming nothing ("wann gehts los", "when does it start", "what time
    does the bus leave", "wo treffen wir uns", "when do we depart") right after a message
    about one event (its sign-up offered or made, its details) or a question naming it: that
    event's date and place, and what its description says to it. Not with a word of
    something else ("Wann ist die Geschäftsstelle erreichbar?")."""
    named = named_in_message(text)
    # words of setting off or meeting ("depart", "Treffpunkt") are no other thing; the
    # membership is ("wie lange dauert eine Mitgliedschaft?")
    if named.names_event or specific_stems(text) - setting_off_stems():
        return False
    if membership_stems(text):
        return False
    upcoming = await visible_upcoming(ctx)
    event = event_meant_before(ctx, upcoming)
    if named.in_time:
        # a day of the event meant ("bis wann geht das am Freitag?" of a symposium from
        # Thursday to Friday); another day asks which events are on it
        tz = ctx.services.settings.network.tz
        if event is None or not pick(named, [event], tz, today=local_today(ctx)):
            return False
    elif event is None:
        if await _answer_starts_of_listed(ctx, text, upcoming):
            return True
        if not asks_when_or_where_to_meet(text):
            return False
        # "where does the bus leave from?" a few messages after the sign-up: one sets off or
        # meets for an event one goes to (it had been the FAQ's entry on leaving the
        # association); for several of them, which one is asked
        mine = await _signed_up_among(ctx, upcoming)
        if not mine:
            return False
        if len(mine) > 1:
            await ask_which(ctx, mine, "show")
            return True
        event = mine[0]
    await _answer_event(ctx, "events.live_next", event, text)
    return True


# What may stand beside the day or name that picks one of a list's events: "the one on 20
# January", "das am 24. Februar", "den Workshop bitte".
PICK_WORDS = 5


# Several of a list's events named in one message: "das Symposium und das Forum".
_AND = re.compile(r"\b(?:und|and|sowie)\b|[,;&+]", re.IGNORECASE)


async def _picked_from_list(ctx: Context, text: str) -> bool:
    """A day, a month or a name typed under a list of events (/anmelden's "Welche
    Veranstaltung meinen Sie?", /termine) that is one of theirs alone: what its button does
    ("das am 20. Januar", "Februar", "den Workshop"; they had become an office ticket, or the
    FAQ's entry on another event); several named each so, one after the other ("das
    Symposium und das Forum": they had got the FAQ's topics). False for anything else, a
    question among it ("is there parking on 20 January?")."""
    listed = events_listed_before(ctx)
    if not listed or "?" in text:
        return False
    parts = [part for part in _AND.split(text) if _names_anything(part)]
    pressed = [await _pressed_by(ctx, part, listed) for part in parts]
    found = list(dict.fromkeys(payload for payload in pressed if payload is not None))
    if not found or None in pressed:
        return False
    for payload in found:
        await event_button(ctx, payload.split(":")[1:])
    return True


def _names_anything(text: str) -> bool:
    """Whether a part of a message has a number or a word that is no function word ("bitte"
    after a comma names nothing)."""
    return any(ch.isdigit() for ch in text) or any(
        not is_function_word(word) for word in words_of(text)
    )


async def _pressed_by(ctx: Context, text: str, listed: Collection[int]) -> str | None:
    """The button of the one listed event a day, month or name picks; None for none or
    several."""
    day, rest = day_named_in(text)
    # "das am 24.", "the one on the 20th": the day of the month alone
    of_month, rest = day_of_month_in(rest) if day is None else (None, rest)
    said = [word for word in words_of(rest) if not is_function_word(word)]
    if len(words_of(rest)) > PICK_WORDS or (day is None and of_month is None and not said):
        return None
    # "Januar", "das im Februar": the month of one of them
    months = {month_numbers().get(word.folded) for word in said} - {None}
    said = [word for word in said if word.folded not in month_numbers()]
    tz = ctx.services.settings.network.tz
    picked = [
        event.id
        for event in await visible_upcoming(ctx)
        if event.id in listed
        and (day is None or day.is_on(event.starts_at, tz))
        and of_month in (None, event.starts_at.astimezone(tz).day)
        and all(month == event.starts_at.astimezone(tz).month for month in months)
        and all(kind_of(word) == event.kind or word.stem in event_stems(event) for word in said)
    ]
    pressed = [
        payload
        for payload in ctx.shown_before
        if len(picked) == 1
        and (found := EVENT_BUTTON.match(payload)) is not None
        and int(found.group(1)) == picked[0]
    ]
    return pressed[0] if pressed else None


_THE_NEXT = re.compile(r"\b(?:nächst\w*|naechst\w*|next|erst\w*|first)\b", re.IGNORECASE)


async def _answer_starts_of_listed(ctx: Context, text: str, upcoming: Sequence[Event]) -> bool:
    """When, right under a list of several events (/termine, "which one?"): when each of
    them starts, and which one is meant; not the FAQ's entry on leaving the association,
    which "when do we leave?" shares words with. False with no list just before."""
    listed = events_listed_before(ctx)
    if _THE_NEXT.search(text):  # "Wann ist der nächste Termin?": the next one, not each
        return False
    shown = [e for number in listed for e in upcoming if e.id == number]
    if len(shown) == 1:  # the others are over or gone: the one left is meant
        await _answer_event(ctx, "events.live_next", shown[0], text)
        return True
    if not shown:
        return False
    await show_event_list(ctx, ctx.t("events.live_starts_listed"), shown[:LIST_LINES])
    return True


async def _answer_coming(ctx: Context, text: str) -> bool:
    """A member says they will come, naming no event ("ok dann bin ich dabei", "nah nvm
    I'll come after all"): the event the latest message was about (its sign-up offered, its
    details, its cancellation asked); else the one their message just before names ("Wann
    ist das Forum?"); else, said in words of coming ("I'll come after all", not "I'd like to
    join", which may be the network), the one upcoming event they are signed up for: they
    are told so; else, for a wish to sign up naming nothing, the events open to it. False
    otherwise."""
    events = await visible_upcoming(ctx)
    shown = event_shown_before(ctx)
    event = next((e for e in events if e.id == shown), None)
    # "Ich möchte mich anmelden" is not "I'll come after all": right under one's own sign-up,
    # or with one event signed up for, it wants another one
    wish = wishes_to_sign_up_alone(text)
    if event is not None and not (wish and await _signed_up_among(ctx, [event])):
        await _answer_signup(ctx, text, event)
        return True
    listed = [e for e in events if e.id in events_listed_before(ctx)]
    if listed and (wish or asks_to_be_put_down(text)):
        # "put me down pls" under /events: which of those listed (it had told a member signed
        # up for one of them that they were, as "I'll come after all" is told)
        await ask_which(ctx, listed, "join")
        return True
    if ctx.before and await _answer_one(ctx, f"{ctx.before} {text}", Intent.SIGNUP, wish=True):
        return True
    mine = await _signed_up_among(ctx, events) if not (_JOINING.search(text) or wish) else []
    if len(mine) == 1:
        await _answer_signup(ctx, text, mine[0])
        return True
    if wish:
        # "Ich möchte mich anmelden", "sign me up please" with nothing before: for what, as
        # /anmelden alone asks (the FAQ had offered its topics, the symposium's first)
        await offer_open(ctx, "join")
        return True
    return False


# Words of joining, which may be joining the network, not coming to an event.
_JOINING = re.compile(r"\b(join\w*|mitmach\w*|beitret\w*|mitglied\w*|member\w*)\b", re.I)


def _comes_naming_no_event(text: str, intent: Intent) -> bool:
    """Whether a member says they will come or want to sign up, naming no event nor a day
    ("bin dabei", "I'll be there", "ich komme doch", "Ich möchte mich anmelden"): the event
    meant is the one just before (`_answer_coming`)."""
    if intent is not Intent.SIGNUP:
        return False
    if not is_question(text) and wishes_to_sign_up_alone(text):
        return True
    named = named_in_message(text)
    return says_to_sign_up(text) and not (named.names_event or named.in_time)


# Pronouns by which a question names the event of the question before it ("Was ist das
# Innovationsforum und wann findet es statt?"), beside those of `asks_about_before`.
# "er" and a "sie" in lower case are the event of the question before too ("Wann beginnt der
# Workshop und wo findet er statt?"); a capitalised "Sie" is the member's formal "you". The
# "es" of "gibt es" points to nothing ("Welche Termine gibt es noch?" asks about all).
# ... and "das" before a separable verb's particle ending the question ("wo findet das
# statt", "wann geht das los"): the event, as "es" is
_IT = re.compile(
    r"\b(?:(?i:(?<!gibt\s)es|ihn|ihm|it|they|them|er)|sie)\b|"
    r"(?i:\bdas\s+(?:statt|los|an|vorbei)\W*$)"
)


async def answer_part(ctx: Context, question: str, before: str) -> bool:
    """Answer one question of several from the database ("wann ist das nächste Symposium"
    of "Was kostet die Mitgliedschaft und wann ist das nächste Symposium?"), one pointing
    back with the event the question `before` it names ("… und wann findet es statt?");
    False when it is not about events, or asks about signing up or cancelling, which have
    other senses beside it ("Ist die Teilnahme für Mitglieder kostenlos?"): the FAQ's."""
    question = with_apostrophes(question)
    points_back = bool(before) and bool(_IT.search(question) or asks_about_before(question))
    if asks_who_may_come(question) and await _answer_audience(
        ctx, f"{before} {question}" if points_back else question
    ):
        # "wer darf zum Symposium? und gibt es dort Parkplätze?": whom it is for, as alone
        return True
    if asks_to_bring_others(question):
        # "wer darf zum Symposium? kann ich meinen Azubi mitbringen?": of the event before
        named = named_in_message(question).names_event
        read = question if named or not before else f"{before} {question}"
        if await _answer_bringing(ctx, read):
            return True
    intent = intent_of(question)
    if intent is Intent.SIGNUP and before and says_to_sign_up(question):
        # "Gibt es ein Symposium? Ich würde gern teilnehmen": the event asked about before,
        # unless the wish names its own; when none is coming, the answer above said so.
        read = question if named_in_message(question).particular else f"{before} {question}"
        await _answer_one(ctx, read, intent, wish=True)
        return True
    if intent is None or intent in (Intent.SIGNUP, Intent.CANCEL):
        return False
    if intent is Intent.DATES and not before and await _answer_dates_of_shown(ctx, question):
        # "where is it exactly, and is there parking?" after an event's date: its place
        return True
    if points_back or (before and _of_event_before(question, intent, before)):
        return await _answer_one(ctx, f"{before} {question}", intent)
    return await _answer_one(ctx, question, intent)


def _of_event_before(question: str, intent: Intent, before: str) -> bool:
    """A question of places or dates (`intent`) naming no event nor a time, right after one
    naming an event, asks about that event ("What happens if the excursion is full? Is there
    a waiting list?"); one asking what is on ("Welche Termine gibt es noch?") asks about all."""
    if intent not in (Intent.PLACES, Intent.DATES):
        return False
    named = named_in_message(question)
    # (`stems`: words that may be an event's title, "where is the summer party?")
    names_one = named.particular or named.in_time or named.stems
    return not names_one and named_in_message(before).names_event


async def _answer_event_questions(ctx: Context, text: str) -> bool | str:
    """Answer each question of `text` that asks when, which or how many places ("Wann ist das
    nächste Symposium? Wie hoch ist der Beitrag?"); return the others, for the FAQ, or False
    when none is answered here."""
    asked = [(q, intent_of(q) if asks(q) else None) for q in parts(text)]
    # Signing up and cancelling have other senses beside a fee question ("Ist die Teilnahme
    # für Mitglieder kostenlos?"): such a message stays whole, for the FAQ.
    if any(intent in (Intent.SIGNUP, Intent.CANCEL) for _, intent in asked):
        return False
    rest: list[str] = []
    for question, intent in asked:
        if intent is None or not await _answer_one(ctx, question, intent):
            rest.append(question)
    return " ".join(rest) if len(rest) < len(asked) else False


def _asked_beside_cancelling(text: str) -> tuple[str, str] | None:
    """The sentences of a message that say one is not coming, and the one question of
    another kind asked beside them ("doch nicht. und wo is das forum?"); None otherwise."""
    asked = questions(text)
    if len(asked) != 1 or asked[0] == text.strip():
        return None
    other = intent_of(asked[0])
    if other is None or other is Intent.CANCEL:
        return None
    statement = " ".join(part for part in parts(text) if part not in asked)
    return (statement, asked[0]) if intent_of(statement) is Intent.CANCEL else None


def _place_of_its_description(named: Named, event: Event) -> bool:
    """Whether a message names places only, and each is one the event's description names
    (where its bus leaves), naming no kind or title of an event."""
    places = [word for word in named.names if "~place" in word.concepts]
    if not places or len(places) != len(named.names) or named.kind or named.stems:
        return False
    said = fold(f"{event.description} {event.description_en}", plain_umlauts=True)
    return all(re.search(rf"\b{re.escape(word.folded)}\b", said) for word in places)


async def _answer_one(ctx: Context, text: str, intent: Intent, *, wish: bool = False) -> bool:
    """Answer a question about events from the database; False when it is not one. `wish`:
    the member said they want to come ("Ich würde gern mitfahren"), so "eine Exkursion" is
    the upcoming ones, not how signing up works."""
    if intent is Intent.MINE:
        await my_events(ctx)
        return True
    named = named_in_message(text)
    if named.day is not None and not named.day.exists:
        # "am 31.02.2027": no day to look for events on; said so, as the event form says it
        await ctx.say("events.no_such_day", given=named.day.typed)
        return True
    named = _when_asked(named, intent)
    if intent is Intent.CANCEL:
        return await _answer_cancel(ctx, text, named)
    # days from today asked about ("Was ist morgen los?") name which events as a month does
    then = named.span is not None
    if (
        intent is Intent.UPCOMING
        and not (named.particular or then)
        and not names_other(text, named)
    ):
        await list_events(ctx)
        return True
    if named.generic and intent in (Intent.PLACES, Intent.SIGNUP) and not wish:
        return False  # "wie komme ich auf die Warteliste einer Exkursion": how it works, the FAQ
    tz = ctx.services.settings.network.tz
    events = await visible_upcoming(ctx)
    meant = event_meant_before(ctx, events)
    if intent is Intent.DATES and meant is not None and _place_of_its_description(named, meant):
        # "what time does the bus leave clausthal?" under the excursion whose description
        # says "bus from Clausthal": that excursion, not the symposium held in Clausthal
        await _answer_event(ctx, "events.live_next", meant, text)
        return True
    stems = frozenset().union(*(event_stems(e) for e in events))
    unknown = (named.stems - stems - named.general_stems) & specific_stems(text)
    # Words the thesaurus knows that are a word of the title of an event of the kind asked
    # about, or another word for one ("smelter" for "Hütte"): they name it, not something else.
    titled = {
        w.stem for w in named.known for e in events if e.kind == named.kind and names_title(w, e)
    }
    asks_at_large = intent is Intent.PLACES and not (named.kind or named.particular)
    if (unknown or named.others - titled or asks_at_event(text)) and (
        intent in (Intent.UPCOMING, Intent.DATES) or asks_at_large
    ):
        # Words that name neither an event nor a place nor a date ("Kinderbetreuung beim
        # Symposium", "Parkplätze für Elektroautos beim Treffen"), or anything after the
        # event it names as the setting ("Gibt es beim Symposium ein Mittagessen?"): the
        # question is about something else at the event: the FAQ's, or the office's.
        return False
    by_title = bool(named.stems & stems) or any(w.stem in stems for w in named.names)
    specific = named.particular or by_title or then
    # Signing up and dates have other senses (joining the association, when the fee is due,
    # the last bus home): such a question is about events only when it names a kind, an
    # existing title or place, or says "event"; or asks what is on at a day or in a month.
    # A wish to come names its event by the day too ("sign me up again for friday").
    in_time = named.in_time and (
        intent in (Intent.UPCOMING, Intent.DATES)
        or (intent is Intent.SIGNUP and says_to_sign_up(text))
    )
    if intent is Intent.SIGNUP and asks_deadline(text) and not (named.kind or by_title):
        meant = event_meant_before(ctx, events)
        if meant is not None:
            # "bis wann muss ich mich anmelden?" right after the symposium was asked about
            await _answer_signup(ctx, text, meant)
            return True
    if intent is not Intent.PLACES and not (named.kind or by_title or named.general or in_time):
        return False
    if intent is Intent.SIGNUP and not specific:
        return False
    if not specific:
        meant = event_meant_before(ctx, events) if intent is Intent.PLACES else None
        if meant is not None:
            # "Gibt es eine Warteliste?" right after the symposium was shown or asked about
            await _answer_event(ctx, "events.live_free", meant, text)
        elif intent is Intent.DATES and events:
            await _answer_event(ctx, "events.live_next", events[0])
        elif not events:
            # "Wann ist das nächste Treffen?" with none planned: the knowledge base's entry
            # asked so itself ("Wann ist das nächste Netzwerktreffen?": "jeden ersten
            # Donnerstag im Quartal"), not one on signing up that shares "event"; else that
            # none is planned
            if await _kept_as_an_entry(ctx, text):
                return False
            await ctx.say("events.none_upcoming")
        else:
            await _answer_list(ctx, ctx.t("events.live_which"), events)
        return True
    chosen = pick(named, events, tz, today=local_today(ctx))
    if named.span is not None and not (named.kind or named.names):
        # "Was ist nächste Woche los?", "Gibt es am Freitag eine Veranstaltung?": a time alone
        await _answer_in_span(ctx, text, named.span, chosen, events)
        return True
    if (
        not chosen
        and named.kind
        and not named.names
        and await _only_for_young_professionals(ctx, named)
    ):
        # "will mich für die Exkursion anmelden" of a member who is no young professional,
        # where the excursion planned is theirs alone: said so (never its title), how to say
        # one is one, and what else is coming
        label, button = _named_label(ctx, named), young_pro_button(ctx)
        if events:
            heading = ctx.t("events.live_yp_only_others", named=label)
            # "ja, bin ich" answers "Gehören Sie dazu?", not which event
            await show_event_list(
                ctx, heading, events[:LIST_LINES], extra=button, yes_presses_extra=True
            )
        else:
            text = ctx.t("events.live_yp_only", named=label)
            answers = {YES_PRESSES: button.payload}  # "ja" typed says so as the button does
            await ctx.reply(Reply(text=text, buttons=((button,),), metadata=answers))
        return True
    if not chosen and intent is Intent.SIGNUP and not (named.in_time or named.names):
        return False  # no symposium planned: the FAQ says how the invitation will come
    if not chosen and not events:
        await ctx.say("events.live_nothing_planned", named=_named_label(ctx, named))
    elif not chosen:
        await _answer_none_such(ctx, text, named, events)
    elif intent is Intent.SIGNUP and len(chosen) > 1:
        # "bin dabei beim Workshop" with two coming: which one is asked, not the sooner taken;
        # where the member is signed up for one of them, "I'll come after all" is that one,
        # and so is the one just talked about ("sign me up again for friday" after leaving
        # the excursion that day, the symposium's second day the same)
        mine = await _signed_up_among(ctx, chosen)
        meant = event_meant_before(ctx, chosen)
        if len(mine) == 1:
            await _answer_signup(ctx, text, mine[0])
        elif meant is not None:
            await _answer_signup(ctx, text, meant)
        else:
            await ask_which(ctx, chosen, "join")
    elif intent is Intent.SIGNUP:
        await _answer_signup(ctx, text, chosen[0])
    elif intent is Intent.DATES:
        await _answer_event(ctx, "events.live_next", chosen[0], text)
    elif intent is Intent.PLACES and len(chosen) == 1:
        await _answer_event(ctx, "events.live_free", chosen[0], text)
    elif len(chosen) == 1 and asks_whether_there_is(text):
        await _answer_event(ctx, "events.live_yes", chosen[0])
    else:
        await _answer_list(ctx, ctx.t("events.live_several"), chosen)
    return True


async def _only_for_young_professionals(ctx: Context, named: Named) -> bool:
    """Whether what a question names is coming, but only for young professionals, and the
    member is none (nor the office): their events are hidden from them, not their kind."""
    if ctx.is_admin or ctx.member.young_professional:
        return False
    upcoming = await all_upcoming(ctx)
    hidden = [e for e in upcoming if not service.shown_to(e, ctx.member, office=False)]
    if not hidden or named.stems & frozenset().union(*(event_stems(e) for e in hidden)):
        return False  # asked by the words of its title, it stays unknown to them
    tz = ctx.services.settings.network.tz
    return bool(pick(named, hidden, tz, today=local_today(ctx)))


async def _signed_up_among(ctx: Context, events: Sequence[Event]) -> list[Event]:
    """Those of `events` the member is signed up or waiting for."""
    async with ctx.db.session() as session:
        found = [
            await signups.find(session, event_id=event.id, member_id=ctx.member.id)
            for event in events
        ]
    return [event for event, mine in zip(events, found, strict=True) if mine is not None]


async def _answer_none_such(ctx: Context, text: str, named: Named, events: Sequence[Event]) -> None:
    """No event is what the question names: said so ("Nein, …" when asked whether there is
    one). Where only the time misses ("Gibt es im März ein Forum?", the forum is in May), with
    the events named but for the time, on their dates; else with all that is coming."""
    whether = asks_whether_there_is(text)
    label = _named_label(ctx, named)
    loose = replace(named, day=None, month=None, year=None, weekday=None, span=None)
    tz = ctx.services.settings.network.tz
    other_times = pick(loose, events, tz) if named.in_time and (named.kind or named.names) else []
    if not other_times:
        key = "events.live_no" if whether else "events.live_not_found"
        await _answer_list(ctx, ctx.t(key, named=label), events)
        return
    key = "events.live_no_other_dates" if whether else "events.live_not_found_other_dates"
    heading = ctx.t(key, named=label, what=_named_label(ctx, loose))
    await _answer_list(ctx, heading, other_times)


def _when_asked(named: Named, intent: Intent) -> Named:
    """Days named from today pick the events on them in asking what is on ("Was ist morgen
    los?") or when events are ("Termine am Wochenende?", "When is the workshop next
    week?"); elsewhere they are the member's own ("Ich kann morgen nicht", "Wann ist morgen
    die Geschäftsstelle erreichbar?"), and so is a month in asking when something that is no
    event is ("Wann ist die Frist im März?"). A weekday or a month asked about by itself
    ("Was ist am Dienstag los?", "anything in March?") is the next such day or month (the
    month of the year given, "im März 2028"), shown as such; beside a kind or a name they
    pick among those ("Gibt es am Dienstag einen Workshop?": the workshops on Tuesdays)."""
    of_events = bool(named.kind or named.general or named.names)
    if intent is Intent.DATES and not (of_events or named.stems):
        # no kind, place or word of a title: when something else is ("die Frist im März")
        return replace(named, span=None, month=None, year=None)
    if intent is not Intent.UPCOMING and not (intent is Intent.DATES and of_events):
        return replace(named, span=None)
    alone = named.span is None and not (named.kind or named.names or named.day)
    if named.weekday is not None and alone:
        return replace(named, span=Span("weekday", named.weekday), weekday=None)
    if named.month is not None and alone:
        month = Span("month", named.month, named.year)
        return replace(named, span=month, month=None, year=None)
    return named


async def _answer_in_span(
    ctx: Context, text: str, span: Span, chosen: Sequence[Event], events: Sequence[Event]
) -> None:
    """The events on the days a question names, under those days ("Veranstaltungen nächste
    Woche, 07.12.2026 – 13.12.2026"), so the member sees which were read; none: said so
    ("Nein, …" when asked whether there is one), with what is coming."""
    label = span.label(ctx.lang, local_today(ctx))
    if chosen:
        await show_event_list(ctx, ctx.t("events.live_span", span=label), chosen[:LIST_LINES])
    elif not events:
        await ctx.say("events.live_span_nothing", span=label)
    else:
        key = "events.live_span_no" if asks_whether_there_is(text) else "events.live_span_none"
        await _answer_list(ctx, ctx.t(key, span=label), events)


def register(router: Router) -> None:
    router.free_text(priority=10)(answer_live_question)
    router.answers_parts(answer_part)
