"""The requester's side: `/partner`, free-text partner searches, confirm / refine / cancel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from textwrap import shorten

from bot.context import Context
from bot.errors import NoAnswerGiven, NotAnAnswer, UserError
from bot.flows import is_question
from bot.i18n import Markup, t
from bot.messages import KEEPS_CHOICES, Button, Reply, is_choice_mark, names_label, typed_label
from bot.router import Args, HandoffOffer, Param, Router
from bot.textmatch import reply_language
from bot.textmatch.sentences import states_need
from handlers.members.rules import declines_answer, parse_organisation, says_no_organisation
from handlers.partners import requests as flow
from handlers.partners.intent import is_call_on_members, is_partner_search, without_the_network
from handlers.partners.introduction import split_introduction
from handlers.partners.matching import PartnerMatcher
from handlers.partners.overview import offer_close
from handlers.partners.ranking import MIN_RATIO, PartnerMatch
from handlers.partners.rules import (
    CANCEL,
    REQUEST_TTL,
    SEND,
    Running,
    asked_before,
    asks_who,
    clean_need,
    repeated_in,
    typed_preview_choice,
    typed_send,
    with_refinement,
)
from storage import members, partners

FLOW = "partner"
# The step asking a member without an organisation for it, the need kept beside it.
ORGANISATION_STEP = "organisation"
# The preview waits for its buttons while a flow (a registration) waits under the search:
# typed text is not that flow's answer to a question the member does not see.
PREVIEW_STEP = "preview"
# The name of partner search's offer under a question the FAQ handed to the office.
HANDOFF_OFFER = "partners"
# A need of several is quoted in the preview up to this many characters.
NEED_LABEL = 60
# The button sending a request to the members who fit and the needs nobody fits to the office.
SEND_REST = "sendrest"
# The preview's button sending to members of any kind, when none of the kind the request
# names fits ("Wir suchen eine Firma, die …" and only the district's waste authority does).
SEND_ANY_KIND = "sendall"


async def start(
    ctx: Context, matcher: PartnerMatcher, text: str, handoff_question: int | None = None
) -> None:
    """A new need: its preview, or, for a member without an organisation, the question for
    it with the need kept, so that it need not be written again (members asked see which
    organisation a request comes from). `handoff_question`: the FAQ question it was offered
    beside (kept with the draft, see `send`). A greeting and an introduction before the
    need are not forwarded; the organisation the introduction names is taken, and said so."""
    introduced = split_introduction(text)
    text = introduced.need
    if not ctx.member.organisation.strip() and introduced.organisation:
        await _take_organisation(ctx, introduced.organisation)
    if ctx.member.organisation.strip():
        await preview(ctx, matcher, text, handoff_question=handoff_question)
        return
    clean_need(text, own_contact=ctx.member.contact)  # a need too short is said so first
    kept: dict[str, object] = {"need": text}
    if handoff_question is not None:
        kept["question"] = handoff_question
    await ctx.ask(FLOW, ORGANISATION_STEP, kept)
    await ctx.say("partners.ask_organisation")


async def _take_organisation(ctx: Context, named: str) -> None:
    """The organisation the member's introduction names ("I am a postdoc at TU Clausthal"),
    stored as theirs and said so, with how to change it; a name that is none is left."""
    try:
        organisation = parse_organisation(named)
    except (NoAnswerGiven, UserError):
        return
    async with ctx.db.session() as session:
        await members.update_member(session, member_id=ctx.member.id, organisation=organisation)
    ctx.member.organisation = organisation
    await ctx.say("partners.organisation_from_message", organisation=organisation)


async def _organisation_given(
    ctx: Context,
    matcher: PartnerMatcher,
    text: str,
    need: str,
    handoff_question: int | None = None,
) -> None:
    """The answer to `start`'s question: stored as the member's organisation, then the kept
    need's preview, in the need's language. A registration that waited goes on after the
    preview is answered, without asking for the organisation again."""
    if is_choice_mark(text):  # "1" pressed nothing: no organisation is called so
        raise NotAnAnswer("errors.no_such_choice_here", choice=text.strip()[:40])
    if is_question(text):
        raise NotAnAnswer("partners.expects_organisation")
    if declines_answer(text) or says_no_organisation(text):
        # "erstmal nicht", "keine Firma": why the search needs one, nothing stored
        raise NoAnswerGiven("partners.organisation_needed")
    organisation = parse_organisation(text)  # "yes" is no organisation's name
    async with ctx.db.session() as session:
        await members.update_member(session, member_id=ctx.member.id, organisation=organisation)
    ctx.member.organisation = organisation
    await preview(
        ctx.speaking(reply_language(need, ctx.lang)),
        matcher,
        need,
        handoff_question=handoff_question,
    )


async def _at_preview(
    ctx: Context,
    request_id: int,
    buttons: Sequence[Sequence[Button]],
    *,
    sends: bool = True,
    members: bool = False,
    asks_what: bool = False,
) -> None:
    """Just before a preview is shown: the search waits at it until one of its buttons (which
    carry the request) is pressed, so that a question asked beside it is answered with a line
    saying that it waits, its buttons shown again after the answer, and /pending lists it. A
    flow that stays (a registration, a profile change), pending or waiting under the search,
    goes on once the preview is answered; until then typed text is not that flow's answer to
    a question the member no longer sees, and /cancel drops the search, not that flow.
    A typed yes presses its first button where it sends (`sends`), a typed no "Abbrechen";
    where it names members who fit (`members`), "Wer ist das?" is told when they learn that;
    where it asks what the partner is for (`asks_what`), a typed answer is that, as after
    "Genauer beschreiben".
    A button's label typed presses it, also after other messages, when the chat no longer
    maps it to the button ("To the office" after /events)."""
    data: dict[str, object] = {
        "request_id": request_id,
        "sends": sends,
        "members": members,
        "asks_what": asks_what,
        # each button's label and action ("send", "refine", …)
        "buttons": [[b.label, b.payload.split(":")[1]] for row in buttons for b in row],
    }
    await ctx.ask(FLOW, PREVIEW_STEP, data)


def _shown(state: Mapping[str, object]) -> list[tuple[str, str]]:
    """The preview's buttons as `_at_preview` kept them: (label, action)."""
    kept = state.get("buttons")
    if not isinstance(kept, list):
        return []
    return [(str(pair[0]), str(pair[1])) for pair in kept if isinstance(pair, list)]


