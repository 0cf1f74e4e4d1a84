"""What a command does, asked for in words: never an FAQ topic, never a ticket.

A member asking after their own things gets them: "hab ich schon Antworten bekommen?" their
questions to the office (/meinefragen), "who received my partner request?" their requests
(/anfragen), and so does "hat sich schon wer gemeldet?" from one whose partner request runs;
"was wisst ihr über mich?" what is stored about them (/meinedaten); "mein Profil" their
profile (/profil); "was gab es zuletzt für Neuigkeiten?" the latest news they got; "can I
subscribe to all events in my calendar?" the offer of /kalender alle, "wie krieg ich die
Termine in meinen Kalender?" their calendar feed (/kalender). Someone who has not introduced
themselves asking how to register here ("how do i register?") is shown /start.
The office asking for its work ("zeig mir die offenen Fragen", "ich möchte eine Nachricht an
alle Mitglieder schicken", "was kann ich hier als Geschäftsstelle machen?") is told the
command that does it, with a button that runs it: the office's message is no ticket to
itself; the office writing a broadcast's text after "Rundschreiben an alle:" starts the
broadcast with it (its preview comes before anything goes out). Only everyday words, and a
message short enough to be one request."""

from __future__ import annotations

import re

from bot.context import Context
from bot.i18n import Markup
from bot.messages import YES_PRESSES, Button, Reply
from bot.router import Router
from bot.textmatch import resources
from bot.textmatch.normalize import fold, remove_fillers
from handlers import broadcast
from handlers.broadcast.received import show_received
from handlers.broadcast.rules import Audience
from handlers.events import feed
from handlers.events.choosing import visible_upcoming
from handlers.events.edit_guess import change_in_words, fields_in_words
from handlers.events.feed_commands import links_text
from handlers.events.naming import named_about_events, pick
from handlers.events.typos import nearest_by_typo
from handlers.faq.mine import withdrawn_said
from handlers.faq.rules import question_language
from handlers.partners.overview import offer_close
from storage import partners
from storage.events import Event

# A request for one's own things, or for the office's work, is a short message.
MAX_WORDS = 14

