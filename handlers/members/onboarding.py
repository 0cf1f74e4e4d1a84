"""`/start`: a guided onboarding in the member's language, one question at a time."""

from __future__ import annotations

from dataclasses import replace

from bot.context import Context
from bot.errors import NoAnswerGiven, NotAnAnswer, UserError
from bot.flows import (
    QUESTION,
    goes_back,
    is_question,
    is_skip_word,
    own_values,
    question_payload,
)
from bot.i18n import LANGUAGES, Markup, t
from bot.messages import Button, Reply, is_choice_mark, names_label
from bot.router import Args, Param, Router, split_command
from handlers.members import topic_examples
from handlers.members.invitations import as_code, claim
from handlers.members.rules import (
    EMAIL_WITHOUT_ENDING,
    declines_answer,
    emphasis_marks,
    is_given,
    parse_contact,
    parse_language,
    parse_name,
    parse_yes_no,
    read_organisation,
    read_topics,
    role_as_shown,
    says_dont_know,
    says_no_organisation,
)
from handlers.members.saved import saved_line
from storage import conversations, event_store, members
from storage.models import Member

FLOW = "onboarding"
PROFILE_FLOW = "profile"
# The order of questions; yes/no steps are answered by buttons or by typing yes/no. The contact
# for introductions is asked only of members who allow partner requests, and may be skipped.
TEXT_STEPS = ("organisation", "role", "topics")
YES_NO_STEPS = {"consent": "partner_consent", "news": "news_subscribed", "yp": "young_professional"}
STEP_FIELDS = {**{step: step for step in (*TEXT_STEPS, "contact")}, **YES_NO_STEPS}
ORDER = ("language", *TEXT_STEPS, "consent", "contact", "news", "yp")

# A contact refused in the sign-up, in the words that name its skip button.
ONBOARDING_KEYS = {EMAIL_WITHOUT_ENDING: "onboarding.email_without_ending"}


def marks_note(ctx: Context, typed: str, stored: str) -> str:
    """What was stored when markdown around words was taken away ("*Magnet AG*"), or ""."""
    marks = emphasis_marks(typed)
    if not marks:
        return ""
    return ctx.t("members.marks_left_out", value=stored, marks=" ".join(marks))


def joined_notes(*notes: str) -> str:
    """Notes said before a confirmation or the next question, one a line."""
    return Markup("\n".join(note for note in notes if note))


# A button's value keeping the answer given before (never typed: typed text is an answer).
KEEP = "keep"


def previous_step(step: str, partner_consent: bool) -> str:
    """The question before `step` (the contact only when partner requests are allowed)."""
    index = max(ORDER.index(step) - 1, 0)
    if ORDER[index] == "contact" and not partner_consent:
        index -= 1
    return ORDER[index]


def next_step(step: str, fields: dict[str, object]) -> str | None:
    index = ORDER.index(step)
    following = ORDER[index + 1] if index + 1 < len(ORDER) else None
    if following == "contact" and not fields.get("partner_consent"):
        return next_step("contact", fields)
    return following


def yes_no_buttons(ctx: Context, step: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(ctx.t("common.yes"), f"ob:{step}:1"),
            Button(ctx.t("common.no"), f"ob:{step}:0"),
        ),
    )


def first_open(member: Member, step: str) -> str | None:
    """`step`, or the first question after it still open when answers were given before the
    registration got there (a partner search asks for the organisation; a registration broken
    off keeps its answers, yes/no ones included; `/neuigkeiten ja` typed meanwhile): what is
    known is not asked again. None when every question after `step` is answered."""
    following: str | None = step
    while following is not None and following != "language":
        if not is_given(member, STEP_FIELDS.get(following, following)):
            break
        following = next_step(following, {"partner_consent": member.partner_consent})
    return following


def skips_contact(typed: str) -> bool:
    """A typed skip word ("überspringen", "Skip", "keine", "-") or the words of the contact
    question's skip button in either language ("Kontakt entfernen", "Remove contact")."""
    labels = [
        t(lang, key)
        for lang in LANGUAGES
        for key in ("onboarding.skip_contact", "onboarding.remove_contact")
    ]
    return is_skip_word(typed) or names_label(typed, labels)


