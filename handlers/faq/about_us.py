"""Questions about the network or the bot itself, in everyday words only: "wer seid ihr?",
"was macht ihr eigentlich?", "what do you guys do?", "bist du ein Mensch?".

A new member's first message is often one of these. They name nothing an entry could match
("ihr", "macht", "eigentlich" are everyday words every entry shares or none has), so the
engine found a stray entry or none: "Was macht ihr eigentlich?" got the entry on old mine
dumps ("Was macht REWIMET zum Thema Althalden?"). Addressed to "ihr"/"you", they ask what the
knowledge base answers for the network's own name, which the operator configures (`[network]`);
addressed to "du", or asking about a bot, a person or whom one speaks with, they ask what the
bot is, which the bot says itself; "was kann ich dich fragen?" asks what the knowledge base
answers for "Was kann der Bot?".

Only a message made of these words alone counts: "Was macht ihr mit meinen Daten?" names
something and is read by the engine as before.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.i18n import network_names

AboutUs = Literal["network", "bot", "abilities"]

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ASKING = _words("wer was who what wem whom")
# Words that address the network: German plural "ihr" or formal "Sie", English "you" (the bot
# speaks for the network) with what people add to it; or ask who is behind it.
_YOU = _words("ihr euch eure euer sie ihnen you ya yall guys folks hinter dahinter behind")
# Words that address the bot: German singular "du", or what it is asked to be.
_THOU = _words("du")
_BOT = _words("bot chatbot roboter robot programm program mensch human person ki ai maschine")
# Speaking with someone: "Mit wem spreche ich hier?", "who am I talking to?".
_SPEAKING = _words("spreche sprechen rede schreibe talking speaking chatting writing")
# What the bot can be asked: "was kann ich dich fragen?", "what can you help me with?".
_ABLE = _words("kann kannst können könnte darf dürfen can could may able")
_ABLE_ASKING = _words("welche welcher welches wobei womit which how wie")
_ABLE_DOING = _words(
    "fragen frage fragt stellen ask questions question helfen hilfst help do tun machen "
    "ich mir mich dich dir man i me hier here bot chatbot der den dem die the you du "
    "kind sort type of things stuff sachen dinge art von with mit bei for für alles all"
)
# Words that address the bot in such a question (not "was kann ich tun?" after a problem).
_ABLE_ADDRESSING = _words("du dich dir you bot chatbot hier here")
# Light verbs, articles and fillers such a question is made of besides.
_FILLER = _words(
    "seid sind ist bist macht tut treibt machen tun are is do does doing up to "
    "ein eine echter echte echt richtiger real actual a an "
    "eigentlich genau überhaupt denn so hier da dort alles nochmal mal bitte "
    "oder und or and exactly actually really here there even again please all just "
    "steckt stecken stands about this that diesem dem den mit with to ich i am me"
)
# A greeting before such a question: "Guten Tag, was genau ist REWIMET eigentlich?", "Hi, what
# exactly is REWIMET?".
_GREETING = _words(
    "hallo hi hey moin servus hello huhu guten good tag morgen abend morning afternoon evening "
    "there liebe lieber dear team"
)


def _network_words() -> frozenset[str]:
    """The words of the network's own names ("REWIMET", "e", "V"): naming it is addressing
    it, as "ihr" is ("Was ist REWIMET eigentlich?")."""
    return frozenset(word for name in network_names() for word in _WORD.findall(name.lower()))


def about_us(text: str) -> AboutUs | None:
    """Whether `text` asks only what the network is or does ("network"), what the bot is
    ("bot") or what it can be asked ("abilities"); None for anything else."""
    words = _WORD.findall(text.lower())
    if not words:
        return None
    present = set(words) - _GREETING
    if not present:
        return None
    if _asks_abilities(present):
        return "abilities"
    you = _YOU | _network_words()
    if not present <= _ASKING | you | _THOU | _BOT | _SPEAKING | _FILLER:
        return None
    if present & _BOT:
        return "bot"  # "bist du ein Bot?", "are you a real person?", "am I talking to a bot?"
    if present & (_THOU | _SPEAKING) and present & _ASKING:
        return "bot"  # "wer bist du?", "Mit wem spreche ich hier?"
    if present & you and present & _ASKING:
        return "network"  # "wer seid ihr?", "what do you guys do?"
    return None


def _asks_abilities(present: set[str]) -> bool:
    """ "Was kann ich dich fragen?", "what sort of things can I ask here?"."""
    allowed = _ASKING | _ABLE_ASKING | _ABLE | _ABLE_DOING | _FILLER
    return (
        present <= allowed
        and bool(present & (_ASKING | _ABLE_ASKING))
        and bool(present & _ABLE)
        and bool(present & _ABLE_ADDRESSING)
    )


def abilities_questions(lang: str) -> tuple[str, ...]:
    """What the knowledge base is asked instead of a question about what the bot can do."""
    return ("Was kann der Bot?",) if lang == "de" else ("What can the bot do?",)


def network_questions(lang: str) -> tuple[str, ...]:
    """What the knowledge base is asked instead of a question about the network: "what is"
    with the network's full name, then with its short name ("Was ist REWIMET e. V.?")."""
    opening = "Was ist" if lang == "de" else "What is"
    names = network_names()
    return tuple(f"{opening} {name}?" for name in dict.fromkeys(names))
