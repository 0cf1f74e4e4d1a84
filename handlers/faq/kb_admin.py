"""The knowledge base in chat: `/faq` for all; `/faq_add`, `/faq_edit`, `/faq_remove` for admins.

`/faq_add` is a guided conversation (flow `faq_add`); `/faq_edit ID FIELD VALUE` is a one-line
form, and `/faq_edit ID` offers the fields as buttons and asks for the value (flow `faq_edit`).
Every change bumps the KB revision and rebuilds this process's index at once.
"""

from __future__ import annotations

from bot.context import Context
from bot.errors import UserError
from bot.i18n import Markup
from bot.messages import Button, Reply, escape, shorten
from bot.router import Args, Param, Router
from bot.services import Services
from handlers import audit
from handlers.faq.kb_format import FaqEntry, InvalidEntry
from handlers.faq.rules import (
    EDIT_FIELDS,
    MAX_ANSWER_CHARS,
    MAX_LABEL_CHARS,
    answer_in,
    clean_text,
    edit_field,
    fields_name,
    normalise_id,
    row_to_fields,
    split_list,
    title_in,
    topic_label,
    validate,
)
from handlers.faq.service import faq_service
from storage import faq
from storage.faq import EntryFields

ADD_FLOW = "faq_add"
EDIT_FLOW = "faq_edit"
ADD_STEPS = ("id", "qde", "ade", "qen", "aen", "tags")
LIST_LIMIT = 40
DETAIL_CHARS = 600
FIELD_LABELS = {
    "qde": "faq.field_qde",
    "+qde": "faq.field_qde_add",
    "ade": "faq.field_ade",
    "qen": "faq.field_qen",
    "+qen": "faq.field_qen_add",
    "aen": "faq.field_aen",
    "tags": "faq.field_tags",
}


# ---------------------------------------------------------------- /faq


async def list_topics(ctx: Context) -> None:
    snapshot = await faq_service(ctx.services).snapshot(fresh=True)
    if not snapshot.entries:
        await ctx.say("faq.list_empty")
        return
    # Members see each topic by its title in their language, as a button; the entry ids are
    # the admins' handles for /faq_edit and stay with them.
    entries = sorted(snapshot.entries.values(), key=lambda e: title_in(e, ctx.lang).casefold())
    shown = entries[:LIST_LIMIT]
    lines = [ctx.t("faq.list_title")]
    if ctx.is_admin:
        for entry in shown:
            title = topic_label(entry, ctx.lang)
            lines.append(ctx.t("faq.list_line", title=title, id=entry.id))
    if len(entries) > LIST_LIMIT:
        lines.append(ctx.t("faq.list_more", count=len(entries) - LIST_LIMIT))
    lines.append(ctx.t("faq.list_hint_admin" if ctx.is_admin else "faq.list_hint"))
    buttons = tuple((Button(topic_label(entry, ctx.lang), f"faq:t:{entry.id}"),) for entry in shown)
    await ctx.reply(Reply(text=Markup("\n".join(lines)), buttons=() if ctx.is_admin else buttons))


def render_entry(ctx: Context, entry: FaqEntry) -> Markup:
    """An entry as shown by `/faq ID`: the answer; for admins phrasings, answers and tags.

    Cut so that even a large entry fits in one message (Telegram: 4096 characters).
    """
    title = title_in(entry, ctx.lang)
    if not ctx.is_admin:
        text, used = answer_in(entry, ctx.lang)
        shown = ctx.t("faq.answer", title=title, answer=text)
        if used != ctx.lang:  # as the bot's own answer says it
            shown = Markup(shown + "\n\n" + ctx.t("faq.only_other_language"))
        return shown
    parts = [ctx.t("faq.entry_title", title=shorten(title, MAX_LABEL_CHARS))]
    for lang in ("de", "en"):
        phrasings = " | ".join(entry.questions.get(lang, ())) or "-"
        parts.append(
            ctx.t(
                "faq.entry_details",
                language=lang.upper(),
                questions=shorten(phrasings, DETAIL_CHARS),
                answer=shorten(entry.answers.get(lang, "-"), DETAIL_CHARS * 2),
            )
        )
    tags = shorten(", ".join(entry.tags) or "-", DETAIL_CHARS)
    parts.append(ctx.t("faq.entry_tags", id=entry.id, tags=tags))
    return Markup("\n\n".join(parts))