async def preview(
    ctx: Context,
    matcher: PartnerMatcher,
    text: str,
    request_id: int = 0,
    *,
    handoff_question: int | None = None,
) -> None:
    """Store the need as a draft and say how many members fit (not who), with the choices
    (`handoff_question`: the FAQ question a new draft was offered beside)."""
    if not ctx.member.organisation.strip():
        raise UserError("partners.need_organisation")
    ctx.drop_waiting(FLOW)  # a preview waiting is not waiting: this one takes its place
    now = ctx.services.clock()
    if request_id:
        # A refinement adds to the need: "Labor, gern eine Hochschule" after the first
        # sentence is what the member meant, not a new request that forgot the first.
        async with ctx.db.session() as session:
            request = await flow.own_draft(
                session, request_id=request_id, member_id=ctx.member.id, now=now
            )
            need, redacted = clean_need(
                with_refinement(request.text, text), own_contact=ctx.member.contact
            )
            request.text, request.lang = need, ctx.lang
    else:
        need, redacted = clean_need(text, own_contact=ctx.member.contact)
        async with ctx.db.session() as session:
            earlier = await flow.drop_drafts(session, member_id=ctx.member.id, now=now)
            request = await partners.create_request(
                session,
                requester_id=ctx.member.id,
                text=need,
                lang=ctx.lang,
                now=now,
                ttl=REQUEST_TTL,
                handoff_question=handoff_question,
            )
            request_id = request.id
        if earlier is not None:  # not dropped silently: the member may have meant to send it
            await ctx.say("partners.replaced", need=_label(earlier.text))
    # The index being built (the start's) or rebuilt (the directory changed): said at once,
    # in the member's language (the preview after it is in the need's).
    await matcher.prepare(
        ctx.db, now, lambda: ctx.note(t(ctx.member.language, "partners.searching_wait"))
    )
    if await matcher.names_only_kind(ctx.db, need, now):
        kind = " / ".join(await matcher.restricting_words(ctx.db, need, now)) or need
        await _ask_what_for(
            ctx, request_id, ctx.t("partners.preview_only_kind", need=need, kind=kind)
        )
        return
    if await matcher.names_nothing(ctx.db, need, now):
        await _ask_what_for(ctx, request_id, ctx.t("partners.preview_nothing", need=need))
        return
    fitting = await matcher.match(
        ctx.db, requester_id=ctx.member.id, text=need, lang=ctx.lang, now=now
    )
    before = await _asked_before(ctx, matcher, need, now)
    matches = [match for match in fitting if match.member_id not in before]
    asked_in = sorted({before[match.member_id] for match in fitting if match.member_id in before})
    if fitting and not matches:  # everyone it fits has it from a running request
        await _all_asked(ctx, request_id, need, asked_in)
        return
    count = len(matches)
    shown = count
    kind = ""
    others: list[PartnerMatch] = []
    if count == 0:
        # members who fit but are not in the chat yet: the office invites them (`send`)
        waiting = await matcher.unconnected_fits(
            ctx.db, requester_id=ctx.member.id, text=need, lang=ctx.lang, now=now
        )
        busy = not waiting and await matcher.fits_only_busy(
            ctx.db, requester_id=ctx.member.id, text=need, lang=ctx.lang, now=now
        )
        if waiting:
            text_key = await _unconnected_key(ctx, "partners.preview_none_unconnected", waiting)
            shown = len(waiting)
        elif busy:
            text_key = "partners.preview_none_busy"
        else:
            # nobody of the kind named: members of other kinds who fit are offered (with
            # none, the kind is not why nobody was found)
            kind, others = await _other_kinds(ctx, matcher, need, fitting, before, now)
            text_key = "partners.preview_none"
            if others:
                text_key, shown = "partners.preview_none_kind_others", len(others)
        send_key = "partners.button_send_office"
    else:
        text_key = "partners.preview_one" if count == 1 else "partners.preview_some"
        send_key = "partners.button_send"
        kind, others = await _other_kinds(ctx, matcher, need, fitting, before, now)
    lines = [ctx.t(text_key, count=shown, need=need, kind=kind)]
    if count and others:
        # "eine Firma, die Elektroschrott sammelt": a refinery fits weakly, the district's
        # waste authority well; the member chooses
        lines.append(ctx.t("partners.others_fit_better", kind=kind, count=len(others)))
    unmet: list[str] = []
    waiting_rest: list[PartnerMatch] = []
    if count:
        # per need, as `send` decides what nobody fits: those asked before count as fitting
        found = [match.member_id for match in fitting]
        met = await matcher.needs_met(
            ctx.db, requester_id=ctx.member.id, text=need, found=found, now=now
        )
        if met:
            # who fits a need nobody in the chat fits, but is not in the chat yet
            by_need = await _waiting_for_unmet(ctx, matcher, [p for p, n in met if n == 0], now)
            # "a supplier of X and a lab for Y": the member sees that both were understood
            keys = {0: "partners.need_met_none", 1: "partners.need_met_one"}
            parts = []
            for part, n in met:
                waiting = by_need.get(part, [])
                if waiting and not n:
                    key = await _unconnected_key(ctx, "partners.need_met_unconnected", waiting)
                    n = len(waiting)
                else:
                    key = keys.get(n, "partners.need_met_some")
                parts.append(ctx.t(key, need=_label(part), count=n))
            lines.append(ctx.t("partners.preview_needs", needs=Markup("\n".join(parts))))
            unmet = [_label(part) for part, n in met if n == 0]
            waiting_rest = _either(by_need.values())
    if unmet:
        # one need of several found nobody: the office may look for that part in person, or
        # invite who fits it but is not in the chat yet
        rest = ctx.t("partners.button_send_rest_office")
        needs = Markup(", ".join(ctx.t("partners.need_quoted", need=part) for part in unmet))
        key = (
            await _unconnected_key(ctx, "partners.preview_unmet_unconnected", waiting_rest)
            if waiting_rest
            else "partners.preview_unmet"
        )
        lines.append(ctx.t(key, needs=needs, button=rest, count=len(waiting_rest)))
    if asked_in:
        key = (
            "partners.asked_before_one"
            if len(fitting) - count == 1
            else "partners.asked_before_some"
        )
        lines.append(ctx.t(key, count=len(fitting) - count, numbers=_numbers(asked_in)))
    if redacted:
        lines.append(ctx.t("partners.redacted_note"))
    wider_row: tuple[tuple[Button, ...], ...] = ()
    if others:
        label = ctx.t("partners.button_send_any_kind", count=len(others))
        wider_row = ((Button(label, f"pr:{SEND_ANY_KIND}:{request_id}"),),)
    main_row = (
        Button(ctx.t(send_key), f"pr:send:{request_id}"),
        Button(ctx.t("partners.button_refine"), f"pr:refine:{request_id}"),
        Button(ctx.t("partners.button_cancel"), f"pr:cancel:{request_id}"),
    )
    # the members of the kind asked for first, where some fit; else those of other kinds
    # before the office
    buttons = (main_row, *wider_row) if count else (*wider_row, main_row)
    if unmet:
        buttons += ((Button(rest, f"pr:{SEND_REST}:{request_id}"),),)
    # to the office or to members of another kind: a typed yes guesses neither, the hint
    # names the buttons (to the members of the kind asked for, it is the member's own words)
    sends = bool(count or not wider_row)
    shown_members = bool(count or wider_row)
    await _at_preview(ctx, request_id, buttons, sends=sends, members=shown_members)
    await ctx.reply(Reply(text=Markup("\n\n".join(lines)), buttons=buttons))