def question(ctx: Context, step: str, *, again: bool = False) -> Reply:
    """The question of `step`, with its buttons; `again`: not the first one of a sign-up
    (no welcome). A question answered before ("zurück", a profile change) says the answer
    given, and a written one can be kept with a button instead of typed again."""
    if step == "language":
        buttons = ((Button("Deutsch", "ob:language:de"), Button("English", "ob:language:en")),)
        welcome = not (ctx.member.onboarded or again)
        key = "onboarding.welcome" if welcome else "onboarding.ask_language"
        return Reply(text=ctx.t(key), buttons=buttons)
    given = _given(ctx, step)
    text = ctx.t(f"onboarding.ask_{step}")
    if given:
        text = Markup(f"{text}\n{ctx.t('onboarding.so_far', value=given)}")
    keep = (Button(ctx.t("onboarding.keep"), f"ob:{step}:{KEEP}"),) if given else ()
    if step in TEXT_STEPS:
        return Reply(text, buttons=(keep,) if keep else ())
    if step == "contact":
        if keep and ctx.member.onboarded:
            return Reply(text, buttons=(keep,))  # skipping keeps a profile's contact too
        # Skipping gives none: beside a contact given before ("zurück"), that removes it.
        label = ctx.t("onboarding.remove_contact" if keep else "onboarding.skip_contact")
        skip = (Button(label, "ob:contact:-"),)
        return Reply(text, buttons=(keep, skip) if keep else (skip,))
    return Reply(text, buttons=yes_no_buttons(ctx, step))


def _given(ctx: Context, step: str) -> str:
    """The answer the member gave to `step` before, as shown to them; "" when none."""
    field = STEP_FIELDS[step]
    if not is_given(ctx.member, field):
        return ""
    value = getattr(ctx.member, field)
    if isinstance(value, bool):
        return ctx.t("common.yes" if value else "common.no")
    if isinstance(value, list):
        return "; ".join(value)
    return str(value or "")


async def ask(
    ctx: Context, step: str, *, only: bool = False, intro: str = "", again: bool = False
) -> None:
    """Ask `step`; `only`: that one answer changes the profile, then the flow ends; `intro`
    comes before the question (shown again by /start without it); `again`: asked before
    (no welcome)."""
    # A member with a profile is changing it, not signing up: the flow is named for that.
    flow = PROFILE_FLOW if ctx.member.onboarded else FLOW
    await ctx.ask(flow, step, {"only": True} if only else None)
    if step == "topics":
        await topic_examples.refresh(ctx.services)
    asked = question(ctx, step, again=again or bool(intro))
    if not intro:
        await ctx.reply(asked)
        return
    await ctx.reply(replace(asked, text=Markup(f"{intro}\n\n{asked.text}")))
    async with ctx.db.session() as session:
        await conversations.update_data(
            session, member_id=ctx.member.id, **{QUESTION: question_payload(asked, ctx.lang)}
        )


