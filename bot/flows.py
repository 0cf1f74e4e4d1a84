"""How a pending step of a guided conversation meets everything else a member may write.

A member is never trapped in a step (DESIGN: "A person is never trapped"):
- a command always works; the step keeps waiting, and one line (sent before the command's
  answer, so that answer's buttons stay on the last message) says how to go on or drop it;
- typed text that is not an answer to the step is never taken for a button press: a question
  (by its question mark or question word) is answered as a question (the step keeps waiting,
  one line before the answer says so, `FlowInfo.paused_key`, and a step asked with buttons is
  shown again after it: the answer's own buttons would take the typed choices) but never
  becomes an office ticket unasked; anything else, however long, gets a hint that
  says what the step expects and how to leave (it is no question for the FAQ or the office);
- "abbrechen" or "cancel" typed on its own ends the step, like /cancel.
The last question a step asked is kept with the step, so its command can show it again.
A flow that `stays` (the registration, a broadcast) is not ended by another flow's question:
it waits underneath (`PAUSED`, with whatever waited under it in turn), one line says so
(`KEY.kept`, naming when: `KEY.until` of the flow on top), and it is put back when that flow
ends; at the end of that update its question is shown again (its feature may say how it goes
on instead: `router.come_back`). That line is said once: not again while the flow was not
shown since (`TOLD`), and instead of the step's own "still waiting" line when the flow goes
under in the same update. A question kept in another language than the member's now
(`/sprache` meanwhile) is asked anew by its feature when shown again (`router.ask_again`).
The command of a waiting flow (pending or underneath), given with words ("/broadcast New
text"), hands them to its feature (`router.take_beside`), which changes what waits; its
question, no longer true, is asked anew when it is shown again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bot.messages import TYPED, Button, Reply, names_label
from bot.textmatch.stemming import stop_words

# The key the dispatcher keeps in a conversation's data beside the flow's own values.
QUESTION = "_question"
# The key keeping a flow that stays (its flow, step and data) under the flow asked beside it.
PAUSED = "_paused"
# The key marking a flow that stays as told that it waits (its `kept` line) and not shown
# again since: going under the same flow again (a partner search refined) needs no second
# line.
TOLD = "_told"
# How deep flows that stay are looked for under each other (there are only a few).
MAX_PAUSED = 8
_WORD = re.compile(r"[^\W_]+")
CANCEL_WORDS = frozenset({"abbrechen", "abbruch", "cancel", "stopp", "stop", "quit"})
# With nothing open, only these are /cancel: "stop" or "quit" alone is as often meant for the
# newsletter or the membership, which the FAQ answers.
CANCEL_ALONE_WORDS = frozenset({"abbrechen", "abbruch", "cancel"})
# Typed at a step that may be left out, these leave it out ("skip", "-", "ohne Deutsch",
# "English only"); at any step they are never stored as its text.
SKIP_MARKS = frozenset({"-", "–", "—", "/", ".", "n/a", "k. a.", "k.a."})
SKIP_WORDS = frozenset(
    {
        "skip", "überspringen", "ueberspringen", "auslassen", "weglassen", "weiter", "next",
        "none", "keine", "keiner", "kein", "nichts", "nothing", "leer", "empty", "entfällt",
        "ohne", "without", "nur", "only", "no",
    }
)  # fmt: skip
# Words that may stand beside a skip word ("keine deutsche Fassung", "skip the German title").
SKIP_COMPANIONS = frozenset(
    {
        "deutsch", "deutsche", "deutschen", "german", "englisch", "englische", "englischen",
        "english", "version", "fassung", "text", "titel", "title", "frage", "question",
        "antwort", "answer", "bitte", "please", "the", "this", "die", "das", "den", "hier",
        "here", "sprache", "language", "auf", "in",
    }
)  # fmt: skip
QUESTION_STARTS = frozenset(
    {
        "wie", "was", "wann", "wo", "wer", "warum", "weshalb", "welche", "welcher", "welches",
        "wieviel", "wieso", "woher", "wohin", "gibt", "kann", "darf", "muss", "ist", "sind",
        "how", "what", "when", "where", "who", "why", "which", "can", "may", "is", "are", "do",
        "does",
        # typed on a phone without the apostrophe or joined
        "whos", "whats", "wheres", "whens", "hows", "whys", "gibts", "wieviele",
    }
)  # fmt: skip


# Verbs that open a question before their subject (`is_question`): not "will", "habe", "bin"
# alone, which open statements too ("will mich anmelden", "habe keine Zeit"), unless their
# subject follows ("bin ich hier richtig").
_ASKING_VERBS = frozenset(
    {"habt", "hast", "hat", "haben", "habe", "hab", "könnt", "koennt", "kannst", "können"}
    | {"koennen", "seid", "bist", "bin", "wird", "werden", "soll", "sollen", "sollte", "müssen"}
    | {"muessen", "dürfen", "duerfen", "brauche", "braucht", "brauchen", "bietet", "macht"}
    | {"have", "has", "could", "would", "should", "will", "did", "am", "were", "was"}
)
_SUBJECTS = frozenset(
    {"ihr", "du", "sie", "man", "ich", "wir", "es", "jemand", "der", "die", "das"}
    | {"you", "i", "we", "they", "it", "he", "she", "there", "anyone", "someone", "the"}
)
_ASKED_LAST = frozenset({"wie", "wo", "wann", "warum", "wieso", "how", "where", "when", "why"})


@dataclass(frozen=True)
class FlowInfo:
    """What the member is told about a flow: `key` names its catalogue texts (`KEY.paused`,
    `KEY.resumed`, and `KEY.kept` for a flow that stays: whole sentences, since the flow's noun
    decides the grammar; `KEY.until`: a clause ending a `kept` line while this flow is on top,
    "die neue Veranstaltung gespeichert oder verworfen ist"), `resume` is the command that
    continues it; `own_limit` names the steps that check a text's length
    themselves (the limit for any message would refuse it first, with another number);
    `stays`: another flow asked beside it keeps it underneath instead of ending it;
    `previews`: the steps that show what is about to happen and wait for its buttons (save
    or discard), no question: their "still waiting" line is `KEY.paused_preview`."""

    key: str = "flows.generic"
    resume: str | None = None
    own_limit: frozenset[str] = frozenset()
    stays: bool = False
    previews: frozenset[str] = frozenset()

    def paused_key(self, step: str) -> str:
        """The catalogue key of the line saying that the flow still waits at `step`: "answer
        the last question", or at a preview, that it waits for its buttons."""
        return f"{self.key}.paused_preview" if step in self.previews else f"{self.key}.paused"