_MINE = r"(?:meine|meinen|meiner|meinem|my)"
# Whom a member asks after an answer by: the office, or the bot's "ihr"/"you".
_OFFICE_WORD = (
    r"(?:(?:cluster)?geschaft(?:s)?stelle|buro|office|team|ihr|you|anyone|anybody|someone|somebody)"
)
# "hab ich schon Antworten bekommen?", "hab ich ne Antwort?", "gibt es schon eine Antwort auf
# meine Frage?", "wurde meine Frage beantwortet?", "meine offenen Fragen"; "have I got any
# answers?", "any reply to my question yet?", "was my question answered?", "my questions".
_GOT = r"(?:bekommen|erhalten|gekriegt|got|gotten|get|received|had)"
_ANSWER_DE = r"(?:antwort|antworten|ruckmeldung|ruckmeldungen)"
_ANSWER_EN = r"(?:answers?|repl(?:y|ies)|responses?)"
_OWN_QUESTIONS = re.compile(
    rf"\b(?:habe|hab|hatte)\s+ich\b(?:\W+\w+){{0,4}}?\W+{_ANSWER_DE}\b(?:\W+\w+){{0,3}}?\W+{_GOT}\b|"
    rf"\b(?:habe|hab)\s+ich\s+(?:schon\s+|inzwischen\s+|jetzt\s+)?(?:eine|ne|n)\s+{_ANSWER_DE}\b|"
    rf"\b(?:schon|inzwischen|mittlerweile|bereits|endlich)\b(?:\W+\w+){{0,3}}?\W+{_ANSWER_DE}\b|"
    rf"\b{_ANSWER_DE}\b(?:\W+\w+){{0,2}}?\W+(?:auf|zu)\s+{_MINE}\s+fragen?\b|"
    rf"\b(?:wurde|ist|wurden|sind)\s+{_MINE}\s+fragen?\b(?:\W+\w+){{0,3}}?\W+beantwortet\b|"
    rf"\b(?:hat|haben)\b(?:\W+\w+){{0,3}}?\W+{_MINE}\s+fragen?\s+(?:schon\s+|bereits\s+)?beantwortet\b|"
    rf"\b{_MINE}\s+(?:offenen?\s+|gestellten?\s+|bisherigen?\s+)?fragen\b|"
    rf"\b(?:have|did|do)\s+i\s+(?:already\s+|yet\s+|ever\s+)?{_GOT}\b(?:\W+\w+){{0,2}}?\W+{_ANSWER_EN}\b|"
    rf"\b(?:any|an)\s+{_ANSWER_EN}\s+(?:yet|so\s+far|from\s+the\s+office)\b|"
    rf"\b{_ANSWER_EN}\s+(?:\w+\s+)?to\s+{_MINE}\s+questions?\b|"
    rf"\b(?:was|were|has|have)\s+{_MINE}\s+questions?\b(?:\W+\w+){{0,2}}?\W+answered\b|"
    rf"\b(?:answered|replied\s+to|responded\s+to)\s+{_MINE}\s+questions?\b|"
    rf"\b{_MINE}\s+(?:open\s+)?questions\b|"
    # "hat die Geschäftsstelle schon auf meine Frage geantwortet?", "hat sich das Büro schon
    # gemeldet?", "has the office replied yet?", "did the office get back to me?"
    rf"\b(?:hat|haben|habt)\s+(?:sich\s+)?(?:die\s+|das\s+)?{_OFFICE_WORD}\b(?:\W+\w+){{0,5}}?\W+"
    r"(?:geantwortet|beantwortet|reagiert|gemeldet|zuruckgemeldet|zuruckgeschrieben)\b|"
    rf"\b(?:has|have|did)\s+(?:the\s+|your\s+)?{_OFFICE_WORD}\b(?:\W+\w+){{0,3}}?\W+"
    r"(?:answered|replied|responded|reply|respond|answer|got\s+back|get\s+back|written\s+back)\b|"
    # "meine Frage von vorhin, gibts da was neues?"
    rf"\b{_MINE}\s+(?:\w+\s+)?fragen?\b(?:\W+\w+){{0,5}}?\W+(?:was\s+neues|etwas\s+neues|stand)\b|"
    # "hab ich noch offene Fragen?", "do I have any open questions?"
    r"\b(?:habe|hab)\s+ich\s+(?:noch\s+|schon\s+|gerade\s+)?(?:offene|unbeantwortete)\s+fragen\b|"
    r"\b(?:do|have)\s+i\s+(?:still\s+)?(?:have\s+|got\s+)?(?:any\s+)?(?:open|unanswered|pending)\s+"
    r"questions\b|"
    # "was is mit meiner Frage zum Parken?", "what about my question on parking?"
    rf"\b(?:was\s+(?:ist|is)\s+(?:mit|aus)|wie\s+steht\s+es\s+(?:mit|um))\s+{_MINE}\s+fragen?\b|"
    rf"\b(?:what\s+about|what\s+happened\s+(?:to|with)|any\s+news\s+on)\s+{_MINE}\s+questions?\b"
)
# "wer hat meine Partneranfrage bekommen?", "was ist aus meiner Anfrage geworden?", "Stand
# meiner Anfrage", "who received my partner request?", "status of my request?".
# "my search for a lab" is a new search: only a partner search is one asked after
_REQUEST = r"(?:(?:partner\s*)?(?:anfragen?|requests?)|partner\s*(?:suche|search))"
_OWN_REQUEST = re.compile(rf"\b{_MINE}\s+(?:\w+\s+)?{_REQUEST}\b")
# The words of `_REQUEST`, read as meant when typed one typo off ("partner reqest", "meine
# Anfarge"): a word no word list knows, this long at least, one edit from one of them.
_REQUEST_WORDS = (
    "anfrage",
    "anfragen",
    "partneranfrage",
    "partneranfragen",
    "partnersuche",
    "request",
    "requests",
    "partner",
    "search",
)
_TYPO_MIN_LENGTH = 5
# ... asked after: where it stands, who got it, what came of it ("Can you help with my request
# for funding?", "Who can help with my request for a lab?" are questions of their own). A
# message of a few words ("meine Anfragen") is.
_HOW_IT_STANDS = re.compile(
    r"\b(?:status|stand|steht|stehts|sieht|siehts|aussieht|schaut|schauts|was\s+is[tn]?|"
    r"what\s+happened|passiert|geworden|"
    r"bekommen|erhalten|received|got|gelesen|gesehen|read|seen|beantwortet|geantwortet|"
    r"answered|reagiert|responded|replied|reply|interessiert|interested|update|neues|news|"
    r"how\s+is|lauft|going|doing|"
    # where to see them: "where do I see my requests?", "wo sehe ich meine Anfragen?"
    r"sehe|see|finde|find|zeig\w*|show|ubersicht|overview)\b"
)
_FEW_WORDS = 4
# "wie siehts aus mit meiner Suche?": a search asked after, where the member's partner request
# runs ("meine Suche nach einem Labor" alone may be a new one: `_HOW_IT_STANDS` is asked).
_OWN_SEARCH = re.compile(rf"\b{_MINE}\s+(?:\w+\s+)?(?:suche|search)\b")
# "hat sich schon wer gemeldet?", "wer hat geantwortet?", "has anyone replied yet?", "did
# somebody get back to me?": someone answering, nobody named; where the member's partner
# request runs, its answers (not who signed up for an event: "wer hat sich angemeldet").
_SOMEONE = (
    r"(?:wer|jemand|jemand\w+|irgendwer|irgendjemand|einer|eine|keiner|niemand|mitglieder?|"
    r"anyone|anybody|someone|somebody|no\s*one|nobody|members?)"
)
# "Interesse" answers a request ("hat schon jemand Interesse gezeigt?", "Interesse an meiner
# Anfrage"), unless what follows says what the interest would be in: that is a new need
# ("Hat jemand Interesse, eine Bachelorarbeit zu betreuen?", "Interesse an Tantal?").
_ANSWERED_DE = (
    r"(?:geantwortet|reagiert|zuruckgeschrieben|zuruckgemeldet|"
    r"interesse(?!\s*,)(?!\s+(?:an|am|daran|dafur|zu|zum|zur)\b(?!\s+(?:mein|unser)\w*\b)))"
)
_ANSWERED_EN = (
    r"(?:repl(?:y|ied)|answer(?:ed)?|respond(?:ed)?|react(?:ed)?|"
    r"g[eo]t(?:ten)?\s+(?:back|in\s+touch)|been\s+in\s+touch|show(?:n|ed)?\s+interest)"
)
_ANYONE_ANSWERED = re.compile(
    rf"\b(?:hat|haben)\s+sich\b(?:\W+\w+){{0,5}}?\W+(?:zuruck)?gemeldet\b|"
    rf"\b(?:hat|haben)\b(?:\W+\w+){{0,2}}?\W+{_SOMEONE}\b(?:\W+\w+){{0,2}}?\W+{_ANSWERED_DE}\b|"
    rf"\bwer\s+hat\b(?:\W+\w+){{0,2}}?\W+{_ANSWERED_DE}\b|"
    rf"\b(?:has|have|did)\s+{_SOMEONE}\b(?:\W+\w+){{0,2}}?\W+{_ANSWERED_EN}\b|"
    rf"\bwho\s+(?:has\s+|have\s+)?(?:already\s+)?{_ANSWERED_EN}\b"
)
# ... never the office's answer ("hat sich die Geschäftsstelle gemeldet?").
_OFFICE_NAMED = re.compile(
    r"\b(?:geschaftsstelle|clustergeschaftsstelle|buro|office|admins?|verein|cluster)\b"
)
# "was wisst ihr über mich?", "what do you know about me?": what is stored about the member
# (/meinedaten); "welche Daten speichert ihr über mich?" is the knowledge base's, which names
# /meinedaten too.
_KNOW = r"(?:wisst|weisst|weiss|wissen|kennt|kennst|kennen|habt|hast|haben)"
_ABOUT_ME = re.compile(
    rf"^\W*(?:und\s+|also\s+|sag\s+mal\W+)?was\s+{_KNOW}\s+(?:ihr|du|sie|man|der\s+bot)\s+"
    r"(?:\w+\s+){0,2}?(?:uber|von)\s+(?:mich|mir)\b(?!\W+\w)|"
    r"^\W*(?:and\s+|so\s+)?what\s+(?:do|does|did)\s+(?:you|you\s+guys|the\s+bot)\s+"
    r"(?:\w+\s+)?(?:know|have|hold|keep)\s+(?:\w+\s+){0,2}?(?:about|on)\s+me\b(?!\W+\w)"
)
# Registering with the bot, asked by someone who has not introduced themselves: "how do i
# register?", "wo kann ich mich hier registrieren?", "register as a user here", "ich will
# ein Konto anlegen". Not an event's sign-up they name, nor joining the association.
_REGISTER = re.compile(
    r"\b(?:regist\w*|sign\s*-?\s*up|signup|konto|account|profile?|anmeld\w*|"
    r"melde\s+ich\s+mich\b(?:\W+\w+){0,2}?\W+an)\b"
)
_ASKS_HOW_OR_WISHES = re.compile(
    r"\b(?:wie|wo|how|where|can\s+i|kann\s+ich|will|mochte|want|would\s+like|need|muss|"
    r"mean|meine|hier|here)\b"
)
_NOT_REGISTERING = re.compile(
    r"\b(?:mitglied\w*|member\w*|join\w*|beitr\w*|verein|newsletter)\b|"
    # a deadline, or a thing signed up for: an event's sign-up, named or not ("until when can
    # i sign up for the harzmetall thing?")
    r"\b(?:until|till|til|bis)\s+wann\b|\b(?:deadline|anmeldeschluss|anmeldefrist)\b|"
    r"\bsign\s*-?\s*up\s+(?:for|to)\s+(?:the|a|an|this|that)\s+(?!(?:bot|chat|account|app)\b)|"
    r"\b(?:zur|zum|fur\s+die|fur\s+den|fur\s+das)\s+\w+\s+(?:an)?melden\b"
)
# A partner request named as one, not a question ("my request" alone may be either).
_PARTNER = re.compile(r"\bpartner")
# "kann ich alle Veranstaltungen im Kalender abonnieren?", "can I subscribe to all cluster
# events in my calendar?", "alle Termine in meinen Outlook": all events in one's calendar.
_EVENTS = r"(?:veranstaltung(?:en)?|termine?|events?|exkursion(?:en)?|excursions?|meetings?)"
_ALL_EVENTS = re.compile(rf"\b(?:alle|all|samtliche|every)\b(?:\W+\w+){{0,3}}?\W+{_EVENTS}\b")
_CALENDAR = re.compile(r"\b(?:\w*kalender\w*|calendar\w*|abonn\w*|subscri\w*|ical|outlook|feed)\b")
# "wie krieg ich die Termine in meinen Kalender?", "how do I get the events into my
# calendar?", "can I subscribe to the events?": the member's own calendar feed (/kalender); not
# what the calendar holds ("welche Termine stehen in meinem Kalender?": their sign-ups), nor
# one event's file ("trag das in meinen Kalender ein"), nor the events of one kind or time.
_GENERAL_EVENTS = r"(?:veranstaltungen|termine|events|dates)"
_INTO_CALENDAR = re.compile(
    rf"\b{_GENERAL_EVENTS}\b(?:\W+\w+){{0,4}}?\W+(?:in|into|ins|im|to|onto|on|with)\s+"
    r"(?:(?:meinen|meinem|mein|den|dem|unseren|unserem|my|the|our)\s+)?"
    # "into my google calendar", "in meinen outlook-kalender"
    r"(?:[\w-]+\s+)?(?:[\w-]*kalender\w*|calendar\w*|outlook|handy|phone)\b|"
    # a calendar subscription named as a thing: "is there a calendar subscription thing?"
    r"\b(?:kalender|calendar)[\s-]*(?:abo\w*|subscription|feed|sync)\b|\bkalender(?:abo|feed)\w*\b|"
    # a feed for a calendar program: "like a feed for outlook", "ein Abo für Google"
    r"\b(?:feed|abo)\b(?:\W+\w+){0,2}?\W+(?:outlook|google|apple|icloud|thunderbird)\b|"
    r"\b(?:outlook|google|apple|icloud|thunderbird)[\s-]*(?:feed|abo\w*|subscription)\b|"
    r"\bi[\s-]?cal\b|\bics[\s-]*(?:feed|link|abo\w*)\b|"
    rf"\b(?:abonn\w*|subscri\w*|sync\w*)\b(?:\W+\w+){{0,3}}?\W+{_GENERAL_EVENTS}\b|"
    rf"\b{_GENERAL_EVENTS}\b(?:\W+\w+){{0,2}}?\W+(?:abonn\w*|subscri\w*|sync\w*)\b"
)
# The member's events as a page: "can i see my events somewhere as a webpage?", "a link to a
# page with the events", "gibt es eine Seite mit meinen Veranstaltungen?" (/seite, /page).
_PAGE = r"(?:web\s*page|webpage|website|web\s*site|webseite|page|seite)"
_EVENTS_PAGE = re.compile(
    rf"\b{_PAGE}\b(?:\W+\w+){{0,3}}?\W+{_GENERAL_EVENTS}\b|"
    rf"\b{_GENERAL_EVENTS}\b(?:\W+\w+){{0,4}}?\W+(?:as|als)\s+(?:a\s+|an\s+|eine\s+)?{_PAGE}\b|"
    r"\b(?:events?|veranstaltungs|termin)[\s-]?(?:page|seite)\b"
)
_WHAT_IT_HOLDS = re.compile(r"^\W*(?:was|welche\w*|wofur|what\w*|which)\b")
_HOW = re.compile(r"\b(?:wie|how)\b")

