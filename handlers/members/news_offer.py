"""What /news offers beside the FAQ's answers: the answer saying how to stop the news (or get
them) carries a button that does it, since the member asking "Wie bestelle ich die Nachrichten
ab?" expects it done rather than explained.

Registered as two `bot.router.HandoffOffer`s with `command="news"`: beside an answer or
choices naming an entry whose answer tells the member to type /news, whatever the entry's id.
A member who receives the news is offered to stop them, one who stopped them to get them back,
one who never had them (said no when registering) to get them, without "again".
Typed under the answer, a short "abbestellen" / "unsubscribe" / "keine News mehr" (or "wieder
bestellen" / "subscribe again") does what the button offers (`HandoffOffer.typed`); asked
under it whether one gets them ("bin ich da schon angemeldet?", "am I subscribed?"), the
member is told, the button staying. Asked anywhere whether one (still) gets invitations to
events ("krieg ich dann trotzdem noch Einladungen?"), the member is told that they come with
the news, and that reminders of their sign-ups come either way.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.flows import POLITE_TAILS, YES_WORDS
from bot.messages import KEEPS_CHOICES, Reply
from bot.router import HandoffOffer, Router
from bot.textmatch.analyzer import reply_language
from handlers.members.profile import store

COMMAND = "news"
STOP = "newsoff"
RESUME = "newson"
FIRST = "newsfirst"


# Typed under the button (`HandoffOffer.typed`): a short message made only of these words,
# with one that says what to do ("abbestellen", "keine news mehr", "unsubscribe", "no more
# news"; "wieder bestellen", "subscribe again"); never a question, a negation ("nicht
# abbestellen") or anything else named ("Mitgliedschaft abbestellen").
_NEWS = frozenset(
    {"news", "nachrichten", "neuigkeiten", "mitteilungen", "newsletter", "infos"}
    | {"updates", "messages"}
)
_STOP = frozenset(
    {"abbestellen", "abmelden", "abbestellung", "abbestellt", "stopp", "stoppen", "beenden"}
    | {"unsubscribe", "stop", "cancel", "opt", "out"}
)
_NONE_MORE = frozenset({"keine", "mehr", "no", "more"})
_RESUME = frozenset(
    {"bestellen", "abonnieren", "wieder", "anmelden", "erhalten", "bekommen", "zurück"}
    | {"subscribe", "resubscribe", "again", "back", "receive", "get", "resume"}
)
_FILLER = frozenset(
    {"ich", "möchte", "will", "die", "den", "alle", "sie", "mich", "jetzt", "bitte", "gern"}
    | {"mir", "schicken", "senden", "zuschicken", "schickt", "sendet"}
    | {"i", "want", "to", "the", "all", "them", "me", "now", "please", "would", "like"}
    | {"send", "sending", "pls", "plz"}
    | POLITE_TAILS
    | YES_WORDS
)
_WORD = re.compile(r"[^\W_]+")
MAX_TYPED_WORDS = 6


def _typed_words(text: str) -> set[str] | None:
    """The words of a short typed message that is no question; None otherwise."""
    words = _WORD.findall(text.casefold())
    if "?" in text or not 0 < len(words) <= MAX_TYPED_WORDS:
        return None
    return set(words)


def says_stop(text: str) -> bool:
    """Whether a short message asks to stop the news: "abbestellen", "keine News mehr",
    "unsubscribe", "no more news please"."""
    words = _typed_words(text)
    if words is None or not words <= _STOP | _NEWS | _NONE_MORE | _FILLER:
        return False
    return bool(words & _STOP) or (bool(words & _NEWS) and {"keine", "no"} & words != set())


def says_resume(text: str) -> bool:
    """Whether a short message asks to get the news again: "wieder bestellen", "News wieder
    erhalten", "subscribe again"."""
    words = _typed_words(text)
    return words is not None and words <= _RESUME | _NEWS | _FILLER and bool(words & _RESUME)


async def _receives(ctx: Context, _text: str) -> bool:
    return ctx.member.news_subscribed


async def _stopped(ctx: Context, _text: str) -> bool:
    """Had the news and stopped them: offered "wieder" (again)."""
    return not ctx.member.news_subscribed and ctx.member.news_stopped_at is not None


async def _never_had(ctx: Context, _text: str) -> bool:
    """Never had the news (said no when registering): offered them for the first time."""
    return not ctx.member.news_subscribed and ctx.member.news_stopped_at is None


async def _set(ctx: Context, text: str, wanted: bool) -> None:
    """Store the choice and confirm it in the language of the question the button was offered
    beside (as that answer was); pressed again, the same store and the same confirmation."""
    said = ctx.speaking(reply_language(text, ctx.lang))
    await store(said, "news_subscribed", wanted)
    first = wanted and ctx.member.news_stopped_at is None
    key = "profile.news_stopped"
    if wanted:
        key = "profile.news_subscribed_first" if first else "profile.news_resumed"
    await said.say(key, command=said.command(COMMAND))


async def _stop(ctx: Context, text: str, _question: int) -> None:
    await _set(ctx, text, False)


async def _resume(ctx: Context, text: str, _question: int) -> None:
    await _set(ctx, text, True)