async def show_entry(ctx: Context, raw_id: str) -> None:
    entry_id = normalise_id(raw_id) or raw_id[:60]
    snapshot = await faq_service(ctx.services).snapshot(fresh=True)
    entry = snapshot.entries.get(entry_id)
    if entry is None:
        raise UserError("faq.unknown_entry", id=entry_id)
    await ctx.reply(render_entry(ctx, entry))


# ---------------------------------------------------------------- saving


async def store_entry(services: Services, fields: EntryFields, *, new: bool) -> EntryFields:
    """Validate and store an entry, bump the revision, rebuild the index (chat and web).

    Raises `InvalidEntry` (naming the field), or `UserError` `faq.id_taken` for a new entry
    whose id is used and `faq.unknown_entry` for an edit of one that is gone.
    """
    checked = validate(fields)
    async with services.db.session() as session:
        exists = await faq.get_entry(session, checked.id, for_update=True) is not None
        if new and exists:
            raise UserError("faq.id_taken", id=checked.id)
        if not new and not exists:
            raise UserError("faq.unknown_entry", id=checked.id)
        if await faq.upsert_entry(session, checked) != "unchanged":
            await faq.bump_revision(session)
    await faq_service(services).snapshot(fresh=True)
    return checked


async def remove_entry(services: Services, entry_id: str) -> bool:
    """Remove an entry, bump the revision, rebuild the index; False if there was none."""
    async with services.db.session() as session:
        removed = await faq.delete_entry(session, entry_id)
        if removed:
            await faq.bump_revision(session)
    if removed:
        await faq_service(services).snapshot(fresh=True)
    return removed


async def all_entries(services: Services) -> list[EntryFields]:
    """Every entry as stored, by id."""
    async with services.db.read() as session:
        return [row_to_fields(row) for row in await faq.list_entries(session)]


async def find_entry(services: Services, entry_id: str) -> EntryFields | None:
    async with services.db.read() as session:
        row = await faq.get_entry(session, entry_id)
    return row_to_fields(row) if row is not None else None


async def save(ctx: Context, fields: EntryFields, *, new: bool, action: str) -> None:
    """Validate and store an entry, bump the revision, rebuild the index, audit."""
    try:
        checked = await store_entry(ctx.services, fields, new=new)
    except InvalidEntry as problem:
        raise entry_problem(ctx, problem) from problem
    await ctx.audit(action, detail=audit.detail("audit.faq_entry", entry=checked.id))


def entry_problem(ctx: Context, problem: InvalidEntry) -> UserError:
    """What is wrong with an entry, in the admin's words, naming the field."""
    return UserError(problem.key, field=ctx.t(f"faq.name_{problem.field}"), **problem.values)


async def load_fields(ctx: Context, raw_id: str) -> EntryFields:
    entry_id = normalise_id(raw_id) or raw_id[:60]
    async with ctx.db.session() as session:
        row = await faq.get_entry(session, entry_id)
    if row is None:
        raise UserError("faq.unknown_entry", id=entry_id)
    return row_to_fields(row)


# ---------------------------------------------------------------- /faq_add


async def _require_admin_in_flow(ctx: Context, flow: str, action: str) -> None:
    """Someone demoted in the middle of a conversation (`flow`) leaves it, refused."""
    if not ctx.is_admin:
        await ctx.end_flow(flow)
    await ctx.require_admin(action)


async def ask_add(ctx: Context, step: str, data: dict[str, object]) -> None:
    await ctx.ask(ADD_FLOW, step, data)
    await ctx.say(f"faq.add_{step}")