# The office's work: the questions waiting for it, news to the members, what it can do.
_INBOX = re.compile(
    r"\b(?:offenen?|unbeantwortete[nr]?|neuen?|wartenden?)\s+(?:fragen|tickets?)\b|"
    r"\b(?:posteingang|inbox)\b|"
    r"\b(?:open|unanswered|new|pending|waiting)\s+(?:questions|tickets)\b|"
    r"\b(?:fragen|questions)\s+(?:der|von\s+den|from\s+(?:the\s+)?)\s*(?:mitglieder|members)\b|"
    # "was haben die mitglieder in letzter zeit so gefragt?", "what have members asked lately?"
    r"\b(?:mitglieder|members)\b(?:\W+\w+){0,5}?\W+(?:gefragt|asked)\b|"
    # "wieviele Fragen sind noch offen?", "how many questions are still open?"
    r"\b(?:fragen|tickets?)\s+(?:sind|ist|stehen|gibt\s+es)\s+(?:\w+\s+){0,2}?"
    r"(?:offen|unbeantwortet)\b|"
    r"\b(?:questions|tickets)\s+(?:are|is)\s+(?:\w+\s+){0,2}?"
    r"(?:open|unanswered|pending|waiting)\b"
)
# ... asked to be shown ("zeig mir", "welche", "gibt es", "show me", "how many"), not named in
# a question of the office's own ("Es gibt noch offene Fragen zur Abrechnung").
_TO_SEE = re.compile(
    r"\b(?:zeig\w*|anzeigen|liste\w*|welche|was|neu\w*|wie\s*viele|gibt\s+es|gibts|sehen|"
    r"durchgehen|show|list|which|what|how\s+many|any|see|open\s+up|check)\b"
)
_NEWS = re.compile(
    r"\b(?:nachricht|nachrichten|rundschreiben|rundmail|e?-?mail|newsletter|neuigkeiten|"
    r"mitteilung|ankundigung|info|message|news|announcement|email|broadcast|erinnerung|"
    r"einladung|hinweis|reminder|invitation|notice)\b"
)
_TO_ALL = re.compile(
    r"\b(?:an\s+alle|allen|alle\s+mitglieder|an\s+die\s+mitglieder|den\s+mitgliedern|"
    r"an\s+(?:die\s+)?young\s+professionals|to\s+all|to\s+everyone|all\s+(?:the\s+)?members|"
    r"to\s+(?:the\s+)?members|everybody)\b|\b(?:rundschreiben|broadcast)\b"
)
_SEND = re.compile(
    r"\b(?:(?:raus|ver)?schick\w*|(?:ver)?send\w*|schreib\w*|verfass\w*|erstell\w*|mochte|"
    r"will|wollen|write|writing|post|broadcast|want|like)\b"
)
_OFFICE = r"(?:geschaftsstelle|clustergeschaftsstelle|admins?|administrator\w*|buro|office)"
_ADMIN_HELP = re.compile(
    rf"\bwas\s+(?:kann|darf|konnen|durfen)\s+(?:ich|wir)\b(?:\W+\w+){{0,6}}?\W+{_OFFICE}\b|"
    rf"\bwhat\s+can\s+(?:i|we)\s+do\b(?:\W+\w+){{0,6}}?\W+{_OFFICE}\b|"
    rf"\b(?:befehle|funktionen|commands|functions)\b(?:\W+\w+){{0,3}}?\W+(?:fur|for)\s+"
    rf"(?:die\s+|the\s+)?{_OFFICE}\b|"
    rf"\b{_OFFICE}\W*(?:befehle|funktionen|commands|functions)\b"
)