async def _other_kinds(
    ctx: Context,
    matcher: PartnerMatcher,
    need: str,
    fitting: Sequence[PartnerMatch],
    before: Mapping[str, int],
    now: datetime,
) -> tuple[str, list[PartnerMatch]]:
    """The words naming the kind a request keeps to, and the members of other kinds the
    preview offers: when none of that kind fits, those who fit; when only weak ones do (the
    best of them below `MIN_RATIO` of the best of all kinds, so that ranked together they
    would not count), the better ones; none otherwise."""
    kind = " / ".join(await matcher.restricting_words(ctx.db, need, now))
    if not kind:
        return "", []
    wider = await matcher.match(
        ctx.db, requester_id=ctx.member.id, text=need, lang=ctx.lang, now=now, any_kind=True
    )
    named = {match.member_id for match in fitting}
    others = [m for m in wider if m.member_id not in named and m.member_id not in before]
    if fitting and (not others or max(m.score for m in fitting) >= MIN_RATIO * others[0].score):
        return kind, []
    return kind, others


async def _unconnected_key(ctx: Context, key: str, waiting: Iterable[PartnerMatch]) -> str:
    """`key`, saying that members who fit are not in the chat yet and the office invites
    them; its `_unreachable` sibling, true of both, when one of them was in the chat once and
    cannot be reached now (blocked the bot): no invitation brings that one back, and the
    requester does not learn who it is."""
    async with ctx.db.read() as session:
        left = await flow.any_left(session, [match.member_id for match in waiting])
    return key.replace("_unconnected", "_unreachable") if left else key


