"""Whether an organisation is a member of the network, from its member directory.

"am I a member now?" right after registering, "ist meine Firma schon Mitglied?", "is the TU
Clausthal a member?": registering with the bot makes nobody a member of the association, whose
members are organisations, listed in its directory (imported with `rewimet-bot import`, as the
partner search's). The FAQ's entry on how to join had answered all of these alike. A network
without a directory leaves them to the FAQ. "ist meine Firma Mitglied? wir heißen …" looks up
the name given; "bin ich schon registriert?" is told whether one is registered with the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.context import Context
from bot.i18n import network_names
from bot.router import Router
from bot.textmatch.analyzer import COMMON_ZIPF, reply_language
from bot.textmatch.normalize import fold
from bot.textmatch.resources import word_frequencies
from bot.textmatch.sentences import questions
from storage import members

# A question whether one is a member is short.
MAX_WORDS = 16
# Whole names this alike are the same organisation ("Harz Recycling GmbH", "Harz-Recycling");
# a name whose words all begin words of the other is a near one, shown for the member to judge.
SAME = 90
SHOWN_NEAR = 3
# A word this short may be initials ("TU", "HS"), which a near name need not share.
INITIALS = 3
# A one-word name this long at least may be the start of a listed name (`_leads`).
RARE_NAME_LENGTH = 5

_NETWORK = r"(?:cluster|verein|netzwerk|network|association|euch|you|ihnen)"
_AFTER = r"(?:schon|bereits|jetzt|nun|eigentlich|denn|auch|now|already|yet|also|still)"
# "Mitglied im Arbeitskreis", "member of the board": another membership than the network's.
_NOT_OTHER = (
    r"(?!\s+(?:im|in|of|bei|beim|der|des)\s+"
    rf"(?!(?:dem\s+|the\s+|eurem\s+|your\s+)?{_NETWORK}\b|{{short}}\b))"
)
_OWN = (
    r"\b(?:bin\s+ich|sind\s+wir)\b(?:\s+\w+){{0,3}}?\s+(?:ein\s+)?mitglied\b",
    r"\bist\s+(?:meine|mein|unsere|unser)\s+\w+\b(?:\s+\w+){{0,3}}?\s+(?:ein\s+)?mitglied\b",
    r"\b(?:am\s+i|are\s+we)\b(?:\s+\w+){{0,3}}?\s+(?:an?\s+)?members?\b",
    r"\bis\s+(?:my|our)\s+\w+\b(?:\s+\w+){{0,3}}?\s+(?:an?\s+)?member\b",
)
_NAMED = (
    rf"\bist\s+(?:die\s+|das\s+|der\s+)?(?P<org>.+?)\s+(?:{_AFTER}\s+)*"
    rf"(?:(?:bei|im|in)\s+(?:dem\s+|eurem\s+)?(?:{_NETWORK}|{{short}})\s+)?(?:ein\s+)?mitglied\b",
    rf"\bis\s+(?:the\s+)?(?P<org>.+?)\s+(?:{_AFTER}\s+)*(?:an?\s+)?member\b",
    # "ist die TU Clausthal bei euch dabei?" (with the network named: "beim Symposium dabei"
    # is taking part)
    rf"\bist\s+(?:die\s+|das\s+|der\s+)?(?P<org>.+?)\s+(?:{_AFTER}\s+)*(?:bei|im|in)\s+"
    rf"(?:dem\s+|eurem\s+)?(?:{_NETWORK}|{{short}})\s+(?:{_AFTER}\s+)*(?:mit\s+)?dabei\b",
)
# What the name before "Mitglied" cannot be: "ist man automatisch Mitglied?", "is it free for
# a member?" (no organisation), and the asker's own ("ist meine Firma …": `_OWN`).
_NO_NAME = re.compile(
    r"^(?:man|es|er|sie|das|dies|it|he|she|that|this|there|one|meine?|unsere?|my|our)\b|"
    r"\b(?:nur|only|kostenlos|free|gratis)\b|\b(?:fur|fuer|for|als|as)$"
)
# The asker's organisation named beside the question: "ist meine Firma schon Mitglied? wir
# heißen Brocken Software", "are we a member? we're called Harz Recycling".
_CALLED = re.compile(
    r"\b(?:wir\s+heissen|(?:unsere|meine)\s+\w+\s+heisst|we\s+are\s+called|we\s+re\s+called|"
    r"(?:our|my)\s+\w+\s+is\s+called)\s+(?P<org>[^?.!,]+)"
)
# Whether one is registered with the bot: "bin ich schon registriert?", "am I registered?"
# ... not for an event ("bin ich für das Symposium registriert?")
_AN_EVENT = r"(?:fur|fuer|for|zum|zur|zu|to|at|auf|on|beim|im|in)"
_REGISTERED = re.compile(
    rf"\b(?:bin\s+ich|am\s+i)\b(?:\s+(?!{_AN_EVENT}\b)\w+){{0,3}}?\s+(?:registriert|registered)\b"
    rf"(?!\s+{_AN_EVENT}\b)"
)
_NAME_WORDS = 8
# Words of a name that do not tell one organisation from another.
_LEGAL = re.compile(
    r"\b(?:gmbh|ggmbh|mbh|ag|kg|ug|ohg|e\s*v|ev|co|ltd|inc|gbr|se|und|fur|der|die|das|of|the|and)\b"
)


@dataclass(frozen=True)
class Asked:
    """Whether the member asked about their own organisation or named one."""

    own: bool
    named: str = ""
    # only whether one is registered with the bot ("bin ich schon registriert?")
    registration_only: bool = False


def membership_asked(text: str) -> Asked | None:
    folded = " ".join(fold(text, plain_umlauts=True).replace("'", " ").split())
    if len(folded.split()) > MAX_WORDS:
        return None
    short = re.escape(fold(network_names()[1], plain_umlauts=True))
    not_other = _NOT_OTHER.format(short=short)
    if any(re.search(p.format(short=short) + not_other, folded) for p in _OWN):
        called = _CALLED.search(folded)
        if called is not None and len(called["org"].split()) <= _NAME_WORDS:
            return Asked(own=False, named=_as_written(text, called["org"].strip()))
        return Asked(own=True)
    if _REGISTERED.search(folded):
        return Asked(own=True, registration_only=True)
    for pattern in _NAMED:
        found = re.search(pattern.format(short=short) + not_other, folded)
        if found is None:
            continue
        name = found.group("org").strip(" ,")
        if _NO_NAME.search(name) or len(name.split()) > _NAME_WORDS:
            return None
        return Asked(own=False, named=_as_written(text, name))
    return None


def _as_written(text: str, folded_name: str) -> str:
    """The name as the member wrote it (its capitals, its umlauts), where it can be found."""
    wanted, typed = folded_name.split(), text.split()
    for start in range(len(typed) - len(wanted) + 1):
        run = typed[start : start + len(wanted)]
        if [fold(word, plain_umlauts=True).strip("?.,!") for word in run] == wanted:
            return " ".join(run).strip("?.,!")
    return folded_name


def _plain(name: str) -> str:
    name = re.sub(r"\([^)]*\)", " ", fold(name, plain_umlauts=True))
    return " ".join(_LEGAL.sub(" ", re.sub(r"[^\w]+", " ", name)).split())


def _spelt_out(named: str, listed: str) -> str:
    """`named` with a short word that is the initials of words of `listed` spelt out: "tu
    clausthal" as "technische universitat clausthal"."""
    words, theirs = named.split(), listed.split()
    out: list[str] = []
    for word in words:
        run = _initials_run(word, theirs) if 2 <= len(word) <= 4 else None
        out.extend(run or [word])
    return " ".join(out)