async def answer(ctx: Context, step: str, value: str, *, only: bool = False) -> None:
    """Store the answer to `step` and ask the next question (or finish)."""
    fields: dict[str, object]
    note = ""
    if goes_back(value) and not only:
        await ask(ctx, previous_step(step, ctx.member.partner_consent))
        return
    if step == "contact" and skips_contact(value):
        # Typed as the skip button's words, even after /profil or a question asked meanwhile
        # left that button behind: what the button does ("überspringen", "skip", "keine").
        value = "-"
    if step in ("organisation", "role") and (
        declines_answer(value) or (step == "organisation" and says_no_organisation(value))
    ):
        # "erstmal nicht", "skip", "keine Firma": left empty (a profile change keeps what it
        # had), never stored as typed; said so with the command that sets it later.
        fields = {} if ctx.member.onboarded else {step: ""}
        note = ctx.t(f"onboarding.skipped_{step}", command=ctx.command(step))
        await _go_on(ctx, step, fields, only, note=note)
        return
    if step in TEXT_STEPS and says_dont_know(value):
        raise NoAnswerGiven(f"onboarding.dont_know_{step}")
    if step in (*TEXT_STEPS, "contact") and is_choice_mark(value):
        # "1" where no buttons are shown (or an older message's): it pressed nothing, and it
        # names no organisation, role or topic either.
        raise NotAnAnswer("errors.no_such_choice_here", choice=value.strip()[:40])
    if step in TEXT_STEPS and not any(ch.isalnum() for ch in value):
        raise NotAnAnswer("onboarding.expects_words")  # "😀", "-" or "?" names no organisation
    if step in (*TEXT_STEPS, "contact") and is_question(value):
        raise NotAnAnswer("onboarding.expects_text")  # a question, not a name or a topic
    if step in (*TEXT_STEPS, "contact") and await ctx.services.router.claimed(ctx, value):
        # A partner search ("Wir suchen ein Labor für …"): taken as one, as a question is.
        raise NotAnAnswer("onboarding.expects_text")
    if step == "language":
        language = parse_language(value)
        if language is None:
            raise NotAnAnswer("onboarding.expects_language")
        fields = {"language": language}
        ctx.member.language = language
    elif step == "contact" and value == "-":
        # Skipped: a new member gives none; one changing the profile keeps the one they gave.
        fields = {} if ctx.member.onboarded else {"contact": ""}
    elif step == "contact":
        try:
            fields = {"contact": parse_contact(value)}
        except NotAnAnswer as error:  # no question, no search (above): a contact mistyped
            # the sign-up's words name the skip button beside the question
            key = ONBOARDING_KEYS.get(error.key, error.key)
            raise NoAnswerGiven(key, **error.values) from None
    elif step == "topics":
        topics = read_topics(value)
        fields = {"topics": topics.kept}
        if topics.left_out:  # "🔋🔋🔋" names no topic: said, not stored
            note = ctx.t("members.topics_left_out", items="; ".join(topics.left_out))
        note = joined_notes(note, marks_note(ctx, value, "; ".join(topics.kept)))
    elif step == "organisation":
        # "ja" is no organisation's name; "*Magnet AG*" is stored as its words, and said so;
        # "ich bin bei schrott meyer gmbh, einkauf": the name, and the role beside it, said so
        read = read_organisation(value)
        fields = {"organisation": read.name}
        if read.role and not only:
            fields["role"] = read.role
        note = marks_note(ctx, value, read.name)
        if read.taken_out:
            note = joined_notes(note, _taken_out_note(ctx, read.name, str(fields.get("role", ""))))
    elif step in TEXT_STEPS:
        name = role_as_shown(value) if step == "role" else parse_name(value)
        fields = {step: name}
        note = marks_note(ctx, value, name)
    else:
        fields = {YES_NO_STEPS[step]: parse_yes_no(value)}
    await _go_on(ctx, step, fields, only, note=note)


def _taken_out_note(ctx: Context, organisation: str, role: str) -> str:
    """ "Eingetragen: Organisation „Schrott Meyer GmbH“, Rolle „Einkauf“" and how to change it."""
    if role:
        return ctx.t(
            "onboarding.organisation_and_role_read",
            organisation=organisation,
            role=role,
            command=ctx.command("organisation"),
            role_command=ctx.command("role"),
        )
    return ctx.t(
        "onboarding.organisation_read",
        organisation=organisation,
        command=ctx.command("organisation"),
    )