def _rest_part(part: str) -> str:
    """A need of several as the request of the part nobody fits carries it."""
    return part.strip().rstrip(" ,;.")


async def _waiting_for_unmet(
    ctx: Context, matcher: PartnerMatcher, parts: Sequence[str], now: datetime
) -> dict[str, list[PartnerMatch]]:
    """Each of the needs of several that nobody in the chat fits, with the members who fit
    it but have no reachable chat account (as for a request of one need: the office invites
    them and passes that part on); by the need as given."""
    return {
        part: await matcher.unconnected_fits(
            ctx.db, requester_id=ctx.member.id, text=_rest_part(part), lang=ctx.lang, now=now
        )
        for part in parts
    }


def _either(found: Iterable[Sequence[PartnerMatch]]) -> list[PartnerMatch]:
    """The members of several lists, each once, in the order first found."""
    seen: dict[str, PartnerMatch] = {}
    for matches in found:
        for match in matches:
            seen.setdefault(match.member_id, match)
    return list(seen.values())


async def _asked_before(
    ctx: Context, matcher: PartnerMatcher, need: str, now: datetime
) -> dict[str, int]:
    """The members the member's running requests with (nearly) the same need asked already
    (`asked_before`), each with that request's number."""
    running = await _running(ctx, matcher, now)
    [content] = await matcher.content_terms(ctx.db, [need], now)
    return asked_before(need, running, content=content)


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(f"#{number}" for number in numbers)


async def _all_asked(ctx: Context, request_id: int, need: str, earlier: Sequence[int]) -> None:
    """Every member the need fits was asked by a running request of the member with (nearly)
    the same need: they are not asked twice. The first button leaves it at that (a question
    handed to the office is then carried by the running request, see `send`)."""
    text = ctx.t("partners.preview_all_asked", need=need, numbers=_numbers(earlier))
    buttons = (
        (
            Button(ctx.t("partners.button_keep_running"), f"pr:send:{request_id}"),
            Button(ctx.t("partners.button_refine"), f"pr:refine:{request_id}"),
            Button(ctx.t("partners.button_cancel"), f"pr:cancel:{request_id}"),
        ),
    )
    await _at_preview(ctx, request_id, buttons, members=True)
    await ctx.reply(Reply(text=text, buttons=buttons))


def _who_learnt(ctx: Context, then: str) -> Markup:
    """When the member learns who fits (once both sides agree), and what the search waits for."""
    return Markup(f"{ctx.t('partners.who_learnt')}\n\n{ctx.t(then)}")