# The office writing to an event's people ("erinnere die Angemeldeten ans Forum", "send
# everyone signed up for the symposium a reminder"): a message to its attendees.
_ATTENDEES = re.compile(
    r"\b(?:angemeldete\w*|teilnehm\w*|signed\s+up|attendees|registered|participants)\b"
)
_TELL = re.compile(
    r"\b(?:erinner\w*|remind\w*|schreib\w*|schick\w*|send\w*|benachrichtig\w*|inform\w*|"
    r"message|tell|mail\w*)\b"
)


def asks_to_write_attendees(text: str) -> bool:
    """Whether the office asks, in words, to write to the people signed up for an event."""
    folded = _folded(text)
    if folded is None or "?" in text or not (_ATTENDEES.search(folded) and _TELL.search(folded)):
        return False
    return named_about_events(text).names_event


def asks_to_change_an_event(text: str) -> bool:
    """Whether the office asks, in words, to change an event it names (`edit_guess`)."""
    folded = _folded(text)
    return folded is not None and change_in_words(text, folded)


def _folded(text: str) -> str | None:
    """`text` folded for the patterns; None when too long to be one request."""
    folded = fold(text, plain_umlauts=True).replace("'", " ")
    return folded if len(folded.split()) <= MAX_WORDS else None


def asks_for_own_questions(text: str) -> bool:
    folded = _folded(text)
    return folded is not None and bool(
        _OWN_QUESTIONS.search(folded) or _WITHDRAW_QUESTION.search(folded)
    )


def question_withdrawn(text: str) -> int | None:
    """The number of the question a message withdraws ("Frage #5 zurückziehen"); None when
    it names none (the list is shown, `asks_for_own_questions`)."""
    folded = _folded(text)
    found = _WITHDRAW_QUESTION.search(folded) if folded is not None else None
    number = found and next((g for g in found.groups() if g), None)
    return int(number) if number and len(number) <= 18 else None