async def _go_on(
    ctx: Context, step: str, fields: dict[str, object], only: bool, *, note: str = ""
) -> None:
    """Store `fields` answered at `step` and ask the next question (or finish); `note` (what
    of the answer was left out) comes first."""
    before = ctx.member
    if fields:
        async with ctx.db.session() as session:
            await members.answer_fields(session, member_id=ctx.member.id, **fields)
            fresh = await members.get_member(session, ctx.member.id)
        if fresh is not None:
            ctx.member = fresh
    following = None if only else next_step(step, fields)
    if following is not None and not ctx.member.onboarded:
        # On past what was answered before (/neuigkeiten typed meanwhile, a registration
        # broken off, /start again): what is known is not asked again. "zurück" still asks it.
        following = first_open(ctx.member, following)
    if following == "yp" and not await asks_young_professionals(ctx):
        following = None  # the last question: the registration ends
    if following is not None:
        await ask(ctx, following, intro=note)
        return
    if note:
        await ctx.reply(note)
    if only:
        await ctx.end_flow(PROFILE_FLOW if ctx.member.onboarded else FLOW)
        # "Sprache ändern" and the like: what is saved, as /sprache en says it
        if len(fields) == 1:
            await ctx.reply(saved_line(ctx, *next(iter(fields.items()))))
        else:
            await ctx.say("profile.saved")
        await ctx.services.router.profile_changed(ctx, before if before.onboarded else None)
        return
    changed = ctx.member.onboarded  # a profile change, not a sign-up
    async with ctx.db.session() as session:
        await members.update_member(session, member_id=ctx.member.id, onboarded=True)
        await conversations.clear(session, member_id=ctx.member.id)
    done = ctx.t("onboarding.updated" if changed else "onboarding.done")
    if ctx.is_admin:  # members never hear of the admins' help
        done = Markup(f"{done}\n{ctx.t('help.admin_more')}")
    await ctx.reply(done)
    if not changed:  # registered just now: what waits for a young professional, say
        await ctx.services.router.profile_changed(ctx, None)


async def asks_young_professionals(ctx: Context) -> bool:
    """Whether the registration asks if the member is a young professional: only where the
    network has something for them (REWIMET's programme, a young professionals' group or
    room, an event or series for them, a member who is one); elsewhere the question only
    puzzles. `/youngpro yes` works everywhere."""
    settings = ctx.services.settings
    if (
        settings.network.is_rewimet
        or settings.telegram.young_professionals_chat is not None
        or settings.matrix.young_professionals_room
    ):
        return True
    async with ctx.db.read() as session:
        return await event_store.has_young_professionals(session, besides=ctx.member.id)


async def welcome_back(ctx: Context) -> None:
    """/start of a member with a profile: welcomed back in their language with what they can
    do, and a tap to change the profile or the language (never asked the language again)."""
    buttons = (
        (
            Button(ctx.t("onboarding.change_profile"), "ob:again:organisation"),
            Button(ctx.t("onboarding.change_language"), "ob:again:language"),
        ),
    )
    lines: list[str] = [ctx.t("onboarding.already", organisation=ctx.member.organisation or "–")]
    if ctx.is_admin:  # members never hear of the admins' help
        lines.append(ctx.t("help.admin_more"))
    lines.extend(await ctx.services.router.waiting_lines(ctx))
    await ctx.reply(Reply(Markup("\n".join(lines)), buttons))


async def ask_again(ctx: Context, step: str, data: dict[str, object]) -> bool:
    """The registration's or profile change's step asked anew in the member's language now
    (/start after /language), its buttons with it; what was answered stays. A language chosen
    meanwhile by /sprache answers the registration's first question: on at the first open one."""
    if step not in ORDER:
        return False
    if step == "language" and "language" in ctx.member.answered and not data.get("only"):
        step = first_open(ctx.member, "organisation") or step
    await ask(ctx, step, only=bool(data.get("only")), again=True)
    return True


