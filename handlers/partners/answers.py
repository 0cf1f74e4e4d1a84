"""The buttons in the messages the outbox delivered: the recipient's answer, the requester's yes;
and what the members waiting on a requester hear when the requester erases their data.

A member who gave no contact (skipped at registration) and says yes to an introduction is
asked for one first, in one message with a skip button: the requester before the introduction
goes out, the member asked with the thanks for "Interessiert" (their contact goes out when the
requester agrees). Skipped, the introduction points the other side to the office.

A payload names only an introduction id; who may press it is decided by the database row, so
a forwarded, forged or replayed button does nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.errors import UserError
from bot.flows import is_skip_word
from bot.i18n import LANGUAGES, Markup, t
from bot.messages import KEEPS_CHOICES, NO_PRESSES, YES_PRESSES, Button, Reply, names_label
from bot.router import Router
from bot.textmatch import reply_language
from handlers.members import profile
from handlers.members.rules import parse_contact
from handlers.partners import requests as flow
from handlers.partners.rules import asks_who_asks, contact_of, organisation_of
from storage import conversations, partners
from storage.models import Member
from storage.partners import PartnerIntroduction, PartnerRequest

# Asked of a member without a contact who says yes to an introduction; its data: the
# introduction ("intro"), whether they are its requester, the other side's organisation.
CONTACT_FLOW = "partner_contact"
# The skip button's payloads: the requester's introduces at once, the member asked's skips.
INTRODUCE, SKIP = "intro", "skip"
# The question and its skip button, by whether the requester is asked.
QUESTION_KEYS = {
    True: ("partners.contact_before_introduction", "partners.button_introduce_without_contact"),
    False: ("partners.contact_for_introduction", "onboarding.skip_contact"),
}


# A request's answer typed with its number: "Interessiert an #3", "interested in 3", "#3
# nicht für mich", "not for me (#3)".
_YES_WORDS = r"interessiert|interested"
_NO_WORDS = r"nicht\s+f(?:ü|ue|u)r\s+mich|not\s+for\s+me"
_BETWEEN = r"an|am|bei|für|fuer|in|zu|zur|der|die|the|request|anfrage|partneranfrage|nr|no"
_ANSWER_FIRST = re.compile(
    rf"^\W*(?P<answer>{_YES_WORDS}|{_NO_WORDS})\W*(?:(?:{_BETWEEN})\W+)*"
    r"#?\s*(?P<number>\d{1,18})\W*$",
    re.IGNORECASE,
)
_NUMBER_FIRST = re.compile(
    rf"^\W*#?\s*(?P<number>\d{{1,18}})\W*(?P<answer>{_YES_WORDS}|{_NO_WORDS})\W*$",
    re.IGNORECASE,
)


def answer_by_number(text: str) -> tuple[bool, int] | None:
    """(interested?, the request's number) of a typed answer naming its request."""
    found = _ANSWER_FIRST.match(text.strip()) or _NUMBER_FIRST.match(text.strip())
    if found is None:
        return None
    return bool(re.fullmatch(_YES_WORDS, found["answer"], re.IGNORECASE)), int(found["number"])


def _parse(parts: list[str]) -> tuple[bool, int]:
    if len(parts) != 2 or parts[0] not in ("yes", "no") or not parts[1].isdecimal():
        raise UserError("errors.stale_button")
    return parts[0] == "yes", int(parts[1])


def register(router: Router) -> None:
    @router.before_erase
    async def requester_leaves(ctx: Context, session: AsyncSession) -> None:
        await flow.before_requester_erased(session, requester=ctx.member, now=ctx.services.clock())

    @router.button("pi")
    async def on_recipient_answer(ctx: Context, parts: list[str]) -> None:
        interested, intro_id = _parse(parts)
        async with ctx.db.session() as session:
            organisation = await flow.recipient_answers(
                session,
                intro_id=intro_id,
                member=ctx.member,
                interested=interested,
                now=ctx.services.clock(),
                settings=ctx.services.settings,
            )
        ctx.services.outbox_wakeup()
        key = "partners.thanks_interest" if interested else "partners.thanks_decline"
        thanks = ctx.t(key, organisation=organisation)
        if interested and not contact_of(ctx.member):
            await _ask_contact(ctx, intro_id, organisation, requester=False, lead=thanks)
            return
        await _answered(ctx, thanks)

    @router.free_text(priority=15)
    async def answered_by_number(ctx: Context, text: str) -> bool:
        """ "Interessiert an #3", "not for me 3": the answer to the waiting request of that
        number, as its button (it had become a question for the office, where several
        requests' buttons say "Interessiert")."""
        typed = answer_by_number(text)
        if not ctx.incoming.is_private or typed is None:
            return False
        interested, number = typed
        async with ctx.db.session() as session:
            waiting = await partners.answers_awaited(
                session, recipient_id=ctx.member.id, now=ctx.services.clock()
            )
        intro = next((i for i, request, _asker in waiting if request.id == number), None)
        if intro is None:
            return False
        await on_recipient_answer(ctx, ["yes" if interested else "no", str(intro.id)])
        return True

    @router.free_text(priority=15)
    async def who_asks(ctx: Context, text: str) -> bool:
        """ "Wer fragt da an?" from a member a partner request waits on: who it is."""
        if not ctx.incoming.is_private or not asks_who_asks(text):
            return False
        async with ctx.db.session() as session:
            waiting = await partners.answers_awaited(
                session, recipient_id=ctx.member.id, now=ctx.services.clock()
            )
        if not waiting:
            return False  # a question for the FAQ
        await ctx.reply(who_asks_reply(ctx.speaking(reply_language(text, ctx.lang)), waiting))
        return True

    @router.button("pc")
    async def on_requester_confirm(ctx: Context, parts: list[str]) -> None:
        accept, intro_id = _parse(parts)
        if accept and not contact_of(ctx.member):
            async with ctx.db.session() as session:
                organisation = await flow.awaiting_confirmation(
                    session, intro_id=intro_id, member=ctx.member, now=ctx.services.clock()
                )
            await _ask_contact(ctx, intro_id, organisation, requester=True)
            return
        await _answered(ctx, await _confirm(ctx, intro_id, accept=accept))

    @router.button("pk")
    async def on_contact_skipped(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 2 or parts[0] not in (INTRODUCE, SKIP) or not parts[1].isdecimal():
            raise UserError("errors.stale_button")
        intro_id = int(parts[1])
        state = await _asked(ctx, intro_id)
        if parts[0] == INTRODUCE:
            await _answered(ctx, await _confirm(ctx, intro_id, accept=True))
        elif state is not None:
            await ctx.say("partners.contact_skipped", organisation=state.get("organisation", ""))
        else:
            raise UserError("errors.stale_button")

    @router.step(CONTACT_FLOW, texts="flows.partner_contact")
    async def on_contact(ctx: Context, text: str, state: dict[str, object]) -> None:
        intro_id = int(str(state.get("intro", 0)))
        organisation = str(state.get("organisation", ""))
        requester = bool(state.get("requester"))
        if _skips(text):
            await ctx.end_flow(CONTACT_FLOW)
            if requester:
                await _answered(ctx, await _confirm(ctx, intro_id, accept=True))
            else:
                await ctx.say("partners.contact_skipped", organisation=organisation)
            return
        contact = parse_contact(text)  # not one: the question's hint, asked again
        await profile.store(ctx, "contact", contact)
        await ctx.end_flow(CONTACT_FLOW)
        # said first: a request closed meanwhile is said after it, the contact stays saved
        await ctx.say("partners.contact_saved", contact=contact, organisation=organisation)
        if requester:
            await _answered(ctx, await _confirm(ctx, intro_id, accept=True))

    @router.on_cancel(CONTACT_FLOW)
    async def contact_cancelled(ctx: Context, data: dict[str, object] | None) -> str | None:
        """/cancel at the requester's question: nobody was introduced yet (/pending has it)."""
        if data and data.get("requester"):
            return ctx.t("flows.partner_contact.cancelled_requester")
        return None


async def _confirm(ctx: Context, intro_id: int, *, accept: bool) -> str:
    """The requester introduces (or declines) the interested member: the reply saying so."""
    async with ctx.db.session() as session:
        organisation = await flow.requester_confirms(
            session,
            intro_id=intro_id,
            member=ctx.member,
            accept=accept,
            now=ctx.services.clock(),
        )
    ctx.services.outbox_wakeup()
    key = "partners.confirmed" if accept else "partners.rejected_reply"
    return ctx.t(key, organisation=organisation)


async def _ask_contact(
    ctx: Context, intro_id: int, organisation: str, *, requester: bool, lead: str = ""
) -> None:
    """Ask a member without a contact for one before `organisation` gets their introduction,
    with a skip button (the requester's introduces without one); after `lead`, if any."""
    key, label = QUESTION_KEYS[requester]
    question = ctx.t(key, organisation=organisation)
    payload = f"pk:{INTRODUCE if requester else SKIP}:{intro_id}"
    data: dict[str, object] = {
        "intro": intro_id,
        "requester": requester,
        "organisation": organisation,
    }
    await ctx.ask(CONTACT_FLOW, "contact", data)
    text = Markup(f"{lead}\n\n{question}") if lead else question
    await ctx.reply(Reply(text=text, buttons=((Button(ctx.t(label), payload),),)))


async def _asked(ctx: Context, intro_id: int) -> dict[str, object] | None:
    """The contact question about `intro_id`, if it waits, ended (its skip button pressed);
    an older question's button ends no newer one."""
    async with ctx.db.session() as session:
        row = await conversations.get(session, member_id=ctx.member.id)
    if row is None or row.flow != CONTACT_FLOW or row.data.get("intro") != intro_id:
        return None
    await ctx.end_flow(CONTACT_FLOW)
    return dict(row.data)


def _skips(text: str) -> bool:
    """A typed skip word ("überspringen", "skip", "-") or the words of the question's button."""
    labels = [
        t(lang, key)
        for lang in LANGUAGES
        for key in ("onboarding.skip_contact", "partners.button_introduce_without_contact")
    ]
    return is_skip_word(text) or names_label(text, labels)


async def _answered(ctx: Context, text: str) -> None:
    """The short reply to a press that answered one request of several (/pending lists
    them all): the choices of the others stay pressable by their numbers where choices are
    typed, so that a member answers one after another without listing them again."""
    await ctx.reply(Reply(text=text, popup=text, metadata={KEEPS_CHOICES: "yes"}))


def who_asks_reply(
    ctx: Context, waiting: Sequence[tuple[PartnerIntroduction, PartnerRequest, Member]]
) -> Reply:
    """Who sent the partner requests waiting on the member's answer, and what is true of
    the rest: the request names the organisation; contact details go both ways only once the
    member is interested and the asker agrees to an introduction. One request: its buttons
    again, and a typed "ja"/"yes" is "Interessiert". Several: named, no yes answers one of
    them (nor the one delivered last), /offen shows them with their buttons."""
    interested = ctx.t("partners.button_interested")
    if len(waiting) == 1:
        intro, request, requester = waiting[0]
        text = ctx.t(
            "partners.who_asks",
            number=request.id,
            organisation=organisation_of(requester),
            interested=interested,
        )
        return Reply(
            text=text,
            buttons=flow.answer_buttons(ctx.lang, intro.id),
            metadata={YES_PRESSES: f"pi:yes:{intro.id}", NO_PRESSES: f"pi:no:{intro.id}"},
        )
    named = [
        ctx.t("partners.who_asks_line", number=request.id, organisation=organisation_of(asker))
        for _intro, request, asker in waiting
    ]
    return Reply(
        text=ctx.t(
            "partners.who_asks_several", requests=Markup("; ".join(named)), interested=interested
        )
    )