# The buttons of other previews, whose words typed under "Wofür?" press nothing there
# (they are no answer to what the partner is for: "To the office").
_OTHER_PREVIEW_BUTTONS = (
    "partners.button_send",
    "partners.button_send_office",
    "partners.button_send_rest_office",
)


def _names_a_preview_button(text: str) -> bool:
    labels = [str(t(lang, key)) for key in _OTHER_PREVIEW_BUTTONS for lang in ("de", "en")]
    return names_label(text, labels)


def _label(need: str) -> str:
    """A need of several as the preview quotes it."""
    return shorten(need.rstrip(" ,;."), NEED_LABEL, placeholder=" …")


async def _ask_what_for(ctx: Context, request_id: int, text: str) -> None:
    """A request naming only a kind of partner ("eine Hochschule") or nothing at all ("Partner
    gesucht"): what should the partner do? A kind's name alone would reach whoever has the
    word in their organisation's name, nothing at all would reach nobody."""
    buttons = (
        (
            Button(ctx.t("partners.button_refine"), f"pr:refine:{request_id}"),
            Button(ctx.t("partners.button_cancel"), f"pr:cancel:{request_id}"),
        ),
    )
    await _at_preview(ctx, request_id, buttons, sends=False, asks_what=True)
    await ctx.reply(Reply(text=text, buttons=buttons))


def about_partner_search(phrasings: Sequence[Sequence[str]]) -> bool:
    """Whether a FAQ entry, told by its phrasings language by language, is about searching
    for a partner: in each language one of them reads as a search. One phrasing that happens
    to read so ("Who handles press enquiries?") is not the entry's topic; its translation
    says the same thing and agrees only when the topic is a search."""
    return _about_partner_search(tuple(tuple(language) for language in phrasings))


# Asked of the entries beside every FAQ answer, which change only with the knowledge base.
@lru_cache(maxsize=4096)
def _about_partner_search(phrasings: tuple[tuple[str, ...], ...]) -> bool:
    return bool(phrasings) and all(
        any(is_partner_search(phrasing) for phrasing in language) for language in phrasings
    )


async def can_help(ctx: Context, matcher: PartnerMatcher, text: str) -> bool:
    """Whether a partner search for `text` would find anyone: the text states a need (members
    in Goslar do not help with "Wie wird das Wetter in Goslar?", though they would be ranked)
    and the ranking `preview` would run finds at least one fitting member, in the chat or not
    yet (the preview then offers the office, which invites them). A member without an
    organisation gets the offer too: pressing it says how to set one (`preview`)."""
    if not states_need(text):
        return False
    try:
        need, _redacted = clean_need(text, own_contact=ctx.member.contact)
    except UserError:
        return False
    member, now = ctx.member.id, ctx.services.clock()
    if await matcher.match(ctx.db, requester_id=member, text=need, lang=ctx.lang, now=now):
        return True
    waiting = await matcher.unconnected_fits(
        ctx.db, requester_id=member, text=need, lang=ctx.lang, now=now
    )
    return bool(waiting)