async def ask_again(ctx: Context, step: str, data: dict[str, object]) -> bool:
    """The new entry's question asked anew in the admin's language now (/language
    meanwhile), what was answered kept."""
    if step not in ADD_STEPS:
        return False
    await ask_add(ctx, step, data)
    return True


def _answer_value(text: str) -> str:
    if text.strip() == "-":
        return ""
    if len(text) > MAX_ANSWER_CHARS:
        raise UserError("errors.field_too_long", limit=MAX_ANSWER_CHARS)
    return clean_text(text, limit=MAX_ANSWER_CHARS, keep_lines=True)


async def add_step(ctx: Context, text: str, data: dict[str, object]) -> None:
    """One answer in the `/faq_add` conversation; a bad value asks the same question again."""
    await _require_admin_in_flow(ctx, ADD_FLOW, "flow:faq_add")
    step = str(data.pop("step", "id"))
    if step == "id":
        entry_id = normalise_id(text)
        if entry_id is None:
            await ctx.say("faq.bad_id", id=text[:60])
            await ask_add(ctx, "id", data)
            return
        async with ctx.db.session() as session:
            taken = await faq.get_entry(session, entry_id) is not None
        if taken:
            await ctx.say("faq.id_taken", id=entry_id)
            await ask_add(ctx, "id", data)
            return
        data["id"] = entry_id
    elif step in ("qde", "qen", "tags"):
        data[step] = split_list(text)
    elif step in ("ade", "aen"):
        data[step] = _answer_value(text)
    following = ADD_STEPS.index(step) + 1 if step in ADD_STEPS else len(ADD_STEPS)
    if data.pop("fixing", False):
        following = len(ADD_STEPS)  # the one field asked again: everything else is answered
    if following < len(ADD_STEPS):
        await ask_add(ctx, ADD_STEPS[following], data)
        return
    fields = EntryFields(
        id=str(data.get("id", "")),
        tags=_strings(data.get("tags")),
        questions_de=_strings(data.get("qde")),
        questions_en=_strings(data.get("qen")),
        answer_de=str(data.get("ade", "")),
        answer_en=str(data.get("aen", "")),
    )
    try:
        validate(fields)
    except InvalidEntry as problem:
        # Keep every answer given so far and ask again for the one field that does not fit.
        error = entry_problem(ctx, problem)
        await ctx.say(error.key, **error.values)
        await ask_add(ctx, problem.field, {**data, "fixing": True})
        return
    await ctx.end_flow(ADD_FLOW)
    await save(ctx, fields, new=True, action="faq:add")
    await ctx.say("faq.added", entry=fields_name(fields))


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


# ---------------------------------------------------------------- /faq_edit and /faq_remove


async def edit(ctx: Context, raw_id: str, field: str, value: str) -> None:
    fields = await load_fields(ctx, raw_id)
    if not field:
        buttons = tuple(
            tuple(Button(ctx.t(FIELD_LABELS[name]), f"faqa:e:{fields.id}:{name}") for name in row)
            for row in (("qde", "+qde", "ade"), ("qen", "+qen", "aen"), ("tags",))
        )
        snapshot = await faq_service(ctx.services).snapshot(fresh=True)
        entry = snapshot.entries.get(fields.id)
        shown = render_entry(ctx, entry) if entry is not None else escape(fields.id)
        await ctx.reply(
            Reply(text=Markup(shown + "\n\n" + ctx.t("faq.edit_pick")), buttons=buttons)
        )
        return
    if field not in EDIT_FIELDS:
        raise UserError("faq.bad_field", fields=", ".join(EDIT_FIELDS))
    if not value:
        await ask_value(ctx, fields, field)
        return
    if field in ("ade", "aen"):
        value = _answer_value(value) or "-"
    changed = edit_field(fields, field, value)
    await save(ctx, changed, new=False, action="faq:edit")
    await ctx.say("faq.edited", entry=fields_name(changed), field=field)


async def ask_value(ctx: Context, fields: EntryFields, field: str) -> None:
    """The new text of one field of an entry."""
    await ctx.ask(EDIT_FLOW, "value", {"id": fields.id, "field": field})
    await ctx.say("faq.edit_ask", field=field, entry=fields_name(fields))