# "Frage #5 zurückziehen", "bitte ziehe meine Frage 5 zurück", "withdraw my question 5": that
# question withdrawn, as its button in the list does; without a number, the list (it had been
# read as cancelling a sign-up: "zurückziehen" is a word of that too).
_QUESTION_NAMED = rf"(?:{_MINE}\s+)?(?:frage|question|ticket)\s*(?:#|nr\.?\s*|no\.?\s*)?(\d*)"
_WITHDRAW_QUESTION = re.compile(
    rf"\b{_QUESTION_NAMED}\s+(?:\w+\s+)?(?:zuruckziehen|zurucknehmen|loschen|withdraw|cancel|delete)\b|"
    rf"\b(?:zieh|ziehe|ziehen|nimm|nehmen|nehme)\s+(?:sie\s+|du\s+)?{_QUESTION_NAMED}\s+(?:\w+\s+)?zuruck\b|"
    rf"\b(?:withdraw|cancel|delete)\s+{_QUESTION_NAMED}\b"
)


# "Ich möchte meine Anfrage #3 zurückziehen", "Partneranfrage 3 schließen", "please withdraw
# my request #13": that partner request closed after a yes, as its button in /anfragen does;
# without a number, the list with those buttons (it had offered cancelling the membership).
_REQUEST_NAMED = (
    rf"(?:{_MINE}\s+)?(?:partner\s*)?(?:anfrage|request|suche|search)"
    r"\s*(?:#|nr\.?\s*|no\.?\s*)?(\d*)"
)
_ENDING_DE = r"(?:zuruckziehen|zurucknehmen|loschen|schliessen|beenden|stornieren|abbrechen)"
_ENDING_EN = r"(?:withdraw|cancel|delete|close|remove|stop|end)"
_WITHDRAW_REQUEST = re.compile(
    rf"\b{_REQUEST_NAMED}\s+(?:\w+\s+)?{_ENDING_DE}\b|"
    rf"\b(?:zieh|ziehe|ziehen|nimm|nehmen|nehme)\s+(?:sie\s+|du\s+)?{_REQUEST_NAMED}\s+"
    r"(?:\w+\s+)?zuruck\b|"
    rf"\b(?:schliess|schliesse|losch|losche|beende|storniere|{_ENDING_EN})\s+"
    rf"(?:the\s+)?{_REQUEST_NAMED}\b"
)


_SEARCH = re.compile(r"\b(?:suche|search)\b")


def request_withdrawn(text: str) -> int | None:
    """A message closing a partner request: the number it names, 0 for none; None when the
    message closes no request."""
    folded = _folded(text)
    if folded is None:
        return None
    found = _WITHDRAW_REQUEST.search(_request_words_spelt(folded))
    if found is None:
        return None
    number = next((g for g in found.groups() if g), "")
    return int(number) if number and len(number) <= 18 else 0


def _request_words_spelt(folded: str) -> str:
    """`folded` with each word one typo from a word of a partner request read as that word
    ("my partner reqest"); a word of its own, one the word lists know, stays."""

    def spelt(found: re.Match[str]) -> str:
        word = found.group()
        if len(word) < _TYPO_MIN_LENGTH or word in _REQUEST_WORDS or _known(word):
            return word
        return nearest_by_typo(word, _REQUEST_WORDS) or word

    return re.sub(r"[^\W\d_]+", spelt, folded)


def _known(word: str) -> bool:
    """Whether a German or English word list knows `word`: a word of its own, no typo."""
    return (
        word in resources.word_frequencies("en")
        or word in resources.word_frequencies("de")
        or word in resources.german_words()
    )


def asks_for_own_request(text: str) -> bool:
    folded = _folded(text)
    folded = _request_words_spelt(folded) if folded is not None else None
    if folded is None or not _OWN_REQUEST.search(folded):
        return False
    return len(folded.split()) <= _FEW_WORDS or bool(_HOW_IT_STANDS.search(folded))


def asks_after_own_search(text: str) -> bool:
    """ "wie siehts aus mit meiner Suche?": asked after, if the member has a partner request."""
    folded = _folded(text)
    return (
        folded is not None
        and bool(_OWN_SEARCH.search(folded))
        and bool(_HOW_IT_STANDS.search(folded))
    )


def asks_whether_anyone_answered(text: str) -> bool:
    """ "hat sich schon wer gemeldet?", "has anyone replied?": whether someone answered, naming
    neither the office nor an event ("wer hat sich fürs Symposium gemeldet?": its roster)."""
    folded = _folded(text)
    if folded is None or not _ANYONE_ANSWERED.search(folded) or _OFFICE_NAMED.search(folded):
        return False
    named = named_about_events(text)
    return not (named.kind or named.names or named.in_time)


def asks_what_is_known_about_me(text: str) -> bool:
    """ "was wisst ihr über mich?", "what do you know about me?": the member's stored data."""
    folded = _folded(text)
    return folded is not None and bool(_ABOUT_ME.search(folded))


def asks_to_register(text: str) -> bool:
    """ "how do i register?", "wo kann ich mich hier registrieren?": registering with the
    bot (see `_REGISTER`), naming no event and no membership of the association."""
    folded = _folded(text)
    if folded is None or not (_REGISTER.search(folded) and _ASKS_HOW_OR_WISHES.search(folded)):
        return False
    return not (_NOT_REGISTERING.search(folded) or named_about_events(text).names_event)


