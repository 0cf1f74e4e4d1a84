"""Declarative commands, button payloads, poll votes and free text, routed to handlers.

A command is declared once, with its arguments, help text key and who may use it; `/help` and
the platforms' command menus are built from these declarations.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.errors import UserError
from bot.flows import FlowInfo
from bot.i18n import Markup, catalogue, normalise_language, t
from bot.messages import Reply, escape

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.context import Context
    from bot.services import Services
    from storage.models import Member

MAX_ARGUMENT_CHARS = 2000
_COMMAND = re.compile(r"^[/!]([A-Za-z][A-Za-z0-9_]{0,31})(?:@\S+)?(?:\s+(.*))?$", re.DOTALL)
# A name a member can type (`split_command`) and Telegram's menu takes: lower case, at most 32.
_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
# A command named in running text ("schreiben Sie /join 3"): not a path ("example.org/join").
_NAMED_COMMAND = re.compile(r"(^|[\s(„“\"'])/([a-z][a-z0-9_]{0,31})\b")

# How close (rapidfuzz ratio) a mistyped command must be to one to be offered instead.
NEAR_COMMAND = 80


@dataclass(frozen=True)
class Param:
    """One command argument: `int`, a single `word`, or the `text` of the rest of the line."""

    name: str
    kind: str = "text"
    required: bool = True
    # A catalogue key saying where to find a valid value, added to a refusal of this one.
    hint: str = ""
    # Named in the command's usage; not one read only to point a misuse elsewhere
    # ("/abbrechen 1" with nothing open: /abmelden 1).
    shown: bool = True


class Args:
    """Parsed command arguments with typed accessors."""

    def __init__(self, values: dict[str, str | int]) -> None:
        self._values = values

    def int(self, name: str) -> int:
        value = self._values[name]
        assert isinstance(value, int)
        return value

    def text(self, name: str, default: str = "") -> str:
        value = self._values.get(name, default)
        return str(value)

    def has(self, name: str) -> bool:
        return name in self._values


CommandHandler = Callable[["Context", Args], Awaitable[None]]
ButtonHandler = Callable[["Context", list[str]], Awaitable[None]]
PollHandler = Callable[["Context", list[str], tuple[int, ...]], Awaitable[None]]
TextHandler = Callable[["Context", str], Awaitable[bool]]
# Free text: True when handled, False when not; the rest of the text when the handler answered
# part of it (one question of several): the next handlers get that rest.
FreeTextHandler = Callable[["Context", str], Awaitable[bool | str]]
StepHandler = Callable[["Context", str, dict[str, object]], Awaitable[None]]
# A feature's block for the admins' /stats: lines of translated markup.
StatProvider = Callable[["Context"], Awaitable[Sequence[str]]]
WaitingProvider = Callable[["Context"], Awaitable[str | None]]
# What waits for the member, each as the message that answers it (/pending's items)
WaitingItems = Callable[["Context"], Awaitable[list[Reply]]]
# What a feature does after a member's profile changed (`before`: the member before it, None
# for a registration just finished): tell a new young professional of the polls for them.
ProfileListener = Callable[["Context", "Member | None"], Awaitable[None]]
# What a feature does, in the session that erases the member speaking (/forget), before their
# rows go: tell the others who wait on something of theirs that it will not come.
ErasingHook = Callable[["Context", "AsyncSession"], Awaitable[None]]
# What a feature does, in the session that joins a chat account to an imported member's entry
# (an invitation claimed), once the entry is theirs: tell the office what waited for them.
JoinListener = Callable[["Context", "AsyncSession", "Member"], Awaitable[None]]
# What a feature does, in the session that marks a member's account reachable again (they had
# blocked the bot or left its chat, no account of theirs was reachable, and they wrote again):
# tell the office what waited for them, as on joining.
BackListener = Callable[["Services", "AsyncSession", "Member"], Awaitable[None]]
# What a feature starts in the background when the bot starts (partner search: its index over
# the directory), so that the first member need not wait for it and the start does not either.
StartHook = Callable[["Services"], "asyncio.Task[None]"]
# How a flow that stayed under another goes on once that one is over: `show` asks its question
# again ("Weiter mit Ihrer Registrierung: …"); without, it only settles on the step it waits at.
ComeBack = Callable[["Context", bool], Awaitable[None]]
# How a flow asks its step again (the step and the flow's own data) in the member's language
# now, when the question it kept is in another: whether it asked (else the kept one is shown).
AskAgain = Callable[["Context", str, dict[str, object]], Awaitable[bool]]
# What a flow that stays takes from its own command's words typed while it waits under
# another flow ("/broadcast New text"): given its step and its own data, the step and data it
# waits with from now on (its question is asked anew when it comes back).
TakeBeside = Callable[["Context", str, dict[str, object]], tuple[str, dict[str, object]]]
# What /cancel drops of a feature's: given the data of the feature's flow when that flow is
# the one cancelled, None when nothing is asked, it drops what the flow left open (partner
# search: the request its preview waits to send) and returns the line naming it, or None.
Discard = Callable[["Context", dict[str, object] | None], Awaitable[str | None]]
# Whether a feature reads a free text as its own (partner search: a search for a partner).
TextClaim = Callable[["Context", str], Awaitable[bool]]
# The FAQ's direct answer to a text, told by the office's own phrasings of the entry it
# answers with, one tuple per language; None when it answers nothing directly.
DirectAnswerCheck = Callable[["Context", str], Awaitable[tuple[tuple[str, ...], ...] | None]]
# The FAQ's offer to pass a question another feature answered in part to the office, given the
# question and what the office reads beside it (the event it is about): a reply with *Ja, an die
# Geschäftsstelle* / *Nein, danke*, the question logged for the ticket the first opens.
OfficeOffer = Callable[["Context", str, str], Awaitable[Reply]]
# A feature answering one question of a message asking several things (the live event
# answers: "wann ist das nächste Symposium"), given the question before it (what "es" may
# be); False when it is not that feature's. True without a reply: the answer to the question
# before it said all there is ("Gibt es eine Exkursion? Ich würde gern mitfahren", none coming).
PartAnswer = Callable[["Context", str, str], Awaitable[bool]]
# A feature's answer from its own records to a question (an upcoming event's description:
# "Gibt es bei der Exkursion ein Mittagessen?"), given whether it comes instead of the FAQ's
# answer and whether instead of choices the FAQ is sure of; None when its records say nothing.
RecordsAnswer = Callable[["Context", str, bool, bool], Awaitable[Reply | None]]
# Whether a direct answer's texts (an entry's phrasings, tags and answer) say nothing of what
# a question asks beyond what a feature's records name ("wo kann man beim Innovationsforum
# parken?" matched the forum's entry by the forum alone): then it is offered, not given.
AnswersOnlyByName = Callable[["Context", str, Sequence[str]], Awaitable[bool]]
# What a feature knows a question pointing back ("wo kann ich da parken") means, in words the
# office reads beside it (the event shown just before: its title and date); None when none.
MeantBefore = Callable[["Context", str], Awaitable[str | None]]
# What only a feature's record can say that a question asks ("Ist das Forum auf Englisch?":
# the forum's language, which no FAQ entry knows; the entry on the bot's language only shares
# the word), as the office reads it beside the question (the event's title and date); None
# when the question asks nothing such.
RecordOnly = Callable[["Context", str], Awaitable[str | None]]
# What a ticket is about (`meant_before`, `only_records_say`: a record named as the member
# reads it) for an admin reading `lang`: (services, text, lang) -> the text, the feature's
# records in it named in `lang` ("Innovation Forum … (Wed …)" as "Innovationsforum … (Mi …)").
# By the services, not a chat's context: the dashboard's inbox names them so too.
OfficeReading = Callable[["Services", str, str], Awaitable[str]]
# Told that what a hand-off offer started was carried out (partner search: the request was
# sent): (ctx, the offer's name, the logged question it was offered beside, the number of
# what carries the question now: the partner request).
OfferCarriedOut = Callable[["Context", str, int, int], Awaitable[None]]


# A hand-off offer's name is stored beside the ticket it took over (storage.faq).
MAX_OFFER_NAME = 16


@dataclass(frozen=True)
class HandoffOffer:
    """What a feature offers beside a question the FAQ hands to the office (partner search:
    members who fit the need). `fits(ctx, text)` says whether it can help with the question's
    text; `start(ctx, text, question)` runs it when the member presses the button labelled
    `label_key` (`question`: the logged question's number). `name` travels in that button:
    short, no colon.

    Once what it started is carried out (the request sent), the feature calls
    `Router.offer_carried_out` with that number: the question no longer waits for the office,
    whose inbox names it with `taken_key` (`{number}`: what carries it now).

    `about(phrasings)` tells a FAQ entry, by its phrasings language by language, that is about
    what the feature does (partner search's entry "How do I find a partner?"): an answer or
    choices naming such an entry carry the offer too, since the member may have described
    the very need the entry says to describe. `taken_key` None: the offer never carries a
    question out (events: a date shown answers nothing the office was asked). `beside_any`:
    beside every answer or choices it `fits`, whatever their entries (events: a question
    naming an upcoming event, "Muss man fürs Innovationsforum was zahlen?", whichever entry
    answers it).

    `typed(text)`: whether a message typed while its button is under the latest message means
    pressing it ("abbestellen", "unsubscribe" beside "Nachrichten abbestellen"); it had been
    asked anew as a question, and the member got the same answer again.

    `command`: the offer does what that command does, so it goes beside an answer or choices
    naming an entry whose answer tells the member to type it and no other command ("/news
    no"; an overview naming /help, /events and /news is about none of them), and beside no
    hand-off (news: the member asking how to stop the news expects it done; an entry on an
    e-mail newsletter with its own unsubscribe link names no command and gets no button)."""

    name: str
    label_key: str
    fits: Callable[[Context, str], Awaitable[bool]]
    start: Callable[[Context, str, int], Awaitable[None]]
    taken_key: str | None = None
    about: Callable[[Sequence[Sequence[str]]], bool] | None = None
    beside_any: bool = False
    command: str | None = None
    typed: Callable[[str], bool] | None = None


# The purposes commands are grouped by, in the order `/help` and the menus show them; the
# titles are `help.group.KEY` (members) and `help.admin_group.KEY` (admins) in the catalogue.
MEMBER_GROUPS = ("questions", "events", "partners", "profile")
ADMIN_GROUPS = ("events", "broadcasts", "knowledge", "members")


# Command names people type to any bot, whatever their language: they name no language.
_PLATFORM_NAMES = frozenset({"start", "help"})


@dataclass(frozen=True)
class Command:
    name: str
    handler: CommandHandler
    help_key: str
    params: tuple[Param, ...] = ()
    admin: bool = False
    aliases: tuple[str, ...] = ()
    private_only: bool = False
    group: str = ""
    # Position within the group; `featured` commands get a line of their own in the short /help.
    order: int = 0
    featured: bool = False
    # Its answer to someone without a profile says so (/profile): after /forget no "welcome
    # back, your data was erased" line goes before it.
    tells_erased: bool = False
    # The text key answering someone with no member record (never here, or erased by /forget)
    # instead of the handler: no member is made for it (/mydata: "nothing is stored about you").
    to_stranger: str = ""
    # The name German members are shown (/help, the menu, usage lines): "anmelden" for "join";
    # empty when the English name serves in German too. Typed, every name works for everyone.
    german: str = ""
    # Other German names it answers to ("veranstaltungen" beside "termine"); `aliases` are
    # English, or serve both languages when there is no German name ("org").
    german_aliases: tuple[str, ...] = ()

    def name_in(self, lang: str | None) -> str:
        """The name shown to a member speaking `lang`: the German one in German, if declared."""
        if self.german and lang and normalise_language(lang) == "de":
            return self.german
        return self.name

    @property
    def names(self) -> tuple[str, ...]:
        """Every name it answers to: the English one, the German one, the aliases."""
        german = (self.german, *self.german_aliases) if self.german else self.german_aliases
        return (self.name, *german, *self.aliases)

    def language_of(self, typed: str) -> str | None:
        """The language of the name typed: "de" for a German one (/profil, /veranstaltungen),
        "en" for an English one beside a German one (/profile); None for a name both
        languages share (/start, /organisation, /org) and for /help, which people type to any
        bot in any language (Telegram asks every bot to answer /start and /help)."""
        if typed == self.german or typed in self.german_aliases:
            return "de"
        if typed in _PLATFORM_NAMES:
            return None
        if self.german and (typed == self.name or typed in self.aliases):
            return "en"
        return None

    def other_names(self, lang: str | None) -> tuple[str, ...]:
        """Every name but the one shown in `lang` (the English name among them in German)."""
        shown = self.name_in(lang)
        return tuple(name for name in self.names if name != shown)

    def usage(self, lang: str | None = None, *, optional: bool = True) -> str:
        """`/join <number>`; with `lang`, the name and placeholders in that language
        (`/anmelden <Nummer>`); without `optional`, only the arguments that must be given."""
        names = catalogue(normalise_language(lang)) if lang else {}
        parts = [f"/{self.name_in(lang)}"]
        for param in self.params:
            if not param.shown or not (optional or param.required):
                continue
            label = names.get(f"help.param.{param.name}", param.name)
            parts.append(f"<{label}>" if param.required else f"[{label}]")
        return " ".join(parts)

    def example(self, lang: str) -> str | None:
        """The line /help gives as its example ("Zum Beispiel: /umfrage 3 Welcher Tag passt? |
        Montag | Dienstag"), where the catalogue has one (`help.example.NAME`)."""
        key = f"help.example.{self.name}"
        if key not in catalogue(normalise_language(lang)):
            return None
        return t(lang, "help.for_example", example=t(lang, key))

    def sort_key(self) -> tuple[bool, int, int, str]:
        """Members' commands first, then by group, declared order and name (ungrouped last)."""
        groups = ADMIN_GROUPS if self.admin else MEMBER_GROUPS
        rank = groups.index(self.group) if self.group in groups else len(groups)
        return (self.admin, rank, self.order, self.name)


@dataclass
class Router:
    commands: dict[str, Command] = field(default_factory=dict)
    buttons: dict[str, tuple[ButtonHandler, bool]] = field(default_factory=dict)
    # Button prefix -> the text key answering its press by someone with no member record
    # (an old "Ja, alles löschen" pressed again after /forget): no member is made for it.
    stranger_buttons: dict[str, str] = field(default_factory=dict)
    polls: dict[str, PollHandler] = field(default_factory=dict)
    steps: dict[str, StepHandler] = field(default_factory=dict)
    # Flows whose step handler also takes a photo or file (`ctx.incoming.attachment`).
    file_steps: set[str] = field(default_factory=set)
    # What a member is told about each flow when a command pauses it (bot/flows.py).
    flows: dict[str, FlowInfo] = field(default_factory=dict)
    text_handlers: list[tuple[int, FreeTextHandler]] = field(default_factory=list)
    stat_providers: list[StatProvider] = field(default_factory=list)
    # Lines a feature adds to /start and /help when something waits for the member (an offered
    # place, an introduction): features never import each other, they register a provider.
    waiting_providers: list[WaitingProvider] = field(default_factory=list)
    waiting_item_providers: list[WaitingItems] = field(default_factory=list)
    # What a feature offers under a question the FAQ handed to the office, by name (see
    # `HandoffOffer`): the FAQ asks them without importing the feature.
    handoff_offers: dict[str, HandoffOffer] = field(default_factory=dict)
    # Who hears that a hand-off offer was carried out (the FAQ closes the question's ticket).
    offer_listeners: list[OfferCarriedOut] = field(default_factory=list)
    # What the FAQ answers a text with directly ("Who sells tickets for the symposium?"): a
    # feature that took the text for something else may leave it to the FAQ.
    direct_answer: DirectAnswerCheck | None = None
    # How the FAQ offers to pass a question another feature answered in part to the office.
    office_offer: OfficeOffer | None = None
    # Who answer single questions of a message asking several things, asked by the FAQ
    # question by question, so that the answers come in the order asked.
    part_answers: list[PartAnswer] = field(default_factory=list)
    # Who answer from their own records what the FAQ is asked (see `answers_from_records`).
    records_answers: list[RecordsAnswer] = field(default_factory=list)
    # Who know what a question pointing back means (see `tells_what_is_meant`).
    meaning_before: list[MeantBefore] = field(default_factory=list)
    # Who know what only their records say (see `tells_what_only_records_say`).
    record_only: list[RecordOnly] = field(default_factory=list)
    # Who name their records in what a ticket is about in an admin's language.
    office_readings: list[OfficeReading] = field(default_factory=list)
    # Who know when an answer matched a question only by their records' names.
    only_by_name: list[AnswersOnlyByName] = field(default_factory=list)
    # Texts a feature takes as its own wherever they are written: a step that takes any text
    # (the registration's organisation) leaves such a text to it instead of storing it.
    text_claims: list[TextClaim] = field(default_factory=list)
    # A flow that stays (`step(stays=True)`) says with this how it goes on after another one.
    comebacks: dict[str, ComeBack] = field(default_factory=dict)
    # A flow whose questions can be asked anew in another language (see `ask_again`).
    askers: dict[str, AskAgain] = field(default_factory=dict)
    # A flow that takes its command's words while it waits under another (see `take_beside`).
    takers: dict[str, TakeBeside] = field(default_factory=dict)
    # What /cancel drops of a feature, by its flow (see `on_cancel`).
    discards: dict[str, Discard] = field(default_factory=dict)
    # What features do before /forget erases a member (see `before_erase`).
    erasing_hooks: list[ErasingHook] = field(default_factory=list)
    # What features do when an imported member joins the chat (see `on_member_joined`).
    join_listeners: list[JoinListener] = field(default_factory=list)
    # What features do when a member nothing reached writes again (see `on_member_back`).
    back_listeners: list[BackListener] = field(default_factory=list)
    # What features say after a member's profile changed (see `on_profile_change`).
    profile_listeners: list[ProfileListener] = field(default_factory=list)
    # What features start in the background at start (see `in_background_at_start`).
    start_hooks: list[StartHook] = field(default_factory=list)

    def command(
        self,
        name: str,
        *,
        help_key: str,
        params: Sequence[Param] = (),
        admin: bool = False,
        aliases: Sequence[str] = (),
        german: str = "",
        german_aliases: Sequence[str] = (),
        private_only: bool = False,
        group: str = "",
        order: int = 0,
        featured: bool = False,
        tells_erased: bool = False,
        to_stranger: str = "",
    ) -> Callable[[CommandHandler], CommandHandler]:
        """Declare a command; `german` is the name German members are shown (typed, it works
        like an alias), `german_aliases` more German names; `group` (one of MEMBER_GROUPS or
        ADMIN_GROUPS) and `order` place it in /help and the menus, `featured` gives it a line
        of its own in the short /help."""
        if group and group not in (ADMIN_GROUPS if admin else MEMBER_GROUPS):
            raise ValueError(f"command /{name}: unknown group {group!r}")

        def register(handler: CommandHandler) -> CommandHandler:
            declared = Command(
                name,
                handler,
                help_key,
                params=tuple(params),
                admin=admin,
                aliases=tuple(aliases),
                german=german,
                german_aliases=tuple(german_aliases),
                private_only=private_only,
                group=group,
                order=order,
                featured=featured,
                tells_erased=tells_erased,
                to_stranger=to_stranger,
            )
            for key in declared.names:
                if not _NAME.fullmatch(key):
                    raise ValueError(f"command /{name}: {key!r} is no name a member can type")
            for key in declared.names:
                if key in self.commands:
                    raise ValueError(f"command /{key} declared twice")
                self.commands[key] = declared
            return handler

        return register

    def nearest(self, typed: str, *, admin: bool) -> str | None:
        """The command name or alias a mistyped name most likely meant ("/request" ->
        "requests", "/termin3" -> "termin"), among those the sender may use; None when none
        is close."""
        names = [key for key, command in self.commands.items() if admin or not command.admin]
        close = process.extract(
            typed, names, scorer=fuzz.ratio, score_cutoff=NEAR_COMMAND, limit=None
        )
        if not close:
            return None

        def likeliest(found: tuple[str, float, int]) -> tuple[int, bool, float]:
            # fewest edits, two swapped letters counting as one ("/termien" -> "termine",
            # not "termin"); on a tie the name made of the very letters typed, then the closest
            name, score, _ = found
            swapped = sorted(name) != sorted(typed)
            return OSA.distance(typed, name), swapped, -score

        return str(min(close, key=likeliest)[0])

    def button(
        self, prefix: str, *, admin: bool = False, to_stranger: str = ""
    ) -> Callable[[ButtonHandler], ButtonHandler]:
        """Handle button payloads `prefix:arg:arg`; payloads are checked by the handler.
        `to_stranger`: the text key answering a press by someone with no member record."""

        def register(handler: ButtonHandler) -> ButtonHandler:
            self.buttons[prefix] = (handler, admin)
            if to_stranger:
                self.stranger_buttons[prefix] = to_stranger
            return handler

        return register

    def poll(self, prefix: str) -> Callable[[PollHandler], PollHandler]:
        def register(handler: PollHandler) -> PollHandler:
            self.polls[prefix] = handler
            return handler

        return register

    def step(
        self,
        flow: str,
        *,
        files: bool = False,
        texts: str = "flows.generic",
        resume: str | None = None,
        own_limit: tuple[str, ...] = (),
        stays: bool = False,
        previews: tuple[str, ...] = (),
    ) -> Callable[[StepHandler], StepHandler]:
        """Handle free text while a member is in the guided conversation `flow`; with `files`,
        also a photo or file (its caption is the text, maybe empty). `texts` names the flow's
        catalogue texts for a pause ("Ihre Registrierung ist noch nicht fertig …"), `resume` is the
        command that continues it; the steps in `own_limit` refuse a text too long themselves; a
        step raises `NotAnAnswer` for text it cannot take (bot/flows.py); a flow that `stays`
        waits under another flow asked beside it and comes back when that one ends; the steps
        in `previews` show what is about to happen and wait for its buttons, no answer."""

        def register(handler: StepHandler) -> StepHandler:
            self.steps[flow] = handler
            self.flows[flow] = FlowInfo(
                texts, resume, frozenset(own_limit), stays, frozenset(previews)
            )
            if files:
                self.file_steps.add(flow)
            return handler

        return register

    def free_text(self, *, priority: int) -> Callable[[FreeTextHandler], FreeTextHandler]:
        """Handle free text; handlers run by priority (lowest first) until one returns True
        (one that answers part of the text returns the rest, for the handlers after it).
        Taken: 5 a request to go on in another language, 10 the live answers on events, 15
        who sent a partner request waiting on the member, 20 partner search, 50 the FAQ
        (whatever is left goes to the office)."""

        def register(handler: FreeTextHandler) -> FreeTextHandler:
            self.text_handlers.append((priority, handler))
            self.text_handlers.sort(key=lambda item: item[0])
            return handler

        return register

    async def answer_text(self, ctx: Context, text: str) -> bool:
        """Hand free text to the free-text handlers by priority; whether one answered it (a
        question typed beside a step, or kept and answered when the member said it is one)."""
        for _priority, handler in self.text_handlers:
            handled = await handler(ctx, text)
            if handled is True:
                return True
            if isinstance(handled, str):
                text = handled  # one question of several answered: the others go on
        return False

    def come_back(self, flow: str) -> Callable[[ComeBack], ComeBack]:
        """Register how the flow `flow`, which stays under another flow, goes on after it."""

        def register(handler: ComeBack) -> ComeBack:
            self.comebacks[flow] = handler
            return handler

        return register

    def ask_again(self, flow: str) -> Callable[[AskAgain], AskAgain]:
        """Register how the flow `flow` asks a step again when its kept question is in another
        language than the member's now (/language meanwhile): resumed, it reads in one."""

        def register(handler: AskAgain) -> AskAgain:
            self.askers[flow] = handler
            return handler

        return register

    def take_beside(self, flow: str) -> Callable[[TakeBeside], TakeBeside]:
        """Register what the flow `flow`, which stays, takes from its command's words typed
        while it waits under another flow: they change what waits instead of being dropped
        with a "kept" line."""

        def register(handler: TakeBeside) -> TakeBeside:
            self.takers[flow] = handler
            return handler

        return register

    def on_cancel(self, flow: str) -> Callable[[Discard], Discard]:
        """Register what /cancel drops of the feature of `flow` and how it is named (`Discard`);
        without, a flow's `KEY.cancelled` line names it."""

        def register(handler: Discard) -> Discard:
            self.discards[flow] = handler
            return handler

        return register

    async def discard(
        self, ctx: Context, flow: str | None, data: dict[str, object] | None
    ) -> list[str]:
        """What /cancel says it dropped, by name: the flow asked (`flow`, with its `data`), or,
        with nothing asked, what a feature keeps open beside its flows (a partner search's
        preview waiting for *send*); empty when nothing was open."""
        if flow is None:
            dropped = [await drop(ctx, None) for drop in self.discards.values()]
            return [line for line in dropped if line]
        drop = self.discards.get(flow)
        line = await drop(ctx, data or {}) if drop is not None else None
        return [line or ctx.t(f"{self.flows.get(flow, FlowInfo()).key}.cancelled")]

    def waiting(self, provider: WaitingProvider) -> WaitingProvider:
        """Register a line for /start and /help: `provider(ctx)` returns it, or None."""
        self.waiting_providers.append(provider)
        return provider

    async def waiting_lines(self, ctx: Context) -> list[str]:
        lines = [await provider(ctx) for provider in self.waiting_providers]
        return [line for line in lines if line]

    def waiting_items(self, provider: WaitingItems) -> WaitingItems:
        """Register what waits for a member as messages with the buttons that answer them
        (/pending's items): their words typed later still press them."""
        self.waiting_item_providers.append(provider)
        return provider

    async def waiting_replies(self, ctx: Context) -> list[Reply]:
        return [item for provider in self.waiting_item_providers for item in await provider(ctx)]

    def offer_on_handoff(self, offer: HandoffOffer) -> HandoffOffer:
        """Register what a feature offers beside a question handed to the office."""
        if not offer.name or ":" in offer.name or len(offer.name) > MAX_OFFER_NAME:
            raise ValueError(
                f"hand-off offer {offer.name!r}: a name of at most {MAX_OFFER_NAME} characters,"
                " without ':'"
            )
        if offer.name in self.handoff_offers:
            raise ValueError(f"hand-off offer {offer.name!r} registered twice")
        self.handoff_offers[offer.name] = offer
        return offer

    def on_offer_carried_out(self, listener: OfferCarriedOut) -> OfferCarriedOut:
        """Register who hears that a hand-off offer was carried out (see `HandoffOffer`)."""
        self.offer_listeners.append(listener)
        return listener

    async def offer_carried_out(self, ctx: Context, name: str, question: int, number: int) -> None:
        """What the offer `name` started from the logged question `question` is carried out,
        as `number` (the partner request sent)."""
        for listener in self.offer_listeners:
            await listener(ctx, name, question, number)

    def claims_text(self, check: TextClaim) -> TextClaim:
        """Register a feature's check that a free text is its own (partner search: "Wir
        suchen ein Labor für …"), so that a step taking any text does not store it as a name:
        it raises `NotAnAnswer`, and the dispatcher hands the text to the free-text handlers
        while the step waits, as it does a question."""
        self.text_claims.append(check)
        return check

    async def run(self, ctx: Context, name: str) -> None:
        """The command `name` without arguments, as if the member had typed it (a question
        asked in words whose answer is a command's: "add it to my calendar pls")."""
        await self.commands[name].handler(ctx, Args({}))

    async def claimed(self, ctx: Context, text: str) -> bool:
        """Whether a feature takes `text` as its own (see `claims_text`)."""
        for check in self.text_claims:
            if await check(ctx, text):
                return True
        return False

    def answers_directly(self, check: DirectAnswerCheck) -> DirectAnswerCheck:
        """Register the FAQ's check what it answers a text with directly (one per router)."""
        if self.direct_answer is not None:
            raise ValueError("a direct-answer check is registered already")
        self.direct_answer = check
        return check

    async def direct_answer_to(self, ctx: Context, text: str) -> tuple[tuple[str, ...], ...] | None:
        """The phrasings, language by language, of the entry the FAQ answers `text` with
        directly; None when it answers nothing directly (or there is no FAQ)."""
        if self.direct_answer is None:
            return None
        return await self.direct_answer(ctx, text)

    def offers_office(self, offer: OfficeOffer) -> OfficeOffer:
        """Register the FAQ's offer to pass a question to the office (one per router)."""
        if self.office_offer is not None:
            raise ValueError("an office offer is registered already")
        self.office_offer = offer
        return offer

    async def offer_office(self, ctx: Context, question: str, context: str) -> Reply | None:
        """The FAQ's offer to pass `question` to the office, the office reading `context`
        beside it ("wie komme ich da hin?": the event's place said, the way the office
        knows); None when there is no FAQ."""
        if self.office_offer is None:
            return None
        return await self.office_offer(ctx, question, context)

    def answers_parts(self, answer: PartAnswer) -> PartAnswer:
        """Register a feature's answer to one question of several (see `answer_part`)."""
        self.part_answers.append(answer)
        return answer

    async def answer_part(self, ctx: Context, question: str, before: str = "") -> bool:
        """Whether a feature other than the FAQ answered `question`, one question of a
        message asking several things (it replied through `ctx`); `before`: the question
        before it in the message, or ""."""
        for answer in self.part_answers:
            if await answer(ctx, question, before):
                return True
        return False

    def answers_from_records(self, answer: RecordsAnswer) -> RecordsAnswer:
        """Register a feature's answer from its own records (see `answer_from_records`)."""
        self.records_answers.append(answer)
        return answer

    async def answer_from_records(
        self, ctx: Context, question: str, *, instead: bool, of_choices: bool = False
    ) -> Reply | None:
        """The first feature's answer from its own records to a question, as a reply not yet
        sent (the FAQ sends it below its own answer, or, `instead`, in place of choices (sure
        ones: `of_choices`) or a hand-off with the offer to pass the question on); None when
        none has one."""
        for answer in self.records_answers:
            found = await answer(ctx, question, instead, of_choices)
            if found is not None:
                return found
        return None

    def tells_when_matched_by_name(self, check: AnswersOnlyByName) -> AnswersOnlyByName:
        """Register a check `answered_only_by_name` asks."""
        self.only_by_name.append(check)
        return check

    async def answered_only_by_name(
        self, ctx: Context, question: str, answer_texts: Sequence[str]
    ) -> bool:
        """Whether a feature says `answer_texts` share with `question` only the name of one of
        its records (an event's), not what is asked about it."""
        for check in self.only_by_name:
            if await check(ctx, question, answer_texts):
                return True
        return False

    def tells_what_is_meant(self, meant: MeantBefore) -> MeantBefore:
        """Register what a feature knows a question pointing back means (see `meant_before`)."""
        self.meaning_before.append(meant)
        return meant

    async def meant_before(self, ctx: Context, question: str) -> str | None:
        """What the first feature that knows says a question means that points back ("da",
        "there") or follows one of its records shown just before ("where can I park" under an
        event's details), for the office to read beside it; None when none knows."""
        for meant in self.meaning_before:
            found = await meant(ctx, question)
            if found is not None:
                return found
        return None

    def tells_what_only_records_say(self, check: RecordOnly) -> RecordOnly:
        """Register a check `only_records_say` asks."""
        self.record_only.append(check)
        return check

    async def only_records_say(self, ctx: Context, question: str) -> str | None:
        """What record a question asks what only that record can say (the language of a
        named event), for the office to read beside it: the FAQ's entries are then no answer
        nor choice, however many words they share; None when no feature says so."""
        for check in self.record_only:
            found = await check(ctx, question)
            if found is not None:
                return found
        return None

    def names_for_office(self, reading: OfficeReading) -> OfficeReading:
        """Register how a feature names its records for an admin (see `for_office`)."""
        self.office_readings.append(reading)
        return reading

    async def for_office(self, services: Services, text: str, lang: str) -> str:
        """What a ticket is about (`text`, as the member's question was read) for an admin
        reading `lang`: each feature's records in it named in `lang`, the rest as written."""
        for reading in self.office_readings:
            text = await reading(services, text, lang)
        return text

    def before_erase(self, hook: ErasingHook) -> ErasingHook:
        """Register what a feature does before the member speaking is erased (/forget), in
        the erasing session: others waiting on the member hear that nothing will come."""
        self.erasing_hooks.append(hook)
        return hook

    def on_member_joined(self, listener: JoinListener) -> JoinListener:
        """Register what a feature does when the person behind an imported directory entry
        joins the chat (claims the office's invitation), in the claiming session, the entry
        theirs: the office hears of what waited for them (a partner request they fit)."""
        self.join_listeners.append(listener)
        return listener

    async def member_joined(self, ctx: Context, session: AsyncSession, member: Member) -> None:
        for listener in self.join_listeners:
            await listener(ctx, session, member)

    def on_member_back(self, listener: BackListener) -> BackListener:
        """Register what a feature does when a member none of whose accounts was reachable
        (they blocked the bot, left its chat) writes again, in the session that marks their
        account reachable: the office hears of what waited for them. Once per return: the
        next message finds the account reachable."""
        self.back_listeners.append(listener)
        return listener

    async def member_back(self, services: Services, session: AsyncSession, member: Member) -> None:
        for listener in self.back_listeners:
            await listener(services, session, member)

    def on_profile_change(self, listener: ProfileListener) -> ProfileListener:
        """Register what a feature says after the member speaking changed their profile (or
        finished registering), after the profile's own confirmation."""
        self.profile_listeners.append(listener)
        return listener

    async def profile_changed(self, ctx: Context, before: Member | None) -> None:
        for listener in self.profile_listeners:
            await listener(ctx, before)

    def in_background_at_start(self, hook: StartHook) -> StartHook:
        """Register what a feature starts when the bot starts and keeps running beside it (an
        index built in a thread): App.start starts it without waiting, App.stop cancels it."""
        self.start_hooks.append(hook)
        return hook

    def stats(self, provider: StatProvider) -> StatProvider:
        """Add a feature's block of lines to the admins' /stats (in registration order)."""
        self.stat_providers.append(provider)
        return provider

    def name_in(self, name: str, lang: str | None) -> str:
        """A command's name as `lang` shows it ("join" -> "anmelden" in German); `name` as
        given when no command has it."""
        command = self.commands.get(name)
        return name if command is None else command.name_in(lang)

    def shown_commands(self, text: str, lang: str | None) -> str:
        """`text` with each command it names as `lang` shows it: a knowledge base answer
        written with "/join" says "/anmelden" to a German member, as /hilfe does."""
        return _NAMED_COMMAND.sub(lambda m: m[1] + "/" + self.name_in(m[2], lang), text)

    def named_commands(self, text: str) -> frozenset[str]:
        """The commands `text` names, by any of their names ("/neuigkeiten" is "news")."""
        found = (self.commands.get(m[2]) for m in _NAMED_COMMAND.finditer(text))
        return frozenset(command.name for command in found if command is not None)

    def unique_commands(self) -> list[Command]:
        """Each command once, in the order /help and the menus show them."""
        seen: dict[str, Command] = {}
        for command in self.commands.values():
            seen.setdefault(command.name, command)
        return sorted(seen.values(), key=Command.sort_key)


def split_command(text: str) -> tuple[str, str] | None:
    """`/join 12` or `!join 12` -> ("join", "12"); None when the text is no command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    return match.group(1).lower(), (match.group(2) or "").strip()


def parse_args(command: Command, raw: str, lang: str | None = None) -> Args:
    """The typed arguments; a `UserError` naming the usage in `lang` when they do not fit."""
    raw = raw[:MAX_ARGUMENT_CHARS]
    values: dict[str, str | int] = {}
    rest = raw
    for param in command.params:
        if param.kind == "text":
            if rest:
                values[param.name] = rest
            rest = ""
        else:
            word, _, rest = rest.partition(" ")
            rest = rest.strip()
            if word:
                if param.kind == "int":
                    if not re.fullmatch(r"#?\d{1,12}", word):
                        usage = command.usage(lang)
                        if param.hint and lang:
                            usage = Markup(f"{escape(usage)} – {t(lang, param.hint)}")
                        raise UserError("errors.bad_number", value=word[:40], usage=usage)
                    values[param.name] = int(word.lstrip("#"))
                else:
                    values[param.name] = word
        if param.required and param.name not in values:
            raise UserError("errors.missing_argument", usage=_usage_with_example(command, lang))
    return Args(values)


def _usage_with_example(command: Command, lang: str | None) -> str:
    """A command's usage, with its example where /help has one ("/umfrage 3 Welcher Tag
    passt? | Montag | Dienstag": the usage alone does not show the "|" between options)."""
    usage = command.usage(lang)
    example = command.example(lang) if lang else None
    return usage if example is None else Markup(f"{escape(usage)}\n{example}")