async def ask_value_again(ctx: Context, _step: str, data: dict[str, object]) -> bool:
    """The field's new text asked anew in the admin's language now (/language meanwhile)."""
    try:
        fields = await load_fields(ctx, str(data.get("id", "")))
    except UserError:
        return False  # removed meanwhile: its question as it was asked
    await ask_value(ctx, fields, str(data.get("field", "")))
    return True


async def edit_step(ctx: Context, text: str, data: dict[str, object]) -> None:
    await _require_admin_in_flow(ctx, EDIT_FLOW, "flow:faq_edit")
    await ctx.end_flow(EDIT_FLOW)
    await edit(ctx, str(data.get("id", "")), str(data.get("field", "")), text)


async def remove(ctx: Context, entry_id: str) -> None:
    fields = await load_fields(ctx, entry_id)  # named by its question, which goes with it
    if not await remove_entry(ctx.services, fields.id):
        raise UserError("faq.unknown_entry", id=entry_id)
    await ctx.say("faq.removed", entry=fields_name(fields))


def register(router: Router) -> None:
    @router.command(
        "faq",
        help_key="faq.help_faq",
        group="questions",
        order=1,
        featured=True,
        german="fragen",
        params=(Param("id", "word", False),),
    )
    async def faq_command(ctx: Context, args: Args) -> None:
        """The topics the bot can answer, or one entry."""
        if args.has("id"):
            await show_entry(ctx, args.text("id"))
        else:
            await list_topics(ctx)

    @router.command(
        "faq_add",
        help_key="faq.help_add",
        group="knowledge",
        order=4,
        admin=True,
        german="neuereintrag",
        params=(Param("id", "word", False),),
    )
    async def faq_add(ctx: Context, args: Args) -> None:
        """Start the guided conversation for a new entry."""
        if args.has("id"):
            await add_step(ctx, args.text("id"), {"step": "id"})
        else:
            await ask_add(ctx, "id", {})

    @router.command(
        "faq_edit",
        help_key="faq.help_edit",
        group="knowledge",
        order=5,
        admin=True,
        german="eintragaendern",
        params=(Param("id", "word"), Param("field", "word", False), Param("value", "text", False)),
    )
    async def faq_edit(ctx: Context, args: Args) -> None:
        """Change one field of an entry."""
        await edit(ctx, args.text("id"), args.text("field").lower(), args.text("value"))

    @router.command(
        "faq_remove",
        help_key="faq.help_remove",
        group="knowledge",
        order=6,
        admin=True,
        german="eintragloeschen",
        params=(Param("id", "word"),),
    )
    async def faq_remove(ctx: Context, args: Args) -> None:
        """Ask before removing an entry."""
        fields = await load_fields(ctx, args.text("id"))
        buttons = (
            (
                Button(ctx.t("faq.remove_yes"), f"faqa:rm:{fields.id}"),
                Button(ctx.t("common.no"), "faqa:keep"),
            ),
        )
        confirm = ctx.t("faq.remove_confirm", entry=fields_name(fields))
        await ctx.reply(Reply(confirm, buttons=buttons))

    @router.button("faqa", admin=True)
    async def admin_button(ctx: Context, args: list[str]) -> None:
        action, rest = (args[0], args[1:]) if args else ("", [])
        if action == "rm" and len(rest) == 1:
            await remove(ctx, rest[0])
        elif action == "e" and len(rest) == 2:
            await edit(ctx, rest[0], rest[1], "")
        elif action == "keep":
            await ctx.say("common.cancelled")
        else:
            raise UserError("errors.stale_button")

    router.step(ADD_FLOW, texts="flows.faq_entry")(add_step)
    router.step(EDIT_FLOW, texts="flows.faq_entry")(edit_step)
    router.ask_again(ADD_FLOW)(ask_again)
    router.ask_again(EDIT_FLOW)(ask_value_again)
