"""`/editevent` (/terminaendern) and "/event N edit" (/termin N ändern): the event by its number
or by words of it, as /attendees takes it (`choosing.event_named`), then the change.

One event fits: its change is previewed (`confirmations.ask_edit`; nothing is stored before
*Speichern*), or with no change written it is shown as a line to copy. Several fit: a button
each (`eva:edit:N`), the change waiting in the admin's conversation row until one is tapped,
which then gets the same preview. None: said so, unless its first words name one and the
change was written in words ("Symposium beginnt am 20.01. um 10 uhr", `edit_guess`): that
event is named with the line that changes it, or the start read is previewed. Admins only,
the button too.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.errors import UserError
from handlers.events import confirmations, edit_guess, render, service
from handlers.events.choosing import event_named, offer_choice, visible_upcoming
from handlers.events.form import form_line, split_reference, start_field, typed_start
from storage import event_store

# The buttons of an event an admin's command named by words that fit several (`eva:edit:N`,
# beside /attendees' `eva:att:N`).
ADMIN_BUTTONS, EDIT = "eva", "edit"
# The words after an event's number or name that ask to change it: "/termin 3 ändern".
_EDIT_ASKED = re.compile(r"^(.*?)\s+(?:ändern|aendern|bearbeiten|edit|change)(?:\s+(.*))?$", re.I)


def edit_asked(words: str) -> str | None:
    """ "3 ändern ort=Halle" -> "3 ort=Halle" (an edit of the event named before the word);
    None when `words` ask no change ("3", "Symposium"). Named in words, the event is edited
    only with a change after the word: "/event Climate change" asks about an event."""
    found = _EDIT_ASKED.match(words.strip())
    if found is None:
        return None
    reference, form = found.group(1).strip(), (found.group(2) or "").strip()
    if not re.fullmatch(r"#?\d{1,12}", reference) and not split_reference(form)[1]:
        return None
    return f"{reference} {form}".strip()


async def edit_event(ctx: Context, words: str) -> None:
    """The event `words` name first, then its change ("Workshop beginn=15 Uhr")."""
    await ctx.require_admin("command:editevent")
    reference, form = split_reference(words)
    if not reference:  # "/terminaendern" alone, or only a change: which event?
        async with ctx.db.session() as session:
            upcoming = await event_store.upcoming(session, after=ctx.services.clock())
        if not upcoming:
            raise UserError("events.none_upcoming")
        await offer_choice(ctx, upcoming, EDIT, ctx.t("events.which_one"), ADMIN_BUTTONS)
        await _wait_for_choice(ctx, form)
        return
    try:
        event_id = await event_named(ctx, reference, EDIT, ADMIN_BUTTONS)
    except UserError as error:
        if error.key != "events.none_named" or form:
            raise
        # "Symposium beginnt jetzt am 20.01. um 10 uhr": the change written in words
        await _meant(ctx, reference, error)
        return
    if event_id is None:  # several fit, offered as buttons: the change waits for the tap
        await _wait_for_choice(ctx, form)
        return
    await edit_chosen(ctx, event_id, form)


async def _meant(ctx: Context, words: str, none: UserError) -> None:
    """Words naming no event as a whole whose first words name one (`edit_guess`): the rest
    read as its new start is previewed (saved only with *Speichern*); else the event is named
    with the line that changes it. `none` (no event fits) when the first words name none."""
    tz = ctx.services.settings.network.tz
    found = edit_guess.guess(words, await visible_upcoming(ctx), tz=tz, now=ctx.services.clock())
    if found is None:
        raise none
    number, title = found.event.id, render.title_in(ctx.lang, found.event)
    command = f"{ctx.command('editevent')} {number}"
    if found.start is not None:
        form = f"{start_field(ctx.lang)}={found.start}"
        await ctx.say("events.edit_read_as", number=number, title=title, line=f"{command} {form}")
        await confirmations.ask_edit(ctx, number, form)
        return
    line = f"{command} {typed_start(ctx.lang, found.event, tz=tz)}"
    raise UserError("events.edit_meant", name=words[:60], number=number, title=title, line=line)


async def _wait_for_choice(ctx: Context, form: str) -> None:
    """Keep the change for the event the admin taps next (`edit_tapped`)."""
    await ctx.ask(confirmations.EDIT_FLOW, confirmations.PICK_STEP, {"form": form})


async def edit_chosen(ctx: Context, event_id: int, form: str) -> None:
    """Preview `form` for the event; without one, the event as a line to copy (its fields and
    what they hold)."""
    if form.strip():
        await confirmations.ask_edit(ctx, event_id, form)
        return
    event = await service.open_event(ctx.services, event_id)
    line = form_line(ctx.lang, event, tz=ctx.services.settings.network.tz)
    await ctx.say("events.edit_current", number=event_id, line=line)


async def edit_tapped(ctx: Context, event_id: int) -> None:
    """`eva:edit:N`: the waiting change for the event tapped, once; a button of a list whose
    change was taken already (or never waited) is stale."""
    waiting = await ctx.take_step(confirmations.EDIT_FLOW, confirmations.PICK_STEP)
    if waiting is None:
        raise UserError("errors.stale_button")
    await edit_chosen(ctx, event_id, str(waiting.get("form", "")))
