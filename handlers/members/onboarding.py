"""`/start`: a guided onboarding in the member's language, one question at a time."""

from __future__ import annotations

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.flows import is_question
from bot.i18n import Markup
from bot.messages import Button, Reply
from bot.router import Args, Router
from handlers.members.rules import clean_field, parse_contact, parse_topics, parse_yes_no
from storage import conversations, members

FLOW = "onboarding"
PROFILE_FLOW = "profile"
# The order of questions; yes/no steps are answered by buttons or by typing yes/no. The contact
# for introductions is asked only of members who allow partner requests, and may be skipped.
TEXT_STEPS = ("organisation", "role", "topics")
YES_NO_STEPS = {"consent": "partner_consent", "news": "news_subscribed", "yp": "young_professional"}
ORDER = ("language", *TEXT_STEPS, "consent", "contact", "news", "yp")


# Typed to go back one question, or to say one does not know (not stored as a name).
BACK_WORDS = frozenset({"zurück", "zurueck", "back", "go back", "previous"})
DONT_KNOW = frozenset(
    {"weiß nicht", "weiss nicht", "weiß ich nicht", "keine ahnung", "k. a.", "ka"}
    | {"dunno", "don't know", "dont know", "i don't know", "no idea", "idk", "not sure"}
)


def _typed(value: str) -> str:
    return " ".join(value.casefold().replace("’", "'").strip(" .!?").split())


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


async def ask(ctx: Context, step: str, *, only: bool = False) -> None:
    """Ask `step`; `only`: that one answer changes the profile, then the flow ends."""
    # A member with a profile is changing it, not signing up: the flow is named for that.
    flow = PROFILE_FLOW if ctx.member.onboarded else FLOW
    await ctx.ask(flow, step, {"only": True} if only else None)
    if step == "language":
        buttons = ((Button("Deutsch", "ob:language:de"), Button("English", "ob:language:en")),)
        key = "onboarding.ask_language" if ctx.member.onboarded else "onboarding.welcome"
        await ctx.reply(Reply(text=ctx.t(key), buttons=buttons))
    elif step in TEXT_STEPS:
        await ctx.say(f"onboarding.ask_{step}")
    elif step == "contact":
        skip = ((Button(ctx.t("onboarding.skip_contact"), "ob:contact:-"),),)
        await ctx.reply(Reply(ctx.t("onboarding.ask_contact"), buttons=skip))
    else:
        await ctx.reply(Reply(ctx.t(f"onboarding.ask_{step}"), buttons=yes_no_buttons(ctx, step)))


async def answer(ctx: Context, step: str, value: str, *, only: bool = False) -> None:
    """Store the answer to `step` and ask the next question (or finish)."""
    fields: dict[str, object]
    if _typed(value) in BACK_WORDS and not only:
        await ask(ctx, previous_step(step, ctx.member.partner_consent))
        return
    if step in TEXT_STEPS and _typed(value) in DONT_KNOW:
        raise NotAnAnswer(f"onboarding.dont_know_{step}")
    if step in (*TEXT_STEPS, "contact") and is_question(value):
        raise NotAnAnswer("onboarding.expects_text")  # a question, not a name or a topic
    if step in TEXT_STEPS and not any(ch.isalnum() for ch in value):
        raise NotAnAnswer("onboarding.expects_words")  # "😀" or "-" names no organisation
    if step == "language":
        if value not in ("de", "en"):
            raise NotAnAnswer("onboarding.expects_language")
        fields = {"language": value}
        ctx.member.language = value
    elif step == "contact" and value == "-":
        # Skipped: a new member gives none; one changing the profile keeps the one they gave.
        fields = {} if ctx.member.onboarded else {"contact": ""}
    elif step == "contact":
        fields = {"contact": parse_contact(value)}
    elif step == "topics":
        fields = {"topics": parse_topics(value)}
    elif step in TEXT_STEPS:
        fields = {step: clean_field(value)}
    else:
        fields = {YES_NO_STEPS[step]: parse_yes_no(value)}
    if fields:
        async with ctx.db.session() as session:
            await members.update_member(session, member_id=ctx.member.id, **fields)
    following = None if only else next_step(step, fields)
    if following is not None:
        await ask(ctx, following)
        return
    if only:
        await ctx.end_flow()
        await ctx.say("profile.saved")
        return
    async with ctx.db.session() as session:
        await members.update_member(session, member_id=ctx.member.id, onboarded=True)
        await conversations.clear(session, member_id=ctx.member.id)
    done = ctx.t("onboarding.done")
    if ctx.is_admin:  # members never hear of the admins' help
        done = Markup(f"{done}\n{ctx.t('help.admin_more')}")
    await ctx.reply(done)


def register(router: Router) -> None:
    @router.command("start", help_key="help.start", group="profile", order=2, private_only=True)
    async def start(ctx: Context, _args: Args) -> None:
        if ctx.member.onboarded:  # a profile exists: offer to change it, not a second sign-up
            buttons = (
                (
                    Button(ctx.t("onboarding.change_profile"), "ob:again:organisation"),
                    Button(ctx.t("onboarding.change_language"), "ob:again:language"),
                ),
            )
            text = ctx.t("onboarding.already", organisation=ctx.member.organisation or "–")
            waiting = await ctx.services.router.waiting_lines(ctx)
            await ctx.reply(Reply(Markup("\n".join([text, *waiting])), buttons))
            return
        await ask(ctx, "language")

    @router.command("cancel", help_key="help.cancel", group="questions", order=3)
    async def cancel(ctx: Context, _args: Args) -> None:
        async with ctx.db.session() as session:
            pending = await conversations.get(session, member_id=ctx.member.id)
        await ctx.end_flow()
        # The sign-up stores each answer as it comes: say that nothing is lost.
        kept = pending is not None and pending.flow in (FLOW, PROFILE_FLOW)
        await ctx.say("onboarding.cancelled" if kept else "common.cancelled")

    async def on_text(ctx: Context, text: str, state: dict[str, object]) -> None:
        step = str(state["step"])
        value = text.strip().lower()[:2] if step == "language" else text
        await answer(ctx, step, value, only=bool(state.get("only")))

    router.step(FLOW, texts="flows.onboarding", resume="start")(on_text)
    router.step(PROFILE_FLOW, texts="flows.profile", resume="start")(on_text)

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
        await answer(ctx, step, value, only=bool(pending.data.get("only")))