# "was gab es zuletzt für Neuigkeiten?", "hab ich news verpasst?", "die letzte Rundmail
# nochmal bitte", "what was the latest news?", "did I miss any announcements?": the news
# themselves, not one event's ("gibt es Neuigkeiten zur Exkursion?") nor a message of one's own.
_NEWS_GOT = re.compile(
    r"\b(?:neuigkeiten|news|rundschreiben|rundmails?|newsletter|mitteilungen|ankundigungen|"
    r"nachricht(?:en)?|e?-?mails?|announcements?|updates)\b"
)
# "gibts was neues?", "gab es was Neues vom Cluster?", "anything new from you lately?": the
# news asked for without their word
_ANYTHING_NEW = re.compile(
    r"^\W*(?:und\s+)?(?:gibt\s+es|gibts|gab\s+es|gabs)\s+(?:was|etwas|irgendwas)\s+neues\W*$|"
    # "was gibts neues bei euch?", "was gibt es Neues?"
    r"^\W*(?:und\s+)?was\s+(?:gibt\s+es|gibts|gab\s+es|gabs)\s+(?:so\s+)?neues"
    r"(?:\s+(?:bei\s+euch|bei\s+ihnen|im\s+cluster|im\s+verein|im\s+netzwerk))?\W*$|"
    r"\b(?:was|etwas|irgendwas)\s+neues\s+(?:vom|von|bei|im)\s+(?:cluster|verein|netzwerk|euch|"
    r"ihnen)\b|\banything\s+new\s+(?:from|at)\s+(?:you|the\s+(?:cluster|network|association))\b"
)
# A mail or message about something of one's own is not the news: "die letzte Mail mit der
# Rechnung", "the last email with my password"
_OWN_MAIL = re.compile(
    r"\b(?:rechnung\w*|invoice\w*|passwort\w*|password\w*|bestatigung\w*|confirmation\w*|"
    r"code|link|zugang\w*|login)\b"
)
# "Neuigkeiten zum Batterierecyclingzentrum", "news about the centre": news of one thing
_NEWS_OF_ONE = re.compile(
    r"\b(?:neuigkeiten|news|nachrichten|announcements?)\s+(?:zu|zum|zur|uber|about|on|regarding)\b"
)
_LATEST = re.compile(
    r"\b(?:zuletzt|letzte\w*|neueste\w*|verpasst|nochmal|noch\s+mal|bisher|"
    r"latest|last|recent\w*|lately|missed|miss|again|so\s+far|in\s+letzter\s+zeit)\b"
)

_CURRENT = re.compile(r"\b(?:aktuelle\w*|current)\b")


def asks_for_news_received(text: str) -> bool:
    folded = _folded(text)
    if folded is None:
        return False
    # "gibts aktuelle Neuigkeiten?" (not asked how: "wie bekomme ich aktuelle Neuigkeiten?")
    current = _CURRENT.search(folded) and not _HOW.search(folded)
    asked = bool(_NEWS_GOT.search(folded) and (_LATEST.search(folded) or current))
    if not (asked or _ANYTHING_NEW.search(folded)):
        return False
    if re.search(rf"\b{_MINE}\b", folded) or _NEWS_OF_ONE.search(folded):
        return False  # "meine letzte Nachricht": their own
    if _OWN_MAIL.search(folded):
        return False
    named = named_about_events(text)
    return not (named.kind or named.names or named.names_event)


# "mein profil", "zeig mal mein Profil", "was steht in meinem Profil?", "show my profile":
# the profile itself (/profil), not how to change it.
_OWN_PROFILE = re.compile(
    r"^\W*(?:(?:zeig\w*|show|see|view|open|display)\s+(?:\w+\s+){0,2}?)?(?:mein|meine|my)\s+"
    r"profile?\b(?:\s+(?:anzeigen|zeigen|an|bitte|please|sehen|ansehen|nochmal|again))*\W*$|"
    r"\b(?:was\s+steht\s+(?:\w+\s+)?in\s+meinem|what\s+is\s+in\s+my|whats\s+in\s+my)\s+profile?\b"
)


def asks_for_own_profile(text: str) -> bool:
    folded = _folded(text)
    return folded is not None and bool(_OWN_PROFILE.search(folded))


# Stopping the partner requests others send ("how do I stop getting partner requests",
# "keine Partneranfragen mehr bitte", "Partneranfragen abstellen"), not one's own search (a
# request withdrawn) nor "ich bekomme keine Partneranfragen" (none came).
_PARTNER_REQUESTS = r"(?:partner\W?anfragen|partner\W?requests?|matching\s+requests)"
_SWITCH_OFF = (
    r"(?:stop\w*|abbestell\w*|abstell\w*|ausschalt\w*|abschalt\w*|deaktivier\w*|"
    r"turn\w*\s+off|switch\w*\s+off|opt\w*\s+out|unsubscrib\w*|no\s+more|nicht\s+mehr)"
)
_STOPS_PARTNER_REQUESTS = re.compile(
    rf"\b{_SWITCH_OFF}\b(?:\W+\w+){{0,4}}?\W+{_PARTNER_REQUESTS}\b|"
    rf"\b{_PARTNER_REQUESTS}\b(?:\W+\w+){{0,3}}?\W+(?:{_SWITCH_OFF}|mehr)\b|"
    rf"\bkeine\s+{_PARTNER_REQUESTS}\s+mehr\b|"
    # "wie schalte ich die Partneranfragen aus?", "stell die Partneranfragen ab"
    rf"\b(?:schalt|stell)\w*\b(?:\W+\w+){{0,3}}?\W+{_PARTNER_REQUESTS}\W+(?:\w+\W+){{0,2}}?(?:aus|ab)\b"
)


def asks_to_stop_partner_requests(text: str) -> bool:
    folded = _folded(text)
    return folded is not None and bool(_STOPS_PARTNER_REQUESTS.search(folded))


# Who got the member's partner request, asked after sending it ("who did you send it to?",
# "an wen ging die Anfrage?", "wer hat meine Anfrage bekommen?"): named once they agree.
_WHO_GOT_IT = re.compile(
    r"^\W*(?:and\s+|und\s+)?(?:"
    r"who\s+(?:did\s+(?:you|it)\s+(?:send|go|get\s+sent)\s+(?:it\s+|this\s+|that\s+|my\s+"
    r"request\s+)?to|(?:got|received|gets|has)\s+(?:it|this|that|my\s+request|the\s+request)|"
    r"was\s+(?:it|my\s+request)\s+sent\s+to)|"
    r"an\s+wen\s+(?:ging|geht|gingen|gehen|wurde|hast\s+du|habt\s+ihr)\b(?:\s+\w+){0,4}?|"
    r"wer\s+hat\s+(?:die|meine|unsere)\s+(?:partner\W?)?anfrage\s+(?:bekommen|erhalten|gekriegt)"
    r")\W*$"
)


