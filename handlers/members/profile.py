"""`/profile` and the commands that change one field each; `/language`."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.context import Context
from bot.errors import NotAnAnswer, UserError
from bot.flows import is_question
from bot.i18n import Markup, t
from bot.messages import Button, Reply
from bot.router import Args, Param, Router
from bot.textmatch.normalize import fold
from bot.textmatch.resources import word_frequencies
from bot.textmatch.stemming import is_stop_word
from handlers.faq.small_talk import small_talk
from handlers.members import topic_examples
from handlers.members.onboarding import (
    PROFILE_FLOW,
    asks_young_professionals,
    joined_notes,
    marks_note,
)
from handlers.members.rules import (
    CONTACT_FORMULA,
    EMAIL_WITHOUT_ENDING,
    LEGAL_FORMS,
    PROFILE_FIELDS,
    asks_for_language,
    change_topics,
    has_person_name,
    is_given,
    open_fields,
    parse_contact,
    parse_language,
    parse_organisation,
    parse_person_name,
    parse_role,
    parse_yes_no,
    says_dont_know,
    topic_change,
    topics_said_to_change,
)
from handlers.members.saved import LANGUAGE_NAMES, saved_line, value_shown
from storage import conversations, members
from storage.models import Member


def render_profile(ctx: Context, *, young_professional: bool = True) -> Markup:
    """The member's profile; `young_professional`: with that line (/profile leaves it out
    where the network has nothing for young professionals and the member is none)."""
    member = ctx.member
    yes, no = ctx.t("common.yes"), ctx.t("common.no")
    shown = ctx.t(
        "profile.show",
        number=member.id,
        name=member.display_name if has_person_name(member) else "–",
        organisation=member.organisation or "–",
        role=member.role or "–",
        topics="; ".join(member.topics) or "–",
        contact=member.contact or "–",
        language=LANGUAGE_NAMES.get(member.language, member.language),
        consent=Markup(yes if member.partner_consent else no),
        news=Markup(yes if member.news_subscribed else no),
    )
    if not young_professional:
        return shown
    line = ctx.t("profile.show_yp", yp=Markup(yes if member.young_professional else no))
    return Markup(f"{shown}\n{line}")


def render_begun(ctx: Context) -> Markup:
    """A profile the registration has not finished: each field the member gave, and what the
    registration still asks (a yes/no at its default is no answer)."""
    member = ctx.member
    named = has_person_name(member)
    given = [
        ctx.t(
            "profile.line",
            field=ctx.t(f"profile.field.{field}"),
            value=value_shown(ctx, field, getattr(member, field)),
        )
        for field in ("display_name", *PROFILE_FIELDS)
        if (named if field == "display_name" else is_given(member, field))
    ]
    missing = [ctx.t(f"profile.field.{field}") for field in open_fields(member)]
    return ctx.t(
        "profile.unfinished" if missing else "profile.unfinished_answered",
        given=Markup("\n".join(given)),
        open=Markup(", ".join(missing)),
    )


def is_begun(member: Member) -> bool:
    """Whether a member without a finished profile gave anything but the language (a name
    for the attendee lists counts: /profile had said there was no profile after saving it)."""
    return has_person_name(member) or any(
        is_given(member, field) for field in PROFILE_FIELDS if field != "language"
    )


async def store(ctx: Context, field: str, value: object) -> None:
    """Store one field of the member; `ctx.member` reads it at once."""
    stops_news = (
        field == "news_subscribed"
        and value is False
        and ctx.member.news_subscribed
        and ctx.member.onboarded
    )
    async with ctx.db.session() as session:
        await members.answer_fields(session, member_id=ctx.member.id, **{field: value})
        if stops_news:  # had them: offered again later, "wieder" (`news_offer`)
            stopped = ctx.services.clock()
            await members.update_member(session, member_id=ctx.member.id, news_stopped_at=stopped)
        fresh = await members.get_member(session, ctx.member.id)
    if fresh is not None:
        ctx.member = fresh


async def save(ctx: Context, field: str, value: object, *, note: str = "") -> None:
    """Store one field of the member and confirm it in one line (the whole profile is
    /profile: on a phone, nine lines after every change hid what had changed); `note`, what
    of the value typed was left out, comes first."""
    before = ctx.member
    await store(ctx, field, value)
    async with ctx.db.session() as session:
        pending = await conversations.get(session, member_id=ctx.member.id)
    if (
        pending is not None
        and pending.flow == PROFILE_FLOW
        and pending.step == field
        and pending.data.get("only")
    ):  # "Sprache ändern" asked just this, and the command answered it
        await ctx.end_flow(PROFILE_FLOW)
    saved = saved_line(ctx, field, value)
    await ctx.reply(Markup(f"{note}\n{saved}") if note else saved)
    await ctx.services.router.profile_changed(ctx, before)


async def save_or_show(
    ctx: Context,
    args: Args,
    field: str,
    command: str,
    param: str,
    parse: Callable[[str], object],
) -> None:
    """Set a field from the command's argument, or say what it holds and how to change it
    when the command came alone."""
    if not args.has(param):
        await show_field(ctx, field, command, param)
        return
    text = args.text(param)
    if param == "text" and field != "contact":
        check_words(ctx, command, text)
    try:
        value = parse(text)
    except NotAnAnswer as error:
        # a command, not a question waiting: say how the command takes the value
        if param == "yes_no":
            raise UserError("profile.yes_no_usage", command=ctx.command(command)) from None
        if field == "contact" and error.key not in (EMAIL_WITHOUT_ENDING, CONTACT_FORMULA):
            raise UserError("profile.contact_invalid") from None
        raise
    note = marks_note(ctx, text, value) if isinstance(value, str) else ""
    await save(ctx, field, value, note=note)


def check_words(ctx: Context, command: str, text: str) -> None:
    """As the registration's questions: "?" or "😀" names no organisation, role or topic, a
    question is asked, "weiß ich nicht" leaves the field empty."""
    if not any(ch.isalnum() for ch in text):
        raise UserError("onboarding.expects_words")
    usage = f"{ctx.command(command)} <{ctx.t('help.param.text')}>"
    if is_question(text):
        raise UserError("profile.value_not_question", usage=usage)
    if says_dont_know(text):
        raise UserError("profile.value_unknown", usage=usage)


async def change_topics_by(ctx: Context, text: str) -> None:
    """`/topics TEXT`: replace, add ("+ A") or remove ("- A"); "+" or "-" alone asks which
    topic, and what of the text names no topic ("🔋🔋🔋") is said to be left out. Removing
    needs no words: a topic stored without any (from before they were needed) can go."""
    sign, rest = topic_change(text)
    command = ctx.command("topics")
    await topic_examples.refresh(ctx.services)  # the texts below may give examples
    if sign and not rest:
        if sign == "+":
            await ctx.say("members.topics_add_what", command=command)
        else:
            shown = "; ".join(ctx.member.topics) or "–"
            await ctx.say("members.topics_remove_what", command=command, topics=shown)
        return
    if sign != "-":
        check_words(ctx, "topics", rest)
    changed = change_topics(ctx.member.topics, text)
    note = ""
    if changed.left_out:
        note = ctx.t("members.topics_left_out", items="; ".join(changed.left_out))
    if sign != "-":  # "*Lithium*" is stored as "Lithium", and said so
        note = joined_notes(note, marks_note(ctx, rest, "; ".join(changed.kept)))
    await save(ctx, "topics", changed.kept, note=note)


async def show_field(ctx: Context, field: str, command: str, param: str) -> None:
    """Say what a field holds now and how to change it (the command given alone)."""
    label = ctx.t(f"profile.field.{field}")
    value = value_shown(ctx, field, getattr(ctx.member, field))
    if field == "display_name" and not has_person_name(ctx.member):
        value = "–"  # only the console's id: no name on the attendee lists
    if param == "yes_no" and not is_given(ctx.member, field):
        # still its default (a registration unfinished, or none yet): no choice to show; the
        # registration asks the young professionals' question only where the network has
        # something for them
        asked = field != "young_professional" or await asks_young_professionals(ctx)
        key = "profile.current_open" if asked else "profile.current_unset"
        await ctx.say(key, field=label, command=ctx.command(command))
        return
    if param == "yes_no":
        await ctx.say(
            "profile.current_field", field=label, value=value, command=ctx.command(command)
        )
        return
    usage = f"{ctx.command(command)} <{ctx.t(f'help.param.{param}')}>"
    if field == "display_name":  # asked for: the name typed next is taken (`name_typed`)
        text = ctx.t("profile.current_value", field=label, value=value, usage=usage)
        later = Button(ctx.t("profile.name_later"), f"{NAME_BUTTON}:later")
        prompt = Markup(f"{text}\n{ctx.t('profile.name_ask')}")
        await ctx.reply(Reply(prompt, buttons=((later,),)))
        return
    if field == "language":  # a tap, as /start offers it, beside the command to type
        text = ctx.t("profile.current_value", field=label, value=value, usage=usage)
        change = Button(ctx.t("onboarding.change_language"), "ob:again:language")
        await ctx.reply(Reply(text, buttons=((change,),)))
        return
    await ctx.say("profile.current_value", field=label, value=value, usage=usage)
    if field == "topics":
        await ctx.say("profile.topics_one_by_one", command=ctx.command(command))


# The sign-up's confirmation asks a member without a name for one (events) with a button
# (`NAME_BUTTON`: "ask"), whose press asks for it (with "later"): a name typed under either is
# taken. (An event's card had been enough, which a member signed up long ago sees as well.)
NAME_BUTTON = "nm"
# "Ja, ich gehöre dazu" under what only young professionals may join: /youngpro ja, pressed.
YOUNG_PRO_BUTTON = "yp"


def young_pro_button(ctx: Context) -> Button:
    return Button(ctx.t("profile.yp_i_am_one"), f"{YOUNG_PRO_BUTTON}:yes")


async def young_pro_pressed(ctx: Context, _parts: list[str]) -> None:
    await save(ctx, "young_professional", True)


# A name typed alone: two to four words of letters ("Anna Beispiel", "Jan-Ole ter Horst"), none
# of them a function word or an everyday word ("Vielen Dank", "alles klar", "gute Nacht");
# one word too where the name was asked for ("Greta").
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")
NAME_WORDS = range(2, 5)
ASKED_NAME_WORDS = range(1, 5)
EVERYDAY_ZIPF = 5.4
# Words that introduce a name and nothing else, wherever they are typed.
_SAYS_NAME = re.compile(
    r"^\W*(?:(?:hallo|hi|hello|also|ok|okay|gern|gerne|sure)\W+)?"
    r"(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|my\s+name\s+is)$",
    re.IGNORECASE,
)
# How a name is introduced ("ich heiße Anna Beispiel", "I'm Anna"): the name follows.
_NAME_LEAD_IN = re.compile(
    r"^\W*(?:(?:hallo|hi|hello|also|ok|okay|gern|gerne|sure)\W+)?"
    r"(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|my\s+name\s+is|i\s*['’]?\s*m|i\s+am|"
    r"(?:you\s+can\s+)?call\s+me)\s+",
    re.IGNORECASE,
)


def typed_name(text: str, *, asked: bool = False) -> str | None:
    """The person's name in a message that is nothing else ("Anna Beispiel", "ich heiße Anna
    Beispiel"); `asked`: the name was asked for, one word will do. None when it is no name."""
    lead_in = _NAME_LEAD_IN.match(text)
    name = text[lead_in.end() :].strip(" .!") if lead_in else text.strip()
    words = ASKED_NAME_WORDS if asked else NAME_WORDS
    return name if looks_like_name(name, words=words) else None


