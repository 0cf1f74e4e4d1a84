"""Who has signed up, asked in words ("wer hat sich fürs Symposium angemeldet?", "how many
people have registered so far?"): a question about the others, never a wish to sign up.

The office gets the roster of the event named (what /teilnehmer shows), or each upcoming
event's count with a button to its roster; a member gets the counts every event line shows
anyway, told that the list of names is the office's, and where their own sign-ups are."""

from __future__ import annotations

import re

from bot.context import Context
from bot.i18n import Markup
from bot.router import Router
from bot.textmatch.normalize import fold
from handlers.events.admin_commands import ADMIN_BUTTONS, ATTENDEES, attendees
from handlers.events.choosing import offer_choice, visible_upcoming
from handlers.events.member_commands import list_lines
from handlers.events.naming import named_in_message, pick
from storage import signups
from storage.events import Event

# "wer hat sich … angemeldet", "wer ist für das Forum eingetragen", "wer kommt alles zur
# Exkursion", "wer nimmt teil"; "who signed up for …", "who's registered", "who is coming to
# …"; the list asked for by its name ("Teilnehmerliste", "list of attendees"). Not who may
# ("wer kann sich anmelden?", "who can register?"): that is a question of the rules.
_WHO = re.compile(
    r"\bwer\s+(?:hat|haben|ist|sind|war|waren)\s+(?:sich\s+)?(?:\w+\W+){0,5}?"
    r"(?:angemeldet|registriert|eingetragen|gemeldet)\b|"
    r"\bwer\s+(?:kommt|kommen|nimmt|nehmen)\s+(?:\w+\W+){0,4}?(?:alles|teil|zum|zur)\b|"
    r"\bwho(?:\s*'?\s*s|\s+is|\s+are|\s+has|\s+have|\s+had)?\s+(?:already\s+|all\s+)?"
    r"(?:signed\s+up|registered|enrolled|booked|coming|attending|joining)\b|"
    r"\b(?:teilnehm\w*liste|anmeldeliste|gasteliste|liste\s+der\s+(?:teilnehm\w*|angemeldeten|"
    r"anmeldungen))\b|"
    r"\b(?:attendee|participant|registration|guest|sign\s?-?up)s?\s+list\b|"
    r"\blist\s+of\s+(?:the\s+)?(?:attendees|participants|registrations|sign\s?-?ups|guests)\b"
)
# "wie viele haben sich angemeldet", "wie viele Anmeldungen gibt es schon", "how many people
# have signed up so far", "how many registrations": a count of sign-ups, not of places.
_HOW_MANY = re.compile(
    r"\bwie\s*viele?\b(?:\W+\w+){0,8}?\W+(?:angemeldet|anmeldungen|registriert|"
    r"teilnehm\w*|gemeldet)\b|\bwie\s*viele?\b(?:\W+\w+){0,6}?\W+(?:kommen|kommt)\s+(?:zu|zum|zur|ins)\b|"
    r"\bhow\s+many\b(?:\W+\w+){0,8}?\W+(?:signed\s+up|registered|registrations|sign\s?-?ups|"
    r"attendees|participants|attending)\b|"
    r"\bhow\s+many\b(?:\W+\w+){0,6}?\W+(?:coming|come)\b(?!\s+from)"
)
# ... but how many may come, or how many places are left, is the capacity's question.
_PLACES = re.compile(
    r"\b(?:platz|platze|plaetze|frei\w*|passen|kann|konnen|koennen|darf|durfen|duerfen|"
    r"maximal|max|hochstens|hoechstens|hochstzahl|places?|spots?|seats?|left|free|can|could|"
    r"may|maximum|max|allowed|fit)\b"
)


# The member's own place on the list ("nehmen Sie mich von der Teilnehmerliste"): a withdrawal.
_ONESELF = re.compile(r"\b(?:mich|mir|me|myself|uns|us)\b")


def asks_who_signed_up(text: str) -> bool:
    """ "Wer hat sich fürs Symposium angemeldet?", "who is coming to the forum?"."""
    folded = fold(text, plain_umlauts=True)
    return bool(_WHO.search(folded)) and not _ONESELF.search(folded)


def asks_how_many_signed_up(text: str) -> bool:
    """ "Wie viele haben sich bisher angemeldet?", "how many registrations so far?"; not how
    many may come ("wie viele Plätze gibt es noch?", "how many people can attend?")."""
    folded = fold(text, plain_umlauts=True)
    return bool(_HOW_MANY.search(folded)) and not _PLACES.search(folded)


async def answer_roster_question(ctx: Context, text: str) -> bool:
    """The answer to who or how many signed up; False for any other message."""
    if not (asks_who_signed_up(text) or asks_how_many_signed_up(text)):
        return False
    events = await visible_upcoming(ctx)
    if not events:
        await ctx.say("events.none_upcoming")
        return True
    named = named_in_message(text)
    chosen = pick(named, events, ctx.services.settings.network.tz) if named.names_event else []
    if ctx.is_admin and ctx.incoming.is_private:
        if len(chosen) == 1:
            # the roster read as /teilnehmer reads it, so recorded as it would be
            await attendees(ctx, chosen[0].id)
            await ctx.audit("command:attendees", detail=f"{chosen[0].id} ({text[:200]})")
        else:
            await _office_overview(ctx, chosen or events)
        return True
    shown = chosen or events
    key = "events.roster_office_private" if ctx.is_admin else "events.roster_for_office"
    lines: list[str] = [ctx.t("events.roster_counts"), *await list_lines(ctx, shown)]
    lines += ["", ctx.t(key, number=shown[0].id)]
    await ctx.reply(Markup("\n".join(lines)))
    return True


async def _office_overview(ctx: Context, events: list[Event]) -> None:
    """Each event's line with its count, the total, and a button to each one's roster."""
    async with ctx.db.session() as session:
        total = sum([(await signups.counts(session, event_id=e.id))[0] for e in events])
    lines: list[str] = [
        ctx.t("events.roster_overview", count=total),
        *await list_lines(ctx, events),
        "",
        ctx.t("events.roster_overview_hint", number=events[0].id),
    ]
    await offer_choice(ctx, events, ATTENDEES, Markup("\n".join(lines)), ADMIN_BUTTONS)


def register(router: Router) -> None:
    # before the events' own answers (priority 10), which read "angemeldet" as a sign-up
    router.free_text(priority=9)(answer_roster_question)
