"""Recognises free text that is clearly a partner search (German or English).

A partner search is told by how it is built, never by what field it is about, so that a
food, water or hydrogen network gets the same recognition as the one the bot began with:

- a seeking verb whose object is an actor: general words (Partner, Unternehmen, Labor,
  supplier), the kinds of ``data/kind_words.txt`` (Kommune, Hochschule, municipality), or
  any agent noun told by its ending (Tragwerksplaner, Installateur, Molkerei, caterer,
  brewery);
- a seeking verb whose object is described by what it should do ("eine Mosterei, die unsere
  Äpfel presst", "a tool that can log temperatures");
- a question for whoever can do something ("Wer kann ... auslegen?", "Who could build
  ...?", "Wer verwertet Reste?");
- "wir suchen" / "we are looking for" with an indefinite object, whatever its noun ("eine
  Spedition", "a patent attorney"): an organisation looking for one of something is after a
  provider, unless the noun is information, a post or a means ("eine Möglichkeit").

Agent endings also end everyday things (Newsletter, number, reminder, poster), and members
ask the office for those all the time. So an agent noun counts only where the sentence
makes it a sought one: after an indefinite article, "any" or as a bare plural, never after
"den"/"the"/"unser" ("Ich suche den Newsletter" wants a link, not a partner), and a short
list of everyday things with agent endings is never an actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from bot.textmatch.normalize import fold
from handlers.partners.kinds import load_kind_words
from handlers.partners.text import stem


def _alt(*options: str) -> str:
    return "(?:" + "|".join(options) + ")"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- general actor words ------------------------------------------------------------
# Patterns run on folded text (lower case, umlauts folded to plain vowels).
_SEEK_DE = _alt(r"such\w*", "gesucht", r"brauch\w*", r"benotig\w*")
_WHO_DE = _alt(
    r"\w*partner\w*",
    "unternehmen",
    r"firm\w*",
    r"\w*betrieb\w*",
    r"anbieter\w*",
    r"dienstleister\w*",
    r"lieferant\w*",
    r"abnehmer\w*",
    r"\w*labor\w*",
    r"institut\w*",
    r"hochschul\w*",
    r"universitat\w*",
    r"forschungs\w*",
    r"expert\w*",
    r"berater\w*",
    r"\w*buro\w*",
    r"jemand\w*",
    # not "die Liste aller Mitglieder", "die Daten der Mitglieder": the members own the thing
    r"(?<!aller )(?<!der )(?<!den )(?<!unserer )mitglied(?:er|ern)?",
    r"spezialist\w*",
    r"hersteller\w*",
    r"handler\w*",
    r"sachverstandig\w*",
    r"fach(?:mann|leute|frau|firm\w*)",
    "kontakte",
)
# "need to" seeks only when what is needed is to find or reach someone ("we need to find a
# lab"); otherwise it is something the member must do ("Do I need to be a member to …?",
# "we need to inform our partners")
_NEED_EN = (
    r"needs?(?! to (?!(?:find|hire|get|contact|engage|identify|reach|meet|involve|"
    r"talk to|work with|bring in)\b))"
)
_SEEK_EN = _alt(
    "looking for",
    "look for",
    "seeking",
    "searching for",
    "search for",
    "in search of",
    _NEED_EN,
    "want to find",
    "like to find",
    "hoping to find",
    r"(?:like|want) to (?:interview|talk to|meet|contact|work with|benchmark|hire)",
)
_WHO_EN = _alt(
    "partners?",
    r"compan(?:y|ies)",
    "firms?",
    "suppliers?",
    "providers?",
    "vendors?",
    "labs?",
    r"laborator(?:y|ies)",
    "institutes?",
    r"universit(?:y|ies)",
    r"research (?:group|partner|institute)s?",
    "experts?",
    r"consultan(?:t|ts|cy)",
    "buyers?",
    "carriers?",
    "someone",
    "somebody",
    "anyone",
    # "the member area" is the member's own business
    r"members?(?! (?:area|login|portal|account|card|number|list|directory|fee|fees|meeting))",
    "contractors?",
    "manufacturers?",
    "collaborators?",
    "specialists?",
    "operators?",
    r"facilit(?:y|ies)",
    "transporters?",
    "haulers?",
    "hauliers?",
    "traders?",
    "contacts",
    "advice",
    "supply",
    "supplies",
)
# An actor word that names what the member is or becomes ("to be a member", "as a
# company", "als Mitglied", "Mitglied zu werden") is their own role, not the one sought.
_OWN_ROLE_EN = "".join(
    rf"(?<!\b{before} )"
    for before in (
        "be",
        "be a",
        "be an",
        "being",
        "being a",
        "become",
        "become a",
        "become an",
        "as",
        "as a",
        "as an",
    )
)
_OWN_ROLE_DE = (
    "".join(rf"(?<!\b{before} )" for before in ("als", "als ein", "als eine", "als einer"))
    + r"(?!\w*\W+(?:zu\W+)?(?:sein|werden)\b)"
)
_ABLE_EN = _alt("can", "could", "would", "might", "is able to", "has", "have")
# what one member can do or has for another: offering verbs and know-how
_OFFER_EN = _alt(
    "help",
    "support",
    "supply",
    "provide",
    "process",
    "take (?:back|over)",
    "transport",
    "sort",
    "measure",
    r"characteri[sz]e",
    "calculate",
    "certify",
    "teach",
    "train",
    "buy",
    "host",
    "analy[sz]e",
    "offer",
    "treat",
    "build",
    "design",
    "advise",
    "know-how",
    "experience",
    "expertise",
)
_DO_DE = _alt(
    r"\w*helfen",
    r"\w*hilft",
    "unterstutzen",
    "liefern",
    "ubernehmen",
    "anbieten",
    r"abnehm\w*",
    "kaufen",
    "kauft",
    "analysieren",
    "beraten",
    "berechnen",
    "hat erfahrung",
    "bietet",
)
_GAP = r"(?:\W+\w+)"
# "Wer kann ... <Verb>?" asks for a capability, unless it is about taking part or seeing
# one's own data, which the office answers
_TAKING_PART = _alt(
    "teilnehm",
    "anmeld",
    "abmeld",
    "mitmach",
    "mitkomm",
    "mitbring",
    "beitret",
    "mitgliedschaft",
    "beantrag",
    "registrier",
    "bewerb",
    "abstimm",
    "einseh",
    "zugreif",
    r"komm(?:t|en)\b",
    r"werden\b",
    r"bleiben\b",
    r"sagen\b",
    r"sehen\b",
    r"wahlen\b",
)
# What a member asks the office for is information or a document; described by a relative
# clause ("eine Bescheinigung, die unsere Mitgliedschaft bestätigt") it is still no partner.
_INFO_DE = _words(
    "formular dokument bescheinigung bestatigung nachweis rechnung link seite liste "
    "ubersicht datei vorlage unterlage termin veranstaltung info information anleitung "
    "mail nachricht adresse nummer zugang app einladung zertifikat urkunde frage antrag "
    "beschwerde newsletter profil passwort konto"
)
_INFO_EN = _words(
    "form document certificate confirmation invoice receipt link page list overview file "
    "template event information email address number access app invitation letter "
    "registration application membership booking ticket request question complaint"
)
_TAKING_EN = _alt(
    "takes?",
    "buys?",
    "collects?",
    "process(?:es)?",
    "recycles?",
    "reuses?",
    "dispose(?:s)? of",
    "purchases?",
    "accepts?",
)
_NOT_TAKING_PART = rf"(?!\W+(?:\w+\W+){{0,8}}?{_TAKING_PART})"
# "Wer kann die Rechnung ändern?" asks the office about a document, not for a partner
_NOT_INFO_DE = rf"(?!(?:\W+\w+){{0,8}}?\W+\w*(?:{'|'.join(sorted(_INFO_DE))})(?:e|n|en|s)?\b)"
_INFO_EN_WORD = rf"(?:{'|'.join(sorted(_INFO_EN))})s?\b"
_NOT_INFO_EN = rf"(?!(?:\W+\w+){{0,8}}?\W+{_INFO_EN_WORD})"
# the member's own business ("Wer hilft mir bei der Anmeldung?"), unless what they need help
# with is general ("Wer könnte mir bei einem Recyclingverfahren weiterhelfen?")
_NOT_FOR_ME_DE = (
    r"(?!(?:\W+\w+){0,2}?\W+(?:mir|mich|mein\w*)\b(?!\W+(?:bei|mit)\W+(?:einem|einer|ein)\b))"
)
# taking part, seeing one's own data, or the member asking for themself ("Who can I ask")
_TAKING_PART_EN = _alt(
    "join",
    "attend",
    "register",
    "sign",
    "take part",
    "participate",
    "come",
    "become",
    "be",
    "apply",
    "vote",
    "enter",
    "access",
    "see",
    "view",
    "edit",
    "log",
    "bring",
    "i",
    "we",
)

# An actor named right after "a"/"any" ("a lab that tests …", "any partners"); "advice" and
# "anyone" are no actor there.
_ACTOR_EN = re.compile(rf"(?!advice|anyone|someone|somebody){_WHO_EN}\b")

_PATTERNS = [
    # "Wir suchen einen Partner ...", "Wir brauchen ein Labor ..."
    re.compile(rf"\b{_SEEK_DE}\b{_GAP}{{0,6}}?\W+{_OWN_ROLE_DE}{_WHO_DE}\b"),
    # "Labor für ... gesucht"
    re.compile(rf"\b{_WHO_DE}\b{_GAP}{{0,6}}?\W+gesucht\b"),
    # "Wer kann uns bei ... helfen", "Wer im Netzwerk bietet ...", not the member's own
    # business ("Wer hilft mir bei der Anmeldung?")
    re.compile(rf"\bwer\b{_NOT_TAKING_PART}{_NOT_FOR_ME_DE}{_GAP}{{0,8}}?\W+{_DO_DE}\b"),
    re.compile(
        rf"\b(?:wer|welche[rsnm]? {_WHO_DE}) (?:kann|konnte|konnen|konnten|wurde|wurden|ware|waren)"
        rf"{_NOT_TAKING_PART}"
        rf"{_NOT_INFO_DE}"
        rf"(?! (?:mir|mich|mein\w*)\b){_GAP}{{1,14}}?\W+\w+(?:en|ern|eln)"
        # the verb ends the question, or a clause goes on ("…, per Lkw?", "… und warten?")
        r"(?:\s*\?|\s*,|\s+(?:und|oder)\s+(?:\w+\s+){0,4}?\w+(?:en|ern|eln)\b)"
    ),
    re.compile(
        r"\bwer (?:im netzwerk|aus dem netzwerk|von euch|von ihnen|unter (?:den|euren|ihren) "
        rf"mitgliedern)\b{_NOT_TAKING_PART}"
    ),
    re.compile(r"\bkennt\s+(?:jemand|ihr|wer)\b"),
    re.compile(r"\bbitte um (?:\w+ ){0,2}?kontakte\b"),
    # "Hat jemand Kontakte zu einem Batterierecycler?", "… mit einer Brauerei in Kontakt
    # bringen": contact to someone not named yet (not "Kontakt zur Geschäftsstelle")
    re.compile(r"\bkontakte?\W+(?:zu|mit)\W+(?:einem|einer|ein|irgendeinem|irgendeiner)\b"),
    re.compile(r"\bmit (?:einem|einer|ein) (?:\w+ ){1,3}?in kontakt bringen\b"),
    # "Wir suchen wissenschaftliche Begleitung": a service a partner gives, unless it is for
    # the member's own business ("Ich brauche Beratung zu meiner Mitgliedschaft")
    re.compile(
        rf"\b{_SEEK_DE}\b{_NOT_TAKING_PART}{_NOT_FOR_ME_DE}{_NOT_INFO_DE}{_GAP}{{0,3}}?\W+"
        r"\w*(?:unterstutzung|begleitung|beratung|expertise|kooperation|zusammenarbeit)\b"
    ),
    re.compile(rf"\bgibt es (?:im netzwerk|unter den mitgliedern|ein\w* {_WHO_DE})\b"),
    # "Gibt es an einer Uni jemanden, der ..."
    re.compile(rf"\bgibt es\b{_GAP}{{0,5}}?\W+jemand\w*"),
    # "looking for a lab that can ...", "we need a company that ..."
    re.compile(rf"\b{_SEEK_EN}\b{_GAP}{{0,4}}?\W+{_OWN_ROLE_EN}{_WHO_EN}\b"),
    # "who can help us with ...", "who has the know-how"
    re.compile(
        rf"\bwho\b{_NOT_INFO_EN}{_GAP}{{0,2}}?\W+{_ABLE_EN}\b{_GAP}{{0,3}}?\W+{_OFFER_EN}\b"
        r"(?! me\b(?! with an?\b)| my\b)"
    ),
    # "who can/could <do something>": a capability, unless about taking part or asked by
    # the member for themself ("Who can I contact about my invoice?", "Who can send me the
    # form?"; likewise "Wer kann mir ... schicken?" above). A known object ("test our
    # samples", "use the by-products") is as often a service the office has arranged, which
    # the FAQ answers; a general one ("supply pumps", "build a test wall") is not.
    re.compile(
        rf"\bwho{_NOT_INFO_EN} (?:else )?(?:can|could)(?: also| possibly| maybe| perhaps)? "
        rf"(?!{_TAKING_PART_EN}\b)[a-z]{{2,}}\b"
        r"(?! (?:me|my|our|the|this|these|those|your|their)\b)"
    ),
    # "Who could take our offcuts?", "anyone who would buy our surplus?"
    re.compile(
        rf"\bwho\b(?: \w+){{0,2}} {_TAKING_EN} (?:back )?our "
        rf"(?!(?:\w+ )?{_INFO_EN_WORD})\w+"
    ),
    # "Please put us in touch with battery recyclers", not with the office
    re.compile(
        r"\bput (?:us|me) in touch with (?!(?:the|your|our|my) (?:office|team|staff|press|board))"
    ),
    # "Can anyone in the network process our scrap?": someone to do a thing, not to take part
    re.compile(
        r"\b(?:can|could|would) (?:anyone|anybody|someone|somebody)"
        rf"(?: here| in (?:the|your|this) network)? (?:{_TAKING_EN}|{_OFFER_EN})\b"
        rf"(?! me\b| my\b){_NOT_INFO_EN}"
    ),
    re.compile(
        r"\b(?:does|do) (?:anyone|anybody|someone|somebody)(?: here| in the network)? "
        # not "know the dress code", "have the slides": a thing the office has
        rf"(?!{_TAKING_PART_EN}\b|else\b|here\b|in\b|need|want|plan|wanna|"
        rf"(?:know|have) (?:the|when|if|whether|my|our|your)\b)[a-z]{{2,}}\b"
    ),
    # "Could anyone help us reuse ...": help to do something, not help with a form
    re.compile(
        r"\b(?:can|could) (?:anyone|anybody|someone|somebody) help us "
        rf"(?!{_TAKING_PART_EN}\b|with|in|on|to|at|out|the|our|my|please|regist|log)"
        r"[a-z]{2,}\b"
    ),
    re.compile(
        rf"\b(?:is|are) there (?:a|an|any)\b{_GAP}{{0,4}}?\W+"
        r"(?:compan(?:y|ies)|firms?|partners?|labs?|suppliers?|facilit(?:y|ies))\b"
    ),
]

# -- sentence structure -------------------------------------------------------------
# Tokens keep hyphenated compounds whole ("newsletter-abmeldelink"); its last part is the head.
_TOKEN = re.compile(r"\w+(?:-\w+)*|[^\w\s]")
_SENTENCE_END = frozenset(".!?")

_SEEK_DE_VERB = re.compile(r"(?:such|brauch|benotig)(?:e|en|t|st|te|ten)?|gesucht")
# the form of an agent noun each indefinite article asks for ("einen Planer", "einen
# Lieferanten", "eine Molkerei"); no agent ending makes a neuter noun
_INDEFINITE_DE = {
    "einen": "masc",
    "einem": "masc",
    "eine": "fem",
    "einer": "fem",
    "ein": "neut",
    "irgendeinen": "masc",
    "irgendeine": "fem",
    "irgendein": "neut",
}
# between a seeking verb and its object: subject, adverbs, the particle of "suchen nach"
_FILLERS_DE = _words(
    "wir ich man uns mir noch dringend aktuell derzeit zurzeit gerade momentan auch wieder "
    "immer weiter weiterhin schon bereits jetzt nun zudem ausserdem zusatzlich eigentlich "
    "vielleicht eventuell bitte gern gerne mal ab sofort hierfur dafur dazu nach wird werden "
    "zeitnah kurzfristig langfristig ebenfalls hier also daher deshalb weitere "
    "mehrere"
)
_PREPOSITIONS_DE = _words(
    "fur zur zum im in bei beim mit aus an am auf uber von vom zu unter durch gegen ohne um "
    "wegen innerhalb ausserhalb als fuers furs ins"
)
_DETERMINER_DE = re.compile(
    r"d(?:er|ie|as|en|em|es)|dies\w*|jen\w*|mein\w*|dein\w*|sein\w*|ihr\w*|unser\w*|euer|"
    r"eur\w*|kein\w*|es|sie|du|ihn|welch\w*|sich"
)
_CONJUNCTIONS_DE = _words("und oder sowie bzw beziehungsweise aber sondern")
_RELATIVE_DE = _words("der die das welcher welche welches")
# A relative clause whose subject is the member tells what they will do with the thing
# ("ein Formular, das ich ausfüllen kann"), not what a partner should do.
_SUBJECT_DE = _words("ich wir man du ihr")

_AGENT_DE = {
    "masc": re.compile(r"\w{3,}(?:er|or|eur)|\w{2,}(?:ant|ent|ist)en|\w{2,}wirt"),
    "fem": re.compile(r"\w{2,}(?:erin|orin|eurin|antin|entin|istin)|\w{3,}(?:erei|erie)"),
    # "Gesucht wird ein Planer", "Tragwerksplaner gesucht"
    "nom": re.compile(r"\w{3,}(?:er|or|eur)|\w{2,}(?:ant|ent|ist)(?:en)?|\w{2,}wirt"),
    "plural": re.compile(
        r"\w{3,}(?:er|oren|eure|ereien|erien|erinnen|orinnen)|\w{2,}(?:ant|ent|ist)en"
        r"|\w{2,}wirte"
    ),
}
# Words with an agent ending that name no actor: everyday things members ask the office
# for, measures, mass nouns and neuter plurals in -er. Matched as the end of a word, so
# compounds ("Fördergelder", "Terminkalender") are covered too; hence no entry may end an
# agent noun ("teller" ends "Hersteller", "bilder" ends "Ausbilder").
_THINGS_DE = _words(
    "newsletter kalender ordner flyer poster sticker aufkleber banner computer beamer "
    "drucker rechner browser adapter stecker schalter fenster zimmer theater muster register "
    "parameter semester meter liter wasser feuer futter zucker butter pfeffer fieber "
    "fehler opfer abenteuer nummer feier mauer steuer dauer koffer keller becher eimer "
    "winter sommer gelder felder bucher kinder schilder eier kleider lieder dacher hauser "
    "worter blatter krauter bretter guter lager cluster container filter batterie galerie "
    "materie arterie lotterie maschinerie"
)
_FUNCTION_DE = _words(
    "aber oder wieder immer weiter leider sicher besser lieber unser euer jeder jener "
    "mancher welcher dieser seiner ihrer meiner deiner keiner einer hinter unter uber "
    "vorher nachher daher bisher spater weniger anderer weiterer neuer bilder glaser"
)
# Hiring and taking part belong to the job board and the events, not to a partner search.
_NOT_PARTNER_DE = ("mitarbeiter", "praktikant", "student", "bewerber", "teilnehmer", "azubi")

_SEEK_EN_WORDS = re.compile(
    rf"\b(?:{_SEEK_EN}|require|requires|lacks?|lacking|missing|trying to find)\b"
    r"(?: (?:also|still|urgently|currently|now|really|"
    r"desperately|ideally|to find|to hire|to get|to contact|to engage|to identify))*"
)
_INDEFINITE_EN = _words("a an any another some several other more")
_DETERMINER_EN = _words("the this that these those my our your their his her its")
# words that end a noun phrase: function words, relative pronouns, time words
_PHRASE_END_EN = _words(
    "for of with in on at from to by about and or but who that which whose as near around "
    "within next asap urgently soon now today tomorrow please is are was were can could "
    "would will should might may willing able interested based located"
)
_AGENT_EN = re.compile(r"\w{3,}(?:er|or|ist|ant|eer|ery)|\w{2,}ician")
# as for German: everyday things, materials and measures with an agent ending (matched as
# the end of a word: "newsletter", "wastewater"); none may end an agent noun
_THINGS_EN = _words(
    "number letter reminder poster folder order paper flyer banner sticker voucher cover "
    "answer matter chapter computer charger adapter router server transfer offer other "
    "corner dinner water power center meter liter timer trailer quarter summer winter "
    "semester register filter container error floor door color colour mirror favor "
    "favour honor honour humor humour labor labour behavior behaviour sector vector "
    "calculator elevator indicator projector monitor timber rubber copper silver leather butter "
    "powder polymer fiber pepper cider ledger header footer printer user delivery battery "
    "gallery machinery discovery recovery stationery cutlery query every very checklist "
    "shortlist wishlist waitlist playlist variant career"
)
_NOT_PARTNER_EN = _words("employee intern student applicant participant attendee volunteer")
_SUBJECT_EN = _words("i we")
_PERSON_EN = _words("contact person")
_MODAL_EN = _words("can could would will might")

# "Wer verwertet Reste?", "Who makes screws?" ask for a capability; these verbs ask about
# the office, an event or the member themself instead, and "macht"/"does" name no
# capability at all ("Wer macht Führungen?").
_NOT_DOING_DE = _words(
    "ist hat wird darf muss soll kann mag will weiss kennt gewinnt bekommt erhalt kriegt "
    "zahlt bezahlt erstattet kommt geht halt spricht sitzt steht gehort entscheidet wahlt "
    "bestimmt gibt meldet tragt leitet moderiert organisiert unterschreibt macht tut steckt"
)
_NOT_DOING_EN = _words(
    "is has was does gets pays wins comes goes speaks attends joins registers decides "
    "chairs leads organises organizes runs signs votes means knows wants needs says "
    "gives"
)
# Verbs of taking a thing off the member's hands: whoever does that with "unsere Reste", "our
# offcuts" is a partner (a buyer, a collector, a processor), not the office.
_TAKING_DE = _words(
    "nimmt ubernimmt abnimmt annimmt holt abholt kauft ankauft sammelt verarbeitet verwertet "
    "entsorgt recycelt"
)
_NOT_OBJECT_DE = _words(
    "heute morgen gestern gerade eigentlich denn hier dort da jetzt noch schon immer dann so "
    "nicht auch was etwas alles nichts"
)


# -- calls on the members ------------------------------------------------------------
# A request put as a question to everybody: who has experience, capacity or interest, who
# would cooperate, who can recommend or introduce someone, who is working on something.
# Told by the construction, never by the field ("Hat jemand Erfahrung mit …?"). A question
# for the office may be built the same way: these yield to the FAQ's direct answer.

# a person's noun as German forms them ("Gutachter", "Steuerberaterin", "Spezialist")
_AGENT_WORD_DE = r"\w{3,}(?:er|or|eur|erin|orin|ist|istin)"
_HAVING_DE = r"(?:erfahrung\w*|know-how|expertise|kenntniss\w*|kapazitat\w*|interesse|lust|ahnung)"
_OTHERS_DE = r"(?:mitglieder|firmen|unternehmen|betriebe|labore|partner|experten|leute|anbieter)"
_WITH_ONE_DE = r"(?:einem|einer|ein|irgendeinem|irgendeiner|anderen|weiteren)"
_TOGETHER_EN = (
    r"(?:team(?:ing)? up|co-?operat\w+|collaborat\w+|partner(?:ing)?(?: up)?|"
    r"work(?:ing)? together|connect(?:ing)?|get(?:ting)? in (?:touch|contact))"
)
_ONE_EN = (
    r"(?:an?|any|another|other|some|someone|somebody|anyone|anybody|compan\w+|firms|labs|"
    r"universit\w+|research\w*|members?\b(?! (?:area|list|directory|portal|login)))"
)
_ACTORS_EN = (
    r"(?:members|compan(?:y|ies)|firms?|labs?|partners?|experts?|universit(?:y|ies)|"
    r"institutes?|suppliers?|people|specialists?)"
)
# what a member is busy with when asked whether anyone goes too: an event, not a partner
_GOING_EN = (
    r"(?:going|coming|attending|joining|taking|participating|driving|travell?ing|planning|"
    r"registered|signed|presenting|speaking|staying)"
)
# giving a talk is taking part in an event ("Hat jemand Lust, beim Symposium einen Vortrag zu
# halten?" is the office's call for speakers, not a partner search)
# A question's start (not "… a list where I can see who works on …": that asks for the list)
_OPENING = (
    r"(?:^|[.!?;:,–-]\s*|\b(?:und|and|so|also|hallo|hi|hey|moin|zusammen|leute|folks|all) )\W*"
)
_NOT_A_TALK = r"(?!(?:\W+\w+){0,8}?\W+(?:vortrag\w*|referat\w*|prasentation\w*|talks?|speak\w*)\b)"
_CALLS = [
    # "Hat jemand Erfahrung mit …?", "Hat jemand Lust, mit uns …?"; not "Hat jemand die Folien?"
    re.compile(
        r"\b(?:hat|hatte|haben|hatten) (?:hier |denn |vielleicht |eventuell )?"
        rf"(?:jemand|wer|ihr|einer|eine|(?:\w+ )?(?:mitglied\w*|firm\w*|unternehmen))\b"
        rf"(?:\W+\w+){{0,3}}?\W+{_HAVING_DE}\b{_NOT_TAKING_PART}{_NOT_A_TALK}"
        r"(?! (?:an|auf|fur) mein)"
    ),
    # "Wer hätte Kapazitäten, …?", "…, wer hätte Interesse?"
    re.compile(
        rf"\bwer (?:hatte|hat)\b{_NOT_TAKING_PART}{_NOT_A_TALK}(?:\W+\w+){{0,2}}?\W+{_HAVING_DE}\b"
    ),
    # "Does anyone know …" typed casually, its "does" left out: "anyone know a company that
    # buys …?", "anybody have a lab that can test …?" (something indefinite, not "the slides")
    re.compile(
        rf"{_OPENING}(?:anyone|anybody)(?: here| in the network)? "
        r"(?:know|knows|have|has|got) (?:an?|any|some)\b"
    ),
    # "anyone with experience in magnet recycling?"
    re.compile(
        r"\b(?:anyone|anybody|someone|somebody|any members?|any compan(?:y|ies))"
        r"(?: here| in (?:the|this|our|your) (?:network|cluster))? with "
        r"(?:(?:some|any|practical|hands-on) )?"
        r"(?:experience|expertise|know-how|knowledge|capacity)\b"
        rf"{_NOT_A_TALK}"
    ),
    # "Gibt es Mitglieder, die …?", "Ist jemand im Cluster, der …?"
    re.compile(rf"\bgibt es\b(?:\W+\w+){{0,3}}?\W+{_OTHERS_DE}\W*,?\s*(?:die|welche)\b"),
    re.compile(r"\bist (?:\w+ ){0,3}?jemand\b(?:\W+\w+){0,4}?\W*,\s*(?:der|die)\b"),
    # "Kann uns jemand bei der Zertifizierung unterstützen?" (an organisation's, not "mir")
    re.compile(
        rf"\b(?:kann|konnte|konnen|konnten) uns (?:jemand|wer|einer)\b{_NOT_TAKING_PART}"
        rf"{_NOT_INFO_DE}(?:\W+\w+){{0,6}}?\W+(?:unterstutzen|helfen|weiterhelfen|beraten)\b"
    ),
    # "Hat jemand … gemacht und mag sich austauschen?"
    re.compile(r"\b(?:jemand|wer)\b(?:\W+\w+){0,12}?\W+(?:austauschen|vernetzen)\b"),
    # "Kann mir jemand einen Gutachter empfehlen?", "Könnt ihr mir jemanden vermitteln?"
    re.compile(
        r"\b(?:kann|konnte|konnt|konnen|konnten|konntet)\b"
        r"(?=(?:\W+\w+){0,8}?\W+(?:empfehlen|vermitteln|nennen)\b)"
        rf"(?:\W+\w+){{0,5}}?\W+(?:jemand\w*|ein\w* (?:\w+ )?(?:{_WHO_DE}|{_AGENT_WORD_DE}))\b"
        rf"{_NOT_INFO_DE}"
    ),
    # "Can someone recommend an expert on …?", not "a good restaurant"
    re.compile(rf"\brecommend (?:an?|any|some)(?: \w+){{0,2}}? {_WHO_EN}\b"),
    # "mit einer Hochschule zusammenarbeiten", "bringt uns mit einem Betrieb zusammen",
    # "Kooperation mit einer Gießerei", "eine Kommune ins Boot holen"
    re.compile(
        rf"\bmit {_WITH_ONE_DE}\b(?:\W+\w+){{1,5}}?\W+"
        r"(?:zusammenarbeiten|kooperieren|zusammentun|zusammenbringen|zusammen\b|in kontakt|"
        r"austauschen|vernetzen)"
    ),
    re.compile(rf"\b(?:kooperation|zusammenarbeit|\w*projekt)\w* mit {_WITH_ONE_DE}\b"),
    re.compile(r"\bins boot (?:holen|nehmen|bekommen)\b"),
    # "Mit wem könnten wir ein Pilotprojekt starten?" (not "Mit wem kann ich …": the office)
    re.compile(
        rf"\bmit wem (?:konnen|konnten|sollten|sollen|wurden) wir\b{_NOT_TAKING_PART}{_NOT_INFO_DE}"
    ),
    # "Wer nimmt bei uns in der Region Altholz ab?" (a separable verb; not "Wer holt mich ab?")
    re.compile(
        rf"\bwer (?:nimmt|holt|kauft)\b(?! (?:mich|mir|uns)\b){_NOT_TAKING_PART}{_NOT_INFO_DE}"
        r"(?:\W+\w+){1,7}?\W+ab\s*(?:\?|,|$)"
    ),
    # "Welche Firma im Netzwerk kann … aufbereiten?"
    re.compile(
        rf"\bwelche[rsnm]? {_WHO_DE}\b(?:\W+\w+){{1,3}}?\W+(?:kann|konnte|konnen|konnten)\b"
        rf"{_NOT_TAKING_PART}{_NOT_INFO_DE}(?! (?:mir|mich|mein\w*)\b)"
    ),
    # "team up with a university", "cooperating with a foundry", "connect with a recycler"
    re.compile(rf"\b{_TOGETHER_EN}(?: us| me)? with {_ONE_EN}"),
    # "Unser Betrieb hat Schlacke übrig – kann die jemand gebrauchen?", "would anyone want it?"
    re.compile(
        r"\b(?:kann|konnte) (?:das|die|den|es|sie|ihn) (?:\w+ )?(?:jemand|wer)\b(?:\W+\w+)?\W+"
        r"(?:gebrauchen|brauchen|nutzen|verwenden|verwerten)\b"
    ),
    re.compile(
        r"\b(?:would|does|could|can) (?:anyone|anybody|someone|somebody) "
        r"(?:want|need|use|take|have (?:a )?use for) (?:it|them|this|these|those)\b"
    ),
    # "Wie finde ich ein Labor für …?", "how do I find a partner lab that …?": asking how to
    # find one for a named purpose is asking for one; without the purpose ("Wie finde ich
    # einen Partner?") it is the FAQ's how-to, and the FAQ's direct answer goes first anyway
    re.compile(
        r"\b(?:wie|wo) (?:finde|finden|bekomme|bekommen|erreiche|erreichen) (?:ich|wir|man)"
        rf"(?: \w+){{0,2}}? (?:einen|eine|{_WITH_ONE_DE}) (?:\w+ )?(?!ansprech)"
        rf"(?:{_WHO_DE}|{_AGENT_WORD_DE})\b\W+(?:fur|zur|zum|mit|der|die|das|welche[rs]?|zu)\b"
        rf"{_NOT_TAKING_PART}{_NOT_INFO_DE}"
    ),
    re.compile(
        r"\b(?:how|where) (?:do|can|could|would|should|might) (?:i|we|one) "
        r"(?:find|get|reach|get hold of|get in touch with) (?:an?|any|some) "
        rf"(?:(?!{_INFO_EN_WORD})\w+ ){{0,2}}?(?:{_WHO_EN})\b (?:for|that|who|which|to|with)\b"
        rf"{_NOT_INFO_EN}"
    ),
    # "Who would be up for a joint pilot …?", "Is any city works interested?"
    re.compile(r"\b(?:who|anyone|anybody)(?: would|'d)? (?:be )?up for\b"),
    re.compile(r"\b(?:is|are) any (?:\w+ ){1,3}?interested\b"),
    # "Does any member do life cycle assessments?"
    re.compile(
        rf"\bdoes any (?:member|{_ACTORS_EN}|one|body) "
        r"(?!(?:know|have|need|want|go|come|attend|plan)\w*\b)\w+"
    ),
    # "we could use some help with …", not with "the registration"
    re.compile(
        r"\b(?:could|can) use (?:some |a little |any |a bit of )?"
        r"(?:help|support|advice|expertise|input|know-how)\b"
        rf"(?! (?:with|on|for) (?:my|our|the|this)\b){_NOT_INFO_EN}"
    ),
    # "Are there members experienced in …?", "Is anybody working on …?"
    re.compile(
        rf"\b(?:is|are) there (?:any )?(?:other )?{_ACTORS_EN} (?:experienced|with (?:experience|"
        r"expertise|know-how)|(?:who|that)(?! (?:still |also )?(?:need|needs|have|has|must|want|"
        r"wants|pay|paid|are|is|were|was)\b)|working|doing|offering|speciali[sz]\w*|familiar|active|"
        rf"able)\b(?!(?:\W+\w+){{0,3}}?\W+{_GOING_EN}\b)"
    ),
    re.compile(
        r"\b(?:is|are) (?:anyone|anybody|someone|somebody|any members?)"
        r"(?: here| (?:in|from) (?:the|this|our|your) (?:network|cluster))? "
        rf"(?!{_GOING_EN}\b)(?:\w+ing|speciali[sz]ed|experienced|active|familiar)\b"
    ),
    # "Anyone in the network who takes …?", "anybody interested?"
    re.compile(
        r"\b(?:anyone|anybody|someone|somebody)(?: here| (?:in|from) (?:the|this|our|your) "
        r"(?:network|cluster))? (?:who|that) (?!(?:is|are|was|will|wants|plans|needs)\b)"
        r"(?!(?:attend|join|regist|sign|go|com|driv|travel|participat)\w*)\w+"
    ),
    re.compile(r"\b(?:anyone|anybody|any members?|any compan(?:y|ies)) (?:else )?interested\b"),
    # "Can anyone point us to a company that …?"
    re.compile(r"\bpoint (?:us|me) (?:to|towards|in the direction of) (?:an?|any|some)\b"),
    # "we want a municipality on board"
    re.compile(
        r"\b(?:get|bring|have|want|need|take) (?:an?|another|one more) (?:\w+ ){0,2}?\w+ on board\b"
    ),
    # "Any partner for a pilot on …?" opening the message
    re.compile(rf"^\W*any (?:\w+ )?{_ACTORS_EN} (?:for|who|that|with|able|in|to)\b"),
    # "Wer kennt sich (hier) mit Batterierecycling aus?", "Wer von euch arbeitet an Seltenen
    # Erden?", "wer forscht zu Laugung": who in the network does or knows a thing
    re.compile(
        rf"{_OPENING}wer (?:\w+ ){{0,2}}?(?:kennt sich|versteht sich|arbeitet|beschaftigt sich|"
        r"befasst sich|forscht|"
        r"macht (?:(?:hier|denn|so|bei euch|im (?:netzwerk|cluster)) )*(?:was|etwas|viel))\b"
        r"(?: (?:hier|denn|so|eigentlich|alles|schon|gut|bei euch|von euch|"
        r"im (?:netzwerk|cluster)))*"
        r" (?:mit|an|zu|zum|zur|uber|im bereich|auf dem gebiet)\b"
        rf"{_NOT_TAKING_PART}{_NOT_INFO_DE}{_NOT_A_TALK}"
    ),
    # "who's working on battery recycling here?", "which members work with rare earths?",
    # "who knows about life cycle assessment"
    re.compile(
        rf"{_OPENING}(?:who(?:'s|’s| is| are)?|whos|which (?:members?|compan(?:y|ies)|firms?|"
        r"institutes?|labs?|organi[sz]ations?))(?: (?:here|else|currently|already|actually))? "
        r"(?:(?:work(?:s|ing)?|speciali[sz](?:es|ing|ed)|experienced|active|knows?|deal(?:s|ing)?)"
        r" (?:on|with|in|about)|research(?:es|ing)?(?: (?:on|into|in))?)\b"
        r"(?! (?:the|this|our|your) (?:office|bot|team)\b)"
        rf"{_NOT_TAKING_PART}{_NOT_INFO_EN}{_NOT_A_TALK}"
    ),
    # "anyone here doing li-ion battery recycling?", "Macht hier jemand was mit Seltenen
    # Erden?" (the question opening with them)
    re.compile(
        rf"{_OPENING}(?:anyone|anybody|someone|somebody|any members?|any compan(?:y|ies)|"
        r"any firms?)(?: here| (?:in|from) (?:the|this|our|"
        r"your) (?:network|cluster))? (?:doing|recycling|processing|producing|making|developing|"
        r"researching|testing|analy[sz]ing|collecting|offering|selling|buying|handling|"
        r"manufacturing|working (?:on|with|in)|speciali[sz]ed in|experienced in)\b"
        r"(?! (?:the|a|an|this|that|our|your|my)\b)"  # "anyone doing the excursion?"
        rf"{_NOT_TAKING_PART}{_NOT_A_TALK}"
    ),
    re.compile(
        r"\bmacht (?:(?:hier|denn|so|bei euch|im (?:netzwerk|cluster)) )*(?:jemand|wer|einer)"
        r"(?: (?:hier|von euch|bei euch|im (?:netzwerk|cluster)))? (?:was|etwas|viel) "
        rf"(?:mit|im bereich)\b{_NOT_TAKING_PART}{_NOT_INFO_DE}{_NOT_A_TALK}"
    ),
    # "Welche Mitglieder arbeiten an …?", "Welche Firmen beschäftigen sich mit …?", "welche
    # Institute forschen zu …", "Welche Hochschule forscht zu …?" (one: the verb's singular):
    # which members do or know a thing (as "wer arbeitet an …")
    re.compile(
        rf"{_OPENING}welche[rsnm]? (?:\w+ )?{_WHO_DE}\b(?: (?:hier|im (?:netzwerk|cluster)))? "
        r"(?:arbeite[nt]|beschaftig(?:en|t) sich|befass(?:en|t) sich|forsch(?:en|t)|"
        r"kenn(?:en|t) sich|spezialisier\w*)"
        r"(?: (?:hier|schon|bereits|bei euch|im (?:netzwerk|cluster)))*"
        r" (?:mit|an|zu|zum|zur|uber|im bereich|auf dem gebiet|aus)\b"
        rf"{_NOT_TAKING_PART}{_NOT_INFO_DE}{_NOT_A_TALK}"
    ),
    # "Which members do hydrometallurgy?", "Which companies recycle magnets?": which of them
    # does a thing (not "which members are coming", "… have paid", "… can see my profile")
    re.compile(
        rf"{_OPENING}which (?:members?|compan(?:y|ies)|firms?|institutes?|labs?|"
        r"organi[sz]ations?|universit(?:y|ies))"
        r"(?: (?:here|in (?:the|this|our|your) (?:network|cluster)))? "
        r"(?!(?:are|is|were|was|have|has|had|will|would|can|could|should|may|might|must|did|"
        r"get|got|pay|paid|live|lives|come|came|attend|join|go|went|sign|regist|receive|see|"
        r"know|want|need|use|like|think|say|said)\w*\b)[a-z]+\b"
        r" (?!(?:the|this|that|my|our|your)\b)\w"
        rf"{_NOT_TAKING_PART}{_NOT_INFO_EN}{_NOT_A_TALK}"
    ),
    # "Who in the cluster processes …?"
    re.compile(
        r"\bwho (?:here|(?:in|from|among) (?:the|this|our|your) (?:network|cluster|members))\b "
        rf"(?!(?:{'|'.join(sorted(_NOT_DOING_EN))})\b)\w+s\b"
    ),
]


@cache
def _kind_stems() -> frozenset[str]:
    """Stems of the one-word kinds of organisation (Kommune, Hochschule, municipality)."""
    table = load_kind_words(widen=False)
    # short ones ("AG", "uni") are too often something else ("AG Wasserstoff")
    return frozenset(
        key[0]
        for keys in table.phrases.values()
        for key in keys
        if len(key) == 1 and len(key[0]) >= 4
    )


def _head(token: str) -> str:
    return token.rsplit("-", 1)[-1]


def _ends_with(word: str, tails: Iterable[str]) -> bool:
    return any(word.endswith(tail) for tail in tails)


def _names_kind(token: str) -> bool:
    """The word names a kind of organisation, by itself or as a compound's head
    ("Hochschullabor", "Abwasserzweckverband")."""
    root = stem(_head(token))
    # a compound's first part is a word of its own: "confirm" has no "firm" in it
    return any(
        root == kind or (root.endswith(kind) and len(kind) >= 5 and len(root) - len(kind) >= 4)
        for kind in _kind_stems()
    )


def _is_agent_de(token: str, form: str) -> bool:
    head = _head(token)
    pattern = _AGENT_DE.get(form)
    if pattern is None or head in _FUNCTION_DE or _ends_with(head, _THINGS_DE):
        return False
    return not any(word in head for word in _NOT_PARTNER_DE) and bool(pattern.fullmatch(head))


def _singular_en(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _is_agent_en(token: str) -> bool:
    head = _singular_en(_head(token))
    if _ends_with(head, _THINGS_EN) or _ends_with(head, _NOT_PARTNER_EN):
        return False
    return _AGENT_EN.fullmatch(head) is not None


def _is_word(token: str) -> bool:
    return token[0].isalnum()


def _relative_de(tokens: list[str], start: int) -> bool:
    """A relative clause ", die/der/das/welche ..." closes the phrase from ``start``: the
    sought thing is described by what it should do."""
    for i in range(start, min(start + 8, len(tokens) - 2)):
        if tokens[i] == ",":
            if any(_ends_with(_head(t), _INFO_DE) for t in tokens[start:i]):
                return False
            return tokens[i + 1] in _RELATIVE_DE and tokens[i + 2] not in _SUBJECT_DE
        if not _is_word(tokens[i]):
            return False
    return False


def _indefinite_object_de(tokens: list[str], at: int, form: str, relative: bool) -> bool:
    """The phrase opened by the indefinite article at ``at`` names an actor, or is
    described by a relative clause."""
    for token in tokens[at + 1 : at + 5]:
        if (
            not _is_word(token)
            or token in _PREPOSITIONS_DE
            or token in _CONJUNCTIONS_DE
            or _DETERMINER_DE.fullmatch(token)
        ):
            break
        if _is_agent_de(token, form) or _names_kind(token):
            return True
    return relative and _relative_de(tokens, at + 1)


def _bare_object_de(tokens: list[str], at: int, relative: bool, forms: tuple[str, ...]) -> bool:
    """A plural without article ("Wir suchen erfahrene Installateure"), or in a headline
    any noun ("Gesucht: Schreinerei für Messebau")."""
    for token in tokens[at : at + 3]:
        if not _is_word(token):
            break
        if any(_is_agent_de(token, form) for form in forms) or _names_kind(token):
            return True
        if not token.endswith(("e", "en")):  # not an adjective before the noun
            break
    return relative and _relative_de(tokens, at)


def _sought_de(tokens: list[str], at: int, *, nominative: bool, relative: bool = True) -> bool:
    """The object of the seeking verb before ``at`` is a sought actor or a described thing;
    an object with "den", "unser" and the like is one the member already has in mind."""
    in_phrase = False
    for i in range(at, min(at + 10, len(tokens))):
        token = tokens[i]
        if not _is_word(token):
            return False
        form = _INDEFINITE_DE.get(token)
        if form:
            if nominative and form == "neut":
                form = "nom"
            if _indefinite_object_de(tokens, i, form, relative):
                return True
            if not in_phrase:
                return False
            continue  # "für einen Kunden einen Planer": the first was in a phrase
        if token in _FILLERS_DE:
            continue
        if token in _PREPOSITIONS_DE:
            in_phrase = True
            continue
        if in_phrase:
            continue
        if _DETERMINER_DE.fullmatch(token):
            return False
        forms = ("nom", "fem", "plural") if nominative else ("plural",)
        return _bare_object_de(tokens, i, relative, forms)
    return False


def _headline_de(tokens: list[str], at: int) -> bool:
    """An actor opens the clause that ends in gesucht ("Tragwerksplaner für ... gesucht")."""
    start = at
    while start > 0 and _is_word(tokens[start - 1]) and at - start < 7:
        start -= 1
    if start == at:
        return False
    first = tokens[start + 1] if tokens[start] in ("ein", "eine") else tokens[start]
    forms = ("nom", "fem", "plural")
    return _names_kind(first) or any(_is_agent_de(first, form) for form in forms)


def _doing_question(tokens: list[str], at: int, *, german: bool) -> bool:
    """ "Wer verwertet Reste?", "Who makes screws?": who, a verb of doing and a general
    object (a bare noun, or something done for the member), asked as a question or as the
    message's end. "Wer betreibt ein Labor?" and "Wer organisiert das Symposium?" ask who
    someone is, and "Wer prüft unsere Etiketten?" is as often a question for the office
    ("Wer prüft unsere Anmeldung?"): those are left to the FAQ."""
    if at > 0 and _is_word(tokens[at - 1]):  # "wer" opens a clause
        return False
    rest = tokens[at + 1 : at + 6]
    ending = "t" if german else "s"
    if len(rest) < 2 or len(rest[0]) < 4 or not rest[0].endswith(ending):
        return False
    if rest[0] in (_NOT_DOING_DE if german else _NOT_DOING_EN):
        return False
    objects = rest[1:]
    if objects[0] in ("und", "and") and len(objects) > 1 and objects[1].endswith(ending):
        objects = objects[2:]  # "reinigt und beschichtet ..."
    done_for = False
    while objects and objects[0] in ("uns", "mir", "us", "me"):
        objects = objects[1:]
        done_for = True
    if not objects or not _is_word(objects[0]):
        return False
    first = objects[0]
    if german and rest[0] in _TAKING_DE and first.startswith("unser"):
        thing = _head(objects[1]) if len(objects) > 1 else ""
        general = bool(thing) and not (
            any(_ends_with(thing[: len(thing) - cut], _INFO_DE) for cut in (0, 1, 2))
            or re.match(_TAKING_PART, thing)
        )
    elif german:
        general = (first in _INDEFINITE_DE and done_for) or not (
            _DETERMINER_DE.fullmatch(first)
            or first in _INDEFINITE_DE
            or first in _PREPOSITIONS_DE
            or first in _NOT_OBJECT_DE
            or first in _SUBJECT_DE
        )
    else:
        general = (first in ("a", "an") and done_for) or not (
            first in _DETERMINER_EN
            or first in ("a", "an", "it", "i", "we")
            or first in _PHRASE_END_EN
        )
    if not general:
        return False
    for token in tokens[at:]:
        if token in _SENTENCE_END:
            return token == "?"
    return True


def _sought_en(tokens: list[str], at: int, *, indefinite: bool = False) -> bool:
    """The object of the English seeking verb before ``at`` is a sought actor ("a caterer",
    "any installers", "brewers", "a copper or lead smelter") or a thing described by what
    it can do ("a tool that can log temperatures", "people who ...")."""
    if at >= len(tokens) or tokens[at] in _DETERMINER_EN:
        return False
    indefinite = indefinite or tokens[at] in _INDEFINITE_EN
    start = at + 1 if indefinite else at
    phrase: list[str] = []
    for token in tokens[start : start + 5]:
        if not _is_word(token) or token in _PHRASE_END_EN or token in _INDEFINITE_EN:
            break
        phrase.append(token)
    if not phrase:
        return False
    head = phrase[-1]
    if _names_kind(head) or (_is_agent_en(head) and (indefinite or _singular_en(head) != head)):
        return True
    if indefinite and (_ACTOR_EN.fullmatch(head) or head in _PERSON_EN):
        return True  # "recommend an expert", "trying to find a contact for …"
    rest = tokens[start + len(phrase) : start + len(phrase) + 3]
    if rest[:1] in (["or"], ["and"]):
        return _sought_en(tokens, start + len(phrase) + 1, indefinite=indefinite)
    if len(rest) < 2 or any(_ends_with(_singular_en(w), _INFO_EN) for w in phrase):
        return False
    if rest[0] == "who":
        return rest[1] not in _SUBJECT_EN
    return (
        len(rest) == 3
        and rest[0] in ("that", "which")
        and rest[1] in _MODAL_EN
        and rest[2] not in ("be", "i", "we")
    )


def _is_actor_en(word: str) -> bool:
    return bool(_ACTOR_EN.fullmatch(word)) or _is_agent_en(word) or _names_kind(word)


def _which_actor_en(tokens: list[str], at: int) -> bool:
    """ "Which manufacturers can deliver …?": which, an actor, a modal and a verb that is not
    about taking part or the member themself ("Which members can see my profile?")."""
    for k in range(at + 1, min(at + 4, len(tokens) - 2)):
        if not _is_word(tokens[k]):
            return False
        if tokens[k + 1] in _MODAL_EN:
            verb = tokens[k + 2]
            return (
                _is_actor_en(tokens[k])
                and _is_word(verb)
                and not re.fullmatch(_TAKING_PART_EN, verb)
            )
    return False


_CALL_EN = _words("network here willing interested")


def _any_actor_en(tokens: list[str], at: int) -> bool:
    """ "Any manufacturer in the network?", "Is any maker of pumps willing to …": any, an
    actor, and what makes it a call to members (in the network, here, willing, interested)."""
    named = tokens[at + 1 : at + 4]
    if not any(_is_word(word) and _is_actor_en(word) for word in named):
        return False
    return any(word in _CALL_EN for word in tokens[at + 2 : at + 8])


def _asks_for_one_en(tokens: list[str], at: int) -> bool:
    """ "is/are there" or "do you know" at `at`, asking for an actor as "looking for" does
    (`_sought_en`: "a university", "any installers", "a lab that can test …")."""
    if tokens[at : at + 2] in (["is", "there"], ["are", "there"]):
        after = at + 2
    elif tokens[at : at + 3] == ["do", "you", "know"]:
        after = at + 3
    else:
        return False
    if tokens[after : after + 1] not in (["a"], ["an"], ["any"]):
        return False
    named = " ".join(tokens[after + 1 : after + 4])
    return bool(_ACTOR_EN.match(named)) or _sought_en(tokens, after)


def _asks_who_en_de(tokens: list[str], at: int) -> bool:
    """ "Wer verwertet …?", "Who makes …?", "Which makers can …?", "Any maker here?"."""
    token = tokens[at]
    if token in ("wer", "who"):
        return _doing_question(tokens, at, german=token == "wer")
    if token == "which":
        return _which_actor_en(tokens, at)
    return token == "any" and _any_actor_en(tokens, at)


# "Wir suchen eine Spedition für …", "We are looking for a patent attorney": an organisation
# that says it is looking for one of something is after a provider, whatever the noun is,
# unless the noun is information, a job or an everyday thing (`_INFO_*`, `_THINGS_*`), a
# means rather than a party ("eine Möglichkeit", "a way"), or the clause is about taking
# part. Only "suchen" / "looking for": "wir brauchen ein HACCP-Konzept", "we need a permit"
# state a need the FAQ answers as often as one a partner meets.
_WE_SEEK_DE = re.compile(r"such(?:en|e)")
_WE_SEEK_EN = re.compile(
    r"\bwe(?: ' re| are| re)?(?: (?:currently|now|still|also|urgently|actively|really))* "
    r"(?:looking for|searching for|seeking|in search of|trying to find)(?: (?:also|still|now))?"
    r" (?=an? \w)"
)
# nouns that name a means or a chance, not a party; or a post to fill (the job board's)
_MEANS_DE = _words("moglichkeit gelegenheit weg idee antwort kraft krafte praktikum job")
_MEANS_EN = _words(
    "way possibility opportunity option chance idea answer job position vacancy internship"
)


def _noun_phrase(tokens: list[str], at: int, stops: frozenset[str], german: bool) -> list[str]:
    """The words of the noun phrase that opens at ``at`` (up to a preposition, a comma,
    a conjunction or the sentence's end)."""
    phrase: list[str] = []
    for token in tokens[at : at + 5]:
        if not _is_word(token) or token in stops:
            break
        if german and (_DETERMINER_DE.fullmatch(token) or token in _INDEFINITE_DE):
            break
        phrase.append(token)
    return phrase


_TAKING_PART_EN_WORDS = _words("join attend register sign participate apply vote access log")


def _names_info(word: str, info: frozenset[str]) -> bool:
    """The word is (or a compound ends in) one of the information nouns ``info``; a short
    one only as a whole word ("app" ends "knapp")."""
    return any(word == noun or (len(noun) >= 4 and word.endswith(noun)) for noun in info)


def _clause_takes_part(tokens: list[str], at: int) -> bool:
    """The clause from ``at`` to its end is about taking part or the member's own business
    with the office (a registration, a membership, a document)."""
    for token in tokens[at : at + 14]:
        if token in _SENTENCE_END or token == ",":
            return False
        if re.match(_TAKING_PART, token) or token in _TAKING_PART_EN_WORDS:
            return True
        if _names_info(token, _INFO_DE) or _names_info(_singular_en(token), _INFO_EN):
            return True
    return False


def _we_seek_one_de(tokens: list[str], at: int) -> bool:
    """ "Wir suchen (nach) eine(r) Spedition …": the seeking verb at ``at`` with "wir" as its
    subject and an indefinite object that is a party, whatever its noun."""
    if not (tokens[at - 1 : at] == ["wir"] or tokens[at + 1 : at + 2] == ["wir"]):
        return False
    for i in range(at + 1, min(at + 6, len(tokens))):
        token = tokens[i]
        if token in _INDEFINITE_DE:
            phrase = _noun_phrase(tokens, i + 1, _PREPOSITIONS_DE | _CONJUNCTIONS_DE, True)
            if not phrase:
                return False
            head = _head(phrase[-1])
            if (
                _names_info(head, _INFO_DE)
                or _ends_with(head, _THINGS_DE | _MEANS_DE)
                or any(word in head for word in _NOT_PARTNER_DE)
                or head in _FUNCTION_DE
            ):
                return False
            return not _clause_takes_part(tokens, i + 1)
        if token not in _FILLERS_DE:
            return False
    return False


def _we_seek_one_en(tokens: list[str], at: int) -> bool:
    """ "We are looking for a patent attorney …": the indefinite object at ``at`` of a seeking
    verb whose subject is "we", a party whatever its noun."""
    phrase = _noun_phrase(tokens, at + 1, _PHRASE_END_EN, False)
    if not phrase:
        return False
    head = _singular_en(_head(phrase[-1]))
    if _names_info(head, _INFO_EN) or _ends_with(head, _THINGS_EN | _MEANS_EN | _NOT_PARTNER_EN):
        return False
    return not _clause_takes_part(tokens, at + 1)


def _structural(tokens: list[str]) -> bool:
    for i, token in enumerate(tokens):
        if _SEEK_DE_VERB.fullmatch(token):
            gesucht = token == "gesucht"
            after = i + 2 if gesucht and tokens[i + 1 : i + 2] == [":"] else i + 1  # "Gesucht:"
            if _sought_de(tokens, after, nominative=gesucht):
                return True
            if gesucht and _headline_de(tokens, i):
                return True
            if _WE_SEEK_DE.fullmatch(token) and _we_seek_one_de(tokens, i):
                return True
        elif token in ("fehlt", "fehlen") or tokens[i : i + 2] == ["bedarf", "an"]:
            # "Uns fehlt noch ein Labor für …", "Wir haben Bedarf an einem Partner für …"
            if _sought_de(tokens, i + 1, nominative=token != "bedarf"):
                return True
        elif token == "gibt" and tokens[i + 1 : i + 2] == ["es"]:
            # "Gibt es einen Zimmerer im Netzwerk?", but not "Gibt es eine App, die ..."
            if _sought_de(tokens, i + 2, nominative=False, relative=False):
                return True
        elif _asks_who_en_de(tokens, i):
            return True
        elif _asks_for_one_en(tokens, i):
            # "Is there a university that could analyse …?", "Do you know a lab that …?"
            return True
    flat = " ".join(tokens)
    for match in _SEEK_EN_WORDS.finditer(flat):
        if _sought_en(tokens, len(flat[: match.end()].split())):
            return True
    for match in _WE_SEEK_EN.finditer(flat):
        if _we_seek_one_en(tokens, len(flat[: match.end()].split())):
            return True
    return False


# Chat short forms of "jemand" (the dictionary's abbreviations, "jmd.", "jmdn.") and of the
# indefinite article ("wir suchen nen Partner"), read as written out.
_SHORT_FORMS = {
    "jmd": "jemand",
    "jmnd": "jemand",
    "jd": "jemand",
    "jmdn": "jemanden",
    "jdn": "jemanden",
    "jmdm": "jemandem",
    "jdm": "jemandem",
    "nen": "einen",
    "ner": "einer",
    "nem": "einem",
}
_SHORT_FORM = re.compile(rf"\b(?:{'|'.join(_SHORT_FORMS)})\b\.?|\bne\b(?=\s+\w)")


def _folded(text: str) -> str:
    """`text` folded, its short forms written out."""
    folded = fold(text, plain_umlauts=True)
    return _SHORT_FORM.sub(lambda m: _SHORT_FORMS.get(m.group().rstrip("."), "eine"), folded)


def is_partner_search(text: str) -> bool:
    """True only for text that clearly asks for a partner, supplier, lab or expert."""
    folded = _folded(text)
    if any(pattern.search(folded) for pattern in _PATTERNS):
        return True
    return _structural(_TOKEN.findall(folded))


# Where a call on members puts them: in the network, among the members, here. It frames the
# call; what the FAQ could answer is the rest ("Who in the network works on battery
# recycling?" shares "network" with the entry on what the network is, and nothing else).
_AMONG_MEMBERS = re.compile(
    r"\s*\b(?:(?:in|from|among|of) (?:the|this|our|your) (?:network|cluster|members)"
    r"|(?:im|aus dem) (?:netzwerk|cluster|verein)"
    r"|unter (?:den|euren|ihren) mitgliedern)\b",
    re.IGNORECASE,
)


def without_the_network(text: str) -> str:
    """`text` without the words saying that members are meant (`_AMONG_MEMBERS`)."""
    return _AMONG_MEMBERS.sub("", text)


def is_call_on_members(text: str) -> bool:
    """True for text put to everybody as a partner request is ("Hat jemand Erfahrung mit
    …?", "Anyone in the network who takes …?", "mit einer Hochschule zusammenarbeiten"),
    which a question for the office may be built like too ("Hat jemand Erfahrung mit dem
    Bot?"): the search takes it only when the FAQ has no direct answer (`partners.chat`)."""
    folded = _folded(text)
    return any(pattern.search(folded) for pattern in _CALLS)