def introduced_name(text: str) -> str | None:
    """The name a member gives in words of their own, wherever ("ich heiße Anna Beispiel",
    "mein Name ist Anna", "my name is Ann"; not "I'm Anna", which says other things too)."""
    lead_in = _NAME_LEAD_IN.match(text)
    if lead_in is None or not _SAYS_NAME.match(text[: lead_in.end()].strip()):
        return None
    return typed_name(text, asked=True)


def looks_like_name(text: str, *, words: range = NAME_WORDS) -> bool:
    """Whether a message is a person's name and nothing else (`words`: how many)."""
    typed = text.strip().split()
    if len(typed) not in words or not all(_NAME_WORD.match(word) for word in typed):
        return False
    if is_question(text) or small_talk(text) is not None:
        return False
    folded = [fold(word).strip(".") for word in typed]
    if any(is_stop_word(word) for word in folded[:1] + folded[-1:]):
        return False  # "bis bald", "ok danke"; a middle "von", "ter", "de" belongs to names
    if any(word in LEGAL_FORMS for word in folded):
        return False  # "Schrott Meyer GmbH": an organisation (/organisation)
    tables = (word_frequencies("de"), word_frequencies("en"))
    return not any(table.get(word, 0.0) >= EVERYDAY_ZIPF for word in folded for table in tables)