def register(router: Router) -> None:
    @router.command("start", help_key="help.start", group="profile", order=2, private_only=True)
    async def start(ctx: Context, _args: Args) -> None:
        # Telegram's start link of an invitation sends `/start CODE` (no declared argument:
        # /help shows plain /start); any other word after it is no invitation and ignored.
        said = split_command(ctx.incoming.text)
        code = as_code(said[1].split(" ", 1)[0]) if said and said[1] else None
        if code is not None:
            await claim(ctx, code)
            return
        if ctx.member.onboarded:  # a profile exists: offer to change it, not a second sign-up
            await welcome_back(ctx)
            return
        member = ctx.member
        chosen = "language" in member.answered  # /sprache, or the registration's first answer
        begun = (
            first_open(member, "organisation")
            if chosen or (member.organisation and member.role)
            else None
        )
        if begun is not None:
            # A registration broken off (/abbrechen), or a language chosen before: on at its
            # first open question, as /abbrechen said, not from the language again.
            intro = "onboarding.welcome_known"
            if member.organisation:
                intro = "flows.onboarding.resumed"
            await ask(ctx, begun, intro=ctx.t(intro))
            return
        await ask(ctx, "language")

    @router.command(
        "cancel",
        help_key="help.cancel",
        group="questions",
        order=4,
        params=(Param("what", required=False, shown=False),),
        german="abbrechen",
    )
    async def cancel(ctx: Context, args: Args) -> None:
        """End what the member is in and say by name what that dropped (a draft) or kept (the
        registration stores each answer as it comes); with nothing asked, what a feature keeps
        open beside (a partner search's preview) is dropped and named. With nothing open at
        all, "/abbrechen 1" meant a sign-up: /abmelden 1 is offered."""
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        if pending is None:
            said = await ctx.services.router.discard(ctx, None, None)
        else:
            data = own_values(pending.data)
            said = await ctx.services.router.discard(ctx, pending.flow, data)
        await ctx.end_flow()
        if pending is None and not said and args.has("what"):
            meant = f"leave {args.text('what')}"
            shown = " ".join(f"{ctx.command('leave')} {args.text('what')}".split())
            await ctx.offer_command(ctx.t("common.nothing_to_cancel_leave", command=shown), meant)
            return
        await ctx.reply(Markup("\n".join(said)) if said else ctx.t("common.cancelled"))
        await ctx.come_back()  # a registration that waited under what was cancelled

    async def on_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        step = str(state["step"])
        await answer(ctx, step, text, only=bool(state.get("only")))

    # The registration stays: a partner search (or any flow) asked beside it keeps it waiting
    # underneath, and it goes on when that is over (bot/flows.py).
    router.step(FLOW, texts="flows.onboarding", resume="start", stays=True)(on_text)

    @router.come_back(FLOW)
    async def come_back(ctx: Context, show: bool) -> None:
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        if pending is None or pending.flow != FLOW or ctx.member.onboarded:
            return
        # Every question after it answered meanwhile (a yes/no by its command, the language by
        # /sprache): the first open one is asked.
        step = pending.step
        if step == "language" and "language" in ctx.member.answered:
            step = first_open(ctx.member, "organisation") or step
        step = first_open(ctx.member, step) or step
        if show:
            await ask(ctx, step, intro=ctx.t("flows.onboarding.resumed"))
        elif step != pending.step:
            # Answered meanwhile (the organisation a partner search asked for): the step
            # waits at the next open question, which /start shows.
            # (still told that it waits, and with what waits under it in turn)
            data = {**pending.data, QUESTION: question_payload(question(ctx, step), ctx.lang)}
            async with ctx.db.session() as session:
                await conversations.put(
                    session, member_id=ctx.member.id, flow=FLOW, step=step, data=data
                )

    # A profile change stays too, as the registration does: a partner search typed as the
    # organisation keeps it waiting until the search's preview is answered.
    router.step(PROFILE_FLOW, texts="flows.profile", resume="start", stays=True)(on_text)
    router.ask_again(FLOW)(ask_again)
    router.ask_again(PROFILE_FLOW)(ask_again)

    @router.button("ob")
    async def on_button(ctx: Context, parts: list[str]) -> None:
        if len(parts) != 2:
            raise UserError("errors.stale_button")
        step, value = parts
        if step == "again" and value in ("organisation", "language"):
            # Change the profile: the questions again from the organisation, or the language.
            await ask(ctx, value, only=value == "language")
            return
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        # A button from an earlier question (or an old onboarding) must not act twice.
        if pending is None or pending.flow not in (FLOW, PROFILE_FLOW) or pending.step != step:
            raise UserError("errors.stale_button")
        only = bool(pending.data.get("only"))
        if value == KEEP and step in (*TEXT_STEPS, "contact"):
            await _go_on(ctx, step, {}, only)  # "Beibehalten": the answer given stays
            return
        await answer(ctx, step, value, only=only)