def _initials_run(word: str, theirs: list[str]) -> list[str] | None:
    for start in range(len(theirs) - len(word) + 1):
        run = theirs[start : start + len(word)]
        if "".join(w[0] for w in run) == word:
            return run
    return None


def listed(named: str, organisations: list[str]) -> tuple[str | None, list[str]]:
    """The directory's organisation `named` is, if one; else those near it (at most
    `SHOWN_NEAR`, the nearest first)."""
    asked = _plain(named)
    if not asked:
        return None, []
    scored: list[tuple[float, float, str]] = []
    for organisation in organisations:
        plain = _plain(organisation)
        if not plain:
            continue
        spelt = _spelt_out(asked, plain)
        same = max(fuzz.ratio(asked, plain), fuzz.ratio(spelt, plain))
        alike = _within(asked, plain) or _within(spelt, plain)
        scored.append((same, alike, organisation))
    best = max(scored, default=None)
    if best is not None and best[0] >= SAME:
        return best[2], []
    # "Bode Hartmetall" of "Bode Hartmetall Recycling": a name shortened at its end, when only
    # one organisation's name begins so
    leading = [organisation for organisation in organisations if _leads(asked, organisation)]
    if len(leading) == 1:
        return leading[0], []
    near = sorted((s for s in scored if s[1]), key=lambda s: -s[0])
    return None, [organisation for _same, _alike, organisation in near[:SHOWN_NEAR]]


