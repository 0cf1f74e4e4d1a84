"""The admins' alert about a ticket, in their own chats.

Sent when a question reaches the office, with a button for each entry that may answer it.
Edited once the member settles the ticket themselves (withdrawn with /meinefragen, or sent as
a partner search), or the office closes it without an answer: it then says so and loses its
buttons, so that no admin sets out to answer what is no longer asked. The edit goes through
the outbox like the events' live counts (`bot.delivery.enqueue_edit`): an alert not sent yet
goes out settled, one being sent is edited once it has arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.delivery import enqueue_edit
from bot.i18n import Markup, t
from bot.messages import Button, Reply, shorten
from bot.office import tell_admins
from handlers.faq.kb_format import FaqEntry
from handlers.faq.rules import button_label, title_in
from storage import faq, members
from storage.faq import FaqTicket
from storage.models import Member

log = logging.getLogger(__name__)

# A question is quoted to the admins up to this length (the inbox has it whole).
OFFICE_ALERT_CHARS = 300
KIND = "faq_office_alert"
EDIT_KIND = "faq_office_alert_edit"


def who_asked(asker: Member | None) -> str:
    """The asker as the office's alert names them: their organisation, else the name their
    platform gives (a member who asked before registering had read "Ticket #2, –")."""
    if asker is None:
        return "–"
    return asker.organisation.strip() or asker.display_name.strip() or "–"


async def tell_office(
    session: AsyncSession,
    settings: Settings,
    ticket: FaqTicket,
    asker: Member,
    likely: Sequence[FaqEntry],
    rejected: Sequence[FaqEntry] = (),
    context_in: Mapping[str, str] | None = None,
) -> None:
    """Tell the admins (but the one who asked) of a new ticket, each in their language, with
    a button for each of the `likely` entries, and the answers the member turned down with
    👎 before passing it on (`rejected`), named: the office does not send them again.
    `context_in`: what the ticket is about, by the admin's language (`Router.for_office`).
    Remembered, to be edited later. The caller wakes the outbox once it is stored."""
    organisation = who_asked(asker)
    excerpt = shorten(ticket.text, OFFICE_ALERT_CHARS)

    def alert(admin_lang: str) -> Reply:
        # the language the member gets the office's answer in (an entry's, or the frame of
        # one typed): the office writes its own words in it too
        values = {
            "ticket": ticket.id,
            "organisation": organisation,
            "question": excerpt,
            "language": t(admin_lang, f"faq.lang_{ticket.lang}"),
        }
        text = t(admin_lang, "faq.office_alert", **values)
        if ticket.context:
            context = (context_in or {}).get(admin_lang, ticket.context)
            said = t(admin_lang, "faq.quoted", text=shorten(context, OFFICE_ALERT_CHARS))
            text = Markup(text + "\n" + t(admin_lang, "faq.office_alert_context", context=said))
        if rejected:
            titles = ", ".join(
                t(admin_lang, "faq.quoted", text=shorten(title_in(entry, admin_lang), 120))
                for entry in rejected
            )
            line = t(
                admin_lang,
                "faq.office_alert_rejected",
                answers=Markup(titles),
                count=len(rejected),
            )
            text = Markup(text + "\n" + line)
        if not likely:
            return Reply(text=text)
        buttons = tuple(
            (
                Button(
                    f"📎 {button_label(title_in(entry, admin_lang))}", f"fl:{ticket.id}:{entry.id}"
                ),
            )
            for entry in likely
        )
        return Reply(text=text + "\n" + t(admin_lang, "faq.office_alert_likely"), buttons=buttons)

    queued = await tell_admins(session, settings, alert, KIND, besides=asker.id)
    await faq.add_alerts(session, ticket_id=ticket.id, outbox_ids=[m.id for m in queued])


def withdrawn(admin_lang: str) -> str:
    """What a settled alert says of a ticket its member withdrew."""
    return t(admin_lang, "faq.office_alert_withdrawn")


def closed(admin_lang: str) -> str:
    """What a settled alert says of a ticket the office closed without an answer."""
    return t(admin_lang, "faq.office_alert_closed")


def taken(ticket_id: int, taken_key: str, number: int) -> Callable[[str], str]:
    """What a settled alert says of a ticket its member took elsewhere (`taken_key`: the
    offer's line, "sent as partner search #N"): it may still be answered."""

    def said(admin_lang: str) -> str:
        line = t(admin_lang, taken_key, number=number)
        return t(admin_lang, "faq.office_alert_taken", taken=line, ticket=ticket_id)

    return said


async def settle(
    session: AsyncSession,
    ticket: FaqTicket,
    note: Callable[[str], str],
    *,
    besides: int | None = None,
) -> int:
    """Edit the admins' alerts about `ticket` into its settled state: the question, what
    became of it (`note` in each admin's language), no buttons. How many edits were queued
    (the caller wakes the outbox after its transaction). The alert of `besides` (the admin
    who settled it, told by their own command's reply) is left as it reached them, as answering a
    ticket leaves the answering admin's: a notice of one's own deed is noise."""
    asker = await members.get_member(session, ticket.member_id)
    organisation = who_asked(asker)
    queued = 0
    for message, admin in await faq.alerts_of(session, ticket_id=ticket.id):
        if admin.id == besides and message.status != "pending":
            continue  # one not sent yet is still rewritten: it would go out unsettled
        lang = admin.language
        head = t(
            lang,
            "faq.office_alert_settled",
            ticket=ticket.id,
            organisation=organisation,
            question=shorten(ticket.text, OFFICE_ALERT_CHARS),
        )
        reply = Reply(text=Markup(head + "\n" + note(lang)))
        if await enqueue_edit(session, of=message, reply=reply, kind=EDIT_KIND) is not None:
            queued += 1
    log.info("alerts about ticket %s settled (%s edits queued)", ticket.id, queued)
    return queued