async def send(
    ctx: Context,
    matcher: PartnerMatcher,
    request_id: int,
    need: str,
    *,
    rest_to_office: bool = False,
    any_kind: bool = False,
) -> None:
    """Confirmed: rank `need` (the draft's text) again, the directory may have changed, and
    send through the outbox; `rest_to_office`: the needs of several that nobody fits go to the
    office as a request of their own; `any_kind`: to members of any kind (the preview's
    "send to them" after none of the kind named fitted). A request started beside a
    question handed to the office is told on (`Router.offer_carried_out`): the question
    stops waiting for the office's answer, carried by this request (or the running one it
    repeats)."""
    now = ctx.services.clock()
    member = ctx.member.id
    fitting = await matcher.match(
        ctx.db, requester_id=member, text=need, lang=ctx.lang, now=now, any_kind=any_kind
    )
    found = [match.member_id for match in fitting]
    asked_for = await matcher.needs_of(
        ctx.db, requester_id=member, text=need, found=found, now=now, any_kind=any_kind
    )
    unmet: list[str] = []
    if rest_to_office and found:  # with nobody found the whole request goes to the office
        met = await matcher.needs_met(ctx.db, requester_id=member, text=need, found=found, now=now)
        unmet = [_rest_part(part) for part, n in met if n == 0]
    running = await _running(ctx, matcher, now)
    [content] = await matcher.content_terms(ctx.db, [need], now)
    # a member a running request with (nearly) the same need asked is not asked again
    before = asked_before(need, running, content=content)
    matches = [match for match in fitting if match.member_id not in before]
    # nobody to contact: who fits but is not in the chat yet goes to the office with it
    waiting = (
        []
        if fitting
        else await matcher.unconnected_fits(
            ctx.db, requester_id=ctx.member.id, text=need, lang=ctx.lang, now=now
        )
    )
    # a part nobody in the chat fits: who fits it but is not in the chat yet goes with it
    waiting_rest = _either((await _waiting_for_unmet(ctx, matcher, unmet, now)).values())
    async with ctx.db.session() as session:
        draft = await flow.own_draft(
            session, request_id=request_id, member_id=ctx.member.id, now=now
        )
        earlier = repeated_in(
            draft.text,
            running,
            reaches=frozenset(match.member_id for match in fitting),
            content=content,
        )
        if earlier is None and fitting and not matches:  # all of them have it already
            earlier = min(before[match.member_id] for match in fitting)
        if earlier is not None:  # the same members would be asked the same again
            await partners.close_request(session, draft, status=partners.CANCELLED, now=now)
        else:
            sent = await flow.send_request(
                session,
                request=draft,
                requester=ctx.member,
                matches=matches,
                now=now,
                asked_for=asked_for,
                unconnected=waiting,
                settings=ctx.services.settings,
            )
            rest = 0
            if sent and unmet:
                office = await partners.create_request(
                    session,
                    requester_id=ctx.member.id,
                    text="; ".join(unmet),
                    lang=ctx.lang,
                    now=now,
                    ttl=REQUEST_TTL,
                )
                await flow.send_request(
                    session,
                    request=office,
                    requester=ctx.member,
                    matches=[],
                    now=now,
                    unconnected=waiting_rest,
                    settings=ctx.services.settings,
                )
                rest = office.id
    if earlier is not None:
        await ctx.say("partners.already_running", number=earlier)
    else:
        ctx.services.outbox_wakeup()
        if sent:
            await ctx.say("partners.sent", number=request_id, count=sent)
            if rest and waiting_rest:
                count = len(waiting_rest)
                key = "partners.sent_rest_office_unconnected"
                key = await _unconnected_key(ctx, key, waiting_rest)
                await ctx.say(key, number=rest, count=count)
            elif rest:
                await ctx.say("partners.sent_rest_office", number=rest)
        elif waiting:
            key = await _unconnected_key(ctx, "partners.sent_office_unconnected", waiting)
            await ctx.say(key, number=request_id, count=len(waiting))
        else:
            await ctx.say("partners.sent_office", number=request_id)
    if draft.handoff_question is not None:
        carried = earlier if earlier is not None else request_id
        await ctx.services.router.offer_carried_out(
            ctx, HANDOFF_OFFER, draft.handoff_question, carried
        )


async def _running(ctx: Context, matcher: PartnerMatcher, now: datetime) -> list[Running]:
    """The member's requests still running, with the members each asked and what it asks
    for: a new one that only repeats one of them is not sent (`repeated_in`)."""
    async with ctx.db.session() as session:
        mine = [
            request
            for request in await partners.requests_of(session, member_id=ctx.member.id)
            if request.status in partners.ACTIVE
        ]
        asked = await partners.introductions_for(session, request_ids=[r.id for r in mine])
    content = await matcher.content_terms(ctx.db, [request.text for request in mine], now)
    return [
        Running(
            request.id,
            request.text,
            frozenset(str(intro.recipient_id) for intro in asked[request.id]),
            terms,
        )
        for request, terms in zip(mine, content, strict=True)
    ]


async def ask_again(ctx: Context, step: str, data: dict[str, object]) -> bool:
    """The search's question asked anew in the member's language now (/partner after
    /language), the need written so far kept. The refinement and the preview speak the need's
    language: a need plainly in the other one keeps them as they were shown, in that one."""
    if step == "need":
        await ctx.ask(FLOW, "need", data)
        await ctx.say("partners.ask_need")
    elif step == ORGANISATION_STEP:
        await ctx.ask(FLOW, ORGANISATION_STEP, data)
        await ctx.say("partners.ask_organisation")
    elif step == "refine" and isinstance(request_id := data.get("request_id"), int):
        now = ctx.services.clock()
        try:
            async with ctx.db.session() as session:
                draft = await flow.own_draft(
                    session, request_id=request_id, member_id=ctx.member.id, now=now
                )
        except UserError:
            return False  # sent or dropped meanwhile: the kept question says as much as any
        if reply_language(draft.text, ctx.lang) != ctx.lang:
            return False
        await ctx.ask(FLOW, "refine", data)
        await ctx.say("partners.ask_refine")
    else:
        return False
    return True