def _leads(asked: str, organisation: str) -> bool:
    """The words of `asked` are the first words of the organisation's name: two at least, or
    one rare in general language ("Okertal"; "Hochschule" may begin many a name)."""
    mine, theirs = asked.split(), _plain(organisation).split()
    if theirs[: len(mine)] != mine:
        return False
    return len(mine) >= 2 or (len(mine[0]) >= RARE_NAME_LENGTH and _rare(mine[0]))


def _rare(word: str) -> bool:
    """Rarer than everyday words in German and English (a name, not "Stadt" or "Institut")."""
    return all(word_frequencies(lang).get(word, 0.0) <= COMMON_ZIPF for lang in ("de", "en"))


def _within(asked: str, listed: str) -> bool:
    """Every word of `asked` begins a word of `listed` ("okertal metall" within "okertal
    metallruckgewinnung"), short ones that may be initials aside when a longer one does ("tu
    clausthal" near "institut aufbereitung clausthal": for the member to judge)."""
    theirs = listed.split()
    mine = [word for word in asked.split() if len(word) > INITIALS] or asked.split()
    return all(any(word.startswith(one) for word in theirs) for one in mine)


async def answer_membership(ctx: Context, text: str) -> bool | str:
    """Whether the asker's organisation, or the one named, is in the directory (each, asked
    of both: "am I a member now? is TU Clausthal a member?"); asked beside other questions
    ("am i a member now, what are the benefits, …"), those are returned for the FAQ; False
    for any other message, and where the network has no directory."""
    asked_apart = questions(text)
    each = [membership_asked(question) for question in asked_apart]
    # each a question of its own for the FAQ, typed with commas or not
    rest = " ".join(
        q if q.rstrip().endswith(("?", ".", "!")) else f"{q.rstrip()}?"
        for q, asked in zip(asked_apart, each, strict=True)
        if asked is None
    )
    if len(each) < 2 or not any(each):
        each, rest = [membership_asked(text)], ""
    found = [asked for asked in each if asked is not None]
    if not found:
        return False
    # the names asked about say nothing of the language ("is Harz Metall a member?")
    unnamed = text
    for asked in found:
        unnamed = unnamed.replace(asked.named, " ") if asked.named else unnamed
    ctx = ctx.speaking(reply_language(unnamed, ctx.lang))
    async with ctx.db.session() as session:
        organisations = await members.directory_organisations(session)
    if not organisations:
        return False
    for asked in found:
        await _answer(ctx, asked, organisations)
    return rest or True


async def _answer(ctx: Context, asked: Asked, organisations: list[str]) -> None:
    if not asked.own:
        await ctx.reply(_about(ctx, asked.named, organisations))
        return
    if ctx.member.external_id is not None and ctx.member.organisation:
        await ctx.say("membership.own_entry", organisation=ctx.member.organisation)
        return
    own = ctx.member.organisation if ctx.member.onboarded else ""
    registered = ctx.t("membership.registered", profile=ctx.command("profile"))
    if not ctx.member.onboarded:
        registered = ctx.t("membership.not_registered", start=ctx.command("start"))
    if asked.registration_only:
        await ctx.reply(registered)
    elif not own:
        await ctx.reply(registered + "\n\n" + ctx.t("membership.name_it"))
    else:
        await ctx.reply(registered + "\n\n" + _about(ctx, own, organisations))


def _about(ctx: Context, name: str, organisations: list[str]) -> str:
    found, near = listed(name, organisations)
    if found is not None:
        return ctx.t("membership.listed", organisation=found)
    if near:
        return ctx.t("membership.near", asked=name, near="\n".join(f"• {o}" for o in near))
    return ctx.t("membership.not_listed", asked=name)


def register(router: Router) -> None:
    # before the events' answers (9, 10) and the FAQ (50), after the commands asked in words (8)
    router.free_text(priority=9)(answer_membership)