# Under that button, whether the member gets the news already: "bin ich da schon angemeldet?",
# "bekomme ich die schon?", "am I subscribed?", "do I get them already?".
_OFFERED = re.compile(rf"^faq:of:\d+:(?:{STOP}|{RESUME}|{FIRST})$")
_ASKS_STATUS = re.compile(
    r"\b(?:bin|sind)\s+(?:ich|wir)\b(?:\W+(?:da|dafur|dafuer|dafür|schon|bereits|eigentlich|denn|"
    r"jetzt|noch|auch))*\W+(?:angemeldet|eingetragen|abonniert|dabei|drin)\b|"
    r"\b(?:bekomme?|bekommen|kriege?|kriegen|erhalte|erhalten)\s+(?:ich|wir)\s+"
    r"(?:(?:die|sie|das|den|es|denn|eigentlich|schon|bereits)\b\W*)+$|"
    r"\b(?:am|are)\s+(?:i|we)\s+(?:already\s+)?(?:subscribed|signed\s+up|registered|on\s+it)\b|"
    r"\bdo\s+(?:i|we)\s+(?:already\s+)?(?:get|receive)\s+(?:it|them|the\s+news)\b",
    re.IGNORECASE,
)
MAX_STATUS_WORDS = 8
_HOW = frozenset({"wie", "wo", "wann", "how", "where", "when"})


def asks_whether_subscribed(text: str) -> bool:
    """Whether a short question asks if the member gets the news (`_ASKS_STATUS`)."""
    words = _WORD.findall(text.casefold())
    if len(words) > MAX_STATUS_WORDS or _HOW.intersection(words):
        return False  # "wie bekomme ich die?": how, which the answer above says
    return bool(_ASKS_STATUS.search(text.strip(" ?!.")))


async def _status_asked(ctx: Context, text: str) -> bool:
    """Asked under the news button ("bin ich da schon angemeldet?": it had listed the member's
    event sign-ups): whether they get the news, and how to change it; the button stays."""
    if not any(_OFFERED.match(p) for p in ctx.shown_before) or not asks_whether_subscribed(text):
        return False
    key = "profile.news_status_yes" if ctx.member.news_subscribed else "profile.news_status_no"
    said = ctx.t(key, command=ctx.command(COMMAND))
    await ctx.reply(Reply(text=said, metadata={KEEPS_CHOICES: "yes"}))
    return True


# The chat's own news by name: not "newsletter" (a network may send one by e-mail, with its
# own unsubscribe link), nor "unsubscribe" or "abbestellen" alone (a sign-up, that e-mail).
_OWN_NEWS = _NEWS - {"newsletter", "infos"}


async def _stop_said(ctx: Context, text: str) -> bool:
    """ "keine News mehr bitte", "Neuigkeiten abbestellen", "no more updates" said on its own:
    the news stopped at once, as the button would (it had got the FAQ's answer on how to do
    it, with that button); one without them is told so."""
    words = _typed_words(text)
    if not ctx.incoming.is_private or not ctx.member.onboarded or words is None:
        return False
    if not says_stop(text) or not words & _OWN_NEWS:
        return False
    if not ctx.member.news_subscribed:
        said = ctx.speaking(reply_language(text, ctx.lang))
        await said.say("profile.news_already_stopped", command=said.command(COMMAND))
        return True
    await _set(ctx, text, False)
    return True


# Whether one (still) gets the invitations to events, which come with the news: "krieg ich
# dann trotzdem noch Einladungen zu den Veranstaltungen?", "bekomme ich noch Einladungen?",
# "do I still get event invitations?", "will I still be invited to events?".
_INVITATIONS = re.compile(
    r"\b(?:bekomme?|bekommen|kriege?|kriegen|erhalte|erhalten|get|receive)\s+(?:ich|wir|i|we)\b"
    r"(?:\W+\w+){0,4}?\W+(?:einladung(?:en)?|invitations?|invites?)\b|"
    r"\b(?:werde|werden)\s+(?:ich|wir)\b(?:\W+\w+){0,3}?\W+eingeladen\b|"
    r"\b(?:will|would)\s+(?:i|we)\b(?:\W+\w+){0,2}?\W+(?:be\s+)?invited\b|"
    r"\b(?:do|will|would)\s+(?:i|we)\s+(?:\w+\s+){0,2}?(?:get|receive)\s+(?:\w+\s+){0,3}?"
    r"(?:invitations?|invites?)\b",
    re.IGNORECASE,
)
MAX_INVITATION_WORDS = 14


def asks_whether_invited(text: str) -> bool:
    words = _WORD.findall(text.casefold())
    if len(words) > MAX_INVITATION_WORDS or _HOW.intersection(words):
        return False  # "wie bekomme ich Einladungen?": how, the FAQ's
    return bool(_INVITATIONS.search(text))


async def _invitations_asked(ctx: Context, text: str) -> bool:
    """Whether the member gets invitations to events: they come with the news, so as the
    news; reminders of the events they signed up for come either way."""
    if not ctx.incoming.is_private or not ctx.member.onboarded or not asks_whether_invited(text):
        return False
    said = ctx.speaking(reply_language(text, ctx.lang))
    key = "profile.invitations_yes" if ctx.member.news_subscribed else "profile.invitations_no"
    await said.say(key, command=said.command(COMMAND), events=said.command("events"))
    return True


def register(router: Router) -> None:
    router.free_text(priority=7)(_status_asked)
    router.free_text(priority=7)(_stop_said)
    router.free_text(priority=7)(_invitations_asked)
    router.offer_on_handoff(
        HandoffOffer(
            STOP, "profile.news_stop_button", _receives, _stop, command=COMMAND, typed=says_stop
        )
    )
    router.offer_on_handoff(
        HandoffOffer(
            RESUME,
            "profile.news_resume_button",
            _stopped,
            _resume,
            command=COMMAND,
            typed=says_resume,
        )
    )
    router.offer_on_handoff(
        HandoffOffer(
            FIRST,
            "profile.news_first_button",
            _never_had,
            _resume,
            command=COMMAND,
            typed=says_resume,
        )
    )