def asks_who_got_the_request(text: str) -> bool:
    folded = _folded(text)
    return folded is not None and bool(_WHO_GOT_IT.search(folded))


def asks_for_all_events_calendar(text: str) -> bool:
    folded = _folded(text)
    return folded is not None and bool(_ALL_EVENTS.search(folded) and _CALENDAR.search(folded))


def asks_for_events_page(text: str) -> bool:
    """ "can i see my events somewhere as a webpage?": the member's events page (/page)."""
    folded = _folded(text)
    return folded is not None and bool(_EVENTS_PAGE.search(folded))


def asks_for_events_in_calendar(text: str) -> bool:
    """ "wie krieg ich die Termine in meinen Kalender?": the events in general, asked into
    one's calendar (its feed, /kalender), not those of one kind, title or time."""
    folded = _folded(text)
    if folded is None or not _INTO_CALENDAR.search(folded):
        return False
    if _WHAT_IT_HOLDS.search(folded) and not _HOW.search(folded):
        return False  # "welche Termine stehen in meinem Kalender?": the member's sign-ups
    named = named_about_events(text)
    return not (named.kind or named.names or named.in_time)


# "hilfe", "help please": the command's word typed without its slash is the command's list of
# commands, not the FAQ's topics that mention help.
_HELP_WORDS = frozenset({"hilfe", "help"})


def asks_for_help_alone(text: str) -> bool:
    folded = _folded(text)
    if folded is None:
        return False
    words = remove_fillers(re.findall(r"\w+", folded))
    return len(words) == 1 and words[0] in _HELP_WORDS


def office_command_asked(text: str) -> str | None:
    """The command (with its words) the office asks for: "inbox", "broadcast", "help admin"."""
    folded = _folded(text)
    if folded is None:
        return None
    if _ADMIN_HELP.search(folded):
        return "help admin"
    if (
        _INBOX.search(folded)
        and not re.search(rf"\b{_MINE}\b", folded)
        and (len(folded.split()) <= _FEW_WORDS or _TO_SEE.search(folded))
    ):
        return "inbox"
    if _NEWS.search(folded) and _TO_ALL.search(folded) and _SEND.search(folded):
        return "broadcast"
    return None