def register(router: Router, matcher: PartnerMatcher) -> None:
    @router.command(
        "partner",
        help_key="partners.help_partner",
        group="partners",
        order=1,
        featured=True,
        params=(Param("need", required=False),),
        german="partnersuche",
        private_only=True,
    )
    async def partner(ctx: Context, args: Args) -> None:
        if not args.has("need"):
            await ctx.ask(FLOW, "need")
            await ctx.say("partners.ask_need")
            return
        await start(ctx, matcher, args.text("need"))

    router.ask_again(FLOW)(ask_again)

    async def offer_fits(ctx: Context, text: str) -> bool:
        return await can_help(ctx, matcher, text)

    async def offer_start(ctx: Context, text: str, question: int) -> None:
        # in the language of the question, as the hand-off that offered it was
        await start(ctx.speaking(reply_language(text, ctx.lang)), matcher, text, question)

    # A question the FAQ hands to the office may be a need members can meet: the FAQ offers
    # this search beside the hand-off, and a press starts it as if the member had typed it;
    # likewise beside the FAQ's own entry on partner search, whose answer says to describe
    # the need ("We need an LCA for our process" is one, though not worded as a search).
    router.offer_on_handoff(
        HandoffOffer(
            HANDOFF_OFFER,
            "partners.button_find_members",
            offer_fits,
            offer_start,
            taken_key="partners.offer_taken",
            about=about_partner_search,
        )
    )

    async def is_search(ctx: Context, text: str) -> bool:
        return ctx.incoming.is_private and is_partner_search(text)

    # "Wir suchen ein Labor für …" written as the registration's organisation is a search too,
    # not the organisation's name: the registration leaves it here and waits.
    router.claims_text(is_search)

    @router.free_text(priority=20)
    async def free_text(ctx: Context, text: str) -> bool:
        searching = await is_search(ctx, text)
        if not searching and not (ctx.incoming.is_private and is_call_on_members(text)):
            return False
        # A request put to everybody ("Hat jemand Erfahrung mit …?") may be a question for
        # the office built the same way ("Hat jemand Erfahrung mit dem Bot?"); and a member
        # without an organisation cannot search: a question the FAQ answers ("Who sells
        # tickets for the symposium?") gets that answer instead – unless the answer is the
        # FAQ's own entry on partner search, which would only say to describe the need the
        # member just wrote. (With one, a search nobody fits still goes on: its preview
        # offers the office, which looks for a partner in person.) The FAQ is asked without
        # the words putting the call to the members: "in the network" is no topic of its own.
        if not searching or not ctx.member.organisation.strip():
            answered = await router.direct_answer_to(ctx, without_the_network(text))
            if answered is not None and not about_partner_search(answered):
                return False
        await start(ctx, matcher, text)
        return True

    @router.step(FLOW, texts="flows.partner", resume="partner", previews=(PREVIEW_STEP,))
    async def on_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        if state.get("step") == ORGANISATION_STEP:  # a name, in the member's language
            question = state.get("question")
            await _organisation_given(
                ctx,
                matcher,
                text,
                str(state.get("need", "")),
                question if isinstance(question, int) else None,
            )
            return
        if state.get("step") == PREVIEW_STEP:  # a new search or a question goes on as one
            # "ja"/"yes please send it" sends, "nein" cancels, as the buttons do
            # and so do the words of its hint: "senden", "schick ab", "genauer", "cancel it"
            answer, request_id = typed_send(text), state.get("request_id")
            choice = {True: SEND, False: CANCEL}.get(answer) if answer is not None else None
            choice = choice or typed_preview_choice(text)
            if choice == SEND and not state.get("sends"):
                choice = None  # nothing to send: the hint says what the buttons do
            shown = _shown(state)
            pressed = typed_label(text, [label for label, _action in shown])
            if pressed is not None:
                choice = shown[pressed][1]  # a button's own words
            if choice is not None and isinstance(request_id, int):
                await on_button(ctx, [choice, str(request_id)])
                return
            if state.get("members") and asks_who(text):
                # the preview's choices stay the answer; no question for the office
                told = _who_learnt(ctx, "partners.answer_preview")
                await ctx.reply(Reply(text=told, metadata={KEEPS_CHOICES: "yes"}))
                return
            if (
                state.get("asks_what")
                and isinstance(request_id, int)
                and not is_question(text)
                and not _names_a_preview_button(text)
            ):
                # "Wofür?" answered at once, as after "Genauer beschreiben" (a walkthrough's
                # "für das Recycling von Neodym-Magneten" had been refused)
                ctx = ctx.speaking(reply_language(text, ctx.lang))
                await preview(ctx, matcher, text, request_id)
                return
            if not state.get("sends") and shown:
                # two ways to send: the hint names the buttons ("senden" would say neither)
                quoted = [ctx.t("partners.need_quoted", need=label) for label, _action in shown]
                raise NotAnAnswer("partners.answer_preview_buttons", buttons=", ".join(quoted))
            raise NotAnAnswer("partners.answer_preview")
        if state.get("step") == "refine" and asks_who(text):
            # no words for the request ("wer ist das denn, der passt?" had been added to it)
            await ctx.reply(_who_learnt(ctx, "partners.ask_refine"))
            return
        ctx = ctx.speaking(reply_language(text, ctx.lang))  # a need, not a form's answer
        request_id = state.get("request_id")
        if not request_id and not ctx.member.organisation.strip():
            await start(ctx, matcher, text)  # asks for the organisation, the need kept
            return
        try:
            await preview(ctx, matcher, text, request_id if isinstance(request_id, int) else 0)
        except UserError as error:
            # A need too short may be written again; anything else ends the dialogue.
            if error.key != "partners.need_too_short":
                await ctx.end_flow(FLOW)
            raise

    @router.on_cancel(FLOW)
    async def discard(ctx: Context, data: dict[str, object] | None) -> str | None:
        """/cancel in the search, or at its preview with nothing asked: the draft goes (its
        *send* pressed later sends nothing), named by its need."""
        async with ctx.db.session() as session:
            draft = await flow.drop_drafts(
                session, member_id=ctx.member.id, now=ctx.services.clock()
            )
        need = draft.text if draft is not None else str((data or {}).get("need") or "")
        if need:
            return ctx.t("flows.partner.cancelled", need=_label(need))
        return None if data is None else ctx.t("flows.partner.cancelled_unasked")

    @router.button("pr")
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 2 or not parts[1].isdecimal():
            raise UserError("errors.stale_button")
        action, request_id = parts[0], int(parts[1])
        now = ctx.services.clock()
        member_ctx = ctx  # a registration waiting goes on in the member's language
        if action in ("send", SEND_REST, SEND_ANY_KIND, "refine", "cancel"):
            # Said in the language the need was written in, as its preview was.
            async with ctx.db.session() as session:
                draft = await flow.own_draft(
                    session, request_id=request_id, member_id=ctx.member.id, now=now
                )
            ctx = ctx.speaking(reply_language(draft.text, ctx.lang))
        if action in ("send", SEND_REST, SEND_ANY_KIND):
            await send(
                ctx,
                matcher,
                request_id,
                draft.text,
                rest_to_office=action == SEND_REST,
                any_kind=action == SEND_ANY_KIND,
            )
            await ctx.end_flow(FLOW)  # the preview waited: a registration under it goes on
            await member_ctx.come_back()
        elif action == "refine":
            await ctx.ask(FLOW, "refine", {"request_id": request_id})
            await ctx.say("partners.ask_refine")
        elif action == "cancel":
            async with ctx.db.session() as session:
                draft = await flow.own_draft(
                    session, request_id=request_id, member_id=ctx.member.id, now=now
                )
                await partners.close_request(session, draft, status=partners.CANCELLED, now=now)
            # the refinement asked, if any; a registration waiting goes on, not ended with it
            await ctx.end_flow(FLOW)
            await ctx.say("flows.partner.cancelled", need=_label(draft.text))
            await member_ctx.come_back()
        elif action == "close":  # /requests' button: closing is for good, asked first
            async with ctx.db.session() as session:
                running = await flow.own_running(
                    session, request_id=request_id, member_id=ctx.member.id, now=now
                )
            await offer_close(ctx, running)
        elif action == "keep":  # "Offen lassen" under that question, or a typed "nein"
            await ctx.say("partners.close_kept", number=request_id)
        elif action == "closeyes":
            async with ctx.db.session() as session:
                await flow.close_own(
                    session, request_id=request_id, member_id=ctx.member.id, now=now
                )
            # /requests lists several with their buttons: the others' stay pressable
            closed = ctx.t("partners.closed", number=request_id)
            await ctx.reply(Reply(text=closed, metadata={KEEPS_CHOICES: "yes"}))
        else:
            raise UserError("errors.stale_button")