def own_values(data: dict[str, Any]) -> dict[str, Any]:
    """A conversation's data as its flow stored it (without the dispatcher's keys)."""
    return {k: v for k, v in data.items() if k not in (QUESTION, PAUSED, TOLD)}


def paused_under(
    pending: tuple[str, str, dict[str, Any]] | None, flow: str, flows: dict[str, FlowInfo]
) -> dict[str, Any] | None:
    """What waits under `flow` when it is asked while `pending` (flow, step, data) waits: the
    pending flow itself when it stays (with what waited under it), else what already waited
    under it; never an older `flow` itself (asked again, it starts anew)."""
    if pending is None:
        return None
    was, step, data = pending
    kept: object = data.get(PAUSED)
    if was != flow and flows.get(was, FlowInfo()).stays:
        kept = {"flow": was, "step": step, "data": dict(data)}
    while isinstance(kept, dict) and kept.get("flow") == flow:
        under = kept.get("data")
        kept = under.get(PAUSED) if isinstance(under, dict) else None
    return kept if isinstance(kept, dict) else None


def _paused(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each flow waiting under a conversation (its `data`) with its own data, nearest first."""
    kept = data.get(PAUSED)
    for _depth in range(MAX_PAUSED):
        if not isinstance(kept, dict):
            return
        under = kept.get("data")
        under = under if isinstance(under, dict) else {}
        yield str(kept.get("flow")), under
        kept = under.get(PAUSED)


def paused_step(data: dict[str, Any], flow: str) -> tuple[str, dict[str, Any]] | None:
    """The step `flow` waits at under a conversation (its `data`) and its own data; None when
    it does not wait there."""
    kept = data.get(PAUSED)
    for _depth in range(MAX_PAUSED):
        if not isinstance(kept, dict):
            return None
        under = kept.get("data")
        under = under if isinstance(under, dict) else {}
        if kept.get("flow") == flow:
            return str(kept.get("step", "")), own_values(under)
        kept = under.get(PAUSED)
    return None


def with_paused(data: dict[str, Any], flow: str, step: str, own: dict[str, Any]) -> dict[str, Any]:
    """A conversation's `data` with `flow`, waiting under it, now at `step` with `own` data.
    Its kept question is dropped: it no longer says what waits, and the flow asks its step
    anew when it comes back (`Context.show_again`)."""
    kept = data.get(PAUSED)
    if not isinstance(kept, dict):
        return data
    under = kept.get("data")
    under = under if isinstance(under, dict) else {}
    if kept.get("flow") == flow:
        beneath = {key: value for key, value in under.items() if key in (PAUSED, TOLD)}
        changed = {**kept, "step": step, "data": {**own_values(own), **beneath}}
    else:
        changed = {**kept, "data": with_paused(under, flow, step, own)}
    return {**data, PAUSED: changed}


def paused_flows(data: dict[str, Any]) -> list[str]:
    """The flows waiting under a conversation (its `data`), the nearest first."""
    return [flow for flow, _data in _paused(data)]


def waiting_labelled(data: dict[str, Any], text: str) -> str | None:
    """The flow waiting under a conversation (its `data`) whose last question has a button
    worded as `text` ("Ohne Bild oder Datei" typed while a broadcast waits under a new event);
    None when there is none, or when the conversation's own question has such a button too
    (what is asked now comes first)."""
    if names_label(text, question_labels(data.get(QUESTION))):
        return None
    return next(
        (
            flow
            for flow, under in _paused(data)
            if names_label(text, question_labels(under.get(QUESTION)))
        ),
        None,
    )


def question_labels(payload: object) -> list[str]:
    """The button labels of a kept question (`question_payload`)."""
    if not isinstance(payload, dict):
        return []
    return [str(button[0]) for row in payload.get("buttons", []) for button in row if button]


# Words that say yes or no at the start of an answer ("ja bitte", "yes I am", "nein danke"):
# a question one button answers (`messages.YES_PRESSES`) and a step's yes/no question
# (`handlers.members.rules.parse_yes_no`) read them alike.
YES_WORDS = frozenset(
    {"ja", "jawohl", "jo", "jep", "jap", "jup", "klar", "gern", "gerne"}  # German
    | {"yes", "yep", "yup", "ya", "yeah", "sure", "ok", "okay"}  # English, and both
)
NO_WORDS = frozenset({"nein", "nee", "nö", "no", "nope"})
# Words that say no only alone or with a thanks ("ne danke", "nah thanks"): "ne" is also
# spoken "eine" ("ne Frage noch"), "nah" is German for near.
SHORT_NO_WORDS = frozenset({"ne", "nah"})
MAX_YES_NO_WORDS = 3


def typed_yes_no(text: str) -> bool | None:
    """True for a plain typed yes, False for a plain no, None for anything else (a question
    or a longer message is no answer of one word: "ja, aber wann ist das Treffen?")."""
    if "?" in text:
        return None
    words = _WORD.findall(text.lower())
    if not 0 < len(words) <= MAX_YES_NO_WORDS:
        return None
    if words[0] in YES_WORDS:
        return True
    if says_no(words):
        return False
    return None


def says_no(words: list[str], tail: frozenset[str] = frozenset()) -> bool:
    """Whether the typed `words` (lower case) begin with a no (`NO_WORDS`), or are a short
    no and at most a thanks or `tail` words (`SHORT_NO_WORDS`)."""
    if not words:
        return False
    short = words[0] in SHORT_NO_WORDS and set(words[1:]) <= POLITE_TAILS | tail
    return words[0] in NO_WORDS or short


# Words that ask for more choices ("mehr", "weitere bitte", "more please", "show more"), and
# those that may go with them: under the FAQ's choices they ask for further topics
# (`messages.MORE_PRESSES`).
MORE_WORDS = frozenset({"mehr", "weitere", "weiteres", "more"})
_MORE_TAILS = frozenset(
    {"noch", "zeigen", "zeig", "themen", "vorschläge", "optionen", "auswahl"}  # German
    | {"show", "me", "any", "some", "topics", "options", "choices", "suggestions"}  # English
)


def typed_more(text: str) -> bool:
    """Whether `text` asks for more choices and nothing else ("mehr", "noch mehr?", "weitere
    Themen bitte", "more please"); never a longer question ("mehr zum Symposium?")."""
    words = _WORD.findall(text.lower())
    if not 0 < len(words) <= MAX_YES_NO_WORDS + 1 or not MORE_WORDS & set(words):
        return False
    return set(words) <= MORE_WORDS | _MORE_TAILS | POLITE_TAILS


# Saying an answer did not help ("hilft mir nicht wirklich", "das war nicht hilfreich",
# "that didn't help", "wrong answer"): a negation and a word of helping or answering, or a
# word of wrong, and nothing but everyday words around them. Under an answer with 👍/👎 it is
# the 👎 (`messages.NOT_HELPFUL_PRESSES`); it had been read as a question and answered.
_NEGATIONS = frozenset({"nicht", "nich", "net", "kein", "keine", "not", "no", "t", "nt"})
_HELPING = frozenset(
    {"hilft", "hilfreich", "geholfen", "weiter", "beantwortet", "gemeint", "gefragt", "gesucht"}
    | {"help", "helps", "helped", "helpful", "answer", "answers", "answered", "meant", "asked"}
    | {"what", "looking", "useful"}
)
_WRONG = frozenset({"falsch", "falsche", "unpassend", "wrong", "useless", "unhelpful"})
_AROUND_FEEDBACK = frozenset(
    {"das", "war", "ist", "mir", "uns", "wirklich", "so", "ganz", "leider", "eigentlich"}
    | {"aber", "hat", "die", "eine", "antwort", "meine", "frage", "ich", "habe", "hab", "was"}
    | {"hmm", "hm", "naja", "nee", "ne", "sorry", "that", "this", "it", "was", "is", "s"}
    | {"really", "quite", "very", "the", "an", "a", "my", "question", "me", "us", "i", "for"}
    | {"didn", "didnt", "doesn", "doesnt", "isn", "isnt", "wasn", "wasnt", "does", "did"}
    | {"but", "sadly", "unfortunately", "at", "all", "überhaupt", "ueberhaupt", "gar"}
)


# A thumbs down, in any skin tone, once or more ("👎", "👎🏼👎🏼").
_THUMBS_DOWN = re.compile("(?:\U0001f44e[\U0001f3fb-\U0001f3ff]?\ufe0f?\\s*)+")


def typed_not_helpful(text: str) -> bool:
    """Whether `text` says the answer above did not help, and nothing else (see above); never
    a question of its own ("hilft das Cluster nicht bei Förderanträgen?")."""
    if "?" in text:
        return False
    if _THUMBS_DOWN.fullmatch(text.strip()):
        return True  # "👎" typed: the button's own sign
    words = [w.replace("’", "") for w in _WORD.findall(text.lower())]
    if not 0 < len(words) <= 10:
        return False
    said = set(words)
    negated = bool(said & _NEGATIONS) or any(w.endswith("nt") for w in said & _AROUND_FEEDBACK)
    if not ((negated and said & _HELPING) or said & _WRONG):
        return False
    return said <= _NEGATIONS | _HELPING | _WRONG | _AROUND_FEEDBACK | POLITE_TAILS


def is_plain_no(text: str, tail: frozenset[str] = frozenset()) -> bool:
    """A typed no and nothing more ("nein", "no", "nein danke", "nee, erstmal nicht" with
    `tail` words of the step): no question, no other word ("nein, später" is no plain no)."""
    if "?" in text:
        return False
    words = _WORD.findall(text.lower())
    return says_no(words, tail) and set(words[1:]) <= POLITE_TAILS | tail


# After a yes, these make the rest a question or no yes at all ("ja, aber wann ist das",
# "ja, leider nicht vor März", "yes, but how …"); before them may stand a joining word.
_ASKING_WORDS = QUESTION_STARTS - {"gibt", "gibts", "kann", "darf", "muss", "ist", "sind"} - {
    "can", "may", "is", "are", "do", "does"
}  # fmt: skip
_HEDGES = frozenset(
    {"nicht", "kein", "keine", "keinen", "keiner", "leider", "nie", "vielleicht", "eventuell"}
    | {"not", "t", "unfortunately", "never", "maybe", "perhaps"}
)
_JOINING = frozenset({"aber", "und", "doch", "nur", "but", "and", "just", "only"})
# After a yes, words that only say it again as the wish to take part ("ja, meld mich bitte
# an", "klar, bin dabei", "yes, sign me up", "sure, count me in"): the yes's button is that
# wish, so nothing of such a rest is left behind.
_YES_AGAIN = frozenset(
    {"melde", "meld", "meldet", "anmelden", "anmeldung", "trag", "trage", "tragt", "eintragen"}
    | {"ein", "an", "dabei", "komme", "kommen", "mache", "machen", "nehme", "nehmen", "platz"}
    | {"annehmen", "gern", "gerne", "natürlich", "sehr", "auch"}
    | {"sign", "signup", "up", "count", "register", "join", "like", "love", "would", "d"}
    | {"ll", "m", "come", "coming", "accept", "take", "spot", "place", "definitely", "course"}
    | {"me", "us", "in", "i", "we", "too"}
)
# After a no, words that only say it again as keeping things as they are ("no wait, keep me
# on the list", "nein, lass mich dabei"): the no's answer is that, nothing is left behind.
_NO_AGAIN = frozenset(
    {"warte", "doch", "bleib", "bleibe", "bleiben", "lass", "lasst", "angemeldet", "dabei"}
    | {"drauf", "eingetragen", "liste", "mich", "uns", "so", "wie", "es", "ist"}
    | {"wait", "keep", "stay", "staying", "list", "signed", "up", "registered", "me", "us"}
    | {"on", "in", "as", "is", "it"}
)
# These that go on are no clear yes ("ok, ich schaue mir das an", "gerne hätte ich …")
_WEAK_YES = frozenset({"ok", "okay", "gern", "gerne"})


def leading_yes_no(text: str) -> tuple[bool, str] | None:
    """A clear yes or no that goes on ("klar machen wir, wir haben ein ICP-OES im Labor", "nein,
    wir machen keine Analytik"): the answer and the rest as typed. None for a plain yes or no
    (`typed_yes_no`), a question (its mark, or a question word after the yes: "ja, aber wann ist
    das"), a yes with a "nicht" or "leider" after it, or an "ok" that goes on."""
    if "?" in text:
        return None
    found = list(_WORD.finditer(text.lower()))
    words = [match.group() for match in found]
    if len(words) <= MAX_YES_NO_WORDS or words[0] in _WEAK_YES:
        return None
    if typed_yes_no(words[0]):
        answer = True
    elif words[0] in NO_WORDS:  # not a short one: "ne Frage noch …" is no no
        answer = False
    else:
        return None
    after = words[1:]
    while after and after[0] in _JOINING:
        after = after[1:]
    if after and after[0] in _ASKING_WORDS:
        return None
    if answer and _HEDGES & set(after):
        return None
    rest = text[found[0].end() :].lstrip(" \t\n,.;:!-–—").rstrip()
    said_again = YES_WORDS | NO_WORDS | POLITE_TAILS | stop_words("de") | stop_words("en")
    if answer:
        said_again |= _YES_AGAIN  # "ja, meld mich bitte an": the sign-up the yes presses
    else:
        said_again |= _NO_AGAIN  # "no wait, keep me on the list": the no's keeping
    if set(after) <= said_again:
        rest = ""  # "klar, machen wir gern": only the yes said again, nothing left behind
    return answer, rest


# A no that corrects what was understood, then the question meant ("nee ich mein welche Firmen
# schon dabei sind", "nein, ich meinte: …", "no, I mean …", "nope, what I meant was …"): the
# words of meaning after the no (and what may stand between: "sorry", "eigentlich", "wait").
_CORRECTING = re.compile(
    r"^\W*(?:nein|nee|nö|ne|no|nope|nah)\b[\s,.;:!–—-]*"
    r"(?:(?:sorry|sry|sorri|warte|wait|also|ok|okay|doch)\b[\s,.;:!–—-]*)*"
    r"(?:ich\s+mein(?:e|te|t)?|gemeint\s+(?:ist|war)|mir\s+geht\s+es\s+(?:darum|um)|"
    r"i\s+mean[t]?|what\s+i\s+(?:mean[t]?|wanted\s+to\s+know)\s+(?:is|was)|"
    r"i\s+(?:was\s+asking|wanted\s+to\s+know))\b"
    r"(?:[\s,.;:!–—-]*(?:eigentlich|eher|vielmehr|actually|rather|really|more\s+like))*"
    r"[\s,.;:!–—-]*",
    re.IGNORECASE,
)


def corrected_question(text: str) -> str | None:
    """The question a typed correction asks after its no ("nein, ich meine, wann ist das
    Symposium" -> "wann ist das Symposium"); None when `text` is none, or what follows the
    words of meaning asks nothing ("nein, ich meine etwas anderes")."""
    found = _CORRECTING.match(text)
    if found is None:
        return None
    rest = text[found.end() :].strip()
    return rest if is_question(rest) else None


def is_cancel_word(text: str, words: frozenset[str] = CANCEL_WORDS) -> bool:
    found = _WORD.findall(text.lower())
    return len(found) == 1 and found[0] in words


# Plain phrases that drop what waits, as /cancel does ("vergiss es", "nein, lass mal", "no,
# forget it"): whole, after a leading no and before a trailing thanks; never part of a longer
# text or a question ("Vergiss es nicht: …", "Kann ich das lassen?").
DROP_PHRASES = frozenset(
    {
        "vergiss es",
        "vergiss das",
        "vergessen sie es",
        "vergessen sie das",
        "lass mal",
        "lass es",
        "lass es sein",
        "lassen sie es",
        "lieber nicht",
        "doch nicht",
        "forget it",
        "forget about it",
        "never mind",
        "nevermind",
        "drop it",
        "rather not",
        "i d rather not",
        "better not",
    }
)
# Drop phrases that say no to what is asked ("lieber nicht", "rather not"): where the question
# has a button of its own for no, they are its answer.
_NOT_THIS = frozenset({"lieber nicht", "doch nicht", "rather not", "i d rather not", "better not"})
# Polite words that may close a short answer ("nein danke", "ja bitte", "no thank you"):
# with them alone it says no more than without them.
POLITE_TAILS = frozenset({"danke", "bitte", "thanks", "thank", "you", "please"})


def is_polite_word(word: str) -> bool:
    """A typed word (split at spaces) that is one of `POLITE_TAILS`, its case and the
    punctuation around it aside ("Bitte", "danke!", "thanks,")."""
    return word.casefold().strip(" ,.!") in POLITE_TAILS


def is_drop_phrase(text: str, labels: list[str] | None = None) -> bool:
    """A plain phrase dropping what waits (`DROP_PHRASES`). Where the step's own question has
    a button that starts with a no (`labels`: "Nein, danke"), a text starting with a no is
    its answer, not a cancel."""
    if "?" in text:
        return False
    words = _WORD.findall(text.lower())
    answered_no = any(_first_word(label) in NO_WORDS for label in labels or ())
    if words and words[0] in NO_WORDS | SHORT_NO_WORDS:
        if answered_no:
            return False
        words = words[1:]
    while words and words[-1] in POLITE_TAILS:
        words = words[:-1]
    phrase = " ".join(words)
    # "lieber nicht", "rather not" where the question has its own no: that no, not a cancel
    return phrase in DROP_PHRASES and not (answered_no and phrase in _NOT_THIS)


def _first_word(label: str) -> str:
    found = _WORD.findall(label.lower())
    return found[0] if found else ""


# Going back a step of a guided conversation (the registration, the event form).
_BACK = frozenset({"zurück", "zurueck", "back", "go back", "previous"})


def goes_back(text: str) -> bool:
    """ "zurück", "back" typed alone: the step before is asked again."""
    return " ".join(text.casefold().strip(" .!?").split()) in _BACK


def is_skip_word(text: str) -> bool:
    """A word (or a few) saying "leave this out" rather than giving a text: "skip", "-",
    "überspringen", "keine deutsche Fassung", "English only"."""
    stripped = " ".join(text.lower().split())
    if stripped in SKIP_MARKS:
        return True
    words = _WORD.findall(stripped)
    return (
        0 < len(words) <= 4
        and any(word in SKIP_WORDS for word in words)
        and all(word in SKIP_WORDS or word in SKIP_COMPANIONS for word in words)
    )


def is_question(text: str) -> bool:
    """Only what reads as a question, by its question mark or a question word at the start
    (everyday German and English): typed beside a step, a text is answered as a question only
    then (a step that takes any text, a name or topics, asks the same)."""
    words = _WORD.findall(text.lower())
    if not any(ch.isalnum() for ch in text):
        return False  # "?" alone asks nothing: the step says what it wants
    if "?" in text or (len(words) >= 2 and words[0] in QUESTION_STARTS):
        return True
    # a verb and its subject, as a question opens on a phone without its mark ("habt ihr
    # eine jobbörse", "könnt ihr mir helfen", "have you got a job board"); a question word
    # last ("newsletter abbestellen wie")
    verb_first = len(words) >= 3 and words[0] in _ASKING_VERBS and words[1] in _SUBJECTS
    return verb_first or (len(words) >= 2 and words[-1] in _ASKED_LAST)


def question_payload(reply: Reply, lang: str) -> dict[str, Any]:
    """The part of a step's question worth showing again: its text and buttons, the language
    they are in (`lang`), and whether a typed number answers it (then a console letters its
    buttons: `typed`)."""
    payload: dict[str, Any] = {
        "text": reply.text,
        "buttons": [[[b.label, b.payload] for b in row] for row in reply.buttons],
        "lang": lang,
    }
    if reply.metadata.get(TYPED):
        payload[TYPED] = reply.metadata[TYPED]
    return payload


def skip_button(payload: object) -> str | None:
    """The payload of a kept question's (`question_payload`) button that leaves it out
    ("Überspringen", "Skip"), or None when it has none."""
    if not isinstance(payload, dict):
        return None
    for row in payload.get("buttons", []):
        for button in row:
            if len(button) > 1 and is_skip_word(str(button[0])):
                return str(button[1])
    return None


def question_has_buttons(payload: object) -> bool:
    """Whether a kept question (`question_payload`) has buttons."""
    return bool(question_labels(payload))


def question_language(payload: object) -> str | None:
    """The language a kept question is in (None when kept before it was noted)."""
    lang = payload.get("lang") if isinstance(payload, dict) else None
    return lang if isinstance(lang, str) else None


def question_reply(payload: object) -> Reply | None:
    if not isinstance(payload, dict) or not payload.get("text"):
        return None
    buttons = tuple(
        tuple(Button(str(label), str(data)) for label, data in row)
        for row in payload.get("buttons", [])
    )
    typed = payload.get(TYPED)
    metadata = {TYPED: str(typed)} if typed else {}
    return Reply(text=str(payload["text"]), buttons=buttons, metadata=metadata)
