"""The office inbox: open questions, answered, taught to the bot or closed without an answer;
suggestions for new entries; the questions members took elsewhere themselves (a partner
search) or the office closed, which need no answer.

Every rule is in handlers/faq/inbox.py (answer, learn into an entry, a new entry, close) and
handlers/faq/suggestions.py (grouping, dismissing); this module only reads forms and renders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any, cast
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import t
from handlers import audit as audit_detail
from handlers.faq import inbox, suggestions
from handlers.faq.kb_format import FaqEntry, InvalidEntry
from handlers.faq.rules import answer_as_sent, title_in
from handlers.faq.service import faq_service
from storage import faq, members
from storage.faq import MAX_ENTRY_ID
from web.auth import audit
from web.pages.members import page_number
from web.reader import off_loop, services_of
from web.render import ADMIN, LANG, NAV_COUNTS, SERVICES, is_htmx, page, page_off_loop

NAV: tuple[str, str, str] | None = ("inbox", "/inbox", "web.nav_inbox")
# Open questions per page: each card carries two forms; a page of them stays light.
SHOWN = 30
# Questions the office answered in its own words stay offered for teaching this long, this many.
UNLEARNED_FOR = timedelta(days=7)
UNLEARNED_SHOWN = 10


# Refusals whose chat wording points to a chat command.
WEB_WORDING = {
    "faq.unknown_entry": "web_inbox.unknown_entry",
    "faq.answer_is_question": "web_inbox.answer_is_question",
}


def refusal_of(request: web.Request, error: UserError) -> Markup:
    """A handler's refusal in the admin's words (an entry's problem names the field)."""
    lang = request[LANG]
    values = dict(error.values)
    if isinstance(error, InvalidEntry):
        field = t(lang, f"faq.name_{error.field}")
        values.setdefault("field", field)
        return Markup(f"{field}: {t(lang, error.key, **values)}")
    if error.key == "faq.unknown_entry_close":  # the entries meant by their questions
        meant = cast("Sequence[FaqEntry]", values.get("entries") or ())
        titles = [t(lang, "faq.quoted", text=title_in(entry, lang)) for entry in meant]
        if titles:
            close = Markup(t(lang, "web_inbox.or")).join(titles)
            return Markup(t(lang, "web_inbox.unknown_entry_close", id=values["id"], close=close))
        return Markup(t(lang, "web_inbox.unknown_entry", id=values["id"]))
    return Markup(t(lang, WEB_WORDING.get(error.key, error.key), **values))


async def _entries(request: web.Request) -> list[tuple[str, str]]:
    """(id, title in the admin's language) of every entry, to attach a question to."""
    snapshot = await faq_service(services_of(request)).snapshot()
    return [(e.id, title_in(e, request[LANG])) for e in snapshot.entries.values()]


async def _likely(
    request: web.Request, items: Sequence[faq.InboxItem]
) -> dict[int, list[tuple[str, str]]]:
    """(id, title in the admin's language) of the entries likely to answer each ticket."""
    found = await inbox.likely_entries(services_of(request), items)
    return {
        ticket: [(e.id, title_in(e, request[LANG])) for e in entries]
        for ticket, entries in found.items()
    }


async def _contexts(request: web.Request, items: Sequence[Any]) -> dict[int, str]:
    """What each ticket is about, as the admin reads it: an English member's event named in
    German for a German admin (`Router.for_office`), as the chat's alert names it."""
    services = services_of(request)
    return {
        item.ticket.id: await services.router.for_office(
            services, item.ticket.context, request[LANG]
        )
        for item in items
        if item.ticket.context
    }


async def show(
    request: web.Request,
    notice: Markup | None = None,
    forms: Mapping[int, Mapping[str, Any]] | None = None,
) -> web.Response:
    """The whole inbox; `forms`: what a card's entry form holds again, by ticket (a plain
    form's post: an entry picked, the answers it still needs)."""
    services = services_of(request)
    number = page_number(request) if request.method == "GET" else 1
    # The knowledge base as it is now (a reader keeps an index of its own, see web/reader.py):
    # the entries to attach to and the phrasings the suggestions leave out.
    await faq_service(services).snapshot(fresh=True)
    async with services.db.read() as session:
        total, items = await faq.open_tickets(session, limit=SHOWN, offset=(number - 1) * SHOWN)
        since = services.clock() - UNLEARNED_FOR
        unlearned = await faq.answered_unlearned(session, since=since, limit=UNLEARNED_SHOWN)
        taken = await inbox.taken_over(services, session)
    withdrawn_total, withdrawn = await inbox.recently_withdrawn(services)
    closed_total, closed = await inbox.recently_closed(services)
    async with services.db.read() as session:
        # who asked the settled questions, as the open cards say it
        askers = await members.members_by_id(
            session, [ticket.member_id for ticket in (*unlearned, *withdrawn, *closed)]
        )
    # the navigation's count as this page found it (after a plain form's answer, one less)
    request[NAV_COUNTS] = {**request.get(NAV_COUNTS, {}), "inbox": total}
    groups = await suggestions.suggestions(services)
    first = (number - 1) * SHOWN
    entries = await _entries(request)
    return await page_off_loop(
        request,
        "inbox/inbox.html",
        {
            "total": total,
            "items": items,
            "page_no": number,
            "first": first + 1,
            "rest": max(0, total - first - len(items)),
            "size": SHOWN,
            "groups": groups,
            "likely": await _likely(request, items),
            "contexts": await _contexts(request, items),
            # One list for every card's "add to an entry" field (a <datalist>), not one each.
            "entries": entries,
            # the entries the cards name: by their questions
            "names": dict(entries),
            "notice": notice,
            "forms": forms or {},
            "unlearned": unlearned,
            "askers": askers,
            "withdrawn": withdrawn,
            "withdrawn_rest": withdrawn_total - len(withdrawn),
            "closed": closed,
            "closed_rest": closed_total - len(closed),
            "closed_days": inbox.WITHDRAWN_SHOWN_FOR.days,
            "taken": taken,
            "taken_days": inbox.TAKEN_FOR.days,
        },
    )


async def inbox_page(request: web.Request) -> web.StreamResponse:
    return await show(request, notice=await _created_notice(request))


async def _name(request: web.Request, entry_id: str) -> str:
    """An entry as the office reads it: its first question in the admin's language (its id
    only when it is gone)."""
    entry = (await faq_service(services_of(request)).snapshot()).entries.get(entry_id)
    return title_in(entry, request[LANG]) if entry is not None else entry_id


async def _created_notice(request: web.Request) -> Markup | None:
    """What the new-entry form's post said, carried by its redirect (a reload sends nothing
    twice): `?created=ID&tickets=N&answered=M`; the entry named by its question."""
    query = request.query
    entry_id = query.get("created", "")[:MAX_ENTRY_ID]
    tickets, answered = query.get("tickets", "0"), query.get("answered", "0")
    if not entry_id or not (tickets.isdecimal() and answered.isdecimal()):
        return None
    lang, sent = request[LANG], int(answered[:6])
    await faq_service(services_of(request)).snapshot(fresh=True)  # the entry just made
    name = await _name(request, entry_id)
    notice = t(lang, "web_inbox.created", entry=name, count=int(tickets[:6]))
    if not sent:
        return Markup(notice)
    return Markup(f"{notice} {t(lang, 'web_inbox.created_answered', count=sent)}")


def _ticket_id(request: web.Request) -> int:
    try:
        return int(request.match_info["ticket"])
    except ValueError as error:
        raise web.HTTPNotFound() from error


async def _row(
    request: web.Request,
    ticket_id: int,
    *,
    done: Markup | None,
    error: Markup | None = None,
    form: Mapping[str, Any] | None = None,
    teach: bool = False,
    status: str = "web_inbox.status_answered",
) -> web.StreamResponse:
    """One ticket's card again (htmx), or the whole inbox after a plain form post. `teach`:
    the office typed its own answer; the card asks whether the bot should learn the question,
    and keeps who asked, the question and the answer, as the reloaded inbox shows them.
    `status`: what became of it, as the done card says (answered, closed)."""
    if not is_htmx(request):
        forms = {ticket_id: form} if form else None
        return await show(request, notice=error if error is not None else done, forms=forms)
    # The ticket again, and how many are open (the heading, swapped out of band when done).
    settled, asker = None, None
    async with request.app[SERVICES].db.session() as session:
        total, items = await faq.open_tickets(session, limit=1, only=ticket_id)
        if done is not None and teach:
            settled = next(iter(await faq.get_tickets(session, [ticket_id])), None)
            if settled is not None:
                found = await members.members_by_id(session, [settled.member_id])
                asker = found.get(settled.member_id)
    item = items[0] if items and done is None else None
    chosen = str((form or {}).get("entry", ""))
    return page(
        request,
        "inbox/row.html",
        {
            "ticket_id": ticket_id,
            "item": item,
            "contexts": await _contexts(request, [item] if item is not None else []),
            "done": done,
            "error": error,
            "form": form or {},
            "open_total": total if done is not None else None,
            "teach": teach,
            "settled": settled,
            "settled_asker": asker,
            "status": status,
            "likely": await _likely(request, items[:1]),
            "names": await _names(request, [*(i.rejected_entry_id for i in items[:1]), chosen]),
        },
    )


async def _names(request: web.Request, entry_ids: Sequence[str | None]) -> dict[str, str]:
    """The entries a card names (the one the member turned down, the one in its field), by
    their first question in the admin's language."""
    return {i: await _name(request, i) for i in entry_ids if i}


async def answer(request: web.Request) -> web.StreamResponse:
    ticket_id = _ticket_id(request)
    form = await request.post()
    text = str(form.get("answer", ""))
    anyway = form.get("anyway") == "1"
    try:
        done = await inbox.answer(
            request.app[SERVICES], request[ADMIN].id, ticket_id, text, anyway=anyway
        )
    except inbox.WrongLanguage as wrong:
        return await _warn_language(request, wrong)
    except inbox.AnswerIsQuestion as asked:
        # typed into the wrong box: offer that entry's answer, as its preview shows it
        return await _offer_entry(request, ticket_id, asked)
    except UserError as error:
        return await _row(request, ticket_id, done=None, error=refusal_of(request, error))
    await audit(request, "inbox:answer", audit_detail.ticket_answered(ticket_id, text))
    lang = request[LANG]
    taken = done.taken(lang)
    if taken is not None:  # the member had sent it as a partner search (as the chat says)
        notice = Markup(t(lang, "web_inbox.answered_taken", ticket=ticket_id, taken=taken))
    else:
        key = "web_inbox.answered_again" if done.again else "web_inbox.answered"
        notice = Markup(t(lang, key, ticket=ticket_id))
    return await _row(request, ticket_id, done=notice, teach=True)


async def close(request: web.Request) -> web.StreamResponse:
    """Close a ticket without an answer (`inbox.close`): settled otherwise, the member gets
    no message; the card says so and leaves the open questions."""
    ticket_id = _ticket_id(request)
    try:
        await inbox.close(request.app[SERVICES], request[ADMIN].id, ticket_id)
    except UserError as error:
        return await _row(request, ticket_id, done=None, error=refusal_of(request, error))
    await audit(request, "inbox:close", audit_detail.detail("audit.ticket", ticket=ticket_id))
    notice = Markup(t(request[LANG], "web_inbox.closed", ticket=ticket_id))
    return await _row(request, ticket_id, done=notice, status="web_inbox.status_closed")


async def _warn_language(request: web.Request, wrong: inbox.WrongLanguage) -> web.StreamResponse:
    """The card again after an answer in the other language than the question's: the warning,
    the message as the member would get it (under the header in their language) and the
    answer in its field, to write anew or to send anyway. Nothing is sent."""
    lang, asked = request[LANG], wrong.asked.lang
    written = "de" if asked == "en" else "en"
    warning = t(
        lang,
        "web_inbox.other_language",
        asked=t(lang, f"web_inbox.lang_{asked}"),
        written=t(lang, f"web_inbox.lang_{written}"),
    )
    sent = inbox.as_member_reads(wrong.asked, wrong.text)
    # the chat's line breaks, as the page shows them
    as_sent = Markup("<br>".join(Markup(sent).split("\n")))
    form = {"answer": wrong.text, "as_sent": as_sent, "lang": asked}
    return await _row(request, wrong.asked.ticket_id, done=None, error=Markup(warning), form=form)


async def _offer_entry(
    request: web.Request, ticket_id: int, asked: inbox.AnswerIsQuestion
) -> web.StreamResponse:
    """The card again after an answer that is an entry's question: it says so and shows that
    entry in "answer with an entry", with what the member would get (nothing is sent)."""
    try:
        plan = await inbox.plan_learning(request.app[SERVICES], ticket_id, asked.entry_id, "")
    except UserError as error:  # gone, withdrawn or learned meanwhile: that says more
        return await _row(request, ticket_id, done=None, error=refusal_of(request, error))
    chosen = {
        "entry": plan.entry_id,
        "need": plan.need,
        "preview": await _sent(request, plan),
        "shown": plan.entry_id,
        "sends": plan.sends,
    }
    return await _row(request, ticket_id, done=None, error=refusal_of(request, asked), form=chosen)


async def attach(request: web.Request) -> web.StreamResponse:
    """Answer a ticket with an entry (named by its id or its question) and learn the question,
    or (`only=send`) only send the entry's answer, the bot learning nothing.

    The office sees what the member would get before it is sent: `pick` (a likely entry's
    button) fills the field in and shows it, and so does an entry typed into the field; the
    card then carries that entry as `shown`, and sending it again sends. An entry the card
    did not show (typed, or changed after a preview) is shown first, never sent."""
    ticket_id = _ticket_id(request)
    form = await request.post()
    picked = str(form.get("pick", "")).strip()
    entry = picked or str(form.get("entry", "")).strip()
    shown = str(form.get("shown", "")).strip()
    answers = {lang: str(form.get(f"a{lang}", "")) for lang in ("de", "en")}
    lang = request[LANG]
    try:
        plan = await inbox.plan_learning(request.app[SERVICES], ticket_id, entry, "")
        unseen = plan.sends and not plan.need and shown != plan.entry_id
        if picked or unseen:
            chosen = {
                "entry": plan.entry_id,
                "need": plan.need,
                "preview": await _sent(request, plan),
                "shown": plan.entry_id,
                "sends": plan.sends,
            }
            return await _row(request, ticket_id, done=None, form=chosen)
        if plan.need and not all(answers[step[1:]].strip() for step in plan.need):
            # ask for the answers the entry lacks (the member waits for one in their language)
            return await _row(
                request,
                ticket_id,
                done=None,
                error=Markup(
                    t(lang, "web_inbox.needs_answers", entry=await _name(request, plan.entry_id))
                ),
                form={"entry": plan.entry_id, "need": plan.need, "shown": plan.entry_id, **answers},
            )
        if form.get("only") == "send" and plan.sends:
            return await _send_only(request, ticket_id, plan.entry_id)
        learned = await inbox.learn_into_entry(
            request.app[SERVICES], request[ADMIN].id, ticket_id, plan.entry_id, answers
        )
    except UserError as error:
        return await _row(
            request, ticket_id, done=None, error=refusal_of(request, error), form={"entry": entry}
        )
    attached = audit_detail.detail(
        "audit.ticket_attached", ticket=ticket_id, entry=learned.entry_id
    )
    await audit(request, "inbox:attach", attached)
    entry_name = await _name(request, learned.entry_id)
    done = t(lang, "faq.learned_phrasing", ticket=ticket_id, entry=entry_name)
    outcome = t(lang, learned.outcomes[ticket_id], ticket=ticket_id)
    return await _row(request, ticket_id, done=Markup(f"{done} {outcome}"))


async def _send_only(request: web.Request, ticket_id: int, entry_id: str) -> web.StreamResponse:
    """The entry's answer sent to the member, its question not taught (raises `UserError`)."""
    await inbox.answer_with_entry(request.app[SERVICES], request[ADMIN].id, ticket_id, entry_id)
    sent = audit_detail.detail("audit.ticket_attached", ticket=ticket_id, entry=entry_id)
    await audit(request, "inbox:send_entry", sent)
    notice = t(request[LANG], "web_inbox.sent_only", entry=await _name(request, entry_id))
    return await _row(request, ticket_id, done=Markup(notice))


async def _sent(request: web.Request, plan: inbox.LearnPlan) -> str:
    """The entry's answer the member would get (in the language they asked in), cut for the
    card; "" when the entry has none in it yet (the card asks for one)."""
    entry = (await faq_service(services_of(request)).snapshot()).entries.get(plan.entry_id)
    if entry is None or plan.need:
        return ""
    text, used = answer_as_sent(services_of(request).router, entry, plan.lang)
    return inbox.preview(text) if used == plan.lang else ""


def _numbers(raw: str | list[str]) -> list[int]:
    values = raw if isinstance(raw, list) else raw.replace(",", " ").split()
    return [int(v) for v in values if str(v).strip().isdecimal()][:200]


async def new_entry_form(request: web.Request) -> web.StreamResponse:
    """The new-entry form, prefilled with the tickets' and logged questions as phrasings; a
    ticket the office answered in its own words (not learned yet) brings that answer along."""
    ticket_ids = _numbers(request.query.get("tickets", ""))
    question_ids = _numbers(request.query.get("questions", ""))
    async with request.app[SERVICES].db.session() as session:
        tickets = [t for t in await faq.get_tickets(session, ticket_ids) if inbox.learnable(t)]
        logged = await faq.get_questions(session, question_ids)
    title = request.query.get("title", "")
    title_lang = request.query.get("lang", tickets[0].lang if tickets else "de")
    values: dict[str, Any] = {
        "id": "",
        "tde": title if title_lang == "de" else "",
        "ten": title if title_lang == "en" else "",
        "ade": _answer_in(tickets, "de"),
        "aen": _answer_in(tickets, "en"),
        "pde": "\n".join(q.text for q in logged if q.lang == "de"),
        "pen": "\n".join(q.text for q in logged if q.lang == "en"),
    }
    return _form_page(request, tickets, set(ticket_ids), values, None)


def _answer_in(tickets: list[faq.FaqTicket], lang: str) -> str:
    """The office's own answer to one of `tickets` asked in `lang`, if it gave one."""
    return next((t.answer for t in tickets if t.lang == lang and t.answer), "")


def _form_page(
    request: web.Request,
    tickets: list[faq.FaqTicket],
    chosen: set[int],
    values: Mapping[str, Any],
    error: Markup | None,
) -> web.Response:
    return page(
        request,
        "inbox/new.html",
        {"tickets": tickets, "chosen": chosen, "values": values, "error": error},
    )


async def new_entry(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    offered = _numbers([str(v) for v in form.getall("offered", [])])
    chosen = _numbers([str(v) for v in form.getall("ticket", [])])
    chosen = [c for c in chosen if c in offered]
    values = {
        key: str(form.get(key, "")) for key in ("id", "tde", "ten", "ade", "aen", "pde", "pen")
    }
    phrasings = tuple(
        (lang, line)
        for lang in ("de", "en")
        for line in values[f"p{lang}"].splitlines()
        if line.strip()
    )
    draft = inbox.NewEntry(
        id=values["id"],
        title_de=values["tde"],
        title_en=values["ten"],
        answer_de=values["ade"],
        answer_en=values["aen"],
        phrasings=phrasings,
    )
    try:
        learned = await inbox.learn_new_entry(
            request.app[SERVICES], request[ADMIN].id, chosen, draft, skip_closed=True
        )
    except UserError as error:
        async with request.app[SERVICES].db.session() as session:
            tickets = await faq.get_tickets(session, offered)
        return _form_page(request, tickets, set(chosen), values, refusal_of(request, error))
    answered = sum(1 for o in learned.outcomes.values() if o == inbox.SENT)
    if learned.outcomes:
        created = audit_detail.detail(
            "audit.entry_from_tickets",
            entry=learned.entry_id,
            tickets=audit_detail.numbers(learned.outcomes),
        )
    else:
        created = audit_detail.detail("audit.faq_entry", entry=learned.entry_id)
    await audit(request, "inbox:new_entry", created)
    done = {"created": learned.entry_id, "tickets": len(learned.outcomes), "answered": answered}
    raise web.HTTPSeeOther("/inbox?" + urlencode(done))


async def dismiss(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    key = str(form.get("key", ""))[:64]
    dismissed = await suggestions.dismiss(request.app[SERVICES], key, request[ADMIN].id)
    if dismissed:
        dropped = audit_detail.detail("audit.questions_dismissed", count=dismissed)
        await audit(request, "inbox:dismiss", dropped)
    if is_htmx(request):
        return web.Response(text="", content_type="text/html")
    raise web.HTTPSeeOther("/inbox")


def register(app: web.Application) -> None:
    app.router.add_get("/inbox", off_loop(inbox_page), name="inbox")
    app.router.add_post("/inbox/{ticket}/answer", answer, name="inbox_answer")
    app.router.add_post("/inbox/{ticket}/attach", attach, name="inbox_attach")
    app.router.add_post("/inbox/{ticket}/close", close, name="inbox_close")
    app.router.add_get("/inbox/new", new_entry_form, name="inbox_new_form")
    app.router.add_post("/inbox/new", new_entry, name="inbox_new")
    app.router.add_post("/inbox/dismiss", dismiss, name="inbox_dismiss")