def _name_asked(ctx: Context) -> bool:
    """Whether the message before asked for a name ("Namen eintragen" pressed, /name)."""
    return f"{NAME_BUTTON}:later" in ctx.shown_before


def name_button(lang: str) -> tuple[Button, ...]:
    """The row under a sign-up's confirmation of a member without a name (events)."""
    return (Button(t(lang, "profile.name_button"), f"{NAME_BUTTON}:ask"),)


async def name_pressed(ctx: Context, args: list[str]) -> None:
    """ "Namen eintragen": asked for it (a name typed next is saved); "Später": not now."""
    if args == ["ask"]:
        later = Button(ctx.t("profile.name_later"), f"{NAME_BUTTON}:later")
        await ctx.reply(Reply(ctx.t("profile.name_ask"), buttons=((later,),)))
    elif args == ["later"]:
        await ctx.say("profile.name_later_ok", command=ctx.command("name"))
    else:
        raise UserError("errors.stale_button")


def register(router: Router) -> None:
    # Without an argument these say what is set now, instead of that something is missing.
    text = (Param("text", required=False),)
    yes_no = (Param("yes_no", required=False),)

    @router.command(
        "profile",
        help_key="help.profile",
        group="profile",
        order=1,
        featured=True,
        tells_erased=True,
        german="profil",
    )
    async def profile(ctx: Context, _args: Args) -> None:
        if not ctx.member.onboarded and is_begun(ctx.member):
            # a registration under way or broken off, or an organisation a partner search
            # asked for: what is known, and what /start still asks
            await ctx.reply(render_begun(ctx))
            return
        if not ctx.member.onboarded:  # new here, or their data was erased with /forget
            await ctx.say("profile.none")
            return
        young = ctx.member.young_professional or await asks_young_professionals(ctx)
        await ctx.reply(render_profile(ctx, young_professional=young))

    @router.command(
        "organisation",
        help_key="help.organisation",
        group="profile",
        order=5,
        params=text,
        aliases=("org",),
    )
    async def organisation(ctx: Context, args: Args) -> None:
        await save_or_show(ctx, args, "organisation", "organisation", "text", parse_organisation)

    @router.command("name", help_key="help.name", group="profile", order=5, params=text)
    async def name(ctx: Context, args: Args) -> None:
        """The person's name on the office's attendee lists (a gate list needs names)."""
        await save_or_show(ctx, args, "display_name", "name", "text", parse_person_name)

    @router.command(
        "role", help_key="help.role", group="profile", order=6, params=text, german="rolle"
    )
    async def role(ctx: Context, args: Args) -> None:
        await save_or_show(ctx, args, "role", "role", "text", parse_role)

    @router.command(
        "topics", help_key="help.topics", group="profile", order=3, params=text, german="themen"
    )
    async def topics(ctx: Context, args: Args) -> None:
        if not args.has("text"):
            await show_field(ctx, "topics", "topics", "text")
            return
        await change_topics_by(ctx, args.text("text"))

    @router.command(
        "contact",
        help_key="help.contact",
        group="profile",
        order=4,
        params=text,
        german="kontakt",
    )
    async def contact(ctx: Context, args: Args) -> None:
        await save_or_show(ctx, args, "contact", "contact", "text", parse_contact)

    @router.command(
        "partnerrequests",
        help_key="help.partnerrequests",
        group="profile",
        order=9,
        params=yes_no,
        german="partneranfragen",
    )
    async def consent(ctx: Context, args: Args) -> None:
        await save_or_show(ctx, args, "partner_consent", "partnerrequests", "yes_no", parse_yes_no)

    @router.command(
        "news", help_key="help.news", group="profile", order=8, params=yes_no, german="neuigkeiten"
    )
    async def news(ctx: Context, args: Args) -> None:
        await save_or_show(ctx, args, "news_subscribed", "news", "yes_no", parse_yes_no)
        if not args.has("yes_no"):
            # imported here: the broadcasts' package loads the events', which load this one
            from handlers.broadcast.received import show_received

            await show_received(ctx, asked=False)

    @router.command("youngpro", help_key="help.youngpro", group="profile", order=10, params=yes_no)
    async def young_professional(ctx: Context, args: Args) -> None:
        await save_or_show(ctx, args, "young_professional", "youngpro", "yes_no", parse_yes_no)

    @router.command(
        "language",
        help_key="help.language",
        group="profile",
        order=7,
        params=(Param("language", required=False),),
        german="sprache",
    )
    async def language(ctx: Context, args: Args) -> None:
        if not args.has("language"):
            await show_field(ctx, "language", "language", "language")
            return
        choice = parse_language(args.text("language"))
        if choice is None:
            await ctx.say("profile.language_choices", given=args.text("language")[:20])
            return
        changed = choice != ctx.member.language
        ctx.member.language = choice
        if changed:
            # A question that waits is asked again, now in the language chosen, below the
            # confirmation: no "not finished yet" line above it (it read like a refusal).
            await ctx.show_pending_again()
        await save(ctx, "language", choice)

    router.button(NAME_BUTTON)(name_pressed)
    router.button(YOUNG_PRO_BUTTON)(young_pro_pressed)

    @router.free_text(priority=6)
    async def name_typed(ctx: Context, text: str) -> bool:
        """ "Anna Beispiel" typed right after the name was asked for (the sign-up's "Namen
        eintragen" pressed, /name alone), or "ich heiße Anna Beispiel" anywhere: that name,
        saved as /name saves it (and said, so a slip is seen and changed with /name). Right
        under the sign-up's confirmation a name-like message is no name: it is as often the
        next event's name or a place ("Innovation Forum", "Clausthal Zellerfeld")."""
        typed = introduced_name(text)  # said as a name: taken wherever, greeted back
        greeting = ctx.t("profile.name_introduced", name=typed) if typed else ""
        if typed is None:
            if not _name_asked(ctx):
                return False
            typed = typed_name(text, asked=True)
        if typed is None:
            return False
        try:
            name = parse_person_name(typed)
        except NotAnAnswer:
            return False
        await save(ctx, "display_name", name, note=greeting)
        return True

    @router.free_text(priority=5)
    async def language_asked(ctx: Context, text: str) -> bool:
        """ "english please", "Können wir auf Deutsch weiterschreiben?": as /language en, said
        in the language chosen (a question about a language is left to the others)."""
        choice = asks_for_language(text)
        if choice is None:
            return False
        await language(ctx.speaking(choice), Args({"language": choice}))
        return True

    @router.free_text(priority=6)
    async def topics_in_words(ctx: Context, text: str) -> bool:
        """ "ich will bei themen noch batterierecycling ergänzen", "remove cobalt from my
        topics": as /themen + or - (it had become an office ticket). Only with a profile."""
        change = topics_said_to_change(text) if ctx.member.onboarded else None
        if change is None:
            return False
        await change_topics_by(ctx, change)
        return True

    @router.claims_text
    async def language_claimed(_ctx: Context, text: str) -> bool:
        """Such a request is no name for the registration's organisation or role: it is
        carried out beside the question, which is asked again in the language chosen."""
        return asks_for_language(text) is not None
