"""The FAQ page: the knowledge base in both languages side by side, edited, imported and
exported; a box to try a question; how each entry performs; the phrasings the bot learned
from members' picks and the office's answers, to confirm or remove; the questions that got
choices and no pick, to teach to an entry or set aside (handlers/faq/unpicked.py).

The rules are the chat's (handlers/faq): `store_entry` validates and bumps the revision,
`parse_kb` checks an import before anything is written, `try_question` is `ask` without a chat.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from bot.errors import UserError
from bot.i18n import t
from handlers import audit as audit_detail
from handlers.faq import learning, unpicked
from handlers.faq.kb_admin import all_entries, find_entry, remove_entry, store_entry
from handlers.faq.kb_format import InvalidEntry
from handlers.faq.kb_import import (
    ImportProblem,
    KbImportError,
    export_kb,
    import_entries,
    parse_kb,
)
from handlers.faq.rules import (
    fields_to_entry,
    normalise_id,
    split_list,
    title_in,
)
from handlers.faq.stats import entry_performance
from handlers.faq.trying import THRESHOLDS, Trial, try_question
from storage.faq import EntryCounts, EntryFields, question_log_state
from web.auth import audit
from web.cache import Costly
from web.pages.inbox import refusal_of
from web.reader import off_loop, services_of
from web.render import ADMIN, LANG, SERVICES, is_htmx, page
from web.uploads import upload_text

NAV: tuple[str, str, str] | None = ("faq", "/faq", "web.nav_faq")

FIELDS = ("id", "qde", "ade", "qen", "aen", "tags")
# An import larger than this is refused (the demo knowledge base is about 30 kB).
MAX_IMPORT_BYTES = 5 * 1024**2
DONE = (
    "added",
    "edited",
    "removed",
    "imported",
    "learned_confirmed",
    "learned_removed",
    "learned_gone",
    "unpicked_taught",
    "unpicked_aside",
)


def _form_values(fields: EntryFields) -> dict[str, str]:
    """An entry as the form shows it: one phrasing per line, tags separated by `;`."""
    return {
        "id": fields.id,
        "qde": "\n".join(fields.questions_de),
        "ade": fields.answer_de,
        "qen": "\n".join(fields.questions_en),
        "aen": fields.answer_en,
        "tags": "; ".join(fields.tags),
    }


def _fields(values: dict[str, str]) -> EntryFields:
    return EntryFields(
        id=values["id"].strip().lower(),
        tags=split_list(values["tags"]),
        questions_de=split_list(values["qde"]),
        questions_en=split_list(values["qen"]),
        answer_de=values["ade"].strip(),
        answer_en=values["aen"].strip(),
    )


async def _posted(request: web.Request) -> dict[str, str]:
    form = await request.post()
    return {name: str(form.get(name, "")) for name in FIELDS}


def _problem(lang: str, error: UserError) -> tuple[str, str]:
    """(field, message) of an entry that cannot be stored."""
    if isinstance(error, InvalidEntry):
        name = t(lang, f"faq.name_{error.field}")
        return error.field, Markup(t(lang, error.key, **{**error.values, "field": name}))
    return "id", Markup(t(lang, error.key, **error.values))


# ---------------------------------------------------------------- the list


# The per-entry counts (some 130 ms on 100,000 questions, on the loop's thread with SQLite)
# are reused while the question log is unchanged (`question_log_state`: new questions, picks,
# feedback) or, on a large log, for up to a minute: see web/cache.py.
COUNTS = web.AppKey("faq_counts", Costly[dict[str, EntryCounts]])
# From this many matched questions on, the counts are reused for a minute regardless.
LARGE_LOG = 10_000


def _large(counts: dict[str, EntryCounts]) -> bool:
    return sum(c.asked for c in counts.values()) >= LARGE_LOG


async def _performance(request: web.Request) -> dict[str, EntryCounts]:
    services = services_of(request)
    async with services.db.read() as session:
        state = await question_log_state(session)
    return await request.app[COUNTS].get(lambda: entry_performance(services), state)


async def _list_page(
    request: web.Request,
    *,
    trial: Trial | None = None,
    import_problems: Sequence[str] | None = None,
    import_text: str = "",
    unpicked_problem: tuple[int, str, Markup] | None = None,
    status: int = 200,
) -> web.StreamResponse:
    services = services_of(request)
    entries = await all_entries(services)
    counts = await _performance(request)
    learned = await learning.review(services)
    unpicked_total, waiting = await unpicked.waiting(services)
    done = request.query.get("done", "")
    flash = ""
    if done in DONE and request.method == "GET":
        numbers = {
            key: int(value)
            for key in ("added", "updated", "unchanged")
            if (value := request.query.get(key, "")).isdecimal()
        }
        entry_id = normalise_id(request.query.get("id", "")) or ""
        values = {"added": 0, "updated": 0, "unchanged": 0, **numbers}
        # named by its question
        named = {e.id: title_in(fields_to_entry(e), request[LANG]) for e in entries}
        # A removed entry is named by its id: nothing the link carries is shown as a notice.
        entry = named.get(entry_id) or entry_id
        flash = Markup(t(request[LANG], f"web_faq.done_{done}", entry=entry, **values))
    return page(
        request,
        "faq/list.html",
        {
            "entries": entries,
            "counts": counts,
            "no_counts": EntryCounts(),
            "trial": trial,
            "thresholds": THRESHOLDS,
            "question": trial.question if trial else "",
            "flash": flash,
            # Shown where the office clicked: the learned phrasings are far down the page.
            "flash_learned": done.startswith("learned_"),
            "flash_unpicked": done.startswith("unpicked_"),
            # ... and an import's outcome at the import form, where the page opens after it
            "flash_imported": done == "imported",
            "import_problems": import_problems or [],
            "import_text": import_text,
            "learned": learned,
            "unpicked": waiting,
            "unpicked_total": unpicked_total,
            "unpicked_days": unpicked.RECENT.days,
            # (question, what was typed, why it was refused) of a refused assignment
            "unpicked_problem": unpicked_problem,
            "titles": {e.id: title_in(fields_to_entry(e), request[LANG]) for e in entries},
        },
        status=status,
    )


async def faq_list(request: web.Request) -> web.StreamResponse:
    return await _list_page(request)


async def try_box(request: web.Request) -> web.StreamResponse:
    """What the bot would do with a question (htmx: only the result)."""
    question = request.query.get("question", "").strip()
    lang = request.query.get("qlang", "")
    trial = await try_question(request.app[SERVICES], question, lang or None) if question else None
    if is_htmx(request):
        return page(request, "faq/trial.html", {"trial": trial, "thresholds": THRESHOLDS})
    return await _list_page(request, trial=trial)


# ---------------------------------------------------------------- add, edit, remove


def _form_page(
    request: web.Request,
    values: dict[str, str],
    *,
    new: bool,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.StreamResponse:
    return page(
        request,
        "faq/form.html",
        {
            "values": values,
            "new": new,
            "errors": errors or {},
            "name": _name(_fields(values), request[LANG]),
        },
        status=status,
    )


def _name(fields: EntryFields, lang: str) -> str:
    """An entry as the office reads its name: its first question in `lang`."""
    return title_in(fields_to_entry(fields), lang)


async def new_form(request: web.Request) -> web.StreamResponse:
    return _form_page(request, dict.fromkeys(FIELDS, ""), new=True)


async def _save(request: web.Request, values: dict[str, str], *, new: bool) -> web.StreamResponse:
    try:
        stored = await store_entry(request.app[SERVICES], _fields(values), new=new)
    except UserError as error:
        field, message = _problem(request[LANG], error)
        return _form_page(request, values, new=new, errors={field: message}, status=422)
    action = "added" if new else "edited"
    saved = audit_detail.detail("audit.faq_entry", entry=stored.id)
    await audit(request, f"faq:{'add' if new else 'edit'}", saved)
    raise web.HTTPSeeOther(f"/faq?done={action}&id={stored.id}#entry-{stored.id}")


async def add(request: web.Request) -> web.StreamResponse:
    return await _save(request, await _posted(request), new=True)


async def _entry(request: web.Request) -> EntryFields:
    entry_id = normalise_id(request.match_info["entry_id"])
    found = await find_entry(request.app[SERVICES], entry_id) if entry_id else None
    if found is None:
        raise web.HTTPNotFound(text=t(request[LANG], "web_faq.not_found"))
    return found


async def edit_form(request: web.Request) -> web.StreamResponse:
    return _form_page(request, _form_values(await _entry(request)), new=False)


async def edit(request: web.Request) -> web.StreamResponse:
    current = await _entry(request)
    values = await _posted(request)
    values["id"] = current.id  # the id is the entry's name: it stays
    return await _save(request, values, new=False)


async def remove_form(request: web.Request) -> web.StreamResponse:
    entry = await _entry(request)
    name = _name(entry, request[LANG])
    return page(request, "faq/remove.html", {"entry": entry, "name": name})


async def remove(request: web.Request) -> web.StreamResponse:
    current = await _entry(request)
    if await remove_entry(request.app[SERVICES], current.id):
        await audit(request, "faq:remove", audit_detail.detail("audit.faq_entry", entry=current.id))
    raise web.HTTPSeeOther("/faq?" + urlencode({"done": "removed", "id": current.id}))


# ---------------------------------------------------------------- learned phrasings


def _number_in_path(request: web.Request, name: str, gone: str) -> int:
    """The number the path names as `name`; a page not found, saying `gone`, for any other."""
    raw = request.match_info[name]
    if not raw.isdecimal() or len(raw) > 18:
        raise web.HTTPNotFound(text=t(request[LANG], gone))
    return int(raw)


def _learned_id(request: web.Request) -> int:
    return _number_in_path(request, "learned_id", "web_faq.learned_gone")


async def confirm_learned(request: web.Request) -> web.StreamResponse:
    """The office confirms a learned phrasing: it answers directly from now on."""
    learned_id = _learned_id(request)
    try:
        entry_id = await learning.confirm(request.app[SERVICES], request[ADMIN].id, learned_id)
    except UserError:
        raise web.HTTPSeeOther("/faq?done=learned_gone#learned") from None
    learned = audit_detail.detail("audit.learned", learned=learned_id, entry=entry_id)
    await audit(request, "faq:learned_confirm", learned)
    raise web.HTTPSeeOther(f"/faq?done=learned_confirmed&id={entry_id}#learned")


async def remove_learned(request: web.Request) -> web.StreamResponse:
    """The office removes a learned phrasing."""
    learned_id = _learned_id(request)
    try:
        entry_id = await learning.remove(request.app[SERVICES], request[ADMIN].id, learned_id)
    except UserError:
        raise web.HTTPSeeOther("/faq?done=learned_gone#learned") from None
    learned = audit_detail.detail("audit.learned", learned=learned_id, entry=entry_id)
    await audit(request, "faq:learned_remove", learned)
    raise web.HTTPSeeOther(f"/faq?done=learned_removed&id={entry_id}#learned")


# ---------------------------------------------------------------- questions without a pick


def _question_id(request: web.Request) -> int:
    return _number_in_path(request, "question_id", "faq.unpicked_gone")


async def teach_unpicked(request: web.Request) -> web.StreamResponse:
    """The office says which entry a question without a pick belongs to: the bot learns it."""
    question_id = _question_id(request)
    typed = str((await request.post()).get("entry", "")).strip()[:200]
    try:
        services, admin_id = request.app[SERVICES], request[ADMIN].id
        entry_id = await unpicked.teach(services, admin_id, question_id, typed)
    except UserError as error:
        refusal = (question_id, typed, refusal_of(request, error))
        return await _list_page(request, unpicked_problem=refusal, status=422)
    taught = audit_detail.detail("audit.question_taught", question=question_id, entry=entry_id)
    await audit(request, "faq:unpicked_teach", taught)
    raise web.HTTPSeeOther(f"/faq?done=unpicked_taught&id={entry_id}#unpicked")


async def set_unpicked_aside(request: web.Request) -> web.StreamResponse:
    """The office says no entry fits a question without a pick."""
    question_id = _question_id(request)
    try:
        await unpicked.set_aside(request.app[SERVICES], request[ADMIN].id, question_id)
    except UserError as error:
        refusal = (question_id, "", refusal_of(request, error))
        return await _list_page(request, unpicked_problem=refusal, status=422)
    aside = audit_detail.detail("audit.question", question=question_id)
    await audit(request, "faq:unpicked_aside", aside)
    raise web.HTTPSeeOther("/faq?done=unpicked_aside#unpicked")


# ---------------------------------------------------------------- import and export


async def _import_text(request: web.Request) -> str:
    """The uploaded file, else (none chosen) the pasted text; a `UserError` when the file is
    too large or no UTF-8 text."""
    form = await request.post()
    upload = form.get("file")
    if isinstance(upload, web.FileField):
        text = upload_text(
            upload, limit=MAX_IMPORT_BYTES, saved_as="web.upload_as_toml", lang=request[LANG]
        )
        if text:
            return text
    return str(form.get("text", ""))


def _import_problem(lang: str, problem: ImportProblem) -> Markup:
    """A file's problem in the admin's language, after the entry (and line) it is in."""
    values = dict(problem.values)
    if problem.field:
        values["field"] = t(lang, f"faq.name_{problem.field}")
    text = t(lang, problem.key, **values)
    if problem.entry is not None and problem.line is None:
        text = t(lang, "web_faq.import_at_entry", entry=problem.entry, problem=text)
    elif problem.entry is not None:
        values = {"entry": problem.entry, "line": problem.line, "problem": text}
        text = t(lang, "web_faq.import_at_line", **values)
    return Markup(text)


async def import_kb(request: web.Request) -> web.StreamResponse:
    """All or nothing, like `rewimet-bot import faq`: every bad entry is shown, none written."""
    lang = request[LANG]
    try:
        text = await _import_text(request)
    except UserError as exc:
        problems = [Markup(t(lang, exc.key, **exc.values))]
        return await _list_page(request, import_problems=problems, status=422)
    try:
        entries = parse_kb(text)
    except KbImportError as error:
        shown = text if len(text) <= 100_000 else ""
        problems = [_import_problem(lang, item) for item in error.items]
        return await _list_page(request, import_problems=problems, import_text=shown, status=422)
    counts = await import_entries(request.app[SERVICES], entries)
    detail = audit_detail.detail(
        "audit.faq_imported",
        added=counts.added,
        updated=counts.updated,
        unchanged=counts.unchanged,
    )
    await audit(request, "faq:import", detail)
    raise web.HTTPSeeOther(
        f"/faq?done=imported&added={counts.added}&updated={counts.updated}"
        f"&unchanged={counts.unchanged}"
    )


async def export(request: web.Request) -> web.StreamResponse:
    text = await export_kb(request.app[SERVICES])
    await audit(request, "faq:export", "")
    return web.Response(
        text=text,
        content_type="application/toml",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="faq.toml"'},
    )


def register(app: web.Application) -> None:
    app[COUNTS] = Costly(ttl=60.0, large=_large)
    app.router.add_get("/faq", off_loop(faq_list), name="faq")
    app.router.add_get("/faq/try", try_box, name="faq_try")
    app.router.add_get("/faq/new", new_form, name="faq_new")
    app.router.add_post("/faq/new", add, name="faq_add")
    app.router.add_get("/faq/export", export, name="faq_export")
    app.router.add_post("/faq/import", import_kb, name="faq_import")
    app.router.add_post(
        "/faq/learned/{learned_id}/confirm", confirm_learned, name="faq_learned_confirm"
    )
    app.router.add_post(
        "/faq/learned/{learned_id}/remove", remove_learned, name="faq_learned_remove"
    )
    app.router.add_post(
        "/faq/unpicked/{question_id}/teach", teach_unpicked, name="faq_unpicked_teach"
    )
    app.router.add_post(
        "/faq/unpicked/{question_id}/aside", set_unpicked_aside, name="faq_unpicked_aside"
    )
    app.router.add_get("/faq/{entry_id}/edit", edit_form, name="faq_edit_form")
    app.router.add_post("/faq/{entry_id}/edit", edit, name="faq_edit")
    app.router.add_get("/faq/{entry_id}/remove", remove_form, name="faq_remove_form")
    app.router.add_post("/faq/{entry_id}/remove", remove, name="faq_remove")