# The office writing the broadcast itself: "Rundschreiben an alle: Die Anmeldung läuft …",
# "Nachricht an alle Mitglieder – …", "broadcast to all: …"; the text after the colon or dash.
_BROADCAST_WRITTEN = re.compile(
    r"^\W*(?:(?:ein|eine|a)\s+)?(?:rundschreiben|rundmail|broadcast|nachricht|news|mitteilung|"
    r"message|announcement)\s+(?:an\s+(?:alle|die\s+mitglieder)(?:\s+mitglieder)?|"
    r"to\s+(?:all|everyone|everybody|the\s+members)(?:\s+members)?)\s*[:\-–—]\s*(?P<text>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# Words of its own text: what says something, not "Rundschreiben an alle: bitte"
_WRITTEN_MIN_WORDS = 3


def broadcast_written(text: str) -> str | None:
    """The broadcast's text the office wrote after "Rundschreiben an alle:"; None otherwise."""
    found = _BROADCAST_WRITTEN.match(text.strip())
    if found is None or len(found["text"].split()) < _WRITTEN_MIN_WORDS:
        return None
    return found["text"].strip()


async def _run(ctx: Context, name: str) -> None:
    """The member's own command `name`, as if typed."""
    await ctx.services.router.run(ctx, name)


async def answer_in_words(ctx: Context, text: str) -> bool:
    """The office's command offered, or the member's own things shown; False otherwise."""
    if not ctx.incoming.is_private:
        return False
    if ctx.is_admin:
        written = broadcast_written(text)
        if written is not None:
            await broadcast.begin_with_text(ctx, written)
            return True
        if asks_to_write_attendees(text) and await _write_attendees(ctx, text):
            return True
        meant = office_command_asked(text)
        if meant is not None:
            await _offer_command(ctx, meant)
            return True
        if asks_to_change_an_event(text):
            await _offer_event_change(ctx, text)
            return True
    if asks_for_help_alone(text):
        await _run(ctx, "help")
        return True
    if not ctx.member.onboarded and asks_to_register(text):
        # someone new: registering here is introducing oneself (the FAQ had answered with
        # how to register for the symposium)
        asking = ctx.speaking(question_language(text, ctx.lang))  # no language chosen yet
        await asking.offer_command(asking.t("members.register_here"), "start")
        return True
    if asks_for_all_events_calendar(text):
        await _offer_all_events(ctx)
        return True
    if asks_for_events_in_calendar(text):
        await _run(ctx, "calendar")
        return True
    if ctx.member.onboarded and asks_for_events_page(text):
        await _run(ctx, "page")
        return True
    if asks_who_got_the_request(text) and await _has_running_request(ctx):
        # "who did you send it to?" after sending: nobody is named before they agree; how
        # many were asked and said yes, the requests show
        await ctx.say("partners.who_learnt")
        await _run(ctx, "requests")
        return True
    if asks_for_own_request(text):
        await _show_own_requests(ctx, text)
        return True
    if (
        asks_after_own_search(text) or asks_whether_anyone_answered(text)
    ) and await _has_running_request(ctx):
        await _run(ctx, "requests")
        return True
    if asks_what_is_known_about_me(text):
        await _run(ctx, "mydata")
        return True
    if asks_for_own_profile(text):
        await _run(ctx, "profile")
        return True
    if asks_for_news_received(text):
        await show_received(ctx, asked=True)
        return True
    if ctx.member.onboarded and asks_to_stop_partner_requests(text):
        await _offer_partner_requests_off(ctx)
        return True
    closing = request_withdrawn(text)
    if closing is not None and await _offer_to_close(ctx, text, closing):
        return True
    withdrawn = question_withdrawn(text)
    if withdrawn is not None:
        await ctx.reply(await withdrawn_said(ctx, withdrawn))
        return True
    if asks_for_own_questions(text):
        await _run(ctx, "myquestions")
        return True
    return False


async def _offer_command(ctx: Context, meant: str) -> None:
    """ "Das geht mit /posteingang – offene Fragen an die Geschäftsstelle." and a button that
    runs it (a typed "ja" presses it)."""
    name, _, words = meant.partition(" ")
    command = ctx.services.router.commands[name]
    shown = " ".join(f"/{command.name_in(ctx.lang)} {words}".split())
    what = ctx.t("members.admin_help_meant" if name == "help" else command.help_key)
    await ctx.offer_command(ctx.t("members.command_meant", command=shown, what=what), meant)


async def _offer_partner_requests_off(ctx: Context) -> None:
    """Whether the member gets partner requests, and a button that switches them off."""
    command = ctx.command("partnerrequests")
    yes, no = ctx.t("common.yes").lower(), ctx.t("common.no").lower()
    if not ctx.member.partner_consent:
        await ctx.reply(ctx.t("members.partner_requests_off", command=f"{command} {yes}"))
        return
    said = ctx.t("members.partner_requests_on", command=f"{command} {no}", again=f"{command} {yes}")
    await ctx.offer_command(
        said, f"partnerrequests {no}", ctx.t("members.partner_requests_btn_off")
    )


async def _write_attendees(ctx: Context, text: str) -> bool:
    """A broadcast to the people signed up for the one event the words name, its text asked
    first, its preview before anything goes out (as /teilnehmer's button); False when the
    words name no one upcoming event."""
    event = await _one_event_named(ctx, text)
    if event is None:
        return False
    await broadcast.begin_for_event(ctx, Audience("attendees", str(event.id)))
    return True


async def _one_event_named(ctx: Context, text: str) -> Event | None:
    """The one upcoming event the words name; None where they name none or several."""
    events = await visible_upcoming(ctx)
    chosen = pick(named_about_events(text), events, ctx.services.settings.network.tz)
    return chosen[0] if len(chosen) == 1 else None


async def _offer_event_change(ctx: Context, text: str) -> None:
    """ "Das geht mit /terminaendern 2 beginn=10:30; plätze=25" with a button that runs it
    (its preview comes before anything changes): the event the words name (which one is
    asked where they name several), with the start, end and places they give; naming none,
    the button shows the event's fields."""
    event = await _one_event_named(ctx, text)
    if event is None:
        await _offer_command(ctx, "editevent")
        return
    fields = "; ".join(f"{name}={value}" for name, value in fields_in_words(text, ctx.lang))
    if not fields:
        await _offer_command(ctx, f"editevent {event.id}")
        return
    meant = f"editevent {event.id} {fields}"
    shown = f"{ctx.command('editevent')} {event.id} {fields}"
    await ctx.offer_command(ctx.t("members.event_change_meant", command=shown), meant)


async def _show_own_requests(ctx: Context, text: str) -> None:
    """The member's partner requests (/anfragen); "my request" of one who has none is their
    questions to the office, unless it named a partner request."""
    async with ctx.db.session() as session:
        has_requests = bool(await partners.requests_of(session, member_id=ctx.member.id))
    partner = bool(_PARTNER.search(_request_words_spelt(fold(text, plain_umlauts=True))))
    await _run(ctx, "requests" if has_requests or partner else "myquestions")


async def _offer_to_close(ctx: Context, text: str, number: int) -> bool:
    """The member's running request `number` offered to close, with the button of /anfragen
    (a typed yes presses it); naming none or one that is not running, their requests; False
    for a number of none of their requests when no partner request was named (a question to
    the office is an "Anfrage" too)."""
    async with ctx.db.session() as session:
        mine = {r.id: r for r in await partners.requests_of(session, member_id=ctx.member.id)}
    spelt = _request_words_spelt(fold(text, plain_umlauts=True))
    partner = bool(_PARTNER.search(spelt) or _SEARCH.search(spelt))
    request = mine.get(number)
    if request is None and number and not partner:
        return False
    if request is None or request.status not in partners.ACTIVE:
        await _run(ctx, "requests" if mine or partner else "myquestions")
        return True
    await offer_close(ctx, request)
    return True


async def _has_running_request(ctx: Context) -> bool:
    """Whether a partner request of the member's is sent and not finished."""
    async with ctx.db.session() as session:
        sent = await partners.requests_of(session, member_id=ctx.member.id)
    return any(request.status in partners.ACTIVE for request in sent)


ALL_EVENTS_BUTTON = "calall"


async def _offer_all_events(ctx: Context) -> None:
    """Whether the calendar subscription holds all events; if not yet, a button to add them."""
    if not ctx.services.settings.web.enabled:
        await ctx.say("feed.needs_web")
        return
    if await feed.include_public(ctx.services, ctx.member.id):
        links = await feed.feed_url(ctx.services, ctx.member.id)
        await ctx.reply(
            Markup(ctx.t("members.calendar_all_already") + "\n\n" + links_text(ctx, links))
        )
        return
    button = Button(ctx.t("members.calendar_all_button"), ALL_EVENTS_BUTTON)
    await ctx.reply(
        Reply(
            text=ctx.t("members.calendar_all_offer"),
            buttons=((button,),),
            metadata={YES_PRESSES: ALL_EVENTS_BUTTON},
        )
    )


async def _all_events_pressed(ctx: Context, _parts: list[str]) -> None:
    """All events into the subscription (pressed twice, they stay in: no switch back)."""
    if not ctx.services.settings.web.enabled:
        await ctx.say("feed.needs_web")
        return
    created = await feed.set_public(ctx.services, ctx.member.id, True)
    links = created or await feed.feed_url(ctx.services, ctx.member.id)
    await ctx.reply(Markup(ctx.t("feed.all_on") + "\n\n" + links_text(ctx, links)))


def register(router: Router) -> None:
    # before the events' answers (10) and the FAQ (50), after a language asked for (5)
    router.free_text(priority=8)(answer_in_words)
    router.button(ALL_EVENTS_BUTTON)(_all_events_pressed)
