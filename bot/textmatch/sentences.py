"""The sentences of a message that ask for something, apart from those that give context.

"Kurz zu uns: wir sind eine Käserei mit 12 Leuten. Wie werden wir Mitglied?" asks one thing;
the first sentence describes the sender. Both engines score the asking sentences on their
own as well, so that context does not dilute the question; the whole message still counts,
since a question often only points back ("Wir haben 200 t Asche. Wer kann sie verwerten?").

Asking is read from general grammar in German and English: a question mark, a question word
or an auxiliary opening the sentence, or a verb of wanting or seeking.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.dates import get_month_names

from bot.textmatch.normalize import fold
from bot.textmatch.stemming import is_stop_word, plain_vowels

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
# A day written as an ordinal ends in a full stop that ends no sentence ("am 4. März").
_ORDINAL_END = re.compile(r"(?<![\d.])\d{1,2}\.$")
# ... and so does a day after its preposition before words going on in lower case ("am 29.
# kann ich doch nicht" is one statement, not "kann ich doch nicht" asked).
_DAY_ORDINAL_END = re.compile(r"\b(?:am|vom|bis|zum|ab|den|dem)\s+\d{1,2}\.$", re.IGNORECASE)
# Nor does the full stop of a number's abbreviation before its number ("für Nr. 2 anmelden",
# "register for no. 2").
_NUMBER_ABBREVIATION_END = re.compile(r"(?<![\w-])(?:nr|no|num|nrn)\.$", re.IGNORECASE)
# Nor that of a day and month without the year ("Was ist am 24.2. los?"), before words going
# on in lower case or a time ("am 24.2. 10 Uhr").
_DAY_MONTH_END = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.$")
# Nor those of abbreviations: letters with full stops ("z. B.", "d. h.", "e.g.", "i.e.")
# before words going on in lower case or another such letter; German and English words
# shortened in writing ("bzw.", "ca.", "vgl.", "approx.", "Prof.") before anything; "etc.",
# "usw." (which often end a sentence) before words going on in lower case.
_LETTERS_END = re.compile(r"(?<![\w.])(?:[^\W\d_]\.)+$")
_LETTER_START = re.compile(r"^[^\W\d_]\.")
_SHORTENED_END = re.compile(
    r"(?<![\w.])(?:bzw|ca|evtl|ggf|inkl|vgl|sog|bspw|insb|zzgl|abzgl|max|min|approx|vs|resp|"
    r"incl|dr|prof|mr|mrs|ms|st|str)\.$",
    re.IGNORECASE,
)
_ET_CETERA_END = re.compile(r"(?<![\w.])(?:etc|usw)\.$", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[^\W\d_]+")
# Greetings before the first word ("Hallo, wie ...", "Hi there - what ...").
_OPENING = r"^\W*(?:(?:hallo|hello|hi|hey|moin|guten\s+(?:tag|morgen|abend)|dear\s+\w+)\W+)*"
# Words joining a question to the one before it, in one sentence ("… und wann ist …") or
# opening the next ("also when is …", "Aber wo …").
_JOINERS = r"und|and|also|ausserdem|sowie|aber|but|oder|or"
_JOINED = rf"(?:(?:{_JOINERS})\W+)*"
_QUESTION_START = re.compile(
    _OPENING
    + _JOINED
    + r"(?:wie|was|wann|wo|wer|wen|wem|warum|wieso|weshalb|welche\w*|woher|wohin|wozu|womit"
    r"|wofur|woran|whats|wheres|whos|hows|gibt|kann|kannst|konnen|konnt|konnte|darf|durfen|muss|mussen|ist|sind"
    r"|habt|hat|haben|how|what|when|where|who|whom|why|which|can|could|may|do|does|did|is"
    r"|are|will|would|should|shall|have|has|am\s+i)\b"
)
_WANTS = re.compile(
    r"\?|\b(?:bitte|please|mochte|mochten|wurde\s+gern|wurden\s+gern|such\w*|gesucht"
    r"|brauch\w*|benotig\w*|need\w*|looking|seek\w*|search\w*|wanted|want|like\s+to"
    r"|wer\s+kann|who\s+can)\b"
)


# A need or a request for help or contact, as opposed to a question for information ("Wie
# wird das Wetter in Goslar?" names a place members are in, but needs nobody).
_NEEDS = re.compile(
    r"\b(?:such\w*|gesucht|brauch\w*|benotig\w*|hilfe|helfen|unterstutz\w*|kontakt\w*"
    r"|zusammenarbeit\w*|kooperation\w*|jemand\w*|wer\s+kann|wer\s+konnte|kennt\s+(?:ihr|wer)"
    r"|need\w*|looking\s+for|seek\w*|search\w*|help\w*|support|assistance|contact\w*"
    r"|in\s+touch|collaborat\w*|cooperat\w*|partner\w*|anyone|anybody|someone|somebody"
    r"|who\s+can|who\s+could)\b"
)


# Words by which a sentence refers back to what came before ("Was hat REWIMET damit zu tun?",
# "How much does it cost?"): German pronominal adverbs and demonstratives, English pronouns.
_REFERS_BACK = re.compile(
    r"\b(?:da(?:r)?(?:mit|zu|uber|von|fur|an|auf|bei|gegen|in|aus|durch|nach|vor|um|unter)"
    r"|dies\w*|it|this|these|those|them)\b"
)


# "damit" opening a clause is the conjunction ("..., damit wir nichts mehr zahlen").
_OPENING_CONJUNCTION = re.compile(r"^\W*damit\b")
# "it" standing for what follows, not for something before: "Is it possible for members to
# book a room?", "it's worth asking", "is it ok to bring a colleague?".
_IT_FOR_WHAT_FOLLOWS = re.compile(
    r"\bit(?:'s|’s|\s+is|\s+was|\s+would\s+be)?\s+(?:still\s+|also\s+|really\s+)?"
    r"(?:possible|ok|okay|alright|allowed|permitted|necessary|required|mandatory|true|"
    r"worth|enough|advisable|important|easy|hard|difficult)\b"
)


# Pronouns the engines' clause reading leaves alone: "das" and "that" (not as article or
# conjunction) and "dort"/"there". Last in the sentence: "Wie geht das?", "Is there vegan
# food there?"; "das" before no noun, in a sentence that capitalises nouns: "Kann ich das
# auch in Raten zahlen?"; "that" before a preposition, an adverb or the end: "Can I pay
# that in instalments?".
# An article with no noun after it is a pronoun too: "Wie bekomme ich die?", "Wo finde ich den?"
_PRONOUN_LAST = re.compile(r"\b(?:das|die|den|dem|der|(?<!gibt )es|there)\W*$", re.IGNORECASE)
# ... or followed by particles only: "Wie funktioniert das genau?", "Wie läuft das ab?",
# "kostet das was?" ("was" for "etwas", as spoken).
_PRONOUN_PARTICLES = re.compile(
    r"\bdas(?:\s+(?:genau|denn|dann|eigentlich|uberhaupt|konkret|jetzt|nun|noch|so|ab|auch|"
    r"was|etwas|extra|wirklich))+\W*$"
)
# ... or after the subject and before a particle, where an article would have its noun: "kann
# ich den auch per mail kriegen?", "gibt es die auch auf Englisch?" (not "Leute, die auch …").
_PRONOUN_BEFORE_PARTICLE = re.compile(
    r"\b(?:ich|wir|man|du|ihr|sie|es)\s+(?:die|den|dem|der)\s+(?:auch|denn|noch|schon|"
    r"eigentlich|uberhaupt|wirklich|jetzt|nun|dann|mal|bitte|irgendwie|trotzdem|sofort)\b"
)
# (not the article before an adjective and its noun: "das nächste Netzwerktreffen")
_DAS_PRONOUN = re.compile(r"\b[Dd]as\b(?!\s+[A-ZÄÖÜ0-9])(?!\s+[a-zäöüß]+e[mnrs]?\s+[A-ZÄÖÜ])")
_NOUN = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-ZÄÖÜ][a-zäöüß]")
_THAT_PRONOUN = re.compile(
    r"\bthat\b(?=\s*(?:[?.!]|$)|\s+(?:in|on|at|for|by|with|to|from|too|also|again)\b)"
)
# "that" as the subject after an auxiliary: "How does that work?", "Is that free?".
_THAT_SUBJECT = re.compile(
    r"\b(?:do|does|did|is|was|will|would|can|could|should|may|might|has|have)\s+that\b"
)
# A demonstrative before a noun points back to what was named: "how do I join that group?",
# "wie trete ich dieser Gruppe bei?"; not "that" opening a clause ("I heard that members …"),
# nor "this year", "diese Woche" (the time now), nor "this bot".
_DEMONSTRATIVE = re.compile(
    r"(?<!\bheard )(?<!\bsaid )(?<!\bknow )(?<!\bthink )(?<!\bsure )(?<!\bmean )(?<!\bso )"
    r"\b(?:that|those)\s+(?!(?:is|are|was|were|s|i|you|we|they|he|she|it|there|the|a|an|my|our|"
    r"your|their)\b)[a-z]{3,}\b|"
    r"\bdies(?:e|er|en|em|es)\s+(?!(?:jahr|woche|monat|tag|mal|zeit|bot|chat|nachricht|frage)\w*)"
    r"[a-zäöüß]{3,}"
)
# "da" only after a word: "Gibt es da Parkplätze?", "Wie melde ich mich da an?"; not the
# conjunction opening a clause ("Da ich neu bin, …", "…, da wir …").
_THERE = re.compile(r"\b(?:dort|dorthin)\b|(?<=\w )da\b", re.IGNORECASE)
# What was named, called the whole of it: "Was kostet der Spaß?", "Was kostet das Ganze?",
# "how much is the whole thing?" (not "das ganze Jahr").
_THE_WHOLE = re.compile(
    r"\bder\s+spa(?:ß|ss)\b|\bdas\s+ganze\b(?!\s+[a-zäöü])|\bthe\s+whole\s+thing\b",
    re.IGNORECASE,
)


# What a question pointing back is made of when it asks nothing of its own, beside function
# words and the word pointing back ("Wie geht das?", "How does that work?", "Was heißt das
# genau?"): asking how or what, verbs of going, working, doing or meaning, and particles.
_ONLY_HOW = re.compile(
    r"wie|was|how|what|geht|gehen|gehts|funktionier\w*|klappt|klappen|lauft|laufen|ablauf\w*"
    r"|mach|mache|machen|macht|tue|tun|tut|heisst|heissen|bedeutet|bedeuten|meint|meinen"
    r"|genau|eigentlich|denn|dann|und|so|ab|work|works|working|go|goes|going|done|happen\w*"
    r"|mean|means|exactly|actually|then|and|so|please|bitte"
    # getting what was named is how it goes ("is there a newsletter? how do I get it")
    r"|get|gets|getting|obtain|receive|bekomme|bekommen|bekommt|kriege|kriegen|krieg|kriegt"
    r"|erhalte|erhalten|erhalt"
)
# Question words that ask something of their own though general stop word lists carry them.
_ASKS_OWN = frozenset(
    {"wann", "wo", "wohin", "woher", "wer", "wen", "wem", "warum", "wieso", "weshalb"}
    | {"when", "where", "who", "whom", "why", "which"}
)
_WORDS = re.compile(r"\w+")


def refers_back(sentence: str) -> bool:
    """True for a sentence that points to what came before by a pronoun ("damit", "it")."""
    folded = _OPENING_CONJUNCTION.sub("", plain_vowels(fold(sentence)))
    return bool(_REFERS_BACK.search(_IT_FOR_WHAT_FOLLOWS.sub("", folded)))


# A pronoun pointing back as what the question asks about, its subject: "is it in German or
# English?", "when does it start?", "Ist das auf Deutsch?", "Wann beginnt es?"; not one
# that only goes with what is asked ("who do I call about it?", "Wen kann ich da anrufen?"),
# nor the "es" of "gibt es".
_IT_ASKED_ABOUT = re.compile(
    r"\b(?:is|was|are|were|does|did|do|will|would|can|could|has|have)\s+(?:it|this|they)\b|"
    r"^\W*(?:(?:und|and)\s+)?(?:it|this|they|er)\b\s+\w|"
    r"\b(?!gibt\b)(?:ist|sind|war|wird|findet|kostet|dauert|beginnt|startet|endet|l(?:ä|a)uft|"
    r"geht|passiert|klappt)\s+(?:es|das|er|dies\w*)\b"
)


def asks_of_what_came_before(sentence: str) -> bool:
    """Whether what a question pointing back asks about is what came before: its subject is
    the pronoun (`_IT_ASKED_ABOUT`). Such a question read alone asks about nothing."""
    return bool(_IT_ASKED_ABOUT.search(_IT_FOR_WHAT_FOLLOWS.sub("", sentence.casefold())))


def asks_about_before(sentence: str) -> bool:
    """`refers_back`, and also by "das", "that", "dort" or "there" ("Kann ich das auch in
    Raten zahlen?", "Gibt es dort vegane Verpflegung?"): for a question of several, read and
    passed on with what it asks about. (The engines' clause reading joins by it only a
    sentence that asks nothing more (`asks_more_than_before`): with every such sentence
    "das"/"that" cost one choice and "dort" joined "Was passiert dort?" to the context that
    answers it.)"""
    if refers_back(sentence) or _PRONOUN_LAST.search(sentence) or _THERE.search(sentence):
        return True
    if _THE_WHOLE.search(sentence):
        return True
    plain = plain_vowels(fold(sentence))
    if _PRONOUN_PARTICLES.search(plain) or _PRONOUN_BEFORE_PARTICLE.search(plain):
        return True
    folded = sentence.casefold()
    if _THAT_PRONOUN.search(folded) or _THAT_SUBJECT.search(folded):
        return True
    if _DEMONSTRATIVE.search(folded):
        return True
    return bool(_NOUN.search(sentence.strip()) and _DAS_PRONOUN.search(sentence))


def the_whole_as_pronoun(text: str) -> str:
    """`text` with what calls what was named the whole of it ("der Spaß", "the whole
    thing") as the pronoun it stands for: no word of its own to look for."""
    return _THE_WHOLE.sub(lambda m: "it" if m.group(0)[:1] in "tT" else "das", text)


# A short question whose one thing is named by the definite article alone ("what are the
# benefits?", "how much is the fee?", "Was sind die Vorteile?", "Wie hoch ist der
# Beitrag?"): in a conversation, the benefits or the fee of what was just talked about.
_THE_THING_ALONE = re.compile(
    r"^\W*(?:and\s+|und\s+)?(?:"
    r"(?:what|how\s+much|how\s+long|when|where|who|which)\s*(?:is|are|was|were|'s|’s)\s+"
    r"the\s+[a-z]+"
    r"|(?:was|wie\s+hoch|wie\s+lange?|wann|wo|wer|welche[rs]?)\s+(?:ist|sind|war|w(?:ä|ae)re)\s+"
    r"(?:die|der|das)\s+[A-ZÄÖÜ][a-zäöüß]+"
    r")\W*$",
    re.IGNORECASE,
)


def names_by_the_article_alone(sentence: str) -> bool:
    """Whether a question names its one thing by the definite article alone
    (`_THE_THING_ALONE`): read in a conversation as of what came before, not alone."""
    return bool(_THE_THING_ALONE.match(sentence.strip()))


def points_into_itself(sentence: str) -> bool:
    """Whether a clause of `sentence` before its last asks a question of its own, which the
    rest points back to ("wie kann ich unsre Mitgliedschaft kündigen, gibts da ne Frist?"):
    its "da" is that clause, not the message before."""
    clauses = [clause for clause in sentence.split(",") if clause.strip()]
    return any(asks(clause) and not asks_about_before(clause) for clause in clauses[:-1])


def asks_more_than_before(sentence: str) -> bool:
    """Whether a question pointing back asks something of its own ("Was kostet das?", "Kann
    ich das in Raten zahlen?", "Wann ist das?") rather than only how what came before goes
    ("Wie geht das?", "How does that work?"), which an answer to that already says."""
    for word in _WORDS.findall(fold(sentence)):
        if word in _ASKS_OWN:
            return True
        plain = plain_vowels(word)
        if is_stop_word(word) or _ONLY_HOW.fullmatch(plain) or refers_back(plain):
            continue
        if not word.isdigit():
            return True
    return False


def states_need(text: str) -> bool:
    """True for a message that states a need or asks for help, contact or a partner."""
    return bool(_NEEDS.search(plain_vowels(fold(text))))


def sentences(text: str) -> list[str]:
    """The sentences of a message (split after . ! ? ; and at line breaks, not after the
    day of a date: "Ist am 4. März etwas los?" is one, nor after "Nr." before its number)."""
    found: list[str] = []
    for part in (s.strip() for s in _SENTENCE_END.split(text)):
        if found and _continues(found[-1], part):
            found[-1] += " " + part
        elif part:
            found.append(part)
    return found


def _continues(before: str, part: str) -> bool:
    """Whether `part` goes on the sentence `before` it: after a day's ordinal ("am 4." März),
    a day and month ("am 24.2." los), a number's abbreviation ("Nr." 2), an abbreviation
    ("z. B." zu Recyclingbetrieben, "bzw." Studierende, "e.g." to plants)."""
    lower = part[:1].islower()
    if _ORDINAL_END.search(before) and _starts_with_month(part):
        return True
    if _DAY_ORDINAL_END.search(before) and lower:
        return True  # "am 29. kann ich doch nicht": the day, and the clause it opens
    if _DAY_MONTH_END.search(before) and (lower or part[:1].isdigit()):
        return True
    if _NUMBER_ABBREVIATION_END.search(before) and part[:1].isdigit():
        return True
    if _LETTERS_END.search(before) and (lower or _LETTER_START.match(part)):
        return True
    return bool(_SHORTENED_END.search(before)) or (bool(_ET_CETERA_END.search(before)) and lower)


# Where one sentence may hold two questions: "und", "and", "also", "außerdem", "sowie" (not
# "oder": "Ist die Exkursion voll oder gibt es noch Plätze?" asks one thing), and a comma.
_JOINT = re.compile(
    r",?\s*\b(?:und|and|also|au(?:ß|ss)erdem|sowie)\b"
    r"(?:\W+(?:und|and|also|au(?:ß|ss)erdem|sowie)\b)*[\s,:;–-]*|"
    # a comma before a question opening with its verb ("wer darf zum Symposium, kann ich
    # meinen Azubi mitbringen"); not before a German question word, which opens a clause of
    # the sentence ("Wo seh ich, welche Besichtigungen geplant sind?")
    r",\s*(?=(?:kann|kannst|k(?:ö|oe)nnen|darf|d(?:ü|ue)rfen|gibt|gibts|muss|m(?:ü|ue)ssen|"
    r"can|could|may|is|are|do|does|will|should|shall|"
    # English question words too: an English clause so opened after a comma is a question
    r"what|whats|how|where|when|who|which|why)\b)",
    re.IGNORECASE,
)
# A half asks on its own with a question word or a verb opening it and words beside it
# ("was kostet die Mitgliedschaft"; not "Wann" of "Wann und wo ist das Symposium?").
_MIN_WORDS_ASKING = 3
# At most this many words asked right after a question are what it is about (`_elaborates`).
ELABORATION_WORDS = 2


def parts(text: str) -> list[str]:
    """The sentences of a message, one holding two questions joined by "und", "and", "also"
    or "außerdem" taken as two ("Was kostet die Mitgliedschaft und wann ist das nächste
    Symposium?"; not "Wie melde ich mich an und bezahle?": its second half asks nothing of
    its own); a word or two asked right after a question belong to it (`_elaborates`)."""
    found: list[str] = []
    for sentence in sentences(text):
        for piece in _asked_apart(sentence):
            if found and _elaborates(piece) and asks(found[-1]):
                found[-1] = f"{found[-1]} {piece}"
            else:
                found.append(piece)
    return found


def _elaborates(piece: str) -> bool:
    """A word or two asked after a question, with no question word or joiner of their own:
    what the question is about, in example ("Was muss ich mitbringen? Helm?", "what should I
    bring? hard hat?"), not a question to answer apart ("Und wo?", "Wann?" are)."""
    folded = plain_vowels(fold(piece))
    return (
        piece.rstrip().endswith("?")
        and 0 < len(_WORDS.findall(folded)) <= ELABORATION_WORDS
        and not _QUESTION_START.search(folded)
        and not _LEADING_JOINER.match(piece)
    )


def _asked_apart(sentence: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for joint in _JOINT.finditer(sentence):
        before, after = sentence[start : joint.start()], sentence[joint.end() :]
        following = _JOINT.search(sentence, joint.end())
        clause = sentence[joint.end() : following.start() if following else len(sentence)]
        if joint.group().strip() == "," and asks_about_before(clause):
            continue  # "was is mit den Exkursionen, kann ich da mit?": one question
        if _asks_on_its_own(before) and _asks_on_its_own(after):
            pieces.append(before.strip())
            start = joint.end()
    pieces.append(sentence[start:].strip())
    return pieces


def _asks_on_its_own(half: str) -> bool:
    folded = plain_vowels(fold(half))
    return len(_WORDS.findall(folded)) >= _MIN_WORDS_ASKING and bool(_QUESTION_START.search(folded))


_LEADING_JOINER = re.compile(rf"^(?:(?:{_JOINERS.replace('ss', '(?:ß|ss)')})\b[\s,:;–-]*)+", re.I)


def without_joiner(part: str) -> str:
    """A question as it reads on its own: "when is the forum" of "also when is the forum"."""
    return _LEADING_JOINER.sub("", part) or part


def questions(text: str) -> list[str]:
    """The parts of a message that ask something (`parts`), in the order written."""
    return [part for part in parts(text) if asks(part)]


def _starts_with_month(part: str) -> bool:
    first = _FIRST_WORD.match(part)
    return first is not None and fold(first.group()) in _month_names()


@lru_cache(maxsize=1)
def _month_names() -> frozenset[str]:
    """Month names of German and English (Babel's locale data), folded."""
    return frozenset(
        fold(name)
        for locale in ("de", "en")
        for name in get_month_names("wide", locale=locale).values()
    )


def asks(sentence: str) -> bool:
    """True for a sentence that asks or requests something."""
    folded = plain_vowels(fold(sentence))  # the patterns spell umlauts as plain vowels
    return bool(_WANTS.search(folded) or _QUESTION_START.search(folded))


# A sentence introducing the writer (who they are, not what they did or need), then a comma
# and a question: "I'm a PhD student at TU Clausthal, what is this network about?", "wir sind
# eine Käserei, wie werden wir Mitglied?"; not "Wir sind umgezogen, …" (what happened is
# what is asked about).
_GREETING = r"(?:hallo|hello|hi|hey|moin|guten\s+(?:tag|morgen|abend))"
_INTRODUCTION = (
    rf"^\W*(?:{_GREETING}\W+)*"
    r"(?:(?:i\s+am|i'm|im|we\s+are|we're)\s+(?:a|an|the)|(?:ich\s+bin|wir\s+sind)\s+"
    r"(?:ein|eine|einer|der|die)|my\s+name\s+is|mein\s+name\s+ist|ich\s+hei(?:ss|ß)e)\b"
    # one clause: "I'm a student and need …" says what is asked about
    r"(?:(?!\b(?:und|and|but|aber)\b)[^,?])*"
)
_INTRODUCED = re.compile(_INTRODUCTION + r",\s*(?=\S)", re.IGNORECASE)
_ONLY_INTRODUCTION = re.compile(_INTRODUCTION + r"\W*$", re.IGNORECASE)
_ONLY_GREETING = re.compile(rf"^\W*(?:{_GREETING}(?:\s+\w+)?\W*)$", re.IGNORECASE)


def _introduction_apart(sentence: str) -> list[str]:
    """A sentence introducing the writer before a question, as two."""
    found = _INTRODUCED.match(sentence)
    if found is None or not asks(sentence[found.end() :]):
        return [sentence]
    return [sentence[: found.end()].rstrip(" ,"), sentence[found.end() :]]


def introduces_only(text: str) -> bool:
    """Whether the sentences of `text` that do not ask only greet and say who the writer is
    ("Hi! I'm a PhD student at TU Clausthal, what is this network about?"): what is asked is
    the question alone, however short."""
    pieces = [piece for sentence in sentences(text) for piece in _introduction_apart(sentence)]
    others = [piece for piece in pieces if not asks(piece)]
    return any(_ONLY_INTRODUCTION.match(piece) for piece in others) and all(
        _ONLY_INTRODUCTION.match(piece) or _ONLY_GREETING.match(piece) for piece in others
    )


def asking_part(text: str) -> str | None:
    """The sentences that ask for something when the others only give context (one
    introducing the writer, also before a comma); None when every sentence asks or none
    does."""
    parts = [piece for sentence in sentences(text) for piece in _introduction_apart(sentence)]
    asking = [s for s in parts if asks(s)]
    if not asking or len(asking) == len(parts):
        return None
    return " ".join(asking)
